"""Coding sheets: matches drawn at random from a corpus, stratified by pattern, with each item's
sampling weight, and (``misses``) sentences with no match in a category; blinding, the HTML
sheet, and checking a coded sheet against the corpus it was drawn from. The half of
validation that reads a corpus (:mod:`framing.validation.scores` reads only the sheet)."""

from __future__ import annotations

import bisect
import html

import numpy as np
import pandas as pd

from framing.documents.corpus import Corpus
from framing.errors import FramingError
from framing.features import explain, family_for
from framing.params import check_int
from framing.validation.scores import KEY_COLUMNS

SHEET_COLUMNS = ["item_id", "doc_id", "category", "pattern", "match", "left", "right", "sentence", "start", "end",
                 "weight", "label", "note"]
def coding_sheet(
    corpus: Corpus,
    lexicon,
    *,
    n: int = 200,
    seed: int = 0,
    per_term: int | None = None,
    categories=None,
    context: int = 60,
    misses: int = 0,
) -> pd.DataFrame:
    """A coding sheet of matches drawn at random, stratified by pattern.

    Every pattern gets ``per_term`` items (default: ``n`` shared evenly among the patterns
    that matched, but at least one each, so a lexicon with many patterns gives more than
    ``n`` items), or all its matches if it has fewer. ``weight`` is the
    pattern's matches in the corpus over the items drawn from it. Same seed, same sheet.
    ``label`` and ``note`` are empty, for the coder.

    With ``misses``, each category also gets up to ``misses`` sentences drawn at random from
    the sentences with no match in that category (empty ``pattern`` and ``match``;
    ``start``/``end`` span the sentence; ``weight`` is the category's unmatched sentences
    over those drawn), for estimating recall.

    Examples
    --------
    >>> from framing.documents.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ["The regime fell. The regime won. The mullahs spoke."]}))
    >>> sheet = coding_sheet(corpus, "framing", n=2, categories=["state_delegitimizing"])
    >>> sheet[["pattern", "match", "weight"]].values.tolist()
    [['mullah*', 'mullahs', 1.0], ['regime*', 'regime', 2.0]]
    """
    check_int("n", n, low=1)
    check_int("seed", seed, low=0)
    check_int("context", context, low=0)
    check_int("misses", misses, low=0)
    if per_term is not None:
        check_int("per_term", per_term, low=1)
    family = family_for(lexicon)
    matches = explain(corpus, family.lexicon)
    if categories is not None:
        wanted = [categories] if isinstance(categories, str) else list(categories)
        unknown = [c for c in wanted if c not in family.categories()]
        if unknown:
            raise FramingError(f"the lexicon '{family.lexicon.name}' has no categor{'y' if len(unknown) == 1 else 'ies'} "
                               f"{', '.join(unknown)}; its categories: {', '.join(family.categories())}")
        matches = matches[matches["category"].isin(wanted)]
    if matches.empty:
        raise FramingError("the lexicon matches nothing in this corpus" + (" in these categories" if categories else "")
                           + ", so there is nothing to code")
    rng = np.random.default_rng(seed)
    strata = list(matches.groupby(["category", "pattern"], sort=True))
    quota = per_term or max(1, n // len(strata))
    picked = []
    for (_, _), part in strata:
        take = min(quota, len(part))
        rows = part.iloc[np.sort(rng.choice(len(part), size=take, replace=False))]
        picked.append(rows.assign(weight=len(part) / take))
    sheet = pd.concat(picked, ignore_index=True)
    texts = corpus.documents.set_index("doc_id")["clean_text"]
    sheet["left"] = [" ".join(texts[d][max(0, s - context) : s].split()) for d, s in zip(sheet["doc_id"], sheet["start"])]
    sheet["right"] = [" ".join(texts[d][e : e + context].split()) for d, e in zip(sheet["doc_id"], sheet["end"])]
    sheet = sheet.rename(columns={"text": "match"})
    if misses:
        wanted = sorted(set(matches["category"])) if categories is None else wanted
        sheet = pd.concat([sheet, _missed_sentences(corpus, matches, wanted, misses, rng)], ignore_index=True)
    sheet.insert(0, "item_id", [f"item{i + 1:05d}" for i in range(len(sheet))])
    sheet["label"], sheet["note"] = "", ""
    return sheet[SHEET_COLUMNS]


def _missed_sentences(corpus: Corpus, matches: pd.DataFrame, categories, k: int, rng) -> pd.DataFrame:
    """Up to ``k`` sentences per category drawn from those with no match of the category
    (sentences with at least one word), weighted by the unmatched sentences over those drawn."""
    sentences = []  # (doc_id, start, end) of every sentence with a word, in corpus order
    for doc_id in corpus.doc_ids:
        doc = corpus.tokens[doc_id]
        starts = doc.starts[doc.is_word] if len(doc) else np.array([], dtype=int)
        for a, b in doc.sentences:
            i = np.searchsorted(starts, a)
            if i < len(starts) and starts[i] < b:
                sentences.append((doc_id, a, b))
    index = {}
    for i, (doc_id, a, _) in enumerate(sentences):
        index.setdefault(doc_id, ([], []))
        index[doc_id][0].append(a)
        index[doc_id][1].append(i)
    texts = corpus.documents.set_index("doc_id")["clean_text"]
    rows = []
    for category in categories:
        hit = set()
        for doc_id, start in matches.loc[matches["category"] == category, ["doc_id", "start"]].itertuples(index=False):
            starts, ids = index.get(doc_id, ([], []))
            j = bisect.bisect_right(starts, start) - 1
            if j >= 0:
                hit.add(ids[j])
        free = [i for i in range(len(sentences)) if i not in hit]
        take = min(k, len(free))
        if not take:
            continue
        for i in np.sort(rng.choice(len(free), size=take, replace=False)):
            doc_id, a, b = sentences[free[i]]
            rows.append((doc_id, category, "", "", "", "", " ".join(texts[doc_id][a:b].split()), a, b, len(free) / take))
    return pd.DataFrame(rows, columns=["doc_id", "category", "pattern", "match", "left", "right", "sentence", "start", "end",
                                       "weight"])


def blind(sheet: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sheet without what would tell the coder the category (category, pattern, weight),
    and the key that :func:`score_sheet` joins back on ``item_id``."""
    if sheet["pattern"].eq("").any():
        raise FramingError("a missed sentence can only be coded knowing the category sought: "
                           "draw the misses in a sheet of their own, without blinding")
    return sheet.drop(columns=["category", "pattern", "weight"]), sheet[KEY_COLUMNS]


def sheet_html(sheet: pd.DataFrame, *, title: str = "framing coding sheet") -> str:
    """A self-contained page (no script, no network) to read the items: context with the
    match highlighted, and the category unless the sheet is blind."""
    rows = []
    for r in sheet.itertuples(index=False):
        category = f"<td>{html.escape(str(r.category))}</td>" if "category" in sheet.columns else ""
        if str(r.match) == "":  # a sentence the lexicon did not match: does it express the category?
            context = f"<i>no match; does it express the category?</i> {html.escape(str(r.sentence))}"
        else:
            context = (f"{html.escape(str(r.left))} <mark>{html.escape(str(r.match))}</mark> "
                       f"{html.escape(str(r.right))}")
        rows.append(f"<tr><td>{html.escape(r.item_id)}</td>{category}<td>{context}</td><td></td></tr>")
    head = "<th>item</th>" + ("<th>category</th>" if "category" in sheet.columns else "") + "<th>in context</th><th>label</th>"
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title><style>"
        "body{font-family:Georgia,serif;margin:2rem}td{padding:.3rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}"
        "mark{background:#ffe08a}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{len(sheet)} items. Code each in the sheet's <code>label</code> column: "
        + ("1 if the highlighted words mean what the category says" if "category" in sheet.columns
           else "1 if the highlighted words carry the meaning your codebook describes")
        + ", 0 if not; leave blank to skip. Rows marked <i>no match</i> are sentences the lexicon did not "
        "match in the category: 1 if they express it all the same (a miss), 0 if not.</p>"
        f"<table><tr>{head}</tr>{''.join(rows)}</table></body></html>\n"
    )




def check_sheet(corpus: Corpus, sheet: pd.DataFrame, *, origin: str = "sheet") -> None:
    """Check that a coded sheet was drawn from this corpus: every item's document exists and
    its span holds its match (for a missed sentence: its sentence). Raises a one-line
    :class:`FramingError` naming the first item that does not fit."""
    texts = corpus.documents.set_index("doc_id")["clean_text"]
    for row in sheet.itertuples(index=False):
        if row.doc_id not in texts.index:
            raise FramingError(f"{origin}: item {row.item_id}: document {row.doc_id!r} is not in this corpus; "
                               "score a sheet against the corpus it was drawn from")
        span = texts[row.doc_id][int(row.start) : int(row.end)]
        expected = str(row.match) if str(row.match) else str(row.sentence)
        if " ".join(span.split()) != " ".join(expected.split()):
            raise FramingError(f"{origin}: item {row.item_id}: the text at {row.start}-{row.end} of {row.doc_id} is "
                               f"{span[:40]!r}, not {expected[:40]!r}; the sheet was drawn from another version of the corpus")
