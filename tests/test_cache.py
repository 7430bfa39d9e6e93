"""Remembered passes (framing.cache): a family's pass read back is the pass counted, to the dtype;
anything that decides a count (a word of a document, its language, a term, the family, framing's
code) makes a new pass; metadata does not; and a folder that cannot hold or give back a pass is a
one-line error."""

import os
import warnings

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import framing.features.family as family_module
from framing.cache import (
    CACHE_VARIABLE,
    cache_folder,
    digest,
    documents_key,
    remembered,
)
from framing.documents.corpus import Corpus, load_corpus
from framing.errors import FramingError, LeftOut
from framing.features import family_for
from framing.features.lexicon import LexiconFamily
from framing.lexicon.read import lexicon_from_toml
from framing.views.gallery import run_cache
from tests.conftest import real_corpora


def _every_request(family, corpus):
    """What the notebooks ask a family for, each a table (pairs and triples flattened)."""
    category = family.explainable()[1]
    asked = {
        "table": family.table(corpus),
        "tables": family.tables(corpus),
        "evidence": family.evidence(corpus),
        "spans": family.evidence(corpus, text=False),
        "matches": family.matches(corpus),
        "category": family.matches(corpus, category=category),
        "prefix": family.matches(corpus, category=category.split(".")[0]),
    }
    return {f"{k}{i}": t for k, v in asked.items() for i, t in enumerate(v if isinstance(v, tuple) else (v,))}


@pytest.fixture
def passes(monkeypatch):
    """The number of passes counted over a corpus (not read back)."""
    calls = []
    real = family_module.Family._counted

    def counted(self, corpus, **options):
        calls.append(len(corpus))
        return real(self, corpus, **options)

    monkeypatch.setattr(family_module.Family, "_counted", counted)
    return calls


@pytest.mark.parametrize("name", ["framing", "stance", "actors"])
def test_a_pass_read_back_is_the_pass_counted_for_every_request(seeds, name, tmp_path, monkeypatch, passes):
    family = family_for(name)
    counted = _every_request(family, seeds)  # no cache: each request counts (table by count, not _counted)
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    passes.clear()
    first = _every_request(family, seeds)
    second = _every_request(family_for(name), seeds)  # another instance, as another kernel would make
    assert passes == [len(seeds)]  # one pass for fourteen requests
    for label, got in first.items():
        assert_frame_equal(got, counted[label], check_exact=True)  # dtypes included
        assert_frame_equal(second[label], counted[label], check_exact=True)
    assert len(counted["matches0"]) > 100 and counted["category0"]["text"].tolist() == second["category0"]["text"].tolist()


def test_what_decides_a_count_makes_a_new_pass_and_metadata_does_not(tiny, tmp_path, monkeypatch, passes):
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    family = family_for("framing")
    base = family.table(tiny)
    assert len(passes) == 1
    relabelled = load_corpus(tiny.documents[["doc_id", "text"]].assign(outlet=["X", "Y", "Z"]))
    table = family.table(relabelled)
    assert len(passes) == 1 and table["outlet"].tolist()[:1] == ["X"]  # read back, with the metadata at hand
    assert_frame_equal(table.drop(columns="outlet"), base.drop(columns="outlet"))
    one_word = tiny.documents[["doc_id", "outlet", "text"]].copy()
    one_word.loc[2, "text"] = one_word.loc[2, "text"].replace("regime", "crowd")
    assert family.table(load_corpus(one_word)).query("doc_id == 'b1'")["count"].sum() == \
        base.query("doc_id == 'b1'")["count"].sum() - 1
    assert len(passes) == 2
    other = lexicon_from_toml('[meta]\nname = "framing"\n[categories.state]\nterms = ["regime*", "government"]\n',
                              source="other.toml")
    assert family_for(other).table(tiny)["count"].sum() == 4 and len(passes) == 3  # same name, other terms
    monkeypatch.setattr(family_module, "code_key", lambda: "another release")
    family.table(tiny)
    assert len(passes) == 4


