#!/usr/bin/env bash
# Runs every test of the SDK, in order: Rust (unit, integration, fault matrix, TLS, torture,
# property tests, against the offline server), the native C harness (plain and under valgrind),
# the same harness through a host transport (libcurl) with and without SDK threads,
# the C++ wrapper, the Unreal plugin compile check, the C# binding under Mono, sanitizers, Miri,
# fuzzing (20 s a target), the Windows DLL under Wine, the Android build check, the release
# artefacts (WebGL included), the browser tests (headless Chromium), the WebAssembly harness
# (Node and Chromium), and the benchmark smoke run. Prints one summary line per stage and, last,
# `N passed, N failed` over all of them. Exits non-zero if any stage failed.
#
#   ./scripts/test.sh            everything (about 30 minutes on 2 cores from a clean tree)
#   ./scripts/test.sh rust c     only the named stages (rust c transport valgrind cpp unreal
#                                csharp sanitizers miri fuzz windows android release browser
#                                wasm bench)
set -uo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh || exit 1

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(rust c transport valgrind cpp unreal csharp sanitizers miri fuzz windows android release browser wasm bench)
wants() { [[ " ${stages[*]} " == *" $1 "* ]]; }

passed=0
failed=0
broken=()
logdir=$(mktemp -d)

# Adds the counts a stage printed: every cargo `test result:` line, plus the last plain
# `N passed, N failed` line (a script's total; earlier ones are its parts).
count() {
  local name=$1 log=$2 status=$3 p f
  read -r p f < <(awk '
    /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
    /^([A-Za-z]+: ?)?[0-9]+ passed, [0-9]+ failed/ { sub(/^[A-Za-z]+: ?/, ""); lp = $1; lf = $3 }
    END { print p + lp, f + lf }' "$log")
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p)); failed=$((failed + f))
  [ "$status" -eq 0 ] || broken+=("$name")
  printf '== %-9s %s passed, %s failed  (%s s)%s\n' "$name" "$p" "$f" "$(($(date +%s) - stage_start))" "$([ "$status" -eq 0 ] || echo "  (exit $status, log $log)")"
}

run() {
  local name=$1; shift
  local log="$logdir/$name.log"
  echo "== $name: $*"
  stage_start=$(date +%s)
  "$@" 2>&1 | tee "$log"
  count "$name" "$log" "${PIPESTATUS[0]}"
}

if wants rust; then
  run rust cargo test --workspace --locked
fi
if wants c || wants transport || wants valgrind || wants cpp || wants csharp || wants sanitizers || wants windows || wants browser || wants wasm; then
  echo "== build: cargo build --release --workspace --locked"
  cargo build --release --workspace --locked || { echo "release build failed"; echo "0 passed, 1 failed"; exit 1; }
fi
wants c && run c tests/harness/run.sh
# The same harness through a host transport in C over libcurl, then with no SDK thread.
wants transport && run transport env HARNESS_TRANSPORT=curl tests/harness/run.sh
wants transport && run transport-poll env HARNESS_TRANSPORT=curl HARNESS_RUN_MODE=poll tests/harness/run.sh
wants valgrind && run valgrind env VALGRIND=1 tests/harness/run.sh
if wants cpp && [ -x bindings/cpp/tests/run.sh ]; then run cpp bindings/cpp/tests/run.sh; fi
if wants unreal && [ -x tests/unreal-stub/check.sh ]; then run unreal tests/unreal-stub/check.sh; fi
if wants csharp && [ -x bindings/csharp/tests/run.sh ]; then run csharp bindings/csharp/tests/run.sh; fi
wants sanitizers && run sanitizers scripts/reliability/sanitizers.sh
wants miri && run miri scripts/reliability/miri.sh
wants fuzz && run fuzz scripts/reliability/fuzz.sh 20
wants windows && run windows env XERIAL_MOCK_BIN=target/release/xerial-mock scripts/platforms/windows-test.sh
wants android && run android scripts/platforms/android-check.sh
wants release && run release scripts/platforms/release.sh --fast --out "$logdir/dist"
wants release && run package scripts/platforms/package-check.sh "$logdir/dist"
wants browser && run browser tests/browser/run.sh
# The WebAssembly build: the C harness with emcc, under Node and in headless Chromium.
wants wasm && run wasm tests/wasm/run.sh
wants bench && run bench scripts/bench.sh --smoke

[ ${#broken[@]} -eq 0 ] || echo "FAILED stages: ${broken[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#broken[@]} -eq 0 ]
