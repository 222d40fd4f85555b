"""examples/: the shipped X12 files are what scripts/make_x12_examples.py writes, each valid
for pyx12, and the README's three commands give what the README says on them."""

import runpy
from pathlib import Path

import pytest
from helpers import run_cli
from x12_files import validate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def test_the_examples_are_current_and_valid() -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "make_x12_examples.py"))
    made = script["files"]()
    assert sorted(made) == sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in
                                  (".837", ".835"))
    for name, text in made.items():
        assert (EXAMPLES / name).read_text(encoding="utf-8") == text, \
            f"run .venv/bin/python scripts/make_x12_examples.py ({name})"
        assert validate(text) == [], name


def test_check_x12_on_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "check", "--x12", str(EXAMPLES / "claims.837"))
    assert code == 1
    blocks = {block.split(" ", 2)[1]: block for block in out.split("\n\n")
              if block.startswith("Claim ")}
    assert blocks["RIGHT-1"].splitlines()[0].endswith(": ok") or \
        "ERROR" not in blocks["RIGHT-1"]
    assert "jw-missing" in blocks["JWMISSING-2"]
    assert "ndc-code-mismatch" in blocks["WRONGNDC-3"]
    assert "jz-with-waste" in blocks["JZWASTE-4"]
    code, out, _ = run_cli(capsys, "check", "--x12", str(EXAMPLES / "hospital.837"))
    assert code == 1 and "medicare-opps" in out


def test_remit_on_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "remit", str(EXAMPLES / "remittance.835"))
    assert code == 0
    assert "RARC M119: the NDC is missing" in out and "RARC N822" in out
    assert "paid 720.50 USD" in out
