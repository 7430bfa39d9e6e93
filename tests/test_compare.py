import numpy as np
import pandas as pd
import pytest

from framing.comparison.profiles import cluster, profile_map, profiles, similarity
from framing.comparison.rates import (
    DOCUMENTS,
    SENTENCES,
    compare,
    compare_groups,
    compare_sentences,
    group_shares,
)
from framing.documents.corpus import load_corpus
from framing.errors import FramingError
from framing.features import lexicon_features, sentence_counts
from framing.features.actors import actor_shares
from framing.features.stance import stance_features
from framing.keywords.keyness import tfidf_similarity
from framing.lexicon.read import lexicon_from_mapping

LEX = lexicon_from_mapping("mini", {"delegit": ["regime*"], "neutral": ["government"]})


@pytest.fixture
def two_outlets():
    # A: 2 docs; B: 1 doc. Sentences are the resampling unit (fewer than 5 docs per group).
    return load_corpus(pd.DataFrame({
        "doc_id": ["a1", "a2", "b1"], "outlet": ["A", "A", "B"],
        "text": ["The regime fell. Rain today.", "The regime lied. The regime won.", "The government met. It rained."],
    }))


def counted(corpus):
    features = lexicon_features(corpus, LEX)
    return features, sentence_counts(corpus, features, lexicons=[LEX])


def test_pooled_rates_by_hand(two_outlets):
    features, sentences = counted(two_outlets)
    table = compare(features, "outlet", sentences=sentences, n_boot=200)
    a = table[(table.outlet == "A") & (table.category == "delegit")].iloc[0]
    # A: 3 matches over 5 + 6 = 11 tokens
    assert (a["count"], a["n_tokens"], a["n_docs"]) == (3, 11, 2)
    assert a["per_1k"] == pytest.approx(3 / 11 * 1000)
    assert a["ci_low"] <= a["per_1k"] <= a["ci_high"]
    assert a["resampled"] == SENTENCES
    assert a["warning"] == "rests on 3 match(es)"


def test_bootstrap_is_seeded_and_needs_sentences_for_small_groups(two_outlets):
    features, sentences = counted(two_outlets)
    one = compare(features, "outlet", sentences=sentences, n_boot=300, seed=1)
    two = compare(features, "outlet", sentences=sentences, n_boot=300, seed=1)
    pd.testing.assert_frame_equal(one, two)
    with pytest.raises(FramingError, match=r"so sentences are resampled: pass sentences=framing.sentence_counts\(corpus, features\)"):
        compare(features, "outlet")
    with pytest.raises(FramingError, match="counted with lexicon mini@unversioned#[0-9a-f]{10}, which is not the lexicon found"):
        sentence_counts(two_outlets, features)
    with pytest.raises(FramingError, match="unknown column 'colour'"):
        compare(features, "colour", sentences=sentences)


def test_compare_runs_on_tables_read_back_from_parquet(two_outlets, tmp_path):
    features, sentences = counted(two_outlets)
    features.to_parquet(tmp_path / "f.parquet")
    sentences.to_parquet(tmp_path / "s.parquet")
    again = compare(pd.read_parquet(tmp_path / "f.parquet"), "outlet", sentences=pd.read_parquet(tmp_path / "s.parquet"),
                    n_boot=300, seed=2)
    pd.testing.assert_frame_equal(again, compare(features, "outlet", sentences=sentences, n_boot=300, seed=2))
    differences = compare_groups(pd.read_parquet(tmp_path / "f.parquet"), "outlet", "A",
                                 sentences=pd.read_parquet(tmp_path / "s.parquet"), n_perm=200)
    assert differences.set_index("category").loc["delegit", "count_target"] == 3


def test_documents_are_resampled_when_groups_are_large():
    texts = ["The regime fell."] * 5 + ["The government won."] * 5
    corpus = load_corpus(pd.DataFrame({"outlet": ["A"] * 5 + ["B"] * 5, "text": texts}))
    table = compare(lexicon_features(corpus, LEX), "outlet", n_boot=200)
    assert set(table["resampled"]) == {DOCUMENTS}
    a = table[(table.outlet == "A") & (table.category == "delegit")].iloc[0]
    # every document identical: the interval collapses on the rate
    assert a["ci_low"] == a["ci_high"] == pytest.approx(1000 / 3)


