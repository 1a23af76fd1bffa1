#!/usr/bin/env bash
# scripts/platforms/windows-test.sh - the Windows x64 build of the SDK, tested under Wine.
#
#   scripts/platforms/windows-test.sh [WORD...]     WORDs select harness cases (as tests/harness/run.sh)
#
# 1. installs what is missing: apt gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 wine64,
#    rustup target x86_64-pc-windows-gnu;
# 2. cross-builds xerial.dll (+ libxerial.dll.a) for x86_64-pc-windows-gnu and the Linux
#    xerial-mock, in the fast "platform-test" profile (release code, no LTO);
# 3. cross-compiles the native C harness (every tests/harness/*.c, unchanged) with
#    x86_64-w64-mingw32-gcc -Wall -Wextra -Werror and the test-only POSIX layer of
#    tests/platform/windows/ (posix_compat.h is force-included, see its header for what it
#    covers), and builds the test-only ProcessPrng shim (bcryptprimitives.dll) for Wine 8;
# 4. runs the harness .exe under wine64 against xerial-mock on Linux loopback.
# The last line is the harness's "N passed, N failed"; exit 0 only if all passed.
#
# Environment:
#   CARGO_TARGET_DIR=/tmp/target-platforms   where the builds go
#   XERIAL_WINEPREFIX=/tmp/xerial-wine-prefix  the Wine prefix (created on first use, ~15 s)
#   XERIAL_MOCK_BIN=target/release/xerial-mock   a Linux xerial-mock already built (else it is built)
#   HARNESS_TIME_SCALE=2                       multiplies the harness's deadlines (Wine is slower)
#   WINDOWS_HARNESS_EXCLUDE="a b"              cases not counted under Wine (default: see below);
#                                              they run afterwards as "# info:" lines, uncounted
#   WINDOWS_HARNESS_STRESS=1                   count stress_concurrent_1000 too (idle machine only)
#   PLATFORMS_ALLOW_SKIP=1                     exit 0 when a download fails (SKIPPED is printed anyway)
set -uo pipefail
PLAT_NAME=windows-test
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PLAT_ROOT" || exit 2

TRIPLE=x86_64-pc-windows-gnu
CC_W=x86_64-w64-mingw32-gcc
WINE=/usr/lib/wine/wine64          # Debian's wine64 package has no /usr/bin/wine64
WINESERVER=/usr/lib/wine/wineserver
OUT=$CARGO_TARGET_DIR/windows-harness
export WINEPREFIX=${XERIAL_WINEPREFIX:-/tmp/xerial-wine-prefix}
export WINEDEBUG=${WINEDEBUG:--all}
export WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-mscoree,mshtml=}   # no wine-mono/gecko install prompts
export HARNESS_TIME_SCALE=${HARNESS_TIME_SCALE:-2}

# Cases that cannot pass under Wine for reasons outside the library's Windows port. They run
# after the counted run, uncounted, so their output stays visible. Drop a name once fixed.
#   session_path_persist,  check that the session file's mode is 0600; Windows has no Unix modes
#   login_session_file     (the library sets 0600 under cfg(unix) only) and stat() reports 0666.
#                          Fix in the harness: put those CHECKs under #ifndef _WIN32.
#   stress_concurrent_1000 1000 simultaneous connections from Wine to xerial-mock overflow the
#                          mock's listen queue on a loaded 2-core machine (ListenOverflows in
#                          /proc/net/netstat): SYN retransmits stall requests 30-60 s and Wine
#                          reports some as WSAECONNREFUSED. Passes when the machine is idle.
#                          stress_concurrent_immediate (300) is counted. Not run at all by
#                          default (it can take 80 s under load); WINDOWS_HARNESS_STRESS=1 counts it.
DEFAULT_EXCLUDE="session_path_persist login_session_file"
read -r -a EXCLUDE <<<"${WINDOWS_HARNESS_EXCLUDE-$DEFAULT_EXCLUDE}"
NOT_RUN=()
[ "${WINDOWS_HARNESS_STRESS:-0}" = 1 ] || NOT_RUN=(stress_concurrent_1000)

