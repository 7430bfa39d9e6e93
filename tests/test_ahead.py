"""Passes counted ahead of a run's notebooks (framing.ahead): notebook 09's passages, counted in a
process of its own with the parameters the run gives the notebook, are the ones the notebook's own
call reads back; the process is silent, started only for the notebooks framing ships, and ends
with the run."""

import io
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

import framing.features.reuse as reuse_module
from framing.ahead import count_ahead, main
from framing.cache import CACHE_VARIABLE
from framing.documents.corpus import load_corpus
from framing.features.reuse import reuse
from framing.views.gallery import _Ahead, cell_parameters, notebooks, shipped_notebooks
from tests.conftest import SEEDS

REUSE_NOTEBOOK = shipped_notebooks() / "09_reuse.ipynb"


def _steps(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("given", [{}, {"REUSE_MIN_WORDS": 20, "TIME": None}])
def test_notebook_09_reads_the_passages_counted_ahead_with_its_own_call(given, tmp_path, monkeypatch):
    """count_ahead with notebook 09's parameters (its cell's, the run's over them) remembers the passages
    under the key the notebook's own steps ask for: run after it, they count nothing and get the
    passages the notebook counts without it (on the seeds, with the cell's 15 words: two)."""
    parameters = {**cell_parameters(REUSE_NOTEBOOK), "CORPUS": str(SEEDS), **given}
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    expected = reuse(load_corpus(SEEDS), min_words=parameters["REUSE_MIN_WORDS"], time=parameters["TIME"])
    assert len(expected) == 2 or given
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    count_ahead({"09": parameters, "01": parameters})
    [entry] = (tmp_path / "cache").iterdir()
    assert (entry / "passages.parquet").is_file()

    steps = _steps(REUSE_NOTEBOOK)
    call = next(i for i, step in enumerate(steps) if "framing.reuse(" in step)  # the notebook's own call
    counted = []
    monkeypatch.setattr(reuse_module, "_passages", lambda *a, **k: counted.append(1))  # a count fails the test
    namespace = dict(parameters)
    for step in steps[1 : call + 1]:
        exec(step, namespace)  # noqa: S102 - the shipped notebook's own steps
    assert counted == []
    pd.testing.assert_frame_equal(namespace["passages"], expected, check_exact=True)


def test_nothing_is_counted_for_a_run_without_notebook_09(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    count_ahead({"01": {"CORPUS": str(SEEDS)}, "03": {"CORPUS": str(SEEDS)}})
    assert not (tmp_path / "cache").exists()


def test_the_process_is_silent_and_says_by_its_code_whether_the_pass_is_remembered(tmp_path):
    """A corpus that does not load, a time column the corpus lacks: exit code 1 and not a word (the
    notebook that counts the pass says why); a pass remembered: 0."""
    env = {CACHE_VARIABLE: str(tmp_path / "cache")}
    ok = {"09": {"CORPUS": str(SEEDS), "REUSE_MIN_WORDS": 15, "TIME": None}}
    cases = [(ok, 0), ({"09": {**ok["09"], "CORPUS": str(tmp_path / "missing.csv")}}, 1),
             ({"09": {**ok["09"], "TIME": "no_such_column"}}, 1)]
    for asks, code in cases:
        done = subprocess.run([sys.executable, "-m", "framing.ahead"], input=json.dumps(asks), capture_output=True,
                              text=True, env={**os.environ, **env})
        assert (done.returncode, done.stdout, done.stderr) == (code, "", "")
    assert len(list((tmp_path / "cache").iterdir())) == 1


def test_main_in_process_returns_1_for_a_pass_it_cannot_count(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps({"09": {"CORPUS": "/no/such/corpus"}})))
    assert main([]) == 1 and capsys.readouterr() == ("", "")


def test_the_run_starts_it_for_the_shipped_notebooks_only_and_stops_it_as_the_run_ends(tmp_path):
    shipped = notebooks(shipped_notebooks())
    with _Ahead(tmp_path, shipped, {"CORPUS": str(SEEDS)}) as ahead:
        assert ahead.process is not None and set(ahead.asks) == {p.name[:2] for p in shipped}
        assert ahead.asks["09"]["REUSE_MIN_WORDS"] == cell_parameters(REUSE_NOTEBOOK)["REUSE_MIN_WORDS"]
        assert ahead.asks["09"]["CORPUS"] == str(SEEDS)  # the run's parameters over the cell's
    assert ahead.process.returncode is not None  # ended (or stopped) with the run, and reaped
    with _Ahead(tmp_path, [], {"CORPUS": str(SEEDS)}) as none:  # another folder's notebooks: nothing ahead
        assert none.process is None
    with _Ahead(tmp_path, shipped, {"CORPUS": object()}) as odd:  # a parameter JSON cannot hold: nothing ahead
        assert odd.process is None


def test_a_parameters_cell_that_does_not_parse_gives_no_parameters_and_no_traceback(tmp_path):
    """Read, not run: a cell with a syntax error, or a value that is no literal, gives what it can
    (the notebook's own run says what is wrong, in one line)."""
    import nbformat

    for source, expected in [("CORPUS = 'seeds'\nBY = (", {}), ("CORPUS = 'seeds'\nBY = pick()\nN = -3", {"CORPUS": "seeds", "N": -3})]:
        path = tmp_path / "09_a.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source, metadata={"tags": ["parameters"]})]), path)
        assert cell_parameters(path) == expected
