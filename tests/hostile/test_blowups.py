"""Inputs that used to hang or eat memory: each now runs in linear time or stops with one line."""

import time

import pandas as pd
import pytest

from framing.documents.clean import load_rules
from framing.documents.corpus import load_corpus
from framing.documents.tokens import sentence_spans, tokenize
from framing.errors import FramingError
from framing.features.stance import stance_features
from framing.keywords.kwic import kwic
from framing.lexicon.read import lexicon_from_mapping


def _seconds(function, *args) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        function(*args)
        best = min(best, time.perf_counter() - start)
    return best


QUOTY = 'He said “no”. The \'sham\' vote? They asked "why?" and left. '


def _stance_of_one_document(text):
    return stance_features(load_corpus(pd.DataFrame({"text": [text]})))


def test_stance_cost_grows_linearly_with_quotes_and_questions():
    small, large = QUOTY * 150, QUOTY * 600  # 4x the text
    ratio = _seconds(_stance_of_one_document, large) / _seconds(_stance_of_one_document, small)
    # quadratic code (a scan of every token per quotation) gave ~16 here; linear code ~4
    assert ratio < 8, f"4x the text took {ratio:.1f}x the time"


def test_stance_counts_of_many_quotations_are_exact():
    table = _stance_of_one_document(QUOTY * 50).set_index(["category", "voice"])["count"]
    # per repeat: one scare quote ('sham'; “no” follows "said"), two questions: the author's and the quoted "why?"
    assert table[("scare_quote", "author")] == 50
    assert table[("question", "author")] == 50 and table[("question", "quoted")] == 50


def test_in_quote_is_exact_for_nested_and_unclosed_quotations():
    text = 'A “b \'c\' d” e "f g.\n\nH'
    doc = tokenize(text)
    assert [w for w, q in zip(doc.words, doc.in_quote) if q] == ["b", "'", "c", "'", "d", "f", "g"]


def test_one_huge_line_is_read_in_windows_with_the_same_sentences():
    text = "Mr. Smith voted in the sham election? Yes, he did! The U.S. said “so”. " * 40
    assert sentence_spans(text, max_chars=300) == sentence_spans(text)
    assert len(sentence_spans(text)) == 120  # 'Mr. Smith ... election?' 'Yes, he did!' 'The U.S. said “so”.'


def test_a_sentence_longer_than_the_window_is_cut_at_a_space():
    text = "word " * 100
    spans = sentence_spans(text, max_chars=64)
    assert all(b - a <= 64 for a, b in spans)
    assert " ".join(text[a:b] for a, b in spans).split() == text.split()


def test_a_long_single_line_document_gets_sentences():
    text = "They voted. " * 20_000  # 240 KB on one line, more than one Punkt window
    doc = tokenize(text)
    assert len(doc.sentences) == 20_000


def test_a_backtracking_cleaning_rule_stops_with_its_name(tmp_path, monkeypatch):
    monkeypatch.setattr("framing.documents.clean.MATCH_TIMEOUT", 0.2)
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rules]]\nname = "greedy"\nkind = "line"\npattern = "^(a|aa)+$"\n', encoding="utf-8")
    with pytest.raises(FramingError) as exc:
        load_corpus(pd.DataFrame({"text": ["a" * 40 + "b"]}), cleaning_rules=rules)
    assert str(exc.value) == (
        "DataFrame: document doc00001: cleaning rule 'greedy' ran over 0.2 s on line 1 (its pattern '^(a|aa)+$' "
        "backtracks without end on this text); simplify the pattern, e.g. no nested repeats like (a+)+"
    )


def test_the_issue_s_nested_repeat_now_finishes(tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rules]]\nname = "nested"\nkind = "line"\npattern = "^(a+)+$"\n', encoding="utf-8")
    corpus = load_corpus(pd.DataFrame({"text": ["a" * 40 + "b\naaaa\nkept"]}), cleaning_rules=rules)
    assert corpus.documents["clean_text"].tolist() == ["a" * 40 + "b\nkept"]
    assert load_rules(rules)[0].name == "nested"


