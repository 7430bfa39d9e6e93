"""Languages: the language of each document, tokens and matching keys per script, lexicons with
terms per language, families that read only the languages they have words for, and keyness
within a language. Persian and Arabic are checked by hand sentence by sentence, and on the most
frequent words that wordfreq (a dependency) ships for each."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from framing.documents.corpus import load_corpus
from framing.documents.language import check_code, detect_language, set_languages
from framing.documents.tokens import (
    ZERO_WIDTH,
    normalize_token,
    sentence_spans,
    tokenize,
    word_tokens,
)
from framing.errors import FramingError
from framing.features import lexicon_features
from framing.keywords.keyness import keyness
from framing.lexicon.read import lexicon_from_toml, load_lexicon

ZWNJ = "\u200c"

MULTI = """[meta]
name = "multi"
language = "en"

[categories.vote.terms]
en = ["election*", "sham vote"]
de = ["Wahl*", "Scheinwahl*"]
fa = ["انتخابات", "رای"]

[categories.state]
terms = ["regime*"]
"""


def _corpus(rows):
    return load_corpus(pd.DataFrame(rows, columns=["doc_id", "outlet", "language", "text"]))


# --------------------------------------------------------------------------- tokens and keys, by hand


def test_each_arabic_and_persian_normalisation_rule_on_a_hand_checked_word():
    key = normalize_token
    # Persian zero-width non-joiner: one word, and the same key with or without it
    assert word_tokens("می" + ZWNJ + "خواهد", "fa") == ("می" + ZWNJ + "خواهد",)
    assert key("می" + ZWNJ + "خواهد") == key("میخواهد") == "میخواهد"
    # Arabic yeh (U+064A) and alef maksura (U+0649) typed for the Persian yeh (U+06CC)
    assert key("\u0627\u06cc\u0631\u0627\u0646") == key("\u0627\u064a\u0631\u0627\u0646") == "\u0627\u06cc\u0631\u0627\u0646"  # ایران
    assert key("\u0639\u0644\u0649") == key("\u0639\u0644\u064a")  # على / علي: one key, as in Arabic retrieval (Larkey et al. 2002)
    # Arabic kaf (U+0643) typed for the Persian keheh (U+06A9)
    assert key("\u0643\u0634\u0648\u0631") == key("\u06a9\u0634\u0648\u0631") == "\u06a9\u0634\u0648\u0631"  # کشور
    # tatweel (kashida) and harakat
    assert key("انتخـــابات") == key("انتخابات")
    assert key("الدِّيمُقْرَاطِيَّة") == key("الديمقراطية")
    # Arabic-Indic and Persian digits
    assert key("١٤٠٣") == key("۱۴۰۳") == "1403"


def test_spans_keep_the_written_characters_in_a_right_to_left_line_with_latin_and_digits():
    text = "رئیس" + ZWNJ + "جمهور گفت: «انتخاباتِ ۱۴۰۳ در Iran آزاد است؟» IRGC-linked کانال‌ها"
    doc = tokenize(text, "fa")
    words = [text[a:b] for a, b in zip(doc.starts, doc.ends)]
    assert words == ["رئیس" + ZWNJ + "جمهور", "گفت", ":", "«", "انتخاباتِ", "۱۴۰۳", "در", "Iran", "آزاد", "است",
                     "؟", "»", "IRGC-linked", "کانال" + ZWNJ + "ها"]
    assert list(doc.words) == words  # tokens are the text as written: the kasra and the ZWNJ stay
    assert doc.lower[4] == "انتخابات" and doc.lower[5] == "1403"  # only the keys are normalised
    assert [w for w, q in zip(doc.words, doc.in_quote) if q][:2] == ["انتخاباتِ", "۱۴۰۳"]


def test_sentences_end_at_the_arabic_question_mark_and_full_stop():
    text = "آیا رای می‌دهید؟ نه. هل هذه انتخابات؟ نعم۔ Done."
    assert [text[a:b] for a, b in sentence_spans(text)] == ["آیا رای می‌دهید؟", "نه.", "هل هذه انتخابات؟", "نعم۔", "Done."]


def test_clitics_are_split_in_english_only():
    assert word_tokens("the regime's vote", "en") == word_tokens("the regime's vote") == ("the", "regime", "'s", "vote")
    assert word_tokens("De auto's van Jan's vader", "nl") == ("De", "auto's", "van", "Jan's", "vader")
    assert word_tokens("l'homme qu'il", "fr") == ("l'homme", "qu'il")


def test_the_most_frequent_persian_and_arabic_words_are_one_token_each():
    from wordfreq import top_n_list

    for language in ("fa", "ar"):
        words = [w for w in top_n_list(language, 5000) if any(ch.isalpha() for ch in w)]
        # a zero-width joiner written after a word (ه‍, an abbreviation) is not part of the token
        split = [w for w in words if word_tokens(w, language) != (w.strip(ZERO_WIDTH),)]
        assert split == [], (language, split[:10])
    with_zwnj = [w for w in top_n_list("fa", 5000) if ZWNJ in w and len(w) > 1]
    assert len(with_zwnj) >= 30  # the test reads real ZWNJ words: می‌شود, می‌کند ...
    assert all(normalize_token(w) == normalize_token(w.replace(ZWNJ, "")) for w in with_zwnj)


# --------------------------------------------------------------------------- the language of each document


def test_language_codes_are_checked_and_normalised_with_the_row_named():
    assert check_code("EN-gb", "x") == "en" and check_code("pt_BR", "x") == "pt"
    frame = pd.DataFrame({"doc_id": ["a", "b"], "text": ["x", "y"], "language": ["de", "German"]})
    with pytest.raises(FramingError, match=r"document b: column 'language': 'German' is not a language code"):
        set_languages(frame, None, "c.csv")
    with pytest.raises(FramingError, match="has a 'language' column already"):
        set_languages(frame, "detect", "c.csv")
    with pytest.raises(FramingError, match="an empty cell"):
        load_corpus(pd.DataFrame({"text": ["x"], "language": [None]}))


def test_detection_is_offline_and_warns_for_short_texts(tmp_path):
    texts = {
        "de": "Die Bundesregierung hat heute beschlossen, die Wahlen um ein Jahr zu verschieben, sagte der Sprecher.",
        "es": "El Gobierno ha decidido aplazar las elecciones un año, según dijo el portavoz en rueda de prensa.",
        "nl": "Het kabinet heeft vandaag besloten de verkiezingen een jaar uit te stellen, zei de woordvoerder.",
        "fa": "دولت امروز تصمیم گرفت انتخابات را یک سال به تعویق بیندازد، سخنگوی دولت گفت.",
        "ar": "قررت الحكومة اليوم تأجيل الانتخابات لمدة عام، حسبما قال المتحدث باسم الحكومة.",
        "en": "The government decided today to postpone the elections by a year, the spokesman said.",
    }
    frame = pd.DataFrame({"doc_id": list(texts), "text": list(texts.values())})
    corpus = load_corpus(frame, language="detect")
    assert corpus.documents["language"].tolist() == list(texts)
    assert (corpus.documents["language_score"] > 0.5).all()
    with pytest.warns(UserWarning, match=r"little evidence for 1 document\(s\).*: short"):
        load_corpus(pd.DataFrame({"doc_id": ["short"], "text": ["Wahlen"]}), language="detect")
    assert detect_language("1234 !!")[0] is None


def test_a_lexicon_counts_the_same_whether_the_language_is_given_or_detected():
    texts = ["Die Wahlen waren eine Scheinwahl, sagte die Opposition am Montag in Berlin vor der Presse.",
             "انتخابات امروز برگزار شد و مردم رای دادند اما بسیاری آن را نمایشی خواندند.",
             "The sham vote was an election in name only, the opposition said on Monday."]
    lexicon = lexicon_from_toml(MULTI)
    given = load_corpus(pd.DataFrame({"doc_id": ["de", "fa", "en"], "language": ["de", "fa", "en"], "text": texts}))
    detected = load_corpus(pd.DataFrame({"doc_id": ["de", "fa", "en"], "text": texts}), language="detect")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the state category has no German or Persian terms: said, tested below
        a, b = lexicon_features(given, lexicon), lexicon_features(detected, lexicon)
    assert a[["doc_id", "category", "count"]].equals(b[["doc_id", "category", "count"]])
    counts = a.set_index(["doc_id", "category"])["count"].to_dict()
    assert counts == {("de", "vote"): 2, ("fa", "vote"): 2, ("en", "vote"): 2, ("en", "state"): 0}


# --------------------------------------------------------------------------- lexicons with terms per language


def test_a_lexicon_reads_each_document_with_its_language_terms_and_says_what_it_cannot_count():
    corpus = _corpus([
        ("d1", "A", "de", "Die Wahl war eine Scheinwahl. Das Regime lügt."),  # "Regime" is no German term
        ("d2", "B", "en", "The regime's sham vote: elections!"),
        ("d3", "C", "es", "Las elecciones del régimen."),  # no Spanish term at all
        ("d4", "D", "fa", "رای و انتخابات."),
    ])
    with pytest.warns(UserWarning) as caught:
        table = lexicon_features(corpus, lexicon_from_toml(MULTI))
    said = [str(w.message) for w in caught]
    assert any("1 document(s) in Spanish (es) left out: lexicon 'multi' has no terms in that language" in s for s in said)
    assert any("1 document(s) in German (de) are not counted in state" in s for s in said)
    rows = table.set_index(["doc_id", "category"])["count"].to_dict()
    # d2: "regime" (the clitic is split in English), "sham vote", "elections"; d1: Wahl, Scheinwahl; no d3 rows
    assert rows == {("d1", "vote"): 2, ("d2", "vote"): 2, ("d2", "state"): 1, ("d4", "vote"): 2}
    assert table.loc[table["doc_id"] == "d1", "n_tokens"].iloc[0] == 8


def test_stance_and_sentiment_leave_out_languages_they_have_no_validated_words_for():
    corpus = _corpus([
        ("d1", "A", "en", "Critics allegedly claimed the vote was clearly rigged."),
        ("d2", "B", "de", "Kritiker behaupteten angeblich, die Wahl sei eindeutig manipuliert."),
    ])
    from framing.features import FAMILIES

    with pytest.warns(UserWarning, match=r"stance: 1 document\(s\) in German \(de\) left out: lexicon 'stance' has no "
                                         r"terms in that language; no validated"):
        stance = FAMILIES["stance"]().table(corpus)
    assert set(stance["doc_id"]) == {"d1"}
    with pytest.warns(UserWarning, match=r"sentiment: 1 document\(s\) in German \(de\) left out: .* no validated, offline"):
        sentiment = FAMILIES["sentiment"]().table(corpus)
    assert set(sentiment["doc_id"]) == {"d1"}


def test_terms_per_language_are_checked_and_part_of_the_lexicon_identity():
    lexicon = lexicon_from_toml(MULTI)
    assert lexicon.languages == ["en", "de", "fa"]
    assert lexicon.coverage().to_dict() == {"en": {"vote": 2, "state": 1}, "de": {"vote": 2, "state": 0},
                                            "fa": {"vote": 2, "state": 0}}
    assert lexicon_from_toml(MULTI.replace('"Scheinwahl*"', '"Schein*"')).id != lexicon.id
    with pytest.raises(FramingError, match=r"terms.German: .*'German' is not a language code"):
        lexicon_from_toml(MULTI.replace("de = [", "German = ["))
    with pytest.raises(FramingError, match="terms per language need the lexicon's own language in \\[meta\\]"):
        lexicon_from_toml(MULTI.replace('language = "en"\n', ""))
    with pytest.raises(FramingError, match="exclude.nl has no terms.nl"):
        lexicon_from_toml(MULTI + '[categories.vote.exclude]\nnl = ["x"]\n')
    # a lexicon in one language keeps the id it always had
    assert load_lexicon("framing").id == "framing@0.1.1#" + load_lexicon("framing").id.split("#")[1]
    assert lexicon_from_toml('[meta]\nname = "x"\n[categories.a]\nterms = ["b"]\n').id == "x@unversioned#" + \
        lexicon_from_toml('[meta]\nname = "x"\nlanguage = "en"\n[categories.a]\nterms = ["b"]\n').id.split("#")[1]


def test_the_bundled_appeals_lexicon_has_every_category_in_four_languages():
    lexicon = load_lexicon("appeals")
    assert lexicon.languages == ["en", "de", "es", "nl"]
    assert (lexicon.coverage() > 0).all().all()


# --------------------------------------------------------------------------- keyness within a language


def test_keyness_compares_within_each_language_never_across():
    corpus = _corpus([
        ("d1", "A", "de", "Die Wahl war eine Farce. Die Wahl!"),
        ("d2", "B", "de", "Die Regierung sprach."),
        ("d3", "C", "en", "The sham election. The regime's vote."),
        ("d4", "D", "en", "The government spoke."),
    ])
    table = keyness(corpus, "outlet", min_count=1)
    pairs = table[["outlet", "language", "reference"]].drop_duplicates().values.tolist()
    assert pairs == [["A", "de", "B"], ["B", "de", "A"], ["C", "en", "D"], ["D", "en", "C"]]
    a = table[(table["outlet"] == "A") & (table["term"] == "wahl")].iloc[0]
    assert (a["count_target"], a["count_reference"], a["n_target"], a["n_reference"]) == (2, 0, 7, 3)
    with pytest.raises(FramingError, match="keyness is computed within a language, never across"):
        keyness(corpus, "outlet", target="A", reference="C")
    with pytest.raises(FramingError, match="unknown target group 'Z' in column 'outlet'; groups: A, B, C, D"):
        keyness(corpus, "outlet", target="Z")


def test_keyness_against_each_language_general_frequencies_uses_its_stopwords():
    corpus = _corpus([
        ("d1", "A", "de", "Die Wahl und die Wahl und die Farce."),
        ("d2", "B", "nl", "De verkiezing en de verkiezing."),
    ])
    table = keyness(corpus, "outlet", reference="english", min_count=1, stopwords="auto")
    assert set(zip(table["outlet"], table["reference"])) == {("A", "general de"), ("B", "general nl")}
    assert set(table["term"]) == {"wahl", "farce", "verkiezing"}  # und, die, de, en: stopwords of their language


# --------------------------------------------------------------------------- real parliamentary speech


@pytest.fixture(scope="module")
def parliaments():
    from tests.conftest import real_corpora

    return real_corpora().parliaments(per_language=250)


@pytest.mark.parametrize("language", ["de", "es", "nl"])
def test_keywords_against_general_language_are_words_not_stopwords_or_artefacts(parliaments, language):
    import stopwordsiso
    from wordfreq import tokenize as wordfreq_tokenize

    # the Tweede Kamer sample holds mojibake ("â€“" for "–"), which the bundled cleaning rules repair
    corpus = load_corpus(parliaments[parliaments["language"] == language].head(200))
    table = keyness(corpus, "parliament", reference="english", stopwords="auto", min_count=5)
    top = table[~table["low_count"]].nlargest(50, "g2")["term"].tolist()
    stop = {normalize_token(w) for w in stopwordsiso.stopwords(language)}
    assert len(top) == 50
    assert not [t for t in top if normalize_token(t) in stop]
    # artefacts: clitic pieces, single letters, pieces that wordfreq would not give as one word
    assert not [t for t in top if len(t) < 2 or t.startswith("'") or wordfreq_tokenize(t, language) != [t]]


def test_the_appeals_lexicon_counts_each_parliament_in_its_own_language(parliaments):
    corpus = load_corpus(parliaments)
    table = lexicon_features(corpus, "appeals")
    assert set(table["language"]) == {"en", "de", "es", "nl"}
    assert len(table) == 4 * len(corpus)  # every category has terms in every language: no row left out
    # a German speech matched with German terms only: its matches are German words
    from framing.features import explain

    matches = explain(corpus, "appeals", doc_id=table.loc[(table["language"] == "de") & (table["count"] > 0), "doc_id"].iloc[0])
    text = corpus.documents.set_index("doc_id").loc[matches["doc_id"].iloc[0], "clean_text"]
    assert all(text[a:b] == m for a, b, m in zip(matches["start"], matches["end"], matches["text"]))


def test_relative_rates_cover_the_planted_ratio_at_their_nominal_rate(parliaments):
    """Real speeches of two languages; in each, counts planted at known rates per group (the
    ratio of a group's rate to its language's rate known exactly); the 90% intervals of
    :func:`relative_rates` cover it in about 90% of 200 replicates."""
    from framing.comparison.languages import relative_rates

    rng = np.random.default_rng(7)
    corpus = load_corpus(parliaments[parliaments["language"].isin(["de", "nl"])].head(400))
    tokens = corpus.overview()[["doc_id", "language", "n_tokens"]]
    tokens = tokens[tokens["n_tokens"] > 0].reset_index(drop=True)
    tokens["outlet"] = np.where(np.arange(len(tokens)) % 3 == 0, "X", "Y")
    rate = {("de", "X"): 4.0, ("de", "Y"): 2.0, ("nl", "X"): 1.0, ("nl", "Y"): 3.0}  # per 1,000 words
    lam = tokens.apply(lambda r: rate[r["language"], r["outlet"]] * r["n_tokens"] / 1000, axis=1).to_numpy()
    truth = {}
    for (language, outlet), r in rate.items():
        part = tokens[tokens["language"] == language]
        mean = sum(rate[language, o] * part.loc[part["outlet"] == o, "n_tokens"].sum() for o in ("X", "Y")) / part["n_tokens"].sum()
        truth[outlet, language] = r / mean
    covered = []
    for replicate in range(200):
        features = tokens.assign(category="planted", count=rng.poisson(lam))
        table = relative_rates(features, "outlet", n_boot=300, level=0.9, seed=replicate)
        for row in table.itertuples():
            covered.append(row.ci_low <= truth[row.outlet, row.language] <= row.ci_high)
    assert 0.85 <= np.mean(covered) <= 0.95, np.mean(covered)


def test_relative_rates_of_a_group_are_the_same_whichever_groups_are_beside_it():
    """A group's resamples come from its own stream in its language: leaving another group of another
    language out leaves its relative rate's interval as it was."""
    from framing.comparison.languages import relative_rates

    f = pd.DataFrame({"doc_id": [f"d{k}" for k in range(12)], "party": list("ABCD") * 3,
                      "language": ["en", "en", "de", "de"] * 3, "category": "x",
                      "count": [3, 1, 2, 2, 4, 0, 1, 3, 2, 2, 3, 1], "n_tokens": 100})
    whole = relative_rates(f, "party", n_boot=200).set_index(["party", "language"])
    part = relative_rates(f[f["party"] != "C"], "party", n_boot=200).set_index(["party", "language"])
    assert whole.loc[("A", "en"), ["ci_low", "ci_high"]].tolist() == part.loc[("A", "en"), ["ci_low", "ci_high"]].tolist()
    assert whole.loc[("B", "en"), ["ci_low", "ci_high"]].tolist() == part.loc[("B", "en"), ["ci_low", "ci_high"]].tolist()


