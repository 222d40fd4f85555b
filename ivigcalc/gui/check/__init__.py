"""The "Check a claim" page: one claim's inputs and findings, the shelf, the CSV batch and its
reports, an order carried over from the Calculate page. Imports widgets/ and gui's leaves,
never calculate/ or the shell."""
