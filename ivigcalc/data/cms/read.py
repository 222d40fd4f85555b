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
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ivigcalc.errors import IvigcalcError

MAX_BYTES = 64 * 1024 * 1024  # the largest CMS file (Addendum B) is about 1 MB
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


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ImportRefused(f"{path}: is {size:,} bytes, more than any CMS file "
                                f"({MAX_BYTES // 2**20} MB at most)")
        return path.read_bytes()
    except OSError as error:
        raise ImportRefused(f"{path}: cannot be read ({error.strerror})") from None


def _zip_tables(path: Path, data: bytes) -> list[Table]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        tables = []
        for info in archive.infolist():
            if not info.filename.lower().endswith(".csv"):  # a folder ends in '/'
                continue
            if info.file_size > MAX_BYTES:
                raise ImportRefused(f"{path}: member {info.filename} is {info.file_size:,} "
                                    f"bytes unpacked, more than any CMS file")
            name = Path(info.filename).name
            origin = f"{path}: {name}"
            tables.append(Table(name, origin, rows_of(archive.read(info), origin)))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as error:
        raise ImportRefused(f"{path}: is not a readable zip file ({error})") from None
    if not tables:
        raise ImportRefused(f"{path}: the zip holds no CSV file; CMS's zips carry the CSV "
                            "beside the spreadsheet")
    return tables


def tables(path: str | Path) -> list[Table]:
    """The CSV tables in one file the user named (a zip may hold several)."""
    path = Path(path)
    data = _read_bytes(path)
    if data.startswith(ZIP_MAGIC):
        return _zip_tables(path, data)
    return [Table(path.name, str(path), rows_of(data, str(path)))]
