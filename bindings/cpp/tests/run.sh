#!/usr/bin/env bash
# bindings/cpp/tests/run.sh - build the C++ wrapper tests in every variant and run each against
# an xerial-mock this script starts (and stops on exit).
#
#   bindings/cpp/tests/run.sh [WORD...]     WORDs select test cases whose names contain them
#
# Variants: {g++, clang++} x {-std=c++17, -std=c++20} with -Wall -Wextra -Werror -pedantic, then
# g++ -std=c++20 under -fsanitize=address,undefined, then g++ -std=c++17 under valgrind, then
# no_exceptions_test.cpp with -fno-exceptions (as Unreal builds) by g++ and clang++. A compiler
# or tool that is not installed is reported with a loud "SKIPPED: ..." line (CI installs them all:
# g++ clang valgrind). This script installs nothing.
#
# Output: each variant's lines prefixed with "[variant] ", then alone on the last line the
# combined "N passed, N failed" (a variant that fails to build or crashes counts as one failure).
# Exit status 0 only if every variant that ran passed and at least one ran.
#
# Environment:
#   LIBDIR=target/release                   where libxerial.so is
#   XERIAL_MOCK_BIN=target/release/xerial-mock
#   BUILD_DIR=<temp dir>                    where binaries go (default: a temp dir, removed on exit)
#   CPP_VARIANTS="gcc17 gcc20 clang17 clang20 asan valgrind noexc-gcc noexc-clang"   the variants
#
# Needs `cargo build --release -p xerial -p xerial-mock` first. Run from anywhere.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$ROOT" || exit 2

LIBDIR=${LIBDIR:-target/release}
MOCK_BIN=${XERIAL_MOCK_BIN:-target/release/xerial-mock}
VARIANTS=${CPP_VARIANTS:-gcc17 gcc20 clang17 clang20 asan valgrind noexc-gcc noexc-clang}
SRC=bindings/cpp/tests/wrapper_test.cpp
SRC_NOEXC=bindings/cpp/tests/no_exceptions_test.cpp

if [ ! -f "$LIBDIR/libxerial.so" ]; then
    echo "run.sh: $LIBDIR/libxerial.so not found (run: cargo build --release -p xerial -p xerial-mock)" >&2
    echo "0 passed, 1 failed"
    exit 2
fi
if [ ! -x "$MOCK_BIN" ]; then
    echo "run.sh: $MOCK_BIN not found (run: cargo build --release -p xerial -p xerial-mock)" >&2
    echo "0 passed, 1 failed"
    exit 2
fi
LIBDIR_ABS=$(cd "$LIBDIR" && pwd)

if [ -n "${BUILD_DIR:-}" ]; then
    OUT=$BUILD_DIR
    mkdir -p "$OUT"
    KEEP_OUT=1
else
    OUT=$(mktemp -d "${TMPDIR:-/tmp}/xerial-cpp-tests.XXXXXX")
    KEEP_OUT=0
fi

MOCK_PID=
cleanup() {
    if [ -n "$MOCK_PID" ]; then
        kill "$MOCK_PID" 2>/dev/null || true
        wait "$MOCK_PID" 2>/dev/null || true
    fi
    [ "$KEEP_OUT" = 1 ] || rm -rf "$OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the mock -----------------------------------------------------------------------------------
. scripts/lib/mock.sh
if ! start_mock "$MOCK_BIN" "$OUT"; then
    echo "0 passed, 1 failed"
    exit 2
fi
URL=$MOCK_URL
echo "# mock: $URL"

# ---- variants -----------------------------------------------------------------------------------
WARN=(-Wall -Wextra -Werror -pedantic)
total_passed=0
total_failed=0
ran=0

have() { command -v "$1" >/dev/null 2>&1; }

# run_variant NAME COMPILER STD EXTRA_FLAGS RUNNER...   (RUNNER may be empty)
run_variant() {
    local name=$1 cxx=$2 std=$3 extra=$4
    shift 4
    local bin="$OUT/wrapper_test_$name"
    echo "== $name: $cxx -std=$std ${WARN[*]} $extra $SRC"
    rm -f "$bin"
    # shellcheck disable=SC2086  # extra is a list of flags
    "$cxx" -std="$std" "${WARN[@]}" -g -O1 $extra -pthread -I include "$SRC" \
        -L"$LIBDIR_ABS" -lxerial -Wl,-rpath,"$LIBDIR_ABS" -o "$bin" 2>&1 | sed "s/^/[$name] /"
    if [ "${PIPESTATUS[0]}" -ne 0 ] || [ ! -x "$bin" ]; then
        echo "[$name] BUILD FAILED"
        total_failed=$((total_failed + 1))
        return
    fi
    ran=$((ran + 1))
    local log="$OUT/$name.log"
    local words=("${WORDS[@]}")
    [ "$SRC" = "$SRC_NOEXC" ] && words=()
    "$@" "$bin" "$URL" "${words[@]}" >"$log" 2>&1
    local status=$?
    sed "s/^/[$name] /" "$log"
    local p f
    read -r p f < <(awk '/^[0-9]+ passed, [0-9]+ failed$/ { p = $1; f = $3 } END { print p + 0, f + 0 }' "$log")
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "[$name] exited with status $status"
        f=1
    fi
    total_passed=$((total_passed + p))
    total_failed=$((total_failed + f))
}

WORDS=("$@")
for v in $VARIANTS; do
    case "$v" in
    gcc17 | gcc20)
        if have g++; then run_variant "$v" g++ "c++${v#gcc}" ""; else echo "SKIPPED: g++ not installed ($v)"; fi
        ;;
    clang17 | clang20)
        if have clang++; then
            run_variant "$v" clang++ "c++${v#clang}" ""
        else
            echo "SKIPPED: clang++ not installed ($v; apt-get install clang)"
        fi
        ;;
    asan)
        if have g++; then
            ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
                UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
                run_variant asan g++ c++20 "-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
        else
            echo "SKIPPED: g++ not installed (asan)"
        fi
        ;;
    valgrind)
        if have valgrind && have g++; then
            XERIAL_TEST_TIME_SCALE=${XERIAL_TEST_TIME_SCALE:-6} \
                run_variant valgrind g++ c++17 "" \
                valgrind -q --error-exitcode=9 --leak-check=full --show-possibly-lost=no --errors-for-leak-kinds=definite
        else
            echo "SKIPPED: valgrind not installed (valgrind; apt-get install valgrind)"
        fi
        ;;
    noexc-gcc)
        if have g++; then SRC=$SRC_NOEXC run_variant "$v" g++ c++20 "-fno-exceptions"; else echo "SKIPPED: g++ not installed ($v)"; fi
        ;;
    noexc-clang)
        if have clang++; then
            SRC=$SRC_NOEXC run_variant "$v" clang++ c++20 "-fno-exceptions"
        else
            echo "SKIPPED: clang++ not installed ($v; apt-get install clang)"
        fi
        ;;
    *)
        echo "run.sh: unknown variant $v" >&2
        total_failed=$((total_failed + 1))
        ;;
    esac
done

if [ "$ran" -eq 0 ]; then
    echo "run.sh: no variant ran" >&2
    total_failed=$((total_failed + 1))
fi
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
