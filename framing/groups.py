"""Which groups a comparison sets against which: one rule for keyness and for compare_groups (leaf module)."""

from __future__ import annotations

import re
import warnings

from framing.errors import FramingError


def as_list(value) -> list[str]:
    """One group or several, as a list of strings."""
    return [value] if isinstance(value, str) else [str(v) for v in value]


def sides(known: list[str], target, reference, by: str) -> tuple[list[str], list[str], str, str]:
    """``(targets, references, target_name, reference_name)`` for one comparison.

    ``target`` and ``reference`` are each one group or a list of groups of column
    ``by``; without ``reference``, every other group is the reference, named ``rest`` (or
    by its name, when it is one group).
    Several groups on one side are named by joining them with ``+``.

    Examples
    --------
    >>> sides(["A", "B", "C"], "A", None, "outlet")
    (['A'], ['B', 'C'], 'A', 'rest')
    >>> sides(["A", "B", "C"], ["A", "B"], "C", "outlet")
    (['A', 'B'], ['C'], 'A+B', 'C')
    """
    if target is None:
        raise FramingError("a comparison needs a target group")
    targets = _check(known, as_list(target), "target", by)
    chosen = set(targets)
    references = _check(known, as_list(reference), "reference", by) if reference is not None else [
        k for k in known if k not in chosen
    ]
    if not references:
        raise FramingError(f"no reference documents: every group of '{by}' is in the target")
    both = sorted(set(targets) & set(references))
    if both:
        raise FramingError(f"groups in both target and reference: {', '.join(both)}")
    rest = reference is None and len(references) > 1
    return targets, references, "+".join(targets), "rest" if rest else "+".join(references)


def each_against_rest(known: list[str], by: str) -> list[tuple[list[str], list[str], str, str]]:
    """Every group against all the others (what keyness does without a target)."""
    if len(known) < 2:
        raise FramingError(f"column '{by}' has one group ({known[0] if known else 'none'}); a comparison needs at least two")
    return [sides(known, g, None, by) for g in known]


def _check(known: list[str], values: list[str], role: str, by: str) -> list[str]:
    groups = set(known)  # 9,999 groups named against a list of 10,000 were 100 million comparisons (0.4 s)
    for v in values:
        if v not in groups:
            raise FramingError(f"unknown {role} group '{v}' in column '{by}'; groups: {', '.join(known)}")
    return values


# --------------------------------------------------------------------------- default choices and order

TIME_LIKE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?|-?Q[1-4]|-W\d{2})?$")
"""Group labels that name periods: years, ISO months and days, quarters, ISO weeks."""
DEFAULT_RULE = ("a default reference is the group with most documents (the earliest period for a time-like "
                "grouping); a default target is the group with most documents (the latest period) among the others")
"""The one rule by which every command and chart picks a group nobody named."""


def is_time_like(labels) -> bool:
    """Whether every label names a period (``2020``, ``2020-01``, ``2020-01-31``, ``2020Q1``, ``2020-W05``).

    Examples
    --------
    >>> is_time_like(["2020-01", "2020-02"]), is_time_like(["CLINTON", "2020"])
    (True, False)
    """
    labels = [str(v) for v in labels]
    return bool(labels) and all(TIME_LIKE.match(v) for v in labels)


def order_groups(sizes) -> list[str]:
    """The order groups are shown and picked in: by time for time-like labels, else most
    documents first, then by name. ``sizes`` maps each group to its number of documents.

    Examples
    --------
    >>> order_groups({"2020-02": 9, "2020-01": 1, "2020-03": 5})
    ['2020-01', '2020-02', '2020-03']
    >>> order_groups({"KAINE": 9, "CLINTON": 40, "PENCE": 40})
    ['CLINTON', 'PENCE', 'KAINE']
    """
    sizes = _as_sizes(sizes)
    if is_time_like(sizes):
        return sorted(sizes, key=_period_key)
    return sorted(sizes, key=lambda g: (-sizes[g], g))


def _period_key(label: str) -> tuple:
    digits = [int(x) for x in re.findall(r"\d+", label)]
    quarter = "Q" in label
    return (digits[0], (digits[1] - 1) * 3 + 1 if quarter else (digits[1] if len(digits) > 1 else 0), *digits[2:])


