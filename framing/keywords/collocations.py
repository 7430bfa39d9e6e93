"""Collocations of a node pattern: the words within a window around its matches, scored
by NLTK's association measures (:mod:`nltk.metrics.association`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.documents.corpus import Corpus
from framing.keywords.kwic import _node_positions
from framing.keywords.terms import load_stopwords
from framing.lexicon.match import Matcher
from framing.lexicon.read import pattern_lexicon
from framing.params import MAX_WINDOW, OneOf, Whole, checked

COLLOCATION_MEASURES = ("pmi", "likelihood_ratio", "chi_sq", "student_t", "dice", "jaccard", "poisson_stirling", "mi_like")


@checked(measure=OneOf(COLLOCATION_MEASURES, "collocation measure"), window=Whole(low=1, high=MAX_WINDOW),
         min_count=Whole(low=0))
def collocations(
    corpus: Corpus,
    node,
    *,
    by: str,
    window: int = 5,
    measure: str = "pmi",
    min_count: int = 2,
    stopwords=None,
) -> pd.DataFrame:
    """Words that surround a node term or lexicon category, per group, scored with NLTK's association measures.

    For each group, every word-token position is classed as inside a node's window
    (within ``window`` tokens of a node match, the node itself excluded) or not, and
    each collocate's 2x2 table is handed to ``nltk.metrics.BigramAssocMeasures``:
    ``n_ii`` = occurrences inside windows, ``n_ix`` = tokens inside windows,
    ``n_xi`` = occurrences in the group, ``n_xx`` = tokens in the group. PMI is then
    log2 of how much likelier the word is near the node than anywhere in the group.

    Returns
    -------
    pandas.DataFrame
        ``by`` (under its own name), ``collocate``, ``count_window``, ``count_group``, ``window_tokens``,
        ``n_tokens``, the measure's column, ``docs`` (documents where it co-occurs) and
        ``low_count`` (``count_window`` below ``min_count``: flagged, as in :func:`keyness`,
        not dropped); per group, the collocates that are not flagged come first, by the measure.
    """
    from nltk.metrics.association import (
        BigramAssocMeasures,  # imported here: NLTK takes a second to load
    )
    matcher = Matcher(pattern_lexicon(node))
    stop = load_stopwords(stopwords)
    groups = corpus.groups(by)
    score = getattr(BigramAssocMeasures, measure)
    rows = []
    members: dict[str, list] = {}  # each group's documents in corpus order, found in one pass (not a scan per group)
    for doc_id, group in zip(groups.index, groups.tolist()):
        members.setdefault(group, []).append(doc_id)
    for group in sorted(members):
        inside: dict[str, int] = {}
        total: dict[str, int] = {}
        docs: dict[str, set] = {}
        window_tokens = n_tokens = 0
        for doc_id in members[group]:
            doc = corpus.tokens[doc_id]
            near = np.zeros(len(doc), dtype=bool)
            node = np.zeros(len(doc), dtype=bool)
            for s, e, _ in _node_positions(doc, matcher):
                node[s:e] = True
                near[max(0, s - window) : s] = True
                near[e : e + window] = True
            near &= ~node
            for i, (key, is_word) in enumerate(zip(doc.lower, doc.is_word)):
                if not is_word or node[i]:
                    continue
                n_tokens += 1
                if key in stop:
                    window_tokens += int(near[i])
                    continue
                total[key] = total.get(key, 0) + 1
                if near[i]:
                    window_tokens += 1
                    inside[key] = inside.get(key, 0) + 1
                    docs.setdefault(key, set()).add(doc_id)
        for word, n_ii in inside.items():
            value = score(n_ii, (window_tokens, total[word]), n_tokens)
            rows.append((group, word, n_ii, total[word], window_tokens, n_tokens, float(value), len(docs[word]),
                         n_ii < min_count))
    columns = ["group", "collocate", "count_window", "count_group", "window_tokens", "n_tokens", measure, "docs",
               "low_count"]
    table = pd.DataFrame(rows, columns=columns)
    table = table.sort_values(["group", "low_count", measure, "count_window", "collocate"],
                              ascending=[True, True, False, False, True], kind="mergesort").reset_index(drop=True)
    return table.rename(columns={"group": by})
