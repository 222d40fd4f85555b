"""Bundled and site catalogs, validated at load. May import only errors/text/result."""
