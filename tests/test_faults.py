"""Fault injection (issue 25): the files, streams and numbers the hostile-input audit broke.

Each case runs the real program in a child process, with a time limit and (where the old
code ran out of memory) an address-space limit, so a hang or a blow-up is a failed test and
never a stuck suite: FIFOs, /dev/zero, zip bombs made here, a full disk (RLIMIT_FSIZE: the
kernel's own "file too large", with no mock), a closed or broken stdout, /dev/full, a cp1252
stdout. Every failure is one line on stderr and exit 2; no input changes, nothing is left
behind.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from ivigcalc.data import files

FIXTURES = Path(__file__).parent / "fixtures" / "cms"
Q4 = FIXTURES / "2025-Q4"
CMS_FILES = sorted(str(p) for p in Q4.glob("*.csv"))
POSIX = sys.platform != "win32"
pytestmark = pytest.mark.skipif(not POSIX, reason="FIFOs, rlimits and /dev/full are POSIX")

CALC = ["calc", "--weight", "70 kg", "--dose", "0.4 g/kg", "--product", "gamunex-c",
        "--date", "2026-03-02"]
CHECK = ["check", "--administered", "28 g", "--vials", "1 x 20 g, 1 x 10 g", "--product",
         "gamunex-c", "--line", "J1561 JA JW 60", "--date", "2026-03-02"]
CONVERT = ["convert", "--iv-dose", "30 g", "--interval", "4 weeks", "--product", "hizentra"]


def limits(memory: int | None = None, file_size: int | None = None) -> Callable[[], None]:
    def apply() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if file_size is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
    return apply


def run(argv: Sequence[str], *, env: dict[str, str] | None = None, timeout: float = 60,
        memory: int | None = 1 << 30, file_size: int | None = None,
        stdout: int | None = subprocess.PIPE, shell_suffix: str = "",
        cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """`python -m ivigcalc ARGV` in a child, bounded in time and memory."""
    full_env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    full_env.pop("IVIGCALC_CATALOG", None) if "IVIGCALC_CATALOG" not in (env or {}) else None
    command: list[str] | str = [sys.executable, "-m", "ivigcalc", *argv]
    if shell_suffix:
        import shlex
        command = " ".join(shlex.quote(c) for c in command) + " " + shell_suffix
    return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, env=full_env,
                          timeout=timeout, preexec_fn=limits(memory, file_size),
                          shell=bool(shell_suffix), cwd=cwd, check=False)


def one_line(done: subprocess.CompletedProcess[bytes], *fragments: str) -> str:
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, err
    return err


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()
                  if p.name.endswith((".part", ".tmp")) or p.name.startswith("tmp"))


# --- catalog import-cms: the CMS files it reads ------------------------------------------


def test_a_fifo_given_as_a_cms_file_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "crosswalk.csv"
    os.mkfifo(fifo)
    done = run(["catalog", "import-cms", str(fifo), CMS_FILES[2], "--output",
                str(tmp_path / "site.toml")], timeout=30)
    one_line(done, "is not a regular file")


def test_dev_zero_given_as_a_cms_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    done = run(["catalog", "import-cms", "/dev/zero", "--output", str(tmp_path / "s.toml")],
               timeout=30, memory=512 << 20)
    one_line(done, "/dev/zero: is not a regular file")


def _bomb(path: Path, members: int, each: int) -> Path:
    """A zip of `members` CSVs of `each` bytes of claim-like rows, deflated ~1000:1."""
    row = b"J1561,x\r\n"
    block = row * (1 << 16)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for n in range(members):
            with archive.open(f"part{n}.csv", "w") as member:
                written = 0
                while written < each:
                    member.write(block)
                    written += len(block)
    return path


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.zip", members=4, each=60 << 20)
    assert bomb.stat().st_size < 2 << 20  # a ~1 MB file that unpacks to 240 MB of rows
    done = run(["catalog", "import-cms", str(bomb), "--output", str(tmp_path / "s.toml")],
               timeout=60, memory=768 << 20)
    one_line(done, "zip bomb")


def test_a_zip_member_that_lies_about_its_size_is_stopped_at_the_size_it_declared(
        tmp_path: Path) -> None:
    """The central directory says 64 kB; the member unpacks to 8 MB: reading stops."""
    bomb = _bomb(tmp_path / "liar.zip", members=1, each=8 << 20)
    data = bytearray(bomb.read_bytes())
    central = data.rindex(b"PK\x01\x02")
    size = int.from_bytes(data[central + 24:central + 28], "little")
    data[central + 24:central + 28] = (64 << 10).to_bytes(4, "little")
    bomb.write_bytes(bytes(data))
    assert size > 100 * (64 << 10)
    limits_ = files.ZipLimits(member_bytes=64 << 20, total_bytes=64 << 20, ratio=10**6)
    with pytest.raises(files.UnreadableFile, match=r"part0\.csv"):
        list(files.zip_members(bomb, 1 << 20, limits_, lambda name: True))


def _patched_member(path: Path, *, flags: int | None = None, method: int | None = None
                    ) -> Path:
    """A CMS zip whose one member claims encryption or another packing method, as a zip
    tool would have written it (local header and central directory both)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(CMS_FILES[2], "pricing.csv")
    data = bytearray(path.read_bytes())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature)
        if flags is not None:
            data[at + flag_at:at + flag_at + 2] = flags.to_bytes(2, "little")
        if method is not None:
            data[at + flag_at + 2:at + flag_at + 4] = method.to_bytes(2, "little")
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(("flags", "method", "fragment"), [
    (0x1, None, "is encrypted"),
    (None, 9, "packed with method 9"),  # deflate64
    (None, 12, "packed with method 12"),  # bzip2
])
def test_an_encrypted_or_deflate64_member_is_one_line(tmp_path: Path, flags: int | None,
                                                       method: int | None,
                                                       fragment: str) -> None:
    archive = _patched_member(tmp_path / "cms.zip", flags=flags, method=method)
    done = run(["catalog", "import-cms", str(archive), CMS_FILES[1], "--output",
                str(tmp_path / "s.toml")])
    one_line(done, fragment, "pricing.csv")


