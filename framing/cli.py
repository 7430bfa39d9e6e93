"""Command-line front end: ``framing COMMAND ...``. Every error is one line on stderr and exit code 2."""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import threading
import warnings
from contextlib import nullcontext
from pathlib import Path

import pandas as pd

from framing.errors import FramingError
from framing.output import (
    RAW_CSV_ENV,
    refuse_inputs,
    spreadsheet_safe,
    write_table,
    write_text,
)
from framing.params import MAX_WINDOW
from framing.tables import (
    family_tables,
    is_feature_table,
    read_feature_table,
    read_unit_table,
    require_columns,
    table_columns,
)

EPILOG = "Errors are printed as one line; run 'framing COMMAND --help' for each command's options."


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors as one line (subcommand parsers inherit this class)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}; see '{self.prog} --help'\n")


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


def _corpus_options() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("corpus options")
    group.add_argument("corpus", help="folder of .txt files (optional manifest.csv), or a .csv/.jsonl/.parquet table")
    group.add_argument("--text-col", default=None, help="text column of a table (default: text); not for folders")
    group.add_argument("--id-col", default=None, help="id column (default: doc_id if present, else generated)")
    group.add_argument("--no-clean", action="store_true", help="keep web chrome (skip the cleaning rules)")
    group.add_argument("--cleaning-rules", default=None, metavar="PATH", help="your own cleaning-rules TOML file")
    return parent


def _count_options(parser: argparse.ArgumentParser) -> None:
    """--family and --lexicon of the commands that compare count tables (compare, model, trend)."""
    parser.add_argument("--family", default="lexicon", choices=[*_count_families(), "all"],
                        help="feature family (default: lexicon; all: lexicon, stance and actors)")
    parser.add_argument("--lexicon", action="append", default=None, metavar="NAME_OR_PATH",
                        help="lexicon to count, read by its family; repeat for several (default: the family's bundled lexicon)")


