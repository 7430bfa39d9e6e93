"""Lexicons: the data model, the file readers, validation, and the matcher.

A lexicon is data: a TOML file with a ``[meta]`` table and ``[categories.NAME]`` tables.

.. code-block:: toml

    [meta]
    name = "mine"
    version = "0.1.0"
    description = "What the lexicon measures."
    source = "Who wrote it, from what."
    licence = "CC-BY-4.0"
    language = "en"

    [categories.state_delegitimizing]
    description = "Labels that deny a state's legitimacy."
    terms = ["regime*", "mullahs", "sham election*", {term = "IRGC", case_sensitive = true}]
    exclude = ["regimen*"]

    [categories.actor.delegitimizing]      # nested: the category is "actor.delegitimizing"
    terms = ["cult"]

The term grammar, used everywhere a pattern is given (lexicons, KWIC, collocation nodes):

* A term is one or more words separated by spaces; a multiword term matches a
  sequence of tokens (``"sham election*"``, ``"in fact"``, ``"velayat-e faqih"``).
  Each word is split by the corpus tokenizer, so ``"regime's"`` is the two tokens
  ``regime`` ``'s``, exactly as in the text.
* ``*`` at the end of a word matches any ending, including none (``regim*``: regim,
  regime, regimes). A ``*`` anywhere else is an error. Wildcards expand against whole
  word tokens, never across word boundaries, and never to punctuation: ``#*`` finds
  hashtags (``#IranElection``), not a bare ``#``.
* A multiword term also matches its hyphenated form, one token: ``"middle class"``
  finds "middle-class", ``"sham election*"`` finds "sham-elections" (unless the
  lexicon's ``[meta]`` says ``hyphenated = false``). Concordances and explain follow.
* Matching ignores case and treats curly and straight apostrophes alike, unless the
  entry is written ``{term = "US", case_sensitive = true}``.
* ``exclude`` lists patterns that must not count in that category: where an
  exclusion matches at least as long a stretch as any term, those tokens are skipped.
* Within a category, matching runs left to right and the longest match wins; a token
  counts at most once per category. A token may count in several categories
  (overlaps are allowed, and :meth:`Lexicon.overlaps` reports them).

Also read: LIWC ``.dic`` files and two-column CSV (``term,category``). Bundled lexicons
are loaded by name (:func:`load_lexicon`); :func:`list_lexicons` lists them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tomllib
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from importlib.resources import files
from itertools import compress, filterfalse
from pathlib import Path
from typing import Iterator, NamedTuple

import pandas as pd

from framing.errors import FramingError
from framing.tokens import WORD_TOKENIZER, TokenizedText, is_word_token, normalize_token

META_FIELDS = ("name", "version", "description", "source", "licence", "language")
LEXICON_SUFFIXES = (".toml", ".dic", ".csv", ".yaml", ".yml")
LEXICON_PATH_ENV = "FRAMING_LEXICON_PATH"
MAX_TERM_CHARS = 200
"""Longest term accepted. Longer entries are almost surely a pasted paragraph, and the
matcher's index of ``*`` words grows with the square of their length."""


class PatternToken(NamedTuple):
    """One word of a term: its normalized text and whether it ends in ``*``."""

    text: str
    prefix: bool


@dataclass(frozen=True)
class Term:
    """One lexicon entry as written (``pattern``) and as tokens to match."""

    pattern: str
    tokens: tuple[PatternToken, ...]
    case_sensitive: bool = False

    def matches_token(self, position: int, surface: str, key: str | None = None) -> bool:
        """Does word ``position`` of this term match the token ``surface`` (whose matching key is ``key``)?"""
        want = self.tokens[position]
        got = surface if self.case_sensitive else (key if key is not None else normalize_token(surface))
        if want.prefix:  # a ``*`` expands to word tokens only: "#*" is a hashtag, never a bare "#"
            return got.startswith(want.text) and is_word_token(surface)
        return got == want.text


