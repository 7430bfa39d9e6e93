"""python -m framing: the command line."""

import sys

from framing.cli import console

sys.exit(console())
