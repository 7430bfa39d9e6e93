"""Keyword features: keyness between groups, distinctive terms, collocations, concordances.

All four read the corpus's one tokenization. Terms are word tokens in their matching
form (lowercased, apostrophes made plain); n-grams never cross punctuation. The
measures are the plain functions of :mod:`framing.measures`.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from framing.background import ENGLISH_SIZE, english_counts
from framing.corpus import Corpus
from framing.errors import FramingError
from framing.groups import as_list, default_target, each_against_rest, keep_rows, largest, left_out_note, sides
from framing.lexicon import Matcher, pattern_lexicon
from framing.measures import COLUMNS, MEASURES, benjamini_hochberg, log_odds_delta, log_odds_dirichlet, log_ratio
from framing.params import COUNT, MAX_WINDOW, OneOf, Whole, checked
from framing.tables import rate_per_1k
from framing.tokens import TokenizedText

MAX_KEYNESS_GROUPS = 200
"""Each group against the rest is computed for at most this many groups (those with most
documents); beyond, a warning says how many were left out."""
CLITICS = frozenset({"'s", "n't", "'re", "'ve", "'ll", "'d", "'m"})
ENGLISH = "english"
"""The reference (and background) that stands for general English (:mod:`framing.background`)."""
COLLOCATION_MEASURES = ("pmi", "likelihood_ratio", "chi_sq", "student_t", "dice", "jaccard", "poisson_stirling", "mi_like")


# --------------------------------------------------------------------------- terms


def load_stopwords(stopwords) -> frozenset[str]:
    """``None`` (no stopwords), ``"english"`` (scikit-learn's list plus the clitics the
    tokenizer splits off: 's n't 're 've 'll 'd 'm), a file path (one word a line), or words."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # imported here: scikit-learn takes a second to load
    if stopwords is None:
        return frozenset()
    if isinstance(stopwords, str):
        if stopwords == "english":
            return frozenset(ENGLISH_STOP_WORDS) | CLITICS
        path = Path(stopwords)
        if not path.is_file():
            raise FramingError(f"{stopwords}: no such stopword file; use 'english' or a file with one word per line")
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError as exc:
            raise FramingError(f"{stopwords}: not UTF-8 (byte {exc.start})") from None
        return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))
    return frozenset(str(w).lower() for w in stopwords)


def doc_terms(doc: TokenizedText, ngram_range=(1, 1), stopwords: frozenset = frozenset()) -> list[str]:
    """The n-grams of one document: runs of word tokens between punctuation, joined by spaces.

    An n-gram that contains a stopword is skipped.

    Examples
    --------
    >>> from framing.tokens import tokenize
    >>> doc_terms(tokenize("The Regime's vote. Sham!"), (1, 2), frozenset({"the"}))
    ['regime', "'s", 'vote', 'sham', "regime 's", "'s vote"]
    """
    low, high = _check_range(ngram_range)
    runs, run = [], []
    for key, is_word in zip(doc.lower, doc.is_word):
        if is_word:
            run.append(key)
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    out = []
    for n in range(low, high + 1):
        for run in runs:
            for i in range(len(run) - n + 1):
                gram = run[i : i + n]
                if stopwords and any(w in stopwords for w in gram):
                    continue
                out.append(" ".join(gram))
    return out


_WORDLIKE = re.compile(r"[^\W_]")


def english_terms(doc: TokenizedText, stopwords: frozenset = frozenset()) -> list[str]:
    """The words of one document as wordfreq counts them (:func:`wordfreq.tokenize`, English):
    clitics stay on their word (``don't``, ``obama's``), punctuation is left out, letters are
    case-folded, curly apostrophes made plain (``iran’s`` is ``iran's``, as wordfreq looks
    it up), and a token with no letter or digit (a stray symbol such as U+FFFD) is left
    out. Keyness against general English counts the corpus this way, so that a term
    is counted the same way on both sides: our own tokens split ``do`` + ``n't`` while
    wordfreq lists ``don't`` whole, and the split pieces would rank as keywords of every
    corpus.

    Examples
    --------
    >>> from framing.tokens import tokenize
    >>> english_terms(tokenize("Don't trust the regime's U.S. allies!"), frozenset({"the"}))
    ["don't", 'trust', "regime's", 'u.s', 'allies']
    """
    from wordfreq import tokenize as wordfreq_tokenize

    words = (w.replace("\u2019", "'").replace("\u02bc", "'") for w in wordfreq_tokenize(doc.text, "en"))
    return [w for w in words if _WORDLIKE.search(w) and w not in stopwords]


