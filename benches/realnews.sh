#!/usr/bin/env bash
# The built-in model on real news (datasets/realnews), beside a keyword-list rule and
# scikit-learn trained on the same data, in one run. Installs the pinned scikit-learn
# (benches/compare-requirements.txt) into target/compare-venv, as benches/compare.sh does.
#   bash benches/realnews.sh             # the test half (README's numbers)
#   bash benches/realnews.sh --split dev
#   bash benches/realnews.sh --ceiling    # a TF-IDF linear model at best on these labels (minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/venv.sh
venv=target/compare-venv
peer_venv "$venv" benches/compare-requirements.txt
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$venv/bin/python" benches/realnews.py "$@"
