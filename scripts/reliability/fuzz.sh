#!/usr/bin/env bash
# scripts/reliability/fuzz.sh [SECONDS] - runs every cargo-fuzz target of fuzz/ for SECONDS each
# (default 20), starting from its committed corpus (fuzz/corpus/<target>/, read-only: new inputs
# go to a temporary directory). Installs nightly and cargo-fuzz when missing (and says how long
# cargo-fuzz took). A crash leaves its input in fuzz/artifacts/<target>/ and fails the target.
#
# Targets: decode (every response decoder: no panic, canonical JSON re-reads to the same value)
# and ffi_args (arbitrary C strings, struct sizes, ids and codes through the exported functions;
# exactly one callback per id).
#
# Environment: FUZZ_TARGETS="decode ffi_args", FUZZ_FEATURES (cargo features of fuzz/).
# Last line: "N passed, N failed" (one per target).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=scripts/reliability/lib.sh
. "$ROOT/scripts/reliability/lib.sh"
SECONDS_EACH=${1:-20}
TARGETS=${FUZZ_TARGETS:-decode ffi_args}
# fuzz/ has its own workspace and target directory (sanitizer flags differ from the main build).
unset CARGO_TARGET_DIR
cd "$ROOT/fuzz" || exit 2

fail_all() {
    echo "$1" >&2
    echo "0 passed, $(wc -w <<<"$TARGETS") failed"
    exit 1
}

# shellcheck disable=SC2119  # no components needed
ensure_nightly || fail_all "FAILED: no nightly toolchain, fuzzing cannot run"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "== cargo install cargo-fuzz --locked"
    start=$(date +%s)
    cargo install cargo-fuzz --locked || fail_all "FAILED: cargo install cargo-fuzz"
    echo "== cargo-fuzz installed in $(elapsed "$start") s"
fi

features=()
[ -n "${FUZZ_FEATURES:-}" ] && features=(--features "$FUZZ_FEATURES")
start=$(date +%s)
echo "== cargo +nightly fuzz build ${features[*]}"
cargo +nightly fuzz build "${features[@]}" || fail_all "FAILED: the fuzz targets do not build"
echo "== built in $(elapsed "$start") s"

passed=0
failed=0
work=$(mktemp -d "${TMPDIR:-/tmp}/xerial-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
for target in $TARGETS; do
    mkdir -p "$work/$target" "corpus/$target"
    echo "== fuzz $target for ${SECONDS_EACH} s (corpus: fuzz/corpus/$target, $(find "corpus/$target" -type f | wc -l) inputs)"
    start=$(date +%s)
    log="$work/$target.log"
    cargo +nightly fuzz run "${features[@]}" "$target" "$work/$target" "corpus/$target" -- \
        -max_total_time="$SECONDS_EACH" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
        >"$log" 2>&1
    status=$?
    # The summary lines, not the per-input progress.
    grep -E '^(#[0-9]+\s+(INITED|DONE)|Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
    if [ "$status" -eq 0 ]; then
        echo "PASS: $target ($(elapsed "$start") s)"
        passed=$((passed + 1))
    else
        grep -v -E '^#[0-9]+\s+(NEW|REDUCE|pulse|RELOAD)' "$log" | grep -v -E '^\s+(at |[0-9]+: )' | tail -60
        echo "FAIL: $target (exit $status; the input is in fuzz/artifacts/$target/)"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
