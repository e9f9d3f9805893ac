// Deploying from the editor, like a person, against a real gateway whose new plans use the local target
// (real PostgreSQL on this machine, as scripts/run does without cloud credentials): Deploy is greyed out
// while a saved change waits to sync; clicking Deploy turns the header's light orange at once, then
// green; the Deployment tab shows how to connect; "Show password" reveals the password (never stored in
// the browser, hidden again when the tab is left); the copied psql line and that password run a real
// query; Destroy (confirmed) turns the light grey and the server stops answering.
// Screenshots: tests/artifacts/browser/deploy-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { postmastersUnder } from '../lib/postmasters.mjs';
import {
  launchBrowser, startGateway, dashboardAfterSignup, waitForScreen, widget, widgetOrNull, widgetWithText, click, type, waitFrames, screenshot,
} from './harness.mjs';
import { eventually } from '../lib/eventually.mjs';

const psql = '/usr/bin/psql';
let gateway;
let chrome;

before(async () => {
  // A quick monitor so the light follows the engine's checks within the test's time.
  gateway = await startGateway({ env: { CS_DEFAULT_PROVIDER: 'local', CS_MONITOR_INTERVAL_SECONDS: '2' } });
  chrome = await launchBrowser();
  await chrome.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gateway.url });
});

after(async () => {
  if (chrome) await chrome.close();
  if (gateway) {
    // Servers started with pg_ctl outlive the gateway: a failed run must not leave one behind.
    for (const pid of postmastersUnder(gateway.dataDir)) {
      try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
    }
    await gateway.stop();
  }
});

// Runs `sql` through psql with the connection line the editor offers to copy and the password it showed.
function psqlWith(line, password, sql) {
  const match = /^psql "([^"]+)"$/.exec(line);
  assert.ok(match, `a psql line to paste: ${line}`);
  return execFileSync(psql, ['-X', '-At', '-c', sql, match[1]],
                      { env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '5' }, encoding: 'utf8',
                        stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

const light = async (page) => (await widget(page, 'plan/status/light')).text;

async function waitForLight(page, wanted, timeout) {
  await widgetWithText(page, 'plan/status/light', wanted, timeout);
}

test('a person deploys a plan from the editor, connects with the shown details, and destroys it', async () => {
  const page = await chrome.page();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    await deployJourney(page);
  } catch (error) {
    await screenshot(page, 'deploy-failure').catch(() => {});
    const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
    error.message += `\nwidgets: ${JSON.stringify(widgets)}\ngateway log:\n${gateway.log().slice(-3000)}`;
    throw error;
  }
  assert.deepEqual(pageErrors, []);
});

