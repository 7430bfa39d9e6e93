import numpy as np
import pandas as pd
import pytest

from framing.documents.corpus import load_corpus
from framing.documents.tokens import tokenize
from framing.errors import FramingError
from framing.keywords.collocations import collocations
from framing.keywords.keyness import distinctive_terms, keyness
from framing.keywords.kwic import format_kwic, kwic
from framing.keywords.terms import doc_terms
from framing.measures import g2, log_ratio


@pytest.fixture
def three():
    return load_corpus(pd.DataFrame({
        "doc_id": ["a1", "a2", "b1"],
        "outlet": ["A", "A", "B"],
        "text": ["The regime fell. The regime lied.", "The regime, the sham vote.", "The government held a vote."],
    }))


def test_doc_terms_do_not_cross_punctuation():
    assert doc_terms(tokenize("Sham vote. The regime"), (2, 2)) == ["sham vote", "the regime"]
    with pytest.raises(FramingError, match="ngram_range"):
        doc_terms(tokenize("x"), (2, 1))


def test_a_count_without_stopwords_is_the_words_counted_less_the_stopwords_columns():
    """document_terms with a stopword list drops the stopwords' columns from the count of every word;
    the matrix and terms are those of each document's doc_terms with the list, counted by hand
    (a document of stopwords alone has an empty row; a list of every word leaves no column)."""
    from framing.keywords.terms import document_terms

    corpus = load_corpus(pd.DataFrame({"text": ["The regime, the sham vote; it's the regime.", "A vote.", "the the"]}))
    stop = frozenset({"the", "a", "it"})
    matrix, terms = document_terms(corpus, (1, 1), stop)
    assert terms.tolist() == ["'s", "regime", "sham", "vote"]
    assert matrix.toarray().tolist() == [[1, 2, 1, 1], [0, 0, 0, 1], [0, 0, 0, 0]]
    assert matrix.dtype == np.int64 and matrix.format == "csr"
    for row, (_, doc) in zip(matrix.toarray(), corpus.iter_tokens()):
        words = doc_terms(doc, (1, 1), stop)
        assert {t: n for t, n in zip(terms, row) if n} == {w: words.count(w) for w in words}
    everything, _ = document_terms(corpus, (1, 1), frozenset({"the", "a", "it", "'s", "regime", "sham", "vote"}))
    assert everything.shape == (3, 0)


def test_a_table_of_every_term_too_large_to_hold_is_refused_at_once_naming_its_size(three, monkeypatch):
    """Two groups against the rest over nine terms: 18 rows. Above the bound keyness builds the
    table; below it, it says how large the table would be and what to pass, before comparing."""
    import framing.keywords.keyness as keyness_module
    from framing.keywords.keyness import keyness_parts

    assert len(keyness(three, "outlet", min_count=1)) == 18
    monkeypatch.setattr(keyness_module, "MAX_KEYNESS_ROWS", 18)
    assert len(keyness(three, "outlet", min_count=1)) == 18
    monkeypatch.setattr(keyness_module, "MAX_KEYNESS_ROWS", 17)
    calls = []
    monkeypatch.setattr(keyness_module, "_compare", lambda *a, **k: calls.append(1))
    with pytest.raises(FramingError, match=r"^keyness of every term: 2 comparison\(s\) of up to 9 terms are up to 18 "
                                           r"rows, over the 17 a table holds in memory .*pass top=N"):
        keyness(three, "outlet", min_count=1)
    assert calls == []  # refused before the first comparison
    monkeypatch.undo()
    assert len(keyness(three, "outlet", min_count=1, top=1)) < 18  # what a chart draws: no bound
    parts = keyness_parts(three, "outlet", min_count=1)  # streamed: no bound
    assert sum(map(len, parts)) == 18


def test_one_vs_rest_counts_by_hand(three):
    table = keyness(three, "outlet", min_count=2)
    a = table[table.outlet == "A"].set_index("term")
    # A: "the regime fell the regime lied" (6) + "the regime the sham vote" (5) = 11 tokens; B: 5 tokens
    assert a.loc["regime", ["count_target", "count_reference", "n_target", "n_reference"]].tolist() == [3, 0, 11, 5]
    assert a.loc["regime", "g2"] == pytest.approx(float(g2(3, 0, 11, 5)))
    assert a.loc["regime", "log_ratio"] == pytest.approx(float(log_ratio(3, 0, 11, 5)))
    assert a.loc["regime", "per_1k_target"] == pytest.approx(3 / 11 * 1e3)  # per 1,000 words, as every rate
    assert a.loc["regime", ["docs_target", "n_docs_target", "docs_reference", "n_docs_reference"]].tolist() == [2, 2, 0, 1]
    assert set(a["n_groups_reference"]) == {1}  # A against B: one group on the reference side
    assert a.loc["sham", "low_count"] and not a.loc["regime", "low_count"]
    # every group appears, and B's view of the same term is the mirror image
    assert sorted(table.outlet.unique()) == ["A", "B"]
    b = table[table.outlet == "B"].set_index("term")
    assert b.loc["regime", "g2"] == pytest.approx(-a.loc["regime", "g2"])
    # sorted by the measure within the group
    assert a["g2"].is_monotonic_decreasing


