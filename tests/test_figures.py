"""`framing figures` runs every notebook on the seeds and reproduces the committed figures byte for byte."""

import hashlib
import json
from pathlib import Path

import pytest

from framing.cli import main
from framing.errors import FramingError
from framing.views.gallery import _inject, notebooks, project_path, project_root
from tests.conftest import ROOT

OUTPUTS = ("*.png", "*.csv", "*.tex", "*.html", "methods.md", "references.bib")  # run.json: its paths are the folder's
EXPECTED = sorted(p.name for pattern in OUTPUTS for p in (ROOT / "figures").glob(pattern))


def digests(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for pattern in OUTPUTS for p in sorted(folder.glob(pattern))}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    import contextlib
    import io

    out = tmp_path_factory.mktemp("figures")
    said = io.StringIO()
    with contextlib.redirect_stderr(said):
        assert main(["figures", "--out", str(out), "--quiet"]) == 0
    assert " layout: " not in said.getvalue(), said.getvalue()  # no chart of the seeds has clipped or overlapping text
    return out


def test_every_notebook_runs_and_makes_the_expected_files(first_run):
    # 21 charts and the values each draws, the matches of 07, the shared passages of 09, the explorer of 10
    assert len(EXPECTED) == 54  # 7 LaTeX tables of the comparisons, and the run's methods paragraph and references
    charts = {p.removesuffix(".png") for p in EXPECTED if p.endswith(".png")}
    assert charts == {p.removesuffix(".csv") for p in EXPECTED if p.endswith(".csv")}
    assert sorted(p.name for pattern in OUTPUTS for p in first_run.glob(pattern)) == EXPECTED


def test_output_equals_the_committed_figures(first_run):
    assert digests(first_run) == digests(ROOT / "figures")
    # the run records name the same outputs with the same bytes, the same notebooks, settings and software
    made, committed = (json.loads((folder / "run.json").read_text(encoding="utf-8")) for folder in (first_run, ROOT / "figures"))
    assert made["outputs"] == committed["outputs"] and made["notebooks"] == committed["notebooks"]
    assert made["software"] == committed["software"]
    assert sorted(made["inputs"].values()) == sorted(committed["inputs"].values())  # the same files, seen from elsewhere


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


def test_the_notebooks_prose_reads_right_on_any_corpus():
    """The seeds' particulars (one article per outlet, one outside document, a small corpus) are not
    stated as facts of the corpus at hand; the seeds are named only as the example of their own study."""
    import re

    import nbformat

    for path in notebooks(ROOT / "notebooks"):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "markdown":
                continue
            text = cell.source.lower()
            for phrase in ("one outside document", "one article per", "one document per group", "a corpus this small",
                           "five outlets", "five articles", "the seed corpus"):
                assert phrase not in text, (path.name, phrase)
            for mention in re.finditer(r"(?<!-)\bseeds?\b", text):  # not the option --seed
                around = text[max(0, mention.start() - 40):mention.end() + 12]
                assert "seeds'" in around or "the same seed" in around, (path.name, around)


def test_paths_resolve_from_the_project_root(monkeypatch):
    monkeypatch.chdir(ROOT / "notebooks")
    assert project_root() == ROOT
    assert project_path("seeds") == ROOT / "seeds"


def test_a_notebook_without_parameters_cell_is_an_error():
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    with pytest.raises(FramingError, match="no cell tagged 'parameters'"):
        _inject(nb, {"CORPUS": "seeds"})


def _notebook(path: Path, *cells: str) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("OUT = None", metadata={"tags": ["parameters"]}),
                                         *(nbformat.v4.new_code_cell(c) for c in cells)])
    nbformat.write(nb, path)


