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
  opens the document below, every lexicon match highlighted (:mod:`framing.highlight`); the
  page holds the ``max_documents`` documents its lines cite most, and names the others.

Same corpus and parameters, same bytes: Bokeh's ids are numbered from zero for each page.
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections import defaultdict

import numpy as np
import pandas as pd
from scipy import sparse

from framing.corpus import Corpus
from framing.errors import FramingError
from framing.features import family_jobs
from framing.groups import default_target, largest, order_groups, sides
from framing.highlight import TINTS, highlight_text
from framing.keywords import merge_term_counts, term_counts
from framing.measures import log_odds_dirichlet, log_ratio
from framing.params import check_int
from framing.plots import MAX_GROUPS, group_colours
from framing.tables import MATCH_COLUMNS

MAX_PAIRS_GROUPS = 12
"""Up to this many groups the page offers every pair of groups as target and reference;
beyond, each group against the rest (the pairs would make the page too large)."""
REST = "all other groups"
MAX_CONTRAST_GROUPS = 50
"""The page offers each group against the rest for at most this many groups (those with most
documents); the page says how many were left out."""
_ID_LOCK = threading.Lock()


def _contrasts(groups: list[str], target, reference, by: str) -> list[tuple[str, list[str], list[str]]]:
    """(label, target groups, reference groups): each group against the rest, each pair when
    the groups are few, and the contrast asked for first."""
    out = []
    if target is not None:
        t, r, name, ref_name = sides(groups, target, reference, by)
        out.append((name + " | " + (ref_name if reference is not None else REST), t, r))
    for g in groups:
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


def _kwic_index(corpus: Corpus, groups: pd.Series, terms: set[str], *, lines: int, window: int):
    """Per term, up to ``lines`` concordance lines spread over the groups: (doc, group, left,
    node, right, voice)."""
    found: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for doc_id, doc in corpus.iter_tokens():
        if not len(doc):
            continue
        words = np.flatnonzero(doc.is_word)
        lower, text, group = doc.lower, doc.text, groups[doc_id]
        for k, i in enumerate(words):
            key = lower[i]
            if key not in terms or len(found[key][group]) >= lines:
                continue
            left = words[max(0, k - window)] if k else i
            right = words[min(len(words) - 1, k + window)]
            found[key][group].append((doc_id, group, " ".join(text[doc.starts[left] : doc.starts[i]].split()),
                                      text[doc.starts[i] : doc.ends[i]], " ".join(text[doc.ends[i] : doc.ends[right]].split()),
                                      "quoted" if doc.in_quote[i] else "author"))
    return {term: _round_robin(by_group, lines) for term, by_group in found.items()}


def _categories(corpus: Corpus, by: str, jobs, target: list[str], reference: list[str], shown: list[str]):
    """Each family job's categories: rates by group with intervals (:func:`framing.compare`;
    the outlet's own voice where the family tells voices apart) for the groups ``shown``, the
    categories whose target/reference difference survives the Benjamini-Hochberg adjustment,
    and the match records. With several jobs a category is named ``lexicon:category``."""
    from framing.comparison import compare, compare_groups

    rates, starred, matches = [], set(), []
    for job in jobs:
        features, sentences = job.tables(corpus)  # one pass over the documents for both
        drawn = features[features[by].astype(str).isin(shown)]  # intervals only for the groups drawn
        rate = compare(drawn, by, sentences=sentences[sentences["doc_id"].isin(set(drawn["doc_id"]))])
        contrast = compare_groups(features, by, target, reference, sentences=sentences)
        found = job.matches(corpus)
        if "voice" in rate.columns:
            rate, contrast = rate[rate["voice"] == "author"], contrast[contrast["voice"] == "author"]
        name = (lambda c, lex=job.lexicon.name: f"{lex}:{c}") if len(jobs) > 1 else (lambda c: c)
        rates.append(rate.assign(category=rate["category"].map(name)))
        starred |= {name(c) for c in contrast.loc[contrast["p_adjusted"] < 0.05, "category"]}
        matches.append(found.assign(category=found["category"].map(name))[MATCH_COLUMNS])
    return pd.concat(rates, ignore_index=True), starred, pd.concat(matches, ignore_index=True)


