"""Profiles of groups (rates by category), their similarity, clustering and a 2-D map.
Tables in, tables out."""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.comparison.rates import _cell_keys, _check_counts, warn_pooled_languages
from framing.errors import FramingError
from framing.groups import keep_rows
from framing.params import OneOf, checked
from framing.tables import Similarity

# --------------------------------------------------------------------------- similarity and maps


def profiles(features: pd.DataFrame, by: str | None = None, *, value: str = "per_1k") -> pd.DataFrame:
    """Feature profiles: documents (or groups, pooled) x categories (x voice) of rates per 1,000.

    Groups come in order of their documents, most first (ties in order of appearance), so that
    :func:`similarity`, which keeps the first rows of a matrix too large to compare, keeps the
    largest groups.

    Examples
    --------
    >>> t = pd.DataFrame({"doc_id": ["d1", "d2", "d3"], "outlet": ["A", "B", "B"], "category": "c",
    ...                   "count": [1, 2, 6], "n_tokens": [100, 100, 300]})
    >>> profiles(t, "outlet")["c"].to_dict()  # B first: (2 + 6) / 400 words
    {'B': 20.0, 'A': 10.0}
    """
    features = _check_counts(features, by or "doc_id")
    if by is not None:
        warn_pooled_languages(features)
    keys = _cell_keys(features)
    column = features["category"] if len(keys) == 1 else features["category"] + ":" + features["voice"]
    table = features.assign(_feature=column)
    if by is None:
        return table.pivot_table(index="doc_id", columns="_feature", values=value, sort=False).rename_axis(columns=None)
    pooled = table.groupby([by, "_feature"], sort=False)[["count", "n_tokens"]].sum()
    rates = (pooled["count"] / pooled["n_tokens"] * 1000.0).unstack("_feature")
    n_docs = table.groupby(by, sort=False)["doc_id"].nunique()
    order = n_docs.sort_values(ascending=False, kind="stable").index
    return rates.loc[order].rename_axis(index=None, columns=None)


def similarity(matrix: pd.DataFrame, *, standardize: bool = False) -> Similarity:
    """Cosine similarity between the rows of a profile matrix (NaN treated as 0).

    On raw rates the most frequent categories dominate the cosine. With
    ``standardize=True`` each column is first turned into z-scores across the rows
    (columns that do not vary are dropped), so every category weighs the same and two
    rows are similar when they depart from the average row in the same directions.

    At most :data:`framing.groups.MAX_SIMILARITY_ROWS` rows are compared: the first (for
    :func:`profiles` of groups, those with most documents), with a warning.

    Returns
    -------
    Similarity
        ``matrix`` (rows x rows), ``left_out`` (which rows were not compared, '' if none) and
        ``note`` (with two standardized rows, why their cosine is -1).

    Examples
    --------
    >>> m = pd.DataFrame({"big": [100.0, 110.0], "small": [1.0, 5.0]}, index=["x", "y"])
    >>> round(float(similarity(m).matrix.loc["x", "y"]), 4)  # (100*110 + 1*5) / (|x| |y|)
    0.9994
    >>> round(float(similarity(m, standardize=True).matrix.loc["x", "y"]), 4)  # z-scores (-1, -1) and (1, 1)
    -1.0
    """
    from sklearn.metrics.pairwise import (
        cosine_similarity,  # imported here: scikit-learn takes a second to load
    )
    from sklearn.preprocessing import StandardScaler
    rows, left_out = keep_rows(matrix, what="rows")
    matrix = matrix.loc[rows]
    values = matrix.fillna(0.0)
    if standardize:
        values = values.loc[:, values.std() > 0]
        if values.shape[1] == 0:
            raise FramingError("no feature varies across the rows, so there is nothing to standardize")
        values = StandardScaler().fit_transform(values)
    out = pd.DataFrame(cosine_similarity(np.asarray(values, float)), index=matrix.index, columns=matrix.index)
    note = ("with two rows every z-score is +1 or -1, so their standardized cosine is -1 by construction"
            if standardize and len(matrix) == 2 else "")
    return Similarity(out, left_out=left_out, note=note)


