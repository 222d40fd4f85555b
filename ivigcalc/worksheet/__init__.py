"""The pharmacist worksheet, one for both faces: its content as Qt rich text (no Qt here) and
its paper (paper.py, the one module that imports Qt, loaded only when a sheet is made)."""
