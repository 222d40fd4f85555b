"""Helpers shared by the CLI and property tests (imported as `helpers`)."""

import datetime as dt

import pytest
from hypothesis import strategies as st

from ivigcalc.cli.main import main
from ivigcalc.data.catalog import load

CATALOG = load().catalog


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `ivigcalc ARGV`, run in this process."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse usage errors exit through SystemExit
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# A random valid order as the CLI would take it (hard limits may still refuse some).
orders = st.fixed_dictionaries({
    "weight": st.integers(min_value=30, max_value=1500).map(lambda w: f"{w / 10} kg"),
    "dose": st.integers(min_value=1, max_value=400).map(lambda d: f"{d * 5} mg/kg"),
    "product": st.sampled_from(sorted(CATALOG.products)),
    "per": st.sampled_from(["day", "course"]),
    "days": st.integers(min_value=1, max_value=5),
    "payer": st.sampled_from(sorted(CATALOG.payers)),
    "rounding": st.sampled_from(["none", "nearest-vial", "nearest-5g"]),
    "kx": st.booleans(),
    "date_of_service": st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2027, 12, 31)),
})
