"""The lexicon model and its term grammar: categories of terms, with their provenance.

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
* ``[meta] stem = "snowball"`` matches each word of a term that has no ``*`` by its Snowball
  stem in the document's language (``Wahl`` finds ``Wahlen``), off by default and part of the
  lexicon's id; ``*`` words and case-sensitive entries are matched as written.
* ``[meta] overlap`` chooses that policy (it is part of the lexicon's id):

  - ``"category"`` (the default): as above, each category on its own, the longest
    match first ("sham elections" counts once in ``vote``, not also "elections");
  - ``"none"``: of those, the leftmost-longest matches that share no token across
    categories, so a token counts at most once in the whole lexicon (a tie in length
    goes to the category listed first): shares of categories that add up to the
    matched words;
  - ``"all"``: every span a term matches, nested and overlapping ones too ("sham
    elections" and "elections" both count), once per span and category, except spans
    inside a match of one of the category's exclusions.

The readers (TOML, LIWC ``.dic``, two-column CSV, YAML; bundled lexicons by name) are in
:mod:`framing.lexicon.read`, the matcher in :mod:`framing.lexicon.match`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import pandas as pd

from framing.documents.tokens import WORD_TOKENIZER, is_word_token, normalize_token
from framing.errors import FramingError

META_FIELDS = ("name", "version", "description", "source", "licence", "language")
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
    """A named list of terms, with an optional list of exclusions: those of the lexicon's own
    language (``[meta] language``), and in ``translations`` those of other languages, each
    ``(code, terms, exclude)`` (:meth:`Lexicon.in_language`)."""

    name: str
    description: str
    terms: tuple[Term, ...]
    exclude: tuple[Term, ...] = ()
    translations: tuple[tuple[str, tuple[Term, ...], tuple[Term, ...]], ...] = ()

    def in_language(self, code: str) -> "Category":
        """This category with the terms and exclusions of language ``code`` (none if it has none there)."""
        for language, terms, exclude in self.translations:
            if language == code:
                return Category(self.name, self.description, terms, exclude)
        return Category(self.name, self.description, (), ())


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
        def written(terms):
            return [(t.pattern, t.case_sensitive) for t in terms]

        content = [
            (c.name, written(c.terms), written(c.exclude),
             *([[(code, written(t), written(e)) for code, t, e in c.translations]] if c.translations else []))
            for c in self.categories
        ]
        decides = [self.meta.get("family", "lexicon"), self.meta.get("hyphenated", True)]
        if self.meta.get("overlap", "category") != "category":  # the default leaves every earlier id as it was
            decides.append(self.meta["overlap"])
        if self.meta.get("stem"):  # stemming off (the default) leaves every earlier id as it was
            decides.append(["stem", self.meta["stem"]])
        blob = json.dumps([content, self.rules, decides], sort_keys=True, default=str)
        digest = hashlib.sha256(blob.encode("utf-8")).hexdigest()[:10]
        return f"{self.name}@{self.meta.get('version', '') or 'unversioned'}#{digest}"

    @property
    def language(self) -> str:
        """The lexicon's own language (``[meta] language``): that of its plain ``terms`` lists; ``""``: not declared."""
        return str(self.meta.get("language", "") or "").strip().lower()

    @cached_property
    def languages(self) -> list[str]:
        """The languages with terms, its own first (``[]``: no language declared, the terms are read in any)."""
        own = [self.language] if self.language and any(c.terms for c in self.categories) else []
        others = sorted({code for c in self.categories for code, _, _ in c.translations} - set(own))
        return own + others

    def in_language(self, code: str | None) -> "Lexicon":
        """The lexicon as it reads a document in language ``code``: each category with its
        terms in that language (none where it has none: see :meth:`coverage`). ``None`` (a
        document of unknown language) and a lexicon with no declared language read with
        the lexicon's own terms.

        Examples
        --------
        >>> from framing.lexicon.read import lexicon_from_toml
        >>> lex = lexicon_from_toml('''[meta]
        ... name = "x"
        ... language = "en"
        ... [categories.vote.terms]
        ... en = ["election*"]
        ... de = ["wahl*"]
        ... ''')
        >>> [t.pattern for t in lex.in_language("de").categories[0].terms], lex.languages
        (['wahl*'], ['en', 'de'])
        """
        if code is None or not self.languages or code == self.language:
            return self
        categories = tuple(c.in_language(code) for c in self.categories)
        return Lexicon(self.name, {**self.meta, "language": code}, categories, self.path, self.rules)

    def covers(self, code: str | None) -> list[str]:
        """The categories with at least one term in language ``code`` (all of them for ``None``
        or a lexicon with no declared language)."""
        return [c.name for c in self.in_language(code).categories if c.terms]

    def coverage(self) -> pd.DataFrame:
        """Terms per category and language: one row per category, one column per language
        (:attr:`languages`); a 0 is a category that language's documents are not counted in."""
        languages = self.languages or ["any"]
        rows = [[len(self.in_language(None if code == "any" else code).category(c.name).terms) for code in languages]
                for c in self.categories]
        return pd.DataFrame(rows, index=pd.Index(self.category_names, name="category"), columns=languages)

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




