"""The commands: each reads its inputs, makes one or a few library calls and writes the result,
saying what it wrote on stderr. Parsing is :mod:`framing.cli.parser`; errors become one line
in :mod:`framing.cli` (``main``)."""

from __future__ import annotations

import re
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from framing.errors import FramingError
from framing.output import (
    refuse_inputs,
    spreadsheet_safe,
    write_table,
    write_text,
)

if TYPE_CHECKING:
    import pandas as pd


def family_choices() -> list[str]:
    from framing.features import FAMILIES

    return [*FAMILIES, "all"]


def counting_families() -> list[str]:
    from framing.features import FAMILIES

    return [name for name, family in FAMILIES.items() if family.default_lexicon is not None]


def measure_choices():
    from framing.measures import MEASURES

    return MEASURES


def _ngram_range(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", text)
    if not match:
        raise FramingError(f"--ngrams must look like 1-2 (or 2 for one size), got {text!r}")
    low = int(match.group(1))
    return low, int(match.group(2) or low)


def _load(args):
    from framing.documents.corpus import load_corpus

    return load_corpus(
        args.corpus, text_col=args.text_col, id_col=args.id_col, clean=not args.no_clean,
        cleaning_rules=args.cleaning_rules, language=getattr(args, "language", None),
    )


def _inputs(args) -> list:
    """Every file or folder the command reads: outputs may be none of them. A lexicon named
    rather than given as a path is the file the search path finds (and every file it
    ``extends``); a ``file://`` URL is its local path; a sheet brings its key."""
    found = []
    for name in ("corpus", "cleaning_rules", "lexicon", "background", "stopwords", "source", "actors", "sheet", "first",
                 "second", "extension", "codebook", "units", "model", "key", "frames", "frame_sheet"):
        value = getattr(args, name, None)
        found.extend(value if isinstance(value, list) else [value])
    found = [v for v in found if isinstance(v, str)]
    for name in ("lexicon", "actors", "extension", "name"):
        value = getattr(args, name, None)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                found.extend(_lexicon_files(item))
    for value in list(found):
        if value.startswith("file://"):
            from urllib.parse import unquote, urlparse

            found.append(unquote(urlparse(value).path))
    for name in ("sheet", "first", "second"):
        value = getattr(args, name, None)
        if isinstance(value, str):
            from framing.validation import key_path

            found.append(str(key_path(value)))
    return found


def _lexicon_files(name_or_path: str) -> list[str]:
    """The files a lexicon is read from: its own and those of the lexicons it extends (none for a
    bundled lexicon, which lives in the package, or for a name that is no lexicon)."""
    from framing.lexicon.read import load_lexicon

    try:
        lexicon = load_lexicon(name_or_path)
    except FramingError:
        return []
    return [p for p in str(lexicon.path).split(" + ") if p and Path(p).is_file()]


def _write(frame: pd.DataFrame, output: str | None, args) -> None:
    if output is None:
        spreadsheet_safe(frame).to_csv(sys.stdout, index=False)
        return
    refuse_inputs(output, _inputs(args))
    write_table(frame, output)
    print(f"framing: wrote {len(frame)} rows to {output}", file=sys.stderr)


def _stream(args, make) -> None:
    """Read the corpus in batches, run ``make`` on each (cleaned) batch, write the tables as they come."""
    from framing.engine import make_task
    from framing.output import AsCsv, TableWriter, raw_csv

    units = getattr(args, "units_out", None)
    for output in (args.output, units):
        if output is not None:
            refuse_inputs(output, _inputs(args))
    with TableWriter(args.output) as writer, TableWriter(units) if units else nullcontext() as unit_writer:
        # the workers write their CSV text, the table (or pair) this process appends
        make = AsCsv(make, which=(writer.csv, *([unit_writer.csv] if units else [])), raw=raw_csv())
        task = make_task(make, clean=not args.no_clean, cleaning_rules=args.cleaning_rules,
                         meta=getattr(args, "meta", None), origin=args.corpus, language=getattr(args, "language", None))
        for tables in _tables(args, task):
            if unit_writer is not None:  # the task gives the feature table and its unit table, counted in one pass
                tables, unit_table = tables
                unit_writer.write(unit_table)
            writer.write(tables)
    if args.output is not None:
        print(f"framing: wrote {writer.rows} rows to {args.output}", file=sys.stderr)
    if units is not None:
        print(f"framing: wrote {unit_writer.rows} rows to {units}", file=sys.stderr)


def _tables(args, task):
    """The tables of each batch of the corpus, as they come: read here and counted by --jobs
    processes or a Dask cluster; a URL (s3://...) is a Parquet dataset the Dask workers read."""
    from framing.documents.read import document_batches
    from framing.engine import is_remote, run_batches, run_partitions

    progress = not args.quiet and sys.stderr.isatty()
    if is_remote(args.corpus):
        if args.engine != "dask":
            raise FramingError(f"{args.corpus}: a URL is read by the workers of a Dask cluster: add --engine dask")
        return run_partitions(task, args.corpus, text_col=args.text_col, id_col=args.id_col, jobs=args.jobs,
                              scheduler=args.scheduler, progress=progress)
    batches = document_batches(args.corpus, text_col=args.text_col, id_col=args.id_col,
                               batch_chars=max(1, int(args.batch_mb * 1e6)))
    return run_batches(task, batches, jobs=args.jobs, engine=args.engine, scheduler=args.scheduler, progress=progress)


def run_features(args) -> None:
    from framing.features import FamilyFeatures, family_jobs

    families = family_choices()[:-1] if args.family == "all" else [args.family]
    lexicons = args.lexicon
    if lexicons and args.family == "lexicon":
        families = []  # each --lexicon is read by its own family
    jobs = tuple(family_jobs(families, lexicons))
    if args.units_out is not None and not any(job.counting for job in jobs):
        raise FramingError("--units needs a counting family (lexicon, stance, actors): sentiment is a score, not a count")
    make = FamilyFeatures(jobs, units=args.units_out is not None)
    if args.exclude_reused:  # passages are found across the whole corpus, so it is read into memory
        corpus = _load(args)
        if args.meta is not None:
            corpus = corpus.keep_metadata(args.meta)
        tables = make(_own_words(args, corpus))
        if args.units_out is not None:
            tables, units = tables
            _write(units, args.units_out, args)
        _write(tables, args.output, args)
        return
    _stream(args, make)


def _own_words(args, corpus):
    """The corpus without the text it shares with other documents (--exclude-reused), and what that left out."""
    from framing.features.reuse import reuse, without_reused

    if args.reuse_time is not None:
        corpus.check_column(args.reuse_time)
    passages = reuse(corpus, min_words=args.reuse_min_words, time=args.reuse_time)
    own = without_reused(corpus, passages, earlier_only=args.reuse_time is not None)
    print(f"framing: --exclude-reused left out {len(passages)} shared passage(s), "
          f"{int(passages['n_words'].sum()) if len(passages) else 0} words on the first side", file=sys.stderr)
    return own


def run_compare(args) -> None:
    from framing.comparison.rates import compare, compare_groups
    from framing.errors import NeedsSentences
    from framing.params import min_docs_for
    from framing.tables import ALL, LANGUAGE, stack_families

    if args.reference and not args.target:
        raise FramingError("--reference needs --target; give --target G, or neither for every group's rates")
    if args.relative:
        if args.target or args.within:
            raise FramingError("--relative sets every group against its language's rate: leave out --target and --within")
        from framing.comparison.languages import relative_rates

        _, jobs = _count_tables(args, [args.by, LANGUAGE])
        table = stack_families([(family, name, relative_rates(features, args.by, n_boot=args.n_boot, seed=args.seed,
                                                               level=args.level)) for family, name, _, features in jobs], at=2)
        print("framing: relative = a group's rate in a language over that language's rate (1 = as often as the "
              "language's documents); rates of different languages are not compared", file=sys.stderr)
        _write(table, args.output, args)
        return
    if args.within is not None:
        if not args.target:
            raise FramingError("--within compares a target with a reference on the stories both covered: give --target G "
                               "(or use framing model --within for every group against a reference)")
        _, jobs = _count_tables(args, [args.by])
        _write(_within_table(args, jobs, target=args.target), args.output, args)
        return
    if args.stories is not None:
        raise FramingError("--stories goes with --within story")
    _, jobs = _count_tables(args, [args.by], sentences=True)
    results = []
    for family, name, sentences, features in jobs:
        try:
            if args.target:
                table = compare_groups(features, args.by, args.target, args.reference, sentences=sentences,
                                       n_perm=args.n_perm, n_boot=args.n_boot, seed=args.seed, level=args.level,
                                       min_docs=min_docs_for(args.unit))
            else:
                table = compare(features, args.by, sentences=sentences, n_boot=args.n_boot, seed=args.seed,
                                level=args.level, min_docs=min_docs_for(args.unit))
        except NeedsSentences:  # only from a feature table given without its unit table
            raise FramingError(f"{args.corpus}: a group has fewer than 5 documents, whose sentences would be resampled, "
                               "and a feature table has no sentences: write them beside it (framing features --units "
                               "UNITS.parquet) and pass --units UNITS.parquet, or run framing compare on the corpus") from None
        results.append((family, name, table))
    table = stack_families(results, at=2 if args.target else 1)
    if "voice" not in table.columns:
        table["voice"] = ALL
    head = ["target", "reference"] if args.target else [args.by]
    head += ["family", "lexicon", "category", "voice"]
    table = table[head + [c for c in table.columns if c not in head]]
    if args.table:
        _write_paper_table(table, args.table, args)
    _write(table, args.output, args)


def _count_tables(args, columns: list[str], *, sentences: bool = False):
    """The corpus (None for a feature table) and one (family, lexicon name, sentence table, features)
    per family job: counted from the corpus (--family, --lexicon), or read from a feature table that
    ``framing features`` wrote (a corpus too large for memory, counted once). With ``sentences``,
    each job's sentence table too: counted in the same pass over the documents, or read from the
    unit table given with --units (else None)."""
    from framing.features import family_jobs, share_tokens
    from framing.tables import (
        family_tables,
        is_feature_table,
        read_feature_table,
        read_unit_table,
        require_columns,
    )

    units = getattr(args, "units", None)
    if is_feature_table(args.corpus):
        if getattr(args, "exclude_reused", False):
            raise FramingError(f"{args.corpus} is a feature table: --exclude-reused needs the corpus, to find shared passages")
        if args.lexicon or args.family != "lexicon":
            raise FramingError(f"{args.corpus} is a feature table: it holds its own families and lexicons, so leave out "
                               "--family and --lexicon")
        features = read_feature_table(args.corpus)
        require_columns(features, columns, where=args.corpus)
        unit_table = read_unit_table(units) if sentences and units is not None else None
        return None, family_tables(features, unit_table, families=counting_families(), units_name=units)
    if units is not None:
        raise FramingError("--units goes with a feature table as CORPUS; from a corpus the sentences are counted anew")
    corpus = _load(args)
    for column in columns:
        corpus.check_column(column)
    if getattr(args, "exclude_reused", False):
        corpus = _own_words(args, corpus)
    families = counting_families() if args.family == "all" else [args.family]
    if args.lexicon and args.family == "lexicon":
        families = []  # each --lexicon is read by its own family
    jobs = []
    chosen = family_jobs(families, args.lexicon)
    share_tokens(corpus, chosen)
    for job in chosen:
        table, units_of_job = job.tables(corpus) if sentences else (job.table(corpus), None)  # one pass per document
        jobs.append((job.name, job.lexicon.name, units_of_job, table))
    return corpus, jobs


def run_model(args) -> None:
    from framing.comparison.models import rate_model
    from framing.tables import stack_families

    if args.within is not None:
        if args.covariate or args.cluster or args.model != "quasipoisson":
            raise FramingError("--within fits its own model (Poisson with story fixed effects, clustered by story): "
                               "leave out --covariate, --cluster and --model")
        _, jobs = _count_tables(args, [args.by])
        table = _within_table(args, jobs)
        if args.table:
            _write_paper_table(table, args.table, args)
        _write(table, args.output, args)
        return
    if args.stories is not None:
        raise FramingError("--stories goes with --within story")
    _, jobs = _count_tables(args, [args.by, *args.covariate, *([args.cluster] if args.cluster else [])])
    table = stack_families([(family, name, rate_model(features, args.by, args.reference, covariates=args.covariate,
                                                      model=args.model, cluster=args.cluster, min_docs=args.min_docs,
                                                      level=args.level))
                            for family, name, _, features in jobs], at=2)
    if len(table) and table["warning"].str.startswith("a count model with one coefficient per group").all():
        raise FramingError(str(table["warning"].iloc[0]))
    chosen = str(table["chosen"].iloc[0]) if len(table) else ""
    if chosen:
        print(f"framing: {chosen}", file=sys.stderr)
    few = table["warning"].str.contains("too few documents").sum()
    if few:
        print(f"framing: warning: {few} of {len(table)} rate ratios rest on too few documents (see the warning column)",
              file=sys.stderr)
    if args.table:
        _write_paper_table(table, args.table, args)
    _write(table, args.output, args)


def run_trend(args) -> None:
    import pandas as pd

    from framing.comparison.trends import trend
    from framing.tables import stack_families

    events = []
    for text in args.event:
        date, colon, label = text.partition(":")
        if not colon or not label.strip():
            raise FramingError(f"--event must look like 2021-06-18:label, got {text!r}")
        try:
            pd.Timestamp(date)
        except ValueError:
            raise FramingError(f"--event date {date!r} is not a date; write it as 2021-06-18") from None
        events.append((date, label.strip()))
    _, jobs = _count_tables(args, [*([args.by] if args.by else []), args.time])
    table = stack_families([(family, name, trend(features, args.by, args.time, args.freq, n_boot=args.n_boot,
                                                      level=args.level))
                            for family, name, _, features in jobs], at=2)
    if args.plot:
        from framing.views.figures import canvas, save
        from framing.views.plots import trend_plot

        if args.category is not None and args.category not in set(table["category"]):
            raise FramingError(f"unknown category {args.category!r}; available: {', '.join(dict.fromkeys(table['category']))}")
        if not args.plot.lower().endswith(".png"):
            raise FramingError(f"{args.plot}: --plot writes a PNG file; give a name ending in .png")
        refuse_inputs(args.plot, _inputs(args), option="--plot")
        fig, ax = canvas(8, 4)
        trend_plot(table.drop(columns=["family", "lexicon"]), ax, category=args.category, events=events)
        path = Path(args.plot)
        save(fig, path.parent, path.stem)
        print(f"framing: wrote {args.plot}", file=sys.stderr)
    if args.table:
        _write_paper_table(table, args.table, args)
    _write(table, args.output, args)


def run_validate_sample(args) -> None:
    from framing.validation import blind, coding_sheet, key_path, sheet_html

    if not args.output.lower().endswith(".csv"):
        raise FramingError(f"{args.output}: the coding sheet is a CSV file; give a name ending in .csv")
    if args.blind and args.misses:
        raise FramingError("--blind and --misses: a missed sentence can only be coded knowing the category sought; "
                           "draw the misses in a sheet of their own, without --blind")
    corpus = _load(args)
    sheet = coding_sheet(corpus, args.lexicon, n=args.n, seed=args.seed, per_term=args.per_term, categories=args.category,
                         misses=args.misses)
    shown, key = blind(sheet) if args.blind else (sheet, None)
    page = Path(args.output).with_suffix(".html")
    _refuse_existing([args.output, page] + ([key_path(args.output)] if key is not None else []), args,
                     "a coding sheet may hold hours of coding")
    _write(shown, args.output, args)
    if key is not None:
        _write(key, str(key_path(args.output)), args)
    write_text(page, sheet_html(shown, title=f"framing coding sheet: {Path(args.output).name}"))
    print(f"framing: wrote {page}; code the label column of {args.output}, then: framing validate score {args.output}",
          file=sys.stderr)


def run_validate_agree(args) -> None:
    from framing.validation import agreement, read_sheet

    if args.codebook is not None:
        from framing.validation.frame_sheets import read_frame_sheet
        from framing.validation.scores import frame_agreement

        book = _codebook(args)
        sheets = [read_frame_sheet(path, book) for path in (args.first, args.second)]
        _write(frame_agreement(*sheets, book.frame_names, origins=(args.first, args.second)), args.output, args)
        return
    table = agreement(read_sheet(args.first), read_sheet(args.second), origins=(args.first, args.second))
    _write(table, args.output, args)


def run_validate_score(args) -> None:
    from framing.validation import describe, read_sheet, score_sheet

    report = score_sheet(read_sheet(args.sheet), threshold=args.threshold, min_coded=args.min_coded, origin=args.sheet)
    uncoded = int(report.loc[report["pattern"] == "", "n_uncoded"].sum())
    if uncoded:
        print(f"framing: {uncoded} item(s) not coded (blank label) are left out", file=sys.stderr)
    for line in describe(report):
        print(f"framing: {line}", file=sys.stderr)
    if args.fix:
        from framing.validation import patched_lexicon_text

        if args.lexicon is None:
            raise FramingError("--fix needs --lexicon: the lexicon the sheet was drawn from")
        if not args.fix.lower().endswith(".toml"):
            raise FramingError(f"{args.fix}: write the patched lexicon to a .toml file")
        refuse_inputs(args.fix, _inputs(args), option="--fix")
        if Path(args.fix).exists():
            raise FramingError(f"{args.fix} exists already; choose another name")
        write_text(args.fix, patched_lexicon_text(args.lexicon, report))
        print(f"framing: wrote {args.fix}; check it with: framing lexicon check {args.fix} --corpus CORPUS", file=sys.stderr)
    _write(report, args.output, args)


def run_explain(args) -> None:
    from framing.features import Matches, explain, family_for

    family = family_for(args.lexicon)
    family.check_category(args.category)  # an unknown category is an error before reading
    if args.html is None and args.doc is None and not args.mark_reused:
        _stream(args, Matches(family, args.category))
        return
    corpus = _load(args) if args.doc is None or args.mark_reused else _one_document(args)
    matches = explain(corpus, family.lexicon, doc_id=args.doc, category=args.category)
    if args.mark_reused:
        from framing.features.reuse import mark_reused, reuse

        matches = mark_reused(matches, reuse(corpus, min_words=args.reuse_min_words))
    if args.html:
        from framing.views.highlight import render_html

        title = f"framing explain: {args.lexicon}" + (f", {args.category}" if args.category else "")
        page = render_html(corpus if args.doc is None else corpus.select([args.doc]), matches, title=title, by=args.by,
                           show_all=args.doc is not None)
        refuse_inputs(args.html, _inputs(args), option="--html")
        write_text(args.html, page)
        print(f"framing: wrote {len(matches)} highlighted matches to {args.html}", file=sys.stderr)
        if args.output is None:
            return
    _write(matches, args.output, args)


def _one_document(args):
    """The corpus of one document, found by reading batches until it turns up (the rest is never loaded)."""
    from framing.documents.corpus import clean_documents
    from framing.documents.read import find_document

    frame = find_document(args.corpus, args.doc, text_col=args.text_col, id_col=args.id_col)
    return clean_documents(frame, clean=not args.no_clean, rules=_rules(args), origin=args.corpus,
                           language=getattr(args, "language", None))


def _rules(args):
    from framing.documents.clean import load_rules

    return load_rules(args.cleaning_rules) if not args.no_clean else None


def run_explore(args) -> None:
    from framing.runs import explore
    from framing.tables import language_name

    if not args.output.lower().endswith((".html", ".htm")):
        raise FramingError(f"{args.output}: the explorer is an HTML page; give a name ending in .html")
    refuse_inputs(args.output, _inputs(args))
    if args.reference and not args.target:
        raise FramingError("--reference needs --target; give --target G, or neither for the first group against the rest")
    corpus = _load(args)
    corpus.check_column(args.by)
    if args.lexicon is None:
        print("framing: no --lexicon, so the categories view shows the stance markers; add a lexicon with --lexicon "
              "NAME_OR_PATH (start one with framing lexicon new NAME)", file=sys.stderr)
    families = [*(["lexicon"] if args.lexicon else []), *dict.fromkeys(["stance", *(args.family or [])]),
                *(["actors"] if args.actors and "actors" not in (args.family or []) else [])]
    page = explore(corpus, args.by, target=args.target, reference=args.reference, lexicon=args.lexicon, actors=args.actors,
                   families=families, min_count=args.min_count, max_terms=args.max_terms, kwic_lines=args.kwic_lines,
                   max_documents=args.max_documents, language=args.in_language,
                   title=f"framing explorer: {Path(args.corpus).name} by {args.by}"
                         + (f" ({language_name(args.in_language)})" if args.in_language else ""))
    write_text(args.output, page)
    print(f"framing: wrote {args.output} ({len(page.encode('utf-8')) / 1e6:.1f} MB); open it in a browser", file=sys.stderr)


def run_reuse(args) -> None:
    from framing.documents.corpus import CorpusFiles
    from framing.features.reuse import reuse, reuse_matrix, reuse_shares

    if (args.by is None) != (args.matrix is None):
        raise FramingError("--matrix needs --by (and --by is for --matrix): give both, e.g. --by outlet --matrix reuse.csv")
    corpus = CorpusFiles(args.corpus, text_col=args.text_col, id_col=args.id_col, clean=not args.no_clean,
                         cleaning_rules=args.cleaning_rules, language=getattr(args, "language", None))  # read in batches, twice: never whole in memory
    if args.matrix:
        corpus.check_column(args.by)
    passages = reuse(corpus, min_words=args.min_words, min_similarity=args.min_similarity, time=args.time)
    if args.shares:
        _write(reuse_shares(passages, corpus), args.shares, args)
    if args.matrix:
        _write(reuse_matrix(passages, corpus, args.by).reset_index(), args.matrix, args)
    _write(passages, args.output, args)


def run_counts(args) -> None:
    from framing.engine import make_task
    from framing.keywords.terms import TermCounts, check_one_language, merge_term_counts
    from framing.output import TableWriter

    if args.output is not None:
        refuse_inputs(args.output, _inputs(args))
    make = TermCounts(args.by, _ngram_range(args.ngrams), args.stopwords, args.english)
    task = make_task(make, clean=not args.no_clean, cleaning_rules=args.cleaning_rules, origin=args.corpus,
                     language=getattr(args, "language", None))
    merged, pending, languages = None, [], set()
    for table in _tables(args, task):
        languages.update(table.attrs.get("languages", ()))
        check_one_language(languages)  # batches of one language each may still be of several
        pending.append(table)
        if sum(map(len, pending)) > (0 if merged is None else len(merged)):  # merge when the parts outgrow the sum
            merged = merge_term_counts(pending if merged is None else [merged, *pending])
            pending = []
    merged = merge_term_counts([merged, *pending] if merged is not None else pending)
    with TableWriter(args.output) as writer:
        writer.write(merged)
    if args.output is not None:
        print(f"framing: wrote {writer.rows} rows to {args.output}", file=sys.stderr)


KEYNESS_ALL_TERMS_GROUPS = 20
"""Up to this many groups, ``framing keyness`` without a target writes every term of each
group against the rest; beyond, the :data:`KEYNESS_TOP` most over- and most under-used terms of
each (``--top`` sets it)."""
KEYNESS_TOP = 50


def run_keyness(args) -> None:
    import pandas as pd

    from framing.keywords.keyness import keyness_parts
    from framing.keywords.terms import TERM_COUNT_COLUMNS
    from framing.tables import table_columns

    columns = table_columns(args.corpus)
    if columns is not None and columns[1:] == TERM_COUNT_COLUMNS:  # a table of framing counts
        counts = pd.read_parquet(args.corpus) if args.corpus.lower().endswith(".parquet") else pd.read_csv(
            args.corpus, dtype={"term": str, columns[0]: str}, keep_default_na=False)
        if args.ngrams != "1-1" or args.stopwords is not None:
            raise FramingError(f"{args.corpus} holds term counts: give --ngrams and --stopwords to framing counts, not here")
        corpus = counts
    else:
        corpus = _load(args)
    if args.within is not None:
        _within_keyness(args, corpus)
        return
    if args.stories is not None:
        raise FramingError("--stories goes with --within story")
    from framing.output import TableWriter

    reference = "english" if args.reference == ["english"] else args.reference
    top = args.top
    if top is None and args.target is None and (n_groups := _n_groups(corpus, args.by)) > KEYNESS_ALL_TERMS_GROUPS:
        top = KEYNESS_TOP  # each group against the rest, every term: 200 groups wrote 12 million rows (2 GB)
        print(f"framing: {n_groups:,} groups, each against the rest: the {top} most over- and {top} most under-used "
              "terms of each are written (--top N for more, or name a --target for all its terms)", file=sys.stderr)
    parts = keyness_parts(corpus, args.by, target=args.target, reference=reference, measure=args.measure,
                             ngram_range=_ngram_range(args.ngrams), min_count=args.min_count, stopwords=args.stopwords,
                             background=args.background, top=top)
    if args.output is not None:
        refuse_inputs(args.output, _inputs(args))
    with TableWriter(args.output) as writer:  # group by group: 200 groups x 60,000 terms is never held whole
        for table in parts:
            writer.write(table)
    if args.output is not None:
        print(f"framing: wrote {writer.rows} rows to {args.output}", file=sys.stderr)


def _n_groups(corpus, by: str | None) -> int:
    """How many groups ``framing keyness`` compares, each against the rest: of column ``by`` of a corpus,
    or of the first column of term counts (unknown columns are said by keyness itself)."""
    import pandas as pd

    if by is None:
        return 1
    if isinstance(corpus, pd.DataFrame):
        return corpus.iloc[:, 0].nunique()
    return len(set(corpus.groups(by))) if by in corpus.documents.columns else 0


def _within_keyness(args, corpus) -> None:
    """keyness --within: each term's Mantel-Haenszel rate ratio, target against reference, over the stories both covered."""
    import pandas as pd

    from framing.comparison.within import side_cells, within_keyness
    from framing.keywords.terms import term_counts

    if isinstance(corpus, pd.DataFrame):
        raise FramingError(f"{args.corpus} holds term counts pooled by group; --within needs the corpus, to count by story")
    if not args.target or args.reference == ["english"] or args.background:
        raise FramingError("--within compares a --target with a --reference (default: the other groups) on the same "
                           "stories; general English has no stories")
    documents = _with_stories(args, corpus.documents)
    cells = side_cells(documents, args.by, args.within, args.target, args.reference)
    kept = corpus.select(documents.loc[cells.notna(), "doc_id"].tolist())
    kept.documents["_cell"] = cells[cells.notna()].to_numpy()
    counts = term_counts(kept, "_cell", ngram_range=_ngram_range(args.ngrams), stopwords=args.stopwords)
    table = within_keyness(counts.rename(columns={"_cell": "cell"}), min_count=args.min_count)
    if args.top is not None:  # as keyness --top: the N most over- and N most under-used, in the table's order (p)
        over, under = table[table["log2_ratio"] > 0].head(args.top), table[table["log2_ratio"] < 0].head(args.top)
        table = table.loc[over.index.union(under.index)]
    print(f"framing: within '{args.within}': {len(table):,} terms, Mantel-Haenszel rate ratios over up to "
          f"{int(table['n_stories'].max()) if len(table) else 0:,} shared stories", file=sys.stderr)
    _write(table, args.output, args)


def run_kwic(args) -> None:
    from framing.keywords.kwic import format_kwic, kwic

    corpus = _load(args)
    table = kwic(corpus, args.pattern, window=args.window, by=args.by)
    if args.output:
        _write(table, args.output, args)
    elif table.empty:
        print(f"framing: no match for {args.pattern!r}", file=sys.stderr)
    else:
        print(format_kwic(table))


def run_figures(args) -> None:
    """The run is planned (settings checked, the corpus's languages read, notebooks chosen) in a child
    process (:func:`_in_child`), so that this process, which waits beside the kernels while they run,
    holds the notebook machinery only: not pandas and the corpus reader (about 120 MB)."""
    from framing.views.gallery import run_cache, run_notebooks

    parameters, skip, out = _in_child(_figures_plan, args)
    with run_cache():  # the record reads the overview notebook 01 counted
        ran = run_notebooks(parameters, only=args.only, skip=skip, progress=not args.quiet)
        from framing.record import (
            write_record,  # after the kernels: what it imports is not held beside them
        )

        write_record(out, parameters, [p.stem for p in ran], merge=not args.force)  # check_figures_folder: same settings
    print(f"framing: ran {len(ran)} notebooks; figures, their values, methods.md, references.bib and run.json in "
          f"{args.out or 'figures'}", file=sys.stderr)


def _figures_plan(args) -> tuple[dict, list[str], Path]:
    """The notebooks' parameters, the notebooks to skip (each said in one line) and the output folder
    of ``framing figures``."""
    from framing.params import min_docs_for
    from framing.paths import project_root
    from framing.views.gallery import check_figures_folder

    root = project_root()
    corpus = args.corpus
    if corpus is not None and Path(corpus).exists():
        corpus = str(Path(corpus).resolve())  # the kernel runs in the project root, not here
    if corpus is None or (root is not None and Path(corpus).resolve() == (root / "seeds").resolve()):
        corpus = "seeds"  # the project's seeds: their study (seeds/framing.toml) names the lexicons to draw
    if corpus == "seeds" and root is None:
        raise FramingError("no project folder here, so no seeds' gallery: give --corpus and --out, or a study file "
                           "(framing.toml here, or --study FILE)")
    by = args.by or "outlet"
    lexicons = [_resolved(x) for x in args.lexicon or []]
    lexicon = lexicons[0] if len(lexicons) == 1 else lexicons or None
    extension = _resolved(args.extension)
    actors = _resolved(args.actors)
    parameters = {
        "CORPUS": corpus,
        "TEXT_COL": args.text_col,
        "ID_COL": args.id_col,
        "LANGUAGE": args.language,
        "LEXICON": lexicon,
        "EXTENSION": extension,
        "ACTORS": actors,
        "STOPWORDS": _resolved(args.stopwords),
        "REFERENCE": args.reference,
        "BY": by,
        "CONTRAST": args.contrast or by,
        "TARGET": args.target,
        "SHEET_LEXICON": lexicons[0] if lexicons else None,
        "REUSE_MIN_WORDS": args.reuse_min_words,
        "SHEET": _resolved(args.sheet),
        "TIME": args.time,
        "CODEBOOK": _resolved(args.codebook),
        "FRAME_SHEET": _resolved(args.frame_sheet),
        "METHOD": args.method,
        "FAMILIES": [*(["lexicon"] if lexicon else []), "stance", *(["actors"] if actors else [])],
        "N_BOOT": args.n_boot,
        "N_PERM": args.n_perm,
        "SEED": args.seed,
        "LEVEL": args.level,
        "MIN_DOCS": min_docs_for(args.unit),
        "FORMATS": args.formats,
        "DPI": args.dpi,
    }
    if args.sheet is not None and not Path(args.sheet).is_file():
        raise FramingError(f"--sheet {args.sheet}: no such file; draw one with framing validate sample and code it")
    if args.sheet is not None and not lexicons:
        raise FramingError("--sheet needs --lexicon: the lexicon the sheet was drawn from")
    if args.frame_sheet is not None and not Path(args.frame_sheet).is_file():
        raise FramingError(f"--frame-sheet {args.frame_sheet}: no such file; draw one with framing code sample and code it")
    if args.frame_sheet is not None and args.codebook is None:
        raise FramingError("--frame-sheet needs --codebook: the codebook the sheet was coded with")
    if args.out is not None:
        refuse_inputs(args.out, _inputs(args), option="--out")  # never charts inside the corpus folder or over a lexicon
    out = check_figures_folder(args.out, corpus=corpus, force=args.force, parameters=parameters)
    parameters["OUT"] = str(out)
    skip = []
    if lexicon is None:
        skip.append("02")
        parameters["CATEGORY"] = "attribution_distancing"  # notebook 12 compares the stance markers within stories
        print("framing: no --lexicon, so the lexicon charts (notebook 02) are not drawn, and the profiles and the "
              "within-story chart use the stance markers alone; add one with --lexicon NAME_OR_PATH (start one with "
              "framing lexicon new NAME)", file=sys.stderr)
    if actors is None:
        skip.append("05")
        print("framing: no --actors, so the actor charts (notebook 05) are not drawn; add an actors lexicon with --actors "
              "NAME_OR_PATH (framing lexicon new NAME --template actors)", file=sys.stderr)
    if not extension:
        skip.append("07")
        print("framing: no --extension lexicon, so notebook 07 is skipped", file=sys.stderr)
    if parameters["SHEET"] is None:
        skip.append("08")
        print("framing: no --sheet (a coded sheet of framing validate sample), so notebook 08 is skipped", file=sys.stderr)
    if parameters["FRAME_SHEET"] is None:
        skip.append("11")
        print("framing: no --frame-sheet (a coded sheet of framing code sample), so notebook 11 is skipped", file=sys.stderr)
    languages = _corpus_languages(corpus, args) if args.language in (None, "detect") else [args.language]
    if args.language is None and len(languages) < 2:
        skip.append("13")
        print("framing: the corpus has no 'language' column with two languages or more, so notebook 13 (across "
              "languages) is skipped; give one, or --language detect", file=sys.stderr)
    elif len(languages) > 1:
        skip.extend(POOLING_NOTEBOOKS)
        print(f"framing: the corpus is written in {len(languages)} languages ({', '.join(languages)}), so the notebooks "
              f"that draw each group over all its documents ({', '.join(POOLING_NOTEBOOKS)}) are skipped: notebook 13 "
              "compares across languages and within each, 10 within the one with most documents; on a corpus of one "
              "language they all run",
              file=sys.stderr)
    return parameters, skip, out


def _in_child(function, *args):
    """``function(*args)``, run in a child process and its result sent back: what it imports and reads
    is freed when the child ends. What it prints and warns is said here, as it would have been without
    the child; its errors are raised here (a :class:`FramingError` as the one line it is). Ctrl-C stops both."""
    import multiprocessing
    import warnings

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, args=(send, function, args), daemon=True)
    child.start()
    send.close()
    try:
        ok, value, printed, said, warned = receive.recv()
    except EOFError:
        child.join()
        raise FramingError(f"the process that plans the run ended without an answer (exit code {child.exitcode}); "
                           "rerun, and report it if it happens again") from None
    finally:
        receive.close()
        if child.is_alive():  # this process was interrupted
            child.terminate()
        child.join()
    sys.stdout.write(printed)
    sys.stderr.write(said)
    for message, category, filename, lineno in warned:
        warnings.warn_explicit(message, category, filename, lineno)
    if not ok:
        raise value
    return value


