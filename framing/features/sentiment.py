"""Sentence-level sentiment with VADER, per document and toward each actor.

VADER (Hutto, C. J. & Gilbert, E. 2014. VADER: a parsimonious rule-based model for
sentiment analysis of social media text. *ICWSM-14*) comes from the ``vaderSentiment``
package, which ships its lexicon: nothing is downloaded. Each sentence of the
corpus's one sentence split gets VADER's compound score; a sentence is positive at
compound >= 0.05, negative at <= -0.05, neutral in between (the authors' thresholds).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from framing.documents.corpus import Corpus
from framing.documents.tokens import BoundedMemo
from framing.errors import FramingError
from framing.features.actors import ActorMatcher
from framing.features.family import Family, Found
from framing.lexicon.read import load_lexicon
from framing.tables import ALL, LANGUAGE

THRESHOLD = 0.05
SENTIMENT_CATEGORIES = ["compound_mean", "positive_share", "negative_share", "neutral_share"]


@lru_cache(maxsize=1)
def analyzer():
    """VADER's analyzer, built on first use (it reads the lexicon file shipped with the package)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader_scores(text: str) -> dict:
    """VADER's scores for one text: ``compound``, ``pos``, ``neu``, ``neg``.

    A text with no emoji and none of whose words is in VADER's lexicon scores neutral,
    whatever else it holds, and gets that score without VADER's pass (a third of news
    sentences). VADER gives a word a valence only when its lexicon has the word (as VADER
    splits and strips it, with its own function); every other rule (negation, boosters,
    "but", capitals, "!" and "?") scales valences already there, and emojis are the only
    words it adds. A test holds the two equal on real sentences.

    Examples
    --------
    >>> vader_scores("VADER is smart, handsome, and funny.")["compound"]
    0.8316
    >>> vader_scores("The vote was held on Friday.") == analyzer().polarity_scores("The vote was held on Friday.")
    True
    """
    emoji, in_lexicon = _vader_words()
    if emoji.isdisjoint(text) and not any(map(in_lexicon.__getitem__, text.split())):
        return {"neg": 0.0, "neu": 1.0 if text.strip() else 0.0, "pos": 0.0, "compound": 0.0}
    return analyzer().polarity_scores(text)


@lru_cache(maxsize=1)
def _vader_words() -> tuple:
    """What can move VADER's score of a text off neutral: a character of its emoji lexicon (VADER
    replaces them one character at a time), and a whitespace chunk whose stripped, lowercased
    form is in its lexicon (remembered per chunk)."""
    from vaderSentiment.vaderSentiment import SentiText

    vader = analyzer()
    emoji = frozenset(e for e in vader.emojis if len(e) == 1)
    return emoji, BoundedMemo(lambda chunk: SentiText._strip_punc_if_word(chunk).lower() in vader.lexicon, max_size=200_000)


def english(language: str | None) -> bool:
    """Does VADER read a document in ``language`` (English, or not given)?"""
    return language is None or language == "en"


def english_documents(corpus: Corpus) -> Corpus:
    """The corpus's documents that VADER reads (:func:`english`); one warning names how many
    in which language are left out, and why (:attr:`SentimentFamily.unsourced`)."""
    if LANGUAGE not in corpus.documents.columns:
        return corpus
    languages = dict(zip(corpus.doc_ids, corpus.documents[LANGUAGE]))
    SentimentFamily().left_out(languages)
    keep = [d for d, language in languages.items() if english(language)]
    return corpus if len(keep) == len(languages) else corpus.select(keep)


def sentence_sentiment(corpus: Corpus) -> pd.DataFrame:
    """One row per sentence: ``doc_id``, ``sentence`` (index), ``start``, ``end``, ``text``,
    ``compound``, ``pos``, ``neu``, ``neg``: the numbers behind every sentiment figure. English
    documents only (:func:`english_documents`)."""
    rows = []
    corpus = english_documents(corpus)
    for d, doc in corpus.tokens.items():
        for i, (a, b) in enumerate(doc.sentences):
            text = doc.text[a:b]
            s = vader_scores(text)
            rows.append((d, i, a, b, text, s["compound"], s["pos"], s["neu"], s["neg"]))
    return pd.DataFrame(rows, columns=["doc_id", "sentence", "start", "end", "text", "compound", "pos", "neu", "neg"])


def _summaries(compound: pd.Series) -> dict:
    n = len(compound)
    if n == 0:
        return {c: np.nan for c in SENTIMENT_CATEGORIES}
    return {
        "compound_mean": float(compound.mean()),
        "positive_share": float((compound >= THRESHOLD).mean()),
        "negative_share": float((compound <= -THRESHOLD).mean()),
        "neutral_share": float(((compound > -THRESHOLD) & (compound < THRESHOLD)).mean()),
    }


