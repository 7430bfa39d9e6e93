"""Comparisons within stories: what outlets do with the same story, apart from which stories they cover.

Tables in, tables out. ``within`` names a column of the feature table that groups documents into
strata (``story``, from :func:`framing.features.stories.stories`, or any event id of your own).

* :func:`within_model`: per category, a Poisson model of document counts with a fixed effect per
  story and ``log(n_tokens)`` as offset, fitted on the stories covered by at least two groups; its
  rate ratios compare groups on the same stories. Standard errors are cluster-robust by story
  (CR1, ``G / (G - 1)``; intervals and p-values from Student's t with ``G - 1`` degrees of freedom),
  which also makes the model robust to over-dispersion (Poisson pseudo-maximum likelihood; Santos
  Silva & Tenreyro 2006; Wooldridge 1999). The story effects are concentrated out of the likelihood
  (the conditional, multinomial-within-story form of the Poisson fixed-effects model), so the cost
  grows with the documents, not with documents x stories, and no dummy matrix is built; a test holds
  the estimates and standard errors equal to statsmodels' GLM with one dummy per story. Beside each
  within-story ratio, the pooled ratio of the same groups over all their documents (no story effects,
  errors robust by document, as a pooled analysis has them) shows what pooling would have said.
* :func:`within_keyness`: per term, the Mantel-Haenszel rate ratio of a target against a reference
  over the stories both covered, with Greenland & Robins' interval
  (:func:`framing.measures.mantel_haenszel_rate_ratio`).

Every row says how many stories and documents it rests on.

Santos Silva, J. M. C., & Tenreyro, S. (2006). The log of gravity. *Review of Economics and
Statistics* 88(4), 641-658. Wooldridge, J. M. (1999). Distribution-free estimation of some
nonlinear panel data models. *Journal of Econometrics* 90(1), 77-97.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.comparison.models import MAX_MODEL_GROUPS, TOO_MANY
from framing.errors import FramingError
from framing.groups import default_note, default_reference, sides
from framing.measures import benjamini_hochberg, mantel_haenszel_rate_ratio
from framing.params import LEVEL, checked
from framing.tables import require_columns

MIN_GROUPS = 2
"""A story enters a within-story comparison when at least this many of the compared groups covered it."""


def fe_poisson(y, offset, X, strata, clusters=None, *, tol: float = 1e-10, max_iter: int = 100):
    """Poisson regression with one fixed effect per stratum, the effects concentrated out.

    For ``y`` (counts), ``offset`` (log exposure), ``X`` (n x k, no constant) and ``strata``
    (integer codes), maximises the profile log-likelihood
    ``sum_i y_i (o_i + x_i b) - sum_s Y_s log sum_{i in s} exp(o_i + x_i b)`` by Newton's method.
    Returns ``(beta, cov, n_used)``: ``cov`` is cluster-robust by ``clusters`` (default: the strata)
    with the CR1 factor ``G / (G - 1)``; strata whose counts are all zero carry no information and
    are left out (``n_used`` documents remain).

    Examples
    --------
    >>> y = np.array([2, 4, 1, 2]); X = np.array([[0.0], [1.0], [0.0], [1.0]])  # twice the rate in both stories
    >>> beta, cov, n = fe_poisson(y, np.zeros(4), X, np.array([0, 0, 1, 1]))
    >>> round(float(np.exp(beta[0])), 6), n
    (2.0, 4)
    """
    y, offset, X = np.asarray(y, float), np.asarray(offset, float), np.asarray(X, float)
    strata = pd.factorize(np.asarray(strata))[0]
    totals = np.bincount(strata, weights=y)
    used = totals[strata] > 0
    y, offset, X, strata = y[used], offset[used], X[used], pd.factorize(strata[used])[0]
    clusters = strata if clusters is None else pd.factorize(np.asarray(clusters)[used])[0]
    n_strata = strata.max() + 1 if len(strata) else 0
    Y = np.bincount(strata, weights=y, minlength=n_strata)
    beta = np.zeros(X.shape[1])

    def moments(beta):
        eta = offset + X @ beta
        eta = eta - np.maximum.reduceat(eta, _starts(strata))[_rank(strata)] if len(eta) else eta
        w = np.exp(eta)
        W = np.bincount(strata, weights=w, minlength=n_strata)
        p = w / W[strata]
        mu = Y[strata] * p
        xbar = np.column_stack([np.bincount(strata, weights=p * X[:, j], minlength=n_strata) for j in range(X.shape[1])])
        centred = X - xbar[strata]
        grad = ((y - mu)[:, None] * X).sum(axis=0)
        hess = -(mu[:, None] * centred).T @ centred
        return mu, grad, hess

    def loglik(beta):  # the profile log-likelihood, to keep Newton's steps uphill
        eta = offset + X @ beta
        top = np.maximum.reduceat(eta, _starts(strata))
        log_w = np.log(np.bincount(strata, weights=np.exp(eta - top[_rank(strata)]), minlength=n_strata)) + top
        return float(y @ eta - Y @ log_w)

    order = np.argsort(strata, kind="stable")  # reduceat needs each stratum's rows together
    y, offset, X, strata, clusters = y[order], offset[order], X[order], strata[order], clusters[order]
    current = loglik(beta) if len(y) else 0.0
    for _ in range(max_iter):
        mu, grad, hess = moments(beta)
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:  # no information left (every weight on one side): no estimate
            return np.full(X.shape[1], np.nan), np.full((X.shape[1], X.shape[1]), np.nan), int(used.sum())
        # Newton's step, halved until the likelihood rises: from far away a full step overshoots (three
        # matches, one of them in a group of three short documents, sent it to 1e3 and then to inf)
        for _ in range(60):
            trial = beta - step
            value = loglik(trial)
            if np.isfinite(value) and value >= current - 1e-12:
                break
            step = step / 2
        beta, current = trial, value
        if np.max(np.abs(step)) < tol:
            break
    mu, grad, hess = moments(beta)
    bread = np.linalg.inv(-hess)
    scores = (y - mu)[:, None] * X
    n_clusters = clusters.max() + 1
    u = np.column_stack([np.bincount(clusters, weights=scores[:, j], minlength=n_clusters) for j in range(X.shape[1])])
    meat = u.T @ u
    cov = bread @ meat @ bread * (n_clusters / (n_clusters - 1) if n_clusters > 1 else np.nan)
    return beta, cov, int(used.sum())


def _starts(codes: np.ndarray) -> np.ndarray:
    """First row of each run of equal codes (the rows sorted by code)."""
    return np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])


def _rank(codes: np.ndarray) -> np.ndarray:
    """For each row, the index of its run (the rows sorted by code)."""
    return np.cumsum(np.r_[True, codes[1:] != codes[:-1]]) - 1


def shared_strata(table: pd.DataFrame, by: str, within: str, groups, min_groups: int = MIN_GROUPS) -> pd.Series:
    """The strata (stories) of ``within`` that at least ``min_groups`` of ``groups`` cover: a boolean per row."""
    docs = table.drop_duplicates("doc_id")
    docs = docs[docs[by].astype(str).isin(groups)]
    covering = docs.groupby(within)[by].nunique()
    keep = set(covering[covering >= min_groups].index)
    return table[within].isin(keep) & table[by].astype(str).isin(groups)


@checked(level=LEVEL)
def within_model(features: pd.DataFrame, by: str, *, within: str = "story", reference: str | None = None,
                 groups=None, level: float = 0.95, min_groups: int = MIN_GROUPS, cluster: str | None = None) -> pd.DataFrame:
    """Rate ratios of each group against ``reference`` on the same stories, per category (see the module docstring).
    An empty table when no story is covered by ``min_groups`` of the groups.

    ``cluster`` names the column the errors are robust by (default: ``within``, the strata). Strata
    that are not a sample of clusters but a fixed classification, such as ``language`` (every
    language of the study is in it, and there are a handful), take ``cluster="doc_id"``: the fixed
    effects hold each language's level, and the errors are robust by document.

    ``groups`` limits the comparison to some groups (default: all). Returns one row per group and
    category (and voice): ``by``, ``reference``, ``category``, [``voice``], ``rate_ratio``, ``ci_low``,
    ``ci_high``, ``p_value``, ``p_adjusted`` (BH across categories, per group), ``pooled_ratio``,
    ``pooled_low``, ``pooled_high`` (all documents of the two groups, no story effects, errors robust by document),
    ``n_stories`` (stories the group and the reference both covered), ``n_docs`` (their documents),
    ``count``, ``warning``, ``level``, ``within``, ``chosen``.

    Examples
    --------
    >>> t = pd.DataFrame({"doc_id": list("abcdefgh"), "outlet": list("ABABABAB"), "category": "c",
    ...                   "story": ["s1", "s1", "s2", "s2", "s3", "s3", "s4", "s4"],
    ...                   "count": [1, 2, 10, 20, 2, 4, 5, 10], "n_tokens": [100] * 8})
    >>> row = within_model(t, "outlet", reference="A").iloc[0]
    >>> row["outlet"], round(float(row["rate_ratio"]), 6), int(row["n_stories"])
    ('B', 2.0, 4)
    """
    if isinstance(reference, (list, tuple)):  # one group, as the command line and the notebooks give it
        if len(reference) > 1:
            raise FramingError(f"within_model sets every group against one reference, got {len(reference)}: "
                               f"{', '.join(map(str, reference))}")
        reference = reference[0] if reference else None
    require_columns(features, ["doc_id", "category", "count", "n_tokens", by, within])
    if features[within].isna().any():
        raise FramingError(f"column '{within}' is empty for some documents; every document needs its story "
                           "(framing stories writes one per document)")
    table = features[features["n_tokens"] > 0].assign(**{by: lambda t: t[by].astype(str)})
    known = sorted(table[by].unique())
    chosen_groups = known if groups is None else [str(g) for g in groups]
    unknown = [g for g in chosen_groups if g not in known]
    if unknown:
        raise FramingError(f"unknown group '{unknown[0]}' in column '{by}'; groups: {', '.join(known[:20])}")
    if len(chosen_groups) > MAX_MODEL_GROUPS:  # one model per group and category: not fitted, and said on every row
        keys = ["category", "voice"] if "voice" in table.columns else ["category"]
        rows = table[keys].drop_duplicates().reset_index(drop=True)
        warning = (TOO_MANY.format(max=MAX_MODEL_GROUPS, by=by, n=len(chosen_groups))
                   + ": compare fewer groups (groups=[...], or --target and --reference)")
        return pd.DataFrame({by: "", "reference": "", **{k: rows[k] for k in keys}, "rate_ratio": np.nan, "ci_low": np.nan,
                             "ci_high": np.nan, "p_value": np.nan, "p_adjusted": np.nan, "pooled_ratio": np.nan,
                             "pooled_low": np.nan, "pooled_high": np.nan, "n_stories": 0, "n_docs": 0, "count": 0,
                             "warning": warning, "level": level, "within": within, "chosen": ""})
    shared = table[shared_strata(table, by, within, chosen_groups, min_groups)]
    keys = ["category", "voice"] if "voice" in table.columns else ["category"]
    columns = [by, "reference", *keys, "rate_ratio", "ci_low", "ci_high", "p_value", "p_adjusted", "pooled_ratio",
               "pooled_low", "pooled_high", "n_stories", "n_docs", "count", "warning", "level", "within", "chosen"]
    if shared.empty:  # nothing to compare: an empty table (the CLI says so in one line; charts are not drawn)
        return pd.DataFrame(columns=columns)
    sizes = shared.drop_duplicates("doc_id").groupby(by)["doc_id"].nunique()
    chosen = ""
    if reference is None:
        reference = default_reference(sizes)
        chosen = default_note("reference", reference, sizes, "pass --reference")
    reference = str(reference)
    if reference not in chosen_groups:
        raise FramingError(f"unknown reference group '{reference}' in column '{by}'; groups: {', '.join(chosen_groups)}")
    from scipy import stats

    others = [g for g in chosen_groups if g != reference]
    rows = []
    for key, part in shared.groupby(keys, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        pooled_part = table[table[by].isin(chosen_groups)]
        for k in keys:
            pooled_part = pooled_part[pooled_part[k] == key[keys.index(k)]]
        for group in others:
            pair = part[part[by].isin([group, reference])]
            pair = pair[shared_strata(pair, by, within, [group, reference], 2)]
            rows.append((group, reference, *key, *_ratio(pair, by, within, group, level, stats, cluster),
                         *_pooled(pooled_part[pooled_part[by].isin([group, reference])], by, within, group, level, stats),
                         pair[within].nunique(), pair["doc_id"].nunique(), int(pair.loc[pair[by] == group, "count"].sum()),
                         _warning(pair, by, within if cluster is None else cluster, group, reference)))
    out = pd.DataFrame(rows, columns=[c for c in columns if c not in ("p_adjusted", "level", "within", "chosen")])
    out.insert(out.columns.get_loc("p_value") + 1, "p_adjusted", np.nan)
    for _, index in out.groupby(by).groups.items():
        out.loc[index, "p_adjusted"] = benjamini_hochberg(out.loc[index, "p_value"].to_numpy(float))
    out["level"], out["within"], out["chosen"] = level, within, chosen
    return out


def _fit_ratio(part: pd.DataFrame, by: str, strata, clusters, group: str, level: float, stats) -> tuple:
    if part.empty or part.loc[part[by] == group, "count"].sum() == 0 or part.loc[part[by] != group, "count"].sum() == 0:
        return (np.nan,) * 4
    x = (part[by] == group).to_numpy(float)[:, None]
    beta, cov, _ = fe_poisson(part["count"].to_numpy(float), np.log(part["n_tokens"].to_numpy(float)), x, strata, clusters)
    g = len(np.unique(clusters))
    se = float(np.sqrt(cov[0, 0])) if g > 1 else np.nan
    q = stats.t.ppf(0.5 + level / 2, g - 1) if g > 1 else np.nan
    p = float(2 * stats.t.sf(abs(beta[0] / se), g - 1)) if g > 1 and se > 0 else np.nan
    return float(np.exp(beta[0])), float(np.exp(beta[0] - q * se)), float(np.exp(beta[0] + q * se)), p


def _ratio(pair: pd.DataFrame, by: str, within: str, group: str, level: float, stats, cluster: str | None = None) -> tuple:
    strata = pair[within].to_numpy()
    return _fit_ratio(pair, by, strata, strata if cluster is None else pair[cluster].to_numpy(), group, level, stats)


def _pooled(part: pd.DataFrame, by: str, within: str, group: str, level: float, stats) -> tuple:
    """The same two groups over all their documents, one stratum (no story effects), with errors robust by
    document: the comparison as a pooled analysis makes it (what a story's base rate does to it is the point)."""
    return _fit_ratio(part, by, np.zeros(len(part), int), part["doc_id"].to_numpy(), group, level, stats)[:3]


def _warning(pair: pd.DataFrame, by: str, within: str, group: str, reference: str) -> str:
    """What a row rests on, said when it is too little: ``within`` is the column the errors are robust by."""
    n = pair[within].nunique()
    counts = pair.groupby(by)["count"].sum()
    if counts.get(group, 0) == 0 or counts.get(reference, 0) == 0:
        return f"no matches in {group if counts.get(group, 0) == 0 else reference} on the shared stories: no rate ratio"
    if n < 10:
        what = f"shared stor{'y' if n == 1 else 'ies'}" if within != "doc_id" else f"document{'s' * (n != 1)}"
        return f"rests on {n} {what}: cluster-robust errors need more (at least 10)"
    return ""


@checked(level=LEVEL)
def within_keyness(counts: pd.DataFrame, *, cell: str = "cell", target: str = "target", reference: str = "reference",
                   level: float = 0.95, min_count: int = 3) -> pd.DataFrame:
    """Keyness of every term on the same stories: the Mantel-Haenszel rate ratio of ``target`` against
    ``reference`` over the stories both covered.

    ``counts`` are term counts per cell (:func:`framing.keywords.terms.term_counts` by a column whose
    values are ``STORY<TAB>SIDE``, the side being ``target`` or ``reference``). Returns one row per
    term with at least ``min_count`` occurrences in the shared stories: ``term``, ``rate_ratio``,
    ``ci_low``, ``ci_high``, ``log2_ratio``, ``p_value``, ``p_adjusted`` (BH), ``target_count``,
    ``reference_count``, ``n_stories``, ``level``; strongest first.
    """
    require_columns(counts, [cell, "term", "count"])
    parts = counts[cell].astype(str).str.split("\t", n=1, expand=True)
    table = counts.assign(_story=parts[0], _side=parts[1])
    words = table[table["n"] == 1].groupby(["_story", "_side"])["count"].sum().unstack(fill_value=0)
    words = words.reindex(columns=[target, reference], fill_value=0)
    stories = words[(words[target] > 0) & (words[reference] > 0)].index
    if not len(stories):
        raise FramingError("no story has documents on both sides, so there is no within-story keyness")
    terms = table[(table["term"] != "") & table["_story"].isin(stories)]
    grid = terms.pivot_table(index="term", columns=["_story", "_side"], values="count", aggfunc="sum", fill_value=0)
    from scipy import stats

    z = stats.norm.ppf(0.5 + level / 2)
    c = words.loc[stories, target].to_numpy(float)
    d = words.loc[stories, reference].to_numpy(float)
    rows = []
    for term, values in grid.iterrows():
        a = np.array([values.get((s, target), 0) for s in stories], float)
        b = np.array([values.get((s, reference), 0) for s in stories], float)
        if a.sum() + b.sum() < min_count:
            continue
        rr, se = mantel_haenszel_rate_ratio(a, b, c, d)
        if not np.isfinite(rr):  # one side has no occurrence: a half count on each side of every stratum it appears in
            present = (a + b) > 0
            rr, se = mantel_haenszel_rate_ratio(a[present] + 0.5, b[present] + 0.5, c[present], d[present])
        p = float(2 * stats.norm.sf(abs(np.log(rr) / se))) if se > 0 else np.nan
        rows.append((term, rr, rr * np.exp(-z * se), rr * np.exp(z * se), np.log2(rr), p, int(a.sum()), int(b.sum()),
                     int(((a + b) > 0).sum())))
    out = pd.DataFrame(rows, columns=["term", "rate_ratio", "ci_low", "ci_high", "log2_ratio", "p_value", "target_count",
                                      "reference_count", "n_stories"])
    out.insert(out.columns.get_loc("p_value") + 1, "p_adjusted", benjamini_hochberg(out["p_value"].to_numpy(float)))
    out["level"] = level
    return out.sort_values(["p_value", "term"], kind="mergesort").reset_index(drop=True)


def side_cells(documents: pd.DataFrame, by: str, within: str, target, reference=None) -> pd.Series:
    """Per document (indexed like ``documents``): ``STORY<TAB>target`` or ``STORY<TAB>reference``, or
    NaN for documents on neither side: the cells :func:`within_keyness` counts terms by."""
    groups = sorted(documents[by].astype(str).unique())
    targets, references, _, _ = sides(groups, target, reference, by)
    side = np.where(documents[by].astype(str).isin(targets), "target",
                    np.where(documents[by].astype(str).isin(references), "reference", None))
    cells = documents[within].astype(str) + "\t" + pd.Series(side, index=documents.index).astype(str)
    return cells.where(pd.Series(side, index=documents.index).notna())
