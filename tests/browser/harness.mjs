// Shared pieces of the browser tests: Debian's Chromium through Playwright, a real gateway on a free
// loopback port, and helpers that find ImGui widgets through window.csUi (assets/boot.js) and then
// use the real mouse and keyboard on them, like a person.
//
// Waiting (CI is a loaded 2-core machine; one flaky test loses a whole submission): after an action, wait
// for the state the next line needs: widget (drawn), widgetWithText (shows a text or matches a RegExp),
// widgetGone, or tests/lib/eventually.mjs for the server, files and processes, each failing with what it
// saw. Never a fixed number of frames or milliseconds before asserting on something a request, a timer or
// another process changes; waitFrames is only for input the app itself orders frame by frame.
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startGateway as startGatewayProcess } from '../lib/gateway.mjs';
import { outboxMailsTo, signupLink, waitForMail } from '../lib/signup.mjs';

const require = createRequire(import.meta.url);
export const { chromium } = require('../node_modules/playwright-core');

export const repo = process.env.CS_REPO || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const artifacts = path.join(repo, 'tests/artifacts/browser');
mkdirSync(artifacts, { recursive: true });

// Debian's chromium-headless-shell: the headless build of Chromium that Playwright itself runs for
// headless tests. The full browser in headless mode also starts its own window UI for every new window (a
// WebUI renderer for the address bar's popup: ~2 s of CPU per window on this 2-core machine, competing with
// the page under test). Same engine, same WebGL through SwiftShader. CS_CHROMIUM picks another binary.
export const chromiumPath = process.env.CS_CHROMIUM ||
  (existsSync('/usr/bin/chromium-headless-shell') ? '/usr/bin/chromium-headless-shell' : '/usr/bin/chromium');

// RECIPES.md: WebGL through SwiftShader, and no background traffic on the closed network.
export const chromiumArgs = [
  '--no-sandbox', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync',
];

