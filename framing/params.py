"""Checking the parameters of public functions: one line naming the parameter and what it takes.

The idea of scikit-learn's ``_parameter_constraints``, kept small: each public function
checks its numeric and choice parameters with these helpers before any work, so a
negative count, a float window or a misspelt measure is a :class:`FramingError`,
never a silently shortened table or a traceback.
"""

from __future__ import annotations

import numbers

from framing.errors import FramingError

MAX_WINDOW = 100
"""Most tokens of context on each side of a concordance line or collocation window."""


def check_int(name: str, value, *, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an int within ``[low, high]``, else a one-line error.

    Examples
    --------
    >>> check_int("n", 3, low=1)
    3
    >>> check_int("window", 1.5, low=1)
    Traceback (most recent call last):
    framing.errors.FramingError: window must be a whole number of at least 1, got 1.5
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise FramingError(f"{name} must be a whole number{_bounds(low, high)}, got {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise FramingError(f"{name} must be a whole number{_bounds(low, high)}, got {value!r}")
    return int(value)


def check_float(name: str, value, *, low: float | None = None, high: float | None = None, open_low: bool = False,
                open_high: bool = False) -> float:
    """``value`` as a float within its bounds (open or closed), else a one-line error.

    Examples
    --------
    >>> check_float("level", 0.95, low=0, high=1, open_low=True, open_high=True)
    0.95
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != value:
        raise FramingError(f"{name} must be a number{_bounds(low, high, open_low, open_high)}, got {value!r}")
    below = low is not None and (value <= low if open_low else value < low)
    above = high is not None and (value >= high if open_high else value > high)
    if below or above:
        raise FramingError(f"{name} must be a number{_bounds(low, high, open_low, open_high)}, got {value!r}")
    return float(value)


def check_choice(name: str, value, choices) -> str:
    """``value`` if it is one of ``choices``, else a one-line error listing them."""
    if value not in choices:
        raise FramingError(f"unknown {name} {value!r}; choose from {', '.join(map(str, choices))}")
    return value


def _bounds(low, high, open_low=False, open_high=False) -> str:
    if low is not None and high is not None:
        return f" {'above' if open_low else 'from'} {low} {'and below' if open_high else 'to'} {high}"
    if low is not None:
        return f" {'above' if open_low else 'of at least'} {low}"
    if high is not None:
        return f" {'below' if open_high else 'of at most'} {high}"
    return ""


def read_dates(values):
    """Dates read leniently (mixed formats; unreadable ones NaT), every time zone converted to
    UTC and naive times taken as UTC, so that a column mixing zones ("2021-06-18T10:00+02:00",
    "2021-06-18") is read rather than refused.

    Examples
    --------
    >>> import pandas as pd
    >>> dates = read_dates(pd.Series(["2021-06-18T10:00+02:00", "2021-06-18", "soon"]))
    >>> [str(d) for d in dates[:2]], bool(pd.isna(dates[2]))
    (['2021-06-18 08:00:00+00:00', '2021-06-18 00:00:00+00:00'], True)
    """
    import warnings

    import pandas as pd

    values = pd.Series(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return pd.to_datetime(values.astype("object").where(values.notna(), None), errors="coerce", format="mixed",
                              utc=True)
