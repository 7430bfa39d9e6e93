"""Charts: pure matplotlib, each drawing on an ``Axes`` it is given (or returning a
``Figure`` for multi-panel charts). No statistics are computed here and nothing is
written to disk: the inputs are the tables of :mod:`framing.compare` and
:mod:`framing.keyness`, and :func:`framing.figures.save` writes files.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies);
sequential maps use ``cividis``.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import wraps
from typing import NamedTuple

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from scipy.cluster.hierarchy import dendrogram

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
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
    in a similarity heatmap, a contrast that repeats the grouping). :func:`framing.figures.save`
    writes no file for it and says why in one line."""

    reason: str


@contextmanager
def style():
    """The house style, as a context: ``with plots.style(): fig = ...``."""
    with mpl.rc_context(STYLE):
        yield


def _styled(function):
    """Draw in the house style whatever the caller's rcParams are."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        with style():
            return function(*args, **kwargs)

    return wrapper


MAX_PIXELS = 4000
"""No chart is larger than this on a side (at the saving resolution, 150 dpi)."""
MAX_ROWS = 40
"""Groups shown one per row at most; beyond, the largest are shown and the chart says how many were left out."""
MANY_POINTS = 30
"""Beyond this many documents, charts show distributions and group centroids, not one label per document."""


def _colours(labels) -> dict:
    """A colour per label, never shared: Okabe-Ito for up to eight, then evenly spaced hues
    (such charts label groups directly instead of relying on a legend)."""
    labels = list(labels)
    if len(labels) <= len(OKABE_ITO):
        return {label: OKABE_ITO[i] for i, label in enumerate(labels)}
    cmap = mpl.colormaps["turbo"]
    return {label: mpl.colors.to_hex(cmap(0.05 + 0.9 * i / (len(labels) - 1))) for i, label in enumerate(labels)}


MAX_SERIES = len(OKABE_ITO)
"""Groups drawn side by side in one panel (dots, bars) at most; beyond, the largest are kept."""


def _keep_largest(table: pd.DataFrame, by: str, size: str, limit: int = MAX_SERIES) -> tuple[pd.DataFrame, str]:
    """The rows of the ``limit`` groups of ``by`` with the largest ``size`` (summed), and a note
    naming how many groups were left out (empty when none were)."""
    totals = table.groupby(by, sort=False)[size].sum()
    if len(totals) <= limit:
        return table, ""
    keep = sorted(totals.index, key=lambda g: (-totals[g], str(g)))[:limit]
    return table[table[by].isin(keep)], f"; the {len(totals) - limit} smallest of {len(totals)} groups are left out"


def _largest(groups: pd.Series, limit: int = MAX_ROWS) -> tuple[list, str]:
    """The ``limit`` groups with most rows (ties by name), and a note of how many are left out."""
    sizes = groups.value_counts()
    order = sorted(sizes.index, key=lambda g: (-sizes[g], str(g)))
    note = f"; the {len(order) - limit} smallest of {len(order)} groups are left out" if len(order) > limit else ""
    return order[:limit], note


def _lexicon_label(lexicon) -> str:
    """A lexicon as a title names it: a name, a file's stem, or several joined by "+"."""
    from pathlib import Path

    items = [lexicon] if isinstance(lexicon, str) else list(lexicon)
    return "+".join(Path(str(x)).stem if str(x).endswith((".toml", ".dic", ".csv", ".yaml", ".yml")) else str(x) for x in items)


def _pretty(name: str) -> str:
    return str(name).replace("_", " ")


# --------------------------------------------------------------------------- corpus


