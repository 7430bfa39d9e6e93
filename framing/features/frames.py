"""Frames from coding: a classifier learned from a coded sheet, and the frames family it counts.

Dictionaries count words; a frame is a judgement a coder makes with a codebook
(:mod:`framing.lexicon.codebook`). :class:`FrameClassifier` learns that judgement from a
coded sheet (:func:`framing.validation.frame_sheets.frame_sheet`), one binary classifier per
frame on TF-IDF word (1-2) and character (2-5, within words) n-grams, as Burscher et al.
(2014) did for generic-frame indicator questions. The recipe (logistic regression at two
strengths, or a linear SVM with sigmoid-calibrated probabilities) is chosen by repeated
stratified cross-validation on the sheet, and the same cross-validation gives, per frame:

* precision, recall and F1, with bootstrap intervals over the coded units;
* the true and false positive rates, as counts (``tpr``, ``fpr``) and as mean probabilities
  (``ptpr``, ``pfpr``), that the prevalence corrections of
  :mod:`framing.comparison.prevalence` need: measured on the units drawn at random only
  (units added by uncertainty sampling are harder than the corpus and would bias them).

A model is stored as its sheet, its recipe, its seed and its out-of-fold predictions
(:func:`save_frame_model`), never as a pickle, and refitted on load (:func:`load_frame_model`), which
checks that the refit gives the stored fingerprint (the same probabilities on the sheet).

:class:`FrameFamily` applies a model as a family: ``find`` gives one record per unit
labelled with a frame (pattern = the unit, extra column ``probability``), so the feature
table, the sentence table, ``explain``, ``compare``, ``model``, ``trend`` and the explorer
take frames like any family (``--lexicon MODEL_DIR``). :func:`frame_units` gives each unit's
probability and label for every frame, what the prevalence estimators read.

Burscher, B., Odijk, D., Vliegenthart, R., de Rijke, M., & de Vreese, C. H. (2014). Teaching
the computer to code frames in news. *Communication Methods and Measures* 8(3), 190-206.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd

from framing.documents.corpus import Corpus
from framing.documents.tokens import UNITS, TokenizedText, unit_spans
from framing.errors import FramingError
from framing.features.family import Family, Found
from framing.lexicon.codebook import Codebook, codebook_from_toml, read_codebook
from framing.output import write_text
from framing.params import check_choice, check_int

RECIPES = {
    "logreg": "logistic regression, C = 1",
    "logreg_c10": "logistic regression, C = 10",
    "svm": "linear SVM, C = 0.1, probabilities by sigmoid calibration on 3-fold decision values (Platt 1999)",
}
"""The classifiers cross-validation chooses from (``recipe="auto"``), by mean F1 over the frames."""
MIN_CODED = 5
"""A frame is trained only with at least this many positive and this many negative coded units."""
THRESHOLD = 0.5
"""A unit carries a frame when its probability reaches this."""
MODEL_FILE = "model.toml"
SHEET_FILE = "sheet.csv"
CODEBOOK_FILE = "codebook.toml"
PREDICTIONS_FILE = "predictions.csv"
SCORES_FILE = "scores.csv"
SCORE_COLUMNS = ["frame", "status", "n_coded", "n_positive", "n_random", "precision", "precision_low", "precision_high",
                 "recall", "recall_low", "recall_high", "f1", "f1_low", "f1_high", "tpr", "fpr", "ptpr", "pfpr",
                 "train_prior", "recipe", "level"]


def _vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion([
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True, min_df=2)),
    ])


class PlattSVC:
    """A linear SVM with probabilities by Platt scaling: a logistic fit of the labels on the SVM's
    decision values, taken out-of-fold (3-fold) so the calibration never sees its own training fit.
    What ``CalibratedClassifierCV(LinearSVC(), method="sigmoid", ensemble=False)`` computes, with
    the 1-D logistic fit done by a Newton solver (sklearn's sigmoid fit spent 40% of a refit in a
    general-purpose optimiser here).

    Platt, J. (1999). Probabilistic outputs for support vector machines and comparisons to
    regularized likelihood methods. *Advances in Large Margin Classifiers*, 61-74.
    """

    def __init__(self, *, C: float = 0.1, seed: int = 0):
        self.C = C
        self.seed = seed

    def fit(self, X, y):
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold, cross_val_predict
        from sklearn.svm import LinearSVC

        svm = LinearSVC(C=self.C, random_state=self.seed)
        folds = StratifiedKFold(n_splits=min(3, int(np.bincount(np.asarray(y, int)).min())), shuffle=True,
                                random_state=self.seed)
        decision = cross_val_predict(svm, X, y, cv=folds, method="decision_function")
        self.calibrator_ = LogisticRegression(C=1e6, solver="newton-cholesky").fit(decision[:, None], y)
        self.svm_ = svm.fit(X, y)
        return self

    def predict_proba(self, X) -> np.ndarray:
        return self.calibrator_.predict_proba(self.svm_.decision_function(X)[:, None])


def _classifier(recipe: str, seed: int):
    from sklearn.linear_model import LogisticRegression

    if recipe == "logreg":
        return LogisticRegression(C=1.0, solver="liblinear", max_iter=1000, random_state=seed)
    if recipe == "logreg_c10":
        return LogisticRegression(C=10.0, solver="liblinear", max_iter=1000, random_state=seed)
    if recipe == "svm":
        return PlattSVC(C=0.1, seed=seed)
    raise FramingError(f"unknown recipe {recipe!r}; choose from auto, {', '.join(RECIPES)}")


def _folds(y: np.ndarray, folds: int, repeats: int, seed: int) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """``(repeat, train, test)`` index triples of repeated stratified k-fold, shared by all frames.

    Multi-label units are stratified by the rarest frame each carries (``none`` when it carries
    none; strata with fewer units than folds pooled), so every fold holds positives of every
    frame that has enough of them."""
    from sklearn.model_selection import StratifiedKFold

    coded = np.nan_to_num(y, nan=0.0)
    totals = coded.sum(axis=0)
    order = np.argsort(totals, kind="stable")
    strata = np.full(len(y), -1)
    for j in order[::-1]:  # the rarest frame assigned last wins
        strata[coded[:, j] == 1] = j
    values, counts = np.unique(strata, return_counts=True)
    small = values[counts < folds]
    strata[np.isin(strata, small)] = -2
    if (strata == -2).sum() < folds:
        strata[strata == -2] = -1 if (strata == -1).sum() else strata[strata != -2][0]
    out = []
    for r in range(repeats):
        kfold = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed + r)
        out.extend((r, train, test) for train, test in kfold.split(np.zeros(len(y)), strata))
    return out


def _predict(x, models) -> np.ndarray:
    """Units x frames probabilities from one split's classifiers (a constant where a frame had one class)."""
    return np.column_stack([np.full(x.shape[0], m) if isinstance(m, float) else m.predict_proba(x)[:, 1] for m in models])


