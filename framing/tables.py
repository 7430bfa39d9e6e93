"""The shapes every layer shares, each defined once (ground level: numpy and pandas only): the tidy count table, the
match record, the sentence table, voices, word counts and the rate per 1,000 words.

Feature table (one row per document x category [x voice]): ``doc_id``, metadata columns,
``family``, ``lexicon``, ``lexicon_id``, ``category``, (``voice``), ``count``,
``n_tokens``, ``per_1k`` (unrounded). Every document gets a row for every category,
zeros included, so that rates average correctly; ``per_1k`` is NaN for an empty document.

Match record (explain, KWIC, HTML highlighting, validation): :data:`MATCH_COLUMNS`,
plus the columns a family adds (actors: ``actor``, ``connotation``, ``label``).

Sentence table (one row per document x sentence x category [x voice]): ``doc_id``,
``sentence``, ``family``, ``lexicon``, ``lexicon_id``, ``category``, (``voice``),
``count``, ``n_tokens``. The same counts as the feature table, split by sentence, so
that comparisons can resample sentences from tables alone, with no corpus.

Similarity (:class:`Similarity`): a square matrix of rows x the same rows, with what it
left out and how to read it beside the matrix, not in ``DataFrame.attrs``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from framing.errors import FramingError

MATCH_COLUMNS = [
    "doc_id", "family", "lexicon", "category", "pattern", "text", "start", "end", "token_start", "token_end",
    "sentence", "voice",
]
MATCH_SPAN_COLUMNS = [c for c in MATCH_COLUMNS if c not in ("text", "sentence")]
"""A match record without its text (:meth:`framing.features.family.Family.evidence` with ``text=False``)."""
VOICES = ("author", "quoted")
"""The two voices of a text: the outlet's own words, and the words it quotes."""
ALL = "all"
"""The voice of a family that does not tell voices apart, and of figures over every word."""
LANGUAGE = "language"
"""The metadata column holding each document's language code (ISO 639-1: ``en``, ``de``, ``fa``)."""
LANGUAGE_NAMES = {
    "ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fa": "Persian", "fr": "French",
    "he": "Hebrew", "it": "Italian", "nl": "Dutch", "pt": "Portuguese", "ru": "Russian", "tr": "Turkish",
    "ur": "Urdu", "zh": "Chinese", "ku": "Kurdish", "az": "Azerbaijani", "sv": "Swedish", "da": "Danish",
    "no": "Norwegian", "pl": "Polish",
}
"""Names used in messages and chart labels for common codes (any code is accepted)."""


def language_name(code: str) -> str:
    """``"German (de)"`` for ``"de"``; the code alone where no name is known.

    Examples
    --------
    >>> language_name("fa"), language_name("xx")
    ('Persian (fa)', 'xx')
    """
    name = LANGUAGE_NAMES.get(code)
    return f"{name} ({code})" if name else code


@dataclass(frozen=True)
class Similarity:
    """A similarity matrix (rows x the same rows) and the facts a reader needs beside it.

    A square matrix has no column to hold them, and ``DataFrame.attrs`` is lost by most pandas
    operations (a CSV round trip, a concat), so a chart drawn from such a matrix would no longer
    say what it left out. Here they travel together: charts take the whole object.

    Attributes
    ----------
    matrix : DataFrame
        Cosine similarities, indexed and labelled by the rows kept.
    left_out : str
        Which rows were left out and by what rule (``'the 100 with most documents of 140 groups;
        left out, fewest documents: ...'``), or ``''`` if none.
    note : str
        How to read the values (e.g. why two standardized rows are -1), or ``''``.

    Examples
    --------
    >>> m = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=["a", "b"], columns=["a", "b"])
    >>> float(Similarity(m).matrix.loc["a", "b"]), Similarity(m).left_out
    (0.5, '')
    """

    matrix: pd.DataFrame
    left_out: str = ""
    note: str = ""

    def _repr_html_(self) -> str:  # shown in a notebook: the matrix, then what it left out
        facts = "".join(f"<p>{text}</p>" for text in (self.left_out and f"Kept {self.left_out}.", self.note) if text)
        return self.matrix._repr_html_() + facts


