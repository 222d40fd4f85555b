"""The "Check a claim" page: paste lines, see every problem named and the corrected lines.

tests/gui/conftest.py clears the clipboard after every test (rich text left on it crashes
offscreen Qt at exit) and isolates QSettings; the page fixture here builds the page alone.
"""

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from ivigcalc.data.catalog import load
from ivigcalc.gui import theme
from ivigcalc.gui.check.page import ANY_PRODUCT, CheckPage

CATALOG = load().catalog
INPUTS = ("checkDateInput", "checkPayerInput", "checkProductInput", "checkCodeInput",
          "checkRouteInput", "checkAdministeredInput", "checkVialsInput", "checkLinesInput")
VIEWS = ("checkFindingsView", "checkExpectedView", "checkCopyButton")


@pytest.fixture
def page(qtbot: QtBot) -> CheckPage:
    widget = CheckPage(CATALOG)
    qtbot.addWidget(widget)
    widget.resize(1300, 660)
    widget.dateInput.setDate(QDate(2026, 1, 5))
    widget.productInput.setCurrentIndex(widget.productInput.findData("gamunex-c"))
    return widget


def fill(page: CheckPage, administered: str, vials: str, lines: str) -> None:
    page.administeredInput.setText(administered)
    page.vialsInput.setText(vials)
    page.linesInput.setPlainText(lines)


def table(page: CheckPage) -> list[tuple[str, str, str, str]]:
    view = page.findingsView
    return [tuple(view.item(row, col).text() for col in range(4))  # type: ignore[misc]
            for row in range(view.rowCount())]


def test_named_widgets_have_accessible_names_and_mnemonic_labels(page: CheckPage) -> None:
    buddies = {label.buddy(): label.text() for label in page.findChildren(QLabel)
               if label.buddy() is not None}
    for name in INPUTS:
        widget = page.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
        assert "&" in buddies.get(widget, ""), f"{name} has no label with a mnemonic"
    for name in VIEWS:
        assert page.findChild(QWidget, name) is not None, name
    assert "&" in page.copyButton.text() and "&" in page.kxInput.text()
    mnemonics = [text[text.index("&") + 1].lower() for text in
                 [*buddies.values(), page.copyButton.text(), page.kxInput.text()]]
    assert len(mnemonics) == len(set(mnemonics)), mnemonics  # no two share a letter


def test_three_pasted_lines_each_problem_named(page: CheckPage) -> None:
    fill(page, "27.3 g", "3 x 10 g", "J1561 54\nJ1561-JA-JW x5\nJ1561-JA-JW x5")
    rows = table(page)
    named = {(rule, line) for _, rule, line, _ in rows}
    assert ("route-modifier-missing", "1") in named
    assert ("units-rounding", "1") in named
    assert ("duplicate-line", "3") in named
    assert ("non-optimal-vials", "—") in named
    assert rows[0][0] == "Error" and rows[-1][0] == "Warning"  # errors first
    assert page.expectedView.toPlainText() == "J1561 JA × 55\nJ1561 JA JW × 5"
    assert "needs fixing" in page.statusLabel.text()
    assert page.copyButton.isEnabled()


def test_worked_example_no_waste(page: CheckPage) -> None:
    fill(page, "27.3 g", "10 g, 10 g, 5 g, 2.5 g", "J1561 JA JZ 55")
    assert table(page) == []
    assert page.expectedView.toPlainText() == "J1561 JA JZ × 55"
    assert "No problems found" in page.statusLabel.text()


def test_live_recheck_on_every_edit(page: CheckPage) -> None:
    fill(page, "27.3 g", "3 x 10 g", "J1561 JA JZ 55")
    rules = {row[1] for row in table(page)}
    assert "jz-with-waste" in rules and "jw-missing" not in rules  # one slip, one finding
    page.vialsInput.setText("10 g, 10 g, 5 g, 2.5 g")  # no button: the edit re-checks
    assert table(page) == []
    page.payerInput.setCurrentIndex(page.payerInput.findData("commercial"))
    # The generic commercial profile requires prior authorization (coverage.toml).
    assert [row[1] for row in table(page)] == ["prior-auth-missing", "jz-not-required"]


def test_expected_lines_before_any_billed_line(page: CheckPage) -> None:
    fill(page, "27.3 g", "3 x 10 g", "")
    assert page.expectedView.toPlainText() == "J1561 JA × 55\nJ1561 JA JW × 5"
    assert "Paste the billed lines" in page.statusLabel.text()


