import io

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from framing import plots  # noqa: E402
from framing.comparison.models import rate_model  # noqa: E402
from framing.comparison.profiles import cluster, profile_map, profiles, similarity  # noqa: E402
from framing.comparison.rates import compare, compare_sentences, group_shares
from framing.documents.corpus import load_corpus  # noqa: E402
from framing.features import lexicon_features, sentence_counts  # noqa: E402
from framing.features.actors import actor_shares  # noqa: E402
from framing.features.sentiment import actor_sentence_scores  # noqa: E402
from framing.features.stance import stance_features  # noqa: E402
from framing.keywords.keyness import keyness  # noqa: E402
from tests.conftest import SEEDS  # noqa: E402


@pytest.fixture(scope="module")
def tiny():
    return load_corpus(pd.DataFrame({
        "doc_id": ["a1", "a2", "b1"], "outlet": ["A", "A", "B"], "side": ["x", "x", "y"],
        "text": [
            "The regime held a sham election. Regime officials fear us.",
            "The regime lied, allegedly. It may fall.",
            "The government said the election was fair. Officials praised the vote.",
        ],
    }))


def axes():
    return Figure().add_subplot()


def test_document_sizes(tiny):
    ax = plots.document_sizes(tiny.overview(), axes(), by="outlet")
    assert len(ax.patches) == 3
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a1 (A)", "a2 (A)", "b1 (B)"]


def test_rate_heatmap_annotates_every_cell(tiny):
    features = lexicon_features(tiny)
    rates = compare(features, "outlet", sentences=sentence_counts(tiny, features), n_boot=50)
    ax = plots.rate_heatmap(rates, axes())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A (n=2)", "B (n=1)"]  # documents behind each row
    assert len(ax.get_xticklabels()) == 11
    cells = [t for t in ax.texts]
    assert len(cells) == 22
    row = rates[(rates.outlet == "A") & (rates.category == "state_delegitimizing")].iloc[0]
    # the rate, and under it the bootstrap interval
    assert f"{row['per_1k']:.1f}\n{row['ci_low']:.1f}–{row['ci_high']:.1f}" in [t.get_text() for t in cells]
    assert any(t.get_style() == "italic" for t in cells)  # few matches


def test_keyness_bars_and_figure(tiny):
    table = keyness(tiny, "outlet", min_count=1)
    ax = plots.keyness_bars(table, axes(), group="A", top=3)
    values = [p.get_width() for p in ax.patches]
    assert len(values) == 6 and sum(v > 0 for v in values) == 3
    assert ax.get_title() == "A vs B"  # "the rest" is one group: named
    fig = plots.keyness_figure(keyness(tiny, "doc_id", min_count=1), top=3)  # three groups: a panel each
    assert [a.get_title() for a in fig.axes if a.get_visible()] == [
        "a1 vs the other 2 groups", "a2 vs the other 2 groups", "b1 vs the other 2 groups"]
    # the size of "the rest" travels in a column, so a table read back from a file, or one group's
    # rows alone, still say it (attrs were lost by both)
    one = keyness(tiny, "doc_id", min_count=1).query("doc_id == 'a1'")
    assert plots.keyness_bars(one, axes(), group="a1", top=3).get_title() == "a1 vs the other 2 groups"


def test_term_scatter_labels_top_terms(tiny):
    table = keyness(tiny, "side", target="x", min_count=1)
    ax = plots.term_scatter(table, axes(), group="x", top=2)
    labels = " ".join(t.get_text() for t in ax.texts)
    assert "regime" in labels
    assert ax.get_xlabel() == "y: per 10,000 tokens"  # the rest is the one other group, y


