"""Hospital outpatient (OPPS): a packaged drug takes no JW/JZ, from Addendum B's status.

CMS requires JW/JZ on separately payable drugs under the OPPS (status indicators G and K)
and not on packaged ones (status N, no separate payment): CMS "Discarded Drugs and
Biologicals – JW Modifier and JZ Modifier Policy" FAQ. The status changes by quarter (J1551
and J1556 are N in the 2025 files), so it comes from the catalog's Addendum B table.
"""

from __future__ import annotations

from ivigcalc.data.catalog import Payer
from ivigcalc.data.cms.model import CmsData
from ivigcalc.result import Trail

SOURCE = ("CMS Discarded Drugs and Biologicals JW/JZ FAQ: JW/JZ on separately payable OPPS "
          "drugs (status indicators G, K), not on packaged drugs (N)")


def packaged(payer: Payer, cms: CmsData | None, code: str, trail: Trail) -> bool:
    """True when the payer is OPPS and the code is packaged (N) in the quarter's Addendum B."""
    if not payer.opps:
        return False
    status = cms.opps.get(code) if cms else None
    if status is None:
        trail.note(f"No OPPS Addendum B status for {code} in the catalog"
                   f"{f' ({cms.status_quarter})' if cms else ''}: treated as separately paid, so "
                   "JW/JZ apply; check the quarter's Addendum B.", SOURCE)
        return False
    where = f"OPPS Addendum B {cms.status_quarter}" if cms else "OPPS Addendum B"
    if cms is not None and cms.status_from:
        trail.note(f"CMS published no OPPS Addendum B for {cms.quarter}: its status "
                   f"indicators are {cms.status_from}'s, the last published.", status.source)
    if status.si == "N":
        trail.step("OPPS status", f"{code} is N (packaged, no separate payment) in {where}: "
                   "one line with the administered units; CMS does not require JW or JZ",
                   status.source)
        trail.note(f"{code} is packaged under the OPPS ({where}, status N): one line with the "
                   "administered units, no JW/JZ line or modifier, and no separate payment.",
                   SOURCE)
        return True
    trail.step("OPPS status", f"{code} is {status.si} (separately paid) in {where}: JW/JZ "
               "apply", status.source)
    return False
