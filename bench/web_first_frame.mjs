// Time from navigation start to the web app's first frame, in headless Chromium, over loopback.
// Serves the site with a minimal static server (no gateway needed) and loads /#app, which starts the
// app at once. The cache is always cold (fresh profile each load: empty HTTP cache, no service worker).
// Two figures, both reported (CS_FIRST_FRAME_MODES=cold,warm picks):
//   cold process: a new browser process per load. Includes the GPU process's own start, which in
//                 SwiftShader means compiling the compositor's shaders before the page is drawn at all.
//   warm process: one browser, already running and having drawn a page, opens each load in a NEW
//                 browser context. A real visitor's browser is already running when they open the page.
// Prints the median and range of N loads per mode (default 5, or CS_FIRST_FRAME_RUNS) and exits non-zero
// when either median is over the 1.5 s target.
//   node bench/web_first_frame.mjs [site-dir ...]   (default build/web/site)
// With several site folders (say a copy of the site before a change, and after), loads alternate between
// them, so a busy machine slows both alike, and the report has one column per site: an A/B in one run.
//
// It also splits that time into phases (median of each, ms since navigation start), from the page's
// own User Timing marks ("cs:*": assets/boot.js and web/src/main.cpp), Resource Timing for the three
// downloads, and WebAssembly.instantiate* wrapped by an init script (compile + instantiate).
//   CS_FIRST_FRAME_PROFILE=out.cpuprofile  also records a V8 CPU profile of the last load (open it in
//   Chrome DevTools) and prints the functions with the most self time.
import http from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { launchBrowser, chromium, chromiumArgs, chromiumPath } from '../tests/browser/harness.mjs';

const sites = (process.argv.length > 2 ? process.argv.slice(2) : ['build/web/site']).map((dir) => path.resolve(dir));
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
                '.svg': 'image/svg+xml', '.data': 'application/octet-stream' };
