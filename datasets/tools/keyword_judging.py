#!/usr/bin/env python3
"""The blind keyword A/Bs of README ("Keywords"): for real-news articles (of the test half; in
rounds 4 to 6 of the dev half outside the keyphrase set too), two judges saw thematic's and
YAKE's 8 keywords as List A and List B in random order (the method of each is recorded here, not
shown to them), struck terms, scored each list 1-5 and chose the better. Prints the summary
table of one round, and thematic's scores by list length and struck terms: round 1 (80 articles,
the default) is datasets/realnews/keyword-judging.jsonl, round 2 (64 other articles, after the
keyword changes that round 1's struck terms suggested) keyword-judging-2.jsonl, round 3 (64
more, after keywords far below a document's best were left out, so thematic's lists hold 4 to 8)
keyword-judging-3.jsonl, round 4 (64 more: the 21 test-half articles left and 43 dev-half
articles outside the keyphrase set, after names were kept whole in more shapes)
keyword-judging-4.jsonl, round 5 (64 more dev-half articles outside the keyphrase set and every
earlier round, after names run into prose, bodies' names, initials and cited outlets were
handled) keyword-judging-5.jsonl, round 6 (64 more such dev-half articles, after five keywords
were always listed and surnames counted for full names) keyword-judging-6.jsonl, round 7 (64
Wikinews articles from outside the real-news set, in keyword-judging-7-articles.jsonl, never used
to tune) keyword-judging-7.jsonl, round 8 (64 other such articles, in
keyword-judging-8-articles.jsonl, after verbs in lower case broke phrases) keyword-judging-8.jsonl,
round 9 (64 more such articles, in keyword-judging-9-articles.jsonl, after plurals counted with
their singulars and "for" joined short names) keyword-judging-9.jsonl, round 10 (64 more such
articles, in keyword-judging-10-articles.jsonl, after captions, passing one-word names, given
names and the IDF of recurring lowercase phrases were handled; the judges' instructions are in
keyword-judging-instructions.md) keyword-judging-10.jsonl, round 11 (64 more such articles, in
keyword-judging-11-articles.jsonl, after the review fixes that followed round 10; the same
instructions) keyword-judging-11.jsonl.

    python3 datasets/tools/keyword_judging.py            # round 1
    python3 datasets/tools/keyword_judging.py 2          # round 2
    python3 datasets/tools/keyword_judging.py 3          # round 3
    python3 datasets/tools/keyword_judging.py 4          # round 4
    python3 datasets/tools/keyword_judging.py 5          # round 5
    python3 datasets/tools/keyword_judging.py 6          # round 6
    python3 datasets/tools/keyword_judging.py 7          # round 7
    python3 datasets/tools/keyword_judging.py 8          # round 8
    python3 datasets/tools/keyword_judging.py 9          # round 9
    python3 datasets/tools/keyword_judging.py 10         # round 10
    python3 datasets/tools/keyword_judging.py 11         # round 11

With `--now BINARY` after the round, it also says how BINARY's lists (8 keywords, the default
relevance cut) differ from the judged ones: lists that change, terms that leave them (and how
many of those both judges struck) and terms that enter, unjudged.

    python3 datasets/tools/keyword_judging.py 6 --now target/release/thematic
"""
import json
import statistics
import sys
from pathlib import Path

args = sys.argv[1:]
now = None
if "--now" in args:
    at = args.index("--now")
    now = args[at + 1]
    del args[at:at + 2]
round_suffix = "" if not args or args[0] == "1" else f"-{args[0]}"
path = Path(__file__).resolve().parent.parent / "realnews" / f"keyword-judging{round_suffix}.jsonl"
records = [json.loads(line) for line in open(path, encoding="utf-8")]
texts = {}
# Rounds 7 to 11's articles are not in the real-news halves: they come with them.
sources = [path.parent / "dev.jsonl", path.parent / "test.jsonl"]
sources += sorted(path.parent.glob("keyword-judging-*-articles.jsonl"))
for source in sources:
    for line in open(source, encoding="utf-8"):
        record = json.loads(line)
        texts[record["id"]] = record["text"]
print(f"{len(records)} articles; thematic keywords verbatim in their article: "
      f"{sum(k in texts[r['id']] for r in records for s in 'AB' if r['method_' + s] == 'thematic' for k in r['list_' + s])}"
      f" of {sum(len(r['list_' + s]) for r in records for s in 'AB' if r['method_' + s] == 'thematic')}")
print()
length = {m: statistics.mean(len(r["list_" + s]) for r in records for s in "AB"
                             if r["method_" + s] == m) for m in ("thematic", "yake")}
print(f"keywords per list: thematic {length['thematic']:.2f}, YAKE {length['yake']:.2f}")
print()
print("| judge | thematic better | YAKE better | tie | mean score thematic | mean score YAKE "
      "| struck per list, thematic | struck per list, YAKE |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for n, judge in enumerate(("judge_1", "judge_2"), 1):
    better = {"thematic": 0, "yake": 0, "tie": 0}
    score = {"thematic": [], "yake": []}
    struck = {"thematic": [], "yake": []}
    for r in records:
        j = r[judge]
        for side in "AB":
            method = r["method_" + side]
            score[method].append(j["score_" + side])
            struck[method].append(len(j["struck_" + side]))
        better[r["method_" + j["better"]] if j["better"] in "AB" else "tie"] += 1
    mean = statistics.mean
    print(f"| {n} | {better['thematic']} | {better['yake']} | {better['tie']} "
          f"| {mean(score['thematic']):.2f} | {mean(score['yake']):.2f} "
          f"| {mean(struck['thematic']):.2f} | {mean(struck['yake']):.2f} |")
print()
print("thematic's scores by list length and struck terms (both judges' judgements):")
print()
print("| list | nothing struck | one struck | two or more struck |")
print("|---|---:|---:|---:|")
for short in (True, False):
    cells = []
    for struck_count in (0, 1, 2):
        scores = [r[judge]["score_" + side] for r in records for side in "AB"
                  if r["method_" + side] == "thematic"
                  and (len(r["list_" + side]) <= 4) == short
                  for judge in ("judge_1", "judge_2")
                  if min(len(r[judge]["struck_" + side]), 2) == struck_count]
        cells.append(f"{statistics.mean(scores):.2f} ({len(scores)})" if scores else "")
    print(f"| {'4 or fewer' if short else '5 to 8'} | " + " | ".join(cells) + " |")

if now:
    sys.path.insert(0, str(path.parent.parent.parent / "benches"))
    from keywords import thematic  # noqa: E402  (the keyword bench's runner)

    articles = [{"id": r["id"], "text": texts[r["id"]]} for r in records]
    changed = left = left_struck = entered = 0
    for r, listed in zip(records, thematic(now, articles, 8)):
        side = "A" if r["method_A"] == "thematic" else "B"
        judged = r["list_" + side]
        struck = set(r["judge_1"]["struck_" + side]) & set(r["judge_2"]["struck_" + side])
        gone, new = set(judged) - set(listed), set(listed) - set(judged)
        changed += bool(gone or new)
        left += len(gone)
        left_struck += len(gone & struck)
        entered += len(new)
    print()
    print(f"{now} now: {changed} of {len(records)} lists hold other terms; {left} terms leave "
          f"them, {left_struck} of which both judges struck; {entered} enter, unjudged")
