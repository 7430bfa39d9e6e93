from pathlib import Path

import pandas as pd
import pytest

from framing.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds():
    return load_corpus(SEEDS)


@pytest.fixture
def tiny():
    """Three hand-countable documents from two outlets."""
    return load_corpus(
        pd.DataFrame(
            {
                "doc_id": ["a1", "a2", "b1"],
                "outlet": ["A", "A", "B"],
                "text": [
                    "The regime held a sham election. The regime's mullahs fear us.",
                    "The government said the election was fair.",
                    "Officials praised the vote. Protesters mocked the regime.",
                ],
            }
        )
    )