def test_sentence_counts_add_up_to_the_features(seeds):
    for features in (lexicon_features(seeds), stance_features(seeds)):
        units = sentence_counts(seeds, features)
        keys = ["doc_id", "category"] + (["voice"] if "voice" in features else [])
        summed = units.groupby(keys)[["count", "n_tokens"]].sum()
        expected = features.set_index(keys)[["count", "n_tokens"]]
        pd.testing.assert_frame_equal(summed.reindex(expected.index), expected, check_dtype=False)


def test_permutation_difference(two_outlets):
    features, sentences = counted(two_outlets)
    table = compare_groups(features, "outlet", "A", sentences=sentences, n_perm=500)
    row = table.set_index("category").loc["delegit"]
    assert (row["count_target"], row["count_reference"]) == (3, 0)
    # B: 0 matches in 5 tokens ("The government met. It rained.") -> 0 per 1k; A: 3 in 11
    assert row["difference"] == pytest.approx(3 / 11 * 1000)
    assert row["log2_ratio"] == pytest.approx(np.log2((3 / 11) / (0.5 / 5)))
    assert 0 < row["p_value"] <= 1 and row["p_adjusted"] >= row["p_value"]
    with pytest.raises(FramingError, match="unknown target group 'C' in column 'outlet'; groups: A, B"):
        compare_groups(features, "outlet", "C", sentences=sentences)


def test_compare_sentences_means_and_intervals():
    frame = pd.DataFrame({"doc_id": ["a", "a", "b"], "g": ["x", "x", "y"], "compound": [0.5, -0.5, 0.2]})
    table = compare_sentences(frame, "g", n_boot=200).set_index("g")
    assert table.loc["x", ["mean", "n_sentences", "n_docs"]].tolist() == [0.0, 2, 1]
    assert table.loc["y", "ci_low"] == table.loc["y", "ci_high"] == 0.2


def test_group_shares(two_outlets):
    shares = group_shares(actor_shares(two_outlets), "outlet").set_index(["outlet", "actor", "connotation"])
    assert shares.loc[("A", "iranian_state", "delegitimizing"), ["count", "mentions", "share"]].tolist() == [3, 3, 1.0]


def test_clustering_by_hand():
    # a = (1, 0), b = (2, 1), c = (0, 1): cosines 2/sqrt(5), 0, 1/sqrt(5); distances 1 - cosine
    matrix = pd.DataFrame({"u": [1.0, 2.0, 0.0], "v": [0.0, 1.0, 1.0]}, index=["a", "b", "c"])
    sim = similarity(matrix).matrix
    d_ab, d_ac, d_bc = 1 - 2 / 5**0.5, 1.0, 1 - 1 / 5**0.5
    assert sim.loc["a", "b"] == pytest.approx(1 - d_ab) and sim.loc["a", "c"] == pytest.approx(0.0)
    # a and b merge first at d_ab; then c joins at the average, the largest or the smallest of its two distances
    for method, last in (("average", (d_ac + d_bc) / 2), ("complete", d_ac), ("single", d_bc)):
        links = cluster(sim, method)
        assert links[:, :2].tolist() == [[0.0, 1.0], [2.0, 3.0]] and links[:, 3].tolist() == [2.0, 3.0]
        assert links[:, 2] == pytest.approx([d_ab, last]), method