def _child_main(send, function, args) -> None:
    import contextlib
    import io
    import signal
    import traceback
    import warnings

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to say; it stops this process,
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # at once and without a word
    printed, said = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(said), \
            warnings.catch_warnings(record=True) as caught:
        try:
            ok, value = True, function(*args)
        except Exception as exc:  # noqa: BLE001 - every error goes back to the parent, which says it in one line
            if not isinstance(exc, FramingError):
                exc.add_note("in the child process:\n" + "".join(traceback.format_exception(exc)))  # for FRAMING_DEBUG
            ok, value = False, exc
    warned = [(w.message, w.category, w.filename, w.lineno) for w in caught]
    try:
        send.send((ok, value, printed.getvalue(), said.getvalue(), warned))
    except Exception as exc:  # noqa: BLE001 - a result or an error that cannot be pickled: said as text, not lost
        value = RuntimeError(f"the planning step's {'result' if ok else 'error'} could not be sent back "
                             f"({type(exc).__name__}: {exc}): {value!r}"[:2000])
        warned = [(str(message), UserWarning, filename, lineno) for message, _, filename, lineno in warned]
        send.send((False, value, printed.getvalue(), said.getvalue(), warned))
    send.close()


POOLING_NOTEBOOKS = ("02", "03", "04", "05", "06", "07", "08", "11", "12")
"""The notebooks that draw each group over all its documents: on a corpus of several languages their
rates, profiles and models would mix measures (:func:`framing.comparison.rates.warn_pooled_languages`), and
a keyword panel of a group writing in three languages would rank three vocabularies together."""


