"""A standalone HTML page that shows documents with every lexicon match highlighted.

In the spirit of LIWC's colour-coded text: a researcher validates a lexicon by reading.
The page is built from the match records of :func:`framing.explain` (one per match),
so what is highlighted is exactly what is counted. Each category has a colour (see the
legend); hovering a highlight shows every category and term pattern that matched there.
Overlapping matches of different categories are split at their boundaries, so every
character sits in at most one ``<mark>``, whose ``data-categories`` lists all of them.
No I/O here: :func:`render_html` returns a string.
"""

from __future__ import annotations

import html

import pandas as pd

from framing.tables import LANGUAGE, group_labels

# ColorBrewer Set3: light, mutually distinct tints that keep black text readable; cycled beyond twelve
TINTS = ["#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5", "#d9d9d9", "#bc80bd",
         "#ccebc5", "#ffed6f"]

STYLE = """
body { font-family: Georgia, serif; max-width: 52rem; margin: 2rem auto; line-height: 1.6; color: #111; }
h1 { font-size: 1.3rem; } h2 { font-size: 1.05rem; margin-top: 2.2rem; border-top: 1px solid #ccc; padding-top: 0.8rem; }
.legend span { display: inline-block; padding: 0 0.4rem; margin: 0.15rem; border-radius: 3px; font-size: 0.85rem; }
.text { white-space: pre-wrap; unicode-bidi: plaintext; }
mark { border-radius: 2px; padding: 0 1px; color: inherit; }
mark.multi { outline: 1px dashed #333; }
.meta { color: #555; font-size: 0.85rem; }
"""


def render_html(corpus, matches: pd.DataFrame, *, title: str = "framing explain", by: str | None = None,
                show_all: bool = False) -> str:
    """HTML page of the documents that have matches.

    ``corpus`` is a :class:`~framing.documents.corpus.Corpus` or its documents table (``doc_id``,
    ``clean_text`` and metadata, ``Corpus.documents``): the page needs the texts, not the tokens.
    ``matches`` are the rows of :func:`framing.explain` (``doc_id``, ``category``,
    ``pattern``, ``start``, ``end``; ``voice`` if present is shown on hover). With no match
    the page says so and holds no document, unless ``show_all`` (the documents asked for,
    shown plain: ``framing explain --doc D --html``).
    """
    categories = list(dict.fromkeys(matches["category"])) if len(matches) else []
    colour = {c: TINTS[i % len(TINTS)] for i, c in enumerate(categories)}
    documents = getattr(corpus, "documents", corpus)
    doc_ids = list(dict.fromkeys(matches["doc_id"])) if len(matches) else (documents["doc_id"].tolist() if show_all else [])
    groups = group_labels(documents, by) if by else None
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        (f'<p class="meta">{len(matches)} matches in {len(doc_ids)} documents. Hover a highlight for its category and '
         "term pattern; dashed outline: more than one category.</p>") if len(matches) or show_all else
        f'<p class="meta">No match in the {len(documents)} documents, so no document is shown.</p>',
        '<p class="legend">' + "".join(
            f'<span style="background:{colour[c]}" data-category="{html.escape(c)}">{html.escape(c)} '
            f"({int((matches['category'] == c).sum())})</span>"
            for c in categories
        ) + "</p>",
    ]
    text_of = documents.set_index("doc_id")["clean_text"]
    language_of = documents.set_index("doc_id")[LANGUAGE].to_dict() if LANGUAGE in documents.columns else {}
    for doc_id in doc_ids:
        label = f" ({groups[doc_id]})" if groups is not None else ""
        rows = matches[matches["doc_id"] == doc_id] if len(matches) else matches
        parts.append(f'<section class="doc" data-doc="{html.escape(doc_id)}"><h2>{html.escape(doc_id)}{html.escape(label)}</h2>')
        parts.append(f'<div class="text"{text_direction(language_of.get(doc_id))}>'
                     f'{highlight_text(text_of[doc_id], rows, colour)}</div></section>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def text_direction(language: str | None) -> str:
    """The attributes of a document's text element: ``dir="auto"`` always (each paragraph of
    Persian, Arabic or Hebrew is laid out right to left, with ``unicode-bidi: plaintext`` in
    the style, Latin words and digits inside it in their own order), and ``lang`` where the
    document's language is known, so a browser picks fonts and hyphenation for it.

    Examples
    --------
    >>> text_direction("fa"), text_direction(None)
    (' dir="auto" lang="fa"', ' dir="auto"')
    """
    return ' dir="auto"' + (f' lang="{html.escape(str(language))}"' if language else "")


def highlight_text(text: str, rows: pd.DataFrame, colour: dict) -> str:
    """``text`` as HTML with each match of ``rows`` (match records) in a ``<mark>`` tinted by ``colour[category]``."""
    if rows is None or rows.empty:
        return html.escape(text)
    spans = list(zip(rows["start"], rows["end"], rows["category"], rows["pattern"],
                     rows["voice"] if "voice" in rows.columns else [None] * len(rows)))
    cuts = sorted({0, len(text), *[int(s) for s, *_ in spans], *[int(e) for _, e, *_ in spans]})
    # one sweep over the cuts: the spans open at each piece, in their order in rows (not every span for
    # every piece, which grew with the square of the matches: a 2 MB document took 12 minutes)
    starting: dict[int, list[int]] = {}
    for i, (s, e, *_) in enumerate(spans):
        if int(e) > int(s):
            starting.setdefault(int(s), []).append(i)
    active: set[int] = set()
    out = []
    for a, b in zip(cuts, cuts[1:]):
        active.update(starting.get(a, ()))
        active = {i for i in active if int(spans[i][1]) >= b} if active else active
        covering = [spans[i][2:] for i in sorted(active)]
        piece = html.escape(text[a:b])
        if not covering:
            out.append(piece)
            continue
        cats = list(dict.fromkeys(c for c, _, _ in covering))
        tip = "; ".join(f"{c}: {p}" + (f" ({v} voice)" if v and v != "all" else "") for c, p, v in covering)
        klass = ' class="multi"' if len(cats) > 1 else ""
        out.append(
            f'<mark{klass} style="background:{colour[cats[0]]}" data-categories="{html.escape(" ".join(cats))}" '
            f'data-start="{a}" data-end="{b}" title="{html.escape(tip)}">{piece}</mark>'
        )
    return "".join(out)
