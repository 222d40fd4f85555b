"""Claim lines (units, JW/JZ, JA/JB, KX) and NDCs. May import data and dose."""
