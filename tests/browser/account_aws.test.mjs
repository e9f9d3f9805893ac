// The AWS account panel in headless Chromium against a real gateway: reached from the dashboard, it shows
// the ExternalId the gateway generated, the quick-create link (a click opens the CloudFormation console in a
// new tab with the ExternalId filled in), and the role ARN field with the API's error for a bad ARN, then
// the saved role after a good one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startGateway, waitForScreen, widget, click, type, waitFrames, screenshot } from './harness.mjs';

const PRINCIPAL = 'arn:aws:iam::111122223333:role/cloudsketch-gateway';
const TEMPLATE_URL = 'https://cloudsketch-public.s3.us-east-1.amazonaws.com/cloudsketch-deployer.template.json';
let gateway;

before(async () => {
  // The gateway inherits the test's environment: the operator's two settings for the quick-create link.
  process.env.CS_AWS_GATEWAY_PRINCIPAL = PRINCIPAL;
  process.env.CS_AWS_ROLE_TEMPLATE_URL = TEMPLATE_URL;
  gateway = await startGateway();
});
after(async () => { if (gateway) await gateway.stop(); });

test('the AWS account panel: ExternalId, quick-create link in a new tab, role ARN with the API error', async () => {
  const email = `ada.aws.${Date.now()}@example.com`;
  const session = await gateway.signUp(email, 'analytical-1843');
  const chrome = await launchBrowser();
  const page = await chrome.page();
  try {
    await page.goto(gateway.url + '/');
    await page.click('#hero-sign-in');
    await waitForScreen(page, 'login', 60000);
    await type(page, 'login/email', email);
    await type(page, 'login/password', 'analytical-1843');
    await click(page, 'login/submit');
    await waitForScreen(page, 'dashboard');
    await click(page, 'dashboard/aws-account');
    await waitForScreen(page, 'aws-account');

    const external = await widget(page, 'aws/external-id');
    const link = (await gateway.api('GET', '/v1/account/aws', session.token)).body;
    assert.equal(external.text, link.external_id, 'the panel shows the ExternalId the API gave');
    assert.match(external.text, /^cs-/);
    await widget(page, 'aws/principal');
    await screenshot(page, 'aws-01-account');

    // The quick-create link opens in a new tab, with this user's ExternalId as a parameter.
    const opened = page.context().waitForEvent('page', { timeout: 20000 });
    await page.route('https://console.aws.amazon.com/**', (route) => route.fulfill({ status: 200, body: 'console (test)' }));
    await page.context().route('https://console.aws.amazon.com/**', (route) => route.fulfill({ status: 200, body: 'console (test)' }));
    await click(page, 'aws/quick-create');
    const tab = await opened;
    const url = tab.url() === 'about:blank' ? await tab.waitForURL(/console\.aws\.amazon\.com/).then(() => tab.url()) : tab.url();
    assert.match(url, /^https:\/\/console\.aws\.amazon\.com\/cloudformation\/home\?region=/);
    assert.ok(url.includes(`param_ExternalId=${encodeURIComponent(external.text)}`), url);
    await tab.close();

    // A bad ARN: the API's reason, shown under the field.
    await type(page, 'aws/role-arn', 'arn:aws:iam::123456789012:role/admin');
    await click(page, 'aws/save');
    const error = await widget(page, 'aws/error');
    assert.match(error.text, /must start with cloudsketch-deployer/);
    await screenshot(page, 'aws-02-bad-arn');

    // A good one: saved, shown, and in the API.
    await click(page, 'aws/role-arn');
    await page.keyboard.press('Control+A');
    await waitFrames(page, 2);
    await page.keyboard.type('arn:aws:iam::123456789012:role/cloudsketch-deployer', { delay: 10 });
    await click(page, 'aws/save');
    const role = await page.waitForFunction(() => {
      const w = window.csUi.widget('aws/role');
      return w && w.text.startsWith('Deploying through') ? w : null;
    }, null, { timeout: 20000 }).then((h) => h.jsonValue());
    assert.equal(role.text, 'Deploying through arn:aws:iam::123456789012:role/cloudsketch-deployer');
    assert.equal((await gateway.api('GET', '/v1/account/aws', session.token)).body.role_arn,
      'arn:aws:iam::123456789012:role/cloudsketch-deployer');
    await screenshot(page, 'aws-03-role-saved');
    await click(page, 'aws/back');
    await waitForScreen(page, 'dashboard');
  } catch (e) {
    await screenshot(page, 'failure-aws-account').catch(() => {});
    const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
    e.message += `\nwidgets: ${JSON.stringify(widgets)}`;
    throw e;
  } finally {
    await chrome.close();
  }
});
