"""The explorer page: self-contained, the same bytes every time, and in a real browser its
numbers are those of framing keyness and framing explain."""

import json
import re
import shutil

import pytest

from framing.cli import main
from framing.errors import FramingError
from framing.features import explain
from framing.keywords.keyness import keyness
from framing.runs import explore
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def page(seeds):
    return explore(seeds, "outlet", lexicon="framing", families=("lexicon",))


def test_the_page_is_self_contained_and_deterministic(seeds, page):
    assert page == explore(seeds, "outlet", lexicon="framing", families=("lexicon",))  # same corpus, same bytes
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=", page)  # every script and style inline: no network
    data = json.loads(re.search(r'<script type="application/json" id="framing-data">(.*?)</script>', page, re.S).group(1))
    assert data["meta"]["groups"] == sorted(set(seeds.groups("outlet")))
    # every group against the rest, then every pair (five groups: 5 + 20 contrasts)
    assert len(data["meta"]["contrasts"]) == 25 and data["meta"]["contrasts"][0]["label"] == "Iran Focus | all other groups"
    # concordance lines are real: each node is the term, found in the document's cleaned text
    texts = seeds.documents.set_index("doc_id")["clean_text"]
    docs, groups = data["meta"]["docs"], data["meta"]["groups"]
    for term, lines in list(data["kwic"].items())[:50]:
        for doc, group, left, node, right, quoted in lines:
            assert node.lower().replace("’", "'") == term.replace("’", "'") and node in texts[docs[doc]]
            assert quoted in (0, 1) and groups[group] == seeds.groups("outlet")[docs[doc]]
    counts = explain(seeds, "framing").groupby("category").size()
    assert {c: v["n"] for c, v in data["categories"].items()} == counts.to_dict()


def test_large_vocabularies_are_capped_and_the_page_says_so(seeds):
    small = explore(seeds, "outlet", max_terms=50, kwic_lines=2, max_documents=2)
    assert "terms seen at least 3 times. The" in small and "less frequent terms seen 3+ times are left out (max_terms=50)" in small
    data = json.loads(re.search(r'id="framing-data">(.*?)</script>', small, re.S).group(1))
    cited = {line[0] for lines in data["kwic"].values() for line in lines} | {
        line[0] for entry in data["categories"].values() for line in entry["lines"]}
    assert f"The page holds the 2 documents its lines cite most (of {len(cited)}); the others are named, not linked." in small
    assert small.count('<section class="doc"') == 2
    data = json.loads(re.search(r'id="framing-data">(.*?)</script>', small, re.S).group(1))
    assert len(data["meta"]["embedded"]) == 2 and len(data["kwic"]) <= 50 and max(len(v) for v in data["kwic"].values()) <= 2
    with pytest.raises(FramingError, match="column 'affiliation' has one group|has one group"):
        explore(seeds.select(seeds.doc_ids[:1]), "outlet")


def test_the_page_streams_the_tokens_and_keeps_none_of_them(seeds):
    """Its passes (terms, each family, the concordances) tokenize as they go: a corpus of 10,000
    documents does not hold every document's tokens and their offsets while the page is drawn."""
    from framing.documents.corpus import load_corpus

    fresh, kept = (load_corpus(seeds.documents[["doc_id", "outlet", "text"]]) for _ in range(2))
    kept.tokens  # noqa: B018 - tokens computed before, as a notebook may have them
    assert explore(fresh, "outlet") == explore(kept, "outlet")  # the same page, tokens kept or not
    assert fresh._tokens is None


def test_no_lexicon_the_user_did_not_choose_and_one_colour_per_group(seeds, tmp_path, capsys):
    from framing.views.plots import group_colours

    out = tmp_path / "page.html"
    assert main(["explore", str(SEEDS), "--by", "outlet", "-o", str(out)]) == 0
    assert "no --lexicon, so the categories view shows the stance markers" in capsys.readouterr().err
    page = out.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="framing-data">(.*?)</script>', page, re.S).group(1))
    stance = explain(seeds, "stance").groupby("category").size()
    assert {c: v["n"] for c, v in data["categories"].items()} == stance.to_dict()  # stance alone: no framing, no actors
    assert "<h1>framing explorer: seeds by outlet</h1>" in page and str(SEEDS.resolve()) not in page  # no absolute path
    colours = group_colours(seeds.groups("outlet"))
    assert all(f"background:{colours[g]}" in page for g in colours) and len(set(colours.values())) == 5


