"""Keyness measures: plain, swappable functions on frequency counts.

Each function takes arrays (or scalars) of counts and returns the statistic, in the
manner of NLTK's ``metrics/association.py``. The notation throughout:

* ``a``: frequency of the term in the target corpus, ``c``: tokens in the target;
* ``b``: frequency of the term in the reference corpus, ``d``: tokens in the reference.

Statistics that have a direction (log-likelihood, chi-squared) are signed: positive
when the term is relatively more frequent in the target, negative when less.
:data:`MEASURES` maps the names used by :func:`framing.keyness` to the functions and
to how each gets its p-value (``None`` where the measure defines none).
"""

from __future__ import annotations

import numpy as np

ZERO_FREQUENCY = 0.5  # Hardie (2014): replace zero counts by 0.5 in the log ratio


def _arrays(*values):
    return [np.asarray(v, dtype=float) for v in values]


def _xlogy(x, y):
    """x * ln(y), with 0 * ln(0) = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x > 0, x * np.log(np.where(y > 0, y, 1.0)), 0.0)


def _four_cells(a, b, c, d):
    """(observed, expected) for the 2x2 table [[a, b], [c - a, d - b]], expected from its margins."""
    n, k = c + d, a + b
    return [(a, c * k / n), (b, d * k / n), (c - a, c * (n - k) / n), (d - b, d * (n - k) / n)]


def _two_cells(a, b, c, d):
    """(observed, expected) for the two frequency cells a and b (Rayson & Garside 2000)."""
    return [(a, c * (a + b) / (c + d)), (b, d * (a + b) / (c + d))]


def _likelihood(cells):
    """2 * sum of O ln(O / E) over (observed, expected) cells."""
    return 2.0 * sum(_xlogy(o, o / np.where(e > 0, e, 1.0)) for o, e in cells)


def _sign(a, b, c, d):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(a / c >= b / d, 1.0, -1.0)


def g2(a, b, c, d):
    """Log-likelihood G², four-cell form (Dunning 1993), signed by direction.

    .. math:: G^2 = 2 \\sum_{ij} O_{ij} \\ln (O_{ij} / E_{ij})

    over the 2x2 table [[a, b], [c - a, d - b]] with expected values from its
    margins: the form of quanteda's ``textstat_keyness(measure = "lr")`` and
    scattertext's G². Dunning, T. (1993). Accurate methods for the statistics of
    surprise and coincidence. *Computational Linguistics* 19(1), 61-74.

    Examples
    --------
    >>> round(float(g2(23, 551, 263, 8870)), 4)
    2.507
    """
    a, b, c, d = _arrays(a, b, c, d)
    return _sign(a, b, c, d) * _likelihood(_four_cells(a, b, c, d))


def ll_two_cell(a, b, c, d):
    """Log-likelihood, two-cell form (Rayson & Garside 2000), signed by direction.

    .. math:: LL = 2 (a \\ln (a / E_1) + b \\ln (b / E_2)), \\quad
              E_1 = c (a + b) / (c + d), \\; E_2 = d (a + b) / (c + d)

    The form of the UCREL log-likelihood calculator and AntConc. Rayson, P. &
    Garside, R. (2000). Comparing corpora using frequency profiling. *Proceedings of
    the Workshop on Comparing Corpora*, ACL 2000, 1-6.

    Examples
    --------
    >>> round(float(ll_two_cell(23, 551, 263, 8870)), 4)
    2.3306
    """
    a, b, c, d = _arrays(a, b, c, d)
    return _sign(a, b, c, d) * _likelihood(_two_cells(a, b, c, d))


def chi2(a, b, c, d, *, yates: bool = False):
    """Pearson's chi-squared on the 2x2 table [[a, b], [c - a, d - b]], signed by direction.

    .. math:: \\chi^2 = \\sum_{ij} (|O_{ij} - E_{ij}| - y)^2 / E_{ij}

    with y = 0.5 under Yates' continuity correction (Yates 1934), else 0; the
    correction is not applied past the point where it would flip the difference.
    As in quanteda's ``textstat_keyness(measure = "chi2", correction = ...)``.

    Examples
    --------
    >>> round(float(chi2(23, 551, 263, 8870)), 4), round(float(chi2(23, 551, 263, 8870, yates=True)), 4)
    (2.7831, 2.3696)
    """
    a, b, c, d = _arrays(a, b, c, d)
    return _sign(a, b, c, d) * _pearson(_four_cells(a, b, c, d), 0.5 if yates else 0.0)


def _pearson(cells, correction: float):
    with np.errstate(divide="ignore", invalid="ignore"):
        return sum(np.where(e > 0, np.maximum(np.abs(o - e) - correction, 0.0) ** 2 / e, 0.0) for o, e in cells)


def chi2_yates(a, b, c, d):
    """:func:`chi2` with Yates' continuity correction."""
    return chi2(a, b, c, d, yates=True)


