"""What a run did, in the files a paper needs: a methods paragraph written from the run's own
settings, corpus and lexicons (``methods.md``), the works it cites (``references.bib``), and a
record (``run.json``: inputs and outputs with their hashes, the settings, the software) that
:func:`rerun` runs again to say which outputs changed.

Nothing here is a template that can drift from the analysis: every number in the paragraph
(documents, tokens, lines cleaned, resamples, permutations, seed, passage length) and every
lexicon (name, version, content hash, source, licence) is read from what was run, and each
method is cited only when a notebook that uses it ran.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from importlib.resources import files
from pathlib import Path

from framing.errors import FramingError
from framing.params import MIN_DOCS, UNITS
from framing.views.colours import MAX_GROUPS
from framing.views.gallery import PATH_SETTINGS, settings_for_record
from framing.views.gallery import RUN_RECORD as RECORD

METHODS = "methods.md"
REFERENCES = "references.bib"

NUMBER_PACKAGES = ("numpy", "pandas", "scipy", "scikit-learn", "statsmodels", "nltk", "matplotlib", "vaderSentiment",
                   "wordfreq")
"""The packages whose versions decide the numbers and the charts (pinned in constraints.txt)."""



def software() -> dict:
    """framing, Python (major.minor) and the versions of :data:`NUMBER_PACKAGES`."""
    from framing import __version__

    versions = {"framing": __version__, "python": f"{sys.version_info.major}.{sys.version_info.minor}"}
    for name in NUMBER_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:  # pragma: no cover - every one is a dependency
            versions[name] = "not installed"
    return versions


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------- what was run


@dataclass(frozen=True)
class RunFacts:
    """The facts a methods paragraph states, each read from the run: ``corpus`` (its name),
    ``n_docs``, ``n_tokens``, ``lines_removed``, ``groups`` (of the grouping column), the
    ``lexicons`` (name, version, id, source, licence, citation, what they were used for),
    the ``notebooks`` that ran and the run's ``parameters``."""

    corpus: str
    n_docs: int
    n_tokens: int
    lines_removed: int
    groups: int
    lexicons: tuple
    notebooks: tuple
    parameters: dict
    smallest: dict = None  # column -> documents of its smallest group (the grouping and the contrast)
    codebook: dict = None  # the codebook notebook 11 coded with: name, version, id, source, licence


def _names(value) -> list[str]:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def run_facts(parameters: dict, notebooks: list[str]) -> RunFacts:
    """Read the corpus and the lexicons a run used (``parameters`` as ``framing figures`` gave its
    notebooks; ``notebooks``: the stems of those that ran)."""
    from framing.documents.corpus import load_corpus
    from framing.lexicon.read import load_lexicon
    from framing.paths import project_path
    from framing.views.gallery import display_name

    corpus = load_corpus(project_path(parameters["CORPUS"]), text_col=parameters.get("TEXT_COL"),
                         id_col=parameters.get("ID_COL"), language=parameters.get("LANGUAGE"))
    overview = corpus.overview()
    by = parameters.get("BY")
    groups = int(corpus.groups(by).nunique()) if by in corpus.documents.columns else 0
    smallest = {column: int(corpus.groups(column).value_counts().min())
                for column in dict.fromkeys([by, parameters.get("CONTRAST") or by]) if column in corpus.documents.columns}
    ran = {n[:2] for n in notebooks}
    roles: dict[str, list[str]] = {}
    for name in _names(parameters.get("LEXICON")):
        roles.setdefault(name, []).append("category rates, similarity, reuse and the explorer")
    roles.setdefault("stance", []).append("stance markers by voice")
    for name in _names(parameters.get("ACTORS")) if "05" in ran or "10" in ran else []:
        roles.setdefault(name, []).append("actor labels and their sentiment")
    for name in _names(parameters.get("EXTENSION")) if "07" in ran else []:
        roles.setdefault(name, []).append("the extended category of notebook 07")
    for name in _names(parameters.get("SHEET_LEXICON")) if parameters.get("SHEET") and "08" in ran else []:
        roles.setdefault(name, []).append("the validated coding sheet")
    lexicons, seen = [], {}
    for name, uses in roles.items():
        lex = load_lexicon(name)
        if lex.id in seen:
            seen[lex.id]["used_for"] += "; " + "; ".join(uses)
            continue
        entry = {"name": lex.name, "version": str(lex.meta.get("version", "")), "id": lex.id,
                 "source": str(lex.meta.get("source", "")), "licence": str(lex.meta.get("licence", "")),
                 "citation": str(lex.meta.get("citation", "")), "used_for": "; ".join(uses)}
        seen[lex.id] = entry
        lexicons.append(entry)
    codebook = None
    if "11" in ran and parameters.get("CODEBOOK"):
        from framing.lexicon.codebook import read_codebook

        book = read_codebook(project_path(parameters["CODEBOOK"]) if Path(str(parameters["CODEBOOK"])).suffix
                             else parameters["CODEBOOK"])
        codebook = {"name": book.name, "version": str(book.meta.get("version", "")), "id": book.id,
                    "frames": len(book.frames), "source": book.meta["source"], "licence": book.meta["licence"]}
    return RunFacts(display_name(parameters["CORPUS"]), len(corpus), int(overview["n_tokens"].sum()),
                    int(overview["lines_removed"].sum()), groups, tuple(lexicons), tuple(notebooks), dict(parameters),
                    smallest, codebook)


