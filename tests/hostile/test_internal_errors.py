"""Inputs that used to raise a raw Python error: each is now one line naming the file and what to do."""

import pandas as pd
import pytest

from framing.clean import load_rules
from framing.cli import main
from framing.errors import FramingError
from framing.lexicon import list_lexicons, load_lexicon


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
    from framing.corpus import load_corpus

    with pytest.raises(FramingError) as exc:
        load_corpus(path, id_col="id")
    assert str(exc.value) == f"{path}: duplicate doc_id 'a' in rows 1 and 2; ids must be unique (fix them or choose another --id-col)"
    with pytest.raises(FramingError, match=r"\(fix them or name a unique column with --id-col\)"):
        load_corpus(pd.DataFrame({"doc_id": ["a", "a"], "text": ["x", "y"]}))
