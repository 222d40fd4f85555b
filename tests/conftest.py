"""Test-wide setup: Qt runs headless, and nothing reads the developer's own site catalog."""

import os

from hypothesis import settings

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.pop("IVIGCALC_CATALOG", None)

# `--hypothesis-profile mutation` (./dev mutate): the same examples on every run, nothing
# saved between runs, no deadline, so that a mutant is killed or survives repeatably.
settings.register_profile("mutation", derandomize=True, database=None, deadline=None)
