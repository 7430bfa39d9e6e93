"""The matcher: every lexicon match in a tokenized text, by the rules of the term grammar
(:mod:`framing.lexicon.model`): longest match first within a category, exclusions, the hyphen
rule, and a memory of token types so that a corpus is matched in one pass per document."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from itertools import compress, filterfalse
from typing import NamedTuple

from framing.documents.tokens import TokenizedText, is_word_token, normalize_token
from framing.lexicon.model import (
    STEMMERS,
    Lexicon,
    Term,
    check_overlap,
    hyphen_variant,
    hyphenated,
    overlap_policy,
    stemming,
)


class Match(NamedTuple):
    """A match of a term: category index, term index in that category, token span [start, end)."""

    category: int
    term: int
    start: int
    end: int


class _Plan(NamedTuple):
    """What one token type can do, for every entry of a lexicon (entries as in :class:`Matcher`)."""

    starts: tuple[int, ...]  # entries whose first word matches the type, in entry order
    singles: tuple[tuple[int, int], ...]  # (category, term) the type counts for when standing alone
    categories: tuple[int, ...]  # the categories of ``singles``
    multi: tuple[tuple[int, int, bool, int], ...]  # (entry, category, exclusion, length) of the multiword entries it starts
    fills: frozenset[tuple[int, int]]  # (entry, position >= 1) whose word matches the type


_NO_PLAN = _Plan((), (), (), (), frozenset())


class _Memory(NamedTuple):
    """What a :class:`Matcher` remembers of the token types it has seen. It is replaced
    whole when full, so a count that started with one memory finishes with it."""

    plans: dict[str, _Plan]
    hits: set[str]  # the types whose plan is not empty
    starting: set[str]  # ... that can start a multiword entry
    filling: set[str]  # ... that can fill a later word of one

    @classmethod
    def empty(cls) -> "_Memory":
        return cls({}, set(), set(), set())


class Matcher:
    """Finds every lexicon match in a tokenized text (see the module docstring for the rules),
    overlapping ones kept as ``overlap`` says (default: the lexicon's ``[meta] overlap``, else
    ``"category"``; :func:`resolve`).

    Build once per lexicon, then call :meth:`find` or :meth:`count` for each document.
    It remembers, per token type, which words of which terms the type matches (at
    most ``cache_size`` types; the memory is emptied when full), so it can be reused
    across documents and never changes a result.

    Examples
    --------
    >>> from framing.documents.tokens import tokenize
    >>> from framing.lexicon.read import lexicon_from_mapping
    >>> lex = lexicon_from_mapping("t", {"vote": ["sham election*", "election*"]})
    >>> doc = tokenize("Sham elections, not elections.")
    >>> [(m.start, m.end) for m in Matcher(lex).find(doc)]
    [(0, 2), (4, 5)]
    >>> Matcher(lex).count(doc)
    [2]
    """

    def __init__(self, lexicon: Lexicon, *, overlap: str | None = None, cache_size: int = 200_000):
        self.lexicon = lexicon
        self.overlap = overlap_policy(lexicon) if overlap is None else check_overlap(overlap)
        self.cache_size = cache_size
        # every (category, term, is_exclusion) in one list
        self._entries: list[tuple[int, int, Term, bool]] = []
        hyphens = hyphenated(lexicon)
        for ci, cat in enumerate(lexicon.categories):
            for ti, term in enumerate(cat.terms):
                self._entries.append((ci, ti, term, False))
                if hyphens and (joined := hyphen_variant(term)) is not None:
                    self._entries.append((ci, ti, joined, False))
            for term in cat.exclude:
                self._entries.append((ci, -1, term, True))
                if hyphens and (joined := hyphen_variant(term)) is not None:
                    self._entries.append((ci, -1, joined, True))
        self._lengths = [len(term.tokens) for _, _, term, _ in self._entries]
        self._category_of = [(ci, excl) for ci, _, _, excl in self._entries]
        # the (entry, position) pairs that the words after an entry's first must fill
        self._needs = [tuple((k, j) for j in range(1, n)) for k, n in enumerate(self._lengths)]
        # every word of every entry, by (case_sensitive, prefix): word text -> [(entry, position)]
        self._index: dict[tuple[bool, bool], dict[str, list[tuple[int, int]]]] = {
            (cs, pre): defaultdict(list) for cs in (False, True) for pre in (False, True)
        }
        for k, (_, _, term, _) in enumerate(self._entries):
            for j, word in enumerate(term.tokens):
                self._index[term.case_sensitive, word.prefix][word.text].append((k, j))
        # every beginning of every ``*`` word, so a type is looked up only while some could still match
        self._beginnings = {
            cs: {text[:end] for text in self._index[cs, True] for end in range(1, len(text) + 1)} for cs in (False, True)
        }
        self._has_case_sensitive = any(term.case_sensitive for _, _, term, _ in self._entries)
        self._memory = _Memory.empty()
        self._stem = _stemmer(lexicon) if stemming(lexicon) else None
        if self._stem is not None:  # exact case-insensitive words are looked up by their stem
            exact = self._index[False, False]
            self._index[False, False] = stemmed = defaultdict(list)
            for text, pairs in exact.items():
                stemmed[self._stem(text)].extend(pairs)

    def _plan(self, surface: str) -> _Plan:
        """Which words of which entries the token type ``surface`` matches.

        Looks the type up in the word index (exact words directly, ``*`` words by each
        prefix of the type); a test holds it equal to :meth:`Term.matches_token`.
        """
        word = is_word_token(surface)
        key = normalize_token(surface)
        pairs = self._lookup(key, case_sensitive=False, prefixes=word,
                             exact=self._stem(key) if self._stem is not None and word else None)
        if self._has_case_sensitive:
            pairs += self._lookup(surface, case_sensitive=True, prefixes=word)
        if not pairs:
            return _NO_PLAN
        starts = sorted(k for k, j in pairs if j == 0)
        best: dict[int, tuple[bool, int]] = {}  # category -> (exclusion, term) of single-word entries
        for k in starts:
            ci, ti, _, excl = self._entries[k]
            if self._lengths[k] == 1 and (ci not in best or (excl and not best[ci][0])):
                best[ci] = (excl, ti)
        singles = tuple((ci, ti) for ci, (excl, ti) in sorted(best.items()) if not excl)
        return _Plan(
            starts=tuple(starts),
            singles=singles,
            categories=tuple(ci for ci, _ in singles),
            multi=tuple(
                (k, *self._category_of[k], self._lengths[k]) for k in starts if self._lengths[k] > 1
            ),
            fills=frozenset((k, j) for k, j in pairs if j > 0),
        )

    def _lookup(self, text: str, *, case_sensitive: bool, prefixes: bool, exact: str | None = None) -> list[tuple[int, int]]:
        """The (entry, position) pairs whose word is ``text`` (``exact``: its stem, for a stemmed lexicon), or
        (with ``prefixes``) a ``*`` word ``text`` starts with."""
        pairs = list(self._index[case_sensitive, False].get(text if exact is None else exact, ()))
        if not prefixes:
            return pairs
        prefix, beginnings = self._index[case_sensitive, True], self._beginnings[case_sensitive]
        for end in range(1, len(text) + 1):  # walk down the ``*`` words as down a trie
            head = text[:end]
            if head not in beginnings:
                break
            pairs.extend(prefix.get(head, ()))
        return pairs

    def _learn(self, types) -> tuple[_Memory, set[str]]:
        """Plan every type of a document not yet seen. Returns the memory that now holds
        them all, and the document's types whose plan is not empty."""
        memory = self._memory
        new = list(filterfalse(memory.plans.__contains__, types))
        if new:
            if len(memory.plans) + len(new) > self.cache_size:
                memory = self._memory = _Memory.empty()
                new = list(types)
            for surface in new:
                plan = memory.plans[surface] = self._plan(surface)
                if plan is not _NO_PLAN:
                    memory.hits.add(surface)
                    if plan.multi:
                        memory.starting.add(surface)
                    if plan.fills:
                        memory.filling.add(surface)
        return memory, memory.hits.intersection(types)

    def _rest_matches(self, plans: dict[str, _Plan], k: int, words: tuple[str, ...], i: int) -> bool:
        """Do the words after the first of entry ``k`` match the tokens after ``words[i]``?"""
        if i + self._lengths[k] > len(words):
            return False
        for pair in self._needs[k]:
            i += 1
            if pair not in plans[words[i]].fills:
                return False
        return True

    def count(self, doc: TokenizedText) -> list[int]:
        """Number of matches per category (by index): the same numbers as counting :meth:`find`, faster.

        Single-word matches are counted over token types. Multiword terms and
        exclusions are looked for only where all their words occur in the document,
        and only at the positions of their first word, to apply longest-match and the
        one-count-per-token rule there. A property test holds it equal to :meth:`find`.
        """
        if self.overlap != "category":  # counted from the matches the policy keeps
            counts = [0] * len(self.lexicon.categories)
            for m in self.find(doc):
                counts[m.category] += 1
            return counts
        types = doc.type_counts
        memory, hits = self._learn(types.keys())
        plans = memory.plans
        counts = [0] * len(self.lexicon.categories)
        for surface in hits:
            categories = plans[surface].categories
            if categories:
                n = types[surface]
                for ci in categories:
                    counts[ci] += n
        starting = memory.starting.intersection(hits)
        if not starting:
            return counts
        # a multiword entry can match only if each of its later words matches a type present
        filled = set().union(*[plans[w].fills for w in memory.filling.intersection(hits)])
        live = {}
        for surface in starting:
            entries = [entry for entry in plans[surface].multi if filled.issuperset(self._needs[entry[0]])]
            if entries:
                live[surface] = entries
        if not live:
            return counts
        words = doc.words
        blocked: dict[int, int] = {}
        for i in compress(range(len(words)), map(live.__contains__, words)):
            best: dict[int, tuple[int, bool]] = {}  # category -> (length, exclusion), multiword only
            for k, ci, excl, length in live[words[i]]:
                if blocked.get(ci, 0) > i or not self._rest_matches(plans, k, words, i):
                    continue
                prev = best.get(ci)
                if prev is None or (length, excl) > prev:
                    best[ci] = (length, excl)
            for ci, (length, excl) in best.items():
                # the multiword match replaces the single-word matches of this category under it
                covered = 0
                for w in words[i : i + length]:
                    if ci in plans[w].categories:
                        covered += 1
                counts[ci] += (0 if excl else 1) - covered
                blocked[ci] = i + length
        return counts

    def _starts(self, doc: TokenizedText):
        """``(token, entries, singles)``: each token where some entry matches, with those entries in
        entry order (every word of each matches the tokens from there on); ``singles`` is the
        type's one-word matches, worked out once per type, when it starts no longer entry (the
        common case, which :func:`resolve` takes without looking at the entries), else None."""
        words = doc.words
        memory, hits = self._learn(doc.type_counts.keys())
        plans = memory.plans
        starting = {w for w in hits if plans[w].starts}
        lengths = self._lengths
        for i in [i for i, w in enumerate(words) if w in starting]:
            plan = plans[words[i]]
            if not plan.multi:
                yield i, plan.starts, plan.singles
            else:
                yield i, [k for k in plan.starts if lengths[k] == 1 or self._rest_matches(plans, k, words, i)], None

    def find(self, doc: TokenizedText) -> list[Match]:
        """All matches in ``doc`` that the overlap policy keeps, ordered by start token then category."""
        return resolve(self._starts(doc), self._entries, self._lengths, self.overlap)


