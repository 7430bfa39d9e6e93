"""The gallery: the analysis notebooks run as one run, and the folder a run writes.

:func:`run_notebooks` executes the analysis notebooks in order (``notebooks/NN_*.ipynb``) with
nbclient, injecting parameters after each notebook's cell tagged ``parameters`` (as papermill
does), never writing outputs back into the notebooks, with a folder of remembered passes for the
run (:func:`run_cache`). :func:`check_figures_folder` says whether a run may write into a folder,
from the record (``run.json``) of the run that wrote there. This module draws nothing and imports
no plotting library: ``framing figures`` stays small beside the kernels it runs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager, nullcontext
from importlib.resources import files
from pathlib import Path

from framing.errors import FramingError
from framing.paths import project_path, project_root

NOTEBOOK_PATTERN = re.compile(r"^\d\d_.+\.ipynb$")


def display_name(corpus: "str | Path") -> str:
    """A corpus as a page shared with others may name it: its file or folder name, never the
    absolute path (which would show the user's folders).

    Examples
    --------
    >>> display_name("/home/ana/studies/debates.csv"), display_name("seeds")
    ('debates.csv', 'seeds')
    """
    return Path(str(corpus).rstrip("/")).name or str(corpus)



RUN_RECORD = "run.json"
"""Written beside the figures of every run (:func:`framing.record.write_record`): the settings, the
inputs and outputs with their hashes, the software; :func:`check_figures_folder` reads its settings."""


PATH_SETTINGS = ("CORPUS", "LEXICON", "EXTENSION", "ACTORS", "STOPWORDS", "SHEET", "SHEET_LEXICON", "CODEBOOK",
                 "FRAME_SHEET")
"""The settings of a run that may name a file or folder: a record keeps them relative to its own folder."""


def settings_for_record(parameters: dict, base: Path) -> dict:
    """A run's settings as its record keeps them: each of :data:`PATH_SETTINGS` that is an existing
    file or folder, relative to the record's folder ``base`` (so a replication package can move);
    every other setting (a group named ``PMOI/MEK``, a lexicon's name) as it is; ``OUT`` left out.

    Examples
    --------
    >>> import tempfile
    >>> base = Path(tempfile.mkdtemp())
    >>> (base / "corpus").mkdir()
    >>> settings_for_record({"CORPUS": str(base / "corpus"), "LEXICON": ["framing"], "OUT": "x"}, base / "figures")
    {'CORPUS': '../corpus', 'LEXICON': ['framing']}
    """
    def relative(value):
        if isinstance(value, list):
            return [relative(v) for v in value]
        if isinstance(value, str) and Path(value).is_absolute() and Path(value).exists():
            return Path(os.path.relpath(value, base)).as_posix()
        return value

    return {k: relative(v) if k in PATH_SETTINGS else v for k, v in parameters.items() if k != "OUT"}


def settings_from_record(settings: dict, base: Path) -> dict:
    """The inverse of :func:`settings_for_record`: each path setting that exists from ``base``, made absolute."""

    def absolute(value):
        if isinstance(value, list):
            return [absolute(v) for v in value]
        if isinstance(value, str) and not Path(value).is_absolute() and (base / value).exists():
            return str((base / value).resolve())
        return value

    return {k: absolute(v) if k in PATH_SETTINGS else v for k, v in settings.items()}


def check_figures_folder(out: "str | None", *, corpus: str, force: bool = False, parameters: dict | None = None) -> Path:
    """The folder a ``framing figures`` run may write into, or a one-line error.

    The project's ``figures/`` is the seeds' gallery: another corpus needs ``--out``.
    A folder that holds another run's figures (another corpus or other parameters in its
    record: lexicons, grouping, contrast..., or charts and no record) is replaced only with
    ``force``.
    """
    root = project_root()
    gallery = (root / "figures").resolve() if root is not None else None
    if out is None:
        if corpus != "seeds":
            raise FramingError("a run on another corpus needs --out DIR: the project's figures/ holds the seeds' gallery")
        if gallery is None:
            raise FramingError("no project folder here, so no seeds' gallery: give --corpus and --out")
        return gallery
    folder = Path(out).resolve()
    if folder == gallery:
        if corpus != "seeds":
            raise FramingError(f"{out}: the project's figures/ holds the seeds' gallery; write another corpus's figures elsewhere")
        return folder
    charts = [p for pattern in ("*.png", "*.svg", "*.pdf", "*.html") for p in folder.glob(pattern)] if folder.is_dir() else []
    if charts and not force:
        record = _read_record(folder / RUN_RECORD)
        previous = record.get("CORPUS")
        if _comparable(previous) != _comparable(corpus):
            made_by = f"corpus {previous}" if previous else "an unknown run"
            raise FramingError(f"{out} holds {len(charts)} figures of {made_by}; pass --force to replace them, or choose another --out")
        changed = sorted(k for k in set(record) | set(parameters or {}) if k not in ("OUT", "CORPUS")
                         and parameters is not None and _comparable(record.get(k)) != _comparable(parameters.get(k)))
        if changed:
            raise FramingError(f"{out} holds {len(charts)} figures of {corpus} made with other parameters "
                               f"({', '.join(k.lower() for k in changed)}); pass --force to replace them, or choose another --out")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _comparable(value):
    """A setting as two runs compare it: a path that exists, resolved ('seeds' and its absolute path are one corpus)."""
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, str) and project_path(value).exists():
        return str(project_path(value).resolve())
    return value


def _read_record(path: Path) -> dict:
    """The settings of a run record, its paths made absolute again, or {} when there is none; a record
    edited into something else is a one-line error."""
    if not path.is_file():
        return {}
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise FramingError(f"{path}: not a run record of framing figures ({exc}); delete it, or pass --force") from None
    if not isinstance(record, dict) or not isinstance(record.get("settings"), dict):
        raise FramingError(f"{path}: not a run record of framing figures (a JSON object with settings); delete it, "
                           "or pass --force")
    return settings_from_record(record["settings"], path.resolve().parent)


def notebooks(folder: Path) -> list[Path]:
    """The analysis notebooks of ``folder``, in run order."""
    return sorted(p for p in folder.iterdir() if NOTEBOOK_PATTERN.match(p.name))


def _inject(nb, parameters: dict):
    import nbformat

    source = "# injected by `framing figures`\n" + "\n".join(f"{k} = {v!r}" for k, v in parameters.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    for i, existing in enumerate(nb.cells):
        if "parameters" in existing.get("metadata", {}).get("tags", []):
            nb.cells.insert(i + 1, cell)
            return nb
    raise FramingError("notebook has no cell tagged 'parameters'; tag the cell that sets CORPUS, BY, ... ")


def _relayed_lines(cell) -> list[str]:
    """The "NAME not drawn: reason" and "NAME layout: ..." lines a cell printed (see :func:`save`), relayed to the command line."""
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
    return [line for line in text.splitlines() if " not drawn: " in line or " not written: " in line or " layout: " in line]


def shipped_notebooks() -> Path:
    """The folder of the analysis notebooks that ship with the package (``./notebooks`` in a
    checkout links to it), so ``framing figures`` runs from any folder."""
    return Path(str(files("framing").joinpath("notebooks")))


def run_notebooks(
    parameters: dict | None = None,
    *,
    folder: Path | None = None,
    workdir: Path | None = None,
    only: list[str] | None = None,
    skip: list[str] | None = None,
    progress: bool = True,
    timeout: int = 900,
) -> list[Path]:
    """Execute the notebooks of ``folder`` (default: :func:`shipped_notebooks`) in order,
    with ``parameters`` injected, the kernel working in ``workdir`` (default: the project
    folder inside a checkout, else the current folder).

    Returns the notebooks run. A failing cell raises a one-line :class:`FramingError`
    naming the notebook, the cell and the error.
    """
    try:
        import nbclient  # noqa: F401 - the notebooks extra, checked here: _run_one imports what it uses
        import nbformat  # noqa: F401
        from tqdm import tqdm
    except ImportError as exc:
        raise FramingError(f"running notebooks needs the notebooks extra ({exc.name} is missing): "
                           "python -m pip install \"framing[notebooks]\"") from None

    folder = folder or shipped_notebooks()
    root = workdir or project_root() or Path.cwd()
    paths = notebooks(folder) if folder.is_dir() else []
    if only:
        paths = [p for p in paths if any(p.name.startswith(o) for o in only)]
    asked = bool(paths)
    if skip:
        paths = [p for p in paths if not any(p.name.startswith(o) for o in skip)]
    if not paths and asked:
        raise FramingError(f"nothing to run: the notebooks asked for ({', '.join(only or ['all'])}) are all skipped, "
                           "for the reasons said above")
    if not paths:
        raise FramingError(f"{folder}: no notebooks named NN_*.ipynb to run")
    bar = tqdm(total=len(paths), unit="notebook", disable=not progress, file=sys.stderr, position=0)
    ahead = paths if folder.resolve() == shipped_notebooks().resolve() else []  # passes of the notebooks framing ships
    with run_cache(), _Ahead(root, ahead, parameters or {}), _Kernels(root, paths) as kernels:
        for path in paths:
            _run_one(path, parameters, root, timeout, progress, kernels.take())
            bar.update()
    bar.close()
    return paths


def first_imports(path: Path) -> str | None:
    """The first step of notebook ``path`` when it only imports (``import framing``, ``from framing import
    figures, plots``): the code cell after the parameters, if every statement of it is an import; else
    ``None``. :class:`_Kernels` runs it as the notebook's kernel starts, while the notebook before runs.

    Examples
    --------
    >>> import nbformat, tempfile
    >>> path = Path(tempfile.mkdtemp()) / "01_a.ipynb"
    >>> cells = [nbformat.v4.new_code_cell("BY = 'outlet'", metadata={"tags": ["parameters"]}),
    ...          nbformat.v4.new_code_cell("import framing\\nfrom framing import plots"), nbformat.v4.new_code_cell("x = 1")]
    >>> nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    >>> print(first_imports(path))
    import framing
    from framing import plots
    """
    import ast

    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    steps = [c for c in cells if c.get("cell_type") == "code" and "parameters" not in c.get("metadata", {}).get("tags", [])]
    if not steps:
        return None
    source = "".join(steps[0].get("source", ""))
    try:
        body = ast.parse(source).body
    except SyntaxError:  # IPython's own syntax (a magic): not run ahead
        return None
    return source if body and all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in body) else None


DEFER_NLTK_EXTRAS = "__import__('framing.nltk_extras').nltk_extras.defer_nltk_extras()"
"""What each kernel runs first (binding no name): its notebook's NLTK imported without loading SciPy's
statistics, its sparse matrices and scikit-learn until they are used (:mod:`framing.nltk_extras`), as
in the command line's own process."""


class _Kernels:
    """The kernels of one run, a fresh one for each notebook, each started while the notebook before it
    runs, with its notebook's first step made as it starts when that step only imports
    (:func:`first_imports`, IPython's ``exec_lines``): a kernel takes 0.6 s to start (Python, IPython, the
    ZeroMQ handshake) and 0.55 s to import framing with its charts, which the run no longer waits for, for
    110 MB held beside the notebook before. The notebook runs that step again, finding it done. Nothing
    of one notebook's interpreter is in the next. Every kernel still alive when the run ends, or fails,
    is stopped."""

    def __init__(self, root: Path, paths: list[Path]):
        self.root, self.paths, self.running, self.next = root, list(paths), None, None

    def __enter__(self) -> "_Kernels":
        return self

    def take(self):
        """The kernel manager of the next notebook (started ahead, or now), and the one after it started.
        The kernel before it was stopped by its notebook's client as the notebook ended (:func:`_run_one`);
        one still alive (a run stopped mid-notebook) is stopped here."""
        self._stop(self.running)
        self.running, self.next = self.next or self._start(self.paths.pop(0)), None
        if self.paths:
            self.next = self._start(self.paths.pop(0))
        return self.running

    def _start(self, path: Path):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        ahead = [DEFER_NLTK_EXTRAS] + [step for step in [first_imports(path)] if step is not None]
        manager = AsyncKernelManager(kernel_name="python3")  # the kind nbclient drives
        # errors come back as messages; one in the imports made ahead comes back when the notebook makes them
        run_sync(manager.start_kernel)(cwd=str(self.root), stderr=subprocess.DEVNULL,
                                       extra_arguments=[f"--IPKernelApp.exec_lines={ahead!r}"])
        return manager

    @staticmethod
    def _stop(manager) -> None:
        from jupyter_core.utils import run_sync

        if manager is not None and run_sync(manager.is_alive)():
            # at once: a graceful stop of a kernel holding a corpus's tables spent a second or two freeing them
            run_sync(manager.shutdown_kernel)(now=True)

    def __exit__(self, *exc) -> bool:
        for manager in (self.running, self.next):
            self._stop(manager)
        self.running = self.next = None
        return False


def cell_parameters(path: Path) -> dict:
    """The values the cell tagged ``parameters`` of notebook ``path`` sets (a name set to a literal:
    a string, number, list, ``None``...), read, not run. A cell that does not parse gives none: the
    notebook's run says what is wrong with it, in one line.

    Examples
    --------
    >>> import nbformat, tempfile
    >>> path = Path(tempfile.mkdtemp()) / "09_a.ipynb"
    >>> cell = nbformat.v4.new_code_cell("CORPUS = 'seeds'  # a folder\\nMIN = 15\\nFORMATS = ['png']", metadata={"tags": ["parameters"]})
    >>> nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    >>> cell_parameters(path)
    {'CORPUS': 'seeds', 'MIN': 15, 'FORMATS': ['png']}
    """
    import ast

    for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            values = {}
            try:
                body = ast.parse("".join(cell.get("source", ""))).body
            except SyntaxError:
                return values
            for node in body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    try:
                        values[node.targets[0].id] = ast.literal_eval(node.value)
                    except (ValueError, TypeError, SyntaxError, RecursionError):  # not a literal: not given ahead
                        pass
            return values
    return {}


class _Ahead:
    """The process that counts passes of later notebooks while the first ones run (:mod:`framing.ahead`),
    given each notebook's parameters (its cell's, with the run's over them), started as the run starts
    and stopped when it ends (it ends itself once its passes are remembered). Silent: a pass it could
    not count is counted, and its trouble said, by the notebook that asks for it. Which notebooks'
    passes it counts is :mod:`framing.ahead`'s to say: this module starts it by name and imports
    nothing of it (it reads corpora, a layer above the views)."""

    def __init__(self, root: Path, paths: list[Path], parameters: dict):
        self.root, self.process = root, None
        self.asks = {path.name[:2]: {**cell_parameters(path), **parameters} for path in paths}

    def __enter__(self) -> "_Ahead":
        if not self.asks:
            return self
        try:
            asks = json.dumps(self.asks)
        except (TypeError, ValueError):  # a parameter JSON cannot hold: the notebooks count everything
            return self
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "framing.ahead", "--parent", str(os.getpid())], cwd=str(self.root),
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
            self.process.stdin.write(asks)
            self.process.stdin.close()
        except OSError:  # it could not start, or ended at once: the notebooks count everything
            pass
        if self.process is not None:  # reaped as it ends, not left a zombie until the run ends
            threading.Thread(target=self.process.wait, daemon=True, name="framing-ahead-wait").start()
        return self

    def __exit__(self, *exc) -> bool:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        if self.process is not None:
            self.process.wait()
        return False


