"""Presets by label (issue 24 item 3): which indications each product's label carries is
data with the label as its source, and an indication without a labeled rate for the product
warns in every face, naming the protocol used instead."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from helpers import CATALOG, run_cli

from ivigcalc import render
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.data import necessity
from ivigcalc.errors import CatalogError

DAY = dt.date(2026, 12, 1)
NO_RATE = ("Gamunex-C's label gives no rate for Kawasaki disease: the plan uses its rates "
           "for primary humoral immunodeficiency. Check the rate with the prescriber.")


def calc(**kwargs: object):
    kwargs.setdefault("date_of_service", DAY)
    return calculate(CalcRequest(**kwargs), CATALOG)  # type: ignore[arg-type]


def test_every_product_has_its_label_with_the_label_as_source() -> None:
    data = necessity.bundled()
    assert set(data.labels) == set(CATALOG.products)
    for key, label in data.labels.items():
        name = CATALOG.products[key].name
        assert label.source.startswith(f"FDA prescribing information, {name}, section 1")
        assert label.indications and set(label.indications) <= set(data.indications)


def test_what_the_labels_carry() -> None:
    data = necessity.bundled()
    kawasaki, cidp, gbs = (data.indications[k] for k in ("kawasaki", "cidp", "gbs"))
    assert data.off_label("gamunex-c", kawasaki) is not None
    assert data.off_label("gammagard-sd", kawasaki) is None  # the one label that carries it
    assert data.off_label("gamunex-c", cidp) is None
    assert data.off_label("privigen", cidp) is None and data.off_label("octagam-5", cidp)
    assert all(data.off_label(p, gbs) is not None for p in CATALOG.products)


def test_the_sc_cidp_preset_is_cidp_by_its_code() -> None:
    data = necessity.bundled()
    preset = CATALOG.presets["cidp-sc-maintenance"]
    found = data.indication_of_regimen("cidp-sc-maintenance", preset.icd10)
    assert found is not None and found.key == "cidp"
    assert data.indication_of_regimen("kawasaki") is data.indications["kawasaki"]


def test_a_label_naming_an_unknown_indication_is_refused() -> None:
    with pytest.raises(CatalogError, match="'psoriasis' is not an indication"):
        necessity.build({}, {"labels": {"x": {"indications": ["psoriasis"], "source": "s",
                                              "checked": dt.date(2026, 1, 1)}}})


def test_kawasaki_on_gamunex_warns_and_names_the_protocol_used() -> None:
    result = calc(weight="18 kg", dose="2 g/kg", product="gamunex-c", indication="kawasaki")
    assert result.infusion is not None and result.infusion.protocol == "gamunex-c/pi"
    assert NO_RATE in result.warnings
    assert "choose the indication" not in render.summary_text(result)
    assert NO_RATE in render.summary_text(result)


def test_a_kawasaki_diagnosis_warns_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "calc", "--weight", "18 kg", "--dose", "2 g/kg",
                           "--product", "gamunex-c", "--dx", "M30.3", "--date", "2026-12-01",
                           "--format", "json")
    assert code == 0
    assert NO_RATE in json.loads(out)["warnings"]


def test_the_text_and_json_faces_carry_the_warning(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ("calc", "--weight", "18 kg", "--dose", "2 g/kg", "--product", "gamunex-c",
            "--indication", "kawasaki", "--date", "2026-12-01")
    code, out, _ = run_cli(capsys, *argv)
    assert code == 0 and NO_RATE in out
    code, out, _ = run_cli(capsys, *argv, "--format", "json")
    assert code == 0 and NO_RATE in json.loads(out)["warnings"]


def test_a_labeled_rate_needs_no_warning() -> None:
    result = calc(weight="70 kg", dose="1 g/kg", product="privigen", days=2,
                  indication="itp-2-day")
    assert not any("gives no rate" in w for w in result.warnings)
    plain = calc(weight="70 kg", dose="0.4 g/kg", product="gamunex-c")  # none chosen: a note
    assert not any("gives no rate" in w for w in plain.warnings)
