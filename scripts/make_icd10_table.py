"""Regenerate resources/icd10cm.tsv.gz from CMS's ICD-10-CM release as shipped by the
simple-icd-10-cm package (MIT; its data folder holds CMS's tabular XML and code list).

    pip install simple-icd-10-cm==1.5.0 && python scripts/make_icd10_table.py

One line per code, sorted: code with its dot, a tab, B (billable) or C (a category or
subcategory that needs more characters), a tab, the CMS description. The first line names
the release. Gzip with mtime 0 so the same release always gives the same bytes.
"""

from __future__ import annotations

import gzip
import io
from importlib import metadata
from pathlib import Path

import simple_icd_10_cm as cm

OUT = Path(__file__).resolve().parent.parent / "resources" / "icd10cm.tsv.gz"
RELEASE = "ICD-10-CM April 2026 release (CMS)"


def rows() -> list[str]:
    out = []
    for code in cm.get_all_codes(True):
        if not cm.is_category_or_subcategory(code) and not cm.is_extended_subcategory(code):
            continue  # chapters and blocks are not codes
        kind = "B" if cm.is_leaf(code) else "C"
        description = " ".join(cm.get_description(code).split())
        out.append(f"{code}\t{kind}\t{description}")
    return sorted(out)


def main() -> None:
    version = metadata.version("simple-icd-10-cm")
    body = f"# {RELEASE}; table from simple-icd-10-cm {version}\n" + "\n".join(rows()) + "\n"
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as out:
        out.write(body.encode("utf-8"))
    OUT.write_bytes(buffer.getvalue())
    print(f"{OUT}: {body.count(chr(10)) - 1} codes, {len(buffer.getvalue())} bytes")


if __name__ == "__main__":
    main()
