"""The shapes every layer shares, each defined once (ground level: numpy and pandas only): the tidy count table, the
match record, the sentence table, voices, word counts and the rate per 1,000 words.

Feature table (one row per document x category [x voice]): ``doc_id``, metadata columns,
``family``, ``lexicon``, ``lexicon_id``, ``category``, (``voice``), ``count``,
``n_tokens``, ``per_1k`` (unrounded). Every document gets a row for every category,
zeros included, so that rates average correctly; ``per_1k`` is NaN for an empty document.

Match record (explain, KWIC, HTML highlighting, validation): :data:`MATCH_COLUMNS`,
plus the columns a family adds (actors: ``actor``, ``connotation``, ``label``).

Sentence table (one row per document x sentence x category [x voice]): ``doc_id``,
``sentence``, ``family``, ``lexicon``, ``lexicon_id``, ``category``, (``voice``),
``count``, ``n_tokens``. The same counts as the feature table, split by sentence, so
that comparisons can resample sentences from tables alone, with no corpus.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.errors import FramingError

MATCH_COLUMNS = [
    "doc_id", "family", "lexicon", "category", "pattern", "text", "start", "end", "token_start", "token_end",
    "sentence", "voice",
]
VOICES = ("author", "quoted")
"""The two voices of a text: the outlet's own words, and the words it quotes."""
ALL = "all"
"""The voice of a family that does not tell voices apart, and of figures over every word."""


def rate_per_1k(count, n_tokens):
    """Rate per 1,000 tokens; NaN where there are no tokens. The one definition of a rate.

    Examples
    --------
    >>> rate_per_1k([1, 3], [4, 0]).tolist()
    [250.0, nan]
    """
    count = np.asarray(count, dtype=float)
    n_tokens = np.asarray(n_tokens, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n_tokens > 0, count / np.where(n_tokens > 0, n_tokens, 1.0) * 1000.0, np.nan)


def feature_table(
    doc_ids: list[str],
    counts: list[tuple],
    denominators: list[tuple],
    *,
    cells: list[tuple[str, str]],
    voiced: bool,
    family: str,
    lexicon: str,
    lexicon_id: str,
) -> pd.DataFrame:
    """The tidy table of one family over documents, without metadata.

    ``counts`` holds ``(doc_id, category, voice, count)``, ``denominators`` holds
    ``(doc_id, voice, n_tokens)``; ``cells`` lists the ``(category, voice)`` rows every
    document gets. Without ``voiced`` the ``voice`` column is left out.
    """
    grid = pd.DataFrame(
        [(d, c, v) for d in doc_ids for c, v in cells], columns=["doc_id", "category", "voice"]
    )
    found = pd.DataFrame(counts, columns=["doc_id", "category", "voice", "count"])
    summed = found.groupby(["doc_id", "category", "voice"], sort=False)["count"].sum().reset_index()
    table = grid.merge(summed, on=["doc_id", "category", "voice"], how="left")
    table["count"] = table["count"].fillna(0).astype(np.int64)
    tokens = pd.DataFrame(denominators, columns=["doc_id", "voice", "n_tokens"])
    table = table.merge(tokens, on=["doc_id", "voice"], how="left")
    table["n_tokens"] = table["n_tokens"].astype(np.int64)
    table["per_1k"] = rate_per_1k(table["count"], table["n_tokens"])
    table.insert(1, "family", family)
    table.insert(2, "lexicon", lexicon)
    table.insert(3, "lexicon_id", lexicon_id)
    if not voiced:
        table = table.drop(columns="voice")
    return table


def sentence_table(
    rows: list[tuple],
    *,
    voiced: bool,
    family: str,
    lexicon: str,
    lexicon_id: str,
) -> pd.DataFrame:
    """The sentence table from ``(doc_id, sentence, category, voice, count, n_tokens)`` rows."""
    table = pd.DataFrame(rows, columns=["doc_id", "sentence", "category", "voice", "count", "n_tokens"])
    table.insert(2, "family", family)
    table.insert(3, "lexicon", lexicon)
    table.insert(4, "lexicon_id", lexicon_id)
    table[["sentence", "count", "n_tokens"]] = table[["sentence", "count", "n_tokens"]].astype(np.int64)
    return table if voiced else table.drop(columns="voice")


def by_category(report: pd.DataFrame) -> pd.DataFrame:
    """The category rows of a validation report (:func:`framing.validation.score_sheet`; ``pattern`` empty),
    without the pattern columns."""
    return report[report["pattern"] == ""].drop(columns=["pattern", "flag", "exclude"]).reset_index(drop=True)


def require_columns(table: pd.DataFrame, columns, *, hide=()) -> None:
    """One wording for a column a table lacks: ``unknown column 'X'; available: A, B`` (``hide``: columns
    not worth offering, such as the counts when a grouping column is asked for).

    Examples
    --------
    >>> require_columns(pd.DataFrame({"doc_id": [], "outlet": []}), ["outlet"])
    >>> require_columns(pd.DataFrame({"doc_id": [], "outlet": []}), ["desk", "outlet"])
    Traceback (most recent call last):
    ...
    framing.errors.FramingError: unknown column 'desk'; available: doc_id, outlet
    """
    missing = [c for c in ([columns] if isinstance(columns, str) else columns) if c not in table.columns]
    if missing:
        available = [str(c) for c in table.columns if c not in hide]
        names = ", ".join(f"'{c}'" for c in missing)
        raise FramingError(f"unknown column{'s' if len(missing) > 1 else ''} {names}; available: {', '.join(available)}")
