// API level: an AWS plan deployed through the gateway's own API against the AWS test double
// (tests/aws/double), with the gateway pointed at it the way an SDK user would (AWS_ENDPOINT_URL + env
// credentials). The deployment must turn green with connection details taken from the stack's Outputs,
// and destroy must delete the stack and the password parameter. Then the per-user role: the account API
// (ExternalId generated once, role ARN validated, another user sees only their own, the role template passes
// the double's template checks) and a deployment that assumes the user's role with their ExternalId (the
// double's STS refuses any other). Processes are stopped by PID.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { eventually } from '../lib/eventually.mjs';
import { signUp } from '../lib/signup.mjs';
const bin = process.env.CS_GATEWAY_BIN;
const KEY = 'AKIDTESTDOUBLE0001';
const SECRET = 'c2VjcmV0LXRlc3QtZG91YmxlLWtleS0wMDAx';
const GATEWAY_PRINCIPAL = 'arn:aws:iam::111122223333:role/cloudsketch-gateway';
const ROLE_TEMPLATE_URL = 'https://cloudsketch-public.s3.us-east-1.amazonaws.com/cloudsketch-deployer.template.json';
let dbl, gw, dataDir, base, awsUrl;

function firstLine(child, what, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${ms / 1000} s`)), ms);
    createInterface({ input: child.stdout }).once('line', (l) => { clearTimeout(timer); resolve(l); });
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}`)));
  });
}

