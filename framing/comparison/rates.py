"""Compare groups of documents: pooled rates with bootstrap intervals, permutation tests of
their differences, rate changes and shares. Tables in, tables out.

Uncertainty is honest about the unit of resampling. With at least ``min_docs``
documents in every group, documents are resampled (the unit a reader cares about).
With fewer (the seeds have one article per outlet), sentences are resampled within
each document, which treats sentences as independent and so understates the
uncertainty of an outlet's habit: the output says which was done, in ``resampled``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from framing.errors import FramingError, NeedsSentences
from framing.groups import default_note, default_target, largest, sides
from framing.measures import benjamini_hochberg, log_ratio
from framing.params import COUNT, LEVEL, MIN_DOCS, SEED, Whole, checked
from framing.tables import ALL, LANGUAGE, rate_per_1k, require_columns

DOCUMENTS = "documents"
SENTENCES = "sentences within documents"

# --------------------------------------------------------------------------- resampling units


def _warn_single(pooled: pd.DataFrame, by_docs: bool) -> None:
    """Resampling documents, a group of one document has an interval of no width: say so."""
    sizes = pooled.groupby("group")["n_docs"].max()
    single = sorted(sizes.index[sizes < 2])
    if by_docs and single:
        warnings.warn(f"documents are resampled, and {len(single)} group(s) have one document ({', '.join(single[:5])}"
                      f"{' ...' if len(single) > 5 else ''}): their intervals have no width; resample sentences "
                      "(unit 'sentences' or 'auto') to see their uncertainty", stacklevel=4)


def _cell_keys(features: pd.DataFrame) -> list[str]:
    return ["category", "voice"] if "voice" in features.columns else ["category"]


def warn_pooled_languages(features: pd.DataFrame, stacklevel: int = 3) -> None:
    """One warning when ``features`` hold documents of several languages (a ``language`` column):
    a rate pooled over them mixes measures, since a category holds other words, matched with
    other recall, in each language (:mod:`framing.comparison.languages`)."""
    if LANGUAGE not in features.columns:
        return
    languages = sorted(features[LANGUAGE].dropna().astype(str).unique())
    if len(languages) > 1:
        warnings.warn(f"these rates pool documents of {len(languages)} languages ({', '.join(languages)}), and a "
                      "category is not the same measure in each: compare within a language (--within language), or "
                      "each group with its language's rate (framing compare --relative; framing.relative_rates)",
                      stacklevel=stacklevel)


def _check_counts(features: pd.DataFrame, by: str) -> pd.DataFrame:
    """The feature table, checked. Documents with no value in ``by`` form the group ``(none)``,
    as :meth:`framing.Corpus.groups` shows them, and one warning names them: none is dropped
    or merged without a word; a column empty for every document is an error."""
    missing = [c for c in ("doc_id", "category", "count", "n_tokens") if c not in features.columns]
    if missing:
        raise FramingError(
            f"compare needs a count feature table (lexicon, stance or actors); missing columns: {', '.join(missing)}"
        )
    require_columns(features, by, hide=("count", "n_tokens", "per_1k"))
    blank = features[by].isna() | features[by].astype(str).str.strip().isin(["", "nan", "None", "<NA>"])
    if blank.all():
        raise FramingError(f"column '{by}' is empty for every document; choose a column that names groups")
    if blank.any():
        docs = features.loc[blank, "doc_id"].drop_duplicates().astype(str).tolist()
        warnings.warn(f"{len(docs)} document(s) have no value in '{by}' and are compared as the group '(none)': "
                      f"{', '.join(docs[:10])}{' ...' if len(docs) > 10 else ''}", stacklevel=3)
        features = features.assign(**{by: features[by].astype("object").where(~blank, "(none)")})
    return features


def _sentence_units(sentences: pd.DataFrame | None, features: pd.DataFrame, min_docs: int) -> pd.DataFrame:
    """The sentence table restricted to the cells and lexicons of ``features``; an error if there is none."""
    if sentences is None:
        raise NeedsSentences(
            f"a group has fewer than {min_docs} documents, so sentences are resampled: pass "
            "sentences=framing.sentence_counts(corpus, features) (or lower min_docs)"
        )
    keys = _cell_keys(features)
    need = {"doc_id", "sentence", "lexicon_id", "count", "n_tokens", *keys}
    missing = sorted(need - set(sentences.columns))
    if missing:
        raise FramingError(f"sentences= is not a sentence table of framing: no {', '.join(missing)} column")
    cells = features[["lexicon_id", *keys]].drop_duplicates()
    held = _cells(sentences, ["lexicon_id", *keys])[1].to_frame(index=False)  # from codes: no copy of two million rows
    if len(held.merge(cells, on=["lexicon_id", *keys])) == len(held):  # every cell is asked for: no copy of the table
        units = sentences
    else:
        units = sentences.merge(cells, on=["lexicon_id", *keys])
    docs = features["doc_id"].unique()
    if not pd.Index(docs).isin(units["doc_id"].unique()).all():
        raise FramingError("sentences= does not cover every document of the features; count both from the same corpus")
    keep = units["doc_id"].isin(docs)
    return units if keep.all() else units[keep]  # every document compared: no copy of two million rows


def _sentence_codes(units: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Integer keys of the sentence units (``doc_id``, ``sentence``) and of their documents, in
    the order in which the text keys ``"doc_id#sentence"`` and ``doc_id`` sort (sentence 10
    before sentence 2), so that resampling draws what it drew with those keys; integers
    make the units x cells matrices in a fraction of the time and memory.

    Examples
    --------
    >>> units = pd.DataFrame({"doc_id": ["b", "a", "a", "a"], "sentence": [0, 2, 10, 0]})
    >>> [code.tolist() for code in _sentence_codes(units)]
    [[11, 3, 2, 0], [1, 0, 0, 0]]
    """
    doc, _ = pd.factorize(units["doc_id"], sort=True)
    sentence = units["sentence"].to_numpy(np.int64)
    top = int(sentence.max()) + 1 if len(sentence) else 1
    doc = doc.astype(np.int64)
    return doc * top + _text_rank(top)[sentence], doc


