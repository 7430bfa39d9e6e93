"""The compiled matcher against the reference: generated lexicons and texts (hypothesis), the seeds,
real news with a 1,000-term lexicon; and the overlap policies, counted by hand."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.documents.tokens import tokenize
from framing.errors import FramingError
from framing.lexicon.automaton import SEPARATOR, AutomatonMatcher
from framing.lexicon.match import Match, Matcher
from framing.lexicon.model import OVERLAPS, hyphen_variant, hyphenated
from framing.lexicon.read import lexicon_from_mapping, lexicon_from_toml, load_lexicon
from tests.conftest import real_corpora

TOKENS = ["sham", "Sham", "election", "elections", "electioneering", "fake", "x", "y", "z", "zz", "US", "us",
          "regime", "regime's", "Regime’s", "middle-class", "middle", "class", "#iran", "#", ".", ",", "the",
          "don't", "e", "ée", "Élection", SEPARATOR + "odd"]
WORDS = ["sham", "election", "elections", "elect", "fake", "x", "y", "z", "us", "regime", "'s", "middle", "class",
         "#iran", "#", "the", "e", "ée", "élection", "do", "n't"]


@st.composite
def patterns(draw):
    """A term: one to three words of the vocabulary, any of them a ``*`` prefix (cut to at least one character)."""
    words = []
    for _ in range(draw(st.integers(1, 3))):
        word = draw(st.sampled_from(WORDS))
        if draw(st.booleans()) and word not in ("'s", "n't"):
            word = word[: draw(st.integers(1, len(word)))] + "*"
        words.append(word)
    return " ".join(words)


@st.composite
def lexicons(draw):
    """Two to four categories of one to six terms, some case-sensitive, some exclusions; hyphenated or not."""
    lines = ["[meta]", 'name = "generated"', f"hyphenated = {'true' if draw(st.booleans()) else 'false'}"]
    for c in range(draw(st.integers(2, 4))):
        terms = []
        for _ in range(draw(st.integers(1, 6))):
            pattern = draw(patterns())
            sensitive = draw(st.integers(0, 5)) == 0
            terms.append(f'{{term = "{pattern}", case_sensitive = true}}' if sensitive else f'"{pattern}"')
        excluded = [f'"{draw(patterns())}"' for _ in range(draw(st.integers(0, 2)))]
        lines += [f"[categories.c{c}]", f"terms = [{', '.join(terms)}]", f"exclude = [{', '.join(excluded)}]"]
    try:
        return lexicon_from_toml("\n".join(lines), source="generated")
    except FramingError:  # a generated category whose terms repeat: drawn again
        from hypothesis import assume

        assume(False)


@settings(max_examples=300, deadline=None)
@given(lexicons(), st.lists(st.sampled_from(TOKENS), max_size=40), st.sampled_from(OVERLAPS))
def test_the_automaton_finds_what_the_reference_finds(lexicon, tokens, overlap):
    doc = tokenize(" ".join(tokens))
    reference, compiled = Matcher(lexicon, overlap=overlap), AutomatonMatcher(lexicon, overlap=overlap)
    assert compiled.find(doc) == reference.find(doc)
    assert compiled.count(doc) == reference.count(doc)


def oracle(lexicon, doc, overlap):
    """The grammar's rules applied word by word from their statement (:mod:`framing.lexicon.model`),
    with no index, plan or automaton: what both matchers must find."""
    entries = []  # (category, term index, term, exclusion), in the order the lexicon lists them
    for ci, category in enumerate(lexicon.categories):
        for ti, term in enumerate(category.terms):
            entries += [(ci, ti, t, False) for t in (term, hyphen_variant(term) if hyphenated(lexicon) else None) if t]
        for term in category.exclude:
            entries += [(ci, -1, t, True) for t in (term, hyphen_variant(term) if hyphenated(lexicon) else None) if t]
    n = len(doc)
    hits = [(i, ci, ti, len(t.tokens), excl) for i in range(n) for ci, ti, t, excl in entries
            if i + len(t.tokens) <= n and all(t.matches_token(j, doc.words[i + j]) for j in range(len(t.tokens)))]
    if overlap == "all":
        spans = {}
        for i, ci, ti, length, excl in hits:
            if not excl:
                spans.setdefault((ci, i, i + length), ti)
        out = [Match(ci, ti, a, b) for (ci, a, b), ti in spans.items()
               if not any(x == ci and e and y <= a and b <= y + z for y, x, _, z, e in hits)]
        return sorted(out, key=lambda m: (m.start, m.category, m.end))
    out = []
    for ci in range(len(lexicon.categories)):  # each category on its own, left to right
        end = 0
        for i in range(n):
            here = [(length, excl, -order, ti) for order, (j, c, ti, length, excl) in enumerate(hits) if j == i and c == ci]
            if i < end or not here:
                continue
            length, excl, _, ti = max(here)  # longest; an exclusion wins a tie; then the first listed
            end = i + length
            if not excl:
                out.append(Match(ci, ti, i, i + length))
    out.sort(key=lambda m: (m.start, m.category))
    if overlap == "none":
        kept, end = [], 0
        for m in sorted(out, key=lambda m: (m.start, m.start - m.end, m.category)):
            if m.start >= end:
                kept.append(m)
                end = m.end
        out = kept
    return out


@settings(max_examples=300, deadline=None)
@given(lexicons(), st.lists(st.sampled_from(TOKENS), max_size=30), st.sampled_from(OVERLAPS))
def test_the_reference_follows_the_grammar_word_by_word(lexicon, tokens, overlap):
    doc = tokenize(" ".join(tokens))
    assert Matcher(lexicon, overlap=overlap).find(doc) == oracle(lexicon, doc, overlap)


@settings(max_examples=300, deadline=None)
@given(lexicons(), st.lists(st.sampled_from(TOKENS), max_size=40), st.sampled_from(OVERLAPS))
def test_every_policy_counts_what_it_finds(lexicon, tokens, overlap):
    doc = tokenize(" ".join(tokens))
    matcher = Matcher(lexicon, overlap=overlap)
    found = Counter(m.category for m in matcher.find(doc))
    assert matcher.count(doc) == [found.get(i, 0) for i in range(len(lexicon.categories))]


def test_the_automaton_on_the_seeds_and_real_news(seeds):
    """The bundled lexicons on the seeds, and a 1,000-term lexicon of the corpus's own words (a quarter
    ``*`` prefixes, one in seven two-word entries) on 300 real articles: the same matches."""
    for name in ("framing", "stance", "actors"):
        lexicon = load_lexicon(name)
        reference, compiled = Matcher(lexicon), AutomatonMatcher(lexicon)
        for doc in seeds.tokens.values():
            assert compiled.find(doc) == reference.find(doc), name
    docs = [tokenize(t) for t in real_corpora().news_articles()["text"].head(300) if t]
    words = [w for w, _ in Counter(w.lower() for d in docs for w in d.words if w.isalpha()).most_common(3000)][200:]
    terms = [(w[: max(3, len(w) - 2)] + "*") if k % 4 == 0 else f"{w} {words[k % 500]}" if k % 7 == 0 else w
             for k, w in enumerate(words[:1000])]
    lexicon = lexicon_from_mapping("news", {f"c{i}": list(dict.fromkeys(terms[i::10])) for i in range(10)})
    reference, compiled = Matcher(lexicon), AutomatonMatcher(lexicon)
    assert sum(len(reference.find(d)) for d in docs) > 10_000
    for doc in docs:
        assert compiled.find(doc) == reference.find(doc)
        assert compiled.count(doc) == reference.count(doc)


POLICY = lexicon_from_mapping("p", {"vote": ["sham election*", "election*", "sham"], "fraud": ["sham"],
                                    "state": ["election commission"]})


@pytest.mark.parametrize("overlap, expected", [
    # each category on its own, longest first: "sham elections" once in vote; "sham" again in fraud
    ("category", [("vote", 0, 2), ("fraud", 0, 1), ("vote", 3, 4), ("state", 3, 5)]),
    # no token twice: at 0 the two-word vote match beats fraud's one word; at 3 state's two words beat vote's one
    ("none", [("vote", 0, 2), ("state", 3, 5)]),
    # every span: "sham", "sham elections", "elections", "sham" in fraud, "election", "election commission"
    ("all", [("vote", 0, 1), ("vote", 0, 2), ("fraud", 0, 1), ("vote", 1, 2), ("vote", 3, 4), ("state", 3, 5)]),
])
def test_overlap_policies_by_hand(overlap, expected):
    doc = tokenize("Sham elections, election commission")
    for matcher in (Matcher(POLICY, overlap=overlap), AutomatonMatcher(POLICY, overlap=overlap)):
        got = [(POLICY.categories[m.category].name, m.start, m.end) for m in matcher.find(doc)]
        assert got == expected


def test_the_policy_is_the_lexicons_and_part_of_its_id():
    text = '[meta]\nname = "p"\n{}[categories.a]\nterms = ["sham", "sham election*"]\n'
    default, every = (lexicon_from_toml(text.format(extra), source="p.toml") for extra in ("", 'overlap = "all"\n'))
    assert Matcher(every).overlap == "all" and Matcher(default).overlap == "category"
    assert default.id == lexicon_from_toml(text.format('overlap = "category"\n'), source="p.toml").id != every.id
    assert Matcher(every).count(tokenize("sham elections")) == [2] and Matcher(default).count(tokenize("sham elections")) == [1]
    with pytest.raises(FramingError, match=r"^p.toml: \[meta\] overlap must be one of 'category', 'none', 'all', got 'any'$"):
        lexicon_from_toml(text.format('overlap = "any"\n'), source="p.toml")
    with pytest.raises(FramingError, match="overlap must be one of"):
        Matcher(default, overlap="longest")
