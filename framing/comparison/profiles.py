"""Profiles of groups (rates by category), their similarity, clustering and a 2-D map.
Tables in, tables out."""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.comparison.rates import _cell_keys, _check_counts
from framing.errors import FramingError
from framing.groups import keep_rows
from framing.params import OneOf, checked

# --------------------------------------------------------------------------- similarity and maps


def profiles(features: pd.DataFrame, by: str | None = None, *, value: str = "per_1k") -> pd.DataFrame:
    """Feature profiles: documents (or groups, pooled) x categories (x voice) of rates per 1,000.

    For groups, ``attrs["n_docs"]`` holds the documents of each group (what
    :func:`similarity` keeps the largest groups by).
    """
    features = _check_counts(features, by or "doc_id")
    keys = _cell_keys(features)
    column = features["category"] if len(keys) == 1 else features["category"] + ":" + features["voice"]
    table = features.assign(_feature=column)
    if by is None:
        return table.pivot_table(index="doc_id", columns="_feature", values=value, sort=False).rename_axis(columns=None)
    pooled = table.groupby([by, "_feature"], sort=False)[["count", "n_tokens"]].sum()
    rates = (pooled["count"] / pooled["n_tokens"] * 1000.0).unstack("_feature")
    out = rates.rename_axis(index=None, columns=None)
    out.attrs["n_docs"] = {str(g): int(n) for g, n in table.groupby(by, sort=False)["doc_id"].nunique().items()}
    return out


def similarity(matrix: pd.DataFrame, *, standardize: bool = False) -> pd.DataFrame:
    """Cosine similarity between the rows of a profile matrix (NaN treated as 0).

    On raw rates the most frequent categories dominate the cosine. With
    ``standardize=True`` each column is first turned into z-scores across the rows
    (columns that do not vary are dropped), so every category weighs the same and two
    rows are similar when they depart from the average row in the same directions.

    At most :data:`framing.groups.MAX_SIMILARITY_ROWS` rows are compared: those with most documents
    (``matrix.attrs["n_docs"]``, as :func:`profiles` sets it), with a warning; the
    result's ``attrs["left_out"]`` says which were left out.

    Examples
    --------
    >>> m = pd.DataFrame({"big": [100.0, 110.0], "small": [1.0, 5.0]}, index=["x", "y"])
    >>> round(float(similarity(m).loc["x", "y"]), 4)  # (100*110 + 1*5) / (|x| |y|)
    0.9994
    >>> round(float(similarity(m, standardize=True).loc["x", "y"]), 4)  # z-scores (-1, -1) and (1, 1)
    -1.0
    """
    from sklearn.metrics.pairwise import (
        cosine_similarity,  # imported here: scikit-learn takes a second to load
    )
    from sklearn.preprocessing import StandardScaler
    rows, left_out = keep_rows(matrix, matrix.attrs.get("n_docs"), what="groups" if "n_docs" in matrix.attrs else "rows")
    matrix = matrix.loc[rows]
    values = matrix.fillna(0.0)
    if standardize:
        values = values.loc[:, values.std() > 0]
        if values.shape[1] == 0:
            raise FramingError("no feature varies across the rows, so there is nothing to standardize")
        values = StandardScaler().fit_transform(values)
    out = pd.DataFrame(cosine_similarity(np.asarray(values, float)), index=matrix.index, columns=matrix.index)
    if standardize and len(matrix) == 2:
        out.attrs["note"] = "with two rows every z-score is +1 or -1, so their standardized cosine is -1 by construction"
    if left_out:
        out.attrs["left_out"] = left_out
    return out


@checked(method=OneOf(("single", "complete", "average", "weighted", "centroid", "median", "ward"), "linkage method"))
def cluster(similarity_matrix: pd.DataFrame, method: str = "average") -> np.ndarray:
    """Hierarchical clustering (scipy ``linkage``) on 1 - cosine similarity; returns the linkage matrix."""
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

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

    Returns ``x``, ``y`` indexed like ``matrix``; with PCA, ``explained`` (in
    ``DataFrame.attrs``) holds the variance share of each axis.
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
        out.attrs["explained"] = model.explained_variance_ratio_.round(4).tolist()
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