def test_a_failing_cell_is_one_line_naming_notebook_and_cell_and_the_run_stops_with_no_kernel_left(tmp_path):
    import psutil

    from framing.views.gallery import run_notebooks

    _notebook(tmp_path / "01_fails.ipynb", "x = 1", "1 / 0")
    _notebook(tmp_path / "02_never.ipynb", "open('ran', 'w').write('yes')")
    with pytest.raises(FramingError) as raised:
        run_notebooks({}, folder=tmp_path, workdir=tmp_path, progress=False)
    # the file's third cell, counted from 1 (the parameters cell is the first)
    assert str(raised.value) == "01_fails.ipynb: cell 3 failed: ZeroDivisionError: division by zero"
    assert not (tmp_path / "ran").exists()
    assert not [p for p in psutil.Process().children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]


def test_each_notebook_runs_in_a_fresh_kernel_started_while_the_one_before_runs(tmp_path):
    """A notebook's kernel is started while the notebook before it runs, and makes the notebook's first
    step as it starts when that step only imports (its 0.6 s start and framing's import off the run's
    path); yet it is a process of its own that ran nothing of the notebook before: what one notebook
    leaves in its interpreter (a module's state, an import) is not in the next; no kernel is left. Each
    imports NLTK as the command line does, its optional libraries deferred."""
    import json

    import psutil

    from framing.views.gallery import run_notebooks

    (tmp_path / "marker.py").write_text("import time\nIMPORTED = time.time()\n", encoding="utf-8")
    record = ("import json, os, sys, time, builtins, psutil\n"
              "json.dump({'pid': os.getpid(), 'started': psutil.Process().create_time(), 'ended': time.time(),\n"
              "           'leak': hasattr(builtins, 'LEAK'), 'tabnanny': 'tabnanny' in sys.modules,\n"
              "           'imported': sys.modules['marker'].IMPORTED if 'marker' in sys.modules else None,\n"
              "           'nltk_alone': bool(__import__('nltk.tokenize.punkt')) and 'scipy.stats' not in sys.modules},\n"
              "          open(NAME + '.json', 'w'))")
    _notebook(tmp_path / "01_first.ipynb", "import builtins, tabnanny\nbuiltins.LEAK = 1", "NAME = 'first'",
              "import time\ntime.sleep(1.5)", record)
    _notebook(tmp_path / "02_second.ipynb", "import marker", "NAME = 'second'", record)
    run_notebooks({}, folder=tmp_path, workdir=tmp_path, progress=False)
    first, second = (json.loads((tmp_path / f"{n}.json").read_text()) for n in ("first", "second"))
    assert first["leak"] and first["tabnanny"] and first["imported"] is None
    assert first["pid"] != second["pid"] and not second["leak"] and not second["tabnanny"]
    assert second["started"] < first["ended"]  # started before the first notebook's last cell had run
    assert second["imported"] < first["ended"]  # and its first step, imports only, made then
    assert first["nltk_alone"] and second["nltk_alone"]  # NLTK without SciPy's statistics (framing.nltk_extras)
    assert not [p for p in psutil.Process().children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]


def test_a_first_step_is_made_ahead_only_when_it_only_imports(tmp_path):
    from framing.views.gallery import first_imports, notebooks, shipped_notebooks

    for path in notebooks(shipped_notebooks()):  # every shipped notebook begins with its imports
        assert first_imports(path).startswith("import framing\nfrom framing import figures"), path.name
    for first, ahead in [("import os", "import os"), ("import os\nx = 1", None), ("%matplotlib inline", None),
                         ("from os import path  # a comment", "from os import path  # a comment"), ("", None)]:
        _notebook(tmp_path / "01_a.ipynb", first, "y = 2")
        assert first_imports(tmp_path / "01_a.ipynb") == ahead


