import math

import numpy as np
import pytest
from scipy.stats import chi2_contingency

from framing import measures as m

# Published example (UCREL log-likelihood calculator notes; Hardie 2014; Gabrielatos & Marchi 2012):
# 23 occurrences in 263 tokens against 551 in 8,870 tokens.
A, B, C, D = 23, 551, 263, 8870


def test_published_numbers():
    assert round(float(m.ll_two_cell(A, B, C, D)), 4) == 2.3306
    assert round(float(m.g2(A, B, C, D)), 4) == 2.5070
    assert round(float(m.chi2_two_cell(A, B, C, D)), 4) == 2.6082
    assert round(float(m.log_ratio(A, B, C, D)), 4) == 0.4935
    assert round(float(m.pct_diff(A, B, C, D)), 2) == 40.78
    # Sketch Engine's documentation example, n = 1
    assert round(float(m.simple_maths(35, 263, 112_289_776, 1_559_716_979)), 4) == 1.1224
    # Hardie (2014): relative frequencies 0.0006 vs 0.0002
    assert round(float(m.log_ratio(6, 2, 10_000, 10_000)), 3) == 1.585


def test_four_cell_g2_and_chi2_by_hand():
    # a=10 of 100 vs b=5 of 200: table [[10, 5], [90, 195]], N=300, row sums 15/285, column sums 100/200
    expected = [15 * 100 / 300, 15 * 200 / 300, 285 * 100 / 300, 285 * 200 / 300]  # 5, 10, 95, 190
    observed = [10, 5, 90, 195]
    g = 2 * sum(o * math.log(o / e) for o, e in zip(observed, expected))
    x = sum((o - e) ** 2 / e for o, e in zip(observed, expected))
    xy = sum((abs(o - e) - 0.5) ** 2 / e for o, e in zip(observed, expected))
    assert float(m.g2(10, 5, 100, 200)) == pytest.approx(g, abs=1e-12)
    assert float(m.chi2(10, 5, 100, 200)) == pytest.approx(x, abs=1e-12)
    assert float(m.chi2_yates(10, 5, 100, 200)) == pytest.approx(xy, abs=1e-12)
    # and scipy agrees
    table = np.array([[10, 5], [90, 195]])
    assert g == pytest.approx(chi2_contingency(table, correction=False, lambda_="log-likelihood")[0])
    assert xy == pytest.approx(chi2_contingency(table, correction=True)[0])


def test_signs_follow_direction_and_zero_counts_are_safe():
    assert float(m.g2(1, 50, 100, 100)) < 0 < float(m.g2(50, 1, 100, 100))
    assert float(m.chi2(0, 10, 100, 100)) < 0
    assert float(m.log_ratio(0, 4, 100, 100)) == math.log2(0.5 / 4)
    assert np.isfinite(m.g2(0, 10, 100, 100))
    assert float(m.g2(5, 5, 100, 100)) == 0.0


def test_log_odds_dirichlet_by_hand():
    # a=10 of 20 and b=2 of 20 with alpha=1 (alpha0=2): delta = ln(11/11) - ln(3/19); var = 1/11 + 1/3
    z = m.log_odds_dirichlet([10], [2], 20, 20, alpha=[1.0], alpha0=2.0)
    assert float(z[0]) == pytest.approx((0 - math.log(3 / 19)) / math.sqrt(1 / 11 + 1 / 3))
    assert float(m.p_normal_two_sided(1.959963984540054)) == pytest.approx(0.05)


def test_p_values_and_bh():
    assert float(m.p_chi2_1df(3.841458820694124)) == pytest.approx(0.05)
    assert float(m.p_chi2_1df(-3.841458820694124)) == pytest.approx(0.05)
    assert m.benjamini_hochberg([0.01, np.nan, 0.02]).tolist()[0] == pytest.approx(0.02)
    assert np.isnan(m.benjamini_hochberg([0.01, np.nan, 0.02])[1])


def test_every_measure_is_registered_with_a_docstring_citation():
    for name, (function, _) in m.MEASURES.items():
        assert function.__doc__ and any(ch.isdigit() for ch in function.__doc__), name


def test_validation_measures_against_published_examples_and_well_kept_implementations():
    import numpy as np
    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.proportion import proportion_confint

    from framing.measures import (
        cohen_kappa,
        krippendorff_alpha_nominal,
        wilson_interval,
    )

    # Newcombe (1998), table I: Wilson intervals
    for (x, n), expected in {(81, 263): (0.2553, 0.3662), (15, 148): (0.0624, 0.1605), (0, 20): (0.0, 0.1611),
                             (1, 29): (0.0061, 0.1718)}.items():
        low, high = wilson_interval(x, n)
        assert (round(float(low), 4), round(float(high), 4)) == expected
        assert (float(low), float(high)) == pytest.approx(proportion_confint(x, n, method="wilson"))
    assert np.isnan(wilson_interval(0, 0)[0])
    a = [1, 0, 1, 1, 0, 2, 2, 1, 0, 1, 1, 0]
    b = [1, 0, 0, 1, 0, 2, 1, 1, 0, 1, 0, 0]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": four observers, twelve units, gaps
    nan = float("nan")
    reliability = np.array([
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ]).T
    assert round(krippendorff_alpha_nominal(reliability), 3) == 0.743


def test_benjamini_hochberg_rejects_what_the_paper_rejects_and_equals_scipy():
    # Benjamini & Hochberg (1995), section 4: fifteen p-values of a clinical trial; at q = 0.05
    # their procedure rejects the four smallest (Bonferroni's, three)
    p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719,
         0.6528, 0.7590, 1.0000]
    adjusted = m.benjamini_hochberg(p)
    assert (adjusted <= 0.05).tolist() == [True] * 4 + [False] * 11
    assert adjusted[3] == pytest.approx(0.0095 * 15 / 4)
    assert adjusted[4] == pytest.approx(0.0201 * 15 / 5)
    assert adjusted[5] == pytest.approx(0.0298 * 15 / 7)  # the step-up: 15/6 x 0.0278 is more than 15/7 x 0.0298
    from scipy.stats import false_discovery_control

    rng = np.random.default_rng(7)
    for k in range(200):  # ties, NaNs, one p-value, many: the same floats as scipy's
        n = int(rng.integers(1, 300))
        p = rng.uniform(size=n) ** rng.uniform(0.2, 5)
        p = np.round(p, 2) if k % 3 == 0 else p
        p[rng.integers(0, n, size=n // 10)] = np.nan
        ok = ~np.isnan(p)
        expected = np.full(n, np.nan)
        expected[ok] = false_discovery_control(p[ok], method="bh") if ok.any() else []
        assert np.array_equal(m.benjamini_hochberg(p), expected, equal_nan=True)
    with pytest.raises(ValueError):
        m.benjamini_hochberg([0.2, 1.5])
