"""`ivigcalc remit FILE`: an 835 remittance explained, line by immune globulin line.

Why: the payer's answer to a claim is an 835 with adjustment reason codes (CARC) and remark
codes (RARC) that a coder has to look up one by one. For every IG line this gives what was
billed and paid, each adjustment (group, CARC, amount) and remark (RARC), what the code
means and what to fix, in plain words kept as data (resources/remit_codes.toml, citing X12's
CARC list and CMS's RARC list), and the claim check's rule that catches the cause before
the claim goes out, where one exists. A summary adds up paid, denied and adjusted amounts by
reason. The file is read as `check --x12` reads an 837 (check/x12_file.py).
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files
from typing import IO, Any

from ivigcalc import __version__
from ivigcalc.check import x12_file
from ivigcalc.check.findings import RULES
from ivigcalc.data import untrusted
from ivigcalc.data.catalog import Catalog
from ivigcalc.errors import printable

MAX_AMOUNT_CHARS = 18  # X12 R elements


@dataclass(frozen=True)
class Adjustment:
    group: str  # CO, PR, OA, PI
    carc: str
    amount: Decimal


@dataclass
class RemitLine:
    """One SVC loop: the service billed and paid, its adjustments and remarks."""

    segment: int
    code: str
    modifiers: tuple[str, ...]
    billed: Decimal
    paid: Decimal
    units: str = "1"
    day: str = ""
    adjustments: list[Adjustment] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)

    @property
    def denied(self) -> bool:
        return self.paid == 0 and self.billed > 0


@dataclass
class RemitClaim:
    """One CLP loop: the claim's totals, its own adjustments and remarks, and its lines."""

    claim_id: str
    status: str  # CLP02: 1-3 processed, 4 denied, 22 reversal
    billed: Decimal
    paid: Decimal
    segment: int
    adjustments: list[Adjustment] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    lines: list[RemitLine] = field(default_factory=list)


@dataclass(frozen=True)
class Meaning:
    text: str
    fix: str
    rules: tuple[str, ...]


@cache
def codes() -> dict[str, Any]:
    """resources/remit_codes.toml: the codes' wording, groups and sources."""
    text = files("ivigcalc.resources").joinpath("remit_codes.toml").read_text("utf-8")
    return tomllib.loads(text)


def meaning(kind: str, code: str) -> Meaning | None:
    """A CARC ('carc') or RARC ('rarc') in plain words, with the check's rules that exist."""
    entry = codes()[kind].get(code)
    if entry is None:
        return None
    return Meaning(entry["text"], entry["fix"],
                   tuple(r for r in entry.get("rules", ()) if r in RULES))


def _amount(value: str, name: str, segment: int, label: str) -> Decimal:
    if not value or len(value) > MAX_AMOUNT_CHARS:
        raise x12_file.X12FileError(label, segment, None, f"{name} '{printable(value, 20)}' "
                                    f"is not an amount of at most {MAX_AMOUNT_CHARS} characters")
    if not untrusted.plain_decimal(value):  # '1E999999999': no exponent, 15 digits a side
        raise x12_file.X12FileError(label, segment, None, f"{name} '{printable(value, 20)}' "
                                    "is not a plain decimal number")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise x12_file.X12FileError(label, segment, None, f"{name} '{printable(value, 20)}' "
                                    "is not a number") from None
    if not amount.is_finite():
        raise x12_file.X12FileError(label, segment, None, f"{name} is not a number")
    return amount


def read(path: str) -> list[RemitClaim]:
    """The remittance's claims, every 835 transaction set of the file in order."""
    text = x12_file.read_text(path)
    out: list[RemitClaim] = []
    seen = False
    for transaction in x12_file.transactions(text, path):
        if transaction.kind != "835":
            continue
        seen = True
        out += claims_of(transaction, path)
    if not seen:
        raise x12_file.X12FileError(path, None, None, "holds no 835 (remittance); an 837 goes "
                                    "to `ivigcalc check --x12`")
    return out


