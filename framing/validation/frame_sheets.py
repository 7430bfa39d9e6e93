"""Coding sheets for frames: units (sentences, paragraphs or documents) drawn at random, one
column per frame of a codebook for the coder (1, 0, or blank for not coded), and the units a
first model is least sure of (uncertainty sampling), marked as such.

A sheet's rows: ``item_id``, ``doc_id``, the grouping column when stratified, ``unit``,
``unit_index``, ``start``, ``end`` (the unit's span in the cleaned text), ``sample``
(``random`` or ``active``), ``weight`` (units of its stratum over units drawn from it; empty for
active units, which are no random sample), ``uncertainty`` (active units: how close the model
was to 0.5), ``text``, one column per frame, ``note``. :func:`blind_frame_sheet` splits off what
would tell a coder the outlet; :func:`read_frame_sheet` reads a coded sheet back (joining its
key) and names the first cell that is not 1, 0 or blank.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from framing.documents.corpus import Corpus
from framing.documents.tokens import UNITS, unit_spans
from framing.errors import FramingError
from framing.lexicon.codebook import Codebook, read_codebook
from framing.params import check_choice, check_int

BLIND_KEEP = ["item_id", "text"]
"""What a blind sheet shows besides the frame columns and the note."""


def corpus_units(corpus: Corpus, unit: str) -> pd.DataFrame:
    """Every unit of the corpus: ``doc_id``, ``unit``, ``unit_index``, ``start``, ``end``, ``text``
    (whitespace runs shown as one space), in corpus order."""
    check_choice("unit", unit, UNITS)
    rows = []
    for doc_id, doc in corpus.tokens.items():
        for i, (a, b, _, _) in enumerate(unit_spans(doc, unit)):
            rows.append((doc_id, unit, i, a, b, " ".join(doc.text[a:b].split())))
    return pd.DataFrame(rows, columns=["doc_id", "unit", "unit_index", "start", "end", "text"])


def _unit_for(book: Codebook, unit: str | None) -> str:
    return unit or book.meta.get("unit") or "sentence"


def frame_sheet(corpus: Corpus, codebook, *, unit: str | None = None, n: int = 200, seed: int = 0,
                by: str | None = None) -> pd.DataFrame:
    """A coding sheet of ``n`` units drawn at random (without replacement), one empty column per frame.

    With ``by``, the draw is stratified: ``n`` shared evenly among the groups of that column
    (the first groups in sorted order take the remainder; a group with fewer units gives them
    all). ``weight`` is the units of the item's stratum over the units drawn from it. ``unit``
    defaults to the codebook's ``[meta] unit``, else sentence. Same seed, same sheet.

    Examples
    --------
    >>> from framing.documents.corpus import load_corpus
    >>> corpus = load_corpus(pd.DataFrame({"text": ["One. Two. Three.", "Four. Five."], "outlet": ["A", "B"]}))
    >>> sheet = frame_sheet(corpus, "generic_frames", unit="sentence", n=2, by="outlet", seed=1)
    >>> sheet[["outlet", "text", "weight"]].values.tolist()
    [['A', 'Two.', 3.0], ['B', 'Five.', 2.0]]
    >>> list(sheet.columns[-6:])
    ['responsibility', 'human_interest', 'conflict', 'morality', 'economic_consequences', 'note']
    """
    book = read_codebook(codebook)
    unit = _unit_for(book, unit)
    check_int("n", n, low=1)
    check_int("seed", seed, low=0)
    units = corpus_units(corpus, unit)
    if units.empty:
        raise FramingError(f"the corpus has no {unit} with a word in it, so there is nothing to code")
    rng = np.random.default_rng(seed)
    if by is None:
        strata = [(None, units)]
    else:
        corpus.check_column(by)
        groups = corpus.documents.set_index("doc_id")[by].astype(str)
        units.insert(1, by, groups.reindex(units["doc_id"]).to_numpy())
        strata = list(units.groupby(by, sort=True))
    quota = [n // len(strata) + (1 if i < n % len(strata) else 0) for i in range(len(strata))]
    picked = []
    for (_, part), k in zip(strata, quota):
        take = min(k, len(part))
        if take:
            rows = part.iloc[np.sort(rng.choice(len(part), size=take, replace=False))]
            picked.append(rows.assign(weight=len(part) / take))
    sheet = pd.concat(picked, ignore_index=True)
    return _finish(sheet, book, sample="random", first=1)


def _finish(sheet: pd.DataFrame, book: Codebook, *, sample: str, first: int) -> pd.DataFrame:
    sheet = sheet.copy()
    sheet.insert(0, "item_id", [f"unit{first + i:05d}" for i in range(len(sheet))])
    sheet["sample"] = sample
    if "weight" not in sheet.columns:
        sheet["weight"] = np.nan
    if "uncertainty" not in sheet.columns:
        sheet["uncertainty"] = np.nan
    for frame in book.frame_names:
        sheet[frame] = ""
    sheet["note"] = ""
    key = [c for c in sheet.columns if c not in ("sample", "weight", "uncertainty", "text", *book.frame_names, "note")]
    return sheet[key + ["sample", "weight", "uncertainty", "text", *book.frame_names, "note"]]


def active_units(corpus: Corpus, model, sheet: pd.DataFrame, *, n: int, by: str | None = None) -> pd.DataFrame:
    """``sheet`` with ``n`` more units: those of the corpus not yet in it that ``model`` is least sure
    of (uncertainty sampling; Lewis & Gale 1994), ``sample = active``.

    A unit's uncertainty is ``1 - |2p - 1|`` for the frame whose probability ``p`` is nearest 0.5
    (1: a coin toss, 0: certain). Ties go to corpus order. Active units are learned from but left
    out of every estimate that needs a random sample (the model's scores, its error rates).

    Lewis, D. D., & Gale, W. A. (1994). A sequential algorithm for training text classifiers. *SIGIR '94*, 3-12.
    """
    from framing.features.frames import FrameModel, load_frame_model

    check_int("n", n, low=1)
    model = model if isinstance(model, FrameModel) else load_frame_model(model)
    book = model.codebook
    units = corpus_units(corpus, model.unit)
    if by is not None:
        corpus.check_column(by)
        units.insert(1, by, corpus.documents.set_index("doc_id")[by].astype(str).reindex(units["doc_id"]).to_numpy())
    if {"doc_id", "start", "end"} <= set(sheet.columns):
        seen = set(zip(sheet["doc_id"].astype(str), sheet["start"].astype(int), sheet["end"].astype(int)))
        units = units[[k not in seen for k in zip(units["doc_id"], units["start"], units["end"])]]
    units = units[~units["text"].isin(set(sheet["text"].astype(str)))]  # a text coded once is not drawn again
    if units.empty:
        raise FramingError("every unit of the corpus is in the sheet already; there is nothing left to add")
    probs = model.classifier.predict_proba(units["text"].tolist())
    units = units.assign(uncertainty=(1 - np.abs(2 * probs - 1)).max(axis=1))
    chosen = units.sort_values("uncertainty", ascending=False, kind="stable").head(n)
    numbers = pd.to_numeric(sheet["item_id"].astype(str).str.extract(r"(\d+)$")[0], errors="coerce")
    first = int(numbers.max()) + 1 if numbers.notna().any() else 1
    added = _finish(chosen.reset_index(drop=True), book, sample="active", first=first)
    return pd.concat([sheet, added[[c for c in sheet.columns if c in added.columns]]], ignore_index=True)


def blind_frame_sheet(sheet: pd.DataFrame, codebook) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sheet a coder sees (``item_id``, ``text``, the frame columns, ``note``: nothing that names
    the outlet, the document or how the unit was drawn), and the key (every other column) that
    :func:`read_frame_sheet` joins back on ``item_id``."""
    book = read_codebook(codebook)
    shown = BLIND_KEEP + book.frame_names + ["note"]
    key = [c for c in sheet.columns if c not in shown or c == "item_id"]
    return sheet[shown].copy(), sheet[key].copy()


def read_frame_sheet(sheet, codebook, *, key=None, origin: str = "sheet") -> pd.DataFrame:
    """A coded frame sheet (a path or a DataFrame), its key joined when given, labels as 1.0, 0.0 or NaN.

    Every frame of the codebook must have its column; a cell other than 1, 0 or blank is a
    one-line error naming its line and column."""
    book = read_codebook(codebook)
    if not isinstance(sheet, pd.DataFrame):
        origin = str(sheet)
        sheet = _read_csv(sheet)
    if key is not None:
        key_origin = str(key) if not isinstance(key, pd.DataFrame) else "key"
        key = key if isinstance(key, pd.DataFrame) else _read_csv(key)
        if "item_id" not in key.columns:
            raise FramingError(f"{key_origin}: no item_id column; pass the key written beside the blind sheet")
        missing = sorted(set(sheet["item_id"]) - set(key["item_id"]))
        if missing:
            raise FramingError(f"{origin}: item {missing[0]} is not in the key {key_origin}; pass the key of this sheet")
        sheet = key.merge(sheet.drop(columns=[c for c in sheet.columns if c in key.columns and c != "item_id"]),
                          on="item_id", how="right")
    missing = [c for c in ["item_id", "text", *book.frame_names] if c not in sheet.columns]
    if missing:
        raise FramingError(f"{origin}: no column '{missing[0]}'; a sheet of codebook '{book.name}' has item_id, text and "
                           f"one column per frame ({', '.join(book.frame_names)})")
    if sheet["item_id"].duplicated().any():
        raise FramingError(f"{origin}: item {sheet.loc[sheet['item_id'].duplicated(), 'item_id'].iloc[0]} appears twice")
    out = sheet.copy()
    for frame in book.frame_names:
        values = out[frame].astype(str).str.strip()
        parsed = values.map({"1": 1.0, "0": 0.0, "": np.nan, "1.0": 1.0, "0.0": 0.0, "nan": np.nan})
        bad = parsed.isna() & ~values.isin(["", "nan"])
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise FramingError(f"{origin}: line {i + 2}, column {frame}: {values.iloc[i]!r} is not 1, 0 or blank")
        out[frame] = parsed.astype(float)
    if not out[book.frame_names].notna().any().any():
        raise FramingError(f"{origin}: no unit is coded yet (every frame column is blank); code it first")
    return out


def _read_csv(path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise FramingError(f"{path}: no such sheet") from None
    except UnicodeDecodeError as exc:
        raise FramingError(f"{path}: not UTF-8 (byte {exc.start}); save the sheet as UTF-8 CSV") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise FramingError(f"{path}: not a CSV sheet ({str(exc).splitlines()[0]})") from None


def check_frame_sheet(corpus: Corpus, sheet: pd.DataFrame, *, origin: str = "sheet") -> None:
    """Check that every item of a sheet was drawn from this corpus: its document exists and its span
    holds its text. A one-line error names the first item that does not fit."""
    texts = corpus.documents.set_index("doc_id")["clean_text"]
    for row in sheet.itertuples(index=False):
        if row.doc_id not in texts.index:
            raise FramingError(f"{origin}: item {row.item_id}: document {row.doc_id!r} is not in this corpus")
        span = " ".join(texts[row.doc_id][int(row.start) : int(row.end)].split())
        if span != " ".join(str(row.text).split()):
            raise FramingError(f"{origin}: item {row.item_id}: the text at {row.start}-{row.end} of {row.doc_id} is "
                               f"{span[:40]!r}, not {str(row.text)[:40]!r}; the sheet was drawn from another version")


def frame_sheet_html(sheet: pd.DataFrame, codebook, *, title: str = "framing frame coding sheet") -> str:
    """A self-contained page (no script, no network) for coders: the codebook's rule and frames with
    their definitions and questions, then each unit's text (its group only if the sheet shows it)."""
    book = read_codebook(codebook)
    esc = html.escape
    frames = "".join(
        f"<dt><code>{esc(f.name)}</code> {esc(f.label)}</dt><dd>{esc(f.definition)}"
        + ("<ul>" + "".join(f"<li>{esc(q)}</li>" for q in f.questions) + "</ul>" if f.questions else "") + "</dd>"
        for f in book.frames)
    shown = [c for c in sheet.columns if c not in ("item_id", "text", "note", "unit", "unit_index", "start", "end",
                                                     "weight", "uncertainty", "doc_id", *book.frame_names)]
    head = "".join(f"<th>{esc(c)}</th>" for c in ["item", *shown, "text"])
    rows = "".join(
        "<tr>" + "".join(f"<td>{esc(str(getattr(r, c) if c != 'item' else r.item_id))}</td>" for c in ["item", *shown])
        + f"<td>{esc(str(r.text))}</td></tr>"
        for r in sheet.itertuples(index=False))
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{esc(title)}</title><style>"
        "body{font-family:Georgia,serif;margin:2rem;max-width:60rem}td{padding:.3rem .6rem;border-bottom:1px solid #ddd;"
        "vertical-align:top}dt{margin-top:.6rem;font-weight:bold}</style></head><body>"
        f"<h1>{esc(title)}</h1><p>{len(sheet)} units, codebook <b>{esc(book.name)}</b> {esc(book.meta.get('version', ''))}. "
        f"{esc(book.meta.get('rule', 'Code 1 for every frame the unit carries, 0 for the others.'))} "
        "Write the codes in the sheet's frame columns (1, 0, or blank to leave a frame uncoded).</p>"
        f"<details open><summary>The frames</summary><dl>{frames}</dl></details>"
        f"<table><tr>{head}</tr>{rows}</table><p><small>Source: {esc(book.meta['source'])}</small></p></body></html>\n"
    )