def test_profile_map_by_hand():
    # two perfectly correlated columns: standardized, both are z = (-1.2247, 0, 1.2247) (population sd);
    # the first principal axis is their diagonal, x = z * sqrt(2), and explains all the variance
    matrix = pd.DataFrame({"p": [1.0, 2.0, 3.0], "q": [2.0, 4.0, 6.0]}, index=["a", "b", "c"])
    coords = profile_map(matrix)
    z = np.array([-1, 0, 1]) * (1.5**0.5)
    assert np.abs(coords["x"].to_numpy()) == pytest.approx(np.abs(z * 2**0.5))
    assert coords["y"].to_numpy() == pytest.approx([0, 0, 0], abs=1e-9)
    assert coords[["explained_x", "explained_y"]].drop_duplicates().values.tolist() == [[1.0, 0.0]]
    # MDS on cosine distance: three orthogonal rows are at distance 1 from each other, an equilateral triangle
    rows = pd.DataFrame({"p": [1.0, 0, 0], "q": [0, 1.0, 0], "r": [0, 0, 1.0]}, index=["a", "b", "c"])
    mds = profile_map(rows, method="mds")[["x", "y"]].to_numpy()
    got = np.linalg.norm(mds[:, None, :] - mds[None, :, :], axis=2)
    assert got == pytest.approx(1 - np.eye(3), abs=1e-6)
    # cosine distances that no plane holds (1 > 0.90 + 0.005 here) still give a map, not NaN
    bent = pd.DataFrame({"q": [0.0, 0.5, 1.0], "r": [0.2, 0.0, 0.1]}, index=["a", "b", "c"])
    assert np.isfinite(profile_map(bent, method="mds")[["x", "y"]].to_numpy()).all()


def test_similarity_and_map_of_the_seeds(seeds):
    features = lexicon_features(seeds)
    matrix = profiles(features, "outlet")
    sim = similarity(matrix).matrix
    # the cosine of two outlets, recomputed from their rates
    x, y = matrix.fillna(0).iloc[0].to_numpy(), matrix.fillna(0).iloc[1].to_numpy()
    assert sim.iloc[0, 1] == pytest.approx(x @ y / (np.linalg.norm(x) * np.linalg.norm(y)))
    assert np.allclose(np.diag(sim), 1.0) and np.allclose(sim, sim.T)
    words = tfidf_similarity(seeds, "outlet").matrix
    assert list(words.index) == sorted(seeds.groups("outlet").unique())
    coords = profile_map(profiles(features))
    assert 0 < coords["explained_x"].iloc[0] + coords["explained_y"].iloc[0] <= 1
    assert coords["explained_x"].iloc[0] >= coords["explained_y"].iloc[0]


def test_cosine_by_hand():
    matrix = pd.DataFrame({"a": [1.0, 0.0], "b": [0.0, 1.0]}, index=["x", "y"])
    assert similarity(matrix).matrix.loc["x", "y"] == 0.0
    matrix = pd.DataFrame({"a": [1.0, 2.0], "b": [1.0, 2.0]}, index=["x", "y"])
    assert similarity(matrix).matrix.loc["x", "y"] == pytest.approx(1.0)


def test_standardized_cosine_weighs_every_category_the_same():
    # "big" dominates the raw cosine; standardized, x and z depart from the mean the same way
    matrix = pd.DataFrame({"big": [100.0, 110.0, 100.0], "small": [1.0, 5.0, 1.0], "flat": [3.0, 3.0, 3.0]},
                          index=["x", "y", "z"])
    assert similarity(matrix).matrix.loc["x", "y"] == pytest.approx((100 * 110 + 5 + 9) / (10010**0.5 * 12134**0.5))
    standardized = similarity(matrix, standardize=True).matrix
    assert standardized.loc["x", "z"] == pytest.approx(1.0)
    assert standardized.loc["x", "y"] == pytest.approx(-1.0)
    with pytest.raises(FramingError, match="no feature varies"):
        similarity(matrix[["flat"]], standardize=True)


