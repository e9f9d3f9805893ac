// Every Google Cloud document CloudSketch generates fits Google's documented constraints for its resource
// types (gcp_constraints.mjs): the goldens, every GCP plan in tests/data/plans rendered by the native `cs`,
// and variants that push what users choose (the longest component ids, a plan name of symbols and Unicode,
// a public database, many ranges and replicas), each with a short and the longest (30 characters) project
// id. The checker itself is tested first: each kind of rule must refuse what Google refuses.
//
//   cd tests && CS_NATIVE_BIN=/path/to/build/bin node --test gcp/gcp_templates.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkTerraformGcp } from './gcp_constraints.mjs';

const repo = process.env.CS_REPO ?? path.resolve(import.meta.dirname, '..', '..');
const cs = path.join(process.env.CS_NATIVE_BIN ?? path.join(repo, 'build/native/bin'), 'cs');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cs-gcp-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

const PROJECTS = ['db-test-1', `p${'r'.repeat(28)}1`]; // 6-30 characters: a short one and the longest
const problems = (doc, project = PROJECTS[0]) => checkTerraformGcp(doc, { variables: { project, subnetwork: 'db' } })
  .map((f) => `${f.path} ${f.keyword}: ${f.message}`);

// ---- The checker -------------------------------------------------------------------------------------

const golden = JSON.parse(readFileSync(path.join(repo, 'tests/data/golden/gcp_analytics.gcp.tf.json'), 'utf8'));
const first = (doc, type) => Object.values(doc.resource[type])[0];

test('the checker refuses what Google refuses, at the right place', () => {
  const cases = [
    ['an instance name with an uppercase letter', (d) => { first(d, 'google_compute_instance').name = 'cs-PG'; }, /google_compute_instance\/[a-z_0-9]+\/name pattern/],
    ['a disk name of 64 characters', (d) => { first(d, 'google_compute_disk').name = `d${'x'.repeat(63)}`; }, /google_compute_disk\/[a-z_0-9]+\/name pattern/],
    ['a service account id of 31 characters', (d) => { first(d, 'google_service_account').account_id = `a${'b'.repeat(30)}`; }, /account_id pattern/],
    ['a label value with an uppercase letter', (d) => { first(d, 'google_compute_disk').labels['cloudsketch-plan'] = 'P_1'; }, /labels\/cloudsketch-plan pattern/],
    ['a label key starting with a digit', (d) => { first(d, 'google_compute_disk').labels['1x'] = 'v'; }, /labels\/1x pattern/],
    ['a bucket name of 64 characters once the project is in', (d) => { first(d, 'google_storage_bucket').name = `\${var.project}-${'b'.repeat(54)}`; }, /google_storage_bucket\/[a-z_0-9]+\/name pattern/],
    ['a bucket name containing "google"', (d) => { first(d, 'google_storage_bucket').name = 'my-google-backups'; }, /name pattern/],
    ['a firewall priority above 65535', (d) => { first(d, 'google_compute_firewall').priority = 65536; }, /priority maximum/],
    ['a source range that is not a CIDR', (d) => { first(d, 'google_compute_firewall').source_ranges = ['10.0.0.0/33']; }, /source_ranges\/0 format/],
    ['a metadata key with a dot', (d) => { first(d, 'google_compute_instance').metadata['a.b'] = 'x'; }, /metadata\/a\.b pattern/],
    ['a project id of 31 characters', () => {}, /\/variable\/project pattern/, `p${'r'.repeat(29)}1`],
    ['a resource type without rules', (d) => { d.resource.google_sql_database_instance = { x: { name: 'x' } }; }, /google_sql_database_instance\/x schema/],
  ];
  for (const [what, change, expect, project] of cases) {
    const d = structuredClone(golden);
    change(d);
    const got = problems(d, project);
    assert.ok(got.some((p) => expect.test(p)), `${what}: expected ${expect}, got:\n${got.join('\n')}`);
  }
});

