"""The claim check reads billed NDCs against CMS's 2025-Q4 crosswalk."""

import datetime as dt

import pytest

from ivigcalc.check.record import CheckRequest, read
from ivigcalc.check.rules import check
from ivigcalc.data.catalog import load

CATALOG = load().catalog
DAY = dt.date(2025, 11, 3)


def fired(lines: list[str], vials: str = "3 x 10 g", product: str = "gamunex-c",
          administered: str = "27.3 g") -> list[tuple[str, str, int | None, str]]:
    result = check(read(CheckRequest(administered=administered, vials=vials, lines=lines,
                                date_of_service=DAY, product=product)), CATALOG)
    return [(f.rule, f.severity, f.line, f.message) for f in result.findings
            if f.rule.startswith("ndc-")]


def test_the_right_ndc_and_quantity_pass() -> None:
    assert fired(["J1561 JA 55 N413533080071 UN3", "J1561 JA JW 5 N413533080071 UN3"]) == []


def test_an_ndc_of_another_code_is_a_mismatch() -> None:
    """Bivigam's 10 g NDC (J1556) on a Gamunex-C J1561 line."""
    (found,) = fired(["J1561 JA 55 N469800650301 UN3", "J1561 JA JW 5"])
    assert found[:3] == ("ndc-code-mismatch", "error", 1)
    assert "bills under J1556 in CMS's 2025-Q4 crosswalk, not J1561" in found[3]


def test_an_ndc_cms_does_not_list_is_a_warning() -> None:
    (found,) = fired(["J1561 JA 55 N412345678901 UN3", "J1561 JA JW 5"])
    assert found[:3] == ("ndc-code-mismatch", "warning", 1)


def test_octagam_5_ndc_for_octagam_10_is_named() -> None:
    """Same code J1568, different product: told apart only by the NDC."""
    found = fired(["J1568 40 N468982084004 UN2"], vials="2 x 10 g", product="octagam-10",
                  administered="20 g")
    assert found[0][:2] == ("ndc-code-mismatch", "warning")
    assert "is Octagam 5%, not Octagam 10%" in found[0][3]


def test_ndc_of_a_vial_size_not_opened() -> None:
    """13533-0800-20 is Gamunex-C 5 g (BILLUNITS 10); 10 g vials were opened."""
    (found,) = fired(["J1561 JA 55 N413533080020 UN3", "J1561 JA JW 5"])
    assert found[:3] == ("ndc-units-mismatch", "error", 1)
    assert "is a 5 g vial (10 units of 500 mg, CMS BILLUNITS)" in found[3]


@pytest.mark.parametrize(("segment", "expected"), [("UN2", "UN3"), ("UN30", "UN3"),
                                                   ("ML100", "ML300")])
def test_ndc_quantity_against_the_vials_opened(segment: str, expected: str) -> None:
    (found,) = fired([f"J1561 JA 55 N413533080071 {segment}", "J1561 JA JW 5"])
    assert found[:3] == ("ndc-quantity-mismatch", "warning", 1)
    assert found[3].endswith(f"were opened: {expected}")


def test_ml_is_not_judged_where_pkg_size_is_unreliable() -> None:
    """Privigen 44206-0437-10 says 110 mL for 10 g: no volume is inferred from it."""
    assert fired(["J1459 55 N444206043710 ML999", "J1459 JW 5"], product="privigen") == []
