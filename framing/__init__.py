"""framing: compare how news outlets frame the same story.

The one path data takes::

    load_corpus -> Corpus (cleaned, tokenized once) -> feature families -> tables -> compare -> plots

Everything a user needs is re-exported here; nothing is read from disk at import time.
Charts live in :mod:`framing.plots`, saving and the notebook runner in :mod:`framing.figures`.
"""

from framing.compare import (
    cluster,
    compare,
    compare_groups,
    compare_sentences,
    group_shares,
    profile_map,
    profiles,
    rate_changes,
    similarity,
    strongest,
)
from framing.corpus import Corpus, load_corpus
from framing.errors import FramingError
from framing.features import FAMILIES, explain, family_features, family_for, lexicon_features, sentence_counts
from framing.features.actors import actor_labels, actor_shares
from framing.features.family import Family
from framing.features.lexicon import to_wide
from framing.features.sentiment import actor_sentence_scores, actor_sentiment, sentence_sentiment, sentiment
from framing.features.stance import stance_features
from framing.highlight import render_html
from framing.keyness import collocations, distinctive_terms, keyness, kwic, tfidf_similarity, top_term
from framing.lexicon import Lexicon, list_lexicons, load_lexicon
from framing.lexicon_tools import check_lexicon, convert_lexicon, new_categories, new_lexicon, suggest_terms
from framing.models import rate_model
from framing.tokens import tokenize
from framing.validation import agreement, check_sheet, coding_sheet, estimated_recall, patched_lexicon, read_sheet, score_sheet
from framing.vectorizers import LexiconVectorizer, StanceVectorizer

__version__ = "0.1.0"

__all__ = [
    "agreement",
    "check_sheet",
    "coding_sheet",
    "estimated_recall",
    "patched_lexicon",
    "rate_changes",
    "read_sheet",
    "score_sheet",
    "Corpus",
    "check_lexicon",
    "convert_lexicon",
    "new_lexicon",
    "render_html",
    "suggest_terms",
    "actor_sentence_scores",
    "cluster",
    "compare",
    "compare_groups",
    "compare_sentences",
    "group_shares",
    "profile_map",
    "profiles",
    "similarity",
    "strongest",
    "rate_model",
    "top_term",
    "new_categories",
    "tfidf_similarity",
    "actor_labels",
    "actor_sentiment",
    "actor_shares",
    "sentence_sentiment",
    "sentiment",
    "stance_features",
    "collocations",
    "distinctive_terms",
    "keyness",
    "kwic",
    "FramingError",
    "Lexicon",
    "LexiconVectorizer",
    "StanceVectorizer",
    "explain",
    "FAMILIES",
    "Family",
    "family_features",
    "family_for",
    "sentence_counts",
    "lexicon_features",
    "list_lexicons",
    "load_corpus",
    "load_lexicon",
    "tokenize",
    "to_wide",
]
