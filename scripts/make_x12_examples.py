"""Write examples/: an 837P, an 837I and an 835 for the README's three commands.

    .venv/bin/python scripts/make_x12_examples.py          # regenerate
tests/test_x12_examples.py checks the shipped files are what this writes and that pyx12
validates each. Made-up people and ids; the NDCs come from the catalog's CMS crosswalk.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from x12_files import (  # noqa: E402 (the tests' builder, found through the path above)
    Adjustment,
    Claim,
    Line,
    Paid,
    Payment,
    build_835,
    build_837i,
    build_837p,
    ndc11,
)

from ivigcalc.data.catalog import load  # noqa: E402

CATALOG = load().catalog
PRIVIGEN = ndc11(CATALOG, "privigen", 10_000)
GAMUNEX = ndc11(CATALOG, "gamunex-c", 10_000)
DX = ("L100",)  # pemphigus vulgaris (Medicare NCD 250.3)


def privigen(*modifiers: str, units: int = 55, ndc: str = PRIVIGEN, charge: str = "1100") -> Line:
    return Line("J1459", modifiers, units, charge, ndc11=ndc, quantity="3")


def files() -> dict[str, str]:
    """Each example file's name and text."""
    professional = build_837p([
        Claim("RIGHT-1", (privigen(), privigen("JW", units=5, charge="100"),
                          Line("96365", (), 1, "150"), Line("96366", (), 1, "60")),
              dx=DX, member="1EG4TE5MK71"),
        Claim("JWMISSING-2", (privigen(),), dx=DX, member="1EG4TE5MK72"),
        Claim("WRONGNDC-3", (privigen(ndc=GAMUNEX), privigen("JW", units=5, ndc=GAMUNEX,
                                                            charge="100")),
              dx=DX, member="1EG4TE5MK73"),
        Claim("JZWASTE-4", (privigen("JZ"),), dx=DX, member="1EG4TE5MK74"),
    ], version="005010X222A2")
    hospital = build_837i([
        Claim("HOSP-1", (privigen(), privigen("JW", units=5, charge="100")), dx=DX,
              sbr09="MA", member="1EG4TE5MK75"),
        Claim("HOSP-2", (privigen(),), dx=DX, sbr09="MA", member="1EG4TE5MK76"),
    ], control=2)
    remittance = build_835([
        Payment("RIGHT-1", (
            Paid("J1459", (), 55, "1100", "720.50", (Adjustment("CO", "45", "200"),
                                                     Adjustment("PR", "2", "179.50"))),
            Paid("J1459", ("JW",), 5, "100", "65.50", (Adjustment("CO", "45", "18"),
                                                       Adjustment("PR", "2", "16.50"))),
            Paid("96365", (), 1, "150", "80", (Adjustment("CO", "45", "70"),)))),
        Payment("JWMISSING-2", (
            Paid("J1459", (), 55, "1100", "0", (Adjustment("CO", "16", "1100"),),
                 ("N822", "MA130")),), status="4", icn="ICN0002"),
        Payment("WRONGNDC-3", (
            Paid("J1459", (), 55, "1100", "0", (Adjustment("CO", "16", "1100"),),
                 ("M119", "MA130")),
            Paid("J1459", ("JW",), 5, "100", "0", (Adjustment("CO", "16", "100"),),
                 ("M119", "MA130"))), status="4", icn="ICN0003"),
    ], control=3)
    return {"claims.837": professional, "hospital.837": hospital,
            "remittance.835": remittance}


def main() -> None:
    folder = ROOT / "examples"
    folder.mkdir(exist_ok=True)
    for name, text in files().items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
        print(f"wrote examples/{name}")


if __name__ == "__main__":
    main()