def test_stance_figure_has_a_panel_per_category_on_its_own_scale(tiny):
    features = stance_features(tiny)
    rates = compare(features, "outlet", sentences=sentence_counts(tiny, features), n_boot=50)
    fig = plots.stance_figure(rates)
    panels = [a for a in fig.axes if a.get_visible()]
    assert len(panels) == 11 and [t.get_text() for t in panels[0].get_yticklabels()] == ["A (n=2)", "B (n=1)"]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["author voice", "quoted voice", "interval runs on"]
    # each panel's axis reaches 1.6 times its largest rate (times 1.02), whatever the other categories' scale
    for ax in panels:
        rows = rates[rates["category"] == ax.get_title().replace(" ", "_")]
        top = rows["per_1k"].max()
        assert ax.get_xlim()[1] == pytest.approx((top * 1.6 if top > 0 else 1.0) * 1.02)
    assert plots.layout_problems(fig) == []


def test_connotation_bars(tiny):
    shares = group_shares(actor_shares(tiny), "outlet")
    ax = plots.connotation_bars(shares, axes())
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert "iranian state | A (n=3)" in ticks and "election | B (n=2)" in ticks
    widths = {}
    for p in ax.patches:
        widths.setdefault(round(p.get_y() + p.get_height() / 2), []).append(p.get_width())
    assert all(pytest.approx(1.0) == sum(w) for w in widths.values())  # shares stack to 1


def test_actor_sentiment_plot(tiny):
    table = compare_sentences(actor_sentence_scores(tiny), ["outlet", "actor"], n_boot=50)
    ax = plots.actor_sentiment_plot(table, axes(), group_column="outlet")
    assert ax.get_xlim() == (-1, 1)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B"]
    assert all("sentences)" not in t.get_text() for t in ax.get_yticklabels())  # never "1 sentences"
    n = table.pivot_table(index="actor", columns="outlet", values="n_sentences", aggfunc="sum", fill_value=0)
    # n per actor and group, by the actor, in the order drawn
    assert [t.get_text().split("\n")[1] for t in ax.get_yticklabels()] == [
        f"(sentences: A {n.loc[a, 'A']}, B {n.loc[a, 'B']})" for a in n.index]
    # of more groups than a label holds, each actor's label gives their total; each count stays in the values
    # and the groups whose sentences name it (the president, named by two of nine news outlets, read "in 9 groups")
    many = pd.DataFrame({"outlet": [f"outlet number {k}" for k in range(4) for _ in range(3)],
                         "actor": ["regime", "opposition", "president"] * 4, "mean": 0.1, "ci_low": -0.2, "ci_high": 0.3,
                         "n_sentences": [1, 2, 3, 4, 5, 0, 7, 8, 0, 10, 11, 0]})
    many = many[many["n_sentences"] > 0]  # a group with no sentence naming an actor has no row for it
    ax = plots.actor_sentiment_plot(many, axes(), group_column="outlet")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["regime\n(sentences: 22 in 4 groups)",
                                                           "opposition\n(sentences: 26 in 4 groups)",
                                                           "president\n(sentences: 3 in 1 group)"]
    assert plots.drawn_values(ax.figure)["n_sentences"].sum() == 51


def test_legends_under_a_chart_sit_just_below_its_x_label_on_short_and_tall_charts(seeds, tiny):
    """The precision chart's legend hung a fifth of the axes' height below it: 150 pixels of blank under
    the seeds' eleven categories. A legend under a chart is now a fixed distance below the axes: clear of
    the x label (no overlap, by the layout check) and within 12 points of it, on two rows and on thirty."""
    from framing.validation import score_sheet

    report = score_sheet(pd.read_csv(SEEDS / "validation" / "framing_coded.csv"))
    two = report[report["category"].isin(report["category"].unique()[:2])]
    shares = group_shares(actor_shares(tiny), "outlet")
    charts = {"precision, 11 categories": plots.precision_figure(report), "precision, 2": plots.precision_figure(two),
              "labels, seeds": plots.actor_labels_figure(group_shares(actor_shares(seeds), "outlet")),
              "labels, 2 rows": plots.actor_labels_figure(shares.head(4))}
    for name, fig in charts.items():
        assert plots.layout_problems(fig) == [], name
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        gap = ax.xaxis.label.get_window_extent(renderer).y0 - ax.get_legend().get_window_extent(renderer).y1
        assert 0 <= gap * 72 / fig.dpi <= 12, (name, gap * 72 / fig.dpi)


