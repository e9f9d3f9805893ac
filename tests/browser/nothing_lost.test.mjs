// Nothing is lost in the editor, and the browser's Back goes where a person expects (issue 13), in headless
// Chromium against a real gateway, with the real mouse and keyboard:
// - leaving a plan with unsaved edits ("All plans", Back, Log out) asks "Save / Discard / Keep editing";
//   Save keeps the value (disk 77 is 77 when the plan is opened again), Discard drops it;
// - each screen has its own address (#app, #plan/<id>): Back from the editor is the dashboard, Forward the
//   editor again, and a reload reopens the plan;
// - reloading the tab with unsaved edits gets the browser's own "leave site?" prompt (beforeunload);
// - an offline edit that collides with a server change is shown in words first ("Disk size: 250 GiB (this
//   device) / 350 GiB (server, changed at ...)"), and the indicator counts that plan once, as a conflict.
// Screenshots: tests/artifacts/browser/nothing-lost-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startGateway, openSignedIn, waitForScreen, widget, widgetOrNull, widgetWithText, widgetGone, click,
  waitFrames, screenshot,
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

async function signedInPage(session) {
  const chrome = await launchBrowser();
  browsers.push(chrome);
  const page = await chrome.page();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await openSignedIn(page, gateway.url, session);
  return { chrome, page, errors };
}

async function fail(page, name, error) {
  await screenshot(page, `nothing-lost-failure-${name}`).catch(() => {});
  const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
  error.message += `\nscreen: ${await page.evaluate(() => window.csUi.screen()).catch(() => '?')}` +
                   `\nwidgets: ${JSON.stringify(widgets)}\ngateway log:\n${gateway.log().slice(-1500)}`;
  throw error;
}

const hash = (page) => page.evaluate(() => location.hash);

async function openPlan(page, name) {
  await click(page, `dashboard/plan/${name}`);
  await waitForScreen(page, 'plan');
  await widgetWithText(page, 'plan/title', name);
}

// The VM's disk size as a person sets it: select the VM on the canvas, retype the field.
async function setDisk(page, gib) {
  await click(page, 'plan/component/vm-1');
  await click(page, 'props/disk/size_gib');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(String(gib), { delay: 15 });
  await widgetWithText(page, 'props/disk/size_gib', String(gib));
}

async function shownDisk(page) {
  await click(page, 'plan/component/vm-1');
  return Number((await widget(page, 'props/disk/size_gib')).text);
}

async function serverDisk(token, id) {
  const plan = (await api('GET', `/v1/plan/${id}`, token)).body.plan;
  return plan.components.find((c) => c.id === 'vm-1').disk.size_gib;
}

