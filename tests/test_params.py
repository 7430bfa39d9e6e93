"""Declared parameter checks (framing.params.checked): every declared parameter of every public
function is fed invalid values and refused in one line naming it, before any work is done."""

import importlib
import inspect
import pkgutil

import pytest

import framing
from framing.errors import FramingError
from framing.params import COUNT, LEVEL, Number, OneOf, Whole, checked


def _declared():
    found = []
    for info in pkgutil.walk_packages(framing.__path__, "framing."):
        if info.name.endswith(".__main__") or info.name == "framing.cli" or info.name.startswith("framing.cli."):
            continue
        module = importlib.import_module(info.name)
        for name, function in vars(module).items():
            if callable(function) and getattr(function, "__module__", None) == info.name and hasattr(function, "__constraints__"):
                found.extend((f"{info.name}.{name}", function, param, rule)
                             for param, rule in function.__constraints__.items())
    return found


DECLARED = _declared()


def test_the_comparisons_models_keywords_and_reuse_declare_their_parameters():
    names = {qualified.rsplit(".", 1)[1] for qualified, *_ in DECLARED}
    assert {"compare", "compare_groups", "compare_sentences", "trend", "cluster", "rate_model", "keyness",
            "keyness_parts", "kwic", "collocations", "distinctive_terms", "reuse"} <= names


@pytest.mark.parametrize("qualified, function, param, rule", DECLARED, ids=[f"{q}:{p}" for q, _, p, _ in DECLARED])
def test_every_declared_parameter_refuses_invalid_values_before_any_work(qualified, function, param, rule):
    signature = inspect.signature(function)
    required = [p for p in signature.parameters.values()
                if p.default is inspect.Parameter.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    shown = rule.name if isinstance(rule, OneOf) and rule.name else param
    for bad in rule.invalid():
        # the other arguments are None: the check must come before the function touches them
        with pytest.raises(FramingError, match=f"^(unknown )?{shown}"):
            function(*[None] * len(required), **{param: bad})


def test_the_rules_give_the_messages_of_the_checks_by_hand():
    @checked(n=COUNT, level=LEVEL, share=Number(0, 1), k=Whole(low=0, high=3, none=True), how=OneOf(("a", "b")))
    def f(table, *, n=1, level=0.95, share=0.5, k=None, how="a"):
        return n, level, share, k, how

    assert f(None, n=2, k=3, how="b") == (2, 0.95, 0.5, 3, "b")
    with pytest.raises(FramingError, match=r"^n must be a whole number of at least 1, got 0$"):
        f(None, n=0)
    with pytest.raises(FramingError, match=r"^level must be a number above 0 and below 1, got 1.5$"):
        f(None, level=1.5)
    with pytest.raises(FramingError, match=r"^share must be a number from 0 to 1, got 1.01$"):
        f(None, share=1.01)
    with pytest.raises(FramingError, match=r"^k must be a whole number from 0 to 3, got 4$"):
        f(None, k=4)
    with pytest.raises(FramingError, match=r"^unknown how 'c'; choose from a, b$"):
        f(None, how="c")
    assert Whole(low=1).invalid() == [1.5, "3", 0] and LEVEL.invalid()[2:] == [0, 1]
    with pytest.raises(TypeError, match="has no parameter m"):
        checked(m=COUNT)(lambda table, n=1: n)
