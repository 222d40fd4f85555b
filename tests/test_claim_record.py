"""One claim record: the CSV batch, the flags and the form read a claim into the same record,
and the check never goes back to the text once it has one."""

import argparse
import datetime as dt
from fractions import Fraction

import pytest

from ivigcalc.check import batch, reading, record
from ivigcalc.check.record import CheckRequest, ClaimRecord, read, read_form
from ivigcalc.check.rules import check
from ivigcalc.cli.check import record_from_args
from ivigcalc.data import icd10, untrusted
from ivigcalc.data.catalog import load
from ivigcalc.dose import units
from ivigcalc.errors import InputError

CATALOG = load().catalog
DAY = dt.date(2026, 1, 5)
CELLS = {"id": "", "date": "2026-01-05", "payer": "medicare", "product": "gamunex-c",
         "code": "", "route": "iv", "administered": "27.3 g", "vials": "3 x 10 g",
         "lines": "J1561 JA 55; J1561 JA JW 5", "kx": "", "dx": "D80.0",
         "weight": "70 kg", "prior_auth": "PA-1", "stocked": "10 g, 5 g",
         "times": "09:00-10:31"}


def flags(**changed: object) -> argparse.Namespace:
    values: dict[str, object] = dict(
        administered="27.3 g", vials="3 x 10 g", lines=["J1561 JA 55", "J1561 JA JW 5"],
        date="2026-01-05", product="gamunex-c", code=None, route="iv", payer="medicare",
        kx=False, stocked="10 g, 5 g", dx="D80.0", weight="70 kg", prior_auth="PA-1",
        times="09:00-10:31", site_340b=None)
    values.update(changed)
    return argparse.Namespace(**values)


def test_the_csv_row_the_flags_and_the_form_give_one_record() -> None:
    from_row = batch.record_for(CELLS, batch.Defaults())
    from_flags = record_from_args(flags())
    typed = CheckRequest("27.3 g", "3 x 10 g", ("J1561 JA 55", "J1561 JA JW 5"), DAY,
                         product="gamunex-c", route="iv", stocked=(Fraction(10_000),
                                                                   Fraction(5_000)),
                         dx="D80.0", weight="70 kg", prior_auth="PA-1", times="09:00-10:31")
    from_form = read_form(typed)
    assert from_form.problems == {}
    assert from_row == from_flags == from_form.record
    assert from_row.administered_mg == Fraction(27_300)
    assert from_row.opened.vials == ((Fraction(10_000), 3),)
    assert from_row.opened.contents_mg == Fraction(30_000)
    assert [(b.number, b.parsed.units if b.parsed else None) for b in from_row.lines] == \
        [(1, 55), (2, 5)]
    assert from_row.stocked == (Fraction(10_000), Fraction(5_000))
    assert [d.code for d in from_row.dx] == ["D80.0"]
    assert from_row.weight_kg == 70 and from_row.prior_auth == "PA-1"


def test_the_csv_id_travels_with_the_record() -> None:
    assert batch.record_for({**CELLS, "id": "CLM-7"}, batch.Defaults()).claim_id == "CLM-7"


def test_the_check_never_reads_text_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once read, a record is checked with every text reader broken: nothing re-reads."""
    claim = read(CheckRequest("27.3 g", "10 g, 10 g, 10 g", ("J1561 JA 54", "J1561 JA JW 5"),
                              DAY, product="gamunex-c", dx="D80.0", weight="70 kg",
                              prior_auth="PA-1", stocked="10 g, 5 g"))
    expected = check(claim, CATALOG)

    def broken(*args: object, **kwargs: object) -> object:
        raise AssertionError(f"text read again: {args}")

    for module, name in ((untrusted, "clean"), (untrusted, "parse_date"),
                         (untrusted, "check_digits"), (units, "parse_mass"),
                         (units, "parse_weight"), (units, "parse_vial_sizes"),
                         (icd10, "parse_list"), (icd10, "lookup"), (reading, "parse_line"),
                         (reading, "parse_mass"), (reading, "parse_vials_opened"),
                         (reading, "read_lines"), (record, "read_opened")):
        monkeypatch.setattr(module, name, broken)
    for module in (record, reading):  # the cached readers too, in case of a cold cache
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    from ivigcalc.check import facts
    facts._memos.clear()
    again = check(claim, CATALOG)
    assert again.findings == expected.findings
    assert [f.rule for f in again.findings if f.severity == "error"] == ["units-rounding"]


def test_read_names_the_first_unreadable_field() -> None:
    with pytest.raises(InputError) as error:
        read(CheckRequest("27,3 g", "3 x 10 g", ("J1561 JA 55",), DAY, product="gamunex-c"))
    assert error.value.field == "administered"
    with pytest.raises(InputError) as error:
        read(CheckRequest("27.3 g", "3 x", ("J1561 JA 55",), DAY, product="gamunex-c"))
    assert error.value.field == "vials"


def test_the_form_gets_every_fields_problem_at_once() -> None:
    form = read_form(CheckRequest("27,3 g", "3 x", ("J1561 JA 55",), DAY,
                                  product="gamunex-c", dx="D80", weight="seventy",
                                  prior_auth="PA 1!"))
    assert form.record is None
    assert set(form.problems) == {"administered", "vials", "dx", "weight", "prior-auth"}
    assert not any(message.startswith(f"{field}: ") for field, message in
                   form.problems.items())


def test_an_unreadable_line_is_part_of_the_record_not_a_refusal() -> None:
    claim = read(CheckRequest("27.3 g", "3 x 10 g", ("J1561 JA fifty",), DAY,
                              product="gamunex-c"))
    assert isinstance(claim, ClaimRecord)
    assert claim.lines[0].parsed is None and claim.lines[0].problem is not None
    assert [f.rule for f in check(claim, CATALOG).findings][:1] == ["malformed-line"]


def test_a_record_without_lines_is_refused_by_the_check_naming_lines() -> None:
    claim = read(CheckRequest("27.3 g", "3 x 10 g", ("  ",), DAY, product="gamunex-c"))
    with pytest.raises(InputError) as error:
        check(claim, CATALOG)
    assert error.value.field == "lines"
