"""X12 files in: the bytes read at the boundary, the segments split by pyx12, the envelope
checked (ISA/IEA, GS/GE, ST/SE and their counts), one line naming the segment otherwise.

Why pyx12 reads the ISA and the check splits the rest: pyx12 reads the ISA (its fixed 106
characters give the delimiters and the version: RawX12File); its X12Reader then builds an
object per element and composite, and its map-walking validation checks every segment
against the implementation guide. Measured on 5,000 two-line claims (95,000 segments, CPU):
X12Reader 0.8 s, full validation 13-14 s, where the same claims checked as CSV take about
0.35 s; and on 2,400 claims (45,000 segments) RawX12File's own iteration took 0.39 s, as it
re-splits its read buffer once per segment, where str.split on its terminator takes 0.01 s.
So the check takes the plain path: pyx12's delimiters, the segments split on them, the
elements it needs read by position (composites on the component separator), and the
envelope's counts and control numbers checked here; `check --x12 --validate` runs pyx12's
full validation first (its JSON error report; no 999 is written: pyx12's 999 writer can
fail on valid 835s).

837P files labelled 005010X222A2 (the errata most payers send) are read as 005010X222A1,
the map pyx12 knows; 837I (005010X223A2) and 835 (005010X221A1) are read as labelled.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ivigcalc.data import files
from ivigcalc.errors import InputError, printable

MAX_X12_BYTES = 64 << 20  # ~300,000 service lines; clearinghouses split far sooner
ISA_LENGTH = 106
VERSIONS = {"005010X222A1": "837P", "005010X222A2": "837P", "005010X223A2": "837I",
            "005010X221A1": "835"}
READ_AS = {"005010X222A2": "005010X222A1"}  # pyx12's 837P map is A1; A2 is its errata
_SEGMENT_ID = re.compile(r"[A-Z][A-Z0-9]{1,2}")
_ENVELOPE = frozenset({"ISA", "IEA", "GS", "GE", "ST", "SE"})
_KNOWN_IDS = frozenset({"ISA", "IEA", "GS", "GE", "ST", "SE", "BHT", "NM1", "N3", "N4", "PER",
                        "REF", "HL", "SBR", "DMG", "CLM", "DTP", "HI", "LX", "SV1", "SV2",
                        "LIN", "CTP", "CL1", "PAT", "PRV", "AMT", "NTE", "CLP", "SVC", "CAS",
                        "LQ", "DTM", "BPR", "TRN", "N1", "PLB"})  # no pattern test needed
SHOWN = 40  # characters of a bad segment a message quotes


class X12FileError(InputError):
    """The file cannot be read as X12: one line naming the file, segment and problem."""

    def __init__(self, label: str, number: int | None, segment: str | None,
                 problem: str) -> None:
        where = f" segment {number}" if number is not None else ""
        what = f" ({printable(segment, SHOWN)})" if segment else ""
        super().__init__("x12", f"{label}{where}{what}: {problem}")


@dataclass(frozen=True)
class Delimiters:
    segment: str
    element: str
    component: str
    repetition: str | None


@dataclass
class Transaction:
    """One ST…SE transaction set: its type (837P, 837I, 835), version and segments, each
    with its number in the file (from 1, the ISA)."""

    kind: str
    version: str
    control: str
    element: str  # the ISA's element separator
    component: str  # its component (sub-element) separator, for composites
    # (number in the file, segment id, the segment's text): split by the reader that needs it
    segments: list[tuple[int, str, str]] = field(default_factory=list)


def read_text(path: str, label: str | None = None) -> str:
    """The file's text through the one file boundary (a regular file under the cap, UTF-8:
    X12's basic and extended character sets are ASCII)."""
    name = label or str(path)
    try:
        return files.decode(files.read_bytes(path, MAX_X12_BYTES), allow_bom=True)
    except files.UnreadableFile as error:
        raise X12FileError(name, None, None, str(error)) from None


def element(elements: list[str], index: int) -> str:
    """A segment's element by position ('' when the segment ends before it)."""
    return elements[index] if len(elements) > index else ""


