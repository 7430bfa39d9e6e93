"""The Family protocol: a new family is one class and one registry entry, and every path then serves it."""

from collections import Counter

import pandas as pd
import pytest

from framing.comparison.rates import compare
from framing.documents.corpus import load_corpus
from framing.errors import FramingError
from framing.features import (
    FAMILIES,
    explain,
    family_features,
    family_for,
    lexicon_features,
    sentence_counts,
)
from framing.features.family import Family, Found
from framing.features.lexicon import LexiconFamily
from framing.features.stance import StanceFamily
from framing.features.vectorizers import LexiconVectorizer
from framing.lexicon.read import lexicon_from_toml


class ShoutFamily(Family):
    """A family written the way a newcomer would: lexicon matches typed in capitals only."""

    name = "shouting"
    default_lexicon = "framing"

    def find(self, doc):
        return [f for f in LexiconFamily(self.lexicon).find(doc) if doc.text[f.start : f.end].isupper()]


SHOUT = lexicon_from_toml(
    '[meta]\nname = "loud"\nfamily = "shouting"\n[categories.state]\nterms = ["regime*"]\n', source="loud.toml"
)


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setitem(FAMILIES, "shouting", ShoutFamily)


def corpus():
    return load_corpus(pd.DataFrame({
        "doc_id": ["a", "b"], "outlet": ["A", "B"],
        "text": ["The REGIME fell. The regime lied.", "Down with the REGIME! The REGIMES fall."],
    }))


def test_a_new_family_is_one_class_and_one_entry(registered):
    docs = corpus()
    table = lexicon_features(docs, SHOUT).set_index("doc_id")
    assert table[["family", "category", "count", "n_tokens"]].values.tolist() == [
        ["shouting", "state", 1, 6], ["shouting", "state", 2, 7]]
    rows = explain(docs, SHOUT)
    assert rows[["doc_id", "text", "start", "voice"]].values.tolist() == [
        ["a", "REGIME", 4, "all"], ["b", "REGIME", 14, "all"], ["b", "REGIMES", 26, "all"]]
    sentences = sentence_counts(docs, lexicon_features(docs, SHOUT), lexicons=[SHOUT])
    assert sentences.groupby("doc_id")["count"].sum().tolist() == [1, 2]
    rates = compare(lexicon_features(docs, SHOUT), "outlet", sentences=sentences, n_boot=20)
    assert rates["count"].tolist() == [1, 2]
    stacked = family_features(docs, ["shouting"])
    assert set(stacked["lexicon"]) == {"framing"} and set(stacked["family"]) == {"shouting"}
    assert LexiconVectorizer(lexicon=SHOUT).fit_transform(docs.documents["text"]).tolist() == [[1.0], [2.0]]


def test_every_path_applies_a_lexicon_with_its_family_s_rules():
    # the case: "May 19" is the month, so no hedge, whichever way the stance lexicon is counted
    docs = load_corpus(pd.DataFrame({"text": ["The vote is on May 19."]}))
    by_lexicon = lexicon_features(docs, "stance")
    assert set(by_lexicon["family"]) == {"stance"}
    assert by_lexicon.query("category == 'hedge'")["count"].sum() == 0
    assert explain(docs, "stance", category="hedge").empty
    assert isinstance(family_for("stance"), StanceFamily)
    assert LexiconVectorizer(lexicon="stance", categories=["hedge"]).fit_transform(["The vote is on May 19."]).tolist() == [[0.0]]


def test_count_equals_counting_find_for_every_bundled_family(seeds):
    for name in ("lexicon", "stance", "actors"):
        family = FAMILIES[name]()
        for doc in seeds.tokens.values():
            assert family.count(doc) == Counter((f.category, f.voice) for f in family.find(doc)), name


def test_a_lexicon_naming_an_unknown_family_is_refused():
    odd = lexicon_from_toml('[meta]\nname = "x"\nfamily = "poetry"\n[categories.c]\nterms = ["a"]\n', source="x.toml")
    with pytest.raises(FramingError, match="x.toml: \\[meta\\] family = 'poetry' is not a family that reads lexicons"):
        family_for(odd)


def test_found_records_are_the_one_match_record():
    assert Found._fields == ("category", "pattern", "token_start", "token_end", "start", "end", "voice", "extra")


@pytest.mark.parametrize("name", ["framing", "stance", "actors"])
def test_evidence_is_the_table_the_sentences_and_the_matches_in_one_pass(seeds, name):
    """Family.evidence (the explorer's three tables) equals table, sentences and matches counted apart."""
    family = family_for(name)
    features, units, matches = family.evidence(seeds)
    pd.testing.assert_frame_equal(features, family.table(seeds))
    pd.testing.assert_frame_equal(units, family.sentences(seeds))
    pd.testing.assert_frame_equal(matches, family.matches(seeds))
    assert len(matches) == features["count"].sum() and len(matches) > 50


def test_evidence_counts_by_hand():
    """'REGIME' is 1 match in a, 'REGIME' and 'REGIMES' are 2 in b (shouting only), by sentence as written."""
    features, units, matches = ShoutFamily(SHOUT).evidence(corpus())
    assert features[["doc_id", "count", "n_tokens"]].values.tolist() == [["a", 1, 6], ["b", 2, 7]]
    assert units[["doc_id", "sentence", "count", "n_tokens"]].values.tolist() == [
        ["a", 0, 1, 3], ["a", 1, 0, 3], ["b", 0, 1, 4], ["b", 1, 1, 3]]
    assert matches[["doc_id", "text", "sentence"]].values.tolist() == [
        ["a", "REGIME", "The REGIME fell."], ["b", "REGIME", "Down with the REGIME!"], ["b", "REGIMES", "The REGIMES fall."]]


def test_each_document_is_tokenized_once_however_many_families_count_it(seeds, monkeypatch):
    """Four families over a batch share one tokenization (and one sentence split); one family streams
    its tokens and keeps none (a corpus of 10,000 documents need not hold them all)."""
    import framing.documents.corpus as corpus_module
    from framing.documents.corpus import Corpus
    from framing.features import FamilyFeatures, family_jobs

    calls = []
    real = corpus_module.tokenize
    monkeypatch.setattr(corpus_module, "tokenize", lambda text, language=None: (calls.append(1), real(text, language))[1])
    fresh = Corpus(seeds.documents)
    FamilyFeatures(tuple(family_jobs(["lexicon", "stance", "actors", "sentiment"])))(fresh)
    assert len(calls) == len(fresh) and fresh._tokens is not None
    calls.clear()
    alone = Corpus(seeds.documents)
    FamilyFeatures(tuple(family_jobs(["stance"])))(alone)
    assert len(calls) == len(alone) and alone._tokens is None


@pytest.mark.parametrize("name", ["framing", "stance"])
def test_evidence_without_text_is_the_match_records_without_their_text_and_sentence(seeds, name):
    from framing.tables import MATCH_SPAN_COLUMNS

    family = family_for(name)
    features, units, spans = family.evidence(seeds, text=False)
    _, _, records = family.evidence(seeds)
    assert spans.columns.tolist() == MATCH_SPAN_COLUMNS + list(family.extra_columns)
    assert "text" not in spans.columns and "sentence" not in spans.columns
    names = [c for c in spans.columns if c not in ("start", "end", "token_start", "token_end")]
    assert all(isinstance(spans[c].dtype, pd.CategoricalDtype) for c in names)  # each name held once: the explorer's spans
    pd.testing.assert_frame_equal(spans.astype({c: str for c in names}), records.drop(columns=["text", "sentence"]))
    pd.testing.assert_frame_equal(features, family.table(seeds))

