// Hostile clients against a real cs-gateway process (issue 12): oversized, chunked, compressed and truncated
// bodies; slow heads and bodies; thousands of idle connections; deep and wide JSON; every route with every
// method; tokens expired, revoked, malformed or another user's. Throughout, the gateway must stay up, answer
// others within its normal latency, and lose or change nothing already stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startGateway } from '../lib/gateway.mjs';
import { connect, collect, exchange, parseResponse, memoryMiB, openFds, whileSampling } from '../lib/raw_http.mjs';

const kHeadTimeout = 2;  // seconds, set below; the defaults are 10 and 30
const kBodyTimeout = 3;
let gw;
let site;  // a one-page site, so "/" answers 200 whether or not the web app was built
let host;
let alice;  // owns the plans
let bob;    // another account
const plans = [];  // {id, revision, text}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Through the real path (tests/lib/signup.mjs): the first account at once, the next by its mailed link.
async function signUp(email) {
  return (await gw.signUp(email, 'hostile-test-pw-1')).token;
}

// One GET /healthz on a fresh connection (as a new visitor would), in ms; fails the test if unanswered.
async function healthzMs() {
  const r = await exchange(gw.url, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, 5000);
  assert.equal(r.response?.status, 200, `healthz unanswered: ${r.text.slice(0, 200)}`);
  return r.ms;
}

// Probes /healthz `n` times, `everyMs` apart, while an attack runs; returns the latencies.
async function probe(n, everyMs) {
  const ms = [];
  for (let i = 0; i < n; ++i) {
    ms.push(await healthzMs());
    await sleep(everyMs);
  }
  return ms;
}

function alive() {
  assert.equal(gw.child.exitCode, null, `the gateway exited:\n${gw.log().slice(-2000)}`);
  assert.equal(gw.child.signalCode, null, `the gateway was killed by ${gw.child.signalCode}:\n${gw.log().slice(-2000)}`);
}

before(async () => {
  site = mkdtempSync(path.join(tmpdir(), 'cs-hostile-site-'));
  writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>CloudSketch</title>');
  gw = await startGateway({
    siteDir: site,
    env: { CS_HEADER_TIMEOUT_SECONDS: String(kHeadTimeout), CS_BODY_TIMEOUT_SECONDS: String(kBodyTimeout) },
  });
  host = new URL(gw.url).host;
  alice = await signUp('alice-hostile@example.com');
  bob = await signUp('bob-hostile@example.com');
  for (const name of ['one', 'two', 'three']) {
    const r = await gw.api('POST', '/v1/plan/', alice, { name: `hostile ${name}` });
    assert.equal(r.status, 201, r.text);
    const got = await gw.api('GET', `/v1/plan/${r.body.id}`, alice);
    plans.push({ id: r.body.id, revision: got.body.revision, text: JSON.stringify(got.body.plan) });
  }
});

after(async () => {
  await gw?.stop();
  if (site) rmSync(site, { recursive: true, force: true });
});

