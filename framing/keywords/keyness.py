"""Keyness between groups and distinctive terms: each group against the rest or a named
reference (quanteda's ``textstat_keyness``: one row per term with its statistic, p-value and
both counts), with the plain measures of :mod:`framing.measures`."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from framing.documents.corpus import Corpus
from framing.errors import FramingError
from framing.groups import (
    as_list,
    default_target,
    each_against_rest,
    keep_rows,
    largest,
    left_out_note,
    sides,
)
from framing.keywords.background import ENGLISH_SIZE, english_counts
from framing.keywords.terms import (
    AUTO,
    CLITICS,
    TERM_COUNT_COLUMNS,
    _check_range,
    _doc_term_matrix,
    _group_term_matrix,
    _passthrough,
    doc_terms,
    is_term_counts,
    load_stopwords,
)
from framing.measures import (
    COLUMNS,
    MEASURES,
    benjamini_hochberg,
    log_odds_delta,
    log_odds_dirichlet,
    log_ratio,
)
from framing.params import COUNT, OneOf, Whole, checked
from framing.tables import Similarity, rate_per_1k

MAX_KEYNESS_GROUPS = 200
"""Each group against the rest is computed for at most this many groups (those with most
documents); beyond, a warning says how many were left out."""
MAX_KEYNESS_ROWS = 10_000_000
"""The most rows :func:`keyness` builds without ``top`` (about 3 GB in memory): each of 200 groups
against the rest over the 60,000 words of 10 MB of news is 12 million. Beyond, it says so at once
and what to pass instead; :func:`keyness_parts` streams any number, one comparison at a time."""
ENGLISH = "english"
"""The reference (and background) that stands for general English (:mod:`framing.keywords.background`)."""


# --------------------------------------------------------------------------- keyness


@checked(measure=OneOf(MEASURES), min_count=Whole(low=0), top=Whole(low=1, none=True), max_groups=Whole(low=1))
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
    top: int | None = None,
    max_groups: int = MAX_KEYNESS_GROUPS,
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
        (:mod:`framing.keywords.background`: wordfreq's frequencies in a nominal corpus of
        :data:`~framing.keywords.background.ENGLISH_SIZE` words; unigrams only). The corpus is
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
    top : int, optional
        Keep, of each comparison, only its ``top`` most over-used terms (positive measure,
        not ``low_count``) and its ``top`` most under-used (negative measure), in the table's
        order: what a keyword chart draws (:func:`framing.views.plots.keyness_bars`), cut as each
        comparison is computed, so that 200 groups against the rest never hold 200 x the
        vocabulary. Counts, p-values and their adjustment are those of the whole comparison.
        Without it, a table of more than :data:`MAX_KEYNESS_ROWS` rows (comparisons x terms)
        is refused before any comparison is made, naming its size.
    max_groups : int
        Without a target, each group is set against the rest for at most this many groups,
        those with most documents (:func:`framing.groups.largest`, the rule charts keep groups
        by), each still against all the others; a warning names how many were left out. Default
        :data:`MAX_KEYNESS_GROUPS`; a keyword chart draws :data:`framing.views.colours.MAX_GROUPS`
        panels, so the notebooks compute those alone, capped before the work.

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
        term), ``n_groups_reference`` (groups on the reference side, those left out of the table
        included; 0 against English) and ``low_count``. Sorted by group, then by the measure, descending.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.documents.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ["the regime the regime", "the government"], "outlet": ["A", "B"]}))
    >>> table = keyness(corpus, "outlet", target="A", min_count=1)
    >>> table[["term", "count_target", "count_reference", "n_target", "n_reference"]].values.tolist()
    [['regime', 2, 0, 4, 2], ['the', 2, 1, 4, 2], ['government', 0, 1, 4, 2]]
    """
    parts = keyness_parts(
        corpus, by, target=target, reference=reference, measure=measure, ngram_range=ngram_range,
        min_count=min_count, stopwords=stopwords, background=background, top=top, max_rows=MAX_KEYNESS_ROWS,
        max_groups=max_groups,
    )
    return pd.concat(list(parts), ignore_index=True)


