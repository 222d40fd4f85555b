"""Where a command's output goes: standard output, or a report file written atomically.

Why atomic: a report that an interrupted batch (Ctrl+C, a full disk) left half-written
looks complete to the next reader, and writing over the input destroys the claims. So a
report goes through the file boundary's one writer (ivigcalc/data/files.py): a temporary
file in the target's folder, renamed over the target only when complete; an existing file
is replaced only with --force, an input (the IVIGCALC_CATALOG file included) never.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO

from ivigcalc.data import files
from ivigcalc.errors import InputError


def stdout() -> IO[str]:
    """sys.stdout, or an InputError when it was closed (`ivigcalc calc ... >&-`)."""
    if sys.stdout is None:
        raise InputError("output", "standard output is closed; give --output FILE or let the "
                         "command write to a terminal, file or pipe")
    return sys.stdout


@contextmanager
def report(path: str | None, *, force: bool, inputs: Sequence[str | None]) -> Iterator[IO[str]]:
    """A text stream for the report: stdout when `path` is None, else an atomic file."""
    if path is None:
        yield stdout()
        return
    with files.writing(path, force=force, inputs=inputs) as handle:
        yield handle


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """--output FILE and --force: a report written whole or not at all (files.writing)."""
    parser.add_argument("--output", metavar="FILE", help="write the report here (default: "
                        "stdout); written whole or not at all, never over an input")
    parser.add_argument("--force", action="store_true",
                        help="replace --output FILE if it exists")