@dataclass(frozen=True)
class Category:
    """A named list of terms, with an optional list of exclusions."""

    name: str
    description: str
    terms: tuple[Term, ...]
    exclude: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    """A lexicon: provenance metadata and categories, as read from one file."""

    name: str
    meta: dict = field(hash=False, compare=False)
    categories: tuple[Category, ...]
    path: str = ""
    rules: dict = field(default_factory=dict, hash=False, compare=False)
    """Parameters of named context rules (the ``[rules]`` table), used by feature families such as stance."""

    @property
    def category_names(self) -> list[str]:
        return [c.name for c in self.categories]

    @cached_property
    def id(self) -> str:
        """A stable id: ``name@version#hash``, the hash taken over what decides a count
        (categories, terms, case flags, exclusions, rules). Two lexicons with the same
        id count the same; a feature table records it, so a table can be matched to
        the lexicon that made it even when that lexicon was loaded from a path.
        """
        content = [
            (c.name, [(t.pattern, t.case_sensitive) for t in c.terms], [(t.pattern, t.case_sensitive) for t in c.exclude])
            for c in self.categories
        ]
        decides = [self.meta.get("family", "lexicon"), self.meta.get("hyphenated", True)]
        blob = json.dumps([content, self.rules, decides], sort_keys=True, default=str)
        digest = hashlib.sha256(blob.encode("utf-8")).hexdigest()[:10]
        return f"{self.name}@{self.meta.get('version', '') or 'unversioned'}#{digest}"

    def category(self, name: str) -> Category:
        for c in self.categories:
            if c.name == name:
                return c
        raise FramingError(
            f"lexicon '{self.name}' has no category '{name}'; available: {', '.join(self.category_names)}"
        )

    def select(self, names: list[str] | str) -> "Lexicon":
        """A lexicon with only the named categories (``"actor"`` also selects ``actor.*``)."""
        names = [names] if isinstance(names, str) else list(names)
        for n in names:
            if not any(c.name == n or c.name.startswith(n + ".") for c in self.categories):
                self.category(n)  # raises the helpful error, naming the first unknown name
        chosen = [
            c for c in self.categories if any(c.name == n or c.name.startswith(n + ".") for n in names)
        ]
        return Lexicon(self.name, self.meta, tuple(chosen), self.path, self.rules)

    def terms_frame(self) -> pd.DataFrame:
        """One row per (category, term): ``category``, ``pattern``, ``exclude``, ``case_sensitive``."""
        rows = [
            (c.name, t.pattern, excl, t.case_sensitive)
            for c in self.categories
            for excl, terms in ((False, c.terms), (True, c.exclude))
            for t in terms
        ]
        return pd.DataFrame(rows, columns=["category", "pattern", "exclude", "case_sensitive"])

    def overlaps(self) -> pd.DataFrame:
        """Terms listed in more than one category: ``pattern`` and the ``categories`` (joined by ``;``)."""
        terms = self.terms_frame()
        terms = terms[~terms["exclude"]]
        key = terms["pattern"].map(lambda p: " ".join(p.lower().split()))
        grouped = terms.groupby(key)["category"].agg(lambda s: ";".join(sorted(set(s))))
        shared = grouped[grouped.str.contains(";")]
        return pd.DataFrame({"pattern": shared.index, "categories": shared.values})


# --------------------------------------------------------------------------- parsing


def parse_term(raw, *, where: str) -> Term:
    """Parse one entry (a string, or a table with ``term`` and ``case_sensitive``).

    Examples
    --------
    >>> parse_term("sham election*", where="x").tokens
    (PatternToken(text='sham', prefix=False), PatternToken(text='election', prefix=True))
    >>> [t.text for t in parse_term("regime’s", where="x").tokens]
    ['regime', "'s"]
    """
    case_sensitive = False
    if isinstance(raw, dict):
        unknown = set(raw) - {"term", "case_sensitive"}
        if unknown or "term" not in raw:
            raise FramingError(
                f"{where}: an entry table needs 'term' (and optionally 'case_sensitive'), got keys {sorted(raw)}"
            )
        case_sensitive = raw.get("case_sensitive", False)
        if not isinstance(case_sensitive, bool):
            raise FramingError(f"{where}: case_sensitive must be true or false (a boolean), got {case_sensitive!r}; "
                               "write case_sensitive = true, without quotes")
        raw = raw["term"]
    if not isinstance(raw, str):
        raise FramingError(f"{where}: terms must be strings, got {raw!r}")
    pattern = " ".join(raw.split())
    if not pattern:
        raise FramingError(f"{where}: empty term; remove the empty string")
    if len(pattern) > MAX_TERM_CHARS:
        raise FramingError(
            f"{where}: term '{pattern[:30]}...' has {len(pattern):,} characters; a term may have at most {MAX_TERM_CHARS}"
        )
    tokens: list[PatternToken] = []
    for word in pattern.split(" "):
        prefix = word.endswith("*")
        stem = word[:-1] if prefix else word
        if "*" in stem:
            raise FramingError(f"{where}: term '{pattern}' has '*' inside a word; '*' may only end a word")
        if not stem:
            raise FramingError(f"{where}: term '{pattern}' has a bare '*'; write at least one letter before it")
        pieces = WORD_TOKENIZER.tokenize(stem)
        if not pieces:
            raise FramingError(f"{where}: term '{pattern}' contains no token")
        for j, piece in enumerate(pieces):
            text = piece if case_sensitive else normalize_token(piece)
            tokens.append(PatternToken(text, prefix and j == len(pieces) - 1))
    return Term(pattern, tuple(tokens), case_sensitive)


def _line_of(raw_text: str, needle: str, occurrence: int = 1) -> int | None:
    seen = 0
    for number, line in enumerate(raw_text.splitlines(), start=1):
        if f'"{needle}"' in line or f"'{needle}'" in line:
            seen += 1
            if seen == occurrence:
                return number
    return None