test('leaving with unsaved edits asks; Save keeps them, Discard drops them; Back and Forward move between screens', async () => {
  const email = `keep.${Date.now()}@example.com`;
  const { token: browserToken } = await gateway.signUp(email, 'nothing-lost-42');
  // A session of its own for the test's checks: the browser's ends when it logs out.
  const login = await api('POST', '/v1/auth/login', null, { email, password: 'nothing-lost-42' });
  assert.equal(login.status, 200, login.text);
  const token = login.body.token;
  const created = await api('POST', '/v1/plan/', token, { name: 'Inventory' });
  assert.equal(created.status, 201);
  const id = created.body.id;
  assert.equal(await serverDisk(token, id), 20, 'a new plan\'s VM has a 20 GiB disk');
  const { page, errors } = await signedInPage({ token: browserToken, email });
  try {
    assert.equal(await hash(page), '#app');
    await openPlan(page, 'Inventory');
    assert.equal(await hash(page), `#plan/${id}`, 'the plan has an address of its own');

    // "All plans" with an unsaved edit: asked, nothing left yet.
    await setDisk(page, 77);
    await widget(page, 'editor/dirty');
    await click(page, 'plan/back');
    assert.equal((await widget(page, 'leave/message')).text, 'You have unsaved changes to "Inventory".');
    await widget(page, 'leave/save');
    await widget(page, 'leave/discard');
    await screenshot(page, 'nothing-lost-01-asked');
    assert.equal(await page.evaluate(() => window.csUi.screen()), 'plan');

    // Keep editing: still here, the edit still there.
    await click(page, 'leave/keep-editing');
    await widgetGone(page, 'leave/message');
    assert.equal(await page.evaluate(() => window.csUi.screen()), 'plan');
    assert.equal(await shownDisk(page), 77);
    await widget(page, 'editor/dirty');

    // Save: saved, then the dashboard; the server has 77 and so does the plan when opened again.
    await click(page, 'plan/back');
    await click(page, 'leave/save');
    await waitForScreen(page, 'dashboard');
    assert.equal(await hash(page), '#app');
    await eventually(() => serverDisk(token, id), { until: (gib) => gib === 77, what: 'disk 77 on the server' });
    await widgetWithText(page, 'sync/indicator', /all changes synced/);
    await openPlan(page, 'Inventory');
    assert.equal(await shownDisk(page), 77, 'disk 77 stays 77 after reopening');
    await screenshot(page, 'nothing-lost-02-saved-and-reopened');

    // The browser's Back with an unsaved edit: asked too; Discard drops the edit and shows the dashboard.
    await setDisk(page, 99);
    await page.goBack();
    await widgetWithText(page, 'leave/message', 'You have unsaved changes to "Inventory".');
    assert.equal(await page.evaluate(() => window.csUi.screen()), 'plan', 'Back asks before leaving');
    await screenshot(page, 'nothing-lost-03-back-asks');
    await click(page, 'leave/discard');
    await waitForScreen(page, 'dashboard');
    assert.equal(await hash(page), '#app');
    assert.equal(await serverDisk(token, id), 77, 'discarded: the server still has 77');

    // Forward: the editor again, with the saved value (the discarded 99 is gone).
    await page.goForward();
    await waitForScreen(page, 'plan');
    await widgetWithText(page, 'plan/title', 'Inventory');
    assert.equal(await hash(page), `#plan/${id}`);
    assert.equal(await shownDisk(page), 77);
    assert.equal(await widgetOrNull(page, 'editor/dirty'), null);

    // Back without edits: straight to the dashboard (not the landing page), no question.
    await page.goBack();
    await waitForScreen(page, 'dashboard');
    assert.equal(await widgetOrNull(page, 'leave/message'), null);
    assert.ok(await page.evaluate(() => document.documentElement.classList.contains('app-mode')), 'still in the app');
    await page.goForward();
    await waitForScreen(page, 'plan');

    // Back, "Keep editing": the address bar shows the plan again, and Back asks again.
    await setDisk(page, 55);
    await page.goBack();
    await click(page, 'leave/keep-editing');
    await eventually(() => hash(page), { until: (h) => h === `#plan/${id}`, what: 'the plan\'s address back' });
    await page.goBack();
    await widget(page, 'leave/message');
    await click(page, 'leave/keep-editing');
    await eventually(() => hash(page), { until: (h) => h === `#plan/${id}`, what: 'the plan\'s address back' });

    // Reloading the tab with the edit: the browser's own prompt (beforeunload). Stay.
    const dialog = page.waitForEvent('dialog', { timeout: 20000 });
    const reload = page.reload({ timeout: 5000 }).catch(() => 'stayed');
    const prompt = await dialog;
    assert.equal(prompt.type(), 'beforeunload');
    await prompt.dismiss();
    await reload;
    await waitFrames(page, 3);
    assert.equal(await page.evaluate(() => window.csUi.screen()), 'plan');
    assert.equal(await shownDisk(page), 55, 'staying keeps the edit');
    await screenshot(page, 'nothing-lost-04-reload-prompt-dismissed');

    // Saved, a reload reopens the same plan (its address), with no prompt.
    await page.keyboard.press('Control+S');
    await widgetGone(page, 'editor/dirty');
    await eventually(() => serverDisk(token, id), { until: (gib) => gib === 55, what: 'disk 55 on the server' });
    let prompted = false;
    const onDialog = (d) => { prompted = true; d.accept(); };
    page.on('dialog', onDialog);
    await page.reload();
    await waitForScreen(page, 'plan', 60000);
    await widgetWithText(page, 'plan/title', 'Inventory');
    page.off('dialog', onDialog);
    assert.equal(prompted, false, 'no prompt without unsaved edits');
    assert.equal(await shownDisk(page), 55);
    await screenshot(page, 'nothing-lost-05-reloaded-plan');

    // Log out with an unsaved edit: asked; Save saves it, then signs out.
    await setDisk(page, 88);
    await click(page, 'plan/logout');
    await widgetWithText(page, 'leave/message', 'You have unsaved changes to "Inventory".');
    await click(page, 'leave/save');
    await waitForScreen(page, 'login');
    assert.equal(await serverDisk(token, id), 88, 'saved before signing out');
    assert.deepEqual(errors, []);
  } catch (error) {
    await fail(page, 'leave', error);
  }
});

