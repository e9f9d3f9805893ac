// What a deployed local PostgreSQL server inherits from the gateway that started it (issue 12, item 6):
// a real cs-gateway started with cloud keys and a CS_ secret in its environment deploys a plan on the local
// target; every postmaster's /proc/<pid>/environ holds none of them, and /proc/<pid>/fd holds none of the
// gateway's sockets (its listener, client connections), its SQLite database or its port locks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, chmodSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postmastersUnder } from '../lib/postmasters.mjs';
import { eventually } from '../lib/eventually.mjs';
import { startGateway } from '../lib/gateway.mjs';

const bin = process.env.CS_GATEWAY_BIN;
// Values no program would print by chance; the test looks for the values, not only the names.
const secrets = {
  AWS_ACCESS_KEY_ID: 'AKIACSTESTSECRETLEAK',
  AWS_SECRET_ACCESS_KEY: 'cs-test-aws-secret-d6c1f9e27b',
  AWS_SESSION_TOKEN: 'cs-test-aws-session-0a8e33c5f1',
  CS_SMTP_PASSWORD: 'cs-test-smtp-password-5b7e2d',
  PGPASSWORD: 'cs-test-operator-pgpassword-91c4',
};
let root;
let gateway;
let token;

async function call(method, path, body) {
  const r = await gateway.api(method, path, token, body);
  return { status: r.status, json: r.body, text: r.text };
}

function localPlan(name) {
  return {
    schema_version: 1, name, environment: 'development', cloud: { provider: 'local', region: 'local' },
    components: [
      { id: 'vm-1', kind: 'vm', name: 'this machine', position: { x: 0, y: 0 },
        os: { family: 'linux', distribution: 'debian', version: '12' },
        hardware: { vcpus: 2, memory_gib: 4 }, disk: { type: 'ssd', size_gib: 20 } },
      { id: 'db', kind: 'postgres', name: 'db', position: { x: 300, y: 0 }, host: 'vm-1', version: '17',
        max_connections: 100, workload: 'web',
        backups: { enabled: false, schedule: '0 3 * * *', retention_days: 7, validate: false },
        topology: { mode: 'single' }, network: { port: 5432, allowed_cidrs: ['10.0.0.0/16'], public: false } },
    ],
  };
}

async function waitForDeployment(id, timeoutMs = 180000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call('GET', `/v1/deployments/${id}`);
    assert.equal(r.status, 200, r.text);
    const d = r.json.deployment;
    if (d.state === 'succeeded' || d.state === 'failed') return d;
    if (Date.now() > deadline) assert.fail(`deployment ${id} still ${d.state} at ${d.step}`);
    await new Promise((r2) => setTimeout(r2, 200));
  }
}

// The targets of a process's open descriptors ("socket:[123]", "/path/file", "pipe:[456]").
function descriptors(pid) {
  const out = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try { out.push(readlinkSync(`/proc/${pid}/fd/${fd}`)); } catch { /* closed meanwhile */ }
  }
  return out;
}

before(async () => {
  assert.ok(bin && existsSync(bin), `CS_GATEWAY_BIN must name the built gateway (got ${bin})`);
  root = mkdtempSync(join(tmpdir(), 'cs-deploy-secrets-'));
  chmodSync(root, 0o711);  // PostgreSQL's user walks through it to data/local
  gateway = await startGateway({
    siteDir: null,
    dataDir: join(root, 'data'),
    env: { ...secrets, CS_DEFAULT_PROVIDER: 'local', CS_MONITOR_INTERVAL_SECONDS: '1' },
  });
  token = (await gateway.signUp('secrets@example.com', 'local-secrets-123')).token;
});

after(async () => {
  if (gateway) await gateway.stop();
  if (root) {
    for (const pid of postmastersUnder(root)) { try { process.kill(pid, 'SIGQUIT'); } catch { /* gone */ } }
    rmSync(root, { recursive: true, force: true });
  }
});

test('a local postmaster inherits no secret and no descriptor of the gateway', async () => {
  const created = await call('POST', '/v1/plan/', localPlan('no secrets inherited'));
  assert.equal(created.status, 201, created.text);
  const planId = created.json.id;
  const deploy = await call('POST', `/v1/plan/${planId}/deploy`);
  assert.equal(deploy.status, 202, deploy.text);
  const done = await waitForDeployment(deploy.json.deployment.id);
  assert.equal(done.state, 'succeeded', done.error ?? '');

  const postmasters = postmastersUnder(root);
  assert.equal(postmasters.length, 1, `postmasters under ${root}: ${postmasters}`);
  const gatewaySockets = new Set(descriptors(gateway.child.pid).filter((d) => d.startsWith('socket:')));
  assert.ok(gatewaySockets.size > 0, 'the gateway has at least its listening socket');

  for (const pid of postmasters) {
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
    const names = environ.map((e) => e.slice(0, e.indexOf('=')));
    for (const [name, value] of Object.entries(secrets)) {
      assert.ok(!environ.some((e) => e.includes(value)), `postmaster ${pid} holds the value of ${name}: ${names}`);
    }
    for (const name of names) {
      assert.ok(!/^(AWS_|CS_|AZURE_|GOOGLE_)/.test(name), `postmaster ${pid} inherited ${name}: ${names}`);
    }
    assert.ok(names.includes('PATH'), `the allowlist keeps PATH: ${names}`);

    const fds = descriptors(pid);
    for (const target of fds) {
      assert.ok(!gatewaySockets.has(target), `postmaster ${pid} holds the gateway's ${target}: ${fds}`);
      assert.ok(!target.includes('cloudsketch.sqlite3'), `postmaster ${pid} holds the database: ${target}`);
      assert.ok(!target.includes('cloudsketch-local-ports'), `postmaster ${pid} holds a port lock: ${target}`);
    }
  }

  const destroy = await call('POST', `/v1/plan/${planId}/destroy`, { final_backup: false });
  assert.equal(destroy.status, 202, destroy.text);
  assert.equal((await waitForDeployment(destroy.json.deployment.id)).state, 'succeeded');
  await eventually(() => postmastersUnder(root), { until: (pids) => pids.length === 0, timeout: 15000,
    what: 'postmasters left after destroy' });
});
