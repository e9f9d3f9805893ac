// The first-boot scripts in every corpus template (tests/data/golden/corpus/*.cloudformation.json, which
// corpus_test.cpp holds equal to what `cs render` prints): each EC2 instance's UserData Fn::Sub text, with
// its ${...} references replaced by plausible values and ${!x} turned back into ${x} (what CloudFormation
// hands the instance), must pass `bash -n` and `shellcheck -s bash` at the default severity.
//
//   cd tests && node --test bootstrap/bootstrap.test.mjs        (needs bash and shellcheck: scripts/deps)
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Checks shellcheck leaves out, each with the reason it does not apply to these scripts.
// No exclusions: every shellcheck finding at the default severity fails the test.
const EXCLUDED = [];

// Real findings in shared/src/transform/bootstrap.cpp that are reported and not yet fixed would be listed
// here (code and an exact pattern of the offending line) and shown as TODO; any other finding fails.
const KNOWN_BUGS = [];

const repo = process.env.CS_REPO ?? path.resolve(import.meta.dirname, '..', '..');
const goldenDir = path.join(repo, 'tests/data/golden/corpus');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cs-bootstrap-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

// Plausible values for the references the templates use; an unknown reference fails the test, so a new
// one gets a value here on purpose.
function plausible(ref) {
  if (ref === 'AWS::Region') return 'eu-west-1';
  if (ref === 'AWS::StackName') return 'cloudsketch-p-corpus-development';
  if (ref === 'AWS::AccountId') return '123456789012';
  if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
  if (/^[A-Za-z0-9]+BackupBucket$/.test(ref)) return 'cloudsketch-p-corpus-pg1backupbucket-1a2b3c4d5e6f';
  if (/^[A-Za-z0-9]+\.PrivateIp$/.test(ref)) return '10.0.12.34';
  if (/^[A-Za-z0-9]+\.(PublicDnsName|PrivateDnsName)$/.test(ref)) return 'ip-10-0-12-34.eu-west-1.compute.internal';
  return undefined;
}

// Fn::Sub text -> the script the instance receives. `vars` is Fn::Sub's optional variable map.
export function substitute(text, vars = {}) {
  const unknown = [];
  const out = text.replace(/\$\{(!?)([^}]*)\}/g, (whole, bang, ref) => {
    if (bang) return `\${${ref}}`; // ${!x} is CloudFormation's escape for a literal ${x}
    const v = typeof vars[ref] === 'string' ? vars[ref] : plausible(ref);
    if (v === undefined) unknown.push(ref);
    return v ?? whole;
  });
  return { script: out, unknown };
}

// [{name, script, unknown}] for every instance (and launch template) with UserData in the corpus.
const scripts = [];
const templates = readdirSync(goldenDir).filter((f) => f.endsWith('.cloudformation.json')).sort();
for (const file of templates) {
  const t = JSON.parse(readFileSync(path.join(goldenDir, file), 'utf8'));
  for (const [id, r] of Object.entries(t.Resources ?? {})) {
    const ud = r.Type === 'AWS::EC2::Instance' ? r.Properties?.UserData
      : r.Type === 'AWS::EC2::LaunchTemplate' ? r.Properties?.LaunchTemplateData?.UserData : undefined;
    if (ud === undefined) continue;
    const sub = ud['Fn::Base64']?.['Fn::Sub'];
    const [text, vars] = Array.isArray(sub) ? sub : [sub, {}];
    const name = `${file.replace('.cloudformation.json', '')}/${id}`;
    scripts.push({ name, text, ...substitute(text, vars), file: path.join(tmp, `${scripts.length}.sh`) });
  }
}
for (const s of scripts) writeFileSync(s.file, s.script);

// One shellcheck process for every script (json1 says which file each finding is in).
const findings = new Map(scripts.map((s) => [s.file, []]));
let shellcheck;
before(() => {
  shellcheck = spawnSync('shellcheck', ['-s', 'bash', '-f', 'json1', '-e', EXCLUDED.join(','), ...scripts.map((s) => s.file)],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (shellcheck.error || !shellcheck.stdout) return;
  for (const c of JSON.parse(shellcheck.stdout).comments) findings.get(c.file)?.push(c);
});

test('the corpus has first-boot scripts and shellcheck runs', () => {
  assert.ok(templates.length >= 30, `expected 30+ templates in ${goldenDir}`);
  assert.ok(scripts.length >= templates.length, 'some corpus template has no instance with UserData');
  assert.equal(shellcheck.error, undefined, `could not start shellcheck (apt-get install shellcheck): ${shellcheck.error}`);
  assert.ok([0, 1].includes(shellcheck.status), `shellcheck exited ${shellcheck.status}: ${shellcheck.stderr}`);
});

test('substitution: references get values, ${!x} becomes ${x}, unknown references are caught', () => {
  const r = substitute("B='${Pg1BackupBucket}' R=${AWS::Region} L=${!HOME} M=${Mine} N=${Nope}", { Mine: 'v' });
  assert.equal(r.script, "B='cloudsketch-p-corpus-pg1backupbucket-1a2b3c4d5e6f' R=eu-west-1 L=${HOME} M=v N=${Nope}");
  assert.deepEqual(r.unknown, ['Nope']);
});

for (const s of scripts) {
  test(`${s.name}: every \${...} reference has a value`, () => {
    assert.deepEqual(s.unknown, [], 'add a plausible value for these references in plausible()');
  });

  test(`${s.name}: bash -n`, () => {
    const r = spawnSync('bash', ['-n', s.file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  test(`${s.name}: shellcheck -s bash`, (t) => {
    const lines = s.script.split('\n');
    const known = [];
    const real = [];
    for (const c of findings.get(s.file)) {
      const text = lines[c.line - 1] ?? '';
      const bug = KNOWN_BUGS.find((b) => `SC${c.code}` === b.code && b.line.test(text.trim()));
      (bug ? known : real).push(`line ${c.line}: SC${c.code} (${c.level}) ${c.message}\n    ${text.trim()}`);
      if (bug) t.diagnostic(`known bug, reported: ${bug.why}`);
    }
    assert.deepEqual(real, [], `shellcheck findings in the first-boot script (shared/src/transform/bootstrap.cpp)`);
    if (known.length) t.todo(`known shellcheck findings:\n${known.join('\n')}`);
  });
}
