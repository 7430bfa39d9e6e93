"""Text reuse: passages two documents share, found through shared word n-grams, aligned, and summed per outlet.

Outlets copy (wire copy, press releases, one movement's sites republishing each other),
and copied text makes outlets look alike and counts a copied frame twice. The method is
passim's (Smith, Cordell & Mullen 2015), in outline:

1. every document's words (lowercased, punctuation left out) are cut into overlapping
   n-grams (``ngram``, default 5 words), each hashed to 64 bits;
2. the hashes of the whole corpus are split by their top bits into :data:`N_BUCKETS` buckets
   (held on disk past :data:`SPILL_BYTES`, so a corpus read in batches from
   :class:`~framing.documents.corpus.CorpusFiles` never sits whole in memory), and each
   bucket is sorted on its own; an n-gram found in 2 to ``max_df``
   documents makes candidate pairs of them all, one found in up to ``REPRINT_DF * max_df``
   pairs each document with the first that has it (wire copy reprinted widely), so the cost
   grows with the corpus, not with the square of its size; a stock phrase is told from a
   reprint by the length of the aligned run, not by its spread;
3. within a pair, the shared n-grams (anchors) are chained when they follow each other
   in both documents with gaps of at most ``gap`` words and a drift of at most ``gap``
   words between the two (a few words changed, inserted or dropped);
   An n-gram that a document repeats (a refrain) anchors nothing in it, and several
   chains stay open at once, so a stray shared phrase does not cut a passage in two;
4. chains that overlap or touch in both documents are merged, widened over edited first
   and last words, and trimmed so both spans start and end on the same aligned words;
   a passage spanning at least ``min_words`` words whose ``similarity`` (identical
   words, from difflib's matching blocks, over the longer side's words) reaches
   ``min_similarity`` is reuse.

Smith, D. A., Cordell, R., & Mullen, A. (2015). Computational methods for uncovering
reprinted texts in antebellum American newspapers. American Literary History 27(3), E1-E15.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
import pandas as pd

from framing.cache import cache_folder, code_key, digest, documents_key, remembered
from framing.documents.corpus import Corpus, CorpusFiles
from framing.documents.tokens import is_word_token, normalize_token
from framing.errors import FramingError
from framing.params import COUNT, Number, Whole, checked, read_dates
from framing.tables import group_labels

PASSAGE_COLUMNS = ["doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "n_words", "similarity", "text_a", "first"]
MIN_WORDS = 30
"""Default shortest passage, in words: longer than any stock phrase of speeches or news
("thank you very much, ladies and gentlemen"), short enough for a quoted paragraph."""
REPRINT_DF = 100
"""An n-gram in more than ``max_df`` documents and at most this many times ``max_df`` is a
reprint's candidate (each document paired with the first that has it); beyond, boilerplate."""
BRIDGE = 200
"""Longest stretch of text, in words, between two alignments of a pair that is checked for
whether it aligns too (a refrain inside a copied passage), to join them into one."""
MIN_SIMILARITY = 0.5
"""Default lowest similarity of a passage: at least half its words identical in both
documents. A lightly edited copy scores above 0.9; two texts that merely share a few
phrases here and there (0.1-0.3) are not reuse."""


SPILL_BYTES = 64 * 2**20
"""Bytes of n-grams and words held in memory before they go to a temporary folder on disk:
beyond this, memory stays flat whatever the corpus's size."""
N_BUCKETS = 64
"""The n-grams are split by the top bits of their hash into this many buckets, each sorted
on its own: an n-gram's every occurrence falls in one bucket, so a bucket's anchors are
all its own, and memory holds one bucket at a time."""
_RECORD = np.dtype([("hash", "<u8"), ("doc", "<u4"), ("pos", "<u4")])


class _KeyCache(dict):
    """Token -> 64-bit key of its matching form (blake2b of :func:`normalize_token`), 0 for
    punctuation; computed once per token type and emptied when large. A key depends on the
    token only, so keys agree across batches and processes."""

    def __missing__(self, token: str) -> int:
        if len(self) > 2_000_000:
            self.clear()
        key = 0
        if is_word_token(token):
            digest = hashlib.blake2b(normalize_token(token).encode("utf-8", "surrogatepass"), digest_size=8).digest()
            key = int.from_bytes(digest, "little") or 1
        self[token] = key
        return key


