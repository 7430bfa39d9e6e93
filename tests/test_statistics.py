"""Statistics checked against values computed by hand on tiny tables.

The random draws are scripted (a stand-in for numpy's generator that returns the
resamples and permutations written here), so every interval and p-value below can
be worked out with pencil and paper. A wrong quantile, a permutation test that never
counts exceedances, a changed prior or a moved threshold each fails with the number
it should have given.
"""

import math

import numpy as np
import pandas as pd
import pytest
import scipy.stats  # noqa: F401 - loaded before numpy's generator is scripted: its import draws examples

from framing.comparison.rates import compare, compare_groups
from framing.documents.corpus import load_corpus
from framing.errors import FramingError
from framing.features.sentiment import _summaries
from framing.keywords.keyness import keyness


class ScriptedRng:
    """Returns the given resample indices (``integers``) and permutation draws (the units a shuffle puts
    on the smaller side: ``choice`` without replacement), in order."""

    def __init__(self, picks=(), draws=()):
        self.picks = [np.asarray(p) for p in picks]
        self.draws = [np.asarray(d) for d in draws]

    def integers(self, low, high, size):
        pick = self.picks.pop(0)
        assert pick.shape == tuple(size) and pick.max() < high, f"scripted pick {pick.shape}, asked {size}"
        return pick

    def choice(self, n, size, replace=True, shuffle=True):
        drawn = self.draws.pop(0)
        assert not replace and len(set(drawn.tolist())) == len(drawn) == size and drawn.max() < n
        return drawn


def features():
    """Outlet A: a1 has 1 match in 10 words, a2 none in 10. Outlet B: b1 and b2 have 2 in 10 each."""
    return pd.DataFrame({
        "doc_id": ["a1", "a2", "b1", "b2"], "outlet": ["A", "A", "B", "B"], "family": "lexicon", "lexicon": "t",
        "lexicon_id": "t@1#0", "category": "c", "count": [1, 0, 2, 2], "n_tokens": [10, 10, 10, 10],
        "per_1k": [100.0, 0.0, 200.0, 200.0],
    })


def test_bootstrap_interval_by_hand(monkeypatch):
    # A's four resamples of its two documents: (a1,a1) (a1,a2) (a2,a2) (a2,a1) -> 100, 50, 0, 50 per 1,000.
    # level 0.5: quantiles 0.25 and 0.75 of [0, 50, 50, 100] with linear interpolation -> 37.5 and 62.5.
    # B's documents are alike: every resample gives 200.
    rng = ScriptedRng(picks=[[[0, 0], [0, 1], [1, 1], [1, 0]], [[0, 1], [1, 1], [0, 0], [1, 0]]])
    monkeypatch.setattr(np.random, "default_rng", lambda seed: rng)
    table = compare(features(), "outlet", n_boot=4, level=0.5, min_docs=2).set_index("outlet")
    assert table.loc["A", ["count", "n_tokens", "per_1k", "ci_low", "ci_high"]].tolist() == [1, 20, 50.0, 37.5, 62.5]
    assert table.loc["B", ["per_1k", "ci_low", "ci_high"]].tolist() == [200.0, 200.0, 200.0]
    assert table.loc["A", "warning"] == "rests on 1 match(es)" and table.loc["B", "warning"] == "rests on 4 match(es)"