def chi2_two_cell(a, b, c, d):
    """Chi-squared over the two frequency cells only, signed (the UCREL calculator's form).

    .. math:: \\chi^2 = (a - E_1)^2 / E_1 + (b - E_2)^2 / E_2

    with E_1, E_2 as in :func:`ll_two_cell` (Rayson & Garside 2000).

    Examples
    --------
    >>> round(float(chi2_two_cell(23, 551, 263, 8870)), 4)
    2.6082
    """
    a, b, c, d = _arrays(a, b, c, d)
    return _sign(a, b, c, d) * _pearson(_two_cells(a, b, c, d), 0.0)


def log_ratio(a, b, c, d):
    """Log Ratio (Hardie 2014): binary log of the ratio of relative frequencies.

    .. math:: \\log_2 \\frac{a / c}{b / d}

    with zero frequencies replaced by 0.5 so the ratio is always defined. Each
    unit is a doubling. Hardie, A. (2014). Log Ratio: an informal introduction.
    ESRC Centre for Corpus Approaches to Social Science (CASS), Lancaster.

    Examples
    --------
    >>> round(float(log_ratio(23, 551, 263, 8870)), 4)
    0.4935
    >>> round(float(log_ratio(6, 2, 10000, 10000)), 3)  # relative frequencies 0.0006 vs 0.0002
    1.585
    """
    a, b, c, d = _arrays(a, b, c, d)
    a = np.where(a == 0, ZERO_FREQUENCY, a)
    b = np.where(b == 0, ZERO_FREQUENCY, b)
    return np.log2((a / c) / (b / d))


def pct_diff(a, b, c, d):
    """%DIFF (Gabrielatos & Marchi 2012): percentage difference of normalised frequencies.

    .. math:: \\%DIFF = 100 \\, (NF_t - NF_r) / NF_r

    A zero reference frequency is replaced by 1e-18, as the authors suggest, so the
    value is very large rather than undefined. Gabrielatos, C. & Marchi, A. (2012).
    Keyness: appropriate metrics and practical issues. CADS International
    Conference, University of Bologna.

    Examples
    --------
    >>> round(float(pct_diff(23, 551, 263, 8870)), 2)
    40.78
    """
    a, b, c, d = _arrays(a, b, c, d)
    nf_t = a / c
    nf_r = np.where(b == 0, 1e-18, b / d)
    return 100.0 * (nf_t - nf_r) / nf_r


def simple_maths(a, b, c, d, *, n: float = 1.0):
    """Sketch Engine's "simple maths" keyness score.

    .. math:: \\frac{fpm_t + n}{fpm_r + n}

    with fpm the frequency per million tokens and n the smoothing constant (1 by
    default; larger n favours commoner words). Kilgarriff, A. (2009). Simple maths
    for keywords. *Proceedings of Corpus Linguistics 2009*, Liverpool.

    Examples
    --------
    >>> round(float(simple_maths(35, 263, 112_289_776, 1_559_716_979)), 4)
    1.1224
    """
    a, b, c, d = _arrays(a, b, c, d)
    return (a / c * 1e6 + n) / (b / d * 1e6 + n)


