"""Stories: documents grouped into the events they report, so outlets can be compared on the same story.

An outlet that covers more crime stories uses more "violence" words without framing any
story differently: what it chose to cover (agenda) and how it covered it (framing) are
confounded in a pooled comparison. :func:`stories` groups documents into stories, and the
comparisons ``--within story`` (:mod:`framing.comparison.within`) use them as strata.

**Method.** Each document is a TF-IDF vector (words, English stopwords out, sublinear term
frequency, terms in at least 2 documents and at most half of them, rows of unit length).
Two documents are linked when their cosine similarity reaches ``threshold`` and their dates
lie at most ``window`` days apart; a passage they share (``passages``, from
:func:`framing.features.reuse.reuse`) halves the similarity they need (:data:`REUSE_BAR`). A story is a connected set of linked
documents (single linkage), so a story can grow by a chain of links; its ``cohesion`` (mean
cosine of its documents to their centroid) shows how tight it is, and a low one deserves a
look. Dates are cut into blocks of ``window`` days and each block is compared with itself and
the next, by sparse matrix products, so the cost grows with the corpus and the documents of a
window, not with the square of the corpus. Without a date column the corpus is one window
(small corpora only: the cost is then quadratic).

A story's id is ``story-`` and the date of its first document (``story-2017-03-04-0002``: the
second story starting that day, in corpus order of its first document), or ``story-00001``
without dates: the same inputs give the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from framing.documents.corpus import Corpus
from framing.errors import FramingError
from framing.params import check_int, read_dates

THRESHOLD = 0.3
"""Cosine similarity from which two documents are linked (0.3: the same event, named in its own
words; two stories on one topic rarely share that much distinctive vocabulary)."""
WINDOW = 3
"""Days between two documents of one story, at most."""
REUSE_BAR = 0.5
"""A shared passage links two documents whose cosine reaches this share of the threshold. Not any
shared passage: on the nine-outlet news corpus, 197 of 815 passages shared within three days were
boilerplate ("by emailing haveyoursay@bbc.co.uk...") between unrelated stories (median cosine 0.16)."""


@dataclass
class Stories:
    """One row per document (``documents``: ``doc_id``, ``story``, and the grouping and date columns),
    one row per story (``table``: ``story``, ``size``, ``n_groups``, ``groups``, ``first``, ``last``,
    ``top_terms``, ``cohesion``), and the settings that made them (``settings``)."""

    documents: pd.DataFrame
    table: pd.DataFrame
    settings: dict

    def attach(self, table: pd.DataFrame, column: str = "story") -> pd.DataFrame:
        """``table`` (keyed by ``doc_id``: a feature table, a unit table) with each document's story as ``column``."""
        if column in table.columns:
            raise FramingError(f"the table has a column '{column}' already; name the story column otherwise")
        mapping = self.documents.set_index("doc_id")["story"]
        missing = sorted(set(table["doc_id"]) - set(mapping.index))
        if missing:
            raise FramingError(f"document {missing[0]} has no story: group the same corpus into stories")
        return table.assign(**{column: table["doc_id"].map(mapping)})


def _vectors(corpus: Corpus):
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = corpus.documents["clean_text"].fillna("").tolist()
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2 if len(texts) > 2 else 1,
                                 max_df=0.5 if len(texts) > 4 else 1.0, token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b")
    try:
        return vectorizer.fit_transform(texts), vectorizer.get_feature_names_out()
    except ValueError:  # no term in two documents: nothing links them
        from scipy import sparse

        return sparse.csr_matrix((len(texts), 0)), np.array([], dtype=object)


