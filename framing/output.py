"""Writing files without ever destroying a user's data (leaf module: no framing imports but errors).

Two rules hold for every file framing writes (tables, HTML pages, lexicons, figures):

* :func:`refuse_inputs`: an output is never one of the run's input files, nor a file
  inside an input folder, so ``-o corpus.csv`` cannot replace the corpus;
* :func:`atomic_path`: the content goes to a temporary file in the target's folder,
  which is renamed over the target only once it is complete. A run cut short
  (Ctrl-C, SIGTERM, an error) leaves any earlier file at that path as it was, and no
  file that looks complete; the temporary file is removed (or, after SIGKILL, is
  left under a name starting with ``.`` and ending in ``.partial``).
"""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple

from framing.errors import FramingError


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def refuse_inputs(output: "str | Path", inputs: Iterable["str | Path | None"], *, option: str = "-o") -> None:
    """Raise :class:`FramingError` if ``output`` is one of ``inputs`` or lies inside an input folder.

    Examples
    --------
    >>> refuse_inputs("features.csv", ["seeds"])
    >>> refuse_inputs("seeds/manifest.csv", ["seeds"])
    Traceback (most recent call last):
    framing.errors.FramingError: seeds/manifest.csv: this output lies inside the input folder seeds; write it elsewhere (framing never writes into its inputs)
    """
    out = Path(output)
    out_abs = out.resolve()
    for given in inputs:
        if given is None or isinstance(given, (bytes, bytearray)):
            continue
        source = Path(given)
        if not source.exists():
            continue
        src_abs = source.resolve()
        if src_abs.is_dir():
            if out_abs == src_abs or src_abs in out_abs.parents:
                raise FramingError(
                    f"{output}: this output lies inside the input folder {given}; write it elsewhere "
                    f"(framing never writes into its inputs)"
                )
        elif out_abs == src_abs or _same_file(out, source):
            raise FramingError(
                f"{output}: this is an input of the run ({given}); writing {option} there would destroy it, "
                "so give another file name"
            )


@contextmanager
def atomic_path(target: "str | Path") -> Iterator[Path]:
    """A temporary path beside ``target``; renamed to ``target`` when the block ends without error.

    The temporary name starts with ``.`` and ends with ``.partial``, so it is never
    mistaken for the result. The folder must exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("a,b\\n")
    >>> out.read_text()
    'a,b\\n'
    """
    target = Path(target)
    folder = target.parent
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
    except OSError as exc:
        raise FramingError(f"{target}: cannot write ({exc.strerror or exc})") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FramingError(f"{target}: cannot write ({exc.strerror or exc})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(target: "str | Path", text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically; return the path."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


RAW_CSV_ENV = "FRAMING_RAW_CSV"
"""Set to 1 to write CSV cells exactly as they are (pipelines that never open CSV in a spreadsheet)."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Cells beginning with these run as formulas when a spreadsheet program opens the CSV (OWASP: CSV injection)."""


def raw_csv() -> bool:
    """Whether CSV cells are written as they are (:data:`RAW_CSV_ENV` set), not made spreadsheet-safe."""
    return os.environ.get(RAW_CSV_ENV, "") not in ("", "0")


def spreadsheet_safe(frame, *, raw: bool | None = None):
    """``frame`` with every text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return prefixed with an apostrophe, as OWASP advises against CSV injection: a
    document, id, group or category written ``=HYPERLINK(...)`` is shown, not run, when a coder
    opens the sheet in a spreadsheet program. Numbers are left alone (``-3.5`` stays a number);
    ``FRAMING_RAW_CSV=1`` (or ``framing --raw-csv``) turns it off, and Parquet is always raw;
    ``raw`` decides it instead of the environment (a worker told what the writing process decided).

    Examples
    --------
    >>> import pandas as pd
    >>> spreadsheet_safe(pd.DataFrame({"t": ["=1+1", "ok", "-x"], "n": [-1.5, 2.0, 3.0]})).values.tolist()
    [["'=1+1", -1.5], ['ok', 2.0], ["'-x", 3.0]]
    """
    import pandas as pd

    if raw_csv() if raw is None else raw:
        return frame
    out = frame
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_string_dtype(values) and values.dtype != object:  # text only: tested in one call
            risky = values.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
        elif values.dtype == object:  # mixed cells: each tested (a number is never a formula)
            risky = values.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS))
        else:
            continue
        if risky.any():
            if out is frame:
                out = frame.copy()
            out[column] = values.where(~risky, "'" + values.astype(str))
    header = [("'" + c) if isinstance(c, str) and c.startswith(FORMULA_STARTS) else c for c in out.columns]
    if header != list(out.columns):
        out = out.set_axis(header, axis=1) if out is not frame else frame.set_axis(header, axis=1)
    return out


def write_table(frame, target: "str | Path", *, float_format: str | None = None) -> Path:
    """Write a DataFrame to ``target`` atomically: ``.parquet`` as Parquet, anything else as
    CSV (:func:`spreadsheet_safe`), its floats in ``float_format`` when given (e.g. ``"%.12g"``)."""
    with atomic_path(target) as tmp:
        if str(target).lower().endswith(".parquet"):
            frame.to_parquet(tmp, index=False)
        else:
            spreadsheet_safe(frame).to_csv(tmp, index=False, float_format=float_format)
    return Path(target)


class CsvText(NamedTuple):
    """A table already written as CSV (:func:`as_csv`): its header line, its rows as text, and how many."""

    header: str
    body: str
    rows: int


