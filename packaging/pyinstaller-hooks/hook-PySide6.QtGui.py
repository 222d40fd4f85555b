# ivigcalc: replacement for PyInstaller's stock hook for PySide6.QtGui.
#
# The stock hook collects every plugin of every type that QtGui owns
# (platforms, platformthemes, imageformats, wayland-*, egldeviceintegrations,
# generic, xcbglintegrations, ...). Binary dependency analysis then pulls in
# whatever those plugins link against (e.g. the GTK 3 stack for the gtk3
# platform theme). Dropping plugins here, *before* that analysis runs, keeps
# their dependencies out of the bundle too; filtering a.binaries in the spec
# afterwards would leave those orphaned libraries behind.
#
# Policy lives in the spec file:
#   hooksconfig={"ivigcalc.qt": {"keep_plugins": ["platforms/qxcb", ...]}}
# Each entry is "<plugin type>/<stem>" where <stem> is the file name without
# a leading "lib" and without the extension; fnmatch wildcards are allowed.
# Without that setting, this hook behaves exactly like the stock one.

import fnmatch
import os

from PyInstaller.utils.hooks import get_hook_config, logger
from PyInstaller.utils.hooks.qt import add_qt6_dependencies


def _plugin_key(src, dest_dir):
    """Return "type/stem" for a Qt plugin, or None if not a plugin."""
    parts = dest_dir.replace("\\", "/").split("/")
    if "plugins" not in parts:
        return None
    plugin_type = "/".join(parts[parts.index("plugins") + 1:])
    stem = os.path.basename(src).split(".")[0]
    if stem.startswith("lib"):
        stem = stem[3:]
    return f"{plugin_type}/{stem}"


def hook(hook_api):
    # add_qt6_dependencies() derives the module name from this file's name.
    hiddenimports, binaries, datas = add_qt6_dependencies(__file__)

    keep = get_hook_config(hook_api, "ivigcalc.qt", "keep_plugins")
    if keep is not None:
        kept = []
        for src, dest_dir in binaries:
            key = _plugin_key(src, dest_dir)
            if key is None or any(fnmatch.fnmatch(key, pat) for pat in keep):
                kept.append((src, dest_dir))
            else:
                logger.info("ivigcalc hook: not collecting Qt plugin %s", key)
        binaries = kept

    hook_api.add_imports(*hiddenimports)
    if binaries:
        hook_api.add_binaries(binaries)
    if datas:
        hook_api.add_datas(datas)
