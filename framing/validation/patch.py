"""A lexicon patched from a scored sheet: the exclusions coders' false matches propose, written
into a copy of the lexicon (a TOML file of the user's is edited with ``tomlkit``, its comments
and layout kept)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from framing.errors import FramingError
from framing.validation.scores import proposed_exclusions

VALIDATED = "exclusions added from the words coders marked as false matches (framing validate score --fix)"


def patched_lexicon_text(lexicon, report: pd.DataFrame) -> str:
    """The TOML text of ``lexicon`` with the proposed exclusions added (:func:`patched_lexicon`).

    When the lexicon is a TOML file of its own (not extending another), the file itself is
    edited with ``tomlkit``: its comments, order and layout are kept, each category's
    ``exclude`` list gets the new words, and ``[meta]`` a ``+validated`` version and a
    ``validation`` note. Other lexicons (YAML, LIWC .dic, CSV, or one that extends another)
    are written whole from the patched lexicon, as :func:`framing.lexicon.tools.lexicon_to_toml` does.
    """
    from framing.lexicon.read import load_lexicon
    from framing.lexicon.tools import lexicon_to_toml

    lex = load_lexicon(lexicon)
    patched = patched_lexicon(lex, report)
    path = Path(str(lex.path)) if lex.path else None
    if path is None or path.suffix.lower() != ".toml" or not path.is_file():
        return lexicon_to_toml(patched)
    import tomlkit

    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    if "extends" in document.get("meta", {}):
        return lexicon_to_toml(patched)
    for name, words in proposed_exclusions(report).items():
        table = document.get("categories", {})
        for part in name.split("."):
            table = table.get(part) if hasattr(table, "get") else None
            if table is None:
                return lexicon_to_toml(patched)
        have = {str(t).lower() for t in table.get("exclude", [])}
        new = [w for w in words if w.lower() not in have]
        if not new:
            continue
        if "exclude" not in table:
            table["exclude"] = tomlkit.array()
        for word in new:
            table["exclude"].append(word)
    meta = document.setdefault("meta", tomlkit.table())
    meta["version"] = patched.meta["version"]
    meta["validation"] = VALIDATED
    return tomlkit.dumps(document)


def patched_lexicon(lexicon, report: pd.DataFrame):
    """A copy of ``lexicon`` with the exclusions a :func:`score_sheet` report proposes added
    to their categories (the words coded false for flagged patterns), version marked."""
    from framing.lexicon.model import Category, Lexicon, parse_term
    from framing.lexicon.read import load_lexicon

    lex = load_lexicon(lexicon)
    proposed = proposed_exclusions(report)
    if proposed and len(lex.languages) > 1:
        raise FramingError(f"lexicon '{lex.name}' has terms in several languages ({', '.join(lex.languages)}): add the "
                           "exclusions the report proposes (its exclude column) under the language they were found in, "
                           "[categories.NAME.exclude] de = [...]; --fix would not know which")
    unknown = sorted(set(proposed) - set(lex.category_names))
    if unknown:
        raise FramingError(f"the report names categories the lexicon '{lex.name}' does not have: {', '.join(unknown)}")
    categories = []
    for cat in lex.categories:
        have = {t.pattern.lower() for t in cat.exclude}
        extra = tuple(parse_term(w, where=f"exclusion for {cat.name}") for w in dict.fromkeys(proposed.get(cat.name, []))
                      if w.lower() not in have)
        categories.append(Category(cat.name, cat.description, cat.terms, cat.exclude + extra, cat.translations))
    meta = {**lex.meta, "version": f"{lex.meta.get('version', '') or '0'}+validated", "validation": VALIDATED}
    return Lexicon(lex.name, meta, tuple(categories), lex.path, lex.rules)
