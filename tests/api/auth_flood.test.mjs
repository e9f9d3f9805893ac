// A flood of sign-ups and log-ins against a real cs-gateway process: each costs a 64 MiB Argon2id hash,
// and at most password_hash_concurrency (default 2) run at once (docs/accounts.md), so the process's peak
// memory (VmHWM in /proc/PID/status) stays near its resting size plus two hashes, and every request still
// gets an answer: done, or 503 auth.busy with Retry-After. Stopped by PID.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startGateway } from '../lib/gateway.mjs';

const MiB = 1024 * 1024;
let gateway;

// A field of /proc/PID/status in bytes (VmRSS, VmHWM).
function memory(pid, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(match, `no ${field} in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

before(async () => { gateway = await startGateway({ siteDir: '' }); });
after(async () => { if (gateway) await gateway.stop(); });

test('48 parallel sign-ups and log-ins: every one answered, peak memory within two hashes', async () => {
  const owner = await gateway.signUp('flood-owner@example.com', 'flood-owner-123');
  assert.ok(owner.token);
  // One more log-in first, so the process has touched what a served log-in needs besides the hash.
  assert.equal((await gateway.api('POST', '/v1/auth/login', null,
    { email: 'flood-owner@example.com', password: 'flood-owner-123' })).status, 200);
  const resting = memory(gateway.child.pid, 'VmRSS');

  const requests = [];
  for (let i = 0; i < 48; i++) {
    requests.push(i % 2
      ? gateway.api('POST', '/v1/auth/signup', null, { email: `flood-${i}@example.com`, password: 'flood-pass-123' })
      : gateway.api('POST', '/v1/auth/login', null, { email: 'flood-owner@example.com', password: 'flood-owner-123' }));
  }
  const answers = await Promise.allSettled(requests);
  const statuses = {};
  for (const answer of answers) {
    assert.equal(answer.status, 'fulfilled', `a request got no answer: ${answer.reason}`);
    const { status, body } = answer.value;
    statuses[status] = (statuses[status] ?? 0) + 1;
    assert.ok([200, 202, 503].includes(status), `unexpected ${status}: ${answer.value.text}`);
    if (status === 503) assert.equal(body.error.code, 'auth.busy');
  }
  const peak = memory(gateway.child.pid, 'VmHWM');
  const grown = (peak - resting) / MiB;
  console.log(`statuses ${JSON.stringify(statuses)}; resting ${(resting / MiB).toFixed(0)} MiB, ` +
              `peak ${(peak / MiB).toFixed(0)} MiB (+${grown.toFixed(0)} MiB)`);
  assert.ok((statuses[200] ?? 0) + (statuses[202] ?? 0) > 0, 'some were served');
  // Two hashes of 64 MiB at once, plus room for the allocator and the connections: never 3 hashes' worth.
  assert.ok(grown < 3 * 64, `peak memory grew by ${grown.toFixed(0)} MiB during the flood (cap: 2 x 64 MiB)`);
});
