import tomllib

import pandas as pd
import pytest

from framing.documents.corpus import load_corpus
from framing.errors import FramingError
from framing.lexicon.read import lexicon_from_toml, load_lexicon
from framing.lexicon.tools import (
    check_lexicon,
    convert_lexicon,
    lexicon_to_toml,
    new_lexicon,
    starter_lexicon,
    suggest_terms,
)

SMALL = lexicon_from_toml(
    """
[meta]
name = "small"
version = "1.0"
description = "d"
source = "s"
licence = "CC0"
language = "en"

[categories.arts]
description = "Art words."
terms = ["art*", "painting", "sculpture"]

[categories.state]
description = "State labels."
terms = ["regime*", "junta", "government"]
""",
    source="small.toml",
)


@pytest.fixture
def corpus():
    return load_corpus(pd.DataFrame({
        "doc_id": ["d1", "d2"],
        "text": [
            "The article on the artist and her artwork; art critics called the regime's arts policy artificial.",
            "The regime, the regime and the regime banned a painting of the government.",
        ],
    }), clean=False)


def test_check_hits_docs_and_forms(corpus):
    report = check_lexicon(SMALL, corpus, max_forms=3)
    terms = report.terms.set_index("pattern")
    # art*: article, artist, artwork, art, arts, artificial -> 6 hits, 6 forms, 1 document
    assert terms.loc["art*", ["hits", "docs", "n_forms"]].tolist() == [6, 1, 6]
    assert terms.loc["art*", "forms"] == "art, article, artificial, artist, arts, artwork"
    assert terms.loc["regime*", ["hits", "docs", "n_forms", "forms"]].tolist() == [4, 2, 1, "regime"]
    assert terms.loc["painting", ["hits", "docs"]].tolist() == [1, 1]
    assert report.unmatched.values.tolist() == [["arts", "sculpture"], ["state", "junta"]]
    assert report.greedy_wildcards[["pattern", "n_forms"]].values.tolist() == [["art*", 6]]
    dominance = report.dominance.set_index("category")
    assert dominance.loc["state", ["pattern", "hits", "category_hits"]].tolist() == ["regime*", 4, 5]
    assert dominance.loc["state", "share"] == pytest.approx(0.8)
    text = report.format()
    assert "never matched (2): arts:sculpture, state:junta" in text
    assert "arts:art* -> 6 words: art, article, artificial, artist, arts, artwork" in text
    assert "state: regime* = 80% of 5 hits" in text


def test_check_without_corpus_reports_validity_and_missing_provenance(tmp_path):
    path = tmp_path / "thin.toml"
    path.write_text('[meta]\nname = "thin"\n[categories.a]\nterms = ["x", "y"]\n[categories.b]\nterms = ["x"]\n')
    report = check_lexicon(path)
    assert report.missing_meta == ["version", "description", "source", "licence", "language"]
    text = report.format()
    assert text.startswith("thin  (") and "valid; 2 categories, 3 terms" in text
    assert "x: a, b" in text
    path.write_text('[meta]\nname = "bad"\n[categories.a]\nterms = ["x", "x"]\n')
    with pytest.raises(FramingError, match="duplicate term 'x'"):
        check_lexicon(path)


def test_new_writes_a_valid_starter_and_never_overwrites(tmp_path):
    path = new_lexicon("mine", folder=tmp_path)
    lex = load_lexicon(path)
    assert lex.name == "mine" and lex.category_names == ["example_category"]
    assert all(lex.meta[k] for k in ("version", "description", "source", "licence", "language"))
    with pytest.raises(FramingError, match="exists already"):
        new_lexicon("mine", folder=tmp_path)
    with pytest.raises(FramingError, match="must start with a letter"):
        starter_lexicon("9 bad")


def test_new_from_a_bundled_lexicon_is_a_full_copy(tmp_path):
    lex = load_lexicon(new_lexicon("plus", base="stance", folder=tmp_path))
    stance = load_lexicon("stance")
    assert lex.name == "plus" and lex.meta["derived_from"] == "stance 0.1.2"
    assert lex.category_names == stance.category_names
    assert lex.rules == stance.rules
    assert [t.pattern for t in lex.category("self_mention").exclude] == ["US"]


def test_convert_dic_to_toml_exactly(tmp_path):
    source = tmp_path / "mini.dic"
    source.write_text("%\n1\tposemo\n20\tnegemo\n%\nhappy*\t1\nsad\t20\nbitter sweet\t1 20\n")
    target = convert_lexicon(source, tmp_path / "mini.toml")
    text = target.read_text()
    data = tomllib.loads(text)
    assert data["categories"] == {
        "posemo": {"terms": ["happy*", "bitter sweet"]},
        "negemo": {"terms": ["sad", "bitter sweet"]},
    }
    assert data["meta"]["name"] == "mini" and data["meta"]["source"] == "LIWC-format dictionary mini.dic"
    assert text.splitlines()[0] == "[meta]"


def test_convert_round_trips_nested_case_sensitive_and_exclusions(tmp_path):
    actors = load_lexicon("actors")
    again = lexicon_from_toml(lexicon_to_toml(actors), source="x")
    assert again.category_names == actors.category_names
    assert [t.pattern for t in again.category("iranian_state.neutral").exclude] == [
        t.pattern for t in actors.category("iranian_state.neutral").exclude
    ]
    stance = lexicon_from_toml(lexicon_to_toml(load_lexicon("stance")), source="x")
    assert stance.category("self_mention").exclude[0].case_sensitive
    with pytest.raises(FramingError, match="write the converted lexicon to a .toml file"):
        convert_lexicon(tmp_path / "a.dic", tmp_path / "out.yaml")