def _corpus_languages(corpus: str, args) -> list[str]:
    """The languages of the corpus's documents (``--language detect``: detected), most documents first;
    ``[]`` without a language column. Read in one pass, texts not kept."""
    import warnings

    from framing.documents.corpus import CorpusFiles
    from framing.documents.language import languages_of
    from framing.paths import project_path
    from framing.tables import LANGUAGE

    files = CorpusFiles(project_path(corpus), text_col=args.text_col, id_col=args.id_col, language=args.language)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the notebooks say what the corpus holds
        if LANGUAGE not in next(files.batches()).documents.columns:  # no language column: the first batch says so
            return []
        metadata = files.metadata()
    return languages_of(metadata[LANGUAGE]) if LANGUAGE in metadata.columns else []


def run_rerun(args) -> None:
    import tempfile

    from framing.record import compare_record, read_record, write_record
    from framing.views.gallery import run_notebooks, settings_from_record

    record = read_record(args.record)
    base = Path(args.record).resolve().parent
    parameters = settings_from_record(record["settings"], base)
    if args.out is not None:
        out = Path(args.out)
        if out.resolve() == base:
            raise FramingError(f"{args.out} holds the recorded run; rerun into another folder (or leave out --out)")
        if out.is_dir() and any(out.iterdir()) and not args.force:
            raise FramingError(f"{args.out} is not empty; choose an empty folder, or pass --force")
    else:
        out = Path(tempfile.mkdtemp(prefix="framing-rerun-"))
    out.mkdir(parents=True, exist_ok=True)
    parameters["OUT"] = str(out.resolve())
    notebooks = list(record["notebooks"])
    run_notebooks(parameters, only=[n[:2] for n in notebooks], progress=not args.quiet)
    write_record(out, parameters, notebooks)
    differences = compare_record(args.record, out)
    for line in differences:
        print(f"framing: differs: {line}", file=sys.stderr)
    if differences:
        raise FramingError(f"the rerun of {args.record} differs in {len(differences)} place(s) (listed above); "
                           f"its outputs are in {out}")
    print(f"framing: rerun of {args.record}: {len(record['outputs'])} outputs, every one the same bytes (in {out})",
          file=sys.stderr)


