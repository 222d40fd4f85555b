"""Fuzzing the settings file (issue 25): whatever ivigcalc.ini holds, preferences read as
defaults or as valid choices, every stored number is bounded before it is parsed, and what
was not used is one note (CI's short profile; `./dev fuzz` runs it longer)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from helpers import FUZZ, examples
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QSettings

from ivigcalc.gui import prefs

SIZES = (Fraction(1000), Fraction(2500), Fraction(5000), Fraction(10000))
KEYS = [*prefs.PREFERENCES, "stocked_vials/gamunex-c", "stocked_vials/privigen", "weight",
        "stocked_vials/", "General/x"]
VALUES = st.one_of(
    st.sampled_from(["1e999999999", "9" * 5000, "1000 2500", "2500", "NaN", "inf", "-1",
                     "1/0", "0", "10000 " * 40, "1 2 3", "gamunex-c", "lb", "mg/kg",
                     "@Variant(\\0\\0\\0\\x7f)", "@ByteArray(AAAA)", '"quoted"', "a\\nb",
                     "x" * 5000]),
    st.text(max_size=40))


@st.composite
def ini_files(draw: st.DrawFn) -> str:
    lines = []
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=6)):
        group, _, name = key.rpartition("/")
        lines += [f"[{group or 'General'}]", f"{name or 'x'}={draw(VALUES)}"]
    if draw(st.booleans()):
        lines.append(draw(st.text(max_size=60)))  # a line of anything
    return "\n".join(lines) + "\n"


@settings(FUZZ, max_examples=examples(150))
@given(text=ini_files())
def test_any_settings_file_gives_valid_preferences_or_defaults(
        text: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("ini") / "ivigcalc.ini"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    stored = prefs.Preferences(QSettings(str(path), QSettings.Format.IniFormat))
    assert all("\n" not in note for note in stored.notes)
    for key, pref in prefs.PREFERENCES.items():
        value = stored.get(key, ["gamunex-c", "medicare"])
        assert isinstance(value, str) and len(value) <= prefs.MAX_VALUE_CHARS
        if pref.choices:
            assert value in pref.choices
    for product in ("gamunex-c", "privigen"):
        ticked = stored.stocked(product, SIZES)
        assert ticked and set(ticked) <= set(SIZES)


def test_a_large_settings_file_is_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "ivigcalc.ini"
    path.write_bytes(b"[General]\nproduct=gamunex-c\n" + b"; padding\n" * 30_000)
    assert prefs.file_problem(path) == f"is {path.stat().st_size:,} bytes, more than " \
        "preferences ever take"
    assert prefs.file_problem(tmp_path / "missing.ini") is None
