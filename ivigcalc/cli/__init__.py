"""The command line (argparse) over the engine and the check. May import every stage but gui."""

from ivigcalc.cli.main import main

__all__ = ["main"]
