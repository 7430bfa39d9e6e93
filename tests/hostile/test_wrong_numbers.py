"""Inputs that used to give a number that was silently wrong: each now gives the right count or one line."""

import unicodedata
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.cli import main
from framing.documents.corpus import load_corpus
from framing.documents.tokens import tokenize
from framing.errors import FramingError
from framing.features import explain, family_features, lexicon_features
from framing.keywords.keyness import distinctive_terms, keyness
from framing.keywords.kwic import kwic
from framing.lexicon.read import lexicon_from_toml


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def frame(*texts, **meta):
    return load_corpus(pd.DataFrame({"text": list(texts), **meta}))


# --------------------------------------------------------------------------- metadata named like output columns


@pytest.mark.parametrize("column", ["category", "count", "lexicon", "family", "n_tokens", "per_1k"])
def test_metadata_named_like_a_feature_column_is_refused(column):
    corpus = frame("The regime fell.", **{column: ["x"]})
    with pytest.raises(FramingError) as exc:
        lexicon_features(corpus, "framing")
    assert str(exc.value).startswith(f"metadata column '{column}' has the name of a column of this result (")
    assert str(exc.value).endswith("rename it in your data, or keep only other metadata columns (framing features --meta COL ...)")


def test_voice_and_sentiment_columns_are_refused_too():
    with pytest.raises(FramingError, match="metadata column 'voice'"):
        family_features(frame("We said so.", voice=["x"]), ["stance"])
    with pytest.raises(FramingError, match="metadata column 'category'"):
        family_features(frame("A good day.", category=["x"]), ["sentiment"])


def test_meta_option_keeps_a_clashing_column_out(capsys, tmp_path):
    path = tmp_path / "news.csv"
    path.write_text("text,category,outlet\nThe regime fell.,politics,A\n", encoding="utf-8")
    code, out, err = run(capsys, "features", str(path), "--meta", "outlet")
    assert code == 0, err
    table = pd.read_csv(__import__("io").StringIO(out))
    assert list(table.columns[:3]) == ["doc_id", "outlet", "family"]
    assert table.set_index("category").loc["state_delegitimizing", "count"] == 1
    code, _, err = run(capsys, "features", str(path))
    assert code == 2 and "metadata column 'category' has the name of a column of this result" in err


# --------------------------------------------------------------------------- lexicon types


def test_exclude_written_as_a_string_is_refused():
    text = '[meta]\nname = "x"\n[categories.state]\nterms = ["regim*"]\nexclude = "regimen"\n'
    with pytest.raises(FramingError) as exc:
        lexicon_from_toml(text, source="x.toml")
    assert str(exc.value) == (
        "x.toml: category 'state': 'exclude' must be a list such as exclude = [\"regimen\"], got str"
    )


def test_terms_written_as_a_string_is_refused():
    with pytest.raises(FramingError, match="'terms' must be a list such as terms = \\[\"regime\"\\], got str"):
        lexicon_from_toml('[meta]\nname = "x"\n[categories.state]\nterms = "regime"\n', source="x.toml")


# --------------------------------------------------------------------------- numeric options


@pytest.mark.parametrize(
    "argv, message",
    [
        (["keyness", "SEEDS", "--by", "outlet", "--top", "-1"], "argument --top: must be 1 or more, got -1"),
        (["keyness", "SEEDS", "--by", "outlet", "--top", "0"], "argument --top: must be 1 or more, got 0"),
        (["keyness", "SEEDS", "--by", "outlet", "--min-count", "-2"], "argument --min-count: must be 0 or more, got -2"),
        (["keyness", "SEEDS", "--by", "outlet", "--top", "x"], "argument --top: expected a whole number, got 'x'"),
        (["kwic", "SEEDS", "regime", "--window", "0"], "argument --window: must be from 1 to 100, got 0"),
        (["lexicon", "suggest", "framing", "state_neutral", "--corpus", "SEEDS", "-n", "-3"],
         "argument -n: must be 1 or more, got -3"),
        (["lexicon", "check", "framing", "--max-forms", "0"], "argument --max-forms: must be 1 or more, got 0"),
    ],
)
def test_numeric_options_are_validated(capsys, argv, message):
    from tests.conftest import SEEDS

    argv = [str(SEEDS) if a == "SEEDS" else a for a in argv]
    with pytest.raises(SystemExit) as exc:
        main(argv)
    err = capsys.readouterr().err
    assert exc.value.code == 2 and err.count("\n") == 1 and message in err


def test_ngrams_option_is_read_strictly(capsys):
    from tests.conftest import SEEDS

    code, _, err = run(capsys, "keyness", str(SEEDS), "--by", "outlet", "--ngrams", "1-2-5")
    assert code == 2 and err == "framing: error: --ngrams must look like 1-2 (or 2 for one size), got '1-2-5'\n"
    code, out, _ = run(capsys, "keyness", str(SEEDS), "--by", "outlet", "--ngrams", "2", "--top", "1")
    assert code == 0 and all(" " in line.split(",")[2] for line in out.splitlines()[1:])


