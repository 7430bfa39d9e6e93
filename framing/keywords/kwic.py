"""Concordance lines (KWIC): every match of a pattern (the term grammar of
:mod:`framing.lexicon.model`) with its words of context, in the text as written.

One definition of a line, :func:`context`: ``window`` *words* either side of the node (the
punctuation between them kept as written, runs of spaces made one). ``framing kwic``, the
explorer's term lines (:func:`term_lines`) and its category lines (:func:`match_lines`)
all cut their lines with it.
"""

from __future__ import annotations

import heapq

import numpy as np
import pandas as pd

from framing.documents.corpus import Corpus
from framing.documents.tokens import TokenizedText
from framing.lexicon.match import LanguageMatchers, Matcher
from framing.lexicon.read import pattern_lexicon
from framing.params import MAX_WINDOW, Whole, checked

LINE_COLUMNS = ["key", "doc_id", "group", "left", "node", "right", "voice"]
"""The explorer's concordance lines: ``key`` is the term or the category they are lines of;
``left`` and ``right`` keep the space next to the node where the text has one (:func:`context`)."""


def context(doc: TokenizedText, first: int, last: int, window: int, *, spaced: bool = False) -> tuple[str, str, str]:
    """``(left, node, right)`` of the tokens ``[first, last)`` of ``doc``: the node as written, and
    ``window`` words either side, with the punctuation between them; runs of spaces made one.
    With ``spaced``, ``left`` ends and ``right`` starts with a space where the text has one next
    to the node, so that a line reads as written ("regime’s", "ban, it") when put together.

    Examples
    --------
    >>> from framing.documents.tokens import tokenize
    >>> doc = tokenize("The regime fell. The regime lied.")
    >>> context(doc, 1, 2, 2)
    ('The', 'regime', 'fell. The')
    >>> context(doc, 5, 6, 2)
    ('fell. The', 'regime', 'lied')
    >>> context(tokenize("The regime's ban, it said."), 1, 2, 2, spaced=True)
    ('The ', 'regime', "'s ban")
    """
    words = doc.word_positions
    before = int(np.searchsorted(words, first))  # words before the node
    after = int(np.searchsorted(words, last))  # the first word after it
    left = doc.text[int(doc.starts[words[max(0, before - window)]]) : int(doc.starts[first])] if before else ""
    right = (doc.text[int(doc.ends[last - 1]) : int(doc.ends[words[min(len(words) - 1, after + window - 1)]])]
             if after < len(words) else "")
    node = " ".join(doc.span_text(first, last).split())
    left, right = " ".join(left.split()), " ".join(right.split())
    if spaced:
        start, end = int(doc.starts[first]), int(doc.ends[last - 1])
        left += " " if left and doc.text[start - 1 : start].isspace() else ""
        right = (" " if right and doc.text[end : end + 1].isspace() else "") + right
    return left, node, right




def _node_positions(doc: TokenizedText, matcher: Matcher) -> list[tuple[int, int, str]]:
    """(token_start, token_end, pattern) of every node match, one per distinct span."""
    seen = {}
    for m in matcher.find(doc):
        seen.setdefault((m.start, m.end), matcher.lexicon.categories[m.category].terms[m.term].pattern)
    return [(s, e, p) for (s, e), p in sorted(seen.items())]


