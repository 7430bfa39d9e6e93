import math

import pandas as pd
import pytest

from framing.documents.corpus import load_corpus
from framing.features.sentiment import (
    actor_sentiment,
    sentence_sentiment,
    sentiment,
    vader_scores,
)
from tests.conftest import real_corpora


def test_vader_published_examples():
    assert vader_scores("VADER is smart, handsome, and funny.")["compound"] == 0.8316
    assert vader_scores("The book was good.")["compound"] == 0.4404


def test_one_sentence_document_equals_vader():
    corpus = load_corpus(pd.DataFrame({"text": ["VADER is smart, handsome, and funny."]}))
    table = sentiment(corpus).set_index("category")
    assert table.loc["compound_mean", "value"] == 0.8316
    assert table.loc["positive_share", "value"] == 1.0
    assert table.loc["compound_mean", "n_sentences"] == 1


def test_shares_use_the_thresholds():
    corpus = load_corpus(pd.DataFrame({"text": ["The book was good. The book was bad. The book was blue."]}))
    scores = sentence_sentiment(corpus)["compound"].tolist()
    assert scores[0] >= 0.05 and scores[1] <= -0.05 and -0.05 < scores[2] < 0.05
    table = sentiment(corpus).set_index("category")["value"]
    assert table["positive_share"] == table["negative_share"] == table["neutral_share"] == pytest.approx(1 / 3)
    assert table["compound_mean"] == pytest.approx(sum(scores) / 3)


def test_empty_document_is_nan_not_a_crash():
    with pytest.warns(UserWarning):
        corpus = load_corpus(pd.DataFrame({"text": ["", "Good."]}))
    table = sentiment(corpus)
    empty = table[table.doc_id == "doc00001"]
    assert empty["n_sentences"].tolist() == [0] * 4 and empty["value"].isna().all()


def test_actor_sentiment_by_sentence_co_occurrence():
    corpus = load_corpus(pd.DataFrame({
        "doc_id": ["a", "b"], "outlet": ["A", "B"],
        "text": ["The regime is cruel and evil. The weather is nice.", "The government did a good job."],
    }))
    per_doc = actor_sentiment(corpus).set_index(["doc_id", "actor"])
    cruel = vader_scores("The regime is cruel and evil.")["compound"]
    assert per_doc.loc[("a", "iranian_state"), ["compound_mean", "n_sentences"]].tolist() == [cruel, 1]
    per_group = actor_sentiment(corpus, by="outlet").set_index(["outlet", "actor"])
    assert per_group.loc[("B", "iranian_state"), "compound_mean"] == vader_scores("The government did a good job.")["compound"]
    assert per_group.loc[("B", "iranian_state"), "n_docs"] == 1
    assert not math.isnan(per_group.loc[("A", "iranian_state"), "negative_share"])


def test_a_text_vader_cannot_move_off_neutral_gets_vaders_own_score_without_its_pass(monkeypatch):
    from framing.documents.tokens import sentence_spans
    from framing.features.sentiment import analyzer

    texts = real_corpora().news_articles(per_outlet=20)["text"].tolist()
    sentences = [t[a:b] for t in texts for a, b in sentence_spans(t)]
    odd = ["", " ", "Held.", "It was held 🙂 today", "held :)", "(held)", "HELD!!!", "No held?", "kind of held",
           "but held", "“Held,” he wrote.", "held\u2764", "Emoji 👍🏽 skin"]
    vader = analyzer()
    calls = []
    polarity = vader.polarity_scores
    monkeypatch.setattr(vader, "polarity_scores", lambda text: calls.append(text) or polarity(text))
    for text in sentences + odd:
        assert vader_scores(text) == polarity(text), text  # every score, every key, to the last digit
    skipped = len(sentences) + len(odd) - len(calls)
    assert 0.2 * len(sentences) < skipped < 0.6 * len(sentences)  # a third of news sentences need no pass
    assert {"It was held 🙂 today", "held :)", "held\u2764", "Emoji 👍🏽 skin"} <= set(calls)  # emoji, emoticon
    assert vader_scores("Held.") == {"neg": 0.0, "neu": 1.0, "pos": 0.0, "compound": 0.0}
    assert vader_scores(" ") == {"neg": 0.0, "neu": 0.0, "pos": 0.0, "compound": 0.0}
