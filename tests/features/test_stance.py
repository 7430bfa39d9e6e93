from dataclasses import replace

import pandas as pd
import pytest

from framing.documents.corpus import load_corpus
from framing.documents.tokens import tokenize
from framing.errors import FramingError
from framing.features import explain
from framing.features.stance import StanceRules, stance_document, stance_features
from framing.lexicon.match import Matcher
from framing.lexicon.read import lexicon_from_toml, load_lexicon


def matches(*texts):
    corpus = load_corpus(pd.DataFrame({"text": list(texts)}), clean=False)
    return [(r.category, r.text, r.voice) for r in explain(corpus, "stance").itertuples()]


def only(category, *texts):
    return [(t, v) for c, t, v in matches(*texts) if c == category]


# ---- hedges and the month trap


@pytest.mark.parametrize(
    "text",
    ["The vote is on May 19.", "It happened on 15 May.", "It happened in May.", "They marched on May Day.",
     "Talks with Theresa May ended."],
)
def test_may_the_month_or_a_name_is_not_a_hedge(text):
    assert only("hedge", text) == []


def test_may_the_modal_is_a_hedge_also_sentence_initially():
    assert only("hedge", "The turnout may fall. May it rain? This may matter.") == [
        ("may", "author"), ("May", "author"), ("may", "author"),
    ]


def test_appear_and_could():
    assert only("hedge", "He appeared on television. They appeared together.") == []
    assert only("hedge", "It appears that turnout fell.") == [("It appears", "author")]
    assert only("hedge", "Turnout could reach 70 percent.") == [("could", "author")]
    assert only("hedge", "It seems so; perhaps not.") == [("seems", "author"), ("perhaps", "author")]


def test_boosters_and_attitude():
    assert only("booster", "This clearly shows, in fact, that it is clear.") == [
        ("clearly", "author"), ("in fact", "author"), ("it is clear", "author"),
    ]
    assert only("attitude", "Unfortunately, a shocking result.") == [("Unfortunately", "author"), ("shocking", "author")]


# ---- voice


def test_self_mention_in_quotes_belongs_to_the_speaker():
    got = only("self_mention", "Protesters chanted “We will take back Iran” while we watched. Our view.")
    assert got == [("We", "quoted"), ("we", "author"), ("Our", "author")]


def test_us_the_country_is_not_self_mention():
    assert only("self_mention", "US officials and us.") == [("us", "author")]


def test_said_inside_a_quotation_is_the_speakers():
    got = only("attribution_neutral", 'He said: "They said nothing." Reporters told us.')
    assert got == [("said", "author"), ("said", "quoted"), ("told", "author")]


def test_single_quoted_spans_are_quotations():
    assert only("self_mention", "Crowds shouted ‘we won’ again.") == [("we", "quoted")]


# ---- attribution


def test_claims_noun_and_verb_both_distance():
    assert only("attribution_distancing", "The opposition claims otherwise. He claimed victory.") == [
        ("claims", "author"), ("claimed", "author"),
    ]
    assert only("attribution_distancing", "Videos allegedly show it. A person purporting to be exiled. The so-called vote.") == [
        ("allegedly", "author"), ("purporting to", "author"), ("so-called", "author"),
    ]


def test_it_is_said_is_distancing_not_neutral():
    got = matches("It is said that the vote was rigged.")
    assert ("attribution_distancing", "It is said", "author") in got
    assert not [m for m in got if m[0] == "attribution_neutral"]


def test_endorsing_verbs():
    assert only("attribution_endorsing", "The files revealed abuse and exposed the plan. The election show ended.") == [
        ("revealed", "author"), ("exposed", "author"),
    ]


# ---- engagement


def test_reader_and_directives_at_clause_start_only():
    assert only("reader", "You must see your vote counted.") == [("You", "author"), ("your", "author")]
    text = "To see more, visit our site. Follow us on Twitter. They visit Tehran. • Please share this. “Don’t vote” they said."
    assert only("directive", text) == [("visit", "author"), ("Follow", "author"), ("share", "author"), ("Don’t", "quoted")]
    assert only("directive", "Voters say you must act.") == [("you must", "author")]


def test_questions_by_voice():
    got = only("question", 'Why vote? He asked: "Where were you?" Then he left.')
    assert [v for _, v in got] == ["author", "quoted"]


def test_scare_quotes_are_short_and_not_introduced_as_speech():
    got = only("scare_quote", 'The regime\'s "election" ended. He said "no". Banners read "No to sham elections".')
    assert got == [('"election"', "author")]
    assert only("scare_quote", "Voting became a ‘religious duty’ overnight.") == [("‘religious duty’", "author")]
    assert only("scare_quote", 'Officials praised "free and fair voting today".') == []  # four words


