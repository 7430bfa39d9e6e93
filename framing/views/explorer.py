"""One offline HTML page to explore a comparison: from terms and categories to the sentences behind them.

The page is built with Bokeh, its scripts inline (Bokeh's core and widgets): Bokeh draws
the interactive scatter and the category chart and carries the data and the callbacks
(``CustomJS``), so the glue written here is only what moves between the views. It opens
from disk with no network. What it holds:

* **Terms.** Every word seen at least ``min_count`` times (the ``max_terms`` most frequent
  at most; the page says when terms were left out), placed by its rate per 10,000 words
  in the target (y) and the reference (x), log scales, coloured by its log ratio
  (:func:`framing.measures.log_ratio`), sized by the share of target documents using it.
  The target and reference are picked in the page: each group against the rest, and, up
  to :data:`MAX_PAIRS_GROUPS` groups, each group against each other. The log ratios of
  every contrast are computed here, in Python, once; the page only selects among them.
  A search box finds a term, or a category (``lexicon:category`` or its name); the
  strongest terms of each side are listed beside, ranked by the log-odds z-score with the
  corpus as an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), so that a rare
  word with an extreme ratio does not top the list.
* **Categories.** Each lexicon category's rate per group with its 95% bootstrap interval
  (:func:`framing.compare`); categories whose target/reference difference survives the
  Benjamini-Hochberg adjustment (:func:`framing.compare_groups`) are starred.
* **Evidence.** Choosing a term or a category shows up to ``kwic_lines`` concordance lines,
  grouped by group, each with its document and voice (author or quoted) and a link that
  opens the document below, every lexicon match highlighted (:mod:`framing.views.highlight`); the
  page holds the ``max_documents`` documents its lines cite most, and names the others.

Same corpus and parameters, same bytes: Bokeh's ids are numbered from zero for each page.
"""

from __future__ import annotations

import html
import json
import re
import threading
from importlib.resources import files
from string import Template

import numpy as np
import pandas as pd
from scipy import sparse

from framing.comparison.rates import compare, compare_groups
from framing.errors import FramingError
from framing.groups import default_target, largest, order_groups, sides
from framing.measures import log_odds_dirichlet, log_ratio
from framing.tables import LANGUAGE, MATCH_SPAN_COLUMNS, group_labels
from framing.views.colours import MAX_GROUPS, group_colours
from framing.views.highlight import TINTS, highlight_text, text_direction

MAX_PAIRS_GROUPS = 12
"""Up to this many groups the page offers every pair of groups as target and reference;
beyond, each group against the rest (the pairs would make the page too large)."""
REST = "all other groups"
MAX_CONTRAST_GROUPS = 50
"""The page offers each group against the rest for at most this many groups (those with most
documents); the page says how many were left out."""
_ID_LOCK = threading.Lock()


def _contrasts(groups: list[str], target, reference, by: str, offered=None) -> list[tuple[str, list[str], list[str]]]:
    """(label, target groups, reference groups): each group of ``offered`` (default: all) against
    the rest, each pair when the groups are few, and the contrast asked for first. The rest is
    listed once per group offered, so the cap comes before the lists (9,900 groups each against
    the other 9,899 were 98 million names)."""
    out = []
    if target is not None:
        t, r, name, ref_name = sides(groups, target, reference, by)
        out.append((name + " | " + (ref_name if reference is not None else REST), t, r))
    offered = set(groups if offered is None else offered)
    for g in groups:
        if g in offered:
            out.append((f"{g} | {REST}", [g], [x for x in groups if x != g]))
    if len(groups) <= MAX_PAIRS_GROUPS:
        out += [(f"{a} | {b}", [a], [b]) for a in groups for b in groups if a != b]
    seen, unique = set(), []
    for label, t, r in out:
        if label not in seen and r:
            seen.add(label)
            unique.append((label, t, r))
    return unique


def _reference_name(target: list[str], reference: list[str], groups: list[str]) -> str:
    """The reference side as the page heads it: REST when it is every other group (and more
    than one), else its groups joined by "+"."""
    rest = set(reference) == set(groups) - set(target) and len(reference) > 1
    return REST if rest else "+".join(reference)