def rate_per_1k(count, n_tokens):
    """Rate per 1,000 tokens; NaN where there are no tokens. The one definition of a rate.

    Examples
    --------
    >>> rate_per_1k([1, 3], [4, 0]).tolist()
    [250.0, nan]
    """
    count = np.asarray(count, dtype=float)
    n_tokens = np.asarray(n_tokens, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n_tokens > 0, count / np.where(n_tokens > 0, n_tokens, 1.0) * 1000.0, np.nan)


def feature_table(
    doc_ids: list[str],
    counts: list[tuple],
    denominators: list[tuple],
    *,
    cells: list[tuple[str, str]],
    voiced: bool,
    family: str,
    lexicon: str,
    lexicon_id: str,
) -> pd.DataFrame:
    """The tidy table of one family over documents, without metadata.

    ``counts`` holds ``(doc_id, category, voice, count)``, ``denominators`` holds
    ``(doc_id, voice, n_tokens)``; ``cells`` lists the ``(category, voice)`` rows every
    document gets. Without ``voiced`` the ``voice`` column is left out.
    """
    doc_ids = pd.Index(doc_ids, dtype=object)
    cell_index = pd.MultiIndex.from_tuples(cells, names=["category", "voice"]) if cells else None
    n_docs, n_cells = len(doc_ids), len(cells)
    grid = np.zeros((n_docs, n_cells), dtype=np.int64)  # documents x cells, summed from the counts
    if counts and n_cells:
        d, c, v, n = zip(*counts)
        row, col = doc_ids.get_indexer(list(d)), cell_index.get_indexer(list(zip(c, v)))
        kept = (row >= 0) & (col >= 0)  # a count outside the grid has no row
        np.add.at(grid, (row[kept], col[kept]), np.asarray(n, dtype=np.int64)[kept])
    voices = pd.Index([v for _, v in cells]).unique()
    tokens = np.full((n_docs, len(voices)), -1, dtype=np.int64)
    if denominators:
        d, v, n = zip(*denominators)
        row, col = doc_ids.get_indexer(list(d)), voices.get_indexer(list(v))
        kept = (row >= 0) & (col >= 0)
        tokens[row[kept], col[kept]] = np.asarray(n, dtype=np.int64)[kept]
    n_tokens = tokens[:, voices.get_indexer([v for _, v in cells])].ravel() if n_cells else np.zeros(0, np.int64)
    if (n_tokens < 0).any():
        raise ValueError("feature_table: a document and voice of the grid has no token count")
    table = pd.DataFrame({
        "doc_id": np.repeat(doc_ids.to_numpy(), n_cells),
        "category": np.tile(np.asarray([c for c, _ in cells], dtype=object), n_docs),
        "voice": np.tile(np.asarray([v for _, v in cells], dtype=object), n_docs),
        "count": grid.ravel(),
        "n_tokens": n_tokens,
    })
    table["per_1k"] = rate_per_1k(table["count"], table["n_tokens"])
    table.insert(1, "family", family)
    table.insert(2, "lexicon", lexicon)
    table.insert(3, "lexicon_id", lexicon_id)
    if not voiced:
        table = table.drop(columns="voice")
    return table