// ---- The documents -------------------------------------------------------------------------------

function render(planFile) {
  const r = spawnSync(cs, ['render', '--target', 'gcp', planFile], { encoding: 'utf8' });
  assert.equal(r.error, undefined, `could not start ${cs}`);
  assert.equal(r.status, 0, `cs render --target gcp ${planFile}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function variants() {
  return [
    ['the longest component ids', (p) => {
      for (const [i, q] of p.components.filter((c) => c.kind === 'postgres').entries()) {
        const h = p.components.find((c) => c.id === q.host);
        h.id = `vm-${String(i)}${'v'.repeat(36)}`;
        q.id = `pg-${String(i)}${'x'.repeat(36)}`;
        q.host = h.id;
      }
    }],
    ['two databases whose long ids differ only in their last character', (p) => {
      const q = p.components.find((c) => c.kind === 'postgres');
      const h = p.components.find((c) => c.id === q.host);
      const q2 = structuredClone(q);
      const h2 = structuredClone(h);
      h.id = `vm-${'v'.repeat(36)}1`;
      q.id = `pg-${'x'.repeat(36)}1`;
      q.host = h.id;
      h2.id = `vm-${'v'.repeat(36)}2`;
      q2.id = `pg-${'x'.repeat(36)}2`;
      q2.host = h2.id;
      p.components.push(h2, q2);
    }],
    ['a plan name of quotes, symbols and Unicode', (p) => { p.name = `Bob's "analytics" & co. <ünïcödé> 日本語 \u{1F418} #1!`; }],
    ['a public database open to the world', (p) => {
      for (const q of p.components.filter((c) => c.kind === 'postgres')) q.network = { ...q.network, public: true, allowed_cidrs: ['0.0.0.0/0', '::/0'] };
    }],
    ['sixty allowed ranges and the most replicas', (p) => {
      for (const q of p.components.filter((c) => c.kind === 'postgres')) {
        q.network = { ...q.network, allowed_cidrs: Array.from({ length: 60 }, (_, i) => `10.${i}.0.0/16`) };
        q.topology = { mode: 'primary-replicas', replicas: 5 };
      }
    }],
  ];
}

const haveCs = existsSync(cs);
const plans = readdirSync(path.join(repo, 'tests/data/plans')).filter((f) => {
  if (!f.endsWith('.json')) return false;
  return JSON.parse(readFileSync(path.join(repo, 'tests/data/plans', f), 'utf8')).cloud?.provider === 'gcp';
}).sort();

test('the native cs is there and there are GCP plans', () => {
  assert.ok(haveCs, `no cs at ${cs}: build it, or set CS_NATIVE_BIN`);
  assert.ok(plans.length >= 1);
});

test('the GCP goldens fit Google\'s constraints, with a short and the longest project id', () => {
  const goldens = readdirSync(path.join(repo, 'tests/data/golden')).filter((f) => f.endsWith('.gcp.tf.json'));
  assert.ok(goldens.length >= 1);
  for (const f of goldens) {
    const d = JSON.parse(readFileSync(path.join(repo, 'tests/data/golden', f), 'utf8'));
    for (const project of PROJECTS) assert.deepEqual(problems(d, project), [], `${f} with project ${project}`);
  }
});

for (const f of plans) {
  const plan = JSON.parse(readFileSync(path.join(repo, 'tests/data/plans', f), 'utf8'));
  for (const [what, change] of [['as it is', () => {}], ...variants()]) {
    test(`${f}, ${what}: fits Google's constraints`, { skip: !haveCs && 'no cs' }, () => {
      const p = structuredClone(plan);
      change(p);
      const file = path.join(tmp, `${f}.${what.replace(/\W+/g, '-')}.json`);
      writeFileSync(file, JSON.stringify(p));
      const doc = render(file);
      for (const project of PROJECTS) assert.deepEqual(problems(doc, project), [], `project ${project}`);
    });
  }
}
