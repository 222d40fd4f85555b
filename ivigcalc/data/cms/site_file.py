"""A site catalog that keeps a history of CMS quarters: the imported ones added to it.

`ivigcalc catalog import-cms FILE... --output SITE.toml` (and the window's File → Update CMS
data…) add each quarter to the site file: the same quarter replaced, an older one added to
the history, everything else the site keeps (payers, products, coverage, its other
quarters) kept as it was. The quarters live under [quarters."2026-Q2".cms], .ndcs,
.payments and .opps; a file with today's single [cms] table (one quarter) is read the same
way and rewritten in the new form. The file is rebuilt from its parsed tables, so the
comment lines at its top are kept (the `#:schema` line among them) and comments between
tables are not: the previous version stays beside it as SITE.toml.bak.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from ivigcalc.data import files, untrusted
from ivigcalc.data.cms.importer import Imported
from ivigcalc.data.cms.model import QUARTERS, TABLES, quarters_of
from ivigcalc.data.cms.write import key_text, value
from ivigcalc.errors import CatalogError, InputError, printable


def tables_of(quarter: Imported) -> dict[str, Any]:
    return {"cms": quarter.cms, "ndcs": quarter.ndcs, "payments": quarter.payments,
            "opps": quarter.opps}


def merged(old: Mapping[str, Any], quarters: Sequence[Imported],
           products: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The site file's tables with `quarters` added, and one line per change of quarter.

    products: the bundled catalog's products: a size a quarter's crosswalk lists that the
    bundled product lacks is added to the site's sizes for it, so its NDC can be billed; a
    site's own sizes (its stock) otherwise stand.
    """
    held = quarters_of(old)
    newest = max(held) if held else ""
    said = []
    for quarter in quarters:
        label = quarter.quarter.label
        if label in held:
            said.append(f"{label}: replaces the site catalog's {label}")
        elif newest and label < newest:
            said.append(f"{label}: added to the site catalog's history (its newest is "
                        f"{newest}); dates in {label} are priced by it")
        else:
            said.append(f"{label}: added to the site catalog")
        held[label] = tables_of(quarter)
    out = {k: v for k, v in old.items() if k not in (QUARTERS, *TABLES)}
    if "catalog" not in out:
        out = {"catalog": {"name": "CMS quarters", "note": "CMS's quarterly files imported by "
                           "`ivigcalc catalog import-cms`"}, **out}
    out[QUARTERS] = {label: held[label] for label in sorted(held)}
    for quarter in quarters:
        _gained_sizes(out, quarter, products, said)
    return out, said


def _gained_sizes(out: dict[str, Any], quarter: Imported, products: Mapping[str, Any],
                  said: list[str]) -> None:
    for key, row in quarter.products.items():
        product = products.get(key)
        if product is None or "vial_sizes_g" not in row:
            continue
        bundled = {Fraction(s) / 1000 for s in product.vial_sizes_mg}
        gained = {Fraction(s) for s in row["vial_sizes_g"]} - bundled
        if not gained:
            continue  # a site's own sizes (its stock) stand
        site_rows = out.setdefault("products", {})
        site_row = dict(site_rows.get(key, {}))
        own = {Fraction(s) for s in site_row.get("vial_sizes_g", [])} or bundled
        site_row["vial_sizes_g"] = sorted(own | gained)
        site_rows[key] = site_row
        shown = ", ".join(f"{value(s)} g" for s in sorted(gained))
        said.append(f"{product.name}: size {shown} added to the site catalog "
                    f"({quarter.quarter.label}'s crosswalk lists its NDC)")


def text(data: Mapping[str, Any], head: str = "") -> str:
    """The site file's TOML: `head` (its leading comment lines), [catalog], the site's own
    tables, then the quarters, each quarter's NDCs and limits one inline row a line."""
    parts = [head] if head else []
    for name, table in data.items():
        if name == QUARTERS:
            continue
        parts.append(_table(name, table))
    for label, tables in data.get(QUARTERS, {}).items():
        prefix = f"{QUARTERS}.{key_text(label)}"
        parts.append(_fields(f"{prefix}.cms", tables.get("cms", {})))
        for name in TABLES[1:]:
            rows = tables.get(name, {})
            parts.append(f"[{prefix}.{name}]\n" + "".join(
                f"{key_text(k)} = {value(row)}\n" for k, row in rows.items()) + "\n")
    return "".join(parts)


