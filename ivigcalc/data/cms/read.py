"""Bytes to rows: a CMS CSV, or the zip CMS distributes, decoded and split into cells.

Why by hand-picked rules: CMS writes Latin-1 (Addendum B carries stray 0xA0/0x92 bytes),
CRLF line ends, line breaks inside quoted cells and rows padded to ~250 empty cells. A file
is UTF-8 only when it decodes as such (a BOM is dropped); otherwise it is Latin-1, which
reads any byte. Trailing empty cells and spaces around a cell are dropped here, once.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ivigcalc.data import files
from ivigcalc.errors import IvigcalcError

MAX_BYTES = 64 * 1024 * 1024  # a file or zip member; the largest CMS CSV is 2.8 MB
MAX_ZIP_TOTAL = 128 * 1024 * 1024  # all of one zip's CSVs unpacked
MAX_MEMBERS = 64  # CMS's zips hold a CSV, a spreadsheet and a readme or two
MAX_RATIO = 200  # unpacked : packed; a CMS CSV deflates at most 23:1 (the padded crosswalk)
ZIP_MAGIC = b"PK\x03\x04"
# CMS pads rows with up to ~250 empty cells. Dropping them before the CSV reader (at CRLF
# row ends only: a line break inside a quoted cell is a bare LF in CMS's files) makes a
# quarter import in a fraction of a second; trailing empty cells carry nothing.
_PADDING = re.compile(r",+(?=\r\n|\Z)")


class ImportRefused(IvigcalcError):
    """A CMS file cannot be imported: one line naming the file and what is wrong."""


@dataclass(frozen=True)
class Table:
    """One CSV as read: where it came from (file, or zip and member) and its rows."""

    name: str  # the CSV's own name, as CMS gave it
    origin: str  # what the user named: the path, or 'archive.zip: member.csv'
    rows: tuple[tuple[str, ...], ...]


def decode(data: bytes) -> str:
    """UTF-8 when the bytes are UTF-8 (BOM dropped), else Latin-1 as CMS writes."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def rows_of(data: bytes, origin: str) -> tuple[tuple[str, ...], ...]:
    try:
        text = _PADDING.sub("", decode(data))
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        rows = []
        for row in reader:
            cells = [cell.strip() for cell in row]
            while cells and not cells[-1]:
                cells.pop()
            rows.append(tuple(cells))
    except csv.Error as error:
        raise ImportRefused(f"{origin}: is not a readable CSV file ({error})") from None
    return tuple(rows)


def _refused(path: Path, error: files.UnreadableFile) -> ImportRefused:
    return ImportRefused(f"{path}: {error}")


def _zip_tables(path: Path) -> list[Table]:
    limits = files.ZipLimits(member_bytes=MAX_BYTES, total_bytes=MAX_ZIP_TOTAL,
                             members=MAX_MEMBERS, ratio=MAX_RATIO)
    tables = []
    try:
        # A folder ends in '/': never a CSV.
        for member, data in files.zip_members(path, MAX_BYTES, limits,
                                               lambda name: name.lower().endswith(".csv")):
            name = Path(member).name
            origin = f"{path}: {name}"
            tables.append(Table(name, origin, rows_of(data, origin)))
    except files.UnreadableFile as error:
        raise _refused(path, error) from None
    if not tables:
        raise ImportRefused(f"{path}: the zip holds no CSV file; CMS's zips carry the CSV "
                            "beside the spreadsheet")
    return tables


def tables(path: str | Path) -> list[Table]:
    """The CSV tables in one file the user named (a zip may hold several), read at the
    file boundary: a regular file, capped, a zip's members checked before unpacking."""
    path = Path(path)
    try:
        with files.opened(path, MAX_BYTES) as handle:
            if handle.read(len(ZIP_MAGIC)) == ZIP_MAGIC:
                data = None  # the zip reader streams it, member by member
            else:
                handle.seek(0)
                data = files.read_limited(handle, MAX_BYTES)
    except files.UnreadableFile as error:
        raise _refused(path, error) from None
    except OSError as error:
        raise ImportRefused(f"{path}: cannot be read ({error.strerror})") from None
    if data is None:
        return _zip_tables(path)
    return [Table(path.name, str(path), rows_of(data, str(path)))]