def _resolved(path_or_name: str | None) -> str | None:
    """A file the kernel can read from anywhere (a lexicon name is left as it is, even when a
    folder of that name is here: lexicons, stopword lists and sheets are files)."""
    if path_or_name is None or not Path(path_or_name).is_file():
        return path_or_name
    return str(Path(path_or_name).resolve())


def run_lexicon_new(args) -> None:
    from framing.lexicon.tools import new_lexicon

    path = new_lexicon(args.name, base=args.base, folder=args.folder, template=args.template)
    print(f"framing: wrote {path}; edit it, then: framing lexicon check {args.name} --corpus CORPUS", file=sys.stderr)


def _corpus_for_tool(path: str, text_col: str):
    from framing.documents.corpus import load_corpus

    return load_corpus(path, text_col=text_col)


def run_lexicon_check(args) -> None:
    from framing.lexicon.tools import check_lexicon

    if args.output:
        refuse_inputs(args.output, _inputs(args))
    corpus = _corpus_for_tool(args.corpus, args.text_col) if args.corpus else None
    report = check_lexicon(args.lexicon, corpus, max_forms=args.max_forms)
    print(report.format())
    if args.output and report.terms is not None:
        _write(report.terms, args.output, args)


def run_lexicon_suggest(args) -> None:
    from framing.lexicon.tools import suggest_terms

    corpus = _corpus_for_tool(args.corpus, args.text_col)
    found = suggest_terms(args.lexicon, args.category, corpus, n=args.n, background=args.background,
                          min_score=args.min_score, english=not args.no_english)
    print(f"framing: {found.format()}", file=sys.stderr)
    table = found.terms
    if table.empty:
        return
    if args.output:
        _write(table, args.output, args)
    else:
        print(table.to_string(index=False))