def test_trend_by_hand_with_an_empty_period_and_an_unreadable_date():
    from framing.comparison.trends import trend

    features = pd.DataFrame({
        "doc_id": list("abcde"), "outlet": list("AAABB"), "date": ["2021-01-05", "20 Jan 2021", "2021-03-02", "2021-01-10", "soon"],
        "category": "c", "count": [1, 3, 2, 0, 5], "n_tokens": [100, 100, 50, 100, 100],
    })
    with pytest.warns(UserWarning, match="1 document\\(s\\) have no readable date in 'date' and are left out of the trend: e"):
        table = trend(features, "outlet", "date", "M", n_boot=50)
    a = table[table.outlet == "A"].set_index("period")
    # January: (1 + 3) / (100 + 100) words -> 20 per 1,000; February: no document, present with NaN; March: 2 / 50 -> 40
    assert a.loc["2021-01-01", ["count", "n_tokens", "per_1k", "n_docs"]].tolist() == [4, 200, 20.0, 2]
    assert a.loc["2021-02-01", ["count", "n_docs", "warning"]].tolist() == [0, 0, "no documents in this period"]
    assert np.isnan(a.loc["2021-02-01", "per_1k"]) and a.loc["2021-03-01", "per_1k"] == 40.0
    assert a.loc["2021-01-01", "ci_low"] <= 20.0 <= a.loc["2021-01-01", "ci_high"]
    assert list(table[table.outlet == "B"]["period"]) == ["2021-01-01", "2021-02-01", "2021-03-01"]
    with pytest.raises(FramingError, match="unknown frequency 'fortnight'"):
        trend(features, "outlet", "date", "fortnight")


def test_trend_periods_at_their_boundaries_and_its_level_by_hand():
    from framing.comparison.trends import trend

    # the last day of a month and the first of the next fall in different periods, whatever the time of day;
    # a week runs Monday to Sunday (pandas' W: W-SUN), so Sunday 2021-01-03 and Monday 2021-01-04 differ too
    features = pd.DataFrame({
        "doc_id": list("abcdef"), "outlet": "A",
        "date": ["2021-01-31 23:59", "2021-02-01 00:00", "2021-02-28", "2021-03-01", "2021-01-03", "2021-01-04"],
        "category": "c", "count": [1, 2, 3, 4, 5, 6], "n_tokens": 100,
    })
    months = trend(features, "outlet", "date", "M", n_boot=20).set_index("period")
    # January: a (1), e (5), f (6); February: b (2) and c (3); March: d (4)
    assert months["count"].to_dict() == {"2021-01-01": 12, "2021-02-01": 5, "2021-03-01": 4}
    assert months["n_docs"].to_dict() == {"2021-01-01": 3, "2021-02-01": 2, "2021-03-01": 1}
    weeks = trend(features.iloc[[4, 5]], "outlet", "date", "W", n_boot=20).set_index("period")
    assert weeks["count"].to_dict() == {"2020-12-28": 5, "2021-01-04": 6}
    years = trend(features, "outlet", "date", "Y", n_boot=20)
    assert years[["period", "count", "n_docs"]].values.tolist() == [["2021-01-01", 21, 6]]
    # the interval's level: February's two documents (2 and 3 per 100 words) give resamples of 20, 25 or 30
    # per 1,000; at level 0.95 the interval spans them, at level 0.1 it closes around the middle one
    wide = trend(features, "outlet", "date", "M", n_boot=400, level=0.95).set_index("period").loc["2021-02-01"]
    narrow = trend(features, "outlet", "date", "M", n_boot=400, level=0.1).set_index("period").loc["2021-02-01"]
    assert (wide["ci_low"], wide["ci_high"]) == (20.0, 30.0)
    assert (narrow["ci_low"], narrow["ci_high"]) == (25.0, 25.0)


def test_trend_of_one_series_needs_no_grouping(capsys, tmp_path):
    from framing.cli import main
    from framing.comparison.trends import trend

    features = pd.DataFrame({"doc_id": list("abc"), "date": ["2021-01-05", "2021-01-20", "2021-02-02"],
                             "category": "c", "count": [1, 3, 2], "n_tokens": 100})
    table = trend(features, None, "date", "M", n_boot=20)
    assert table[["series", "period", "count", "n_docs"]].values.tolist() == [["all", "2021-01-01", 4, 2],
                                                                            ["all", "2021-02-01", 2, 1]]
    csv = tmp_path / "one.csv"
    pd.DataFrame({"text": ["The regime fell.", "A sham vote.", "Officials met."], "date": features["date"]}).to_csv(csv, index=False)
    assert main(["trend", str(csv), "--time", "date", "--n-boot", "20", "-o", str(tmp_path / "t.csv")]) == 0
    assert set(pd.read_csv(tmp_path / "t.csv")["series"]) == {"all"}


