"""Study-sized corpora: documents read in batches, counted batch by batch on every core or
on a Dask cluster, and written as they come, so memory stays flat whatever the corpus size.

The path is the one of :mod:`framing.corpus` and :mod:`framing.features`, cut into batches:

    document_batches (read + validate, in order)  ->  run_batches (clean, tokenize, count:
    one batch per task, in this process, in worker processes or on Dask workers)  ->  the
    tables, in corpus order  ->  :class:`framing.output.TableWriter`

Everything done to a document is a pure function of the document and the lexicons, so a
batch gives the same rows wherever it runs, and the output of ``jobs=4`` or of a cluster
equals the output of ``jobs=1`` row for row, in the same order (documents in corpus order).

Reading stays in the calling process, which checks what needs the whole corpus (duplicate
ids, an empty table) as it goes: a duplicate found late is still an error, and the output
file, written under a temporary name, is then removed.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
import warnings
import zlib
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from framing.corpus import (
    _BOMS,
    check_csv_header,
    check_source,
    Corpus,
    _from_frame,
    _read_txt,
    clean_documents,
    empty_documents,
    folder_table,
    json_row,
    warn_empty,
    warn_repaired,
    warn_unread,
)
from framing.errors import FramingError
from framing.params import check_choice, check_int

BATCH_CHARS = 1_000_000
"""A batch holds about this many characters of text (and at least one document)."""
FIRST_ROWS = 8
"""Rows in the first batch of a table, before the rows per batch are set from its row sizes."""
ENGINES = ("local", "dask")
CONNECT_SECONDS = 20
"""How long ``--scheduler ADDR`` waits for the scheduler before it says it cannot connect."""

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


def _decode_error(path: Path, rows_read: int, exc: Exception) -> FramingError:
    return FramingError(f"{path}: not valid {getattr(exc, 'encoding', 'UTF-8').upper()} after row {rows_read} "
                        f"({exc.reason if hasattr(exc, 'reason') else exc}); re-save the file as UTF-8")


def _csv_chunks(path: Path, batch_chars: int) -> Iterator[pd.DataFrame]:
    read = 0
    with _open_text(path) as handle:
        try:
            reader = pd.read_csv(handle, dtype=str, keep_default_na=False, na_values=[""], chunksize=FIRST_ROWS)
        except pd.errors.EmptyDataError:
            raise FramingError(f"{path}: the table is empty (no header, no rows); it needs a header and one row per document") from None
        except UnicodeDecodeError as exc:
            raise _decode_error(path, 0, exc) from None
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
                    raise _decode_error(path, read, exc) from None
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
            raise FramingError(f"{path}: not valid UTF-8 after line {number} ({exc.reason}); re-save the file as UTF-8") from None
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


# --------------------------------------------------------------------------- what each batch gets


@dataclass(frozen=True)
class FamilyFeatures:
    """The feature table of a batch: every family job's table, stacked (:func:`framing.features.stack_tables`)."""

    jobs: tuple

    def __call__(self, corpus: Corpus) -> pd.DataFrame:
        from framing.features import stack_tables

        return stack_tables([job.table(corpus) for job in self.jobs], corpus.doc_ids)


@dataclass(frozen=True)
class Matches:
    """The match record of a batch (:meth:`framing.features.family.Family.matches`)."""

    family: object
    category: str | None = None

    def __call__(self, corpus: Corpus) -> pd.DataFrame:
        return self.family.matches(corpus, category=self.category)


@dataclass(frozen=True)
class TermCounts:
    """The term counts of a batch per group (:func:`framing.keyness.term_counts`): they add up over batches."""

    by: str | None
    ngram_range: tuple = (1, 1)
    stopwords: object = None
    english: bool = False

    def __call__(self, corpus: Corpus) -> pd.DataFrame:
        from framing.keyness import term_counts

        return term_counts(corpus, self.by, ngram_range=self.ngram_range, stopwords=self.stopwords, english=self.english)


@dataclass(frozen=True)
class Task:
    """What each batch goes through: cleaning (``rules``; none with ``clean=False``), the
    metadata columns kept (``meta``; None: all), then ``make`` on the batch's corpus."""

    make: Callable[[Corpus], pd.DataFrame]
    clean: bool = True
    rules: tuple | None = None
    meta: tuple | None = None
    origin: str = ""

    def __call__(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
        corpus = clean_documents(frame, clean=self.clean, rules=self.rules, origin=self.origin)
        if self.meta is not None:
            corpus = corpus.keep_metadata(self.meta)
        return self.make(corpus), empty_documents(corpus)


def make_task(make, *, clean: bool = True, cleaning_rules=None, meta=None, origin: str = "") -> Task:
    """A :class:`Task` with its cleaning rules read once, here, rather than once per batch."""
    from framing.clean import load_rules

    rules = (cleaning_rules if isinstance(cleaning_rules, tuple) else load_rules(cleaning_rules)) if clean else None
    return Task(make, clean, rules, None if meta is None else tuple(meta), origin)


# --------------------------------------------------------------------------- running the batches


_INSTALLED: Task | None = None


def _install(task: Task, parent: int | None = None) -> None:
    global _INSTALLED
    _INSTALLED = task
    _die_with_parent(parent)


def _die_with_parent(parent: int | None) -> None:
    """Make this worker process end when the process that started it ends, even by SIGKILL
    (which runs no clean-up): on Linux the kernel sends it SIGKILL then (``PR_SET_PDEATHSIG``);
    elsewhere a daemon thread notices the parent is gone. Without this, a killed run's
    workers live on as orphans holding the terminal's pipe."""
    import ctypes
    import signal
    import threading
    import time

    if parent is None:
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

    def watch():
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="framing-parent-watch").start()


