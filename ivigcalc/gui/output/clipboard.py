"""The billing summary on the clipboard: plain text for an EHR note, HTML for Word/Outlook.

One QMimeData carries both, so each application takes the flavour it understands: a
plain-text field gets the same text `ivigcalc calc` prints, a rich editor gets tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from PySide6.QtGui import QClipboard

    from ivigcalc.result import Result


def summary_mime(result: Result) -> QMimeData:
    from ivigcalc import render  # on the first copy, not before the window paints

    mime = QMimeData()
    mime.setText(render.summary_text(result))
    mime.setHtml(render.summary_html(result))
    return mime


def claim_mime(result: Result) -> QMimeData:
    """Only what goes on the claim: ASCII blocks per date of service, and the same as a
    table with the date column."""
    from ivigcalc import render

    mime = QMimeData()
    mime.setText(render.claim_text(result))
    mime.setHtml(render.claim_table_html(result))
    return mime


def copy_claim(result: Result, clipboard: QClipboard | None = None) -> None:
    (clipboard or QGuiApplication.clipboard()).setMimeData(claim_mime(result))


def copy_summary(result: Result, clipboard: QClipboard | None = None) -> None:
    (clipboard or QGuiApplication.clipboard()).setMimeData(summary_mime(result))