def test_target_and_reference_lists(three):
    table = keyness(three, "doc_id", target=["a1", "a2"], reference="b1", measure="log_ratio")
    assert set(table.doc_id) == {"a1+a2"} and set(table.reference) == {"b1"}
    assert "log_ratio" in table.columns and table["p_value"].isna().all()


def test_bigrams_have_their_own_totals(three):
    table = keyness(three, "outlet", target="A", ngram_range=(1, 2)).set_index("term")
    # A's bigrams never cross punctuation: "the regime fell" 2, "the regime lied" 2, "the regime" 1, "the sham vote" 2
    assert table.loc["the regime", ["n", "count_target", "n_target"]].tolist() == [2, 3, 7]
    assert table.loc["regime", "n_target"] == 11


def test_log_odds_with_background_prior(three):
    background = pd.DataFrame({"term": ["regime", "government", "the"], "count": [10, 10, 100]})
    table = keyness(three, "outlet", target="A", measure="log_odds_dirichlet", background=background)
    assert table.set_index("term").loc["regime", "log_odds_z"] > 0
    assert table["p_value"].between(0, 1).all()


def test_stopwords_are_off_by_default_and_on_request(three, tmp_path):
    assert "the" in set(keyness(three, "outlet").term)
    assert "the" not in set(keyness(three, "outlet", stopwords="english").term)
    path = tmp_path / "stop.txt"
    path.write_text("# mine\nregime\n")
    assert "regime" not in set(keyness(three, "outlet", stopwords=str(path)).term)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"measure": "magic"}, "unknown measure 'magic'; choose from g2"),
        ({"target": "C"}, "unknown target group 'C' in column 'outlet'; groups: A, B"),
        ({"target": "A", "reference": "A"}, "groups in both target and reference: A"),
        ({"reference": "A"}, "reference needs a target"),
        ({"stopwords": "/no/such/file"}, "no such stopword file"),
    ],
)
def test_keyness_errors(three, kwargs, message):
    with pytest.raises(FramingError, match=message):
        keyness(three, "outlet", **kwargs)


def test_unknown_by_column(three):
    with pytest.raises(FramingError, match="unknown column 'source'; available: doc_id, outlet"):
        keyness(three, "source")


def test_distinctive_terms(three):
    table = distinctive_terms(three, n=2, ngram_range=(1, 1), stopwords=None)
    # a1 = the x2, regime x2, fell, lied; smoothed idf: the 1.0 (3 docs), regime 1.288 (2 docs), fell 1.693 (1 doc)
    # raw tf-idf: regime 2.575 > the 2.0 > fell = lied 1.693
    assert table[table.doc_id == "a1"][["rank", "term", "count"]].values.tolist() == [[1, "regime", 2], [2, "the", 2]]
    assert list(table.columns) == ["doc_id", "outlet", "rank", "term", "tfidf", "count"]


def test_kwic_with_glob_multiword_and_category(three):
    table = kwic(three, "regim*", window=2, by="outlet")
    assert table[["doc_id", "outlet", "left", "match", "right"]].values.tolist() == [
        # two *words* either side, with the punctuation between them (keywords.kwic.context, the one cut)
        ["a1", "A", "The", "regime", "fell. The"], ["a1", "A", "fell. The", "regime", "lied"],
        ["a2", "A", "The", "regime", ", the sham"],
    ]
    text = three.documents.set_index("doc_id").loc["a1", "clean_text"]
    assert all(text[s:e] == mt for s, e, mt in zip(table["start"], table["end"], table["match"]) if mt)
    assert kwic(three, "sham vote")[["match", "pattern"]].values.tolist() == [["sham vote", "sham vote"]]
    category = kwic(three, "framing:state_neutral")
    assert category["match"].tolist() == ["government"]
    assert "[regime]" in format_kwic(table)


