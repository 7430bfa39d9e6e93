"""framing: compare how news outlets frame the same story.

The one path data takes::

    load_corpus -> Corpus (cleaned, tokenized once) -> feature families -> compare -> plots

Everything a user needs is re-exported here; nothing is read from disk at import time.
"""

from framing.corpus import Corpus, load_corpus
from framing.errors import FramingError
from framing.features import family_features
from framing.features.lexicon import explain, lexicon_features, to_wide
from framing.keyness import collocations, distinctive_terms, keyness, kwic
from framing.lexicon import Lexicon, list_lexicons, load_lexicon
from framing.tokens import tokenize
from framing.vectorizers import LexiconVectorizer

__version__ = "0.1.0"

__all__ = [
    "Corpus",
    "collocations",
    "distinctive_terms",
    "keyness",
    "kwic",
    "FramingError",
    "Lexicon",
    "LexiconVectorizer",
    "explain",
    "family_features",
    "lexicon_features",
    "list_lexicons",
    "load_corpus",
    "load_lexicon",
    "tokenize",
    "to_wide",
]
