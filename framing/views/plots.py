"""Charts: pure matplotlib, each drawing on an ``Axes`` it is given (or returning a
``Figure`` for multi-panel charts). No statistics are computed here and nothing is
written to disk: the inputs are the tables of :mod:`framing.comparison.rates` and
:mod:`framing.keywords.keyness`, and :func:`framing.views.figures.save` writes files.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies);
sequential maps use ``cividis``.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from functools import wraps
from typing import NamedTuple

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from framing.tables import ALL, LANGUAGE, Similarity, language_name
from framing.views.colours import (  # noqa: F401 - plots.group_colours
    DISTINCT_COLOURS,
    MAX_GROUPS,
    OKABE_ITO,
    _sizes,
    group_colours,
)

CONNOTATION_COLOURS = {
    "delegitimizing": "#D55E00", "neutral": "#BBBBBB", "legitimizing": "#56B4E9", "valorizing": "#009E73",
}
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=OKABE_ITO),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "svg.hashsalt": "framing",
    "svg.fonttype": "path",
    "path.simplify": True,
}


class Skipped(NamedTuple):
    """What a figure function returns instead of a chart that would mean nothing (two groups
    in a similarity heatmap, a contrast that repeats the grouping). :func:`framing.views.figures.save`
    writes no file for it and says why in one line."""

    reason: str


@contextmanager
def style():
    """The house style, as a context: ``with plots.style(): fig = ...``."""
    with mpl.rc_context(STYLE):
        yield


_DEPTH = [0]


def canvas(width: float = 7.0, height: float = 4.0) -> tuple[Figure, Axes]:
    """A new figure with one Axes, in the house style, not registered with pyplot."""
    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.add_subplot()
    return fig, ax


def _styled(function):
    """Draw in the house style whatever the caller's rcParams are; when the outermost chart
    function returns, re-wrap any title that runs off the figure (:func:`_fit_titles`)."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        _DEPTH[0] += 1
        try:
            with style():
                out = function(*args, **kwargs)
                if _DEPTH[0] == 1 and isinstance(out, (Axes, Figure)):
                    _fit_titles(out.figure if isinstance(out, Axes) else out)
                return out
        finally:
            _DEPTH[0] -= 1

    return wrapper


