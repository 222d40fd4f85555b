"""Render worksheet pages to PNG to look at them (docs/safety/worksheet-*.png): the sample
one-day order on Letter, and page 2 of the 5-day CIDP loading course, through the same
`ivigcalc calc --worksheet` the pharmacist runs, read back with pypdfium2 (a test
dependency).

    .venv/bin/python scripts/worksheet_pages.py [--out-dir docs/safety] [--scale 1.3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDERS = {
    "worksheet-one-day-letter": (["--weight", "78 kg", "--dose", "350 mg/kg", "--product",
                                  "gamunex-c", "--vials", "10 g", "--date", "2026-12-07",
                                  "--dx", "D80.0", "--times", "09:00-12:31", "--paper",
                                  "letter"], 1),
    "worksheet-course-page-2": (["--weight", "82 kg", "--dose", "2 g/kg", "--per", "course",
                                 "--days", "5", "--product", "gamunex-c", "--date",
                                 "2026-12-07", "--indication", "cidp-loading", "--dx",
                                 "G61.81", "--paper", "letter"], 2),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", default=str(ROOT / "docs" / "safety"))
    parser.add_argument("--scale", type=float, default=1.3, help="pixels per PDF point")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import pypdfium2 as pdfium
    from PySide6.QtGui import QGuiApplication, QImage

    app = QGuiApplication([])  # QImage saves PNG through Qt's image plugins
    with tempfile.TemporaryDirectory() as folder:
        for name, (order, page) in ORDERS.items():
            pdf = Path(folder) / f"{name}.pdf"
            subprocess.run([sys.executable, "-m", "ivigcalc", "calc", *order, "--worksheet",
                            str(pdf)], check=True, stdout=subprocess.DEVNULL)
            document = pdfium.PdfDocument(str(pdf))
            bitmap = document[page - 1].render(scale=args.scale)
            image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_BGR888)
            out = Path(args.out_dir) / f"{name}.png"
            if not image.save(str(out)):
                raise SystemExit(f"could not write {out}")
            document.close()
            print(out)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
