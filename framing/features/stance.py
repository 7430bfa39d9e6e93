"""Stance markers: hedges, boosters, attitude, self-mention, reader, directives, attribution,
questions and scare quotes, each in the author's or a quoted voice.

The words are the bundled ``stance`` lexicon (``framing/lexicons/stance.toml``). The
context rules that words alone cannot express are named in its ``[rules]`` table, with
their parameters, and implemented here:

* ``not_month``: "May" the month (or a name) is not a hedge;
* ``clause_initial``: directives count only at the start of a clause (but for a few
  such as "you must");
* ``scare_quote``: a short quotation that is the author's own distancing, not a
  quotation attributed to someone in its clause (:class:`ScareQuoteRule`);
* ``question``: a sentence with a question mark, in the voice of whoever asks it.

Voice: a marker inside a direct quotation belongs to the quoted speaker
(``voice = "quoted"``), elsewhere to the outlet (``"author"``). Rates use the words of
that voice as denominator: ``n_tokens`` of an author row counts the document's word
tokens outside quotations. ``quoted_share`` (voice ``all``) counts the word tokens
inside quotations, over all word tokens; each such word is one row of
:func:`stance_matches` (pattern ``rule:quoted``), so that figure too can be traced word
by word. A scare-quoted word is inside quotation marks, so it counts as quoted there,
while the scare quote itself is the author's device.
"""

from __future__ import annotations

import re
from dataclasses import MISSING, dataclass, fields

import numpy as np
import pandas as pd

from framing.documents.corpus import Corpus
from framing.documents.tokens import CLOSING_MARKS, TokenizedText, spans_enclose
from framing.errors import FramingError
from framing.features.family import Family, Found
from framing.features.voice import quoted_words, voice_of
from framing.lexicon.match import Matcher
from framing.lexicon.model import Lexicon
from framing.tables import ALL, VOICES

QUOTED_SHARE = "quoted_share"


@dataclass(frozen=True)
class MonthRule:
    """``not_month``: a one-word match of ``terms`` in ``category`` is the month (or a name), not the modal."""

    category: str
    terms: frozenset
    before: frozenset
    after: frozenset


@dataclass(frozen=True)
class ClauseRule:
    """``clause_initial``: matches in ``category`` count only at the start of a clause, but for ``anywhere``."""

    category: str
    fronting: frozenset
    softeners: frozenset
    anywhere: frozenset


@dataclass(frozen=True)
class ScareQuoteRule:
    """``scare_quote``: a closed quotation of 1 to ``max_words`` words that is the author's own
    distancing, not a quotation attributed to someone, counted in ``category``.

    A quotation is attributed, and so no scare quote, when it is introduced as speech (a
    colon or comma before it), when one of ``speech_words`` (reporting verbs and nouns in
    all their forms: warns, accused, called, described, hails, urges, vows, according...)
    stands before it in the same clause, at most ``window`` words back (``warns of
    'prolonged'``, ``accuse Carlos Ghosn of 'cowardly act'``, ``described the protests as
    "riots"``), or when the attribution follows it: a colon or comma after it and a
    speech word within ``window`` words (``'Cowardly act': Nissan condemns attack``,
    ``'Unacceptable', says EU chief``), or a short last clause of the sentence that holds
    one (``..., the NCRI said.``). One of ``distancing_words`` right before the quotation
    (``so-called 'elections'``) makes it the author's in any case."""

    category: str
    max_words: int
    speech_words: frozenset
    skip_names: bool
    window: int = 8
    distancing_words: frozenset = frozenset()


@dataclass(frozen=True)
class QuestionRule:
    """``question``: a sentence with a question mark (and a word), counted in ``category`` per voice that asks."""

    category: str


RULES = {"not_month": MonthRule, "clause_initial": ClauseRule, "scare_quote": ScareQuoteRule, "question": QuestionRule}


