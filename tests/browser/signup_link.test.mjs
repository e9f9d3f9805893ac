// Sign-up by mailed link in headless Chromium against a real gateway without a mail server (its outbox):
// the form, the "check your email" screen (which says honestly where the link is), the link opened in the
// same tab and in a new one, the dashboard; a used link explains itself; the device token is kept and sent
// with the next log-in (docs/accounts.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startGateway, waitForScreen, widget, widgetWithText, click, type, screenshot,
} from './harness.mjs';
import { outboxMailsTo, signupLink, waitForMail } from '../lib/signup.mjs';

let gateway;

before(async () => {
  gateway = await startGateway();
  // The operator's own first account (made at once), so every sign-up below is mailed.
  await gateway.signUp('operator@example.com', 'operator-pass-1');
});
after(async () => { if (gateway) await gateway.stop(); });

async function withPage(name, run) {
  const chrome = await launchBrowser();
  const page = await chrome.page();
  try {
    await run(page, chrome);
  } catch (error) {
    await screenshot(page, `failure-${name}`).catch(() => {});
    const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
    error.message += `\nwidgets: ${JSON.stringify(widgets)}`;
    throw error;
  } finally {
    await chrome.close();
  }
}

async function submitSignup(page, email, password) {
  await page.goto(gateway.url + '/');
  await page.click('#get-started');
  await waitForScreen(page, 'signup', 60000);
  await type(page, 'signup/email', email);
  await type(page, 'signup/password', password);
  await click(page, 'signup/submit');
}

test('sign up, check the outbox, open the link in the same tab, land on the dashboard', async () => {
  await withPage('signup-link', async (page) => {
    const email = `lin.${Date.now()}@example.com`;
    await submitSignup(page, email, 'mailed-link-42');
    await waitForScreen(page, 'check-email');
    assert.equal((await widget(page, 'check-email/title')).text, "Your link is in the gateway's outbox");
    assert.match((await widget(page, 'check-email/message')).text, /no mail server.*mail\/outbox/s);
    await widget(page, 'check-email/back');
    assert.equal(await page.evaluate(() => localStorage.getItem('cloudsketch.session')), null, 'not signed in yet');
    await screenshot(page, 'signup-01-check-email');

    const link = signupLink(await waitForMail(() => outboxMailsTo(gateway.dataDir, email), 0, 20000, 'the link'));
    assert.ok(link.startsWith(`${gateway.url}/#verify/`), link);
    await page.goto(link);  // the app is running: only the fragment changes
    await waitForScreen(page, 'dashboard', 30000);
    assert.equal((await widget(page, 'dashboard/user')).text, email);
    assert.equal(await page.evaluate(() => location.hash), '#app', 'the token left the address bar');
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('cloudsketch.session')));
    assert.equal(stored.email, email);
    assert.equal((await gateway.api('GET', '/v1/me', stored.token)).body.email, email);
    const device = await page.evaluate((e) => localStorage.getItem(`cloudsketch.device.${e}`), email);
    assert.ok(device && device.length > 20, 'the device token is kept for the next log-in');
    await screenshot(page, 'signup-02-dashboard');

    // Signed out, the device's token goes with the next log-in (the gateway answers with the same one).
    await click(page, 'dashboard/logout');
    await waitForScreen(page, 'login');
    const login = page.waitForResponse((r) => r.url().endsWith('/v1/auth/login'));
    assert.equal((await widget(page, 'login/email')).text, email, 'the form keeps the address');
    await type(page, 'login/password', 'mailed-link-42');
    await click(page, 'login/submit');
    const answer = await login;
    assert.equal(JSON.parse(answer.request().postData()).device_token, device);
    assert.equal((await answer.json()).device_token, device);
    await waitForScreen(page, 'dashboard');
  });
});

test('a link opened in a new tab signs in; opened again it says to sign up again', async () => {
  const email = `tab.${Date.now()}@example.com`;
  await gateway.api('POST', '/v1/auth/signup', null, { email, password: 'second-tab-42' });
  const link = signupLink(await waitForMail(() => outboxMailsTo(gateway.dataDir, email), 0, 20000, 'the link'));
  await withPage('signup-link-new-tab', async (page) => {
    await page.goto(link);  // a fresh page load, as from a mail program
    await waitForScreen(page, 'dashboard', 60000);
    assert.equal((await widget(page, 'dashboard/user')).text, email);
    assert.equal(await page.evaluate(() => location.hash), '#app', 'the token left the address bar');
    await page.goBack();  // the link's entry was replaced: back leads to where the tab was before it
    assert.equal(page.url(), 'about:blank');
  });
  await withPage('signup-link-used', async (page) => {
    await page.goto(link);
    await waitForScreen(page, 'signup', 60000);
    await widgetWithText(page, 'signup/error', /does not work.*Sign up again/s);
    await screenshot(page, 'signup-03-used-link');
  });
});
