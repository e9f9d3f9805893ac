// The catalogue's prices must say where they came from (docs/catalog.md, "Where the prices come from").
// Pure data checks on shared/data/catalog/*.json, no build needed:
//   cd tests && node --test catalog/provenance.test.mjs
// A price filled without a source entry, a source without a date or a findable location, or a docs
// count of null prices that no longer matches the data fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const repo = process.env.CS_REPO ?? path.resolve(import.meta.dirname, '..', '..');
const read = (name) => JSON.parse(readFileSync(path.join(repo, 'shared/data/catalog', name), 'utf8'));
const sheets = { aws: read('aws_instances.json'), azure: read('azure_sizes.json'), gcp: read('gcp_machine_types.json') };
const storage = read('storage_prices.json');

function nullCells(sheet) {
  let n = 0;
  for (const t of sheet.instances) for (const r of sheet.regions) if (r in t.prices && t.prices[r] === null) n++;
  return n;
}

test('every source entry says when, what, where (repository path and commit, or index file id) and what it settles', () => {
  for (const [name, doc] of [...Object.entries(sheets), ['storage', storage]]) {
    for (const s of doc.sources ?? []) {
      for (const key of ['name', 'date', 'kind', 'where', 'used_for']) {
        assert.equal(typeof s[key], 'string', `${name}: source ${s.name} lacks ${key}`);
        assert.ok(s[key].length > 3, `${name}: source ${s.name} has an empty ${key}`);
      }
      assert.match(s.where, /@ [0-9a-f]{40}\b|file ids? \d+/, `${name}: source ${s.name} cannot be found again`);
      assert.match(s.date, /20\d\d/, `${name}: source ${s.name} has no year`);
    }
  }
});

test('AWS: prices_as_of is the primary source date, and that source covers every us-east-1 price', () => {
  const aws = sheets.aws;
  const primary = aws.sources.find((s) => s.date === aws.prices_as_of);
  assert.ok(primary, `no source dated ${aws.prices_as_of}`);
  assert.match(primary.used_for, /us-east-1/);
  for (const t of aws.instances) assert.equal(typeof t.prices['us-east-1'], 'number', `${t.name} us-east-1`);
});

test('files whose prices were filled from a source name it; the others keep the team list date', () => {
  for (const cloud of ['aws', 'gcp']) assert.ok(sheets[cloud].sources.some((s) => /fills/.test(s.used_for)), cloud);
  // No Azure source was found: its file must not claim one, nor a date other than the team list's.
  assert.equal(sheets.azure.sources, undefined);
  assert.equal(sheets.azure.prices_as_of, '2024-06-01');
});

test('docs/catalog.md states how many prices are still null, and the count matches the data', () => {
  const doc = readFileSync(path.join(repo, 'docs/catalog.md'), 'utf8');
  const m = doc.match(/What is still `null` \((\d+) AWS, (\d+) Azure, (\d+) GCP cells\)/);
  assert.ok(m, 'docs/catalog.md lost the null count sentence');
  assert.deepEqual([+m[1], +m[2], +m[3]], [nullCells(sheets.aws), nullCells(sheets.azure), nullCells(sheets.gcp)]);
});
