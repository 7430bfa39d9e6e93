"""Scores of a coded sheet: precision per category and per pattern with Wilson intervals,
weighted back to the corpus, recall from coded misses, agreement between coders, and the
exclusions the coding proposes. Tables in, tables out: nothing here reads the corpus."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from framing.errors import FramingError
from framing.measures import cohen_kappa, krippendorff_alpha_nominal, wilson_interval
from framing.params import check_float, check_int

KEY_COLUMNS = ["item_id", "category", "pattern", "weight"]
"""With ``blind``, what the coder must not see goes to a key file beside the sheet."""
TRUE_LABELS = {"1", "yes", "y", "true", "t"}
FALSE_LABELS = {"0", "no", "n", "false", "f"}


def key_path(sheet: "str | Path") -> Path:
    """Where the key of a blind sheet lives: ``SHEET.key.csv`` beside ``SHEET.csv``."""
    path = Path(sheet)
    return path.with_name(path.stem + ".key.csv")


def read_sheet(path: "str | Path", *, origin: str | None = None) -> pd.DataFrame:
    """A coding sheet as written by ``framing validate sample`` (every cell read as text).
    A blind sheet is joined with its key (:func:`key_path`) when the key is beside it."""
    origin = origin or str(path)

    def read(where):
        try:
            return pd.read_csv(where, dtype=str, keep_default_na=False)
        except (OSError, ValueError) as exc:
            raise FramingError(f"{where}: cannot read the sheet ({str(exc).splitlines()[0]})") from None

    sheet = read(path)
    if "item_id" not in sheet.columns:
        raise FramingError(f"{origin}: not a coding sheet of framing: no item_id column")
    if "category" not in sheet.columns and key_path(path).is_file():
        sheet = sheet.merge(read(key_path(path)), on="item_id", how="left")
    return sheet


def _sheet_line(sheet: pd.DataFrame, row: int) -> int:
    """The line of the sheet's CSV file on which data row ``row`` (0-based) starts: after the
    header, one line per row plus the line breaks inside the quoted cells of the rows before
    (a sentence with a line break in it), so the number is the one an editor shows."""
    before = sheet.iloc[:row]
    breaks = sum(int(before[c].astype(str).str.count("\n").sum()) for c in before.columns if before[c].dtype == object
                 or pd.api.types.is_string_dtype(before[c]))
    return 2 + row + breaks


def _labels(sheet: pd.DataFrame, origin: str) -> pd.Series:
    raw = sheet["label"].fillna("").astype(str).str.strip().str.lower()
    bad = ~raw.isin(TRUE_LABELS | FALSE_LABELS | {""})
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise FramingError(
            f"{origin}: line {_sheet_line(sheet, row)}: label {sheet['label'].iloc[row]!r} is not 1/0, yes/no or "
            "true/false (blank: not coded)"
        )
    return raw.map(lambda v: 1.0 if v in TRUE_LABELS else 0.0 if v in FALSE_LABELS else np.nan)


def _weights(sheet: pd.DataFrame, origin: str) -> pd.Series:
    """The sampling weights, each a positive number (the sheet was edited by hand: say where one is not)."""
    weight = pd.to_numeric(sheet["weight"], errors="coerce")
    bad = ~((weight > 0) & np.isfinite(weight))  # inf or 1e309 would make every weighted figure NaN
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise FramingError(f"{origin}: line {_sheet_line(sheet, row)}: weight {sheet['weight'].iloc[row]!r} is not a "
                           "positive finite number; restore it from the sheet framing validate sample wrote")
    return weight


MIN_CODED = 3
"""A pattern is flagged, and exclusions are proposed for it, only when at least this many of
its matches were coded: one false item is an anecdote, not a precision."""
MIN_MISSES = 10
"""Recall estimated from fewer coded unmatched sentences than this, or with no miss found
among them, is marked prior-driven: the miss rate is then mostly the uniform prior's."""


