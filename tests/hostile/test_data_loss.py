"""A user's files are never destroyed: outputs never replace inputs, and a write cut short leaves the old file."""

import shutil

import pandas as pd
import pytest

from framing.cli import main
from framing.errors import FramingError
from framing.output import atomic_path, refuse_inputs
from tests.conftest import SEEDS


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def corpus_csv(tmp_path):
    path = tmp_path / "same.csv"
    path.write_text("doc_id,text\na,The regime fell.\nb,Votes were counted.\n", encoding="utf-8")
    return path


def test_output_equal_to_the_corpus_table_is_refused(capsys, corpus_csv):
    before = corpus_csv.read_bytes()
    code, _, err = run(capsys, "features", str(corpus_csv), "-o", str(corpus_csv))
    assert code == 2
    assert err == (f"framing: error: {corpus_csv}: this is an input of the run ({corpus_csv}); writing -o there "
                   "would destroy it, so give another file name\n")
    assert corpus_csv.read_bytes() == before


def test_output_inside_the_corpus_folder_is_refused(capsys, tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    doc = next(folder.glob("000_*.txt"))
    before = doc.read_bytes()
    for command in (["features"], ["explain"], ["keyness", "--by", "outlet"], ["kwic", "regime"]):
        code, _, err = run(capsys, command[0], str(folder), *command[1:], "-o", str(doc))
        assert code == 2 and err.count("\n") == 1
        assert f"this output lies inside the input folder {folder}" in err
    assert doc.read_bytes() == before
    code, _, err = run(capsys, "explain", str(folder), "--html", str(folder / "page.html"))
    assert code == 2 and "inside the input folder" in err and not (folder / "page.html").exists()


def test_output_through_a_symlink_to_the_input_is_refused(tmp_path, corpus_csv):
    link = tmp_path / "link.csv"
    link.symlink_to(corpus_csv)
    with pytest.raises(FramingError, match="this is an input of the run"):
        refuse_inputs(link, [str(corpus_csv)])


def test_output_equal_to_a_lexicon_or_cleaning_rules_is_refused(capsys, tmp_path):
    lexicon = tmp_path / "mine.toml"
    lexicon.write_text('[meta]\nname = "mine"\n[categories.x]\nterms = ["regime"]\n', encoding="utf-8")
    code, _, err = run(capsys, "features", str(SEEDS), "--lexicon", str(lexicon), "-o", str(lexicon))
    assert code == 2 and "this is an input of the run" in err
    assert lexicon.read_text(encoding="utf-8").startswith("[meta]")


def test_interrupted_write_keeps_the_complete_file_and_leaves_no_partial_file(capsys, tmp_path, monkeypatch):
    out = tmp_path / "features.csv"
    out.write_text("a complete earlier result\n", encoding="utf-8")
    from framing.output import TableWriter

    real = TableWriter.write

    def cut_short(self, frame):
        real(self, frame)  # some rows are on disk ...
        raise KeyboardInterrupt  # ... when the user presses Ctrl-C (or SIGTERM arrives)

    monkeypatch.setattr(TableWriter, "write", cut_short)
    code, _, err = run(capsys, "features", str(SEEDS), "-o", str(out), "--force")
    assert code == 130 and err == "framing: interrupted\n"
    assert out.read_text(encoding="utf-8") == "a complete earlier result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["features.csv"]


def test_sigterm_unwinds_like_ctrl_c(tmp_path):
    import signal

    from framing.cli import _terminated

    with pytest.raises(KeyboardInterrupt):
        _terminated(signal.SIGTERM, None)
    target = tmp_path / "x.csv"
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as tmp:
        tmp.write_text("half")
        _terminated(signal.SIGTERM, None)
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("old")
    target.chmod(0o640)
    with atomic_path(target) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "new" and (target.stat().st_mode & 0o777) == 0o640


def test_lexicon_convert_refuses_to_overwrite_without_force(capsys, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("term,category\nregime,state\n", encoding="utf-8")
    target = tmp_path / "out.toml"
    target.write_text("# my edits\n", encoding="utf-8")
    code, _, err = run(capsys, "lexicon", "convert", str(source), str(target))
    assert code == 2
    assert err == f"framing: error: {target} exists already; choose another name, or pass --force to replace it\n"
    assert target.read_text(encoding="utf-8") == "# my edits\n"
    code, _, err = run(capsys, "lexicon", "convert", str(source), str(target), "--force")
    assert code == 0 and 'terms = [\n    "regime",\n]' in target.read_text(encoding="utf-8")


def test_lexicon_convert_onto_its_own_source_is_refused(capsys, tmp_path):
    source = tmp_path / "mine.toml"
    source.write_text('[meta]\nname = "mine"\n[categories.x]\nterms = ["regime"]\n', encoding="utf-8")
    code, _, err = run(capsys, "lexicon", "convert", str(source), str(source), "--force")
    assert code == 2 and "this is an input of the run" in err


def test_figures_are_written_atomically(tmp_path):
    from framing.views.figures import canvas, save

    fig, ax = canvas()
    ax.plot([0, 1], [0, 1])
    path = save(fig, tmp_path, "line")
    assert path.read_bytes().startswith(b"\x89PNG") and sorted(p.name for p in tmp_path.iterdir()) == ["line.png"]


def test_a_metadata_column_that_appears_late_is_in_every_batch(tmp_path):
    """One schema per output, decided before the first row: a key that JSONL rows bring only after the first
    batch, or a column only the second Parquet file has, is a column of every batch (empty where absent), so
    the CSV's rows never shift and Parquet keeps it; every --batch-mb gives the same table."""
    import json

    from framing.cli import main

    rows = [{"doc_id": f"d{i}", "text": "The regime fell. " * 20} for i in range(30)]
    rows += [{"doc_id": f"e{i}", "text": "Officials met. " * 20, "outlet": "B"} for i in range(30)]
    jsonl = tmp_path / "late.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    tables = {}
    for mb in ("0.001", "100"):
        out = tmp_path / f"f{mb}.csv"
        assert main(["features", str(jsonl), "--batch-mb", mb, "--jobs", "1", "--quiet", "-o", str(out)]) == 0
        tables[mb] = out.read_text(encoding="utf-8")
        table = pd.read_csv(out, keep_default_na=False)
        assert list(table.columns[:3]) == ["doc_id", "outlet", "family"]
        assert set(table.loc[table["doc_id"].str.startswith("e"), "outlet"]) == {"B"}
        assert set(table.loc[table["doc_id"].str.startswith("d"), "outlet"]) == {""}
        assert set(table["family"]) == {"lexicon"}  # no row shifted one column left
    assert tables["0.001"] == tables["100"]
    folder = tmp_path / "parts"
    folder.mkdir()
    pd.DataFrame(rows[:30]).to_parquet(folder / "a.parquet", index=False)
    pd.DataFrame(rows[30:]).to_parquet(folder / "b.parquet", index=False)
    out = tmp_path / "parts.parquet"
    assert main(["features", str(folder), "--jobs", "1", "--quiet", "-o", str(out)]) == 0
    table = pd.read_parquet(out)
    assert "outlet" in table.columns and set(table.loc[table["doc_id"].str.startswith("e"), "outlet"]) == {"B"}


def test_second_round_outputs_never_replace_what_a_run_reads(tmp_path, monkeypatch, capsys):
    """A user lexicon found by name (search path, FRAMING_LEXICON_PATH, extends), a coded sheet, a corpus given as a
    file:// URL or its folder, and two outputs of one run named alike: each is refused in one line, nothing written."""
    from tests.conftest import SEEDS

    monkeypatch.chdir(tmp_path)
    (tmp_path / "lexicons").mkdir()
    mine = tmp_path / "lexicons" / "mine.toml"
    mine.write_text('[meta]\nname = "mine"\nversion = "1"\n[categories.c]\nterms = ["regime*"]\n', encoding="utf-8")
    child = tmp_path / "lexicons" / "child.toml"
    child.write_text('[meta]\nname = "child"\nversion = "1"\nextends = "mine"\n[categories.d]\nterms = ["vote"]\n',
                     encoding="utf-8")
    before = mine.read_bytes()
    for command in (["features", str(SEEDS), "--lexicon", "mine", "-o", "lexicons/mine.toml"],
                    ["features", str(SEEDS), "--lexicon", "child", "-o", "lexicons/mine.toml"],
                    ["lexicon", "check", "mine", "--corpus", str(SEEDS), "-o", "lexicons/mine.toml"],
                    ["lexicon", "check", "mine", "-o", "lexicons/mine.toml"]):
        code, _, err = run(capsys, *command)
        assert code == 2 and "this is an input of the run" in err, (command, err)
    assert mine.read_bytes() == before
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "theirs.toml").write_text(before.decode(), encoding="utf-8")
    monkeypatch.setenv("FRAMING_LEXICON_PATH", str(other))
    code, _, err = run(capsys, "features", str(SEEDS), "--lexicon", "theirs", "-o", str(other / "theirs.toml"))
    assert code == 2 and "this is an input of the run" in err
    # a coded sheet is never replaced without --force, nor its page
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("hours of coding\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", "sample", str(SEEDS), "--per-term", "1", "-o", str(sheet))
    assert code == 2 and "sheet.csv exists already (a coding sheet may hold hours of coding)" in err
    assert sheet.read_text(encoding="utf-8") == "hours of coding\n"
    (tmp_path / "fresh.html").write_text("my notes", encoding="utf-8")
    code, _, err = run(capsys, "validate", "sample", str(SEEDS), "--per-term", "1", "--blind", "-o", "fresh.csv")
    assert code == 2 and "fresh.html exists already" in err and not (tmp_path / "fresh.csv").exists()
    assert run(capsys, "validate", "sample", str(SEEDS), "--per-term", "1", "-o", str(sheet), "--force")[0] == 0
    # a corpus given as a file:// URL, and charts into the corpus folder
    corpus = tmp_path / "corpus.parquet"
    pd.DataFrame({"doc_id": ["a"], "text": ["The regime fell."]}).to_parquet(corpus, index=False)
    code, _, err = run(capsys, "features", corpus.as_uri(), "--engine", "dask", "--jobs", "1", "-o", str(corpus))
    assert code == 2 and "this is an input of the run" in err
    code, _, err = run(capsys, "figures", "--corpus", str(SEEDS), "--out", str(SEEDS), "--quiet")
    assert code == 2 and "lies inside the input folder" in err
    # two outputs of one run named alike
    code, _, err = run(capsys, "reuse", str(SEEDS), "--by", "outlet", "--matrix", "same.csv", "-o", "same.csv")
    assert code == 2 and err == "framing: error: -o and --matrix name the same file (same.csv); give each output its own name\n"
    code, _, err = run(capsys, "explain", str(SEEDS), "--html", "same.html", "-o", "same.html")
    assert code == 2 and "name the same file" in err and not (tmp_path / "same.html").exists()


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path, capsys, monkeypatch):
    evil = '=HYPERLINK("http://evil","x")'
    corpus = tmp_path / "c.csv"
    pd.DataFrame({"doc_id": [evil, "+cmd|' /C calc'!A0"], "outlet": ["@SUM(1)", "-2+3"],
                  "text": ["=1+1 The regime fell.", "Officials met."]}).to_csv(corpus, index=False)
    out = tmp_path / "f.csv"
    assert run(capsys, "features", str(corpus), "--jobs", "1", "--quiet", "-o", str(out))[0] == 0
    table = pd.read_csv(out, keep_default_na=False)
    assert set(table["doc_id"]) == {"'" + evil, "'+cmd|' /C calc'!A0"}
    assert set(table["outlet"]) == {"'@SUM(1)", "'-2+3"}
    assert pd.api.types.is_numeric_dtype(table["count"])  # numbers stay numbers
    # every other CSV writer too: a coding sheet, a concordance, a comparison
    assert run(capsys, "validate", "sample", str(corpus), "--per-term", "1", "-o", str(tmp_path / "s.csv"))[0] == 0
    sheet = pd.read_csv(tmp_path / "s.csv", keep_default_na=False)
    assert not sheet["doc_id"].str.startswith(("=", "+", "@")).any()
    code, out_text, _ = run(capsys, "kwic", str(corpus), "regime", "--by", "outlet")
    assert code == 0 and "\n@" not in out_text and ",@" not in out_text and ",=" not in out_text
    # and the raw cells for a pipeline that asks
    assert run(capsys, "--raw-csv", "features", str(corpus), "--jobs", "1", "--quiet", "-o", str(tmp_path / "raw.csv"))[0] == 0
    assert "FRAMING_RAW_CSV" not in __import__("os").environ  # the option was that run's only
    assert evil in set(pd.read_csv(tmp_path / "raw.csv", keep_default_na=False)["doc_id"])
    # Parquet stays raw
    assert run(capsys, "features", str(corpus), "--jobs", "1", "--quiet", "-o", str(tmp_path / "f.parquet"))[0] == 0
    assert evil in set(pd.read_parquet(tmp_path / "f.parquet")["doc_id"])


def test_an_output_that_exists_is_replaced_only_with_force(capsys, tmp_path):
    """Issue 23, 'what to build' 1: every writer, not only coding sheets."""
    out, page = tmp_path / "f.csv", tmp_path / "e.html"
    for path in (out, page):
        path.write_text("an earlier result\n", encoding="utf-8")
    for argv, path, option in ((["features", str(SEEDS), "-o", str(out)], out, "-o"),
                               (["explain", str(SEEDS), "--html", str(page), "-o", str(tmp_path / "m.csv")], page, "--html"),
                               (["compare", str(SEEDS), "--by", "outlet", "-o", str(out)], out, "-o")):
        code, _, err = run(capsys, *argv)
        assert code == 2 and err == f"framing: error: {path} exists already ({option}); pass --force to replace it, or choose another name\n"
        assert path.read_text(encoding="utf-8") == "an earlier result\n"
    code, _, err = run(capsys, "features", str(SEEDS), "-o", str(out), "--force")
    assert code == 0 and out.read_text(encoding="utf-8").startswith("doc_id,")
