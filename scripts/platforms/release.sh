#!/usr/bin/env bash
# scripts/platforms/release.sh - builds every artefact a studio needs and checks them.
#
#   scripts/platforms/release.sh [--fast] [--out DIR] [--into-samples] [--targets LIST]
#
#   --out DIR         where the artefacts go (default: dist/, which gets its own .gitignore)
#   --fast            the "platform-test" profile (release code without LTO): for CI checks,
#                     reuses what windows-test.sh and android-check.sh built. NOT for shipping.
#   --into-samples    also copy them into unity-sample/ and unreal-sample/ (both git-ignore them)
#   --targets LIST    comma list of linux,windows,android,webgl (default: all four)
#
# Layout of DIR (folder names = the Unity package's Runtime/Plugins/<os>-<arch>/):
#   com.xerial.sdk-<version>.tgz       the UPM package with the libraries built here (archives.sh)
#   XerialUnrealPlugin-<version>.zip   the Unreal plugin with the libraries built here (archives.sh)
#   include/xerial.h
#   linux-x86_64/     libxerial.so  libxerial.a  (native-static-libs.txt)
#   windows-x86_64/   xerial.dll  libxerial.dll.a (GNU import lib)  xerial.dll.lib (MSVC-format
#                     import lib, made by llvm-dlltool from xerial.def)  xerial.def
#   android-arm64/    libxerial.a (staticlib; a linked .so needs the NDK: docs/PLATFORMS.md)
#                     native-static-libs.txt
#   WebGL/            libxerial.a (wasm32-unknown-emscripten; link with -fwasm-exceptions)
#                     xerial_fetch.c  xerial_fetch.jslib  xerial.h (= the Unity Plugins/WebGL folder)
#   BUILDINFO.txt  SHA256SUMS
#
# Checks, one "ok -"/"FAIL -" line each, then "N passed, N failed" (exit 0 only if all passed):
#   the glibc floor of libxerial.so (objdump -T: highest GLIBC_x.y <= GLIBC_FLOOR, default 2.34),
#   its DT_NEEDED, the exported symbols of libxerial.so (nm -D --defined-only) and xerial.dll
#   (x86_64-w64-mingw32-objdump -p) being exactly the xerial_* functions of include/xerial.h,
#   the DLL importing only system DLLs, the MSVC import library linking with lld-link (and the
#   result running under Wine when wine64 is installed), the staticlibs' xerial_* symbols. The two
#   archives are made when Linux and Windows were built; scripts/platforms/package-check.sh DIR
#   unpacks and checks them.
#
# Installs what is missing: apt gcc-mingw-w64-x86-64 clang llvm lld binutils emscripten;
# rustup targets x86_64-pc-windows-gnu aarch64-linux-android wasm32-unknown-emscripten. A failed download is a loud SKIPPED + failure.
set -uo pipefail
PLAT_NAME=release
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=archives.sh
. "$(dirname "${BASH_SOURCE[0]}")/archives.sh"
cd "$PLAT_ROOT" || exit 2