def score_sheet(sheet: pd.DataFrame, *, key: pd.DataFrame | None = None, threshold: float = 0.8,
                min_coded: int = MIN_CODED, min_misses: int = MIN_MISSES, origin: str = "sheet") -> pd.DataFrame:
    """Precision per category (``pattern`` empty) and per pattern of a coded sheet.

    Columns: ``category``, ``pattern``, ``n_coded`` (the coded items each precision rests
    on), ``n_true``, ``precision``, ``ci_low``, ``ci_high`` (Wilson 95%),
    ``weighted_precision`` with ``weighted_low``/``weighted_high`` (category rows: each
    pattern's coded precision weighted by its matches in the corpus, the sum of its items'
    sampling weights, a pattern no one coded taking the category's pooled coding; estimate
    and interval from :func:`weighted_precision`), ``n_effective`` (the effective number of
    coded items that interval rests on, :func:`effective_counts`), ``n_uncoded``, ``flag`` (precision under ``threshold``,
    for patterns with at least ``min_coded`` coded items), ``exclude`` (for flagged
    patterns: the exclusions to consider, from the matches coded false; see
    :func:`_exclusions`), and, on category rows of a sheet with coded missed sentences,
    ``n_misses`` (coded unmatched sentences recall rests on, beside the category's
    ``n_coded`` matches), ``n_missed``, ``recall``, ``recall_low``, ``recall_high``
    (:func:`estimated_recall`); last, ``note``: "too few coded (n of min_coded)" on a
    pattern that is not judged, "prior-driven recall: ..." where recall rests on fewer than
    ``min_misses`` coded unmatched sentences or no miss was found among them.
    """
    check_float("threshold", threshold, low=0, high=1)
    check_int("min_coded", min_coded, low=1)
    check_int("min_misses", min_misses, low=1)
    if key is not None:
        sheet = sheet.drop(columns=[c for c in ("category", "pattern", "weight") if c in sheet.columns]).merge(
            key, on="item_id", how="left")
    missing = [c for c in ("item_id", "category", "pattern", "match", "weight", "label") if c not in sheet.columns]
    if missing:
        raise FramingError(f"{origin}: not a coding sheet of framing: no {', '.join(missing)} column (a blind sheet needs its key)")
    if sheet["item_id"].duplicated().any():
        raise FramingError(f"{origin}: item {sheet.loc[sheet['item_id'].duplicated(), 'item_id'].iloc[0]!r} appears twice")
    table = sheet.assign(_y=_labels(sheet, origin).to_numpy(), weight=_weights(sheet, origin).to_numpy())
    is_miss = table["pattern"].fillna("").astype(str).eq("")
    missed, table = table[is_miss], table[~is_miss]
    rows = []
    for level in ("category", "pattern"):
        keys = ["category"] if level == "category" else ["category", "pattern"]
        for key_values, part in table.groupby(keys, sort=True):
            key_values = key_values if isinstance(key_values, tuple) else (key_values,)
            coded = part[part["_y"].notna()]
            n_true, n_coded = int(coded["_y"].sum()), len(coded)
            false_words = _exclusions(coded, table[(table["category"] == key_values[0]) & (table["_y"] == 1)])
            rows.append((key_values[0], key_values[1] if level == "pattern" else "", n_coded, n_true,
                         n_true / n_coded if n_coded else np.nan, len(part) - n_coded, "; ".join(false_words)))
    out = pd.DataFrame(rows, columns=["category", "pattern", "n_coded", "n_true", "precision", "n_uncoded", "exclude"])
    out["ci_low"], out["ci_high"] = wilson_interval(out["n_true"], out["n_coded"])
    out["weighted_precision"], out["weighted_low"], out["weighted_high"], out["n_effective"] = np.nan, np.nan, np.nan, np.nan
    for category, part in table.groupby("category", sort=True):  # estimate and interval from the same strata
        at = (out["category"] == category) & (out["pattern"] == "")
        strata = _strata(part, table[table["category"] == category])
        if strata:
            out.loc[at, ["weighted_precision", "weighted_low", "weighted_high"]] = weighted_precision(strata)
            out.loc[at, "n_effective"] = effective_counts(strata)[1]
    judged = out["n_coded"] >= min_coded
    out["flag"] = (out["precision"] < threshold) & (judged | (out["pattern"] == ""))
    out["exclude"] = out["exclude"].where(out["flag"] & (out["pattern"] != ""), "")
    out["note"] = np.where((out["pattern"] != "") & ~judged & (out["n_coded"] > 0),
                           "too few coded (" + out["n_coded"].astype(str) + f" of {min_coded})", "")
    out = _with_recall(out, table, missed, min_misses)
    columns = ["category", "pattern", "n_coded", "n_true", "precision", "ci_low", "ci_high", "weighted_precision",
               "weighted_low", "weighted_high", "n_effective", "n_uncoded", "flag", "exclude", "n_misses", "n_missed", "recall",
               "recall_low", "recall_high", "note"]
    return out[columns].sort_values(["category", "pattern"], kind="mergesort").reset_index(drop=True)


