#!/usr/bin/env python3
"""thematic side by side with the peers a user would pick instead, on the same data.

Run through benches/compare.sh, which builds thematic and installs the pinned peers into a
local virtual environment. Each step runs as its own process so its peak RSS is its own
(os.wait4's ru_maxrss); wall time is measured around the process for thematic and around the
work itself for the Python peers (their interpreter start-up, imports and unpickling are not
counted against them).

Data: datasets/train is the training split, datasets/heldout the test split, for every tool.
The throughput corpus repeats the dataset's texts until it reaches --size-mb, written once as
a JSONL stream and once as a directory of one file per document; every tool classifies both
(the directory in name order, from a warm page cache).

Timings in the comparison table are the best of --repeat runs (default 3), for every tool
alike: the machines this runs on are shared, and one slow run of either side would decide a
ratio. Peak RSS is the largest of those runs.
"""
import argparse
import glob
import json
import os
import pickle
import subprocess
import sys
import time

THEMES = ["economy", "governance", "security"]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_jsonl(pattern):
    docs = []
    for path in sorted(glob.glob(pattern)):
        with open(path, encoding="utf-8") as f:
            docs.extend(json.loads(line) for line in f if line.strip())
    return docs


def train_docs():
    return read_jsonl(os.path.join(ROOT, "datasets/train/*.jsonl"))


def test_docs():
    return read_jsonl(os.path.join(ROOT, "datasets/heldout/*.jsonl"))


def f1_scores(gold, predicted):
    """Macro and micro F1 over THEMES; gold and predicted are lists of label sets."""
    per_theme, pooled = [], [0, 0, 0]
    for theme in THEMES:
        tp = sum(1 for g, p in zip(gold, predicted) if theme in g and theme in p)
        fp = sum(1 for g, p in zip(gold, predicted) if theme not in g and theme in p)
        fn = sum(1 for g, p in zip(gold, predicted) if theme in g and theme not in p)
        per_theme.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
        pooled = [pooled[0] + tp, pooled[1] + fp, pooled[2] + fn]
    tp, fp, fn = pooled
    return sum(per_theme) / len(per_theme), 2 * tp / (2 * tp + fp + fn)


def iter_big(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)["text"]


def iter_dir(path):
    """The texts of the one-file-per-document corpus, in name order."""
    for folder in sorted(os.listdir(path)):
        for name in sorted(os.listdir(os.path.join(path, folder))):
            with open(os.path.join(path, folder, name), encoding="utf-8") as f:
                yield f.read()


def texts_of(work, source):
    """The big corpus as a JSONL stream ("jsonl") or as a directory of files ("dir")."""
    if source == "jsonl":
        return iter_big(os.path.join(work, "big.jsonl"))
    return iter_dir(os.path.join(work, "big"))


def warm_directory(work):
    """Reads every file of the directory corpus once, so it is in the page cache for every
    tool, as the JSONL file is."""
    for _ in iter_dir(os.path.join(work, "big")):
        pass


# ---------------------------------------------------------------- peers, run in subprocesses


def sklearn_train(work):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer
    from sklearn.svm import LinearSVC

    docs = train_docs()
    start = time.perf_counter()
    vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2)
    features = vectorizer.fit_transform([d["text"] for d in docs])
    binarizer = MultiLabelBinarizer(classes=THEMES)
    targets = binarizer.fit_transform([d["labels"] for d in docs])
    model = OneVsRestClassifier(LinearSVC()).fit(features, targets)
    seconds = time.perf_counter() - start
    with open(os.path.join(work, "sklearn.pkl"), "wb") as f:
        pickle.dump((vectorizer, model), f)
    return {"train_seconds": seconds}


def sklearn_test(work):
    with open(os.path.join(work, "sklearn.pkl"), "rb") as f:
        vectorizer, model = pickle.load(f)
    docs = test_docs()
    predicted = model.predict(vectorizer.transform([d["text"] for d in docs]))
    labels = [{t for t, on in zip(THEMES, row) if on} for row in predicted]
    macro, micro = f1_scores([set(d["labels"]) for d in docs], labels)
    return {"macro_f1": macro, "micro_f1": micro}


def sklearn_classify(work, source):
    with open(os.path.join(work, "sklearn.pkl"), "rb") as f:
        vectorizer, model = pickle.load(f)
    start = time.perf_counter()
    tagged, batch = 0, []
    for text in texts_of(work, source):
        batch.append(text)
        if len(batch) == 10_000:
            tagged += int(model.predict(vectorizer.transform(batch)).sum())
            batch = []
    if batch:
        tagged += int(model.predict(vectorizer.transform(batch)).sum())
    return {"classify_seconds": time.perf_counter() - start, "tagged": tagged}