# ---- 1. prerequisites ----------------------------------------------------------------------
if ! plat_apt gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 wine64; then
    plat_skip "apt-get could not install gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 wine64"
    plat_finish
fi
if ! command -v "$CC_W" >/dev/null || [ ! -x "$WINE" ]; then
    plat_skip "$CC_W or $WINE missing after install"
    plat_finish
fi
if ! plat_rust_target "$TRIPLE"; then
    plat_skip "rustup target add $TRIPLE failed (no Windows std): the Windows DLL was NOT built or tested"
    plat_finish
fi

# ---- 2. builds -----------------------------------------------------------------------------
plat_log "cargo build xerial.dll ($TRIPLE, profile platform-test)"
if ! plat_time cargo build --locked -q -p xerial --lib --target "$TRIPLE" "${PLAT_FAST_PROFILE[@]}"; then
    plat_fail "build xerial.dll" "cargo build --target $TRIPLE failed"
    plat_finish
fi
if [ -n "${XERIAL_MOCK_BIN:-}" ] && [ -x "$XERIAL_MOCK_BIN" ]; then
    MOCK_BIN=$XERIAL_MOCK_BIN
    plat_log "using the xerial-mock already built: $MOCK_BIN"
elif plat_time cargo build --locked -q -p xerial-mock --bin xerial-mock "${PLAT_FAST_PROFILE[@]}"; then
    MOCK_BIN=$CARGO_TARGET_DIR/platform-test/xerial-mock
else
    plat_fail "build xerial-mock" "cargo build -p xerial-mock failed"
    plat_finish
fi
DLL_DIR=$CARGO_TARGET_DIR/$TRIPLE/platform-test

rm -rf "$OUT"
mkdir -p "$OUT/obj"
cp "$DLL_DIR/xerial.dll" "$OUT/"

# ---- 3. the harness and the shim -----------------------------------------------------------
WFLAGS=(-std=c11 -D_POSIX_C_SOURCE=200809L -D__USE_MINGW_ANSI_STDIO=1 -Wall -Wextra -Werror
    -pthread -g -O1
    -include tests/platform/windows/posix_compat.h -I tests/platform/windows/include -I include)
build_harness() {
    local src obj objs=()
    for src in tests/harness/*.c tests/platform/windows/posix_compat.c; do
        obj="$OUT/obj/$(basename "$src" .c).o"
        "$CC_W" "${WFLAGS[@]}" -c "$src" -o "$obj" || return 1
        objs+=("$obj")
    done
    # -static: libwinpthread and libgcc inside the .exe; xerial.dll through its GNU import library
    # (by path, so -static does not pick the 30 MB libxerial.a instead).
    "$CC_W" -static -pthread -o "$OUT/xerial_harness.exe" "${objs[@]}" "$DLL_DIR/libxerial.dll.a" -lws2_32
}
if build_harness; then
    srcs=(tests/harness/*.c)
    plat_log "harness: ${srcs[*]##*/} compiled with $CC_W -Wall -Wextra -Werror"
else
    plat_fail "compile the C harness with $CC_W" "see the compiler errors above"
    plat_finish
fi
if ! "$CC_W" -shared -O2 -Wall -Wextra -Werror -o "$OUT/bcryptprimitives-shim.dll" \
    tests/platform/windows/bcryptprimitives_shim.c -ladvapi32; then
    plat_fail "build the ProcessPrng shim" "see the compiler errors above"
    plat_finish
fi

# ---- 4. Wine ---------------------------------------------------------------------------------
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    plat_log "creating the Wine prefix $WINEPREFIX (first use only)"
    t0=$SECONDS
    "$WINE" wineboot -i >"$OUT/wineboot.log" 2>&1 || true
    plat_log "took $((SECONDS - t0)) s: wineboot -i"
fi
# Wine < 9 has no bcryptprimitives.dll, which Rust std >= 1.78 imports for ProcessPrng:
# without it xerial.dll does not load (c0000135). Put the test-only shim next to the .exe
# only then.
if [ -f "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" ]; then
    plat_log "Wine has bcryptprimitives.dll: no shim"