OUTDIR=dist
FAST=0
INTO_SAMPLES=0
TARGETS=linux,windows,android,webgl
GLIBC_FLOOR=${GLIBC_FLOOR:-2.34}
while [ $# -gt 0 ]; do
    case "$1" in
    --out) OUTDIR=$2; shift 2 ;;
    --out=*) OUTDIR=${1#--out=}; shift ;;
    --fast) FAST=1; shift ;;
    --into-samples) INTO_SAMPLES=1; shift ;;
    --targets) TARGETS=$2; shift 2 ;;
    --targets=*) TARGETS=${1#--targets=}; shift ;;
    -h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "release.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
wants() { [[ ",$TARGETS," == *",$1,"* ]]; }
if [ "$FAST" = 1 ]; then
    PROFILE=("${PLAT_FAST_PROFILE[@]}"); PDIR=platform-test
else
    PROFILE=(--release); PDIR=release
fi
mkdir -p "$OUTDIR" || { echo "release.sh: cannot create $OUTDIR" >&2; exit 2; }
OUT=$(cd "$OUTDIR" && pwd)
[ -f "$OUT/.gitignore" ] || printf '# build output of scripts/platforms/release.sh\n*\n' >"$OUT/.gitignore"
plat_log "profile $PDIR, targets $TARGETS, out $OUT"

# ---- prerequisites ---------------------------------------------------------------------------
pkgs=(binutils)
wants windows && pkgs+=(gcc-mingw-w64-x86-64 llvm lld)
wants android && pkgs+=(clang llvm)
wants webgl && pkgs+=(llvm)
if ! plat_apt "${pkgs[@]}"; then
    plat_skip "apt-get could not install ${pkgs[*]}: no release artefacts built"
    plat_finish
fi
pick() { local t; for t in "$1" $(compgen -c "$1-" | grep -E "^$1-[0-9]+$" | sort -t- -k3 -n -r); do command -v "$t" >/dev/null && { echo "$t"; return; }; done; }

mkdir -p "$OUT/include"
cp include/xerial.h "$OUT/include/"
EXPECTED=(include/xerial.h)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- Linux x86_64 ----------------------------------------------------------------------------
if wants linux; then
    D=$OUT/linux-x86_64
    mkdir -p "$D"
    if plat_time cargo build --locked -q -p xerial --lib "${PROFILE[@]}"; then
        plat_ok "build linux-x86_64 (cargo build -p xerial --lib, $PDIR)"
        cp "$CARGO_TARGET_DIR/$PDIR/libxerial.so" "$CARGO_TARGET_DIR/$PDIR/libxerial.a" "$D/"
        if [ "$FAST" = 0 ]; then
            # Likewise the cdylib: cargo drops `-C lto` when an rlib is among the crate types, so
            # the one built beside it has no LTO; built alone it is LTO'd (about 0.77 MB smaller,
            # and the code the benchmarks measure, whose binary links the crate with fat LTO).
            if plat_time cargo rustc --locked -q -p xerial --lib --crate-type cdylib "${PROFILE[@]}"; then
                cp "$CARGO_TARGET_DIR/$PDIR/libxerial.so" "$D/"
                plat_ok "linux libxerial.so built alone (LTO): $(stat -c %s "$D/libxerial.so") bytes"
            else
                plat_fail "linux libxerial.so built alone (cargo rustc --crate-type cdylib)"
            fi
            # Built together with the cdylib and the rlib, the staticlib gets no LTO and carries
            # embedded bitcode (about 55 MB); built alone it is LTO'd machine code (about 17 MB).
            if plat_time cargo rustc --locked -q -p xerial --lib --crate-type staticlib "${PROFILE[@]}" \
                -- --print native-static-libs 2>"$tmp/linux.err"; then
                cp "$CARGO_TARGET_DIR/$PDIR/libxerial.a" "$D/"
                sed -n 's/.*native-static-libs: //p' "$tmp/linux.err" | tail -n 1 >"$D/native-static-libs.txt"
                EXPECTED+=(linux-x86_64/native-static-libs.txt)
                plat_ok "linux libxerial.a built alone (LTO): $(($(stat -c %s "$D/libxerial.a") / 1048576)) MB; link with $(cat "$D/native-static-libs.txt")"
            else
                grep -vE '^(warning|note)' "$tmp/linux.err" | tail -n 20
                plat_fail "linux libxerial.a built alone (cargo rustc --crate-type staticlib)"
            fi
        fi
        EXPECTED+=(linux-x86_64/libxerial.so linux-x86_64/libxerial.a)
        SO=$D/libxerial.so

        max=$(objdump -T "$SO" | grep -oE 'GLIBC_[0-9]+(\.[0-9]+)*' | sed 's/GLIBC_//' | sort -Vu | tail -n 1)
        which=$(objdump -T "$SO" | grep -F "(GLIBC_$max)" | awk '{print $NF}' | sort -u | head -n 4 | tr '\n' ' ')
        if [ -n "$max" ] && [ "$(printf '%s\n%s\n' "$max" "$GLIBC_FLOOR" | sort -V | tail -n 1)" = "$GLIBC_FLOOR" ]; then
            plat_ok "libxerial.so glibc floor: needs GLIBC_$max (<= documented $GLIBC_FLOOR; e.g. $which)"
        else
            plat_fail "libxerial.so glibc floor" "needs GLIBC_${max:-?} > documented $GLIBC_FLOOR (${which})"
        fi

        needed=$(objdump -p "$SO" | awk '$1 == "NEEDED" {print $2}' | tr '\n' ' ')
        bad=$(echo "$needed" | tr ' ' '\n' | grep -vE '^(libc\.so\.6|libm\.so\.6|libgcc_s\.so\.1|ld-linux-x86-64\.so\.2|libpthread\.so\.0|libdl\.so\.2|)$' | tr '\n' ' ')
        if [ -z "$bad" ]; then plat_ok "libxerial.so DT_NEEDED only glibc/libgcc: $needed"
        else plat_fail "libxerial.so DT_NEEDED" "unexpected: $bad"; fi

        nm -D --defined-only "$SO" | awk 'NF >= 3 {print $3}' >"$tmp/so.syms"
        plat_compare_symbols "libxerial.so exports exactly the header's xerial_* functions (nm -D --defined-only)" "$tmp/so.syms"
        # readelf, not nm: the objects carry embedded LLVM bitcode (.llvmbc) next to the machine
        # code, and GNU nm hands them to an installed LLVMgold plugin, which fails and lists nothing.
        readelf -sW "$D/libxerial.a" 2>/dev/null |
            awk '$4 == "FUNC" && $5 == "GLOBAL" && $7 != "UND" && $8 ~ /^xerial_/ {print $8}' >"$tmp/a.syms"
        plat_compare_symbols "linux libxerial.a defines the header's xerial_* functions" "$tmp/a.syms"

        # A C program links against each and runs.
        printf '#include <stdio.h>\n#include "xerial.h"\nint main(void) {\n    const char *v = xerial_version();\n    printf("%%s\\n", v);\n    return (xerial_abi_version() >> 16) == XERIAL_ABI_VERSION >> 16 && v && v[0] ? 0 : 1;\n}\n' >"$tmp/use.c"
        if gcc -std=c11 -Wall -Wextra -Werror -Iinclude "$tmp/use.c" -L"$D" -lxerial -Wl,-rpath,"$D" -o "$tmp/use_so" &&
            "$tmp/use_so" >/dev/null; then
            plat_ok "a C program links against libxerial.so (-lxerial) and runs"
        else
            plat_fail "a C program links against libxerial.so and runs"
        fi
        if gcc -std=c11 -Wall -Wextra -Werror -Iinclude "$tmp/use.c" "$D/libxerial.a" -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc -o "$tmp/use_a" &&
            "$tmp/use_a" >/dev/null; then
            plat_ok "a C program links statically against libxerial.a (+ its native-static-libs) and runs"
        else
            plat_fail "a C program links statically against libxerial.a and runs"
        fi
    else
        plat_fail "build linux-x86_64"
    fi
fi

# ---- Windows x86_64 (mingw-w64) ---------------------------------------------------------------
if wants windows; then
    T=x86_64-pc-windows-gnu
    D=$OUT/windows-x86_64
    mkdir -p "$D"
    DLLTOOL=$(pick llvm-dlltool)
    LLDLINK=$(pick lld-link)
    if ! plat_rust_target "$T"; then
        plat_skip "rustup target add $T failed: NO Windows artefacts"
    elif plat_time cargo build --locked -q -p xerial --lib --target "$T" "${PROFILE[@]}"; then
        plat_ok "build windows-x86_64 (cargo build -p xerial --lib --target $T, $PDIR)"
        B=$CARGO_TARGET_DIR/$T/$PDIR
        cp "$B/xerial.dll" "$B/libxerial.dll.a" "$D/"
        # As on Linux: the DLL built alone gets the profile's LTO.
        if [ "$FAST" = 0 ]; then
            if plat_time cargo rustc --locked -q -p xerial --lib --crate-type cdylib --target "$T" "${PROFILE[@]}"; then
                cp "$B/xerial.dll" "$B/libxerial.dll.a" "$D/"
                plat_ok "xerial.dll built alone (LTO): $(stat -c %s "$D/xerial.dll") bytes"
            else
                plat_fail "xerial.dll built alone (cargo rustc --crate-type cdylib --target $T)"
            fi
        fi
        EXPECTED+=(windows-x86_64/xerial.dll windows-x86_64/libxerial.dll.a)
        DLL=$D/xerial.dll

        x86_64-w64-mingw32-objdump -p "$DLL" >"$tmp/dll.txt"
        awk '/^\[Ordinal\/Name Pointer\] Table/ {on = 1; next} on && /^\t\[/ {print $NF; next} on && !/^\t/ {on = 0}' "$tmp/dll.txt" >"$tmp/dll.syms"
        plat_compare_symbols "xerial.dll exports exactly the header's xerial_* functions (objdump -p)" "$tmp/dll.syms"

        imports=$(awk '/DLL Name:/ {print tolower($3)}' "$tmp/dll.txt" | sort -u | tr '\n' ' ')
        # The session store adds crypt32 (DPAPI) and, through `dirs`, shell32
        # (SHGetKnownFolderPath) and combase (CoTaskMemFree; Windows 8 and later, as Rust's
        # Windows targets require anyway).
        bad=$(echo "$imports" | tr ' ' '\n' | grep -vE '^(kernel32|ntdll|advapi32|ws2_32|userenv|bcrypt|bcryptprimitives|msvcrt|crypt32|shell32|combase|api-ms-win-[a-z0-9-]+)\.dll$|^$' | tr '\n' ' ')
        if [ -z "$bad" ]; then plat_ok "xerial.dll imports only Windows system DLLs: $imports"
        else plat_fail "xerial.dll imports" "non-system DLLs (must ship with it or be linked statically): $bad"; fi

        # MSVC-format import library (what link.exe, Unreal and IL2CPP want) from a .def
        { echo "LIBRARY xerial.dll"; echo "EXPORTS"; sed 's/^/    /' "$tmp/dll.syms"; } >"$D/xerial.def"
        EXPECTED+=(windows-x86_64/xerial.def)
        if [ -z "$DLLTOOL" ] || [ -z "$LLDLINK" ]; then
            plat_fail "MSVC import library xerial.dll.lib" "llvm-dlltool or lld-link missing (apt llvm lld)"
        elif ! "$DLLTOOL" -m i386:x86-64 -d "$D/xerial.def" -l "$D/xerial.dll.lib"; then
            plat_fail "MSVC import library xerial.dll.lib" "llvm-dlltool failed"
        else
            EXPECTED+=(windows-x86_64/xerial.dll.lib)
            # Link a freestanding MSVC-ABI program against it with lld-link (an MSVC-compatible
            # linker; no Windows SDK here, so kernel32.lib is made the same way).
            printf 'LIBRARY kernel32.dll\nEXPORTS\n    ExitProcess\n' >"$tmp/kernel32.def"
            cat >"$tmp/msvc_link.c" <<'CEOF'
#include <stdint.h>
__declspec(dllimport) uint32_t xerial_abi_version(void);
__declspec(dllimport) const char *xerial_version(void);
__declspec(dllimport) void __stdcall ExitProcess(unsigned int code);
void start(void) {
    const char *v = xerial_version();
    ExitProcess((xerial_abi_version() >> 16) == 1 && v && v[0] ? 0u : 1u);
}
CEOF
            if "$DLLTOOL" -m i386:x86-64 -d "$tmp/kernel32.def" -l "$tmp/kernel32.lib" &&
                clang --target=x86_64-pc-windows-msvc -ffreestanding -fno-stack-protector -O1 \
                    -c "$tmp/msvc_link.c" -o "$tmp/msvc_link.obj" &&
                "$LLDLINK" -nologo -nodefaultlib -entry:start -subsystem:console \
                    "$tmp/msvc_link.obj" "$D/xerial.dll.lib" "$tmp/kernel32.lib" -out:"$tmp/msvc_link.exe" >"$tmp/lld.log" 2>&1; then
                ran="not run (no wine64)"
                if [ -x /usr/lib/wine/wine64 ]; then
                    mkdir -p "$tmp/run"
                    cp "$tmp/msvc_link.exe" "$DLL" "$tmp/run/"
                    prefix=${XERIAL_WINEPREFIX:-/tmp/xerial-wine-prefix}
                    if [ ! -f "$prefix/drive_c/windows/system32/bcryptprimitives.dll" ]; then
                        # test-only ProcessPrng shim for Wine 8 (tests/platform/windows/)
                        x86_64-w64-mingw32-gcc -shared -O2 -o "$tmp/run/bcryptprimitives.dll" \
                            tests/platform/windows/bcryptprimitives_shim.c -ladvapi32 2>/dev/null
                    fi
                    if (cd "$tmp/run" && WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES=mscoree,mshtml= \
                        timeout 120 /usr/lib/wine/wine64 ./msvc_link.exe >/dev/null 2>&1); then
                        ran="ran under Wine: exit 0"
                    else
                        ran="FAILED under Wine"
                    fi
                    WINEPREFIX=$prefix /usr/lib/wine/wineserver -k >/dev/null 2>&1 || true
                fi
                if [ "$ran" = "FAILED under Wine" ]; then
                    plat_fail "xerial.dll.lib (MSVC format) links with lld-link" "the linked test exe failed under Wine"
                else
                    plat_ok "xerial.dll.lib (MSVC format, llvm-dlltool) links with lld-link; $ran"
                fi
            else
                plat_fail "xerial.dll.lib (MSVC format) links with lld-link" "$(tail -n 3 "$tmp/lld.log" | tr '\n' ' ')"
            fi
        fi
    else
        plat_fail "build windows-x86_64"
    fi
fi

# ---- Android arm64-v8a (staticlib; no NDK here) --------------------------------------------------
if wants android; then
    T=aarch64-linux-android
    D=$OUT/android-arm64
    mkdir -p "$D"
    LLVM_AR=$(pick llvm-ar)
    LLVM_NM=$(pick llvm-nm)
    if ! plat_rust_target "$T"; then
        plat_skip "rustup target add $T failed: NO Android artefact"
    elif [ -z "$LLVM_AR" ] || [ -z "$LLVM_NM" ] || ! command -v clang >/dev/null; then
        plat_skip "clang/llvm-ar/llvm-nm missing: NO Android artefact"
    else
        RD=$(clang -print-resource-dir)
        export CC_aarch64_linux_android=clang AR_aarch64_linux_android=$LLVM_AR
        export CFLAGS_aarch64_linux_android="--target=aarch64-linux-android${ANDROID_API:-21} -ffreestanding -nostdinc -isystem $RD/include -DRING_CORE_NOSTDLIBINC=1"
        if plat_time cargo rustc --locked -q -p xerial --lib --crate-type staticlib --target "$T" "${PROFILE[@]}" \
            -- --print native-static-libs 2>"$tmp/android.err"; then
            plat_ok "build android-arm64 (cargo rustc --crate-type staticlib --target $T, $PDIR)"
            cp "$CARGO_TARGET_DIR/$T/$PDIR/libxerial.a" "$D/"
            sed -n 's/.*native-static-libs: //p' "$tmp/android.err" | tail -n 1 >"$D/native-static-libs.txt"
            plat_log "android native-static-libs: $(cat "$D/native-static-libs.txt")"
            EXPECTED+=(android-arm64/libxerial.a android-arm64/native-static-libs.txt)
            plat_compare_archive_symbols "android libxerial.a defines the header's xerial_* functions" \
                "$LLVM_NM" "$D/libxerial.a"
        else
            grep -v '^warning\|^note' "$tmp/android.err" | tail -n 20
            plat_fail "build android-arm64"
        fi
    fi
fi

# ---- WebGL (wasm32-unknown-emscripten staticlib, with the plugin's fetch transport) -----------
if wants webgl; then
    T=wasm32-unknown-emscripten
    D=$OUT/WebGL
    G=unity-sample/Packages/com.xerial.sdk/Runtime/Plugins/WebGL
    mkdir -p "$D"
    LLVM_NM=$(pick llvm-nm)
    if ! plat_rust_target "$T"; then
        plat_skip "rustup target add $T failed: NO WebGL artefact"
    elif ! command -v emcc >/dev/null && ! plat_apt emscripten; then
        plat_skip "apt-get could not install emscripten: NO WebGL artefact"
    elif [ -z "$LLVM_NM" ]; then
        plat_skip "llvm-nm missing: NO WebGL artefact"
    elif plat_time cargo rustc --locked -q -p xerial --lib --crate-type staticlib --target "$T" "${PROFILE[@]}"; then
        plat_ok "build webgl (cargo rustc --crate-type staticlib --target $T, $PDIR)"
        cp "$CARGO_TARGET_DIR/$T/$PDIR/libxerial.a" "$D/"
        cp "$G/xerial_fetch.c" "$G/xerial_fetch.jslib" include/xerial.h "$D/"
        EXPECTED+=(WebGL/libxerial.a WebGL/xerial_fetch.c WebGL/xerial_fetch.jslib WebGL/xerial.h)
        plat_compare_archive_symbols "webgl libxerial.a defines the header's xerial_* functions" "$LLVM_NM" "$D/libxerial.a"
        # Linked the way a Unity WebGL build links a plugin folder (the archive, the .c compiled by
        # the same emcc, the .jslib), then run under Node: init with the fetch transport in poll.
        cat >"$tmp/webgl_main.c" <<'CEOF'
#include <stdio.h>
#include "xerial.h"
const XerialTransport *xerial_fetch_transport(void);
int main(void) {
    XerialConfig config;
    xerial_config_init(&config, sizeof config);
    config.transport = xerial_fetch_transport();
    config.run_mode = XERIAL_RUN_IN_POLL;
    int32_t init = xerial_init(&config);
    uint32_t ran = xerial_poll(0);
    int32_t down = xerial_shutdown();
    printf("init %d poll %u shutdown %d\n", init, ran, down);
    return init == XERIAL_OK && down == XERIAL_OK ? 0 : 1;
}
CEOF
        if NODE_PATH=${NODE_PATH:-/usr/share/nodejs} emcc -O2 -Iinclude "$tmp/webgl_main.c" "$D/xerial_fetch.c" \
                --js-library "$D/xerial_fetch.jslib" "$D/libxerial.a" -fwasm-exceptions \
                -sALLOW_MEMORY_GROWTH=1 -sMODULARIZE=1 -o "$tmp/webgl_main.js" >"$tmp/emcc.log" 2>&1 &&
            (cd "$tmp" && timeout 60 node -e "require('./webgl_main.js')({wasmBinary: require('fs').readFileSync('webgl_main.wasm')})") >"$tmp/webgl_run.log" 2>&1; then
            plat_ok "webgl: a C program + xerial_fetch.c + .jslib link with emcc -fwasm-exceptions and run under Node ($(tr -d '\n' <"$tmp/webgl_run.log")); .wasm $(stat -c %s "$tmp/webgl_main.wasm") bytes at -O2, libxerial.a $(stat -c %s "$D/libxerial.a") bytes"
        else
            tail -n 5 "$tmp/emcc.log" "$tmp/webgl_run.log" 2>/dev/null
            plat_fail "webgl: link with emcc and run under Node"
        fi
    else
        plat_fail "build webgl"
    fi
fi

# ---- the packages studios install: UPM tarball, Unreal plugin zip ----------------------------------
if [ -s "$OUT/linux-x86_64/libxerial.so" ] && [ -s "$OUT/windows-x86_64/xerial.dll" ]; then
    rm -f "$OUT"/com.xerial.sdk-*.tgz "$OUT"/XerialUnrealPlugin-*.zip
    archive_unity "$OUT"
    archive_unreal "$OUT"
    for f in "$OUT"/com.xerial.sdk-*.tgz "$OUT"/XerialUnrealPlugin-*.zip; do
        [ -f "$f" ] && EXPECTED+=("$(basename "$f")")
    done
else
    plat_log "no UPM tarball or Unreal zip: they need the Linux and the Windows libraries (--targets linux,windows)"
fi

# ---- layout, checksums, samples ------------------------------------------------------------------
{
    echo "xerial $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
    echo "git $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')"
    echo "profile $PDIR$([ "$FAST" = 1 ] && echo ' (--fast: NOT for shipping)')"
    rustc --version
    echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
    echo "linux glibc floor $GLIBC_FLOOR"
} >"$OUT/BUILDINFO.txt"
missing=()
for f in "${EXPECTED[@]}"; do [ -s "$OUT/$f" ] || missing+=("$f"); done
if [ ${#missing[@]} -eq 0 ]; then
    (cd "$OUT" && sha256sum "${EXPECTED[@]}" >SHA256SUMS)
    plat_ok "layout: ${#EXPECTED[@]} files in $OUT (SHA256SUMS written)"
else
    plat_fail "layout" "missing: ${missing[*]}"
fi

if [ "$INTO_SAMPLES" = 1 ]; then
    # The same places the archives put them (archives.sh), in the samples' git-ignored folders.
    copied=()
    while IFS= read -r rel; do
        cp "$OUT/$rel" "$ARCHIVE_UNITY_PACKAGE/Runtime/Plugins/$rel" && copied+=("$ARCHIVE_UNITY_PACKAGE/Runtime/Plugins/$rel")
    done < <(archive_unity_libraries "$OUT")
    for row in "${ARCHIVE_UNREAL_FILES[@]}"; do
        IFS=$'\t' read -r from to <<<"$row"
        to="$ARCHIVE_UNREAL_PLUGIN/$to"
        [ -f "$OUT/$from" ] || continue
        mkdir -p "$(dirname "$to")" && cp "$OUT/$from" "$to" && copied+=("$to")
    done
    plat_log "into samples: Unity android-arm64/ wants a linked libxerial.so (NDK): not copied"
    if [ ${#copied[@]} -gt 0 ]; then plat_ok "copied into the samples: ${copied[*]}"
    else plat_fail "copy into the samples" "nothing copied"; fi
fi

plat_finish
