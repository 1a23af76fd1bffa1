#!/usr/bin/env bash
# The Xerial SDK benchmark suite (issue 7); docs/BENCHMARKS.md explains every figure.
#
#   scripts/bench.sh            the full run (about 6-9 minutes on 2 cores once built)
#   scripts/bench.sh --smoke    a short run for CI: every part runs once with small counts and
#                               prints its row; asserts nothing about time. Ends with
#                               `N passed, N failed` (one per part that ran); exit 1 if any failed.
#
# It installs what it needs when missing (apt-get: libcurl4-openssl-dev, mono-devel, hyperfine,
# gcc, valgrind), builds the SDK (release profile), the offline server, the Rust bench binary
# (benches/sdk), the libcurl client (benches/curl), the Mono client (benches/mono) and a C host
# (benches/c), starts two offline servers on 127.0.0.1, runs every part, and prints one Markdown
# table (also saved as $BENCH_OUT/table.md) with the machine and the settings.
#
# Environment: CARGO_TARGET_DIR (default target), BENCH_OUT (default a new /tmp directory),
# BENCH_REPS (interleaved repetitions of the throughput runs; full 3, smoke 1).
# Only loopback traffic; every load loop is bounded in count and time.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

mode=full
case "${1:-}" in
  --smoke) mode=smoke ;;
  "") ;;
  *) echo "usage: scripts/bench.sh [--smoke]" >&2; exit 2 ;;
esac

target=${CARGO_TARGET_DIR:-target}
case "$target" in /*) ;; *) target="$root/$target" ;; esac
export CARGO_TARGET_DIR="$target"
out=${BENCH_OUT:-$(mktemp -d /tmp/xerial-bench.XXXXXX)}
mkdir -p "$out"
results="$out/results.txt"
: >"$results"
export CARGO_TERM_COLOR=never

if [ "$mode" = smoke ]; then
  reps=${BENCH_REPS:-1}; requests=2000; requests1=300; smoke=(--smoke); lifecycles=1
  cold_runs=5; mono_limit=180
else
  reps=${BENCH_REPS:-3}; requests=20000; requests1=4000; smoke=(); lifecycles=3
  cold_runs=30; mono_limit=600
fi

passed=0
failed=0
failures=()
suite_start=$(date +%s)
say() { echo "== $*" >&2; }

# part NAME COMMAND...: runs one part, appends its `R` lines to the results, and counts it
# passed when it exits 0 and printed at least one result.
part() {
  local name=$1; shift
  local log="$out/$name.log" t0 t1 status
  say "$name: $*"
  t0=$(date +%s.%N)
  "$@" >"$log" 2>"$out/$name.err"
  status=$?
  t1=$(date +%s.%N)
  grep '^R ' "$log" >>"$results"
  local rows
  rows=$(grep -c '^R ' "$log")
  awk -v n="$name" -v a="$t0" -v b="$t1" 'BEGIN { printf "T %s %.1f\n", n, b - a }' >>"$out/times.txt"
  if [ "$status" -eq 0 ] && [ "$rows" -gt 0 ]; then
    passed=$((passed + 1))
    say "$name: ok ($rows results, $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    say "$name: FAILED (exit $status, $rows results; see $out/$name.err)"
    tail -5 "$out/$name.err" >&2
  fi
}

# --- what the suite needs ------------------------------------------------------------------
missing=()
command -v gcc >/dev/null || missing+=(gcc)
[ -f /usr/include/x86_64-linux-gnu/curl/curl.h ] || [ -f /usr/include/curl/curl.h ] ||
  ls /usr/include/*/curl/curl.h >/dev/null 2>&1 || missing+=(libcurl4-openssl-dev)
{ command -v mcs && command -v mono; } >/dev/null || missing+=(mono-devel)
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v strip >/dev/null || missing+=(binutils)
command -v valgrind >/dev/null || missing+=(valgrind)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    say "apt-get failed; the parts that need ${missing[*]} will fail"
fi
# 10,000 requests in flight need 10,000 sockets in this process and in the server.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
need_fds=$([ "$mode" = smoke ] && echo 2100 || echo 12000)
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge "$need_fds" ] ||
  say "warning: open-file limit $(ulimit -n) < $need_fds; the 1,024- and 10,000-in-flight parts may fail"

{
  echo "M mode $mode"
  echo "M reps $reps"
  echo "M nproc $(nproc)"
  echo "M cpu $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "M kernel Linux $(uname -r)"
  echo "M load_start $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "M date $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "M toolchain $(rustc --version 2>/dev/null), $(gcc --version 2>/dev/null | head -1), libcurl $(curl-config --version 2>/dev/null | cut -d' ' -f2), Mono $(mono --version 2>/dev/null | head -1 | sed 's/.*version \([^ ]*\).*/\1/')"
  echo "R settings.requests $requests"
  echo "R settings.requests_1 $requests1"
} >>"$results"

