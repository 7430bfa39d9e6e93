import io
import os

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
    """--top N keeps what keyness(top=N) keeps: each group's N most over-used terms (not under --min-count)
    and its N most under-used, with the whole comparison's numbers."""
    from framing.documents.corpus import load_corpus
    from framing.keywords.keyness import keyness

    out_csv = tmp_path / "k.csv"
    code, _, err = run(capsys, "keyness", str(SEEDS), "--by", "affiliation", "--measure", "log_ratio",
                       "--ngrams", "1-2", "--top", "5", "-o", str(out_csv))
    assert code == 0 and "wrote 20 rows" in err
    table = pd.read_csv(out_csv)
    assert {"count_target", "count_reference", "n_target", "n_reference", "log_ratio", "docs_target"} <= set(table.columns)
    for _, side in table.groupby("affiliation"):
        assert ((side["log_ratio"] > 0) & ~side["low_count"]).sum() == 5 and (side["log_ratio"] < 0).sum() == 5
    want = keyness(load_corpus(SEEDS), "affiliation", measure="log_ratio", ngram_range=(1, 2), top=5)
    assert table[["affiliation", "term", "count_target", "p_value"]].equals(
        want[["affiliation", "term", "count_target", "p_value"]].reset_index(drop=True))


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


# --------------------------------------------------------------------------- frames from coding


@pytest.fixture(scope="module")
def frame_model(tmp_path_factory):
    """A model trained by the CLI on the seeds' coded sheet (small cross-validation, to stay quick)."""
    folder = tmp_path_factory.mktemp("frames") / "model"
    assert main(["classify", "train", str(SEEDS / "frames" / "policy_coded.csv"), "--codebook", "policy_frames",
                 "--recipe", "logreg_c10", "--folds", "3", "--repeats", "2", "--n-boot", "100", "-o", str(folder)]) == 0
    return folder


def test_codebook_commands(capsys, tmp_path):
    code, out, _ = run(capsys, "codebook", "list")
    assert code == 0 and out.splitlines()[0].startswith("generic_frames\t1.0.0\t5 frames\t")
    code, out, _ = run(capsys, "codebook", "show", "policy_frames")
    assert code == 0 and "crime_punishment: Crime and punishment" in out
    code, _, err = run(capsys, "codebook", "new", "mine", "--folder", str(tmp_path))
    assert code == 0 and (tmp_path / "mine.toml").is_file()
    (tmp_path / "bad.toml").write_text("[meta]\nname = 'x'\n", encoding="utf-8")
    code, _, err = run(capsys, "codebook", "show", str(tmp_path / "bad.toml"))
    assert code != 0 and err.strip() == (f"framing: error: {tmp_path / 'bad.toml'}: [meta] version is missing or empty; "
                                         "a codebook carries its provenance (name, version, description, source, licence)")


def test_code_sample_is_the_same_bytes_for_the_same_seed_and_blind_keeps_a_key(capsys, tmp_path):
    args = ["code", "sample", str(SEEDS), "--codebook", "generic_frames", "--unit", "sentence", "--n", "20", "--by",
            "outlet", "--seed", "4"]
    assert run(capsys, *args, "-o", str(tmp_path / "a.csv"))[0] == 0
    assert run(capsys, *args, "-o", str(tmp_path / "b.csv"))[0] == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert "Does the text carry a moral message?" in (tmp_path / "a.html").read_text(encoding="utf-8")
    assert run(capsys, *args, "--blind", "-o", str(tmp_path / "blind.csv"))[0] == 0
    assert pd.read_csv(tmp_path / "blind.csv").columns[:2].tolist() == ["item_id", "text"]
    assert "outlet" in pd.read_csv(tmp_path / "blind.key.csv").columns
    code, _, err = run(capsys, *args, "-o", str(tmp_path / "a.csv"))
    assert code != 0 and "exists already" in err
    code, _, err = run(capsys, "code", "sample", str(SEEDS), "-o", str(tmp_path / "c.csv"))
    assert code != 0 and "which codebook?" in err


def test_classify_train_writes_plain_files_and_a_chart(frame_model):
    names = sorted(p.name for p in frame_model.iterdir())
    assert names == ["codebook.toml", "model.toml", "predictions.csv", "scores.csv", "scores_chart.csv", "scores_chart.png",
                     "sheet.csv"]
    scores = pd.read_csv(frame_model / "scores.csv")
    assert scores.loc[scores["frame"] == "political", "status"].item() == "trained"
    assert scores.loc[scores["frame"] == "economic", "status"].item().startswith("not trained: 1 positive")


