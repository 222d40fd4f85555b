"""`ivigcalc calc --worksheet FILE.pdf` (issue 24 item 6): the window's worksheet from the
command line, through the one atomic writer, refusing an existing file without --force.

Here rather than in tests/ because it lays out with Qt: the window's tests make the
QApplication first, so the command line finds one (run alone, it makes its own: the last
test runs it in a fresh process with no display set)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run_cli
from pdf_pages import page_count, page_texts

ORDER = ("calc", "--weight", "78 kg", "--dose", "350 mg/kg", "--product", "gamunex-c",
         "--vials", "10 g", "--date", "2026-12-07")


def test_the_worksheet_is_written_and_the_summary_still_printed(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "sheet.pdf"
    code, out, err = run_cli(capsys, *ORDER, "--worksheet", str(target), "--paper", "a4")
    assert (code, err) == (0, "")
    assert "J1561 JA JW × 5 units" in out  # the summary, as without --worksheet
    assert page_count(target) == 1
    (sheet,) = page_texts(target)
    assert "Administer 27.3 g = 273 mL" in sheet and "page 1 of 1" in sheet
    assert "13533-0800-71" in sheet and "2026-12-07" in sheet
    assert [p.name for p in target.parent.iterdir()] == ["sheet.pdf"]  # no temporary left


def test_paper_sizes_differ(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    sizes = {}
    for paper in ("letter", "a4"):
        target = tmp_path / f"{paper}.pdf"
        assert run_cli(capsys, *ORDER, "--worksheet", str(target), "--paper", paper)[0] == 0
        document = pdfium.PdfDocument(str(target))
        sizes[paper] = tuple(round(v) for v in document[0].get_size())
        document.close()
    assert sizes == {"letter": (612, 792), "a4": (595, 842)}  # points


def test_an_existing_file_is_kept_without_force_and_replaced_with_it(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"yesterday's worksheet")
    code, out, err = run_cli(capsys, *ORDER, "--worksheet", str(target))
    assert code == 2 and out == ""  # refused before anything was worked out or printed
    assert err == (f"ivigcalc calc: worksheet: {target} already exists; add --force to "
                   "replace it\n")
    assert target.read_bytes() == b"yesterday's worksheet"
    code, out, err = run_cli(capsys, *ORDER, "--worksheet", str(target), "--force")
    assert code == 0 and target.read_bytes().startswith(b"%PDF-")


def test_never_over_an_input_a_folder_or_a_missing_folder(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[site]\nname = "Test"\n', encoding="utf-8")
    before = site.read_bytes()
    code, _, err = run_cli(capsys, *ORDER, "--catalog", str(site), "--worksheet", str(site),
                           "--force")
    assert code == 2 and "is an input of this command" in err and err.count("\n") == 1
    assert site.read_bytes() == before
    code, _, err = run_cli(capsys, *ORDER, "--worksheet", str(tmp_path))
    assert code == 2 and "not a regular file" in err
    code, _, err = run_cli(capsys, *ORDER, "--worksheet", str(tmp_path / "no" / "x.pdf"))
    assert code == 2 and "does not exist" in err


def test_paper_and_force_need_a_worksheet(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, *ORDER, "--paper", "a4")
    assert (code, out) == (2, "")
    assert err == "ivigcalc calc: worksheet: --paper and --force go with --worksheet FILE.pdf\n"


def test_a_name_beyond_ascii_is_written_and_said(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    target = tmp_path / "Blatt für Müller – 周.pdf"
    assert run_cli(capsys, *ORDER, "--worksheet", str(target))[0] == 0
    assert page_count(target) == 1
    code, _, err = run_cli(capsys, *ORDER, "--worksheet", str(target))
    assert code == 2 and f"{target} already exists" in err


def test_a_refused_order_writes_no_worksheet(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "sheet.pdf"
    code, out, err = run_cli(capsys, "calc", "--weight", "78", "--dose", "0.4 g/kg",
                             "--product", "gamunex-c", "--worksheet", str(target))
    assert code == 2 and out == "" and err.startswith("ivigcalc calc: weight:")
    assert list(target.parent.iterdir()) == []


def test_headless_in_a_fresh_process_with_no_display(tmp_path: Path) -> None:
    """No QT_QPA_PLATFORM, no DISPLAY: the command line starts Qt offscreen itself, and its
    messages survive a cp1252 stdout (a Windows console redirected)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONIOENCODING"] = "cp1252"
    target = tmp_path / "sheet.pdf"
    done = subprocess.run([sys.executable, "-m", "ivigcalc", *ORDER, "--worksheet",
                           str(target)], capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "× 5 units".encode() in done.stdout  # UTF-8 to a pipe whatever the code page
    assert page_count(target) == 1 and b"Traceback" not in done.stderr


def test_a_full_disk_is_one_line_and_keeps_the_old_file(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from ivigcalc.gui.output import paper

    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "sheet.pdf"
    target.write_bytes(b"%PDF-1.4 yesterday\n%%EOF\n")
    monkeypatch.setattr(paper.Sheet, "paint", lambda _sheet: (_ for _ in ()).throw(
        OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))))
    code, _, err = run_cli(capsys, *ORDER, "--worksheet", str(target), "--force")
    assert code == 2 and err == (f"ivigcalc calc: worksheet: {target} was not written (No "
                                 "space left on device); any file already there is "
                                 "unchanged\n")
    assert target.read_bytes() == b"%PDF-1.4 yesterday\n%%EOF\n"
    assert [p.name for p in target.parent.iterdir()] == ["sheet.pdf"]