@contextmanager
def run_cache():
    """A temporary folder of remembered passes (:mod:`framing.cache`) for the notebooks of one run, removed
    when the run ends: the stance markers counted by notebook 04 are read back by 06, 09, 10 and 12, the
    sizes notebook 01 counted by the run record. Inside another run's folder, or one the user named in
    ``FRAMING_CACHE`` (relative to the folder the command runs in), that folder is used and kept."""
    from framing.cache import CACHE_VARIABLE, cache_folder

    own = cache_folder()
    with tempfile.TemporaryDirectory(prefix="framing-run-") if own is None else nullcontext(own) as folder:
        before = os.environ.get(CACHE_VARIABLE)
        os.environ[CACHE_VARIABLE] = str(Path(folder).resolve())  # the kernels inherit it, and work in another folder
        try:
            yield
        finally:
            if before is None:
                del os.environ[CACHE_VARIABLE]
            else:
                os.environ[CACHE_VARIABLE] = before


def _run_one(path: Path, parameters: dict | None, root: Path, timeout: int, progress: bool, manager) -> None:
    """Execute one notebook in the kernel of ``manager`` (started, and stopped, by :class:`_Kernels`), cell by
    cell, relaying what its cells print about charts."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from tqdm import tqdm

    nb = _inject(nbformat.read(path, as_version=4), parameters or {})
    # the kernel is stopped at once when its last cell has run (everything it writes is written by then), and
    # the client's channels closed: a graceful stop of a kernel holding a corpus's tables spent a second or two
    client = NotebookClient(nb, km=manager, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(root)}}, shutdown_kernel="immediate")
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    steps = tqdm(total=len(code), unit="step", desc=path.stem, leave=False, disable=not progress, file=sys.stderr, position=1)
    with client.setup_kernel(cleanup_kc=True):
        for i in code:
            try:
                client.execute_cell(nb.cells[i], i)
            except CellExecutionError as exc:
                plain = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))
                last = [line for line in plain.strip().splitlines() if line.strip()][-1]
                raise FramingError(f"{path.name}: cell {i} failed: {last}") from None
            for line in _relayed_lines(nb.cells[i]):
                print(f"framing: {path.stem}: {line}", file=sys.stderr)
            steps.update()
    steps.close()
