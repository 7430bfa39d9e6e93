import pandas as pd
import pytest

from framing.documents.corpus import load_corpus
from framing.errors import FramingError
from framing.features import explain
from framing.features.actors import (
    actor_features,
    actor_labels,
    actor_matches,
    actor_shares,
)
from framing.lexicon.read import lexicon_from_toml


@pytest.fixture
def corpus():
    return load_corpus(pd.DataFrame({
        "doc_id": ["m", "o"], "outlet": ["Movement", "Outside"],
        "text": [
            "The regime staged sham elections. Regime officials fear the Iranian Resistance.",
            "The government held elections. Officials called the MEK “terrorists”.",
        ],
    }))


def test_labels_by_hand(corpus):
    got = [(r.doc_id, r.actor, r.connotation, r.label, r.voice) for r in actor_matches(corpus).itertuples()]
    assert got == [
        ("m", "iranian_state", "delegitimizing", "regime", "author"),
        ("m", "election", "delegitimizing", "sham elections", "author"),   # not also a neutral "elections"
        ("m", "iranian_state", "delegitimizing", "regime officials", "author"),
        ("m", "opposition", "valorizing", "iranian resistance", "author"),
        ("o", "iranian_state", "neutral", "government", "author"),
        ("o", "election", "neutral", "elections", "author"),
        ("o", "iranian_state", "neutral", "officials", "author"),
        ("o", "opposition", "neutral", "mek", "author"),
        ("o", "opposition", "delegitimizing", "terrorists", "quoted"),
    ]


def test_actor_labels_table(corpus):
    table = actor_labels(corpus, by="outlet")
    assert list(table.columns) == ["doc_id", "outlet", "actor", "label", "connotation", "voice", "count"]
    row = table[(table.doc_id == "m") & (table.label == "regime")]
    assert row[["outlet", "connotation", "count"]].values.tolist() == [["Movement", "delegitimizing", 1]]


def test_shares_per_actor(corpus):
    shares = actor_shares(corpus).set_index(["doc_id", "actor", "connotation"])
    assert shares.loc[("m", "iranian_state", "delegitimizing"), ["count", "mentions", "share"]].tolist() == [2, 2, 1.0]
    assert shares.loc[("o", "iranian_state", "neutral"), "share"] == 1.0
    # author voice only by default: the quoted "terrorists" does not count
    assert shares.loc[("o", "opposition", "delegitimizing"), "count"] == 0
    assert actor_shares(corpus, voice="all").set_index(["doc_id", "actor", "connotation"]).loc[
        ("o", "opposition", "delegitimizing"), "share"] == 0.5
    assert pd.isna(shares.loc[("o", "supreme_leader", "neutral"), "share"])


def test_actor_features_tidy(corpus):
    table = actor_features(corpus).set_index(["doc_id", "category", "voice"])
    assert table.loc[("m", "iranian_state.delegitimizing", "author"), "count"] == 2
    assert table.loc[("o", "opposition.delegitimizing", "quoted"), ["count", "n_tokens"]].tolist() == [1, 1]


def test_explain_works_for_actor_categories(corpus):
    rows = explain(corpus, "actors", category="election")
    assert rows["text"].tolist() == ["sham elections", "elections"]
    with pytest.raises(FramingError, match="has no category .nobody. nor categories under it"):
        explain(corpus, "actors", category="nobody")


def test_bad_actor_lexicons():
    corpus = load_corpus(pd.DataFrame({"text": ["x"]}))
    bad = lexicon_from_toml('[meta]\nname = "a"\n[categories.state.rude]\nterms = ["x"]\n', source="a.toml")
    with pytest.raises(FramingError, match=r"a.toml: category 'state.rude' must be named ACTOR.CONNOTATION"):
        actor_matches(corpus, bad)
    twice = lexicon_from_toml(
        '[meta]\nname = "a"\n[categories.s.neutral]\nterms = ["x"]\n[categories.s.delegitimizing]\nterms = ["X"]\n',
        source="a.toml",
    )
    with pytest.raises(FramingError, match=r"label 'X' of actor 's' is both neutral and delegitimizing"):
        actor_matches(corpus, twice)


def test_bundled_actors_cover_the_required_labels():
    from framing.lexicon.read import load_lexicon

    lex = load_lexicon("actors")
    patterns = {c.name: {t.pattern.lower() for t in c.terms} for c in lex.categories}
    assert {"regime*", "mullahs", "dictatorship", "theocracy"} <= patterns["iranian_state.delegitimizing"]
    assert {"government*", "authorities", "officials", "tehran", "islamic republic"} <= patterns["iranian_state.neutral"]
    assert {"iranian resistance", "resistance forces", "freedom fighters"} <= patterns["opposition.valorizing"]
    assert {"opposition group*", "dissident group*", "ncri", "pmoi", "mek"} <= patterns["opposition.neutral"]
    assert {"cult", "terrorist*"} <= patterns["opposition.delegitimizing"]
    assert {"sham election*", "fake election*", "selection", "election show", "puppet show"} <= patterns["election.delegitimizing"]
    assert {"election*", "vote", "polls", "ballot*"} <= patterns["election.neutral"]
    assert {"supreme_leader.neutral", "president.neutral", "candidates.neutral"} <= set(patterns)


def test_seeds_outside_report_uses_neutral_state_labels(seeds):
    shares = actor_shares(seeds)
    state = shares[(shares.actor == "iranian_state") & (shares.connotation == "delegitimizing")].set_index("affiliation")
    assert state.loc["outside", "share"] == 0.0
    assert (state.loc["movement", "share"] > 0.5).all()


def test_tehran_is_the_state_only_where_it_does_not_name_the_city():
    corpus = load_corpus(pd.DataFrame({"text": [
        "Tehran denied it. Protests spread across Tehran and northern Tehran; Tehran residents and Tehran’s streets "
        "were quiet, the Tehran Times said. Tehran blamed the MEK."
    ]}))
    state = actor_matches(corpus).query("actor == 'iranian_state'")
    assert state[["label", "start"]].values.tolist() == [["tehran", 0], ["tehran", 142]]