def sentence_grid(doc_ids: list[str], counts: list[np.ndarray], tokens: list[np.ndarray], cells: list[tuple[str, str]]) -> dict:
    """The columns of a sentence table from each document's sentences x cells arrays of counts
    and of word tokens: every sentence x cell, zeros included, in document, sentence and cell
    order (built from arrays: a Python row per sentence x cell held 1 GB for 100,000 sentences;
    the category and voice columns are pandas categories made from their codes, never a
    column of names)."""
    n_cells = len(cells)
    sizes = np.fromiter((len(c) for c in counts), np.int64, len(counts))
    rows = int(sizes.sum()) * n_cells
    doc = np.repeat(np.arange(len(doc_ids)), sizes * n_cells)
    sentence = np.concatenate([np.repeat(np.arange(n), n_cells) for n in sizes]) if rows else np.zeros(0, np.int64)
    cell = np.tile(np.arange(n_cells), int(sizes.sum())) if rows else np.zeros(0, np.int64)
    flat = (lambda parts: np.concatenate([p.ravel() for p in parts]) if rows else np.zeros(0, np.int64))
    return {
        "doc_id": np.asarray(doc_ids, dtype=object)[doc] if rows else np.zeros(0, dtype=object),
        "sentence": sentence,
        "category": _names(cell, [c for c, _ in cells]),
        "voice": _names(cell, [v for _, v in cells]),
        "count": flat(counts),
        "n_tokens": flat(tokens),
    }


def _names(codes: np.ndarray, names: list[str]) -> pd.Categorical:
    """``names[codes]`` as pandas categories in sorted order (as ``astype("category")`` makes them)."""
    categories = sorted(set(names))
    where = {name: k for k, name in enumerate(categories)}
    lookup = np.array([where[name] for name in names], dtype=np.int32) if names else np.zeros(0, np.int32)
    return pd.Categorical.from_codes(lookup[codes] if len(codes) else np.zeros(0, np.int32), categories=categories)


def sentence_table(
    rows: "list[tuple] | dict",
    *,
    voiced: bool,
    family: str,
    lexicon: str,
    lexicon_id: str,
) -> pd.DataFrame:
    """The sentence table from ``(doc_id, sentence, category, voice, count, n_tokens)`` rows, or
    from those columns (:func:`sentence_grid`)."""
    columns = ["doc_id", "sentence", "category", "voice", "count", "n_tokens"]
    table = pd.DataFrame(rows, columns=columns) if not isinstance(rows, dict) else pd.DataFrame({c: rows[c] for c in columns})
    n = len(table)
    for at, (column, name) in enumerate((("family", family), ("lexicon", lexicon), ("lexicon_id", lexicon_id)), start=2):
        table.insert(at, column, pd.Categorical.from_codes(np.zeros(n, np.int8), categories=[name]))
    table[["sentence", "count", "n_tokens"]] = table[["sentence", "count", "n_tokens"]].astype(np.int64)
    # a few distinct names over millions of rows (every sentence x cell): each held once, as pandas categories
    for column in ("category", "voice"):
        table[column] = table[column].astype("category")
    return table if voiced else table.drop(columns="voice")


def group_labels(documents: pd.DataFrame, by: str) -> pd.Series:
    """The value of column ``by`` for each document of a documents table, as text, indexed by
    ``doc_id`` (a missing value shown as ``(none)``): the group labels of every chart and page."""
    require_columns(documents, [by])
    if by == "doc_id":
        return pd.Series(documents["doc_id"].tolist(), index=documents["doc_id"].tolist(), name="doc_id")
    return documents.set_index("doc_id")[by].astype("object").where(lambda s: s.notna(), "(none)").astype(str)


def by_category(report: pd.DataFrame) -> pd.DataFrame:
    """The category rows of a validation report (:func:`framing.validation.score_sheet`; ``pattern`` empty),
    without the pattern columns."""
    return report[report["pattern"] == ""].drop(columns=["pattern", "flag", "exclude"]).reset_index(drop=True)


def require_columns(table: pd.DataFrame, columns, *, hide=(), where: str | None = None) -> None:
    """One wording for a column a table lacks: ``unknown column 'X'; available: A, B`` (``hide``: columns
    not worth offering, such as the counts when a grouping column is asked for; ``where``: the file
    the table was read from, named first).

    Examples
    --------
    >>> require_columns(pd.DataFrame({"doc_id": [], "outlet": []}), ["outlet"])
    >>> require_columns(pd.DataFrame({"doc_id": [], "outlet": []}), ["desk", "outlet"])
    Traceback (most recent call last):
    ...
    framing.errors.FramingError: unknown column 'desk'; available: doc_id, outlet
    """
    missing = [c for c in ([columns] if isinstance(columns, str) else columns) if c not in table.columns]
    if missing:
        available = [str(c) for c in table.columns if c not in hide]
        names = ", ".join(f"'{c}'" for c in missing)
        raise FramingError(f"{where + ': ' if where else ''}unknown column{'s' if len(missing) > 1 else ''} {names}; "
                           f"available: {', '.join(available)}")