# --- build ---------------------------------------------------------------------------------
build() {
  cargo build --release -p xerial -p xerial-mock || return 1
  cargo bench --bench sdk --no-run --message-format=json 2>/dev/null |
    grep -o '"executable":"[^"]*"' | sed 's/"executable":"//; s/"$//' | grep '/sdk-' | tail -1 >"$out/bench-exe"
  [ -s "$out/bench-exe" ] || return 1
  # The library as it ships (release.sh): the cdylib alone, so that it gets the profile's LTO
  # (cargo drops `-C lto` when an rlib is among the crate types). Parts 5-7 load it, part 6
  # measures it; built last, as the two builds above write the same file without LTO.
  cargo rustc --release -p xerial --lib --crate-type cdylib || return 1
  gcc -std=c11 -O2 -Wall -Wextra -Werror benches/curl/client.c -lcurl -o "$out/curl-client" || return 1
  gcc -std=c11 -O2 -Wall -Wextra -Werror -Iinclude benches/c/coldstart.c \
    -L"$target/release" -lxerial -Wl,-rpath,"$target/release" -o "$out/coldstart" || return 1
  gcc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra -Werror -pthread -Iinclude -Itests/harness \
    benches/c/transport.c tests/harness/curl/transport_curl.c \
    -L"$target/release" -lxerial -lcurl -Wl,-rpath,"$target/release" -o "$out/transport" || return 1
  mcs -langversion:7.2 -optimize+ -r:System.Net.Http.dll -out:"$out/MonoClient.exe" \
    benches/mono/Client.cs || return 1
  echo "R build.ok 1"
}
part build build
bench=$(cat "$out/bench-exe" 2>/dev/null)
if [ -z "$bench" ] || [ ! -x "$bench" ]; then
  echo "the build failed; nothing to measure"
  echo "$passed passed, $((failed)) failed"
  exit 1
fi

# --- the offline servers -------------------------------------------------------------------
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT
# shellcheck source=scripts/lib/mock.sh
. scripts/lib/mock.sh
start_mock "$target/release/xerial-mock" "$out" mock || exit 1; pids+=("$MOCK_PID"); mock=$MOCK_URL
start_mock "$target/release/xerial-mock" "$out" hold || exit 1; pids+=("$MOCK_PID"); hold=$MOCK_URL
say "servers: $mock (measurements), $hold (held requests)"

# --- the parts -----------------------------------------------------------------------------
for rep in $(seq 1 "$reps"); do
  part "issue-$rep" "$bench" issue --mock "$mock" "${smoke[@]}"
  # For comparison, the SDK before its fix: the same with its workers at SCHED_OTHER.
  part "issue-other-$rep" "$bench" issue --default-policy --mock "$mock" "${smoke[@]}"
done
part poll "$bench" poll --mock "$mock" "${smoke[@]}"

specs=()
for ep in logout get; do
  for n in 1 64 1024; do
    if [ "$n" = 1 ]; then specs+=("$ep:$n:$requests1"); else specs+=("$ep:$n:$requests"); fi
  done
done
for rep in $(seq 1 "$reps"); do
  part "load-rust-$rep" "$bench" load --mock "$mock" --requests "$requests" --requests1 "$requests1" "${smoke[@]}"
  part "load-curl-$rep" timeout 600 "$out/curl-client" "$mock" "${specs[@]}"
  part "load-mono-$rep" timeout "$mono_limit" mono "$out/MonoClient.exe" "$mock" "${specs[@]}"
done

# The host-transport path beside the built-in one (issue 15): the same C driver, poll loop.
transport() {
  local mode ep n count
  for mode in builtin curl curl-poll; do
    for ep in logout get; do
      for n in 1 64; do
        if [ "$n" = 1 ]; then count=$requests1; else count=$requests; fi
        timeout 300 "$out/transport" "$mock" "$mode" "$ep" "$n" "$count" || return 1
      done
    done
  done
}
for rep in $(seq 1 "$reps"); do
  part "transport-$rep" transport
done

# What each client costs the player's CPU per request: instructions counted under callgrind.
part cost "$bench" cost --mock "$mock" --curl "$out/curl-client" "${smoke[@]}"

part memory "$bench" memory --mock "$mock" --hold "$hold" "${smoke[@]}"
part memory-bare "$bench" memory-bare --mock "$mock" --hold "$hold" "${smoke[@]}"
part futures "$bench" futures --mock "$mock"
part drift "$bench" drift --mock "$mock" "${smoke[@]}"
for i in $(seq 1 "$lifecycles"); do
  part "lifecycle-$i" "$bench" lifecycle --mock "$mock" "${smoke[@]}"
done

coldstart() {
  hyperfine -N --warmup 3 --runs "$cold_runs" --export-json "$out/cold.json" \
    "$out/coldstart init" "$out/coldstart none" >&2 || return 1
  grep -o '"mean": *[0-9.e+-]*' "$out/cold.json" | awk -F: '
    NR == 1 { printf "R cold.with_init_ms %.3f\n", $2 * 1000 }
    NR == 2 { printf "R cold.without_ms %.3f\n", $2 * 1000 }'
}
part coldstart coldstart

size() {
  local so="$target/release/libxerial.so"
  [ -f "$so" ] || return 1
  strip --strip-all -o "$out/libxerial.stripped.so" "$so" || return 1
  echo "R size.cdylib_bytes $(stat -c %s "$so")"
  echo "R size.stripped_bytes $(stat -c %s "$out/libxerial.stripped.so")"
}
part size size

echo "M load_end $(cut -d' ' -f1-3 /proc/loadavg)" >>"$results"
echo "R suite.seconds $(($(date +%s) - suite_start))" >>"$results"

# --- the table -----------------------------------------------------------------------------
if "$bench" report "$results" >"$out/table.md"; then
  cat "$out/table.md"
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  failures+=(report)
fi
echo
echo "results: $results; table: $out/table.md; logs: $out; wall time $(($(date +%s) - suite_start)) s"
[ ${#failures[@]} -eq 0 ] || echo "FAILED parts: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