def test_bootstrap_interval_at_95_percent_by_hand(monkeypatch):
    # 40 resamples of A: 10 give 0, 20 give 50, 10 give 100. Quantile 0.025 sits at position 0.975 of the
    # sorted 40 values (between two zeros): 0; quantile 0.975 at position 38.025 (between two 100s): 100.
    # A level of 0.9 would give positions 1.95 and 37.05: still 0 and 100, so the next line tells them apart:
    picks = [[[0, 0]] * 10 + [[0, 1]] * 20 + [[1, 1]] * 10, [[0, 0]] * 40]
    monkeypatch.setattr(np.random, "default_rng", lambda seed: ScriptedRng(picks=[p for p in picks]))
    table = compare(features(), "outlet", n_boot=40, level=0.95, min_docs=2).set_index("outlet")
    assert table.loc["A", ["ci_low", "ci_high"]].tolist() == [0.0, 100.0]
    # 0 x 4, 50 x 32, 100 x 4: at 95% the quantiles fall in the tails (positions 0.975 and 38.025): 0 and 100;
    # at 80% (positions 3.9 and 35.1) they would be 45 and 55.
    picks = [[[1, 1]] * 4 + [[0, 1]] * 32 + [[0, 0]] * 4, [[0, 0]] * 40]
    monkeypatch.setattr(np.random, "default_rng", lambda seed: ScriptedRng(picks=[p for p in picks]))
    table = compare(features(), "outlet", n_boot=40, level=0.95, min_docs=2).set_index("outlet")
    assert table.loc["A", ["ci_low", "ci_high"]].tolist() == [0.0, 100.0]
    monkeypatch.setattr(np.random, "default_rng", lambda seed: ScriptedRng(picks=[p for p in picks]))
    table = compare(features(), "outlet", n_boot=40, level=0.8, min_docs=2).set_index("outlet")
    assert table.loc["A", ["ci_low", "ci_high"]].tolist() == pytest.approx([45.0, 55.0])


def test_permutation_p_value_by_hand(monkeypatch):
    # Units in order b1, b2 (reference), a1, a2 (target). Observed: A 1/20 = 50, B 4/20 = 200: difference -150.
    # Four scripted permutations, each the two units it puts on the target side (True; the sides are equal,
    # so the target's are drawn):
    #   b1 b2 -> 200 - 50 = +150  (|150| >= 150: counts)
    #   b1 a1 -> 150 - 100 = +50
    #   a1 a2 -> -150             (counts)
    #   b2 a2 -> 100 - 150 = -50
    # p = (1 + 2) / (1 + 4) = 0.6
    perms = [[True, True, False, False], [True, False, True, False], [False, False, True, True], [False, True, False, True]]
    # Then the bootstrap, each side on its own: A's resamples (a1,a1) (a1,a2) (a2,a2) (a2,a1) -> 100, 50, 0, 50;
    # B's all give 200. Differences -100 -150 -200 -150: quantiles 0.25/0.75 (level 0.5) -> -162.5, -137.5.
    # Log2 ratios: log2(100/200) = -1, -2, log2(0.5/20 / (4/20)) = -3 (zero count -> 0.5), -2 -> -2.25, -1.75.
    resamples = [[0, 0], [0, 1], [1, 1], [1, 0]]
    monkeypatch.setattr(np.random, "default_rng",
                        lambda seed: ScriptedRng(picks=[resamples, resamples],
                                                 draws=[np.flatnonzero(m) for m in perms]))
    row = compare_groups(features(), "outlet", "A", n_perm=4, n_boot=4, level=0.5, min_docs=2).iloc[0]
    assert (row["count_target"], row["count_reference"]) == (1, 4)
    assert (row["per_1k_target"], row["per_1k_reference"], row["difference"]) == (50.0, 200.0, -150.0)
    assert row["p_value"] == pytest.approx(0.6) and row["p_adjusted"] == pytest.approx(0.6)
    assert row["log2_ratio"] == pytest.approx(math.log2((1 / 20) / (4 / 20)))  # -2: a quarter of the rate
    assert (row["difference_low"], row["difference_high"]) == (pytest.approx(-162.5), pytest.approx(-137.5))
    assert (row["log2_ratio_low"], row["log2_ratio_high"]) == (pytest.approx(-2.25), pytest.approx(-1.75))


