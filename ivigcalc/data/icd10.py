"""The ICD-10-CM code set (CMS's release), read lazily from one compact table.

The table (resources/icd10cm.tsv.gz, made by scripts/make_icd10_table.py) holds every
category and code with its CMS description and whether it is billable. It is read on the
first diagnosis looked up, never at start-up, so the window paints without it.
"""

from __future__ import annotations

import bisect
import gzip
import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.resources import files

from ivigcalc.errors import InputError

TABLE = "icd10cm.tsv.gz"
MAX_CODES = 12  # diagnosis codes on one order: a CMS-1500 holds 12
_PATTERN = re.compile(r"^([A-Z][0-9][0-9A-Z])\.?([0-9A-Z]{0,4})$")


@dataclass(frozen=True)
class Diagnosis:
    code: str  # with its dot, as CMS prints it: D80.0
    description: str


@dataclass(frozen=True)
class CodeSet:
    release: str
    billable: dict[str, str]  # code -> description
    headers: dict[str, str]  # categories and subcategories that need more characters

    @cached_property
    def ordered(self) -> list[str]:
        """The billable codes sorted: a category's codes are one run, found by bisection
        (a batch of rows naming a category must not scan ~75,000 codes for each)."""
        return sorted(self.billable)

    def under(self, category: str) -> list[str]:
        """The billable codes that start with `category` (itself excluded), sorted."""
        codes = self.ordered
        start = bisect.bisect_left(codes, category)
        end = bisect.bisect_left(codes, category + "\U0010ffff", start)
        return [c for c in codes[start:end] if c != category]


@cache
def code_set() -> CodeSet:
    raw = files("ivigcalc.resources").joinpath(TABLE).read_bytes()
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    release = lines[0].lstrip("# ").split(";")[0].strip()
    billable: dict[str, str] = {}
    headers: dict[str, str] = {}
    for line in lines[1:]:
        code, kind, description = line.split("\t", 2)
        (billable if kind == "B" else headers)[code] = description
    return CodeSet(release, billable, headers)


def normalise(typed: str, field: str = "dx") -> str:
    """'d800', ' D80.0 ' -> 'D80.0'; anything that cannot be a code is refused."""
    value = typed.strip().upper()
    match = _PATTERN.match(value) if len(value) <= 9 else None
    if not match:
        shown = "".join(c if c.isascii() and c.isprintable() else "?" for c in typed.strip()[:12])
        raise InputError(field, f"'{shown}' is not an ICD-10-CM code; accepts a letter, two "
                         "characters, then up to four after a dot, e.g. D80.0 or G61.81")
    head, tail = match.groups()
    return f"{head}.{tail}" if tail else head


def lookup(typed: str, field: str = "dx") -> Diagnosis:
    """A billable ICD-10-CM code and its description, or a one-line refusal saying why."""
    code = normalise(typed, field)
    codes = code_set()
    if code in codes.billable:
        return Diagnosis(code, codes.billable[code])
    if code in codes.headers:
        children = codes.under(code)
        example = f" ({children[0]} … {children[-1]})" if children else ""
        raise InputError(field, f"{code} ({codes.headers[code]}) is a category, not a billable "
                         f"code; add the next character{example}")
    raise InputError(field, f"{code} is not a code in the {codes.release}")


def parse_list(typed: str | None, field: str = "dx") -> tuple[Diagnosis, ...]:
    """'D80.0, G61.81' -> both diagnoses, each checked; duplicates are refused."""
    if typed is None or not typed.strip():
        return ()
    parts = [p for p in re.split(r"[,;\s]+", typed.strip()) if p]
    if len(parts) > MAX_CODES:
        raise InputError(field, f"{len(parts)} codes; accepts at most {MAX_CODES} "
                         "(a CMS-1500 claim holds 12)")
    found = [lookup(p, field) for p in parts]
    seen: set[str] = set()
    for d in found:
        if d.code in seen:
            raise InputError(field, f"{d.code} is listed twice")
        seen.add(d.code)
    return tuple(found)
