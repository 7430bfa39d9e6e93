"""Stories (framing.features.stories): links by similarity within a time window, shared passages as
evidence, stable ids, and the nine-outlet news corpus."""

import warnings

import pandas as pd
import pytest

from framing.documents.corpus import load_corpus
from framing.errors import FramingError
from framing.features.stories import stories
from tests.conftest import real_corpora

FLOOD_A = "Flood waters hit Dhaka; rescue boats reached stranded villagers after the river burst its banks."
FLOOD_B = "Rescue boats reached villagers stranded by flood waters in Dhaka when the river burst its banks."
BANK = "The central bank raised interest rates to curb inflation, its governor said on Tuesday."


def _corpus(dates):
    return load_corpus(pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["A", "B", "B"],
                                     "date": dates, "text": [FLOOD_A, FLOOD_B, BANK]}))


def test_similar_documents_within_the_window_are_one_story_and_ids_are_dated():
    result = stories(_corpus(["2021-06-01", "2021-06-03", "2021-06-02"]), by="outlet", time="date", window=3)
    assert result.documents["story"].tolist() == ["story-2021-06-01-0001", "story-2021-06-01-0001", "story-2021-06-02-0001"]
    row = result.table.iloc[0]
    assert (row["size"], row["n_groups"], row["groups"], row["first"], row["last"]) == (2, 2, "A; B", "2021-06-01", "2021-06-03")
    assert "dhaka" in row["top_terms"] and 0 < row["cohesion"] <= 1


def test_the_window_keeps_the_same_words_apart_in_time():
    far = stories(_corpus(["2021-06-01", "2021-06-20", "2021-06-02"]), by="outlet", time="date", window=3)
    assert far.documents["story"].nunique() == 3
    wide = stories(_corpus(["2021-06-01", "2021-06-20", "2021-06-02"]), by="outlet", time="date", window=30)
    assert wide.documents["story"].nunique() == 2


def test_a_shared_passage_links_across_the_window_but_boilerplate_alone_links_nothing():
    corpus = _corpus(["2021-06-01", "2021-06-20", "2021-06-02"])  # a and b alike, but 19 days apart
    assert stories(corpus, time="date").documents["story"].nunique() == 3
    passages = pd.DataFrame({"doc_a": ["a", "a"], "doc_b": ["b", "c"]})
    linked = stories(corpus, time="date", passages=passages).documents["story"].tolist()
    assert linked[0] == linked[1]  # a shared passage and shared words: one story
    assert linked[0] != linked[2]  # a and c share a passage (boilerplate) but no vocabulary: not one story
    with pytest.raises(FramingError, match="the passages name document zz"):
        stories(corpus, passages=pd.DataFrame({"doc_a": ["a"], "doc_b": ["zz"]}))


def test_bad_inputs_are_one_line():
    corpus = _corpus(["2021-06-01", "soon", "2021-06-02"])
    with pytest.raises(FramingError, match=r"1 document\(s\) have no readable date in 'date' \(b\)"):
        stories(corpus, time="date")
    with pytest.raises(FramingError, match="threshold must lie above 0 and at most 1"):
        stories(corpus, threshold=1.5)
    with pytest.raises(FramingError, match="unknown column 'desk'"):
        stories(corpus, by="desk")


@pytest.fixture(scope="module")
def news():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return load_corpus(real_corpora().news_articles())


def test_on_nine_real_outlets_one_event_is_one_story_and_the_ids_are_stable(news):
    first = stories(news, by="outlet", time="date")
    again = stories(news, by="outlet", time="date")
    assert first.documents.equals(again.documents) and first.table.equals(again.table)
    story = first.documents.set_index("doc_id")["story"]
    text = news.documents.set_index("doc_id")["clean_text"]
    # the Dutch election of 15 March 2017: articles naming both Wilders and Rutte
    dutch = story[text.str.contains("Wilders") & text.str.contains("Rutte")]
    assert dutch.value_counts().iloc[0] / len(dutch) >= 0.6
    # passages of 30 words or more shared within three days: most pairs are one story by vocabulary alone
    from framing.features.reuse import reuse

    passages = reuse(news, min_words=30, time="date")
    dates = pd.to_datetime(news.documents.set_index("doc_id")["date"])
    close = (dates[passages["doc_a"]].to_numpy() - dates[passages["doc_b"]].to_numpy()) / pd.Timedelta(days=1)
    close = abs(close) <= 3
    same = story[passages["doc_a"]].to_numpy() == story[passages["doc_b"]].to_numpy()
    assert same[close].mean() >= 0.7
    shared = first.table[first.table["n_groups"] >= 2]
    assert len(shared) >= 150 and shared["cohesion"].median() >= 0.4
