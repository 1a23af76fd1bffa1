#!/usr/bin/env bash
# Regenerates the inspector screenshots in xerial-mock/docs/ (shown by xerial-mock/README.md).
# It runs the inspector's browser test (tests/browser/inspector.test.mjs), which drives the SDK
# through the C ABI against the mock, clicks through the page and saves one screenshot per view,
# then copies those PNGs. Needs what the browser tests need: /usr/bin/chromium, node + npm, gcc.
#
#   scripts/inspector-screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --workspace --locked
artefacts=$(mktemp -d)
trap 'rm -rf "$artefacts"' EXIT
XERIAL_BROWSER_ARTEFACTS="$artefacts" tests/browser/run.sh inspector.test.mjs
mkdir -p xerial-mock/docs
for view in players money requests faults; do
  cp "$artefacts/inspector-$view.png" "xerial-mock/docs/inspector-$view.png"
done
ls -l xerial-mock/docs/inspector-*.png