def run_lexicon_convert(args) -> None:
    from framing.lexicon.tools import convert_lexicon

    path = convert_lexicon(args.source, args.target, force=args.force, term_col=args.term_col, category_col=args.category_col)
    print(f"framing: wrote {path}", file=sys.stderr)


def run_lexicons(args) -> None:
    from framing.lexicon.read import list_lexicons, load_lexicon

    if args.name is None:
        print(list_lexicons().to_string(index=False))
        return
    lex = load_lexicon(args.name)
    print(f"{lex.name} {lex.meta.get('version', '')} ({lex.path})")
    for key in ("description", "source", "licence", "language"):
        if lex.meta.get(key):
            print(f"  {key}: {lex.meta[key]}")
    print()
    coverage = lex.coverage() if len(lex.languages) > 1 else None
    for cat in lex.categories:
        excl = f", {len(cat.exclude)} exclusions" if cat.exclude else ""
        terms = (", ".join(f"{code} {int(n)}" for code, n in coverage.loc[cat.name].items()) + " terms"
                 if coverage is not None else f"{len(cat.terms)} terms{excl}")
        print(f"  {cat.name} ({terms}): {cat.description}")
    overlaps = lex.overlaps()
    if len(overlaps):
        print("\n  terms in several categories (allowed, counted in each):")
        for _, row in overlaps.iterrows():
            print(f"    {row['pattern']}: {row['categories'].replace(';', ', ')}")