def test_the_same_analysis_runs_on_another_corpus(tmp_path):
    import pandas as pd

    texts = {
        "Daily A": ["The regime cracked down on protesters. Officials said the vote was fair.", "We must resist the sham election."],
        "Times B": ["The government announced results. Authorities reported turnout.", "The opposition claims fraud."],
    }
    rows = [{"id": f"{o[0]}{i}", "outlet": o, "body": t} for o, ts in texts.items() for i, t in enumerate(ts)]
    pd.DataFrame(rows).to_csv(tmp_path / "other.csv", index=False)
    out = tmp_path / "figs"
    assert main(["figures", "--corpus", str(tmp_path / "other.csv"), "--text-col", "body", "--by", "outlet",
                 "--lexicon", "framing", "--extension", "framing_plus", "--out", str(out), "--quiet",
                 "--only", "02", "--only", "07"]) == 0
    # the contrast column defaults to the grouping column here, so its heatmap (a repeat) is not drawn
    assert sorted(p.name for p in out.iterdir()) == [
        "02_lexicon_by_group.csv", "02_lexicon_by_group.png", "02_lexicon_by_group.tex", "02_lexicon_contrast.tex",
        "02_rate_ratios.tex", "07_extended_lexicon_by_group.csv", "07_extended_lexicon_by_group.png",
        "07_extended_lexicon_by_group.tex", "07_matches.html", "methods.md", "references.bib", "run.json",
    ]
    assert json.loads((out / "run.json").read_text())["settings"]["CORPUS"] == "../other.csv"  # relative: it can move


def test_the_gallery_is_written_only_for_the_seeds(tmp_path, capsys):
    other = tmp_path / "other.csv"
    other.write_text("text,outlet\nThe regime fell.,A\n", encoding="utf-8")
    before = digests(ROOT / "figures")
    assert main(["figures", "--corpus", str(other), "--quiet"]) == 2
    assert capsys.readouterr().err == (
        "framing: error: a run on another corpus needs --out DIR: the project's figures/ holds the seeds' gallery\n")
    assert main(["figures", "--corpus", str(other), "--out", str(ROOT / "figures"), "--quiet"]) == 2
    assert "the project's figures/ holds the seeds' gallery; write another corpus's figures elsewhere" in capsys.readouterr().err
    assert digests(ROOT / "figures") == before


