#!/usr/bin/env bash
# Installs the system packages the tests use, when any is missing (Debian/Ubuntu, apt-get).
# Idempotent and quick when everything is there. Rust itself (cargo, via rustup) is assumed.
set -euo pipefail

# command -> Debian package
declare -A wanted=(
  [gcc]=gcc
  [g++]=g++
  [clang++]=clang
  [valgrind]=valgrind
  [mcs]=mono-devel
  [python3]=python3
  [curl]=curl
  [chromium]=chromium
  [node]=nodejs
  [npm]=npm
  [curl-config]=libcurl4-openssl-dev
  [emcc]=emscripten
)

missing=()
for cmd in "${!wanted[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${wanted[$cmd]}")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "setup: missing packages (${missing[*]}) and not root: install them, then rerun" >&2
    exit 1
  fi
fi
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
