"""Text reuse: planted passages found in real articles, stock phrases not, summaries by hand."""

import random

import numpy as np
import pandas as pd
import pytest

from framing.cli import main
from framing.documents.corpus import load_corpus
from framing.errors import FramingError
from framing.features import explain, lexicon_features
from framing.features.reuse import (
    mark_reused,
    reuse,
    reuse_matrix,
    reuse_shares,
    without_reused,
)
from tests.conftest import SEEDS, real_corpora


def _articles(n: int) -> pd.DataFrame:
    table = real_corpora().news_articles()
    table = table[table["text"].str.split().str.len().between(300, 1500)].drop_duplicates("text")
    return table.sample(n, random_state=3).reset_index(drop=True)


def _edit(words: list[str], rng: random.Random) -> list[str]:
    """A light edit: two words changed, one inserted, one dropped."""
    words = list(words)
    for i in rng.sample(range(3, len(words) - 3), 2):
        words[i] = "qzx" + words[i]
    words.insert(rng.randrange(5, len(words) - 5), "indeed")
    del words[rng.randrange(5, len(words) - 5)]
    return words


@pytest.fixture(scope="module")
def planted():
    """60 real articles (no two the same); 12 passages of 40-150 words copied from one into
    another, half of them lightly edited. Returns the corpus, the planted passages, and the
    pairs of articles that share a passage before anything is planted."""
    table = _articles(60)
    table["text"] = load_corpus(table).documents["clean_text"].to_numpy()  # copy what cleaning keeps
    before = reuse(load_corpus(table))  # what the articles share already (a site's footer, a quotation)
    rng = random.Random(7)
    plants = []
    for k in range(12):
        source, target = 2 * k, 2 * k + 1
        words = table.loc[source, "text"].split()
        length = rng.randint(40, 150)
        start = rng.randrange(0, len(words) - length)
        copied = words[start : start + length]
        if k % 2:
            copied = _edit(copied, rng)
        passage = " ".join(copied)
        host = table.loc[target, "text"]
        cut = host.find(". ", len(host) // 3) + 2  # between two sentences of the host article
        table.loc[target, "text"] = host[:cut] + passage + " " + host[cut:]
        plants.append((table.loc[source, "doc_id"], table.loc[target, "doc_id"], passage))
    return load_corpus(table), plants, {frozenset(p) for p in before[["doc_a", "doc_b"]].itertuples(index=False)}


def test_every_planted_passage_is_found_once_with_spans_that_cover_it(planted):
    corpus, plants, already = planted
    passages = reuse(corpus)
    texts = corpus.documents.set_index("doc_id")["clean_text"]
    for source, target, passage in plants:
        found = passages[(passages[["doc_a", "doc_b"]].apply(set, axis=1) == {source, target})]
        at = texts[target].find(passage)
        coverage = []
        for row in found.to_dict("records"):
            side = "b" if row["doc_b"] == target else "a"
            start, end = row[f"start_{side}"], row[f"end_{side}"]
            coverage.append(max(0, min(end, at + len(passage)) - max(start, at)) / len(passage))
        # one passage covers the planted text, even when lightly edited (a source that repeats part
        # of it elsewhere adds a shorter passage from there)
        assert sum(c > 0.9 for c in coverage) == 1, (source, target, coverage)
        row = found.iloc[int(np.argmax(coverage))]
        assert row["similarity"] > 0.9
        side, other = ("b", "a") if row["doc_b"] == target else ("a", "b")
        # spans start and end on the same words in both documents
        words_here = texts[target][row[f"start_{side}"] : row[f"end_{side}"]].split()
        words_there = texts[row[f"doc_{other}"]][row[f"start_{other}"] : row[f"end_{other}"]].split()
        assert words_here[0].lower() == words_there[0].lower() and words_here[-1].lower() == words_there[-1].lower()
    planted_pairs = {frozenset((s, t)) for s, t, _ in plants}
    assert {frozenset(p) for p in passages[["doc_a", "doc_b"]].itertuples(index=False)} == planted_pairs | already


def test_stock_phrases_are_not_reuse():
    table = _articles(24)
    shared = reuse(load_corpus(table))  # articles of one site can share its footer: keep one of each such pair
    table = table[~table["doc_id"].isin(shared["doc_b"])].reset_index(drop=True)
    stock = ["Thank you very much, ladies and gentlemen.", "At the end of the day, it is what it is.",
             "I would like to thank everyone who made this possible, thank you very much indeed."]
    halves = [(t[: len(t) // 2], t[len(t) // 2 :]) for t in table["text"]]  # a stock phrase opens, splits and closes each
    table["text"] = [" ".join([stock[i % 3], first, stock[(i + 1) % 3], second, stock[(i + 2) % 3]])
                     for i, (first, second) in enumerate(halves)]
    assert reuse(load_corpus(table)).empty


def test_the_seeds_share_a_quotation_of_26_words_and_a_jibe_of_15(seeds):
    passages = reuse(seeds, min_words=15)
    assert passages[["doc_a", "doc_b", "n_words"]].values.tolist() == [
        ["000_e28e4037aeb85a92", "001_5362e26c78fa2d5c", 15], ["000_e28e4037aeb85a92", "001_5362e26c78fa2d5c", 26]]
    assert passages["similarity"].tolist() == [pytest.approx(14 / 15), 1.0]  # "asking:" / "by saying" one word apart
    assert passages["text_a"].iloc[0] == "have equal rights by asking: “Such as the legitimate right of one execution every 8"
    assert "We don’t have elections in Iran, we have selections" in passages["text_a"].iloc[1]
    assert passages[["outlet_a", "outlet_b"]].values.tolist() == [["Iran Focus", "NCRI"]] * 2
    assert reuse(seeds).empty  # the default (30 words) is longer than this quotation


def _tiny():
    shared = "we do not have elections in iran we have selections and nobody here believes them anymore"
    return load_corpus(pd.DataFrame({
        "doc_id": ["a", "b", "c"], "outlet": ["X", "Y", "Y"], "date": ["2017-05-02", "2017-05-01", "2017-05-03"],
        "text": [f"The regime said {shared}.", f"Users wrote {shared} today. The regime fell.", "Nothing shared here."],
    }))


def test_summaries_by_hand():
    corpus = _tiny()
    passages = reuse(corpus, min_words=10, time="date")
    assert passages[["doc_a", "doc_b", "n_words", "first"]].values.tolist() == [["a", "b", 16, "b"]]  # b is older
    with pytest.raises(FramingError, match=r"reuse_shares takes \(passages, corpus\)"):
        reuse_shares(corpus, passages)  # the order of reuse_matrix (issue 24)
    shares = reuse_shares(passages, corpus).set_index("doc_id")
    # a: 3 + 16 words, 16 shared, all from b (earlier); b: 2 + 16 + 4 words, 16 shared, none from an earlier document
    assert shares.loc["a", ["n_words", "reused_words", "reused_from_earlier"]].tolist() == [19, 16, 16]
    assert shares.loc["b", ["n_words", "reused_words", "reused_from_earlier"]].tolist() == [22, 16, 0]
    assert shares.loc["c", "reused_words"] == 0 and shares["near_duplicate_of"].tolist() == ["", "", ""]
    assert shares.loc["a", ["share", "share_from_earlier"]].tolist() == [16 / 19, 16 / 19]
    assert shares.loc["b", ["share", "share_from_earlier"]].tolist() == [16 / 22, 0.0]
    assert shares.loc["c", ["share", "share_from_earlier"]].tolist() == [0.0, 0.0]
    assert reuse_matrix(passages, corpus, "outlet").values.tolist() == [[0, 16], [16, 0]]
    own = without_reused(corpus, passages, earlier_only=True)  # blanked only in a, which copied b
    texts = own.documents.set_index("doc_id")["clean_text"]
    assert texts["a"] == "The regime said" + " " * (len(texts["a"]) - len("The regime said") - 1) + "."
    assert texts["b"] == corpus.documents.set_index("doc_id").loc["b", "clean_text"]
    counts = lexicon_features(own, "framing").set_index(["doc_id", "category"])
    assert counts.loc[("a", "state_delegitimizing"), ["count", "n_tokens"]].tolist() == [1, 3]
    marked = mark_reused(explain(corpus, "framing"), passages)
    assert marked.loc[marked["text"] == "elections", "reused"].tolist() == [True, True]
    assert marked.loc[marked["text"] == "regime", "reused"].tolist() == [False, False]


def test_the_matches_in_shared_passages_are_those_marked_reused_with_and_without_a_remembered_pass(planted, tmp_path,
                                                                                                 monkeypatch):
    """reused_matches explains only the documents that share a passage: its rows are the rows of every
    match of the corpus marked reused, whether the documents are counted or read from a run's remembered
    pass; explain(doc_id=[...]) of several documents is explain of the corpus cut to them, in corpus order."""
    from framing import reused_matches
    from framing.cache import CACHE_VARIABLE

    corpus, plants, _ = planted
    passages = reuse(corpus, time=None)
    everything = mark_reused(explain(corpus, "stance"), passages)
    expected = everything[everything["reused"]].drop(columns="reused").reset_index(drop=True)
    assert len(expected) > 30 and expected["doc_id"].nunique() >= 12
    pd.testing.assert_frame_equal(reused_matches(corpus, passages, "stance"), expected)
    some = [corpus.doc_ids[k] for k in (7, 2, 30)]  # asked out of order: given in corpus order
    whole = explain(corpus, "stance")
    cut = whole[whole["doc_id"].isin(some)].reset_index(drop=True)
    pd.testing.assert_frame_equal(explain(corpus, "stance", doc_id=some), cut)
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    explain(corpus, "stance")  # the pass remembered: the documents' spans are read back, their text cut
    pd.testing.assert_frame_equal(explain(corpus, "stance", doc_id=some), cut)
    pd.testing.assert_frame_equal(reused_matches(corpus, passages, "stance"), expected)
    with pytest.raises(FramingError, match="nope"):
        explain(corpus, "stance", doc_id=["nope"])


def test_a_corpus_read_in_batches_and_spilled_to_disk_gives_the_same_passages(planted, tmp_path, monkeypatch):
    """The same 60 articles with their plants, as a CSV read in small batches with every array
    sent to disk at once (SPILL_BYTES 1): the very passages of the loaded corpus, and the same shares."""
    import framing.features.reuse as module
    from framing.documents.corpus import CorpusFiles

    corpus, plants, _ = planted
    expected = reuse(corpus, time=None)
    assert len(expected) >= len(plants)
    path = tmp_path / "planted.csv"
    table = corpus.documents[["doc_id", "text"]].assign(outlet=[f"o{i % 4}" for i in range(len(corpus))])
    table.to_csv(path, index=False)
    files = CorpusFiles(path, clean=False, batch_chars=20_000)
    assert sum(1 for _ in files.batches()) > 5
    spilled: list[bool] = []
    original = module._Spill.read
    monkeypatch.setattr(module, "SPILL_BYTES", 1)
    monkeypatch.setattr(module._Spill, "read", lambda self, name: (spilled.append(self.folder is not None), original(self, name))[1])
    got = reuse(files)
    assert spilled and all(spilled)
    columns = ["doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "n_words", "similarity", "text_a"]
    pd.testing.assert_frame_equal(got[columns], expected[columns])
    assert got["outlet_a"].tolist() == got["doc_a"].map(table.set_index("doc_id")["outlet"]).tolist()
    shares = reuse_shares(got, files)
    own = reuse_shares(expected, corpus)
    pd.testing.assert_frame_equal(shares.drop(columns="outlet"), own[["doc_id", *shares.columns[2:]]])
    assert reuse_matrix(got, files, "outlet").to_numpy().sum() > 0


def test_reuse_on_the_command_line(tmp_path, capsys):
    assert main(["reuse", str(SEEDS), "--min-words", "15", "--by", "outlet", "--matrix", str(tmp_path / "m.csv"),
                 "--shares", str(tmp_path / "s.csv"), "-o", str(tmp_path / "p.csv")]) == 0
    assert pd.read_csv(tmp_path / "p.csv")["n_words"].tolist() == [15, 26]
    assert pd.read_csv(tmp_path / "m.csv").set_index("outlet").loc["Iran Focus", "NCRI"] == 41
    assert main(["features", str(SEEDS), "--exclude-reused", "--reuse-min-words", "15", "-o", str(tmp_path / "f.csv")]) == 0
    expected = lexicon_features(without_reused(load_corpus(SEEDS), reuse(load_corpus(SEEDS), min_words=15)), "framing")
    got = pd.read_csv(tmp_path / "f.csv")
    assert got["count"].tolist() == expected["count"].tolist() and got["n_tokens"].tolist() == expected["n_tokens"].tolist()
    assert "left out 2 shared passage(s), 41 words" in capsys.readouterr().err
    assert main(["reuse", str(SEEDS), "--by", "outlet"]) == 2
    assert "--matrix needs --by" in capsys.readouterr().err


def test_parameters_are_checked(seeds):
    with pytest.raises(FramingError, match="ngram \\(5\\) is longer than min_words \\(3\\)"):
        reuse(seeds, min_words=3)
    with pytest.raises(FramingError, match="unknown column 'when'"):
        reuse(seeds, time="when")


def test_cost_grows_with_the_corpus_not_with_its_pairs():
    """Candidate pairs come from shared rare 5-grams: 400 documents of unrelated words give no anchor at all."""
    from framing.features.reuse import _bucket_anchors, _shingle_hashes

    rng = np.random.default_rng(0)
    hashes = [_shingle_hashes(rng.integers(0, 50_000, 200), 5) for _ in range(400)]
    doc = np.repeat(np.arange(400), [len(h) for h in hashes])
    pos = np.concatenate([np.arange(len(h)) for h in hashes])
    assert len(_bucket_anchors(np.concatenate(hashes), doc, pos, 20)) == 0


def test_exclude_reused_on_the_features_path_and_the_passages_page(seeds):
    from framing.features import family_features
    from framing.features.reuse import passage_records
    from framing.views.highlight import render_html

    passages = reuse(seeds, min_words=15)
    own = lexicon_features(seeds, "framing", exclude_reused=passages).set_index(["doc_id", "category"])
    full = lexicon_features(seeds, "framing").set_index(["doc_id", "category"])
    # "elections ... selections ... election ... election" and "rights ... execution" leave both documents
    for doc in ("000_e28e4037aeb85a92", "001_5362e26c78fa2d5c"):
        less = full.loc[doc, "count"] - own.loc[doc, "count"]
        assert less[less > 0].to_dict() == {"repression_violence": 1, "democracy_rights": 1, "electoral_delegitimation": 1,
                                            "electoral_neutral": 3}
        assert full.loc[(doc, "state_neutral"), "n_tokens"] - own.loc[(doc, "state_neutral"), "n_tokens"] == 41
    stacked = family_features(seeds, ["lexicon", "stance"], exclude_reused=passages)
    assert stacked.loc[stacked["family"] == "lexicon", "count"].tolist() == own["count"].tolist()
    assert lexicon_features(seeds, "framing", exclude_reused=True)["count"].tolist() == full["count"].tolist()  # none at 30
    records = passage_records(passages)
    assert records["pattern"].tolist() == ["shared with 001_5362e26c78fa2d5c: 15 words, similarity 0.93",
                                           "shared with 001_5362e26c78fa2d5c: 26 words, similarity 1.00",
                                           "shared with 000_e28e4037aeb85a92: 15 words, similarity 0.93",
                                           "shared with 000_e28e4037aeb85a92: 26 words, similarity 1.00"]
    page = render_html(seeds, records, title="Shared passages")
    assert page.count('title="shared passage') == 4 and 'data-start="1814" data-end="1943"' in page


REFRAIN = ("It's up to us to wake up. It's up to us to sit up. It's up to us to speak up. "
           "It's up to us to stand up. It's up to us to show up.")


def _speeches(n: int, low: int = 300, high: int = 1500) -> pd.DataFrame:
    table = real_corpora().commons_speeches()
    table = table[table["text"].str.split().str.len().between(low, high)].drop_duplicates("text")
    table = table.sample(n, random_state=5).reset_index(drop=True)
    table["text"] = load_corpus(table).documents["clean_text"].to_numpy()  # copy what cleaning keeps
    return table


def _insert(text: str, passage: str, where: float) -> tuple[str, int]:
    """``text`` with ``passage`` inserted between two sentences about ``where`` of the way in, and its offset."""
    cut = text.find(". ", int(len(text) * where))
    cut = len(text) if cut < 0 else cut + 2
    return text[:cut] + passage + " " + text[cut:], cut


def test_a_refrain_repeated_in_one_speech_is_no_passage():
    # one speaker says the refrain five times, another says "it's up to us" once: they share no passage
    table = _speeches(2)
    table.loc[0, "text"] = _insert(table.loc[0, "text"], REFRAIN, 0.3)[0]
    table.loc[1, "text"] = _insert(table.loc[1, "text"], "And it's up to us to decide.", 0.5)[0]
    corpus = load_corpus(table)
    assert reuse(corpus).empty and reuse(corpus, min_words=10).empty
    # when both say the whole refrain, that is a shared passage: one row, the words both say, up to "show"/"turn"
    table.loc[1, "text"] = _insert(table.loc[1, "text"], REFRAIN.replace("show up", "turn up"), 0.7)[0]
    found = reuse(load_corpus(table))
    assert found[["n_words", "similarity"]].values.tolist() == [[38, 1.0]]
    assert found["text_a"].iloc[0] == REFRAIN[: REFRAIN.index(" show up")]


@pytest.fixture(scope="module")
def speeches_with_plants():
    """60 real House of Commons speeches; 30 passages of 77-128 words copied from one into another, a
    third lightly edited; every source and host also holds a refrain (said five times), and every third
    copied passage holds one too. Returns the corpus, the plants (source, host, passage, offset in the
    host) and the pairs that share a passage before anything is planted."""
    table = _speeches(60)
    before = reuse(load_corpus(table))
    rng = random.Random(11)
    plants = []
    for k in range(30):
        source, host = 2 * k, 2 * k + 1
        words = table.loc[source, "text"].split()
        length = rng.randint(77, 128)
        start = rng.randrange(0, len(words) - length)
        copied = words[start : start + length]
        if k % 3 == 0:
            copied = _edit(copied, rng)
        if k % 3 == 1:  # the copied passage holds a refrain in the middle, as the source does
            copied = copied[: length // 2] + REFRAIN.split() + copied[length // 2 :]
        passage = " ".join(copied)
        text, at = _insert(table.loc[host, "text"], passage, 0.4)
        table.loc[host, "text"] = _insert(text, REFRAIN, 0.9)[0] if at + len(passage) < len(text) * 0.85 else text
        source_text = table.loc[source, "text"]
        table.loc[source, "text"] = source_text + " " + REFRAIN  # a refrain of its own, after what was copied
        if k % 3 == 1:  # the source holds the passage with its refrain too
            table.loc[source, "text"] = table.loc[source, "text"].replace(" ".join(words[start : start + length]), passage, 1)
        plants.append((table.loc[source, "doc_id"], table.loc[host, "doc_id"], passage))
    corpus = load_corpus(table)
    texts = corpus.documents.set_index("doc_id")["clean_text"]
    plants = [(s, h, p, texts[h].find(p)) for s, h, p in plants]
    assert all(at >= 0 for *_, at in plants)
    return corpus, plants, {frozenset(p) for p in before[["doc_a", "doc_b"]].itertuples(index=False)}


def test_each_planted_passage_is_one_row_among_refrains(speeches_with_plants):
    corpus, plants, already = speeches_with_plants
    passages = reuse(corpus)
    texts = corpus.documents.set_index("doc_id")["clean_text"]
    words = {d: corpus.tokens[d] for d in corpus.doc_ids}
    for source, host, passage, at in plants:
        pair = passages[passages[["doc_a", "doc_b"]].apply(set, axis=1) == {source, host}]
        side = np.where(pair["doc_b"] == host, "b", "a")
        starts = np.where(side == "b", pair["start_b"], pair["start_a"])
        ends = np.where(side == "b", pair["end_b"], pair["end_a"])
        overlapping = (ends > at) & (starts < at + len(passage))
        # one row where the passage lies, covering at least 90% of it
        assert overlapping.sum() == 1, (source, host, list(zip(starts, ends)), at, len(passage))
        row = pair[overlapping].iloc[0]
        cover = (min(ends[overlapping][0], at + len(passage)) - max(starts[overlapping][0], at)) / len(passage)
        assert cover >= 0.9 and row["similarity"] >= 0.85
        # both spans start and end on the same words
        here = [w.lower() for w in texts[row["doc_a"]][row["start_a"] : row["end_a"]].split()]
        there = [w.lower() for w in texts[row["doc_b"]][row["start_b"] : row["end_b"]].split()]
        assert (here[0], here[-1]) == (there[0], there[-1])
    # and nothing else, but the refrain itself: all 60 documents hold it whole (35 identical words), which is a
    # passage they share, found as a reprint is (each document with the first that has it), never as a longer one
    planted_pairs = {frozenset((s, h)) for s, h, *_ in plants}
    other = passages[[frozenset(p) not in planted_pairs | already
                      for p in passages[["doc_a", "doc_b"]].itertuples(index=False)]]
    assert len(other) and other["text_a"].str.startswith("It's up to us").all() and (other["n_words"] <= 40).all()
    del words


def test_similarity_is_over_the_longer_side_by_hand():
    # 40 shared words; b inserts 4 words in the middle: a's span 40 words, b's 44; 40 identical -> 40 / 44
    shared = ("the council of ministers met on tuesday to discuss the budget and agreed that spending on "
              "schools hospitals and roads would rise next year while taxes on fuel tobacco and alcohol "
              "would stay where they are for now at least").split()
    assert len(shared) == 40
    inserted = shared[:20] + ["as", "officials", "told", "reporters"] + shared[20:]
    corpus = load_corpus(pd.DataFrame({"text": ["Opening words here. " + " ".join(shared) + ". Closing words.",
                                                "Other words first. " + " ".join(inserted) + ". Other end."]}))
    row = reuse(corpus, min_words=10).iloc[0]
    assert row["n_words"] == 40 and row["similarity"] == pytest.approx(40 / 44)
    assert row["similarity"] == pytest.approx(40 / 44)
    # a passage that shares too little of its words is dropped by min_similarity
    assert reuse(corpus, min_words=10, min_similarity=0.95).empty


def test_chains_by_hand():
    from framing.features.reuse import _chains

    # two runs of anchors; a stray anchor (12, 90) between them does not cut the first run: chains stay open
    anchors = np.array([(0, 50), (1, 51), (2, 52), (12, 90), (3, 53), (4, 54)])
    anchors = anchors[np.lexsort((anchors[:, 1], anchors[:, 0]))]
    assert _chains(anchors, 5) == [[(0, 50), (1, 51), (2, 52), (3, 53), (4, 54)], [(12, 90)]]
    # the gap is inclusive: 5 n-grams later still chains at gap=5, 6 does not
    assert len(_chains(np.array([(0, 0), (5, 5)]), 5)) == 1 and len(_chains(np.array([(0, 0), (6, 6)]), 5)) == 2
    # a step of up to gap in the second document too (an inserted word), not beyond
    assert len(_chains(np.array([(0, 0), (1, 3)]), 3)) == 1 and len(_chains(np.array([(0, 0), (1, 4)]), 3)) == 2
    # a chain closes once an anchor lies more than gap beyond its end: a later anchor in reach of its end
    # in the second document cannot join it
    assert _chains(np.array([(0, 0), (9, 40), (10, 3)]), 5) == [[(0, 0)], [(9, 40)], [(10, 3)]]
    # positions that do not advance in both documents do not chain
    assert len(_chains(np.array([(0, 5), (1, 4)]), 5)) == 2
    # chains come back in the order they start in the first document
    assert [c[0] for c in _chains(np.array([(0, 30), (1, 0), (2, 31)]), 5)] == [(0, 30), (1, 0)]


def test_merge_by_hand():
    from framing.features.reuse import _merge

    # overlapping, or touching within gap words, in both documents and in the same order: one passage
    assert _merge([(0, 10, 100, 110), (8, 20, 108, 120)], 0) == [(0, 20, 100, 120)]
    assert _merge([(0, 10, 100, 110), (13, 20, 113, 120)], 3) == [(0, 20, 100, 120)]
    assert _merge([(0, 10, 100, 110), (14, 20, 114, 120)], 3) == [(0, 10, 100, 110), (14, 20, 114, 120)]
    # touching in one document but far apart in the other: two passages (the second document quotes twice)
    assert _merge([(0, 10, 100, 110), (10, 20, 300, 310)], 3) == [(0, 10, 100, 110), (10, 20, 300, 310)]
    # running backwards in the second document: two passages
    assert _merge([(0, 10, 100, 110), (12, 20, 60, 68)], 3) == [(0, 10, 100, 110), (12, 20, 60, 68)]
    # 30 words between them, beyond gap: joined when most of the words between align (a refrain both hold) ...
    keys_a = list(range(100))
    keys_b = list(range(100))
    assert _merge([(0, 10, 0, 10), (40, 50, 40, 50)], 5, keys_a, keys_b) == [(0, 50, 0, 50)]
    # ... when 60% of the longer gap aligns, and not when fewer do (17 of 30 words differ here)
    other = keys_b[:10] + [1000 + i for i in range(17)] + keys_b[27:]
    assert _merge([(0, 10, 0, 10), (40, 50, 40, 50)], 5, keys_a, other) == [(0, 10, 0, 10), (40, 50, 40, 50)]
    same = keys_b[:10] + [1000 + i for i in range(12)] + keys_b[22:]  # 18 of 30 align: 60%
    assert _merge([(0, 10, 0, 10), (40, 50, 40, 50)], 5, keys_a, same) == [(0, 50, 0, 50)]
    # gaps whose lengths differ by more than gap words are not bridged
    assert len(_merge([(0, 10, 0, 10), (40, 50, 50, 60)], 5, keys_a, keys_b)) == 2
    # beyond BRIDGE words, nothing is compared
    from framing.features.reuse import BRIDGE

    far = BRIDGE + 11
    assert len(_merge([(0, 10, 0, 10), (far, far + 10, far, far + 10)], 5, list(range(500)), list(range(500)))) == 2


def test_aligned_by_hand():
    from framing.features.reuse import _aligned

    # the span is trimmed to its first and last shared words on both sides, similarity over the longer side
    a = ["x", "the", "vote", "was", "a", "sham", "y"]
    b = ["z", "z", "the", "vote", "really", "was", "a", "sham", "w"]
    first_a, end_a, first_b, end_b, similarity = _aligned(a, b, 0, 7, 0, 9)
    assert (first_a, end_a, first_b, end_b) == (1, 6, 2, 8)
    assert similarity == pytest.approx(5 / 6)  # 5 shared words, the longer side has 6
    assert _aligned(["a"], ["b"], 0, 1, 0, 1) is None


def test_the_reuse_matrix_of_many_groups_keeps_those_that_share_most_decided_before_it_is_made():
    """150 groups: the matrix keeps the 100 whose documents share most words (warned, and said in its
    attrs and the chart's title), each kept cell the sum a cell-by-cell loop gives."""
    from framing.groups import MAX_SIMILARITY_ROWS
    from framing.views.plots import reuse_matrix_figure

    n = 150
    corpus = load_corpus(pd.DataFrame({"doc_id": [f"d{i:03d}" for i in range(n)], "outlet": [f"g{i:03d}" for i in range(n)],
                                       "text": ["Some words here."] * n}))
    rng = random.Random(3)
    pairs = [(rng.randrange(n), rng.randrange(n)) for _ in range(400)]
    passages = pd.DataFrame({"doc_a": [f"d{a:03d}" for a, _ in pairs], "doc_b": [f"d{b:03d}" for _, b in pairs],
                             "n_words": [rng.randrange(30, 90) for _ in pairs]})
    full = {}  # the loop of the definition: row group, column group -> words
    for a, b, w in zip(passages["doc_a"], passages["doc_b"], passages["n_words"]):
        ga, gb = "g" + a[1:], "g" + b[1:]
        full[ga, gb] = full.get((ga, gb), 0) + w
        if ga != gb:
            full[gb, ga] = full.get((gb, ga), 0) + w
    shares = {}
    for (ga, gb), w in full.items():
        shares[ga] = shares.get(ga, 0) + w
        shares[gb] = shares.get(gb, 0) + w
    expected = sorted(shares, key=lambda g: (-shares[g], g))[:MAX_SIMILARITY_ROWS]
    with pytest.warns(UserWarning, match=r"150 groups: a reuse matrix keeps the 100 with most shared words; "
                                         r"left out, fewest shared words: "):
        matrix = reuse_matrix(passages, corpus, "outlet")
    assert matrix.shape == (100, 100) and set(matrix.index) == set(expected)
    assert all(matrix.loc[a, b] == full.get((a, b), 0) for a in matrix.index for b in matrix.columns)
    assert matrix.attrs["left_out"].startswith("the 100 with most shared words of 150 groups; left out, fewest shared words:")
    title = reuse_matrix_figure(matrix).axes[0].get_title()
    assert " ".join(title.split()).endswith("; the 12 of 150 groups that share most words") and matrix.attrs["n_groups"] == 150
    with pytest.raises(FramingError, match="passages name document 'x', which is not in the corpus"):
        reuse_matrix(passages.assign(doc_a=["x"] * len(passages)), corpus, "outlet")


def _reach_by_difflib(side_a, side_b):
    """The widening rule as it was written before its shortcut: difflib on every pair of sides."""
    from difflib import SequenceMatcher

    best, matched = (0, 0), 0
    for m in [m for m in SequenceMatcher(None, side_a, side_b, autojunk=False).get_matching_blocks() if m.size]:
        matched += m.size
        if m.size >= 2 and matched >= 0.6 * (max(m.a, m.b) + m.size):
            best = (m.a + m.size, m.b + m.size)
    return best


def test_widening_skips_difflib_only_where_it_would_find_nothing():
    """Sides that share no two adjacent words are answered without difflib; on 20,000 pairs of sides
    drawn from small vocabularies (so that most share words, many share pairs, and some extend far)
    the answer is difflib's every time."""
    from framing.features.reuse import _reach

    rng = random.Random(7)
    skipped = extended = 0
    for _ in range(20_000):
        vocabulary = rng.randint(2, 12)
        side_a = [rng.randrange(vocabulary) for _ in range(rng.randint(0, 20))]
        side_b = side_a[: rng.randint(0, len(side_a))] if rng.random() < 0.3 else []
        side_b = side_b + [rng.randrange(vocabulary) for _ in range(rng.randint(0, 20 - len(side_b)))]
        assert _reach(side_a, side_b) == _reach_by_difflib(side_a, side_b), (side_a, side_b)
        skipped += not set(zip(side_a, side_a[1:])) & set(zip(side_b, side_b[1:]))
        extended += _reach(side_a, side_b) != (0, 0)
    assert skipped > 2_000 and extended > 2_000  # both branches taken, often


def test_passages_remembered_in_a_run_are_read_back_as_counted_and_counted_anew_when_anything_they_read_changes(
        planted, tmp_path, monkeypatch):
    """In a run (FRAMING_CACHE) the passages are remembered: read back, the table is the table counted,
    dtypes and metadata included; a setting, a date of the time column or a word of a document makes
    them counted anew, and other metadata is joined from the corpus at hand, not remembered."""
    import framing.features.reuse as reuse_module
    from framing.cache import CACHE_VARIABLE

    corpus, plants, _ = planted
    dated = load_corpus(corpus.documents[["doc_id", "text"]].assign(
        date=[f"2024-01-{1 + i % 28:02d}" for i in range(len(corpus))], outlet=[f"o{i % 3}" for i in range(len(corpus))]))
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    counted = {(m, t): reuse(dated, min_words=m, time=t) for m in (30, 40) for t in (None, "date")}
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    passes = []
    real = reuse_module._passages
    monkeypatch.setattr(reuse_module, "_passages", lambda *a, **k: (passes.append(1), real(*a, **k))[1])
    for (m, t), expected in counted.items():
        for _ in range(2):
            pd.testing.assert_frame_equal(reuse(dated, min_words=m, time=t), expected, check_exact=True)
    assert len(passes) == 4 and len(counted[30, "date"]) >= len(plants)  # each setting counted once, read back once
    redated = load_corpus(dated.documents[["doc_id", "text", "outlet"]].assign(date="2024-02-01"))
    assert set(reuse(redated, time="date")["first"]) == {""} and len(passes) == 5  # other dates: counted anew
    renamed = load_corpus(dated.documents[["doc_id", "text", "date"]].assign(outlet="x"))
    assert set(reuse(renamed, time="date")["outlet_a"]) == {"x"} and len(passes) == 5  # metadata: read back, joined
    edited = dated.documents[["doc_id", "text", "date", "outlet"]].copy()
    edited.loc[0, "text"] += " One more sentence."
    reuse(load_corpus(edited), time="date")
    assert len(passes) == 6
    empty = reuse(load_corpus(SEEDS), min_words=200)
    assert empty.empty and reuse(load_corpus(SEEDS), min_words=200).dtypes.equals(empty.dtypes)
