"""General English as a reference: word frequencies from the ``wordfreq`` package (leaf module).

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


def english_counts(terms) -> np.ndarray:
    """Count of each term (one word, lowercased) in the nominal English corpus: its wordfreq
    frequency times :data:`ENGLISH_SIZE`, rounded; 0 for words wordfreq does not list.

    Examples
    --------
    >>> english_counts(["the", "qzxv"]).tolist()
    [53700000, 0]
    """
    try:
        from wordfreq import word_frequency
    except ImportError:  # pragma: no cover - a dependency
        raise FramingError("the English background needs the wordfreq package: python -m pip install wordfreq") from None
    return np.array([round(word_frequency(str(t), "en") * ENGLISH_SIZE) for t in terms], dtype=np.int64)


def english_source() -> str:
    """Which wordfreq the background comes from, for tables and the README."""
    from importlib.metadata import version

    return f"wordfreq {version('wordfreq')} (English, 'best' list; data CC-BY-SA 4.0)"
