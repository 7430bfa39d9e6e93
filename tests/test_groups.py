"""One rule for groups nobody named, and one order for showing groups (framing.groups)."""

import numpy as np
import pandas as pd
import pytest

from framing.comparison.models import rate_model
from framing.comparison.rates import compare, compare_groups
from framing.groups import default_reference, default_target, is_time_like, order_groups


def test_time_like_labels_are_ordered_by_time_and_others_by_size():
    assert is_time_like(["2016", "2016-02", "2016-02-29", "2016Q3", "2016-Q4", "2016-W09"])
    assert not is_time_like(["2016-02", "KAINE"]) and not is_time_like([])
    assert order_groups({"2020-10": 5, "2020-02": 50, "2019-12": 1}) == ["2019-12", "2020-02", "2020-10"]
    assert order_groups({"2020Q4": 1, "2020Q1": 1, "2019Q2": 9}) == ["2019Q2", "2020Q1", "2020Q4"]
    assert order_groups({"KAINE": 9, "CLINTON": 40, "PENCE": 40, "RADDATZ": 2}) == ["CLINTON", "PENCE", "KAINE", "RADDATZ"]
    # the defaults: the largest group (ties by name); for periods the earliest as reference, the latest as target
    assert default_reference({"KAINE": 9, "CLINTON": 40}) == "CLINTON"
    assert default_target({"KAINE": 9, "CLINTON": 40}, besides="CLINTON") == "KAINE"
    assert (default_reference({"2020-02": 9, "2020-01": 1}), default_target({"2020-02": 9, "2020-01": 1})) == ("2020-01", "2020-02")


def _table(sizes: dict) -> pd.DataFrame:
    rows = [{"doc_id": f"{g}{i}", "speaker": g, "category": "c", "count": (i % 3) + (2 if g == "KAINE" else 1),
             "n_tokens": 200} for g, n in sizes.items() for i in range(n)]
    return pd.DataFrame(rows)


def test_commands_pick_the_same_default_and_say_so():
    table = _table({"CLINTON": 12, "KAINE": 20, "PENCE": 8})
    contrast = compare_groups(table, "speaker", n_perm=10, n_boot=10)
    assert set(contrast["target"]) == {"KAINE"} and set(contrast["reference"]) == {"rest"}
    assert set(contrast["chosen"]) == {"target: KAINE (the group with most documents, chosen by default; pass target= to choose)"}
    model = rate_model(table, "speaker")
    assert set(model["reference"]) == {"KAINE"} and set(model["speaker"]) == {"CLINTON", "PENCE"}
    assert model["chosen"].iloc[0].startswith("reference: KAINE (the group with most documents")
    assert set(compare_groups(table, "speaker", "PENCE", n_perm=10, n_boot=10)["chosen"]) == {""}  # named: nothing chosen
    # months: the reference is the earliest, the target the latest, whatever their sizes
    months = _table({"2020-03": 5, "2020-01": 6, "2020-02": 30})
    assert set(rate_model(months, "speaker")["reference"]) == {"2020-01"}
    assert set(compare_groups(months, "speaker", n_perm=10, n_boot=10)["target"]) == {"2020-03"}


def test_charts_draw_months_in_time_order(tmp_path):
    from framing import plots

    months = _table({"2020-03": 5, "2020-01": 6, "2020-02": 30, "2019-12": 7})
    rates = compare(months, "speaker", n_boot=10)
    fig = plots.rate_figure(rates)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["2019-12 (n=7)", "2020-01 (n=6)", "2020-02 (n=30)",
                                                                      "2020-03 (n=5)"]
    colours = plots.group_colours(months.drop_duplicates("doc_id")["speaker"])
    assert list(colours) == ["2019-12", "2020-01", "2020-02", "2020-03"]
    model = rate_model(months, "speaker")
    ax = plots.rate_ratio_figure(model, colours=colours).axes[0]
    assert [t.get_text().split(" (")[0] for t in ax.get_legend().get_texts()] == ["2020-01", "2020-02", "2020-03"]
    assert "reference: 2019-12 (the earliest period, chosen by default" in " ".join(ax.get_title().split())


def test_the_cli_says_which_reference_it_chose(tmp_path, capsys):
    from framing.cli import main

    csv = tmp_path / "debate.csv"
    rows = [{"speaker": s, "text": "The regime fell. Officials said nothing. " * (1 + i % 3)}
            for s, n in (("CLINTON", 6), ("KAINE", 9), ("PENCE", 5)) for i in range(n)]
    pd.DataFrame(rows).to_csv(csv, index=False)
    assert main(["model", str(csv), "--by", "speaker", "-o", str(tmp_path / "m.csv")]) == 0
    err = capsys.readouterr().err
    assert "framing: reference: KAINE (the group with most documents, chosen by default; pass --reference to choose)" in err
    assert set(pd.read_csv(tmp_path / "m.csv")["reference"]) == {"KAINE"}
    assert np.isfinite(pd.read_csv(tmp_path / "m.csv")["rate_ratio"]).any()
    with pytest.raises(AssertionError):
        assert "reference:" in capsys.readouterr().err  # nothing more was said


def test_a_named_reference_leaves_the_other_groups_out():
    # A against B by hand: C's documents take no part (A and B: 1 + 2 + 3 matches in 3 x 200 words each)
    table = _table({"A": 3, "B": 3, "C": 4})
    table = table.assign(count=table["count"] + (table["speaker"] == "C") * 50)  # C, if counted, would swamp B
    row = compare_groups(table, "speaker", "A", "B", n_perm=10, n_boot=10, min_docs=3).iloc[0]
    assert (row["target"], row["reference"]) == ("A", "B")
    assert (row["count_target"], row["count_reference"]) == (6, 6)
    assert row["per_1k_reference"] == pytest.approx(6 / 600 * 1000) and row["difference"] == 0.0


def test_largest_keeps_groups_by_documents_then_name_and_names_the_rest():
    from framing.groups import largest, left_out_note

    sizes = {"B": 3, "A": 3, "C": 9, "D": 1, "E": 2}
    assert largest(sizes, 3) == (["C", "A", "B"], ["E", "D"])
    assert largest(sizes, 9) == (["C", "A", "B", "E", "D"], [])
    assert largest({"2020-02": 1, "2020-01": 1, "2020-03": 5}, 2) == (["2020-01", "2020-03"], ["2020-02"])  # time order
    assert left_out_note(["E", "D"]) == "; left out, fewest documents: E, D"
    assert left_out_note([f"g{i}" for i in range(1200)]) == \
        "; left out, fewest documents: g0, g1, g2, g3, g4 and 1,195 more"
    assert left_out_note([]) == ""
