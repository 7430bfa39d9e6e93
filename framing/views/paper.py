"""Tables a paper can take: each estimate with its interval in one cell, stars for the
Benjamini-Hochberg adjusted p-value, the documents behind each group, and a caption naming the
grouping, the lexicon and the interval; written as LaTeX, Markdown or HTML.

Tables in, text out: the input is a result table exactly as :func:`framing.compare`,
:func:`framing.compare_groups`, :func:`framing.rate_model` or :func:`framing.comparison.trends.trend`
return it (or as a CSV of ``framing compare``, ``model`` or ``trend`` reads back).

**Rounding rule** (:func:`decimals`): an estimate is shown with the decimals that give it three
significant digits (none for 100 and above, at most four), and its interval with the same
decimals, so a cell never claims more precision for an end than for its estimate. p-values are
shown with three decimals, and as "< 0.001" below that.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from framing.errors import FramingError

FORMATS = ("latex", "markdown", "html")
"""The formats a table is written in; a file's suffix chooses one (:data:`SUFFIXES`)."""

SUFFIXES = {".tex": "latex", ".md": "markdown", ".html": "html", ".htm": "html"}

STARS = ((0.001, "***"), (0.01, "**"), (0.05, "*"))
"""Stars of a Benjamini-Hochberg adjusted p-value: *** below 0.001, ** below 0.01, * below 0.05."""

MAX_GROUPS = 12
"""A table holds at most this many groups as columns (what a page's width takes, as a chart draws at
most twelve): beyond, the groups with most documents, and the caption names the others."""

FEW = "†"
"""Marks an estimate whose row carries a warning (few matches, few documents)."""


def decimals(value: float) -> int:
    """Decimals that show ``value`` with three significant digits (0 from 100 up, at most 4).

    Examples
    --------
    >>> [decimals(v) for v in (1234.5, 12.345, 1.2345, 0.012345, 0.0000123, 0.0)]
    [0, 1, 2, 4, 4, 2]
    """
    if not np.isfinite(value) or value == 0:
        return 2
    return int(min(4, max(0, 2 - math.floor(math.log10(abs(value))))))


def estimate(value: float, low: float = np.nan, high: float = np.nan) -> str:
    """An estimate and its interval in one cell, by the rounding rule of :func:`decimals`.

    Examples
    --------
    >>> estimate(12.345, 8.06, 16.04), estimate(1.5234, 1.1, 2.0), estimate(float("nan"))
    ('12.3 [8.1, 16.0]', '1.52 [1.10, 2.00]', '–')
    """
    if not np.isfinite(value):
        return "–"
    places = decimals(value)
    text = f"{value:.{places}f}"
    if np.isfinite(low) and np.isfinite(high):
        text += f" [{low:.{places}f}, {high:.{places}f}]"
    return text


def stars(p: float) -> str:
    """Stars of an adjusted p-value (:data:`STARS`).

    Examples
    --------
    >>> [stars(p) for p in (0.0004, 0.004, 0.04, 0.4, float("nan"))]
    ['***', '**', '*', '', '']
    """
    if not np.isfinite(p):
        return ""
    return next((mark for limit, mark in STARS if p < limit), "")


def p_text(p: float) -> str:
    """A p-value as a table shows it.

    Examples
    --------
    >>> p_text(0.0004), p_text(0.0312), p_text(float("nan"))
    ('< 0.001', '0.031', '–')
    """
    if not np.isfinite(p):
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


NUMBER_COLUMNS = frozenset({
    "per_1k", "ci_low", "ci_high", "n_docs", "n_tokens", "count", "rate_ratio", "p_value", "p_adjusted",
    "difference", "difference_low", "difference_high", "log2_ratio", "log2_ratio_low", "log2_ratio_high",
    "per_1k_target", "per_1k_reference", "count_target", "count_reference", "alpha", "alpha_low", "alpha_high",
    "n_clusters", "level",
})
"""The columns of a result that hold numbers (every other column is read as text, so a group
'007' stays '007')."""


def read_result(path) -> pd.DataFrame:
    """A result table as ``framing compare``, ``model`` or ``trend`` wrote it (CSV or Parquet), its
    labels as text and its numbers as numbers; a one-line error naming the file otherwise."""
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        raise FramingError(f"{path}: no such file; give a CSV or Parquet that framing compare, model or trend wrote")
    try:
        if path.suffix.lower() == ".parquet":
            table = pd.read_parquet(path)
        else:
            table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (ValueError, UnicodeDecodeError, OSError) as exc:
        raise FramingError(f"{path}: not a readable table ({str(exc).splitlines()[0]})") from None
    for column in NUMBER_COLUMNS & set(table.columns):
        numbers = pd.to_numeric(table[column].replace("", np.nan), errors="coerce")
        bad = numbers.isna() & table[column].astype(str).ne("") & table[column].notna()
        if bad.any():
            line = int(bad.to_numpy().argmax()) + 2
            raise FramingError(f"{path}: line {line}, column {column}: {table[column].iloc[line - 2]!r} is not a number")
        table[column] = numbers
    return table


