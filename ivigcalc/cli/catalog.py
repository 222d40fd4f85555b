"""`ivigcalc catalog check PATH`: validate a site catalog and list what it would change.
(`ivigcalc catalog import-cms` lives in cms_import.py, `import-mue` in mue_import.py.)

A site pharmacist runs this before putting a new quarter's file on the shared drive, so a
typo is caught at their desk and not by the app on a clinic workstation.
"""

from __future__ import annotations

import argparse
import sys

from ivigcalc.data import catalog
from ivigcalc.errors import CatalogError, printable


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from ivigcalc.cli.main import OneLineParser

    p = sub.add_parser("catalog", help="check a site catalog file",
                       description="Work with site catalog files (TOML) that override or add "
                       "rows to the bundled codes, products, payers, policies, limits and "
                       "presets.")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True,
                               parser_class=OneLineParser)
    check = actions.add_parser("check", help="validate PATH and list what it changes")
    check.add_argument("path", metavar="PATH")
    check.set_defaults(run=run_check)
    where = actions.add_parser("where", help="print which site catalog is in use")
    where.set_defaults(run=run_where)
    from ivigcalc.cli import cms_import, mue_import

    cms_import.register(actions)
    mue_import.register(actions)


def run_check(args: argparse.Namespace) -> int:
    """Exit 0 when the file is valid (its changes listed), 1 when it is not."""
    try:
        loaded = catalog.load(args.path)
    except CatalogError as error:
        print(f"invalid: {error}", file=sys.stderr)
        print("The app would ignore this file and use the bundled catalog.", file=sys.stderr)
        return 1
    changes = loaded.changes
    print(f"valid: {args.path}")
    print(f"catalog {loaded.catalog.version}")
    if not changes:
        print("It changes nothing in the bundled catalog.")
    for change in changes:
        print(f"  {change.describe()}")
    return 0


def run_where(args: argparse.Namespace) -> int:
    path = catalog.site_path_from_env()
    if path is None:
        print(f"No site catalog: ${catalog.ENV_VAR} is not set; the bundled catalog is used.")
        return 0
    _, problem = catalog.load_with_fallback(path)  # the window's own rule, whatever fails
    if problem:
        print(f"${catalog.ENV_VAR}={printable(path)} is broken and ignored: {problem}")
        return 1
    print(f"${catalog.ENV_VAR}={printable(path)} (valid)")
    return 0
