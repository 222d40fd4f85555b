"""The command line: `ivigcalc calc`, `check`, `catalog check`, `convert`, the window.

Exit codes: 0 result (warnings included); 1 a claim check found errors; 2 refused or invalid
input, with one line on stderr and never a traceback. With no arguments the window opens.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import faulthandler
import importlib
import io
import os
import platform
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import TYPE_CHECKING, NoReturn

from ivigcalc import __version__
from ivigcalc.data import catalog, untrusted
from ivigcalc.errors import CatalogError, InputError, IvigcalcError

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

# Subcommands that live in their own modules: name -> module with register() and run().
SUBCOMMAND_MODULES = ("ivigcalc.cli.calc", "ivigcalc.cli.check", "ivigcalc.cli.catalog",
                      "ivigcalc.cli.convert", "ivigcalc.cli.remit")


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit 2), as the contract says."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        """argparse's, without swallowing a failed write: --help into a closed pipe or a
        full disk is refused in one line like any other output."""
        if message:
            (file or sys.stderr).write(message)


def parse_date(value: str | None, field: str = "date") -> dt.date:
    """YYYY-MM-DD (untrusted.parse_date), or today when not given."""
    return dt.date.today() if value is None else untrusted.parse_date(value, field)


def parse_dates(value: str, field: str = "dates") -> list[dt.date]:
    """'2026-03-02,2026-03-09': dates separated by commas (the engine checks count and order)."""
    parts = [part.strip() for part in untrusted.clean(value, field, max_chars=1000).split(",")]
    if not all(parts):
        raise InputError(field, f"'{value}' has an empty entry; accepts dates YYYY-MM-DD "
                         "separated by commas, e.g. 2026-03-02,2026-03-09")
    return [parse_date(part, field) for part in parts]


def open_catalog(path: str | None) -> catalog.Catalog:
    """--catalog PATH must load or the command refuses; IVIGCALC_CATALOG falls back."""
    if path:
        return catalog.load(path).catalog
    from_env = catalog.site_path_from_env()
    loaded, problem = catalog.load_with_fallback(from_env)
    if problem:
        print(f"ivigcalc: warning: {problem}", file=sys.stderr)
    return loaded


def add_catalog_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", metavar="PATH",
                        help=f"site catalog TOML merged over the bundled data "
                             f"(default: ${catalog.ENV_VAR} if set)")


def add_340b_option(parser: argparse.ArgumentParser) -> None:
    """--340b JG|TB, the same on calc and check: the site is a 340B covered entity."""
    parser.add_argument("--340b", dest="site_340b", choices=("JG", "TB"), type=str.upper,
                        help="the site is a 340B covered entity: JG, or TB (critical access, "
                             "rural sole community, children's and cancer hospitals); absent: "
                             "not 340B")


def add_necessity_options(parser: argparse.ArgumentParser) -> None:
    """--dx and --prior-auth, the same on calc and check (billing/necessity.py reads them)."""
    parser.add_argument("--dx", metavar="CODES",
                        help="ICD-10-CM codes supporting medical necessity, e.g. 'D80.0' or "
                             "'G61.81,D80.0' (checked against the payer's coverage lists)")
    parser.add_argument("--prior-auth", metavar="NUMBER",
                        help="the payer's prior-authorization number, where one is required "
                             "(shown, never stored)")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="ivigcalc", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="store_true",
                        help="print the app and catalog versions")
    parser.add_argument("--self-test", action="store_true",
                        help="build the real window offscreen, run a sample, exit 0 or 1")
    parser.add_argument("--soak", type=int, default=0, metavar="N",
                        help="with --self-test: then type N keystrokes at the window, "
                             "checking every answer against the engine")
    parser.add_argument("--monkey", type=int, default=0, metavar="N",
                        help="with --self-test: then N random events at the window (wheel, "
                             "clicks, keys, products, presets, New patient, dialogs), the "
                             "engine's answer for the visible form checked after each")
    sub = parser.add_subparsers(dest="command", parser_class=OneLineParser, metavar="COMMAND")
    sub.add_parser("gui", help="open the window (the default)")
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def version_text() -> str:
    """The app, the catalog, and the Qt binding and Python it runs on (the binding decides
    whether the window survives: see the README's "Supported versions")."""
    try:
        current = open_catalog(None)
    except CatalogError as error:  # the bundled data itself is broken
        data = f"catalog: unreadable ({error})"
    else:
        data = f"catalog {current.version}"
    try:
        from ivigcalc.gui.about import binding
    except ImportError as error:  # the window cannot run here; the CLI still can
        qt = f"Qt binding: not importable ({error})"
    else:
        qt = binding()
    return (f"ivigcalc {__version__}\n{data}\n{qt}\n"
            f"Python {platform.python_version()} ({platform.python_implementation()})")


def _trace_native_crashes() -> None:
    """A native crash (Qt, the binding) prints every thread's Python stack on stderr; the
    window then sends it to a file instead (ivigcalc/gui/failsafe.py)."""
    if sys.stderr is not None:  # None in a windowed executable
        with contextlib.suppress(AttributeError, OSError, ValueError):
            faulthandler.enable(file=sys.stderr, all_threads=True)


class _ClosedStdout:
    """Stands for a standard output that was closed (`>&-`): the first write refuses the
    command with one line (a command that writes only to --output still runs)."""

    def write(self, _text: str) -> int:
        raise InputError("output", "standard output is closed; give --output FILE or let the "
                         "command write to a terminal, file or pipe")

    def flush(self) -> None:
        pass


def utf8_streams() -> None:
    """Output to a file or a pipe is UTF-8 whatever the code page (as git and ripgrep do:
    `ivigcalc calc ... > out.txt` in a cp1252 console must not die on '→'); a console
    keeps its own encoding and shows '?' for what it cannot display (Python writes
    Unicode to a Windows console itself)."""
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):  # None (closed), or a test's capture
            continue
        with suppress(OSError, ValueError):
            if not stream.isatty():
                stream.reconfigure(encoding="utf-8", errors="backslashreplace")
            elif stream.encoding.replace("-", "").lower() != "utf8":
                stream.reconfigure(errors="replace")
    if sys.stdout is None:
        sys.stdout = _ClosedStdout()