def fasttext_line(text):
    return " ".join(text.lower().split())


def fasttext_train(work):
    import fasttext

    path = os.path.join(work, "fasttext.train")
    with open(path, "w", encoding="utf-8") as f:
        for d in train_docs():
            # fastText needs a label on every line: "none" stands for no theme, and is never
            # reported as a theme.
            labels = " ".join(f"__label__{l}" for l in (d["labels"] or ["none"]))
            f.write(f"{labels} {fasttext_line(d['text'])}\n")
    start = time.perf_counter()
    model = fasttext.train_supervised(
        path, loss="ova", wordNgrams=2, epoch=25, lr=0.5, thread=2, seed=42, verbose=0
    )
    seconds = time.perf_counter() - start
    model.save_model(os.path.join(work, "fasttext.bin"))
    return {"train_seconds": seconds}


def fasttext_labels(model, text):
    labels, _ = model.predict(fasttext_line(text), k=-1, threshold=0.5)
    return {l[len("__label__"):] for l in labels} - {"none"}


def fasttext_test(work):
    import fasttext

    model = fasttext.load_model(os.path.join(work, "fasttext.bin"))
    docs = test_docs()
    labels = [fasttext_labels(model, d["text"]) for d in docs]
    macro, micro = f1_scores([set(d["labels"]) for d in docs], labels)
    return {"macro_f1": macro, "micro_f1": micro}


def fasttext_classify(work, source):
    import fasttext

    model = fasttext.load_model(os.path.join(work, "fasttext.bin"))
    start = time.perf_counter()
    tagged = 0
    for text in texts_of(work, source):
        tagged += len(fasttext_labels(model, text))
    return {"classify_seconds": time.perf_counter() - start, "tagged": tagged}


STEPS = {
    "sklearn-train": sklearn_train,
    "sklearn-test": sklearn_test,
    "sklearn-classify": lambda work: sklearn_classify(work, "jsonl"),
    "sklearn-classify-dir": lambda work: sklearn_classify(work, "dir"),
    "fasttext-train": fasttext_train,
    "fasttext-test": fasttext_test,
    "fasttext-classify": lambda work: fasttext_classify(work, "jsonl"),
    "fasttext-classify-dir": lambda work: fasttext_classify(work, "dir"),
}

# ---------------------------------------------------------------- driver


def run(command, stdout=subprocess.DEVNULL, env=None):
    """Runs `command` (with `env` added to the environment); returns (wall seconds, peak RSS
    in MiB, stdout text or None)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, cwd=ROOT, env={**os.environ, **(env or {})})
    output = process.stdout.read().decode() if stdout == subprocess.PIPE else None
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"compare: {' '.join(command)} failed with status {status}")
    return seconds, usage.ru_maxrss / 1024, output


def step(name, work):
    """Runs a peer's step in its own process; returns (its JSON result, peak RSS MiB)."""
    _, rss, out = run([sys.executable, __file__, "--step", name, "--work", work], subprocess.PIPE)
    return json.loads(out), rss


def best_of(repeat, measure):
    """Runs `measure` (which returns (seconds, peak RSS MiB, output)) `repeat` times: the
    fastest time, the largest peak RSS and the fastest run's output."""
    runs = [measure() for _ in range(repeat)]
    seconds, _, output = min(runs, key=lambda r: r[0])
    return seconds, max(r[1] for r in runs), output


def best_step(repeat, name, work, timed, before=lambda: None):
    """A peer's step run `repeat` times: the fastest of its own timings (`timed`) and the
    largest peak RSS."""
    runs = []
    for _ in range(repeat):
        before()
        runs.append(step(name, work))
    return min(r[0][timed] for r in runs), max(r[1] for r in runs)