def claims_of(transaction: x12_file.Transaction, label: str) -> list[RemitClaim]:
    """One 835 transaction set's claims."""
    ele, sub = transaction.element, transaction.component
    out: list[RemitClaim] = []
    claim: RemitClaim | None = None
    line: RemitLine | None = None
    for number, seg_id, segment in transaction.segments:
        if seg_id not in ("CLP", "CAS", "SVC", "LQ", "DTM", "MOA"):
            continue
        elements = segment.split(ele)

        def get(index: int, elements: list[str] = elements) -> str:
            return x12_file.element(elements, index)

        if seg_id == "CLP":
            claim = RemitClaim(get(1), get(2), _amount(get(3), "CLP03", number, label),
                               _amount(get(4), "CLP04", number, label), number)
            line = None
            out.append(claim)
        elif claim is None:
            continue
        elif seg_id == "SVC":
            composite = get(1).split(sub)
            line = RemitLine(number, composite[1] if len(composite) > 1 else "",
                             tuple(m for m in composite[2:6] if m),
                             _amount(get(2), "SVC02", number, label),
                             _amount(get(3), "SVC03", number, label), get(5) or "1")
            claim.lines.append(line)
        elif seg_id == "CAS":
            adjustments = [Adjustment(get(1), get(i), _amount(get(i + 1), "CAS amount",
                                                             number, label))
                           for i in range(2, 20, 3) if get(i)]
            (line.adjustments if line else claim.adjustments).extend(adjustments)
        elif seg_id == "LQ" and get(1) == "HE" and line is not None:
            line.remarks.append(get(2))
        elif seg_id == "MOA":
            claim.remarks += [get(i) for i in range(3, 8) if get(i)]
        elif seg_id == "DTM" and get(1) == "472" and line is not None:
            day = get(2)  # CCYYMMDD, shown as ISO
            line.day = f"{day[:4]}-{day[4:6]}-{day[6:8]}" if len(day) == 8 and \
                day.isdigit() else printable(day, 12)
    return out


# --- reports ----------------------------------------------------------------------------


def _is_ig(line: RemitLine, catalog: Catalog) -> bool:
    code = catalog.codes.get(line.code)
    return code is not None and code.immune_globulin


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f} USD"


@dataclass
class Summary:
    paid: Decimal = Decimal(0)
    denied: Decimal = Decimal(0)  # billed on IG lines paid nothing
    by_reason: Counter[tuple[str, str]] = field(default_factory=Counter)  # (group, carc)
    amounts: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    ig_lines: int = 0
    denied_lines: int = 0
    other_lines: int = 0

    def add(self, line: RemitLine, ig: bool) -> None:
        if not ig:
            self.other_lines += 1
            return
        self.ig_lines += 1
        self.paid += line.paid
        if line.denied:
            self.denied += line.billed
            self.denied_lines += 1
        for a in line.adjustments:
            key = (a.group, a.carc)
            self.by_reason[key] += 1
            self.amounts[key] = self.amounts.get(key, Decimal(0)) + a.amount


def _code_lines(kind: str, code: str, amount: str = "") -> list[str]:
    found = meaning(kind, code)
    head = f"{kind.upper()} {code}{amount}"
    if found is None:
        return [f"{head}: not in ivigcalc's list; look it up in the "
                f"{codes()['sources'][kind]}"]
    out = [f"{head}: {found.text}", f"  What to fix: {found.fix}"]
    if found.rules:
        out.append(f"  ivigcalc check catches it as: {', '.join(found.rules)}")
    return out


def line_text(line: RemitLine) -> list[str]:
    shown = " ".join((line.code, *line.modifiers))
    verdict = "DENIED" if line.denied else "paid"
    out = [f"  {shown} × {line.units}{f' on {line.day}' if line.day else ''}: billed "
           f"{_money(line.billed)}, {verdict} {_money(line.paid)}"]
    groups = codes()["groups"]
    for a in line.adjustments:
        out += [f"    {detail}" for detail in _code_lines(
            "carc", a.carc, f" ({a.group}: {groups.get(a.group, 'group ' + a.group)}), "
            f"{_money(a.amount)}")]
    for remark in line.remarks:
        out += [f"    {detail}" for detail in _code_lines("rarc", remark)]
    return out


def summary_lines(summary: Summary) -> list[str]:
    """Paid, denied and adjusted amounts by reason, over the immune globulin lines."""
    out = [f"{summary.ig_lines} immune globulin lines: paid {_money(summary.paid)}; denied "
           f"{summary.denied_lines} ({_money(summary.denied)} billed)"]
    for (group, carc), amount in sorted(summary.amounts.items(), key=lambda kv: -kv[1]):
        found = meaning("carc", carc)
        out.append(f"{group}-{carc}: {_money(amount)} on {summary.by_reason[(group, carc)]} "
                   f"line(s){f' ({found.text})' if found else ''}")
    if summary.other_lines:
        out.append(f"Other lines (not immune globulin, not explained here): "
                   f"{summary.other_lines}")
    return out


def table_rows(number: int, claim: RemitClaim, catalog: Catalog,
               summary: Summary) -> list[tuple[Any, ...]]:
    """The claim's immune globulin lines as the window's report rows (claim, id, status,
    severity, rule, line, message, expected): a denied line is an error, a paid one a
    note; the message holds each code's meaning and fix; other lines are counted only."""
    rows: list[tuple[Any, ...]] = []
    for index, line in enumerate(claim.lines, 1):
        ig = _is_ig(line, catalog)
        summary.add(line, ig)
        if not ig:
            continue
        codes_ = [f"{a.group}-{a.carc}" for a in line.adjustments] + line.remarks
        words = [f"{' '.join(_code_lines('carc', a.carc, f' ({a.group}), {_money(a.amount)}'))}"
                 for a in line.adjustments]
        words += [" ".join(_code_lines("rarc", r)) for r in line.remarks]
        shown = " ".join((line.code, *line.modifiers))
        rows.append((number, claim.claim_id, "denied" if line.denied else "paid",
                     "error" if line.denied else "note", " ".join(codes_) or "paid", index,
                     f"{shown} × {line.units}: billed {_money(line.billed)}, paid "
                     f"{_money(line.paid)}. " + " ".join(words), ""))
    return rows


def write_text(claims: list[RemitClaim], out: IO[str], catalog: Catalog) -> Summary:
    summary = Summary()
    for claim in claims:
        ig = [line for line in claim.lines if _is_ig(line, catalog)]
        for line in claim.lines:
            summary.add(line, line in ig)
        if not ig:
            continue
        out.write(f"Claim {claim.claim_id} (status {claim.status}): billed "
                  f"{_money(claim.billed)}, paid {_money(claim.paid)}\n")
        for remark in claim.remarks:
            out.write("".join(f"  {detail}\n" for detail in _code_lines("rarc", remark)))
        for line in ig:
            out.write("\n".join(line_text(line)) + "\n")
        out.write("\n")
    out.write("Summary\n")
    out.write("".join(f"  {line}\n" for line in summary_lines(summary)))
    sources = codes()["sources"]
    out.write(f"Codes: {sources['carc']}; {sources['rarc']}. ivigcalc {__version__}\n")
    return summary


def _code_dict(kind: str, code: str) -> dict[str, Any]:
    found = meaning(kind, code)
    return {"code": code, "meaning": found.text if found else None,
            "fix": found.fix if found else None,
            "rules": list(found.rules) if found else []}


def write_json(claims: list[RemitClaim], out: IO[str], catalog: Catalog) -> Summary:
    summary = Summary()
    rows = []
    for claim in claims:
        lines = []
        for line in claim.lines:
            ig = _is_ig(line, catalog)
            summary.add(line, ig)
            if ig:
                lines.append({
                    "code": line.code, "modifiers": list(line.modifiers), "units": line.units,
                    "date": line.day or None, "billed": str(line.billed),
                    "paid": str(line.paid), "denied": line.denied,
                    "adjustments": [{"group": a.group, "amount": str(a.amount),
                                     **_code_dict("carc", a.carc)} for a in line.adjustments],
                    "remarks": [_code_dict("rarc", r) for r in line.remarks]})
        if lines:
            rows.append({"claim_id": claim.claim_id, "status": claim.status,
                         "billed": str(claim.billed), "paid": str(claim.paid),
                         "remarks": [_code_dict("rarc", r) for r in claim.remarks],
                         "lines": lines})
    json.dump({"schema": 1, "claims": rows, "summary": {
        "lines": summary.ig_lines, "paid": str(summary.paid), "denied": str(summary.denied),
        "denied_lines": summary.denied_lines, "other_lines": summary.other_lines,
        "by_reason": [{"group": g, "carc": c, "lines": summary.by_reason[(g, c)],
                       "amount": str(a)} for (g, c), a in sorted(summary.amounts.items())]},
        "sources": codes()["sources"], "app_version": __version__}, out, indent=2,
        default=str)
    out.write("\n")
    return summary
