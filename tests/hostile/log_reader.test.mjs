// A log reader that stops reading (a stuck log shipper, a full pipe) must not stop the gateway: requests are
// answered while nobody reads its stderr. Before the batched writer, every worker blocked on the log's lock
// once the 64 KiB pipe was full (bench/api_load.mjs measured 21 req/s that way).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

test('requests are answered while nobody reads the gateway\'s log', { timeout: 60000 }, async () => {
  const data = mkdtempSync(path.join(tmpdir(), 'cs-logreader-'));
  // stderr is a pipe this test never reads.
  const child = spawn(process.env.CS_GATEWAY_BIN, ['--port', '0', '--bind', '127.0.0.1', '--data-dir', data],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    child.stderr.pause();
    const url = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c) => {
        out += c;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const started = Date.now();
    const n = 3000;  // ~250 bytes of access log each: 12 times what the pipe holds
    for (let i = 0; i < n; i += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => fetch(`${url}/healthz`).then((r) => r.status)));
      assert.ok(batch.every((s) => s === 200));
    }
    const ms = Date.now() - started;
    console.log(`${n} requests in ${ms} ms with the log unread`);
    assert.ok(ms < 30000, `${n} requests took ${ms} ms`);
    assert.equal(child.exitCode, null);
  } finally {
    child.kill('SIGKILL');
    rmSync(data, { recursive: true, force: true });
  }
});
