"""The worksheet on paper: content.py's pages laid out by Qt's QTextDocument and painted on
any paged device, a printer (the window's Print) or a PDF writer (the window's Save as PDF
and `ivigcalc calc --worksheet`), so both faces make the same document.

Qt's own QTextDocument.print_ neither repeats a header nor numbers pages, so the body is
laid out on pages shortened by the header's height and each page is painted here: the
header with "page n of m", then that page's slice of the body. Lines wrap at word
boundaries only: Qt's default also breaks inside a word that does not fit (`2026-12-0` /
`7`), and a table cell widens instead.

The command line imports this module only for --worksheet (the import contracts name that
one exception); it runs without a display (offscreen) when no platform is set.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLocale, QMarginsF, QPointF, QRectF, QSizeF
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
    QTextOption,
)

from ivigcalc.result import Result
from ivigcalc.worksheet import content

MARGIN_MM = 10
HEADER_GAP_PT = 2  # between the running header's rule and the body
PDF_RESOLUTION = 1200
_LETTER = frozenset({QLocale.Country.UnitedStates, QLocale.Country.Canada,
                     QLocale.Country.Mexico, QLocale.Country.Philippines,
                     QLocale.Country.Chile, QLocale.Country.Colombia,
                     QLocale.Country.PuertoRico})
PAPERS = {"letter": QPageSize.PageSizeId.Letter, "a4": QPageSize.PageSizeId.A4}
_KEEP: list[QGuiApplication] = []  # the application made here lives as long as the process


def default_page_size(locale: QLocale | None = None) -> QPageSize.PageSizeId:
    """Letter where the locale's paper is Letter (the Americas' Letter countries), else A4."""
    territory = (locale or QLocale.system()).territory()
    return QPageSize.PageSizeId.Letter if territory in _LETTER else QPageSize.PageSizeId.A4


def ensure_application() -> None:
    """Qt lays out text only inside an application: the window's, or (command line) a
    headless one made here, offscreen unless the caller chose a platform."""
    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _KEEP.append(QGuiApplication(["ivigcalc"]))


def _document(html: str, device: QPagedPaintDevice, width: float) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    font = QFont()
    font.setPointSizeF(content.BASE_POINT_SIZE)
    doc.setDefaultFont(font)
    option = doc.defaultTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)  # never inside a token
    doc.setDefaultTextOption(option)
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    doc.setTextWidth(width)
    return doc


class Sheet:
    """The worksheet laid out for one device's pages (pages is what prints)."""

    def __init__(self, device: QPagedPaintDevice, result: Result,
                 inputs: Sequence[tuple[str, str]], printed: dt.datetime | None = None) -> None:
        self.device = device
        self.result = result
        area = device.pageLayout().paintRectPixels(device.logicalDpiX())
        self.width = float(area.width())
        header = self.header(1, 99)  # 'page 1 of 99': as wide as any real page count
        self.header_height = header.size().height() + HEADER_GAP_PT * device.logicalDpiY() / 72
        page = QSizeF(self.width, area.height() - self.header_height)
        when = printed or dt.datetime.now()
        self.condensed = False
        self.body = self.lay_out(content.body_html(result, inputs, when), page)
        if result.day_count == 1 and self.body.pageCount() > 1:  # one day, one page
            self.condensed = True
            self.body = self.lay_out(content.body_html(result, inputs, when, condensed=True), page)
        self.pages = self.body.pageCount()

    def lay_out(self, html: str, page: QSizeF) -> QTextDocument:
        """`html` laid out for this device, in pages of `page` size."""
        body = _document(html, self.device, self.width)
        body.setPageSize(page)
        return body

    def header(self, page: int, pages: int) -> QTextDocument:
        return _document(content.header_html(self.result, page, pages), self.device,
                         self.width)

    def paint(self) -> int:
        """Every page on the device; returns the number of pages."""
        painter = QPainter()
        if not painter.begin(self.device):
            raise OSError(f"cannot write the worksheet ({self.device.__class__.__name__} "
                          "refused to start)")
        try:
            page_height = self.body.pageSize().height()
            for page in range(self.pages):
                if page:
                    self.device.newPage()
                self.header(page + 1, self.pages).drawContents(painter)
                painter.save()
                painter.translate(QPointF(0, self.header_height - page * page_height))
                self.body.drawContents(painter, QRectF(0, page * page_height, self.width,
                                                       page_height))
                painter.restore()
        finally:
            painter.end()
        return self.pages


def set_paper(device: QPagedPaintDevice, paper: QPageSize.PageSizeId | None = None) -> None:
    """The paper (the locale's unless given) and the sheet's margins."""
    device.setPageSize(QPageSize(paper if paper is not None else default_page_size()))
    device.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                          QPageLayout.Unit.Millimeter)


def write_pdf(path: str | os.PathLike[str], result: Result, inputs: Sequence[tuple[str, str]],
              paper: QPageSize.PageSizeId | None = None,
              printed: dt.datetime | None = None) -> int:
    """The worksheet as a PDF at `path` (the caller's temporary file: see data/files.py);
    returns the number of pages."""
    ensure_application()
    writer = QPdfWriter(str(Path(path)))
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle("IG dose worksheet")
    writer.setCreator("ivigcalc")
    set_paper(writer, paper)
    pages = Sheet(writer, result, inputs, printed).paint()
    del writer  # the file is complete once the writer is gone
    _check_whole_pdf(Path(path))
    return pages


def _check_whole_pdf(path: Path) -> None:
    """OSError unless `path` holds a PDF that ends as a PDF ends: Qt's writer reports no
    write error, so a full disk shows as a file cut short."""
    with path.open("rb") as handle:
        head = handle.read(5)
        handle.seek(max(0, path.stat().st_size - 1024))
        tail = handle.read()
    if head != b"%PDF-" or b"%%EOF" not in tail:
        raise OSError("the PDF was cut short (is the disk full?)")
