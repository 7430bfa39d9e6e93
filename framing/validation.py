"""Validating a lexicon against human judgement: coding sheets of sampled matches, and their scores.

"Validate, validate, validate" (Grimmer & Stewart 2013): a dictionary count means what its
category says only as often as its matches do. :func:`coding_sheet` draws matches at
random, stratified by term so that every pattern gets examples, and records each item's
sampling weight (matches of its pattern in the corpus over items drawn from it), so that
a category's precision can be weighted back to the corpus. :func:`score_sheet` reads the
coded sheet and reports precision per category and per pattern with Wilson intervals
(:func:`framing.measures.wilson_interval`), and proposes exclusions for weak patterns.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from framing.corpus import Corpus
from framing.errors import FramingError
from framing.features import explain
from framing.measures import cohen_kappa, krippendorff_alpha_nominal, wilson_interval
from framing.params import check_float, check_int

SHEET_COLUMNS = ["item_id", "doc_id", "category", "pattern", "match", "left", "right", "sentence", "start", "end",
                 "weight", "label", "note"]
KEY_COLUMNS = ["item_id", "category", "pattern", "weight"]
"""With ``blind``, what the coder must not see goes to a key file beside the sheet."""
TRUE_LABELS = {"1", "yes", "y", "true", "t"}
FALSE_LABELS = {"0", "no", "n", "false", "f"}


def coding_sheet(
    corpus: Corpus,
    lexicon,
    *,
    n: int = 200,
    seed: int = 0,
    per_term: int | None = None,
    categories=None,
    context: int = 60,
) -> pd.DataFrame:
    """A coding sheet of matches drawn at random, stratified by pattern.

    Every pattern gets ``per_term`` items (default: ``n`` shared evenly among the patterns
    that matched, but at least one each, so a lexicon with many patterns gives more than
    ``n`` items), or all its matches if it has fewer. ``weight`` is the
    pattern's matches in the corpus over the items drawn from it. Same seed, same sheet.
    ``label`` and ``note`` are empty, for the coder.

    Examples
    --------
    >>> from framing.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ["The regime fell. The regime won. The mullahs spoke."]}))
    >>> sheet = coding_sheet(corpus, "framing", n=2, categories=["state_delegitimizing"])
    >>> sheet[["pattern", "match", "weight"]].values.tolist()
    [['mullah*', 'mullahs', 1.0], ['regime*', 'regime', 2.0]]
    """
    check_int("n", n, low=1)
    check_int("seed", seed, low=0)
    check_int("context", context, low=0)
    if per_term is not None:
        check_int("per_term", per_term, low=1)
    matches = explain(corpus, lexicon)
    if categories is not None:
        wanted = [categories] if isinstance(categories, str) else list(categories)
        unknown = [c for c in wanted if c not in set(matches["category"]) and not matches.empty]
        matches = matches[matches["category"].isin(wanted)]
        if unknown and matches.empty:
            raise FramingError(f"no match in categor{'y' if len(unknown) == 1 else 'ies'} {', '.join(unknown)}")
    if matches.empty:
        raise FramingError("the lexicon matches nothing in this corpus, so there is nothing to code")
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
    sheet.insert(0, "item_id", [f"item{i + 1:05d}" for i in range(len(sheet))])
    sheet["label"], sheet["note"] = "", ""
    return sheet[SHEET_COLUMNS]


def blind(sheet: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sheet without what would tell the coder the category (category, pattern, weight),
    and the key that :func:`score_sheet` joins back on ``item_id``."""
    return sheet.drop(columns=["category", "pattern", "weight"]), sheet[KEY_COLUMNS]


