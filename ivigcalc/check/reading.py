"""Reading what a coder pastes: billed claim lines and the vials opened.

Why strict: a claim check that guesses what a line meant would hide exactly the mistakes it
exists to find, so a line is read in the forms coders write or reported as unreadable, with
the accepted form shown.

Billed lines (one per line; code, then modifiers, then whole units):
    J1561 JA 55    J1561-JA-JW x5    J1561 JA JW 5 units    J1561 JA 55 N412345678901 UN1
  a line may carry more N4 segments: the NDCs a payer takes in the line's note (837P NTE*ADD,
  CMS-1500 item 19) when a day opens two sizes (billing/multiple_ndc.py):
    J1561 JA 55 N413533080024 UN1 N413533080020 UN1
Vials opened (counts of labeled sizes, joined by ',' or '+'):
    3 x 10 g    3 × 10 g    10 g, 10 g, 10 g    2 x 10 g + 1 x 5 g
Parsing is cached (functools.lru_cache): batch files repeat the same lines and vial lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache
from operator import itemgetter

from ivigcalc.billing import ndc
from ivigcalc.billing.ndc import NdcSegment
from ivigcalc.data import untrusted
from ivigcalc.dose import units
from ivigcalc.errors import InputError

LINE_ACCEPTS = ("CODE, modifiers, then whole units, e.g. 'J1561 JA 55', 'J1561-JA-JW x5' or "
                "'J1561 JA JW 5 units', optionally followed by an NDC segment like "
                "'N412345678901 UN1'")
VIALS_ACCEPTS = ("the vials opened, as counts of sizes in g or mg, e.g. '3 x 10 g', "
                 "'10 g, 10 g, 10 g' or '2 x 10 g + 1 x 5 g'")
MAX_MODIFIERS = 4  # modifier positions on a CMS-1500 / 837P service line (NUCC item 24D)
MAX_UNIT_DIGITS = 7  # CMS-1500 item 24G holds three digits, 837P SV104 allows more: 7 is ample
MAX_VIALS = 999  # vials of one size in one claim

_CODE = re.compile(r"^([A-Z]\d{4}|\d{5})$")  # HCPCS Level II (J1561) or CPT (96365)
_UNITS_AT_END = re.compile(r"(?:^|[\s,-])(?:[x×*]\s*)?(\d+(?:\.\d*)?|\.\d+)\s*(?:units?|u)?\s*$",
                           re.IGNORECASE)
_MODIFIER = re.compile(r"^[A-Z0-9]{2}$")
_LINE_BREAK = re.compile(r"[\n;|]")  # between billed lines in one text
_VIAL_PART = re.compile(r"^(?:(\d+(?:\.\d*)?)\s*[x×*]\s*)?(.*)$", re.IGNORECASE)
# Compiled once: re's own cache costs a lookup (and flag arithmetic) on every call, and a
# batch reads thousands of distinct lines.
_NDC_START = re.compile(r"\bN4", re.IGNORECASE)
_NDC_TO_END = re.compile(r"\bN4\S*.*$", re.IGNORECASE)
_LINE_PARTS = re.compile(r"[\s,-]+")  # between a line's code, modifiers and units
_VIAL_BREAK = re.compile(r"[,+]")  # between vials in one text
_BARE_NUMBER = re.compile(r"\s*\d+(?:\.\d+)?\s*")


class LineError(Exception):
    """A billed line that cannot be read; `rule` says which finding it becomes."""

    def __init__(self, rule: str, message: str) -> None:
        self.rule = rule
        super().__init__(message)


@dataclass(frozen=True)
class ParsedLine:
    """One billed line as read; `ndc_problem` is set when only its NDC segment is wrong."""

    text: str
    code: str
    modifiers: tuple[str, ...]
    units: int
    ndc: ndc.NdcSegment | None = None
    ndc_problem: LineError | None = None
    more_ndcs: tuple[NdcSegment, ...] = ()  # the line note's NDCs (NTE*ADD, item 19)

    @property
    def ndcs(self) -> tuple[NdcSegment, ...]:
        """Every NDC the line names: loop 2410's, then its note's."""
        return (self.ndc, *self.more_ndcs) if self.ndc else self.more_ndcs

    @cached_property
    def key(self) -> tuple[str, frozenset[str], int]:
        """What makes two lines 'the same line' (modifier order does not matter)."""
        return self.code, frozenset(self.modifiers), self.units


@dataclass(frozen=True)
class BilledLine:
    """A numbered line (from 1, blank lines not counted) or the reason it could not be read."""

    number: int
    text: str
    parsed: ParsedLine | None
    problem: LineError | None = None


def _read_ndc(text: str) -> tuple[str, tuple[ndc.NdcSegment, ...], LineError | None]:
    """Take the N4 segments out of a line: (rest of the line, segments, problem)."""
    matches = list(ndc.SEGMENT.finditer(text))
    if not matches:
        if _NDC_START.search(text):
            return (_NDC_TO_END.sub("", text),
                    (), LineError("ndc-malformed", f"the NDC segment in '{text}' cannot be "
                                  f"read; accepts {ndc.SEGMENT_ACCEPTS}"))
        return text, (), None
    bounds = [0, *(i for m in matches for i in (m.start(), m.end())), len(text)]
    rest = " ".join(text[start:end] for start, end in zip(bounds[::2], bounds[1::2],
                                                          strict=True))
    try:
        return rest, tuple(ndc.parse_segment(*match.groups()) for match in matches), None
    except InputError as error:
        rule = "ndc-unknown-qualifier" if error.field == ndc.QUALIFIER_FIELD else "ndc-malformed"
        return rest, (), LineError(rule, str(error))


@lru_cache(maxsize=8192)
def parse_line(text: str) -> ParsedLine:
    """One billed line, or LineError('malformed-line', what is wrong and the accepted form)."""
    try:
        untrusted.clean(text.replace("\t", " "), "line")  # tabs separate parts when pasted
    except InputError as error:
        raise LineError("malformed-line", error.detail) from None
    shown = text.strip()
    rest, segments, problem = _read_ndc(shown)
    rest = rest.strip()
    parts = _LINE_PARTS.split(rest, maxsplit=1)
    code = parts[0].upper()
    if not _CODE.match(code):
        raise LineError("malformed-line", f"'{shown}' does not start with a HCPCS code like "
                        f"J1561; accepts {LINE_ACCEPTS}")
    tail = parts[1] if len(parts) > 1 else ""
    found = _UNITS_AT_END.search(" " + tail)
    if found is None:
        raise LineError("malformed-line", f"'{shown}' has no units at the end; accepts "
                        f"{LINE_ACCEPTS}")
    number = found.group(1)
    if not number.isdigit():
        raise LineError("malformed-line", f"'{shown}': units must be whole ({number} is not); "
                        "HCPCS units are the amount ÷ the billing unit rounded up")
    if len(number) > MAX_UNIT_DIGITS:
        raise LineError("malformed-line", f"'{untrusted.shown(shown)}': {len(number)} digits "
                        f"of units is more than any claim line holds ({MAX_UNIT_DIGITS})")
    middle = (" " + tail)[:found.start()]
    modifiers = tuple(m.upper() for m in _LINE_PARTS.split(middle) if m)
    return line_of(shown, code, modifiers, int(number), segments[0] if segments else None,
                   problem, segments[1:])


def line_of(shown: str, code: str, modifiers: tuple[str, ...], count: int,
            segment: ndc.NdcSegment | None = None,
            problem: LineError | None = None,
            more: tuple[ndc.NdcSegment, ...] = ()) -> ParsedLine:
    """A line from its parts (typed, or an 837's SV1/SV2 elements), or LineError saying
    which part is wrong: the code, a modifier, their number, or the units."""
    if not _CODE.match(code):
        raise LineError("malformed-line", f"'{shown}': '{untrusted.shown(code)}' is not a "
                        "HCPCS code like J1561 or a CPT code like 96365")
    if count < 1:
        raise LineError("malformed-line", f"'{shown}': units must be 1 or more")
    for modifier in modifiers:
        if not _MODIFIER.match(modifier):
            raise LineError("malformed-line", f"'{shown}': '{modifier}' is not a modifier "
                            f"(two letters or digits, e.g. JA, JW); accepts {LINE_ACCEPTS}")
    if len(set(modifiers)) != len(modifiers):
        repeated = next(m for m in modifiers if modifiers.count(m) > 1)
        raise LineError("malformed-line", f"'{shown}': {repeated} appears twice on one line")
    if len(modifiers) > MAX_MODIFIERS:
        raise LineError("malformed-line", f"'{shown}' has {len(modifiers)} modifiers; a claim "
                        f"line holds at most {MAX_MODIFIERS}")
    return ParsedLine(shown, code, modifiers, count, segment, problem, more)


def read_lines(lines: Iterable[str]) -> tuple[BilledLine, ...]:
    """Number the non-blank lines from 1 and read each; one bad line never stops the rest."""
    return _read_lines(tuple(lines))


@lru_cache(maxsize=8192)
def _read_lines(lines: tuple[str, ...]) -> tuple[BilledLine, ...]:
    """read_lines, once per distinct list of lines (immutable, so rows may share them)."""
    out: list[BilledLine] = []
    for text in lines:
        if not text.strip():
            continue
        number = len(out) + 1
        try:
            out.append(BilledLine(number, text.strip(), parse_line(text)))
        except LineError as error:
            out.append(BilledLine(number, text.strip(), None, error))
    return tuple(out)


@lru_cache(maxsize=4096)
def split_lines(text: str) -> tuple[str, ...]:
    """Billed lines from one text: newlines, ';' or '|' separate them (a CSV cell, a box)."""
    return tuple(stripped for part in _LINE_BREAK.split(text) if (stripped := part.strip()))


@lru_cache(maxsize=4096)
def parse_mass(text: str, field: str) -> Fraction:
    """units.parse_mass, cached: amounts repeat across a batch and pint is slow per call."""
    return units.parse_mass(text, field)


@lru_cache(maxsize=4096)
def parse_vials_opened(text: str, field: str = "vials") -> tuple[tuple[Fraction, int], ...]:
    """The vials opened as ((size_mg, count), ...), largest size first, like a VialPlan.

    A line break separates vials too (Alt+Enter in a spreadsheet cell).
    """
    untrusted.clean(text, field, line_breaks=True)
    parts = [part.strip() for line in text.splitlines() if line.strip()
             for part in _VIAL_BREAK.split(line.strip().rstrip(",+"))]
    if not text.strip():
        raise InputError(field, f"nothing entered; enter {VIALS_ACCEPTS}")
    if not all(parts):
        raise InputError(field, f"'{text.strip()}' has an empty entry; accepts {VIALS_ACCEPTS}")
    # Summed by each size's integer ratio, which hashes in C (a Fraction's hash runs Python).
    counts: dict[tuple[int, int], tuple[Fraction, int]] = {}
    for part in parts:
        match = _VIAL_PART.match(part)
        assert match is not None  # the pattern matches any text
        number, size_text = match.groups()
        if number is not None and not number.isdigit():
            raise InputError(field, f"'{part}': the count of vials must be whole; "
                             f"accepts {VIALS_ACCEPTS}")
        count = int(number) if number is not None and len(number) <= 4 else 1
        if (number is not None and len(number) > 4) or count > MAX_VIALS:
            raise InputError(field, f"'{untrusted.shown(part)}': at most {MAX_VIALS} "
                             "vials of one size; check the count")
        if count < 1:
            raise InputError(field, f"'{part}': the count of vials must be 1 or more")
        if len(parts) > 1 and _BARE_NUMBER.fullmatch(size_text):
            raise InputError(field, f"'{part}' has no unit (commas separate vials; use "
                             f"a point for decimals); accepts {VIALS_ACCEPTS}")
        if not size_text.strip():
            raise InputError(field, f"'{part}' has a count but no size; accepts "
                             f"{VIALS_ACCEPTS}")
        size = parse_mass(size_text.strip(), field)  # sizes repeat across vial lists
        ratio = size.as_integer_ratio()
        counts[ratio] = (size, counts[ratio][1] + count if ratio in counts else count)
    return tuple(sorted(counts.values(), key=itemgetter(0), reverse=True))
