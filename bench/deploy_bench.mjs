// Deploy benchmark (issue 5), through the real gateway and Debian's real PostgreSQL:
//  1. Time from POST /v1/plan/{id}/deploy to a green light (local target), against the bare
//     `initdb` + `pg_ctl start -w` of the same PostgreSQL on the same machine, in the same run,
//     interleaved (bare, deploy, bare, deploy, ...). Prints both medians and the ratio (target < 1.5x).
//  2. 20 plans deployed at once: API latency (GET /v1/plan/ and GET /v1/deployments/{id}) during the
//     burst against idle, p50/p99.
//
//   CS_GATEWAY_BIN=build/native/bin/cs-gateway node bench/deploy_bench.mjs [--reps N] [--burst N]
// Prints "name value" lines (deploy_to_green_ms_median=..., bare_initdb_start_ms_median=..., ...) that
// bench/run_benchmarks.sh reads, and PASS/FAIL for the ratio. Every process it starts is stopped by PID.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postmastersUnder } from '../tests/lib/postmasters.mjs';
import { startGateway } from '../tests/lib/gateway.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const reps = opt('reps', 5);
const burst = opt('burst', 20);
const bin = process.env.CS_GATEWAY_BIN;
if (!bin || !existsSync(bin)) {
  console.error(`CS_GATEWAY_BIN must name the built cs-gateway (got ${bin})`);
  process.exit(2);
}

// The PostgreSQL the local target runs for this plan: the newest installed (the plan asks for 17; Debian
// 12 has 15, and the deployment falls back to the newest, as its warning event says).
const pgLib = '/usr/lib/postgresql';
const major = readdirSync(pgLib).filter((d) => /^\d+$/.test(d) && existsSync(join(pgLib, d, 'bin', 'initdb')))
  .map(Number).sort((a, b) => b - a)[0];
const pgBin = join(pgLib, String(major), 'bin');

// The bare baseline runs as the same user the gateway's servers run as: postgres when we are root.
function serverUser() {
  if (process.getuid() !== 0) return {};
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
const as = serverUser();

const root = mkdtempSync(join(tmpdir(), 'cs-deploy-bench-'));
chmodSync(root, 0o711);
let gateway;  // tests/lib/gateway.mjs
let token;

function cleanup() {
  // Postmasters whose data folder is under root (a bare cluster or a deployment left behind): by PID.
  for (const pid of postmastersUnder(root)) {
    try { process.kill(pid, 'SIGQUIT'); } catch { /* gone */ }
  }
}

async function call(method, path, body) {
  const r = await gateway.api(method, path, token, body);
  return { status: r.status, json: r.body, text: r.text };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForLight(id, light, timeoutMs = 180000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call('GET', `/v1/plan/${id}`);
    const s = r.json?.status;
    if (s?.light === light) return;
    if (s?.light === 'red') throw new Error(`plan ${id} went red: ${s.reason}`);
    if (Date.now() > deadline) throw new Error(`plan ${id} stayed ${s?.light}, wanted ${light}`);
    await sleep(10);
  }
}

async function waitForDeployment(id, timeoutMs = 180000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = (await call('GET', `/v1/deployments/${id}`)).json?.deployment;
    if (d && (d.state === 'succeeded' || d.state === 'failed')) return d;
    if (Date.now() > deadline) throw new Error(`deployment ${id} did not finish`);
    await sleep(50);
  }
}

// A default plan as a new user gets it (POST /v1/plan/ with a name), which is local here.
async function newPlan(name) {
  const r = await call('POST', '/v1/plan/', { name });
  if (r.status !== 201) throw new Error(`create plan: ${r.status} ${r.text}`);
  return r.json.id;
}

async function deployToGreen(id) {
  const t0 = performance.now();
  const r = await call('POST', `/v1/plan/${id}/deploy`);
  if (r.status !== 202) throw new Error(`deploy: ${r.status} ${r.text}`);
  await waitForLight(id, 'green');
  const ms = performance.now() - t0;
  return { ms, deployment: r.json.deployment.id };
}

async function destroy(id) {
  const r = await call('POST', `/v1/plan/${id}/destroy`, { final_backup: false });
  if (r.status !== 202) throw new Error(`destroy: ${r.status} ${r.text}`);
  const d = await waitForDeployment(r.json.deployment.id);
  if (d.state !== 'succeeded') throw new Error(`destroy failed: ${d.error}`);
}

function run(argv, options = {}) {
  return new Promise((resolve, reject) => {
    const c = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], cwd: '/', ...as, ...options });
    let err = '';
    c.stderr.on('data', (d) => { err += d; });
    c.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${argv.join(' ')}: ${code} ${err}`))));
  });
}

// The bare baseline: initdb, then pg_ctl start -w, on a loopback port with the socket in the data folder.
let barePort = 45400;
async function bareInitdbStart(n) {
  const home = join(root, `bare-${n}`);  // the server user's: its data folder and its log
  mkdirSync(home, { mode: 0o700 });
  if (as.uid !== undefined) chownSync(home, as.uid, as.gid);
  const dir = join(home, 'data');
  const port = barePort++;
  const t0 = performance.now();
  await run([join(pgBin, 'initdb'), '-D', dir, '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8']);
  await run([join(pgBin, 'pg_ctl'), 'start', '-w', '-D', dir, '-l', join(home, 'log'),
    '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir}`]);
  const ms = performance.now() - t0;
  await run([join(pgBin, 'pg_ctl'), 'stop', '-w', '-m', 'fast', '-D', dir]);
  rmSync(home, { recursive: true, force: true });
  return ms;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
