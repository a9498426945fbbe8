#!/usr/bin/env bash
# thematic vs scikit-learn vs fastText on the same data, in one run: training seconds,
# classification MB/s on a corpus of SIZE_MB (default 100) megabytes, peak RSS, macro/micro-F1,
# and the ratios thematic/peer. Needs python3 with venv and pip; installs the pinned peers
# (benches/compare-requirements.txt) into target/compare-venv.
#   bash benches/compare.sh            # 100 MB
#   SIZE_MB=1000 bash benches/compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/venv.sh
venv=target/compare-venv
peer_venv "$venv" benches/compare-requirements.txt
# OPENBLAS_CORETYPE pins an old kernel on some machines here; it slows numpy, so the peers
# run without it (this affects only the peers' numerical kernels, not their results).
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
    "$venv/bin/python" benches/compare.py --size-mb "${SIZE_MB:-100}" "$@"
# Keyword quality and speed beside YAKE and TextRank, on the readers' reference keyphrases.
bash benches/keywords.sh
