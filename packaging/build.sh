#!/usr/bin/env bash
# Build the one-folder ivigcalc bundle on Linux and smoke-test it.
#
#   bash packaging/build.sh            # -> dist/ivigcalc/ivigcalc
#
# Steps: fresh venv in build/venv-pkg, `pip install <repo>` (non-editable)
# plus the pinned build tools, PyInstaller with packaging/ivigcalc.spec, then
# `ivigcalc --version`, `ivigcalc --self-test` and `--self-test --soak 5000` from the
# bundle on the Qt offscreen platform. Exits non-zero on any failure. Safe to re-run: the
# venv, build/pyinstaller and dist/ivigcalc are recreated every time.
#
# Environment:
#   PYTHON      interpreter for the venv (default: python3; needs >= 3.11)
#   KEEP_VENV=1 reuse build/venv-pkg if it exists (faster local re-runs)
#
# Host needs: python3 with venv, binutils (objdump, strip: used by
# PyInstaller), ldd. The system libraries Qt links to are copied into the
# bundle only if they are installed on the build host: see README.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="$REPO/build/venv-pkg"
WORK="$REPO/build/pyinstaller"
DIST="$REPO/dist"
BUNDLE="$DIST/ivigcalc"
LOG="$REPO/build/pyinstaller.log"

say() { printf '\n== %s\n' "$*"; }
die() { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }

for tool in objdump strip ldd; do
    command -v "$tool" >/dev/null || die "'$tool' not found (Debian: apt-get install binutils libc-bin)"
done
"$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11), sys.version' \
    || die "$PYTHON must be Python >= 3.11"

start=$(date +%s)
mkdir -p "$REPO/build"

if [[ "${KEEP_VENV:-0}" == 1 && -x "$VENV/bin/python" ]]; then
    say "reusing $VENV"
else
    say "creating venv $VENV"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV" || die "venv creation failed (Debian: apt-get install python3-venv)"
fi
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)
say "installing the lock (requirements/bundle.txt) and ivigcalc (non-editable)"
"${PIP[@]}" install --quiet --require-hashes --no-deps -r "$REPO/requirements/bundle.txt"
# --force-reinstall: with a reused venv the current source is what gets frozen even if
# __version__ did not change. No build isolation: setuptools comes from the lock too.
"${PIP[@]}" install --quiet --force-reinstall --no-deps --no-build-isolation "$REPO"
if "$VENV/bin/python" -c 'import numpy' 2>/dev/null; then
    echo "note: numpy is installed in the build venv; the spec excludes it from the bundle"
fi

say "running PyInstaller (log: $LOG)"
rm -rf "$WORK" "$BUNDLE"
t0=$(date +%s)
# Run from build/ so the repo checkout itself is not on sys.path: the frozen
# code is the installed copy of ivigcalc.
if ! (cd "$REPO/build" && "$VENV/bin/pyinstaller" --noconfirm --clean \
        --distpath "$DIST" --workpath "$WORK" "$HERE/ivigcalc.spec") >"$LOG" 2>&1; then
    tail -n 40 "$LOG" >&2
    die "PyInstaller failed"
fi
t1=$(date +%s)
echo "PyInstaller took $((t1 - t0)) s"
# Libraries that Qt needs but that were not on the build host: they are not
# in the bundle, so the target machine must provide them.
if grep -q "WARNING: Library not found" "$LOG"; then
    echo "system libraries NOT bundled (missing on this build host):"
    grep -o "could not resolve '[^']*'" "$LOG" | sort -u | sed 's/^/  /'
fi

say "licence and third-party notices (from the build venv's installed metadata)"
# The notices inside the bundle (Help → Third-party notices) are regenerated for exactly
# what was frozen: the packages, the Python runtime and the host libraries PyInstaller copied.
NOTICES="$BUNDLE/_internal/ivigcalc/resources/third-party-notices.txt"
"$VENV/bin/python" "$REPO/scripts/notices.py" --bundle "$BUNDLE" "$NOTICES"
cp "$REPO/LICENSE" "$BUNDLE/LICENSE"
cp "$NOTICES" "$BUNDLE/THIRD-PARTY-NOTICES.txt"
grep -q "^Python " "$NOTICES" && grep -q "^PySide6_Essentials " "$NOTICES" \
    || die "the bundle's notices miss Python or the Qt binding"

say "checking bundle"
EXE="$BUNDLE/ivigcalc"
[[ -x "$EXE" ]] || die "$EXE missing"
if find "$BUNDLE" -path '*numpy*' -print -quit | grep -q .; then
    die "numpy ended up in the bundle"
fi
[[ -f "$BUNDLE/_internal/ivigcalc/resources/units.txt" ]] \
    || die "resources not at _internal/ivigcalc/resources"

export QT_QPA_PLATFORM=offscreen
export LANG="${LANG:-C.UTF-8}"
[[ "$LANG" == C || "$LANG" == POSIX ]] && export LANG=C.UTF-8
timeout 60 "$EXE" --version || die "'ivigcalc --version' failed"
timeout 120 "$EXE" --self-test || die "'ivigcalc --self-test' failed"
# A shift of typing at the frozen window, every answer checked against the engine: the
# bundle ships its own Qt binding, so it is soaked too (issue 8; about 20 s).
timeout 900 "$EXE" --self-test --soak "${SOAK_KEYSTROKES:-5000}" \
    || die "'ivigcalc --self-test --soak' failed (a crash here is the Qt binding: see README)"

say "bundle size"
du -sh "$BUNDLE"
echo "$(du -sb "$BUNDLE" | cut -f1) bytes, $(find "$BUNDLE" -type f | wc -l) files"
echo "total build time $(( $(date +%s) - start )) s"
