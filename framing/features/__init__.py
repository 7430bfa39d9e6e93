"""Feature families: each reads a Corpus, one document at a time, and returns a tidy table.

Every family implements the :class:`~framing.features.family.Family` protocol and is
registered once, in :data:`FAMILIES`. A lexicon says which family reads it in
``[meta] family`` (default ``lexicon``); every public path goes through
:func:`family_for`, so a lexicon is always applied with its family's rules:
``lexicon_features(corpus, "stance")``, ``explain(corpus, "stance")`` and
``framing features --lexicon stance`` all count hedges with the stance rules.

Count families (``lexicon``, ``stance``, ``actors``) share the shape of
:mod:`framing.tables`; ``sentiment`` has ``value`` and ``n_sentences``
instead of counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from framing.documents.corpus import Corpus
from framing.errors import FramingError
from framing.features.actors import ActorFamily
from framing.features.family import Family
from framing.features.lexicon import LexiconFamily
from framing.features.sentiment import SentimentFamily
from framing.features.stance import StanceFamily
from framing.lexicon.model import Lexicon
from framing.lexicon.read import load_lexicon

FAMILIES: dict[str, type[Family]] = {
    family.name: family for family in (LexiconFamily, StanceFamily, ActorFamily, SentimentFamily)
}
"""The registry: a new family is one module with a :class:`Family` subclass, and one entry here."""


def family_of(lexicon: "str | Lexicon") -> str:
    """The family that reads a lexicon (its ``[meta] family``, default ``lexicon``)."""
    lex = load_lexicon(lexicon)
    name = str(lex.meta.get("family", "lexicon"))
    if name not in FAMILIES or FAMILIES[name].default_lexicon is None:
        counted = [f for f, cls in FAMILIES.items() if cls.default_lexicon is not None]
        raise FramingError(f"{lex.path}: [meta] family = '{name}' is not a family that reads lexicons; use {', '.join(counted)}")
    return name


def family_for(lexicon: "str | Lexicon") -> Family:
    """The family that reads ``lexicon``, set up with it. A frame model (a folder written by
    ``framing classify train``, or a :class:`~framing.features.frames.FrameModel`) is read by the
    frames family."""
    from framing.features.frames import FrameFamily, FrameModel, is_model_folder

    if isinstance(lexicon, FrameModel) or is_model_folder(lexicon):
        return FrameFamily(lexicon)
    lex = load_lexicon(lexicon)
    return FAMILIES[family_of(lex)](lex)


def lexicon_features(corpus: Corpus, lexicon: "str | Lexicon" = "framing", *, exclude_reused=False) -> pd.DataFrame:
    """Per-document counts and rates of each category of a lexicon, in the tidy feature shape.

    The lexicon is applied by the family its ``[meta] family`` names (default
    ``lexicon``), so ``lexicon_features(corpus, "stance")`` applies the stance rules and
    has a ``voice`` column. For a plain lexicon: one row per document and category,
    ``doc_id``, metadata columns, ``family``, ``lexicon``, ``lexicon_id``, ``category``,
    ``count``, ``n_tokens`` (word tokens, punctuation excluded) and ``per_1k``. Each
    ``count`` equals the number of rows :func:`explain` returns for that document and
    category.

    Examples
    --------
    >>> from framing.documents.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ["The regime held a sham election."]}))
    >>> table = lexicon_features(corpus, "framing")
    >>> table.set_index("category").loc[["state_delegitimizing", "electoral_neutral"], ["count", "n_tokens", "per_1k"]]
                          count  n_tokens      per_1k
    category                                         
    state_delegitimizing      1         6  166.666667
    electoral_neutral         0         6    0.000000

    ``exclude_reused``: as for :func:`family_features`.
    """
    if exclude_reused is not False:
        from framing.features.reuse import reuse, without_reused

        corpus = without_reused(corpus, reuse(corpus) if exclude_reused is True else exclude_reused)
    return family_for(lexicon).table(corpus)


def explain(corpus: Corpus, lexicon: "str | Lexicon" = "framing", *, doc_id: str | None = None, category: str | None = None):
    """Every match behind a count, one row per matched stretch of text.

    Columns: ``doc_id``, ``family``, ``lexicon``, ``category``, ``pattern`` (the term as
    written in the lexicon), ``text`` (as it stands in the document), ``start``/``end``
    (character span in ``clean_text``), ``token_start``/``token_end``, ``sentence``,
    ``voice`` (``author``/``quoted``, or ``all`` where the family has no voices); actors
    add ``actor``, ``connotation`` and ``label``. The family's context rules apply, so
    the rows are exactly what the counts count.

    Examples
    --------
    >>> from framing.documents.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ['It may be a sham, they said: "we may win".']}))
    >>> explain(corpus, "stance", category="hedge")[["pattern", "text", "start", "voice"]]
      pattern text  start   voice
    0     may  may      3  author
    1     may  may     33  quoted
    """
    return family_for(lexicon).matches(corpus, doc_id=doc_id, category=category)


def reused_matches(corpus: Corpus, passages: pd.DataFrame, lexicon: "str | Lexicon" = "framing", *,
                   category: str | None = None) -> pd.DataFrame:
    """The matches (:func:`explain`) that lie inside a passage their document shares with another
    (``passages``: :func:`framing.reuse`): what a count loses when reused text is left out, one row
    per match, in corpus order. Only the documents that share a passage are explained (from a run's
    remembered pass, when there is one): explaining all 10,000 documents of a corpus to keep the
    matches of 1,017 held 280 MB of sentences.

    Examples
    --------
    >>> from framing.documents.corpus import load_corpus
    >>> from framing.features.reuse import reuse
    >>> shared = "Officials allegedly said the vote was clearly rigged by the ruling party, witnesses reported."
    >>> corpus = load_corpus(pd.DataFrame({"doc_id": ["a", "b", "c"],
    ...                                    "text": [shared + " It may end.", "News: " + shared, "It may rain."]}))
    >>> reused_matches(corpus, reuse(corpus, min_words=10), "stance")[["doc_id", "text"]].values.tolist()
    [['a', 'allegedly'], ['a', 'said'], ['a', 'clearly'], ['a', 'reported'], ['b', 'allegedly'], ['b', 'said'], ['b', 'clearly'], ['b', 'reported']]
    """
    from framing.features.reuse import mark_reused

    documents = sorted(set(passages["doc_a"]) | set(passages["doc_b"]))
    matches = family_for(lexicon).matches(corpus, doc_id=documents, category=category)
    marked = mark_reused(matches, passages)
    return marked[marked["reused"]].drop(columns="reused").reset_index(drop=True)


def family_jobs(families: list[str], lexicons=None) -> list[Family]:
    """The families to run: one per lexicon (each read by its own family), then each named
    family not yet covered, with its bundled lexicon."""
    jobs: list[Family] = [family_for(lex) for lex in lexicons or []]
    if len(jobs) > 1:
        from framing.lexicon.read import check_distinct_names

        check_distinct_names([job.lexicon for job in jobs])
    for name in families:
        if name not in FAMILIES:
            raise FramingError(f"unknown family '{name}'; choose from {', '.join(FAMILIES)}, all")
        if not any(job.name == name for job in jobs):
            jobs.append(FAMILIES[name]())
    return jobs


def family_features(corpus: Corpus, families: list[str], *, lexicons=None, exclude_reused=False) -> pd.DataFrame:
    """Run feature families and stack their tables.

    ``lexicons`` (names or paths) are each read by their own family; families named
    in ``families`` without a lexicon use their bundled default. Families without a
    ``voice`` get ``voice = "all"`` when stacked with ones that have it.

    ``exclude_reused`` counts only what each document wrote itself: ``True`` leaves out
    the passages :func:`framing.reuse` finds (default settings), a table of passages
    leaves out those (:func:`framing.features.reuse.without_reused`).
    """
    if exclude_reused is not False:
        from framing.features.reuse import reuse, without_reused

        corpus = without_reused(corpus, reuse(corpus) if exclude_reused is True else exclude_reused)
    jobs = family_jobs(families, lexicons)
    share_tokens(corpus, jobs)
    return stack_tables([job.table(corpus) for job in jobs], corpus.doc_ids)


def share_tokens(corpus: Corpus, jobs) -> None:
    """Tokenize ``corpus`` once and keep its tokens when several family jobs pass over it; a
    single job streams them (:meth:`framing.documents.corpus.Corpus.iter_tokens`), keeping none."""
    if len(jobs) > 1:
        corpus.tokens  # noqa: B018 - computed and kept


def stack_tables(tables: list[pd.DataFrame], doc_ids: list[str]) -> pd.DataFrame:
    """Feature tables of several families as one, in document order (``doc_ids``), each
    document's rows family by family. Document order makes the table of a corpus the
    concatenation of the tables of its batches (:mod:`framing.engine`)."""
    if any("voice" in t.columns for t in tables) and len(tables) > 1:
        tables = [t if "voice" in t.columns or "value" in t.columns else t.assign(voice="all") for t in tables]
    table = pd.concat(tables, ignore_index=True)
    if len(tables) > 1:
        position = pd.Series(range(len(doc_ids)), index=doc_ids)
        table = table.iloc[np.argsort(position.reindex(table["doc_id"]).to_numpy(), kind="stable")].reset_index(drop=True)
    tail = [c for c in ("voice", "count", "n_tokens", "per_1k", "value", "n_sentences") if c in table.columns]
    return table[[c for c in table.columns if c not in tail] + tail]


def sentence_counts(corpus: Corpus, features: pd.DataFrame, *, lexicons=None) -> pd.DataFrame:
    """The counts of a feature table split by sentence: what comparisons resample when a
    group has too few documents (``framing.compare(..., sentences=...)``).

    Each lexicon of ``features`` is found by name, or among ``lexicons`` (objects or
    paths), and must have the ``lexicon_id`` the table records, so a table is never
    split with a lexicon other than the one that counted it.
    """
    missing = [c for c in ("family", "lexicon", "lexicon_id") if c not in features.columns]
    if missing:
        raise FramingError(f"not a feature table of framing: no {', '.join(missing)} column")
    given = {lex.id: lex for lex in (load_lexicon(x) for x in lexicons or [])}
    tables = []
    for (family, name, lexicon_id), _ in features.groupby(["family", "lexicon", "lexicon_id"], sort=False):
        lex = given.get(lexicon_id)
        if lex is None:
            try:
                lex = load_lexicon(name)
            except FramingError:
                lex = None
            if lex is None or lex.id != lexicon_id:
                raise FramingError(
                    f"the features were counted with lexicon {lexicon_id}, which is not the lexicon found by the name "
                    f"'{name}'; pass lexicons=[...] with the lexicon (or its path) that counted them"
                )
        tables.append(FAMILIES[family](lex).sentences(corpus))
    return stack_tables(tables, corpus.doc_ids)


def features_and_sentences(corpus: Corpus, lexicon: "str | Lexicon" = "framing") -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`lexicon_features` and :func:`sentence_counts` of one lexicon in one pass over the
    corpus: each document is tokenized and its matches found once, then counted by document and
    by sentence (calling the two one after the other finds every match twice).

    Examples
    --------
    >>> from framing.documents.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ["The regime lied. The regime fell."]}))
    >>> features, sentences = features_and_sentences(corpus, "framing")
    >>> sentences.query("category == 'state_delegitimizing'")[["sentence", "count", "n_tokens"]].values.tolist()
    [[0, 1, 3], [1, 1, 3]]
    >>> features.query("category == 'state_delegitimizing'")[["count", "n_tokens"]].values.tolist()
    [[2, 6]]
    """
    return family_for(lexicon).tables(corpus)


# --------------------------------------------------------------------------- what each batch of a stream gets


@dataclass(frozen=True)
class FamilyFeatures:
    """The feature table of a batch: every family job's table, stacked (:func:`stack_tables`).
    With ``units``, also the sentence table of the counting families (one pass per document:
    :meth:`framing.features.family.Family.tables`), as a pair."""

    jobs: tuple
    units: bool = False

    def __call__(self, corpus: Corpus):
        share_tokens(corpus, self.jobs)
        if not self.units:
            return stack_tables([job.table(corpus) for job in self.jobs], corpus.doc_ids)
        pairs = [job.tables(corpus) if job.counting else (job.table(corpus), None) for job in self.jobs]
        return (stack_tables([table for table, _ in pairs], corpus.doc_ids),
                stack_tables([units for _, units in pairs if units is not None], corpus.doc_ids))


@dataclass(frozen=True)
class Matches:
    """The match record of a batch (:meth:`framing.features.family.Family.matches`)."""

    family: object
    category: str | None = None

    def __call__(self, corpus: Corpus) -> pd.DataFrame:
        return self.family.matches(corpus, category=self.category)
