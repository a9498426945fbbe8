#!/usr/bin/env bash
# The built-in model on real news (datasets/realnews), beside a keyword-list rule and
# scikit-learn trained on the same data, in one run. Installs the pinned scikit-learn
# (benches/compare-requirements.txt) into target/compare-venv, as benches/compare.sh does.
#   bash benches/realnews.sh             # the test half (README's numbers)
#   bash benches/realnews.sh --split dev
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/compare-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r benches/compare-requirements.txt
cargo build --release --locked --quiet
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$venv/bin/python" benches/realnews.py "$@"