def _check_range(ngram_range) -> tuple[int, int]:
    try:
        low, high = (int(v) for v in ngram_range)
    except (TypeError, ValueError):
        raise FramingError(f"ngram_range must be two integers like (1, 2), got {ngram_range!r}") from None
    if not 1 <= low <= high:
        raise FramingError(f"ngram_range must satisfy 1 <= min <= max, got {ngram_range!r}")
    return low, high


def _passthrough(terms):
    return terms


def _doc_term_matrix(corpus: Corpus, ngram_range, stopwords, english: bool = False):
    from sklearn.feature_extraction.text import CountVectorizer
    if english:
        terms = [english_terms(doc, stopwords) for doc in corpus.tokens.values()]
    else:
        terms = [doc_terms(doc, ngram_range, stopwords) for doc in corpus.tokens.values()]
    vectorizer = CountVectorizer(analyzer=_passthrough)
    if not any(terms):
        raise FramingError("the corpus has no terms to count (all documents empty, or everything was a stopword)")
    matrix = vectorizer.fit_transform(terms).tocsc()
    return matrix, vectorizer.get_feature_names_out()


# --------------------------------------------------------------------------- term counts: mergeable aggregates

TERM_COUNT_COLUMNS = ["term", "n", "count", "docs"]
"""A term-count table: the grouping column, then these. Its rows with an empty ``term`` and
``n`` 0 hold each group's number of documents in ``docs`` (and ``count`` 0)."""


def term_counts(corpus: Corpus, by: str | None, *, ngram_range=(1, 1), stopwords=None, english: bool = False) -> pd.DataFrame:
    """Per group and term: ``count`` (occurrences) and ``docs`` (documents using it), the
    aggregate :func:`keyness` needs, which adds up over batches of a corpus (:func:`merge_term_counts`).

    One row per (group, term) with ``count`` > 0, plus one row per group with an empty
    ``term`` and ``n`` 0 whose ``docs`` is the group's number of documents. ``by=None``
    puts every document in one group, ``corpus``.

    Examples
    --------
    >>> from framing.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ["the regime the regime", "the vote"], "outlet": ["A", "A"]}))
    >>> term_counts(corpus, "outlet").values.tolist()
    [['A', '', 0, 0, 2], ['A', 'regime', 1, 2, 1], ['A', 'the', 1, 3, 2], ['A', 'vote', 1, 1, 1]]
    """
    name = by or "group"
    groups = corpus.groups(by) if by is not None else pd.Series("corpus", index=corpus.doc_ids)
    if by is not None and len(groups) and (groups == "(none)").all() and corpus.documents[by].isna().all():
        raise FramingError(f"column '{by}' is empty for every document; choose a column that names groups")
    stop = load_stopwords(stopwords)
    if english and tuple(_check_range(ngram_range)) != (1, 1):
        raise FramingError("the English background has word frequencies only: use ngram_range=(1, 1) (--ngrams 1-1)")
    rows: dict[tuple[str, str], list[int]] = {}
    n_docs: dict[str, int] = {}
    for doc_id, doc in corpus.tokens.items():
        group = groups[doc_id]
        n_docs[group] = n_docs.get(group, 0) + 1
        terms = english_terms(doc, stop) if english else doc_terms(doc, ngram_range, stop)
        for term, count in Counter(terms).items():
            cell = rows.setdefault((group, term), [0, 0])
            cell[0] += count
            cell[1] += 1
    table = pd.DataFrame(
        [(g, t, t.count(" ") + 1, c, d) for (g, t), (c, d) in rows.items()] + [(g, "", 0, 0, d) for g, d in n_docs.items()],
        columns=[name, *TERM_COUNT_COLUMNS],
    )
    return _sorted_counts(table)


def merge_term_counts(tables) -> pd.DataFrame:
    """Term-count tables of parts of a corpus (batches, files, machines) as one: their sum."""
    tables = list(tables)
    if not tables:
        raise FramingError("no term-count tables to merge")
    name = str(tables[0].columns[0])
    table = pd.concat(tables, ignore_index=True).groupby([name, "term", "n"], as_index=False, sort=False)[["count", "docs"]].sum()
    return _sorted_counts(table)


def _sorted_counts(table: pd.DataFrame) -> pd.DataFrame:
    name = table.columns[0]
    table = table.astype({name: str, "term": str, "n": np.int64, "count": np.int64, "docs": np.int64})
    return table.sort_values([name, "term"], kind="mergesort").reset_index(drop=True)


def is_term_counts(table) -> bool:
    """Whether ``table`` is a term-count table (:func:`term_counts`) rather than a corpus."""
    return isinstance(table, pd.DataFrame) and list(table.columns[1:]) == TERM_COUNT_COLUMNS