def _output_option(parser: argparse.ArgumentParser, *, parquet: bool = False) -> None:
    if parquet:
        parser.add_argument("-o", "--output", default=None, metavar="OUT.csv|OUT.parquet",
                            help="write here, batch by batch (.parquet: Parquet; else CSV; default: CSV on stdout)")
    else:
        parser.add_argument("-o", "--output", default=None, metavar="OUT.csv", help="write CSV here (default: stdout)")
    _force_option(parser)


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
    p.add_argument("--family", default="lexicon", choices=_families(), help="feature family (default: lexicon)")
    p.add_argument("--lexicon", action="append", default=None, metavar="NAME_OR_PATH",
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
    p.set_defaults(run=_run_features)

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
    p.set_defaults(run=_run_explain)

    p = sub.add_parser("explore", parents=[corpus], help="one offline HTML page: terms, categories, and the sentences behind them",
                       description="Write a self-contained page (no network): every term placed by its rate in a target "
                                   "and a reference group (picked in the page), the lexicon's categories by group with "
                                   "intervals, and, for any term or category, its concordance lines and documents.")
    p.add_argument("--by", required=True, metavar="COL", help="metadata column that defines the groups")
    p.add_argument("--target", action="append", default=None, metavar="G", help="target group shown first (repeat for several)")
    p.add_argument("--reference", action="append", default=None, metavar="G", help="reference group (default: the rest)")
    p.add_argument("--lexicon", default=None, metavar="NAME_OR_PATH",
                   help="lexicon of the categories view (default: none; the stance markers are shown)")
    p.add_argument("--actors", default=None, metavar="NAME_OR_PATH", help="an actors lexicon for the categories view")
    p.add_argument("--family", action="append", default=None, choices=["stance", "actors"],
                   help="add a family's categories (author voice) to the categories view (repeat)")
    p.add_argument("--min-count", type=_whole(1), default=3, metavar="N", help="terms seen at least N times (default: 3)")
    p.add_argument("--max-terms", type=_whole(1), default=4000, metavar="N",
                   help="at most N terms, the most frequent (default: 4,000, so large corpora give pages that open)")
    p.add_argument("--kwic-lines", type=_whole(1), default=10, metavar="N", help="concordance lines per term (default: 10)")
    p.add_argument("--max-documents", type=_whole(1), default=200, metavar="N",
                   help="documents the page holds, the most cited by its lines (default: 200)")
    p.add_argument("-o", "--output", required=True, metavar="PAGE.html", help="the page to write")
    _force_option(p)
    p.set_defaults(run=_run_explore)

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
    p.set_defaults(run=_run_reuse)

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
    p.set_defaults(run=_run_counts)

    p = sub.add_parser("keyness", parents=[corpus], help="keywords of each group against the rest, or one group against another",
                       description="One row per (group, term): counts, totals, rates per 1,000 words, the measure, p-value, "
                                   "log ratio and dispersion. Open any term with 'framing kwic'. CORPUS may also be a "
                                   "table of 'framing counts' (then --ngrams and --stopwords are those it was counted with).")
    p.add_argument("--by", required=True, metavar="COL", help="metadata column that defines the groups")
    p.add_argument("--target", action="append", default=None, metavar="G", help="target group (repeat for several)")
    p.add_argument("--reference", action="append", default=None, metavar="G",
                   help="reference group (repeat; default: all other groups), or 'english' for general English (wordfreq)")
    p.add_argument("--measure", default="g2", choices=list(_measures()), help="keyness measure (default: g2)")
    p.add_argument("--ngrams", default="1-1", metavar="MIN-MAX", help="n-gram sizes, e.g. 1-2 (default: 1-1)")
    p.add_argument("--min-count", type=_whole(0), default=3, metavar="N", help="flag terms with fewer target hits (default: 3)")
    p.add_argument("--stopwords", default=None, metavar="english|PATH", help="drop stopwords (default: keep them)")
    p.add_argument("--background", default=None, metavar="CSV|english",
                   help="term,count table, or 'english': the prior for log_odds_dirichlet")
    p.add_argument("--top", type=_whole(1), default=None, metavar="N", help="keep the top N terms per group")
    _output_option(p)
    p.set_defaults(run=_run_keyness)

    p = sub.add_parser("compare", parents=[corpus], help="group rates with bootstrap intervals, or a target/reference contrast",
                       description="Pool each group's documents: count, n_tokens, per_1k (the rate per 1,000 words), "
                                   "ci_low/ci_high (bootstrap), n_docs, resampled, warning; one row per group, lexicon "
                                   "and category (and voice). With --target: difference and log2_ratio with bootstrap intervals, p_value (permutation) "
                                   "and p_adjusted (Benjamini-Hochberg) instead.")
    p.add_argument("--by", required=True, metavar="COL", help="metadata column that defines the groups")
    _count_options(p)
    p.add_argument("--target", action="append", default=None, metavar="G", help="target group (repeat for several)")
    p.add_argument("--reference", action="append", default=None, metavar="G",
                   help="reference group (repeat; default: all other groups)")
    p.add_argument("--n-boot", type=_whole(1), default=2000, metavar="N", help="bootstrap resamples (default: 2000)")
    p.add_argument("--n-perm", type=_whole(1), default=5000, metavar="N", help="permutations (default: 5000)")
    p.add_argument("--seed", type=_whole(0), default=0, metavar="S", help="random seed (default: 0)")
    p.add_argument("--units", default=None, metavar="UNITS.csv|UNITS.parquet",
                   help="with a feature table as CORPUS: the unit table 'framing features --units' wrote beside it "
                        "(sentences to resample for groups under 5 documents)")
    _reuse_options(p)
    _output_option(p)
    p.set_defaults(run=_run_compare)

    p = sub.add_parser("model", parents=[corpus], help="rate ratios of each group from a count model with covariates",
                       description="Per category: a quasi-Poisson (or negative binomial) GLM of document counts with "
                                   "log(n_tokens) as offset, the grouping against --reference and any --covariate; "
                                   "rate_ratio, ci_low, ci_high, p_value, p_adjusted (BH), n_docs, warning.")
    p.add_argument("--by", required=True, metavar="COL", help="metadata column that defines the groups")
    p.add_argument("--reference", default=None, metavar="G", help="baseline group (default: the first, sorted)")
    _count_options(p)
    p.add_argument("--model", default="quasipoisson", choices=["quasipoisson", "negbin"],
                   help="count model (default: quasipoisson)")
    p.add_argument("--covariate", action="append", default=[], metavar="COL", help="metadata column to control for (repeat)")
    p.add_argument("--cluster", default=None, metavar="COL", help="column for cluster-robust standard errors")
    p.add_argument("--min-docs", type=_whole(1), default=5, metavar="N",
                   help="warn when a group has fewer documents (default: 5)")
    _output_option(p)
    p.set_defaults(run=_run_model)

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
    p.add_argument("--plot", default=None, metavar="OUT.png", help="also draw one category's trend here")
    p.add_argument("--category", default=None, help="with --plot: the category to draw (default: the first)")
    p.add_argument("--event", action="append", default=[], metavar="DATE:LABEL",
                   help='with --plot: a dated event to mark, e.g. 2021-06-18:"election day" (repeat)')
    _output_option(p)
    p.set_defaults(run=_run_trend)

    p = sub.add_parser("kwic", parents=[corpus], help="concordance of a term or lexicon category",
                       description="Print every match of PATTERN with its context, aligned. PATTERN uses the "
                                   "lexicon term grammar ('election*', 'sham election*') or LEXICON:CATEGORY.")
    p.add_argument("pattern", help="a term ('regim*', 'in fact') or LEXICON:CATEGORY")
    p.add_argument("--window", type=_whole(1, MAX_WINDOW), default=8, metavar="N",
                   help=f"tokens of context on each side, 1 to {MAX_WINDOW} (default: 8)")
    p.add_argument("--by", default=None, metavar="COL", help="label lines with this metadata column")
    p.add_argument("-o", "--output", default=None, metavar="OUT.csv", help="write the concordance as CSV instead")
    _force_option(p)
    p.set_defaults(run=_run_kwic)

    p = sub.add_parser("figures", help="run every notebook headlessly and rewrite figures/",
                       description="Execute notebooks/NN_*.ipynb in order on the seeds (or --corpus) and write their "
                                   "charts into figures/ (or --out). Output is deterministic. Run it in the project folder.")
    p.add_argument("--corpus", default=None, metavar="PATH", help="corpus to analyse (default: seeds)")
    p.add_argument("--text-col", default=None, help="text column of a table corpus (default: text)")
    p.add_argument("--id-col", default=None, help="id column of a table corpus (default: doc_id if present)")
    p.add_argument("--lexicon", action="append", default=None, metavar="NAME_OR_PATH",
                   help="lexicon used wherever the bundled framing lexicon is (default: framing); repeat to "
                        "combine several plain lexicons")
    p.add_argument("--actors", default=None, metavar="NAME_OR_PATH",
                   help="actors lexicon for notebook 05 (default: actors; charts are skipped when it names no actor)")
    p.add_argument("--stopwords", default=None, metavar="english|PATH", help="stopwords for the keyword notebook (default: none)")
    p.add_argument("--reference", action="append", default=None, metavar="G",
                   help="group(s) of --contrast the target is set against (repeat; default: all the others)")
    p.add_argument("--extension", default=None, metavar="NAME_OR_PATH",
                   help="user lexicon for notebook 07 (default inside the project: framing_plus; elsewhere 07 is skipped)")
    p.add_argument("--sheet", default=None, metavar="CODED.csv",
                   help="a coded sheet of framing validate sample, for the validation notebook (08)")
    p.add_argument("--by", default=None, metavar="COL", help="grouping column (default: outlet)")
    p.add_argument("--contrast", default=None, metavar="COL",
                   help="column with few groups for two-sided contrasts (default: affiliation for the seeds, else --by)")
    p.add_argument("--target", default=None, metavar="G", help="group of --contrast set against the rest")
    p.add_argument("--out", default=None, metavar="DIR",
                   help="output folder (default: the project's figures/, which only the seeds may fill)")
    p.add_argument("--force", action="store_true", help="replace the figures of another run in --out")
    p.add_argument("--only", action="append", default=None, metavar="NN", help="run only notebooks starting with NN")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=_run_figures)

    validate = sub.add_parser("validate", help="coding sheets of sampled matches, and their precision",
                              description="Validate a lexicon against human judgement: draw a coding sheet, code it, score it.")
    steps = validate.add_subparsers(dest="step", metavar="STEP", required=True)
    q = steps.add_parser("sample", parents=[corpus], help="write a coding sheet of matches drawn at random, by pattern",
                         description="Write SHEET.csv (and SHEET.html to read it): matches drawn at random, stratified "
                                     "by pattern, with context, sampling weight and empty label/note columns.")
    q.add_argument("--lexicon", default="framing", metavar="NAME_OR_PATH", help="lexicon (default: framing)")
    q.add_argument("--category", action="append", default=None, help="only this category (repeat)")
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
    q.set_defaults(run=_run_validate_sample, guards_outputs=True)
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
    q.set_defaults(run=_run_validate_score)

    q = steps.add_parser("agree", help="agreement of two coders' sheets of the same items",
                         description="n, percent_agreement, cohen_kappa and krippendorff_alpha (nominal), per "
                                     "category and overall, from two coded copies of one sheet (matched on item_id).")
    q.add_argument("first", metavar="SHEET_A")
    q.add_argument("second", metavar="SHEET_B")
    q.add_argument("-o", "--output", default=None, metavar="OUT.csv", help="write the table here (default: stdout)")
    _force_option(q)
    q.set_defaults(run=_run_validate_agree)

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
    q.set_defaults(run=_run_lexicon_new)
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
    q.set_defaults(run=_run_lexicon_check)
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
    q.set_defaults(run=_run_lexicon_suggest)
    q = tools.add_parser("convert", help="convert a LIWC .dic, CSV or YAML lexicon to native TOML",
                         description="Read IN (.toml, .dic, .csv, .yaml) and write OUT.toml, keeping provenance fields.")
    q.add_argument("source", metavar="IN")
    q.add_argument("target", metavar="OUT.toml")
    q.add_argument("--force", action="store_true", help="replace OUT.toml if it exists")
    q.add_argument("--term-col", default=None, metavar="COL", help="a CSV dictionary's term column (default: term)")
    q.add_argument("--category-col", default=None, metavar="COL", help="a CSV dictionary's category column (default: category)")
    q.set_defaults(run=_run_lexicon_convert)

    p = sub.add_parser("lexicons", help="list bundled and user lexicons, or show one",
                       description="List lexicons with version and category counts; with NAME, show its categories.")
    p.add_argument("name", nargs="?", default=None, help="a lexicon name or path to show in detail")
    p.set_defaults(run=_run_lexicons)

    p = sub.add_parser("corpus", parents=[corpus], help="summary of a corpus and what cleaning removed",
                       description="Print documents with token counts, then every line the cleaning rules removed.")
    p.set_defaults(run=_run_corpus)
    return parser


