"""Reading every input format: folders of ``.txt`` files (with a manifest), tables (``.csv``,
``.jsonl``, ``.parquet``, gzipped or not, or folders of them) and DataFrames, validated with
one set of one-line errors. :func:`document_batches` yields a corpus in batches (what
:mod:`framing.engine` runs); :func:`framing.documents.corpus.load_corpus` reads a corpus whole through
the same readers.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import re
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pandas as pd

from framing.errors import FramingError
from framing.params import check_int
from framing.study import STUDY_FILE

RESERVED = ("doc_id", "text", "clean_text", "is_empty", "file")
_SURROGATE = re.compile("[\ud800-\udfff]")


BATCH_CHARS = 1_000_000
"""A batch holds about this many characters of text (and at least one document)."""
WHOLE = 1 << 62
"""``batch_chars`` for a corpus read whole (:func:`framing.load_corpus`): one batch, read from
disk in chunks of at most 100,000 rows, as every batch is."""
FIRST_ROWS = 8
"""Rows in the first batch of a table, before the rows per batch are set from its row sizes."""
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


def warn_unread(folder: Path, read: list[Path], kind: str) -> None:
    """One warning naming what a corpus folder holds besides the files read (a .csv among
    .parquet files, a subfolder with files of the kind read, which are not read since folders
    are not searched below their top level): nothing is left out without a word. Hidden
    files, the folder's manifest, its study file (:data:`framing.study.STUDY_FILE`) and
    subfolders of other files (the seeds' ``validation/``) are not named."""
    taken = {p.name for p in read} | {"manifest.csv", STUDY_FILE}

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
        manifest = _read_manifest(manifest_path)
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


def _read_manifest(path: Path) -> pd.DataFrame:
    """A folder's ``manifest.csv``, every cell as text."""
    try:
        text = decode_text(_read_bytes(path), path, strict=True)
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:
        raise FramingError(f"{path}: the manifest is empty; it needs a header with a 'file' column and a row per .txt file") from None
    except (ValueError, pd.errors.ParserError) as exc:
        if isinstance(exc, FramingError):
            raise
        raise FramingError(f"{path}: cannot read this .csv table ({str(exc).strip().splitlines()[0]})") from None
    check_csv_header(table.columns, path)
    return table


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



# --------------------------------------------------------------------------- reading in batches


STREAM_SUFFIXES = (".csv", ".csv.gz", ".jsonl", ".jsonl.gz", ".parquet")


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in sorted(STREAM_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Batch:
    """Validated documents (``doc_id``, metadata, ``text``) and where they sit in the corpus."""

    frame: pd.DataFrame
    first: int  # position of the first document in the corpus
    chars: int  # characters of text, for the progress bar's MB/s


def document_batches(
    source: "str | Path",
    *,
    text_col: str | None = None,
    id_col: str | None = None,
    batch_chars: int = BATCH_CHARS,
) -> Iterator[Batch]:
    """The documents of a corpus on disk, in order, in batches of about ``batch_chars``
    characters, validated as :func:`framing.load_corpus` validates them.

    ``source`` is a folder of ``.txt`` files (optional ``manifest.csv``), a folder of
    ``.parquet`` files, or a ``.csv``, ``.csv.gz``, ``.jsonl``, ``.jsonl.gz`` or ``.parquet``
    file. A duplicate id is an error wherever it is found; so is a table with no rows.
    """
    check_int("batch_chars", batch_chars, low=1)
    path = Path(source)
    check_source(path)
    folder_of_txt = path.is_dir() and any(p.suffix.lower() == ".txt" for p in path.iterdir())
    if (folder_of_txt or path.suffix.lower() == ".txt") and text_col is not None:
        raise FramingError(f"{path}: --text-col/text_col applies to tables (.csv, .jsonl, .parquet), not to .txt files; leave it out")
    files: list[Path] = []  # the tables read, whose declared columns every batch gets
    if folder_of_txt:
        frames = _txt_folder_frames(path, id_col, batch_chars)
    elif path.suffix.lower() == ".txt":
        if id_col is not None:
            raise FramingError(f"{path}: --id-col/id_col applies to tables and manifests, not to one .txt file; leave it out")
        frames = iter([pd.DataFrame({"doc_id": [path.stem], "text": [_read_txt(path)]})])
    elif path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".parquet")
        if not files:
            raise FramingError(f"{path}: no .txt or .parquet files in this folder")
        for p in files:
            if not p.is_file():
                raise FramingError(f"{p}: not a readable .parquet file (a folder, a pipe or a broken link); "
                                   f"fix it or move it out of {path}")
        warn_unread(path, files, ".parquet")
        frames = _table_frames(files, text_col, id_col, batch_chars, origin=str(path))
    elif _suffix(path) in STREAM_SUFFIXES:
        files = [path]
        frames = _table_frames(files, text_col, id_col, batch_chars, origin=str(path))
    else:
        raise FramingError(
            f"{path}: unsupported file type '{path.suffix}'; use a folder of .txt or .parquet files, or a "
            f"{', '.join(STREAM_SUFFIXES)} table"
        )
    columns = _declared_columns(path, files, text_col, id_col) if files else None
    seen: dict[str, int] = {}
    first = 0
    for frame in frames:
        if columns is not None:  # one schema for the whole output, whatever the batch size
            absent = [c for c in columns if c not in frame.columns]
            frame = frame.reindex(columns=["doc_id", *[c for c in columns if c not in ("doc_id", "text")], "text"])
            for column in absent:  # missing, not a number: the column's type comes from the batches that have it
                frame[column] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
        ids = frame["doc_id"].astype(str).tolist()
        for i, doc_id in enumerate(ids):
            if doc_id in seen:
                where = "files" if "file" in frame.columns else "rows"
                raise FramingError(
                    f"{path}: duplicate doc_id '{doc_id}' in {where} {seen[doc_id] + 1} and {first + i + 1}; ids must be "
                    "unique (fix them or name a unique column with --id-col)"
                )
            seen[doc_id] = first + i
        chars = int(frame["text"].str.len().sum())
        yield Batch(frame, first, chars)
        first += len(frame)
    if not first:
        raise FramingError(f"{path}: the table has no rows; it needs one row per document")


def _declared_columns(origin: Path, files: list[Path], text_col, id_col) -> list[str]:
    """Every column the table(s) declare, in order of first appearance, read before the first
    row so that every batch has them (a metadata column that a later batch or file brings
    first would otherwise shift a CSV's rows or be dropped from Parquet): the header of a
    CSV, the schemas of Parquet files, the keys of every JSONL row (one pass over the file).
    The text and id columns are named ``text`` and ``doc_id``, as batches name them."""
    import json

    seen: dict[str, None] = {}
    for path in files:
        suffix = _suffix(path)
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            try:
                names = pq.read_schema(path).names
            except (OSError, ValueError) as exc:
                raise FramingError(f"{path}: cannot read this .parquet table ({str(exc).strip().splitlines()[0]})") from None
            names = [n for n in names if not n.startswith("__index_level_")]
        elif suffix in (".csv", ".csv.gz"):
            names = list(next(iter(_csv_chunks(path, 1)), pd.DataFrame()).columns)
        else:
            names = []
            with _open_text(path) as handle:
                number = 0
                try:
                    for number, line in _lines(handle, path):
                        if line.strip():
                            try:
                                row = json.loads(line)
                            except ValueError:
                                continue  # the reader names the line
                            if isinstance(row, dict):
                                names.extend(k for k in row if k not in seen and k not in names)
                except UnicodeDecodeError:
                    pass  # the reader names the place
                except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
                    raise _broken_archive(path, f"line {number}", exc) from None
        for name in names:
            seen.setdefault(str(name), None)
    rename = {text_col or "text": "text", (id_col or "doc_id"): "doc_id"}
    return [rename.get(c, c) for c in seen]


def _txt_folder_frames(folder: Path, id_col, batch_chars: int) -> Iterator[pd.DataFrame]:
    table = folder_table(folder, id_col)
    rows, chars = [], 0
    for i, name in enumerate(table["file"]):
        text = _read_txt(folder / name)
        rows.append(i)
        chars += len(text)
        table.loc[i, "text"] = text
        if chars >= batch_chars:
            yield table.loc[rows].reset_index(drop=True)
            table.loc[rows, "text"] = None  # read texts are not kept
            rows, chars = [], 0
    if rows:
        yield table.loc[rows].reset_index(drop=True)


def _table_frames(files: list[Path], text_col, id_col, batch_chars: int, *, origin: str) -> Iterator[pd.DataFrame]:
    """Validated frames of one or more tables, read in batches; row numbers run on across files."""
    first = 0
    for path in files:
        where = str(path)
        for raw in _raw_chunks(path, batch_chars):
            if not len(raw):
                continue
            yield _from_frame(raw, text_col, id_col, where, first_row=first)
            first += len(raw)


def _raw_chunks(path: Path, batch_chars: int) -> Iterator[pd.DataFrame]:
    suffix = _suffix(path)
    if suffix == ".parquet":
        yield from _parquet_chunks(path, batch_chars)
    elif suffix in (".csv", ".csv.gz"):
        yield from _csv_chunks(path, batch_chars)
    else:
        yield from _jsonl_chunks(path, batch_chars)


def _rows_for(chunk: pd.DataFrame, batch_chars: int) -> int:
    """Rows per batch, from the text size of the rows read so far."""
    size = max(1, int(chunk.memory_usage(deep=True, index=False).sum() / max(len(chunk), 1)))
    return max(1, min(100_000, batch_chars // size))


def _open_text(path: Path):
    """A text stream of a (possibly gzipped) file, in the encoding its byte-order mark sets
    (default UTF-8), decoding strictly."""
    try:
        raw = gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")
        head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
    except OSError as exc:
        raise FramingError(f"{path}: cannot read ({exc.strerror or exc})") from None
    encoding = "utf-8"
    for bom, name in _BOMS:
        if head.startswith(bom):
            encoding = {"utf-8": "utf-8-sig", "utf-16-le": "utf-16", "utf-16-be": "utf-16",
                        "utf-32-le": "utf-32", "utf-32-be": "utf-32"}[name]
            break
    if encoding == "utf-8" and head[1:2] == b"\x00" and head[3:4] == b"\x00":
        raw.close()
        raise FramingError(f"{path}: every other byte is NUL, so this looks like UTF-16 without a byte-order mark; "
                           "re-save the file as UTF-8")
    return io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")


def _broken_archive(path: Path, where: str, exc: Exception) -> FramingError:
    """A gzip file cut short or corrupt, said in one line."""
    what = "cut short" if isinstance(exc, EOFError) else f"corrupt ({str(exc).strip() or type(exc).__name__})"
    return FramingError(f"{path}: the compressed file is {what} after {where}; copy or download it again")


def _decode_error(path: Path, exc: UnicodeDecodeError) -> FramingError:
    """Text that is not valid in its encoding, said with the line and byte where it first fails
    (found by decoding the file again from its start: only on this error)."""
    encoding = getattr(exc, "encoding", "utf-8")
    where = ""
    try:
        opener = gzip.open if path.name.lower().endswith(".gz") else open
        decoder = codecs.getincrementaldecoder("utf-8-sig" if encoding.startswith("utf-8") else encoding)()
        offset, line = 0, 1
        with opener(path, "rb") as raw:
            while block := raw.read(1 << 20):
                pending = len(decoder.getstate()[0])  # bytes of a character begun in the block before
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as found:
                    bad = max(0, found.start - pending)
                    line += block[:bad].count(b"\n")
                    where = f" at line {line} (byte {offset + bad})"
                    break
                line += block.count(b"\n")
                offset += len(block)
    except (OSError, EOFError, zlib.error):
        pass  # the place stays unnamed; the error is still said
    return FramingError(f"{path}: not valid {encoding.upper().replace('-SIG', '')}{where}; re-save the file as UTF-8")


def _csv_chunks(path: Path, batch_chars: int) -> Iterator[pd.DataFrame]:
    read = 0
    with _open_text(path) as handle:
        try:
            reader = pd.read_csv(handle, dtype=str, keep_default_na=False, na_values=[""], chunksize=FIRST_ROWS)
        except pd.errors.EmptyDataError:
            raise FramingError(f"{path}: the table is empty (no header, no rows); it needs a header and one row per document") from None
        except UnicodeDecodeError as exc:
            raise _decode_error(path, exc) from None
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise _broken_archive(path, "row 0", exc) from None
        except (ValueError, pd.errors.ParserError) as exc:
            raise FramingError(f"{path}: cannot read this .csv table ({str(exc).strip().splitlines()[0]})") from None
        size = FIRST_ROWS
        with reader:
            while True:
                try:
                    chunk = reader.get_chunk(size)
                except StopIteration:
                    return
                except UnicodeDecodeError as exc:
                    raise _decode_error(path, exc) from None
                except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
                    raise _broken_archive(path, f"row {read}", exc) from None
                except (ValueError, pd.errors.ParserError) as exc:
                    raise FramingError(f"{path}: cannot read this .csv table after row {read} "
                                       f"({str(exc).strip().splitlines()[0]})") from None
                if not read:
                    check_csv_header(chunk.columns, path)
                read += len(chunk)
                size = _rows_for(chunk, batch_chars)
                yield chunk


MAX_LINE_CHARS = 256_000_000
"""The longest JSONL line read (a document of 256 million characters); a longer one, such as
a whole archive on one line, is an error naming the line instead of a memory blow-up."""


def _lines(handle, path: Path) -> Iterator[tuple[int, str]]:
    """Numbered lines of a text stream, each read with a size guard (:data:`MAX_LINE_CHARS`)."""
    number = 0
    while True:
        line = handle.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_CHARS:
            raise FramingError(f"{path}: line {number} is longer than {MAX_LINE_CHARS // 1_000_000} million characters "
                               "(one document per line is expected); split the file into one document per line")
        yield number, line


def _jsonl_chunks(path: Path, batch_chars: int) -> Iterator[pd.DataFrame]:
    rows, chars, repaired = [], 0, []
    number = 0
    with _open_text(path) as handle:
        try:
            for number, line in _lines(handle, path):
                if not line.strip():
                    continue
                rows.append(json_row(line, number, path, repaired))
                chars += len(line)
                if chars >= batch_chars:
                    yield pd.DataFrame(rows)
                    rows, chars = [], 0
        except UnicodeDecodeError as exc:
            raise _decode_error(path, exc) from None
        except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
            raise _broken_archive(path, f"line {number}", exc) from None
    if rows:
        yield pd.DataFrame(rows)
    warn_repaired(path, repaired, stacklevel=2)


def _parquet_chunks(path: Path, batch_chars: int) -> Iterator[pd.DataFrame]:
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
        meta = handle.metadata
        size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        rows = max(1, min(100_000, batch_chars * meta.num_rows // max(size, 1)))
        for record_batch in handle.iter_batches(batch_size=rows):
            yield record_batch.to_pandas()
    except (OSError, ValueError) as exc:
        raise FramingError(f"{path}: cannot read this .parquet table ({str(exc).strip().splitlines()[0]})") from None


def find_document(source: "str | Path", doc_id: str, *, text_col: str | None = None, id_col: str | None = None) -> pd.DataFrame:
    """The one document ``doc_id`` of a corpus on disk (validated, not cleaned), read batch by
    batch until it is found: a large corpus is never loaded whole."""
    for batch in document_batches(source, text_col=text_col, id_col=id_col):
        hit = batch.frame[batch.frame["doc_id"].astype(str) == str(doc_id)]
        if len(hit):
            return hit.reset_index(drop=True)
    raise FramingError(f"unknown doc_id '{doc_id}' in {source}; see the corpus's doc_id column (framing corpus {source})")