def frequent_terms(counts: pd.DataFrame, *, min_count: int, max_terms: int) -> tuple[pd.Index, int]:
    """The terms the page shows, from term counts (:func:`framing.keywords.terms.term_counts`,
    merged): those seen ``min_count`` times or more, the ``max_terms`` most frequent at most
    (ties at the cut fall by term), sorted; and how many were eligible."""
    words = counts["n"].to_numpy() == 1  # rows of single words; columns taken by it, not the table copied
    total = counts["count"][words].groupby(counts["term"][words], sort=True).sum()  # by term: ties at the cut fall as before
    kept = total[total >= min_count].sort_values(ascending=False, kind="mergesort")
    if len(kept) == 0:
        raise FramingError(f"no term is seen {min_count} times or more; lower min_count")
    return kept.iloc[:max_terms].index.sort_values(), len(kept)


def _categories(families, by: str, target: list[str], reference: list[str], shown: list[str]):
    """Each family's categories, from its feature, unit and match tables: rates by group with
    intervals (:func:`framing.compare`; the outlet's own voice where the family tells voices apart)
    for the groups ``shown``, the categories whose target/reference difference survives the
    Benjamini-Hochberg adjustment, and the match spans."""
    rates, starred, matches = [], set(), []
    for features, units, found in families:
        drawn = features[features[by].astype(str).isin(shown)]  # intervals only for the groups drawn
        rate = compare(drawn, by, sentences=units[units["doc_id"].isin(set(drawn["doc_id"]))])
        contrast = compare_groups(features, by, target, reference, sentences=units)
        if "voice" in rate.columns:
            rate, contrast = rate[rate["voice"] == "author"], contrast[contrast["voice"] == "author"]
        rates.append(rate)
        starred |= set(contrast.loc[contrast["p_adjusted"] < 0.05, "category"])
        matches.append(found[MATCH_SPAN_COLUMNS])
    return pd.concat(rates, ignore_index=True), starred, pd.concat(matches, ignore_index=True)


def _line_lists(lines: pd.DataFrame) -> dict[str, list]:
    """Concordance lines (:data:`framing.keywords.kwic.LINE_COLUMNS`) by key, in their order."""
    rows = lines[["key", "doc_id", "group", "left", "node", "right", "voice"]].itertuples(index=False, name=None)
    out: dict[str, list] = {}
    for key, *line in rows:
        out.setdefault(key, []).append(tuple(line))
    return out


