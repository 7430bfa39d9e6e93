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
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files
from itertools import chain

import numpy as np
from nltk.tokenize.api import TokenizerI
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

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


def _split_clitic(token: str) -> list[str]:
    m = _CLITIC_RE.match(token)
    return [m.group(1), m.group(2)] if m else [token]


def _tokens_of_chunk(chunk: str, out: list[str]) -> None:
    for token in _TOKEN_RE.findall(chunk):
        if "'" in token or "’" in token:
            out.extend(_split_clitic(token))
        else:
            out.append(token)


def reference_tokens(text: str) -> list[str]:
    """The token pattern applied to the whole text, clitics split: the definition of a token.

    :func:`word_tokens` gives the same result faster; a property test holds them equal.
    """
    out: list[str] = []
    _tokens_of_chunk(text, out)
    return out


_NOT_SPLIT_OFF = frozenset("_#@'’")


def _chunk_tokens(chunk: str) -> tuple[str, ...]:
    """The tokens of one whitespace-free chunk: plain words, and words with one mark
    before or after (``elections,`` ``“No``), are split directly; other chunks go
    through the token pattern."""
    if chunk.isalnum():
        return (chunk,)
    last = chunk[-1]
    if chunk[:-1].isalnum() and not last.isalnum() and last not in _NOT_SPLIT_OFF:
        return (chunk[:-1], last)
    first = chunk[0]
    if chunk[1:].isalnum() and not first.isalnum() and first not in _NOT_SPLIT_OFF:
        return (first, chunk[1:])
    out: list[str] = []
    _tokens_of_chunk(chunk, out)
    return tuple(out)


class _ChunkMemo(dict):
    """Whitespace chunk -> its tokens, filled on first sight and emptied when it
    holds ``max_size`` chunks, so memory stays bounded however large the corpus.

    It also records every punctuation token it has produced (a few hundred at most:
    single marks and ``...``), which lets :attr:`TokenizedText.n_words` count words
    with set operations. The memo only caches a pure function of the chunk, so it
    changes no result: documents are still tokenized independently.
    """

    def __init__(self, max_size: int):
        super().__init__()
        self.max_size = max_size
        self.non_words: set[str] = set()

    def __missing__(self, chunk: str) -> tuple[str, ...]:
        if len(self) >= self.max_size:
            self.clear()
        tokens = self[chunk] = _chunk_tokens(chunk)
        if len(tokens) > 1 or not chunk.isalnum():
            self.non_words.update(t for t in tokens if not _is_word(t))
        return tokens


_CHUNKS = _ChunkMemo(max_size=200_000)


def word_tokens(text: str) -> tuple[str, ...]:
    """The word tokens of ``text`` (see the module docstring for the rules).

    Tokens never contain whitespace, so the text is split on whitespace and each
    chunk is tokenized on its own (and remembered: news text repeats its chunks).
    The result equals :func:`reference_tokens`, only faster.

    Examples
    --------
    >>> word_tokens("The regime’s so-called vote, May 19th: #Shamelections!")
    ('The', 'regime', '’s', 'so-called', 'vote', ',', 'May', '19th', ':', '#Shamelections', '!')
    """
    return tuple(chain.from_iterable(map(_CHUNKS.__getitem__, text.split())))


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


class WordTokenizer(TokenizerI):
    """framing's word tokenizer behind NLTK's :class:`~nltk.tokenize.api.TokenizerI` interface."""

    def tokenize(self, s: str) -> list[str]:
        return list(word_tokens(s))

    def span_tokenize(self, s: str):
        words = word_tokens(s)
        starts, ends = token_offsets(s, words)
        yield from zip(starts.tolist(), ends.tolist())


WORD_TOKENIZER = WordTokenizer()
_LINE_RE = re.compile(r"[^\n]+")


_FOLD = str.maketrans({"’": "'", "‘": "'", "‐": "-", "‑": "-"})


def normalize_token(token: str) -> str:
    """The matching key of a token: lowercased, curly apostrophes and Unicode hyphens made plain.

    Examples
    --------
    >>> normalize_token("Regime’s")
    "regime's"
    """
    low = token.lower()
    return low if low.isascii() else low.translate(_FOLD)