test('a second gateway on the same port refuses to start and names the port', async () => {
  const port = new URL(gw.url).port;
  const data = mkdtempSync(path.join(tmpdir(), 'cs-second-'));
  try {
    const second = spawn(process.env.CS_GATEWAY_BIN, ['--port', port, '--bind', '127.0.0.1', '--data-dir', data],
                         { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    second.stdout.on('data', (c) => { output += c; });
    second.stderr.on('data', (c) => { output += c; });
    const code = await Promise.race([
      new Promise((resolve) => second.once('exit', resolve)),
      sleep(15000).then(() => { second.kill('SIGKILL'); return 'still running'; }),
    ]);
    assert.notEqual(code, 'still running', `the second gateway started on port ${port}:\n${output}`);
    assert.notEqual(code, 0);
    assert.match(output, new RegExp(`port ${port}\\b.*in use`), output);
    alive();
    await healthzMs();
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

test('an announced body over the limit is refused at once, before routing and auth, and the connection closed', async () => {
  const r = await exchange(gw.url, `POST /v1/plan/ HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
                                   `Content-Length: 314572800\r\n\r\n{"x":`);
  assert.equal(r.response?.status, 413, r.text.slice(0, 300));
  assert.equal(r.response.json.error.code, 'request.too_large');
  assert.match(r.response.json.error.message, /limit of 1048576 bytes/);
  assert.ok(r.closed, 'the connection must be closed after a 413');
  alive();
});

test('a chunked body is cut off at the limit: 300 MB sent without logging in does not grow the process', async () => {
  const before = memoryMiB(gw.child.pid).rss;
  const { result, maxRss } = await whileSampling(gw.child.pid, async () => {
    const socket = await connect(gw.url);
    const got = collect(socket, 60000);
    socket.write(`POST /v1/plan/ HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
                 'Transfer-Encoding: chunked\r\n\r\n');
    const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 0x20), Buffer.from('\r\n')]);
    let sent = 0;
    let closed = false;
    let answered = false;  // like curl, the client stops sending once an answer arrives
    socket.on('close', () => { closed = true; });
    socket.on('error', () => { closed = true; });
    socket.on('data', () => { answered = true; });
    while (!closed && !answered && sent < 300 * 1024 * 1024) {
      if (!socket.write(chunk)) await new Promise((r) => { socket.once('drain', r); socket.once('close', r); });
      sent += 0x10000;
    }
    const out = await got;
    socket.destroy();
    return { out, sent };
  });
  const response = parseResponse(result.out.text);
  assert.equal(response?.status, 413, result.out.text.slice(0, 300));
  assert.ok(result.sent < 64 * 1024 * 1024, `the server kept reading: ${result.sent} bytes went in`);
  assert.ok(maxRss - before < 48, `RSS grew from ${before.toFixed(1)} to ${maxRss.toFixed(1)} MiB`);
  alive();
});

test('a compressed body is refused, not inflated: a 200 KB gzip bomb costs nothing', async () => {
  const bomb = zlib.gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20), { level: 9 });
  assert.ok(bomb.length < 400 * 1024);
  const before = memoryMiB(gw.child.pid).rss;
  for (const auth of ['', `Authorization: Bearer ${alice}\r\n`]) {
    const { result, maxRss } = await whileSampling(gw.child.pid, async () => {
      const socket = await connect(gw.url);
      const got = collect(socket, 20000);
      socket.write(`POST /v1/plan/ HTTP/1.1\r\nHost: ${host}\r\n${auth}Content-Type: application/json\r\n` +
                   `Content-Encoding: gzip\r\nContent-Length: ${bomb.length}\r\n\r\n`);
      socket.write(bomb);
      const out = await got;
      socket.destroy();
      return out;
    });
    const response = parseResponse(result.text);
    assert.equal(response?.status, 415, result.text.slice(0, 300));
    assert.equal(response.json.error.code, 'request.encoding_unsupported');
    assert.ok(maxRss - before < 24, `RSS grew from ${before.toFixed(1)} to ${maxRss.toFixed(1)} MiB`);
  }
  alive();
});

test('truncated heads and bodies get 408 when their time is up, and the connection is freed', async () => {
  const head = await exchange(gw.url, `GET /v1/me HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Be`, 15000);
  assert.equal(head.response?.status, 408, head.text);
  assert.ok(head.closed);
  assert.ok(head.ms >= kHeadTimeout * 1000 - 300 && head.ms < kHeadTimeout * 1000 + 2500, `after ${head.ms} ms`);
  const body = await exchange(gw.url, `PUT /v1/plan/${plans[0].id} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${alice}\r\n` +
                                      'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"revision": 1', 15000);
  assert.equal(body.response?.status, 408, body.text);
  assert.ok(body.ms < (kHeadTimeout + kBodyTimeout) * 1000 + 2500, `after ${body.ms} ms`);
  // A client that gives up half-way just goes; nothing of it stays.
  const socket = await connect(gw.url);
  socket.write(`POST /v1/plan/ HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 100\r\n\r\nabc`);
  socket.destroy();
  alive();
});

test('slow clients do not slow anyone else: 300 connections trickling their heads', async () => {
  const baseline = await probe(5, 50);
  const sockets = [];
  for (let i = 0; i < 300; ++i) {
    const s = await connect(gw.url);
    s.on('error', () => {});
    s.write('GET /healthz HTTP/1.1\r\nHo');
    sockets.push(s);
  }
  const results = Promise.all(sockets.map((s) => collect(s, 15000)));
  const trickle = setInterval(() => { for (const s of sockets) if (!s.destroyed) s.write('s'); }, 400);
  const during = await probe(20, 100);
  clearInterval(trickle);
  const outcomes = await results;
  for (const s of sockets) s.destroy();
  const worst = Math.max(...during);
  const median = [...during].sort((a, b) => a - b)[10];
  console.log(`healthz on a new connection: idle median ${[...baseline].sort((a, b) => a - b)[2]} ms; ` +
              `with 300 slow clients median ${median} ms, worst ${worst} ms`);
  assert.ok(worst < 500, `healthz took ${worst} ms while slow clients were connected`);
  // Each slow client was answered 408 and closed around the head deadline, not held forever.
  const timedOut = outcomes.filter((o) => parseResponse(o.text)?.status === 408 && o.closed).length;
  assert.equal(timedOut, sockets.length, `${timedOut} of ${sockets.length} slow clients got 408`);
  alive();
});