def _word_keys(doc, keys: _KeyCache):
    """A document's words as keys (lowercased, punctuation left out) and the character span
    of each word in its ``clean_text``."""
    every = np.fromiter(map(keys.__getitem__, doc.words), np.uint64, len(doc))
    keep = np.flatnonzero(every)
    return every[keep], doc.starts[keep], doc.ends[keep]


class _Spill:
    """Named arrays appended in order and read back whole: in memory until they pass
    ``limit`` bytes, then in files of a temporary folder (read back as memory maps), so a
    corpus of any size holds at most ``limit`` bytes of them in memory (and one name read back
    whole at a time, or slices of one)."""

    def __init__(self, limit: int | None = None):
        self.limit, self.size = SPILL_BYTES if limit is None else limit, 0
        self.parts: dict[str, list[np.ndarray]] = {}
        self.dtypes: dict[str, np.dtype] = {}
        self.folder: tempfile.TemporaryDirectory | None = None
        self.handles: list = []

    def __enter__(self) -> "_Spill":
        return self

    def __exit__(self, *exc) -> None:
        self.parts.clear()
        for handle in self.handles:
            handle.close()
        if self.folder is not None:
            self.folder.cleanup()

    def _path(self, name: str) -> Path:
        return Path(self.folder.name) / f"{name}.bin"

    def append(self, name: str, array: np.ndarray) -> None:
        self.dtypes[name] = array.dtype
        if self.folder is None:
            self.parts.setdefault(name, []).append(array)
            self.size += array.nbytes
            if self.size > self.limit:
                self.folder = tempfile.TemporaryDirectory(prefix="framing-reuse-")
                for held, parts in self.parts.items():
                    with open(self._path(held), "ab") as out:
                        for part in parts:
                            part.tofile(out)
                self.parts.clear()
        elif len(array):
            with open(self._path(name), "ab") as out:
                array.tofile(out)

    def read(self, name: str) -> np.ndarray:
        """Everything appended under ``name``, as one array in memory."""
        dtype = self.dtypes.get(name, np.dtype(np.int64))
        if self.folder is None:
            parts = self.parts.get(name)
            return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)
        path = self._path(name)
        return np.fromfile(path, dtype=dtype) if path.exists() else np.zeros(0, dtype=dtype)

    def slicer(self, name: str):
        """A function ``(start, stop) -> array`` of the items appended under ``name``: slices of
        the array in memory, or reads of just those bytes from disk (a memory map would count
        every page it touched as the process's memory)."""
        if self.folder is None:
            whole = self.read(name)
            return lambda start, stop: whole[start:stop]
        dtype = self.dtypes[name]
        handle = open(self._path(name), "rb")  # closed with the folder, at exit
        self.handles.append(handle)

        def piece(start: int, stop: int) -> np.ndarray:
            data = os.pread(handle.fileno(), (stop - start) * dtype.itemsize, start * dtype.itemsize)
            return np.frombuffer(data, dtype=dtype)

        return piece


