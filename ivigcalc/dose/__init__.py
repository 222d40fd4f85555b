"""pint boundary, dosing weight, dose, vial plan, infusion, IV to SC. May import data, leaves."""
