// Ctrl+V pastes from the system clipboard, in headless Chromium against a real gateway: text copied
// elsewhere (written to the real clipboard with navigator.clipboard) goes into the plan-name field and is
// saved by Rename; cs-json copied in another tab pastes its components onto the canvas, saved with Ctrl+S;
// the app's own Ctrl+C on the canvas puts the components on the system clipboard and Ctrl+V pastes them.
// Screenshots: tests/artifacts/browser/paste-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startGateway, openSignedIn, waitForScreen, widget, widgetWithText, click, waitFrames, screenshot,
} from './harness.mjs';
import { eventually } from '../lib/eventually.mjs';

let gateway;
let chrome;

before(async () => { gateway = await startGateway(); });
after(async () => {
  if (chrome) await chrome.close().catch(() => {});
  if (gateway) await gateway.stop();
});

// Writes `text` to the system clipboard (as another program or tab would) and waits until it reads back.
async function setClipboard(page, text) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await eventually(() => page.evaluate(() => navigator.clipboard.readText()),
                   { until: (seen) => seen === text, what: 'the clipboard holding the written text' });
}

// A press on an empty spot of the canvas (bottom right; the plan's nodes sit top left): the canvas has the
// keyboard and nothing is selected.
async function clickEmptyCanvas(page) {
  const canvas = await widget(page, 'editor/canvas');
  await page.mouse.click(canvas.x + canvas.w - 40, canvas.y + canvas.h - 40);
  await eventually(() => widget(page, 'props/selection'), { what: 'nothing selected after the click on empty canvas' });
}

const componentsOf = async (token, id) => (await gateway.api('GET', `/v1/plan/${id}`, token)).body.plan.components;

test('Ctrl+V pastes the system clipboard into a text field and cs-json components onto the canvas', async () => {
  const email = `paste.${Date.now()}@example.com`;
  const { token } = await gateway.signUp(email, 'paste-it-in-42');
  const created = await gateway.api('POST', '/v1/plan/', token, { name: 'Paste' });
  assert.equal(created.status, 201);
  const id = created.body.id;
  // "Another tab's" components: this plan's own document with the VM renamed, so what lands is recognisable.
  const other = structuredClone(created.body.plan);
  other.name = 'Another tab';
  other.components.find((c) => c.id === 'vm-1').name = 'elsewhere-vm';

  chrome = await launchBrowser({ viewport: { width: 1280, height: 800 } });
  await chrome.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gateway.url });
  const page = await chrome.page();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await openSignedIn(page, gateway.url, { token, email });
    await click(page, 'dashboard/plan/Paste/open');
    await waitForScreen(page, 'plan');

    // 1. Text from elsewhere into the plan-name field, then Rename: the server has the pasted name.
    await setClipboard(page, 'Pasted from elsewhere');
    await click(page, 'plan/name-input');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+V');
    await widgetWithText(page, 'plan/name-input', 'Pasted from elsewhere');
    await click(page, 'plan/rename');
    await eventually(() => gateway.api('GET', `/v1/plan/${id}`, token), {
      until: (r) => r.body?.plan?.name === 'Pasted from elsewhere', what: 'the server holding the pasted name' });
    await screenshot(page, 'paste-01-name');

    // 2. cs-json from another tab onto the canvas (the app's own clipboard is empty: nothing was copied here).
    await setClipboard(page, JSON.stringify(other, null, 2));
    await clickEmptyCanvas(page);
    await page.keyboard.press('Control+V');
    await widget(page, 'plan/component/vm-2');
    await widget(page, 'plan/component/pg-2');
    await widgetWithText(page, 'editor/undo', 'Paste 2 components');
    await page.keyboard.press('Control+S');
    const saved = await eventually(() => componentsOf(token, id), {
      until: (cs) => cs.length === 4, what: 'the server holding the 2 pasted components' });
    const vm2 = saved.find((c) => c.id === 'vm-2');
    assert.equal(vm2.name, 'elsewhere-vm (copy)');
    assert.equal(saved.find((c) => c.id === 'pg-2').host, 'vm-2', JSON.stringify(saved));
    await screenshot(page, 'paste-02-components');

    // 3. Text that is not a plan, pasted on the canvas, changes nothing: the user's newest copy is that text,
    //    not the components pasted before (the undo step is still that paste).
    await setClipboard(page, 'just some words');
    await clickEmptyCanvas(page);
    await page.keyboard.press('Control+V');
    await waitFrames(page, 3);  // the key press's own frames: nothing is requested or timed here
    assert.equal((await widget(page, 'editor/undo')).text, 'Paste 2 components');

    // 4. The app's own copy: Ctrl+C on a selected node reaches the system clipboard as cs-json, and Ctrl+V
    //    pastes it.
    await click(page, 'plan/component/vm-1');
    await page.keyboard.press('Control+C');
    const copied = await eventually(() => page.evaluate(() => navigator.clipboard.readText()), {
      until: (text) => { try { return JSON.parse(text).components.length === 1; } catch { return false; } },
      what: 'the clipboard holding the copied VM as cs-json' });
    assert.equal(JSON.parse(copied).components[0].id, 'vm-1');
    await clickEmptyCanvas(page);
    await page.keyboard.press('Control+V');
    await widget(page, 'plan/component/vm-3');
    await page.keyboard.press('Control+S');
    await eventually(() => componentsOf(token, id), {
      until: (cs) => cs.some((c) => c.id === 'vm-3' && c.name === 'db-host (copy)'), what: 'the server holding vm-3' });
    await screenshot(page, 'paste-03-own-copy');
  } catch (error) {
    await screenshot(page, 'paste-failure').catch(() => {});
    const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
    error.message += `\nwidgets: ${JSON.stringify(widgets)}`;
    throw error;
  }
  assert.deepEqual(errors, []);
});
