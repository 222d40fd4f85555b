"""One quarter's CMS files -> the catalog's NDC, payment and OPPS tables and vial sizes.

The three files must come from one quarter (the crosswalk and the pricing file are
required; Addendum B is optional, since CMS does not publish it every quarter). Rows are
kept for the catalog's codes and for any NDC a product claims in product_facts.toml (so a
product moving to a new code is reported, not lost). BILLUNITS is the number CMS pays on;
where PKG SIZE × the labeled concentration disagrees with it, the row says so and the
report lists it (Privigen 44206-0437-10 says 110 mL for a 10 g vial): never corrected.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from importlib.resources import files
from pathlib import Path
from typing import Any

from ivigcalc.data import untrusted
from ivigcalc.data.cms import kinds, read, rows
from ivigcalc.data.cms.history import CmsHistory
from ivigcalc.data.cms.kinds import ADDENDUM_B, CROSSWALK, PRICING, TITLES, Recognised
from ivigcalc.data.cms.read import ImportRefused

FACTS_FILE = "product_facts.toml"
PKG_TOLERANCE = Fraction(2, 100)  # Cutaquig's 6 mL × 16.5% = 0.99 g is labeled 1 g


@dataclass
class Imported:
    """What one quarter's files say, ready to write as TOML tables."""

    quarter: kinds.Quarter
    files: dict[str, str]  # kind -> file name as CMS gave it
    cms: dict[str, Any]
    ndcs: dict[str, dict[str, Any]]
    payments: dict[str, dict[str, Any]]
    opps: dict[str, dict[str, Any]]
    products: dict[str, dict[str, Any]]  # full product rows (facts + CMS vial sizes)
    read: list[str] = field(default_factory=list)  # one line per file read
    reports: list[str] = field(default_factory=list)  # disagreements, never corrected


def load_facts(path: str | Path | None = None) -> dict[str, dict[str, Any]]:
    source = files("ivigcalc.resources") / FACTS_FILE if path is None else Path(path)
    with source.open("rb") as handle:
        products: dict[str, dict[str, Any]] = tomllib.load(handle, parse_float=Fraction)[
            "products"]
    return products


def _source(rec: Recognised, quarter: kinds.Quarter) -> str:
    """A row's citation: the CMS file and quarter ([cms] names the file as CMS named it)."""
    return f"CMS {TITLES[rec.kind]} {quarter.label}"


def _one_quarter(found: Sequence[Recognised]) -> kinds.Quarter:
    by_kind: dict[str, Recognised] = {}
    for rec in found:
        if rec.kind in by_kind:
            raise ImportRefused(f"two {TITLES[rec.kind]} files given: "
                                f"{by_kind[rec.kind].table.origin} and {rec.table.origin}")
        by_kind[rec.kind] = rec
    missing = [TITLES[k] for k in (CROSSWALK, PRICING) if k not in by_kind]
    if missing:
        given = "; ".join(rec.described for rec in found)
        raise ImportRefused(f"the {' and the '.join(missing)} of the quarter is missing "
                            f"(given: {given}); give each quarter's crosswalk and pricing "
                            "file (Addendum B optional)")
    quarter = by_kind[CROSSWALK].quarter
    assert quarter is not None
    for rec in found:
        if (rec.kind == ADDENDUM_B and rec.year != quarter.year) or \
                (rec.quarter is not None and rec.quarter != quarter):
            raise ImportRefused(f"files from different quarters: {by_kind[CROSSWALK].described} "
                                f"and {rec.described}; import one quarter at a time")
    return quarter


def recognise_all(paths: Iterable[str | Path]) -> tuple[list[Recognised], list[str]]:
    found, skipped = [], []
    for path in paths:
        tables = read.tables(path)
        for table in tables:
            rec = kinds.recognise(table)
            if rec is not None:
                found.append(rec)
            elif table.origin != str(path):  # a zip's member
                skipped.append(f"skipped {table.origin}: not one of the three CMS files")
            else:
                raise ImportRefused(f"{table.origin}: not recognised as a CMS ASP NDC-HCPCS "
                                    "crosswalk, ASP pricing file or OPPS Addendum B (no "
                                    "known header row in its first 60 rows)")
    if not found:
        raise ImportRefused("none of the files given is a CMS crosswalk, pricing file or "
                            "Addendum B")
    return found, skipped


