"""The vial sizes on the shelf: one checkbox per size of the chosen product.

MACs expect the least-waste combination from the sizes available (CGS, Noridian),
so the plan must use only what the pharmacy really stocks: untick what is not on the shelf.
"""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QWidget

from ivigcalc import text
from ivigcalc.gui import qt_numbers
from ivigcalc.gui.widgets.fields import FocusCheckBox


class VialSizes(QWidget):
    """A grid of "10 g" checkboxes; `toggled` fires when any of them changes.

    The "Vials in stock" label's buddy is this container, not a checkbox: Qt clicks a
    button buddy on its mnemonic, and Alt+V must only move the focus (to the first size),
    never untick a size and save that as the site's stock.
    """

    toggled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vialSizesInput")
        self.setAccessibleName("Vials in stock")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(12)
        self._grid.setVerticalSpacing(2)
        self._boxes: dict[QCheckBox, Fraction] = {}
        # A mnemonic's target; see below.
        qt_numbers.set_property(self, "focusPolicy", qt_numbers.STRONG_FOCUS)

    def set_sizes(self, sizes_mg: tuple[Fraction, ...], stocked: set[Fraction],
                  no_ndc: tuple[Fraction, ...] = ()) -> None:
        """Smallest first, three to a row when there are more than four. `no_ndc`: labeled
        sizes no CMS crosswalk lists (accepted when ticked; no N4 line can be made)."""
        for box in self._boxes:
            box.setParent(None)
            box.deleteLater()
        self._boxes.clear()
        columns = 3 if len(sizes_mg) > 4 else 4
        for number, size in enumerate(sorted(sizes_mg)):
            box = FocusCheckBox(text.grams(size), self)
            box.setAccessibleName(f"{text.grams(size)} vials in stock")
            if size in no_ndc:
                box.setText(f"{text.grams(size)} (no NDC)")
                box.setToolTip("A labeled size that CMS's crosswalk lists no NDC for: "
                               "accepted when stocked, but no N4 line can be made for it.")
            box.setChecked(size in stocked)
            box.toggled.connect(self.toggled)
            self._grid.addWidget(box, number // columns, number % columns)
            self._boxes[box] = size
        if self._boxes:
            self.setFocusProxy(self.boxes()[0])

    def boxes(self) -> list[QCheckBox]:
        return list(self._boxes)

    def stocked(self) -> tuple[Fraction, ...]:
        """The ticked sizes in mg, largest first (as the engine lists sizes)."""
        return tuple(sorted((size for box, size in self._boxes.items() if box.isChecked()),
                            reverse=True))