def run_corpus(args) -> None:
    corpus = _load(args)
    docs = corpus.overview()
    shown = [c for c in docs.columns if c not in ("evidence",)]
    print(f"{len(corpus)} documents from {corpus.source}\n")
    print(docs[shown].to_string(index=False))
    report = corpus.cleaning_report
    repaired = int((report["action"] == "repaired").sum()) if "action" in report else 0
    print(f"\ncleaning removed {len(report) - repaired} lines" + (f" and repaired {repaired} (mojibake)" if repaired else "")
          + (":" if len(report) else ""))
    if len(report):
        print(report.assign(text=report["text"].str.slice(0, 70)).to_string(index=False))


def run_study_new(args) -> None:
    from framing.study import STUDY_FILE, study_template

    target = Path(args.output or STUDY_FILE)
    if target.exists():
        raise FramingError(f"{target} exists already; edit it, or write the new study elsewhere with -o FILE.toml")
    if target.suffix.lower() != ".toml":
        raise FramingError(f"{target}: a study file is TOML; give a name ending in .toml")
    corpus = _load(args)
    # the corpus path as the study file will read it: from the file's own folder
    where = Path(args.corpus).resolve()
    relative = Path(_relative(where, target.resolve().parent))
    write_text(target, study_template(corpus.documents, relative.as_posix(), text_col=args.text_col, id_col=args.id_col))
    meta = [c for c in corpus.documents.columns if c not in ("doc_id", "text", "file")]
    choose = f"; choose [groups] by among {', '.join(meta)}" if meta else "; the corpus has no metadata columns to group by"
    print(f"framing: wrote {target} for {len(corpus)} documents{choose}, then check it with framing study show",
          file=sys.stderr)


def _relative(path: Path, start: Path) -> str:
    import os

    try:
        return os.path.relpath(path, start)
    except ValueError:  # another drive (Windows)
        return str(path)


def run_study_show(args) -> None:
    from framing.study import find_study

    study = find_study(args.study)
    if study is None:
        raise FramingError("no study file here (framing.toml) and no --study FILE; write one with framing study new CORPUS")
    print(f"{study.path}: valid; {len(study.settings)} settings")
    for name, value in study.settings.items():
        print(f"  {name} = {', '.join(value) if isinstance(value, list) else value}")


def seeds_study():
    """The seeds' study file, for ``framing figures`` in the project folder without --corpus (None elsewhere)."""
    from framing.paths import project_root
    from framing.study import STUDY_FILE, read_study

    root = project_root()
    return read_study(root / "seeds" / STUDY_FILE) if root is not None and (root / "seeds" / STUDY_FILE).is_file() else None


def _table_format(path: str | None, given: str | None) -> str:
    from framing.views.paper import SUFFIXES

    if given is not None:
        return given
    if path is None:
        return "markdown"
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise FramingError(f"{path}: a table is written as .tex (LaTeX), .md (Markdown) or .html; name the file so, "
                           "or give --format")
    return SUFFIXES[suffix]


