"""Load a corpus: files, tables or DataFrames in; one row per document, cleaned and tokenized once.

:func:`load_corpus` accepts

* a folder of ``.txt`` files, with an optional ``manifest.csv`` whose ``file`` column
  names each file and whose other columns (``doc_id``, ``outlet``, ...) become metadata;
* a table file (``.csv``, ``.jsonl``, ``.parquet``) with a text column and any metadata;
* a single ``.txt`` file;
* a pandas DataFrame.

Bad input gets a one-line :class:`~framing.errors.FramingError` naming the file,
row or column; recoverable problems (invalid UTF-8, empty documents, files missing
from the manifest) are warnings, and the document is kept, never dropped.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from framing.cache import (
    Stored,
    cache_folder,
    code_key,
    digest,
    documents_key,
    remembered,
)
from framing.documents.clean import CleaningRule, clean_text, load_rules
from framing.documents.language import LANGUAGE, languages_of, set_languages
from framing.documents.read import BATCH_CHARS, WHOLE, _from_frame, document_batches
from framing.documents.tokens import TokenizedText, tokenize
from framing.errors import FramingError
from framing.groups import default_target

REPORT_COLUMNS = ["doc_id", "line", "rule", "text", "action"]
"""The cleaning report: each removed line (``action`` ``removed``) and each line whose mojibake an
``encoding`` rule repaired (``repaired``), with the line as it was in ``text``."""
from framing.tables import group_labels


class Corpus:
    """Documents, one row each, plus their tokens computed once.

    Attributes
    ----------
    documents : pandas.DataFrame
        ``doc_id``, metadata columns, ``text`` (as read), ``clean_text`` (after
        cleaning) and ``is_empty`` (no word tokens: rates are NaN for it).
    cleaning_report : pandas.DataFrame
        ``doc_id``, ``line``, ``rule``, ``text``, ``action``: every line cleaning removed, and
        every line whose mojibake it repaired (:data:`REPORT_COLUMNS`).
    source : str
        Where the corpus came from.
    """

    def __init__(
        self,
        documents: pd.DataFrame,
        cleaning_report: pd.DataFrame | None = None,
        source: str = "",
        *,
        tokens: "dict[str, TokenizedText] | None" = None,
    ):
        self.documents = documents.reset_index(drop=True)
        self.cleaning_report = (
            cleaning_report if cleaning_report is not None else pd.DataFrame(columns=REPORT_COLUMNS)
        )
        self.source = source
        self._tokens = tokens

    def __len__(self) -> int:
        return len(self.documents)

    def __repr__(self) -> str:
        return f"<Corpus {len(self)} documents from {self.source or 'memory'}; metadata: {', '.join(self.metadata_columns) or 'none'}>"

    @property
    def doc_ids(self) -> list[str]:
        return self.documents["doc_id"].tolist()

    @property
    def metadata_columns(self) -> list[str]:
        """Columns other than the id and the texts (e.g. ``outlet``, ``affiliation``)."""
        return [c for c in self.documents.columns if c not in ("doc_id", "text", "clean_text", "is_empty")]

    @property
    def tokens(self) -> dict[str, TokenizedText]:
        """Tokens, sentences and quotations of each document's ``clean_text``, computed on first use."""
        if self._tokens is None:
            self._tokens = dict(self._tokenized())
        return self._tokens

    def iter_tokens(self):
        """``(doc_id, TokenizedText)`` of each document in order: from :attr:`tokens` if they were
        computed, else tokenized one at a time and not kept (for a pass over a large corpus)."""
        if self._tokens is not None:
            yield from self._tokens.items()
            return
        yield from self._tokenized()

    @property
    def document_languages(self):
        """Each document's language, in order, as its tokens are read (``None`` each without a ``language`` column)."""
        docs = self.documents
        return docs[LANGUAGE] if LANGUAGE in docs.columns else [None] * len(docs)

    def _tokenized(self):
        docs = self.documents
        known = self._known_sentences()
        for i, (doc_id, text, language) in enumerate(zip(docs["doc_id"], docs["clean_text"], self.document_languages)):
            doc = tokenize(text, language)
            if known is not None:
                doc.remember_sentences(known(i))
            yield doc_id, doc

    @property
    def languages(self) -> list[str]:
        """The languages of the documents, most documents first, ties by code (``[]``: no ``language`` column)."""
        if LANGUAGE not in self.documents.columns:
            return []
        return languages_of(self.documents[LANGUAGE])

    def overview(self) -> pd.DataFrame:
        """One row per document: ``doc_id``, metadata, ``n_tokens``, ``n_sentences``, ``lines_removed``,
        ``lines_repaired`` (mojibake repaired by an ``encoding`` cleaning rule), ``is_empty``."""
        report = self.cleaning_report
        action = report["action"] if "action" in report.columns else pd.Series("removed", index=report.index)
        removed = report[action == "removed"].groupby("doc_id").size()
        repaired = report[action == "repaired"].groupby("doc_id").size()
        sizes = self._sizes()
        table = pd.DataFrame({
            "doc_id": self.doc_ids,
            "n_tokens": sizes["n_tokens"].to_numpy(),
            "n_sentences": sizes["n_sentences"].to_numpy(),
            "lines_removed": [int(removed.get(d, 0)) for d in self.doc_ids],
            "lines_repaired": [int(repaired.get(d, 0)) for d in self.doc_ids],
            "is_empty": self.documents["is_empty"].to_numpy(),
        })
        return self.with_metadata(table)

    def _sizes(self) -> pd.DataFrame:
        """Each document's word tokens and sentences, in one pass that keeps no tokens; remembered
        where a cache folder is set (:mod:`framing.cache`: the run record reads notebook 01's), with
        the sentences' spans, which later passes over the same documents read back
        (:meth:`_known_sentences`) instead of splitting the texts again."""
        def count():
            sizes, spans = [], []
            for _, doc in self.iter_tokens():
                sizes.append((doc.n_words, len(doc.sentences)))
                spans.extend(doc.sentences)
            return {"sizes": pd.DataFrame(np.array(sizes, dtype=np.int64).reshape(-1, 2), columns=["n_tokens", "n_sentences"]),
                    SPANS: pd.DataFrame(np.array(spans, dtype=np.int64).reshape(-1, 2), columns=["start", "end"])}

        return remembered(self._sizes_key(), count)[0]["sizes"]

    def _sizes_key(self) -> str:
        return digest("sizes", documents_key(self.documents), code_key())

    def _known_sentences(self):
        """Where a cache folder holds this corpus's sizes (:meth:`_sizes`, notebook 01 of a run), a
        function giving document ``i``'s sentence spans as they were split then; else ``None``."""
        folder = cache_folder()
        entry = None if folder is None else folder / self._sizes_key()
        if entry is None or not (entry / f"{SPANS}.parquet").is_file():
            return None
        stored = Stored(entry)
        spans, counts = stored[SPANS], stored["sizes"]["n_sentences"].to_numpy()
        starts, ends = spans["start"].tolist(), spans["end"].tolist()
        first = np.concatenate([[0], np.cumsum(counts)]).tolist()
        return lambda i: tuple(zip(starts[first[i]:first[i + 1]], ends[first[i]:first[i + 1]]))

    def metadata(self) -> pd.DataFrame:
        """``doc_id`` and the metadata columns."""
        return self.documents[["doc_id", *self.metadata_columns]]

    def with_metadata(self, table: pd.DataFrame) -> pd.DataFrame:
        """``table`` (keyed by ``doc_id``) with each document's metadata columns in front.

        A metadata column with the name of one of the table's own columns (``category``,
        ``count``...) is an error: neither may silently replace the other.
        """
        clash = [c for c in self.metadata_columns if c in table.columns]
        if clash:
            own = ", ".join(c for c in table.columns if c != "doc_id")
            raise FramingError(
                f"metadata column '{clash[0]}' has the name of a column of this result ({own}); rename it in your "
                "data, or keep only other metadata columns (framing features --meta COL ...)"
            )
        return self.metadata().merge(table, on="doc_id", how="right")

    def keep_metadata(self, columns) -> "Corpus":
        """The same documents (tokens shared) with only the named metadata columns."""
        keep = [self.check_column(c) for c in columns]
        if LANGUAGE in self.documents.columns and LANGUAGE not in keep:  # it decides how documents are read
            keep.append(LANGUAGE)
        drop = [c for c in self.metadata_columns if c not in keep]
        return Corpus(self.documents.drop(columns=drop), self.cleaning_report, self.source, tokens=self._tokens)

    def check_column(self, column: str) -> str:
        """Return ``column`` if it is a metadata column, else raise an error listing those available."""
        if column not in self.documents.columns or column in ("text", "clean_text"):
            raise FramingError(
                f"unknown column '{column}'; available: {', '.join(['doc_id', *self.metadata_columns]) or 'doc_id'}"
            )
        return column

    def groups(self, by: str) -> pd.Series:
        """The value of column ``by`` for each document, indexed by ``doc_id`` (missing shown as ``(none)``)."""
        self.check_column(by)
        return group_labels(self.documents, by)

    def default_target(self, by: str) -> str:
        """The group of ``by`` a comparison sets against the rest when nobody names one
        (:data:`framing.groups.DEFAULT_RULE`: the group with most documents, or the latest period)."""
        return default_target(self.groups(by).value_counts())

    def batches(self):
        """The corpus as its batches: itself, whole (as :meth:`CorpusFiles.batches` reads a file's)."""
        yield self

    def select(self, doc_ids) -> "Corpus":
        """A corpus of the given documents (tokens are shared, not recomputed)."""
        wanted = list(doc_ids)
        unknown = sorted(set(wanted) - set(self.doc_ids))
        if unknown:
            raise FramingError(f"unknown doc_id {', '.join(map(repr, unknown[:5]))}; see the corpus's doc_id column")
        docs = self.documents[self.documents["doc_id"].isin(wanted)]
        tokens = None if self._tokens is None else {d: self._tokens[d] for d in docs["doc_id"]}
        return Corpus(docs, self.cleaning_report[self.cleaning_report["doc_id"].isin(wanted)], self.source, tokens=tokens)


