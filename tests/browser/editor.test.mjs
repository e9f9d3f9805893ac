// The plan editor, used like a person with a mouse and keyboard, in headless Chromium against a real
// gateway: sign up, new plan, drag a VM and a PostgreSQL from the palette, drop the database onto the
// VM, size the VM (16 GiB RAM, 200 GiB disk) and pick PostgreSQL 16, see an invalid disk size marked
// with its fix and Deploy disabled, fix it, Ctrl+S, reload and find the plan as it was, then undo/redo
// with Ctrl+Z/Ctrl+Y. Widgets are found through window.csUi; screenshots: tests/artifacts/browser/editor-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  launchBrowser, startGateway, dashboardAfterSignup, waitForScreen, widget, widgetOrNull, widgetWithText, widgetGone, click, type, waitFrames,
  screenshot, drag,
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

const centre = (w) => ({ x: w.x + w.w / 2, y: w.y + w.h / 2 });

// The plan as the editor shows it in the cs-json preview tab.
async function shownPlan(page) {
  await click(page, 'editor/tab/cs-json');
  return JSON.parse((await widget(page, 'plan/json')).text);
}

// Replaces the text of field `id` with `text`: click, select all, type (as a person would).
async function retype(page, id, text) {
  await click(page, id);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text, { delay: 15 });
  await waitFrames(page, 3);
}

const api = (...args) => gateway.api(...args);

test('a person edits a plan on the canvas, saves it, reloads it and undoes/redoes', async () => {
  const page = await chrome.page();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    await editorJourney(page);
  } catch (error) {
    await screenshot(page, 'editor-failure').catch(() => {});
    const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
    error.message += `\nwidgets: ${JSON.stringify(widgets)}\ngateway log:\n${gateway.log().slice(-2000)}`;
    throw error;
  }
  assert.deepEqual(pageErrors, []);
});

