// The app's less happy paths in headless Chromium against a real gateway: a wrong password, a plan
// changed elsewhere (409 on rename: both versions shown, "take theirs"), a revoked session (401),
// high-DPI rendering with window resizes, and a browser without WebGL 2.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startGateway, waitForScreen, widget, click, type, waitFrames, screenshot,
} from './harness.mjs';
import { eventually } from '../lib/eventually.mjs';

let gateway;

before(async () => { gateway = await startGateway(); });
after(async () => { if (gateway) await gateway.stop(); });

const api = (...args) => gateway.api(...args);

async function withPage(options, name, run) {
  const chrome = await launchBrowser(options);
  const page = await chrome.page();
  try {
    await run(page);
  } catch (error) {
    await screenshot(page, `failure-${name}`).catch(() => {});
    const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
    error.message += `\nwidgets: ${JSON.stringify(widgets)}`;
    throw error;
  } finally {
    await chrome.close();
  }
}

test('log in, rename a plan someone else just changed, then lose the session', async () => {
  const email = `grace.${Date.now()}@example.com`;
  const password = 'compilers-1952';
  const session = await gateway.signUp(email, password);
  const created = await api('POST', '/v1/plan/', session.token, { name: 'Billing' });
  assert.equal(created.status, 201);

  await withPage({}, 'session', async (page) => {
    await page.goto(gateway.url + '/');
    await page.click('#hero-sign-in');
    await waitForScreen(page, 'login', 60000);

    // Wrong password: the API's message, and still on the form.
    await type(page, 'login/email', email);
    await type(page, 'login/password', 'not-the-password-1');
    await click(page, 'login/submit');
    const error = await widget(page, 'login/error');
    assert.ok(error.text.trim().length > 5, `a reason is shown: "${error.text}"`);
    assert.equal(await page.evaluate(() => window.csUi.screen()), 'login');
    await screenshot(page, '10-login-wrong-password');

    // Fix the password (Ctrl+A selects all in ImGui fields) and sign in.
    await click(page, 'login/password');
    await page.keyboard.press('Control+A');
    await waitFrames(page, 2);
    await page.keyboard.type(password, { delay: 15 });
    await click(page, 'login/submit');
    await waitForScreen(page, 'dashboard');
    await click(page, 'dashboard/plan/Billing');
    await waitForScreen(page, 'plan');
    assert.equal(Number((await widget(page, 'plan/revision')).text), created.body.revision);

    // Someone else saves first; our rename is based on a stale revision.
    const theirs = { ...created.body.plan, name: 'Billing (theirs)' };
    const put = await api('PUT', `/v1/plan/${created.body.id}`, session.token, { revision: created.body.revision, plan: theirs });
    assert.equal(put.status, 200);
    await click(page, 'plan/name-input');
    await page.keyboard.press('Control+A');
    await waitFrames(page, 2);
    await page.keyboard.type('Billing (mine)', { delay: 15 });
    await click(page, 'plan/rename');
    await page.waitForFunction(() => /changed elsewhere/.test(window.csUi.widget('plan/warning')?.text || ''), null,
                               { timeout: 20000 });
    // Both versions are shown; taking theirs drops the rename (offline.test.mjs keeps "mine").
    assert.equal((await widget(page, 'conflict/mine')).text, 'Billing (mine)');
    assert.equal((await widget(page, 'conflict/theirs')).text, 'Billing (theirs)');
    await screenshot(page, '11-rename-conflict');
    await click(page, 'conflict/take-theirs');
    await page.waitForFunction(() => window.csUi.widget('plan/title')?.text === 'Billing (theirs)', null, { timeout: 20000 });
    assert.equal(Number((await widget(page, 'plan/revision')).text), put.body.revision);
    assert.equal((await api('GET', `/v1/plan/${created.body.id}`, session.token)).body.plan.name, 'Billing (theirs)');

    // The session is revoked elsewhere: the next call sends the user back to the login form.
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('cloudsketch.session')).token);
    assert.equal((await api('POST', '/v1/auth/logout', token, {})).status, 204);
    await click(page, 'plan/back');
    await waitForScreen(page, 'login');
    assert.match((await widget(page, 'login/notice')).text, /sign in again/i);
    assert.equal((await widget(page, 'login/email')).text, email, 'the email is kept for signing back in');
    assert.equal(await page.evaluate(() => localStorage.getItem('cloudsketch.session')), null);
    await screenshot(page, '12-session-ended');
  });
});

