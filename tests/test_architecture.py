"""The house: the data path shows in the imports (issue 24).

load corpus (read, corpus) -> tokenize (tokens) -> feature families (features, keyness, reuse)
-> compare (compare, models, groups, measures) -> plot (plots, figures); shapes (tables) at
ground level. No module reaches back up that path, and no import forms a circle.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "framing"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(path: Path, known: set[str]) -> set[str]:
    """Every framing module ``path`` imports, at its top or inside a function."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("framing"):
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("framing"))
    return out & known


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, set(modules)) - {name} for name, path in modules.items()}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_circle_finder_finds_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle_even_through_imports_inside_functions():
    assert _circles(_graph()) == []


def test_shapes_import_nothing_of_the_package_but_its_error():
    assert _graph()["framing.tables"] == {"framing.errors"}


REDUCTIONS_AND_VIEWS = ["framing.tables", "framing.groups", "framing.measures", "framing.comparison", "framing.models",
                        "framing.plots", "framing.figures"]
TEXT_LAYERS = {"framing.corpus", "framing.read", "framing.tokens", "framing.features", "framing.keywords",
               "framing.lexicon", "framing.clean"}


@pytest.mark.parametrize("module", REDUCTIONS_AND_VIEWS)
def test_reductions_and_views_do_not_reach_back_for_text(module):
    """Imported alone and then used through every function (imports inside functions included),
    a reduction or a view loads no module that reads, cleans, tokenizes or counts text."""
    graph = _graph()
    reached, todo = set(), [module]
    while todo:
        for m in graph[todo.pop()] - reached:
            reached.add(m)
            todo.append(m)
    assert not reached & TEXT_LAYERS, f"{module} reaches {sorted(reached & TEXT_LAYERS)}"
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m in {sorted(TEXT_LAYERS)!r}))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