def test_import_cms_never_replaces_an_existing_file_without_force(tmp_path: Path) -> None:
    """Any file that is not a site catalog is refused without --force (issue 21 item 2: a
    site catalog is updated in place, tests/test_site_quarters.py)."""
    site = tmp_path / "site.toml"
    site.write_text("these are notes, not TOML\n", encoding="utf-8")
    done = run(["catalog", "import-cms", *CMS_FILES, "--output", str(site)])
    one_line(done, "exists and is not a site catalog", "add --force")
    assert site.read_text(encoding="utf-8") == "these are notes, not TOML\n"
    assert done.stdout == b""  # refused before the import's report
    forced = run(["catalog", "import-cms", *CMS_FILES, "--output", str(site), "--force",
                  "--checked", "2026-12-01"])
    assert forced.returncode == 0, forced.stderr
    assert '[quarters."2025-Q4".cms]' in site.read_text(encoding="utf-8")
    assert (tmp_path / "site.toml.bak").read_text(encoding="utf-8") == \
        "these are notes, not TOML\n"


def test_import_cms_updates_the_catalog_in_use_in_place_keeping_a_backup(
        tmp_path: Path) -> None:
    """Adding a quarter to the site catalog in use is import-cms's purpose (issue 21 item
    2): no --force, the site's tables kept, the previous version as .bak; every other
    command still never writes it (test_check_output_force_never_replaces_the_ivigcalc_...)."""
    site = tmp_path / "site.toml"
    site.write_text('[catalog]\nname = "Site"\n', encoding="utf-8")
    done = run(["catalog", "import-cms", *CMS_FILES, "--output", str(site), "--checked",
                "2026-12-01"], env={"IVIGCALC_CATALOG": str(site)})
    assert done.returncode == 0, done.stderr
    text = site.read_text(encoding="utf-8")
    assert text.startswith('[catalog]\nname = "Site"\n') and "[quarters." in text
    assert (tmp_path / "site.toml.bak").read_text(encoding="utf-8") == \
        '[catalog]\nname = "Site"\n'


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_files_written_take_their_mode_from_the_umask(tmp_path: Path, umask: int) -> None:
    site = tmp_path / "site.toml"
    old = os.umask(umask)
    try:
        done = run(["catalog", "import-cms", *CMS_FILES, "--output", str(site),
                    "--checked", "2026-12-01"])
    finally:
        os.umask(old)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(site.stat().st_mode) == 0o666 & ~umask


def test_a_full_disk_leaves_no_temporary_file_and_the_old_file_whole(tmp_path: Path) -> None:
    """RLIMIT_FSIZE: the kernel refuses a write past 4 kB, as a full disk would."""
    site = tmp_path / "site.toml"
    site.write_text("# the old catalog\n", encoding="utf-8")
    done = run(["catalog", "import-cms", *CMS_FILES, "--output", str(site), "--force",
                "--checked", "2026-12-01"], file_size=4096)
    one_line(done, "cannot write", "File too large")
    assert site.read_text(encoding="utf-8") == "# the old catalog\n"
    assert leftovers(tmp_path) == []