def _make_category(name: str, spec: dict, *, source: str, raw_text: str = "") -> Category:
    where = f"{source}: category '{name}'"
    terms_raw = spec.get("terms")
    for key in ("terms", "exclude"):
        if key in spec and not isinstance(spec[key], list):
            raise FramingError(
                f"{where}: '{key}' must be a list such as {key} = [\"{spec[key]}\"], got {type(spec[key]).__name__}"
            )
    if not terms_raw:
        raise FramingError(f"{where} has no terms; add a 'terms = [...]' list or delete the category")
    seen: dict[str, int] = {}
    terms = []
    for raw in terms_raw:
        term = parse_term(raw, where=where)
        key = term.pattern if term.case_sensitive else term.pattern.lower()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            line = _line_of(raw_text, term.pattern, 2) or _line_of(raw_text, term.pattern)
            at = f" (line {line})" if line else ""
            raise FramingError(f"{where}: duplicate term '{term.pattern}'{at}; keep one")
        terms.append(term)
    exclude = tuple(parse_term(raw, where=f"{where} exclude") for raw in spec.get("exclude", []))
    description = spec.get("description", "")
    if not isinstance(description, str):
        raise FramingError(f"{where}: 'description' must be a string")
    return Category(name, description, tuple(terms), exclude)


def _walk_categories(table: dict, prefix: str, *, source: str, raw_text: str) -> Iterator[Category]:
    for key, spec in table.items():
        name = f"{prefix}{key}"
        if not isinstance(spec, dict):
            raise FramingError(f"{source}: category '{name}' must be a table with 'terms', got {type(spec).__name__}")
        children = {k: v for k, v in spec.items() if isinstance(v, dict)}
        if "terms" in spec or not children:
            yield _make_category(name, spec, source=source, raw_text=raw_text)
        yield from _walk_categories(children, f"{name}.", source=source, raw_text=raw_text)


