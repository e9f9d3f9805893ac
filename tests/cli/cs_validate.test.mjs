// `cs validate` on plans the JSON reader must refuse with a diagnostic, never an abort (issue 12, item 11:
// a number beyond a double escaped plan::ParsePlan as an uncaught exception, so cs died with SIGABRT natively
// and threw out of the wasm build). Native `cs` and the WebAssembly `cs.js` must both answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const repo = process.env.CS_REPO ?? path.resolve(import.meta.dirname, '..', '..');
const nativeBin = process.env.CS_NATIVE_BIN ?? path.join(repo, 'build/native/bin');
const wasmBin = process.env.CS_WASM_BIN ?? path.join(repo, 'build/web/bin');

const builds = [
  ['native', (args) => [path.join(nativeBin, 'cs'), ...args]],
  ['wasm', (args) => ['node', '--no-experimental-fetch', path.join(wasmBin, 'cs.js'), ...args]],
];

function run(argv, input) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', cwd: repo, input });
  assert.equal(r.error, undefined, `could not start ${argv[0]}: ${r.error}`);
  return r;
}

for (const [name, argv] of builds) {
  test(`cs validate (${name}): a number too large in the file is a diagnostic naming the field`, () => {
    const r = run(argv(['validate', 'tests/data/corpus/invalid/number-too-large.json']));
    assert.equal(r.signal, null, `cs died with ${r.signal}: ${r.stderr}`);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /\/components\/1\/max_connections +json\.number_too_large: .*1e999/);
    assert.match(r.stdout, /invalid$/m);
  });

  test(`cs validate (${name}): a bare huge number on stdin is a diagnostic, not an abort`, () => {
    const r = run(argv(['validate', '-']), '222e2222');
    assert.equal(r.signal, null, `cs died with ${r.signal}: ${r.stderr}`);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /json\.number_too_large: The number 222e2222 at byte 1 is too large/);
  });
}