def test_permutation_draws_the_smaller_side_by_hand(monkeypatch):
    # A's three documents against B's one: a shuffle puts one unit on the reference side, so that one is drawn.
    # Units in order b1 (2 in 10), a1 (1 in 10), a2 (0 in 10), a3 (1 in 20). Observed: A 2/40 = 50, B 200: -150.
    #   b1 on the reference -> -150 again (counts)
    #   a1 -> the target b1 a2 a3 3/40 = 75, a1 100: -25
    #   a2 -> b1 a1 a3 4/40 = 100, a2 0: +100
    #   a3 -> b1 a1 a2 3/30 = 100, a3 50: +50
    # p = (1 + 1) / (1 + 4) = 0.4
    table = pd.DataFrame({
        "doc_id": ["a1", "a2", "a3", "b1"], "outlet": ["A", "A", "A", "B"], "family": "lexicon", "lexicon": "t",
        "lexicon_id": "t@1#0", "category": "c", "count": [1, 0, 1, 2], "n_tokens": [10, 10, 20, 10],
    })
    monkeypatch.setattr(np.random, "default_rng", lambda seed: ScriptedRng(picks=[[[0, 1, 2]], [[0]]],
                                                                           draws=[[1], [2], [3], [0]]))
    with pytest.warns(UserWarning, match="one document"):
        row = compare_groups(table, "outlet", "A", n_perm=4, n_boot=1, min_docs=1).iloc[0]
    assert (row["per_1k_target"], row["per_1k_reference"], row["difference"]) == (50.0, 200.0, -150.0)
    assert row["p_value"] == pytest.approx(0.4)


def test_permutation_p_values_are_uniform_without_a_difference():
    # 400 simulated studies with no difference between the sides: 8 documents against 40 and 40 against 8
    # (so the target's units are drawn in one half and the reference's in the other), lengths 300-1,200
    # words, Poisson counts at 5 per 1,000 with document-level over-dispersion (gamma, shape 4). A
    # permutation test is exact: p <= alpha in a share alpha of the studies (binomial sd at 0.05: 1.1
    # points). A shuffle of the wrong number of units, or none, moves these shares far outside.
    rng = np.random.default_rng(1)
    p = []
    for run in range(400):
        n_a, n_b = (8, 40) if run % 2 else (40, 8)
        n_tokens = rng.integers(300, 1200, n_a + n_b)
        rate = 5.0 * rng.gamma(4, 1 / 4, n_a + n_b)
        table = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n_a + n_b)], "outlet": ["A"] * n_a + ["B"] * n_b,
                              "family": "lexicon", "lexicon": "t", "lexicon_id": "t@1#0", "category": "c",
                              "count": rng.poisson(rate * n_tokens / 1000), "n_tokens": n_tokens})
        p.append(compare_groups(table, "outlet", "A", n_perm=99, n_boot=1, seed=run).iloc[0]["p_value"])
    p = np.array(p)
    assert 0.025 <= (p <= 0.05).mean() <= 0.085
    assert 0.20 <= (p <= 0.25).mean() <= 0.30
    assert 0.43 <= (p <= 0.5).mean() <= 0.57


def test_contrast_intervals_cover_a_planted_difference():
    # 300 simulated studies: 30 documents a side, lengths 300-1,200 words, Poisson counts at 6 and 4 per 1,000 with
    # document-level over-dispersion (gamma, shape 4). True difference 2 per 1,000, true log2 ratio log2(1.5).
    rng = np.random.default_rng(11)
    covered_diff = covered_ratio = 0
    runs = 300
    for run in range(runs):
        n_tokens = rng.integers(300, 1200, 60)
        rate = np.r_[np.full(30, 6.0), np.full(30, 4.0)] * rng.gamma(4, 1 / 4, 60)
        table = pd.DataFrame({"doc_id": [f"d{i}" for i in range(60)], "outlet": ["A"] * 30 + ["B"] * 30,
                              "family": "lexicon", "lexicon": "t", "lexicon_id": "t@1#0", "category": "c",
                              "count": rng.poisson(rate * n_tokens / 1000), "n_tokens": n_tokens})
        row = compare_groups(table, "outlet", "A", n_perm=1, n_boot=400, seed=run).iloc[0]
        covered_diff += row["difference_low"] <= 2.0 <= row["difference_high"]
        covered_ratio += row["log2_ratio_low"] <= math.log2(1.5) <= row["log2_ratio_high"]
    # nominal 95%: with 300 runs, 0.90-0.99 holds the true coverage's binomial spread (sd 1.3 points) and a
    # percentile bootstrap's small-sample shortfall; an interval from one side only, or on the wrong units, misses
    assert 0.90 <= covered_diff / runs <= 0.99
    assert 0.90 <= covered_ratio / runs <= 0.99


