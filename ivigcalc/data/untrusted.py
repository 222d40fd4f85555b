"""The one boundary for untrusted text and files: size limits first, then strict reading.

Why one place: every typed value, CSV cell and catalog file passes here before any parser,
pint or tomllib sees it, so the same rules hold everywhere. Text is refused when it is too
long, holds control characters or non-ASCII digits; files are read only when they are
regular files under a size cap (a FIFO or /dev/zero must never block or fill memory), and
bytes that are not UTF-8 are explained (Latin-1, UTF-16, a byte-order mark) with the line
and column where they were found. Refusals are one line and name the field.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat

from ivigcalc.errors import CONTROL, InputError, printable

MAX_FIELD_CHARS = 200  # a typed quantity, key, date or billed line
MAX_CELL_CHARS = 10_000  # one CSV cell (a lines cell with many lines included)
MAX_DIGITS = 12  # digits in one typed number: more is a slip, and big ints are slow
MAX_CATALOG_BYTES = 1 << 20  # a site catalog is a few kB; 1 MiB is far beyond any real one
MAX_CSV_BYTES = 64 << 20  # ~300,000 claim rows
MAX_CSV_ROWS = 500_000
SHOWN_CHARS = 60  # how much of a refused value a message echoes

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DIGIT_RUN = re.compile(r"[0-9]+")


def shown(value: str) -> str:
    """A value as a message quotes it: one line, at most SHOWN_CHARS characters."""
    return printable(value, SHOWN_CHARS)


def clean(value: str, field: str, *, max_chars: int = MAX_FIELD_CHARS,
          line_breaks: bool = False) -> str:
    """`value` unchanged when it is short enough and has no control characters.

    `line_breaks` lets LF, CR and CRLF through for cells that hold several lines (Alt+Enter
    in a spreadsheet); tabs and other controls are refused even there.
    """
    if len(value) > max_chars:
        raise InputError(field, f"{len(value)} characters is too long; accepts at most "
                         f"{max_chars}")
    found = CONTROL.search(value.replace("\r", "").replace("\n", "") if line_breaks
                           else value)
    if found:
        raise InputError(field, f"'{shown(value)}' holds a control character "
                         f"({printable(found.group())}); type plain text")
    if not value.isascii():
        digit = next((c for c in value if c.isdigit() and not c.isascii()), None)
        if digit is not None:
            raise InputError(field, f"'{shown(value)}' has the digit '{digit}'; type the "
                             "digits 0-9")
    return value


def check_digits(number: str, field: str, text: str) -> None:
    """Refuse a number with more than MAX_DIGITS digits (a slip, and slow as an int)."""
    if sum(len(run) for run in _DIGIT_RUN.findall(number)) > MAX_DIGITS:
        raise InputError(field, f"'{shown(text)}' has more than {MAX_DIGITS} digits; "
                         "check the number typed")


def parse_date(value: str, field: str = "date") -> dt.date:
    """A calendar date written YYYY-MM-DD, nothing else (no week dates, no 20250101)."""
    text = clean(value, field).strip()
    if not _ISO_DATE.fullmatch(text):
        raise InputError(field, f"'{shown(text)}' is not a date; accepts YYYY-MM-DD, e.g. "
                         "2026-11-28")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(field, f"'{text}' is not a day of the calendar; accepts YYYY-MM-DD, "
                         "e.g. 2026-11-28") from None


def whole_number(value: str, field: str, low: int, high: int) -> int:
    """A whole number from `low` to `high`, written in ASCII digits only."""
    text = clean(value, field).strip()
    if not text.isdigit() or len(text) > MAX_DIGITS or not low <= int(text) <= high:
        raise InputError(field, f"'{shown(text)}' is not accepted; accepts a whole number "
                         f"from {low} to {high}")
    return int(text)


class UnreadableFile(Exception):
    """A file refused at the boundary; the message says why (the caller adds which file)."""


def read_bytes(path: str | os.PathLike[str], cap: int) -> bytes:
    """The bytes of a regular file of at most `cap` bytes; UnreadableFile otherwise.

    Opened non-blocking, so a FIFO neither blocks the open nor the read; its type is
    checked on the open descriptor (no race with a rename), and at most cap + 1 bytes are
    ever read, so a file that grows while being read is still refused.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise UnreadableFile(f"cannot be read ({error.strerror})") from None
    except ValueError:  # a NUL byte in the path
        raise UnreadableFile("is not a usable file name") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("is not a regular file (a folder, device or pipe); give "
                                 "the path of a file")
        if info.st_size > cap:
            raise UnreadableFile(f"is {info.st_size:,} bytes, over the {cap:,}-byte limit")
        chunks, total = [], 0
        while total <= cap:
            chunk = os.read(fd, min(1 << 20, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > cap:
            raise UnreadableFile(f"grew past the {cap:,}-byte limit while being read")
        return b"".join(chunks)
    except OSError as error:
        raise UnreadableFile(f"cannot be read ({error.strerror})") from None
    finally:
        os.close(fd)


def decode(data: bytes, *, allow_bom: bool) -> str:
    """UTF-8 text, or UnreadableFile naming the encoding it looks like and where it fails."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("is UTF-16 text (Notepad's 'Unicode'), not UTF-8; save it as "
                             "UTF-8")
    if b"\x00" in data:
        raise UnreadableFile("holds NUL bytes (UTF-16 without a byte-order mark, or not a "
                             "text file); save it as UTF-8 text")
    if data.startswith(b"\xef\xbb\xbf"):
        if not allow_bom:
            raise UnreadableFile("starts with a byte-order mark (saved as 'UTF-8 with BOM'),"
                                 " which TOML does not allow; save it as UTF-8 without BOM")
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        guess = " (Latin-1 or Windows-1252?)" if 0x80 <= byte <= 0xFF else ""
        raise UnreadableFile(f"is not UTF-8: byte 0x{byte:02X} at line {line}, column "
                             f"{column}{guess}; save it as UTF-8") from None
