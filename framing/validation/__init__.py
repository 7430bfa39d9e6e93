"""Validating a lexicon against human judgement: coding sheets of sampled matches, and their scores.

"Validate, validate, validate" (Grimmer & Stewart 2013): a dictionary count means what its
category says only as often as its matches do. :func:`coding_sheet` draws matches at
random, stratified by term so that every pattern gets examples, and records each item's
sampling weight (matches of its pattern in the corpus over items drawn from it), so that
a category's precision can be weighted back to the corpus. :func:`score_sheet` reads the
coded sheet and reports precision per category and per pattern with Wilson intervals
(:func:`framing.measures.wilson_interval`), and proposes exclusions for weak patterns.

Recall needs what the lexicon did not find: with ``misses``, the sheet also holds
sentences drawn at random from those with no match in the category (``pattern`` and
``match`` empty), which the coder marks 1 if the sentence expresses the category all the
same. :func:`score_sheet` then estimates the category's recall (:func:`estimated_recall`).

:mod:`.sheets` draws and checks the sheets (it reads the corpus); :mod:`.scores` scores them
(tables only); :mod:`.patch` writes the lexicon the scores propose. Every public name is
reachable here (``framing.validation.score_sheet``), imported on first use, so that importing
the scores never loads the corpus.
"""

import importlib

_WHERE = {
    "coding_sheet": "sheets", "blind": "sheets", "sheet_html": "sheets", "check_sheet": "sheets", "SHEET_COLUMNS": "sheets",
    "read_sheet": "scores", "key_path": "scores", "score_sheet": "scores", "weighted_precision": "scores",
    "estimated_recall": "scores", "agreement": "scores", "describe": "scores", "proposed_exclusions": "scores",
    "KEY_COLUMNS": "scores", "TRUE_LABELS": "scores", "FALSE_LABELS": "scores", "MIN_CODED": "scores",
    "MIN_MISSES": "scores",
    "frame_agreement": "scores",
    "frame_sheet": "frame_sheets", "active_units": "frame_sheets", "blind_frame_sheet": "frame_sheets",
    "read_frame_sheet": "frame_sheets", "frame_sheet_html": "frame_sheets", "check_frame_sheet": "frame_sheets",
    "corpus_units": "frame_sheets",
    "patched_lexicon": "patch", "patched_lexicon_text": "patch", "VALIDATED": "patch",
}


def __getattr__(name: str):
    if name == "by_category":  # the report's category rows, as notebook 08 calls them
        from framing.tables import by_category

        return by_category
    if name not in _WHERE:
        raise AttributeError(f"module 'framing.validation' has no attribute '{name}'")
    return getattr(importlib.import_module(f"framing.validation.{_WHERE[name]}"), name)


def __dir__() -> list[str]:
    return sorted([*_WHERE, "by_category"])
