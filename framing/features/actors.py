"""Actor labels: which name each outlet gives each actor, and with what connotation.

An actors lexicon has categories ``ACTOR.CONNOTATION`` (connotation one of
:data:`CONNOTATIONS`). Each actor is matched as a unit, so the longest label wins
across its connotations: "sham elections" is one delegitimizing label of the
election, not also a neutral "elections". Labels inside direct quotations are the
quoted speaker's (``voice = "quoted"``), as in stance.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from framing.corpus import Corpus
from framing.errors import FramingError
from framing.features.table import MATCH_COLUMNS, feature_table, voice_tokens
from framing.lexicon import Category, Lexicon, Matcher, load_lexicon
from framing.tokens import TokenizedText, normalize_token

CONNOTATIONS = ("delegitimizing", "neutral", "legitimizing", "valorizing")
VOICES = ["author", "quoted"]
ACTOR_MATCH_COLUMNS = MATCH_COLUMNS + ["actor", "connotation", "label", "voice"]


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
            voice = "quoted" if doc.in_quote[m.start] else "author"
            out.append((cat.name, self.connotation[(cat.name, m.term)], cat.terms[m.term].pattern, m.start, m.end, voice))
        return out


def actor_matches(corpus: Corpus, lexicon="actors", *, doc_id: str | None = None, category: str | None = None) -> pd.DataFrame:
    """Every actor label in the corpus: the match records behind :func:`actor_labels`.

    ``category`` may be an actor (``election``) or an actor and connotation
    (``election.delegitimizing``). Columns: those of :func:`framing.explain` plus
    ``actor``, ``connotation``, ``label`` (the matched words, lowercased) and ``voice``.
    """
    lex = load_lexicon(lexicon)
    matcher = ActorMatcher(lex)
    if category is not None and not any(c == category or c.startswith(category + ".") for c in lex.category_names):
        raise FramingError(f"lexicon '{lex.name}' has no actor or category '{category}'; available: {', '.join(lex.category_names)}")
    docs = corpus.select([doc_id]) if doc_id is not None else corpus
    rows = []
    for d, doc in docs.tokens.items():
        for actor, connotation, pattern, t0, t1, voice in matcher.find(doc):
            name = f"{actor}.{connotation}"
            if category is not None and category not in (actor, name):
                continue
            start, end = int(doc.starts[t0]), int(doc.ends[t1 - 1])
            text = doc.text[start:end]
            label = " ".join(normalize_token(w) for w in doc.words[t0:t1])
            rows.append((d, lex.name, name, pattern, text, start, end, t0, t1, doc.sentence_of(t0), actor, connotation, label, voice))
    return pd.DataFrame(rows, columns=ACTOR_MATCH_COLUMNS)


def actor_labels(corpus: Corpus, lexicon="actors", *, by: str | None = None) -> pd.DataFrame:
    """Label counts per document: ``doc_id``, [``group``], ``actor``, ``label``, ``connotation``, ``voice``, ``count``.

    ``label`` is the label as written (lowercased), so "regime" and "regimes" stay
    apart; ``by`` adds a ``group`` column from that metadata column.
    """
    matches = actor_matches(corpus, lexicon)
    keys = ["doc_id", "actor", "label", "connotation", "voice"]
    table = matches.groupby(keys, sort=True).size().rename("count").reset_index()
    if by is not None:
        table.insert(1, "group", table["doc_id"].map(corpus.groups(by)))
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
    lex = load_lexicon(lexicon)
    matches = actor_matches(corpus, lex)
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
    lex = load_lexicon(lexicon)
    matcher = ActorMatcher(lex)
    counts: Counter = Counter()
    denominators = []
    for d, doc in corpus.tokens.items():
        for actor, connotation, _, _, _, voice in matcher.find(doc):
            counts[(d, f"{actor}.{connotation}", voice)] += 1
        n = voice_tokens(doc)
        denominators.extend((d, v, n[v]) for v in VOICES)
    frame = pd.DataFrame([(d, c, v, n) for (d, c, v), n in counts.items()], columns=["doc_id", "category", "voice", "count"])
    denom = pd.DataFrame(denominators, columns=["doc_id", "voice", "n_tokens"])
    return feature_table(
        corpus, frame, family="actors", lexicon=lex.name, categories=lex.category_names, voices=VOICES, denominators=denom
    ).round({"per_1k": 2})
