"""Coding sheets and their scores, checked by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from framing.cli import main
from framing.errors import FramingError
from framing.validation import coding_sheet, score_sheet
from tests.conftest import ROOT, SEEDS


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
    # tax* rests on 2 coded items, under MIN_CODED (3): not judged, no exclusion proposed, and the row says so
    assert report.loc[("state", "tax*"), ["n_coded", "n_true", "precision", "flag", "exclude", "note"]].tolist() == [
        2, 1, 0.5, False, "", "too few coded (2 of 3)"]
    judged = score_sheet(sheet, min_coded=2).set_index(["category", "pattern"])
    assert judged.loc[("state", "tax*"), ["flag", "exclude", "note"]].tolist() == [True, "taxi", ""]
    category = report.loc[("state", "")]
    assert category[["n_coded", "n_true", "n_uncoded"]].tolist() == [5, 4, 1]
    assert category["precision"] == pytest.approx(0.8)
    assert (category["ci_low"], category["ci_high"]) == (pytest.approx(0.3755, abs=1e-4), pytest.approx(0.9638, abs=1e-4))
    # weighted back to the corpus: regime* stands for 30 matches at 3 of 3, tax* for 6 (three items of weight 2,
    # the uncoded one too) at 1 of 2: (30 x 1 + 6 x 0.5) / 36
    assert category["weighted_precision"] == pytest.approx(33 / 36)
    # its interval: Wilson's on Kish's effective number of coded items, 1 / ((30/36)^2 / 3 + (6/36)^2 / 2) = 4.0755
    n, p, z = 1 / ((30 / 36) ** 2 / 3 + (6 / 36) ** 2 / 2), 33 / 36, 1.959964
    assert n == pytest.approx(4.0755, abs=1e-4) and category["n_effective"] == pytest.approx(n)
    centre, half = (p + z**2 / (2 * n)) / (1 + z**2 / n), z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    assert (category["weighted_low"], category["weighted_high"]) == (pytest.approx(centre - half, abs=1e-6),
                                                                     pytest.approx(centre + half, abs=1e-6))
    assert (round(category["weighted_low"], 4), round(category["weighted_high"], 4)) == (0.4353, 0.9937)


def test_weighted_precision_of_one_pattern_is_its_wilson_interval():
    from framing.measures import wilson_interval
    from framing.validation import weighted_precision

    p, low, high = weighted_precision([(500, 8, 10)])
    assert p == 0.8 and (low, high) == tuple(pytest.approx(float(v)) for v in wilson_interval(8, 10))
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)  # Wilson 1927 for 8 of 10
    # two patterns: the plug-in is sum N p / sum N, (100 x 0.5 + 300 x 1.0) / 400
    assert weighted_precision([(100, 5, 10), (300, 4, 4)])[0] == pytest.approx(350 / 400)
    # every pattern coded true: the estimate is 1 and so is the interval's end (the Beta route gave 1.00 [0.59, 0.86])
    assert weighted_precision([(5, 1, 1)] * 31)[::2] == (1.0, 1.0)


def _stratified_studies(rng, runs: int, precise: bool):
    """Simulated lexicon validations: 3-30 patterns with Pareto-many matches (1 to 400), each match
    true with its pattern's own precision (Beta(9, 1): mostly precise; or Beta(2, 1.2)), 1-4 coded per
    pattern as framing validate sample draws them, and 500-5,000 unmatched sentences, 0.5-5% of them
    misses, 30-200 coded. Yields (true precision, true recall, strata, missed) of the matches drawn."""
    for _ in range(runs):
        n_patterns = rng.integers(3, 30)
        matches = np.minimum(1 + (rng.pareto(1.2, n_patterns) * 5).astype(int), 400)
        precision = rng.beta(9, 1, n_patterns) if precise else rng.beta(2, 1.2, n_patterns)
        truth = [rng.random(n) < p for n, p in zip(matches, precision)]
        strata = []
        for n, labels in zip(matches, truth):
            coded = rng.choice(n, min(n, rng.integers(1, 5)), replace=False)
            strata.append((n, labels[coded].sum(), len(coded)))
        unmatched = int(rng.integers(500, 5000))
        misses = rng.random(unmatched) < rng.uniform(0.005, 0.05)
        coded = rng.choice(unmatched, int(rng.integers(30, 200)), replace=False)
        true_matches = sum(labels.sum() for labels in truth)
        yield (true_matches / matches.sum(), true_matches / (true_matches + misses.sum()), strata,
               (unmatched, misses[coded].sum(), len(coded)))


@pytest.mark.parametrize("precise", [True, False])
def test_weighted_precision_and_recall_cover_the_truth_at_their_level(precise):
    """The intervals hold the true precision and recall of the corpus's matches in about 95% of 400 simulated
    validations (binomial sd 1.1 points), and the precision's estimate always lies in its interval. The
    former per-pattern Beta posteriors held the true precision in 21% of the precise ones, recall in 91%."""
    from framing.validation import estimated_recall, weighted_precision

    rng = np.random.default_rng(3 if precise else 4)
    held_p = held_r = inside = 0
    runs = 400
    for true_precision, true_recall, strata, missed in _stratified_studies(rng, runs, precise):
        p, low, high = weighted_precision(strata)
        held_p += low <= true_precision <= high
        inside += low <= p <= high
        _, low, high = estimated_recall(strata, missed, n_draws=4000)
        held_r += low <= true_recall <= high
    assert inside == runs
    assert 0.92 <= held_p / runs <= (0.97 if precise else 0.995)  # conservative where patterns differ (Kish's n_eff)
    assert 0.92 <= held_r / runs <= 0.99


def test_recall_on_thin_data_says_it_is_prior_driven():
    # 2 coded unmatched sentences, no miss among them: the estimate comes from the prior, and the row says so
    matches = pd.DataFrame({"item_id": [f"m{k}" for k in range(4)], "category": "c", "pattern": "vote*",
                            "match": "vote", "weight": "5", "label": ["1", "1", "1", "0"]})
    misses = pd.DataFrame({"item_id": ["s1", "s2"], "category": "c", "pattern": "", "match": "", "weight": "50",
                           "label": ["0", "0"]})
    row = score_sheet(pd.concat([matches, misses])).set_index("pattern").loc[""]
    assert row[["n_coded", "n_misses", "n_missed"]].tolist() == [4, 2, 0]
    assert row["note"] == ("prior-driven recall: 2 coded unmatched sentence(s), under 10; the miss rate is mostly the "
                           "uniform prior's")
    # twelve coded, none a miss: enough sentences, but still no miss found
    many = pd.DataFrame({"item_id": [f"s{k}" for k in range(12)], "category": "c", "pattern": "", "match": "",
                         "weight": "10", "label": "0"})
    row = score_sheet(pd.concat([matches, many])).set_index("pattern").loc[""]
    assert row["note"] == "prior-driven recall: no miss among 12 coded unmatched sentences; the miss rate is mostly the uniform prior's"
    # twelve coded with two misses: a recall that rests on data
    found = many.assign(label=["1", "1"] + ["0"] * 10)
    assert score_sheet(pd.concat([matches, found])).set_index("pattern").loc["", "note"] == ""


def test_bad_sheets_are_one_line_errors():
    sheet = pd.DataFrame({"item_id": ["i1"], "category": "c", "pattern": "p", "match": "m", "weight": "1",
                          "label": ["maybe"]})
    with pytest.raises(FramingError) as exc:
        score_sheet(sheet, origin="s.csv")
    assert str(exc.value) == "s.csv: line 2: label 'maybe' is not 1/0, yes/no or true/false (blank: not coded)"
    with pytest.raises(FramingError, match="s.csv: not a coding sheet of framing: no weight, label column"):
        score_sheet(sheet.drop(columns=["weight", "label"]), origin="s.csv")
    with pytest.raises(FramingError, match="s.csv: line 2: weight 'ten' is not a positive finite number"):
        score_sheet(sheet.assign(label="1", weight="ten"), origin="s.csv")
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
    from framing.lexicon.read import load_lexicon

    lexicon = tmp_path / "mine.toml"
    original = ('# My lexicon: words for states.\n[meta]\nname = "mine"\nversion = "0.2"  # bump on every change\n\n'
                '# Labels of the state\n[categories.state]\nterms = [\n  "regime*",  # the main one\n  "tax*",\n]\n'
                'exclude = ["regimen*"]\n\n[categories.other]\nterms = ["vote"]\n')
    lexicon.write_text(original, encoding="utf-8")
    sheet = pd.DataFrame({"item_id": ["i1", "i2", "i3", "i4"], "category": "state",
                          "pattern": ["regime*", "tax*", "tax*", "tax*"],
                          "match": ["regime", "Taxi", "taxes", "taxi"], "weight": "1", "label": ["1", "0", "0", "0"],
                          "doc_id": "d", "left": "", "right": "", "sentence": "", "start": 0, "end": 1, "note": ""})
    sheet.to_csv(tmp_path / "s.csv", index=False)
    out = tmp_path / "mine_validated.toml"
    code = main(["validate", "score", str(tmp_path / "s.csv"), "--lexicon", str(lexicon), "--fix", str(out), "-o",
                 str(tmp_path / "r.csv")])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "state: 'tax*' has precision 0.00; consider excluding: taxes; taxi" in err
    fixed = load_lexicon(out)
    assert [t.pattern for t in fixed.category("state").exclude] == ["regimen*", "taxes", "taxi"]
    assert fixed.meta["version"] == "0.2+validated"
    # the file is the user's own, edited: comments, order and layout kept, only the exclusions and meta changed
    text = out.read_text(encoding="utf-8")
    for kept in ("# My lexicon: words for states.", "# bump on every change", "# Labels of the state", '"regime*",  # the main one',
                 '[categories.other]\nterms = ["vote"]'):
        assert kept in text
    assert 'exclude = ["regimen*", "taxes", "taxi"]' in text and 'version = "0.2+validated"' in text
    assert main(["validate", "score", str(tmp_path / "s.csv"), "--lexicon", str(lexicon), "--fix", str(out)]) == 2
    assert "exists already" in capsys.readouterr().err


def test_misses_are_unmatched_sentences_weighted_by_those_left(tmp_path):
    from framing.documents.corpus import load_corpus

    corpus = load_corpus(pd.DataFrame({"text": ["The regime fell. It rained. Sun shone. The mullahs spoke. ..."]}))
    sheet = coding_sheet(corpus, "framing", n=2, categories=["state_delegitimizing"], misses=1, seed=3)
    misses = sheet[sheet["pattern"] == ""]
    # two sentences with words and no match ("..." has no word): one drawn, standing for both
    assert len(misses) == 1 and misses["sentence"].iloc[0] in {"It rained.", "Sun shone."}
    assert misses["weight"].iloc[0] == 2.0 and misses["match"].iloc[0] == ""
    text = corpus.documents["clean_text"].iloc[0]
    assert text[misses["start"].iloc[0] : misses["end"].iloc[0]] == misses["sentence"].iloc[0]
    everything = coding_sheet(corpus, "framing", n=2, categories=["state_delegitimizing"], misses=5, seed=3)
    assert everything.loc[everything["pattern"] == "", "sentence"].tolist() == ["It rained.", "Sun shone."]
    assert everything["item_id"].is_unique
    with pytest.raises(FramingError, match="the lexicon 'framing' has no category heroism; its categories: "):
        coding_sheet(corpus, "framing", categories=["state_delegitimizing", "heroism"])


def test_recall_by_hand():
    from framing.validation import estimated_recall

    sheet = pd.DataFrame({
        "item_id": ["i1", "i2", "i3", "m1", "m2", "m3"],
        "category": "state", "pattern": ["regime*", "regime*", "regime*", "", "", ""],
        "match": ["regime", "regime", "regimes", "", "", ""],
        "weight": ["10", "10", "10", "50", "50", "50"],  # 30 matches; 150 unmatched sentences, 3 drawn
        "label": ["1", "1", "1", "1", "0", ""],
    })
    row = score_sheet(sheet).set_index("pattern").loc[""]
    assert row[["n_coded", "n_true", "n_uncoded", "n_misses", "n_missed"]].tolist() == [3, 3, 1, 2, 1]
    # the report's recall is estimated_recall on the strata: 30 matches, 3 of 3 true; 150 unmatched, 1 of 2 missed
    assert tuple(row[["recall", "recall_low", "recall_high"]]) == estimated_recall([(30, 3, 3)], (150, 1, 2))
    assert row["recall_low"] < row["recall"] < row["recall_high"]
    # by hand, in closed form: recall = 30 p / (30 p + 150 m), p ~ Beta(4, 1), m ~ Beta(2, 2); its median
    # is the r with P(30 p / (30 p + 150 m) < r) = 1/2, integrated on a grid
    grid = (np.arange(4000) + 0.5) / 4000
    p, m = np.meshgrid(grid, grid)
    density = 4 * p**3 * 6 * m * (1 - m)
    share = 30 * p / (30 * p + 150 * m)
    below = lambda r: density[share < r].sum() / density.sum()  # noqa: E731
    assert below(row["recall"]) == pytest.approx(0.5, abs=0.01)
    assert below(row["recall_low"]) == pytest.approx(0.025, abs=0.005)
    assert below(row["recall_high"]) == pytest.approx(0.975, abs=0.005)
    # no miss among a few sentences: the plug-in ratio would say 1.0; the estimate stays inside its interval
    recall, low, high = estimated_recall([(30, 3, 3)], (150, 0, 3))
    assert low < recall < high < 1.0
    # with many coded items the interval matches the delta method's: T = 800 +- 1000 sqrt(.8 x .2 / 1000),
    # F = 200 +- 10000 sqrt(.02 x .98 / 10000); dR/dT = F / (T + F)^2, dR/dF = -T / (T + F)^2
    recall, low, high = estimated_recall([(1000, 800, 1000)], (10000, 200, 10000))
    assert recall == pytest.approx(800 / (800 + 200), abs=0.002)
    sd = ((200 / 1e6 * 1000 * (0.16 / 1000) ** 0.5) ** 2 + (800 / 1e6 * 10000 * (0.0196 / 10000) ** 0.5) ** 2) ** 0.5
    assert (high - low) / 2 == pytest.approx(1.96 * sd, rel=0.05)
    assert estimated_recall([(1000, 800, 1000)], (10000, 200, 10000)) == (recall, low, high)  # same seed, same interval
    # no coded miss sentence: no recall
    assert pd.isna(score_sheet(sheet.assign(label=["1", "1", "1", "", "", ""])).set_index("pattern").loc["", "recall"])


def test_misses_on_the_command_line(tmp_path, capsys):
    sheet = tmp_path / "s.csv"
    assert main(["validate", "sample", str(SEEDS), "--category", "state_delegitimizing", "--n", "10", "--misses", "4",
                 "-o", str(sheet)]) == 0
    coded = pd.read_csv(sheet, keep_default_na=False, dtype=str)
    assert (coded["pattern"] == "").sum() == 4
    coded["label"] = ["0" if p == "" else "1" for p in coded["pattern"]]
    coded.to_csv(sheet, index=False)
    capsys.readouterr()
    assert main(["validate", "score", str(sheet)]) == 0
    err = capsys.readouterr().err
    # no miss among 4 sentences: the estimate is not 1.0 but the posterior's median, inside its interval
    assert "framing: state_delegitimizing: estimated recall 0.80 [0.45, 0.99] (0 of 4 unmatched sentences" in err
    assert "no match; does it express the category?" in (tmp_path / "s.html").read_text(encoding="utf-8")
    assert main(["validate", "sample", str(SEEDS), "--misses", "4", "--blind", "-o", str(tmp_path / "b.csv")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_the_seeds_coded_sheet_is_the_sheet_drawn_with_its_seed(seeds):
    from framing.validation import check_sheet, read_sheet

    coded = read_sheet(ROOT / "seeds" / "validation" / "framing_coded.csv")
    drawn = coding_sheet(seeds, "framing", per_term=2, misses=3, seed=1)
    columns = ["item_id", "doc_id", "category", "pattern", "match", "start", "end"]
    assert coded[columns].equals(drawn[columns].astype(str))
    check_sheet(seeds, coded)
    false_matches = coded[(coded["label"] == "0") & (coded["pattern"] != "")]
    assert set(coded["label"]) == {"0", "1"} and len(false_matches) == 5 and (false_matches["note"] != "").all()


def test_check_sheet_refuses_a_sheet_of_another_corpus(seeds):
    from framing.validation import check_sheet

    sheet = coding_sheet(seeds, "framing", n=5, seed=0)
    with pytest.raises(FramingError, match="s.csv: item item00001: document 'x' is not in this corpus"):
        check_sheet(seeds, sheet.assign(doc_id="x"), origin="s.csv")
    with pytest.raises(FramingError, match="s.csv: item item00001: the text at .* the sheet was drawn from another version"):
        check_sheet(seeds, sheet.assign(start=sheet["start"] + 1), origin="s.csv")


def test_exclusions_keep_what_a_pattern_is_for():
    sheet = pd.DataFrame({
        "item_id": [f"i{i}" for i in range(6)], "category": "c",
        "pattern": ["vote", "election*", "election*", "tax*", "resist*", "resist*"],
        "match": ["vote", "election", "elections", "taxi", "resistance", "resistance"],
        "left": ["Iran's people's", "What", "the", "a", "the Iranian", "this sort of"],
        "weight": "1", "label": ["0", "0", "1", "0", "0", "1"],
    })
    report = score_sheet(sheet, min_coded=1).set_index("pattern")  # the context rule on single items
    assert report.loc["vote", "exclude"] == "people's vote"  # the pattern itself: only its false context
    assert report.loc["election*", "exclude"] == "what election"  # the pattern's stem
    assert report.loc["tax*", "exclude"] == "taxi"  # a word the pattern was not written for
    assert report.loc["resist*", "exclude"] == "iranian resistance"  # coded true elsewhere


def test_precision_figure_and_describe(seeds):
    from framing import plots
    from framing.validation import describe

    sheet = pd.DataFrame({"item_id": ["i1", "m1"], "category": "c", "pattern": ["p*", ""], "match": ["pa", ""],
                          "left": "", "weight": ["2", "10"], "label": ["1", "0"]})
    report = score_sheet(sheet)
    assert describe(report)[0].startswith("c: estimated recall ") and "(0 of 1 unmatched sentences" in describe(report)[0]
    ax = plots.precision_figure(report).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["c (1 matches, 1 sentences, prior-driven)"]
    assert isinstance(plots.precision_figure(score_sheet(sheet.assign(label=""))), plots.Skipped)


def test_the_precision_chart_draws_each_interval_of_the_report():
    """The weighted precision is what a reader cites for the corpus, so it is drawn with its interval (it was a
    lone diamond): each category's three bars, read back from the figure, are the report's intervals."""
    from framing import plots
    from framing.tables import by_category

    report = score_sheet(pd.read_csv(SEEDS / "validation" / "framing_coded.csv"))
    fig = plots.precision_figure(report)
    ax = fig.axes[0]
    assert plots.layout_problems(fig) == []
    rows = by_category(report)
    rows = rows[rows["n_coded"] > 0].sort_values("precision", kind="mergesort")
    bars = {c.get_label(): c for c in ax.containers}
    for label, point, low, high, shift in (("precision, Wilson 95%", "precision", "ci_low", "ci_high", 0.0),
                                           ("precision weighted to the corpus, 95%", "weighted_precision",
                                            "weighted_low", "weighted_high", 0.25)):
        line, _, (segments,) = bars[label]
        x, y = line.get_data()
        assert np.allclose(x, rows[point]) and np.allclose(y, np.arange(len(rows)) + shift)
        ends = np.array([[a[0], b[0]] for a, b in segments.get_segments()])
        assert np.allclose(ends, rows[[low, high]].to_numpy(float)), label
    # the weighted intervals are not the Wilson ones: they rest on fewer effective items where strata weigh unequally
    assert (rows["weighted_high"] - rows["weighted_low"] > rows["ci_high"] - rows["ci_low"]).any()
    drawn = plots.drawn_values(fig)
    assert drawn[["weighted_low", "weighted_high", "n_effective"]].equals(rows[["weighted_low", "weighted_high", "n_effective"]]
                                                                          .reset_index(drop=True))


def test_scores_of_a_blind_sheet_and_their_edges_by_hand():
    """Found by mutation testing: the key of a blind sheet, the threshold's edge, a pattern no one coded
    (it takes its category's pooled precision), notes on one coded item and on none, and per-category intervals."""
    from framing.validation import weighted_precision

    sheet = pd.DataFrame({
        "item_id": [f"i{k}" for k in range(9)],
        "category": ["a"] * 5 + ["b"] * 4,
        "pattern": ["p*", "p*", "p*", "p*", "q", "r*", "r*", "r*", "s"],
        "match": ["pa", "pb", "pc", "pd", "q", "ra", "rb", "rc", "s"],
        "weight": ["2", "2", "2", "2", "7", "3", "3", "3", "1"],
        "label": ["1", "1", "1", "0", "", "1", "0", "1", "1"],
    })
    report = score_sheet(sheet, threshold=0.75).set_index(["category", "pattern"])
    # p*: 3 of 4 = 0.75, exactly the threshold: not flagged (flagged under it)
    assert report.loc[("a", "p*"), ["precision", "flag"]].tolist() == [0.75, False]
    assert score_sheet(sheet, threshold=0.76).set_index(["category", "pattern"]).loc[("a", "p*"), "flag"]
    # q: drawn, not coded: no precision, no note; s: one coded item: not judged, and said
    assert report.loc[("a", "q"), ["n_coded", "note"]].tolist() == [0, ""] and np.isnan(report.loc[("a", "q"), "precision"])
    assert report.loc[("b", "s"), "note"] == "too few coded (1 of 3)"
    # category a weighted back: p* stands for 8 matches at 3/4, q (uncoded) for 7 at a's pooled 3/4 -> 0.75 overall;
    # the interval comes from a's own strata, not b's
    a = report.loc[("a", "")]
    assert a["weighted_precision"] == pytest.approx(0.75)
    expected = weighted_precision([(8, 3, 4), (7, 3, 4)])
    assert (a["weighted_low"], a["weighted_high"]) == (pytest.approx(expected[1]), pytest.approx(expected[2]))
    b = report.loc[("b", "")]
    expected_b = weighted_precision([(9, 2, 3), (1, 1, 1)])
    assert (b["weighted_low"], b["weighted_high"]) == (pytest.approx(expected_b[1]), pytest.approx(expected_b[2]))
    # a blind sheet (category, pattern and weight in the key) scores the same as the open sheet
    shown = sheet.drop(columns=["category", "pattern", "weight"])
    key = sheet[["item_id", "category", "pattern", "weight"]]
    pd.testing.assert_frame_equal(score_sheet(shown, key=key, threshold=0.75), score_sheet(sheet, threshold=0.75))
    # strata that cannot be estimated: no coded item, or no match in the corpus
    assert np.isnan(weighted_precision([(5, 0, 0)])[0]) and np.isnan(weighted_precision([(0, 1, 1)])[0])
    assert np.isnan(weighted_precision([])[0])
