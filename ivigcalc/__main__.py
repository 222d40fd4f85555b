"""`python -m ivigcalc`: the same as the `ivigcalc` command (no arguments: the window)."""

import sys

from ivigcalc.cli.main import main

sys.exit(main())
