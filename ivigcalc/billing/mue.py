"""Units over CMS's Medically Unlikely Edit (MUE) for one code on one date of service.

Why it matters: payers deny every unit over the MUE without review ("excessive doses"):
with MAI 1 each claim line is compared on its own; with MAI 2 and 3 all lines of the code
on the date are summed, JW (discarded) lines included. One rule for the calculation's
warning and the claim check's `mue-exceeded` (check/mue_rules.py); the values come only
from the MUE tables a site imported (data/mue.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ivigcalc import text
from ivigcalc.data.catalog import Catalog, Payer
from ivigcalc.data.cms.history import quarter_of
from ivigcalc.data.mue import REMITTANCE, SOURCE, Mue
from ivigcalc.result import Day, Trail


@dataclass(frozen=True)
class Over:
    """Units over the MUE: the lines concerned (indices into the lines given) and their
    units (one line's for MAI 1, the date's sum for MAI 2 and 3)."""

    mue: Mue
    lines: tuple[int, ...]
    units: int


def over(mue: Mue, units: Sequence[int]) -> list[Over]:
    """What passes the MUE among one date's lines of its code (`units`: each line's)."""
    if mue.mai == 1:
        return [Over(mue, (index,), n) for index, n in enumerate(units) if n > mue.units]
    total = sum(units)
    return [Over(mue, tuple(range(len(units))), total)] if total > mue.units else []


def message(found: Over, code: str, day: dt.date, lines: str) -> str:
    """One finding's words: the units, the MUE (value, MAI, table, quarter), what denies and
    the remittance codes contractors return. `lines`: which lines, in the face's words."""
    mue = found.mue
    own = quarter_of(day)
    used = f"; dates in {own} are judged by the {mue.quarter} table imported" \
        if own != mue.quarter else ""
    counted = "on one line" if mue.mai == 1 else "on the date of service"
    appeal = " (MAI 3: paid above the MUE only on appeal, with the record)" \
        if mue.mai == 3 else ""
    return (f"{code}: {text.units(found.units)} {counted} ({lines}) pass the "
            f"{mue.describe()}{used}: all {found.units} deny{appeal}; {REMITTANCE}")


def say_over(days: Sequence[Day], catalog: Catalog, payer: Payer, code: str,
             trail: Trail) -> None:
    """The calculation's warning: a day whose lines of `code` pass the payer's MUE (one
    warning for the days that pass it alike)."""
    said: dict[str, list[dt.date]] = {}
    for day in days:
        mue = catalog.mue_on(payer, code, day.date_of_service)
        lines = [line for line in day.claim_lines if line.code == code]
        if mue is None:
            continue
        for found in over(mue, [line.units for line in lines]):
            which = " + ".join(lines[i].text for i in found.lines)
            said.setdefault(message(found, code, day.date_of_service, which), []).append(
                day.date_of_service)
    for words, dates in said.items():
        when = ", ".join(d.isoformat() for d in dates)
        trail.warn(f"Over the MUE on {when}: {words}.", SOURCE)