def _families() -> list[str]:
    from framing.features import FAMILIES

    return [*FAMILIES, "all"]


def _count_families() -> list[str]:
    from framing.features import FAMILIES

    return [name for name, family in FAMILIES.items() if family.default_lexicon is not None]


def _measures():
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
        cleaning_rules=args.cleaning_rules,
    )


def _inputs(args) -> list:
    """Every file or folder the command reads: outputs may be none of them. A lexicon named
    rather than given as a path is the file the search path finds (and every file it
    ``extends``); a ``file://`` URL is its local path; a sheet brings its key."""
    found = []
    for name in ("corpus", "cleaning_rules", "lexicon", "background", "stopwords", "source", "actors", "sheet", "first",
                 "second", "extension", "codebook", "units"):
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
    from framing.output import TableWriter

    units = getattr(args, "units_out", None)
    for output in (args.output, units):
        if output is not None:
            refuse_inputs(output, _inputs(args))
    task = make_task(make, clean=not args.no_clean, cleaning_rules=args.cleaning_rules,
                     meta=getattr(args, "meta", None), origin=args.corpus)
    with TableWriter(args.output) as writer, TableWriter(units) if units else nullcontext() as unit_writer:
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


def _run_features(args) -> None:
    from framing.features import FamilyFeatures, family_jobs

    families = _families()[:-1] if args.family == "all" else [args.family]
    lexicons = args.lexicon
    if lexicons and args.family == "lexicon":
        families = []  # each --lexicon is read by its own family
    jobs = tuple(family_jobs(families, lexicons))
    if args.units_out is not None and not any(job.default_lexicon is not None for job in jobs):
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


