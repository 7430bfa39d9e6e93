"""Agenda (framing.comparison.agenda): coverage and overlap counted by hand."""

import pandas as pd
import pytest

from framing.comparison.agenda import agenda
from framing.errors import FramingError


def test_coverage_overlap_and_matrix_by_hand():
    docs = pd.DataFrame({"doc_id": list("abcdefg"), "outlet": list("AABBBCC"),
                         "story": ["s1", "s2", "s1", "s3", "s3", "s1", "s4"]})
    result = agenda(docs, "outlet")
    cov = result.coverage
    assert cov.loc["A"].tolist() == [2, 2, 1, 1, 0.5, 0, 0]  # s1 shared; s2 alone but one document: no agenda
    assert cov.loc["B"].tolist() == [3, 2, 1, 1, 1 / 3, 1, 2]  # s3: two documents B alone covered
    pairs = {(g, o): n for g, o, n in result.overlap.values.tolist()}
    assert pairs == {("A", "B"): 1, ("A", "C"): 1, ("B", "A"): 1, ("B", "C"): 1, ("C", "A"): 1, ("C", "B"): 1}
    assert list(result.matrix.columns) == ["s1"] and result.matrix["s1"].tolist() == [1, 1, 1]
    with pytest.raises(FramingError, match="unknown column 'story'"):
        agenda(docs.drop(columns="story"), "outlet")


def test_coverage_of_a_topic():
    from framing.comparison.agenda import stories_about

    docs = pd.DataFrame({"doc_id": list("abcdef"), "outlet": list("AABBBB"), "story": ["s1", "s2", "s1", "s2", "s3", "s3"]})
    table = pd.DataFrame({"story": ["s1", "s2", "s3"], "top_terms": ["protest march", "rates", "protesters police"]})
    protest = stories_about(table, ["protest", "protesters"])
    cov = agenda(docs, "outlet", stories=protest).coverage
    assert cov["n_stories"].to_dict() == {"A": 1, "B": 2}  # B covered twice as many protest stories
    with pytest.raises(FramingError, match="no document belongs to the stories chosen"):
        agenda(docs, "outlet", stories=["s9"])


def test_coverage_of_many_groups_equals_its_definition_group_by_group():
    import numpy as np

    rng = np.random.default_rng(3)
    n = 600
    outlets = rng.choice([f"o{k}" for k in range(90)], n)
    own = rng.random(n) < 0.3  # a story of the outlet's own (often with a second document), else one of a shared pool
    story = np.where(own, [f"{o}_{k}" for o, k in zip(outlets, rng.integers(0, 2, n))], rng.choice([f"s{k}" for k in range(200)], n))
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "outlet": outlets, "story": story})
    cov = agenda(docs, "outlet", min_groups=2).coverage
    groups_per_story = docs.groupby("story")["outlet"].nunique()
    size = docs.groupby("story").size()
    for outlet, part in docs.groupby("outlet"):  # each column as its docstring defines it
        stories = set(part["story"])
        shared = {s for s in stories if groups_per_story[s] >= 2}
        alone = {s for s in stories if groups_per_story[s] == 1 and size[s] > 1}
        in_shared = part["story"].isin(shared)
        assert cov.loc[outlet].tolist() == [len(part), len(stories), len(shared), in_shared.sum(), in_shared.mean(),
                                            len(alone), part["story"].isin(alone).sum()]
    assert cov["n_alone"].sum() > 0 and cov["n_shared_stories"].sum() > 0  # both kinds occur in the draw
