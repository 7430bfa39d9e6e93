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

import codecs
import io
import json
import re
import warnings
from pathlib import Path

import pandas as pd

from framing.clean import CleaningRule, clean_text, load_rules
from framing.errors import FramingError
from framing.tokens import TokenizedText, tokenize

TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
RESERVED = ("doc_id", "text", "clean_text", "is_empty", "file")
_SURROGATE = re.compile("[\ud800-\udfff]")


class Corpus:
    """Documents, one row each, plus their tokens computed once.

    Attributes
    ----------
    documents : pandas.DataFrame
        ``doc_id``, metadata columns, ``text`` (as read), ``clean_text`` (after
        cleaning) and ``is_empty`` (no word tokens: rates are NaN for it).
    cleaning_report : pandas.DataFrame
        ``doc_id``, ``line``, ``rule``, ``text``: every line cleaning removed.
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
            cleaning_report if cleaning_report is not None else pd.DataFrame(columns=["doc_id", "line", "rule", "text"])
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
            self._tokens = {d: tokenize(text) for d, text in zip(self.documents["doc_id"], self.documents["clean_text"])}
        return self._tokens

    def iter_tokens(self):
        """``(doc_id, TokenizedText)`` of each document in order: from :attr:`tokens` if they were
        computed, else tokenized one at a time and not kept (for a pass over a large corpus)."""
        if self._tokens is not None:
            yield from self._tokens.items()
            return
        for doc_id, text in zip(self.documents["doc_id"], self.documents["clean_text"]):
            yield doc_id, tokenize(text)

    def overview(self) -> pd.DataFrame:
        """One row per document: ``doc_id``, metadata, ``n_tokens``, ``n_sentences``, ``lines_removed``, ``is_empty``."""
        removed = self.cleaning_report.groupby("doc_id").size()
        table = pd.DataFrame({
            "doc_id": self.doc_ids,
            "n_tokens": [self.tokens[d].n_words for d in self.doc_ids],
            "n_sentences": [len(self.tokens[d].sentences) for d in self.doc_ids],
            "lines_removed": [int(removed.get(d, 0)) for d in self.doc_ids],
            "is_empty": self.documents["is_empty"].to_numpy(),
        })
        return self.with_metadata(table)

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
        if by == "doc_id":
            return pd.Series(self.doc_ids, index=self.doc_ids, name="doc_id")
        return self.documents.set_index("doc_id")[by].astype("object").where(lambda s: s.notna(), "(none)").astype(str)

    def select(self, doc_ids) -> "Corpus":
        """A corpus of the given documents (tokens are shared, not recomputed)."""
        wanted = list(doc_ids)
        unknown = sorted(set(wanted) - set(self.doc_ids))
        if unknown:
            raise FramingError(f"unknown doc_id {', '.join(map(repr, unknown[:5]))}; see the corpus's doc_id column")
        docs = self.documents[self.documents["doc_id"].isin(wanted)]
        tokens = None if self._tokens is None else {d: self._tokens[d] for d in docs["doc_id"]}
        return Corpus(docs, self.cleaning_report[self.cleaning_report["doc_id"].isin(wanted)], self.source, tokens=tokens)


def load_corpus(
    source: "str | Path | pd.DataFrame",
    *,
    text_col: str | None = None,
    id_col: str | None = None,
    clean: bool = True,
    cleaning_rules: "str | Path | tuple[CleaningRule, ...] | None" = None,
) -> Corpus:
    """Load documents and metadata, clean them with a report, and return a :class:`Corpus`.

    Parameters
    ----------
    source : path or DataFrame
        Folder of ``.txt`` files (optional ``manifest.csv``), a folder of ``.parquet``
        files, a ``.txt``, ``.csv``, ``.jsonl``, ``.parquet``, ``.csv.gz`` or ``.jsonl.gz``
        file, or a DataFrame. For corpora larger than memory, :mod:`framing.stream`
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

    Examples
    --------
    >>> import pandas as pd
    >>> corpus = load_corpus(pd.DataFrame({"text": ["The regime fell.", "Votes"], "outlet": ["A", "B"]}))
    >>> corpus.documents[["doc_id", "outlet", "clean_text"]].values.tolist()
    [['doc00001', 'A', 'The regime fell.'], ['doc00002', 'B', 'Votes']]
    """
    if isinstance(source, pd.DataFrame):
        frame, origin = _from_frame(source.copy(), text_col, id_col, "DataFrame"), "DataFrame"
    else:
        path = Path(source)
        origin = str(path)
        check_source(path)
        if (path.is_dir() or path.suffix.lower() == ".txt") and text_col is not None:
            raise FramingError(
                f"{path}: --text-col/text_col applies to tables (.csv, .jsonl, .parquet), not to .txt files; leave it out"
            )
        if _streamed_only(path):  # gzipped tables, folders of Parquet files: the batch reader, concatenated
            from framing.stream import document_batches

            frame = pd.concat([b.frame for b in document_batches(path, text_col=text_col, id_col=id_col)],
                              ignore_index=True)
        elif path.is_dir():
            frame = _from_folder(path, id_col)
        elif path.suffix.lower() == ".txt":
            if id_col is not None:
                raise FramingError(f"{path}: --id-col/id_col applies to tables and manifests, not to one .txt file; leave it out")
            frame = pd.DataFrame({"doc_id": [path.stem], "text": [_read_txt(path)]})
        elif path.suffix.lower() in TABLE_SUFFIXES:
            frame = _from_frame(_read_table(path), text_col, id_col, str(path))
        else:
            raise FramingError(
                f"{path}: unsupported file type '{path.suffix}'; use a folder of .txt files or a {', '.join(TABLE_SUFFIXES)} table"
            )
    return _finish(frame, clean=clean, rules=cleaning_rules, origin=origin)


def _streamed_only(path: Path) -> bool:
    if path.is_dir():
        return not any(p.suffix.lower() == ".txt" for p in path.iterdir()) and any(
            p.suffix.lower() == ".parquet" for p in path.iterdir())
    return path.name.lower().endswith((".csv.gz", ".jsonl.gz"))


_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(raw: bytes, origin: "str | Path", *, strict: bool = False) -> str:
    """Decode the bytes of a file: a byte-order mark (UTF-8, UTF-16, UTF-32) sets the
    encoding and is dropped; otherwise UTF-8.

    Invalid UTF-8 is replaced with U+FFFD and warned about (the document is kept), or
    with ``strict=True`` (tables, whose rows the replacement could shift) refused.
    Text that is mostly NUL characters is UTF-16 without a byte-order mark: refused,
    because it would decode to words no lexicon matches.

    Examples
    --------
    >>> decode_text("\ufeffregime".encode("utf-16-le"), "a.txt")
    'regime'
    """
    encoding, skip = "utf-8", 0
    for bom, name in _BOMS:
        if raw.startswith(bom):
            encoding, skip = name, len(bom)
            break
    try:
        text = raw[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        if strict or encoding != "utf-8":
            raise FramingError(
                f"{origin}: not valid {encoding.upper()} (byte {exc.start + skip}); re-save the file as UTF-8"
            ) from None
        text = raw[skip:].decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        warnings.warn(
            f"{origin}: invalid UTF-8 at byte {exc.start}; {bad} character(s) replaced with U+FFFD (document kept). "
            "Re-save the file as UTF-8 to silence this.",
            stacklevel=5,
        )
    nuls = text.count("\x00")
    if nuls and nuls * 4 >= len(text):
        raise FramingError(
            f"{origin}: every other byte is NUL, so this looks like UTF-16 without a byte-order mark; "
            "re-save the file as UTF-8"
        )
    return text


def check_source(path: Path) -> None:
    """A corpus on disk is a regular file or a folder: a pipe (FIFO), a device or a socket would
    block a read forever or never end, so it is a one-line error instead."""
    if not path.exists():
        raise FramingError(f"{path}: no such file or folder; give a folder of .txt files or a .csv/.jsonl/.parquet table")
    if not (path.is_file() or path.is_dir()):
        raise FramingError(f"{path}: not a regular file or folder (a pipe, a device or a socket); save the corpus to a file first")


def _read_bytes(path: Path) -> bytes:
    if path.exists() and not path.is_file():
        raise FramingError(f"{path}: not a regular file (a pipe, a device or a socket); save it to a file first")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FramingError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _read_txt(path: Path) -> str:
    return decode_text(_read_bytes(path), path)


def _from_folder(folder: Path, id_col: str | None) -> pd.DataFrame:
    frame = folder_table(folder, id_col)
    frame["text"] = [_read_txt(folder / name) for name in frame["file"]]
    return frame


def warn_unread(folder: Path, read: list[Path], kind: str) -> None:
    """One warning naming what a corpus folder holds besides the files read (a .csv among
    .parquet files, a subfolder with files of the kind read, which are not read since folders
    are not searched below their top level): nothing is left out without a word. Hidden
    files, the folder's manifest and subfolders of other files (the seeds' ``validation/``)
    are not named."""
    taken = {p.name for p in read} | {"manifest.csv"}

    def unread(p: Path) -> bool:
        if p.name in taken or p.name.startswith("."):
            return False
        if p.is_dir():
            return any(c.suffix.lower() == kind for c in p.iterdir())
        return True

    other = sorted(p.name + ("/" if p.is_dir() else "") for p in folder.iterdir() if unread(p))
    if other:
        shown = ", ".join(other[:8]) + (f" and {len(other) - 8} more" if len(other) > 8 else "")
        warnings.warn(f"{folder}: a folder of {kind} files; not read: {shown}", stacklevel=3)


def folder_table(folder: Path, id_col: str | None) -> pd.DataFrame:
    """The documents of a folder of ``.txt`` files, without their texts: ``file``, ``doc_id``
    and the manifest's metadata, checked (so a stream can read the texts batch by batch)."""
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".txt")
    warn_unread(folder, files, ".txt")
    for p in files:
        if not p.is_file():
            what = "a folder" if p.is_dir() else "a broken or looping symbolic link" if p.is_symlink() else "not a file"
            raise FramingError(f"{p}: {what}, not a readable .txt file; fix it or move it out of {folder}")
    manifest_path = folder / "manifest.csv"
    if not files:
        raise FramingError(f"{folder}: no .txt files in this folder")
    frame = pd.DataFrame({"file": [p.name for p in files]})
    if manifest_path.exists():
        manifest = _read_table(manifest_path)
        if "file" not in manifest.columns:
            raise FramingError(f"{manifest_path}: needs a 'file' column naming each .txt file; has {', '.join(manifest.columns)}")
        blank = manifest["file"].isna() | (manifest["file"].astype(str).str.strip() == "")
        if blank.any():
            raise FramingError(f"{manifest_path}: empty 'file' cell at line {int(blank.idxmax()) + 2}; name a .txt file or remove the row")
        _check_reserved(manifest.columns, manifest_path, allowed=("doc_id", "file"))
        dup = manifest["file"][manifest["file"].duplicated()].tolist()
        if dup:
            raise FramingError(f"{manifest_path}: file {dup[0]!r} is listed twice; keep one row per file")
        missing = sorted(set(manifest["file"]) - set(frame["file"]))
        if missing:
            raise FramingError(
                f"{manifest_path}: rows name files that are not in {folder}: {', '.join(missing)}; fix the names or remove the rows"
            )
        unlisted = sorted(set(frame["file"]) - set(manifest["file"]))
        if unlisted:
            warnings.warn(
                f"{manifest_path}: no row for {', '.join(unlisted)}; loaded with empty metadata. Add rows to the manifest.",
                stacklevel=3,
            )
        frame = frame.merge(manifest, on="file", how="left", suffixes=("", "_manifest"))
    if id_col is not None and id_col not in frame.columns:
        raise FramingError(f"{manifest_path}: unknown id column '{id_col}'; available: {', '.join(frame.columns)}")
    id_source = id_col or ("doc_id" if "doc_id" in frame.columns else None)
    stems = frame["file"].str.replace(r"\.txt$", "", regex=True, case=False)
    frame["doc_id"] = frame[id_source].where(frame[id_source].notna(), stems) if id_source else stems
    _check_unique_ids(frame, folder, label="file", id_col=id_col)
    return frame