def _table(name: str, table: Any) -> str:
    """[name] with plain fields, or [name.row] per row when every value is a table, or
    [name.group.set] of inline rows for tables of tables of rows (the [mue] tables:
    quarter, then table, then one row per code)."""
    if _rows_of_rows(table):
        return "".join(f"[{key_text(name)}.{key_text(group)}.{key_text(k)}]\n" + "".join(
            f"{key_text(code)} = {value(row)}\n" for code, row in rows.items()) + "\n"
            for group, sets in table.items() for k, rows in sets.items())
    if isinstance(table, dict) and table and all(isinstance(v, dict) for v in table.values()):
        return "".join(_fields(f"{key_text(name)}.{key_text(k)}", row)
                       for k, row in table.items())
    return _fields(key_text(name), table)


def _rows_of_rows(table: Any) -> bool:
    """Three levels of tables down to rows of plain values: {quarter: {table: {code:
    row}}}; a bundled-style row's inline tables (a limit's {soft_max = ...}) are not."""
    if not isinstance(table, dict) or not table:
        return False
    sets = [s for group in table.values() if isinstance(group, dict) for s in group.values()]
    return (all(isinstance(g, dict) and g for g in table.values())
            and all(isinstance(s, dict) and all(isinstance(r, dict) for r in s.values())
                    for s in sets))


def _fields(header: str, row: Mapping[str, Any]) -> str:
    return f"[{header}]\n" + "".join(f"{key_text(k)} = {value(v)}\n"
                                     for k, v in row.items()) + "\n"


def leading_comments(source: str) -> str:
    """The comment (and blank) lines a file opens with, e.g. its `#:schema` line."""
    out = []
    for line in source.splitlines(keepends=True):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        out.append(line)
    return "".join(out).rstrip("\n") + "\n\n" if "".join(out).strip() else ""


def read_existing(path: Path, force: bool, read_site: Callable[[Path], dict[str, Any]]
                  ) -> tuple[dict[str, Any], str]:
    """The site catalog at `path` (its tables, read by catalog.read_site, and its text), or
    ({}, '') for a new file. A file that is not a site catalog is replaced only with force
    (it stays as `.bak`)."""
    if not (path.exists() or path.is_symlink()):
        return {}, ""
    if not path.is_file():
        raise InputError("output", f"{path} is not a regular file; give the site catalog's "
                         "path (.toml)")
    try:
        data = read_site(path)
        source = files.decode(files.read_bytes(path, untrusted.MAX_CATALOG_BYTES),
                              allow_bom=False)
    except (CatalogError, files.UnreadableFile) as error:
        if not force:
            raise InputError("output", f"{path} exists and is not a site catalog "
                             f"({printable(str(error), 200)}); add --force to replace it"
                             ) from None
        return {}, ""
    return data, source


def write(path: Path, body: str, check: Callable[[Path], object],
          inputs: Sequence[str]) -> Path | None:
    """`body` to `path` whole or not at all through the file boundary's writer (mode from
    the umask: readable by the other workstations' users), the previous file kept as
    `path.bak`. `check(temporary path)` must accept the new file (it loads it as a
    catalog) before anything is replaced. `inputs`: the CMS files read, never replaced.
    Returns the backup's path, or None when there was no file."""
    backup = path.with_name(path.name + ".bak") if path.is_file() else None
    with files.replacing(path, force=True, inputs=inputs, field="--output",
                         updating=True) as temporary:
        temporary.write_bytes(body.encode("utf-8"))
        check(temporary)
        if backup is not None:
            files.write_bytes(backup, path.read_bytes(), force=True, inputs=inputs,
                              field="--output")
    return backup


def add_quarters(path: Path, quarters: Sequence[Imported], old: tuple[dict[str, Any], str],
                 load: Callable[[Path | None], Any], inputs: Sequence[str]
                 ) -> tuple[list[str], Path | None]:
    """Add `quarters` to the site catalog at `path` (`old`: read_existing's answer), checked
    by `load` (catalog.load: None gives the bundled catalog) before it replaces anything.
    Returns what changed, one line per quarter or size, and the backup's path (None for a
    new file)."""
    tables, said = merged(old[0], quarters, load(None).catalog.products)
    body = leading_comments(old[1]) + text(tables)
    return said, write(path, body, load, inputs)
