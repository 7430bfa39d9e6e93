import re

import pytest
import regex

from framing.documents.clean import CleaningRule, Removal, clean_text, load_rules
from framing.documents.corpus import load_corpus
from framing.errors import FramingError

RULES = load_rules()


def test_bundled_rules_remove_generic_chrome_and_report_lines():
    text = "\n".join([
        "300x250",
        "Headline of the story",
        "Headline of the story",
        "The story itself has sentences.",
        "Tags: politics, Iran",
        "Copyright © 2024 Some Paper. All rights reserved.",
        "Share icons powered by WidgetCo",
        "Please donate to keep us going",
        "every dollar helps",
    ])
    clean, removed = clean_text(text, RULES)
    assert clean == "Headline of the story\nThe story itself has sentences."
    assert [(r.line, r.rule) for r in removed] == [
        (1, "ad_slot"), (3, "duplicate_line"), (5, "tags"), (6, "copyright"), (7, "share_widget"),
        (8, "donation"), (9, "donation"),
    ]


def test_trailing_headlines_need_a_run_of_three():
    body = "The article ends here."
    two = body + "\n\nRelated one\n\nRelated two"
    three = two + "\n\nRelated three"
    assert clean_text(two, RULES)[0] == two
    clean, removed = clean_text(three, RULES)
    assert clean == body
    assert [r.rule for r in removed] == ["related_headlines"] * 3


def test_sentence_like_lines_stop_the_trailing_run():
    text = "Intro.\n\nShort line\n\nA real ending sentence.\n\nx\n\ny"
    assert clean_text(text, RULES)[0] == text


def test_seed_cleaning_report(seeds):
    report = seeds.cleaning_report
    assert report.groupby("doc_id").size().to_dict() == {
        "000_e28e4037aeb85a92": 15, "001_5362e26c78fa2d5c": 7, "003_068dc1ef35d1a1fd": 5, "004_2c98d8f5424ccb93": 2,
    }
    assert set(report["rule"]) == {
        "related_headlines", "donation", "follow_links", "tags", "copyright", "share_widget", "ad_slot", "duplicate_line",
    }
    # raw text is kept
    doc = seeds.documents.set_index("doc_id").loc["004_2c98d8f5424ccb93"]
    assert doc["text"].startswith("728 x 90") and not doc["clean_text"].startswith("728")


def test_malformed_rules_name_file_and_rule(tmp_path):
    bad = tmp_path / "rules.toml"
    bad.write_text('[[rules]]\nname = "x"\nkind = "line"\npattern = "("\n')
    with pytest.raises(FramingError, match=r"rules.toml: rule 'x': invalid regular expression"):
        load_rules(bad)
    bad.write_text('[[rules]]\nname = "y"\nkind = "sideways"\n')
    with pytest.raises(FramingError, match=r"rule 'y': kind must be one of"):
        load_rules(bad)
    bad.write_text("[[rules]\n")
    with pytest.raises(FramingError, match=r"rules.toml: malformed TOML"):
        load_rules(bad)


def test_removal_record():
    rule = CleaningRule("x", "line", "", re.compile("^drop$"))
    assert clean_text("keep\ndrop\nkeep too", (rule,)) == ("keep\nkeep too", [Removal(2, "x", "drop")])


def test_a_long_line_is_article_text_never_chrome():
    from framing.documents.clean import clean_text, load_rules

    rules = load_rules()
    article = "The minister spoke for an hour. " * 12 + "Follow us on Twitter for updates."  # a whole article on one line
    assert len(article) > 300
    kept, removed = clean_text(article, rules)
    assert kept == article.strip() and removed == []
    kept, removed = clean_text("The story.\nFollow us on Twitter for updates.", rules)
    assert kept == "The story." and [r.rule for r in removed] == ["follow_links"]


def test_max_chars_is_validated(tmp_path):
    from framing.documents.clean import load_rules

    path = tmp_path / "rules.toml"
    path.write_text('[[rules]]\nname = "x"\nkind = "line"\npattern = "a"\nmax_chars = 0\n', encoding="utf-8")
    with pytest.raises(FramingError, match="rule 'x': 'max_chars' must be a whole number of at least 1, got 0"):
        load_rules(path)


def test_the_encoding_rule_repairs_mojibake_and_reports_each_line_as_it_was():
    rules = (CleaningRule("mojibake", "encoding", ""),)
    text = "It will save Â£47 billion â€“ said the LomÃ© report.\nPlain line.\nØ§Ù„Ø§Ù†ØªØ®Ø§Ø¨Ø§Øª"
    clean, report = clean_text(text, rules)
    assert clean == "It will save £47 billion – said the Lomé report.\nPlain line.\nالانتخابات"
    assert [(r.line, r.rule, r.action) for r in report] == [(1, "mojibake", "repaired"), (3, "mojibake", "repaired")]
    assert report[0].text == text.split("\n")[0]  # the line as it was
    honest = "Straße, Ärger, café, naïve — «ça», 25 °C, Übermaß» Zürich, São Paulo, Ñandú, ½ Ø"
    assert clean_text(honest, rules) == (honest, [])


def test_the_bundled_rules_repair_the_mojibake_of_real_parliamentary_speech():
    from tests.conftest import real_corpora

    speeches = real_corpora().parliaments()
    raw = speeches.groupby("language")["text"].apply(lambda t: int(t.str.contains("â€", regex=False).sum())).to_dict()
    assert raw == {"de": 0, "en": raw["en"], "es": 0, "nl": 9} and raw["en"] > 50  # the source holds it
    corpus = load_corpus(speeches)
    assert not corpus.documents["clean_text"].str.contains("â€|Â£", regex=True).any()
    repaired = corpus.overview().groupby("language")["lines_repaired"].sum().to_dict()
    assert repaired == {"de": 0, "en": 151, "es": 0, "nl": 18}
    assert corpus.documents["text"].str.contains("â€", regex=False).sum() == raw["en"] + 9  # the raw text is kept


@pytest.mark.parametrize("pattern", [
    r"^[ \t]*(?:please[ \t]+)?(?:donate|support us)\b.*(?:\n(?!\s*\n).*)*",  # the bundled donation rule
    r"^",                    # empty matches at every line start
    r"^$",                   # empty lines only
    r"^x*",                  # empty or not
    r"^a|b",                 # one alternative not anchored
    r"(?:^a)|\nb",           # anchored in a group only
    r"^\p{Lu}\w+",           # syntax of the regex module alone
    r"^a\n^a",               # a match across lines, the next tried after it
])
def test_a_block_pattern_finds_what_finditer_finds_whether_or_not_it_is_tried_at_line_starts(pattern):
    from framing.documents.clean import _anchored_at_lines, _block_matches, _line_starts

    rule = CleaningRule("r", "block", "", regex.compile(pattern, re.IGNORECASE | re.MULTILINE))
    texts = ["", "\n", "a\na\na\nb", "Donate now\nplease support us today\n\nText b\nx\n\n\nxx",
             "one line, and support us in it\nDonate\nB\n", "a\n\na\na\n\nba"]
    for text in texts:
        got = [(m.start(), m.end()) for m in _block_matches(rule, text, _line_starts(text.split("\n")))]
        assert got == [(m.start(), m.end()) for m in rule.pattern.finditer(text)], (pattern, text)
    # which patterns take the line-start path: only one opening with ^ outside any group
    assert _anchored_at_lines(rule.pattern.pattern, rule.pattern.flags) == (pattern in (
        r"^[ \t]*(?:please[ \t]+)?(?:donate|support us)\b.*(?:\n(?!\s*\n).*)*", "^", "^$", "^x*", r"^a\n^a"))
