"""Voices of a tokenized document: which words are the outlet's own and which it quotes
(the per-document step every voiced family shares)."""

from __future__ import annotations

import numpy as np

from framing.documents.tokens import TokenizedText
from framing.tables import ALL


def quoted_words(doc: TokenizedText) -> np.ndarray:
    """Indices of the word tokens inside quotations: the quoted voice's words."""
    return np.flatnonzero(doc.is_word & doc.in_quote)


def voice_of(doc: TokenizedText, token: int) -> str:
    """The voice of a match starting at ``token``: ``quoted`` inside a quotation, else ``author``."""
    return "quoted" if doc.in_quote[token] else "author"


def voice_tokens(doc: TokenizedText) -> dict[str, int]:
    """Word tokens in each voice: ``author`` (outside quotations), ``quoted``, ``all``."""
    quoted = len(quoted_words(doc))
    return {"author": doc.n_words - quoted, "quoted": quoted, ALL: doc.n_words}


def sentence_tokens(doc: TokenizedText, *, voiced: bool) -> dict[str, np.ndarray]:
    """Word tokens of each sentence (a document without sentences has one, empty), per voice."""
    n_sent = max(len(doc.sentences), 1)
    sentence = doc.token_sentence
    totals = {ALL: np.bincount(sentence[doc.is_word], minlength=n_sent)}
    if voiced:
        totals["quoted"] = np.bincount(sentence[quoted_words(doc)], minlength=n_sent)
        totals["author"] = totals[ALL] - totals["quoted"]
    return totals