def _strata(matched: pd.DataFrame, category_items: pd.DataFrame) -> list[tuple[float, float, int]]:
    """Per pattern of a category: (matches in the corpus, items coded true, items coded). A
    pattern no one coded takes the category's pooled coding."""
    pooled = category_items[category_items["_y"].notna()]
    strata = []
    for _, stratum in matched.groupby("pattern", sort=True):
        coded = stratum[stratum["_y"].notna()]
        source = coded if len(coded) else pooled
        strata.append((float(stratum["weight"].sum()), float(source["_y"].sum()), len(source)))
    return [s for s in strata if s[2] > 0]


def effective_counts(strata) -> tuple[float, float]:
    """The stratified precision of a category's matches and its effective number of coded items.

    The precision is sum over patterns of N_s p_s / sum of N_s, with N_s the matches of
    pattern s in the corpus and p_s = k_s / n_s its coded precision: the stratified estimate
    of a sample stratified by pattern (Cochran 1977, ch. 5). The effective number of coded
    items is Kish's (1965) for these weights, n_eff = 1 / sum of W_s^2 / n_s with W_s = N_s /
    sum of N: the simple random sample that would estimate the precision as closely if every
    pattern had the category's precision (one pattern: its n_s). ``(nan, nan)`` when a
    stratum has no coded item or there is no match.

    Examples
    --------
    A pattern of 300 matches with 4 of 4 coded true, one of 100 with 5 of 10: (300 x 1 +
    100 x 0.5) / 400, and n_eff = 1 / (0.75^2 / 4 + 0.25^2 / 10) = 1 / 0.146875 = 6.8.

    >>> p, n = effective_counts([(300, 4, 4), (100, 5, 10)])
    >>> round(p, 4), round(n, 1)
    (0.875, 6.8)
    """
    strata = np.asarray(strata, dtype=float).reshape(-1, 3)
    if not len(strata) or (strata[:, 2] <= 0).any() or strata[:, 0].sum() <= 0:
        return np.nan, np.nan
    matches, true, coded = strata.T
    total = matches.sum()  # shares taken at the end: every pattern coded true gives 1.0 exactly
    return float((matches * true / coded).sum() / total), float(total**2 / (matches**2 / coded).sum())


def weighted_precision(strata, *, level: float = 0.95):
    """Precision of a category weighted back to the corpus, with an interval.

    The estimate is the stratified precision of :func:`effective_counts`, and its interval
    the Wilson interval (:func:`framing.measures.wilson_interval`) of that precision on the
    effective number of coded items: with one pattern, the Wilson interval of its own counts,
    as the unweighted precision has. Always around its estimate, and conservative when the
    patterns' precisions differ (Kish's n_eff ignores what stratifying gains).

    An interval from each pattern's Beta posterior under its own uniform prior, drawn
    jointly, pulled every pattern with one or two coded items towards 1/2: 31 patterns all
    coded true read 1.00 [0.59, 0.86], and in simulated corpora of mostly precise patterns
    (3-30 patterns, 1-4 coded each) that interval held the true precision in 21% of them,
    this one in 95% (``tests/test_validation.py``).

    Parameters
    ----------
    strata : sequence of (N, k, n)
        Per pattern: matches in the corpus, items coded true, items coded.
    level : float
        The interval's central share.

    Returns
    -------
    (precision, low, high)

    References
    ----------
    Cochran, W. G. (1977). Sampling Techniques, 3rd ed. Wiley.
    Kish, L. (1965). Survey Sampling. Wiley.
    Dean, N., & Pagano, M. (2015). Evaluating confidence interval methods for binomial proportions
    in clustered surveys. Journal of Survey Statistics and Methodology 3(4), 484-503.

    Examples
    --------
    One pattern, 8 of 10 coded true: its Wilson interval.

    >>> p, low, high = weighted_precision([(500, 8, 10)])
    >>> round(p, 2), round(low, 4), round(high, 4)
    (0.8, 0.4902, 0.9433)
    """
    check_float("level", level, low=0, high=1)
    p, n = effective_counts(strata)
    if np.isnan(p):
        return np.nan, np.nan, np.nan
    low, high = wilson_interval(p * n, n, level)
    return p, float(min(low, p)), float(max(high, p))  # around its estimate, to the last digit (p = 1 gives 1)