@_styled
def document_sizes(overview: pd.DataFrame, ax: Axes, *, by: str | None = None) -> Axes:
    """Word tokens per document (input: :meth:`framing.Corpus.overview`): one bar per document,
    coloured by group, with the lines cleaning removed; beyond :data:`MANY_POINTS` documents, the
    distribution of each group's document sizes instead (one row per group, largest groups first)."""
    groups = overview[by].astype(str) if by else pd.Series([""] * len(overview), index=overview.index)
    if len(overview) > MANY_POINTS:
        kept, note = _largest(groups)
        data = [overview.loc[groups == g, "n_tokens"].to_numpy() for g in kept]
        ax.boxplot(data, orientation="horizontal", widths=0.6, flierprops={"markersize": 2})
        ax.set_yticks(range(1, len(kept) + 1), [f"{g or 'all'} (n={len(d)})" for g, d in zip(kept, data)])
        ax.invert_yaxis()
        ax.set_xlabel("word tokens per document, after cleaning")
        ax.set_title(f"{len(overview):,} documents" + (f" by {by}" if by else "") + note
                     + f"; cleaning removed {int(overview['lines_removed'].sum()):,} lines")
        return ax
    colours = _colours(list(dict.fromkeys(groups)))
    labels = [f"{d[:12]} ({g})" if g else d for d, g in zip(overview["doc_id"], groups)]
    ax.barh(range(len(overview)), overview["n_tokens"], color=[colours[g] for g in groups])
    for i, (n, removed) in enumerate(zip(overview["n_tokens"], overview["lines_removed"])):
        ax.text(n, i, f"  {n} tokens, {removed} lines cleaned", va="center", fontsize=7)
    ax.set_yticks(range(len(overview)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, overview["n_tokens"].max() * 1.45 if len(overview) else 1)
    ax.set_xlabel("word tokens after cleaning")
    ax.set_title("Documents" + (f" by {by}" if by else ""))
    return ax


def documents_figure(overview: pd.DataFrame, *, by: str | None = None) -> Figure:
    """:func:`document_sizes` on a canvas sized to its rows (documents, or groups beyond
    :data:`MANY_POINTS` documents), never taller than :data:`MAX_PIXELS`."""
    from framing.figures import canvas  # the house canvas; figures imports plots only inside functions

    rows = len(overview) if len(overview) <= MANY_POINTS else min(overview[by].nunique() if by else 1, MAX_ROWS)
    fig, ax = canvas(7, min(max(3.0, 1.2 + 0.35 * rows), MAX_PIXELS / 150))
    document_sizes(overview, ax, by=by)
    return fig


def grouping(table: pd.DataFrame) -> str:
    """The grouping column of a comparison table: its first column, named after the
    metadata column the groups come from (``outlet``, ``affiliation``...)."""
    return str(table.columns[0])


# --------------------------------------------------------------------------- heatmap


def rate_figure(rates: pd.DataFrame, *, lexicon: str | None = None, voice: str | None = None) -> Figure:
    """A :func:`rate_heatmap` on a canvas sized to its groups (at most :data:`MAX_ROWS` rows,
    and :data:`MAX_PIXELS` high), titled with the lexicon, the grouping and the unit."""
    from framing.figures import canvas  # the house canvas; figures imports plots only inside functions

    rows = min(rates[grouping(rates)].nunique(), MAX_ROWS)
    per_row = 0.55 if rows <= INTERVAL_ROWS else 0.3
    fig, ax = canvas(9, min(1.9 + per_row * rows, MAX_PIXELS / 150))
    rate_heatmap(rates, ax, voice=voice, lexicon=lexicon)
    return fig


def contrast_heatmap_figure(rates: pd.DataFrame, grouped_by: pd.DataFrame, *, lexicon: str | None = None) -> "Figure | Skipped":
    """:func:`rate_figure` of a contrast table, unless it groups by the same column as
    ``grouped_by`` (the heatmap already drawn), which it would only repeat."""
    if grouping(rates) == grouping(grouped_by):
        return Skipped(f"the contrast column is the grouping column ({grouping(rates)}): its heatmap would repeat the first")
    return rate_figure(rates, lexicon=lexicon)


INTERVAL_ROWS = 12
"""Up to this many groups, each heatmap cell shows its bootstrap interval under the rate."""


@_styled
def rate_heatmap(rates: pd.DataFrame, ax: Axes, *, value: str = "per_1k", voice: str | None = None, fmt: str = "{:.1f}",
                 lexicon: str | None = None) -> Axes:
    """Groups x categories heatmap of a :func:`framing.compare.compare` table.

    Each row is labelled with its number of documents; each cell with its rate and, up
    to :data:`INTERVAL_ROWS` groups, its bootstrap interval (beyond 25 rows: no cell text).
    Cells whose figure rests on few matches (non-empty ``warning``) are in italics. Beyond
    :data:`MAX_ROWS` groups, the groups with most documents are shown and the title says
    how many were left out.
    """
    table = rates if voice is None or "voice" not in rates else rates[rates["voice"] == voice]
    by = grouping(rates)
    n_docs = table.groupby(by, sort=False)["n_docs"].max() if "n_docs" in table else None
    note = ""
    if table[by].nunique() > MAX_ROWS and n_docs is not None:
        keep = sorted(n_docs.index, key=lambda g: (-n_docs[g], str(g)))[:MAX_ROWS]
        note = f"; the {table[by].nunique() - MAX_ROWS} groups with fewest documents are left out"
        table = table[table[by].isin(keep)]
    grid = table.pivot_table(index=by, columns="category", values=value, sort=False)
    warn = table.assign(w=table["warning"].astype(bool)).pivot_table(index=by, columns="category", values="w", sort=False, aggfunc="max")
    intervals = "ci_low" in table and len(grid) <= INTERVAL_ROWS
    if intervals:
        low = table.pivot_table(index=by, columns="category", values="ci_low", sort=False).reindex_like(grid)
        high = table.pivot_table(index=by, columns="category", values="ci_high", sort=False).reindex_like(grid)
    image = ax.imshow(grid.to_numpy(float), cmap="cividis", aspect="auto")
    ax.set_xticks(range(grid.shape[1]), [_pretty(c) for c in grid.columns], rotation=40, ha="right")
    ax.set_yticks(range(grid.shape[0]), [f"{g} (n={n_docs[g]})" if n_docs is not None else str(g) for g in grid.index])
    finite = grid.to_numpy(float)[np.isfinite(grid.to_numpy(float))]
    middle = (finite.min() + finite.max()) / 2 if finite.size else 0
    if len(grid) <= 25:
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                v = grid.iat[i, j]
                if not np.isfinite(v):
                    continue
                text = fmt.format(v)
                if intervals and np.isfinite(low.iat[i, j]):
                    text += "\n" + fmt.format(low.iat[i, j]) + "–" + fmt.format(high.iat[i, j])
                ax.text(j, i, text, ha="center", va="center", fontsize=6.5 if intervals else 7, linespacing=1.1,
                        color="black" if v > middle else "white", style="italic" if warn.iat[i, j] else "normal")
    what = f"{_lexicon_label(lexicon)} categories" if lexicon else "Categories"
    if "precision" in table and table["precision"].notna().any():
        what = f"True matches of {what[0].lower() + what[1:]} (rate x coded precision)"
    unit = f"per 1,000 {'words' if voice is None else f'{voice}-voice words'}"
    spread = "under each rate its 95% bootstrap interval; " if intervals else ""
    ax.set_title(f"{what} by {by}, {unit}{note}\n{spread}italics: fewer than 5 matches", fontsize=9)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label=unit)
    return ax