def test_similarity_figure_and_map(tiny):
    matrix = profiles(lexicon_features(tiny))
    sim = similarity(matrix)
    fig = plots.similarity_figure(sim, cluster(sim), title="T")
    heat = fig.axes[1]
    assert len(heat.texts) == 9
    assert fig.axes[0].get_title() == "T"
    coords = profile_map(matrix)
    ax = plots.profile_map_plot(coords, axes(), groups=tiny.groups("outlet"))
    assert sorted(t.get_text() for t in ax.texts) == ["A", "A", "B"]
    # the variance each axis holds travels in columns, so a map read back from a file still says it
    share = f"{coords['explained_x'].iloc[0]:.0%}"
    assert ax.get_xlabel() == f"axis 1 ({share} of variance)"
    again = plots.profile_map_plot(pd.read_csv(io.StringIO(coords.to_csv())), axes())
    assert again.get_xlabel() == ax.get_xlabel()
    assert plots.profile_map_plot(coords[["x", "y"]], axes()).get_xlabel() == "axis 1"  # MDS: no variance share


def test_plots_do_not_change_global_style(tiny):
    before = {k: v for k, v in matplotlib.rcParams.items() if not k.startswith("backend")}
    with plots.style():
        assert matplotlib.rcParams["axes.spines.top"] is False  # the house style is on inside ...
    plots.document_sizes(tiny.overview(), axes())
    after = {k: v for k, v in matplotlib.rcParams.items() if not k.startswith("backend")}
    assert {k for k in before if str(before[k]) != str(after[k])} == set()  # ... and nothing leaks out


def test_degenerate_charts_are_not_drawn(tiny, tmp_path, capsys):
    from framing import figures

    two = similarity(profiles(lexicon_features(tiny), "outlet"))
    skipped = plots.similarity_figure(two, cluster(two), title="Profiles")
    assert isinstance(skipped, plots.Skipped)
    assert skipped.reason.startswith("Profiles: 2 group(s), and a similarity heatmap with a dendrogram needs three; the one")
    standardized = similarity(profiles(lexicon_features(tiny), "outlet"), standardize=True)
    assert "standardized cosine is -1 by construction" in plots.similarity_figure(standardized, None).reason
    assert figures.save(skipped, tmp_path, "06_x") is None and list(tmp_path.iterdir()) == []
    assert capsys.readouterr().out.startswith("06_x not drawn: Profiles: 2 group(s)")
    with pytest.warns(UserWarning, match="have one document"):
        rates = compare(lexicon_features(tiny), "outlet", n_boot=10, min_docs=1)
    assert isinstance(plots.contrast_heatmap_figure(rates, rates), plots.Skipped)


def test_two_groups_give_one_keyness_panel(tiny):
    fig = plots.keyness_figure(keyness(tiny, "outlet", min_count=1), top=3)
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 1
    assert fig.axes[0].get_title() == "A vs B"


@pytest.fixture(scope="module")
def generated():
    """1,000 short documents in 50 groups, with words of the framing lexicon mixed in."""
    rng = np.random.default_rng(7)
    words = ["the", "regime", "government", "vote", "election", "protest", "said", "officials", "people", "fear",
             "rights", "internet", "clerics", "sham", "we", "they", "reported", "crackdown", "police", "city"]
    rows = [{"doc_id": f"d{i:04d}", "desk": f"group {i % 50:02d}",
             "text": " ".join(rng.choice(words, size=int(rng.integers(20, 60)))) + "."} for i in range(1000)]
    return load_corpus(pd.DataFrame(rows))


def _pixels(fig):
    return [v * 150 for v in fig.get_size_inches()]


