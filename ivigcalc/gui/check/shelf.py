"""The Check page's shelf: which vial sizes of the product could have been opened.

Why: non-optimal-vials compares the vials opened with the least-waste plan, and that plan
must come from what the site stocks, not from every size the maker sells. The window
remembers the shelf per product (the same preference the Calculate page keeps), so a coder
ticks it once.
"""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtWidgets import QWidget

from ivigcalc.data.catalog import Product
from ivigcalc.gui.prefs import Preferences
from ivigcalc.gui.widgets.vialboxes import VialSizes


class Shelf(VialSizes):
    """One checkbox per size of the chosen product; hidden when checking by code alone."""

    def __init__(self, prefs: Preferences | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkStockedInput")
        self.setAccessibleName("Vial sizes stocked")
        self.setToolTip("The sizes on the shelf: the least-waste plan is judged from these")
        self.prefs = prefs
        self.product: Product | None = None
        self.toggled.connect(self._remember)

    def show_product(self, product: Product | None) -> None:
        """The product's sizes, ticked as remembered (all of them the first time)."""
        if product is not None and product is self.product:
            return
        self.product = product
        if product is None:
            self.set_sizes((), set())
            return
        sizes = (*product.vial_sizes_mg, *product.labeled_sizes_mg)
        ticked = self.prefs.stocked(product.key, sizes, product.vial_sizes_mg) \
            if self.prefs else product.vial_sizes_mg
        self.blockSignals(True)
        try:
            self.set_sizes(sizes, set(ticked), product.labeled_sizes_mg)
        finally:
            self.blockSignals(False)

    def shelf(self) -> tuple[Fraction, ...] | None:
        """The ticked sizes in mg, or None when checking by code (no product, no shelf)."""
        return self.stocked() if self.product is not None else None

    def _remember(self) -> None:
        if self.prefs is not None and self.product is not None:
            self.prefs.set_stocked(self.product.key, self.stocked())
