"""Command-line front end: ``framing COMMAND ...``. Every error is one line on stderr and exit code 2.

:mod:`.parser` declares the commands and their options, :mod:`.commands` runs them; here is
``main``: parse, take the study file's settings (:mod:`.settings`), refuse outputs that would replace an input or each other, run, and turn every
error into one line."""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import warnings
from pathlib import Path

from framing.cli.commands import _inputs
from framing.cli.parser import build_parser
from framing.cli.settings import with_study
from framing.errors import FramingError
from framing.nltk_extras import defer_nltk_extras
from framing.output import RAW_CSV_ENV, refuse_inputs


def _warning_line(message, category, filename, lineno, file=None, line=None):
    print(f"framing: warning: {message}", file=sys.stderr)


def _terminated(signum, frame):
    # SIGTERM unwinds like Ctrl-C, so partly written outputs are removed (framing.output)
    raise KeyboardInterrupt


MMAP_THRESHOLD = 1 << 20
"""Bytes from which glibc allocates with ``mmap`` (and so returns a freed block to the system at once)."""


def return_freed_memory() -> None:
    """Memory a command frees goes back to the system at once, so its peak is what it holds, not what
    it once held: glibc's ``mmap`` threshold fixed at :data:`MMAP_THRESHOLD` (by default it rises
    after each large block freed, and later arrays of that size stay in the heap when freed), and
    Arrow's system allocator rather than its mimalloc pool (which keeps what it frees). Measured on
    10,000 one-document groups of news: ``explore`` 988 to 866 MB, ``compare --family stance`` 794
    to 730 MB; on 10 MB, ``features --family all`` 374 to 335 MB; times unchanged. Set for this
    process and, through the environment, for the workers and kernels it starts; a value the user
    set is kept. Not glibc (macOS, Windows): each system's allocator as it is."""
    import ctypes
    import ctypes.util

    os.environ.setdefault("MALLOC_MMAP_THRESHOLD_", str(MMAP_THRESHOLD))
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-3, int(os.environ["MALLOC_MMAP_THRESHOLD_"]))  # -3: M_MMAP_THRESHOLD
    except (OSError, AttributeError, ValueError):
        pass
    if os.environ["ARROW_DEFAULT_MEMORY_POOL"] == "system" and "pyarrow" in sys.modules:  # read by Arrow when first
        import pyarrow  # loaded: it was loaded already (not by the command line, which loads it when it reads a table)

        pyarrow.set_memory_pool(pyarrow.system_memory_pool())


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``framing`` command; returns the exit code."""
    return_freed_memory()
    defer_nltk_extras()  # Punkt without loading SciPy's statistics, sparse matrices, scikit-learn: 0.77 s, 80 MB
    parser = build_parser()
    args = parser.parse_args(argv)
    warnings.showwarning = _warning_line
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if main_thread else None
    try:
        return _run(args, lambda args: with_study(parser, argv, args))
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


def console() -> int:
    """The ``framing`` command as installed (and ``python -m framing``): :func:`main`, then whatever
    the process holds is left out of the interpreter's last garbage collections (:func:`gc.freeze`),
    as it is about to end: those collections, over pandas, NLTK and a run's tables, took 0.13 s of
    every command (from ``main``'s return to the process's end: 0.165 -> 0.04 s, ``features --family
    all`` on 10 MB). Every output is written, closed and moved into place before ``main`` returns,
    and ``atexit`` handlers (temporary folders, worker pools) still run. Not in :func:`main` itself,
    which a Python session may call many times."""
    code = main()
    gc.freeze()
    return code


OUTPUT_OPTIONS = {"output": "-o", "matrix": "--matrix", "shares": "--shares", "html": "--html", "plot": "--plot",
                  "fix": "--fix", "units_out": "--units", "table": "--table"}


def _check_outputs(args) -> None:
    """Two outputs of one run may not be one file: the first would be silently replaced. An output
    that exists already is replaced only with --force (a command that guards its outputs itself, as
    ``validate sample`` does its sheet, page and key, says so with ``guards_outputs``)."""
    seen: dict[Path, str] = {}
    for name, option in OUTPUT_OPTIONS.items():
        value = getattr(args, name, None)
        if not isinstance(value, str):
            continue
        where = Path(value).resolve()
        if where in seen:
            raise FramingError(f"{seen[where]} and {option} name the same file ({value}); give each output its own name")
        seen[where] = option
        if where.is_file() and not getattr(args, "force", False) and not getattr(args, "guards_outputs", False):
            refuse_inputs(value, _inputs(args))  # an input is never replaced, --force or not: say that first
            raise FramingError(f"{value} exists already ({option}); pass --force to replace it, or choose another name")


def _run(args, settle) -> int:
    raw = os.environ.get(RAW_CSV_ENV)
    if getattr(args, "raw_csv", False):
        os.environ[RAW_CSV_ENV] = "1"
    try:
        return _run_command(args, settle)
    finally:  # the option is this run's, not the process's
        if raw is None:
            os.environ.pop(RAW_CSV_ENV, None)
        else:
            os.environ[RAW_CSV_ENV] = raw


def _run_command(args, settle) -> int:
    """Run the command, with the study file's settings (``settle``), every error one line."""
    try:
        args = settle(args)
        _check_outputs(args)
        args.run(args)
    except FramingError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("framing: interrupted", file=sys.stderr)
        return 130
    except MemoryError as exc:  # often without a message ("framing: error:" and nothing else)
        detail = f" ({exc})" if str(exc).strip() else ""
        print(f"framing: error: out of memory{detail}; run on fewer documents or groups, or stream the corpus "
              "(framing features with --batch-mb)", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"framing: error: {str(exc).strip() or type(exc).__name__}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: still one line, with a way to get the traceback
        if os.environ.get("FRAMING_DEBUG"):
            raise
        print(f"framing: internal error: {type(exc).__name__}: {exc} (rerun with FRAMING_DEBUG=1 and report it)",
              file=sys.stderr)
        return 1
    return 0
