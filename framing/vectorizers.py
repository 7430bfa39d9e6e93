"""scikit-learn transformers over the lexicon matcher and the stance rules.

They follow ``sklearn/feature_extraction/text.py``: keyword-only ``__init__`` that
only stores parameters, validation in ``fit``, fitted attributes ending in ``_``,
``get_feature_names_out``; usable in a ``Pipeline``. Input is an iterable of raw
texts, tokenized with framing's one tokenizer (no cleaning: clean with
:func:`framing.load_corpus` first if the texts are scraped pages).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from framing.errors import FramingError
from framing.features.lexicon import count_document
from framing.features.stance import StanceRules, stance_categories, stance_document
from framing.features.table import rate_per_1k, voice_tokens
from framing.lexicon import Matcher, load_lexicon
from framing.tokens import TokenizedText, tokenize

NORMS = ("count", "per_1k")
VOICES = ("author", "quoted", "all")


class _CountVectorizerBase(TransformerMixin, BaseEstimator):
    """Shared fit/transform: subclasses load their lexicon and count one document."""

    def _load(self):  # returns (lexicon, feature names)
        raise NotImplementedError

    def _count(self, doc: TokenizedText) -> tuple[Counter, int]:  # (counts by feature name, denominator)
        raise NotImplementedError

    def fit(self, X, y=None):
        """Load and validate the lexicon; ``X`` is only checked to be texts."""
        if self.norm not in NORMS:
            raise FramingError(f"norm must be one of {', '.join(NORMS)}, got {self.norm!r}")
        _check_texts(X)
        self.lexicon_, self.feature_names_ = self._load()
        self._matcher = Matcher(self.lexicon_)
        return self

    def transform(self, X):
        """Return an array of shape (n_texts, n_features)."""
        check_is_fitted(self, "lexicon_")
        texts = _check_texts(X)
        out = np.zeros((len(texts), len(self.feature_names_)), dtype=float)
        index = {name: j for j, name in enumerate(self.feature_names_)}
        denominators = np.zeros(len(texts))
        for i, text in enumerate(texts):
            counts, denominators[i] = self._count(tokenize(text))
            for name, count in counts.items():
                if name in index:
                    out[i, index[name]] = count
        if self.norm == "per_1k":
            out = rate_per_1k(out, denominators[:, None])
        return out

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "lexicon_")
        return np.asarray(self.feature_names_, dtype=object)


class LexiconVectorizer(_CountVectorizerBase):
    """Turn texts into a matrix of lexicon-category counts or rates per 1,000 tokens.

    Parameters
    ----------
    lexicon : str, path or Lexicon, default="framing"
        A bundled or user lexicon name, a lexicon file, or a :class:`~framing.lexicon.Lexicon`.
    categories : list of str, optional
        Keep only these categories (default: all, in file order).
    norm : {"count", "per_1k"}, default="count"
        Raw counts, or rates per 1,000 word tokens (NaN for a text without words).

    Attributes
    ----------
    lexicon_ : Lexicon
        The loaded lexicon (restricted to ``categories``).
    feature_names_ : list of str
        Category names, the columns of the output.

    Examples
    --------
    >>> vec = LexiconVectorizer(lexicon="framing", categories=["state_delegitimizing", "state_neutral"])
    >>> vec.fit_transform(["The regime and the government.", "Officials met."])
    array([[1., 1.],
           [0., 1.]])
    >>> vec.get_feature_names_out().tolist()
    ['state_delegitimizing', 'state_neutral']
    """

    def __init__(self, *, lexicon="framing", categories=None, norm="count"):
        self.lexicon = lexicon
        self.categories = categories
        self.norm = norm

    def _load(self):
        lexicon = load_lexicon(self.lexicon)
        if self.categories is not None:
            lexicon = lexicon.select(list(self.categories))
        return lexicon, lexicon.category_names

    def _count(self, doc):
        return count_document(doc, self._matcher), doc.n_words


class StanceVectorizer(_CountVectorizerBase):
    """Turn texts into a matrix of stance-marker counts or rates, with the stance context rules.

    Parameters
    ----------
    lexicon : str, path or Lexicon, default="stance"
        A stance lexicon (its ``[rules]`` table sets the context rules).
    voice : {"author", "quoted", "all"}, default="author"
        Count markers in the outlet's own voice, inside quotations, or both.
    norm : {"count", "per_1k"}, default="count"
        Raw counts, or rates per 1,000 word tokens of that voice.

    Attributes
    ----------
    lexicon_ : Lexicon
    feature_names_ : list of str
        The stance categories (the lexicon's, then ``question`` and ``scare_quote``).

    Examples
    --------
    >>> vec = StanceVectorizer(voice="author")
    >>> X = vec.fit_transform(['It may be a "sham". They said: "We may win."'])
    >>> float(dict(zip(vec.get_feature_names_out(), X[0]))["hedge"])
    1.0
    """

    def __init__(self, *, lexicon="stance", voice="author", norm="count"):
        self.lexicon = lexicon
        self.voice = voice
        self.norm = norm

    def _load(self):
        if self.voice not in VOICES:
            raise FramingError(f"voice must be one of {', '.join(VOICES)}, got {self.voice!r}")
        lexicon = load_lexicon(self.lexicon)
        self.rules_ = StanceRules.from_lexicon(lexicon)
        return lexicon, stance_categories(lexicon)

    def _count(self, doc):
        counts = Counter(
            category for category, *_rest, voice in stance_document(doc, self._matcher, self.rules_)
            if self.voice == "all" or voice == self.voice
        )
        return counts, voice_tokens(doc)[self.voice]


def _check_texts(X) -> list[str]:
    if isinstance(X, str):
        raise FramingError("expected an iterable of texts, got a single string; wrap it in a list")
    texts = list(X)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise FramingError(f"text {i} is {type(text).__name__}, not str; pass raw texts")
    return texts