@checked(window=Whole(low=1, high=MAX_WINDOW))
def kwic(corpus: Corpus, pattern, *, window: int = 8, by: str | None = None) -> pd.DataFrame:
    """Keyword in context: every match of ``pattern`` with ``window`` words either side (:func:`context`).

    ``pattern`` uses the lexicon term grammar (``"election*"``, ``"sham election*"``)
    or names a lexicon category (``"framing:state_delegitimizing"``).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, the ``by`` column (if given), ``left``, ``match``,
        ``right``, ``start``, ``end`` (character span in ``clean_text``), ``pattern``.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.documents.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ["They boycotted the sham elections in May."]}))
    >>> kwic(corpus, "sham election*", window=2)[["left", "match", "right"]].values.tolist()
    [['boycotted the', 'sham elections', 'in May']]
    """
    matchers = LanguageMatchers(pattern_lexicon(pattern))  # each document with its language's terms
    groups = corpus.groups(by) if by else None
    rows = []
    for doc_id, doc in corpus.tokens.items():
        matcher = matchers[doc.language]
        for s, e, pat in _node_positions(doc, matcher) if matcher is not None else ():
            row = {"doc_id": doc_id}
            if groups is not None:
                row[by] = groups[doc_id]
            left, match, right = context(doc, s, e, window)
            row.update(left=left, match=match, right=right, start=int(doc.starts[s]), end=int(doc.ends[e - 1]), pattern=pat)
            rows.append(row)
    columns = ["doc_id", *([by] if by else []), "left", "match", "right", "start", "end", "pattern"]
    return pd.DataFrame(rows, columns=columns)


def format_kwic(table: pd.DataFrame, width: int = 50) -> str:
    """An aligned concordance: left context right-aligned, the match, the right context;
    each line labelled by the grouping column (the one after ``doc_id``, if any), else the document."""
    lines = []
    label_column = table.columns[1] if table.columns[1] != "left" else "doc_id"
    for _, row in table.iterrows():
        left = row["left"][-width:].rjust(width)
        right = row["right"][:width]
        label = row[label_column]
        lines.append(f"{str(label)[:20]:<20}  {left}  [{row['match']}]  {right}")
    return "\n".join(lines)


def _round_robin(by_group: dict[str, list], lines: int) -> list:
    """Up to ``lines`` lines taken in turn from each group (groups in sorted order)."""
    out, queues = [], [list(v) for _, v in sorted(by_group.items())]
    while len(out) < lines and any(queues):
        for q in queues:
            if q and len(out) < lines:
                out.append(q.pop(0))
    return out


class _Lines(dict):
    """Key -> group -> candidate lines, holding only what :func:`_round_robin` can take: at most
    ``lines`` lines per group, and at most ``lines`` groups per key (the first in sorted order,
    since the turn goes through the groups in that order). With 10,000 groups a key keeps 10
    groups, not 10,000.

    Examples
    --------
    >>> found = _Lines(2)
    >>> for group in ("c", "b", "a"):
    ...     found.add("regime", group, group + "1")
    >>> found, found.full("regime", "d"), found.full("regime", "a")
    ({'regime': {'b': ['b1'], 'a': ['a1']}}, True, False)
    """

    def __init__(self, lines: int):
        super().__init__()
        self.lines = lines

    def full(self, key, group) -> bool:
        """Can a line of ``key`` in ``group`` no longer be taken?"""
        by_group = self.get(key)
        if by_group is None:
            return False
        held = by_group.get(group)
        if held is not None:
            return len(held) >= self.lines
        return len(by_group) >= self.lines and group > max(by_group)

    @classmethod
    def ordered(cls, lines: "_Lines", keys) -> "_Lines":
        """The same lines, their keys in the order of ``keys``."""
        out = cls(lines.lines)
        out.update((key, lines[key]) for key in keys)
        return out

    def add(self, key, group, line) -> None:
        by_group = self.setdefault(key, {})
        by_group.setdefault(group, []).append(line)
        if len(by_group) > self.lines:  # a later group in sorted order can no longer be reached
            del by_group[max(by_group)]


def _lines_table(corpus: Corpus, found: dict[str, dict[str, list]], lines: int, window: int) -> pd.DataFrame:
    """The lines of each key: positions ``(doc_id, group, start, end, voice)`` taken in turn from
    each group (:func:`_round_robin`), and only then cut into context, so that a term found in
    thousands of groups costs ``lines`` cuts, not one per group."""
    chosen = [(key, line) for key, by_group in found.items() for line in _round_robin(by_group, lines)]
    # the documents of the chosen lines only: tokens already computed are shared, others made for these alone
    tokens = corpus.select(sorted({line[0] for _, line in chosen})).tokens if chosen else {}
    rows = [(key, doc_id, group, *context(tokens[doc_id], start, end, window, spaced=True),
             voice or ("quoted" if tokens[doc_id].in_quote[start] else "author"))
            for key, (doc_id, group, start, end, voice) in chosen]
    return pd.DataFrame(rows, columns=LINE_COLUMNS)


