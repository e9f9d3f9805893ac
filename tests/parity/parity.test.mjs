// The same bytes from both builds: every plan in tests/data/plans goes through the native `cs` and
// the WebAssembly `cs.js` (run by node), and each command's output and exit code must be identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const repo = process.env.CS_REPO ?? path.resolve(import.meta.dirname, '..', '..');
const nativeBin = process.env.CS_NATIVE_BIN ?? path.join(repo, 'build/native/bin');
const wasmBin = process.env.CS_WASM_BIN ?? path.join(repo, 'build/web/bin');
const plansDir = path.join(repo, 'tests/data/plans');

// Commands whose output must match byte for byte; later issues append theirs (tune, render, ...).
const commands = [['validate'], ['normalize']];

function run(argv) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', cwd: repo });
  assert.equal(r.error, undefined, `could not start ${argv[0]}: ${r.error}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const plans = readdirSync(plansDir).filter((f) => f.endsWith('.json')).sort();

test('there are plans to compare', () => {
  assert.ok(plans.length >= 3, `expected several plans in ${plansDir}`);
});

for (const plan of plans) {
  for (const command of commands) {
    test(`cs ${command.join(' ')} ${plan}: native and wasm agree`, () => {
      const file = path.join('tests/data/plans', plan);
      const native = run([path.join(nativeBin, 'cs'), ...command, file]);
      const wasm = run(['node', '--no-experimental-fetch', path.join(wasmBin, 'cs.js'), ...command, file]);
      assert.ok(native.stdout.length + native.stderr.length > 0, 'native cs printed nothing');
      assert.equal(wasm.status, native.status);
      assert.equal(wasm.stdout, native.stdout);
      assert.equal(wasm.stderr, native.stderr);
    });
  }
}
