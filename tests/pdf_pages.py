"""Reading a PDF back in the tests with pypdfium2 (PDFium, from PyPI: no system tool to
install, so the PDF tests never skip): the text of each page, and whether a page has ink."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium

NBSP = "\u00a0"


@contextmanager
def opened(path: Path) -> Iterator[pdfium.PdfDocument]:
    document = pdfium.PdfDocument(str(path))
    try:
        yield document
    finally:
        document.close()


def text_pages(document: pdfium.PdfDocument) -> Iterator[pdfium.PdfTextPage]:
    """Each page's text layer, closed (with its page) once the caller has read it."""
    for page in document:
        textpage = page.get_textpage()
        try:
            yield textpage
        finally:
            textpage.close()
            page.close()


def page_texts(path: Path) -> list[str]:
    """Each page's text, its lines as laid out (a no-break space read as a space)."""
    with opened(path) as document:
        return [textpage.get_text_range().replace("\r\n", "\n").replace(NBSP, " ")
                for textpage in text_pages(document)]


def page_count(path: Path) -> int:
    with opened(path) as document:
        return len(document)


def inked_fraction(path: Path, page: int = 0) -> float:
    """The share of the page's pixels that are not white, rasterized at 50 dpi."""
    with opened(path) as document:
        bitmap = document[page].render(scale=50 / 72, grayscale=True)
        pixels = bytes(bitmap.buffer)
        width, stride = bitmap.width, bitmap.stride
        rows = [pixels[row * stride:row * stride + width] for row in range(bitmap.height)]
        inked = sum(sum(1 for value in row if value < 200) for row in rows)
        return inked / (width * bitmap.height)


def split_tokens(path: Path, tokens: set[str]) -> list[str]:
    """Each occurrence of a token whose characters are not all on one line ('2026-12-0' /
    '7'), by where PDFium placed each character: its text output may join a wrapped line
    with a space as well as a line break, so a split is judged by position, not by text.
    Spaces are left out on both sides (PDFium makes them up from the gaps)."""
    split = []
    with opened(path) as document:
        for number, textpage in enumerate(text_pages(document), 1):
            chars, boxes = [], []
            for index in range(textpage.count_chars()):
                char = chr(pdfium.raw.FPDFText_GetUnicode(textpage.raw, index))
                if not char.isspace() and char != NBSP:
                    chars.append(char)
                    boxes.append(textpage.get_charbox(index))
            text = "".join(chars)
            for token in tokens:
                bare = "".join(token.split())
                start = text.find(bare)
                while start != -1:
                    box = boxes[start:start + len(bare)]
                    height = max(top - bottom for _, bottom, _, top in box)
                    bottoms = [bottom for _, bottom, _, _ in box]
                    if max(bottoms) - min(bottoms) > height / 2:
                        split.append(f"{token} on page {number}")
                    start = text.find(bare, start + 1)
    return split


def as_read(html: str) -> str:
    """The worksheet's rich text as a reader sees its words: no-break spaces as spaces,
    the invisible word joiners gone (ivigcalc/worksheet/content.py keeps tokens whole)."""
    return html.replace("&nbsp;", " ").replace(NBSP, " ").replace("\u2060", "")
