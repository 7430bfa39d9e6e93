"""Figures on disk: deterministic saving, and what notebooks call to write their outputs.

:func:`save` writes a matplotlib figure as PNG (and SVG, PDF) with no timestamp or software
metadata, so the same data gives the same bytes; :func:`save_table` and :func:`save_html` write a
paper's table and a page beside it. Running the notebooks themselves is :mod:`framing.views.gallery`
(re-exported here: ``figures.run_notebooks``), which imports no plotting library.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from framing.errors import FramingError
from framing.output import atomic_path, write_table, write_text
from framing.paths import project_path, project_root  # noqa: F401 - re-exported: notebooks call figures.project_path
from framing.views.gallery import (  # noqa: F401 - re-exported: notebooks call figures.display_name
    check_figures_folder,
    display_name,
    notebooks,
    run_notebooks,
    settings_for_record,
    settings_from_record,
    shipped_notebooks,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["canvas", "check_figures_folder", "display_name", "notebooks", "shipped_notebooks", "project_path", "project_root", "run_notebooks", "save",  # noqa: F822, E501 - canvas: __getattr__
           "save_html", "save_table", "settings_for_record", "settings_from_record"]


def __getattr__(name: str):
    """``figures.canvas`` (:func:`framing.views.plots.canvas`), loaded when first asked for: a notebook
    that draws no chart (the explorer's) loads no matplotlib."""
    if name == "canvas":
        from framing.views.plots import canvas

        return canvas
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}
"""What each format writes about its making: nothing that changes from run to run (no date, no
software version), so that the same data gives the same bytes. SVG ids come from the fixed
``svg.hashsalt`` of :data:`framing.views.plots.STYLE`."""

PRINT_STYLE = {"pdf.fonttype": 42, "ps.fonttype": 42}
"""PDF fonts embedded whole as TrueType (Type 42), as journals ask, rather than as Type 3 glyphs."""


def save(fig: "Figure | object", out_dir: str | Path, name: str, *, formats=("png",), dpi: int = 150) -> Path | None:
    """Write ``fig`` to ``out_dir/name.png`` (and ``.svg``, ``.pdf`` among ``formats``) reproducibly
    and return the path of the first format written.

    Beside it, ``name.csv`` holds the values the chart shows (:func:`framing.views.plots.drawn_values`:
    one row per bar, dot or cell, with its interval, n and the panel's title, which names what was
    left out), to :data:`VALUE_DIGITS` significant digits. PNG is drawn at ``dpi`` dots per inch; SVG and PDF are vector (text as paths in SVG, fonts
    embedded in PDF). No format records a date or a software version (:data:`METADATA`), so a
    rerun gives the same bytes. A :class:`framing.views.plots.Skipped` chart writes nothing: its
    reason is printed in one line. Text that runs off the figure or overlaps other text
    (:func:`framing.views.plots.layout_problems`) is printed as "NAME layout: ...", one line
    each, and relayed by ``framing figures``.
    """
    from matplotlib import rc_context

    from framing.study import FORMATS
    from framing.views.plots import Skipped, drawn_values, layout_problems, style

    formats = [formats] if isinstance(formats, str) else list(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if not formats or unknown:
        raise FramingError(f"formats must be among {', '.join(FORMATS)}, got {formats!r}")
    if isinstance(fig, Skipped):
        print(f"{name} not drawn: {fig.reason}")
        return None
    folder = project_path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    values = drawn_values(fig)
    if values is not None:  # the numbers behind the chart, beside it
        write_table(values, folder / f"{name}.csv", float_format=f"%.{VALUE_DIGITS}g")
    paths = []
    with style(), rc_context(PRINT_STYLE), _laid_out(fig, dpi):  # the layout is found once, at the PNG's resolution
        for problem in layout_problems(fig, drawn=True):  # the boxes of the layout the PNG is drawn from
            print(f"{name} layout: {problem}")
        for kind in formats:
            path = folder / f"{name}.{kind}"
            with atomic_path(path) as tmp:
                fig.savefig(tmp, format=kind, dpi=dpi, metadata=METADATA[kind])
            paths.append(path)
    return paths[0]


@contextmanager
def _laid_out(fig: "Figure", dpi: int):
    """``fig`` at ``dpi``, laid out once (a draw without rendering: constrained layout placed every
    axes and text), its layout then held while it is saved: a PNG (or PDF, SVG) is drawn from that
    layout, which :func:`framing.views.plots.layout_problems` reads without drawing the figure again.
    Checking and saving used to lay a chart out three times (the check, then savefig's own layout draw
    and its rendering draw), a third of saving a large chart. The figure's dpi and layout engine are
    restored after."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    before, engine = fig.dpi, fig.get_layout_engine()
    fig.dpi = dpi
    try:
        fig.draw_without_rendering()
        if engine is not None:
            fig.set_layout_engine("none")
        yield
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
        fig.dpi = before


VALUE_DIGITS = 12
"""Significant digits of the values written beside a chart. A chart shows three or four; the last
digits of a projection (the SVD of a profile map) differ between processors, since OpenBLAS picks
its kernels by CPU, and twelve keep a rerun's values byte for byte on any of them."""


def save_table(result, out_dir: str | Path, name: str, *, lexicon=None) -> Path | None:
    """Write a result of compare, compare_groups, rate_model or trend to ``out_dir/name.tex`` as the
    LaTeX table a paper takes (:func:`framing.views.paper.render`: estimates with intervals, BH
    stars, n, a caption naming ``lexicon`` when the result has no lexicon column; labelled
    ``tab:name``) and return the path."""
    from framing.views.paper import render

    estimate = next((c for c in ("rate_ratio", "per_1k", "difference") if c in result.columns), None)
    if estimate is not None and len(result) and result[estimate].isna().all() and "warning" in result.columns:
        print(f"{name} not written: {result['warning'].iloc[0]}")  # relayed by framing figures, like a chart not drawn
        return None
    folder = project_path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return write_text(folder / f"{name}.tex", render(result, "latex", label=f"tab:{name}", lexicon=lexicon))


def save_html(page: str, out_dir: str | Path, name: str) -> Path:
    """Write an HTML page (e.g. :func:`framing.views.highlight.render_html`) to ``out_dir/name.html``."""
    folder = project_path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return write_text(folder / f"{name}.html", page)
