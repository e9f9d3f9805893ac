// API level: an AWS plan deployed through the gateway's own API against the AWS test double
// (tests/aws/double), with the gateway pointed at it the way an SDK user would (AWS_ENDPOINT_URL + env
// credentials). The deployment must turn green with connection details taken from the stack's Outputs,
// and destroy must delete the stack and the password parameter. Processes are stopped by PID.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const bin = process.env.CS_GATEWAY_BIN;
const KEY = 'AKIDTESTDOUBLE0001';
const SECRET = 'c2VjcmV0LXRlc3QtZG91YmxlLWtleS0wMDAx';
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
  };
  gw = spawn(bin, ['--port', '0', '--bind', '127.0.0.1', '--data-dir', join(dataDir, 'data')], { stdio: ['ignore', 'pipe', 'ignore'], env });
  base = /(http:\/\/127\.0\.0\.1:\d+)$/.exec(await firstLine(gw, 'the gateway', 10000))[1];
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
  const signup = await call('POST', '/v1/auth/signup', { body: { email: 'aws-api@example.com', password: 'black-box-123' } });
  assert.equal(signup.status, 201, signup.text);
  const token = signup.json.token;
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
  const got = await call('GET', `/v1/plan/${plan.id}`, { token });
  assert.equal(got.json.status.light, 'green', JSON.stringify(got.json.status));
  t.diagnostic(`deploy through the API against the double: ${elapsed} ms`);

  const destroy = await call('POST', `/v1/plan/${plan.id}/destroy`, { token, body: { final_backup: false } });
  assert.equal(destroy.status, 202, destroy.text);
  const gone = await settle(destroy.json.deployment.id, token);
  assert.equal(gone.state, 'succeeded', JSON.stringify(gone, null, 1));
  const after = await doubleState();
  assert.equal(after.stacks.find((s) => s.id === stack.id).status, 'DELETE_COMPLETE');
  assert.equal(after.parameters[`/cloudsketch/${plan.id}/development/pg-1/app-password`], undefined);
});