def _group_term_matrix(counts: pd.DataFrame):
    """Groups x terms matrices of ``count`` and ``docs``, the terms, and each row's group and documents."""
    from scipy.sparse import csr_matrix

    name = counts.columns[0]
    totals = counts[counts["n"] == 0]
    terms = counts[counts["n"] > 0]
    groups = sorted(set(counts[name]))
    if terms.empty:
        raise FramingError("the term counts hold no terms (all documents empty, or everything was a stopword)")
    vocab = np.array(sorted(set(terms["term"])), dtype=object)
    row = pd.Index(groups).get_indexer(terms[name])
    col = pd.Index(vocab).get_indexer(terms["term"])
    shape = (len(groups), len(vocab))
    count = csr_matrix((terms["count"].to_numpy(np.int64), (row, col)), shape=shape).tocsc()
    docs = csr_matrix((terms["docs"].to_numpy(np.int64), (row, col)), shape=shape).tocsc()
    n_docs = totals.set_index(name)["docs"].reindex(groups).fillna(0).to_numpy(np.int64)
    return count, docs, vocab, np.array(groups, dtype=object), n_docs


# --------------------------------------------------------------------------- keyness


@checked(measure=OneOf(MEASURES), min_count=Whole(low=0))
def keyness(
    corpus: Corpus,
    by: str,
    *,
    target=None,
    reference=None,
    measure: str = "g2",
    ngram_range=(1, 1),
    min_count: int = 3,
    stopwords=None,
    background=None,
) -> pd.DataFrame:
    """Keyness of every term for groups of documents: one row per (group, term).

    Parameters
    ----------
    corpus : Corpus or DataFrame
        The documents, or their term counts (:func:`term_counts`, merged over batches with
        :func:`merge_term_counts`), which give the same table without the texts.
    by : str
        Metadata column defining the groups.
    target, reference : str or list of str, optional
        With ``target=None``, each group is compared with the rest of the corpus.
        With ``target`` (one group or several), it is compared with ``reference``
        (default: all other groups). ``reference="english"`` compares each group (or
        ``target``; with ``by=None`` the whole corpus) with general English instead
        (:mod:`framing.background`: wordfreq's frequencies in a nominal corpus of
        :data:`~framing.background.ENGLISH_SIZE` words; unigrams only). The corpus is
        then counted with wordfreq's own tokenizer (:func:`english_terms`), so that
        ``don't`` is one word on both sides, never ``do`` + ``n't``.
    measure : str
        One of :data:`framing.measures.MEASURES`: ``g2`` (default), ``ll_two_cell``,
        ``chi2``, ``chi2_yates``, ``chi2_two_cell``, ``log_ratio``, ``pct_diff``,
        ``simple_maths``, ``log_odds_dirichlet``.
    ngram_range : (int, int)
        Sizes of n-grams; totals (``n_target``, ``n_reference``) are counted per size.
    min_count : int
        Terms with fewer target occurrences are flagged in ``low_count``.
    stopwords : None, "english", path or list
        Off by default: function words carry framing ("we", "our", "allegedly").
    background : pandas.Series, DataFrame, CSV path or "english", optional
        For ``log_odds_dirichlet``: term frequencies of a large background corpus
        used as the prior (columns ``term``, ``count``), or ``"english"`` (wordfreq's
        frequencies, scaled to this corpus's size so the prior weighs as much as the
        default). Default: the pooled counts of this corpus. Every prior count gets
        0.01 added so no term has a zero prior.

    Returns
    -------
    pandas.DataFrame
        ``by`` (the target group, under the grouping column's name), ``reference``, ``term``, ``n`` (n-gram size), ``count_target``,
        ``count_reference``, ``n_target``, ``n_reference``, ``per_1k_target``,
        ``per_1k_reference`` (rates per 1,000 words, as everywhere), the measure's column (named after it; ``log_odds_dirichlet``
        fills ``log_odds``, the delta, and ``log_odds_z``, its z-score), ``p_value`` (NaN where the measure
        defines none), ``p_adjusted`` (Benjamini-Hochberg within the group),
        ``log_ratio`` (effect size, always), ``docs_target``/``n_docs_target`` and
        ``docs_reference``/``n_docs_reference`` (dispersion: documents containing the
        term), and ``low_count``. Sorted by group, then by the measure, descending.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ["the regime the regime", "the government"], "outlet": ["A", "B"]}))
    >>> table = keyness(corpus, "outlet", target="A", min_count=1)
    >>> table[["term", "count_target", "count_reference", "n_target", "n_reference"]].values.tolist()
    [['regime', 2, 0, 4, 2], ['the', 2, 1, 4, 2], ['government', 0, 1, 4, 2]]
    """
    parts, n_groups = keyness_parts(
        corpus, by, target=target, reference=reference, measure=measure, ngram_range=ngram_range,
        min_count=min_count, stopwords=stopwords, background=background,
    )
    out = pd.concat(list(parts), ignore_index=True)
    out.attrs["n_groups"] = n_groups  # every group of the corpus, those left out of the table included
    return out