def test_bad_input_is_named_beside_the_field_without_a_popup(page: CheckPage) -> None:
    fill(page, "27,3 g", "3 x 7 g", "J1561 JA 55")
    assert "comma" in page.message("administered")
    assert page.message("vials") == ""  # judged once the amount can be read
    assert page.findChild(QLabel, "checkAdministeredMessage").isVisibleTo(page)
    assert QApplication.activeModalWidget() is None
    assert table(page) == [] and page.expectedView.toPlainText() == ""
    assert not page.copyButton.isEnabled()
    page.administeredInput.setText("27.3 g")
    assert page.message("administered") == ""
    assert "7 g is not a size of Gamunex-C" in page.message("vials")


def test_empty_fields_ask_rather_than_complain(page: CheckPage) -> None:
    assert page.message("administered") == "" and page.message("vials") == ""
    assert "Enter the amount administered and the vials opened" in page.statusLabel.text()


def test_check_by_code(page: CheckPage) -> None:
    page.productInput.setCurrentIndex(page.productInput.findText(ANY_PRODUCT))
    assert page.codeInput.isEnabled()
    page.codeInput.setEditText("")
    fill(page, "27.3 g", "3 x 10 g", "J1561 JA 55\nJ1561 JA JW 5")
    assert "Enter the code" in page.statusLabel.text()
    page.codeInput.setEditText("J1561")
    assert table(page) == []
    page.codeInput.setEditText("J1611")
    assert "glucagon" in page.message("code")


def test_product_sets_code_and_routes(page: CheckPage) -> None:
    page.productInput.setCurrentIndex(page.productInput.findData("hizentra"))
    assert not page.codeInput.isEnabled()
    assert page.codeInput.currentText() == "J1559"
    assert page.routeInput.currentData() == "sc"
    fill(page, "4 g", "4 g", "J1559 JZ 40")
    assert table(page) == []


def test_selecting_a_finding_selects_its_line(page: CheckPage) -> None:
    fill(page, "27.3 g", "3 x 10 g", "J1561 JA 55\n\nJ1561 JA JW 5\nJ1561 JA JW 5")
    row = next(i for i, r in enumerate(table(page)) if r[1] == "duplicate-line")
    page.findingsView.setCurrentCell(row, 3)
    assert page.linesInput.textCursor().selectedText() == "J1561 JA JW 5"
    assert page.linesInput.textCursor().blockNumber() == 3  # the blank line is not counted


def test_copy_puts_text_and_html_on_the_clipboard(page: CheckPage, qtbot: QtBot) -> None:
    fill(page, "27.3 g", "3 x 10 g", "J1561 JA 55")
    qtbot.mouseClick(page.copyButton, Qt.MouseButton.LeftButton)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text() == "J1561 JA × 55\nJ1561 JA JW × 5\n"
    assert mime.hasHtml() and "<table" in mime.html() and "JW" in mime.html()
    assert "Copied" in page.statusLabel.text()


def test_set_catalog_keeps_the_choices(page: CheckPage) -> None:
    page.payerInput.setCurrentIndex(page.payerInput.findData("commercial"))
    fill(page, "27.3 g", "3 x 10 g", "J1561 JA 55")
    page.set_catalog(load().catalog)
    assert page.payerInput.currentData() == "commercial"
    assert page.productInput.currentData() == "gamunex-c"
    assert page.result is not None and page.expectedView.toPlainText()


def _palette(window: str, text: str, base: str) -> QPalette:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, window),
                         (QPalette.ColorRole.WindowText, text),
                         (QPalette.ColorRole.Base, base), (QPalette.ColorRole.Text, text)):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.mark.parametrize(("window", "text", "base"), [
    ("#efefef", "#111111", "#ffffff"),  # light
    ("#2b2b2b", "#e6e6e6", "#1e1e1e"),  # dark
])
def test_severity_colours_read_in_light_and_dark(page: CheckPage, window: str, text: str,
                                                 base: str) -> None:
    page.setPalette(_palette(window, text, base))
    fill(page, "27.3 g", "3 x 10 g", "J1561 54\nJ1561 JA JW 5\nJ1561 JA GA 55")
    view = page.findingsView
    seen = set()
    for row in range(view.rowCount()):
        item = view.item(row, 0)
        seen.add(item.text())
        assert theme.contrast(item.foreground().color(), QColor(base)) >= 4.5, item.text()
        assert not item.icon().isNull()
    assert seen == {"Error", "Warning", "Note"}
