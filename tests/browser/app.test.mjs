// A new user's path through the web app, in headless Chromium against a real gateway:
// landing page -> sign up (with a weak password first) -> empty dashboard -> new plan -> reload ->
// open -> rename -> delete -> log out. Widgets are found through window.csUi; every click and key
// press goes through Playwright's real mouse and keyboard. Screenshots: tests/artifacts/browser/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startGateway, dashboardAfterSignup, waitForScreen, widget, widgetOrNull, widgetWithText, click, type, waitFrames, screenshot,
} from './harness.mjs';
import { eventually } from '../lib/eventually.mjs';

let gateway;
let chrome;

before(async () => {
  gateway = await startGateway();
  chrome = await launchBrowser();
});

after(async () => {
  if (chrome) await chrome.close();
  if (gateway) await gateway.stop();
});

const api = (...args) => gateway.api(...args);

async function storedToken(page) {
  return page.evaluate(() => {
    const stored = localStorage.getItem('cloudsketch.session');
    return stored ? JSON.parse(stored).token : null;
  });
}

async function clearField(page, id, length) {
  await click(page, id);
  await page.keyboard.press('End');
  for (let i = 0; i < length; i++) await page.keyboard.press('Backspace');
  await widgetWithText(page, id, '');  // the app takes one key press per key and frame: wait for them all
}

// On failure, keep what the user would have seen and what the app says it drew.
async function explainFailure(page, name, error) {
  await screenshot(page, `failure-${name}`).catch(() => {});
  const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
  error.message += `\nscreen: ${await page.evaluate(() => window.csUi && window.csUi.screen()).catch(() => '?')}` +
                   `\nwidgets: ${JSON.stringify(widgets)}\ngateway log:\n${gateway.log().slice(-2000)}`;
  throw error;
}

test('a new user signs up, creates a plan, keeps it across a reload, renames and deletes it', async () => {
  const page = await chrome.page();
  try {
    await newUserJourney(page);
  } catch (error) {
    await explainFailure(page, 'journey', error);
  }
});

