"""Which groups a comparison sets against which: one rule for keyness and for compare_groups (leaf module)."""

from __future__ import annotations

from framing.errors import FramingError


def as_list(value) -> list[str]:
    """One group or several, as a list of strings."""
    return [value] if isinstance(value, str) else [str(v) for v in value]


def sides(known: list[str], target, reference, by: str) -> tuple[list[str], list[str], str, str]:
    """``(targets, references, target_name, reference_name)`` for one comparison.

    ``target`` and ``reference`` are each one group or a list of groups of column
    ``by``; without ``reference``, every other group is the reference, named ``rest``.
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
    references = _check(known, as_list(reference), "reference", by) if reference is not None else [
        k for k in known if k not in targets
    ]
    if not references:
        raise FramingError(f"no reference documents: every group of '{by}' is in the target")
    both = sorted(set(targets) & set(references))
    if both:
        raise FramingError(f"groups in both target and reference: {', '.join(both)}")
    return targets, references, "+".join(targets), "rest" if reference is None else "+".join(references)


def each_against_rest(known: list[str], by: str) -> list[tuple[list[str], list[str], str, str]]:
    """Every group against all the others (what keyness does without a target)."""
    if len(known) < 2:
        raise FramingError(f"column '{by}' has one group ({known[0] if known else 'none'}); a comparison needs at least two")
    return [sides(known, g, None, by) for g in known]


def _check(known: list[str], values: list[str], role: str, by: str) -> list[str]:
    for v in values:
        if v not in known:
            raise FramingError(f"unknown {role} group '{v}' in column '{by}'; groups: {', '.join(known)}")
    return values
