import re

import numpy as np

from framing.documents.tokens import (
    WORD_TOKENIZER,
    normalize_token,
    quote_spans,
    sentence_spans,
    tokenize,
    word_spans,
)


def words(text):
    return list(tokenize(text).words)


def test_hyphens_clitics_and_curly_apostrophes():
    assert words("the so-called velayat-e faqih") == ["the", "so-called", "velayat-e", "faqih"]
    assert words("Iran’s regime's") == ["Iran", "’s", "regime", "'s"]
    assert words("We don’t; we’ll") == ["We", "do", "n’t", ";", "we", "’ll"]
    assert words("O'Brien") == ["O'Brien"]


def test_hashtags_handles_urls_numbers_dates():
    assert words("#MyVoteRegimeChange @NCRI_Iran https://example.org/a.html.") == [
        "#MyVoteRegimeChange", "@NCRI_Iran", "https://example.org/a.html", ".",
    ]
    assert words("May 19th, 30,000 in the 1980s, 5-6 million, U.S. aid") == [
        "May", "19th", ",", "30,000", "in", "the", "1980s", ",", "5", "-", "6", "million", ",", "U.S.", "aid",
    ]


def test_offsets_point_into_text():
    text = "The regime’s “sham” vote."
    doc = tokenize(text)
    assert [text[a:b] for a, b in zip(doc.starts, doc.ends)] == list(doc.words)
    assert word_spans(text) == list(zip(doc.starts.tolist(), doc.ends.tolist()))
    assert WORD_TOKENIZER.tokenize(text) == list(doc.words)
    assert WORD_TOKENIZER.tokenize_sents([text, "a b"]) == [list(doc.words), ["a", "b"]]


def test_case_is_kept_and_lower_is_a_view():
    doc = tokenize("The REGIME’S")
    assert doc.words == ("The", "REGIME", "’S")
    assert doc.lower == ("the", "regime", "'s")
    assert normalize_token("Velayat‑e") == "velayat-e"


def test_n_words_excludes_punctuation():
    doc = tokenize("Yes , “no” !")
    assert doc.n_words == 2
    assert tokenize("").n_words == 0


def test_sentences_split_lines_and_respect_abbreviations():
    text = "Mr. Maleki said no. The U.S. agreed.\nHeadline without stop\n\nLast one?"
    got = [text[a:b] for a, b in sentence_spans(text)]
    assert got == ["Mr. Maleki said no.", "The U.S. agreed.", "Headline without stop", "Last one?"]
    doc = tokenize(text)
    assert doc.sentence_of(doc.words.index("agreed")) == "The U.S. agreed."


def test_quotes_straight_curly_single_and_apostrophes():
    text = "He said \"we will\" and “they won’t”; the 'election' and users' posts; ‘We’ll Take Back Iran’ end"
    got = [text[a:b] for a, b in quote_spans(text)]
    assert got == ['"we will"', "“they won’t”", "'election'", "‘We’ll Take Back Iran’"]


def test_unclosed_quote_runs_to_paragraph_end_and_mixed_marks_pair():
    text = "She wrote: “a b\" c. Then “open here\n\nNext paragraph."
    got = [text[a:b] for a, b in quote_spans(text)]
    assert got == ["“a b\"", "“open here"]


def test_in_quote_mask():
    doc = tokenize("We said “We will win” today.")
    assert [w for w, q in zip(doc.words, doc.in_quote) if q] == ["We", "will", "win"]
    assert doc.in_quote.dtype == np.bool_


from hypothesis import given, settings
from hypothesis import strategies as st

from framing.documents.tokens import (
    BoundedMemo,
    _chunk_tokens,
    _is_word,
    reference_tokens,
    word_tokens,
)

PIECES = st.sampled_from(
    ["regime", "’s", "'s", "n't", "don't", "so-called", "U.S.", "#tag", "@who", "_", "__x", "30,000", "19th",
     "https://x.org/a.", "“", "”", "\"", "'", "’", ",", ".", "...", "…", "-", "(", ")", "é", "x_y", "5", "%",
     "www.a.b", "O'Brien", "users'", "a.", "A.B.", "—", "#", "@"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(PIECES, st.sampled_from(["", " ", "\n", "\xa0"])), max_size=12))
def test_fast_tokenizer_equals_the_reference_pattern(parts):
    text = "".join(p + sep for p, sep in parts)
    assert list(word_tokens(text)) == reference_tokens(text)
    doc = tokenize(text)
    assert doc.n_words == sum(map(_is_word, reference_tokens(text)))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_fast_tokenizer_equals_reference_on_any_text(text):
    tokens = list(word_tokens(text))
    assert tokens == reference_tokens(text)
    assert tokenize(text).n_words == sum(map(_is_word, tokens))
    starts, ends = tokenize(text).starts, tokenize(text).ends
    assert [text[a:b] for a, b in zip(starts, ends)] == tokens


def test_runs_without_any_nltk_data(monkeypatch):
    import nltk

    from framing.documents.tokens import sentence_splitter

    monkeypatch.setattr(nltk.data, "path", [])
    sentence_splitter.cache_clear()
    doc = tokenize("Mr. Smith voted. Did he?")
    assert [doc.text[a:b] for a, b in doc.sentences] == ["Mr. Smith voted.", "Did he?"]
    sentence_splitter.cache_clear()


def test_chunk_memo_is_bounded_and_changes_no_result(monkeypatch):
    memo, wordness = BoundedMemo(_chunk_tokens, max_size=3), BoundedMemo(_is_word, max_size=2)
    monkeypatch.setattr("framing.documents.tokens._CHUNKS", memo)
    monkeypatch.setattr("framing.documents.tokens._WORDNESS", wordness)
    text = "a b, c. d e “f” g's"
    for _ in range(2):
        assert list(word_tokens(text)) == reference_tokens(text)
        assert len(memo) <= 3
        assert tokenize(text).n_words == 8 and tokenize(text).is_word.tolist() == [
            True, True, False, True, False, True, True, False, True, False, True, True]
        assert len(wordness) <= 2


def test_word_count_depends_on_no_global_state(monkeypatch):
    import pickle

    from framing.documents.tokens import TokenizedText

    doc = tokenize("Yes , “no” ! U.S. ...")
    payload = pickle.dumps(doc)
    monkeypatch.setattr("framing.documents.tokens._CHUNKS", BoundedMemo(_chunk_tokens, max_size=10))  # as in a fresh worker
    monkeypatch.setattr("framing.documents.tokens._WORDNESS", BoundedMemo(_is_word, max_size=10))
    copy = pickle.loads(payload)
    assert copy.words == doc.words
    assert copy.n_words == doc.n_words == 3 == int(doc.is_word.sum())
    # made by hand, never through the chunk memory: the word count still follows is_word
    hand = TokenizedText("a ; b", ("a", ";", "b"))
    assert hand.n_words == int(hand.is_word.sum()) == 2


def test_punkt_remembering_its_verdicts_splits_real_news_as_punkt_does():
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from framing.documents.tokens import sentence_spans, sentence_splitter
    from tests.conftest import real_corpora

    splitter = sentence_splitter()
    plain = PunktSentenceTokenizer(splitter._params, lang_vars=splitter._lang_vars)  # the same parameters, no memory
    texts = real_corpora().news_articles(per_outlet=25)["text"].tolist() * 2  # the second time from memory
    for text in texts:
        lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
        assert sentence_spans(text) == [(a + x, a + y) for a, line in lines for x, y in plain.span_tokenize(line)]
    assert len(splitter._verdicts) > 100