async function editorJourney(page) {
  // Sign up and create a plan.
  await page.goto(gateway.url + '/');
  await page.click('#get-started');
  await waitForScreen(page, 'signup', 60000);
  const email = `grace.${Date.now()}@example.com`;
  await type(page, 'signup/email', email);
  await type(page, 'signup/password', 'correct-horse-42');
  await page.keyboard.press('Enter');
  await dashboardAfterSignup(page, gateway, email);
  await type(page, 'dashboard/new-plan-name', 'Editor test');
  await click(page, 'dashboard/new-plan');
  await click(page, 'dashboard/plan/Editor test');
  await waitForScreen(page, 'plan');
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('cloudsketch.session')).token);
  const revision = Number((await widget(page, 'plan/revision')).text);
  await widget(page, 'plan/component/vm-1');
  assert.equal((await widget(page, 'editor/deploy')).text, 'enabled', 'the default plan is deployable');
  await screenshot(page, 'editor-01-open');

  // Drag a VM and a PostgreSQL from the palette onto empty canvas.
  const canvas = await widget(page, 'editor/canvas');
  const vmSpot = { x: canvas.x + 200, y: canvas.y + canvas.h - 110 };
  const pgSpot = { x: canvas.x + Math.min(620, canvas.w - 140), y: canvas.y + canvas.h - 110 };
  await drag(page, centre(await widget(page, 'palette/vm')), vmSpot);
  await widget(page, 'plan/component/vm-2');
  await drag(page, centre(await widget(page, 'palette/postgres')), pgSpot);
  await widget(page, 'plan/component/pg-2');
  // A database without a VM: marked on its host field, with the fix, and Deploy says why it is off.
  assert.match((await widget(page, 'props/host/error')).text, /VM|host/i);
  assert.equal((await widget(page, 'editor/deploy')).text, 'disabled');
  assert.match((await widget(page, 'editor/deploy-reason')).text, /Fix 1 problem/);
  await screenshot(page, 'editor-02-dropped');

  // Drop the database onto the new VM: it is hosted there (the link is drawn) and the problem goes.
  await drag(page, centre(await widget(page, 'plan/component/pg-2')), centre(await widget(page, 'plan/component/vm-2')));
  let shown = await shownPlan(page);
  assert.equal(shown.components.find((c) => c.id === 'pg-2').host, 'vm-2');
  assert.equal((await widget(page, 'editor/deploy-reason')).text, 'Deploy: Save your changes first (Ctrl+S).');

  // And one more straight from the palette onto vm-1's neighbour... a palette drop onto a VM hosts it too.
  await drag(page, centre(await widget(page, 'palette/postgres')), centre(await widget(page, 'plan/component/vm-2')));
  shown = await shownPlan(page);
  assert.equal(shown.components.find((c) => c.id === 'pg-3').host, 'vm-2');
  assert.match((await widget(page, 'props/host/error')).text, /already hosts another PostgreSQL/, 'one database per VM');
  await page.keyboard.press('Control+Z');  // not wanted after all
  await widgetGone(page, 'plan/component/pg-3');
  await screenshot(page, 'editor-03-linked');

  // Zoom with the wheel at the mouse, pan with the middle button; the camera is not part of the plan.
  const vm1 = await widget(page, 'plan/component/vm-1');
  await page.mouse.move(vm1.x + 10, vm1.y + 10);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction(() => window.csUi.widget('editor/zoom')?.text !== '100%', null, { timeout: 20000 });
  // The zoom label is drawn after the canvas handles the wheel, the nodes before: in the frame the wheel
  // lands, the label already says the new zoom while the nodes still have their old size. Wait for them.
  const zoomed = await eventually(() => widget(page, 'plan/component/vm-1'),
                                  { until: (w) => w.w > vm1.w * 1.1, what: `zooming in grows the node (from ${vm1.w})` });
  const spot = { x: canvas.x + canvas.w - 60, y: canvas.y + 40 };
  await page.mouse.move(spot.x, spot.y);
  await page.mouse.down({ button: 'middle' });
  await waitFrames(page, 1);
  await page.mouse.move(spot.x - 50, spot.y + 30, { steps: 3 });
  await waitFrames(page, 1);
  await page.mouse.up({ button: 'middle' });
  await waitFrames(page, 2);
  const panned = await widget(page, 'plan/component/vm-1');
  assert.ok(Math.abs(panned.x - (zoomed.x - 50)) < 3 && Math.abs(panned.y - (zoomed.y + 30)) < 3,
            `middle-drag pans the view (${zoomed.x},${zoomed.y} -> ${panned.x},${panned.y})`);
  assert.equal((await widget(page, 'editor/undo')).text, 'Host pg-2 on vm-2', 'camera moves are not edits');
  await screenshot(page, 'editor-04-zoomed');
  await page.mouse.move(vm1.x + 10, vm1.y + 10);
  await page.mouse.wheel(0, 300);  // back out, so the nodes are where the rest of the test expects them
  await page.waitForFunction(() => window.csUi.widget('editor/zoom')?.text === '100%', null, { timeout: 20000 });

  // Size the VM: vCPU + RAM with 16 GiB, a 200 GiB disk.
  await click(page, 'plan/component/vm-2');
  await click(page, 'props/hardware/by-size');
  await retype(page, 'props/hardware/memory_gib', '16');
  await retype(page, 'props/disk/size_gib', '200');
  await widgetWithText(page, 'props/hardware/picked', /16 GiB/);  // the catalogue type that fits is shown

  // PostgreSQL 16 from the version list.
  await click(page, 'plan/component/pg-2');
  await click(page, 'props/version');
  await click(page, 'props/version/option/16');
  await widgetWithText(page, 'props/version', '16');

  // An invalid disk size: the field says how to fix it, the problems list has it, Deploy is disabled.
  await click(page, 'plan/component/vm-2');
  await retype(page, 'props/disk/size_gib', '5');
  await widgetWithText(page, 'props/disk/size_gib/error', /between 8 and 16384 GiB/);
  assert.equal((await widget(page, 'editor/deploy')).text, 'disabled');
  assert.equal((await widget(page, 'editor/save')).text, 'disabled');
  assert.match((await widget(page, 'editor/deploy-reason')).text, /Fix 1 problem/);
  await click(page, 'editor/tab/problems');
  assert.match((await widget(page, 'problems/0')).text, /Disk size must be between/);
  await screenshot(page, 'editor-05-invalid-disk');
  // Clicking the problem takes the cursor to the field; fix it there.
  await click(page, 'problems/0');
  // The field takes the keyboard a few frames after the click (ImGui resolves the focus request, then
  // activates the field): at 60 frames a second a key pressed at once would still go to the canvas.
  await waitFrames(page, 3);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('200', { delay: 15 });
  await widgetWithText(page, 'props/disk/size_gib', '200');
  await widgetGone(page, 'props/disk/size_gib/error');

  // Ctrl+S saves (PUT with the revision it was loaded at).
  await page.keyboard.press('Control+S');
  await widgetWithText(page, 'plan/revision', String(revision + 1));
  await widgetGone(page, 'editor/dirty');
  await widgetWithText(page, 'plan/notice', /Saved as revision/);
  const planId = (await api('GET', '/v1/plan/', token)).body.items[0].id;
  const stored = (await api('GET', `/v1/plan/${planId}`, token)).body.plan;
  const vm2 = stored.components.find((c) => c.id === 'vm-2');
  const pg2 = stored.components.find((c) => c.id === 'pg-2');
  assert.equal(vm2.hardware.memory_gib, 16);
  assert.equal(vm2.disk.size_gib, 200);
  assert.equal(pg2.version, '16');
  assert.equal(pg2.host, 'vm-2');
  await screenshot(page, 'editor-06-saved');

  // Previews come from the shared transformer in the browser: the tuned configuration follows the VM's
  // 16 GiB (a quarter as shared_buffers, with the reason above it), the AWS template is CloudFormation,
  // and the cs-json downloads as the file the tab shows.
  await click(page, 'editor/tab/postgresql-conf');
  const conf = (await widget(page, 'editor/preview/postgresql-conf')).text;
  assert.match(conf, /# ---- pg-2 [^]*# .+\nshared_buffers = 4GB/);
  await click(page, 'editor/tab/aws');
  assert.match((await widget(page, 'editor/preview/aws')).text, /"AWSTemplateFormatVersion"/);
  const shownJson = await shownPlan(page);
  const [download] = await Promise.all([page.waitForEvent('download'), click(page, 'editor/download')]);
  assert.equal(download.suggestedFilename(), 'editor-test.cs.json');
  assert.deepEqual(JSON.parse(await readFile(await download.path(), 'utf8')), shownJson);

  // Reload: the plan's own address (#plan/<id>) opens it again, exactly as saved.
  const before = await shownPlan(page);
  assert.equal(await page.evaluate(() => location.hash), `#plan/${planId}`);
  await page.reload();
  await waitForScreen(page, 'plan', 60000);
  await widgetWithText(page, 'plan/title', 'Editor test');
  const after = await shownPlan(page);
  assert.deepEqual(after, before);
  await widget(page, 'plan/component/pg-2');
  await screenshot(page, 'editor-07-reloaded');

  // Undo/redo with the keyboard: delete the database, undo brings it back (clean again), redo removes it.
  await click(page, 'plan/component/pg-2');
  await page.keyboard.press('Delete');
  await widgetGone(page, 'plan/component/pg-2');
  assert.ok(await widget(page, 'editor/dirty'));
  await page.keyboard.press('Control+Z');
  await widget(page, 'plan/component/pg-2');
  await widgetGone(page, 'editor/dirty');  // undo back to the saved state is clean
  assert.deepEqual(await shownPlan(page), before);
  await page.keyboard.press('Control+Y');
  await widgetGone(page, 'plan/component/pg-2');
  await screenshot(page, 'editor-08-redo');
  await page.keyboard.press('Control+Z');
  await widget(page, 'plan/component/pg-2');

  // Someone else saves meanwhile; our next Ctrl+S meets a conflict and the user chooses to keep theirs out.
  const current = (await api('GET', `/v1/plan/${planId}`, token)).body;
  const theirs = await api('PUT', `/v1/plan/${planId}`, token,
                           { revision: current.revision, plan: { ...current.plan, name: 'Editor test (theirs)' } });
  assert.equal(theirs.status, 200);
  await click(page, 'plan/component/vm-2');
  await retype(page, 'props/disk/size_gib', '300');
  await page.keyboard.press('Control+S');
  await page.waitForFunction(() => /changed elsewhere/.test(window.csUi.widget('plan/warning')?.text || ''), null,
                             { timeout: 20000 });
  assert.ok(await widget(page, 'editor/load-theirs'));
  await screenshot(page, 'editor-09-conflict');
  await click(page, 'editor/keep-mine');
  await page.waitForFunction((r) => Number(window.csUi.widget('plan/revision')?.text) === r, theirs.body.revision + 1,
                             { timeout: 20000 });
  const kept = (await api('GET', `/v1/plan/${planId}`, token)).body.plan;
  assert.equal(kept.components.find((c) => c.id === 'vm-2').disk.size_gib, 300);
  assert.equal(kept.name, 'Editor test');

  // Deploy with a clean, valid plan: a deployment starts and its progress shows, or the gateway's reason
  // for refusing (no engine, no target for this cloud here) replaces the editor's own "Deploy: ..." hint.
  await click(page, 'editor/deploy');
  await page.waitForFunction(() => window.csUi.widget('editor/deployment') ||
                                   !/^Deploy:/.test(window.csUi.widget('editor/deploy-reason')?.text || 'Deploy:'),
                             null, { timeout: 20000 });
  const outcome = (await widgetOrNull(page, 'editor/deployment')) || (await widget(page, 'editor/deploy-reason'));
  assert.ok(outcome.text.length > 10, `the outcome is explained: "${outcome.text}"`);
  await screenshot(page, 'editor-10-deploy');
}

