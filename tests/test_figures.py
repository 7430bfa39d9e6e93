"""`framing figures` runs every notebook on the seeds and reproduces the committed figures byte for byte."""

import hashlib
from pathlib import Path

import pytest

from framing.cli import main
from framing.errors import FramingError
from framing.figures import _inject, notebooks, project_path, project_root
from tests.conftest import ROOT

OUTPUTS = ("*.png", "*.html")
EXPECTED = sorted(p.name for pattern in OUTPUTS for p in (ROOT / "figures").glob(pattern))


def digests(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for pattern in OUTPUTS for p in sorted(folder.glob(pattern))}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    assert main(["figures", "--out", str(out), "--quiet"]) == 0
    return out


def test_every_notebook_runs_and_makes_the_expected_files(first_run):
    assert len(EXPECTED) == 14  # 13 charts and the highlighted matches of notebook 07
    assert sorted(p.name for pattern in OUTPUTS for p in first_run.glob(pattern)) == EXPECTED


def test_output_equals_the_committed_figures(first_run):
    assert digests(first_run) == digests(ROOT / "figures")


def test_a_second_run_changes_nothing(first_run):
    before = digests(first_run)
    assert main(["figures", "--out", str(first_run), "--quiet", "--only", "03", "--only", "06"]) == 0
    assert digests(first_run) == before


def test_notebooks_are_thin_and_clean():
    import nbformat

    for path in notebooks(ROOT / "notebooks"):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert "parameters" in code[0].metadata.get("tags", []), path.name
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), path.name
        assert all("../" not in c.source for c in nb.cells), path.name
    assert not list((ROOT / "notebooks").rglob(".ipynb_checkpoints"))


def test_paths_resolve_from_the_project_root(monkeypatch):
    monkeypatch.chdir(ROOT / "notebooks")
    assert project_root() == ROOT
    assert project_path("seeds") == ROOT / "seeds"


def test_a_notebook_without_parameters_cell_is_an_error():
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    with pytest.raises(FramingError, match="no cell tagged 'parameters'"):
        _inject(nb, {"CORPUS": "seeds"})