# --------------------------------------------------------------------------- feature and unit tables as files

FEATURE_TABLE_COLUMNS = frozenset({"family", "lexicon", "lexicon_id", "category", "count", "n_tokens"})
"""The columns that make a table a feature table of ``framing features``."""
UNIT_TABLE_COLUMNS = frozenset({"doc_id", "sentence", "family", "lexicon", "lexicon_id", "category", "count", "n_tokens"})
"""The columns that make a table a unit (sentence) table of ``framing features --units``."""
NUMBER_COLUMNS = frozenset({"count", "n_tokens", "per_1k", "value", "n_sentences"})
"""The columns of a feature table read as numbers; every other column is text, as written."""


def table_columns(path) -> list[str] | None:
    """The columns of a ``.csv`` or ``.parquet`` table, read from its header only; None for
    anything else (a folder of texts, a JSON Lines file, a file that cannot be read)."""
    from pathlib import Path

    path = str(path)
    lowered = path.lower()
    try:
        if lowered.endswith(".parquet") and Path(path).is_file():
            import pyarrow.parquet as pq

            return list(pq.read_schema(path).names)
        if lowered.endswith(".csv") and Path(path).is_file():
            return list(pd.read_csv(path, nrows=0).columns)
    except (OSError, ValueError):
        return None
    return None


def is_feature_table(path) -> bool:
    """Is ``path`` a feature table that ``framing features`` wrote (by its header)?"""
    header = table_columns(path)
    return header is not None and FEATURE_TABLE_COLUMNS <= set(header)


def _read(path, header: list[str]) -> pd.DataFrame:
    if str(path).lower().endswith(".parquet"):
        return pd.read_parquet(path)
    return pd.read_csv(path, dtype={c: str for c in header if c not in NUMBER_COLUMNS}, keep_default_na=False,
                       na_values={c: [""] for c in header if c in NUMBER_COLUMNS})


def read_feature_table(path) -> pd.DataFrame:
    """The feature table ``framing features`` wrote (``.csv`` or ``.parquet``): metadata and ids as
    text, exactly as written (an id ``007`` stays ``007``), counts as numbers."""
    header = table_columns(path)
    if header is None or not FEATURE_TABLE_COLUMNS <= set(header):
        raise FramingError(f"{path}: not a feature table of framing features (a .csv or .parquet file with "
                           f"columns {', '.join(sorted(FEATURE_TABLE_COLUMNS))})")
    return _read(path, header)


def read_unit_table(path) -> pd.DataFrame:
    """The unit (sentence) table ``framing features --units`` wrote."""
    header = table_columns(path)
    if header is None:
        raise FramingError(f"{path}: --units takes the .csv or .parquet unit table 'framing features --units' wrote")
    missing = sorted(UNIT_TABLE_COLUMNS - set(header))
    if missing:
        raise FramingError(f"{path}: not a unit table of framing features --units (no {', '.join(missing)} column)")
    table = _read(path, header)
    if "voice" in table.columns:
        table["voice"] = table["voice"].fillna(ALL)
    return table.astype({"sentence": "int64", "count": "int64", "n_tokens": "int64"})


