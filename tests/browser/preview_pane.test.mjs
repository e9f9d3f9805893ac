// The editor's preview as a reading pane, in headless Chromium against a real gateway: at 1280x800 the
// postgresql.conf preview shows a page of text (not ~4 lines), its longest line (a tuning reason) is reached
// by dragging the pane's horizontal scrollbar like a person, it keeps working at 1024x700, and the splitter
// between the canvas and the pane gives the pane more room when dragged up.
// Screenshots: tests/artifacts/browser/preview-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startGateway, openSignedIn, waitForScreen, widget, click, screenshot, drag,
} from './harness.mjs';
import { eventually } from '../lib/eventually.mjs';

let gateway;
let chrome;

before(async () => { gateway = await startGateway(); });
after(async () => {
  if (chrome) await chrome.close().catch(() => {});
  if (gateway) await gateway.stop();
});

// Lines of text the pane shows at once, at 1280x800 and at 1024x700 (before: about 4 at 1280x800).
const kMinLines1280 = 12;
const kMinLines1024 = 8;

const facts = (pane) => JSON.parse(pane.text);
const linesShown = (pane) => Math.floor(pane.h / facts(pane).line_h);

// Drags the horizontal scrollbar's thumb (at its left end while unscrolled) past the bar's right end, and
// waits until the pane is scrolled to its end; returns the pane then.
async function scrollToLineEnds(page) {
  const bar = await widget(page, 'editor/preview-hscroll');
  const y = bar.y + bar.h / 2;
  await drag(page, { x: bar.x + 6, y }, { x: bar.x + bar.w + 60, y }, 6);
  return eventually(() => widget(page, 'editor/preview-pane'), {
    until: (pane) => facts(pane).scroll_max_x > 0 && facts(pane).scroll_x === facts(pane).scroll_max_x,
    what: 'the preview scrolled to the end of its longest line' });
}

// The preview's longest line fits the scrolled-to-the-end pane: the pane's scroll range plus its width
// covers the line's measured width, which itself is at least as wide as its characters could be.
function assertLongestLineReachable(pane, text) {
  const f = facts(pane);
  const longest = text.split('\n').reduce((a, b) => (b.length > a.length ? b : a), '');
  assert.ok(f.text_w >= longest.length * 4, `measured width ${f.text_w} px for a ${longest.length}-character line`);
  assert.ok(f.text_w > pane.w, `the longest line (${f.text_w} px) is wider than the pane (${pane.w} px): it needs the scroll`);
  assert.ok(f.scroll_max_x + pane.w >= f.text_w,
            `scrolled to the end (${f.scroll_max_x} px) + pane (${pane.w} px) reaches the line's end (${f.text_w} px)`);
}

test('the preview pane is a reading pane: a page of text, horizontal scroll, a splitter', async () => {
  const email = `reader.${Date.now()}@example.com`;
  const { token } = await gateway.signUp(email, 'reading-pane-42');
  assert.equal((await gateway.api('POST', '/v1/plan/', token, { name: 'Reading' })).status, 201);

  chrome = await launchBrowser({ viewport: { width: 1280, height: 800 } });
  const page = await chrome.page();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await openSignedIn(page, gateway.url, { token, email });
    await click(page, 'dashboard/plan/Reading/open');
    await waitForScreen(page, 'plan');
    await click(page, 'editor/tab/postgresql-conf');
    const text = (await widget(page, 'editor/preview/postgresql-conf')).text;
    assert.match(text, /shared_buffers/);

    // 1280x800: a page of text.
    let pane = await widget(page, 'editor/preview-pane');
    assert.ok(linesShown(pane) >= kMinLines1280,
              `the pane shows ${linesShown(pane)} lines (${pane.h} px at ${facts(pane).line_h} px a line), want ${kMinLines1280}+`);
    assert.equal(facts(pane).scroll_x, 0);
    await screenshot(page, 'preview-01-1280');
    pane = await scrollToLineEnds(page);
    assertLongestLineReachable(pane, text);
    await screenshot(page, 'preview-02-1280-line-ends');

    // 1024x700: still a reading pane with the line ends reachable.
    await page.setViewportSize({ width: 1024, height: 700 });
    // The layout settles over a few frames after the resize (the window, then the split and re-wrapped lines).
    pane = await eventually(() => widget(page, 'editor/preview-pane'), {
      until: (p) => p.x + p.w <= 1024 && p.y + p.h <= 700 && linesShown(p) >= kMinLines1024,
      what: `the pane inside the 1024x700 window, showing ${kMinLines1024}+ lines` });
    pane = await scrollToLineEnds(page);
    assertLongestLineReachable(pane, text);
    const canvas = await widget(page, 'editor/canvas');
    assert.ok(canvas.h >= 120, `the canvas keeps room above the pane (${canvas.h} px)`);
    await screenshot(page, 'preview-03-1024');

    // The splitter: dragged up 120 px, the pane grows by about as much and the canvas gives it up.
    const splitter = await widget(page, 'editor/splitter');
    const before = pane.h;
    const x = splitter.x + splitter.w / 2;
    const y = splitter.y + splitter.h / 2;
    await drag(page, { x, y }, { x, y: y - 120 }, 6);
    pane = await eventually(() => widget(page, 'editor/preview-pane'), {
      until: (p) => p.h >= before + 100, what: `the pane taller than ${before} + 100 px after dragging the splitter up` });
    assert.ok((await widget(page, 'editor/canvas')).h < canvas.h - 100, 'the canvas gave the room up');
    await screenshot(page, 'preview-04-1024-splitter');
  } catch (error) {
    await screenshot(page, 'preview-failure').catch(() => {});
    const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
    error.message += `\nwidgets: ${JSON.stringify(widgets)}`;
    throw error;
  }
  assert.deepEqual(errors, []);
});