@dataclass(frozen=True)
class StanceRules:
    """The context rules of a stance lexicon, read from its ``[rules]`` table, the one place
    their parameters live. A rule the table does not name is not applied."""

    not_month: MonthRule | None = None
    clause_initial: ClauseRule | None = None
    scare_quote: ScareQuoteRule | None = None
    question: QuestionRule | None = None

    @classmethod
    def from_lexicon(cls, lexicon: Lexicon) -> "StanceRules":
        unknown = sorted(set(lexicon.rules) - set(RULES))
        if unknown:
            raise FramingError(f"{lexicon.path}: unknown rule(s) {', '.join(unknown)}; known rules: {', '.join(RULES)}")
        return cls(**{name: _rule(lexicon, name, kind) for name, kind in RULES.items() if name in lexicon.rules})

    def categories(self) -> list[str]:
        """The categories the rules make (scare quotes, questions), in that order."""
        return [r.category for r in (self.question, self.scare_quote) if r is not None]


def _rule(lexicon: Lexicon, name: str, kind):
    spec = lexicon.rules[name]
    where = f"{lexicon.path}: [rules.{name}]"
    values = {}
    for f in fields(kind):
        value = spec.get(f.name)
        if value is None and f.default is not MISSING:
            value = f.default
        if f.type == "frozenset":
            if not isinstance(value or [], list):
                raise FramingError(f"{where}: '{f.name}' must be a list of words, got {value!r}")
            value = frozenset(str(w).lower() for w in value or [])
        elif f.type == "bool":
            value = bool(value)
        elif f.type == "int":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise FramingError(f"{where}: '{f.name}' must be a whole number of at least 1, got {value!r}")
        elif not isinstance(value, str) or not value:
            raise FramingError(f"{where}: '{f.name}' must name a category, got {value!r}")
        values[f.name] = value
    if name in ("not_month", "clause_initial") and values["category"] not in lexicon.category_names:
        raise FramingError(
            f"{where}: category '{values['category']}' is not a category of the lexicon; "
            f"available: {', '.join(lexicon.category_names)}"
        )
    return kind(**values)


# --------------------------------------------------------------------------- one document


def _next_word(doc: TokenizedText, i: int, step: int) -> int | None:
    j = i + step
    while 0 <= j < len(doc):
        if doc.is_word[j]:
            return j
        j += step
    return None


def clause_starts(doc: TokenizedText, rules: ClauseRule | None) -> set[int]:
    """Token indices that start a clause: the first word of each sentence (after bullets
    and opening quotes), the word after a softener ("Please visit"), and the first word
    after the comma that closes a fronted clause ("To see more, visit ...")."""
    starts: set[int] = set()
    sentence_of = doc.token_sentence
    current, first_seen, fronted, after_comma = -1, False, False, False
    for i, (key, is_word) in enumerate(zip(doc.lower, doc.is_word)):
        if sentence_of[i] != current:
            current, first_seen, fronted, after_comma = sentence_of[i], False, False, False
        if not is_word:
            if fronted and key == ",":
                after_comma, fronted = True, False
            continue
        if not first_seen:
            starts.add(i)
            first_seen = True
            fronted = rules is not None and key in rules.fronting
            if rules is not None and key in rules.softeners:
                first_seen = False  # the next word starts the clause too
            continue
        if after_comma:
            starts.add(i)
            after_comma = False
    return starts


def _is_month(doc: TokenizedText, i: int, rule: MonthRule, starts: set[int]) -> bool:
    """Is token ``i`` ("May") the month or a name rather than the modal?"""
    nxt, prv = _next_word(doc, i, 1), _next_word(doc, i, -1)
    if nxt is not None and (doc.words[nxt][0].isdigit() or doc.lower[nxt] in rule.after):
        return True
    if prv is not None and doc.words[prv][0].isdigit():
        return True
    if doc.words[i][0].isupper():
        if prv is not None and doc.lower[prv] in rule.before:
            return True
        return i not in starts  # capitalized mid-clause: the month, or a name (Theresa May)
    return False


CLAUSE_MARKS = frozenset(".;:!?,()[]{}—–")
"""Punctuation that ends a clause, for the attribution of a quotation (one character tokens)."""
SENTENCE_END = frozenset(".!?")
ATTRIBUTION_TAIL = 6
"""Longest last clause of a sentence, in words, that attributes the sentence (``..., the NCRI said.``)."""
SOURCE_TAG = 3
"""Longest source tag after a colon at the end of a text, in words (``...: expert``)."""


