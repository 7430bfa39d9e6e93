"""Corpus files a hostile (or unlucky) user gives: nothing dropped, nothing misread, one-line errors."""

import codecs
import os

import pandas as pd
import pytest

from framing.cli import main
from framing.documents.corpus import load_corpus
from framing.errors import FramingError
from framing.features import lexicon_features


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


# --------------------------------------------------------------------------- folders


def test_dangling_symlink_is_an_error_not_a_skip(tmp_path):
    (tmp_path / "a.txt").write_text("The regime fell.", encoding="utf-8")
    (tmp_path / "b.txt").symlink_to(tmp_path / "missing.txt")
    with pytest.raises(FramingError) as exc:
        load_corpus(tmp_path)
    assert str(exc.value) == (f"{tmp_path / 'b.txt'}: a broken or looping symbolic link, not a readable .txt file; "
                              f"fix it or move it out of {tmp_path}")


def test_looping_symlink_is_an_error(tmp_path):
    (tmp_path / "a.txt").write_text("The regime fell.", encoding="utf-8")
    os.symlink(tmp_path / "loop.txt", tmp_path / "loop.txt")
    with pytest.raises(FramingError, match="loop.txt: a broken or looping symbolic link"):
        load_corpus(tmp_path)


def test_manifest_row_with_empty_file_cell(tmp_path):
    (tmp_path / "a.txt").write_text("The regime fell.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,outlet\na.txt,A\n,B\n", encoding="utf-8")
    with pytest.raises(FramingError) as exc:
        load_corpus(tmp_path)
    assert str(exc.value) == f"{tmp_path / 'manifest.csv'}: empty 'file' cell at line 3; name a .txt file or remove the row"


def test_text_col_for_a_folder_is_refused(capsys, tmp_path):
    (tmp_path / "a.txt").write_text("The regime fell.", encoding="utf-8")
    code, _, err = run(capsys, "corpus", str(tmp_path), "--text-col", "body")
    assert code == 2
    assert err == (f"framing: error: {tmp_path}: --text-col/text_col applies to tables (.csv, .jsonl, .parquet), "
                   "not to .txt files; leave it out\n")


# --------------------------------------------------------------------------- column names


@pytest.mark.parametrize("column", ["clean_text", "is_empty", "text", "file"])
def test_metadata_named_like_a_corpus_column_is_refused(tmp_path, column):
    path = tmp_path / "t.csv"
    path.write_text(f"body,{column}\nThe regime fell.,x\n", encoding="utf-8")
    with pytest.raises(FramingError) as exc:
        load_corpus(path, text_col="body")
    assert str(exc.value) == (f"{path}: metadata column '{column}' has the name of a column framing adds "
                              "(doc_id, text, clean_text, is_empty, file); rename it in your data")


def test_manifest_column_named_clean_text_is_refused(tmp_path):
    (tmp_path / "a.txt").write_text("The regime fell.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,clean_text\na.txt,x\n", encoding="utf-8")
    with pytest.raises(FramingError, match="metadata column 'clean_text' has the name of a column framing adds"):
        load_corpus(tmp_path)


def test_multiindex_and_duplicate_columns_are_refused():
    frame = pd.DataFrame([["The regime fell.", "A"]], columns=pd.MultiIndex.from_tuples([("text", ""), ("outlet", "")]))
    with pytest.raises(FramingError, match="the columns have several levels"):
        load_corpus(frame)
    frame = pd.DataFrame([["The regime fell.", "Votes"]], columns=["text", "text"])
    with pytest.raises(FramingError, match="column 'text' appears twice"):
        load_corpus(frame)


# --------------------------------------------------------------------------- empty tables


def test_header_only_csv_zero_row_parquet_and_empty_frame(tmp_path):
    csv = tmp_path / "h.csv"
    csv.write_text("doc_id,text\n", encoding="utf-8")
    with pytest.raises(FramingError) as exc:
        load_corpus(csv)
    assert str(exc.value) == f"{csv}: the table has no rows; it needs one row per document"
    parquet = tmp_path / "z.parquet"
    pd.DataFrame({"text": pd.Series([], dtype=str)}).to_parquet(parquet)
    with pytest.raises(FramingError, match="the table has no rows"):
        load_corpus(parquet)
    with pytest.raises(FramingError, match="DataFrame: the table has no rows"):
        load_corpus(pd.DataFrame())
    blank = tmp_path / "blank.csv"
    blank.write_text("", encoding="utf-8")
    with pytest.raises(FramingError, match="the table is empty"):
        load_corpus(blank)