def family_tables(features: pd.DataFrame, units: pd.DataFrame | None = None, *, families=None,
                  units_name: str = "the unit table") -> list[tuple[str, str, pd.DataFrame | None, pd.DataFrame]]:
    """A stacked feature table (and its unit table) split by lexicon, each part shaped as its family
    counted it: ``(family, lexicon name, unit part or None, feature part)``, in the order of the
    table. ``families`` keeps only those families (e.g. the counting ones); a unit table that
    misses a lexicon or a document of the features is an error naming ``units_name``."""
    out = []
    for (family, name, lexicon_id), part in features.groupby(["family", "lexicon", "lexicon_id"], sort=False):
        if families is not None and family not in families:
            continue
        part = part.dropna(axis=1, how="all").astype({"count": "int64", "n_tokens": "int64"}).reset_index(drop=True)
        if "voice" in part and (part["voice"] == ALL).all():  # a family without voices, stacked with one that has them
            part = part.drop(columns="voice")
        unit_part = None
        if units is not None:
            unit_part = units[units["lexicon_id"] == lexicon_id].reset_index(drop=True)
            if "voice" not in part.columns:
                unit_part = unit_part.drop(columns="voice", errors="ignore")
            uncovered = set(part["doc_id"]) - set(unit_part["doc_id"])
            if uncovered:
                raise FramingError(f"{units_name}: no sentences of {len(uncovered)} document(s) counted with lexicon "
                                   f"'{name}' (e.g. {sorted(uncovered)[0]}); write the feature table and its unit "
                                   "table in one run (framing features --units)")
        out.append((family, name, unit_part, part))
    return out


def stack_families(parts, *, at: int) -> pd.DataFrame:
    """One table of several families' results, for a file: each ``(family, lexicon name, table)``
    with ``family`` and ``lexicon`` inserted at column ``at``, stacked in order; where some
    families tell voices apart and others do not, the others' ``voice`` is :data:`ALL`.

    Examples
    --------
    >>> a = pd.DataFrame({"g": ["x"], "category": ["c"], "per_1k": [1.0]})
    >>> b = pd.DataFrame({"g": ["x"], "category": ["hedge"], "voice": ["author"], "per_1k": [2.0]})
    >>> stack_families([("lexicon", "mine", a), ("stance", "stance", b)], at=1).values.tolist()
    [['x', 'lexicon', 'mine', 'c', 1.0, 'all'], ['x', 'stance', 'stance', 'hedge', 2.0, 'author']]
    """
    tables = []
    for family, name, table in parts:
        table = table.copy()
        table.insert(at, "family", family)
        table.insert(at + 1, "lexicon", name)
        tables.append(table)
    out = pd.concat(tables, ignore_index=True)
    if "voice" in out.columns:
        out["voice"] = out["voice"].fillna(ALL)
    return out


# --------------------------------------------------------------------------- frame units (framing classify apply)

FRAME_UNITS_KEY = "framing.frames"
"""The Parquet schema key under which a frame-units file carries its model's calibration."""


def read_frame_units(path) -> tuple[pd.DataFrame, dict]:
    """A frame-units file written by ``framing classify apply``: the units (one row per unit and frame)
    and what the model stored beside them: ``model`` (its id), ``unit``, ``frames``, ``train_prior``
    and ``calibration`` (its out-of-fold predictions, a DataFrame)."""
    import io
    import json

    import pyarrow.parquet as pq

    if not str(path).lower().endswith(".parquet"):
        raise FramingError(f"{path}: frame units are a .parquet file written by framing classify apply")
    try:
        table = pq.read_table(path)
    except FileNotFoundError:
        raise FramingError(f"{path}: no such file") from None
    except Exception as exc:  # pyarrow raises several kinds for a file that is not Parquet
        raise FramingError(f"{path}: not a Parquet file ({str(exc).splitlines()[0]})") from None
    raw = (table.schema.metadata or {}).get(FRAME_UNITS_KEY.encode())
    if raw is None:
        raise FramingError(f"{path}: not written by framing classify apply (no model calibration in it); "
                           "apply the model again: framing classify apply CORPUS --model MODEL -o FILE.parquet")
    meta = json.loads(raw.decode())
    meta["calibration"] = pd.read_csv(io.StringIO(meta.pop("calibration_csv")), dtype={"item_id": str})
    units = table.to_pandas()
    for column in ("doc_id",):
        units[column] = units[column].astype(str)
    return units, meta