def _pretty(name) -> str:
    return str(name).replace("_", " ")


def kind_of(result: pd.DataFrame) -> str:
    """Which result a table is, from its columns: ``model``, ``contrast``, ``trend`` or ``rates``."""
    columns = set(result.columns)
    if {"rate_ratio", "ci_low", "ci_high", "reference"} <= columns:
        return "model"
    if {"target", "reference", "difference", "difference_low", "difference_high"} <= columns:
        return "contrast"
    if {"period", "per_1k", "ci_low", "ci_high"} <= columns:
        return "trend"
    if {"category", "per_1k", "ci_low", "ci_high", "n_docs"} <= columns:
        return "rates"
    raise FramingError("not a result table of framing compare, model or trend (it needs their columns: category, "
                       "per_1k with ci_low/ci_high, or rate_ratio, or difference); write one with those commands")


def _row_label(result: pd.DataFrame) -> pd.Series:
    """Each row's category, with its lexicon when the table stacks several, and its voice when it has several."""
    label = result["category"].map(_pretty)
    if "lexicon" in result and result["lexicon"].nunique() > 1:
        label = result["lexicon"].astype(str) + ": " + label
    if "voice" in result and result["voice"].nunique() > 1:
        label = label + " (" + result["voice"].astype(str) + ")"
    return label


def _lexicons(result: pd.DataFrame, lexicon=None) -> str:
    """' of the framing lexicon': the lexicons of the table's ``lexicon`` column, else those named
    (a name, a file, whose stem is its name, or several)."""
    from pathlib import Path

    if "lexicon" in result:
        names = list(dict.fromkeys(result["lexicon"].astype(str)))
    else:
        given = [] if lexicon is None else [lexicon] if isinstance(lexicon, str) else list(lexicon)
        names = [Path(str(n)).stem if str(n).endswith((".toml", ".dic", ".csv", ".yaml", ".yml")) else str(n) for n in given]
    return " of " + " and ".join(f"the {n} lexicon" for n in names) if names else ""


def _level(result: pd.DataFrame) -> str:
    """The intervals' central share, from the result's ``level`` column (95% without one)."""
    level = float(result["level"].iloc[0]) if "level" in result and len(result) else 0.95
    return f"{level * 100:g}%"


def _per_words(result: pd.DataFrame) -> str:
    if "voice" in result and result["voice"].nunique() > 1:
        return "per 1,000 words of each voice (author: the outlet's own words; quoted: the words it quotes)"
    return "per 1,000 words"


def _flagged(result: pd.DataFrame) -> pd.Series:
    return result["warning"].fillna("").astype(str).str.len() > 0 if "warning" in result else pd.Series(False, result.index)


def _sizes(result: pd.DataFrame, by: str) -> dict:
    return {str(g): int(n) for g, n in result.groupby(by, sort=False)["n_docs"].max().items()} if "n_docs" in result else {}


def _pivot(cells: pd.DataFrame) -> pd.DataFrame:
    """Rows x groups of the cells; two results for one cell are an error, never one of them kept in silence."""
    twice = cells.duplicated(["_row", "_group"])
    if twice.any():
        row, group = cells.loc[twice, ["_row", "_group"]].iloc[0]
        raise FramingError(f"the result has two rows for '{row}' in '{group}' (two families or lexicons with one "
                           "name?); write a table of one family at a time")
    return cells.pivot(index="_row", columns="_group", values="_cell").reindex(
        index=list(dict.fromkeys(cells["_row"])), columns=list(dict.fromkeys(cells["_group"])))


def _largest_groups(result: pd.DataFrame, by: str, limit: int, keep=()) -> tuple[pd.DataFrame, str]:
    """The rows of the ``limit`` groups with most documents (and of ``keep``), and a caption sentence
    naming the groups left out ('' when none is): :func:`framing.groups.largest`, the rule charts keep."""
    import warnings

    from framing.groups import largest, left_out_note

    labels = result[by].astype(str)
    sizes = (result.assign(_g=labels).groupby("_g")["n_docs"].max() if "n_docs" in result
             else labels.value_counts())
    if len(sizes) <= limit:
        return result, ""
    kept, out = largest(sizes, limit)
    out = [g for g in out if g not in set(map(str, keep))]
    note = f"The {limit} of {len(sizes):,} groups with most documents{left_out_note(out)}."
    warnings.warn(f"a table of {len(sizes):,} groups: {note[0].lower()}{note[1:-1]}", stacklevel=4)
    return result[labels.isin([*kept, *map(str, keep)])], note