def explorer_page(
    documents: pd.DataFrame,
    by: str,
    *,
    terms: pd.DataFrame,
    term_lines: pd.DataFrame,
    families: list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]],
    category_lines: pd.DataFrame,
    target=None,
    reference=None,
    min_count: int = 3,
    max_terms: int = 4000,
    kwic_lines: int = 10,
    max_documents: int = 200,
    title: str | None = None,
) -> str:
    """The explorer page (see the module docstring), as a string of HTML, from tables only.

    ``documents``: ``doc_id``, ``by`` and ``clean_text`` (``Corpus.documents``); ``terms``: term
    counts by ``by`` (:func:`framing.keywords.terms.term_counts`); ``term_lines`` and
    ``category_lines``: concordance lines (:func:`framing.keywords.kwic.term_lines`,
    :func:`~framing.keywords.kwic.match_lines`); ``families``: per family, its feature table, unit
    table and match spans (:meth:`framing.features.family.Family.evidence` without text), categories named as
    the page shows them. :func:`framing.explore` builds them from a corpus and calls this.
    """
    from bokeh.embed import components
    from bokeh.layouts import column, row
    from bokeh.models import (
        ColorBar,
        ColumnDataSource,
        CustomJS,
        Div,
        HoverTool,
        InlineStyleSheet,
        LinearColorMapper,
        Select,
        TapTool,
        TextInput,
        Whisker,
    )
    from bokeh.plotting import figure
    from bokeh.resources import Resources

    groups_of = group_labels(documents, by)
    sizes = groups_of.astype(str).value_counts().to_dict()
    groups = order_groups(sizes)  # the run's order: by time for periods, else most documents first
    if len(groups) < 2:
        raise FramingError(f"the explorer compares groups, and column '{by}' has one group ({groups[0]}); choose another")
    palette = group_colours(sizes)  # the same colours as the run's charts (framing.views.colours.group_colours)
    if target is None:  # the one rule for a group nobody named (framing.groups.DEFAULT_RULE)
        target = default_target(sizes, besides=reference or ())
    left_out = max(0, len(groups) - MAX_CONTRAST_GROUPS)
    # each group against the rest for the largest groups only: capped before anything is computed
    contrasts = _contrasts(groups, target, reference, by, largest(sizes, MAX_CONTRAST_GROUPS)[0] if left_out else None)

    # ---------------------------------------------------------------- terms, from per-group counts
    counts = terms
    words = counts["n"].to_numpy() == 1  # rows of single words: their columns are taken by it, the table is not copied
    n_tokens = counts["count"][words].groupby(counts[by][words]).sum().reindex(groups).fillna(0).to_numpy(float)
    n_docs = counts[counts["n"] == 0].set_index(by)["docs"].reindex(groups).fillna(0).to_numpy(float)
    kept, n_eligible = frequent_terms(counts, min_count=min_count, max_terms=max_terms)
    index = {g: i for i, g in enumerate(groups)}
    # terms x groups, sparse: a dense matrix of 60,000 terms x 10,000 groups was 4.8 GB
    part = counts.loc[words & counts["term"].isin(kept).to_numpy(), ["term", by, "count", "docs"]]
    cells = (kept.get_indexer(part["term"]), pd.Index(groups).get_indexer(part[by].astype(str)))  # positions, no objects
    wide = sparse.csc_matrix((part["count"].to_numpy(np.int64), cells), shape=(len(kept), len(groups)))
    docs = sparse.csc_matrix((part["docs"].to_numpy(np.int64), cells), shape=(len(kept), len(groups)))
    data = {"term": list(kept)}
    prior = np.asarray(wide.sum(axis=1)).ravel().astype(float) + 0.01  # the corpus's pooled counts: Monroe et al.'s informative prior
    sides = []
    rests = [set(r) == set(groups) - set(t) for _, t, r in contrasts]  # the reference is every other group
    # the counts of each group a contrast names (its target, or a reference that is not "the rest"), and the
    # total: the page sums a contrast's sides from them, so it grows with the groups shown, not with the pairs
    held = sorted({index[g] for _, t, _ in contrasts for g in t}
                  | {index[g] for (_, _, r), rest in zip(contrasts, rests) if not rest for g in r})
    for j in held:
        data[f"c{j}"] = np.asarray(wide[:, j].todense()).ravel().astype(np.int32)
        data[f"d{j}"] = np.asarray(docs[:, j].todense()).ravel().astype(np.int32)
    total = np.asarray(wide.sum(axis=1)).ravel()
    data["c_all"] = total.astype(np.int32)
    for k, ((_, t, r), rest) in enumerate(zip(contrasts, rests)):
        ti, ri = [index[g] for g in t], [index[g] for g in r]
        a = np.asarray(wide[:, ti].sum(axis=1)).ravel().astype(float)
        b = total - a if rest else np.asarray(wide[:, ri].sum(axis=1)).ravel().astype(float)
        nt, nr = n_tokens[ti].sum(), n_tokens[ri].sum()
        sides.append({"nt": float(nt), "nr": float(nr), "dt": float(n_docs[ti].sum()), "t": ti, "r": "rest" if rest else ri})
        with np.errstate(divide="ignore", invalid="ignore"):  # a side without words (empty documents): no ratio, NaN
            data[f"lr{k}"] = np.round(log_ratio(a, b, nt, nr), 3).astype(np.float32)  # a colour and two decimals shown
            # the strongest terms of each side are ranked by the log-odds z-score, which a rare word cannot top
            data[f"z{k}"] = np.round(log_odds_dirichlet(a, b, nt, nr, alpha=prior, alpha0=prior.sum()), 2).astype(np.float32)
        for key in (f"lr{k}", f"z{k}"):
            data[key][~np.isfinite(data[key])] = np.nan
    for column_name in ("x", "y", "lr", "size", "count_t", "count_r", "rate_t", "rate_r"):
        data[column_name] = np.zeros(len(kept))

    meta = {
        "groups": groups, "n_tokens": n_tokens.tolist(), "n_docs": n_docs.tolist(),
        "contrasts": [{"label": label, "names": ["+".join(t), _reference_name(t, r, groups)], **totals}
                      for (label, t, r), totals in zip(contrasts, sides)],
    }
    kwic = _line_lists(term_lines[term_lines["key"].isin(set(kept))])

    # ---------------------------------------------------------------- categories, from the feature tables
    drawn = set(largest(sizes, MAX_GROUPS)[0])  # computed once, not per group
    category_groups = [g for g in groups if g in drawn]
    if families:
        rates, starred, matches = _categories(families, by, contrasts[0][1], contrasts[0][2], category_groups)
    else:  # no family has words in the page's language (stance outside English): the page says so
        rates = pd.DataFrame(columns=[by, "category", "per_1k", "ci_low", "ci_high"])
        starred, matches, category_lines = set(), pd.DataFrame(columns=MATCH_SPAN_COLUMNS), pd.DataFrame(
            columns=["key", "doc_id", "group", "left", "node", "right", "voice"])
    categories = list(dict.fromkeys(rates["category"]))
    labels = {c: (c + " *" if c in starred else c) for c in categories}
    texts = documents.set_index("doc_id")["clean_text"]
    language_of = documents.set_index("doc_id")[LANGUAGE].to_dict() if LANGUAGE in documents.columns else {}
    lines_of, n_matches = _line_lists(category_lines), matches["category"].value_counts()
    category_kwic = {c: {"lines": lines_of.get(c, []), "n": int(n_matches[c])} for c in dict.fromkeys(matches["category"])}

    # the documents the page holds: the most cited by its concordance lines
    cited = pd.Series([line[0] for lines in kwic.values() for line in lines]
                      + [line[0] for v in category_kwic.values() for line in v["lines"]], dtype=object).value_counts()
    all_ids = documents["doc_id"].tolist()
    order = {d: i for i, d in enumerate(all_ids)}
    doc_ids = sorted(sorted(cited.index, key=lambda d: (-cited[d], order[d]))[:max_documents], key=order.get)

    # ---------------------------------------------------------------- the page
    with _ID_LOCK:
        import bokeh.util.serialization as ids

        ids._simple_id = 1000  # the same ids on every page: same corpus, same bytes
        source = ColumnDataSource(data, name="terms")
        mapper = LinearColorMapper(palette=_diverging(), low=-4, high=4)
        terms_plot = figure(x_axis_type="log", y_axis_type="log", width=640, height=560, tools="pan,wheel_zoom,box_zoom,reset,tap",
                            x_axis_label="rate per 10,000 words in the reference", y_axis_label="rate per 10,000 words in the target",
                            title="Terms", name="terms_plot")
        terms_plot.scatter("x", "y", source=source, size="size", fill_color={"field": "lr", "transform": mapper},
                           line_color="#444", line_width=0.3, fill_alpha=0.8, nonselection_fill_alpha=0.35,
                           nonselection_line_alpha=0.3, selection_line_color="black", selection_line_width=2)
        terms_plot.add_tools(HoverTool(tooltips=[("term", "@term"), ("target", "@count_t (@rate_t{0.0} per 10k)"),
                                                 ("reference", "@count_r (@rate_r{0.0} per 10k)"), ("log ratio", "@lr{0.00}")]))
        terms_plot.select_one(TapTool).behavior = "select"
        terms_plot.add_layout(ColorBar(color_mapper=mapper, title="log2 ratio, target/reference", width=10), "right")
        pick = Select(title="Target | reference", value=contrasts[0][0], options=[label for label, _, _ in contrasts],
                      name="contrast", width=360)
        search = TextInput(title="Find a term or a category", placeholder="e.g. regime", name="search", width=260)
        sheet = InlineStyleSheet(css=_page("widgets.css").template)  # Bokeh draws its widgets in shadow roots: the page's CSS does not reach them
        note = Div(text=_note(len(kept), n_eligible, max_terms, min_count, kwic_lines, len(groups), len(cited), len(doc_ids)),
                   width=640, name="note", stylesheets=[sheet])
        tops = Div(text="", width=380, name="tops", stylesheets=[sheet])
        evidence = Div(text="<p>Choose a term (click a point, search, or pick it from the lists) or a category (click a dot).</p>",
                       width=1020, name="evidence", stylesheets=[sheet])

        cat_rows = rates[rates["category"].isin(categories)].copy()
        cat_rows["label"] = cat_rows["category"].map(labels)
        cat_rows["group_index"] = cat_rows[by].map(index)
        slot = {g: k for k, g in enumerate(category_groups)}  # the groups drawn in the categories view
        offsets = np.linspace(-0.3, 0.3, len(category_groups)) if len(category_groups) > 1 else np.zeros(1)
        cat_rows["y"] = [(labels[c], float(offsets[slot[groups[i]]])) for c, i in zip(cat_rows["category"], cat_rows["group_index"])]
        cat_rows["colour"] = [palette[groups[i]] for i in cat_rows["group_index"]]
        cat_source = ColumnDataSource({
            "y": cat_rows["y"].tolist(), "rate": cat_rows["per_1k"].to_numpy(float),
            "low": cat_rows["ci_low"].to_numpy(float), "high": cat_rows["ci_high"].to_numpy(float),
            "group": cat_rows[by].astype(str).tolist(), "category": cat_rows["category"].tolist(),
            "colour": cat_rows["colour"].tolist(),
        }, name="categories")
        from bokeh.models import FactorRange

        if not categories:
            cat_plot = Div(text="<p class='meta'>No categories view: no lexicon given has words in this language "
                                "(the stance markers and the actors are English).</p>", width=640, stylesheets=[sheet])
        cat_plot = cat_plot if not categories else figure(
                          y_range=FactorRange(*[(labels[c], "") for c in categories][::-1], factor_padding=0.0),
                          width=640, height=min(4000, max(260, len(categories) * (22 + 10 * len(category_groups)))),
                          tools="tap,reset",
                          x_axis_label="rate per 1,000 words (95% bootstrap interval)",
                          title="Categories by group (*: BH-adjusted p < 0.05 in the first contrast)",
                          name="categories_plot")
        if categories:
            cat_plot.yaxis.group_label_orientation = "horizontal"
            cat_plot.yaxis.major_label_text_font_size = "0pt"
            cat_plot.add_layout(Whisker(source=cat_source, base="y", lower="low", upper="high", dimension="width",
                                        line_color="colour"))
            cat_plot.scatter("rate", "y", source=cat_source, size=7, fill_color="colour", line_color="colour")
            cat_plot.add_tools(HoverTool(tooltips=[("category", "@category"), ("group", "@group"),
                                                   ("rate", "@rate{0.00} [@low{0.00}, @high{0.00}]")]))
            cat_plot.select_one(TapTool).behavior = "select"
        legend = Div(text="".join(f'<span class="key" style="background:{palette[groups[i]]}"></span>{html.escape(g)} '
                                  for i, g in enumerate(groups) if g in slot)
                     + (f"<span class='meta'> (the {len(category_groups)} groups with most documents of {len(groups):,})</span>"
                        if len(category_groups) < len(groups) else ""), width=640, stylesheets=[sheet])

        update = CustomJS(args={"source": source, "pick": pick, "tops": tops}, code="window.framing.contrast(source, pick, tops);")
        pick.js_on_change("value", update)
        source.selected.js_on_change("indices", CustomJS(args={"source": source, "evidence": evidence},
                                                         code="window.framing.showTerm(source, evidence);"))
        cat_source.selected.js_on_change("indices", CustomJS(args={"source": cat_source, "evidence": evidence},
                                                             code="window.framing.showCategory(source, evidence);"))
        search.js_on_change("value_input", CustomJS(args={"source": source, "search": search},
                                                    code="window.framing.find(source, search.value_input);"))
        layout = column(row(pick, search), note, row(terms_plot, tops), legend, cat_plot, evidence)
        script, div = components(layout)
    script, div = _numbered(script, div)
    colour = {c: TINTS[i % len(TINTS)] for i, c in enumerate(dict.fromkeys([*categories, *matches["category"]]))}
    documents = "".join(
        f'<section class="doc" id="doc-{html.escape(d)}"><h2>{html.escape(d)} ({html.escape(groups_of[d])})</h2>'
        f'<div class="text"{text_direction(language_of.get(d))}>{highlight_text(texts[d], matches[matches["doc_id"] == d], colour)}'
        '</div></section>'
        for d in doc_ids
    )
    doc_index = order
    meta["docs"] = all_ids
    meta["embedded"] = [doc_index[d] for d in doc_ids]  # documents whose text the page holds (links open them)

    def compact(rows):  # (doc, group, left, node, right, voice) -> [doc number, group number, left, node, right, quoted]
        return [[doc_index[d], index[g], left, node, right, int(voice == "quoted")] for d, g, left, node, right, voice in rows]

    payload = json.dumps({"meta": meta, "kwic": {t: compact(rows) for t, rows in kwic.items()},
                          "categories": {c: {"lines": compact(v["lines"]), "n": v["n"]} for c, v in category_kwic.items()}},
                         ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    title = title or f"framing explorer: {by}"
    inline = Resources(mode="inline", components=["bokeh", "bokeh-widgets"])  # the charts and the widgets: no tables, no MathJax
    return _page("explorer.html").substitute(title=html.escape(title), css=inline.render_css(), js=inline.render_js(),
                                             glue=_page("explorer.js").template, payload=payload, script=script, div=div,
                                             documents=documents, heading=html.escape(title))


def _page(name: str) -> Template:
    """One of the page's files (``framing/views/page/``: the HTML around the charts, the script
    that moves between the views, the widgets' CSS), read when a page is built."""
    return Template(files("framing.views").joinpath("page", name).read_text(encoding="utf-8"))


def _numbered(script: str, div: str) -> tuple[str, str]:
    """Bokeh names the document and its root element with random UUIDs; number them in order
    of appearance instead, so the page's bytes depend only on its content."""
    found: dict[str, str] = {}
    pattern = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

    def number(match):
        return found.setdefault(match.group(0), f"00000000-0000-4000-8000-{len(found) + 1:012d}")

    return pattern.sub(number, script), pattern.sub(number, div)


def _note(n_terms: int, eligible: int, max_terms: int, min_count: int, lines: int, n_groups: int, cited: int,
          embedded: int) -> str:
    left_out = (f" The {eligible - n_terms:,} less frequent terms seen {min_count}+ times are left out (max_terms={max_terms:,})."
                if eligible > n_terms else "")
    pairs = "" if n_groups <= MAX_PAIRS_GROUPS else f" With more than {MAX_PAIRS_GROUPS} groups, each is set against the rest."
    if n_groups > MAX_CONTRAST_GROUPS:
        pairs = (f" With {n_groups:,} groups, the {MAX_CONTRAST_GROUPS} with most documents are each set against the rest;"
                 f" the other {n_groups - MAX_CONTRAST_GROUPS:,} are left out of the contrasts.")
    documents = (f" The page holds the {embedded:,} documents its lines cite most (of {cited:,}); the others are named, not linked."
                 if embedded < cited else "")
    return (f"<p class='meta'>{n_terms:,} terms seen at least {min_count} times.{left_out} Up to {lines} concordance lines "
            f"per term or category, spread over the groups.{documents}{pairs} A rate of zero is drawn at half an occurrence.</p>")


def _diverging() -> list[str]:
    """Orange (reference) to grey to blue (target): Okabe-Ito ends, 11 steps."""
    ends = [np.array([0xE6, 0x9F, 0x00]), np.array([0xEE, 0xEE, 0xEE]), np.array([0x00, 0x72, 0xB2])]
    colours = []
    for k in range(11):
        t = k / 10
        c = ends[0] + (ends[1] - ends[0]) * (t / 0.5) if t <= 0.5 else ends[1] + (ends[2] - ends[1]) * ((t - 0.5) / 0.5)
        colours.append("#%02x%02x%02x" % tuple(int(round(v)) for v in c))
    return colours
