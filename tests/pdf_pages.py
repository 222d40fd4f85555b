"""Reading a PDF back in the tests with pypdfium2 (PDFium, from PyPI: no system tool to
install, so the PDF tests never skip): the text of each page, and whether a page has ink."""

from __future__ import annotations

import itertools
from pathlib import Path

import pypdfium2 as pdfium

NBSP = "\u00a0"


def page_texts(path: Path) -> list[str]:
    """Each page's text, its lines as laid out (a no-break space read as a space)."""
    document = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range().replace("\r\n", "\n").replace(NBSP, " "))
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def page_count(path: Path) -> int:
    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def inked_fraction(path: Path, page: int = 0) -> float:
    """The share of the page's pixels that are not white, rasterized at 50 dpi."""
    document = pdfium.PdfDocument(str(path))
    try:
        bitmap = document[page].render(scale=50 / 72, grayscale=True)
        pixels = bytes(bitmap.buffer)
        width, stride = bitmap.width, bitmap.stride
        rows = [pixels[row * stride:row * stride + width] for row in range(bitmap.height)]
        inked = sum(sum(1 for value in row if value < 200) for row in rows)
        return inked / (width * bitmap.height)
    finally:
        document.close()


def broken_tokens(text: str, tokens: set[str]) -> list[str]:
    """The tokens some occurrence of which runs from the end of one line into the next
    ('2026-12-0' / '7'): each pair of adjacent lines joined, every occurrence crossing the
    join is a broken token."""
    lines = text.split("\n")
    broken = []
    for upper, lower in itertools.pairwise(lines):
        for token in tokens:  # 'J1561 JA' / 'JW' rejoins with its space
            seam = len(upper.rstrip())
            joined = upper.rstrip() + (" " if " " in token else "") + lower.lstrip()
            start = joined.find(token)
            while start != -1:
                if start < seam < start + len(token):
                    broken.append(f"{token} ({upper.strip()[-20:]!r} / {lower.strip()[:20]!r})")
                start = joined.find(token, start + 1)
    return broken
