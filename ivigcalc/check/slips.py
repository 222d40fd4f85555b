"""One slip, one finding: recognise the usual ways a claim gets the waste wrong.

Why: the rules each measure one thing (administered units, JW, JZ, laterality), so one
keying slip used to trip three of them at once: "J1561 JA RT 5" typed for "J1561 JA JW 5"
read as a laterality error, too many administered units and a missing JW line. A coder then
fixes three "problems" and still does not see the one mistake. This module names the slip;
the rules then leave alone what it explains.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ivigcalc.check.facts import Claim
from ivigcalc.check.reading import BilledLine
from ivigcalc.result import ClaimLine

SIDES = ("RT", "LT")


@dataclass(frozen=True)
class UnmarkedWaste:
    """A line that bills exactly the discarded units but does not say JW."""

    line: BilledLine
    instead: tuple[str, ...]  # modifiers standing where JW belongs (RT, LT, JZ), if any


def unmarked_waste(claim: Claim, given: Sequence[BilledLine],
                   waste: Sequence[BilledLine]) -> UnmarkedWaste | None:
    """The discarded units billed on a line of their own without JW: no JW line, the payer
    takes JW on the date, the code is not OPPS-packaged (then no waste is billed at all), and
    another line bills the administered units (right or not)."""
    if waste or len(given) < 2 or claim.discarded_units < 1 or claim.packaged or \
            not claim.payer.jw_applies(claim.date_of_service):
        return None
    for candidate in reversed(given):  # the waste line is written after the dose
        parsed = candidate.parsed
        if parsed is not None and parsed.units == claim.discarded_units:
            instead = tuple(m for m in parsed.modifiers if m in (*SIDES, "JZ"))
            return UnmarkedWaste(candidate, instead)
    return None


def unmarked_waste_message(slip: UnmarkedWaste, jw_line: ClaimLine) -> str:
    """'Line 2 (J1561 JA RT × 5) bills the 5 discarded units with RT where JW belongs…'."""
    parsed = slip.line.parsed
    assert parsed is not None
    shown = ClaimLine(parsed.code, parsed.modifiers, parsed.units).text
    where = (f"with {' and '.join(slip.instead)} where JW belongs" if slip.instead
             else "without JW")
    why = ""
    if any(m in SIDES for m in slip.instead):
        why = " (RT/LT mark the side of a paired body part; they never apply to an infusion)"
    elif "JZ" in slip.instead:
        why = " (JZ says nothing was discarded)"
    return (f"Line {slip.line.number} ({shown}) bills the {parsed.units} discarded units "
            f"{where}{why}: bill it as {jw_line.text}")


def whole_vials_on_one_line(claim: Claim, given: Sequence[BilledLine],
                            waste: Sequence[BilledLine]) -> bool:
    """Everything opened billed as administered, and no JW line: the waste folded in."""
    billed = sum(b.parsed.units for b in given if b.parsed)
    return (bool(given) and not waste and claim.discarded_units >= 1
            and billed == claim.labeled_units
            and claim.payer.jw_applies(claim.date_of_service) and not claim.packaged)
