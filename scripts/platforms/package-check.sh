#!/usr/bin/env bash
# scripts/platforms/package-check.sh - unpacks the packages release.sh made, each into a fresh
# folder, and checks them the way a studio would use them.
#
#   scripts/platforms/package-check.sh DIR       DIR: release.sh's --out (default dist/)
#
# UPM tarball (com.xerial.sdk-<version>.tgz): npm-pack layout (package/…); package.json's name
# and version (= the file name's = the crate's); every .meta has its asset and every asset its
# .meta, each .meta the source package's own; the Linux x86_64 and Windows x86_64 libraries are
# in it; every library exports exactly the header's xerial_* functions; the packaged C# compiles
# as Unity compiles it (against tests/UnityStub) together with the sample's script; the Linux
# library loads from the unpacked folder and answers xerial_version, from C (dlopen) and from
# the packaged C# binding under Mono.
# Unreal zip (XerialUnrealPlugin-<version>.zip): one folder Xerial/ whose .uplugin has the
# version; its sources are the repository's plugin, file for file; the SDK files
# XerialLibrary.Build.cs needs for Win64 and Linux (and Android arm64-v8a when built) are in place;
# xerial.h is the repository's; every library and the MSVC import library export exactly the
# header's functions; the .Build.cs files compile (against tests/unreal-stub/UnrealBuildTool.cs);
# the Linux library loads from the unpacked folder and answers xerial_version.
#
# One "ok -"/"FAIL -" line per check; last line "N passed, N failed". Needs gcc, binutils,
# llvm (llvm-nm), x86_64-w64-mingw32-objdump (binutils-mingw-w64-x86-64, with the mingw
# compiler), mono-devel, python3 - what release.sh and the C# tests already install.
set -uo pipefail
PLAT_NAME=package-check
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=archives.sh
. "$(dirname "${BASH_SOURCE[0]}")/archives.sh"
cd "$PLAT_ROOT" || exit 2

DIR=${1:-dist}
[ -d "$DIR" ] || { plat_fail "package-check" "no folder $DIR (run scripts/platforms/release.sh first)"; plat_finish; }
DIR=$(cd "$DIR" && pwd)
CRATE_VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
STUB=bindings/csharp/tests/UnityStub
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pick() { local t; for t in "$1" $(compgen -c "$1-" | grep -E "^$1-[0-9]+$" | sort -t- -k3 -n -r); do command -v "$t" >/dev/null && { echo "$t"; return; }; done; }
LLVM_NM=$(pick llvm-nm)

# check_exports LABEL FILE : FILE exports exactly the header's xerial_* functions.
check_exports() {
    local label=$1 file=$2 syms=$tmp/syms
    case "$file" in
    *.so) nm -D --defined-only "$file" | awk 'NF >= 3 {print $3}' >"$syms" ;;
    *.dll)
        x86_64-w64-mingw32-objdump -p "$file" |
            awk '/^\[Ordinal\/Name Pointer\] Table/ {on = 1; next} on && /^\t\[/ {print $NF; next} on && !/^\t/ {on = 0}' >"$syms" ;;
    *.a | *.lib)
        if [ -z "$LLVM_NM" ]; then plat_fail "$label" "llvm-nm missing (apt llvm)"; return; fi
        plat_compare_archive_symbols "$label" "$LLVM_NM" "$file"
        return ;;
    *) plat_fail "$label" "no export check for this kind of file"; return ;;
    esac
    plat_compare_symbols "$label" "$syms"
}

# check_same LABEL FILE ORIGINAL : FILE is byte for byte ORIGINAL.
check_same() {
    if cmp -s "$2" "$3"; then plat_ok "$1"; else plat_fail "$1" "differs from $3"; fi
}

# check_loads LABEL SO VERSION : a C program dlopen()s SO by its path and reads xerial_version.
check_loads() {
    local label=$1 so=$2 want=$3 got
    cat >"$tmp/load.c" <<'CEOF'
#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv) {
    (void)argc;
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "%s\n", dlerror()); return 1; }
    const char *(*version)(void) = (const char *(*)(void))dlsym(lib, "xerial_version");
    if (!version) { fprintf(stderr, "%s\n", dlerror()); return 1; }
    printf("%s\n", version());
    return 0;
}
CEOF
    if ! gcc -std=c11 -Wall -Wextra -Werror "$tmp/load.c" -ldl -o "$tmp/load" 2>"$tmp/err"; then
        plat_fail "$label" "$(head -n 1 "$tmp/err")"
    elif got=$("$tmp/load" "$so" 2>"$tmp/err") && [ "$got" = "$want" ]; then
        plat_ok "$label (xerial_version: $got)"
    else
        plat_fail "$label" "got '${got:-}' want '$want' $(head -n 1 "$tmp/err")"
    fi
}