def _number(text: str) -> Fraction | None:
    return untrusted.decimal(text)  # None for 'x', 'NaN' or '1e999999999'


def _pkg_note(row: rows.CrosswalkRow, unit_mg: Fraction, percent: Fraction | None) -> str:
    """Why PKG SIZE and BILLUNITS disagree, or ''. BILLUNITS is what CMS pays on."""
    ml = _number(row.pkg_size)
    if percent is None or ml is None:
        return ""
    billed_g = row.billunits * unit_mg / 1000
    from_pkg_g = ml * percent / 100
    if abs(from_pkg_g - billed_g) <= billed_g * PKG_TOLERANCE:
        return ""
    return (f"PKG SIZE {row.pkg_size} (mL) × {_num(percent)}% = {_num(from_pkg_g)} g disagrees "
            f"with BILLUNITS {_num(row.billunits)} × {_num(unit_mg)} mg = {_num(billed_g)} g; "
            f"BILLUNITS is what CMS pays on and is kept")


def value_text(sizes: list[Any]) -> str:
    return ", ".join(_num(Fraction(s)) for s in sizes)


def _num(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{Decimal(value.numerator) / Decimal(value.denominator):f}".rstrip("0")


def import_files(paths: Iterable[str | Path], codes: Mapping[str, Any],
                 facts: Mapping[str, dict[str, Any]], checked: dt.date,
                 held: CmsHistory | None = None) -> Imported:
    """Read one quarter's files; `codes` is the catalog's codes table (Code rows).

    held: the quarters already in the catalog, whose last published Addendum B a quarter
    without its own keeps (CMS does not publish Addendum B every quarter)."""
    found, skipped = recognise_all(paths)
    data = _import_one(found, codes, facts, checked)
    data.read += skipped
    _keep_status(data, [], held)
    return data


def import_quarters(paths: Iterable[str | Path], codes: Mapping[str, Any],
                    facts: Mapping[str, dict[str, Any]], checked: dt.date,
                    held: CmsHistory | None = None) -> list[Imported]:
    """Read one or more quarters' files, oldest first; each quarter must be whole (its
    crosswalk and pricing file). A quarter without an Addendum B keeps the last one
    published before it: one given in this call, else one `held`."""
    found, skipped = recognise_all(paths)
    out: list[Imported] = []
    for group in _by_quarter(found):
        data = _import_one(group, codes, facts, checked)
        _keep_status(data, out, held)
        out.append(data)
    out[0].read += skipped
    return out


def _by_quarter(found: Sequence[Recognised]) -> list[list[Recognised]]:
    """The files grouped by quarter, oldest first. An Addendum B that names only its
    calendar year joins that year's one quarter given; with several, its quarter is unknown."""
    groups: dict[str, list[Recognised]] = {}
    for rec in found:
        if rec.quarter is not None and rec.kind != ADDENDUM_B:
            groups.setdefault(rec.quarter.label, []).append(rec)
    for rec in found:
        if rec.kind != ADDENDUM_B:
            continue
        if rec.quarter is not None:
            label = rec.quarter.label
        else:
            same_year = [q for q in groups if q.startswith(f"{rec.year}-")]
            if len(same_year) != 1:
                raise ImportRefused(f"{rec.table.origin}: the {rec.described} names no "
                                    f"quarter, and {len(same_year)} quarters of {rec.year} "
                                    "are given; import it with its own quarter's files")
            label = same_year[0]
        if label not in groups:
            raise ImportRefused(f"{rec.described} matches no quarter given (files from "
                                "different quarters?): give its quarter's crosswalk and "
                                "pricing file with it")
        groups[label].append(rec)
    return [groups[label] for label in sorted(groups)]


def _keep_status(data: Imported, earlier: Sequence[Imported], held: CmsHistory | None
                 ) -> None:
    """A quarter without its own Addendum B keeps the last published status indicators
    (those rows keep their own source, naming the Addendum B and its quarter)."""
    if "addendum_b" in data.cms:
        return
    label = data.quarter.label
    published: dict[str, dict[str, dict[str, Any]]] = {}
    if held is not None:
        published.update({q: {code: _status_row(row) for code, row in held[q].opps.items()}
                          for q in held.labels if held[q].opps and not held[q].status_from})
    published.update({d.quarter.label: dict(d.opps) for d in earlier
                      if "addendum_b" in d.cms})
    before = [q for q in sorted(published) if q < label]
    previous = (before[-1], published[before[-1]]) if before else None
    if previous is None:
        data.reports.append(f"no OPPS Addendum B for {label} and none published before it "
                            "in the catalog: no status indicators, so medicare-opps keeps "
                            "JW/JZ on every code (with a note) until an Addendum B is "
                            "imported")
        return
    data.cms["status_from"] = previous[0]
    data.opps = previous[1]
    data.reports.append(f"no OPPS Addendum B for {label}: it keeps {previous[0]}'s status "
                        "indicators, the last published")


def _status_row(row: Any) -> dict[str, Any]:
    """A held Status row as the importer's table row."""
    return {"si": row.si, **({"apc": row.apc} if row.apc else {}),
            **({"rate": row.rate} if row.rate else {}), "source": row.source,
            "checked": row.checked}


def _import_one(found: Sequence[Recognised], codes: Mapping[str, Any],
                facts: Mapping[str, dict[str, Any]], checked: dt.date) -> Imported:
    quarter = _one_quarter(found)
    by_kind = {rec.kind: rec for rec in found}
    owner = {lp: key for key, fact in facts.items() for lp in fact.get("ndc_products", [])}
    ig = {k for k, c in codes.items() if c.immune_globulin}
    out = Imported(quarter, {k: r.table.name for k, r in by_kind.items()}, {}, {}, {}, {}, {})
    out.read = [f"read {rec.described}" for rec in found]
    cross = by_kind[CROSSWALK]
    out.cms = {"quarter": quarter.label, "effective": cross.effective,
               "through": cross.through, "checked": checked, "crosswalk": cross.table.name,
               "pricing": by_kind[PRICING].table.name}
    if ADDENDUM_B in by_kind:
        out.cms["addendum_b"] = by_kind[ADDENDUM_B].table.name
    _ndcs(out, cross, codes, ig, owner, facts, checked)
    _payments(out, by_kind[PRICING], codes, checked)
    if ADDENDUM_B in by_kind:
        for row in rows.addendum_b(by_kind[ADDENDUM_B], codes):
            out.opps[row.code] = {"si": row.si, **({"apc": row.apc} if row.apc else {}),
                                  **({"rate": row.rate} if row.rate else {}),
                                  "source": _source(by_kind[ADDENDUM_B], quarter),
                                  "checked": checked}
    _products(out, codes, facts, checked)
    return out


def _ndcs(out: Imported, rec: Recognised, codes: Mapping[str, Any], ig: set[str],
          owner: Mapping[str, str], facts: Mapping[str, dict[str, Any]], checked: dt.date
          ) -> None:
    wanted = set(ig) | {r[0].upper() for r in rec.data if len(r) > 3 and r[3][:10] in owner}
    for row in rows.crosswalk(rec, wanted):
        product = owner.get(row.labeler_product, "")
        if row.code not in ig:
            out.reports.append(f"NDC {row.ndc} ({row.drug_name}, {product}) is listed under "
                               f"{row.code}, which is not an immune globulin code in "
                               f"codes.toml: not imported; add the code first")
            continue
        if row.billunits.denominator != 1:
            out.reports.append(f"NDC {row.ndc} ({row.code}): BILLUNITS {_num(row.billunits)} "
                               "is not a whole number of billing units: not imported")
            continue
        unit = codes[row.code].unit_mg
        if rows.dosage_mg(row.dosage) != unit:
            out.reports.append(f"NDC {row.ndc}: HCPCS dosage '{row.dosage}' differs from "
                               f"{row.code}'s billing unit of {_num(unit)} mg in codes.toml")
        percent = facts[product].get("concentration_percent") if product else None
        note = _pkg_note(row, unit, percent)
        if note:
            out.reports.append(f"NDC {row.ndc} ({row.drug_name}): {note}")
        if not product:
            out.reports.append(f"NDC {row.ndc} ({row.drug_name}, {row.code}) belongs to no "
                               f"product: add '{row.labeler_product}' to ndc_products of its "
                               f"product in {FACTS_FILE}")
        elif row.code not in [u["code"] for u in _uses(facts[product])]:
            out.reports.append(f"NDC {row.ndc} ({product}) is listed under {row.code}, not "
                               f"under the product's code in {FACTS_FILE}")
        out.ndcs[row.ndc] = {
            "code": row.code, **({"product": product} if product else {}),
            "billunits": int(row.billunits), "drug_name": row.drug_name,
            "labeler": row.labeler, "pkg_size": row.pkg_size, "pkg_qty": row.pkg_qty,
            **({"note": note} if note else {}), "source": _source(rec, out.quarter),
            "checked": checked}


def _uses(fact: Mapping[str, Any]) -> list[dict[str, Any]]:
    return fact.get("codes") or [{"code": fact["code"]}]


def _payments(out: Imported, rec: Recognised, codes: Mapping[str, Any], checked: dt.date
              ) -> None:
    for row in rows.pricing(rec, codes):
        unit = codes[row.code].unit_mg
        if rows.dosage_mg(row.dosage) != unit:
            out.reports.append(f"{row.code}: the pricing file's dosage '{row.dosage}' differs "
                               f"from its billing unit of {_num(unit)} mg in codes.toml")
        out.payments[row.code] = {"limit": row.limit, "dosage": row.dosage,
                                  **({"coinsurance": row.coinsurance} if row.coinsurance
                                     else {}),
                                  "source": _source(rec, out.quarter), "checked": checked}
    for code, entry in codes.items():
        if entry.immune_globulin and code not in out.payments:
            out.reports.append(f"{code}: no payment limit in the pricing file (none is shown)")


def _products(out: Imported, codes: Mapping[str, Any], facts: Mapping[str, dict[str, Any]],
              checked: dt.date) -> None:
    for key, fact in facts.items():
        row = {k: v for k, v in fact.items()
               if k not in ("ndc_products", "sizes_source", "source", "checked")}
        if "ndc_products" in fact:
            sizes = sorted({Fraction(n["billunits"]) * codes[n["code"]].unit_mg / 1000
                            for n in out.ndcs.values() if n.get("product") == key})
            if not sizes:
                out.reports.append(f"{key}: the crosswalk lists none of its NDCs "
                                   f"({', '.join(fact['ndc_products'])}); no vial sizes")
                continue
            row["vial_sizes_g"] = sizes
            # The sizes are the newest quarter's; each date's NDCs come from its own.
            row["source"] = (f"Vial sizes: CMS ASP NDC-HCPCS crosswalk {out.quarter.label} "
                             f"(each date's NDCs from its own quarter's crosswalk), "
                             f"BILLUNITS per NDC. {fact['source']}")
            listed = [s for s in fact.get("labeled_sizes_g", []) if Fraction(s) in sizes]
            if listed:  # CMS lists it now: a CMS size, no longer a label-only one
                out.reports.append(f"{key}: labeled_sizes_g {value_text(listed)} g now have an "
                                   f"NDC in the crosswalk; drop them from {FACTS_FILE}")
                row["labeled_sizes_g"] = [s for s in row["labeled_sizes_g"] if s not in listed]
                if not row["labeled_sizes_g"]:
                    del row["labeled_sizes_g"], row["labeled_sizes_source"]
        else:
            row["source"] = f"Vial sizes: {fact['sizes_source']}. {fact['source']}"
        row["checked"] = checked
        out.products[key] = row
