"""Count models: category counts per document, modelled with the grouping and covariates.

Tables in, a table out (the comparison layer): :func:`rate_model` fits, for each
category (and voice) of a count feature table, a generalized linear model of the
document's ``count`` with ``log(n_tokens)`` as offset, the grouping column as a
treatment-coded factor against a reference group, and optional covariates. The GLMs
are statsmodels' (Seabold & Perktold 2010); nothing is re-implemented here but the
design matrix.

* ``quasipoisson`` (default): Poisson GLM whose standard errors are scaled by the
  Pearson chi-squared dispersion (McCullagh & Nelder 1989, sec. 4.5), so
  over-dispersed counts do not get over-confident intervals;
* ``negbin``: negative binomial (NB2) with its dispersion estimated by maximum
  likelihood (statsmodels ``NegativeBinomial``; Cameron & Trivedi 2013, ch. 3).

With ``cluster``, standard errors are cluster-robust by that column (e.g. the speaker or
the outlet, when articles of one source are not independent). Cluster-robust errors
with few clusters are badly anti-conservative, worst when the compared groups are
constant within clusters (MacKinnon, Nielsen & Webb 2023), so the table uses the
leave-one-cluster-out jackknife (CV3) and Student's t with G - 1 degrees of freedom (G
clusters) for intervals and p-values, reports ``n_clusters`` on every row, and warns
when clusters are few (under :data:`MIN_CLUSTERS`, or under :data:`MIN_SIDE_CLUSTERS`
on either side of a contrast that is constant within clusters). A group whose documents
all lie in one cluster has no clustered error at all: its interval and p-value are NaN,
and the row says why.

MacKinnon, J. G., Nielsen, M. Ø., & Webb, M. D. (2023). Cluster-robust inference: A guide
to empirical practice. Journal of Econometrics 232(2), 272-299.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from framing.comparison.rates import warn_pooled_languages
from framing.errors import FramingError
from framing.groups import as_list, default_note, default_reference
from framing.measures import benjamini_hochberg
from framing.params import COUNT, LEVEL, OneOf, checked
from framing.tables import LANGUAGE, require_columns

MODEL_FAMILIES = ("quasipoisson", "negbin")
MAX_MODEL_GROUPS = 200
"""A rate model estimates one coefficient per group: more groups than this is refused."""


TOO_MANY = "a count model with one coefficient per group takes at most {max} groups, and column '{by}' has {n:,}"


def _too_many(features: pd.DataFrame, by: str, groups: list[str], level: float) -> pd.DataFrame:
    """The table of a model not fitted because ``by`` has too many groups: one row per category (and voice),
    no estimate, the reason in ``warning`` (the CLI turns it into its one-line error; charts are not drawn)."""
    keys = ["category", "voice"] if "voice" in features.columns else ["category"]
    rows = features[keys].drop_duplicates().reset_index(drop=True)
    warning = TOO_MANY.format(max=MAX_MODEL_GROUPS, by=by, n=len(groups)) + ": group the documents more coarsely"
    table = pd.DataFrame({by: "", "reference": "", **{k: rows[k] for k in keys}, "rate_ratio": np.nan, "ci_low": np.nan,
                          "ci_high": np.nan, "p_value": np.nan, "p_adjusted": np.nan, "n_docs": 0, "count": 0,
                          "model": "", "warning": warning})
    table["level"], table["chosen"] = level, ""
    return table


def _design(table: pd.DataFrame, by: str, reference: str, covariates: list[str]) -> pd.DataFrame:
    """Intercept, one dummy per non-reference group, then covariates (numbers as they are,
    anything else as dummies of its levels, the first level left out)."""
    groups = table[by].astype(str)
    levels = [reference] + sorted(g for g in groups.unique() if g != reference)
    columns = {"const": np.ones(len(table))}
    for level in levels[1:]:
        columns[f"{by}={level}"] = (groups == level).to_numpy(float)
    for name in covariates:
        values = table[name]
        numeric = pd.to_numeric(values, errors="coerce")
        if numeric.notna().all():
            columns[name] = numeric.to_numpy(float)
        else:
            text = values.astype(str)
            for level in sorted(text.unique())[1:]:
                columns[f"{name}={level}"] = (text == level).to_numpy(float)
    return pd.DataFrame(columns, index=table.index)


NO_DISPERSION = 1e-6
"""A negative binomial alpha under this has run to its boundary: the counts are Poisson.
Whether the optimizer then also reports a failure to converge depends on the machine's
floating point, so the table says so from alpha itself."""


MIN_CLUSTERS = 30
"""Under this many clusters, clustered p-values and intervals carry a warning."""
MIN_SIDE_CLUSTERS = 5
"""When the compared groups are constant within clusters, fewer clusters than this on
either side of a contrast make its clustered inference unreliable, whatever the total."""
JACKKNIFE_CLUSTERS = 200
"""Up to this many clusters, the CV3 jackknife refits the model once per cluster; beyond,
statsmodels' CV1 sandwich (with its small-sample factor) is used, still with t(G - 1)."""


