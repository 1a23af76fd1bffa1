# shellcheck shell=bash
# scripts/platforms/lib.sh - helpers shared by the platform scripts (sourced, not run).
#
# Conventions of every platform script:
#   * each check prints "ok - NAME" or "FAIL - NAME: why"; the last line is "N passed, N failed";
#   * a prerequisite that cannot be installed (apt-get or rustup download failed) prints a loud
#     "SKIPPED: <script>: <why>" line and counts as a FAILED check, so the script exits non-zero
#     (CI asked for the check). Set PLATFORMS_ALLOW_SKIP=1 to exit 0 instead (a developer
#     machine without network); the SKIPPED line is printed either way.
#   * cross builds go to CARGO_TARGET_DIR (default /tmp/target-platforms), never to ./target.

# shellcheck disable=SC2034  # used by the scripts that source this file
PLAT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/target-platforms}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
PLAT_PASSED=0
PLAT_FAILED=0
PLAT_SKIPPED=0
PLAT_NAME=${PLAT_NAME:-$(basename "$0" .sh)}

# The "platform-test" profile: release code, fast to build (no LTO, 16 codegen units), in its
# own folder (target/<triple>/platform-test) so it never thrashes the real release artefacts.
PLAT_FAST_PROFILE=(--profile platform-test
    --config 'profile.platform-test.inherits="release"'
    --config 'profile.platform-test.lto=false'
    --config 'profile.platform-test.codegen-units=16'
    --config 'profile.platform-test.strip="none"')

plat_ok() { PLAT_PASSED=$((PLAT_PASSED + 1)); echo "ok - $1"; }
plat_fail() { PLAT_FAILED=$((PLAT_FAILED + 1)); echo "FAIL - $1${2:+: $2}"; }
plat_skip() {
    PLAT_SKIPPED=$((PLAT_SKIPPED + 1))
    echo "SKIPPED: $PLAT_NAME: $*"
}
plat_log() { echo "# $*"; }

# Prints the summary line and exits with the right status.
plat_finish() {
    local failed=$PLAT_FAILED
    if [ "$PLAT_SKIPPED" -gt 0 ] && [ "${PLATFORMS_ALLOW_SKIP:-0}" != 1 ]; then
        failed=$((failed + PLAT_SKIPPED))
    fi
    echo "$PLAT_PASSED passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

plat_sudo() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else return 1
    fi
}

PLAT_APT_UPDATED=0
# plat_apt PKG... : installs the Debian packages that are not installed yet. Returns non-zero
# (and prints why) when apt-get fails.
plat_apt() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "# no apt-get: install ${missing[*]} by hand" >&2
        return 1
    fi
    plat_log "apt-get install ${missing[*]}"
    if [ "$PLAT_APT_UPDATED" = 0 ]; then
        plat_sudo apt-get update -qq >/dev/null 2>&1 || { echo "# apt-get update failed" >&2; return 1; }
        PLAT_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive plat_sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null 2>&1 || { echo "# apt-get install ${missing[*]} failed" >&2; return 1; }
}

# plat_rust_target TRIPLE : rustup target add, unless installed. Non-zero when rustup fails.
plat_rust_target() {
    if rustup target list --installed 2>/dev/null | grep -qx "$1"; then return 0; fi
    plat_log "rustup target add $1"
    rustup target add "$1" >/dev/null 2>&1 || rustup target add "$1"
}

# plat_time CMD... : runs CMD, prints "# took N s" after it.
plat_time() {
    local t0=$SECONDS rc=0
    "$@" || rc=$?
    plat_log "took $((SECONDS - t0)) s: $*"
    return $rc
}

# plat_header_fns : the xerial_* functions declared in include/xerial.h, one a line, sorted.
# (Preprocessed, so comments and macros cannot add or hide a name.)
plat_header_fns() {
    local cpp=cpp
    command -v cpp >/dev/null 2>&1 || cpp="gcc -E"
    $cpp -P -x c -I "$PLAT_ROOT/include" "$PLAT_ROOT/include/xerial.h" 2>/dev/null |
        grep -oE '\bxerial_[a-z0-9_]+[[:space:]]*\(' | sed -E 's/[[:space:]]*\($//' | sort -u
}

# plat_compare_symbols LABEL FILE_WITH_EXPORTED_NAMES : one check: the exported names are
# exactly the header's xerial_* set.
# plat_compare_archive_symbols LABEL NM ARCHIVE [PREFIX]: the code symbols ARCHIVE defines
# (PREFIX xerial_*, PREFIX "_" on Mach-O, where C names carry a leading underscore), compared
# with the header's functions by plat_compare_symbols.
plat_compare_archive_symbols() {
    local label=$1 nm=$2 archive=$3 prefix=${4:-} syms
    syms=$(mktemp)
    "$nm" --defined-only --extern-only "$archive" 2>/dev/null |
        awk -v p="^${prefix}xerial_" -v n="${#prefix}" '$2 == "T" && $3 ~ p {print substr($3, n + 1)}' >"$syms"
    plat_compare_symbols "$label" "$syms"
    rm -f "$syms"
}

plat_compare_symbols() {
    local label=$1 got=$2 want extra missing
    want=$(plat_header_fns)
    if [ -z "$want" ]; then
        plat_fail "$label" "no xerial_* function found in include/xerial.h"
        return
    fi
    extra=$(comm -13 <(echo "$want") <(sort -u "$got") | tr '\n' ' ')
    missing=$(comm -23 <(echo "$want") <(sort -u "$got") | tr '\n' ' ')
    if [ -z "$extra" ] && [ -z "$missing" ]; then
        plat_ok "$label ($(echo "$want" | wc -l) xerial_* functions, nothing else)"
    else
        plat_fail "$label" "${extra:+exported but not in the header: $extra}${missing:+in the header but not exported: $missing}"
    fi
}
