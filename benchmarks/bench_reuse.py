"""Text reuse at scale: time, memory, and precision/recall of planted passages (issues 13 and 28).

A generated corpus of ``--docs`` documents (default 100,000) of ``--words`` words each,
drawn from a Zipfian vocabulary of 50,000 words (so stock 5-grams of frequent words occur
by chance, as in real text), with ``--plants`` passages of 40 to 150 words copied from one
document into another; every other one lightly edited (two words changed, one inserted,
one dropped). A planted passage is found when a reported passage between the same two
documents covers at least 90% of it; a reported passage is correct when it is planted.

The corpus is written to a CSV file, then ``framing reuse`` runs on it as a user runs it:
a whole process, whose time and peak memory are measured. ``--in-memory`` also runs
``reuse(load_corpus(...))`` in another process and checks that it finds the very same
passages (issue 28: streaming must not change a passage).

    python benchmarks/bench_reuse.py                            # 100,000 documents
    python benchmarks/bench_reuse.py --docs 100000 --in-memory  # and the same passages in memory
    python benchmarks/bench_reuse.py --docs 1000000             # the streamed million (target: < 2 GB)
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

VOCABULARY = 50_000


def _base(seed: int, i: int, n_words: int, cdf: np.ndarray) -> list[str]:
    """Document ``i``'s own words: Zipfian draws, the same for the same seed and i."""
    draws = np.searchsorted(cdf, np.random.default_rng([seed, i]).random(n_words), side="right")
    return [f"w{k}" for k in np.minimum(draws, VOCABULARY - 1)]


def write_corpus(path: Path, n_docs: int, n_words: int, n_plants: int, seed: int = 0):
    """Write the corpus, document by document, and return the plants
    ``(source id, target id, word position in target, words)``."""
    weights = 1.0 / np.arange(1, VOCABULARY + 1)
    cdf = np.cumsum(weights / weights.sum())
    rng = np.random.default_rng(seed)
    pairs = rng.choice(n_docs, size=(n_plants, 2), replace=False)  # every document in at most one plant
    inserts, plants = {}, []
    for k, (source, target) in enumerate(pairs):
        length = int(rng.integers(40, 151))
        start = int(rng.integers(0, n_words - length))
        copied = _base(seed, int(source), n_words, cdf)[start : start + length]
        if k % 2:
            for i in rng.choice(np.arange(3, length - 3), size=2, replace=False):
                copied[i] = "edited"
            copied.insert(int(rng.integers(5, length - 5)), "inserted")
            del copied[int(rng.integers(5, length - 5))]
        at = int(rng.integers(0, n_words))
        inserts[int(target)] = (at, copied)
        plants.append((f"d{source:07d}", f"d{target:07d}", at, len(copied)))
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["doc_id", "text"])
        for i in range(n_docs):
            words = _base(seed, i, n_words, cdf)
            if i in inserts:
                at, copied = inserts[i]
                words[at:at] = copied
            writer.writerow([f"d{i:07d}", " ".join(words)])
    return plants


def _score(passages: pd.DataFrame, plants, path: Path) -> tuple[int, int]:
    """Planted passages found (a passage between the same documents covering 90% of it) and correct passages."""
    from framing.documents.tokens import tokenize

    targets = {p[1] for p in plants}
    texts = {}
    for chunk in pd.read_csv(path, chunksize=100_000):
        chunk = chunk[chunk["doc_id"].isin(targets)]
        texts.update(zip(chunk["doc_id"], chunk["text"]))
    found = 0
    for source, target, at, length in plants:
        doc = tokenize(texts[target])
        first, last = doc.starts[at], doc.ends[at + length - 1]
        rows = passages[((passages["doc_a"] == source) & (passages["doc_b"] == target))
                        | ((passages["doc_a"] == target) & (passages["doc_b"] == source))]
        for row in rows.itertuples(index=False):
            s, e = (row.start_b, row.end_b) if row.doc_b == target else (row.start_a, row.end_a)
            if max(0, min(e, last) - max(s, first)) >= 0.9 * (last - first):
                found += 1
                break
    planted_pairs = {frozenset(p[:2]) for p in plants}
    correct = sum(frozenset((a, b)) in planted_pairs for a, b in passages[["doc_a", "doc_b"]].itertuples(index=False))
    return found, correct


def _timed(command: list[str]) -> tuple[float, float]:
    """Run a whole process; its wall time (s) and its own peak resident memory (MB)."""
    start = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"{' '.join(command[:4])} ... failed ({process.returncode})")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--words", type=int, default=200)
    parser.add_argument("--plants", type=int, default=1_000)
    parser.add_argument("--in-memory", action="store_true", help="also run reuse on the loaded corpus and compare")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reuse-") as folder:
        corpus, streamed = Path(folder) / "corpus.csv", Path(folder) / "streamed.csv"
        start = time.perf_counter()
        plants = write_corpus(corpus, args.docs, args.words, args.plants)
        print(f"{args.docs:,} documents of {args.words} words ({corpus.stat().st_size / 1e6:,.0f} MB), "
              f"{len(plants)} planted passages (half edited); written in {time.perf_counter() - start:.0f} s")
        seconds, peak = _timed([sys.executable, "-m", "framing", "reuse", str(corpus), "--no-clean", "-o", str(streamed)])
        passages = pd.read_csv(streamed, keep_default_na=False)
        found, correct = _score(passages, plants, corpus)
        print(f"framing reuse (streamed): {seconds:.0f} s, peak RSS {peak:,.0f} MB (target for 1,000,000 documents: < 2,048)")
        print(f"  recall {found / len(plants):.3f} ({found}/{len(plants)}); precision "
              f"{correct / len(passages) if len(passages) else float('nan'):.3f} ({correct}/{len(passages)} passages)")
        if args.in_memory:
            loaded = Path(folder) / "loaded.csv"
            code = ("import sys; from framing.documents.corpus import load_corpus; from framing.features.reuse import reuse; "
                    "reuse(load_corpus(sys.argv[1], clean=False)).to_csv(sys.argv[2], index=False)")
            seconds, peak = _timed([sys.executable, "-c", code, str(corpus), str(loaded)])
            same = pd.read_csv(loaded, keep_default_na=False).equals(passages)
            print(f"reuse(load_corpus(...)) in memory: {seconds:.0f} s, peak RSS {peak:,.0f} MB; "
                  f"same passages as streamed: {'yes' if same else 'NO'}")
            if not same:
                sys.exit(1)


if __name__ == "__main__":
    main()