def _shingle_hashes(ids: np.ndarray, n: int) -> np.ndarray:
    """64-bit hashes of the n-grams of a sequence of word keys (a polynomial over the keys, then
    the splitmix64 finalizer to spread the bits)."""
    if len(ids) < n:
        return np.zeros(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        h = np.zeros(len(ids) - n + 1, dtype=np.uint64)
        for k in range(n):
            h = h * np.uint64(1_000_003) + ids[k : len(ids) - n + 1 + k].astype(np.uint64)
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    return h


def _sorted_anchors(pieces: list[np.ndarray]) -> np.ndarray:
    """Anchor rows of every bucket, sorted by pair, then positions."""
    pairs = np.concatenate(pieces) if pieces else np.zeros((0, 4), dtype=np.int64)
    return pairs[np.lexsort((pairs[:, 3], pairs[:, 1], pairs[:, 2], pairs[:, 0]))]


def _bucket_anchors(h: np.ndarray, doc: np.ndarray, pos: np.ndarray, max_df: int) -> np.ndarray:
    """Rows (doc a, position in a, doc b, position in b), a < b, for the n-grams two documents
    share, given every occurrence of some n-grams (``h``; all of an n-gram's occurrences). An
    n-gram found in at most ``max_df`` documents
    anchors every pair of them; one found in up to :data:`REPRINT_DF` times as many (wire
    copy reprinted by many outlets) anchors each document with the first that has it, so its
    cost grows with its documents, not their pairs; commoner ones anchor nothing. Stock
    phrases are told from reprints by the length of the aligned run (``min_words``), not by
    their spread alone. An n-gram a document repeats (a refrain, a slogan chanted five times)
    anchors at its first occurrence only: once per pair, so its repeats cannot chain into a
    passage."""
    doc, pos = doc.astype(np.int64), pos.astype(np.int64)
    order = np.lexsort((pos, doc, h))
    h, doc, pos = h[order], doc[order], pos[order]
    again = np.r_[False, (h[1:] == h[:-1]) & (doc[1:] == doc[:-1])]  # the same n-gram again in the same document
    h, doc, pos = h[~again], doc[~again], pos[~again]  # its first occurrence only: it anchors once per pair
    if not len(h):
        return np.zeros((0, 4), dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    lengths = np.diff(np.r_[starts, len(h)])
    pieces = []
    for m in np.unique(lengths[(lengths >= 2) & (lengths <= REPRINT_DF * max_df)]):  # each document once: m documents
        runs = starts[lengths == m]
        if m <= max_df:  # every pair of the documents
            i, j = np.triu_indices(int(m), 1)
        else:  # a reprint's spread: each document with the first that has it (a star, not all the pairs)
            i, j = np.zeros(int(m) - 1, dtype=np.int64), np.arange(1, int(m))
        left, right = (runs[:, None] + i[None, :]).ravel(), (runs[:, None] + j[None, :]).ravel()
        pieces.append(np.column_stack([doc[left], pos[left], doc[right], pos[right]]))
    if not pieces:
        return np.zeros((0, 4), dtype=np.int64)
    pairs = np.concatenate(pieces)
    flip = pairs[:, 0] > pairs[:, 2]
    pairs[flip] = pairs[flip][:, [2, 3, 0, 1]]
    return pairs


def _index(corpus, ngram: int, spill: _Spill):
    """One pass over the corpus's batches: each document's words (keys and spans) and its
    n-grams, bucketed, into ``spill``. Returns the metadata of every document and the word
    offsets (document ``i``'s words are ``offsets[i]:offsets[i + 1]``)."""
    keys = _KeyCache()
    metadata, sizes, n_docs = [], [], 0
    for part in corpus.batches():
        metadata.append(part.metadata())
        words, hashes = [], []
        for _, doc in part.iter_tokens():
            words.append(_word_keys(doc, keys))
            hashes.append(_shingle_hashes(words[-1][0], ngram))
        if words:
            for name, column in (("keys", 0), ("starts", 1), ("ends", 2)):
                spill.append(name, np.concatenate([w[column] for w in words]))
        sizes.extend(len(w[0]) for w in words)
        lengths = np.fromiter(map(len, hashes), np.int64, len(hashes))
        if lengths.sum():
            records = np.empty(int(lengths.sum()), dtype=_RECORD)
            records["hash"] = np.concatenate(hashes)
            records["doc"] = np.repeat(np.arange(n_docs, n_docs + len(hashes), dtype=np.uint32), lengths)
            records["pos"] = np.concatenate([np.arange(n, dtype=np.uint32) for n in lengths])
            bucket = (records["hash"] >> np.uint64(64 - (N_BUCKETS - 1).bit_length())).astype(np.int64)
            order = np.argsort(bucket, kind="stable")
            bounds = np.searchsorted(bucket[order], np.arange(N_BUCKETS + 1))
            for b in range(N_BUCKETS):
                if bounds[b + 1] > bounds[b]:
                    spill.append(f"bucket{b}", records[order[bounds[b] : bounds[b + 1]]])
        n_docs += len(hashes)
    meta = pd.concat(metadata, ignore_index=True) if metadata else pd.DataFrame(columns=["doc_id"])
    return meta, np.r_[0, np.cumsum(sizes, dtype=np.int64)]


def _chains(anchors: np.ndarray, gap: int):
    """Chains of anchors of one pair of documents: runs that advance in both documents with
    gaps of at most ``gap`` n-grams and a drift of at most ``gap`` words. Several chains stay
    open at once, so a stray anchor elsewhere (a phrase both documents use once, in other
    places) does not cut a passage in two; each anchor extends the open chain it drifts
    least from."""
    done, open_ = [], []
    for a, b in anchors:
        a, b = int(a), int(b)
        still = []
        for chain in open_:
            (done if a - chain[-1][0] > gap else still).append(chain)
        open_ = still
        best, best_drift = None, None
        for chain in open_:
            pa, pb = chain[-1]
            drift = abs((b - a) - (pb - pa))
            if 0 < a - pa <= gap and 0 < b - pb <= gap and drift <= gap and (best is None or drift < best_drift):
                best, best_drift = chain, drift
        if best is None:
            open_.append([(a, b)])
        else:
            best.append((a, b))
    return sorted(done + open_, key=lambda c: c[0])


def _merge(spans, gap: int, keys_a=None, keys_b=None) -> list[tuple[int, int, int, int]]:
    """Alignments of one pair, ``(first_a, end_a, first_b, end_b)`` in words, as passages.

    Two alignments that follow each other in the same order in both documents are one
    passage when they overlap or touch (a gap of at most ``gap`` words on each side), or,
    given the words (``keys_a``, ``keys_b``), when the text between them is of similar length
    on both sides (within ``gap`` words, at most :data:`BRIDGE` words) and most of it (60%)
    aligns too: a copied passage holding a refrain, whose repeated n-grams anchor nothing,
    stays one passage.
    """
    merged: list[list[int]] = []
    for first_a, end_a, first_b, end_b in sorted(spans):
        for m in merged:
            if first_a < m[0] - gap or first_b < m[2] - gap or end_b < m[2] - gap:
                continue
            gap_a, gap_b = first_a - m[1], first_b - m[3]
            near = gap_a <= gap and gap_b <= gap
            if not near and keys_a is not None and 0 < gap_a <= BRIDGE and 0 < gap_b <= BRIDGE and abs(gap_a - gap_b) <= gap:
                between = SequenceMatcher(None, keys_a[m[1]:first_a], keys_b[m[3]:first_b], autojunk=False)
                near = sum(b.size for b in between.get_matching_blocks()) >= 0.6 * max(gap_a, gap_b)
            if near:
                m[:] = [min(m[0], first_a), max(m[1], end_a), min(m[2], first_b), max(m[3], end_b)]
                break
        else:
            merged.append([first_a, end_a, first_b, end_b])
    return [tuple(m) for m in merged]


def _extend(keys_a, keys_b, first_a: int, first_b: int, end_a: int, end_b: int, gap: int):
    """Widen a passage over the words before its first anchor and after its last that still
    align (an edit within the first or last n-gram leaves no anchor there), up to ``gap`` words:
    to the farthest run of at least two identical words such that most words up to it
    (60%) are identical, so the passage still starts and ends on shared words and a stray
    common pair of words ("of the") does not stretch it."""

    back_a, back_b = _reach(keys_a[max(0, first_a - gap) : first_a][::-1], keys_b[max(0, first_b - gap) : first_b][::-1])
    ahead_a, ahead_b = _reach(keys_a[end_a : end_a + gap], keys_b[end_b : end_b + gap])
    return first_a - back_a, first_b - back_b, end_a + ahead_a, end_b + ahead_b


def _reach(side_a, side_b) -> tuple[int, int]:
    """How far into ``side_a`` and ``side_b`` (the words beyond a passage's end, or before its start
    reversed) the passage extends: to the end of the farthest matching block of at least two words
    (difflib's) such that 60% of the words up to it are matched; ``(0, 0)`` when there is none.

    Such a block is two words in a row found in both, so two sides that share no pair of adjacent
    words extend nothing, and are answered without difflib: most passages end where the two texts
    part, and this was 114,532 SequenceMatchers (a third of ``reuse``'s time) on 10,000 news articles.

    Examples
    --------
    >>> _reach("the regime said on monday".split(), "the regime said on tuesday".split())
    (4, 4)
    >>> _reach("of the regime".split(), "the regime of".split())  # "the regime": 2 of 3 words matched
    (3, 2)
    >>> _reach("a b c".split(), "c b a".split())  # no pair of adjacent words in common
    (0, 0)
    """
    if not set(zip(side_a, side_a[1:])) & set(zip(side_b, side_b[1:])):
        return 0, 0
    blocks = [m for m in SequenceMatcher(None, side_a, side_b, autojunk=False).get_matching_blocks() if m.size]
    best, matched = (0, 0), 0
    for m in blocks:
        matched += m.size
        length = max(m.a, m.b) + m.size
        if m.size >= 2 and matched >= 0.6 * length:
            best = (m.a + m.size, m.b + m.size)
    return best


def _aligned(keys_a, keys_b, first_a: int, end_a: int, first_b: int, end_b: int):
    """The passage trimmed to its first and last aligned words (so both spans start and end
    on the same words) and its similarity: identical words (difflib's matching blocks) over
    the longer side's length. None when the two sides share no word."""
    blocks = [m for m in SequenceMatcher(None, keys_a[first_a:end_a], keys_b[first_b:end_b],
                                         autojunk=False).get_matching_blocks() if m.size]
    if not blocks:
        return None
    first, last = blocks[0], blocks[-1]
    first_a, first_b, end_a, end_b = (first_a + first.a, first_b + first.b, first_a + last.a + last.size,
                                      first_b + last.b + last.size)
    same = sum(m.size for m in blocks)
    return first_a, end_a, first_b, end_b, same / max(end_a - first_a, end_b - first_b)


@checked(min_words=COUNT, min_similarity=Number(0, 1), ngram=COUNT, max_df=Whole(low=2), gap=Whole(low=0))
def reuse(
    corpus: "Corpus | CorpusFiles",
    *,
    min_words: int = MIN_WORDS,
    min_similarity: float = MIN_SIMILARITY,
    ngram: int = 5,
    max_df: int = 20,
    gap: int = 20,
    time: str | None = None,
) -> pd.DataFrame:
    """Every passage two documents share: one row per aligned passage.

    Columns: ``doc_a``, ``doc_b`` (``doc_a`` first in corpus order), ``start_a``,
    ``end_a``, ``start_b``, ``end_b`` (character offsets into each ``clean_text``),
    ``n_words`` (words of the passage in ``doc_a``), ``similarity`` (identical words over
    the longer side's words), ``text_a``, ``first`` (the document dated earlier,
    by the ``time`` column; empty when the dates are equal or unknown), then each metadata
    column for both documents (``outlet_a``, ``outlet_b``...). Alignments of one pair that
    overlap or touch are one passage; both spans start and end on the same aligned words;
    a passage under ``min_similarity`` (default :data:`MIN_SIMILARITY`) is no reuse. See
    the module docstring for the method.

    ``corpus`` is a loaded :class:`~framing.documents.corpus.Corpus` or, for a corpus too
    large for memory, a :class:`~framing.documents.corpus.CorpusFiles`: both give the same
    passages. Memory holds at most :data:`SPILL_BYTES` of words and n-grams (the rest waits
    in a temporary folder), one bucket of n-grams at a time, the anchors, and the metadata.

    Examples
    --------
    >>> from framing.documents.corpus import load_corpus
    >>> shared = "we do not have elections in iran we have selections and nobody believes them"
    >>> corpus = load_corpus(pd.DataFrame({"text": ["He said: " + shared + ".", "Users wrote " + shared + " today."]}))
    >>> reuse(corpus, min_words=10)[["doc_a", "doc_b", "start_a", "start_b", "n_words", "similarity"]].values.tolist()
    [['doc00001', 'doc00002', 9, 12, 14, 1.0]]
    """
    if ngram > min_words:
        raise FramingError(f"ngram ({ngram}) is longer than min_words ({min_words}); give min_words of at least {ngram}")
    if time is not None:
        corpus.check_column(time)
    settings = dict(min_words=min_words, min_similarity=min_similarity, ngram=ngram, max_df=max_df, gap=gap, time=time)
    if isinstance(corpus, Corpus) and cache_folder() is not None:  # remembered in a run (framing.cache)
        def count():
            return {"passages": _passages(corpus, **settings)[0]}

        table = remembered(passages_key(corpus, **settings), count)[0]["passages"]
        meta = corpus.metadata()
    else:
        table, meta = _passages(corpus, **settings)
    meta = meta.set_index("doc_id")
    for column in meta.columns:
        table[f"{column}_a"] = table["doc_a"].map(meta[column]).to_numpy()
        table[f"{column}_b"] = table["doc_b"].map(meta[column]).to_numpy()
    return table


def passages_key(corpus: Corpus, *, time: str | None, **settings) -> str:
    """The key a run remembers the passages of ``corpus`` under (:mod:`framing.cache`): each
    document's id, cleaned text and language, the dates of ``time`` (they decide ``first``), every
    setting of :func:`reuse`, and framing's own code. The metadata is joined after, from the corpus
    at hand, as it is for a family's tables."""
    dates = [] if time is None else corpus.documents[time].astype(str).tolist()
    return digest("reuse", documents_key(corpus.documents), str(time), *dates,
                  *(f"{name}={value!r}" for name, value in sorted(settings.items())), code_key())


def _passages(corpus: "Corpus | CorpusFiles", *, min_words: int, min_similarity: float, ngram: int, max_df: int,
              gap: int, time: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The passages of :func:`reuse` (:data:`PASSAGE_COLUMNS`, no metadata), and the metadata of
    every document, as the pass over the batches read it."""
    with _Spill() as spill:
        meta, offsets = _index(corpus, ngram, spill)
        anchors = _sorted_anchors([_bucket_anchors(bucket["hash"], bucket["doc"], bucket["pos"], max_df)
                                   for bucket in map(spill.read, (f"bucket{b}" for b in range(N_BUCKETS))) if len(bucket)])
        keys, starts, ends = spill.slicer("keys"), spill.slicer("starts"), spill.slicer("ends")
        found = []  # (a, b, first_a, end_a, first_b, end_b, similarity) in words
        bounds = np.flatnonzero(np.r_[True, (anchors[1:, [0, 2]] != anchors[:-1, [0, 2]]).any(axis=1), True]) if len(anchors) else []
        for lo, hi in zip(bounds[:-1], bounds[1:]):
            a, b = int(anchors[lo, 0]), int(anchors[lo, 2])
            keys_a, keys_b = keys(offsets[a], offsets[a + 1]).tolist(), keys(offsets[b], offsets[b + 1]).tolist()
            found.extend((a, b, *passage) for passage in _pair_passages(anchors[lo:hi, [1, 3]], keys_a, keys_b, ngram=ngram,
                                                                      gap=gap, min_words=min_words, min_similarity=min_similarity))
        spans = [(a, b, int(starts(offsets[a] + fa, offsets[a] + fa + 1)[0]), int(ends(offsets[a] + za - 1, offsets[a] + za)[0]),
                  int(starts(offsets[b] + fb, offsets[b] + fb + 1)[0]), int(ends(offsets[b] + zb - 1, offsets[b] + zb)[0]),
                  za - fa, similarity) for a, b, fa, za, fb, zb, similarity in found]
    texts = _texts(corpus, {row[0] for row in spans})
    ids = meta["doc_id"].tolist()
    dates = _dates(meta, time)
    rows = [(ids[a], ids[b], ca, za, cb, zb, n, similarity, texts[a][ca:za], _first(dates, a, b, ids))
            for a, b, ca, za, cb, zb, n, similarity in spans]
    table = pd.DataFrame(rows, columns=PASSAGE_COLUMNS)
    table = table.astype({"start_a": np.int64, "end_a": np.int64, "start_b": np.int64, "end_b": np.int64,
                          "n_words": np.int64, "similarity": float})
    return table, meta


def _pair_passages(anchors: np.ndarray, keys_a: list, keys_b: list, *, ngram: int, gap: int, min_words: int,
                   min_similarity: float) -> list[tuple[int, int, int, int, float]]:
    """The passages of one pair of documents, ``(first_a, end_a, first_b, end_b, similarity)``
    in words, from their anchors (positions in a, positions in b): chained, merged, widened,
    merged again, aligned, and kept when long and similar enough."""
    spans = _merge([(c[0][0], c[-1][0] + ngram, c[0][1], c[-1][1] + ngram) for c in _chains(anchors, gap)],
                   gap, keys_a, keys_b)
    spans = [s for s in spans if s[1] - s[0] + 2 * gap >= min_words]  # too short even if widened
    widened = []
    for first_a, end_a, first_b, end_b in spans:
        first_a, first_b, end_a, end_b = _extend(keys_a, keys_b, first_a, first_b, end_a, end_b, gap)
        widened.append((first_a, end_a, first_b, end_b))
    out = []
    for span in _merge(widened, 0):
        aligned = _aligned(keys_a, keys_b, *span)
        if aligned is not None and aligned[1] - aligned[0] >= min_words and aligned[4] >= min_similarity:
            out.append(aligned)
    return out


def _texts(corpus, wanted: set[int]) -> dict[int, str]:
    """The ``clean_text`` of the documents at the given positions (a pass over the batches
    that keeps only those)."""
    texts: dict[int, str] = {}
    if not wanted:
        return texts
    n = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the first pass has said which documents are empty
        for part in corpus.batches():
            for i, text in enumerate(part.documents["clean_text"].tolist(), start=n):
                if i in wanted:
                    texts[i] = text
            n += len(part)
            if len(texts) == len(wanted):
                break
    return texts


def _dates(meta: pd.DataFrame, time: str | None):
    if time is None:
        return None
    dates = read_dates(meta[time])
    if dates.isna().all():
        raise FramingError(f"column '{time}' holds no date (e.g. 2021-06-18); name the column of each document's date")
    return dates.to_numpy()


def _first(dates, a: int, b: int, ids: list[str]) -> str:
    if dates is None or pd.isna(dates[a]) or pd.isna(dates[b]) or dates[a] == dates[b]:
        return ""
    return ids[a] if dates[a] < dates[b] else ids[b]


# --------------------------------------------------------------------------- summaries


def _passage_spans(passages: pd.DataFrame, *, earlier_only: bool = False) -> dict[str, list[tuple[int, int]]]:
    """Per document, the character spans of the passages it shares (with ``earlier_only``: those
    whose other document came first)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for side, other in (("a", "b"), ("b", "a")):
        for row in passages.itertuples(index=False):
            if earlier_only and row.first != getattr(row, f"doc_{other}"):
                continue
            spans.setdefault(getattr(row, f"doc_{side}"), []).append((getattr(row, f"start_{side}"), getattr(row, f"end_{side}")))
    return spans


def _reused_count(doc, spans) -> int:
    """Word tokens of ``doc`` inside any of ``spans``."""
    mask = np.zeros(len(doc), dtype=bool)
    for start, end in spans:
        mask |= (doc.starts >= start) & (doc.ends <= end)
    return int((mask & doc.is_word).sum())


@checked(near=Number(0, 1, open_low=True))
def reuse_shares(passages: pd.DataFrame, corpus: "Corpus | CorpusFiles", *, near: float = 0.8) -> pd.DataFrame:
    """Per document: ``n_words``, ``reused_words`` (in a passage shared with any other
    document), ``share``, ``reused_from_earlier`` (in a passage whose other document is dated
    earlier: ``first`` of :func:`reuse`), ``share_from_earlier``, and ``near_duplicate_of``:
    the documents with which it shares passages covering at least ``near`` of both.

    The passages come first, as in :func:`reuse_matrix`: the table reduced, then the corpus
    that gives each document's words (loaded, or :class:`~framing.documents.corpus.CorpusFiles`
    read batch by batch)."""
    if isinstance(passages, (Corpus, CorpusFiles)):
        raise FramingError("reuse_shares takes (passages, corpus): the table of framing.features.reuse first, as reuse_matrix does")
    shared, earlier = _passage_spans(passages), _passage_spans(passages, earlier_only=True)
    rows, metadata = [], []
    for part in corpus.batches():
        metadata.append(part.metadata())
        for doc_id, doc in part.iter_tokens():
            n = doc.n_words
            reused = _reused_count(doc, shared[doc_id]) if doc_id in shared else 0
            early = _reused_count(doc, earlier[doc_id]) if doc_id in earlier else 0
            rows.append((doc_id, n, reused, reused / n if n else np.nan, early, early / n if n else np.nan))
    table = pd.DataFrame(rows, columns=["doc_id", "n_words", "reused_words", "share", "reused_from_earlier",
                                        "share_from_earlier"])
    pair_words = passages.groupby(["doc_a", "doc_b"])["n_words"].sum() if len(passages) else pd.Series(dtype=float)
    size = table.set_index("doc_id")["n_words"]
    near_of: dict[str, list[str]] = {}
    for (a, b), words in pair_words.items():
        if size[a] and size[b] and words / size[a] >= near and words / size[b] >= near:
            near_of.setdefault(a, []).append(b)
            near_of.setdefault(b, []).append(a)
    table["near_duplicate_of"] = [";".join(near_of.get(d, ())) for d in table["doc_id"]]
    meta = pd.concat(metadata, ignore_index=True)
    return meta.merge(table, on="doc_id", how="right")


def reuse_matrix(passages: pd.DataFrame, corpus: Corpus, by: str) -> pd.DataFrame:
    """Groups x groups: words of the row group's documents in passages shared with the column
    group's documents (passages between two documents of one group on the diagonal). Every
    group of ``by`` has a row and a column, zeros included, up to
    :data:`framing.groups.MAX_SIMILARITY_ROWS` groups; beyond, the groups whose documents share
    most words, decided before the matrix is made (10,000 groups would make 100 million cells),
    with a warning, the note in ``matrix.attrs["left_out"]`` and the number of groups in
    ``matrix.attrs["n_groups"]``. ``corpus`` is loaded, or
    :class:`~framing.documents.corpus.CorpusFiles` (one pass for its metadata).

    Examples
    --------
    >>> from framing.documents.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "Y", "X"], "text": ["w"] * 3}))
    >>> passages = pd.DataFrame({"doc_a": ["a", "a"], "doc_b": ["b", "c"], "n_words": [40, 25]})
    >>> reuse_matrix(passages, corpus, "outlet").values.tolist()
    [[25, 40], [40, 0]]
    """
    from framing.groups import keep_rows

    groups = corpus.groups(by) if isinstance(corpus, Corpus) else group_labels(corpus.metadata(), by)
    names = sorted(set(groups))
    side_a, side_b = passages["doc_a"].map(groups), passages["doc_b"].map(groups)
    if side_a.isna().any() or side_b.isna().any():
        unknown = passages.loc[side_a.isna(), "doc_a"].tolist() + passages.loc[side_b.isna(), "doc_b"].tolist()
        raise FramingError(f"passages name document '{unknown[0]}', which is not in the corpus; "
                           "give the corpus the passages were found in")
    side_a, side_b = side_a.to_numpy(), side_b.to_numpy()
    words = passages["n_words"].to_numpy(np.int64)
    shared = dict.fromkeys(names, 0)  # a group's shared words, ranked as the row and column sums rank them
    for a, b, n in zip(side_a, side_b, words.tolist()):
        shared[a] += n
        if b != a:
            shared[b] += n
    names, left_out = keep_rows(names, shared, what="groups", size="shared words", kind="reuse matrix")
    index = {g: k for k, g in enumerate(names)}
    row = np.fromiter((index.get(g, -1) for g in side_a), np.int64, len(side_a))
    col = np.fromiter((index.get(g, -1) for g in side_b), np.int64, len(side_b))
    values = np.zeros((len(names), len(names)), dtype=np.int64)
    both = (row >= 0) & (col >= 0)
    np.add.at(values, (row[both], col[both]), words[both])
    apart = both & (row != col)  # a passage between two groups counts on both sides
    np.add.at(values, (col[apart], row[apart]), words[apart])
    matrix = pd.DataFrame(values, index=pd.Index(names, name=by), columns=pd.Index(names, name=f"{by}_other"))
    if left_out:
        matrix.attrs["left_out"], matrix.attrs["n_groups"] = left_out, len(shared)
    return matrix


def without_reused(corpus: Corpus, passages: pd.DataFrame, *, earlier_only: bool = False) -> Corpus:
    """The corpus with the text of shared passages blanked out (replaced by spaces, so every
    offset stays where it was): counts over it are counts of what each outlet wrote itself.
    ``earlier_only`` blanks a passage only in the document dated later (``first`` of
    :func:`reuse`), keeping it where it appeared first."""
    docs = corpus.documents.copy()
    texts = dict(zip(docs["doc_id"], docs["clean_text"]))
    for doc_id, parts in _passage_spans(passages, earlier_only=earlier_only).items():
        chars = list(texts[doc_id])
        for start, end in parts:
            chars[start:end] = [c if c == "\n" else " " for c in chars[start:end]]
        texts[doc_id] = "".join(chars)
    docs["clean_text"] = docs["doc_id"].map(texts)
    return Corpus(docs, corpus.cleaning_report, corpus.source)


def mark_reused(matches: pd.DataFrame, passages: pd.DataFrame) -> pd.DataFrame:
    """Match records (:func:`framing.explain`) with a ``reused`` column: True where the match
    lies inside a passage its document shares with another."""
    spans = _passage_spans(passages)
    flags = [any(s <= start and end <= e for s, e in spans.get(doc_id, ()))
             for doc_id, start, end in zip(matches["doc_id"], matches["start"], matches["end"])]
    return matches.assign(reused=np.array(flags, dtype=bool))


def passage_records(passages: pd.DataFrame) -> pd.DataFrame:
    """The passages as match records, one per side (``doc_id``, ``category`` "shared passage",
    ``pattern`` naming the other document, ``text``, ``start``, ``end``), for the highlighted
    page of :func:`framing.render_html`."""
    rows = []
    for row in passages.itertuples(index=False):
        for side, other in (("a", "b"), ("b", "a")):
            start, end = getattr(row, f"start_{side}"), getattr(row, f"end_{side}")
            rows.append((getattr(row, f"doc_{side}"), "shared passage",
                         f"shared with {getattr(row, f'doc_{other}')}: {row.n_words} words, similarity {row.similarity:.2f}",
                         start, end))
    table = pd.DataFrame(rows, columns=["doc_id", "category", "pattern", "start", "end"])
    return table.sort_values(["doc_id", "start"], kind="mergesort").reset_index(drop=True)