// The canvas and the properties panel beyond the main journey: node subtitles are whole at 100%,
// Space+drag pans, a drag on empty canvas box-selects what it covers, and the instance-type picker
// searches, shows prices in their own column and sets the VM's type (its vCPU/RAM follow).
test('a person pans with Space, box-selects and picks an instance type', async () => {
  const page = await chrome.page();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    await canvasJourney(page);
  } catch (error) {
    await screenshot(page, 'canvas-failure').catch(() => {});
    const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
    error.message += `\nwidgets: ${JSON.stringify(widgets)}`;
    throw error;
  }
  assert.deepEqual(pageErrors, []);
});

async function canvasJourney(page) {
  await page.goto(gateway.url + '/');
  await page.evaluate(() => localStorage.clear());
  await page.goto(gateway.url + '/');
  await page.click('#get-started');
  await waitForScreen(page, 'signup', 60000);
  const email = `alan.${Date.now()}@example.com`;
  await type(page, 'signup/email', email);
  await type(page, 'signup/password', 'correct-horse-42');
  await page.keyboard.press('Enter');
  await dashboardAfterSignup(page, gateway, email);
  await type(page, 'dashboard/new-plan-name', 'Canvas test');
  await click(page, 'dashboard/new-plan');
  await click(page, 'dashboard/plan/Canvas test');
  await waitForScreen(page, 'plan');

  // Subtitles: every line inside its node, and the essential words all there ("PostgreSQL 17", "on vm-1").
  for (const id of ['vm-1', 'pg-1']) {
    const node = await widget(page, `plan/component/${id}`);
    const lines = [await widget(page, `plan/component/${id}/subtitle/0`)];
    const second = await widgetOrNull(page, `plan/component/${id}/subtitle/1`);
    if (second) lines.push(second);
    for (const line of lines) {
      assert.ok(line.x + line.w <= node.x + node.w && line.y + line.h <= node.y + node.h,
                `"${line.text}" fits in ${id} (${JSON.stringify(line)} in ${JSON.stringify(node)})`);
    }
    const text = lines.map((l) => l.text).join(' · ');
    if (id === 'pg-1') assert.match(text, /^pg-1 · PostgreSQL \d+ · on vm-1$/);  // the lines joined with " · "
    else assert.match(text, /^vm-1 · /);
  }
  await screenshot(page, 'canvas-01-nodes');

  // Space + left drag on empty canvas pans the camera; nothing is edited or selected.
  const canvas = await widget(page, 'editor/canvas');
  const before = await widget(page, 'plan/component/vm-1');
  const empty = { x: canvas.x + canvas.w - 80, y: canvas.y + canvas.h - 60 };
  await page.mouse.move(empty.x, empty.y);
  await page.keyboard.down('Space');
  await waitFrames(page, 2);
  await drag(page, empty, { x: empty.x - 60, y: empty.y - 40 });
  await page.keyboard.up('Space');
  await waitFrames(page, 2);
  const panned = await widget(page, 'plan/component/vm-1');
  assert.ok(Math.abs(panned.x - (before.x - 60)) < 3 && Math.abs(panned.y - (before.y - 40)) < 3,
            `Space+drag pans the view (${before.x},${before.y} -> ${panned.x},${panned.y})`);
  assert.equal((await widget(page, 'editor/undo')).text, '', 'a pan is not an edit');
  assert.equal(await widgetOrNull(page, 'editor/dirty'), null);

  // A box dragged over both nodes on empty canvas selects both; Delete removes both; Ctrl+Z brings them back.
  const vm = await widget(page, 'plan/component/vm-1');
  const pg = await widget(page, 'plan/component/pg-1');
  const from = { x: Math.min(vm.x, pg.x) - 20, y: Math.min(vm.y, pg.y) - 20 };
  const to = { x: Math.max(vm.x + vm.w, pg.x + pg.w) + 20, y: Math.max(vm.y + vm.h, pg.y + pg.h) + 20 };
  await drag(page, from, to);
  await widgetWithText(page, 'props/selection', '2 components selected: Delete removes them, Ctrl+C copies.');
  await screenshot(page, 'canvas-02-box-selected');
  await page.keyboard.press('Delete');
  await widgetGone(page, 'plan/component/vm-1');
  await widgetGone(page, 'plan/component/pg-1');
  await page.keyboard.press('Control+Z');
  await widget(page, 'plan/component/vm-1');
  await widget(page, 'plan/component/pg-1');
  // A box that covers only the VM selects only the VM.
  const vmNow = await widget(page, 'plan/component/vm-1');
  await click(page, 'editor/canvas');  // clears the selection (empty spot at the canvas's centre)
  await drag(page, { x: vmNow.x - 15, y: vmNow.y - 15 }, { x: vmNow.x + vmNow.w + 15, y: vmNow.y + vmNow.h + 15 });
  await widgetWithText(page, 'props/id', 'id vm-1');

  // The instance-type picker: search "m6i", every row shown is an m6i with its price whole in its column.
  await click(page, 'props/hardware/by-type');
  await click(page, 'props/hardware/instance_type');
  await widget(page, 'picker/search');
  await waitFrames(page, 2);  // the search box takes the keyboard the frame after it opens (no request involved)
  await page.keyboard.type('m6i', { delay: 15 });
  await widgetWithText(page, 'picker/search', 'm6i');
  // Every row shown is an m6i (the list is filtered in the frame the text arrives; wait for it all the same).
  const rows = await eventually(
    () => page.evaluate(() => window.csUi.widgets().filter((w) => w.id.startsWith('picker/type/')).map((w) => w.id)),
    { until: (ids) => ids.length >= 3 && ids.every((i) => /^picker\/type\/m6i\./.test(i)), what: 'only m6i types (3 or more) listed' });
  assert.ok(rows.length >= 3, `m6i types are listed (${rows.length})`);
  const lineHeight = (await widget(page, 'picker/search')).h;
  const prices = await page.evaluate(() => window.csUi.widgets().filter((w) => w.id.startsWith('picker/price/')));
  assert.equal(prices.length, rows.length);
  for (const price of prices) {
    assert.match(price.text, /^\$\d+\.\d+\/h$|^no price$/);
    assert.ok(price.h < lineHeight, `"${price.text}" is one line (${price.h} px)`);
  }
  await screenshot(page, 'canvas-03-picker');
  await click(page, 'picker/type/m6i.xlarge');
  await widgetWithText(page, 'props/hardware/instance_type', 'm6i.xlarge');
  // The VM's vCPU and RAM follow the type (shown when sizing by vCPU + RAM), and so does the tuning.
  await click(page, 'props/hardware/by-size');
  await widgetWithText(page, 'props/hardware/vcpus', '4');
  await widgetWithText(page, 'props/hardware/memory_gib', '16');
  const shown = await shownPlan(page);
  assert.deepEqual(shown.components.find((c) => c.id === 'vm-1').hardware, { vcpus: 4, memory_gib: 16 });
  await screenshot(page, 'canvas-04-picked');
}