def test_a_bad_sheet_cell_is_one_line(capsys, tmp_path):
    sheet = pd.read_csv(SEEDS / "frames" / "policy_coded.csv", dtype=str, keep_default_na=False)
    sheet.loc[3, "political"] = "maybe"
    sheet.to_csv(tmp_path / "bad.csv", index=False)
    code, _, err = run(capsys, "classify", "train", str(tmp_path / "bad.csv"), "--codebook", "policy_frames",
                       "-o", str(tmp_path / "m"))
    assert code != 0 and err.strip() == f"framing: error: {tmp_path / 'bad.csv'}: line 5, column political: 'maybe' is not 1, 0 or blank"


def test_apply_then_prevalence_and_two_jobs_give_the_table_of_one(capsys, tmp_path, frame_model):
    one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"
    assert run(capsys, "classify", "apply", str(SEEDS), "--model", str(frame_model), "-o", str(one), "--jobs", "1",
               "--quiet")[0] == 0
    assert run(capsys, "classify", "apply", str(SEEDS), "--model", str(frame_model), "-o", str(two), "--jobs", "2",
               "--quiet", "--batch-mb", "0.004")[0] == 0
    pd.testing.assert_frame_equal(pd.read_parquet(one), pd.read_parquet(two))
    units = pd.read_parquet(one)
    assert len(units) == 126 * 7 and {"outlet", "text", "probability", "label"} <= set(units.columns)
    code, out, err = run(capsys, "classify", "prevalence", str(one), "--by", "outlet", "--n-boot", "200",
                         "--contrasts", str(tmp_path / "c.csv"), "--chart", str(tmp_path / "p.png"))
    assert code == 0
    table = pd.read_csv(io.StringIO(out))
    assert len(table) == 5 * 7 and set(table["resampled"]) == {"units within documents"}
    assert "fewer than 5 documents had their units resampled" in err
    assert len(pd.read_csv(tmp_path / "c.csv")) == 10 * 7 and (tmp_path / "p.png").is_file()
    code, _, err = run(capsys, "classify", "prevalence", str(one), "--by", "desk")
    assert code != 0 and err.startswith(f"framing: error: {one}: no column 'desk'; its metadata columns: file, outlet")
    code, _, err = run(capsys, "classify", "prevalence", str(one), "--by", "outlet", "-o", str(tmp_path / "p.csv"),
                       "--chart", str(tmp_path / "p.png"), "--force")
    assert code != 0 and "writes the values it draws to" in err


def test_prevalence_refuses_a_parquet_framing_did_not_write(capsys, tmp_path):
    pd.DataFrame({"doc_id": ["a"], "outlet": ["A"]}).to_parquet(tmp_path / "x.parquet")
    code, _, err = run(capsys, "classify", "prevalence", str(tmp_path / "x.parquet"), "--by", "outlet")
    assert code != 0 and "not written by framing classify apply" in err
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, "classify", "apply", str(SEEDS), "--model", str(tmp_path / "empty"),
                       "-o", str(tmp_path / "u.parquet"))
    assert code != 0 and "not a frame model folder" in err


def test_the_frames_family_through_lexicon(capsys, frame_model):
    code, out, _ = run(capsys, "explain", str(SEEDS), "--lexicon", str(frame_model), "--category", "political")
    rows = pd.read_csv(io.StringIO(out))
    assert code == 0 and (rows["family"] == "frames").all() and (rows["category"] == "political").all()
    code, out, _ = run(capsys, "compare", str(SEEDS), "--lexicon", str(frame_model), "--by", "outlet", "--n-boot", "50")
    assert code == 0 and set(pd.read_csv(io.StringIO(out))["family"]) == {"frames"}
    page = frame_model.parent / "explore.html"
    code, _, err = run(capsys, "explore", str(SEEDS), "--lexicon", str(frame_model), "--by", "outlet", "-o", str(page))
    assert code == 0, err
    assert "model:political" in page.read_text(encoding="utf-8")