test('thousands of idle connections are held cheaply while others are served', async () => {
  const sockets = [];
  const fdsBefore = openFds(gw.child.pid);
  // Kept-alive connections that made one request and went quiet, as browsers leave them.
  for (let i = 0; i < 2000; ++i) {
    const s = await connect(gw.url);
    s.on('error', () => {});
    s.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    sockets.push(s);
  }
  await sleep(300);
  const during = await probe(20, 50);
  const worst = Math.max(...during);
  const fds = openFds(gw.child.pid);
  const rss = memoryMiB(gw.child.pid).rss;
  const open = sockets.filter((s) => !s.destroyed && s.readyState === 'open').length;
  console.log(`2000 idle connections from one address: ${fds} fds in the gateway (was ${fdsBefore}), ` +
              `${open} still open client-side, RSS ${rss.toFixed(1)} MiB, healthz worst ${worst} ms`);
  for (const s of sockets) s.destroy();
  assert.ok(worst < 500, `healthz took ${worst} ms with 2000 idle connections`);
  // One address holds at most max_connections_per_client (1024): the oldest idle ones make room.
  assert.ok(fds <= fdsBefore + 1024 + 16, `${fds} descriptors open`);
  alive();
});

test('deep, wide, huge and malformed JSON gets a 4xx that says what is wrong, never a 5xx', async () => {
  const cases = {
    deep: '['.repeat(500000),
    deepObject: '{"a":'.repeat(100000),
    wide: `[${'1,'.repeat(300000)}1]`,
    manyKeys: `{${Array.from({ length: 40000 }, (_, i) => `"k${i}":1`).join(',')}}`,
    longString: JSON.stringify({ name: 'x'.repeat(900000) }),
    hugeNumberBare: '222e2222',
    hugeNumber: '{"name": 1e999}',
    negativeHuge: '{"schema_version": -1e400}',
    invalidUtf8: Buffer.concat([Buffer.from('{"name": "'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]),
    nul: Buffer.from('{"name": "a\u0000b"}'),
    rawNul: Buffer.from([0x7b, 0x00, 0x7d]),
    empty: '',
    notJson: 'name=x',
  };
  for (const [name, body] of Object.entries(cases)) {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
    for (const route of ['/v1/plan/', `/v1/plan/${plans[0].id}`]) {
      const method = route === '/v1/plan/' ? 'POST' : 'PUT';
      const res = await fetch(gw.url + route, {
        method, body: bytes,
        headers: { Authorization: `Bearer ${alice}`, 'Content-Type': 'application/json' },
      });
      const text = await res.text();
      assert.ok(res.status >= 400 && res.status < 500, `${name} ${method} ${route}: ${res.status} ${text.slice(0, 300)}`);
      const json = JSON.parse(text);
      assert.equal(typeof json.error.code, 'string', `${name}: ${text.slice(0, 300)}`);
      assert.ok(json.error.message.length > 10, `${name}: ${text.slice(0, 300)}`);
    }
  }
  alive();
});

// The API's paths with a plan id filled in, from the served OpenAPI document (so new routes are covered).
async function apiPaths(planId) {
  const doc = (await gw.api('GET', '/v1/openapi.json')).body;
  return Object.keys(doc.paths).map((p) => p.replace(/\{[^}]+\}/g, planId));
}

const kMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'FOO'];