def _within_languages(corpus: Corpus, by: str, *, target, reference, **options) -> Iterator[pd.DataFrame]:
    """:func:`keyness_parts` for each language of the corpus on its own documents, with a
    ``language`` column after the group's: the target against the reference written in
    the same language (or against that language's general frequencies), with that
    language's stopwords (``"auto"``) and tokens. A language where the comparison has no
    side is skipped; if none has both sides, the error says why."""
    languages = corpus.documents["language"]
    groups = corpus.groups(by) if by is not None else pd.Series("corpus", index=corpus.doc_ids)
    names = {"english", AUTO}  # each language's own list (English's for English)
    stop = options.pop("stopwords")
    known = sorted(set(groups))
    for side, wanted in (("target", target), ("reference", reference)):
        if wanted is None or (side == "reference" and isinstance(wanted, str) and wanted == ENGLISH):
            continue
        unknown = [g for g in as_list(wanted) if g not in known]
        if unknown:
            raise FramingError(f"unknown {side} group '{unknown[0]}' in column '{by}'; groups: {', '.join(known[:20])}")
    general = isinstance(reference, str) and reference == ENGLISH
    runs, skipped = [], []
    for language in sorted(set(languages)):
        ids = corpus.documents.loc[languages == language, "doc_id"]
        present = set(groups.reindex(ids))
        # each side, cut to the groups that write in this language (None: as the caller left it)
        t = None if target is None else [g for g in as_list(target) if g in present]
        r = reference if reference is None or general else [g for g in as_list(reference) if g in present]
        others = present - set(t or ())  # the reference side when none is named: the rest of this language
        if t == [] or r == [] or (not general and r is None and (not others or len(present) < 2)):
            skipped.append(language)
            continue
        runs.append((language, ids, t, r))
    if not runs:
        raise FramingError(f"keyness is computed within a language, never across: no language of the corpus has both "
                           f"the target and the reference (languages: {', '.join(sorted(set(languages)))}); compare "
                           "groups that write in one language, or each group with its language's general frequencies "
                           "(reference english)")
    if skipped:
        warnings.warn(f"keyness within each language: no comparison in {', '.join(skipped)} (the target or the "
                      "reference has no document there)", stacklevel=4)
    def tables():
        for language, ids, t, r in runs:
            sub = corpus.select(ids)
            parts = keyness_parts(sub, by, target=t, reference=r,
                                     stopwords=AUTO if isinstance(stop, str) and stop in names else stop, **options)
            for part in parts:
                if by != "language":  # grouped by language, the group column says it already
                    part.insert(1, "language", language)
                yield part

    return tables()


def strongest(table: pd.DataFrame, column: str, top: int) -> pd.DataFrame:
    """The rows of one comparison that a keyword chart draws: the ``top`` largest positive values
    of ``column`` among rows that are not ``low_count``, and the ``top`` most negative, in order.

    Examples
    --------
    >>> t = pd.DataFrame({"term": list("abcde"), "g2": [9.0, 5.0, 1.0, -2.0, -7.0],
    ...                   "low_count": [False, True, False, False, False]})
    >>> strongest(t, "g2", 1)["term"].tolist()
    ['a', 'e']
    """
    return table.iloc[_strongest_positions(table[column].to_numpy(float), table["low_count"].to_numpy(bool), top)]


def _strongest_positions(values: np.ndarray, low_count: np.ndarray, top: int) -> np.ndarray:
    """The positions :func:`strongest` keeps, ascending: the ``top`` largest positive ``values``
    not ``low_count`` and the ``top`` most negative, ties taken in their order (pandas'
    ``nlargest``/``nsmallest``, ``keep="first"``)."""
    over, under = np.flatnonzero((values > 0) & ~low_count), np.flatnonzero(values < 0)
    over = over[np.argsort(-values[over], kind="stable")[:top]]
    under = under[np.argsort(values[under], kind="stable")[:top]]
    return np.union1d(over, under)