before(async () => {
  assert.ok(bin && existsSync(bin), `CS_GATEWAY_BIN must name the built gateway (got ${bin})`);
  dbl = spawn(process.execPath, [join(import.meta.dirname, 'double', 'aws_test_double.mjs'), '--key', `${KEY}:${SECRET}`],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  awsUrl = `http://127.0.0.1:${JSON.parse(await firstLine(dbl, 'the AWS test double', 20000)).port}`;
  dataDir = mkdtempSync(join(tmpdir(), 'cs-aws-api-'));
  const env = {
    PATH: process.env.PATH, HOME: dataDir, AWS_ENDPOINT_URL: awsUrl, AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_EC2_METADATA_DISABLED: 'true', CS_AWS_POLL_INITIAL_MS: '20', CS_AWS_POLL_MAX_MS: '200',
    CS_AWS_GATEWAY_PRINCIPAL: GATEWAY_PRINCIPAL, CS_AWS_ROLE_TEMPLATE_URL: ROLE_TEMPLATE_URL,
    CS_SIGNUPS_PER_NETWORK_PER_HOUR: '1000',  // every client here is 127.0.0.1
  };
  gw = spawn(bin, ['--port', '0', '--bind', '127.0.0.1', '--data-dir', join(dataDir, 'data')], { stdio: ['ignore', 'pipe', 'ignore'], env });
  base = /(http:\/\/127\.0\.0\.1:\d+)$/.exec(await firstLine(gw, 'the gateway', 30000))[1];
});

after(() => {
  for (const c of [gw, dbl]) if (c && c.exitCode === null) process.kill(c.pid, 'SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function call(method, path, { body, token } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

async function settle(id, token, ms = 90000) {
  const end = Date.now() + ms;
  for (;;) {
    const d = await call('GET', `/v1/deployments/${id}`, { token });
    assert.equal(d.status, 200, d.text);
    if (d.json.deployment.state === 'succeeded' || d.json.deployment.state === 'failed') return d.json.deployment;
    assert.ok(Date.now() < end, `deployment still ${d.json.deployment.state} at step ${d.json.deployment.step}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const doubleState = async () => (await fetch(`${awsUrl}/__double/state`)).json();

test('an AWS plan deploys through the API against the test double, then is destroyed', async (t) => {
  const token = await signup('aws-api@example.com');
  const created = await call('POST', '/v1/plan/', { token, body: {} });
  assert.equal(created.status, 201, created.text);
  const plan = created.json.plan;
  assert.equal(plan.cloud.provider, 'aws');

  const started = Date.now();
  const dep = await call('POST', `/v1/plan/${plan.id}/deploy`, { token });
  assert.equal(dep.status, 202, dep.text);
  const done = await settle(dep.json.deployment.id, token);
  const elapsed = Date.now() - started;
  assert.equal(done.state, 'succeeded', JSON.stringify(done, null, 1));
  const messages = done.events.map((e) => e.message);
  assert.ok(messages.some((m) => /change: Add Pg1Primary \(AWS::EC2::Instance\)/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /Pg1Primary \(AWS::EC2::Instance\): CREATE_COMPLETE/.test(m)), messages.join('\n'));

  // Connection details come from the stack's Outputs, as the double computed them.
  const conn = await call('GET', `/v1/plan/${plan.id}/connection`, { token });
  assert.equal(conn.status, 200, conn.text);
  const state = await doubleState();
  const stack = state.stacks.find((s) => s.name === `cloudsketch-${plan.id.replace(/_/g, '-')}-development`);
  assert.ok(stack, JSON.stringify(state.stacks.map((s) => s.name)));
  assert.equal(stack.status, 'CREATE_COMPLETE');
  const output = (k) => stack.outputs.find((o) => o.key === k)?.value;
  assert.equal(conn.json.endpoints[0].role, 'primary');
  assert.equal(conn.json.endpoints[0].host, output('Pg1Endpoint'));
  assert.equal(conn.json.endpoints[0].port, Number(output('Pg1Port')));
  assert.equal(conn.json.database, output('Pg1Database'));
  // The password the API shows the owner is the one in SSM, and the plan's light is green.
  const pw = await call('POST', `/v1/plan/${plan.id}/connection/password`, { token });
  assert.equal(pw.status, 200, pw.text);
  assert.equal(state.parameters[`/cloudsketch/${plan.id}/development/pg-1/app-password`].value, pw.json.password);
  // The engine writes the light a moment after the job's final state: wait for it rather than read it once.
  await eventually(() => call('GET', `/v1/plan/${plan.id}`, { token }),
                   { until: (got) => got.json?.status?.light === 'green', what: 'the plan\'s light turns green after the deploy' });
  t.diagnostic(`deploy through the API against the double: ${elapsed} ms`);

  // Drift detection on request: the double's stack is as deployed. Another user's request is a 404.
  const drift = await call('POST', `/v1/plan/${plan.id}/drift`, { token });
  assert.equal(drift.status, 200, drift.text);
  assert.equal(drift.json.detection_status, 'DETECTION_COMPLETE');
  assert.equal(drift.json.drift_status, 'IN_SYNC');
  const stranger = await signup('aws-api-stranger@example.com');
  assert.equal((await call('POST', `/v1/plan/${plan.id}/drift`, { token: stranger })).status, 404);

  const destroy = await call('POST', `/v1/plan/${plan.id}/destroy`, { token, body: { final_backup: false } });
  assert.equal(destroy.status, 202, destroy.text);
  const gone = await settle(destroy.json.deployment.id, token);
  assert.equal(gone.state, 'succeeded', JSON.stringify(gone, null, 1));
  const after = await doubleState();
  assert.equal(after.stacks.find((s) => s.id === stack.id).status, 'DELETE_COMPLETE');
  assert.equal(after.parameters[`/cloudsketch/${plan.id}/development/pg-1/app-password`], undefined);
});

// Signs up through the real path (tests/lib/signup.mjs): the first account at once, others by the
// link the gateway writes to its outbox.
async function signup(email) {
  const post = async (path, body) => {
    const r = await call('POST', path, { body });
    return { status: r.status, body: r.json, text: r.text };
  };
  return (await signUp({ post, dataDir: join(dataDir, 'data') }, email, 'black-box-123')).token;
}

test('the AWS account API: a stable ExternalId, a validated role ARN, per-user isolation, the role template', async () => {
  const alice = await signup('aws-role-alice@example.com');
  const bob = await signup('aws-role-bob@example.com');
  assert.equal((await call('GET', '/v1/account/aws')).status, 401);

  const first = await call('GET', '/v1/account/aws', { token: alice });
  assert.equal(first.status, 200, first.text);
  assert.match(first.json.external_id, /^cs-[a-z2-7]{32}$/);
  assert.equal(first.json.role_arn, null);
  assert.equal(first.json.gateway_principal, GATEWAY_PRINCIPAL);
  const again = await call('GET', '/v1/account/aws', { token: alice });
  assert.equal(again.json.external_id, first.json.external_id, 'the ExternalId must not change');
  const q = new URL(first.json.quick_create_url.replace('#/stacks/create/review?', '&'));
  assert.equal(q.origin, 'https://console.aws.amazon.com');
  assert.equal(q.searchParams.get('templateURL'), ROLE_TEMPLATE_URL);
  assert.equal(q.searchParams.get('param_ExternalId'), first.json.external_id);
  assert.equal(q.searchParams.get('param_GatewayPrincipal'), GATEWAY_PRINCIPAL);

  // Bad ARNs: 422 that says where and how.
  for (const [arn, says] of [['arn:aws:iam::12345:role/cloudsketch-deployer', /12-digit account id/],
    ['arn:aws:iam::123456789012:user/cloudsketch-deployer', /arn:aws:iam::123456789012:role\/cloudsketch-deployer/],
    ['arn:aws:iam::123456789012:role/admin', /must start with cloudsketch-deployer/], [42, /string or null/]]) {
    const bad = await call('PUT', '/v1/account/aws', { token: alice, body: { role_arn: arn } });
    assert.equal(bad.status, 422, bad.text);
    assert.equal(bad.json.error.details[0].path, '/role_arn', bad.text);
    assert.match(bad.json.error.details[0].message, says, bad.text);
  }
  const chosen = await call('PUT', '/v1/account/aws', { token: alice, body: { role_arn: 'arn:aws:iam::123456789012:role/cloudsketch-deployer', external_id: 'mine' } });
  assert.equal(chosen.status, 422, chosen.text);
  assert.equal(chosen.json.error.details[0].path, '/external_id');

  const arn = 'arn:aws:iam::123456789012:role/cloudsketch-deployer-alice';
  const set = await call('PUT', '/v1/account/aws', { token: alice, body: { role_arn: arn } });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.json.role_arn, arn);
  assert.equal(set.json.external_id, first.json.external_id);
  // Bob sees only his own link: another ExternalId, no role.
  const other = await call('GET', '/v1/account/aws', { token: bob });
  assert.equal(other.status, 200);
  assert.notEqual(other.json.external_id, first.json.external_id);
  assert.equal(other.json.role_arn, null);
  assert.ok(!other.text.includes(arn) && !other.text.includes(first.json.external_id));
  const cleared = await call('PUT', '/v1/account/aws', { token: bob, body: { role_arn: null } });
  assert.equal(cleared.status, 200, cleared.text);
  assert.equal((await call('GET', '/v1/account/aws', { token: alice })).json.role_arn, arn);

  // The role template: what the double's CloudFormation checks accept, trusting the principal with the ExternalId.
  const tpl = await call('GET', '/v1/account/aws/role-template', { token: alice });
  assert.equal(tpl.status, 200, tpl.text);
  const problems = await (await fetch(`${awsUrl}/__double/validate`, { method: 'POST', body: tpl.text })).json();
  assert.deepEqual(problems.problems, []);
  const role = tpl.json.Resources.DeployRole.Properties;
  const trust = role.AssumeRolePolicyDocument.Statement[0];
  assert.deepEqual(trust.Principal, { AWS: { Ref: 'GatewayPrincipal' } });
  assert.deepEqual(trust.Condition, { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } });
  const actions = role.Policies[0].PolicyDocument.Statement.flatMap((st) => [].concat(st.Action));
  assert.ok(actions.includes('cloudformation:CreateChangeSet') && actions.includes('s3:PutObject'), actions.join(' '));
  assert.ok(!actions.some((a) => a.includes('*')), 'no wildcard actions');
});

test('a user with a role set deploys through AssumeRole with their ExternalId', async () => {
  const token = await signup('aws-role-deployer@example.com');
  const link = (await call('GET', '/v1/account/aws', { token })).json;
  const arn = 'arn:aws:iam::123456789012:role/cloudsketch-deployer-carol';
  // The role in "her account" trusts the gateway only with her ExternalId.
  await fetch(`${awsUrl}/__double/role`, { method: 'POST', body: JSON.stringify({ arn, external_id: link.external_id }) });
  assert.equal((await call('PUT', '/v1/account/aws', { token, body: { role_arn: arn } })).status, 200);
  const before = (await (await fetch(`${awsUrl}/__double/log`)).json()).length;
  const plan = (await call('POST', '/v1/plan/', { token, body: {} })).json.plan;
  const dep = await call('POST', `/v1/plan/${plan.id}/deploy`, { token });
  assert.equal(dep.status, 202, dep.text);
  const done = await settle(dep.json.deployment.id, token);
  assert.equal(done.state, 'succeeded', JSON.stringify(done, null, 1));
  const log = (await (await fetch(`${awsUrl}/__double/log`)).json()).slice(before);
  const assumed = log.filter((e) => e.action === 'AssumeRole' && e.status === 200);
  assert.equal(assumed.length, 1, JSON.stringify(log.map((e) => e.action)));
  const made = log.filter((e) => e.action === 'CreateChangeSet' && e.status === 200);
  assert.equal(made.length, 1);
  assert.match(made[0].access_key_id, /^ASIA/, 'the stack was made with the role\'s temporary credentials');

  // With a role whose trust names another ExternalId, the deployment fails with STS's AccessDenied.
  await fetch(`${awsUrl}/__double/role`, { method: 'POST', body: JSON.stringify({ arn: `${arn}-2`, external_id: 'cs-someone-else' }) });
  assert.equal((await call('PUT', '/v1/account/aws', { token, body: { role_arn: `${arn}-2` } })).status, 200);
  const plan2 = (await call('POST', '/v1/plan/', { token, body: { name: 'second' } })).json.plan;
  const dep2 = await call('POST', `/v1/plan/${plan2.id}/deploy`, { token });
  const failed = await settle(dep2.json.deployment.id, token);
  assert.equal(failed.state, 'failed');
  assert.match(failed.error, /AccessDenied.*sts:AssumeRole/, failed.error);
});
