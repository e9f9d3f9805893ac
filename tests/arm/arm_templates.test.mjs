// Every Azure document CloudSketch generates fits the ARM schemas of its resource types and Azure's naming
// rules (arm_schema.mjs): the goldens, every Azure plan in tests/data/plans rendered by the native `cs`, and
// variants of them that push what users choose (the longest component ids, a plan name of symbols and
// Unicode, a public database, many allowed ranges). The checker itself is tested first: each kind of rule
// must refuse what Azure refuses.
//
//   cd tests && CS_NATIVE_BIN=/path/to/build/bin node --test arm/arm_templates.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkArmTemplate, evaluateArm } from './arm_schema.mjs';

const repo = process.env.CS_REPO ?? path.resolve(import.meta.dirname, '..', '..');
const cs = path.join(process.env.CS_NATIVE_BIN ?? path.join(repo, 'build/native/bin'), 'cs');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cs-arm-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

// Values for the parameters the documents leave to the deployment.
const PARAMETERS = {
  subnetId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/db',
  adminSshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG8mPZ0QX4mTtqVv3yfC0l7z7uTQhXkJ5d1d2P0c1Xq test',
  keyVaultName: 'cs-kv-test',
};
const problems = (t) => checkArmTemplate(t, { parameters: PARAMETERS }).map((f) => `${f.path} ${f.keyword}: ${f.message}`);

// ---- The checker -------------------------------------------------------------------------------------

const golden = JSON.parse(readFileSync(path.join(repo, 'tests/data/golden/azure_orders.azure.json'), 'utf8'));
const findType = (t, type) => t.resources.findIndex((r) => r.type === type);

test('the checker refuses what Azure refuses, at the right place', () => {
  const cases = [
    ['an NSG rule priority below 100', (t) => { t.resources[findType(t, 'Microsoft.Network/networkSecurityGroups')].properties.securityRules[0].properties.priority = 99; }, /securityRules\/0\/properties\/priority minimum/],
    ['an NSG rule description over 140 characters', (t) => { t.resources[findType(t, 'Microsoft.Network/networkSecurityGroups')].properties.securityRules[0].properties.description = 'd'.repeat(141); }, /securityRules\/0\/properties\/description maxLength/],
    ['a protocol Azure does not know', (t) => { t.resources[findType(t, 'Microsoft.Network/networkSecurityGroups')].properties.securityRules[0].properties.protocol = 'TCP'; }, /protocol enum/],
    ['a network name with a space', (t) => { t.resources[findType(t, 'Microsoft.Network/applicationSecurityGroups')].name = 'cs pg'; }, /\/name pattern/],
    ['a storage account name of 25 characters (evaluated from variables)', (t) => { t.variables.pgMainStorageAccount = "[concat('cs', uniqueString(resourceGroup().id), 'toolong123')]"; }, /\/name pattern/],
    ['a tag value over 256 characters', (t) => { t.resources[0].tags.x = 'v'.repeat(257); }, /tags\/x maxLength/],
    ['a VM name with an underscore first', (t) => { t.resources[findType(t, 'Microsoft.Compute/virtualMachines')].name = '_vm'; }, /\/name pattern/],
    ['a property the type does not have at the top', (t) => { t.resources[0].colour = 'blue'; }, /\/resources\/0\/colour additionalProperties/],
    ['an API version without a schema', (t) => { t.resources[0].apiVersion = '2015-01-01'; }, /\/resources\/0 schema/],
    ['a role assignment name that is not a GUID', (t) => { t.resources[findType(t, 'Microsoft.Authorization/roleAssignments')].name = 'mine'; }, /\/name pattern/],
  ];
  for (const [what, change, expect] of cases) {
    const t = structuredClone(golden);
    change(t);
    const got = problems(t);
    assert.ok(got.some((p) => expect.test(p)), `${what}: expected ${expect}, got:\n${got.join('\n')}`);
  }
});

