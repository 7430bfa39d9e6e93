"""The shapes at the ground floor: feature and unit tables as files, read back as they were counted."""

import pandas as pd
import pytest

from framing.cli import main
from framing.documents.corpus import load_corpus
from framing.errors import FramingError
from framing.features import family_for
from framing.tables import (
    family_tables,
    group_labels,
    is_feature_table,
    read_feature_table,
    read_unit_table,
    require_columns,
)


def corpus():
    return load_corpus(pd.DataFrame({
        "doc_id": ["007", "b"], "outlet": ["A", None],
        "text": ["The regime fell. The government lied.", "The regime! Clearly the regime."],
    }))


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_feature_file_and_its_unit_file_read_back_as_each_family_counted_them(tmp_path, suffix):
    c = corpus()
    source = tmp_path / "corpus.csv"
    pd.DataFrame({"doc_id": ["007", "b"], "outlet": ["A", "B"], "text": c.documents["text"]}).to_csv(source, index=False)
    features_path, units_path = tmp_path / f"f{suffix}", tmp_path / f"u{suffix}"
    assert main(["features", str(source), "--family", "all", "--units", str(units_path), "-o", str(features_path)]) == 0
    assert is_feature_table(features_path) and not is_feature_table(source)
    read = family_tables(read_feature_table(features_path), read_unit_table(units_path),
                         families={"lexicon", "stance", "actors"}, units_name=str(units_path))
    assert [(family, name) for family, name, _, _ in read] == [("lexicon", "framing"), ("stance", "stance"),
                                                              ("actors", "actors")]
    c = load_corpus(source)
    for family, name, unit_part, part in read:
        features, units = family_for(name).tables(c)  # what the family counts in memory, row for row
        pd.testing.assert_frame_equal(part, features, check_dtype=False)
        as_text = (lambda t: t.astype({c: str for c in t.select_dtypes("category").columns}))  # names held as categories
        pd.testing.assert_frame_equal(as_text(unit_part), as_text(units), check_dtype=False)
    assert read[0][3]["doc_id"].tolist() == ["007"] * 11 + ["b"] * 11 and read[0][3]["count"].dtype == "int64"


def test_a_unit_file_that_misses_documents_is_named(tmp_path):
    c = corpus()
    features, units = family_for("framing").tables(c)
    with pytest.raises(FramingError, match=r"^u.csv: no sentences of 1 document\(s\) counted with lexicon 'framing' "
                                           r"\(e.g. b\); write the feature table and its unit table in one run"):
        family_tables(features, units[units["doc_id"] == "007"], units_name="u.csv")


def test_a_table_that_is_not_one_is_named(tmp_path):
    other = tmp_path / "other.csv"
    pd.DataFrame({"doc_id": ["a"], "count": [1]}).to_csv(other, index=False)
    with pytest.raises(FramingError, match=f"^{other}: not a feature table of framing features"):
        read_feature_table(other)
    with pytest.raises(FramingError, match=f"^{other}: not a unit table of framing features --units "
                                           r"\(no category, family, lexicon, lexicon_id, n_tokens, sentence column\)"):
        read_unit_table(other)


def test_one_wording_for_a_missing_column_and_the_group_labels():
    documents = corpus().documents
    with pytest.raises(FramingError, match=r"^f.csv: unknown column 'desk'; available: doc_id, outlet$"):
        require_columns(documents[["doc_id", "outlet"]], ["desk"], where="f.csv")
    assert group_labels(documents, "outlet").to_dict() == {"007": "A", "b": "(none)"}


def test_feature_table_sums_counts_into_every_document_and_cell_by_hand():
    from framing.tables import feature_table

    table = feature_table(
        ["d2", "d1"],
        [("d1", "x", "author", 2), ("d1", "x", "author", 1), ("d2", "y", "quoted", 4),
         ("d1", "z", "author", 9), ("d3", "x", "author", 5)],  # z is no cell and d3 no document: no row
        [("d1", "author", 10), ("d1", "quoted", 0), ("d2", "author", 8), ("d2", "quoted", 4)],
        cells=[("x", "author"), ("y", "quoted"), ("x", "quoted")], voiced=True, family="f", lexicon="l", lexicon_id="i",
    )
    assert table.columns.tolist() == ["doc_id", "family", "lexicon", "lexicon_id", "category", "voice", "count",
                                      "n_tokens", "per_1k"]
    assert table[["doc_id", "category", "voice", "count", "n_tokens"]].values.tolist() == [
        ["d2", "x", "author", 0, 8], ["d2", "y", "quoted", 4, 4], ["d2", "x", "quoted", 0, 4],
        ["d1", "x", "author", 3, 10], ["d1", "y", "quoted", 0, 0], ["d1", "x", "quoted", 0, 0]]
    assert table["per_1k"].tolist()[:4] == [0.0, 1000.0, 0.0, 300.0] and table["per_1k"].iloc[4:].isna().all()
    assert table["count"].dtype == "int64" and table["n_tokens"].dtype == "int64"
    unvoiced = feature_table(["a"], [], [("a", "all", 3)], cells=[("x", "all")], voiced=False, family="f",
                             lexicon="l", lexicon_id="i")
    assert unvoiced[["doc_id", "category", "count", "n_tokens"]].values.tolist() == [["a", "x", 0, 3]]
