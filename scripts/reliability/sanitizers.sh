#!/usr/bin/env bash
# scripts/reliability/sanitizers.sh - the native C harness (tests/harness) and the C++ wrapper
# tests (bindings/cpp/tests) built with -fsanitize=address,undefined against the release
# libxerial.so, each run against its own xerial-mock by its owner's run script (through the
# hooks those scripts offer: HARNESS_CFLAGS / CC, and CPP_VARIANTS=asan). A part that does not
# exist yet, or a compiler that is not installed, is reported with a loud "SKIPPED: <why>".
#
# Leaks: ASAN_OPTIONS=detect_leaks=1 (LeakSanitizer at exit). scripts/reliability/lsan.supp is
# where a suppression would go, with its reason; it is empty (see the file).
#
# Environment: LIBDIR (default $CARGO_TARGET_DIR/release or target/release), XERIAL_MOCK_BIN,
# SANITIZER_CC (compilers for the C harness, default "gcc clang"; the C++ tests use g++).
# The release build is brought up to date first (cargo build --release -p xerial -p xerial-mock).
# Last line: "N passed, N failed" summed over the parts that ran.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 2

export LIBDIR=${LIBDIR:-${CARGO_TARGET_DIR:-target}/release}
export XERIAL_MOCK_BIN=${XERIAL_MOCK_BIN:-$LIBDIR/xerial-mock}
SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:suppressions=$ROOT/scripts/reliability/lsan.supp}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/scripts/reliability/lsan.supp:print_suppressions=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

passed=0
failed=0
ran=0
logdir=$(mktemp -d "${TMPDIR:-/tmp}/xerial-sanitizers.XXXXXX")
trap 'rm -rf "$logdir"' EXIT

echo "== cargo build --release -p xerial -p xerial-mock --locked"
if ! cargo build --release -p xerial -p xerial-mock --locked; then
    echo "FAILED: the release build"
    echo "0 passed, 1 failed"
    exit 1
fi

# part NAME COMMAND...: runs a part, adds the "N passed, N failed" its last such line reports
# (a non-zero exit with no failure counted is one failure).
part() {
    local name=$1
    shift
    local log="$logdir/$name.log" start p f status
    echo "== $name: $*"
    start=$(date +%s)
    "$@" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    read -r p f < <(awk '/^([A-Za-z]+: ?)?[0-9]+ passed, [0-9]+ failed/ { sub(/^[A-Za-z]+: ?/, ""); p = $1; f = $3 } END { print p + 0, f + 0 }' "$log")
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log" && [ "$f" -eq 0 ]; then
        echo "$name: a sanitizer reported an error"
        f=1
    fi
    echo "== $name: $p passed, $f failed, exit $status, $(($(date +%s) - start)) s"
    passed=$((passed + p))
    failed=$((failed + f))
    ran=$((ran + 1))
}

clang_major() { clang -dumpversion | cut -d. -f1; }

# Whether clang links an ASan+UBSan program; installs its runtime package when root can.
clang_asan_works() {
    local probe="$logdir/probe"
    # shellcheck disable=SC2086  # SAN is a list of flags
    probe_ok() { echo 'int main(void){return 0;}' | clang -x c $SAN - -o "$probe" 2>/dev/null && "$probe"; }
    probe_ok && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "== apt-get install libclang-rt-$(clang_major)-dev (clang's sanitizer runtime)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "libclang-rt-$(clang_major)-dev" >/dev/null 2>&1 || true
        probe_ok && return 0
    fi
    return 1
}

COMPILERS=${SANITIZER_CC:-gcc clang}
if [ -x tests/harness/run.sh ]; then
    if [[ " $COMPILERS " != *" gcc "* ]]; then
        echo "SKIPPED: C harness under gcc: not in SANITIZER_CC"
    elif command -v gcc >/dev/null 2>&1; then
        part c-harness-gcc env CC=gcc HARNESS_CFLAGS="$SAN" tests/harness/run.sh
    else
        echo "SKIPPED: C harness under gcc: gcc is not installed"
    fi
    if [[ " $COMPILERS " != *" clang "* ]]; then
        echo "SKIPPED: C harness under clang: not in SANITIZER_CC"
    elif ! command -v clang >/dev/null 2>&1; then
        echo "SKIPPED: C harness under clang: clang is not installed (apt-get install clang)"
    elif ! clang_asan_works; then
        echo "SKIPPED: C harness under clang: clang's sanitizer runtime is missing (apt-get install libclang-rt-$(clang_major)-dev)"
    else
        part c-harness-clang env CC=clang HARNESS_CFLAGS="$SAN" tests/harness/run.sh
    fi
else
    echo "SKIPPED: C harness: tests/harness/run.sh does not exist yet"
fi

if [ -x bindings/cpp/tests/run.sh ]; then
    # The wrapper tests' own ASan+UBSan variant: g++ -std=c++20 $SAN.
    part cpp-wrapper env CPP_VARIANTS=asan bindings/cpp/tests/run.sh
else
    echo "SKIPPED: C++ wrapper tests: bindings/cpp/tests/run.sh does not exist yet"
fi

if [ "$ran" -eq 0 ]; then
    echo "SKIPPED: nothing to run under the sanitizers"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
