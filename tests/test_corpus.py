import json
import math

import pandas as pd
import pytest

from framing.documents.corpus import load_corpus
from framing.errors import FramingError
from framing.features import lexicon_features


def write(folder, name, data):
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_seed_manifest_metadata(seeds):
    docs = seeds.documents.set_index("doc_id")
    assert docs["outlet"].tolist() == ["Iran Focus", "NCRI", "unattributed", "MEK Iran", "PMOI/MEK"]
    assert docs["affiliation"].tolist() == ["movement", "movement", "outside", "movement", "movement"]
    assert docs.loc["004_2c98d8f5424ccb93", "date"] == "2020-04-29"
    assert seeds.metadata_columns == ["file", "outlet", "affiliation", "date", "evidence"]


def test_seed_evidence_quotes_the_text(seeds):
    docs = seeds.documents
    for evidence, text in zip(docs["evidence"], docs["text"]):
        quoted = [q for q in evidence.split('"')[1::2] if len(q) > 3]
        assert quoted, evidence
        for q in quoted:
            assert " ".join(q.split()) in " ".join(text.replace("\xa0", " ").split()), q


def test_folder_without_manifest_uses_file_names(tmp_path):
    write(tmp_path, "b.txt", "Second.")
    write(tmp_path, "a.txt", "First.")
    corpus = load_corpus(tmp_path)
    assert corpus.doc_ids == ["a", "b"]
    assert corpus.documents["text"].tolist() == ["First.", "Second."]


def test_missing_path_and_unsupported_extension(tmp_path):
    with pytest.raises(FramingError, match=r"nowhere: no such file or folder"):
        load_corpus(tmp_path / "nowhere")
    bad = write(tmp_path, "corpus.docx", "x")
    with pytest.raises(FramingError, match=r"corpus.docx: unsupported file type '.docx'; use a folder of .txt or .parquet files, or a .csv, .csv.gz"):
        load_corpus(bad)


def test_invalid_utf8_is_replaced_with_a_warning_naming_file_and_byte(tmp_path):
    write(tmp_path, "bad.txt", b"The regime\xff fell.")
    with pytest.warns(UserWarning, match=r"bad.txt: invalid UTF-8 at byte 10; 1 character\(s\) replaced"):
        corpus = load_corpus(tmp_path)
    assert corpus.documents["text"].iloc[0] == "The regime\ufffd fell."


def test_empty_document_is_kept_flagged_and_has_nan_rates(tmp_path):
    write(tmp_path, "full.txt", "The regime.")
    write(tmp_path, "empty.txt", "  \n\t")
    with pytest.warns(UserWarning, match=r"1 empty or whitespace-only document\(s\) kept with NaN rates: empty"):
        corpus = load_corpus(tmp_path)
    assert corpus.documents.set_index("doc_id")["is_empty"].to_dict() == {"empty": True, "full": False}
    table = lexicon_features(corpus).set_index(["doc_id", "category"])
    assert table.loc[("empty", "state_delegitimizing"), "n_tokens"] == 0
    assert math.isnan(table.loc[("empty", "state_delegitimizing"), "per_1k"])
    assert table.loc[("full", "state_delegitimizing"), "per_1k"] == 500.0


def test_duplicate_ids_name_both(tmp_path):
    frame = pd.DataFrame({"id": ["x", "y", "x"], "text": ["a", "b", "c"]})
    with pytest.raises(FramingError, match=r"duplicate doc_id 'x' in rows 1 and 3"):
        load_corpus(frame, id_col="id")
    write(tmp_path, "one.txt", "a")
    write(tmp_path, "two.txt", "b")
    write(tmp_path, "manifest.csv", "file,doc_id\none.txt,same\ntwo.txt,same\n")
    with pytest.raises(FramingError, match=r"duplicate doc_id 'same' in files one.txt and two.txt"):
        load_corpus(tmp_path)