def describe(report: pd.DataFrame) -> list[str]:
    """One line per finding of a :func:`score_sheet` report: each estimated recall, and each
    flagged pattern with the exclusions it proposes."""
    lines = []
    for row in report[report["recall"].notna()].itertuples():
        lines.append(f"{row.category}: estimated recall {row.recall:.2f} [{row.recall_low:.2f}, {row.recall_high:.2f}] "
                     f"({int(row.n_missed)} of {int(row.n_misses)} unmatched sentences coded as misses)"
                     + (f"; {row.note}" if row.note else ""))
    for row in report[(report["pattern"] != "") & report["note"].str.startswith("too few coded")].itertuples():
        lines.append(f"{row.category}: '{row.pattern}' is not judged: {row.note}")
    for row in report[report["exclude"] != ""].itertuples():
        lines.append(f"{row.category}: '{row.pattern}' has precision {row.precision:.2f}; consider excluding: {row.exclude}")
    return lines


def _exclusions(coded: pd.DataFrame, true_items: pd.DataFrame) -> list[str]:
    """The exclusions a pattern's false matches propose. A word coded false is proposed as a
    word, unless excluding it would also drop what the pattern is for: the word is the
    pattern itself or its stem (``vote`` of ``vote``, ``election`` of ``election*``), or coders
    marked it true elsewhere in the category. Then only its false context is proposed: the
    word before it and the match (``my vote``, ``what election``)."""
    kept_words = {str(m).lower() for m in true_items["match"]}
    proposals = []
    for row in coded[coded["_y"] == 0].itertuples(index=False):
        word = str(row.match).lower()
        stem = str(row.pattern).lower().rstrip("*")
        if word not in kept_words and word != stem:
            proposals.append(word)
            continue
        before = [w.strip(".,;:!?()[]{}\"“”‘'«»-–—…•") for w in str(getattr(row, "left", "")).split()]
        before = [w for w in before if w]
        if before:
            proposals.append(f"{before[-1].lower()} {word}")
    return sorted(set(proposals))


def _with_recall(report: pd.DataFrame, matched: pd.DataFrame, missed: pd.DataFrame, min_misses: int) -> pd.DataFrame:
    """Category rows get ``n_misses`` (missed-sentence items coded), ``n_missed`` (of them
    coded 1) and the :func:`estimated_recall` with its interval; NaN without miss items. A
    recall resting on fewer than ``min_misses`` coded sentences, or on no miss found, gets
    a ``note`` saying it is prior-driven."""
    report = report.assign(n_misses=np.nan, n_missed=np.nan, recall=np.nan, recall_low=np.nan, recall_high=np.nan)
    for category, part in missed.groupby("category", sort=True):
        coded = part[part["_y"].notna()]
        at = (report["category"] == category) & (report["pattern"] == "")
        if not at.any():  # misses drawn for a category with no match on the sheet
            report = pd.concat([report, pd.DataFrame({"category": [category], "pattern": [""], "n_coded": [0],
                                                      "n_true": [0], "n_uncoded": [0], "flag": [False],
                                                      "exclude": [""], "note": [""]})], ignore_index=True)
            at = (report["category"] == category) & (report["pattern"] == "")
        report.loc[at, "n_uncoded"] += len(part) - len(coded)
        report.loc[at, ["n_misses", "n_missed"]] = [len(coded), coded["_y"].sum()]
        unmatched = part["weight"].iloc[0] * len(part)  # unmatched sentences in the corpus
        items = matched[matched["category"] == category]
        strata = _strata(items, items)
        if len(coded) and strata:
            report.loc[at, ["recall", "recall_low", "recall_high"]] = estimated_recall(
                strata, (unmatched, coded["_y"].sum(), len(coded)))
            n_missed = int(coded["_y"].sum())
            if len(coded) < min_misses or n_missed == 0:
                why = (f"{len(coded)} coded unmatched sentence(s), under {min_misses}" if len(coded) < min_misses
                       else f"no miss among {len(coded)} coded unmatched sentences")
                report.loc[at, "note"] = f"prior-driven recall: {why}; the miss rate is mostly the uniform prior's"
    return report