@checked(measure=OneOf(MEASURES), min_count=Whole(low=0))
def keyness_parts(
    corpus: Corpus,
    by: str,
    *,
    target=None,
    reference=None,
    measure: str = "g2",
    ngram_range=(1, 1),
    min_count: int = 3,
    stopwords=None,
    background=None,
) -> tuple[Iterator[pd.DataFrame], int]:
    """:func:`keyness` one comparison at a time: the tables of each group (or of the one target) as
    they are computed, and the number of groups in the corpus. Everything is checked before the
    first table, so a writer can stream a table too large to hold (each of 200 groups against
    the rest over a vocabulary of 60,000 terms is 12 million rows)."""
    english = isinstance(reference, str) and reference == ENGLISH
    if is_term_counts(corpus):
        if by is not None and corpus.columns[0] != by:
            raise FramingError(f"these term counts are grouped by '{corpus.columns[0]}', not '{by}'; count them again by '{by}'")
        matrix, docs, vocab, labels, n_docs = _group_term_matrix(corpus)
        if english and set(np.unique([t.count(" ") + 1 for t in vocab])) != {1}:
            raise FramingError("the English background has word frequencies only: count unigrams (--ngrams 1-1)")
        if english and CLITICS & set(vocab):
            raise FramingError("these term counts split clitics (do + n't) while wordfreq counts don't whole: "
                               "count them again with framing counts --english for keyness against English")
    else:
        if english and tuple(_check_range(ngram_range)) != (1, 1):
            raise FramingError("the English background has word frequencies only: use ngram_range=(1, 1) (--ngrams 1-1)")
        groups = corpus.groups(by) if by is not None else pd.Series("corpus", index=corpus.doc_ids)
        matrix, vocab = _doc_term_matrix(corpus, ngram_range, load_stopwords(stopwords), english=english)
        docs, n_docs = (matrix > 0).astype(np.int64), np.ones(matrix.shape[0], dtype=np.int64)
        labels = groups.reindex(corpus.doc_ids).to_numpy()
    order = np.fromiter((t.count(" ") + 1 for t in vocab), np.int64, len(vocab))
    known = sorted(set(labels))
    if english:
        targets = [[g] for g in known] if target is None else [as_list(target)]
        for t in targets:
            unknown = [g for g in t if g not in known]
            if unknown:
                raise FramingError(f"unknown target group '{unknown[0]}' in column '{by}'; groups: {', '.join(known)}")
        comparisons = [(t, t, "+".join(t), ENGLISH) for t in targets]
        reference_counts = english_counts(vocab)
    else:
        if by is None:
            raise FramingError("keyness needs by= (a grouping column), or reference='english' to compare the whole corpus")
        if target is None and reference is None and len(known) > MAX_KEYNESS_GROUPS:  # capped before anything is built
            sizes = pd.Series(n_docs if is_term_counts(corpus) else 1, index=labels).groupby(level=0).sum()
            kept, out = largest(sizes, MAX_KEYNESS_GROUPS)
            warnings.warn(f"column '{by}' has {len(known):,} groups: keywords are computed for the "
                          f"{MAX_KEYNESS_GROUPS} with most documents, each against all the others; "
                          f"{len(out):,} are left out (name a target for one of them){left_out_note(out)}",
                          stacklevel=3)
            kept = set(kept)
            comparisons = [sides(known, g, None, by) for g in known if g in kept]
        else:
            comparisons = _comparisons(known, target, reference, by)
        reference_counts = None
    prior = _prior(background, vocab, matrix)
    codes = {g: k for k, g in enumerate(known)}  # groups as integers: np.isin on thousands of strings is quadratic
    coded = np.fromiter((codes[g] for g in labels), np.int64, len(labels))

    def member(side):
        return np.isin(coded, [codes[g] for g in side])

    tables = (
        _compare(matrix, docs, n_docs, vocab, order, member(t), member(r), name, ref_name, measure,
                 min_count, prior, reference_counts=reference_counts).rename(columns={"group": by or "group"})
        for t, r, name, ref_name in comparisons
    )
    return tables, len(known)


