"""The zip limits (ivigcalc/data/cms/read.py) against CMS's real files, zipped as CMS zips them.

CMS publishes each quarter's files as a zip holding the CSV (deflated) beside a spreadsheet
and a readme. Every real CSV here is zipped that way in the test and must import; the
limits must leave room: the tightest-packed real file (a padded crosswalk, about 23:1) is
far from the 200:1 that marks a zip bomb. The repository's fixtures are always checked;
the shared copy of every quarter whole (../shared/cms) too when it is there.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ivigcalc.data.cms import read

HERE = Path(__file__).parent
FOLDERS = [HERE / "fixtures" / "cms", HERE.parent.parent / "shared" / "cms"]
REAL = sorted({p.name: p for folder in FOLDERS if folder.is_dir()
               for p in folder.glob("*/*.csv")}.items())


def cms_zip(folder: Path, csv: Path) -> Path:
    """The CSV deflated, beside a spreadsheet and a readme, as CMS's downloads are."""
    path = folder / (csv.stem + ".zip")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(csv, csv.name)
        archive.writestr(csv.stem + ".xlsx", b"PK\x03\x04 the spreadsheet")
        archive.writestr("readme.txt", "Section 508 version")
    return path


def test_every_real_file_is_here() -> None:
    assert len(REAL) >= 21  # 2024-Q1 to 2025-Q4 in the fixtures; 2026-Q1 in ../shared


@pytest.mark.parametrize(("name", "csv"), REAL, ids=[name[:60] for name, _ in REAL])
def test_each_real_cms_file_zipped_as_cms_zips_it_reads_whole(
        name: str, csv: Path, tmp_path: Path) -> None:
    archive = cms_zip(tmp_path, csv)
    (table,) = read.tables(archive)
    assert table.name == name
    assert table.rows == read.tables(csv)[0].rows
    with zipfile.ZipFile(archive) as opened:
        info = opened.getinfo(name)
    ratio = info.file_size / info.compress_size
    assert ratio < read.MAX_RATIO / 4, ratio  # room to spare under the bomb limit
    assert info.file_size < read.MAX_BYTES / 8