def _write_paper_table(result: pd.DataFrame, path: str, args) -> None:
    """--table: the result as a table a paper takes, beside the CSV."""
    from framing.views.paper import render

    refuse_inputs(path, _inputs(args), option="--table")
    write_text(path, render(result, _table_format(path, None)))
    print(f"framing: wrote {path}", file=sys.stderr)


def run_table(args) -> None:
    from framing.views.paper import read_result, render

    fmt = _table_format(args.output, args.table_format)
    text = render(read_result(args.result), fmt, label=args.label)
    if args.output:
        refuse_inputs(args.output, [args.result])
        write_text(args.output, text)
        print(f"framing: wrote {args.output}", file=sys.stderr)
    else:
        print(text, end="")


# --------------------------------------------------------------------------- frames from coding


def run_codebook_list(args) -> None:
    from framing.lexicon.codebook import bundled_codebooks, read_codebook

    for name in bundled_codebooks():
        book = read_codebook(name)
        print(f"{name}\t{book.meta['version']}\t{len(book.frames)} frames\t{book.meta['description']}")


def run_codebook_show(args) -> None:
    from framing.lexicon.codebook import read_codebook

    print(read_codebook(args.codebook).format())


def run_codebook_new(args) -> None:
    from framing.lexicon.codebook import new_codebook

    path = new_codebook(args.name, folder=args.folder)
    print(f"framing: wrote {path}; edit it, then: framing codebook show {path}", file=sys.stderr)


def _refuse_existing(paths, args, what: str) -> None:
    for path in paths:
        refuse_inputs(path, _inputs(args))
        if Path(path).exists() and not args.force:
            raise FramingError(f"{path} exists already ({what}); choose another name, or pass --force to replace it")


def run_code_sample(args) -> None:
    import pandas as pd

    from framing.validation.frame_sheets import (
        active_units,
        blind_frame_sheet,
        frame_sheet,
        frame_sheet_html,
    )
    from framing.validation.scores import key_path

    if not args.output.lower().endswith(".csv"):
        raise FramingError(f"{args.output}: the coding sheet is a CSV file; give a name ending in .csv")
    if (args.active is None) != (args.model is None):
        raise FramingError("--active N and --model MODEL_DIR go together: the model chooses the units it is least sure of")
    corpus = _load(args)
    if args.active is not None:
        from framing.features.frames import load_frame_model

        model = load_frame_model(args.model)
        if model.codebook.id != _codebook(args).id:
            raise FramingError(f"{args.model} was trained with codebook {model.codebook.id}, not {_codebook(args).id}")
        base = pd.read_csv(Path(args.model) / "sheet.csv", dtype=str, keep_default_na=False)
        sheet = active_units(corpus, model, base, n=args.active, by=args.by)
        book = model.codebook
    else:
        book = _codebook(args)
        sheet = frame_sheet(corpus, book, unit=args.unit, n=args.n, seed=args.seed, by=args.by)
    shown, key = blind_frame_sheet(sheet, book) if args.blind else (sheet, None)
    page = Path(args.output).with_suffix(".html")
    _refuse_existing([args.output, page] + ([key_path(args.output)] if key is not None else []), args,
                     "a coding sheet may hold hours of coding")
    _write(shown, args.output, args)
    if key is not None:
        _write(key, str(key_path(args.output)), args)
    write_text(page, frame_sheet_html(shown, book, title=f"framing frame coding sheet: {Path(args.output).name}"))
    print(f"framing: wrote {page}; code the frame columns of {args.output} (1, 0 or blank), then: "
          f"framing classify train {args.output} --codebook {args.codebook} -o MODEL_DIR", file=sys.stderr)


def _codebook(args):
    from framing.lexicon.codebook import read_codebook

    if args.codebook is None:
        raise FramingError("which codebook? give --codebook NAME_OR_PATH (policy_frames, generic_frames or a file), "
                           "or [frames] codebook in the study file")
    return read_codebook(args.codebook)


def run_classify_train(args) -> None:
    from framing.features.frames import MODEL_FILE, save_frame_model, train_frames
    from framing.validation.frame_sheets import read_frame_sheet
    from framing.validation.scores import key_path

    book = _codebook(args)
    key = args.key or (str(key_path(args.sheet)) if key_path(args.sheet).is_file() else None)
    sheet = read_frame_sheet(args.sheet, book, key=key)
    out = Path(args.output)
    refuse_inputs(out, _inputs(args))
    if (out / MODEL_FILE).exists() and not args.force:
        raise FramingError(f"{out} holds a model already; choose another folder, or pass --force to replace it")
    if out.exists() and not out.is_dir():
        raise FramingError(f"{out} is a file; the model is a folder")
    model = train_frames(sheet, book, name=args.name or out.name, recipe=args.recipe, folds=args.folds,
                        repeats=args.repeats, seed=args.seed, level=args.level, n_boot=args.n_boot)
    save_frame_model(model, out)
    from framing.views import figures, plots

    figures.save(plots.frame_scores_figure(model.scores), out, "scores_chart")  # its values: scores_chart.csv
    for frame, status in model.classifier.status_.items():
        if status != "trained":
            print(f"framing: {frame}: {status}", file=sys.stderr)
    trained = model.scores[model.scores["status"] == "trained"]
    print(f"framing: wrote {out} ({model.id}; recipe {model.classifier.recipe_}); {len(trained)} frames trained, mean F1 "
          f"{trained['f1'].mean():.2f}; see {out / 'scores.csv'} and {out / 'scores_chart.png'}", file=sys.stderr)


def run_classify_apply(args) -> None:
    from framing.features.frames import FrameUnits, load_frame_model, units_metadata

    if not args.output.lower().endswith(".parquet"):
        raise FramingError(f"{args.output}: frame units are written as Parquet (they carry the model's calibration); "
                           "give a name ending in .parquet")
    _refuse_existing([args.output], args, "the units of an earlier run")
    model = load_frame_model(args.model)
    from framing.engine import make_task
    from framing.output import TableWriter

    task = make_task(FrameUnits(model), clean=not args.no_clean, cleaning_rules=args.cleaning_rules, meta=args.meta,
                     origin=args.corpus, language=getattr(args, "language", None))
    with TableWriter(args.output, metadata=units_metadata(model)) as writer:
        for table in _tables(args, task):
            writer.write(table)
    print(f"framing: wrote {writer.rows} rows to {args.output} ({len(model.category_names)} frames x units); "
          f"then: framing classify prevalence {args.output} --by COL", file=sys.stderr)


