#!/usr/bin/env python3
"""Agreement of the two independent readings of datasets/realnews (theme labels), and how the
third reader settled the disagreements. Reproduces the figures in datasets/README.md:

    python3 datasets/tools/realnews_agreement.py
"""
import json
from pathlib import Path

from agreement import agreement

HERE = Path(__file__).resolve().parent.parent / "realnews"

readings = [json.loads(line) for line in open(HERE / "readings.jsonl", encoding="utf-8")]
gold = {}
for split in ("dev", "test"):
    for line in open(HERE / f"{split}.jsonl", encoding="utf-8"):
        record = json.loads(line)
        gold[record["id"]] = set(record["labels"])

n = len(readings)
for r in readings:
    final = set(r.get("third_reader", r["reader_1"]))
    assert final == gold[r["id"]], f"{r['id']}: labels differ from the readings"
    assert set(r["reader_1"]) == set(r["reader_2"]) or "third_reader" in r, \
        f"{r['id']}: a disagreement nobody settled"
pairs = [(set(r["reader_1"]), set(r["reader_2"])) for r in readings]
micro_f1, exact, themes = agreement(pairs)
disagreed = sum(a != b for a, b in pairs)
print(f"articles: {n}; read twice; the readers disagreed on {disagreed} ({disagreed / n:.1%}),"
      " settled by a third reader")
print(f"agreement between the two readers: micro-F1 {micro_f1:.3f}, exact match {exact:.3f}")
for theme, first, second, kappa in themes:
    print(f"  {theme:<11} reader 1: {first:>3}  reader 2: {second:>3}  Cohen's kappa {kappa:.3f}")
