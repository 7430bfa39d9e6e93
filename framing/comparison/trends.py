"""Change over time: rates per period with bootstrap intervals, resampling documents within
each period (or sentences within documents when periods are thin)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from framing.comparison.rates import (
    _cell_keys,
    _check_counts,
    compare,
    warn_pooled_languages,
)
from framing.errors import FramingError
from framing.params import COUNT, LEVEL, SEED, checked, read_dates

# --------------------------------------------------------------------------- change over time


def _day(date) -> str:
    """``YYYY-MM-DD`` with a four-digit year (``strftime`` writes year 1 as ``1-01-01``)."""
    return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"


MAX_PERIODS = 100_000
"""A trend has at most this many periods (every period is a row per group and category)."""


@checked(n_boot=COUNT, level=LEVEL, seed=SEED)
def trend(
    features: pd.DataFrame,
    by: str | None,
    time: str,
    freq: str = "M",
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Pooled rate of each category per group and period, with a bootstrap interval over
    the documents of each (group, period).

    Dates are parsed leniently (``pandas.to_datetime`` with mixed formats); documents whose
    date cannot be read are left out with a warning that names them. Every period from the
    first to the last is present for every group and category: a period with no document
    has ``n_docs`` 0, ``count`` 0 and NaN rates, never a missing row.

    Parameters
    ----------
    by : str or None
        The grouping column; ``None`` makes the whole corpus one series, named ``all`` in a
        column ``series`` (a corpus of one outlet).
    freq : str
        A pandas period frequency: ``"D"``, ``"W"``, ``"M"``, ``"Q"``, ``"Y"``.

    Returns
    -------
    DataFrame
        ``by``, ``period`` (its start date, ``YYYY-MM-DD``), ``category``, [``voice``],
        ``count``, ``n_tokens``, ``per_1k``, ``ci_low``, ``ci_high``, ``n_docs``, ``warning``.
    """
    if by is None:
        if "series" in features.columns:
            raise FramingError("the feature table has a column 'series'; name the grouping with by=")
        features, by = features.assign(series="all"), "series"
    features = _check_counts(features, by)
    warn_pooled_languages(features)
    if time not in features.columns:
        raise FramingError(f"unknown date column '{time}'; available: {', '.join(features.columns)}")
    try:
        pd.Period("2020-01-01", freq=freq)
    except ValueError:
        raise FramingError(f"unknown frequency {freq!r}; use D, W, M, Q or Y") from None
    dates = read_dates(features[time]).dt.tz_localize(None)  # every zone as UTC, then plain periods
    bad = features.loc[dates.isna(), "doc_id"].drop_duplicates().tolist()
    if bad:
        warnings.warn(
            f"{len(bad)} document(s) have no readable date in '{time}' and are left out of the trend: "
            f"{', '.join(map(str, bad[:10]))}{' ...' if len(bad) > 10 else ''}",
            stacklevel=2,
        )
    known = dates.dropna()
    if known.empty:
        raise FramingError(f"no document has a readable date in '{time}'")
    span = (known.max().to_period(freq) - known.min().to_period(freq)).n + 1  # counted, not built
    if span > MAX_PERIODS:
        raise FramingError(f"the dates in '{time}' run from {_day(known.min())} to {_day(known.max())}: {span:,} periods "
                           f"of '{freq}', more than {MAX_PERIODS:,}; choose a longer period (--freq) or fix the outlying dates")
    table = features[dates.notna()].assign(_period=dates[dates.notna()].dt.to_period(freq))
    keys = _cell_keys(features)
    table = table.assign(_cell=table[by].astype(str) + "\x1f" + table["_period"].astype(str))
    rates = compare(table, "_cell", n_boot=n_boot, level=level, min_docs=1, seed=seed)
    cell = rates["_cell"].str.split("\x1f", expand=True)
    rates = rates.drop(columns=["_cell", "resampled"]).assign(**{by: cell[0], "_period": cell[1]})
    periods = pd.period_range(table["_period"].min(), table["_period"].max(), freq=freq).astype(str)
    grid = pd.MultiIndex.from_product(
        [sorted(table[by].astype(str).unique()), list(periods), *[list(dict.fromkeys(features[k])) for k in keys]],
        names=[by, "_period", *keys],
    ).to_frame(index=False)
    out = grid.merge(rates, on=[by, "_period", *keys], how="left")
    out[["count", "n_tokens", "n_docs"]] = out[["count", "n_tokens", "n_docs"]].fillna(0).astype(np.int64)
    out["warning"] = out["warning"].where(out["n_docs"] > 0, "no documents in this period")
    out.insert(1, "period", pd.PeriodIndex(out.pop("_period"), freq=freq).start_time.strftime("%Y-%m-%d"))
    out["level"] = level
    return out[[by, "period", *keys, "count", "n_tokens", "per_1k", "ci_low", "ci_high", "n_docs", "warning", "level"]]