LEFT_OUT = "left out, fewest documents: group 12, group 13, group 14, group 15, group 16 and 33 more"


def test_one_rule_for_leaving_groups_out_in_fifty_groups(generated):
    """Every chart that caps groups keeps the same twelve (most documents; here all have 20, so by
    name: group 00 to group 11), draws them in one order, names those left out, stays within
    MAX_PIXELS, and has no text outside the figure or over other text."""
    from framing.features.stance import stance_features

    kept = [f"group {i:02d}" for i in range(12)]
    colours = plots.group_colours(generated.groups("desk"))
    assert len(set(colours.values())) == 50  # no two of the fifty share a colour
    overview = generated.overview()
    features = lexicon_features(generated)
    rates = compare(features, "desk", n_boot=20)
    stance = compare(stance_features(generated), "desk", n_boot=10)
    figs = {
        "documents": plots.documents_figure(overview, by="desk", colours=colours),
        "rates": plots.rate_figure(rates, lexicon="framing"),
        "keyness": plots.keyness_figure(keyness(generated, "desk", min_count=3)),
        "stance": plots.stance_figure(stance, colours=colours),
        "model": plots.rate_ratio_figure(rate_model(features, "desk"), colours=colours),
    }
    fig = Figure(figsize=(7, 6), layout="constrained")
    plots.profile_map_plot(profile_map(profiles(features)), fig.add_subplot(), groups=generated.groups("desk"),
                           colours=colours)
    figs["map"] = fig
    for name, fig in figs.items():
        assert max(_pixels(fig)) <= plots.MAX_PIXELS, name
        titles = " ".join([fig._suptitle.get_text() if fig._suptitle else ""] + [a.get_title() for a in fig.axes])
        assert LEFT_OUT in " ".join(titles.split()), name  # the same groups named, however the title wraps
        assert plots.layout_problems(fig) == [], name
    ax = figs["documents"].axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"{g} (n=20)" for g in kept]
    assert [t.get_text() for t in figs["rates"].axes[0].get_yticklabels()] == [f"{g} (n=20)" for g in kept]
    assert [t.get_text().split(" (")[0] for t in figs["stance"].axes[0].get_yticklabels()] == kept
    model_ax = figs["model"].axes[0]
    assert [t.get_text().split(" (")[0] for t in model_ax.get_legend().get_texts()] == kept[1:]  # group 00 is the reference
    # one colour per group across charts: the map's and the model's dots of group 05 are the same colour
    map_ax = figs["map"].axes[0]
    legend = {t.get_text().split(" (")[0]: h for t, h in zip(map_ax.get_legend().get_texts(), map_ax.get_legend().legend_handles)}
    assert matplotlib.colors.to_hex(legend["group 05"].get_facecolor()[0]) == colours["group 05"].lower()
    # the map labels every centroid it can, and names the others
    assert {t.get_text() for t in map_ax.texts} <= set(kept)


def test_colours_stay_distinct_up_to_what_an_eye_tells_apart():
    # 8-bit colours of three lightnesses run out of distinct values after a few thousand: the search for an
    # unused one then took minutes (3,000 groups: explore > 2 min); beyond DISTINCT_COLOURS colours repeat
    colours = plots.group_colours({f"g{i:05d}": 1 for i in range(3000)})
    values = list(colours.values())
    assert len(set(values[: plots.DISTINCT_COLOURS])) == plots.DISTINCT_COLOURS
    assert values[plots.DISTINCT_COLOURS] == values[0] and len(set(values)) == plots.DISTINCT_COLOURS


# --------------------------------------------------------------------------- the numbers behind each chart