def test_a_huge_number_in_a_cms_file_is_refused_at_once(tmp_path: Path) -> None:
    """'1e999999999' as BILLUNITS: Fraction(Decimal(...)) of it never finished."""
    from cms_slices import write

    crosswalk = write(tmp_path, "crosswalk", "13533-0800-71")
    text = crosswalk.read_bytes()
    assert text.count(b"Gamunex-C,500 MG,100,1,20,20,") == 1
    crosswalk.write_bytes(text.replace(b"Gamunex-C,500 MG,100,1,20,20,",
                                       b"Gamunex-C,500 MG,100,1,1e999999999,20,"))
    pricing = write(tmp_path, "pricing", "J1561")
    done = run(["catalog", "import-cms", str(crosswalk), str(pricing), "--output",
                str(tmp_path / "s.toml")], timeout=30)
    one_line(done, "BILLUNITS of 13533-0800-71 '1e999999999' is not a number")


# --- the writer: reports, symlinks, the catalog in use, a killed writer ------------------


def _claims(folder: Path) -> Path:
    claims = folder / "claims.csv"
    claims.write_text("id,date,product,administered,vials,lines\n"
                      "A-1,2026-01-05,gamunex-c,27.3 g,3 x 10 g,J1561 JA 55\n",
                      encoding="utf-8")
    return claims


