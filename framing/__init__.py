"""framing: compare how news outlets frame the same story.

The one path data takes::

    load_corpus -> Corpus (cleaned, tokenized once) -> feature families -> tables -> compare -> plots

Everything a user needs is re-exported here; nothing is read from disk at import time.
Charts live in :mod:`framing.plots`, saving and the notebook runner in :mod:`framing.figures`.
"""

import importlib

from framing.errors import FramingError  # noqa: F401 - the one error every module raises, imported eagerly

__version__ = "0.1.0"

_EXPORTS = {
    "actor_labels": "framing.features.actors",
    "actor_sentence_scores": "framing.features.sentiment",
    "actor_sentiment": "framing.features.sentiment",
    "actor_shares": "framing.features.actors",
    "agreement": "framing.validation",
    "check_lexicon": "framing.lexicon_tools",
    "check_sheet": "framing.validation",
    "cluster": "framing.comparison",
    "coding_sheet": "framing.validation",
    "collocations": "framing.keywords",
    "combine_lexicons": "framing.lexicon",
    "compare": "framing.comparison",
    "compare_groups": "framing.comparison",
    "compare_sentences": "framing.comparison",
    "convert_lexicon": "framing.lexicon_tools",
    "Corpus": "framing.corpus",
    "distinctive_terms": "framing.keywords",
    "estimated_recall": "framing.validation",
    "explain": "framing.features",
    "explore": "framing.explore",
    "FAMILIES": "framing.features",
    "Family": "framing.features.family",
    "family_features": "framing.features",
    "family_for": "framing.features",
    "FramingError": "framing.errors",
    "group_shares": "framing.comparison",
    "keyness": "framing.keywords",
    "mark_reused": "framing.reuse",
    "passage_records": "framing.reuse",
    "reuse": "framing.reuse",
    "reuse_matrix": "framing.reuse",
    "reuse_shares": "framing.reuse",
    "without_reused": "framing.reuse",
    "merge_term_counts": "framing.keywords",
    "term_counts": "framing.keywords",
    "kwic": "framing.keywords",
    "Lexicon": "framing.lexicon",
    "lexicon_features": "framing.features",
    "LexiconVectorizer": "framing.vectorizers",
    "list_lexicons": "framing.lexicon",
    "load_corpus": "framing.corpus",
    "load_lexicon": "framing.lexicon",
    "new_categories": "framing.lexicon_tools",
    "new_lexicon": "framing.lexicon_tools",
    "patched_lexicon": "framing.validation",
    "profile_map": "framing.comparison",
    "profiles": "framing.comparison",
    "rate_changes": "framing.comparison",
    "rate_model": "framing.models",
    "read_sheet": "framing.validation",
    "render_html": "framing.highlight",
    "score_sheet": "framing.validation",
    "sentence_counts": "framing.features",
    "sentence_sentiment": "framing.features.sentiment",
    "sentiment": "framing.features.sentiment",
    "similarity": "framing.comparison",
    "stance_features": "framing.features.stance",
    "StanceVectorizer": "framing.vectorizers",
    "strongest": "framing.comparison",
    "suggest_terms": "framing.lexicon_tools",
    "tfidf_similarity": "framing.keywords",
    "to_wide": "framing.features.lexicon",
    "tokenize": "framing.tokens",
    "top_term": "framing.keywords",
    "trend": "framing.comparison",
}
"""Where each public name lives; imported on first use (PEP 562), so `framing features` starts
without loading scikit-learn, SciPy or matplotlib."""

__all__ = sorted(_EXPORTS, key=str.lower)

def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'framing' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
