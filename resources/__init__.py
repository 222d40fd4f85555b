"""ivigcalc's bundled data, installed as the `ivigcalc.resources` package (read-only)."""