def test_two_families_reading_one_lexicon_are_two_passes(tiny, tmp_path, monkeypatch, passes):
    class Shouting(LexiconFamily):
        name = "shouting"

        def find(self, doc):
            return [f for f in super().find(doc) if doc.text[f.start:f.end].isupper()]

    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    lexicon = lexicon_from_toml('[meta]\nname = "state"\n[categories.state]\nterms = ["regime*"]\n', source="s.toml")
    assert LexiconFamily(lexicon).table(tiny)["count"].sum() == 3  # regime, regime's, regime: none in capitals
    assert Shouting(lexicon).table(tiny)["count"].sum() == 0
    assert len(passes) == 2


def test_a_language_makes_a_new_pass_and_the_warnings_of_a_pass_are_given_again(tmp_path, monkeypatch, passes):
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    frame = pd.DataFrame({"doc_id": ["e", "g"], "language": ["en", "de"],
                          "text": ["They allegedly won.", "Sie haben angeblich gewonnen."]})
    corpus = load_corpus(frame)
    family = family_for("stance")
    with pytest.warns(LeftOut, match="1 document\\(s\\) in German \\(de\\) left out"):
        counted = family.tables(corpus)
    with pytest.warns(LeftOut, match="1 document\\(s\\) in German \\(de\\) left out"):
        again = family.tables(corpus)
    assert len(passes) == 1 and counted[0]["doc_id"].unique().tolist() == ["e"]
    for a, b in zip(counted, again):
        assert_frame_equal(a, b)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        english = family.table(load_corpus(frame.assign(language="en")))
    assert len(passes) == 2 and english["doc_id"].unique().tolist() == ["e", "g"]


def test_a_pass_without_a_match_reads_back_the_same(tmp_path, monkeypatch):
    corpus = load_corpus(pd.DataFrame({"doc_id": ["a"], "text": ["Nothing here."]}))
    family = family_for("framing")
    counted = family.evidence(corpus)
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    for _ in range(2):
        for a, b in zip(family.evidence(corpus), counted):
            assert_frame_equal(a, b)
        assert family.matches(corpus).empty


def test_real_news_read_back_is_the_pass_counted(tmp_path, monkeypatch):
    """360 articles of nine outlets: every request of the stance family, read back, equals its count."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        news = load_corpus(real_corpora().news_articles(per_outlet=40))
    family = family_for("stance")
    counted = _every_request(family, news)
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    _every_request(family, news)
    for label, got in _every_request(family, news).items():
        assert_frame_equal(got, counted[label], check_exact=True)
    assert len(counted["matches0"]) > 5000


def _variants(corpus):
    """Corpora sharing most documents with ``corpus``: two documents edited (as
    :func:`framing.without_reused` blanks passages out, offsets kept), a quarter left out and
    the rest in reverse order, and one document added from the end moved to the front."""
    docs = corpus.documents
    edited = docs.copy()
    rows = edited.index[[1, 5]]
    edited.loc[rows, "clean_text"] = [" " * 40 + text[40:] for text in edited.loc[rows, "clean_text"]]
    yield "edited", Corpus(edited, corpus.cleaning_report, corpus.source), 2
    yield "fewer, reordered", Corpus(docs.iloc[::-1].iloc[: len(docs) * 3 // 4], corpus.cleaning_report, corpus.source), 0
    moved = pd.concat([docs.iloc[[-1]].assign(doc_id="added", clean_text="Allegedly, they clearly said so."),
                       docs.iloc[:-1]])
    yield "added", Corpus(moved, corpus.cleaning_report, corpus.source), 1


@pytest.mark.parametrize("name", ["stance", "actors"])
def test_a_corpus_sharing_most_documents_counts_only_the_others_and_is_the_pass_counted(name, tmp_path, monkeypatch,
                                                                                      passes):
    """The pass of a corpus made from a remembered pass over most of its documents equals the pass
    counted over the whole corpus, for every request, to the dtype; only the documents the
    remembered pass does not hold are counted."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        news = load_corpus(real_corpora().news_articles(per_outlet=12))
    family = family_for(name)
    for label, corpus, n_new in _variants(news):
        counted = _every_request(family, corpus)  # no cache: counted whole
        monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / label))
        family.table(news)  # the pass remembered
        passes.clear()
        for request, got in _every_request(family_for(name), corpus).items():
            assert_frame_equal(got, counted[request], check_exact=True, obj=f"{label}: {request}")
        assert passes == ([n_new] if n_new else []), label  # the documents not remembered, once
        assert len(counted["matches0"]) > 300


