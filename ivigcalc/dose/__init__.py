"""Units at the pint boundary, dosing weight, dose and rounding, vial plan. May import data."""
