#!/usr/bin/env bash
# Fuzz one target for a while:  bash fuzz/run.sh TARGET [SECONDS]   (default 600)
# Targets: analyze, labelled, model_file, model_payload. Needs cargo-fuzz
# (`cargo install cargo-fuzz`); RUSTC_BOOTSTRAP=1 lets the stable compiler take the
# sanitizer flags cargo-fuzz passes. Seeds come from the repository (dataset lines, the
# default model); the growing corpus stays in fuzz/corpus/TARGET (not committed); crashes
# land in fuzz/artifacts/TARGET.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-600}
seeds=fuzz/corpus/$target
mkdir -p "$seeds"
case "$target" in
    analyze)
        head -c 4000 examples/cyber-forum.txt > "$seeds/article"
        python3 -c "import json,sys
for i, line in enumerate(open('datasets/heldout/news.jsonl')):
    if i % 25 == 0: open(f'$seeds/doc{i}', 'w').write(json.loads(line)['text'])" ;;
    labelled)
        head -n 5 datasets/heldout/news.jsonl > "$seeds/lines.jsonl"
        printf 'id,text,labels\n1,"Budget vote",governance;economy\n2,"Match report",\n' > "$seeds/lines.csv" ;;
    model_file)
        cp models/default.thematic "$seeds/default" ;;
    model_payload)
        tail -c +53 models/default.thematic > "$seeds/default-payload" ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
esac
RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz "$target" "$seeds" -- \
    -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=1048576 -print_final_stats=1
