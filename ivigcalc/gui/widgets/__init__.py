"""Widgets both pages and the worksheet build on: labelled field groups, vial-size boxes, the
result's tables as Qt models. Imports only the engine and gui's leaves (theme, qt_numbers)."""
