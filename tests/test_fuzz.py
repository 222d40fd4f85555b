"""Fuzzing at the boundary (issue 9): every CLI flag, every CSV column, every catalog field.

In-process and bounded (a few thousand examples in all, well under a minute): whatever is
typed or read, the program exits 0, 1 or 2, never with a traceback; a refusal (exit 2) is
one line on stderr; and no file of the user's changes. The flags, columns and fields are
read from the parser, batch.COLUMNS and tables.ROWS, so a new one is fuzzed without edits.
Under CI=true the examples are derandomized (the same every run); locally they vary.
The counts are CI's short profile; `./dev fuzz` runs them 20 times longer (helpers.FUZZ).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import FUZZ, examples, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from ivigcalc.check import batch
from ivigcalc.cli.main import build_parser
from ivigcalc.data import catalog, tables
from ivigcalc.data.cms import model as cms_model
from ivigcalc.data.necessity import COVERAGE_ROWS
from ivigcalc.errors import CatalogError

# Text a person or a file might hold: good values, near misses and hostile ones.
SPECIAL = ["", " ", "0", "-1", "1e5000", "inf", "nan", "9" * 5000, "٧٠", "２０", "x" * 300,
           "1,5", "2*3", "=cmd|' /C calc'!A0", "+1", "@x", "\t", "a\nb", "a\rb", "\x1b[31m",
           "\x00", "\u2028", "2025-W01-1", "20250101", "2026-02-30", "'", '"', ";", "|",
           "J1561 JA 55", "3 x 10 g", "27.3 g", "70 kg", "0.4 g/kg", "170 cm", "gamunex-c",
           "medicare", "J1561", "iv", "sc", "2026-01-05", "yes", "D80.0", "10 g, 20 g"]
texts = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=40),
                  st.text(alphabet="0123456789. gkmlbx,;+-/", max_size=25),
                  st.lists(st.sampled_from(SPECIAL), min_size=2, max_size=4).map(" ".join))

GOOD = {
    "--weight": "70 kg", "--dose": "0.4 g/kg", "--product": "gamunex-c", "--height": "170 cm",
    "--administered": "27.3 g", "--vials": "3 x 10 g", "--line": "J1561 JA 55",
    "--date": "2026-01-05", "--dates": "2026-01-05,2026-01-12", "--payer": "medicare",
    "--code": "J1561", "--days": "2", "--iv-dose": "0.4 g/kg", "--interval": "3 weeks",
}
REQUIRED = {"calc": ["--weight", "--dose", "--product"], "convert": ["--iv-dose", "--product"],
            "check": ["--administered", "--vials", "--product", "--line", "--date"]}


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {name: sub for name, sub in action.choices.items() if name not in ("gui", "catalog")}


# --worksheet starts Qt (a QGuiApplication, which the window's tests could not use after it)
# and writes a PDF: tests/gui/test_worksheet_cli.py tries its bad paths and refusals.
NOT_FUZZED = ("--worksheet",)


def options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {a.option_strings[-1]: a for a in parser._actions
            if a.option_strings and not isinstance(a, argparse._HelpAction)
            and a.option_strings[-1] not in NOT_FUZZED}


USER_FILES = {
    "claims.csv": "id,date,product,administered,vials,lines\n"
                  "A-1,2026-01-05,gamunex-c,27.3 g,3 x 10 g,J1561 JA 55\n",
    "site.toml": '[catalog]\nname = "Site"\n',
}


def restore(root: Path) -> None:
    for name, text in USER_FILES.items():
        (root / name).write_text(text, encoding="utf-8")


def argv_inputs(argv: list[str]) -> set[str]:
    return {argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("--csv", "--catalog")}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The user's files: a claims CSV and a site catalog, which must never change."""
    root = tmp_path_factory.mktemp("user")
    restore(root)
    return root


def snapshot(root: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.iterdir() if p.is_file()}


@pytest.fixture
def untouched(home: Path) -> Iterator[Path]:
    """The user's folder; `unchanged` is checked after every example, this after the test."""
    before = snapshot(home)
    yield home
    unchanged(home, before)


def unchanged(home: Path, before: dict[str, str]) -> None:
    after = snapshot(home)
    assert {k: v for k, v in after.items() if k in before} == before


def check_outcome(code: int, out: str, err: str) -> None:
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in err and "Traceback" not in out
    if code == 2:
        assert err.count("\n") == 1 and err.endswith("\n"), err


def path_values(home: Path) -> st.SearchStrategy[str]:
    return st.sampled_from([str(home / "claims.csv"), str(home / "site.toml"), str(home),
                            str(home / "new-report.csv"), "/dev/null", "/nonexistent/x"])


@st.composite
def command_lines(draw: st.DrawFn, home: Path) -> list[str]:
    name, parser = draw(st.sampled_from(sorted(subcommands().items())))
    flags = options(parser)
    argv = [name]
    for flag in REQUIRED.get(name, []):
        if flag in flags and draw(st.integers(0, 5)):  # usually present, sometimes not
            argv += [flag, GOOD[flag]]
    for flag in draw(st.lists(st.sampled_from(sorted(flags)), max_size=5, unique=True)):
        action = flags[flag]
        if action.nargs == 0:
            argv.append(flag)
        elif flag in ("--csv", "--catalog", "--output"):
            argv += [flag, draw(path_values(home))]
        elif action.choices:
            argv += [flag, draw(st.one_of(st.sampled_from(sorted(action.choices)), texts))]
        else:
            argv += [flag, draw(st.one_of(st.just(GOOD.get(flag, "x")), texts))]
    return argv