def test_active_sampling_adds_the_least_certain_units(capsys, tmp_path, frame_model):
    corpus = tmp_path / "corpus.csv"
    extra = pd.DataFrame({"doc_id": ["x1"], "outlet": ["X"],
                          "text": ["The regime arrested bloggers. Voters queued. Officials met in Paris. The ban was lifted."]})
    seeds = pd.read_csv(SEEDS / "manifest.csv")
    seeds["text"] = [(SEEDS / f).read_text(encoding="utf-8") for f in seeds["file"]]
    pd.concat([seeds[["doc_id", "outlet", "text"]], extra]).to_csv(corpus, index=False)
    code, _, err = run(capsys, "code", "sample", str(corpus), "--codebook", "policy_frames", "--active", "3",
                       "--model", str(frame_model), "-o", str(tmp_path / "more.csv"))
    assert code == 0, err
    more = pd.read_csv(tmp_path / "more.csv", dtype=str, keep_default_na=False)
    assert len(more) == 126 + 3 and (more["sample"].iloc[:126] == "random").all() and (more["sample"].iloc[126:] == "active").all()
    assert set(more["doc_id"].iloc[126:]) == {"x1"}  # every seeds sentence is coded already
    assert more["item_id"].iloc[126:].tolist() == ["unit00127", "unit00128", "unit00129"]
    uncertainty = more["uncertainty"].iloc[126:].astype(float).tolist()
    assert uncertainty == sorted(uncertainty, reverse=True)


# --------------------------------------------------------------------------- the same story


@pytest.fixture(scope="module")
def news_csv(tmp_path_factory):
    from tests.conftest import real_corpora

    path = tmp_path_factory.mktemp("news") / "news.csv"
    real_corpora().news_articles(per_outlet=120).to_csv(path, index=False)
    return path


def test_stories_agenda_and_within_from_the_command_line(capsys, tmp_path, news_csv):
    stories_csv, table_csv = tmp_path / "stories.csv", tmp_path / "story_table.csv"
    code, _, err = run(capsys, "stories", str(news_csv), "--by", "outlet", "--time", "date", "--window", "3D",
                       "-o", str(stories_csv), "--table", str(table_csv), "--min-outlets", "2")
    assert code == 0 and "covered by at least two groups of 'outlet'" in err
    assert (pd.read_csv(table_csv)["n_groups"] >= 2).all()
    with pytest.raises(SystemExit):
        main(["stories", str(news_csv), "--window", "3 days"])
    assert "expected a whole number of days" in capsys.readouterr().err
    docs = pd.read_csv(stories_csv)
    assert list(docs.columns) == ["doc_id", "outlet", "date", "story"] and len(docs) == 9 * 120
    code, out, _ = run(capsys, "agenda", str(stories_csv), "--by", "outlet", "--chart", str(tmp_path / "coverage.png"))
    coverage = pd.read_csv(io.StringIO(out))
    assert code == 0 and coverage["n_docs"].sum() == 9 * 120 and (tmp_path / "coverage.png").is_file()
    word = pd.read_csv(table_csv)["top_terms"].iloc[0].split()[0]  # the first word of a shared story's top terms
    code, out, err = run(capsys, "agenda", str(stories_csv), "--by", "outlet", "--topic", word, "--story-table",
                         str(table_csv))
    assert code == 0 and f"stories whose top terms hold {word}" in err
    assert pd.read_csv(io.StringIO(out))["n_docs"].sum() < 9 * 120
    code, out, err = run(capsys, "model", str(news_csv), "--by", "outlet", "--within", "story", "--stories",
                         str(stories_csv), "--reference", "cnn")
    table = pd.read_csv(io.StringIO(out))
    assert code == 0 and {"rate_ratio", "pooled_ratio", "n_stories", "n_docs"} <= set(table.columns)
    assert (table["reference"] == "cnn").all() and (table["within"] == "story").all()
    code, out, _ = run(capsys, "compare", str(news_csv), "--by", "outlet", "--target", "tass", "--within", "story",
                       "--stories", str(stories_csv))
    assert code == 0 and set(pd.read_csv(io.StringIO(out))["reference"]) == {"rest"}
    code, out, _ = run(capsys, "keyness", str(news_csv), "--by", "outlet", "--target", "tass", "--within", "story",
                       "--stories", str(stories_csv), "--top", "5")
    table = pd.read_csv(io.StringIO(out))  # the 5 most over- and 5 most under-used terms, by p-value
    assert code == 0 and (table["log2_ratio"] > 0).sum() == 5 and (table["log2_ratio"] < 0).sum() == 5
    assert table["p_value"].is_monotonic_increasing