def test_suggest_ranks_words_that_share_the_seeds_contexts():
    # "junta" fills exactly the slot of the seed "regime" in varied templates; weather words never do
    templates = ["critics of the {x} were jailed", "the {x} censored newspapers", "protests against the {x} grew",
                 "the {x} rigged the vote", "exiles fled the {x} last year", "sanctions hit the {x} hard"]
    other = ["tourists enjoyed the sunny weather", "farmers harvested wheat early", "children played football outside"]
    docs = [" . ".join([t.format(x="regime" if (i + k) % 2 else "junta") for k, t in enumerate(templates)] + other) + " ."
            for i in range(12)]
    corpus = load_corpus(pd.DataFrame({"text": docs}), clean=False)
    lex = lexicon_from_toml('[meta]\nname = "s"\n[categories.state]\nterms = ["regime"]\n', source="s")
    found = suggest_terms(lex, "state", corpus, n=5, dims=10)
    table = found.terms
    assert found.seeds == ("regime",) and found.n_tokens == 12 * (31 + 13)  # words: 31 in the templates, 13 in the others
    assert table[["rank", "term", "nearest_seed", "frequency"]].iloc[0].tolist() == [1, "junta", "regime", 36]
    assert table["score"].iloc[0] == pytest.approx(1.0, abs=1e-6)
    assert table["term"].tolist()[1:3] == ["protests", "newspapers"]
    assert "[junta]" in table["concordance"].iloc[0]
    assert found.format() == f"learned from {found.n_tokens:,} tokens: suggestions from so little text are weak; " \
                             "pass a larger background corpus (--background); seeds: regime"
    scores = suggest_terms(lex, "state", corpus, n=100, dims=10, min_score=-1).terms.set_index("term")["score"]
    assert scores["junta"] > scores["weather"] and scores["junta"] > scores["football"]
    again = suggest_terms(lex, "state", corpus, n=5, dims=10).terms
    pd.testing.assert_frame_equal(table, again)  # deterministic


def test_suggest_without_seeds_in_the_text_says_why(corpus):
    lex = lexicon_from_toml('[meta]\nname = "s"\n[categories.c]\nterms = ["zebra"]\n', source="s")
    found = suggest_terms(lex, "c", corpus, min_frequency=1)
    table = found.terms
    assert table.empty and found.seeds == () and list(table.columns) == ["rank", "term", "score", "similarity", "log_ratio_english", "nearest_seed", "frequency", "concordance"]
    assert found.format().startswith("no suggestions: no single-word term of category 'c' occurs in the corpus")


def test_new_categories_of_an_extension():
    from framing.lexicon.tools import new_categories

    assert new_categories("framing_plus") == ["international_voices"]  # lexicons/framing_plus.toml extends framing
    assert new_categories("stance")[:2] == ["hedge", "booster"]


def test_new_actors_lexicon_from_its_template(tmp_path):
    import pandas as pd

    from framing.documents.corpus import load_corpus
    from framing.features import explain, family_for

    path = new_lexicon("firms", folder=tmp_path, template="actors")
    lex = load_lexicon(path)
    assert lex.meta["family"] == "actors" and family_for(lex).name == "actors"
    assert lex.category_names == ["example_actor.neutral", "example_actor.delegitimizing"]
    corpus = load_corpus(pd.DataFrame({"text": ["The company said the profiteers lied."]}))
    assert explain(corpus, lex)[["category", "text"]].values.tolist() == [
        ["example_actor.neutral", "The company"], ["example_actor.delegitimizing", "profiteers"]]


def test_suggestions_down_weight_words_merely_common_in_english(seeds):
    table = suggest_terms("framing", "state_delegitimizing", seeds, n=100_000, min_frequency=1).terms
    plain = suggest_terms("framing", "state_delegitimizing", seeds, n=100_000, min_frequency=1, english=False).terms
    assert set(table["term"]) == set(plain["term"])  # the same candidates, ranked otherwise
    row = table.sort_values("log_ratio_english").iloc[0]  # the word most common in general English, relative to here
    assert row["log_ratio_english"] < 0
    assert row["score"] == pytest.approx(row["similarity"] * 2 ** row["log_ratio_english"])
    above = table[table["log_ratio_english"] >= 0]
    assert (above["score"] == above["similarity"]).all()


def test_convert_a_csv_dictionary_with_its_own_column_names(tmp_path, capsys):
    from framing.cli import main

    source = tmp_path / "dict.csv"
    source.write_text("word,cat,note\nregime,delegit,x\nmullah*,delegit,\ngovernment,neutral,\n", encoding="utf-8")
    out = tmp_path / "dict.toml"
    assert main(["lexicon", "convert", str(source), str(out)]) == 2
    err = capsys.readouterr().err
    assert "needs a header with 'term' and 'category'" in err and "name its columns with --term-col and --category-col" in err
    assert main(["lexicon", "convert", str(source), str(out), "--term-col", "word", "--category-col", "cat"]) == 0
    lex = load_lexicon(out)
    assert [(c.name, [t.pattern for t in c.terms]) for c in lex.categories] == [("delegit", ["regime", "mullah*"]),
                                                                                ("neutral", ["government"])]
