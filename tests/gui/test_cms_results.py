"""The window and the worksheet show each vial's NDC and each line at Medicare's limit."""

from pdf_pages import as_read
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from window_helpers import choose, stock_only, summary, type_into, widget

from ivigcalc.gui.window import MainWindow
from ivigcalc.worksheet import content


def table(window: MainWindow, name: str) -> tuple[list[str], list[tuple[str, ...]]]:
    model = widget(window, name).model()
    head = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    rows = [tuple(model.index(r, c).data() for c in range(model.columnCount()))
            for r in range(model.rowCount())]
    return head, rows


def test_vials_carry_ndcs_and_lines_their_amount_at_the_limit(qtbot: QtBot,
                                                              window: MainWindow) -> None:
    choose(window, "productInput", "gamunex-c")
    stock_only(window, "10 g")
    type_into(qtbot, window, "weightInput", "78")
    type_into(qtbot, window, "doseInput", "350 mg/kg")
    head, rows = table(window, "vialPlanView")
    assert head[-1] == "NDC" and rows[0][-1] == "13533-0800-71"
    head, rows = table(window, "claimLinesView")
    assert head[-1] == "At Medicare limit"
    # The tests' date of service, 2026-11-28, is past the newest quarter bundled: 2026-Q1's
    # J1561 limit, 49.076 USD a unit. The administration lines (96365, 96366) have no
    # payment limit: "n/a".
    assert [row[-1] for row in rows] == ["2,699.18 USD", "245.38 USD", "n/a", "n/a"]
    tip = widget(window, "claimLinesView").model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "not the price paid, not a charge" in tip and "55 × 49.076 USD" in tip
    assert "N413533080071 UN3" in summary(window)
    result = window.calculatePage.result
    assert result is not None
    html = as_read(content.body_html(result, window.calculatePage.form.describe(result),
                                     __import__("datetime").datetime(2026, 11, 28, 9, 30)))
    assert "13533-0800-71" in html and "2,699.18 USD" in html
    assert "Medicare's payment allowance limit (CMS quarter 2026-Q1), not the price paid" in html


def test_the_ndc_table_is_read_after_the_first_paint() -> None:
    """Building the window reads the catalog but not its CMS quarter (issue 10's speed)."""
    import subprocess
    import sys

    code = ("import sys, tempfile, os\n"
            "from PySide6.QtCore import QSettings\n"
            "from ivigcalc.gui.app import create_window\n"
            "path = os.path.join(tempfile.mkdtemp(), 'p.ini')\n"
            "window = create_window(settings=QSettings(path, QSettings.Format.IniFormat))\n"
            "print('cms_history' in vars(window.catalog),\n"
            "      'ivigcalc.data.cms.read' in sys.modules)\n")
    env = {k: v for k, v in __import__("os").environ.items()} | {"QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
