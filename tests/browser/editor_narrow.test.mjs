// The plan editor in a 1024x700 window (and 1280x800 no worse), in headless Chromium against a real gateway:
// the selected VM's OS list shows its whole value ("amazon-linux", not "amazon-linu"), the preview tabs keep
// their full width (scrolled, not shrunk to "Proble…"), the toolbar stays on the title's line, and the canvas
// keeps a usable height over the preview pane. Screenshots: tests/artifacts/browser/narrow-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startGateway, openSignedIn, waitForScreen, widget, widgetWithText, click, screenshot,
} from './harness.mjs';
import { eventually } from '../lib/eventually.mjs';

let gateway;
let chrome;

before(async () => { gateway = await startGateway(); });
after(async () => {
  if (chrome) await chrome.close().catch(() => {});
  if (gateway) await gateway.stop();
});

// The canvas's least height at 1024x700 (before: ~220 px, under half of the editor's height, with the
// toolbar on two lines and the pane taking half; the pane itself must still show 8 lines: preview_pane.test).
const kMinCanvas1024 = 250;

// The OS combo's value fits beside its arrow: the app probes the text's width and the room it has.
async function assertOsWhole(page, size) {
  const combo = await widgetWithText(page, 'props/os/distribution', 'amazon-linux');
  const fit = JSON.parse((await widget(page, 'props/os/distribution/fit')).text);
  assert.ok(fit.text_w > 40, `${size}: measured "amazon-linux" as ${fit.text_w} px`);
  assert.ok(fit.text_w <= fit.room_w, `${size}: "amazon-linux" is ${fit.text_w} px in ${fit.room_w} px: cut`);
  const viewport = page.viewportSize();
  assert.ok(combo.x + combo.w <= viewport.width, `${size}: the combo ends inside the window (${JSON.stringify(combo)})`);
  return combo;
}

// Buttons on the same line as "All plans" (the toolbar did not wrap onto a line of its own).
async function assertToolbarOneLine(page, size) {
  const back = await widget(page, 'plan/back');
  for (const id of ['editor/undo', 'editor/redo', 'editor/save', 'editor/deploy']) {
    const button = await widget(page, id);
    assert.ok(Math.abs((button.y + button.h / 2) - (back.y + back.h / 2)) < back.h / 2,
              `${size}: ${id} at y=${button.y} is not on the toolbar line (All plans at y=${back.y})`);
    assert.ok(button.x + button.w <= page.viewportSize().width, `${size}: ${id} inside the window`);
  }
}

test('the editor at 1024x700: whole combo values, readable tabs, one toolbar line, a usable canvas', async () => {
  const email = `narrow.${Date.now()}@example.com`;
  const { token } = await gateway.signUp(email, 'narrow-window-42');
  assert.equal((await gateway.api('POST', '/v1/plan/', token, { name: 'Narrow' })).status, 201);

  chrome = await launchBrowser({ viewport: { width: 1280, height: 800 } });
  const page = await chrome.page();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await openSignedIn(page, gateway.url, { token, email });
    await click(page, 'dashboard/plan/Narrow/open');
    await waitForScreen(page, 'plan');
    await click(page, 'plan/component/vm-1');

    // 1280x800: the reference widths.
    await assertOsWhole(page, '1280x800');
    await assertToolbarOneLine(page, '1280x800');
    const tabs1280 = {};
    for (const id of ['editor/tab/problems', 'editor/tab/cs-json']) tabs1280[id] = await widget(page, id);
    const canvas1280 = await widget(page, 'editor/canvas');
    await screenshot(page, 'narrow-01-1280x800');

    await page.setViewportSize({ width: 1024, height: 700 });
    // The layout settles over a few frames after the resize (the window, then the lines that re-wrap).
    const canvas = await eventually(() => widget(page, 'editor/canvas'), {
      until: (c) => c.x + c.w <= 1024 && c.y + c.h <= 700 && c.h >= kMinCanvas1024,
      what: `the canvas inside the 1024x700 window and ${kMinCanvas1024}+ px tall (1280x800: ${canvas1280.h} px)` });
    console.log(`canvas at 1024x700: ${canvas.h} px (1280x800: ${canvas1280.h} px)`);
    await assertOsWhole(page, '1024x700');
    await assertToolbarOneLine(page, '1024x700');
    // Tabs keep their own width (the bar scrolls instead of shrinking them to cut labels).
    for (const [id, wide] of Object.entries(tabs1280)) {
      const narrow = await widget(page, id);
      assert.ok(narrow.w >= wide.w - 1, `${id} is ${narrow.w} px wide at 1024x700, ${wide.w} px at 1280x800: cut`);
    }
    const tab = await widget(page, 'editor/tab/problems');
    assert.ok(tab.y >= canvas.y + canvas.h, `the tabs (y=${tab.y}) are below the canvas (ends at ${canvas.y + canvas.h})`);
    await screenshot(page, 'narrow-02-1024x700');
  } catch (error) {
    await screenshot(page, 'narrow-failure').catch(() => {});
    const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
    error.message += `\nwidgets: ${JSON.stringify(widgets)}`;
    throw error;
  }
  assert.deepEqual(errors, []);
});
