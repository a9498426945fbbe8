#!/usr/bin/env bash
# Classify a JSONL corpus with Apache Spark by piping every partition through thematic, and
# check the result is identical to one direct thematic run. Needs Java 17+, python3 (venv,
# pip); installs the pinned pyspark into target/spark-venv.
#   bash examples/spark/run.sh                          # the check CI runs: 4 partitions
#   COPIES=40 PARTITIONS="1 2 4" bash examples/spark/run.sh   # bigger corpus, timings
set -euo pipefail
cd "$(dirname "$0")/../.."
java -version 2>&1 | head -1
venv=target/spark-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r examples/spark/requirements.txt
cargo build --release --locked --quiet
exec "$venv/bin/python" examples/spark/classify_with_spark.py \
    --thematic target/release/thematic --copies "${COPIES:-1}" --partitions ${PARTITIONS:-4}