def test_trend_command_writes_a_table_and_a_chart(capsys, tmp_path):
    from framing.cli import main

    csv = tmp_path / "dated.csv"
    rows = [{"doc_id": f"d{i}", "outlet": "AB"[i % 2], "date": f"2021-0{1 + i % 3}-1{i % 9}",
             "text": "The regime held a sham election." if i % 3 else "The government met."} for i in range(18)]
    pd.DataFrame(rows).to_csv(csv, index=False)
    code = main(["trend", str(csv), "--by", "outlet", "--time", "date", "--n-boot", "50", "--plot", str(tmp_path / "t.png"),
                 "--category", "state_delegitimizing", "--event", "2021-02-01:vote", "-o", str(tmp_path / "t.csv")])
    assert code == 0, capsys.readouterr().err
    table = pd.read_csv(tmp_path / "t.csv")
    assert list(table.columns[:5]) == ["outlet", "period", "family", "lexicon", "category"]
    assert (tmp_path / "t.png").read_bytes().startswith(b"\x89PNG")
    assert main(["trend", str(csv), "--by", "outlet", "--time", "date", "--event", "soon"]) == 2
    assert "--event must look like 2021-06-18:label" in capsys.readouterr().err


def test_rate_changes_pool_each_group_by_hand():
    from framing.comparison.rates import rate_changes

    before = pd.DataFrame({"outlet": ["a", "a", "b"], "category": "c", "count": [2, 1, 4], "n_tokens": [100, 200, 50]})
    after = before.assign(count=[1, 1, 4])
    table = rate_changes(before, after, "outlet")
    # a: 3 then 2 matches in 300 words; b: 4 in 50, unchanged
    assert table.round(6).values.tolist() == [["a", "c", 3, 2, 10.0, 6.666667, -3.333333], ["b", "c", 4, 4, 80.0, 80.0, 0.0]]
    assert rate_changes(before, after, "outlet", changed_only=True)["outlet"].tolist() == ["a"]
    with pytest.raises(FramingError, match="unknown column 'desk'"):
        rate_changes(before, after, "desk")


def test_a_comparison_without_the_sentences_it_needs_raises_a_type_callers_can_catch():
    """The CLI recognised this case by reading the message ("fewer than"); now by its type (issue 24)."""
    from framing.errors import NeedsSentences

    features = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"], "category": "c", "count": [1, 2], "n_tokens": 10})
    with pytest.raises(NeedsSentences, match="a group has fewer than 5 documents, so sentences are resampled"):
        compare(features, "outlet")
    assert issubclass(NeedsSentences, FramingError)


def test_bootstrap_sums_in_blocks_are_those_of_all_resamples_at_once(monkeypatch):
    """The resamples are summed stratum by stratum, a block at a time (all at once took 11 GB on 300,000
    sentences); the draws and the sums are those of the one-shot version, to the last digit."""
    import framing.comparison.rates as comparison

    rng = np.random.default_rng(3)
    counts = rng.integers(0, 5, size=(60, 4)).astype(float)
    tokens = rng.integers(1, 50, size=60).astype(float)
    strata = np.array([f"doc{k % 7}" for k in range(60)], dtype=object)

    def one_shot(seed):
        draw = np.random.default_rng(seed)
        picks = [np.flatnonzero(strata == s) for s in np.unique(strata)]
        index = np.concatenate([m[draw.integers(0, len(m), size=(50, len(m)))] for m in picks], axis=1)
        return counts[index].sum(axis=1), tokens[index].sum(axis=1)

    expected = one_shot(11)
    for chunk in (1 << 24, 7, 1):
        monkeypatch.setattr(comparison, "BOOTSTRAP_CHUNK", chunk)
        got = comparison._bootstrap_sums(counts, tokens, strata, 50, np.random.default_rng(11))
        assert np.array_equal(got[0], expected[0]) and np.array_equal(got[1], expected[1])


