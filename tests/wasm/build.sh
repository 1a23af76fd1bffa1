#!/usr/bin/env bash
# tests/wasm/build.sh - builds the SDK for WebAssembly (wasm32-unknown-emscripten, the staticlib a
# Unity WebGL build links) and, from the same sources as the native one, the C harness linked
# with it and with the WebGL plugin's fetch transport (Plugins/WebGL/xerial_fetch.c + .jslib).
#
#   tests/wasm/build.sh [OUT]     OUT defaults to target/wasm-harness
#
# Writes OUT/xerial_harness.js + .wasm (run: tests/wasm/run-node.sh, tests/browser/wasm.test.mjs)
# and prints the sizes. Needs: rustup target wasm32-unknown-emscripten, emcc (Debian's
# emscripten 3.1.6 is what this was verified with), node (NODE_PATH for emcc's optimiser).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=${1:-target/wasm-harness}
mkdir -p "$OUT"
WEBGL=unity-sample/Packages/com.xerial.sdk/Runtime/Plugins/WebGL
LIB=target/wasm32-unknown-emscripten/release/libxerial.a

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-emscripten &&
    ! rustup target add wasm32-unknown-emscripten; then
    echo "SKIPPED: rustup target add wasm32-unknown-emscripten failed: no WebAssembly build" >&2
    exit 1
fi
command -v emcc >/dev/null || { echo "SKIPPED: emcc not installed (apt-get install emscripten)" >&2; exit 1; }

# The staticlib only (the crate's cdylib means nothing to Emscripten). panic = "unwind" as on
# every platform: the library's objects use WebAssembly exception handling, so the final link
# needs -fwasm-exceptions (README: "WebAssembly").
cargo rustc --release --locked --target wasm32-unknown-emscripten --lib --crate-type staticlib

# Debian's emcc runs its JS optimiser with the system's node modules (acorn).
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
# Asyncify lets the harness's waits yield to the event loop. Only the harness's own C functions
# that wait are instrumented (ASYNCIFY_IGNORE_INDIRECT, plus main, which calls the cases through
# the case table): Asyncify cannot instrument code with exception handling, and the SDK never
# waits. Callbacks the SDK runs therefore must not wait, as in a game.
emcc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O2 -I include -I tests/harness \
    tests/harness/harness.c tests/harness/heap.c tests/harness/th.c tests/harness/mock_admin.c tests/wasm/mock_http_wasm.c \
    tests/harness/cases_lifecycle.c tests/harness/cases_logout.c tests/harness/cases_dispatch.c \
    tests/harness/world.c tests/harness/cases_session.c tests/harness/cases_api.c tests/harness/cases_tx.c \
    tests/harness/cases_transport.c tests/harness/cases_store.c "$WEBGL/xerial_fetch.c" \
    --js-library "$WEBGL/xerial_fetch.jslib" "$LIB" \
    -fwasm-exceptions -sASYNCIFY -sASYNCIFY_IGNORE_INDIRECT=1 \
    '-sASYNCIFY_ADD=["main"]' '-sASYNCIFY_REMOVE=["*::*","xerial_*"]' \
    -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=64MB -sTOTAL_STACK=1MB -sASYNCIFY_STACK_SIZE=65536 -sEXIT_RUNTIME=1 \
    -sENVIRONMENT=web,node -sMODULARIZE=1 -sEXPORT_NAME=createHarness \
    -o "$OUT/xerial_harness.js"

size() { stat -c %s "$1"; }
echo "libxerial.a (wasm32-unknown-emscripten, release): $(size "$LIB") bytes"
echo "xerial_harness.wasm (harness + SDK + fetch transport, -O2): $(size "$OUT/xerial_harness.wasm") bytes"
