"""X12 files that cannot be read: one line naming the file, the segment and the problem, exit
2; a bad claim inside a good file is marked unreadable and the rest is checked."""

import os
import random
import time
from pathlib import Path

import pytest
from helpers import run_cli
from x12_files import Claim, Line, build_837p, ndc11, validate

from ivigcalc.check import x12_check, x12_file
from ivigcalc.data.catalog import load

CATALOG = load().catalog
NDC = ndc11(CATALOG, "privigen", 10_000)
GOOD = build_837p([Claim("C-1", (Line("J1459", (), 55, "1100", ndc11=NDC, quantity="3"),
                                  Line("J1459", ("JW",), 5, "100", ndc11=NDC, quantity="3")),
                         dx=("L100",))])


def refused(capsys: pytest.CaptureFixture[str], path: Path) -> str:
    """The one line `check --x12` prints for a file it refuses (exit 2, nothing on stdout)."""
    code, out, err = run_cli(capsys, "check", "--x12", str(path))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    assert str(path) in err
    return err.strip()


def write(tmp_path: Path, text: str | bytes, name: str = "bad.837") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_the_good_file_is_valid() -> None:
    assert validate(GOOD) == []


def test_wrong_delimiters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = GOOD.splitlines()
    body = "\n".join(line.replace("*", "|") for line in lines[1:])
    err = refused(capsys, write(tmp_path, lines[0] + "\n" + body))
    assert "segment 2" in err and "is not a segment id" in err and "'*' between elements" in err


def test_a_truncated_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cut = GOOD[:GOOD.index("LX*2")]
    err = refused(capsys, write(tmp_path, cut))
    assert "ends inside an interchange" in err or "no SE" in err
    assert "segment" in err


def test_a_truncated_transaction_set_count(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    short = GOOD.replace("LX*2~\n", "", 1)
    err = refused(capsys, write(tmp_path, short))
    assert "SE" in err and "segments, the file holds" in err


def test_an_isa_of_the_wrong_length(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(capsys, write(tmp_path, GOOD.replace("IVIGTEST       *", "IVIGTEST      *", 1)))
    assert "segment 1 (ISA)" in err and "is 105 characters; X12 fixes it at 106" in err


def test_twenty_megabytes_of_garbage_is_refused_at_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    garbage = random.Random(1).randbytes(20 << 20)
    start = time.perf_counter()
    err = refused(capsys, write(tmp_path, garbage))
    assert time.perf_counter() - start < 5
    assert "not UTF-8" in err or "NUL" in err or "does not start with ISA" in err


def test_twenty_megabytes_of_text_garbage(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(capsys, write(tmp_path, "lorem ipsum " * (20 << 20 // 12)))
    assert "does not start with ISA: not an X12 file" in err


def test_an_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "is empty" in refused(capsys, write(tmp_path, ""))


@pytest.mark.parametrize(("version", "says"), [
    ("004010X098A1", "which this check does not read"),
    ("005010X999A9", "a version pyx12 has no map for"),
])
def test_an_837_version_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 version: str, says: str) -> None:
    err = refused(capsys, write(tmp_path, GOOD.replace("005010X222A1", version)))
    assert "segment 3 (ST" in err and says in err and "accepts 837P" in err


def test_a_file_over_the_size_cap(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(x12_file, "MAX_X12_BYTES", 200)
    err = refused(capsys, write(tmp_path, GOOD))
    assert "over the 200-byte limit" in err


def test_the_stated_cap() -> None:
    assert x12_file.MAX_X12_BYTES == 64 << 20


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.837"
    os.mkfifo(fifo)
    assert "not a regular file" in refused(capsys, fifo)


def test_a_bad_unit_count_is_a_finding_on_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("UN*55***1", "UN*55.5***1", 1))
    (report,) = x12_check.check_claims(x12_check.read(str(path)), CATALOG)
    assert [(f.rule, f.line) for f in report.findings if f.severity == "error"][:1] == [
        ("malformed-line", 1)]
    assert "is not whole" in report.findings[0].message


def test_a_huge_number_is_bounded_before_it_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("UN*55***1", "UN*" + "9" * 5000 + "***1", 1))
    (report,) = x12_check.check_claims(x12_check.read(str(path)), CATALOG)
    assert "not a whole number from 1 to 9,999,999" in report.findings[0].message


def test_validate_lists_pyx12s_errors(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD.replace("UN*55***1", "UN*55", 1))
    code, _, err = run_cli(capsys, "check", "--x12", str(path), "--validate")
    assert code == 2
    assert "pyx12 finds 1 error(s)" in err and "SV107" in err
