"""Write the third-party notices: every package ivigcalc ships, its licence and its text.

    python scripts/notices.py                      # -> resources/third-party-notices.txt
    python scripts/notices.py --bundle dist/ivigcalc OUT   # a built bundle: + Python, + host libs

Run with the interpreter of an environment installed from the lock (./dev, the bundle's
build venv): the list is ivigcalc's runtime dependencies as installed there, read from
their metadata (name, version, licence, licence files), so it can never drift from what
was installed. The Qt binding's wheels carry no licence file, so the LGPL-3.0 and GPL-3.0
texts they name ship in resources/licenses/. With --bundle it adds what PyInstaller puts
beside them: the Python runtime and, on Linux, the system libraries copied from the build
host (each with its Debian copyright file).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "third-party-notices.txt"
LICENSES = ROOT / "resources" / "licenses"
# Where a wheel carries no licence file, the texts its licence expression names.
TEXTS = {"LGPL-3.0-only": "LGPL-3.0.txt", "GPL-3.0-only": "GPL-3.0.txt"}
# What the Qt binding's metadata does not say: that it carries Qt itself, and where its
# source is (LGPL-3.0 section 4 asks that the user can get and relink it).
EXTRA = {
    "pyside6-essentials": "Contains the Qt {version} libraries (Qt Base and the Qt modules "
                          "ivigcalc uses), (c) The Qt Company Ltd and other contributors, "
                          "used under the LGPL-3.0. Source of Qt: "
                          "https://download.qt.io/official_releases/qt/ ; of Qt for Python: "
                          "https://download.qt.io/official_releases/QtForPython/ . The "
                          "bundle keeps them as separate shared libraries, so they can be "
                          "replaced with a build of your own.",
}
RULE = "=" * 78


def runtime_closure(root: str = "ivigcalc") -> list[metadata.Distribution]:
    """The installed distributions `root` needs at run time (its extras left out)."""
    env = default_environment()
    seen: dict[str, metadata.Distribution] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        dist = metadata.distribution(name)
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is not None and not req.marker.evaluate(env | {"extra": ""}):
                continue
            key = _key(req.name)
            if key not in seen:
                seen[key] = metadata.distribution(req.name)
                todo.append(req.name)
    return sorted(seen.values(), key=lambda d: _key(d.metadata["Name"]))


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def licence(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    if meta.get("License-Expression"):
        return meta["License-Expression"]
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    return meta.get("License") or ", ".join(classifiers) or "see the licence text"


def home(dist: metadata.Distribution) -> str:
    urls = dict(u.split(", ", 1) for u in dist.metadata.get_all("Project-URL") or [])
    return dist.metadata.get("Home-page") or urls.get("Homepage") or next(iter(urls.values()),
                                                                         "")


def licence_texts(dist: metadata.Distribution) -> list[tuple[str, str]]:
    """(file name, text) of the licence files the wheel carries, else the named texts."""
    found = [(Path(str(f)).name, f.read_text(encoding="utf-8")) for f in dist.files or []
             if Path(str(f)).name.upper().startswith(("LICENSE", "LICENCE", "COPYING"))
             and ".dist-info" in str(f)]
    if found:
        return found
    named = [TEXTS[part] for part in re.split(r"\s+OR\s+|\s+AND\s+", licence(dist))
             if part in TEXTS]
    return [(name, (LICENSES / name).read_text(encoding="utf-8")) for name in named]


_printed: dict[str, str] = {}  # licence text -> the entry that printed it first


def section(title: str, facts: list[str], texts: list[tuple[str, str]]) -> str:
    parts = [RULE, title, RULE, *facts, ""]
    for name, body in texts:
        if body in _printed:  # the LGPL and GPL texts once, not under every Qt wheel
            parts += [f"--- {name}: the same text as under {_printed[body]} above ---", ""]
            continue
        _printed[body] = title
        parts += [f"--- {name} ---", body.rstrip(), ""]
    return "\n".join(parts) + "\n"


def package_sections() -> list[str]:
    out = []
    for dist in runtime_closure():
        name, version = dist.metadata["Name"], dist.version
        facts = [f"Licence: {licence(dist)}", f"Home: {home(dist)}"]
        if _key(name) in EXTRA:
            facts.append(EXTRA[_key(name)].format(version=version))
        if " OR " in licence(dist):
            facts.append("ivigcalc uses it under the first licence named (LGPL-3.0), whose "
                         "text follows together with the GPL-3.0 it builds on.")
        out.append(section(f"{name} {version}", facts, licence_texts(dist)))
    return out


def python_section() -> str:
    candidates = [Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt",
                  Path(sys.base_prefix) / "LICENSE.txt"]
    text = next((p.read_text(encoding="utf-8") for p in candidates if p.is_file()), None)
    if text is None:
        raise SystemExit(f"notices: no LICENSE.txt for Python in {candidates}")
    version = sys.version.split()[0]
    return section(f"Python {version} (the interpreter and standard library in the bundle)",
                   ["Licence: PSF-2.0", "Home: https://www.python.org/"],
                   [("LICENSE.txt", text)])


def _part_of_python(lib: Path) -> bool:
    """The interpreter's own library and extension modules: under Python's licence above
    (they come from the build's Python, which need not be Debian's)."""
    return ("lib-dynload" in lib.parts or ".cpython-" in lib.name
            or lib.name.startswith("libpython"))


def host_library_sections(bundle: Path) -> list[str]:
    """Libraries PyInstaller copied from a Debian build host, by the package that owns them."""
    packages: dict[str, list[str]] = {}
    wheel_dirs = ("PySide6", "shiboken6")
    for lib in sorted(bundle.rglob("*.so*")):
        if any(part in wheel_dirs for part in lib.parts) or _part_of_python(lib):
            continue
        found = subprocess.run(["dpkg", "-S", f"*/{lib.name}"], capture_output=True,
                               text=True, check=False)
        if found.returncode == 0:
            package = found.stdout.split(":", 1)[0].strip()
            packages.setdefault(package, []).append(lib.name)
    out = []
    for package, libs in sorted(packages.items()):
        copyright_file = Path("/usr/share/doc") / package / "copyright"
        version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                                 capture_output=True, text=True, check=False).stdout
        texts = [("copyright", copyright_file.read_text(encoding="utf-8", errors="replace"))
                 ] if copyright_file.is_file() else []
        out.append(section(f"{package} {version} (Debian; the build host's copy)",
                           [f"Files: {', '.join(libs)}"], texts))
    return out


def notices(bundle: Path | None) -> str:
    head = ("Third-party software in ivigcalc\n\n"
            "ivigcalc itself is under the Apache License 2.0 (LICENSE). It uses the software "
            "below, each under its own licence, whose text follows its entry.\n\n")
    _printed.clear()
    body = package_sections()
    if bundle is not None:
        body.append(python_section())
        if sys.platform.startswith("linux"):
            body += host_library_sections(bundle)
    return head + "".join(body)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, help="a built PyInstaller folder")
    parser.add_argument("out", nargs="?", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.write_text(notices(args.bundle), encoding="utf-8")
    print(f"notices: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
