"""framing: compare how news outlets frame the same story.

The one path data takes::

    load_corpus -> Corpus (cleaned, tokenized once) -> feature families -> tables -> compare -> plots

Everything a user needs is re-exported here; nothing is read from disk at import time.
Charts live in :mod:`framing.views.plots`, saving and the notebook runner in :mod:`framing.views.figures`.
"""

import importlib

from framing.errors import FramingError  # noqa: F401 - the one error every module raises, imported eagerly

__version__ = "0.1.0"

_EXPORTS = {
    "active_units": "framing.validation.frame_sheets",
    "actor_labels": "framing.features.actors",
    "actor_sentence_scores": "framing.features.sentiment",
    "actor_sentiment": "framing.features.sentiment",
    "actor_shares": "framing.features.actors",
    "Agenda": "framing.comparison.agenda",
    "agenda": "framing.comparison.agenda",
    "agreement": "framing.validation.scores",
    "blind_frame_sheet": "framing.validation.frame_sheets",
    "check_frame_sheet": "framing.validation.frame_sheets",
    "check_lexicon": "framing.lexicon.tools",
    "check_sheet": "framing.validation.sheets",
    "cluster": "framing.comparison.profiles",
    "Codebook": "framing.lexicon.codebook",
    "coding_sheet": "framing.validation.sheets",
    "collocations": "framing.keywords.collocations",
    "combine_lexicons": "framing.lexicon.read",
    "compare": "framing.comparison.rates",
    "compare_groups": "framing.comparison.rates",
    "compare_sentences": "framing.comparison.rates",
    "convert_lexicon": "framing.lexicon.tools",
    "detect_language": "framing.documents.language",
    "Corpus": "framing.documents.corpus",
    "distinctive_terms": "framing.keywords.keyness",
    "estimated_recall": "framing.validation.scores",
    "explain": "framing.features",
    "explore": "framing.runs",
    "FAMILIES": "framing.features",
    "Family": "framing.features.family",
    "family_features": "framing.features",
    "features_and_sentences": "framing.features",
    "family_for": "framing.features",
    "frame_agreement": "framing.validation.scores",
    "frame_prevalence": "framing.comparison.prevalence",
    "frame_sheet": "framing.validation.frame_sheets",
    "frame_units": "framing.features.frames",
    "FrameClassifier": "framing.features.frames",
    "FrameModel": "framing.features.frames",
    "FramingError": "framing.errors",
    "group_shares": "framing.comparison.rates",
    "language_overview": "framing.comparison.languages",
    "keyness": "framing.keywords.keyness",
    "kwic": "framing.keywords.kwic",
    "Lexicon": "framing.lexicon.model",
    "lexicon_features": "framing.features",
    "LexiconVectorizer": "framing.features.vectorizers",
    "list_lexicons": "framing.lexicon.read",
    "load_corpus": "framing.documents.corpus",
    "load_frame_model": "framing.features.frames",
    "load_lexicon": "framing.lexicon.read",
    "mark_reused": "framing.features.reuse",
    "merge_term_counts": "framing.keywords.terms",
    "new_categories": "framing.lexicon.tools",
    "new_codebook": "framing.lexicon.codebook",
    "new_lexicon": "framing.lexicon.tools",
    "passage_records": "framing.features.reuse",
    "reused_matches": "framing.features",
    "patched_lexicon": "framing.validation.patch",
    "Prevalence": "framing.comparison.prevalence",
    "profile_map": "framing.comparison.profiles",
    "profiles": "framing.comparison.profiles",
    "rate_changes": "framing.comparison.rates",
    "rate_model": "framing.comparison.models",
    "read_codebook": "framing.lexicon.codebook",
    "read_frame_sheet": "framing.validation.frame_sheets",
    "read_sheet": "framing.validation.scores",
    "render_html": "framing.views.highlight",
    "reuse": "framing.features.reuse",
    "reuse_matrix": "framing.features.reuse",
    "reuse_shares": "framing.features.reuse",
    "save_frame_model": "framing.features.frames",
    "score_sheet": "framing.validation.scores",
    "sentence_counts": "framing.features",
    "sentence_sentiment": "framing.features.sentiment",
    "sentiment": "framing.features.sentiment",
    "Similarity": "framing.tables",
    "similarity": "framing.comparison.profiles",
    "stance_features": "framing.features.stance",
    "StanceVectorizer": "framing.features.vectorizers",
    "stories": "framing.features.stories",
    "Stories": "framing.features.stories",
    "relative_rates": "framing.comparison.languages",
    "strongest": "framing.comparison.rates",
    "suggest_terms": "framing.lexicon.tools",
    "Suggestions": "framing.lexicon.tools",
    "term_counts": "framing.keywords.terms",
    "tfidf_similarity": "framing.keywords.keyness",
    "to_wide": "framing.features.lexicon",
    "tokenize": "framing.documents.tokens",
    "top_term": "framing.keywords.keyness",
    "train_frames": "framing.features.frames",
    "trend": "framing.comparison.trends",
    "within_keyness": "framing.comparison.within",
    "within_model": "framing.comparison.within",
    "without_reused": "framing.features.reuse",
}
"""Where each public name lives; imported on first use (PEP 562), so `framing features` starts
without loading scikit-learn, SciPy or matplotlib."""

_MODULES = {"plots": "framing.views.plots", "figures": "framing.views.figures"}
"""Modules users import by their short names: ``from framing import plots, figures``."""

__all__ = sorted(_EXPORTS, key=str.lower)

def __getattr__(name: str):
    if name in _MODULES:
        value = importlib.import_module(_MODULES[name])
        globals()[name] = value
        return value
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'framing' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
