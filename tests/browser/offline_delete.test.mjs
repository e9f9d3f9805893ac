// Deleting plans with no network, in headless Chromium against a real gateway: a delete is kept on the
// device like an edit (a tombstone in IndexedDB), the plan disappears at once and stays gone across an
// offline reload, and the server forgets it once the network is back. A plan changed on the server
// meanwhile is not deleted behind the user's back: the conflict dialog asks, "Keep theirs" brings it back
// and "Delete anyway" deletes exactly the version shown. Online, the delete carries the revision the app last
// saw (?revision=N), so a change saved elsewhere after the dashboard was listed is caught the same way.
// Screenshots: tests/artifacts/browser/offline-delete-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startGateway, openSignedIn, waitForScreen, widget, widgetOrNull, widgetGone, click, screenshot,
} from './harness.mjs';

let gateway;
let chrome;

before(async () => { gateway = await startGateway(); });
after(async () => {
  if (chrome) await chrome.close().catch(() => {});
  if (gateway) await gateway.stop();
});

const api = (...args) => gateway.api(...args);

async function until(what, check, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let seen;
  for (;;) {
    seen = await check();
    if (seen.ok) return seen;
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(seen)} after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function indicator(page, pattern) {
  try {
    await page.waitForFunction((source) => new RegExp(source).test(window.csUi.widget('sync/indicator')?.text || ''),
                               pattern.source, { timeout: 20000 });
  } catch {
    assert.fail(`sync/indicator shows ${JSON.stringify((await widgetOrNull(page, 'sync/indicator'))?.text)}, not ${pattern}`);
  }
  return (await widget(page, 'sync/indicator')).text;
}

async function rowGone(page, name) {
  await page.waitForFunction((id) => !window.csUi.widget(id), `dashboard/plan/${name}`, { timeout: 20000 })
    .catch(() => assert.fail(`the dashboard still shows ${name}`));
}

// The app's IndexedDB record of plan `id` for this account (null when there is none).
async function stored(page, email, id) {
  return page.evaluate((key) => new Promise((resolve, reject) => {
    const open = indexedDB.open('cloudsketch', 1);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const request = open.result.transaction('kv').objectStore('kv').get(key);
      request.onsuccess = () => resolve(request.result ? JSON.parse(request.result) : null);
      request.onerror = () => reject(request.error);
    };
  }), `plans/${email}/${id}`);
}

async function deleteFromDashboard(page, name) {
  await click(page, `dashboard/plan/${name}/delete`);
  await click(page, 'confirm/delete');
  await rowGone(page, name);
}

const serverHas = async (token, id) => (await api('GET', `/v1/plan/${id}`, token)).status === 200;