def top_term(table: pd.DataFrame, group: str | None = None, *, stopwords="english") -> str:
    """The most over-used term of ``group`` (default: :data:`framing.groups.DEFAULT_RULE`) in a :func:`keyness`
    table, among terms not flagged ``low_count`` and not stopwords: a data-derived term for
    a concordance, instead of a term named in a notebook.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"outlet": ["A", "A", "A"], "term": ["the", "regime", "vote"], "g2": [9.0, 5.0, 2.0],
    ...                   "low_count": [False, False, False]})
    >>> top_term(t)
    'regime'
    """
    by = table.columns[0]
    if group is None:  # the one rule for a group nobody named (framing.groups.DEFAULT_RULE)
        sizes = (table.groupby(by)["n_docs_target"].max() if "n_docs_target" in table
                 else pd.Series(1, index=list(table[by].unique())))
        group = default_target(sizes.to_dict())
    measure = next((c for c in (COLUMNS.get(m, m) for m in MEASURES) if c in table.columns and c != "log_ratio"), "log_ratio")
    stop = load_stopwords(stopwords)
    part = table[(table[by] == group) & ~table["low_count"] & ~table["term"].isin(stop)]
    part = part[part["term"].str.contains(r"[^\W\d_]", regex=True)]
    if part.empty:
        raise FramingError(f"group '{group}' has no term above min_count that is not a stopword")
    return str(part.sort_values([measure, "term"], ascending=[False, True], kind="mergesort")["term"].iloc[0])


def _sizes_without_tokens(name: str, side: str, sizes, n_tokens, order) -> list[int]:
    """The n-gram sizes of which one side has no tokens at all: no rate, so no row (with a warning)."""
    empty = [int(n) for n in sizes if n_tokens[order == n].sum() == 0]
    if empty:
        warnings.warn(
            f"group '{name}': the {side} has no {', '.join(f'{n}-grams' for n in empty)} (its documents are too short "
            "or empty), so those terms have no rate there and their rows are left out",
            stacklevel=5,
        )
    return empty


def _comparisons(known, target, reference, by):
    if target is None:
        if reference is not None:
            raise FramingError("reference needs a target; give target=... or neither")
        return each_against_rest(known, by)
    return [sides(known, target, reference, by)]


def _prior(background, vocab, matrix) -> np.ndarray:
    pooled = np.asarray(matrix.sum(axis=0)).ravel().astype(float)
    if background is None:
        counts = pooled
    elif isinstance(background, str) and background == ENGLISH:
        # general English as the prior, scaled to the corpus's own size so it weighs as much as the pooled prior
        english = english_counts(vocab).astype(float)
        counts = english / english.sum() * pooled.sum() if english.sum() else english
    else:
        if isinstance(background, (str, Path)):
            try:
                background = pd.read_csv(background, dtype={"term": str}, keep_default_na=False)
            except (OSError, ValueError) as exc:
                raise FramingError(f"{background}: cannot read the background table ({exc})") from None
        if isinstance(background, pd.DataFrame):
            if not {"term", "count"} <= set(background.columns):
                raise FramingError(f"background table needs columns 'term' and 'count', has {', '.join(background.columns)}")
            background = background.groupby(background["term"].str.lower())["count"].sum()
        counts = pd.Series(background, dtype=float).reindex(vocab).fillna(0.0).to_numpy()
    return counts + 0.01