def test_another_run_s_figures_are_replaced_only_with_force(tmp_path):
    from framing.views.gallery import check_figures_folder

    def write_run_record(out, settings):  # what framing.record.write_record keeps of a run's settings
        (out / "run.json").write_text(json.dumps({"settings": {k: v for k, v in settings.items() if k != "OUT"}}),
                                      encoding="utf-8")

    out = tmp_path / "figs"
    out.mkdir()
    (out / "01_documents.png").write_bytes(b"png")
    with pytest.raises(FramingError, match="figs holds 1 figures of an unknown run; pass --force to replace them"):
        check_figures_folder(str(out), corpus="/data/a.csv")
    assert check_figures_folder(str(out), corpus="/data/a.csv", force=True) == out.resolve()
    write_run_record(out, {"CORPUS": "/data/a.csv"})
    assert check_figures_folder(str(out), corpus="/data/a.csv") == out.resolve()  # the same corpus again
    with pytest.raises(FramingError, match="figs holds 1 figures of corpus /data/a.csv; pass --force"):
        check_figures_folder(str(out), corpus="/data/b.csv")
    # the same corpus with another lexicon or grouping: the charts would silently change, so --force too
    made = {"CORPUS": "/data/a.csv", "LEXICON": "mine.toml", "BY": "outlet", "OUT": str(out)}
    write_run_record(out, made)
    assert check_figures_folder(str(out), corpus="/data/a.csv", parameters={**made, "OUT": "elsewhere"}) == out.resolve()
    with pytest.raises(FramingError, match=r"figs holds 1 figures of /data/a.csv made with other parameters \(by, lexicon\); "
                                           "pass --force to replace them"):
        check_figures_folder(str(out), corpus="/data/a.csv", parameters={**made, "LEXICON": "other.toml", "BY": "party"})
    assert check_figures_folder(str(out), corpus="/data/a.csv", parameters={**made, "BY": "party"}, force=True)
    # a record edited by hand into something else is a one-line error, not a traceback
    (out / "run.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(FramingError, match="not a run record of framing figures"):
        check_figures_folder(str(out), corpus="/data/a.csv")
    (out / "run.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(FramingError, match="not a run record of framing figures"):
        check_figures_folder(str(out), corpus="/data/a.csv")


def test_figures_outside_the_project_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["figures", "--quiet"]) == 2
    assert capsys.readouterr().err == ("framing: error: no project folder here, so no seeds' gallery: give --corpus and --out, "
                                       "or a study file (framing.toml here, or --study FILE)\n")


def test_figures_run_from_any_folder_on_a_user_corpus_and_lexicon(tmp_path, monkeypatch, capsys):
    import pandas as pd

    work = tmp_path / "study"  # a researcher's own folder, outside the checkout
    work.mkdir()
    rows = [{"story": f"s{i}", "desk": desk, "body": text}
            for i, (desk, text) in enumerate([("home", "Taxes rose and the tax office closed."),
                                              ("home", "The budget cut taxes again."),
                                              ("world", "The summit ended; the budget talks failed."),
                                              ("world", "Leaders met at the summit.")])]
    pd.DataFrame(rows).to_csv(work / "news.csv", index=False)
    (work / "econ.toml").write_text(
        '[meta]\nname = "econ"\nversion = "0.1"\n[categories.fiscal]\nterms = ["tax*", "budget*"]\n'
        '[categories.diplomacy]\nterms = ["summit*", "talks"]\n', encoding="utf-8")
    monkeypatch.chdir(work)
    before = digests(ROOT / "figures")
    code = main(["figures", "--corpus", "news.csv", "--text-col", "body", "--id-col", "story", "--by", "desk",
                 "--lexicon", "econ.toml", "--lexicon", "framing", "--actors", "actors", "--out", "figs", "--quiet",
                 "--only", "02", "--only", "05", "--only", "07"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "notebook 07 is skipped" in err
    assert "no --sheet (a coded sheet of framing validate sample), so notebook 08 is skipped" in err
    # a corpus about taxes: the bundled actors lexicon (Iranian politics) names no actor, so its charts are not drawn
    assert "framing: 05_actors_sentiment: 05_actor_labels not drawn: the actors lexicon 'actors' names no actor" in err
    assert sorted(p.name for p in (work / "figs").glob("*.png")) == ["02_lexicon_by_group.png"]
    assert digests(ROOT / "figures") == before  # the gallery is untouched


def test_the_validation_notebook_runs_on_a_user_corpus_with_its_coded_sheet(tmp_path, monkeypatch, capsys):
    import pandas as pd

    monkeypatch.chdir(tmp_path)
    texts = ["The regime arrested bloggers.", "The government held an election.", "The regime banned a paper.",
             "Officials spoke of the vote.", "The election was a sham.", "Rain fell on the polls."]
    pd.DataFrame({"text": texts, "desk": ["a", "a", "a", "b", "b", "b"]}).to_csv("news.csv", index=False)
    assert main(["validate", "sample", "news.csv", "--per-term", "1", "--misses", "1", "-o", "sheet.csv"]) == 0
    sheet = pd.read_csv("sheet.csv", dtype=str, keep_default_na=False)
    sheet.assign(label="1").to_csv("sheet.csv", index=False)
    capsys.readouterr()
    code = main(["figures", "--corpus", "news.csv", "--by", "desk", "--sheet", "sheet.csv", "--lexicon", "framing",
                 "--out", "figs", "--quiet", "--only", "08"])
    assert code == 0, capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "figs").glob("*.png")) == ["08_precision.png", "08_true_match_rates.png"]
    # a sheet drawn from another corpus is refused, naming the item
    pd.DataFrame({"text": [t.upper() for t in texts], "desk": ["a"] * 6}).to_csv("other.csv", index=False)
    assert main(["figures", "--corpus", "other.csv", "--by", "desk", "--sheet", "sheet.csv", "--lexicon", "framing",
                 "--out", "figs2", "--quiet", "--only", "08"]) == 2
    assert "sheet.csv: item item00001: the text at" in capsys.readouterr().err
