#!/usr/bin/env bash
# scripts/platforms/android-check.sh - the Android arm64 build check (no NDK here).
#
# 1. rustup target add aarch64-linux-android; apt clang + llvm (llvm-ar, llvm-nm, llvm-readelf);
# 2. ring's C is compiled by Debian's clang, freestanding, with the Android API 21 target
#    (the CFLAGS trick of shared/toolchain.md §4): no NDK sysroot is needed for ring;
# 3. checks, one line each:
#      cargo check --lib for aarch64-linux-android
#      cargo rustc --lib --crate-type staticlib for aarch64-linux-android -> libxerial.a (unlinked)
#      every object in libxerial.a is AArch64 ELF
#      libxerial.a defines exactly the xerial_* functions of include/xerial.h
# A LINKED libxerial.so needs the NDK's linker and sysroot: see docs/PLATFORMS.md.
# The last line is "N passed, N failed"; exit 0 only if all passed.
#
# Environment: CARGO_TARGET_DIR (default /tmp/target-platforms); ANDROID_PROFILE=release builds
# the staticlib with the real release profile (fat LTO, ~2x slower) instead of "platform-test";
# PLATFORMS_ALLOW_SKIP=1 exits 0 when a download fails (SKIPPED is printed anyway).
set -uo pipefail
PLAT_NAME=android-check
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PLAT_ROOT" || exit 2

TRIPLE=aarch64-linux-android
API=${ANDROID_API:-21}

if ! plat_apt clang llvm; then
    plat_skip "apt-get could not install clang llvm: the Android build was NOT checked"
    plat_finish
fi
if ! plat_rust_target "$TRIPLE"; then
    plat_skip "rustup target add $TRIPLE failed (no Android std): the Android build was NOT checked"
    plat_finish
fi
# Debian's llvm package gives llvm-ar-NN and (through alternatives) usually llvm-ar.
pick() { local t; for t in "$1" $(compgen -c "$1-" | grep -E "^$1-[0-9]+$" | sort -t- -k3 -n -r); do command -v "$t" >/dev/null && { echo "$t"; return; }; done; }
LLVM_AR=$(pick llvm-ar)
LLVM_NM=$(pick llvm-nm)
LLVM_READELF=$(pick llvm-readelf)
if [ -z "$LLVM_AR" ] || [ -z "$LLVM_NM" ] || [ -z "$LLVM_READELF" ] || ! command -v clang >/dev/null; then
    plat_skip "clang, llvm-ar, llvm-nm or llvm-readelf not found after install"
    plat_finish
fi
RD=$(clang -print-resource-dir)
export CC_aarch64_linux_android=clang
export AR_aarch64_linux_android=$LLVM_AR
export CFLAGS_aarch64_linux_android="--target=aarch64-linux-android$API -ffreestanding -nostdinc -isystem $RD/include -DRING_CORE_NOSTDLIBINC=1"
plat_log "clang $(clang -dumpversion), $LLVM_AR; CFLAGS_aarch64_linux_android=$CFLAGS_aarch64_linux_android"

if [ "${ANDROID_PROFILE:-platform-test}" = release ]; then
    PROFILE=(--release); PDIR=release
else
    PROFILE=("${PLAT_FAST_PROFILE[@]}"); PDIR=platform-test
fi

# 1. cargo check
if plat_time cargo check --locked -q -p xerial --lib --target "$TRIPLE"; then
    plat_ok "cargo check --lib --target $TRIPLE"
else
    plat_fail "cargo check --lib --target $TRIPLE"
fi

# 2. the staticlib (cdylib would need the NDK linker, so only staticlib is built)
LIB=$CARGO_TARGET_DIR/$TRIPLE/$PDIR/libxerial.a
rm -f "$LIB"
# (the same arguments as release.sh, so that its --fast run reuses this build)
if plat_time cargo rustc --locked -q -p xerial --lib --crate-type staticlib --target "$TRIPLE" "${PROFILE[@]}" \
    -- --print native-static-libs 2>"$CARGO_TARGET_DIR/android-staticlib.err" && [ -s "$LIB" ]; then
    plat_ok "cargo rustc --crate-type staticlib --target $TRIPLE ($PDIR): libxerial.a $(($(stat -c %s "$LIB") / 1048576)) MB"
    plat_log "link with: $(sed -n 's/.*native-static-libs: //p' "$CARGO_TARGET_DIR/android-staticlib.err" | tail -n 1)"
else
    grep -vE '^(warning|note)' "$CARGO_TARGET_DIR/android-staticlib.err" | tail -n 20
    plat_fail "cargo rustc --crate-type staticlib --target $TRIPLE" "no $LIB"
    plat_finish
fi

# 3. every member is AArch64 ELF
machines=$("$LLVM_READELF" -h "$LIB" 2>/dev/null | awk -F: '/Machine:/ {gsub(/^[ \t]+/, "", $2); print $2}' | sort | uniq -c)
if [ -n "$machines" ] && ! echo "$machines" | grep -qv AArch64; then
    plat_ok "libxerial.a: every object is AArch64 ELF ($(echo "$machines" | awk '{print $1}') objects)"
else
    plat_fail "libxerial.a: objects are AArch64 ELF" "machines: $(echo "$machines" | tr '\n' ' ')"
fi

# 4. the exported C ABI
plat_compare_archive_symbols "libxerial.a defines exactly the header's xerial_* functions" "$LLVM_NM" "$LIB"

plat_finish