def test_each_chart_keeps_exactly_the_values_it_draws(tiny, tmp_path):
    """The table save() writes beside a chart holds the values drawn, mark by mark, read back from the figure."""
    from framing import figures

    features = lexicon_features(tiny)
    rates = compare(features, "outlet", sentences=sentence_counts(tiny, features), n_boot=50)
    fig = plots.rate_figure(rates, lexicon="framing")
    drawn = plots.drawn_values(fig)
    # the heatmap: one row per cell, row by row; each cell's text is its rate and interval from the table
    heat = fig.axes[0]
    assert len(drawn) == 22 and drawn[["outlet", "category"]].iloc[0].tolist() == ["A", rates["category"].iloc[0]]
    texts = iter(heat.texts)
    for row in drawn.itertuples():
        assert next(texts).get_text() == f"{row.per_1k:.1f}\n{row.ci_low:.1f}–{row.ci_high:.1f}"
    assert np.allclose(heat.images[0].get_array().ravel(), drawn["colour_share"])
    assert drawn["panel"].iloc[0] == heat.get_title().replace("\n", " ")
    # written beside the chart, and read back the same
    figures.save(fig, tmp_path, "rates")
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "rates.csv"), drawn.astype({"n_docs": "int64"}),
                                  check_dtype=False)
    # to twelve significant digits (figures.VALUE_DIGITS), exactly: the last digits of an SVD differ between CPUs
    written = pd.read_csv(tmp_path / "rates.csv")
    assert written["per_1k"].tolist() == [float(f"{v:.12g}") for v in drawn["per_1k"]]
    assert any(len(repr(v)) > 14 for v in drawn["per_1k"]) and max(len(repr(v)) for v in written["per_1k"]) <= 14

    # keyness bars: each bar's length is the measure of the row drawn at its height
    table = keyness(tiny, "outlet", min_count=1)
    ax = plots.keyness_bars(table, axes(), group="A", top=3)
    bars = plots.drawn_values(ax.figure)
    assert [p.get_width() for p in ax.patches] == bars["g2"].tolist()
    assert [t.get_text() for t in ax.get_yticklabels()] == bars["term"].tolist()

    # stance: each filled or hollow dot at its rate, groups and voices in the order drawn
    with pytest.warns(UserWarning, match=r"1 group\(s\) have one document \(B\): their intervals have no width"):
        stance = compare(stance_features(tiny), "outlet", n_boot=20, min_docs=1)
    fig = plots.stance_figure(stance)
    for ax in fig.axes:
        values = getattr(ax, plots.DRAWN, None)
        if values is None or not ax.get_visible():
            continue
        dots = [line.get_xdata()[0] for line in ax.lines if line.get_marker() == "o"]
        assert dots == values["per_1k"].tolist(), ax.get_title()

    # similarity: the heatmap's image is the table's cosines, in the dendrogram's order
    matrix = profiles(features)
    sim = similarity(matrix)
    fig = plots.similarity_figure(sim, cluster(sim), title="T")
    values = plots.drawn_values(fig)
    grid = fig.axes[1].collections[0].get_array()  # one quad per cell, row by row from the top
    assert np.allclose(grid.ravel(), values["cosine"])
    assert fig.axes[1].get_ylim() == (len(sim.matrix) - 0.5, -0.5)  # the first row on top
    assert values.iloc[0][["row", "column"]].tolist() == [fig.axes[1].get_xticklabels()[0].get_text()] * 2


def test_a_chart_that_leaves_groups_out_says_so_in_its_numbers():
    rates = pd.DataFrame({"outlet": [f"o{i:02d}" for i in range(15)], "category": "c", "per_1k": np.arange(15.0),
                          "ci_low": 0.0, "ci_high": 20.0, "n_docs": np.arange(15, 0, -1), "warning": ""})
    drawn = plots.drawn_values(plots.rate_figure(rates))
    assert len(drawn) == plots.MAX_GROUPS and "o14" not in set(drawn["outlet"])
    assert "left out, fewest documents: o12, o13, o14" in drawn["panel"].iloc[0]
    # a group left out does not set the scale of a stance panel: 1.6 times the largest rate drawn
    stance = rates.assign(voice="author", per_1k=[*np.arange(12.0), 900.0, 900.0, 900.0], ci_high=20.0)
    ax = plots.stance_figure(stance).axes[0]
    assert ax.get_xlim()[1] == pytest.approx(11 * 1.6 * 1.02)


