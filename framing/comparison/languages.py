"""Comparisons across languages that stay honest: each rate set against its own language's.

A category's rate is not comparable across languages: the same category holds different
words in each, matched with different recall, in languages whose grammar spends words
differently (Dudău & Sava 2021 found cross-language correlations of translated LIWC
categories from near zero to 0.74 on parallel texts, and concluded that scores must be
standardised within each language). So a chart across languages draws, for each group and
language, the group's rate **as a share of its language's rate**: the pooled rate of the
group's documents in that language over the pooled rate of all the corpus's documents in
that language (1 = as often as that language's documents use it). Within a language, the
rates themselves compare (:func:`framing.comparison.rates.compare` on that language's
documents; ``framing compare --within language`` for rate ratios with one fixed effect
per language).

Dudău, D. P., & Sava, F. A. (2021). Performing multilingual analysis with Linguistic Inquiry
and Word Count 2015 (LIWC2015). An equivalence study of four languages. *Frontiers in
Psychology* 12, 570568.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.comparison.rates import (
    _bootstrap_sums,
    _cell_keys,
    _check_counts,
    _quantiles,
    _unit_matrices,
    group_stream,
)
from framing.errors import FramingError
from framing.params import COUNT, LEVEL, SEED, Whole, checked
from framing.tables import LANGUAGE, rate_per_1k

RELATIVE = "relative"
"""The column of the standardised effect: a group's rate over its language's rate."""
RELATIVE_LABEL = "rate as a share of its language's rate (1 = the language's mean)"
"""What :data:`RELATIVE` is, in a chart's words."""


