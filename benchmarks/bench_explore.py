"""The explorer page at the issue's size: 200 real news articles, up to 20,000 terms.

Builds the page (``framing.views.explorer``) twice, with the default cap (4,000 terms) and with
every term seen once or more (``max_terms=20000, min_count=1``), and prints its size and
the seconds headless Chromium takes to open it until the page says it is ready (Playwright
driving Debian's chromium). Targets (issue 15): under 10 MB, open in under 3 s.

    python benchmarks/bench_explore.py
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import tempfile
import time
from pathlib import Path

from framing.documents.corpus import load_corpus
from framing.keywords.terms import term_counts
from framing.runs import explore

ROOT = Path(__file__).resolve().parent.parent


def news(n: int = 200):
    spec = importlib.util.spec_from_file_location("real_corpora", ROOT / "benchmarks" / "real_corpora.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return load_corpus(module.news_articles(per_outlet=n // 9 + 1).head(n).reset_index(drop=True))


def open_seconds(path: Path) -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready=yes]", timeout=60_000)
        seconds = time.perf_counter() - start
        browser.close()
    return seconds


def main() -> None:
    corpus = news()
    with tempfile.TemporaryDirectory() as folder:
        for label, options in (("default cap", {}), ("every term", {"max_terms": 20_000, "min_count": 1})):
            start = time.perf_counter()
            page = explore(corpus, "outlet", **options)
            built = time.perf_counter() - start
            path = Path(folder) / "page.html"
            path.write_text(page, encoding="utf-8")
            data = json.loads(re.search(r'id="framing-data">(.*?)</script>', page, re.S).group(1))
            vocabulary = len(term_counts(corpus, None).query("n == 1"))
            print(f"{label}: {len(corpus)} documents, {vocabulary:,} terms, {len(data['kwic']):,} on the page; built in "
                  f"{built:.1f} s; {path.stat().st_size / 1e6:.1f} MB; opened in {open_seconds(path):.2f} s")


if __name__ == "__main__":
    main()
