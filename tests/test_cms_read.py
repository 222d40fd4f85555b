"""Bytes to rows (ivigcalc.data.cms.read): CMS's Latin-1 CSVs and zips, and every refusal."""

import dataclasses
import zipfile
from pathlib import Path

import pytest
from cms_slices import Q4, lines, sliced

from ivigcalc.data.cms import read
from ivigcalc.data.cms.read import ImportRefused


def test_decode_utf8_with_and_without_bom_and_latin1_otherwise() -> None:
    assert read.decode("Gamunex-C ≥ 10 g".encode()) == "Gamunex-C ≥ 10 g"
    assert read.decode(b"\xef\xbb\xbfHCPCS Code") == "HCPCS Code"
    # Addendum B's AMA notice: a stray byte that is no UTF-8.
    assert read.decode(b"Association.\xa0 All") == "Association.\u00a0 All"
    assert read.decode(b"\xef\xbb\xbf\x92") == "\u0092"  # BOM dropped, then Latin-1


def test_the_real_pricing_file_is_latin1_and_its_j1561_row_reads_exactly() -> None:
    data = sliced("pricing", "J1561", "J9325")
    with pytest.raises(UnicodeDecodeError, match=r"decode byte 0xa0 in position"):
        data.decode("utf-8")  # J9325's dosage '1 million PFU' has a 0xA0 for its space
    rows = read.rows_of(data, "p.csv")
    assert rows[-2] == ("J1561", "Gamunex-c/gammaked", "500 MG", "48.964", "20.000")
    assert rows[-1][:4] == ("J9325", "Inj talimogene laherparepvec", "1 million\u00a0PFU",
                            "73.935")
    assert rows[0] == ("Payment Allowance Limits for Medicare Part B Drugs",)
    assert rows[1] == ()  # a row of padding only is an empty row
    assert rows[2] == ("Effective October 1, 2025 through December 31, 2025",)


def test_padding_is_dropped_and_cells_are_stripped() -> None:
    # The crosswalk's own first data row: 'HyperHepB ' with CMS's trailing space.
    (row,) = read.rows_of(lines("crosswalk")[9] + b"\r\n", "x.csv")
    assert row == ("90371", "Hep b ig im", "Grifols USA, LLC", "13533-0636-01", "HyperHepB",
                   "1 ML", "1", "1", "1", "1")
    # An empty cell inside a row is kept; only the trailing ones go.
    assert read.rows_of(b"a,,b,, ,\r\n", "x.csv") == (("a", "", "b"),)
    assert read.rows_of(b" a , b \r\nc,d", "x.csv") == (("a", "b"), ("c", "d"))


def test_a_line_break_inside_a_quoted_cell_stays_in_the_cell() -> None:
    rows = read.rows_of(b'Q9999,"two\nlines",1 MG,,,\r\nJ1561,x,500 MG,48.964,,,\r\n', "x.csv")
    assert rows == (("Q9999", "two\nlines", "1 MG"), ("J1561", "x", "500 MG", "48.964"))


def test_padding_before_a_bare_lf_inside_a_cell_is_kept() -> None:
    """Padding goes only at CRLF row ends and the end of the file, not before a bare LF."""
    assert read.rows_of(b'"a,,\nb",,\r\nc,,', "x.csv") == (("a,,\nb",), ("c",))


def test_an_unreadable_csv_is_refused_naming_the_file() -> None:
    with pytest.raises(ImportRefused, match=r"^bad\.csv: is not a readable CSV file \("):
        read.rows_of(b'J1561,"48.964"x,\r\n', "bad.csv")


def test_a_truncated_file_inside_a_quoted_cell_is_refused() -> None:
    cut = sliced("crosswalk", "J1561")[:-40] + b',"Gamunex'
    with pytest.raises(ImportRefused, match="is not a readable CSV file"):
        read.rows_of(cut, "cut.csv")


def test_tables_of_a_real_csv_names_it_by_file_and_path(tmp_path: Path) -> None:
    path = tmp_path / "section 508 version of Oct 2025 ASP Pricing File 091725.csv"
    path.write_bytes(sliced("pricing", "J1459"))
    (table,) = read.tables(path)
    assert table.name == path.name and table.origin == str(path)
    assert table.rows[-1] == ("J1459", "Inj ivig privigen 500 mg", "500 MG", "50.737",
                              "20.000")
    (again,) = read.tables(str(path))  # a str path works the same
    assert again == table


def test_a_missing_file_and_a_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused) as caught:
        read.tables(tmp_path / "none.csv")
    assert str(caught.value) == f"{tmp_path / 'none.csv'}: cannot be read (No such file or " \
        "directory)"
    with pytest.raises(ImportRefused, match=r": is not a regular file \(a folder, device or "
                       r"pipe\); give the path of a file$"):
        read.tables(tmp_path)