def test_top_keeps_n_over_and_n_under_used_terms_per_group(capsys):
    from tests.conftest import SEEDS

    code, out, _ = run(capsys, "keyness", str(SEEDS), "--by", "outlet", "--top", "2")
    table = pd.read_csv(__import__("io").StringIO(out))
    assert code == 0 and table.groupby("outlet").size().tolist() == [4] * 5
    assert table.groupby("outlet")["g2"].apply(lambda g: ((g > 0).sum(), (g < 0).sum())).tolist() == [(2, 2)] * 5


def test_api_numbers_are_validated():
    corpus = frame("the regime the regime", "the government", outlet=["A", "B"])
    with pytest.raises(FramingError, match="n must be a whole number of at least 1, got -2"):
        distinctive_terms(corpus, n=-2)
    with pytest.raises(FramingError, match="min_count must be a whole number of at least 0, got 'a'"):
        keyness(corpus, "outlet", min_count="a")
    with pytest.raises(FramingError, match="window must be a whole number from 1 to 100, got 1.5"):
        kwic(corpus, "regime", window=1.5)
    from framing.lexicon.tools import check_lexicon, suggest_terms

    with pytest.raises(FramingError, match="n must be a whole number of at least 1, got -3"):
        suggest_terms("framing", "state_neutral", corpus, n=-3)
    with pytest.raises(FramingError, match="max_forms must be a whole number of at least 1, got 0"):
        check_lexicon("framing", corpus, max_forms=0)


def test_cluster_needs_two_groups_and_compare_validates_its_parameters(tiny):
    from framing.comparison.profiles import cluster
    from framing.comparison.rates import compare

    with pytest.raises(FramingError, match="clustering needs at least two groups, got 1"):
        cluster(pd.DataFrame([[1.0]], index=["A"], columns=["A"]))
    table = lexicon_features(tiny, "framing")
    with pytest.raises(FramingError, match="n_boot must be a whole number of at least 1, got 0"):
        compare(table, "outlet", n_boot=0)
    with pytest.raises(FramingError, match="level must be a number above 0 and below 1, got 95"):
        compare(table, "outlet", level=95)


# --------------------------------------------------------------------------- keyness with empty n-gram sizes


