"""One KWIC (keywords.kwic): one cut of a concordance line, shared by framing kwic and the explorer."""

import pandas as pd

from framing.documents.corpus import load_corpus
from framing.documents.tokens import tokenize
from framing.features import explain
from framing.keywords.kwic import LINE_COLUMNS, context, kwic, match_lines, term_lines


def test_context_counts_words_not_punctuation_and_keeps_the_text_as_written():
    doc = tokenize("“The regime,” she said — the regime!  Again:   regime.")
    # tokens: “ The regime , ” she said — the regime ! Again : regime .
    assert context(doc, 2, 3, 1) == ("The", "regime", ",” she")
    assert context(doc, 9, 10, 2) == ("said — the", "regime", "! Again: regime")
    assert context(doc, 13, 14, 3) == ("the regime! Again:", "regime", "")  # the last word: nothing after it
    assert context(doc, 1, 3, 5) == ("", "The regime", ",” she said — the regime! Again")  # a two-token node, nothing before


def test_spaced_context_keeps_the_space_beside_the_node_only_where_the_text_has_one():
    doc = tokenize("The regime's ban, it said (regime).")
    assert context(doc, 1, 2, 2, spaced=True) == ("The ", "regime", "'s ban")
    assert context(doc, 3, 4, 1, spaced=True) == ("'s ", "ban", ", it")  # a clitic is a word token
    assert context(doc, 8, 9, 1, spaced=True) == ("said (", "regime", "")  # no word after: nothing, no space
    assert context(doc, 0, 1, 1, spaced=True) == ("", "The", " regime")


def test_kwic_lines_are_cut_by_context():
    corpus = load_corpus(pd.DataFrame({"doc_id": ["a"], "text": ["They boycotted the sham elections, again, in May."]}))
    table = kwic(corpus, "sham election*", window=2)
    assert table[["left", "match", "right"]].values.tolist() == [["boycotted the", "sham elections", ", again, in"]]


def corpus():
    return load_corpus(pd.DataFrame({
        "doc_id": ["a1", "a2", "b1"], "outlet": ["A", "A", "B"],
        "text": ["The regime fell. The regime lied.", 'He said "the regime won".', "A regime. The regime. Regime."],
    }))


def test_term_lines_take_groups_in_turn_up_to_the_cap_with_their_voice():
    table = term_lines(corpus(), ["regime"], "outlet", lines=3, window=1)
    assert list(table.columns) == LINE_COLUMNS
    # A has three lines (a1 twice, a2 quoted), B three: taken in turn, A first, three in all
    # the space beside the node is kept where the text has one, so the page joins a line as written
    assert table.values.tolist() == [
        ["regime", "a1", "A", "The ", "regime", " fell", "author"],
        ["regime", "b1", "B", "A ", "regime", ". The", "author"],
        ["regime", "a1", "A", "The ", "regime", " lied", "author"],
    ]


def _every_line(corpus, terms, by, lines, window):
    """term_lines by its definition: every place of every term, in corpus order, offered to the lines."""
    from framing.keywords.kwic import _Lines, _lines_table

    groups, found = corpus.groups(by), _Lines(lines)
    for doc_id, doc in corpus.iter_tokens():
        for i, key in enumerate(doc.lower):
            if key in terms and doc.is_word[i] and not found.full(key, groups[doc_id]):
                found.add(key, groups[doc_id], (doc_id, groups[doc_id], i, i + 1, None))
    return _lines_table(corpus, found, lines, window)


def test_term_lines_read_only_the_documents_that_can_give_a_line_and_are_every_line_s_lines(monkeypatch, tmp_path):
    """Real news in 180 groups of two documents (group names out of corpus order): the lines of
    400 terms equal those of every place offered in turn; a term used in every group is looked for
    in the documents of its first groups only."""
    import framing.documents.corpus as corpus_module
    from framing.cache import CACHE_VARIABLE
    from framing.keywords.terms import document_terms, term_counts
    from tests.conftest import real_corpora

    news = real_corpora().news_articles(per_outlet=40)
    news["group"] = [f"g{(k * 7) % 180:03d}" for k in range(len(news))]
    news = load_corpus(news)
    counts = term_counts(news, None)
    terms = set(counts.sort_values("count", ascending=False)["term"].iloc[1:401]) | {"absentword"}
    for lines, window in ((3, 2), (10, 6)):
        expected = _every_line(news, terms, "group", lines, window)
        assert len(expected) > 1000
        pd.testing.assert_frame_equal(term_lines(news, terms, "group", lines=lines, window=window), expected)
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))  # the count of the corpus's words, remembered
    document_terms(news)
    tokenized = []
    real = corpus_module.tokenize
    monkeypatch.setattr(corpus_module, "tokenize", lambda *a: tokenized.append(a) or real(*a))
    table = term_lines(news, {"the"}, "group", lines=4, window=1)
    assert table["group"].tolist() == ["g000", "g001", "g002", "g003"]
    first_four = news.documents[news.documents["group"] <= "g003"]
    using = [text for text in first_four["clean_text"] if "the" in tokenize(text).lower]
    assert [a[0] for a in tokenized] == using and len(using) >= 6  # of 360 documents


def test_match_lines_cut_the_matches_explain_gives():
    c = corpus()
    matches = explain(c, "framing", category="state_delegitimizing")
    table = match_lines(c, matches, "outlet", lines=10, window=1)
    assert len(table) == len(matches) == 6
    assert table[table["doc_id"] == "a2"][["left", "node", "right", "voice"]].values.tolist() == [
        ["the ", "regime", " won", "quoted"]]  # the text's voice, though this family does not count voices apart
    assert set(table["key"]) == {"state_delegitimizing"}