def _run_compare(args) -> None:
    from framing.comparison.rates import compare, compare_groups
    from framing.errors import NeedsSentences

    if args.reference and not args.target:
        raise FramingError("--reference needs --target; give --target G, or neither for every group's rates")
    _, jobs = _count_tables(args, [args.by], sentences=True)
    tables = []
    for family, name, sentences, features in jobs:
        try:
            if args.target:
                table = compare_groups(features, args.by, args.target, args.reference, sentences=sentences,
                                       n_perm=args.n_perm, n_boot=args.n_boot, seed=args.seed)
            else:
                table = compare(features, args.by, sentences=sentences, n_boot=args.n_boot, seed=args.seed)
        except NeedsSentences:  # only from a feature table given without its unit table
            raise FramingError(f"{args.corpus}: a group has fewer than 5 documents, whose sentences would be resampled, "
                               "and a feature table has no sentences: write them beside it (framing features --units "
                               "UNITS.parquet) and pass --units UNITS.parquet, or run framing compare on the corpus") from None
        at = 2 if args.target else 1
        table.insert(at, "family", family)
        table.insert(at + 1, "lexicon", name)
        tables.append(table)
    table = pd.concat(tables, ignore_index=True)
    table["voice"] = table["voice"].fillna("all") if "voice" in table.columns else "all"
    head = ["target", "reference"] if args.target else [args.by]
    head += ["family", "lexicon", "category", "voice"]
    _write(table[head + [c for c in table.columns if c not in head]], args.output, args)


