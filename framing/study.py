"""A study file: one place for a study's choices, so that every command of the study agrees.

``framing.toml`` beside a corpus (or any file given with ``--study``) holds the corpus and its
columns, the grouping and contrast, the lexicons, text reuse, resampling and outputs. Each key
is optional; a command uses the keys it has an option for, and an option given on the command
line wins. Relative paths in the file are read from the file's own folder, so a study moves
with its folder. Ground level: it reads TOML and knows no corpus.

Examples
--------
>>> study = parse_study('[groups]\\nby = "outlet"\\n[resampling]\\nseed = 7\\n', "s.toml")
>>> study.settings["by"], study.settings["seed"]
('outlet', 7)
>>> parse_study('[groups]\\nbye = "outlet"\\n', "s.toml")
Traceback (most recent call last):
framing.errors.FramingError: s.toml: [groups] has no key 'bye'; it takes by, contrast, target, reference, time
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from framing.errors import FramingError
from framing.params import COUNT, LEVEL, SEED, UNIT, OneOf, Whole

if TYPE_CHECKING:
    import pandas as pd

STUDY_FILE = "framing.toml"
"""The study file a command finds in the current folder when ``--study`` is not given."""

FORMATS = ("png", "svg", "pdf")
"""The figure formats a study (and ``framing figures --format``) may ask for."""

# section -> key -> (type, is a path read from the study's folder, what it holds[, the rule of
# framing.params its value follows, the one the option follows; for a list, each item's]); the
# setting's name is the key, except where SETTING_NAMES renames it (a key a reader knows in its section)
SCHEMA: dict[str, dict[str, tuple]] = {
    "corpus": {
        "path": (str, True, "the corpus: a folder of .txt files (+ manifest.csv), or a .csv/.jsonl/.parquet table"),
        "text_col": (str, False, "text column of a table (default: text)"),
        "id_col": (str, False, "id column of a table (default: doc_id if present, else row numbers)"),
        "clean": (bool, False, "remove web chrome with the cleaning rules (default: true)"),
        "cleaning_rules": (str, True, "your own cleaning-rules TOML file"),
        "language": (str, False, "the documents' language: detect, or a code such as de for all (default: the "
                                 "corpus's language column, if any, else English)"),
    },
    "groups": {
        "by": (str, False, "the grouping column compared throughout"),
        "contrast": (str, False, "a column with few groups, for two-sided contrasts (default: by)"),
        "target": (str, False, "the group of the contrast set against the rest"),
        "reference": (list, False, "the group(s) it is set against (default: all the others)"),
        "time": (str, False, "the date column, for trends"),
    },
    "lexicons": {
        "lexicon": ((str, list), True, "lexicon name(s) or file(s) counted (several plain lexicons are combined)"),
        "actors": (str, True, "an actors lexicon, by name or file"),
        "extension": (str, True, "the user lexicon notebook 07 extends"),
        "stopwords": (str, True, "'english' or a file of stopwords, for keywords"),
        "sheet": (str, True, "a coded sheet of 'framing validate sample', for notebook 08"),
    },
    "frames": {
        "codebook": (str, True, "the codebook of frames coders mark (policy_frames, generic_frames or a file)"),
        "sheet": (str, True, "a coded frame sheet of 'framing code sample', for notebook 11"),
        "method": (str, False, "prevalence correction: acc, pacc, em, cc or pcc (default: acc)",
                   OneOf(("acc", "pacc", "em", "cc", "pcc"))),
    },
    "reuse": {
        "min_words": (int, False, "shortest shared passage, in words (default: 30)", Whole(low=5)),
    },
    "resampling": {
        "n_boot": (int, False, "bootstrap resamples (default: 2000)", COUNT),
        "n_perm": (int, False, "permutations (default: 5000)", COUNT),
        "seed": (int, False, "random seed (default: 0)", SEED),
        "level": ((int, float), False, "central share of every interval (default: 0.95)", LEVEL),
        "unit": (str, False, "what is resampled: auto (documents when every group has 5, else sentences within "
                             "documents), documents, or sentences", UNIT),
    },
    "output": {
        "folder": (str, True, "where figures go"),
        "formats": (list, False, "figure formats, any of png, svg, pdf (default: png)", OneOf(FORMATS)),
        "dpi": (int, False, "resolution of PNG figures (default: 150)", Whole(50, 1200)),
    },
}

SETTING_NAMES = {("corpus", "path"): "corpus", ("reuse", "min_words"): "reuse_min_words", ("output", "folder"): "out",
                 ("frames", "sheet"): "frame_sheet"}
"""Settings named otherwise than their key: ``[corpus] path`` is the setting ``corpus``, as the command line calls it."""


def setting_name(section: str, key: str) -> str:
    return SETTING_NAMES.get((section, key), key)


@dataclass(frozen=True)
class Study:
    """A study file, read and checked: ``settings`` maps each setting it gives (``corpus``,
    ``by``, ``lexicon``, ``seed``, ...) to its value, paths already read from the file's folder."""

    path: Path
    settings: dict = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.path.parent


def _is_name(value: str) -> bool:
    """A bundled or user lexicon's name ('framing'), or 'english', as opposed to a file path."""
    return "/" not in value and "\\" not in value and "." not in value


def _resolve(value, folder: Path, *, names: bool):
    """A path of the study file, read from the file's folder; with ``names``, a bare name (a
    lexicon's, 'english') stays a name, found as a command line finds it."""
    if isinstance(value, list):
        return [_resolve(v, folder, names=names) for v in value]
    if names and _is_name(value):
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (folder / path).resolve())


