"""A study file's settings as a command's option defaults: the command line wins, and what was
taken from where is said once, on stderr."""

from __future__ import annotations

import argparse
import os
import sys

from framing.cli.parser import _Append, leaf_parser
from framing.errors import FramingError
from framing.study import SCHEMA, Study, find_study, setting_name

DESTS = {"reuse_min_words": ("reuse_min_words", "min_words"), "clean": ("no_clean",)}
"""The options a setting fills where its name is not the option's (``framing reuse --min-words``)."""

KEYS = {setting_name(section, key): f"[{section}] {key}" for section, keys in SCHEMA.items() for key in keys}
"""Each setting's place in the study file, for errors."""


def with_study(parser: argparse.ArgumentParser, argv: list[str] | None, args: argparse.Namespace) -> argparse.Namespace:
    """``args`` parsed again with the study file's settings as defaults (the file given with
    ``--study``, else ``framing.toml`` here, else the command's own default study, the seeds' for
    ``framing figures`` in the project), and a command that reads a corpus given one."""
    leaf = leaf_parser(parser, args)
    if getattr(args, "command", None) != "study":
        study = find_study(getattr(args, "study", None))
        if study is None and getattr(args, "default_study", None) is not None and getattr(args, "corpus", None) is None:
            study = args.default_study()
        if study is not None:
            defaults = _defaults(leaf, study, args)
            if defaults:
                leaf.set_defaults(**defaults)
                args = parser.parse_args(argv)
                _say(study, args, defaults)
    missing = [option for name, option in vars(args).items() if name.startswith("_needs_")
               and getattr(args, name.removeprefix("_needs_")) is None]
    if missing:
        raise FramingError(f"{leaf.prog}: {', '.join(missing)} is required; give it, or set "
                           f"{', '.join(KEYS[m.lstrip('-').replace('-', '_')] for m in missing)} in the study file")
    corpus = next((a for a in leaf._actions if a.dest == "corpus" and not a.option_strings), None)
    if corpus is not None and args.corpus is None:
        raise FramingError(f"{leaf.prog}: give CORPUS, or run beside a study file (framing.toml, or --study FILE) "
                           "whose [corpus] path names it")
    return args


def _defaults(leaf: argparse.ArgumentParser, study: Study, args: argparse.Namespace) -> dict:
    """The option defaults of ``leaf`` that ``study`` gives, converted and checked as the option would be.

    The study's ``target`` and ``reference`` are groups of its contrast column (``contrast``,
    else ``by``): a command without ``--contrast`` takes them only when it groups by that column."""
    actions = {a.dest: a for a in leaf._actions}
    settings = study.settings
    contrast = settings.get("contrast", settings.get("by"))
    grouping = getattr(args, "by", None) or settings.get("by")
    out = {}
    for name, value in settings.items():
        dest = next((d for d in DESTS.get(name, (name,)) if d in actions), None)
        if dest is None:
            continue
        if name in ("target", "reference") and "contrast" not in actions and grouping != contrast:
            continue
        action, where = actions[dest], f"{study.path}: {KEYS[name]}"
        if name == "clean":
            value = not value
        elif isinstance(action, _Append):
            value = list(value) if isinstance(value, list) else [value]
        elif isinstance(value, list) and dest != "formats":
            if len(value) != 1:
                raise FramingError(f"{where} names {len(value)} values, and '{leaf.prog}' takes one; "
                                   f"choose with --{dest.replace('_', '-')}")
            value = value[0]
        for item in value if isinstance(value, list) and dest != "formats" else [value]:
            if action.type is not None and not isinstance(item, bool) and dest != "formats":
                try:
                    action.type(str(item))
                except argparse.ArgumentTypeError as exc:
                    raise FramingError(f"{where} {exc}") from None
            if action.choices is not None and item not in action.choices:
                raise FramingError(f"{where} must be one of {', '.join(map(str, action.choices))}, got {item!r}")
        out[dest] = value
    return out


def _shown(value) -> str:
    if isinstance(value, list):
        return ",".join(_shown(v) for v in value)
    if isinstance(value, str) and os.path.isabs(value):
        relative = os.path.relpath(value)
        return relative if len(relative) < len(value) else value
    return str(value)


def _say(study: Study, args: argparse.Namespace, defaults: dict) -> None:
    """One line: the settings this command took from the study, and those the command line changed."""
    taken = [f"{dest}={_shown(value)}" for dest, value in defaults.items() if getattr(args, dest) == value]
    changed = [f"{dest}={_shown(getattr(args, dest))}" for dest, value in defaults.items() if getattr(args, dest) != value]
    line = f"framing: study {_shown(str(study.path))}: {', '.join(taken) or 'nothing this command takes'}"
    print(line + (f"; from the command line: {', '.join(changed)}" if changed else ""), file=sys.stderr)
