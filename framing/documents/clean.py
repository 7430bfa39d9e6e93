"""Remove web chrome from scraped articles, with rules kept as data and a report of every removal.

The rules live in ``framing/data/cleaning.toml`` (its header documents the rule
kinds). :func:`clean_text` returns the cleaned text and one :class:`Removal` per
removed line, so cleaning is never silent; :func:`load_rules` reads the bundled
rules or a user's copy and validates them with one-line errors.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import regex

from framing.errors import FramingError

MATCH_TIMEOUT = 5.0
"""Seconds one rule may spend on one line (``line``) or one text (``block``); a user's
pattern that backtracks without end (``^(a+)+$``) stops with an error naming the rule."""
RULE_KINDS = ("line", "block", "duplicate", "trailing", "encoding")
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
"""A lead byte of UTF-8 (U+00C2-U+00EF as Latin-1 reads it) before a continuation byte (as Latin-1 or
cp1252 reads it): ``â€“`` for ``–``, ``Â£`` for ``£``, ``Ã©`` for ``é``, ``Ø§`` for ``ا``. Only a line
holding one is handed to ftfy, which repairs it only where the repair is the likelier text."""
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s*$")


@dataclass(frozen=True)
class CleaningRule:
    """One cleaning rule; see the header of ``framing/data/cleaning.toml``."""

    name: str
    kind: str
    description: str
    pattern: "regex.Pattern | None" = None
    min_lines: int = 3
    max_words: int = 20
    max_chars: int = 300

    def __post_init__(self):
        if isinstance(self.pattern, re.Pattern):  # a pattern of the re module gets the time limit too
            object.__setattr__(self, "pattern", regex.compile(self.pattern.pattern, self.pattern.flags & ~re.UNICODE))


@dataclass(frozen=True)
class Removal:
    """A removed (or, by an ``encoding`` rule, repaired) line: 1-based line number in the raw
    text, the rule, the line as it was, and what was done (``removed`` or ``repaired``)."""

    line: int
    rule: str
    text: str
    action: str = "removed"


def load_rules(path: str | Path | None = None) -> tuple[CleaningRule, ...]:
    """Read cleaning rules from ``path`` (default: the bundled ``cleaning.toml``).

    Raises
    ------
    FramingError
        One line naming the file and the rule for malformed TOML, an unknown
        ``kind``, a missing or invalid ``pattern``.
    """
    if path is None:
        source = "framing/data/cleaning.toml"
        raw = files("framing.data").joinpath("cleaning.toml").read_text(encoding="utf-8")
    else:
        source = str(path)
        try:
            raw = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FramingError(f"{source}: cannot read cleaning rules ({exc})") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise FramingError(f"{source}: malformed TOML ({exc}); fix the file or pass no rules") from None
    specs = data.get("rules", [])
    if not isinstance(specs, list) or not all(isinstance(spec, dict) for spec in specs):
        raise FramingError(f"{source}: 'rules' must be a list of [[rules]] tables, got {type(specs).__name__}")
    rules = []
    for i, spec in enumerate(specs, start=1):
        name = spec.get("name") or f"rule #{i}"
        where = f"{source}: rule '{name}'"
        kind = spec.get("kind")
        if kind not in RULE_KINDS:
            raise FramingError(f"{where}: kind must be one of {', '.join(RULE_KINDS)}, got {kind!r}")
        for key in ("name", "description", "pattern"):
            if key in spec and not isinstance(spec[key], str):
                raise FramingError(f"{where}: '{key}' must be a string, got {spec[key]!r}")
        for key in ("min_lines", "max_words", "max_chars"):
            value = spec.get(key, 1)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise FramingError(f"{where}: '{key}' must be a whole number of at least 1, got {value!r}")
        pattern = None
        if kind in ("line", "block"):
            if not spec.get("pattern"):
                raise FramingError(f"{where}: a '{kind}' rule needs a 'pattern'")
            flags = regex.IGNORECASE | (regex.MULTILINE if kind == "block" else 0)
            try:
                pattern = regex.compile(spec["pattern"], flags)
            except regex.error as exc:
                raise FramingError(f"{where}: invalid regular expression ({exc})") from None
        rules.append(
            CleaningRule(
                name=name,
                kind=kind,
                description=spec.get("description", ""),
                pattern=pattern,
                min_lines=spec.get("min_lines", 3),
                max_words=spec.get("max_words", 20),
                max_chars=spec.get("max_chars", 300),
            )
        )
    return tuple(rules)


def clean_text(text: str, rules: tuple[CleaningRule, ...]) -> tuple[str, list[Removal]]:
    """Apply ``rules`` to ``text``; return the cleaned text and the removals, in line order.

    Rules run in file order; the ``trailing`` rule looks at what the others left.
    Runs of blank lines left behind are folded to one blank line.

    A rule whose pattern runs longer than :data:`MATCH_TIMEOUT` seconds on one line
    (or, for a ``block`` rule, on the text) raises :class:`FramingError` naming it.

    Examples
    --------
    >>> rule = CleaningRule("ad_slot", "line", "", regex.compile(r"^\\d+ x \\d+$"))
    >>> clean, removed = clean_text("728 x 90\\n\\nThe story.", (rule,))
    >>> clean, removed
    ('The story.', [Removal(line=1, rule='ad_slot', text='728 x 90', action='removed')])
    >>> clean_text("It cost Â£47 billion â€“ twice.", (CleaningRule("mojibake", "encoding", ""),))[0]
    'It cost £47 billion – twice.'

    An ``encoding`` rule repairs mojibake, text decoded twice (UTF-8 read as Latin-1 or
    cp1252: ``â€“`` for ``–``), line by line with ftfy's ``fix_encoding`` (Speer 2019), and
    reports each repaired line as it was (``action`` ``repaired``).
    """
    raw = text.split("\n")
    lines = list(raw)
    removed: dict[int, str] = {}
    repaired: dict[int, str] = {}
    for rule in rules:
        if rule.kind == "encoding":
            for i, line in enumerate(lines):
                if i not in removed and not line.isascii() and _MOJIBAKE_HINT.search(line):  # mojibake is never ASCII
                    fixed = _fix_encoding(line)
                    if fixed != line:
                        lines[i] = fixed
                        repaired.setdefault(i, rule.name)
        elif rule.kind == "line":
            for i, line in enumerate(lines):
                if i not in removed and len(line) <= rule.max_chars and _bounded(rule, rule.pattern.search, line, i):
                    removed[i] = rule.name
        elif rule.kind == "block":
            starts = _line_starts(lines)
            for m in _block_matches(rule, text, starts):
                first, last = _line_of(starts, m.start()), _line_of(starts, max(m.end() - 1, m.start()))
                for i in range(first, last + 1):
                    removed.setdefault(i, rule.name)
        elif rule.kind == "duplicate":
            previous = None
            for i, line in enumerate(lines):
                if i in removed or not line.strip():
                    continue
                if previous is not None and line.strip() == previous:
                    removed[i] = rule.name
                previous = line.strip()
        elif rule.kind == "trailing":
            run = []
            for i in range(len(lines) - 1, -1, -1):
                if i in removed or not lines[i].strip():
                    continue
                if len(lines[i].split(maxsplit=rule.max_words)) > rule.max_words or _SENTENCE_END.search(lines[i]):
                    break
                run.append(i)
            if len(run) >= rule.min_lines:
                for i in run:
                    removed[i] = rule.name
    kept = "\n".join(line for i, line in enumerate(lines) if i not in removed)
    kept = re.sub(r"\n(?:[ \t\xa0]*\n){2,}", "\n\n", kept).strip()
    report = [Removal(i + 1, removed[i], raw[i]) for i in removed]
    report += [Removal(i + 1, rule, raw[i], "repaired") for i, rule in repaired.items() if i not in removed]
    return kept, sorted(report, key=lambda r: r.line)


def _block_matches(rule: CleaningRule, text: str, line_starts: list[int]) -> list:
    """Every match of a block rule's pattern in ``text``, exactly as ``finditer`` finds them.

    A pattern that begins with ``^`` outside any group or alternative (as the bundled rules
    do) can only match where a line starts, so it is tried there alone: one attempt per
    line instead of one per character (a scraped article can be one line of 20,000
    characters). Other patterns are searched through the text. A test holds the two equal.
    """
    if not _anchored_at_lines(rule.pattern.pattern, rule.pattern.flags):
        return _bounded(rule, lambda t, **kw: list(rule.pattern.finditer(t, **kw)), text, None)
    found, end = [], 0
    for start in line_starts:
        if start < end:  # inside the last match: finditer goes on from its end
            continue
        m = _bounded(rule, lambda t, **kw: rule.pattern.match(t, start, **kw), text, None)
        if m is not None:
            found.append(m)
            end = m.end()
    return found


@lru_cache(maxsize=256)
def _anchored_at_lines(pattern: str, flags: int) -> bool:
    """Does every match of ``pattern`` begin at a line start (its parse tree opens with ``^``)?
    Read with the standard library's parser; a pattern it cannot read (syntax of the ``regex``
    module only) counts as not anchored, which is always safe."""
    try:
        first = re._parser.parse(pattern, flags & (re.IGNORECASE | re.MULTILINE | re.VERBOSE)).data[:1]
    except Exception:  # noqa: BLE001 - any pattern re cannot read is searched in full
        return False
    return first == [(re._constants.AT, re._constants.AT_BEGINNING)]


def _fix_encoding(line: str) -> str:
    """ftfy's repair of mojibake alone (none of its other fixes), imported on first use."""
    import ftfy

    return ftfy.fix_encoding(line)


def _bounded(rule: CleaningRule, method, text: str, line: int | None):
    try:
        return method(text, timeout=MATCH_TIMEOUT)
    except TimeoutError:
        at = f" on line {line + 1}" if line is not None else ""
        raise FramingError(
            f"cleaning rule '{rule.name}' ran over {MATCH_TIMEOUT:g} s{at} (its pattern {rule.pattern.pattern!r} "
            "backtracks without end on this text); simplify the pattern, e.g. no nested repeats like (a+)+"
        ) from None


def _line_starts(lines: list[str]) -> list[int]:
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo
