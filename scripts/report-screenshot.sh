#!/usr/bin/env bash
# Makes README's picture of an evaluation report, docs/evaluation-report.png: the built-in
# model's report on the dev half of the real-news test set, as headless Chromium shows it in
# a 1280x800 window. Needs chromium (scripts/install-chromium.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
mkdir -p target/report docs
report=target/report/realnews-dev.html
target/release/thematic evaluate --data datasets/realnews/dev.jsonl --report "$report" >/dev/null
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
    --window-size=1280,800 --screenshot="$PWD/docs/evaluation-report.png" \
    "file://$PWD/$report" 2>/dev/null
ls -l docs/evaluation-report.png
