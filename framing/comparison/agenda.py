"""Agenda: which stories each group covered, apart from how it framed them (tables only).

From the per-document story table of :func:`framing.features.stories.stories` (``doc_id``,
``story`` and the grouping column): :func:`agenda` gives each group's coverage and how much the
groups' agendas overlap. A story "shared" is one that at least ``min_groups`` groups covered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from framing.errors import FramingError
from framing.tables import require_columns

COVERAGE_COLUMNS = ["n_docs", "n_stories", "n_shared_stories", "docs_in_shared", "share_in_shared", "n_alone",
                    "docs_alone"]


@dataclass
class Agenda:
    """``coverage``: one row per group (:data:`COVERAGE_COLUMNS`); ``overlap``: one row per pair of groups
    that covered a story in common (``group``, ``other``, ``n_stories``; tidy, so ten thousand groups stay
    small); ``matrix``: group x story, the group's documents in each of the ``top`` largest shared stories."""

    coverage: pd.DataFrame
    overlap: pd.DataFrame
    matrix: pd.DataFrame


def stories_about(table: pd.DataFrame, words) -> list[str]:
    """The stories of a story table (:func:`framing.features.stories.stories`' ``table``) whose top terms hold
    any of ``words`` (whole terms, case-insensitive): a topic, for :func:`agenda`'s ``stories``.

    Examples
    --------
    >>> t = pd.DataFrame({"story": ["s1", "s2", "s3"], "top_terms": ["protest police", "rates inflation", "protesters"]})
    >>> stories_about(t, ["protest", "protesters"])
    ['s1', 's3']
    """
    require_columns(table, ["story", "top_terms"], where="the story table")
    wanted = {str(w).lower() for w in ([words] if isinstance(words, str) else words)}
    hits = table["top_terms"].fillna("").str.lower().str.split().map(lambda terms: bool(wanted & set(terms)))
    return table.loc[hits, "story"].astype(str).tolist()


def agenda(documents: pd.DataFrame, by: str, *, story: str = "story", min_groups: int = 2, top: int = 100,
           stories=None) -> Agenda:
    """Each group's coverage: documents, stories covered, shared stories (covered by ``min_groups`` or
    more groups), its documents in them and their share of its documents, and stories it alone covered
    with more than one document (``n_alone``: a single article is no agenda; ``docs_alone``: their documents).

    ``stories`` (ids, e.g. :func:`stories_about` a topic) limits everything to those stories, so that
    "A covered 40% more protest stories than B" is read from ``n_stories``; ``n_docs`` is then the group's
    documents in them, and ``share_in_shared`` their share that other groups covered too.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": list("abcde"), "outlet": list("AABBB"), "story": ["s1", "s2", "s1", "s3", "s3"]})
    >>> agenda(docs, "outlet").coverage[["n_stories", "n_shared_stories", "docs_in_shared", "n_alone"]].values.tolist()
    [[2, 1, 1, 0], [2, 1, 1, 1]]
    """
    require_columns(documents, ["doc_id", by, story], where="the story table")
    docs = documents.drop_duplicates("doc_id").assign(**{by: lambda t: t[by].astype(str)})
    if docs[story].isna().any():
        raise FramingError(f"column '{story}' is empty for some documents; every document needs its story")
    if stories is not None:
        docs = docs[docs[story].astype(str).isin({str(s) for s in stories})]
        if docs.empty:
            raise FramingError("no document belongs to the stories chosen; check the topic words against the story table")
    groups_per_story = docs.groupby(story)[by].nunique()
    size = docs.groupby(story)["doc_id"].size()
    shared = set(groups_per_story[groups_per_story >= min_groups].index)
    coverage = _coverage(docs, by, story, docs[story].isin(shared),
                         docs[story].map((groups_per_story == 1) & (size > 1)).astype(bool))
    coverage.index.name = by
    from scipy import sparse

    g_codes, g_names = pd.factorize(docs[by], sort=True)
    s_codes, s_names = pd.factorize(docs[story], sort=True)
    covered = sparse.csr_matrix((np.ones(len(docs)), (g_codes, s_codes)), shape=(len(g_names), len(s_names)))
    covered.sum_duplicates()
    covered.data[:] = 1.0  # a group covered a story or not, whatever its documents in it
    pairs = (covered @ covered.T).tocoo()
    keep = pairs.row != pairs.col
    overlap = pd.DataFrame({"group": g_names[pairs.row[keep]], "other": g_names[pairs.col[keep]],
                            "n_stories": pairs.data[keep].astype(int)}).sort_values(["group", "other"]).reset_index(drop=True)
    order = sorted(shared, key=lambda s: (-size[s], s))[:top]
    in_top = docs[docs[story].isin(order)]
    matrix = pd.crosstab(in_top[by], in_top[story]).reindex(index=list(g_names), columns=order, fill_value=0)
    matrix.index.name, matrix.columns.name = by, story
    return Agenda(coverage, overlap, matrix)


def _coverage(docs: pd.DataFrame, by: str, story: str, in_shared: pd.Series, alone: pd.Series) -> pd.DataFrame:
    """:data:`COVERAGE_COLUMNS` for each group, from per-document flags: is the document's story
    shared, is it a story its group alone covered with more than one document. Grouped sums and
    distinct counts (a loop over ten thousand groups took a minute)."""
    flags = pd.DataFrame({"group": docs[by].to_numpy(), "story": docs[story].to_numpy(),
                          "in_shared": in_shared.to_numpy(), "alone": alone.to_numpy()})
    grouped = flags.groupby("group", sort=True)
    distinct = flags.drop_duplicates(["group", "story"]).groupby("group", sort=True)
    coverage = pd.DataFrame({
        "n_docs": grouped.size(),
        "n_stories": distinct.size(),
        "n_shared_stories": distinct["in_shared"].sum().astype(int),
        "docs_in_shared": grouped["in_shared"].sum().astype(int),
        "share_in_shared": grouped["in_shared"].mean().astype(float),
        "n_alone": distinct["alone"].sum().astype(int),
        "docs_alone": grouped["alone"].sum().astype(int),
    })[COVERAGE_COLUMNS]
    coverage.index.name = None
    return coverage


def coverage_rows(matrix: pd.DataFrame, top: int = 25) -> pd.DataFrame:
    """The ``top`` largest shared stories of an :attr:`Agenda.matrix`, in the tidy shape a chart draws
    (one row per group and story: ``group``, ``story``, ``n_docs``)."""
    kept = matrix.iloc[:, :top]
    long = kept.stack().rename("n_docs").reset_index()
    long.columns = ["group", "story", "n_docs"]
    return long.assign(n_docs=long["n_docs"].astype(int))

