"""python -m framing: the command line."""

import sys

from framing.cli import main

sys.exit(main())
