"""NLTK imported with its optional libraries deferred: every name NLTK binds is what it binds with them
loaded, nothing of them is loaded until used, and later imports of them are the real modules."""

import json
import subprocess
import sys

import pytest

from framing.nltk_extras import Deferred

SURVEY = r"""
import importlib, json, sys, types
deferred = sys.argv[1] == "deferred"
if deferred:
    from framing.nltk_extras import defer_nltk_extras
    assert defer_nltk_extras() and not defer_nltk_extras()  # set once
import nltk.tokenize.punkt
loaded = sorted(m for m in sys.modules if m.split(".")[0] == "sklearn" or m.startswith(("scipy.stats", "scipy.sparse")))
from framing.nltk_extras import Deferred

def name(value):
    stood_in = isinstance(value, Deferred) or (  # or a stand-in module, bound as a module (from scipy import sparse)
        isinstance(value, types.ModuleType) and sys.modules.get(value.__name__) is not value)
    if stood_in:
        value = value.resolve() if isinstance(value, Deferred) else importlib.import_module(value.__name__)
    if isinstance(value, types.ModuleType):
        return "module " + value.__name__, stood_in
    if callable(value) or type(value).__module__.startswith(("scipy", "sklearn")):
        return f"{type(value).__name__} {getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}", stood_in
    return type(value).__name__, stood_in

names, stood_in = {}, []
for module_name, module in sorted(sys.modules.items()):
    if module_name.split(".")[0] != "nltk" or not isinstance(module, types.ModuleType):
        continue
    for key, value in sorted(vars(module).items()):
        if key.startswith("__"):
            continue
        names[f"{module_name}.{key}"], was = name(value)
        if was:
            stood_in.append(f"{module_name}.{key}")
import scipy.stats, sklearn.svm
real = type(scipy.stats).__name__ == "module" and hasattr(scipy.stats, "__file__") and hasattr(sklearn.svm, "__file__")
print(json.dumps({"loaded": loaded, "names": names, "stood_in": stood_in, "real_later": real}))
"""


def survey(mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", SURVEY, mode], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def surveys():
    return survey("plain"), survey("deferred")


def test_nltk_binds_the_same_names_to_the_same_objects(surveys):
    plain, deferred = surveys
    assert plain["names"] == deferred["names"]  # every module, every global: the same function, class or module
    # the names NLTK takes from the two libraries, and only they, were stand-ins
    assert sorted(deferred["stood_in"]) == [
        "nltk.classify.scikitlearn.DictVectorizer", "nltk.classify.scikitlearn.LabelEncoder",
        "nltk.metrics.association.fisher_exact",
        "nltk.parse.transitionparser.load_svmlight_file", "nltk.parse.transitionparser.sparse",
        "nltk.parse.transitionparser.svm",
    ]
    assert plain["stood_in"] == []
    assert deferred["names"]["nltk.metrics.scores.betai"] == plain["names"]["nltk.metrics.scores.betai"] == "NoneType"


def test_nothing_of_them_is_loaded_until_used_and_later_imports_are_real(surveys):
    plain, deferred = surveys
    assert {"scipy.stats", "scipy.sparse", "sklearn"} <= set(plain["loaded"])
    assert deferred["loaded"] == []
    assert deferred["real_later"] and plain["real_later"]


def test_nltk_functions_that_use_them_give_the_same_values():
    code = ("import sys\nif sys.argv[1] == 'deferred':\n    from framing.nltk_extras import defer_nltk_extras; defer_nltk_extras()\n"
            "from nltk.metrics import BigramAssocMeasures as B\nfrom nltk.classify.scikitlearn import SklearnClassifier\n"
            "from sklearn.naive_bayes import BernoulliNB\n"
            "train = [({'a': 1, 'b': 0}, 'x'), ({'a': 0, 'b': 1}, 'y'), ({'a': 1, 'b': 1}, 'x')]\n"
            "c = SklearnClassifier(BernoulliNB()).train(train)\n"
            "sparse = sys.modules['nltk.parse.transitionparser'].sparse\n"
            "print(float(B.fisher(5, (20, 30), 1000)), *map(str, c.classify_many([{'a': 1, 'b': 0}, {'a': 0, 'b': 1}])),\n"
            "      sparse.csr_matrix([[1, 0, 2]]).nnz)")
    outputs = [subprocess.run([sys.executable, "-c", code, mode], capture_output=True, text=True, timeout=300)
               for mode in ("plain", "deferred")]
    assert [o.returncode for o in outputs] == [0, 0], outputs[1].stderr[-2000:]
    assert outputs[0].stdout == outputs[1].stdout
    assert outputs[0].stdout.split()[1:] == ["x", "y", "2"]
    from scipy.stats import fisher_exact

    # the 2x2 table of 5 joint counts, marginals 20 and 30, in 1,000 bigrams; Fisher's one-sided p from SciPy
    assert float(outputs[1].stdout.split()[0]) == fisher_exact([[5, 15], [25, 955]], alternative="less")[1]


def test_a_stand_in_forwards_calls_and_attributes():
    assert Deferred("math", "sqrt")(9.0) == 3.0
    assert Deferred("math", "pi").is_integer() is False
    assert Deferred("xml", "dom").__name__ == "xml.dom"  # a submodule its package does not import itself
    assert repr(Deferred("scipy.stats", "norm")) == "<deferred scipy.stats.norm>"
    with pytest.raises(AttributeError):
        Deferred("math", "no_such_name")()
