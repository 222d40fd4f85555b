"""Catalog TOML: bounded, exact, and every failure a CatalogError naming the file.

Numbers are exact (TOML floats become Fractions); `inf`, `nan`, exponents past ±50 and
numbers of more than 4,300 digits are refused here, before any rule sees them, and so is
nesting deeper than a catalog ever needs (deep arrays would exhaust the recursion limit).
"""

from __future__ import annotations

import re
import tomllib
from fractions import Fraction
from typing import Any

from ivigcalc.data import files, untrusted
from ivigcalc.errors import CatalogError

MAX_DEPTH = 6  # table > row > field > list > inline table > value
_FLOAT = re.compile(r"[+-]?[0-9_]+(?:\.[0-9_]+)?(?:[eE]([+-]?[0-9_]+))?")


class _BadNumber(ValueError):
    """A float literal refused by `_exact` (tomllib lets it through unchanged)."""

    def __init__(self, literal: str, message: str) -> None:
        self.literal = literal
        super().__init__(message)


def _exact(literal: str) -> Fraction:
    match = _FLOAT.fullmatch(literal)
    if match is None:  # inf, nan, +inf...
        raise _BadNumber(literal, f"the number {literal} is not finite; give a plain number")
    exponent = match.group(1)
    if len(literal) > 40 or (exponent and abs(int(exponent.replace("_", ""))) > 50):
        raise _BadNumber(literal, f"the number {untrusted.shown(literal)} is out of range")
    return Fraction(literal.replace("_", ""))


def _line_of(text: str, literal: str) -> str:
    at = text.find(literal)
    return f" (line {text.count(chr(10), 0, at) + 1})" if at >= 0 else ""


def _depth(value: Any) -> int:
    """How deeply tables and arrays nest (iterative: never recurses on hostile input)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def parse(text: str, label: str) -> dict[str, Any]:
    """TOML text as exact values, or CatalogError(label, ...) saying what is wrong."""
    try:
        data = tomllib.loads(text, parse_float=_exact)
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(label, None, None, f"is not valid TOML ({error})") from None
    except _BadNumber as error:
        raise CatalogError(label, None, None, f"{error}{_line_of(text, error.literal)}") \
            from None
    except ValueError as error:  # tomllib's int(): more than sys.get_int_max_str_digits()
        raise CatalogError(label, None, None, f"holds a number too long to read "
                           f"({str(error).split(':')[0]})") from None
    except RecursionError:
        raise CatalogError(label, None, None, "nests arrays or tables too deeply") from None
    if _depth(data) > MAX_DEPTH:
        raise CatalogError(label, None, None, f"nests arrays or tables more than {MAX_DEPTH} "
                           "levels deep; a catalog needs at most 5")
    return data


def read_site_file(path: str, label: str) -> dict[str, Any]:
    """A site catalog from disk: a regular UTF-8 file of at most MAX_CATALOG_BYTES."""
    try:
        data = files.read_bytes(path, untrusted.MAX_CATALOG_BYTES)
        text = files.decode(data, allow_bom=False)
    except files.UnreadableFile as error:
        raise CatalogError(label, None, None, str(error)) from None
    return parse(text, label)
