"""Script that PyInstaller freezes (see ivigcalc.spec).

It only hands over to the application's own entry point, so the frozen
program behaves like `python -m ivigcalc`.
"""

from ivigcalc.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