def sheet_html(sheet: pd.DataFrame, *, title: str = "framing coding sheet") -> str:
    """A self-contained page (no script, no network) to read the items: context with the
    match highlighted, and the category unless the sheet is blind."""
    rows = []
    for r in sheet.itertuples(index=False):
        category = f"<td>{html.escape(str(r.category))}</td>" if "category" in sheet.columns else ""
        rows.append(
            f"<tr><td>{html.escape(r.item_id)}</td>{category}<td>{html.escape(str(r.left))} "
            f"<mark>{html.escape(str(r.match))}</mark> {html.escape(str(r.right))}</td><td></td></tr>"
        )
    head = "<th>item</th>" + ("<th>category</th>" if "category" in sheet.columns else "") + "<th>in context</th><th>label</th>"
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title><style>"
        "body{font-family:Georgia,serif;margin:2rem}td{padding:.3rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}"
        "mark{background:#ffe08a}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{len(sheet)} items. Code each in the sheet's <code>label</code> column: "
        + ("1 if the highlighted words mean what the category says" if "category" in sheet.columns
           else "1 if the highlighted words carry the meaning your codebook describes")
        + ", 0 if not; leave blank to skip.</p>"
        f"<table><tr>{head}</tr>{''.join(rows)}</table></body></html>\n"
    )


def _labels(sheet: pd.DataFrame, origin: str) -> pd.Series:
    raw = sheet["label"].fillna("").astype(str).str.strip().str.lower()
    bad = ~raw.isin(TRUE_LABELS | FALSE_LABELS | {""})
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise FramingError(
            f"{origin}: line {row + 2}: label {sheet['label'].iloc[row]!r} is not 1/0, yes/no or true/false (blank: not coded)"
        )
    return raw.map(lambda v: 1.0 if v in TRUE_LABELS else 0.0 if v in FALSE_LABELS else np.nan)


def score_sheet(sheet: pd.DataFrame, *, key: pd.DataFrame | None = None, threshold: float = 0.8,
                origin: str = "sheet") -> pd.DataFrame:
    """Precision per category (``pattern`` empty) and per pattern of a coded sheet.

    Columns: ``category``, ``pattern``, ``n_coded``, ``n_true``, ``precision``, ``ci_low``,
    ``ci_high`` (Wilson 95%), ``weighted_precision`` (category rows: items weighted back to
    the corpus by their sampling weight), ``n_uncoded``, ``flag`` (precision under
    ``threshold``), ``exclude`` (for flagged patterns: the matched words coded false, the
    exclusions to consider).
    """
    check_float("threshold", threshold, low=0, high=1)
    if key is not None:
        sheet = sheet.drop(columns=[c for c in ("category", "pattern", "weight") if c in sheet.columns]).merge(
            key, on="item_id", how="left")
    missing = [c for c in ("item_id", "category", "pattern", "match", "weight", "label") if c not in sheet.columns]
    if missing:
        raise FramingError(f"{origin}: not a coding sheet of framing: no {', '.join(missing)} column (a blind sheet needs its key)")
    if sheet["item_id"].duplicated().any():
        raise FramingError(f"{origin}: item {sheet.loc[sheet['item_id'].duplicated(), 'item_id'].iloc[0]!r} appears twice")
    table = sheet.assign(_y=_labels(sheet, origin).to_numpy(), weight=pd.to_numeric(sheet["weight"], errors="coerce"))
    rows = []
    for level in ("category", "pattern"):
        keys = ["category"] if level == "category" else ["category", "pattern"]
        for key_values, part in table.groupby(keys, sort=True):
            key_values = key_values if isinstance(key_values, tuple) else (key_values,)
            coded = part[part["_y"].notna()]
            n_true, n_coded = int(coded["_y"].sum()), len(coded)
            weighted = (coded["_y"] * coded["weight"]).sum() / coded["weight"].sum() if n_coded else np.nan
            false_words = sorted({str(m).lower() for m in coded.loc[coded["_y"] == 0, "match"]})
            rows.append((key_values[0], key_values[1] if level == "pattern" else "", n_coded, n_true,
                         n_true / n_coded if n_coded else np.nan, weighted if level == "category" else np.nan,
                         len(part) - n_coded, "; ".join(false_words)))
    out = pd.DataFrame(rows, columns=["category", "pattern", "n_coded", "n_true", "precision", "weighted_precision",
                                      "n_uncoded", "exclude"])
    out["ci_low"], out["ci_high"] = wilson_interval(out["n_true"], out["n_coded"])
    out["flag"] = out["precision"] < threshold
    out["exclude"] = out["exclude"].where(out["flag"] & (out["pattern"] != ""), "")
    columns = ["category", "pattern", "n_coded", "n_true", "precision", "ci_low", "ci_high", "weighted_precision",
               "n_uncoded", "flag", "exclude"]
    return out[columns].sort_values(["category", "pattern"], kind="mergesort").reset_index(drop=True)


