"""`ivigcalc remit`: 835 remittances explained, on files made here and validated with pyx12."""

import json
from pathlib import Path

import pytest
from helpers import run_cli
from x12_files import Adjustment, Claim, Line, Paid, Payment, build_835, build_837p, validate

from ivigcalc.check import remit
from ivigcalc.check.findings import RULES

DENIED_NDC = Payment("CLM-NDC", (
    Paid("J1459", (), 55, "1100", "0", (Adjustment("CO", "16", "1100"),), ("M119",)),
    Paid("J1459", ("JW",), 5, "100", "0", (Adjustment("CO", "16", "100"),), ("M119",))),
    status="4")
PAID = Payment("CLM-OK", (
    Paid("J1459", (), 55, "1100", "720.50", (Adjustment("CO", "45", "200"),
                                             Adjustment("PR", "2", "179.50"))),
    Paid("96365", (), 1, "150", "80", (Adjustment("CO", "45", "70"),))))


def valid_835(tmp_path: Path, *payments: Payment) -> Path:
    text = build_835(payments)
    assert validate(text) == []
    path = tmp_path / "remittance.835"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_m119_denial_is_explained_in_terms_of_the_ndc(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = valid_835(tmp_path, DENIED_NDC, PAID)
    code, out, _ = run_cli(capsys, "remit", str(path))
    assert code == 0
    block = out[out.index("Claim CLM-NDC"):out.index("Claim CLM-OK")]
    assert "J1459 × 55 on 2026-01-05: billed 1,100.00 USD, DENIED 0.00 USD" in block
    assert "CARC 16 (CO: contractual" in block and "1,100.00 USD" in block
    assert "RARC M119: the NDC is missing, invalid, withdrawn, or does not match the HCPCS" \
        in block
    assert "bill the NDC of the vial used" in block
    assert "ivigcalc check catches it as: ndc-code-mismatch, ndc-units-mismatch" in block
    assert "J1459 × 55 on 2026-01-05: billed 1,100.00 USD, paid 720.50 USD" in out
    summary = out[out.index("Summary"):]
    assert "3 immune globulin lines: paid 720.50 USD; denied 2 (1,200.00 USD billed)" in summary
    assert "CO-16: 1,200.00 USD on 2 line(s)" in summary
    assert "PR-2: 179.50 USD on 1 line(s) (the patient's coinsurance)" in summary
    assert "Other lines (not immune globulin, not explained here): 1" in summary
    assert "X12 Claim Adjustment Reason Codes list" in out and "maintained by CMS" in out


@pytest.mark.parametrize(("carc", "rarc", "rule"), [
    ("16", "N822", "jw-missing"), ("16", "N823", "jz-with-waste"), ("50", None, "dx-not-covered"),
    ("11", None, "dx-not-covered"), ("18", None, "duplicate-claim"),
    ("197", None, "prior-auth-missing"),
])
def test_each_code_links_to_the_checks_rule(tmp_path: Path, carc: str, rarc: str | None,
                                            rule: str) -> None:
    line = Paid("J1561", ("JA",), 55, "1100", "0", (Adjustment("CO", carc, "1100"),),
                (rarc,) if rarc else ())
    (claim,) = remit.read(str(valid_835(tmp_path, Payment("C-1", (line,), status="4"))))
    found = remit.meaning("rarc", rarc) if rarc else remit.meaning("carc", carc)
    assert found is not None and rule in found.rules
    assert claim.lines[0].denied and claim.lines[0].adjustments[0].carc == carc


def test_n362_names_the_mue() -> None:
    found = remit.meaning("rarc", "N362")
    assert found is not None and "MUE" in found.text


def test_json_carries_amounts_as_exact_strings(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = valid_835(tmp_path, DENIED_NDC, PAID)
    code, out, _ = run_cli(capsys, "remit", str(path), "--format", "json")
    assert code == 0
    data = json.loads(out)
    first = data["claims"][0]["lines"][0]
    assert first["billed"] == "1100" and first["paid"] == "0" and first["denied"] is True
    assert first["adjustments"][0]["code"] == "16" and first["adjustments"][0]["group"] == "CO"
    assert first["remarks"][0]["code"] == "M119"
    assert "ndc-code-mismatch" in first["remarks"][0]["rules"]
    assert data["summary"]["paid"] == "720.50" and data["summary"]["denied"] == "1200"
    assert {"group": "PR", "carc": "2", "lines": 1, "amount": "179.50"} in \
        data["summary"]["by_reason"]


def test_a_code_not_in_the_list_points_to_the_list(tmp_path: Path) -> None:
    line = Paid("J1459", (), 55, "1100", "0", (Adjustment("OA", "B7", "1100"),))
    path = valid_835(tmp_path, Payment("C-1", (line,), status="4"))
    out = remit_text(path)
    assert "CARC B7 (OA: other adjustment), 1,100.00 USD: not in ivigcalc's list; look it up" \
        in out


def remit_text(path: Path) -> str:
    import io

    from ivigcalc.data.catalog import load

    buffer = io.StringIO()
    remit.write_text(remit.read(str(path)), buffer, load().catalog)
    return buffer.getvalue()


def test_an_837_is_not_a_remittance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "claims.837"
    path.write_text(build_837p([Claim("C-1", (Line("J1459", (), 55),))]), encoding="utf-8")
    code, out, err = run_cli(capsys, "remit", str(path))
    assert code == 2 and out == ""
    assert "holds no 835" in err and "check --x12" in err


def test_every_code_has_words_a_fix_and_real_rules() -> None:
    data = remit.codes()
    assert "x12.org/codes/claim-adjustment-reason-codes" in data["sources"]["carc"]
    assert "CMS" in data["sources"]["rarc"]
    for kind in ("carc", "rarc"):
        for code, entry in data[kind].items():
            assert entry["text"] and entry["fix"], code
            assert set(entry.get("rules", ())) <= set(RULES), code
    for code in ("16", "18", "45", "50", "11", "96", "151", "B5", "197", "1", "2", "3"):
        assert code in data["carc"]
    for code in ("M119", "N822", "N823", "N362", "MA01"):
        assert code in data["rarc"]


def test_an_amount_with_an_exponent_is_refused_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = build_835([PAID]).replace("*720.50**55", "*1E999999999**55", 1)
    path = tmp_path / "huge.835"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli(capsys, "remit", str(path))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "SVC03 '1E999999999' is not a plain decimal number" in err