test('offline deletes are kept on the device, synced when back, and ask when the plan changed meanwhile', async () => {
  const email = `deleter.${Date.now()}@example.com`;
  const { token } = await gateway.signUp(email, 'offline-delete-42');
  const ids = {};
  for (const name of ['Old notes', 'Shared plan', 'Stale copy', 'Keeper']) {
    const created = await api('POST', '/v1/plan/', token, { name });
    assert.equal(created.status, 201);
    ids[name] = created.body.id;
  }

  chrome = await launchBrowser();
  const page = await chrome.page();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await openSignedIn(page, gateway.url, { token, email });
    for (const name of Object.keys(ids)) await widget(page, `dashboard/plan/${name}`);
    await indicator(page, /^Online.*all changes synced/);
    // Every document on the device before the network goes (the service worker too, for the reload).
    await until('plans and site stored for offline use', async () => {
      const docs = await Promise.all(Object.values(ids).map((id) => stored(page, email, id)));
      const worker = await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.active);
      return { ok: worker && docs.every((d) => d?.document?.name), worker, docs: docs.map((d) => !!d?.document) };
    });

    // Offline: three deletes, each gone from view at once and kept as a tombstone.
    await chrome.context.setOffline(true);
    await indicator(page, /^Offline/);
    for (const name of ['Old notes', 'Shared plan', 'Stale copy']) await deleteFromDashboard(page, name);
    assert.match((await widget(page, 'dashboard/notice')).text, /on this device; the server forgets it when you are back online/);
    assert.match(await indicator(page, /3 unsynced changes/), /^Offline/);
    const tomb = await stored(page, email, ids['Old notes']);
    assert.equal(tomb.deleted, true, 'a tombstone in IndexedDB');
    for (const name of ['Old notes', 'Shared plan', 'Stale copy']) {
      assert.ok(await serverHas(token, ids[name]), `the server still has ${name} while the browser is offline`);
    }
    await screenshot(page, 'offline-delete-01-deleted-offline');

    // Still offline, reload: the deletes survived on the device.
    await page.reload();
    await waitForScreen(page, 'dashboard', 60000);
    await widget(page, 'dashboard/plan/Keeper');
    for (const name of ['Old notes', 'Shared plan', 'Stale copy']) {
      assert.equal(await widgetOrNull(page, `dashboard/plan/${name}`), null, `${name} stays hidden after a reload`);
    }
    assert.match(await indicator(page, /3 unsynced changes/), /^Offline/);

    // Meanwhile someone else changes two of them on the server.
    for (const name of ['Shared plan', 'Stale copy']) {
      const current = (await api('GET', `/v1/plan/${ids[name]}`, token)).body;
      const changed = { ...current.plan, name: `${name} (edited elsewhere)` };
      const put = await api('PUT', `/v1/plan/${ids[name]}`, token, { revision: current.revision, plan: changed });
      assert.equal(put.status, 200, JSON.stringify(put.body));
    }

    // Back online: the untouched plan is deleted on the server; the changed ones ask first.
    await chrome.context.setOffline(false);
    await until('the server deleted "Old notes"', async () => ({ ok: !(await serverHas(token, ids['Old notes'])) }));
    await page.waitForFunction(() => /You deleted "(Shared plan|Stale copy)", but it was changed elsewhere/
      .test(window.csUi.widget('conflict/message')?.text || ''), null, { timeout: 20000 })
      .catch(async () => assert.fail(`no delete conflict: ${JSON.stringify(await widgetOrNull(page, 'conflict/message'))}`));
    assert.equal((await widget(page, 'conflict/mine')).text, '(deleted)');
    assert.match(await indicator(page, /2 conflicts to resolve/), /^Online/);
    assert.ok(await serverHas(token, ids['Shared plan']) && await serverHas(token, ids['Stale copy']),
              'nothing changed elsewhere is deleted without asking');
    await screenshot(page, 'offline-delete-02-conflict');

    // Resolve each: keep theirs for "Shared plan", delete anyway for "Stale copy".
    for (let i = 0; i < 2; i++) {
      const theirs = (await widget(page, 'conflict/theirs')).text;
      const keep = theirs === 'Shared plan (edited elsewhere)';
      assert.ok(keep || theirs === 'Stale copy (edited elsewhere)', `their version: ${theirs}`);
      await click(page, keep ? 'conflict/take-theirs' : 'conflict/keep-mine');
      await page.waitForFunction((t) => window.csUi.widget('conflict/theirs')?.text !== t, theirs, { timeout: 20000 });
    }
    await widget(page, 'dashboard/plan/Shared plan (edited elsewhere)');
    await until('the server deleted "Stale copy"', async () => ({ ok: !(await serverHas(token, ids['Stale copy'])) }));
    assert.ok(await serverHas(token, ids['Shared plan']), 'kept theirs: still on the server');
    assert.match(await indicator(page, /^Online.*all changes synced/), /all changes synced/);
    for (const name of ['Old notes', 'Stale copy']) {
      assert.equal(await stored(page, email, ids[name]), null, `${name}'s tombstone is gone from IndexedDB`);
    }
    assert.equal(await widgetOrNull(page, 'dashboard/plan/Stale copy (edited elsewhere)'), null);
    await screenshot(page, 'offline-delete-03-synced');
  } catch (error) {
    await screenshot(page, 'offline-delete-failure').catch(() => {});
    const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
    error.message += `\nwidgets: ${JSON.stringify(widgets)}\ngateway log:\n${gateway.log().slice(-1500)}`;
    throw error;
  }
  assert.deepEqual(errors, []);
});

