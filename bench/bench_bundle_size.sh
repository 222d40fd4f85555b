#!/usr/bin/env bash
# Bundle size: dist/ivigcalc (from ./dev bundle) against a bare PySide6 "hello" window built
# with the same PyInstaller, one-folder and no UPX, in the same build venv.
#   ./dev bundle && bash bench/bench_bundle_size.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV=build/venv-pkg
[[ -x "$VENV/bin/pyinstaller" && -d dist/ivigcalc ]] || { echo "run ./dev bundle first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/hello.py" <<'PY'
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("hello"))
window.show()
app.exec()
PY
(cd "$work" && "$OLDPWD/$VENV/bin/pyinstaller" --noconfirm --onedir --noupx --name hello \
    --distpath "$work/dist" --workpath "$work/build" hello.py >"$work/log" 2>&1) \
    || { tail -20 "$work/log" >&2; exit 1; }
size() { printf '%12s bytes  %5s  %4s files' "$(du -sb "$1" | cut -f1)" \
    "$(du -sh "$1" | cut -f1)" "$(find "$1" -type f | wc -l)"; }
echo "bare PySide6 hello (one-folder, no UPX): $(size "$work/dist/hello")"
echo "ivigcalc (packaging/ivigcalc.spec):       $(size dist/ivigcalc)"
