"""Comparisons within stories (framing.comparison.within): the fixed-effects Poisson against statsmodels,
Mantel-Haenszel by hand, and a simulation where agenda and framing are known."""

import warnings

import numpy as np
import pandas as pd
import pytest

from framing.comparison.within import (
    fe_poisson,
    side_cells,
    within_keyness,
    within_model,
)
from framing.errors import FramingError
from tests.conftest import real_corpora


def _panel(seed=1, n_stories=40):
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(n_stories):
        base = rng.gamma(2, 2)
        for g in range(3):
            for _ in range(rng.integers(1, 4)):
                tokens = int(rng.integers(200, 800))
                rows.append((f"s{s}", "ABC"[g], tokens, rng.poisson(base * [1, 1.5, 0.7][g] / 1000 * tokens * rng.gamma(5, 0.2))))
    return pd.DataFrame(rows, columns=["story", "outlet", "n_tokens", "count"])


def test_fixed_effects_equal_statsmodels_with_a_dummy_per_story():
    import statsmodels.api as sm

    d = _panel()
    x = np.column_stack([d["outlet"] == "B", d["outlet"] == "C"]).astype(float)
    beta, cov, n_used = fe_poisson(d["count"], np.log(d["n_tokens"]), x, d["story"])
    used = d[d.groupby("story")["count"].transform("sum") > 0]  # stories without a count carry no information
    assert n_used == len(used)
    xu = np.column_stack([used["outlet"] == "B", used["outlet"] == "C"]).astype(float)
    dummies = pd.get_dummies(used["story"], dtype=float).to_numpy()
    fit = sm.GLM(used["count"].to_numpy(float), np.column_stack([xu, dummies]), family=sm.families.Poisson(),
                 offset=np.log(used["n_tokens"].to_numpy(float))).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(used["story"])[0], "use_correction": False}, tol=1e-12)
    g = used["story"].nunique()
    assert beta == pytest.approx(fit.params[:2], abs=1e-8)
    assert np.sqrt(np.diag(cov)) == pytest.approx(fit.bse[:2] * np.sqrt(g / (g - 1)), rel=1e-6)  # CR1: G / (G - 1)


def test_within_model_by_hand_and_what_it_rests_on():
    t = pd.DataFrame({"doc_id": list("abcdefghij"), "outlet": list("ABABABABAA"), "category": "c",
                      "story": ["s1", "s1", "s2", "s2", "s3", "s3", "s4", "s4", "s5", "s5"],
                      "count": [1, 2, 10, 20, 2, 4, 5, 10, 50, 60], "n_tokens": [100] * 10})
    row = within_model(t, "outlet", reference="A").iloc[0]
    assert row["rate_ratio"] == pytest.approx(2.0) and row["n_stories"] == 4 and row["n_docs"] == 8
    assert "rests on 4 shared stories" in row["warning"]  # s5 has A only: it is left out
    # pooled over every document of A and B: (2+20+4+10) / 4 against (1+10+2+5+50+60) / 6 per 100 words
    assert row["pooled_ratio"] == pytest.approx((36 / 4) / (128 / 6))
    with pytest.raises(FramingError, match="column 'story' is empty for some documents"):
        within_model(t.assign(story=[None] + ["s1"] * 9), "outlet")


def test_mantel_haenszel_keyness_by_hand():
    counts = pd.DataFrame([("s1\ttarget", "", 0, 0), ("s1\ttarget", "regime", 1, 4), ("s1\ttarget", "the", 1, 96),
                           ("s1\treference", "regime", 1, 2), ("s1\treference", "the", 1, 98),
                           ("s2\ttarget", "regime", 1, 2), ("s2\ttarget", "the", 1, 98),
                           ("s2\treference", "regime", 1, 1), ("s2\treference", "the", 1, 99)],
                          columns=["cell", "term", "n", "count"])
    table = within_keyness(counts, min_count=1).set_index("term")
    assert table.loc["regime", "rate_ratio"] == pytest.approx(2.0)  # 4 vs 2 and 2 vs 1 on 100 words each
    assert table.loc["regime", "n_stories"] == 2 and table.loc["regime", "target_count"] == 6


def test_side_cells_name_story_and_side():
    docs = pd.DataFrame({"doc_id": list("abc"), "outlet": ["A", "B", "C"], "story": ["s1", "s1", "s2"]})
    assert side_cells(docs, "outlet", "story", "A", "B").tolist()[:2] == ["s1\ttarget", "s1\treference"]
    assert pd.isna(side_cells(docs, "outlet", "story", "A", "B").iloc[2])


