#!/usr/bin/env bash
# scripts/platforms/keyring-test.sh - the Linux session store against a real Secret Service.
#
#   scripts/platforms/keyring-test.sh
#
# 1. installs what is missing: apt gnome-keyring libsecret-tools dbus-x11 (dbus-run-session
#    comes with dbus);
# 2. builds tests/session_protected.rs;
# 3. runs it without any D-Bus (the 0600 fallback file, and the log record saying so);
# 4. runs it inside `dbus-run-session` with a fresh HOME and a gnome-keyring-daemon unlocked
#    with a throw-away password (the Secret Service path: the keyring file holds no token in
#    clear, migration of the fallback file), then locks the keyring and runs the locked case
#    (logged, no session, no plain-text fallback).
# The last line is "N passed, N failed" over every run; exit 0 only if all passed.
#
# Environment: CARGO_TARGET_DIR (default ./target), PLATFORMS_ALLOW_SKIP=1 (see lib.sh).
set -uo pipefail
PLAT_NAME=keyring-test
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PLAT_ROOT" || exit 2
# The test binary is an ordinary debug test: share ./target with `cargo test`.
export CARGO_TARGET_DIR=${KEYRING_TARGET_DIR:-$PLAT_ROOT/target}

if ! plat_apt gnome-keyring libsecret-tools dbus-x11; then
    plat_skip "apt-get could not install gnome-keyring libsecret-tools dbus-x11"
    plat_finish
fi
for tool in dbus-run-session gnome-keyring-daemon secret-tool dbus-send; do
    command -v "$tool" >/dev/null || { plat_skip "$tool missing after install"; plat_finish; }
done

plat_log "cargo test --no-run --test session_protected"
BIN=$(cargo test --locked -q -p xerial --test session_protected --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*session_protected[^"]*\)".*/\1/p' | tail -n 1)
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
    plat_fail "build tests/session_protected.rs" "cargo test --no-run failed"
    plat_finish
fi

WORK=$(mktemp -d /tmp/xerial-keyring-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# Adds a libtest run's counts to the totals; `label` names it in the log. Each run's own output
# is shown indented: scripts/test.sh counts `test result:` lines at the start of a line, and
# this script's last line already totals them.
tally() {
    local label=$1 log=$2 status=$3 p f
    read -r p f < <(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } } END { print p + 0, f + 0 }' "$log")
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    PLAT_PASSED=$((PLAT_PASSED + p))
    PLAT_FAILED=$((PLAT_FAILED + f))
    plat_log "$label: $p passed, $f failed (exit $status)"
}

# ---- 3. no D-Bus at all: the fallback file --------------------------------------------------
plat_log "run 1: no D-Bus (the fallback file)"
env -u DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR="$WORK" "$BIN" --test-threads=1 2>&1 | tee "$WORK/no-dbus.log" | sed "s/^/    /"
tally "no D-Bus" "$WORK/no-dbus.log" "${PIPESTATUS[0]}"

# ---- 4. a private session bus with an unlocked gnome-keyring ---------------------------------
cat >"$WORK/inner.sh" <<'INNER'
set -uo pipefail
export HOME=$WORK/home XDG_DATA_HOME=$WORK/home/.local/share XDG_RUNTIME_DIR=$WORK/run
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
eval "$(printf '%s' throw-away-password | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
# D-Bus activation could start a second, locked daemon: use the Secret Service only once this
# one owns the name (without the wait, 3 of 22 runs failed "locked collection").
for _ in $(seq 1 200); do
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
        grep -q 'boolean true' && break
    sleep 0.05
done
export XERIAL_TEST_SECRET_SERVICE=1
echo "# run 2: the Secret Service (gnome-keyring-daemon, HOME=$HOME)"
"$BIN" --test-threads=1 2>&1 | tee "$WORK/ss.log" | sed "s/^/    /"
echo "status ${PIPESTATUS[0]}" >"$WORK/ss.status"
"$BIN" --test-threads=1 --ignored --skip locked 2>&1 | tee "$WORK/ss-only.log" | sed "s/^/    /"
echo "status ${PIPESTATUS[0]}" >"$WORK/ss-only.status"
echo "# run 3: the keyring locked"
"$BIN" --test-threads=1 --ignored locked 2>&1 | tee "$WORK/locked.log" | sed "s/^/    /"
echo "status ${PIPESTATUS[0]}" >"$WORK/locked.status"
INNER
plat_log "runs 2 and 3: dbus-run-session with gnome-keyring-daemon"
WORK=$WORK BIN=$BIN timeout 300 dbus-run-session -- bash "$WORK/inner.sh"
for run in ss ss-only locked; do
    if [ -f "$WORK/$run.status" ]; then
        tally "$run" "$WORK/$run.log" "$(cut -d' ' -f2 "$WORK/$run.status")"
    else
        plat_fail "$run" "did not run (dbus-run-session failed)"
    fi
done
plat_finish