# --------------------------------------------------------------------------- keyness


@_styled
def keyness_bars(table: pd.DataFrame, ax: Axes, *, group: str | None = None, measure: str | None = None, top: int = 8) -> Axes:
    """Diverging bars of the top over- and under-used terms of one group in a :func:`framing.keyness` table."""
    measure = measure or _measure_of(table)
    by = grouping(table)
    group = group if group is not None else table[by].iloc[0]
    part = table[(table[by] == group) & (~table["low_count"] | (table[measure] < 0))]
    over = part[part[measure] > 0].nlargest(top, measure)
    under = part[part[measure] < 0].nsmallest(top, measure)
    shown = pd.concat([over, under.iloc[::-1]]).iloc[::-1]
    colours = [OKABE_ITO[0] if v > 0 else OKABE_ITO[1] for v in shown[measure]]
    ax.barh(range(len(shown)), shown[measure], color=colours)
    ax.set_yticks(range(len(shown)), shown["term"])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(_pretty(measure))
    reference = table.loc[table[by] == group, "reference"].iloc[0] if "reference" in table else "rest"
    ax.set_title(f"{group} vs {reference}")
    return ax


@_styled
def keyness_figure(table: pd.DataFrame, *, measure: str | None = None, top: int = 8, ncols: int = 3) -> Figure:
    """One :func:`keyness_bars` panel per group; with two groups one diverging panel, since
    the second would be its mirror image. The figure stays within :data:`MAX_PIXELS`: beyond
    that many panels, the groups with most documents are shown and the title says how many
    were left out."""
    by = grouping(table)
    groups = list(dict.fromkeys(table[by]))
    if len(groups) == 2:
        fig = Figure(figsize=(5, 3.6), layout="constrained")
        keyness_bars(table, fig.subplots(), group=groups[0], measure=measure, top=top)
        fig.suptitle(f"Keywords by {by} ({_pretty(measure or _measure_of(table))}): over-used (blue) and under-used "
                     "(orange); with two groups one side's gain is the other's loss")
        return fig
    most = int(MAX_PIXELS / 150 // 3.4) * ncols  # the panels that fit in MAX_PIXELS at 150 dpi
    note = ""
    if len(groups) > most:
        docs = table.groupby(by, sort=False)["n_docs_target"].first() if "n_docs_target" in table else None
        groups = sorted(groups, key=lambda g: (-(docs[g] if docs is not None else 0), str(g)))[:most]
        note = f"; the {table[by].nunique() - most} groups with fewest documents are left out (see the keyness table)"
    nrows = int(np.ceil(len(groups) / ncols))
    fig = Figure(figsize=(4 * min(ncols, len(groups)), 3.4 * nrows), layout="constrained")
    axes = fig.subplots(nrows, min(ncols, len(groups)), squeeze=False).ravel()
    for ax, group in zip(axes, groups):
        keyness_bars(table, ax, group=group, measure=measure, top=top)
    for ax in axes[len(groups):]:
        ax.set_visible(False)
    fig.suptitle(f"Keywords of each {by} against the rest ({_pretty(measure or _measure_of(table))}): over-used (blue) "
                 "and under-used (orange)" + note)
    return fig


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
    with the ``top`` most distinctive terms each way labelled (after scattertext, static)."""
    measure = measure or _measure_of(table)
    by = grouping(table)
    group = group if group is not None else table[by].iloc[0]
    part = table[table[by] == group]
    x = np.log10(part["per_10k_reference"].to_numpy(float) + 1)
    y = np.log10(part["per_10k_target"].to_numpy(float) + 1)
    ax.scatter(x, y, s=6, color="#999999", alpha=0.5, linewidths=0)
    limit = max(x.max(), y.max()) * 1.05
    ax.plot([0, limit], [0, limit], color="black", linewidth=0.6, linestyle="--")
    labelled = pd.concat([part.nlargest(top, measure), part.nsmallest(top, measure)])
    # terms with the same two frequencies sit on one point: one label listing them;
    # labels on the same row alternate above and below so neighbours do not collide
    points = labelled.groupby(["per_10k_target", "per_10k_reference"], sort=True)
    for k, ((tgt, ref), same) in enumerate(points):
        xi, yi = np.log10(ref + 1), np.log10(tgt + 1)
        colour = OKABE_ITO[0] if same[measure].iloc[0] > 0 else OKABE_ITO[1]
        terms = sorted(same["term"])
        text = ", ".join(terms[:4]) + (f" +{len(terms) - 4}" if len(terms) > 4 else "")
        ax.scatter([xi], [yi], s=12, color=colour)
        ax.annotate(text, (xi, yi), fontsize=7, color=colour, xytext=(3, 4 if k % 2 == 0 else -10),
                    textcoords="offset points")
    ticks = [0, 1, 10, 100, 1000]
    ticks = [t for t in ticks if np.log10(t + 1) <= limit]
    for setter in (ax.set_xticks, ax.set_yticks):
        setter([np.log10(t + 1) for t in ticks], [str(t) for t in ticks])
    reference = part["reference"].iloc[0] if "reference" in part else "rest"
    ax.set_xlabel(f"{reference}: per 10,000 tokens")
    ax.set_ylabel(f"{group}: per 10,000 tokens")
    ax.set_title(f"Terms of {group} vs {reference}")
    return ax


# --------------------------------------------------------------------------- stance and actors


@_styled
def stance_profile(rates: pd.DataFrame, ax: Axes, *, categories: list[str] | None = None) -> Axes:
    """Dot plot of rates with bootstrap intervals, per category and group; author voice filled, quoted voice hollow."""
    table = rates[rates["category"] != "quoted_share"] if categories is None else rates[rates["category"].isin(categories)]
    by = grouping(rates)
    table, note = _keep_largest(table, by, "n_docs")
    n_docs = table.groupby(by, sort=False)["n_docs"].max()
    cats = list(dict.fromkeys(table["category"]))
    groups = list(dict.fromkeys(table[by]))
    voices = [v for v in ("author", "quoted") if "voice" in table and v in set(table["voice"])] or [None]
    colours = _colours(groups)
    slots = len(groups) * len(voices)
    width = 0.8 / max(slots, 1)
    for gi, group in enumerate(groups):
        for vi, voice in enumerate(voices):
            part = table[(table[grouping(table)] == group) & ((table["voice"] == voice) if voice else True)]
            part = part.set_index("category").reindex(cats)
            x = np.arange(len(cats)) - 0.4 + width * (gi * len(voices) + vi + 0.5)
            y = part["per_1k"].to_numpy(float)
            err = np.vstack([y - part["ci_low"].to_numpy(float), part["ci_high"].to_numpy(float) - y])
            ax.errorbar(x, y, yerr=np.clip(np.nan_to_num(err), 0, None), fmt="o", markersize=4, capsize=0,
                        color=colours[group], markerfacecolor=colours[group] if voice != "quoted" else "white",
                        linewidth=0.8, label=f"{group} (n={n_docs[group]})" + (f" ({voice})" if voice else ""))
    ax.set_xticks(range(len(cats)), [_pretty(c) for c in cats], rotation=40, ha="right")
    ax.set_ylabel("per 1,000 tokens of that voice")
    resampled = rates["resampled"].iloc[0] if "resampled" in rates else ""
    ax.set_title(f"Stance markers, 95% bootstrap intervals ({resampled} resampled); hollow: quoted voice{note}")
    ax.legend(fontsize=7, ncol=2, frameon=False)
    return ax


def actor_labels_figure(shares: pd.DataFrame, *, lexicon: str = "actors") -> "Figure | Skipped":
    """:func:`connotation_bars` on a canvas sized to its rows, or :class:`Skipped` when the
    actors lexicon names no actor in the corpus (a corpus about something else)."""
    from framing.figures import canvas  # the house canvas; figures imports plots only inside functions

    if not len(shares) or shares["mentions"].sum() == 0:
        return Skipped(f"the actors lexicon '{lexicon}' names no actor in this corpus; give your own (framing lexicon new NAME --template actors)")
    rows = len(shares.loc[shares["mentions"] > 0, ["actor", grouping(shares)]].drop_duplicates())
    fig, ax = canvas(8, min(max(7.0, 1.5 + 0.22 * rows), MAX_PIXELS / 150))
    connotation_bars(shares, ax)
    return fig


def actor_sentiment_figure(toward: pd.DataFrame, *, lexicon: str = "actors") -> "Figure | Skipped":
    """:func:`actor_sentiment_plot` on a canvas sized to its actors, or :class:`Skipped` when
    no sentence names an actor of the lexicon."""
    from framing.figures import canvas  # the house canvas; figures imports plots only inside functions

    if not len(toward):
        return Skipped(f"no sentence names an actor of the lexicon '{lexicon}'")
    actors = toward["actor"].nunique()
    fig, ax = canvas(7, min(max(4.5, 1.5 + 0.5 * actors), MAX_PIXELS / 150))
    actor_sentiment_plot(toward, ax)
    return fig


@_styled
def connotation_bars(shares: pd.DataFrame, ax: Axes) -> Axes:
    """Stacked bars: share of each connotation among the labels of each actor, per group
    (input: :func:`framing.compare.group_shares`)."""
    by = grouping(shares)
    actors = max(shares["actor"].nunique(), 1)
    table, note = _keep_largest(shares[shares["mentions"] > 0], by, "count", limit=max(1, 60 // actors))
    rows = table[["actor", by]].drop_duplicates().sort_values(["actor", by], kind="mergesort")
    labels = [f"{_pretty(a)} | {g}" for a, g in zip(rows["actor"], rows[by])]
    left = np.zeros(len(rows))
    for connotation, colour in CONNOTATION_COLOURS.items():
        part = table[table["connotation"] == connotation].set_index(["actor", by])["share"]
        values = np.array([part.get((a, g), 0.0) for a, g in zip(rows["actor"], rows[by])], dtype=float)
        values = np.nan_to_num(values)
        if values.any():
            ax.barh(range(len(rows)), values, left=left, color=colour, label=connotation, edgecolor="white", linewidth=0.5)
        left += values
    mentions = table.groupby(["actor", by])["mentions"].first()
    for i, (a, g) in enumerate(zip(rows["actor"], rows[by])):
        ax.text(1.01, i, f"n={int(mentions[(a, g)])}", va="center", fontsize=7)
    ax.set_yticks(range(len(rows)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the actor's labels")
    ax.set_title(f"How each {by} names each actor (author voice){note}")
    ax.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=4)
    return ax


@_styled
def actor_sentiment_plot(table: pd.DataFrame, ax: Axes, *, group_column: str | None = None) -> Axes:
    """Mean VADER compound of the sentences mentioning each actor, per group, with bootstrap intervals
    (input: :func:`framing.compare.compare_sentences` by group and actor; the groups are its first column)."""
    group_column = group_column or grouping(table)
    table, note = _keep_largest(table, group_column, "n_sentences")
    actors = list(dict.fromkeys(table["actor"]))
    groups = list(dict.fromkeys(table[group_column]))
    colours = _colours(groups)
    width = 0.8 / max(len(groups), 1)
    for gi, group in enumerate(groups):
        part = table[table[group_column] == group].set_index("actor").reindex(actors)
        y = np.arange(len(actors)) - 0.4 + width * (gi + 0.5)
        x = part["mean"].to_numpy(float)
        err = np.vstack([x - part["ci_low"].to_numpy(float), part["ci_high"].to_numpy(float) - x])
        ax.errorbar(x, y, xerr=np.nan_to_num(err), fmt="o", markersize=4, color=colours[group], linewidth=0.8, label=str(group))
        for xi, yi, n in zip(x, y, part["n_sentences"]):
            if np.isfinite(xi):
                ax.text(1.02, yi, f"n={int(n)}", fontsize=6, va="center", color=colours[group],
                        transform=ax.get_yaxis_transform())
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_yticks(range(len(actors)), [_pretty(a) for a in actors])
    ax.invert_yaxis()
    ax.set_xlim(-1, 1)
    ax.set_xlabel("mean VADER compound of sentences naming the actor")
    ax.set_title(f"Tone of sentences that name each actor (co-occurrence, not targeting){note}")
    ax.legend(fontsize=7, frameon=False)
    return ax


# --------------------------------------------------------------------------- count models


def rate_ratio_figure(model: pd.DataFrame) -> "Figure | Skipped":
    """:func:`rate_ratio_plot` on a canvas sized to its categories, or :class:`Skipped` when
    every ratio rests on too few documents (the seeds: one article per outlet)."""
    from framing.figures import canvas  # the house canvas; figures imports plots only inside functions

    usable = model[model["rate_ratio"].notna() & ~model["warning"].str.contains("too few documents")]
    if usable.empty:
        reason = model["warning"].iloc[0] if len(model) else "no rate ratio"
        return Skipped(f"the count model rests on too few documents to draw ({reason})")
    rows = usable["category"].nunique()
    fig, ax = canvas(7, min(1.6 + 0.35 * rows, MAX_PIXELS / 150))
    rate_ratio_plot(usable, ax)
    return fig


@_styled
def rate_ratio_plot(model: pd.DataFrame, ax: Axes) -> Axes:
    """Forest plot of a :func:`framing.rate_model` table: each category's rate ratio against
    the reference group with its interval, on a log scale; filled where the Benjamini-Hochberg
    adjusted p-value is under 0.05."""
    by = grouping(model)
    table, note = _keep_largest(model, by, "n_docs")
    cats = list(dict.fromkeys(table["category"]))
    groups = list(dict.fromkeys(table[by]))
    colours = _colours(groups)
    width = 0.7 / max(len(groups), 1)
    for gi, group in enumerate(groups):
        part = table[table[by] == group].set_index("category").reindex(cats)
        y = np.arange(len(cats)) - 0.35 + width * (gi + 0.5)
        x = part["rate_ratio"].to_numpy(float)
        err = np.vstack([x - part["ci_low"].to_numpy(float), part["ci_high"].to_numpy(float) - x])
        ax.errorbar(x, y, xerr=np.clip(np.nan_to_num(err), 0, None), fmt="none", ecolor=colours[group], linewidth=0.8)
        strong = (part["p_adjusted"] < 0.05).to_numpy()
        ax.scatter(x, y, s=22, color=colours[group], label=f"{group} (n={int(part['n_docs'].max())})", zorder=3)
        ax.scatter(x[~strong], y[~strong], s=12, color="white", zorder=4)
    ax.axvline(1, color="black", linewidth=0.6)
    ax.set_xscale("log")
    ax.set_yticks(range(len(cats)), [_pretty(c) for c in cats])
    ax.invert_yaxis()
    reference = table["reference"].iloc[0]
    ax.set_xlabel(f"rate ratio against {reference} (log scale)")
    ax.set_title(f"Count model ({table['model'].iloc[0]}) by {by}; filled: BH-adjusted p < 0.05{note}", fontsize=9)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax


# --------------------------------------------------------------------------- change over time


@_styled
def trend_plot(table: pd.DataFrame, ax: Axes, *, category: str | None = None, voice: str | None = None,
               events: list[tuple[str, str]] | None = None) -> Axes:
    """Rate per period of one category (default: the first) for each group of a
    :func:`framing.compare.trend` table, with its bootstrap interval as a band; periods
    without documents are gaps. ``events`` are ``(date, label)`` pairs drawn as dashed lines."""
    by = grouping(table)
    category = category or table["category"].iloc[0]
    part = table[table["category"] == category]
    if voice is not None and "voice" in part:
        part = part[part["voice"] == voice]
    part, note = _keep_largest(part, by, "n_docs")
    groups = list(dict.fromkeys(part[by]))
    colours = _colours(groups)
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
    ax.set_title(f"{_pretty(category)} by {by} over time{note}\nbands: 95% bootstrap intervals; gaps: no documents",
                 fontsize=9)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.figure.autofmt_xdate()
    return ax


# --------------------------------------------------------------------------- similarity and maps


@_styled
def similarity_figure(sim: pd.DataFrame, linkage_matrix: np.ndarray | None, *, title: str = "Cosine similarity") -> "Figure | Skipped":
    """A dendrogram above a similarity heatmap whose rows and columns follow the clustering.

    Under three groups there is nothing to cluster and at most one value to show, so the
    chart is :class:`Skipped`, with that value (and, for standardized profiles, why it is -1).
    """
    if len(sim) < 3:
        value = f"; the one similarity is {float(sim.iat[0, 1]):.2f}" if len(sim) == 2 else ""
        note = f" ({sim.attrs['note']})" if sim.attrs.get("note") else ""
        return Skipped(f"{title}: {len(sim)} group(s), and a similarity heatmap with a dendrogram needs three{value}{note}")
    fig = Figure(figsize=(6.2, 6.4), layout="constrained")
    fig.get_layout_engine().set(w_pad=0.08, h_pad=0.08)  # keep long tick labels inside the canvas
    top, bottom = fig.subplots(2, 1, height_ratios=[1, 4])
    tree = dendrogram(linkage_matrix, ax=top, labels=list(sim.index), no_labels=True, color_threshold=0,
                      above_threshold_color="#555555")
    top.set_axis_off()
    order = tree["leaves"]
    values = sim.to_numpy(float)[np.ix_(order, order)]
    labels = [str(sim.index[i]) for i in order]
    image = bottom.imshow(values, cmap="cividis", vmin=min(0, values.min()), vmax=1)
    bottom.set_xticks(range(len(labels)), labels, rotation=40, ha="right")
    bottom.set_yticks(range(len(labels)), labels)
    for i in range(len(labels)):
        for j in range(len(labels)):
            bottom.text(j, i, f"{values[i, j]:.2f}", ha="center", va="center", fontsize=7,
                        color="black" if values[i, j] > 0.6 else "white")
    fig.colorbar(image, ax=bottom, shrink=0.8)
    top.set_title(title)
    return fig


def _labels_that_fit(ax: Axes, points: np.ndarray, labels: list[str], *, fontsize: float = 7) -> list[bool]:
    """Greedy: in the given order, a label is placed at its point (up and to the right) if its
    box, estimated from the axes' size in points, overlaps no label placed before it."""
    width_pt, height_pt = (ax.figure.get_size_inches() * ax.get_position().size * 72)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    placed: list[tuple[float, float, float, float]] = []
    out = []
    for (x, y), label in zip(points, labels):
        left = (x - x0) / (x1 - x0) * width_pt + 4
        bottom = (y - y0) / (y1 - y0) * height_pt + 4
        box = (left, bottom, left + 0.6 * fontsize * len(label), bottom + 1.2 * fontsize)
        clash = any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed)
        out.append(not clash)
        if not clash:
            placed.append(box)
    return out


