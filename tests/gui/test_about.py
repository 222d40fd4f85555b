"""What IT asks for: the licence, the third-party notices, and the versions of the binding."""

from __future__ import annotations

import importlib.util
import platform
import re
import sys
from pathlib import Path
from types import ModuleType

import PySide6
import pytest
from packaging.markers import Marker
from PySide6.QtCore import QTimer, qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit

from ivigcalc.cli.main import main as cli_main
from ivigcalc.gui import about
from ivigcalc.gui.window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_PYTHON = (3, 11)  # the interpreter the bundle is built with (packaging/README.md)


def _notices_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("notices", ROOT / "scripts" / "notices.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked() -> dict[str, str]:
    """requirements/app.txt's pins that apply to this interpreter."""
    pins = {}
    for line in (ROOT / "requirements" / "app.txt").read_text(encoding="utf-8").splitlines():
        pin = re.match(r"([A-Za-z0-9_.-]+)==([^\s;]+)\s*(?:;\s*([^\\]*))?", line)
        if pin and (not pin[3] or Marker(pin[3].strip()).evaluate()):
            pins[_canonical(pin[1])] = pin[2]
    return pins


def test_version_names_the_qt_binding_and_python(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["--version"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"PySide6 {PySide6.__version__} (Qt {qVersion()})" in out
    assert f"Python {platform.python_version()} (CPython)" in out


def test_the_licence_is_apache_2() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License\n                           Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text  # the full text, not a pointer to it


def test_the_notices_list_every_package_the_app_runs_on_with_its_licence_text() -> None:
    notices = _notices_script()
    committed = (ROOT / "resources" / "third-party-notices.txt").read_text(encoding="utf-8")
    shipped = {d.metadata["Name"]: d.version for d in notices.runtime_closure()}
    assert {"Pint", "PySide6_Essentials", "shiboken6", "flexcache", "flexparser",
            "platformdirs", "typing_extensions"} <= set(shipped)
    installed = {_canonical(name): version for name, version in shipped.items()}
    if sys.version_info[:2] == SHIPPED_PYTHON and installed.items() <= _locked().items():
        # The lock's own environment (not the floors' or another Python's, which lock
        # other versions): re-locked without `python scripts/notices.py`? Then this fails.
        assert notices.notices(None) == committed
    for name in shipped:
        assert f"\n{name} " in committed
    assert "GNU LESSER GENERAL PUBLIC LICENSE\n                       Version 3" in committed
    assert "GNU GENERAL PUBLIC LICENSE\n                       Version 3" in committed
    assert "Contains the Qt" in committed and "BSD" in committed


def test_help_about_names_the_binding_and_the_licences(window: MainWindow) -> None:
    shown: list[str] = []

    def grab() -> None:
        box = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QMessageBox) and w.isVisible())
        shown.append(box.text())
        box.accept()

    QTimer.singleShot(0, grab)  # QMessageBox.about() runs its own loop until answered
    window.findChild(QAction, "aboutAction").trigger()
    assert shown, "Help → About showed no dialog"
    assert about.binding() in shown[0] and "Apache License 2.0" in shown[0]
    assert "LGPL-3.0" in shown[0]


def test_help_third_party_notices_shows_the_notices(window: MainWindow) -> None:
    window.findChild(QAction, "noticesAction").trigger()
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if w.objectName() == "noticesDialog" and w.isVisible())
    view = dialog.findChild(QPlainTextEdit, "noticesView")
    assert view.toPlainText() == about.notices_text()
    assert "PySide6_Essentials" in view.toPlainText()
    dialog.close()
