"""Stale CMS data is said once, in the banner and the status bar, never on every order."""

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from window_helpers import choose, summary, type_into, widget

from ivigcalc.gui.window import MainWindow

STALE = "newest CMS data 2026-Q1; 2026-11-28 is in 2026-Q4"


def order(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "privigen")
    type_into(qtbot, window, "weightInput", "70")
    type_into(qtbot, window, "doseInput", "1 g/kg")


def test_the_banner_and_status_bar_say_it_and_the_warnings_box_does_not(
        qtbot: QtBot, window: MainWindow) -> None:
    order(qtbot, window)
    assert window.calculatePage.result is not None
    banner = window.cmsBanner
    assert banner is not None and banner.isVisible()
    # Today (after 2026-11-28, the order's date) names the gap; the order's date is older.
    assert banner.message.text().startswith("CMS data out of date: newest CMS data 2026-Q1; ")
    assert "coded and priced with 2026-Q1's NDCs, payment limits and OPPS status" in \
        banner.message.text()
    assert widget(window, "cmsStatus").text() == "⚠ CMS data out of date (newest 2026-Q1)"
    box = widget(window, "warningsView").text()
    assert "CMS data" not in box and "2026-Q1" not in box
    # The copied summary is a record: it keeps the warning, named.
    assert STALE in summary(window)


def test_an_order_dated_in_a_quarter_held_is_priced_by_it_without_a_warning(
        qtbot: QtBot, window: MainWindow) -> None:
    """2025-05-12 is in 2025-Q2, held: its own limit, no stale warning on the order; the
    banner still says the data ends before today, once."""
    window.calculatePage.form.dateInput.setDate(QDate(2025, 5, 12))
    order(qtbot, window)
    result = window.calculatePage.result
    assert result is not None
    assert result.days[0].claim_lines[0].payment_limit_usd == "49.179"
    assert not any("CMS data" in w for w in result.warnings)
    assert "CMS data: quarter 2025-Q2" in summary(window)
    banner = window.cmsBanner
    assert banner is not None and banner.isVisible()
    assert "newest CMS data 2026-Q1; " in banner.message.text()


def test_a_catalog_holding_todays_quarter_shows_no_banner(
        qtbot: QtBot, window: MainWindow, monkeypatch) -> None:
    import datetime as dt

    from ivigcalc.gui.cms import banner

    assert banner.stale_text(window.catalog, dt.date(2026, 2, 2)) == ""
    assert banner.stale_text(window.catalog, dt.date(2026, 4, 1)).startswith(
        "CMS data out of date: newest CMS data 2026-Q1; 2026-04-01 is in 2026-Q2. Orders and "
        "claims dated after 2026-03-31 are coded and priced with 2026-Q1's")

    class Today(dt.date):
        @classmethod
        def today(cls) -> "Today":
            return cls(2026, 2, 2)

    monkeypatch.setattr(dt, "date", Today)
    window.calculatePage.form.dateInput.setDate(QDate(2026, 2, 2))
    order(qtbot, window)
    assert window.cmsBanner is not None and not window.cmsBanner.isVisible()
    assert widget(window, "cmsStatus").text() == ""
