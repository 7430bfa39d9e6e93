"""The Family protocol: how one kind of feature is counted and explained, document by document.

A family applies a lexicon with the family's rules. It answers three questions about
ONE tokenized document, with no state kept between documents (so any engine can run
it anywhere):

* :meth:`Family.find`: every match, as :class:`Found` records (the rows of ``explain``);
* :meth:`Family.count`: how many per ``(category, voice)`` (by default, counted from
  :meth:`Family.find`; a family may count faster, if a test holds the two equal);
* :meth:`Family.tokens`: the denominator of each voice.

Everything over a corpus is written once, here, from those three: :meth:`Family.table`
(the tidy feature table), :meth:`Family.matches` (the match records),
:meth:`Family.sentences` (the same counts split by sentence, for resampling), and
:meth:`Family.tables` (the table and its sentences in one pass over the documents).

To add a family, write one module with a subclass (set :attr:`Family.name`,
:attr:`Family.default_lexicon`, :attr:`Family.voices`; implement :meth:`Family.find`)
and add it to ``FAMILIES`` in :mod:`framing.features`. A lexicon names its family in
``[meta] family``; every public path (``lexicon_features``, ``explain``, the
vectorizers, the CLI) goes through the registry, so a lexicon is always applied with
its family's rules. Pair-shaped results (text reuse: passages shared by two documents)
are not families: they get their own table and fold back into this shape as summaries.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Mapping
from functools import partial
from typing import ClassVar, NamedTuple

import numpy as np
import pandas as pd

from framing.cache import (
    DOCUMENTS,
    EXTENDS,
    cache_folder,
    code_key,
    digest,
    document_digests,
    entry_of,
    nearest,
    remembered,
)
from framing.documents.corpus import Corpus
from framing.documents.tokens import TokenizedText
from framing.errors import FramingError, LeftOut
from framing.features.voice import sentence_tokens, voice_tokens
from framing.lexicon.model import Lexicon
from framing.lexicon.read import load_lexicon
from framing.tables import (
    ALL,
    MATCH_COLUMNS,
    MATCH_SPAN_COLUMNS,
    feature_table,
    language_name,
    sentence_grid,
    sentence_table,
)


class Found(NamedTuple):
    """One match in one document: what :meth:`Family.find` returns."""

    category: str
    pattern: str
    token_start: int
    token_end: int
    start: int  # character span in the document's text
    end: int
    voice: str = ALL
    extra: tuple = ()  # the values of the family's ``extra_columns``


class Family:
    """One kind of feature (see the module docstring). Subclasses set the class attributes
    and implement :meth:`find`; the rest is shared."""

    name: ClassVar[str] = ""
    default_lexicon: ClassVar[str | None] = None
    voices: ClassVar[tuple[str, ...]] = (ALL,)
    """The voices counts are split by: ``("all",)``, or ``("author", "quoted")``."""
    extra_columns: ClassVar[tuple[str, ...]] = ()
    """Columns a family adds to the match records (actors: actor, connotation, label)."""

    def __init__(self, lexicon: "str | Lexicon | None" = None):
        if lexicon is None and self.default_lexicon is None:
            raise FramingError(f"the {self.name} family needs a lexicon")
        self.lexicon = load_lexicon(self.default_lexicon if lexicon is None else lexicon)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.lexicon.id}>"

    @property
    def counting(self) -> bool:
        """Counts matches (and so has a sentence table); sentiment scores instead."""
        return self.default_lexicon is not None

    @property
    def voiced(self) -> bool:
        return self.voices != (ALL,)

    # ------------------------------------------------------------------ one document

    def categories(self) -> list[str]:
        """The categories counted, in order."""
        return self.lexicon.category_names

    def cells(self) -> list[tuple[str, str]]:
        """The ``(category, voice)`` rows every document gets in the feature table."""
        return [(c, v) for c in self.categories() for v in self.voices]

    def explainable(self) -> list[str]:
        """The categories :meth:`matches` may be asked for."""
        return list(dict.fromkeys(c for c, _ in self.cells()))

    def find(self, doc: TokenizedText) -> list[Found]:
        """Every match in one document."""
        raise NotImplementedError

    unsourced: ClassVar[str] = ""
    """Why a language without terms has none, where the family knows (stance: no validated list)."""

    def reading(self, language: str | None) -> "Family | None":
        """The family that reads a document in ``language``: this one where its lexicon's own
        terms apply (the language is the lexicon's, or not given, or the lexicon declares none),
        the same family with the lexicon's terms in that language
        (:meth:`~framing.lexicon.model.Lexicon.in_language`), or ``None`` where the lexicon has
        no term in it: such a document is left out of this family's tables, and
        :meth:`left_out` says so, rather than counting it with another language's words."""
        if not isinstance(self.lexicon, Lexicon):  # a codebook's classifier: trained on what it reads
            return self
        readers = self.__dict__.setdefault("_readers", {})
        if language not in readers:
            lexicon = self.lexicon.in_language(language)
            readers[language] = (self if lexicon is self.lexicon else
                                 type(self)(lexicon) if any(c.terms for c in lexicon.categories) else None)
        return readers[language]

    def uncovered(self, language: str | None) -> list[str]:
        """The lexicon's categories without a term in ``language``: not counted in its documents."""
        if not isinstance(self.lexicon, Lexicon):
            return []
        return [c.name for c in self.lexicon.in_language(language).categories if not c.terms]

    def left_out(self, languages: dict) -> None:
        """One warning per language whose documents this family left out, or counts without
        some categories; ``languages`` maps each document read to its language."""
        seen = Counter(languages.values())
        for language, n in sorted(seen.items(), key=lambda kv: str(kv[0])):
            if language is None:
                continue
            what = f"lexicon '{self.lexicon.name}'" if isinstance(self.lexicon, Lexicon) else self.name
            if self.reading(language) is None:
                why = self.unsourced or f"add its terms in {language_name(language)} ([categories.NAME.terms] {language} = [...])"
                template = (f"{self.name}: {{n}} document(s) in {language_name(language)} left out: {what} has no terms "
                            f"in that language; {why}")
            elif missing := self.uncovered(language):
                template = (f"{self.name}: {{n}} document(s) in {language_name(language)} are not counted in "
                            f"{', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}: {what} has no terms for "
                            f"them in that language (framing lexicon check shows its coverage)")
            else:
                continue
            warnings.warn(LeftOut(template, n), stacklevel=3)

    def _covered(self, table: pd.DataFrame, languages: dict) -> pd.DataFrame:
        """``table`` without the rows of categories that a document's language has no terms for."""
        gaps = {language: set(self.uncovered(language)) for language in set(languages.values()) if language is not None}
        if not any(gaps.values()):
            return table
        drop = [(d, c) for d, language in languages.items() for c in gaps.get(language, ())]
        key = pd.MultiIndex.from_arrays([table["doc_id"].astype(str), table["category"].astype(str)])
        return table[~key.isin(drop)].reset_index(drop=True)

    def count(self, doc: TokenizedText) -> Counter:
        """``(category, voice) -> count`` for one document: the number of :meth:`find` records."""
        return Counter((f.category, f.voice) for f in self.find(doc))

    def tokens(self, doc: TokenizedText) -> dict[str, int]:
        """Word tokens of each voice of one document: the denominators of its rates."""
        return voice_tokens(doc) if self.voiced else {ALL: doc.n_words}

    # ------------------------------------------------------------------ a corpus

    def table(self, corpus: Corpus) -> pd.DataFrame:
        """The tidy feature table: every document x :meth:`cells`, with metadata (counted by
        :meth:`count`, which a family may make faster than :meth:`find`; read back when the pass
        is remembered, :meth:`_remembered`)."""
        if (stored := self._remembered(corpus)) is not None:
            return corpus.with_metadata(stored["features"])
        counts, denominators, languages = [], [], {}
        for d, doc in corpus.iter_tokens():
            languages[d] = doc.language
            family = self.reading(doc.language)
            if family is None:
                continue
            counts.extend((d, c, v, n) for (c, v), n in family.count(doc).items())
            denominators.extend((d, v, n) for v, n in family.tokens(doc).items())
        self.left_out(languages)
        table = feature_table(
            [d for d, language in languages.items() if self.reading(language) is not None], counts, denominators,
            cells=self.cells(), voiced=self.voiced, family=self.name, lexicon=self.lexicon.name, lexicon_id=self.lexicon.id,
        )
        return corpus.with_metadata(self._covered(table, languages))

    def matches(self, corpus: Corpus, *, doc_id: "str | list[str] | None" = None,
                category: str | None = None) -> pd.DataFrame:
        """Every match behind :meth:`table`: one row per match (:data:`MATCH_COLUMNS` + extra columns).

        ``doc_id`` may name one document or several (their rows in corpus order); several are read
        from a remembered pass over the corpus when there is one (:meth:`_remembered`), the text of
        their matches alone cut. ``category`` may name a category, or a prefix before a ``.``
        (``election`` selects ``election.delegitimizing``, ...).
        """
        self.check_category(category)
        several = doc_id is not None and not isinstance(doc_id, str)
        chosen = set(corpus.select(list(doc_id)).doc_ids) if several else None  # an unknown id: select's error
        if (doc_id is None or several) and (stored := self._remembered(corpus)) is not None:
            spans = stored["spans"]
            if several:
                spans = spans[spans["doc_id"].isin(chosen)]
            if category is not None:
                spans = spans[(spans["category"] == category) | spans["category"].astype(str).str.startswith(category + ".")]
            return self._with_text(corpus, spans)
        if several:
            docs = corpus.select([d for d in corpus.doc_ids if d in chosen])  # in corpus order
        else:
            docs = corpus.select([doc_id]) if doc_id is not None else corpus
        rows, languages = self._records(), {}
        for d, doc in docs.iter_tokens():
            languages[d] = doc.language
            family = self.reading(doc.language)
            for f in family.find(doc) if family is not None else ():
                if category is not None and f.category != category and not f.category.startswith(category + "."):
                    continue
                rows.add(d, doc, f)
        self.left_out(languages)
        return rows.frame()

    def _records(self, text: bool = True, sentences: bool = False) -> "_Records":
        """An empty table of match records (:data:`MATCH_COLUMNS` + extra columns), as :meth:`matches`
        and :meth:`evidence` give it; without ``text``, spans alone (:data:`MATCH_SPAN_COLUMNS` + extra columns),
        with ``sentences`` each match's sentence as offsets (``sentence_start``, ``sentence_end``)."""
        return _Records(self, text, sentences)

    def _remembered(self, corpus: Corpus) -> "Mapping[str, pd.DataFrame] | None":
        """The one pass over ``corpus`` as a cache folder remembers it (:mod:`framing.cache`): ``features``
        (no metadata), ``sentences`` and ``spans`` (the match records without text, each with its
        sentence's offsets), counted on the first call and read back on the next; ``None`` without a
        cache folder, or for a family whose counts no lexicon id decides (sentiment, frame models).

        A corpus sharing most of its documents with a remembered pass (:func:`framing.cache.nearest`)
        is counted in the documents it does not share, and only those rows are remembered, with the
        key of the pass they extend (:class:`_Extended`): each table is joined when it is asked for."""
        if not (self.counting and isinstance(self.lexicon, Lexicon)) or cache_folder() is None:
            return None
        prefix = digest("family", type(self).__module__, type(self).__qualname__, self.lexicon.id, code_key())
        digests = document_digests(corpus.documents)

        def count():
            base = nearest(prefix, digests)
            tables = self._counted_beyond(base, corpus, digests) if base is not None else dict(zip(
                ("features", "sentences", "spans"), self._counted(corpus, records=True, text=False, sentences=True)))
            tables[DOCUMENTS] = pd.DataFrame({"doc_id": corpus.documents["doc_id"].to_numpy(), "digest": digests})
            return tables

        tables, counted = remembered(f"{prefix}-{digest(*digests)}", count)
        if not counted:  # the warnings a pass gives, given again
            self.left_out(dict(zip(corpus.documents["doc_id"], corpus.document_languages)))
        return _Extended(self, tables) if EXTENDS in tables else tables

    def _counted_beyond(self, base: "Mapping[str, pd.DataFrame]", corpus: Corpus, digests: list[str]) -> dict:
        """What a pass over ``corpus`` adds to ``base``, a remembered pass over a corpus sharing most of
        its documents: the three tables of the documents ``base`` does not hold (none when it holds them
        all), and the key of ``base`` (:data:`EXTENDS`). A corpus with a few documents edited (the shared
        passages of :func:`framing.without_reused` blanked out) is counted in those few, and a pass over
        part of a corpus in none."""
        have = set(base[DOCUMENTS]["digest"])
        new = [d for d, g in zip(corpus.documents["doc_id"], digests) if g not in have]
        tables = {EXTENDS: pd.DataFrame({"key": [base.key]})}
        if new:
            with warnings.catch_warnings():  # said once below, for the whole corpus
                warnings.simplefilter("ignore", LeftOut)
                counted = self._counted(corpus.select(new), records=True, text=False, sentences=True)
            tables.update({f"new_{name}": table for name, table in zip(("features", "sentences", "spans"), counted)})
        self.left_out(dict(zip(corpus.documents["doc_id"], corpus.document_languages)))
        return tables

    def _with_text(self, corpus: Corpus, spans: pd.DataFrame) -> pd.DataFrame:
        """Match records (:data:`MATCH_COLUMNS`, as :meth:`matches` gives them) from remembered spans:
        each match's text and sentence cut from its document's cleaned text, a sentence cut once for
        all its matches, and each name one string shared by its rows (as a pass gathers them)."""
        texts = dict(zip(corpus.documents["doc_id"], corpus.documents["clean_text"]))
        rows = self._records()
        columns = {name: spans[name].to_numpy() if name in _Records.NUMBERS else _shared(spans[name])
                   for name in rows.names if name in spans.columns}
        ids = columns["doc_id"]
        columns["text"] = [texts[d][i:j] for d, i, j in zip(ids, spans["start"].tolist(), spans["end"].tolist())]
        cut = {}
        columns["sentence"] = [cut.get(k) or cut.setdefault(k, texts[k[0]][k[1]:k[2]])
                               for k in zip(ids, spans["sentence_start"].tolist(), spans["sentence_end"].tolist())]
        return rows.frame(columns)

    def check_category(self, category: str | None) -> None:
        """Raise a one-line error unless ``category`` (or ``category.*``) is one the family explains."""
        if category is not None and not any(c == category or c.startswith(category + ".") for c in self.explainable()):
            raise FramingError(
                f"lexicon '{self.lexicon.name}' has no category '{category}' nor categories under it "
                f"('{category}.*'); available: {', '.join(self.explainable())}"
            )

    def sentences(self, corpus: Corpus) -> pd.DataFrame:
        """The counts of :meth:`table` split by sentence, every sentence x cell (zeros included).

        The sentences of a document add up to its row of the feature table; a test holds it.
        """
        return self.tables(corpus)[1]

    def tables(self, corpus: Corpus) -> tuple[pd.DataFrame, pd.DataFrame]:
        """:meth:`table` and :meth:`sentences` in one pass: each document's matches are found once,
        then counted by document and by sentence."""
        return self._one_pass(corpus, records=False)[:2]

    def evidence(self, corpus: Corpus, *, text: bool = True) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """:meth:`table`, :meth:`sentences` and :meth:`matches` in one pass: the counts, the
        counts by sentence, and the match records behind them (the explorer's three tables).

        Without ``text``, the records are spans alone (:data:`MATCH_SPAN_COLUMNS`: no matched text
        nor sentence, which :meth:`matches` or a concordance gives from the spans), their names
        (document, category, pattern, voice) as pandas categories: the explorer draws its lines
        from the spans, and the sentence of every match of 10,000 documents held hundreds of
        megabytes."""
        return self._one_pass(corpus, records=True, text=text)

    def _one_pass(self, corpus: Corpus, *, records: bool, text: bool = True):
        if (stored := self._remembered(corpus)) is not None:
            spans = stored["spans"]
            matches = (None if not records else self._with_text(corpus, spans) if text else
                       spans.drop(columns=["sentence_start", "sentence_end"]))
            return corpus.with_metadata(stored["features"]), stored["sentences"], matches
        features, sentences, matches = self._counted(corpus, records=records, text=text)
        return corpus.with_metadata(features), sentences, matches

    def _counted(self, corpus: Corpus, *, records: bool, text: bool = True, sentences: bool = False):
        """The one pass: the feature table (no metadata), the sentence table, and the match records
        (``None`` without ``records``; see :meth:`_records` for ``text`` and ``sentences``)."""
        cells = self.cells()
        where = {cell: k for k, cell in enumerate(cells)}
        counts, denominators, found = [], [], self._records(text, sentences) if records else None
        sentence_counts, sentence_words = [], []  # per document: sentences x cells arrays
        languages, read = {}, []
        for d, doc in corpus.iter_tokens():
            languages[d] = doc.language
            family = self.reading(doc.language)
            if family is None:
                continue
            read.append(d)
            matches = family.find(doc)
            per_sentence = sentence_tokens(doc, voiced=self.voiced)
            shape = (len(per_sentence[ALL]), len(cells))
            if matches:  # each match's sentence and cell, counted as arrays (a Counter per match took 0.35 s on 10 MB)
                first = np.fromiter((f.token_start for f in matches), np.int64, len(matches))
                sentence = doc.token_sentence[first] if len(doc) else np.zeros(len(matches), np.int64)
                cell = np.fromiter((where[f.category, f.voice] for f in matches), np.int64, len(matches))
                grid = np.bincount(sentence * shape[1] + cell, minlength=shape[0] * shape[1]).reshape(shape)
                total = grid.sum(axis=0)
                counts.extend((d, *cells[k], int(total[k])) for k in np.flatnonzero(total).tolist())
                if records:
                    found.extend(d, doc, matches, sentence)
            else:
                grid = np.zeros(shape, dtype=np.int64)
            denominators.extend((d, v, n) for v, n in family.tokens(doc).items())
            sentence_counts.append(grid)
            sentence_words.append(np.column_stack([per_sentence[v] for _, v in cells]).astype(np.int64)
                                    if cells else grid)
        self.left_out(languages)
        rows = sentence_grid(read, sentence_counts, sentence_words, cells)
        names = {"voiced": self.voiced, "family": self.name, "lexicon": self.lexicon.name, "lexicon_id": self.lexicon.id}
        table = self._covered(feature_table(read, counts, denominators, cells=cells, **names), languages)
        matches = found.frame() if records else None
        return table, self._covered(sentence_table(rows, **names), languages), matches


def _shared(column: pd.Series) -> list:
    """A column's values as a list, each distinct value one object (a category's name, not a copy per row)."""
    if isinstance(column.dtype, pd.CategoricalDtype) and not column.isna().any():
        names = np.asarray(column.cat.categories, dtype=object)
        return names[column.cat.codes.to_numpy()].tolist()
    return column.tolist()


class _Extended(Mapping):
    """A remembered pass made of another (:meth:`Family._counted_beyond`): each table (``features``,
    ``sentences``, ``spans``) is, when first asked for, the rows of the documents the other pass holds,
    read from it, and the rows counted for the others, in this corpus's order. The tables are those of
    a pass over the whole corpus, row for row and dtype for dtype (tests hold it): each document's rows
    depend on that document alone. Only the table asked for is joined: notebook 09's recount of a
    corpus with 1,017 of 10,000 documents edited asks for the features alone, and joining and storing
    the sentence table too (two million rows) took 3.7 s and 340 MB beside it."""

    NAMES = ("features", "sentences", "spans")

    def __init__(self, family: "Family", tables: "Mapping[str, pd.DataFrame]"):
        self.family, self.tables = family, tables
        base = entry_of(str(tables[EXTENDS]["key"].iloc[0]))
        self.base = _Extended(family, base) if EXTENDS in base else base  # a pass may extend one that extends another
        self._made: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name == DOCUMENTS:
            return self.tables[DOCUMENTS]
        if name not in self.NAMES:
            raise KeyError(name)
        if name not in self._made:
            self._made[name] = self._joined(name)
        return self._made[name]

    def release(self, name: str) -> pd.DataFrame:
        """The table ``name``, no longer held here (as :meth:`framing.cache.Stored.release`)."""
        table = self[name]
        self._made.pop(name, None)
        return table

    def __iter__(self):
        return iter((*self.NAMES, DOCUMENTS))

    def __len__(self) -> int:
        return len(self.NAMES) + 1

    def _joined(self, name: str) -> pd.DataFrame:
        ids = self.tables[DOCUMENTS]["doc_id"].astype(str).tolist()
        have = set(self.base[DOCUMENTS]["digest"])
        kept = {d for d, g in zip(ids, self.tables[DOCUMENTS]["digest"]) if g in have}
        position = pd.Series(np.arange(len(ids)), index=ids)
        counted = self.tables[f"new_{name}"] if f"new_{name}" in self.tables else None
        # column by column, from the remembered table read once and let go: a sentence table of
        # 10,000 documents is two million rows, and a copy of the whole per step held 500 MB more
        old = self.base.release(name)
        parts, where = [], []
        for part in (old, counted if counted is not None and len(counted) else None):
            if part is None:
                continue
            codes, names = pd.factorize(part["doc_id"])  # each document's name looked up once, not per row
            names = pd.Index(names.astype(str))
            rows = np.flatnonzero(names.isin(kept)[codes]) if part is old else np.arange(len(part))
            parts.append((part, rows))
            where.append(position.reindex(names).to_numpy()[codes[rows]])
        order = np.argsort(np.concatenate(where), kind="stable")
        columns = {}
        for column in list(old.columns):  # each column of the remembered table let go once it is taken
            values = [(part.pop(column) if part is old else part[column]).iloc[r] for part, r in parts]
            columns[column] = (pd.concat(values, ignore_index=True) if len(values) > 1 else values[0]).take(order)
            columns[column].index = pd.RangeIndex(len(order))
            del values
        table = pd.DataFrame(columns, copy=False)
        if name != "spans":
            return table
        rows = self.family._records(text=False, sentences=True)  # the names as a pass makes them (categories of those present)
        return rows.frame({n: table[n].to_numpy() if n in _Records.NUMBERS else _shared(table[n]) for n in rows.names})


class _Records:
    """Match records gathered column by column: texts as lists of the strings the matches share
    (a category, a pattern), numbers in typed arrays, rather than a tuple per match (the 436,000
    stance matches of 10,000 news documents held 112 MB as tuples, 35 MB as columns)."""

    NUMBERS = ("start", "end", "token_start", "token_end", "sentence_start", "sentence_end")

    def __init__(self, family: Family, text: bool, sentences: bool = False):
        from array import array

        self.family, self.text, self.with_sentences = family, text, sentences
        self.names = ((MATCH_COLUMNS if text else MATCH_SPAN_COLUMNS) + list(family.extra_columns)
                      + (["sentence_start", "sentence_end"] if sentences else []))
        self.columns = {name: array("q") if name in self.NUMBERS else [] for name in self.names}

    def extend(self, doc_id: str, doc: TokenizedText, found: list[Found], sentence: np.ndarray) -> None:
        """The records of one document's matches ``found``, ``sentence`` holding each one's sentence
        (an index into ``doc.sentences``): what :meth:`add` gives for each, gathered a column at a time
        (on 10 MB of news, 436,000 stance matches took 0.84 s one by one)."""
        category, pattern, token_start, token_end, start, end, voice, extra = zip(*found)
        c = self.columns
        c["doc_id"].extend([doc_id] * len(found))
        c["category"].extend(category)
        c["pattern"].extend(pattern)
        c["start"].extend(start)
        c["end"].extend(end)
        c["token_start"].extend(token_start)
        c["token_end"].extend(token_end)
        c["voice"].extend(voice)
        if self.text:
            c["text"].extend([doc.text[a:b] for a, b in zip(start, end)])
            c["sentence"].extend([doc.sentence_of(t) for t in token_start])
        for k, name in enumerate(self.family.extra_columns):
            c[name].extend([values[k] for values in extra])
        if self.with_sentences:  # the span sentence_of cuts
            if doc.sentences:
                bounds = np.asarray(doc.sentences, dtype=np.int64)[sentence]
                c["sentence_start"].extend(bounds[:, 0].tolist())
                c["sentence_end"].extend(bounds[:, 1].tolist())
            else:
                c["sentence_start"].extend([0] * len(found))
                c["sentence_end"].extend([len(doc.text)] * len(found))

    def add(self, doc_id: str, doc: TokenizedText, f: Found) -> None:
        """The record of match ``f`` of document ``doc_id``."""
        c = self.columns
        c["doc_id"].append(doc_id)
        c["category"].append(f.category)
        c["pattern"].append(f.pattern)
        c["start"].append(f.start)
        c["end"].append(f.end)
        c["token_start"].append(f.token_start)
        c["token_end"].append(f.token_end)
        c["voice"].append(f.voice)
        if self.text:
            c["text"].append(doc.text[f.start : f.end])
            c["sentence"].append(doc.sentence_of(f.token_start))
        for name, value in zip(self.family.extra_columns, f.extra):
            c[name].append(value)
        if self.with_sentences:  # the span sentence_of cuts
            a, b = doc.sentences[int(doc.token_sentence[f.token_start])] if doc.sentences else (0, len(doc.text))
            c["sentence_start"].append(a)
            c["sentence_end"].append(b)

    def frame(self, columns: dict | None = None) -> pd.DataFrame:
        """The records as a table; ``columns`` (each name's values, in :attr:`names` order) replace those gathered."""
        columns = self.columns if columns is None else columns
        n = len(columns["doc_id"])
        whole = {"family": [self.family.name] * n, "lexicon": [self.family.lexicon.name] * n}
        if not n:  # no match: text columns of text, not floats
            texts = partial(np.array, dtype=object)
        elif self.text:
            texts = list
        else:  # spans for a page: each name held once (categories)
            texts = pd.Categorical
        return pd.DataFrame({name: np.asarray(columns[name], dtype=np.int64).copy() if name in self.NUMBERS
                             else texts(whole.get(name, columns[name])) for name in self.names})
