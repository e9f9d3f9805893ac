#!/usr/bin/env bash
# Size of what a visitor downloads for the web app (raw and gzip -9), and the time from navigation to
# the app's first drawn frame in headless Chromium (SwiftShader, so a CPU-bound upper bound).
# Usage: bench/web_size.sh [site-dir]   (default: build/web/site, or $CS_SITE_DIR)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
site="${1:-${CS_SITE_DIR:-$root/build/web/site}}"
[ -f "$site/app.wasm" ] || { echo "web_size: no app.wasm in $site (build the web preset first)" >&2; exit 1; }

printf '%-10s %12s %12s\n' file bytes gzip-9
total=0; total_gz=0
for f in app.wasm app.js app.data index.html assets/boot.js assets/site.css; do
  [ -f "$site/$f" ] || continue
  raw=$(stat -c %s "$site/$f")
  gz=$(gzip -9 -c "$site/$f" | wc -c)
  total=$((total + raw)); total_gz=$((total_gz + gz))
  printf '%-16s %12d %12d\n' "$f" "$raw" "$gz"
done
printf '%-16s %12d %12d\n' total "$total" "$total_gz"

node "$root/bench/web_first_frame.mjs" "$site"