def as_csv(frame, *, raw: bool | None = None) -> CsvText:
    """``frame`` as the CSV text :class:`TableWriter` writes of it (:func:`spreadsheet_safe`, no index),
    so that a worker can format its batch and the writing process only appends text.

    Examples
    --------
    >>> import pandas as pd
    >>> as_csv(pd.DataFrame({"a": [1, 2], "b": ["=x", "y"]}))
    CsvText(header='a,b\\n', body="1,'=x\\n2,y\\n", rows=2)
    """
    safe = spreadsheet_safe(frame, raw=raw)
    return CsvText(safe.iloc[:0].to_csv(index=False), safe.to_csv(index=False, header=False), len(frame))


@dataclass(frozen=True)
class AsCsv:
    """``make`` (corpus -> table, or a pair of tables) with its tables written as CSV text where it runs:
    in a worker, in parallel, rather than by the one process that writes the file (at 10 MB of news,
    formatting the CSV of every family took that process over a second). ``which`` says which table of
    a pair to format (a Parquet output takes the table itself); ``raw`` is :func:`raw_csv` of the
    writing process, so a remote worker formats as it would."""

    make: Callable
    which: tuple = (True,)
    raw: bool = False

    def __call__(self, corpus):
        result = self.make(corpus)
        if isinstance(result, tuple):
            return tuple(as_csv(t, raw=self.raw) if csv and t is not None else t for t, csv in zip(result, self.which))
        return as_csv(result, raw=self.raw) if self.which[0] else result


class TableWriter:
    """Write a table batch by batch: ``.parquet`` as Parquet, anything else as CSV, ``None``
    to standard output (CSV). A file is written under a temporary name and renamed only
    when the block ends without error, so a run cut short leaves no file that looks complete.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> with TableWriter(out) as writer:
    ...     writer.write(pd.DataFrame({"a": [1]}))
    ...     writer.write(pd.DataFrame({"a": [2]}))
    >>> out.read_text()
    'a\\n1\\n2\\n'
    """

    def __init__(self, target: "str | Path | None", *, metadata: "dict[str, str] | None" = None):
        self.target = None if target is None else Path(target)
        self.metadata = metadata or {}
        """Key-value pairs stored in a Parquet file's schema (what the rows need beside them)."""
        self.rows = 0
        self._atomic = self._handle = self._parquet = self._schema = self._empty = None

    def __enter__(self) -> "TableWriter":
        if self.target is not None:
            self._atomic = atomic_path(self.target)
            self._tmp = self._atomic.__enter__()
        return self

    @property
    def parquet(self) -> bool:
        return self.target is not None and self.target.name.lower().endswith(".parquet")

    @property
    def csv(self) -> bool:
        """Whether the rows are written as CSV (a file not named .parquet, or standard output)."""
        return not self.parquet

    def write(self, frame) -> None:
        """Append the rows of ``frame``, a DataFrame or its :class:`CsvText` (the first sets the columns)."""
        if isinstance(frame, CsvText):
            if self.parquet:
                raise FramingError(f"{self.target}: a table formatted as CSV cannot be written as Parquet")
            if self._handle is None:
                self._handle = sys.stdout if self.target is None else open(self._tmp, "w", encoding="utf-8", newline="")
                self._handle.write(frame.header)
            self._handle.write(frame.body)
            self.rows += frame.rows
            return
        if self.parquet:
            self._write_parquet(frame)
        else:
            if self._handle is None:
                self._handle = sys.stdout if self.target is None else open(self._tmp, "w", encoding="utf-8", newline="")
                spreadsheet_safe(frame).to_csv(self._handle, index=False)
            else:
                spreadsheet_safe(frame).to_csv(self._handle, index=False, header=False)
        self.rows += len(frame)

    def _write_parquet(self, frame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._parquet is None:
            if frame.empty:  # an empty batch types nothing: wait for rows (or write it at the end if none come)
                self._empty = frame
                return
            table = pa.Table.from_pandas(frame, preserve_index=False)
            # a column empty in the first batch has no type yet: text, so later batches' values fit
            self._schema = pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type) else f for f in table.schema],
                                     metadata={**(table.schema.metadata or {}),
                                               **{k.encode(): v.encode() for k, v in self.metadata.items()}})
            table = table.cast(self._schema)
            self._parquet = pq.ParquetWriter(self._tmp, self._schema)
        else:
            try:
                table = pa.Table.from_pandas(frame, schema=self._schema, preserve_index=False)
            except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError) as exc:
                raise FramingError(
                    f"{self.target}: a later batch does not fit the columns of the first ({str(exc).splitlines()[0]}); "
                    "give each metadata column one type, or write CSV"
                ) from None
        self._parquet.write_table(table)

    def __exit__(self, kind, value, traceback) -> bool:
        if self._parquet is None and self._empty is not None and kind is None:  # no batch had rows: an empty table
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(self._empty, preserve_index=False)
            pq.write_table(table.replace_schema_metadata({**(table.schema.metadata or {}),
                                                          **{k.encode(): v.encode() for k, v in self.metadata.items()}}),
                           self._tmp)
            self.rows = -1  # written
        if self._parquet is not None:
            self._parquet.close()
        if self._handle is not None and self._handle is not sys.stdout:
            self._handle.close()
        if self._atomic is not None:
            if kind is None and self.rows == 0 and self._handle is None and self._parquet is None:
                self._tmp.write_text("", encoding="utf-8")  # nothing at all was written: an empty file
            self.rows = max(self.rows, 0)
            self._atomic.__exit__(kind, value, traceback)
        return False
