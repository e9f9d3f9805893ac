// Escape in the editor closes what is open and nothing else, in headless Chromium against a real gateway:
// the instance-type picker (one press, even while its search field has the keyboard), a list, and the
// delete confirmation each close without changing the plan, the selection or the screen; only with nothing
// open does Escape clear the selection. Screenshots: tests/artifacts/browser/escape-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startGateway, openSignedIn, waitForScreen, widget, widgetWithText, widgetGone, widgetOrNull, click,
  type, waitFrames, screenshot,
} from './harness.mjs';

let gateway;
let chrome;

before(async () => { gateway = await startGateway(); });
after(async () => {
  if (chrome) await chrome.close().catch(() => {});
  if (gateway) await gateway.stop();
});

test('Escape closes the picker, a list and a confirmation without touching the plan or the selection', async () => {
  const email = `escape.${Date.now()}@example.com`;
  const { token } = await gateway.signUp(email, 'escape-key-42');
  const created = await gateway.api('POST', '/v1/plan/', token, { name: 'Escapes' });
  assert.equal(created.status, 201);
  const vm = created.body.plan.components.find((c) => c.kind === 'vm');
  assert.ok(vm?.hardware?.instance_type, 'the default plan has a VM sized by instance type');

  chrome = await launchBrowser();
  const page = await chrome.page();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // After each Escape: nothing was edited, the VM is still selected, the editor is still open.
  const unchanged = async (what) => {
    assert.equal((await widget(page, 'props/hardware/instance_type')).text, vm.hardware.instance_type, `${what}: same type`);
    assert.equal((await widget(page, 'props/disk/type')).text, vm.disk.type, `${what}: same disk type`);
    assert.equal((await widget(page, 'props/id')).text, `id ${vm.id}`, `${what}: the VM is still selected`);
    assert.equal((await widget(page, 'editor/undo')).text, '', `${what}: nothing to undo`);
    assert.equal(await widgetOrNull(page, 'editor/dirty'), null, `${what}: no unsaved changes`);
    assert.equal(await page.evaluate(() => window.csUi.screen()), 'plan', `${what}: still in the editor`);
  };
  try {
    await openSignedIn(page, gateway.url, { token, email });
    await click(page, 'dashboard/plan/Escapes/open');
    await waitForScreen(page, 'plan');
    await click(page, `plan/component/${vm.id}`);
    await widgetWithText(page, 'props/id', `id ${vm.id}`);
    await unchanged('before any Escape');

    // The picker, its search field typed into (it has the keyboard): one Escape closes it.
    await click(page, 'props/hardware/instance_type');
    await type(page, 'picker/search', 'm6i');
    await widgetWithText(page, 'picker/search', 'm6i');
    await screenshot(page, 'escape-01-picker-open');
    await page.keyboard.press('Escape');
    await widgetGone(page, 'picker/search');
    await unchanged('picker');

    // A list (combo): open, Escape, closed.
    await click(page, 'props/disk/type');
    await widget(page, 'props/disk/type/option/hdd');
    await page.keyboard.press('Escape');
    await widgetGone(page, 'props/disk/type/option/hdd');
    await unchanged('list');

    // The delete confirmation: Escape is Cancel; the plan stays, here and on the server.
    await click(page, 'plan/delete');
    await widget(page, 'confirm/delete');
    await page.keyboard.press('Escape');
    await widgetGone(page, 'confirm/delete');
    await unchanged('delete confirmation');
    assert.equal((await gateway.api('GET', `/v1/plan/${created.body.id}`, token)).status, 200);
    await screenshot(page, 'escape-02-all-closed');

    // Nothing open: now Escape clears the selection (what the presses above must not have done).
    await waitFrames(page, 2);
    await page.keyboard.press('Escape');
    await widgetGone(page, 'props/id');
    await widgetWithText(page, 'props/selection', /Select a component/);
    assert.equal(await page.evaluate(() => window.csUi.screen()), 'plan');
  } catch (error) {
    await screenshot(page, 'escape-failure').catch(() => {});
    const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
    error.message += `\nwidgets: ${JSON.stringify(widgets)}`;
    throw error;
  }
  assert.deepEqual(errors, []);
});