def _stable_hash(text: str) -> int:
    """The same integer for the same text in every process (Python's ``hash`` of a str is salted)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def _f1_parts(truth: np.ndarray, label: np.ndarray) -> tuple[float, float, float]:
    tp = float(((truth == 1) & (label == 1)).sum())
    fp = float(((truth == 0) & (label == 1)).sum())
    fn = float(((truth == 1) & (label == 0)).sum())
    precision = tp / (tp + fp) if tp + fp else np.nan
    recall = tp / (tp + fn) if tp + fn else np.nan
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else np.nan
    return precision, recall, f1


def error_rates(truth, label, probability) -> dict[str, float]:
    """The four rates a prevalence correction reads, from coded units and their out-of-fold predictions:
    ``tpr`` = P(label 1 | truth 1), ``fpr`` = P(label 1 | truth 0), ``ptpr`` = E(probability | truth 1),
    ``pfpr`` = E(probability | truth 0) (Bella et al. 2010).

    Examples
    --------
    >>> {k: round(v, 3) for k, v in error_rates([1, 1, 0, 0, 0], [1, 0, 1, 0, 0], [.9, .4, .6, .2, .1]).items()}
    {'tpr': 0.5, 'fpr': 0.333, 'ptpr': 0.65, 'pfpr': 0.3}
    """
    truth, label, probability = (np.asarray(x, dtype=float) for x in (truth, label, probability))
    pos, neg = truth == 1, truth == 0
    mean = lambda x, m: float(x[m].mean()) if m.any() else np.nan  # noqa: E731
    return {"tpr": mean(label, pos), "fpr": mean(label, neg), "ptpr": mean(probability, pos), "pfpr": mean(probability, neg)}


class FrameClassifier:
    """One binary classifier per frame, from coded units; scikit-learn's estimator conventions.

    Parameters
    ----------
    frames : list of str
        The frames (columns of ``y``) to learn; frames with fewer than :data:`MIN_CODED` positive
        or negative coded units are not trained (``status_`` says why).
    recipe : {"auto", "logreg", "logreg_c10", "svm"}
        The classifier (:data:`RECIPES`); ``auto`` takes the one with the best mean F1 in cross-validation.
    folds, repeats : int
        Repeated stratified k-fold cross-validation (default 5 x 5).
    seed : int
        Seeds the folds and the classifiers: the same data and seed give the same model.
    level : float
        Confidence level of the metrics' intervals.
    n_boot : int
        Bootstrap replicates of the metrics' intervals.

    Fitted attributes: ``frames_`` (trained), ``status_`` (per frame: ``trained`` or why not),
    ``recipe_``, ``recipe_scores_`` (mean F1 of each recipe tried), ``scores_`` (the per-frame table,
    :data:`SCORE_COLUMNS`), ``predictions_`` (out-of-fold: ``item``, ``repeat``, ``frame``, ``truth``,
    ``probability``, ``label``, ``random``), ``train_prior_`` (share of coded units carrying each frame).

    Examples
    --------
    >>> texts = [f"the regime arrested {w}" for w in "abcdefgh"] + [f"voters queued at booth {w}" for w in "abcdefgh"]
    >>> y = np.array([[1.0]] * 8 + [[0.0]] * 8)
    >>> model = FrameClassifier(frames=["crime"], recipe="logreg", folds=4, repeats=2, n_boot=50).fit(texts, y)
    >>> model.frames_, round(float(model.scores_.loc[0, "f1"]), 2)
    (['crime'], 1.0)
    >>> (model.predict_proba(["the regime arrested them"])[:, 0] > 0.5).tolist()
    [True]
    """

    def __init__(self, *, frames, recipe: str = "auto", folds: int = 5, repeats: int = 5, seed: int = 0,
                 level: float = 0.95, n_boot: int = 1000):
        self.frames = frames
        self.recipe = recipe
        self.folds = folds
        self.repeats = repeats
        self.seed = seed
        self.level = level
        self.n_boot = n_boot

    # ------------------------------------------------------------------ fit

    def fit(self, X, y, *, random=None):
        """Learn from texts ``X`` and labels ``y`` (units x frames: 1, 0 or NaN for not coded).
        ``random`` marks the units drawn at random (default: all); only they score the model."""
        check_choice("recipe", self.recipe, ("auto", *RECIPES))
        check_int("folds", self.folds, low=2)
        check_int("repeats", self.repeats, low=1)
        check_int("seed", self.seed, low=0)
        check_int("n_boot", self.n_boot, low=1)
        texts = [str(t) for t in X]
        y = np.asarray(y, dtype=float)
        frames = list(self.frames)
        if y.ndim != 2 or y.shape != (len(texts), len(frames)):
            raise FramingError(f"labels must be units x frames ({len(texts)} x {len(frames)}), got shape {y.shape}")
        if not np.isin(y[~np.isnan(y)], (0.0, 1.0)).all():
            raise FramingError("labels must be 1, 0 or blank")
        random = np.ones(len(texts), bool) if random is None else np.asarray(random, bool)
        self.status_, keep = {}, []
        for j, frame in enumerate(frames):
            pos, neg = int((y[:, j] == 1).sum()), int((y[:, j] == 0).sum())
            if min(pos, neg) < max(MIN_CODED, self.folds):
                self.status_[frame] = (f"not trained: {pos} positive and {neg} negative coded units; "
                                       f"code at least {max(MIN_CODED, self.folds)} of each")
            else:
                self.status_[frame] = "trained"
                keep.append(j)
        if not keep:
            raise FramingError("no frame has enough coded units to learn from: "
                               + "; ".join(f"{f}: {s[len('not trained: '):]}" for f, s in self.status_.items()))
        self.frames_ = [frames[j] for j in keep]
        y_kept = y[:, keep]
        splits = _folds(y_kept, self.folds, self.repeats, self.seed)
        recipes = list(RECIPES) if self.recipe == "auto" else [self.recipe]
        oof = {r: np.full((self.repeats, len(texts), len(keep)), np.nan) for r in recipes}
        fitted = {r: [] for r in recipes}
        for repeat, train, test in splits:
            vectorizer, models = self._fit_split(texts, y_kept, train, recipes)
            x_test = vectorizer.transform([texts[i] for i in test])
            for r in recipes:
                fitted[r].append((vectorizer, models[r]))
                oof[r][repeat, test, :] = _predict(x_test, models[r])
        self.recipe_scores_ = {r: float(np.nanmean([self._f1(oof[r], y_kept, random, j) for j in range(len(keep))]))
                               for r in recipes}
        self.recipe_ = max(recipes, key=lambda r: (np.nan_to_num(self.recipe_scores_[r], nan=-1.0), -recipes.index(r)))
        self.train_prior_ = {f: float(np.nanmean(y_kept[:, j])) for j, f in enumerate(self.frames_)}
        self.predictions_ = self._predictions(oof[self.recipe_], y_kept, random)
        self.scores_ = self._scores(frames, y, random)
        self.splits_ = splits
        self.models_ = fitted[self.recipe_]
        self.texts_ = {t: i for i, t in enumerate(texts)}
        return self

    def _fit_split(self, texts: list[str], y: np.ndarray, train: np.ndarray, recipes) -> tuple:
        """The vectorizer and, per recipe, one classifier per frame, fitted on the units ``train``
        (a frame with one class among them gets its share as a constant)."""
        vectorizer = _vectorizer().fit([texts[i] for i in train])
        x_train = vectorizer.transform([texts[i] for i in train])
        models = {r: [] for r in recipes}
        for j in range(y.shape[1]):
            coded = ~np.isnan(y[train, j])
            target = y[train, j][coded]
            for r in recipes:
                models[r].append(float(target.mean()) if len(np.unique(target)) < 2
                                 else _classifier(r, self.seed).fit(x_train[coded], target))
        return vectorizer, models

    def _refit(self, texts: list[str], y: np.ndarray) -> None:
        """Fit the chosen recipe's fold models again (what :func:`load_frame_model` does instead of storing them)."""
        self.splits_ = _folds(y, self.folds, self.repeats, self.seed)
        self.models_ = []
        for _, train, _ in self.splits_:
            vectorizer, models = self._fit_split(texts, y, train, [self.recipe_])
            self.models_.append((vectorizer, models[self.recipe_]))
        self.texts_ = {t: i for i, t in enumerate(texts)}

    def _f1(self, oof: np.ndarray, y: np.ndarray, random: np.ndarray, j: int) -> float:
        coded = random & ~np.isnan(y[:, j])
        return float(np.nanmean([_f1_parts(y[coded, j], (oof[r, coded, j] >= THRESHOLD).astype(float))[2]
                                 for r in range(oof.shape[0])]))

    def _predictions(self, oof: np.ndarray, y: np.ndarray, random: np.ndarray) -> pd.DataFrame:
        rows = []
        for j, frame in enumerate(self.frames_):
            coded = np.flatnonzero(~np.isnan(y[:, j]))
            for r in range(oof.shape[0]):
                p = oof[r, coded, j]
                rows.append(pd.DataFrame({"item": coded, "repeat": r, "frame": frame, "truth": y[coded, j].astype(int),
                                          "probability": p, "label": (p >= THRESHOLD).astype(int),
                                          "random": random[coded]}))
        return pd.concat(rows, ignore_index=True)

    def _scores(self, frames: list[str], y: np.ndarray, random: np.ndarray) -> pd.DataFrame:
        rng = np.random.default_rng(self.seed)
        alpha = (1 - self.level) / 2
        rows = []
        for j, frame in enumerate(frames):
            n_coded, n_pos = int((~np.isnan(y[:, j])).sum()), int((y[:, j] == 1).sum())
            if frame not in self.frames_:
                rows.append({"frame": frame, "status": self.status_[frame], "n_coded": n_coded, "n_positive": n_pos,
                             "recipe": "", "level": self.level})
                continue
            part = self.predictions_[(self.predictions_["frame"] == frame) & self.predictions_["random"]]
            by_repeat = [g.sort_values("item") for _, g in part.groupby("repeat", sort=True)]
            truth = by_repeat[0]["truth"].to_numpy()
            labels = np.stack([g["label"].to_numpy() for g in by_repeat])
            probs = np.stack([g["probability"].to_numpy() for g in by_repeat])
            with warnings.catch_warnings():  # a frame never predicted has no precision: NaN, said as such
                warnings.simplefilter("ignore", RuntimeWarning)
                point = np.nanmean([_f1_parts(truth, lab) for lab in labels], axis=0)
            rates = pd.DataFrame([error_rates(truth, lab, p) for lab, p in zip(labels, probs)]).mean()
            boot = []
            for _ in range(self.n_boot):  # units resampled, and a repeat drawn: both sources of spread
                pick = rng.integers(0, len(truth), len(truth))
                boot.append(_f1_parts(truth[pick], labels[rng.integers(0, len(labels))][pick]))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                low, high = np.nanquantile(np.array(boot, dtype=float), [alpha, 1 - alpha], axis=0)
            rows.append({"frame": frame, "status": "trained", "n_coded": n_coded, "n_positive": n_pos,
                         "n_random": len(truth), "precision": point[0], "precision_low": low[0], "precision_high": high[0],
                         "recall": point[1], "recall_low": low[1], "recall_high": high[1],
                         "f1": point[2], "f1_low": low[2], "f1_high": high[2], **rates.to_dict(),
                         "train_prior": self.train_prior_[frame], "recipe": self.recipe_, "level": self.level})
        return pd.DataFrame(rows).reindex(columns=SCORE_COLUMNS)

    def predict_proba(self, X) -> np.ndarray:
        """Probability of each trained frame (:attr:`frames_`, in order) for each text: units x frames.

        Cross-fitted: each text is scored by ONE of the cross-validation's models, so the error
        rates measured out-of-fold are those of the probabilities given here. A text of the coded
        sheet gets the model whose test fold held it (of the repeat its hash picks): its out-of-fold
        prediction, never a model that learned from it. Any other text gets the model its hash
        picks, so the same text always gets the same probability."""
        texts = [str(t) for t in X]
        out = np.zeros((len(texts), len(self.frames_)))
        if not texts:
            return out
        test_of = self.__dict__.get("_test_of")
        if test_of is None:  # (repeat, coded unit) -> its split
            test_of = self._test_of = {(r, int(i)): k for k, (r, _, test) in enumerate(self.splits_) for i in test}
        chosen = np.empty(len(texts), dtype=np.int64)
        for n, text in enumerate(texts):
            h = _stable_hash(text)
            coded = self.texts_.get(text)
            chosen[n] = test_of[(h % self.repeats, coded)] if coded is not None else h % len(self.splits_)
        for k in np.unique(chosen):
            rows = np.flatnonzero(chosen == k)
            vectorizer, models = self.models_[k]
            out[rows] = _predict(vectorizer.transform([texts[i] for i in rows]), models)
        return out

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """The frames the columns of :meth:`predict_proba` stand for."""
        return np.asarray(self.frames_, dtype=object)


