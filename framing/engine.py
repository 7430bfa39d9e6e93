"""Study-sized corpora: documents read in batches, counted batch by batch on every core or
on a Dask cluster, and written as they come, so memory stays flat whatever the corpus size.

The path is the one of :mod:`framing.documents.corpus` and :mod:`framing.features`, cut into batches:

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

import os
import sys
import warnings
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, NamedTuple

import numpy as np
import pandas as pd

from framing.documents.corpus import (
    Corpus,
    clean_documents,
    empty_documents,
    warn_empty,
)
from framing.documents.read import Batch, _from_frame
from framing.errors import FramingError, LeftOut
from framing.params import check_choice, check_int

ENGINES = ("local", "dask")
CONNECT_SECONDS = 20
"""How long ``--scheduler ADDR`` waits for the scheduler before it says it cannot connect."""

# --------------------------------------------------------------------------- what each batch gets


@dataclass(frozen=True)
class Task:
    """What each batch goes through: cleaning (``rules``; none with ``clean=False``), the
    metadata columns kept (``meta``; None: all), then ``make`` on the batch's corpus."""

    make: Callable[[Corpus], pd.DataFrame]
    clean: bool = True
    rules: tuple | None = None
    meta: tuple | None = None
    origin: str = ""
    language: str | None = None

    def __call__(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, "BatchNotes"]:
        corpus = clean_documents(frame, clean=self.clean, rules=self.rules, origin=self.origin, language=self.language)
        if self.meta is not None:
            corpus = corpus.keep_metadata(self.meta)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = self.make(corpus)
        left_out = []
        for w in caught:  # documents left out are added up over batches and said once; the rest is said as it came
            if isinstance(w.message, LeftOut):
                left_out.append((w.message.template, w.message.n))
            else:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, registry=_SAID)
        return result, BatchNotes(empty_documents(corpus), left_out)


_SAID: dict = {}
"""The warnings a batch re-raises, said once per process (as Python's default filter would)."""


class BatchNotes(NamedTuple):
    """What a batch has to say beside its table: its empty documents, and the documents a family
    left out (``(template, n)`` of :class:`framing.errors.LeftOut`)."""

    empty: list
    left_out: list


class _Notes:
    """The notes of every batch of a run, said once at its end (:meth:`say`)."""

    def __init__(self):
        self.empty: list[str] = []
        self.left_out: dict[str, int] = {}

    def add(self, notes: BatchNotes) -> None:
        self.empty.extend(notes.empty)
        for template, n in notes.left_out:
            self.left_out[template] = self.left_out.get(template, 0) + n

    def say(self, origin: str) -> None:
        for template, n in self.left_out.items():
            warnings.warn(LeftOut(template, n), stacklevel=3)
        warn_empty(origin, self.empty, stacklevel=3)


def make_task(make, *, clean: bool = True, cleaning_rules=None, meta=None, origin: str = "",
              language: str | None = None) -> Task:
    """A :class:`Task` with its cleaning rules read once, here, rather than once per batch."""
    from framing.documents.clean import load_rules

    rules = (cleaning_rules if isinstance(cleaning_rules, tuple) else load_rules(cleaning_rules)) if clean else None
    return Task(make, clean, rules, None if meta is None else tuple(meta), origin, language)


# --------------------------------------------------------------------------- running the batches


_INSTALLED: Task | None = None


def _install(task: Task, parent: int | None = None) -> None:
    global _INSTALLED
    _INSTALLED = task
    die_with_parent(parent)


def die_with_parent(parent: int | None) -> None:
    """Make this process (a worker, or the one counting ahead of a run: :mod:`framing.ahead`) end
    when the process that started it ends, even by SIGKILL (which runs no clean-up): on Linux the
    kernel sends it SIGKILL then (``PR_SET_PDEATHSIG``); elsewhere a daemon thread notices the
    parent is gone. Without this, a killed run's workers live on as orphans holding the terminal's pipe."""
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
    notes = _Notes()
    bar = _progress(progress)
    with _submitter(task, engine, jobs, scheduler) as (submit, width):
        pending: deque = deque()
        for batch in batches if width == 1 else cut_last(batches, 2 * width):
            pending.append((submit(batch.frame), len(batch.frame), batch.chars))
            while len(pending) > 2 * width:
                yield _collect(pending.popleft(), notes, bar)
        while pending:
            yield _collect(pending.popleft(), notes, bar)
    if bar is not None:
        bar.close()
    notes.say(task.origin)


def cut_last(batches: Iterable[Batch], pieces: int) -> Iterator[Batch]:
    """``batches``, the last one cut into ``pieces`` of about equal text (whole documents, in order).

    With several workers a run ends when its last batch does, and a whole last batch left one worker
    idle while the other counted it: 0.3-0.6 s of a 7 s run on 10 MB with two. Cut in two pieces per
    worker, the workers take them as each comes free, and the one that ends first waits at most a piece.
    Only the last batch is cut, so the reader runs one batch ahead, no more; a batch's rows depend
    on its documents alone, so the tables are the same.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.documents.read import Batch
    >>> frame = pd.DataFrame({"doc_id": list("abcdef"), "text": ["xx", "x", "x", "xxxx", "x", "x"]})
    >>> batches = [Batch(frame.iloc[:2], 0, 3), Batch(frame.iloc[2:], 2, 7)]
    >>> [(b.first, list(b.frame.doc_id), b.chars) for b in cut_last(batches, 3)]
    [(0, ['a', 'b'], 3), (2, ['c', 'd'], 5), (4, ['e', 'f'], 2)]

    The last batch's 7 characters are cut where its text passes 7/3 and 14/3: both after ``d``, a
    document of 4 that is not split, so it gives two pieces, not three.
    """
    last = None
    for batch in batches:
        if last is not None:
            yield last
        last = batch
    if last is None:
        return
    sizes = last.frame["text"].str.len().fillna(0).to_numpy(dtype=np.int64)
    if len(sizes) < 2:
        yield last
        return
    ends = np.cumsum(sizes)
    # a piece ends with the document at whose end the text passes each share (at least one document each)
    cuts = np.searchsorted(ends, ends[-1] * np.arange(1, pieces) / pieces, side="left") + 1
    bounds = sorted({0, len(sizes), *(int(c) for c in cuts if 0 < c < len(sizes))})
    for start, stop in zip(bounds, bounds[1:]):
        yield Batch(last.frame.iloc[start:stop], last.first + start, int(sizes[start:stop].sum()))


def _collect(item, notes: _Notes, bar, seen: dict | None = None) -> pd.DataFrame:
    future, n_docs, chars = item
    table, batch_notes, *ids = _result(future)
    notes.add(batch_notes)
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
    table, notes = task(frame)
    return table, notes, frame["doc_id"].astype(str).tolist(), int(frame["text"].str.len().sum())


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
    notes = _Notes()
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
                yield _collect(pending.popleft(), notes, bar, seen)
        while pending:
            yield _collect(pending.popleft(), notes, bar, seen)
    if bar is not None:
        bar.close()
    if not seen:
        raise FramingError(f"{source}: the dataset has no rows; it needs one row per document")
    notes.say(task.origin)


def _warm(task: Task) -> None:
    """Run ``task`` once on a tiny document before the workers fork, so that what it loads on
    first use (NLTK's Punkt, VADER, the lexicon matchers) is loaded once and shared, not once per worker."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # what it says of a made-up document (a short text's language) is noise
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
            import gc

            gc.freeze()  # what the workers inherit is left out of their collections: never touched, never copied
            self._close.append(gc.unfreeze)
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