@checked(n_boot=COUNT, level=LEVEL, seed=SEED, min_matches=Whole(low=0))
def relative_rates(features: pd.DataFrame, by: str, *, language: str = LANGUAGE, n_boot: int = 2000,
                   level: float = 0.95, seed: int = 0, min_matches: int = 5) -> pd.DataFrame:
    """Each group's rate in each language as a share of that language's rate, with a bootstrap interval.

    Parameters
    ----------
    features : DataFrame
        A count feature table with a ``language`` column (the corpus's, joined as metadata).
    by : str
        The grouping column. A group writing in several languages gets one row per language.
    language : str
        The column holding each document's language.
    n_boot, level, seed
        Bootstrap resamples, interval level, random seed. Each resample draws, within each
        group and language, that cell's documents with replacement; the language's rate is
        the sum of its cells' resampled counts over their tokens, so the ratio's interval
        carries the uncertainty of both rates, and their dependence (the group is part of
        its language).
    min_matches : int
        ``warning`` flags rows resting on fewer matches than this (a percentile interval
        of a handful of matches, or of none, is no interval to cite).

    Returns
    -------
    DataFrame
        ``by``, ``language``, ``category``, [``voice``], ``count``, ``n_tokens``, ``per_1k``,
        ``language_per_1k`` (pooled over all the language's documents), ``relative``
        (their ratio), ``ci_low``, ``ci_high`` (of ``relative``), ``n_docs``,
        ``language_docs``, ``warning``, ``level``. ``relative`` is NaN where the language's rate is 0;
        the interval is NaN for a group with one document in a language (its resamples would all
        be that document: an interval of the language's variation alone).

    Examples
    --------
    >>> f = pd.DataFrame({"doc_id": list("abcd"), "outlet": ["A", "B", "C", "D"], "language": ["en", "en", "de", "de"],
    ...                   "category": "x", "count": [3, 1, 2, 2], "n_tokens": [100, 100, 50, 50]})
    >>> relative_rates(f, "outlet", n_boot=10)[["outlet", "language", "per_1k", "language_per_1k", "relative"]].values.tolist()
    [['A', 'en', 30.0, 20.0, 1.5], ['B', 'en', 10.0, 20.0, 0.5], ['C', 'de', 40.0, 40.0, 1.0], ['D', 'de', 40.0, 40.0, 1.0]]
    """
    if language not in features.columns:
        raise FramingError(f"no '{language}' column in the feature table: give the corpus a language column "
                           "(or load it with --language detect)")
    features = _check_counts(features, by)
    keys = _cell_keys(features)
    table = features.assign(group=features[by].astype(str), lang=features[language].astype(str))
    rows = []
    for code, part in table.groupby("lang", sort=True):
        wide_c, wide_t = _unit_matrices(part.rename(columns={"doc_id": "unit"}), ["group", "unit"], keys)
        counts, tokens = wide_c.to_numpy(float), wide_t.to_numpy(float)
        labels = wide_c.index.get_level_values("group").to_numpy()
        names, starts = np.unique(labels, return_index=True)
        stops = np.r_[starts[1:], len(labels)]
        draws_c, draws_t = [], []
        for name, start, stop in zip(names, starts, stops):  # each group's own stream in each language (group_stream)
            c, t = _bootstrap_sums(counts[start:stop], tokens[start:stop], np.zeros(stop - start, np.int64), n_boot,
                                   group_stream(seed, (code, name)))
            draws_c.append(c)
            draws_t.append(t)
        language_rate = rate_per_1k(sum(draws_c), sum(draws_t))
        observed = rate_per_1k(counts.sum(axis=0), tokens.sum(axis=0))
        for k, (name, start, stop) in enumerate(zip(names, starts, stops)):
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = rate_per_1k(draws_c[k], draws_t[k]) / np.where(language_rate > 0, language_rate, np.nan)
            low, high = _quantiles(ratio, level)
            count, n_tok = counts[start:stop].sum(axis=0), tokens[start:stop].sum(axis=0)
            rate = rate_per_1k(count, n_tok)
            for j, cell in enumerate(wide_c.columns):
                cell = cell if isinstance(cell, tuple) else (cell,)
                relative = rate[j] / observed[j] if observed[j] > 0 else np.nan
                rows.append((name, code, *cell, int(count[j]), int(n_tok[j]), rate[j], observed[j], relative, low[j],
                             high[j], stop - start, len(labels)))
    columns = [by, LANGUAGE, *keys, "count", "n_tokens", "per_1k", "language_per_1k", RELATIVE, "ci_low", "ci_high",
               "n_docs", "language_docs"]
    out = pd.DataFrame(rows, columns=columns)
    out["warning"] = np.where(out["count"] < min_matches, "rests on " + out["count"].astype(str) + " match(es)", "")
    single = out["n_docs"] < 2  # one document resampled is itself every time: no interval of the group's habit
    out.loc[single, ["ci_low", "ci_high"]] = np.nan
    out.loc[single, "warning"] = "one document: no interval"
    out["level"] = level
    return out.sort_values([by, LANGUAGE, *keys], kind="mergesort").reset_index(drop=True)


def language_overview(overview: pd.DataFrame, by: str, *, language: str = LANGUAGE) -> pd.DataFrame:
    """Documents and words of each group in each language, from a corpus overview
    (:meth:`framing.Corpus.overview`): ``language``, ``by``, ``n_docs``, ``n_tokens``, and
    ``share_of_language`` (the group's share of its language's words). A group written in
    one language is compared with the others of that language only; this says which.

    Examples
    --------
    >>> o = pd.DataFrame({"doc_id": list("abc"), "language": ["de", "de", "en"], "party": ["L", "R", "L"],
    ...                   "n_tokens": [30, 10, 5]})
    >>> language_overview(o, "party").values.tolist()
    [['de', 'L', 1, 30, 0.75], ['de', 'R', 1, 10, 0.25], ['en', 'L', 1, 5, 1.0]]
    """
    if language not in overview.columns:
        raise FramingError(f"no '{language}' column: give the corpus a language column (or load it with --language detect)")
    require = [by, "doc_id", "n_tokens"]
    missing = [c for c in require if c not in overview.columns]
    if missing:
        raise FramingError(f"the overview has no {', '.join(missing)} column; pass corpus.overview()")
    table = overview.groupby([language, by], sort=True).agg(n_docs=("doc_id", "nunique"), n_tokens=("n_tokens", "sum"))
    table = table.reset_index().rename(columns={language: LANGUAGE})
    table["share_of_language"] = table["n_tokens"] / table.groupby(LANGUAGE)["n_tokens"].transform("sum")
    return table
