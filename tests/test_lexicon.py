import pytest

from framing.documents.tokens import tokenize
from framing.errors import FramingError
from framing.lexicon.match import Matcher
from framing.lexicon.model import META_FIELDS, parse_term
from framing.lexicon.read import (
    lexicon_from_mapping,
    lexicon_from_toml,
    list_lexicons,
    load_lexicon,
)

HEADER = '[meta]\nname = "t"\n'


def matched(entries, text):
    """(category, matched text) for every match."""
    lex = lexicon_from_mapping("t", entries)
    doc = tokenize(text)
    return [(lex.categories[m.category].name, doc.span_text(m.start, m.end)) for m in Matcher(lex).find(doc)]


# ---- matching semantics, hand-countable


def test_glob_matches_whole_tokens_only():
    assert matched({"c": ["regim*"]}, "Regime regimes regim the-regime") == [
        ("c", "Regime"), ("c", "regimes"), ("c", "regim"),
    ]


def test_multiword_longest_match_wins_and_token_counts_once_per_category():
    got = matched({"vote": ["election*", "sham election*", "sham"]}, "sham elections and a sham and elections")
    assert got == [("vote", "sham elections"), ("vote", "sham"), ("vote", "elections")]


def test_overlapping_categories_each_count():
    got = matched({"a": ["sham election*"], "b": ["election*"]}, "a sham election")
    assert got == [("a", "sham election"), ("b", "election")]


def test_hyphenated_and_possessive_terms():
    assert matched({"c": ["velayat-e faqih", "so-called"]}, "Velayat-e Faqih and the so-called vote") == [
        ("c", "Velayat-e Faqih"), ("c", "so-called"),
    ]
    assert matched({"c": ["regime's"]}, "the regime’s plan") == [("c", "regime’s")]


def test_case_sensitive_entries():
    lex = lexicon_from_toml(HEADER + '[categories.c]\nterms = [{term = "US", case_sensitive = true}]\n')
    doc = tokenize("US troops and us")
    assert [doc.span_text(m.start, m.end) for m in Matcher(lex).find(doc)] == ["US"]


def test_exclusions_skip_what_they_cover():
    lex = lexicon_from_toml(
        HEADER + '[categories.c]\nterms = ["regim*", "election*"]\nexclude = ["regiment*", "sham election*"]\n'
    )
    doc = tokenize("The regime's regiment held a sham election, then an election.")
    assert [doc.span_text(m.start, m.end) for m in Matcher(lex).find(doc)] == ["regime", "election"]


def test_nested_categories_are_flattened():
    lex = lexicon_from_toml(
        HEADER + '[categories.state.delegitimizing]\nterms = ["regime"]\n[categories.state.neutral]\nterms = ["government"]\n'
    )
    assert lex.category_names == ["state.delegitimizing", "state.neutral"]
    assert lex.select("state").category_names == ["state.delegitimizing", "state.neutral"]


# ---- validation: one line naming file, category and term


@pytest.mark.parametrize(
    "body, message",
    [
        ('[categories.c]\nterms = []\n', r"x.toml: category 'c' has no terms"),
        ('[categories.c]\nterms = ["a", "b",\n  "a"]\n', r"x.toml: category 'c': duplicate term 'a' \(line 5\)"),
        ('[categories.c]\nterms = ["re*gime"]\n', r"category 'c': term 're\*gime' has '\*' inside a word"),
        ('[categories.c]\nterms = ["*"]\n', r"category 'c': term '\*' has a bare '\*'"),
        ('[categories.c]\nterms = ["  "]\n', r"category 'c': empty term"),
        ('[categories.c]\nterms = [3]\n', r"category 'c': terms must be strings, got 3"),
        ('[categories.c\nterms = ["a"]\n', r"x.toml: malformed TOML \(.*line 3"),
    ],
)
def test_validation_errors(body, message):
    with pytest.raises(FramingError, match=message):
        lexicon_from_toml(HEADER + body, source="x.toml")


