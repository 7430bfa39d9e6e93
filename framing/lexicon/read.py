"""Reading lexicons: TOML, LIWC ``.dic``, two-column CSV and YAML files, the bundled lexicons
by name, the user's search path (``FRAMING_LEXICON_PATH``), and combining or extending
lexicons. Every reader returns a :class:`~framing.lexicon.model.Lexicon` and names the file and
line of what it cannot read."""

from __future__ import annotations

import csv
import io
import os
import tomllib
import warnings
from collections import defaultdict
from importlib.resources import files
from pathlib import Path
from typing import Iterator

import pandas as pd

from framing.documents.language import check_code
from framing.errors import FramingError
from framing.lexicon.model import (
    Category,
    Lexicon,
    hyphenated,
    overlap_policy,
    parse_term,
    stemming,
)

LEXICON_SUFFIXES = (".toml", ".dic", ".csv", ".yaml", ".yml")
LEXICON_PATH_ENV = "FRAMING_LEXICON_PATH"



def _line_of(raw_text: str, needle: str, occurrence: int = 1) -> int | None:
    seen = 0
    for number, line in enumerate(raw_text.splitlines(), start=1):
        if f'"{needle}"' in line or f"'{needle}'" in line:
            seen += 1
            if seen == occurrence:
                return number
    return None


def _by_language(value, key: str, where: str, language: str) -> dict[str, list]:
    """``terms`` or ``exclude`` as ``{language: entries}``: a list is the lexicon's own
    language's, a table (``[categories.X.terms]`` with ``en = [...]``, ``de = [...]``) gives
    each language its own."""
    if isinstance(value, list):
        return {language: value}
    if isinstance(value, dict):
        out = {}
        for code, entries in value.items():
            checked = check_code(code, f"{where}: {key}.{code}")
            if checked != code:
                raise FramingError(f"{where}: {key}.{code}: write the language as '{checked}'")
            if not isinstance(entries, list):
                raise FramingError(f"{where}: {key}.{code} must be a list such as {code} = [\"...\"]")
            out[code] = entries
        return out
    raise FramingError(
        f"{where}: '{key}' must be a list such as {key} = [\"{value}\"], got {type(value).__name__}")


def _make_category(name: str, spec: dict, *, source: str, raw_text: str = "", language: str = "") -> Category:
    where = f"{source}: category '{name}'"
    terms_by = _by_language(spec.get("terms", []), "terms", where, language)
    exclude_by = _by_language(spec.get("exclude", []), "exclude", where, language)
    if isinstance(spec.get("terms"), dict) and not language:
        raise FramingError(f"{source}: terms per language need the lexicon's own language in [meta]: "
                           f"language = \"{next(iter(terms_by), 'en')}\"")
    if not any(terms_by.values()):
        raise FramingError(f"{where} has no terms; add a 'terms = [...]' list or delete the category")
    stray = sorted(code for code, entries in exclude_by.items() if entries and code not in terms_by)
    if stray:
        raise FramingError(f"{where}: exclude.{stray[0]} has no terms.{stray[0]} to exclude from; add them or drop it")
    own = _category_terms(name, terms_by.get(language, []), exclude_by.get(language, []), where, raw_text)
    translations = tuple(
        (code, *_category_terms(name, terms_by[code], exclude_by.get(code, []), f"{where} ({code})", raw_text))
        for code in terms_by if code != language
    )
    description = spec.get("description", "")
    if not isinstance(description, str):
        raise FramingError(f"{where}: 'description' must be a string")
    return Category(name, description, *own, translations)


def _category_terms(name: str, terms_raw: list, exclude_raw: list, where: str, raw_text: str):
    """The terms and exclusions of one category in one language, checked (no duplicates)."""
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
    exclude = tuple(parse_term(raw, where=f"{where} exclude") for raw in exclude_raw)
    return tuple(terms), exclude


def _walk_categories(table: dict, prefix: str, *, source: str, raw_text: str, language: str = "") -> Iterator[Category]:
    for key, spec in table.items():
        name = f"{prefix}{key}"
        if not isinstance(spec, dict):
            raise FramingError(f"{source}: category '{name}' must be a table with 'terms', got {type(spec).__name__}")
        children = {k: v for k, v in spec.items() if isinstance(v, dict) and k not in ("terms", "exclude")}
        if "terms" in spec or not children:
            yield _make_category(name, spec, source=source, raw_text=raw_text, language=language)
        yield from _walk_categories(children, f"{name}.", source=source, raw_text=raw_text, language=language)


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
    language = meta.get("language", "") or ""
    if language:
        language = check_code(language, f"{source}: [meta] language")
    cats = tuple(_walk_categories(categories, "", source=source, raw_text=text, language=language))
    rules = data.get("rules", {})
    if not isinstance(rules, dict) or not all(isinstance(v, dict) for v in rules.values()):
        raise FramingError(f"{source}: [rules] must hold one table per rule, e.g. [rules.not_month]")
    lexicon = Lexicon(str(meta["name"]), dict(meta), cats, source, rules)
    overlap_policy(lexicon)  # a policy misspelled is an error on reading, naming the file
    stemming(lexicon)  # and so is a stemmer that is not there
    return lexicon


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
        Category(f"{lex.name}.{c.name}" if c.name in shared else c.name, c.description, c.terms, c.exclude,
                 c.translations)
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
    policies = sorted({overlap_policy(lex) for lex in loaded})
    if len(policies) > 1:
        raise FramingError(f"the lexicons combined ({', '.join(lex.name for lex in loaded)}) count overlapping matches "
                           f"differently ([meta] overlap: {', '.join(policies)}); give them the same policy")
    if policies != ["category"]:
        meta["overlap"] = policies[0]
    stems = sorted({str(stemming(lex)) for lex in loaded})
    if len(stems) > 1:
        raise FramingError(f"the lexicons combined ({', '.join(lex.name for lex in loaded)}) match words differently "
                           f"([meta] stem: {', '.join(stems)}); give them the same setting")
    if stems != ["None"]:
        meta["stem"] = stems[0]
    languages = sorted({lex.language for lex in loaded})
    several = any(len(lex.languages) > 1 for lex in loaded)
    if len(set(languages) - {""}) > 1 or (len(languages) > 1 and several):
        raise FramingError(f"the lexicons combined ({', '.join(lex.name for lex in loaded)}) are written in different "
                           f"languages ([meta] language: {', '.join(x or 'none' for x in languages)}); give their terms "
                           "per language in one lexicon ([categories.NAME.terms] with one list per language)")
    if len(languages) == 1 and languages[0]:  # one declared language; a lexicon that declares none reads any
        meta["language"] = languages[0]
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
                "terms": int(lex.coverage().to_numpy().sum()),  # in every language
                "origin": str(user[name]) if name in user else "bundled",
                "description": lex.meta.get("description", ""),
            }
        )
    return pd.DataFrame(rows)