@checked(measure=OneOf(MEASURES), min_count=Whole(low=0), max_groups=Whole(low=1))
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
    top: int | None = None,
    max_rows: int | None = None,
    max_groups: int = MAX_KEYNESS_GROUPS,
) -> Iterator[pd.DataFrame]:
    """:func:`keyness` one comparison at a time: the tables of each group (or of the one target) as
    they are computed. Everything is checked before the
    first table, so a writer can stream a table too large to hold (each of 200 groups against
    the rest over a vocabulary of 60,000 terms is 12 million rows). With ``top``, each table is
    cut to what :func:`strongest` keeps before it is made (its p-values adjusted over the whole
    comparison). Without ``top``, ``max_rows`` (comparisons x terms, an upper bound) refuses a
    table larger than that before the first comparison.

    A corpus in several languages (a ``language`` column) is compared within each language,
    never across (:func:`_within_languages`)."""
    english = isinstance(reference, str) and reference == ENGLISH
    language = None
    if not is_term_counts(corpus):
        if len(corpus.languages) > 1:
            return _within_languages(corpus, by, target=target, reference=reference, measure=measure,
                                     ngram_range=ngram_range, min_count=min_count, stopwords=stopwords,
                                     background=background, top=top, max_rows=max_rows, max_groups=max_groups)
        language = corpus.languages[0] if corpus.languages else None
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
        matrix, vocab = _doc_term_matrix(corpus, ngram_range, load_stopwords(stopwords, language), english=english)
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
        general = ENGLISH if language in (None, "en") else f"general {language}"
        comparisons = [(t, t, "+".join(t), general) for t in targets]
        reference_counts = english_counts(vocab, language)
    else:
        if by is None:
            raise FramingError("keyness needs by= (a grouping column), or reference='english' to compare the whole corpus")
        if target is None and reference is None and len(known) > max_groups:  # capped before anything is built
            sizes = pd.Series(n_docs if is_term_counts(corpus) else 1, index=labels).groupby(level=0).sum()
            kept, out = largest(sizes, max_groups)
            warnings.warn(f"column '{by}' has {len(known):,} groups: keywords are computed for the "
                          f"{max_groups} with most documents, each against all the others; "
                          f"{len(out):,} are left out (name a target for one of them){left_out_note(out)}",
                          stacklevel=3)
            kept = set(kept)
            comparisons = [sides(known, g, None, by) for g in known if g in kept]
        else:
            comparisons = _comparisons(known, target, reference, by)
        reference_counts = None
    if max_rows is not None and top is None and len(comparisons) * len(vocab) > max_rows:
        raise FramingError(f"keyness of every term: {len(comparisons):,} comparison(s) of up to {len(vocab):,} terms are up "
                           f"to {len(comparisons) * len(vocab):,} rows, over the {max_rows:,} a table holds in memory "
                           "(about 3 GB); pass top=N (each comparison's N most over- and under-used terms, what a chart "
                           "draws), or name a target, or stream the comparisons one at a time with keyness_parts (as "
                           "framing keyness writes them)")
    prior = _prior(background, vocab, matrix)
    codes = {g: k for k, g in enumerate(known)}  # groups as integers: each side a lookup of codes, not strings compared
    coded = np.fromiter((codes[g] for g in labels), np.int64, len(labels))
    # without a named reference, every comparison is a target against all the other groups: the reference
    # rows are the others, not 9,999 names looked up again for each of 200 comparisons
    rest = not english and reference is None

    def member(side):
        chosen = np.zeros(len(known), dtype=bool)
        chosen[[codes[g] for g in side]] = True
        return chosen[coded]

    def members(t, r):
        in_target = member(t)
        return in_target, ~in_target if rest else member(r)

    terms = _Terms(matrix, docs, vocab)
    tables = (
        _compare(terms, n_docs, order, *members(t, r), name, ref_name, measure,
                 min_count, prior, reference_groups=0 if english else len(r),
                 reference_counts=reference_counts, top=top).rename(columns={"group": by or "group"})
        for t, r, name, ref_name in comparisons
    )
    return tables


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


