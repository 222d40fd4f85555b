"""Checking a claim someone else built: reading it, the rules, reports, batch. May import
data, dose, billing, calc and render."""