def test_a_pass_that_extends_another_holds_only_its_new_documents_and_may_itself_be_extended(tmp_path, monkeypatch,
                                                                                             passes):
    """A corpus with two documents edited is remembered as the rows of those two and the key of the pass it
    extends (no copy of the 10,000-document sentence table: notebook 09 held 400 MB joining one); each
    table is joined when asked for. A third corpus, one more document edited, extends the second, and
    every request of it is the pass counted whole; a pass whose base is gone is a one-line error."""
    from framing.cache import EXTENDS, Stored

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        news = load_corpus(real_corpora().news_articles(per_outlet=12))
    family = family_for("stance")
    docs = news.documents

    def edited(rows):
        table = docs.copy()
        table.loc[table.index[rows], "clean_text"] = [" " * 30 + t[30:] for t in table.loc[table.index[rows], "clean_text"]]
        return Corpus(table, news.cleaning_report, news.source)

    two, three = edited([1, 5]), edited([1, 5, 9])
    counted = _every_request(family, three)  # no cache: counted whole
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    family.table(news)
    family.table(two)
    entries = {e.name: Stored(e) for e in tmp_path.iterdir() if e.is_dir()}
    extension = next(stored for stored in entries.values() if EXTENDS in stored)
    assert sorted(extension) == ["documents", "extends", "new_features", "new_sentences", "new_spans"]
    assert set(extension["new_features"]["doc_id"]) == set(docs["doc_id"].iloc[[1, 5]])
    assert extension[EXTENDS]["key"].tolist() == [next(k for k, v in entries.items() if EXTENDS not in v)]
    passes.clear()
    for request, got in _every_request(family_for("stance"), three).items():
        assert_frame_equal(got, counted[request], check_exact=True, obj=request)
    assert passes == [1]  # the one document neither pass holds
    chained = [Stored(e) for e in tmp_path.iterdir() if e.is_dir() and e.name not in entries]
    assert len(chained) == 1 and chained[0][EXTENDS]["key"].tolist() == [extension.key]
    import shutil

    shutil.rmtree(tmp_path / extension.key)
    with pytest.raises(FramingError, match=f"the remembered pass {extension.key} is gone, and another pass extends it"):
        family_for("stance").table(three)


