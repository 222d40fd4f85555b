"""Hostile and broken site catalogs (issue 9): each is refused in one line naming the file,
the entry and the field, never hangs, and the window's fallback covers it."""

import os
import threading
from pathlib import Path

import pytest

from ivigcalc.data import catalog
from ivigcalc.errors import CatalogError


def write(tmp_path: Path, data: bytes | str) -> Path:
    path = tmp_path / "site.toml"
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


CASES = [
    ("latin-1", '[catalog]\nname = "Pharmacie Hôtel-Dieu"\n'.encode("latin-1"),
     "is not UTF-8: byte 0xF4 at line 2, column 20 (Latin-1 or Windows-1252?)"),
    ("utf-16", '[catalog]\nname = "X"\n'.encode("utf-16"), "is UTF-16 text"),
    ("bom", b'\xef\xbb\xbf[catalog]\nname = "X"\n', "byte-order mark"),
    ("utf-16 without BOM", '[catalog]\nname = "X"\n'.encode("utf-16-le"), "holds NUL bytes"),
    ("inf", "[products.privigen]\nvial_sizes_g = [inf]\n",
     "the number inf is not finite; give a plain number (line 2)"),
    ("nan", "[codes.J1459]\nunit_mg = nan\n", "the number nan is not finite"),
    ("1e5000", "[products.privigen]\nvial_sizes_g = [1e5000]\n", "1e5000 is out of range"),
    ("huge int", "[codes.J1459]\nunit_mg = " + "9" * 5000 + "\n", "a number too long to read"),
    ("big int", "[codes.J1459]\nunit_mg = " + "9" * 4000 + "\n",
     "[codes.J1459] field 'unit_mg': 9999"),
    ("catalog = 5", "catalog = 5\n", "[catalog]: must be a table"),
    ("products = 5", "products = 5\n", "[products]: must be tables like"),
    ("deep", "x = " + "[" * 3000 + "]" * 3000 + "\n", "nests arrays or tables"),
    ("deep-ish", "[products.privigen]\nvial_sizes_g = " + "[" * 50 + "]" * 50 + "\n",
     "nests arrays or tables more than 6 levels"),
    ("hard_min > hard_max",
     "[limits.default]\nweight_kg = { hard_min = 400, hard_max = 350 }\n",
     "[limits.default] field 'weight_kg.hard_max': hard_min (400) is more than hard_max (350)"),
    ("soft above hard",
     "[limits.default]\nweight_kg = { hard_min = 1, soft_max = 500, hard_max = 350 }\n",
     "soft_max (500) is more than hard_max (350)"),
    ("effective after ended",
     "[codes.J1459]\neffective = 2026-01-01\nended = 2025-01-01\n",
     "[codes.J1459] field 'ended': effective (2026-01-01) is later than ended (2025-01-01)"),
    ("code span backwards",
     '[products.privigen]\ncodes = [{ code = "J1459", from = 2026-01-01, until = 2025-01-01 }]\n',
     "[products.privigen] field 'codes': item 1: until: from (2026-01-01) is later than until"),
    ("code and codes",
     '[products.privigen]\ncodes = [{ code = "J1459" }]\n',
     "[products.privigen] field 'code': give exactly one of code, codes"),
    ("absurd days", "[presets.itp-2-day]\ndays = 100000\n",
     "[presets.itp-2-day] field 'days': must be a whole number from 1 to 31"),
    ("1e-30 g vial", "[products.privigen]\nvial_sizes_g = [1e-30, 10]\n",
     "field 'vial_sizes_g': item 1: 1e-30 g is below the smallest accepted, 0.01 g"),
    ("drops hard limits", "[limits.default]\nweight_kg = { soft_max = 150 }\n",
     "field 'weight_kg.hard_min': is missing: a limit keeps its hard limits"),
    ("name = 5", "[catalog]\nname = 5\n", "[catalog] field 'name': must be non-empty text"),
    ("product name = 5", "[products.privigen]\nname = 5\n", "[products.privigen] field 'name'"),
    ("control character", '[products.privigen]\nname = "Priv\\u001bigen"\n',
     "holds a control character"),
    ("300 sizes at 1 mg", "[products.privigen]\nvial_sizes_g = ["
     + ", ".join(f"{10 + n / 1000:.3f}" for n in range(300)) + "]\n",
     "300 different sizes is more than the 12 a plan takes"),
    ("fine step", "[products.privigen]\nvial_sizes_g = [10, 10.001]\n",
     "share a step of only 1 mg, too fine to plan quickly"),
    ("duplicate size", "[products.privigen]\nvial_sizes_g = [10, 10.0]\n", "the same item twice"),
    ("many rows", "".join(f"[payers.p{n}]\n" for n in range(2001)), "has 2001 rows"),
    ("bad key", '[payers."a\\nb"]\nname = "x"\n', "[payers.a\\nb]: a key takes lower-case"),
]


@pytest.mark.parametrize(("name", "data", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_hostile_site_catalog_is_refused_by_name(tmp_path: Path, name: str,
                                                 data: bytes | str, fragment: str) -> None:
    path = write(tmp_path, data)
    with pytest.raises(CatalogError) as caught:
        catalog.load(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    assert fragment in message, message
    assert "\n" not in message and len(message) < 600
    fallback, problem = catalog.load_with_fallback(str(path))
    assert fallback.site_path is None and problem and fragment in problem


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "site.toml"
    os.mkfifo(fifo)
    outcome: list[str] = []
    worker = threading.Thread(target=lambda: outcome.append(
        catalog.load_with_fallback(str(fifo))[1] or ""), daemon=True)
    worker.start()
    worker.join(5)
    assert outcome and "is not a regular file" in outcome[0]


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null", "/"])
def test_special_files_are_refused(special: str) -> None:
    if not os.path.exists(special):
        pytest.skip(f"{special} does not exist here")
    with pytest.raises(CatalogError, match="is not a regular file"):
        catalog.load(special)


def test_an_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "# " + "x" * (1 << 20) + "\n")
    with pytest.raises(CatalogError, match="over the 1,048,576-byte limit"):
        catalog.load(path)


def test_the_fallback_covers_failures_nobody_foresaw(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: object) -> dict[str, object]:
        raise MemoryError("simulated")

    monkeypatch.setattr(catalog, "read_site", broken)
    loaded, problem = catalog.load_with_fallback(str(write(tmp_path, "")))
    assert loaded.site_path is None
    assert problem and "could not be used (MemoryError: simulated)" in problem