async function newUserJourney(page) {
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // The gateway's Content-Security-Policy forbids inline script and eval: a violation shows up here.
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) pageErrors.push(message.text());
  });
  const email = `ada.${Date.now()}@example.com`;

  // Landing page: real HTML, readable without the app.
  const landing = await page.goto(gateway.url + '/');
  assert.match(landing.headers()['content-security-policy'] || '', /script-src 'self' 'wasm-unsafe-eval'/,
               'the page is tested under the CSP it is deployed with');
  assert.match(await page.title(), /CloudSketch/);
  for (const selector of ['#get-started', '#nav-sign-in', '#offer', '#about', '#contact']) {
    assert.ok(await page.isVisible(selector), `${selector} is visible on the landing page`);
  }
  assert.equal(await page.getAttribute('#contact a[href^="mailto:"]', 'href'), 'mailto:hello@cloudsketch.dev');
  assert.equal(await page.isVisible('#support-notice'), false, 'no "unsupported browser" notice in Chromium');
  await screenshot(page, '01-landing');

  // "Get started" opens the app on the sign-up form.
  await page.click('#get-started');
  await waitForScreen(page, 'signup', 60000);
  await waitFrames(page, 3);
  assert.equal(await page.evaluate(() => location.hash), '#app');
  await screenshot(page, '02-signup');

  // A weak password: the gateway's rule comes back and is shown; the user stays on the form.
  await type(page, 'signup/email', email);
  await widgetWithText(page, 'signup/email', email);  // typed text reached the ImGui field
  await type(page, 'signup/password', 'abcdefghijkl');
  await click(page, 'signup/submit');
  const weak = await widget(page, 'signup/error');
  assert.ok(weak.text.trim().length > 10, `an explanation is shown: "${weak.text}"`);
  assert.equal(await page.evaluate(() => window.csUi.screen()), 'signup');
  assert.equal(await storedToken(page), null);
  await screenshot(page, '03-weak-password');

  // A good password, submitted with Enter from the password field.
  await clearField(page, 'signup/password', 12);
  await type(page, 'signup/password', 'correct-horse-42');
  await page.keyboard.press('Enter');
  await dashboardAfterSignup(page, gateway, email);
  assert.equal((await widget(page, 'dashboard/user')).text, email);
  assert.ok(await widget(page, 'dashboard/empty'), 'a new account shows the empty state');
  assert.ok(await storedToken(page), 'the session token is kept in localStorage');
  await screenshot(page, '04-empty-dashboard');

  // New plan.
  await type(page, 'dashboard/new-plan-name', 'Orders DB');
  await click(page, 'dashboard/new-plan');
  const row = await widget(page, 'dashboard/plan/Orders DB');
  assert.equal(row.text, 'Orders DB');
  const status = await widget(page, 'dashboard/plan/Orders DB/status');
  assert.ok(status.text.length > 0, 'the status light has a reason to show on hover');
  assert.equal(await widgetOrNull(page, 'dashboard/empty'), null);

  // The server really has it.
  const token = await storedToken(page);
  const listed = await api('GET', '/v1/plan/', token);
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.items.map((p) => p.name), ['Orders DB']);

  // Reload: still signed in, the plan is still there.
  await page.reload();
  await waitForScreen(page, 'dashboard', 60000);
  await widget(page, 'dashboard/plan/Orders DB');
  const light = await widget(page, 'dashboard/plan/Orders DB/status');
  await page.mouse.move(light.x + light.w / 2, light.y + light.h / 2);
  await waitFrames(page, 4);
  await screenshot(page, '05-dashboard-after-reload');

  // Open it.
  await click(page, 'dashboard/plan/Orders DB');
  await waitForScreen(page, 'plan');
  await widgetWithText(page, 'plan/title', 'Orders DB');
  const revision = Number((await widget(page, 'plan/revision')).text);
  assert.ok(revision >= 1, `revision ${revision}`);
  await click(page, 'editor/tab/cs-json');  // the editor's preview tabs: cs-json is one of them
  const document = JSON.parse((await widget(page, 'plan/json')).text);
  assert.equal(document.name, 'Orders DB');
  assert.ok(document.components.length >= 1, 'the default plan has components');
  for (const component of document.components) {
    assert.ok(await widget(page, `plan/component/${component.id}`), `component ${component.id} is listed`);
  }
  await screenshot(page, '06-plan');

  // Rename.
  await clearField(page, 'plan/name-input', 'Orders DB'.length);
  await type(page, 'plan/name-input', 'Orders DB (prod)');
  await click(page, 'plan/rename');
  await widgetWithText(page, 'plan/title', 'Orders DB (prod)');
  // Saved on the device at once, then synced: the revision moves when the server has accepted it.
  await widgetWithText(page, 'plan/revision', String(revision + 1));
  const saved = await api('GET', `/v1/plan/${listed.body.items[0].id}`, token);
  assert.equal(saved.body.plan.name, 'Orders DB (prod)');
  assert.equal(saved.body.revision, revision + 1);
  await screenshot(page, '07-renamed');

  // Delete, with confirmation.
  await click(page, 'plan/delete');
  await widget(page, 'confirm/delete');
  assert.match((await widget(page, 'confirm/message')).text, /Orders DB \(prod\)/);
  await screenshot(page, '08-confirm-delete');
  await click(page, 'confirm/delete');
  await waitForScreen(page, 'dashboard');
  await widget(page, 'dashboard/empty');
  assert.match((await widget(page, 'dashboard/notice')).text, /Deleted/);
  assert.equal((await api('GET', '/v1/plan/', token)).body.items.length, 0);
  await screenshot(page, '09-deleted');

  // Log out: back to the login form, token gone locally and on the server.
  await click(page, 'dashboard/logout');
  await waitForScreen(page, 'login');
  assert.equal(await storedToken(page), null);
  // The app signs out locally at once and revokes on the server in the background, so wait for the revocation.
  const me = await eventually(() => api('GET', '/v1/me', token),
                              { until: (r) => r.status !== 200, what: 'the token is revoked on the server after logout' });
  assert.equal(me.status, 401, 'the token is revoked on the server after logout');
  assert.deepEqual(pageErrors, []);
}
