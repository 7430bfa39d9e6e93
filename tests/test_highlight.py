"""The explain page: built from the match records, checked in a real headless browser (Debian's chromium)."""

import shutil
import subprocess
from html.parser import HTMLParser

import pandas as pd
import pytest

from framing.documents.corpus import load_corpus
from framing.features import explain
from framing.lexicon.read import lexicon_from_mapping
from framing.views.highlight import render_html

LEX = lexicon_from_mapping("mini", {"delegit": ["regime*", "sham election*"], "vote": ["election*"]})


@pytest.fixture
def corpus():
    return load_corpus(pd.DataFrame({
        "doc_id": ["a", "b"], "outlet": ["A", "B"],
        "text": ["The regime held a sham election & <b>a vote</b>.", "No match here."],
    }), clean=False)


class Marks(HTMLParser):
    """Text of each document and the spans of its <mark> elements, in document coordinates."""

    def __init__(self):
        super().__init__()
        self.docs, self.current, self.in_text, self.mark = {}, None, False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.current = attrs["data-doc"]
            self.docs[self.current] = {"text": "", "marks": []}
        elif tag == "div" and attrs.get("class") == "text":
            self.in_text = True
        elif tag == "mark" and self.in_text:
            self.mark = (len(self.docs[self.current]["text"]), attrs)

    def handle_endtag(self, tag):
        if tag == "div":
            self.in_text = False
        elif tag == "mark" and self.mark:
            start, attrs = self.mark
            doc = self.docs[self.current]
            doc["marks"].append((start, len(doc["text"]), attrs["data-categories"], attrs["title"]))
            self.mark = None

    def handle_data(self, data):
        if self.in_text and self.current:
            self.docs[self.current]["text"] += data


def parse(page):
    parser = Marks()
    parser.feed(page)
    return parser.docs


def test_marks_split_overlaps_and_escape_text(corpus):
    matches = explain(corpus, LEX)
    page = render_html(corpus, matches, title="t", by="outlet")
    docs = parse(page)
    assert list(docs) == ["a"]  # only documents with matches
    assert docs["a"]["text"] == "The regime held a sham election & <b>a vote</b>."
    # "sham election" is 18-31 (delegit) and "election" 23-31 (vote): split at 23
    assert [(s, e, c) for s, e, c, _ in docs["a"]["marks"]] == [(4, 10, "delegit"), (18, 23, "delegit"), (23, 31, "delegit vote")]
    assert docs["a"]["marks"][2][3] == "delegit: sham election*; vote: election*"
    assert "&lt;b&gt;" in page and "(A)" in page


def _chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="needs Debian's chromium (apt-get install chromium)")
def test_page_renders_in_a_real_browser_with_highlights_where_the_matches_are(seeds, tmp_path):
    matches = explain(seeds, "framing")
    path = tmp_path / "explain.html"
    path.write_text(render_html(seeds, matches, title="seeds", by="outlet"), encoding="utf-8")
    flags = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(flags + ["--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=120, check=True).stdout
    rendered = parse(dom)
    clean = seeds.documents.set_index("doc_id")["clean_text"]
    assert set(rendered) == set(seeds.doc_ids)
    for doc_id, doc in rendered.items():
        assert doc["text"] == clean[doc_id]  # the browser shows the cleaned text, unaltered
        covered = {(s, e) for s, e, *_ in doc["marks"]}
        for start, end in matches.loc[matches.doc_id == doc_id, ["start", "end"]].itertuples(index=False):
            pieces = sorted((s, e) for s, e in covered if start <= s and e <= end)
            assert pieces and pieces[0][0] == start and pieces[-1][1] == end  # every match is highlighted, exactly
        for s, e, *_ in doc["marks"]:
            assert any(a <= s and e <= b for a, b in matches.loc[matches.doc_id == doc_id, ["start", "end"]].itertuples(index=False))
    shot = tmp_path / "shot.png"
    subprocess.run(flags + ["--window-size=1000,800", f"--screenshot={shot}", path.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 10_000


def test_a_page_without_matches_says_so_and_holds_no_document(seeds):
    empty = explain(seeds, "framing").head(0)
    page = render_html(seeds, empty, title="Shared passages", by="outlet")
    assert "No match in the 5 documents, so no document is shown." in page and '<section class="doc"' not in page
    one = seeds.select(seeds.doc_ids[:1])
    assert render_html(one, empty, show_all=True).count('<section class="doc"') == 1  # explain --doc D --html