def _count_tables(args, columns: list[str], *, sentences: bool = False):
    """The corpus (None for a feature table) and one (family, lexicon name, sentence table, features)
    per family job: counted from the corpus (--family, --lexicon), or read from a feature table that
    ``framing features`` wrote (a corpus too large for memory, counted once). With ``sentences``,
    each job's sentence table too: counted in the same pass over the documents, or read from the
    unit table given with --units (else None)."""
    from framing.features import family_jobs

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
        return None, family_tables(features, unit_table, families=_count_families(), units_name=units)
    if units is not None:
        raise FramingError("--units goes with a feature table as CORPUS; from a corpus the sentences are counted anew")
    corpus = _load(args)
    for column in columns:
        corpus.check_column(column)
    if getattr(args, "exclude_reused", False):
        corpus = _own_words(args, corpus)
    families = _count_families() if args.family == "all" else [args.family]
    if args.lexicon and args.family == "lexicon":
        families = []  # each --lexicon is read by its own family
    jobs = []
    for job in family_jobs(families, args.lexicon):
        table, units_of_job = job.tables(corpus) if sentences else (job.table(corpus), None)  # one pass per document
        jobs.append((job.name, job.lexicon.name, units_of_job, table))
    return corpus, jobs


def _run_model(args) -> None:
    from framing.comparison.models import rate_model

    _, jobs = _count_tables(args, [args.by, *args.covariate, *([args.cluster] if args.cluster else [])])
    tables = []
    for family, name, _, features in jobs:
        table = rate_model(features, args.by, args.reference, covariates=args.covariate, model=args.model,
                           cluster=args.cluster, min_docs=args.min_docs)
        chosen = table.attrs.get("default", "")
        table.insert(2, "family", family)
        table.insert(3, "lexicon", name)
        tables.append(table)
    if chosen:
        print(f"framing: {chosen}", file=sys.stderr)
    table = pd.concat(tables, ignore_index=True)
    few = table["warning"].str.contains("too few documents").sum()
    if few:
        print(f"framing: warning: {few} of {len(table)} rate ratios rest on too few documents (see the warning column)",
              file=sys.stderr)
    _write(table, args.output, args)


def _run_trend(args) -> None:
    from framing.comparison.trends import trend

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
    tables = []
    for family, name, _, features in jobs:
        table = trend(features, args.by, args.time, args.freq, n_boot=args.n_boot)
        table.insert(2, "family", family)
        table.insert(3, "lexicon", name)
        tables.append(table)
    table = pd.concat(tables, ignore_index=True)
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
    _write(table, args.output, args)


def _run_validate_sample(args) -> None:
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
    for path in [args.output, page] + ([key_path(args.output)] if key is not None else []):
        refuse_inputs(path, _inputs(args))
        if Path(path).exists() and not args.force:
            raise FramingError(f"{path} exists already (a coding sheet may hold hours of coding); choose another name, "
                               "or pass --force to replace it")
    _write(shown, args.output, args)
    if key is not None:
        _write(key, str(key_path(args.output)), args)
    write_text(page, sheet_html(shown, title=f"framing coding sheet: {Path(args.output).name}"))
    print(f"framing: wrote {page}; code the label column of {args.output}, then: framing validate score {args.output}",
          file=sys.stderr)


def _run_validate_agree(args) -> None:
    from framing.validation import agreement, read_sheet

    table = agreement(read_sheet(args.first), read_sheet(args.second), origins=(args.first, args.second))
    _write(table, args.output, args)


def _run_validate_score(args) -> None:
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


def _run_explain(args) -> None:
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
    return clean_documents(frame, clean=not args.no_clean, rules=_rules(args), origin=args.corpus)


def _rules(args):
    from framing.documents.clean import load_rules

    return load_rules(args.cleaning_rules) if not args.no_clean else None