def parse_study(text: str, path: str | Path = STUDY_FILE) -> Study:
    """Check a study file's text (``path`` names it in errors and is where relative paths start)."""
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FramingError(f"{path}: not valid TOML ({exc}); fix that line") from None
    settings: dict = {}
    for section, keys in data.items():
        if section not in SCHEMA:
            raise FramingError(f"{path}: unknown section [{section}]; a study file has {', '.join(f'[{s}]' for s in SCHEMA)}")
        if not isinstance(keys, dict):
            raise FramingError(f"{path}: {section} must be a section ([{section}]), not a value")
        for key, value in keys.items():
            if key not in SCHEMA[section]:
                raise FramingError(f"{path}: [{section}] has no key {key!r}; it takes {', '.join(SCHEMA[section])}")
            kind, is_path, _, *rule = SCHEMA[section][key]
            where = f"{path}: [{section}] {key}"
            if rule and not isinstance(value, list):  # the option's own rule says what is wrong (a bool is no number)
                _follows(rule[0], f"[{section}] {key}", value, path)
            elif not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
                want = {str: "a string in quotes", bool: "true or false", list: "a list [...]",
                        (str, list): "a string or a list of strings"}[kind]
                raise FramingError(f"{where} must be {want}, got {value!r}")
            if isinstance(value, list) and not (value and all(isinstance(v, str) and v for v in value)):
                raise FramingError(f"{where} must list one or more strings in quotes, got {value!r}")
            for item in value if isinstance(value, list) and rule else ():
                _follows(rule[0], f"[{section}] {key}", item, path)
            if isinstance(value, str) and not value.strip():
                raise FramingError(f"{where} is empty; give a value or leave the key out")
            if is_path:
                value = _resolve(value, path.parent, names=section in ("lexicons", "frames"))
            settings[setting_name(section, key)] = value
    return Study(path.resolve(), settings)


def _follows(rule, name: str, value, path: Path) -> None:
    """``value`` checked by ``rule`` (:mod:`framing.params`), its error naming the study file."""
    try:
        rule.check(name, value)
    except FramingError as exc:
        raise FramingError(f"{path}: {exc}") from None


def read_study(path: str | Path) -> Study:
    """Read and check the study file at ``path`` (one-line errors naming the file and key)."""
    path = Path(path)
    if not path.is_file():
        raise FramingError(f"{path}: no such study file; write one with 'framing study new CORPUS'")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FramingError(f"{path}: not UTF-8 text (byte {exc.start}); save the study file as UTF-8") from None
    return parse_study(text, path)


def find_study(given: str | None, folder: Path | None = None) -> Study | None:
    """The study a command runs with: the file given, else ``framing.toml`` in ``folder`` (the current one), else None."""
    if given is not None:
        return read_study(given)
    here = (folder or Path.cwd()) / STUDY_FILE
    return read_study(here) if here.is_file() else None


def study_template(documents: pd.DataFrame, corpus: str, *, text_col: str | None = None,
                   id_col: str | None = None) -> str:
    """A commented study file for a corpus whose documents table (:attr:`framing.Corpus.documents`)
    is ``documents``: the corpus and its columns filled in, each metadata column listed with its
    number of distinct values, and every choice the corpus cannot make (grouping, lexicons)
    left commented out for the researcher to make. Nothing is guessed.

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["x", "y"], "outlet": ["A", "B"]})
    >>> print(study_template(docs, "news.csv").splitlines()[5])
    path = "news.csv"
    """
    meta = [c for c in documents.columns if c not in ("doc_id", "text", "file")]
    columns = [f"#   {c}: {documents[c].nunique(dropna=True):,} distinct values, e.g. "
               f"{', '.join(repr(str(v)) for v in documents[c].dropna().unique()[:3])}" for c in meta]
    lines = [
        "# A framing study: the choices every command of this study shares.",
        "# Commands find framing.toml in the current folder (or take --study FILE); an option given",
        "# on the command line wins. Relative paths are read from this file's folder.",
        "",
        "[corpus]",
        f"path = {_toml(corpus)}",
        *([f"text_col = {_toml(text_col)}"] if text_col else []),
        *([f"id_col = {_toml(id_col)}"] if id_col else []),
        "# clean = true                # remove web chrome with the cleaning rules",
        "",
        "[groups]",
        "# The corpus's metadata columns (choose the grouping; none is chosen for you):",
        *(columns or ["#   (none: add a manifest.csv or metadata columns to compare groups)"]),
        *(f"# by = {_toml(meta[0])}" for _ in meta[:1]),
        "# contrast = \"...\"            # a column with few groups, for two-sided contrasts",
        "# target = \"...\"              # the group of the contrast set against the rest",
        "# reference = [\"...\"]         # what it is set against (default: all the others)",
        "# time = \"...\"                # the date column, for trends",
        "",
        "[lexicons]",
        "# lexicon = \"framing\"         # a bundled lexicon, your own by name (./lexicons) or a file",
        "# actors = \"actors\"           # an actors lexicon",
        "# stopwords = \"english\"",
        "",
        "[frames]",
        "# codebook = \"policy_frames\"  # the frames coders mark: policy_frames, generic_frames or a file",
        "# sheet = \"coded.csv\"         # a coded sheet of 'framing code sample', for notebook 11",
        "# method = \"acc\"              # prevalence correction: acc, pacc, em (or cc, pcc uncorrected)",
        "",
        "[resampling]",
        "n_boot = 2000",
        "n_perm = 5000",
        "seed = 0",
        "level = 0.95                   # central share of every interval",
        "unit = \"auto\"                  # resample documents when every group has 5, else sentences within them",
        "",
        "[output]",
        "# folder = \"figures\"",
        "formats = [\"png\"]            # any of png, svg, pdf",
        "dpi = 150",
        "",
    ]
    return "\n".join(lines)


def _toml(value: str) -> str:
    """A TOML basic string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
