"""Terms and their counts: word tokens in their matching form (lowercased, apostrophes made
plain), n-grams that never cross punctuation, and term counts per group that add up over
batches (:class:`TermCounts`), the one input of keyness, the explorer and the lexicon tools."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from framing.documents.corpus import Corpus
from framing.documents.tokens import BoundedMemo, TokenizedText, normalize_token
from framing.errors import FramingError

CLITICS = frozenset({"'s", "n't", "'re", "'ve", "'ll", "'d", "'m"})


# --------------------------------------------------------------------------- terms


AUTO = "auto"
"""The stopwords of each document's language (:func:`load_stopwords`)."""


def load_stopwords(stopwords, language: str | None = None) -> frozenset[str]:
    """``None`` (no stopwords), ``"english"`` (scikit-learn's list plus the clitics the
    tokenizer splits off: 's n't 're 've 'll 'd 'm), ``"auto"`` (the list of ``language``:
    English's for ``en`` or ``None``, else that of the ``stopwordsiso`` package, Stopwords ISO
    (Diaz 2016-2020, MIT), which collects the published lists of 57 languages), a file path
    (one word a line), or words. Words are kept in their matching form
    (:func:`~framing.documents.tokens.normalize_token`), as the terms they are checked against.

    Examples
    --------
    >>> "und" in load_stopwords("auto", "de"), "und" in load_stopwords("auto", "en")
    (True, False)
    """
    if stopwords is None:
        return frozenset()
    if isinstance(stopwords, str):
        if stopwords == "english" or (stopwords == AUTO and language in (None, "en")):
            # imported here, for this list only: scikit-learn takes a second to load
            from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

            return frozenset(ENGLISH_STOP_WORDS) | CLITICS
        if stopwords == AUTO:
            return language_stopwords(language)
        path = Path(stopwords)
        if not path.is_file():
            raise FramingError(f"{stopwords}: no such stopword file; use 'english' or a file with one word per line")
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError as exc:
            raise FramingError(f"{stopwords}: not UTF-8 (byte {exc.start})") from None
        return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))
    return frozenset(str(w).lower() for w in stopwords)


def language_stopwords(language: str) -> frozenset[str]:
    """The Stopwords ISO list of ``language``, in matching form; a one-line error for a language it lacks."""
    import stopwordsiso

    if not stopwordsiso.has_lang(language):
        raise FramingError(f"no stopword list for '{language}' in Stopwords ISO; give your own with --stopwords PATH "
                           "(one word a line), or none")
    return frozenset(normalize_token(w) for w in stopwordsiso.stopwords(language))


def doc_terms(doc: TokenizedText, ngram_range=(1, 1), stopwords: frozenset = frozenset()) -> list[str]:
    """The n-grams of one document: runs of word tokens between punctuation, joined by spaces.

    An n-gram that contains a stopword is skipped.

    Examples
    --------
    >>> from framing.documents.tokens import tokenize
    >>> doc_terms(tokenize("The Regime's vote. Sham!"), (1, 2), frozenset({"the"}))
    ['regime', "'s", 'vote', 'sham', "regime 's", "'s vote"]
    """
    low, high = _check_range(ngram_range)
    runs, run = [], []
    for key, is_word in zip(doc.lower, doc.is_word.tolist()):
        if is_word:
            run.append(key)
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    out = []
    for n in range(low, high + 1):
        if n == 1:  # a word is its own unigram
            for run in runs:
                out.extend((w for w in run if w not in stopwords) if stopwords else run)
            continue
        for run in runs:
            for i in range(len(run) - n + 1):
                gram = run[i : i + n]
                if stopwords and any(w in stopwords for w in gram):
                    continue
                out.append(" ".join(gram))
    return out


_WORDLIKE = re.compile(r"[^\W\d_]")


def _english_word(token: str) -> str | None:
    """A wordfreq token as :func:`english_terms` keeps it: curly apostrophes made plain; ``None``
    for a token with no letter."""
    token = token.replace("\u2019", "'").replace("\u02bc", "'")
    return token if _WORDLIKE.search(token) else None


_ENGLISH_WORDS = BoundedMemo(_english_word, max_size=500_000)  # token -> what english_terms keeps of it