def term_lines(corpus: Corpus, terms, by: str, *, lines: int = 10, window: int = 6) -> pd.DataFrame:
    """Concordance lines of single-word ``terms`` (in their matching form, as term counts give
    them): per term, up to ``lines`` lines taken in turn from each group of ``by``, each with
    ``window`` words either side (:func:`context`) and its voice. One row per line, :data:`LINE_COLUMNS`.

    Only the documents that can give a line are read: a term's lines come from the first ``lines``
    of its groups in sorted order (:class:`_Lines`), and the corpus's count of its words
    (:func:`framing.keywords.terms.document_terms`, remembered in a run) says which documents use
    it. With 10,000 groups a term is looked for in 10 documents, not 10,000."""
    from framing.keywords.terms import document_terms

    matrix, vocab = document_terms(corpus)
    terms = set(terms)
    columns = np.flatnonzero(np.fromiter((term in terms for term in vocab), bool, len(vocab)))
    users = matrix.tocsc()[:, columns]
    users.sort_indices()
    group_of = corpus.groups(by).reindex(corpus.doc_ids).to_numpy(dtype=object)
    wanted: dict[int, set] = {}  # document (row) -> the terms to offer lines of there
    first: dict[int, set] = {}  # document (row) -> the terms it is the first to use
    for k, term in enumerate(vocab[columns]):
        rows = users.indices[users.indptr[k] : users.indptr[k + 1]]  # in corpus order
        first.setdefault(int(rows[0]), set()).add(term)
        reachable = set(heapq.nsmallest(lines, set(group_of[rows])))
        for row in rows:
            if group_of[row] in reachable:
                wanted.setdefault(int(row), set()).add(term)
    doc_ids, read_rows = corpus.doc_ids, sorted(wanted.keys() | first.keys())
    read = corpus.select([doc_ids[row] for row in read_rows])
    found, order = _Lines(lines), {}
    for row, (doc_id, doc) in zip(read_rows, read.tokens.items()):
        group, is_word, places = group_of[row], doc.is_word, {}
        own, firsts = wanted.get(row, set()), first.get(row, set())
        for i, key in enumerate(doc.lower):
            if (key in own or key in firsts) and is_word[i]:
                places.setdefault(key, []).append(i)
        for key in firsts:  # the terms in the order the corpus first uses them: the lines' order of terms
            order[key] = (row, places[key][0])
        for key, where in places.items():  # a term full in this group stays full for the rest of the document
            for i in where if key in own else ():
                if found.full(key, group):
                    break
                found.add(key, group, (doc_id, group, i, i + 1, None))  # the voice of the lines taken, below
    found = _Lines.ordered(found, sorted(found, key=order.__getitem__))
    return _lines_table(read, found, lines, window)


def match_lines(corpus: Corpus, matches: pd.DataFrame, by: str, *, lines: int = 10, window: int = 6) -> pd.DataFrame:
    """Concordance lines of match records (``category``, ``doc_id``, ``token_start``, ``token_end``;
    :data:`framing.tables.MATCH_COLUMNS`): per category, up to ``lines`` lines taken in turn from
    each group, cut as :func:`context` cuts them. One row per line, :data:`LINE_COLUMNS`. The
    voice is the text's (inside a quotation: ``quoted``), as for :func:`term_lines`, also for a
    family that does not count voices apart."""
    groups = corpus.groups(by).to_dict()
    found = _Lines(lines)
    for doc_id, category, start, end in zip(*(matches[c].tolist() for c in ("doc_id", "category", "token_start", "token_end"))):
        group = groups[doc_id]
        if not found.full(category, group):
            found.add(category, group, (doc_id, group, start, end, None))  # the voice of the lines taken, below
    return _lines_table(corpus, found, lines, window)
