"""File → Update CMS data…: import a quarter's CMS files into the site catalog.

The same work as `ivigcalc catalog import-cms FILE... --output SITE.toml` (data/cms): the
files are read and checked, the change report is shown, and on Save the quarters are added
to the site catalog (the one in use, or a new file), the previous version kept as .bak.
The window then offers to make that file this workstation's site catalog (a preference,
used from the next start when IVIGCALC_CATALOG is not set). A quarter's files import in
well under a second (bench/bench_cms_import.py), so the work runs here, under a busy
cursor, not in a worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ivigcalc.data.catalog import Catalog
from ivigcalc.errors import IvigcalcError
from ivigcalc.gui import qt_numbers

FILE_FILTER = "CMS files (*.csv *.zip);;All files (*)"


def import_files(paths: Sequence[str], catalog: Catalog) -> tuple[list[Any], list[str]]:
    """The quarters in `paths` and the change report; IvigcalcError (one line) when refused."""
    from ivigcalc.data.cms import changes, importer

    quarters = importer.import_quarters(paths, catalog.codes, importer.load_facts(),
                                        dt.date.today(), catalog.cms_history)
    report = [line for quarter in quarters for line in changes.import_report(quarter, catalog)]
    return quarters, report


def save(path: Path, quarters: Sequence[Any], paths: Sequence[str], *, force: bool = False
         ) -> list[str]:
    """Add the quarters to the site catalog at `path` (made if missing): what changed."""
    from ivigcalc.data import catalog as catalogs
    from ivigcalc.data.cms import site_file

    old = site_file.read_existing(path, force, catalogs.read_site)
    said, backup = site_file.add_quarters(path, quarters, old, catalogs.load, paths)
    kept = [f"The previous version is kept as {backup}."] if backup else []
    return [*said, f"Wrote {path}.", *kept]


class UpdateCmsDialog(QDialog):
    """The change report of the files chosen, and Save to the site catalog."""

    def __init__(self, catalog: Catalog, paths: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("updateCmsDialog")
        self.setWindowTitle("Update CMS data")
        self.paths = list(paths)
        self.quarters: list[Any] = []
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setObjectName("updateCmsHeading")
        self.heading.setWordWrap(True)
        qt_numbers.set_property(self.heading, "textFormat", qt_numbers.PLAIN_TEXT)
        layout.addWidget(self.heading)
        self.report = QPlainTextEdit(self)
        self.report.setObjectName("updateCmsReport")
        self.report.setReadOnly(True)
        self.report.setAccessibleName("What the CMS files change")
        self.report.setMinimumSize(640, 320)
        layout.addWidget(self.report)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.saveButton = self.buttons.addButton(
            "Save to the site catalog…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.saveButton.setObjectName("updateCmsSave")
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        try:
            self.quarters, lines = import_files(self.paths, catalog)
        except IvigcalcError as error:
            self.heading.setText(f"⚠ Not imported: {error}")
            self.saveButton.setEnabled(False)
            return
        labels = ", ".join(q.quarter.label for q in self.quarters)
        self.heading.setText(f"CMS data for {labels}. Read what it changes, then save it to "
                             "the site catalog (the previous version is kept as .bak).")
        self.report.setPlainText("\n".join(lines))

    def save_to(self, path: Path, *, force: bool = False) -> list[str]:
        """Write the quarters into the site catalog at `path` and show what changed;
        IvigcalcError (shown by the caller) when the file cannot be used."""
        said = save(path, self.quarters, self.paths, force=force)
        self.report.appendPlainText("\n" + "\n".join(said))
        self.saveButton.setEnabled(False)
        return said
