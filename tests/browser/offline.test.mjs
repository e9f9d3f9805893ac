// Offline editing in headless Chromium against a real gateway: the service worker serves the app with no
// network, plans are kept in IndexedDB, saves made offline are synced when the network is back, and an
// edit that collides with one from a second browser is shown as a conflict the user resolves.
// Screenshots: tests/artifacts/browser/offline-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startGateway, openSignedIn, waitForScreen, widget, widgetWithText, click, waitFrames, screenshot,
} from './harness.mjs';
import { eventually } from '../lib/eventually.mjs';

let gateway;
const browsers = [];

before(async () => { gateway = await startGateway(); });
after(async () => {
  for (const chrome of browsers) await chrome.close().catch(() => {});
  if (gateway) await gateway.stop();
});

const api = (...args) => gateway.api(...args);

// A browser signed in as `session` (the app keeps {token, email} in localStorage), showing the dashboard.
async function signedInPage(session) {
  const chrome = await launchBrowser();
  browsers.push(chrome);
  const page = await chrome.page();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await openSignedIn(page, gateway.url, session);
  return { chrome, page, errors };
}

async function indicator(page, pattern) {
  return (await widgetWithText(page, 'sync/indicator', pattern)).text;
}

// The app's IndexedDB records for this account, as stored (JSON text per plan).
async function storedPlans(page, email) {
  return page.evaluate((prefix) => new Promise((resolve, reject) => {
    const open = indexedDB.open('cloudsketch', 1);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const request = open.result.transaction('kv').objectStore('kv').getAll(IDBKeyRange.bound(prefix, prefix + '\uffff'));
      request.onsuccess = () => resolve(request.result.map((text) => JSON.parse(text)));
      request.onerror = () => reject(request.error);
    };
  }), `plans/${email}/`);
}

async function rename(page, name) {
  await click(page, 'plan/name-input');
  await page.keyboard.press('Control+A');
  await waitFrames(page, 2);
  await page.keyboard.type(name, { delay: 10 });
  await click(page, 'plan/rename');
  await page.waitForFunction((n) => window.csUi.widget('plan/title')?.text === n, name, { timeout: 20000 });
}

async function openPlan(page, name) {
  await click(page, `dashboard/plan/${name}`);
  await waitForScreen(page, 'plan');
  await page.waitForFunction((n) => window.csUi.widget('plan/title')?.text === n, name, { timeout: 20000 });
}

async function explain(page, name, error) {
  await screenshot(page, `failure-${name}`).catch(() => {});
  const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
  error.message += `\nwidgets: ${JSON.stringify(widgets)}\ngateway log:\n${gateway.log().slice(-1500)}`;
  throw error;
}