# --------------------------------------------------------------------------- frames from coding


def _scores_table():
    from framing.features.frames import SCORE_COLUMNS

    rows = [{"frame": "conflict", "status": "trained", "n_coded": 100, "n_positive": 30, "n_random": 100,
             "precision": 0.8, "precision_low": 0.6, "precision_high": 0.9, "recall": 0.5, "recall_low": 0.3,
             "recall_high": 0.7, "f1": 0.615, "f1_low": 0.45, "f1_high": 0.75, "tpr": 0.5, "fpr": 0.05, "recipe": "logreg",
             "level": 0.9},
            {"frame": "morality", "status": "not trained: 2 positive and 98 negative coded units; code at least 5 of each",
             "n_coded": 100, "n_positive": 2, "recipe": "", "level": 0.9}]
    return pd.DataFrame(rows).reindex(columns=SCORE_COLUMNS)


def test_the_frame_scores_chart_shows_every_frame_and_its_level():
    fig = plots.frame_scores_figure(_scores_table())
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["conflict (30 of 100 units)",
                                                            "morality (2 of 100 units): not trained"]
    assert "90% bootstrap intervals" in ax.get_title()
    assert plots.layout_problems(fig) == []
    drawn = plots.drawn_values(fig)
    assert drawn["frame"].tolist() == ["conflict"] and drawn["f1"].tolist() == [0.615]
    assert isinstance(plots.frame_scores_figure(_scores_table().iloc[1:]), plots.Skipped)


def test_the_prevalence_chart_with_many_groups_keeps_twelve_one_colour_each(generated):
    from framing.comparison.prevalence import frame_prevalence

    rng = np.random.default_rng(0)
    docs = generated.documents[["doc_id", "desk"]]
    units = pd.concat([docs.assign(frame=f, probability=rng.random(len(docs))) for f in ("conflict", "morality")])
    units["label"] = (units["probability"] >= 0.5).astype(int)
    calibration = pd.DataFrame({"frame": np.repeat(["conflict", "morality"], 40), "repeat": 0,
                                "truth": np.tile([1] * 20 + [0] * 20, 2), "probability": np.tile([0.8] * 16 + [0.3] * 24, 2),
                                "random": True})
    calibration["label"] = (calibration["probability"] >= 0.5).astype(int)
    table = frame_prevalence(units, calibration, by="desk", n_boot=50, target="group 00").table
    colours = plots.group_colours(generated.groups("desk"))
    fig = plots.prevalence_figure(table, colours=colours)
    ax = fig.axes[0]
    assert max(_pixels(fig)) <= plots.MAX_PIXELS
    assert LEFT_OUT in " ".join(ax.get_title().split())
    assert plots.layout_problems(fig) == []
    legend = {t.get_text().split(" (")[0]: h for t, h in zip(ax.get_legend().get_texts(), ax.get_legend().legend_handles)}
    assert list(legend) == [f"group {i:02d}" for i in range(12)]
    assert ax.get_legend().get_texts()[0].get_text() == "group 00 (20 units, 20 docs)"  # what each group's share rests on
    assert all(matplotlib.colors.to_hex(h.get_color()) == colours[g].lower() for g, h in legend.items())
    drawn = plots.drawn_values(fig)
    assert len(drawn) == 2 * 12
    assert drawn.set_index(["desk", "frame"])["estimate"].to_dict() == pytest.approx(
        table[table["desk"].isin(legend)].set_index(["desk", "frame"])["estimate"].to_dict())


# --------------------------------------------------------------------------- the same story