def _speech_before(doc: TokenizedText, char: int, rule: ScareQuoteRule) -> bool:
    """Whether the quotation opening at ``char`` is introduced as speech: a colon or comma
    right before it, or a speech word earlier in its clause, at most ``rule.window`` words
    back. Another quotation's closing mark ends the clause too."""
    k = char - 1
    while k >= 0 and doc.text[k].isspace():
        k -= 1
    if k >= 0 and doc.text[k] in ":,":
        return True
    j = int(np.searchsorted(doc.starts, char, side="left")) - 1  # the last token before the quotation
    seen = 0
    while j >= 0 and seen < rule.window:
        if doc.is_word[j]:
            if doc.lower[j] in rule.speech_words:
                return True
            seen += 1
        elif doc.words[j] in CLAUSE_MARKS:
            return False
        j -= 1  # a quotation mark is passed over: "calls it 'demoralizing' and 'disheartening'"
    return False


def _speech_after(doc: TokenizedText, char: int, rule: ScareQuoteRule) -> bool:
    """Whether the quotation closing at ``char`` is attributed after it: a colon or comma
    right after it and a speech word within ``rule.window`` words of the same sentence
    (``'Unacceptable', says EU chief``), or a speech word right after it (``'Nobody warned
    me' says Russian``); or a last clause of the sentence of at most
    :data:`ATTRIBUTION_TAIL` words that holds a speech word (``..., the NCRI said.``)."""
    j = int(np.searchsorted(doc.starts, char, side="left"))  # the first token after the quotation
    n = len(doc)
    if any(doc.is_word[i] and doc.lower[i] in rule.speech_words for i in range(j, min(n, j + 2))):
        return True  # "'Nobody warned me' says Russian..."
    if j < n and doc.words[j] in (":", ","):
        seen, i = 0, j + 1
        while i < n and seen < rule.window and doc.words[i] not in SENTENCE_END:
            if doc.is_word[i]:
                if doc.lower[i] in rule.speech_words:
                    return True
                seen += 1
            i += 1
    end = j
    while end < n and doc.words[end] not in SENTENCE_END:
        end += 1
    cut = max((i for i in range(j, end) if doc.words[i] in (",", ":")), default=None)
    if cut is None:
        return False
    tail = [i for i in range(cut + 1, end) if doc.is_word[i]]
    if doc.words[cut] == ":" and 0 < len(tail) <= SOURCE_TAG and end == n:
        return True  # a headline's source tag: "... 'leverage' on Europe: expert"
    return 0 < len(tail) <= ATTRIBUTION_TAIL and any(doc.lower[i] in rule.speech_words for i in tail)


def _speaker_label(doc: TokenizedText, char: int) -> bool:
    """Whether the quotation at ``char`` follows a headline's speaker label: its sentence opens
    with one to three capitalized words and a colon (``Kremlin: No Ukraine 'Deal' With US``,
    ``Grindel: Germany needs 'fundamental debate'``), so what follows is that speaker's. A
    topic label with a lowercase word (``Syria war: Russian 'friendly fire' kills...``) is none."""
    j = int(np.searchsorted(doc.starts, char, side="left")) - 1
    start = j
    while start >= 0 and doc.words[start] not in SENTENCE_END:
        start -= 1
    colon = next((i for i in range(start + 1, j + 1) if doc.words[i] == ":"), None)
    if colon is None:
        return False
    label = [i for i in range(start + 1, colon)]
    return 1 <= len(label) <= 3 and all(doc.is_word[i] and doc.words[i][:1].isupper() for i in label)


def _distanced(doc: TokenizedText, char: int, rule: ScareQuoteRule) -> bool:
    """Whether one of ``rule.distancing_words`` (``so-called``) stands right before the quotation."""
    j = int(np.searchsorted(doc.starts, char, side="left")) - 1
    return j >= 0 and doc.is_word[j] and doc.lower[j] in rule.distancing_words


