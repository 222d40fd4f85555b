"""The hazard log stays true: every test id it cites exists, and every hazard cites one."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG = (ROOT / "docs" / "safety" / "hazard-log.md").read_text("utf-8")


def test_every_cited_test_exists_and_every_hazard_cites_one() -> None:
    rows = [line for line in LOG.splitlines() if re.match(r"^\| H\d+ \|", line)]
    assert len(rows) >= 14
    for row in rows:
        ids = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", row)
        assert ids, row[:40]
        for path, name in ids:
            tree = ast.parse((ROOT / path).read_text("utf-8"))
            names = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
            assert name in names, f"{path}::{name}"


def test_every_screenshot_named_exists() -> None:
    for name in set(re.findall(r"`([\w-]+\.png)`", LOG)):
        assert (ROOT / "docs" / "safety" / name).is_file(), name
