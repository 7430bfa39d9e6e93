"""Lexicon features: per-document category counts and rates, and the matches behind them."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from framing.corpus import Corpus
from framing.errors import FramingError
from framing.features.table import MATCH_COLUMNS, feature_table, match_rows
from framing.lexicon import Lexicon, Matcher, load_lexicon
from framing.tokens import TokenizedText


def count_document(doc: TokenizedText, matcher: Matcher) -> Counter:
    """Category name -> number of matches in one tokenized document (no state kept).

    Examples
    --------
    >>> from framing.lexicon import lexicon_from_mapping
    >>> from framing.tokens import tokenize
    >>> m = Matcher(lexicon_from_mapping("t", {"state": ["regime*", "mullahs"]}))
    >>> count_document(tokenize("The regime's mullahs. Regimes fall."), m)
    Counter({'state': 3})
    """
    names = matcher.lexicon.category_names
    return Counter({names[ci]: n for ci, n in enumerate(matcher.count(doc)) if n})


def lexicon_features(corpus: Corpus, lexicon: "str | Lexicon" = "framing", *, family: str = "lexicon") -> pd.DataFrame:
    """Per-document counts and rates of each lexicon category, in the tidy feature shape.

    Returns one row per document and category: ``doc_id``, metadata columns,
    ``family``, ``lexicon``, ``category``, ``count``, ``n_tokens`` (word tokens,
    punctuation excluded) and ``per_1k``. Each ``count`` equals the number of rows
    :func:`lexicon_matches` (and :func:`framing.explain`) returns for that document and category.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ["The regime held a sham election."]}))
    >>> table = lexicon_features(corpus, "framing")
    >>> table.set_index("category").loc[["state_delegitimizing", "electoral_neutral"], ["count", "n_tokens", "per_1k"]]
                          count  n_tokens  per_1k
    category                                     
    state_delegitimizing      1         6  166.67
    electoral_neutral         0         6    0.00
    """
    lex = load_lexicon(lexicon)
    matcher = Matcher(lex)
    rows = [
        (doc_id, family, lex.name, category, n)
        for doc_id, doc in corpus.tokens.items()
        for category, n in count_document(doc, matcher).items()
    ]
    counts = pd.DataFrame(rows, columns=["doc_id", "family", "lexicon", "category", "count"])
    return feature_table(corpus, counts, family=family, lexicon=lex.name, categories=lex.category_names).round(
        {"per_1k": 2}
    )


def lexicon_matches(
    corpus: Corpus,
    lexicon: "str | Lexicon" = "framing",
    *,
    doc_id: str | None = None,
    category: str | None = None,
) -> pd.DataFrame:
    """Every match behind :func:`lexicon_features`; the columns are described in :func:`framing.explain`.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ["The regime held a sham election."]}))
    >>> lexicon_matches(corpus, "framing", category="electoral_delegitimation")[["pattern", "text", "start", "end"]]
      pattern  text  start  end
    0    sham  sham     18   22
    """
    lex = load_lexicon(lexicon)
    if category is not None:
        lex = lex.select(category)
    docs = corpus.select([doc_id]) if doc_id is not None else corpus
    matcher = Matcher(lex)
    rows = [row for d, doc in docs.tokens.items() for row in match_rows(d, doc, lex, matcher.find(doc))]
    return pd.DataFrame(rows, columns=MATCH_COLUMNS)


def to_wide(features: pd.DataFrame, value: str = "per_1k") -> pd.DataFrame:
    """Pivot a tidy feature table to one row per document and one column per category.

    Columns are ``category`` (or ``category:voice`` when the table has a ``voice`` column).
    """
    if value not in features.columns:
        available = ", ".join(c for c in ("count", "per_1k") if c in features.columns)
        raise FramingError(f"unknown value column '{value}'; available: {available}")
    column = features["category"] if "voice" not in features.columns else features["category"] + ":" + features["voice"]
    wide = features.assign(_column=column).pivot_table(index="doc_id", columns="_column", values=value, sort=False)
    wide.columns.name = None
    return wide
