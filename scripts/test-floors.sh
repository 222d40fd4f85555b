#!/usr/bin/env bash
# Prove the floors in pyproject.toml: a venv with the lowest runtime versions we claim to
# support, the test tools from the lock, then the whole suite (soak included).
#
#   bash scripts/test-floors.sh [pytest options]
#
# The runtime floors are read from pyproject.toml (pint >= X, PySide6-Essentials >= Y), so
# raising a floor there is what this script then tests. The test tools come from
# requirements/test.txt (hashed); only the runtime packages are swapped for their floors.
# Not part of .ci/run: it installs a second Qt (~1 min) and runs the suite again; see the
# README ("Supported versions") for its last result.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
VENV="build/venv-floors"

floors=$("$PYTHON" - <<'EOF'
import re, tomllib
deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]
wanted = {}
for dep in deps:
    name, spec = re.match(r"\s*([A-Za-z0-9_.-]+)\s*([^;]*)", dep).groups()
    floor = re.search(r">=\s*([0-9][0-9.]*)", spec)
    if floor is None:
        raise SystemExit(f"test-floors: {dep!r} states no floor")
    wanted.setdefault(name, floor.group(1))
for name, version in wanted.items():
    print(f"{name}=={version}")
EOF
)
# shiboken6 is released in lockstep with PySide6: its floor is the binding's.
shiboken=$(sed -n 's/^PySide6-Essentials==/shiboken6==/p' <<<"$floors")
echo "test-floors: runtime floors:" $floors $shiboken

start=$SECONDS
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check --quiet)
"${PIP[@]}" install --require-hashes --no-deps -r requirements/test.txt
# The floors replace the locked runtime versions; pip check then proves that the locked
# transitive dependencies (flexparser, flexcache, ...) accept them.
"${PIP[@]}" install --no-deps $floors $shiboken
"${PIP[@]}" install --no-deps --no-build-isolation -e .
"$VENV/bin/python" -m pip check
"$VENV/bin/python" - <<'EOF'
from importlib.metadata import version
import sys
print("test-floors: Python", sys.version.split()[0], "· pint", version("pint"),
      "· PySide6-Essentials", version("PySide6-Essentials"))
EOF
echo "test-floors: venv ready in $((SECONDS - start)) s"
QT_QPA_PLATFORM=offscreen "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
echo "test-floors: passed in $((SECONDS - start)) s"