def estimated_recall(found, missed, *, level: float = 0.95, n_draws: int = 20000, seed: int = 0):
    """Recall of a lexicon estimated from coded samples of its matches and of the sentences it did not match.

    The expressions of a category in a corpus are the true matches, T = N P (N matches in
    the corpus, P their stratified precision, :func:`effective_counts`), plus the missed
    ones, F = U m (U sentences without a match, m the share of sampled ones the coder found
    to express the category all the same). Recall is T / (T + F). A missed sentence counts
    as one missed expression, so a sentence that holds two makes recall look higher than it
    is. The estimate follows Webber (2013): the precision and the miss rate get their
    posterior under a uniform prior, Beta(k + 1, n - k + 1), the precision's on its
    effective counts (k = P n_eff of n_eff), recall is computed on ``n_draws`` joint draws
    (fixed ``seed``: same sheet, same interval), the interval is their central ``level``
    share and the estimate their median. With many coded items the median is the plug-in
    ratio; with few it is not, and unlike the plug-in ratio (1.0 when no miss was found
    among three sentences) it always lies inside its interval. (A prior per pattern pulled
    patterns with one or two coded items towards 1/2, and with them recall: its 95%
    interval held the true recall in 91% of simulated corpora of precise patterns.)

    Parameters
    ----------
    found : sequence of (N, k, n)
        Per pattern: matches in the corpus, items coded true, items coded.
    missed : (U, k, n)
        Unmatched sentences in the corpus, sampled ones coded as expressing the category, sampled ones coded.

    Returns
    -------
    (recall, low, high)

    References
    ----------
    Webber, W. (2013). Approximate recall confidence intervals. ACM Transactions on
    Information Systems 31(1), article 2.

    Examples
    --------
    1,000 matches of which 400 of 500 coded true (T = 800); 10,000 unmatched sentences of
    which 10 of 500 coded as a miss (F = 200): the plug-in recall is 800 / 1,000; the
    posterior's median is a little lower, as the uniform prior adds a miss.

    >>> recall, low, high = estimated_recall([(1000, 400, 500)], (10000, 10, 500))
    >>> round(recall, 2), round(low, 2), round(high, 2)
    (0.79, 0.69, 0.88)
    """
    check_float("level", level, low=0, high=1)
    found = np.asarray(found, dtype=float).reshape(-1, 3)
    big_u, k_m, n_m = (float(v) for v in missed)
    precision, n_eff = effective_counts(found)
    if np.isnan(precision) or n_m <= 0:
        return np.nan, np.nan, np.nan
    rng = np.random.default_rng(seed)
    k_eff = precision * n_eff
    t = found[:, 0].sum() * rng.beta(k_eff + 1, n_eff - k_eff + 1, size=n_draws)
    f = big_u * rng.beta(k_m + 1, n_m - k_m + 1, size=n_draws)
    draws = t / (t + f)
    low, point, high = np.quantile(draws, [(1 - level) / 2, 0.5, (1 + level) / 2])
    return float(point), float(low), float(high)


def agreement(first: pd.DataFrame, second: pd.DataFrame, *, key: pd.DataFrame | None = None,
              origins: tuple[str, str] = ("first sheet", "second sheet")) -> pd.DataFrame:
    """Agreement of two coders' sheets of the same items, per category and overall (``category`` "all").

    Columns: ``category``, ``n`` (items both coded), ``percent_agreement``, ``cohen_kappa``
    (Cohen 1960), ``krippendorff_alpha`` (nominal; Krippendorff 2011). Items are matched on
    ``item_id``; items in one sheet only are an error that names them.
    """
    a_ids, b_ids = set(first["item_id"]), set(second["item_id"])
    if a_ids != b_ids:
        only = sorted(a_ids - b_ids)[:5] or sorted(b_ids - a_ids)[:5]
        where = origins[0] if a_ids - b_ids else origins[1]
        raise FramingError(f"the sheets code different items: {', '.join(only)} only in {where}; code the same sheet twice")
    a = first.assign(_a=_labels(first, origins[0]).to_numpy())
    b = second.assign(_b=_labels(second, origins[1]).to_numpy())[["item_id", "_b"]]
    both = a.merge(b, on="item_id")
    if "category" not in both.columns:
        if key is None:
            raise FramingError(f"{origins[0]}: a blind sheet needs its key (SHEET.key.csv) to tell the categories")
        both = both.merge(key[["item_id", "category"]], on="item_id")
    both = both[both["_a"].notna() & both["_b"].notna()]
    rows = []
    for category, part in [("all", both), *both.groupby("category", sort=True)]:
        x, y = part["_a"].to_numpy(), part["_b"].to_numpy()
        rows.append((category, len(part), float((x == y).mean()) if len(part) else np.nan,
                     cohen_kappa(x, y) if len(part) else np.nan,
                     krippendorff_alpha_nominal(np.column_stack([x, y])) if len(part) else np.nan))
    return pd.DataFrame(rows, columns=["category", "n", "percent_agreement", "cohen_kappa", "krippendorff_alpha"])


