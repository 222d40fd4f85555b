"""The billed NDCs against CMS's crosswalk for the quarter: code, vial size, quantity.

A line's N4 segment says which vial was used. CMS's ASP NDC-HCPCS crosswalk says which
code that NDC bills under and how many billing units one vial is (BILLUNITS); payers
reconcile the NDC quantity with the HCPCS units. So (CMS ASP NDC-HCPCS crosswalk; NUCC 1500
Reference Instruction Manual, item 24):
- ndc-code-mismatch: the NDC is listed under another code (or under none);
- ndc-units-mismatch: the NDC's vial (BILLUNITS × unit) is none of the sizes opened;
- ndc-quantity-mismatch: the administered line's UN quantity is not the number of vials
  of that NDC's size opened (ML: their labeled mL, where the crosswalk's PKG SIZE agrees).
"""

from __future__ import annotations

from decimal import Decimal

from ivigcalc import text
from ivigcalc.check.facts import Claim, vials_text
from ivigcalc.check.findings import Finding, find
from ivigcalc.check.line_rules import SortedLines
from ivigcalc.data.catalog import Catalog


def findings(claim: Claim, lines: SortedLines, catalog: Catalog) -> list[Finding]:
    cms = catalog.cms_on(claim.date_of_service)
    with_ndc = [b for b in (*lines.given, *lines.waste) if b.parsed and b.parsed.ndc]
    if cms is None or not with_ndc:  # most claims carry no NDC: nothing to look up
        return []
    by11 = cms.by_ndc11()
    unit = claim.code.unit_mg
    opened = dict(claim.opened.vials)
    out: list[Finding] = []
    for b in with_ndc:
        segment = b.parsed.ndc if b.parsed else None
        if segment is None:
            continue
        ndc = segment.hyphenated
        row = by11.get(segment.ndc11)
        if row is None:
            out.append(find("ndc-code-mismatch", f"NDC {ndc} is not in CMS's {cms.quarter} "
                            f"ASP NDC-HCPCS crosswalk under {claim.code.key} (nor under any "
                            "immune globulin code): check it against the vial label",
                            b.number, severity="warning"))
            continue
        if row.code != claim.code.key:
            out.append(find("ndc-code-mismatch", f"NDC {ndc} ({row.drug_name}) bills under "
                            f"{row.code} in CMS's {cms.quarter} crosswalk, not "
                            f"{claim.code.key}", b.number))
            continue
        if claim.product and row.product and row.product != claim.product.key:
            owner = catalog.products[row.product].name
            out.append(find("ndc-code-mismatch", f"NDC {ndc} is {owner}, not "
                            f"{claim.product.name} (both bill {row.code})", b.number,
                            severity="warning"))
        size = row.billunits * unit
        if size not in opened:
            out.append(find("ndc-units-mismatch", f"NDC {ndc} is a {text.grams(size)} vial "
                            f"({row.billunits} units of {text.mg(unit)}, CMS BILLUNITS), but "
                            f"the vials opened are {vials_text(claim.opened)}", b.number))
            continue
        if b.parsed and "JW" in b.parsed.modifiers:
            continue  # payers differ on the JW line's NDC quantity: the administered line's counts
        count = opened[size]
        want, unit_word = Decimal(count), f"{text.count(count, 'vial')} of {text.grams(size)}"
        if segment.qualifier == "ML":
            if row.labeled_ml is None:
                continue  # the crosswalk's PKG SIZE is not a reliable volume for this NDC
            want = count * row.labeled_ml
            unit_word = f"{text.count(count, 'vial')} × {row.pkg_size} mL"
        elif segment.qualifier != "UN":
            continue
        if segment.quantity != want:
            out.append(find("ndc-quantity-mismatch", f"NDC quantity {segment.qualifier}"
                            f"{segment.quantity} for {ndc}, but {unit_word} were opened: "
                            f"{segment.qualifier}{want}", b.number))
    return out
