// The local target end to end through the API, against the built cs-gateway (CS_GATEWAY_BIN) and Debian's
// real PostgreSQL: deploy -> orange -> green, psql with the returned details and password shows the tuned
// settings, re-deploy (restart + reload), a validated backup, destroy leaving nothing running, a primary
// with a replica, and a gateway killed with SIGKILL mid-deployment that finishes on restart with one server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, existsSync, chmodSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postmastersUnder } from '../lib/postmasters.mjs';
import { eventually } from '../lib/eventually.mjs';
import { startGateway as startGatewayProcess } from '../lib/gateway.mjs';

const bin = process.env.CS_GATEWAY_BIN;
const psql = '/usr/bin/psql';
let root;        // temp folder: data/ is the gateway's data dir, kept across the kill -9 test's two runs
let gateway;     // tests/lib/gateway.mjs
let token;

function startGateway() {
  return startGatewayProcess({
    siteDir: null,
    dataDir: join(root, 'data'),
    env: { CS_MONITOR_INTERVAL_SECONDS: '1', CS_DEPLOY_LEASE_SECONDS: '2', CS_DEFAULT_PROVIDER: 'local' },
  });
}

// {status, json, text}: the gateway's answer to the signed-up user.
async function call(method, path, body) {
  const r = await gateway.api(method, path, token, body);
  return { status: r.status, json: r.body, text: r.text };
}

function localPlan(name, { replicas = 0, maxConnections = 100 } = {}) {
  return {
    schema_version: 1, name, environment: 'development', cloud: { provider: 'local', region: 'local' },
    components: [
      { id: 'vm-1', kind: 'vm', name: 'this machine', position: { x: 0, y: 0 },
        os: { family: 'linux', distribution: 'debian', version: '12' },
        hardware: { vcpus: 2, memory_gib: 4 }, disk: { type: 'ssd', size_gib: 20 } },
      { id: 'db', kind: 'postgres', name: 'db', position: { x: 300, y: 0 }, host: 'vm-1', version: '17',
        max_connections: maxConnections, workload: 'web',
        backups: { enabled: true, schedule: '0 3 * * *', retention_days: 7, validate: true },
        topology: replicas ? { mode: 'primary-replicas', replicas } : { mode: 'single' },
        network: { port: 5432, allowed_cidrs: ['10.0.0.0/16'], public: false } },
    ],
  };
}

// Polls the plan until its light is `light` (failing fast on red unless red is wanted); returns the plan.
// Generous: a fresh 2-core CI machine runs initdb and starts PostgreSQL while other suites load it.
async function waitForLight(planId, light, { timeoutMs = 180000, seen } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call('GET', `/v1/plan/${planId}`);
    assert.equal(r.status, 200, r.text);
    const status = r.json.status;
    if (seen) seen.add(status.light);
    if (status.light === light) return r.json;
    if (status.light === 'red' && light !== 'red') assert.fail(`plan went red: ${status.reason}`);
    if (Date.now() > deadline) assert.fail(`light stayed ${status.light} (${status.reason ?? ''}), wanted ${light}`);
    await new Promise((r2) => setTimeout(r2, 150));
  }
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

// A stopped postmaster may still be exiting (and unreaped) for a moment after the job that stopped it has
// succeeded: wait until exactly `count` are left under `dir`, and fail with the PIDs still there.
function postmastersLeft(dir, count, what) {
  return eventually(() => postmastersUnder(dir), { until: (pids) => pids.length === count, timeout: 15000, what });
}

// Asynchronous on purpose: a synchronous psql blocks node's event loop, so fetch's keep-alive timer cannot
// drop a connection the gateway closed meanwhile (idle > 5 s on a loaded machine), and the next call fails.
async function psqlQuery(conn, password, sql) {
  const { stdout } = await promisify(execFile)(psql, ['-X', '-At', '-c', sql,
    `host=${conn.endpoints[0].host} port=${conn.endpoints[0].port} dbname=${conn.database} user=${conn.user} sslmode=require`],
  { env: { ...process.env, PGPASSWORD: password }, encoding: 'utf8' });
  return stdout.trim();
}