def test_keyness_leaves_out_sizes_a_group_has_no_tokens_of():
    corpus = frame("Regime.", "The regime fell today. The vote was held.", outlet=["A", "B"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = keyness(corpus, "outlet", ngram_range=(1, 2), min_count=1)
    messages = [str(w.message) for w in caught]
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]  # nothing from numpy
    assert messages == [
        "group 'A': the target has no 2-grams (its documents are too short or empty), so those terms have no rate "
        "there and their rows are left out",
        "group 'B': the reference has no 2-grams (its documents are too short or empty), so those terms have no "
        "rate there and their rows are left out",
    ]
    assert set(table["n"]) == {1} and np.isfinite(table["log_ratio"]).all()


# --------------------------------------------------------------------------- hashtags and punctuation


def test_a_markdown_heading_is_not_a_hashtag():
    corpus = frame("# Breaking news\n\nThe #IranElection trended.")
    rows = explain(corpus, "framing", category="internet_social_media")
    assert rows["text"].tolist() == ["#IranElection"]


def test_an_unclosed_quotation_is_not_a_scare_quote():
    table = family_features(frame('The “regime\n\nsaid so.'), ["stance"]).set_index(["category", "voice"])["count"]
    assert table[("scare_quote", "author")] == 0 and table[("scare_quote", "quoted")] == 0


@pytest.mark.filterwarnings("ignore:DataFrame. 1 empty or whitespace-only document")
def test_a_punctuation_only_document_has_no_counts():
    corpus = frame("# # # ? ! ...")
    table = family_features(corpus, ["lexicon", "stance", "actors"])
    assert table["count"].sum() == 0 and (table["n_tokens"] == 0).all()


TEXTS = st.lists(
    st.sampled_from(["#", "# ", "#tag", "regime", "“", "”", '"', "'", "?", "!", "May", "19", "...", "we", "said",
                     "sham", "elections", "in fact", "allegedly", " ", "\n", ".", "Visit", "@x", "\u200b", "mullahs"]),
    max_size=30,
).map("".join)


@pytest.mark.filterwarnings("ignore:DataFrame. 1 empty or whitespace-only document")
@settings(max_examples=60, deadline=None)
@given(TEXTS)
def test_no_count_exceeds_the_tokens_of_its_voice(text):
    corpus = frame(text)
    table = family_features(corpus, ["lexicon", "stance", "actors"])
    # questions count sentences and scare quotes count quotations, not words: bounded by those instead
    counts = table[~table["category"].isin(["question", "scare_quote"])]
    over = counts[counts["count"] > counts["n_tokens"]]
    assert over.empty, over[["family", "category", "voice", "count", "n_tokens"]].to_string()
    doc = tokenize(corpus.documents["clean_text"][0])
    rules = table.groupby("category")["count"].sum()
    assert rules["question"] <= 2 * len(doc.sentences) and rules["scare_quote"] <= len(doc.quotes)


# --------------------------------------------------------------------------- KWIC patterns with ':'


def test_kwic_finds_times_and_urls():
    corpus = frame("At 10:30 the regime spoke; see https://iran.example/vote for more.")
    assert kwic(corpus, "10:30", window=2)["match"].tolist() == ["10:30"]
    assert kwic(corpus, "https://iran.example/vote", window=2)["match"].tolist() == ["https://iran.example/vote"]
    assert kwic(corpus, "framing:state_delegitimizing", window=1)["match"].tolist() == ["regime"]


# --------------------------------------------------------------------------- zero-width characters


def test_zero_width_characters_hide_no_word_and_make_no_token():
    text = "The re\u200bgime fell \u200c today."
    corpus = frame(text)
    doc = corpus.tokens["doc00001"]
    assert doc.words == ("The", "re\u200bgime", "fell", "today", ".")
    assert [text[a:b] for a, b in zip(doc.starts, doc.ends)] == list(doc.words)
    rows = explain(corpus, "framing", category="state_delegitimizing")
    assert rows[["text", "start", "end"]].values.tolist() == [["re\u200bgime", 4, 11]]
    assert lexicon_features(corpus, "framing").set_index("category").loc["state_delegitimizing", "n_tokens"] == 4


@pytest.mark.parametrize("text,term,expected", [
    (unicodedata.normalize("NFD", "Le café résumé arrive."), "café résumé",
     [unicodedata.normalize("NFD", "café résumé")]),  # NFD text, NFC term: shown as written (NFD)
    ("Le café résumé arrive.", unicodedata.normalize("NFD", "café résumé"), ["café résumé"]),  # NFC text, NFD term
    ("The ｒｅｇｉｍｅ fell; the regime fell.", "regime", ["ｒｅｇｉｍｅ", "regime"]),  # fullwidth letters
    ("İSTANBUL and Istanbul voted.", "istanbul", ["İSTANBUL", "Istanbul"]),  # Turkish dotted capital I
    ("Straße and STRASSE.", "straße", ["Straße", "STRASSE"]),  # sharp s case-folds to ss
    ("هذا النِّظَام و النظـــام و النظام", "النظام", ["النِّظَام", "النظـــام", "النظام"]),  # diacritics, tatweel
])
def test_unicode_forms_of_one_word_match_one_term(text, term, expected):
    from framing.features import explain
    from framing.lexicon.read import lexicon_from_mapping

    corpus = load_corpus(pd.DataFrame({"text": [text]}))
    matches = explain(corpus, lexicon_from_mapping("u", {"c": [term]}))
    assert matches["text"].tolist() == expected  # the text shown is the text as written
    clean = corpus.documents["clean_text"].iloc[0]
    assert all(clean[s:e] == t for s, e, t in zip(matches["start"], matches["end"], matches["text"]))


def test_case_sensitive_must_be_a_boolean(tmp_path):
    from framing.lexicon.read import load_lexicon

    path = tmp_path / "q.toml"
    path.write_text('[meta]\nname = "q"\n[categories.c]\nterms = [{term = "US", case_sensitive = "false"}]\n',
                    encoding="utf-8")
    with pytest.raises(FramingError, match="case_sensitive must be true or false \\(a boolean\\), got 'false'"):
        load_lexicon(path)


def test_second_round_lexicon_and_group_names(tmp_path):
    import json
    import re

    from framing.lexicon.read import load_lexicon
    from framing.runs import explore

    # two lexicons named alike would be told apart only by lexicon_id
    for name in ("a", "b"):
        (tmp_path / f"{name}.toml").write_text('[meta]\nname = "same"\n[categories.c]\nterms = ["regime"]\n', encoding="utf-8")
    corpus = load_corpus(pd.DataFrame({"text": ["The regime fell."], "outlet": ["X"]}))
    with pytest.raises(FramingError, match="two lexicons are named 'same' .* give one another name in its \\[meta\\] table"):
        family_features(corpus, ["lexicon"], lexicons=[str(tmp_path / "a.toml"), str(tmp_path / "b.toml")])
    # a .dic category with no term is named, not dropped in silence
    dic = tmp_path / "d.dic"
    dic.write_text("%\n1\tstate\n2\tempty\n%\nregime\t1\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="d.dic: 1 category of the header with no term, left out: empty"):
        assert load_lexicon(dic).category_names == ["state"]
    # a group named "a | b" keeps its name in the explorer's headings
    groups = load_corpus(pd.DataFrame({"text": ["The regime fell. The regime."] * 2 + ["The vote was held."] * 2,
                                       "outlet": ["a | b", "a | b", "c", "c"]}))
    page = explore(groups, "outlet", min_count=1)
    meta = json.loads(re.search(r'id="framing-data">(.*?)</script>', page, re.S).group(1))["meta"]
    assert [c["names"] for c in meta["contrasts"][:2]] == [["a | b", "c"], ["c", "a | b"]]
    assert "c.names" in page and 'c.label.split(" | ")' not in page