def _compare(matrix, docs, n_docs, vocab, order, in_target, in_ref, name, ref_name, measure, min_count, prior, *,
             reference_counts=None) -> pd.DataFrame:
    """One comparison. ``matrix`` and ``docs`` have a row per document (``docs`` = matrix > 0,
    ``n_docs`` = 1) or per group (from term counts): the sums are the same either way."""
    a = np.asarray(matrix[in_target].sum(axis=0)).ravel().astype(float)
    b = (np.asarray(matrix[in_ref].sum(axis=0)).ravel() if reference_counts is None else reference_counts).astype(float)
    present = (a + b) > 0
    n_t = np.zeros_like(a)
    n_r = np.zeros_like(b)
    alpha0 = np.zeros_like(a)
    for n in np.unique(order):
        same = order == n
        n_t[same] = a[same].sum()
        n_r[same] = b[same].sum() if reference_counts is None else ENGLISH_SIZE
        alpha0[same] = prior[same & present].sum()
    skipped = _sizes_without_tokens(name, "target", np.unique(order), n_t, order)
    skipped += _sizes_without_tokens(name, "reference", np.unique(order), n_r, order)
    present &= ~np.isin(order, skipped)
    docs_t = np.asarray(docs[in_target].sum(axis=0)).ravel()
    docs_r = np.asarray(docs[in_ref].sum(axis=0)).ravel() if reference_counts is None else np.zeros(len(a), np.int64)
    function, p_of = MEASURES[measure]
    column = COLUMNS.get(measure, measure)
    with np.errstate(divide="ignore", invalid="ignore"):
        if function is log_odds_dirichlet:
            statistic = function(a, b, n_t, n_r, alpha=prior, alpha0=alpha0)
            delta = log_odds_delta(a, b, n_t, n_r, alpha=prior, alpha0=alpha0)
        else:
            statistic = function(a, b, n_t, n_r)
        per_t, per_r = rate_per_1k(a, n_t), rate_per_1k(b, n_r)  # the one rate unit; charts may show per 10,000
        effect = log_ratio(a, b, n_t, n_r)
        p_value = p_of(statistic) if p_of is not None else np.full(a.shape, np.nan)
    table = pd.DataFrame(
        {
            "group": name, "reference": ref_name, "term": vocab, "n": order,
            "count_target": a.astype(np.int64), "count_reference": b.astype(np.int64),
            "n_target": n_t.astype(np.int64), "n_reference": n_r.astype(np.int64),
            "per_1k_target": per_t, "per_1k_reference": per_r,
            **({"log_odds": delta} if function is log_odds_dirichlet else {}),
            column: statistic, "p_value": p_value,
        }
    )
    if measure != "log_ratio":
        table["log_ratio"] = effect
    table["docs_target"] = docs_t
    table["n_docs_target"] = int(n_docs[in_target].sum())
    table["docs_reference"] = docs_r
    table["n_docs_reference"] = int(n_docs[in_ref].sum()) if reference_counts is None else 0
    table["low_count"] = a < min_count
    table = table[present].copy()
    table.insert(table.columns.get_loc("p_value") + 1, "p_adjusted", benjamini_hochberg(table["p_value"].to_numpy()))
    return table.sort_values([column, "count_target", "term"], ascending=[False, False, True], kind="mergesort")


# --------------------------------------------------------------------------- distinctive terms


