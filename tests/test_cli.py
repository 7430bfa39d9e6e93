import io

import pandas as pd
import pytest

from framing.cli import main
from tests.conftest import SEEDS


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_features_prints_tidy_csv_with_metadata(capsys):
    code, out, err = run(capsys, "features", str(SEEDS))
    assert code == 0
    table = pd.read_csv(io.StringIO(out))
    assert len(table) == 5 * 11
    assert {"outlet", "affiliation", "category", "count", "n_tokens", "per_1k"} <= set(table.columns)
    regime_doc = table[(table.doc_id == "002_a6a484f61ac67de1") & (table.category == "state_delegitimizing")]
    assert regime_doc["count"].tolist() == [1]


def test_features_keeps_only_the_metadata_asked_for(capsys):
    code, out, _ = run(capsys, "features", str(SEEDS), "--meta", "outlet")
    assert code == 0
    assert list(pd.read_csv(io.StringIO(out)).columns[:3]) == ["doc_id", "outlet", "family"]
    code, out, _ = run(capsys, "features", str(SEEDS), "--meta")
    assert list(pd.read_csv(io.StringIO(out)).columns[:2]) == ["doc_id", "family"]
    code, out, err = run(capsys, "features", str(SEEDS), "--meta", "source")
    assert code != 0 and out == ""
    assert err.strip() == "framing: error: unknown column 'source'; available: doc_id, file, outlet, affiliation, date, evidence"


def test_features_count_found_again_through_explain(capsys, tmp_path):
    out_csv = tmp_path / "f.csv"
    assert run(capsys, "features", str(SEEDS), "-o", str(out_csv))[0] == 0
    features = pd.read_csv(out_csv)
    code, out, _ = run(capsys, "explain", str(SEEDS), "--lexicon", "framing", "--category", "state_delegitimizing")
    matches = pd.read_csv(io.StringIO(out))
    expected = features[features.category == "state_delegitimizing"].set_index("doc_id")["count"]
    assert matches.groupby("doc_id").size().reindex(expected.index, fill_value=0).tolist() == expected.tolist()


def test_explain_one_document(capsys):
    code, out, _ = run(capsys, "explain", str(SEEDS), "--doc", "002_a6a484f61ac67de1", "--category", "state_delegitimizing")
    rows = pd.read_csv(io.StringIO(out))
    assert rows[["pattern", "text"]].values.tolist() == [["regime*", "regime"]]


def test_lexicons_listing_and_detail(capsys):
    code, out, _ = run(capsys, "lexicons")
    assert code == 0 and "framing" in out and "0.1.0" in out
    code, out, _ = run(capsys, "lexicons", "framing")
    assert "state_delegitimizing (22 terms, 2 exclusions)" in out
    assert "mullah*: religion_clergy, state_delegitimizing" in out


