"""Claim lines (units, JW/JZ, JA/JB, KX) and NDCs. May import dose, data, errors/text/result."""
