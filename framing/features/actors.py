"""Actor labels: which name each outlet gives each actor, and with what connotation.

An actors lexicon has categories ``ACTOR.CONNOTATION`` (connotation one of
:data:`CONNOTATIONS`). Each actor is matched as a unit, so the longest label wins
across its connotations: "sham elections" is one delegitimizing label of the
election, not also a neutral "elections". Labels inside direct quotations are the
quoted speaker's (``voice = "quoted"``), as in stance.
"""

from __future__ import annotations

import pandas as pd

from framing.documents.corpus import Corpus
from framing.documents.tokens import TokenizedText, normalize_token
from framing.errors import FramingError
from framing.features.family import Family, Found
from framing.features.voice import voice_of
from framing.lexicon.match import Matcher
from framing.lexicon.model import Category, Lexicon
from framing.tables import VOICES

CONNOTATIONS = ("delegitimizing", "neutral", "legitimizing", "valorizing")


class ActorMatcher:
    """Matches each actor of an actors lexicon as one unit, remembering each label's connotation."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        actors: dict[str, list] = {}
        for cat in lexicon.categories:
            actor, _, connotation = cat.name.rpartition(".")
            if not actor or connotation not in CONNOTATIONS:
                raise FramingError(
                    f"{lexicon.path}: category '{cat.name}' must be named ACTOR.CONNOTATION with connotation one of "
                    f"{', '.join(CONNOTATIONS)}"
                )
            actors.setdefault(actor, []).append((connotation, cat))
        merged, self.connotation = [], {}
        for actor, parts in actors.items():
            terms, exclude, seen = [], [], {}
            for connotation, cat in parts:
                for term in cat.terms:
                    key = term.pattern.lower()
                    if key in seen:
                        raise FramingError(
                            f"{lexicon.path}: label '{term.pattern}' of actor '{actor}' is both {seen[key]} and "
                            f"{connotation}; keep it in one connotation"
                        )
                    seen[key] = connotation
                    self.connotation[(actor, len(terms))] = connotation
                    terms.append(term)
                exclude.extend(cat.exclude)
            merged.append(Category(actor, "", tuple(terms), tuple(exclude)))
        self.actors = Lexicon(lexicon.name, lexicon.meta, tuple(merged), lexicon.path)
        self._matcher = Matcher(self.actors)

    def find(self, doc: TokenizedText) -> list[tuple]:
        """(actor, connotation, pattern, token_start, token_end, voice) for one document."""
        out = []
        for m in self._matcher.find(doc):
            cat = self.actors.categories[m.category]
            out.append((cat.name, self.connotation[(cat.name, m.term)], cat.terms[m.term].pattern, m.start, m.end,
                        voice_of(doc, m.start)))
        return out


class ActorFamily(Family):
    """Actor labels by connotation and voice; categories are ``ACTOR.CONNOTATION``. Match
    records add ``actor``, ``connotation`` and ``label`` (the matched words, lowercased)."""

    name = "actors"
    default_lexicon = "actors"
    voices = VOICES
    extra_columns = ("actor", "connotation", "label")

    def __init__(self, lexicon: "str | Lexicon | None" = None):
        super().__init__(lexicon)
        self.matcher = ActorMatcher(self.lexicon)

    def find(self, doc: TokenizedText) -> list[Found]:
        starts, ends = doc.starts, doc.ends
        return [
            Found(f"{actor}.{connotation}", pattern, t0, t1, int(starts[t0]), int(ends[t1 - 1]), voice,
                  (actor, connotation, " ".join(normalize_token(w) for w in doc.words[t0:t1])))
            for actor, connotation, pattern, t0, t1, voice in self.matcher.find(doc)
        ]


def actor_matches(corpus: Corpus, lexicon="actors", *, doc_id: str | None = None, category: str | None = None) -> pd.DataFrame:
    """Every actor label in the corpus: the match records behind :func:`actor_labels`.

    ``category`` may be an actor (``election``) or an actor and connotation
    (``election.delegitimizing``). Columns: those of :func:`framing.explain` plus
    ``actor``, ``connotation``, ``label`` (the matched words, lowercased).
    """
    return ActorFamily(lexicon).matches(corpus, doc_id=doc_id, category=category)


def actor_labels(corpus: Corpus, lexicon="actors", *, by: str | None = None) -> pd.DataFrame:
    """Label counts per document: ``doc_id``, [``by``], ``actor``, ``label``, ``connotation``, ``voice``, ``count``.

    ``label`` is the label as written (lowercased), so "regime" and "regimes" stay
    apart; ``by`` adds that metadata column.
    """
    matches = actor_matches(corpus, lexicon)
    keys = ["doc_id", "actor", "label", "connotation", "voice"]
    table = matches.groupby(keys, sort=True).size().rename("count").reset_index()
    if by is not None:
        table.insert(1, by, table["doc_id"].map(corpus.groups(by)))
    return table


def actor_shares(corpus: Corpus, lexicon="actors", *, voice: str = "author") -> pd.DataFrame:
    """Per document and actor, the share of its mentions that carry each connotation.

    ``voice`` is ``author`` (default: the outlet's own labels), ``quoted`` or ``all``.
    Columns: ``doc_id``, metadata, ``actor``, ``connotation``, ``count``, ``mentions``
    (all labels of that actor in that document and voice), ``share`` (NaN where the
    actor is not mentioned).
    """
    if voice not in ("author", "quoted", "all"):
        raise FramingError(f"voice must be author, quoted or all, got {voice!r}")
    family = ActorFamily(lexicon)
    lex = family.lexicon
    matches = family.matches(corpus)
    if voice != "all":
        matches = matches[matches["voice"] == voice]
    actors = list(dict.fromkeys(c.rpartition(".")[0] for c in lex.category_names))
    pairs = [(a, c) for a in actors for c in CONNOTATIONS if f"{a}.{c}" in lex.category_names]
    grid = pd.DataFrame([(d, a, c) for d in corpus.doc_ids for a, c in pairs], columns=["doc_id", "actor", "connotation"])
    counts = matches.groupby(["doc_id", "actor", "connotation"]).size().rename("count").reset_index()
    table = grid.merge(counts, how="left", on=["doc_id", "actor", "connotation"])
    table["count"] = table["count"].fillna(0).astype(int)
    table["mentions"] = table.groupby(["doc_id", "actor"])["count"].transform("sum")
    table["share"] = (table["count"] / table["mentions"]).where(table["mentions"] > 0)
    return corpus.with_metadata(table)


def actor_features(corpus: Corpus, lexicon="actors") -> pd.DataFrame:
    """Per-document counts and rates of each ``actor.connotation``, by voice, in the shared tidy shape."""
    return ActorFamily(lexicon).table(corpus)