# --------------------------------------------------------------------------- known truth

TRUE_RATIO = 2.0
REPETITIONS = 50


@pytest.fixture(scope="module")
def sentences():
    from framing.documents.corpus import load_corpus
    from framing.validation.frame_sheets import corpus_units

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        corpus = load_corpus(real_corpora().news_articles(per_outlet=20))
    units = corpus_units(corpus, "sentence")
    return units.loc[units["text"].str.split().str.len() >= 8, "text"].to_numpy()


def _simulated(sentences, seed: int) -> pd.DataFrame:
    """120 stories, half with a low base rate of the planted word (1 per 1,000 words), half with a high one (8).
    Outlet A covers most high-rate stories and few low-rate ones (agenda); B the reverse. On any story A uses
    the word twice as often as B (framing): the within-story ratio is 2, the pooled one far above it."""
    from framing.documents.corpus import load_corpus
    from framing.features import lexicon_features
    from framing.lexicon.read import lexicon_from_mapping

    rng = np.random.default_rng(seed)
    rows = []
    for s in range(120):
        high = s % 2 == 0
        base = 8.0 if high else 1.0
        for outlet, cover, ratio in (("A", 0.9 if high else 0.2, TRUE_RATIO), ("B", 0.2 if high else 0.9, 1.0)):
            for k in range(rng.binomial(3, cover)):
                words = " ".join(rng.choice(sentences, 8)).split()
                for _ in range(rng.poisson(base * ratio * len(words) / 1000)):
                    words.insert(int(rng.integers(0, len(words) + 1)), "zorblat")
                rows.append((f"{outlet}{s}-{k}", outlet, f"s{s}", " ".join(words)))
    corpus = load_corpus(pd.DataFrame(rows, columns=["doc_id", "outlet", "story", "text"]))
    return lexicon_features(corpus, lexicon_from_mapping("planted", {"planted": ["zorblat"]}))


def test_within_stories_recovers_the_known_ratio_that_pooling_misses(sentences):
    within, pooled, estimates = [], [], []
    for rep in range(REPETITIONS):
        row = within_model(_simulated(sentences, rep), "outlet", reference="B").iloc[0]
        within.append(row["ci_low"] <= TRUE_RATIO <= row["ci_high"])
        pooled.append(row["pooled_low"] <= TRUE_RATIO <= row["pooled_high"])
        estimates.append((row["rate_ratio"], row["pooled_ratio"]))
    assert np.mean(within) >= 0.90
    assert np.mean(pooled) <= 0.30  # pooling mixes agenda into framing: its interval misses the truth
    ratios = np.array(estimates)
    assert np.exp(np.log(ratios[:, 0]).mean()) == pytest.approx(TRUE_RATIO, rel=0.1)
    assert np.exp(np.log(ratios[:, 1]).mean()) > 3.0


def test_too_many_groups_is_said_not_fitted():
    from framing.comparison.models import MAX_MODEL_GROUPS

    n = MAX_MODEL_GROUPS + 1
    t = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "desk": [f"g{i}" for i in range(n)], "category": "c",
                      "story": "s1", "count": 1, "n_tokens": 100})
    table = within_model(t, "desk")
    assert len(table) == 1 and table["rate_ratio"].isna().all()
    assert table["warning"].iloc[0].startswith(f"a count model with one coefficient per group takes at most {MAX_MODEL_GROUPS}")


def test_newton_keeps_uphill_where_a_full_step_overshoots():
    """Three matches: one in a group of three short documents, two among 65 others. A full Newton step
    from 0 went to 10.9, then to -1046, then to inf; halved until the likelihood rises, it reaches the
    closed form of one stratum, (1 / 507) / (2 / 17095)."""
    from framing.comparison.within import fe_poisson

    y = np.zeros(68)
    y[[0, 3, 4]] = 1
    X = np.zeros((68, 1))
    X[:3, 0] = 1
    offset = np.log(np.r_[np.full(3, 169.0), np.full(65, 263.0)])
    beta, cov, n = fe_poisson(y, offset, X, np.zeros(68, int), np.arange(68))
    assert float(np.exp(beta[0])) == pytest.approx((1 / 507) / (2 / 17095), rel=1e-9)
    assert n == 68 and np.isfinite(cov).all()
