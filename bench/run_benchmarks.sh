#!/usr/bin/env bash
# Transform and validate, natively (Google Benchmark: transform_bench), in wasm under node (wasm_bench)
# and the AWS CDK synthesising the equivalent stack (cdk/synth_bench.mjs), in one run; prints the figures
# and the ratios, and checks the issue's targets:
#   the one-VM plan transforms in under 50 us natively; a 500-component plan validates in under 2 ms in wasm;
#   the web app downloads under 800 KB gzip, draws its first frame in under 1.5 s, and keeps p95 frame time
#   under 16 ms with 200 components (bench/web_size.sh, web_first_frame.mjs, web_frame_time.mjs);
#   a local deploy reaches green within 1.5x of bare initdb + pg_ctl start -w, and the API's p50/p99 while
#   20 plans deploy at once against idle (bench/deploy_bench.mjs).
#
#   bench/run_benchmarks.sh [native build dir] [web build dir]    (defaults: build/native build/web)
# The native dir needs transform_bench and wasm_bench (cmake --build DIR --target transform_bench wasm_bench);
# the web dir needs libplan_core.a (cmake --build DIR --target cs). wasm_bench.js is taken from the web
# build when it has one, else compiled here with em++. The CDK side needs `npm install` in bench/cdk.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
native="$(cd "${1:-$root/build/native}" && pwd)"
web="$(cd "${2:-$root/build/web}" && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "== native (Google Benchmark, $native/bin/transform_bench)"
"$native/bin/transform_bench" --benchmark_min_time=0.5 --benchmark_format=json --benchmark_out="$out/native.json" \
  --benchmark_out_format=json > /dev/null
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const b of r.benchmarks) {
    const ns = b.real_time * { ns: 1, us: 1e3, ms: 1e6, s: 1e9 }[b.time_unit];
    console.log(`${b.name.replace(/^BM_/, "").replace("TransformLarge/", "Transform")} median_ns=${Math.round(ns)}`);
  }' "$out/native.json" | tee "$out/native.txt"

echo "== native (std::chrono harness, $native/bin/wasm_bench)"
"$native/bin/wasm_bench" | tee "$out/native_chrono.txt"

echo "== wasm under node (std::chrono harness)"
wasm_js="$web/bin/wasm_bench.js"
if [[ ! -f "$wasm_js" ]]; then
  wasm_js="$out/wasm_bench.js"
  NODE_PATH="${NODE_PATH:-/usr/share/nodejs}" em++ -std=c++20 -O2 -fexceptions -DNDEBUG -I "$root/shared/include" -isystem "$web/include" \
    "$root/bench/wasm_bench.cpp" "$web/shared/libplan_core.a" \
    -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1 -fexceptions -o "$wasm_js"
fi
node --no-experimental-fetch "$wasm_js" | tee "$out/wasm.txt"

echo "== AWS CDK (aws-cdk-lib synth, bench/cdk)"
if [[ -d "$root/bench/cdk/node_modules/aws-cdk-lib" ]]; then
  node "$root/bench/cdk/synth_bench.mjs" | tee "$out/cdk.txt"
else
  echo "skipped: run npm install in bench/cdk" | tee "$out/cdk.txt"
fi

# The browser app: download size, first frame, frame time with 200 components (docs/web.md).
bench_failed=0
echo "== web app (site: $web/site)"
if [[ -f "$web/site/app.wasm" && -x "$native/bin/cs-gateway" ]]; then
  "$root/bench/web_size.sh" "$web/site" || bench_failed=1
  CS_GATEWAY_BIN="$native/bin/cs-gateway" node "$root/bench/web_frame_time.mjs" "$web/site" || bench_failed=1
else
  echo "skipped: build the site (cmake --build $web --target site) and cs-gateway ($native)"
fi

# Deploying for real (issue 5): deploy -> green against bare initdb + pg_ctl start, and API latency while
# 20 plans deploy at once (bench/deploy_bench.mjs; needs cs-gateway and Debian's PostgreSQL).
echo "== deploy (local target, real PostgreSQL)"
if [[ -x "$native/bin/cs-gateway" && -d /usr/lib/postgresql ]]; then
  CS_GATEWAY_BIN="$native/bin/cs-gateway" node "$root/bench/deploy_bench.mjs" || bench_failed=1
else
  echo "skipped: build cs-gateway ($native) and install postgresql (scripts/deps)"
fi

echo "== ratios"
node - "$out" <<'JS' || bench_failed=1
const fs = require('fs');
const dir = process.argv[2];
const read = (f) => Object.fromEntries(fs.readFileSync(`${dir}/${f}`, 'utf8').split('\n')
  .map((l) => /^(\w+) median_ns=(\d+)/.exec(l)).filter(Boolean).map((m) => [m[1], Number(m[2])]));
const native = read('native.txt'), chrono = read('native_chrono.txt'), wasm = read('wasm.txt'), cdkRaw = read('cdk.txt');
const cdk = { TransformOneVm: cdkRaw.CdkSynthOneVm, Transform500Components: cdkRaw.CdkSynth500Components,
  TransformLargeAwsStack: cdkRaw.CdkSynthLargeAwsStack };
const fmt = (ns) => (ns === undefined ? 'n/a' : ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(1)} us`);
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(1)}x` : 'n/a');
console.log('operation                native       wasm         CDK synth    wasm/native  CDK/native  CDK/wasm');
// Transform500Components is refused (over 500 resources) by both CloudSketch and the CDK: it times the refusal.
for (const op of ['TransformOneVm', 'ValidateOneVm', 'Validate500Components', 'Transform500Components',
                  'TransformLargeAwsStack']) {
  const n = native[op], w = wasm[op], c = cdk[op];
  console.log(`${op.padEnd(24)} ${fmt(n).padEnd(12)} ${fmt(w).padEnd(12)} ${fmt(c).padEnd(12)} ` +
    `${ratio(w, chrono[op] ?? n).padEnd(12)} ${ratio(c, n).padEnd(11)} ${ratio(c, w)}`);
}
const checks = [
  ['one-VM plan transforms in under 50 us natively', native.TransformOneVm, 50e3],
  ['500-component plan validates in under 2 ms in wasm', wasm.Validate500Components, 2e6],
];
let failed = 0;
for (const [what, ns, limit] of checks) {
  const ok = ns !== undefined && ns < limit;
  if (!ok) failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${what}: ${fmt(ns)}`);
}
process.exitCode = failed ? 1 : 0;
JS
exit "$bench_failed"