before(async () => {
  assert.ok(bin && existsSync(bin), `CS_GATEWAY_BIN must name the built gateway (got ${bin})`);
  root = mkdtempSync(join(tmpdir(), 'cs-deploy-local-'));
  chmodSync(root, 0o711);  // PostgreSQL's user walks through it to data/local
  gateway = await startGateway();
  token = (await gateway.signUp('local@example.com', 'local-target-123')).token;
});

after(async () => {
  if (gateway) await gateway.stop();
  // Whatever a failed test left running: stop it by PID, then remove the files.
  if (root) {
    for (const pid of postmastersUnder(root)) { try { process.kill(pid, 'SIGQUIT'); } catch { /* gone */ } }
    rmSync(root, { recursive: true, force: true });
  }
});

test('with default_provider local (what scripts/run sets without cloud credentials) a new plan is local', async () => {
  const created = await call('POST', '/v1/plan/', {});
  assert.equal(created.status, 201, created.text);
  assert.deepEqual(created.json.plan.cloud, { provider: 'local', region: 'local' });
  assert.equal((await call('DELETE', `/v1/plan/${created.json.id}`)).status, 204);
});

test('single server: deploy -> orange -> green, psql shows the tuned settings, redeploy, backup, destroy', async () => {
  const created = await call('POST', '/v1/plan/', localPlan('local single'));
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  const deploy = await call('POST', `/v1/plan/${id}/deploy`);
  assert.equal(deploy.status, 202, deploy.text);
  const seen = new Set();
  await waitForLight(id, 'green', { seen });
  assert.ok(seen.has('orange'), `the light went ${[...seen]} but never orange`);
  const done = (await call('GET', `/v1/deployments/${deploy.json.deployment.id}`)).json.deployment;
  assert.ok(done.events.some((e) => e.level === 'warning' && /PostgreSQL 17 is not installed.*running 1\d/.test(e.message)),
    'the version fallback is reported');

  const conn = (await call('GET', `/v1/plan/${id}/connection`)).json;
  assert.equal(conn.endpoints.length, 1);
  assert.equal(conn.endpoints[0].host, '127.0.0.1');
  const password = (await call('POST', `/v1/plan/${id}/connection/password`)).json.password;
  assert.ok(password.length >= 16);
  // The plan's VM (2 vCPUs, 4 GiB): PGTune gives a quarter of RAM to shared_buffers.
  assert.equal(await psqlQuery(conn, password, 'SHOW shared_buffers'), '1GB');
  assert.equal(await psqlQuery(conn, password, 'SHOW max_connections'), '100');
  assert.equal(await psqlQuery(conn, password, 'SHOW ssl'), 'on');
  const workMem = await psqlQuery(conn, password, 'SHOW work_mem');
  await assert.rejects(psqlQuery(conn, 'wrong password', 'SELECT 1'));

  // Re-deploy with fewer connections: max_connections restarts, the work_mem PGTune derives reloads.
  const current = (await call('GET', `/v1/plan/${id}`)).json;
  const changed = localPlan('local single', { maxConnections: 60 });
  const put = await call('PUT', `/v1/plan/${id}`, { revision: current.revision, plan: { ...changed, id } });
  assert.equal(put.status, 200, put.text);
  const redeploy = await call('POST', `/v1/plan/${id}/deploy`);
  assert.equal(redeploy.status, 202, redeploy.text);
  const re = await waitForDeployment(redeploy.json.deployment.id);
  assert.equal(re.state, 'succeeded', re.error);
  const messages = re.events.map((e) => e.message).join('\n');
  assert.match(messages, /restart needed for max_connections 100 -> 60/);
  assert.match(messages, /reload applies work_mem/);
  assert.equal(await psqlQuery(conn, password, 'SHOW max_connections'), '60');
  assert.notEqual(await psqlQuery(conn, password, 'SHOW work_mem'), workMem);
  await waitForLight(id, 'green');

  // A backup, validated by a restore into a scratch server.
  await psqlQuery(conn, password, 'CREATE TABLE t (n int); INSERT INTO t SELECT generate_series(1, 100)');
  const backup = await call('POST', `/v1/plan/${id}/backup`, { validate: true });
  assert.equal(backup.status, 202, backup.text);
  const b = await waitForDeployment(backup.json.deployment.id);
  assert.equal(b.state, 'succeeded', b.error);
  assert.ok(b.events.some((e) => /validated/.test(e.message)), 'the backup was validated');
  const folder = join(root, 'data', 'local', id, 'backups', 'db');
  assert.equal(readdirSync(folder).length, 1);

  // Destroy: nothing runs afterwards, no data is left (the final backup is kept).
  const planDir = join(root, 'data', 'local', id);
  assert.equal(postmastersUnder(planDir).length, 1);
  const destroy = await call('POST', `/v1/plan/${id}/destroy`, { final_backup: true });
  assert.equal(destroy.status, 202, destroy.text);
  const gone = await waitForDeployment(destroy.json.deployment.id);
  assert.equal(gone.state, 'succeeded', gone.error);
  await postmastersLeft(planDir, 0, 'no server left running after destroy');
  assert.deepEqual(readdirSync(planDir), ['backups']);
  await waitForLight(id, 'grey');
});

