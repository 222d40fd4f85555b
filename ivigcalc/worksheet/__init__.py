"""The pharmacist worksheet, one for both faces: its content as Qt rich text (no Qt here) and
its paper (gui/output/paper.py, Qt, loaded only when a sheet is made)."""
