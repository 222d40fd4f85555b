"""The Calculate page: the order form, its reading through the engine, the results (tables,
waste bar, infusion plan), the acknowledge and IV-to-SC dialogs. Imports widgets/, output/
and gui's leaves, never check/ or the shell."""
