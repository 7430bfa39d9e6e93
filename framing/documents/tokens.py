"""The one tokenizer of framing: word tokens, sentences and quotations, with offsets.

Every feature family reads the :class:`TokenizedText` made here, so a count can
always be traced back to character offsets in ``clean_text``.

Word tokens (an NLTK :class:`~nltk.tokenize.RegexpTokenizer`, no data needed):

* URLs, e-mail addresses, ``@handles`` and ``#hashtags`` are single tokens;
* numbers keep their separators and ordinal suffixes (``30,000``, ``19th``, ``1980s``);
* hyphenated words stay whole (``so-called``, ``velayat-e``, ``IRGC-linked``);
* clitics are split as in the Penn Treebank (``regime's`` -> ``regime`` ``'s``;
  ``don't`` -> ``do`` ``n't``; ``we'll`` -> ``we`` ``'ll``), with straight or curly
  apostrophes, so a lexicon term ``regime`` also finds the possessive;
* dotted initialisms stay whole (``U.S.``); other punctuation is one token per mark.

Case is kept: :attr:`TokenizedText.lower` gives the lowercased view used for
case-insensitive matching, so lowercasing is a matching option, not a destructive step.

Sentences: each line is split with NLTK's Punkt algorithm using the abbreviation
list in ``framing/data/abbreviations.txt`` (no ``nltk.download``). Lines are split
first because scraped news puts headlines and captions on lines of their own,
without final punctuation.

Quotations: :func:`quote_spans` pairs straight and curly double quotes, and single
quotes that open after a space and close before a non-letter (so apostrophes in
``We'll`` or ``users'`` are not taken for quotes).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from importlib.resources import files
from itertools import chain, compress

import numpy as np

from framing.errors import FramingError

TOKEN_PATTERN = r"""
    (?:https?://|www\.)[^\s<>"“”‘’]*[^\s<>"“”‘’.,;:!?)\]']     # URL
  | [@\#]\w+                                                   # @handle, #hashtag
  | (?:[^\W\d_]\.){2,}                                         # initialisms: U.S.
  | \d+(?:[.,:/]\d+)*(?:st|nd|rd|th|s)?(?!\w)                  # 30,000  19th  1980s
  | \w+(?:[-‐‑]\w+)*(?:['’]\w+(?:[-‐‑]\w+)*)*                  # words, so-called, O'Brien, don't
  | ['’](?i:s|re|ve|ll|d|m)\b                                  # a clitic after a number: 1980's
  | \.\.\.                                                     # ellipsis
  | [^\w\s]                                                    # any other mark
"""
_TOKEN_RE = re.compile(TOKEN_PATTERN, re.VERBOSE)
# Treebank clitics split off a word token: regime's -> regime 's, don't -> do n't, we'll -> we 'll
_CLITIC_RE = re.compile(r"^(.+?)((?i:n['’]t)|['’](?i:s|re|ve|ll|d|m))$")


CLITIC_LANGUAGES = frozenset({"en"})
"""Languages whose clitics are split off (``regime's`` -> ``regime`` ``'s``): English only. In
Dutch ``auto's`` is a plural, in French ``l'homme`` an article and a noun, so a document in
another language keeps its apostrophe words whole. A document of unknown language (no
``language`` column) is tokenized as English, as framing always did."""


def splits_clitics(language: str | None) -> bool:
    """Are clitics split off in a document of ``language`` (``None``: unknown, read as English)?"""
    return language is None or language in CLITIC_LANGUAGES


def _split_clitic(token: str) -> list[str]:
    m = _CLITIC_RE.match(token)
    return [m.group(1), m.group(2)] if m else [token]


def _tokens_of_chunk(chunk: str, out: list[str], clitics: bool = True) -> None:
    for token in _TOKEN_RE.findall(chunk):
        if clitics and ("'" in token or "’" in token):
            out.extend(_split_clitic(token))
        else:
            out.append(token)


ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
"""Zero-width space, non-joiner and joiner, word joiner, zero-width no-break space and
soft hyphen: invisible characters that scraped text carries inside words. They never
split a word or make a token of their own; a token keeps them in its surface form (so
offsets stay exact) and drops them from its matching key (:func:`normalize_token`)."""
_ZERO_WIDTH_RE = re.compile(f"[{ZERO_WIDTH}]")


def _has_marks(text: str) -> bool:
    """Whether ``text`` holds a combining mark (Unicode category M: a decomposed accent, an
    Arabic or Hebrew vowel sign)."""
    return not text.isascii() and any(unicodedata.category(ch)[0] == "M" for ch in text)


def _through_marks(text: str, tokenizer) -> list[str]:
    """Tokenize ``text`` as if its combining marks were not there, and return each token as
    it stands in ``text`` with the marks that follow its letters: ``café`` written with a
    combining accent, or Arabic with its harakat, is one word, as it is when precomposed or
    written without them. A mark with no word before it belongs to no token."""
    keep = [i for i, ch in enumerate(text) if unicodedata.category(ch)[0] != "M"]
    plain = "".join(text[i] for i in keep)
    out, pos = [], 0
    for token in tokenizer(plain):
        pos = plain.find(token, pos)
        start, end = keep[pos], keep[pos + len(token) - 1] + 1
        while end < len(text) and unicodedata.category(text[end])[0] == "M" and _is_word(token):
            end += 1
        out.append(text[start:end])
        pos += len(token)
    return out


def reference_tokens(text: str, clitics: bool = True) -> list[str]:
    """The token pattern applied to the whole text, clitics split (unless ``clitics`` is
    false, :func:`splits_clitics`): the definition of a token.

    Zero-width characters and combining marks are read through (:data:`ZERO_WIDTH`,
    :func:`_through_marks`). :func:`word_tokens` gives the same result faster; a property
    test holds them equal.
    """
    if _has_marks(text):
        return _through_marks(text, lambda t: reference_tokens(t, clitics))
    if _ZERO_WIDTH_RE.search(text):
        return _through_zero_width(text, lambda t: reference_tokens(t, clitics))
    out: list[str] = []
    _tokens_of_chunk(text, out, clitics)
    return out


def _through_zero_width(text: str, tokenizer) -> list[str]:
    """Tokenize ``text`` as if its zero-width characters were not there, and return each
    token as it stands in ``text`` (zero-width characters inside it kept)."""
    keep = [i for i, ch in enumerate(text) if ch not in ZERO_WIDTH]
    plain = "".join(text[i] for i in keep)
    out, pos = [], 0
    for token in tokenizer(plain):
        pos = plain.find(token, pos)
        out.append(text[keep[pos] : keep[pos + len(token) - 1] + 1])
        pos += len(token)
    return out


_NOT_SPLIT_OFF = frozenset("_#@'’")


def _chunk_tokens(chunk: str, clitics: bool = True) -> tuple[str, ...]:
    """The tokens of one whitespace-free chunk: plain words, and words with one mark
    before or after (``elections,`` ``“No``), are split directly; other chunks go
    through the token pattern."""
    if chunk.isalnum():
        return (chunk,)
    if not chunk:
        return ()
    if _has_marks(chunk):
        return tuple(_through_marks(chunk, lambda c: _chunk_tokens(c, clitics)))
    if _ZERO_WIDTH_RE.search(chunk):
        return tuple(_through_zero_width(chunk, lambda c: _chunk_tokens(c, clitics)))
    last = chunk[-1]
    if chunk[:-1].isalnum() and not last.isalnum() and last not in _NOT_SPLIT_OFF:
        return (chunk[:-1], last)
    first = chunk[0]
    if chunk[1:].isalnum() and not first.isalnum() and first not in _NOT_SPLIT_OFF:
        return (first, chunk[1:])
    out: list[str] = []
    _tokens_of_chunk(chunk, out, clitics)
    return tuple(out)


class BoundedMemo(dict):
    """``key -> function(key)``, filled on first sight and emptied when it holds ``max_size``
    keys, so memory stays bounded however large the corpus: a dictionary look-up per token
    or chunk instead of a Python call.

    It only remembers a pure function, so it changes no result: documents are still
    tokenized independently, in any process.

    Examples
    --------
    >>> lengths = BoundedMemo(len, max_size=2)
    >>> [lengths[w] for w in ("a", "bb", "a", "ccc")], len(lengths)
    ([1, 2, 1, 3], 1)
    """

    def __init__(self, function, max_size: int):
        super().__init__()
        self.function = function
        self.max_size = max_size

    def __missing__(self, key):
        if len(self) >= self.max_size:
            self.clear()
        value = self[key] = self.function(key)
        return value


# whitespace chunk -> its tokens (news text repeats its chunks), clitics split or not
_CHUNKS = BoundedMemo(_chunk_tokens, max_size=200_000)
_WHOLE_CHUNKS = BoundedMemo(partial(_chunk_tokens, clitics=False), max_size=200_000)


def word_tokens(text: str, language: str | None = None) -> tuple[str, ...]:
    """The word tokens of ``text`` (see the module docstring for the rules); clitics are
    split in English and in text of unknown ``language`` only (:func:`splits_clitics`).

    Tokens never contain whitespace, so the text is split on whitespace and each
    chunk is tokenized on its own (and remembered: news text repeats its chunks).
    The result equals :func:`reference_tokens`, only faster.

    Examples
    --------
    >>> word_tokens("The regime’s so-called vote, May 19th: #Shamelections!")
    ('The', 'regime', '’s', 'so-called', 'vote', ',', 'May', '19th', ':', '#Shamelections', '!')
    >>> word_tokens("De auto's van de partij.", "nl")
    ('De', "auto's", 'van', 'de', 'partij', '.')
    """
    memo = _CHUNKS if splits_clitics(language) else _WHOLE_CHUNKS
    return tuple(chain.from_iterable(map(memo.__getitem__, text.split())))


def token_offsets(text: str, words) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets of ``words`` (as returned by :func:`word_tokens`) in ``text``."""
    starts = np.empty(len(words), dtype=np.int64)
    pos = 0
    find = text.find
    for i, w in enumerate(words):
        pos = find(w, pos)
        starts[i] = pos
        pos += len(w)
    return starts, starts + np.fromiter(map(len, words), np.int64, len(words))


class WordTokenizer:
    """framing's word tokenizer with the methods of NLTK's :class:`~nltk.tokenize.api.TokenizerI`
    (not a subclass: importing NLTK costs a second, and counting words needs none of it)."""

    def tokenize(self, s: str) -> list[str]:
        return list(word_tokens(s))

    def span_tokenize(self, s: str):
        words = word_tokens(s)
        starts, ends = token_offsets(s, words)
        yield from zip(starts.tolist(), ends.tolist())

    def tokenize_sents(self, strings: list[str]) -> list[list[str]]:
        return [self.tokenize(s) for s in strings]

    def span_tokenize_sents(self, strings: list[str]):
        for s in strings:
            yield list(self.span_tokenize(s))


WORD_TOKENIZER = WordTokenizer()
_LINE_RE = re.compile(r"[^\n]+")


_FOLD = str.maketrans({"’": "'", "‘": "'", "‐": "-", "‑": "-", **dict.fromkeys(ZERO_WIDTH)})


_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]")
"""Arabic harakat (short vowels, shadda, sukun...), Quranic marks and the tatweel (kashida):
left out of the matching key, as writers add or omit them freely."""
_ARABIC_SCRIPT = str.maketrans({
    "\u064a": "\u06cc", "\u0649": "\u06cc",  # Arabic yeh and alef maksura -> Persian yeh
    "\u0643": "\u06a9",                       # Arabic kaf -> Persian keheh
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian (extended Arabic-Indic) digits
})
"""Letters that Arabic and Persian keyboards write differently for the same word (yeh ``ي``/
``ی``/``ى``, kaf ``ك``/``ک``) and the Arabic-Indic and Persian digits: one form each in the
matching key, so a Persian term finds text typed on an Arabic keyboard and ``۱۴۰۳`` finds
``1403``. As with :data:`_ARABIC_MARKS`, the text itself keeps what was written."""


@lru_cache(maxsize=1 << 17)
def normalize_token(token: str) -> str:
    """The matching key of a token, one normalisation for text and terms alike: NFKC (composed
    and decomposed accents alike, fullwidth letters as letters) and case folding (``Straße``
    and ``STRASSE``, ``İSTANBUL`` and ``Istanbul``), curly apostrophes and Unicode hyphens
    made plain, zero-width characters (the Persian non-joiner too: ``می‌خواهد`` and
    ``میخواهد`` have one key), Arabic diacritics and the tatweel dropped, Arabic and Persian
    yeh and kaf made one (:data:`_ARABIC_SCRIPT`), Arabic-Indic and Persian digits made
    ASCII. Only the key is normalised: spans and the text shown stay as written.

    Examples
    --------
    >>> normalize_token("Regime’s")
    "regime's"
    >>> normalize_token("re\\u200bgime"), normalize_token("ｒｅｇｉｍｅ"), normalize_token("STRASSE") == normalize_token("Straße")
    ('regime', 'regime', True)
    >>> normalize_token("النِّظَام") == normalize_token("النظـــام") == normalize_token("النظام")
    True
    >>> normalize_token("انتخابات\u200cها") == normalize_token("انتخاباتها"), normalize_token("ي") == normalize_token("ی")
    (True, True)
    >>> normalize_token("۱۴۰۳"), normalize_token("٢٠٢٤")
    ('1403', '2024')
    """
    low = token.lower()
    if low.isascii():
        return low
    key = unicodedata.normalize("NFKC", token).casefold().translate(_FOLD).replace("\u0307", "")  # İ: i + dot above
    return _ARABIC_MARKS.sub("", key).translate(_ARABIC_SCRIPT)


@lru_cache(maxsize=1)
def sentence_splitter() -> "PunktSentenceTokenizer":  # noqa: F821 - imported here, on first use
    """Punkt with the bundled abbreviation list; built on first use, not at import (nor is NLTK imported)."""
    from nltk.tokenize.punkt import (
        PunktLanguageVars,
        PunktParameters,
        PunktSentenceTokenizer,
    )

    class LanguageVars(PunktLanguageVars):
        sent_end_chars = SENTENCE_ENDS

    class Punkt(PunktSentenceTokenizer):
        """Punkt, remembering its verdict on each candidate context (``said. The``): a pure
        function of the context and the fixed parameters, and half of Punkt's time. News
        repeats its contexts (one in seven on 3,800 distinct articles); a test holds the
        spans equal to Punkt's own."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._verdicts = BoundedMemo(super().text_contains_sentbreak, max_size=200_000)

        def text_contains_sentbreak(self, text: str) -> bool:
            return self._verdicts[text]

    params = PunktParameters()
    text = files("framing.data").joinpath("abbreviations.txt").read_text(encoding="utf-8")
    params.abbrev_types = {
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    }
    return Punkt(params, lang_vars=LanguageVars())


SENTENCE_ENDS = (".", "?", "!", "\u061f", "\u06d4")
"""Marks that may end a sentence: Punkt's three, the Arabic question mark ``؟`` (Arabic and
Persian) and the Arabic full stop ``۔`` (Urdu, some Persian typesetting). A mark no English
text holds changes nothing in English."""


MAX_PUNKT_CHARS = 100_000
"""Longest stretch handed to Punkt at once. NLTK bounds Punkt's regular expressions in
time, and one huge line (a whole scrape on one line) would exceed that bound, so a
longer line is read in windows: Punkt splits the window, the sentences before its
last one are kept, and the next window starts where that last sentence starts (its
end may lie beyond the window). A single sentence longer than a window is cut at its
last space."""


def sentence_spans(text: str, *, max_chars: int = MAX_PUNKT_CHARS) -> list[tuple[int, int]]:
    """Character spans of sentences: lines first, then Punkt within each line.

    Lines longer than ``max_chars`` are read in windows (:data:`MAX_PUNKT_CHARS`).

    Examples
    --------
    >>> text = "Mr. Maleki spoke. He left.\\nA headline"
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['Mr. Maleki spoke.', 'He left.', 'A headline']
    >>> text = "آیا انتخابات آزاد است؟ مردم رای ندادند."
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['آیا انتخابات آزاد است؟', 'مردم رای ندادند.']
    """
    spans: list[tuple[int, int]] = []
    for line in _LINE_RE.finditer(text):
        if line.group().strip():
            spans.extend((line.start() + a, line.start() + b) for a, b in _line_sentences(line.group(), max_chars))
    return spans


def _line_sentences(line: str, max_chars: int) -> list[tuple[int, int]]:
    punkt = sentence_splitter()
    out: list[tuple[int, int]] = []
    start = 0
    while len(line) - start > max_chars:
        piece = line[start : start + max_chars]
        found = list(punkt.span_tokenize(piece))
        if len(found) > 1:
            cut = found[-1][0]
            out.extend((start + a, start + b) for a, b in found[:-1])
        else:  # one sentence fills the window: cut it at its last space
            cut = max(piece.rfind(" "), piece.rfind("\t")) + 1 or max_chars
            first = found[0][0] if found else 0
            end = len(piece[:cut].rstrip())
            if end > first:
                out.append((start + first, start + end))
        start += cut
    out.extend((start + a, start + b) for a, b in punkt.span_tokenize(line[start:]))
    return out


_DOUBLE_OPEN = "“„«\""
_DOUBLE_CLOSE = "”»\""
_SINGLE_OPEN = "‘'"
_SINGLE_CLOSE = "’'"
CLOSING_MARKS = frozenset(_DOUBLE_CLOSE + _SINGLE_CLOSE)
"""The marks that close a quotation; a span of :func:`quote_spans` that does not end on one is unclosed."""


def quote_spans(text: str, *, max_single: int = 200) -> list[tuple[int, int]]:
    """Spans of direct quotations, marks included: ``text[a:b]`` starts and ends with a mark.

    Double quotes (straight or curly, mixed as scraped text mixes them) open after
    a space, bracket, dash or colon and close at the next closing mark, across
    paragraphs if need be; an unclosed quotation runs to the end of its paragraph.
    Single quotes open after a space or bracket, must be followed by a letter, and
    close at a ``'``/``’`` followed by a non-letter within ``max_single`` characters
    on the same line. Single quotes nested inside double quotes are reported too.

    Examples
    --------
    >>> t = "He said “we will win” and called it a 'sham' vote."
    >>> [t[a:b] for a, b in quote_spans(t)]
    ['“we will win”', "'sham'"]
    """
    spans = _double_quote_spans(text) + _single_quote_spans(text, max_single)
    return sorted(spans)


def _opens_at(text: str, i: int) -> bool:
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-:/"


def _double_quote_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = None
    for m in re.finditer(r"[“”„«»\"]", text):
        i, ch = m.start(), m.group()
        if start is None:
            if ch in _DOUBLE_OPEN and (ch != '"' or _opens_at(text, i)):
                start = i
        elif ch in _DOUBLE_CLOSE:
            spans.append((start, i + 1))
            start = None
    if start is not None:  # unclosed: to the end of the paragraph
        end = text.find("\n\n", start)
        spans.append((start, len(text) if end < 0 else end))
    return spans


def _single_quote_spans(text: str, max_single: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[‘']", text):
        i = m.start()
        if not _opens_at(text, i) or i + 1 >= len(text) or not text[i + 1].isalnum():
            continue
        limit = min(len(text), i + 1 + max_single)
        for j in range(i + 2, limit):
            ch = text[j]
            if ch == "\n":
                break
            if ch in _SINGLE_CLOSE and (j + 1 == len(text) or not text[j + 1].isalnum()):
                spans.append((i, j + 1))
                break
    return spans


@dataclass(frozen=True, eq=False)
class TokenizedText:
    """Tokens of one text; offsets, sentences and quotations are computed once, on first use.

    All offsets are character offsets into ``text``. Made by :func:`tokenize`; it
    depends on no global state, so a copy sent to another process is the same there.
    ``language`` is the document's language code (``None``: not given, read as English).
    """

    text: str
    words: tuple[str, ...]
    language: str | None = None

    def __len__(self) -> int:
        return len(self.words)

    @cached_property
    def _spans(self) -> tuple[np.ndarray, np.ndarray]:
        return token_offsets(self.text, self.words)

    @property
    def starts(self) -> np.ndarray:
        """Start offset of each token."""
        return self._spans[0]

    @property
    def ends(self) -> np.ndarray:
        """End offset (exclusive) of each token."""
        return self._spans[1]

    @cached_property
    def sentences(self) -> tuple[tuple[int, int], ...]:
        """Sentence spans (:func:`sentence_spans`)."""
        return tuple(sentence_spans(self.text))

    def remember_sentences(self, spans) -> "TokenizedText":
        """Give this text the sentence spans split from it before (its :func:`sentence_spans`, read
        back from a remembered pass), so that it is not split again; returns the text."""
        self.__dict__["sentences"] = tuple(spans)
        return self

    @cached_property
    def quotes(self) -> tuple[tuple[int, int], ...]:
        """Quotation spans, marks included (:func:`quote_spans`)."""
        return tuple(quote_spans(self.text))

    @cached_property
    def lower(self) -> tuple[str, ...]:
        """Matching keys (:func:`normalize_token`), the view used for case-insensitive matching."""
        return tuple(map(_KEYS.__getitem__, self.words))

    @cached_property
    def is_word(self) -> np.ndarray:
        """Boolean mask: the token is a word (has a letter or digit), not a punctuation mark."""
        return np.fromiter(map(_WORDNESS.__getitem__, self.words), bool, len(self.words))

    @cached_property
    def word_positions(self) -> np.ndarray:
        """Indices of the tokens that are words (:attr:`is_word`), in order."""
        return np.flatnonzero(self.is_word)

    @cached_property
    def type_counts(self) -> Counter:
        """How often each token type (surface form) occurs."""
        return Counter(self.words)

    @cached_property
    def n_words(self) -> int:
        """Number of word tokens (:func:`is_word_token`; punctuation excluded): the
        denominator of every rate (``n_tokens``). Counted over token types, so it costs
        one (remembered) test per type and equals ``is_word.sum()``."""
        counts = self.type_counts
        return sum(compress(counts.values(), map(_WORDNESS.__getitem__, counts)))

    @cached_property
    def token_sentence(self) -> np.ndarray:
        """Index into :attr:`sentences` of the sentence holding each token."""
        if not self.sentences:
            return np.zeros(len(self.words), dtype=np.int64)
        sent_starts = np.fromiter((a for a, _ in self.sentences), np.int64, len(self.sentences))
        return np.maximum(np.searchsorted(sent_starts, self.starts, side="right") - 1, 0)

    @cached_property
    def in_quote(self) -> np.ndarray:
        """Boolean mask: token lies inside a direct quotation (quotation marks excluded).

        One pass over sorted spans: a token ``[s, e)`` is inside when some quotation
        opened before ``s`` closes after ``e``, i.e. when the furthest close among the
        quotations opened before ``s`` lies after ``e``.
        """
        return spans_enclose(self.quotes, self.starts, self.ends)

    def sentence_of(self, token_index: int) -> str:
        """The sentence text around a token."""
        if not self.sentences:
            return self.text
        a, b = self.sentences[int(self.token_sentence[token_index])]
        return self.text[a:b]

    def span_text(self, first: int, last: int) -> str:
        """Surface text from token ``first`` to token ``last - 1``, as written."""
        return self.text[int(self.starts[first]) : int(self.ends[last - 1])]


def spans_enclose(spans, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """For each ``[starts[i], ends[i])``, is it strictly inside one of ``spans`` (``a < start`` and ``end < b``)?

    ``spans`` must be sorted by start. Linear after sorting: the furthest end among
    the spans opened before each start is a running maximum.

    Examples
    --------
    >>> spans_enclose([(0, 10), (2, 4)], np.array([1, 3, 9]), np.array([3, 3, 11])).tolist()
    [True, True, False]
    """
    starts = np.asarray(starts, dtype=np.int64)
    if not len(spans) or not len(starts):
        return np.zeros(len(starts), dtype=bool)
    opens = np.fromiter((a for a, _ in spans), np.int64, len(spans))
    furthest = np.maximum.accumulate(np.fromiter((b for _, b in spans), np.int64, len(spans)))
    before = np.searchsorted(opens, starts, side="left") - 1  # last span with a < start
    reach = np.where(before >= 0, furthest[np.maximum(before, 0)], -1)
    return reach > np.asarray(ends, dtype=np.int64)


def _is_word(token: str) -> bool:
    # tokens are either words (contain \w near the start: "regime", "'s", "#tag", "n't")
    # or single marks / "..."
    return token[0].isalnum() or (len(token) > 1 and token[1].isalnum())


_WORDNESS = BoundedMemo(_is_word, max_size=500_000)  # token -> is it a word
_KEYS = BoundedMemo(normalize_token, max_size=500_000)  # token -> its matching key


def is_word_token(token: str) -> bool:
    """Is this token a word (has a letter or digit at its start, after at most one mark), not punctuation?

    Examples
    --------
    >>> [is_word_token(t) for t in ("regime", "'s", "#vote", "#", "...")]
    [True, True, True, False, False]
    """
    return _is_word(token)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the word tokens of ``text``.

    Examples
    --------
    >>> t = "The regime’s vote"
    >>> [t[a:b] for a, b in word_spans(t)]
    ['The', 'regime', '’s', 'vote']
    """
    return list(WORD_TOKENIZER.span_tokenize(text))


def tokenize(text: str, language: str | None = None) -> TokenizedText:
    """Tokenize one text of ``language`` (a code such as ``en`` or ``fa``; ``None``: not given,
    read as English); offsets, sentences and quotations follow on first use.

    Examples
    --------
    >>> doc = tokenize("They don't vote. “We will win,” he said.")
    >>> doc.words[:5]
    ('They', 'do', "n't", 'vote', '.')
    >>> len(doc.sentences), doc.n_words
    (2, 9)
    >>> [w for w, q in zip(doc.words, doc.in_quote) if q]
    ['We', 'will', 'win', ',']
    """
    return TokenizedText(text=text, words=word_tokens(text, language), language=language)


UNITS = ("sentence", "paragraph", "document")
"""The units a coder codes and a frame classifier labels (:func:`unit_spans`)."""
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def unit_spans(doc: TokenizedText, unit: str) -> list[tuple[int, int, int, int]]:
    """The units of one document, each ``(start, end, token_start, token_end)``: its character
    span in ``doc.text`` and its word-and-punctuation token range. Units without a word are left
    out (a unit to code has something to read).

    ``sentence``: :attr:`TokenizedText.sentences`; ``paragraph``: text between blank lines (or,
    in a text with no blank line, between line breaks); ``document``: the whole text.

    Examples
    --------
    >>> doc = tokenize("First one. Second one.\\n\\nA new paragraph.")
    >>> [doc.text[a:b] for a, b, _, _ in unit_spans(doc, "paragraph")]
    ['First one. Second one.', 'A new paragraph.']
    >>> [(t0, t1) for _, _, t0, t1 in unit_spans(doc, "sentence")]
    [(0, 3), (3, 6), (6, 10)]
    """
    if unit == "sentence":
        spans = list(doc.sentences)
    elif unit == "paragraph":
        breaks = _BLANK_LINE if _BLANK_LINE.search(doc.text) else re.compile(r"\n")
        spans, at = [], 0
        for m in breaks.finditer(doc.text):
            spans.append((at, m.start()))
            at = m.end()
        spans.append((at, len(doc.text)))
    elif unit == "document":
        spans = [(0, len(doc.text))]
    else:
        raise FramingError(f"unit must be one of {', '.join(UNITS)}, got {unit!r}")
    starts, ends, words = doc.starts, doc.ends, doc.is_word
    out = []
    for a, b in spans:
        i, j = int(np.searchsorted(starts, a, side="left")), int(np.searchsorted(ends, b, side="right"))
        if j > i and words[i:j].any():
            a = max(a, int(starts[i]))  # trimmed to its tokens: no leading or trailing blanks
            b = min(b, int(ends[j - 1]))
            out.append((a, b, i, j))
    return out
