"""The frame classifier and the frames family (framing.features.frames): cross-validated scores
against scikit-learn's own, cross-fitting, storage without pickles, and counts like any family."""

import numpy as np
import pandas as pd
import pytest

from framing.errors import FramingError
from framing.features import explain, family_for
from framing.features.frames import (
    FrameClassifier,
    PlattSVC,
    error_rates,
    frame_units,
    load_frame_model,
    save_frame_model,
    train_frames,
)
from framing.validation.frame_sheets import read_frame_sheet
from tests.conftest import SEEDS, real_corpora

SEEDS_SHEET = SEEDS / "frames" / "policy_coded.csv"


@pytest.fixture(scope="module")
def seeds_model():
    sheet = read_frame_sheet(SEEDS_SHEET, "policy_frames")
    return train_frames(sheet, "policy_frames", name="seeds_policy", recipe="logreg_c10", folds=3, repeats=2, n_boot=200)


@pytest.fixture(scope="module")
def speeches():
    """A real labelled task standing in for a frame: did a Labour member give this House of Commons speech?"""
    data = real_corpora().commons_speeches()
    data = data[data["party"].isin(["Lab", "Con"]) & (data["text"].str.len() > 200)].head(240)
    return data["text"].str[:1200].tolist(), (data["party"] == "Lab").to_numpy(float)


def test_error_rates_by_hand():
    rates = error_rates([1, 1, 1, 0, 0], [1, 1, 0, 1, 0], [0.9, 0.8, 0.3, 0.6, 0.1])
    assert rates == pytest.approx({"tpr": 2 / 3, "fpr": 1 / 2, "ptpr": 2.0 / 3, "pfpr": 0.35})


def test_cross_validated_f1_lies_within_the_spread_sklearn_reports(speeches):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import RepeatedStratifiedKFold, cross_validate
    from sklearn.pipeline import make_pipeline

    from framing.features.frames import _vectorizer

    texts, y = speeches
    ours = FrameClassifier(frames=["labour"], recipe="logreg", folds=5, repeats=3, seed=0, n_boot=300)
    ours.fit(texts, y[:, None])
    pipeline = make_pipeline(_vectorizer(), LogisticRegression(C=1.0, solver="liblinear", max_iter=1000))
    theirs = cross_validate(pipeline, texts, y.astype(int), scoring=("f1", "precision", "recall"),
                            cv=RepeatedStratifiedKFold(n_splits=5, n_repeats=3, random_state=0))
    row = ours.scores_.iloc[0]
    for metric in ("f1", "precision", "recall"):
        folds = theirs[f"test_{metric}"]
        assert folds.min() <= row[metric] <= folds.max(), metric
        assert abs(row[metric] - folds.mean()) < 2 * folds.std(), metric
        # our interval (units resampled, a repeat drawn) is at least as wide as the folds' spread of the mean
        assert row[f"{metric}_high"] - row[f"{metric}_low"] >= 2 * folds.std() / np.sqrt(len(folds)), metric
    assert row["tpr"] == pytest.approx(row["recall"])  # the same out-of-fold labels, two names


def test_platt_svc_gives_the_probabilities_of_sklearns_sigmoid_calibration(speeches):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.model_selection import StratifiedKFold
    from sklearn.svm import LinearSVC

    from framing.features.frames import _vectorizer

    texts, y = speeches
    x = _vectorizer().fit_transform(texts)
    ours = PlattSVC(C=0.1, seed=0).fit(x, y).predict_proba(x)[:, 1]
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    theirs = CalibratedClassifierCV(LinearSVC(C=0.1, random_state=0), method="sigmoid", cv=folds,
                                    ensemble=False).fit(x, y).predict_proba(x)[:, 1]
    assert np.abs(ours - theirs).max() < 0.02