def _text_rank(top: int) -> np.ndarray:
    """Each sentence number below ``top``'s place when the numbers sort as text (10 before 2).

    Examples
    --------
    >>> _text_rank(12).tolist()
    [0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 2, 3]
    """
    rank = np.empty(top, dtype=np.int64)
    rank[np.argsort(np.array([str(k) for k in range(top)], dtype=object), kind="stable")] = np.arange(top)
    return rank


def _cells(units: pd.DataFrame, keys: list[str], taken=lambda values: values):
    """The cell of each row (its codes) and the cells (sorted, as ``pd.factorize(sort=True)`` orders
    them: a categorical by its categories) of ``keys`` (category [x voice]) over the rows ``taken``
    keeps. A family's own table holds the keys as categories, so its cells come from their codes
    (factorizing two million names cost a sort and hundreds of megabytes)."""
    codes = [taken(units[k].cat.codes.to_numpy()) if isinstance(units[k].dtype, pd.CategoricalDtype) else None
             for k in keys]
    if not all(c is not None and (c >= 0).all() for c in codes):
        kept = pd.DataFrame({k: taken(units[k].array) for k in keys})
        if len(keys) > 1:
            return _factorize_rows(kept, keys)
        cols, labels = pd.factorize(kept[keys[0]], sort=True)
        return cols, pd.Index(labels, name=keys[0])
    sizes = [len(units[k].cat.categories) for k in keys]
    key = np.zeros(len(codes[0]), dtype=np.int64)
    for code, n in zip(codes, sizes):
        key = key * n + code
    cells, cols = _unique(key, int(np.prod(sizes)))
    parts = []
    for n in reversed(sizes):  # each key's code of each cell, the last key first
        cells, code = np.divmod(cells, n)
        parts.insert(0, code)
    if len(keys) == 1:  # what pd.factorize gives of a categorical: its categories kept
        return cols, pd.CategoricalIndex(pd.Categorical.from_codes(parts[0], dtype=units[keys[0]].dtype), name=keys[0])
    return cols, pd.MultiIndex.from_arrays([np.asarray(units[k].cat.categories)[c] for k, c in zip(keys, parts)], names=keys)


def _unit_matrices(units: pd.DataFrame, index: list[str], keys: list[str]):
    """Units x cells matrices of counts and of token totals (cells: category [x voice]), rows and
    columns sorted, absent cells 0: what ``pivot_table(..., aggfunc="sum", fill_value=0)`` gives,
    built with integer codes and ``np.bincount`` (pivot_table held 5 GB for 300,000 sentences)."""
    rows, row_labels = _factorize_rows(units, index)
    cols, col_labels = _cells(units, keys)
    flat, size = rows * len(col_labels) + cols, len(row_labels) * len(col_labels)

    def summed(values):
        total = np.bincount(flat, weights=units[values].to_numpy(float), minlength=size)
        return pd.DataFrame(total.reshape(len(row_labels), len(col_labels)), index=row_labels, columns=col_labels)

    return summed("count"), summed("n_tokens")


def _sides_by_sentence(units: pd.DataFrame, side_of: pd.Series, keys: list[str]):
    """The sentences x cells matrices of counts and of token totals of a two-sided contrast, what
    :func:`_unit_matrices` gives of the units on either side (``side_of``: document -> ``"t"``, ``"r"``)
    indexed by side, document and sentence, from integer codes alone: rows in that order (the
    reference first, each document's sentences in the order of :func:`_sentence_codes`), cells
    sorted. Returns the two matrices, which rows are the target's, each row's stratum (its
    document) and the cells. A copy of the sentence table, even cut to the columns read, held
    hundreds of megabytes for a contrast of one group against 9,999."""
    doc, names = pd.factorize(units["doc_id"], sort=True)
    side = side_of.reindex(names).to_numpy(object)
    held = pd.notna(side)[doc]
    every = bool(held.all())  # one side against the rest: every row, and no copy of two million values

    def taken(values):
        return values if every else values[held]

    doc = taken(doc).astype(np.int64, copy=False)
    sentence = taken(units["sentence"].to_numpy(np.int64))
    top = int(sentence.max()) + 1 if len(sentence) else 1
    span = len(names) * top
    target = (side == "t")[doc]
    key = _text_rank(top)[sentence]  # each row's key, side x document x sentence rank, summed in place
    key += np.multiply(doc, top, out=doc)  # doc is this function's own array
    key[target] += span
    distinct, rows = _unique(key, 2 * span)
    del key, target, doc, sentence
    cols, labels = _cells(units, keys, taken)
    flat, size = rows.ravel(), len(distinct) * len(labels)  # each row's cell, row-major: in rows' own array
    flat *= len(labels)
    flat += cols
    del rows, cols

    def summed(values):
        weights = taken(units[values].to_numpy())
        return np.bincount(flat, weights=weights, minlength=size).reshape(len(distinct), len(labels))

    return summed("count"), summed("n_tokens"), distinct >= span, (distinct % span) // top, labels