def _run_installed(frame: pd.DataFrame):
    return _INSTALLED(frame)


def _run(task: Task, frame: pd.DataFrame):
    return task(frame)


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_batches(
    task: Task,
    batches: Iterable[Batch],
    *,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    progress: bool = False,
) -> Iterator[pd.DataFrame]:
    """Each batch's table, in corpus order, computed by ``task``.

    ``engine="local"`` runs in this process (``jobs=1``) or in ``jobs`` worker processes
    (default: every core); ``engine="dask"`` on a ``dask.distributed`` cluster: the one at
    ``scheduler`` (``tcp://host:8786``), or a ``LocalCluster`` of ``jobs`` workers started
    here and closed at the end. At most two batches per worker are in flight, so memory
    does not grow with the corpus. Empty documents are named in one warning at the end.
    """
    check_choice("engine", engine, ENGINES)
    jobs = default_jobs() if jobs is None else check_int("jobs", jobs, low=1)
    if scheduler is not None and engine != "dask":
        raise FramingError("--scheduler needs --engine dask")
    empty: list[str] = []
    bar = _progress(progress)
    with _submitter(task, engine, jobs, scheduler) as (submit, width):
        pending: deque = deque()
        for batch in batches:
            pending.append((submit(batch.frame), len(batch.frame), batch.chars))
            while len(pending) > 2 * width:
                yield _collect(pending.popleft(), empty, bar)
        while pending:
            yield _collect(pending.popleft(), empty, bar)
    if bar is not None:
        bar.close()
    warn_empty(task.origin, empty, stacklevel=2)


def _collect(item, empty: list[str], bar, seen: dict | None = None) -> pd.DataFrame:
    future, n_docs, chars = item
    table, batch_empty, *ids = _result(future)
    empty.extend(batch_empty)
    if ids and seen is not None:  # read on the workers: the ids are checked here, as they come back
        n_docs, chars = len(ids[0]), ids[1]
        for doc_id in ids[0]:
            if doc_id in seen:
                raise FramingError(f"duplicate doc_id '{doc_id}' in partitions {seen[doc_id]} and {item[1]}; ids must be unique")
            seen[doc_id] = item[1]
    if bar is not None:
        bar.update(n_docs)
        bar.chars += chars
        elapsed = max(bar.format_dict["elapsed"], 1e-9)
        bar.set_postfix_str(f"{bar.chars / 1e6 / elapsed:.1f} MB/s", refresh=False)
    return table


def _result(future):
    """A batch's result. Workers that died mid-run (killed, or out of memory) are one line, not a traceback;
    an error raised by the task itself passes through."""
    from concurrent.futures import CancelledError
    from concurrent.futures.process import BrokenProcessPool

    if not hasattr(future, "result"):
        return future
    try:
        return future.result()
    except BrokenProcessPool:
        raise FramingError("a worker process died mid-run (killed, or out of memory); no output was written: rerun, "
                           "with fewer --jobs or a smaller --batch-mb if memory ran out") from None
    except Exception as exc:
        if isinstance(exc, CancelledError) or type(exc).__module__.split(".")[0] == "distributed":
            raise FramingError(f"the Dask workers were lost mid-run ({type(exc).__name__}); no output was written: "
                               "rerun, with more memory per worker or a smaller --batch-mb if memory ran out") from None
        raise


