"""scikit-learn transformers over the lexicon matcher and the stance rules.

They follow ``sklearn/feature_extraction/text.py``: keyword-only ``__init__`` that
only stores parameters, validation in ``fit``, fitted attributes ending in ``_``,
``get_feature_names_out``; usable in a ``Pipeline``. Input is an iterable of raw
texts, tokenized with framing's one tokenizer (no cleaning: clean with
:func:`framing.load_corpus` first if the texts are scraped pages).
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from framing.documents.language import check_code
from framing.documents.tokens import tokenize
from framing.errors import FramingError
from framing.features import family_for
from framing.features.family import Family
from framing.features.stance import StanceFamily
from framing.lexicon.read import load_lexicon
from framing.params import check_choice
from framing.tables import ALL, VOICES, language_name, rate_per_1k

NORMS = ("count", "per_1k")
VOICE_CHOICES = (*VOICES, ALL)


class _FamilyVectorizer(TransformerMixin, BaseEstimator):
    """Shared fit/transform over a :class:`~framing.features.family.Family`: the lexicon
    is applied with its family's rules, exactly as in the feature tables."""

    voice = ALL

    def _family(self) -> Family:
        raise NotImplementedError

    def fit(self, X, y=None):
        """Load and validate the lexicon and parameters; ``X`` is only checked to be texts."""
        check_choice("norm", self.norm, NORMS)
        check_choice("voice", self.voice, VOICE_CHOICES)
        _check_texts(X)
        self.language_ = check_code(self.language, "language") if self.language is not None else None
        family = self._family()
        self.family_ = family.reading(self.language_)
        if self.family_ is None:
            raise FramingError(f"lexicon '{family.lexicon.name}' has no terms in {language_name(self.language_)}; "
                               f"it has: {', '.join(family.lexicon.languages)}")
        self.lexicon_ = family.lexicon
        self.feature_names_ = self._features(family.categories())
        self.uncovered_ = [c for c in family.uncovered(self.language_) if c in self.feature_names_]
        return self

    def _features(self, available: list[str]) -> list[str]:
        return available

    def transform(self, X):
        """Return an array of shape (n_texts, n_features)."""
        check_is_fitted(self, "family_")
        texts = _check_texts(X)
        out = np.zeros((len(texts), len(self.feature_names_)), dtype=float)
        index = {name: j for j, name in enumerate(self.feature_names_)}
        denominators = np.zeros(len(texts))
        for i, text in enumerate(texts):
            doc = tokenize(text, self.language_)
            for (category, voice), count in self.family_.count(doc).items():
                if category in index and (self.voice == ALL or voice == self.voice):
                    out[i, index[category]] += count
            denominators[i] = self.family_.tokens(doc)[self.voice]
        if self.norm == "per_1k":
            out = rate_per_1k(out, denominators[:, None])
        out[:, [index[c] for c in self.uncovered_]] = np.nan  # no terms in the texts' language: not measured, not 0
        return out

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "family_")
        return np.asarray(self.feature_names_, dtype=object)


class LexiconVectorizer(_FamilyVectorizer):
    """Turn texts into a matrix of lexicon-category counts or rates per 1,000 tokens.

    Parameters
    ----------
    lexicon : str, path or Lexicon, default="framing"
        A bundled or user lexicon name, a lexicon file, or a :class:`~framing.lexicon.model.Lexicon`.
        It is applied by its family (``[meta] family``): a stance lexicon with the stance
        rules, all voices together.
    categories : list of str, optional
        Keep only these categories (default: all, in order); an unknown name is an error.
    norm : {"count", "per_1k"}, default="count"
        Raw counts, or rates per 1,000 word tokens (NaN for a text without words).
    language : str, optional
        The texts' language (``"de"``): they are tokenized for it and matched with the
        lexicon's terms in it (:meth:`~framing.lexicon.model.Lexicon.in_language`); a category
        without terms in it is NaN, not 0. Default: the lexicon's own terms, English tokens.

    Attributes
    ----------
    family_ : Family
        The family that applies the lexicon.
    lexicon_ : Lexicon
        The loaded lexicon.
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
    >>> LexiconVectorizer(lexicon="appeals", language="de").fit_transform(["Die Krise der Demokratie."])
    array([[0., 1., 1., 0.]])
    """

    def __init__(self, *, lexicon="framing", categories=None, norm="count", language=None):
        self.lexicon = lexicon
        self.categories = categories
        self.norm = norm
        self.language = language

    def _family(self) -> Family:
        return family_for(self.lexicon)

    def _features(self, available: list[str]) -> list[str]:
        if self.categories is None:
            return available
        wanted = [self.categories] if isinstance(self.categories, str) else list(self.categories)
        unknown = [c for c in wanted if c not in available]
        if unknown:
            raise FramingError(
                f"lexicon '{self.lexicon_.name}' has no categor{'y' if len(unknown) == 1 else 'ies'} "
                f"{', '.join(map(repr, unknown))}; available: {', '.join(available)}"
            )
        return wanted


class StanceVectorizer(_FamilyVectorizer):
    """Turn texts into a matrix of stance-marker counts or rates, with the stance context rules.

    Parameters
    ----------
    lexicon : str, path or Lexicon, default="stance"
        A stance lexicon (its ``[rules]`` table sets the context rules).
    voice : {"author", "quoted", "all"}, default="author"
        Count markers in the outlet's own voice, inside quotations, or both.
    norm : {"count", "per_1k"}, default="count"
        Raw counts, or rates per 1,000 word tokens of that voice.
    language : str, optional
        The texts' language; the bundled stance markers are English, so another language is
        an error unless the lexicon has terms in it.

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

    def __init__(self, *, lexicon="stance", voice="author", norm="count", language=None):
        self.lexicon = lexicon
        self.voice = voice
        self.norm = norm
        self.language = language

    def _family(self) -> Family:
        return StanceFamily(load_lexicon(self.lexicon))


def _check_texts(X) -> list[str]:
    if isinstance(X, str):
        raise FramingError("expected an iterable of texts, got a single string; wrap it in a list")
    texts = list(X)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise FramingError(f"text {i} is {type(text).__name__}, not str; pass raw texts")
    return texts
