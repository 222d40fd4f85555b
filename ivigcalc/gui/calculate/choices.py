"""The choices the order form offers: labels for the engine's keys, and the grouped lists.

Products and indication presets are grouped under headings that cannot be chosen
(intravenous, subcutaneous), so the route a regimen or a product belongs to is in view
when it is picked.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QStandardItem, QStandardItemModel

from ivigcalc.data.catalog import Catalog
from ivigcalc.gui.qt_numbers import USER_ROLE

BASIS_LABELS = {
    "actual": "Actual body weight",
    "ideal": "Ideal body weight (Devine)",
    "adjusted": "Adjusted body weight",
    "policy": "As the payer's policy says",
}
ROUNDING_LABELS = {
    "none": "None: give the dose as ordered",
    "nearest-vial": "Nearest whole vial",
    "nearest-5g": "Nearest 5 g",
}
KIND_HEADINGS = {"ivig": "Intravenous (IVIG)", "scig": "Subcutaneous (SCIG)"}
ROUTE_HEADINGS = {"iv": "Intravenous regimens", "sc": "Subcutaneous regimens"}
KEY = USER_ROLE  # item data: the catalog key (what currentData() returns)
NO_PRESET = "None: enter the dose"


def _heading(text: str) -> QStandardItem:
    title = QStandardItem(text)
    for able in (title.setEnabled, title.setSelectable, title.setEditable,
                 title.setDragEnabled, title.setDropEnabled):
        able(False)  # no flags at all: it cannot be chosen
    font = title.font()
    font.setBold(True)
    title.setFont(font)
    return title


def _item(text: str, key: str | None, tip: str = "") -> QStandardItem:
    item = QStandardItem(text)
    item.setData(key, KEY)
    if tip:
        item.setToolTip(tip)
    return item


def product_model(catalog: Catalog, parent: QObject) -> QStandardItemModel:
    """Products under IVIG and SCIG headings."""
    model = QStandardItemModel(parent)
    for kind, heading in KIND_HEADINGS.items():
        model.appendRow(_heading(heading))
        for key, product in catalog.products.items():
            if product.kind == kind:
                model.appendRow(_item(product.name, key, f"{product.name} ({product.maker}), "
                                      f"{', '.join(product.all_codes)}"))
    return model


def preset_model(catalog: Catalog, parent: QObject) -> QStandardItemModel:
    """'None', then the presets under the route they are given by."""
    model = QStandardItemModel(parent)
    model.appendRow(_item(NO_PRESET, None))
    for route, heading in ROUTE_HEADINGS.items():
        presets = [(key, p) for key, p in catalog.presets.items() if p.route == route]
        if presets:
            model.appendRow(_heading(heading))
        for key, preset in presets:
            model.appendRow(_item(preset.name, key, preset.range))
    return model
