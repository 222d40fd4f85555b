"""pint boundary, dosing weight, dose, vial plan. May import data, errors/text/result."""