async function deployJourney(page) {
  await page.goto(gateway.url + '/');
  await page.click('#get-started');
  await waitForScreen(page, 'signup', 60000);
  const email = `ada.${Date.now()}@example.com`;
  await type(page, 'signup/email', email);
  await type(page, 'signup/password', 'correct-horse-42');
  await page.keyboard.press('Enter');
  await dashboardAfterSignup(page, gateway, email);
  await type(page, 'dashboard/new-plan-name', 'Deploy test');
  await click(page, 'dashboard/new-plan');
  await click(page, 'dashboard/plan/Deploy test');
  await waitForScreen(page, 'plan');
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('cloudsketch.session')).token);
  const planId = (await gateway.api('GET', '/v1/plan/', token)).body.items[0].id;
  assert.equal((await gateway.api('GET', `/v1/plan/${planId}`, token)).body.plan.cloud.provider, 'local');
  assert.equal(await light(page), 'grey', 'never deployed');
  assert.equal((await widget(page, 'editor/deploy')).text, 'enabled');

  // Offline, a save stays on this device: Deploy is greyed out and says why until the server has it.
  await chrome.context.setOffline(true);
  await waitFrames(page, 3);
  await click(page, 'plan/component/vm-1');
  await click(page, 'props/disk/size_gib');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('30', { delay: 15 });
  await page.keyboard.press('Control+S');
  await page.waitForFunction(() => /1 unsynced change/.test(window.csUi.widget('sync/indicator')?.text || ''), null,
                             { timeout: 20000 });
  assert.equal((await widget(page, 'editor/deploy')).text, 'disabled');
  assert.equal((await widget(page, 'editor/deploy-reason')).text, 'Deploy: Waiting to sync 1 change.');
  await screenshot(page, 'deploy-01-waiting-to-sync');
  await chrome.context.setOffline(false);
  await page.waitForFunction(() => window.csUi.widget('editor/deploy')?.text === 'enabled', null, { timeout: 30000 });
  assert.equal((await gateway.api('GET', `/v1/plan/${planId}`, token)).body.plan.components[0].disk.size_gib, 30);

  // Deploy: orange at once (the header's light follows the job's step and progress), then green.
  await click(page, 'editor/deploy');
  await waitForLight(page, 'orange', 30000);
  assert.equal((await widget(page, 'editor/deploy')).text, 'disabled');
  assert.match((await widget(page, 'editor/deployment')).text, /^Deploy of revision \d+: /);
  await page.waitForFunction(() => /^Deploying: \w+, \d+%$/.test(window.csUi.widget('plan/status')?.text || ''), null,
                             { timeout: 30000 });
  await screenshot(page, 'deploy-02-orange');
  await waitForLight(page, 'green', 180000);
  assert.match((await widget(page, 'editor/deployment')).text, /^Deploy of revision \d+ succeeded$/);
  for (const step of ['render', 'provision', 'install', 'configure', 'verify', 'monitor']) {
    assert.equal((await widget(page, `deploy/step/${step}`)).text, 'done', `step ${step}`);
  }

  // The Deployment tab: what the API says, ready to copy; the password only on request.
  const conn = (await gateway.api('GET', `/v1/plan/${planId}/connection`, token)).body;
  await widget(page, 'deploy/port', 20000);
  assert.equal((await widget(page, 'deploy/host')).text, conn.endpoints[0].host);
  assert.equal(Number((await widget(page, 'deploy/port')).text), conn.endpoints[0].port);
  assert.equal((await widget(page, 'deploy/database')).text, conn.database);
  assert.equal((await widget(page, 'deploy/user')).text, conn.user);
  assert.equal((await widget(page, 'deploy/sslmode')).text, 'require');
  assert.equal(await widgetOrNull(page, 'deploy/password'), null, 'hidden until asked for');
  await click(page, 'deploy/psql/copy');
  // The app hands the text to navigator.clipboard.writeText, which settles after the click's frame.
  const shownLine = (await widget(page, 'deploy/psql')).text;
  const line = await eventually(() => page.evaluate(() => navigator.clipboard.readText()),
                                { until: (text) => text === shownLine, what: `the clipboard holds the shown psql line ${shownLine}` });
  // One click. (A second one used to hide a miss: the status lines above the button wrap when a poll brings
  // the monitor's news, moving the button after the test had read where it was; click() now checks that the
  // press and release landed on it.)
  await click(page, 'deploy/show-password');
  const password = (await widget(page, 'deploy/password')).text;
  assert.match(password, /^[A-Za-z0-9_-]{32}$/);
  await screenshot(page, 'deploy-03-connection');
  // The job's events are below: scroll the panel down with the wheel, as a person would.
  const tab = await widget(page, 'editor/tab/deployment');
  await page.mouse.move(tab.x + 40, tab.y + 200);
  await page.mouse.wheel(0, 600);
  await page.waitForFunction(() => window.csUi.widget('deploy/events'), null, { timeout: 20000 });
  assert.match((await widget(page, 'deploy/events')).text, /verif/i);
  await screenshot(page, 'deploy-04-events');
  await page.mouse.wheel(0, -600);
  await widget(page, 'deploy/destroy');
  assert.equal(psqlWith(line, password, 'SELECT current_user || \'@\' || current_database()'), `${conn.user}@${conn.database}`);

  // Never kept in the browser's storage; hidden again once the tab is left.
  const stored = await page.evaluate(async () => {
    const all = [JSON.stringify(localStorage)];
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open('cloudsketch', 1);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const values = await new Promise((resolve) => {
      const request = db.transaction('kv').objectStore('kv').getAll();
      request.onsuccess = () => resolve(request.result);
    });
    db.close();
    return all.concat(values.map(String)).join('\n');
  });
  assert.ok(stored.length > 0 && !stored.includes(password), 'the password is not in localStorage or IndexedDB');
  await click(page, 'editor/tab/properties');
  assert.equal(await widgetOrNull(page, 'deploy/password'), null);
  await click(page, 'editor/tab/deployment');
  assert.equal(await widgetOrNull(page, 'deploy/password'), null, 'hidden again after leaving the tab');
  await widget(page, 'deploy/show-password');

  // Destroy, confirmed: orange while it runs, then grey, and nothing answers on that port any more.
  await click(page, 'deploy/destroy');
  assert.match((await widget(page, 'confirm/destroy-message')).text, /Destroy the running PostgreSQL of "Deploy test"/);
  await screenshot(page, 'deploy-05-confirm-destroy');
  await click(page, 'confirm/destroy');
  await waitForLight(page, 'grey', 120000);
  assert.match((await widget(page, 'deploy/job')).text, /^Destroy succeeded/);
  await widget(page, 'deploy/connection-empty');
  assert.equal((await gateway.api('GET', `/v1/plan/${planId}/connection`, token)).status, 404);
  assert.throws(() => psqlWith(line, password, 'SELECT 1'), /Connection refused|could not connect|failed/);
  assert.equal((await widget(page, 'editor/deploy')).text, 'enabled', 'a destroyed plan can be deployed again');
  await screenshot(page, 'deploy-06-destroyed');
  // The engine has stopped the server; its postmaster may take a moment to exit and be reaped.
  await eventually(() => postmastersUnder(gateway.dataDir), { until: (pids) => pids.length === 0, timeout: 15000,
                                                              what: 'no PostgreSQL left running after Destroy' });
}