# --------------------------------------------------------------------------- the paragraph


def _cite(*keys: str) -> str:
    """``(Dunning 1993; Hardie 2014)``: the references' authors and years, from the bundled bibliography."""
    entries = _bibliography()
    return "(" + "; ".join(_short(entries[k]) for k in keys) + ")"


def _short(entry: str) -> str:
    authors = re.search(r"author\s*=\s*\{(.+?)\},?\n", entry).group(1)
    year = re.search(r"year\s*=\s*\{(\d{4})\}", entry).group(1)
    names = [a.split(",")[0].strip().replace("{\\\"a}", "ä").replace("{", "").replace("}", "")
             for a in authors.split(" and ")]
    who = names[0] if len(names) == 1 else " & ".join(names) if len(names) == 2 else f"{names[0]} et al."
    return f"{who} {year}"


def _bibliography() -> dict[str, str]:
    text = files("framing.data").joinpath("references.bib").read_text(encoding="utf-8")
    return {m.group(1): m.group(0).strip() for m in re.finditer(r"@\w+\{(\w+),.*?\n\}", text, flags=re.S)}


# notebook -> the works its methods cite, in the order the paragraph names them
CITED = {
    "01": ("kiss2006",),
    "02": ("efron1993", "benjamini1995", "mccullagh1989"),
    "03": ("dunning1993", "rayson2000", "hardie2014", "speer2022", "church1990"),
    "04": ("hyland2005", "efron1993", "benjamini1995"),
    "05": ("hutto2014",),
    "06": ("sparckjones1972", "sokal1958"),
    "07": ("levy2015",),
    "08": ("wilson1927",),
    "09": ("smith2015",),
    "11": ("burscher2014", "platt1999", "efron1993", "benjamini1995"),  # and the method's (_METHOD_WORDS)
    "13": ("speer2022", "dudau2021"),  # and fastText's where languages were detected
}


def cited(facts: RunFacts) -> list[str]:
    """The keys of the works the methods paragraph of ``facts`` cites, each once, in order."""
    ran = [n[:2] for n in facts.notebooks]
    keys = [k for n in ["01", *ran] for k in CITED.get(n, ())]
    if "11" in ran and facts.codebook:
        method_key = _METHOD_WORDS.get(facts.parameters.get("METHOD") or "acc", ("", None))[1]
        if method_key:
            keys.insert(keys.index("platt1999") + 1, method_key)
        if CODEBOOK_CITES.get(facts.codebook["name"]):
            keys.insert(keys.index("burscher2014"), CODEBOOK_CITES[facts.codebook["name"]])
    if "13" in ran and facts.parameters.get("LANGUAGE") == "detect":
        keys.insert(keys.index("speer2022", keys.index("dudau2021") - 1), "joulin2017")
    return list(dict.fromkeys(keys))


def _unit(min_docs: int, smallest: dict) -> str:
    """What the intervals resampled, in words: documents, or sentences within documents, for the
    comparisons by each column (from its smallest group and the ``min_docs`` the notebooks were given)."""
    by_docs = {column: n >= min_docs for column, n in (smallest or {}).items()}
    sentences = ("of the sentences within each document, which treats sentences as independent and so understates "
                 "the uncertainty of a group's habit")
    if by_docs and all(by_docs.values()):
        return "of each group's documents" + (" (a group of one document has an interval of no width)"
                                              if min(smallest.values()) < 2 else "")
    if by_docs and not any(by_docs.values()):
        reason = f" (a group has fewer than {min_docs:,} documents)" if min_docs < UNITS["sentences"] else ""
        return sentences + reason
    docs = ", ".join(f"`{c}`" for c, d in by_docs.items() if d)
    other = ", ".join(f"`{c}`" for c, d in by_docs.items() if not d)
    return f"of each group's documents for the comparisons by {docs}, and {sentences} for those by {other}"


