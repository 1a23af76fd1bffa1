#!/usr/bin/env bash
# scripts/platforms/apple-check.sh - compile checks for macOS and iOS without a Mac.
#
#   scripts/platforms/apple-check.sh [--all]
#
# No Xcode, Apple SDK or Apple linker can be had here, so nothing is LINKED or RUN. What this
# proves is that the crate and every dependency compile for Apple targets (no Linux-only API):
#   cargo check --lib --target aarch64-apple-darwin
#   cargo rustc --crate-type staticlib --target aarch64-apple-ios -> unlinked libxerial.a,
#       checked to be Mach-O arm64 with exactly the header's xerial_* functions
#   (--all adds cargo check for x86_64-apple-darwin and aarch64-apple-ios-sim)
# ring's C is compiled by Debian's clang, freestanding, as for Android (shared/toolchain.md §4),
# with a test-only TargetConditionals.h (tests/platform/apple/) standing in for the SDK's, and
# SDKROOT pointing at an empty folder so that cc-rs does not call xcrun.
# The real Apple builds (dylib, universal binary, XCFramework) are in docs/PLATFORMS.md.
# The last line is "N passed, N failed"; exit 0 only if all passed.
set -uo pipefail
PLAT_NAME=apple-check
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PLAT_ROOT" || exit 2

CHECKS=(aarch64-apple-darwin)
[ "${1:-}" = --all ] && CHECKS+=(x86_64-apple-darwin aarch64-apple-ios-sim)
IOS=aarch64-apple-ios

if ! plat_apt clang llvm; then
    plat_skip "apt-get could not install clang llvm: Apple targets NOT checked"
    plat_finish
fi
pick() { local t; for t in "$1" $(compgen -c "$1-" | grep -E "^$1-[0-9]+$" | sort -t- -k3 -n -r); do command -v "$t" >/dev/null && { echo "$t"; return; }; done; }
LLVM_AR=$(pick llvm-ar)
LLVM_NM=$(pick llvm-nm)
LLVM_READOBJ=$(pick llvm-readobj)
RD=$(clang -print-resource-dir)
# A fixed, empty "SDK" folder: a changing SDKROOT would make cc-rs rebuild ring every run.
export SDKROOT=$CARGO_TARGET_DIR/no-apple-sdk
mkdir -p "$SDKROOT"

setup() { # triple clang-target
    local v=${1//-/_}
    export "CC_$v=clang" "AR_$v=$LLVM_AR"
    export "CFLAGS_$v=--target=$2 -ffreestanding -nostdinc -isystem $RD/include -isystem $PLAT_ROOT/tests/platform/apple -DRING_CORE_NOSTDLIBINC=1"
}
clang_target() {
    case "$1" in
    aarch64-apple-darwin) echo arm64-apple-macos11 ;;
    x86_64-apple-darwin) echo x86_64-apple-macos10.12 ;;
    aarch64-apple-ios) echo arm64-apple-ios13.0 ;;
    aarch64-apple-ios-sim) echo arm64-apple-ios13.0-simulator ;;
    esac
}

for t in "${CHECKS[@]}"; do
    if ! plat_rust_target "$t"; then
        plat_skip "rustup target add $t failed: $t NOT checked"
        continue
    fi
    setup "$t" "$(clang_target "$t")"
    if plat_time cargo check --locked -q -p xerial --lib --target "$t"; then
        plat_ok "cargo check --lib --target $t"
    else
        plat_fail "cargo check --lib --target $t"
    fi
done

if ! plat_rust_target "$IOS"; then
    plat_skip "rustup target add $IOS failed: iOS staticlib NOT built"
else
    setup "$IOS" "$(clang_target "$IOS")"
    LIB=$CARGO_TARGET_DIR/$IOS/platform-test/libxerial.a
    rm -f "$LIB"
    if plat_time cargo rustc --locked -q -p xerial --lib --crate-type staticlib --target "$IOS" "${PLAT_FAST_PROFILE[@]}" &&
        [ -s "$LIB" ]; then
        plat_ok "cargo rustc --crate-type staticlib --target $IOS: libxerial.a (unlinked)"
        formats=$("$LLVM_READOBJ" --file-headers "$LIB" 2>/dev/null | awk -F': ' '/^Format:/ {print $2}' | sort | uniq -c)
        if [ -n "$formats" ] && ! echo "$formats" | grep -qv 'Mach-O arm64'; then
            plat_ok "iOS libxerial.a: every object is Mach-O arm64 ($(echo "$formats" | awk '{print $1}') objects)"
        else
            plat_fail "iOS libxerial.a objects are Mach-O arm64" "$(echo "$formats" | tr '\n' ' ')"
        fi
        plat_compare_archive_symbols "iOS libxerial.a defines exactly the header's xerial_* functions" \
            "$LLVM_NM" "$LIB" _
    else
        plat_fail "cargo rustc --crate-type staticlib --target $IOS"
    fi
fi

plat_finish
