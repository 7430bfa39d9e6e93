"""The one tidy shape shared by every count family, and the one match record.

Feature table: ``doc_id``, metadata columns, ``family``, ``lexicon``, ``category``,
(``voice``), ``count``, ``n_tokens``, ``per_1k``. Every document gets a row for every
category, zeros included, so that rates average correctly; ``per_1k`` is NaN for an
empty document.

Match record (explain, KWIC, HTML highlighting): ``doc_id``, ``lexicon``,
``category``, ``pattern``, ``text``, ``start``, ``end`` (character span in
``clean_text``), ``token_start``, ``token_end``, ``sentence``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.corpus import Corpus
from framing.lexicon import Lexicon, Match
from framing.tokens import TokenizedText

MATCH_COLUMNS = ["doc_id", "lexicon", "category", "pattern", "text", "start", "end", "token_start", "token_end", "sentence"]


def feature_table(
    corpus: Corpus,
    counts: pd.DataFrame,
    *,
    family: str,
    lexicon: str,
    categories: list[str],
    voices: list[str] | None = None,
    denominators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Complete ``counts`` (``doc_id``, ``category``, [``voice``], ``count``) to every
    document x category (x voice), add ``n_tokens``, ``per_1k`` and the metadata.

    ``denominators`` (``doc_id``, [``voice``], ``n_tokens``) sets the denominator of each
    rate; by default it is each document's word tokens.
    """
    keys = ["doc_id", "category"] + (["voice"] if voices else [])
    grid = pd.MultiIndex.from_product(
        [corpus.doc_ids, categories] + ([voices] if voices else []), names=keys
    ).to_frame(index=False)
    summed = counts.groupby(keys, sort=False)["count"].sum().reset_index() if len(counts) else counts[keys + ["count"]]
    table = grid.merge(summed, on=keys, how="left")
    table["count"] = table["count"].fillna(0).astype(np.int64)
    if denominators is None:
        denominators = pd.DataFrame({"doc_id": corpus.doc_ids, "n_tokens": [corpus.tokens[d].n_words for d in corpus.doc_ids]})
    on = [k for k in ("doc_id", "voice") if k in denominators.columns]
    table = table.merge(denominators[on + ["n_tokens"]], on=on, how="left")
    table["n_tokens"] = table["n_tokens"].astype(np.int64)
    table["per_1k"] = rate_per_1k(table["count"], table["n_tokens"])
    table.insert(1, "family", family)
    table.insert(2, "lexicon", lexicon)
    table = corpus.with_metadata(table)
    order = ["doc_id", *corpus.metadata_columns, "family", "lexicon", "category"] + (["voice"] if voices else [])
    return table[order + ["count", "n_tokens", "per_1k"]]


def rate_per_1k(count, n_tokens):
    """Rate per 1,000 tokens; NaN where there are no tokens."""
    count = np.asarray(count, dtype=float)
    n_tokens = np.asarray(n_tokens, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n_tokens > 0, count / n_tokens * 1000.0, np.nan)


def match_rows(doc_id: str, doc: TokenizedText, lexicon: Lexicon, matches: list[Match]) -> list[tuple]:
    """Match records for one document, in :data:`MATCH_COLUMNS` order."""
    rows = []
    for m in matches:
        category = lexicon.categories[m.category]
        start, end = int(doc.starts[m.start]), int(doc.ends[m.end - 1])
        rows.append(
            (doc_id, lexicon.name, category.name, category.terms[m.term].pattern, doc.text[start:end],
             start, end, m.start, m.end, doc.sentence_of(m.start))
        )
    return rows


def quoted_words(doc: TokenizedText) -> np.ndarray:
    """Indices of the word tokens inside quotations: the quoted voice's words."""
    return np.flatnonzero(doc.is_word & doc.in_quote)


def voice_tokens(doc: TokenizedText) -> dict[str, int]:
    """Word tokens in each voice: ``author`` (outside quotations), ``quoted``, ``all``."""
    quoted = len(quoted_words(doc))
    return {"author": doc.n_words - quoted, "quoted": quoted, "all": doc.n_words}