// A fresh profile each time (Playwright passes it as --user-data-dir), so no state leaks between tests.
// `args` adds Chromium flags (e.g. --host-resolver-rules for an origin that is not secure).
export async function launchBrowser({ viewport = { width: 1280, height: 800 }, deviceScaleFactor = 1, args = [] } = {}) {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'cs-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    viewport,
    deviceScaleFactor,
    args: [...chromiumArgs, ...args],
  });
  await context.addInitScript(pressWatch);
  return {
    context,
    userDataDir,  // names this browser's processes (bench/web_first_frame.mjs sums their CPU time)
    async page() {
      const page = context.pages()[0] || await context.newPage();
      return page;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

// A gateway serving the built site (CS_SITE_DIR) with a fresh data dir: tests/lib/gateway.mjs, which the
// API tests and benchmarks share. `env` adds to the gateway's environment (e.g. CS_DEFAULT_PROVIDER=local),
// `args` to its command line (e.g. --enable-test-double-target).
export async function startGateway({ siteDir = process.env.CS_SITE_DIR, env = {}, args = [] } = {}) {
  if (!siteDir) throw new Error('CS_SITE_DIR is not set');
  return startGatewayProcess({ siteDir, env, args });
}

// Waits until the app has drawn `frames` more frames (so a click or key press has been processed).
export async function waitFrames(page, frames = 3) {
  const start = await page.evaluate(() => window.csUi.frame());
  await page.waitForFunction((target) => window.csUi.frame() >= target, start + frames, { timeout: 20000 });
}

// Press, move in small steps (one frame each, as a hand would), release: ImGui reads the mouse once per
// frame, so it sees a real drag, not a press here and a release somewhere else.
export async function drag(page, from, to, steps = 5) {
  await page.mouse.move(from.x, from.y);
  await waitFrames(page, 1);
  await page.mouse.down();
  await waitFrames(page, 1);
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(from.x + (to.x - from.x) * i / steps, from.y + (to.y - from.y) * i / steps);
    await waitFrames(page, 1);
  }
  await page.mouse.up();
  await waitFrames(page, 3);
}

const shownScreen = (page) => page.evaluate(() => window.csUi && window.csUi.screen()).catch((e) => `? (${e.message})`);

// Opens the app at `baseUrl` already signed in as `session` ({token, email}, as the app itself stores it after a
// sign-in), and waits for the dashboard: for tests whose subject is not the sign-in form.
export async function openSignedIn(page, baseUrl, session) {
  await page.goto(baseUrl + '/');
  await page.evaluate((s) => localStorage.setItem('cloudsketch.session', JSON.stringify(s)), session);
  await page.goto(baseUrl + '/#app');
  await waitForScreen(page, 'dashboard', 60000);
}

// After the sign-up form was submitted for `email`: resolves once the dashboard shows. The first account of
// a gateway without mail is signed in at once; any other sign-up shows "check your email", and this opens
// the link the gateway wrote to its outbox in the same tab, as a person clicking it would
// (tests/lib/signup.mjs; tests/browser/signup_link.test.mjs is the journey itself).
export async function dashboardAfterSignup(page, gateway, email, timeout = 20000) {
  let shown;
  try {
    shown = await page.waitForFunction(() => {
      const s = window.csUi && window.csUi.screen();
      return s === 'dashboard' || s === 'check-email' ? s : null;
    }, null, { timeout }).then((handle) => handle.jsonValue());
  } catch {
    throw new Error(`after sign-up the app showed neither the dashboard nor "check your email" (shows: ${JSON.stringify(await shownScreen(page))})`);
  }
  if (shown === 'check-email') {
    const mail = await waitForMail(() => outboxMailsTo(gateway.dataDir, email.trim().toLowerCase()), 0, timeout, `the link for ${email}`);
    await page.goto(signupLink(mail));
    await waitForScreen(page, 'dashboard', timeout);
  }
}

export async function waitForScreen(page, screen, timeout = 20000) {
  try {
    await page.waitForFunction((s) => window.csUi && window.csUi.screen() === s, screen, { timeout });
  } catch {
    throw new Error(`the app did not show the ${screen} screen within ${timeout} ms (shows: ${JSON.stringify(await shownScreen(page))})`);
  }
}

// The widget `id` from the latest frame, waiting until the app draws it.
export async function widget(page, id, timeout = 20000) {
  try {
    const handle = await page.waitForFunction((wid) => window.csUi && window.csUi.widget(wid), id, { timeout });
    return await handle.jsonValue();
  } catch {
    throw new Error(`the app did not draw ${id} within ${timeout} ms (screen: ${JSON.stringify(await shownScreen(page))})`);
  }
}

// Waits until widget `id` shows `text` (a string, or a RegExp it must match) and returns it; on timeout,
// fails with the text it shows instead. For anything the app shows after input or a request: ImGui acts
// on a click a frame or two later, and a request's answer comes when it comes.
export async function widgetWithText(page, id, text, timeout = 20000) {
  const pattern = text instanceof RegExp ? { source: text.source, flags: text.flags } : null;
  try {
    const handle = await page.waitForFunction(([wid, want, re]) => {
      const shown = window.csUi.widget(wid)?.text;
      return shown !== undefined && (re ? new RegExp(re.source, re.flags).test(shown) : shown === want);
    }, [id, pattern ? null : text, pattern], { timeout });
    await handle.dispose();
  } catch {
    const shown = await widgetOrNull(page, id);
    throw new Error(`${id} shows ${JSON.stringify(shown && shown.text)} instead of ${pattern ? text : JSON.stringify(text)} after ${timeout} ms`);
  }
  return widget(page, id);
}

// Waits until the app no longer draws widget `id`; on timeout, fails with what it still shows.
export async function widgetGone(page, id, timeout = 20000) {
  try {
    const handle = await page.waitForFunction((wid) => !window.csUi.widget(wid), id, { timeout });
    await handle.dispose();
  } catch {
    const shown = await widgetOrNull(page, id);
    throw new Error(`${id} is still drawn after ${timeout} ms: ${JSON.stringify(shown)}`);
  }
}

export async function widgetOrNull(page, id) {
  return page.evaluate((wid) => window.csUi.widget(wid), id);
}

// Runs in the page before the app (launchBrowser adds it to every page): remembers, for the press and the
// release of one armed click, the widgets of the first frame the app drew after the DOM event, which is the
// frame in which ImGui acted on it. Emscripten's main loop asks window.requestAnimationFrame for each
// frame, so a wrapper sees every frame end; mousedown/mouseup are caught before the canvas's own handlers.
function pressWatch() {
  let watch = null;
  const inside = (w, x, y) => w && x >= w.x && x <= w.x + w.w && y >= w.y && y <= w.y + w.h;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) => raf((time) => {
    callback(time);
    if (!watch || !window.csUi || !window.csUi.ready()) return;
    for (const phase of [watch.down, watch.up]) {
      if (phase.at === undefined || phase.seen || window.csUi.frame() <= phase.at) continue;
      const target = window.csUi.widget(watch.id);
      const under = window.csUi.widgets().filter((w) => inside(w, watch.x, watch.y)).map((w) => w.id);
      phase.seen = { frame: window.csUi.frame(), target, hit: inside(target, watch.x, watch.y), under };
    }
  });
  const note = (phase) => () => {
    if (watch && watch[phase].at === undefined) watch[phase].at = window.csUi && window.csUi.ready() ? window.csUi.frame() : 0;
  };
  window.addEventListener('mousedown', note('down'), true);
  window.addEventListener('mouseup', note('up'), true);
  window.csPressWatch = {
    arm(id, x, y) { watch = { id, x, y, down: {}, up: {} }; },
    seen(phase) { return (watch && watch[phase].seen) || null; },
  };
}