def stance_document(doc: TokenizedText, matcher: Matcher, rules: StanceRules) -> list[Found]:
    """Stance matches of one document, in text order, with their voice.

    Also one ``quoted_share`` record (voice ``all``) per word token inside a quotation.
    No state is kept between documents.
    """
    lexicon = matcher.lexicon
    month, clause = rules.not_month, rules.clause_initial
    starts: set[int] | None = None  # found when a match first asks (a third of a document's cost, and most ask nothing)
    out = []
    for m in matcher.find(doc):
        category = lexicon.categories[m.category]
        term = category.terms[m.term]
        if month and category.name == month.category and m.end - m.start == 1 and doc.lower[m.start] in month.terms:
            starts = clause_starts(doc, clause) if starts is None else starts
            if _is_month(doc, m.start, month, starts):
                continue
        if clause and category.name == clause.category and term.pattern.lower() not in clause.anywhere:
            starts = clause_starts(doc, clause) if starts is None else starts
            if m.start not in starts:
                continue
        out.append(Found(category.name, term.pattern, m.start, m.end, int(doc.starts[m.start]), int(doc.ends[m.end - 1]),
                         voice_of(doc, m.start)))
    if rules.scare_quote:
        out.extend(_scare_quotes(doc, rules.scare_quote))
    if rules.question:
        out.extend(_questions(doc, rules.question))
    out.extend(_quoted_words(doc))
    return sorted(out, key=lambda f: (f.start, f.category))


def _quoted_words(doc: TokenizedText) -> list[tuple]:
    starts, ends = doc.starts, doc.ends
    return [
        Found(QUOTED_SHARE, "rule:quoted", i, i + 1, int(starts[i]), int(ends[i]), ALL) for i in quoted_words(doc).tolist()
    ]


def _scare_quotes(doc: TokenizedText, rule: ScareQuoteRule) -> list[Found]:
    """Short quotations not introduced as speech. Each quotation's words are found by
    binary search over the token offsets, so the cost is linear in the quotations."""
    out = []
    quotes = doc.quotes
    if not quotes:
        return out
    words = np.flatnonzero(doc.is_word)
    word_starts, word_ends = doc.starts[words], doc.ends[words]
    opens = np.fromiter((a for a, _ in quotes), np.int64, len(quotes))
    closes = np.fromiter((b for _, b in quotes), np.int64, len(quotes))
    first = np.searchsorted(word_starts, opens, side="right")  # first word starting after the mark
    last = np.searchsorted(word_ends, closes, side="left")  # words ending before the closing mark
    nested = spans_enclose(quotes, opens, closes - 1)  # another quotation opens before and closes at or after
    for q, (a, b) in enumerate(quotes):
        if doc.text[b - 1] not in CLOSING_MARKS:  # an unclosed quotation runs on: not a short set-off phrase
            continue
        inside = words[first[q] : last[q]].tolist()
        if not 1 <= len(inside) <= rule.max_words:
            continue
        if not _distanced(doc, a, rule) and (_speech_before(doc, a, rule) or _speech_after(doc, b, rule)
                                             or _speaker_label(doc, a)):
            continue
        if len(inside) == 1 and len(doc.words[inside[0]]) == 1:  # rock 'n' roll: apostrophes, not a quotation
            continue
        if rule.skip_names and (all(_is_name(doc.words[i]) for i in inside) or _is_title(doc, inside)):
            continue
        out.append(Found(rule.category, "rule:scare_quote", inside[0], inside[-1] + 1, a, b, "quoted" if nested[q] else "author"))
    return out


def _is_title(doc: TokenizedText, inside: list[int]) -> bool:
    """A quotation whose words all begin with a capital, in running text whose nearest word
    outside it (before, else after) does not: the title of a work or a name ('Star Wars'
    composer, a ship called 'Sea Breeze'), set off without distancing. In a headline where
    every word is capitalized this cannot be told, and the quotation is kept."""
    if not all(doc.words[i][:1].isupper() for i in inside):
        return False
    before = next((i for i in range(inside[0] - 1, -1, -1) if doc.is_word[i]), None)
    after = next((i for i in range(inside[-1] + 1, len(doc)) if doc.is_word[i]), None)
    neighbour = before if before is not None else after
    return neighbour is not None and doc.words[neighbour][:1].islower()


