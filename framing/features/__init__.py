"""Feature families: each reads a Corpus and returns the tidy table of :mod:`framing.features.table`.

``FAMILIES`` maps a family name to its function; :func:`family_features` runs
several and stacks their tables (same columns; ``voice`` is filled with ``all``
for families that do not separate author and quoted voice).
"""

from __future__ import annotations

import pandas as pd

from framing.corpus import Corpus
from framing.features.lexicon import lexicon_features

FAMILIES = {"lexicon": lexicon_features}


def family_features(corpus: Corpus, families: list[str], *, lexicons: list[str] = ("framing",)) -> pd.DataFrame:
    """Run the named families (``lexicon`` once per lexicon) and stack their tidy tables."""
    tables = []
    for family in families:
        if family == "lexicon":
            tables.extend(lexicon_features(corpus, lex) for lex in lexicons)
        else:
            tables.append(FAMILIES[family](corpus))
    if any("voice" in t.columns for t in tables):
        tables = [t if "voice" in t.columns else t.assign(voice="all") for t in tables]
        for i, t in enumerate(tables):
            cols = list(t.columns)
            cols.remove("voice")
            cols.insert(cols.index("count"), "voice")
            tables[i] = t[cols]
    return pd.concat(tables, ignore_index=True)
