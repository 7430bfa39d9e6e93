"""Where things are: the project folder, and paths relative to it (leaf module, no I/O at import)."""

from __future__ import annotations

from pathlib import Path


def project_root(start: Path | None = None) -> Path | None:
    """The framing project folder (it holds ``pyproject.toml`` and ``notebooks/``), searched upward from ``start``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "notebooks").is_dir():
            return folder
    return None


def project_path(path: str | Path) -> Path:
    """Resolve ``path``: as given if absolute or present here, else relative to the project root.

    Notebooks use it so that ``"seeds"`` and ``"figures"`` work whether the kernel
    runs in ``notebooks/`` (JupyterLab) or in the project root (``framing figures``).
    """
    path = Path(path)
    if path.is_absolute() or path.exists():
        return path
    root = project_root()
    return (root / path) if root is not None else path
