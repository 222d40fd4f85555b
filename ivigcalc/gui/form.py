"""The order form: every input of issue 3, and the CalcRequest they make.

The form reads and checks what was typed only through the engine (units.parse_*,
billing.resolve_code, dosing.dosing_weight); it never converts or computes by itself. A
problem is shown beside its field as one line, never in a dialog, so typing is never
interrupted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from fractions import Fraction
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ivigcalc import text
from ivigcalc.billing import lines as billing
from ivigcalc.data.catalog import ROUTE_NAMES, Catalog, Policy, Product
from ivigcalc.dose import dosing, units
from ivigcalc.errors import InputError, Refusal
from ivigcalc.gui.fields import FieldGroup, combo, line_edit, show_message
from ivigcalc.gui.prefs import Preferences
from ivigcalc.gui.vialboxes import VialSizes
from ivigcalc.result import Trail

if TYPE_CHECKING:
    from ivigcalc.calc import CalcRequest

BASIS_LABELS = {
    "actual": "Actual body weight",
    "ideal": "Ideal body weight (Devine)",
    "adjusted": "Adjusted body weight",
    "policy": "As the payer's policy says",
}
ROUNDING_LABELS = {
    "none": "None: give the dose as ordered",
    "nearest-vial": "Nearest whole vial (within ±10%)",
    "nearest-5g": "Nearest 5 g",
}
KIND_HEADINGS = {"ivig": "Intravenous (IVIG)", "scig": "Subcutaneous (SCIG)"}
PRODUCT_KEY = Qt.ItemDataRole.UserRole  # item data of productInput: the product key
_BARE_NUMBER = re.compile(r"^\s*(\d+(\.\d*)?|\.\d+)\s*$")
# Engine field names whose messages have no field of their own: shown under a neighbour.
_FIELD_ALIASES = {"per": "dose", "round": "rounding", "policy": "basis"}


class OrderForm(QWidget):
    """All the inputs. `changed` fires on every edit; `request()` reads them."""

    changed = Signal()

    def __init__(self, catalog: Catalog, prefs: Preferences,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.prefs = prefs
        self._quiet = 0  # >0 while the form changes itself: one recompute at the end
        self._own_code: str | None = None  # the product's code the code field follows
        self._messages: dict[str, QLabel] = {}
        self._captions: dict[QWidget, QLabel] = {}
        self._build()
        self._load_preferences()
        self._connect()
        self._refresh_dependent()

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
        group.row("&Weight", [self.weightInput, self.weightUnit], "weight")
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
        presets: list[tuple[str, object]] = [("None: enter the dose", None)]
        presets += [(p.name, key) for key, p in self.catalog.presets.items()]
        self.presetInput = combo(self, "presetInput", presets)
        self.presetInput.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.presetInput.setMinimumContentsLength(18)
        group.row("&Indication", [self.presetInput])
        self.presetHint = group.hint("presetHint", "Indication dose range")
        self.doseInput = line_edit(self, "doseInput", "e.g. 0.4", "350 mg/kg")
        self.doseUnit = combo(self, "doseUnit", [("g/kg", "g/kg"), ("mg/kg", "mg/kg")])
        self.doseUnit.setAccessibleName("Dose unit")
        self.perInput = combo(self, "perInput", [("per day", "day"), ("per course", "course")])
        self.perInput.setAccessibleName("Dose per day or per course")
        self.daysInput = QSpinBox(self)
        self.daysInput.setObjectName("daysInput")
        self.daysInput.setRange(1, 31)
        self.daysInput.setToolTip("Infusion days; each day opens its own vials")
        self.daysInput.setAccessibleName("Infusion days")
        days_caption = QLabel("Da&ys", self)
        days_caption.setBuddy(self.daysInput)
        days_caption.setToolTip(self.daysInput.toolTip())
        group.row("&Dose", [self.doseInput, self.doseUnit, self.perInput, days_caption,
                            self.daysInput], "dose")
        group.message_row("days", "Infusion days")
        return group

    def _product_group(self) -> FieldGroup:
        group = self._group("Product")
        self.productInput = QComboBox(self)
        self.productInput.setObjectName("productInput")
        self.productInput.setModel(self._product_model())
        self.productInput.setMaxVisibleItems(25)
        group.row("P&roduct", [self.productInput], "product")
        self.vialSizesInput = VialSizes(self)
        self._vials_caption = group.row("&Vials in stock", [self.vialSizesInput], "vials",
                                        align=Qt.AlignmentFlag.AlignTop)
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
        self.codeInput.setCompleter(None)  # type: ignore[arg-type]  # inline completion would bill J1610 while typing J16…
        for key, code in sorted(self.catalog.codes.items(),
                                key=lambda item: (not item[1].immune_globulin, item[0])):
            self.codeInput.addItem(key, key)
            self.codeInput.setItemData(self.codeInput.count() - 1, code.descriptor,
                                       Qt.ItemDataRole.ToolTipRole)
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
        self.dateInput = QDateEdit(self)
        self.dateInput.setObjectName("dateInput")
        self.dateInput.setCalendarPopup(True)
        self.dateInput.setDisplayFormat("yyyy-MM-dd")
        self.dateInput.setMinimumDate(QDate(2000, 1, 1))
        self.dateInput.setDate(QDate.currentDate())
        group.row("Date of &service", [self.dateInput])
        self.roundingInput = combo(self, "roundingInput",
                                   [(v, k) for k, v in ROUNDING_LABELS.items()])
        group.row("Ro&unding", [self.roundingInput], "rounding", accessible="Dose rounding")
        self.kxInput = QCheckBox("&KX: the payer's documentation requirements are met", self)
        self.kxInput.setObjectName("kxInput")
        self.kxInput.setAccessibleName("KX attestation")
        self.kxInput.setToolTip("Adds KX where the payer uses it; only when you attest it")
        group.full_row(self.kxInput)
        return group

    def _product_model(self) -> QStandardItemModel:
        """Products grouped under IVIG and SCIG headings that cannot be chosen."""
        model = QStandardItemModel(self)
        for kind, heading in KIND_HEADINGS.items():
            title = QStandardItem(heading)
            title.setFlags(Qt.ItemFlag.NoItemFlags)
            font = title.font()
            font.setBold(True)
            title.setFont(font)
            model.appendRow(title)
            for key, product in self.catalog.products.items():
                if product.kind == kind:
                    item = QStandardItem(product.name)
                    item.setData(key, PRODUCT_KEY)
                    item.setToolTip(f"{product.name} ({product.maker}), "
                                    f"{', '.join(product.all_codes)}")
                    model.appendRow(item)
        return model

    # --- preferences and signals ----------------------------------------------------------

    def _load_preferences(self) -> None:
        self._quiet += 1
        for unit, key in ((self.weightUnit, "weight_unit"), (self.heightUnit, "height_unit"),
                          (self.doseUnit, "dose_unit")):
            unit.setCurrentIndex(max(0, unit.findData(self.prefs.get(key))))
        payer = self.prefs.get("payer", self.catalog.payers)
        self.payerInput.setCurrentIndex(max(0, self.payerInput.findData(payer)))
        product = self.prefs.get("product", self.catalog.products)
        index = self.productInput.findData(product, PRODUCT_KEY)
        if index < 0:
            index = self.productInput.findData(next(iter(self.catalog.products)), PRODUCT_KEY)
        self.productInput.setCurrentIndex(index)
        self._product_changed()
        self._quiet -= 1

    def _connect(self) -> None:
        for edit in (self.weightInput, self.heightInput, self.doseInput):
            edit.textChanged.connect(self._emit)
        for box in (self.basisInput, self.sexInput, self.perInput, self.routeInput,
                    self.roundingInput):
            box.currentIndexChanged.connect(self._emit)
        for box, key in ((self.weightUnit, "weight_unit"), (self.heightUnit, "height_unit"),
                         (self.doseUnit, "dose_unit"), (self.payerInput, "payer")):
            box.currentIndexChanged.connect(self._remember(box, key))
        self.productInput.currentIndexChanged.connect(self._product_changed)
        self.vialSizesInput.toggled.connect(self._vials_toggled)
        self.presetInput.activated.connect(self._preset_chosen)
        self.presetInput.currentIndexChanged.connect(self._show_preset_hint)
        self.daysInput.valueChanged.connect(self._emit)
        self.codeInput.editTextChanged.connect(self._emit)
        self.codeFixButton.clicked.connect(self._use_own_code)
        self.dateInput.dateChanged.connect(self._date_changed)
        self.kxInput.toggled.connect(self._emit)

    def _remember(self, box: QComboBox, key: str) -> Callable[[int], None]:
        def store(_index: int) -> None:
            self.prefs.set(key, box.currentData())
            self._emit()
        return store

    def _emit(self) -> None:
        if not self._quiet:
            self._refresh_dependent()
            self.changed.emit()

    # --- reacting to choices --------------------------------------------------------------

    def product(self) -> Product:
        return self.catalog.products[self.productInput.currentData(PRODUCT_KEY)]

    def date_of_service(self) -> dt.date:
        day = self.dateInput.date()
        return dt.date(day.year(), day.month(), day.day())

    def _product_changed(self) -> None:
        key = self.productInput.currentData(PRODUCT_KEY)
        if key is None:  # a heading: cannot happen by keyboard or mouse, only by code
            return
        product = self.product()
        self._quiet += 1
        self.prefs.set("product", key)
        self.vialSizesInput.set_sizes(
            product.vial_sizes_mg, set(self.prefs.stocked(key, product.vial_sizes_mg)))
        self._vials_caption.setBuddy(self.vialSizesInput.boxes()[0])
        self._fix_tab_order()
        route = self.routeInput.currentData()
        self.routeInput.clear()
        for name in product.routes:
            self.routeInput.addItem(f"{ROUTE_NAMES[name].capitalize()} ({name.upper()})", name)
        self.routeInput.setCurrentIndex(max(0, self.routeInput.findData(route)))
        self.routeInput.setEnabled(len(product.routes) > 1)
        self._follow_own_code()
        self._quiet -= 1
        self._emit()

    def _follow_own_code(self) -> None:
        """The code follows the product unless someone typed another one on purpose."""
        own = self.product().code_on(self.date_of_service())
        typed = self.code_text()
        if not typed or self._own_code is None or typed == self._own_code:
            self.codeInput.setEditText(own)
        self._own_code = own

    def _date_changed(self) -> None:
        self._quiet += 1
        self._follow_own_code()
        self._quiet -= 1
        self._emit()

    def _use_own_code(self) -> None:
        self.codeInput.setEditText(self.product().code_on(self.date_of_service()))
        self.codeInput.setFocus()

    def _vials_toggled(self) -> None:
        self.prefs.set_stocked(self.product().key, self.stocked_sizes())
        self._emit()

    def _preset_chosen(self, index: int) -> None:
        key = self.presetInput.itemData(index)
        if key is None:
            return
        preset = self.catalog.presets[key]
        self._quiet += 1
        self.doseUnit.setCurrentIndex(self.doseUnit.findData("g/kg"))
        self.doseInput.setText(text.plain(preset.dose_g_per_kg))
        self.perInput.setCurrentIndex(self.perInput.findData(preset.per))
        self.daysInput.setValue(preset.days)
        self._quiet -= 1
        self._emit()

    def _show_preset_hint(self) -> None:
        key = self.presetInput.currentData()
        if key is None:
            self.presetHint.hide()
            return
        preset = self.catalog.presets[key]
        icd = f" · ICD-10-CM {preset.icd10}" if preset.icd10 else ""
        self.presetHint.setText(f"{preset.range}{icd}. Dose, per and days stay editable.")
        self.presetHint.setToolTip(preset.source)
        self.presetHint.show()

    def _refresh_dependent(self) -> None:
        """Rows that appear only when needed, and the basis and code hints."""
        policy = self._payer_policy()
        needs_body = self.body_needed() or policy.rule != "actual"
        for widget in (self.heightInput, self.heightUnit, self._sex_caption, self.sexInput):
            widget.setVisible(needs_body)
            self._captions[widget].setVisible(needs_body)
        if not needs_body:
            for field in ("height", "sex"):
                self._messages[field].hide()
        self._refresh_basis_hint(policy)
        self._refresh_code_info()

    def _payer_policy(self) -> Policy:
        payer = self.catalog.payers[self.payerInput.currentData()]
        return self.catalog.policies[payer.dosing_policy]

    def _refresh_basis_hint(self, policy: Policy) -> None:
        """The payer policy's suggestion, worked out by the engine from what was typed."""
        hint = self.basisHint
        if policy.rule == "actual":
            hint.setText(f"The payer's policy doses on the actual weight ({policy.name}).")
            hint.setVisible(self.body_needed())
            return
        sex = self.sexInput.currentData()
        try:
            actual = units.parse_weight(self.weightInput.text(), "weight",
                                        self.weightUnit.currentData())
            height = units.parse_height(self.heightInput.text(), "height",
                                        self.heightUnit.currentData())
            if sex is None:
                raise InputError("sex", "not chosen")
            weight = dosing.dosing_weight(actual, height, sex, "policy", policy, Trail())
        except InputError:
            hint.setText(f"Payer's policy: {policy.name}. Enter the weight, height and sex "
                         "to see which weight it suggests.")
        else:
            lead = (f"BMI {text.decimal(weight.bmi, 1)}: the" if policy.rule == "bmi" and
                    weight.bmi is not None else "The")
            hint.setText(f"{lead} {weight.basis} weight ({text.kg(weight.kg)}) is suggested "
                         f"by the payer's policy: {policy.name}.")
            hint.setToolTip(weight.reason)
        hint.show()

    def _refresh_code_info(self) -> None:
        """What the code is, on hover and for screen readers (the working repeats it)."""
        code = self.catalog.codes.get(self.code_text())
        about = code.descriptor if code is not None else ""
        self.codeInput.setToolTip(about or "HCPCS code; the product's own by default")
        self.codeInput.setAccessibleDescription(about)

    # --- reading the form -----------------------------------------------------------------

    def code_text(self) -> str:
        return self.codeInput.currentText().strip().upper()

    def stocked_sizes(self) -> tuple[Fraction, ...]:
        return self.vialSizesInput.stocked()

    def body_needed(self) -> bool:
        """The chosen basis needs the height and sex (ideal or adjusted weight)."""
        return bool(self.basisInput.currentData() != "actual")

    def request(self) -> CalcRequest:
        from ivigcalc.calc import CalcRequest  # the engine loads after the first paint

        needs_body = self.body_needed()
        return CalcRequest(
            weight=self.weightInput.text(), dose=self.doseInput.text(),
            product=self.product().key, date_of_service=self.date_of_service(),
            height=self.heightInput.text() if needs_body else None,
            sex=self.sexInput.currentData() if needs_body else None,
            basis=self.basisInput.currentData(), per=self.perInput.currentData(),
            days=self.daysInput.value(), vials=self.stocked_sizes(),
            code=self.code_text() or None, route=self.routeInput.currentData(),
            payer=self.payerInput.currentData(), rounding=self.roundingInput.currentData(),
            kx=self.kxInput.isChecked(), weight_unit=self.weightUnit.currentData(),
            height_unit=self.heightUnit.currentData(), dose_unit=self.doseUnit.currentData(),
        )

    def precheck(self) -> tuple[list[str], dict[str, str]]:
        """(fields still empty, problems by field) for what was typed, via the engine.

        An empty field is not a mistake, only unfinished, so it gets no message beside it;
        the results say what is still needed.
        """
        missing: list[str] = []
        problems: dict[str, str] = {}
        fields: list[tuple[str, QLineEdit, Callable[..., Fraction], QComboBox]] = [
            ("weight", self.weightInput, units.parse_weight, self.weightUnit),
            ("dose", self.doseInput, units.parse_dose, self.doseUnit),
        ]
        if self.body_needed():
            fields.append(("height", self.heightInput, units.parse_height, self.heightUnit))
        for field, edit, parse, unit in fields:
            if not edit.text().strip():
                missing.append(field)
                continue
            try:
                parse(edit.text(), field, unit.currentData())
            except InputError as error:
                problems[field] = error.detail
        if self.body_needed() and self.sexInput.currentData() is None:
            missing.append("sex")
        try:
            billing.resolve_code(self.catalog, self.product(), self.code_text() or None,
                                 self.routeInput.currentData(), self.date_of_service(), Trail())
        except Refusal as error:
            problems["code"] = str(error)
        return missing, problems

    # --- showing problems -----------------------------------------------------------------

    def show_problems(self, problems: dict[str, str]) -> None:
        """One line beside each field with a problem; every other message is cleared."""
        shown = {_FIELD_ALIASES.get(field, field): message
                 for field, message in problems.items()}
        for field, label in self._messages.items():
            message = shown.get(field, "")
            if message.lower().startswith(f"{field}: "):
                message = message[len(field) + 2:]
            show_message(label, message)
        own = self.product().code_on(self.date_of_service())
        self.codeFixButton.setVisible("code" in shown and self.code_text() != own)
        self.codeFixButton.setText(f"Use {own} i&nstead")

    def restyle(self) -> None:
        """Re-colour messages after a light/dark palette change."""
        for label in self._messages.values():
            show_message(label, label.accessibleDescription())

    # --- keyboard -------------------------------------------------------------------------

    def focus_chain(self) -> list[QWidget]:
        """Every input in reading order (the Tab order)."""
        return [self.weightInput, self.weightUnit, self.basisInput, self.heightInput,
                self.heightUnit, self.sexInput, self.presetInput, self.doseInput, self.doseUnit,
                self.perInput, self.daysInput, self.productInput, *self.vialSizesInput.boxes(),
                self.routeInput, self.codeInput, self.codeFixButton, self.payerInput,
                self.dateInput, self.roundingInput, self.kxInput]

    def _fix_tab_order(self) -> None:
        """Set the Tab order (again after the vial checkboxes are rebuilt)."""
        for first, second in pairwise(self.focus_chain()):
            QWidget.setTabOrder(first, second)

    # --- the worksheet's record of what was entered ---------------------------------------

    def describe(self) -> list[tuple[str, str]]:
        """The inputs as entered, labelled as on screen (for the worksheet)."""
        def with_unit(edit: QLineEdit, unit: QComboBox) -> str:
            typed = edit.text().strip()
            return f"{typed} {unit.currentText()}" if _BARE_NUMBER.match(typed) else typed

        rows = [("Weight", with_unit(self.weightInput, self.weightUnit)),
                ("Dosing basis", self.basisInput.currentText())]
        if self.body_needed():
            rows += [("Height", with_unit(self.heightInput, self.heightUnit)),
                     ("Sex", self.sexInput.currentText())]
        if self.presetInput.currentData() is not None:
            rows.append(("Indication", self.presetInput.currentText()))
        days = text.count(self.daysInput.value(), "day")
        rows += [
            ("Dose", f"{with_unit(self.doseInput, self.doseUnit)} "
                     f"{self.perInput.currentText()}, {days}"),
            ("Product", self.productInput.currentText()),
            ("Vials in stock", ", ".join(text.grams(s) for s in sorted(self.stocked_sizes()))),
            ("Route", self.routeInput.currentText()),
            ("Code", self.code_text()),
            ("Payer", self.payerInput.currentText()),
            ("Date of service", self.dateInput.date().toString("yyyy-MM-dd")),
            ("Rounding", self.roundingInput.currentText()),
            ("KX attested", "yes" if self.kxInput.isChecked() else "no"),
        ]
        return rows


__all__ = ["OrderForm"]
