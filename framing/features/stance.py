"""Stance markers: hedges, boosters, attitude, self-mention, reader, directives, attribution,
questions and scare quotes, each in the author's or a quoted voice.

The words are the bundled ``stance`` lexicon (``framing/lexicons/stance.toml``). The
context rules that words alone cannot express are named in its ``[rules]`` table, with
their parameters, and implemented here:

* ``not_month``: "May" the month (or a name) is not a hedge;
* ``clause_initial``: directives count only at the start of a clause (but for a few
  such as "you must");
* ``scare_quote``: a short quotation not introduced as speech;
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
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framing.corpus import Corpus
from framing.errors import FramingError
from framing.features.table import MATCH_COLUMNS, feature_table, quoted_words, voice_tokens
from framing.lexicon import Lexicon, Matcher, load_lexicon
from framing.tokens import CLOSING_MARKS, TokenizedText, spans_enclose

VOICES = ["author", "quoted"]
RULE_CATEGORIES = ["question", "scare_quote"]
QUOTED_SHARE = "quoted_share"
KNOWN_RULES = ("not_month", "clause_initial", "scare_quote", "question")
STANCE_MATCH_COLUMNS = MATCH_COLUMNS + ["voice"]


@dataclass(frozen=True)
class StanceRules:
    """The parameters of the context rules, read from a stance lexicon's ``[rules]`` table."""

    month_category: str = "hedge"
    month_terms: frozenset = frozenset({"may"})
    month_before: frozenset = frozenset()
    month_after: frozenset = frozenset({"day"})
    directive_category: str = "directive"
    fronting: frozenset = frozenset({"to", "if"})
    softeners: frozenset = frozenset({"please"})
    anywhere: frozenset = frozenset()
    scare_max_words: int = 3
    speech_words: frozenset = frozenset({"said", "says", "wrote"})
    scare_skip_names: bool = True

    @classmethod
    def from_lexicon(cls, lexicon: Lexicon) -> "StanceRules":
        rules = lexicon.rules
        unknown = sorted(set(rules) - set(KNOWN_RULES))
        if unknown:
            raise FramingError(f"{lexicon.path}: unknown rule(s) {', '.join(unknown)}; known rules: {', '.join(KNOWN_RULES)}")
        words = lambda rule, key, default: frozenset(w.lower() for w in rules.get(rule, {}).get(key, default))  # noqa: E731
        month = rules.get("not_month", {})
        directive = rules.get("clause_initial", {})
        scare = rules.get("scare_quote", {})
        return cls(
            month_category=month.get("category", "hedge"),
            month_terms=words("not_month", "terms", ["may"]),
            month_before=words("not_month", "before", []),
            month_after=words("not_month", "after", ["day"]),
            directive_category=directive.get("category", "directive"),
            fronting=words("clause_initial", "fronting", ["to", "if"]),
            softeners=words("clause_initial", "softeners", ["please"]),
            anywhere=words("clause_initial", "anywhere", []),
            scare_max_words=int(scare.get("max_words", 3)),
            speech_words=words("scare_quote", "speech_words", ["said", "says", "wrote"]),
            scare_skip_names=bool(scare.get("skip_names", True)),
        )


def stance_categories(lexicon: Lexicon) -> list[str]:
    """The stance categories: the lexicon's, then the rule-based ``question`` and ``scare_quote``."""
    return lexicon.category_names + RULE_CATEGORIES


def explainable_categories(lexicon: Lexicon) -> list[str]:
    """The categories :func:`stance_matches` returns rows for: the stance categories and ``quoted_share``."""
    return stance_categories(lexicon) + [QUOTED_SHARE]


# --------------------------------------------------------------------------- one document


def _next_word(doc: TokenizedText, i: int, step: int) -> int | None:
    j = i + step
    while 0 <= j < len(doc):
        if doc.is_word[j]:
            return j
        j += step
    return None


def clause_starts(doc: TokenizedText, rules: StanceRules) -> set[int]:
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
            fronted = key in rules.fronting
            if key in rules.softeners:
                first_seen = False  # the next word starts the clause too
            continue
        if after_comma:
            starts.add(i)
            after_comma = False
    return starts


def _is_month(doc: TokenizedText, i: int, rules: StanceRules, starts: set[int]) -> bool:
    """Is token ``i`` ("May") the month or a name rather than the modal?"""
    nxt, prv = _next_word(doc, i, 1), _next_word(doc, i, -1)
    if nxt is not None and (doc.words[nxt][0].isdigit() or doc.lower[nxt] in rules.month_after):
        return True
    if prv is not None and doc.words[prv][0].isdigit():
        return True
    if doc.words[i][0].isupper():
        if prv is not None and doc.lower[prv] in rules.month_before:
            return True
        return i not in starts  # capitalized mid-clause: the month, or a name (Theresa May)
    return False


def _speech_before(doc: TokenizedText, char: int, rules: StanceRules) -> bool:
    k = char - 1
    while k >= 0 and doc.text[k].isspace():
        k -= 1
    if k >= 0 and doc.text[k] in ":,":
        return True
    j = int(np.searchsorted(doc.starts, char, side="left")) - 1  # the last token before the quotation
    seen = 0
    while j >= 0 and seen < 3:
        if doc.is_word[j]:
            if doc.lower[j] in rules.speech_words:
                return True
            seen += 1
        j -= 1
    return False