@checked(n=COUNT)
def distinctive_terms(corpus: Corpus, n: int = 20, *, ngram_range=(1, 2), stopwords="english",
                      counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Top ``n`` terms of each document by TF-IDF (scikit-learn's ``TfidfVectorizer``).

    TF-IDF uses scikit-learn's defaults (smoothed idf, l2-normalized rows) over the
    same n-grams as :func:`keyness`; stopwords are on by default here, since a
    document's most frequent function words say little about it.

    ``counts``, the term counts of a whole corpus (:func:`term_counts` with the same
    ``ngram_range`` and ``stopwords``, merged over batches), sets the document frequencies,
    so that ``corpus`` can be one batch of it: each document then gets the rows it gets
    when the whole corpus is scored at once.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, metadata, ``rank``, ``term``, ``tfidf``, ``count``.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    stop = load_stopwords(stopwords)
    terms = [doc_terms(doc, ngram_range, stop) for doc in corpus.tokens.values()]
    if not any(terms):
        raise FramingError("the corpus has no terms to score")
    vectorizer = TfidfVectorizer(analyzer=_passthrough, norm=None)  # rows normalized below, in term order
    if counts is None:
        weights = vectorizer.fit_transform(terms).tocsr()
    else:
        vectorizer.fit(terms)
        vectorizer.idf_ = _smoothed_idf(counts, vectorizer.get_feature_names_out())
        weights = vectorizer.transform(terms).tocsr()
    weights = _l2_rows(weights)
    vocab = vectorizer.get_feature_names_out()
    rows = []
    for i, doc_id in enumerate(corpus.doc_ids):
        row = weights.getrow(i)
        counts = pd.Series(terms[i]).value_counts()
        top = sorted(zip(row.data, row.indices), key=lambda x: (-x[0], vocab[x[1]]))[:n]
        rows.extend((doc_id, rank, vocab[j], float(w), int(counts[vocab[j]])) for rank, (w, j) in enumerate(top, 1))
    table = pd.DataFrame(rows, columns=["doc_id", "rank", "term", "tfidf", "count"])
    return corpus.with_metadata(table)


def _l2_rows(matrix):
    """Rows scaled to unit length, each norm summed in term order, so that a document's
    weights do not depend on which other documents were vectorized with it."""
    matrix = matrix.sorted_indices().astype(float)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    lengths = np.diff(matrix.indptr)
    matrix.data /= np.repeat(np.where(norms > 0, norms, 1.0), lengths)
    return matrix


def _smoothed_idf(counts: pd.DataFrame, vocab) -> np.ndarray:
    """scikit-learn's smoothed idf, ln((1 + n) / (1 + df)) + 1, from the document frequencies
    of a whole corpus's term counts (computed as ``TfidfTransformer.fit`` computes it)."""
    if not is_term_counts(counts):
        raise FramingError(f"counts= needs a term-count table (framing.term_counts), with columns {', '.join(TERM_COUNT_COLUMNS)}")
    terms = counts[counts["n"] > 0].groupby("term")["docs"].sum()
    df = terms.reindex(vocab).to_numpy(dtype=float)
    if np.isnan(df).any():
        missing = [t for t, d in zip(vocab, df) if np.isnan(d)][:3]
        raise FramingError(f"the term counts lack terms of these documents ({', '.join(missing)}): count the whole corpus "
                           "with the same ngram_range and stopwords")
    n_samples = int(counts.loc[counts["n"] == 0, "docs"].sum())
    df += 1.0
    return np.log((n_samples + 1) / df) + 1.0


def tfidf_similarity(corpus: Corpus, by: str | None = None, *, ngram_range=(1, 1), stopwords="english") -> pd.DataFrame:
    """Cosine similarity of TF-IDF vectors of documents, or of groups (their documents pooled).

    At most :data:`framing.groups.MAX_SIMILARITY_ROWS` groups (or documents) are compared,
    those with most documents (the first documents), decided before any text is counted;
    ``attrs["left_out"]`` says which were left out.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    stop = load_stopwords(stopwords)
    if by is None:
        docs, left_out = keep_rows(corpus.doc_ids, what="documents")
        terms = {d: doc_terms(corpus.tokens[d], ngram_range, stop) for d in docs}
    else:
        groups = corpus.groups(by)
        kept, left_out = keep_rows(sorted(groups.unique()), groups.value_counts().to_dict(), what="groups")
        kept = set(kept)
        pooled: dict[str, list] = {}
        for d in corpus.doc_ids:
            if groups[d] in kept:
                pooled.setdefault(groups[d], []).extend(doc_terms(corpus.tokens[d], ngram_range, stop))
        terms = dict(sorted(pooled.items()))
    matrix = TfidfVectorizer(analyzer=_passthrough).fit_transform(list(terms.values()))
    labels = list(terms)
    out = pd.DataFrame(cosine_similarity(matrix), index=labels, columns=labels)
    if left_out:
        out.attrs["left_out"] = left_out
    return out


# --------------------------------------------------------------------------- concordances and collocations


def _node_positions(doc: TokenizedText, matcher: Matcher) -> list[tuple[int, int, str]]:
    """(token_start, token_end, pattern) of every node match, one per distinct span."""
    seen = {}
    for m in matcher.find(doc):
        seen.setdefault((m.start, m.end), matcher.lexicon.categories[m.category].terms[m.term].pattern)
    return [(s, e, p) for (s, e), p in sorted(seen.items())]


@checked(window=Whole(low=1, high=MAX_WINDOW))
def kwic(corpus: Corpus, pattern, *, window: int = 8, by: str | None = None) -> pd.DataFrame:
    """Keyword in context: every match of ``pattern`` with ``window`` tokens either side.

    ``pattern`` uses the lexicon term grammar (``"election*"``, ``"sham election*"``)
    or names a lexicon category (``"framing:state_delegitimizing"``).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, the ``by`` column (if given), ``left``, ``match``,
        ``right``, ``start``, ``end`` (character span in ``clean_text``), ``pattern``.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ["They boycotted the sham elections in May."]}))
    >>> kwic(corpus, "sham election*", window=2)[["left", "match", "right"]].values.tolist()
    [['boycotted the', 'sham elections', 'in May']]
    """
    matcher = Matcher(pattern_lexicon(pattern))
    groups = corpus.groups(by) if by else None
    rows = []
    for doc_id, doc in corpus.tokens.items():
        n = len(doc)
        for s, e, pat in _node_positions(doc, matcher):
            left = doc.span_text(max(0, s - window), s) if s > 0 and window else ""
            right = doc.span_text(e, min(n, e + window)) if e < n and window else ""
            row = {"doc_id": doc_id}
            if groups is not None:
                row[by] = groups[doc_id]
            row.update(
                left=" ".join(left.split()), match=" ".join(doc.span_text(s, e).split()), right=" ".join(right.split()),
                start=int(doc.starts[s]), end=int(doc.ends[e - 1]), pattern=pat,
            )
            rows.append(row)
    columns = ["doc_id", *([by] if by else []), "left", "match", "right", "start", "end", "pattern"]
    return pd.DataFrame(rows, columns=columns)


def format_kwic(table: pd.DataFrame, width: int = 50) -> str:
    """An aligned concordance: left context right-aligned, the match, the right context;
    each line labelled by the grouping column (the one after ``doc_id``, if any), else the document."""
    lines = []
    label_column = table.columns[1] if table.columns[1] != "left" else "doc_id"
    for _, row in table.iterrows():
        left = row["left"][-width:].rjust(width)
        right = row["right"][:width]
        label = row[label_column]
        lines.append(f"{str(label)[:20]:<20}  {left}  [{row['match']}]  {right}")
    return "\n".join(lines)


@checked(measure=OneOf(COLLOCATION_MEASURES, "collocation measure"), window=Whole(low=1, high=MAX_WINDOW),
         min_count=Whole(low=0))
def collocations(
    corpus: Corpus,
    node,
    *,
    by: str,
    window: int = 5,
    measure: str = "pmi",
    min_count: int = 2,
    stopwords=None,
) -> pd.DataFrame:
    """Words that surround a node term or lexicon category, per group, scored with NLTK's association measures.

    For each group, every word-token position is classed as inside a node's window
    (within ``window`` tokens of a node match, the node itself excluded) or not, and
    each collocate's 2x2 table is handed to ``nltk.metrics.BigramAssocMeasures``:
    ``n_ii`` = occurrences inside windows, ``n_ix`` = tokens inside windows,
    ``n_xi`` = occurrences in the group, ``n_xx`` = tokens in the group. PMI is then
    log2 of how much likelier the word is near the node than anywhere in the group.

    Returns
    -------
    pandas.DataFrame
        ``by`` (under its own name), ``collocate``, ``count_window``, ``count_group``, ``window_tokens``,
        ``n_tokens``, the measure's column, ``docs`` (documents where it co-occurs) and
        ``low_count`` (``count_window`` below ``min_count``: flagged, as in :func:`keyness`,
        not dropped); per group, the collocates that are not flagged come first, by the measure.
    """
    from nltk.metrics.association import BigramAssocMeasures  # imported here: NLTK takes a second to load
    matcher = Matcher(pattern_lexicon(node))
    stop = load_stopwords(stopwords)
    groups = corpus.groups(by)
    score = getattr(BigramAssocMeasures, measure)
    rows = []
    for group in sorted(set(groups)):
        inside: dict[str, int] = {}
        total: dict[str, int] = {}
        docs: dict[str, set] = {}
        window_tokens = n_tokens = 0
        for doc_id in groups.index[groups == group]:
            doc = corpus.tokens[doc_id]
            near = np.zeros(len(doc), dtype=bool)
            node = np.zeros(len(doc), dtype=bool)
            for s, e, _ in _node_positions(doc, matcher):
                node[s:e] = True
                near[max(0, s - window) : s] = True
                near[e : e + window] = True
            near &= ~node
            for i, (key, is_word) in enumerate(zip(doc.lower, doc.is_word)):
                if not is_word or node[i]:
                    continue
                n_tokens += 1
                if key in stop:
                    window_tokens += int(near[i])
                    continue
                total[key] = total.get(key, 0) + 1
                if near[i]:
                    window_tokens += 1
                    inside[key] = inside.get(key, 0) + 1
                    docs.setdefault(key, set()).add(doc_id)
        for word, n_ii in inside.items():
            value = score(n_ii, (window_tokens, total[word]), n_tokens)
            rows.append((group, word, n_ii, total[word], window_tokens, n_tokens, float(value), len(docs[word]),
                         n_ii < min_count))
    columns = ["group", "collocate", "count_window", "count_group", "window_tokens", "n_tokens", measure, "docs",
               "low_count"]
    table = pd.DataFrame(rows, columns=columns)
    table = table.sort_values(["group", "low_count", measure, "count_window", "collocate"],
                              ascending=[True, True, False, False, True], kind="mergesort").reset_index(drop=True)
    return table.rename(columns={"group": by})


@dataclass(frozen=True)
class TermCounts:
    """The term counts of a batch per group (:func:`framing.keywords.term_counts`): they add up over batches."""

    by: str | None
    ngram_range: tuple = (1, 1)
    stopwords: object = None
    english: bool = False

    def __call__(self, corpus: Corpus) -> pd.DataFrame:
        return term_counts(corpus, self.by, ngram_range=self.ngram_range, stopwords=self.stopwords, english=self.english)
