# shellcheck shell=bash
# Shared by scripts/reliability/*.sh: toolchain checks that install what is missing, loudly.

# ensure_nightly [components...]: a nightly toolchain (minimal profile) with the components.
ensure_nightly() {
    if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
        echo "== installing the nightly toolchain (rustup toolchain install nightly --profile minimal)"
        if ! rustup toolchain install nightly --profile minimal; then
            echo "FAILED: could not install the nightly toolchain" >&2
            return 1
        fi
    fi
    if [ $# -gt 0 ]; then
        local installed
        installed=$(rustup component list --toolchain nightly --installed 2>/dev/null)
        local missing=()
        local c
        for c in "$@"; do
            grep -q "^$c" <<<"$installed" || missing+=("$c")
        done
        if [ ${#missing[@]} -gt 0 ]; then
            echo "== rustup component add ${missing[*]} --toolchain nightly"
            if ! rustup component add "${missing[@]}" --toolchain nightly; then
                echo "FAILED: could not add ${missing[*]} to nightly" >&2
                return 1
            fi
        fi
    fi
}

# elapsed START: seconds since START (from `date +%s`).
elapsed() { echo $(($(date +%s) - $1)); }