def test_bootstrap_sums_are_the_sums_of_the_drawn_units():
    """The resample sums come from how often each unit was drawn times its values (a matrix product),
    not from gathering n_boot x units x cells values: the very sums of the drawn units, for the same draws."""
    from framing.comparison.rates import _bootstrap_sums

    rng = np.random.default_rng(4)
    counts = rng.integers(0, 4, size=(37, 5)).astype(float)
    tokens = rng.integers(5, 30, size=37).astype(float)
    strata = rng.integers(0, 6, size=37)
    got_c, got_t = _bootstrap_sums(counts, tokens, strata, 50, np.random.default_rng(9))
    draws = np.random.default_rng(9)
    want_c, want_t = np.zeros((50, 5)), np.zeros(50)
    order = np.argsort(strata, kind="stable")
    for s in np.unique(strata):
        members = order[strata[order] == s]
        picks = members[draws.integers(0, len(members), size=(50, len(members)))]
        want_c += counts[picks].sum(axis=1)
        want_t += tokens[picks].sum(axis=1)
    assert np.array_equal(got_c, want_c) and np.array_equal(got_t, want_t)


def test_interval_quantiles_equal_nanquantile_exactly():
    """Cells with NaN draws (no tokens in some resamples) get numpy's nanquantile to the last bit,
    without its column-by-column loop; a cell with no draw at all keeps a NaN interval."""
    import warnings

    from framing.comparison.rates import _quantiles

    rng = np.random.default_rng(1)
    draws = rng.gamma(2, 3, size=(400, 9))
    draws[rng.random(draws.shape) < 0.1] = np.nan
    draws[:, 0], draws[:7, 2] = np.nan, np.nan
    alpha = (1 - 0.9) / 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = np.nanquantile(draws, alpha, axis=0), np.nanquantile(draws, 1 - alpha, axis=0)
    got = _quantiles(draws, 0.9)
    assert all(np.array_equal(g, w, equal_nan=True) for g, w in zip(got, want))
    assert np.isnan(got[0][0]) and not np.isnan(got[0][1:]).any()


def test_sentence_matrices_of_a_contrast_equal_the_pivot_of_the_sentence_table(seeds):
    """compare_groups' sentence x cell matrices, made from integer codes, are the sums the units
    table pivots to (_unit_matrices over side, document, sentence), row for row, for a voiced family
    and for documents left out of both sides."""
    from framing.comparison.rates import (
        _sentence_codes,
        _sides_by_sentence,
        _unit_matrices,
    )
    from framing.features import features_and_sentences

    for lexicon, keys in (("stance", ["category", "voice"]), ("framing", ["category"])):
        features, sentences = features_and_sentences(seeds, lexicon)
        docs = features.drop_duplicates("doc_id")
        side_of = pd.Series(np.where(docs["outlet"] == "NCRI", "t", np.where(docs["outlet"] == "MEK Iran", "", "r")),
                            index=docs["doc_id"]).replace("", np.nan)  # MEK Iran on neither side
        c, t, is_t, strata, cells = _sides_by_sentence(sentences, side_of, keys)
        units = sentences.assign(side=sentences["doc_id"].map(side_of)).dropna(subset=["side"])
        unit, stratum = _sentence_codes(units)
        wide_c, wide_t = _unit_matrices(units.assign(unit=unit, stratum=stratum), ["side", "stratum", "unit"], keys)
        assert np.array_equal(c, wide_c.to_numpy(float)) and np.array_equal(t, wide_t.to_numpy(float))
        pd.testing.assert_index_equal(cells, wide_c.columns, exact=True)
        assert c.sum() > 0
        plain = sentences.astype({k: str for k in keys})  # a table read back from CSV: names, not categories
        c2, t2, _, _, cells2 = _sides_by_sentence(plain, side_of, keys)
        assert np.array_equal(c2, c) and np.array_equal(t2, t) and list(cells2) == list(cells)
        assert is_t.tolist() == (wide_c.index.get_level_values("side") == "t").tolist()
        assert pd.Series(strata).rank(method="dense").tolist() == \
            pd.Series(wide_c.index.get_level_values("stratum")).rank(method="dense").tolist()


