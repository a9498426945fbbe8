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

root = Path(__file__).resolve().parent.parent
written = {}
for part in ("train", "heldout"):
    for line in open(root / part / "wire.jsonl", encoding="utf-8"):
        record = json.loads(line)
        written[record["id"]] = set(record["labels"])
second = [json.loads(line) for line in open(root / "wire-second-reading.jsonl", encoding="utf-8")]
themes = ("governance", "security", "economy")
tp = fp = fn = exact = 0
differ = []
for record in second:
    a, b = written[record["id"]], set(record["labels"])
    tp, fp, fn = tp + len(a & b), fp + len(b - a), fn + len(a - b)
    exact += a == b
    if a != b:
        differ.append((record["id"], sorted(a), sorted(b)))
n = len(second)
print(f"articles: {n}; the readings differ on {len(differ)} ({len(differ) / n:.1%})")
print(f"agreement: micro-F1 {2 * tp / (2 * tp + fp + fn):.3f}, exact match {exact / n:.3f}")
for theme in themes:
    both = sum(theme in written[r["id"]] and theme in r["labels"] for r in second)
    only_a = sum(theme in written[r["id"]] and theme not in r["labels"] for r in second)
    only_b = sum(theme not in written[r["id"]] and theme in r["labels"] for r in second)
    p_o = (n - only_a - only_b) / n
    p_a, p_b = (both + only_a) / n, (both + only_b) / n
    p_e = p_a * p_b + (1 - p_a) * (1 - p_b)
    print(f"  {theme:<11} writer: {both + only_a}  second reader: {both + only_b}  "
          f"Cohen's kappa {(p_o - p_e) / (1 - p_e):.3f}")
print()
for article, a, b in differ:
    print(f"  {article}: writer {a}, second reader {b}")
