"""The house: the data path shows in the folders and in the imports (issue 24).

shapes (tables, groups, measures, ...) at the ground -> documents (read, clean, tokens, corpus)
-> lexicon (model, read, match) and the engine -> features (the families, reuse) and keywords
-> reductions (comparison, validation, lexicon tools) -> views (plots, figures, explorer) -> runs
-> the CLI. No module imports one above it, no import forms a circle, and the reductions and
views see tables only: they load nothing that reads, tokenizes or counts text.
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


LAYERS = [  # (rank, module or folder): a module's rank is that of its longest matching entry
    (0, "framing"), (0, "framing.errors"), (0, "framing.params"), (0, "framing.tables"), (0, "framing.groups"),
    (0, "framing.measures"), (0, "framing.paths"), (0, "framing.study"), (0, "framing.output"), (0, "framing.data"), (0, "framing.lexicons"),
    (0, "framing.codebooks"), (0, "framing.cache"),
    (1, "framing.documents"),
    (2, "framing.lexicon"), (2, "framing.engine"),
    (3, "framing.features"), (3, "framing.keywords"),
    (4, "framing.comparison"), (4, "framing.validation"), (4, "framing.lexicon.tools"),
    (5, "framing.views"),
    (6, "framing.runs"), (6, "framing.record"), (6, "framing.ahead"),
    (7, "framing.cli"), (7, "framing.__main__"),  # parser -> commands -> the library; main in cli/__init__.py
]
TEXT_LAYERS = (1, 2, 3)


def _rank(module: str) -> int:
    fits = [(len(name), rank) for rank, name in LAYERS if module == name or module.startswith(name + ".")]
    assert fits, f"{module} is in no layer: add it to LAYERS"
    return max(fits)[1]


def test_every_module_has_a_layer_and_imports_none_above_it():
    above = [(m, d) for m, deps in _graph().items() for d in deps if _rank(d) > _rank(m)]
    assert above == []


def test_the_layer_rule_catches_a_climb():
    assert _rank("framing.views.plots") == 5 > _rank("framing.comparison.rates") == 4
    assert _rank("framing.lexicon.tools") == 4 > _rank("framing.lexicon.match") == 2


READS_TEXT = ("framing.validation.sheets", "framing.validation.patch", "framing.lexicon.tools",
              "framing.validation.frame_sheets")
"""The reductions that read a corpus or a lexicon: drawing coding sheets (of matches, or of units
for frames), patching a lexicon, checking and suggesting terms. Every other reduction, and every view, sees tables only."""
REDUCTIONS_AND_VIEWS = sorted(m for m in _modules() if _rank(m) in (0, 4, 5) and m not in READS_TEXT)


def test_the_reductions_and_views_are_the_ones_named():
    assert {"framing.comparison.rates", "framing.comparison.trends", "framing.validation", "framing.validation.scores",
            "framing.views.explorer", "framing.views.plots", "framing.views.highlight"} <= set(REDUCTIONS_AND_VIEWS)


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
    text = sorted(m for m in reached if _rank(m) in TEXT_LAYERS)
    assert not text, f"{module} reaches {text}"
    text_folders = [name for rank, name in LAYERS if rank in TEXT_LAYERS]
    code = (f"import sys, {module}; print(sorted(m for m in sys.modules for p in {text_folders!r} "
            "if m == p or m.startswith(p + '.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
