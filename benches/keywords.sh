#!/usr/bin/env bash
# Keyword quality and speed on real news: thematic vs YAKE vs TextRank (summa), scored against
# the readers' reference keyphrases (datasets/realnews/keyphrases.jsonl). Installs the pinned
# peers (benches/keywords-requirements.txt) into target/keywords-venv.
#   bash benches/keywords.sh            # the test half
#   bash benches/keywords.sh --split dev
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/keywords-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r benches/keywords-requirements.txt
cargo build --release --locked --quiet
"$venv/bin/python" benches/keywords.py "$@"
