"""Text, JSON and HTML renderings of one claim check (what the CLI prints, the window copies).

The JSON is the issue 4 contract (schema 1): findings with severity, rule, message and line
(null for the claim as a whole), and the expected lines as code, modifiers and units; the
other keys (source, summary, claim, billed_lines, working...) are additions a reader may use.
"""

from __future__ import annotations

import html
import json
from typing import Any

from ivigcalc import render, text
from ivigcalc.check.facts import vials_text
from ivigcalc.check.rules import CheckResult, ExpectedLine, Finding
from ivigcalc.data.catalog import ROUTE_NAMES

JSON_SCHEMA = 1


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {"severity": finding.severity, "rule": finding.rule, "message": finding.message,
            "line": finding.line, "source": finding.source}


def expected_dict(expected: ExpectedLine) -> dict[str, Any]:
    line = expected.line
    return {"code": line.code, "modifiers": list(line.modifiers), "units": line.units,
            "text": expected.text, "ndc": expected.ndc.text if expected.ndc else None}


def summary_counts(result: CheckResult) -> dict[str, int]:
    return {"errors": result.count("error"), "warnings": result.count("warning"),
            "notes": result.count("note")}


def as_dict(result: CheckResult) -> dict[str, Any]:
    claim = result.claim
    mg = render._mg  # the calc JSON's convention: masses in mg to 0.001
    return {
        "schema": JSON_SCHEMA,
        "findings": [finding_dict(f) for f in result.findings],
        "expected_lines": [expected_dict(e) for e in result.expected],
        "summary": summary_counts(result),
        "claim": {
            "date_of_service": claim.date_of_service.isoformat(),
            "payer": claim.payer.key,
            "product": claim.product.key if claim.product else None,
            "code": claim.code.key,
            "unit_mg": mg(claim.code.unit_mg),
            "route": claim.route,
            "kx_attested": claim.kx,
            "administered_mg": mg(claim.administered_mg),
            "opened": [{"size_mg": mg(size), "count": n} for size, n in claim.opened.vials],
            "opened_mg": mg(claim.opened_mg),
            "administered_units": claim.administered_units,
            "labeled_units": claim.labeled_units,
            "discarded_units": claim.discarded_units,
            "stocked_mg": (None if claim.quantities.stocked is None else
                           [mg(size) for size in sorted(claim.quantities.stocked)]),
            "best_plan": {
                "vials": [{"size_mg": mg(size), "count": n} for size, n in claim.best.vials],
                "opened_mg": mg(claim.best.drawn_mg),
                "discarded_units": claim.best_discarded_units,
            },
        },
        "billed_lines": [
            {"line": b.number, "text": b.text, "readable": b.parsed is not None,
             "code": b.parsed.code if b.parsed else None,
             "modifiers": list(b.parsed.modifiers) if b.parsed else [],
             "units": b.parsed.units if b.parsed else None,
             "ndc": b.parsed.ndc.text if b.parsed and b.parsed.ndc else None}
            for b in result.billed
        ],
        "working": [{"step": s.topic, "text": s.text, "source": s.source} for s in claim.steps],
        "catalog": result.catalog_version,
        "version": result.app_version,
    }


def report_json(result: CheckResult) -> str:
    return json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n"


def heading(result: CheckResult) -> str:
    claim = result.claim
    what = f"{claim.product.name}, {claim.code.key}" if claim.product else claim.code.key
    return (f"{what} per {text.mg(claim.code.unit_mg)}, {ROUTE_NAMES[claim.route]} "
            f"({claim.route.upper()}); {claim.payer.name}; date of service "
            f"{claim.date_of_service.isoformat()}")


def arithmetic_lines(result: CheckResult) -> list[str]:
    """The numbers every finding is measured against, one fact per line."""
    claim = result.claim
    exact = claim.administered_mg / claim.code.unit_mg
    amounts = claim.quantities
    sizes = ", ".join(text.grams(s) for s in sorted(amounts.sizes_mg))
    if amounts.stocked is not None:
        where = f"the sizes stocked ({sizes})"
    elif claim.product is not None:
        where = f"{claim.product.name}'s sizes ({sizes}; every size assumed stocked)"
    else:
        where = f"the sizes opened ({sizes})"
    return [
        f"Administered {text.grams(claim.administered_mg)} = {claim.administered_units} units "
        f"(÷ {text.mg(claim.code.unit_mg)} = {text.decimal(exact)}, rounded up)",
        f"Opened {vials_text(claim.opened)} = {text.grams(claim.opened_mg)} = "
        f"{claim.labeled_units} units; {claim.discarded_units} billable units discarded",
        f"Least waste from {where}: {vials_text(claim.best)} = "
        f"{text.grams(claim.best.drawn_mg)}; {claim.best_discarded_units} units discarded",
    ]


def counts_text(result: CheckResult) -> str:
    return ", ".join(text.count(result.count(s), s) for s in ("error", "warning", "note"))


def report_text(result: CheckResult) -> str:
    """What `ivigcalc check` prints: the facts, the billed lines, findings, expected lines."""
    out = ["Claim check: " + heading(result), *arithmetic_lines(result), ""]
    if result.billed:
        out.append("Billed lines:")
        out.extend(f"  {b.number}. {b.text}" for b in result.billed)
        out.append("")
    out.append(f"Findings: {counts_text(result)}")
    for finding in result.findings:
        where = f"line {finding.line}" if finding.line is not None else "claim"
        out.append(f"  {finding.severity.upper():<7} {where:<8} {finding.rule}: "
                   f"{finding.message}")
        if finding.source:
            out.append(f"  {'':<7} {'':<8} Source: {finding.source}")
    out += ["", "Expected lines:"]
    out.extend(f"  {e.text}" for e in result.expected)
    out += ["", f"ivigcalc {result.app_version} · catalog {result.catalog_version}"]
    return "\n".join(out) + "\n"


def expected_text(result: CheckResult) -> str:
    """The expected lines as plain text, one per line (the clipboard's text/plain)."""
    return "\n".join(e.text for e in result.expected) + "\n"


def expected_html(result: CheckResult) -> str:
    """The expected lines as a table (pastes as a table into Word, Outlook or a billing note)."""
    rows = [[e.line.code, " ".join(e.line.modifiers), str(e.line.units),
             e.ndc.text if e.ndc else ""] for e in result.expected]
    return (f"<p>{html.escape(heading(result))}</p>"
            + render._table(["Code", "Modifiers", "Units", "NDC"], rows))
