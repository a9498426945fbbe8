#!/usr/bin/env bash
# Keyword quality and speed on real news: thematic vs YAKE vs TextRank (summa), scored against
# the readers' reference keyphrases (datasets/realnews/keyphrases.jsonl). Installs the pinned
# peers (benches/keywords-requirements.txt) into target/keywords-venv.
#   bash benches/keywords.sh            # the test half
#   bash benches/keywords.sh --split dev
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/venv.sh
venv=target/keywords-venv
peer_venv "$venv" benches/keywords-requirements.txt
"$venv/bin/python" benches/keywords.py "$@"
