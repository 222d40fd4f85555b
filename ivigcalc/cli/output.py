"""Where a command's output goes: standard output, or a report file written atomically.

Why atomic: a report that an interrupted batch (Ctrl+C, a full disk) left half-written
looks complete to the next reader, and writing over the input destroys the claims. So a
report is written to a temporary file in the target's folder and renamed over the target
only when complete; an existing file is replaced only with --force, an input never.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from ivigcalc.errors import InputError


def stdout() -> IO[str]:
    """sys.stdout, or an InputError when it was closed (`ivigcalc calc ... >&-`)."""
    if sys.stdout is None:
        raise InputError("output", "standard output is closed; give --output FILE or let the "
                         "command write to a terminal, file or pipe")
    return sys.stdout


def _same_file(a: Path, b: str) -> bool:
    try:
        return a.exists() and os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


@contextmanager
def report(path: str | None, *, force: bool, inputs: Sequence[str | None]) -> Iterator[IO[str]]:
    """A text stream for the report: stdout when `path` is None, else an atomic file."""
    if path is None:
        yield stdout()
        return
    target = Path(path)
    for given in inputs:
        if given and _same_file(target, given):
            raise InputError("output", f"{path} is an input of this command ({given}); write "
                             "the report to another file")
    if target.exists() or target.is_symlink():
        if not target.is_file():
            raise InputError("output", f"{path} is not a regular file; give the path of a "
                             "report file")
        if not force:
            raise InputError("output", f"{path} already exists; add --force to replace it")
    folder = target.parent
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise InputError("output", f"cannot write in {folder}/ ({error.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
