"""Fill a sample order in the real window and save a screenshot (docs/screenshot.png).

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshot.py
    QT_SCALE_FACTOR=1.5 xvfb-run ... scripts/screenshot.py --out /tmp/shot-150.png
    QT_SCALE_FACTOR=1.5 xvfb-run ... scripts/screenshot.py --order cidp --scroll-to vialPlanView
    xvfb-run ... scripts/screenshot.py --dark --out /tmp/shot-dark.png

The sample is the domain reference's worked example (78 kg, 350 mg/kg of Gamunex-C from
10 g vials: 27.3 g, 55 units plus a JW line of 5). Preferences go to a throw-away file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QDate, QPoint, QRect, QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parent.parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    parser.add_argument("--dark", action="store_true", help="Fusion style, dark colour scheme")
    parser.add_argument("--size", default="", metavar="WxH",
                        help="window size (default: what the app chooses for the screen)")
    parser.add_argument("--scroll", default="0,0", metavar="X,Y",
                        help="scroll the page to these fractions (0..1) before the shot")
    parser.add_argument("--scroll-to", default="", metavar="NAME",
                        help="scroll the page so the widget of this object name is at the top")
    parser.add_argument("--whole-page", action="store_true",
                        help="save the whole page at the window's width (all that scrolling "
                             "shows, in one image, down to the summary's first lines) instead "
                             "of the window")
    parser.add_argument("--tab", type=int, default=0, help="page to show (0: Calculate)")
    parser.add_argument("--order", choices=("waste", "simple", "course", "blocked", "j1611",
                                            "empty", "adjusted", "lb", "soft", "acknowledged",
                                            "sc-iv-regimen", "rounding-cap", "short",
                                            "every-limit", "kawasaki", "times", "cidp",
                                            "new-patient"),
                        default="waste")
    return parser.parse_args()


def fill(window, order: str) -> None:
    form = window.calculatePage.form
    form.dateInput.setDate(QDate(2026, 11, 28))
    if order == "empty":
        return
    if order in ("lb", "soft", "acknowledged", "sc-iv-regimen", "rounding-cap", "short",
                 "every-limit", "kawasaki"):
        safety_order(window, order)
        return
    product = "gamunex-c"
    form.productInput.setCurrentIndex(form.productInput.findData(product))
    if order in ("cidp", "new-patient"):
        cidp_course(window)
        if order == "new-patient":  # Ctrl+N after the course: nothing of it stays
            window.newPatientAction.trigger()
        return
    weight, dose, sizes = "78", "350 mg/kg", {"10 g"}
    if order == "simple":
        weight, dose, sizes = "30", "0.7", None
    if order == "course":
        weight, dose, sizes = "92", "2", None
        form.perInput.setCurrentIndex(form.perInput.findData("course"))
        form.daysInput.setValue(5)
        form.presetInput.setCurrentIndex(form.presetInput.findData("cidp-loading"))
    if order == "blocked":
        weight, dose, sizes = "78", "4", None
    if order == "adjusted":
        weight, dose, sizes = "118", "1", None
        form.payerInput.setCurrentIndex(form.payerInput.findData("commercial"))
        form.basisInput.setCurrentIndex(form.basisInput.findData("policy"))
        form.heightInput.setText("165")
        form.sexInput.setCurrentIndex(form.sexInput.findData("female"))
    for box in form.vialSizesInput.boxes():
        box.setChecked(sizes is None or box.text() in sizes)
    form.weightInput.setText(weight)
    form.doseInput.setText(dose)
    if order == "j1611":
        form.codeInput.setEditText("J1611")
    if order == "times":  # the documented start and stop: 91 min, 96365 + 96366
        start, stop = window.calculatePage.times.rows()[0]
        start.setText("09:00")
        stop.setText("10:31")
    safety_order(window, order)


def cidp_course(window) -> None:
    """Issue 24's scaling order: a 5-day CIDP loading course of Gamunex-C for 78 kg with
    each day's infusion times, so every result table is at its longest."""
    form = window.calculatePage.form
    for box in form.vialSizesInput.boxes():
        box.setChecked(True)
    form.weightInput.setText("78")
    index = form.presetInput.findData("cidp-loading")
    form.presetInput.setCurrentIndex(index)
    form.presetInput.activated.emit(index)
    form.daysInput.setValue(5)
    for start, stop in window.calculatePage.times.rows():
        start.setText("09:00")
        stop.setText("13:10")


