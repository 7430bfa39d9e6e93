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

With ``cluster``, standard errors are cluster-robust by that column (e.g. the outlet,
when the covariate is a time trend and articles of one outlet are not independent).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from framing.errors import FramingError
from framing.groups import as_list
from framing.measures import benjamini_hochberg
from framing.params import check_choice, check_int

MODEL_FAMILIES = ("quasipoisson", "negbin")


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


def _fit(y, X, offset, family: str, clusters):
    import statsmodels.api as sm

    fit_kwargs = {"cov_type": "cluster", "cov_kwds": {"groups": clusters}} if clusters is not None else {}
    if family == "quasipoisson":
        model = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset)
        if clusters is not None:
            return model.fit(**fit_kwargs)
        return model.fit(scale="X2")
    model = sm.NegativeBinomial(y, X, offset=offset)
    return model.fit(disp=0, maxiter=200, **fit_kwargs)


def rate_model(
    features: pd.DataFrame,
    by: str,
    reference: str | None = None,
    *,
    covariates=(),
    family: str = "quasipoisson",
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
        The grouping column; ``reference`` (default: its first group, sorted) is the baseline.
    covariates : list of str
        Metadata columns added to the model (numeric as is, others as factors).
    family : {"quasipoisson", "negbin"}
    cluster : str, optional
        Column for cluster-robust standard errors.
    min_docs : int
        Groups with fewer documents get a ``warning``: the model rests on too few documents.

    Returns
    -------
    DataFrame
        ``by`` (the group), ``reference``, ``category``, [``voice``], ``rate_ratio``,
        ``ci_low``, ``ci_high``, ``p_value``, ``p_adjusted`` (Benjamini-Hochberg across the
        categories, per group), ``n_docs``, ``count``, ``model`` (the family of the GLM), ``warning``.

    Examples
    --------
    >>> t = pd.DataFrame({"doc_id": list("abcdef"), "outlet": list("AAABBB"), "category": "c",
    ...                   "count": [1, 2, 1, 4, 5, 3], "n_tokens": [100] * 6})
    >>> row = rate_model(t, "outlet", min_docs=3).iloc[0]
    >>> row["outlet"], round(float(row["rate_ratio"]), 3)  # (4 + 5 + 3) / (1 + 2 + 1)
    ('B', 3.0)
    """
    check_choice("model family", family, MODEL_FAMILIES)
    check_int("min_docs", min_docs, low=1)
    covariates = as_list(covariates)
    missing = [c for c in ("doc_id", "category", "count", "n_tokens", by, *covariates, *([cluster] if cluster else []))
               if c not in features.columns]
    if missing:
        raise FramingError(f"rate_model needs columns {', '.join(missing)}; the feature table has {', '.join(features.columns)}")
    groups = sorted(features[by].astype(str).unique())
    if len(groups) < 2:
        raise FramingError(f"column '{by}' has one group; a rate model needs at least two")
    reference = groups[0] if reference is None else str(reference)
    if reference not in groups:
        raise FramingError(f"unknown reference group '{reference}' in column '{by}'; groups: {', '.join(groups)}")
    from scipy import stats

    z = stats.norm.ppf(0.5 + level / 2)
    keys = ["category", "voice"] if "voice" in features.columns else ["category"]
    docs = features.drop_duplicates("doc_id").assign(_g=lambda t: t[by].astype(str)).groupby("_g")["doc_id"].nunique()
    rows = []
    for key, part in features[features["n_tokens"] > 0].groupby(keys, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        X = _design(part, by, reference, covariates)
        clusters = pd.factorize(part[cluster])[0] if cluster else None
        y, offset = part["count"].to_numpy(float), np.log(part["n_tokens"].to_numpy(float))
        note = ""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = _fit(y, X.to_numpy(), offset, family, clusters)
                params, bse = np.asarray(result.params), np.asarray(result.bse)
                pvalues = np.asarray(result.pvalues)
            except (np.linalg.LinAlgError, ValueError) as exc:
                params = bse = pvalues = np.full(X.shape[1] + (family == "negbin"), np.nan)
                note = f"model failed: {exc}"
        if not note and family == "negbin" and params[-1] < NO_DISPERSION:
            note = (f"model warning: the dispersion alpha runs to its boundary ({params[-1]:.1g}): the counts are not "
                    "over-dispersed, use family='quasipoisson'")
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
                estimate = (np.exp(params[j]), np.exp(params[j] - z * bse[j]), np.exp(params[j] + z * bse[j]), pvalues[j])
                few = [g for g in (group, reference) if docs.get(g, 0) < min_docs]
                warning = "; ".join(filter(None, [
                    f"rests on too few documents ({', '.join(f'{g}: {docs.get(g, 0)}' for g in few)}; at least {min_docs} per group)" if few else "",
                    note,
                ]))
            rows.append((group, reference, *key, *estimate, int(docs.get(group, 0)), int(counts.get(group, 0)), family, warning))
    columns = [by, "reference", *keys, "rate_ratio", "ci_low", "ci_high", "p_value", "n_docs", "count", "model", "warning"]
    table = pd.DataFrame(rows, columns=columns)
    table.insert(table.columns.get_loc("p_value") + 1, "p_adjusted", np.nan)
    for _, index in table.groupby(by).groups.items():
        table.loc[index, "p_adjusted"] = benjamini_hochberg(table.loc[index, "p_value"].to_numpy(float))
    return table