def _run_explore(args) -> None:
    from framing.runs import explore

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
                   max_documents=args.max_documents, title=f"framing explorer: {Path(args.corpus).name} by {args.by}")
    write_text(args.output, page)
    print(f"framing: wrote {args.output} ({len(page.encode('utf-8')) / 1e6:.1f} MB); open it in a browser", file=sys.stderr)


def _run_reuse(args) -> None:
    from framing.features.reuse import reuse, reuse_matrix, reuse_shares

    if (args.by is None) != (args.matrix is None):
        raise FramingError("--matrix needs --by (and --by is for --matrix): give both, e.g. --by outlet --matrix reuse.csv")
    corpus = _load(args)
    passages = reuse(corpus, min_words=args.min_words, min_similarity=args.min_similarity, time=args.time)
    if args.shares:
        _write(reuse_shares(passages, corpus), args.shares, args)
    if args.matrix:
        corpus.check_column(args.by)
        _write(reuse_matrix(passages, corpus, args.by).reset_index(), args.matrix, args)
    _write(passages, args.output, args)


def _run_counts(args) -> None:
    from framing.engine import make_task
    from framing.keywords.terms import TermCounts, merge_term_counts
    from framing.output import TableWriter

    if args.output is not None:
        refuse_inputs(args.output, _inputs(args))
    make = TermCounts(args.by, _ngram_range(args.ngrams), args.stopwords, args.english)
    task = make_task(make, clean=not args.no_clean, cleaning_rules=args.cleaning_rules, origin=args.corpus)
    merged, pending = None, []
    for table in _tables(args, task):
        pending.append(table)
        if sum(map(len, pending)) > (0 if merged is None else len(merged)):  # merge when the parts outgrow the sum
            merged = merge_term_counts(pending if merged is None else [merged, *pending])
            pending = []
    merged = merge_term_counts([merged, *pending] if merged is not None else pending)
    with TableWriter(args.output) as writer:
        writer.write(merged)
    if args.output is not None:
        print(f"framing: wrote {writer.rows} rows to {args.output}", file=sys.stderr)


def _run_keyness(args) -> None:
    from framing.keywords.keyness import keyness_parts
    from framing.keywords.terms import TERM_COUNT_COLUMNS

    columns = table_columns(args.corpus)
    if columns is not None and columns[1:] == TERM_COUNT_COLUMNS:  # a table of framing counts
        counts = pd.read_parquet(args.corpus) if args.corpus.lower().endswith(".parquet") else pd.read_csv(
            args.corpus, dtype={"term": str, columns[0]: str}, keep_default_na=False)
        if args.ngrams != "1-1" or args.stopwords is not None:
            raise FramingError(f"{args.corpus} holds term counts: give --ngrams and --stopwords to framing counts, not here")
        corpus = counts
    else:
        corpus = _load(args)
    from framing.output import TableWriter

    reference = "english" if args.reference == ["english"] else args.reference
    parts, _ = keyness_parts(
        corpus, args.by, target=args.target, reference=reference, measure=args.measure,
        ngram_range=_ngram_range(args.ngrams), min_count=args.min_count, stopwords=args.stopwords,
        background=args.background,
    )
    if args.output is not None:
        refuse_inputs(args.output, _inputs(args))
    with TableWriter(args.output) as writer:  # group by group: 200 groups x 60,000 terms is never held whole
        for table in parts:
            writer.write(table if args.top is None else table.groupby(args.by, sort=False).head(args.top))
    if args.output is not None:
        print(f"framing: wrote {writer.rows} rows to {args.output}", file=sys.stderr)


def _run_kwic(args) -> None:
    from framing.keywords.kwic import format_kwic, kwic

    corpus = _load(args)
    table = kwic(corpus, args.pattern, window=args.window, by=args.by)
    if args.output:
        _write(table, args.output, args)
    elif table.empty:
        print(f"framing: no match for {args.pattern!r}", file=sys.stderr)
    else:
        print(format_kwic(table))


