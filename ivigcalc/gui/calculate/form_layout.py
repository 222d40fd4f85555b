"""What the order form holds and how it is laid out: four groups of labelled rows.

Only construction lives here (widgets, labels with mnemonics, the Tab order) and the plain
reads of the widgets' state (product, date, code, stock, whether the body is needed); what
the form does when something changes is in form.py, reading it for the engine in
form_reading.py. Both build on this class, and neither imports the other's way back.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ivigcalc.data.catalog import Catalog, Product
from ivigcalc.gui.calculate.choices import (
    BASIS_LABELS,
    KEY,
    ROUNDING_LABELS,
    SITE_340B,
    preset_model,
    product_model,
)
from ivigcalc.gui.qt_numbers import TOOLTIP_ROLE
from ivigcalc.gui.widgets import fields
from ivigcalc.gui.widgets.fields import FieldGroup, FocusCheckBox, combo, line_edit
from ivigcalc.gui.widgets.vialboxes import VialSizes


class OrderFields(QWidget):
    """The inputs, built and laid out; no behaviour."""

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self._messages: dict[str, QLabel] = {}
        self._captions: dict[QWidget, QLabel] = {}
        self._build()

    # --- reading the widgets (the form's state, as form_reading.py reads it) -----------

    def product(self) -> Product:
        return self.catalog.products[self.productInput.currentData(KEY)]

    def date_of_service(self) -> dt.date:
        day = self.dateInput.date()
        return dt.date(day.year(), day.month(), day.day())

    def code_text(self) -> str:
        return self.codeInput.currentText().strip().upper()

    def stocked_sizes(self) -> tuple[Fraction, ...]:
        return self.vialSizesInput.stocked()

    def body_needed(self) -> bool:
        """The chosen basis needs the height and sex (ideal or adjusted weight)."""
        return bool(self.basisInput.currentData() != "actual")

    # --- building -------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        groups = [self._patient_group(), self._order_group(), self._product_group(),
                  self._billing_group()]
        for group in groups:
            outer.addWidget(group)
        outer.addStretch(1)
        # One label column for all groups, so the fields line up down the whole form.
        width = max(label.sizeHint().width() for label in self._captions.values())
        for group in groups:
            group.grid.setColumnMinimumWidth(0, width)

    def _group(self, title: str) -> FieldGroup:
        return FieldGroup(title, self, self._messages, self._captions)

    def _patient_group(self) -> FieldGroup:
        group = self._group("Patient")
        self.weightInput = line_edit(self, "weightInput", "e.g. 70 or 154 lb", "154.5 lb")
        self.weightUnit = combo(self, "weightUnit", [("kg", "kg"), ("lb", "lb")])
        self.weightUnit.setAccessibleName("Weight unit")
        self.weightUnit.setToolTip("kg is the working unit; lb is for this entry only")
        self.weightKgView = QLabel(self)
        self.weightKgView.setObjectName("weightKgView")
        self.weightKgView.setAccessibleName("Weight in kg")
        self.weightKgView.hide()
        group.row("&Weight", [self.weightInput, self.weightUnit, self.weightKgView], "weight")
        self.basisInput = combo(self, "basisInput", [(v, k) for k, v in BASIS_LABELS.items()])
        group.row("Dosing &basis", [self.basisInput], "basis")
        self.basisHint = group.hint("basisHint", "Dosing basis suggestion")
        self.heightInput = line_edit(self, "heightInput", "e.g. 170", "5 ft 7 in")
        self.heightUnit = combo(self, "heightUnit", [("cm", "cm"), ("in", "in")])
        self.heightUnit.setAccessibleName("Height unit")
        self.sexInput = combo(self, "sexInput", [("Choose…", None), ("Female", "female"),
                                                 ("Male", "male")])
        self.sexInput.setToolTip("Ideal body weight (Devine) differs by sex")
        self.sexInput.setAccessibleName("Sex")
        self._sex_caption = QLabel("Se&x", self)
        self._sex_caption.setBuddy(self.sexInput)
        group.row("Hei&ght", [self.heightInput, self.heightUnit, self._sex_caption,
                              self.sexInput], "height")
        group.message_row("sex", "Sex")
        return group

    def _order_group(self) -> FieldGroup:
        group = self._group("Order")
        self.presetInput = QComboBox(self)
        self.presetInput.setObjectName("presetInput")
        self.presetInput.setModel(preset_model(self.catalog, self))
        self.presetInput.setMaxVisibleItems(16)
        self.presetInput.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.presetInput.setMinimumContentsLength(18)
        group.row("&Indication", [self.presetInput])
        self.presetHint = group.hint("presetHint", "Indication dose range")
        self.doseInput = line_edit(self, "doseInput", "e.g. 0.4", "350 mg/kg")
        self.doseUnit = combo(self, "doseUnit", [("g/kg", "g/kg"), ("mg/kg", "mg/kg")])
        self.doseUnit.setAccessibleName("Dose unit")
        self.perInput = combo(self, "perInput", [("per day", "day"), ("per course", "course"),
                                                 ("per week", "week")])
        self.perInput.setAccessibleName("Dose per day, per course or per week")
        self.perInput.setToolTip("Per week (subcutaneous): the week's dose, given on the "
                                 "days below, all in that week")
        self.daysInput = QSpinBox(self)
        self.daysInput.setObjectName("daysInput")
        self.daysInput.setRange(1, 31)
        self.daysInput.setToolTip("Infusion days; each day opens its own vials")
        self.daysInput.setAccessibleName("Infusion days")
        group.row("&Dose", [self.doseInput, self.doseUnit, self.perInput], "dose")
        # Days on a row of their own keeps the form narrow enough to sit beside the results
        # at 150% on a 1366×768 screen.
        group.row("Da&ys", [self.daysInput], "days", accessible="Infusion days", compact=True)
        # No mnemonic left for it (only j, q and z are free on this page): Tab reaches it.
        self.dxInput = line_edit(self, "dxInput", "e.g. D80.0 (or G61.81, D80.0)", "G61.81, D80.0")
        self.dxInput.setToolTip("ICD-10-CM codes that support medical necessity; checked "
                                "against the code set and the payer's coverage lists")
        group.row("Diagnosis (ICD-10)", [self.dxInput], "dx",
                  accessible="Diagnosis codes (ICD-10-CM)")
        return group

    def _product_group(self) -> FieldGroup:
        group = self._group("Product")
        self.productInput = QComboBox(self)
        self.productInput.setObjectName("productInput")
        self.productInput.setModel(product_model(self.catalog, self))
        self.productInput.setMaxVisibleItems(25)
        group.row("P&roduct", [self.productInput], "product")
        self.vialSizesInput = VialSizes(self)
        self._vials_caption = group.row("&Vials in stock", [self.vialSizesInput], "vials",
                                        top=True)
        # The site's vial preference (issue 24): read-only unless the site catalog allows.
        self.vialPreferenceInput = QSpinBox(self)
        self.vialPreferenceInput.setObjectName("vialPreferenceInput")
        self.vialPreferenceInput.setRange(0, 50)
        self.vialPreferenceInput.setSuffix(" more units of waste")
        self.vialPreferenceInput.setSpecialValueText("no: least waste")
        group.row("Fewer vials within", [self.vialPreferenceInput], "vial_preference",
                  accessible="Prefer fewer vials within this many more discarded units",
                  compact=True)
        self.routeInput = QComboBox(self)
        self.routeInput.setObjectName("routeInput")
        group.row("Rou&te", [self.routeInput], "route")
        return group

    def _billing_group(self) -> FieldGroup:
        group = self._group("Billing")
        self.codeInput = QComboBox(self)
        self.codeInput.setObjectName("codeInput")
        self.codeInput.setEditable(True)
        self.codeInput.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # inline completion would bill J1610 while typing J16…
        self.codeInput.setCompleter(None)  # type: ignore[arg-type]
        for key, code in sorted(self.catalog.codes.items(),
                                key=lambda item: (not item[1].immune_globulin, item[0])):
            self.codeInput.addItem(key, key)
            self.codeInput.setItemData(self.codeInput.count() - 1, code.descriptor,
                                       TOOLTIP_ROLE)
        edit = self.codeInput.lineEdit()
        assert edit is not None  # the box is editable
        edit.setPlaceholderText("the product's own code")
        self.codeFixButton = QPushButton(self)
        self.codeFixButton.setObjectName("codeFixButton")
        self.codeFixButton.setAccessibleName("Use the product's own code")
        self.codeFixButton.hide()
        group.row("C&ode", [self.codeInput, self.codeFixButton], "code",
                  accessible="Billing code")
        self.payerInput = combo(self, "payerInput", [(p.name, key) for key, p in
                                                     self.catalog.payers.items()])
        group.row("P&ayer", [self.payerInput], "payer")
        self.site340bInput = combo(self, "site340bInput", list(SITE_340B.items()))
        self.site340bInput.setToolTip("A site setting, remembered: a 340B covered entity's "
                                      "separately payable drug lines carry JG (or TB) from "
                                      "2024-01-01")
        group.row("&340B", [self.site340bInput], "340b", accessible="340B site")
        self.priorAuthInput = line_edit(self, "priorAuthInput", "if the payer requires one",
                                        "PA-2026-000042")
        self.priorAuthInput.setToolTip("The payer's prior-authorization number: shown on the "
                                       "summary and the worksheet, never saved")
        group.row("Prior auth. no.", [self.priorAuthInput], "prior-auth",
                  accessible="Prior authorization number")
        self.dateInput = QDateEdit(self)
        self.dateInput.setObjectName("dateInput")
        self.dateInput.setCalendarPopup(True)
        self.dateInput.setDisplayFormat("yyyy-MM-dd")
        fields.date_range(self.dateInput)
        self.dateInput.setDate(QDate.currentDate())
        group.row("Date of &service", [self.dateInput])
        self.roundingInput = combo(self, "roundingInput",
                                   [(v, k) for k, v in ROUNDING_LABELS.items()])
        self.roundingInput.setToolTip("Never moves the dose more than the cap (10% unless "
                                      "the site's limits say less); ties go down")
        group.row("Ro&unding", [self.roundingInput], "rounding", accessible="Dose rounding")
        self.kxInput = FocusCheckBox("&KX: the payer's documentation requirements are met",
                                     self)
        self.kxInput.setObjectName("kxInput")
        self.kxInput.setAccessibleName("KX attestation")
        self.kxInput.setToolTip("Adds KX where the payer uses it; only when you attest it")
        group.full_row(self.kxInput)
        return group

    def line_edits(self) -> list[QLineEdit]:
        """The fields typed into (cleared by New patient; a clear button each)."""
        return [self.weightInput, self.heightInput, self.doseInput, self.dxInput,
                self.priorAuthInput]

    def focus_chain(self) -> list[QWidget]:
        """Every input in reading order (the Tab order)."""
        return [self.weightInput, self.weightUnit, self.basisInput, self.heightInput,
                self.heightUnit, self.sexInput, self.presetInput, self.doseInput, self.doseUnit,
                self.perInput, self.daysInput, self.dxInput, self.productInput,
                *self.vialSizesInput.boxes(), self.vialPreferenceInput,
                self.routeInput, self.codeInput, self.codeFixButton, self.payerInput,
                self.site340bInput, self.priorAuthInput, self.dateInput, self.roundingInput,
                self.kxInput]