def test_collocations_by_hand():
    corpus = load_corpus(pd.DataFrame({
        "outlet": ["A"], "text": ["x sham election y. z z z sham election y. w w w w"],
    }))
    table = collocations(corpus, "election", by="outlet", window=1, min_count=1)
    # 14 words, 2 of them the node -> 12; windows (node excluded): "sham" + "y", twice -> 4 window tokens
    row = table.set_index("collocate").loc["sham"]
    assert row[["count_window", "count_group", "window_tokens", "n_tokens"]].tolist() == [2, 2, 4, 12]
    import math
    assert row["pmi"] == pytest.approx(math.log2(2 * 12 / (4 * 2)))
    assert set(table.collocate) == {"sham", "y"}
    # min_count flags, as in keyness; it drops nothing
    flagged = collocations(corpus, "election", by="outlet", window=1, min_count=3)
    assert set(flagged.collocate) == {"sham", "y"} and flagged["low_count"].all()
    assert list(flagged.columns[:2]) == ["outlet", "collocate"]
    with pytest.raises(FramingError, match="unknown collocation measure"):
        collocations(corpus, "election", by="outlet", measure="magic")


def test_seeds_keyness_fast_and_readable(seeds):
    table = keyness(seeds, "affiliation", target="outside", measure="log_ratio", min_count=3)
    top = table[~table.low_count].head(3)
    assert top["term"].tolist()[0] == "ncri"
    # each top term can be opened with kwic
    assert len(kwic(seeds, top["term"].iloc[0])) == top["count_target"].iloc[0] + top["count_reference"].iloc[0]


def test_keyness_against_general_english_by_hand(monkeypatch):
    import sys

    from wordfreq import word_frequency

    from framing.measures import g2

    corpus = load_corpus(pd.DataFrame({"text": ["the regime the regime"], "outlet": ["A"]}))
    table = keyness(corpus, None, reference="english", min_count=1).set_index("term")
    the = round(word_frequency("the", "en") * 1_000_000_000)  # 0.0537 in wordfreq 3.1 -> 53,700,000
    assert the == 53_700_000
    assert table.loc["the", ["count_target", "count_reference", "n_target", "n_reference"]].tolist() == [2, the, 4, 10**9]
    assert table.loc["regime", "g2"] == pytest.approx(float(g2(2, 20_000, 4, 10**9)))  # regime: 2e-05 -> 20,000
    assert table.loc["regime", "per_1k_reference"] == pytest.approx(0.02)
    assert set(table["reference"]) == {"english"} and set(table["group"]) == {"corpus"}
    # a reference this large acts as fixed frequencies: ten times larger, the same statistic to 3 digits
    for module in ("framing.keywords.background", "framing.keywords.keyness"):  # the module of framing.keyness (the function)
        monkeypatch.setattr(sys.modules[module], "ENGLISH_SIZE", 10**10)
    bigger = keyness(corpus, None, reference="english", min_count=1).set_index("term")
    assert bigger.loc["regime", "g2"] == pytest.approx(table.loc["regime", "g2"], rel=1e-3)
    with pytest.raises(FramingError, match="the English background has word frequencies only: use ngram_range=\\(1, 1\\)"):
        keyness(corpus, None, reference="english", ngram_range=(1, 2))


def test_keyness_against_english_counts_words_as_wordfreq_does():
    from wordfreq import word_frequency

    from framing.keywords.terms import term_counts

    corpus = load_corpus(pd.DataFrame({"text": ["Don't blame Obama's aides. They don't care!"], "outlet": ["A"]}))
    table = keyness(corpus, None, reference="english", min_count=1).set_index("term")
    # wordfreq's tokens: clitics stay on their word, punctuation is no term; 7 words in all
    assert sorted(table.index) == ["aides", "blame", "care", "don't", "obama's", "they"]
    assert table.loc["don't", ["count_target", "n_target"]].tolist() == [2, 7]
    assert table.loc["don't", "count_reference"] == round(word_frequency("don't", "en") * 10**9)
    assert not {"n't", "'s", "do", "obama", "!", "."} & set(table.index)
    # term counts made for English give the same table; counts that split clitics are refused
    counts = term_counts(corpus, None, english=True)
    assert keyness(counts, None, reference="english", min_count=1).set_index("term").equals(table)
    with pytest.raises(FramingError, match="these term counts split clitics .* framing counts --english"):
        keyness(term_counts(corpus, None), None, reference="english")


