"""Fuzzing the CMS importer (issue 25): any bytes, any CSV cell, any zip, through the file
boundary and `ivigcalc catalog import-cms`.

Whatever the files hold, the command exits 0 or 2, a refusal is one line naming the file,
nothing is written unless the import succeeds, and no number is parsed before it is
bounded (a cell like '1e999999999' is drawn often). CI's short profile; `./dev fuzz` runs
it longer (helpers.examples).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from cms_slices import sliced
from helpers import FUZZ, examples, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from ivigcalc.data.cms import read
from ivigcalc.data.cms.read import ImportRefused

ROWS = {"crosswalk": "13533-0800-71", "pricing": "J1561"}
NAMES = {"crosswalk": "October 2025 ASP NDC-HCPCS Crosswalk.csv",
         "pricing": "Oct 2025 ASP Pricing File.csv"}
CELLS = st.one_of(
    st.sampled_from(["", "1e999999999", "9" * 5000, "NaN", "Infinity", "-1", "0", "20",
                     "500 MG", "1e5 MG", "$1e999", "48.964", "13533-0800-71", "J1561",
                     "\x00", "é", '"', ",", "\r\n", "1" * 4301]),
    st.text(max_size=30))


def check(code: int, out: str, err: str, written: Path) -> None:
    assert code in (0, 2), err
    assert "Traceback" not in err and "Traceback" not in out
    if code == 2:
        assert err.count("\n") == 1, err
        assert not written.exists()
    else:
        assert written.is_file()


@st.composite
def mutated(draw: st.DrawFn, kind: str) -> bytes:
    """The real slice with a few of its data row's cells replaced."""
    data = sliced(kind, ROWS[kind])
    head, _, last = data.rstrip(b"\r\n").rpartition(b"\r\n")
    cells = last.decode("latin-1").split(",")
    for _ in range(draw(st.integers(1, 3))):
        cells[draw(st.integers(0, min(9, len(cells) - 1)))] = draw(CELLS)
    return head + b"\r\n" + ",".join(cells).encode("utf-8", "surrogatepass") + b"\r\n"


@settings(FUZZ, max_examples=examples(120))
@given(kind=st.sampled_from(sorted(ROWS)), data=st.data())
def test_any_cell_in_a_cms_file_is_imported_or_refused_in_one_line(
        kind: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path_factory.mktemp("cms")
    files = {k: folder / NAMES[k] for k in ROWS}
    for other, path in files.items():
        path.write_bytes(data.draw(mutated(other)) if other == kind else
                         sliced(other, ROWS[other]))
    out_file = folder / "site.toml"
    code, out, err = run_cli(capsys, "catalog", "import-cms", *map(str, files.values()),
                             "--output", str(out_file), "--checked", "2026-12-01")
    check(code, out, err, out_file)


@settings(FUZZ, max_examples=examples(100))
@given(data=st.binary(max_size=400), zipped=st.booleans())
def test_any_bytes_as_a_cms_file_are_read_or_refused(
        data: bytes, zipped: bool, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("raw") / ("x.zip" if zipped else "x.csv")
    path.write_bytes(read.ZIP_MAGIC + data if zipped else data)
    try:
        tables = read.tables(path)
    except ImportRefused as error:
        assert str(error).startswith(f"{path}: ") and "\n" not in str(error)
    else:
        assert all(t.origin.startswith(str(path)) for t in tables)


@st.composite
def zips(draw: st.DrawFn) -> bytes:
    """Zips with real and hostile members: names, sizes, methods, flags, headers."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(draw(st.integers(0, 4))):
            name = draw(st.sampled_from([f"m{n}.csv", f"dir/m{n}.CSV", f"m{n}.xlsx",
                                         f"../evil{n}.csv", f"/abs{n}.csv"]))
            body = draw(st.one_of(
                st.just(sliced("pricing", "J1561")), st.binary(max_size=200),
                st.integers(1, 200).map(lambda k: b"J1561,x\r\n" * (k * 1000))))
            method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
            archive.writestr(zipfile.ZipInfo(name), body, compress_type=method)
    raw = bytearray(buffer.getvalue())
    for _ in range(draw(st.integers(0, 3))):  # a few bytes of a header changed
        if raw:
            at = draw(st.integers(0, len(raw) - 1))
            raw[at] = draw(st.integers(0, 255))
    return bytes(raw)


@settings(FUZZ, max_examples=examples(150))
@given(data=zips())
def test_any_zip_is_read_within_its_limits_or_refused(
        data: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("zip") / "cms.zip"
    path.write_bytes(data)
    try:
        tables = read.tables(path)
    except ImportRefused as error:
        assert str(error).startswith(f"{path}: ") and "\n" not in str(error)
    else:
        assert sum(len(t.rows) for t in tables) <= read.MAX_BYTES
