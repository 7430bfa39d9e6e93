"""Throughput and memory of tokenization + framing lexicon counts, streamed one document at a time.

The corpus is the five seed articles (cleaned), replicated until the requested size:
replicated text, not generated. Documents are produced by a generator and never
held together, so peak memory should not grow with corpus size.

    python benchmarks/bench_features.py            # 10 MB and 50 MB
    python benchmarks/bench_features.py --mb 100
    python benchmarks/bench_features.py --sentences   # plus offsets, sentences, quotations

Prints MB/s, docs/s and peak resident memory for each size. Target (issue #2):
>= 10 MB/s on one core for tokenization + lexicon counts.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import Counter
from pathlib import Path

from framing.corpus import load_corpus
from framing.features.lexicon import count_document
from framing.lexicon import Matcher, load_lexicon
from framing.tokens import tokenize

ROOT = Path(__file__).resolve().parent.parent


def documents(target_bytes: int):
    texts = load_corpus(ROOT / "seeds").documents["clean_text"].tolist()
    produced = 0
    i = 0
    while produced < target_bytes:
        text = texts[i % len(texts)]
        produced += len(text.encode("utf-8"))
        i += 1
        yield text


def run(megabytes: float, *, sentences: bool) -> dict:
    matcher = Matcher(load_lexicon("framing"))
    totals: Counter = Counter()
    n_docs = n_bytes = n_tokens = 0
    start = time.perf_counter()
    for text in documents(int(megabytes * 1e6)):
        doc = tokenize(text)
        if sentences:
            doc.sentences, doc.quotes, doc.starts  # what explain and stance need, computed once
        totals.update(count_document(doc, matcher))
        n_docs += 1
        n_bytes += len(text.encode("utf-8"))
        n_tokens += len(doc)
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"MB": n_bytes / 1e6, "docs": n_docs, "tokens": n_tokens, "seconds": elapsed,
            "MB/s": n_bytes / 1e6 / elapsed, "docs/s": n_docs / elapsed, "peak RSS MB": peak_mb,
            "matches": sum(totals.values())}


def keyness_scaling(copies: list[int]) -> None:
    """Keyness (g2, unigrams+bigrams, each outlet vs rest) on the seeds replicated k times."""
    import pandas as pd

    from framing.keyness import keyness

    seeds = load_corpus(ROOT / "seeds").documents
    for k in copies:
        frame = pd.concat([seeds.assign(doc_id=seeds["doc_id"] + f"_{i}") for i in range(k)], ignore_index=True)
        corpus = load_corpus(frame[["doc_id", "outlet", "clean_text"]], text_col="clean_text", clean=False)
        start = time.perf_counter()
        corpus.tokens
        tokenized = time.perf_counter()
        table = keyness(corpus, "outlet", ngram_range=(1, 2))
        done = time.perf_counter()
        mb = frame["clean_text"].str.len().sum() / 1e6
        print(f"keyness  copies={k}  MB={mb:.2f}  docs={len(frame)}  rows={len(table):,}  "
              f"tokenize_s={tokenized - start:.3f}  keyness_s={done - tokenized:.3f}  "
              f"keyness_s_per_MB={(done - tokenized) / mb:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, nargs="*", default=[10, 50])
    parser.add_argument("--keyness", type=int, nargs="*", default=[1, 10, 100], metavar="COPIES",
                        help="seed copies for the keyness scaling run (default: 1 10 100)")
    parser.add_argument("--sentences", action="store_true",
                        help="also compute offsets, sentences and quotations (what explain and stance need)")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}; one process, one core; replicated seed text")
    for mb in args.mb:
        r = run(mb, sentences=args.sentences)
        print("  ".join(f"{k}={v:,.2f}" if isinstance(v, float) else f"{k}={v:,}" for k, v in r.items()))
    keyness_scaling(args.keyness)


if __name__ == "__main__":
    main()