@checked(method=OneOf(("single", "complete", "average", "weighted", "centroid", "median", "ward"), "linkage method"))
def cluster(similarity_matrix: Similarity | pd.DataFrame, method: str = "average") -> np.ndarray:
    """Hierarchical clustering (scipy ``linkage``) on 1 - cosine similarity (a :class:`Similarity`
    or its square matrix); returns the linkage matrix."""
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    if isinstance(similarity_matrix, Similarity):
        similarity_matrix = similarity_matrix.matrix
    if len(similarity_matrix) < 2:
        raise FramingError(f"clustering needs at least two groups, got {len(similarity_matrix)}")

    distance = np.clip(1.0 - similarity_matrix.to_numpy(float), 0.0, None)
    np.fill_diagonal(distance, 0.0)
    return linkage(squareform(distance, checks=False), method=method)


def _classical_mds(distance: np.ndarray, k: int = 2) -> np.ndarray:
    """Torgerson's classical scaling: the top ``k`` eigenvectors of the double-centred -D²/2,
    scaled by the root of their eigenvalues (negative ones, from distances no plane holds, set to 0).

    Examples
    --------
    >>> d = np.array([[0.0, 3.0, 5.0], [3.0, 0.0, 4.0], [5.0, 4.0, 0.0]])  # a 3-4-5 triangle
    >>> x = _classical_mds(d)
    >>> np.round(np.linalg.norm(x[:, None] - x[None, :], axis=2), 6).tolist()
    [[0.0, 3.0, 5.0], [3.0, 0.0, 4.0], [5.0, 4.0, 0.0]]
    """
    n = len(distance)
    centre = np.eye(n) - np.ones((n, n)) / n
    values, vectors = np.linalg.eigh(-0.5 * centre @ (distance**2) @ centre)
    top = np.argsort(values)[::-1][:k]
    return vectors[:, top] * np.sqrt(np.clip(values[top], 0, None))


def profile_map(matrix: pd.DataFrame, *, method: str = "pca", seed: int = 0) -> pd.DataFrame:
    """2-D map of rows by profile: PCA on standardized columns, or metric MDS on cosine distance.

    Returns ``x``, ``y`` indexed like ``matrix``; with PCA also ``explained_x`` and
    ``explained_y``, the share of the variance each axis holds (the same on every row).
    """
    from sklearn.decomposition import PCA
    from sklearn.manifold import MDS
    from sklearn.metrics.pairwise import cosine_similarity
    from sklearn.preprocessing import StandardScaler
    values = matrix.fillna(0.0)
    values = values.loc[:, values.std() > 0]
    if len(values) < 2 or values.shape[1] < 2:
        raise FramingError("a 2-D map needs at least two rows and two varying features")
    if method == "pca":
        model = PCA(n_components=2, random_state=seed)
        coords = model.fit_transform(StandardScaler().fit_transform(values))
        out = pd.DataFrame(coords, index=matrix.index, columns=["x", "y"])
        out["explained_x"], out["explained_y"] = model.explained_variance_ratio_.round(4)
        return out
    if method == "mds":
        distance = np.clip(1 - cosine_similarity(values.to_numpy(float)), 0, None)
        np.fill_diagonal(distance, 0.0)
        try:  # scikit-learn >= 1.9
            model = MDS(n_components=2, metric="precomputed", init="random", n_init=1, random_state=seed)
        except TypeError:  # older releases
            model = MDS(n_components=2, dissimilarity="precomputed", n_init=1, random_state=seed)
        # SMACOF from the classical solution (Torgerson); cosine distances often break the triangle inequality, so
        # negative eigenvalues are set to zero here (scikit-learn's own classical start takes their root: NaN)
        coords = model.fit_transform(distance, init=_classical_mds(distance))
        return pd.DataFrame(coords, index=matrix.index, columns=["x", "y"])
    raise FramingError(f"method must be 'pca' or 'mds', got {method!r}")
