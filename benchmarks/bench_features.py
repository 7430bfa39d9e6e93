"""Throughput and memory of tokenization + framing lexicon counts, streamed one document at a time.

The corpus is the five seed articles (cleaned), replicated until the requested size:
replicated text, not generated. Replicated text flatters the two memories on the
hot path (whitespace chunk -> tokens, token type -> lexicon plan), because after the
first copy every chunk has been seen. ``--novel P`` therefore also replaces a share P
of each document's chunks by pseudo-words never seen before (``qbaf``, ``qbag``, ...),
so the vocabulary keeps growing as in a real stream. For English news, Heaps' law
(V = 44 N^0.49, lowercased types) gives about 2% new types per token averaged over
50 MB, so the default runs P = 0 and P = 0.02.

Documents are produced by a generator and never held together, so peak memory
should not grow with corpus size. Only tokenization, counting and the rate
denominator are timed, not the making of the documents.

    python benchmarks/bench_features.py              # 10 MB and 50 MB, novel 0 and 0.02
    python benchmarks/bench_features.py --mb 100 --novel 0.05
    python benchmarks/bench_features.py --sentences   # plus offsets, sentences, quotations

Prints the median of ``--repeat`` runs (MB/s, docs/s, peak resident memory) with the
range of MB/s, and, for calibration on a machine whose speed varies, scikit-learn's
CountVectorizer (unigrams) on the same text.
Target (issue #2): >= 10 MB/s on one core for tokenization + lexicon counts.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

from framing.documents.corpus import load_corpus
from framing.documents.tokens import tokenize
from framing.features.lexicon import count_document
from framing.lexicon.match import Matcher
from framing.lexicon.read import load_lexicon

ROOT = Path(__file__).resolve().parent.parent


def _pseudo_word(i: int) -> str:
    letters = "bcdfghjklmnprstvz"
    out = "q"
    while True:
        i, r = divmod(i, len(letters))
        out += letters[r]
        if not i:
            return out


def documents(target_bytes: int, *, novel: float = 0.0, seed: int = 0):
    """Seed texts replicated up to ``target_bytes``; a share ``novel`` of chunks made new words."""
    texts = load_corpus(ROOT / "seeds").documents["clean_text"].tolist()
    rng = random.Random(seed)
    produced = fresh = 0
    i = 0
    while produced < target_bytes:
        text = texts[i % len(texts)]
        if novel:
            chunks = text.split(" ")
            for j in range(len(chunks)):
                if rng.random() < novel:
                    chunks[j] = _pseudo_word(fresh)
                    fresh += 1
            text = " ".join(chunks)
        produced += len(text.encode("utf-8"))
        i += 1
        yield text


def run(megabytes: float, *, novel: float, sentences: bool) -> dict:
    matcher = Matcher(load_lexicon("framing"))
    totals: Counter = Counter()
    n_docs = n_bytes = n_tokens = n_words = 0
    elapsed = 0.0
    clock = time.perf_counter
    for text in documents(int(megabytes * 1e6), novel=novel):
        start = clock()
        doc = tokenize(text)
        if sentences:
            doc.sentences, doc.quotes, doc.starts  # what explain and stance need, computed once
        counts = count_document(doc, matcher)
        n_words += doc.n_words  # the denominator of every rate
        elapsed += clock() - start
        totals.update(counts)
        n_docs += 1
        n_bytes += len(text.encode("utf-8"))
        n_tokens += len(doc)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"MB": n_bytes / 1e6, "novel": novel, "docs": n_docs, "tokens": n_tokens, "seconds": elapsed,
            "MB/s": n_bytes / 1e6 / elapsed, "docs/s": n_docs / elapsed, "peak RSS MB": peak_mb,
            "matches": sum(totals.values())}


def count_vectorizer_reference(megabytes: float = 10) -> float:
    """MB/s of scikit-learn's CountVectorizer fitting unigrams on the same replicated text."""
    from sklearn.feature_extraction.text import CountVectorizer

    texts = list(documents(int(megabytes * 1e6)))
    start = time.perf_counter()
    CountVectorizer().fit_transform(texts)
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6 / (time.perf_counter() - start)


def keyness_scaling(copies: list[int]) -> None:
    """Keyness (g2, unigrams+bigrams, each outlet vs rest) on the seeds replicated k times."""
    import pandas as pd

    from framing.keywords.keyness import keyness

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


def long_document(sizes_kb: list[int]) -> None:
    """Stance on ONE long document full of quotations and questions (issue #17: this was
    quadratic, 34 s at 571 KB). Linear cost means s_per_MB stays flat as the size grows."""
    import pandas as pd

    from framing.features.stance import stance_features

    unit = 'He said “no” to the \'sham\' vote? They asked "why?" and left. '
    for kb in sizes_kb:
        text = unit * max(1, kb * 1000 // len(unit))
        corpus = load_corpus(pd.DataFrame({"text": [text]}), clean=False)
        start = time.perf_counter()
        stance_features(corpus)
        seconds = time.perf_counter() - start
        mb = len(text.encode("utf-8")) / 1e6
        print(f"stance, one document  KB={kb}  quotations={len(corpus.tokens['doc00001'].quotes):,}  "
              f"s={seconds:.2f}  s_per_MB={seconds / mb:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, nargs="*", default=[10, 50])
    parser.add_argument("--novel", type=float, nargs="*", default=[0.0, 0.02],
                        help="share of chunks replaced by never-seen words (default: 0 and 0.02)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each size; the median run is printed, with the range of MB/s (default: 3)")
    parser.add_argument("--keyness", type=int, nargs="*", default=[1, 10, 100], metavar="COPIES",
                        help="seed copies for the keyness scaling run (default: 1 10 100)")
    parser.add_argument("--long-document", type=int, nargs="*", default=[143, 571, 2000], metavar="KB",
                        help="sizes of one long quoted document for the stance row (default: 143 571 2000)")
    parser.add_argument("--sentences", action="store_true",
                        help="also compute offsets, sentences and quotations (what explain and stance need)")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    print(f"python {sys.version.split()[0]}; one process, one core; replicated seed text")
    for novel in args.novel:
        for mb in args.mb:
            runs = [run(mb, novel=novel, sentences=args.sentences) for _ in range(args.repeat)]
            r = sorted(runs, key=lambda x: x["MB/s"])[len(runs) // 2]  # the median run
            r["MB/s range"] = f"{min(x['MB/s'] for x in runs):.2f}-{max(x['MB/s'] for x in runs):.2f}"
            print("  ".join(f"{k}={v:,.2f}" if isinstance(v, float) else f"{k}={v:,}" if isinstance(v, int) else f"{k}={v}"
                            for k, v in r.items()))
    # last, so that the peak memory above is framing's own
    print(f"reference: scikit-learn CountVectorizer (unigrams) MB/s={count_vectorizer_reference():.2f}")
    keyness_scaling(args.keyness)
    long_document(args.long_document)


if __name__ == "__main__":
    main()
