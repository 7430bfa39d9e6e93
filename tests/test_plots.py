import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from framing import plots  # noqa: E402
from framing.compare import cluster, compare, compare_sentences, group_shares, profile_map, profiles, similarity  # noqa: E402
from framing.corpus import load_corpus  # noqa: E402
from framing.features import lexicon_features, sentence_counts  # noqa: E402
from framing.features.actors import actor_shares  # noqa: E402
from framing.features.sentiment import actor_sentence_scores  # noqa: E402
from framing.features.stance import stance_features  # noqa: E402
from framing.keyness import keyness  # noqa: E402


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
    assert ax.get_title() == "A vs rest"
    fig = plots.keyness_figure(keyness(tiny, "doc_id", min_count=1), top=3)  # three groups: a panel each
    assert [a.get_title() for a in fig.axes if a.get_visible()] == ["a1 vs rest", "a2 vs rest", "b1 vs rest"]


def test_term_scatter_labels_top_terms(tiny):
    table = keyness(tiny, "side", target="x", min_count=1)
    ax = plots.term_scatter(table, axes(), group="x", top=2)
    labels = " ".join(t.get_text() for t in ax.texts)
    assert "regime" in labels
    assert ax.get_xlabel() == "rest: per 10,000 tokens"


def test_stance_profile_distinguishes_voices(tiny):
    features = stance_features(tiny)
    rates = compare(features, "outlet", sentences=sentence_counts(tiny, features), n_boot=50)
    ax = plots.stance_profile(rates, axes())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["A (n=2) (author)", "A (n=2) (quoted)", "B (n=1) (author)", "B (n=1) (quoted)"]
    assert len(ax.get_xticklabels()) == 11


def test_connotation_bars(tiny):
    shares = group_shares(actor_shares(tiny), "outlet")
    ax = plots.connotation_bars(shares, axes())
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert "iranian state | A" in ticks and "election | B" in ticks
    widths = {}
    for p in ax.patches:
        widths.setdefault(round(p.get_y() + p.get_height() / 2), []).append(p.get_width())
    assert all(pytest.approx(1.0) == sum(w) for w in widths.values())  # shares stack to 1


def test_actor_sentiment_plot(tiny):
    table = compare_sentences(actor_sentence_scores(tiny), ["outlet", "actor"], n_boot=50)
    ax = plots.actor_sentiment_plot(table, axes(), group_column="outlet")
    assert ax.get_xlim() == (-1, 1)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B"]
    assert any(t.get_text().startswith("n=") for t in ax.texts)


def test_similarity_figure_and_map(tiny):
    matrix = profiles(lexicon_features(tiny))
    sim = similarity(matrix)
    fig = plots.similarity_figure(sim, cluster(sim), title="T")
    heat = fig.axes[1]
    assert len(heat.texts) == 9
    assert fig.axes[0].get_title() == "T"
    ax = plots.profile_map_plot(profile_map(matrix), axes(), groups=tiny.groups("outlet"))
    assert sorted(t.get_text() for t in ax.texts) == ["A", "A", "B"]


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
    rates = compare(lexicon_features(tiny), "outlet", n_boot=10, min_docs=1)
    assert isinstance(plots.contrast_heatmap_figure(rates, rates), plots.Skipped)


def test_two_groups_give_one_keyness_panel(tiny):
    fig = plots.keyness_figure(keyness(tiny, "outlet", min_count=1), top=3)
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 1
    assert fig.axes[0].get_title() == "A vs rest"


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


def test_charts_hold_for_a_thousand_documents_in_fifty_groups(generated):
    overview = generated.overview()
    fig = plots.documents_figure(overview, by="desk")
    ax = fig.axes[0]
    assert max(_pixels(fig)) <= plots.MAX_PIXELS
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == plots.MAX_ROWS and labels[0].endswith("(n=20)")  # one row per group, not per document
    assert "the 10 smallest of 50 groups are left out" in ax.get_title()
    features = lexicon_features(generated)
    rates = compare(features, "desk", n_boot=20)
    fig = plots.rate_figure(rates, lexicon="framing")
    assert max(_pixels(fig)) <= plots.MAX_PIXELS
    assert len(fig.axes[0].get_yticklabels()) == plots.MAX_ROWS and not fig.axes[0].texts  # no unreadable cell text
    assert "10 groups with fewest documents are left out" in fig.axes[0].get_title()
    fig = plots.keyness_figure(keyness(generated, "desk", min_count=3))
    assert max(_pixels(fig)) <= plots.MAX_PIXELS and "groups with fewest documents are left out" in fig._suptitle.get_text()
    coords = profile_map(profiles(features))
    ax = plots.profile_map_plot(coords, axes(), groups=generated.groups("desk"))
    # the centroids are labelled, not the 1,000 documents; labels that would overlap are listed in the title instead
    title = ax.get_title()
    assert 0 < len(ax.texts) <= 50 and all(t.get_text().startswith("group ") for t in ax.texts)
    # every group is either labelled or named in the title as unlabelled: 50 in all, none both
    import re

    found = re.search(r"unlabelled \(their labels would overlap others\): (.*?)(?: and (\d+) more)?$", title)
    named = found.group(1).split(", ") if found else []
    more = int(found.group(2) or 0) if found else 0
    assert len(ax.texts) + len(named) + more == 50
    assert not {t.get_text() for t in ax.texts} & set(named)
    assert ax.get_legend() is None  # 50 groups: direct labels instead of a legend
    colours = [tuple(c.get_facecolor()[0][:3]) for c in ax.collections[:50]]
    assert len(set(colours)) == 50  # no two groups share a colour


def test_dot_and_bar_charts_keep_the_largest_groups_and_say_so(generated):
    from framing.features.stance import stance_features

    rates = compare(stance_features(generated), "desk", n_boot=10)
    ax = plots.stance_profile(rates, axes())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len({label.split(" (n=")[0] for label in labels}) == plots.MAX_SERIES  # eight groups, each with its n
    assert all("(n=20)" in label for label in labels)
    assert ax.get_title().endswith("; the 42 smallest of 50 groups are left out")
    shares = group_shares(actor_shares(generated), "desk")
    ax = plots.connotation_bars(shares, axes())
    assert len(ax.get_yticklabels()) <= 60 and "groups are left out" in ax.get_title()