def main(argv: Sequence[str] | None = None) -> int:
    _trace_native_crashes()
    utf8_streams()
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    parsed: list[argparse.Namespace] = []
    code = _guarded(lambda: _parse(parser, args_list, parsed), "")
    if not parsed:  # --help, a usage error, or their output could not be written
        return code
    args = parsed[0]
    if args.command in (None, "gui") and not (args.version or args.self_test):
        from ivigcalc.gui.app import main as gui_main

        return gui_main()
    command = args.command or ("--version" if args.version else "--self-test")
    return _guarded(lambda: _run(args), command)


def _parse(parser: argparse.ArgumentParser, argv: list[str],
           into: list[argparse.Namespace]) -> int:
    """The arguments, appended to `into`; argparse's own exit (--help, a usage error) as
    its exit code, so that writing --help's text is guarded like any other output."""
    try:
        args = parser.parse_args(argv)
        for name in ("soak", "monkey"):
            count = getattr(args, name)
            if (count and not args.self_test) or count < 0:
                parser.error(f"--{name} N needs --self-test and N >= 0")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 0 if done.code is None else 2
    into.append(args)
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.version:
        print(version_text())
        return 0
    if args.self_test:
        from ivigcalc.gui.selftest.run import run as self_test

        return self_test(soak=args.soak, monkey=args.monkey)
    return int(args.run(args))


def _guarded(work: Callable[[], int], command: str) -> int:
    """work() and a flush of what it wrote, every failure one line on stderr and exit 2:
    a refusal, a closed or broken stdout, a full disk (never a traceback at exit)."""
    try:
        code = work()
        sys.stdout.flush()
        return code
    except IvigcalcError as error:
        return _refuse(command, str(error))
    except BrokenPipeError:
        # `ivigcalc check --csv big.csv | head`: the reader left before the end.
        _silence_stdout()
        return _refuse(command, "the output was closed before the end (broken pipe); what "
                       "was written is incomplete")
    except OSError as error:  # writing the output failed: /dev/full, a full or gone disk
        _silence_stdout()
        where = error.filename or "the output"
        return _refuse(command, f"cannot write {where} ({error.strerror or error})")
    except KeyboardInterrupt:
        return 130


def _refuse(command: str, message: str) -> int:
    """The one line on stderr and exit 2 (stderr itself may be gone: then only exit 2)."""
    with suppress(OSError, ValueError, AttributeError):
        print(f"ivigcalc {command}: {message}" if command else f"ivigcalc: {message}",
              file=sys.stderr)
    return 2


def _silence_stdout() -> None:
    """Point stdout at devnull so the interpreter's own flush at exit cannot fail again."""
    with suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