def hyphenated(lexicon: Lexicon) -> bool:
    """Do the multiword terms of ``lexicon`` also match their hyphenated form? ``[meta] hyphenated``, default true."""
    value = lexicon.meta.get("hyphenated", True)
    if not isinstance(value, bool):
        raise FramingError(f"{lexicon.path}: [meta] hyphenated must be true or false, got {value!r}")
    return value


STEMMERS = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek", "en": "english", "es": "spanish",
    "fa": "persian", "fi": "finnish", "fr": "french", "hu": "hungarian", "id": "indonesian", "it": "italian",
    "nl": "dutch", "no": "norwegian", "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sv": "swedish", "tr": "turkish",
}
"""The Snowball stemmers (the ``snowballstemmer`` package; Porter 2001) of ``[meta] stem = "snowball"``, by language code."""


def stemming(lexicon: "Lexicon") -> str | None:
    """``[meta] stem``: ``"snowball"`` (each word of a term without ``*`` matches the tokens with its
    Snowball stem in the document's language: ``election`` finds ``elections`` and ``elected``),
    or ``None`` (off, the default). Part of the lexicon's id.

    Examples
    --------
    >>> from framing.lexicon.read import lexicon_from_toml
    >>> stemming(lexicon_from_toml('[meta]\\nname = "x"\\nlanguage = "de"\\nstem = "snowball"\\n[categories.a]\\nterms = ["Wahl"]'))
    'snowball'
    """
    value = lexicon.meta.get("stem") or None
    if value is None:
        return None
    where = f"{lexicon.path or lexicon.name}: [meta] stem"
    if value != "snowball":
        raise FramingError(f"{where} must be \"snowball\" (or left out: no stemming), got {value!r}")
    if not lexicon.language:
        raise FramingError(f"{where} needs the lexicon's language: language = \"en\" (or de, es, fa...) in [meta]")
    for code in lexicon.languages or [lexicon.language]:
        if code not in STEMMERS:
            raise FramingError(f"{where}: Snowball has no stemmer for '{code}'; it has: {', '.join(sorted(STEMMERS))}")
    return value


OVERLAPS = ("category", "none", "all")
"""The overlap policies of ``[meta] overlap`` (the module docstring says what each keeps)."""


def check_overlap(value, where: str = "overlap") -> str:
    """``value`` if it names an overlap policy, else a one-line error naming them."""
    if value not in OVERLAPS:
        raise FramingError(f"{where} must be one of {', '.join(repr(o) for o in OVERLAPS)}, got {value!r}")
    return value


def overlap_policy(lexicon: Lexicon) -> str:
    """Which overlapping matches count: ``[meta] overlap``, default ``"category"``."""
    return check_overlap(lexicon.meta.get("overlap", "category"), f"{lexicon.path or lexicon.name}: [meta] overlap")


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
