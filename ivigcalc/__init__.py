"""ivigcalc: immune globulin dose, vial plan and HCPCS billing units, exact to the unit."""

__version__ = "0.1.0"