def resolve(starts, entries, lengths, overlap: str = "category") -> list[Match]:
    """The matches an overlap policy keeps, from ``(token, entries, singles)`` in token order
    (entries in entry order, each matching there; ``singles`` as :meth:`Matcher._starts` gives
    them, or None): ``category`` (the default) runs left to
    right within each category, the longest match first (an exclusion wins a tie), a token
    counting once per category; ``none`` keeps of those the leftmost-longest that do not
    overlap across categories (a tie in length goes to the category listed first); ``all``
    keeps every span a term matches, nested and overlapping ones too, once per category,
    except spans inside a match of one of the category's exclusions."""
    if overlap == "all":
        return _every_span(starts, entries, lengths)
    blocked: dict[int, int] = {}
    block_end = 0  # no category is blocked at or after this token
    out: list[Match] = []
    for i, found, singles in starts:
        if singles is not None and i >= block_end:  # one-word matches only, nothing blocked: known per type
            out.extend([Match(ci, ti, i, i + 1) for ci, ti in singles])
            continue
        best: dict[int, tuple[int, bool, int]] = {}  # category -> (length, exclusion, term)
        for k in found:
            ci, ti, _, excl = entries[k]
            if blocked.get(ci, 0) > i:
                continue
            prev = best.get(ci)
            if prev is None or (lengths[k], excl) > (prev[0], prev[1]):
                best[ci] = (lengths[k], excl, ti)
        for ci in sorted(best):
            length, excl, ti = best[ci]
            blocked[ci] = i + length
            block_end = max(block_end, i + length)
            if not excl:
                out.append(Match(ci, ti, i, i + length))
    return _exclusive(out) if overlap == "none" else out


