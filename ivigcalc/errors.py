"""The three ways a calculation can stop, each carrying a message a person can act on.

Front ends catch `IvigcalcError` and print `str(error)`: one line, never a traceback.
"""

from __future__ import annotations

import re

# C0 and C1 controls (tab, CR, LF, ESC...), DEL and the Unicode line/paragraph separators.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(value: str, limit: int | None = None) -> str:
    """`value` on one line: control characters as escapes (\\n, \\x1b), cut to `limit` chars.

    Why: messages echo what was typed or read from a file, and a raw line break or escape
    sequence would spill a one-line refusal over several lines or repaint a terminal.
    """
    text = CONTROL.sub(lambda m: repr(m.group())[1:-1], value)
    if limit is not None and len(text) > limit:
        text = text[:limit] + f"… ({len(value)} characters)"
    return text


class IvigcalcError(Exception):
    """Base class: `str()` is the whole one-line message (control characters escaped)."""

    def __init__(self, message: str) -> None:
        super().__init__(printable(message))


class InputError(IvigcalcError):
    """Something a person typed cannot be read. Names the field and what it accepts."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.detail = message
        super().__init__(f"{field}: {message}")


class Refusal(IvigcalcError):
    """The input was read but the calculation must not proceed (hard limit, wrong code/route)."""

    def __init__(self, message: str, *, field: str | None = None, source: str = "",
                 problems: dict[str, str] | None = None) -> None:
        self.field = field
        self.source = source
        # Every field's problem when several limits broke at once (field -> message).
        self.problems = problems or ({field: message} if field else {})
        super().__init__(message)


class CatalogError(IvigcalcError):
    """A data file is wrong. Names the file, the entry and the field."""

    def __init__(self, file: str, entry: str | None, field: str | None, message: str) -> None:
        self.file = file
        self.entry = entry
        self.field_name = field
        where = file
        if entry:
            where += f": [{entry}]"
        if field:
            where += f" field '{field}'"
        super().__init__(f"{where}: {message}")
