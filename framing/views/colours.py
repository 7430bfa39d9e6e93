"""Which groups a chart or page draws, and in which colour: one cap and one colour per group for a
whole run, shared by the matplotlib charts (:mod:`framing.views.plots`) and the explorer page
(:mod:`framing.views.explorer`), which draws with Bokeh and so loads no matplotlib."""

from __future__ import annotations

import pandas as pd

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
"""Okabe and Ito's eight colours, safe for the common colour-vision deficiencies: the first eight groups'."""


MAX_GROUPS = 12
"""One cap for every chart that shows groups (rows, series, panels, labelled centroids): beyond
it, the groups with most documents are kept, drawn in the run's order, and the chart names
what it left out."""


def _sizes(groups) -> dict:
    """Documents per group from a Series of per-document labels, or a mapping group -> size."""
    if isinstance(groups, pd.Series) and not pd.api.types.is_numeric_dtype(groups):
        return {str(k): int(v) for k, v in groups.astype(str).value_counts().items()}
    return {str(k): v for k, v in dict(groups).items()}


DISTINCT_COLOURS = 256
"""Groups up to this many get colours of their own; beyond, colours repeat (every chart shows
at most :data:`MAX_GROUPS` groups, labelled)."""


def group_colours(groups) -> dict:
    """One colour per group for a whole run: make it once from the corpus's groups
    (``corpus.groups(by)``, or a mapping group -> documents) and pass it to every chart, so a
    group has the same colour everywhere (the explorer page makes the same mapping from the
    same groups). Groups are taken in :func:`framing.groups.order_groups` order; the first
    eight get the Okabe-Ito colours (safe for the common colour-vision deficiencies), and
    more get evenly spaced hues, never shared; charts with that many groups label them
    directly as well.

    Examples
    --------
    >>> group_colours({"A": 3, "B": 9})
    {'B': '#0072B2', 'A': '#E69F00'}
    """
    import colorsys

    from framing.groups import order_groups

    labels = order_groups(_sizes(groups))
    palette = list(OKABE_ITO)
    used, k = set(palette), 0
    while len(palette) < min(len(labels), DISTINCT_COLOURS):  # golden-angle hues: neighbours far apart in colour
        hue, light = (0.13 + 0.618034 * k) % 1.0, (0.42, 0.58, 0.34)[k % 3]
        colour = _hex(colorsys.hls_to_rgb(hue, light, 0.75))
        k += 1
        if colour not in used:
            palette.append(colour)
            used.add(colour)
    # beyond DISTINCT_COLOURS groups no eye tells colours apart: they repeat, and charts label groups directly
    return {label: palette[i % len(palette)] for i, label in enumerate(labels)}


def _hex(rgb) -> str:
    """``#rrggbb`` of an RGB triple of floats in [0, 1], rounded as matplotlib's ``to_hex`` rounds.

    Examples
    --------
    >>> _hex((0.0, 0.4470588235294118, 0.6980392156862745))
    '#0072b2'
    """
    return "#" + "".join(format(round(v * 255), "02x") for v in rgb)