# ---- UPM tarball ---------------------------------------------------------------------------------
check_unity() {
    local tgz=$1 version u=$tmp/unity p meta asset bad=() libs=() lib
    version=$(basename "$tgz" .tgz)
    version=${version#com.xerial.sdk-}
    mkdir -p "$u"
    if tar -tzf "$tgz" | grep -qv '^package/'; then
        plat_fail "unity: npm-pack layout" "entries outside package/: $(tar -tzf "$tgz" | grep -v '^package/' | head -n 3 | tr '\n' ' ')"
        return
    fi
    tar -xzf "$tgz" -C "$u" || { plat_fail "unity: unpack $(basename "$tgz")"; return; }
    p=$u/package
    plat_ok "unity: $(basename "$tgz") unpacks, npm-pack layout (package/…, $(find "$p" -type f | wc -l) files)"

    local name pver
    name=$(archive_version "$p/package.json" name 2>/dev/null)
    pver=$(archive_version "$p/package.json" version 2>/dev/null)
    if [ "$name" = com.xerial.sdk ] && [ "$pver" = "$version" ] && [ "$pver" = "$CRATE_VERSION" ]; then
        plat_ok "unity: package.json com.xerial.sdk $pver (= file name = crate version)"
    else
        plat_fail "unity: package.json" "name '$name' version '$pver', file $version, crate $CRATE_VERSION"
    fi

    while IFS= read -r asset; do
        [ -e "$asset.meta" ] || bad+=("${asset#"$p/"}: no .meta")
    done < <(find "$p" -mindepth 1 ! -name '*.meta' | sort)
    while IFS= read -r meta; do
        [ -e "${meta%.meta}" ] || bad+=("${meta#"$p/"}: its asset is missing")
        cmp -s "$meta" "$ARCHIVE_UNITY_PACKAGE/${meta#"$p/"}" || bad+=("${meta#"$p/"}: not the source package's .meta")
    done < <(find "$p" -name '*.meta' | sort)
    if [ ${#bad[@]} -eq 0 ]; then plat_ok "unity: every .meta has its asset and every asset its .meta; each .meta is the source package's"
    else plat_fail "unity: .meta files" "${bad[*]:0:6}"; fi

    mapfile -t libs < <(cd "$p/Runtime/Plugins" 2>/dev/null && find . -type f ! -name '*.meta' | sed 's|^\./||' | sort)
    if printf '%s\n' "${libs[@]}" | grep -qx linux-x86_64/libxerial.so && printf '%s\n' "${libs[@]}" | grep -qx windows-x86_64/xerial.dll; then
        plat_ok "unity: native libraries: ${libs[*]}"
    else
        plat_fail "unity: native libraries" "Linux x86_64 and Windows x86_64 required, found: ${libs[*]:-none}"
    fi
    # Libraries export exactly the header; the WebGL plugin's sources ship as they are in the
    # repository (Unity compiles xerial_fetch.c and links the .jslib into the player).
    for lib in "${libs[@]}"; do
        local file=$p/Runtime/Plugins/$lib
        case "$lib" in
        *.so | *.dll | *.a) check_exports "unity: Runtime/Plugins/$lib exports exactly the header's functions" "$file" ;;
        */xerial.h) check_same "unity: Runtime/Plugins/$lib is the repository's header" "$file" include/xerial.h ;;
        *) check_same "unity: Runtime/Plugins/$lib is the source package's" "$file" "$ARCHIVE_UNITY_PACKAGE/Runtime/Plugins/$lib" ;;
        esac
    done

    # C#, as Unity compiles it: the package's Runtime as one assembly (its asmdef), then the
    # sample's script against it, with the test-only UnityEngine/UnityEditor stubs.
    local defines="UNITY_5_3_OR_NEWER;UNITY_2019_1_OR_NEWER;UNITY_2020_1_OR_NEWER;UNITY_2021_1_OR_NEWER;UNITY_2021_2_OR_NEWER;UNITY_2021_3_OR_NEWER;ENABLE_MONO;NET_4_6;UNITY_EDITOR;UNITY_EDITOR_LINUX;UNITY_STANDALONE_LINUX;UNITY_STANDALONE"
    local b=$tmp/cs
    mkdir -p "$b"
    if ! command -v mcs >/dev/null; then
        plat_fail "unity: C# compiles" "mcs missing (apt mono-devel)"
    elif mcs -langversion:7.2 -nologo -target:library -out:"$b/UnityEngine.dll" "$STUB/UnityEngine.cs" "$STUB/UnityWebRequest.cs" >"$tmp/err" 2>&1 &&
        mcs -langversion:7.2 -nologo -target:library -out:"$b/UnityEditor.dll" -r:"$b/UnityEngine.dll" "$STUB/UnityEditor.cs" >>"$tmp/err" 2>&1 &&
        mcs -langversion:7.2 -nologo -target:library -warnaserror+ -nowarn:1591 -define:"$defines" -out:"$b/Xerial.Sdk.dll" \
            -r:"$b/UnityEngine.dll" -r:"$b/UnityEditor.dll" $(find "$p/Runtime" -name '*.cs' | sort) >>"$tmp/err" 2>&1 &&
        mcs -langversion:7.2 -nologo -target:library -warnaserror+ -define:"$defines" -out:"$b/Assembly-CSharp.dll" \
            -r:"$b/UnityEngine.dll" -r:"$b/Xerial.Sdk.dll" $(find unity-sample/Assets -name '*.cs' | sort) >>"$tmp/err" 2>&1; then
        plat_ok "unity: the packaged C# compiles as Unity compiles it (mcs, C# 7.2), and the sample's script against it"
    else
        plat_fail "unity: C# compiles" "$(grep -m1 -E 'error' "$tmp/err")"
    fi

    local so=$p/Runtime/Plugins/linux-x86_64/libxerial.so
    [ -f "$so" ] || return
    check_loads "unity: Runtime/Plugins/linux-x86_64/libxerial.so loads from the unpacked package" "$so" "$version"
    if [ -f "$b/Xerial.Sdk.dll" ]; then
        cat >"$b/UseIt.cs" <<'CSEOF'
using System;
using Xerial;
public static class UseIt
{
    public static int Main(string[] args)
    {
        XerialSdk.Initialize(new XerialSettings { BaseUrl = "http://127.0.0.1:9", ProjectId = "6564b4f3fa203b318f65da05" });
        bool ok = XerialSdk.IsInitialized && (XerialSdk.NativeAbiVersion >> 16) == XerialSdk.BindingAbiMajor;
        Console.WriteLine(XerialSdk.NativeVersion);
        XerialSdk.Shutdown();
        return ok && !XerialSdk.IsInitialized ? 0 : 1;
    }
}
CSEOF
        local got
        if mcs -langversion:7.2 -nologo -out:"$b/UseIt.exe" -r:"$b/Xerial.Sdk.dll" "$b/UseIt.cs" >"$tmp/err" 2>&1 &&
            got=$(cd "$b" && LD_LIBRARY_PATH="$(dirname "$so")" timeout 60 mono UseIt.exe 2>"$tmp/err") && [ "$got" = "$version" ]; then
            plat_ok "unity: the packaged C# binding initialises the unpacked Linux library under Mono (NativeVersion $got)"
        else
            plat_fail "unity: C# binding with the unpacked library" "got '${got:-}' want '$version': $(grep -m1 -v '^$' "$tmp/err")"
        fi
    fi
}