def stance_document(doc: TokenizedText, matcher: Matcher, rules: StanceRules) -> list[tuple]:
    """Stance matches of one document: (category, pattern, token_start, token_end, start, end, voice).

    Also one ``quoted_share`` record (voice ``all``) per word token inside a quotation.
    No state is kept between documents.
    """
    lexicon = matcher.lexicon
    starts = clause_starts(doc, rules)
    in_quote = doc.in_quote
    out = []
    for m in matcher.find(doc):
        category = lexicon.categories[m.category]
        term = category.terms[m.term]
        if category.name == rules.month_category and m.end - m.start == 1 and doc.lower[m.start] in rules.month_terms:
            if _is_month(doc, m.start, rules, starts):
                continue
        if category.name == rules.directive_category and m.start not in starts and term.pattern.lower() not in rules.anywhere:
            continue
        voice = "quoted" if in_quote[m.start] else "author"
        out.append((category.name, term.pattern, m.start, m.end, int(doc.starts[m.start]), int(doc.ends[m.end - 1]), voice))
    out.extend(_scare_quotes(doc, rules))
    out.extend(_questions(doc))
    out.extend(_quoted_words(doc))
    return sorted(out, key=lambda r: (r[4], r[0]))


def _quoted_words(doc: TokenizedText) -> list[tuple]:
    starts, ends = doc.starts, doc.ends
    return [
        (QUOTED_SHARE, "rule:quoted", i, i + 1, int(starts[i]), int(ends[i]), "all") for i in quoted_words(doc).tolist()
    ]


def _scare_quotes(doc: TokenizedText, rules: StanceRules) -> list[tuple]:
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
        if not 1 <= len(inside) <= rules.scare_max_words or _speech_before(doc, a, rules):
            continue
        if rules.scare_skip_names and all(_is_name(doc.words[i]) for i in inside):
            continue
        out.append(("scare_quote", "rule:scare_quote", inside[0], inside[-1] + 1, a, b, "quoted" if nested[q] else "author"))
    return out


def _is_name(token: str) -> bool:
    """A hashtag, @handle, URL or word with a digit in it ("election96"): the name of a
    channel, account or page, which quotation marks set off without distancing."""
    return token[0] in "#@" or token.lower().startswith(("http", "www.")) or any(ch.isdigit() for ch in token)


def _questions(doc: TokenizedText) -> list[tuple]:
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
        out.extend(("question", "rule:question", first, last, a, b, v) for v in voices)
    return out


# --------------------------------------------------------------------------- corpus level


def _stance_setup(lexicon) -> tuple[Lexicon, Matcher, StanceRules]:
    lex = load_lexicon(lexicon)
    return lex, Matcher(lex), StanceRules.from_lexicon(lex)


def stance_matches(corpus: Corpus, lexicon="stance", *, doc_id: str | None = None, category: str | None = None) -> pd.DataFrame:
    """Every stance marker, with its voice: the match records behind :func:`stance_features`.

    Columns: those of :func:`framing.explain` plus ``voice``. Rule-based categories have
    the pattern ``rule:question`` or ``rule:scare_quote``; each quoted word behind
    ``quoted_share`` has ``rule:quoted`` and voice ``all``.
    """
    lex, matcher, rules = _stance_setup(lexicon)
    if category is not None and category not in explainable_categories(lex):
        raise FramingError(f"stance has no category '{category}'; available: {', '.join(explainable_categories(lex))}")
    docs = corpus.select([doc_id]) if doc_id is not None else corpus
    rows = []
    for d, doc in docs.tokens.items():
        for cat, pattern, t0, t1, start, end, voice in stance_document(doc, matcher, rules):
            if category is None or cat == category:
                rows.append((d, lex.name, cat, pattern, doc.text[start:end], start, end, t0, t1, doc.sentence_of(t0) if len(doc) else "", voice))
    return pd.DataFrame(rows, columns=STANCE_MATCH_COLUMNS)


def stance_features(corpus: Corpus, lexicon="stance") -> pd.DataFrame:
    """Per-document counts and rates of each stance category in each voice, tidy.

    Returns the shared feature shape with a ``voice`` column (``author``/``quoted``),
    rates per 1,000 word tokens of that voice, plus one ``quoted_share`` row per
    document (voice ``all``: quoted word tokens per 1,000 word tokens). Each count
    equals the number of rows :func:`stance_matches` returns for it.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ['It may well be a "sham". We said: "We will win."']}))
    >>> # 11 words; 4 inside quotation marks ("sham", "We will win"), so 7 in the author's voice
    >>> t = stance_features(corpus).set_index(["category", "voice"])
    >>> t.loc[[("hedge", "author"), ("self_mention", "author"), ("self_mention", "quoted"), ("scare_quote", "author")],
    ...       ["count", "n_tokens"]].values.tolist()
    [[1, 7], [1, 7], [1, 4], [1, 7]]
    """
    lex, matcher, rules = _stance_setup(lexicon)
    counts: Counter = Counter()
    denominators = []
    for d, doc in corpus.tokens.items():
        for cat, *_rest, voice in stance_document(doc, matcher, rules):
            counts[(d, cat, voice)] += 1
        n = voice_tokens(doc)
        denominators.extend((d, v, n[v]) for v in ("author", "quoted", "all"))
    frame = pd.DataFrame([(d, c, v, n) for (d, c, v), n in counts.items()], columns=["doc_id", "category", "voice", "count"])
    denom = pd.DataFrame(denominators, columns=["doc_id", "voice", "n_tokens"])
    table = feature_table(
        corpus, frame[frame.voice != "all"], family="stance", lexicon=lex.name, categories=stance_categories(lex),
        voices=VOICES, denominators=denom,
    )
    share = feature_table(
        corpus, frame[frame.voice == "all"], family="stance", lexicon=lex.name, categories=[QUOTED_SHARE],
        voices=["all"], denominators=denom,
    )
    return pd.concat([table, share], ignore_index=True).round({"per_1k": 2})
