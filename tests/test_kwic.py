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


def test_match_lines_cut_the_matches_explain_gives():
    c = corpus()
    matches = explain(c, "framing", category="state_delegitimizing")
    table = match_lines(c, matches, "outlet", lines=10, window=1)
    assert len(table) == len(matches) == 6
    assert table[table["doc_id"] == "a2"][["left", "node", "right", "voice"]].values.tolist() == [
        ["the ", "regime", " won", "quoted"]]  # the text's voice, though this family does not count voices apart
    assert set(table["key"]) == {"state_delegitimizing"}