def frame_agreement(first: pd.DataFrame, second: pd.DataFrame, frames: list[str], *,
                    origins: tuple[str, str] = ("first sheet", "second sheet")) -> pd.DataFrame:
    """Agreement of two coders on a frame sheet (labels already read as 1.0, 0.0 or NaN), per frame
    and over all frame decisions (``frame`` "all").

    Columns: ``frame``, ``n`` (units both coded for the frame), ``n_positive_first``,
    ``n_positive_second``, ``percent_agreement``, ``cohen_kappa``, ``krippendorff_alpha``
    (nominal). Units are matched on ``item_id``; a unit in one sheet only is an error naming it.

    Examples
    --------
    >>> a = pd.DataFrame({"item_id": ["u1", "u2", "u3", "u4"], "conflict": [1.0, 1.0, 0.0, 0.0]})
    >>> b = pd.DataFrame({"item_id": ["u1", "u2", "u3", "u4"], "conflict": [1.0, 0.0, 0.0, np.nan]})
    >>> table = frame_agreement(a, b, ["conflict"])
    >>> int(table.loc[0, "n"]), round(float(table.loc[0, "percent_agreement"]), 4), round(float(table.loc[0, "cohen_kappa"]), 4)
    (3, 0.6667, 0.4)
    """
    a_ids, b_ids = set(first["item_id"]), set(second["item_id"])
    if a_ids != b_ids:
        only = sorted(a_ids - b_ids)[:5] or sorted(b_ids - a_ids)[:5]
        where = origins[0] if a_ids - b_ids else origins[1]
        raise FramingError(f"the sheets code different units: {', '.join(only)} only in {where}; code the same sheet twice")
    both = first[["item_id", *frames]].merge(second[["item_id", *frames]], on="item_id", suffixes=("_a", "_b"))
    rows, pooled = [], ([], [])
    for frame in frames:
        x, y = both[f"{frame}_a"].to_numpy(float), both[f"{frame}_b"].to_numpy(float)
        keep = ~np.isnan(x) & ~np.isnan(y)
        x, y = x[keep], y[keep]
        pooled[0].append(x)
        pooled[1].append(y)
        rows.append(_agree_row(frame, x, y))
    rows.append(_agree_row("all", np.concatenate(pooled[0]), np.concatenate(pooled[1])))
    return pd.DataFrame(rows, columns=["frame", "n", "n_positive_first", "n_positive_second", "percent_agreement",
                                       "cohen_kappa", "krippendorff_alpha"])


def _agree_row(name: str, x: np.ndarray, y: np.ndarray) -> tuple:
    if not len(x):
        return (name, 0, 0, 0, np.nan, np.nan, np.nan)
    return (name, len(x), int(x.sum()), int(y.sum()), float((x == y).mean()), cohen_kappa(x, y),
            krippendorff_alpha_nominal(np.column_stack([x, y])))


def proposed_exclusions(report: pd.DataFrame) -> dict[str, list[str]]:
    """The exclusions a :func:`score_sheet` report proposes, per category, in order, once each."""
    proposed: dict[str, list[str]] = {}
    for row in report[(report["exclude"] != "") & (report["pattern"] != "")].itertuples():
        proposed.setdefault(row.category, []).extend(w.strip() for w in row.exclude.split(";") if w.strip())
    return {c: list(dict.fromkeys(words)) for c, words in proposed.items()}
