#!/usr/bin/env bash
# Size of what a visitor downloads for the web app (raw and gzip -9, per file and in total), checked
# against the issue's target (app.wasm + app.js + app.data under 800 KB gzip), then the time from
# navigation to the app's first drawn frame in headless Chromium (SwiftShader, so a CPU-bound upper bound).
# Usage: bench/web_size.sh [site-dir]   (default: build/web/site, or $CS_SITE_DIR)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
site="${1:-${CS_SITE_DIR:-$root/build/web/site}}"
[ -f "$site/app.wasm" ] || { echo "web_size: no app.wasm in $site (build the web preset first)" >&2; exit 1; }

printf '%-16s %12s %12s\n' file bytes gzip-9
total=0; total_gz=0; app_gz=0
for f in app.wasm app.js app.data index.html sw.js assets/boot.js assets/site.css assets/logo.svg; do
  [ -f "$site/$f" ] || continue
  raw=$(stat -c %s "$site/$f")
  gz=$(gzip -9 -c "$site/$f" | wc -c)
  total=$((total + raw)); total_gz=$((total_gz + gz))
  case "$f" in app.*) app_gz=$((app_gz + gz)) ;; esac
  printf '%-16s %12d %12d\n' "$f" "$raw" "$gz"
done
printf '%-16s %12d %12d\n' total "$total" "$total_gz"
limit=$((800 * 1024))
if [ "$app_gz" -lt "$limit" ]; then verdict=PASS; else verdict=FAIL; fi
echo "$verdict app.wasm + app.js + app.data: $app_gz bytes gzip (target under $limit)"

node "$root/bench/web_first_frame.mjs" "$site"
[ "$verdict" = PASS ]