def test_within_stories_without_copied_text(capsys, tmp_path, news_csv):
    """--exclude-reused --reuse-time: text an outlet copied from an earlier article (an agency's) is left out
    before the within-story comparison, so no outlet is credited with another's framing."""
    stories_csv = tmp_path / "stories.csv"
    assert run(capsys, "stories", str(news_csv), "--by", "outlet", "--time", "date", "-o", str(stories_csv))[0] == 0
    args = ["model", str(news_csv), "--by", "outlet", "--within", "story", "--stories", str(stories_csv), "--reference", "cnn"]
    code, out, _ = run(capsys, *args)
    whole = pd.read_csv(io.StringIO(out))
    code, out, err = run(capsys, *args, "--exclude-reused", "--reuse-time", "date")
    own = pd.read_csv(io.StringIO(out))
    assert code == 0 and "--exclude-reused left out" in err
    assert own["count"].sum() < whole["count"].sum()  # copied text counted no more


def test_within_errors_are_one_line(capsys, tmp_path, news_csv):
    code, _, err = run(capsys, "model", str(news_csv), "--by", "outlet", "--within", "story")
    assert code != 0 and "unknown column 'story'" in err and "--stories" in err
    partial = tmp_path / "partial.csv"
    pd.DataFrame({"doc_id": ["news1"], "story": ["s1"]}).to_csv(partial, index=False)
    code, _, err = run(capsys, "model", str(news_csv), "--by", "outlet", "--within", "story", "--stories", str(partial))
    assert code != 0 and f"framing: error: {partial}: no story for document" in err
    code, _, err = run(capsys, "compare", str(news_csv), "--by", "outlet", "--within", "story", "--stories", str(partial))
    assert code != 0 and "give --target G" in err
    code, _, err = run(capsys, "agenda", str(tmp_path / "missing.csv"), "--by", "outlet")
    assert code != 0 and "no such file; write it with framing stories" in err


def test_a_command_gives_back_the_memory_it_frees_and_its_children_inherit_that(monkeypatch, tmp_path):
    import pyarrow

    from framing.cli import MMAP_THRESHOLD, return_freed_memory

    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "mimalloc")  # the user's choice: kept
    before = pyarrow.default_memory_pool()
    try:
        return_freed_memory()
        assert os.environ["MALLOC_MMAP_THRESHOLD_"] == str(MMAP_THRESHOLD) == "1048576"
        assert os.environ["ARROW_DEFAULT_MEMORY_POOL"] == "mimalloc"
        assert pyarrow.default_memory_pool().backend_name == before.backend_name
        monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL")
        return_freed_memory()
        assert os.environ["ARROW_DEFAULT_MEMORY_POOL"] == "system"
        assert pyarrow.default_memory_pool().backend_name == "system"
    finally:
        pyarrow.set_memory_pool(before)


def _plans(word: str) -> str:
    import warnings

    print(f"planned {word}")
    print(f"said {word}", file=__import__("sys").stderr)
    warnings.warn(f"warned {word}", UserWarning)
    if word == "bad":
        from framing.errors import FramingError

        raise FramingError("a one-line reason")
    if word == "bug":
        raise KeyError("missing")
    if word == "lambda":
        return lambda: None  # cannot be pickled back to the parent
    return word.upper()


def test_a_step_run_in_a_child_process_says_and_returns_what_it_would_here(capsys):
    from framing.cli.commands import _in_child
    from framing.errors import FramingError

    with pytest.warns(UserWarning, match="warned ok"):
        assert _in_child(_plans, "ok") == "OK"
    assert capsys.readouterr() == ("planned ok\n", "said ok\n")
    with pytest.warns(UserWarning), pytest.raises(FramingError, match="^a one-line reason$"):
        _in_child(_plans, "bad")
    with pytest.warns(UserWarning), pytest.raises(KeyError) as raised:
        _in_child(_plans, "bug")
    assert "in the child process" in raised.value.__notes__[0]  # the child's traceback, for FRAMING_DEBUG
    with pytest.warns(UserWarning, match="warned lambda"), pytest.raises(RuntimeError, match="result could not be sent back"):
        _in_child(_plans, "lambda")  # said, not "ended without an answer"
    assert capsys.readouterr().out.endswith("planned lambda\n")


