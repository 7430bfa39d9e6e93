"""scikit-learn transformers over the lexicon matcher.

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

from framing.errors import FramingError
from framing.features.lexicon import count_document
from framing.features.table import rate_per_1k
from framing.lexicon import Lexicon, Matcher, load_lexicon
from framing.tokens import tokenize

NORMS = ("count", "per_1k")


class LexiconVectorizer(TransformerMixin, BaseEstimator):
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

    def fit(self, X, y=None):
        """Load and validate the lexicon; ``X`` is only checked to be texts."""
        if self.norm not in NORMS:
            raise FramingError(f"norm must be one of {', '.join(NORMS)}, got {self.norm!r}")
        _check_texts(X)
        lexicon = load_lexicon(self.lexicon)
        if self.categories is not None:
            lexicon = lexicon.select(list(self.categories))
        self.lexicon_: Lexicon = lexicon
        self.feature_names_ = lexicon.category_names
        self._matcher = Matcher(lexicon)
        return self

    def transform(self, X):
        """Return an array of shape (n_texts, n_categories)."""
        check_is_fitted(self, "lexicon_")
        texts = _check_texts(X)
        out = np.zeros((len(texts), len(self.feature_names_)), dtype=float)
        index = {name: j for j, name in enumerate(self.feature_names_)}
        n_tokens = np.zeros(len(texts))
        for i, text in enumerate(texts):
            doc = tokenize(text)
            n_tokens[i] = doc.n_words
            for name, count in count_document(doc, self._matcher).items():
                out[i, index[name]] = count
        if self.norm == "per_1k":
            out = rate_per_1k(out, n_tokens[:, None])
        return out

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "lexicon_")
        return np.asarray(self.feature_names_, dtype=object)


def _check_texts(X) -> list[str]:
    if isinstance(X, str):
        raise FramingError("expected an iterable of texts, got a single string; wrap it in a list")
    texts = list(X)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise FramingError(f"text {i} is {type(text).__name__}, not str; pass raw texts")
    return texts