def _round_robin(by_group: dict[str, list], lines: int) -> list:
    out, queues = [], [list(v) for _, v in sorted(by_group.items())]
    while len(out) < lines and any(queues):
        for q in queues:
            if q and len(out) < lines:
                out.append(q.pop(0))
    return out


def explore(
    corpus: Corpus,
    by: str,
    *,
    target=None,
    reference=None,
    lexicon=None,
    actors=None,
    families=("lexicon", "stance"),
    min_count: int = 3,
    max_terms: int = 4000,
    kwic_lines: int = 10,
    window: int = 6,
    max_documents: int = 200,
    title: str | None = None,
) -> str:
    """The explorer page of ``corpus`` grouped by ``by`` (see the module docstring), as a string of HTML.

    ``target``/``reference`` set the contrast shown first (default: :data:`framing.groups.DEFAULT_RULE`,
    the group with most documents, or the latest period, against the rest); the page offers
    the others. The categories view shows the ``families`` named: ``lexicon`` (``lexicon``,
    only when one is given: no lexicon is drawn that the user did not choose), ``stance``
    (the bundled stance markers, general to any corpus) and ``actors`` (``actors``, or the
    bundled actors lexicon), their author-voice rates, categories named ``lexicon:category``.
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

    check_int("min_count", min_count, low=1)
    check_int("max_terms", max_terms, low=1)
    check_int("kwic_lines", kwic_lines, low=1)
    check_int("window", window, low=1, high=50)
    check_int("max_documents", max_documents, low=1)
    from framing.lexicon import load_lexicon

    chosen = [load_lexicon(x) for x, family in ((lexicon, "lexicon"), (actors, "actors"))  # names, paths, lists or Lexicons
              if x is not None and family in families]
    groups_of = corpus.groups(by)
    sizes = groups_of.astype(str).value_counts().to_dict()
    groups = order_groups(sizes)  # the run's order: by time for periods, else most documents first
    if len(groups) < 2:
        raise FramingError(f"the explorer compares groups, and column '{by}' has one group ({groups[0]}); choose another")
    palette = group_colours(sizes)  # the same colours as the run's charts (framing.plots.group_colours)
    if target is None:  # the one rule for a group nobody named (framing.groups.DEFAULT_RULE)
        target = default_target(sizes, besides=reference or ())
    contrasts = _contrasts(groups, target, reference, by)
    left_out = max(0, len(groups) - MAX_CONTRAST_GROUPS)
    if left_out:  # each group against the rest for the largest groups only: capped before anything is computed
        shown = set(largest(sizes, MAX_CONTRAST_GROUPS)[0])
        contrasts = [c for k, c in enumerate(contrasts) if k == 0 or (len(c[1]) == 1 and c[1][0] in shown)]

    # ---------------------------------------------------------------- terms, from per-group counts
    counts = merge_term_counts([term_counts(corpus, by)])
    words = counts[counts["n"] == 1]
    n_tokens = words.groupby(by)["count"].sum().reindex(groups).fillna(0).to_numpy(float)
    n_docs = counts[counts["n"] == 0].set_index(by)["docs"].reindex(groups).fillna(0).to_numpy(float)
    total = words.groupby("term", sort=True)["count"].sum()  # by term, so ties at the cut fall as before
    kept = total[total >= min_count].sort_values(ascending=False, kind="mergesort")
    n_eligible = len(kept)
    kept = kept.iloc[:max_terms].index.sort_values()
    if len(kept) == 0:
        raise FramingError(f"no term is seen {min_count} times or more; lower min_count")
    index = {g: i for i, g in enumerate(groups)}
    # terms x groups, sparse: a dense matrix of 60,000 terms x 10,000 groups was 4.8 GB
    part = words[words["term"].isin(kept)]
    cells = (kept.get_indexer(part["term"]), part[by].astype(str).map(index).to_numpy())
    wide = sparse.csc_matrix((part["count"].to_numpy(np.int64), cells), shape=(len(kept), len(groups)))
    docs = sparse.csc_matrix((part["docs"].to_numpy(np.int64), cells), shape=(len(kept), len(groups)))
    data = {"term": list(kept)}
    prior = np.asarray(wide.sum(axis=1)).ravel().astype(float) + 0.01  # the corpus's pooled counts: Monroe et al.'s informative prior
    sides = []
    for k, (_, t, r) in enumerate(contrasts):
        ti, ri = [index[g] for g in t], [index[g] for g in r]
        a = np.asarray(wide[:, ti].sum(axis=1)).ravel()
        b = np.asarray(wide[:, ri].sum(axis=1)).ravel()
        # each contrast's two sides, summed here: the page holds no column per group, so it does not grow with them
        data[f"a{k}"], data[f"b{k}"] = a.astype(np.int64), b.astype(np.int64)
        data[f"n{k}"] = np.asarray(docs[:, ti].sum(axis=1)).ravel().astype(np.int64)
        a, b = a.astype(float), b.astype(float)
        nt, nr = n_tokens[ti].sum(), n_tokens[ri].sum()
        sides.append({"nt": float(nt), "nr": float(nr), "dt": float(n_docs[ti].sum())})
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
    kwic = _kwic_index(corpus, groups_of, set(kept), lines=kwic_lines, window=window)

    # ---------------------------------------------------------------- categories, from the feature tables
    jobs = family_jobs([f for f in families if f != "lexicon"], chosen)
    if not jobs:
        raise FramingError("the explorer's categories view needs a family: give a lexicon, or families=('stance',)")
    drawn = set(largest(sizes, MAX_GROUPS)[0])  # computed once, not per group
    category_groups = [g for g in groups if g in drawn]
    rates, starred, matches = _categories(corpus, by, jobs, contrasts[0][1], contrasts[0][2], category_groups)
    categories = list(dict.fromkeys(rates["category"]))
    labels = {c: (c + " *" if c in starred else c) for c in categories}
    category_kwic = {}
    texts = corpus.documents.set_index("doc_id")["clean_text"]
    for category, part in matches.groupby("category", sort=False):
        by_group = defaultdict(list)
        for m in part.itertuples(index=False):
            g = groups_of[m.doc_id]
            if len(by_group[g]) < kwic_lines:
                text = texts[m.doc_id]
                by_group[g].append((m.doc_id, g, " ".join(text[max(0, m.start - 60) : m.start].split()), m.text,
                                    " ".join(text[m.end : m.end + 60].split()), m.voice))
        category_kwic[category] = {"lines": _round_robin(by_group, kwic_lines), "n": int(len(part))}

    # the documents the page holds: the most cited by its concordance lines
    cited = pd.Series([line[0] for lines in kwic.values() for line in lines]
                      + [line[0] for v in category_kwic.values() for line in v["lines"]], dtype=object).value_counts()
    order = {d: i for i, d in enumerate(corpus.doc_ids)}
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
        sheet = InlineStyleSheet(css=WIDGET_CSS)  # Bokeh draws its widgets in shadow roots: the page's CSS does not reach them
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

        cat_plot = figure(y_range=FactorRange(*[(labels[c], "") for c in categories][::-1], factor_padding=0.0),
                          width=640, height=min(4000, max(260, len(categories) * (22 + 10 * len(category_groups)))),
                          tools="tap,reset",
                          x_axis_label="rate per 1,000 words (95% bootstrap interval)",
                          title="Categories by group (*: BH-adjusted p < 0.05 in the first contrast)",
                          name="categories_plot")
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
        f'<div class="text">{highlight_text(texts[d], matches[matches["doc_id"] == d], colour)}</div></section>'
        for d in doc_ids
    )
    doc_index = {d: i for i, d in enumerate(corpus.doc_ids)}
    meta["docs"] = corpus.doc_ids
    meta["embedded"] = [doc_index[d] for d in doc_ids]  # documents whose text the page holds (links open them)

    def compact(rows):  # (doc, group, left, node, right, voice) -> [doc number, group number, left, node, right, quoted]
        return [[doc_index[d], index[g], left, node, right, int(voice == "quoted")] for d, g, left, node, right, voice in rows]

    payload = json.dumps({"meta": meta, "kwic": {t: compact(rows) for t, rows in kwic.items()},
                          "categories": {c: {"lines": compact(v["lines"]), "n": v["n"]} for c, v in category_kwic.items()}},
                         ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    title = title or f"framing explorer: {by}"
    inline = Resources(mode="inline", components=["bokeh", "bokeh-widgets"])  # the charts and the widgets: no tables, no MathJax
    return PAGE.format(title=html.escape(title), css=inline.render_css(), js=inline.render_js(), glue=GLUE,
                       payload=payload, script=script, div=div, documents=documents, heading=html.escape(title))


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


GLUE = r"""
window.framing = (function () {
  const data = JSON.parse(document.getElementById("framing-data").textContent);
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));
  const embedded = new Set(data.meta.embedded);
  let current = 0;
  function model(name) { return Bokeh.documents[0].get_model_by_name(name); }
  function contrast(source, pick, tops) {
    const k = data.meta.contrasts.findIndex((c) => c.label === pick.value);
    current = k < 0 ? 0 : k;
    const c = data.meta.contrasts[current];
    const d = source.data, n = d.term.length;
    const nt = c.nt, nr = c.nr, dt = c.dt;
    const A = source.data["a" + current], B = source.data["b" + current], N = source.data["n" + current];
    const x = new Array(n), y = new Array(n), size = new Array(n), ct = new Array(n), cr = new Array(n);
    const rt = new Array(n), rr = new Array(n);
    for (let i = 0; i < n; i++) {
      const a = A[i], b = B[i], docs = N[i];
      ct[i] = a; cr[i] = b;
      rt[i] = nt ? a / nt * 1e4 : 0; rr[i] = nr ? b / nr * 1e4 : 0;
      y[i] = nt ? Math.max(a, 0.5) / nt * 1e4 : NaN; x[i] = nr ? Math.max(b, 0.5) / nr * 1e4 : NaN;
      size[i] = 4 + 14 * (dt ? docs / dt : 0);
    }
    d.x = x; d.y = y; d.size = size; d.count_t = ct; d.count_r = cr; d.rate_t = rt; d.rate_r = rr;
    d.lr = Array.from(d["lr" + current]);
    source.change.emit();
    const z = d["z" + current];
    const order = [...Array(n).keys()].filter((i) => ct[i] + cr[i] >= 3);
    const top = (sign) => order.filter((i) => sign * z[i] > 0)
      .sort((i, j) => sign * (z[j] - z[i]) || (d.term[i] < d.term[j] ? -1 : 1)).slice(0, 15);
    const list = (ids) => ids.map((i) => '<li><a href="#" data-term="' + esc(d.term[i]) + '">' + esc(d.term[i]) + "</a> z " +
      z[i].toFixed(1) + "</li>").join("");
    const [tl, rl] = c.names;  // the sides' names, not the label split at " | " (a group may be named "a | b")
    tops.text = '<div class="tops"><div><h3>' + esc(tl) + "</h3><ol>" + list(top(1)) + "</ol></div><div><h3>" + esc(rl) +
      "</h3><ol>" + list(top(-1)) + "</ol></div></div><p class='meta'>Ranked by the log-odds z-score with the corpus as " +
      "an informative Dirichlet prior (Monroe, Colaresi &amp; Quinn 2008), which does not favour rare words.</p>";
  }
  function lines(rows) {  // [doc number, group number, left, node, right, quoted], grouped by group
    const byGroup = {};
    for (const r of rows) { (byGroup[r[1]] = byGroup[r[1]] || []).push(r); }
    return Object.keys(byGroup).map(Number).sort((a, b) => a - b).map((g) => "<h4>" + esc(data.meta.groups[g]) + "</h4>" +
      byGroup[g].map((r) => {
        const doc = esc(data.meta.docs[r[0]]);
        const where = embedded.has(r[0]) ? '<a href="#doc-' + doc + '">' + doc + "</a>" : doc;
        return '<div class="kwic"><span class="left">' + esc(r[2]) + '</span> <b>' + esc(r[3]) + '</b> <span class="right">' +
          esc(r[4]) + '</span> <span class="where">' + where + " · " + (r[5] ? "quoted" : "author") + "</span></div>";
      }).join("")).join("");
  }
  function showTerm(source, evidence) {
    const i = source.selected.indices[0];
    if (i === undefined) { return; }
    const d = source.data, term = d.term[i], rows = data.kwic[term] || [];
    evidence.text = '<h3 class="chosen" data-term="' + esc(term) + '">' + esc(term) + "</h3><p class='counts'>target: <span class='count-t'>" +
      d.count_t[i] + "</span>, reference: <span class='count-r'>" + d.count_r[i] + "</span>; log ratio " + d.lr[i].toFixed(2) +
      "</p>" + lines(rows);
  }
  function showCategory(source, evidence) {
    const i = source.selected.indices[0];
    if (i === undefined) { return; }
    const name = source.data.category[i], entry = data.categories[name] || {lines: [], n: 0};
    evidence.text = '<h3 class="chosen" data-category="' + esc(name) + '">' + esc(name) + "</h3><p class='counts'><span class='n-matches'>" +
      entry.n + "</span> matches in the corpus</p>" + lines(entry.lines);
  }
  function find(source, value) {
    const asked = (value || "").trim(), term = asked.toLowerCase();
    const i = source.data.term.indexOf(term);
    const note = document.querySelector(".search-note");
    if (i >= 0) { source.selected.indices = [i]; if (note) { note.textContent = ""; } return; }
    const cats = model("categories");  // a category, as lexicon:category or by its own name
    const names = cats ? cats.data.category : [];
    const last = term.split(":").pop();  // "stance:hedge" finds "hedge" when the page shows one family
    const k = names.findIndex((c) => c.toLowerCase() === term || c.toLowerCase().split(":").pop() === last);
    if (k >= 0) { cats.selected.indices = [k]; if (note) { note.textContent = ""; } return; }
    if (note) { note.textContent = term ? "'" + asked + "' is neither a term shown nor a category" : ""; }
  }
  function selectTerm(term) { find(model("terms"), term); }
  document.addEventListener("click", (event) => {  // links in Bokeh's shadow roots: look along the event's path
    const a = event.composedPath().find((node) => node.dataset && node.dataset.term !== undefined);
    if (a) { event.preventDefault(); selectTerm(a.dataset.term); }
  });
  return {contrast, showTerm, showCategory, find, selectTerm, data};
})();
"""

WIDGET_CSS = """
.meta { color: #555; font-size: 0.85rem; }
.tops { display: flex; gap: 1.2rem; font-size: 0.85rem; } .tops ol { padding-left: 1.4rem; margin: 0; } .tops h3 { font-size: 0.95rem; }
.kwic { font-family: Menlo, monospace; font-size: 0.8rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.kwic .left { display: inline-block; width: 26rem; text-align: right; overflow: hidden; vertical-align: bottom; white-space: nowrap; }
.kwic .where { color: #555; }
.key { display: inline-block; width: 0.8rem; height: 0.8rem; margin: 0 0.3rem 0 0.8rem; border-radius: 50%; }
h4 { margin: 0.6rem 0 0.2rem; font-size: 0.9rem; }
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: Georgia, serif; margin: 1.5rem; color: #111; }}
.meta {{ color: #555; font-size: 0.85rem; }}
.tops {{ display: flex; gap: 1rem; font-size: 0.85rem; }} .tops ol {{ padding-left: 1.4rem; margin: 0; }}
.kwic {{ font-family: Menlo, monospace; font-size: 0.8rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.kwic .left {{ display: inline-block; width: 28rem; text-align: right; overflow: hidden; vertical-align: bottom; }}
.kwic .where {{ color: #555; }}
.key {{ display: inline-block; width: 0.8rem; height: 0.8rem; margin: 0 0.3rem 0 0.8rem; border-radius: 50%; }}
section.doc {{ display: none; max-width: 52rem; }} section.doc:target {{ display: block; }}
section.doc .text {{ white-space: pre-wrap; line-height: 1.6; }}
mark {{ border-radius: 2px; padding: 0 1px; color: inherit; }} mark.multi {{ outline: 1px dashed #333; }}
</style>
{css}
{js}
</head>
<body>
<h1>{heading}</h1>
<p class="search-note meta"></p>
{div}
<script type="application/json" id="framing-data">{payload}</script>
<script>{glue}</script>
{script}
<script>
(function start() {{
  if (!window.Bokeh || !Bokeh.documents.length) {{ return setTimeout(start, 20); }}
  const doc = Bokeh.documents[0];
  window.framing.contrast(doc.get_model_by_name("terms"), doc.get_model_by_name("contrast"), doc.get_model_by_name("tops"));
  document.body.dataset.ready = "yes";
}})();
</script>
{documents}
</body>
</html>
"""