def _exclusive(matches: list[Match]) -> list[Match]:
    """Leftmost-longest matches that share no token (a tie in length: the category listed first)."""
    kept, end = [], 0
    for m in sorted(matches, key=lambda m: (m.start, m.start - m.end, m.category)):
        if m.start >= end:
            kept.append(m)
            end = m.end
    return kept


def _every_span(starts, entries, lengths) -> list[Match]:
    """Every span a term matches, once per category (the first term in entry order names it),
    except those inside a match of an exclusion of the same category."""
    spans: dict[tuple[int, int, int], int] = {}
    excluded: dict[int, list[tuple[int, int]]] = {}
    for i, found, _ in starts:
        for k in found:
            ci, ti, _, excl = entries[k]
            if excl:
                excluded.setdefault(ci, []).append((i, i + lengths[k]))
            else:
                spans.setdefault((ci, i, i + lengths[k]), ti)
    kept = [Match(ci, ti, a, b) for (ci, a, b), ti in spans.items()
            if not any(x <= a and b <= y for x, y in excluded.get(ci, ()))]
    return sorted(kept, key=lambda m: (m.start, m.category, m.end))


def _stemmer(lexicon: Lexicon):
    """The Snowball stemmer of the lexicon's language, as a cached function of one word."""
    import snowballstemmer  # imported here: only a stemmed lexicon needs it

    algorithm = snowballstemmer.stemmer(STEMMERS[lexicon.language])
    return lru_cache(maxsize=1 << 16)(algorithm.stemWord)


class LanguageMatchers(dict):
    """A :class:`Matcher` for each language a lexicon reads, built on first use: ``matchers[doc.language]``
    matches a document with its language's terms (:meth:`~framing.lexicon.model.Lexicon.in_language`;
    ``None``, a document of unknown language, with the lexicon's own), or is ``None`` where the
    lexicon has no term in that language.

    Examples
    --------
    >>> from framing.documents.tokens import tokenize
    >>> from framing.lexicon.read import lexicon_from_toml
    >>> toml = '[meta]\\nname = "x"\\nlanguage = "nl"\\n[categories.vote.terms]\\nnl = ["verkiezing*"]\\nfa = ["انتخابات"]\\n'
    >>> matchers = LanguageMatchers(lexicon_from_toml(toml))
    >>> matchers["fa"].count(tokenize("انتخابات آزاد", "fa")), matchers["de"]
    ([1], None)
    """

    def __init__(self, lexicon: Lexicon, **options):
        super().__init__()
        self.lexicon = lexicon
        self.options = options

    def __missing__(self, language: str | None) -> "Matcher | None":
        lexicon = self.lexicon.in_language(language)
        matcher = self[language] = Matcher(lexicon, **self.options) if any(c.terms for c in lexicon.categories) else None
        return matcher