def test_missing_meta_and_categories():
    with pytest.raises(FramingError, match=r"x.toml: missing \[meta\] table"):
        lexicon_from_toml('[categories.c]\nterms = ["a"]\n', source="x.toml")
    with pytest.raises(FramingError, match=r"x.toml: no \[categories.NAME\] tables"):
        lexicon_from_toml(HEADER, source="x.toml")


def test_overlaps_are_reported():
    lex = lexicon_from_mapping("t", {"a": ["mullah*", "x"], "b": ["Mullah*"], "c": ["y"]})
    assert lex.overlaps().to_dict("records") == [{"pattern": "mullah*", "categories": "a;b"}]


def test_parse_term_tokens():
    assert [(t.text, t.prefix) for t in parse_term("Sham  Election*", where="x").tokens] == [
        ("sham", False), ("election", True),
    ]


# ---- readers


def test_liwc_dic_with_multiword_and_several_ids(tmp_path):
    path = tmp_path / "mini.dic"
    path.write_text("%\n1\tposemo\n2\tnegemo\n%\nhappy*\t1\nsad\t2\nbitter sweet\t1 2\nkind of\t1\n")
    lex = load_lexicon(path)
    assert lex.name == "mini"
    assert {c.name: [t.pattern for t in c.terms] for c in lex.categories} == {
        "posemo": ["happy*", "bitter sweet", "kind of"], "negemo": ["sad", "bitter sweet"],
    }


def test_liwc_dic_errors_name_the_line(tmp_path):
    path = tmp_path / "bad.dic"
    path.write_text("%\n1\tposemo\n%\nhappy\t7\n")
    with pytest.raises(FramingError, match=r"bad.dic: line 4: unknown category id '7' for term 'happy'"):
        load_lexicon(path)


