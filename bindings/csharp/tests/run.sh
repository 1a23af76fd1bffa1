#!/usr/bin/env bash
# bindings/csharp/tests/run.sh - compile the C# binding, the Unity-facing code (against the
# test-only UnityEngine/UnityEditor stubs) and the tests with mcs; start xerial-mock on a free
# port; run the tests under Mono with a deadline; stop the mock; exit 0 only if every case passed.
#
#   bindings/csharp/tests/run.sh [WORD...]     WORDs select cases whose names contain them
#
# Environment:
#   LIBDIR=target/release                     where libxerial.so is (default)
#   XERIAL_MOCK_BIN=target/release/xerial-mock
#   TEST_TIMEOUT=120                          seconds for the whole Mono run (a hang fails it)
#   MCS=mcs  MONO=mono  CC=cc                 tools (apt: mono-devel; gcc)
#
# Needs `cargo build --release -p xerial -p xerial-mock` first. The last line printed is
# "N passed, N failed".
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$ROOT"

LIBDIR=${LIBDIR:-target/release}
MOCK_BIN=${XERIAL_MOCK_BIN:-target/release/xerial-mock}
TEST_TIMEOUT=${TEST_TIMEOUT:-120}
MCS=${MCS:-mcs}
MONO=${MONO:-mono}
export CC=${CC:-cc}
T=bindings/csharp/tests
OUT=$T/build

fail() {
    echo "run.sh: $*" >&2
    echo "0 passed, 1 failed"
    exit 1
}

command -v "$MCS" >/dev/null || fail "$MCS not found (apt-get install mono-devel)"
command -v "$MONO" >/dev/null || fail "$MONO not found (apt-get install mono-devel)"
[ -f "$LIBDIR/libxerial.so" ] || fail "$LIBDIR/libxerial.so not found (cargo build --release -p xerial -p xerial-mock)"
[ -x "$MOCK_BIN" ] || fail "$MOCK_BIN not found (cargo build --release -p xerial -p xerial-mock)"
LIBDIR_ABS=$(cd "$LIBDIR" && pwd)

rm -rf "$OUT"
mkdir -p "$OUT"

# The Unity-facing code runs here as a Unity 2023.1+ Editor compiles it (UNITY_2023_1_OR_NEWER: the
# Awaitable adapter too); UnityTests also compiles it as 2021.3 (no Awaitable) and as players.
UNITY_DEFINES="UNITY_5_3_OR_NEWER;UNITY_2019_1_OR_NEWER;UNITY_2020_1_OR_NEWER;UNITY_2021_1_OR_NEWER;UNITY_2021_2_OR_NEWER;UNITY_2021_3_OR_NEWER;UNITY_2022_1_OR_NEWER;UNITY_2023_1_OR_NEWER;UNITY_EDITOR;UNITY_EDITOR_LINUX;UNITY_STANDALONE_LINUX;UNITY_STANDALONE"
mapfile -t SDK_SOURCES < <(find unity-sample/Packages/com.xerial.sdk/Runtime/Binding -name '*.cs' | sort)
mapfile -t TEST_SOURCES < <(find "$T" -maxdepth 1 -name '*.cs' | sort)
compile() { "$MCS" -langversion:7.2 -nologo "$@" || fail "compile failed: mcs $*"; }

echo "== compile (mcs, C# 7.2)"
compile -target:library -out:"$OUT/UnityEngine.dll" -define:UNITY_2023_1_OR_NEWER "$T/UnityStub/UnityEngine.cs" "$T/UnityStub/UnityWebRequest.cs"
compile -target:library -out:"$OUT/UnityEditor.dll" -r:"$OUT/UnityEngine.dll" "$T/UnityStub/UnityEditor.cs"
compile -target:library -warnaserror+ -out:"$OUT/Xerial.Sdk.dll" "${SDK_SOURCES[@]}"
compile -target:library -warnaserror+ -out:"$OUT/Xerial.Unity.dll" -define:"$UNITY_DEFINES" \
    -r:"$OUT/Xerial.Sdk.dll" -r:"$OUT/UnityEngine.dll" -r:"$OUT/UnityEditor.dll" \
    unity-sample/Packages/com.xerial.sdk/Runtime/Unity/*.cs
compile -target:exe -out:"$OUT/XerialTests.exe" -define:UNITY_2023_1_OR_NEWER \
    -r:"$OUT/Xerial.Sdk.dll" -r:"$OUT/Xerial.Unity.dll" -r:"$OUT/UnityEngine.dll" -r:"$OUT/UnityEditor.dll" \
    "${TEST_SOURCES[@]}"

# Start the mock; its first stdout line carries the URL.
. scripts/lib/mock.sh
MOCK_PID=
cleanup() {
    [ -z "$MOCK_PID" ] && return
    kill "$MOCK_PID" 2>/dev/null || true
    wait "$MOCK_PID" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
start_mock "$MOCK_BIN" "$OUT" || fail "xerial-mock did not start"
URL=$MOCK_URL

echo "== mono $OUT/XerialTests.exe $URL (timeout ${TEST_TIMEOUT}s)"
export LD_LIBRARY_PATH="$LIBDIR_ABS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# A case that keeps the default session store (the OS's, per user) uses a private data folder
# and no D-Bus: never the developer's own keyring.
mkdir -p "$ROOT/$OUT/run"
export XDG_DATA_HOME="$ROOT/$OUT/data" XDG_RUNTIME_DIR="$ROOT/$OUT/run"
unset DBUS_SESSION_BUS_ADDRESS
export XERIAL_REPO="$ROOT" XERIAL_TEST_BUILD="$ROOT/$OUT" MCS
SUMMARY="$OUT/summary"
: >"$SUMMARY"
set +e
# The test process's own summary line is held back and printed last by this script, so that a
# hang at exit (killed by timeout) can still be counted as one more failure.
timeout --kill-after=5 "$TEST_TIMEOUT" "$MONO" --debug "$OUT/XerialTests.exe" "$URL" "$@" 2>&1 |
    while IFS= read -r line; do
        if [[ "$line" =~ ^[0-9]+\ passed,\ [0-9]+\ failed$ ]]; then echo "$line" >"$SUMMARY"; else printf '%s\n' "$line"; fi
    done
status=${PIPESTATUS[0]}
set -e

passed=0
failed=0
if read -r p _ f _ <"$SUMMARY" 2>/dev/null && [ -n "${p:-}" ]; then
    passed=$p
    failed=$f
fi
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    if [ -s "$SUMMARY" ]; then
        echo "FAIL  process exit: the test process finished its cases but did not exit within ${TEST_TIMEOUT} s (hang at exit)"
    else
        echo "FAIL  deadline: the test process did not finish within ${TEST_TIMEOUT} s"
    fi
    failed=$((failed + 1))
elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    echo "FAIL  process: the test process exited $status"
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