def _fit(y, X, offset, family: str):
    import statsmodels.api as sm

    if family == "quasipoisson":
        return sm.GLM(y, X, family=sm.families.Poisson(), offset=offset).fit(scale="X2")
    return sm.NegativeBinomial(y, X, offset=offset).fit(disp=0, maxiter=200)


def cluster_jackknife_cov(y, X, offset, family: str, clusters, params) -> np.ndarray:
    """CV3, the leave-one-cluster-out jackknife variance of a count model's coefficients.

    .. math:: V = \\frac{G-1}{G} \\sum_{g=1}^{G} (\\hat\\beta_{(g)} - \\hat\\beta)(\\hat\\beta_{(g)} - \\hat\\beta)'

    where :math:`\\hat\\beta_{(g)}` is the fit without cluster g (MacKinnon, Nielsen &
    Webb 2023, eq. 21; Bell & McCaffrey 2002). A coefficient that a left-out cluster makes
    unidentifiable (its column is all zero without it: a group found in one cluster only;
    or the design loses its rank: the reference group's only cluster) gets a NaN
    variance: no clustered error can be had for it.

    Examples
    --------
    >>> import numpy as np
    >>> y, offset = np.array([1., 2., 3., 4.]), np.zeros(4)
    >>> X = np.ones((4, 1))  # the intercept only: log of the mean count
    >>> b = np.log(y.mean())
    >>> v = cluster_jackknife_cov(y, X, offset, "quasipoisson", np.array([0, 0, 1, 1]), np.array([b]))
    >>> leave = np.log([3.5, 1.5])  # the mean without cluster 0, without cluster 1
    >>> bool(np.isclose(v[0, 0], 0.5 * ((leave - b) ** 2).sum()))
    True
    """
    names = np.unique(clusters)
    n_groups = len(names)
    deltas = np.full((n_groups, len(params)), np.nan)
    for k, g in enumerate(names):
        keep = clusters != g
        columns = np.flatnonzero(np.abs(X[keep]).sum(axis=0) > 0)
        if np.linalg.matrix_rank(X[keep][:, columns]) < len(columns):  # e.g. the reference group's only cluster left out
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                fit = _fit(y[keep], X[keep][:, columns], offset[keep], family)
            except (np.linalg.LinAlgError, ValueError):
                continue
        estimate = np.asarray(fit.params)
        index = np.r_[columns, len(params) - 1] if family == "negbin" else columns
        deltas[k, index] = estimate - params[index]
    with np.errstate(invalid="ignore"):
        return (n_groups - 1) / n_groups * np.einsum("gi,gj->ij", deltas, deltas)


def _clustered(y, X, offset, family: str, clusters, result):
    """Standard errors and the t degrees of freedom of a clustered fit: CV3 up to
    :data:`JACKKNIFE_CLUSTERS` clusters, else statsmodels' CV1; df = G - 1."""
    params = np.asarray(result.params)
    n_groups = len(np.unique(clusters))
    if n_groups <= JACKKNIFE_CLUSTERS:
        cov = cluster_jackknife_cov(y, X, offset, family, clusters, params)
    else:
        import statsmodels.api as sm

        model = (sm.GLM(y, X, family=sm.families.Poisson(), offset=offset) if family == "quasipoisson"
                 else sm.NegativeBinomial(y, X, offset=offset))
        kwargs = {"cov_type": "cluster", "cov_kwds": {"groups": clusters}}
        refit = model.fit(**kwargs) if family == "quasipoisson" else model.fit(disp=0, maxiter=200, **kwargs)
        cov = np.asarray(refit.cov_params())
    with np.errstate(invalid="ignore"):
        return np.sqrt(np.diag(cov)), n_groups - 1


