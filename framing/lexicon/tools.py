"""Extending lexicons: start one, check it against a corpus, get suggestions, convert formats.

* :func:`new_lexicon` writes a starter file into a user folder (never into the package);
* :func:`check_lexicon` reports per-term hits and documents, terms that never match,
  wildcards that catch suspiciously many different words, terms shared by categories,
  and the few terms that dominate a category's count;
* :func:`suggest_terms` ranks candidate terms for a category by distributional
  similarity, learned offline from the corpus (and an optional background corpus);
* :func:`lexicon_to_toml` writes any lexicon (TOML, LIWC .dic, CSV, YAML) as native TOML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from framing.documents.corpus import Corpus, load_corpus
from framing.documents.tokens import normalize_token
from framing.errors import FramingError
from framing.keywords.background import ENGLISH_SIZE, english_counts
from framing.keywords.kwic import kwic
from framing.keywords.terms import load_stopwords
from framing.lexicon.match import LanguageMatchers, Matcher
from framing.lexicon.model import META_FIELDS, Lexicon
from framing.lexicon.read import load_lexicon, read_lexicon_file
from framing.measures import log_ratio
from framing.output import refuse_inputs, write_text
from framing.params import check_float, check_int

WEAK_CORPUS_TOKENS = 100_000
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


# --------------------------------------------------------------------------- new


TEMPLATES = {"lexicon": "lexicon_template.toml", "actors": "actors_template.toml"}


def starter_lexicon(name: str, base: str | None = None, *, template: str = "lexicon") -> str:
    """The text of a starter lexicon file (``template``: a plain lexicon, or an actors lexicon
    with ``ACTOR.CONNOTATION`` categories); with ``base``, a full editable copy of that lexicon."""
    if not _NAME_RE.match(name):
        raise FramingError(f"lexicon name {name!r} must start with a letter and use letters, digits, _ or -")
    if base is None:
        if template not in TEMPLATES:
            raise FramingError(f"unknown template {template!r}; choose from {', '.join(TEMPLATES)}")
        text = files("framing.data").joinpath(TEMPLATES[template]).read_text(encoding="utf-8")
        return text.replace("{name}", name)
    lexicon = load_lexicon(base)
    text = lexicon_to_toml(lexicon, meta={
        "name": name,
        "version": "0.1.0",
        "derived_from": f"{lexicon.name} {lexicon.meta.get('version', '')}".strip(),
        "source": f"Edited copy of the '{lexicon.name}' lexicon. Original source: {lexicon.meta.get('source', '')}",
    })
    return f"# A copy of the '{lexicon.name}' lexicon to edit; see `framing lexicon check {name} --help`.\n" + text


def new_lexicon(name: str, *, base: str | None = None, folder: str | Path | None = None, template: str = "lexicon") -> Path:
    """Write a starter lexicon ``NAME.toml`` into ``folder`` (default: ``./lexicons``); never overwrites."""
    folder = Path(folder) if folder is not None else Path.cwd() / "lexicons"
    path = folder / f"{name}.toml"
    if path.exists():
        raise FramingError(f"{path} exists already; choose another name or edit that file")
    text = starter_lexicon(name, base, template=template)
    return write_text(path, text)


def new_categories(lexicon) -> list[str]:
    """The categories a lexicon adds to the one it ``extends`` (or replaces there); all of
    its categories when it extends none. Notebook 07 opens the first of them.

    Examples
    --------
    >>> new_categories("framing")[:2]
    ['state_delegitimizing', 'state_neutral']
    """
    lex = load_lexicon(lexicon)
    base = lex.meta.get("extends")
    if not base:
        return lex.category_names
    source = Path(str(lex.path).split(" + ")[-1])
    own = read_lexicon_file(source) if source.is_file() else lex  # the file alone, before extending
    return [c for c in lex.category_names if c in own.category_names]


# --------------------------------------------------------------------------- convert


def lexicon_to_toml(lexicon: Lexicon, *, meta: dict | None = None) -> str:
    """The native TOML text of any lexicon, provenance fields kept (``meta`` overrides some).

    Nested category names (``actor.delegitimizing``) are written as nested tables, so
    reading the output gives back the same category names.
    """
    import tomli_w

    data_meta = {k: v for k, v in {**lexicon.meta, **(meta or {})}.items() if v is not None}
    for key in META_FIELDS:
        data_meta.setdefault(key, "")
    categories: dict = {}
    for cat in lexicon.categories:
        node = categories
        for part in cat.name.split("."):
            node = node.setdefault(part, {})
        entry = {"description": cat.description} if cat.description else {}
        if cat.translations:  # terms per language: a table of lists, the lexicon's own language first
            own = [(lexicon.language, cat.terms, cat.exclude)] if cat.terms or cat.exclude else []
            entry["terms"] = {code: [_term_value(t) for t in terms] for code, terms, _ in own + list(cat.translations)}
            excluded = {code: [_term_value(t) for t in exclude] for code, _, exclude in own + list(cat.translations) if exclude}
            if excluded:
                entry["exclude"] = excluded
        else:
            entry["terms"] = [_term_value(t) for t in cat.terms]
            if cat.exclude:
                entry["exclude"] = [_term_value(t) for t in cat.exclude]
        node.update(entry)
    data = {"meta": data_meta, "categories": categories}
    if lexicon.rules:
        data["rules"] = lexicon.rules
    return tomli_w.dumps(data)


def _term_value(term):
    return {"term": term.pattern, "case_sensitive": True} if term.case_sensitive else term.pattern


def convert_lexicon(source: str | Path, target: str | Path, *, force: bool = False, term_col: str | None = None,
                    category_col: str | None = None) -> Path:
    """Read a lexicon in any supported format and write it as native TOML to ``target``.

    An existing ``target`` is replaced only with ``force=True``, and never when it is
    the source itself. ``term_col``/``category_col`` name the columns of a CSV dictionary
    whose header does not say ``term``/``category``.
    """
    target = Path(target)
    if target.suffix.lower() != ".toml":
        raise FramingError(f"{target}: write the converted lexicon to a .toml file")
    refuse_inputs(target, [str(source)], option="the converted lexicon")
    if target.exists() and not force:
        raise FramingError(f"{target} exists already; choose another name, or pass --force to replace it")
    if term_col is not None or category_col is not None:
        if Path(str(source)).suffix.lower() != ".csv":
            raise FramingError(f"{source}: --term-col and --category-col are for CSV dictionaries")
        from framing.lexicon.read import read_csv_lexicon

        lexicon = read_csv_lexicon(source, term_col=term_col or "term", category_col=category_col or "category")
    else:
        lexicon = load_lexicon(source)
    return write_text(target, lexicon_to_toml(lexicon))


# --------------------------------------------------------------------------- check


@dataclass
class LexiconCheck:
    """What :func:`check_lexicon` found. ``terms`` has one row per (category, term)."""

    lexicon: Lexicon
    missing_meta: list[str] = field(default_factory=list)
    overlaps: pd.DataFrame = field(default_factory=pd.DataFrame)
    terms: pd.DataFrame | None = None
    unmatched: pd.DataFrame | None = None
    greedy_wildcards: pd.DataFrame | None = None
    dominance: pd.DataFrame | None = None

    def format(self) -> str:
        """A plain-text report."""
        lex = self.lexicon
        n_terms = int(lex.coverage().to_numpy().sum()) if len(lex.languages) > 1 else sum(len(c.terms) for c in lex.categories)
        languages = f" in {len(lex.languages)} languages" if len(lex.languages) > 1 else ""
        lines = [f"{lex.name} {lex.meta.get('version', '')} ({lex.path}): valid; "
                 f"{len(lex.categories)} categories, {n_terms} terms{languages}"]
        if self.missing_meta:
            lines.append(f"warning: [meta] lacks {', '.join(self.missing_meta)} (provenance: fill them in before citing)")
        if len(lex.languages) > 1:
            coverage = lex.coverage()
            lines.append("terms per language: " + ", ".join(f"{code} {int(coverage[code].sum())}" for code in coverage))
            for code in coverage:
                empty = coverage.index[coverage[code] == 0].tolist()
                if empty:
                    lines.append(f"warning: no {code} terms in {', '.join(empty)}: documents in {code} are not counted "
                                 "in these categories")
        if len(self.overlaps):
            lines.append("terms in several categories (allowed, counted in each):")
            lines += [f"  {r.pattern}: {r.categories.replace(';', ', ')}" for r in self.overlaps.itertuples()]
        if self.terms is None:
            return "\n".join(lines)
        lines.append("")
        lines.append("hits per term (hits, documents):")
        for cat, part in self.terms.groupby("category", sort=False):
            lines.append(f"  {cat}: {int(part['hits'].sum())} hits")
            for r in part.itertuples():
                forms = f"  [{r.forms}]" if r.wildcard and r.forms else ""
                language = f"{r.language}: " if "language" in part.columns else ""
                lines.append(f"    {language}{r.pattern:<28} {r.hits:>5} {r.docs:>4}{forms}")
        lines.append("")
        if len(self.unmatched):
            lines.append(f"never matched ({len(self.unmatched)}): " + ", ".join(
                f"{r.category}:{r.pattern}" for r in self.unmatched.itertuples()))
        else:
            lines.append("never matched: none")
        if len(self.greedy_wildcards):
            lines.append("wildcards that catch many different words (check they mean what you want):")
            lines += [f"  {r.category}:{r.pattern} -> {r.n_forms} words: {r.forms}" for r in self.greedy_wildcards.itertuples()]
        else:
            lines.append("wildcards that catch many different words: none")
        dominated = self.dominance[self.dominance["share"] > 0.5]
        if len(dominated):
            lines.append("categories dominated by one term (over half of their hits):")
            lines += [f"  {r.category}: {r.pattern} = {r.share:.0%} of {r.category_hits} hits" for r in dominated.itertuples()]
        else:
            lines.append("categories dominated by one term: none")
        return "\n".join(lines)


def check_lexicon(lexicon, corpus: Corpus | None = None, *, max_forms: int = 5) -> LexiconCheck:
    """Validate a lexicon and, with a corpus, report its coverage.

    Validation errors raise :class:`~framing.errors.FramingError` (one line naming file,
    category and term). Coverage: ``terms`` (``category``, ``pattern``, ``wildcard``,
    ``hits``, ``docs``, ``n_forms``, ``forms``: the distinct words a term matched),
    ``unmatched`` (hits == 0), ``greedy_wildcards`` (wildcard terms matching more than
    ``max_forms`` distinct words), ``dominance`` (each category's top term and its share).
    """
    lex = load_lexicon(lexicon)
    check_int("max_forms", max_forms, low=1)
    report = LexiconCheck(lex, [k for k in META_FIELDS if not lex.meta.get(k)], lex.overlaps())
    if corpus is None:
        return report
    matchers = LanguageMatchers(lex)  # each document with its language's terms
    hits: dict = {}
    for doc_id, doc in corpus.tokens.items():
        matcher = matchers[doc.language]
        language = matcher.lexicon.language if matcher is not None else None
        for m in matcher.find(doc) if matcher is not None else ():
            key = (language, m.category, m.term)
            record = hits.setdefault(key, {"hits": 0, "docs": set(), "forms": {}})
            record["hits"] += 1
            record["docs"].add(doc_id)
            form = " ".join(normalize_token(w) for w in doc.words[m.start:m.end])
            record["forms"][form] = record["forms"].get(form, 0) + 1
    rows = []
    several = len(lex.languages) > 1
    for language in lex.languages if several else [lex.language]:
        for ci, cat in enumerate(lex.in_language(language).categories):
            for ti, term in enumerate(cat.terms):
                record = hits.get((language, ci, ti), {"hits": 0, "docs": set(), "forms": {}})
                forms = sorted(record["forms"], key=lambda f: (-record["forms"][f], f))
                rows.append((cat.name, language, term.pattern, any(t.prefix for t in term.tokens), record["hits"],
                             len(record["docs"]), len(forms), ", ".join(forms)))
    terms = pd.DataFrame(rows, columns=["category", "language", "pattern", "wildcard", "hits", "docs", "n_forms", "forms"])
    if not several:
        terms = terms.drop(columns="language")
    report.terms = terms
    report.unmatched = terms[terms["hits"] == 0][["category", "pattern"]].reset_index(drop=True)
    report.greedy_wildcards = terms[terms["wildcard"] & (terms["n_forms"] > max_forms)][
        ["category", "pattern", "n_forms", "forms"]].reset_index(drop=True)
    top = terms.sort_values(["category", "hits", "pattern"], ascending=[True, False, True], kind="mergesort")
    top = top.groupby("category", sort=False).head(1).set_index("category")
    totals = terms.groupby("category")["hits"].sum()
    dominance = pd.DataFrame({
        "category": lex.category_names,
        "pattern": [top.loc[c, "pattern"] for c in lex.category_names],
        "hits": [int(top.loc[c, "hits"]) for c in lex.category_names],
        "category_hits": [int(totals[c]) for c in lex.category_names],
    })
    dominance["share"] = (dominance["hits"] / dominance["category_hits"]).where(dominance["category_hits"] > 0)
    report.dominance = dominance
    return report


# --------------------------------------------------------------------------- suggest


def _word_sequences(corpus: Corpus) -> list[list[str]]:
    return [[k for k, w in zip(doc.lower, doc.is_word) if w] for doc in corpus.tokens.values()]


def ppmi_vectors(sequences: list[list[str]], *, window: int = 5, dims: int = 100, min_frequency: int = 2, seed: int = 0):
    """Word vectors from a corpus: positive PMI over a symmetric window, reduced with TruncatedSVD.

    PMI uses context-distribution smoothing (alpha = 0.75) and the SVD vectors are
    U * sqrt(S), then L2-normalized, following Levy, Goldberg & Dagan (2015), Improving
    distributional similarity with lessons learned from word embeddings, TACL 3.
    Returns (vocabulary list, frequency array, vectors array).
    """
    counts: dict[str, int] = {}
    for seq in sequences:
        for w in seq:
            counts[w] = counts.get(w, 0) + 1
    vocab = sorted(w for w, c in counts.items() if c >= min_frequency)
    if len(vocab) < 3:
        raise FramingError("too few repeated words to learn from; give a larger corpus or a background corpus")
    index = {w: i for i, w in enumerate(vocab)}
    rows, cols = [], []
    for seq in sequences:
        ids = np.array([index.get(w, -1) for w in seq], dtype=np.int64)
        for d in range(1, window + 1):
            a, b = ids[:-d], ids[d:]
            keep = (a >= 0) & (b >= 0)
            rows.extend([a[keep], b[keep]])
            cols.extend([b[keep], a[keep]])
    rows = np.concatenate(rows) if rows else np.array([], dtype=np.int64)
    cols = np.concatenate(cols) if cols else np.array([], dtype=np.int64)
    n = len(vocab)
    cooc = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
    cooc.sum_duplicates()
    total = cooc.sum()
    word_p = np.asarray(cooc.sum(axis=1)).ravel() / total
    context = np.asarray(cooc.sum(axis=0)).ravel() ** 0.75
    context_p = context / context.sum()
    coo = cooc.tocoo()
    with np.errstate(divide="ignore"):
        pmi = np.log((coo.data / total) / (word_p[coo.row] * context_p[coo.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=(n, n))
    k = max(1, min(dims, n - 1))
    svd = TruncatedSVD(n_components=k, algorithm="arpack", random_state=seed)
    reduced = svd.fit_transform(ppmi)  # U * S
    vectors = reduced / np.sqrt(np.maximum(svd.singular_values_, 1e-12))  # U * sqrt(S)
    vectors = normalize(_fix_signs(vectors))
    return vocab, np.array([counts[w] for w in vocab]), vectors


def _fix_signs(vectors: np.ndarray) -> np.ndarray:
    """Make each SVD component's largest entry positive, so results do not depend on solver sign."""
    signs = np.sign(vectors[np.abs(vectors).argmax(axis=0), np.arange(vectors.shape[1])])
    signs[signs == 0] = 1
    return vectors * signs


@dataclass(frozen=True)
class Suggestions:
    """What :func:`suggest_terms` found: the ranked candidates and what they were learned from.

    Attributes
    ----------
    terms : DataFrame
        One row per candidate (see :func:`suggest_terms`); empty when no seed occurs.
    seeds : tuple of str
        The words of the category found in the text, whose centroid the candidates are scored against.
    n_tokens : int
        The tokens the word vectors were learned from (corpus plus background).
    category : str
    min_frequency : int
    """

    terms: pd.DataFrame
    seeds: tuple[str, ...]
    n_tokens: int
    category: str
    min_frequency: int

    @property
    def note(self) -> str:
        """Why there are no suggestions, or how much text they rest on (weak below
        :data:`WEAK_CORPUS_TOKENS` tokens)."""
        if not self.seeds:
            return (f"no suggestions: no single-word term of category '{self.category}' occurs in the corpus "
                    f"(at least {self.min_frequency} times); suggestions need seed words in the text, or a background corpus")
        if self.n_tokens < WEAK_CORPUS_TOKENS:
            return (f"learned from {self.n_tokens:,} tokens: suggestions from so little text are weak; "
                    "pass a larger background corpus (--background)")
        return f"learned from {self.n_tokens:,} tokens"

    def format(self) -> str:
        """One line: the note, then the seeds."""
        return self.note + (f"; seeds: {', '.join(self.seeds)}" if self.seeds else "")

    def _repr_html_(self) -> str:  # in a notebook: the note, then the table
        return f"<p>{self.format()}</p>" + self.terms._repr_html_()


def suggest_terms(
    lexicon,
    category: str,
    corpus: Corpus,
    *,
    n: int = 30,
    background=None,
    window: int = 5,
    dims: int = 100,
    min_frequency: int = 2,
    min_score: float = 0.0,
    stopwords="english",
    english: bool = True,
) -> Suggestions:
    """Candidate terms for a category, ranked by distributional similarity to its current terms.

    Word vectors are learned from ``corpus`` (plus ``background``: a Corpus or any path
    :func:`framing.load_corpus` reads) with :func:`ppmi_vectors`. The category's seeds
    are the words its single-word terms match in the text; each candidate is scored by
    the cosine between its vector and the seeds' centroid (as Field et al. 2018 expand
    frame lexicons with embedding neighbours above a threshold, ``min_score``, and Empath,
    Fast et al. 2016, grows categories from seed words). Candidates are words of
    ``corpus`` not already matched by the category, not stopwords, and with a letter.

    With ``english`` (default), words merely common in general English are down-weighted:
    ``log_ratio_english`` is the Hardie log ratio of the word's rate in the corpus against
    its wordfreq rate (:mod:`framing.keywords.background`), and a word used less than in English has
    its ``score`` (the cosine, ``similarity``) halved for each halving of that ratio.

    Returns
    -------
    DataFrame
        ``rank``, ``term``, ``score``, ``similarity`` (the cosine), ``log_ratio_english``,
        ``nearest_seed``, ``frequency`` (in ``corpus``),
        ``concordance`` (the first occurrence in context), as :class:`Suggestions` ``terms``,
        with the ``seeds`` and the tokens learned from; its ``note`` says when the statistics
        rest on too little text to be trusted, and why the table is empty when no term of the
        category occurs in the corpus.
    """
    for name, value in (("n", n), ("window", window), ("dims", dims), ("min_frequency", min_frequency)):
        check_int(name, value, low=1)
    check_float("min_score", min_score, low=-1, high=1)
    lex = load_lexicon(lexicon)
    cat = lex.category(category)
    sequences = _word_sequences(corpus)
    if background is not None:
        extra = background if isinstance(background, Corpus) else load_corpus(background)
        sequences = sequences + _word_sequences(extra)
    n_tokens = sum(len(s) for s in sequences)
    vocab, _, vectors = ppmi_vectors(sequences, window=window, dims=dims, min_frequency=min_frequency)
    index = {w: i for i, w in enumerate(vocab)}
    single = Lexicon(lex.name, lex.meta, (type(cat)(cat.name, cat.description, cat.terms, cat.exclude),), lex.path)
    matcher = Matcher(single)
    matched: dict[str, int] = {}
    for doc in corpus.tokens.values():
        for m in matcher.find(doc):
            if m.end - m.start == 1:
                key = doc.lower[m.start]
                matched[key] = matched.get(key, 0) + 1
    seeds = [w for w in sorted(matched) if w in index]
    columns = ["rank", "term", "score", "similarity", *(["log_ratio_english"] if english else []), "nearest_seed",
               "frequency", "concordance"]
    if not seeds:
        return Suggestions(pd.DataFrame(columns=columns), (), n_tokens, category, min_frequency)
    seed_vectors = vectors[[index[w] for w in seeds]]
    centroid = normalize(seed_vectors.mean(axis=0, keepdims=True))[0]
    scores = vectors @ centroid
    nearest = np.array(seeds)[(vectors @ seed_vectors.T).argmax(axis=1)]
    stop = load_stopwords(stopwords)
    frequency: dict[str, int] = {}
    for seq in _word_sequences(corpus):
        for w in seq:
            frequency[w] = frequency.get(w, 0) + 1
    candidates = [
        (w, float(scores[i]), str(nearest[i]), frequency[w])
        for w, i in index.items()
        if w in frequency and w not in matched and w not in stop and any(ch.isalpha() for ch in w)
        and not w.startswith("'") and scores[i] >= min_score
    ]
    table = pd.DataFrame(candidates, columns=["term", "similarity", "nearest_seed", "frequency"])
    corpus_size = sum(frequency.values())
    if english and len(table):
        # down-weight words merely common in English: halve the score per halving of the corpus's rate below English's
        table["log_ratio_english"] = log_ratio(table["frequency"].to_numpy(float), english_counts(table["term"]),
                                               corpus_size, ENGLISH_SIZE)
        table["score"] = table["similarity"] * np.minimum(1.0, np.exp2(table["log_ratio_english"]))
    else:
        table["score"] = table["similarity"]
    table = table.assign(_key=-table["score"].round(10)).sort_values(["_key", "term"], kind="mergesort").drop(columns="_key")
    table = table.head(n)[["term", "score", "similarity", *(["log_ratio_english"] if english else []), "nearest_seed",
                           "frequency"]].reset_index(drop=True)
    table.insert(0, "rank", range(1, len(table) + 1))
    table["concordance"] = [_first_line(corpus, t) for t in table["term"]]
    return Suggestions(table, tuple(seeds), n_tokens, category, min_frequency)


def _first_line(corpus: Corpus, term: str) -> str:
    lines = kwic(corpus, term.replace("*", ""), window=5)
    if lines.empty:
        return ""
    row = lines.iloc[0]
    return f"{row['left']} [{row['match']}] {row['right']}".strip()
