"""Test-wide setup: Qt runs headless, and nothing reads the developer's own site catalog."""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.pop("IVIGCALC_CATALOG", None)
