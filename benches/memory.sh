#!/usr/bin/env bash
# Peak resident memory of `thematic classify` and `thematic train` on large and hostile inputs
# (README, "Memory bounds"): a directory of 64, then 128 files of 64 MiB, a 3 GB JSONL line, a
# 5 GB model file, a 1 GB JSONL stream, and training data with a 3 GB CSV header or JSONL line. Builds the release binary, makes the inputs in a temporary directory
# (sparse where the content does not matter: about 1.1 GB of disk in all), prints one line a
# case with its exit status and peak RSS (GNU time's "Maximum resident set size"), then
# removes them. Takes about 4 minutes on 2 cores, after the build. Not run by CI.
#   bash benches/memory.sh
#   THEMATIC=path/to/thematic bash benches/memory.sh   # another binary, not built here
#   LIMIT_KB=8000000 bash benches/memory.sh            # each case under `ulimit -v` (KiB)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time -v true 2>/dev/null; then
    echo "memory.sh: needs GNU time as /usr/bin/time (Debian: apt-get install time)" >&2
    exit 2
fi
if [[ -z "${THEMATIC:-}" ]]; then
    cargo build --release --locked --quiet
    THEMATIC=target/release/thematic
fi
THEMATIC=$(realpath "$THEMATIC")
work=$(mktemp -d "${TMPDIR:-/tmp}/thematic-memory.XXXXXX")
trap 'rm -rf "$work"' EXIT
need_kb=$((1300 * 1024))
free_kb=$(df -Pk "$work" | awk 'NR == 2 { print $4 }')
if ((free_kb < need_kb)); then
    echo "memory.sh: $work has ${free_kb} KiB free; the inputs need about ${need_kb} KiB" >&2
    exit 2
fi

# One case: a name, then the command (run under `ulimit -v LIMIT_KB` if set); standard output
# goes to a file whose size is shown, standard error's last line is shown.
measure() {
    local name=$1
    shift
    local report="$work/time.txt" out="$work/out.txt" err="$work/err.txt"
    local status=0
    (
        if [[ -n "${LIMIT_KB:-}" ]]; then ulimit -v "$LIMIT_KB"; fi
        exec /usr/bin/time -v -o "$report" "$@" >"$out" 2>"$err"
    ) || status=$?
    local kib seconds
    kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$report")
    seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$report")
    printf '%-40s exit %-3s peak RSS %6d MiB  %9s  output %s bytes\n' \
        "$name" "$status" $((kib / 1024)) "$seconds" "$(stat -c %s "$out")"
    if [[ -s "$err" ]]; then
        printf '%-40s stderr: %s\n' "" "$(tail -n 1 "$err" | cut -c 1-160)"
    fi
    rm -f "$out" "$err"
}

# Text for the inputs: the held-out news, one JSONL line per article.
seed="$work/seed.jsonl"
cat datasets/heldout/*.jsonl >"$seed"
sed -n 's/.*"text": *"\([^"]*\)".*/\1/p' "$seed" | tr '\n' ' ' >"$work/texts"
head -c 8192 "$work/texts" >"$work/text"

echo "thematic classify and train, peak resident memory (binary: $THEMATIC, $(nproc) cores)"

# 64, then 128 files of 64 MiB (the default --max-bytes) in a directory: 8 KB of text each,
# then a hole (read as zero bytes).
mkdir "$work/dir"
made=0
for count in 64 128; do
    while ((made < count)); do
        made=$((made + 1))
        cp "$work/text" "$work/dir/$made.txt"
        truncate -s 64M "$work/dir/$made.txt"
    done
    measure "directory of $count files x 64 MiB" "$THEMATIC" classify --format jsonl "$work/dir"
done
rm -rf "$work/dir"

# One 3 GB JSONL line (a hole inside its text), then an ordinary line.
line="$work/line.jsonl"
printf '{"id": "huge", "text": "' >"$line"
truncate -s 3G "$line"
{
    printf 'x"}\n'
    head -n 1 "$seed"
} >>"$line"
measure "JSONL, one 3 GB line" "$THEMATIC" classify --input jsonl --format jsonl "$line"
rm -f "$line"

# A 5 GB model file: the default model's bytes, then a hole.
model="$work/model.thematic"
cp models/default.thematic "$model"
truncate -s 5G "$model"
measure "--model, a 5 GB file" "$THEMATIC" classify --model "$model" --format jsonl "$work/text"
rm -f "$model"

# A 1 GB JSONL stream on standard input: the held-out news repeated.
stream="$work/stream.jsonl"
seed_bytes=$(stat -c %s "$seed")
for _ in $(seq 1 $(((1000 * 1000 * 1000 + seed_bytes - 1) / seed_bytes))); do
    cat "$seed"
done >"$stream"
measure "JSONL stream, $(($(stat -c %s "$stream") / 1000000)) MB on stdin" \
    sh -c 'exec "$0" classify --input jsonl --format jsonl - <"$1"' "$THEMATIC" "$stream"

# Training data whose first line is 3 GB long: a CSV header, then a JSONL record (holes inside,
# then ordinary records). Refused at that line, within --max-bytes.
mkdir "$work/csv" "$work/jsonl"
printf 'id,text,labels' >"$work/csv/data.csv"
truncate -s 3G "$work/csv/data.csv"
printf '\n1,"Parliament passed the budget.",governance;economy\n' >>"$work/csv/data.csv"
measure "train, a CSV with a 3 GB header" "$THEMATIC" train --data "$work/csv" --out "$work/m.thematic"
rm -rf "$work/csv"
printf '{"id": "huge", "labels": [], "text": "' >"$work/jsonl/data.jsonl"
truncate -s 3G "$work/jsonl/data.jsonl"
{
    printf 'x"}\n'
    head -n 20 "$seed"
} >>"$work/jsonl/data.jsonl"
measure "train, a JSONL with a 3 GB line" "$THEMATIC" train --data "$work/jsonl" --out "$work/m.thematic"
rm -rf "$work/jsonl"
