#!/usr/bin/env bash
# tests/harness/mutants/run.sh [MUTANT...] - run the harness once per mutant of
# break.c (an LD_PRELOAD shim that breaks one promise of abi.md each) and report
# which cases noticed. A mutant that no case notices is a hole in the harness.
# Build the harness first (tests/harness/run.sh). Same LIBDIR/XERIAL_MOCK_BIN as run.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$ROOT"
OUT=${HARNESS_OUT:-tests/harness/build}   # HARNESS_OUT: a private build dir on a shared machine
MOCK_BIN=${XERIAL_MOCK_BIN:-target/release/xerial-mock}
H="$OUT/xerial_harness"
[ -x "$H" ] || { echo "build the harness first: tests/harness/run.sh meta" >&2; exit 2; }
"${CC:-gcc}" -std=c11 -Wall -Wextra -Werror -shared -fPIC -O1 -pthread -I include \
    tests/harness/mutants/break.c -ldl -o "$OUT/libbreak.so"

ALL=$(grep -o 'is("[a-z0-9_]*")' tests/harness/mutants/break.c | sed 's/is("\(.*\)")/\1/' | sort -u)
MUTANTS=("$@")
[ ${#MUTANTS[@]} -gt 0 ] || read -r -a MUTANTS <<<"$(echo $ALL)"

"$MOCK_BIN" --port 0 >"$OUT/mutants-mock.out" 2>"$OUT/mutants-mock.err" &
MOCK_PID=$!
trap 'kill $MOCK_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q listening "$OUT/mutants-mock.out" 2>/dev/null && break; sleep 0.05; done
URL=$(head -n 1 "$OUT/mutants-mock.out" | sed 's/^xerial-mock listening on //')

mkdir -p "$OUT/mutants"
# The failures of a run as "file:line: message without digits": a mutant is caught when it
# makes a check fail that the unmutated library passes (so a case that already fails because
# of a library bug cannot hide a mutant; digits go because timings and counts vary).
locations() { sed -n 's/^\(FAIL - [a-z0-9_]*: \|#   also \)\([a-z_]*\.c:[0-9]*: .*\)/\2/p' | sed 's/\(\.c:[0-9]*: \)\(.*\)/\1\n\2/' | awk 'NR%2{loc=$0;next}{gsub(/[0-9]/,"");print loc $0}' | sort -u; }
case $OUT in /*) BREAK_SO=$OUT/libbreak.so ;; *) BREAK_SO=$ROOT/$OUT/libbreak.so ;; esac
run_one() { XERIAL_MUTANT=$1 LD_PRELOAD="$BREAK_SO" timeout 900 "$H" "$URL" 2>&1 || true; }

run_one none >"$OUT/mutants/none.log"
locations <"$OUT/mutants/none.log" >"$OUT/mutants/none.locations"
echo "baseline: $(tail -n 1 "$OUT/mutants/none.log")"

survivors=0
for m in "${MUTANTS[@]}"; do
    run_one "$m" >"$OUT/mutants/$m.log"
    last=$(tail -n 1 "$OUT/mutants/$m.log")
    new=$(locations <"$OUT/mutants/$m.log" | comm -23 - "$OUT/mutants/none.locations" | cut -d: -f1,2 | sort -u | tr '\n' ' ')
    if [[ "$last" != *" passed, "*" failed" ]]; then
        echo "caught   $m: the run crashed or hung ($last)" | cut -c1-160
    elif [ -n "$new" ]; then
        echo "caught   $m: $new" | cut -c1-160
    else
        echo "SURVIVED $m: $last"
        survivors=$((survivors + 1))
    fi
done
echo "$survivors mutant(s) survived"
[ "$survivors" -eq 0 ]