def paper_table(result: pd.DataFrame, *, lexicon=None, max_groups: int = MAX_GROUPS) -> tuple[pd.DataFrame, str]:
    """The cells and the caption of a result's table: rows are categories (or periods), columns
    groups (or the two sides of a contrast), each cell an estimate with its interval. ``lexicon``
    names the lexicon in the caption when the table has no ``lexicon`` column (as
    :func:`framing.compare` returns it in Python). Of more than ``max_groups`` groups, the table
    keeps those with most documents, and the caption (and a warning) names the others.

    Examples
    --------
    >>> rates = pd.DataFrame({"outlet": ["A", "B"], "lexicon": "framing", "category": "regime_labels",
    ...                       "per_1k": [12.345, 3.2], "ci_low": [8.06, 1.0], "ci_high": [16.04, 5.51],
    ...                       "n_docs": [40, 12], "warning": ["", ""], "resampled": "documents"})
    >>> cells, caption = paper_table(rates)
    >>> cells.to_dict("records")
    [{'A (n=40)': '12.3 [8.1, 16.0]', 'B (n=12)': '3.20 [1.00, 5.51]'}]
    >>> caption
    'Rates per 1,000 words of the framing lexicon by outlet, with 95% bootstrap intervals (documents resampled).'
    """
    kind = kind_of(result)
    kept = ""
    if kind in ("rates", "model") or (kind == "trend" and str(result.columns[0]) != "period"):
        keep = result["reference"].astype(str).unique() if kind == "model" else ()
        result, kept = _largest_groups(result, str(result.columns[0]), max_groups, keep)
    result = result.reset_index(drop=True)
    flagged = _flagged(result)
    mark = flagged.map({True: FEW, False: ""})
    notes = [f"{FEW}: the row carries a warning (few matches or documents; see the result's warning column)."] \
        if flagged.any() else []
    if kind == "rates":
        by = str(result.columns[0])
        sizes = _sizes(result, by)
        cells = result.assign(_row=_row_label(result), _group=result[by].astype(str),
                              _cell=[estimate(v, lo, hi) + m for v, lo, hi, m in
                                     zip(result["per_1k"], result["ci_low"], result["ci_high"], mark)])
        table = _pivot(cells)
        table.columns = [f"{g} (n={sizes[g]})" if g in sizes else g for g in table.columns]
        resampled = f" ({result['resampled'].iloc[0]} resampled)" if "resampled" in result else ""
        what = "Rates"
        if "precision" in result and result["precision"].notna().any():
            what = "Rates of true matches (each rate times its category's coded precision)"
        caption = f"{what} {_per_words(result)}{_lexicons(result, lexicon)} by {by}, with {_level(result)} bootstrap intervals{resampled}."
    elif kind == "trend":
        by = str(result.columns[0]) if str(result.columns[0]) != "period" else None
        group = result[by].astype(str) if by else pd.Series("rate", index=result.index)
        cells = result.assign(_row=_row_label(result) + ", " + result["period"].astype(str), _group=group,
                              _cell=[estimate(v, lo, hi) + m for v, lo, hi, m in
                                     zip(result["per_1k"], result["ci_low"], result["ci_high"], mark)])
        table = _pivot(cells)
        caption = (f"Rates {_per_words(result)}{_lexicons(result, lexicon)} by period" + (f" and {by}" if by else "")
                   + f", with {_level(result)} bootstrap intervals over each period's documents; – : no document.")
    elif kind == "model":
        by = str(result.columns[0])
        sizes = _sizes(result, by)
        cells = result.assign(_row=_row_label(result), _group=result[by].astype(str),
                              _cell=[estimate(v, lo, hi) + stars(p) + m for v, lo, hi, p, m in
                                     zip(result["rate_ratio"], result["ci_low"], result["ci_high"],
                                         result["p_adjusted"], mark)])
        table = _pivot(cells)
        table.columns = [f"{g} (n={sizes[g]})" if g in sizes else g for g in table.columns]
        reference = str(result["reference"].iloc[0])
        model = f" ({result['model'].iloc[0]})" if "model" in result else ""
        n_ref = f", n={sizes[reference]}" if reference in sizes else ""
        caption = (f"Rate ratios{_lexicons(result, lexicon)} by {by} against {reference}{n_ref}, from a count model{model}, "
                   f"with {_level(result)} intervals; {_stars_note()}.")
    else:
        cells = pd.DataFrame({
            "_row": _row_label(result),
            "target": [estimate(v) for v in result["per_1k_target"]] if "per_1k_target" in result else "",
            "reference": [estimate(v) for v in result["per_1k_reference"]] if "per_1k_reference" in result else "",
            "difference": [estimate(v, lo, hi) + stars(p) + m for v, lo, hi, p, m in
                           zip(result["difference"], result["difference_low"], result["difference_high"],
                               result["p_adjusted"], mark)],
            "p (BH)": [p_text(p) for p in result["p_adjusted"]],
        })
        if {"log2_ratio", "log2_ratio_low", "log2_ratio_high"} <= set(result.columns):
            cells.insert(4, "log2 ratio", [estimate(v, lo, hi) for v, lo, hi in
                                           zip(result["log2_ratio"], result["log2_ratio_low"], result["log2_ratio_high"])])
        pairs = list(dict.fromkeys(zip(result["target"].astype(str), result["reference"].astype(str))))
        if len(pairs) > 1:
            cells["_row"] = [f"{t} vs {r}: {row}" for t, r, row in zip(result["target"], result["reference"], cells["_row"])]
        target, reference = pairs[0]
        cells = cells.rename(columns={"target": f"{target} per 1,000" if len(pairs) == 1 else "target per 1,000",
                                      "reference": f"{reference} per 1,000" if len(pairs) == 1 else "reference per 1,000"})
        table = cells.set_index("_row")
        what = f"{target} against {reference}" if len(pairs) == 1 else "each target against its reference"
        caption = (f"Rates {_per_words(result)}{_lexicons(result, lexicon)}: {what}; the difference with its {_level(result)} bootstrap "
                   f"interval, p from a permutation test, Benjamini-Hochberg adjusted across categories; {_stars_note()}.")
    table = table.rename_axis(index=None, columns=None).fillna("–")
    return table, " ".join([caption, *([kept] if kept else []), *notes])