@dataclass(frozen=True)
class CorpusFiles:
    """A corpus on disk, read batch by batch as often as a method needs, never whole.

    Each batch is a :class:`Corpus` of consecutive documents, validated and cleaned as
    :func:`load_corpus` does, so a pass over the batches sees the same documents, in
    the same order, as a pass over the loaded corpus. Methods that must see the whole
    corpus twice (text reuse) take this instead of a :class:`Corpus` when the texts
    would not fit in memory.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "c.csv").write_text("doc_id,text\\na,One.\\nb,Two.\\n")
    >>> files = CorpusFiles(folder / "c.csv")
    >>> [doc_id for part in files.batches() for doc_id in part.doc_ids], files.metadata().columns.tolist()
    (['a', 'b'], ['doc_id'])
    """

    source: "str | Path"
    text_col: str | None = None
    id_col: str | None = None
    clean: bool = True
    cleaning_rules: "str | Path | tuple[CleaningRule, ...] | None" = None
    batch_chars: int = BATCH_CHARS
    language: str | None = None

    def batches(self):
        """Each batch as a :class:`Corpus`, in corpus order (empty documents are named in one warning at the end)."""
        rules = self.cleaning_rules if isinstance(self.cleaning_rules, tuple) or not self.clean else load_rules(self.cleaning_rules)
        empty: list[str] = []
        for batch in document_batches(self.source, text_col=self.text_col, id_col=self.id_col, batch_chars=self.batch_chars):
            part = clean_documents(batch.frame, clean=self.clean, rules=rules, origin=str(self.source),
                                   language=self.language)
            empty.extend(empty_documents(part))
            yield part
        warn_empty(str(self.source), empty)

    def check_column(self, column: str) -> str:
        """Return ``column`` if it is a metadata column (read from the first batch), else raise an error listing those available."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return next(self.batches()).check_column(column)

    def metadata(self) -> pd.DataFrame:
        """``doc_id`` and the metadata columns of every document (one pass; the texts are not kept)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the pass that reads the texts says it
            return pd.concat([part.metadata() for part in self.batches()], ignore_index=True)