def test_csv_lexicon(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("term,category\nregime*,delegit\ngovernment,neutral\nmullahs,delegit\n")
    lex = load_lexicon(path)
    assert {c.name: [t.pattern for t in c.terms] for c in lex.categories} == {
        "delegit": ["regime*", "mullahs"], "neutral": ["government"],
    }
    bad = tmp_path / "bad.csv"
    bad.write_text("word,cat\na,b\n")
    with pytest.raises(FramingError, match=r"bad.csv: a CSV lexicon needs a header with 'term' and 'category'"):
        load_lexicon(bad)


def test_unknown_lexicon_lists_the_available():
    with pytest.raises(FramingError, match=r"unknown lexicon 'nope'; available: .*framing"):
        load_lexicon("nope")


# ---- the bundled lexicons


def test_bundled_lexicons_carry_provenance():
    table = list_lexicons()
    assert "framing" in table["name"].tolist()
    for name in table["name"]:
        lex = load_lexicon(name)
        for field in META_FIELDS:
            assert lex.meta.get(field), (name, field)
        for cat in lex.categories:
            assert cat.description, (name, cat.name)


def test_framing_lexicon_categories():
    lex = load_lexicon("framing")
    assert lex.category_names == [
        "state_delegitimizing", "state_neutral", "repression_violence", "resistance_heroism", "democracy_rights",
        "fear_threat_panic", "electoral_delegitimation", "electoral_neutral", "religion_clergy",
        "internet_social_media", "mockery_irony",
    ]
    assert all(len(c.terms) >= 15 for c in lex.categories)


def test_framing_lexicon_traps():
    lex = load_lexicon("framing")
    doc = tokenize(
        "The regiment banned banners. A sham election and an election. The executive executed him. Pollution polls."
    )
    found = {}
    for m in Matcher(lex).find(doc):
        found.setdefault(lex.categories[m.category].name, []).append(doc.span_text(m.start, m.end))
    assert "state_delegitimizing" not in found
    assert found["repression_violence"] == ["banned", "executed"]
    assert found["electoral_delegitimation"] == ["sham"]
    assert found["electoral_neutral"] == ["election", "polls"]


def test_user_lexicon_folder_overrides_and_extends(tmp_path, monkeypatch):
    folder = tmp_path / "lexicons"
    folder.mkdir()
    (folder / "mine.toml").write_text(HEADER.replace('"t"', '"mine"') + '[categories.c]\nterms = ["x"]\n')
    (folder / "framing.toml").write_text(
        '[meta]\nname = "framing-plus"\nextends = "framing"\n[categories.state_neutral]\nterms = ["Tehran"]\n'
        '[categories.new_one]\nterms = ["zz"]\n'
    )
    monkeypatch.setenv("FRAMING_LEXICON_PATH", str(folder))
    assert load_lexicon("mine").category_names == ["c"]
    extended = load_lexicon("framing")
    assert extended.name == "framing"  # found by name: keeps that name, whatever its [meta] says
    assert [t.pattern for t in extended.category("state_neutral").terms] == ["Tehran"]
    assert extended.category_names[-1] == "new_one"
    assert len(extended.categories) == 12
    assert list_lexicons().set_index("name").loc["mine", "origin"].endswith("mine.toml")


def test_quanteda_yaml_nested_keys_flattened(tmp_path):
    path = tmp_path / "q.yml"
    path.write_text("meta:\n  name: qd\n  licence: CC0\nstate:\n  delegit: [regime*, mullahs]\n  neutral:\n    - government\nvote: election*\n")
    lex = load_lexicon(path)
    assert lex.name == "qd" and lex.meta["licence"] == "CC0"
    assert {c.name: [t.pattern for t in c.terms] for c in lex.categories} == {
        "state.delegit": ["regime*", "mullahs"], "state.neutral": ["government"], "vote": ["election*"],
    }
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [x\nb: y\n")
    with pytest.raises(FramingError, match=r"bad.yaml: line \d+: malformed YAML"):
        load_lexicon(bad)


from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

TRAP = lexicon_from_toml(
    """
[meta]
name = "trap"
[categories.a]
terms = ["sham", "sham election*", "election*", "fake", "x y z", "x", {term = "US", case_sensitive = true}]
exclude = ["fake election*", "electioneer*"]
[categories.b]
terms = ["election", "y z", "z", "sham election show"]
exclude = ["x y"]
[categories.c]
terms = ["z*", "y"]
""",
    source="trap",
)
WORDS = ["sham", "election", "elections", "electioneering", "fake", "show", "x", "y", "z", "zz", "US", "us", ".", "the"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=30))
def test_fast_count_equals_counting_find(words):
    doc = tokenize(" ".join(words))
    matcher = Matcher(TRAP)
    slow = Counter(m.category for m in matcher.find(doc))
    assert matcher.count(doc) == [slow.get(i, 0) for i in range(len(TRAP.categories))]


def test_fast_count_equals_find_on_the_seeds(seeds):
    for name in ("framing", "stance", "actors"):
        lex = load_lexicon(name)
        matcher = Matcher(lex)
        for doc in seeds.tokens.values():
            slow = Counter(m.category for m in matcher.find(doc))
            assert matcher.count(doc) == [slow.get(i, 0) for i in range(len(lex.categories))], name


SMALL_CACHE = Matcher(TRAP, cache_size=5)  # reused across examples: plans are forgotten and relearned


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS + ["Sham", "ELECTIONS", "zebra", "U.S."]), max_size=30))
def test_count_and_find_unchanged_when_the_type_memory_is_emptied(words):
    doc = tokenize(" ".join(words))
    fresh = Matcher(TRAP)
    assert SMALL_CACHE.find(doc) == fresh.find(doc)
    assert SMALL_CACHE.count(doc) == fresh.count(doc)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(WORDS + ["Sham", "ELECTIONS", "zebra", "Us", "x’s", "electionsx"]))