def _links(x, days: np.ndarray | None, window: int, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(i, j)``, ``i < j``, with cosine >= threshold and dates at most ``window`` days apart."""
    n = x.shape[0]
    if days is None:
        blocks = {0: np.arange(n)}
        pairs_of = [(0, 0)]
    else:
        block = np.floor_divide(days, max(window, 1))
        blocks = {b: np.flatnonzero(block == b) for b in np.unique(block)}
        pairs_of = [(b, b2) for b in blocks for b2 in (b, b + 1) if b2 in blocks]
    rows, cols = [], []
    for b, b2 in pairs_of:
        left, right = blocks[b], blocks[b2]
        sim = (x[left] @ x[right].T).tocoo()
        keep = sim.data >= threshold
        i, j = left[sim.row[keep]], right[sim.col[keep]]
        ok = i < j
        if days is not None:
            ok &= np.abs(days[i] - days[j]) <= window
        rows.append(i[ok])
        cols.append(j[ok])
    return (np.concatenate(rows) if rows else np.array([], int)), (np.concatenate(cols) if cols else np.array([], int))


def stories(corpus: Corpus, *, by: str | None = None, time: str | None = None, window: int = WINDOW,
            threshold: float = THRESHOLD, passages: pd.DataFrame | None = None, top: int = 5) -> Stories:
    """Group the documents of ``corpus`` into stories (see the module docstring).

    ``by``: the grouping column (outlets) whose groups each story table row counts and names;
    ``time``: the date column (None: the whole corpus is one window); ``passages``: shared passages
    (:func:`framing.features.reuse.reuse`): two documents sharing one are linked from half the threshold.

    Examples
    --------
    >>> from framing.documents.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"outlet": ["A", "B", "A", "B"], "text": [
    ...     "Flood waters hit Dhaka; rescue boats reached stranded villagers.",
    ...     "Rescue boats reached villagers stranded by flood waters in Dhaka.",
    ...     "The central bank raised interest rates to curb inflation.",
    ...     "Inflation pushed the central bank to raise interest rates."]}))
    >>> result = stories(corpus, by="outlet")
    >>> result.documents["story"].tolist()
    ['story-00001', 'story-00001', 'story-00002', 'story-00002']
    >>> result.table[["story", "size", "n_groups"]].values.tolist()
    [['story-00001', 2, 2], ['story-00002', 2, 2]]
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    check_int("window", window, low=0)
    if not 0 < float(threshold) <= 1:
        raise FramingError(f"threshold must lie above 0 and at most 1 (a cosine similarity), got {threshold!r}")
    if by is not None:
        corpus.check_column(by)
    docs = corpus.documents.reset_index(drop=True)
    n = len(docs)
    if n == 0:
        raise FramingError("the corpus has no document to group into stories")
    days = None
    if time is not None:
        corpus.check_column(time)
        dates = read_dates(docs[time])
        missing = docs.loc[dates.isna(), "doc_id"].tolist()
        if missing:
            raise FramingError(f"{len(missing)} document(s) have no readable date in '{time}' "
                               f"({', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}); give them dates, "
                               "or group without --time")
        days = ((dates - pd.Timestamp("1970-01-01", tz="UTC")) // pd.Timedelta(days=1)).to_numpy(np.int64)
    x, vocabulary = _vectors(corpus)
    i, j = _links(x, days, window, threshold)
    if passages is not None and len(passages):
        position = pd.Series(np.arange(n), index=docs["doc_id"].to_numpy())
        unknown = sorted(set(passages["doc_a"]).union(passages["doc_b"]) - set(position.index))
        if unknown:
            raise FramingError(f"the passages name document {unknown[0]}, which is not in this corpus; "
                               "find them on the same corpus (framing reuse)")
        pa, pb = position[passages["doc_a"]].to_numpy(), position[passages["doc_b"]].to_numpy()
        cosine = np.asarray(x[pa].multiply(x[pb]).sum(axis=1)).ravel()
        evidence = cosine >= threshold * REUSE_BAR  # a shared passage lowers the bar; boilerplate alone does not link
        i, j = np.concatenate([i, pa[evidence]]), np.concatenate([j, pb[evidence]])
    graph = coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    # stable ids: stories ordered by (first date, position of their first document in the corpus)
    first_doc = pd.Series(np.arange(n)).groupby(label).min()
    if days is not None:
        first_day = pd.Series(days).groupby(label).min()
        order = sorted(first_doc.index, key=lambda s: (first_day[s], first_doc[s]))
        names, count = {}, {}
        for s in order:
            day = str((pd.Timestamp("1970-01-01") + pd.Timedelta(days=int(first_day[s]))).date())
            count[day] = count.get(day, 0) + 1
            names[s] = f"story-{day}-{count[day]:04d}"
    else:
        order = sorted(first_doc.index, key=lambda s: first_doc[s])
        names = {s: f"story-{k + 1:05d}" for k, s in enumerate(order)}
    story = np.array([names[s] for s in label], dtype=object)
    documents = docs[["doc_id"] + [c for c in (by, time) if c is not None]].assign(story=story)
    table = _story_table(documents, x, vocabulary, label, [names[s] for s in order], order, by=by, time=time, top=top)
    settings = {"window": window if time is not None else None, "threshold": threshold, "time": time, "by": by,
                "passages": 0 if passages is None else len(passages), "n_links": int(len(i))}
    return Stories(documents, table, settings)


def _story_table(documents, x, vocabulary, label, names, order, *, by, time, top) -> pd.DataFrame:
    """One row per story, in ``order``, computed for all stories at once (sparse products, one groupby):
    the centroid of a story is the mean of its rows, its cohesion the mean cosine of its rows to it."""
    from scipy import sparse

    n_docs, n_stories = x.shape[0], int(label.max()) + 1
    member = sparse.csr_matrix((np.ones(n_docs), (label, np.arange(n_docs))), shape=(n_stories, n_docs))
    size = np.asarray(member.sum(axis=1)).ravel()
    centroid = sparse.diags(1.0 / size) @ (member @ x)  # stories x terms, sparse
    norm = np.sqrt(np.asarray(centroid.multiply(centroid).sum(axis=1)).ravel())
    to_centroid = np.asarray(x.multiply(centroid[label]).sum(axis=1)).ravel()  # x_i . c_s
    with np.errstate(divide="ignore", invalid="ignore"):
        cosine = np.where(norm[label] > 0, to_centroid / norm[label], 0.0)
    cohesion = np.bincount(label, weights=cosine, minlength=n_stories) / size
    cohesion[size == 1] = 1.0
    centroid = centroid.tocsr()
    terms = []
    for s in range(n_stories):
        row = centroid[s]
        best = row.indices[np.lexsort((row.indices, -row.data))[:top]] if row.nnz else []
        terms.append(" ".join(vocabulary[k] for k in best))
    if by is not None:
        groups = documents[by].astype(str)
        n_groups = groups.groupby(label).nunique().reindex(range(n_stories)).to_numpy()
        listed = groups.groupby(label).agg(lambda g: "; ".join(sorted(set(g)))).reindex(range(n_stories)).to_numpy()
    else:
        n_groups, listed = np.zeros(n_stories, int), np.full(n_stories, "")
    if time is not None:
        dates = read_dates(documents[time]).dt.date.astype(str)
        first = dates.groupby(label).min().reindex(range(n_stories)).to_numpy()
        last = dates.groupby(label).max().reindex(range(n_stories)).to_numpy()
    else:
        first = last = np.full(n_stories, "")
    table = pd.DataFrame({"story": pd.Series(dict(zip(order, names))).reindex(range(n_stories)).to_numpy(),
                          "size": size.astype(int), "n_groups": n_groups, "groups": listed, "first": first, "last": last,
                          "top_terms": terms, "cohesion": np.round(cohesion, 6)})
    return table.iloc[order].reset_index(drop=True)