@_styled
def profile_map_plot(coords: pd.DataFrame, ax: Axes, *, groups: pd.Series | None = None) -> Axes:
    """Scatter of a 2-D map (:func:`framing.compare.profile_map`), points coloured by group
    (``groups`` maps the index, e.g. :meth:`framing.Corpus.groups`). Up to :data:`MANY_POINTS`
    points each is labelled; beyond, only each group's centroid is, and with more groups than
    the palette has colours the centroids carry the names instead of a legend."""
    group_of = groups.reindex(coords.index).astype(str) if groups is not None else pd.Series("", index=coords.index)
    names = list(dict.fromkeys(group_of))
    colours = _colours(names)
    many = len(coords) > MANY_POINTS
    for group in names:
        mask = (group_of == group).to_numpy()
        ax.scatter(coords["x"][mask], coords["y"][mask], s=8 if many else 30, alpha=0.5 if many else 1,
                   color=colours[group], label=str(group) or None, linewidths=0 if many else None)
    unlabelled: list[str] = []
    if many:
        centroids = coords.groupby(group_of.to_numpy())[["x", "y"]].mean()
        sizes = group_of.value_counts()
        for group, (x, y) in centroids.iterrows():
            ax.scatter([x], [y], s=40, color=colours[group], edgecolors="black", linewidths=0.6, zorder=3)
        ax.autoscale_view()
        order = sorted(centroids.index, key=lambda g: (-sizes[g], str(g)))
        fits = _labels_that_fit(ax, centroids.loc[order, ["x", "y"]].to_numpy(), [str(g) for g in order])
        for group, fit in zip(order, fits):
            if fit:
                x, y = centroids.loc[group]
                ax.annotate(str(group), (x, y), fontsize=7, xytext=(4, 4), textcoords="offset points", zorder=4)
            else:
                unlabelled.append(str(group))
    else:
        labels = list(group_of) if groups is not None else [str(i) for i in coords.index]
        for (x, y), label in zip(coords[["x", "y"]].to_numpy(), labels):
            ax.annotate(str(label), (x, y), fontsize=7, xytext=(3, 3), textcoords="offset points")
    explained = coords.attrs.get("explained")
    ax.set_xlabel("axis 1" + (f" ({explained[0]:.0%} of variance)" if explained else ""))
    ax.set_ylabel("axis 2" + (f" ({explained[1]:.0%} of variance)" if explained else ""))
    title = "Documents by framing profile" + ("; large dots: group centroids" if many else "")
    if unlabelled:
        shown = ", ".join(unlabelled[:8]) + (f" and {len(unlabelled) - 8} more" if len(unlabelled) > 8 else "")
        title += f"\nunlabelled (their labels would overlap others): {shown}"
    ax.set_title(title, **({"fontsize": 9} if unlabelled else {}))
    if groups is not None and len(names) <= len(OKABE_ITO):
        ax.legend(fontsize=7, frameon=False)
    return ax


