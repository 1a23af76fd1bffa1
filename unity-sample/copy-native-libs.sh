#!/usr/bin/env bash
# unity-sample/copy-native-libs.sh - copies the native Xerial libraries you have built into the
# UPM package's Runtime/Plugins/<os>-<arch>/ folders, where their committed .meta files pin each
# one to its platform and CPU. Copies what exists, says what is missing. Run it BEFORE opening the
# project in Unity (Unity deletes a plugin's .meta when it finds no library next to it; if that
# happened, `git checkout -- Packages/com.xerial.sdk/Runtime/Plugins` restores them).
#
#   unity-sample/copy-native-libs.sh [TARGET_DIR]      (default: the repository's target/)
#
# Build commands (from the repository root; see Packages/com.xerial.sdk/README.md):
#   Linux x86_64:    cargo build --release -p xerial
#   Windows x86_64:  cargo build --release -p xerial --target x86_64-pc-windows-msvc   (or -gnu)
#   macOS:           cargo build --release -p xerial --target aarch64-apple-darwin
#                    cargo build --release -p xerial --target x86_64-apple-darwin      (lipo joins them)
#   Android arm64:   cargo ndk -t arm64-v8a build --release -p xerial                  (cargo-ndk + NDK)
#   iOS arm64:       cargo build --release -p xerial --target aarch64-apple-ios        (libxerial.a)
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TARGET=${1:-$HERE/../target}
PLUGINS=$HERE/Packages/com.xerial.sdk/Runtime/Plugins

copy() { # source, destination folder, file name
    if [ -f "$1" ]; then
        cp "$1" "$PLUGINS/$2/$3" && echo "copied   $1 -> Runtime/Plugins/$2/$3"
    else
        echo "missing  $1 (Runtime/Plugins/$2/$3 not updated)"
    fi
}

copy "$TARGET/release/libxerial.so" linux-x86_64 libxerial.so
if [ -f "$TARGET/x86_64-pc-windows-msvc/release/xerial.dll" ]; then
    copy "$TARGET/x86_64-pc-windows-msvc/release/xerial.dll" windows-x86_64 xerial.dll
else
    copy "$TARGET/x86_64-pc-windows-gnu/release/xerial.dll" windows-x86_64 xerial.dll
fi
arm="$TARGET/aarch64-apple-darwin/release/libxerial.dylib"
x64="$TARGET/x86_64-apple-darwin/release/libxerial.dylib"
if [ -f "$arm" ] && [ -f "$x64" ] && command -v lipo >/dev/null; then
    lipo -create "$arm" "$x64" -output "$PLUGINS/macos-universal/libxerial.dylib" &&
        echo "copied   lipo($arm, $x64) -> Runtime/Plugins/macos-universal/libxerial.dylib"
else
    echo "missing  $arm + $x64 (+ lipo): Runtime/Plugins/macos-universal/libxerial.dylib not updated"
fi
copy "$TARGET/aarch64-linux-android/release/libxerial.so" android-arm64 libxerial.so
copy "$TARGET/aarch64-apple-ios/release/libxerial.a" ios libxerial.a