def test_manifest_rows_without_files_are_an_error(tmp_path):
    write(tmp_path, "one.txt", "a")
    write(tmp_path, "manifest.csv", "file,outlet\none.txt,A\nghost.txt,B\n")
    with pytest.raises(FramingError, match=r"manifest.csv: rows name files that are not in .*: ghost.txt; fix the names"):
        load_corpus(tmp_path)


def test_files_without_manifest_rows_are_kept_with_a_warning(tmp_path):
    write(tmp_path, "one.txt", "a")
    write(tmp_path, "two.txt", "b")
    write(tmp_path, "manifest.csv", "file,outlet\none.txt,A\n")
    with pytest.warns(UserWarning, match=r"manifest.csv: no row for two.txt; loaded with empty metadata"):
        corpus = load_corpus(tmp_path)
    assert corpus.groups("outlet").to_dict() == {"one": "A", "two": "(none)"}


def test_unknown_columns_list_the_available_ones(tmp_path, tiny):
    with pytest.raises(FramingError, match=r"unknown text column 'body'; available: doc_id, outlet, text"):
        load_corpus(pd.DataFrame({"doc_id": ["a"], "outlet": ["A"], "text": ["t"]}), text_col="body")
    with pytest.raises(FramingError, match=r"unknown column 'source'; available: doc_id, outlet"):
        tiny.groups("source")


def test_tables_csv_jsonl_parquet(tmp_path):
    frame = pd.DataFrame({"story": ["The regime.", "A vote."], "outlet": ["A", "B"]})
    frame.to_csv(tmp_path / "c.csv", index=False)
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r) for r in frame.to_dict("records")))
    frame.to_parquet(tmp_path / "c.parquet")
    for name in ("c.csv", "c.jsonl", "c.parquet"):
        corpus = load_corpus(tmp_path / name, text_col="story")
        assert corpus.doc_ids == ["doc00001", "doc00002"], name
        assert corpus.groups("outlet").tolist() == ["A", "B"], name


def test_csv_with_missing_text_keeps_the_row(tmp_path):
    (tmp_path / "t.csv").write_text("doc_id,text\na,The regime.\nb,\n")
    with pytest.warns(UserWarning, match="empty or whitespace-only"):
        corpus = load_corpus(tmp_path / "t.csv")
    assert corpus.doc_ids == ["a", "b"]


def test_cleaning_can_be_switched_off(tmp_path):
    write(tmp_path, "a.txt", "728 x 90\n\nThe story.")
    assert load_corpus(tmp_path).documents["clean_text"].iloc[0] == "The story."
    raw = load_corpus(tmp_path, clean=False)
    assert raw.documents["clean_text"].iloc[0] == "728 x 90\n\nThe story."
    assert raw.cleaning_report.empty


def test_tokens_are_computed_once_and_shared(tiny):
    first = tiny.tokens
    assert tiny.tokens is first
    sub = tiny.select(["b1"])
    assert sub.tokens["b1"] is first["b1"]
    with pytest.raises(FramingError, match=r"unknown doc_id 'zz'"):
        tiny.select(["zz"])


def test_seeds_are_the_shared_master_copy_byte_for_byte():
    from tests.conftest import ROOT, SEEDS

    master = ROOT.parent / "shared" / "seeds"
    if not master.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    names = sorted(p.name for p in master.glob("*.txt"))
    assert names == sorted(p.name for p in SEEDS.glob("*.txt"))
    for name in names:
        assert (SEEDS / name).read_bytes() == (master / name).read_bytes(), name


def test_overview_counts_in_one_pass_and_keeps_no_tokens():
    from framing.documents.tokens import tokenize
    from tests.conftest import SEEDS

    corpus = load_corpus(SEEDS)
    overview = corpus.overview()
    assert corpus._tokens is None  # streamed: a corpus of 10,000 documents held every token for two numbers each
    for row, text in zip(overview.itertuples(), corpus.documents["clean_text"]):
        doc = tokenize(text)
        assert (row.n_tokens, row.n_sentences) == (doc.n_words, len(doc.sentences))
    assert overview["n_tokens"].tolist() == [460, 1088, 373, 508, 577]  # the seeds' words per document
