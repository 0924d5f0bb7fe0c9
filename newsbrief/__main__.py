"""``python -m newsbrief``: the command line."""

import sys

from newsbrief.cli import main

sys.exit(main())