# --------------------------------------------------------------------------- validation


def precision_figure(report: pd.DataFrame) -> "Figure | Skipped":
    """:func:`precision_plot` on a canvas sized to its categories, or :class:`Skipped` when
    no item of the report was coded."""
    from framing.figures import canvas  # the house canvas; figures imports plots only inside functions

    if not (report.loc[report["pattern"] == "", "n_coded"] > 0).any():
        return Skipped("no item of the coding sheet is coded yet")
    fig, ax = canvas(8, min(2.2 + 0.42 * int((report["pattern"] == "").sum()), MAX_PIXELS / 150))
    precision_plot(report, ax)
    return fig


@_styled
def precision_plot(report: pd.DataFrame, ax: Axes) -> Axes:
    """Precision of each category of a :func:`framing.validation.score_sheet` report with its
    Wilson 95% interval (dot), the precision weighted back to the corpus (diamond), and, where
    missed sentences were coded, the estimated recall with its interval (square, below)."""
    from framing.validation import by_category

    rows = by_category(report)
    rows = rows[rows["n_coded"] > 0].sort_values("precision", kind="mergesort")
    y = np.arange(len(rows), dtype=float)
    precision = rows["precision"].to_numpy(float)
    err = np.vstack([precision - rows["ci_low"].to_numpy(float), rows["ci_high"].to_numpy(float) - precision])
    ax.scatter(rows["weighted_precision"].to_numpy(float), y, marker="D", s=46, facecolor="white",
               edgecolor=OKABE_ITO[0], zorder=2, label="precision weighted to the corpus")
    ax.errorbar(precision, y, xerr=np.clip(err, 0, None), fmt="o", color=OKABE_ITO[0], markersize=4, linewidth=1, capsize=2,
                label="precision, Wilson 95%", zorder=3)
    has_recall = "recall" in rows and rows["recall"].notna().any()
    prior = (rows["note"].fillna("").str.startswith("prior-driven") if "note" in rows
             else pd.Series(False, rows.index)).to_numpy()
    if has_recall:
        recall = rows["recall"].to_numpy(float)
        rerr = np.clip(np.nan_to_num(np.vstack([recall - rows["recall_low"].to_numpy(float),
                                                rows["recall_high"].to_numpy(float) - recall])), 0, None)
        for mask, face, label in ((~prior, OKABE_ITO[1], "recall, 95%"),
                                  (prior, "white", "recall, prior-driven (few sentences or no miss)")):
            if mask.any():
                ax.errorbar(recall[mask], y[mask] + 0.3, xerr=rerr[:, mask], fmt="s", color=OKABE_ITO[1],
                            markerfacecolor=face, markersize=4, linewidth=0.8, capsize=2, label=label,
                            linestyle="none" if face == "white" else None)
    labels = [f"{_pretty(c)} ({int(n)} matches" + (f", {int(m)} sentences" + (", prior-driven" if p else "") + ")"
                                                  if has_recall and np.isfinite(m) else ")")
              for c, n, m, p in zip(rows["category"], rows["n_coded"], rows.get("n_misses", pd.Series(np.nan, rows.index)),
                                    prior)]
    ax.set_yticks(y + (0.15 if has_recall else 0), labels)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(-0.6, len(rows) - 0.2 + (0.3 if has_recall else 0))
    ax.invert_yaxis()
    ax.set_xlabel("share of coded items")
    n_items = int(rows["n_coded"].sum())
    n_sentences = int(rows["n_misses"].sum()) if has_recall else 0
    ax.set_title(f"Precision of each category on {n_items} coded matches"
                 + (f",\nrecall from {n_sentences} coded sentences the lexicon did not match" if has_recall else ""), fontsize=9)
    ax.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.4, -0.2), ncol=2)
    return ax