def _is_name(token: str) -> bool:
    """A hashtag, @handle, URL or word with a digit in it ("election96"): the name of a
    channel, account or page, which quotation marks set off without distancing."""
    return token[0] in "#@" or token.lower().startswith(("http", "www.")) or any(ch.isdigit() for ch in token)


def _questions(doc: TokenizedText, rule: QuestionRule) -> list[Found]:
    """One record per sentence holding a question mark and a word, and per voice that asks in it.

    Question marks are found once in the text and placed in their sentence and voice by
    binary search, so the cost is linear in the text.
    """
    marks = np.array([m.start() for m in re.finditer(r"\?", doc.text)], dtype=np.int64)
    if not len(marks) or not doc.sentences:
        return []
    sent_starts = np.fromiter((a for a, _ in doc.sentences), np.int64, len(doc.sentences))
    sent_ends = np.fromiter((b for _, b in doc.sentences), np.int64, len(doc.sentences))
    sentence = np.searchsorted(sent_starts, marks, side="right") - 1
    keep = (sentence >= 0) & (marks < sent_ends[np.maximum(sentence, 0)])
    quoted = spans_enclose(doc.quotes, marks, marks)  # some quotation has qa < p < qb
    token_sentence = doc.token_sentence
    out = []
    for s in sorted(set(sentence[keep].tolist())):
        here = keep & (sentence == s)
        voices = sorted({"quoted" if q else "author" for q in quoted[here].tolist()})
        lo, hi = np.searchsorted(token_sentence, [s, s + 1])
        if not doc.is_word[lo:hi].any():  # "?!" alone asks nothing
            continue
        first, last = int(lo), int(hi)
        a, b = doc.sentences[s]
        out.extend(Found(rule.category, "rule:question", first, last, a, b, v) for v in voices)
    return out


# --------------------------------------------------------------------------- the family


class StanceFamily(Family):
    """Stance markers by voice: the lexicon's words with its context rules, the rule-made
    categories (questions, scare quotes), and ``quoted_share`` (voice ``all``)."""

    name = "stance"
    default_lexicon = "stance"
    voices = VOICES
    unsourced = ("no validated list of stance markers in that language is bundled, and the rules (hedges, boosters, "
                 "attribution) are written for English; give a stance lexicon with terms in that language to count it")

    def __init__(self, lexicon: "str | Lexicon | None" = None):
        super().__init__(lexicon)
        self.matcher = Matcher(self.lexicon)
        self.rules = StanceRules.from_lexicon(self.lexicon)

    def categories(self) -> list[str]:
        """The lexicon's categories, then those the rules make (``question``, ``scare_quote``)."""
        return self.lexicon.category_names + self.rules.categories()

    def cells(self) -> list[tuple[str, str]]:
        return super().cells() + [(QUOTED_SHARE, ALL)]

    def find(self, doc: TokenizedText) -> list[Found]:
        return stance_document(doc, self.matcher, self.rules)


def stance_features(corpus: Corpus, lexicon="stance") -> pd.DataFrame:
    """Per-document counts and rates of each stance category in each voice, tidy.

    Returns the shared feature shape with a ``voice`` column (``author``/``quoted``),
    rates per 1,000 word tokens of that voice, plus one ``quoted_share`` row per
    document (voice ``all``: quoted word tokens per 1,000 word tokens). Each count
    equals the number of rows :func:`framing.explain` returns for it.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.documents.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ['It may well be a "sham". We said: "We will win."']}))
    >>> # 11 words; 4 inside quotation marks ("sham", "We will win"), so 7 in the author's voice
    >>> t = stance_features(corpus).set_index(["category", "voice"])
    >>> t.loc[[("hedge", "author"), ("self_mention", "author"), ("self_mention", "quoted"), ("scare_quote", "author")],
    ...       ["count", "n_tokens"]].values.tolist()
    [[1, 7], [1, 7], [1, 4], [1, 7]]
    """
    return StanceFamily(lexicon).table(corpus)