def test_figures_waits_beside_the_kernels_without_pandas_in_its_process(tmp_path):
    """The run is planned in a child process (the corpus's languages read there), so the process that
    waits while the notebooks run holds the notebook machinery only, not pandas and a corpus."""
    import subprocess
    import sys

    corpus = tmp_path / "news.csv"
    pd.DataFrame({"text": ["The regime fell.", "Officials said so."], "outlet": ["A", "B"]}).to_csv(corpus, index=False)
    script = ("import sys\n"
              "import framing.views.gallery as gallery\n"
              "def run(parameters, *, only, skip, progress):\n"
              "    print(sorted(m for m in ('pandas', 'numpy', 'pyarrow', 'framing.documents.corpus') if m in sys.modules),\n"
              "          parameters['CORPUS'] == sys.argv[-1], skip)\n"
              "    raise SystemExit(0)\n"
              "gallery.run_notebooks = run\n"
              "from framing.cli import main\n"
              "sys.exit(main(['figures', '--by', 'outlet', '--out', sys.argv[1], '--quiet', '--corpus', sys.argv[2]]))\n")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "figs"), str(corpus)], capture_output=True,
                          text=True, timeout=120)
    assert done.stdout == "[] True ['02', '05', '07', '08', '11', '13']\n", done.stderr
    assert "so notebook 13 (across languages) is skipped" in done.stderr  # said in the child, relayed


def test_a_command_splits_sentences_without_loading_scipy_stats_or_sklearn_and_counts_the_same(tmp_path):
    """The command line imports NLTK with its optional libraries deferred (framing.nltk_extras): a
    command that splits sentences, in two worker processes, loads none of SciPy's statistics, its sparse
    matrices and scikit-learn, and writes the bytes a process writes with NLTK imported whole."""
    import subprocess
    import sys

    script = ("import sys\nif sys.argv[1] == 'whole':\n    import nltk\nfrom framing.cli import main\nrc = main(sys.argv[2:])\n"
              "print(sorted(m for m in ('scipy.sparse', 'scipy.stats', 'sklearn') if m in sys.modules), 'nltk' in sys.modules)\n"
              "sys.exit(rc)\n")
    outputs = {}
    for how in ("lean", "whole"):
        done = subprocess.run([sys.executable, "-c", script, how, "features", str(SEEDS), "--family", "all", "--jobs", "2",
                               "-o", str(tmp_path / f"{how}.csv")], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        outputs[how] = done.stdout
    assert outputs == {"lean": "[] True\n", "whole": "['scipy.sparse', 'scipy.stats', 'sklearn'] True\n"}
    assert (tmp_path / "lean.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()


def test_the_installed_command_is_main_then_an_end_without_the_last_collections(tmp_path):
    """``framing`` and ``python -m framing`` run main, then freeze what the process holds so that the
    interpreter's last collections skip it; what main wrote is whole."""
    import gc
    import subprocess
    import sys
    from importlib.metadata import entry_points

    assert entry_points(group="console_scripts")["framing"].value == "framing.cli:console"
    script = ("import gc, sys\nfrom framing.cli import console\nsys.argv = ['framing', *sys.argv[1:]]\n"
              "before = gc.get_freeze_count()\nrc = console()\nprint(rc, before, gc.get_freeze_count() > 10_000)\n")
    args = ["features", str(SEEDS), "--family", "all", "--jobs", "1", "-o"]
    done = subprocess.run([sys.executable, "-c", script, *args, str(tmp_path / "console.csv")], capture_output=True,
                          text=True, timeout=300)
    assert done.stdout == "0 0 True\n", done.stderr
    done = subprocess.run([sys.executable, "-m", "framing", *args, str(tmp_path / "module.csv")], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    frozen = gc.get_freeze_count()
    assert main([*args, str(tmp_path / "main.csv")]) == 0
    assert gc.get_freeze_count() == frozen  # main itself freezes nothing: a session may call it many times
    assert (tmp_path / "console.csv").read_bytes() == (tmp_path / "main.csv").read_bytes()
    assert (tmp_path / "module.csv").read_bytes() == (tmp_path / "main.csv").read_bytes()
