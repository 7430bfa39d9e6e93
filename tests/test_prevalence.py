"""Frame prevalence corrected for classifier error (framing.comparison.prevalence and the estimators
in framing.measures): hand-computed values, and a simulation with known truth on real sentences."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from framing.comparison.prevalence import frame_prevalence
from framing.errors import FramingError
from framing.measures import adjusted_count, em_prevalence
from tests.conftest import real_corpora


def test_adjusted_count_by_hand():
    # ACC = (p_cc - fpr) / (tpr - fpr), clipped to [0, 1] (Forman 2008)
    assert adjusted_count(0.30, 0.80, 0.10) == pytest.approx(2 / 7)
    assert adjusted_count([0.05, 0.95], 0.80, 0.10).tolist() == [0.0, 1.0]
    assert np.isnan(adjusted_count(0.3, 0.2, 0.2))  # no better than chance: no correction exists


def test_em_by_hand_and_on_calibrated_posteriors():
    # two units at 0.9 and two at 0.2, trained at 0.5: the fixed point q solves
    # q = mean(0.9q / (0.9q + 0.1(1-q)), 0.2q / (0.2q + 0.8(1-q)))
    q = em_prevalence([0.9, 0.9, 0.2, 0.2], 0.5)
    expected = np.mean([0.9 * q / (0.9 * q + 0.1 * (1 - q)), 0.2 * q / (0.2 * q + 0.8 * (1 - q))])
    assert q == pytest.approx(expected, abs=1e-7) and q == pytest.approx(0.6042, abs=1e-4)
    # posteriors that are calibrated where the prior was 0.5: scores ~ N(+1, 1) for positives, N(-1, 1) for
    # negatives, posterior = logistic(2s). A test set at 20% prevalence is recovered; the plain mean is not.
    rng = np.random.default_rng(0)
    truth = rng.random(20000) < 0.2
    s = np.where(truth, rng.normal(1, 1, truth.size), rng.normal(-1, 1, truth.size))
    posterior = 1 / (1 + np.exp(-2 * s))
    assert em_prevalence(posterior, 0.5) == pytest.approx(0.2, abs=0.01)
    assert posterior.mean() > 0.25
    weights = np.vstack([np.ones(truth.size), truth.astype(float) * 0 + 1])
    assert em_prevalence(posterior, 0.5, weights=weights) == pytest.approx([em_prevalence(posterior, 0.5)] * 2)


def _units(groups: dict, rng) -> pd.DataFrame:
    rows = []
    for g, probs in groups.items():
        for d, p in enumerate(probs):
            rows.append((f"{g}{d // 2}", g, p))
    units = pd.DataFrame(rows, columns=["doc_id", "outlet", "probability"]).assign(frame="f")
    return units.assign(label=(units["probability"] >= 0.5).astype(int))


def test_the_table_by_hand_and_the_contrast():
    # A: 3 of 10 units labelled, B: 6 of 10; the coded units give tpr 4/5, fpr 1/5
    units = _units({"A": [0.9] * 3 + [0.1] * 7, "B": [0.9] * 6 + [0.1] * 4}, None)
    calibration = pd.DataFrame({"frame": "f", "repeat": 0, "truth": [1] * 5 + [0] * 5,
                                "probability": [0.9] * 4 + [0.1] + [0.9] + [0.1] * 4, "random": True})
    calibration["label"] = (calibration["probability"] >= 0.5).astype(int)
    result = frame_prevalence(units, calibration, by="outlet", method="acc", n_boot=400, seed=1, min_docs=5)
    table = result.table.set_index("outlet")
    assert table.loc["A", "estimate"] == pytest.approx((0.3 - 0.2) / 0.6)
    assert table.loc["B", "estimate"] == pytest.approx((0.6 - 0.2) / 0.6)
    assert table.loc["A", "cc"] == pytest.approx(0.3) and table.loc["A", "n_docs"] == 5
    assert table.loc["A", "resampled"] == "documents" and table.loc["A", "tpr"] == pytest.approx(0.8)
    contrast = result.contrasts.iloc[0]
    assert (contrast["target"], contrast["reference"]) == ("A", "B")
    assert contrast["difference"] == pytest.approx(-4 / 6 + 1 / 6) and contrast["cc_difference"] == pytest.approx(-0.3)
    assert contrast["low"] <= contrast["difference"] <= contrast["high"]
    assert contrast["p_adjusted"] == contrast["p"]  # one contrast: nothing to adjust
    pacc = frame_prevalence(units, calibration, by="outlet", method="pacc", n_boot=50).table.set_index("outlet")
    # PACC: mean probability A = 0.34; among coded positives 0.74, negatives 0.26
    assert pacc.loc["A", "estimate"] == pytest.approx((0.34 - 0.26) / (0.74 - 0.26))


def test_a_group_s_interval_is_the_same_whichever_groups_are_beside_it():
    """Each group's resamples come from a stream of its own, and the classifier's error from the frame's:
    leaving a group out leaves the others' estimates and intervals as they were."""
    rng = np.random.default_rng(0)  # 40 units of 20 documents a group: intervals that move with any draw
    units = _units({g: rng.uniform(0, 1, 40).round(2).tolist() for g in "ABC"}, None)
    calibration = pd.DataFrame({"frame": "f", "repeat": 0, "truth": [1] * 5 + [0] * 5,
                                "probability": [0.9] * 4 + [0.1] + [0.9] + [0.1] * 4, "random": True})
    calibration["label"] = (calibration["probability"] >= 0.5).astype(int)
    whole = frame_prevalence(units, calibration, by="outlet", n_boot=300, seed=2, min_docs=5).table
    part = frame_prevalence(units[units["outlet"] != "A"], calibration, by="outlet", n_boot=300, seed=2, min_docs=5).table
    columns = ["outlet", "estimate", "low", "high", "cc", "cc_low", "cc_high"]
    pd.testing.assert_frame_equal(whole.loc[whole["outlet"] != "A", columns].reset_index(drop=True),
                                  part[columns].reset_index(drop=True))