test('template expressions are evaluated for names: uniqueString, concat, format, variables, parameters', () => {
  const name = evaluateArm(golden, `[variables('pgMainStorageAccount')]`);
  assert.match(name, /^cs[a-z2-7]{13}$/);
  assert.equal(evaluateArm(golden, "[format('{0}/default/backups', 'acct')]"), 'acct/default/backups');
  assert.equal(typeof evaluateArm(golden, "[reference('x').id]"), 'symbol', 'reference() is a deploy-time value');
  assert.equal(evaluateArm(golden, "[parameters('location')]"), 'westeurope');
});

// ---- The documents -------------------------------------------------------------------------------

function render(planFile) {
  const r = spawnSync(cs, ['render', '--target', 'azure', planFile], { encoding: 'utf8' });
  assert.equal(r.error, undefined, `could not start ${cs}`);
  assert.equal(r.status, 0, `cs render --target azure ${planFile}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// Variants of a plan: what a user may choose that reaches names and descriptions.
function variants(plan) {
  const out = [];
  const pg = plan.components.find((c) => c.kind === 'postgres');
  const vm = plan.components.find((c) => c.id === pg.host);
  out.push(['the longest component ids', (p) => {
    const q = p.components.find((c) => c.kind === 'postgres');
    const h = p.components.find((c) => c.id === q.host);
    h.id = `vm-${'v'.repeat(37)}`;
    q.id = `pg-${'x'.repeat(37)}`;
    q.host = h.id;
  }]);
  out.push(['two databases whose long ids differ only in their last character', (p) => {
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
    }]);
  out.push(['a plan name of quotes, symbols and Unicode', (p) => { p.name = `Bob's "orders" & co. <ünïcödé> 日本語 \u{1F418} #1!/\\?%`; }]);
  out.push(['a public database open to the world', (p) => {
    const q = p.components.find((c) => c.kind === 'postgres');
    q.network = { ...q.network, public: true, allowed_cidrs: ['0.0.0.0/0', '::/0'] };
  }]);
  out.push(['sixty allowed ranges and the most replicas', (p) => {
    const q = p.components.find((c) => c.kind === 'postgres');
    q.network = { ...q.network, allowed_cidrs: Array.from({ length: 60 }, (_, i) => `10.${i}.0.0/16`) };
    q.topology = { mode: 'primary-replicas', replicas: 5 };
  }]);
  void pg; void vm;
  return out;
}

const haveCs = existsSync(cs);
const plans = readdirSync(path.join(repo, 'tests/data/plans')).filter((f) => /^azure_.*\.json$/.test(f)).sort();

test('the native cs is there and there are Azure plans', () => {
  assert.ok(haveCs, `no cs at ${cs}: build it, or set CS_NATIVE_BIN`);
  assert.ok(plans.length >= 1);
});

test('the Azure goldens fit the ARM schemas and naming rules', () => {
  const goldens = readdirSync(path.join(repo, 'tests/data/golden')).filter((f) => f.endsWith('.azure.json'));
  assert.ok(goldens.length >= 1);
  for (const f of goldens) {
    const t = JSON.parse(readFileSync(path.join(repo, 'tests/data/golden', f), 'utf8'));
    assert.deepEqual(problems(t), [], f);
  }
});

for (const f of plans) {
  const plan = JSON.parse(readFileSync(path.join(repo, 'tests/data/plans', f), 'utf8'));
  for (const [what, change] of [['as it is', () => {}], ...variants(plan)]) {
    test(`${f}, ${what}: fits the ARM schemas and naming rules`, { skip: !haveCs && 'no cs' }, () => {
      const p = structuredClone(plan);
      change(p);
      const file = path.join(tmp, `${f}.${what.replace(/\W+/g, '-')}.json`);
      writeFileSync(file, JSON.stringify(p));
      assert.deepEqual(problems(render(file)), []);
    });
  }
}