def test_word_index_agrees_with_the_term_definition(surface):
    matcher = Matcher(TRAP)
    plan = matcher._plan(surface)
    expected = {
        (k, j)
        for k, (_, _, term, _) in enumerate(matcher._entries)
        for j in range(len(term.tokens))
        if term.matches_token(j, surface)
    }
    got = {(k, 0) for k in plan.starts} | set(plan.fills)
    assert got == expected


def test_type_memory_is_emptied_when_full():
    matcher = Matcher(TRAP, cache_size=3)
    matcher.count(tokenize("sham show"))
    assert set(matcher._memory.plans) == {"sham", "show"}
    matcher.count(tokenize("x y"))  # 2 + 2 types > 3: forget, then learn this document's
    assert set(matcher._memory.plans) == {"x", "y"}
    assert matcher.count(tokenize("sham election x y z")) == [2, 2, 2]


def test_one_matcher_shared_by_threads_gives_the_counts_of_a_fresh_one():
    from concurrent.futures import ThreadPoolExecutor

    docs = [tokenize(" ".join(WORDS[i:] + WORDS[:i]) + f" extra{i}") for i in range(len(WORDS))] * 20
    shared = Matcher(TRAP, cache_size=8)  # forgets often, while other threads count
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(shared.count, docs))
    assert got == [Matcher(TRAP).count(doc) for doc in docs]


def test_multiword_terms_also_match_their_hyphenated_form():
    import pandas as pd

    from framing.documents.corpus import load_corpus
    from framing.features import explain
    from framing.keywords.kwic import kwic

    corpus = load_corpus(pd.DataFrame({"text": ["The middle-class voters and the middle class. Sham-elections again."]}))
    lex = lexicon_from_mapping("t", {"class": ["middle class"], "vote": ["sham election*"]})
    rows = explain(corpus, lex)
    assert rows[["category", "pattern", "text", "start", "end"]].values.tolist() == [
        ["class", "middle class", "middle-class", 4, 16], ["class", "middle class", "middle class", 32, 44],
        ["vote", "sham election*", "Sham-elections", 46, 60]]
    assert Matcher(lex).count(corpus.tokens["doc00001"]) == [2, 1]
    assert kwic(corpus, "middle class", window=1)["match"].tolist() == ["middle-class", "middle class"]
    off = lexicon_from_toml('[meta]\nname = "t"\nhyphenated = false\n[categories.c]\nterms = ["middle class"]\n')
    assert explain(corpus, off)["text"].tolist() == ["middle class"]
    assert off.id != lexicon_from_toml('[meta]\nname = "t"\n[categories.c]\nterms = ["middle class"]\n').id
    # an exclusion is hyphenated too, and a clitic cannot be
    excl = lexicon_from_toml('[meta]\nname = "t"\n[categories.c]\nterms = ["class*"]\nexclude = ["middle class*"]\n')
    assert explain(corpus, excl).empty
    bad = lexicon_from_toml('[meta]\nname = "t"\nhyphenated = "yes"\n[categories.c]\nterms = ["a b"]\n', source="t.toml")
    with pytest.raises(FramingError, match="t.toml: \\[meta\\] hyphenated must be true or false, got 'yes'"):
        Matcher(bad)


def test_combined_lexicons_keep_every_count_apart():
    from framing.lexicon.read import combine_lexicons

    a = lexicon_from_mapping("a", {"x": ["regime"], "z": ["tax*"]})
    b = lexicon_from_mapping("b", {"x": ["vote"]})
    both = combine_lexicons([a, b])
    assert both.category_names == ["a.x", "z", "b.x"] and both.name == "a+b"
    assert Matcher(both).count(tokenize("The regime taxes the vote.")) == [1, 1, 1]
    assert load_lexicon([a, b]).id == both.id and load_lexicon([a]) is a
    stance = load_lexicon("stance")
    with pytest.raises(FramingError, match="only plain lexicons can be combined; these are read by the families lexicon, stance"):
        combine_lexicons([a, stance])
