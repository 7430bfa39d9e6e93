"""Runs that need several layers at once: from a corpus to a page.

The layers below each do one thing and see only what is below them; a run is the one place
that walks the whole path for a result, so a view never reaches back for text. Here: the
explorer page (:func:`explore`), whose term view needs term counts and concordance lines,
and whose category view needs each family's counts, unit counts and match records, all
counted in one pass over the documents, then handed as tables to
:func:`framing.views.explorer.explorer_page`.
"""

from __future__ import annotations

import warnings

import pandas as pd

from framing.documents.corpus import Corpus
from framing.errors import FramingError
from framing.features import family_jobs
from framing.features.frames import FrameModel, is_model_folder
from framing.keywords.kwic import match_lines, term_lines
from framing.keywords.terms import merge_term_counts, term_counts
from framing.lexicon.read import load_lexicon
from framing.params import Whole, checked
from framing.tables import LANGUAGE, language_name
from framing.views.explorer import explorer_page, frequent_terms


@checked(min_count=Whole(low=1), max_terms=Whole(low=1), kwic_lines=Whole(low=1), window=Whole(low=1, high=50),
         max_documents=Whole(low=1))
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
    language: str | None = None,
) -> str:
    """The explorer page of ``corpus`` grouped by ``by`` (:mod:`framing.views.explorer`), as a string of HTML.

    ``target``/``reference`` set the contrast shown first (default: :data:`framing.groups.DEFAULT_RULE`,
    the group with most documents, or the latest period, against the rest); the page offers
    the others. The categories view shows the ``families`` named: ``lexicon`` (``lexicon``,
    only when one is given: no lexicon is drawn that the user did not choose), ``stance``
    (the bundled stance markers, general to any corpus) and ``actors`` (``actors``, or the
    bundled actors lexicon), their author-voice rates, categories named ``lexicon:category``.
    Concordance lines hold ``window`` words either side (:func:`framing.keywords.kwic.context`).

    A page compares groups within one language: in a corpus of several languages (a ``language``
    column), ``language`` names the one whose documents the page shows (default: the language
    with most documents, said in a warning), since terms of two languages set against each
    other would rank each language's words, not a group's choices. A family with no words in
    that language (the stance markers outside English) is left off the page, with the warning
    that says why.
    """
    languages = corpus.languages
    if language is None and len(languages) > 1:
        language = languages[0]
        warnings.warn(f"the corpus is written in {len(languages)} languages ({', '.join(languages)}): the explorer "
                      f"compares groups within one, here {language_name(language)}, the one with most documents; make "
                      "a page for another with --in-language CODE", stacklevel=3)
    if language is not None:
        if language not in languages:
            raise FramingError(f"no document in language '{language}'; the corpus's languages: "
                               f"{', '.join(languages) or 'none given (no language column)'}")
        corpus = corpus.select(corpus.documents.loc[corpus.documents[LANGUAGE] == language, "doc_id"])
    groups = corpus.groups(by)
    if groups.nunique() < 2:
        raise FramingError(f"the explorer compares groups, and column '{by}' has one group ({groups.iloc[0]}); "
                           "choose another")
    counts = merge_term_counts([term_counts(corpus, by)])
    kept, _ = frequent_terms(counts, min_count=min_count, max_terms=max_terms)
    chosen = [x if isinstance(x, FrameModel) or is_model_folder(x) else load_lexicon(x)  # a frame model: its own family
              for x, family in ((lexicon, "lexicon"), (actors, "actors"))  # names, paths, lists or Lexicons
              if x is not None and family in families]
    jobs = family_jobs([f for f in families if f != "lexicon"], chosen)
    tables = []
    for job in jobs:
        features, units, matches = job.evidence(corpus, text=False)  # one pass for the three; lines come from spans
        if features.empty:  # no word of this family in the page's language: its warning said so
            continue
        if len(jobs) > 1:  # categories named lexicon:category
            features, units, matches = (t.assign(category=job.lexicon.name + ":" + t["category"].astype(str))
                                        for t in (features, units, matches))
        tables.append((features, units, matches))
    found = pd.concat([m for _, _, m in tables], ignore_index=True) if tables else None
    lines = term_lines(corpus, kept, by, lines=kwic_lines, window=window)
    category_lines = match_lines(corpus, found, by, lines=kwic_lines, window=window) if tables else None
    return explorer_page(
        corpus.documents, by, terms=counts, term_lines=lines, families=tables, category_lines=category_lines,
        target=target, reference=reference, min_count=min_count, max_terms=max_terms, kwic_lines=kwic_lines,
        max_documents=max_documents, title=title,
    )
