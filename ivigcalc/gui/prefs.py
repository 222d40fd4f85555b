"""Preferences, declared in one place: what the window remembers between sessions.

Only workstation habits are kept: the last product, the payer, the vial sizes on the shelf
for each product, and the height and dose unit selectors. Not the weight unit: kg is the
working unit (ISMP), and a window that opened in lb after someone once chose it would read
"78" as 35.4 kg. Never a weight, a height, a sex, a name or a date:
those are patient data and stay in memory only. Everything the window may write is listed
in PREFERENCES (plus one stocked-vials key per product), and tests check that nothing else
ever reaches the settings file.

The settings file is read like any other file: QSettings would block on a FIFO put in its
place and write through a symlink, so the file is looked at first (`open_settings`), and a
file that is not a regular file, or is larger than any real one, is left alone: the
session starts from the defaults and keeps its choices in a private file, with a note in
the status bar. Every value is bounded before it is parsed; one that is not is ignored,
with a note.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QSettings

ORGANIZATION = "ivigcalc"
APPLICATION = "ivigcalc"
STOCKED_VIALS_GROUP = "stocked_vials"  # one key per product: sizes ticked, in mg
MAX_FILE_BYTES = 256 * 1024  # a real settings file is well under 2 kB
MAX_VALUE_CHARS = 4096  # the window's geometry, base64: about 100 characters
# Stocked sizes in mg as str(Fraction) writes them, space-separated: "1000 2500 5000".
_SIZE = r"[0-9]{1,9}(?:/[1-9][0-9]{0,8})?"  # never a zero denominator
_SIZES = re.compile(rf"{_SIZE}(?: {_SIZE}){{0,23}}")
_PROBE = "ivigcalc-settings-probe"  # a settings name never written: asks Qt for the folder


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
        Preference("vial_preference_units", "", why="a site choice, kept only where the "
                   "site catalog lets each workstation make it"),
        Preference("site_340b", "", ("", "JG", "TB"), why="whether this site is a 340B "
                   "covered entity, and its modifier (a site setting, not patient data)"),
        Preference("site_catalog", "", why="the site catalog file this workstation uses "
                   "when IVIGCALC_CATALOG is not set (File → Update CMS data… offers it)"),
    )
}


def default_settings() -> QSettings:
    """The per-user settings file (an INI file on every platform, so tests can redirect it)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION,
                     APPLICATION)


def settings_path() -> Path:
    """Where default_settings() keeps its file, found without opening it (QSettings reads
    its file as it is made, and a FIFO there would block)."""
    probe = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION,
                      _PROBE)
    return Path(probe.fileName()).with_name(f"{APPLICATION}.ini")


def file_problem(path: Path) -> str | None:
    """Why the settings file at `path` must not be opened, or None (a missing file is
    fine: QSettings makes it)."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if info.st_size > MAX_FILE_BYTES:
        return f"is {info.st_size:,} bytes, more than preferences ever take"
    return None


def open_settings() -> tuple[QSettings, str | None]:
    """The per-user settings, or (when their file must not be opened) a private file in
    the temporary folder for this session, and the note that says so."""
    path = settings_path()
    problem = file_problem(path)
    if problem is None:
        return default_settings(), None
    from PySide6.QtCore import QTemporaryDir

    global _private
    _private = QTemporaryDir()
    private = QSettings(os.path.join(_private.path(), f"{APPLICATION}.ini"),
                        QSettings.Format.IniFormat)
    return private, (f"Preferences not used: {path} {problem}; this session starts from the "
                     "defaults and saves no preferences")


_private: object = None  # the session's private settings folder, removed at exit


def allowed_key(key: str) -> bool:
    """True for the keys this module writes; everything else is a bug (or patient data)."""
    group, _, rest = key.partition("/")
    return key in PREFERENCES or (group == STOCKED_VIALS_GROUP and bool(rest))


def _bounded(key: str, value: object) -> bool:
    """True when a stored value is short and shaped as this module writes it."""
    if not isinstance(value, str) or len(value) > MAX_VALUE_CHARS:
        return False
    return key.partition("/")[0] != STOCKED_VIALS_GROUP or bool(_SIZES.fullmatch(value))


class Preferences:
    """Typed, validated access to the declared preferences over one QSettings.

    `notes` says what was not used: the file itself (open_settings) and any value out of
    bounds, which is ignored (its default used) and left in the file as it was.
    """

    def __init__(self, settings: QSettings, note: str | None = None) -> None:
        self.settings = settings
        self.notes = [note] if note else []
        ignored = [key for key in settings.allKeys()
                   if allowed_key(key) and not _bounded(key, settings.value(key))]
        if ignored:
            self.notes.append(f"Preferences ignored (not as ivigcalc writes them): "
                              f"{', '.join(sorted(ignored)[:5])}")

    def get(self, key: str, allowed: Iterable[str] = ()) -> str:
        """The stored value if it is still valid (a catalog may have dropped it), else default."""
        pref = PREFERENCES[key]
        value = self.settings.value(key, pref.default)
        choices = pref.choices or tuple(allowed)
        if not _bounded(key, value) or (choices and value not in choices):
            return pref.default
        assert isinstance(value, str)
        return value

    def set(self, key: str, value: str) -> None:
        if key not in PREFERENCES:
            raise KeyError(f"'{key}' is not a declared preference")
        self.settings.setValue(key, value)

    def stocked(self, product_key: str, sizes_mg: tuple[Fraction, ...],
                default: tuple[Fraction, ...] | None = None) -> tuple[Fraction, ...]:
        """The sizes of this product ticked last time (`default`, else all of them, the
        first time: a labeled size without a CMS NDC is never ticked by default)."""
        first = sizes_mg if default is None else default
        key = f"{STOCKED_VIALS_GROUP}/{product_key}"
        stored = self.settings.value(key)
        if not isinstance(stored, str) or not _bounded(key, stored):
            return first  # bounded before Fraction(): '1e999999999' would never finish
        remembered = {Fraction(part) for part in stored.split()}
        kept = tuple(size for size in sizes_mg if size in remembered)
        # An empty record only ever comes from a catalog change; start again from all sizes.
        return kept or first

    def set_stocked(self, product_key: str, sizes_mg: Iterable[Fraction]) -> None:
        text = " ".join(str(size) for size in sorted(sizes_mg))  # mg, e.g. "1000 2500"
        self.settings.setValue(f"{STOCKED_VIALS_GROUP}/{product_key}", text)
