"""One place that says the CMS data is out of date: a banner above the pages and a word in the
status bar, never an amber box on every order.

Today's date is usually past the newest quarter the app ships (CMS publishes four a year), so
the stale-data warning would sit on every order and teach people to ignore amber. The engine
marks that warning (result.STALE_CMS); the Calculate page leaves it out of its warnings box,
and the window says it here once, with the way to fix it.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ivigcalc.data.catalog import Catalog
from ivigcalc.gui import qt_numbers, theme

UPDATE_TEXT = "Update CMS data…"


def stale_text(catalog: Catalog, day: dt.date) -> str:
    """What the banner says for `day`, or '' when its quarter is held (or no CMS data)."""
    history = catalog.cms_history
    gap = history.gap(day) if history is not None else ""
    if not gap or history is None:
        return ""
    used = history.label_on(day)
    return (f"CMS data out of date: {gap}. Orders and claims dated after "
            f"{history.newest.through.isoformat()} are coded and priced with {used}'s NDCs, "
            "payment limits and OPPS status; import the newer quarter's CMS files.")


class CmsBanner(QFrame):
    """The banner: what is out of date, and the button that updates it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cmsBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.message = QLabel(self)
        self.message.setObjectName("cmsBannerText")
        self.message.setWordWrap(True)
        qt_numbers.set_property(self.message, "textFormat", qt_numbers.PLAIN_TEXT)
        self.message.setAccessibleName("CMS data out of date")
        layout.addWidget(self.message, 1)
        self.updateButton = QPushButton(UPDATE_TEXT, self)
        self.updateButton.setObjectName("cmsUpdateButton")
        self.updateButton.hide()  # until an action to update with is given (use_action)
        layout.addWidget(self.updateButton)
        palette = self.palette()
        colour = theme.accent("warning", palette).name()
        self.setStyleSheet(f"QFrame#cmsBanner {{ border: 1px solid {colour}; border-radius: "
                           f"4px; background: {theme.tint('warning', palette)}; }}")
        self.hide()

    def use_action(self, action: QAction) -> None:
        """The button triggers `action` (File → Update CMS data…)."""
        self.updateButton.clicked.connect(action.trigger)
        self.updateButton.show()

    def say(self, text: str) -> None:
        """Show `text` (hidden when it is empty)."""
        self.message.setText(text)
        self.message.setAccessibleDescription(text)
        self.setVisible(bool(text))
