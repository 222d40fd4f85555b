"""Checking a claim someone else built: read, rules, report, batch. May import calc/render down."""
