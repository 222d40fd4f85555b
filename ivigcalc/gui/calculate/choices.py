"""The choices the order form offers: labels for the engine's keys, and the grouped lists.

Products and indication presets are grouped under headings that cannot be chosen
(intravenous, subcutaneous), so the route a regimen or a product belongs to is in view
when it is picked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QStandardItem, QStandardItemModel

from ivigcalc.data.catalog import Catalog, Product
from ivigcalc.gui.qt_numbers import USER_ROLE

# The labels of the engine's keys, the worksheet's words too.
from ivigcalc.worksheet.inputs import BASIS_LABELS as BASIS_LABELS
from ivigcalc.worksheet.inputs import ROUNDING_LABELS as ROUNDING_LABELS
from ivigcalc.worksheet.inputs import SITE_340B as SITE_340B

if TYPE_CHECKING:  # read after the first paint (the labels' data)
    from ivigcalc.data.necessity_model import Necessity

KIND_HEADINGS = {"ivig": "Intravenous (IVIG)", "scig": "Subcutaneous (SCIG)"}
ROUTE_HEADINGS = {"iv": "Intravenous regimens", "sc": "Subcutaneous regimens"}
KEY = USER_ROLE  # item data: the catalog key (what currentData() returns)
NO_PRESET = "None: enter the dose"
OFF_LABEL = "off label for {product}"


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


def preset_routes(product: Product | None) -> tuple[str, ...]:
    """The regimens' routes a product can give (HyQvia: SC, dosed as IV); every route
    before a product is chosen."""
    if product is None:
        return tuple(ROUTE_HEADINGS)
    given = {product.dosed_as(route) for route in product.routes}
    return tuple(route for route in ROUTE_HEADINGS if route in given)


def preset_model(catalog: Catalog, parent: QObject, product: Product | None = None,
                 necessity: Necessity | None = None) -> QStandardItemModel:
    """'None', then the presets of the product's routes under the route they are given by;
    with the labels' data (`necessity`), a preset whose indication the product's label does
    not carry is marked "off label for <product>", the label named in its tooltip."""
    model = QStandardItemModel(parent)
    model.appendRow(_item(NO_PRESET, None))
    for route in preset_routes(product):
        presets = [(key, p) for key, p in catalog.presets.items() if p.route == route]
        if presets:
            model.appendRow(_heading(ROUTE_HEADINGS[route]))
        for key, preset in presets:
            name, tip = preset.name, preset.range
            indication = (necessity.indication_of_regimen(key, preset.icd10)
                          if necessity is not None and product is not None else None)
            label = (necessity.off_label(product.key, indication)
                     if necessity is not None and product is not None and indication
                     else None)
            if label is not None and product is not None:
                name = f"{name} · {OFF_LABEL.format(product=product.name)}"
                tip = (f"{preset.range}. {indication.name if indication else ''} is not "
                       f"among the indications of {label.source}.")
            model.appendRow(_item(name, key, tip))
    return model
