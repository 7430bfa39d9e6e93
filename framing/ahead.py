"""Passes counted ahead: while ``framing figures`` runs its first notebook on one core, a process
of its own counts, on the other, a pass a later notebook reads from the run's remembered passes
(:mod:`framing.cache`).

The notebooks run one after the other, each in a kernel of its own, so a run used one core of
two. Notebook 01 (the corpus's sizes) is the lightest, and while it runs this process counts the
shared passages of notebook 09 (:func:`framing.features.reuse.reuse`): on 10,000 one-document
groups (10 MB) 4.3 s of notebook 09's work, done in 5.5 s beside notebook 01 at most 380 MB,
the tree of processes then at about 900 MB. Only that pass: counted in the same process after
it, the English word counts of notebook 03 (its keywords against general English, 3 s) held
another 350 MB while notebook 03 itself had grown to 385 MB, which took the tree past 1 GB;
the stance markers notebook 04 counts take more still.

The pass is asked for with the very call its notebook makes, on the corpus loaded as the
notebooks load it, so it is remembered under the key the notebook looks for; a notebook that
gets there first counts the pass itself, and one that gets there while this process counts it
waits for that count (:func:`framing.cache.remembered`). Nothing here is shown: whatever goes
wrong (a corpus that does not load, say) is said by the notebook that counts the pass itself.

    echo '{"09": {"CORPUS": ..., "REUSE_MIN_WORDS": 30, "TIME": null}}' | python -m framing.ahead
"""

from __future__ import annotations

import json
import sys
import warnings


def count_ahead(asks: dict) -> None:
    """Count the passes that ``asks`` (a notebook's number -> its parameters, as the run gives them)
    holds for notebook 09, as the notebook asks for them; nothing for other notebooks."""
    if "09" not in asks:
        return
    from framing.documents.corpus import load_corpus
    from framing.features.reuse import reuse
    from framing.paths import project_path

    p = asks["09"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the notebooks say what a pass says
        corpus = load_corpus(project_path(p["CORPUS"]), text_col=p.get("TEXT_COL"), id_col=p.get("ID_COL"),
                             language=p.get("LANGUAGE"))
        reuse(corpus, min_words=p["REUSE_MIN_WORDS"], time=p.get("TIME"))  # notebook 09's second step


def main(argv: list[str]) -> int:
    """``python -m framing.ahead [--parent PID]``, the asks of :func:`count_ahead` as JSON on standard
    input: ending with the process that started it (``PID``), and silent: 0 when the passes are
    remembered, 1 when one could not be counted (its notebook counts it, and says why)."""
    from framing.engine import die_with_parent
    from framing.nltk_extras import defer_nltk_extras

    die_with_parent(int(argv[1]) if argv[:1] == ["--parent"] else None)
    defer_nltk_extras()  # memory is given back as in the run: its settings are in the environment
    try:
        count_ahead(json.loads(sys.stdin.read()))
    except Exception:  # noqa: BLE001 - said by the notebook that counts the pass itself
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