def test_a_corpus_sharing_less_than_half_is_counted_whole_and_warnings_name_the_whole_corpus(tmp_path, monkeypatch,
                                                                                             passes):
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    texts = ["They allegedly won.", "It clearly failed.", "Sie haben angeblich gewonnen.", "Es ist klar."]
    frame = pd.DataFrame({"doc_id": ["e1", "e2", "g1", "g2"], "language": ["en", "en", "de", "de"], "text": texts})
    family = family_for("stance")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        family.table(load_corpus(frame.iloc[:3]))
    with pytest.warns(LeftOut, match="^stance: 2 document\\(s\\) in German \\(de\\) left out"):
        family.table(load_corpus(frame))  # three of four remembered: the fourth counted
    assert passes == [3, 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        family.table(load_corpus(frame.assign(text=[t + " Yes." for t in texts[:3]] + texts[3:])))
    assert passes == [3, 1, 4]  # one of four shared: counted whole


def test_one_count_of_a_corpus_s_terms_serves_keyness_and_term_counts(seeds, tmp_path, monkeypatch):
    """Keyword tables and term counts of one corpus read one remembered count of its terms (the
    explorer's term counts too, and the words less a stopword list), and give what they give
    counted; other n-grams or English's tokenizer are counts of their own."""
    import framing.keywords.terms as terms_module
    from framing.keywords.keyness import keyness
    from framing.keywords.terms import term_counts

    calls = []
    real_doc, real_english = terms_module.doc_terms, terms_module.english_terms
    monkeypatch.setattr(terms_module, "doc_terms", lambda *a, **k: calls.append("tokens") or real_doc(*a, **k))
    monkeypatch.setattr(terms_module, "english_terms", lambda *a, **k: calls.append("english") or real_english(*a, **k))
    asked = {
        "by outlet": lambda: keyness(seeds, "outlet", min_count=2),
        "contrast": lambda: keyness(seeds, "affiliation", target="outside"),
        "counts": lambda: term_counts(seeds, "outlet"),
        "english": lambda: keyness(seeds, None, reference="english"),
        "english counts": lambda: term_counts(seeds, "outlet", english=True),
        "bigrams": lambda: keyness(seeds, "outlet", ngram_range=(1, 2)),
        "stopwords": lambda: term_counts(seeds, "outlet", stopwords="english"),
    }
    counted = {name: ask() for name, ask in asked.items()}
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    calls.clear()
    for _ in range(2):
        for name, ask in asked.items():
            assert_frame_equal(ask(), counted[name], check_exact=True, obj=name)
    n = len(seeds)
    # words (stopwords left out: their columns dropped from the words'), bigrams; English
    assert calls.count("tokens") == 2 * n and calls.count("english") == n


def test_a_folder_that_cannot_hold_or_give_back_a_pass_is_a_one_line_error(seeds, tmp_path, monkeypatch):
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocked))
    with pytest.raises(FramingError, match=f"^{CACHE_VARIABLE}=.*a file: cannot write there .*; name a writable "
                                           "folder, or unset FRAMING_CACHE$"):
        family_for("framing").table(seeds)
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    family_for("framing").table(seeds)
    [entry] = (tmp_path / "cache").iterdir()
    (entry / "features.parquet").write_bytes(b"half a file")
    with pytest.raises(FramingError, match="features.parquet: a remembered table cannot be read .*; delete .*cache, "
                                           "or unset FRAMING_CACHE$"):
        family_for("framing").table(seeds)


def test_remembered_counts_once_and_keys_keep_their_parts_apart(tmp_path, monkeypatch):
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    assert cache_folder() is None
    calls = []
    make = lambda: (calls.append(1), {"t": pd.DataFrame({"n": [1]})})[1]  # noqa: E731
    remembered("k", make), remembered("k", make)
    assert len(calls) == 2  # no folder: nothing kept
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    assert remembered("k", make)[1] and not remembered("k", make)[1] and len(calls) == 3
    assert digest("ab", "c") != digest("a", "bc") and digest("a", "b") == digest("a", "b")
    docs = pd.DataFrame({"doc_id": ["a", "b"], "clean_text": ["x", "y"]})
    assert documents_key(docs) != documents_key(docs.iloc[::-1])  # order is part of a table
    assert documents_key(docs) != documents_key(docs.assign(language=["en", "en"]))


def test_a_run_remembers_in_a_folder_of_its_own_and_removes_it(tmp_path, monkeypatch):
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    with run_cache():
        folder = cache_folder()
        assert folder is not None and folder.is_dir() and os.environ[CACHE_VARIABLE] == str(folder)
    assert cache_folder() is None and not folder.exists()
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))  # the user's own folder: used, and kept
    with run_cache():
        assert cache_folder() == tmp_path
    assert cache_folder() == tmp_path and tmp_path.is_dir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(CACHE_VARIABLE, "passes")  # relative to here: the kernels, working elsewhere, get it whole
    with run_cache():
        assert os.environ[CACHE_VARIABLE] == str(tmp_path.resolve() / "passes")
    assert os.environ[CACHE_VARIABLE] == "passes"


