"""Compare groups of documents: pooled rates with bootstrap intervals, permutation tests,
similarity, clustering and a 2-D map. Tables in, tables out.

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
from framing.tables import ALL, rate_per_1k, require_columns
from framing.groups import default_note, default_target, keep_rows, sides
from framing.measures import benjamini_hochberg, log_ratio
from framing.params import COUNT, LEVEL, SEED, OneOf, Whole, checked, read_dates

DOCUMENTS = "documents"
SENTENCES = "sentences within documents"


# --------------------------------------------------------------------------- resampling units


def _cell_keys(features: pd.DataFrame) -> list[str]:
    return ["category", "voice"] if "voice" in features.columns else ["category"]


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
    units = sentences.merge(cells, on=["lexicon_id", *keys])
    docs = set(features["doc_id"])
    if not docs <= set(units["doc_id"]):
        raise FramingError("sentences= does not cover every document of the features; count both from the same corpus")
    return units[units["doc_id"].isin(docs)]


def _unit_matrices(units: pd.DataFrame, index: list[str], keys: list[str]):
    """Units x cells matrices of counts and of token totals (cells: category [x voice]), rows and
    columns sorted, absent cells 0: what ``pivot_table(..., aggfunc="sum", fill_value=0)`` gives,
    built with integer codes and ``np.bincount`` (pivot_table held 5 GB for 300,000 sentences)."""
    rows, row_labels = pd.MultiIndex.from_frame(units[index]).factorize(sort=True)
    if len(keys) == 1:
        cols, col_labels = pd.factorize(units[keys[0]], sort=True)
        col_labels = pd.Index(col_labels, name=keys[0])
    else:
        cols, col_labels = pd.MultiIndex.from_frame(units[keys]).factorize(sort=True)
        col_labels = pd.MultiIndex.from_tuples(list(col_labels), names=keys)
    row_labels = pd.MultiIndex.from_tuples(list(row_labels), names=index)
    flat, size = rows * len(col_labels) + cols, len(row_labels) * len(col_labels)

    def summed(values):
        total = np.bincount(flat, weights=units[values].to_numpy(float), minlength=size)
        return pd.DataFrame(total.reshape(len(row_labels), len(col_labels)), index=row_labels, columns=col_labels)

    return summed("count"), summed("n_tokens")


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
    width = max(1, int(np.prod(counts.shape[1:])))
    for start, stop in zip(starts, [*starts[1:], len(order)]):
        members = order[start:stop]
        picks = members[rng.integers(0, len(members), size=(n_boot, len(members)))]
        step = max(1, BOOTSTRAP_CHUNK // (len(members) * width))
        for b in range(0, n_boot, step):
            sum_c[b : b + step] += counts[picks[b : b + step]].sum(axis=1)
            sum_t[b : b + step] += tokens[picks[b : b + step]].sum(axis=1)
    return sum_c, sum_t


def _bootstrap_rates(counts: np.ndarray, tokens: np.ndarray, strata: np.ndarray, n_boot: int, rng) -> np.ndarray:
    """Rates per 1,000 of ``n_boot`` resamples (:func:`_bootstrap_sums`); returns n_boot x cells."""
    return rate_per_1k(*_bootstrap_sums(counts, tokens, strata, n_boot, rng))


def _quantiles(draws: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """The central ``level`` interval of each column of ``draws`` (NaN draws left out; an all-NaN column gives NaN)."""
    alpha = (1 - level) / 2
    if not np.isnan(draws).any():  # the same numbers, without nanquantile's column-by-column loop
        return np.quantile(draws, alpha, axis=0), np.quantile(draws, 1 - alpha, axis=0)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a cell with no tokens in any resample: NaN interval
        return np.nanquantile(draws, alpha, axis=0), np.nanquantile(draws, 1 - alpha, axis=0)


# --------------------------------------------------------------------------- group rates


@checked(n_boot=COUNT, level=LEVEL, seed=SEED, min_docs=COUNT, min_matches=Whole(low=0))
def compare(
    features: pd.DataFrame,
    by: str,
    *,
    sentences: pd.DataFrame | None = None,
    n_boot: int = 2000,
    level: float = 0.95,
    min_docs: int = 5,
    min_matches: int = 5,
    seed: int = 0,
    precision: pd.DataFrame | None = None,
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

    Returns
    -------
    DataFrame
        ``by`` (the grouping column, under its own name), ``category``, [``voice``], ``count``, ``n_tokens``, ``per_1k`` (pooled:
        total count over total tokens), ``ci_low``, ``ci_high``, ``n_docs``, ``resampled``
        (``documents`` or ``sentences within documents``), ``warning``.
    """
    features = _check_counts(features, by)
    keys = _cell_keys(features)
    correction = _precision_table(precision) if precision is not None else None
    table = features.assign(group=features[by].astype(str))
    pooled = table.groupby(["group"] + keys, sort=True).agg(
        count=("count", "sum"), n_tokens=("n_tokens", "sum"), n_docs=("doc_id", "nunique")
    ).reset_index()
    pooled["per_1k"] = rate_per_1k(pooled["count"], pooled["n_tokens"])
    by_docs = pooled.groupby("group")["n_docs"].max().min() >= min_docs
    rng = np.random.default_rng(seed)
    per_group = []
    if by_docs:
        units = table.rename(columns={"doc_id": "unit"}).assign(stratum=0)
    else:
        units = _sentence_units(sentences, features, min_docs)
        units = units.merge(table[["doc_id", "group"]].drop_duplicates(), on="doc_id")
        units = units.assign(unit=units["doc_id"] + "#" + units["sentence"].astype(str), stratum=units["doc_id"])
    if len(units):  # one units x cells matrix for all groups (a pivot per group cost minutes with thousands of groups)
        wide_c, wide_t = _unit_matrices(units, ["group", "stratum", "unit"], keys)
        all_counts, all_tokens = wide_c.to_numpy(float), wide_t.to_numpy(float)
        labels = wide_c.index.get_level_values("group").to_numpy()
        strata = wide_c.index.get_level_values("stratum").to_numpy()
        starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]])  # rows are sorted by group
        for start, stop in zip(starts, np.r_[starts[1:], len(labels)]):
            rows = slice(start, stop)
            rates = _bootstrap_rates(all_counts[rows], all_tokens[rows], strata[rows], n_boot, rng)
            if correction is not None:  # each resample times a draw of its category's precision
                rates = rates * _precision_draws(correction, wide_c.columns, n_boot, rng)
            low, high = _quantiles(rates, level)
            cells = wide_c.columns.to_frame(index=False)
            cells["group"] = labels[start]
            cells["ci_low"], cells["ci_high"] = low, high
            per_group.append(cells)
    intervals = pd.concat(per_group, ignore_index=True) if per_group else pd.DataFrame(columns=["group", *keys, "ci_low", "ci_high"])
    out = pooled.merge(intervals, on=["group"] + keys, how="left")
    if correction is not None:
        factor = out["category"].map(correction["precision"]).fillna(1.0)
        out["per_1k"] = out["per_1k"] * factor
        out["precision"] = out["category"].map(correction["precision"])
    out["resampled"] = DOCUMENTS if by_docs else SENTENCES
    out["warning"] = np.where(out["count"] < min_matches, "rests on " + out["count"].astype(str) + " match(es)", "")
    columns = ["group", *keys, "count", "n_tokens", "per_1k", "ci_low", "ci_high", "n_docs", "resampled", "warning"]
    columns += ["precision"] if correction is not None else []
    return out[columns].rename(columns={"group": by})


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
    ``n_perm`` times; p = (1 + #{|perm diff| >= |observed diff|}) / (1 + n_perm).
    ``p_adjusted`` applies Benjamini-Hochberg across the categories compared. With
    ``target=None`` the target follows :data:`framing.groups.DEFAULT_RULE` (the group with
    most documents, or the latest period), and ``attrs["default"]`` says so. The
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
        ``log2_ratio_high``, ``p_value``, ``p_adjusted``, ``resampled``, ``warning``.
    """
    features = _check_counts(features, by)
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
    if by_docs:
        units = table.assign(unit=table["doc_id"], stratum=table["side"])
    else:
        units = _sentence_units(sentences, features, min_docs).merge(table[["doc_id", "side"]].drop_duplicates(), on="doc_id")
        units = units.assign(unit=units["doc_id"] + "#" + units["sentence"].astype(str),
                             stratum=units["side"] + ":" + units["doc_id"])
    wide_c, wide_t = _unit_matrices(units, ["side", "stratum", "unit"], keys)
    is_t = wide_c.index.get_level_values("side").to_numpy() == "t"
    strata = wide_c.index.get_level_values("stratum").to_numpy()
    c, t = wide_c.to_numpy(float), wide_t.to_numpy(float)

    c_all, t_all = c.sum(0), t.sum(0)  # whole counts: the reference side is the total less the target's (exact)

    def difference(mask):
        c_t, t_t = c[mask].sum(0), t[mask].sum(0)
        return rate_per_1k(c_t, t_t) - rate_per_1k(c_all - c_t, t_all - t_t)

    observed = difference(is_t)
    rng = np.random.default_rng(seed)
    exceed = np.zeros(len(observed))
    for _ in range(n_perm):
        perm = rng.permutation(is_t)
        exceed += np.abs(difference(perm)) >= np.abs(observed) - 1e-12
    p = (1 + exceed) / (1 + n_perm)
    boot_ct, boot_tt = _bootstrap_sums(c[is_t], t[is_t], strata[is_t], n_boot, rng)
    boot_cr, boot_tr = _bootstrap_sums(c[~is_t], t[~is_t], strata[~is_t], n_boot, rng)
    with np.errstate(divide="ignore", invalid="ignore"):
        diff_low, diff_high = _quantiles(rate_per_1k(boot_ct, boot_tt) - rate_per_1k(boot_cr, boot_tr), level)
        ratio_draws = np.where((boot_tt > 0) & (boot_tr > 0), log_ratio(boot_ct, boot_cr, boot_tt, boot_tr), np.nan)
    ratio_low, ratio_high = _quantiles(ratio_draws, level)
    out = wide_c.columns.to_frame(index=False)
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
               "p_value", "p_adjusted", "resampled", "warning"]
    out = out[columns].sort_values("p_value", kind="mergesort").reset_index(drop=True)
    out.attrs["default"] = chosen
    return out


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
    rng = np.random.default_rng(seed)
    alpha = (1 - level) / 2
    rows = []
    for key, part in sentences.groupby(keys, sort=True):
        values = part[value].to_numpy(float)
        means = values[rng.integers(0, len(values), size=(n_boot, len(values)))].mean(axis=1)
        row = dict(zip(keys, key if isinstance(key, tuple) else (key,)))
        row.update(mean=values.mean(), ci_low=np.quantile(means, alpha), ci_high=np.quantile(means, 1 - alpha),
                   n_sentences=len(values), n_docs=part["doc_id"].nunique() if "doc_id" in part else np.nan)
        rows.append(row)
    return pd.DataFrame(rows, columns=keys + ["mean", "ci_low", "ci_high", "n_sentences", "n_docs"])


def group_shares(shares: pd.DataFrame, by: str) -> pd.DataFrame:
    """Pool :func:`framing.actor_shares` over the documents of each group:
    ``by`` (under its own name), ``actor``, ``connotation``, ``count``, ``mentions``, ``share``."""
    require_columns(shares, by)
    pooled = shares.assign(group=shares[by].astype(str)).groupby(["group", "actor", "connotation"], sort=False)["count"].sum()
    table = pooled.reset_index()
    table["mentions"] = table.groupby(["group", "actor"])["count"].transform("sum")
    table["share"] = (table["count"] / table["mentions"]).where(table["mentions"] > 0)
    return table.rename(columns={"group": by})


# --------------------------------------------------------------------------- similarity and maps


def profiles(features: pd.DataFrame, by: str | None = None, *, value: str = "per_1k") -> pd.DataFrame:
    """Feature profiles: documents (or groups, pooled) x categories (x voice) of rates per 1,000.

    For groups, ``attrs["n_docs"]`` holds the documents of each group (what
    :func:`similarity` keeps the largest groups by).
    """
    features = _check_counts(features, by or "doc_id")
    keys = _cell_keys(features)
    column = features["category"] if len(keys) == 1 else features["category"] + ":" + features["voice"]
    table = features.assign(_feature=column)
    if by is None:
        return table.pivot_table(index="doc_id", columns="_feature", values=value, sort=False).rename_axis(columns=None)
    pooled = table.groupby([by, "_feature"], sort=False)[["count", "n_tokens"]].sum()
    rates = (pooled["count"] / pooled["n_tokens"] * 1000.0).unstack("_feature")
    out = rates.rename_axis(index=None, columns=None)
    out.attrs["n_docs"] = {str(g): int(n) for g, n in table.groupby(by, sort=False)["doc_id"].nunique().items()}
    return out


def similarity(matrix: pd.DataFrame, *, standardize: bool = False) -> pd.DataFrame:
    """Cosine similarity between the rows of a profile matrix (NaN treated as 0).

    On raw rates the most frequent categories dominate the cosine. With
    ``standardize=True`` each column is first turned into z-scores across the rows
    (columns that do not vary are dropped), so every category weighs the same and two
    rows are similar when they depart from the average row in the same directions.

    At most :data:`framing.groups.MAX_SIMILARITY_ROWS` rows are compared: those with most documents
    (``matrix.attrs["n_docs"]``, as :func:`profiles` sets it), with a warning; the
    result's ``attrs["left_out"]`` says which were left out.

    Examples
    --------
    >>> m = pd.DataFrame({"big": [100.0, 110.0], "small": [1.0, 5.0]}, index=["x", "y"])
    >>> round(float(similarity(m).loc["x", "y"]), 4)  # (100*110 + 1*5) / (|x| |y|)
    0.9994
    >>> round(float(similarity(m, standardize=True).loc["x", "y"]), 4)  # z-scores (-1, -1) and (1, 1)
    -1.0
    """
    from sklearn.metrics.pairwise import cosine_similarity  # imported here: scikit-learn takes a second to load
    from sklearn.preprocessing import StandardScaler
    rows, left_out = keep_rows(matrix, matrix.attrs.get("n_docs"), what="groups" if "n_docs" in matrix.attrs else "rows")
    matrix = matrix.loc[rows]
    values = matrix.fillna(0.0)
    if standardize:
        values = values.loc[:, values.std() > 0]
        if values.shape[1] == 0:
            raise FramingError("no feature varies across the rows, so there is nothing to standardize")
        values = StandardScaler().fit_transform(values)
    out = pd.DataFrame(cosine_similarity(np.asarray(values, float)), index=matrix.index, columns=matrix.index)
    if standardize and len(matrix) == 2:
        out.attrs["note"] = "with two rows every z-score is +1 or -1, so their standardized cosine is -1 by construction"
    if left_out:
        out.attrs["left_out"] = left_out
    return out


@checked(method=OneOf(("single", "complete", "average", "weighted", "centroid", "median", "ward"), "linkage method"))
def cluster(similarity_matrix: pd.DataFrame, method: str = "average") -> np.ndarray:
    """Hierarchical clustering (scipy ``linkage``) on 1 - cosine similarity; returns the linkage matrix."""
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    if len(similarity_matrix) < 2:
        raise FramingError(f"clustering needs at least two groups, got {len(similarity_matrix)}")

    distance = np.clip(1.0 - similarity_matrix.to_numpy(float), 0.0, None)
    np.fill_diagonal(distance, 0.0)
    return linkage(squareform(distance, checks=False), method=method)


def _classical_mds(distance: np.ndarray, k: int = 2) -> np.ndarray:
    """Torgerson's classical scaling: the top ``k`` eigenvectors of the double-centred -D²/2,
    scaled by the root of their eigenvalues (negative ones, from distances no plane holds, set to 0).

    Examples
    --------
    >>> d = np.array([[0.0, 3.0, 5.0], [3.0, 0.0, 4.0], [5.0, 4.0, 0.0]])  # a 3-4-5 triangle
    >>> x = _classical_mds(d)
    >>> np.round(np.linalg.norm(x[:, None] - x[None, :], axis=2), 6).tolist()
    [[0.0, 3.0, 5.0], [3.0, 0.0, 4.0], [5.0, 4.0, 0.0]]
    """
    n = len(distance)
    centre = np.eye(n) - np.ones((n, n)) / n
    values, vectors = np.linalg.eigh(-0.5 * centre @ (distance**2) @ centre)
    top = np.argsort(values)[::-1][:k]
    return vectors[:, top] * np.sqrt(np.clip(values[top], 0, None))


def profile_map(matrix: pd.DataFrame, *, method: str = "pca", seed: int = 0) -> pd.DataFrame:
    """2-D map of rows by profile: PCA on standardized columns, or metric MDS on cosine distance.

    Returns ``x``, ``y`` indexed like ``matrix``; with PCA, ``explained`` (in
    ``DataFrame.attrs``) holds the variance share of each axis.
    """
    from sklearn.decomposition import PCA
    from sklearn.manifold import MDS
    from sklearn.metrics.pairwise import cosine_similarity
    from sklearn.preprocessing import StandardScaler
    values = matrix.fillna(0.0)
    values = values.loc[:, values.std() > 0]
    if len(values) < 2 or values.shape[1] < 2:
        raise FramingError("a 2-D map needs at least two rows and two varying features")
    if method == "pca":
        model = PCA(n_components=2, random_state=seed)
        coords = model.fit_transform(StandardScaler().fit_transform(values))
        out = pd.DataFrame(coords, index=matrix.index, columns=["x", "y"])
        out.attrs["explained"] = model.explained_variance_ratio_.round(4).tolist()
        return out
    if method == "mds":
        distance = np.clip(1 - cosine_similarity(values.to_numpy(float)), 0, None)
        np.fill_diagonal(distance, 0.0)
        try:  # scikit-learn >= 1.9
            model = MDS(n_components=2, metric="precomputed", init="random", n_init=1, random_state=seed)
        except TypeError:  # older releases
            model = MDS(n_components=2, dissimilarity="precomputed", n_init=1, random_state=seed)
        # SMACOF from the classical solution (Torgerson); cosine distances often break the triangle inequality, so
        # negative eigenvalues are set to zero here (scikit-learn's own classical start takes their root: NaN)
        coords = model.fit_transform(distance, init=_classical_mds(distance))
        return pd.DataFrame(coords, index=matrix.index, columns=["x", "y"])
    raise FramingError(f"method must be 'pca' or 'mds', got {method!r}")


# --------------------------------------------------------------------------- change over time


def _day(date) -> str:
    """``YYYY-MM-DD`` with a four-digit year (``strftime`` writes year 1 as ``1-01-01``)."""
    return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"


MAX_PERIODS = 100_000
"""A trend has at most this many periods (every period is a row per group and category)."""


@checked(n_boot=COUNT, level=LEVEL, seed=SEED)
def trend(
    features: pd.DataFrame,
    by: str | None,
    time: str,
    freq: str = "M",
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Pooled rate of each category per group and period, with a bootstrap interval over
    the documents of each (group, period).

    Dates are parsed leniently (``pandas.to_datetime`` with mixed formats); documents whose
    date cannot be read are left out with a warning that names them. Every period from the
    first to the last is present for every group and category: a period with no document
    has ``n_docs`` 0, ``count`` 0 and NaN rates, never a missing row.

    Parameters
    ----------
    by : str or None
        The grouping column; ``None`` makes the whole corpus one series, named ``all`` in a
        column ``series`` (a corpus of one outlet).
    freq : str
        A pandas period frequency: ``"D"``, ``"W"``, ``"M"``, ``"Q"``, ``"Y"``.

    Returns
    -------
    DataFrame
        ``by``, ``period`` (its start date, ``YYYY-MM-DD``), ``category``, [``voice``],
        ``count``, ``n_tokens``, ``per_1k``, ``ci_low``, ``ci_high``, ``n_docs``, ``warning``.
    """
    if by is None:
        if "series" in features.columns:
            raise FramingError("the feature table has a column 'series'; name the grouping with by=")
        features, by = features.assign(series="all"), "series"
    features = _check_counts(features, by)
    if time not in features.columns:
        raise FramingError(f"unknown date column '{time}'; available: {', '.join(features.columns)}")
    try:
        pd.Period("2020-01-01", freq=freq)
    except ValueError:
        raise FramingError(f"unknown frequency {freq!r}; use D, W, M, Q or Y") from None
    dates = read_dates(features[time]).dt.tz_localize(None)  # every zone as UTC, then plain periods
    bad = features.loc[dates.isna(), "doc_id"].drop_duplicates().tolist()
    if bad:
        warnings.warn(
            f"{len(bad)} document(s) have no readable date in '{time}' and are left out of the trend: "
            f"{', '.join(map(str, bad[:10]))}{' ...' if len(bad) > 10 else ''}",
            stacklevel=2,
        )
    known = dates.dropna()
    if known.empty:
        raise FramingError(f"no document has a readable date in '{time}'")
    span = (known.max().to_period(freq) - known.min().to_period(freq)).n + 1  # counted, not built
    if span > MAX_PERIODS:
        raise FramingError(f"the dates in '{time}' run from {_day(known.min())} to {_day(known.max())}: {span:,} periods "
                           f"of '{freq}', more than {MAX_PERIODS:,}; choose a longer period (--freq) or fix the outlying dates")
    table = features[dates.notna()].assign(_period=dates[dates.notna()].dt.to_period(freq))
    keys = _cell_keys(features)
    table = table.assign(_cell=table[by].astype(str) + "\x1f" + table["_period"].astype(str))
    rates = compare(table, "_cell", n_boot=n_boot, level=level, min_docs=1, seed=seed)
    cell = rates["_cell"].str.split("\x1f", expand=True)
    rates = rates.drop(columns=["_cell", "resampled"]).assign(**{by: cell[0], "_period": cell[1]})
    periods = pd.period_range(table["_period"].min(), table["_period"].max(), freq=freq).astype(str)
    grid = pd.MultiIndex.from_product(
        [sorted(table[by].astype(str).unique()), list(periods), *[list(dict.fromkeys(features[k])) for k in keys]],
        names=[by, "_period", *keys],
    ).to_frame(index=False)
    out = grid.merge(rates, on=[by, "_period", *keys], how="left")
    out[["count", "n_tokens", "n_docs"]] = out[["count", "n_tokens", "n_docs"]].fillna(0).astype(np.int64)
    out["warning"] = out["warning"].where(out["n_docs"] > 0, "no documents in this period")
    out.insert(1, "period", pd.PeriodIndex(out.pop("_period"), freq=freq).start_time.strftime("%Y-%m-%d"))
    return out[[by, "period", *keys, "count", "n_tokens", "per_1k", "ci_low", "ci_high", "n_docs", "warning"]]