def run_classify_prevalence(args) -> None:
    from framing.comparison.prevalence import frame_prevalence
    from framing.tables import read_frame_units

    units, meta = read_frame_units(args.frames)
    if args.by not in units.columns:
        raise FramingError(f"{args.frames}: no column '{args.by}'; its metadata columns: "
                           f"{', '.join(c for c in units.columns if c not in ('doc_id', 'unit', 'unit_index', 'start', 'end', 'n_tokens', 'text', 'frame', 'probability', 'label'))}")
    if args.reference and not args.target:
        raise FramingError("--reference needs --target")
    if args.chart is not None:
        beside = Path(args.chart).with_suffix(".csv")  # the chart's values go beside it
        if any(p is not None and Path(p).resolve() == beside.resolve() for p in (args.output, args.contrasts)):
            raise FramingError(f"--chart {args.chart} writes the values it draws to {beside}, which is an output here; "
                               "give the chart another name")
    for path in (args.contrasts, args.chart, args.chart and str(Path(args.chart).with_suffix(".csv"))):
        if path:
            _refuse_existing([path], args, "an earlier result")
    result = frame_prevalence(units, meta["calibration"], by=args.by, method=args.method, train_prior=meta["train_prior"],
                              target=args.target, reference=args.reference, n_boot=args.n_boot, seed=args.seed,
                              level=args.level, min_docs=args.min_docs)
    for line in result.note:
        print(f"framing: {line}", file=sys.stderr)
    _write(result.table, args.output, args)
    if args.contrasts:
        _write(result.contrasts, args.contrasts, args)
    if args.chart:
        from framing.views import figures, plots

        chart = Path(args.chart)
        if chart.suffix.lower() not in (".png", ".svg", ".pdf"):
            raise FramingError(f"{args.chart}: the chart is a .png, .svg or .pdf file")
        figures.save(plots.prevalence_figure(result.table), chart.parent, chart.stem, formats=(chart.suffix[1:].lower(),))


# --------------------------------------------------------------------------- the same story


def run_stories(args) -> None:
    from framing.features.stories import stories

    for path in (args.output, args.story_table):
        if path is not None:
            refuse_inputs(path, _inputs(args))
    corpus = _load(args)
    passages = None
    if args.reuse:
        from framing.features.reuse import reuse

        passages = reuse(corpus, min_words=args.reuse_min_words, time=args.time)
    result = stories(corpus, by=args.by, time=args.time, window=args.window, threshold=args.threshold, passages=passages)
    table = result.table
    shared = int((table["n_groups"] >= 2).sum()) if args.by else 0
    print(f"framing: {len(result.documents):,} documents in {len(table):,} stories "
          f"({int((table['size'] > 1).sum()):,} with more than one document"
          + (f", {shared:,} covered by at least two groups of '{args.by}'" if args.by else "") + ")", file=sys.stderr)
    if args.min_groups > 1 and not args.by:
        raise FramingError("--min-groups counts the groups of --by: give --by COL")
    if args.story_table:
        _write(table[table["n_groups"] >= args.min_groups] if args.min_groups > 1 else table, args.story_table, args)
    _write(result.documents, args.output, args)


def run_agenda(args) -> None:
    import pandas as pd

    from framing.comparison.agenda import agenda

    documents = _read_stories(args.stories)
    if args.by not in documents.columns:
        raise FramingError(f"{args.stories}: no column '{args.by}'; write it with framing stories --by {args.by}")
    chosen = None
    if args.topic:
        from framing.comparison.agenda import stories_about

        if args.story_table is None:
            raise FramingError("--topic reads the stories' top terms: give --story-table STORY_TABLE.csv (framing stories --table)")
        try:
            table = pd.read_csv(args.story_table, dtype=str, keep_default_na=False)
        except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise FramingError(f"{args.story_table}: cannot read the story table ({str(exc).splitlines()[0]})") from None
        chosen = stories_about(table, args.topic)
        print(f"framing: {len(chosen):,} stories whose top terms hold {', '.join(args.topic)}", file=sys.stderr)
    result = agenda(documents, args.by, min_groups=args.min_groups, stories=chosen)
    if args.overlap:
        _write(result.overlap, args.overlap, args)
    if args.matrix:
        _write(result.matrix.reset_index(), args.matrix, args)
    if args.chart:
        from framing.views import figures, plots

        chart = Path(args.chart)
        refuse_inputs(chart, _inputs(args))
        figures.save(plots.coverage_figure(result.matrix), chart.parent, chart.stem, formats=(chart.suffix[1:].lower() or "png",))
    _write(result.coverage.reset_index(), args.output, args)


def _read_stories(path: str) -> pd.DataFrame:
    import pandas as pd

    from framing.tables import require_columns

    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise FramingError(f"{path}: no such file; write it with framing stories CORPUS -o {path}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise FramingError(f"{path}: not a story table ({str(exc).splitlines()[0]})") from None
    require_columns(table, ["doc_id", "story"], where=path)
    return table


def _with_stories(args, features: pd.DataFrame) -> pd.DataFrame:
    """The feature table with the --within column: from --stories (matched on doc_id; a document
    without a story is an error naming it), or already one of its metadata columns."""
    from framing.tables import require_columns

    if args.stories is None:
        require_columns(features, [args.within], where="the documents (or pass --stories STORIES.csv)")
        return features
    stories = _read_stories(args.stories)
    if args.within not in stories.columns:
        raise FramingError(f"{args.stories}: no column '{args.within}'; --within names its story column (story)")
    if args.within in features.columns:
        raise FramingError(f"the documents have a column '{args.within}' already; leave out --stories, or rename it")
    mapping = stories.drop_duplicates("doc_id").set_index("doc_id")[args.within]
    missing = sorted(set(features["doc_id"]) - set(mapping.index))
    if missing:
        raise FramingError(f"{args.stories}: no story for document {missing[0]} (and {len(missing) - 1} more); write the "
                           "stories of this corpus with framing stories" if len(missing) > 1 else
                           f"{args.stories}: no story for document {missing[0]}; write the stories of this corpus")
    return features.assign(**{args.within: features["doc_id"].map(mapping)})


def _within_table(args, jobs, *, target=None) -> pd.DataFrame:
    """compare or model --within: the within-story rate ratios of every family job (target against the
    reference side, pooled into two groups, when a target is given)."""
    import numpy as np

    from framing.comparison.within import within_model
    from framing.groups import sides
    from framing.tables import LANGUAGE, stack_families

    results = []
    for family, name, _, features in jobs:
        features = _with_stories(args, features)
        by, reference = args.by, args.reference
        if target is not None:
            known = sorted(features[args.by].astype(str).unique())
            targets, references, t_name, r_name = sides(known, target, reference, args.by)
            side = features[args.by].astype(str)
            features = features[side.isin(targets + references)].assign(
                **{args.by: np.where(side[side.isin(targets + references)].isin(targets), t_name, r_name)})
            reference = r_name
        elif isinstance(reference, list):
            reference = reference[0]
        results.append((family, name, within_model(features, by, within=args.within, reference=reference, level=args.level,
                                                   cluster="doc_id" if args.within == LANGUAGE else None)))
    if args.within == LANGUAGE:
        print("framing: within language: one fixed effect per language, errors robust by document (languages are "
              "not a sample of clusters)", file=sys.stderr)
    if all(t.empty for _, _, t in results):
        if args.within == LANGUAGE:
            raise FramingError("no language is written in by two of the groups compared, so there is nothing to compare "
                               "within a language; compare each group with its language's rate (framing compare "
                               "--relative language)")
        raise FramingError(f"no {args.within} is covered by two of the groups compared, so there is nothing to compare "
                           "within stories; widen the story window (framing stories --window) or compare pooled")
    table = stack_families([r for r in results if not r[2].empty], at=2)
    if len(table) and table["warning"].str.startswith("a count model with one coefficient per group").all():
        raise FramingError(str(table["warning"].iloc[0]))
    chosen = str(table["chosen"].iloc[0]) if len(table) else ""
    if chosen:
        print(f"framing: {chosen}", file=sys.stderr)
    n_stories = int(table["n_stories"].max()) if len(table) else 0
    strata = "languages" if args.within == LANGUAGE else "stories"
    print(f"framing: within '{args.within}': rate ratios on the {strata} both groups cover (up to {n_stories:,} "
          f"{strata}; n_stories and n_docs on each row), pooled ratios beside", file=sys.stderr)
    return table
