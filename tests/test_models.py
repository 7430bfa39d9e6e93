"""Count models: the rate ratios equal a statsmodels fit written out here."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats

from framing.comparison.models import rate_model
from framing.errors import FramingError

RNG = np.random.default_rng(3)
DOCS = pd.DataFrame({
    "doc_id": [f"d{i}" for i in range(36)],
    "outlet": ["A"] * 12 + ["B"] * 12 + ["C"] * 12,
    "year": [2019, 2020, 2021] * 12,
    "n_tokens": RNG.integers(200, 900, 36),
})
DOCS["count"] = RNG.poisson(DOCS["n_tokens"] / 1000 * np.select([DOCS.outlet == "A", DOCS.outlet == "B"], [4, 9], 6))
TABLE = DOCS.assign(category="c", family="lexicon", lexicon="t", lexicon_id="t@1#0")


def test_quasipoisson_equals_statsmodels_written_out():
    table = rate_model(TABLE, "outlet", "A", covariates=["year"]).set_index("outlet")
    fit = smf.glm("count ~ C(outlet, Treatment('A')) + year", data=DOCS, family=sm.families.Poisson(),
                  offset=np.log(DOCS["n_tokens"])).fit(scale="X2")
    b = "C(outlet, Treatment('A'))[T.B]"
    assert table.loc["B", "rate_ratio"] == pytest.approx(np.exp(fit.params[b]))
    low, high = np.exp(fit.conf_int().loc[b])
    assert (table.loc["B", "ci_low"], table.loc["B", "ci_high"]) == (pytest.approx(low), pytest.approx(high))
    assert table.loc["B", "p_value"] == pytest.approx(fit.pvalues[b])
    assert table.loc["B", ["n_docs", "count", "reference"]].tolist() == [12, DOCS.loc[DOCS.outlet == "B", "count"].sum(), "A"]
    assert table.loc["B", "warning"] == ""


def test_negative_binomial_and_cluster_robust_errors():
    # over-dispersed counts (negative binomial draws, size 2), where the NB2 model is the right one and converges
    mu = DOCS["n_tokens"] / 1000 * np.select([DOCS.outlet == "A", DOCS.outlet == "B"], [4, 9], 6)
    spread = DOCS.assign(count=np.random.default_rng(5).negative_binomial(2, 2 / (2 + mu)))
    nb = rate_model(spread.assign(category="c"), "outlet", "A", model="negbin").set_index("outlet")
    fit = smf.negativebinomial("count ~ C(outlet, Treatment('A'))", data=spread, offset=np.log(spread["n_tokens"])).fit(
        disp=0, maxiter=200)
    assert fit.mle_retvals["converged"] and set(nb["warning"]) == {""}
    assert nb.loc["C", "rate_ratio"] == pytest.approx(np.exp(fit.params["C(outlet, Treatment('A'))[T.C]"]), rel=1e-4)
    # Poisson counts: the dispersion runs to its boundary, and the table says so (whatever the optimizer reports)
    poisson = rate_model(TABLE, "outlet", "A", model="negbin")
    assert poisson["warning"].str.startswith("model warning: the dispersion alpha runs to its boundary (").all()
    assert poisson["warning"].str.endswith("the counts are not over-dispersed, use model='quasipoisson'").all()
    # negbin rows carry the dispersion alpha of their fit, with an interval on the log scale
    assert nb.loc["C", "alpha"] == pytest.approx(fit.params["alpha"], rel=1e-4)
    spread = 1.959964 * fit.bse["alpha"] / fit.params["alpha"]
    assert nb.loc["C", "alpha_low"] == pytest.approx(fit.params["alpha"] * np.exp(-spread), rel=1e-4)
    assert nb.loc["C", "alpha_high"] == pytest.approx(fit.params["alpha"] * np.exp(spread), rel=1e-4)


def test_clustered_errors_are_the_leave_one_cluster_out_jackknife_with_t():
    # written out: refit without each of the 3 outlets; V = (G-1)/G sum (b_(g) - b)^2; t with G - 1 = 2 df
    robust = rate_model(TABLE, "year", covariates=[], cluster="outlet").set_index("year")
    data = DOCS.assign(year=DOCS.year.astype(str))

    def fit(part):
        return smf.glm("count ~ C(year)", data=part, family=sm.families.Poisson(), offset=np.log(part["n_tokens"])).fit()

    b = fit(data).params["C(year)[T.2021]"]
    leave = [fit(data[data.outlet != o]).params["C(year)[T.2021]"] for o in ("A", "B", "C")]
    se = np.sqrt(2 / 3 * sum((x - b) ** 2 for x in leave))
    row = robust.loc["2021"]
    assert row["rate_ratio"] == pytest.approx(np.exp(b))
    assert row["p_value"] == pytest.approx(2 * stats.t.sf(abs(b / se), 2))
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(np.exp(b - stats.t.ppf(0.975, 2) * se)),
                                               pytest.approx(np.exp(b + stats.t.ppf(0.975, 2) * se)))
    assert row["n_clusters"] == 3
    assert row["warning"] == "few clusters (3 outlet values; at least 30 for reliable clustered errors): CV3 jackknife with t(2)"


def _speakers(rng, n_speakers=8, docs=60, effect=1.0):
    """Documents of speakers, half of them in party R; party is constant within speaker and each speaker
    has a rate of its own (log-normal, sd 0.5) times ``effect`` for party R."""
    speaker = np.repeat(np.arange(n_speakers), docs)
    party = np.where(speaker < n_speakers // 2, "D", "R")
    own = np.exp(rng.normal(0, 0.5, n_speakers))[speaker]
    n_tokens = rng.integers(200, 1500, len(speaker))
    count = rng.poisson(5 / 1000 * n_tokens * own * np.where(party == "R", effect, 1.0))
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(speaker))], "speaker": speaker.astype(str),
                         "party": party, "category": "c", "count": count, "n_tokens": n_tokens})


def test_clustered_intervals_cover_the_true_ratio_with_few_clusters():
    # 300 studies with no party effect (true rate ratio 1): 4 speakers of 60 documents, 2 per party, speakers
    # differing a lot. The jackknife with t(G-1) covers at its nominal level; statsmodels' CV1 sandwich with
    # normal quantiles (what rate_model used before) falls short, and ignoring the speakers falls far short.
    rng = np.random.default_rng(2)
    runs, covered, sandwich, naive = 300, 0, 0, 0
    for _ in range(runs):
        table = _speakers(rng, n_speakers=4)
        row = rate_model(table, "party", "D", cluster="speaker").iloc[0]
        covered += row["ci_low"] <= 1 <= row["ci_high"]
        X = np.c_[np.ones(len(table)), (table["party"] == "R").to_numpy(float)]
        fit = sm.GLM(table["count"], X, family=sm.families.Poisson(), offset=np.log(table["n_tokens"])).fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(table["speaker"])[0]})
        low, high = fit.conf_int()[1]
        sandwich += low <= 0 <= high
        plain = rate_model(table, "party", "D").iloc[0]
        naive += plain["ci_low"] <= 1 <= plain["ci_high"]
    assert covered / runs >= 0.92
    assert sandwich / runs < 0.92 and naive / runs < 0.75


def test_few_clusters_never_give_a_tiny_p_value():
    # The debate case: 9 speakers, party constant within speaker, thousands of words each; a real party effect.
    rng = np.random.default_rng(4)
    table = _speakers(rng, n_speakers=4, docs=400, effect=2.0)
    naive = rate_model(table, "party", "D").iloc[0]
    row = rate_model(table, "party", "D", cluster="speaker").iloc[0]
    assert naive["p_value"] < 1e-10 and row["p_value"] > 1e-4
    assert row["n_clusters"] == 4
    assert row["warning"] == ("few clusters (4 speaker values; at least 30 for reliable clustered errors): CV3 jackknife "
                              "with t(3); party is constant within speaker and only 2 speaker values hold R, "
                              "2 speaker values hold D: the p-value may still be too small")
    # a party that one speaker holds alone has no clustered error at all
    table = _speakers(rng, n_speakers=6, docs=100)
    alone = table.assign(party=np.where(table["speaker"] == "0", "X", table["party"]))
    row = rate_model(alone, "party", "D", cluster="speaker").set_index("party").loc["X"]
    assert np.isnan(row["p_value"]) and np.isnan(row["ci_low"]) and np.isfinite(row["rate_ratio"])
    assert row["warning"] == "X lies in one speaker: no clustered error; compare more speaker values per group, or drop --cluster"
    # and so does every group when the reference is held by one speaker alone (leaving it out loses the baseline)
    rows = rate_model(alone, "party", "X", cluster="speaker")
    assert rows["p_value"].isna().all() and rows["warning"].str.startswith("X lies in one speaker").all()


def test_few_documents_and_no_matches_are_said():
    few = TABLE[TABLE.doc_id.isin(["d0", "d1", "d12", "d13", "d14", "d15", "d16", "d17", "d18"])]
    row = rate_model(few, "outlet", "A").set_index("outlet").loc["B"]
    assert row["warning"] == "rests on too few documents (A: 2; at least 5 per group)"
    none = TABLE.assign(count=np.where(TABLE.outlet == "C", 0, TABLE["count"]))
    row = rate_model(none, "outlet", "A").set_index("outlet").loc["C"]
    assert np.isnan(row["rate_ratio"]) and row["warning"] == "no matches in C: no rate ratio"
    with pytest.raises(FramingError, match="unknown reference group 'Z' in column 'outlet'; groups: A, B, C"):
        rate_model(TABLE, "outlet", "Z")
    with pytest.raises(FramingError, match="unknown model 'gamma'; choose from quasipoisson, negbin"):
        rate_model(TABLE, "outlet", model="gamma")


def test_model_command_and_forest_plot(capsys, tmp_path):
    from framing import plots
    from framing.cli import main
    from framing.views.figures import canvas

    csv = tmp_path / "docs.csv"
    texts = {"A": "The regime arrested protesters. Officials said nothing.", "B": "The government held a vote."}
    rows = [{"doc_id": f"{o}{i}", "outlet": o, "year": 2020 + i % 2, "text": t * (1 + i % 3)}
            for o, t in texts.items() for i in range(6)]
    pd.DataFrame(rows).to_csv(csv, index=False)
    assert main(["model", str(csv), "--by", "outlet", "--reference", "B", "--covariate", "year", "-o", str(tmp_path / "m.csv")]) == 0
    table = pd.read_csv(tmp_path / "m.csv", keep_default_na=False)
    assert list(table.columns[:5]) == ["outlet", "reference", "family", "lexicon", "category"]
    assert set(table["outlet"]) == {"A"} and set(table["reference"]) == {"B"}
    model = rate_model(TABLE, "outlet", "A")
    fig, ax = canvas()
    plots.rate_ratio_plot(model, ax)
    assert ax.get_xscale() == "log" and [t.get_text() for t in ax.get_legend().get_texts()] == ["B (n=12)", "C (n=12)"]
    assert isinstance(plots.rate_ratio_figure(rate_model(TABLE.head(14), "outlet", "A")), plots.Skipped)
    capsys.readouterr()


def test_p_adjusted_is_benjamini_hochberg_within_each_group():
    two = pd.concat([TABLE, TABLE.assign(category="d", count=np.random.default_rng(8).poisson(5, len(TABLE)))])
    table = rate_model(two, "outlet", "A")
    for group, part in table.groupby("outlet"):
        p = part.sort_values("p_value")["p_value"].to_numpy()
        adjusted = part.sort_values("p_value")["p_adjusted"].to_numpy()
        # two tests in the group: the larger keeps its p, the smaller gets min(2 p, the larger)
        assert adjusted[1] == pytest.approx(p[1]) and adjusted[0] == pytest.approx(min(2 * p[0], p[1]))
    # across all four rows the adjustment would differ: the per-group family is what is asserted above
    from framing.measures import benjamini_hochberg
    assert not np.allclose(benjamini_hochberg(table["p_value"].to_numpy()), table["p_adjusted"].to_numpy())


def test_clustered_edges_found_by_mutation_testing(monkeypatch):
    import framing.comparison.models as models

    rng = np.random.default_rng(6)
    table = _speakers(rng, n_speakers=6, docs=80)
    # a group in one cluster has no clustered error, and the other groups keep theirs
    alone = table.assign(party=np.where(table["speaker"] == "0", "X", table["party"]))
    rows = rate_model(alone, "party", "D", cluster="speaker").set_index("party")
    assert np.isnan(rows.loc["X", "p_value"]) and np.isfinite(rows.loc["R", "p_value"])
    # the negative binomial's jackknife too (its alpha is one more parameter of each refit)
    spread = table.assign(count=rng.negative_binomial(2, 2 / (2 + table["n_tokens"] * 0.005)))
    nb = rate_model(spread, "party", "D", model="negbin", cluster="speaker").iloc[0]
    X = np.c_[np.ones(len(spread)), (spread["party"] == "R").to_numpy(float)]
    offset = np.log(spread["n_tokens"].to_numpy(float))

    def fit(mask):
        return sm.NegativeBinomial(spread["count"].to_numpy(float)[mask], X[mask], offset=offset[mask]).fit(
            disp=0, maxiter=200).params[1]

    b = fit(np.ones(len(spread), bool))
    leave = [fit((spread["speaker"] != s).to_numpy()) for s in sorted(spread["speaker"].unique())]
    se = np.sqrt(5 / 6 * sum((x - b) ** 2 for x in leave))
    assert nb["p_value"] == pytest.approx(2 * stats.t.sf(abs(b / se), 5), rel=1e-3)
    # beyond JACKKNIFE_CLUSTERS clusters, statsmodels' CV1 sandwich, still with t(G - 1)
    monkeypatch.setattr(models, "JACKKNIFE_CLUSTERS", 3)
    row = rate_model(table, "party", "D", cluster="speaker").iloc[0]
    X = np.c_[np.ones(len(table)), (table["party"] == "R").to_numpy(float)]
    cv1 = sm.GLM(table["count"], X, family=sm.families.Poisson(), offset=np.log(table["n_tokens"])).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(table["speaker"])[0]})
    assert row["p_value"] == pytest.approx(2 * stats.t.sf(abs(np.asarray(cv1.params)[1] / np.asarray(cv1.bse)[1]), 5))


@pytest.mark.parametrize("level", [1.5, 0, 1, -0.1])
def test_an_interval_level_outside_0_1_is_refused_not_nan(level):
    """rate_model(level=1.5) gave NaN intervals without a word (issue 24)."""
    table = pd.DataFrame({"doc_id": list("abcd"), "outlet": list("AABB"), "category": "c", "count": [1, 2, 3, 4],
                          "n_tokens": 100})
    with pytest.raises(FramingError, match=f"level must be a number above 0 and below 1, got {level}"):
        rate_model(table, "outlet", level=level)


def test_too_many_groups_is_said_on_every_row_and_is_the_cli_error(capsys, tmp_path):
    from framing import plots
    from framing.cli import main
    from framing.comparison.models import MAX_MODEL_GROUPS

    n = MAX_MODEL_GROUPS + 50
    t = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "desk": [f"g{i}" for i in range(n)], "category": "c",
                      "count": 1, "n_tokens": 100})
    table = rate_model(t, "desk")
    assert len(table) == 1 and table["rate_ratio"].isna().all()
    assert table["warning"].iloc[0] == (f"a count model with one coefficient per group takes at most {MAX_MODEL_GROUPS} "
                                        f"groups, and column 'desk' has {n:,}: group the documents more coarsely")
    assert "was not fitted" in plots.rate_ratio_figure(table).reason
    corpus = tmp_path / "c.csv"
    pd.DataFrame({"doc_id": t["doc_id"], "desk": t["desk"], "text": "The regime spoke."}).to_csv(corpus, index=False)
    assert main(["model", str(corpus), "--by", "desk"]) != 0
    assert capsys.readouterr().err.strip().endswith(f"column 'desk' has {n:,}: group the documents more coarsely")
