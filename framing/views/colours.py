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
    from framing.groups import order_groups

    labels = order_groups(_sizes(groups))
    palette = list(OKABE_ITO) + _farthest_colours(OKABE_ITO, min(len(labels), DISTINCT_COLOURS) - len(OKABE_ITO))
    # beyond DISTINCT_COLOURS groups no eye tells colours apart: they repeat, and charts label groups directly
    return {label: palette[i % len(palette)] for i, label in enumerate(labels)}


CANDIDATE_COLOURS = 1024
"""How many hues :func:`_farthest_colours` chooses among (golden-angle hues at three lightnesses)."""


def _candidate_colours() -> list[str]:
    """Evenly spread hues (each a golden angle from the last) at three lightnesses, as hex, each once."""
    import colorsys

    hues = ((0.13 + 0.618034 * k) % 1.0 for k in range(CANDIDATE_COLOURS))
    return list(dict.fromkeys(_hex(colorsys.hls_to_rgb(h, (0.42, 0.58, 0.34)[k % 3], 0.75)) for k, h in enumerate(hues)))


def _farthest_colours(used: list[str], n: int) -> list[str]:
    """``n`` colours beyond ``used``, each in turn the candidate (:func:`_candidate_colours`) farthest from
    every colour before it: the largest smallest CIE76 colour difference (Euclidean distance in CIELAB),
    as Glasbey et al. (2007) build palettes of many colours that an eye tells apart. Golden-angle hues
    alone put group 9 next to group 2's orange (a difference of 20, where Okabe and Ito's closest two
    differ by 26); farthest-first puts it where no colour is yet.

    References
    ----------
    Glasbey, C., van der Heijden, G., Toh, V. F. K., & Gray, A. (2007). Colour displays for categorical
    images. Color Research & Application, 32(4), 304-309.

    Examples
    --------
    >>> _farthest_colours(["#000000"], 2)  # farthest from black, then from black and that green
    ['#44e444', '#e444e4']
    """
    import numpy as np

    if n <= 0:
        return []
    taken = {u.lower() for u in used}
    candidates = [c for c in _candidate_colours() if c.lower() not in taken]
    lab = _lab(candidates)
    nearest = np.min(np.linalg.norm(lab[:, None, :] - _lab(used)[None, :, :], axis=2), axis=1)
    chosen = []
    for _ in range(min(n, len(candidates))):
        k = int(np.argmax(nearest))  # the first of equals: the same palette every time
        chosen.append(candidates[k])
        nearest = np.minimum(nearest, np.linalg.norm(lab - lab[k], axis=1))
    return chosen


def _lab(colours: list[str]):
    """CIELAB (D65) of hex sRGB colours (IEC 61966-2-1 transfer curve, CIE 1976 L*a*b*), one row each."""
    import numpy as np

    rgb = np.array([[int(c[i : i + 2], 16) / 255 for i in (1, 3, 5)] for c in colours], dtype=float).reshape(-1, 3)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = linear @ np.array([[0.4124, 0.2126, 0.0193], [0.3576, 0.7152, 0.1192], [0.1805, 0.0722, 0.9505]])
    xyz /= np.array([0.95047, 1.0, 1.08883])  # the D65 white
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.column_stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])])


def _hex(rgb) -> str:
    """``#rrggbb`` of an RGB triple of floats in [0, 1], rounded as matplotlib's ``to_hex`` rounds.

    Examples
    --------
    >>> _hex((0.0, 0.4470588235294118, 0.6980392156862745))
    '#0072b2'
    """
    return "#" + "".join(format(round(v * 255), "02x") for v in rgb)
