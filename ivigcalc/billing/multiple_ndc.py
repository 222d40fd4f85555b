"""Two vial sizes of one code on one date of service: two NDCs, and where each goes.

Why a payer setting: loop 2410 holds one NDC per service line (ASC X12 837P 005010X222A1,
837I 005010X223A2; NUCC 1500 item 24, shaded area), and payers part ways on a second NDC.
- "lines": one service line (and its JW line) per NDC, the units split by what each size
  held (x12_lines.split_by_ndc).
- "nte": Palmetto GBA (Jurisdiction M Part B, "Reporting the National Drug Code", published
  2024-10-25, https://www.palmettogba.com/palmetto/jmb.nsf/DIDC/3V5O4QNAAH~Claims) says not
  to bill the same drug on several lines (they deny as duplicates): one line, the first NDC
  in loop 2410 with its unit count, the other NDC in the line's note (2400 NTE02; paper:
  item 19). The page names the NDC "that closely matches the units administered" as the
  one to use: here, the size that held the most of the day's drug goes in 2410. Each NDC's
  quantity is its own vials (CTP04 for the first, N4 segments in the note for the others),
  so the NDC quantities still account for every vial opened.
The payer's setting and its source are catalog data (resources/payers.toml multiple_ndc).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from ivigcalc.billing import ndc
from ivigcalc.errors import InputError
from ivigcalc.result import NdcLine, Trail

LINES, NOTE = "lines", "nte"
SPLIT_SOURCE = ("ASC X12 837P 005010X222A1 / 837I 005010X223A2 loop 2410 (one NDC per "
                "service line); NUCC 1500 Reference Instruction Manual item 24 (shaded area)")
NOTE_QUALIFIER = "ADD"  # 837P 2400 NTE01: additional information (the line note)
TOPIC = "NDCs"
MAX_NOTE_CHARS = 80  # NTE02 is AN 1-80 (837P 005010X222A1)


def first_and_others(ndc_lines: tuple[NdcLine, ...], vials: Mapping[Fraction, int]
                     ) -> tuple[NdcLine, tuple[NdcLine, ...]]:
    """The NDC for loop 2410 (the size whose vials held the most drug; the larger size on
    a tie) and the others, in the order the day's sizes were listed."""
    first = max(ndc_lines, key=lambda n: (vials.get(n.size_mg, 0) * n.size_mg, n.size_mg))
    return first, tuple(n for n in ndc_lines if n is not first)


def note_text(others: tuple[NdcLine, ...]) -> str:
    """The line note's text (NTE02; item 19 on paper): each other NDC as its N4 segment,
    'N413533080020 UN1 N413533080015 UN1'. Refused when it cannot fit 80 characters."""
    written = " ".join(n.text for n in others)
    if len(written) > MAX_NOTE_CHARS:
        raise InputError("payer", f"{len(others) + 1} NDCs on one day do not fit one line note "
                         f"({len(written)} characters, NTE02 holds {MAX_NOTE_CHARS}): bill "
                         "this day for a payer that takes one line per NDC (multiple_ndc = "
                         "\"lines\"), or open fewer vial sizes")
    return written


def read_note(written: str) -> tuple[ndc.NdcSegment, ...]:
    """The N4 segments in a line note (837P 2400 NTE02), each read as on a claim line;
    text that is not an N4 segment is passed over, a malformed one raises InputError."""
    return tuple(ndc.parse_segment(*match.groups()) for match in ndc.SEGMENT.finditer(written))


def explain(ndc_lines: tuple[NdcLine, ...], vials: Mapping[Fraction, int], method: str,
            source: str, payer: str, code: str, trail: Trail) -> None:
    """A step of the working, with the payer's source, when a day opens two or more sizes:
    where the payer takes the NDCs."""
    if len(ndc_lines) < 2:
        return
    if method == NOTE:
        first, others = first_and_others(ndc_lines, vials)
        trail.step(TOPIC, f"{len(ndc_lines)} on one day: {payer} takes one {code} "
                   "administered line (and one JW line where units are discarded) with NDC "
                   f"{first.ndc} in loop 2410 and {', '.join(n.ndc for n in others)} in its "
                   "line note (837P NTE*ADD; paper: item 19); separate lines of one drug deny "
                   "as duplicates", source)
    else:
        trail.step(TOPIC, f"{len(ndc_lines)} on one day: {payer} takes one {code} line (and "
                   "its JW line) per NDC, the units split by what each size held",
                   source or SPLIT_SOURCE)
