#!/usr/bin/env python3
"""Keyword quality and speed: thematic vs YAKE vs TextRank (summa) on real news.

References: datasets/realnews/keyphrases.jsonl, the index terms two readers wrote for each
article without seeing any program's output. An article's reference set is the union of the
two readers' lists. For each tool, F1@5 and F1@10:
  exact   - a keyword matches a reference term equal to it (case-insensitive, hyphens and
            runs of spaces as one space);
  partial - a keyword matches a reference term when either one's words contain the other's
            (``Bailey`` ~ ``Ian Bailey``).
Each reference term is matched at most once. Also: the readers' agreement (reader 1's list
scored against reader 2's), the share of keywords found verbatim in the text, and seconds for
all articles; and of the first 8 keywords listed, how many there are per article and the share
that match a reader's term at least in part. Run by benches/keywords.sh, which installs the
pinned peers.

    python3 benches/keywords.py --split test [--thematic target/release/thematic]
"""
import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def norm(phrase):
    return " ".join(re.sub(r"[-\u2010\u2011]", " ", phrase.lower()).split())


def f1_at(predicted, reference, k, partial):
    predicted = [norm(p) for p in predicted[:k]]
    reference = [norm(r) for r in reference]
    used = set()
    hits = 0
    for p in predicted:
        for i, r in enumerate(reference):
            if i in used:
                continue
            if p == r or (partial and (f" {p} " in f" {r} " or f" {r} " in f" {p} ")):
                used.add(i)
                hits += 1
                break
    if hits == 0:
        return 0.0
    precision = hits / len(predicted)
    recall = hits / len(reference)
    return 2 * precision * recall / (precision + recall)


def thematic(binary, articles, k, *options):
    lines = "\n".join(json.dumps({"id": a["id"], "text": a["text"]}) for a in articles)
    out = subprocess.run(
        [binary, "classify", "--input", "jsonl", "--format", "jsonl", "--keywords", str(k), *options, "-"],
        input=lines.encode(), capture_output=True, check=True,
    ).stdout.decode().splitlines()
    return [json.loads(line)["keywords"] for line in out]


def yake_keywords(articles, k):
    import yake
    extractor = yake.KeywordExtractor(lan="en", n=3, top=k)
    return [[kw for kw, _ in extractor.extract_keywords(a["text"])] for a in articles]


def textrank_keywords(articles, k):
    from summa import keywords as summa_keywords
    out = []
    for a in articles:
        found = summa_keywords.keywords(a["text"], scores=True) or []
        out.append([kw for kw, _ in found][:k])
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="test", choices=["dev", "test"])
    parser.add_argument("--thematic", default=str(ROOT / "target/release/thematic"))
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()

    texts = {}
    for split in ("dev", "test"):
        for line in open(ROOT / f"datasets/realnews/{split}.jsonl", encoding="utf-8"):
            record = json.loads(line)
            texts[record["id"]] = record["text"]
    refs = [json.loads(line) for line in open(ROOT / "datasets/realnews/keyphrases.jsonl", encoding="utf-8")]
    refs = [r for r in refs if r["split"] == args.split]
    articles = [{"id": r["id"], "text": texts[r["id"]]} for r in refs]
    union = []
    for r in refs:
        seen, merged = set(), []
        for term in r["reader_1"] + r["reader_2"]:
            if norm(term) not in seen:
                seen.add(norm(term))
                merged.append(term)
        union.append(merged)

    rows = []
    agreement = {
        (k, partial): sum(f1_at(r["reader_1"], r["reader_2"], k, partial) for r in refs) / len(refs)
        for k in (5, 10) for partial in (False, True)
    }
    rows.append(("readers (1 vs 2)", agreement, None, None, None))
    tools = [
        ("thematic", lambda: thematic(args.thematic, articles, args.k)),
        ("thematic, all k (--min-relevance 0)", lambda: thematic(args.thematic, articles, args.k, "--min-relevance", "0")),
        ("YAKE 0.7.3 (n=3)", lambda: yake_keywords(articles, args.k)),
        ("TextRank (summa 1.2.0)", lambda: textrank_keywords(articles, args.k)),
    ]
    for name, run in tools:
        started = time.perf_counter()
        predicted = run()
        seconds = time.perf_counter() - started
        scores = {
            (k, partial): sum(f1_at(p, u, k, partial) for p, u in zip(predicted, union)) / len(refs)
            for k in (5, 10) for partial in (False, True)
        }
        verbatim = sum(kw in a["text"] for p, a in zip(predicted, articles) for kw in p)
        total = sum(len(p) for p in predicted)
        # Of the first 8 listed: how many per article, and the share matching a reader's term
        # at least in part.
        listed = [p[:8] for p in predicted]
        matching = sum(f1_at([kw], u, 1, True) > 0 for p, u in zip(listed, union) for kw in p)
        counted = sum(len(p) for p in listed)
        precision = (counted / len(refs), matching / max(counted, 1))
        rows.append((name, scores, verbatim / max(total, 1), seconds, precision))

    print(f"keywords on {len(refs)} real news articles ({args.split} half), "
          "references: union of two readers")
    print()
    print("| tool | F1@5 exact | F1@10 exact | F1@5 partial | F1@10 partial | listed of 8 "
          "| of those, a reader's (partial) | verbatim | seconds |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, s, verbatim, seconds, precision in rows:
        v = "" if verbatim is None else f"{verbatim:.1%}"
        t = "" if seconds is None else f"{seconds:.2f}"
        listed, share = ("", "") if precision is None else (f"{precision[0]:.2f}", f"{precision[1]:.3f}")
        print(f"| {name} | {s[(5, False)]:.3f} | {s[(10, False)]:.3f} | {s[(5, True)]:.3f} "
              f"| {s[(10, True)]:.3f} | {listed} | {share} | {v} | {t} |")


if __name__ == "__main__":
    sys.exit(main())
