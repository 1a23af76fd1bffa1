#!/usr/bin/env bash
# Runs the browser tests (tests/browser/*.test.mjs, or the files named) in Debian's headless
# Chromium, each under a timeout; prints `N passed, N failed` over all of them, last.
# Needs: /usr/bin/chromium (apt-get install chromium), node + npm, a release build of the
# workspace (target/release/xerial-mock, target/release/libxerial.so).
set -uo pipefail
cd "$(dirname "$0")"
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error || {
  echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(*.test.mjs)
passed=0 failed=0
for file in "${files[@]}"; do
  echo "== $file"
  out=$(timeout 600 node "$file" 2>&1); status=$?
  echo "$out"
  read -r p f < <(echo "$out" | awk '/^[0-9]+ passed, [0-9]+ failed$/ { p = $1; f = $3 } END { print p + 0, f + 0 }')
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p)); failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
