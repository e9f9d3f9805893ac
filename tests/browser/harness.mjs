// Shared pieces of the browser tests: Debian's Chromium through Playwright, a real gateway on a free
// loopback port, and helpers that find ImGui widgets through window.csUi (assets/boot.js) and then
// use the real mouse and keyboard on them, like a person.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('../node_modules/playwright-core');

export const repo = process.env.CS_REPO || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const artifacts = path.join(repo, 'tests/artifacts/browser');
mkdirSync(artifacts, { recursive: true });

// RECIPES.md: WebGL through SwiftShader, and no background traffic on the closed network. A fresh
// profile each time (Playwright passes it as --user-data-dir), so no state leaks between tests.
export async function launchBrowser({ viewport = { width: 1280, height: 800 }, deviceScaleFactor = 1 } = {}) {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'cs-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport,
    deviceScaleFactor,
    args: [
      '--no-sandbox', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync',
    ],
  });
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

// Starts CS_GATEWAY_BIN on 127.0.0.1 with a fresh data dir; resolves once it prints its address.
// `env` adds to the gateway's environment (e.g. CS_DEFAULT_PROVIDER=local for real local deployments).
export async function startGateway({ siteDir = process.env.CS_SITE_DIR, env = {} } = {}) {
  const bin = process.env.CS_GATEWAY_BIN;
  if (!bin) throw new Error('CS_GATEWAY_BIN is not set');
  if (!siteDir) throw new Error('CS_SITE_DIR is not set');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cs-gateway-'));
  const child = spawn(bin, ['--port', '0', '--data-dir', dataDir, '--site-dir', siteDir],
                      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start in 15 s:\n${output}`)), 15000);
    const onData = (chunk) => {
      output += chunk;
      const match = /CloudSketch gateway listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`gateway exited (${code}):\n${output}`)); });
  });
  return {
    url,
    dataDir,
    log: () => output,
    // One API call as the test's own client: {status, body} with body parsed (null when empty).
    async api(method, path, token, body) {
      const headers = { Accept: 'application/json' };
      if (token) headers.Authorization = `Bearer ${token}`;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Waits until the app has drawn `frames` more frames (so a click or key press has been processed).
export async function waitFrames(page, frames = 3) {
  const start = await page.evaluate(() => window.csUi.frame());
  await page.waitForFunction((target) => window.csUi.frame() >= target, start + frames, { timeout: 20000 });
}

export async function waitForScreen(page, screen, timeout = 20000) {
  await page.waitForFunction((s) => window.csUi && window.csUi.screen() === s, screen, { timeout });
}

// The widget `id` from the latest frame, waiting until the app draws it.
export async function widget(page, id, timeout = 20000) {
  const handle = await page.waitForFunction((wid) => window.csUi && window.csUi.widget(wid), id, { timeout });
  return handle.jsonValue();
}

// Waits until widget `id` shows `text` and returns it; on timeout, fails with the text it shows instead.
// For values a click sets through a popup: ImGui acts on the release a frame or two after the click.
export async function widgetWithText(page, id, text, timeout = 5000) {
  try {
    const handle = await page.waitForFunction(([wid, want]) => window.csUi.widget(wid)?.text === want, [id, text], { timeout });
    await handle.dispose();
  } catch {
    const shown = await widgetOrNull(page, id);
    throw new Error(`${id} shows ${JSON.stringify(shown && shown.text)} instead of ${JSON.stringify(text)} after ${timeout} ms`);
  }
  return widget(page, id);
}

export async function widgetOrNull(page, id) {
  return page.evaluate((wid) => window.csUi.widget(wid), id);
}

// Clicks the centre of widget `id` with the real mouse (move, press, release).
export async function click(page, id) {
  const w = await widget(page, id);
  await page.mouse.move(w.x + w.w / 2, w.y + w.h / 2);
  await waitFrames(page, 1);
  await page.mouse.click(w.x + w.w / 2, w.y + w.h / 2);
  await waitFrames(page, 2);
  return w;
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
