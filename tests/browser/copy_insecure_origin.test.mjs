// Copy (the Deployment tab's connection details) on an origin that is not secure, as a gateway reached at
// http://<host>:port is: the async Clipboard API does not exist there, so the app copies through a hidden
// textarea and document.execCommand('copy') within the click. And when the browser refuses that too, the
// text is left selected over the field with "Select and copy with Ctrl+C", and the browser's own Ctrl+C
// copies it. Chromium maps a host name to the loopback gateway (--host-resolver-rules), so the page's
// origin is http://cloudsketch.test:<port>, not secure, while nothing listens beyond 127.0.0.1. What
// reached the system clipboard is read back from a secure origin (the same gateway at 127.0.0.1).
// The deployment is the gateway's test-double target (a deploy that installs nothing but has connection
// details), so the test takes seconds. Screenshots: tests/artifacts/browser/copy-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startGateway, openSignedIn, waitForScreen, widget, widgetWithText, click, waitFrames, screenshot,
} from './harness.mjs';

const host = 'cloudsketch.test';
let gateway;
let chrome;
let insecureUrl;

before(async () => {
  gateway = await startGateway({ env: { CS_DEFAULT_PROVIDER: 'local' }, args: ['--enable-test-double-target'] });
  insecureUrl = gateway.url.replace('127.0.0.1', host);
  chrome = await launchBrowser({ args: [`--host-resolver-rules=MAP ${host} 127.0.0.1`] });
  // Only the secure origin may read the clipboard back; the page under test gets no permission at all.
  await chrome.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gateway.url });
});

after(async () => {
  if (chrome) await chrome.close();
  if (gateway) await gateway.stop();
});

const api = (...args) => gateway.api(...args);

// The system clipboard, read by a page on the secure origin (a small JSON page, not a second app).
async function clipboardText() {
  const reader = await chrome.context.newPage();
  try {
    await reader.goto(gateway.url + '/healthz');
    await reader.bringToFront();
    return await reader.evaluate(() => navigator.clipboard.readText());
  } finally {
    await reader.close();
  }
}

async function waitForClipboard(want, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let seen;
  for (;;) {
    seen = await clipboardText();
    if (seen === want) return;
    if (Date.now() > deadline) assert.fail(`the clipboard holds ${JSON.stringify(seen)}, not ${JSON.stringify(want)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('Copy works on an origin that is not secure, and says how to copy when the browser refuses', async () => {
  const email = `copy.${Date.now()}@example.com`;
  const { token } = await gateway.signUp(email, 'copy-paste-42');
  const created = await api('POST', '/v1/plan/', token, { name: 'Copy me' });
  assert.equal(created.status, 201);
  const deployed = await api('POST', `/v1/plan/${created.body.id}/deploy`, token, {});
  assert.equal(deployed.status, 202, JSON.stringify(deployed.body));
  const deadline = Date.now() + 30000;
  for (;;) {  // the test double's job ends within a second or two
    const plan = await api('GET', `/v1/plan/${created.body.id}`, token);
    if (plan.body.status.light === 'green') break;
    assert.ok(Date.now() < deadline, `the test-double deploy did not turn green: ${JSON.stringify(plan.body.status)}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  const page = await chrome.page();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await openSignedIn(page, insecureUrl, { token, email });
    assert.deepEqual(await page.evaluate(() => [window.isSecureContext, typeof navigator.clipboard]), [false, 'undefined'],
                     'the page is on an origin that is not secure: no async Clipboard API');
    await click(page, 'dashboard/plan/Copy me');
    await waitForScreen(page, 'plan');
    await click(page, 'editor/tab/deployment');
    const psql = (await widget(page, 'deploy/psql')).text;
    assert.match(psql, /^psql "host=127\.0\.0\.1 port=5432 /);

    // 1. The fallback: a hidden textarea and execCommand('copy') in the click's user activation.
    await click(page, 'deploy/psql/copy');
    await widgetWithText(page, 'deploy/copy-status', 'Copied the psql line.', 20000);
    await waitForClipboard(psql);
    await screenshot(page, 'copy-01-copied-without-clipboard-api');

    // 2. A browser that refuses execCommand too (a test double of such a browser: the page's
    //    execCommand answers false). The URI is left selected over its field, the app says so, and the
    //    browser's own Ctrl+C (a key binding, not a script call) copies it.
    const uri = (await widget(page, 'deploy/uri')).text;
    await page.evaluate(() => { document.execCommand = () => false; });
    await click(page, 'deploy/uri/copy');
    await page.waitForFunction(() => /Select and copy with Ctrl\+C/.test(window.csUi.widget('deploy/copy-status')?.text || ''),
                               null, { timeout: 20000 });
    assert.match((await widget(page, 'deploy/copy-status')).text, /did not let the app copy the URI\./);
    const box = await page.waitForFunction(() => {
      const area = document.getElementById('cs-copy-fallback');
      return area && document.activeElement === area && area.selectionStart === 0 &&
             area.selectionEnd === area.value.length && { value: area.value, rect: area.getBoundingClientRect().toJSON() };
    }, null, { timeout: 10000 }).then((h) => h.jsonValue());
    assert.equal(box.value, uri, 'the whole URI is selected');
    const field = await widget(page, 'deploy/uri');
    assert.ok(Math.abs(box.rect.y - field.y) < 4 && Math.abs(box.rect.x - field.x) < 4,
              `the selected text sits over its field: ${JSON.stringify(box.rect)} vs ${JSON.stringify(field)}`);
    await screenshot(page, 'copy-02-refused-text-selected');
    await page.keyboard.press('Control+C');
    await widgetWithText(page, 'deploy/copy-status', 'Copied the URI.', 20000);
    await page.waitForFunction(() => !document.getElementById('cs-copy-fallback'), null, { timeout: 10000 });
    await waitForClipboard(uri);
    await waitFrames(page, 2);
    await screenshot(page, 'copy-03-copied-by-hand');
  } catch (error) {
    await screenshot(page, 'copy-failure').catch(() => {});
    const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
    error.message += `\nwidgets: ${JSON.stringify(widgets)}\ngateway log:\n${gateway.log().slice(-2000)}`;
    throw error;
  }
  assert.deepEqual(errors, []);
});
