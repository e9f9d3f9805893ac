// A plan made offline starts on the cloud an online "New plan" gets: the gateway's default provider
// (here CS_DEFAULT_PROVIDER=local, as on a machine without cloud credentials), which the app learns from
// GET /v1/me while online and keeps in localStorage. Signed in through the form once (online), then the
// network goes and "New plan" makes the plan on the device; it must be a local plan, not an AWS one,
// before and after it syncs. Screenshots: tests/artifacts/browser/offline-new-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startGateway, waitForScreen, widget, widgetWithText, click, type, screenshot,
} from './harness.mjs';
import { eventually } from '../lib/eventually.mjs';

let gateway;
let chrome;

before(async () => { gateway = await startGateway({ env: { CS_DEFAULT_PROVIDER: 'local' } }); });
after(async () => {
  if (chrome) await chrome.close().catch(() => {});
  if (gateway) await gateway.stop();
});

const api = (...args) => gateway.api(...args);

// The app's IndexedDB records of this account's plans.
async function storedPlans(page, email) {
  return page.evaluate((prefix) => new Promise((resolve, reject) => {
    const open = indexedDB.open('cloudsketch', 1);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const request = open.result.transaction('kv').objectStore('kv').getAll(IDBKeyRange.bound(prefix, `${prefix}\uffff`));
      request.onsuccess = () => resolve(request.result.map((text) => JSON.parse(text)));
      request.onerror = () => reject(request.error);
    };
  }), `plans/${email}/`);
}

test('a new plan made offline starts on the gateway default provider', async () => {
  const email = `offline.new.${Date.now()}@example.com`;
  const password = 'offline-new-plan-42';
  const { token } = await gateway.signUp(email, password);
  // What an online new plan gets, from the gateway itself.
  const online = await api('POST', '/v1/plan/', token, { name: 'Made online' });
  assert.equal(online.status, 201, online.text);
  const want = online.body.plan.cloud;
  assert.deepEqual(want, { provider: 'local', region: 'local' }, 'the gateway runs with CS_DEFAULT_PROVIDER=local');
  assert.deepEqual((await api('GET', '/v1/me', token)).body.new_plan.cloud, want, '/v1/me says the same');

  chrome = await launchBrowser();
  const page = await chrome.page();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    // Online once: signed in through the form.
    await page.goto(gateway.url + '/');
    await page.click('#hero-sign-in');
    await waitForScreen(page, 'login', 60000);
    await type(page, 'login/email', email);
    await type(page, 'login/password', password);
    await click(page, 'login/submit');
    await waitForScreen(page, 'dashboard');
    await widget(page, 'dashboard/plan/Made online');
    await widgetWithText(page, 'sync/indicator', /^Online.*all changes synced/);
    const remembered = await eventually(
      () => page.evaluate(() => localStorage.getItem('cloudsketch.new_plan_cloud')),
      { until: (text) => text !== null, what: "the gateway's new-plan cloud kept in localStorage" });
    assert.deepEqual(JSON.parse(remembered), want);

    // Offline: "New plan" makes it on the device, on the same cloud as the online one.
    await chrome.context.setOffline(true);
    await widgetWithText(page, 'sync/indicator', /^Offline/);
    await type(page, 'dashboard/new-plan-name', 'Made offline');
    await click(page, 'dashboard/new-plan');
    await widgetWithText(page, 'dashboard/plan/Made offline/sync', /only on this device/);
    const plans = await eventually(() => storedPlans(page, email), {
      until: (all) => all.some((p) => p.document?.name === 'Made offline'), what: 'the offline plan in IndexedDB' });
    assert.deepEqual(plans.find((p) => p.document?.name === 'Made offline').document.cloud, want);

    // The editor shows it on that cloud too.
    await click(page, 'dashboard/plan/Made offline/open');
    await waitForScreen(page, 'plan');
    await widgetWithText(page, 'plan/title', 'Made offline');
    await click(page, 'editor/tab/cs-json');
    const shown = JSON.parse((await widget(page, 'plan/json')).text);
    assert.deepEqual(shown.cloud, want, 'the cs-json preview shows the default cloud');
    await screenshot(page, 'offline-new-01-local-plan-offline');

    // Back online: it syncs as it is, still on the default cloud.
    await chrome.context.setOffline(false);
    await widgetWithText(page, 'sync/indicator', /^Online.*all changes synced/, 30000);
    const listed = await eventually(async () => (await api('GET', '/v1/plan/', token)).body.items, {
      until: (items) => items.some((p) => p.name === 'Made offline'), what: 'the offline plan on the server' });
    const synced = await api('GET', `/v1/plan/${listed.find((p) => p.name === 'Made offline').id}`, token);
    assert.deepEqual(synced.body.plan.cloud, want);
  } catch (error) {
    await screenshot(page, 'offline-new-failure').catch(() => {});
    const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
    error.message += `\nwidgets: ${JSON.stringify(widgets)}\ngateway log:\n${gateway.log().slice(-1500)}`;
    throw error;
  }
  assert.deepEqual(errors, []);
});