def english_terms(text: str, stopwords: frozenset = frozenset(), language: str | None = None) -> list[str]:
    """The words of one document's ``text`` as wordfreq counts them (:func:`wordfreq.tokenize`, in the
    document's language, English where it is not given):
    clitics stay on their word (``don't``, ``obama's``), punctuation is left out, letters are
    case-folded, curly apostrophes made plain (``iran’s`` is ``iran's``, as wordfreq looks
    it up), and a token with no letter is left out: a stray symbol such as U+FFFD, and a
    number, which wordfreq looks up with its digits made 0 (``2024`` stands for every
    four-digit number there, so against one year it would rank as under-used). Keyness against general English counts the corpus this way, so that a term
    is counted the same way on both sides: our own tokens split ``do`` + ``n't`` while
    wordfreq lists ``don't`` whole, and the split pieces would rank as keywords of every
    corpus.

    Examples
    --------
    >>> english_terms("Don't trust the regime's U.S. allies!", frozenset({"the"}))
    ["don't", 'trust', "regime's", 'u.s', 'allies']
    """
    from wordfreq import tokenize as wordfreq_tokenize

    language = language or "en"
    words = map(_ENGLISH_WORDS.__getitem__, wordfreq_tokenize(text, language))  # each token type looked at once
    if language == "en":
        return [w for w in words if w is not None and w not in stopwords]
    return [w for w in words if w is not None and normalize_token(w) not in stopwords]


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


def document_terms(corpus: Corpus, ngram_range=(1, 1), stopwords: frozenset = frozenset(), english: bool = False):
    """Documents x terms: each document's :func:`doc_terms` (or :func:`english_terms`) counted by
    scikit-learn's ``CountVectorizer``, as a CSR matrix of int64 (a row per document, in order; a
    column per term, in text order) and the terms. The documents are read once, as a stream.

    Remembered with a run's other passes (:mod:`framing.cache`): keyword tables, term counts and
    the explorer of one corpus read one count of its terms.

    Examples
    --------
    >>> from framing.documents.corpus import load_corpus
    >>> matrix, terms = document_terms(load_corpus(pd.DataFrame({"text": ["the regime the regime", "the vote"]})))
    >>> terms.tolist(), matrix.toarray().tolist()
    (['regime', 'the', 'vote'], [[2, 2, 0], [0, 1, 1]])
    """
    from scipy.sparse import csr_matrix

    from framing.cache import code_key, digest, documents_key, remembered

    low, high = _check_range(ngram_range)
    if stopwords and not english and (low, high) == (1, 1):
        # the words less the stopwords are the count of every word less the stopwords' columns (the
        # terms are sorted either way): one count serves the keywords, which leave stopwords out, and
        # the explorer, which keeps them
        matrix, vocab = document_terms(corpus, (1, 1), frozenset())
        keep = np.fromiter((term not in stopwords for term in vocab), bool, len(vocab))
        return matrix[:, np.flatnonzero(keep)].tocsr(), vocab[keep]
    key = digest("terms", documents_key(corpus.documents), f"{low}-{high}", "english" if english else "tokens",
                 *sorted(stopwords), code_key())

    def count():
        from sklearn.feature_extraction.text import CountVectorizer

        if english:  # wordfreq's tokenizer reads the text: ours is not needed
            docs = corpus.documents
            terms = (english_terms(text, stopwords, language)
                     for text, language in zip(docs["clean_text"], corpus.document_languages))
        else:
            terms = (doc_terms(doc, (low, high), stopwords) for _, doc in corpus.iter_tokens())
        vectorizer = CountVectorizer(analyzer=_passthrough)
        try:
            cells = vectorizer.fit_transform(terms).tocoo()
            vocab = vectorizer.get_feature_names_out()
        except ValueError as exc:  # no term in any document
            if "empty vocabulary" not in str(exc):
                raise
            cells, vocab = csr_matrix((len(corpus), 0), dtype=np.int64).tocoo(), np.array([], dtype=object)
        return {"cells": pd.DataFrame({"row": cells.row.astype(np.int64), "column": cells.col.astype(np.int64),
                                       "count": cells.data.astype(np.int64)}),
                "terms": pd.DataFrame({"term": np.asarray(vocab, dtype=object)})}

    tables = remembered(key, count)[0]
    cells, vocab = tables["cells"], tables["terms"]["term"].to_numpy(dtype=object)
    matrix = csr_matrix((cells["count"].to_numpy(np.int64), (cells["row"].to_numpy(), cells["column"].to_numpy())),
                        shape=(len(corpus), len(vocab)))
    return matrix, vocab


