import pandas as pd
import pytest

from framing.features import explain, lexicon_features
from framing.features.lexicon import to_wide
from framing.lexicon.read import lexicon_from_mapping

LEX = lexicon_from_mapping(
    "mini", {"delegit": ["regime*", "mullahs", "sham election*"], "neutral": ["government", "official*", "election*"]}
)


def test_counts_rates_and_metadata_by_hand(tiny):
    table = lexicon_features(tiny, LEX)
    assert list(table.columns) == [
        "doc_id", "outlet", "family", "lexicon", "lexicon_id", "category", "count", "n_tokens", "per_1k",
    ]
    got = table.set_index(["doc_id", "category"])[["count", "n_tokens", "per_1k"]]
    # a1: "The regime held a sham election. The regime's mullahs fear us." -> 12 word tokens ('s counts)
    #     delegit: regime, sham election, regime, mullahs = 4; neutral: election inside "sham election" = 1
    assert got.loc[("a1", "delegit")].tolist() == pytest.approx([4, 12, 1000 / 3])
    assert got.loc[("a1", "neutral")].tolist() == pytest.approx([1, 12, 1000 / 12])
    # a2: "The government said the election was fair." -> 7 tokens; neutral: government, election
    assert got.loc[("a2", "neutral")].tolist() == pytest.approx([2, 7, 2000 / 7])
    assert got.loc[("a2", "delegit")].tolist() == [0, 7, 0.0]
    # b1: "Officials praised the vote. Protesters mocked the regime." -> 8 tokens
    assert got.loc[("b1", "delegit")].tolist() == [1, 8, 125.0]
    assert got.loc[("b1", "neutral")].tolist() == [1, 8, 125.0]
    assert table.set_index("doc_id")["outlet"].to_dict() == {"a1": "A", "a2": "A", "b1": "B"}


def test_counts_equal_explain_rows(seeds):
    table = lexicon_features(seeds, "framing")
    matches = explain(seeds, "framing")
    per_cell = matches.groupby(["doc_id", "category"]).size()
    joined = table.set_index(["doc_id", "category"])["count"]
    assert (joined[joined > 0] == per_cell.reindex(joined[joined > 0].index)).all()
    assert joined.sum() == len(matches)


def test_explain_rows_point_at_the_text(tiny):
    rows = explain(tiny, LEX, doc_id="a1", category="delegit")
    text = tiny.documents.set_index("doc_id").loc["a1", "clean_text"]
    assert rows[["pattern", "text"]].values.tolist() == [
        ["regime*", "regime"], ["sham election*", "sham election"], ["regime*", "regime"], ["mullahs", "mullahs"],
    ]
    assert all(text[s:e] == t for s, e, t in zip(rows["start"], rows["end"], rows["text"]))
    assert rows["sentence"].tolist()[-1] == "The regime's mullahs fear us."


def test_regime_in_seeds_is_traceable(seeds):
    # expected values checked independently with re.findall(r"\bregime\b", clean_text, re.I)
    matches = explain(seeds, "framing", category="state_delegitimizing")
    regime = matches[matches["text"].str.lower() == "regime"].groupby("doc_id").size()
    assert regime.to_dict() == {
        "000_e28e4037aeb85a92": 8, "001_5362e26c78fa2d5c": 16, "002_a6a484f61ac67de1": 1,
        "003_068dc1ef35d1a1fd": 10, "004_2c98d8f5424ccb93": 14,
    }


def test_to_wide(tiny):
    wide = to_wide(lexicon_features(tiny, LEX), "count")
    assert wide.to_dict("index") == {
        "a1": {"delegit": 4, "neutral": 1}, "a2": {"delegit": 0, "neutral": 2}, "b1": {"delegit": 1, "neutral": 1},
    }
    assert isinstance(wide, pd.DataFrame)


def test_features_and_sentences_in_one_pass_equal_the_two_calls(seeds):
    from framing.features import (
        features_and_sentences,
        lexicon_features,
        sentence_counts,
    )

    for lexicon in ("framing", "stance", "actors"):
        features, sentences = features_and_sentences(seeds, lexicon)
        expected = lexicon_features(seeds, lexicon)
        pd.testing.assert_frame_equal(features, expected)
        pd.testing.assert_frame_equal(sentences, sentence_counts(seeds, expected))