def _as_sizes(sizes) -> dict[str, float]:
    """Group -> size, from a mapping or a pandas Series indexed by group."""
    return {str(k): v for k, v in dict(sizes).items()}


def largest(sizes, limit: int) -> tuple[list[str], list[str]]:
    """The ``limit`` groups with most documents (ties by name), in :func:`order_groups` order, and
    the others, fewest documents last: the one rule by which charts, similarity matrices and
    contrasts keep groups when there are too many to show or compare.

    Examples
    --------
    >>> largest({"A": 5, "B": 1, "C": 3}, 2)
    (['A', 'C'], ['B'])
    """
    sizes = _as_sizes(sizes)
    if len(sizes) <= limit:
        return order_groups(sizes), []
    by_size = sorted(sizes, key=lambda g: (-sizes[g], g))
    kept = set(by_size[:limit])
    return [g for g in order_groups(sizes) if g in kept], by_size[limit:]


def left_out_note(left_out: list[str], shown: int = 5, *, size: str = "documents") -> str:
    """``'; left out, fewest documents: X, Y and 9 more'`` for the groups :func:`largest` left out ('' if none);
    ``size`` names what the groups were ranked by."""
    if not left_out:
        return ""
    named = ", ".join(left_out[:shown]) + (f" and {len(left_out) - shown:,} more" if len(left_out) > shown else "")
    return f"; left out, fewest {size}: {named}"


MAX_SIMILARITY_ROWS = 100
"""A similarity matrix holds at most this many rows (groups or documents): it grows with their
square, and a heatmap cannot label more. Beyond, the rows with most documents are kept and the
matrix says which were left out."""


def keep_rows(matrix, sizes=None, *, limit: int = MAX_SIMILARITY_ROWS, what: str = "rows",
              size: str = "documents", kind: str = "similarity matrix") -> tuple[list, str]:
    """The rows (``matrix``: a table or a list of labels) a similarity matrix (or another ``kind`` of
    matrix) keeps: all, or the ``limit`` with most documents (``sizes``: row -> documents, or the
    ``size`` they measure; without it, the first ``limit`` rows), with a warning and a note naming
    what was left out ('' if nothing). Decided before any pair is computed."""
    index = list(matrix.index) if hasattr(matrix, "iloc") else list(matrix)
    labels = [str(i) for i in index]
    if len(labels) <= limit:
        return index, ""
    first = sizes is None
    if first:
        sizes = {g: len(labels) - k for k, g in enumerate(labels)}
    kept, out = largest({g: sizes.get(g, 0) for g in labels}, limit)
    note = left_out_note(out).replace("fewest documents", "the last") if first else left_out_note(out, size=size)
    which = f"the first {limit}" if first else f"the {limit} with most {size}"
    warnings.warn(f"{len(labels):,} {what}: a {kind} keeps {which}{note}", stacklevel=3)
    keep = set(kept)
    return [i for i in index if str(i) in keep], f"{which} of {len(labels):,} {what}{note}"


def default_reference(sizes) -> str:
    """The reference nobody named (:data:`DEFAULT_RULE`): the group with most documents, or the earliest period."""
    return order_groups(_as_sizes(sizes))[0]


def default_target(sizes, *, besides=()) -> str:
    """The target nobody named (:data:`DEFAULT_RULE`): the group with most documents (the latest
    period) that is not in ``besides``."""
    sizes = _as_sizes(sizes)
    besides = {str(b) for b in as_list(besides)} if besides else set()
    order = [g for g in order_groups(sizes) if g not in besides]
    if not order:
        raise FramingError("no group is left to be the target")
    return order[-1] if is_time_like(sizes) else order[0]


def default_note(role: str, group: str, sizes, option: str) -> str:
    """One line saying which group a command picked and why, for stderr and chart subtitles."""
    why = ("the earliest period" if role == "reference" else "the latest period") if is_time_like(_as_sizes(sizes)) \
        else "the group with most documents"
    return f"{role}: {group} ({why}, chosen by default; {option} to choose)"