def test_explore_on_the_command_line_with_stance_and_actors(seeds, tmp_path, capsys):
    out = tmp_path / "page.html"
    assert main(["explore", str(SEEDS), "--by", "outlet", "--target", "NCRI", "--lexicon", "framing", "--family", "stance",
                 "--family", "actors", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "NCRI | all other groups" in page
    data = json.loads(re.search(r'id="framing-data">(.*?)</script>', page, re.S).group(1))
    stance = explain(seeds, "stance").groupby("category").size()
    assert {c.split(":", 1)[1]: v["n"] for c, v in data["categories"].items() if c.startswith("stance:")} == stance.to_dict()
    assert {c.split(":", 1)[0] for c in data["categories"]} == {"framing", "stance", "actors"}
    assert main(["explore", str(SEEDS), "--by", "outlet", "-o", str(tmp_path / "page.txt")]) == 2
    assert "give a name ending in .html" in capsys.readouterr().err


def _browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        return None, None
    return chromium, sync_playwright


@pytest.mark.skipif(_browser()[0] is None, reason="needs Debian's chromium (apt-get install chromium)")
def test_in_a_real_browser_search_and_clicks_show_the_numbers_of_keyness_and_explain(seeds, page, tmp_path):
    chromium, sync_playwright = _browser()
    path = tmp_path / "explore.html"
    path.write_text(page, encoding="utf-8")
    table = keyness(seeds, "outlet", target="Iran Focus", min_count=1).set_index("term")
    pair = keyness(seeds, "outlet", target="NCRI", reference="Iran Focus", min_count=1).set_index("term")
    matches = explain(seeds, "framing")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        view = browser.new_page(viewport={"width": 1300, "height": 1000})
        errors = []
        view.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        view.on("pageerror", lambda error: errors.append(str(error)))
        view.goto(path.as_uri())
        view.wait_for_selector("body[data-ready=yes]", timeout=20_000)
        # the search finds a term and shows its concordance, with the counts of framing keyness
        view.fill("input", "regime")
        view.keyboard.press("Enter")
        view.wait_for_selector("h3.chosen[data-term=regime]")
        assert int(view.inner_text(".count-t")) == table.loc["regime", "count_target"]
        assert int(view.inner_text(".count-r")) == table.loc["regime", "count_reference"]
        lines = view.locator(".kwic b").all_inner_texts()
        assert lines and all(w.lower() == "regime" for w in lines)
        # a click on a term of the lists shows it
        view.click(".tops a[data-term=mek]")
        view.wait_for_selector("h3.chosen[data-term=mek]")
        assert int(view.inner_text(".count-r")) == table.loc["mek", "count_reference"]
        # another contrast picked in the page: NCRI against Iran Focus
        view.select_option("select", "NCRI | Iran Focus")
        view.fill("input", "")
        view.fill("input", "regime")
        view.keyboard.press("Enter")
        view.wait_for_function("document.body.innerText !== null")
        view.wait_for_selector("h3.chosen[data-term=regime]")
        assert int(view.inner_text(".count-t")) == pair.loc["regime", "count_target"]
        assert int(view.inner_text(".count-r")) == pair.loc["regime", "count_reference"]
        # a category chosen on the chart shows the number of matches of framing explain
        view.evaluate("""() => { const s = Bokeh.documents[0].get_model_by_name("categories");
                                 s.selected.indices = [s.data.category.indexOf("state_delegitimizing")]; }""")
        view.wait_for_selector("h3.chosen[data-category=state_delegitimizing]")
        assert int(view.inner_text(".n-matches")) == int((matches["category"] == "state_delegitimizing").sum())
        # the search finds a category too, by its name
        view.fill("input", "")
        view.fill("input", "state_neutral")
        view.keyboard.press("Enter")
        view.wait_for_selector("h3.chosen[data-category=state_neutral]")
        assert int(view.inner_text(".n-matches")) == int((matches["category"] == "state_neutral").sum())
        # the document link opens the document, its matches highlighted
        view.click(".where a >> nth=0")
        assert view.locator("section.doc:target mark").count() > 0
        browser.close()
    assert errors == []


def test_the_explorer_page_loads_no_matplotlib(tmp_path):
    """The page draws with Bokeh; its notebook (figures.save_html) and command load no matplotlib (47 MB)."""
    import subprocess
    import sys

    code = ("import sys, framing, pandas as pd; from framing import figures; "
            "c = framing.load_corpus(pd.DataFrame({'outlet': ['a', 'b'], 'text': ['The regime said so.', 'They said it.']})); "
            f"figures.save_html(framing.explore(c, 'outlet', min_count=1), {str(tmp_path)!r}, 'page'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib')[:3])")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
    assert (tmp_path / "page.html").is_file()
