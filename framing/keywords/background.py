"""General English (or another language) as a reference: word frequencies from the ``wordfreq`` package (leaf module).

``wordfreq`` (Robyn Speer, Apache-2.0 code; its English frequencies combine Wikipedia,
subtitles (OpenSubtitles, SUBTLEX), news (NewsCrawl, GlobalVoices), books (Google
Books Ngrams), web text (OSCAR), Reddit and Twitter, under CC-BY-SA 4.0) ships its
data in the package: nothing is downloaded. A frequency becomes a count in a nominal
reference corpus of :data:`ENGLISH_SIZE` words. Keyness against a reference that large
is, in effect, a test against fixed known frequencies: the numbers no longer change as
the nominal size grows (tested), which is why the exact size does not matter.
"""

from __future__ import annotations

import numpy as np

from framing.errors import FramingError

ENGLISH_SIZE = 1_000_000_000
"""Words in the nominal English reference corpus."""


def english_counts(terms, language: str | None = "en") -> np.ndarray:
    """Count of each term (one word, lowercased) in the nominal general corpus of ``language``
    (English by default; ``None`` reads as English): its wordfreq frequency times
    :data:`ENGLISH_SIZE`, rounded; 0 for words wordfreq does not list. wordfreq ships
    frequencies for about 40 languages, Arabic, Persian, German, Spanish and Dutch among them
    (:func:`has_background`).

    Examples
    --------
    >>> english_counts(["the", "qzxv"]).tolist()
    [53700000, 0]
    >>> english_counts(["die"], "de").tolist() > english_counts(["die"], "en").tolist()
    True
    """
    try:
        from wordfreq import word_frequency
    except ImportError:  # pragma: no cover - a dependency
        raise FramingError("the general-language background needs the wordfreq package: python -m pip install wordfreq") from None
    code = check_background(language or "en")
    return np.array([round(word_frequency(str(t), code) * ENGLISH_SIZE) for t in terms], dtype=np.int64)


def has_background(language: str) -> bool:
    """Does wordfreq list general frequencies for ``language`` (its ``best`` list)?"""
    from wordfreq import available_languages

    return language in available_languages("best")


def check_background(language: str) -> str:
    """``language`` if wordfreq has a background for it, else a one-line error naming those it has."""
    if not has_background(language):
        from wordfreq import available_languages

        raise FramingError(f"wordfreq has no general-language frequencies for '{language}'; it has: "
                           f"{', '.join(sorted(available_languages('best')))}; compare groups of the corpus instead")
    return language


def english_source(language: str = "en") -> str:
    """Which wordfreq the background comes from, for tables and the README."""
    from importlib.metadata import version

    from framing.tables import language_name

    return f"wordfreq {version('wordfreq')} ({language_name(language)}, 'best' list; data CC-BY-SA 4.0)"
