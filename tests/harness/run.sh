#!/usr/bin/env bash
# tests/harness/run.sh - build the native C harness, start xerial-mock on a free
# port, run the harness against it, stop the mock, exit with the harness's status.
#
#   tests/harness/run.sh [WORD...]        WORDs select cases whose names contain them
#
# Environment:
#   LIBDIR=target/release                 where libxerial.so is (default)
#   XERIAL_MOCK_BIN=target/release/xerial-mock
#   CC=gcc                                 compiler (clang works too)
#   HARNESS_CFLAGS=                        extra flags, e.g. "-fsanitize=address,undefined"
#   VALGRIND=1                             run under valgrind (definite leaks and errors fail)
#   HARNESS_TIME_SCALE=N                   multiply deadlines (default 1, 6 under valgrind)
#   HARNESS_TRANSPORT=curl                 every request through a host transport over libcurl
#   HARNESS_RUN_MODE=poll                  XERIAL_RUN_IN_POLL (no SDK thread; needs a host transport)
#
# Run from anywhere; paths are relative to the repository root. Needs
# `cargo build --release --workspace` first.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

LIBDIR=${LIBDIR:-target/release}
MOCK_BIN=${XERIAL_MOCK_BIN:-target/release/xerial-mock}
CC=${CC:-gcc}
OUT=${HARNESS_OUT:-tests/harness/build}   # HARNESS_OUT: a private build dir on a shared machine
mkdir -p "$OUT"

if [ ! -f "$LIBDIR/libxerial.so" ]; then
    echo "run.sh: $LIBDIR/libxerial.so not found (run: cargo build --release --workspace)" >&2
    exit 2
fi
if [ ! -x "$MOCK_BIN" ]; then
    echo "run.sh: $MOCK_BIN not found (run: cargo build --release --workspace)" >&2
    exit 2
fi
LIBDIR_ABS=$(cd "$LIBDIR" && pwd)

# shellcheck disable=SC2086  # HARNESS_CFLAGS is a list of flags
"$CC" -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -pthread -g -O1 \
    ${HARNESS_CFLAGS:-} -I include \
    tests/harness/harness.c tests/harness/heap.c tests/harness/th.c tests/harness/mock_admin.c \
    tests/harness/cases_lifecycle.c tests/harness/cases_logout.c tests/harness/cases_dispatch.c \
    tests/harness/world.c tests/harness/cases_session.c tests/harness/cases_api.c tests/harness/cases_tx.c \
    tests/harness/cases_signin.c tests/harness/cases_transport.c tests/harness/cases_store.c \
    tests/harness/curl/transport_curl.c -DHARNESS_CURL -I tests/harness \
    -L"$LIBDIR_ABS" -lxerial -lcurl -Wl,-rpath,"$LIBDIR_ABS" -o "$OUT/xerial_harness"

# Start the mock; its first stdout line carries the URL.
. scripts/lib/mock.sh
MOCK_PID=
cleanup() {
    [ -z "$MOCK_PID" ] && return
    kill "$MOCK_PID" 2>/dev/null || true
    wait "$MOCK_PID" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
start_mock "$MOCK_BIN" "$OUT" || exit 2
URL=$MOCK_URL

# The default session store (the OS's, per user) of the cases that use it: a private data
# folder and no D-Bus, so no case reads or writes the developer's own keyring (the Secret
# Service path is scripts/platforms/keyring-test.sh's).
mkdir -p "$OUT/run"
OUT_ABS=$(cd "$OUT" && pwd)
export XDG_DATA_HOME="$OUT_ABS/data" XDG_RUNTIME_DIR="$OUT_ABS/run"
unset DBUS_SESSION_BUS_ADDRESS

RUN=("$OUT/xerial_harness" "$URL" "$@")
if [ "${VALGRIND:-0}" = 1 ]; then
    export HARNESS_TIME_SCALE=${HARNESS_TIME_SCALE:-6}
    VG=(valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite
        --show-leak-kinds=definite)
    if [ -f tests/harness/valgrind.supp ]; then
        VG+=(--suppressions=tests/harness/valgrind.supp)
    fi
    RUN=("${VG[@]}" "${RUN[@]}")
fi

set +e
"${RUN[@]}"
status=$?
set -e
exit "$status"