def delimiters(text: str, label: str) -> Delimiters:
    """The ISA's delimiters, read by pyx12, after checking the ISA's fixed length."""
    import pyx12.errors
    import pyx12.rawx12file

    if not text.strip():
        raise X12FileError(label, None, None, "is empty; an X12 file starts with an ISA "
                           "segment")
    start = text.lstrip()
    if not start.startswith("ISA"):
        raise X12FileError(label, 1, start[:SHOWN], "does not start with ISA: not an X12 "
                           "file (a CSV of claims goes to --csv)")
    element = start[3]
    head = start[:ISA_LENGTH + 40]
    parts = head.split(element, 16)
    if len(parts) < 17:
        raise X12FileError(label, 1, "ISA", f"has {len(parts) - 1} of its 16 elements "
                           f"(separated by '{printable(element)}', the character after ISA): "
                           "truncated, or other delimiters in the file")
    length = len(head) - len(parts[16]) + 2  # ISA16 is one character, then the terminator
    if length != ISA_LENGTH or len(parts[16]) < 2:
        raise X12FileError(label, 1, "ISA", f"is {min(length, len(start))} characters; X12 "
                           f"fixes it at {ISA_LENGTH} (ISA06 and ISA08 padded to 15, ISA13 "
                           "9 digits)")
    try:
        raw = pyx12.rawx12file.RawX12File(io.StringIO(start[:ISA_LENGTH]))
    except pyx12.errors.X12Error as error:
        raise X12FileError(label, 1, "ISA", str(error).split(" for ")[0]) from None
    seg, ele, sub, _, rep = raw.get_term()
    if len({seg, ele, sub}) < 3 or seg.isalnum() or ele.isalnum() or sub.isalnum():
        raise X12FileError(label, 1, "ISA", f"its delimiters (element '{printable(ele)}', "
                           f"component '{printable(sub)}', segment '{printable(seg)}') must be "
                           "three different characters, none a letter or digit")
    return Delimiters(seg, ele, sub, rep)


def transactions(text: str, label: str) -> Iterator[Transaction]:
    """Each transaction set of every interchange, after its envelope is checked."""
    terms = delimiters(text, label)
    ele = terms.element
    interchange: list[str] | None = None  # the ISA
    group: list[str] | None = None  # the GS
    groups = sets = 0
    current: Transaction | None = None
    count = number = 0
    last = ""
    known = _KNOWN_IDS
    for piece in text.lstrip().split(terms.segment):
        segment = piece.lstrip("\r\n")  # as pyx12's RawX12File: an empty segment ends it
        if not segment:
            break
        number += 1
        last = segment
        cut = segment.find(ele)
        seg_id = segment[:cut] if cut >= 0 else segment
        if seg_id not in known and not _SEGMENT_ID.fullmatch(seg_id):
            raise X12FileError(label, number, segment, f"'{printable(seg_id, 12)}' is not a "
                               f"segment id; the ISA sets '{ele}' between elements and "
                               f"'{terms.segment}' after each segment (other delimiters?)")
        if current is not None:
            count += 1
            if seg_id not in _ENVELOPE:
                current.segments.append((number, seg_id, segment))
            elif seg_id == "SE":
                _count(label, number, segment, segment.split(ele), count, current.control,
                       "segments")
                yield current
                current = None
                sets += 1
            else:
                raise X12FileError(label, number, segment, f"transaction set {current.control}"
                                   " has no SE before this segment (truncated or joined)")
            continue
        elements = segment.split(ele)
        if seg_id == "ISA":
            if interchange is not None:
                raise X12FileError(label, number, segment, "an ISA inside an interchange "
                                   "(the previous one has no IEA)")
            interchange, groups = elements, 0
        elif seg_id == "GS":
            if interchange is None or group is not None:
                raise X12FileError(label, number, segment, "a GS outside an interchange or "
                                   "inside another group (no GE before it)")
            group, sets = elements, 0
        elif seg_id == "ST":
            if group is None:
                raise X12FileError(label, number, segment, "an ST outside a functional group")
            current = _open_set(label, number, segment, elements, group, terms)
            count = 1
        elif seg_id == "GE":
            if group is None:
                raise X12FileError(label, number, segment, "a GE without its GS")
            _count(label, number, segment, elements, sets, group[6] if len(group) > 6 else "",
                   "transaction sets")
            group = None
            groups += 1
        elif seg_id == "IEA":
            if interchange is None or group is not None:
                raise X12FileError(label, number, segment, "an IEA without its ISA, or before "
                                   "its group's GE")
            _count(label, number, segment, elements, groups, interchange[13],
                   "functional groups")
            interchange = None
        else:
            raise X12FileError(label, number, segment, f"a {seg_id} segment outside a "
                               "transaction set (ST…SE)")
    if interchange is not None or number == 0:
        raise X12FileError(label, number or None, last, "the file ends inside an interchange"
                           " (no IEA): truncated")