def wrapped(text: str, chars: int) -> str:
    """``text`` wrapped at spaces, each of its lines on its own, into as few lines as ``chars``
    characters a line allow, and those lines made as even as they can be: the narrowest width
    that needs no more lines, so a title never ends on a line of one word.

    Examples
    --------
    >>> import textwrap
    >>> textwrap.wrap("Stance markers by outlet, each panel on its own scale", 48)
    ['Stance markers by outlet, each panel on its own', 'scale']
    >>> print(wrapped("Stance markers by outlet, each panel on its own scale", 48))
    Stance markers by outlet,
    each panel on its own scale
    """
    import textwrap

    def lines(part: str, width: int) -> list[str]:
        return textwrap.wrap(part, width, break_on_hyphens=False)

    out = []
    for part in text.split("\n"):
        fewest = len(lines(part, chars))
        longest = max((len(word) for word in part.split()), default=1)  # no narrower: textwrap would cut a word
        low, high = min(chars, max(longest, -(-len(part) // max(fewest, 1)))), chars
        while low < high:  # greedy wrapping needs no more lines at a wider width
            middle = (low + high) // 2
            low, high = (low, middle) if len(lines(part, middle)) <= fewest else (middle + 1, high)
        out.append("\n".join(lines(part, high)) if part else part)
    return "\n".join(out)


def _fit_titles(fig: Figure, rounds: int = 4) -> None:
    """Lay the figure out and re-wrap every title (and the figure's suptitle) that runs past an
    edge of the figure into shorter lines, until all fit; a title wraps at word boundaries."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    for _ in range(rounds):
        fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()
        frame = fig.bbox
        titles = [ax.title for ax in fig.axes if ax.get_visible()] + ([fig._suptitle] if fig._suptitle else [])
        changed = False
        for title in titles:
            text = title.get_text()
            box = title.get_window_extent(renderer)
            if not text or (box.x0 >= frame.x0 - 1 and box.x1 <= frame.x1 + 1):
                continue
            longest = max(len(line) for line in text.split("\n"))
            room = min(box.x1, frame.x1) - max(box.x0, frame.x0)
            width = max(15, int(longest * max(room, 1) / max(box.width, 1) * 0.95))
            title.set_text(wrapped("\n".join(" ".join(line.split()) for line in text.split("\n")), width))
            changed = True
        if not changed:
            return


MAX_PIXELS = 4000
"""No chart is larger than this on a side (at the saving resolution, 150 dpi)."""
MANY_POINTS = 30
"""Beyond this many documents, charts show distributions and group centroids, not one label per document."""


def _shown(sizes, limit: int = MAX_GROUPS) -> tuple[list[str], str]:
    """The groups a chart shows: all, or the ``limit`` with most documents (:func:`framing.groups.largest`),
    and a note naming what was left out ('' if nothing)."""
    from framing.groups import largest, left_out_note

    kept, out = largest(_sizes(sizes), limit)
    return kept, left_out_note(out)


def _group_sizes(table: pd.DataFrame, by: str, size: str) -> dict:
    """Documents (or the ``size`` column's largest value) per group of a comparison table."""
    return {str(g): v for g, v in table.groupby(by, sort=False)[size].max().items()}


def _keep_largest(table: pd.DataFrame, by: str, size: str, limit: int = MAX_GROUPS) -> tuple[pd.DataFrame, list, str]:
    """The rows of the groups :func:`_shown` keeps, those groups in order, and its note."""
    groups, note = _shown(_group_sizes(table, by, size), limit)
    return table[table[by].astype(str).isin(groups)], groups, note


def _colours_for(groups: list[str], colours: dict | None) -> dict:
    """The run's colours (``colours``) for these groups, or a mapping of them alone."""
    if colours is not None and all(g in colours for g in groups):
        return colours
    return group_colours({g: len(groups) - i for i, g in enumerate(groups)})


def _lexicon_label(lexicon) -> str:
    """A lexicon as a title names it: a name, a file's stem, or several joined by "+"."""
    from pathlib import Path

    items = [lexicon] if isinstance(lexicon, str) else list(lexicon)
    return "+".join(Path(str(x)).stem if str(x).endswith((".toml", ".dic", ".csv", ".yaml", ".yml")) else str(x) for x in items)


def profile_label(lexicon) -> str:
    """What a framing profile is made of, for titles: the lexicon and the stance markers, or
    the stance markers alone when no lexicon was chosen.

    Examples
    --------
    >>> profile_label("framing"), profile_label(None)
    ('framing and stance', 'stance markers')
    """
    return "stance markers" if lexicon is None else f"{_lexicon_label(lexicon)} and stance"


def level_text(table: pd.DataFrame) -> str:
    """The central share of a table's intervals as a title says it, from its ``level`` column
    (95% for a table without one).

    Examples
    --------
    >>> level_text(pd.DataFrame({"level": [0.9]})), level_text(pd.DataFrame({"x": [1]}))
    ('90%', '95%')
    """
    level = float(table["level"].iloc[0]) if "level" in table and len(table) else 0.95
    return f"{level * 100:g}%"


def _number(value: float, fmt: str) -> str:
    """``value`` as ``fmt`` writes it, without the sign of a value that rounds to zero.

    Examples
    --------
    >>> _number(-0.004, "{:.2f}"), _number(-0.006, "{:.2f}"), _number(0.0, "{:.1f}")
    ('0.00', '-0.01', '0.0')
    """
    text = fmt.format(value)
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _pretty(name: str) -> str:
    return str(name).replace("_", " ")


def _title(ax: Axes, text: str, *, fontsize: float | None = None) -> None:
    """A title wrapped to the width of its figure, so it never runs off the image."""
    size = fontsize or mpl.rcParams["axes.titlesize"]
    size = mpl.font_manager.FontProperties(size=size).get_size_in_points()
    width = ax.figure.get_size_inches()[0] * 72 * 0.92
    chars = max(20, int(width / (0.55 * size)))
    ax.set_title(wrapped(text, chars), fontsize=size)


# --------------------------------------------------------------------------- corpus


DRAWN = "framing_drawn"
"""The attribute of an Axes holding the values it shows (:func:`_record`, :func:`drawn_values`)."""


def _record(ax: Axes, table: pd.DataFrame) -> None:
    """Keep on ``ax`` the values it shows, one row per mark (bar, dot, cell, line point) in the
    order drawn, with what the marks stand for: :func:`framing.views.figures.save` writes them
    beside the chart, so a reader can cite a number without reading it off the picture."""
    setattr(ax, DRAWN, table.reset_index(drop=True))


def drawn_values(fig: Figure) -> pd.DataFrame | None:
    """The values a figure shows: each visible panel's table (see :func:`_record`), with
    ``panel``, the panel's title (which says what was left out), and ``chart``, the figure's
    title when it has one; None when no panel recorded any."""
    parts = []
    suptitle = fig.get_suptitle().replace("\n", " ")
    for ax in fig.axes:
        table = getattr(ax, DRAWN, None)
        if table is None or not ax.get_visible():
            continue
        head = {"chart": suptitle} if suptitle else {}
        head["panel"] = ax.get_title().replace("\n", " ")
        parts.append(pd.concat([pd.DataFrame(head, index=table.index), table], axis=1))
    return pd.concat(parts, ignore_index=True) if parts else None


@_styled
def document_sizes(overview: pd.DataFrame, ax: Axes, *, by: str | None = None, colours: dict | None = None) -> Axes:
    """Word tokens per document (input: :meth:`framing.Corpus.overview`): one bar per document,
    coloured by group (``colours``: the run's :func:`group_colours`), labelled with its group, with
    the lines cleaning removed; beyond :data:`MANY_POINTS` documents, the distribution of each
    group's document sizes instead, one row per group in the run's order (by time for periods),
    at most :data:`MAX_GROUPS` rows."""
    groups = overview[by].astype(str) if by else pd.Series([""] * len(overview), index=overview.index)
    if len(overview) > MANY_POINTS:
        kept, note = _shown(groups) if by else ([""], "")
        data = [overview.loc[groups == g, "n_tokens"].to_numpy() for g in kept]
        ax.boxplot(data, orientation="horizontal", widths=0.6, flierprops={"markersize": 2})
        stats = mpl.cbook.boxplot_stats(data)  # what boxplot draws: quartiles, whiskers at 1.5 IQR, outliers
        _record(ax, pd.DataFrame({by or "group": [g or "all" for g in kept], "n_docs": [len(d) for d in data],
                                  "whisker_low": [b["whislo"] for b in stats], "q1": [b["q1"] for b in stats],
                                  "median": [b["med"] for b in stats], "q3": [b["q3"] for b in stats],
                                  "whisker_high": [b["whishi"] for b in stats],
                                  "outliers": [len(b["fliers"]) for b in stats]}))
        ax.set_yticks(range(1, len(kept) + 1), [f"{g or 'all'} (n={len(d)})" for g, d in zip(kept, data)])
        ax.invert_yaxis()
        ax.set_xlabel("word tokens per document, after cleaning")
        _title(ax, f"{len(overview):,} documents" + (f" by {by}" if by else "")
               + f"; cleaning removed {int(overview['lines_removed'].sum()):,} lines" + _repaired(overview) + note)
        return ax
    colours = _colours_for(list(dict.fromkeys(groups)), colours)
    labels = [f"{d[:12]} ({g})" if g else d for d, g in zip(overview["doc_id"], groups)]
    ax.barh(range(len(overview)), overview["n_tokens"], color=[colours[g] for g in groups])
    _record(ax, pd.DataFrame({"doc_id": overview["doc_id"].to_numpy(), **({by: groups.to_numpy()} if by else {}),
                              "n_tokens": overview["n_tokens"].to_numpy(), "lines_removed": overview["lines_removed"].to_numpy()}))
    for i, (n, removed) in enumerate(zip(overview["n_tokens"], overview["lines_removed"])):
        ax.text(n, i, f"  {n} tokens, {removed} lines cleaned", va="center", fontsize=7)
    ax.set_yticks(range(len(overview)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, overview["n_tokens"].max() * 1.6 if len(overview) else 1)
    ax.set_xlabel("word tokens after cleaning")
    _title(ax, "Documents" + (f" by {by}" if by else ""))
    return ax


def _repaired(overview: pd.DataFrame) -> str:
    """``"; repaired N lines of mojibake"`` where cleaning repaired any (nothing otherwise)."""
    n = int(overview["lines_repaired"].sum()) if "lines_repaired" in overview else 0
    return f"; repaired {n:,} line{'s' * (n != 1)} of mojibake" if n else ""


def documents_figure(overview: pd.DataFrame, *, by: str | None = None, colours: dict | None = None) -> Figure:
    """:func:`document_sizes` on a canvas sized to its rows (documents, or groups beyond
    :data:`MANY_POINTS` documents), never taller than :data:`MAX_PIXELS`."""

    rows = len(overview) if len(overview) <= MANY_POINTS else min(overview[by].nunique() if by else 1, MAX_GROUPS)
    fig, ax = canvas(7, min(max(3.0, 1.4 + 0.35 * rows), MAX_PIXELS / 150))
    document_sizes(overview, ax, by=by, colours=colours)
    return fig


def grouping(table: pd.DataFrame) -> str:
    """The grouping column of a comparison table: its first column, named after the
    metadata column the groups come from (``outlet``, ``affiliation``...)."""
    return str(table.columns[0])


# --------------------------------------------------------------------------- heatmap


def rate_figure(rates: pd.DataFrame, *, lexicon: str | None = None, voice: str | None = None) -> Figure:
    """A :func:`rate_heatmap` on a canvas sized to its groups (at most :data:`MAX_GROUPS` rows,
    and :data:`MAX_PIXELS` high), titled with the lexicon, the grouping and the unit."""

    rows = min(rates[grouping(rates)].nunique(), MAX_GROUPS)
    fig, ax = canvas(9, min(2.2 + 0.55 * rows, MAX_PIXELS / 150))
    rate_heatmap(rates, ax, voice=voice, lexicon=lexicon)
    return fig


def contrast_heatmap_figure(rates: pd.DataFrame, grouped_by: pd.DataFrame, *, lexicon: str | None = None) -> "Figure | Skipped":
    """:func:`rate_figure` of a contrast table, unless it groups by the same column as
    ``grouped_by`` (the heatmap already drawn), which it would only repeat."""
    if grouping(rates) == grouping(grouped_by):
        return Skipped(f"the contrast column is the grouping column ({grouping(rates)}): its heatmap would repeat the first")
    return rate_figure(rates, lexicon=lexicon)


INTERVAL_ROWS = MAX_GROUPS
"""Up to this many groups, each heatmap cell shows its bootstrap interval under the rate (all the groups shown)."""


@_styled
def rate_heatmap(rates: pd.DataFrame, ax: Axes, *, value: str = "per_1k", voice: str | None = None, fmt: str = "{:.1f}",
                 lexicon: str | None = None) -> Axes:
    """Groups x categories heatmap of a :func:`framing.comparison.rates.compare` table.

    Rows are groups in the run's order (by time for periods), each labelled with its number
    of documents; each cell holds its rate and its bootstrap interval. The colour of a cell
    is its rate as a share of the category's highest rate (each column scaled on its own),
    so a rare category and a frequent one are equally legible; the numbers are the rates.
    Cells whose figure rests on few matches (non-empty ``warning``) are in italics. Beyond
    :data:`MAX_GROUPS` groups, the groups with most documents are shown and the title names
    those left out.
    """
    table = rates if voice is None or "voice" not in rates else rates[rates["voice"] == voice]
    by = grouping(rates)
    table = table.assign(**{by: table[by].astype(str)})
    n_docs = table.groupby(by, sort=False)["n_docs"].max() if "n_docs" in table else None
    order, note = _shown(n_docs if n_docs is not None else table[by])
    table = table[table[by].isin(order)]
    grid = table.pivot_table(index=by, columns="category", values=value, sort=False).reindex(order)
    warn = table.assign(w=table["warning"].astype(bool)).pivot_table(index=by, columns="category", values="w", sort=False, aggfunc="max").reindex_like(grid).fillna(False)
    intervals = "ci_low" in table and len(grid) <= INTERVAL_ROWS
    if intervals:
        low = table.pivot_table(index=by, columns="category", values="ci_low", sort=False).reindex_like(grid)
        high = table.pivot_table(index=by, columns="category", values="ci_high", sort=False).reindex_like(grid)
    values = grid.to_numpy(float)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        top = np.nanmax(np.where(np.isfinite(values), values, np.nan), axis=0)
        scaled = np.where(top > 0, values / top, 0.0)
    image = ax.imshow(scaled, cmap="cividis", aspect="auto", vmin=0, vmax=1)
    cells = pd.DataFrame({by: np.repeat(grid.index.to_numpy(), grid.shape[1]),
                          "category": np.tile(grid.columns.to_numpy(), grid.shape[0]),
                          **({"n_docs": [int(n_docs[g]) for g in np.repeat(grid.index.to_numpy(), grid.shape[1])]}
                             if n_docs is not None else {}),
                          value: values.ravel()})
    if intervals:
        cells["ci_low"], cells["ci_high"] = low.to_numpy(float).ravel(), high.to_numpy(float).ravel()
    cells["few_matches"] = warn.to_numpy(bool).ravel()  # drawn in italics
    cells["colour_share"] = scaled.ravel()
    _record(ax, cells)
    ax.set_xticks(range(grid.shape[1]), [_pretty(c) for c in grid.columns], rotation=40, ha="right")
    ax.set_yticks(range(grid.shape[0]), [f"{g} (n={n_docs[g]})" if n_docs is not None else str(g) for g in grid.index])
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            v = grid.iat[i, j]
            if not np.isfinite(v):
                continue
            text = _number(v, fmt)
            if intervals and np.isfinite(low.iat[i, j]):
                text += "\n" + _number(low.iat[i, j], fmt) + "–" + _number(high.iat[i, j], fmt)
            ax.text(j, i, text, ha="center", va="center", fontsize=6.5 if intervals else 7, linespacing=1.1,
                    color="black" if scaled[i, j] > 0.5 else "white", style="italic" if warn.iat[i, j] else "normal")
    what = f"{_lexicon_label(lexicon)} categories" if lexicon else "Categories"
    if "precision" in table and table["precision"].notna().any():
        what = f"True matches of {what[0].lower() + what[1:]} (rate x coded precision)"
    unit = f"per 1,000 {'words' if voice is None else f'{voice}-voice words'}"
    spread = f"under each rate its {level_text(table)} bootstrap interval; " if intervals else ""
    _title(ax, f"{what} by {by}, {unit}{note}\n{spread}italics: fewer than 5 matches; colour: share of the "
               "category's highest rate", fontsize=9)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="share of the category's highest rate")
    return ax


# --------------------------------------------------------------------------- keyness


@_styled
def keyness_bars(table: pd.DataFrame, ax: Axes, *, group: str | None = None, measure: str | None = None, top: int = 8) -> Axes:
    """Diverging bars of the top over- and under-used terms of one group in a :func:`framing.keyness` table."""
    measure = measure or _measure_of(table)
    by = grouping(table)
    group = group if group is not None else _default_target(table)[0]
    part = table[(table[by] == group) & (~table["low_count"] | (table[measure] < 0))]
    over = part[part[measure] > 0].nlargest(top, measure)
    under = part[part[measure] < 0].nsmallest(top, measure)
    shown = pd.concat([over, under.iloc[::-1]]).iloc[::-1]
    colours = [OKABE_ITO[0] if v > 0 else OKABE_ITO[1] for v in shown[measure]]
    ax.barh(range(len(shown)), shown[measure], color=colours)
    counts = [c for c in ("count_target", "count_reference", "per_1k_target", "per_1k_reference") if c in shown]
    _record(ax, shown[["term", measure, *counts]].assign(**{by: group}, reference=_reference_name(table, group))
            [[by, "reference", "term", measure, *counts]])
    ax.set_yticks(range(len(shown)), shown["term"])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(_pretty(measure))
    shown_group = language_name(str(group)) if by == LANGUAGE else group  # "German (de)", not "de"
    _title(ax, f"{shown_group} vs {_reference_name(table, group)}")
    return ax


def _reference_name(table: pd.DataFrame, group: str) -> str:
    """What a group of a keyness table is compared with, in words: "the other N groups" (N from
    its ``n_groups_reference`` column, which counts the groups :func:`framing.keyness` left out of
    the table too), or, when that is one group, its name."""
    by = grouping(table)
    reference = str(table.loc[table[by] == group, "reference"].iloc[0]) if "reference" in table else "rest"
    if reference.startswith("general "):  # a language's general frequencies: "general German (de)"
        return "general " + language_name(reference.removeprefix("general "))
    if reference == "english" and LANGUAGE in table:  # beside other languages, said as they are
        return "general " + language_name("en")
    if reference != "rest":
        return reference
    others = [str(g) for g in table[by].unique() if str(g) != str(group)]
    rows = table.loc[table[by] == group]
    n = int(rows["n_groups_reference"].iloc[0]) if "n_groups_reference" in table else len(others)
    if n == 1:
        return others[0] if len(others) == 1 else "the other group"
    return f"the other {n:,} groups" if n else "rest"


def _default_target(table: pd.DataFrame) -> tuple[str, str]:
    """The group a keyness chart shows when none is named (:data:`framing.groups.DEFAULT_RULE`), and a note saying so."""
    from framing.groups import default_note, default_target

    by = grouping(table)
    size = "n_docs_target" if "n_docs_target" in table else None
    sizes = _group_sizes(table, by, size) if size else {str(g): 1 for g in table[by].unique()}
    group = default_target(sizes)
    return group, default_note("target", group, sizes, "name a group")


@_styled
def keyness_figure(table: pd.DataFrame, *, measure: str | None = None, top: int = 8, ncols: int = 3) -> Figure:
    """One :func:`keyness_bars` panel per group, in the run's order; with two groups one
    diverging panel, since the second would be its mirror image. Beyond :data:`MAX_GROUPS`
    groups, those with most documents are shown and the title names those left out."""
    by = grouping(table)
    sizes = _group_sizes(table, by, "n_docs_target") if "n_docs_target" in table else table[by].astype(str)
    groups, note = _shown(sizes)
    if "n_groups_reference" in table and "reference" in table and (table["reference"] == "rest").all() and len(table):
        total = int(table["n_groups_reference"].max()) + 1  # each against all the others: the corpus's groups
        if total > table[by].nunique():  # framing.keyness computed the largest only
            note += (f" ({total - len(groups):,} of {total:,} groups left out in all)" if note
                     else f"; left out, fewest documents: {total - len(groups):,} of {total:,} groups")
    measure_name = _pretty(measure or _measure_of(table))
    if len(groups) == 2:
        fig = Figure(figsize=(5.5, 4.2), layout="constrained")
        keyness_bars(table, fig.subplots(), group=groups[0], measure=measure, top=top)
        _suptitle(fig, f"Keywords by {by} ({measure_name}): over-used (blue) and under-used (orange); with two groups "
                       "one side's gain is the other's loss")
        return fig
    nrows = int(np.ceil(len(groups) / ncols))
    fig = Figure(figsize=(4 * min(ncols, len(groups)), min(3.4 * nrows + 0.8, MAX_PIXELS / 150)), layout="constrained")
    axes = fig.subplots(nrows, min(ncols, len(groups)), squeeze=False).ravel()
    for ax, group in zip(axes, groups):
        keyness_bars(table, ax, group=group, measure=measure, top=top)
    for ax in axes[len(groups):]:
        ax.set_visible(False)
    _suptitle(fig, f"Keywords of each {by} against {_against(table)} ({measure_name}): over-used (blue) and "
                   f"under-used (orange){note}")
    return fig


def _against(table: pd.DataFrame) -> str:
    """What every group of a keyness table is set against, in words: the rest, general English,
    each language's general frequencies, or (mixed) each group's own reference."""
    references = set(table["reference"].astype(str)) if "reference" in table else {"rest"}
    if references <= {"rest"}:
        return "the rest"
    if references <= {"english"}:
        return "general English (wordfreq)"
    if all(r == "english" or r.startswith("general ") for r in references):
        return "the general frequencies of its language, from wordfreq"
    return "its reference"


def _suptitle(fig: Figure, text: str, *, fontsize: float = 10) -> None:
    """A figure title wrapped to the figure's width."""

    chars = max(30, int(fig.get_size_inches()[0] * 72 * 0.92 / (0.55 * fontsize)))
    fig.suptitle(wrapped(text, chars), fontsize=fontsize)


def _measure_of(table: pd.DataFrame) -> str:
    from framing.measures import COLUMNS, MEASURES

    for name in MEASURES:
        column = COLUMNS.get(name, name)
        if column in table.columns and name != "log_ratio":
            return column
    return "log_ratio"


@_styled
def term_scatter(table: pd.DataFrame, ax: Axes, *, group: str | None = None, measure: str | None = None, top: int = 8) -> Axes:
    """Frequency of each term in the target (y) against the reference (x), per 10k tokens, log scales,
    with the ``top`` most distinctive terms each way labelled (after scattertext, static).

    Without ``group``, the target follows :data:`framing.groups.DEFAULT_RULE` and the title says
    so. Labels are placed greedily from the most distinctive term down; one that would
    overlap a label already placed is left off the plot and named under it instead."""
    measure = measure or _measure_of(table)
    by = grouping(table)
    chosen = ""
    if group is None:
        group, chosen = _default_target(table)
    part = table[table[by] == group]
    x = np.log10(part["per_1k_reference"].to_numpy(float) * 10 + 1)  # shown per 10,000: rare words spread out
    y = np.log10(part["per_1k_target"].to_numpy(float) * 10 + 1)
    ax.scatter(x, y, s=6, color="#999999", alpha=0.5, linewidths=0)
    dots = pd.DataFrame({by: group, "term": part["term"].to_numpy(),
                         "per_10k_target": part["per_1k_target"].to_numpy(float) * 10,
                         "per_10k_reference": part["per_1k_reference"].to_numpy(float) * 10,
                         measure: part[measure].to_numpy(float)})
    limit = max(x.max(), y.max()) * 1.05
    ax.set_xlim(0, limit)
    ax.set_ylim(0, limit)
    ax.plot([0, limit], [0, limit], color="black", linewidth=0.6, linestyle="--")
    over, under = part.nlargest(top, measure), part.nsmallest(top, measure)
    ranked = pd.concat([over, under]).assign(_strength=lambda t: -t[measure].abs()).sort_values("_strength", kind="mergesort")
    # terms with the same two frequencies sit on one point: one label listing them
    points = ranked.groupby(["per_1k_target", "per_1k_reference"], sort=False)
    texts, spots, colours = [], [], []
    for (tgt, ref), same in points:
        terms = list(same["term"])
        texts.append(", ".join(terms[:4]) + (f" +{len(terms) - 4}" if len(terms) > 4 else ""))
        spots.append((np.log10(ref * 10 + 1), np.log10(tgt * 10 + 1)))
        colours.append(OKABE_ITO[0] if same[measure].iloc[0] > 0 else OKABE_ITO[1])
    notes = []
    for (xi, yi), text, colour in zip(spots, texts, colours):
        ax.scatter([xi], [yi], s=12, color=colour)
        notes.append(ax.annotate(text, (xi, yi), fontsize=7, color=colour, xytext=(4, 4), textcoords="offset points"))
    ticks = [t for t in [0, 1, 10, 100, 1000, 10000] if np.log10(t + 1) <= limit]
    for setter in (ax.set_xticks, ax.set_yticks):
        setter([np.log10(t + 1) for t in ticks], [str(t) for t in ticks])
    reference = _reference_name(table, group)
    ax.set_xlabel(f"{reference}: per 10,000 tokens")
    ax.set_ylabel(f"{group}: per 10,000 tokens")
    _title(ax, f"Terms of {group} vs {reference}" + (f"\n{chosen}" if chosen else ""), fontsize=9)
    fits = _keep_apart(ax, notes)
    unplaced = [t for t, fit in zip(texts, fits) if not fit]
    labelled = {term for (_, same), fit in zip(ranked.groupby(["per_1k_target", "per_1k_reference"], sort=False), fits)
                if fit for term in same["term"][:4]}
    _record(ax, dots.assign(labelled=dots["term"].isin(labelled)))
    title = f"Terms of {group} vs {reference}" + (f"\n{chosen}" if chosen else "")
    if unplaced:
        title += "\nnot labelled (would overlap): " + "; ".join(unplaced)
    _title(ax, title, fontsize=9)
    return ax


# --------------------------------------------------------------------------- stance and actors


@_styled
def stance_profile(rates: pd.DataFrame, ax: Axes, *, category: str | None = None, colours: dict | None = None,
                   groups: list[str] | None = None) -> Axes:
    """One stance category of a :func:`framing.comparison.rates.compare` table: a row per group (the
    run's order), its rate per 1,000 tokens of each voice with the bootstrap interval, author
    voice filled, quoted voice hollow. The axis runs to 1.6 times the largest rate drawn; an
    interval that runs further is cut at the edge and marked with an arrow head, so one wide
    interval (or a group left out) cannot flatten the others."""
    by = grouping(rates)
    category = category or str(rates["category"].iloc[0])
    table = rates[rates["category"] == category].assign(**{by: lambda t: t[by].astype(str)})
    groups = groups or _shown(_group_sizes(table, by, "n_docs"))[0]
    table = table[table[by].isin(groups)]  # what is drawn sets the scale, not a group left out
    colours = _colours_for(groups, colours)
    voices = [v for v in ("author", "quoted") if "voice" in table and v in set(table["voice"])] or [None]
    values = table["per_1k"].to_numpy(float)
    finite = values[np.isfinite(values)]
    reach = finite.max() * 1.6 if finite.size and finite.max() > 0 else 1.0
    limit = reach
    drawn = []
    for gi, group in enumerate(groups):
        for vi, voice in enumerate(voices):
            row = table[(table[by] == group) & ((table["voice"] == voice) if voice else True)]
            if row.empty or not np.isfinite(row["per_1k"].iloc[0]):
                continue
            y = gi + (0.18 * (vi - (len(voices) - 1) / 2))
            x, low, high = (float(row[c].iloc[0]) for c in ("per_1k", "ci_low", "ci_high"))
            drawn.append({by: group, "category": category, "voice": voice or ALL, "per_1k": x, "ci_low": low,
                          "ci_high": high, "cut_at_edge": high > limit,
                          **({"n_docs": int(row["n_docs"].iloc[0])} if "n_docs" in row else {})})
            ax.plot([max(low, 0), min(high, limit)], [y, y], color=colours[group], linewidth=0.9)
            if high > limit:
                ax.plot([limit], [y], marker=">", markersize=4, color=colours[group])
            ax.plot([x], [y], marker="o", markersize=4, color=colours[group],
                    markerfacecolor="white" if voice == "quoted" else colours[group], linestyle="none")
    _record(ax, pd.DataFrame(drawn, columns=[by, "category", "voice", "per_1k", "ci_low", "ci_high", "cut_at_edge",
                                             *(["n_docs"] if "n_docs" in table else [])]))
    ax.set_xlim(0, limit * 1.02)
    ax.set_ylim(len(groups) - 0.5, -0.5)
    ax.set_yticks(range(len(groups)), groups)
    ax.set_title(_pretty(category), fontsize=9)
    return ax


@_styled
def stance_figure(rates: pd.DataFrame, *, colours: dict | None = None, categories: list[str] | None = None) -> "Figure | Skipped":
    """Stance markers by group: one :func:`stance_profile` panel per category, each on its own
    scale (categories differ by orders of magnitude), groups in the run's order (at most
    :data:`MAX_GROUPS`; the title names those left out)."""
    by = grouping(rates)
    table = rates[rates["category"] != "quoted_share"]
    cats = categories or list(dict.fromkeys(table["category"]))
    if not cats or table.empty:
        return Skipped("no stance category to draw")
    groups, note = _shown(_group_sizes(table.assign(**{by: table[by].astype(str)}), by, "n_docs"))
    n_docs = table.assign(**{by: table[by].astype(str)}).groupby(by)["n_docs"].max()
    ncols = min(4, len(cats))
    nrows = int(np.ceil(len(cats) / ncols))
    fig = Figure(figsize=(3.0 * ncols + 1.2, min(1.0 + nrows * (0.9 + 0.28 * len(groups)), MAX_PIXELS / 150)),
                 layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for i, (ax, category) in enumerate(zip(axes, cats)):
        stance_profile(table, ax, category=category, colours=colours, groups=groups)
        if i % ncols:
            ax.set_yticklabels([])
        else:
            ax.set_yticks(range(len(groups)), [f"{g} (n={int(n_docs.get(g, 0))}" + ")" for g in groups])
    for ax in axes[len(cats):]:
        ax.set_visible(False)
    resampled = rates["resampled"].iloc[0] if "resampled" in rates else ""
    handles = [mpl.lines.Line2D([], [], marker="o", linestyle="none", color="#555555", label="author voice"),
               mpl.lines.Line2D([], [], marker="o", linestyle="none", color="#555555", markerfacecolor="white",
                                label="quoted voice"),
               mpl.lines.Line2D([], [], marker=">", linestyle="none", color="#555555", label="interval runs on")]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False, fontsize=8)
    _suptitle(fig, f"Stance markers by {by}, per 1,000 tokens of each voice, with {level_text(rates)} bootstrap intervals "
                   f"({resampled} resampled); each panel on its own scale{note}")
    return fig


def actor_labels_figure(shares: pd.DataFrame, *, lexicon: str = "actors") -> "Figure | Skipped":
    """:func:`connotation_bars` on a canvas sized to its rows, or :class:`Skipped` when the
    actors lexicon names no actor in the corpus (a corpus about something else)."""

    if not len(shares) or shares["mentions"].sum() == 0:
        return Skipped(f"the actors lexicon '{lexicon}' names no actor in this corpus; give your own (framing lexicon new NAME --template actors)")
    rows = len(shares.loc[shares["mentions"] > 0, ["actor", grouping(shares)]].drop_duplicates())
    fig, ax = canvas(8, min(max(7.0, 1.5 + 0.22 * rows), MAX_PIXELS / 150))
    connotation_bars(shares, ax, lexicon=lexicon)
    return fig


def actor_sentiment_figure(toward: pd.DataFrame, *, lexicon: str = "actors", colours: dict | None = None) -> "Figure | Skipped":
    """:func:`actor_sentiment_plot` on a canvas sized to its actors, or :class:`Skipped` when
    no sentence names an actor of the lexicon."""

    if not len(toward):
        return Skipped(f"no sentence names an actor of the lexicon '{lexicon}'")
    actors = toward["actor"].nunique()
    fig, ax = canvas(8, min(max(4.5, 1.5 + 0.5 * actors), MAX_PIXELS / 150))
    actor_sentiment_plot(toward, ax, colours=colours, lexicon=lexicon)
    return fig


@_styled
def connotation_bars(shares: pd.DataFrame, ax: Axes, *, lexicon: str | None = None) -> Axes:
    """Stacked bars: share of each connotation among the labels of each actor, per group
    (input: :func:`framing.comparison.rates.group_shares`)."""
    by = grouping(shares)
    actors = max(shares["actor"].nunique(), 1)
    table, groups, note = _keep_largest(shares[shares["mentions"] > 0], by, "count", limit=min(MAX_GROUPS, max(1, 60 // actors)))
    rank = {g: i for i, g in enumerate(groups)}
    rows = table[["actor", by]].drop_duplicates()
    rows = rows.assign(_rank=rows[by].astype(str).map(rank)).sort_values(["actor", "_rank"], kind="mergesort")
    labels = [f"{_pretty(a)} | {g}" for a, g in zip(rows["actor"], rows[by])]
    left = np.zeros(len(rows))
    drawn = []
    for connotation, colour in CONNOTATION_COLOURS.items():
        part = table[table["connotation"] == connotation].set_index(["actor", by])["share"]
        values = np.array([part.get((a, g), 0.0) for a, g in zip(rows["actor"], rows[by])], dtype=float)
        values = np.nan_to_num(values)
        if values.any():
            drawn.append(pd.DataFrame({"actor": rows["actor"].to_numpy(), by: rows[by].to_numpy(),
                                       "connotation": connotation, "share": values}))
        if values.any():
            ax.barh(range(len(rows)), values, left=left, color=colour, label=connotation, edgecolor="white", linewidth=0.5)
        left += values
    mentions = table.groupby(["actor", by])["mentions"].first()
    if drawn:
        bars = pd.concat(drawn, ignore_index=True)
        _record(ax, bars.assign(mentions=[int(mentions[(a, g)]) for a, g in zip(bars["actor"], bars[by])]))
    labels = [f"{label} (n={int(mentions[(a, g)])})" for label, a, g in zip(labels, rows["actor"], rows[by])]
    ax.set_yticks(range(len(rows)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the actor's labels (n: labels counted)")
    named = f" (lexicon: {_lexicon_label(lexicon)})" if lexicon else ""
    _title(ax, f"How each {by} names each actor{named}, author voice{note}")
    _legend_below(ax, ncol=4)
    return ax


def _legend_below(ax: Axes, *, ncol: int, x: float = 0.5) -> None:
    """The axes' legend centred under it, clear of its tick labels and x label, as close on a chart of
    two rows as on one of thirty: anchored a fixed distance in points below the axes (a share of the
    axes' height left 150 pixels of blank under a tall precision chart, and would run into the label of
    a short one)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.transforms import ScaledTranslation

    rc = mpl.rcParams
    ticks = FontProperties(size=rc["xtick.labelsize"]).get_size_in_points()
    label = ax.xaxis.label.get_size() if ax.get_xlabel() else 0.0
    drop = rc["xtick.major.size"] + rc["xtick.major.pad"] + 1.2 * ticks + ax.xaxis.labelpad + 1.2 * label + 4
    below = ax.transAxes + ScaledTranslation(0, -drop / 72, ax.figure.dpi_scale_trans)
    ax.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(x, 0), bbox_transform=below, ncol=ncol)


ACTOR_LABEL_GROUPS = 3
"""Up to this many groups, each actor's label gives each group's number of sentences; beyond,
their total (nine outlets' counts ran a label wider than the chart)."""


@_styled
def actor_sentiment_plot(table: pd.DataFrame, ax: Axes, *, group_column: str | None = None,
                         colours: dict | None = None, lexicon: str | None = None) -> Axes:
    """Mean VADER compound of the sentences mentioning each actor, per group, with bootstrap intervals
    (input: :func:`framing.comparison.rates.compare_sentences` by group and actor; the groups are its first column)."""
    group_column = group_column or grouping(table)
    table = table.assign(**{group_column: table[group_column].astype(str)})
    sizes = table.groupby(group_column)["n_sentences"].sum()
    groups, note = _shown(sizes)
    table = table[table[group_column].isin(groups)]
    actors = list(dict.fromkeys(table["actor"]))
    colours = _colours_for(groups, colours)
    width = 0.8 / max(len(groups), 1)
    drawn = []
    for gi, group in enumerate(groups):
        part = table[table[group_column] == group].set_index("actor").reindex(actors)
        drawn.append(pd.DataFrame({group_column: group, "actor": actors, "mean": part["mean"].to_numpy(float),
                                   "ci_low": part["ci_low"].to_numpy(float), "ci_high": part["ci_high"].to_numpy(float),
                                   "n_sentences": part["n_sentences"].to_numpy(float)}))
        y = np.arange(len(actors)) - 0.4 + width * (gi + 0.5)
        x = part["mean"].to_numpy(float)
        err = np.vstack([x - part["ci_low"].to_numpy(float), part["ci_high"].to_numpy(float) - x])
        ax.errorbar(x, y, xerr=np.nan_to_num(err), fmt="o", markersize=4, color=colours[group], linewidth=0.8,
                    label=str(group))
    if drawn:
        _record(ax, pd.concat(drawn, ignore_index=True))
    n = table.pivot_table(index="actor", columns=group_column, values="n_sentences", aggfunc="sum", fill_value=0)
    ax.axvline(0, color="black", linewidth=0.6)
    def counts(actor) -> str:  # "(sentences: movement 6, outside 1)", or of many groups their total
        each = [int(n.loc[actor, g]) if g in n.columns else 0 for g in groups]
        if len(groups) > ACTOR_LABEL_GROUPS:  # each group's count stays in the chart's values (n_sentences)
            named_in = sum(k > 0 for k in each)  # the groups with a sentence naming it, not every group drawn
            return f"(sentences: {sum(each):,} in {named_in} group{'s' if named_in != 1 else ''})"
        return "(sentences: " + ", ".join(f"{g} {k:,}" for g, k in zip(groups, each)) + ")"

    ax.set_yticks(range(len(actors)), [f"{_pretty(a)}\n{counts(a)}" for a in actors], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(-1, 1)
    ax.set_xlabel("mean VADER compound of sentences naming the actor")
    named = f" of the {_lexicon_label(lexicon)} lexicon" if lexicon else ""
    _title(ax, f"Tone of sentences that name each actor{named} (VADER; co-occurrence, not targeting){note}")
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax


# --------------------------------------------------------------------------- count models


def rate_ratio_figure(model: pd.DataFrame, *, colours: dict | None = None, lexicon=None) -> "Figure | Skipped":
    """:func:`rate_ratio_plot` on a canvas sized to its categories, or :class:`Skipped` when
    every ratio rests on too few documents (the seeds: one article per outlet)."""

    usable = model[model["rate_ratio"].notna() & ~model["warning"].str.contains("too few documents")]
    if usable.empty:
        reason = model["warning"].iloc[0] if len(model) else "no rate ratio"
        if str(reason).startswith("a count model with one coefficient per group"):
            return Skipped(f"the count model was not fitted: {reason}")
        return Skipped(f"the count model rests on too few documents to draw ({reason})")
    rows = usable["category"].nunique()
    fig, ax = canvas(8, min(2.0 + 0.35 * rows, MAX_PIXELS / 150))
    rate_ratio_plot(usable, ax, colours=colours, lexicon=lexicon)
    return fig


@_styled
def rate_ratio_plot(model: pd.DataFrame, ax: Axes, *, colours: dict | None = None, lexicon=None) -> Axes:
    """Forest plot of a :func:`framing.rate_model` table: each category's rate ratio against
    the reference group with its interval, on a log scale; filled where the Benjamini-Hochberg
    adjusted p-value is under 0.05."""
    by = grouping(model)
    table = model.assign(**{by: model[by].astype(str)})
    reference = str(table["reference"].iloc[0])
    # the reference is one of the groups shown (the baseline of every ratio), so the same groups are kept as elsewhere
    groups, note = _shown({**_group_sizes(table, by, "n_docs"), reference: float("inf")})
    groups = [g for g in groups if g != reference]
    table = table[table[by].isin(groups)]
    cats = list(dict.fromkeys(table["category"]))
    colours = _colours_for(groups, colours)
    width = 0.7 / max(len(groups), 1)
    drawn = []
    for gi, group in enumerate(groups):
        part = table[table[by] == group].set_index("category").reindex(cats)
        drawn.append(pd.DataFrame({by: group, "reference": reference, "category": cats,
                                   **{c: part[c].to_numpy(float) for c in ("rate_ratio", "ci_low", "ci_high", "p_adjusted")},
                                   "filled": (part["p_adjusted"] < 0.05).to_numpy(), "n_docs": part["n_docs"].to_numpy(float)}))
        y = np.arange(len(cats)) - 0.35 + width * (gi + 0.5)
        x = part["rate_ratio"].to_numpy(float)
        err = np.vstack([x - part["ci_low"].to_numpy(float), part["ci_high"].to_numpy(float) - x])
        ax.errorbar(x, y, xerr=np.clip(np.nan_to_num(err), 0, None), fmt="none", ecolor=colours[group], linewidth=0.8)
        strong = (part["p_adjusted"] < 0.05).to_numpy()
        ax.scatter(x, y, s=22, color=colours[group], label=f"{group} (n={int(part['n_docs'].max())})", zorder=3)
        ax.scatter(x[~strong], y[~strong], s=12, color="white", zorder=4)
    if drawn:
        _record(ax, pd.concat(drawn, ignore_index=True))
    ax.axvline(1, color="black", linewidth=0.6)
    ax.set_xscale("log")
    plain = mpl.ticker.FuncFormatter(lambda v, _: f"{v:g}")
    ax.xaxis.set_major_formatter(plain)
    ax.xaxis.set_minor_formatter(mpl.ticker.NullFormatter())
    low, high = ax.get_xlim()
    decades = np.log10(high / low) if low > 0 and high > low else 1.0
    ax.xaxis.set_major_locator(mpl.ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0) if decades <= 2 else (1.0,)))
    ax.set_yticks(range(len(cats)), [_pretty(c) for c in cats])
    ax.invert_yaxis()
    reference = table["reference"].iloc[0]
    ax.set_xlabel(f"rate ratio against {reference} (log scale)")
    chosen = str(model["chosen"].iloc[0]) if "chosen" in model and len(model) else ""
    what = f" of {_lexicon_label(lexicon)} categories" if lexicon else ""
    _title(ax, f"Count model ({table['model'].iloc[0]}){what} by {by}; filled: BH-adjusted p < 0.05{note}"
               + (f"\n{chosen}" if chosen else ""), fontsize=9)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax


# --------------------------------------------------------------------------- change over time


@_styled
def trend_plot(table: pd.DataFrame, ax: Axes, *, category: str | None = None, voice: str | None = None,
               events: list[tuple[str, str]] | None = None, colours: dict | None = None) -> Axes:
    """Rate per period of one category (default: the first) for each group of a
    :func:`framing.comparison.trends.trend` table, with its bootstrap interval as a band; periods
    without documents are gaps. ``events`` are ``(date, label)`` pairs drawn as dashed lines."""
    by = grouping(table)
    category = category or table["category"].iloc[0]
    part = table[table["category"] == category]
    if voice is not None and "voice" in part:
        part = part[part["voice"] == voice]
    part = part.assign(**{by: part[by].astype(str)})
    sizes = part.groupby(by)["n_docs"].sum()
    groups, note = _shown(sizes)
    part = part[part[by].isin(groups)]
    colours = _colours_for(groups, colours)
    keep = [c for c in (by, "period", "category", "voice", "per_1k", "ci_low", "ci_high", "n_docs") if c in part]
    _record(ax, pd.concat([part[part[by] == g][keep] for g in groups], ignore_index=True) if groups else part[keep])
    for group in groups:
        rows = part[part[by] == group]
        x = pd.to_datetime(rows["period"]).to_numpy()
        ax.plot(x, rows["per_1k"], marker="o", markersize=3, color=colours[group], linewidth=1,
                label=f"{group} (n={int(rows['n_docs'].sum())})")
        ax.fill_between(x, rows["ci_low"].to_numpy(float), rows["ci_high"].to_numpy(float), color=colours[group],
                        alpha=0.15, linewidth=0)
    for date, label in events or []:
        when = pd.Timestamp(date)
        ax.axvline(when, color="black", linestyle="--", linewidth=0.7)
        ax.annotate(label, (when, 1), xycoords=("data", "axes fraction"), fontsize=7, rotation=90, va="top",
                    ha="right", xytext=(-2, -2), textcoords="offset points")
    ax.set_ylabel("per 1,000 words" + (f" of the {voice} voice" if voice else ""))
    _title(ax, f"{_pretty(category)} by {by} over time{note}\nbands: {level_text(part)} bootstrap intervals; gaps: no documents",
           fontsize=9)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.figure.autofmt_xdate()
    return ax


# --------------------------------------------------------------------------- similarity and maps


CELL_TEXT_GROUPS = 12
"""Up to this many groups a similarity heatmap writes each value in its cell; beyond, colour only."""


def _dendrogram(ax: Axes, linkage_matrix: np.ndarray) -> list[int]:
    """Draw the dendrogram of ``linkage_matrix`` on ``ax`` with its leaves at x = 0, 1, ...,
    n - 1, the centres of a heatmap's columns in leaf order, and return that order. scipy
    places leaves at 5, 15, 25, ...; drawing its segments rescaled (x - 5) / 10 on axes
    that share the heatmap's x limits puts every leaf over its column."""
    # imported here, not with the module: five of seven notebooks draw no tree
    from scipy.cluster.hierarchy import dendrogram

    tree = dendrogram(linkage_matrix, no_plot=True)
    for xs, ys in zip(tree["icoord"], tree["dcoord"]):
        ax.plot((np.asarray(xs) - 5.0) / 10.0, ys, color="#555555", linewidth=0.9)
    ax.set_ylim(0, max((max(d) for d in tree["dcoord"]), default=1.0) * 1.05 or 1.0)
    return list(tree["leaves"])


@_styled
def similarity_figure(sim: Similarity | pd.DataFrame, linkage_matrix: np.ndarray | None, *,
                      title: str = "Cosine similarity") -> "Figure | Skipped":
    """A dendrogram above a similarity heatmap whose rows and columns follow the clustering,
    each leaf over its column (both axes share x, and the colour bar sits below, so the two
    panels have the same width).

    ``sim`` is a :class:`framing.tables.Similarity` (:func:`framing.comparison.profiles.similarity`,
    :func:`framing.keywords.keyness.tfidf_similarity`) or a square matrix of one's own. When it left
    rows out, the chart says which under the title. Under three rows there is nothing to cluster and
    at most one value to show, so the chart is :class:`Skipped`, with that value (and its ``note``:
    for standardized profiles, why it is -1).
    """
    if not isinstance(sim, Similarity):
        sim = Similarity(sim)
    left_out, note, sim = sim.left_out, sim.note, sim.matrix
    if len(sim) < 3:
        value = f"; the one similarity is {float(sim.iat[0, 1]):.2f}" if len(sim) == 2 else ""
        note = f" ({note})" if note else ""
        return Skipped(f"{title}: {len(sim)} group(s), and a similarity heatmap with a dendrogram needs three{value}{note}")
    n = len(sim)
    side = min(MAX_PIXELS / 150 - 1.5, max(6.2, 0.22 * n + 3.0))
    fig = Figure(figsize=(side, side * 1.12), layout="constrained")
    fig.get_layout_engine().set(w_pad=0.08, h_pad=0.08)  # keep long tick labels inside the canvas
    top, bottom = fig.subplots(2, 1, height_ratios=[1, 4], sharex=True)
    order = _dendrogram(top, linkage_matrix)
    top.set_axis_off()
    values = sim.to_numpy(float)[np.ix_(order, order)]
    labels = [str(sim.index[i]) for i in order]
    _record(bottom, pd.DataFrame({"row": np.repeat(labels, n), "column": np.tile(labels, n), "cosine": values.ravel()}))
    # one quad per cell, not an image: Agg resamples an image to the canvas in floats (420 MB for 100 groups)
    edges = np.arange(n + 1) - 0.5
    image = bottom.pcolormesh(edges, edges, values, cmap="cividis", vmin=min(0, values.min()), vmax=1,
                              antialiased=False, edgecolors="none")
    bottom.set_xlim(-0.5, n - 0.5)
    bottom.set_ylim(n - 0.5, -0.5)  # the first row on top, as a matrix is read
    size = 8 if n <= CELL_TEXT_GROUPS else max(4.5, 8 - 0.1 * n)
    bottom.set_xticks(range(n), labels, rotation=40, ha="right", fontsize=size)
    bottom.set_yticks(range(n), labels, fontsize=size)
    if n <= CELL_TEXT_GROUPS:
        for i in range(n):
            for j in range(n):
                bottom.text(j, i, _number(values[i, j], "{:.2f}"), ha="center", va="center", fontsize=7,
                            color="black" if values[i, j] > 0.6 else "white")
    # fraction: the default 0.15 leaves the bar's label below the canvas on tall figures (constrained layout)
    fig.colorbar(image, ax=[top, bottom], location="bottom", fraction=0.05, shrink=0.6, aspect=40, label="cosine similarity")
    _title(top, f"{title}\n{left_out[0].upper()}{left_out[1:]}" if left_out else title)
    return fig


def _keep_apart(ax: Axes, notes: list) -> list[bool]:
    """Lay the figure out, then place each annotation (in the given order, most important
    first) at the first corner of its point (up-right, up-left, down-right, down-left) where
    it lies inside the axes and overlaps neither a label placed before it nor another
    labelled point (so a reader never pairs a label with the wrong point). Those that fit
    nowhere are removed; returns which were kept, for the caller to name the rest."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = ax.figure
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    from matplotlib.transforms import Bbox

    # every labelled point is an obstacle for the other labels, so a label never sits over another point
    anchors = [ax.transData.transform(note.xy) for note in notes]
    points = [Bbox.from_bounds(x - 6, y - 6, 12, 12) for x, y in anchors]
    kept_boxes, out = [], []
    for k, note in enumerate(notes):
        others = [b for j, b in enumerate(points) if j != k]
        for dx, dy in ((4, 4), (-4, 4), (4, -4), (-4, -4)):  # up-right, up-left, down-right, down-left of the point
            note.set_position((dx, dy))
            note.set_horizontalalignment("left" if dx > 0 else "right")
            note.set_verticalalignment("bottom" if dy > 0 else "top")
            box = note.get_window_extent(renderer)
            inside = box.x0 >= frame.x0 - 1 and box.x1 <= frame.x1 + 1 and box.y0 >= frame.y0 - 1 and box.y1 <= frame.y1 + 1
            if inside and not any(box.overlaps(b) for b in kept_boxes + others):
                kept_boxes.append(box)
                out.append(True)
                break
        else:
            note.remove()
            out.append(False)
    return out


@_styled
def profile_map_plot(coords: pd.DataFrame, ax: Axes, *, groups: pd.Series | None = None, colours: dict | None = None) -> Axes:
    """Scatter of a 2-D map (:func:`framing.comparison.profiles.profile_map`), points coloured by group
    (``groups`` maps the index, e.g. :meth:`framing.Corpus.groups`; ``colours``: the run's
    :func:`group_colours`), with a legend. Up to :data:`MANY_POINTS` points each is labelled
    with its group; beyond, each group's centroid is. Beyond :data:`MAX_GROUPS` groups, the
    others' points are grey and the title names them; a label that would overlap another is
    left off and named in the title."""
    group_of = groups.reindex(coords.index).astype(str) if groups is not None else pd.Series("", index=coords.index)
    shown, note = _shown(group_of) if groups is not None else ([""], "")
    colours = _colours_for(shown, colours)
    many = len(coords) > MANY_POINTS
    rest = ~group_of.isin(shown).to_numpy()
    if rest.any():
        ax.scatter(coords["x"][rest], coords["y"][rest], s=6, color="#cccccc", linewidths=0, label="other groups")
    for group in shown:
        mask = (group_of == group).to_numpy()
        ax.scatter(coords["x"][mask], coords["y"][mask], s=8 if many else 30, alpha=0.5 if many else 1,
                   color=colours[group], label=f"{group} (n={int(mask.sum())})" if group else None,
                   linewidths=0 if many else None)
    notes, names = [], []
    points = pd.DataFrame({"id": [str(i) for i in coords.index], "group": group_of.to_numpy(), "kind": "point",
                           "x": coords["x"].to_numpy(float), "y": coords["y"].to_numpy(float)})
    if many:
        centroids = coords.groupby(group_of.to_numpy())[["x", "y"]].mean()
        points = pd.concat([points, pd.DataFrame({"id": shown, "group": shown, "kind": "centroid",
                                                  "x": centroids.loc[shown, "x"].to_numpy(float),
                                                  "y": centroids.loc[shown, "y"].to_numpy(float)})], ignore_index=True)
        for group in shown:
            x, y = centroids.loc[group]
            ax.scatter([x], [y], s=40, color=colours[group], edgecolors="black", linewidths=0.6, zorder=3)
            notes.append(ax.annotate(str(group), (x, y), fontsize=7, xytext=(4, 4), textcoords="offset points", zorder=4))
            names.append(str(group))
    else:
        labels = list(group_of) if groups is not None else [str(i) for i in coords.index]
        for (x, y), label in zip(coords[["x", "y"]].to_numpy(), labels):
            notes.append(ax.annotate(str(label), (x, y), fontsize=7, xytext=(4, 4), textcoords="offset points"))
            names.append(str(label))
    for axis in ("x", "y"):
        if f"explained_{axis}" in coords:
            points[f"explained_{axis}"] = float(coords[f"explained_{axis}"].iloc[0])
    _record(ax, points)
    for axis, label in (("x", ax.set_xlabel), ("y", ax.set_ylabel)):
        share = f" ({coords[f'explained_{axis}'].iloc[0]:.0%} of variance)" if f"explained_{axis}" in coords else ""
        label(f"axis {'1' if axis == 'x' else '2'}{share}")
    if groups is not None:
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.margins(0.12)
    title = "Documents by framing profile" + ("; large dots: group centroids" if many else "") + note
    _title(ax, title, fontsize=9)
    fits = _keep_apart(ax, notes)
    unlabelled = list(dict.fromkeys(n for n, fit in zip(names, fits) if not fit))
    if unlabelled:
        listed = ", ".join(unlabelled[:8]) + (f" and {len(unlabelled) - 8} more" if len(unlabelled) > 8 else "")
        _title(ax, title + f"\nunlabelled (their labels would overlap others): {listed}", fontsize=9)
    return ax


# --------------------------------------------------------------------------- validation


def precision_figure(report: pd.DataFrame) -> "Figure | Skipped":
    """:func:`precision_plot` on a canvas sized to its categories, or :class:`Skipped` when
    no item of the report was coded."""

    if not (report.loc[report["pattern"] == "", "n_coded"] > 0).any():
        return Skipped("no item of the coding sheet is coded yet")
    fig, ax = canvas(8, min(2.2 + 0.55 * int((report["pattern"] == "").sum()), MAX_PIXELS / 150))
    precision_plot(report, ax)
    return fig


@_styled
def precision_plot(report: pd.DataFrame, ax: Axes) -> Axes:
    """Precision of each category of a :func:`framing.validation.score_sheet` report: the share of its
    coded matches that are true with its Wilson 95% interval (dot), the precision weighted back to the
    corpus with its interval (diamond, below: each stratum's share weighted by the matches it stands for,
    the interval on its effective number of coded items), and, where missed sentences were coded, the
    estimated recall with its interval (square, lowest)."""
    from framing.tables import by_category

    rows = by_category(report)
    rows = rows[rows["n_coded"] > 0].sort_values("precision", kind="mergesort")
    y = np.arange(len(rows), dtype=float)
    _record(ax, rows[[c for c in ("category", "n_coded", "precision", "ci_low", "ci_high", "weighted_precision",
                                  "weighted_low", "weighted_high", "n_effective", "n_misses", "recall", "recall_low",
                                  "recall_high", "note") if c in rows]])

    def interval(point, low, high):  # the error bar of each point, none where the report has no interval
        if low not in rows or high not in rows:
            return None
        ends = np.vstack([point - rows[low].to_numpy(float), rows[high].to_numpy(float) - point])
        return np.clip(np.nan_to_num(ends), 0, None)

    precision = rows["precision"].to_numpy(float)
    weighted = rows["weighted_precision"].to_numpy(float)
    ax.errorbar(precision, y, xerr=interval(precision, "ci_low", "ci_high"), fmt="o", color=OKABE_ITO[0],
                markersize=4, linewidth=1, capsize=2, label="precision, Wilson 95%", zorder=3)
    ax.errorbar(weighted, y + 0.25, xerr=interval(weighted, "weighted_low", "weighted_high"), fmt="D",
                color=OKABE_ITO[0], markerfacecolor="white", markersize=5, linewidth=0.8, capsize=2,
                label="precision weighted to the corpus, 95%", zorder=3)
    has_recall = "recall" in rows and rows["recall"].notna().any()
    prior = (rows["note"].fillna("").str.startswith("prior-driven") if "note" in rows
             else pd.Series(False, rows.index)).to_numpy()
    if has_recall:
        recall = rows["recall"].to_numpy(float)
        rerr = interval(recall, "recall_low", "recall_high")
        for mask, face, label in ((~prior, OKABE_ITO[1], "recall, 95%"),
                                  (prior, "white", "recall, prior-driven (few sentences or no miss)")):
            if mask.any():
                ax.errorbar(recall[mask], y[mask] + 0.5, xerr=rerr[:, mask], fmt="s", color=OKABE_ITO[1],
                            markerfacecolor=face, markersize=4, linewidth=0.8, capsize=2, label=label,
                            linestyle="none" if face == "white" else None)
    labels = [f"{_pretty(c)} ({int(n)} matches" + (f", {int(m)} sentences" + (", prior-driven" if p else "") + ")"
                                                  if has_recall and np.isfinite(m) else ")")
              for c, n, m, p in zip(rows["category"], rows["n_coded"], rows.get("n_misses", pd.Series(np.nan, rows.index)),
                                    prior)]
    ax.set_yticks(y + (0.25 if has_recall else 0.125), labels)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(-0.5, len(rows) - 0.25 + (0.25 if has_recall else 0))
    ax.invert_yaxis()
    ax.set_xlabel("share of coded items")
    n_items = int(rows["n_coded"].sum())
    n_sentences = int(rows["n_misses"].sum()) if has_recall else 0
    ax.set_title(f"Precision of each category on {n_items} coded matches"
                 + (f",\nrecall from {n_sentences} coded sentences the lexicon did not match" if has_recall else ""), fontsize=9)
    _legend_below(ax, ncol=2, x=0.4)
    return ax


# --------------------------------------------------------------------------- frames from coding


def frame_scores_figure(scores: pd.DataFrame) -> "Figure | Skipped":
    """:func:`frame_scores_plot` on a canvas sized to the trained frames, or :class:`Skipped` when none was trained."""
    trained = scores[scores["status"] == "trained"]
    if trained.empty:
        return Skipped("no frame was trained")
    fig, ax = canvas(8, min(2.4 + 0.45 * len(trained) + 0.22 * (len(scores) - len(trained)), MAX_PIXELS / 150))
    frame_scores_plot(scores, ax)
    return fig


@_styled
def frame_scores_plot(scores: pd.DataFrame, ax: Axes) -> Axes:
    """Precision, recall and F1 of each trained frame (the scores of
    :class:`framing.features.frames.FrameClassifier`), with their bootstrap intervals over the
    coded units; the frames not trained are named in the title."""
    trained = scores[scores["status"] == "trained"].sort_values("f1", kind="mergesort", ascending=False, na_position="last")
    skipped = scores[scores["status"] != "trained"]
    rows = trained
    y = np.arange(len(rows), dtype=float)
    _record(ax, rows[["frame", "n_random", "n_positive", "precision", "precision_low", "precision_high", "recall",
                      "recall_low", "recall_high", "f1", "f1_low", "f1_high", "tpr", "fpr", "recipe", "level"]])
    for k, (metric, marker) in enumerate((("precision", "o"), ("recall", "s"), ("f1", "D"))):
        value = rows[metric].to_numpy(float)
        err = np.clip(np.nan_to_num(np.vstack([value - rows[f"{metric}_low"].to_numpy(float),
                                               rows[f"{metric}_high"].to_numpy(float) - value])), 0, None)
        ax.errorbar(value, y + (k - 1) * 0.25, xerr=err, fmt=marker, color=OKABE_ITO[k], markersize=4, linewidth=1,
                    capsize=2, label=metric if metric != "f1" else "F1")
    never = rows["precision"].isna().to_numpy()  # never labelled: no precision
    labels = [f"{_pretty(f)} ({int(p)} of {int(n)} units" + ("; never labelled)" if nv else ")") for f, p, n, nv
              in zip(rows["frame"], rows["n_positive"], rows["n_random"], never)]
    labels += [f"{_pretty(f)} ({int(p)} of {int(n)} units): not trained" for f, p, n
               in zip(skipped["frame"], skipped["n_positive"], skipped["n_coded"])]  # rows without marks
    ax.set_yticks(np.arange(len(labels), dtype=float), labels)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(len(labels) - 0.4, -0.6)
    ax.set_xlabel("out-of-fold score on the units coded at random")
    recipe = rows["recipe"].iloc[0] if len(rows) else ""
    ax.set_title(f"Frame classifier ({recipe}): out-of-fold scores,\n{level_text(rows)} bootstrap intervals over the "
                 "coded units", fontsize=9)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def prevalence_figure(table: pd.DataFrame, *, colours: dict | None = None) -> "Figure | Skipped":
    """:func:`prevalence_plot` on a canvas sized to the frames and groups."""
    if table.empty:
        return Skipped("no frame prevalence to draw")
    by = table.columns[0]
    n_groups = min(table[by].nunique(), MAX_GROUPS)
    fig, ax = canvas(8, min(1.8 + table["frame"].nunique() * (0.2 + 0.14 * n_groups), MAX_PIXELS / 150))
    prevalence_plot(table, ax, colours=colours)
    return fig


@_styled
def prevalence_plot(table: pd.DataFrame, ax: Axes, *, colours: dict | None = None) -> Axes:
    """Each group's share of units with each frame (:func:`framing.comparison.prevalence.frame_prevalence`):
    the corrected estimate with its interval (filled dot) and plain classify-and-count beside it
    (hollow dot), one colour per group, frames as rows."""
    by = table.columns[0]
    shown, groups, note = _keep_largest(table, by, "n_docs")
    colours = _colours_for(groups, colours)
    frames = list(dict.fromkeys(shown["frame"]))
    step = 0.8 / max(len(groups), 1)
    drawn = []
    for i, frame in enumerate(frames):
        for k, g in enumerate(groups):
            row = shown[(shown["frame"] == frame) & (shown[by].astype(str) == g)]
            if row.empty:
                continue
            r = row.iloc[0]
            y = i - 0.4 + step * (k + 0.5)
            est = float(r["estimate"])
            err = np.clip(np.nan_to_num([[est - float(r["low"])], [float(r["high"]) - est]]), 0, None)
            ax.errorbar([est], [y], xerr=err, fmt="o", color=colours[g], markersize=4, linewidth=1, capsize=2,
                        label=f"{g} ({int(r['n_units']):,} units, {int(r['n_docs']):,} doc{'' if int(r['n_docs']) == 1 else 's'})"
                        if i == 0 else None)
            ax.scatter([float(r["cc"])], [y], marker="o", s=22, facecolor="white", edgecolor=colours[g], zorder=3)
            drawn.append(r)
    _record(ax, pd.DataFrame(drawn)[[c for c in (by, "frame", "method", "estimate", "low", "high", "cc", "cc_low", "cc_high",
                                                 "n_units", "n_docs", "resampled", "warning", "level") if c in shown]])
    undefined = {f for f in frames if shown.loc[shown["frame"] == f, "estimate"].isna().all()}
    gap_name = "ptpr − pfpr" if str(shown["method"].iloc[0]) == "pacc" else "tpr − fpr"
    weak = {f: float(g) for f, g in shown.groupby("frame")["separation"].first().items()
            if "warning" in shown and shown.loc[shown["frame"] == f, "warning"].astype(str).ne("").any()} \
        if "separation" in shown else {}
    ax.set_yticks(range(len(frames)), [_pretty(f) + ("\n(no correction:\ntpr not above fpr)" if f in undefined else
                                                     f"\n(weak classifier:\n{gap_name} {weak[f]:.2f})" if f in weak else "")
                                       for f in frames])
    ax.set_ylim(len(frames) - 0.5, -0.5)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("share of units with the frame")
    method = str(shown["method"].iloc[0]).upper()
    ax.set_title(f"Frame prevalence by {_pretty(by)}: {method} with {level_text(shown)} intervals (filled), "
                 f"classify-and-count (hollow)" + (f"\n{note}" if note else ""), fontsize=9)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


# --------------------------------------------------------------------------- the same story


def coverage_figure(matrix: pd.DataFrame, *, top: int = 25) -> "Figure | Skipped":
    """:func:`coverage_plot` on a canvas sized to the groups and stories, or :class:`Skipped` without a shared story."""
    if matrix.shape[1] == 0:
        return Skipped("no story is covered by two groups")
    n_groups = min(matrix.shape[0], MAX_GROUPS)
    fig, ax = canvas(min(max(6.0, 3.0 + 0.32 * min(top, matrix.shape[1])), MAX_PIXELS / 150), 2.4 + 0.32 * n_groups)
    coverage_plot(matrix, ax, top=top)
    return fig


@_styled
def coverage_plot(matrix: pd.DataFrame, ax: Axes, *, top: int = 25) -> Axes:
    """Which groups covered the largest shared stories (:attr:`framing.comparison.agenda.Agenda.matrix`):
    a cell per group and story, shaded by the group's documents in the story (the number written in it),
    stories largest first, at most ``top`` of them and :data:`MAX_GROUPS` groups (the most documents)."""
    sizes = {str(g): int(v) for g, v in matrix.sum(axis=1).items()}
    groups, note = _shown(sizes)
    shown = matrix.loc[[g for g in matrix.index if str(g) in groups]].iloc[:, :top]
    shown = shown.loc[sorted(shown.index, key=lambda g: groups.index(str(g)))]
    values = shown.to_numpy(float)
    ax.imshow(np.where(values > 0, values, np.nan), aspect="auto", cmap="Blues", vmin=0, vmax=max(values.max(), 1))
    for (i, j), v in np.ndenumerate(values):
        if v > 0:
            ax.text(j, i, f"{int(v)}", ha="center", va="center", fontsize=6,
                    color="white" if v > 0.6 * values.max() else "black")
    ax.set_yticks(range(len(shown.index)), [str(g) for g in shown.index])
    ax.set_xticks(range(shown.shape[1]), [f"{k + 1}" for k in range(shown.shape[1])])
    ax.set_xlabel("shared stories, largest first (their ids: the chart's CSV)")
    long = shown.stack().rename("n_docs").reset_index()
    long.columns = ["group", "story", "n_docs"]
    long["rank"] = long["story"].map({s: k + 1 for k, s in enumerate(shown.columns)})
    _record(ax, long[["rank", "story", "group", "n_docs"]])
    which = "the story" if shown.shape[1] == 1 else f"the {shown.shape[1]} largest stories"
    ax.set_title(f"Documents per group in {which} covered by two groups or more"
                 + (f"\n{note}" if note else ""), fontsize=9)
    return ax


def _power_of_two(k: int) -> str:
    """A tick label of ``2**k`` on a log axis of ratios: ``1/8``, ``1``, ``16``; past 2**10 either way, ``2^k``
    (an interval that wide would otherwise print 1/274877906944 over its neighbours).

    Examples
    --------
    >>> [_power_of_two(k) for k in (-3, 0, 4, 11, -38)]
    ['1/8', '1', '16', '$2^{11}$', '$2^{-38}$']
    """
    if abs(k) > 10:
        return f"$2^{{{k}}}$"
    return f"1/{2 ** -k}" if k < 0 else f"{2 ** k}"


def within_figure(table: pd.DataFrame, *, category: str | None = None, voice: str = "author",
                  colours: dict | None = None) -> "Figure | Skipped":
    """:func:`within_plot` on a canvas sized to its rows (``category``: that category's rows only;
    for a family that counts voices apart, the rows of ``voice``, by default the outlet's own)."""
    if "voice" in table.columns:
        if voice not in set(table["voice"]):
            return Skipped(f"no voice '{voice}' in the table")
        table = table[table["voice"] == voice]
    if category is not None:
        if category not in set(table["category"]):
            return Skipped(f"no category '{category}' in the table")
        table = table[table["category"] == category]
    rows = table.dropna(subset=["rate_ratio"])
    if rows.empty:
        reason = str(table["warning"].iloc[0]) if len(table) and "warning" in table else ""
        return Skipped("no within-story rate ratio could be estimated" + (f": {reason}" if reason else ""))
    fig, ax = canvas(8, min(2.2 + 0.42 * len(rows), MAX_PIXELS / 150))
    within_plot(table, ax, colours=colours)
    return fig


@_styled
def within_plot(table: pd.DataFrame, ax: Axes, *, colours: dict | None = None) -> Axes:
    """Rate ratios within stories (filled, :func:`framing.comparison.within.within_model`) beside the pooled
    ratios of the same groups over all their documents (hollow), one row per group and category, on a
    log scale: where the two part, pooling mixed what the groups covered into how they covered it."""
    by = table.columns[0]
    rows = table.dropna(subset=["rate_ratio"]).reset_index(drop=True)
    groups = list(dict.fromkeys(rows[by].astype(str)))
    colours = _colours_for(groups, colours)
    y = np.arange(len(rows), dtype=float)
    for k, r in rows.iterrows():
        colour = colours[str(r[by])]
        for value, low, high, offset, face in ((r["rate_ratio"], r["ci_low"], r["ci_high"], -0.15, colour),
                                               (r["pooled_ratio"], r["pooled_low"], r["pooled_high"], 0.15, "white")):
            if np.isfinite(value):
                err = np.clip(np.nan_to_num([[value - low], [high - value]]), 0, None)
                ax.errorbar([value], [y[k] + offset], xerr=err, fmt="o", color=colour, markerfacecolor=face,
                            markersize=4, linewidth=1, capsize=2)
    ax.axvline(1.0, color="0.5", linewidth=0.8, linestyle=":")
    ax.set_xscale("log")
    values = rows[["rate_ratio", "ci_low", "ci_high", "pooled_ratio", "pooled_low", "pooled_high"]].to_numpy(float)
    values = values[np.isfinite(values) & (values > 0)]
    low, high = int(np.floor(np.log2(values.min()))), int(np.ceil(np.log2(values.max())))
    step = max(1, int(np.ceil((high - low + 1) / 6)))  # powers of two, at most six labels
    powers = list(range(low, high + 1, step))
    ax.set_xticks([2.0**k for k in powers], [_power_of_two(k) for k in powers])
    ax.xaxis.set_minor_formatter(mpl.ticker.NullFormatter())
    one = rows["category"].nunique() == 1  # one category: the title names it, the rows name the groups
    by_language = "within" in rows and str(rows["within"].iloc[0]) == "language"
    unit, units = ("language", "languages") if by_language else ("story", "stories")
    label = [("" if one else f"{_pretty(c)}: ") + f"{g} ({int(s)} {unit if int(s) == 1 else units}, {int(n)} docs"
             + ("; no interval" if not np.isfinite(lo) else "") + ")" for c, g, s, n, lo
             in zip(rows["category"], rows[by], rows["n_stories"], rows["n_docs"], rows["ci_low"].astype(float))]
    ax.set_yticks(y, label)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    _record(ax, rows[[c for c in (by, "reference", "category", "voice", "rate_ratio", "ci_low", "ci_high", "pooled_ratio",
                                  "pooled_low", "pooled_high", "n_stories", "n_docs", "warning", "level") if c in rows]])
    missing = [str(g) for g in dict.fromkeys(table.loc[table["rate_ratio"].isna(), by].astype(str))]
    ax.set_xlabel(f"rate ratio against {rows['reference'].iloc[0]} (log scale)")
    errors = "within and pooled robust by document" if by_language else "within clustered by story, pooled robust by document"
    ax.set_title((f"{_pretty(rows['category'].iloc[0])}: " if one else "")
                 + f"within {units} (filled) and pooled (hollow)\n"
                 + f"{level_text(rows)} intervals: {errors}"
                 + (f"\nno within-{unit} ratio: {', '.join(missing)}" if missing else ""), fontsize=9)
    return ax


# --------------------------------------------------------------------------- across languages


def relative_rates_figure(table: pd.DataFrame, *, category: str | None = None, voice: str = "author",
                          colours: dict | None = None) -> "Figure | Skipped":
    """:func:`relative_rates_plot` of one category (default: the one with most matches, which the
    title then says) on a canvas sized to its rows."""
    if "voice" in table.columns and voice in set(table["voice"]):
        table = table[table["voice"] == voice]
    categories = list(dict.fromkeys(table["category"]))
    if not categories:
        return Skipped("no rates to draw")
    chosen = category is None
    if chosen:  # the most matched: ties go to the first listed
        totals = table.groupby("category", sort=False)["count"].sum()
        category = str(totals.idxmax())
    if category not in categories:
        return Skipped(f"no category '{category}' in the table")
    table = table[table["category"] == category]
    if table["language"].nunique() < 2:
        return Skipped("one language: a chart across languages needs two (compare the rates themselves)")
    n_groups = min(table.iloc[:, 0].nunique(), MAX_GROUPS)
    fig, ax = canvas(8, min(2.4 + 0.55 * n_groups, MAX_PIXELS / 150))
    relative_rates_plot(table, ax, colours=colours)
    if chosen:
        ax.set_title(ax.get_title().replace(":", " (the category with most matches):", 1), fontsize=9)
        with style():
            _fit_titles(fig)  # the longer title wrapped to the figure, as the chart's own is
    return fig


@_styled
def relative_rates_plot(table: pd.DataFrame, ax: Axes, *, colours: dict | None = None) -> Axes:
    """Each group's rate in each language as a share of that language's rate
    (:func:`framing.comparison.languages.relative_rates`), one row per group, one dot per language
    (a colour each, in the legend), with its interval; the dotted line at 1 is each language's own
    rate. Rows resting on few matches are drawn hollow. Rates of different languages are never set
    side by side: only their shares of their own language's rate."""
    by = table.columns[0]
    sizes = table.groupby(by, sort=False)["n_docs"].sum()
    kept, note = _shown({str(g): int(n) for g, n in sizes.items()})
    rows = table[table[by].astype(str).isin(kept)].reset_index(drop=True)
    languages = sorted(set(rows["language"]))
    colours = _colours_for(languages, colours)
    offsets = {code: (k - (len(languages) - 1) / 2) * min(0.7 / max(len(languages), 1), 0.22)
               for k, code in enumerate(languages)}
    y = {g: k for k, g in enumerate(kept)}
    for code in languages:
        part = rows[rows["language"] == code]
        for group, value, low, high, weak in zip(part[by].astype(str), part["relative"], part["ci_low"], part["ci_high"],
                                                 part.get("warning", pd.Series("", index=part.index)).astype(bool)):
            if not np.isfinite(value):
                continue
            err = np.clip(np.nan_to_num([[value - low], [high - value]]), 0, None) if np.isfinite(low) else None
            ax.errorbar([value], [y[group] + offsets[code]], xerr=err, fmt="o", color=colours[code], markersize=4.5,
                        linewidth=1, capsize=2, markerfacecolor="white" if weak else colours[code])
        ax.plot([], [], "o", color=colours[code], label=language_name(code))
    ax.axvline(1.0, color="0.5", linewidth=0.8, linestyle=":")
    ax.set_xlim(left=-0.02 * ax.get_xlim()[1])  # a share of 0 is drawn whole, on the edge
    # each row's documents per language: a dot rests on its language's share of them, not on the row's total
    per_language = rows.groupby([by, "language"], sort=True)["n_docs"].max()
    ax.set_yticks(range(len(kept)), [f"{g} ({', '.join(f'{code} {int(n)}' for code, n in per_language[g].items())} docs)"
                                     for g in kept])
    ax.set_ylim(len(kept) - 0.5, -0.5)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False, title="language", title_fontsize=8)
    ax.set_xlabel("rate as a share of its language's rate (1 = the language's mean)")
    category = _pretty(rows["category"].iloc[0]) if len(rows) else ""
    ax.set_title(f"{category}: each group against its own language\n{level_text(rows)} intervals (stratified "
                 f"bootstrap); hollow: under 5 matches or one document{'; ' + note if note else ''}", fontsize=9)
    _record(ax, rows[[c for c in (by, "language", "category", "voice", "per_1k", "language_per_1k", "relative", "ci_low",
                                  "ci_high", "n_docs", "warning", "level") if c in rows]])
    return ax


# --------------------------------------------------------------------------- text reuse


def reuse_matrix_figure(matrix: pd.DataFrame) -> "Figure | Skipped":
    """:func:`reuse_matrix_plot` on a canvas sized to its groups, or :class:`Skipped` when no
    passage is shared."""

    if not matrix.to_numpy().any():
        return Skipped("no passage is shared between two documents")
    side = min(len(matrix), MAX_GROUPS)
    fig, ax = canvas(3.2 + 0.6 * side, min(2.4 + 0.45 * side, MAX_PIXELS / 150))
    reuse_matrix_plot(matrix, ax)
    return fig


@_styled
def reuse_matrix_plot(matrix: pd.DataFrame, ax: Axes) -> Axes:
    """Heatmap of :func:`framing.features.reuse.reuse_matrix`: words of the row group's documents in
    passages shared with the column group's documents, each cell labelled with its count."""
    left_out = matrix.attrs.get("left_out")  # groups the matrix itself left out (framing.reuse_matrix)
    shared = {str(g): float(v) for g, v in (matrix.sum(axis=1) + matrix.sum(axis=0).to_numpy()).items()}
    keep, note = _shown(shared)  # beyond MAX_GROUPS, the groups that share most words
    names = {str(g): g for g in matrix.index}
    matrix = matrix.loc[[names[g] for g in keep], [names[g] for g in keep]]
    values = matrix.to_numpy(float)
    image = ax.imshow(values, cmap="cividis", aspect="auto")
    rows, columns = [str(i) for i in matrix.index], [str(c) for c in matrix.columns]
    _record(ax, pd.DataFrame({"row": np.repeat(rows, len(columns)), "column": np.tile(columns, len(rows)),
                              "shared_words": values.ravel()}))
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in matrix.columns], rotation=40, ha="right")
    ax.set_yticks(range(matrix.shape[0]), [str(i) for i in matrix.index])
    middle = values.max() / 2
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            ax.text(j, i, f"{int(values[i, j]):,}", ha="center", va="center", fontsize=7,
                    color="black" if values[i, j] > middle else "white")
    name = matrix.index.name
    note = note.replace("fewest documents", "fewest shared words")
    if left_out:  # of more groups than the matrix holds: how many are drawn, of how many
        note = f"; the {len(keep)} of {matrix.attrs['n_groups']:,} groups that share most words"
    _title(ax, f"Text reuse: words of each {name}'s documents (rows) in passages they share with each {name}'s "
               f"(columns){note}", fontsize=9)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="shared words")
    return ax


# --------------------------------------------------------------------------- layout


def _texts(fig: Figure, renderer) -> list:
    """The texts a reader sees: figure texts, and per axes its titles, axis labels, tick labels
    within the view, texts, annotations and legend entries."""
    out = [t for t in fig.texts]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        out += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        for axis, (low, high) in ((ax.xaxis, sorted(ax.get_xlim())), (ax.yaxis, sorted(ax.get_ylim()))):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                loc = tick.get_loc()
                if loc is not None and low - 1e-9 <= loc <= high + 1e-9:
                    out += [tick.label1, tick.label2]
        legend = ax.get_legend()
        if legend is not None:
            out += list(legend.get_texts()) + [legend.get_title()]
    for legend in fig.legends:
        out += list(legend.get_texts()) + [legend.get_title()]
    return [t for t in out if t.get_visible() and t.get_text().strip() and t.get_alpha() != 0]


def layout_problems(fig: Figure, *, drawn: bool = False) -> list[str]:
    """What a reader of the saved chart would find clipped or illegible: every text that runs
    outside the figure, and every two texts that overlap. Tick labels drawn at an angle are
    checked by their spacing instead (neighbours must lie at least a line's height apart,
    across the slant), since their upright boxes overlap by design. One line per problem;
    an empty list for a clean chart. :func:`framing.views.figures.save` reports them, with
    ``drawn``: the figure was just laid out, at the resolution it is saved at, on an Agg canvas,
    and its boxes are read from that layout without drawing it again."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    with style():
        if not drawn:
            fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()
        texts = _texts(fig, renderer)
        boxes = [t.get_window_extent(renderer) for t in texts]
    frame = fig.bbox
    problems = []
    for t, box in zip(texts, boxes):
        if box.x0 < frame.x0 - 1 or box.y0 < frame.y0 - 1 or box.x1 > frame.x1 + 1 or box.y1 > frame.y1 + 1:
            problems.append(f"outside the figure: {t.get_text()[:60]!r}")
    slanted = [i for i, t in enumerate(texts) if t.get_rotation() % 180 not in (0, 90)]
    upright = [i for i in range(len(texts)) if i not in set(slanted)]
    for k, i in enumerate(upright):
        for j in upright[k + 1:]:
            a, b = boxes[i].shrunk(0.98, 0.9), boxes[j].shrunk(0.98, 0.9)
            if a.overlaps(b) and a.width > 0 and b.width > 0:
                problems.append(f"overlap: {texts[i].get_text()[:40]!r} and {texts[j].get_text()[:40]!r}")
    by_axis: dict = {}
    for i in slanted:
        by_axis.setdefault(id(texts[i].axes), []).append(i)
    for members in by_axis.values():
        members = sorted(members, key=lambda i: boxes[i].x1)
        for i, j in zip(members, members[1:]):
            angle = np.radians(texts[i].get_rotation() % 180)
            height = texts[i].get_fontsize() * fig.dpi / 72
            if (boxes[j].x1 - boxes[i].x1) * abs(np.sin(angle)) < 0.9 * height:
                problems.append(f"overlap: {texts[i].get_text()[:40]!r} and {texts[j].get_text()[:40]!r} (slanted)")
    return problems
