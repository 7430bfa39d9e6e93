"""python -m framing.cli: the command line, as ``framing`` and ``python -m framing`` run it."""

import sys

from framing.cli import console

sys.exit(console())
