"""The ``lexicon`` family: per-document category counts and rates of a plain lexicon, and the matches behind them."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from framing.documents.tokens import TokenizedText
from framing.errors import FramingError
from framing.features.family import Family, Found
from framing.lexicon.match import Matcher
from framing.lexicon.model import Lexicon
from framing.tables import ALL


class LexiconFamily(Family):
    """Plain lexicon counts: every category of the lexicon, matched by :class:`~framing.lexicon.match.Matcher`
    (longest match, exclusions, one count per token and category), in no particular voice."""

    name = "lexicon"
    default_lexicon = "framing"

    def __init__(self, lexicon: "str | Lexicon | None" = None):
        super().__init__(lexicon)
        self.matcher = Matcher(self.lexicon)

    def find(self, doc: TokenizedText) -> list[Found]:
        cats = self.lexicon.categories
        starts, ends = doc.starts, doc.ends
        return [
            Found(cats[m.category].name, cats[m.category].terms[m.term].pattern, m.start, m.end,
                  int(starts[m.start]), int(ends[m.end - 1]))
            for m in self.matcher.find(doc)
        ]

    def count(self, doc: TokenizedText) -> Counter:
        """The same numbers as counting :meth:`find`, from :meth:`Matcher.count` (faster; property-tested equal)."""
        names = self.lexicon.category_names
        return Counter({(names[ci], ALL): n for ci, n in enumerate(self.matcher.count(doc)) if n})


def count_document(doc: TokenizedText, matcher: Matcher) -> Counter:
    """Category name -> number of matches in one tokenized document (no state kept).

    Examples
    --------
    >>> from framing.lexicon.read import lexicon_from_mapping
    >>> from framing.documents.tokens import tokenize
    >>> m = Matcher(lexicon_from_mapping("t", {"state": ["regime*", "mullahs"]}))
    >>> count_document(tokenize("The regime's mullahs. Regimes fall."), m)
    Counter({'state': 3})
    """
    names = matcher.lexicon.category_names
    return Counter({names[ci]: n for ci, n in enumerate(matcher.count(doc)) if n})


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
