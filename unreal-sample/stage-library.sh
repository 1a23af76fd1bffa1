#!/usr/bin/env bash
# unreal-sample/stage-library.sh - copies a cargo build of the SDK into the plugin, where
# XerialLibrary.Build.cs expects it (Source/ThirdParty/XerialLibrary/{include,lib/<Platform>}, and
# the Windows DLL in Binaries/ThirdParty/XerialLibrary/Win64/). The release zip
# (scripts/platforms/release.sh) already has this layout; this script is for your own builds.
#
#   unreal-sample/stage-library.sh PLATFORM [PLUGIN_DIR]
#
# PLATFORM: Linux | Win64 | Mac | Android | IOS. PLUGIN_DIR defaults to this sample's
# Plugins/Xerial (pass your project's Plugins/Xerial to stage there). Build first, from the SDK's
# root (see unreal-sample/README.md):
#   Linux    cargo build --release -p xerial
#   Win64    cargo build --release -p xerial --target x86_64-pc-windows-msvc        (on Windows, MSVC)
#   Mac      cargo build --release -p xerial --target x86_64-apple-darwin and --target aarch64-apple-darwin
#   Android  cargo ndk -t arm64-v8a build --release -p xerial                       (or cargo build --target aarch64-linux-android with the NDK's linker)
#   IOS      cargo build --release -p xerial --target aarch64-apple-ios
# CARGO_TARGET_DIR is honoured (default: target).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PLATFORM=${1:?usage: stage-library.sh Linux|Win64|Mac|Android|IOS [PLUGIN_DIR]}
PLUGIN=${2:-$ROOT/unreal-sample/Plugins/Xerial}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
THIRD_PARTY="$PLUGIN/Source/ThirdParty/XerialLibrary"

first() { for f in "$@"; do [ -f "$f" ] && { echo "$f"; return 0; }; done; return 1; }
need() { first "$@" || { echo "stage-library.sh: none of these exists (build it first): $*" >&2; exit 1; }; }

mkdir -p "$THIRD_PARTY/include" "$THIRD_PARTY/lib/$PLATFORM"
cp "$ROOT/include/xerial.h" "$THIRD_PARTY/include/xerial.h"
out="$THIRD_PARTY/lib/$PLATFORM"

case "$PLATFORM" in
Linux)
    cp "$(need "$TARGET_DIR/x86_64-unknown-linux-gnu/release/libxerial.so" "$TARGET_DIR/release/libxerial.so")" "$out/libxerial.so"
    ;;
Win64)
    dir="$TARGET_DIR/x86_64-pc-windows-msvc/release"
    bin="$PLUGIN/Binaries/ThirdParty/XerialLibrary/Win64"
    mkdir -p "$bin"
    cp "$(need "$dir/xerial.dll")" "$bin/xerial.dll"
    cp "$(need "$dir/xerial.dll.lib")" "$out/xerial.dll.lib"
    out="$out $bin"
    ;;
Mac)
    x64="$TARGET_DIR/x86_64-apple-darwin/release/libxerial.dylib"
    arm="$TARGET_DIR/aarch64-apple-darwin/release/libxerial.dylib"
    if [ -f "$x64" ] && [ -f "$arm" ] && command -v lipo >/dev/null 2>&1; then
        lipo -create "$x64" "$arm" -output "$out/libxerial.dylib"
    else
        echo "stage-library.sh: WARNING: not a universal binary (need both targets and lipo)" >&2
        cp "$(need "$arm" "$x64" "$TARGET_DIR/release/libxerial.dylib")" "$out/libxerial.dylib"
    fi
    ;;
Android)
    mkdir -p "$out/arm64-v8a"
    cp "$(need "$TARGET_DIR/aarch64-linux-android/release/libxerial.a")" "$out/arm64-v8a/libxerial.a"
    ;;
IOS)
    cp "$(need "$TARGET_DIR/aarch64-apple-ios/release/libxerial.a")" "$out/libxerial.a"
    ;;
*)
    echo "stage-library.sh: unknown platform $PLATFORM (Linux, Win64, Mac, Android, IOS)" >&2
    exit 2
    ;;
esac
echo "staged xerial.h and the $PLATFORM library into $THIRD_PARTY"
# shellcheck disable=SC2086  # $out may name two folders
find "$THIRD_PARTY/include" $out -type f | sort