SPANS = "sentence_spans"
"""The table of a corpus's remembered sizes holding its sentences' spans (``start``, ``end``), document after document."""


def load_corpus(
    source: "str | Path | pd.DataFrame",
    *,
    text_col: str | None = None,
    id_col: str | None = None,
    clean: bool = True,
    cleaning_rules: "str | Path | tuple[CleaningRule, ...] | None" = None,
    language: str | None = None,
) -> Corpus:
    """Load documents and metadata, clean them with a report, and return a :class:`Corpus`.

    Parameters
    ----------
    source : path or DataFrame
        Folder of ``.txt`` files (optional ``manifest.csv``), a folder of ``.parquet``
        files, a ``.txt``, ``.csv``, ``.jsonl``, ``.parquet``, ``.csv.gz`` or ``.jsonl.gz``
        file, or a DataFrame. For corpora larger than memory, :mod:`framing.engine`
        reads the same sources in batches.
    text_col : str, optional
        Column holding the text, for tables and DataFrames (default ``text``). Giving
        it for a folder or a ``.txt`` file is an error: it does not apply there.
    id_col : str, optional
        Column holding document ids. Default: ``doc_id`` if present, else for a
        folder the file name without ``.txt``, for a table ``doc00001``, ... by row.
    clean : bool
        Apply the cleaning rules (default True). ``text`` always keeps the raw text.
    cleaning_rules : path or rules, optional
        A user cleaning-rules TOML file (default: the bundled rules).
    language : str, optional
        The documents' language (:mod:`framing.documents.language`): ``None`` (default)
        reads a ``language`` column if the data has one (else the documents are read as
        English, as always); ``"detect"`` detects each document's, adding ``language`` and
        ``language_score``; a code (``"de"``) gives every document that language.

    Examples
    --------
    >>> import pandas as pd
    >>> corpus = load_corpus(pd.DataFrame({"text": ["The regime fell.", "Votes"], "outlet": ["A", "B"]}))
    >>> corpus.documents[["doc_id", "outlet", "clean_text"]].values.tolist()
    [['doc00001', 'A', 'The regime fell.'], ['doc00002', 'B', 'Votes']]
    """
    if isinstance(source, pd.DataFrame):
        frame, origin = _from_frame(source.copy(), text_col, id_col, "DataFrame"), "DataFrame"
    else:  # a corpus on disk is its batches, concatenated: one reader, one set of errors
        origin = str(source)
        batches = document_batches(source, text_col=text_col, id_col=id_col, batch_chars=WHOLE)
        frame = pd.concat([b.frame for b in batches], ignore_index=True)
    return _finish(frame, clean=clean, rules=cleaning_rules, origin=origin, language=language)


