"""The billed NDCs against CMS's crosswalk for the quarter: code, vial size, quantity.

A line's N4 segment says which vial was used (and the N4 segments of its note, for a payer
that takes a second NDC there: billing/multiple_ndc.py, each checked alike). CMS's ASP
NDC-HCPCS crosswalk says which
code that NDC bills under and how many billing units one vial is (BILLUNITS); payers
reconcile the NDC quantity with the HCPCS units. So (CMS ASP NDC-HCPCS crosswalk; NUCC 1500
Reference Instruction Manual, item 24):
- ndc-code-mismatch: the NDC is listed under another code (or under none);
- ndc-units-mismatch: the NDC's vial (BILLUNITS × unit) is none of the sizes opened;
- ndc-quantity-mismatch: the administered line's UN quantity is not the number of vials
  of that NDC's size opened (ML: their labeled mL, where the crosswalk's PKG SIZE agrees),
  alone or with the JW line's quantity of the same NDC (payers take the quantity repeated
  on the JW line or split between the lines).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ivigcalc import text
from ivigcalc.billing.ndc import NdcSegment, segment_for
from ivigcalc.check.facts import Claim, vials_text
from ivigcalc.check.findings import Finding, find
from ivigcalc.check.line_rules import SortedLines
from ivigcalc.data.catalog import Catalog
from ivigcalc.data.cms.model import CmsData


def valid_ndcs(claim: Claim, cms: CmsData, size: Fraction) -> tuple[str, ...]:
    """The NDCs (5-4-2) CMS lists for one size of the claim's product under its code in
    the date's quarter; with no product named, every NDC of that size under the code."""
    unit = claim.code.unit_mg
    if claim.product is not None:
        return cms.ndcs_for(claim.product.key, claim.code.key, unit, size)
    return tuple(sorted(row.ndc for row in cms.ndcs.values()
                        if row.code == claim.code.key and row.billunits * unit == size))


def expected_segments(claim: Claim, billed: NdcSegment | None, catalog: Catalog
                      ) -> tuple[NdcSegment, ...]:
    """One N4 segment per vial size opened, never a flagged NDC: the billed NDC where it is
    valid for that size on that date, else the billed labeler's NDC for the size, else the
    product's first (the finding names the others). None when the claim billed no NDC."""
    cms = catalog.cms_on(claim.date_of_service)
    if billed is None or cms is None:
        return ()
    out = []
    for size, count in claim.opened.vials:
        valid = valid_ndcs(claim, cms, size)
        if not valid:
            continue  # no NDC that quarter: the finding says so
        labeler = billed.hyphenated[:5]
        chosen = billed.hyphenated if billed.hyphenated in valid else next(
            (ndc for ndc in valid if ndc.startswith(labeler)), valid[0])
        out.append(segment_for(cms, chosen, count, billed.qualifier))
    return tuple(out)


def _valid_text(claim: Claim, cms: CmsData) -> str:
    """'; NDCs valid on 2025-11-03 for the vials opened: 10 g 13533-0800-71'."""
    parts = []
    for size, _ in claim.opened.vials:
        valid = valid_ndcs(claim, cms, size)
        parts.append(f"{text.grams(size)} {' or '.join(valid)}" if valid else
                     f"{text.grams(size)} none in CMS's {cms.quarter} crosswalk")
    return (f"; NDCs valid on {claim.date_of_service.isoformat()} for the vials opened: "
            + "; ".join(parts))


def labeled_only(claim: Claim) -> list[Finding]:
    """A note for each labeled size opened that no CMS crosswalk lists (no N4 line)."""
    product = claim.product
    if product is None or not product.labeled_sizes_mg:
        return []
    sizes = [size for size, _ in claim.opened.vials if size in product.labeled_sizes_mg]
    if not sizes:
        return []
    shown = ", ".join(text.grams(size) for size in sizes)
    return [find("labeled-size-no-ndc", f"{product.name} {shown}: a labeled size with no NDC "
                 "in CMS's crosswalk, so no N4 line can be made for it; the HCPCS lines stand",
                 source=product.labeled_sizes_source or None)]


def findings(claim: Claim, lines: SortedLines, catalog: Catalog) -> list[Finding]:
    cms = catalog.cms_on(claim.date_of_service)
    with_ndc = [b for b in (*lines.given, *lines.waste) if b.parsed and b.parsed.ndcs]
    if cms is None or not with_ndc:  # most claims carry no NDC: nothing to look up
        return []
    by11 = cms.by_ndc11()
    unit = claim.code.unit_mg
    opened = dict(claim.opened.vials)
    out: list[Finding] = []
    # What JW lines say of each NDC: a quantity split between the lines counts with them.
    on_jw: dict[tuple[str, str], Decimal] = {}
    for b in lines.waste:
        for segment in b.parsed.ndcs if b.parsed else ():
            key = (segment.ndc11, segment.qualifier)
            on_jw[key] = on_jw.get(key, Decimal(0)) + segment.quantity
    for b, segment in ((line, segment) for line in with_ndc if line.parsed
                       for segment in line.parsed.ndcs):
        ndc = segment.hyphenated
        row = by11.get(segment.ndc11)
        if row is None:
            out.append(find("ndc-code-mismatch", f"NDC {ndc} is not in CMS's {cms.quarter} "
                            f"ASP NDC-HCPCS crosswalk under {claim.code.key} (nor under any "
                            "immune globulin code): check it against the vial label"
                            + _valid_text(claim, cms), b.number, severity="warning"))
            continue
        if row.code != claim.code.key:
            out.append(find("ndc-code-mismatch", f"NDC {ndc} ({row.drug_name}) bills under "
                            f"{row.code} in CMS's {cms.quarter} crosswalk, not "
                            f"{claim.code.key}" + _valid_text(claim, cms), b.number))
            continue
        if claim.product and row.product and row.product != claim.product.key:
            owner = catalog.products[row.product].name
            out.append(find("ndc-code-mismatch", f"NDC {ndc} is {owner}, not "
                            f"{claim.product.name} (both bill {row.code})"
                            + _valid_text(claim, cms), b.number, severity="warning"))
        size = row.billunits * unit
        if size not in opened:
            out.append(find("ndc-units-mismatch", f"NDC {ndc} is a {text.grams(size)} vial "
                            f"({row.billunits} units of {text.mg(unit)}, CMS BILLUNITS), but "
                            f"the vials opened are {vials_text(claim.opened)}"
                            + _valid_text(claim, cms), b.number))
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
        split = segment.quantity + on_jw.get((segment.ndc11, segment.qualifier), Decimal(0))
        if want not in (segment.quantity, split):
            out.append(find("ndc-quantity-mismatch", f"NDC quantity {segment.qualifier}"
                            f"{segment.quantity} for {ndc}, but {unit_word} were opened: "
                            f"{segment.qualifier}{want}", b.number))
    return out
