"""Text reuse: passages two documents share, found through shared word n-grams, aligned, and summed per outlet.

Outlets copy (wire copy, press releases, one movement's sites republishing each other),
and copied text makes outlets look alike and counts a copied frame twice. The method is
passim's (Smith, Cordell & Mullen 2015), in outline:

1. every document's words (lowercased, punctuation left out) are cut into overlapping
   n-grams (``ngram``, default 5 words), each hashed to 64 bits;
2. the hashes of the whole corpus are sorted once; an n-gram found in 2 to ``max_df``
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

from difflib import SequenceMatcher

import numpy as np
import pandas as pd

from framing.documents.corpus import Corpus
from framing.errors import FramingError
from framing.params import COUNT, Number, Whole, checked, read_dates

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


def _words(corpus: Corpus):
    """Per document: its words as ids (lowercased, punctuation left out) and the character span
    of each word in ``clean_text``. Only these arrays are kept: a large corpus's tokens are not."""
    vocab: dict[str, int] = {}
    out = []
    for _, doc in corpus.iter_tokens():
        keep = np.flatnonzero(doc.is_word) if len(doc) else np.array([], dtype=np.int64)
        lower = doc.lower
        ids = np.fromiter((vocab.setdefault(lower[i], len(vocab)) for i in keep), np.int64, len(keep))
        out.append((ids, doc.starts[keep] if len(keep) else keep, doc.ends[keep] if len(keep) else keep))
    return out


