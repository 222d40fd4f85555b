"""The main window: the Calculate and Check-a-claim pages, menus, shortcuts, status bar.

New patient (Ctrl+N), Acknowledge (Ctrl+K), Copy (Ctrl+Shift+C), Print (Ctrl+P) and Save
as PDF (Ctrl+Shift+S) are window actions in the File menu, so they work from any field of
the Calculate page, with or without a mouse. Copy, Print and PDF wait for a result whose
soft limits are acknowledged. Qt's print
support is imported only when the worksheet is first printed, to keep start-up short.

The actions and menus exist before the first paint; their keys are given just after it
(the first thing queued behind the paint), because QKeySequence brings its 70 standard keys
as Python enums, and nothing can press a key on a window that has not yet appeared.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QGuiApplication,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ivigcalc import __version__
from ivigcalc.data.catalog import Catalog
from ivigcalc.gui import qt_numbers, theme, warmup
from ivigcalc.gui.calculate.page import CalculatePage
from ivigcalc.gui.output import clipboard
from ivigcalc.gui.prefs import Preferences
from ivigcalc.gui.warmup import AfterFirstPaint
from ivigcalc.gui.widgets import wheel_guard

if TYPE_CHECKING:
    from ivigcalc.gui.calculate.convert_dialog import ConvertDialog
    from ivigcalc.gui.check.page import CheckPage
    from ivigcalc.gui.cms.banner import CmsBanner
    from ivigcalc.gui.cms.update import UpdateCmsDialog

TITLE = "ivigcalc: immune globulin dose and billing"
DEFAULT_SIZE = (1340, 690)  # with its frame, fits a 1366×768 screen above a taskbar


def set_icon() -> None:
    """The title bar's and task switcher's icon (the installers set their own). The window
    sets it once it has painted: QIcon and the PNG cost more than the icon is worth to the
    first paint."""
    from PySide6.QtGui import QIcon

    icon = files("ivigcalc.resources") / "icons" / "ivigcalc.png"
    existing = QApplication.instance()
    if icon.is_file() and isinstance(existing, QApplication):
        existing.setWindowIcon(QIcon(str(icon)))


def _legible_secondary_text() -> None:
    """Help text, sources and placeholders at 4.5:1 or more (theme.secondary), app-wide so
    that dialogs have it too; nothing is set when the palette already has it."""
    fixed = theme.legible(QGuiApplication.palette())
    if fixed is not None:
        QGuiApplication.setPalette(fixed)


def claim_check_page(catalog: Catalog, parent: QWidget, prefs: Preferences) -> CheckPage:
    """The "Check a claim" page (issue 4, ivigcalc/gui/check/page.py).

    Imported here, on first need, so that the claim checker's modules do not delay the
    first paint of the pharmacist's page.
    """
    from ivigcalc.gui.check.page import CheckPage

    return CheckPage(catalog, parent, prefs)


class _PageScroll(QScrollArea):
    """Tells a page that can rearrange itself (fit_width) how wide the visible area is."""

    def __init__(self) -> None:
        super().__init__()
        # A viewport made here, so Python holds it: handed Qt's own, PySide would first load
        # every widget class to name its type (about 8 ms before the first paint).
        self._viewport = QWidget()
        self._viewport.setBackgroundRole(QPalette.ColorRole.NoRole)  # as QScrollArea's own
        self.setViewport(self._viewport)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        page = self.widget()
        fit = getattr(page, "fit_width", None)
        if fit is not None:
            fit(self._viewport.width())


def _scrolling(page: QWidget, name: str) -> QScrollArea:
    """The page in a frameless scroll area: at 150–200% scale on a small screen the window
    stays on the screen and scrolls instead of clipping (at 100% no scroll bar shows)."""
    scroll = _PageScroll()
    scroll.setObjectName(name)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    qt_numbers.set_property(scroll, "focusPolicy", qt_numbers.NO_FOCUS)  # Tab: to the fields
    scroll.setWidget(page)
    return scroll


class MainWindow(QMainWindow):
    def __init__(self, catalog: Catalog, prefs: Preferences,
                 catalog_problem: str | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(TITLE)
        self.catalog = catalog
        self.prefs = prefs
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("pages")
        self.tabs.setDocumentMode(True)
        self.calculatePage = CalculatePage(catalog, prefs)
        self.calculatePage.setObjectName("calculatePage")
        self.tabs.addTab(_scrolling(self.calculatePage, "calculateScroll"), "Ca&lculate")
        # The claim checker is built just after the first paint (or when its tab is opened,
        # if sooner): the pharmacist's page paints without waiting for it.
        self._check: CheckPage | None = None
        self._convert: ConvertDialog | None = None
        self._keys: list[tuple[QAction, str]] = []  # given after the first paint
        self.settled = False  # True once everything queued behind the first paint has run
        self._check_scroll = _scrolling(QWidget(), "checkScroll")
        self.tabs.addTab(self._check_scroll, "Check a clai&m")
        # The pages, and above them (after the first paint) the CMS-data banner.
        central = QWidget(self)
        self._central = QVBoxLayout(central)
        self._central.setContentsMargins(0, 0, 0, 0)
        self._central.addWidget(self.tabs)
        self.setCentralWidget(central)
        self.cmsBanner: CmsBanner | None = None
        self._make_actions()
        self._make_status(catalog_problem)
        self.calculatePage.recomputed.connect(self._update_actions)
        self.calculatePage.check_requested.connect(self.check_this_claim)
        self.tabs.currentChanged.connect(self._update_actions)
        self.tabs.currentChanged.connect(self._tab_changed)
        self._update_actions()
        # The first keystrokes of a new window are the weight (not lost on the tab bar).
        self.calculatePage.form.weightInput.setFocus()
        self._first_paint = AfterFirstPaint(self, self._after_first_paint)

    def _after_first_paint(self) -> None:
        """Queued behind the first paint, in this order: the actions' keys, the rest of the
        Calculate page and the window icon, the engine's warm-up, the Check page."""
        QTimer.singleShot(0, self._give_keys)
        QTimer.singleShot(0, _legible_secondary_text)  # Qt's enums: after the paint
        QTimer.singleShot(0, wheel_guard.install)  # the wheel scrolls past unfocused inputs
        QTimer.singleShot(0, self.calculatePage.finish)
        QTimer.singleShot(0, set_icon)
        warmup.start()
        QTimer.singleShot(0, self.check_page)
        QTimer.singleShot(0, self.show_cms_freshness)
        QTimer.singleShot(0, self._settle)

    def _settle(self) -> None:
        self.settled = True

    def show_cms_freshness(self) -> None:
        """Say once, in the banner and the status bar, when the CMS data ends before today
        (or before the order's later date): the Calculate page leaves that warning out of
        its box, and an order dated in a quarter held is priced by it all the same."""
        import datetime as dt

        from ivigcalc.gui.cms.banner import CmsBanner, stale_text
        from ivigcalc.result import STALE_CMS

        if self.cmsBanner is None:
            self.cmsBanner = CmsBanner(self)
            self.cmsBanner.use_action(self.updateCmsAction)
            self._central.insertWidget(0, self.cmsBanner)
            self.calculatePage.recomputed.connect(self.show_cms_freshness)
        result = self.calculatePage.result
        stale = [d.date_of_service for d in result.days] if result is not None and any(
            n.topic == STALE_CMS for n in result.notices) else []
        text = stale_text(self.catalog, max([dt.date.today(), *stale]))
        self.cmsBanner.say(text)
        self._cms_status.setText(f"⚠ CMS data out of date (newest {self.catalog.quarter})"
                                 if text else "")
        self._cms_status.setToolTip(text)

    def update_cms_dialog(self) -> QWidget | None:
        """File → Update CMS data…: pick the quarter's files, read what they change, save
        them to the site catalog (the one in use, or one chosen)."""
        from PySide6.QtWidgets import QFileDialog

        from ivigcalc.gui.cms.update import FILE_FILTER, UpdateCmsDialog

        paths, _ = QFileDialog.getOpenFileNames(
            self, "The quarter's CMS files (crosswalk, pricing file, Addendum B)", "",
            FILE_FILTER)
        if not paths:
            return None
        dialog = UpdateCmsDialog(self.catalog, paths, self)
        dialog.saveButton.clicked.connect(lambda: self.save_cms(dialog))
        dialog.open()
        return dialog

    def save_cms(self, dialog: UpdateCmsDialog) -> Path | None:
        """Save the dialog's quarters to the site catalog in use, or to a file chosen (then
        offered as this workstation's site catalog from the next start)."""
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from ivigcalc.errors import IvigcalcError

        in_use = self.catalog.site_path
        target = in_use or QFileDialog.getSaveFileName(
            dialog, "Site catalog to add the quarters to", "site.toml",
            "Site catalog (*.toml)")[0]
        if not target:
            return None
        path = Path(target)
        try:
            dialog.save_to(path)
        except IvigcalcError as error:
            QMessageBox.warning(dialog, "Not saved", str(error))
            return None
        if in_use is None and QMessageBox.question(
                dialog, "Use this site catalog?",
                f"Use {path} as this workstation's site catalog? It is used from the next "
                "start of ivigcalc (IVIGCALC_CATALOG, when set, comes first).") == \
                QMessageBox.StandardButton.Yes:
            self.prefs.set("site_catalog", str(path.resolve()))
        self.statusBar().showMessage(f"CMS data saved to {path}; it is used from the next "
                                     "start of ivigcalc.", 10000)
        return path

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self._check_scroll:
            self.check_page()

    def check_page(self) -> CheckPage:
        """The "Check a claim" page, built on first need."""
        if self._check is None:
            self._check = claim_check_page(self.catalog, self._check_scroll, self.prefs)
            self._check_scroll.setWidget(self._check)
            self._check.checked.connect(self._update_actions)
            self._check.reports.changed.connect(self._update_actions)
        return self._check

    def check_this_claim(self) -> None:
        """Carry the Calculate page's order across to the Check page and show it."""
        result = self.calculatePage.result
        if result is None:
            return
        from ivigcalc.gui.check.from_order import carry

        page = self.check_page()
        self.tabs.setCurrentWidget(self._check_scroll)
        carry(result, page, kx=self.calculatePage.form.kxInput.isChecked())

    def _on_check_tab(self) -> bool:
        return self.tabs.currentWidget() is self._check_scroll

    # --- actions --------------------------------------------------------------------------

    def _new_action(self, text: str, name: str) -> QAction:
        # QAction(text, parent) would make PySide load QIcon to rule out (icon, text, parent)
        action = QAction(self)
        action.setText(text)
        action.setObjectName(name)
        return action

    def _action(self, text: str, keys: str, slot: object, name: str) -> QAction:
        """An action of the window; keys: "Ctrl+K", or a QKeySequence.StandardKey's name
        ("New"), which gets the platform's own keys. The keys are given by _give_keys."""
        action = self._new_action(text, name)
        self._keys.append((action, keys))
        # QAction's shortcut context is the whole window (Qt.WindowShortcut) by default.
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _give_keys(self) -> None:
        """Each action's keys (see the module's docstring for why not before the paint)."""
        from PySide6.QtGui import QKeySequence

        keys, self._keys = self._keys, []
        for action, key in keys:
            # setShortcuts(), not setShortcut(): sorting out the latter's overloads makes
            # PySide build the Qt namespace (see qt_numbers).
            standard = getattr(QKeySequence.StandardKey, key, None)
            action.setShortcuts(standard if standard is not None else [QKeySequence(key)])

    def _make_actions(self) -> None:
        page = self.calculatePage
        self.newPatientAction = self._action("&New patient", "New", page.new_patient,
                                             "newPatientAction")
        self.newPatientAction.setToolTip("Clear the patient and the order; keep the product, "
                                         "payer and stock")
        self.acknowledgeAction = self._action("Ac&knowledge soft limits…", "Ctrl+K",
                                              page.acknowledge_dialog, "acknowledgeAction")
        page.acknowledgeButton.clicked.connect(self.acknowledgeAction.trigger)
        self.copyAction = self._action("&Copy summary", "Ctrl+Shift+C", self.copy_summary,
                                       "copyAction")
        self.printAction = self._action("&Print worksheet…", "Print", self.print_worksheet,
                                        "printAction")
        self.savePdfAction = self._action("Save worksheet as P&DF…", "Ctrl+Shift+S",
                                          self.save_pdf_dialog, "savePdfAction")
        quit_action = self._action("&Quit", "Quit", self.close, "quitAction")
        page.copySummaryButton.clicked.connect(self.copyAction.trigger)
        page.printButton.clicked.connect(self.printAction.trigger)
        page.savePdfButton.clicked.connect(self.savePdfAction.trigger)
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.newPatientAction)
        file_menu.addSeparator()
        file_menu.addActions([self.acknowledgeAction, self.copyAction, self.printAction,
                              self.savePdfAction])
        file_menu.addSeparator()
        self.convertAction = self._action("&IV to SC conversion…", "Ctrl+Shift+V",
                                          self.convert_dialog, "convertAction")
        file_menu.addAction(self.convertAction)
        self.updateCmsAction = self._new_action("&Update CMS data…", "updateCmsAction")
        self.updateCmsAction.setToolTip("Import a quarter's CMS files (crosswalk, pricing "
                                        "file, Addendum B; CSV or zip) into the site catalog")
        self.updateCmsAction.triggered.connect(self.update_cms_dialog)
        file_menu.addAction(self.updateCmsAction)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = self._new_action("&About ivigcalc", "aboutAction")
        about.triggered.connect(self._about)
        notices = self._new_action("Third-party &notices", "noticesAction")
        notices.triggered.connect(self._notices)
        help_menu.addActions([about, notices])

    def _update_actions(self) -> None:
        """Copy and Print act on the page in view: the Check page copies and prints its
        findings and expected lines (or the opened batch); only the worksheet saves as PDF.
        On the Calculate page they wait for a result whose soft limits are acknowledged."""
        page = self.calculatePage
        calculating = self.tabs.currentIndex() == 0
        ready = calculating and page.ready
        self.savePdfAction.setEnabled(ready)
        if self._on_check_tab() and self._check is not None:
            ready = self._check.reports.has_report()
        for action in (self.copyAction, self.printAction):
            action.setEnabled(ready)
        self.acknowledgeAction.setEnabled(
            calculating and page.result is not None and bool(page.result.unacknowledged))
        self.newPatientAction.setEnabled(calculating)

    def _make_status(self, catalog_problem: str | None) -> None:
        version = QLabel(f"ivigcalc {__version__} · catalog {self.catalog.version}", self)
        # A site file's name is not markup.
        qt_numbers.set_property(version, "textFormat", qt_numbers.PLAIN_TEXT)
        version.setObjectName("catalogVersion")
        version.setAccessibleName("Catalog version")
        self.statusBar().addPermanentWidget(version)
        self._cms_status = QLabel(self)  # filled just after the first paint
        self._cms_status.setObjectName("cmsStatus")
        self._cms_status.setAccessibleName("CMS data")
        self.statusBar().addPermanentWidget(self._cms_status)
        if catalog_problem:  # a broken site catalog: say so for the whole session
            self._status_note(catalog_problem, "catalogProblem", "Catalog problem")
        if self.prefs.notes:  # a settings file not used, or values in it ignored
            self._status_note("; ".join(self.prefs.notes), "preferencesProblem",
                              "Preferences problem")

    def _status_note(self, text: str, name: str, accessible: str) -> None:
        """A warning kept in the status bar for the whole session (plain text, not markup:
        it quotes file names and file contents)."""
        import html

        note = QLabel(f"⚠ {text}", self)
        qt_numbers.set_property(note, "textFormat", qt_numbers.PLAIN_TEXT)
        note.setObjectName(name)
        note.setAccessibleName(accessible)
        note.setToolTip(f"<qt>{html.escape(text)}</qt>")
        note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        colour = theme.accent("warning", note.palette()).name()
        note.setStyleSheet(f"color: {colour};")
        self.statusBar().addWidget(note, 1)

    # --- what the actions do --------------------------------------------------------------

    def copy_summary(self) -> bool:
        if self._on_check_tab():
            return self.copy_check()
        result = self.calculatePage.result
        if result is None or not self.calculatePage.ready:
            return False
        clipboard.copy_summary(result)
        self.statusBar().showMessage("Billing summary copied (plain text and table).", 5000)
        return True

    def copy_check(self) -> bool:
        reports = self.check_page().reports
        copied = reports.copy()
        if copied and reports.busy:  # a large batch: written out in the worker
            self.statusBar().showMessage("Copying the batch (progress and Cancel on the "
                                         "Check page)…", 5000)
        elif copied:
            self.statusBar().showMessage("Findings and expected lines copied (plain text and "
                                         "table).", 5000)
        return copied

    def print_worksheet(self) -> None:
        if self._on_check_tab():
            self.print_check()
            return
        result = self.calculatePage.result
        if result is None or not self.calculatePage.ready:
            return
        from PySide6.QtPrintSupport import QPrintDialog

        from ivigcalc.gui.output import worksheet

        printer = worksheet.new_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the worksheet")
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            worksheet.print_worksheet(printer, result,
                                      self.calculatePage.form.describe(result))
            self.statusBar().showMessage("Worksheet sent to the printer.", 5000)

    def print_check(self) -> None:
        reports = self.check_page().reports
        if not reports.has_report():
            return
        from PySide6.QtPrintSupport import QPrintDialog

        from ivigcalc.gui.output import worksheet

        printer = worksheet.new_printer()
        printer.setDocName("IG claim check")
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the claim check")
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            reports.print_to(printer)
            self.statusBar().showMessage("Claim check sent to the printer.", 5000)

    def save_pdf_dialog(self) -> None:
        result = self.calculatePage.result
        if result is None or not self.calculatePage.ready:
            return
        from PySide6.QtWidgets import QFileDialog

        from ivigcalc.worksheet.content import file_name

        folder = self.worksheet_folder()
        path, _ = QFileDialog.getSaveFileName(self, "Save the worksheet as PDF",
                                              str(folder / file_name(result)),
                                              "PDF files (*.pdf)")
        if path:
            self.save_pdf(path)

    def worksheet_folder(self) -> Path:
        """Where the worksheet's Save dialog opens: the folder the site catalog names
        ([catalog] worksheet_folder), else Documents. Always the same place: the dialog
        remembers no folder a patient's worksheet went to."""
        from PySide6.QtCore import QStandardPaths

        documents = Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation))
        named = self.catalog.worksheet_folder
        if not named:
            return documents
        site = Path(named).expanduser()
        if site.is_dir():
            return site
        self.statusBar().showMessage(f"The site's worksheet folder {named} cannot be "
                                     "reached; saving in Documents instead.", 8000)
        return documents

    def save_pdf(self, path: str) -> Path | None:
        """Write the worksheet to `path` (.pdf added if missing); None if nothing to save."""
        result = self.calculatePage.result
        if result is None or not self.calculatePage.ready:
            return None
        from ivigcalc.gui.output import worksheet

        target = Path(path if path.lower().endswith(".pdf") else f"{path}.pdf")
        from ivigcalc.data import files
        from ivigcalc.errors import InputError

        try:  # the file dialog has asked before replacing a file: force
            with files.replacing(target, force=True) as temporary:
                worksheet.save_pdf(temporary, result, self.calculatePage.form.describe(result))
        except InputError as error:  # a folder or device named, the site catalog...
            self._not_saved(target, error.detail)
            return None
        except OSError as error:  # a full disk, a folder that cannot be written
            self._not_saved(target, error.strerror or str(error))
            return None
        self.statusBar().showMessage(f"Worksheet saved to {target}", 8000)
        return target

    def _not_saved(self, target: Path, why: str) -> None:
        """A failed save said where it is seen: the status bar and a dialog."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        text = f"Worksheet NOT saved to {target}: {why}. Any file already there is unchanged."
        self.statusBar().showMessage(text, 15000)
        box = QMessageBox(QMessageBox.Icon.Warning, "Worksheet not saved", text,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("saveFailedDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def convert_dialog(self) -> QWidget:
        """The IV-to-SC conversion dialog (modeless), opened on the current SC product."""
        from ivigcalc.gui.calculate.convert_dialog import ConvertDialog

        if self._convert is None:
            self._convert = ConvertDialog(self.catalog, self)
        self._convert.select_product(self.calculatePage.form.product().key)
        self._convert.show()
        self._convert.raise_()
        return self._convert

    def _about(self) -> None:
        from ivigcalc.gui import about

        about.show_about(self, self.catalog.version)

    def _notices(self) -> None:
        from ivigcalc.gui import about

        about.show_notices(self)

    # --- window state ---------------------------------------------------------------------

    def restore_geometry(self) -> None:
        saved = self.prefs.get("window/geometry")
        restored = False
        if saved:
            from PySide6.QtCore import QByteArray  # its enums: not when nothing was saved

            restored = self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii")))
        if not restored:
            self.resize(*DEFAULT_SIZE)
        self._fit_screen()

    def _fit_screen(self) -> None:
        """Never larger than the screen's free area (at 150% on 1366×768 it is 910×485):
        the page scrolls inside instead of running under the taskbar."""
        available = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        frame = self.frameGeometry().size() - self.geometry().size()
        width = min(self.width(), available.width() - max(0, frame.width()))
        height = min(self.height(), available.height() - max(0, frame.height()))
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)

    def closeEvent(self, event: QCloseEvent) -> None:
        geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        self.prefs.set("window/geometry", geometry)
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            _legible_secondary_text()  # a light/dark switch brings the platform's grey back
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.calculatePage.restyle()
        super().changeEvent(event)