def test_keyness_command_against_english(capsys):
    import io

    from framing.cli import main
    from tests.conftest import SEEDS

    assert main(["keyness", str(SEEDS), "--by", "affiliation", "--reference", "english", "--top", "3"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert table.groupby("affiliation").size().to_dict() == {"movement": 6, "outside": 6}  # 3 over-, 3 under-used
    assert set(table["reference"]) == {"english"} and table.iloc[0]["term"] == "regime"


def test_top_keeps_what_the_keyword_chart_draws_with_the_whole_comparison_s_numbers():
    """keyness(top=8) keeps of each group its 8 most over-used terms (enough occurrences) and its 8 most
    under-used: the chart drawn from it is the chart drawn from the whole table, and every kept row
    is the whole table's row (counts, p-values adjusted over the whole comparison)."""
    from framing.views import plots
    from tests.conftest import real_corpora

    corpus = load_corpus(real_corpora().news_articles(per_outlet=12))
    whole = keyness(corpus, "outlet", min_count=3)
    cut = keyness(corpus, "outlet", min_count=3, top=8)
    assert cut.groupby("outlet").size().max() == 16 and len(cut) < len(whole) / 50
    key = ["outlet", "term"]
    pd.testing.assert_frame_equal(cut.reset_index(drop=True),
                                  whole.merge(cut[key], on=key).reset_index(drop=True))
    assert plots.drawn_values(plots.keyness_figure(cut, top=8)).equals(plots.drawn_values(plots.keyness_figure(whole, top=8)))
    with pytest.raises(FramingError, match="top"):
        keyness(corpus, "outlet", top=0)


def test_strongest_takes_ties_at_the_cut_in_their_order():
    """Ties at the cut go to the rows that come first, on both sides (pandas' nlargest and
    nsmallest, keep="first"); low-count rows are never over-used, and may be under-used."""
    from framing.keywords.keyness import strongest

    t = pd.DataFrame({"term": list("abcdefgh"), "g2": [5.0, 3.0, 3.0, 3.0, np.nan, -1.0, -4.0, -4.0],
                      "low_count": [True, False, False, False, False, True, False, False]})
    assert strongest(t, "g2", 2)["term"].tolist() == ["b", "c", "g", "h"]
    assert strongest(t, "g2", 1)["term"].tolist() == ["b", "g"]
    assert strongest(t.iloc[::-1], "g2", 1)["term"].tolist() == ["h", "d"]  # the first of the ties in this order
    assert strongest(t, "g2", 9)["term"].tolist() == ["b", "c", "d", "f", "g", "h"]


def test_each_comparison_is_its_sums_and_its_documented_order_on_real_news():
    """Every row's counts are the sums over its side's documents (the rest: the corpus less the target,
    or a named reference), and each group's rows run by the measure descending, then the target's count
    descending, then the term: checked against term counts and pandas' own sort on real articles."""
    from framing.keywords.terms import term_counts
    from tests.conftest import real_corpora

    corpus = load_corpus(real_corpora().news_articles(per_outlet=12))
    counts = term_counts(corpus, "doc_id").query("n == 1")
    outlet = corpus.groups("outlet")
    words = counts.assign(outlet=counts["doc_id"].map(outlet)).groupby(["outlet", "term"])["count"].sum()
    groups = sorted(outlet.unique())
    for table, reference in ((keyness(corpus, "outlet", min_count=1), None),
                             (keyness(corpus, "outlet", target=groups[0], reference=groups[1:3], min_count=1), groups[1:3])):
        for group, part in table.groupby("outlet"):
            target = group.split("+")
            others = reference or [g for g in groups if g not in target]
            mine = words.loc[target].groupby("term").sum().reindex(part["term"]).fillna(0)
            theirs = words.loc[others].groupby("term").sum().reindex(part["term"]).fillna(0)
            assert part["count_target"].tolist() == mine.astype(int).tolist()
            assert part["count_reference"].tolist() == theirs.astype(int).tolist()
            assert part["n_reference"].iloc[0] == words.loc[others].sum()
            resorted = part.sort_values(["g2", "count_target", "term"], ascending=[False, False, True], kind="mergesort")
            assert part["term"].tolist() == resorted["term"].tolist()


def test_term_counts_by_hand_with_a_document_without_terms():
    """Per group and term: occurrences and documents using it, by hand; a group whose only document
    has no term (every word a stopword) keeps its row of documents."""
    from framing.keywords.terms import term_counts

    corpus = load_corpus(pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["A", "A", "B"],
                                       "text": ["Sham vote, sham vote.", "The sham regime.", "The and the."]}))
    table = term_counts(corpus, "outlet", ngram_range=(1, 2), stopwords="english")
    assert table.values.tolist() == [
        ["A", "", 0, 0, 2], ["A", "regime", 1, 1, 1], ["A", "sham", 1, 3, 2], ["A", "sham regime", 2, 1, 1],
        ["A", "sham vote", 2, 2, 1], ["A", "vote", 1, 2, 1], ["B", "", 0, 0, 1],
    ]
