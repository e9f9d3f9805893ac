// Clicks that are shorter than a frame. On a loaded machine (or a slow laptop) a frame can take longer
// than a quick click, so the press and the release reach the page before the app draws again. Dear ImGui
// 1.86 samples the mouse once per frame; its GLFW backend latches a press (MouseJustPressed) so that ImGui
// still sees the button down for one frame and up the next. This test holds the app to that: the press and
// the release are dispatched in one JavaScript task (the app cannot draw in between), once at once and
// once with the main thread busy for 300 ms between them, and each click must act.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startGateway, waitForScreen, widget, waitFrames, screenshot } from './harness.mjs';

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

// Press and release at the centre of `w` on the canvas, within one task; `busyMs` of work in between.
async function clickWithinOneTask(page, w, busyMs) {
  const x = w.x + w.w / 2;
  const y = w.y + w.h / 2;
  await page.mouse.move(x, y);  // the pointer is there first, as for a person
  await waitFrames(page, 1);
  const frames = await page.evaluate(([px, py, busy]) => {
    const canvas = document.getElementById('canvas');
    const init = { bubbles: true, cancelable: true, clientX: px, clientY: py, button: 0 };
    const before = window.csUi.frame();
    canvas.dispatchEvent(new MouseEvent('mousedown', { ...init, buttons: 1 }));
    for (const end = performance.now() + busy; performance.now() < end;) { /* a slow frame's worth of work */ }
    canvas.dispatchEvent(new MouseEvent('mouseup', { ...init, buttons: 0 }));
    return window.csUi.frame() - before;
  }, [x, y, busyMs]);
  assert.equal(frames, 0, 'the press and the release came between two frames');
}

test('a click shorter than a frame still acts, even when the page is busy', async () => {
  const page = await chrome.page();
  try {
    await page.goto(gateway.url + '/#app');
    await waitForScreen(page, 'login', 60000);
    await clickWithinOneTask(page, await widget(page, 'login/switch'), 0);
    await waitForScreen(page, 'signup');
    await waitFrames(page, 2);
    await clickWithinOneTask(page, await widget(page, 'signup/switch'), 300);
    await waitForScreen(page, 'login');
  } catch (error) {
    await screenshot(page, 'failure-input').catch(() => {});
    throw error;
  }
});
