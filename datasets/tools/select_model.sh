#!/usr/bin/env bash
# Scores training options the way the default model is chosen: trains on datasets/train with
# the options given, once per seed (1 to 5), and prints the mean scores on the real-news dev
# half and on datasets/heldout (micro-F1 and its spread, exact match, share of no-theme
# documents tagged anyway, precision and recall per theme). The real-news test half is never
# used here.
#   bash datasets/tools/select_model.sh                          # the defaults
#   bash datasets/tools/select_model.sh --features-per-theme 1000
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --locked --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for seed in 1 2 3 4 5; do
    target/release/thematic train --data datasets/train --out "$work/m$seed.thematic" \
        --holdout 0 --seed "$seed" --format json "$@" >/dev/null
done
for data in datasets/realnews/dev.jsonl datasets/heldout; do
    for seed in 1 2 3 4 5; do
        target/release/thematic evaluate --model "$work/m$seed.thematic" --data "$data" --format json
    done | python3 -c '
import json, statistics as st, sys
ms = [json.loads(line) for line in sys.stdin]
mean = lambda key: st.mean(m[key] for m in ms)
themes = " ".join(
    "%s P %.2f R %.2f" % (t[:3], st.mean(m["themes"][t]["precision"] for m in ms),
                          st.mean(m["themes"][t]["recall"] for m in ms))
    for t in sorted(ms[0]["themes"]))
print("%-29s micro-F1 %.3f (sd %.3f)  exact %.3f  none tagged %.1f%%  %s" % (
    sys.argv[1], mean("micro_f1"), st.pstdev(m["micro_f1"] for m in ms),
    mean("exact_match"), 100 * mean("none_false_positive_rate"), themes))
' "$data"
done