def test_a_file_larger_than_any_cms_file_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:  # sparse: nothing is written
        handle.truncate(64 * 2**20 + 1)
    with pytest.raises(ImportRefused) as caught:
        read.tables(big)
    assert str(caught.value) == f"{big}: is 67,108,865 bytes, over the 67,108,864-byte limit"


def test_the_size_cap_is_inclusive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = sliced("pricing", "J1561")
    path = tmp_path / "p.csv"
    path.write_bytes(data)
    monkeypatch.setattr(read, "MAX_BYTES", len(data))
    assert read.tables(path)[0].rows[-1][0] == "J1561"  # exactly at the cap: read
    monkeypatch.setattr(read, "MAX_BYTES", len(data) - 1)
    with pytest.raises(ImportRefused, match=f"is {len(data):,} bytes, over the "
                       f"{len(data) - 1:,}-byte limit$"):
        read.tables(path)


def _zip(path: Path, members: dict[str, bytes], folders: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        for folder in folders:
            zipped.mkdir(folder)
        for name, data in members.items():
            zipped.writestr(name, data)
    return path


def test_a_zip_yields_its_csv_members_by_their_own_names(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "oct-2025.zip", {
        "readme.txt": b"not a table",
        "Q4/Oct 2025 ASP Pricing File.CSV": sliced("pricing", "J1561"),
        "Oct 2025 crosswalk.csv": sliced("crosswalk", "13533-0800-71"),
        "Oct 2025 ASP Pricing File.xlsx": b"PK\x03\x04 spreadsheet"}, folders=("notes.csv",))
    pricing, crosswalk = read.tables(archive)
    assert pricing.name == "Oct 2025 ASP Pricing File.CSV"
    assert pricing.origin == f"{archive}: Oct 2025 ASP Pricing File.CSV"
    assert pricing.rows[-1][:4] == ("J1561", "Gamunex-c/gammaked", "500 MG", "48.964")
    assert crosswalk.name == "Oct 2025 crosswalk.csv"
    assert crosswalk.rows[-1][3:9] == ("13533-0800-71", "Gamunex-C", "500 MG", "100", "1",
                                       "20")


def test_a_zip_without_csv_and_a_broken_zip_are_refused(tmp_path: Path) -> None:
    empty = _zip(tmp_path / "x.zip", {"Oct 2025 ASP Pricing File.xlsx": b"cells"})
    with pytest.raises(ImportRefused) as caught:
        read.tables(empty)
    assert str(caught.value) == (f"{empty}: the zip holds no CSV file; CMS's zips carry the "
                                 "CSV beside the spreadsheet")
    broken = tmp_path / "cut.zip"
    broken.write_bytes(read.ZIP_MAGIC + b"\x00" * 40)
    with pytest.raises(ImportRefused, match=r"cut\.zip: is not a readable zip file \("):
        read.tables(broken)


def test_a_zip_member_is_capped_like_a_file(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    data = sliced("pricing", "J1561")
    archive = _zip(tmp_path / "p.zip", {"p.csv": data})
    assert archive.stat().st_size < len(data)  # deflated: the member's own size is capped
    monkeypatch.setattr(read, "MAX_BYTES", len(data))
    assert read.tables(archive)[0].rows[-1][0] == "J1561"
    monkeypatch.setattr(read, "MAX_BYTES", len(data) - 1)
    with pytest.raises(ImportRefused) as caught:
        read.tables(archive)
    assert str(caught.value) == (f"{archive}: member p.csv is {len(data):,} bytes unpacked, "
                                 f"over the {len(data) - 1:,}-byte limit")


def test_a_bad_csv_inside_a_zip_names_the_member(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "p.zip", {"p.csv": b'a,"b"c\r\n'})
    with pytest.raises(ImportRefused, match=r"p\.zip: p\.csv: is not a readable CSV file"):
        read.tables(archive)


def test_the_full_2025_q4_files_read_to_their_last_row() -> None:
    """The real files whole: first and last data row of each, as CMS wrote them."""
    crosswalk = read.tables(next(Q4.glob("*Crosswalk*.csv")))[0].rows
    assert crosswalk[9][:4] == ("90371", "Hep b ig im", "Grifols USA, LLC", "13533-0636-01")
    assert crosswalk[-1] == ("Q9999", "Inj ustekinumab-aauz 1 mg", "FreseniUS Kabi USA, LLC",
                             "65219-0828-05", "Otulfi", "1 MG", "26", "1", "130", "130")
    addendum = read.tables(next(Q4.glob("*Addendum*.csv")))[0].rows
    assert addendum[5] == ("0001F", "Heart failure composite", "E1")
    assert addendum[-1] == ("V5364", "Dysphagia screening", "E1")
    assert "\u00ff" in addendum[1][1]  # the stray byte of the AMA notice, as Latin-1


def test_a_table_read_cannot_be_changed(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(sliced("pricing", "J1561"))
    (table,) = read.tables(path)
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'rows'"):
        table.rows = ()  # type: ignore[misc]
