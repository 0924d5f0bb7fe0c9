"""``python -m newsbrief``: the command line."""

import sys

from newsbrief.surfaces.cli import main

sys.exit(main())
