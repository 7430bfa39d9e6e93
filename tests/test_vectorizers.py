import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

from framing.errors import FramingError
from framing.features.vectorizers import LexiconVectorizer
from framing.lexicon.read import lexicon_from_mapping

LEX = lexicon_from_mapping("mini", {"delegit": ["regime*", "mullahs"], "neutral": ["government"]})
TEXTS = ["The regime and the mullahs.", "The government met.", "", "Regimes fall; governments stay."]


def test_counts_and_rates():
    vec = LexiconVectorizer(lexicon=LEX)
    assert vec.fit_transform(TEXTS).tolist() == [[2, 0], [0, 1], [0, 0], [1, 0]]
    rates = LexiconVectorizer(lexicon=LEX, norm="per_1k").fit_transform(TEXTS)
    assert rates[0].tolist() == [400.0, 0.0]  # 2 of 5 word tokens
    assert np.isnan(rates[2]).all()
    assert vec.get_feature_names_out().tolist() == ["delegit", "neutral"]


def test_init_stores_only_and_fit_validates():
    vec = LexiconVectorizer(lexicon="no-such-lexicon", norm="weird")
    assert vec.get_params() == {"lexicon": "no-such-lexicon", "categories": None, "norm": "weird", "language": None}
    with pytest.raises(FramingError, match="unknown norm .weird.; choose from count, per_1k"):
        vec.fit(TEXTS)
    with pytest.raises(FramingError, match="single string"):
        LexiconVectorizer(lexicon=LEX).fit("just one text")
    with pytest.raises(TypeError):
        LexiconVectorizer(LEX)  # keyword-only


def test_pipeline_and_clone():
    texts = ["the regime", "the mullahs regime", "the government", "a government official"] * 3
    y = [1, 1, 0, 0] * 3
    pipe = Pipeline([("lex", LexiconVectorizer(lexicon=LEX)), ("clf", LogisticRegression())]).fit(texts, y)
    assert pipe.predict(["regime regime", "government"]).tolist() == [1, 0]
    assert clone(pipe).get_params()["lex__lexicon"] == LEX


@pytest.mark.parametrize(
    "check",
    [check_no_attributes_set_in_init, check_parameters_default_constructible, check_get_params_invariance,
     check_set_params],
)
def test_estimator_checks_that_apply_to_text_input(check):
    check("LexiconVectorizer", LexiconVectorizer())


def test_fit_sets_only_trailing_underscore_attributes():
    vec = LexiconVectorizer(lexicon=LEX)
    before = set(vars(vec))
    vec.fit(TEXTS)
    added = set(vars(vec)) - before
    assert added == {"family_", "lexicon_", "feature_names_", "language_", "uncovered_"}


def test_fit_and_transform_leave_the_parameters_as_given():
    # what scikit-learn's check_dont_overwrite_parameters asserts, on text input (the check itself feeds numbers)
    vec = LexiconVectorizer(lexicon=LEX, categories=["neutral"], norm="per_1k")
    before = vec.get_params()
    vec.fit(TEXTS).transform(TEXTS)
    assert vec.get_params() == before and vec.categories == ["neutral"]


from framing.features.vectorizers import StanceVectorizer


def test_stance_vectorizer_voices_and_rates():
    texts = ['It may rain. He said "we may win."', "On May 19 we voted."]
    author = StanceVectorizer().fit(texts)
    X = author.transform(texts)
    names = author.get_feature_names_out().tolist()
    assert names[-2:] == ["question", "scare_quote"]
    assert X[:, names.index("hedge")].tolist() == [1, 0]  # May 19 is the month
    assert X[:, names.index("self_mention")].tolist() == [0, 1]
    quoted = StanceVectorizer(voice="quoted", norm="per_1k").fit_transform(texts)
    assert quoted[0, names.index("hedge")] == pytest.approx(1000 / 3)
    with pytest.raises(FramingError, match="unknown voice .narrator.; choose from author, quoted, all"):
        StanceVectorizer(voice="narrator").fit(texts)


@pytest.mark.parametrize(
    "check", [check_no_attributes_set_in_init, check_parameters_default_constructible, check_get_params_invariance, check_set_params]
)
def test_stance_vectorizer_estimator_checks(check):
    check("StanceVectorizer", StanceVectorizer())


def test_a_vectorizer_reads_texts_in_its_language_and_leaves_unmeasured_categories_nan():
    from framing.lexicon.read import lexicon_from_toml

    lexicon = lexicon_from_toml('[meta]\nname = "x"\nlanguage = "en"\n[categories.vote.terms]\nen = ["election*"]\n'
                                'nl = ["verkiezing*"]\n[categories.state]\nterms = ["regime*"]\n')
    X = LexiconVectorizer(lexicon=lexicon, language="nl").fit_transform(["De verkiezingen van het regime.", "Niets."])
    assert X[:, 0].tolist() == [1.0, 0.0] and np.isnan(X[:, 1]).all()  # no Dutch terms for state: not measured
    # clitics stay whole in Dutch: "auto's" is one word, so a rate's denominator counts it once
    rates = LexiconVectorizer(lexicon=lexicon, language="nl", norm="per_1k").fit_transform(["auto's verkiezing"])
    assert rates[0, 0] == 500.0
    with pytest.raises(FramingError, match="lexicon 'x' has no terms in Persian \\(fa\\); it has: en, nl"):
        LexiconVectorizer(lexicon=lexicon, language="fa").fit(["x"])
    with pytest.raises(FramingError, match="'Dutch' is not a language code"):
        LexiconVectorizer(lexicon=lexicon, language="Dutch").fit(["x"])

