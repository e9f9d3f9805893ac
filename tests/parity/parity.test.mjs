// The same bytes from both builds: every plan in tests/data/plans and in the corpus (tests/data/corpus,
// its invalid/ folder included) goes through the native `cs` and the WebAssembly `cs.js` (run by node),
// and each command's output and exit code must be identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const repo = process.env.CS_REPO ?? path.resolve(import.meta.dirname, '..', '..');
const nativeBin = process.env.CS_NATIVE_BIN ?? path.join(repo, 'build/native/bin');
const wasmBin = process.env.CS_WASM_BIN ?? path.join(repo, 'build/web/bin');
const planDirs = ['tests/data/plans', 'tests/data/corpus', 'tests/data/corpus/invalid'];

// Commands whose output must match byte for byte; later issues append theirs (tune, render, ...).
const commands = [['validate'], ['normalize'], ['render'], ['cost']];

function run(argv) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', cwd: repo });
  assert.equal(r.error, undefined, `could not start ${argv[0]}: ${r.error}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Paths relative to the repository, e.g. "tests/data/corpus/replicas-2.json".
const plans = planDirs.flatMap((dir) => readdirSync(path.join(repo, dir))
  .filter((f) => f.endsWith('.json')).sort().map((f) => path.join(dir, f)));

test('there are plans to compare', () => {
  assert.ok(plans.filter((p) => p.startsWith('tests/data/plans/')).length >= 3, 'expected several plans in tests/data/plans');
  assert.ok(plans.filter((p) => path.dirname(p) === 'tests/data/corpus').length >= 30, 'expected 30+ plans in tests/data/corpus');
});

for (const file of plans) {
  for (const command of commands) {
    test(`cs ${command.join(' ')} ${file}: native and wasm agree`, () => {
      const native = run([path.join(nativeBin, 'cs'), ...command, file]);
      const wasm = run(['node', '--no-experimental-fetch', path.join(wasmBin, 'cs.js'), ...command, file]);
      assert.ok(native.stdout.length + native.stderr.length > 0, 'native cs printed nothing');
      assert.equal(wasm.status, native.status);
      assert.equal(wasm.stdout, native.stdout);
      assert.equal(wasm.stderr, native.stderr);
    });
  }
}