def test_few_documents_resample_units_within_documents_and_say_so():
    units = _units({"A": [0.9, 0.1, 0.9, 0.1], "B": [0.1, 0.1, 0.9, 0.9]}, None)
    calibration = pd.DataFrame({"frame": "f", "repeat": 0, "truth": [1, 1, 0, 0], "probability": [0.9, 0.9, 0.1, 0.1],
                                "label": [1, 1, 0, 0], "random": True})
    result = frame_prevalence(units, calibration, by="outlet", n_boot=100)
    assert set(result.table["resampled"]) == {"units within documents"}
    assert any("fewer than 5 documents" in line for line in result.note)


def test_without_random_coded_units_there_is_no_correction():
    units = _units({"A": [0.9, 0.1]}, None)
    calibration = pd.DataFrame({"frame": "f", "repeat": 0, "truth": [1, 0], "probability": [0.9, 0.1], "label": [1, 0],
                                "random": False})
    with pytest.raises(FramingError, match="no coded units drawn at random"):
        frame_prevalence(units, calibration, by="outlet")


# --------------------------------------------------------------------------- simulation with known truth

RULE = re.compile(r"\b(?:police|court|judge|prison|arrested)\b", re.IGNORECASE)
TRUTH = {"A": 0.10, "B": 0.40}
REPETITIONS = 100


@pytest.fixture(scope="module")
def simulation():
    """100 seeded repetitions: a frame defined by a rule on real news sentences; a classifier trained on 200
    coded sentences at 25% prevalence; outlets A and B of 30 documents x 8 sentences whose sentences carry
    the frame with probability 10% and 40%. Returns each repetition's ACC, PACC and CC tables and contrasts."""
    from framing.documents.corpus import load_corpus
    from framing.features.frames import FrameClassifier
    from framing.validation.frame_sheets import corpus_units

    with warnings.catch_warnings():  # a few articles of the news corpus are empty: kept, and said so
        warnings.simplefilter("ignore", UserWarning)
        corpus = load_corpus(real_corpora().news_articles(per_outlet=40))
    units = corpus_units(corpus, "sentence")
    units = units[units["text"].str.split().str.len() >= 6].drop_duplicates("text")
    frame = units["text"].str.contains(RULE).to_numpy()
    pos, neg = units["text"].to_numpy()[frame], units["text"].to_numpy()[~frame]
    out = []
    for rep in range(REPETITIONS):
        rng = np.random.default_rng(rep)
        k = 50
        train = np.r_[rng.choice(pos, k, replace=False), rng.choice(neg, 200 - k, replace=False)]
        clf = FrameClassifier(frames=["legal"], recipe="logreg_c10", folds=5, repeats=1, seed=rep, n_boot=1)
        clf.fit(train, np.r_[np.ones(k), np.zeros(200 - k)][:, None])
        rows = []
        for g, p in TRUTH.items():
            carries = rng.random(30 * 8) < p
            texts = np.where(carries, rng.choice(pos, carries.size), rng.choice(neg, carries.size))
            rows += [(f"{g}{i // 8}", g, t) for i, t in enumerate(texts)]
        corpus = pd.DataFrame(rows, columns=["doc_id", "outlet", "text"])
        corpus["probability"] = clf.predict_proba(corpus["text"])[:, 0]
        corpus["label"] = (corpus["probability"] >= 0.5).astype(int)
        corpus["frame"] = "legal"
        calibration = clf.predictions_.assign(frame="legal")
        out.append({m: frame_prevalence(corpus, calibration, by="outlet", method=m, n_boot=400, seed=rep) for m in ("acc", "pacc")})
    return out


def _coverage(simulation, method, low="low", high="high"):
    hits = [r[method].table.set_index("outlet").loc[g, low] <= t <= r[method].table.set_index("outlet").loc[g, high]
            for r in simulation for g, t in TRUTH.items()]
    return float(np.mean(hits))


def test_corrected_intervals_cover_the_truth_and_classify_and_count_does_not(simulation):
    assert _coverage(simulation, "acc") >= 0.90
    assert _coverage(simulation, "pacc") >= 0.90
    assert _coverage(simulation, "acc", "cc_low", "cc_high") <= 0.5


def test_the_difference_between_outlets_is_recovered(simulation):
    difference = -0.30
    for method in ("acc", "pacc"):
        contrasts = pd.concat([r[method].contrasts for r in simulation])
        assert contrasts["difference"].mean() == pytest.approx(difference, abs=0.04), method
        covered = ((contrasts["low"] <= difference) & (difference <= contrasts["high"])).mean()
        assert covered >= 0.90, method
    cc = pd.concat([r["acc"].contrasts for r in simulation])["cc_difference"]
    assert cc.mean() > difference + 0.1  # shrunk by tpr - fpr
