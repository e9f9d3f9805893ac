// A new user's first plan on a machine without cloud credentials is a "local" plan (the gateway's own
// machine). It must not look broken: the VM says "this machine" with the size PostgreSQL is tuned for,
// there is no instance-type picker or price, the previews and the cost say what a local plan is, and
// changing the size is an ordinary edit that the gateway accepts. Real gateway, real Chromium, mouse
// and keyboard. (A type no catalogue knows is refused by plan_core: tests/shared/catalog_test.cpp.)
// Screenshots: tests/artifacts/browser/local-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startGateway, openSignedIn, waitForScreen, widget, widgetOrNull, widgetWithText, click, waitFrames, screenshot,
} from './harness.mjs';

let gateway;
let chrome;

before(async () => {
  // What scripts/run sets without cloud credentials: new plans are local.
  gateway = await startGateway({ env: { CS_DEFAULT_PROVIDER: 'local' } });
  chrome = await launchBrowser();
});

after(async () => {
  if (chrome) await chrome.close();
  if (gateway) await gateway.stop();
});

const api = (...args) => gateway.api(...args);

async function retype(page, id, text) {
  await click(page, id);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text, { delay: 15 });
  await waitFrames(page, 3);
}

async function preview(page, tab) {
  await click(page, `editor/tab/${tab}`);
  const id = tab === 'cs-json' ? 'plan/json' : `editor/preview/${tab}`;
  return (await widget(page, id)).text;
}

test('a local plan shows its VM as this machine, sized for PostgreSQL, with no types or prices', async () => {
  const email = `local.${Date.now()}@example.com`;
  const { token } = await gateway.signUp(email, 'local-first-42');
  const created = await api('POST', '/v1/plan/', token, { name: 'First plan' });
  assert.equal(created.status, 201);
  assert.deepEqual(created.body.plan.cloud, { provider: 'local', region: 'local' });
  const vmHardware = created.body.plan.components.find((c) => c.kind === 'vm').hardware;
  assert.equal(vmHardware.instance_type, 't3.medium', 'the default local plan names a type (sized like one)');

  const page = await chrome.page();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await openSignedIn(page, gateway.url, { token, email });
    await click(page, 'dashboard/plan/First plan');
    await waitForScreen(page, 'plan');

    // The canvas: the VM is this machine, with the size PostgreSQL is tuned for; no type name.
    assert.equal((await widget(page, 'plan/component/vm-1/subtitle/0')).text, 'vm-1 · this machine');
    assert.equal((await widget(page, 'plan/component/vm-1/subtitle/1')).text, '2 vCPU, 4 GiB');
    // The plan's own fields: no region to pick, and why.
    assert.match((await widget(page, 'props/plan/local')).text, /gateway's own machine/);
    assert.equal(await widgetOrNull(page, 'props/plan/cloud/region'), null);
    assert.equal((await widget(page, 'plan/diagnostics')).text, 'No problems found: this plan passes every check.');
    assert.equal((await widget(page, 'editor/deploy')).text, 'enabled');

    // The VM's properties: what it is, how much PostgreSQL may use, and no picker, type or price.
    await click(page, 'plan/component/vm-1');
    assert.match((await widget(page, 'props/local')).text, /^This machine: a local plan runs PostgreSQL on the gateway's own machine/);
    assert.equal((await widget(page, 'props/hardware/vcpus')).text, '2');
    assert.equal((await widget(page, 'props/hardware/memory_gib')).text, '4');
    assert.match((await widget(page, 'props/hardware/like')).text, /^Sized like t3\.medium/);
    for (const gone of ['props/hardware/instance_type', 'props/hardware/by-type', 'props/hardware/type-facts',
                        'props/hardware/type-facts/price', 'props/os/distribution', 'props/image_id']) {
      assert.equal(await widgetOrNull(page, gone), null, `${gone} is not shown for a local plan`);
    }
    const shown = await page.evaluate(() => window.csUi.widgets().map((w) => w.text).join('\n'));
    assert.doesNotMatch(shown, /not in the catalogue|no price|\$\d/, 'nothing looks broken or priced');
    await screenshot(page, 'local-01-this-machine');

    // Change what PostgreSQL may use: the VM is now sized by its own numbers, in one undo step.
    await retype(page, 'props/hardware/vcpus', '4');
    await widgetWithText(page, 'plan/component/vm-1/subtitle/1', '4 vCPU, 4 GiB', 20000);
    assert.equal(await widgetOrNull(page, 'props/hardware/like'), null);
    const plan = JSON.parse(await preview(page, 'cs-json'));
    assert.deepEqual(plan.components.find((c) => c.id === 'vm-1').hardware, { vcpus: 4, memory_gib: 4 });

    // Previews: tuned for that size on this machine; no cloud template; no cost.
    const conf = await preview(page, 'postgresql-conf');
    assert.match(conf, /# Runs on the gateway's own machine: tuned for 4 vCPU, 4 GiB/);
    assert.match(conf, /^shared_buffers = 1GB$/m);
    assert.match(await preview(page, 'aws'), /runs on the gateway's own machine \(cloud "local"\)/);
    const cost = await preview(page, 'cost');
    assert.match(cost, /^total USD per month: 0\.00\n/);
    assert.match(cost, /no cloud cost is estimated/);
    await screenshot(page, 'local-02-cost');

    // Saved, the gateway (same plan_core rules) takes it as it is.
    await page.keyboard.press('Control+S');
    await page.waitForFunction(() => /Saved as revision/.test(window.csUi.widget('plan/notice')?.text || ''),
                               null, { timeout: 20000 });
    const stored = (await api('GET', `/v1/plan/${created.body.id}`, token)).body.plan;
    assert.deepEqual(stored.components.find((c) => c.id === 'vm-1').hardware, { vcpus: 4, memory_gib: 4 });
  } catch (error) {
    await screenshot(page, 'local-failure').catch(() => {});
    const widgets = await page.evaluate(() => window.csUi && window.csUi.widgets()).catch(() => null);
    error.message += `\nwidgets: ${JSON.stringify(widgets)}\ngateway log:\n${gateway.log().slice(-2000)}`;
    throw error;
  }
  assert.deepEqual(errors, []);
});
