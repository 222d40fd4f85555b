"""Catalogs, CMS files, rates, ICD-10, coverage: read and validated. May import only leaves."""