else
    plat_log "Wine lacks bcryptprimitives.dll: using the test-only ProcessPrng shim"
    cp "$OUT/bcryptprimitives-shim.dll" "$OUT/bcryptprimitives.dll"
fi

MOCK_PID=
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    [ -n "$MOCK_PID" ] && { kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; }
    "$WINESERVER" -k >/dev/null 2>&1 || true    # only this prefix's wineserver
}
trap cleanup EXIT INT TERM
# shellcheck source=scripts/lib/mock.sh
. scripts/lib/mock.sh
if ! start_mock "$MOCK_BIN" "$OUT"; then
    plat_fail "start xerial-mock" "no URL on its first stdout line"
    plat_finish
fi
URL=$MOCK_URL

# The counted run: every case of the harness's table but the excluded ones (or the WORDs given).
WORDS=("$@")
if [ ${#WORDS[@]} -eq 0 ] && [ $((${#EXCLUDE[@]} + ${#NOT_RUN[@]})) -gt 0 ]; then
    mapfile -t ALL < <(grep -oE '^[[:space:]]*(CASE|IMMEDIATE|QUEUED|THREADS)\([a-z0-9_]+\)' tests/harness/harness.c | sed -E 's/.*\(([a-z0-9_]+)\)/\1/')
    for c in "${ALL[@]}"; do
        skip=0
        for e in "${EXCLUDE[@]}" "${NOT_RUN[@]}"; do [[ "$e" == *"$c"* ]] && skip=1; done   # the harness matches substrings
        if [ "$skip" = 0 ]; then
            WORDS+=("$c")
        elif [[ " ${EXCLUDE[*]} ${NOT_RUN[*]} " != *" $c "* ]]; then
            plat_log "not counted either: $c (its name is part of an excluded case's name)"
        fi
    done
    if [ ${#WORDS[@]} -eq 0 ]; then
        plat_fail "list the harness cases" "no CASE(...) found in tests/harness/harness.c"
        plat_finish
    fi
    [ ${#EXCLUDE[@]} -eq 0 ] || plat_log "not counted under Wine (run after, as info): ${EXCLUDE[*]}"
    [ ${#NOT_RUN[@]} -eq 0 ] || plat_log "not run under Wine (WINDOWS_HARNESS_STRESS=1 runs it): ${NOT_RUN[*]}"
fi

plat_log "wine64 xerial_harness.exe $URL (${#WORDS[@]} cases, HARNESS_TIME_SCALE=$HARNESS_TIME_SCALE)"
t0=$SECONDS
# The harness's own summary is shown as "# harness: …" here and printed once, last, below
# (a runner adding up "N passed, N failed" lines must see it once).
( cd "$OUT" && timeout 1200 "$WINE" ./xerial_harness.exe "$URL" "${WORDS[@]}" ) 2>"$OUT/wine.err" |
    tee "$OUT/harness.log" | sed -E 's/^([0-9]+ passed, [0-9]+ failed)/# harness: \1/'
rc=${PIPESTATUS[0]}
plat_log "harness under Wine: exit $rc in $((SECONDS - t0)) s (stderr: $OUT/wine.err)"
last=$(tail -n 1 "$OUT/harness.log")

if [ $# -eq 0 ] && [ ${#EXCLUDE[@]} -gt 0 ]; then
    ( cd "$OUT" && timeout 600 "$WINE" ./xerial_harness.exe "$URL" "${EXCLUDE[@]}" ) 2>/dev/null | sed 's/^/# info: /'
fi

if [[ "$last" =~ ^[0-9]+\ passed,\ [0-9]+\ failed ]]; then
    [ "$rc" -eq 0 ] || grep -v '^[0-9a-f]*:fixme' "$OUT/wine.err" | tail -n 20 >&2
    echo "$last"
    exit "$rc"
fi
grep -v '^[0-9a-f]*:fixme' "$OUT/wine.err" | tail -n 20
echo "windows-test: the harness ended without a summary (exit $rc)"
echo "0 passed, 1 failed"
exit 1
