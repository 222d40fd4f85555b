"""The PySide6 window, the only Qt code. May import every stage but cli.

`create_window()` (in app.py) is how the app, `--self-test` and the tests all build the
window. The rooms: the shell at the top (app, window, prefs, theme, failsafe, warmup,
about), the pages in calculate/ and check/, what leaves the window in output/ (the
worksheet's paper, which `calc --worksheet` also uses, and the clipboard), shared widgets
in widgets/, the self-test in selftest/; pyproject.toml's contracts keep the arrows one way.
Nothing is imported here, so that `calc --worksheet` loads the paper module alone.
"""
