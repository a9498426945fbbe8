#!/usr/bin/env python3
"""Agreement of the two independent readings of datasets/realnews (theme labels), and how the
third reader settled the disagreements. Reproduces the figures in datasets/README.md:

    python3 datasets/tools/realnews_agreement.py
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "realnews"
THEMES = ["governance", "security", "economy"]

readings = [json.loads(line) for line in open(HERE / "readings.jsonl", encoding="utf-8")]
gold = {}
for split in ("dev", "test"):
    for line in open(HERE / f"{split}.jsonl", encoding="utf-8"):
        record = json.loads(line)
        gold[record["id"]] = set(record["labels"])

n = len(readings)
tp = fp = fn = exact = 0
for r in readings:
    a, b = set(r["reader_1"]), set(r["reader_2"])
    tp += len(a & b)
    fp += len(b - a)
    fn += len(a - b)
    exact += a == b
    final = set(r.get("third_reader", r["reader_1"]))
    assert final == gold[r["id"]], f"{r['id']}: labels differ from the readings"
    assert a == b or "third_reader" in r, f"{r['id']}: a disagreement nobody settled"
print(f"articles: {n}; read twice; the readers disagreed on {n - exact} ({(n - exact) / n:.1%}),"
      " settled by a third reader")
print(f"agreement between the two readers: micro-F1 {2 * tp / (2 * tp + fp + fn):.3f},"
      f" exact match {exact / n:.3f}")
for theme in THEMES:
    a = [theme in r["reader_1"] for r in readings]
    b = [theme in r["reader_2"] for r in readings]
    po = sum(x == y for x, y in zip(a, b)) / n
    pa, pb = sum(a) / n, sum(b) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    kappa = (po - pe) / (1 - pe)
    print(f"  {theme:<11} reader 1: {sum(a):>3}  reader 2: {sum(b):>3}  Cohen's kappa {kappa:.3f}")