async function serve(site) {
  const server = http.createServer(async (req, res) => {
    const file = path.join(site, decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/\/$/, '/index.html'));
    if (!file.startsWith(site)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/#app` };
}
const servers = await Promise.all(sites.map(serve));

// Runs before any page script: marks when the wasm module is handed to V8 and when it is ready,
// whichever of the WebAssembly entry points the loader uses.
function wrapWasm() {
  for (const name of ['instantiateStreaming', 'instantiate', 'compileStreaming', 'compile']) {
    const original = WebAssembly[name];
    if (typeof original !== 'function') continue;
    WebAssembly[name] = function (...args) {
      performance.mark(`wasm:${name}:begin`);
      return original.apply(this, args).then((result) => { performance.mark(`wasm:${name}:end`); return result; });
    };
  }
}

// Phases in page order: [label, how to read its time from one load's entries].
const phases = [
  ['boot.js runs', (e) => e.mark['cs:boot']],
  ['app.js requested', (e) => e.mark['cs:load-app']],
  ['app.js downloaded', (e) => e.res['app.js']?.responseEnd],
  // The page's own requests, or those of its loader worker (assets/app_loader.js marks them).
  ['app.wasm requested', (e) => e.res['app.wasm']?.startTime ?? e.mark['cs:app.wasm-requested']],
  ['app.data requested', (e) => e.res['app.data']?.startTime ?? e.mark['cs:app.data-requested']],
  ['app.wasm downloaded', (e) => e.res['app.wasm']?.responseEnd ?? e.mark['cs:app.wasm-downloaded']],
  ['app.data downloaded', (e) => e.res['app.data']?.responseEnd ?? e.mark['cs:app.data-downloaded']],
  ['wasm compiled', (e) => e.mark['wasm:compileStreaming:end'] ?? e.mark['wasm:compile:end'] ?? e.mark['cs:wasm-compiled']],
  ['wasm compiled + instantiated', (e) => e.mark['wasm:instantiateStreaming:end'] ?? e.mark['wasm:instantiate:end']],
  ['main() entered', (e) => e.mark['cs:main']],
  ['WebGL context created', (e) => e.mark['cs:gl-context']],
  ['fonts loaded + atlas built', (e) => e.mark['cs:font-atlas']],
  ['ImGui + backends ready', (e) => e.mark['cs:imgui-ready']],
  ['main() returned', (e) => e.mark['cs:main-returned']],
  ['first frame: begins', (e) => e.mark['cs:frame1-begin']],
  ['first frame: GL objects made', (e) => e.mark['cs:frame1-gl-objects']],
  ['first frame: UI built', (e) => e.mark['cs:frame1-ui']],
  ['first frame: drawn', (e) => e.mark['cs:frame1-drawn']],
  ['csUi.frame() >= 1 seen', (e) => e.seen],
];

const profilePath = process.env.CS_FIRST_FRAME_PROFILE;
const settleMs = Number(process.env.CS_FIRST_FRAME_SETTLE_MS || 0);
const count = Math.max(1, Number(process.env.CS_FIRST_FRAME_RUNS || 5));
const modes = (process.env.CS_FIRST_FRAME_MODES || 'cold,warm').split(',').filter((m) => m === 'cold' || m === 'warm');
const modeTitle = {
  cold: 'COLD browser process (a new browser per load)',
  warm: 'WARM browser process (one running browser, a new context per load)',
};
const loads = Object.fromEntries(modes.map((m) => [m, sites.map(() => [])]));  // per mode, per site: loads
const warm = modes.includes('warm') ? await launchWarmBrowser() : null;
// Interleaved (mode, site) so a busy machine slows every column alike.
for (let i = 0; i < count; i++) {
  for (const mode of modes) {
    for (let s = 0; s < sites.length; s++) {
      const profiling = profilePath && mode === modes[modes.length - 1] && i === count - 1 && s === sites.length - 1;
      loads[mode][s].push(mode === 'cold' ? await coldLoad(servers[s].url, profiling)
                                          : await warmLoad(warm, servers[s].url, profiling));
    }
  }
}
if (warm) await warm.browser.close();
for (const { server } of servers) server.close();

// CPU seconds used so far by one browser: the process started with `userDataDir` and all its
// descendants (renderer, GPU process with SwiftShader's threads, network service). Wall-clock time on a
// shared machine depends on what else runs; the CPU a load costs much less so.
function browserCpuSeconds(isRoot) {
  const procs = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      procs.push({ pid: Number(pid), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]),
                   root: isRoot(Number(pid), Number(fields[1]), cmdline),
                   type: (/--type=([a-z-]+)/.exec(cmdline) || [null, 'browser'])[1] +
                         ((/--utility-sub-type=([\w.]+)/.exec(cmdline) || [null, ''])[1] ? '/' + /--utility-sub-type=([\w.]+)/.exec(cmdline)[1] : '') });
    } catch { /* exited meanwhile */ }
  }
  const mine = new Set(procs.filter((p) => p.root).map((p) => p.pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) if (!mine.has(p.pid) && mine.has(p.ppid)) { mine.add(p.pid); grew = true; }
  }
  const byType = {};
  for (const p of procs) if (mine.has(p.pid)) byType[p.type] = (byType[p.type] || 0) + p.ticks / 100;  // USER_HZ
  return byType;
}
function cpuTotal(byType) { return Object.values(byType).reduce((a, b) => a + b, 0); }

// Chromium processes started by this node process (the browsers' roots).
function childBrowsers() {
  const pids = new Set();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid) pids.add(Number(pid));
    } catch { /* exited meanwhile */ }
  }
  return pids;
}

// The running browser of the warm mode: launched once, then shown an ordinary page (text, no WebGL) so
// its GPU process is up and has drawn, as in a visitor's browser. Nothing of the site is loaded here.
async function launchWarmBrowser() {
  const before = childBrowsers();
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  const rootPid = [...childBrowsers()].find((pid) => !before.has(pid));
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.setContent('<h1>Another site</h1><p>The browser was already open.</p>');
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await context.close();
  return { browser, isRoot: (pid) => pid === rootPid };
}

async function coldLoad(url, profiling) {
  const chrome = await launchBrowser();
  try {
    const page = await chrome.page();
    return await measure(page, url, profiling, (pid, ppid, cmdline) => cmdline.includes(`--user-data-dir=${chrome.userDataDir}`));
  } finally {
    await chrome.close();
  }
}

// A new context of the running browser: its own in-memory profile (empty HTTP cache, no service worker,
// no storage), with the harness's viewport.
async function warmLoad(warmBrowser, url, profiling) {
  const context = await warmBrowser.browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    return await measure(page, url, profiling, warmBrowser.isRoot);
  } finally {
    await context.close();
  }
}