# ---- Unreal plugin zip ---------------------------------------------------------------------------
check_unreal() {
    local zip=$1 version r=$tmp/unreal x row from to extra missing=() present=() i=0
    version=$(basename "$zip" .zip)
    version=${version#XerialUnrealPlugin-}
    mkdir -p "$r"
    python3 -m zipfile -e "$zip" "$r" || { plat_fail "unreal: unpack $(basename "$zip")"; return; }
    x=$r/Xerial
    if [ "$(ls -A "$r")" = Xerial ] && [ "$(archive_version "$x/Xerial.uplugin" VersionName 2>/dev/null)" = "$version" ] &&
        [ "$version" = "$CRATE_VERSION" ]; then
        plat_ok "unreal: $(basename "$zip") unpacks to one folder Xerial/, Xerial.uplugin VersionName $version (= crate version)"
    else
        plat_fail "unreal: layout" "top level: $(ls -A "$r" | tr '\n' ' '); VersionName '$(archive_version "$x/Xerial.uplugin" VersionName 2>/dev/null)', file $version, crate $CRATE_VERSION"
        return
    fi

    # Sources: the archive minus the SDK files it adds equals the repository's plugin sources.
    for row in "${ARCHIVE_UNREAL_FILES[@]}"; do
        i=$((i + 1))
        IFS=$'\t' read -r from to <<<"$row"
        if [ -f "$x/$to" ]; then present+=("$to"); elif [ "$i" -le "$ARCHIVE_UNREAL_REQUIRED" ]; then missing+=("$to"); fi
    done
    extra=$(cd "$x" && find . -type f | sed 's|^\./||' | sort |
        grep -vxF -f <(printf '%s\n' "${present[@]}") |
        grep -vxF -f <(cd "$PLAT_ROOT/$ARCHIVE_UNREAL_PLUGIN" && find . -type f ! -path '*/.*' | sed 's|^\./||' | sort))
    local differ
    differ=$(cd "$PLAT_ROOT/$ARCHIVE_UNREAL_PLUGIN" && find . -type f ! -path '*/.*' ! -path './Binaries/*' \
        ! -path './Source/ThirdParty/XerialLibrary/include/*' ! -path './Source/ThirdParty/XerialLibrary/lib/*/*' | sed 's|^\./||' |
        while IFS= read -r f; do cmp -s "$f" "$x/$f" || echo "$f"; done)
    if [ -z "$extra" ] && [ -z "$differ" ]; then
        plat_ok "unreal: the plugin's sources are the repository's, file for file, nothing else but the SDK files"
    else
        plat_fail "unreal: sources" "${extra:+extra: $(echo "$extra" | head -n 3 | tr '\n' ' ')}${differ:+missing or different: $(echo "$differ" | head -n 3 | tr '\n' ' ')}"
    fi
    if [ ${#missing[@]} -eq 0 ]; then plat_ok "unreal: SDK files in place for XerialLibrary.Build.cs: ${present[*]}"
    else plat_fail "unreal: SDK files" "missing: ${missing[*]}"; fi

    if cmp -s "$x/Source/ThirdParty/XerialLibrary/include/xerial.h" include/xerial.h; then plat_ok "unreal: include/xerial.h is the repository's header"
    else plat_fail "unreal: include/xerial.h" "differs from the repository's include/xerial.h"; fi
    for to in "${present[@]}"; do
        case "$to" in *.h) continue ;; esac
        check_exports "unreal: $to exports exactly the header's functions" "$x/$to"
    done

    if command -v mcs >/dev/null; then
        local cs ok=1
        for cs in $(find "$x" -name '*.Build.cs' | sort); do
            mcs -target:library -nologo -warnaserror+ -out:"$tmp/rules.dll" tests/unreal-stub/UnrealBuildTool.cs "$cs" >"$tmp/err" 2>&1 || ok=0
        done
        if [ "$ok" = 1 ]; then plat_ok "unreal: the .Build.cs files compile against the UnrealBuildTool stub"
        else plat_fail "unreal: .Build.cs" "$(grep -m1 error "$tmp/err")"; fi
    fi
    [ -f "$x/Source/ThirdParty/XerialLibrary/lib/Linux/libxerial.so" ] &&
        check_loads "unreal: lib/Linux/libxerial.so loads from the unpacked plugin" "$x/Source/ThirdParty/XerialLibrary/lib/Linux/libxerial.so" "$version"
}

mapfile -t tgzs < <(find "$DIR" -maxdepth 1 -name 'com.xerial.sdk-*.tgz' | sort)
mapfile -t zips < <(find "$DIR" -maxdepth 1 -name 'XerialUnrealPlugin-*.zip' | sort)
if [ ${#tgzs[@]} -eq 1 ]; then check_unity "${tgzs[0]}"; else plat_fail "unity" "expected one com.xerial.sdk-*.tgz in $DIR, found ${#tgzs[@]}"; fi
if [ ${#zips[@]} -eq 1 ]; then check_unreal "${zips[0]}"; else plat_fail "unreal" "expected one XerialUnrealPlugin-*.zip in $DIR, found ${#zips[@]}"; fi
plat_finish
