"""What an imported quarter changes against the catalog in use, one line per difference.

A coder reads this before switching quarters: new and withdrawn NDCs, units per vial that
moved, NDCs that moved code, payment limits and status indicators that changed, and the
vial sizes a product gains or loses.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ivigcalc.data.cms.importer import Imported
from ivigcalc.data.cms.write import value


def describe(data: Imported, catalog: Any) -> list[str]:
    """`catalog` is the Catalog in use (bundled, or with the site file merged). The quarter
    is compared with the one it replaces, else the one held just before it (else the
    oldest held): what changes for the dates it will judge."""
    history = getattr(catalog, "cms_history", None)
    old = history.on(data.quarter.first_day) if history is not None else catalog.cms
    was = f"{old.quarter}" if old else "no CMS data"
    out: list[str] = []
    old_ndcs = old.ndcs if old else {}
    for ndc, row in data.ndcs.items():
        before = old_ndcs.get(ndc)
        if before is None:
            out.append(f"new NDC {ndc}: {row['drug_name']}, {row['code']}, "
                       f"{row['billunits']} units per vial")
            continue
        if before.code != row["code"]:
            out.append(f"NDC {ndc} moved from {before.code} to {row['code']}")
        if before.billunits != row["billunits"]:
            out.append(f"NDC {ndc}: units per vial {before.billunits} -> {row['billunits']}")
    out += [f"withdrawn NDC {ndc}: {row.drug_name}, {row.code}"
            for ndc, row in old_ndcs.items() if ndc not in data.ndcs]
    old_pay = old.payments if old else {}
    for code, row in data.payments.items():
        before = old_pay.get(code)
        if before is None:
            out.append(f"{code}: payment limit {row['limit']} USD per unit (new)")
        elif before.limit != row["limit"]:
            out.append(f"{code}: payment limit {before.limit} -> {row['limit']} USD per unit")
    out += [f"{code}: no payment limit any more (was {row.limit})"
            for code, row in old_pay.items() if code not in data.payments]
    old_si = old.opps if old else {}
    for code, row in data.opps.items():
        before = old_si.get(code)
        if before is not None and before.si != row["si"]:
            out.append(f"{code}: OPPS status indicator {before.si} -> {row['si']}")
        elif before is None:
            out.append(f"{code}: OPPS status indicator {row['si']} (new)")
    if data.opps:  # a quarter without Addendum B keeps no status: say what goes
        out += [f"{code}: no OPPS status indicator any more (was {row.si})"
                for code, row in old_si.items() if code not in data.opps]
    for key, row in data.products.items():
        product = catalog.products.get(key)
        if product is None:
            continue
        new = {Fraction(s) * 1000 for s in row["vial_sizes_g"]}
        had = set(product.vial_sizes_mg)
        gained = sorted(new - had)
        lost = sorted(had - new)
        if gained or lost:
            out.append(f"{product.name}: vial sizes "
                       + "; ".join(filter(None, [
                           f"adds {value([s / 1000 for s in gained])} g" if gained else "",
                           f"drops {value([s / 1000 for s in lost])} g" if lost else ""])))
    head = f"Against the catalog in use ({was}), {data.quarter.label} changes:"
    return [head, *(f"  {line}" for line in out)] if out else \
        [f"{data.quarter.label} changes nothing against the catalog in use ({was})."]


def import_report(data: Imported, catalog: Any) -> list[str]:
    """What an import says of one quarter: the files read, CMS's own disagreements (reported,
    never corrected) and what the quarter changes (`describe`)."""
    out = list(data.read)
    if data.reports:
        out.append(f"{data.quarter.label}: {len(data.reports)} finding(s) in CMS's data, "
                   "reported and never corrected:")
        out += [f"  {line}" for line in data.reports]
    return out + describe(data, catalog)
