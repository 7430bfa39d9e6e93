"""Codebooks: the frames coders mark, as data (TOML, with provenance, like a lexicon).

A codebook lists frames, each with a ``label``, a ``definition`` and optionally yes/no
indicator ``questions`` (a unit carries the frame when any answer is yes). Each frame's name
becomes one column of a coding sheet (:func:`framing.validation.frame_sheets.frame_sheet`),
so names are lower-case identifiers. Two are bundled: ``policy_frames`` (the fifteen
dimensions of the Policy Frames Codebook, Boydstun et al. 2014) and ``generic_frames``
(Semetko & Valkenburg 2000, with indicator questions). ``framing codebook new NAME`` starts
a study's own from ``framing/data/codebook_template.toml``.

File format::

    [meta]
    name = "my_frames"          # required, with version, description, source, licence
    version = "0.1.0"
    unit = "sentence"           # optional: the unit it was written for
    rule = "Code 1 for ..."     # optional: the coding rule shown on the sheet

    [frames.conflict]
    label = "Conflict"          # optional (default: the name)
    definition = "..."          # required
    questions = ["Does ...?"]   # optional
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from framing.errors import FramingError
from framing.output import write_text

FRAME_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
REQUIRED_META = ("name", "version", "description", "source", "licence")
OPTIONAL_META = ("citation", "unit", "rule", "language", "derived_from")
FRAME_KEYS = ("label", "definition", "questions")
RESERVED = frozenset({"item_id", "doc_id", "unit", "unit_index", "start", "end", "text", "sample", "weight", "note",
                      "stratum", "context", "uncertainty"})
"""Sheet columns a frame may not be named after."""


@dataclass(frozen=True)
class Frame:
    name: str
    label: str
    definition: str
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """A list of frames with its provenance (``meta``) and where it was read from (``path``)."""

    name: str
    meta: dict
    frames: tuple[Frame, ...]
    path: str = "<string>"

    @property
    def frame_names(self) -> list[str]:
        return [f.name for f in self.frames]

    @property
    def id(self) -> str:
        """``name@version#hash``: the hash covers what decides a sheet's columns and their meaning
        (frame names and definitions), so an edited definition gives another id."""
        digest = hashlib.sha256("\n".join(f"{f.name}\t{f.definition}" for f in self.frames).encode()).hexdigest()[:8]
        return f"{self.name}@{self.meta.get('version', '')}#{digest}"

    def frame(self, name: str) -> Frame:
        for f in self.frames:
            if f.name == name:
                return f
        raise FramingError(f"codebook '{self.name}' has no frame '{name}'; its frames: {', '.join(self.frame_names)}")

    def format(self) -> str:
        """The codebook as a coder reads it: provenance, rule, then each frame."""
        lines = [f"{self.name} {self.meta.get('version', '')} ({len(self.frames)} frames)", f"  {self.meta['description']}",
                 f"  source: {self.meta['source']}", f"  licence: {self.meta['licence']}"]
        if self.meta.get("rule"):
            lines.append(f"  rule: {self.meta['rule']}")
        for f in self.frames:
            lines += ["", f"{f.name}: {f.label}", f"  {f.definition}"] + [f"  - {q}" for q in f.questions]
        return "\n".join(lines)


def codebook_from_toml(text: str, *, source: str = "<string>") -> Codebook:
    """Build a :class:`Codebook` from the text of a codebook file; every error names ``source`` and the key.

    Examples
    --------
    >>> book = codebook_from_toml('''
    ... [meta]
    ... name = "tiny"
    ... version = "1"
    ... description = "two frames"
    ... source = "a test"
    ... licence = "CC0"
    ... [frames.conflict]
    ... definition = "sides disagree"
    ... [frames.morality]
    ... definition = "right and wrong"
    ... questions = ["Is there a moral message?"]
    ... ''')
    >>> book.frame_names, book.frame("morality").questions
    (['conflict', 'morality'], ('Is there a moral message?',))
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FramingError(f"{source}: malformed TOML ({exc}); see `framing codebook new --help` for the format") from None
    unknown = sorted(set(data) - {"meta", "frames"})
    if unknown:
        raise FramingError(f"{source}: unknown table [{unknown[0]}]; a codebook has [meta] and [frames.NAME] tables")
    meta = data.get("meta")
    if not isinstance(meta, dict):
        raise FramingError(f"{source}: missing [meta] table (name, version, description, source, licence)")
    for key in REQUIRED_META:
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise FramingError(f"{source}: [meta] {key} is missing or empty; a codebook carries its provenance "
                               f"({', '.join(REQUIRED_META)})")
    for key, value in meta.items():
        if key not in REQUIRED_META + OPTIONAL_META:
            raise FramingError(f"{source}: [meta] has an unknown key '{key}'; known keys: "
                               f"{', '.join(REQUIRED_META + OPTIONAL_META)}")
        if not isinstance(value, str):
            raise FramingError(f"{source}: [meta] {key} must be a string, got {value!r}")
    if meta.get("unit") and meta["unit"] not in ("sentence", "paragraph", "document"):
        raise FramingError(f"{source}: [meta] unit must be sentence, paragraph or document, got {meta['unit']!r}")
    table = data.get("frames")
    if not isinstance(table, dict) or not table:
        raise FramingError(f"{source}: no [frames.NAME] tables; a codebook needs at least one frame")
    frames = []
    for name, spec in table.items():
        where = f"{source}: [frames.{name}]"
        if not FRAME_NAME.match(name) or name in RESERVED:
            raise FramingError(f"{where}: a frame name becomes a sheet column: use lower-case letters, digits and _, "
                               f"starting with a letter, and none of {', '.join(sorted(RESERVED))}")
        if not isinstance(spec, dict):
            raise FramingError(f"{where}: must be a table with definition = \"...\"")
        extra = sorted(set(spec) - set(FRAME_KEYS))
        if extra:
            raise FramingError(f"{where}: unknown key '{extra[0]}'; a frame has {', '.join(FRAME_KEYS)}")
        definition = spec.get("definition")
        if not isinstance(definition, str) or not definition.strip():
            raise FramingError(f"{where}: definition is missing or empty; write what a unit must do to carry the frame")
        label = spec.get("label", name)
        if not isinstance(label, str) or not label.strip():
            raise FramingError(f"{where}: label must be a non-empty string")
        questions = spec.get("questions", [])
        if not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() for q in questions):
            raise FramingError(f"{where}: questions must be a list of non-empty strings")
        frames.append(Frame(name, label.strip(), " ".join(definition.split()), tuple(q.strip() for q in questions)))
    return Codebook(meta["name"], dict(meta), tuple(frames), source)