test('primary + 1 replica: a row written on the primary is read on the replica', async () => {
  const created = await call('POST', '/v1/plan/', localPlan('local replicas', { replicas: 1 }));
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  assert.equal((await call('POST', `/v1/plan/${id}/deploy`)).status, 202);
  await waitForLight(id, 'green');
  const conn = (await call('GET', `/v1/plan/${id}/connection`)).json;
  assert.deepEqual(conn.endpoints.map((e) => e.role), ['primary', 'replica']);
  const password = (await call('POST', `/v1/plan/${id}/connection/password`)).json.password;
  await psqlQuery(conn, password, "CREATE TABLE r (v text); INSERT INTO r VALUES ('from the primary')");
  const replica = { ...conn, endpoints: [conn.endpoints[1]] };
  // Replication is asynchronous: until the replica has replayed the insert, the table or row is missing there.
  await eventually(() => psqlQuery(replica, password, 'SELECT v FROM r'),
                   { until: (v) => v === 'from the primary', timeout: 30000, what: 'the row replayed on the replica' });
  assert.equal(await psqlQuery(replica, password, 'SELECT pg_is_in_recovery()'), 't');
  const destroy = await call('POST', `/v1/plan/${id}/destroy`, { final_backup: false });
  assert.equal((await waitForDeployment(destroy.json.deployment.id)).state, 'succeeded');
  await postmastersLeft(join(root, 'data', 'local', id), 0, 'no server left running after destroy');
  assert.equal(existsSync(join(root, 'data', 'local', id)), false);
});

test('kill -9 of the gateway mid-deployment: after a restart it finishes with one server, not two', async () => {
  const created = await call('POST', '/v1/plan/', localPlan('local crash'));
  const id = created.json.id;
  const deploy = await call('POST', `/v1/plan/${id}/deploy`);
  assert.equal(deploy.status, 202, deploy.text);
  // Kill it once the cluster is being made or started (install/configure), the riskiest moment.
  const deadline = Date.now() + 60000;
  for (;;) {
    const d = (await call('GET', `/v1/deployments/${deploy.json.deployment.id}`)).json.deployment;
    if (d.step === 'install' || d.step === 'configure' || d.state !== 'running' && d.state !== 'queued') break;
    assert.ok(Date.now() < deadline, 'the deployment never reached install');
    await new Promise((r) => setTimeout(r, 20));
  }
  await gateway.stop('SIGKILL');
  gateway = await startGateway();
  await waitForLight(id, 'green', { timeoutMs: 120000 });
  const d = await waitForDeployment(deploy.json.deployment.id);
  assert.equal(d.state, 'succeeded', d.error);
  // One server: an orphan the killed gateway started must be gone (it may take a moment to exit), not kept.
  await postmastersLeft(join(root, 'data', 'local', id), 1, 'exactly one server after the restart');
  const conn = (await call('GET', `/v1/plan/${id}/connection`)).json;
  const password = (await call('POST', `/v1/plan/${id}/connection/password`)).json.password;
  assert.equal(await psqlQuery(conn, password, 'SELECT 1'), '1');
  const destroy = await call('POST', `/v1/plan/${id}/destroy`, { final_backup: false });
  assert.equal((await waitForDeployment(destroy.json.deployment.id)).state, 'succeeded');
  await postmastersLeft(join(root, 'data', 'local', id), 0, 'no server left running after destroy');
});