def test_a_group_s_interval_is_the_same_whichever_groups_are_beside_it(seeds):
    """Each group's resamples come from a stream of its own (the seed and the group's label): one stream
    shared in the groups' order moved the other outlets' intervals when one was left out (the seeds'
    stance markers without Iran Focus: 9 of 92 lower ends and 31 upper ends). Sentences resampled
    (one article per outlet), documents resampled, and the tone of sentences (group means)."""
    from pandas.testing import assert_frame_equal

    from framing import features_and_sentences
    from framing.comparison.rates import compare_sentences

    stance, sentences = features_and_sentences(seeds, "stance")
    kept = stance[stance["outlet"] != "Iran Focus"]
    whole = compare(stance, "outlet", sentences=sentences, n_boot=200, seed=5)
    part = compare(kept, "outlet", sentences=sentences[sentences["doc_id"].isin(kept["doc_id"])], n_boot=200, seed=5)
    assert set(whole["resampled"]) == {"sentences within documents"}
    assert_frame_equal(whole[whole["outlet"] != "Iran Focus"].reset_index(drop=True), part.reset_index(drop=True))
    # another seed draws again: the interval is of the seed and the group, not of the group alone
    again = compare(stance, "outlet", sentences=sentences, n_boot=200, seed=6)
    assert not np.allclose(again["ci_high"], whole["ci_high"], equal_nan=True)

    many = pd.concat([features().assign(outlet=features()["outlet"] + str(k), doc_id=features()["doc_id"] + str(k))
                      for k in range(3)], ignore_index=True)
    whole = compare(many, "outlet", n_boot=300, min_docs=2).set_index("outlet")
    part = compare(many[many["outlet"] != "A0"], "outlet", n_boot=300, min_docs=2).set_index("outlet")
    assert set(whole["resampled"]) == {"documents"}
    assert_frame_equal(whole.drop(index="A0"), part)

    tone = pd.DataFrame({"doc_id": [f"d{k}" for k in range(12)], "outlet": list("ABC") * 4,
                         "compound": np.linspace(-0.9, 0.8, 12)})
    means = compare_sentences(tone, "outlet", n_boot=300)
    assert_frame_equal(means[means["outlet"] != "A"].reset_index(drop=True),
                       compare_sentences(tone[tone["outlet"] != "A"], "outlet", n_boot=300))


def test_a_cap_on_resampled_groups_keeps_the_intervals_of_the_groups_a_chart_draws(seeds):
    """``interval_groups=N`` resamples the N groups with most documents (ties by name: the rule charts
    keep groups by), each with the interval it gets without the cap; every other group keeps its counts
    and rate, with no interval and a warning saying why."""
    from pandas.testing import assert_frame_equal

    from framing import features_and_sentences
    from framing.groups import largest

    # documents resampled: C has 7 documents, A 6, B and D 5 each -> C and A are resampled
    rng = np.random.default_rng(3)
    sizes = {"A": 6, "B": 5, "C": 7, "D": 5}
    labels = [g for g, n in sizes.items() for _ in range(n)]
    table = pd.DataFrame({"doc_id": [f"d{k}" for k in range(len(labels))], "outlet": labels, "family": "lexicon",
                          "lexicon": "t", "lexicon_id": "t@1#0", "category": "c",
                          "count": rng.integers(0, 6, len(labels)), "n_tokens": rng.integers(50, 90, len(labels))})
    whole = compare(table, "outlet", n_boot=300).set_index("outlet")
    capped = compare(table, "outlet", n_boot=300, interval_groups=2).set_index("outlet")
    assert sorted(largest(sizes, 2)[0]) == ["A", "C"]
    assert_frame_equal(capped.loc[["A", "C"]], whole.loc[["A", "C"]])
    assert capped.loc[["B", "D"], ["ci_low", "ci_high"]].isna().all().all()
    assert_frame_equal(capped.loc[["B", "D"], ["count", "n_tokens", "per_1k", "n_docs"]],
                       whole.loc[["B", "D"], ["count", "n_tokens", "per_1k", "n_docs"]])
    why = "no interval: only the 2 group(s) with most documents were resampled (interval_groups=2)"
    for group in "BD":  # a warning already there is kept, the reason added after it
        assert capped.loc[group, "warning"] == "; ".join(w for w in (whole.loc[group, "warning"], why) if w)

    # sentences resampled (the seeds: one article an outlet): ties by name, and the unit is still decided
    # over every group, so a resampled outlet's interval is the one it gets without the cap
    stance, sentences = features_and_sentences(seeds, "stance")
    whole = compare(stance, "outlet", sentences=sentences, n_boot=200, seed=2)
    capped = compare(stance, "outlet", sentences=sentences, n_boot=200, seed=2, interval_groups=3)
    kept = sorted(stance["outlet"].unique())[:3]
    assert_frame_equal(capped[capped["outlet"].isin(kept)], whole[whole["outlet"].isin(kept)])
    assert capped.loc[~capped["outlet"].isin(kept), "ci_low"].isna().all()
    assert_frame_equal(compare(stance, "outlet", sentences=sentences, n_boot=200, seed=2, interval_groups=5), whole)