def safety_order(window, order: str) -> None:
    """The states of the safety pass (issue 13), for docs/safety/."""
    form = window.calculatePage.form
    choose = {"weightUnit": form.weightUnit, "productInput": form.productInput,
              "roundingInput": form.roundingInput, "basisInput": form.basisInput,
              "sexInput": form.sexInput, "presetInput": form.presetInput,
              "perInput": form.perInput}
    steps: dict[str, list[tuple[str, object]]] = {
        "lb": [("weightUnit", "lb"), ("weight", "172"), ("dose", "0.4")],
        "soft": [("weight", "70"), ("dose", "2.5")],
        "acknowledged": [("weight", "70"), ("dose", "2.5")],
        # The window offers no IV regimen for an SC product (issue 24): CIDP loading typed.
        "sc-iv-regimen": [("productInput", "hizentra"), ("weight", "70.8"), ("dose", "2"),
                          ("perInput", "course"), ("days", 2)],
        # Off label for Gamunex-C, and no labeled rate: the plan warns it uses PI's.
        "kawasaki": [("productInput", "gamunex-c"), ("weight", "18"),
                     ("presetInput", "kawasaki")],
        "rounding-cap": [("weight", "7.5"), ("dose", "0.4"), ("roundingInput", "nearest-5g")],
        "short": [("basisInput", "ideal"), ("weight", "60"), ("height", "150"),
                  ("sexInput", "female"), ("dose", "0.4")],
        "every-limit": [("weight", "780"), ("dose", "4")],
    }
    if order not in steps:
        return
    for box in form.vialSizesInput.boxes():
        box.setChecked(True)
    for name, value in steps[order]:
        if name in ("weight", "dose", "height"):
            getattr(form, f"{name}Input").setText(str(value))
        elif name == "days":
            form.daysInput.setValue(int(str(value)))
        elif name == "presetInput":
            index = form.presetInput.findData(value)
            form.presetInput.setCurrentIndex(index)
            form.presetInput.activated.emit(index)
        else:
            choose[name].setCurrentIndex(choose[name].findData(value))
    if order == "acknowledged":
        window.calculatePage.acknowledge("A. Pharmacist", "Confirmed with the prescriber")


def dark_palette() -> QPalette:
    """A dark system palette, as a desktop in dark mode would hand the app (Xvfb has none)."""
    roles = QPalette.ColorRole
    palette = QPalette()
    for role, colour in ((roles.Window, "#2b2b2b"), (roles.WindowText, "#e8e8e8"),
                         (roles.Base, "#1f1f1f"), (roles.AlternateBase, "#282828"),
                         (roles.Text, "#e8e8e8"), (roles.Button, "#353535"),
                         (roles.ButtonText, "#e8e8e8"), (roles.Highlight, "#3d7bd9"),
                         (roles.HighlightedText, "#ffffff"), (roles.PlaceholderText, "#9c9c9c"),
                         (roles.ToolTipBase, "#353535"), (roles.ToolTipText, "#e8e8e8"),
                         (roles.Light, "#4a4a4a"), (roles.Midlight, "#3c3c3c"),
                         (roles.Mid, "#5a5a5a"), (roles.Dark, "#191919"),
                         (roles.Shadow, "#000000"), (roles.Link, "#7fb0ff")):
        palette.setColor(role, QColor(colour))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#777777"))
    return palette


def main() -> int:
    args = parse_args()
    app = QApplication(sys.argv[:1])
    if args.dark:
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    from ivigcalc.gui.app import create_window

    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "shot.ini"), QSettings.Format.IniFormat)
        window = create_window(settings=settings)
        if args.size:
            width, height = (int(n) for n in args.size.lower().split("x"))
            window.resize(width, height)
        fill(window, args.order)
        window.tabs.setCurrentIndex(args.tab)
        window.show()
        for _ in range(5):
            app.processEvents()
        window.calculatePage.form.weightInput.setFocus()
        app.processEvents()
        scroll = window.tabs.currentWidget()
        for bar, fraction in zip((scroll.horizontalScrollBar(), scroll.verticalScrollBar()),
                                 (float(f) for f in args.scroll.split(",")), strict=True):
            bar.setValue(round(bar.maximum() * fraction))
        app.processEvents()
        page = scroll.widget()
        if args.scroll_to:
            target = page.findChild(QWidget, args.scroll_to)
            scroll.verticalScrollBar().setValue(target.mapTo(page, QPoint(0, 0)).y() - 30)
            app.processEvents()
        if args.whole_page:  # down to the summary's first lines: the tables and all above
            summary = window.calculatePage.results.summaryView
            bottom = summary.mapTo(page, QPoint(0, 0)).y() + 8 * summary.fontMetrics().height()
            image = page.grab(QRect(0, 0, page.width(), min(bottom, page.height())))
        else:
            image = window.grab()
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        image.save(args.out)
        print(f"saved {args.out} ({image.width()}×{image.height()} px, window "
              f"{window.width()}×{window.height()}, page minimum "
              f"{window.calculatePage.minimumSizeHint().width()}×"
              f"{window.calculatePage.minimumSizeHint().height()}, scroll bars "
              f"h={scroll.horizontalScrollBar().isVisible()} "
              f"v={scroll.verticalScrollBar().isVisible()}, {dt.date.today()})")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
