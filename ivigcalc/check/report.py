"""Text, JSON and HTML renderings of one claim check (what the CLI prints, the window copies).

The JSON is the issue 4 contract (schema 1): findings with severity, rule, message and line
(null for the claim as a whole), and the expected lines as code, modifiers and units; the
other keys (source, summary, claim, billed_lines, working...) are additions a reader may use.
"""

from __future__ import annotations

import html
import json
from typing import Any

from ivigcalc import text
from ivigcalc.check.facts import vials_text
from ivigcalc.check.findings import SEVERITIES
from ivigcalc.check.rules import CheckResult, ExpectedLine, Finding
from ivigcalc.data.catalog import ROUTE_NAMES

JSON_SCHEMA = 1


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {"severity": finding.severity, "rule": finding.rule, "message": finding.message,
            "line": finding.line, "source": finding.source}


def expected_dict(expected: ExpectedLine) -> dict[str, Any]:
    line = expected.line
    return {"code": line.code, "modifiers": list(line.modifiers), "units": line.units,
            "text": expected.text, "ndc": expected.ndc.text if expected.ndc else None,
            "ndcs": [segment.text for segment in expected.ndcs]}


def summary_counts(result: CheckResult) -> dict[str, int]:
    return {"errors": result.count("error"), "warnings": result.count("warning"),
            "notes": result.count("note")}


def as_dict(result: CheckResult) -> dict[str, Any]:
    from ivigcalc import render  # here, not at the top: a batch report never needs it

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


def verdict(result: CheckResult) -> str:
    """One line that agrees with the findings: a warning is never called harmless, because
    payers do query and deny on them (MACs deny waste from non-optimal vial sizes)."""
    if not result.findings:
        return "✓ No problems found: the billed lines match."
    counts = text.joined([text.count(result.count(s), s) for s in SEVERITIES
                          if result.count(s)])
    if result.has_errors:
        return f"✗ The claim needs fixing: {counts}."
    if result.count("warning"):
        return (f"⚠ No errors, but {counts}: a payer may query or deny on a warning; "
                "look at it before the claim goes out.")
    return f"✓ No errors or warnings; {counts} to read."


def findings_text(result: CheckResult) -> str:
    """The findings and the expected lines as plain text (the Check page's copy and print)."""
    out = ["Claim check: " + heading(result), verdict(result), "", "Findings:"]
    for f in result.findings:
        where = f"line {f.line}" if f.line is not None else "the claim"
        out.append(f"  {f.severity.capitalize()}, {where}, {f.rule}: {f.message}")
    if not result.findings:
        out.append("  none")
    out += ["", "Expected lines:", *(f"  {e.text}" for e in result.expected), "",
            f"ivigcalc {result.app_version} · catalog {result.catalog_version}"]
    return "\n".join(out) + "\n"


def findings_html(result: CheckResult) -> str:
    """The same as tables (pastes into Word or Outlook; the page prints it)."""
    from ivigcalc import render  # as in as_dict

    esc = html.escape
    rows = [[f.severity.capitalize(), "—" if f.line is None else str(f.line), f.rule,
             f.message] for f in result.findings]
    return "\n".join([
        f"<h3>Claim check</h3><p>{esc(heading(result))}</p><p><b>{esc(verdict(result))}</b></p>",
        render._table(["Severity", "Line", "Rule", "Message"], rows) if rows else
        "<p>No findings.</p>",
        "<p><b>Expected lines</b></p>", expected_table(result),
        f"<p><small>ivigcalc {esc(result.app_version)} · catalog "
        f"{esc(result.catalog_version)}</small></p>"])


def counts_text(result: CheckResult) -> str:
    return ", ".join(text.count(result.count(s), s) for s in ("error", "warning", "note"))


def report_text(result: CheckResult) -> str:
    """What `ivigcalc check` prints: the facts, the billed lines, findings, expected lines."""
    out = ["Claim check: " + heading(result), *arithmetic_lines(result), ""]
    if result.billed:
        out.append("Billed lines:")
        out.extend(f"  {b.number}. {b.text}" for b in result.billed)
        out.append("")
    out.append(verdict(result))
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
    return f"<p>{html.escape(heading(result))}</p>" + expected_table(result)


def expected_table(result: CheckResult) -> str:
    from ivigcalc import render  # as in as_dict

    date = result.claim.date_of_service.isoformat()
    rows = [[date, e.line.code, " ".join(e.line.modifiers), str(e.line.units),
             " ".join(segment.text for segment in e.ndcs)] for e in result.expected]
    return render._table(["Date of service", "Code", "Modifiers", "Units", "NDC"], rows)