test('offline: reload without network, edit and create plans, sync when back, resolve a conflict', async () => {
  const email = `offline.${Date.now()}@example.com`;
  const { token } = await gateway.signUp(email, 'offline-first-42');
  const created = await api('POST', '/v1/plan/', token, { name: 'Inventory' });
  assert.equal(created.status, 201);
  const id = created.body.id;
  const session = { token, email };

  const a = await signedInPage(session);
  const page = a.page;
  try {
    // Online first: the service worker caches the site, the app keeps the plan (document too) on the device.
    await widget(page, 'dashboard/plan/Inventory');
    assert.match(await indicator(page, /^Online/), /all changes synced/);
    const cached = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      const names = await caches.keys();
      const cache = await caches.open(names.find((n) => n.startsWith('cloudsketch-')));
      const files = (await cache.keys()).map((r) => new URL(r.url).pathname);
      return { active: !!registration.active, names, files };
    });
    assert.ok(cached.active, 'the service worker is active');
    for (const file of ['/', '/app.js', '/app.wasm', '/app.data', '/assets/boot.js', '/assets/site.css']) {
      assert.ok(cached.files.includes(file), `${file} is cached (${cached.files.join(', ')})`);
    }
    const stored = await eventually(() => storedPlans(page, email), {
      until: (plans) => plans.length === 1 && plans[0].document, what: 'the plan with its document in IndexedDB' });
    assert.equal(stored.length, 1);
    assert.equal(stored[0].document?.name, 'Inventory', 'the plan document is on the device before going offline');

    // No network at all, then a reload: the page and the app come from the service worker, the plans
    // from IndexedDB, and the stored session is kept.
    await a.chrome.context.setOffline(true);
    await page.reload();
    await waitForScreen(page, 'dashboard', 60000);
    await widget(page, 'dashboard/plan/Inventory');
    assert.match(await indicator(page, /^Offline/), /^Offline/);
    await screenshot(page, 'offline-01-dashboard-offline');

    // Edit and save offline; make a new plan offline.
    await openPlan(page, 'Inventory');
    await rename(page, 'Inventory (offline edit)');
    assert.match((await widget(page, 'plan/notice')).text, /on this device/);
    assert.match(await indicator(page, /1 unsynced change/), /^Offline/);
    await screenshot(page, 'offline-02-edited-offline');
    await click(page, 'plan/back');
    await waitForScreen(page, 'dashboard');
    await click(page, 'dashboard/new-plan-name');
    await page.keyboard.type('Made offline', { delay: 10 });
    await click(page, 'dashboard/new-plan');
    assert.match((await widget(page, 'dashboard/plan/Made offline/sync')).text, /only on this device/);
    assert.match((await widget(page, 'dashboard/plan/Inventory (offline edit)/sync')).text, /not synced/);
    assert.match(await indicator(page, /2 unsynced changes/), /^Offline/);

    // Still offline, reload again: the unsynced work survived on the device.
    await page.reload();
    await waitForScreen(page, 'dashboard', 60000);
    await widget(page, 'dashboard/plan/Made offline');
    await widget(page, 'dashboard/plan/Inventory (offline edit)');
    await indicator(page, /^Offline.*2 unsynced changes/);
    await screenshot(page, 'offline-03-reloaded-offline');
    const server = await api('GET', `/v1/plan/${id}`, token);
    assert.equal(server.body.plan.name, 'Inventory', 'nothing reached the server while offline');

    // Back online: the queue is sent (PUT at revision 1, POST for the new plan).
    await a.chrome.context.setOffline(false);
    await indicator(page, /^Online.*all changes synced/);
    const synced = await api('GET', `/v1/plan/${id}`, token);
    assert.equal(synced.body.plan.name, 'Inventory (offline edit)');
    assert.equal(synced.body.revision, 2);
    const names = (await api('GET', '/v1/plan/', token)).body.items.map((p) => p.name).sort();
    assert.deepEqual(names, ['Inventory (offline edit)', 'Made offline']);
    await page.waitForFunction(() => !window.csUi.widget('dashboard/plan/Made offline/sync'), null, { timeout: 20000 });
    await screenshot(page, 'offline-04-synced');

    // A conflicting edit: A edits offline while a second browser saves the same plan online.
    await openPlan(page, 'Inventory (offline edit)');
    await a.chrome.context.setOffline(true);
    await indicator(page, /^Offline/);
    await rename(page, 'Inventory (A)');

    const b = await signedInPage(session);
    await openPlan(b.page, 'Inventory (offline edit)');
    await rename(b.page, 'Inventory (B)');
    await b.page.waitForFunction(() => window.csUi.widget('plan/revision')?.text === '3', null, { timeout: 20000 });
    await screenshot(b.page, 'offline-05-second-browser-saved');
    assert.deepEqual(b.errors, []);

    await a.chrome.context.setOffline(false);
    const message = await widget(page, 'conflict/message', 30000);
    assert.match(message.text, /changed elsewhere/);
    assert.equal((await widget(page, 'conflict/mine')).text, 'Inventory (A)');
    assert.equal((await widget(page, 'conflict/theirs')).text, 'Inventory (B)');
    assert.match(await indicator(page, /1 conflict to resolve/), /^Online  ·  1 conflict to resolve$/, 'counted once');
    const during = await api('GET', `/v1/plan/${id}`, token);
    assert.equal(during.body.plan.name, 'Inventory (B)', 'their version is not overwritten while the user decides');
    await screenshot(page, 'offline-06-conflict');

    await click(page, 'conflict/keep-mine');
    await indicator(page, /^Online.*all changes synced/);
    const resolved = await api('GET', `/v1/plan/${id}`, token);
    assert.equal(resolved.body.plan.name, 'Inventory (A)');
    assert.equal(resolved.body.revision, 4);
    await page.waitForFunction(() => window.csUi.widget('plan/revision')?.text === '4', null, { timeout: 20000 });
    assert.equal(await page.evaluate(() => window.csUi.widget('conflict/message')), null, 'the dialog is closed');
    await screenshot(page, 'offline-07-conflict-resolved');
    assert.deepEqual(a.errors, []);
  } catch (error) {
    await explain(page, 'offline', error);
  }
});
