"""The command line's parser: every command, its options and their help. Each command's
``run`` is a function of :mod:`framing.cli.commands`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import framing.cli.commands as commands
from framing.errors import FramingError
from framing.params import LEVEL, MAX_WINDOW, UNIT

EPILOG = "Errors are printed as one line; run 'framing COMMAND --help' for each command's options."


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors as one line (subcommand parsers inherit this class)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}; see '{self.prog} --help'\n")


class _Choices(Sequence):
    """The choices of an option, listed on first use (its help, or a value to check) rather than when
    the parser is built (the option names a ``metavar``, which argparse shows in place of them, so
    building it lists nothing; its help lists them with ``%(choices)s``): listing the feature families or the keyness measures imports them, and with
    them pandas, which ``framing figures`` keeps out of its process while the notebooks run."""

    def __init__(self, listed):
        self._listed, self._items = listed, None

    def _all(self) -> tuple:
        if self._items is None:
            self._items = tuple(self._listed())
        return self._items

    def __getitem__(self, index):
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())


def _days(text: str) -> int:
    """An argparse type: a whole number of days, written 3 or 3D, from 0 to 3650."""
    digits = text[:-1] if text[-1:] in ("D", "d") else text
    if not digits.isdigit() or int(digits) > 3650:
        raise argparse.ArgumentTypeError(f"expected a whole number of days from 0 to 3650, as 3 or 3D, got {text!r}")
    return int(digits)


def _unit_interval(text: str) -> float:
    """An argparse type: a number above 0 and at most 1 (a cosine similarity)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number above 0 and at most 1, got {text!r}") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"expected a number above 0 and at most 1, got {text!r}")
    return value


def _positive(text: str) -> float:
    """An argparse type: a number above zero."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number above 0, got {text!r}")
    return value


def _share(text: str) -> float:
    """An argparse type: a number from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be from 0 to 1, got {text!r}")
    return value


def _level(text: str) -> float:
    """An argparse type: the central share of an interval (:data:`framing.params.LEVEL`)."""
    try:
        value = float(text)
        LEVEL.check("the level", value)
    except ValueError as exc:  # FramingError is a ValueError
        raise argparse.ArgumentTypeError(str(exc) if isinstance(exc, FramingError) else
                                         f"expected a number above 0 and below 1, got {text!r}") from None
    return value


def _level_option(parser: argparse.ArgumentParser, *, unit: bool = False) -> None:
    parser.add_argument("--level", type=_level, default=0.95, metavar="L",
                        help="central share of every interval (default: 0.95; the table's level column says it)")
    if unit:
        parser.add_argument("--unit", default="auto", choices=list(UNIT.choices),
                            help="what the intervals and permutations resample: documents when every group has 5 "
                                 "(auto, the default), else sentences within documents; or always one of them "
                                 "(the resampled column says which)")


def _batch_mb(text: str) -> float:
    """An argparse type: a batch size above 0 and at most 10,000 MB (a larger one is no batch at all)."""
    value = _positive(text)
    if value > 10_000:
        raise argparse.ArgumentTypeError(f"must be at most 10000 (MB), got {text!r}")
    return value


def _whole(low: int, high: int | None = None):
    """An argparse type: a whole number in ``[low, high]`` (a usage error otherwise, not a silent slice)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < low or (high is not None and value > high):
            span = f"from {low} to {high}" if high is not None else f"{low} or more"
            raise argparse.ArgumentTypeError(f"must be {span}, got {value}")
        return value

    parse.__name__ = "whole number"
    return parse


class _Append(argparse.Action):
    """``action="append"`` that replaces its default (a study file's list) on first use instead of
    adding to it, so that ``--lexicon mine`` means mine, not the study's lexicon and mine."""

    def __call__(self, parser, namespace, values, option_string=None):
        current = getattr(namespace, self.dest, None)
        items = [] if current is None or current is self.default else list(current)
        setattr(namespace, self.dest, [*items, values])


def _formats(text: str) -> list[str]:
    """An argparse type: figure formats separated by commas, e.g. png,svg,pdf."""
    from framing.study import FORMATS

    chosen = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if not chosen or unknown:
        raise argparse.ArgumentTypeError(f"expected formats among {','.join(FORMATS)} separated by commas, got {text!r}")
    return list(dict.fromkeys(chosen))


def _corpus_options() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("corpus options")
    group.add_argument("corpus", nargs="?", default=None,
                       help="folder of .txt files (optional manifest.csv), or a .csv/.jsonl/.parquet table "
                            "(default: the study file's [corpus] path)")
    group.add_argument("--text-col", default=None, help="text column of a table (default: text); not for folders")
    group.add_argument("--id-col", default=None, help="id column (default: doc_id if present, else generated)")
    group.add_argument("--no-clean", action="store_true", help="keep web chrome (skip the cleaning rules)")
    group.add_argument("--cleaning-rules", default=None, metavar="PATH", help="your own cleaning-rules TOML file")
    group.add_argument("--language", default=None, metavar="CODE|detect",
                       help="the documents' language: detect (each document's, offline, adding language and "
                            "language_score), or a code such as de for all (default: the 'language' column if any, "
                            "else English)")
    return parent


def _count_options(parser: argparse.ArgumentParser) -> None:
    """--family and --lexicon of the commands that compare count tables (compare, model, trend)."""
    parser.add_argument("--family", default="lexicon", choices=_Choices(lambda: [*commands.counting_families(), "all"]),
                        metavar="FAMILY", help="feature family: %(choices)s (default: lexicon; all: lexicon, stance and actors)")
    parser.add_argument("--lexicon", action=_Append, default=None, metavar="NAME_OR_PATH",
                        help="lexicon to count, read by its family; repeat for several (default: the family's bundled lexicon)")


def _output_option(parser: argparse.ArgumentParser, *, parquet: bool = False) -> None:
    if parquet:
        parser.add_argument("-o", "--output", default=None, metavar="OUT.csv|OUT.parquet",
                            help="write here, batch by batch (.parquet: Parquet; else CSV; default: CSV on stdout)")
    else:
        parser.add_argument("-o", "--output", default=None, metavar="OUT.csv", help="write CSV here (default: stdout)")
    _force_option(parser)


def _table_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--table", default=None, metavar="OUT.tex|OUT.md|OUT.html",
                        help="also write the result as a table a paper takes: estimates with intervals in one cell, "
                             "BH stars, n, a caption (LaTeX, Markdown or HTML, by the file's suffix)")