def test_corpus_summary_shows_cleaning(capsys):
    code, out, _ = run(capsys, "corpus", str(SEEDS))
    assert code == 0
    assert "cleaning removed 29 lines" in out
    assert "related_headlines" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["features", "nowhere"], "framing: error: nowhere: no such file or folder"),
        (["features", str(SEEDS), "--lexicon", "nope"], "framing: error: unknown lexicon 'nope'"),
        (["explain", str(SEEDS), "--category", "nope"], "framing: error: lexicon 'framing' has no category 'nope'"),
        (["explain", str(SEEDS), "--doc", "zz"], "framing: error: unknown doc_id 'zz'"),
    ],
)
def test_errors_are_one_line_without_traceback(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith(message)
    assert err.count("\n") == 1 and "Traceback" not in err


def test_table_corpus_with_unknown_text_column(capsys, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,body\n1,The regime.\n")
    code, out, err = run(capsys, "features", str(path))
    assert code == 2
    assert err == f"framing: error: {path}: unknown text column 'text'; available: id, body\n"
    code, out, err = run(capsys, "features", str(path), "--text-col", "body", "--id-col", "id")
    assert code == 0 and pd.read_csv(io.StringIO(out))["doc_id"].unique().tolist() == [1]


def test_warnings_are_one_line(capsys, tmp_path):
    (tmp_path / "a.txt").write_bytes(b"bad \xff byte")
    code, out, err = run(capsys, "features", str(tmp_path))
    assert code == 0
    assert err.startswith("framing: warning: ") and "invalid UTF-8 at byte 4" in err
    assert err.count("\n") == 1


def test_help_on_every_command(capsys):
    for command in ("features", "explain", "lexicons", "corpus"):
        with pytest.raises(SystemExit) as exc:
            main([command, "--help"])
        assert exc.value.code == 0
        assert "usage: framing " + command in capsys.readouterr().out


def test_keyness_command(capsys, tmp_path):
    out_csv = tmp_path / "k.csv"
    code, _, err = run(capsys, "keyness", str(SEEDS), "--by", "affiliation", "--measure", "log_ratio",
                       "--ngrams", "1-2", "--top", "5", "-o", str(out_csv))
    assert code == 0 and "wrote 10 rows" in err
    table = pd.read_csv(out_csv)
    assert table.groupby("affiliation").size().to_dict() == {"movement": 5, "outside": 5}
    assert {"count_target", "count_reference", "n_target", "n_reference", "log_ratio", "docs_target"} <= set(table.columns)


def test_keyness_command_errors(capsys):
    code, _, err = run(capsys, "keyness", str(SEEDS), "--by", "outlet", "--target", "Nope")
    assert code == 2 and err.startswith("framing: error: unknown target group 'Nope' in column 'outlet'")
    code, _, err = run(capsys, "keyness", str(SEEDS), "--by", "colour")
    assert code == 2 and "unknown column 'colour'; available: doc_id, file, outlet" in err
    code, _, err = run(capsys, "keyness", str(SEEDS), "--by", "outlet", "--ngrams", "x")
    assert code == 2 and "--ngrams must look like 1-2" in err


def test_kwic_command_prints_aligned_lines(capsys):
    code, out, _ = run(capsys, "kwic", str(SEEDS), "allegedly", "--by", "outlet", "--window", "4")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].startswith("unattributed") and "[allegedly]" in lines[0]
    assert len({line.index("[") for line in lines}) == 1  # aligned
    code, out, err = run(capsys, "kwic", str(SEEDS), "zzzz")
    assert code == 0 and err == "framing: no match for 'zzzz'\n"


def test_features_families(capsys, tmp_path):
    out_csv = tmp_path / "all.csv"
    assert run(capsys, "features", str(SEEDS), "--family", "all", "-o", str(out_csv))[0] == 0
    table = pd.read_csv(out_csv)
    assert table.groupby("family").size().to_dict() == {"actors": 150, "lexicon": 55, "sentiment": 20, "stance": 115}
    code, out, _ = run(capsys, "features", str(SEEDS), "--lexicon", "stance")
    stance = pd.read_csv(io.StringIO(out))
    assert set(stance["family"]) == {"stance"} and set(stance["voice"]) == {"author", "quoted", "all"}


def test_explain_stance_and_actors(capsys):
    code, out, _ = run(capsys, "explain", str(SEEDS), "--lexicon", "stance", "--category", "attribution_distancing",
                       "--doc", "002_a6a484f61ac67de1")
    rows = pd.read_csv(io.StringIO(out))
    assert rows["text"].tolist() == ["purporting to", "allegedly", "It is said", "claims"]
    assert set(rows["voice"]) == {"author"}
    code, out, _ = run(capsys, "explain", str(SEEDS), "--lexicon", "actors", "--category", "opposition.delegitimizing")
    rows = pd.read_csv(io.StringIO(out))
    # every delegitimizing label of the movement in the seeds is the regime's, quoted
    assert rows[["doc_id", "text", "voice"]].values.tolist() == [
        ["001_5362e26c78fa2d5c", "counter-revolutionary groups", "quoted"], ["001_5362e26c78fa2d5c", "Grouplets", "quoted"],
        ["001_5362e26c78fa2d5c", "enemies of the people", "quoted"], ["001_5362e26c78fa2d5c", "ill-wishers", "quoted"],
        ["004_2c98d8f5424ccb93", "terrorists", "quoted"],
    ]


def test_lexicon_commands(capsys, tmp_path):
    code, _, err = run(capsys, "lexicon", "new", "mine", "--folder", str(tmp_path))
    assert code == 0 and "mine.toml" in err
    code, _, err = run(capsys, "lexicon", "new", "mine", "--folder", str(tmp_path))
    assert code == 2 and "exists already" in err
    code, out, _ = run(capsys, "lexicon", "check", str(tmp_path / "mine.toml"), "--corpus", str(SEEDS))
    assert code == 0 and "never matched (2)" in out
    (tmp_path / "bad.toml").write_text('[meta]\nname = "b"\n[categories.c]\nterms = ["re*x"]\n')
    code, _, err = run(capsys, "lexicon", "check", str(tmp_path / "bad.toml"))
    assert code == 2 and err.startswith("framing: error: ") and "'*' inside a word" in err
    code, out, err = run(capsys, "lexicon", "suggest", "framing", "state_delegitimizing", "--corpus", str(SEEDS), "-n", "5")
    assert code == 0 and "weak" in err and len(out.strip().splitlines()) == 6
    (tmp_path / "two.csv").write_text("term,category\nregime*,d\n")
    code, _, _ = run(capsys, "lexicon", "convert", str(tmp_path / "two.csv"), str(tmp_path / "two.toml"))
    assert code == 0 and 'terms = [\n    "regime*",\n]' in (tmp_path / "two.toml").read_text()


def test_explain_html(capsys, tmp_path):
    page = tmp_path / "p.html"
    code, out, err = run(capsys, "explain", str(SEEDS), "--lexicon", "stance", "--html", str(page), "--by", "outlet")
    assert code == 0 and out == "" and "highlighted matches" in err
    assert page.read_text().count("<mark") > 50


def test_usage_errors_and_unwritable_output_are_one_line(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["keyness", str(SEEDS), "--by", "outlet", "--measure", "nope"])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and err.count("\n") == 1
    assert err.startswith("framing keyness: error: argument --measure: invalid choice: 'nope'")
    code, _, err = run(capsys, "features", str(SEEDS), "-o", "/nonexistent/dir/x.csv")
    assert code == 2 and err.startswith("framing: error: /nonexistent/dir/x.csv: cannot write (") and "None" not in err


def test_compare_command_rates_and_contrast(capsys, tmp_path):
    out = tmp_path / "rates.csv"
    code, _, err = run(capsys, "compare", str(SEEDS), "--by", "affiliation", "--n-boot", "200", "-o", str(out))
    assert code == 0, err
    rates = pd.read_csv(out, keep_default_na=False)
    assert list(rates.columns[:9]) == ["affiliation", "family", "lexicon", "category", "voice", "count", "n_tokens",
                                       "per_1k", "ci_low"]
    row = rates.set_index(["affiliation", "category"]).loc[("outside", "state_delegitimizing")]
    # the outside report: one delegitimizing state label in 373 words (the same figures as framing features)
    assert (row["count"], row["n_tokens"], row["n_docs"]) == (1, 373, 1)
    assert row["ci_low"] <= row["per_1k"] <= row["ci_high"]
    code, outp, err = run(capsys, "compare", str(SEEDS), "--by", "affiliation", "--family", "all", "--target", "outside",
                          "--n-perm", "200")
    contrast = pd.read_csv(io.StringIO(outp), keep_default_na=False)
    assert code == 0 and set(contrast["family"]) == {"lexicon", "stance", "actors"}
    assert {"difference", "log2_ratio", "difference_low", "log2_ratio_low", "p_value", "p_adjusted"} <= set(contrast.columns)
    assert set(contrast["target"]) == {"outside"} and set(contrast["reference"]) == {"movement"}  # the rest is one group
    code, _, err = run(capsys, "compare", str(SEEDS), "--by", "affiliation", "--reference", "movement")
    assert code == 2 and err == "framing: error: --reference needs --target; give --target G, or neither for every group's rates\n"


def test_the_command_line_starts_without_loading_what_counting_does_not_need():
    import subprocess
    import sys

    code = ("import sys, framing.cli, framing.engine, framing.features\n"
            "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'nltk', 'matplotlib', 'statsmodels'})\n"
            "heavy += ['scipy.stats'] if 'scipy.stats' in sys.modules else []\n"
            "print(' '.join(heavy))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == ""
