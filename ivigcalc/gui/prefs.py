"""Preferences, declared in one place: what the window remembers between sessions.

Only workstation habits are kept: the last product, the payer, the vial sizes on the shelf
for each product, and the height and dose unit selectors. Not the weight unit: kg is the
working unit (ISMP), and a window that opened in lb after someone once chose it would read
"78" as 35.4 kg. Never a weight, a height, a sex, a name or a date:
those are patient data and stay in memory only. Everything the window may write is listed
in PREFERENCES (plus one stocked-vials key per product), and tests check that nothing else
ever reaches the settings file.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import NamedTuple

from PySide6.QtCore import QSettings

ORGANIZATION = "ivigcalc"
APPLICATION = "ivigcalc"
STOCKED_VIALS_GROUP = "stocked_vials"  # one key per product: sizes ticked, in mg


class Preference(NamedTuple):
    """One remembered setting: its key, default and allowed values (empty: any). A
    NamedTuple, not a frozen dataclass: cheaper to make before the first paint."""

    key: str
    default: str
    choices: tuple[str, ...] = ()  # empty: checked against the catalog by the caller
    why: str = ""


PREFERENCES: dict[str, Preference] = {
    p.key: p for p in (
        Preference("product", "gamunex-c", why="the product a site mostly dispenses"),
        Preference("payer", "medicare", why="the payer a site mostly bills"),
        Preference("height_unit", "cm", ("cm", "in"), "the stadiometer's unit"),
        Preference("dose_unit", "g/kg", ("g/kg", "mg/kg"), "how orders are written"),
        Preference("window/geometry", "", why="where the window was; not patient data"),
    )
}


def default_settings() -> QSettings:
    """The per-user settings file (an INI file on every platform, so tests can redirect it)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION,
                     APPLICATION)


def allowed_key(key: str) -> bool:
    """True for the keys this module writes; everything else is a bug (or patient data)."""
    group, _, rest = key.partition("/")
    return key in PREFERENCES or (group == STOCKED_VIALS_GROUP and bool(rest))


class Preferences:
    """Typed, validated access to the declared preferences over one QSettings."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def get(self, key: str, allowed: Iterable[str] = ()) -> str:
        """The stored value if it is still valid (a catalog may have dropped it), else default."""
        pref = PREFERENCES[key]
        value = self.settings.value(key, pref.default)
        choices = pref.choices or tuple(allowed)
        if not isinstance(value, str) or (choices and value not in choices):
            return pref.default
        return value

    def set(self, key: str, value: str) -> None:
        if key not in PREFERENCES:
            raise KeyError(f"'{key}' is not a declared preference")
        self.settings.setValue(key, value)

    def stocked(self, product_key: str, sizes_mg: tuple[Fraction, ...]) -> tuple[Fraction, ...]:
        """The sizes of this product ticked last time (all of them the first time)."""
        stored = self.settings.value(f"{STOCKED_VIALS_GROUP}/{product_key}")
        if not isinstance(stored, str):
            return sizes_mg
        try:
            remembered = {Fraction(part) for part in stored.split()}
        except ValueError:
            return sizes_mg
        kept = tuple(size for size in sizes_mg if size in remembered)
        # An empty record only ever comes from a catalog change; start again from all sizes.
        return kept or sizes_mg

    def set_stocked(self, product_key: str, sizes_mg: Iterable[Fraction]) -> None:
        text = " ".join(str(size) for size in sorted(sizes_mg))  # mg, e.g. "1000 2500"
        self.settings.setValue(f"{STOCKED_VIALS_GROUP}/{product_key}", text)