def test_every_flag_is_covered() -> None:
    flags = {flag for parser in subcommands().values() for flag in options(parser)}
    assert {"--weight", "--dose", "--vials", "--line", "--csv", "--output", "--force"} <= flags


@settings(FUZZ, max_examples=examples(700))
@given(data=st.data())
def test_any_command_line_exits_0_1_or_2_in_one_line(
        data: st.DataObject, untouched: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = data.draw(command_lines(untouched))
    before = snapshot(untouched)
    code, out, err = run_cli(capsys, *argv)
    check_outcome(code, out, err)
    replaced = argv[argv.index("--output") + 1] if "--output" in argv else ""
    if "--force" in argv and code != 2 and replaced not in argv_inputs(argv):
        before.pop(Path(replaced).name, None)  # asked for: --output FILE --force
    unchanged(untouched, before)
    # Put a file that --force replaced back for the next example and for the test's own
    # check at the end (`before` no longer names it, so it cannot be the test here).
    if Path(replaced).name in USER_FILES:
        restore(untouched)
    (untouched / "new-report.csv").unlink(missing_ok=True)


@st.composite
def csv_files(draw: st.DrawFn) -> str:
    columns = draw(st.lists(st.sampled_from([*batch.COLUMNS, "notes", "Vials "]), min_size=1,
                            max_size=len(batch.COLUMNS) + 1))
    if draw(st.booleans()):
        columns = list(dict.fromkeys([*batch.REQUIRED, *columns]))  # usually a usable header
    rows = draw(st.lists(st.lists(texts, min_size=len(columns), max_size=len(columns) + 1),
                         max_size=4))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


@settings(FUZZ, max_examples=examples(250))
@given(text=csv_files(), fmt=st.sampled_from(["csv", "json"]))
def test_any_csv_gives_a_report_of_whole_rows_or_one_refusal(
        text: str, fmt: str, untouched: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = untouched / "fuzz.csv"
    path.write_text(text, encoding="utf-8", newline="")
    code, out, err = run_cli(capsys, "check", "--csv", str(path), "--format", fmt,
                             "--date", "2026-01-05")
    check_outcome(code, out, err)
    if code != 2 and fmt == "csv":
        rows = list(csv.reader(io.StringIO(out, newline="")))
        assert rows[0] == list(batch.REPORT_COLUMNS)
        assert len(rows) == out.count("\n")  # no cell holds a raw line break
        assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row[1:])
    path.unlink()


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}"
                             for c in value) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {toml_value(v)}' for k, v in value.items()) + "}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


scalars = st.one_of(st.integers(-(10**30), 10**30), st.floats(allow_nan=False,
                    allow_infinity=False).map(lambda f: f"{f:.6g}" if "e" not in f"{f:.6g}"
                    else "1.5"), texts, st.booleans(), st.dates(),
                    st.sampled_from(["inf", "nan", "-inf", "1e5000", "1e-30", "9" * 5000,
                                     "0.000001", "1e50"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["code", "from", "until", "hard_min", "hard_max",
                                     "soft_min", "soft_max", "x"]), inner, max_size=3)),
    max_leaves=8)
FIELDS = sorted([(table, name) for table, row in tables.ROWS.items() for name in row.fields]
                + [(f"coverage.{table}", name) for table, row in COVERAGE_ROWS.items()
                   for name in row.fields]
                + [(table, name) for table, row in cms_model.ROWS.items() for name in row.fields])


@settings(FUZZ, max_examples=examples(600))
@given(field=st.sampled_from(FIELDS), value=values,
       key=st.one_of(st.sampled_from(["privigen", "J1459", "medicare", "default", "new-row",
                                      "pid-iv", "actual", "13533-0800-71", "J1561",
                                      "medicare-home-pid"]), texts))
def test_any_catalog_field_loads_or_is_refused_by_file_entry_and_field(
        field: tuple[str, str], value: Any, key: str, untouched: Path) -> None:
    table, name = field
    path = untouched / "fuzz.toml"
    text = f"[{table}.{toml_value(key)}]\n{name} = {toml_value(value)}\n"
    path.write_text(text, encoding="utf-8")
    try:
        catalog.load(path)
    except CatalogError as error:
        message = str(error)
        assert message.startswith(str(path)) and "\n" not in message, message
    path.unlink()


@settings(FUZZ, max_examples=examples(150))
@given(data=st.binary(max_size=200))
def test_any_bytes_as_a_site_catalog_are_refused_or_loaded(data: bytes, untouched: Path,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    path = untouched / "fuzz.toml"
    path.write_bytes(data)
    code, _, err = run_cli(capsys, "catalog", "check", str(path))
    assert code in (0, 1) and "Traceback" not in err
    if code == 1:
        assert err.splitlines()[0].startswith(f"invalid: {path}")
    path.unlink()