const centreOf = (w) => ({ x: w.x + w.w / 2, y: w.y + w.h / 2 });
const sameRect = (a, b) => a && b && a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;

// The widget `id` once it has stayed in the same place for two frames in a row: a panel that is still
// filling in (a request's answer, a line that wraps) moves what is below it.
async function settledWidget(page, id, timeout) {
  const deadline = Date.now() + timeout;
  let last = await widget(page, id, timeout);
  for (;;) {
    await waitFrames(page, 1);
    const now = await widget(page, id, Math.max(1000, deadline - Date.now()));
    if (sameRect(now, last)) return now;
    if (Date.now() > deadline) throw new Error(`${id} kept moving for ${timeout} ms (last at ${JSON.stringify(now)})`);
    last = now;
  }
}

// The widgets of the frame that acted on the armed press or release.
async function seenIn(page, phase, id) {
  try {
    const handle = await page.waitForFunction((p) => window.csPressWatch.seen(p), phase, { timeout: 20000 });
    return handle.jsonValue();
  } catch {
    throw new Error(`clicking ${id}: the app drew no frame within 20 s of the mouse ${phase}`);
  }
}

// Clicks the centre of widget `id` with the real mouse: move there, press, release, like a person, and
// makes sure the click landed. The place to click comes from an earlier frame than the one that takes
// the press, so a layout change in between (a status line that wraps when a poll answers, say) would move
// the widget from under the pointer and the click would go elsewhere. Hence the press and the release are
// each checked against the frame that acted on them. A press that missed is released over the target's
// new place (ImGui fires a button on release over the pressed item, so nothing fires) and the click is
// aimed again; a click that cannot land in 3 tries fails with what was under the pointer.
export async function click(page, id, { timeout = 20000 } = {}) {
  const misses = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    const w = await settledWidget(page, id, timeout);
    const at = centreOf(w);
    await page.mouse.move(at.x, at.y);
    await waitFrames(page, 1);
    await page.evaluate(([wid, x, y]) => window.csPressWatch.arm(wid, x, y), [id, at.x, at.y]);
    await page.mouse.down();
    const down = await seenIn(page, 'down', id);
    if (down.hit) {
      await page.mouse.up();
      const up = await seenIn(page, 'up', id);
      await waitFrames(page, 2);
      if (up.hit || up.target === null) return w;  // gone on release: the click took it away (a closing popup)
      misses.push(`released at ${JSON.stringify(at)} but ${id} had moved to ${JSON.stringify(up.target)} (under the pointer: ${up.under})`);
      console.error(`harness: click on ${id} aimed again: ${misses[misses.length - 1]}`);
      continue;
    }
    if (down.target) await page.mouse.move(...Object.values(centreOf(down.target)));
    await page.mouse.up();
    await waitFrames(page, 2);
    misses.push(`pressed at ${JSON.stringify(at)} but in that frame ${id} was at ${JSON.stringify(down.target)} ` +
                `(under the pointer: ${down.under})`);
    // Said on stderr so a run's log shows how often layouts move under a click.
    console.error(`harness: click on ${id} aimed again: ${misses[misses.length - 1]}`);
    if (!down.target) break;
  }
  throw new Error(`click on ${id} did not land:\n  ${misses.join('\n  ')}`);
}

// Clicks into text field `id` and types `text` on the keyboard.
export async function type(page, id, text) {
  await click(page, id);
  await page.keyboard.type(text, { delay: 15 });
  await waitFrames(page, 2);
}

export async function screenshot(page, name) {
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