def test_the_coverage_chart_keeps_twelve_groups_and_records_its_cells(generated):
    rng = np.random.default_rng(1)
    docs = generated.documents[["doc_id", "desk"]].assign(story=[f"s{int(k)}" for k in rng.integers(0, 60, 1000)])
    from framing.comparison.agenda import agenda

    matrix = agenda(docs, "desk").matrix
    fig = plots.coverage_figure(matrix)
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == 12 and LEFT_OUT in " ".join(ax.get_title().split())
    assert plots.layout_problems(fig) == [] and max(_pixels(fig)) <= plots.MAX_PIXELS
    drawn = plots.drawn_values(fig)
    assert len(drawn) == 12 * 25 and set(drawn["rank"]) == set(range(1, 26))
    assert isinstance(plots.coverage_figure(matrix.iloc[:, :0]), plots.Skipped)


def test_the_within_chart_draws_both_ratios_on_a_log_scale():
    table = pd.DataFrame({"outlet": ["B", "C"], "reference": "A", "category": ["repression", "repression"],
                          "rate_ratio": [2.0, 0.5], "ci_low": [1.5, 0.3], "ci_high": [2.7, 0.8], "pooled_ratio": [4.0, 0.9],
                          "pooled_low": [2.0, 0.5], "pooled_high": [8.0, 1.6], "n_stories": [40, 35], "n_docs": [160, 120],
                          "warning": "", "level": 0.95})
    fig = plots.within_figure(table)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and plots.layout_problems(fig) == []
    assert [t.get_text() for t in ax.get_yticklabels()] == ["B (40 stories, 160 docs)", "C (35 stories, 120 docs)"]
    assert ax.get_title().startswith("repression: within stories")
    one = plots.within_figure(table.assign(ci_low=np.nan, ci_high=np.nan, n_stories=1))
    assert one.axes[0].get_yticklabels()[0].get_text() == "B (1 story, 160 docs; no interval)"
    assert plots.drawn_values(fig)["pooled_ratio"].tolist() == [4.0, 0.9]
    # a family that counts voices apart (stance): the outlet's own voice only, one row per group, not two
    voiced = pd.concat([table.assign(voice="author"), table.assign(voice="quoted", rate_ratio=[9.0, 9.0])])
    assert plots.drawn_values(plots.within_figure(voiced))["rate_ratio"].tolist() == [2.0, 0.5]
    assert plots.drawn_values(plots.within_figure(voiced, voice="quoted"))["rate_ratio"].tolist() == [9.0, 9.0]


def test_group_colours_are_matplotlib_s_hex_of_each_hue():
    """The colours are made without matplotlib (the explorer page loads none), to the digit of its to_hex."""
    import colorsys

    import matplotlib.colors

    from framing.views.colours import _hex

    for k in range(400):
        rgb = colorsys.hls_to_rgb((0.13 + 0.618034 * k) % 1.0, (0.42, 0.58, 0.34)[k % 3], 0.75)
        assert _hex(rgb) == matplotlib.colors.to_hex(rgb)
    colours = list(plots.group_colours({f"g{i:03d}": 1 for i in range(20)}).values())
    hues = {matplotlib.colors.to_hex(colorsys.hls_to_rgb((0.13 + 0.618034 * k) % 1.0, (0.42, 0.58, 0.34)[k % 3], 0.75))
            for k in range(1024)}
    assert colours[:8] == plots.OKABE_ITO and set(colours[8:]) <= hues