def _doc_term_matrix(corpus: Corpus, ngram_range, stopwords, english: bool = False):
    matrix, vocab = document_terms(corpus, ngram_range, stopwords, english)
    if not len(vocab):
        raise FramingError("the corpus has no terms to count (all documents empty, or everything was a stopword)")
    return matrix.tocsc(), vocab


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
    >>> from framing.documents.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ["the regime the regime", "the vote"], "outlet": ["A", "A"]}))
    >>> term_counts(corpus, "outlet").values.tolist()
    [['A', '', 0, 0, 2], ['A', 'regime', 1, 2, 1], ['A', 'the', 1, 3, 2], ['A', 'vote', 1, 1, 1]]
    """
    name = by or "group"
    check_one_language(corpus.languages)
    if english and set(corpus.languages) - {"en"}:
        raise FramingError(f"term counts for keyness against general English, of documents in {corpus.languages[0]}: a "
                           "count table does not say its language, so run framing keyness on the corpus with --reference "
                           "english, which sets each language against its own general frequencies")
    groups = corpus.groups(by) if by is not None else pd.Series("corpus", index=corpus.doc_ids)
    if by is not None and len(groups) and (groups == "(none)").all() and corpus.documents[by].isna().all():
        raise FramingError(f"column '{by}' is empty for every document; choose a column that names groups")
    stop = load_stopwords(stopwords)
    if english and tuple(_check_range(ngram_range)) != (1, 1):
        raise FramingError("the English background has word frequencies only: use ngram_range=(1, 1) (--ngrams 1-1)")
    from scipy.sparse import csr_matrix

    matrix, vocab = document_terms(corpus, ngram_range, stop, english)
    names = sorted(set(groups))
    coded = pd.Index(names).get_indexer(groups.reindex(corpus.doc_ids))
    n_docs = np.bincount(coded, minlength=len(names)).astype(np.int64)
    members = csr_matrix((np.ones(len(coded), np.int64), (coded, np.arange(len(coded)))), shape=(len(names), len(coded)))
    # (group, term) cells summed over documents: counts, and documents using the term (the same cells)
    total, used_by = members @ matrix, members @ (matrix > 0).astype(np.int64)
    total.sort_indices()
    used_by.sort_indices()
    g_code = np.repeat(np.arange(len(names), dtype=np.int64), np.diff(total.indptr))
    t_code = total.indices.astype(np.int64)
    docs = used_by.data.astype(np.int64)
    terms = np.asarray(vocab, dtype=object)
    used = np.flatnonzero(n_docs)
    # the rows sorted by group, then term (the terms are in text order), the group's documents row first (its term is empty)
    order = np.lexsort((np.r_[t_code, np.full(len(used), -1)], np.r_[g_code, used]))
    table = pd.DataFrame({
        name: np.array(names, dtype=object)[np.r_[g_code, used][order]],
        "term": np.r_[terms[t_code], np.full(len(used), "", dtype=object)][order],
        "n": np.r_[np.fromiter((t.count(" ") + 1 for t in terms), np.int64, len(terms))[t_code],
                   np.zeros(len(used), np.int64)][order],
        "count": np.r_[total.data.astype(np.int64), np.zeros(len(used), np.int64)][order],
        "docs": np.r_[docs, n_docs[used]][order],
    })
    return table.astype({name: str, "term": str})


def check_one_language(languages) -> None:
    """A term-count table pools each group's documents: one language only, else a one-line error
    (keyness compares within a language, never across)."""
    languages = sorted(set(languages))
    if len(languages) > 1:
        raise FramingError(f"term counts pool each group's documents, and these are written in {len(languages)} languages "
                           f"({', '.join(languages)}): count each language on its own (its documents alone), or run "
                           "framing keyness on the corpus, which compares within each language")


def merge_term_counts(tables) -> pd.DataFrame:
    """Term-count tables of parts of a corpus (batches, files, machines) as one: their sum."""
    tables = list(tables)
    if not tables:
        raise FramingError("no term-count tables to merge")
    if len(tables) == 1:  # already one sum, sorted
        return tables[0]
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


@dataclass(frozen=True)
class TermCounts:
    """The term counts of a batch per group (:func:`framing.keywords.terms.term_counts`): they add up over batches."""

    by: str | None
    ngram_range: tuple = (1, 1)
    stopwords: object = None
    english: bool = False

    def __call__(self, corpus: Corpus) -> pd.DataFrame:
        table = term_counts(corpus, self.by, ngram_range=self.ngram_range, stopwords=self.stopwords, english=self.english)
        table.attrs["languages"] = corpus.languages  # for the check across batches (check_one_language)
        return table