def _shingle_hashes(ids: np.ndarray, n: int) -> np.ndarray:
    """64-bit hashes of the n-grams of a sequence of word ids (a polynomial over the ids, then
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


def _anchors(hashes: list[np.ndarray], max_df: int) -> np.ndarray:
    """Rows (doc a, position in a, doc b, position in b), a < b, for the n-grams two documents
    share; sorted by pair, then positions. An n-gram found in at most ``max_df`` documents
    anchors every pair of them; one found in up to :data:`REPRINT_DF` times as many (wire
    copy reprinted by many outlets) anchors each document with the first that has it, so its
    cost grows with its documents, not their pairs; commoner ones anchor nothing. Stock
    phrases are told from reprints by the length of the aligned run (``min_words``), not by
    their spread alone. An n-gram a document repeats (a refrain, a slogan chanted five times)
    anchors at its first occurrence only: once per pair, so its repeats cannot chain into a
    passage."""
    sizes = np.fromiter(map(len, hashes), np.int64, len(hashes))
    if sizes.sum() == 0:
        return np.zeros((0, 4), dtype=np.int64)
    h = np.concatenate(hashes)
    doc = np.repeat(np.arange(len(hashes), dtype=np.int64), sizes)
    pos = np.concatenate([np.arange(s, dtype=np.int64) for s in sizes])
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
    pairs = pairs[np.lexsort((pairs[:, 3], pairs[:, 1], pairs[:, 2], pairs[:, 0]))]
    return pairs


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

    def reach(side_a, side_b):
        blocks = [m for m in SequenceMatcher(None, side_a, side_b, autojunk=False).get_matching_blocks() if m.size]
        best, matched = (0, 0), 0
        for m in blocks:
            matched += m.size
            length = max(m.a, m.b) + m.size
            if m.size >= 2 and matched >= 0.6 * length:
                best = (m.a + m.size, m.b + m.size)
        return best

    back_a, back_b = reach(keys_a[max(0, first_a - gap) : first_a][::-1], keys_b[max(0, first_b - gap) : first_b][::-1])
    ahead_a, ahead_b = reach(keys_a[end_a : end_a + gap], keys_b[end_b : end_b + gap])
    return first_a - back_a, first_b - back_b, end_a + ahead_a, end_b + ahead_b


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
    corpus: Corpus,
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
    words = _words(corpus)
    hashes = [_shingle_hashes(ids, ngram) for ids, _, _ in words]
    anchors = _anchors(hashes, max_df)
    ids = corpus.doc_ids
    texts = corpus.documents["clean_text"].tolist()
    dates = _dates(corpus, time)
    rows = []
    if len(anchors):
        bounds = np.flatnonzero(np.r_[True, (anchors[1:, [0, 2]] != anchors[:-1, [0, 2]]).any(axis=1), True])
        for lo, hi in zip(bounds[:-1], bounds[1:]):
            a, b = int(anchors[lo, 0]), int(anchors[lo, 2])
            keys_a, starts_a, ends_a = words[a][0].tolist(), words[a][1], words[a][2]
            keys_b, starts_b, ends_b = words[b][0].tolist(), words[b][1], words[b][2]
            spans = _merge([(c[0][0], c[-1][0] + ngram, c[0][1], c[-1][1] + ngram)
                            for c in _chains(anchors[lo:hi, [1, 3]], gap)], gap, keys_a, keys_b)
            spans = [s for s in spans if s[1] - s[0] + 2 * gap >= min_words]  # too short even if widened
            widened = []
            for first_a, end_a, first_b, end_b in spans:
                first_a, first_b, end_a, end_b = _extend(keys_a, keys_b, first_a, first_b, end_a, end_b, gap)
                widened.append((first_a, end_a, first_b, end_b))
            for span in _merge(widened, 0):
                aligned = _aligned(keys_a, keys_b, *span)
                if aligned is None:
                    continue
                first_a, end_a, first_b, end_b, similarity = aligned
                if end_a - first_a < min_words or similarity < min_similarity:
                    continue
                ca, cb = int(starts_a[first_a]), int(starts_b[first_b])
                za, zb = int(ends_a[end_a - 1]), int(ends_b[end_b - 1])
                rows.append((ids[a], ids[b], ca, za, cb, zb, end_a - first_a, similarity, texts[a][ca:za],
                             _first(dates, a, b, ids)))
    table = pd.DataFrame(rows, columns=PASSAGE_COLUMNS)
    table = table.astype({"start_a": np.int64, "end_a": np.int64, "start_b": np.int64, "end_b": np.int64,
                          "n_words": np.int64, "similarity": float})
    meta = corpus.metadata().set_index("doc_id")
    for column in meta.columns:
        table[f"{column}_a"] = table["doc_a"].map(meta[column]).to_numpy()
        table[f"{column}_b"] = table["doc_b"].map(meta[column]).to_numpy()
    return table


def _dates(corpus: Corpus, time: str | None):
    if time is None:
        return None
    dates = read_dates(corpus.documents[time])
    if dates.isna().all():
        raise FramingError(f"column '{time}' holds no date (e.g. 2021-06-18); name the column of each document's date")
    return dates.to_numpy()


def _first(dates, a: int, b: int, ids: list[str]) -> str:
    if dates is None or pd.isna(dates[a]) or pd.isna(dates[b]) or dates[a] == dates[b]:
        return ""
    return ids[a] if dates[a] < dates[b] else ids[b]


# --------------------------------------------------------------------------- summaries


def _reused_words(corpus: Corpus, passages: pd.DataFrame, *, earlier_only: bool = False) -> dict[str, np.ndarray]:
    """Per document, a mask of its word tokens inside a passage it shares (with ``earlier_only``:
    a passage whose other document came first)."""
    masks = {}
    for doc_id in corpus.doc_ids:
        doc = corpus.tokens[doc_id]
        masks[doc_id] = np.zeros(len(doc), dtype=bool)
    for side, other in (("a", "b"), ("b", "a")):
        for row in passages.itertuples(index=False):
            doc_id = getattr(row, f"doc_{side}")
            if earlier_only and row.first != getattr(row, f"doc_{other}"):
                continue
            doc = corpus.tokens[doc_id]
            start, end = getattr(row, f"start_{side}"), getattr(row, f"end_{side}")
            masks[doc_id] |= (doc.starts >= start) & (doc.ends <= end)
    return masks


@checked(near=Number(0, 1, open_low=True))
def reuse_shares(passages: pd.DataFrame, corpus: Corpus, *, near: float = 0.8) -> pd.DataFrame:
    """Per document: ``n_words``, ``reused_words`` (in a passage shared with any other
    document), ``share``, ``reused_from_earlier`` (in a passage whose other document is dated
    earlier: ``first`` of :func:`reuse`), ``share_from_earlier``, and ``near_duplicate_of``:
    the documents with which it shares passages covering at least ``near`` of both.

    The passages come first, as in :func:`reuse_matrix`: the table reduced, then the corpus
    that gives each document's words."""
    if isinstance(passages, Corpus):
        raise FramingError("reuse_shares takes (passages, corpus): the table of framing.features.reuse first, as reuse_matrix does")
    any_mask = _reused_words(corpus, passages)
    earlier = _reused_words(corpus, passages, earlier_only=True)
    rows = []
    for doc_id in corpus.doc_ids:
        doc = corpus.tokens[doc_id]
        n = int(doc.is_word.sum()) if len(doc) else 0
        reused = int((any_mask[doc_id] & doc.is_word).sum()) if len(doc) else 0
        early = int((earlier[doc_id] & doc.is_word).sum()) if len(doc) else 0
        rows.append((doc_id, n, reused, reused / n if n else np.nan, early, early / n if n else np.nan))
    table = pd.DataFrame(rows, columns=["doc_id", "n_words", "reused_words", "share", "reused_from_earlier",
                                        "share_from_earlier"])
    pair_words = passages.groupby(["doc_a", "doc_b"])["n_words"].sum() if len(passages) else pd.Series(dtype=float)
    size = table.set_index("doc_id")["n_words"]
    near_of: dict[str, list[str]] = {d: [] for d in corpus.doc_ids}
    for (a, b), words in pair_words.items():
        if size[a] and size[b] and words / size[a] >= near and words / size[b] >= near:
            near_of[a].append(b)
            near_of[b].append(a)
    table["near_duplicate_of"] = [";".join(near_of[d]) for d in table["doc_id"]]
    return corpus.with_metadata(table)