def test_check_output_force_never_replaces_the_ivigcalc_catalog_file(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[catalog]\nname = "Site"\n', encoding="utf-8")
    done = run(["check", "--csv", str(_claims(tmp_path)), "--output", str(site), "--force"],
               env={"IVIGCALC_CATALOG": str(site)})
    one_line(done, "is an input of this command")
    assert site.read_text(encoding="utf-8") == '[catalog]\nname = "Site"\n'


def test_an_output_that_is_a_symlink_is_replaced_not_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "elsewhere.txt"
    victim.write_text("not a report\n", encoding="utf-8")
    link = tmp_path / "report.csv"
    link.symlink_to(victim)
    refused = run(["check", "--csv", str(_claims(tmp_path)), "--output", str(link)])
    one_line(refused, "already exists")
    done = run(["check", "--csv", str(_claims(tmp_path)), "--output", str(link), "--force"])
    assert done.returncode in (0, 1), done.stderr
    assert victim.read_text(encoding="utf-8") == "not a report\n"
    assert not link.is_symlink() and "A-1" in link.read_text(encoding="utf-8")


def test_a_killed_writers_leftover_is_swept_at_the_next_write(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import os, signal
        from ivigcalc.data import files
        with files.writing({str(tmp_path / "report.csv")!r}, force=True) as out:
            out.write("half a report")
            out.flush()
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    killed = subprocess.run([sys.executable, "-c", script], check=False, timeout=60)
    assert killed.returncode == -signal.SIGKILL
    (left,) = leftovers(tmp_path)
    assert left.startswith(".ivigcalc-") and left.endswith(".part")
    done = run(["check", "--csv", str(_claims(tmp_path)), "--output",
                str(tmp_path / "other.csv")])
    assert done.returncode in (0, 1), done.stderr
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "report.csv").exists()


def test_the_sweep_spares_a_live_writer_and_files_not_its_own(tmp_path: Path) -> None:
    live = tmp_path / f".ivigcalc-{files._HOST}-{os.getppid()}-{'0' * 16}.part"
    mine = tmp_path / ".report.csv.abc123.part"  # a name another program may use
    for path in (live, mine):
        path.write_text("x", encoding="utf-8")
    assert files.sweep(tmp_path) == []
    old = os.stat(live).st_mtime - files.STALE_SECONDS - 5
    os.utime(live, (old, old))  # an hour without a write: another machine's, abandoned
    assert files.sweep(tmp_path) == [live]
    assert mine.exists()


def test_a_mocked_full_disk_at_fsync_removes_the_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    target = tmp_path / "report.csv"
    target.write_text("the old report\n", encoding="utf-8")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left"), \
            files.writing(target, force=True) as out:
        out.write("the new report\n")
    assert target.read_text(encoding="utf-8") == "the old report\n"
    assert leftovers(tmp_path) == []


# --- standard output: any encoding, any stream ---------------------------------------------


@pytest.mark.parametrize("argv", [CALC, CHECK, [*CHECK, "--format", "json"], CONVERT,
                                  [*CALC, "--format", "json"]], ids=str)
def test_cp1252_stdout_to_a_file_gets_the_whole_output_as_utf8(tmp_path: Path,
                                                               argv: list[str]) -> None:
    out = tmp_path / "out.txt"
    with out.open("wb") as handle:
        done = run(argv, env={"PYTHONIOENCODING": "cp1252"}, stdout=handle.fileno())
    assert done.returncode in (0, 1), done.stderr
    text = out.read_bytes().decode("utf-8")  # strict: UTF-8, whatever the code page
    if "json" in argv:
        json.loads(text)
    else:
        assert any(c in text for c in "→≈×÷"), text
    same = run(argv)  # and the same bytes as with a UTF-8 stdout
    assert same.stdout == out.read_bytes()


def test_the_calc_summary_survives_a_cp1252_redirect_with_its_exact_json(
        tmp_path: Path) -> None:
    done = run([*CALC, "--format", "json"], env={"PYTHONIOENCODING": "cp1252"})
    data = json.loads(done.stdout.decode("utf-8"))
    assert data["dose_per_day_mg"] == 28000 and data["days"][0]["volume_ml"] == 280


EVERY = {"calc": CALC, "check": CHECK, "convert": CONVERT, "--version": ["--version"],
         "--help": ["--help"], "catalog check": ["catalog", "check", "{site}"],
         "import-cms": ["catalog", "import-cms", *CMS_FILES, "--checked", "2026-12-01",
                        "--output", "{folder}/s.toml"]}


def every(name: str, folder: Path) -> list[str]:
    """The command named, its file arguments in `folder` (a site catalog to check)."""
    site = folder / "site.toml"
    site.write_text('[catalog]\nname = "Site"\n', encoding="utf-8")
    return [a.format(site=site, folder=folder) for a in EVERY[name]]


@pytest.mark.parametrize("name", list(EVERY))
def test_a_closed_stdout_is_one_line_and_exit_2(name: str, tmp_path: Path) -> None:
    done = run(every(name, tmp_path), shell_suffix=">&-")
    one_line(done, "standard output is closed")


@pytest.mark.parametrize("name", list(EVERY))
def test_a_full_device_is_one_line_and_exit_2(name: str, tmp_path: Path) -> None:
    with open("/dev/full", "wb") as full:
        done = run(every(name, tmp_path), stdout=full.fileno())
    one_line(done, "No space left on device")


@pytest.mark.parametrize("name", list(EVERY))
def test_a_broken_pipe_is_one_line_and_exit_2(name: str, tmp_path: Path) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # the reader has gone before the first byte
    try:
        done = run(every(name, tmp_path), stdout=writer)
    finally:
        os.close(writer)
    one_line(done, "broken pipe")


def test_check_with_output_runs_with_stdout_closed(tmp_path: Path) -> None:
    """A command that writes only its --output file needs no stdout."""
    done = run(["check", "--csv", str(_claims(tmp_path)), "--output",
                str(tmp_path / "report.csv")], shell_suffix=">&-")
    assert done.returncode in (0, 1), done.stderr
    assert "A-1" in (tmp_path / "report.csv").read_text(encoding="utf-8")


# --- edges: dates, and the bounds calc shares ------------------------------------------------


@pytest.mark.parametrize("argv", [
    [*CALC[:-2], "--date", "9999-12-30", "--days", "5"],
    [*CALC[:-2], "--dates", "9999-12-30,9999-12-31", "--days", "2"],
    [*CALC[:-2], "--date", "1999-12-31"],
    [*CHECK[:-2], "--date", "9999-12-31"],
], ids=["course-past-9999", "dates-past-9999", "before-2000", "check-9999"])
def test_dates_of_service_are_bounded(argv: list[str]) -> None:
    done = run(argv)
    one_line(done, "out of range; accepts a date from 2000-01-01 to 2099-12-31")


def test_convert_holds_the_iv_dose_to_calcs_limit() -> None:
    done = run(["convert", "--iv-dose", "999999999999 g", "--interval", "4 weeks",
                "--product", "hizentra"])
    one_line(done, "above the hard limit of 400 g per day")
    assert run(CONVERT).returncode == 0


def test_check_weight_is_held_to_calcs_limits() -> None:
    done = run([*CHECK, "--weight", "100000 kg"])
    one_line(done, "weight", "above the hard limit")
    calc = run([*CALC[:2], "100000 kg", *CALC[3:]])
    one_line(calc, "weight", "above the hard limit")


@pytest.mark.parametrize("quantity", ["1E999999999", "1e5", "Infinity", "NaN"])
def test_an_x12_amount_in_exponent_form_is_refused_before_decimal_reads_it(
        tmp_path: Path, quantity: str) -> None:
    """CTP04 '1E999999999' (11 characters, under X12's 18) overflowed Decimal arithmetic
    into a traceback; it is now refused as not a plain decimal, for its claim alone."""
    from x12_files import Claim, Line, build_837p, ndc11

    from ivigcalc.data.catalog import load

    product = ndc11(load().catalog, "gamunex-c", 10000)
    path = tmp_path / "claims.837"
    path.write_text(build_837p([Claim("C1", (Line("J1561", ("JZ",), 20, ndc11=product,
                                                       quantity=quantity),))]),
                    encoding="utf-8")
    done = run(["check", "--x12", str(path)], timeout=60)
    assert done.returncode == 1, done.stderr
    out = done.stdout.decode("utf-8")
    assert "Traceback" not in out + done.stderr.decode("utf-8")
    assert f"CTP04 (the NDC quantity) '{quantity}' is not" in out
