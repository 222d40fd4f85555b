"""Shown sums add up, or say ≈ (issue 24 item 9: "82.1 g × 2 = 164.3 g")."""

from __future__ import annotations

import datetime as dt

from helpers import CATALOG

from ivigcalc import render, text
from ivigcalc.calc import CalcRequest, calculate


def test_adds_up_compares_the_figures_as_shown() -> None:
    assert text.adds_up("82.1 g", 2, "164.2 g") == "="
    assert text.adds_up("82.1 g", 2, "164.3 g") == "≈"
    assert text.adds_up("1,164.3 g", 1, "1,164.3 g") == "="
    assert text.adds_up("≈46.667 g", 3, "140 g") == "="  # the figure says ≈ itself
    assert text.adds_up("", 1, "1 g") == "≈"


def order(weight: str) -> str:
    result = calculate(CalcRequest(weight=weight, dose="1 g/kg", product="privigen", days=2,
                                   date_of_service=dt.date(2026, 11, 28)), CATALOG)
    return render.summary_text(result)


def test_the_dose_line_says_approximately_when_the_shown_figures_do_not_multiply() -> None:
    # 82.13 kg: 82.13 g a day shows as 82.1 g, and the course (164.26 g) as 164.3 g.
    assert "82.1 g per day × 2 days ≈ 164.3 g per course" in order("82.13 kg")
    assert "82.1 g per day × 2 days = 164.2 g per course" in order("82.1 kg")


def test_the_working_keeps_equals_where_its_figures_are_exact() -> None:
    summary = order("82.13 kg")
    assert "= 82.13 g per day × 2 days = 164.26 g per course" in summary
