#!/usr/bin/env bash
# Peak resident memory of `thematic train` against the number of training documents: short
# generated JSONL documents (8 to 15 words, themes a, b, c and none), one FTRL epoch and no
# holdout so the largest size runs in a couple of minutes. Prints one line per size.
#   bash benches/train_memory.sh                      # 10k 100k 500k 2M documents
#   bash benches/train_memory.sh 10000 100000         # other sizes
#   THEMATIC=/path/to/thematic bash benches/train_memory.sh   # another build (no cargo build)
# Needs GNU time (/usr/bin/time). Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x /usr/bin/time ]]; then
    echo "train_memory.sh: needs GNU time at /usr/bin/time" >&2
    exit 2
fi
if [[ -z "${THEMATIC:-}" ]]; then
    cargo build --release --quiet
    THEMATIC=target/release/thematic
fi
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(10000 100000 500000 2000000)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

printf '%10s %14s %14s %10s\n' documents "peak RSS (MB)" "bytes/document" seconds
for n in "${sizes[@]}"; do
    awk -v n="$n" 'BEGIN {
        srand(7)
        split("a b c", themes, " ")
        for (i = 0; i < n; i++) {
            t = i % 4
            words = 8 + int(rand() * 8)
            text = ""
            for (w = 0; w < words; w++) {
                if (t < 3 && rand() < 0.3) word = "theme" themes[t + 1] int(rand() * 20)
                else word = "w" int(rand() * rand() * 5000)
                text = text (w ? " " : "") word
            }
            labels = t < 3 ? "\"" themes[t + 1] "\"" : ""
            printf "{\"text\": \"%s.\", \"labels\": [%s]}\n", text, labels
        }
    }' > "$scratch/data.jsonl"
    /usr/bin/time -o "$scratch/time" -f '%M %e' "$THEMATIC" train --data "$scratch/data.jsonl" \
        --out "$scratch/model.thematic" --epochs 1 --holdout 0 --quiet > /dev/null
    read -r kilobytes seconds < "$scratch/time"
    printf '%10d %14.1f %14.0f %10s\n' "$n" "$(echo "$kilobytes / 1024" | bc -l)" \
        "$(echo "$kilobytes * 1024 / $n" | bc -l)" "$seconds"
    rm -f "$scratch/data.jsonl" "$scratch/model.thematic"
done