def check_csv_header(columns, origin) -> None:
    """pandas renames a repeated CSV column ``text`` to ``text.1``, and reading would silently
    take the first: a repeated name is an error naming it instead."""
    names = [str(c) for c in columns]
    for name in names:
        match = re.fullmatch(r"(.+)\.(\d+)", name)
        if match and match.group(1) in names:
            raise FramingError(f"{origin}: column '{match.group(1)}' appears twice in the header; give every column its own name")


def _read_table(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            text = decode_text(_read_bytes(path), path, strict=True)
            table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
            check_csv_header(table.columns, path)
            return table
        if suffix == ".jsonl":
            return _read_jsonl(path)
        return pd.read_parquet(path)
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        if isinstance(exc, FramingError):
            raise
        if isinstance(exc, pd.errors.EmptyDataError):
            raise FramingError(f"{path}: the table is empty (no header, no rows); it needs a header and one row per document") from None
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FramingError(f"{path}: cannot read this {suffix} table ({first})") from None


def _read_jsonl(path: Path) -> pd.DataFrame:
    """One JSON object per line; blank lines are allowed. Lone surrogates (``"\\ud800"``),
    which UTF-8 cannot hold, become U+FFFD with a warning naming the line."""
    rows, repaired = [], []
    for number, line in enumerate(decode_text(_read_bytes(path), path, strict=True).splitlines(), start=1):
        if line.strip():
            rows.append(json_row(line, number, path, repaired))
    warn_repaired(path, repaired, stacklevel=5)
    return pd.DataFrame(rows)


def json_row(line: str, number: int, path, repaired: list[int]) -> dict:
    """One JSON object of a JSONL file; lone surrogates become U+FFFD (their line noted in ``repaired``)."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise FramingError(f"{path}: line {number}: not valid JSON ({exc.msg} at column {exc.colno}); one object per line") from None
    if not isinstance(row, dict):
        raise FramingError(f"{path}: line {number}: expected a JSON object {{...}}, got {type(row).__name__}")
    for key, value in row.items():
        if isinstance(value, str) and _SURROGATE.search(value):
            row[key] = _SURROGATE.sub("\ufffd", value)
            repaired.append(number)
    return row


def warn_repaired(path, repaired: list[int], *, stacklevel: int) -> None:
    """One warning for the lines of a JSONL file whose lone surrogates were replaced."""
    if repaired:
        warnings.warn(
            f"{path}: lone surrogate escapes (\\ud800-\\udfff) on line(s) {', '.join(map(str, sorted(set(repaired))[:10]))} "
            "replaced with U+FFFD (rows kept); they are half of a character, which UTF-8 cannot hold",
            stacklevel=stacklevel,
        )


def _from_frame(frame: pd.DataFrame, text_col: str | None, id_col: str | None, origin: str, *,
                first_row: int = 0) -> pd.DataFrame:
    """Validate a table of documents (``first_row``: the position of its first row in the
    whole table, for row numbers in errors and default ids when it is read in batches)."""
    text_col = "text" if text_col is None else text_col
    if isinstance(frame.columns, pd.MultiIndex):
        raise FramingError(f"{origin}: the columns have several levels (a MultiIndex); flatten them to one level of names")
    names = pd.Index(map(str, frame.columns))
    if names.duplicated().any():
        raise FramingError(f"{origin}: column {names[names.duplicated()][0]!r} appears twice; give every column its own name")
    frame.columns = names
    if frame.empty:
        raise FramingError(f"{origin}: the table has no rows; it needs one row per document")
    if text_col not in frame.columns:
        raise FramingError(f"{origin}: unknown text column '{text_col}'; available: {', '.join(map(str, frame.columns))}")
    if id_col is not None and id_col not in frame.columns:
        raise FramingError(f"{origin}: unknown id column '{id_col}'; available: {', '.join(map(str, frame.columns))}")
    frame.index = pd.RangeIndex(first_row, first_row + len(frame))
    texts = frame.pop(text_col)
    _check_text_cells(texts, origin, text_col)
    if id_col is None and "doc_id" in frame.columns:
        id_col = "doc_id"
    if id_col is not None:
        ids = frame.pop(id_col)
        blank = ids.isna() | (ids.astype(str).str.strip() == "")
        if blank.any():
            row = int(blank.idxmax()) + 2 if origin.endswith(".csv") else int(blank.idxmax()) + 1  # as duplicates count
            raise FramingError(f"{origin}: empty {id_col} at row {row}; every document needs an id")
        ids = ids.astype(str)
    else:
        ids = pd.Series([f"doc{i + 1:05d}" for i in frame.index], index=frame.index)
    _check_reserved(frame.columns, origin, allowed=())
    frame.insert(0, "doc_id", ids)
    frame["text"] = texts.astype("object").where(texts.notna(), "").astype(str)
    _check_unique_ids(frame, origin, label="row", id_col=id_col if id_col != "doc_id" else None)
    return frame.reset_index(drop=True)


def _row_label(origin, index: int) -> str:
    """How a user finds row ``index`` (0-based) of a table: the file line for CSV/JSONL, the row number otherwise."""
    text = str(origin).lower()
    if text.endswith(".csv"):
        return f"line {index + 2}"
    return f"row {index + 1}"


def _check_text_cells(texts: pd.Series, origin, text_col: str) -> None:
    """Text cells must be strings (or missing): a JSON object or a number is refused,
    rather than counted through its Python repr."""
    if texts.dtype == object or pd.api.types.is_string_dtype(texts):
        bad = [i for i, v in enumerate(texts.tolist()) if not (isinstance(v, str) or v is None or (isinstance(v, float) and v != v))]
    else:
        bad = [i for i, v in enumerate(texts.tolist()) if not pd.isna(v)]
    if bad:
        value = texts.iloc[bad[0]]
        raise FramingError(
            f"{origin}: {_row_label(origin, int(texts.index[bad[0]]))}: the {text_col!r} cell is a {type(value).__name__}, not text; "
            f"every text cell must be a string ({len(bad)} such row(s))"
        )


def _check_reserved(columns, origin, *, allowed) -> None:
    """Metadata may not take the names of the columns a corpus adds (``text``, ``clean_text``, ``is_empty``...)."""
    for name in map(str, columns):
        if name in RESERVED and name not in allowed:
            raise FramingError(
                f"{origin}: metadata column {name!r} has the name of a column framing adds "
                f"({', '.join(RESERVED)}); rename it in your data"
            )


def _check_unique_ids(frame: pd.DataFrame, origin, *, label: str, id_col: str | None = None) -> None:
    dup = frame["doc_id"].duplicated(keep=False)
    if dup.any():
        first_id = frame.loc[dup, "doc_id"].iloc[0]
        rows = frame.index[frame["doc_id"] == first_id].tolist()
        where = (
            " and ".join(frame.loc[rows, "file"].tolist()[:2])
            if label == "file"
            else " and ".join(str(r + 1) for r in rows[:2])
        )
        fix = "fix them or choose another --id-col" if id_col else "fix them or name a unique column with --id-col"
        raise FramingError(f"{origin}: duplicate doc_id '{first_id}' in {label}s {where}; ids must be unique ({fix})")


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


def _finish(frame: pd.DataFrame, *, clean: bool, rules, origin: str) -> Corpus:
    corpus = clean_documents(frame, clean=clean, rules=rules, origin=origin)
    warn_empty(origin, empty_documents(corpus), stacklevel=4)
    return corpus


def clean_documents(frame: pd.DataFrame, *, clean: bool, rules, origin: str) -> Corpus:
    """A :class:`Corpus` of validated documents (``doc_id``, metadata, ``text``): each
    document cleaned on its own, a pure function of its text and the rules. Says nothing
    about empty documents (``is_empty``): the caller warns once for the whole corpus."""
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
            report.extend((doc_id, r.line, r.rule, r.text) for r in removed)
        frame["clean_text"] = cleaned
        report_frame = pd.DataFrame(report, columns=["doc_id", "line", "rule", "text"])
    else:
        frame["clean_text"] = frame["text"]
        report_frame = None
    frame["is_empty"] = ~frame["clean_text"].str.contains(r"\w", regex=True)
    meta = [c for c in frame.columns if c not in ("doc_id", "text", "clean_text", "is_empty")]
    frame = frame[["doc_id", *meta, "text", "clean_text", "is_empty"]]
    return Corpus(frame, report_frame, origin)
