"""Every result table whole at 150%, 125% and 100% (issue 24 item 5): no table on the
Calculate page has its own scroll bar or a cut column; the page scrolls instead.

The window is given the logical size the scale leaves it: 1366×768 at 150% is about
910×480 above a taskbar, 1280×720 at 125% about 1024×540, and 1920×1080 at 100% a maximised
1920×1040 (plus the window's own default, 1340×690). The order is the longest a day brings:
a five-day CIDP loading course of Gamunex-C for 78 kg with each day's infusion times (16
claim lines, 6 vial rows, the rate steps). Screenshots under Xvfb with QT_SCALE_FACTOR:
docs/scale/.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea, QTableView
from pytestqt.qtbot import QtBot
from window_helpers import choose, type_into, widget

from ivigcalc.gui.window import MainWindow

SIZES = {"150% on 1366×768": (910, 480), "125% on 1280×720": (1024, 540),
         "100% on 1920×1080": (1920, 1040), "the default window": (1340, 690)}
TABLES = ("vialPlanView", "claimLinesView", "infusionView")


def cidp_course(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "gamunex-c")
    type_into(qtbot, window, "weightInput", "78")
    form = window.calculatePage.form
    choose(window, "presetInput", "cidp-loading")
    form.presetInput.activated.emit(form.presetInput.currentIndex())  # as a click does
    form.daysInput.setValue(5)
    for start, stop in window.calculatePage.times.rows():
        start.setText("09:00")
        stop.setText("13:10")
    assert window.calculatePage.result is not None
    assert window.calculatePage.result.day_count == 5


def settle(qtbot: QtBot, window: MainWindow, size: tuple[int, int]) -> None:
    """Resize, then let the layouts' posted passes run until the page stops changing (the
    page moves the results below the form, a wrapped summary sizes itself after a pass)."""
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    page = window.calculatePage
    shape = None
    for _ in range(50):
        qtbot.wait(20)
        now = (page.size(), page.minimumSizeHint(), page.results.summaryView.height())
        if now == shape:
            return
        shape = now
    raise AssertionError(f"the page never settled at {size}")


def needed(view: QTableView, column: int) -> int:
    return max(view.sizeHintForColumn(column),
               view.horizontalHeader().sectionSizeHint(column))


@pytest.mark.parametrize("size", list(SIZES))
def test_every_result_table_is_whole_and_the_page_scrolls(
        qtbot: QtBot, window: MainWindow, size: str) -> None:
    cidp_course(qtbot, window)
    settle(qtbot, window, SIZES[size])
    page = window.calculatePage
    scroll = widget(window, "calculateScroll")
    assert isinstance(scroll, QScrollArea)
    visible = scroll.viewport().width()
    assert page.width() <= visible and not scroll.horizontalScrollBar().isVisible()
    views = [v for v in page.findChildren(QTableView) if v.isVisible()]
    assert {v.objectName() for v in views} == set(TABLES)  # every table of the page
    rows = {v.objectName(): v.model().rowCount() for v in views}
    assert rows["claimLinesView"] == 16 and rows["vialPlanView"] == 6, rows
    for view in views:
        name = view.objectName()
        for bar in (view.verticalScrollBar(), view.horizontalScrollBar()):
            assert not bar.isVisible(), name
            assert bar.maximum() == 0, f"{name} would scroll by {bar.maximum()} px"
        header = view.horizontalHeader()
        shown = [c for c in range(header.count()) if not view.isColumnHidden(c)]
        for column in shown:
            assert header.sectionSize(column) >= needed(view, column), (name, column)
        assert sum(header.sectionSize(c) for c in shown) <= view.viewport().width(), name
        assert header.length() <= view.viewport().width(), name
        # Every row inside the view: the last row's bottom within the viewport.
        last = view.model().rowCount() - 1
        assert view.rowViewportPosition(last) + view.rowHeight(last) \
            <= view.viewport().height(), name
        right = view.mapTo(page, view.rect().topRight()).x()
        assert right <= visible, f"{name} runs {right - visible} px past the page's edge"
    # The billing summary too: every line shown, wrapped, with no scroll bar of its own.
    text = page.results.summaryView
    assert text.verticalScrollBar().maximum() == 0
    document = text.document()
    bottom = text.blockBoundingGeometry(document.lastBlock()).translated(
        text.contentOffset()).bottom()
    assert bottom <= text.viewport().height()
    assert text.mapTo(page, text.rect().topRight()).x() <= visible
    # Whatever does not fit the window is reached by scrolling the page.
    assert scroll.verticalScrollBar().maximum() > 0


def test_the_control_can_fail_the_old_eight_row_box_scrolled(
        qtbot: QtBot, window: MainWindow) -> None:
    """What the test above would catch: a table held to eight rows has a scroll range."""
    cidp_course(qtbot, window)
    view = widget(window, "claimLinesView")
    assert isinstance(view, QTableView)
    rows = view.verticalHeader()
    view.setFixedHeight(view.horizontalHeader().height() + 8 * rows.defaultSectionSize())
    QApplication.processEvents()
    assert view.verticalScrollBar().maximum() > 0


def test_the_wheel_over_a_table_goes_on_to_the_page(qtbot: QtBot, window: MainWindow) -> None:
    """A table with nothing to scroll leaves the wheel event unaccepted, so Qt hands a real
    (spontaneous) one on to the page's scroll area; a sent event stops at the table, so the
    page's own scrolling is tested with the wheel guard (tests/gui/test_wheel.py)."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent

    cidp_course(qtbot, window)
    settle(qtbot, window, SIZES["150% on 1366×768"])
    for name in TABLES:
        view = widget(window, name)
        assert isinstance(view, QTableView)
        middle = QPointF(view.viewport().rect().center())
        event = QWheelEvent(middle, QPointF(view.viewport().mapToGlobal(middle)), QPoint(),
                            QPoint(0, -240), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        QApplication.sendEvent(view.viewport(), event)
        assert not event.isAccepted(), name
        assert view.verticalScrollBar().value() == 0, name


def test_an_empty_order_still_shows_each_table_as_a_box(window: MainWindow) -> None:
    for name in ("vialPlanView", "claimLinesView"):
        view = widget(window, name)
        assert isinstance(view, QTableView)
        assert view.model().rowCount() == 0
        assert view.height() >= (view.horizontalHeader().sizeHint().height()
                                 + view.verticalHeader().defaultSectionSize())


def test_the_check_pages_batch_table_keeps_its_own_scrolling(window: MainWindow) -> None:
    """A batch of thousands of rows scrolls inside its panel, not the page."""
    from PySide6.QtCore import Qt

    window.tabs.setCurrentIndex(1)
    view = widget(window, "batchView")
    assert isinstance(view, QTableView)
    assert view.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAsNeeded
