"""The claim check's `mue-exceeded`: billed units of a code over the MUE the site imported
for the payer's table (the rule itself, shared with the calculation, is billing/mue.py).

Every readable billed line counts, JW lines and repeated lines included: the payer sums
what it receives. MAI 1 compares each line; MAI 2 and 3 the code's lines on the date.
"""

from __future__ import annotations

from collections.abc import Sequence

from ivigcalc.billing.mue import message, over
from ivigcalc.check.facts import Claim
from ivigcalc.check.findings import Finding, find
from ivigcalc.check.reading import BilledLine, ParsedLine
from ivigcalc.data.catalog import Catalog
from ivigcalc.text import joined


def findings(claim: Claim, billed: Sequence[BilledLine], catalog: Catalog) -> list[Finding]:
    if catalog.mue is None or not claim.payer.mue_table:
        return []  # the common case: no table imported, or none for this payer
    by_code: dict[str, list[tuple[int, ParsedLine]]] = {}
    for b in billed:
        if b.parsed is not None:
            by_code.setdefault(b.parsed.code, []).append((b.number, b.parsed))
    out = []
    for code, lines in by_code.items():
        mue = catalog.mue_on(claim.payer, code, claim.date_of_service)
        if mue is None:
            continue
        for found in over(mue, [parsed.units for _, parsed in lines]):
            numbers = [lines[i][0] for i in found.lines]
            jw = any("JW" in lines[i][1].modifiers for i in found.lines)
            which = (f"line{'s' if len(numbers) > 1 else ''} "
                     f"{joined([str(n) for n in numbers])}"
                     f"{', the JW line included' if jw and len(numbers) > 1 else ''}")
            out.append(find("mue-exceeded",
                            message(found, code, claim.date_of_service, which),
                            numbers[0] if len(numbers) == 1 else None))
    return out