def test_frames_with_too_few_coded_units_are_not_trained_and_say_why(seeds_model):
    status = seeds_model.classifier.status_
    assert status["economic"] == "not trained: 1 positive and 125 negative coded units; code at least 5 of each"
    assert seeds_model.category_names == ["legality", "policy_prescription", "crime_punishment", "security_defense",
                                          "public_opinion", "political", "external_regulation"]
    with pytest.raises(FramingError, match="no frame has enough coded units"):
        FrameClassifier(frames=["x"], folds=3, repeats=1).fit(["a b", "c d", "e f"], np.array([[1.0], [0.0], [0.0]]))


def test_a_coded_unit_gets_its_out_of_fold_probability_never_a_model_that_learned_it(seeds_model):
    c = seeds_model.classifier
    texts = seeds_model.sheet["text"].tolist()
    probs = c.predict_proba(texts)
    oof = c.predictions_
    for j, frame in enumerate(c.frames_):
        part = oof[oof["frame"] == frame]
        for i in (0, 5, 40, 125):
            candidates = part.loc[part["item"] == i, "probability"].to_numpy()
            assert np.isclose(candidates, probs[i, j]).any()
    assert np.array_equal(c.predict_proba(["A sentence no coder saw."] * 2), c.predict_proba(["A sentence no coder saw."] * 2))


def test_a_model_is_its_files_and_refits_to_the_same_probabilities(seeds_model, tmp_path):
    save_frame_model(seeds_model, tmp_path / "one")
    save_frame_model(seeds_model, tmp_path / "two")
    for name in ("model.toml", "sheet.csv", "codebook.toml", "scores.csv", "predictions.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert not list((tmp_path / "one").glob("*.pkl")) and not list((tmp_path / "one").glob("*.joblib"))
    loaded = load_frame_model(tmp_path / "one")
    texts = ["The regime arrested the bloggers.", "Voters queued at the polls."]
    assert np.allclose(loaded.classifier.predict_proba(texts), seeds_model.classifier.predict_proba(texts))
    assert loaded.id == seeds_model.id
    retrained = train_frames(read_frame_sheet(SEEDS_SHEET, "policy_frames"), "policy_frames", name="seeds_policy",
                            recipe="logreg_c10", folds=3, repeats=2, n_boot=200)
    assert retrained.fingerprint == seeds_model.fingerprint  # same sheet and seed, same model


def test_a_model_whose_sheet_was_edited_is_refused(seeds_model, tmp_path):
    folder = save_frame_model(seeds_model, tmp_path / "m")
    sheet = pd.read_csv(folder / "sheet.csv", dtype=str, keep_default_na=False)
    sheet.loc[1, "political"] = "0" if sheet.loc[1, "political"] == "1" else "1"
    sheet.to_csv(folder / "sheet.csv", index=False)
    with pytest.raises(FramingError, match="refitting the model gives other probabilities"):
        load_frame_model(folder)


def test_the_frames_family_counts_the_labelled_units(seeds_model, seeds):
    units = frame_units(seeds, seeds_model)
    assert len(units) == 126 * 7 and set(units["label"]) <= {0, 1}
    assert units.groupby(["doc_id", "frame"])["n_tokens"].sum().groupby("doc_id").first().tolist() == \
        [seeds.tokens[d].n_words for d in seeds.doc_ids]  # sentences' words add up to each document's
    family = family_for(seeds_model)
    table = family.table(seeds)
    counted = table.set_index(["doc_id", "category"])["count"]
    labelled = units.groupby(["doc_id", "frame"])["label"].sum()
    assert counted.sort_index().tolist() == labelled.sort_index().tolist()
    rows = explain(seeds, seeds_model)
    assert len(rows) == int(units["label"].sum()) and (rows["pattern"] == "sentence").all()
    first = rows.iloc[0]
    assert seeds.documents.set_index("doc_id").loc[first["doc_id"], "clean_text"][first["start"]:first["end"]] == first["text"]
    assert (rows["probability"] >= 0.5).all()
    features, sentences = family.tables(seeds)
    assert sentences.groupby(["doc_id", "category"])["count"].sum().sort_index().tolist() == counted.sort_index().tolist()
