// Frame time of the web app with a 200-component plan on screen (100 VMs, each hosting a PostgreSQL),
// in headless Chromium (SwiftShader) against a real gateway on loopback. Reads the app's own probe
// (window.csUi.frameTimes(): CPU ms per frame that drew or had input, from input to the last GL call)
// while the mouse moves and wheel-zooms over the plan, and prints p50/p95/max; then the browser's frame
// interval and what the drawn frames sent to WebGL.
//   CS_GATEWAY_BIN=build/native/bin/cs-gateway node bench/web_frame_time.mjs [site-dir] [--tab ID]
//     [--profile FILE] [--screenshot FILE]      (CS_BENCH_INIT_SCRIPT=file.js: a script for experiments)
// --profile records Chromium's CPU profiler over the same sweep (through a CDP session), writes FILE
// (.cpuprofile, opens in Chrome DevTools) and prints self time by function and the frame's phases
// (inclusive time of NewFrame / App::Frame / Render / the GL backend). Function names need a build
// linked with --profiling-funcs: `cmake --preset web -B build/web-prof -DCS_WEB_PROFILING=ON`.
// --screenshot FILE keeps a PNG of the canvas after the sweep, to check the plan still looks right.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser, startGateway } from '../tests/browser/harness.mjs';
import { summarizeProfile } from './web_profile_summary.mjs';

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  if (at < 0) return null;
  const [, value] = args.splice(at, 2);
  if (!value) throw new Error(`${name} needs a file name`);
  return path.resolve(value);
};
const profileFile = option('--profile');
const screenshotFile = option('--screenshot');
// --tab ID opens that bottom tab (cs-json, aws, postgresql-conf, ...) before measuring: previews are long texts.
const tabAt = args.indexOf('--tab');
const tab = tabAt < 0 ? null : args.splice(tabAt, 2)[1];
const site = path.resolve(args[0] || process.env.CS_SITE_DIR || 'build/web/site');
const gateway = await startGateway({ siteDir: site });
const chrome = await launchBrowser();
try {
  const call = async (method, route, token, body) => {
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(gateway.url + route, { method, headers, body: body && JSON.stringify(body) });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const email = `bench.${Date.now()}@example.com`;
  const { token } = await gateway.signUp(email, 'frame-time-bench-1');
  const created = await call('POST', '/v1/plan/', token, { name: 'bench-200-components' });

  // Same shape as bench/bench_plans.hpp's large plan: the default VM and PostgreSQL, repeated.
  const [vm, pg] = created.plan.components;
  const components = [];
  for (let i = 0; i < 100; i++) {
    const n = String(i).padStart(3, '0');
    components.push({ ...structuredClone(vm), id: `vm-${n}`, name: `vm ${n}`, position: { x: 100 * (i % 10), y: 200 * Math.floor(i / 10) } });
    const db = structuredClone(pg);
    for (const key of Object.keys(db)) if (db[key] === vm.id) db[key] = `vm-${n}`;
    components.push({ ...db, id: `pg-${n}`, name: `pg ${n}`, position: { x: 100 * (i % 10), y: 200 * Math.floor(i / 10) + 100 } });
  }
  await call('PUT', `/v1/plan/${created.id}`, token, { revision: created.revision, plan: { ...created.plan, components } });

  const page = await chrome.page();
  // Counts what each browser frame sends to WebGL (draw calls, indices, bytes uploaded): how much the GPU
  // is asked to do, and how many frames drew at all.
  await page.addInitScript(() => {
    const proto = WebGL2RenderingContext.prototype;
    const { drawElements, bufferData, bufferSubData } = proto;
    let calls = 0, indices = 0, bytes = 0;
    const frames = [];
    proto.drawElements = function (mode, count, ...rest) { calls++; indices += count; return drawElements.call(this, mode, count, ...rest); };
    proto.bufferData = function (target, data, ...rest) {
      bytes += typeof data === 'number' ? data : (data && data.byteLength) || 0;
      return bufferData.call(this, target, data, ...rest);
    };
    proto.bufferSubData = function (target, offset, data, ...rest) {
      bytes += rest.length > 1 ? rest[1] : (data && data.byteLength) || 0;
      return bufferSubData.call(this, target, offset, data, ...rest);
    };
    const tick = () => { frames.push({ calls, indices, bytes }); calls = indices = bytes = 0; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    window.csGlStats = () => frames.splice(0);
  });
  if (process.env.CS_BENCH_INIT_SCRIPT) await page.addInitScript({ path: process.env.CS_BENCH_INIT_SCRIPT });  // experiments
  await page.goto(gateway.url + '/');
  await page.evaluate((s) => localStorage.setItem('cloudsketch.session', JSON.stringify(s)), { token, email });
  await page.goto(gateway.url + '/#app');
  await page.waitForFunction(() => window.csUi && window.csUi.widget('dashboard/plan/bench-200-components'), null, { timeout: 60000 });
  const row = await page.evaluate(() => window.csUi.widget('dashboard/plan/bench-200-components'));
  await page.mouse.click(row.x + row.w / 2, row.y + row.h / 2);
  await page.waitForFunction(() => window.csUi.widget('plan/component/pg-099') || window.csUi.widget('plan/component/vm-000'),
                             null, { timeout: 30000 });
  const screen = await page.evaluate(() => window.csUi.screen());
  if (tab) {
    const strip = await page.waitForFunction((id) => window.csUi.widget(id), `editor/tab/${tab}`, { timeout: 20000 });
    const at = await strip.jsonValue();
    await page.mouse.move(at.x + at.w / 2, at.y + at.h / 2);  // hover first, as a person does
    await page.waitForTimeout(200);
    await page.mouse.click(at.x + at.w / 2, at.y + at.h / 2);
    const shown = tab === 'cs-json' ? 'plan/json' : `editor/preview/${tab}`;
    await page.waitForFunction((id) => window.csUi.widget(id), shown, { timeout: 20000 });
  }

  // Warm up, then measure while the mouse sweeps over the plan (hover, redraw, scroll).
  await page.waitForTimeout(1000);
  await page.evaluate(() => { window.csUi.frameTimes(); window.csGlStats(); });
  // The probe times the app's own work; the browser's frame intervals say how often a frame really
  // reached the screen (GPU and compositor included), so a change that only moves work off the probe shows.
  await page.evaluate(() => {
    window.csBenchFrames = [];
    const tick = (t) => { window.csBenchFrames.push(t); if (window.csBenchFrames) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  let cdp = null;
  if (profileFile) {
    cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });  // microseconds
    await cdp.send('Profiler.start');
  }
  const viewport = page.viewportSize();
  const until = Date.now() + 6000;
  for (let i = 0; Date.now() < until; i++) {
    await page.mouse.move(100 + (i * 37) % (viewport.width - 200), 150 + (i * 53) % (viewport.height - 250));
    if (i % 20 === 10) await page.mouse.wheel(0, i % 40 === 10 ? 400 : -400);
    await page.waitForTimeout(16);
  }
  const times = (await page.evaluate(() => window.csUi.frameTimes())).sort((a, b) => a - b);
  const stamps = await page.evaluate(() => window.csBenchFrames.splice(0));
  const intervals = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b);
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(profileFile, JSON.stringify(profile));
    console.log(summarizeProfile(profile, times.length));
  }
  const gl = (await page.evaluate(() => window.csGlStats())).filter((f) => f.calls > 0);
  const mid = (key) => (gl.length ? gl.map((f) => f[key]).sort((a, b) => a - b)[Math.floor(gl.length / 2)] : 0);
  if (screenshotFile) await page.screenshot({ path: screenshotFile });
  if (times.length < 10) throw new Error(`only ${times.length} frames recorded`);
  const quantile = (list, q) => list[Math.min(list.length - 1, Math.floor(q * list.length))];
  const at = (q) => quantile(times, q);
  console.log(`frame time, 200 components on the "${screen}" screen${tab ? ` (${tab} tab open)` : ''}: p50 ${at(0.5).toFixed(2)} ms, ` +
              `p95 ${at(0.95).toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms ` +
              `(${times.length} frames, CPU time per frame, headless Chromium + SwiftShader)`);
  console.log(`frame interval (requestAnimationFrame, GPU and compositor included): ` +
              `p50 ${quantile(intervals, 0.5).toFixed(2)} ms, p95 ${quantile(intervals, 0.95).toFixed(2)} ms ` +
              `(${intervals.length + 1} frames in the sweep)`);
  console.log(`WebGL: ${gl.length} of those frames drew; a drawn frame (median): ${mid('calls')} draw calls, ` +
              `${mid('indices')} indices, ${(mid('bytes') / 1024).toFixed(0)} KB uploaded`);
  if (!(at(0.95) < 16)) process.exitCode = 1;
} finally {
  await chrome.close();
  await gateway.stop();
}