def bundled_codebooks() -> list[str]:
    """Names of the codebooks shipped in ``framing/codebooks``."""
    return sorted(p.name[:-5] for p in files("framing.codebooks").iterdir() if p.name.endswith(".toml"))


def read_codebook(name_or_path: "str | Path | Codebook") -> Codebook:
    """A codebook by path (a ``.toml`` file) or by bundled name (:func:`bundled_codebooks`).

    Examples
    --------
    >>> read_codebook("generic_frames").frame_names
    ['responsibility', 'human_interest', 'conflict', 'morality', 'economic_consequences']
    """
    if isinstance(name_or_path, Codebook):
        return name_or_path
    text_name = str(name_or_path)
    path = Path(text_name)
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise FramingError(f"{path}: not UTF-8 (byte {exc.start}); re-save the file as UTF-8") from None
        except OSError as exc:
            raise FramingError(f"{path}: cannot read ({exc.strerror or exc})") from None
        return codebook_from_toml(text, source=str(path))
    if text_name in bundled_codebooks():
        resource = files("framing.codebooks").joinpath(f"{text_name}.toml")
        return codebook_from_toml(resource.read_text(encoding="utf-8"), source=f"framing/codebooks/{text_name}.toml")
    if text_name.endswith(".toml") or "/" in text_name:
        raise FramingError(f"{text_name}: no such codebook file")
    raise FramingError(f"no codebook named '{text_name}'; bundled: {', '.join(bundled_codebooks())}, "
                       "or give the path of a .toml file (framing codebook new NAME starts one)")


def new_codebook(name: str, *, folder: "str | Path | None" = None) -> Path:
    """Write a starter codebook ``NAME.toml`` into ``folder`` (default: ``./codebooks``); never overwrites."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9_-]*$", name):
        raise FramingError(f"codebook name {name!r} must start with a letter and use letters, digits, _ or -")
    folder = Path(folder) if folder is not None else Path.cwd() / "codebooks"
    path = folder / f"{name}.toml"
    if path.exists():
        raise FramingError(f"{path} exists already; choose another name or edit that file")
    text = files("framing.data").joinpath("codebook_template.toml").read_text(encoding="utf-8").replace("{name}", name)
    codebook_from_toml(text, source="framing/data/codebook_template.toml")  # the template itself must read
    return write_text(path, text)
