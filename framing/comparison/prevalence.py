"""Frame prevalence per group, corrected for classifier error, with intervals and contrasts.

Counting a classifier's labels per group is biased: a group's expected share of labelled
units is ``tpr * p + fpr * (1 - p)``, so every group is pulled toward the prevalence the
classifier was trained at and differences between groups shrink by ``tpr - fpr``. The
estimators of :mod:`framing.measures` undo that from the classifier's error rates, which
:class:`framing.features.frames.FrameClassifier` measured out-of-fold on units coded at random:

* ``cc``: classify and count (the share labelled; biased, always reported beside);
* ``pcc``: probabilistic classify and count (mean probability; biased the same way);
* ``acc``: adjusted classify and count (Forman 2008), from ``tpr`` and ``fpr``;
* ``pacc``: probabilistic adjusted (Bella et al. 2010), from the mean probabilities;
* ``em``: expectation-maximisation of the posteriors (Saerens et al. 2002).

**Intervals** are percentile bootstrap intervals that carry both sources of error. Each
replicate (1) resamples the units of each group, by document (or, where a group has fewer
than ``min_docs`` documents, its units within each document), and (2) resamples the coded
units and draws one cross-validation repeat, from which it recomputes ``tpr``, ``fpr`` and
the mean probabilities. One draw of (2) serves every group of a replicate, so contrasts see the
classifier's error once, as it is. EM's interval carries (1) only: it trusts the
probabilities' calibration, and says so in the table's note. The posteriors enter EM's
replicates through a 1,000-bin histogram per cluster (bin width 0.001).

**Contrasts** between groups (every pair, or a target against a reference) are differences of
prevalence, with bootstrap intervals, two-sided bootstrap p-values (``(1 + replicates on the
other side of 0) / (B + 1)``, doubled) and Benjamini-Hochberg adjusted p-values over every
contrast of the table.

Tables in, tables out: ``units`` is the shape :func:`framing.features.frames.frame_units`
returns (``doc_id``, the grouping column, ``frame``, ``probability``, ``label``), and
``calibration`` the out-of-fold predictions :meth:`framing.features.frames.FrameModel.calibration`
returns (``frame``, ``repeat``, ``truth``, ``probability``, ``label``, ``random``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from framing.comparison.rates import group_stream
from framing.errors import FramingError
from framing.groups import sides
from framing.measures import adjusted_count, benjamini_hochberg, em_prevalence
from framing.params import COUNT, LEVEL, SEED, check_choice, check_int, checked
from framing.tables import require_columns

METHODS = ("acc", "pacc", "em", "cc", "pcc")
BINS = 1000
MIN_DOCS = 5
MIN_SEPARATION = 0.3
"""Below this ``tpr - fpr`` (``ptpr - pfpr`` for PACC), an adjusted estimate multiplies the noise of the
count by more than 1 / 0.3: each such row carries a warning, and the note names the frame."""
EM_NOTE = "em: the interval carries sampling error only; it assumes the classifier's probabilities are calibrated"


@dataclass
class Prevalence:
    """Each group's corrected share of units with each frame (``table``), the contrasts between groups
    (``contrasts``), and what a reader must know beside them (``note``)."""

    table: pd.DataFrame
    contrasts: pd.DataFrame
    note: list[str] = field(default_factory=list)


def _error_rates(truth: np.ndarray, labels: np.ndarray, probs: np.ndarray) -> dict[str, np.ndarray]:
    """tpr, fpr, ptpr, pfpr for each row of ``labels``/``probs`` (replicates x items) against ``truth``
    (replicates x items or items)."""
    pos = truth == 1
    neg = truth == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        return {"tpr": (labels * pos).sum(-1) / pos.sum(-1), "fpr": (labels * neg).sum(-1) / neg.sum(-1),
                "ptpr": (probs * pos).sum(-1) / pos.sum(-1), "pfpr": (probs * neg).sum(-1) / neg.sum(-1)}


def _estimate(method: str, n, labelled, prob_sum, hist, rates, prior) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        cc, pcc = labelled / n, prob_sum / n
    if method == "cc":
        return cc
    if method == "pcc":
        return pcc
    if method == "acc":
        return adjusted_count(cc, rates["tpr"], rates["fpr"])
    if method == "pacc":
        return adjusted_count(pcc, rates["ptpr"], rates["pfpr"])
    centres = (np.arange(BINS) + 0.5) / BINS
    return em_prevalence(centres, prior, weights=np.atleast_2d(hist))


@checked(n_boot=COUNT, seed=SEED, level=LEVEL)
def frame_prevalence(units: pd.DataFrame, calibration: pd.DataFrame, *, by: str, method: str = "acc",
                     train_prior: dict | None = None, target=None, reference=None, n_boot: int = 1000, seed: int = 0,
                     level: float = 0.95, min_docs: int = MIN_DOCS) -> Prevalence:
    """Each group's share of units carrying each frame, corrected for classifier error (see the module docstring).

    ``method`` is one of :data:`METHODS`; ``cc`` (classify and count) is always in the table beside
    it. ``train_prior`` (frame -> share of coded units with the frame; default: the coded units of
    ``calibration``) is what EM starts from. ``min_docs``: groups with fewer documents have their
    units resampled within documents (``resampled`` says which).

    Examples
    --------
    >>> units = pd.DataFrame({"doc_id": [f"d{i}" for i in range(20)], "outlet": ["A"] * 10 + ["B"] * 10,
    ...                       "frame": "conflict", "probability": [.9] * 3 + [.1] * 7 + [.9] * 6 + [.1] * 4})
    >>> units["label"] = (units["probability"] >= .5).astype(int)
    >>> calibration = pd.DataFrame({"frame": "conflict", "repeat": 0, "truth": [1] * 5 + [0] * 5,
    ...                             "probability": [.9] * 4 + [.1] + [.9] + [.1] * 4, "random": True})
    >>> calibration["label"] = (calibration["probability"] >= .5).astype(int)
    >>> result = frame_prevalence(units, calibration, by="outlet", method="acc", n_boot=200)
    >>> result.table[["outlet", "estimate", "cc"]].round(3).values.tolist()  # (0.3 - 0.2) / (0.8 - 0.2), (0.6 - 0.2) / 0.6
    [['A', 0.167, 0.3], ['B', 0.667, 0.6]]
    """
    check_choice("method", method, METHODS)
    check_int("min_docs", min_docs, low=1)
    require_columns(units, ["doc_id", by, "frame", "probability", "label"], where="the frame units")
    require_columns(calibration, ["frame", "repeat", "truth", "probability", "label", "random"], where="the calibration")
    units = units.assign(**{by: units[by].astype(str)})
    groups = sorted(units[by].unique())
    docs_per_group = units.groupby(by)["doc_id"].nunique()
    resampled = {g: "documents" if docs_per_group[g] >= min_docs else "units within documents" for g in groups}
    if target is not None:
        targets, references, t_name, r_name = sides(groups, target, reference, by)
        pairs = [(t_name, targets, r_name, references)]
    else:
        pairs = [(a, [a], b, [b]) for i, a in enumerate(groups) for b in groups[i + 1:]]
    alpha = (1 - level) / 2
    rows, contrast_rows, note = [], [], []
    for frame in list(dict.fromkeys(units["frame"])):
        part = units[units["frame"] == frame]
        cal = calibration[(calibration["frame"] == frame) & calibration["random"].astype(bool)]
        if cal.empty:
            raise FramingError(f"frame '{frame}' has no coded units drawn at random in the calibration; "
                               "its error rates cannot be estimated")
        repeats = sorted(cal["repeat"].unique())
        by_repeat = [cal[cal["repeat"] == r].reset_index(drop=True) for r in repeats]
        truth = by_repeat[0]["truth"].to_numpy(dtype=float)
        labels = np.stack([t["label"].to_numpy(dtype=float) for t in by_repeat])
        probs = np.stack([t["probability"].to_numpy(dtype=float) for t in by_repeat])
        point_rates = {k: float(np.nanmean(v)) for k, v in _error_rates(truth, labels, probs).items()}
        prior = (train_prior or {}).get(frame, float(calibration.loc[calibration["frame"] == frame]
                                                     .drop_duplicates(subset=[c for c in ("item_id", "item")
                                                                              if c in calibration.columns] or None)
                                                     ["truth"].mean()))
        prior = min(max(prior, 1e-6), 1 - 1e-6)
        warning, gap = "", np.nan
        if method in ("acc", "pacc"):
            up, down = ("tpr", "fpr") if method == "acc" else ("ptpr", "pfpr")
            gap = point_rates[up] - point_rates[down]
            if np.isfinite(gap) and 0 < gap < MIN_SEPARATION:
                warning = (f"{up} - {down} is {gap:.2f}: the correction multiplies the count's noise by {1 / gap:.0f}; "
                           "code more units with the frame before citing it")
                note.append(f"{frame}: {warning}")
        # (2) the classifier's error, one draw per replicate, shared by every group: the frame's own stream
        rng = group_stream(seed, ("calibration", frame))
        pick = rng.integers(0, len(truth), (n_boot, len(truth)))
        which = rng.integers(0, len(repeats), n_boot)
        boot_rates = _error_rates(truth[pick], np.take_along_axis(labels[which], pick, 1),
                                  np.take_along_axis(probs[which], pick, 1))
        # (1) the units of each group, by cluster
        point, boot = {}, {}
        for g in groups:
            mine = part[part[by] == g]
            if resampled[g] == "documents":
                keys = [mine["doc_id"].to_numpy()]
                strata = [np.zeros(len(mine), int)]
            else:
                keys = [np.arange(len(mine))]
                strata = [pd.factorize(mine["doc_id"])[0]]
            cluster = pd.factorize(keys[0])[0]
            n_clusters = cluster.max() + 1
            n = np.bincount(cluster, minlength=n_clusters).astype(float)
            lab = np.bincount(cluster, weights=mine["label"].to_numpy(float), minlength=n_clusters)
            pr = np.bincount(cluster, weights=mine["probability"].to_numpy(float), minlength=n_clusters)
            bins = np.minimum((mine["probability"].to_numpy(float) * BINS).astype(int), BINS - 1)
            hist = np.zeros((n_clusters, BINS)) if method == "em" else None
            if hist is not None:
                np.add.at(hist, (cluster, bins), 1.0)
            stratum_of_cluster = np.zeros(n_clusters, int)
            stratum_of_cluster[cluster] = strata[0]
            weights = np.zeros((n_boot, n_clusters))
            rng = group_stream(seed, (frame, g))  # the group's own stream: its interval whatever groups are beside it
            for s in np.unique(stratum_of_cluster):
                members = np.flatnonzero(stratum_of_cluster == s)
                weights[:, members] = rng.multinomial(len(members), np.full(len(members), 1 / len(members)), n_boot)
            point[g] = (n.sum(), lab.sum(), pr.sum(), None if hist is None else hist.sum(0),
                        mine["doc_id"].nunique())
            boot[g] = (weights @ n, weights @ lab, weights @ pr, None if hist is None else weights @ hist)
            estimate = _estimate(method, *point[g][:4], point_rates, prior)
            cc = point[g][1] / point[g][0]
            b_est = _estimate(method, *boot[g], boot_rates, prior)
            b_cc = boot[g][1] / boot[g][0]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                low, high = np.nanquantile(b_est, [alpha, 1 - alpha]) if np.isfinite(b_est).any() else (np.nan, np.nan)
                cc_low, cc_high = np.quantile(b_cc, [alpha, 1 - alpha])
            rows.append({by: g, "frame": frame, "method": method, "estimate": float(np.squeeze(estimate)), "low": low,
                         "high": high, "cc": cc, "cc_low": cc_low, "cc_high": cc_high, "n_units": int(point[g][0]),
                         "n_docs": int(point[g][4]), "resampled": resampled[g], **{k: point_rates[k] for k in
                                                                                  ("tpr", "fpr", "ptpr", "pfpr")},
                         "separation": gap, "n_coded": len(truth), "warning": warning, "level": level})
        for t_name, t_groups, r_name, r_groups in pairs:
            def side(source, members, k):
                parts = [source[g][k] for g in members]
                return None if parts[0] is None else sum(parts)

            est = [_estimate(method, *(side(point, m, k) for k in range(4)), point_rates, prior) for m in (t_groups, r_groups)]
            b = [_estimate(method, *(side(boot, m, k) for k in range(4)), boot_rates, prior) for m in (t_groups, r_groups)]
            cc = [side(point, m, 1) / side(point, m, 0) for m in (t_groups, r_groups)]
            b_cc = [side(boot, m, 1) / side(boot, m, 0) for m in (t_groups, r_groups)]
            diff, b_diff = float(np.squeeze(est[0]) - np.squeeze(est[1])), b[0] - b[1]
            finite = b_diff[np.isfinite(b_diff)]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                low, high = np.quantile(finite, [alpha, 1 - alpha]) if finite.size else (np.nan, np.nan)
                cc_low, cc_high = np.quantile(b_cc[0] - b_cc[1], [alpha, 1 - alpha])
            p = (min(1.0, 2 * (1 + min((finite <= 0).sum(), (finite >= 0).sum())) / (finite.size + 1))
                 if finite.size else np.nan)
            contrast_rows.append({"frame": frame, "method": method, "target": t_name, "reference": r_name,
                                  "target_estimate": float(np.squeeze(est[0])), "reference_estimate": float(np.squeeze(est[1])),
                                  "difference": diff, "low": low, "high": high, "p": p,
                                  "cc_difference": cc[0] - cc[1], "cc_low": cc_low, "cc_high": cc_high,
                                  "n_docs": int(sum(point[g][4] for g in t_groups + r_groups)), "level": level})
        if not point_rates["tpr"] > point_rates["fpr"] and method in ("acc",):
            note.append(f"{frame}: tpr {point_rates['tpr']:.2f} is not above fpr {point_rates['fpr']:.2f}; ACC is undefined")
    if method == "em":
        note.append(EM_NOTE)
    if any(v != "documents" for v in resampled.values()):
        few = [g for g, v in resampled.items() if v != "documents"]
        note.append(f"{len(few)} group(s) with fewer than {min_docs} documents had their units resampled within "
                    f"documents: {', '.join(few[:5])}{' ...' if len(few) > 5 else ''}")
    contrasts = pd.DataFrame(contrast_rows, columns=["frame", "method", "target", "reference", "target_estimate",
                                                     "reference_estimate", "difference", "low", "high", "p",
                                                     "cc_difference", "cc_low", "cc_high", "n_docs", "level"])
    contrasts.insert(contrasts.columns.get_loc("p") + 1, "p_adjusted", benjamini_hochberg(contrasts["p"].to_numpy(float))
                     if len(contrasts) else [])
    return Prevalence(pd.DataFrame(rows), contrasts, note)
