#!/usr/bin/env python3
"""Classify a JSONL corpus with Apache Spark, one thematic process per partition.

Spark's RDD.pipe writes each partition's lines to a `thematic classify --input jsonl -`
process and reads its output lines back. Because thematic answers every input line with one
line, in order, the piped result must equal a direct single-process run line for line; this
script checks that, and reports both paths' throughput for each partition count.

Run it through examples/spark/run.sh, which installs pyspark.
"""
import argparse
import glob
import json
import os
import shlex
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def build_corpus(path, copies):
    """datasets/ passages as {"id", "text"} lines, repeated `copies` times; returns text bytes."""
    docs = []
    names = [
        name
        for part in ("train", "heldout")
        for name in glob.glob(os.path.join(ROOT, "datasets", part, "*.jsonl"))
    ]
    for name in sorted(names):
        with open(name, encoding="utf-8") as f:
            docs.extend(json.loads(line) for line in f if line.strip())
    size = 0
    with open(path, "w", encoding="utf-8") as out:
        for copy in range(copies):
            for d in docs:
                out.write(json.dumps({"id": f"{d['id']}#{copy}", "text": d["text"]}) + "\n")
                size += len(d["text"].encode())
    return size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--thematic", required=True)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--partitions", type=int, nargs="+", default=[4])
    args = parser.parse_args()

    from pyspark import SparkConf, SparkContext

    work = os.path.join(ROOT, "target", "spark")
    os.makedirs(work, exist_ok=True)
    corpus = os.path.join(work, "corpus.jsonl")
    text_bytes = build_corpus(corpus, args.copies)
    thematic = os.path.abspath(args.thematic)
    command = [thematic, "classify", "--input", "jsonl", "--format", "jsonl", "-"]

    start = time.perf_counter()
    with open(corpus, "rb") as source:
        direct = subprocess.run(command, stdin=source, capture_output=True, check=True).stdout
    direct_seconds = time.perf_counter() - start
    direct_lines = direct.decode().splitlines()
    print(f"corpus: {len(direct_lines)} documents, {text_bytes / 1e6:.1f} MB of text")
    print(f"direct run: {direct_seconds:.2f} s, {text_bytes / 1e6 / direct_seconds:.1f} MB/s")

    failures = 0
    for partitions in args.partitions:
        conf = (SparkConf().setMaster(f"local[{partitions}]").setAppName("thematic-pipe")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"))
        sc = SparkContext(conf=conf)
        sc.setLogLevel("ERROR")
        try:
            lines = sc.textFile(corpus, minPartitions=partitions)
            if lines.getNumPartitions() > partitions:
                # Merges neighbouring splits without a shuffle, so line order is kept.
                lines = lines.coalesce(partitions)
            # Each partition's lines go through one thematic process (one worker thread each,
            # since Spark runs `partitions` of them side by side).
            piped = lines.pipe(shlex.join([thematic, "classify", "--threads", "1", "--input",
                                           "jsonl", "--format", "jsonl", "-"]))
            output = os.path.join(work, f"output-{partitions}")
            shutil.rmtree(output, ignore_errors=True)
            start = time.perf_counter()
            piped.saveAsTextFile(output)
            seconds = time.perf_counter() - start
            got = []
            for part in sorted(glob.glob(os.path.join(output, "part-*"))):
                with open(part, encoding="utf-8") as f:
                    got.extend(f.read().splitlines())
            used = lines.getNumPartitions()
        finally:
            sc.stop()
        same = got == direct_lines
        failures += not same
        print(f"spark local[{partitions}], {used} partitions: {seconds:.2f} s, "
              f"{text_bytes / 1e6 / seconds:.1f} MB/s, "
              f"{'identical to the direct run' if same else 'DIFFERENT from the direct run'}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