# Headlines and sentences written in the styles of British and American news (single and double quotes):
# each quotation is attributed in its clause, so it is the quoted voice, not the author's scare quote.
ATTRIBUTED = [
    "Fed chair warns of 'prolonged' US recession",
    "Japanese prosecutors accuse Carlos Ghosn of 'cowardly act'",
    "The opposition called the vote 'a sham' on Monday.",
    'Officials described the protests as "riots" and blamed foreign agents.',
    "PM says Brexit deal 'close' as talks resume",
    "'Cowardly act': Nissan condemns attack",
    "Trump dismisses 'fake' polls",
    "Minister hails 'historic' deal with unions",
    "Police branded the march 'illegal'.",
    "He denounced what he termed 'terrorists' in the north.",
    "UN envoy urges 'restraint' after clashes",
    "Critics slammed the plan as 'reckless', saying it would fail.",
    "Boris Johnson vows to 'get Brexit done'",
    "'Unacceptable', says EU chief of Turkish move",
    "The 'election' was a charade, the NCRI said.",
    'Judge calls the ruling "demoralizing" and "disheartening"',
    "'Nobody warned me' says widow of crash victim",
    "Kremlin: No Ukraine 'Deal' With US Possible",
    "Erdogan wants Balkans as 'leverage' on Europe: expert",
    "McCain praised them for their “sacrifice for freedom” in Iran.",
    "Rouhani asked France to extradite them while describing them as “terrorists.”",
    "Opposition leader decries 'rigged' count as results come in",
]
DISTANCING = [  # the author's own distancing: no one is quoted
    ("The regime held 'elections' last week.", "'elections'"),
    ("The so-called 'elections' were held on Friday.", "'elections'"),
    ("He called the so-called 'reforms' a fraud.", "'reforms'"),  # so-called wins over a speech verb
    ("The government's “reforms” have impoverished millions.", "“reforms”"),
    ("The 'moderate' president presided over mass executions.", "'moderate'"),
    ('Iran\'s "free" election is a farce.', '"free"'),
    ("Syria war: Russian 'friendly fire' kills soldiers", "'friendly fire'"),  # a topic label, not a speaker
]


@pytest.mark.parametrize("text", ATTRIBUTED)
def test_attributed_quotations_are_not_scare_quotes(text):
    assert only("scare_quote", text) == []


@pytest.mark.parametrize("text,quote", DISTANCING)
def test_the_authors_distancing_is_a_scare_quote(text, quote):
    assert only("scare_quote", text) == [(quote, "author")]


def test_titles_and_apostrophes_are_not_scare_quotes():
    assert only("scare_quote", "'Star Wars' composer John Williams turns 85") == []
    assert only("scare_quote", "A tribute to the rock 'n' roll icon.") == []
    assert only("scare_quote", "The 'Deal' is off, officials fear.") == [("'Deal'", "author")]  # sentence case, one word


def test_quoted_names_are_not_scare_quotes():
    text = 'Join the “election96” channel, follow "@iran_vote" and "#NoVote" against the "sham 2017" polls.'
    assert only("scare_quote", text) == [('"sham 2017"', "author")]  # one word is no name
    lex = load_lexicon("stance")
    rules = dict(lex.rules, scare_quote=dict(lex.rules["scare_quote"], skip_names=False))
    counted = [m[0] for m in stance_document(tokenize(text), Matcher(lex), StanceRules.from_lexicon(replace(lex, rules=rules)))]
    assert counted.count("scare_quote") == 4


# ---- the tidy table


def test_stance_table_counts_voices_and_quoted_share():
    corpus = load_corpus(pd.DataFrame({"doc_id": ["d"], "text": ['It may rain. He said "we may win."']}))
    table = stance_features(corpus).set_index(["category", "voice"])
    # 8 words: It may rain He said | we may win -> author 5, quoted 3
    assert table.loc[("hedge", "author"), ["count", "n_tokens", "per_1k"]].tolist() == [1, 5, 200.0]
    assert table.loc[("hedge", "quoted"), ["count", "n_tokens", "per_1k"]].tolist() == pytest.approx([1, 3, 1000 / 3])
    assert table.loc[("quoted_share", "all"), ["count", "n_tokens", "per_1k"]].tolist() == [3, 8, 375.0]
    quoted = explain(corpus, "stance", category="quoted_share")
    assert quoted[["text", "pattern", "voice"]].values.tolist() == [
        ["we", "rule:quoted", "all"], ["may", "rule:quoted", "all"], ["win", "rule:quoted", "all"]
    ]
    assert quoted.sentence.tolist() == ['He said "we may win."'] * 3
    assert set(table.index.get_level_values("category")) >= {
        "hedge", "booster", "attitude", "self_mention", "reader", "directive", "question", "attribution_neutral",
        "attribution_distancing", "attribution_endorsing", "scare_quote", "quoted_share",
    }


def test_counts_equal_explain_rows(seeds):
    table = stance_features(seeds)
    rows = explain(seeds, "stance")
    counted = table.set_index(["doc_id", "category", "voice"])["count"]
    per_cell = rows.groupby(["doc_id", "category", "voice"]).size()
    assert counted.sum() == len(rows)
    assert (per_cell == counted.reindex(per_cell.index)).all()
    assert (rows.category == "quoted_share").sum() > 0


def test_seeds_outside_report_distances_and_movement_outlets_do_not_quote_themselves(seeds):
    table = stance_features(seeds)
    author = table[table.voice == "author"].pivot_table(index="category", columns="affiliation", values="count", aggfunc="sum")
    assert author.loc["attribution_distancing", "outside"] == 4
    assert author.loc["attribution_distancing", "movement"] == 1
    assert author.loc["self_mention", "movement"] == 0  # every "we" in the movement texts is quoted


def test_unknown_rule_is_an_error():
    lex = lexicon_from_toml('[meta]\nname = "s"\n[categories.hedge]\nterms = ["may"]\n[rules.magic]\nx = 1\n', source="s.toml")
    corpus = load_corpus(pd.DataFrame({"text": ["x"]}))
    with pytest.raises(FramingError, match=r"s.toml: unknown rule\(s\) magic; known rules: not_month"):
        stance_features(corpus, lex)
