"""Stories at scale: time and memory of grouping generated documents into stories (issue 26).

A year of generated news: ``--docs`` documents (default 100,000) of 150 words, each drawn from a
Zipfian vocabulary of 50,000 words plus 30 words of its own event; events last 1 to 4 days and
are covered by 1 to 8 documents of different outlets. The cost should grow with the documents
(and the documents of a window), not with their square: run it at several sizes and compare.

    python benchmarks/bench_stories.py                       # 100,000 documents
    python benchmarks/bench_stories.py --docs 10000 30000    # several sizes, one line each
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd

from framing.documents.corpus import load_corpus
from framing.features.stories import stories


def year_of_news(n_docs: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    vocabulary = np.array([f"w{i}" for i in range(50_000)])
    weights = 1.0 / np.arange(1, len(vocabulary) + 1)
    weights /= weights.sum()
    rows, event = [], 0
    while len(rows) < n_docs:
        day = int(rng.integers(0, 365))
        own = [f"e{event}x{k}" for k in range(40)]
        for _ in range(int(rng.integers(1, 9))):
            words = list(rng.choice(vocabulary, 150, p=weights)) + list(rng.choice(own, 30))
            rng.shuffle(words)
            date = pd.Timestamp("2021-01-01") + pd.Timedelta(days=day + int(rng.integers(0, 4)))
            rows.append((f"d{len(rows)}", f"outlet{int(rng.integers(0, 20))}", str(date.date()), " ".join(words)))
        event += 1
    return pd.DataFrame(rows[:n_docs], columns=["doc_id", "outlet", "date", "text"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, nargs="+", default=[100_000])
    args = parser.parse_args()
    for n in args.docs:
        frame = year_of_news(n)
        start = time.perf_counter()
        corpus = load_corpus(frame, clean=False)
        loaded = time.perf_counter()
        result = stories(corpus, by="outlet", time="date")
        done = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        multi = int((result.table["size"] > 1).sum())
        print(f"{n:,} documents: load {loaded - start:.1f} s; stories {done - loaded:.1f} s "
              f"({(done - loaded) / n * 1e6:.0f} us per document); {multi:,} stories of 2+ documents; peak RSS {peak:,.0f} MB")


if __name__ == "__main__":
    main()
