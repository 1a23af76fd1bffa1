#!/usr/bin/env bash
# tests/wasm/run.sh - the WebAssembly leg of the tests: builds the SDK for
# wasm32-unknown-emscripten and the C harness with it (tests/wasm/build.sh), runs the harness under
# Node against the offline server, then in headless Chromium on a page served from loopback
# (tests/wasm/browser.test.mjs). Prints each part's `N passed, N failed` and, last, the total.
#
#   tests/wasm/run.sh [WORD...]      WORDs select harness cases (Node part only)
#
# Needs what build.sh needs, node, Chromium (tests/browser/README.md) and a release build of the
# offline server (cargo build --release --workspace). SKIP_WASM_BUILD=1 reuses OUT.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=${WASM_HARNESS_OUT:-target/wasm-harness}
MOCK_BIN=${XERIAL_MOCK_BIN:-target/release/xerial-mock}

if [ "${SKIP_WASM_BUILD:-0}" != 1 ]; then
  start=$(date +%s)
  tests/wasm/build.sh "$OUT" || { echo "wasm build failed"; echo "0 passed, 1 failed"; exit 1; }
  echo "# wasm build: $(( $(date +%s) - start )) s"
fi

. scripts/lib/mock.sh
MOCK_PID=
trap '[ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null; wait 2>/dev/null' EXIT
start_mock "$MOCK_BIN" "$OUT" || { echo "0 passed, 1 failed"; exit 1; }

total_passed=0 total_failed=0
tally() { # tally NAME LOG STATUS
  read -r p f < <(awk '/^[0-9]+ passed, [0-9]+ failed$/ { p = $1; f = $3 } END { print p + 0, f + 0 }' "$2")
  if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  total_passed=$((total_passed + p)); total_failed=$((total_failed + f))
  echo "== wasm $1: $p passed, $f failed"
}

echo "== wasm under Node"
timeout 900 node tests/wasm/run-node.mjs "$OUT" "$MOCK_URL" "$@" 2>&1 | tee "$OUT/node.log"
tally node "$OUT/node.log" "${PIPESTATUS[0]}"
kill "$MOCK_PID" 2>/dev/null; wait "$MOCK_PID" 2>/dev/null; MOCK_PID=

echo "== wasm in headless Chromium"
(cd tests/browser && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error; })
timeout 900 node tests/wasm/browser.test.mjs "$OUT" 2>&1 | tee "$OUT/browser.log"
tally chromium "$OUT/browser.log" "${PIPESTATUS[0]}"

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