def build_corpus(work, size_mb):
    """big.jsonl and big/ (one file per document, 1,000 a folder) of at least size_mb MB."""
    stamp = os.path.join(work, f"big-{size_mb}.done")
    if os.path.exists(stamp):
        return os.path.getsize(os.path.join(work, "big.jsonl"))
    texts = [d["text"] for d in train_docs() + test_docs()]
    target, written, count = size_mb * 1_000_000, 0, 0
    subprocess.run(["rm", "-rf", os.path.join(work, "big")], check=True)
    for old in glob.glob(os.path.join(work, "big-*.done")):
        os.remove(old)
    with open(os.path.join(work, "big.jsonl"), "w", encoding="utf-8") as stream:
        while written < target:
            text = texts[count % len(texts)]
            stream.write(json.dumps({"id": count, "text": text}) + "\n")
            folder = os.path.join(work, "big", f"{count // 1000:05d}")
            if count % 1000 == 0:
                os.makedirs(folder)
            with open(os.path.join(folder, f"{count:08d}.txt"), "w", encoding="utf-8") as f:
                f.write(text)
            written += len(text.encode())
            count += 1
    open(stamp, "w").close()
    return written


def text_bytes(work):
    return sum(len(t.encode()) for t in iter_big(os.path.join(work, "big.jsonl")))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--work", default=os.path.join(ROOT, "target", "compare"))
    parser.add_argument("--thematic", default=os.path.join(ROOT, "target", "release", "thematic"))
    parser.add_argument("--scales", default="10,100,1000",
                        help="MB sizes at which to measure thematic's cost growth ('' to skip)")
    parser.add_argument("--train-docs", type=int, default=100_000,
                        help="documents for the large training run (0 to skip)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each timed step in the table, best kept (every tool alike)")
    parser.add_argument("--peers", default="sklearn,fasttext",
                        help="peers to run beside thematic ('' for thematic alone)")
    parser.add_argument("--step", choices=sorted(STEPS))
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    if args.step:
        print(json.dumps(STEPS[args.step](args.work)))
        return

    work, thematic = args.work, args.thematic
    print(f"building a {args.size_mb} MB corpus in {work} ...", file=sys.stderr)
    build_corpus(work, args.size_mb)
    mb = text_bytes(work) / 1e6
    rows = {}

    print("thematic ...", file=sys.stderr)
    model = os.path.join(work, "thematic.thematic")
    repeat = args.repeat
    train_s, train_rss, _ = best_of(repeat, lambda: run(
        [thematic, "train", "--data", "datasets/train", "--out", model, "--holdout", "0"]
    ))
    _, _, report = run(
        [thematic, "evaluate", "--data", "datasets/heldout", "--model", model, "--format", "json"],
        subprocess.PIPE,
    )
    report = json.loads(report)
    stream_s, stream_rss, _ = best_of(repeat, lambda: run(
        [thematic, "classify", "--model", model, "--input", "jsonl", "--format", "jsonl",
         os.path.join(work, "big.jsonl")]
    ))

    def classify_directory(uring="on"):
        warm_directory(work)
        return run(
            [thematic, "classify", "--model", model, "--format", "jsonl", os.path.join(work, "big")],
            env={"THEMATIC_URING": uring},
        )

    dir_s, dir_rss, _ = best_of(repeat, classify_directory)
    # The same with every file read on its own (no io_uring): what the ring's read path gains.
    dir_plain_s, _, _ = best_of(repeat, lambda: classify_directory("off"))
    rows["thematic"] = {
        "train_seconds": train_s, "train_rss": train_rss,
        "macro_f1": report["macro_f1"], "micro_f1": report["micro_f1"],
        "stream_mbs": mb / stream_s, "stream_rss": stream_rss,
        "dir_mbs": mb / dir_s, "dir_rss": dir_rss,
    }

    peers = [peer for peer in args.peers.split(",") if peer]
    for peer in peers:
        print(f"{peer} ...", file=sys.stderr)
        train_s, train_rss = best_step(repeat, f"{peer}-train", work, "train_seconds")
        scores, _ = step(f"{peer}-test", work)
        stream_s, classify_rss = best_step(repeat, f"{peer}-classify", work, "classify_seconds")
        dir_s, _ = best_step(repeat, f"{peer}-classify-dir", work, "classify_seconds",
                             before=lambda: warm_directory(work))
        rows[peer] = {
            "train_seconds": train_s, "train_rss": train_rss,
            "macro_f1": scores["macro_f1"], "micro_f1": scores["micro_f1"],
            "stream_mbs": mb / stream_s, "stream_rss": classify_rss,
            "dir_mbs": mb / dir_s,
        }

    names = {"thematic": "thematic (release)",
             "sklearn": "scikit-learn TF-IDF + OvR LinearSVC",
             "fasttext": "fastText supervised (ova, wordNgrams=2)"}
    print(f"\ncorpus: datasets/train -> datasets/heldout; throughput on {mb:.0f} MB "
          f"({args.size_mb} MB requested), {os.cpu_count()} cores; times are the best of "
          f"{repeat} runs\n")
    print("| tool | train s | train peak RSS MiB | classify MB/s (JSONL) | classify peak RSS MiB "
          "| classify MB/s (dir of files) | macro-F1 | micro-F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for key, row in rows.items():
        directory = f"{row['dir_mbs']:.1f}"
        print(f"| {names[key]} | {row['train_seconds']:.2f} | {row['train_rss']:.0f} | "
              f"{row['stream_mbs']:.1f} | {row['stream_rss']:.0f} | {directory} | "
              f"{row['macro_f1']:.3f} | {row['micro_f1']:.3f} |")
    if peers:
        print_ratios(rows, names)
    uring_mbs = rows["thematic"]["dir_mbs"]
    print(f"\nthematic on the directory of files: {uring_mbs:.1f} MB/s reading small files a "
          f"run at a time through io_uring, {mb / dir_plain_s:.1f} MB/s reading each on its own "
          f"(THEMATIC_URING=off): {uring_mbs * dir_plain_s / mb:.2f}x")
    read_floor(work, mb, repeat)
    if args.scales:
        scaling(work, thematic, model, [int(x) for x in args.scales.split(",")])
    if args.train_docs:
        train_large(work, thematic, args.train_docs)


def read_floor(work, mb, repeat):
    """What reading the directory corpus costs with no classification at all: `cat` of every
    file, two processes (one per core here), from a warm page cache (best of `repeat`)."""
    times = []
    for _ in range(repeat):
        warm_directory(work)
        start = time.perf_counter()
        subprocess.run(
            f"find {os.path.join(work, 'big')} -type f -print0 "
            "| xargs -0 -P2 -n 20000 cat > /dev/null",
            shell=True, check=True,
        )
        times.append(time.perf_counter() - start)
    seconds = min(times)
    print(f"\nreading the directory alone (find | xargs -P2 cat, no classification): "
          f"{seconds:.2f} s, {mb / seconds:.1f} MB/s")


def scaling(work, thematic, model, sizes):
    """thematic's JSONL classification at several sizes: cost should grow linearly."""
    texts = [json.dumps({"text": d["text"]}) + "\n" for d in train_docs() + test_docs()]
    print("\n| JSONL stream | seconds | MB/s | peak RSS MiB |")
    print("|---:|---:|---:|---:|")
    for size in sizes:
        path = os.path.join(work, f"scale-{size}.jsonl")
        written = 0
        with open(path, "w", encoding="utf-8") as f:
            i = 0
            while written < size * 1_000_000:
                f.write(texts[i % len(texts)])
                written += len(json.loads(texts[i % len(texts)])["text"].encode())
                i += 1
        seconds, rss, _ = run(
            [thematic, "classify", "--model", model, "--input", "jsonl", "--format", "jsonl", path]
        )
        os.remove(path)
        print(f"| {written / 1e6:.0f} MB | {seconds:.2f} | {written / 1e6 / seconds:.1f} | {rss:.0f} |")


def train_large(work, thematic, documents):
    """thematic train on `documents` documents (the training set repeated)."""
    docs = train_docs()
    path = os.path.join(work, f"train-{documents}.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for i in range(documents):
            d = docs[i % len(docs)]
            f.write(json.dumps({"id": i, "text": d["text"], "labels": d["labels"]}) + "\n")
    seconds, rss, _ = run(
        [thematic, "train", "--data", path, "--out", os.path.join(work, "large.thematic"),
         "--holdout", "0"]
    )
    os.remove(path)
    print(f"\ntrain on {documents} documents: {seconds:.1f} s, peak RSS {rss:.0f} MiB")


def print_ratios(rows, names):
    t = rows["thematic"]
    print("\n| thematic / peer | classify speed (JSONL) | classify speed (dir) | train speed "
          "| classify RSS | macro-F1 |")
    print("|---|---:|---:|---:|---:|---:|")
    for key in [key for key in rows if key != "thematic"]:
        p = rows[key]
        print(f"| {names[key]} | {t['stream_mbs'] / p['stream_mbs']:.1f}x | "
              f"{t['dir_mbs'] / p['dir_mbs']:.1f}x | {p['train_seconds'] / t['train_seconds']:.1f}x | "
              f"{t['stream_rss'] / p['stream_rss']:.2f}x | {t['macro_f1'] - p['macro_f1']:+.3f} |")


if __name__ == "__main__":
    main()