const f1 = (x) => x.toFixed(1);

// Latency of the two reads a dashboard makes, sampled one after the other until `until()` says stop.
async function sampleLatency(ids, deploymentIds, until) {
  const lists = [];
  const gets = [];
  let i = 0;
  while (!until()) {
    let t = performance.now();
    const a = await call('GET', '/v1/plan/');
    lists.push(performance.now() - t);
    if (a.status !== 200) throw new Error(`GET /v1/plan/: ${a.status}`);
    t = performance.now();
    const b = await call('GET', `/v1/deployments/${deploymentIds[i++ % deploymentIds.length]}`);
    gets.push(performance.now() - t);
    if (b.status !== 200) throw new Error(`GET deployment: ${b.status}`);
  }
  return { lists, gets };
}

async function main() {
  // The default monitor period and lease: what a user runs.
  gateway = await startGateway({ siteDir: null, dataDir: join(root, 'data'), env: { CS_DEFAULT_PROVIDER: 'local' } });
  token = (await gateway.signUp('bench@example.com', 'deploy-bench-123')).token;
  console.log(`== deploy to green vs bare initdb + pg_ctl start -w (PostgreSQL ${major}, ${reps} interleaved repetitions)`);

  // A warm-up of each, not counted: the first initdb and the first deploy pay for cold caches.
  await bareInitdbStart('warm');
  const warm = await newPlan('warm-up');
  await deployToGreen(warm);
  await destroy(warm);

  const bare = [];
  const deploy = [];
  for (let r = 0; r < reps; r++) {
    bare.push(await bareInitdbStart(r));
    const id = await newPlan(`bench ${r}`);
    const { ms, deployment } = await deployToGreen(id);
    deploy.push(ms);
    if (r === 0) {
      // Where the time goes: each step's duration from the deployment's events ("Install done in 1.2 s.").
      const d = (await call('GET', `/v1/deployments/${deployment}`)).json.deployment;
      const steps = d.events.map((e) => /^(\w+) done in ([\d.]+) s\.$/.exec(e.message)).filter(Boolean)
        .map((m) => `${m[1].toLowerCase()}=${m[2]}s`).join(' ');
      console.log(`steps (first repetition): ${steps}`);
    }
    console.log(`rep ${r + 1}: bare ${f1(bare[r])} ms, deploy to green ${f1(ms)} ms`);
    await destroy(id);
  }
  const bareMed = median(bare);
  const deployMed = median(deploy);
  const ratio = deployMed / bareMed;
  console.log(`bare_initdb_start_ms_median=${f1(bareMed)}`);
  console.log(`deploy_to_green_ms_median=${f1(deployMed)}`);
  console.log(`deploy_ratio=${ratio.toFixed(2)}`);

  console.log(`== API latency: idle vs ${burst} plans deploying at once`);
  const ids = [];
  for (let i = 0; i < burst; i++) ids.push(await newPlan(`burst ${i}`));
  // Deployment ids for the idle sample: the repetitions' (finished) deployments.
  const finished = (await call('GET', `/v1/plan/${warm}/deployments`)).json.items.map((d) => d.id);
  const idleEnd = performance.now() + 3000;
  const idle = await sampleLatency(ids, finished, () => performance.now() > idleEnd);

  const t0 = performance.now();
  const posted = await Promise.all(ids.map((id) => call('POST', `/v1/plan/${id}/deploy`)));
  const postMs = performance.now() - t0;
  for (const p of posted) if (p.status !== 202) throw new Error(`burst deploy: ${p.status} ${p.text}`);
  const depIds = posted.map((p) => p.json.deployment.id);
  let done = false;
  const all = Promise.all(depIds.map((d) => waitForDeployment(d, 600000))).then((ds) => { done = true; return ds; });
  const busy = await sampleLatency(ids, depIds, () => done);
  const ds = await all;
  const burstMs = performance.now() - t0;
  const failedBurst = ds.filter((d) => d.state !== 'succeeded');
  if (failedBurst.length) throw new Error(`${failedBurst.length} burst deployments failed: ${failedBurst[0].error}`);

  const row = (name, xs) => console.log(`${name} n=${xs.length} p50_ms=${f1(pct(xs, 50))} p99_ms=${f1(pct(xs, 99))}`);
  row('idle_list_plans', idle.lists);
  row('idle_get_deployment', idle.gets);
  row('burst_list_plans', busy.lists);
  row('burst_get_deployment', busy.gets);
  console.log(`burst_post_all_ms=${f1(postMs)} burst_all_green_ms=${f1(burstMs)}`);
  for (const id of ids) await destroy(id);

  const ok = ratio < 1.5;
  console.log(`${ok ? 'PASS' : 'FAIL'} deploy to green within 1.5x of bare initdb + pg_ctl start: ${ratio.toFixed(2)}x`);
  return ok;
}

let ok = false;
try {
  ok = await main();
} catch (e) {
  console.error(`deploy_bench: ${e.stack || e}`);
} finally {
  if (gateway) await gateway.stop();
  cleanup();
  rmSync(root, { recursive: true, force: true });
}
process.exitCode = ok ? 0 : 1;