def sentiment(corpus: Corpus, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per-document sentiment, tidy: ``doc_id``, metadata, ``family``, ``category``, ``value``, ``n_sentences``.

    Categories: ``compound_mean`` (mean compound over sentences), ``positive_share``,
    ``negative_share``, ``neutral_share`` (fractions of sentences). A document without
    sentences gets NaN values and ``n_sentences`` 0. Pass ``sentences`` (from
    :func:`sentence_sentiment`) to reuse scores already computed.

    Examples
    --------
    >>> from framing.documents.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ["The book was good."]}))
    >>> sentiment(corpus)[["category", "value", "n_sentences"]].values.tolist()[0]
    ['compound_mean', 0.4404, 1]
    """
    corpus = english_documents(corpus)
    sentences = sentence_sentiment(corpus) if sentences is None else sentences
    by_doc = dict(tuple(sentences.groupby("doc_id", sort=False)["compound"]))  # one pass, not one scan per document
    empty = pd.Series([], dtype=float)
    rows = []
    for d in corpus.doc_ids:
        compound = by_doc.get(d, empty)
        for category, value in _summaries(compound).items():
            rows.append((d, "sentiment", "vader", category, value, len(compound)))
    table = pd.DataFrame(rows, columns=["doc_id", "family", "lexicon", "category", "value", "n_sentences"])
    return corpus.with_metadata(table)


def actor_sentences(corpus: Corpus, lexicon="actors") -> pd.DataFrame:
    """Which sentences mention which actor: ``doc_id``, ``sentence``, ``actor`` (one row per pair)."""
    matcher = ActorMatcher(load_lexicon(lexicon))
    rows = set()
    for d, doc in corpus.tokens.items():
        for actor, _, _, t0, _, _ in matcher.find(doc):
            rows.add((d, int(doc.token_sentence[t0]), actor))
    return pd.DataFrame(sorted(rows), columns=["doc_id", "sentence", "actor"])


def actor_sentence_scores(corpus: Corpus, lexicon="actors") -> pd.DataFrame:
    """One row per (sentence, actor it mentions): metadata, ``actor``, ``sentence``, ``text``, ``compound``.

    The sentence-level scores behind :func:`actor_sentiment`, ready for
    :func:`framing.comparison.rates.compare_sentences` (which adds bootstrap intervals).
    """
    scores = sentence_sentiment(corpus)
    mentions = actor_sentences(corpus, lexicon).merge(scores, on=["doc_id", "sentence"])
    return corpus.with_metadata(mentions)


def actor_sentiment(corpus: Corpus, lexicon="actors", *, by: str | None = None) -> pd.DataFrame:
    """Sentiment of the sentences that mention each actor, per document (or per group with ``by``).

    A sentence counts for an actor when any of the actor's labels occurs in it, in
    any voice. This is sentence-level co-occurrence, not syntactic targeting: in
    "The regime arrested brave activists" the negative score is credited to every
    actor named in the sentence, whoever is praised or blamed, and sentences that
    refer to an actor only by a pronoun are missed.

    Returns
    -------
    pandas.DataFrame
        Per document: ``doc_id``, metadata, ``actor``, ``compound_mean``,
        ``negative_share``, ``positive_share``, ``n_sentences``. With ``by``: that column,
        ``actor``, the same values over the group's sentences, and ``n_docs``.
    """
    scores = sentence_sentiment(corpus)
    mentions = actor_sentences(corpus, lexicon).merge(scores, on=["doc_id", "sentence"])
    if by is not None:
        mentions[by] = mentions["doc_id"].map(corpus.groups(by))
    keys = ["doc_id", "actor"] if by is None else [by, "actor"]
    rows = []
    for key, part in mentions.groupby(keys, sort=True):
        summary = _summaries(part["compound"])
        row = dict(zip(keys, key if isinstance(key, tuple) else (key,)))
        row.update(compound_mean=summary["compound_mean"], negative_share=summary["negative_share"],
                   positive_share=summary["positive_share"], n_sentences=len(part))
        if by is not None:
            row["n_docs"] = part["doc_id"].nunique()
        rows.append(row)
    columns = keys + ["compound_mean", "negative_share", "positive_share", "n_sentences"] + (["n_docs"] if by else [])
    table = pd.DataFrame(rows, columns=columns)
    return table if by is not None else corpus.with_metadata(table)


class SentimentFamily(Family):
    """VADER sentence sentiment summarised per document: a score family, registered with
    the count families. It uses VADER's own lexicon, so it takes none; its match records
    are the scored sentences (category ``sentence``, with ``compound``, ``pos``, ``neu``,
    ``neg``), and its table has ``value`` and ``n_sentences`` instead of counts."""

    name = "sentiment"
    extra_columns = ("compound", "pos", "neu", "neg")

    def __init__(self, lexicon=None):
        if lexicon is not None:
            raise FramingError("sentiment uses VADER's own lexicon and takes none; drop the lexicon")
        self.lexicon = None

    def __repr__(self) -> str:
        return "<SentimentFamily vader>"

    unsourced = ("VADER's lexicon and rules are English, and no validated, offline, licensed sentiment lexicon "
                 "for it is bundled: such a document gets no sentiment score")

    def reading(self, language: str | None) -> "Family | None":
        """VADER reads English (and text of unknown language, read as English) only."""
        return self if english(language) else None

    def categories(self) -> list[str]:
        return list(SENTIMENT_CATEGORIES)

    def explainable(self) -> list[str]:
        return ["sentence"]

    def find(self, doc) -> list[Found]:
        out = []
        token_sentence = doc.token_sentence
        for i, (a, b) in enumerate(doc.sentences):
            lo, hi = np.searchsorted(token_sentence, [i, i + 1]) if len(doc) else (0, 0)
            s = vader_scores(doc.text[a:b])
            out.append(Found("sentence", "vader", int(lo), int(hi), a, b, ALL, (s["compound"], s["pos"], s["neu"], s["neg"])))
        return out

    def matches(self, corpus: Corpus, *, doc_id: str | None = None, category: str | None = None) -> pd.DataFrame:
        table = super().matches(corpus, doc_id=doc_id, category=category)
        return table.assign(lexicon="vader")

    def table(self, corpus: Corpus) -> pd.DataFrame:
        return sentiment(corpus)

    def sentences(self, corpus: Corpus) -> pd.DataFrame:
        raise FramingError("sentiment is a score, not a count: compare its sentences with framing.compare_sentences")

    def tables(self, corpus: Corpus) -> tuple[pd.DataFrame, pd.DataFrame]:
        return self.sentences(corpus)
