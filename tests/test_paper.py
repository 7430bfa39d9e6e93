"""Tables for a paper (views/paper.py): hand-checked cells, captions, rounding, escaping, and the CLI."""

import pandas as pd
import pytest

from framing.cli import main
from framing.errors import FramingError
from framing.views.paper import decimals, estimate, paper_table, read_result, render
from tests.conftest import SEEDS

RATES = pd.DataFrame({
    "outlet": ["A_1", "A_1", "B&C", "B&C"], "family": "lexicon", "lexicon": "framing",
    "category": ["state_labels", "fear", "state_labels", "fear"], "voice": "all",
    "per_1k": [12.345, 0.5, 104.4, 0.0], "ci_low": [8.06, 0.0, 90.2, 0.0], "ci_high": [16.04, 1.234, 118.9, 0.0],
    "n_docs": [40, 40, 3, 3], "resampled": "documents", "warning": ["", "rests on 2 match(es)", "", ""],
})


def test_rates_one_cell_per_group_and_category():
    cells, caption = paper_table(RATES)
    assert list(cells.columns) == ["A_1 (n=40)", "B&C (n=3)"]
    assert cells.to_dict("index") == {
        "state labels": {"A_1 (n=40)": "12.3 [8.1, 16.0]", "B&C (n=3)": "104 [90, 119]"},
        "fear": {"A_1 (n=40)": "0.500 [0.000, 1.234]†", "B&C (n=3)": "0.00 [0.00, 0.00]"},
    }
    assert caption.startswith("Rates per 1,000 words of the framing lexicon by outlet, with 95% bootstrap intervals "
                              "(documents resampled). †: the row carries a warning")


def test_rounding_rule_by_hand():
    assert [decimals(v) for v in (250.0, 99.9, 9.99, 0.999, 0.0999, 0.00999)] == [0, 1, 2, 3, 4, 4]
    assert estimate(2.0, 1.0, 3.456) == "2.00 [1.00, 3.46]"  # the interval takes the estimate's decimals
    assert estimate(-0.0123, -0.05, 0.02) == "-0.0123 [-0.0500, 0.0200]"


def test_model_rate_ratios_with_stars_and_the_reference_in_the_caption():
    model = pd.DataFrame({
        "outlet": ["B", "C", "B", "C"], "reference": "A", "category": ["x", "x", "y", "y"],
        "rate_ratio": [1.5234, 0.8, 2.0, 1.0], "ci_low": [1.1, 0.5, 1.2, 0.7], "ci_high": [2.0, 1.3, 3.3, 1.4],
        "p_value": 0.01, "p_adjusted": [0.004, 0.3, 0.0004, 0.049], "n_docs": [12, 9, 12, 9], "model": "quasipoisson",
        "warning": "",
    })
    cells, caption = paper_table(model)
    assert cells.loc["x"].tolist() == ["1.52 [1.10, 2.00]**", "0.800 [0.500, 1.300]"]
    assert cells.loc["y"].tolist() == ["2.00 [1.20, 3.30]***", "1.00 [0.70, 1.40]*"]
    assert caption == ("Rate ratios by outlet against A, from a count model (quasipoisson), with 95% intervals; "
                       "adjusted p: *** < 0.001, ** < 0.01, * < 0.05.")


def test_a_contrast_and_a_trend():
    contrast = pd.DataFrame({
        "target": "outside", "reference": "movement", "lexicon": "framing", "category": ["a", "b"],
        "per_1k_target": [2.68, 0.0], "per_1k_reference": [20.13, 7.2], "difference": [-17.45, -7.2],
        "difference_low": [-25.9, -10.2], "difference_high": [-11.7, -4.4], "log2_ratio": [-2.9, -2.4],
        "log2_ratio_low": [-4.2, -3.0], "log2_ratio_high": [-1.6, -1.7], "p_value": [0.001, 0.2],
        "p_adjusted": [0.002, 0.2], "warning": "",
    })
    cells, caption = paper_table(contrast)
    assert list(cells.columns) == ["outside per 1,000", "movement per 1,000", "difference", "log2 ratio", "p (BH)"]
    assert cells.loc["a"].tolist() == ["2.68", "20.1", "-17.4 [-25.9, -11.7]**", "-2.90 [-4.20, -1.60]", "0.002"]
    assert caption.startswith("Rates per 1,000 words of the framing lexicon: outside against movement;")
    trend = pd.DataFrame({"outlet": ["A", "A", "B"], "period": ["2020-01", "2020-02", "2020-01"], "category": "c",
                          "per_1k": [1.0, float("nan"), 2.5], "ci_low": [0.5, float("nan"), 2.0],
                          "ci_high": [1.5, float("nan"), 3.0], "n_docs": [2, 0, 1]})
    cells, _ = paper_table(trend)
    assert cells.to_dict("index") == {"c, 2020-01": {"A": "1.00 [0.50, 1.50]", "B": "2.50 [2.00, 3.00]"},
                                      "c, 2020-02": {"A": "–", "B": "–"}}