def test_rate_intervals_skip_no_sort_yet_equal_the_quantiles_of_every_draw():
    """A cell no resample counted anything in gets [0, 0] (NaN where no resample has words) without
    its draws sorted: the same numbers, to the bit, as the quantiles of all draws, with and
    without precision factors."""
    from framing.comparison.rates import _quantiles, _rate_interval
    from framing.tables import rate_per_1k

    rng = np.random.default_rng(4)
    sum_c = rng.poisson(1.5, size=(300, 8)).astype(float)
    sum_t = rng.integers(0, 40, size=(300, 8)).astype(float)
    sum_c[:, [1, 4, 6]] = 0  # never counted: words in some resamples (1), in every one (4), in none (6)
    sum_t[:, 4] = rng.integers(1, 40, size=300)
    sum_t[:, 6] = 0
    factor = rng.beta(8, 3, size=(300, 8))
    for f in (None, factor):
        rates = rate_per_1k(sum_c, sum_t) * (1 if f is None else f)
        want = _quantiles(rates, 0.9)
        got = _rate_interval(sum_c, sum_t, 0.9, f)
        assert all(np.array_equal(g, w, equal_nan=True) for g, w in zip(got, want))
        assert got[0][[1, 4]].tolist() == [0.0, 0.0] and np.isnan(got[0][6]) and np.isnan(got[1][6])


@pytest.mark.parametrize("targets", [["Iran Focus", "NCRI"], ["Iran Focus", "NCRI", "PMOI/MEK"]])
def test_permutations_are_random_sides_of_the_targets_size(seeds, targets):
    """compare_groups' p-values are those of its definition run as written: ``n_perm`` times, a uniformly
    random set of as many units as the target has goes to the target side (what a shuffle of the sides
    does), drawn as numpy's ``rng.choice`` without replacement of the smaller side's units (the target's
    here with two outlets of five, the reference's with three); p = (1 + the draws whose |difference|
    reaches the observed one) / (1 + n_perm)."""
    from framing.comparison.rates import _cell_keys, _unit_matrices
    from framing.features import features_and_sentences
    from framing.tables import rate_per_1k

    features, _ = features_and_sentences(seeds, "stance")
    table = compare_groups(features, "outlet", targets, n_perm=300, n_boot=10, seed=7, min_docs=1)
    assert table["resampled"].iloc[0] == "documents"
    sides = features.assign(side=np.where(features["outlet"].isin(targets), "t", "r"))
    wide_c, wide_t = _unit_matrices(sides.assign(unit=sides["doc_id"], stratum=sides["side"]), ["side", "stratum", "unit"],
                                    _cell_keys(features))
    c, t = wide_c.to_numpy(float), wide_t.to_numpy(float)
    is_t = wide_c.index.get_level_values("side").to_numpy() == "t"
    smaller = is_t if is_t.sum() <= (~is_t).sum() else ~is_t

    def difference(mask):
        return rate_per_1k(c[mask].sum(0), t[mask].sum(0)) - rate_per_1k(c[~mask].sum(0), t[~mask].sum(0))

    def shuffled():
        mask = np.zeros(len(is_t), dtype=bool)
        mask[rng.choice(len(is_t), smaller.sum(), replace=False, shuffle=False)] = True
        return mask if smaller is is_t else ~mask

    rng, observed = np.random.default_rng(7), difference(is_t)
    exceed = sum(np.abs(difference(shuffled())) >= np.abs(observed) - 1e-12 for _ in range(300))
    want = pd.Series(np.where(np.isnan(observed), np.nan, (1 + exceed) / 301), index=wide_c.columns)
    got = table.set_index(list(wide_c.columns.names))["p_value"]
    assert np.array_equal(got.reindex(want.index).to_numpy(), want.to_numpy(), equal_nan=True)
    assert (want.dropna() < 1).any() and want.dropna().nunique() > 3