def _within_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("the same story")
    group.add_argument("--within", default=None, metavar="COL",
                       help="compare groups within the strata of COL (story, or language): only strata covered by at "
                            "least two of the groups compared, with one fixed effect per stratum (keyness: Mantel-Haenszel "
                            "over stories; keyness is always computed within each language)")
    group.add_argument("--stories", default=None, metavar="STORIES.csv",
                       help="the per-document story table of framing stories, adding its column to the documents")


def _force_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="replace output files that exist already (default: refuse)")


def _reuse_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("text reuse")
    group.add_argument("--exclude-reused", action="store_true",
                       help="count only what each document wrote itself: text in passages shared with another "
                            "document is left out (the corpus is then read into memory)")
    group.add_argument("--reuse-time", default=None, metavar="COL",
                       help="with --exclude-reused: leave out only text copied from a document dated earlier by COL")
    group.add_argument("--reuse-min-words", type=_whole(5), default=30, metavar="N",
                       help="with --exclude-reused: shortest shared passage (default: 30 words)")


def _engine_options(parser: argparse.ArgumentParser) -> None:
    """How the documents are counted: in batches, on every core, or on a Dask cluster."""
    group = parser.add_argument_group("scale")
    group.add_argument("--jobs", type=_whole(1), default=None, metavar="N", help="worker processes (default: every core)")
    group.add_argument("--engine", default="local", choices=["local", "dask"],
                       help="local: this machine; dask: a dask.distributed cluster (pip install \"framing[dask]\")")
    group.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="with --engine dask: the scheduler to use, e.g. tcp://10.0.0.5:8786 (default: start one here)")
    group.add_argument("--batch-mb", type=_batch_mb, default=1.0, metavar="MB",
                       help="text per batch, in millions of characters (default: 1; at most 10,000)")
    group.add_argument("--quiet", action="store_true", help="no progress bar")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="framing",
        description="Compare how news outlets frame the same story: lexicon, keyword and stance features.",
        epilog=EPILOG,
    )
    parser.add_argument("--raw-csv", action="store_true",
                        help="write CSV cells as they are: no apostrophe before a cell that begins with = + - @ "
                             "(spreadsheet formula guard; also FRAMING_RAW_CSV=1)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    corpus = _corpus_options()

    p = sub.add_parser("features", parents=[corpus], help="per-document feature table (tidy CSV)",
                       description="Write one row per document and category: count, n_tokens, per_1k, with metadata.")
    p.add_argument("--family", default="lexicon", choices=_Choices(commands.family_choices), metavar="FAMILY",
                   help="feature family: %(choices)s (default: lexicon)")
    p.add_argument("--lexicon", action=_Append, default=None, metavar="NAME_OR_PATH",
                   help="lexicon to count, read by the family its [meta] names; repeat for several "
                        "(default: each family's bundled lexicon: framing, stance, actors)")
    p.add_argument("--meta", nargs="*", default=None, metavar="COL",
                   help="metadata columns to keep (default: all; --meta alone: none), e.g. --meta outlet affiliation")
    p.add_argument("--units", dest="units_out", default=None, metavar="UNITS.csv|UNITS.parquet",
                   help="also write the same counts by sentence (the unit table), counted in the same pass: "
                        "'framing compare FEATURES --units UNITS' then resamples sentences of groups under 5 documents")
    _reuse_options(p)
    _output_option(p, parquet=True)
    _engine_options(p)
    p.set_defaults(run=commands.run_features)

    p = sub.add_parser("explain", parents=[corpus], help="every match behind the counts (one row per match)",
                       description="Write one row per match: doc_id, category, pattern, matched text, span, sentence "
                                   "(and voice for stance and actors). Works for any lexicon: framing, stance, actors, yours.")
    p.add_argument("--lexicon", default="framing", metavar="NAME_OR_PATH", help="lexicon (default: framing)")
    p.add_argument("--doc", default=None, metavar="ID", help="only this document")
    p.add_argument("--category", default=None, help="only this category")
    p.add_argument("--html", default=None, metavar="OUT.html",
                   help="also write a page showing the documents with every match highlighted by category")
    p.add_argument("--by", default=None, metavar="COL", help="with --html: label documents with this column")
    p.add_argument("--mark-reused", action="store_true",
                   help="add a 'reused' column: the match lies in a passage shared with another document (in memory)")
    p.add_argument("--reuse-min-words", type=_whole(5), default=30, metavar="N",
                   help="with --mark-reused: shortest shared passage (default: 30 words)")
    _output_option(p, parquet=True)
    _engine_options(p)
    p.set_defaults(run=commands.run_explain)

    p = sub.add_parser("explore", parents=[corpus], help="one offline HTML page: terms, categories, and the sentences behind them",
                       description="Write a self-contained page (no network): every term placed by its rate in a target "
                                   "and a reference group (picked in the page), the lexicon's categories by group with "
                                   "intervals, and, for any term or category, its concordance lines and documents.")
    p.add_argument("--by", required=True, metavar="COL", help="metadata column that defines the groups")
    p.add_argument("--target", action=_Append, default=None, metavar="G", help="target group shown first (repeat for several)")
    p.add_argument("--reference", action=_Append, default=None, metavar="G", help="reference group (default: the rest)")
    p.add_argument("--lexicon", default=None, metavar="NAME_OR_PATH",
                   help="lexicon of the categories view (default: none; the stance markers are shown)")
    p.add_argument("--actors", default=None, metavar="NAME_OR_PATH", help="an actors lexicon for the categories view")
    p.add_argument("--family", action=_Append, default=None, choices=["stance", "actors"],
                   help="add a family's categories (author voice) to the categories view (repeat)")
    p.add_argument("--min-count", type=_whole(1), default=3, metavar="N", help="terms seen at least N times (default: 3)")
    p.add_argument("--max-terms", type=_whole(1), default=4000, metavar="N",
                   help="at most N terms, the most frequent (default: 4,000, so large corpora give pages that open)")
    p.add_argument("--kwic-lines", type=_whole(1), default=10, metavar="N", help="concordance lines per term (default: 10)")
    p.add_argument("--max-documents", type=_whole(1), default=200, metavar="N",
                   help="documents the page holds, the most cited by its lines (default: 200)")
    p.add_argument("-o", "--output", required=True, metavar="PAGE.html", help="the page to write")
    _force_option(p)
    p.add_argument("--in-language", default=None, metavar="CODE",
                   help="a corpus in several languages: the language whose documents the page compares (one page per language)")
    p.set_defaults(run=commands.run_explore)

    p = sub.add_parser("reuse", parents=[corpus], help="passages two documents share (text reuse)",
                       description="One row per passage two documents share: doc_a, doc_b, character spans in each, "
                                   "n_words, similarity (share of identical words), text_a, which came first (--time), "
                                   "and both documents' metadata. Found through shared word 5-grams, robust to a few "
                                   "words changed, inserted or dropped.")
    p.add_argument("--min-words", type=_whole(5), default=30, metavar="N",
                   help="shortest passage in words (default: 30, longer than any stock phrase)")
    p.add_argument("--min-similarity", type=_share, default=0.5, metavar="S",
                   help="lowest share of a passage's words identical in both documents (default: 0.5)")
    p.add_argument("--time", default=None, metavar="COL", help="date column: say which document came first")
    p.add_argument("--by", default=None, metavar="COL", help="with --matrix: the grouping column (e.g. outlet)")
    p.add_argument("--matrix", default=None, metavar="OUT.csv", help="with --by: words reused between groups")
    p.add_argument("--shares", default=None, metavar="OUT.csv",
                   help="per document: share of its words in shared passages (and from earlier ones), near-duplicates")
    _output_option(p)
    p.set_defaults(run=commands.run_reuse)

    p = sub.add_parser("counts", parents=[corpus], help="term counts per group, for keyness on corpora too large for memory",
                       description="Stream the corpus and write one row per (group, term): count and docs (documents "
                                   "using it), plus one row per group with an empty term giving its documents. "
                                   "'framing keyness COUNTS.parquet --by COL' reads it; tables of parts of a corpus "
                                   "add up (framing.merge_term_counts).")
    p.add_argument("--by", default=None, metavar="COL", help="metadata column that defines the groups (default: one group)")
    p.add_argument("--ngrams", default="1-1", metavar="MIN-MAX", help="n-gram sizes, e.g. 1-2 (default: 1-1)")
    p.add_argument("--stopwords", default=None, metavar="english|PATH", help="drop stopwords (default: keep them)")
    p.add_argument("--english", action="store_true",
                   help="count words as wordfreq does (don't, obama's whole), for 'framing keyness --reference english'")
    _output_option(p, parquet=True)
    _engine_options(p)
    p.set_defaults(run=commands.run_counts)

    p = sub.add_parser("keyness", parents=[corpus], help="keywords of each group against the rest, or one group against another",
                       description="One row per (group, term): counts, totals, rates per 1,000 words, the measure, p-value, "
                                   "log ratio and dispersion. Open any term with 'framing kwic'. CORPUS may also be a "
                                   "table of 'framing counts' (then --ngrams and --stopwords are those it was counted with).")
    p.add_argument("--by", required=True, metavar="COL", help="metadata column that defines the groups")
    p.add_argument("--target", action=_Append, default=None, metavar="G", help="target group (repeat for several)")
    p.add_argument("--reference", action=_Append, default=None, metavar="G",
                   help="reference group (repeat; default: all other groups), or 'english' for general English (wordfreq)")
    p.add_argument("--measure", default="g2", choices=_Choices(commands.measure_choices), metavar="MEASURE",
                   help="keyness measure: %(choices)s (default: g2)")
    p.add_argument("--ngrams", default="1-1", metavar="MIN-MAX", help="n-gram sizes, e.g. 1-2 (default: 1-1)")
    p.add_argument("--min-count", type=_whole(0), default=3, metavar="N", help="flag terms with fewer target hits (default: 3)")
    p.add_argument("--stopwords", default=None, metavar="english|PATH", help="drop stopwords (default: keep them)")
    p.add_argument("--background", default=None, metavar="CSV|english",
                   help="term,count table, or 'english': the prior for log_odds_dirichlet")
    p.add_argument("--top", type=_whole(1), default=None, metavar="N",
                   help="keep each group's N most over-used and N most under-used terms (what a keyword chart draws; terms under --min-count never top the over-used), as keyness(top=N) in Python")
    _within_options(p)
    _output_option(p)
    p.set_defaults(run=commands.run_keyness)

    p = sub.add_parser("compare", parents=[corpus], help="group rates with bootstrap intervals, or a target/reference contrast",
                       description="Pool each group's documents: count, n_tokens, per_1k (the rate per 1,000 words), "
                                   "ci_low/ci_high (bootstrap), n_docs, resampled, warning; one row per group, lexicon "
                                   "and category (and voice). With --target: difference and log2_ratio with bootstrap intervals, p_value (permutation) "
                                   "and p_adjusted (Benjamini-Hochberg) instead.")
    p.add_argument("--by", required=True, metavar="COL", help="metadata column that defines the groups")
    _count_options(p)
    p.add_argument("--target", action=_Append, default=None, metavar="G", help="target group (repeat for several)")
    p.add_argument("--reference", action=_Append, default=None, metavar="G",
                   help="reference group (repeat; default: all other groups)")
    p.add_argument("--n-boot", type=_whole(1), default=2000, metavar="N", help="bootstrap resamples (default: 2000)")
    p.add_argument("--n-perm", type=_whole(1), default=5000, metavar="N", help="permutations (default: 5000)")
    p.add_argument("--seed", type=_whole(0), default=0, metavar="S", help="random seed (default: 0)")
    _level_option(p, unit=True)
    _within_options(p)
    p.add_argument("--relative", action="store_true",
                   help="across languages: each group's rate in each language as a share of that language's rate "
                        "(1 = the language's mean), with bootstrap intervals; needs a language column")
    p.add_argument("--units", default=None, metavar="UNITS.csv|UNITS.parquet",
                   help="with a feature table as CORPUS: the unit table 'framing features --units' wrote beside it "
                        "(sentences to resample for groups under 5 documents)")
    _reuse_options(p)
    _table_option(p)
    _output_option(p)
    p.set_defaults(run=commands.run_compare)

    p = sub.add_parser("model", parents=[corpus], help="rate ratios of each group from a count model with covariates",
                       description="Per category: a quasi-Poisson (or negative binomial) GLM of document counts with "
                                   "log(n_tokens) as offset, the grouping against --reference and any --covariate; "
                                   "rate_ratio, ci_low, ci_high, p_value, p_adjusted (BH), n_docs, warning.")
    p.add_argument("--by", required=True, metavar="COL", help="metadata column that defines the groups")
    p.add_argument("--reference", default=None, metavar="G", help="baseline group (default: the first, sorted)")
    _count_options(p)
    p.add_argument("--model", default="quasipoisson", choices=["quasipoisson", "negbin"],
                   help="count model (default: quasipoisson)")
    p.add_argument("--covariate", action=_Append, default=[], metavar="COL", help="metadata column to control for (repeat)")
    p.add_argument("--cluster", default=None, metavar="COL", help="column for cluster-robust standard errors")
    p.add_argument("--min-docs", type=_whole(1), default=5, metavar="N",
                   help="warn when a group has fewer documents (default: 5)")
    _within_options(p)
    _reuse_options(p)
    _level_option(p)
    _table_option(p)
    _output_option(p)
    p.set_defaults(run=commands.run_model)

    p = sub.add_parser("trend", parents=[corpus], help="rates per group and period, with intervals",
                       description="Pooled rate of each category per group and period (every period present; NaN where "
                                   "no document), with a bootstrap interval over the period's documents. Documents "
                                   "with unreadable dates are named in a warning and left out.")
    p.add_argument("--by", default=None, metavar="COL",
                   help="metadata column that defines the groups (default: the whole corpus as one series)")
    p.add_argument("--time", required=True, metavar="DATECOL", help="metadata column holding each document's date")
    p.add_argument("--freq", default="M", choices=["D", "W", "M", "Q", "Y"], help="period length (default: M)")
    _count_options(p)
    p.add_argument("--n-boot", type=_whole(1), default=1000, metavar="N", help="bootstrap resamples (default: 1000)")
    _level_option(p)
    p.add_argument("--plot", default=None, metavar="OUT.png", help="also draw one category's trend here")
    p.add_argument("--category", default=None, help="with --plot: the category to draw (default: the first)")
    p.add_argument("--event", action=_Append, default=[], metavar="DATE:LABEL",
                   help='with --plot: a dated event to mark, e.g. 2021-06-18:"election day" (repeat)')
    _table_option(p)
    _output_option(p)
    p.set_defaults(run=commands.run_trend)

    p = sub.add_parser("kwic", parents=[corpus], help="concordance of a term or lexicon category",
                       description="Print every match of PATTERN with its context, aligned. PATTERN uses the "
                                   "lexicon term grammar ('election*', 'sham election*') or LEXICON:CATEGORY.")
    p.add_argument("pattern", help="a term ('regim*', 'in fact') or LEXICON:CATEGORY")
    p.add_argument("--window", type=_whole(1, MAX_WINDOW), default=8, metavar="N",
                   help=f"tokens of context on each side, 1 to {MAX_WINDOW} (default: 8)")
    p.add_argument("--by", default=None, metavar="COL", help="label lines with this metadata column")
    p.add_argument("-o", "--output", default=None, metavar="OUT.csv", help="write the concordance as CSV instead")
    _force_option(p)
    p.set_defaults(run=commands.run_kwic)

    p = sub.add_parser("figures", help="run every notebook headlessly and rewrite figures/",
                       description="Execute notebooks/NN_*.ipynb in order on the seeds (or --corpus) and write their "
                                   "charts into figures/ (or --out). Output is deterministic. Run it in the project folder.")
    p.add_argument("--corpus", default=None, metavar="PATH", help="corpus to analyse (default: seeds)")
    p.add_argument("--text-col", default=None, help="text column of a table corpus (default: text)")
    p.add_argument("--id-col", default=None, help="id column of a table corpus (default: doc_id if present)")
    p.add_argument("--language", default=None, metavar="CODE|detect",
                   help="the documents' language: detect, or a code for all (default: the 'language' column, if any); "
                        "notebook 13 compares across languages")
    p.add_argument("--lexicon", action=_Append, default=None, metavar="NAME_OR_PATH",
                   help="lexicon used wherever the bundled framing lexicon is (default: framing); repeat to "
                        "combine several plain lexicons")
    p.add_argument("--actors", default=None, metavar="NAME_OR_PATH",
                   help="actors lexicon for notebook 05 (default: actors; charts are skipped when it names no actor)")
    p.add_argument("--stopwords", default=None, metavar="english|PATH", help="stopwords for the keyword notebook (default: none)")
    p.add_argument("--reference", action=_Append, default=None, metavar="G",
                   help="group(s) of --contrast the target is set against (repeat; default: all the others)")
    p.add_argument("--extension", default=None, metavar="NAME_OR_PATH",
                   help="user lexicon for notebook 07 (default inside the project: framing_plus; elsewhere 07 is skipped)")
    p.add_argument("--sheet", default=None, metavar="CODED.csv",
                   help="a coded sheet of framing validate sample, for the validation notebook (08)")
    p.add_argument("--time", default=None, metavar="COL",
                   help="date column: stories (notebook 12) link documents only within a few days (default: none, one window)")
    p.add_argument("--codebook", default=None, metavar="NAME_OR_PATH", help="with --frame-sheet: its codebook (notebook 11)")
    p.add_argument("--frame-sheet", default=None, metavar="CODED.csv",
                   help="a coded frame sheet of framing code sample: notebook 11 trains on it and estimates frame prevalence")
    p.add_argument("--method", default="acc", choices=["acc", "pacc", "em", "cc", "pcc"],
                   help="notebook 11's prevalence correction (default: acc)")
    p.add_argument("--by", default=None, metavar="COL", help="grouping column (default: outlet)")
    p.add_argument("--contrast", default=None, metavar="COL",
                   help="column with few groups for two-sided contrasts (default: affiliation for the seeds, else --by)")
    p.add_argument("--target", default=None, metavar="G", help="group of --contrast set against the rest")
    p.add_argument("--out", default=None, metavar="DIR",
                   help="output folder (default: the project's figures/, which only the seeds may fill)")
    p.add_argument("--force", action="store_true", help="replace the figures of another run in --out")
    p.add_argument("--reuse-min-words", type=_whole(5), default=30, metavar="N",
                   help="shortest shared passage for the reuse notebook (09), in words (default: 30)")
    p.add_argument("--n-boot", type=_whole(1), default=2000, metavar="N", help="bootstrap resamples of every interval (default: 2000)")
    p.add_argument("--n-perm", type=_whole(1), default=5000, metavar="N", help="permutations of the contrasts (default: 5000)")
    p.add_argument("--seed", type=_whole(0), default=0, metavar="S", help="random seed of the resampling (default: 0)")
    _level_option(p, unit=True)
    p.add_argument("--format", dest="formats", type=_formats, default=["png"], metavar="png,svg,pdf",
                   help="figure formats, separated by commas (default: png); SVG and PDF are vector, with fixed "
                        "metadata so that a rerun gives the same bytes")
    p.add_argument("--dpi", type=_whole(50, 1200), default=150, metavar="N", help="resolution of PNG figures (default: 150)")
    p.add_argument("--only", action=_Append, default=None, metavar="NN", help="run only notebooks starting with NN")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=commands.run_figures, default_study=commands.seeds_study)

    validate = sub.add_parser("validate", help="coding sheets of sampled matches, and their precision",
                              description="Validate a lexicon against human judgement: draw a coding sheet, code it, score it.")
    steps = validate.add_subparsers(dest="step", metavar="STEP", required=True)
    q = steps.add_parser("sample", parents=[corpus], help="write a coding sheet of matches drawn at random, by pattern",
                         description="Write SHEET.csv (and SHEET.html to read it): matches drawn at random, stratified "
                                     "by pattern, with context, sampling weight and empty label/note columns.")
    q.add_argument("--lexicon", default="framing", metavar="NAME_OR_PATH", help="lexicon (default: framing)")
    q.add_argument("--category", action=_Append, default=None, help="only this category (repeat)")
    q.add_argument("--n", type=_whole(1), default=200, metavar="N", help="items, shared among the patterns (default: 200)")
    q.add_argument("--per-term", type=_whole(1), default=None, metavar="K", help="items per pattern instead")
    q.add_argument("--seed", type=_whole(0), default=0, metavar="S", help="random seed (default: 0)")
    q.add_argument("--misses", type=_whole(0), default=0, metavar="N",
                   help="also N sentences per category with no match in it, for estimating recall")
    q.add_argument("--blind", action="store_true",
                   help="leave category and pattern out of the sheet (they go to SHEET.key.csv)")
    q.add_argument("-o", "--output", required=True, metavar="SHEET.csv", help="the coding sheet to write (never over one that exists)")
    q.add_argument("--force", action="store_true",
                   help="replace an existing sheet (and its .html and key): a coded sheet is hours of work, so only on purpose")
    q.set_defaults(run=commands.run_validate_sample, guards_outputs=True)
    q = steps.add_parser("score", help="precision per category and pattern of a coded sheet",
                         description="Read a coded sheet (label 1/0, yes/no, true/false; blank: not coded) and report "
                                     "precision with Wilson intervals, the corpus-weighted category precision, and "
                                     "exclusions to consider for patterns under --threshold; with coded --misses items, the estimated recall.")
    q.add_argument("sheet", metavar="SHEET.csv")
    q.add_argument("--threshold", type=float, default=0.8, help="flag patterns under this precision (default: 0.8)")
    q.add_argument("--min-coded", type=_whole(1), default=3, metavar="N",
                   help="judge (flag, propose exclusions for) a pattern only with at least N coded items (default: 3)")
    q.add_argument("--fix", default=None, metavar="OUT.toml",
                   help="write a copy of --lexicon with the proposed exclusions added (never over an existing file)")
    q.add_argument("--lexicon", default=None, metavar="NAME_OR_PATH", help="with --fix: the lexicon the sheet was drawn from")
    q.add_argument("-o", "--output", default=None, metavar="REPORT.csv", help="write the report here (default: stdout)")
    _force_option(q)
    q.set_defaults(run=commands.run_validate_score)

    q = steps.add_parser("agree", help="agreement of two coders' sheets of the same items",
                         description="n, percent_agreement, cohen_kappa and krippendorff_alpha (nominal), per "
                                     "category (or, with --codebook, per frame) and overall, from two coded copies of "
                                     "one sheet (matched on item_id).")
    q.add_argument("first", metavar="SHEET_A")
    q.add_argument("second", metavar="SHEET_B")
    q.add_argument("--codebook", default=None, metavar="NAME_OR_PATH",
                   help="the sheets are frame sheets (framing code sample) of this codebook: agreement per frame")
    q.add_argument("-o", "--output", default=None, metavar="OUT.csv", help="write the table here (default: stdout)")
    _force_option(q)
    q.set_defaults(run=commands.run_validate_agree)

    p = sub.add_parser("stories", parents=[corpus], help="group documents into stories (the same event)",
                       description="One row per document with its story (-o), and one per story (--table): size, groups "
                                   "covering it, first and last date, top terms, cohesion. Documents are linked when their "
                                   "TF-IDF cosine reaches --threshold within --window days (or share a passage, with "
                                   "--reuse); a story is a connected set of linked documents.")
    p.add_argument("--by", default=None, metavar="COL", help="the groups (outlets) each story counts and names")
    p.add_argument("--time", default=None, metavar="COL", help="date column (default: none: the corpus is one window)")
    p.add_argument("--window", type=_days, default=3, metavar="DAYS",
                   help="days between documents of a story, as 3 or 3D (default: 3)")
    p.add_argument("--min-groups", "--min-outlets", dest="min_groups", type=_whole(1), default=1, metavar="N",
                   help="--table lists only stories covered by at least N groups of --by (default: 1, every story)")
    p.add_argument("--threshold", type=_unit_interval, default=0.3, metavar="COS",
                   help="cosine similarity that links two documents (default: 0.3)")
    p.add_argument("--reuse", action="store_true", help="also link documents that share a passage (framing reuse)")
    p.add_argument("--reuse-min-words", type=_whole(5), default=30, metavar="N", help="with --reuse: shortest passage (default: 30)")
    p.add_argument("--table", dest="story_table", default=None, metavar="STORY_TABLE.csv", help="also write one row per story")
    _output_option(p)
    p.set_defaults(run=commands.run_stories)

    p = sub.add_parser("agenda", help="each group's coverage of stories, and how the groups' agendas overlap",
                       description="From STORIES.csv (framing stories): per group, documents, stories, shared stories "
                                   "(covered by --min-groups groups), its documents in them and their share, stories it "
                                   "alone covered; --overlap: stories each pair of groups covered in common; --matrix: "
                                   "group x story documents of the largest shared stories; --chart: the 25 largest.")
    p.add_argument("stories", metavar="STORIES.csv")
    p.add_argument("--by", required=True, metavar="COL", help="the groups (a column of STORIES.csv)")
    p.add_argument("--min-groups", type=_whole(2), default=2, metavar="N", help="groups that make a story shared (default: 2)")
    p.add_argument("--overlap", default=None, metavar="OVERLAP.csv",
                   help="write the stories each pair of groups covered in common here (one row per pair)")
    p.add_argument("--matrix", default=None, metavar="MATRIX.csv",
                   help="write the group x story matrix of the 100 largest shared stories here")
    p.add_argument("--chart", default=None, metavar="CHART.png", help="draw the coverage of the largest shared stories")
    p.add_argument("--topic", action=_Append, default=None, metavar="WORD",
                   help="only stories whose top terms hold this word (repeat for several; needs --story-table)")
    p.add_argument("--story-table", default=None, metavar="STORY_TABLE.csv", help="the story table of framing stories --table")
    _output_option(p)
    p.set_defaults(run=commands.run_agenda)

    codebook = sub.add_parser("codebook", help="list, show and start codebooks of frames",
                              description="Codebooks list the frames coders mark (TOML with provenance, like a lexicon).")
    steps = codebook.add_subparsers(dest="step", metavar="STEP", required=True)
    q = steps.add_parser("list", help="the bundled codebooks")
    q.set_defaults(run=commands.run_codebook_list)
    q = steps.add_parser("show", help="check a codebook and print its frames, definitions and questions")
    q.add_argument("codebook", metavar="NAME_OR_PATH")
    q.set_defaults(run=commands.run_codebook_show)
    q = steps.add_parser("new", help="write a starter codebook to edit")
    q.add_argument("name")
    q.add_argument("--folder", default=None, help="where to write NAME.toml (default: ./codebooks)")
    q.set_defaults(run=commands.run_codebook_new)

    code = sub.add_parser("code", help="coding sheets of units (sentences, paragraphs, documents) for frames",
                          description="Draw units for coders to mark with the frames of a codebook.")
    steps = code.add_subparsers(dest="step", metavar="STEP", required=True)
    q = steps.add_parser("sample", parents=[corpus], help="write a frame coding sheet of units drawn at random",
                         description="Write SHEET.csv (and SHEET.html, the codebook and the units to read): units drawn "
                                     "at random, stratified by --by when given, one empty column per frame (code 1, 0, or "
                                     "leave blank). With --active N and --model, add to the model's sheet the N units "
                                     "it is least sure of, marked sample=active.")
    q.add_argument("--codebook", default=None, metavar="NAME_OR_PATH",
                   help="codebook: policy_frames, generic_frames or a file (default: the study's [frames] codebook)")
    q.add_argument("--unit", default=None, choices=["sentence", "paragraph", "document"],
                   help="what a coder codes (default: the codebook's [meta] unit, else sentence)")
    q.add_argument("--n", type=_whole(1), default=200, metavar="N", help="units to draw (default: 200)")
    q.add_argument("--seed", type=_whole(0), default=0, metavar="S", help="random seed (default: 0)")
    q.add_argument("--by", default=None, metavar="COL", help="stratify by this metadata column (N shared evenly)")
    q.add_argument("--blind", action="store_true",
                   help="show the coder the text only (document, group and draw go to SHEET.key.csv)")
    q.add_argument("--active", type=_whole(1), default=None, metavar="N",
                   help="instead: the model's sheet plus the N corpus units it is least sure of (needs --model)")
    q.add_argument("--model", default=None, metavar="MODEL_DIR", help="with --active: the model (framing classify train)")
    q.add_argument("-o", "--output", required=True, metavar="SHEET.csv", help="the coding sheet to write (never over one that exists)")
    q.add_argument("--force", action="store_true", help="replace an existing sheet (and its .html and key)")
    q.set_defaults(run=commands.run_code_sample, guards_outputs=True)

    classify = sub.add_parser("classify", help="learn frames from a coded sheet, apply them, and estimate their prevalence",
                              description="train: a classifier per frame from a coded sheet; apply: every unit's "
                                          "probability and label; prevalence: each group's frame shares, corrected "
                                          "for the classifier's errors. The frames are also a family: "
                                          "--lexicon MODEL_DIR on features, explain, compare, model, trend, explore.")
    steps = classify.add_subparsers(dest="step", metavar="STEP", required=True)
    q = steps.add_parser("train", help="train a frame classifier on a coded sheet and score it by cross-validation",
                         description="Write MODEL_DIR: model.toml (recipe, seed), sheet.csv, codebook.toml, scores.csv "
                                     "(precision, recall, F1 with intervals; tpr/fpr), predictions.csv (out of fold) and "
                                     "scores_chart.png. No pickle: the model is refitted from these files when used.")
    q.add_argument("sheet", metavar="SHEET.csv")
    q.add_argument("--codebook", default=None, metavar="NAME_OR_PATH",
                   help="the codebook the sheet was coded with (default: the study's [frames] codebook)")
    q.add_argument("--key", default=None, metavar="KEY.csv", help="the key of a blind sheet (default: SHEET.key.csv if present)")
    q.add_argument("--name", default=None, help="the model's name in feature tables (default: MODEL_DIR's name)")
    q.add_argument("--recipe", default="auto", choices=["auto", "logreg", "logreg_c10", "svm"],
                   help="classifier (default: auto, the best mean F1 in cross-validation)")
    q.add_argument("--folds", type=_whole(2, 20), default=5, metavar="K", help="cross-validation folds (default: 5)")
    q.add_argument("--repeats", type=_whole(1, 20), default=5, metavar="R", help="cross-validation repeats (default: 5)")
    q.add_argument("--seed", type=_whole(0), default=0, metavar="S", help="random seed (default: 0)")
    q.add_argument("--n-boot", type=_whole(1), default=1000, metavar="N", help="bootstrap resamples of the scores' intervals (default: 1000)")
    _level_option(q)
    q.add_argument("-o", "--output", required=True, metavar="MODEL_DIR", help="folder to write the model into")
    q.add_argument("--force", action="store_true", help="replace the model files in an existing MODEL_DIR")
    q.set_defaults(run=commands.run_classify_train, guards_outputs=True)
    q = steps.add_parser("apply", parents=[corpus], help="every unit's probability and label for each frame (Parquet)",
                         description="Write FRAMES.parquet: one row per unit and frame (doc_id, metadata, unit, span, "
                                     "text, probability, label), with the model's calibration stored in the file for "
                                     "framing classify prevalence.")
    q.add_argument("--model", required=True, metavar="MODEL_DIR", help="the model (framing classify train)")
    q.add_argument("--meta", nargs="*", default=None, metavar="COL", help="metadata columns to keep (default: all)")
    q.add_argument("-o", "--output", required=True, metavar="FRAMES.parquet", help="the units to write")
    _force_option(q)
    _engine_options(q)
    q.set_defaults(run=commands.run_classify_apply)
    q = steps.add_parser("prevalence", help="each group's share of units with each frame, corrected for classifier error",
                         description="Per group and frame: the corrected share (--method) with a bootstrap interval that "
                                     "carries the classifier's error and the sampling of units (by document), plain "
                                     "classify-and-count beside it; and contrasts between groups with BH-adjusted p-values.")
    q.add_argument("frames", metavar="FRAMES.parquet", help="written by framing classify apply")
    q.add_argument("--by", required=True, metavar="COL", help="grouping column")
    q.add_argument("--method", default="acc", choices=["acc", "pacc", "em", "cc", "pcc"],
                   help="acc: adjusted count (Forman 2008, default); pacc: probabilistic (Bella et al. 2010); "
                        "em: Saerens et al. 2002; cc, pcc: uncorrected")
    q.add_argument("--target", action=_Append, default=None, metavar="GROUP", help="contrast this group (repeat) with the others")
    q.add_argument("--reference", action=_Append, default=None, metavar="GROUP", help="with --target: only against these groups")
    q.add_argument("--n-boot", type=_whole(1), default=2000, metavar="N", help="bootstrap resamples (default: 2000)")
    q.add_argument("--seed", type=_whole(0), default=0, metavar="S", help="random seed (default: 0)")
    q.add_argument("--min-docs", type=_whole(1), default=5, metavar="N",
                   help="groups with fewer documents have their units resampled within documents (default: 5)")
    _level_option(q)
    q.add_argument("-o", "--output", default=None, metavar="OUT.csv", help="the prevalence table (default: stdout)")
    q.add_argument("--contrasts", default=None, metavar="CONTRASTS.csv", help="write the contrasts between groups here")
    q.add_argument("--chart", default=None, metavar="CHART.png", help="draw the prevalence chart here")
    _force_option(q)
    q.set_defaults(run=commands.run_classify_prevalence)

    lexicon = sub.add_parser("lexicon", help="create, check, extend and convert lexicons",
                             description="Work on your own lexicons (kept in ./lexicons or $FRAMING_LEXICON_PATH).")
    tools = lexicon.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = tools.add_parser("new", help="write a starter lexicon file",
                         description="Write NAME.toml (metadata filled in, one example category) into ./lexicons "
                                     "or --folder; --from copies a bundled lexicon to edit. Never overwrites.")
    q.add_argument("name")
    q.add_argument("--from", dest="base", default=None, metavar="LEXICON", help="start from a copy of this lexicon")
    q.add_argument("--folder", default=None, metavar="DIR", help="where to write it (default: ./lexicons)")
    q.add_argument("--template", default="lexicon", choices=["lexicon", "actors"],
                   help="what to start from: a plain lexicon, or an actors lexicon (ACTOR.CONNOTATION categories)")
    q.set_defaults(run=commands.run_lexicon_new)
    q = tools.add_parser("check", help="validate a lexicon; with --corpus, report its coverage",
                         description="Validate (exit 2 on errors). With --corpus: hits and documents per term, terms "
                                     "that never match, wildcards catching many words, shared terms, dominant terms.")
    q.add_argument("lexicon", metavar="PATH_OR_NAME")
    q.add_argument("--corpus", default=None, help="a corpus to measure coverage on")
    q.add_argument("--text-col", default=None, help="text column of a table corpus (default: text)")
    q.add_argument("--max-forms", type=_whole(1), default=5, metavar="N",
                   help="flag wildcards matching more than N different words (default: 5)")
    q.add_argument("-o", "--output", default=None, metavar="OUT.csv", help="also write the per-term table")
    _force_option(q)
    q.set_defaults(run=commands.run_lexicon_check)
    q = tools.add_parser("suggest", help="candidate terms for a category, learned from a corpus",
                         description="Rank words by distributional similarity (PPMI + SVD over the corpus and an "
                                     "optional background corpus) to the category's current terms. Offline, deterministic.")
    q.add_argument("lexicon", metavar="PATH_OR_NAME")
    q.add_argument("category")
    q.add_argument("--corpus", required=True)
    q.add_argument("--text-col", default=None, help="text column of a table corpus (default: text)")
    q.add_argument("--background", default=None, metavar="PATH", help="a larger corpus for the co-occurrence statistics")
    q.add_argument("-n", type=_whole(1), default=30, help="number of suggestions (default: 30)")
    q.add_argument("--min-score", type=float, default=0.0, help="cosine threshold (default: 0)")
    q.add_argument("--no-english", action="store_true",
                   help="do not down-weight words merely common in general English (wordfreq)")
    q.add_argument("-o", "--output", default=None, metavar="OUT.csv", help="write the suggestions as CSV instead")
    _force_option(q)
    q.set_defaults(run=commands.run_lexicon_suggest)
    q = tools.add_parser("convert", help="convert a LIWC .dic, CSV or YAML lexicon to native TOML",
                         description="Read IN (.toml, .dic, .csv, .yaml) and write OUT.toml, keeping provenance fields.")
    q.add_argument("source", metavar="IN")
    q.add_argument("target", metavar="OUT.toml")
    q.add_argument("--force", action="store_true", help="replace OUT.toml if it exists")
    q.add_argument("--term-col", default=None, metavar="COL", help="a CSV dictionary's term column (default: term)")
    q.add_argument("--category-col", default=None, metavar="COL", help="a CSV dictionary's category column (default: category)")
    q.set_defaults(run=commands.run_lexicon_convert)

    p = sub.add_parser("lexicons", help="list bundled and user lexicons, or show one",
                       description="List lexicons with version and category counts; with NAME, show its categories.")
    p.add_argument("name", nargs="?", default=None, help="a lexicon name or path to show in detail")
    p.set_defaults(run=commands.run_lexicons)

    p = sub.add_parser("corpus", parents=[corpus], help="summary of a corpus and what cleaning removed",
                       description="Print documents with token counts, then every line the cleaning rules removed.")
    p.set_defaults(run=commands.run_corpus)

    p = sub.add_parser("table", help="a result of compare, model or trend as a LaTeX, Markdown or HTML table",
                       description="Write RESULT (a CSV or Parquet of framing compare, model or trend) as a table a "
                                   "paper takes: each estimate with its interval in one cell, stars for BH-adjusted "
                                   "p-values, the documents behind each group, and a caption naming the grouping, "
                                   "lexicon and interval. Estimates show three significant digits, intervals the "
                                   "same decimals.")
    p.add_argument("result", metavar="RESULT.csv")
    p.add_argument("--format", dest="table_format", default=None, choices=["latex", "markdown", "html"],
                   help="table format (default: from the -o file's suffix, .tex .md .html; else markdown)")
    p.add_argument("--label", default=None, metavar="tab:NAME", help="LaTeX label of the table")
    p.add_argument("-o", "--output", default=None, metavar="OUT.tex|OUT.md|OUT.html", help="write here (default: stdout)")
    _force_option(p)
    p.set_defaults(run=commands.run_table)

    p = sub.add_parser("rerun", help="run a recorded run (run.json) again and report every output whose bytes differ",
                       description="Read RUN.json (framing figures writes it beside its figures: settings, inputs and "
                                   "outputs with their hashes, software), run the same notebooks with the same settings "
                                   "into a new folder, and report every input that changed and every output whose bytes "
                                   "differ (exit 2 if any).")
    p.add_argument("record", metavar="RUN.json")
    p.add_argument("--out", default=None, metavar="DIR", help="where the rerun writes (default: a new temporary folder)")
    p.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=commands.run_rerun)

    study = sub.add_parser("study", help="a study file (framing.toml): the choices every command of a study shares",
                           description="A study file holds a study's corpus, columns, grouping, lexicons, resampling "
                                       "and outputs. Commands find framing.toml in the current folder, or take --study "
                                       "FILE; an option given on the command line wins.")
    steps = study.add_subparsers(dest="step", metavar="STEP", required=True)
    q = steps.add_parser("new", parents=[corpus], help="write a commented study file for a corpus",
                         description="Write framing.toml (or -o FILE) for CORPUS: its path and columns filled in, its "
                                     "metadata columns listed with their distinct values, and the choices only you can "
                                     "make (grouping, lexicons) left commented out. Never overwrites.")
    q.add_argument("-o", "--output", default=None, metavar="FILE.toml", help="where to write it (default: framing.toml here)")
    q.set_defaults(run=commands.run_study_new, guards_outputs=True, needs_corpus=True)
    q = steps.add_parser("show", help="check a study file and print the settings it gives",
                         description="Read the study file (--study FILE, or framing.toml here), check every key, and "
                                     "print each setting with the value commands will use.")
    q.set_defaults(run=commands.run_study_show)
    _study_option(parser)
    return parser


def _study_option(parser: argparse.ArgumentParser) -> None:
    """--study FILE on every command (each leaf of the command tree)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                _study_option(child)
            return
    if parser.prog != "framing":
        from framing.study import SCHEMA, setting_name

        settings = {setting_name(section, key) for section, keys in SCHEMA.items() for key in keys}
        for option in parser._actions:  # a required option a study may give is checked once its settings are in
            if option.required and option.option_strings and option.dest in settings:
                option.required = False
                parser.set_defaults(**{f"_needs_{option.dest}": option.option_strings[0]})
        parser.add_argument("--study", default=None, metavar="FILE.toml",
                            help="the study file whose settings this command takes (default: framing.toml here, if any); "
                                 "options given here win")


def leaf_parser(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The parser of the command ``args`` ran (``framing validate sample``: the parser of sample)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return leaf_parser(action.choices[getattr(args, action.dest)], args)
    return parser
