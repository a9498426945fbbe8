#!/usr/bin/env python3
"""How far the written `rn-` articles' labels (one reading each, by their writers) agree with
an independent second reading: datasets/wire-second-reading.jsonl holds, for the 900 articles
of the batches nearest the real-news failure modes (rn-court, rn-polsec, rn-acc, rn-sec,
rn-life, rn-dis; train and heldout), the labels of readers who saw only the text and
GUIDELINES.md (six readers, 150 articles each, in an order that hid the batch). Prints the
agreement and lists the articles where the readings differ.

    python3 datasets/tools/wire_agreement.py
"""
import json
from pathlib import Path

from agreement import agreement

root = Path(__file__).resolve().parent.parent
written = {}
for part in ("train", "heldout"):
    for line in open(root / part / "wire.jsonl", encoding="utf-8"):
        record = json.loads(line)
        written[record["id"]] = set(record["labels"])
second = [json.loads(line) for line in open(root / "wire-second-reading.jsonl", encoding="utf-8")]
pairs = [(written[r["id"]], set(r["labels"])) for r in second]
differ = [(r["id"], sorted(a), sorted(b)) for r, (a, b) in zip(second, pairs) if a != b]
micro_f1, exact, themes = agreement(pairs)
n = len(second)
print(f"articles: {n}; the readings differ on {len(differ)} ({len(differ) / n:.1%})")
print(f"agreement: micro-F1 {micro_f1:.3f}, exact match {exact:.3f}")
for theme, first, other, kappa in themes:
    print(f"  {theme:<11} writer: {first}  second reader: {other}  Cohen's kappa {kappa:.3f}")
print()
for article, a, b in differ:
    print(f"  {article}: writer {a}, second reader {b}")
