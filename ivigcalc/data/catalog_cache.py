"""The bundled catalog's checked rows, kept between starts so the window need not re-check.

Reading and checking resources/*.toml (tomllib, the schema and its rules) is most of what
the window's first paint waits for in the data layer (issue 14). The result depends only on
those files and on the code that checks them, so it is kept in the app's cache folder,
keyed by a SHA-256 of the package version, the Python version, the resource files' bytes
and the loader's own source files. Anything that does not match exactly (another key, a
truncated or altered file, a class that is not a catalog row) is refused, and the caller
checks the TOML again and rewrites the file. The file holds catalog rows only, never
anything typed into the window.

Pickle, read by an unpickler that can build only the catalog's row types, Fraction and
date: nothing else in the file can be called, and a Fraction only from a short numeral
(`Fraction('1e999999999')` would run for minutes). The file is read and written at the
file boundary (files.py): a regular file under MAX_BYTES, replaced whole.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
import re
import sys
from fractions import Fraction
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeGuard

from ivigcalc import __version__
from ivigcalc.data import files as boundary
from ivigcalc.data import model
from ivigcalc.errors import InputError

log = logging.getLogger(__name__)

FILE = "catalog-rows.pickle"
MAX_BYTES = 4 << 20  # the bundled catalog's rows take about 18 kB
# A kept Fraction is (numerator, denominator), or 'n/d' as older Pythons pickle it; 40 digits
# are far beyond any catalog value.
_FRACTION = re.compile(r"-?[0-9]{1,40}(?:/[1-9][0-9]{0,39})?")
_LARGEST = 10**40
_MAGIC = b"ivigcalc catalog rows 1\n"
# The code whose result is kept: a change to any of them changes the key.
_LOADER = ("catalog.py", "catalog_cache.py", "model.py", "tables.py", "schema.py",
           "bounds.py", "files.py", "toml_exact.py")
_ALLOWED = {("fractions", "Fraction"), ("datetime", "date")} | {
    ("ivigcalc.data.model", name) for name in
    ("Code", "CodeUse", "Product", "Payer", "Policy", "Limit", "Limits", "Preset")}

Rows = tuple[dict[str, dict[str, Any]], dict[str, Any]]


def key(resources: tuple[str, ...]) -> bytes:
    """What the kept rows were made from: versions, resource bytes, the loader's code."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0".encode())
    root = files("ivigcalc.resources")
    for name in resources:
        data = (root / name).read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    here = Path(__file__).parent
    for name in _LOADER:
        source = here / name
        # A frozen bundle has no sources: its executable stands for the code it holds.
        data = source.read_bytes() if source.is_file() else _frozen_identity()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest().encode("ascii")


def _frozen_identity() -> bytes:
    try:
        stat = os.stat(sys.executable)
    except OSError:
        return b"unknown"
    return f"{sys.executable}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()


def _short_fraction(*parts: Any) -> Fraction:
    """A Fraction from what pickle keeps of one, and nothing longer or stranger."""
    if len(parts) == 2 and all(type(p) is int and abs(p) < _LARGEST for p in parts) \
            and parts[1] > 0:
        return Fraction(parts[0], parts[1])
    if len(parts) == 1 and isinstance(parts[0], str) and _FRACTION.fullmatch(parts[0]):
        return Fraction(parts[0])
    raise pickle.UnpicklingError("a kept number is not a short fraction")


class _RowsOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a catalog row type")
        if (module, name) == ("fractions", "Fraction"):
            return _short_fraction
        return super().find_class(module, name)


def read(folder: Path, resources: tuple[str, ...]) -> Rows | None:
    """The kept rows if the file matches `key(resources)` exactly, else None."""
    try:  # a FIFO or device here is refused without blocking, like any other damage
        data = boundary.read_bytes(folder / FILE, MAX_BYTES)
    except boundary.UnreadableFile:
        return None
    head = len(_MAGIC)
    expected = key(resources)
    if data[:head] != _MAGIC or data[head:head + 64] != expected:
        return None
    payload = data[head + 128:]
    if hashlib.sha256(payload).hexdigest().encode("ascii") != data[head + 64:head + 128]:
        return None
    try:
        rows = _RowsOnly(io.BytesIO(payload)).load()
    except Exception:  # any damage: refuse it; the caller checks the TOML again
        log.warning("catalog cache %s refused; checking the catalog again", folder / FILE)
        return None
    return rows if _shaped(rows) else None


_ROW_TYPES = {"codes": model.Code, "products": model.Product, "payers": model.Payer,
              "policies": model.Policy, "limits": model.Limits, "presets": model.Preset}


def _shaped(rows: Any) -> TypeGuard[Rows]:
    """(each table's rows by key, the catalog's info): what `write` stores, nothing else."""
    if not (isinstance(rows, tuple) and len(rows) == 2 and isinstance(rows[0], dict)
            and isinstance(rows[1], dict) and tuple(rows[0]) == model.TABLES):
        return False
    return all(isinstance(table, dict) and all(
        isinstance(k, str) and type(row) is _ROW_TYPES[name] for k, row in table.items())
        for name, table in rows[0].items())


def write(folder: Path, resources: tuple[str, ...], rows: Rows) -> None:
    """Keep `rows` for the next start: written whole to a temporary file, then renamed
    over the old one, so a reader sees the old file or the new one, never half of one.
    A folder that cannot be written only means the next start checks the TOML again."""
    payload = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
    data = (_MAGIC + key(resources) + hashlib.sha256(payload).hexdigest().encode("ascii")
            + payload)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        boundary.write_bytes(folder / FILE, data, force=True, field="catalog cache")
    except (OSError, InputError) as error:  # InputError: a folder or device in its place
        log.info("catalog cache not written to %s: %s", folder, error)
