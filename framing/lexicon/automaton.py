"""A compiled matcher: the lexicon's words found by an Aho-Corasick automaton (``ahocorasick_rs``)
over each document's tokens joined by a separator, then resolved by the same rules as
:class:`framing.lexicon.match.Matcher` (its reference), which a property test holds it equal to.

Each entry (term, its hyphenated form, exclusion) becomes one needle: its words up to and
including its first ``*`` word, each exact word closed by the separator on both sides (so a
needle can start and end only on token boundaries), the ``*`` word open at its end. What a
needle cannot say (a ``*`` word must be a word token; the words after the first ``*`` word)
is checked token by token. Case-sensitive entries are looked for in the surfaces, the others
in the matching keys (:func:`~framing.documents.tokens.normalize_token`).

Measured on 12.5 MB of real news, one core (``benchmarks/bench_matching.py``), the libraries
alone report every overlapping match of the needles at 100-190 MB/s (``ahocorasick_rs``) and
90-140 MB/s (``pyahocorasick``) with 100 to 1,000 terms, and about 40 MB/s each with 10,000;
``ahocorasick_rs`` is the one used: it returns all matches as indexes in one call, where
``pyahocorasick`` needs a loop in Python over its iterator, and it ships wheels for every
platform we support. But each match must still be mapped to its token, checked and resolved
in Python: the whole :meth:`find` runs at 15 MB/s with 1,000 terms and 2.7 MB/s with 10,000,
where the default matcher's type plans find at 17 and 5.3 MB/s and count, over token types
rather than occurrences, at 33 and 10 MB/s. So the type plans stay the default and this
matcher is an interchangeable alternative (``pip install "framing[automaton]"``), held equal
to them by property tests, for whoever finds it faster on their lexicon.
"""

from __future__ import annotations

import numpy as np

from framing.documents.tokens import TokenizedText, is_word_token
from framing.errors import FramingError
from framing.lexicon.match import Match, Matcher, resolve

SEPARATOR = "\x1f"
"""Joins the tokens of a document for the automaton (a token holding it is matched by the reference)."""


class AutomatonMatcher(Matcher):
    """:class:`~framing.lexicon.match.Matcher` with its candidates found by an Aho-Corasick automaton.

    Same constructor, same :meth:`find` and :meth:`count` results (a property test holds them
    equal on generated lexicons and texts, on the seeds and on real news).

    Examples
    --------
    >>> from framing.documents.tokens import tokenize
    >>> from framing.lexicon.read import lexicon_from_mapping
    >>> lex = lexicon_from_mapping("t", {"vote": ["sham election*", "election*"], "fraud": ["sham"]})
    >>> doc = tokenize("Sham elections, not elections.")
    >>> AutomatonMatcher(lex).find(doc) == Matcher(lex).find(doc), AutomatonMatcher(lex, overlap="none").count(doc)
    (True, [2, 0])
    """

    def __init__(self, lexicon, *, overlap: str | None = None, cache_size: int = 200_000):
        super().__init__(lexicon, overlap=overlap, cache_size=cache_size)
        if self._stem is not None:
            raise FramingError(f"lexicon '{lexicon.name}' is stemmed ([meta] stem): match it with Matcher, whose words "
                               "are looked up by their stems; the automaton matches them as written")
        import ahocorasick_rs  # imported here: only this matcher needs it

        needles: dict[tuple[bool, str], list[tuple[int, int]]] = {}  # (case sensitive, needle) -> [(entry, words in it)]
        for k, (_, _, term, _) in enumerate(self._entries):
            parts, covered = [], 0
            for word in term.tokens:
                covered += 1
                parts.append(word.text)
                if word.prefix:
                    break
            closed = not term.tokens[covered - 1].prefix
            needle = SEPARATOR + SEPARATOR.join(parts) + (SEPARATOR if closed else "")
            simple = closed and covered == len(term.tokens)  # the needle says it all: nothing left to check
            needles.setdefault((term.case_sensitive, needle), []).append((k, covered, simple))
        self._automata = {}
        for sensitive in (False, True):
            mine = [(needle, entries) for (cs, needle), entries in needles.items() if cs == sensitive]
            if mine:
                self._automata[sensitive] = (
                    ahocorasick_rs.AhoCorasick([needle for needle, _ in mine]),
                    [entries for _, entries in mine],
                )

    def _candidates(self, doc: TokenizedText) -> dict[int, list[int]] | None:
        """Start token -> entries (in entry order) that match there; None when a token holds the separator."""
        found: dict[int, set[int]] = {}
        for sensitive, (automaton, entries_of) in self._automata.items():
            words = doc.words if sensitive else doc.lower
            haystack = SEPARATOR + SEPARATOR.join(words) + SEPARATOR
            if haystack.count(SEPARATOR) != len(words) + 1:
                return None
            # the haystack offset of each token's leading separator, as an array searched per match
            width = np.fromiter(map(len, words), np.int64, len(words)) + 1  # a token and the separator before it
            leading = np.cumsum(width) - width
            hits = automaton.find_matches_as_indexes(haystack, overlapping=True)
            if not hits:
                continue
            needles, begins, _ = zip(*hits)
            for needle, i in zip(needles, np.searchsorted(leading, begins).tolist()):
                for k, covered, simple in entries_of[needle]:
                    if simple or self._rest(k, doc, i, covered):
                        found.setdefault(i, set()).add(k)
        return {i: sorted(ks) for i, ks in sorted(found.items())}

    def _rest(self, k: int, doc: TokenizedText, i: int, covered: int) -> bool:
        """Entry ``k`` at token ``i``, its first ``covered`` words found by the automaton: does the rest match?"""
        term = self._entries[k][2]
        n = len(term.tokens)
        if i + n > len(doc):
            return False
        if term.tokens[covered - 1].prefix and not is_word_token(doc.words[i + covered - 1]):
            return False
        return all(term.matches_token(j, doc.words[i + j], doc.lower[i + j]) for j in range(covered, n))

    def find(self, doc: TokenizedText) -> list[Match]:
        candidates = self._candidates(doc)
        if candidates is None:
            return super().find(doc)
        return resolve(((i, ks, None) for i, ks in candidates.items()), self._entries, self._lengths, self.overlap)

    def count(self, doc: TokenizedText) -> list[int]:
        counts = [0] * len(self.lexicon.categories)
        for m in self.find(doc):
            counts[m.category] += 1
        return counts