def log_odds_delta(a, b, c, d, *, alpha, alpha0):
    """Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, eq. 16).

    .. math::

        \\delta_w = \\ln \\frac{a_w + \\alpha_w}{c + \\alpha_0 - a_w - \\alpha_w}
                  - \\ln \\frac{b_w + \\alpha_w}{d + \\alpha_0 - b_w - \\alpha_w}

    The effect size: how much likelier (in log-odds) a term is in the target than in
    the reference, shrunk towards the prior. ``alpha`` holds the prior pseudo-count of
    each term and ``alpha0`` their sum over the vocabulary. :func:`log_odds_dirichlet`
    divides it by its standard error.

    Examples
    --------
    >>> d = log_odds_delta([10, 0], [2, 8], 20, 20, alpha=[1.0, 1.0], alpha0=2.0)
    >>> [round(float(v), 4) for v in d]
    [1.8458, -2.6768]
    """
    a, b, c, d, alpha = _arrays(a, b, c, d, alpha)
    return np.log((a + alpha) / (c + alpha0 - a - alpha)) - np.log((b + alpha) / (d + alpha0 - b - alpha))


def log_odds_dirichlet(a, b, c, d, *, alpha, alpha0):
    """Log-odds ratio with an informative Dirichlet prior, as a z-score (Monroe, Colaresi & Quinn 2008).

    .. math::

        \\sigma^2(\\delta_w) \\approx \\frac{1}{a_w + \\alpha_w} + \\frac{1}{b_w + \\alpha_w}, \\qquad
        z_w = \\delta_w / \\sigma(\\delta_w)

    with :math:`\\delta_w` from :func:`log_odds_delta`. Monroe, B. L., Colaresi, M. P. &
    Quinn, K. M. (2008). Fightin' words: lexical feature selection and evaluation for
    identifying the content of political conflict. *Political Analysis* 16(4), 372-403
    (eq. 16, 18, 22). In a keyness table this measure fills two columns: ``log_odds``
    (the delta) and ``log_odds_z`` (this z-score).

    Examples
    --------
    >>> z = log_odds_dirichlet([10, 0], [2, 8], 20, 20, alpha=[1.0, 1.0], alpha0=2.0)
    >>> [round(float(v), 4) for v in z]
    [2.8339, -2.5394]
    """
    a, b, c, d, alpha = _arrays(a, b, c, d, alpha)
    variance = 1.0 / (a + alpha) + 1.0 / (b + alpha)
    return log_odds_delta(a, b, c, d, alpha=alpha, alpha0=alpha0) / np.sqrt(variance)


def p_chi2_1df(statistic):
    """Upper-tail p-value of a (signed) statistic under chi-squared with one degree of freedom."""
    from scipy.special import (
        chdtrc,  # what scipy.stats.chi2.sf computes, without importing scipy.stats
    )

    return chdtrc(1, np.abs(np.asarray(statistic, dtype=float)))


def p_normal_two_sided(z):
    """Two-sided p-value of a z-score."""
    from scipy.special import ndtr  # scipy.stats.norm.sf(x) is ndtr(-x)

    return 2.0 * ndtr(-np.abs(np.asarray(z, dtype=float)))