CODEBOOK_CITES = {"policy_frames": "boydstun2014", "generic_frames": "semetko2000"}
"""The bundled codebooks' own works, cited where a run coded with them."""

_METHOD_WORDS = {  # notebook 11's prevalence correction: its words and the work it cites
    "acc": ("adjusted classify-and-count", "forman2008"),
    "pacc": ("probabilistic adjusted classify-and-count", "bella2010"),
    "em": ("expectation-maximisation of the classifier's posteriors", "saerens2002"),
    "cc": ("no correction (classify-and-count)", None),
    "pcc": ("no correction (probabilistic classify-and-count)", None),
}


def _method_words(method: str) -> str:
    words, key = _METHOD_WORDS.get(method, (method, None))
    return words + (" " + _cite(key) if key else "")


def methods_text(facts: RunFacts) -> str:
    """The methods paragraph (Markdown) of a run, written from ``facts``."""
    p = facts.parameters
    ran = {n[:2] for n in facts.notebooks}
    by, contrast, target = p.get("BY"), p.get("CONTRAST") or p.get("BY"), p.get("TARGET")
    reference = " and ".join(_names(p.get("REFERENCE"))) or "the rest"
    n_boot, n_perm, seed = p.get("N_BOOT", 2000), p.get("N_PERM", 5000), p.get("SEED", 0)
    versions = software()
    software_line = "; ".join(f"{k} {v}" for k, v in versions.items())
    out = [
        "# Methods",
        "",
        f"This analysis was run with framing {versions['framing']} (`framing figures`) on the corpus {facts.corpus}: "
        f"{facts.n_docs:,} documents, {facts.n_tokens:,} word tokens after cleaning; the cleaning rules removed "
        f"{facts.lines_removed:,} lines of web text (navigation, captions, related headlines), each listed by "
        f"`framing corpus`. Documents are grouped by `{by}` ({facts.groups:,} groups)"
        + (f", and contrasted by `{contrast}`: {target} against {reference}." if target else "."),
        "",
        "**Tokenization.** Sentences are split with NLTK's Punkt algorithm " + _cite("kiss2006")
        + " and an abbreviation list, words with a regular-expression tokenizer that splits clitics as in the "
        "Penn Treebank; quotations are marked, so that stance markers and actor labels are counted separately in "
        "the outlet's own voice and in the voices it quotes.",
        "",
        "**Lexicons.**",
        *(f"- {lex['name']} {lex['version']} (`{lex['id']}`; licence {lex['licence'] or 'not stated'}), used for "
          f"{lex['used_for']}. Source: {lex['source'] or 'not stated'}" for lex in facts.lexicons),
        "",
    ]
    rates = ("**Rates and intervals.** Each category is counted per document and pooled per group as a rate per "
             f"1,000 words. Intervals are {p.get('LEVEL', 0.95) * 100:g}% percentile bootstrap intervals "
             + _cite("efron1993")
             + f" from {n_boot:,} resamples " + _unit(p.get("MIN_DOCS", MIN_DOCS), facts.smallest)
             + f". The random seed is {seed}; each group's resamples come from a stream of its own, seeded by it and "
             "the group's name, so a group's interval does not depend on which other groups are compared.")
    if facts.groups > MAX_GROUPS:
        rates += (f" Of the {facts.groups:,} groups of `{by}`, the {MAX_GROUPS} with most documents, those the charts "
                  "and tables show, are resampled; the others' rates are computed without intervals.")
    if ran & {"02", "04", "07", "08"}:
        out += [rates, ""]
    if ran & {"02", "04"} and target:
        out += [f"**Contrasts.** {target} against {reference} (`{contrast}`): the difference in rate with its "
                f"bootstrap interval, and a two-sided permutation test ({n_perm:,} permutations of the same units), "
                "p-values adjusted across categories with the "
                "Benjamini-Hochberg procedure " + _cite("benjamini1995") + ".", ""]
    if "02" in ran:
        out += ["**Count model.** Per category, a quasi-Poisson generalized linear model of document counts with "
                "the log of the document's words as offset " + _cite("mccullagh1989")
                + f" gives each group's rate ratio against the reference group of `{contrast}`; a model resting "
                "on fewer than 5 documents per group is reported, not drawn.", ""]
    if "03" in ran:
        out += ["**Keywords.** Each group against the rest by log-likelihood G² " + _cite("dunning1993", "rayson2000")
                + ", with the log ratio as effect size " + _cite("hardie2014") + "; the whole corpus against "
                "general English from wordfreq " + _cite("speer2022") + "; collocates by pointwise mutual "
                "information over a five-word window " + _cite("church1990") + ".", ""]
    if "04" in ran:
        out += ["**Stance.** Hedges, boosters, attitude markers, self-mention, reader reference, directives and "
                "attribution verbs " + _cite("hyland2005") + ", counted by voice, with the bootstrap intervals above.",
                ""]
    if "05" in ran:
        out += ["**Actors.** Each actor's labels are counted by connotation in the author's voice; the tone of "
                "the sentences naming an actor is the mean VADER compound score " + _cite("hutto2014")
                + ", with bootstrap intervals over sentences. Co-occurrence, not targeted sentiment.", ""]
    if "06" in ran:
        out += ["**Similarity.** Cosine similarity of the groups' rate profiles, raw and standardized (z-scores "
                "across groups), and of their TF-IDF vocabularies " + _cite("sparckjones1972")
                + "; average-linkage clustering " + _cite("sokal1958") + " on one minus the cosine; documents "
                "mapped by principal components of their standardized profiles.", ""]
    if "07" in ran:
        out += ["**Lexicon extension.** Candidate terms ranked by similarity of positive-PMI word vectors reduced "
                "by SVD " + _cite("levy2015") + " to the category's words.", ""]
    if "08" in ran and p.get("SHEET"):
        out += ["**Validation.** A coded sheet of matches drawn at random by pattern gives each category's "
                "precision with Wilson 95% intervals " + _cite("wilson1927") + ", weighted back to the corpus by "
                "each pattern's matches; coded unmatched sentences estimate recall.", ""]
    if "09" in ran:
        out += [f"**Text reuse.** Passages of at least {p.get('REUSE_MIN_WORDS', 30)} words shared by two "
                "documents, found through shared word 5-grams and aligned as in passim "
                + _cite("smith2015") + "; counts are compared with and without the shared text.", ""]
    if "11" in ran and facts.codebook:
        book = facts.codebook
        own = CODEBOOK_CITES.get(book["name"])
        out += [f"**Frames from coding.** Units were coded with the codebook {book['name']} {book['version']} "
                f"(`{book['id']}`, {book['frames']} frames)" + (" " + _cite(own) if own else "")
                + f". Its source: {book['source'].rstrip('.')}. One classifier per frame "
                "(TF-IDF word and character n-grams; logistic regression or a linear SVM with Platt-scaled "
                "probabilities, chosen by repeated stratified cross-validation) " + _cite("burscher2014", "platt1999")
                + " was scored out of fold on the units coded at random; frames with fewer than 5 positive or "
                "negative coded units were not trained. Each unit is labelled by one of the cross-validation's models "
                "(its out-of-fold model when it was coded), so the error rates measured out of fold are those of the "
                f"labels. Each group's share of units with each frame is corrected for classifier error by "
                f"{_method_words(p.get('METHOD') or 'acc')}, with {p.get('LEVEL', 0.95) * 100:g}% "
                "percentile bootstrap intervals " + _cite("efron1993") + " that resample both the coded units (the "
                "error rates) and the corpus's units by document (by unit within documents where a group has fewer "
                "than 5 documents); contrasts between groups have bootstrap p-values adjusted with the "
                "Benjamini-Hochberg procedure " + _cite("benjamini1995") + ". Classify-and-count is reported beside "
                "each estimate.", ""]
    if "13" in ran:
        out += ["**Languages.** Each document was read in its own language"
                + (" (detected with fastText's language identification model " + _cite("joulin2017") + ")"
                   if p.get("LANGUAGE") == "detect" else "")
                + ": its tokens, the lexicon's terms in that language, its stopwords (Stopwords ISO) and its "
                "general-language frequencies (wordfreq " + _cite("speer2022") + "). Groups were compared within "
                "each language, with one fixed effect per language and errors robust by document, and across "
                "languages only as each group's rate over its language's rate, with intervals from a bootstrap "
                "stratified by group and language, since translated categories are not equivalent across "
                "languages " + _cite("dudau2021") + ". Keywords were computed within each language only.", ""]
    out += [f"**Software.** {software_line}.", ""]
    return "\n".join(out)


