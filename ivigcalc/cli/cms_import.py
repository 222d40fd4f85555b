"""`ivigcalc catalog import-cms FILE... --output PATH.toml`: a CMS quarter as a site catalog.

A site pharmacist or coder downloads the quarter's ASP NDC-HCPCS crosswalk, ASP pricing
file and (when published) OPPS Addendum B, runs this, reads what changes, and points
IVIGCALC_CATALOG at the file. `--resources DIR` writes the bundled form instead (how the
project regenerates resources/ from tests/fixtures/cms/).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ivigcalc.cli.main import add_catalog_option, open_catalog, parse_date
from ivigcalc.data import files
from ivigcalc.errors import InputError


def register(actions: argparse._SubParsersAction[Any]) -> None:
    p = actions.add_parser(
        "import-cms", help="import a CMS quarter (crosswalk, pricing file, Addendum B)",
        description="Read one quarter's CMS ASP NDC-HCPCS crosswalk, ASP pricing file and "
        "(optional) OPPS Addendum B, as CSV or as the zip CMS distributes, and write a "
        "site catalog with their NDCs, billing units, payment limits and status indicators.")
    p.add_argument("files", metavar="FILE", nargs="+")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--output", metavar="PATH.toml",
                       help="the site catalog to add the quarters to (made if missing; the "
                            "previous version kept as PATH.toml.bak)")
    where.add_argument("--resources", metavar="DIR", help=argparse.SUPPRESS)
    add_update_options(p)
    add_catalog_option(p)
    p.set_defaults(run=run_import)


def add_update_options(p: argparse.ArgumentParser) -> None:
    """--force and --checked, as import-cms and import-mue both take them."""
    p.add_argument("--force", action="store_true",
                   help="replace an existing --output file that is not a site catalog (never "
                        "an input)")
    p.add_argument("--checked", metavar="YYYY-MM-DD",
                   help="the date the rows were checked (default: today)")


def _write(path: Path, text: str, *, force: bool, inputs: Sequence[str | None]) -> None:
    """Whole or not at all (the file boundary's writer): a half-written catalog must never
    be left for the app, nor the catalog in use replaced."""
    with files.writing(path, force=force, inputs=inputs, field="--output") as handle:
        handle.write(text)


def target(given: str, inputs: Sequence[str]) -> Path:
    """--output: a .toml path, never one of the CMS files (`inputs`); a site catalog there
    (the one in use included) is updated in place, so it needs no --force (import-cms and
    import-mue alike)."""
    output = Path(given)
    if output.suffix.lower() != ".toml":
        raise InputError("--output", f"'{output}' must end in .toml")
    return files.check_target(output, force=True, inputs=inputs, field="--output",
                              updating=True)


def run_import(args: argparse.Namespace) -> int:
    # The importer (zip, CSV, its tables) loads for `catalog import-cms` only.
    from ivigcalc.data import catalog
    from ivigcalc.data.cms import importer, site_file, write

    checked = parse_date(args.checked, "checked") if args.checked else dt.date.today()
    current = open_catalog(args.catalog)
    site: tuple[dict[str, Any], str] = ({}, "")
    if args.output:  # refused before the import's work and report, not after
        output = target(args.output, args.files)
        site = site_file.read_existing(output, args.force, catalog.read_site)
        if site[0]:  # the quarters are added to this file: judged against its catalog
            current = catalog.load(output).catalog
    quarters = importer.import_quarters(args.files, current.codes, importer.load_facts(),
                                         checked, current.cms_history)
    for data in quarters:
        _report(data, current)
    if args.resources:
        folder = Path(args.resources)
        if not folder.is_dir():
            raise InputError("--resources", f"'{folder}' is not a folder")
        held = [p.name[4:-5] for p in folder.glob("cms-*.toml")]
        newest = all(quarters[-1].quarter.label >= label for label in held)
        written = write.bundled(quarters, newest)
        for name, text in written.items():
            _write(folder / name, text, force=True, inputs=args.files)
        print(f"wrote {', '.join(written)} in {folder}")
        return 0
    said, backup = site_file.add_quarters(output, quarters, site, catalog.load, args.files)
    return say_written(said, output, backup)


def say_written(said: Sequence[str], output: Path, backup: Path | None) -> int:
    """What the import changed, then where it went and how to use it (import-cms and
    import-mue alike); exit 0."""
    for line in said:
        print(line)
    kept = f" (the previous version kept as {backup})" if backup else ""
    print(f"wrote {output}{kept}: check it with `ivigcalc catalog check {output}`; use it with "
          f"--catalog {output} or IVIGCALC_CATALOG={output}")
    return 0


def _report(data: Any, current: Any) -> None:
    """What was read, CMS's own disagreements, and what the quarter changes."""
    from ivigcalc.data.cms import changes

    for line in changes.import_report(data, current):
        print(line)
