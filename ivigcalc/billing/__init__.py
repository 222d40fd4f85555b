"""Claim lines, NDCs, payment limits, OPPS, medical necessity. May import dose, data, leaves."""