def test_the_overview_read_back_is_the_overview_counted(seeds, tmp_path, monkeypatch):
    import framing.documents.corpus as corpus_module

    counted = seeds.overview()
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    assert_frame_equal(load_corpus(seeds.documents[["doc_id", "outlet", "text"]]).overview().drop(columns="outlet"),
                       counted[["doc_id", "n_tokens", "n_sentences", "lines_removed", "lines_repaired", "is_empty"]])
    monkeypatch.setattr(corpus_module.Corpus, "iter_tokens", lambda self: pytest.fail("counted again"))
    assert_frame_equal(load_corpus(seeds.source).overview(), counted)  # the run record's reading of notebook 01's
    assert counted["n_sentences"].tolist()[:1] == [len(seeds.tokens[seeds.doc_ids[0]].sentences)]


def test_running_the_notebooks_loads_no_plotting_library():
    """framing figures sits beside every kernel it runs: it holds pandas and Jupyter's client, not matplotlib."""
    import subprocess
    import sys

    code = ("import sys, framing.cli.commands, framing.views.gallery, framing.comparison.rates; "
            "print(sorted(m for m in ('matplotlib', 'scipy', 'sklearn', 'nltk') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_a_pass_parquet_cannot_hold_is_counted_and_said_not_remembered(tmp_path, monkeypatch):
    """A family's own extra values that Parquet cannot write (a mix of numbers and text): the counts are
    given as counted, one warning says the pass is not remembered, and no half-written entry is left."""
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    odd = {"t": pd.DataFrame({"x": [1, "a"]})}
    with pytest.warns(UserWarning, match="^FRAMING_CACHE: this pass is not remembered .*; it is counted again"):
        tables, counted = remembered("odd", lambda: odd)
    assert counted and tables["t"]["x"].tolist() == [1, "a"]
    assert list(tmp_path.iterdir()) == []


def test_a_contrast_read_back_is_the_contrast_resampled_and_anything_it_reads_makes_a_new_one(tmp_path, monkeypatch):
    """compare_groups' permutations and resamples (notebook 04's stance contrast is the explorer's)
    are remembered under every array and number they read: read back, the table is the table
    resampled, to the bit; another seed, target, count or unit of resampling is resampled anew."""
    import framing.comparison.rates as rates_module
    from framing.comparison.rates import compare_groups
    from framing.features import features_and_sentences

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        news = load_corpus(real_corpora().news_articles(per_outlet=12))
        stance, sentences = features_and_sentences(news, "stance")
    outlets = sorted(news.documents["outlet"].unique())
    asked = {
        "documents": dict(target=outlets[0]),
        "sentences": dict(target=outlets[0], min_docs=100),
        "seed": dict(target=outlets[0], seed=1),
        "target": dict(target=outlets[1]),
        "fewer permutations": dict(target=outlets[0], n_perm=99),
    }

    def run(name):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return compare_groups(stance, "outlet", sentences=sentences, **{"n_perm": 199, "n_boot": 99, **asked[name]})

    resampled = {name: run(name) for name in asked}
    assert resampled["seed"]["p_value"].tolist() != resampled["documents"]["p_value"].tolist()
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    calls = []
    real = rates_module._bootstrap_sums
    monkeypatch.setattr(rates_module, "_bootstrap_sums", lambda *a: calls.append(1) or real(*a))
    for _ in range(2):
        for name in asked:
            assert_frame_equal(run(name), resampled[name], check_exact=True, obj=name)
    assert len(calls) == 2 * len(asked)  # each resampled once (two sides), then read back
    changed = stance.assign(count=stance["count"].where(stance.index != stance["count"].idxmax(), 0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compare_groups(changed, "outlet", sentences=sentences, n_perm=199, n_boot=99, target=outlets[0])
    assert len(calls) == 2 * len(asked) + 2  # one count changed: resampled anew


def test_sentences_split_for_the_overview_are_read_back_by_later_passes_of_the_same_documents(tmp_path, monkeypatch):
    """Notebook 01's overview splits every text into sentences; the later passes of a run over the
    same documents read those spans back instead of splitting again, and count what they count
    without them. A corpus with one word changed splits its texts itself."""
    import framing.documents.tokens as tokens_module

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        news = load_corpus(real_corpora().news_articles(per_outlet=12))
    split = {d: doc.sentences for d, doc in news.iter_tokens()}
    counted = _every_request(family_for("stance"), news)
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    assert Corpus(news.documents, news.cleaning_report, news.source)._known_sentences() is None  # none remembered yet
    overview = Corpus(news.documents, news.cleaning_report, news.source).overview()
    assert overview["n_sentences"].tolist() == [len(split[d]) for d in news.doc_ids]
    monkeypatch.setattr(tokens_module, "sentence_spans", lambda text: pytest.fail("split again"))
    later = Corpus(news.documents, news.cleaning_report, news.source)
    assert {d: doc.sentences for d, doc in later.iter_tokens()} == split
    assert sum(map(len, split.values())) > 1000
    for label, got in _every_request(family_for("stance"), later).items():
        assert_frame_equal(got, counted[label], check_exact=True, obj=label)
    edited = news.documents.copy()
    edited.loc[3, "clean_text"] = edited.loc[3, "clean_text"].replace(" ", "  ", 1)
    assert Corpus(edited, news.cleaning_report, news.source)._known_sentences() is None


_COUNT_SLOWLY = """
import os, sys, time
import pandas as pd
from framing.cache import remembered
def count():
    with open(sys.argv[1], "a") as log:
        log.write(f"{os.getpid()} counts\\n")
    time.sleep(1.0)  # long enough for the other process to ask for the key meanwhile
    return {"t": pd.DataFrame({"n": [1, 2]})}
tables, counted = remembered("slow", count)
print(counted, tables["t"]["n"].tolist())
"""


def test_a_key_another_process_is_counting_is_waited_for_and_read_not_counted_twice(tmp_path):
    """Two processes ask for one key at once (``framing figures`` counts a pass ahead of the notebook
    that reads it, framing.ahead): one counts it, the other waits for that count and reads it; and
    the lock beside the entry is gone once the entry is in place."""
    import subprocess
    import sys

    cache, log = tmp_path / "cache", tmp_path / "log"
    env = {**os.environ, CACHE_VARIABLE: str(cache)}
    command = [sys.executable, "-c", _COUNT_SLOWLY, str(log)]
    first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    while not log.exists():  # the first holds the key: it is counting
        pass
    second = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
    first_out, _ = first.communicate(timeout=60)
    assert first_out.strip() == "True [1, 2]" and second.stdout.strip() == "False [1, 2]"
    assert len(log.read_text().splitlines()) == 1  # counted once
    assert [p.name for p in cache.iterdir()] == ["slow"]  # no lock, no staging folder left


def test_a_count_that_fails_leaves_the_key_to_the_next_process(tmp_path, monkeypatch):
    """A count that raises holds the key no longer: the next request counts it (the error passes through)."""
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    with pytest.raises(ZeroDivisionError):
        remembered("k", lambda: 1 / 0)
    tables, counted = remembered("k", lambda: {"t": pd.DataFrame({"n": [3]})})
    assert counted and tables["t"]["n"].tolist() == [3] and [p.name for p in tmp_path.iterdir()] == ["k"]


def test_a_folder_that_keeps_no_locks_still_remembers(tmp_path, monkeypatch):
    """Where the file system refuses a lock (some network mounts), the pass is counted and remembered as
    without one."""
    import fcntl

    def refuse(*args):
        raise OSError(37, "No locks available")

    monkeypatch.setattr(fcntl, "flock", refuse)
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    assert remembered("k", lambda: {"t": pd.DataFrame({"n": [1]})})[1]
    assert not remembered("k", lambda: 1 / 0)[1] and [p.name for p in tmp_path.iterdir()] == ["k"]