test('an offline conflict shows what differs in words first, and counts once', async () => {
  const email = `words.${Date.now()}@example.com`;
  const { token } = await gateway.signUp(email, 'nothing-lost-42');
  const created = await api('POST', '/v1/plan/', token, { name: 'Orders' });
  const id = created.body.id;
  const { chrome, page, errors } = await signedInPage({ token, email });
  try {
    await openPlan(page, 'Orders');
    await chrome.context.setOffline(true);
    await widgetWithText(page, 'sync/indicator', /^Offline/);
    await setDisk(page, 250);
    await page.keyboard.press('Control+S');
    await widgetWithText(page, 'sync/indicator', /^Offline.*1 unsynced change/);

    // Meanwhile the server's copy gets 350 GiB.
    const current = (await api('GET', `/v1/plan/${id}`, token)).body;
    const theirs = structuredClone(current.plan);
    theirs.components.find((c) => c.id === 'vm-1').disk.size_gib = 350;
    const put = await api('PUT', `/v1/plan/${id}`, token, { revision: current.revision, plan: theirs });
    assert.equal(put.status, 200, put.text);

    await chrome.context.setOffline(false);
    const differences = await widget(page, 'conflict/differences', 30000);
    const first = differences.text.split('\n')[0];
    assert.match(first, /^Disk size: 250 GiB \(this device\) \/ 350 GiB \(server, changed at \d\d:\d\d on \d{1,2} \w{3} \d{4}\)/);
    assert.equal((await widget(page, 'conflict/difference/0')).text, first);
    // One plan in conflict is one thing to do.
    const indicator = (await widgetWithText(page, 'sync/indicator', /1 conflict to resolve/)).text;
    assert.doesNotMatch(indicator, /unsynced|all changes synced/, indicator);
    // Each side says where it is; the documents are folded below.
    assert.match((await widget(page, 'conflict/theirs-title')).text, /^Server \(revision \d+, changed at /);
    assert.equal((await widget(page, 'conflict/show-json')).text, 'closed');
    await screenshot(page, 'nothing-lost-06-conflict-in-words');
    await click(page, 'conflict/show-json');
    await widgetWithText(page, 'conflict/show-json', 'open');
    await widget(page, 'conflict/pointers');
    await screenshot(page, 'nothing-lost-07-conflict-json-open');

    await click(page, 'conflict/keep-mine');
    await widgetWithText(page, 'sync/indicator', /^Online.*all changes synced/);
    assert.equal(await serverDisk(token, id), 250);
    assert.deepEqual(errors, []);
  } catch (error) {
    await fail(page, 'conflict', error);
  }
});

test('"Created ... it syncs when you are back online" goes once the plan has synced', async () => {
  const email = `notice.${Date.now()}@example.com`;
  const { token } = await gateway.signUp(email, 'nothing-lost-42');
  const { chrome, page, errors } = await signedInPage({ token, email });
  try {
    await chrome.context.setOffline(true);
    await widgetWithText(page, 'sync/indicator', /^Offline/);
    await click(page, 'dashboard/new-plan-name');
    await page.keyboard.type('Made offline', { delay: 10 });
    await click(page, 'dashboard/new-plan');
    await widgetWithText(page, 'dashboard/notice', /Made offline.*syncs when you are back online/);
    await chrome.context.setOffline(false);
    await widgetWithText(page, 'sync/indicator', /^Online.*all changes synced/, 30000);
    await widgetGone(page, 'dashboard/notice');
    await widget(page, 'dashboard/plan/Made offline');
    assert.equal(await widgetOrNull(page, 'dashboard/plan/Made offline/sync'), null);
    await screenshot(page, 'nothing-lost-08-created-offline-synced');
    assert.deepEqual(errors, []);
  } catch (error) {
    await fail(page, 'notice', error);
  }
});
