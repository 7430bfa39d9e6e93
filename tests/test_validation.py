"""Coding sheets and their scores, checked by hand."""

import pandas as pd
import pytest

from framing.cli import main
from framing.errors import FramingError
from framing.validation import coding_sheet, score_sheet
from tests.conftest import SEEDS


def test_same_seed_same_sheet_byte_for_byte_and_blind_key(tmp_path, capsys):
    for name in ("a", "b"):
        assert main(["validate", "sample", str(SEEDS), "--n", "30", "--seed", "7", "-o", str(tmp_path / f"{name}.csv")]) == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["validate", "sample", str(SEEDS), "--n", "30", "--seed", "7", "--blind", "-o", str(tmp_path / "c.csv")]) == 0
    blind = pd.read_csv(tmp_path / "c.csv")
    assert "category" not in blind.columns and "pattern" not in blind.columns
    page = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert "<th>category</th>" not in page and "state_delegitimizing" not in page
    key = pd.read_csv(tmp_path / "c.key.csv")
    assert list(key.columns) == ["item_id", "category", "pattern", "weight"] and len(key) == len(blind)
    # coded blind sheets are scored with their key
    blind["label"] = 1
    blind.to_csv(tmp_path / "c.csv", index=False)
    assert main(["validate", "score", str(tmp_path / "c.csv"), "-o", str(tmp_path / "r.csv")]) == 0
    assert pd.read_csv(tmp_path / "r.csv")["precision"].eq(1.0).all()
    capsys.readouterr()


def test_every_pattern_gets_items_and_weights_add_up_to_the_matches(seeds):
    from framing.features import explain

    sheet = coding_sheet(seeds, "framing", n=30, seed=2, per_term=2)
    matches = explain(seeds, "framing")
    per_pattern = matches.groupby(["category", "pattern"]).size()
    drawn = sheet.groupby(["category", "pattern"]).size()
    assert set(drawn.index) == set(per_pattern.index)  # every pattern that matched is on the sheet
    assert (drawn == per_pattern.clip(upper=2)).all()
    assert sheet["weight"].sum() == pytest.approx(len(matches))
    assert all(sheet["match"].iloc[i] in sheet["sentence"].iloc[i] for i in range(len(sheet)))


def test_scores_by_hand():
    sheet = pd.DataFrame({
        "item_id": ["i1", "i2", "i3", "i4", "i5", "i6"],
        "category": "state", "pattern": ["regime*", "regime*", "regime*", "tax*", "tax*", "tax*"],
        "match": ["regime", "regimes", "regime", "taxi", "taxes", "Taxi"],
        "weight": ["10", "10", "10", "2", "2", "2"],
        "label": ["1", "yes", "TRUE", "0", "1", ""],
    })
    report = score_sheet(sheet).set_index(["category", "pattern"])
    # regime*: 3 of 3; tax*: 1 of 2 coded (one blank)
    assert report.loc[("state", "regime*"), ["n_coded", "n_true", "precision"]].tolist() == [3, 3, 1.0]
    assert report.loc[("state", "tax*"), ["n_coded", "n_true", "precision", "flag", "exclude"]].tolist() == [
        2, 1, 0.5, True, "taxi"]
    category = report.loc[("state", "")]
    assert category[["n_coded", "n_true", "n_uncoded"]].tolist() == [5, 4, 1]
    assert category["precision"] == pytest.approx(0.8)
    # weighted back to the corpus: (3 x 10 + 1 x 2) / (3 x 10 + 2 x 2)
    assert category["weighted_precision"] == pytest.approx(32 / 34)
    assert (category["ci_low"], category["ci_high"]) == (pytest.approx(0.3755, abs=1e-4), pytest.approx(0.9638, abs=1e-4))


def test_bad_sheets_are_one_line_errors():
    sheet = pd.DataFrame({"item_id": ["i1"], "category": "c", "pattern": "p", "match": "m", "weight": "1",
                          "label": ["maybe"]})
    with pytest.raises(FramingError) as exc:
        score_sheet(sheet, origin="s.csv")
    assert str(exc.value) == "s.csv: line 2: label 'maybe' is not 1/0, yes/no or true/false (blank: not coded)"
    with pytest.raises(FramingError, match="s.csv: not a coding sheet of framing: no weight, label column"):
        score_sheet(sheet.drop(columns=["weight", "label"]), origin="s.csv")
    with pytest.raises(FramingError, match="s.csv: item 'i1' appears twice"):
        score_sheet(pd.concat([sheet.assign(label="1")] * 2), origin="s.csv")


def test_agreement_of_two_coders_by_hand(tmp_path, capsys):
    from sklearn.metrics import cohen_kappa_score

    from framing.validation import agreement

    base = pd.DataFrame({"item_id": [f"i{k}" for k in range(10)], "category": ["a"] * 6 + ["b"] * 4,
                         "pattern": "p", "match": "m", "weight": "1"})
    first = base.assign(label=["0", "1", "0", "0", "0", "0", "0", "0", "1", "0"])
    second = base.assign(label=["1", "1", "1", "0", "0", "1", "0", "0", "0", "0"])
    table = agreement(first, second).set_index("category")
    # overall: Krippendorff's (2011) binary example, alpha = 0.095; agreement 6 of 10
    assert table.loc["all", ["n", "percent_agreement"]].tolist() == [10, 0.6]
    assert round(table.loc["all", "krippendorff_alpha"], 3) == 0.095
    assert table.loc["all", "cohen_kappa"] == pytest.approx(cohen_kappa_score(first["label"], second["label"]))
    assert table.loc["a", "n"] == 6 and table.loc["b", "n"] == 4
    first.to_csv(tmp_path / "a.csv", index=False)
    second.head(9).to_csv(tmp_path / "b.csv", index=False)
    assert main(["validate", "agree", str(tmp_path / "a.csv"), str(tmp_path / "b.csv")]) == 2
    assert capsys.readouterr().err == (
        f"framing: error: the sheets code different items: i9 only in {tmp_path / 'a.csv'}; code the same sheet twice\n")


def test_fix_writes_a_patched_copy_of_the_lexicon(tmp_path, capsys):
    from framing.lexicon import load_lexicon

    lexicon = tmp_path / "mine.toml"
    lexicon.write_text('[meta]\nname = "mine"\nversion = "0.2"\n[categories.state]\nterms = ["regime*", "tax*"]\n',
                       encoding="utf-8")
    sheet = pd.DataFrame({"item_id": ["i1", "i2", "i3"], "category": "state", "pattern": ["regime*", "tax*", "tax*"],
                          "match": ["regime", "Taxi", "taxes"], "weight": "1", "label": ["1", "0", "0"],
                          "doc_id": "d", "left": "", "right": "", "sentence": "", "start": 0, "end": 1, "note": ""})
    sheet.to_csv(tmp_path / "s.csv", index=False)
    out = tmp_path / "mine_validated.toml"
    code = main(["validate", "score", str(tmp_path / "s.csv"), "--lexicon", str(lexicon), "--fix", str(out), "-o",
                 str(tmp_path / "r.csv")])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "state: 'tax*' has precision 0.00; consider excluding: taxes; taxi" in err
    fixed = load_lexicon(out)
    assert [t.pattern for t in fixed.category("state").exclude] == ["taxes", "taxi"]
    assert fixed.meta["version"] == "0.2+validated"
    assert main(["validate", "score", str(tmp_path / "s.csv"), "--lexicon", str(lexicon), "--fix", str(out)]) == 2
    assert "exists already" in capsys.readouterr().err