def test_dirichlet_prior_by_hand():
    # A: "x x y" (3 words), B: "y z" (2). Prior: pooled counts + 0.01 -> x 2.01, y 2.01, z 1.01; alpha0 = 5.03.
    corpus = load_corpus(pd.DataFrame({"text": ["x x y", "y z"], "outlet": ["A", "B"]}))
    table = keyness(corpus, "outlet", target="A", measure="log_odds_dirichlet", min_count=1).set_index("term")

    def delta(a, b, n_a, n_b, alpha, alpha0=5.03):
        return math.log((a + alpha) / (n_a + alpha0 - a - alpha)) - math.log((b + alpha) / (n_b + alpha0 - b - alpha))

    def z(a, b, n_a, n_b, alpha):
        return delta(a, b, n_a, n_b, alpha) / math.sqrt(1 / (a + alpha) + 1 / (b + alpha))

    assert "log_odds_dirichlet" not in table.columns  # the columns say what they hold
    assert table.loc["x", "log_odds_z"] == pytest.approx(z(2, 0, 3, 2, 2.01))
    assert table.loc["y", "log_odds_z"] == pytest.approx(z(1, 1, 3, 2, 2.01))
    assert table.loc["z", "log_odds_z"] == pytest.approx(z(0, 1, 3, 2, 1.01))
    assert table.loc["x", "log_odds"] == pytest.approx(delta(2, 0, 3, 2, 2.01))
    assert table.loc["x", ["log_odds", "log_odds_z"]].tolist() == pytest.approx([0.9128, 1.0562], abs=1e-4)


def test_sentiment_thresholds_by_hand():
    # VADER's authors: positive at compound >= 0.05, negative at <= -0.05, neutral strictly between
    shares = _summaries(pd.Series([0.05, -0.05, 0.0499, -0.0499, 0.9]))
    assert shares == {"compound_mean": pytest.approx(0.18), "positive_share": 0.4, "negative_share": 0.2,
                      "neutral_share": 0.4}


def test_bootstrap_resamples_within_each_document_by_hand(monkeypatch):
    # One outlet, two documents of two sentences each (sentence resampling stays inside a document):
    # d1: s0 1 match / 5 words, s1 0 / 5;  d2: s0 0 / 5, s1 0 / 5.
    sentences = pd.DataFrame({
        "doc_id": ["d1", "d1", "d2", "d2"], "sentence": [0, 1, 0, 1], "family": "lexicon", "lexicon": "t",
        "lexicon_id": "t@1#0", "category": "c", "count": [1, 0, 0, 0], "n_tokens": [5, 5, 5, 5],
    })
    table = pd.DataFrame({"doc_id": ["d1", "d2"], "outlet": "A", "family": "lexicon", "lexicon": "t",
                          "lexicon_id": "t@1#0", "category": "c", "count": [1, 0], "n_tokens": [10, 10],
                          "per_1k": [100.0, 0.0]})
    # draws for d1 then d2 (two resamples each): d1 (s0,s0) (s1,s1), d2 anything -> rates 2/20 and 0/20 per 1,000
    picks = [[[0, 0], [1, 1]], [[0, 1], [1, 0]]]
    monkeypatch.setattr(np.random, "default_rng", lambda seed: ScriptedRng(picks=picks))
    row = compare(table, "outlet", sentences=sentences, n_boot=2, level=0.5).iloc[0]
    assert (row["per_1k"], row["resampled"]) == (50.0, "sentences within documents")
    assert [row["ci_low"], row["ci_high"]] == [25.0, 75.0]  # quantiles 0.25, 0.75 of [0, 100]


