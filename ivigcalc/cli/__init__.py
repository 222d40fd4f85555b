"""The command-line face (argparse) over the engine. May import everything but gui."""

from ivigcalc.cli.main import main

__all__ = ["main"]