def _progress(enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    bar = tqdm(unit=" docs", file=sys.stderr, smoothing=0.1, mininterval=0.5)
    bar.chars = 0
    return bar


def is_remote(source) -> bool:
    """Whether ``source`` is a URL (``s3://``, ``gs://``, ``hdfs://``, ``file://``...) for the workers to read."""
    return "://" in str(source)


def _read_partition(task: Task, part: pd.DataFrame, text_col, id_col, origin: str, number: int, first_row: int = 0):
    # Dask reads text as strings whose missing value is pd.NA; pandas reads them with NaN, as load_corpus does
    nullable = [c for c, t in part.dtypes.items() if isinstance(t, pd.StringDtype) and t.na_value is pd.NA]
    part = part.astype({c: "str" for c in nullable}).where(part.notna(), None) if nullable else part
    frame = _from_frame(part, text_col, id_col, f"{origin} (partition {number})", first_row=first_row)
    table, empty = task(frame)
    return table, empty, frame["doc_id"].astype(str).tolist(), int(frame["text"].str.len().sum())


def run_partitions(
    task: Task,
    source: str,
    *,
    text_col: str | None = None,
    id_col: str | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool = False,
) -> Iterator[pd.DataFrame]:
    """Each partition's table of a Parquet dataset that the Dask workers read themselves
    (``dask.dataframe.read_parquet(source)``, e.g. ``s3://bucket/news/``), in order. The
    same validation and the same task as :func:`run_batches`; ids are checked for
    duplicates here as the tables come back. Without an id column (``doc_id``, or
    ``id_col``), documents are numbered across the whole dataset (``doc00001``... in the
    order Dask reads its files, sorted by path, as a local folder of Parquet files is
    numbered): the partitions' row counts are read first, from the files' metadata."""
    jobs = default_jobs() if jobs is None else check_int("jobs", jobs, low=1)
    try:
        import dask.dataframe as dd
    except ImportError:
        raise FramingError('--engine dask needs Dask: python -m pip install "framing[dask]"') from None
    try:
        frame = dd.read_parquet(source)
    except (OSError, ValueError, ImportError) as exc:
        raise FramingError(f"{source}: cannot read this Parquet dataset ({str(exc).strip().splitlines()[0]})") from None
    if id_col is not None and id_col not in frame.columns:
        raise FramingError(f"{source}: unknown id column '{id_col}'; available: {', '.join(map(str, frame.columns))}")
    offsets = [0] * frame.npartitions
    if (id_col or "doc_id") not in frame.columns:  # number the rows across partitions, as a local folder is numbered
        offsets = np.r_[0, np.cumsum(frame.map_partitions(len).compute().to_numpy())][:-1].tolist()
    empty: list[str] = []
    seen: dict[str, int] = {}
    bar = _progress(progress)
    with _submitter(task, "dask", jobs, scheduler) as (submit, width):
        client, task_future = submit.client, submit.task
        pending: deque = deque()
        for number, part in enumerate(frame.to_delayed(), start=1):
            future = client.submit(_read_partition, task_future, client.compute(part), text_col, id_col, str(source), number,
                                   int(offsets[number - 1]), pure=False)
            pending.append((future, number, 0))
            while len(pending) > 2 * width:
                yield _collect(pending.popleft(), empty, bar, seen)
        while pending:
            yield _collect(pending.popleft(), empty, bar, seen)
    if bar is not None:
        bar.close()
    if not seen:
        raise FramingError(f"{source}: the dataset has no rows; it needs one row per document")
    warn_empty(task.origin, empty, stacklevel=2)


def _warm(task: Task) -> None:
    """Run ``task`` once on a tiny document before the workers fork, so that what it loads on
    first use (NLTK's Punkt, VADER, the lexicon matchers) is loaded once and shared, not once per worker."""
    try:
        task(pd.DataFrame({"doc_id": ["warm-up"], "text": ['The officials said: "We may win." It was clearly a sham.']}))
    except FramingError:  # e.g. --meta names columns this made-up document lacks: the workers load what they need
        pass


class _submitter:
    """``submit(frame) -> future`` for the engine, and how many batches run at once."""

    def __init__(self, task: Task, engine: str, jobs: int, scheduler: str | None):
        self.task, self.engine, self.jobs, self.scheduler = task, engine, jobs, scheduler
        self._close: list = []

    def __enter__(self):
        if self.engine == "dask":
            return self._dask()
        if self.jobs == 1:
            return (lambda frame: self.task(frame)), 1
        import multiprocessing

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        if method == "fork":
            _warm(self.task)
        pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context(method), initializer=_install,
                                   initargs=(self.task, os.getpid()))
        self._close.append(lambda: pool.shutdown(wait=True, cancel_futures=True))
        return (lambda frame: pool.submit(_run_installed, frame)), self.jobs

    def _dask(self):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise FramingError('--engine dask needs Dask: python -m pip install "framing[dask]"') from None
        if self.scheduler is None:
            cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1, processes=True, dashboard_address=None)
            self._close.append(cluster.close)
            client = Client(cluster)
        else:
            if "://" not in self.scheduler and ":" not in self.scheduler:
                raise FramingError(f"--scheduler {self.scheduler}: not an address; give one like tcp://10.0.0.5:8786")
            try:
                client = Client(self.scheduler, timeout=CONNECT_SECONDS)
            except Exception as exc:  # noqa: BLE001 - distributed raises many kinds; each is one line here
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise FramingError(f"--scheduler {self.scheduler}: cannot connect ({first}); is the scheduler running?") from None
        self._close.insert(0, client.close)
        width = max(1, sum(client.nthreads().values()))
        task = client.scatter(self.task, broadcast=True, hash=False)

        def submit(frame):
            return client.submit(_run, task, frame, pure=False)

        submit.client, submit.task = client, task
        return submit, width

    def __exit__(self, *exc):
        for close in self._close:
            close()
        return False