def lexicon_from_toml(text: str, *, source: str = "<string>") -> Lexicon:
    """Build a :class:`Lexicon` from the text of a native TOML lexicon file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FramingError(f"{source}: malformed TOML ({exc}); see the lexicon format in the README") from None
    meta = data.get("meta")
    if not isinstance(meta, dict) or not meta.get("name"):
        raise FramingError(f"{source}: missing [meta] table with at least name = \"...\"")
    categories = data.get("categories")
    if not isinstance(categories, dict) or not categories:
        raise FramingError(f"{source}: no [categories.NAME] tables; a lexicon needs at least one category")
    cats = tuple(_walk_categories(categories, "", source=source, raw_text=text))
    rules = data.get("rules", {})
    if not isinstance(rules, dict) or not all(isinstance(v, dict) for v in rules.values()):
        raise FramingError(f"{source}: [rules] must hold one table per rule, e.g. [rules.not_month]")
    return Lexicon(str(meta["name"]), dict(meta), cats, source, rules)


def pattern_lexicon(pattern: "str | Lexicon") -> Lexicon:
    """A lexicon for a search pattern: a term in the term grammar (``"sham election*"``),
    or ``"LEXICON:CATEGORY"`` for a lexicon's category (``"framing:state_delegitimizing"``).

    Tokens can contain ``:`` (``10:30``, URLs), so ``X:Y`` names a category only when
    ``X`` is the name of a bundled or user lexicon; otherwise it is a term.

    Examples
    --------
    >>> pattern_lexicon("election*").category_names
    ['election*']
    >>> pattern_lexicon("framing:state_neutral").category_names
    ['state_neutral']
    >>> pattern_lexicon("10:30").category_names
    ['10:30']
    """
    if isinstance(pattern, Lexicon):
        return pattern
    text = " ".join(str(pattern).split())
    name, colon, category = text.partition(":")
    if colon and category and " " not in name and _is_lexicon_name(name):
        return load_lexicon(name).select(category.strip())
    return lexicon_from_mapping("pattern", {text: [text]}, source="pattern")


def _is_lexicon_name(name: str) -> bool:
    """Does ``name`` name a bundled or user lexicon (so ``name:x`` is a category, not a URL or a time)?"""
    if not name or name != name.strip() or "/" in name or os.sep in name:
        return False
    return name in _bundled_names() or name in _user_files()


def lexicon_from_mapping(
    name: str, entries: dict[str, list], *, meta: dict | None = None, source: str = "<mapping>"
) -> Lexicon:
    """Build a lexicon from ``{category: [terms]}``, validated like a file."""
    cats = tuple(
        _make_category(cat, {"terms": terms}, source=source) for cat, terms in entries.items()
    )
    if not cats:
        raise FramingError(f"{source}: no categories")
    return Lexicon(name, {"name": name, **(meta or {})}, cats, source)


def read_dic(path: str | Path) -> Lexicon:
    """Read a LIWC-format ``.dic`` file: a ``%``-delimited header of ``id<TAB>category``
    lines, then ``term<TAB>id id ...`` lines. Terms may contain spaces (multiword)."""
    source = str(path)
    text = _read_text(path)
    lines = text.splitlines()
    marks = [i for i, line in enumerate(lines) if line.strip() == "%"]
    if len(marks) < 2:
        raise FramingError(f"{source}: not a LIWC .dic file (expected a header between two '%' lines)")
    ids: dict[str, str] = {}
    for number in range(marks[0] + 1, marks[1]):
        line = lines[number].strip()
        if not line:
            continue
        parts = line.split(None, 1)
        if len(parts) != 2:
            raise FramingError(f"{source}: line {number + 1}: expected 'id<TAB>category', got {line!r}")
        ids[parts[0]] = parts[1].strip()
    entries: dict[str, list] = defaultdict(list)
    for number in range(marks[1] + 1, len(lines)):
        line = lines[number].rstrip()
        if not line.strip():
            continue
        if "\t" in line:
            term, _, codes = line.partition("\t")
            codes = codes.split()
        else:
            parts = line.split()
            k = len(parts)
            while k > 1 and parts[k - 1] in ids:
                k -= 1
            term, codes = " ".join(parts[:k]), parts[k:]
        if not codes:
            raise FramingError(f"{source}: line {number + 1}: term {term.strip()!r} has no category id")
        for code in codes:
            if code not in ids:
                raise FramingError(f"{source}: line {number + 1}: unknown category id {code!r} for term {term.strip()!r}")
            entries[ids[code]].append(term.strip())
    empty = [name for name in ids.values() if name not in entries]
    if empty:
        warnings.warn(f"{source}: {len(empty)} categor{'y' if len(empty) == 1 else 'ies'} of the header with no term, "
                      f"left out: {', '.join(empty)}", stacklevel=3)
    meta = {"name": Path(source).stem, "source": f"LIWC-format dictionary {Path(source).name}",
            "description": "Imported from a LIWC .dic file", "version": "", "licence": "see the original", "language": ""}
    return lexicon_from_mapping(Path(source).stem, dict(entries), meta=meta, source=source)


def read_csv_lexicon(path: str | Path, *, term_col: str = "term", category_col: str = "category") -> Lexicon:
    """Read a two-column CSV with a header naming its term and category columns (``term``
    and ``category`` unless ``term_col``/``category_col`` say otherwise, e.g. ``word,cat``);
    extra columns are ignored."""
    source = str(path)
    reader = csv.DictReader(io.StringIO(_read_text(path)))
    if not reader.fieldnames or not {term_col, category_col} <= set(reader.fieldnames):
        raise FramingError(f"{source}: a CSV lexicon needs a header with '{term_col}' and '{category_col}', got "
                           f"{reader.fieldnames}; name its columns with --term-col and --category-col")
    entries: dict[str, list] = defaultdict(list)
    number = 1
    try:
        for number, row in enumerate(reader, start=2):
            if not (row[category_col] or "").strip():
                raise FramingError(f"{source}: line {number}: empty category for term {row[term_col]!r}")
            entries[row[category_col].strip()].append(row[term_col] or "")
    except csv.Error as exc:
        raise FramingError(f"{source}: line {number + 1}: not readable as CSV ({exc}); check its quotes") from None
    meta = {"name": Path(source).stem, "source": f"CSV file {Path(source).name}",
            "description": "Imported from a term,category CSV", "version": "", "licence": "", "language": ""}
    return lexicon_from_mapping(Path(source).stem, dict(entries), meta=meta, source=source)


def read_yaml_lexicon(path: str | Path) -> Lexicon:
    """Read a quanteda-style YAML dictionary: keys map to term lists or to nested keys.

    Nested keys are flattened as ``parent.child`` (quanteda's ``dictionary(file=...)``
    with ``separator = "."``). A top-level ``meta`` mapping, if present, is provenance.
    """
    import yaml  # PyYAML; imported here so that reading TOML never needs it

    source = str(path)
    try:
        data = yaml.safe_load(_read_text(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"line {mark.line + 1}: " if mark is not None else ""
        raise FramingError(f"{source}: {at}malformed YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict) or not data:
        raise FramingError(f"{source}: a YAML dictionary must map category names to lists of terms")
    meta = data.pop("meta", None) or {}
    entries: dict[str, list] = {}

    def walk(node, prefix):
        for key, value in node.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                walk(value, f"{name}.")
            elif isinstance(value, list):
                entries[name] = value
            elif isinstance(value, str):
                entries[name] = [value]
            else:
                raise FramingError(f"{source}: key '{name}' must hold a list of terms or nested keys")

    walk(data, "")
    base = {"name": Path(source).stem, "source": f"YAML dictionary {Path(source).name}",
            "description": "Imported from a quanteda-style YAML dictionary", "version": "", "licence": "", "language": ""}
    return lexicon_from_mapping(str(meta.get("name", Path(source).stem)), entries, meta={**base, **meta}, source=source)


def _read_text(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FramingError(f"{path}: no such lexicon file") from None
    except UnicodeDecodeError as exc:
        raise FramingError(f"{path}: not UTF-8 (byte {exc.start}); re-save the file as UTF-8") from None
    except OSError as exc:
        raise FramingError(f"{path}: cannot read ({exc.strerror or exc})") from None


def read_lexicon_file(path: str | Path) -> Lexicon:
    """Read a lexicon file, choosing the reader by its extension."""
    suffix = Path(path).suffix.lower()
    if suffix == ".toml":
        return lexicon_from_toml(_read_text(path), source=str(path))
    if suffix == ".dic":
        return read_dic(path)
    if suffix == ".csv":
        return read_csv_lexicon(path)
    if suffix in (".yaml", ".yml"):
        return read_yaml_lexicon(path)
    raise FramingError(f"{path}: unsupported lexicon format '{suffix}'; use {', '.join(LEXICON_SUFFIXES)}")


# --------------------------------------------------------------------------- finding lexicons


def user_lexicon_dirs() -> list[Path]:
    """Folders searched for user lexicons, first match wins: ``$FRAMING_LEXICON_PATH``
    (``os.pathsep``-separated), then ``./lexicons``, then ``lexicons/`` in the project folder."""
    from framing.paths import project_root

    dirs = [Path(p) for p in os.environ.get(LEXICON_PATH_ENV, "").split(os.pathsep) if p]
    dirs.append(Path.cwd() / "lexicons")
    root = project_root()
    if root is not None:
        dirs.append(root / "lexicons")
    unique = list(dict.fromkeys(d.resolve() for d in dirs if d.is_dir()))
    return unique


def _bundled_names() -> list[str]:
    return sorted(p.name[:-5] for p in files("framing.lexicons").iterdir() if p.name.endswith(".toml"))


def _user_files() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in user_lexicon_dirs():
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in LEXICON_SUFFIXES:
                found.setdefault(path.stem, path)
    return found


def load_lexicon(name_or_path: "str | Path | Lexicon") -> Lexicon:
    """Load a lexicon by path, by user-lexicon name, or by bundled name.

    A path to an existing file is read directly. A bare name is looked up in the
    user folders (:func:`user_lexicon_dirs`) and then among the bundled lexicons.
    A user lexicon with a bundled lexicon's name replaces it, unless its ``[meta]``
    says ``extends = "NAME"``: then its categories are added to that lexicon's
    (a category of the same name replaces the base category). A lexicon found by name
    keeps that name (the file's name), so feature tables can find it again.

    Examples
    --------
    >>> lex = load_lexicon("framing")
    >>> lex.name, "state_delegitimizing" in lex.category_names
    ('framing', True)
    """
    if isinstance(name_or_path, Lexicon):
        return name_or_path
    if isinstance(name_or_path, (list, tuple)):
        return combine_lexicons(name_or_path)
    return _load(str(name_or_path), ())


def check_distinct_names(lexicons) -> None:
    """Lexicons counted in one run must have distinct names: rows of two lexicons both named
    ``same`` would be told apart only by their ``lexicon_id``."""
    seen: dict[str, str] = {}
    for lex in lexicons:
        if lex.name in seen:
            raise FramingError(f"two lexicons are named '{lex.name}' ({seen[lex.name]} and {lex.path}); give one another "
                               "name in its [meta] table")
        seen[lex.name] = str(lex.path)


def combine_lexicons(lexicons) -> Lexicon:
    """One plain lexicon made of several (names, paths or lexicons), for a study that counts
    its own categories beside the bundled ones. A category name found in more than one is
    prefixed with its lexicon's name (``framing.state_neutral``), so no count is merged.

    Examples
    --------
    >>> both = combine_lexicons([lexicon_from_mapping("a", {"x": ["regime"]}), lexicon_from_mapping("b", {"x": ["vote"], "y": ["poll"]})])
    >>> both.name, both.category_names
    ('a+b', ['a.x', 'b.x', 'y'])
    """
    loaded = [load_lexicon(x) for x in lexicons]
    if not loaded:
        raise FramingError("no lexicon to combine")
    if len(loaded) == 1:
        return loaded[0]
    check_distinct_names(loaded)
    families = sorted({str(lex.meta.get("family", "lexicon")) for lex in loaded})
    if families != ["lexicon"]:
        raise FramingError(f"only plain lexicons can be combined; these are read by the families {', '.join(families)}")
    names = [c.name for lex in loaded for c in lex.categories]
    shared = {n for n in names if names.count(n) > 1}
    categories = tuple(
        Category(f"{lex.name}.{c.name}" if c.name in shared else c.name, c.description, c.terms, c.exclude)
        for lex in loaded for c in lex.categories
    )
    name = "+".join(lex.name for lex in loaded)
    meta = {
        "name": name, "version": "+".join(str(lex.meta.get("version", "") or "unversioned") for lex in loaded),
        "description": "Combined: " + "; ".join(f"{lex.name}: {lex.meta.get('description', '')}" for lex in loaded),
        "source": "; ".join(str(lex.meta.get("source", "")) for lex in loaded),
        "licence": "; ".join(sorted({str(lex.meta.get("licence", "")) for lex in loaded})),
        "hyphenated": all(hyphenated(lex) for lex in loaded),
    }
    return Lexicon(name, meta, categories, " + ".join(lex.path for lex in loaded))


def _load(text: str, chain: tuple[str, ...]) -> Lexicon:
    """:func:`load_lexicon`, with the files being read for ``extends`` in ``chain`` (to stop cycles)."""
    path = Path(text)
    if path.suffix.lower() in LEXICON_SUFFIXES or os.sep in text or "/" in text:
        if not path.exists():
            raise FramingError(f"{text}: no such lexicon file; bundled lexicons: {', '.join(_bundled_names())}")
        lexicon = read_lexicon_file(path)
    elif text in _user_files():
        lexicon = read_lexicon_file(_user_files()[text])
        lexicon = Lexicon(text, {**lexicon.meta, "name": text}, lexicon.categories, lexicon.path, lexicon.rules)
    elif text in _bundled_names():
        return _load_bundled(text)
    else:
        available = sorted(set(_bundled_names()) | set(_user_files()))
        raise FramingError(f"unknown lexicon '{text}'; available: {', '.join(available)} (or give a file path)")
    base = lexicon.meta.get("extends")
    if base:
        here = str(Path(lexicon.path).resolve())
        if here in chain:
            names = " -> ".join(Path(p).name for p in (*chain[chain.index(here):], here))
            raise FramingError(f"{lexicon.path}: 'extends' makes a cycle ({names}); one of these files must not extend another")
        lexicon = _extend(_load_bundled_or_user(str(base), exclude=lexicon.path, chain=(*chain, here)), lexicon)
    return lexicon


def _load_bundled(name: str) -> Lexicon:
    resource = files("framing.lexicons").joinpath(f"{name}.toml")
    return lexicon_from_toml(resource.read_text(encoding="utf-8"), source=f"framing/lexicons/{name}.toml")


def _load_bundled_or_user(name: str, *, exclude: str, chain: tuple[str, ...]) -> Lexicon:
    user = _user_files().get(name)
    if user is not None and str(user) != exclude:
        return _load(str(user), chain)
    if name in _bundled_names():
        return _load_bundled(name)
    raise FramingError(f"{exclude}: extends unknown lexicon '{name}'")


def _extend(base: Lexicon, extra: Lexicon) -> Lexicon:
    replaced = {c.name for c in extra.categories}
    cats = tuple(c for c in base.categories if c.name not in replaced) + extra.categories
    meta = {**base.meta, **extra.meta}
    return Lexicon(extra.name, meta, cats, f"{base.path} + {extra.path}", {**base.rules, **extra.rules})


def list_lexicons() -> pd.DataFrame:
    """Bundled and user lexicons: ``name``, ``version``, ``categories``, ``terms``, ``origin``, ``description``."""
    rows = []
    user = _user_files()
    for name in sorted(set(_bundled_names()) | set(user)):
        try:
            lex = load_lexicon(name)
        except FramingError as exc:  # one broken file must not hide the others
            rows.append({"name": name, "version": "", "categories": 0, "terms": 0,
                         "origin": str(user.get(name, "bundled")), "description": f"cannot load: {exc}"})
            continue
        rows.append(
            {
                "name": name,
                "version": lex.meta.get("version", ""),
                "categories": len(lex.categories),
                "terms": sum(len(c.terms) for c in lex.categories),
                "origin": str(user[name]) if name in user else "bundled",
                "description": lex.meta.get("description", ""),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- matching


def hyphenated(lexicon: Lexicon) -> bool:
    """Do the multiword terms of ``lexicon`` also match their hyphenated form? ``[meta] hyphenated``, default true."""
    value = lexicon.meta.get("hyphenated", True)
    if not isinstance(value, bool):
        raise FramingError(f"{lexicon.path}: [meta] hyphenated must be true or false, got {value!r}")
    return value


def hyphen_variant(term: Term) -> Term | None:
    """The one-token form of a multiword term, its words joined by hyphens: "middle class"
    also finds "middle-class" (the tokenizer keeps a hyphenated word whole). ``None`` for
    one-word terms and for terms with a piece that cannot be hyphenated (a clitic, a mark,
    a ``*`` before the last word).

    Examples
    --------
    >>> hyphen_variant(parse_term("sham election*", where="x")).tokens
    (PatternToken(text='sham-election', prefix=True),)
    >>> hyphen_variant(parse_term("regime's", where="x")) is None
    True
    """
    words = term.tokens
    if len(words) < 2 or any(w.prefix for w in words[:-1]) or not all(w.text[:1].isalnum() for w in words):
        return None
    return Term(term.pattern, (PatternToken("-".join(w.text for w in words), words[-1].prefix),), term.case_sensitive)


class Match(NamedTuple):
    """A match of a term: category index, term index in that category, token span [start, end)."""

    category: int
    term: int
    start: int
    end: int


class _Plan(NamedTuple):
    """What one token type can do, for every entry of a lexicon (entries as in :class:`Matcher`)."""

    starts: tuple[int, ...]  # entries whose first word matches the type, in entry order
    singles: tuple[tuple[int, int], ...]  # (category, term) the type counts for when standing alone
    categories: tuple[int, ...]  # the categories of ``singles``
    multi: tuple[tuple[int, int, bool, int], ...]  # (entry, category, exclusion, length) of the multiword entries it starts
    fills: frozenset[tuple[int, int]]  # (entry, position >= 1) whose word matches the type


_NO_PLAN = _Plan((), (), (), (), frozenset())


class _Memory(NamedTuple):
    """What a :class:`Matcher` remembers of the token types it has seen. It is replaced
    whole when full, so a count that started with one memory finishes with it."""

    plans: dict[str, _Plan]
    hits: set[str]  # the types whose plan is not empty
    starting: set[str]  # ... that can start a multiword entry
    filling: set[str]  # ... that can fill a later word of one

    @classmethod
    def empty(cls) -> "_Memory":
        return cls({}, set(), set(), set())


class Matcher:
    """Finds every lexicon match in a tokenized text (see the module docstring for the rules).

    Build once per lexicon, then call :meth:`find` or :meth:`count` for each document.
    It remembers, per token type, which words of which terms the type matches (at
    most ``cache_size`` types; the memory is emptied when full), so it can be reused
    across documents and never changes a result.

    Examples
    --------
    >>> from framing.tokens import tokenize
    >>> lex = lexicon_from_mapping("t", {"vote": ["sham election*", "election*"]})
    >>> doc = tokenize("Sham elections, not elections.")
    >>> [(m.start, m.end) for m in Matcher(lex).find(doc)]
    [(0, 2), (4, 5)]
    >>> Matcher(lex).count(doc)
    [2]
    """

    def __init__(self, lexicon: Lexicon, *, cache_size: int = 200_000):
        self.lexicon = lexicon
        self.cache_size = cache_size
        # every (category, term, is_exclusion) in one list
        self._entries: list[tuple[int, int, Term, bool]] = []
        hyphens = hyphenated(lexicon)
        for ci, cat in enumerate(lexicon.categories):
            for ti, term in enumerate(cat.terms):
                self._entries.append((ci, ti, term, False))
                if hyphens and (joined := hyphen_variant(term)) is not None:
                    self._entries.append((ci, ti, joined, False))
            for term in cat.exclude:
                self._entries.append((ci, -1, term, True))
                if hyphens and (joined := hyphen_variant(term)) is not None:
                    self._entries.append((ci, -1, joined, True))
        self._lengths = [len(term.tokens) for _, _, term, _ in self._entries]
        self._category_of = [(ci, excl) for ci, _, _, excl in self._entries]
        # the (entry, position) pairs that the words after an entry's first must fill
        self._needs = [tuple((k, j) for j in range(1, n)) for k, n in enumerate(self._lengths)]
        # every word of every entry, by (case_sensitive, prefix): word text -> [(entry, position)]
        self._index: dict[tuple[bool, bool], dict[str, list[tuple[int, int]]]] = {
            (cs, pre): defaultdict(list) for cs in (False, True) for pre in (False, True)
        }
        for k, (_, _, term, _) in enumerate(self._entries):
            for j, word in enumerate(term.tokens):
                self._index[term.case_sensitive, word.prefix][word.text].append((k, j))
        # every beginning of every ``*`` word, so a type is looked up only while some could still match
        self._beginnings = {
            cs: {text[:end] for text in self._index[cs, True] for end in range(1, len(text) + 1)} for cs in (False, True)
        }
        self._has_case_sensitive = any(term.case_sensitive for _, _, term, _ in self._entries)
        self._memory = _Memory.empty()

    def _plan(self, surface: str) -> _Plan:
        """Which words of which entries the token type ``surface`` matches.

        Looks the type up in the word index (exact words directly, ``*`` words by each
        prefix of the type); a test holds it equal to :meth:`Term.matches_token`.
        """
        word = is_word_token(surface)
        pairs = self._lookup(normalize_token(surface), case_sensitive=False, prefixes=word)
        if self._has_case_sensitive:
            pairs += self._lookup(surface, case_sensitive=True, prefixes=word)
        if not pairs:
            return _NO_PLAN
        starts = sorted(k for k, j in pairs if j == 0)
        best: dict[int, tuple[bool, int]] = {}  # category -> (exclusion, term) of single-word entries
        for k in starts:
            ci, ti, _, excl = self._entries[k]
            if self._lengths[k] == 1 and (ci not in best or (excl and not best[ci][0])):
                best[ci] = (excl, ti)
        singles = tuple((ci, ti) for ci, (excl, ti) in sorted(best.items()) if not excl)
        return _Plan(
            starts=tuple(starts),
            singles=singles,
            categories=tuple(ci for ci, _ in singles),
            multi=tuple(
                (k, *self._category_of[k], self._lengths[k]) for k in starts if self._lengths[k] > 1
            ),
            fills=frozenset((k, j) for k, j in pairs if j > 0),
        )

    def _lookup(self, text: str, *, case_sensitive: bool, prefixes: bool) -> list[tuple[int, int]]:
        """The (entry, position) pairs whose word is ``text``, or (with ``prefixes``) a ``*`` word ``text`` starts with."""
        pairs = list(self._index[case_sensitive, False].get(text, ()))
        if not prefixes:
            return pairs
        prefix, beginnings = self._index[case_sensitive, True], self._beginnings[case_sensitive]
        for end in range(1, len(text) + 1):  # walk down the ``*`` words as down a trie
            head = text[:end]
            if head not in beginnings:
                break
            pairs.extend(prefix.get(head, ()))
        return pairs

    def _learn(self, types) -> tuple[_Memory, set[str]]:
        """Plan every type of a document not yet seen. Returns the memory that now holds
        them all, and the document's types whose plan is not empty."""
        memory = self._memory
        new = list(filterfalse(memory.plans.__contains__, types))
        if new:
            if len(memory.plans) + len(new) > self.cache_size:
                memory = self._memory = _Memory.empty()
                new = list(types)
            for surface in new:
                plan = memory.plans[surface] = self._plan(surface)
                if plan is not _NO_PLAN:
                    memory.hits.add(surface)
                    if plan.multi:
                        memory.starting.add(surface)
                    if plan.fills:
                        memory.filling.add(surface)
        return memory, memory.hits.intersection(types)

    def _rest_matches(self, plans: dict[str, _Plan], k: int, words: tuple[str, ...], i: int) -> bool:
        """Do the words after the first of entry ``k`` match the tokens after ``words[i]``?"""
        if i + self._lengths[k] > len(words):
            return False
        for pair in self._needs[k]:
            i += 1
            if pair not in plans[words[i]].fills:
                return False
        return True

    def count(self, doc: TokenizedText) -> list[int]:
        """Number of matches per category (by index): the same numbers as counting :meth:`find`, faster.

        Single-word matches are counted over token types. Multiword terms and
        exclusions are looked for only where all their words occur in the document,
        and only at the positions of their first word, to apply longest-match and the
        one-count-per-token rule there. A property test holds it equal to :meth:`find`.
        """
        types = doc.type_counts
        memory, hits = self._learn(types.keys())
        plans = memory.plans
        counts = [0] * len(self.lexicon.categories)
        for surface in hits:
            categories = plans[surface].categories
            if categories:
                n = types[surface]
                for ci in categories:
                    counts[ci] += n
        starting = memory.starting.intersection(hits)
        if not starting:
            return counts
        # a multiword entry can match only if each of its later words matches a type present
        filled = set().union(*[plans[w].fills for w in memory.filling.intersection(hits)])
        live = {}
        for surface in starting:
            entries = [entry for entry in plans[surface].multi if filled.issuperset(self._needs[entry[0]])]
            if entries:
                live[surface] = entries
        if not live:
            return counts
        words = doc.words
        blocked: dict[int, int] = {}
        for i in compress(range(len(words)), map(live.__contains__, words)):
            best: dict[int, tuple[int, bool]] = {}  # category -> (length, exclusion), multiword only
            for k, ci, excl, length in live[words[i]]:
                if blocked.get(ci, 0) > i or not self._rest_matches(plans, k, words, i):
                    continue
                prev = best.get(ci)
                if prev is None or (length, excl) > prev:
                    best[ci] = (length, excl)
            for ci, (length, excl) in best.items():
                # the multiword match replaces the single-word matches of this category under it
                covered = 0
                for w in words[i : i + length]:
                    if ci in plans[w].categories:
                        covered += 1
                counts[ci] += (0 if excl else 1) - covered
                blocked[ci] = i + length
        return counts

    def find(self, doc: TokenizedText) -> list[Match]:
        """All matches in ``doc``, ordered by start token then category."""
        words = doc.words
        memory, hits = self._learn(doc.type_counts.keys())
        plans = memory.plans
        starting = {w for w in hits if plans[w].starts}
        if not starting:
            return []
        entries, lengths = self._entries, self._lengths
        blocked: dict[int, int] = {}
        block_end = 0  # no category is blocked at or after this token
        out: list[Match] = []
        for i in [i for i, w in enumerate(words) if w in starting]:
            plan = plans[words[i]]
            if not plan.multi and i >= block_end:  # fast path: single-word matches only, nothing blocked
                out.extend([Match(ci, ti, i, i + 1) for ci, ti in plan.singles])
                continue
            best: dict[int, tuple[int, bool, int]] = {}  # category -> (length, exclusion, term)
            for k in plan.starts:
                ci, ti, _, excl = entries[k]
                if blocked.get(ci, 0) > i or (lengths[k] > 1 and not self._rest_matches(plans, k, words, i)):
                    continue
                prev = best.get(ci)
                if prev is None or (lengths[k], excl) > (prev[0], prev[1]):
                    best[ci] = (lengths[k], excl, ti)
            for ci in sorted(best):
                length, excl, ti = best[ci]
                blocked[ci] = i + length
                block_end = max(block_end, i + length)
                if not excl:
                    out.append(Match(ci, ti, i, i + length))
        return out