def _open_set(label: str, number: int, segment: str, elements: list[str],
              group: list[str], terms: Delimiters) -> Transaction:
    version = (elements[3] if len(elements) > 3 and elements[3] else
               group[8] if len(group) > 8 else "")
    kind = VERSIONS.get(version)
    if kind is None or kind[:3] != (elements[1] if len(elements) > 1 else ""):
        raise X12FileError(label, number, segment, _unknown(version, elements, group))
    return Transaction(kind, READ_AS.get(version, version),
                       elements[2] if len(elements) > 2 else "", terms.element,
                       terms.component)


def _unknown(version: str, elements: list[str], group: list[str]) -> str:
    """Why a transaction set is not read: a version pyx12 has no map for, or one it has
    but this reader does not check (4010, 837D, 270...)."""
    import pyx12.map_index

    kind = elements[1] if len(elements) > 1 else "?"
    functional = group[1] if len(group) > 1 else ""
    accepts = ("accepts 837P (005010X222A1, or A2 read as A1), 837I (005010X223A2) and 835 "
               "(005010X221A1)")
    known = pyx12.map_index.map_index().get_filename("00501" if version.startswith("005")
                                                     else "00401", version, functional)
    if known is None:
        return f"an {kind} labelled '{printable(version, 20)}', a version pyx12 has no map " \
               f"for; {accepts}" if kind.startswith("8") else \
            f"a {kind} labelled '{printable(version, 20)}', a version pyx12 has no map for; " \
            f"{accepts}"
    article = "an" if kind.startswith("8") else "a"
    return f"{article} {kind} {printable(version, 20)}, which this check does not read; " \
           f"{accepts}"


def _count(label: str, number: int, segment: str, elements: list[str], found: int,
           control: str, what: str) -> None:
    """A trailer's count and control number against what was read."""
    said = elements[1] if len(elements) > 1 else ""
    if not said.isdigit() or len(said) > 10 or int(said) != found:
        raise X12FileError(label, number, segment, f"says {printable(said, 12) or 'nothing'}"
                           f" {what}, the file holds {found} (truncated or edited?)")
    closes = elements[2] if len(elements) > 2 else ""
    if closes.strip() != control.strip():
        raise X12FileError(label, number, segment, f"closes control number "
                           f"{printable(closes, 12)}, but {control.strip()} was opened")


MAX_SHOWN_ERRORS = 20


def validate(text: str, label: str) -> None:
    """pyx12's full validation against the implementation guide; X12FileError listing its
    first errors (segment, code, message) when it finds any. No 999 is written."""
    errors = validation_errors(text)
    if errors:
        shown = "; ".join(errors[:MAX_SHOWN_ERRORS])
        more = f" (and {len(errors) - MAX_SHOWN_ERRORS} more)" if len(errors) > \
            MAX_SHOWN_ERRORS else ""
        raise X12FileError(label, None, None, f"pyx12 finds {len(errors)} error(s) against "
                           f"the implementation guide: {shown}{more}")


def validation_errors(text: str) -> list[str]:
    """Every error pyx12's validation reports (empty: valid), from its JSON error report."""
    import json
    import logging

    import pyx12.error_handler
    import pyx12.errors
    import pyx12.params
    import pyx12.x12n_document

    logging.getLogger("pyx12").setLevel(logging.CRITICAL)  # it logs what it also reports
    report = io.StringIO()
    for version, read_as in READ_AS.items():
        text = text.replace(version, read_as)
    try:
        valid = pyx12.x12n_document.x12n_document(pyx12.params.params(), io.StringIO(text),
                                                  None, None, fd_json=report)
    except pyx12.errors.X12Error as error:  # its engine stops on what it cannot place
        return [str(error)]
    found = _errors(json.loads(report.getvalue() or "{}"))
    return found if found or valid else ["pyx12 reports the file as not valid"]


def _errors(node: object, where: str = "") -> list[str]:
    """The errors in pyx12's JSON report, each with the segment id and line it names."""
    out: list[str] = []
    if isinstance(node, dict):
        here = str(node.get("seg_id") or node.get("trn_set_id") or where)
        line = node.get("cur_line") or node.get("seg_count")
        for error in node.get("errors") or []:
            detail = (f"{error.get('err_cde', '')} {error.get('err_str', '')}".strip()
                      if isinstance(error, dict) else str(error))
            out.append(f"{here}{f' (line {line})' if line else ''}: {detail}")
        for key, value in node.items():
            if key != "errors" and isinstance(value, list | dict):
                out += _errors(value, here)
    elif isinstance(node, list):
        for item in node:
            out += _errors(item, where)
    return out
