"""Feature families: each reads a Corpus and returns a tidy table.

Count families (``lexicon``, ``stance``, ``actors``) share the shape of
:mod:`framing.features.table`; ``sentiment`` has ``value`` and ``n_sentences``
instead of counts. A lexicon says which family reads it in ``[meta] family``
(default ``lexicon``), so ``explain`` and ``framing features --lexicon stance``
apply the stance rules to the stance lexicon.
"""

from __future__ import annotations

import pandas as pd

from framing.corpus import Corpus
from framing.errors import FramingError
from framing.features.actors import actor_features, actor_matches
from framing.features.lexicon import lexicon_features, lexicon_matches
from framing.features.sentiment import sentiment
from framing.features.stance import stance_features, stance_matches
from framing.lexicon import Lexicon, load_lexicon

FAMILIES = {"lexicon": lexicon_features, "stance": stance_features, "actors": actor_features, "sentiment": sentiment}
DEFAULT_LEXICON = {"lexicon": "framing", "stance": "stance", "actors": "actors"}
_MATCHES = {"lexicon": lexicon_matches, "stance": stance_matches, "actors": actor_matches}


def family_of(lexicon: "str | Lexicon") -> str:
    """The family that reads a lexicon (its ``[meta] family``, default ``lexicon``)."""
    return str(load_lexicon(lexicon).meta.get("family", "lexicon"))


def explain(corpus: Corpus, lexicon: "str | Lexicon" = "framing", *, doc_id: str | None = None, category: str | None = None):
    """Every match behind a count, one row per matched stretch of text.

    Columns: ``doc_id``, ``lexicon``, ``category``, ``pattern`` (the term as written in
    the lexicon), ``text`` (as it stands in the document), ``start``/``end`` (character
    span in ``clean_text``), ``token_start``/``token_end``, ``sentence``; stance adds
    ``voice``, actors add ``actor``, ``connotation``, ``label`` and ``voice``. The
    family's context rules apply, so the rows are exactly what the counts count.

    Examples
    --------
    >>> from framing.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ['It may be a sham, they said: "we may win".']}))
    >>> explain(corpus, "stance", category="hedge")[["pattern", "text", "start", "voice"]]
      pattern text  start   voice
    0     may  may      3  author
    1     may  may     33  quoted
    """
    lex = load_lexicon(lexicon)
    return _MATCHES[family_of(lex)](corpus, lex, doc_id=doc_id, category=category)


def family_features(corpus: Corpus, families: list[str], *, lexicons=None) -> pd.DataFrame:
    """Run feature families and stack their tables.

    ``lexicons`` (names or paths) are each read by their own family; families named
    in ``families`` without a lexicon use their bundled default. Families without a
    ``voice`` get ``voice = "all"`` when stacked with ones that have it.
    """
    jobs = []
    for lex in lexicons or []:
        jobs.append((family_of(lex), lex))
    for family in families:
        if family not in FAMILIES:
            raise FramingError(f"unknown family '{family}'; choose from {', '.join(FAMILIES)}, all")
        if family == "sentiment":
            jobs.append((family, None))
        elif not any(f == family for f, _ in jobs):
            jobs.append((family, DEFAULT_LEXICON[family]))
    tables = [FAMILIES[f](corpus) if lex is None else FAMILIES[f](corpus, lex) for f, lex in jobs]
    if any("voice" in t.columns for t in tables) and len(tables) > 1:
        tables = [t if "voice" in t.columns or "value" in t.columns else t.assign(voice="all") for t in tables]
    table = pd.concat(tables, ignore_index=True)
    tail = [c for c in ("voice", "count", "n_tokens", "per_1k", "value", "n_sentences") if c in table.columns]
    return table[[c for c in table.columns if c not in tail] + tail]