test('an online delete of a plan changed since the dashboard listed it asks before deleting', async () => {
  const email = `overtaken.${Date.now()}@example.com`;
  const { token } = await gateway.signUp(email, 'online-delete-42');
  const created = await api('POST', '/v1/plan/', token, { name: 'Overtaken' });
  assert.equal(created.status, 201);
  const id = created.body.id;
  const saveElsewhere = async (name) => {
    const current = (await api('GET', `/v1/plan/${id}`, token)).body;
    const put = await api('PUT', `/v1/plan/${id}`, token, { revision: current.revision, plan: { ...current.plan, name } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    return put.body.revision;
  };
  const conflictShown = async (name) => {
    await page.waitForFunction((n) => (window.csUi.widget('conflict/message')?.text || '')
      .includes(`You deleted "${n}", but it was changed elsewhere`), name, { timeout: 20000 }).catch(async () => assert.fail(`no delete conflict for ${name}: ${JSON.stringify(await widgetOrNull(page, 'conflict/message'))}`));
  };

  const browser = await launchBrowser();
  const page = await browser.page();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await openSignedIn(page, gateway.url, { token, email });
    await widget(page, 'dashboard/plan/Overtaken');
    await indicator(page, /^Online.*all changes synced/);

    // Saved elsewhere (another browser, the API) after this dashboard was listed: revision 2.
    assert.equal(await saveElsewhere('Overtaken (edited elsewhere)'), 2);
    await deleteFromDashboard(page, 'Overtaken');
    await conflictShown('Overtaken');
    assert.equal((await widget(page, 'conflict/theirs')).text, 'Overtaken (edited elsewhere)');
    assert.equal((await widget(page, 'conflict/mine')).text, '(deleted)');
    const kept = await api('GET', `/v1/plan/${id}`, token);
    assert.equal(kept.status, 200, 'a plan changed since the app saw it is not deleted unseen');
    assert.equal(kept.body.revision, 2);
    await screenshot(page, 'offline-delete-04-online-conflict');

    // Keep theirs: it is back on the dashboard as the server has it.
    await click(page, 'conflict/take-theirs');
    await widget(page, 'dashboard/plan/Overtaken (edited elsewhere)');
    await widgetGone(page, 'conflict/message');
    assert.equal((await api('GET', `/v1/plan/${id}`, token)).status, 200);

    // Changed elsewhere once more (revision 3), deleted again from revision 2: asked again; "Delete anyway"
    // deletes the version shown.
    assert.equal(await saveElsewhere('Overtaken twice'), 3);
    await deleteFromDashboard(page, 'Overtaken (edited elsewhere)');
    await conflictShown('Overtaken (edited elsewhere)');
    assert.equal((await widget(page, 'conflict/theirs')).text, 'Overtaken twice');
    assert.equal((await api('GET', `/v1/plan/${id}`, token)).status, 200, 'still there until the user chooses');
    await click(page, 'conflict/keep-mine');
    await until('the server deleted the plan', async () => ({ ok: !(await serverHas(token, id)) }));
    await widgetGone(page, 'conflict/message');
    assert.match(await indicator(page, /^Online.*all changes synced/), /all changes synced/);
    assert.equal(await widgetOrNull(page, 'dashboard/plan/Overtaken twice'), null);
    assert.equal(await stored(page, email, id), null, 'no tombstone left in IndexedDB');
  } catch (error) {
    await screenshot(page, 'offline-delete-online-failure').catch(() => {});
    const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
    error.message += `\nwidgets: ${JSON.stringify(widgets)}\ngateway log:\n${gateway.log().slice(-1500)}`;
    throw error;
  } finally {
    await browser.close().catch(() => {});
  }
  assert.deepEqual(errors, []);
});