def reuse_matrix(passages: pd.DataFrame, corpus: Corpus, by: str) -> pd.DataFrame:
    """Groups x groups: words of the row group's documents in passages shared with the column
    group's documents (passages between two documents of one group on the diagonal). Every
    group of ``by`` has a row and a column, zeros included."""
    groups = corpus.groups(by)
    names = sorted(set(groups))
    matrix = pd.DataFrame(0, index=pd.Index(names, name=by), columns=pd.Index(names, name=f"{by}_other"), dtype=np.int64)
    for row in passages.itertuples(index=False):
        ga, gb = groups[row.doc_a], groups[row.doc_b]
        matrix.loc[ga, gb] += int(row.n_words)
        if ga != gb:
            matrix.loc[gb, ga] += int(row.n_words)
    return matrix


def without_reused(corpus: Corpus, passages: pd.DataFrame, *, earlier_only: bool = False) -> Corpus:
    """The corpus with the text of shared passages blanked out (replaced by spaces, so every
    offset stays where it was): counts over it are counts of what each outlet wrote itself.
    ``earlier_only`` blanks a passage only in the document dated later (``first`` of
    :func:`reuse`), keeping it where it appeared first."""
    docs = corpus.documents.copy()
    texts = dict(zip(docs["doc_id"], docs["clean_text"]))
    spans: dict[str, list[tuple[int, int]]] = {}
    for side, other in (("a", "b"), ("b", "a")):
        for row in passages.itertuples(index=False):
            if earlier_only and row.first != getattr(row, f"doc_{other}"):
                continue
            spans.setdefault(getattr(row, f"doc_{side}"), []).append((getattr(row, f"start_{side}"), getattr(row, f"end_{side}")))
    for doc_id, parts in spans.items():
        chars = list(texts[doc_id])
        for start, end in parts:
            chars[start:end] = [c if c == "\n" else " " for c in chars[start:end]]
        texts[doc_id] = "".join(chars)
    docs["clean_text"] = docs["doc_id"].map(texts)
    return Corpus(docs, corpus.cleaning_report, corpus.source)


def mark_reused(matches: pd.DataFrame, passages: pd.DataFrame) -> pd.DataFrame:
    """Match records (:func:`framing.explain`) with a ``reused`` column: True where the match
    lies inside a passage its document shares with another."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for side in ("a", "b"):
        for row in passages.itertuples(index=False):
            spans.setdefault(getattr(row, f"doc_{side}"), []).append((getattr(row, f"start_{side}"), getattr(row, f"end_{side}")))
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