# --------------------------------------------------------------------------- text cells


def test_json_objects_as_text_are_refused_with_the_row(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"text": "The regime fell."}\n{"text": {"x": "regime"}}\n', encoding="utf-8")
    with pytest.raises(FramingError) as exc:
        load_corpus(path)
    assert str(exc.value) == (f"{path}: row 2: the 'text' cell is a dict, not text; every text cell must be a string "
                              "(1 such row(s))")
    with pytest.raises(FramingError, match="row 1: the 'text' cell is a list"):
        load_corpus(pd.DataFrame({"text": [["regime"], "x"]}))
    with pytest.raises(FramingError, match="row 1: the 'text' cell is a int"):
        load_corpus(pd.DataFrame({"text": [5, 6]}))


def test_lone_surrogates_in_jsonl_are_kept_as_replacement_characters(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"text": "regime \\ud800 here"}\n', encoding="utf-8")
    with pytest.warns(UserWarning, match=r"lone surrogate escapes .* on line\(s\) 1 replaced with U\+FFFD"):
        corpus = load_corpus(path)
    assert corpus.documents["text"].tolist() == ["regime \ufffd here"]


def test_jsonl_line_that_is_not_json_is_named(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok"}\n\n{"text": oops}\n', encoding="utf-8")
    with pytest.raises(FramingError) as exc:
        load_corpus(path)
    assert str(exc.value) == f"{path}: line 3: not valid JSON (Expecting value at column 10); one object per line"


# --------------------------------------------------------------------------- encodings


TEXT = "The regime’s sham election."


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_byte_order_marks_are_honoured_in_txt(tmp_path, encoding):
    raw = TEXT.encode(encoding)
    if encoding == "utf-16-be":
        raw = codecs.BOM_UTF16_BE + raw
    (tmp_path / "a.txt").write_bytes(raw)
    corpus = load_corpus(tmp_path)
    assert corpus.documents["text"].tolist() == [TEXT]
    counts = lexicon_features(corpus, "framing").set_index("category")["count"]
    assert counts["state_delegitimizing"] == 1 and counts["electoral_delegitimation"] == 1


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_byte_order_marks_are_honoured_in_tables(tmp_path, suffix):
    path = tmp_path / f"t{suffix}"
    content = f"text,outlet\n{TEXT},A\n" if suffix == ".csv" else f'{{"text": "{TEXT}", "outlet": "A"}}\n'
    path.write_bytes(content.encode("utf-16"))
    corpus = load_corpus(path)
    assert corpus.documents[["text", "outlet"]].values.tolist() == [[TEXT, "A"]]


def test_utf8_bom_in_jsonl_and_manifest(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + f'{{"text": "{TEXT}"}}\n'.encode())
    assert load_corpus(path).documents["text"].tolist() == [TEXT]
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "manifest.csv").write_bytes("file,outlet\na.txt,A\n".encode("utf-16"))
    assert load_corpus(folder).documents["outlet"].tolist() == ["A"]


def test_utf16_without_bom_is_refused_not_counted_as_zero(tmp_path):
    (tmp_path / "a.txt").write_bytes(TEXT.encode("utf-16-le"))
    with pytest.raises(FramingError, match="looks like UTF-16 without a byte-order mark; re-save the file as UTF-8"):
        load_corpus(tmp_path)