def benjamini_hochberg(p):
    """Benjamini-Hochberg (1995) adjusted p-values (false discovery rate); NaNs stay NaN.

    .. math:: \\tilde p_{(i)} = \\min\\left(1, \\min_{j \\ge i} \\frac{m}{j} p_{(j)}\\right)

    for the :math:`m` p-values sorted, :math:`p_{(1)} \\le \\dots \\le p_{(m)}`: what R's
    ``p.adjust(p, "BH")`` gives, and :func:`scipy.stats.false_discovery_control`, whose steps
    these are (the same operations in the same order, so the same floats), written out because
    importing :mod:`scipy.stats` costs half a second in a notebook that needs nothing else of it.

    Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate: a practical and
    powerful approach to multiple testing. *JRSS B* 57(1), 289-300.

    Examples
    --------
    >>> [round(float(v), 4) for v in benjamini_hochberg([0.01, 0.04, 0.03, 0.2])]
    [0.04, 0.0533, 0.0533, 0.2]
    """
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        given = p[ok]
        if (given < 0).any() or (given > 1).any():
            raise ValueError("p-values must be between 0 and 1")
        order = np.argsort(given)
        ranked = given[order]
        m = len(ranked)
        ranked *= m / np.arange(1, m + 1, dtype=float)
        np.minimum.accumulate(ranked[::-1], out=ranked[::-1])
        adjusted = np.empty_like(ranked)
        adjusted[order] = ranked
        out[ok] = np.clip(adjusted, 0.0, 1.0)
    return out


COLUMNS = {"log_odds_dirichlet": "log_odds_z"}
"""The keyness-table column of a measure whose value is not what its name says (default: the name)."""

MEASURES = {
    "g2": (g2, p_chi2_1df),
    "ll_two_cell": (ll_two_cell, p_chi2_1df),
    "chi2": (chi2, p_chi2_1df),
    "chi2_yates": (chi2_yates, p_chi2_1df),
    "chi2_two_cell": (chi2_two_cell, p_chi2_1df),
    "log_ratio": (log_ratio, None),
    "pct_diff": (pct_diff, None),
    "simple_maths": (simple_maths, None),
    "log_odds_dirichlet": (log_odds_dirichlet, p_normal_two_sided),
}


# --------------------------------------------------------------------------- validation against human coding


