#!/usr/bin/env bash
# scripts/reliability/miri.sh - the pure-Rust unit tests that touch no socket, under Miri:
# the request registry and dispatch queue (src/ffi/generation.rs: model-based proptests and a
# three-thread finish/cancel/close race), C string argument conversion (src/ffi/strings.rs),
# every response model (src/client/models/) and the byte scans of src/client/validate.rs.
# Installs nightly, miri and rust-src when missing.
#
# The tests run as two concurrent Miri processes (Miri interprets on one core each):
# "ffi::generation ffi::strings ffi::in_poll" and "client::models client::clock client::hooks
# client::validate". Environment: MIRIFLAGS (passed through), MIRI_GROUPS (test-name filters,
# groups separated by ";").
# Last line: "N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=scripts/reliability/lib.sh
. "$ROOT/scripts/reliability/lib.sh"
cd "$ROOT" || exit 2
GROUPS_SPEC=${MIRI_GROUPS:-ffi::generation ffi::strings ffi::in_poll;client::models client::clock client::hooks client::validate}

ensure_nightly miri rust-src || { echo "0 passed, 1 failed"; exit 1; }
start=$(date +%s)
cargo +nightly miri setup || { echo "FAILED: cargo miri setup"; echo "0 passed, 1 failed"; exit 1; }
echo "== miri setup: $(elapsed "$start") s"

start=$(date +%s)
logdir=$(mktemp -d "${TMPDIR:-/tmp}/xerial-miri.XXXXXX")
trap 'rm -rf "$logdir"' EXIT
# Build once (the test binary), then run the groups side by side.
cargo +nightly miri test -p xerial --lib --locked --no-run || {
    echo "FAILED: the unit tests do not build under Miri"
    echo "0 passed, 1 failed"
    exit 1
}
echo "== miri build: $(elapsed "$start") s"
start=$(date +%s)
IFS=';' read -r -a groups <<<"$GROUPS_SPEC"
pids=()
for i in "${!groups[@]}"; do
    # shellcheck disable=SC2086  # a group is a list of test-name filters
    cargo +nightly miri test -p xerial --lib --locked -- ${groups[$i]} >"$logdir/$i.log" 2>&1 &
    pids+=($!)
done
status=0
for i in "${!groups[@]}"; do
    wait "${pids[$i]}" || status=1
    echo "== group: ${groups[$i]}"
    grep -E '^test |^test result:|panicked|Undefined Behavior|error' "$logdir/$i.log"
done
echo "== miri test: $(elapsed "$start") s"
read -r p f < <(cat "$logdir"/*.log | awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } } END { print p + 0, f + 0 }')
if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
    cat "$logdir"/*.log | tail -80
    f=1
fi
if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
    echo "FAILED: the filters selected no test"
    f=1
fi
echo "$p passed, $f failed"
[ "$status" -eq 0 ] && [ "$f" -eq 0 ]