def test_a_table_of_many_groups_keeps_those_with_most_documents_and_says_so():
    sizes = {f"g{k:02d}": 100 - k for k in range(15)}  # g00 largest ... g14 smallest
    rates = pd.DataFrame({"outlet": list(sizes), "category": "c", "per_1k": 1.0, "ci_low": 0.5, "ci_high": 1.5,
                          "n_docs": list(sizes.values()), "warning": ["", *["few"] * 14]})
    with pytest.warns(UserWarning, match="a table of 15 groups: the 12 of 15 groups with most documents; left out"):
        cells, caption = paper_table(rates)
    assert list(cells.columns) == [f"g{k:02d} (n={100 - k})" for k in range(12)]
    assert "The 12 of 15 groups with most documents; left out, fewest documents: g12, g13, g14." in caption
    assert "†: the row carries a warning" in caption  # flags follow the rows kept
    assert cells.loc["c"].tolist()[:2] == ["1.00 [0.50, 1.50]", "1.00 [0.50, 1.50]†"]
    assert list(paper_table(rates, max_groups=20)[0].columns)[-1] == "g14 (n=86)"  # none left out: no note
    assert "left out" not in paper_table(rates, max_groups=20)[1]
    model = rates.rename(columns={"per_1k": "rate_ratio"}).assign(reference="g14", p_adjusted=0.5)
    with pytest.warns(UserWarning, match="left out, fewest documents: g12, g13"):
        cells, caption = paper_table(model.iloc[:14])
    assert len(cells.columns) == 12 and "against g14" in caption  # the reference is named whatever its size


def test_latex_and_html_escape_names_and_give_the_same_bytes_twice():
    latex = render(RATES, "latex", label="tab:rates")
    assert r"A\_1 (n=40)" in latex and r"B\&C (n=3)" in latex and r"\label{tab:rates}" in latex
    assert r"95\% bootstrap" in latex and r"\toprule" in latex and r"\begin{tabular}{lrr}" in latex
    html = render(RATES, "html")
    assert "B&amp;C (n=3)" in html and "<caption>Rates per 1,000 words" in html
    assert render(RATES, "html") == html and render(RATES, "latex", label="tab:rates") == latex
    with pytest.raises(FramingError, match="table format must be one of latex, markdown, html"):
        render(RATES, "docx")


def test_read_result_keeps_labels_as_written_and_names_bad_cells(tmp_path):
    path = tmp_path / "r.csv"
    RATES.assign(outlet=["007", "007", "2020", "2020"]).to_csv(path, index=False)
    table = read_result(path)
    assert table["outlet"].tolist() == ["007", "007", "2020", "2020"] and table["per_1k"].iloc[0] == 12.345
    RATES.assign(ci_low=["x", 0, 1, 2]).to_csv(path, index=False)
    with pytest.raises(FramingError, match=r"r.csv: line 2, column ci_low: 'x' is not a number"):
        read_result(path)
    pd.DataFrame({"a": [1]}).to_csv(path, index=False)
    with pytest.raises(FramingError, match="not a result table of framing compare, model or trend"):
        paper_table(read_result(path))


def test_the_table_command_and_the_table_option(tmp_path, capsys):
    result, table = tmp_path / "rates.csv", tmp_path / "rates.tex"
    assert main(["compare", str(SEEDS), "--by", "outlet", "--n-boot", "50", "-o", str(result), "--table", str(table)]) == 0
    written = table.read_text(encoding="utf-8")
    assert written.startswith("\\begin{table}") and "Iran Focus (n=1)" in written
    # the same table from the CSV the command wrote
    assert main(["table", str(result), "--format", "latex"]) == 0
    assert capsys.readouterr().out == written
    assert main(["table", str(result), "-o", str(tmp_path / "rates.docx")]) == 2
    assert capsys.readouterr().err.startswith("framing: error: ")
    assert main(["table", str(tmp_path / "none.csv")]) == 2
    assert "none.csv: no such file" in capsys.readouterr().err


def test_the_latex_compiles(tmp_path):
    """pdflatex with its default encodings prints every table (skipped where no TeX is installed)."""
    import shutil
    import subprocess

    if shutil.which("pdflatex") is None:
        pytest.skip("no pdflatex here (apt install texlive-latex-recommended to run this)")
    contrast = pd.DataFrame({"target": "A_1", "reference": "B&C", "category": ["x"], "per_1k_target": [1.0],
                             "per_1k_reference": [2.0], "difference": [-1.0], "difference_low": [-2.0],
                             "difference_high": [0.0], "p_value": [0.0004], "p_adjusted": [0.0004], "warning": ["few"]})
    body = "\n".join(render(t, "latex") for t in (RATES, contrast))
    (tmp_path / "t.tex").write_text("\\documentclass{article}\\usepackage[utf8]{inputenc}\\usepackage{booktabs}"
                                    f"\\begin{{document}}\n{body}\n\\end{{document}}\n", encoding="utf-8")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "Missing character" not in (tmp_path / "t.log").read_text(encoding="utf-8", errors="replace")


def test_two_results_for_one_cell_are_an_error_not_one_kept():
    twice = pd.concat([RATES, RATES.head(1).assign(per_1k=99.0)], ignore_index=True)
    with pytest.raises(FramingError, match=r"the result has two rows for 'state labels' in 'A_1'"):
        paper_table(twice)


def test_a_level_that_is_not_a_number_is_named_by_line(tmp_path):
    RATES.assign(level=["0.95", "0.95", "high", "0.95"]).to_csv(tmp_path / "r.csv", index=False)
    with pytest.raises(FramingError, match=r"r.csv: line 4, column level: 'high' is not a number"):
        read_result(tmp_path / "r.csv")