# --------------------------------------------------------------------------- a model: sheet + recipe + seed


@dataclass
class FrameModel:
    """A trained frame classifier with what it was trained on: the codebook, the unit, the
    coded sheet (``sheet``: ``item_id``, ``text``, ``sample``, one column per frame) and the
    fitted :class:`FrameClassifier`. ``name``, ``id`` and ``category_names`` let it stand where
    a family expects a lexicon."""

    name: str
    codebook: Codebook
    unit: str
    sheet: pd.DataFrame
    classifier: FrameClassifier
    path: str = "<memory>"

    @property
    def category_names(self) -> list[str]:
        return list(self.classifier.frames_)

    @property
    def id(self) -> str:
        """``name@codebook-version#hash``: the hash covers the sheet's texts and labels, the recipe and the seed."""
        return f"{self.name}@{self.codebook.meta.get('version', '')}#{self.fingerprint[:8]}"

    @property
    def fingerprint(self) -> str:
        """Hash of the training data, the recipe, and the probabilities the fitted model gives the sheet
        (rounded to 6 decimals): a refit that does not give these is not this model."""
        c = self.classifier
        probs = np.round(c.predict_proba(self.sheet["text"].tolist()), 6)
        payload = json.dumps({"codebook": self.codebook.id, "unit": self.unit, "recipe": c.recipe_, "seed": c.seed,
                              "folds": c.folds, "repeats": c.repeats, "texts": self.sheet["text"].tolist(),
                              "labels": [[None if np.isnan(v) else float(v) for v in row]
                                                    for row in self.sheet[c.frames].to_numpy(dtype=float)], "probabilities": probs.tolist()}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def scores(self) -> pd.DataFrame:
        return self.classifier.scores_

    def calibration(self) -> pd.DataFrame:
        """Out-of-fold predictions of the coded units (``item_id``, ``repeat``, ``frame``, ``truth``,
        ``probability``, ``label``, ``random``): what the prevalence corrections resample."""
        p = self.classifier.predictions_.copy()
        p.insert(0, "item_id", self.sheet["item_id"].to_numpy()[p.pop("item").to_numpy()])
        return p

    def train_prior(self) -> dict[str, float]:
        return dict(self.classifier.train_prior_)


def train_frames(sheet: pd.DataFrame, codebook, *, name: str = "frames", unit: str | None = None, recipe: str = "auto",
                folds: int = 5, repeats: int = 5, seed: int = 0, level: float = 0.95, n_boot: int = 1000) -> FrameModel:
    """Train a :class:`FrameModel` from a coded frame sheet (its ``text``, ``sample`` and frame columns).

    Units whose ``sample`` is ``active`` (added by uncertainty sampling) are learned from but do not
    score the model. ``unit`` defaults to the sheet's ``unit`` column."""
    book = read_codebook(codebook)
    missing = [c for c in ["item_id", "text", *book.frame_names] if c not in sheet.columns]
    if missing:
        raise FramingError(f"the sheet has no column {missing[0]}; a frame sheet of codebook '{book.name}' has item_id, "
                           f"text and one column per frame ({', '.join(book.frame_names)})")
    if unit is None:
        units = sorted(set(sheet["unit"].astype(str))) if "unit" in sheet.columns else []
        if len(units) != 1:
            raise FramingError("the sheet does not say its unit (one value in its 'unit' column); pass unit=")
        unit = units[0]
    check_choice("unit", unit, UNITS)
    labels = sheet[book.frame_names].apply(pd.to_numeric, errors="coerce")
    random = sheet["sample"].astype(str).ne("active").to_numpy() if "sample" in sheet.columns else None
    classifier = FrameClassifier(frames=book.frame_names, recipe=recipe, folds=folds, repeats=repeats, seed=seed,
                                 level=level, n_boot=n_boot)
    classifier.fit(sheet["text"].tolist(), labels.to_numpy(dtype=float), random=random)
    kept = sheet[[c for c in sheet.columns if c != "note"]].copy()  # the key columns say which corpus units it holds
    if "sample" not in kept.columns:
        kept.insert(kept.columns.get_loc("text"), "sample", "random")
    kept[book.frame_names] = labels
    return FrameModel(name, book, unit, kept.reset_index(drop=True), classifier)


def _codebook_toml(book: Codebook) -> str:
    import tomli_w

    frames = {f.name: {"label": f.label, "definition": f.definition, **({"questions": list(f.questions)} if f.questions else {})}
              for f in book.frames}
    return tomli_w.dumps({"meta": book.meta, "frames": frames})


def save_frame_model(model: FrameModel, folder: "str | Path") -> Path:
    """Write a model as plain files (no pickle): ``model.toml`` (recipe, seed, settings, fingerprint),
    ``sheet.csv`` (what it learned from), ``codebook.toml``, ``scores.csv`` (per-frame metrics) and
    ``predictions.csv`` (out-of-fold predictions). :func:`load_frame_model` refits it from them."""
    import tomli_w

    folder = Path(folder)
    c = model.classifier
    settings = {"model": {"name": model.name, "unit": model.unit, "codebook": model.codebook.id, "recipe": c.recipe_,
                          "recipe_asked": c.recipe, "seed": c.seed, "folds": c.folds, "repeats": c.repeats,
                          "level": c.level, "n_boot": c.n_boot, "threshold": THRESHOLD, "frames": list(c.frames_),
                          "id": model.id, "fingerprint": model.fingerprint},
                "recipe_f1": c.recipe_scores_, "status": c.status_}
    folder.mkdir(parents=True, exist_ok=True)
    write_text(folder / MODEL_FILE, "# A frame model: refitted from sheet.csv with this recipe and seed (framing classify train).\n"
               + tomli_w.dumps(settings))
    write_text(folder / CODEBOOK_FILE, _codebook_toml(model.codebook))
    codes = model.sheet.astype({f: "Int64" for f in model.codebook.frame_names})  # 1, 0 or blank, as coded
    write_text(folder / SHEET_FILE, codes.to_csv(index=False, lineterminator="\n"))
    write_text(folder / SCORES_FILE, model.scores.to_csv(index=False, lineterminator="\n"))
    write_text(folder / PREDICTIONS_FILE, model.calibration().to_csv(index=False, lineterminator="\n"))
    return folder


def is_model_folder(path) -> bool:
    return isinstance(path, (str, Path)) and Path(path).is_dir() and (Path(path) / MODEL_FILE).is_file()


def load_frame_model(folder: "str | Path") -> FrameModel:
    """Refit a model saved by :func:`save_frame_model`, and check it gives the stored fingerprint."""
    folder = Path(folder)
    if not is_model_folder(folder):
        raise FramingError(f"{folder}: not a frame model folder (no {MODEL_FILE}); write one with framing classify train")
    try:
        settings = tomllib.loads((folder / MODEL_FILE).read_text(encoding="utf-8"))["model"]
        book = codebook_from_toml((folder / CODEBOOK_FILE).read_text(encoding="utf-8"), source=str(folder / CODEBOOK_FILE))
        sheet = pd.read_csv(folder / SHEET_FILE, dtype=str, keep_default_na=False)
        sheet[book.frame_names] = sheet[book.frame_names].apply(pd.to_numeric, errors="coerce")
        scores = pd.read_csv(folder / SCORES_FILE, keep_default_na=False, na_values={c: [""] for c in SCORE_COLUMNS
                                                                                    if c not in ("frame", "status", "recipe")})
        predictions = pd.read_csv(folder / PREDICTIONS_FILE, dtype={"item_id": str})
        status = tomllib.loads((folder / MODEL_FILE).read_text(encoding="utf-8"))
    except (OSError, KeyError, tomllib.TOMLDecodeError, pd.errors.ParserError) as exc:
        raise FramingError(f"{folder}: cannot read the model ({exc}); train it again with framing classify train") from None
    # refit the final classifiers only: the cross-validation's results are read back, not recomputed
    classifier = FrameClassifier(frames=book.frame_names, recipe=settings["recipe_asked"], folds=settings["folds"],
                                 repeats=settings["repeats"], seed=settings["seed"], level=settings["level"],
                                 n_boot=settings["n_boot"])
    classifier.frames_, classifier.recipe_ = list(settings["frames"]), settings["recipe"]
    classifier.status_, classifier.recipe_scores_ = dict(status["status"]), dict(status["recipe_f1"])
    classifier.scores_ = scores.reindex(columns=SCORE_COLUMNS)
    position = pd.Series(range(len(sheet)), index=sheet["item_id"].astype(str))
    predictions.insert(0, "item", position.reindex(predictions.pop("item_id")).to_numpy())
    classifier.predictions_ = predictions.astype({"random": bool})
    classifier.train_prior_ = {f: float(sheet[f].astype(float).mean()) for f in classifier.frames_}
    classifier._refit(sheet["text"].astype(str).tolist(), sheet[classifier.frames_].to_numpy(dtype=float))
    model = FrameModel(settings["name"], book, settings["unit"], sheet, classifier)
    model.path = str(folder)
    if model.fingerprint != settings["fingerprint"]:
        import sklearn

        raise FramingError(f"{folder}: refitting the model gives other probabilities than when it was trained "
                           f"(scikit-learn {sklearn.__version__} here); train it again with framing classify train")
    return model


# --------------------------------------------------------------------------- a model as a family


class FrameFamily(Family):
    """A frame model applied as a family: each unit labelled with a frame is one record
    (category = frame, pattern = the unit, ``probability`` beside it)."""

    name: ClassVar[str] = "frames"
    extra_columns: ClassVar[tuple[str, ...]] = ("probability",)
    counting: ClassVar[bool] = True  # a model, not a default lexicon, but it counts

    def __init__(self, model: "FrameModel | str | Path"):
        self.model = model if isinstance(model, FrameModel) else load_frame_model(model)
        self.lexicon = self.model
        self._cache: dict | None = None

    def find(self, doc: TokenizedText) -> list[Found]:
        spans = unit_spans(doc, self.model.unit)
        probs = self._cache.get(doc.text) if self._cache is not None else None
        if probs is None:
            probs = self.model.classifier.predict_proba([doc.text[a:b] for a, b, _, _ in spans])
        found = []
        for (a, b, t0, t1), row in zip(spans, probs):
            for frame, p in zip(self.model.category_names, row):
                if p >= THRESHOLD:
                    found.append(Found(frame, self.model.unit, t0, t1, a, b, extra=(round(float(p), 6),)))
        return found

    @contextmanager
    def _predicted(self, corpus: Corpus):
        """Score every unit of ``corpus`` in one call (one transform per cross-fitted model, not one per
        model and document), kept by document text while the corpus is counted. The probabilities are
        the ones :meth:`find` computes alone: each text's model depends on the text only."""
        texts, owners = [], []
        for doc in corpus.tokens.values():
            spans = unit_spans(doc, self.model.unit)
            owners.append((doc.text, len(texts), len(texts) + len(spans)))
            texts.extend(doc.text[a:b] for a, b, _, _ in spans)
        probs = self.model.classifier.predict_proba(texts)
        self._cache = {text: probs[i:j] for text, i, j in owners}
        try:
            yield
        finally:
            self._cache = None

    def table(self, corpus: Corpus) -> pd.DataFrame:
        with self._predicted(corpus):
            return super().table(corpus)

    def matches(self, corpus: Corpus, *, doc_id: str | None = None, category: str | None = None) -> pd.DataFrame:
        with self._predicted(corpus.select([doc_id]) if doc_id is not None else corpus):
            return super().matches(corpus, doc_id=doc_id, category=category)

    def _one_pass(self, corpus: Corpus, **options):
        with self._predicted(corpus):
            return super()._one_pass(corpus, **options)


def units_metadata(model: FrameModel) -> dict[str, str]:
    """What a frame-units file carries beside its rows (:func:`framing.tables.read_frame_units` reads it):
    the model's id, unit, frames, training prevalence and out-of-fold predictions."""
    from framing.tables import FRAME_UNITS_KEY

    return {FRAME_UNITS_KEY: json.dumps({"model": model.id, "unit": model.unit, "frames": model.category_names,
                                         "train_prior": model.train_prior(),
                                         "calibration_csv": model.calibration().to_csv(index=False, lineterminator="\n")})}


UNIT_COLUMNS = ["doc_id", "unit", "unit_index", "start", "end", "n_tokens", "text", "frame", "probability", "label"]


@dataclass(frozen=True)
class FrameUnits:
    """What each batch of ``classify apply`` gets: every unit x trained frame, with its probability and label
    (:data:`UNIT_COLUMNS`, metadata after ``doc_id``)."""

    model: FrameModel

    def __call__(self, corpus: Corpus) -> pd.DataFrame:
        return frame_units(corpus, self.model)


def frame_units(corpus: Corpus, model: "FrameModel | str | Path") -> pd.DataFrame:
    """Every unit of every document x every trained frame: its probability and label (:data:`UNIT_COLUMNS`).

    ``label`` is 1 when ``probability`` reaches :data:`THRESHOLD`; a document's labels add up to its
    count in the frames family's feature table (a test holds it)."""
    model = model if isinstance(model, FrameModel) else load_frame_model(model)
    frames = model.category_names
    spans, texts, words = [], [], []
    for doc_id, doc in corpus.tokens.items():
        mask = doc.is_word
        for i, (a, b, t0, t1) in enumerate(unit_spans(doc, model.unit)):
            spans.append((doc_id, i, a, b))
            texts.append(doc.text[a:b])
            words.append(int(mask[t0:t1].sum()))
    probs = model.classifier.predict_proba(texts)  # all units at once: one transform per cross-fitted model
    base = pd.DataFrame(spans, columns=["doc_id", "unit_index", "start", "end"]).assign(unit=model.unit, n_tokens=words,
                                                                                         text=texts)
    rows = [base.assign(frame=frame, probability=probs[:, k], label=(probs[:, k] >= THRESHOLD).astype(int))
            for k, frame in enumerate(frames)] if spans else []
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=UNIT_COLUMNS)
    order = {d: i for i, d in enumerate(corpus.doc_ids)}
    table = table.sort_values(["doc_id", "unit_index"], key=lambda s: s.map(order) if s.name == "doc_id" else s,
                              kind="stable").reset_index(drop=True)
    return corpus.with_metadata(table[UNIT_COLUMNS])
