"""Frame coding sheets (framing.validation.frame_sheets) and agreement on them."""

import numpy as np
import pandas as pd
import pytest

from framing.documents.corpus import load_corpus
from framing.errors import FramingError
from framing.validation.frame_sheets import (
    blind_frame_sheet,
    check_frame_sheet,
    corpus_units,
    frame_sheet,
    frame_sheet_html,
    read_frame_sheet,
)
from framing.validation.scores import frame_agreement


@pytest.fixture
def small():
    return load_corpus(pd.DataFrame({
        "doc_id": ["a1", "a2", "b1"], "outlet": ["A", "A", "B"],
        "text": ["One here. Two here. Three here.", "Four here.\n\nFive here.", "Six here. Seven here."]}))


def test_units_are_sentences_paragraphs_or_documents(small):
    assert corpus_units(small, "sentence")["text"].tolist() == [
        "One here.", "Two here.", "Three here.", "Four here.", "Five here.", "Six here.", "Seven here."]
    assert corpus_units(small, "paragraph")["text"].tolist() == [
        "One here. Two here. Three here.", "Four here.", "Five here.", "Six here. Seven here."]
    assert corpus_units(small, "document")["unit_index"].tolist() == [0, 0, 0]


def test_a_stratified_draw_shares_n_evenly_and_weighs_each_stratum(small):
    sheet = frame_sheet(small, "generic_frames", unit="sentence", n=4, by="outlet", seed=3)
    assert sheet.groupby("outlet").size().to_dict() == {"A": 2, "B": 2}
    assert sheet.groupby("outlet")["weight"].first().to_dict() == {"A": 5 / 2, "B": 2 / 2}
    assert sheet["item_id"].tolist() == ["unit00001", "unit00002", "unit00003", "unit00004"]
    assert (sheet["sample"] == "random").all() and (sheet["conflict"] == "").all()
    check_frame_sheet(small, sheet)  # every span holds its text
    again = frame_sheet(small, "generic_frames", unit="sentence", n=4, by="outlet", seed=3)
    assert again.to_csv(index=False) == sheet.to_csv(index=False)


def test_a_draw_larger_than_a_group_takes_all_of_it(small):
    sheet = frame_sheet(small, "generic_frames", unit="sentence", n=10, by="outlet")
    assert sheet.groupby("outlet").size().to_dict() == {"A": 5, "B": 2}  # 5 each asked; B has only 2
    assert set(sheet["weight"]) == {1.0}


def test_blind_sheet_shows_text_only_and_its_key_joins_back(small):
    sheet = frame_sheet(small, "generic_frames", unit="sentence", n=3, by="outlet", seed=0)
    shown, key = blind_frame_sheet(sheet, "generic_frames")
    assert list(shown.columns) == ["item_id", "text", "responsibility", "human_interest", "conflict", "morality",
                                   "economic_consequences", "note"]
    coded = shown.assign(conflict=["1", "0", ""])
    back = read_frame_sheet(coded, "generic_frames", key=key)
    assert back["outlet"].tolist() == sheet["outlet"].tolist()
    assert back["conflict"].tolist()[:2] == [1.0, 0.0] and np.isnan(back["conflict"].iloc[2])
    assert "outlet" not in frame_sheet_html(shown, "generic_frames") and "Does the text carry a moral message?" in \
        frame_sheet_html(shown, "generic_frames")


def test_a_bad_cell_names_its_line_and_column(small):
    sheet = frame_sheet(small, "generic_frames", unit="sentence", n=2).assign(conflict=["1", "yes"])
    with pytest.raises(FramingError, match=r"^sheet: line 3, column conflict: 'yes' is not 1, 0 or blank$"):
        read_frame_sheet(sheet, "generic_frames")
    with pytest.raises(FramingError, match="no unit is coded yet"):
        read_frame_sheet(frame_sheet(small, "generic_frames", n=2), "generic_frames")
    with pytest.raises(FramingError, match="no column 'morality'"):
        read_frame_sheet(sheet.drop(columns="morality"), "generic_frames")


def test_a_sheet_from_another_corpus_is_refused(small):
    sheet = frame_sheet(small, "generic_frames", unit="sentence", n=2)
    other = load_corpus(pd.DataFrame({"doc_id": ["a1", "a2", "b1"], "text": ["Changed text.", "x", "y"]}))
    with pytest.raises(FramingError, match="item unit00001: the text at"):
        check_frame_sheet(other, sheet)


def test_agreement_per_frame_by_hand():
    a = pd.DataFrame({"item_id": ["u1", "u2", "u3", "u4", "u5"], "conflict": [1.0, 1.0, 0.0, 0.0, 1.0],
                      "morality": [0.0, 0.0, 0.0, 1.0, np.nan]})
    b = pd.DataFrame({"item_id": ["u1", "u2", "u3", "u4", "u5"], "conflict": [1.0, 0.0, 0.0, 0.0, 1.0],
                      "morality": [0.0, 0.0, 1.0, 1.0, 0.0]})
    table = frame_agreement(a, b, ["conflict", "morality"]).set_index("frame")
    # conflict: p_o = 4/5; p_e = 3/5 * 2/5 + 2/5 * 3/5 = 12/25; kappa = (20/25 - 12/25) / (13/25) = 8/13
    assert table.loc["conflict", "n"] == 5 and table.loc["conflict", "cohen_kappa"] == pytest.approx(8 / 13)
    # morality: u5 coded by one coder only; p_o = 3/4, p_e = 1/4 * 2/4 + 3/4 * 2/4 = 1/2, kappa = 1/2
    assert table.loc["morality", "n"] == 4 and table.loc["morality", "cohen_kappa"] == pytest.approx(0.5)
    assert table.loc["all", "n"] == 9 and table.loc["all", "percent_agreement"] == pytest.approx(7 / 9)
    with pytest.raises(FramingError, match="u5 only in first sheet"):
        frame_agreement(a, b.iloc[:4], ["conflict"])