def _run_figures(args) -> None:
    from framing.paths import project_root
    from framing.views.figures import (
        check_figures_folder,
        run_notebooks,
        write_run_record,
    )

    seeds = args.corpus is None
    by = args.by or "outlet"
    corpus = args.corpus
    if corpus is not None and Path(corpus).exists():
        corpus = str(Path(corpus).resolve())  # the kernel runs in the project root, not here
    here = project_root() is not None
    lexicons = [_resolved(x) for x in args.lexicon or []]
    lexicon = lexicons[0] if len(lexicons) == 1 else lexicons or None
    extension = _resolved(args.extension)
    extension = extension or ("framing_plus" if here and seeds else None)
    # the seeds' analysis names its own lexicons; on any other corpus only the lexicons the user names are drawn
    lexicon = lexicon or ("framing" if seeds else None)
    actors = _resolved(args.actors) or ("actors" if seeds else None)
    parameters = {
        "CORPUS": corpus or "seeds",
        "TEXT_COL": args.text_col,
        "ID_COL": args.id_col,
        "LEXICON": lexicon,
        "EXTENSION": extension,
        "ACTORS": actors,
        "STOPWORDS": _resolved(args.stopwords),
        "REFERENCE": args.reference,
        "BY": by,
        "CONTRAST": args.contrast or ("affiliation" if seeds else by),
        "TARGET": args.target if args.target is not None else ("outside" if seeds and not args.contrast else None),
        "SHEET_LEXICON": lexicons[0] if lexicons else ("framing" if seeds else None),
        "REUSE_MIN_WORDS": 15 if seeds else 30,
        "SHEET": _resolved(args.sheet) or ("seeds/validation/framing_coded.csv" if seeds else None),
        "FAMILIES": [*(["lexicon"] if lexicon else []), "stance", *(["actors"] if actors else [])],
    }
    if args.sheet is not None and not Path(args.sheet).is_file():
        raise FramingError(f"--sheet {args.sheet}: no such file; draw one with framing validate sample and code it")
    if args.sheet is not None and not lexicons:
        raise FramingError("--sheet needs --lexicon: the lexicon the sheet was drawn from")
    if args.out is not None:
        refuse_inputs(args.out, _inputs(args), option="--out")  # never charts inside the corpus folder or over a lexicon
    out = check_figures_folder(args.out, corpus=corpus or "seeds", force=args.force, parameters=parameters)
    parameters["OUT"] = str(out)
    skip = []
    if lexicon is None:
        skip.append("02")
        print("framing: no --lexicon, so the lexicon charts (notebook 02) are not drawn and the profiles use the stance "
              "markers alone; add one with --lexicon NAME_OR_PATH (start one with framing lexicon new NAME)", file=sys.stderr)
    if actors is None:
        skip.append("05")
        print("framing: no --actors, so the actor charts (notebook 05) are not drawn; add an actors lexicon with --actors "
              "NAME_OR_PATH (framing lexicon new NAME --template actors)", file=sys.stderr)
    if not extension:
        skip.append("07")
        print("framing: no --extension lexicon" + (" outside the project folder" if seeds else "")
              + ", so notebook 07 is skipped", file=sys.stderr)
    if parameters["SHEET"] is None:
        skip.append("08")
        print("framing: no --sheet (a coded sheet of framing validate sample), so notebook 08 is skipped", file=sys.stderr)
    ran = run_notebooks(parameters, only=args.only, skip=skip, progress=not args.quiet)
    write_run_record(out, parameters)
    print(f"framing: ran {len(ran)} notebooks; figures in {args.out or 'figures'}", file=sys.stderr)


def _resolved(path_or_name: str | None) -> str | None:
    """A file the kernel can read from anywhere (a lexicon name is left as it is, even when a
    folder of that name is here: lexicons, stopword lists and sheets are files)."""
    if path_or_name is None or not Path(path_or_name).is_file():
        return path_or_name
    return str(Path(path_or_name).resolve())


def _run_lexicon_new(args) -> None:
    from framing.lexicon.tools import new_lexicon

    path = new_lexicon(args.name, base=args.base, folder=args.folder, template=args.template)
    print(f"framing: wrote {path}; edit it, then: framing lexicon check {args.name} --corpus CORPUS", file=sys.stderr)


def _corpus_for_tool(path: str, text_col: str):
    from framing.documents.corpus import load_corpus

    return load_corpus(path, text_col=text_col)


def _run_lexicon_check(args) -> None:
    from framing.lexicon.tools import check_lexicon

    if args.output:
        refuse_inputs(args.output, _inputs(args))
    corpus = _corpus_for_tool(args.corpus, args.text_col) if args.corpus else None
    report = check_lexicon(args.lexicon, corpus, max_forms=args.max_forms)
    print(report.format())
    if args.output and report.terms is not None:
        _write(report.terms, args.output, args)


