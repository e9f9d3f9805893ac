// API under load (issue 12), side by side in one run against nginx serving the same bytes as a static file:
//  - nginx: GET of the 4 KB plan-list JSON the gateway returns, as a file (the ceiling on this machine);
//  - gateway: the authenticated GET /v1/plan/ of 20 plans (token check + store + JSON), and /healthz;
// each with wrk -t2 -c64 for --seconds, while --idle connections (1000 by default) are held open against the
// server being measured (kept-alive after one request, as browsers leave them). Runs are interleaved
// (nginx, gateway, nginx, gateway, ...) --runs times; prints every run and the medians, the ratio
// gateway/nginx and p99 latencies, and PASS/FAIL against the targets (ratio >= 25%, p99 < 10 ms at 64).
//
//   CS_GATEWAY_BIN=build/native/bin/cs-gateway node bench/api_load.mjs [--runs 3] [--seconds 10] [--idle 1000]
// Needs wrk and nginx (Debian: wrk, nginx-light; scripts/deps installs them). Stops every process by PID.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { startGateway } from '../tests/lib/gateway.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const runs = opt('runs', 3);
const seconds = opt('seconds', 10);
const idle = opt('idle', 1000);
const connections = opt('connections', 64);
for (const tool of ['wrk', 'nginx']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    console.error(`${tool} is missing (apt-get install -y wrk nginx-light)`);
    process.exit(2);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startNginx(body) {
  const dir = mkdtempSync(path.join(tmpdir(), 'cs-bench-nginx-'));
  const port = await freePort();
  writeFileSync(path.join(dir, 'plans.json'), body);
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, `
worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location = /v1/plan/ { default_type application/json; alias ${dir}/plans.json; }
  }
}
`);
  const child = spawn('nginx', ['-c', conf], { stdio: 'ignore' });
  for (let i = 0; i < 100; ++i) {
    const ok = await fetch(`http://127.0.0.1:${port}/v1/plan/`).then((r) => r.ok).catch(() => false);
    if (ok) break;
    await sleep(50);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Opens `n` connections that each make one request and then stay open, idle.
async function holdIdle(url, n, headers = {}) {
  const { hostname, port } = new URL(url);
  const sockets = [];
  let head = `GET /v1/plan/ HTTP/1.1\r\nHost: ${hostname}:${port}\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  for (let i = 0; i < n; ++i) {
    const s = net.connect({ host: hostname, port: Number(port) });
    s.on('error', () => {});
    s.on('data', () => {});
    s.write(`${head}\r\n`);
    sockets.push(s);
    if (i % 100 === 99) await sleep(5);
  }
  await sleep(500);
  return {
    open: () => sockets.filter((s) => !s.destroyed && s.readyState === 'open').length,
    close: () => sockets.forEach((s) => s.destroy()),
  };
}

function parseWrk(text) {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? 0);
  const unit = (value, u) => Number(value) * ({ us: 0.001, ms: 1, s: 1000 }[u] ?? 1);
  const pct = (p) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(text);
    return m ? unit(m[1], m[2]) : NaN;
  };
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0);
  const errors = /Socket errors: (.*)/.exec(text)?.[1] ?? '';
  return { rps, p50: pct(50), p99: pct(99), non2xx, errors };
}

// Async, so this process keeps reading the gateway's log pipe while wrk runs (a blocked reader would stall
// the gateway's log writes and measure the pipe, not the gateway).
function wrk(url, headers = {}) {
  const h = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const child = spawn('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', ...h, url]);
  let out = '';
  child.stdout.on('data', (c) => { out += c; });
  return new Promise((resolve) => child.once('exit', () => resolve(parseWrk(out))));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The gateway logs every request (JSON lines); they go to a file, as nginx's access log would (nginx's is off).
const logDir = mkdtempSync(path.join(tmpdir(), 'cs-bench-log-'));
const gw = await startGateway({ siteDir: null, logFile: path.join(logDir, 'gateway.log'),
                                args: ['--http-workers', String(opt('workers', 16))] });
try {
  const { token } = await gw.signUp('bench@example.com', 'bench-password-1');
  for (let i = 0; i < 20; ++i) {
    const r = await gw.api('POST', '/v1/plan/', token, { name: `bench plan ${String(i).padStart(2, '0')}` });
    if (r.status !== 201) throw new Error(r.text);
  }
  const listed = await fetch(`${gw.url}/v1/plan/`, { headers: { Authorization: `Bearer ${token}` } });
  const body = await listed.text();
  const auth = { Authorization: `Bearer ${token}` };
  console.log(`plan list: ${body.length} bytes, 20 plans; wrk -t2 -c${connections} -d${seconds}s; ${idle} idle connections held`);
  const nginx = await startNginx(body);
  const rows = { nginx: [], gateway: [], healthz: [] };
  try {
    for (let run = 0; run < runs; ++run) {
      let held = await holdIdle(nginx.url, idle);
      const n = await wrk(`${nginx.url}/v1/plan/`);
      held.close();
      held = await holdIdle(gw.url, idle, auth);
      const openDuring = held.open();
      const g = await wrk(`${gw.url}/v1/plan/`, auth);
      const h = await wrk(`${gw.url}/healthz`);
      const stillOpen = held.open();
      held.close();
      rows.nginx.push(n);
      rows.gateway.push(g);
      rows.healthz.push(h);
      console.log(`run ${run + 1}: nginx ${n.rps.toFixed(0)} req/s (p99 ${n.p99} ms) | gateway list ` +
                  `${g.rps.toFixed(0)} req/s (p50 ${g.p50} ms, p99 ${g.p99} ms, non-2xx ${g.non2xx}${g.errors ? `, ${g.errors}` : ''}) ` +
                  `| healthz ${h.rps.toFixed(0)} req/s | ratio ${(100 * g.rps / n.rps).toFixed(1)}% | idle open ${openDuring}->${stillOpen}`);
    }
  } finally {
    await nginx.stop();
  }
  const ratio = median(rows.gateway.map((g, i) => g.rps / rows.nginx[i].rps));
  const p99 = median(rows.gateway.map((g) => g.p99));
  console.log(`nginx_static_rps_median=${median(rows.nginx.map((r) => r.rps)).toFixed(0)}`);
  console.log(`gateway_plan_list_rps_median=${median(rows.gateway.map((r) => r.rps)).toFixed(0)}`);
  console.log(`gateway_healthz_rps_median=${median(rows.healthz.map((r) => r.rps)).toFixed(0)}`);
  console.log(`gateway_over_nginx_ratio_median=${(100 * ratio).toFixed(1)}%`);
  console.log(`gateway_plan_list_p99_ms_median=${p99}`);
  console.log(`${ratio >= 0.25 ? 'PASS' : 'FAIL'} ratio >= 25% (stretch 50%: ${ratio >= 0.5 ? 'PASS' : 'not yet'})`);
  console.log(`${p99 < 10 ? 'PASS' : 'FAIL'} p99 < 10 ms at ${connections} connections with ${idle} idle`);
} finally {
  await gw.stop();
  rmSync(logDir, { recursive: true, force: true });
}