def test_a_huge_term_is_refused_at_once():
    start = time.perf_counter()
    with pytest.raises(FramingError) as exc:
        lexicon_from_mapping("big", {"x": ["a" * 40_000 + "*"]})
    assert time.perf_counter() - start < 1
    assert str(exc.value) == (f"<mapping>: category 'x': term '{'a' * 30}...' has 40,001 characters; "
                              "a term may have at most 200")


def test_kwic_window_is_capped():
    corpus = load_corpus(pd.DataFrame({"text": ["the regime fell"]}))
    with pytest.raises(FramingError, match="window must be a whole number from 1 to 100, got 200000"):
        kwic(corpus, "regime", window=200_000)


def test_workers_die_with_their_parent(tmp_path):
    """SIGKILL of a --jobs 2 run runs no clean-up; its workers must end all the same, not live on as orphans."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import psutil

    corpus = tmp_path / "big.csv"
    pd.DataFrame({"text": ["The regime held a sham election. Officials said nothing. " * 200] * 400}).to_csv(corpus, index=False)
    run = subprocess.Popen([sys.executable, "-m", "framing.cli", "features", str(corpus), "--family", "all", "--jobs", "2",
                            "--batch-mb", "0.05", "--quiet", "-o", str(tmp_path / "f.csv")],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(run.pid)
    deadline = time.time() + 60
    while time.time() < deadline and len(parent.children()) < 2:
        time.sleep(0.2)
    workers = parent.children(recursive=True)
    assert workers, "the run started no worker"
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    gone, alive = psutil.wait_procs(workers, timeout=15)
    assert not alive, f"{len(alive)} worker(s) outlived their parent"


def test_highlighting_grows_linearly_with_the_matches():
    from framing.features import explain
    from framing.views.highlight import render_html

    def page(repeats):
        corpus = load_corpus(pd.DataFrame({"text": [QUOTY * repeats]}))
        matches = explain(corpus, "stance")
        return lambda: render_html(corpus, matches)

    small, large = page(300), page(1200)  # 4x the text and the matches
    ratio = _seconds(large) / _seconds(small)
    # every span tested for every piece gave ~16 here (a 2 MB document: 12 minutes); a sweep gives ~4
    assert ratio < 8, f"4x the matches took {ratio:.1f}x the time"


def test_wire_copy_reprinted_widely_is_reuse_and_a_repeated_block_is_one_passage():
    """A 150-word wire story carried by 25 outlets, and 300 identical documents, were no passage at all (every
    5-gram was in more than max_df documents); a 64-word block that one document holds twice was 60 rows."""
    from framing.features.reuse import reuse
    from tests.conftest import real_corpora

    arts = real_corpora().news_articles()
    arts = arts[arts["text"].str.split().str.len().between(300, 800)].drop_duplicates("text")
    arts = arts.sample(40, random_state=2).reset_index(drop=True)
    wire = " ".join(arts.loc[0, "text"].split()[:150])
    for i in range(1, 26):
        text = arts.loc[i, "text"]
        cut = text.find(". ", len(text) // 2) + 2
        arts.loc[i, "text"] = text[:cut] + wire + " " + text[cut:]
    passages = reuse(load_corpus(arts))
    first = arts.loc[0, "doc_id"]
    assert len(passages) == 25 and set(passages["doc_a"]) | set(passages["doc_b"]) == set(arts["doc_id"][:26])
    assert (passages[["doc_a", "doc_b"]] == first).any(axis=1).all()  # each reprint against the first that has it
    assert (passages["n_words"] >= 150).all() and (passages["similarity"] == 1.0).all()
    same = load_corpus(pd.DataFrame({"text": [arts.loc[30, "text"]] * 300}))
    assert len(reuse(same)) == 299
    block = " ".join(arts.loc[31, "text"].split()[:64])
    three = arts.iloc[32:35].reset_index(drop=True)
    three.loc[1, "text"] += " " + block
    three.loc[2, "text"] += " " + block + " " + block
    found = reuse(load_corpus(three))
    pair = found[(found["doc_a"] == three.loc[1, "doc_id"]) & (found["doc_b"] == three.loc[2, "doc_id"])]
    assert len(pair) == 1 and 64 <= pair["n_words"].iloc[0] <= 66 and pair["similarity"].iloc[0] == 1.0  # one row
    # (a word before the block may be shared too: the passage starts on the first shared word)


def test_similarity_of_thousands_of_groups_is_capped_before_it_is_computed():
    """10,000 one-document groups: the similarity notebook built a 10,000 x 10,000 matrix, its
    dendrogram and a heatmap of 10,000 labels (over 15 minutes). Now the 100 largest, said."""
    import numpy as np

    from framing.comparison.profiles import cluster, profiles, similarity
    from framing.keywords.keyness import tfidf_similarity
    from framing.views.plots import layout_problems, similarity_figure

    rng = np.random.default_rng(0)
    n = 10_000
    features = pd.DataFrame({
        "doc_id": np.repeat([f"d{i}" for i in range(n)], 2),
        "outlet": np.repeat([f"o{i:05d}" for i in range(n)], 2),
        "lexicon": "x", "category": np.tile(["a", "b"], n), "voice": "all",
        "count": rng.integers(0, 5, 2 * n), "n_tokens": 100,
    })
    features.loc[features["doc_id"].isin(["d7", "d8"]), "outlet"] = "big"  # two documents: kept first, then by name
    features["per_1k"] = features["count"] * 10.0
    profile = profiles(features, "outlet")
    assert list(profile.index[:3]) == ["big", "o00000", "o00001"]  # the group with most documents first
    with pytest.warns(UserWarning, match=r"9,999 rows: a similarity matrix keeps the first 100; "
                                         r"left out, the last: o00101, o00102"):  # d7, d8 are "big"
        sim = similarity(profile)
    assert sim.matrix.shape == (100, 100) and list(sim.matrix.index[:3]) == ["big", "o00000", "o00001"]
    assert sim.left_out.startswith("the first 100 of 9,999 rows; left out, the last: "
                                   "o00101, o00102, o00103, o00104, o00105 and 9,894 more")
    fig = similarity_figure(sim, cluster(sim), title="Profiles")
    assert "9,999 rows" in fig.axes[0].get_title() and layout_problems(fig) == []

    texts = [f"word{i % 7} shared text number {i}" for i in range(150)]
    corpus = load_corpus(pd.DataFrame({"text": texts, "outlet": [f"g{i:03d}" for i in range(150)]}))
    with pytest.warns(UserWarning, match="150 groups: a similarity matrix keeps the 100"):
        vocab = tfidf_similarity(corpus, "outlet")
    assert list(vocab.matrix.index) == [f"g{i:03d}" for i in range(100)] and "g100, g101" in vocab.left_out
    with pytest.warns(UserWarning, match="150 documents: a similarity matrix keeps the first 100; left out, the last"):
        assert tfidf_similarity(corpus).matrix.shape == (100, 100)


def test_a_similarity_heatmap_of_a_hundred_groups_keeps_its_colour_bar_label_inside():
    import numpy as np

    from framing.comparison.profiles import cluster, similarity
    from framing.views.plots import layout_problems, similarity_figure

    rows = pd.DataFrame(np.random.default_rng(1).random((100, 5)), index=[f"outlet {i}" for i in range(100)])
    sim = similarity(rows)
    assert layout_problems(similarity_figure(sim, cluster(sim), title="t")) == []  # the label sat 6 px below


class _DiesOn:
    """A batch task whose worker process kills itself (SIGKILL, as the kernel's out-of-memory killer does) on
    the document 'KILL'; never in the test's own process."""

    def __init__(self, parent: int):
        self.parent = parent

    def __call__(self, corpus):
        import os
        import signal

        if os.getpid() != self.parent and "KILL" in corpus.documents["text"].tolist():
            os.kill(os.getpid(), signal.SIGKILL)
        return pd.DataFrame({"doc_id": corpus.doc_ids})


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_workers_killed_mid_run_are_one_line_and_no_output(tmp_path, engine):
    """A worker killed mid-run gave an internal error (BrokenProcessPool; Dask's FutureCancelledError after a
    scheduler log); now one line, and the output's .partial file is removed."""
    import os

    from framing.documents.read import document_batches
    from framing.engine import make_task, run_batches
    from framing.output import TableWriter

    if engine == "dask":
        cloudpickle = pytest.importorskip("cloudpickle")
        pytest.importorskip("distributed")
        cloudpickle.register_pickle_by_value(__import__(__name__, fromlist=["_DiesOn"]))  # workers cannot import tests
    corpus = tmp_path / "c.csv"
    pd.DataFrame({"text": [f"Plain text number {i}." for i in range(40)] + ["KILL"]}).to_csv(corpus, index=False)
    out = tmp_path / "out.csv"
    task = make_task(_DiesOn(os.getpid()), clean=False)
    message = ("a worker process died mid-run" if engine == "local" else "the Dask workers were lost mid-run") + \
        r" \(.*\); no output was written: rerun"
    with pytest.raises(FramingError, match=message), TableWriter(out) as writer:
        for table in run_batches(task, document_batches(corpus, batch_chars=100), jobs=2, engine=engine):
            writer.write(table)
    assert list(tmp_path.iterdir()) == [corpus]


def test_keywords_of_hundreds_of_groups_are_capped_and_the_rest_named():
    """Each group against the rest: the 200 with most documents, chosen before any comparison is built
    (10,000 one-document groups took 4.5 minutes, mostly np.isin over thousands of group names)."""
    from framing.keywords.keyness import MAX_KEYNESS_GROUPS, keyness

    n = MAX_KEYNESS_GROUPS + 50
    texts = [f"the regime said word{i % 13} and word{i % 7}" for i in range(n)] + ["the regime again"] * 2
    outlets = [f"o{i:03d}" for i in range(n)] + ["big", "big"]
    corpus = load_corpus(pd.DataFrame({"text": texts, "outlet": outlets}))
    with pytest.warns(UserWarning, match=r"column 'outlet' has 251 groups: keywords are computed for the 200 with most "
                                         r"documents, each against all the others; 51 are left out \(name a target for "
                                         r"one of them\); left out, fewest documents: o199, o200, o201, o202, o203 and 46 more"):
        table = keyness(corpus, "outlet", min_count=1)
    assert table["outlet"].nunique() == 200 and set(table["outlet"]) == {"big", *[f"o{i:03d}" for i in range(199)]}
    regime = table[(table["outlet"] == "big") & (table["term"] == "regime")].iloc[0]
    assert (regime["count_target"], regime["count_reference"], regime["n_target"]) == (2, n, 6)  # against all 250 others
    assert set(table["n_groups_reference"]) == {250}  # the 50 left out are on every reference side all the same
    # the chart draws 12 and says how many of all 251 it leaves out, not just of the 200 computed
    from framing.views import plots

    title = plots.keyness_figure(table, top=3)._suptitle.get_text()
    assert "(239 of 251 groups left out in all)" in " ".join(title.split())


def test_keywords_capped_at_the_groups_a_chart_draws_are_the_rows_of_the_uncapped_table():
    """max_groups=12 (what notebook 03 passes: the panels of a keyword chart) computes the 12 groups with
    most documents, each against all the others: their rows are the rows of the default table (200
    computed), and the chart drawn from it is the same chart, its title naming how many were left out."""
    from framing.keywords.keyness import keyness
    from framing.views import plots

    n = 40
    texts = [f"the regime said word{i % 13} and word{i % 7}" for i in range(n)] + ["the regime again"] * 2
    corpus = load_corpus(pd.DataFrame({"text": texts, "outlet": [f"o{i:03d}" for i in range(n)] + ["big", "big"]}))
    whole = keyness(corpus, "outlet", min_count=1)
    with pytest.warns(UserWarning, match=r"column 'outlet' has 41 groups: keywords are computed for the 12 with most "
                                         r"documents, each against all the others; 29 are left out"):
        capped = keyness(corpus, "outlet", min_count=1, max_groups=12)
    assert set(capped["outlet"]) == {"big", *[f"o{i:03d}" for i in range(11)]}
    pd.testing.assert_frame_equal(capped.reset_index(drop=True),
                                  whole[whole["outlet"].isin(set(capped["outlet"]))].reset_index(drop=True))
    drawn, whole_fig = plots.keyness_figure(capped, top=3), plots.keyness_figure(whole, top=3)
    assert plots.drawn_values(drawn).drop(columns="chart").equals(plots.drawn_values(whole_fig).drop(columns="chart"))
    assert "; left out, fewest documents: 29 of 41 groups" in " ".join(drawn._suptitle.get_text().split())
    with pytest.raises(FramingError, match="max_groups"):
        keyness(corpus, "outlet", max_groups=0)


def test_keyness_of_many_groups_writes_the_strongest_terms_of_each(tmp_path, capsys):
    """Each of 25 groups against the rest: the 50 most over- and 50 most under-used terms of each (every term of 25 x 130
    would have been written; 200 groups x 60,000 terms wrote 12 million rows, 2 GB), said on stderr;
    --top and a named target still choose."""
    from framing.cli import main
    from framing.cli.commands import KEYNESS_ALL_TERMS_GROUPS, KEYNESS_TOP

    n = KEYNESS_ALL_TERMS_GROUPS + 5
    texts = [" ".join(f"w{(i * 7 + k) % 130}" for k in range(60)) for i in range(n)]
    corpus = tmp_path / "c.csv"
    pd.DataFrame({"text": texts, "outlet": [f"o{i:02d}" for i in range(n)]}).to_csv(corpus, index=False)
    assert main(["keyness", str(corpus), "--by", "outlet", "--min-count", "1", "-o", str(tmp_path / "k.csv")]) == 0
    assert (f"25 groups, each against the rest: the {KEYNESS_TOP} most over- and {KEYNESS_TOP} most under-used terms of "
            "each are written") in capsys.readouterr().err
    table = pd.read_csv(tmp_path / "k.csv")
    # each group uses 60 of the 130 words, each over-used, and leaves 70 out: 50 of each kept
    sizes = table.assign(over=table["g2"] > 0).groupby(["outlet", "over"]).size().unstack()
    assert (sizes[False] == KEYNESS_TOP).all() and (sizes[True] == KEYNESS_TOP).all()
    first = table[table["outlet"] == "o00"]
    assert first["g2"].is_monotonic_decreasing and first["g2"].iloc[0] == first["g2"].max()
    assert main(["keyness", str(corpus), "--by", "outlet", "--min-count", "1", "--top", "3", "-o", str(tmp_path / "t.csv")]) == 0
    assert pd.read_csv(tmp_path / "t.csv").groupby("outlet").size().tolist() == [6] * n
    assert main(["keyness", str(corpus), "--by", "outlet", "--target", "o03", "--min-count", "1", "-o", str(tmp_path / "o.csv")]) == 0
    assert len(pd.read_csv(tmp_path / "o.csv")) > KEYNESS_TOP and "strongest" not in capsys.readouterr().err


def test_the_explorer_page_does_not_grow_with_the_number_of_groups():
    """The page held two columns per group for every term (10,000 groups: 36 MB, and a dense
    terms x groups matrix of 4.8 GB to fill them); now the page holds the counts of the groups its
    (at most 50) contrasts name, whatever the number of groups."""
    from framing.runs import explore
    from framing.views.explorer import MAX_CONTRAST_GROUPS
    from tests.conftest import real_corpora

    arts = real_corpora().news_articles()
    arts = arts[arts["text"].str.len().between(500, 1500)].head(600).reset_index(drop=True)
    sizes = {}
    for n_groups in (60, 600):
        corpus = load_corpus(arts.assign(outlet=[f"g{i % n_groups:03d}" for i in range(len(arts))]))
        page = explore(corpus, "outlet", families=("stance",), min_count=3)
        sizes[n_groups] = len(page)
    import re

    held = set(re.findall(r'"(c\d+)"', page))  # the count columns: one per group a contrast names, not one per group
    assert 1 < len(held) <= MAX_CONTRAST_GROUPS, held
    assert sizes[600] < 1.03 * sizes[60], sizes  # before: 10% larger, and growing with every group


def test_a_group_whose_documents_are_empty_gives_the_explorer_no_warning_and_no_infinity(recwarn):
    """'framing: warning: divide by zero encountered in divide' reached the user: a group of empty documents."""
    import json
    import re

    from framing.runs import explore

    texts = ["The regime held a sham vote, officials said. " * 3] * 6 + ["   "]
    corpus = load_corpus(pd.DataFrame({"text": texts, "outlet": list("AABBCCE")}))
    page = explore(corpus, "outlet", families=("stance",), min_count=1)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
    meta = json.loads(re.search(r'id="framing-data"[^>]*>(.*?)</script>', page, re.S).group(1))["meta"]
    assert [c["nt"] for c in meta["contrasts"] if c["names"][0] == "E"] == [0.0] * 4  # E vs the rest, vs A, B, C