def test_relative_rates_by_hand():
    from framing.comparison.languages import relative_rates

    f = pd.DataFrame({"doc_id": list("abcde"), "party": ["L", "L", "R", "L", "R"], "language": ["en", "en", "en", "de", "de"],
                      "category": "x", "count": [2, 4, 3, 1, 3], "n_tokens": [100, 100, 200, 100, 100]})
    table = relative_rates(f, "party", n_boot=50).set_index(["party", "language"])
    # en: L = 6/200 = 30 per 1,000, the language 9/400 = 22.5: 30 / 22.5 = 4/3; de: L 10, language 20: 0.5
    assert table.loc[("L", "en"), "relative"] == pytest.approx(4 / 3)
    assert table.loc[("R", "en"), "relative"] == pytest.approx(15 / 22.5)
    assert table.loc[("L", "de"), "relative"] == pytest.approx(0.5)
    assert table.loc[("R", "de"), ["per_1k", "language_per_1k", "n_docs", "language_docs"]].tolist() == [30.0, 20.0, 1, 2]


# --------------------------------------------------------------------------- right-to-left text in a browser


def test_the_explain_page_lays_persian_out_right_to_left_with_highlights_on_the_original_characters(tmp_path):
    import shutil

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:  # pragma: no cover - .ci/run installs Debian's chromium
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    from framing.features import explain
    from framing.views.highlight import render_html

    persian = "به گفته سخنگو، انتخاباتِ ۱۴۰۳ در Iran برگزار شد و مردم رای دادند.\nرای‌ها شمرده شد."
    corpus = _corpus([("fa1", "A", "fa", persian), ("en1", "B", "en", "The sham vote and the elections.")])
    matches = explain(corpus, lexicon_from_toml(MULTI), category="vote")
    fa = matches[matches["doc_id"] == "fa1"]
    # spans on the text as written; رای‌ها (votes, with a ZWNJ) is one word, not the term رای
    assert [persian[a:b] for a, b in zip(fa["start"], fa["end"])] == ["انتخاباتِ", "رای"]
    page = tmp_path / "explain.html"
    page.write_text(render_html(corpus, matches, title="languages", by="outlet"), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        view = browser.new_page(viewport={"width": 900, "height": 700})
        view.goto(page.as_uri())
        direction = view.evaluate("() => [...document.querySelectorAll('section.doc .text')].map("
                                  "e => [e.closest('section').dataset.doc, getComputedStyle(e).direction, e.lang])")
        boxes = view.evaluate("() => [...document.querySelectorAll('section[data-doc=fa1] mark')].map("
                              "m => [m.textContent, m.getBoundingClientRect().left, m.getBoundingClientRect().top])")
        text = view.evaluate("() => document.querySelector('section[data-doc=fa1] .text').textContent")
        view.screenshot(path=str(tmp_path / "rtl.png"))
        browser.close()
    assert sorted(direction) == [["en1", "ltr", "en"], ["fa1", "rtl", "fa"]]
    assert text == persian  # the page shows the text as written: the kasra, the ZWNJ, the Persian digits
    (first, x1, y1), (second, x2, y2) = boxes
    assert (first, second) == ("انتخاباتِ", "رای")
    assert y1 == y2 and x1 > x2  # on one line, the earlier word stands to the right: read right to left


# --------------------------------------------------------------------------- the appeals lexicon, coded in two languages

CODED = {  # category: (coded true, coded), as the README reports them
    "de": {"anti_elite": (2, 6), "crisis_threat": (11, 15), "democracy_rights": (8, 9), "economic_burden": (13, 15)},
    "es": {"anti_elite": (5, 12), "crisis_threat": (9, 13), "democracy_rights": (12, 12), "economic_burden": (11, 14)},
}


@pytest.mark.parametrize("language", ["de", "es"])
def test_the_coded_samples_of_the_appeals_lexicon_give_the_precision_the_readme_reports(language):
    """Matches drawn with ``framing validate sample`` (seed 1, 40 items) from the Bundestag and
    Congreso samples, and coded by the developers (tests/data, each false match with a note)."""
    from framing.validation.scores import read_sheet, score_sheet
    from framing.validation.sheets import check_sheet
    from tests.conftest import ROOT, real_corpora

    speeches = real_corpora().parliaments()
    corpus = load_corpus(speeches[speeches["language"] == language])
    path = ROOT / "tests" / "data" / f"appeals_{language}_coded.csv"
    sheet = read_sheet(path)
    check_sheet(corpus, sheet, origin=str(path))  # drawn from this corpus: every span holds its match
    assert set(sheet["pattern"]) <= {t.pattern for c in load_lexicon("appeals").in_language(language).categories for t in c.terms}
    report = score_sheet(sheet)
    categories = report[report["pattern"] == ""].set_index("category")
    assert {c: (int(r.n_true), int(r.n_coded)) for c, r in categories.iterrows()} == CODED[language]
    assert sheet.loc[sheet["label"].astype(int) == 0, "note"].notna().all()  # every match coded false says why


# --------------------------------------------------------------------------- stemming, per lexicon


STEMMED = MULTI.replace('language = "en"\n', 'language = "en"\nstem = "snowball"\n').replace(
    '"election*", "sham vote"', '"election", "sham vote"').replace('"Wahl*", "Scheinwahl*"', '"Wahl", "Scheinwahl"')


def test_a_stemmed_lexicon_matches_each_word_by_its_snowball_stem_in_the_document_language():
    from framing.lexicon.match import LanguageMatchers

    lexicon = lexicon_from_toml(STEMMED)
    matchers = LanguageMatchers(lexicon)

    def found(text, language):
        doc = tokenize(text, language)
        return [doc.span_text(m.start, m.end) for m in matchers[language].find(doc)]

    # English: election, elections and elected share the stem "elect"; "sham votes" is "sham vote"
    assert found("Elections were elected; the sham votes.", "en") == ["Elections", "elected", "sham votes"]
    # German Snowball drops the umlaut: the voter (Wähler) has the stem of the election (Wahl), which is
    # why stemming is a choice a lexicon makes, off by default
    assert found("Die Wahlen waren Scheinwahlen, sagt der Wähler.", "de") == ["Wahlen", "Scheinwahlen", "Wähler"]
    # Persian: the plural suffix after a ZWNJ (انتخابات‌ها) is stemmed off; رای is matched as written
    assert found("انتخابات‌ها و رای", "fa") == ["انتخابات‌ها", "رای"]
    # the same lexicon without stemming finds the exact words only
    plain = LanguageMatchers(lexicon_from_toml(STEMMED.replace('stem = "snowball"\n', "")))
    assert [m.start for m in plain["en"].find(tokenize("Elections were elected; the sham votes.", "en"))] == []


def test_stemming_is_off_by_default_part_of_the_id_and_checked():
    stemmed, plain = lexicon_from_toml(STEMMED), lexicon_from_toml(STEMMED.replace('stem = "snowball"\n', ""))
    assert stemmed.id != plain.id
    with pytest.raises(FramingError, match=r'\[meta\] stem must be "snowball"'):
        lexicon_from_toml(STEMMED.replace('stem = "snowball"', 'stem = "porter"'))
    with pytest.raises(FramingError, match="Snowball has no stemmer for 'ja'"):
        lexicon_from_toml(STEMMED + '[categories.other.terms]\nja = ["選挙"]\n')
    from framing.lexicon.automaton import AutomatonMatcher

    with pytest.raises(FramingError, match="is stemmed"):
        AutomatonMatcher(stemmed)


def test_lexicons_combined_keep_their_languages_apart():
    from framing.lexicon.read import combine_lexicons

    any_language = lexicon_from_toml('[meta]\nname = "econ"\n[categories.fiscal]\nterms = ["tax*"]\n')
    english = load_lexicon("framing")
    combined = combine_lexicons([any_language, english])  # a lexicon that declares no language reads any
    assert combined.language == "" and combined.languages == []
    german = lexicon_from_toml('[meta]\nname = "de"\nlanguage = "de"\n[categories.a]\nterms = ["Wahl"]\n')
    with pytest.raises(FramingError, match=r"written in different languages \(\[meta\] language: de, en\)"):
        combine_lexicons([german, english])
    with pytest.raises(FramingError, match="written in different languages"):
        combine_lexicons([any_language, lexicon_from_toml(MULTI)])
    both = combine_lexicons([english, load_lexicon("appeals").select("crisis_threat")])  # both English first
    assert both.languages == ["en", "de", "es", "nl"]
    assert both.coverage().loc["state_neutral"].tolist() == [23, 0, 0, 0]  # framing's English terms only


# --------------------------------------------------------------------------- commands and charts across languages


@pytest.fixture(scope="module")
def parliaments_csv(parliaments, tmp_path_factory):
    path = tmp_path_factory.mktemp("parl") / "parliaments.csv"
    parliaments.groupby("language").head(80).to_csv(path, index=False)
    return path


def test_compare_relative_and_model_within_language_from_the_command_line(parliaments_csv, tmp_path, capsys):
    from framing.cli import main

    out = tmp_path / "relative.csv"
    assert main(["compare", str(parliaments_csv), "--by", "party_family", "--lexicon", "appeals", "--relative",
                 "--n-boot", "200", "-o", str(out)]) == 0
    table = pd.read_csv(out)
    assert {"party_family", "language", "relative", "language_per_1k", "ci_low", "ci_high"} <= set(table.columns)
    assert "rates of different languages are not compared" in capsys.readouterr().err
    # each language's rate is the token-weighted mean of its groups' rates: the shares average to 1
    for (language, category), part in table[table["language_per_1k"] > 0].groupby(["language", "category"]):
        assert (part["relative"] * part["n_tokens"]).sum() / part["n_tokens"].sum() == pytest.approx(1.0)
    assert table.loc[table["language_per_1k"] == 0, "relative"].isna().all()  # no match in a language: no share
    model = tmp_path / "within.csv"
    assert main(["model", str(parliaments_csv), "--by", "party_family", "--lexicon", "appeals", "--within", "language",
                 "--reference", "social democratic", "-o", str(model)]) == 0
    err = capsys.readouterr().err
    assert "one fixed effect per language, errors robust by document" in err and "on the languages both groups cover" in err
    rows = pd.read_csv(model)
    assert (rows["reference"] == "social democratic").all() and rows["n_stories"].max() <= 4
    assert main(["compare", str(parliaments_csv), "--by", "party_family", "--relative", "--target", "left"]) == 2
    assert "--relative sets every group against its language's rate" in capsys.readouterr().err


def test_the_explorer_makes_a_page_per_language(parliaments_csv, tmp_path, capsys):
    from framing.cli import main

    page = tmp_path / "de.html"
    assert main(["explore", str(parliaments_csv), "--by", "party", "--lexicon", "appeals", "--kwic-lines", "3",
                 "-o", str(tmp_path / "default.html")]) == 0
    assert "written in 4 languages (de, en, es, nl): the explorer compares groups within one, here German (de), the one " \
           "with most documents" in capsys.readouterr().err  # 80 each: the first in order
    assert main(["explore", str(parliaments_csv), "--by", "party", "--lexicon", "appeals", "--in-language", "de",
                 "--kwic-lines", "3", "-o", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert "(German (de))" in html and 'lang="de"' in html and "lang=\"es\"" not in html
    assert main(["explore", str(parliaments_csv), "--by", "party", "--in-language", "fa", "-o", str(page), "--force"]) == 2
    assert "no document in language 'fa'" in capsys.readouterr().err


def test_notebook_13_runs_on_four_parliaments_and_is_skipped_without_languages(parliaments_csv, tmp_path, capsys):
    from framing.cli import main

    out = tmp_path / "figs"
    assert main(["figures", "--corpus", str(parliaments_csv), "--by", "party_family", "--lexicon", "appeals",
                 "--reference", "social democratic", "--only", "13", "--n-boot", "200", "--out", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in out.glob("*.png")) == ["13_keywords_by_language.png", "13_languages.png",
                                                         "13_relative_rates.png", "13_within_languages.png"]
    assert "Languages." in (out / "methods.md").read_text(encoding="utf-8")
    assert "dudau2021" in (out / "references.bib").read_text(encoding="utf-8")
    values = pd.read_csv(out / "13_relative_rates.csv")
    assert set(values["language"]) == {"de", "en", "es", "nl"}
    capsys.readouterr()
    seeds_out = tmp_path / "seeds_figs"
    from tests.conftest import SEEDS

    assert main(["figures", "--corpus", str(SEEDS), "--only", "13", "--out", str(seeds_out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "no 'language' column with two languages or more, so notebook 13 (across languages) is skipped" in err
    assert "nothing to run: the notebooks asked for (13) are all skipped" in err


def test_the_chart_across_languages_keeps_one_colour_per_language_and_its_labels_apart(parliaments):
    from framing.comparison.languages import relative_rates
    from framing.views.plots import layout_problems, relative_rates_figure

    corpus = load_corpus(parliaments)
    table = relative_rates(lexicon_features(corpus, "appeals"), "party", n_boot=100)  # 40 parties: capped at 12 rows
    fig = relative_rates_figure(table)
    assert layout_problems(fig) == []
    ax = fig.axes[0]
    legend = {t.get_text(): h.get_color() for t, h in zip(ax.get_legend().get_texts(), ax.get_legend().legend_handles)}
    assert sorted(legend) == ["Dutch (nl)", "English (en)", "German (de)", "Spanish (es)"]
    assert len(set(legend.values())) == 4
    assert len(ax.get_yticklabels()) == 12 and "left out" in ax.get_title()
    assert "the category with most matches" in ax.get_title()
    one = relative_rates_figure(table[table["language"] == "de"])
    assert one.reason.startswith("one language")


PERSIAN = [
    ("fa0", "Radio Farda", "fa", "به گفته سخنگوی دولت، انتخاباتِ ۱۴۰۳ در ایران برگزار شد و مردم رای دادند. مخالفان انتخابات را نمایشی خواندند."),
    ("fa1", "IRNA", "fa", "رژیم انتخابات را برگزار کرد اما بسیاری از مردم رای ندادند. مجاهدین گفتند که انتخابات نمایشی بود."),
    ("fa2", "Radio Farda", "fa", "کمپین‌های شبکه‌های اجتماعی در انتخابات نقش داشتند. دولت می‌خواهد مشارکت را بالا نشان دهد."),
    ("fa3", "IRNA", "fa", "انتخابات با مشارکت گسترده برگزار شد و رای مردم شمرده شد."),
]


def test_kwic_spans_point_at_the_persian_characters_as_written():
    from framing.keywords.kwic import kwic

    corpus = _corpus(PERSIAN)
    lines = kwic(corpus, "انتخابات", window=3)
    text = corpus.documents.set_index("doc_id")["clean_text"]
    assert len(lines) == 6
    assert all(text[d][a:b] == m for d, a, b, m in zip(lines["doc_id"], lines["start"], lines["end"], lines["match"]))
    assert lines["match"].iloc[0] == "انتخاباتِ"  # with its kasra, as written; matched without it


def test_the_explorer_lays_persian_concordances_out_right_to_left(tmp_path):
    import shutil

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:  # pragma: no cover - .ci/run installs Debian's chromium
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    from framing.runs import explore

    corpus = _corpus(PERSIAN + [("en0", "Reuters", "en", "The government said the elections were held.")])
    with pytest.warns(UserWarning, match="stance: 4 document"):
        page = explore(corpus, "outlet", language="fa", min_count=1, families=("stance",))
    path = tmp_path / "fa.html"
    path.write_text(page, encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        view = browser.new_page(viewport={"width": 1100, "height": 1400})
        view.goto(path.as_uri())
        view.wait_for_selector("body[data-ready=yes]", timeout=20_000)
        view.fill("input", "انتخابات")
        view.keyboard.press("Enter")
        view.wait_for_selector(".kwic b")
        lines = [k.evaluate("k => [getComputedStyle(k).direction, k.querySelector('.left').getBoundingClientRect().left, "
                            "k.querySelector('b').getBoundingClientRect().left, k.querySelector('b').textContent]")
                 for k in view.locator(".kwic").element_handles()]
        view.screenshot(path=str(tmp_path / "explorer_fa.png"), full_page=True)
        browser.close()
    assert "No categories view" in page and "(Reuters)" not in page  # one language per page; stance reads no Persian
    assert len(lines) >= 4
    for direction, left_context, node, word in lines:
        assert direction == "rtl" and word.startswith("انتخابات")
        assert left_context > node  # the words before the node stand to its right: read right to left


def test_a_lexicon_with_terms_per_language_is_written_back_whole_and_not_patched_blindly():
    from framing.lexicon.tools import lexicon_to_toml
    from framing.validation.patch import patched_lexicon
    from framing.validation.scores import read_sheet, score_sheet
    from tests.conftest import ROOT

    lexicon = load_lexicon("appeals")
    again = lexicon_from_toml(lexicon_to_toml(lexicon))  # lexicon convert, lexicon new --base
    assert again.id == lexicon.id and again.coverage().equals(lexicon.coverage())
    report = score_sheet(read_sheet(ROOT / "tests" / "data" / "appeals_de_coded.csv"), min_coded=1)
    with pytest.raises(FramingError, match="has terms in several languages .* under the language they were found in"):
        patched_lexicon(lexicon, report)


# --------------------------------------------------------------------------- Persian, Arabic and English coverage of one election

ELECTION = [
    ("fa1", "Kayhan", "fa", "انتخابات ریاست جمهوری با مشارکت گسترده مردم برگزار شد. دولت از حضور مردم تشکر کرد. "
                            "دشمنان تلاش کردند انتخابات را تحریم کنند اما شکست خوردند."),
    ("fa2", "IranWire", "fa", "رژیم انتخابات نمایشی برگزار کرد. بسیاری از مردم در انتخابات شرکت نکردند و رژیم مشارکت را "
                              "بزرگ نشان داد."),
    ("ar1", "Al Arabiya", "ar", "أجرى النظام الإيراني انتخابات صورية. وقاطع كثير من الناخبين الانتخابات احتجاجاً على النظام."),
    ("ar2", "Al Mayadeen", "ar", "جرت الانتخابات الإيرانية بمشاركة واسعة. وقالت الحكومة إن الانتخابات كانت حرة ونزيهة."),
    ("en1", "Reuters", "en", "Iran's government held presidential elections, officials said. Turnout was 48 percent."),
    ("en2", "NCRI", "en", "The regime staged sham elections. The mullahs' regime inflated the turnout, the opposition said."),
]

ELECTION_LEXICON = """[meta]
name = "election3"
language = "en"

[categories.state_delegitimizing.terms]
en = ["regime*", "mullah*"]
fa = ["رژیم"]
ar = ["النظام"]

[categories.state_neutral.terms]
en = ["government*", "official*"]
fa = ["دولت", "حکومت"]
ar = ["الحكومة"]

[categories.election_delegitimizing.terms]
en = ["sham election*", "boycott*"]
fa = ["انتخابات نمایشی", "تحریم"]
ar = ["انتخابات صورية", "قاطع*", "وقاطع*"]
"""


def test_one_election_in_persian_arabic_and_english_is_counted_compared_and_traced_in_each_script():
    from framing.comparison.languages import relative_rates
    from framing.features import explain

    corpus = _corpus(ELECTION)
    lexicon = lexicon_from_toml(ELECTION_LEXICON)
    table = lexicon_features(corpus, lexicon)
    counts = table.pivot_table(index="doc_id", columns="category", values="count").astype(int)
    # by hand: every category has terms in the three languages, so every document has every row
    assert counts.loc["fa1"].to_dict() == {"election_delegitimizing": 1, "state_delegitimizing": 0, "state_neutral": 1}
    assert counts.loc["fa2"].to_dict() == {"election_delegitimizing": 1, "state_delegitimizing": 2, "state_neutral": 0}
    assert counts.loc["ar1"].to_dict() == {"election_delegitimizing": 2, "state_delegitimizing": 2, "state_neutral": 0}
    assert counts.loc["ar2"].to_dict() == {"election_delegitimizing": 0, "state_delegitimizing": 0, "state_neutral": 1}
    assert counts.loc["en1"].to_dict() == {"election_delegitimizing": 0, "state_delegitimizing": 0, "state_neutral": 2}
    assert counts.loc["en2"].to_dict() == {"election_delegitimizing": 1, "state_delegitimizing": 3, "state_neutral": 0}  # regime, mullahs, regime
    # traced to the words in their own script
    found = explain(corpus, lexicon)
    text = corpus.documents.set_index("doc_id")["clean_text"]
    assert all(text[d][a:b] == t for d, a, b, t in zip(found["doc_id"], found["start"], found["end"], found["text"]))
    assert set(found.loc[found["doc_id"] == "ar1", "text"]) == {"النظام", "انتخابات صورية", "وقاطع"}
    # across languages: each outlet against its own language's rate
    relative = relative_rates(table, "outlet", n_boot=50).set_index(["outlet", "category"])
    neutral = relative.xs("state_neutral", level="category")
    # Reuters: 2 neutral labels in 12 words (Iran 's government ... 48 percent); NCRI: none in 14; English: 2 in 26
    assert neutral.loc["Reuters", "relative"] == pytest.approx((2 / 12) / (2 / 26))
    # keywords within each language, with its own stopwords: never Persian against Arabic
    keywords = keyness(corpus, "outlet", min_count=1, stopwords="auto")
    assert set(zip(keywords["outlet"], keywords["language"], keywords["reference"])) == {
        ("Kayhan", "fa", "IranWire"), ("IranWire", "fa", "Kayhan"), ("Al Arabiya", "ar", "Al Mayadeen"),
        ("Al Mayadeen", "ar", "Al Arabiya"), ("Reuters", "en", "NCRI"), ("NCRI", "en", "Reuters")}
    persian = set(keywords.loc[keywords["language"] == "fa", "term"])
    assert "رژیم" in persian and not {"از", "را", "و", "در"} & persian  # Persian stopwords (Stopwords ISO) left out


def test_term_counts_hold_one_language_and_say_so_for_several():
    from framing.keywords.terms import term_counts

    corpus = _corpus(ELECTION)
    with pytest.raises(FramingError, match=r"written in 3 languages \(ar, en, fa\): count each language on its own"):
        term_counts(corpus, "outlet")
    persian = corpus.select(["fa1", "fa2"])
    assert set(term_counts(persian, "outlet")["outlet"]) == {"Kayhan", "IranWire"}
    with pytest.raises(FramingError, match="a count table does not say its language"):
        term_counts(persian, "outlet", english=True)


def test_framing_counts_refuses_languages_spread_over_batches(tmp_path, capsys):
    from framing.cli import main

    rows = [(f"d{i}", "A" if i % 2 else "B", language, text) for i, (_, _, language, text) in enumerate(ELECTION * 40)]
    path = tmp_path / "three.csv"
    pd.DataFrame(rows, columns=["doc_id", "outlet", "language", "text"]).sort_values("language").to_csv(path, index=False)
    # batches of a few documents: each holds one language, the corpus three
    assert main(["counts", str(path), "--by", "outlet", "--batch-mb", "0.001", "--jobs", "1", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "term counts pool each group's documents, and these are written in 2 languages (ar, en)" in err


def test_documents_left_out_are_said_once_per_language_however_many_batches(parliaments_csv, tmp_path, capsys):
    from framing.cli import main

    for jobs in ("1", "2"):
        assert main(["features", str(parliaments_csv), "--family", "stance", "--batch-mb", "0.05", "--jobs", jobs,
                     "--quiet", "-o", str(tmp_path / f"stance{jobs}.csv")]) == 0
        said = [line for line in capsys.readouterr().err.splitlines() if "left out" in line]
        assert said == [f"framing: warning: stance: 80 document(s) in {name} left out: lexicon 'stance' has no terms in that "
                        "language; no validated list of stance markers in that language is bundled, and the rules (hedges, "
                        "boosters, attribution) are written for English; give a stance lexicon with terms in that language "
                        "to count it" for name in ("German (de)", "Spanish (es)", "Dutch (nl)")]


def test_pooled_comparisons_of_several_languages_say_so_and_the_gallery_skips_them(parliaments_csv, tmp_path, capsys):
    from framing.cli import main
    from framing.comparison.rates import compare

    corpus = load_corpus(pd.read_csv(parliaments_csv))
    features = lexicon_features(corpus, "appeals")
    with pytest.warns(UserWarning, match=r"these rates pool documents of 4 languages \(de, en, es, nl\)"):
        compare(features, "party_family", n_boot=50, min_docs=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # one language: nothing to say
        compare(features[features["language"] == "de"], "party_family", n_boot=50, min_docs=1)
    out = tmp_path / "figs"
    assert main(["figures", "--corpus", str(parliaments_csv), "--by", "party_family", "--lexicon", "appeals",
                 "--only", "01", "--only", "02", "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "written in 4 languages (de, en, es, nl), so the notebooks that draw each group over all its documents" in err
    assert sorted(p.name for p in out.glob("*.png")) == ["01_documents.png"]