# --------------------------------------------------------------------------- text reuse


def reuse_matrix_figure(matrix: pd.DataFrame) -> "Figure | Skipped":
    """:func:`reuse_matrix_plot` on a canvas sized to its groups, or :class:`Skipped` when no
    passage is shared."""
    from framing.figures import canvas  # the house canvas; figures imports plots only inside functions

    if not matrix.to_numpy().any():
        return Skipped("no passage is shared between two documents")
    side = min(len(matrix), MAX_ROWS)
    fig, ax = canvas(2.6 + 0.55 * side, min(1.9 + 0.45 * side, MAX_PIXELS / 150))
    reuse_matrix_plot(matrix, ax)
    return fig


@_styled
def reuse_matrix_plot(matrix: pd.DataFrame, ax: Axes) -> Axes:
    """Heatmap of :func:`framing.reuse.reuse_matrix`: words of the row group's documents in
    passages shared with the column group's documents, each cell labelled with its count."""
    matrix = matrix.iloc[:MAX_ROWS, :MAX_ROWS]
    values = matrix.to_numpy(float)
    image = ax.imshow(values, cmap="cividis", aspect="auto")
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in matrix.columns], rotation=40, ha="right")
    ax.set_yticks(range(matrix.shape[0]), [str(i) for i in matrix.index])
    middle = values.max() / 2
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            ax.text(j, i, f"{int(values[i, j]):,}", ha="center", va="center", fontsize=7,
                    color="black" if values[i, j] > middle else "white")
    name = matrix.index.name
    ax.set_title(f"Text reuse: words of each {name}'s documents (rows)\nin passages they share with each {name}'s (columns)",
                 fontsize=9)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="shared words")
    return ax