def references_text(keys: list[str], facts: RunFacts | None = None) -> str:
    """The BibTeX entries of ``keys`` (from the bundled bibliography), and one per lexicon of ``facts``."""
    entries = _bibliography()
    unknown = [k for k in keys if k not in entries]
    if unknown:
        raise FramingError(f"no reference {', '.join(unknown)} in framing/data/references.bib")
    parts = [entries[k] for k in keys]
    for lex in facts.lexicons if facts else ():
        key = re.sub(r"\W", "", f"lexicon{lex['name']}{lex['version']}")
        parts.append(f"@misc{{{key},\n  title = {{{lex['citation'] or lex['name']}}},\n  note  = {{{lex['id']}; "
                     f"licence {lex['licence'] or 'not stated'}}}\n}}")
    return "\n\n".join(parts) + "\n"


# --------------------------------------------------------------------------- the record


def _input_files(parameters: dict) -> list[Path]:
    """The files a run read: the corpus (every file of a folder), and every setting naming a file."""
    from framing.paths import project_path

    found = []
    for key in PATH_SETTINGS:
        for value in _names(parameters.get(key)):
            if key != "CORPUS" and not os.path.isabs(value):
                continue  # a lexicon's name ('framing'): its content hash is in the methods and its id
            path = project_path(value)
            if path.is_dir():
                found += sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            elif path.is_file():
                found.append(path)
    return found