def agreement(first: pd.DataFrame, second: pd.DataFrame, *, key: pd.DataFrame | None = None,
              origins: tuple[str, str] = ("first sheet", "second sheet")) -> pd.DataFrame:
    """Agreement of two coders' sheets of the same items, per category and overall (``category`` "all").

    Columns: ``category``, ``n`` (items both coded), ``percent_agreement``, ``cohen_kappa``
    (Cohen 1960), ``krippendorff_alpha`` (nominal; Krippendorff 2011). Items are matched on
    ``item_id``; items in one sheet only are an error that names them.
    """
    a_ids, b_ids = set(first["item_id"]), set(second["item_id"])
    if a_ids != b_ids:
        only = sorted(a_ids - b_ids)[:5] or sorted(b_ids - a_ids)[:5]
        where = origins[0] if a_ids - b_ids else origins[1]
        raise FramingError(f"the sheets code different items: {', '.join(only)} only in {where}; code the same sheet twice")
    a = first.assign(_a=_labels(first, origins[0]).to_numpy())
    b = second.assign(_b=_labels(second, origins[1]).to_numpy())[["item_id", "_b"]]
    both = a.merge(b, on="item_id")
    if "category" not in both.columns:
        if key is None:
            raise FramingError(f"{origins[0]}: a blind sheet needs its key (SHEET.key.csv) to tell the categories")
        both = both.merge(key[["item_id", "category"]], on="item_id")
    both = both[both["_a"].notna() & both["_b"].notna()]
    rows = []
    for category, part in [("all", both), *both.groupby("category", sort=True)]:
        x, y = part["_a"].to_numpy(), part["_b"].to_numpy()
        rows.append((category, len(part), float((x == y).mean()) if len(part) else np.nan,
                     cohen_kappa(x, y) if len(part) else np.nan,
                     krippendorff_alpha_nominal(np.column_stack([x, y])) if len(part) else np.nan))
    return pd.DataFrame(rows, columns=["category", "n", "percent_agreement", "cohen_kappa", "krippendorff_alpha"])


def patched_lexicon(lexicon, report: pd.DataFrame):
    """A copy of ``lexicon`` with the exclusions a :func:`score_sheet` report proposes added
    to their categories (the words coded false for flagged patterns), version marked."""
    from framing.lexicon import Category, Lexicon, load_lexicon, parse_term

    lex = load_lexicon(lexicon)
    proposed: dict[str, list[str]] = {}
    for row in report[(report["exclude"] != "") & (report["pattern"] != "")].itertuples():
        proposed.setdefault(row.category, []).extend(w.strip() for w in row.exclude.split(";") if w.strip())
    unknown = sorted(set(proposed) - set(lex.category_names))
    if unknown:
        raise FramingError(f"the report names categories the lexicon '{lex.name}' does not have: {', '.join(unknown)}")
    categories = []
    for cat in lex.categories:
        have = {t.pattern.lower() for t in cat.exclude}
        extra = tuple(parse_term(w, where=f"exclusion for {cat.name}") for w in dict.fromkeys(proposed.get(cat.name, []))
                      if w.lower() not in have)
        categories.append(Category(cat.name, cat.description, cat.terms, cat.exclude + extra))
    meta = {**lex.meta, "version": f"{lex.meta.get('version', '') or '0'}+validated",
            "validation": "exclusions added from the words coders marked as false matches (framing validate score --fix)"}
    return Lexicon(lex.name, meta, tuple(categories), lex.path, lex.rules)