def _run_lexicon_suggest(args) -> None:
    from framing.lexicon.tools import suggest_terms

    corpus = _corpus_for_tool(args.corpus, args.text_col)
    table = suggest_terms(args.lexicon, args.category, corpus, n=args.n, background=args.background,
                          min_score=args.min_score, english=not args.no_english)
    seeds = f"; seeds: {', '.join(table.attrs['seeds'])}" if table.attrs["seeds"] else ""
    print(f"framing: {table.attrs['note']}{seeds}", file=sys.stderr)
    if table.empty:
        return
    if args.output:
        _write(table, args.output, args)
    else:
        print(table.to_string(index=False))


def _run_lexicon_convert(args) -> None:
    from framing.lexicon.tools import convert_lexicon

    path = convert_lexicon(args.source, args.target, force=args.force, term_col=args.term_col, category_col=args.category_col)
    print(f"framing: wrote {path}", file=sys.stderr)


def _run_lexicons(args) -> None:
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
    for cat in lex.categories:
        excl = f", {len(cat.exclude)} exclusions" if cat.exclude else ""
        print(f"  {cat.name} ({len(cat.terms)} terms{excl}): {cat.description}")
    overlaps = lex.overlaps()
    if len(overlaps):
        print("\n  terms in several categories (allowed, counted in each):")
        for _, row in overlaps.iterrows():
            print(f"    {row['pattern']}: {row['categories'].replace(';', ', ')}")


def _run_corpus(args) -> None:
    corpus = _load(args)
    docs = corpus.overview()
    shown = [c for c in docs.columns if c not in ("evidence",)]
    print(f"{len(corpus)} documents from {corpus.source}\n")
    print(docs[shown].to_string(index=False))
    report = corpus.cleaning_report
    print(f"\ncleaning removed {len(report)} lines" + (":" if len(report) else ""))
    if len(report):
        print(report.assign(text=report["text"].str.slice(0, 70)).to_string(index=False))


def _warning_line(message, category, filename, lineno, file=None, line=None):
    print(f"framing: warning: {message}", file=sys.stderr)


def _terminated(signum, frame):
    # SIGTERM unwinds like Ctrl-C, so partly written outputs are removed (framing.output)
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``framing`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    warnings.showwarning = _warning_line
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if main_thread else None
    try:
        return _run(args)
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


OUTPUT_OPTIONS = {"output": "-o", "matrix": "--matrix", "shares": "--shares", "html": "--html", "plot": "--plot",
                  "fix": "--fix", "units_out": "--units"}


def _check_outputs(args) -> None:
    """Two outputs of one run may not be one file: the first would be silently replaced. An output
    that exists already is replaced only with --force (a command that guards its outputs itself, as
    ``validate sample`` does its sheet, page and key, says so with ``guards_outputs``)."""
    seen: dict[Path, str] = {}
    for name, option in OUTPUT_OPTIONS.items():
        value = getattr(args, name, None)
        if not isinstance(value, str):
            continue
        where = Path(value).resolve()
        if where in seen:
            raise FramingError(f"{seen[where]} and {option} name the same file ({value}); give each output its own name")
        seen[where] = option
        if where.is_file() and not getattr(args, "force", False) and not getattr(args, "guards_outputs", False):
            refuse_inputs(value, _inputs(args))  # an input is never replaced, --force or not: say that first
            raise FramingError(f"{value} exists already ({option}); pass --force to replace it, or choose another name")


def _run(args) -> int:
    raw = os.environ.get(RAW_CSV_ENV)
    if getattr(args, "raw_csv", False):
        os.environ[RAW_CSV_ENV] = "1"
    try:
        return _run_command(args)
    finally:  # the option is this run's, not the process's
        if raw is None:
            os.environ.pop(RAW_CSV_ENV, None)
        else:
            os.environ[RAW_CSV_ENV] = raw


def _run_command(args) -> int:
    try:
        _check_outputs(args)
        args.run(args)
    except FramingError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("framing: interrupted", file=sys.stderr)
        return 130
    except MemoryError as exc:  # often without a message ("framing: error:" and nothing else)
        detail = f" ({exc})" if str(exc).strip() else ""
        print(f"framing: error: out of memory{detail}; run on fewer documents or groups, or stream the corpus "
              "(framing features with --batch-mb)", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"framing: error: {str(exc).strip() or type(exc).__name__}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: still one line, with a way to get the traceback
        if os.environ.get("FRAMING_DEBUG"):
            raise
        print(f"framing: internal error: {type(exc).__name__}: {exc} (rerun with FRAMING_DEBUG=1 and report it)",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
