"""Inputs that used to raise a raw Python error: each is now one line naming the file and what to do."""

import pandas as pd
import pytest

from framing.cli import main
from framing.documents.clean import load_rules
from framing.errors import FramingError
from framing.lexicon.read import list_lexicons, load_lexicon


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_csv_lexicon_with_a_huge_field(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text('term,category\nregime,state\n"' + "x" * 140_000 + '",state\n', encoding="utf-8")
    with pytest.raises(FramingError) as exc:
        load_lexicon(path)
    assert str(exc.value) == (f"{path}: line 3: not readable as CSV (field larger than field limit (131072)); "
                              "check its quotes")


def test_cyclic_extends_is_one_line_and_does_not_break_the_listing(tmp_path, monkeypatch):
    (tmp_path / "a.toml").write_text('[meta]\nname = "a"\nextends = "b"\n[categories.x]\nterms = ["x"]\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('[meta]\nname = "b"\nextends = "a"\n[categories.y]\nterms = ["y"]\n', encoding="utf-8")
    monkeypatch.setenv("FRAMING_LEXICON_PATH", str(tmp_path))
    with pytest.raises(FramingError) as exc:
        load_lexicon("a")
    assert str(exc.value) == (f"{tmp_path / 'a.toml'}: 'extends' makes a cycle (a.toml -> b.toml -> a.toml); "
                              "one of these files must not extend another")
    listing = list_lexicons().set_index("name")
    assert listing.loc["a", "description"].startswith("cannot load: ")
    assert listing.loc["framing", "categories"] == 11


def test_framing_lexicons_lists_with_a_cycle_present(capsys, tmp_path, monkeypatch):
    (tmp_path / "a.toml").write_text('[meta]\nname = "a"\nextends = "a"\n[categories.x]\nterms = ["x"]\n', encoding="utf-8")
    monkeypatch.setenv("FRAMING_LEXICON_PATH", str(tmp_path))
    code, out, err = run(capsys, "lexicons")
    assert code == 0 and "framing" in out and "cannot load" in out


@pytest.mark.parametrize(
    "body, message",
    [
        ('rules = "oops"', "'rules' must be a list of [[rules]] tables, got str"),
        ('[[rules]]\nname = "t"\nkind = "trailing"\nmax_words = "abc"', "rule 't': 'max_words' must be a whole number of at least 1, got 'abc'"),
        ('[[rules]]\nname = "t"\nkind = "trailing"\nmin_lines = 0', "rule 't': 'min_lines' must be a whole number of at least 1, got 0"),
        ('[[rules]]\nname = "l"\nkind = "line"\npattern = 5', "rule 'l': 'pattern' must be a string, got 5"),
    ],
)
def test_cleaning_rules_of_the_wrong_type(tmp_path, body, message):
    path = tmp_path / "rules.toml"
    path.write_text(body + "\n", encoding="utf-8")
    with pytest.raises(FramingError) as exc:
        load_rules(path)
    assert str(exc.value) == f"{path}: {message}"


def test_duplicate_id_advice_names_the_option_given(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,text\na,x\na,y\n", encoding="utf-8")
    from framing.documents.corpus import load_corpus

    with pytest.raises(FramingError) as exc:
        load_corpus(path, id_col="id")
    assert str(exc.value) == f"{path}: duplicate doc_id 'a' in rows 1 and 2; ids must be unique (fix them or choose another --id-col)"
    with pytest.raises(FramingError, match=r"\(fix them or name a unique column with --id-col\)"):
        load_corpus(pd.DataFrame({"doc_id": ["a", "a"], "text": ["x", "y"]}))


def test_second_round_internal_errors_are_one_line(tmp_path, capsys):
    """Each of these raised a raw Python error or exited 0 with nothing said."""
    import gzip
    import json

    data = "".join(json.dumps({"doc_id": f"d{i}", "text": "The regime fell. " * 50}) + "\n" for i in range(2000)).encode()
    packed = gzip.compress(data)
    (tmp_path / "cut.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    broken = bytearray(packed)
    broken[len(broken) // 2 : len(broken) // 2 + 50] = b"x" * 50
    (tmp_path / "bad.jsonl.gz").write_bytes(bytes(broken))
    table = gzip.compress(("text\n" + "\n".join("The regime fell." for _ in range(20000))).encode())
    (tmp_path / "cut.csv.gz").write_bytes(table[: len(table) // 2])
    for name, said in (("cut.jsonl.gz", "the compressed file is cut short after line"),
                       ("bad.jsonl.gz", "the compressed file is "),  # corrupt or cut short, as the damage falls
                       ("cut.csv.gz", "the compressed file is cut short after row")):
        code, _, err = run(capsys, "features", str(tmp_path / name), "--quiet", "-o", str(tmp_path / "o.csv"))
        assert code == 2 and err.startswith(f"framing: error: {tmp_path / name}: {said}"), err
        assert not (tmp_path / "o.csv").exists()
    with pytest.raises(SystemExit) as exited:  # a usage error: argparse's exit 2
        main(["features", str(tmp_path / "cut.csv.gz"), "--batch-mb", "1e308"])
    assert exited.value.code == 2
    assert "argument --batch-mb: must be at most 10000 (MB), got '1e308'" in capsys.readouterr().err
    code, _, err = run(capsys, "features", str(tmp_path / "cut.csv.gz"), "--engine", "dask", "--scheduler", "notanaddress")
    assert code == 2 and err == ("framing: error: --scheduler notanaddress: not an address; give one like "
                                 "tcp://10.0.0.5:8786\n")
    # a CSV with two text columns
    (tmp_path / "two.csv").write_text("text,outlet,text\nA real text.,X,Other\n", encoding="utf-8")
    code, _, err = run(capsys, "corpus", str(tmp_path / "two.csv"))
    assert code == 2 and "column 'text' appears twice in the header; give every column its own name" in err
    # mixed time zones are read (as UTC), a --time column without dates is refused
    dated = pd.DataFrame({"text": ["The regime held a sham vote today. " * 8] * 4, "outlet": list("ABAB"),
                          "when": ["2021-06-18T10:00+02:00", "2021-06-18", "2021-07-02T23:00-05:00", "2021-07-03"]})
    dated.to_csv(tmp_path / "dated.csv", index=False)
    code, _, err = run(capsys, "trend", str(tmp_path / "dated.csv"), "--by", "outlet", "--time", "when", "--n-boot", "10")
    assert code == 0, err
    code, _, err = run(capsys, "reuse", str(tmp_path / "dated.csv"), "--time", "outlet")
    assert code == 2 and "column 'outlet' holds no date (e.g. 2021-06-18)" in err
    # dates over ten thousand years of days: the span is said before anything is allocated
    from framing.comparison.trends import trend

    far = pd.DataFrame({"doc_id": ["a", "b"], "category": "c", "count": 1, "n_tokens": 10, "g": "x",
                        "when": ["1700-01-01", "2200-01-01"]})
    with pytest.raises(FramingError, match="run from 1700-01-01 to 2200-01-01: 182,622 periods of 'D', more than 100,000"):
        trend(far, "g", "when", "D")
    # the file: years 1 to 9999 (7.5 GB and a malloc failure), through the CLI, as one line
    years = dated.assign(when=["0001-01-01", "9999-12-31", "2020-01-01", "2020-01-02"])
    years.to_csv(tmp_path / "years.csv", index=False)
    code, _, err = run(capsys, "trend", str(tmp_path / "years.csv"), "--by", "outlet", "--time", "when", "--freq", "D")
    assert code == 2 and err == ("framing: error: the dates in 'when' run from 0001-01-01 to 9999-12-31: 3,652,059 "
                                 "periods of 'D', more than 100,000; choose a longer period (--freq) or fix the "
                                 "outlying dates\n")
    # a sampling weight of inf passes no more; a label's line is the file's line, past quoted line breaks
    from framing.validation import score_sheet

    sheet = pd.DataFrame({"item_id": ["i1", "i2", "i3"], "category": "c", "pattern": "p", "match": "m",
                          "sentence": ["One\nline break.", "Plain.", "Plain."], "weight": ["1", "1", "inf"],
                          "label": ["1", "maybe", "1"]})
    with pytest.raises(FramingError, match="s.csv: line 4: label 'maybe'"):  # header, row 1 on lines 2-3, row 2 on 4
        score_sheet(sheet, origin="s.csv")
    with pytest.raises(FramingError, match="s.csv: line 5: weight 'inf' is not a positive finite number"):
        score_sheet(sheet.assign(label="1"), origin="s.csv")


def test_a_line_longer_than_the_guard_is_named(tmp_path, monkeypatch):
    import framing.documents.read as read
    from framing.documents.read import document_batches

    monkeypatch.setattr(read, "MAX_LINE_CHARS", 1000)
    path = tmp_path / "one.jsonl"
    path.write_text('{"text": "short"}\n{"text": "' + "x" * 5000 + '"}\n', encoding="utf-8")
    with pytest.raises(FramingError, match="one.jsonl: line 2 is longer than 0 million characters"):
        list(document_batches(path))


def test_a_scheduler_where_nothing_listens_is_one_line_after_the_timeout(tmp_path, capsys, monkeypatch):
    """The issue's run waited 90 s and more; the wait is CONNECT_SECONDS (20), shortened here."""
    import socket
    import time

    pytest.importorskip("distributed")
    import framing.engine

    monkeypatch.setattr(framing.engine, "CONNECT_SECONDS", 2)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "c.csv").write_text("text\nThe regime held a vote.\n", encoding="utf-8")
    start = time.perf_counter()
    code, _, err = run(capsys, "features", str(tmp_path / "c.csv"), "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}")
    assert time.perf_counter() - start < 10
    assert code == 2 and err.startswith(f"framing: error: --scheduler tcp://127.0.0.1:{port}: cannot connect (Timed out ")
    assert err.endswith("after 2 s); is the scheduler running?\n") and err.count("\n") == 1


def test_running_out_of_memory_is_a_line_that_says_so(tmp_path, capsys, monkeypatch):
    """The issue's model run ended in 'framing: error:' and nothing else: numpy's MemoryError has no message."""
    import importlib

    def exhausted(*args, **kwargs):
        raise MemoryError()

    monkeypatch.setattr(importlib.import_module("framing.comparison.rates"), "compare", exhausted)
    (tmp_path / "c.csv").write_text("text,outlet\nThe regime held a vote.,A\nThe vote.,B\n", encoding="utf-8")
    code, _, err = run(capsys, "compare", str(tmp_path / "c.csv"), "--by", "outlet")
    assert code == 2 and err == ("framing: error: out of memory; run on fewer documents or groups, or stream the "
                                 "corpus (framing features with --batch-mb)\n")