def wilson_interval(successes, n, level: float = 0.95):
    """Wilson score interval for a proportion (Wilson 1927), e.g. a category's precision.

    .. math:: \\frac{\\hat p + \\frac{z^2}{2n} \\pm z \\sqrt{\\frac{\\hat p(1-\\hat p)}{n} + \\frac{z^2}{4n^2}}}{1 + \\frac{z^2}{n}}

    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA* 22(158), 209-212. Newcombe (1998, *Statistics in Medicine* 17,
    857-872, table I) gives 0.2553 to 0.3662 for 81 of 263. NaN where ``n`` is 0.

    Examples
    --------
    >>> [round(float(v), 4) for v in wilson_interval(81, 263)]
    [0.2553, 0.3662]
    """
    x, n = _arrays(successes, n)
    from scipy.special import ndtri  # scipy.stats.norm.ppf

    z = ndtri(0.5 + level / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    low, high = centre - half, centre + half
    return np.where(n > 0, low, np.nan), np.where(n > 0, high, np.nan)


def cohen_kappa(a, b) -> float:
    """Cohen's kappa (Cohen 1960): agreement of two coders on the same items beyond chance.

    .. math:: \\kappa = \\frac{p_o - p_e}{1 - p_e}

    with :math:`p_o` the observed agreement and :math:`p_e` the agreement expected from
    each coder's own label frequencies. Cohen, J. (1960). A coefficient of agreement for
    nominal scales. *Educational and Psychological Measurement* 20(1), 37-46.

    Examples
    --------
    >>> round(cohen_kappa([1, 1, 0, 0, 1, 0], [1, 0, 0, 0, 1, 1]), 4)  # p_o = 4/6, p_e = 1/2
    0.3333
    """
    a, b = np.asarray(a), np.asarray(b)
    labels = np.union1d(a, b)
    p_o = float(np.mean(a == b))
    p_e = float(sum(np.mean(a == k) * np.mean(b == k) for k in labels))
    return float("nan") if p_e == 1 else (p_o - p_e) / (1 - p_e)


def krippendorff_alpha_nominal(codes) -> float:
    """Krippendorff's alpha for nominal data, from a units x coders table (NaN: not coded).

    .. math:: \\alpha = 1 - (n - 1) \\frac{\\sum_{c \\ne k} o_{ck}}{\\sum_{c \\ne k} n_c n_k}

    over the coincidence matrix :math:`o` of the units coded at least twice (Krippendorff
    2011, "Computing Krippendorff's alpha-reliability", Annenberg School, sec. A); his
    first example, two observers of ten units with binary values, gives 0.095.

    Examples
    --------
    >>> a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    >>> b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    >>> round(krippendorff_alpha_nominal(list(zip(a, b))), 3)
    0.095
    """
    table = np.asarray(codes, dtype=float)
    values = np.unique(table[~np.isnan(table)])
    index = {v: i for i, v in enumerate(values)}
    coincidence = np.zeros((len(values), len(values)))
    for unit in table:
        coded = unit[~np.isnan(unit)]
        m = len(coded)
        if m < 2:
            continue
        for i in range(m):
            for j in range(m):
                if i != j:
                    coincidence[index[coded[i]], index[coded[j]]] += 1.0 / (m - 1)
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    disagree = coincidence.sum() - np.trace(coincidence)
    expected = n_c.sum() ** 2 - (n_c**2).sum()
    return float("nan") if expected == 0 else float(1 - (n - 1) * disagree / expected)


# --------------------------------------------------------------------------- prevalence (quantification)
# A classifier's labels, counted per group, are biased toward the prevalence it was trained
# at: E[share labelled] = tpr * p + fpr * (1 - p). These estimators undo that, from the
# classifier's error rates measured on coded units (out-of-fold).


def adjusted_count(observed, tpr, fpr):
    """Adjusted classify-and-count (ACC; Forman 2008), or its probabilistic form (PACC; Bella et al. 2010).

    .. math:: \\hat p = \\mathrm{clip}\\left(\\frac{\\hat p_{cc} - \\mathit{fpr}}{\\mathit{tpr} - \\mathit{fpr}}, 0, 1\\right)

    ACC: ``observed`` is the share of units labelled positive, ``tpr``/``fpr`` the classifier's
    true and false positive rates. PACC: ``observed`` is the mean predicted probability, and
    ``tpr``/``fpr`` the mean probability among truly positive / negative coded units.
    NaN where ``tpr <= fpr`` (the classifier tells the classes apart no better than chance:
    no correction exists).

    Forman, G. (2008). Quantifying counts and costs via classification. *Data Mining and
    Knowledge Discovery* 17(2), 164-206. Bella, A., Ferri, C., Hernández-Orallo, J., &
    Ramírez-Quintana, M. J. (2010). Quantification via probability estimators. *ICDM 2010*, 737-742.

    Examples
    --------
    >>> round(float(adjusted_count(0.30, 0.80, 0.10)), 6)  # (0.30 - 0.10) / (0.80 - 0.10) = 2/7
    0.285714
    >>> float(adjusted_count(0.05, 0.80, 0.10))  # below fpr: clipped to 0
    0.0
    """
    observed, tpr, fpr = _arrays(observed, tpr, fpr)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.clip((observed - fpr) / (tpr - fpr), 0.0, 1.0)
    return np.where(tpr > fpr, p, np.nan)


def em_prevalence(probabilities, train_prior, *, weights=None, tol: float = 1e-8, max_iter: int = 1000):
    """Prevalence by expectation-maximisation of calibrated posteriors (Saerens, Latinne & Decaestecker 2002).

    The posteriors ``probabilities`` were calibrated where the prevalence was ``train_prior``;
    each step re-weights them to the current estimate ``q`` and takes their mean:

    .. math:: p_i' = \\frac{\\frac{q}{q_0} p_i}{\\frac{q}{q_0} p_i + \\frac{1-q}{1-q_0}(1-p_i)}, \\qquad q \\leftarrow \\overline{p'}

    until ``q`` moves less than ``tol``. ``weights`` (optional, shape ``(n,)`` or ``(B, n)``)
    weigh the units, e.g. bootstrap multiplicities or histogram counts; with a 2-D array the
    ``B`` estimates are returned at once.

    Saerens, M., Latinne, P., & Decaestecker, C. (2002). Adjusting the outputs of a classifier
    to new a priori probabilities: a simple procedure. *Neural Computation* 14(1), 21-41.

    Examples
    --------
    >>> round(float(em_prevalence([0.5, 0.5], 0.5)), 6)  # uninformative posteriors keep the prior
    0.5
    >>> round(float(em_prevalence([0.9, 0.9, 0.2, 0.2], 0.5)), 4)  # sharper than the plain mean (0.55)
    0.6042
    """
    p = np.clip(np.asarray(probabilities, dtype=float), 0.0, 1.0)
    q0 = float(train_prior)
    if not 0.0 < q0 < 1.0:
        raise ValueError(f"train_prior must lie strictly between 0 and 1, got {q0}")
    w = np.ones((1, p.size)) if weights is None else np.atleast_2d(np.asarray(weights, dtype=float))
    total = w.sum(axis=1)
    q = np.full(w.shape[0], q0)
    for _ in range(max_iter):
        up = (q / q0)[:, None] * p[None, :]
        down = up + ((1 - q) / (1 - q0))[:, None] * (1 - p[None, :])
        with np.errstate(divide="ignore", invalid="ignore"):
            posterior = np.where(down > 0, up / down, 0.0)
            new = (posterior * w).sum(axis=1) / total
        done = np.nanmax(np.abs(new - q)) < tol if new.size else True
        q = new
        if done:
            break
    return q if weights is not None and np.ndim(weights) == 2 else q[0]


# --------------------------------------------------------------------------- stratified rate ratios


def mantel_haenszel_rate_ratio(a, b, c, d):
    """The Mantel-Haenszel rate ratio over strata, and the standard error of its log (Greenland & Robins 1985).

    Per stratum ``s`` (a story): ``a``/``b`` are the counts in the target and the reference, ``c``/``d``
    their words (the "person-time"), ``T = c + d``:

    .. math:: \\widehat{RR}_{MH} = \\frac{\\sum_s a_s d_s / T_s}{\\sum_s b_s c_s / T_s}, \\qquad
              \\widehat{Var}(\\ln \\widehat{RR}_{MH}) = \\frac{\\sum_s c_s d_s (a_s + b_s) / T_s^2}
              {(\\sum_s a_s d_s / T_s)(\\sum_s b_s c_s / T_s)}

    Strata with no words on one side add nothing. Each stratum compares the two sides on the
    same story, so a side that covers more stories with high base rates gains nothing from it.

    Greenland, S., & Robins, J. M. (1985). Estimation of a common effect parameter from sparse
    follow-up data. *Biometrics* 41(1), 55-68. (Rothman, Greenland & Lash 2008, *Modern
    Epidemiology*, eq. 15-21 and 15-22.)

    Examples
    --------
    >>> rr, se = mantel_haenszel_rate_ratio([4, 2], [2, 1], [100, 100], [100, 100])  # twice the rate in both strata
    >>> round(float(rr), 6), round(float(se), 4)  # var = (1.5 + 0.75) / (3 * 1.5) = 1/6 + 1/3, as for 6 against 3
    (2.0, 0.7071)
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    t = c + d
    keep = (c > 0) & (d > 0)
    a, b, c, d, t = a[keep], b[keep], c[keep], d[keep], t[keep]
    r = float(np.sum(a * d / t))
    s = float(np.sum(b * c / t))
    if r == 0 or s == 0:
        return np.nan, np.nan
    var = float(np.sum(c * d * (a + b) / t**2)) / (r * s)
    return r / s, np.sqrt(var)