def test_measures_at_their_edges_by_hand():
    from framing.measures import pct_diff, simple_maths

    # %DIFF with a zero reference frequency: the reference is taken as 1e-18 (Gabrielatos & Marchi 2012)
    assert float(pct_diff(1, 0, 10, 10)) == pytest.approx(100 * (0.1 - 1e-18) / 1e-18)
    # Simple Maths: 10 per million against none, n = 1 -> (10 + 1) / (0 + 1), exactly
    assert float(simple_maths(10, 0, 1_000_000, 1_000_000)) == 11.0


def test_warning_boundary_and_documented_defaults():
    import inspect

    table = features().assign(count=[3, 2, 2, 2])  # A: 5 matches, B: 4
    rates = compare(table, "outlet", n_boot=10, min_docs=2).set_index("outlet")
    assert rates.loc["A", "warning"] == "" and rates.loc["B", "warning"] == "rests on 4 match(es)"
    # the README's promises: 95% intervals, documents resampled from 5 per group, warnings under 5 matches
    for function in (compare, compare_groups):
        defaults = {k: p.default for k, p in inspect.signature(function).parameters.items()}
        assert defaults["min_docs"] == 5 and defaults["min_matches"] == 5 and defaults["seed"] == 0
    assert inspect.signature(compare).parameters["level"].default == 0.95


@pytest.mark.parametrize("bad", [{"n_boot": 0}, {"level": 1.0}, {"min_docs": 0}, {"min_matches": -1}, {"seed": -1}])
def test_every_resampling_parameter_is_checked(bad):
    from framing.errors import FramingError

    with pytest.raises(FramingError, match=f"{next(iter(bad))} must be"):
        compare(features(), "outlet", **bad)
    if "n_boot" not in bad and "level" not in bad:
        with pytest.raises(FramingError, match=f"{next(iter(bad))} must be"):
            compare_groups(features(), "outlet", "A", **bad)


def test_rates_corrected_by_coded_precision(monkeypatch):
    report = pd.DataFrame({"category": ["c", "c"], "pattern": ["", "p"], "n_coded": [4, 4], "n_true": [3, 3],
                           "precision": [0.75, 0.75]})
    # 4,000 draws: the 2.5% quantile of 400 draws of Beta(4, 2) is off by 8% (one sd), so a 10% tolerance
    # failed for about a quarter of the seeds; of 4,000 it is off by 2.6%, and over 10% in none of 2,000 trials
    plain = compare(features(), "outlet", n_boot=4000, min_docs=2, seed=3).set_index("outlet")
    corrected = compare(features(), "outlet", n_boot=4000, min_docs=2, seed=3, precision=report).set_index("outlet")
    # the rate of true matches: 3 in 4 matches are true, so 50 per 1,000 becomes 37.5
    assert corrected.loc["A", "per_1k"] == pytest.approx(0.75 * plain.loc["A", "per_1k"]) == pytest.approx(37.5)
    assert corrected.loc["A", "precision"] == 0.75
    # the interval widens: B's documents are alike, so without correction it is the point 200 ...
    assert plain.loc["B", ["ci_low", "ci_high"]].tolist() == [200.0, 200.0]
    low, high = corrected.loc["B", ["ci_low", "ci_high"]]
    # ... and corrected it is 200 times the 2.5% and 97.5% quantiles of Beta(4, 2)
    from scipy.stats import beta

    assert low == pytest.approx(200 * beta(4, 2).ppf(0.025), rel=0.1) and high == pytest.approx(200 * beta(4, 2).ppf(0.975), rel=0.05)
    with pytest.raises(FramingError, match="precision= needs a report of framing validate score; missing n_true"):
        compare(features(), "outlet", min_docs=2, precision=report.drop(columns="n_true"))