class _Terms:
    """What every comparison of one keyness run reads: the counts (``matrix``) and the documents
    holding each term (``docs``), with a row per document (``docs`` = matrix > 0) or per group (from
    term counts), as row-sliced sparse matrices, with their column totals; the vocabulary as one
    text array, and each term's place in text order (for the tie-break of the sort). Made once,
    so that each of 200 comparisons does not convert 100,000 terms to text again."""

    def __init__(self, matrix, docs, vocab):
        from scipy import sparse

        self.matrix = matrix.tocsr() if sparse.issparse(matrix) else np.asarray(matrix)
        self.docs = docs.tocsr() if sparse.issparse(docs) else np.asarray(docs)
        self.total = np.asarray(self.matrix.sum(axis=0)).ravel()
        self.docs_total = np.asarray(self.docs.sum(axis=0)).ravel()
        self.vocab = pd.array(np.asarray(vocab, dtype=object), dtype="str")
        self.rank = np.empty(len(vocab), dtype=np.int64)
        self.rank[np.argsort(np.asarray(vocab, dtype=object), kind="stable")] = np.arange(len(vocab))

    def sums(self, rows: np.ndarray, others: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Counts and documents of each term over the ``rows`` (a mask), then over the ``others``;
        when the two split every row between them, the others' are the totals less the rows' (exact:
        sums of whole numbers), without gathering the rest of the corpus."""
        a = np.asarray(self.matrix[rows].sum(axis=0)).ravel()
        docs_a = np.asarray(self.docs[rows].sum(axis=0)).ravel()
        if not (rows & others).any() and (rows | others).all():
            return a, docs_a, self.total - a, self.docs_total - docs_a
        return (a, docs_a, np.asarray(self.matrix[others].sum(axis=0)).ravel(),
                np.asarray(self.docs[others].sum(axis=0)).ravel())


def _compare(terms: _Terms, n_docs, order, in_target, in_ref, name, ref_name, measure, min_count, prior, *,
             reference_groups: int, reference_counts=None, top: int | None = None) -> pd.DataFrame:
    """One comparison of ``terms`` (:class:`_Terms`): the rows in the target against those in the
    reference (``n_docs``: the documents of each row); with ``top``, only the rows :func:`strongest`
    keeps."""
    a, docs_t, b, docs_r = terms.sums(in_target, in_ref)
    a = a.astype(float)
    b = (b if reference_counts is None else reference_counts).astype(float)
    present = (a + b) > 0
    n_t = np.zeros_like(a)
    n_r = np.zeros_like(b)
    alpha0 = np.zeros_like(a)
    sizes = np.unique(order)  # the n-gram sizes
    for n in sizes:
        same = order == n
        n_t[same] = a[same].sum()
        n_r[same] = b[same].sum() if reference_counts is None else ENGLISH_SIZE
        alpha0[same] = prior[same & present].sum()
    skipped = _sizes_without_tokens(name, "target", sizes, n_t, order)
    skipped += _sizes_without_tokens(name, "reference", sizes, n_r, order)
    if skipped:
        present &= ~np.isin(order, skipped)
    if reference_counts is not None:
        docs_r = np.zeros(len(a), np.int64)
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
    kept = np.flatnonzero(present)
    # the rows in the table's order, from the arrays: the measure descending (NaN last), then the
    # target's count descending, then the term (what sort_values gave, without sorting the text)
    rows = kept[np.lexsort((terms.rank[kept], -a[kept], -statistic[kept]))]
    p_adjusted = np.full(len(a), np.nan)
    p_adjusted[kept] = benjamini_hochberg(p_value[kept])  # within the group, over the terms it has
    if top is not None:  # the rows a chart draws, chosen on the arrays: 16 rows made, not the vocabulary
        rows = rows[_strongest_positions(statistic[rows], a[rows] < min_count, top)]
    columns = {
        "group": name, "reference": ref_name, "term": terms.vocab.take(rows), "n": order[rows],
        "count_target": a[rows].astype(np.int64), "count_reference": b[rows].astype(np.int64),
        "n_target": n_t[rows].astype(np.int64), "n_reference": n_r[rows].astype(np.int64),
        "per_1k_target": per_t[rows], "per_1k_reference": per_r[rows],
        **({"log_odds": delta[rows]} if function is log_odds_dirichlet else {}),
        column: statistic[rows], "p_value": p_value[rows], "p_adjusted": p_adjusted[rows],
        **({"log_ratio": effect[rows]} if measure != "log_ratio" else {}),
        "docs_target": docs_t[rows], "n_docs_target": int(n_docs[in_target].sum()), "docs_reference": docs_r[rows],
        "n_docs_reference": int(n_docs[in_ref].sum()) if reference_counts is None else 0,
        "n_groups_reference": reference_groups,  # in the table, not in attrs: it survives a CSV and a filter
        "low_count": a[rows] < min_count,
    }
    return pd.DataFrame(columns, index=rows)


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


def tfidf_similarity(corpus: Corpus, by: str | None = None, *, ngram_range=(1, 1), stopwords="english") -> Similarity:
    """Cosine similarity of TF-IDF vectors of documents, or of groups (their documents pooled).

    At most :data:`framing.groups.MAX_SIMILARITY_ROWS` groups (or documents) are compared,
    those with most documents (the first documents), decided before any text is counted;
    the result's ``left_out`` says which were left out.
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
    return Similarity(pd.DataFrame(cosine_similarity(matrix), index=labels, columns=labels), left_out=left_out)
