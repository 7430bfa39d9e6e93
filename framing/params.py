"""Checking the parameters of public functions: one line naming the parameter and what it takes.

The idea of scikit-learn's ``_parameter_constraints`` and ``validate_params``, kept small: a
public function declares its numeric and choice parameters with :func:`checked`, which checks
them before any work, so a negative count, a float window, an interval level of 1.5 or a
misspelt measure is a :class:`FramingError`, never a silently shortened table, NaN intervals
or a traceback. ``tests/test_params.py`` feeds every declared parameter invalid values.
"""

from __future__ import annotations

import inspect
import numbers
from dataclasses import dataclass
from functools import wraps

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


# --------------------------------------------------------------------------- declared constraints


@dataclass(frozen=True)
class Whole:
    """A whole number in ``[low, high]`` (``none``: None allowed too)."""

    low: int | None = None
    high: int | None = None
    none: bool = False

    def check(self, name: str, value) -> None:
        if not (value is None and self.none):
            check_int(name, value, low=self.low, high=self.high)

    def invalid(self) -> list:
        return [1.5, "3", *([self.low - 1] if self.low is not None else []), *([self.high + 1] if self.high is not None else [])]


@dataclass(frozen=True)
class Number:
    """A number within its bounds, open or closed (``none``: None allowed too)."""

    low: float | None = None
    high: float | None = None
    open_low: bool = False
    open_high: bool = False
    none: bool = False

    def check(self, name: str, value) -> None:
        if not (value is None and self.none):
            check_float(name, value, low=self.low, high=self.high, open_low=self.open_low, open_high=self.open_high)

    def invalid(self) -> list:
        out: list = [float("nan"), "0.5"]
        if self.low is not None:
            out.append(self.low if self.open_low else self.low - 1)
        if self.high is not None:
            out.append(self.high if self.open_high else self.high + 1)
        return out


@dataclass(frozen=True)
class OneOf:
    """One of ``choices`` (``name``: how the error names the parameter, default its own name)."""

    choices: tuple
    name: str | None = None

    def check(self, name: str, value) -> None:
        check_choice(self.name or name, value, self.choices)

    def invalid(self) -> list:
        return ["no-such-choice"]


LEVEL = Number(0, 1, open_low=True, open_high=True)
"""An interval level: above 0 and below 1."""
COUNT = Whole(low=1)
"""A number of resamples, documents, items: at least 1."""
SEED = Whole(low=0)
"""A random seed."""
UNIT = OneOf(("auto", "documents", "sentences"))
"""What the intervals resample: documents when every group has enough, else sentences (auto), or always one."""

MIN_DOCS = 5
"""Documents are resampled when every group has at least this many, else sentences within documents."""

UNITS = dict(zip(UNIT.choices, (MIN_DOCS, 1, 2**62)))
"""Each resampling unit (:data:`framing.params.UNIT`) and the ``min_docs`` that makes :func:`framing.compare`
resample it: documents when every group has at least :data:`MIN_DOCS` (auto), always documents,
always sentences within documents."""


def min_docs_for(unit: str) -> int:
    """The ``min_docs`` of :func:`framing.compare` and :func:`framing.compare_groups` that resamples ``unit`` (:data:`UNITS`).

    Examples
    --------
    >>> min_docs_for("auto"), min_docs_for("documents")
    (5, 1)
    """
    UNIT.check("unit", unit)
    return UNITS[unit]


def checked(**constraints):
    """Declare a function's parameter constraints; each is checked, before the function runs, on
    the value given or the default. The function keeps them as ``__constraints__``.

    Examples
    --------
    >>> @checked(level=LEVEL)
    ... def interval(values, *, level=0.95):
    ...     return level
    >>> interval([1], level=0.9)
    0.9
    >>> interval([1], level=1.5)
    Traceback (most recent call last):
    framing.errors.FramingError: level must be a number above 0 and below 1, got 1.5
    """
    def decorate(function):
        signature = inspect.signature(function)
        unknown = sorted(set(constraints) - set(signature.parameters))
        if unknown:
            raise TypeError(f"{function.__qualname__} has no parameter {', '.join(unknown)}")

        @wraps(function)
        def run(*args, **kwargs):
            given = signature.bind_partial(*args, **kwargs).arguments
            for name, rule in constraints.items():
                rule.check(name, given.get(name, signature.parameters[name].default))
            return function(*args, **kwargs)

        run.__constraints__ = dict(constraints)
        return run

    return decorate