def _unique(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_inverse=True)`` for keys in ``range(size)``: by marking which are
    present when the range is not much larger than the keys (no sort, and no sorted copies of two
    million keys), else by sorting.

    Examples
    --------
    >>> [a.tolist() for a in _unique(np.array([5, 2, 5, 0]), 8)]
    [[0, 2, 5], [2, 1, 2, 0]]
    """
    if size > 4 * len(keys) + 1024:
        distinct, inverse = np.unique(keys, return_inverse=True)
        return distinct, inverse.ravel()
    present = np.zeros(size, dtype=bool)
    present[keys] = True
    place = np.cumsum(present, dtype=np.int64 if size >= 2**31 else np.int32) - 1
    return np.flatnonzero(present), place[keys].astype(np.int64)


def _factorize_rows(table: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, pd.MultiIndex]:
    """Codes of the distinct rows of ``table[columns]`` and those rows as a MultiIndex, sorted:
    what ``MultiIndex.from_frame(...).factorize(sort=True)`` gives, from each column's own
    sorted codes (a MultiIndex of two million sentences took seconds to factorize)."""
    codes, levels = zip(*(pd.factorize(table[c], sort=True) for c in columns))
    sizes = [max(len(level), 1) for level in levels]
    if np.prod([float(n) for n in sizes]) < 2**62:  # one integer per row, sorted as the rows are: a 1-D unique
        key = np.zeros(len(table), dtype=np.int64)
        for code, n in zip(codes, sizes):
            key = key * n + code
        distinct_keys, rows = np.unique(key, return_inverse=True)
        distinct = np.zeros((len(distinct_keys), len(columns)), dtype=np.int64)
        for k in range(len(columns) - 1, -1, -1):
            distinct_keys, distinct[:, k] = np.divmod(distinct_keys, sizes[k])
    else:
        stacked = np.column_stack(codes) if len(table) else np.zeros((0, len(columns)), dtype=np.int64)
        distinct, rows = np.unique(stacked, axis=0, return_inverse=True)
    labels = pd.MultiIndex.from_arrays([np.asarray(level)[distinct[:, k]] for k, level in enumerate(levels)], names=columns)
    return rows.ravel(), labels


def group_stream(seed: int, group) -> np.random.Generator:
    """The random stream of one group's resamples: seeded by ``seed`` and the group's label (its
    text's SHA-256), so a group's interval is the same whichever other groups are compared beside it.
    One stream shared in the groups' order moved the other outlets' intervals when one was left out
    (the seeds' stance markers without Iran Focus: 9 of 92 lower ends and 31 upper ends moved, NCRI's
    attribution_endorsing from 2.32 to 1.77).

    Examples
    --------
    >>> first, again = (group_stream(0, "NCRI").integers(0, 1000, 3).tolist() for _ in range(2))
    >>> first == again, first == group_stream(0, "Iran Focus").integers(0, 1000, 3).tolist()
    (True, False)
    """
    import hashlib

    words = np.frombuffer(hashlib.sha256(str(group).encode("utf-8")).digest(), dtype="<u4")
    return np.random.default_rng([int(seed), *words.tolist()])


BOOTSTRAP_CHUNK = 1 << 24
"""At most this many values are gathered at once when summing resamples (128 MB of floats)."""


def _bootstrap_sums(counts: np.ndarray, tokens: np.ndarray, strata: np.ndarray, n_boot: int, rng):
    """Counts and token totals of ``n_boot`` resamples: units resampled with replacement within each stratum.

    ``counts`` is units x cells, ``tokens`` units (or units x cells); returns two n_boot x cells arrays.
    Stratum by stratum and a block of resamples at a time, so memory stays bounded (all resamples of
    300,000 sentences at once took 11 GB); the sums are of whole numbers, so exact in any order.
    """
    sum_c = np.zeros((n_boot, *counts.shape[1:]))
    sum_t = np.zeros((n_boot, *tokens.shape[1:]))
    order = np.argsort(strata, kind="stable")  # each stratum's units in their order, without a scan per stratum
    _, starts = np.unique(strata[order], return_index=True)
    for start, stop in zip(starts, [*starts[1:], len(order)]):
        members = order[start:stop]
        m = len(members)
        picks = rng.integers(0, m, size=(n_boot, m))
        own_c, own_t = counts[members], tokens[members]
        step = max(1, BOOTSTRAP_CHUNK // m)
        for b in range(0, n_boot, step):
            rows = picks[b : b + step]
            # how often each resample drew each unit, times the units' values: the sum of the drawn
            # units, exact (whole numbers), without gathering n_boot x m x cells values
            times = np.bincount((np.arange(len(rows))[:, None] * m + rows).ravel(), minlength=len(rows) * m)
            times = times.reshape(len(rows), m).astype(float)
            sum_c[b : b + step] += times @ own_c
            sum_t[b : b + step] += times @ own_t
    return sum_c, sum_t


def _rate_interval(sum_c: np.ndarray, sum_t: np.ndarray, level: float, factor: np.ndarray | None = None):
    """The central ``level`` interval of each cell's resampled rates: the :func:`_quantiles` of
    ``rate_per_1k(sum_c, sum_t)`` (times ``factor``, n_boot x cells, when given), as (low, high).

    A cell that no resample counted anything in gets those quantiles without sorting its draws:
    every draw is 0 where the resample has words and NaN where it has none, so its interval is
    [0, 0], or NaN when no resample has words. Most cells of a small group are such cells.
    """
    counted = sum_c.any(axis=0)
    low = np.where(sum_t.any(axis=0), 0.0, np.nan)
    high = low.copy()
    if counted.any():
        rates = rate_per_1k(sum_c[:, counted], sum_t[:, counted])
        if factor is not None:
            rates = rates * factor[:, counted]
        low[counted], high[counted] = _quantiles(rates, level)
    return low, high


def _quantiles(draws: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """The central ``level`` interval of each column of ``draws`` (NaN draws left out; an all-NaN column gives NaN)."""
    alpha = (1 - level) / 2
    missing = np.isnan(draws)
    ends = [alpha, 1 - alpha]  # both ends from one partition of each column
    if not missing.any():  # the same numbers, without nanquantile's column-by-column loop
        low, high = np.quantile(draws, ends, axis=0)
        return low, high
    # nanquantile's numbers without its loop over columns (26 s for 10,000 groups): the columns
    # with the same number of draws that are not NaN, sorted (NaN last), cut to those, at once
    kept = draws.shape[0] - missing.sum(axis=0)
    low, high = np.full(draws.shape[1:], np.nan), np.full(draws.shape[1:], np.nan)
    whole = kept == draws.shape[0]
    if whole.any():
        low[whole], high[whole] = np.quantile(draws[:, whole], ends, axis=0)
    partial = (kept > 0) & ~whole  # a cell with no tokens in any resample keeps a NaN interval
    if partial.any():
        ordered = np.sort(draws[:, partial], axis=0)
        where = np.flatnonzero(partial)
        for n in np.unique(kept[partial]):
            columns = kept[partial] == n
            low[where[columns]], high[where[columns]] = np.quantile(ordered[:n, columns], ends, axis=0)
    return low, high


# --------------------------------------------------------------------------- group rates


@checked(n_boot=COUNT, level=LEVEL, seed=SEED, min_docs=COUNT, min_matches=Whole(low=0),
         interval_groups=Whole(low=1, none=True))
def compare(
    features: pd.DataFrame,
    by: str,
    *,
    sentences: pd.DataFrame | None = None,
    n_boot: int = 2000,
    level: float = 0.95,
    min_docs: int = MIN_DOCS,
    min_matches: int = 5,
    seed: int = 0,
    precision: pd.DataFrame | None = None,
    interval_groups: int | None = None,
) -> pd.DataFrame:
    """Pooled rate per 1,000 tokens of each category for each group, with a bootstrap interval.

    Parameters
    ----------
    features : DataFrame
        A count feature table (``lexicon_features``, ``stance_features``, ``actor_features``).
    by : str
        The grouping column (any metadata column in ``features``).
    sentences : DataFrame, optional
        The same counts split by sentence (:func:`framing.sentence_counts`), needed to
        resample sentences when a group has fewer than ``min_docs`` documents. Tables
        only: no corpus is read, so both can come back from Parquet files.
    n_boot, level, seed
        Bootstrap resamples, interval level, random seed (results are reproducible).
    min_docs : int
        Resample documents when every group has at least this many; else sentences.
    min_matches : int
        ``warning`` flags figures resting on fewer matches than this.
    precision : DataFrame, optional
        A report of ``framing validate score`` (:func:`framing.validation.score_sheet`):
        rates of true matches instead of raw matches. Each category's ``per_1k`` is
        multiplied by its coded precision, and its interval carries the precision's
        uncertainty too: every bootstrap resample is multiplied by a draw from
        Beta(true + 1, false + 1), the posterior of the precision under a uniform prior,
        so the interval widens with fewer coded items. Categories the report does not
        cover are left as they are (``precision`` NaN).
    interval_groups : int, optional
        Resample only this many groups: those with most documents, chosen by the rule every
        chart keeps groups by (:func:`framing.groups.largest`, ties by name). The other groups
        keep their pooled counts and rates, with no interval (NaN) and a ``warning`` saying why.
        A chart draws at most :data:`framing.views.colours.MAX_GROUPS` groups, so the notebooks
        resample those alone: 10,000 groups cost 5 s of resampling for 12 drawn. Each group
        draws from its own stream (:func:`group_stream`) and the unit of resampling is decided
        over all groups, so a resampled group's interval is the one it gets without the cap.
        Default: every group.

    Returns
    -------
    DataFrame
        ``by`` (the grouping column, under its own name), ``category``, [``voice``], ``count``, ``n_tokens``, ``per_1k`` (pooled:
        total count over total tokens), ``ci_low``, ``ci_high``, ``n_docs``, ``resampled``
        (``documents`` or ``sentences within documents``), ``warning``.
    """
    features = _check_counts(features, by)
    warn_pooled_languages(features)
    keys = _cell_keys(features)
    correction = _precision_table(precision) if precision is not None else None
    table = features.assign(group=features[by].astype(str))
    pooled = table.groupby(["group"] + keys, sort=True).agg(
        count=("count", "sum"), n_tokens=("n_tokens", "sum"), n_docs=("doc_id", "nunique")
    ).reset_index()
    pooled["per_1k"] = rate_per_1k(pooled["count"], pooled["n_tokens"])
    sizes = pooled.groupby("group")["n_docs"].max()
    by_docs = sizes.min() >= min_docs  # decided over every group, resampled or not
    _warn_single(pooled, by_docs)
    unsampled = _beyond_cap(sizes, interval_groups)
    per_group = []
    if by_docs:
        units = table.rename(columns={"doc_id": "unit"}).assign(stratum=0)
    else:
        units = _sentence_units(sentences, features, min_docs)
        units = units.assign(group=units["doc_id"].map(table.drop_duplicates("doc_id").set_index("doc_id")["group"]))
        units = units[units["group"].notna()]
        unit, stratum = _sentence_codes(units)
        units = units.assign(unit=unit, stratum=stratum)
    if unsampled:  # capped before the work: the other groups' units are never pivoted nor drawn
        units = units[~units["group"].isin(unsampled)]
    if len(units):  # one units x cells matrix for all groups (a pivot per group cost minutes with thousands of groups)
        wide_c, wide_t = _unit_matrices(units, ["group", "stratum", "unit"], keys)
        all_counts, all_tokens = wide_c.to_numpy(float), wide_t.to_numpy(float)
        labels = wide_c.index.get_level_values("group").to_numpy()
        strata = wide_c.index.get_level_values("stratum").to_numpy()
        starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]])  # rows are sorted by group
        for start, stop in zip(starts, np.r_[starts[1:], len(labels)]):
            rows = slice(start, stop)
            rng = group_stream(seed, labels[start])  # the group's own stream: its interval whatever groups are beside it
            sums = _bootstrap_sums(all_counts[rows], all_tokens[rows], strata[rows], n_boot, rng)
            # each resample times a draw of its category's precision, when a report is given
            factor = _precision_draws(correction, wide_c.columns, n_boot, rng) if correction is not None else None
            per_group.append(_rate_interval(*sums, level, factor))
        # one table for all groups at the end (a small table per group: 10,000 groups spent 15 s in pandas)
        cells = wide_c.columns.to_frame(index=False)
        intervals = cells.iloc[np.tile(np.arange(len(cells)), len(starts))].reset_index(drop=True)
        intervals.insert(0, "group", np.repeat(labels[starts], len(cells)))
        intervals["ci_low"] = np.concatenate([low for low, _ in per_group])
        intervals["ci_high"] = np.concatenate([high for _, high in per_group])
    else:
        intervals = pd.DataFrame(columns=["group", *keys, "ci_low", "ci_high"])
    out = pooled.merge(intervals, on=["group"] + keys, how="left")
    if correction is not None:
        factor = out["category"].map(correction["precision"]).fillna(1.0)
        out["per_1k"] = out["per_1k"] * factor
        out["precision"] = out["category"].map(correction["precision"])
    out["resampled"] = DOCUMENTS if by_docs else SENTENCES
    out["warning"] = np.where(out["count"] < min_matches, "rests on " + out["count"].astype(str) + " match(es)", "")
    if unsampled:
        skipped = out["group"].isin(unsampled)
        why = (f"no interval: only the {interval_groups} group(s) with most documents were resampled "
               f"(interval_groups={interval_groups})")
        out.loc[skipped, "warning"] = np.where(out.loc[skipped, "warning"] == "", why,
                                               out.loc[skipped, "warning"] + "; " + why)
    out["level"] = level  # the intervals' central share, in the table: charts and captions say it from here
    columns = ["group", *keys, "count", "n_tokens", "per_1k", "ci_low", "ci_high", "n_docs", "resampled", "warning"]
    columns += ["precision"] if correction is not None else []
    return out[columns + ["level"]].rename(columns={"group": by})


def _beyond_cap(sizes: pd.Series, cap: int | None) -> set:
    """The groups :func:`compare` does not resample under ``interval_groups=cap``: all but the ``cap``
    with most documents (:func:`framing.groups.largest`, the rule charts keep); none without a cap."""
    if cap is None or len(sizes) <= cap:
        return set()
    return set(largest(sizes, cap)[1])


def _precision_table(report: pd.DataFrame) -> pd.DataFrame:
    """The category rows of a :func:`framing.validation.score_sheet` report, indexed by category:
    ``precision`` and the ``n_true``/``n_coded`` behind it."""
    missing = [c for c in ("category", "pattern", "n_coded", "n_true", "precision") if c not in report.columns]
    if missing:
        raise FramingError(f"precision= needs a report of framing validate score; missing {', '.join(missing)}")
    rows = report[report["pattern"].fillna("") == ""].set_index("category")
    return rows[rows["n_coded"].astype(int) > 0][["n_true", "n_coded", "precision"]].astype(float)


def _precision_draws(correction: pd.DataFrame, cells, n_boot: int, rng) -> np.ndarray:
    """n_boot x cells draws of each cell's category precision from Beta(n_true + 1, n_false + 1);
    1 for a category the report does not cover."""
    draws = np.ones((n_boot, len(cells)))
    categories = cells.get_level_values("category") if isinstance(cells, pd.MultiIndex) else cells
    for j, category in enumerate(categories):
        if category in correction.index:
            t, n = correction.loc[category, ["n_true", "n_coded"]]
            draws[:, j] = rng.beta(t + 1, n - t + 1, size=n_boot)
    return draws


# --------------------------------------------------------------------------- differences


@checked(n_perm=COUNT, n_boot=COUNT, level=LEVEL, seed=SEED, min_docs=COUNT, min_matches=Whole(low=0))
def compare_groups(
    features: pd.DataFrame,
    by: str,
    target=None,
    reference=None,
    *,
    sentences: pd.DataFrame | None = None,
    n_perm: int = 5000,
    n_boot: int = 2000,
    level: float = 0.95,
    min_docs: int = 5,
    min_matches: int = 5,
    seed: int = 0,
) -> pd.DataFrame:
    """Difference in rate between ``target`` and ``reference`` (default: all other groups), per category.

    ``target`` and ``reference`` are each one group or a list (pooled), resolved as in
    :func:`framing.keyness` (:func:`framing.groups.sides`).

    The p-value is a two-sided permutation test: units (documents, or sentences when a
    group has fewer than ``min_docs`` documents) are shuffled between the two sides
    ``n_perm`` times; p = (1 + #{|perm diff| >= |observed diff|}) / (1 + n_perm). A shuffle
    puts a uniformly random set of as many units as the target has on the target side, and
    is drawn as such: a set of the smaller side's size, without replacement.
    ``p_adjusted`` applies Benjamini-Hochberg across the categories compared. With
    ``target=None`` the target follows :data:`framing.groups.DEFAULT_RULE` (the group with
    most documents, or the latest period), and the ``chosen`` column says so. The
    effect size is ``log2_ratio``, the binary log of the ratio of rates (zero counts ->
    0.5, as Hardie 2014).

    Both the difference and the log ratio get a percentile bootstrap interval
    (``n_boot`` resamples, central ``level``): each side's units are resampled with
    replacement on their own side, the same units as the group intervals of
    :func:`compare` (documents; or sentences within their documents when a group has
    fewer than ``min_docs`` documents), and the statistic is recomputed on each resample.

    Returns
    -------
    DataFrame
        ``target``, ``reference``, ``category``, [``voice``], ``count_target``,
        ``count_reference``, ``per_1k_target``, ``per_1k_reference``, ``difference``,
        ``difference_low``, ``difference_high``, ``log2_ratio``, ``log2_ratio_low``,
        ``log2_ratio_high``, ``p_value``, ``p_adjusted``, ``resampled``, ``warning``, ``chosen`` (which target was
        picked, and why, when none was named; else empty).
    """
    features = _check_counts(features, by)
    warn_pooled_languages(features)
    keys = _cell_keys(features)
    groups = features[by].astype(str)
    known = sorted(groups.unique())
    sizes = features.assign(_g=groups).groupby("_g")["doc_id"].nunique()
    chosen = ""
    if target is None:  # the one rule for a group nobody named (framing.groups.DEFAULT_RULE)
        target = default_target(sizes, besides=reference or ())
        chosen = default_note("target", target, sizes, "pass target=")
    targets, references, target_name, reference_name = sides(known, target, reference, by)
    side = np.where(groups.isin(targets), "t", np.where(groups.isin(references), "r", ""))
    table = features.assign(side=side)
    table = table[table.side != ""]
    n_docs = table.groupby("side")["doc_id"].nunique()
    by_docs = n_docs.min() >= min_docs
    _warn_single(pd.DataFrame({"group": n_docs.index.map({"t": target_name, "r": reference_name}).astype(str),
                               "n_docs": n_docs.to_numpy()}), by_docs)
    if by_docs:
        units = table.assign(unit=table["doc_id"], stratum=table["side"])
        wide_c, wide_t = _unit_matrices(units, ["side", "stratum", "unit"], keys)
        is_t = wide_c.index.get_level_values("side").to_numpy() == "t"
        strata = wide_c.index.get_level_values("stratum").to_numpy()
        c, t, cells = wide_c.to_numpy(float), wide_t.to_numpy(float), wide_c.columns
    else:
        units = _sentence_units(sentences, features, min_docs)
        c, t, is_t, strata, cells = _sides_by_sentence(units, table.drop_duplicates("doc_id").set_index("doc_id")["side"], keys)

    observed, p, diff_low, diff_high, ratio_low, ratio_high = _contrast_draws(c, t, is_t, strata, n_perm, n_boot,
                                                                               level, seed)
    out = cells.to_frame(index=False)
    count_t, count_r = c[is_t].sum(0), c[~is_t].sum(0)
    tok_t, tok_r = t[is_t].sum(0), t[~is_t].sum(0)
    out["per_1k_target"] = rate_per_1k(count_t, tok_t)
    out["per_1k_reference"] = rate_per_1k(count_r, tok_r)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["log2_ratio"] = log_ratio(count_t, count_r, tok_t, tok_r)
    out.insert(0, "reference", reference_name)
    out.insert(0, "target", target_name)
    out["count_target"], out["count_reference"] = count_t.astype(int), count_r.astype(int)
    out["difference"], out["difference_low"], out["difference_high"] = observed, diff_low, diff_high
    out["log2_ratio_low"], out["log2_ratio_high"] = ratio_low, ratio_high
    out["p_value"] = np.where(np.isnan(observed), np.nan, p)
    out["p_adjusted"] = benjamini_hochberg(out["p_value"].to_numpy())
    out["resampled"] = DOCUMENTS if by_docs else SENTENCES
    total = (count_t + count_r).astype(int)
    out["warning"] = np.where(total < min_matches, "rests on " + total.astype(str) + " match(es)", "")
    columns = ["target", "reference", *keys, "count_target", "count_reference", "per_1k_target", "per_1k_reference",
               "difference", "difference_low", "difference_high", "log2_ratio", "log2_ratio_low", "log2_ratio_high",
               "p_value", "p_adjusted", "resampled", "warning", "level"]
    out["level"] = level
    out = out[columns].sort_values("p_value", kind="mergesort").reset_index(drop=True)
    out["chosen"] = chosen  # which target the function picked, and why ("" when named): a column survives a CSV
    return out


def _contrast_draws(c, t, is_t, strata, n_perm: int, n_boot: int, level: float, seed: int) -> list[np.ndarray]:
    """The resampled part of :func:`compare_groups`, a pure function of its arrays: each cell's observed
    difference, permutation p-value, and bootstrap intervals of the difference and of the log ratio.

    Remembered with a run's other passes (:mod:`framing.cache`) under a hash of every array and
    number it reads: the stance contrast of notebook 04 is the explorer's (10,000 units: 6 s each).
    """
    from framing.cache import array_key, code_key, digest, remembered

    def draws():
        c_all, t_all = c.sum(0), t.sum(0)  # whole counts: the reference side is the total less the target's (exact)

        def difference(c_t, t_t):
            return rate_per_1k(c_t, t_t) - rate_per_1k(c_all - c_t, t_all - t_t)

        observed = difference(c[is_t].sum(0), t[is_t].sum(0))
        rng = np.random.default_rng(seed)
        exceed = np.zeros(len(observed))
        # A shuffle of the units between the sides puts a uniformly random set of n_target units on the
        # target side. It is drawn as such a set of the smaller side's size (numpy's choice without
        # replacement), so a permutation costs that side's units, not all of them: one group of 10,000
        # against the rest is 8 sentences of 81,000. A set drawn for the reference side leaves the others
        # to the target. Sums of whole numbers, so the complement is exact.
        n_target = int(is_t.sum())
        target_drawn = n_target <= len(is_t) - n_target
        size = n_target if target_drawn else len(is_t) - n_target
        for _ in range(n_perm):
            drawn = rng.choice(len(is_t), size, replace=False, shuffle=False)
            c_d, t_d = c[drawn].sum(0), t[drawn].sum(0)
            permuted = difference(c_d, t_d) if target_drawn else difference(c_all - c_d, t_all - t_d)
            exceed += np.abs(permuted) >= np.abs(observed) - 1e-12
        p = (1 + exceed) / (1 + n_perm)
        boot_ct, boot_tt = _bootstrap_sums(c[is_t], t[is_t], strata[is_t], n_boot, rng)
        boot_cr, boot_tr = _bootstrap_sums(c[~is_t], t[~is_t], strata[~is_t], n_boot, rng)
        with np.errstate(divide="ignore", invalid="ignore"):
            diff_low, diff_high = _quantiles(rate_per_1k(boot_ct, boot_tt) - rate_per_1k(boot_cr, boot_tr), level)
            ratio_draws = np.where((boot_tt > 0) & (boot_tr > 0), log_ratio(boot_ct, boot_cr, boot_tt, boot_tr), np.nan)
        ratio_low, ratio_high = _quantiles(ratio_draws, level)
        values = (observed, p, diff_low, diff_high, ratio_low, ratio_high)
        return {"draws": pd.DataFrame(dict(zip(_DRAWS, values)))}

    key = digest("contrast", array_key(c, t, is_t, np.unique(strata, return_inverse=True)[1]),
                 repr((n_perm, n_boot, float(level), int(seed))), code_key())
    table = remembered(key, draws)[0]["draws"]
    return [table[name].to_numpy(float) for name in _DRAWS]


_DRAWS = ("observed", "p", "diff_low", "diff_high", "ratio_low", "ratio_high")


def rate_changes(before: pd.DataFrame, after: pd.DataFrame, by: str, *, changed_only: bool = False) -> pd.DataFrame:
    """How each group's rate of each category changes between two feature tables of the same
    corpus (a lexicon before and after a fix, or raw and reuse-free counts).

    One row per group and category: ``by``, ``category``, ``count_before``, ``count_after``,
    ``per_1k_before``, ``per_1k_after`` (pooled: the group's matches per 1,000 of its words),
    ``change`` (after minus before). Categories only one table has are left out; with
    ``changed_only``, so are the rows whose count did not change.

    Examples
    --------
    >>> before = pd.DataFrame({"outlet": ["a", "a"], "category": ["c", "c"], "count": [2, 1], "n_tokens": [100, 100]})
    >>> rate_changes(before, before.assign(count=[1, 1]), "outlet")[["count_before", "count_after", "change"]]
       count_before  count_after  change
    0             3            2    -5.0
    """
    pooled = []
    for table in (before, after):
        require_columns(table, by)
        if "voice" in table and (table["voice"] != ALL).any():  # a voiced table: its voices add up to every word
            table = table[table["voice"] != ALL]
        pooled.append(table.groupby([by, "category"], sort=False)[["count", "n_tokens"]].sum())
    both = pooled[0].add_suffix("_before").join(pooled[1].add_suffix("_after"), how="inner")
    out = pd.DataFrame({
        "count_before": both["count_before"], "count_after": both["count_after"],
        "per_1k_before": rate_per_1k(both["count_before"], both["n_tokens_before"]),
        "per_1k_after": rate_per_1k(both["count_after"], both["n_tokens_after"]),
    }, index=both.index)
    out["change"] = out["per_1k_after"] - out["per_1k_before"]
    if changed_only:
        out = out[out["count_before"] != out["count_after"]]
    return out.reset_index()


def strongest(contrast: pd.DataFrame) -> str:
    """The category whose difference in a :func:`compare_groups` table is the most certain:
    lowest ``p_adjusted``, then lowest ``p_value``, then largest absolute ``log2_ratio``.
    Notebooks use it to choose which matches to read, instead of naming a category.

    Examples
    --------
    >>> strongest(pd.DataFrame({"category": ["a", "b"], "p_adjusted": [0.5, 0.04], "p_value": [0.4, 0.02],
    ...                         "log2_ratio": [3.0, 1.0]}))
    'b'
    """
    missing = [c for c in ("category", "p_adjusted", "p_value", "log2_ratio") if c not in contrast.columns]
    if missing or contrast.empty:
        raise FramingError("strongest needs a compare_groups table with rows" + (f"; missing {', '.join(missing)}" if missing else ""))
    order = contrast.assign(_size=-contrast["log2_ratio"].abs()).sort_values(
        ["p_adjusted", "p_value", "_size", "category"], kind="mergesort", na_position="last")
    return str(order["category"].iloc[0])


# --------------------------------------------------------------------------- sentences: sentiment


@checked(n_boot=COUNT, level=LEVEL, seed=SEED)
def compare_sentences(
    sentences: pd.DataFrame, by: str | list[str], *, value: str = "compound", n_boot: int = 2000, level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean of a sentence-level value per group, with a bootstrap interval over sentences.

    ``sentences`` is e.g. :func:`framing.sentence_sentiment` joined to metadata, or the
    sentences mentioning each actor. Returns ``by`` columns, ``mean``, ``ci_low``,
    ``ci_high``, ``n_sentences``, ``n_docs``.
    """
    keys = [by] if isinstance(by, str) else list(by)
    require_columns(sentences, keys + [value])
    alpha = (1 - level) / 2
    rows = []
    for key, part in sentences.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        values = part[value].to_numpy(float)
        rng = group_stream(seed, key[0] if len(key) == 1 else key)  # the group's own stream
        means = values[rng.integers(0, len(values), size=(n_boot, len(values)))].mean(axis=1)
        row = dict(zip(keys, key))
        row.update(mean=values.mean(), ci_low=np.quantile(means, alpha), ci_high=np.quantile(means, 1 - alpha),
                   n_sentences=len(values), n_docs=part["doc_id"].nunique() if "doc_id" in part else np.nan)
        rows.append(row)
    return pd.DataFrame(rows, columns=keys + ["mean", "ci_low", "ci_high", "n_sentences", "n_docs"]).assign(level=level)


def group_shares(shares: pd.DataFrame, by: str) -> pd.DataFrame:
    """Pool :func:`framing.actor_shares` over the documents of each group:
    ``by`` (under its own name), ``actor``, ``connotation``, ``count``, ``mentions``, ``share``."""
    require_columns(shares, by)
    pooled = shares.assign(group=shares[by].astype(str)).groupby(["group", "actor", "connotation"], sort=False)["count"].sum()
    table = pooled.reset_index()
    table["mentions"] = table.groupby(["group", "actor"])["count"].transform("sum")
    table["share"] = (table["count"] / table["mentions"]).where(table["mentions"] > 0)
    return table.rename(columns={"group": by})
