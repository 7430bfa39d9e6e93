"""Count models: the rate ratios equal a statsmodels fit written out here."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

from framing.errors import FramingError
from framing.models import rate_model

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
    nb = rate_model(spread.assign(category="c"), "outlet", "A", family="negbin").set_index("outlet")
    fit = smf.negativebinomial("count ~ C(outlet, Treatment('A'))", data=spread, offset=np.log(spread["n_tokens"])).fit(
        disp=0, maxiter=200)
    assert fit.mle_retvals["converged"] and set(nb["warning"]) == {""}
    assert nb.loc["C", "rate_ratio"] == pytest.approx(np.exp(fit.params["C(outlet, Treatment('A'))[T.C]"]), rel=1e-4)
    # Poisson counts: the dispersion runs to its boundary, and the table says so (whatever the optimizer reports)
    poisson = rate_model(TABLE, "outlet", "A", family="negbin")
    assert poisson["warning"].str.startswith("model warning: the dispersion alpha runs to its boundary (").all()
    assert poisson["warning"].str.endswith("the counts are not over-dispersed, use family='quasipoisson'").all()
    robust = rate_model(TABLE, "year", covariates=[], cluster="outlet").set_index("year")
    fit = smf.glm("count ~ C(year)", data=DOCS.assign(year=DOCS.year.astype(str)), family=sm.families.Poisson(),
                  offset=np.log(DOCS["n_tokens"])).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(DOCS.outlet)[0]})
    assert robust.loc["2021", "p_value"] == pytest.approx(fit.pvalues["C(year)[T.2021]"])


def test_few_documents_and_no_matches_are_said():
    few = TABLE[TABLE.doc_id.isin(["d0", "d1", "d12", "d13", "d14", "d15", "d16", "d17", "d18"])]
    row = rate_model(few, "outlet", "A").set_index("outlet").loc["B"]
    assert row["warning"] == "rests on too few documents (A: 2; at least 5 per group)"
    none = TABLE.assign(count=np.where(TABLE.outlet == "C", 0, TABLE["count"]))
    row = rate_model(none, "outlet", "A").set_index("outlet").loc["C"]
    assert np.isnan(row["rate_ratio"]) and row["warning"] == "no matches in C: no rate ratio"
    with pytest.raises(FramingError, match="unknown reference group 'Z' in column 'outlet'; groups: A, B, C"):
        rate_model(TABLE, "outlet", "Z")
    with pytest.raises(FramingError, match="unknown model family 'gamma'; choose from quasipoisson, negbin"):
        rate_model(TABLE, "outlet", family="gamma")


def test_model_command_and_forest_plot(capsys, tmp_path):
    from framing import plots
    from framing.cli import main
    from framing.figures import canvas

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