def test_invalid_utf8_in_a_table_is_an_error_naming_the_byte(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"text\nla r\xe9gime\n")
    with pytest.raises(FramingError) as exc:
        load_corpus(path)
    assert str(exc.value) == f"{path}: not valid UTF-8 at line 2 (byte 9); re-save the file as UTF-8"
    # the place is found wherever it is: past the first megabyte, in a gzipped JSONL file, in UTF-16
    big = tmp_path / "big.csv"
    big.write_bytes(b"text\n" + b"ok\n" * 600_000 + b"r\xe9\n")  # 5 + 1,800,000 bytes, then "r"
    with pytest.raises(FramingError, match=r"big.csv: not valid UTF-8 at line 600002 \(byte 1800006\); re-save"):
        load_corpus(big)
    import gzip

    packed = tmp_path / "t.jsonl.gz"
    packed.write_bytes(gzip.compress(b'{"text": "ok"}\n{"text": "la r\xe9gime"}\n'))
    with pytest.raises(FramingError, match=r"t.jsonl.gz: not valid UTF-8 at line 2 \(byte 29\); re-save"):
        load_corpus(packed)
    wide = tmp_path / "w.csv"
    wide.write_bytes("\ufefftext\nla r".encode("utf-16-le") + b"\x00\xd8" + "x\n".encode("utf-16-le"))
    with pytest.raises(FramingError, match=r"w.csv: not valid UTF-16-LE at line 2 \(byte 20\); re-save"):
        load_corpus(wide)


def test_second_round_silent_drops_are_said(tmp_path, capsys):
    import os
    import warnings

    from framing.comparison.rates import compare
    from framing.features import lexicon_features
    from framing.keywords.terms import term_counts

    # documents without a group value form the group "(none)", named in a warning; an empty column is an error
    corpus = load_corpus(pd.DataFrame({"text": ["The regime fell."] * 3 + ["Officials met."] * 3,
                                       "outlet": ["A", "A", None, "B", "B", ""]}))
    features = lexicon_features(corpus)
    with pytest.warns(UserWarning, match=r"2 document\(s\) have no value in 'outlet' and are compared as the group '\(none\)'"):
        rates = compare(features, "outlet", n_boot=10, min_docs=1)
    assert set(rates["outlet"]) == {"A", "B", "(none)"}
    with pytest.raises(FramingError, match="column 'outlet' is empty for every document"):
        compare(features.assign(outlet=None), "outlet", n_boot=10, min_docs=1)
    empty = load_corpus(pd.DataFrame({"text": ["The regime fell.", "A vote."], "outlet": [None, None]}))
    with pytest.raises(FramingError, match="column 'outlet' is empty for every document"):
        term_counts(empty, "outlet")
    # a FIFO given as the corpus is refused at once instead of blocking
    fifo = tmp_path / "corpus.csv"
    os.mkfifo(fifo)
    with pytest.raises(FramingError, match="not a regular file or folder \\(a pipe, a device or a socket\\)"):
        load_corpus(fifo)
    from framing.documents.read import document_batches

    with pytest.raises(FramingError, match="not a regular file or folder"):
        next(document_batches(fifo))
    # what a corpus folder holds besides the files read is named
    folder = tmp_path / "parts"
    (folder / "sub").mkdir(parents=True)
    (folder / "notes").mkdir()  # a folder of other files: not the corpus's, not named
    pd.DataFrame({"text": ["The regime fell."]}).to_parquet(folder / "a.parquet", index=False)
    pd.DataFrame({"text": ["More."]}).to_parquet(folder / "sub" / "b.parquet", index=False)  # not read: named
    (folder / "notes.csv").write_text("text\nx\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"parts: a folder of \.parquet files; not read: notes\.csv, sub/"):
        load_corpus(folder)
    txt = tmp_path / "txt"
    txt.mkdir()
    (txt / "a.txt").write_text("The regime fell.", encoding="utf-8")
    (txt / "b.parquet").write_bytes((folder / "a.parquet").read_bytes())
    with pytest.warns(UserWarning, match=r"a folder of \.txt files; not read: b\.parquet"):
        load_corpus(txt)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (txt / "b.parquet").unlink()
        (txt / "manifest.csv").write_text("file,outlet\na.txt,A\n", encoding="utf-8")
        load_corpus(txt)  # the manifest is read, not "left out"


def test_a_document_that_cleaning_wipes_out_is_said_to_be_removed_by_its_rule():
    with pytest.warns(UserWarning) as caught:
        load_corpus(pd.DataFrame({"doc_id": ["tweet", "plain", "blank"],
                                  "text": ["Follow us on Twitter", "The regime fell.", "   "]}))
    said = [str(w.message) for w in caught if "no text left" in str(w.message)]
    assert said == ["DataFrame: 2 document(s) with no text left (1 of them removed whole by cleaning rules: see framing "
                    "corpus, or pass --no-clean) kept with NaN rates: tweet (removed whole by cleaning: follow_links), blank"]