def test_colours_beyond_okabe_ito_are_each_the_farthest_from_those_before():
    """Group 9 on (nine news outlets) took the golden-angle hue next to group 2's orange (CIE76 difference
    20); each colour beyond the eight is now the candidate farthest from every colour before it, so the
    closest two of the twelve a chart draws differ no less than Okabe and Ito's own closest two (26.4)."""
    import numpy as np

    from framing.views.colours import _candidate_colours, _lab

    # CIELAB by hand (D65): white, black, and sRGB red (53.24, 80.09, 67.20 in every published table)
    assert np.allclose(_lab(["#FFFFFF", "#000000", "#FF0000"]), [[100, 0, 0], [0, 0, 0], [53.24, 80.09, 67.20]], atol=0.02)
    colours = list(plots.group_colours({f"g{i:03d}": 1 for i in range(12)}).values())
    lab = _lab(colours)
    gap = np.linalg.norm(lab[:, None] - lab[None], axis=2) + np.diag(np.full(12, np.inf))
    okabe_ito = gap[:8, :8].min()
    assert round(okabe_ito, 1) == 26.4 and gap.min() >= okabe_ito
    candidates = [c for c in _candidate_colours() if c not in {x.lower() for x in plots.OKABE_ITO}]
    for k in range(8, 12):  # the definition, run as written
        nearest = np.linalg.norm(_lab(candidates)[:, None] - lab[None, :k], axis=2).min(axis=1)
        assert colours[k] == candidates[int(np.argmax(nearest))]


def test_titles_wrap_into_as_few_lines_as_textwrap_and_as_even_as_they_can_be():
    """A wrapped title has the lines textwrap needs at that width, none longer than the width, and
    the narrowest width with that many lines: no title ends on an orphan word ("scale")."""
    import textwrap

    from framing.views.plots import wrapped

    title = ("Stance markers by affiliation, per 1,000 tokens of each voice, with 95% bootstrap intervals "
             "(sentences within documents resampled); each panel on its own scale")
    assert textwrap.wrap(title, 153)[-1] == "scale"
    assert wrapped(title, 153).split("\n") == [
        "Stance markers by affiliation, per 1,000 tokens of each voice, with 95% bootstrap",
        "intervals (sentences within documents resampled); each panel on its own scale"]
    rng = np.random.default_rng(3)
    words = title.split()
    for _ in range(300):
        text = " ".join(rng.choice(words, size=rng.integers(1, 40)))
        chars = int(rng.integers(12, 120))
        lines = wrapped(text, chars).split("\n")
        fewest = len(textwrap.wrap(text, chars, break_on_hyphens=False))
        assert len(lines) == fewest and max(map(len, lines)) <= chars
        assert " ".join(lines) == " ".join(textwrap.wrap(text, chars, break_on_hyphens=False))  # same words, in order
        width, longest = max(map(len, lines)), max(map(len, text.split()))
        if width > longest:  # none narrower has as few lines (narrower than a word, textwrap would cut it)
            assert len(textwrap.wrap(text, width - 1, break_on_hyphens=False)) > fewest
    assert wrapped("first line\n\nthird", 40) == "first line\n\nthird"  # each line of a title on its own


def test_saving_lays_a_chart_out_once_checks_that_layout_and_leaves_the_figure_as_it_was(tmp_path, capsys):
    """figures.save lays the chart out once, at the PNG's resolution, reports the layout problems of
    that layout (the ones layout_problems finds on the figure), draws the PNG from it, and gives the
    figure back with its own dpi and layout engine: a second save writes the same bytes."""
    from PIL import Image

    from framing import figures

    fig = Figure(figsize=(4, 3), layout="constrained")
    ax = fig.subplots()
    ax.set_title("a title")
    ax.text(0.5, 0.5, "one label here")
    ax.text(0.5, 0.5, "another label")  # drawn over the first
    engine, dpi = fig.get_layout_engine(), fig.dpi
    expected = plots.layout_problems(fig)
    assert expected == ["overlap: 'one label here' and 'another label'"]
    capsys.readouterr()
    figures.save(fig, tmp_path, "chart", dpi=150)
    assert capsys.readouterr().out.splitlines() == [f"chart layout: {p}" for p in expected]
    assert fig.dpi == dpi and fig.get_layout_engine() is engine
    assert Image.open(tmp_path / "chart.png").size == (600, 450)
    first = (tmp_path / "chart.png").read_bytes()
    figures.save(fig, tmp_path, "chart", dpi=150, formats=["png", "svg"])
    assert (tmp_path / "chart.png").read_bytes() == first and (tmp_path / "chart.svg").stat().st_size > 0