test('high-DPI: the canvas has device pixels, follows resizes, and clicks still land', async () => {
  await withPage({ viewport: { width: 900, height: 700 }, deviceScaleFactor: 2 }, 'hidpi', async (page) => {
    await page.goto(gateway.url + '/#app');
    await waitForScreen(page, 'login', 60000);
    await waitFrames(page, 2);
    const size = () => page.evaluate(() => [document.getElementById('canvas').width, document.getElementById('canvas').height]);
    assert.deepEqual(await size(), [1800, 1400]);
    await type(page, 'login/email', 'hidpi@example.com');
    assert.equal((await widget(page, 'login/email')).text, 'hidpi@example.com');
    const email = await widget(page, 'login/email');
    assert.ok(email.w > 300 && email.w < 500, `field width ${email.w} is in CSS pixels`);
    await screenshot(page, '13-hidpi-login');

    await page.setViewportSize({ width: 1200, height: 640 });
    await page.waitForFunction(() => document.getElementById('canvas').width === 2400, null, { timeout: 20000 });
    assert.deepEqual(await size(), [2400, 1280]);
    // The form re-centres in the frames after the resize.
    await eventually(() => widget(page, 'login/email'), {
      until: (moved) => Math.abs(moved.x + moved.w / 2 - 600) < 2, what: 'the form re-centres (x centre 600)' });
    await click(page, 'login/switch');
    await waitForScreen(page, 'signup');
  });
});

test('without WebGL 2 the landing page explains why the app cannot start', async () => {
  await withPage({}, 'no-webgl', async (page) => {
    await page.addInitScript(() => {
      const original = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
        return kind === 'webgl2' ? null : original.call(this, kind, ...rest);
      };
    });
    await page.goto(gateway.url + '/');
    assert.ok(await page.isVisible('#support-notice'));
    assert.match(await page.textContent('#support-notice'), /WebGL 2/);
    await page.click('#get-started');
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('app-mode')), false);
    assert.equal(await page.evaluate(() => typeof window.Module), 'undefined', 'app.js was not loaded');
    assert.ok(await page.isVisible('#get-started'), 'the landing page stays readable');
    await screenshot(page, '14-no-webgl2');
  });
});

test('without WebGL 2 a link straight to the app lands on the home page with the reason', async () => {
  await withPage({}, 'no-webgl-direct', async (page) => {
    await page.addInitScript(() => {
      const original = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
        return kind === 'webgl2' ? null : original.call(this, kind, ...rest);
      };
    });
    // A direct link starts app.wasm and app.data on a worker (assets/app_loader.js) while the WebGL 2 probe
    // runs, so they may be requested; the page must then stop that worker at once. The server's answer is
    // held back, so a request that was made cannot complete while the test looks: what it checks is that
    // the loader is gone and nothing of the app ran, whatever the machine's speed.
    const appRequests = [];
    page.on('request', (request) => { if (/\/app\.(js|wasm|data)$/.test(request.url())) appRequests.push(request.url()); });
    await page.route(/\/app\.(wasm|data)$/, () => {});
    await page.goto(gateway.url + '/#app');
    await page.waitForSelector('#support-notice', { state: 'visible', timeout: 20000 });
    assert.match(await page.textContent('#support-notice'), /WebGL 2/);
    assert.equal(await page.evaluate(() => location.hash), '#top');
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('app-mode')), false);
    assert.equal(await page.evaluate(() => typeof window.Module), 'undefined', 'app.js was not run');
    assert.ok(await page.isVisible('#get-started'), 'the landing page is shown');
    const deadline = Date.now() + 10000;
    while (page.workers().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(page.workers().map((worker) => worker.url()), [], 'the app loader worker was stopped');
    assert.ok(!appRequests.some((url) => url.endsWith('/app.js')), `app.js was not requested (requests: ${appRequests})`);
    assert.ok(!(await page.evaluate(() => performance.getEntriesByType('resource').some((r) => /app\.(js|wasm|data)$/.test(r.name)))),
              'the page itself downloaded nothing of the app');
  });
});

test('a link straight to the app never paints the home page, and a slow load says it is loading', async () => {
  await withPage({}, 'slow-load', async (page) => {
    // Every animation frame (the browser's rendering steps), what the home page would show: it must never
    // be laid out, so never painted. assets/page_mode.js decides before the first paint.
    await page.addInitScript(() => {
      window.landingSeen = [];
      const look = () => {
        const landing = document.getElementById('landing');
        if (landing) window.landingSeen.push(getComputedStyle(landing).display);
        if (window.landingSeen.length < 30) requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    });
    await page.route(/\/app\.wasm$/, () => {});  // held back: the app cannot start while the test looks
    await page.goto(gateway.url + '/#app');
    const status = page.locator('#app-status-text');
    await status.waitFor({ state: 'visible', timeout: 20000 });
    assert.match(await status.textContent(), /Loading CloudSketch/);
    await eventually(() => page.evaluate(() => window.landingSeen.length >= 30), { what: 'thirty rendering steps' });
    const seen = await page.evaluate(() => window.landingSeen);
    assert.ok(seen.length > 0 && seen.every((display) => display === 'none'), `home page display per frame: ${seen}`);
    assert.equal(await page.isVisible('#get-started'), false);
    await screenshot(page, '15-slow-load');
  });
});