def empty_documents(corpus: Corpus) -> list[str]:
    """The documents left with no text, each named, and those whose every line a cleaning
    rule removed named with the rules ("d7 (removed whole by cleaning: related_headlines)"),
    so a corpus that a rule wipes out is not reported as empty input."""
    docs = corpus.documents
    empty = docs.loc[docs["is_empty"], ["doc_id", "text"]]
    report = corpus.cleaning_report
    out = []
    for doc_id, text in zip(empty["doc_id"], empty["text"]):
        rules = list(dict.fromkeys(report.loc[report["doc_id"] == doc_id, "rule"])) if str(text).strip() else []
        out.append(f"{doc_id} (removed whole by cleaning: {', '.join(rules)})" if rules else str(doc_id))
    return out


def warn_empty(origin: str, empty: list[str], *, stacklevel: int = 3) -> None:
    """One warning for the whole corpus naming its empty documents (:func:`empty_documents`)."""
    if not empty:
        return
    wiped = sum("(removed whole by cleaning" in e for e in empty)
    what = (f"{len(empty)} document(s) with no text left ({wiped} of them removed whole by cleaning rules: see "
            "framing corpus, or pass --no-clean)") if wiped else f"{len(empty)} empty or whitespace-only document(s)"
    warnings.warn(f"{origin}: {what} kept with NaN rates: {', '.join(empty[:10])}{' ...' if len(empty) > 10 else ''}",
                  stacklevel=stacklevel)


def _finish(frame: pd.DataFrame, *, clean: bool, rules, origin: str, language: str | None = None) -> Corpus:
    corpus = clean_documents(frame, clean=clean, rules=rules, origin=origin, language=language)
    warn_empty(origin, empty_documents(corpus), stacklevel=4)
    return corpus


def clean_documents(frame: pd.DataFrame, *, clean: bool, rules, origin: str, language: str | None = None) -> Corpus:
    """A :class:`Corpus` of validated documents (``doc_id``, metadata, ``text``): each
    document cleaned on its own, a pure function of its text and the rules, with its
    language (:func:`framing.documents.language.set_languages`: checked, given or detected).
    Says nothing about empty documents (``is_empty``): the caller warns once for the whole corpus."""
    frame = frame.copy()
    frame["doc_id"] = frame["doc_id"].astype(str)
    if clean:
        rule_set = rules if isinstance(rules, tuple) else load_rules(rules)
        cleaned, report = [], []
        for doc_id, text in zip(frame["doc_id"], frame["text"]):
            try:
                kept, removed = clean_text(text, rule_set)
            except FramingError as exc:
                raise FramingError(f"{origin}: document {doc_id}: {exc}") from None
            cleaned.append(kept)
            report.extend((doc_id, r.line, r.rule, r.text, r.action) for r in removed)
        frame["clean_text"] = cleaned
        report_frame = pd.DataFrame(report, columns=REPORT_COLUMNS)
    else:
        frame["clean_text"] = frame["text"]
        report_frame = None
    frame = set_languages(frame.assign(text=frame["clean_text"]), language, origin).assign(text=frame["text"])
    frame["is_empty"] = ~frame["clean_text"].str.contains(r"\w", regex=True)
    meta = [c for c in frame.columns if c not in ("doc_id", "text", "clean_text", "is_empty")]
    frame = frame[["doc_id", *meta, "text", "clean_text", "is_empty"]]
    return Corpus(frame, report_frame, origin)