async function send(method, urlPath, authorization, body) {
  const headers = { Host: host, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body ?? '')) };
  if (authorization !== undefined) headers.Authorization = authorization;
  let head = `${method} ${urlPath} HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  const r = await exchange(gw.url, `${head}Connection: close\r\n\r\n${body ?? ''}`, 20000);
  assert.ok(r.response, `${method} ${urlPath}: no answer (${r.text.slice(0, 200)})`);
  return r.response;
}

test('every route with every method and every kind of bad token: 401/404/405, never a 5xx', async () => {
  const revokedLogin = await gw.api('POST', '/v1/auth/login', null, { email: 'alice-hostile@example.com', password: 'hostile-test-pw-1' });
  const revoked = revokedLogin.body.token;
  assert.equal((await gw.api('POST', '/v1/auth/logout', revoked)).status, 204);
  const badTokens = {
    none: undefined,
    empty: '',
    scheme: 'Bearer',
    basic: 'Basic YWxpY2U6cHc=',
    garbage: 'Bearer !!!not-a-token!!!',
    long: `Bearer ${'a'.repeat(6000)}`,
    latin1: 'Bearer \u00ff\u00fe',
    revoked: `Bearer ${revoked}`,
  };
  const publicPaths = new Set(['/v1/auth/signup', '/v1/auth/verify', '/v1/auth/login', '/v1/openapi.json', '/healthz',
                               '/readyz', '/']);
  const paths = await apiPaths(plans[1].id);
  let checked = 0;
  for (const p of paths) {
    for (const method of kMethods) {
      for (const [kind, authorization] of Object.entries(badTokens)) {
        const r = await send(method, p, authorization, method === 'GET' || method === 'HEAD' ? '' : '{}');
        checked++;
        assert.ok(r.status < 500, `${method} ${p} with ${kind} token: ${r.status} ${r.body.slice(0, 200)}`);
        if (!publicPaths.has(p) && r.status !== 405 && r.status !== 400) {
          assert.equal(r.status, 401, `${method} ${p} with ${kind} token: ${r.status} ${r.body.slice(0, 200)}`);
        }
        if (r.status === 405) assert.ok(r.headers.allow, `${method} ${p}: 405 without Allow`);
      }
      // Another user's valid token never reaches Alice's plan: for Bob it is exactly a plan that does not exist.
      if (p.includes(plans[1].id)) {
        const body = method === 'GET' || method === 'HEAD' ? '' : '{}';
        const theirs = await send(method, p, `Bearer ${bob}`, body);
        const none = await send(method, p.replace(plans[1].id, 'p_doesnotexist0000'), `Bearer ${bob}`, body);
        assert.ok(theirs.status < 500 && theirs.status !== 200 && theirs.status !== 202,
                  `${method} ${p} as Bob: ${theirs.status} ${theirs.body.slice(0, 200)}`);
        assert.equal(theirs.status, none.status, `${method} ${p} as Bob differs from a missing plan`);
        assert.equal(theirs.json?.error?.code, none.json?.error?.code, `${method} ${p} as Bob`);
      }
    }
  }
  // Alice's own session (a second one: POST /v1/auth/logout ends it) on a plan that does not exist, for the
  // methods that would change something.
  const scratch = (await gw.api('POST', '/v1/auth/login', null,
                                { email: 'alice-hostile@example.com', password: 'hostile-test-pw-1' })).body.token;
  for (const p of await apiPaths('p_doesnotexist0000')) {
    for (const method of kMethods) {
      const r = await send(method, p, `Bearer ${scratch}`, method === 'GET' || method === 'HEAD' ? '' : '{"x":1}');
      assert.ok(r.status < 500, `${method} ${p} as Alice: ${r.status} ${r.body.slice(0, 200)}`);
    }
  }
  console.log(`${checked} route x method x token combinations checked`);
  alive();
});

test('an expired token is refused everywhere', async () => {
  const short = await startGateway({ siteDir: null, env: { CS_TOKEN_LIFETIME_SECONDS: '1' } });
  try {
    const r = await short.api('POST', '/v1/auth/signup', null, { email: 'expiring@example.com', password: 'hostile-test-pw-1' });
    const token = r.body.token;
    assert.equal((await short.api('GET', '/v1/me', token)).status, 200);
    await sleep(1500);
    for (const p of ['/v1/me', '/v1/plan/', '/v1/account/aws']) {
      const got = await short.api('GET', p, token);
      assert.equal(got.status, 401, `${p}: ${got.text}`);
      assert.match(got.body.error.message, /expired or revoked/);
    }
  } finally {
    await short.stop();
  }
});

test('pipelined requests are all answered, in order', async () => {
  const socket = await connect(gw.url);
  const got = collect(socket, 10000);
  let batch = '';
  for (let i = 0; i < 50; ++i) {
    batch += `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-Request-Id: pipe-${i}\r\n\r\n`;
  }
  socket.write(`${batch}GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-Request-Id: pipe-last\r\nConnection: close\r\n\r\n`);
  const out = await got;
  let rest = out.text;
  const ids = [];
  for (let r = parseResponse(rest); r; r = parseResponse(rest)) {
    ids.push(r.headers['x-request-id']);
    rest = r.rest;
  }
  assert.deepEqual(ids, [...Array.from({ length: 50 }, (_, i) => `pipe-${i}`), 'pipe-last']);
  assert.ok(out.closed);
});

test('request smuggling shapes are refused and the connection closed', async () => {
  for (const bytes of [
    `POST /v1/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    `POST /v1/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde`,
    `POST /v1/auth/login HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: xchunked\r\n\r\n`,
    `GET / HTTP/1.1\r\nHost: ${host}\r\n Transfer-Encoding: chunked\r\n\r\n`,
  ]) {
    const r = await exchange(gw.url, bytes);
    assert.ok([400, 501].includes(r.response?.status), `${JSON.stringify(bytes)} -> ${r.text.slice(0, 200)}`);
    assert.ok(r.closed);
  }
});

test('nothing stored was lost or changed, and the gateway is the same process', async () => {
  alive();
  for (const plan of plans) {
    const got = await gw.api('GET', `/v1/plan/${plan.id}`, alice);
    assert.equal(got.status, 200, got.text);
    assert.equal(got.body.revision, plan.revision);
    assert.equal(JSON.stringify(got.body.plan), plan.text);
  }
  const list = await gw.api('GET', '/v1/plan/', alice);
  assert.deepEqual(list.body.items.map((p) => p.id).sort(), plans.map((p) => p.id).sort());
});