def _cluster_warning(part: pd.DataFrame, by: str, cluster: str, group: str, reference: str) -> str:
    """Why a clustered row's p-value and interval are to be read with care, or ''."""
    labels = part[by].astype(str)
    n_groups = part[cluster].nunique()
    holding = {g: part.loc[labels == g, cluster].nunique() for g in (group, reference)}
    alone = [g for g, n in holding.items() if n == 1]
    if alone:
        return (f"{' and '.join(alone)} lie{'s' if len(alone) == 1 else ''} in one {cluster}: no clustered error; "
                f"compare more {cluster} values per group, or drop --cluster")
    notes = []
    if n_groups < MIN_CLUSTERS:
        notes.append(f"few clusters ({n_groups} {cluster} values; at least {MIN_CLUSTERS} for reliable clustered "
                     f"errors): CV3 jackknife with t({n_groups - 1})")
    constant = part.groupby(cluster)[by].nunique().max() == 1
    few = {g: n for g, n in holding.items() if n < MIN_SIDE_CLUSTERS}
    if constant and few:
        notes.append(f"{by} is constant within {cluster} and only "
                     f"{', '.join(f'{n} {cluster} values hold {g}' for g, n in few.items())}: the p-value may still "
                     "be too small")
    return "; ".join(notes)