async function measure(page, url, profiling, isRoot) {
  {
    await page.addInitScript(wrapWasm);
    let cdp = null;
    if (profiling) {
      cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
    const cpuBefore = browserCpuSeconds(isRoot);
    await page.goto(url);
    await page.waitForFunction(() => window.csUi && window.csUi.frame() >= 1, null, { timeout: 60000, polling: 'raf' });
    const seen = await page.evaluate(() => performance.now());
    const cpuAfter = browserCpuSeconds(isRoot);
    const cpu = cpuTotal(cpuAfter) - cpuTotal(cpuBefore);
    if (process.env.CS_FIRST_FRAME_CPU_DETAIL) {
      console.log(Object.keys(cpuAfter).map((t) => `${t} ${((cpuAfter[t] - (cpuBefore[t] || 0)) * 1000).toFixed(0)}`).join(', '));
    }
    const entries = await page.evaluate(() => {
      const mark = {};
      for (const m of performance.getEntriesByType('mark')) if (!(m.name in mark)) mark[m.name] = m.startTime;
      const res = {};
      for (const r of performance.getEntriesByType('resource')) {
        const name = new URL(r.name).pathname.slice(1);
        if (!(name in res)) res[name] = { startTime: r.startTime, responseEnd: r.responseEnd };
      }
      return { mark, res };
    });
    if (profiling) {
      const { profile } = await cdp.send('Profiler.stop');
      await writeFile(profilePath, JSON.stringify(profile));
      printProfile(profile);
    }
    return { ...entries, seen, cpu };
  }
}

const median = (values) => {
  const v = values.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (!v.length) return null;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const cell = (x) => (x === null ? '-' : x.toFixed(0)).padStart(7);
let failed = false;
for (const mode of modes) {
  console.log(`\n${modeTitle[mode]}: median over ${count} loads of ms after navigation start, then (+ms after the previous phase)`);
  console.log(`  ${''.padEnd(34)}${sites.map((dir, s) => `  site ${String.fromCharCode(65 + s)}`.padEnd(18)).join('')}`);
  const previous = sites.map(() => 0);
  for (const [label, read] of phases) {
    const row = sites.map((dir, s) => {
      const at = median(loads[mode][s].map(read));
      if (at === null) return cell(null).padEnd(18);
      const text = `${cell(at)} (+${(at - previous[s]).toFixed(0)})`;
      previous[s] = at;
      return text.padEnd(18);
    });
    console.log(`  ${label.padEnd(34)}${row.join('')}`);
  }
  console.log(`  ${'CPU ms, all browser processes'.padEnd(34)}${sites.map((dir, s) => cell(median(loads[mode][s].map((l) => l.cpu * 1000))).padEnd(18)).join('')}`);
}
sites.forEach((dir, s) => console.log(`  site ${String.fromCharCode(65 + s)}: ${dir}`));
for (const mode of modes) {
  sites.forEach((dir, s) => {
    const runs = loads[mode][s].map((l) => l.seen).sort((a, b) => a - b);
    const m = median(runs);
    const ok = m < 1500;
    failed ||= !ok;
    console.log(`${ok ? 'PASS' : 'FAIL'} first frame after navigation, ${mode} browser process${sites.length > 1 ? ` (site ${String.fromCharCode(65 + s)})` : ''}: ` +
                `median ${m.toFixed(0)} ms (min ${runs[0].toFixed(0)}, max ${runs[runs.length - 1].toFixed(0)}; ${runs.length} loads, cold cache, ` +
                `headless ${path.basename(chromiumPath)} + SwiftShader, loopback; target under 1500 ms)`);
  });
}
if (failed) process.exitCode = 1;

// Self time per function (and per URL for anonymous ones), the top 20 of the profiled load.
function printProfile(profile) {
  const dt = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    dt.set(profile.samples[i], (dt.get(profile.samples[i]) || 0) + (profile.timeDeltas[i] || 0));
  }
  const self = new Map();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url ? path.basename(f.url) + ':' + f.lineNumber : ''}`;
    self.set(key, (self.get(key) || 0) + (dt.get(node.id) || 0));
  }
  console.log(`CPU profile (main thread) written to ${profilePath}; most self time:`);
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`  ${(us / 1000).toFixed(1).padStart(8)} ms  ${key}`);
  }
}