@lru_cache(maxsize=1)
def sentence_splitter() -> PunktSentenceTokenizer:
    """Punkt with the bundled abbreviation list; built on first use, not at import."""
    params = PunktParameters()
    text = files("framing.data").joinpath("abbreviations.txt").read_text(encoding="utf-8")
    params.abbrev_types = {
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    }
    return PunktSentenceTokenizer(params)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of sentences: lines first, then Punkt within each line.

    Examples
    --------
    >>> text = "Mr. Maleki spoke. He left.\\nA headline"
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['Mr. Maleki spoke.', 'He left.', 'A headline']
    """
    punkt = sentence_splitter()
    spans: list[tuple[int, int]] = []
    for line in _LINE_RE.finditer(text):
        if not line.group().strip():
            continue
        base = line.start()
        for a, b in punkt.span_tokenize(line.group()):
            spans.append((base + a, base + b))
    return spans


_DOUBLE_OPEN = "“„«\""
_DOUBLE_CLOSE = "”»\""
_SINGLE_OPEN = "‘'"
_SINGLE_CLOSE = "’'"


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

    All offsets are character offsets into ``text``. Made by :func:`tokenize`, and
    pickled as a call to it, so a copy sent to another process is tokenized there.
    """

    text: str
    words: tuple[str, ...]

    def __reduce__(self):
        # n_words relies on every token having passed through this process's chunk memo
        return (tokenize, (self.text,))

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

    @cached_property
    def quotes(self) -> tuple[tuple[int, int], ...]:
        """Quotation spans, marks included (:func:`quote_spans`)."""
        return tuple(quote_spans(self.text))

    @cached_property
    def lower(self) -> tuple[str, ...]:
        """Matching keys (:func:`normalize_token`), the view used for case-insensitive matching."""
        return tuple(w.lower().translate(_FOLD) for w in self.words)

    @cached_property
    def is_word(self) -> np.ndarray:
        """Boolean mask: the token is a word (has a letter or digit), not a punctuation mark."""
        return np.fromiter((_is_word(w) for w in self.words), bool, len(self.words))

    @cached_property
    def type_counts(self) -> Counter:
        """How often each token type (surface form) occurs."""
        return Counter(self.words)

    @cached_property
    def n_words(self) -> int:
        """Number of word tokens (punctuation excluded): the denominator of every rate (``n_tokens``)."""
        types = self.type_counts
        # every punctuation type was recorded when word_tokens produced it
        return len(self.words) - sum(map(types.__getitem__, types.keys() & _CHUNKS.non_words))

    @cached_property
    def token_sentence(self) -> np.ndarray:
        """Index into :attr:`sentences` of the sentence holding each token."""
        if not self.sentences:
            return np.zeros(len(self.words), dtype=np.int64)
        sent_starts = np.fromiter((a for a, _ in self.sentences), np.int64, len(self.sentences))
        return np.maximum(np.searchsorted(sent_starts, self.starts, side="right") - 1, 0)

    @cached_property
    def in_quote(self) -> np.ndarray:
        """Boolean mask: token lies inside a direct quotation (quotation marks excluded)."""
        mask = np.zeros(len(self.words), dtype=bool)
        for a, b in self.quotes:
            mask |= (self.starts > a) & (self.ends < b)
        return mask

    def sentence_of(self, token_index: int) -> str:
        """The sentence text around a token."""
        if not self.sentences:
            return self.text
        a, b = self.sentences[int(self.token_sentence[token_index])]
        return self.text[a:b]

    def span_text(self, first: int, last: int) -> str:
        """Surface text from token ``first`` to token ``last - 1``, as written."""
        return self.text[int(self.starts[first]) : int(self.ends[last - 1])]


def _is_word(token: str) -> bool:
    # tokens are either words (contain \w near the start: "regime", "'s", "#tag", "n't")
    # or single marks / "..."
    return token[0].isalnum() or (len(token) > 1 and token[1].isalnum())


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the word tokens of ``text``.

    Examples
    --------
    >>> t = "The regime’s vote"
    >>> [t[a:b] for a, b in word_spans(t)]
    ['The', 'regime', '’s', 'vote']
    """
    return list(WORD_TOKENIZER.span_tokenize(text))


def tokenize(text: str) -> TokenizedText:
    """Tokenize one text; offsets, sentences and quotations follow on first use.

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
    return TokenizedText(text=text, words=word_tokens(text))