@checked(model=OneOf(MODEL_FAMILIES), level=LEVEL, min_docs=COUNT)
def rate_model(
    features: pd.DataFrame,
    by: str,
    reference: str | None = None,
    *,
    covariates=(),
    model: str = "quasipoisson",
    cluster: str | None = None,
    level: float = 0.95,
    min_docs: int = 5,
) -> pd.DataFrame:
    """Rate ratios of each group against ``reference``, per category, from a count model.

    Parameters
    ----------
    features : DataFrame
        A count feature table (``lexicon_features``, ``stance_features``, ``actor_features``).
    by : str
        The grouping column; ``reference`` is the baseline (default: :data:`framing.groups.DEFAULT_RULE`,
        the group with most documents or the earliest period; the ``chosen`` column says so).
    covariates : list of str
        Metadata columns added to the model (numeric as is, others as factors).
    model : {"quasipoisson", "negbin"}
        The GLM: quasi-Poisson (Poisson with the Pearson scale), or NB2 negative binomial.
    cluster : str, optional
        Column for cluster-robust standard errors: CV3 jackknife, t(G - 1) (module docstring),
        with ``n_clusters`` and warnings on the rows.
    min_docs : int
        Groups with fewer documents get a ``warning``: the model rests on too few documents.

    Returns
    -------
    DataFrame
        ``by`` (the group), ``reference``, ``category``, [``voice``], ``rate_ratio``,
        ``ci_low``, ``ci_high``, ``p_value``, ``p_adjusted`` (Benjamini-Hochberg across the
        categories, per group), ``n_docs``, ``count``, ``model`` (the family of the GLM),
        [``n_clusters``: with ``cluster``], [``alpha``, ``alpha_low``, ``alpha_high``: with
        ``negbin``, the NB2 dispersion of the category's fit and its interval, from the
        log-alpha scale so that it stays positive], ``warning``, ``chosen`` (which reference was
        picked, and why, when none was named; else empty).

    Examples
    --------
    >>> t = pd.DataFrame({"doc_id": list("abcdef"), "outlet": list("AAABBB"), "category": "c",
    ...                   "count": [1, 2, 1, 4, 5, 3], "n_tokens": [100] * 6})
    >>> row = rate_model(t, "outlet", min_docs=3).iloc[0]
    >>> row["outlet"], round(float(row["rate_ratio"]), 3)  # (4 + 5 + 3) / (1 + 2 + 1)
    ('B', 3.0)
    """
    family = model  # the GLM family of statsmodels (framing's "family" is a feature family)
    covariates = as_list(covariates)
    require_columns(features, ["doc_id", "category", "count", "n_tokens", by, *covariates, *([cluster] if cluster else [])])
    if LANGUAGE not in covariates:  # a language covariate holds each language's level apart
        warn_pooled_languages(features)
    groups = sorted(features[by].astype(str).unique())
    if len(groups) < 2:
        raise FramingError(f"column '{by}' has one group; a rate model needs at least two")
    if len(groups) > MAX_MODEL_GROUPS:  # one coefficient per group: not fitted, and said on every row
        return _too_many(features, by, groups, level)
    sizes = features.assign(_g=features[by].astype(str)).groupby("_g")["doc_id"].nunique()
    chosen = ""
    if reference is None:  # the one rule for a group nobody named (framing.groups.DEFAULT_RULE)
        reference = default_reference(sizes)
        chosen = default_note("reference", reference, sizes, "pass --reference")
    reference = str(reference)
    if reference not in groups:
        raise FramingError(f"unknown reference group '{reference}' in column '{by}'; groups: {', '.join(groups)}")
    from scipy import stats

    z = stats.norm.ppf(0.5 + level / 2)
    if cluster is not None and features[cluster].isna().any():
        raise FramingError(f"column '{cluster}' is empty for some documents; every document needs a cluster")
    keys = ["category", "voice"] if "voice" in features.columns else ["category"]
    docs = features.drop_duplicates("doc_id").assign(_g=lambda t: t[by].astype(str)).groupby("_g")["doc_id"].nunique()
    rows = []
    for key, part in features[features["n_tokens"] > 0].groupby(keys, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        X = _design(part, by, reference, covariates)
        clusters = pd.factorize(part[cluster])[0] if cluster else None
        y, offset = part["count"].to_numpy(float), np.log(part["n_tokens"].to_numpy(float))
        note, alpha = "", (np.nan, np.nan, np.nan)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = _fit(y, X.to_numpy(), offset, family)
                params, bse = np.asarray(result.params), np.asarray(result.bse)
                if family == "negbin":  # the interval of alpha on the log scale (delta method), so it stays positive
                    spread = z * bse[-1] / params[-1] if params[-1] > 0 else np.nan
                    alpha = (params[-1], params[-1] * np.exp(-spread), params[-1] * np.exp(spread))
                if clusters is None:
                    quantile, pvalues = z, np.asarray(result.pvalues)
                else:
                    bse, df = _clustered(y, X.to_numpy(), offset, family, clusters, result)
                    quantile = stats.t.ppf(0.5 + level / 2, df)
                    with np.errstate(invalid="ignore", divide="ignore"):
                        pvalues = 2 * stats.t.sf(np.abs(params / bse), df)
            except (np.linalg.LinAlgError, ValueError, MemoryError) as exc:
                params = bse = pvalues = np.full(X.shape[1] + (family == "negbin"), np.nan)
                quantile = z
                note = f"model failed: {str(exc).strip() or type(exc).__name__}"
        if not note and family == "negbin" and params[-1] < NO_DISPERSION:
            note = (f"model warning: the dispersion alpha runs to its boundary ({params[-1]:.1g}): the counts are not "
                    "over-dispersed, use model='quasipoisson'")
        elif not note and caught:
            note = "model warning: " + str(caught[0].message).splitlines()[0]
        counts = part.assign(_g=part[by].astype(str)).groupby("_g")["count"].sum()
        for j, column in enumerate(X.columns):
            if not column.startswith(f"{by}="):
                continue
            group = column.split("=", 1)[1]
            if counts.get(group, 0) == 0 or counts.get(reference, 0) == 0:
                estimate = (np.nan, np.nan, np.nan, np.nan)
                warning = f"no matches in {group if counts.get(group, 0) == 0 else reference}: no rate ratio"
            else:
                estimate = (np.exp(params[j]), np.exp(params[j] - quantile * bse[j]), np.exp(params[j] + quantile * bse[j]),
                            pvalues[j])
                few = [g for g in (group, reference) if docs.get(g, 0) < min_docs]
                warning = "; ".join(filter(None, [
                    f"rests on too few documents ({', '.join(f'{g}: {docs.get(g, 0)}' for g in few)}; at least {min_docs} per group)" if few else "",
                    _cluster_warning(part, by, cluster, group, reference) if cluster else "",
                    note,
                ]))
            extra = ((part[cluster].nunique(),) if cluster else ()) + (alpha if family == "negbin" else ())
            rows.append((group, reference, *key, *estimate, int(docs.get(group, 0)), int(counts.get(group, 0)), family,
                         *extra, warning))
    columns = [by, "reference", *keys, "rate_ratio", "ci_low", "ci_high", "p_value", "n_docs", "count", "model",
               *(["n_clusters"] if cluster else []), *(["alpha", "alpha_low", "alpha_high"] if family == "negbin" else []),
               "warning"]
    table = pd.DataFrame(rows, columns=columns)
    table.insert(table.columns.get_loc("p_value") + 1, "p_adjusted", np.nan)
    for _, index in table.groupby(by).groups.items():
        table.loc[index, "p_adjusted"] = benjamini_hochberg(table.loc[index, "p_value"].to_numpy(float))
    table["level"] = level  # the intervals' central share
    table["chosen"] = chosen  # which reference the function picked, and why ("" when named): a column survives a CSV
    return table
