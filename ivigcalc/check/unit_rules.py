"""The units across the claim's lines: administered, JW/JZ waste, the labeled contents, the
vial choice and the catalog's dose limit."""

from __future__ import annotations

import datetime as dt
from typing import cast

from ivigcalc import text
from ivigcalc.billing.lines import JW_JZ_SOURCE
from ivigcalc.billing.opps import SOURCE as OPPS_SOURCE
from ivigcalc.check import slips
from ivigcalc.check.facts import Claim, memo_for, vials_text
from ivigcalc.check.findings import Finding, cap, find, line_numbers, on_lines
from ivigcalc.check.line_rules import SortedLines
from ivigcalc.data.bounds import MAX_PLAN_MG
from ivigcalc.data.catalog import Catalog


def units(claim: Claim, lines: SortedLines) -> list[Finding]:
    """Administered units, JW and JZ, and the labeled contents."""
    out: list[Finding] = []
    unit = claim.code.unit_mg

    def working() -> str:  # the messages' arithmetic, formatted only when a rule fires
        exact = claim.administered_mg / unit
        return (f"{text.grams(claim.administered_mg)} ÷ {text.mg(unit)} = "
                f"{text.decimal(exact)}" + ("" if exact.denominator == 1 else
                                            f", rounded up to {claim.administered_units}"))

    def opened() -> str:
        return (f"{vials_text(claim.opened)} = {text.grams(claim.opened_mg)} opened holds "
                f"{claim.labeled_units} units")

    billed_given = sum(b.parsed.units for b in lines.given if b.parsed)
    billed_waste = sum(b.parsed.units for b in lines.waste if b.parsed)
    waste_units = claim.discarded_units
    jw_applies = claim.payer.jw_applies(claim.date_of_service) and not claim.packaged
    expected_main = claim.lines[0]
    line_of = (lines.given[0].number if len(lines.given) == 1 else None)
    whole = slips.whole_vials_on_one_line(claim, lines.given, lines.waste)

    if not lines.given:
        out.append(find("units-rounding", f"No administered line for {claim.code.key}: "
                        f"{working()}; bill {expected_main.text}"))
    elif billed_given != claim.administered_units:
        if whole:
            where = (f"line {line_of}" if line_of is not None else "the administered line")
            jz = " without JZ" if any(b.parsed and "JZ" in b.parsed.modifiers
                                      for b in lines.given) else ""
            why = (f", the whole {text.grams(claim.opened_mg)} opened: bill only the amount "
                   f"administered on {where}{jz} ({working()}) and the {waste_units} "
                   f"discarded units on a separate line, {claim.lines[-1].text}")
        elif billed_given < claim.administered_units:
            why = f"; {working()}: round up, never down or to the nearest"
        else:
            why = f", more than administered; {working()}"
        out.append(find("units-rounding",
                        f"{billed_given} units billed{on_lines(lines.given)}{why}", line_of))

    if jw_applies and waste_units >= 1 and not whole:
        if not lines.waste:
            # JZ where the JW line should be: one slip, reported once (as jz-with-waste below).
            jz_for_jw = any(b.parsed and "JZ" in b.parsed.modifiers for b in lines.given)
            if not jz_for_jw:
                out.append(find("jw-missing", f"No JW line: {opened()}; "
                                f"{claim.labeled_units} − {claim.administered_units} "
                                f"administered = {waste_units} discarded units go on a "
                                f"separate line, {claim.lines[-1].text}"))
        elif billed_waste < waste_units:
            out.append(find("jw-missing", f"JW bills {billed_waste} units{on_lines(lines.waste)}; "
                            f"{opened()}, so {claim.labeled_units} − "
                            f"{claim.administered_units} = {waste_units} discarded units",
                            lines.waste[0].number if len(lines.waste) == 1 else None))
    if lines.waste:
        for b in lines.waste:
            if claim.packaged:
                out.append(find("jw-not-allowed", f"{claim.code.key} is packaged under the "
                                "OPPS (Addendum B status N): no JW line, the discarded units "
                                "are not billed", b.number, source=OPPS_SOURCE))
            elif not jw_applies:
                starts = claim.payer.jw_from
                when = (f"from {starts.isoformat()}" if claim.payer.jw and starts else "on no date")
                out.append(find("jw-not-allowed", f"{claim.payer.name} takes "
                                f"JW lines {when}; the date of service is "
                                f"{claim.date_of_service.isoformat()}. Discarded units are not "
                                "billed", b.number, source=claim.payer.source))
            elif waste_units == 0:
                wasted = claim.opened_mg - claim.administered_mg
                why = ("nothing was discarded" if wasted == 0 else
                       f"the {text.grams(wasted)} discarded is less than one billing unit "
                       f"({text.mg(unit)})")
                jz = " and the single line carries JZ" if "JZ" in expected_main.modifiers else ""
                out.append(find("jw-not-allowed", f"{cap(why)}, so JW is not "
                                f"permitted{jz}: {expected_main.text}", b.number))
        total = billed_given + billed_waste
        if jw_applies and waste_units >= 1 and billed_waste > waste_units and \
                total <= claim.administered_units + waste_units:
            out.append(find("jw-too-many", f"JW bills {billed_waste} units{on_lines(lines.waste)}; "
                            f"{opened()}, so {claim.labeled_units} − "
                            f"{claim.administered_units} administered = {waste_units} at most",
                            lines.waste[0].number if len(lines.waste) == 1 else None))

    unmarked = lines.unmarked.line if lines.unmarked else None
    jz_lines = [b for b in (*lines.given, *lines.waste)
                if b.parsed and "JZ" in b.parsed.modifiers and b is not unmarked
                and not (whole and b in lines.given)]
    if lines.given and "JZ" in expected_main.modifiers and not any(
            b in jz_lines for b in lines.given):
        wasted = claim.opened_mg - claim.administered_mg
        why = ("nothing was discarded" if wasted == 0 else
               f"the {text.grams(wasted)} discarded is less than one billing unit")
        out.append(find("jz-missing", f"{cap(why)}{on_lines(lines.given)}, and "
                        f"{claim.payer.name} requires JZ from "
                        f"{_iso(claim.payer.jz_required_from)}: {expected_main.text}",
                        line_of, source=f"{JW_JZ_SOURCE}; {claim.payer.source}"))
    for b in jz_lines:
        if b in lines.waste:
            why = "JZ (nothing discarded) is on the JW line itself"
        elif lines.waste:
            verb = "bills" if len(lines.waste) == 1 else "bill"
            why = f"JZ says nothing was discarded, but {line_numbers(lines.waste)} {verb} JW"
        elif waste_units >= 1:  # a JW line to bill them on, or none (payer, date, OPPS)
            fix = (f"bill them on {claim.lines[-1].text}" if len(claim.lines) > 1 else
                   f"bill {expected_main.text} (no JW line here, so they are not billed)")
            why = (f"JZ says nothing was discarded, but {opened()}: {waste_units} billable "
                   f"units were discarded; drop JZ and {fix}")
        else:
            if "JZ" not in expected_main.modifiers:
                out.append(find("jz-not-required", f"{claim.payer.name} does "
                                f"not require JZ on {claim.date_of_service.isoformat()}; it "
                                "does no harm where accepted", b.number,
                                source=claim.payer.source))
            continue
        out.append(find("jz-with-waste", why, b.number))

    # Administered units round up, so a dose within a unit of the labeled contents (0.95 g
    # from a 0.99 g vial: 10 units of 100 mg) may bill one unit over them, and no JW then.
    # JW lines already reported as not allowed do not count again here.
    allowed = claim.administered_units + waste_units
    counted_waste = billed_waste if jw_applies and waste_units >= 1 else 0
    total = billed_given + counted_waste
    if total > allowed:
        parts = f"{billed_given} + {counted_waste} = {total}" if counted_waste else str(total)
        out.append(find("over-labeled-contents", f"{parts} units billed, but {opened()} of "
                        f"{text.mg(unit)}; at most {allowed} can be billed (overfill is never "
                        "billed)"))
    return out


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def vial_choice(claim: Claim, catalog: Catalog) -> list[Finding]:
    """More waste than the least is reported (MACs deny excess wastage); within the site's
    vial_preference_units it is a note naming that setting rather than a warning."""
    amounts = claim.quantities
    if amounts.discarded_units == 0:
        return []  # no plan discards fewer than none: skip planning
    if amounts.administered_mg > MAX_PLAN_MG:
        return []  # no plan this large (vials.check_cost); above every hard dose-limit
    if amounts.discarded_units <= amounts.best_discarded_units:
        return []
    extra = amounts.discarded_units - amounts.best_discarded_units
    allowance = catalog.vial_preference_units
    if extra <= allowance:
        return [find("non-optimal-vials", f"{amounts.vial_message} (within the site's "
                     f"vial_preference_units = {allowance}: fewer vials preferred)",
                     severity="note")]
    return [find("non-optimal-vials", amounts.vial_message)]