def write_record(out: Path, parameters: dict, notebooks: list[str], *, merge: bool = False) -> Path:
    """Write ``methods.md``, ``references.bib`` and ``run.json`` into ``out`` for a run with
    ``parameters`` that ran ``notebooks``; returns the record's path. With ``merge`` (a run of some
    notebooks into a folder that holds a run of the same settings), the record covers the notebooks
    of both, as the folder's charts do."""
    out = Path(out)
    if merge and (out / RECORD).is_file():
        earlier = read_record(out / RECORD)["notebooks"]
        notebooks = sorted(set(earlier) | set(notebooks))
    facts = run_facts(parameters, notebooks)
    from framing.output import write_text

    write_text(out / METHODS, methods_text(facts))
    write_text(out / REFERENCES, references_text(cited(facts), facts))
    base = out.resolve()
    from framing.paths import project_path

    corpus = str(project_path(parameters["CORPUS"]).resolve())  # 'seeds' is the project's: a path, for a rerun anywhere
    settings = settings_for_record({**parameters, "CORPUS": corpus}, base)
    inputs = {Path(os.path.relpath(p.resolve(), base)).as_posix(): sha256(p) for p in _input_files(parameters)}
    outputs = {p.name: sha256(p) for p in sorted(out.iterdir())
               if p.is_file() and p.name != RECORD and not p.name.startswith(".")}
    record = {"framing_run": 1, "command": "framing figures", "notebooks": list(notebooks), "settings": settings,
              "inputs": inputs, "outputs": outputs, "software": software()}
    return write_text(out / RECORD, json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def read_record(path: Path) -> dict:
    """A run record, checked; a one-line error naming the file otherwise."""
    path = Path(path)
    if not path.is_file():
        raise FramingError(f"{path}: no such run record; framing figures writes run.json beside its figures")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise FramingError(f"{path}: not a run record ({exc})") from None
    missing = [k for k in ("settings", "inputs", "outputs", "notebooks") if not isinstance(record, dict) or k not in record]
    if missing:
        raise FramingError(f"{path}: not a run record of framing figures (no {', '.join(missing)})")
    return record


def compare_record(path: Path, out: Path) -> list[str]:
    """What differs between the record at ``path`` and the run written into ``out``: changed
    inputs, recorded outputs edited since, and outputs of the rerun missing, added or with other
    bytes (one line each; empty if none)."""
    record = read_record(path)
    base = Path(path).resolve().parent
    lines = []
    for name, digest in sorted(record["inputs"].items()):
        where = base / name
        if not where.is_file():
            lines.append(f"input {name}: missing")
        elif sha256(where) != digest:
            lines.append(f"input {name}: other bytes than when recorded")
    for name, digest in sorted(record["outputs"].items()):  # the recorded run's own files, as they are now
        beside = base / name
        if beside.is_file() and sha256(beside) != digest:
            lines.append(f"output {name} beside the record: other bytes than recorded (edited since?)")
    now = {p.name: sha256(p) for p in Path(out).iterdir()
           if p.is_file() and p.name != RECORD and not p.name.startswith(".")}
    for name in sorted(set(record["outputs"]) | set(now)):
        if name not in now:
            lines.append(f"output {name}: not made by the rerun")
        elif name not in record["outputs"]:
            lines.append(f"output {name}: made by the rerun, not in the record")
        elif now[name] != record["outputs"][name]:
            lines.append(f"output {name}: other bytes")
    return lines
