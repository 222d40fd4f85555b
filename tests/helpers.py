"""Helpers shared by the CLI and property tests (imported as `helpers`)."""

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from ivigcalc.cli.main import main
from ivigcalc.data.catalog import load

CATALOG = load().catalog

# The fuzz suites' settings. CI runs the short profile (the counts written at each test);
# `./dev fuzz` sets IVIGCALC_FUZZ_SCALE (default there 20) for the long run on demand.
# Under CI=true the examples are derandomized (the same every run); locally they vary.
FUZZ = settings(deadline=None, derandomize=os.environ.get("CI") == "true",
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture],
                database=None)
FUZZ_SCALE = max(1, int(os.environ.get("IVIGCALC_FUZZ_SCALE", "1") or "1"))


def examples(short: int) -> int:
    """How many examples a fuzz test draws: `short` in CI, more on demand."""
    return short * FUZZ_SCALE


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