def dose_limit(claim: Claim, catalog: Catalog) -> list[Finding]:
    memo = memo_for(catalog)
    amount = claim.administered_mg
    key = ("dose-limit", amount.numerator, amount.denominator)  # ints hash faster
    found = memo.get(key)
    if found is None:
        found = memo[key] = tuple(_dose_limit_findings(claim, catalog))
    return list(cast(tuple[Finding, ...], found))


def _dose_limit_findings(claim: Claim, catalog: Catalog) -> list[Finding]:
    """The catalog's grams-per-day limits (soft: a query; hard: a likely mg/g slip)."""
    limits = catalog.limits["default"]  # catalog.load refuses a catalog without it
    grams = claim.administered_mg / 1000
    limit = limits.grams_per_day
    source = f"limits.toml [{limits.key}] grams_per_day: {limits.source}"
    if limit.hard_max is not None and grams > limit.hard_max:
        return [find("dose-limit", f"{text.grams(claim.administered_mg)} in one day is above "
                     f"the hard limit of {text.decimal(limit.hard_max)} g: check the amount "
                     "(mg/g slip?) before the claim goes out", severity="error", source=source)]
    if limit.soft_max is not None and grams > limit.soft_max:
        return [find("dose-limit", f"{text.grams(claim.administered_mg)} in one day is above "
                     f"the soft limit of {text.decimal(limit.soft_max)} g: payers query doses "
                     "beyond what is reasonable; keep the order and weight on file",
                     source=source)]
    return []
