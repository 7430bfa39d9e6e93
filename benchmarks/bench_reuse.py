"""Text reuse at scale: time, memory, and precision/recall of planted passages (issue 13).

A generated corpus of ``--docs`` documents (default 100,000) of ``--words`` words each,
drawn from a Zipfian vocabulary of 50,000 words (so stock 5-grams of frequent words occur
by chance, as in real text), with ``--plants`` passages of 40 to 150 words copied from one
document into another; every other one lightly edited (two words changed, one inserted,
one dropped). A planted passage is found when a reported passage between the same two
documents covers at least 90% of it; a reported passage is correct when it is planted.

    python benchmarks/bench_reuse.py                 # 100,000 documents
    python benchmarks/bench_reuse.py --docs 10000    # quicker
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd

from framing.documents.corpus import load_corpus
from framing.features.reuse import reuse


def corpus_with_plants(n_docs: int, n_words: int, n_plants: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    vocabulary = np.array([f"w{i}" for i in range(50_000)])
    weights = 1.0 / np.arange(1, len(vocabulary) + 1)
    weights /= weights.sum()
    docs = [list(vocabulary[rng.choice(len(vocabulary), size=n_words, p=weights)]) for _ in range(n_docs)]
    plants = []
    pairs = rng.choice(n_docs, size=(n_plants, 2), replace=False) if n_plants * 2 <= n_docs else None
    for k, (source, target) in enumerate(pairs):
        length = int(rng.integers(40, 151))
        start = int(rng.integers(0, n_words - length))
        copied = list(docs[source][start : start + length])
        if k % 2:
            for i in rng.choice(np.arange(3, length - 3), size=2, replace=False):
                copied[i] = "edited"
            copied.insert(int(rng.integers(5, length - 5)), "inserted")
            del copied[int(rng.integers(5, length - 5))]
        at = int(rng.integers(0, n_words))
        docs[target][at:at] = copied
        plants.append((f"d{source:06d}", f"d{target:06d}", at, len(copied)))
    table = pd.DataFrame({"doc_id": [f"d{i:06d}" for i in range(n_docs)], "text": [" ".join(d) for d in docs]})
    return table, plants


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--words", type=int, default=200)
    parser.add_argument("--plants", type=int, default=1_000)
    args = parser.parse_args()
    table, plants = corpus_with_plants(args.docs, args.words, args.plants)
    start = time.perf_counter()
    corpus = load_corpus(table, clean=False)
    loaded = time.perf_counter()
    passages = reuse(corpus)
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    words = {d: corpus.tokens[d] for d in {p[1] for p in plants}}
    found = 0
    for source, target, at, length in plants:
        doc = words[target]
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
    print(f"{args.docs:,} documents of {args.words} words, {len(plants)} planted passages (half edited)")
    print(f"load + tokenize: {loaded - start:.1f} s; reuse: {done - loaded:.1f} s; peak RSS {peak:,.0f} MB")
    print(f"recall {found / len(plants):.3f} ({found}/{len(plants)}); precision "
          f"{correct / len(passages) if len(passages) else float('nan'):.3f} ({correct}/{len(passages)} passages)")


if __name__ == "__main__":
    main()