def _stars_note() -> str:
    return "adjusted p: " + ", ".join(f"{mark} < {limit:g}" for limit, mark in STARS)


def render(result: pd.DataFrame, fmt: str, *, label: str | None = None, lexicon=None, max_groups: int = MAX_GROUPS) -> str:
    """A result as a table in ``fmt`` (:data:`FORMATS`): LaTeX (booktabs rules, caption, ``label``),
    Markdown (caption as a line above) or HTML (caption in the table), via pandas' Styler and
    ``DataFrame.to_markdown``; text is escaped for the format. At most ``max_groups`` groups
    (:func:`paper_table`).

    Examples
    --------
    >>> rates = pd.DataFrame({"outlet": ["A"], "category": "state_labels", "per_1k": [1.5], "ci_low": [1.0],
    ...                       "ci_high": [2.0], "n_docs": [3]})
    >>> print(render(rates, "markdown"))
    Rates per 1,000 words by outlet, with 95% bootstrap intervals.
    <BLANKLINE>
    |              | A (n=3)           |
    |:-------------|:------------------|
    | state labels | 1.50 [1.00, 2.00] |
    <BLANKLINE>
    """
    if fmt not in FORMATS:
        raise FramingError(f"table format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    table, caption = paper_table(result, lexicon=lexicon, max_groups=max_groups)
    if fmt == "markdown":
        return f"{caption}\n\n{table.to_markdown()}\n"
    styler = table.style.set_uuid("framing")  # a fixed id: the same table gives the same bytes
    styler = styler.format(escape=fmt).format_index(escape=fmt, axis=0).format_index(escape=fmt, axis=1)
    if fmt == "latex":
        text = styler.to_latex(caption=_latex(caption), label=label, hrules=True, position_float="centering",
                               column_format="l" + "r" * table.shape[1])
        # what pdflatex's default encoding cannot print: a dagger, an en dash, a less-than sign
        return text.replace(FEW, r"\textdagger{}").replace("–", "--").replace("<", "$<$")
    import html

    return styler.set_caption(html.escape(caption)).to_html()


LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                 "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _latex(text: str) -> str:
    """Text with LaTeX's special characters escaped (the caption; Styler escapes the cells).

    Examples
    --------
    >>> print(_latex("50% of state_labels & more"))
    50\\% of state\\_labels \\& more
    """
    return "".join(LATEX_SPECIAL.get(ch, ch) for ch in text)
