"""`--help` and the README agree (issue 24 item 9): every flag of every subcommand is in the
README, and every flag the README names is one of ivigcalc's, or of a tool it names."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

from ivigcalc.cli.main import build_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
FLAG = r"(?<![\w-])(--[a-z][a-z0-9-]*)(?![\w-])"
# Flags the README gives to other tools, each with the tool that takes it.
OTHER_TOOLS = {
    "--strict": "mypy",
    "--randomly-seed": "pytest-randomly",
    "--phases": "bench/bench_startup.py",
    "--min-score": "mutation/run.py",
    "--without": "mutation/run.py",
    "--help": "every ivigcalc command (argparse's own)",
    "--require-hashes": "pip (the README's Windows path)",
    "--no-deps": "pip (the README's Windows path)",
    "--no-build-isolation": "pip (the README's Windows path)",
    "--order": "scripts/screenshot.py",
    "--size": "scripts/screenshot.py",
    "--scroll-to": "scripts/screenshot.py",
    "--whole-page": "scripts/screenshot.py",
}


def flags(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[
        tuple[tuple[str, ...], str, bool]]:
    """(subcommand path, flag, hidden from --help) for every long option."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from flags(sub, (*path, name))
        else:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    yield path, option, action.help == argparse.SUPPRESS


def test_every_flag_in_help_is_in_the_readme() -> None:
    shown = [(path, flag) for path, flag, hidden in flags(build_parser()) if not hidden]
    assert len(shown) > 30
    missing = [(" ".join(path), flag) for path, flag in shown
               if not re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", README)]
    assert missing == []


def test_every_flag_the_readme_names_is_a_real_one() -> None:
    known = {flag for _, flag, _ in flags(build_parser())}
    named = set(re.findall(FLAG, README))
    assert named & known  # the pattern finds flags at all
    assert sorted(named - known - set(OTHER_TOOLS)) == []


def test_the_other_tools_flags_are_still_named_where_the_readme_says() -> None:
    for flag, tool in OTHER_TOOLS.items():
        assert flag in README, (flag, tool)
