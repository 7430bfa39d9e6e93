"""Remembered passes: a run's later steps read what its earlier steps counted.

``framing figures`` runs each notebook in a kernel of its own, and five of them count the
stance markers of the same corpus (about 10 s per 10 MB each time). When the environment
variable :data:`CACHE_VARIABLE` (``FRAMING_CACHE``) names a folder, a family's one pass over a
corpus (its feature table, its sentence table and its match spans) is written there as Parquet
under a key made of everything that decides it, and a later call with the same key reads the
tables back instead of counting again:

* the documents: each id, cleaned text and language (:func:`documents_key`);
* the family and its lexicon's id, itself a hash of every term and rule
  (:attr:`framing.lexicon.model.Lexicon.id`);
* framing's own code and data: a hash of every file of the installed package
  (:func:`code_key`), so an edited rule or a new release never reads an old count.

Metadata is not in the key: it is joined to the tables after they are read, from the corpus
at hand. Three other steps are remembered the same way: a corpus's term counts
(:func:`framing.keywords.terms.document_terms`), its sizes and sentence spans
(:meth:`framing.documents.corpus.Corpus.overview`), and the permutations and resamples of a
contrast (:func:`framing.comparison.rates.compare_groups`, under a hash of the arrays they read,
:func:`array_key`). ``framing figures`` sets the variable to a temporary folder of its own run and
removes the folder when the run ends, so nothing outlives a run unless a user sets the
variable to a folder of their own. Unset (the default), nothing is written anywhere.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import warnings
from collections.abc import Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from framing.errors import FramingError

if TYPE_CHECKING:
    import pandas as pd

CACHE_VARIABLE = "FRAMING_CACHE"
"""The environment variable naming the folder of remembered passes (unset: none)."""


def cache_folder() -> Path | None:
    """The folder named by :data:`CACHE_VARIABLE`, or ``None`` when it is unset or empty."""
    value = os.environ.get(CACHE_VARIABLE, "").strip()
    return Path(value) if value else None


def digest(*parts: str) -> str:
    """A short hex key of ``parts``, each kept apart from the next (``("ab", "c")`` is not ``("a", "bc")``).

    Examples
    --------
    >>> digest("ab", "c") == digest("a", "bc")
    False
    >>> len(digest("stance"))
    32
    """
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def document_digests(documents: pd.DataFrame) -> list[str]:
    """The key of what a family reads of each document: its id, its cleaned text and its language
    (``None`` without a ``language`` column), one per document in order. Metadata is left out.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"doc_id": ["d1", "d2"], "clean_text": ["A vote.", "A vote."], "outlet": ["x", "y"]})
    >>> one, two = document_digests(a)
    >>> one == two, document_digests(a.assign(outlet="z")) == [one, two]
    (False, True)
    """
    from framing.tables import LANGUAGE

    languages = documents[LANGUAGE] if LANGUAGE in documents.columns else [None] * len(documents)
    return [digest(str(doc_id), str(text), "" if language is None or language != language else str(language))
            for doc_id, text, language in zip(documents["doc_id"], documents["clean_text"], languages)]


def documents_key(documents: pd.DataFrame) -> str:
    """The key of a corpus's documents, in order (:func:`document_digests`).

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"doc_id": ["d1"], "clean_text": ["A vote."], "outlet": ["x"]})
    >>> documents_key(a) == documents_key(a.assign(outlet="y")), documents_key(a) == documents_key(a.assign(clean_text="A vote!"))
    (True, False)
    """
    h = hashlib.blake2b(digest_size=16)
    for each in document_digests(documents):
        h.update(each.encode())
    return h.hexdigest()


def array_key(*arrays) -> str:
    """A short hex key of numpy arrays: each one's dtype, shape and bytes, kept apart from the next.

    Examples
    --------
    >>> import numpy as np
    >>> array_key(np.array([1, 2])) == array_key(np.array([1, 2])), array_key(np.array([1, 2])) == array_key(np.array([1., 2.]))
    (True, False)
    >>> array_key(np.array([1, 2]), np.array([3])) == array_key(np.array([1]), np.array([2, 3]))
    False
    """
    import numpy as np

    h = hashlib.blake2b(digest_size=16)
    for array in arrays:
        array = np.ascontiguousarray(array)
        h.update(f"{array.dtype.str}{array.shape}".encode())
        h.update(array.view(np.uint8).reshape(-1) if array.dtype != object else repr(array.tolist()).encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_key() -> str:
    """A hash of every file of the framing package (code, lexicons, rules), read once per process:
    a count remembered by other code is never read back."""
    root = Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


class Stored(Mapping):
    """The tables of one remembered entry, each read from its Parquet file when first asked for
    (a feature table is read without the sentence table beside it)."""

    def __init__(self, entry: Path):
        self.entry = entry
        self.names = sorted(p.stem for p in entry.glob("*.parquet"))
        self._read: dict[str, pd.DataFrame] = {}

    @property
    def key(self) -> str:
        """The key the entry is stored under."""
        return self.entry.name

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self.names:
            raise KeyError(name)
        if name not in self._read:
            path = self.entry / f"{name}.parquet"
            try:
                self._read[name] = _read(path)
            except (OSError, ValueError) as exc:
                raise FramingError(f"{path}: a remembered table cannot be read ({type(exc).__name__}); delete "
                                   f"{self.entry.parent}, or unset {CACHE_VARIABLE}") from None
        return self._read[name]

    def release(self, name: str) -> pd.DataFrame:
        """The table ``name``, no longer held here: it is freed when its reader lets it go."""
        table = self[name]
        del self._read[name]
        return table

    def __iter__(self):
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def entry_of(key: str) -> Stored:
    """The entry stored under ``key`` in :func:`cache_folder`; a one-line error when it is gone (a pass
    that extends another, :data:`EXTENDS`, reads that other's rows)."""
    folder = cache_folder()
    entry = folder / key if folder is not None else None
    if entry is None or not entry.is_dir():
        raise FramingError(f"{CACHE_VARIABLE}: the remembered pass {key} is gone, and another pass extends it; "
                           f"delete {folder}, or unset {CACHE_VARIABLE}")
    return Stored(entry)


def _read(path: Path) -> pd.DataFrame:
    """A Parquet file as the DataFrame that was written (as :func:`pandas.read_parquet` gives it), each
    column's Arrow buffers freed as it is converted and handed back to the system after, so a read
    holds the table once, not twice (the 150 MB of a 10,000-document stance pass took 300 MB of memory)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path, memory_map=True)
    frame = table.to_pandas(self_destruct=True, split_blocks=True)
    del table
    pa.default_memory_pool().release_unused()
    return frame


EXTENDS = "extends"
"""The table of a remembered pass that extends another (its one row: that pass's key): such an entry
holds only the rows of the documents the other does not (:class:`framing.features.family._Extended`)."""
DOCUMENTS = "documents"
"""The table of an entry that names its documents (``doc_id``, ``digest``: :func:`document_digests`),
stored beside a pass so that a later corpus sharing most of its documents reads their rows back
(:func:`nearest`)."""


def nearest(prefix: str, digests: list[str]) -> "Stored | None":
    """Of the entries whose key starts with ``prefix + "-"`` and that name their documents
    (:data:`DOCUMENTS`), the one sharing most of ``digests``, if it shares at least half of them
    (counting the rest takes less than counting all); ``None`` otherwise, or without a cache folder.

    Examples
    --------
    >>> import tempfile
    >>> os.environ[CACHE_VARIABLE] = tempfile.mkdtemp()
    >>> import pandas as pd
    >>> _ = remembered("p-1", lambda: {DOCUMENTS: pd.DataFrame({"doc_id": ["a", "b"], "digest": ["x", "y"]})})
    >>> nearest("p", ["x", "z"]) is not None, nearest("p", ["x", "z", "w"]), nearest("q", ["x"])
    (True, None, None)
    >>> del os.environ[CACHE_VARIABLE]
    """
    folder = cache_folder()
    if folder is None or not folder.is_dir() or not digests:
        return None
    wanted, best, most = set(digests), None, (len(digests) + 1) // 2
    for entry in sorted(e for e in folder.glob(f"{prefix}-*") if e.is_dir()):
        stored = Stored(entry)
        if DOCUMENTS not in stored:  # an entry of a kind that does not name its documents
            continue
        shared = len(wanted.intersection(stored[DOCUMENTS]["digest"]))
        if shared >= most:
            best, most = stored, shared + 1
    return best


def remembered(key: str, compute) -> "tuple[Mapping[str, pd.DataFrame], bool]":
    """The tables stored under ``key`` in :func:`cache_folder` (:class:`Stored`), and ``False``; or,
    when none are stored, ``compute()`` (a dict of name -> DataFrame), stored, and ``True``.

    Without a cache folder, ``compute()`` and ``True``. Tables are written to a temporary folder
    first and renamed into place, so a reader never sees half an entry.

    Examples
    --------
    >>> import tempfile
    >>> os.environ[CACHE_VARIABLE] = tempfile.mkdtemp()
    >>> import pandas as pd
    >>> remembered("k", lambda: {"counts": pd.DataFrame({"n": [1, 2]})})[1]
    True
    >>> tables, computed = remembered("k", lambda: 1 / 0)  # read back: not computed again
    >>> tables["counts"]["n"].tolist(), computed
    ([1, 2], False)
    >>> del os.environ[CACHE_VARIABLE]
    """
    folder = cache_folder()
    if folder is None:
        return compute(), True
    entry = folder / key
    if entry.is_dir():
        return Stored(entry), False
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _unwritable(folder, exc) from None
    with _counting(folder, key):
        if entry.is_dir():  # counted by the process that held the key before
            return Stored(entry), False
        return _stored(folder, key, compute())


def _unwritable(folder: Path, exc: OSError) -> FramingError:
    return FramingError(f"{CACHE_VARIABLE}={folder}: cannot write there ({exc.strerror or exc}); name a "
                        f"writable folder, or unset {CACHE_VARIABLE}")


@contextmanager
def _counting(folder: Path, key: str):
    """Hold ``key`` of ``folder`` while this process counts it: a process asking for a key another
    is counting waits for that count and reads it (``framing figures`` counts some passes ahead, in a
    process of its own, :mod:`framing.ahead`) rather than counting it too. An advisory lock
    (``flock``) on a file beside the entry, removed once the entry is in place and released by the
    system if the process dies; without ``fcntl`` (Windows) each process counts for itself, and the
    first entry stored stands."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    lock = folder / f".{key}.lock"
    try:
        handle = open(lock, "a")
    except OSError as exc:
        raise _unwritable(folder, exc) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            locked = True
        except OSError:  # a file system that keeps no locks (some network mounts): counted here, as without fcntl
            locked = False
        try:
            yield
        finally:  # the entry is in place by now: a process that comes later finds it before it looks for a lock
            lock.unlink(missing_ok=True)
            if locked:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _stored(folder: Path, key: str, tables: dict) -> "tuple[Mapping[str, pd.DataFrame], bool]":
    """``tables`` written under ``key`` (to a temporary folder first, renamed into place), and ``True``."""
    entry = folder / key
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=folder))
    except OSError as exc:
        raise _unwritable(folder, exc) from None
    try:
        for name, table in tables.items():
            table.to_parquet(staging / f"{name}.parquet")
    except (ValueError, TypeError, NotImplementedError) as exc:  # a column Parquet cannot hold (a family's own values)
        shutil.rmtree(staging, ignore_errors=True)
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        warnings.warn(f"{CACHE_VARIABLE}: this pass is not remembered ({reason}); it is counted again when asked "
                      "for again", stacklevel=4)
        return tables, True
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _unwritable(folder, exc) from None
    try:
        staging.rename(entry)
    except OSError:  # another process stored the same key first: theirs stands
        shutil.rmtree(staging, ignore_errors=True)
    return tables, True
