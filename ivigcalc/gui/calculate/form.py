"""The order form: every input of the order, and the CalcRequest they make.

The form reads and checks what was typed only through the engine (units.parse_*,
billing.resolve_code, dosing.dosing_weight); it never converts or computes by itself. A
problem is shown beside its field as one line, never in a dialog, so typing is never
interrupted. kg is the working unit: every window and every new patient starts in kg, and a
weight entered in lb shows the kg it means beside it (ISMP). Reading the form for the
engine and the worksheet is in form_reading.py.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from ivigcalc import text
from ivigcalc.data.catalog import ROUTE_NAMES, Catalog, Policy
from ivigcalc.errors import InputError
from ivigcalc.gui.calculate import form_reading
from ivigcalc.gui.calculate.choices import KEY, preset_model, preset_routes
from ivigcalc.gui.calculate.form_layout import OrderFields
from ivigcalc.gui.prefs import Preferences
from ivigcalc.gui.widgets.fields import show_message

if TYPE_CHECKING:
    from ivigcalc.calc import CalcRequest
    from ivigcalc.data.necessity_model import Necessity
    from ivigcalc.result import Result

# Engine field names whose messages have no field of their own: shown under a neighbour.
_FIELD_ALIASES = {"per": "dose", "round": "rounding", "policy": "basis", "preset": "dose"}


class OrderForm(OrderFields):
    """All the inputs. `changed` fires on every edit; `request()` reads them."""

    changed = Signal()

    def __init__(self, catalog: Catalog, prefs: Preferences,
                 parent: QWidget | None = None) -> None:
        super().__init__(catalog, parent)
        self.prefs = prefs
        self.indication: str | None = None  # the preset last chosen (see _preset_chosen)
        self._quiet = 0  # >0 while the form changes itself: one recompute at the end
        self._own_code: str | None = None  # the product's code the code field follows
        self._necessity: Necessity | None = None  # the labels' data, after the first paint
        self._presets_for: tuple[tuple[str, ...], str | None] | None = \
            (preset_routes(None), None)  # what the preset list was built for
        self._load_preferences()
        self.use_vial_preference()
        self._connect()
        self._refresh_dependent()

    # --- preferences and signals ----------------------------------------------------------

    def _load_preferences(self) -> None:
        self._quiet += 1
        # The weight unit is never restored: kg is the working unit (ISMP), lb one entry's.
        for unit, key in ((self.heightUnit, "height_unit"), (self.doseUnit, "dose_unit")):
            unit.setCurrentIndex(max(0, unit.findData(self.prefs.get(key))))
        payer = self.prefs.get("payer", self.catalog.payers)
        self.payerInput.setCurrentIndex(max(0, self.payerInput.findData(payer)))
        self.site340bInput.setCurrentIndex(
            max(0, self.site340bInput.findData(self.prefs.get("site_340b"))))
        product = self.prefs.get("product", self.catalog.products)
        index = self.productInput.findData(product, KEY)
        if index < 0:
            index = self.productInput.findData(next(iter(self.catalog.products)), KEY)
        self.productInput.setCurrentIndex(index)
        self._product_changed()
        self._quiet -= 1

    def _connect(self) -> None:
        for edit in self.line_edits():
            edit.textChanged.connect(self._emit)
        for box in (self.basisInput, self.sexInput, self.perInput, self.routeInput,
                    self.roundingInput):
            box.currentIndexChanged.connect(self._emit)
        self.weightUnit.currentIndexChanged.connect(self._emit)
        for box, key in ((self.heightUnit, "height_unit"), (self.doseUnit, "dose_unit"),
                         (self.payerInput, "payer"), (self.site340bInput, "site_340b")):
            box.currentIndexChanged.connect(self._remember(box, key))
        # The preset's label stands only for the preset's own dose: an edit clears it.
        self.doseInput.textEdited.connect(self._order_edited)
        for box in (self.doseUnit, self.perInput):
            box.activated.connect(self._order_edited)
        self.daysInput.valueChanged.connect(self._order_edited)
        self.productInput.currentIndexChanged.connect(self._product_changed)
        self.vialSizesInput.toggled.connect(self._vials_toggled)
        self.presetInput.activated.connect(self._preset_chosen)
        self.presetInput.currentIndexChanged.connect(self._show_preset_hint)
        self.daysInput.valueChanged.connect(self._emit)
        self.codeInput.editTextChanged.connect(self._emit)
        self.codeFixButton.clicked.connect(self._use_own_code)
        self.dateInput.dateChanged.connect(self._date_changed)
        self.kxInput.toggled.connect(self._emit)
        self.vialPreferenceInput.valueChanged.connect(self._vial_preference_changed)

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

    def _product_changed(self) -> None:
        key = self.productInput.currentData(KEY)
        if key is None:  # a heading: cannot happen by keyboard or mouse, only by code
            return
        product = self.product()
        self._quiet += 1
        self.prefs.set("product", key)
        sizes = (*product.vial_sizes_mg, *product.labeled_sizes_mg)
        self.vialSizesInput.set_sizes(
            sizes, set(self.prefs.stocked(key, sizes, product.vial_sizes_mg)),
            product.labeled_sizes_mg)
        self._vials_caption.setBuddy(self.vialSizesInput)  # focus only: see VialSizes
        self._fix_tab_order()
        self._refresh_presets()
        self.routeInput.clear()
        for name in product.routes:
            self.routeInput.addItem(f"{ROUTE_NAMES[name].capitalize()} ({name.upper()})", name)
        # The route follows the product (its first, IV for a dual-route one, as --route's
        # default), unless the chosen regimen is given by another route the product has: a
        # route left over from the last product billed Gamunex-C as SC (issue 24).
        route = self._route_for_preset(self.presetInput.currentData() or self.indication)
        self.routeInput.setCurrentIndex(max(0, self.routeInput.findData(route)))
        self.routeInput.setEnabled(len(product.routes) > 1)
        self._follow_own_code()
        self._quiet -= 1
        self._emit()

    def use_vial_preference(self) -> None:
        """Show the site's vial preference; editable (and remembered) only where the site
        catalog allows it (vial_preference_editable)."""
        box, catalog = self.vialPreferenceInput, self.catalog
        editable = catalog.vial_preference_editable
        value = catalog.vial_preference_units
        kept = self.prefs.get("vial_preference_units") if editable else ""
        if kept.isdigit() and 0 <= int(kept) <= box.maximum():
            value = int(kept)
        box.blockSignals(True)
        box.setValue(value)
        box.blockSignals(False)
        box.setEnabled(editable)
        box.setToolTip("Prefer the plan with fewer vials when it discards at most this many "
                       "more billing units than the least waste. Set by the site catalog "
                       f"(vial_preference_units = {catalog.vial_preference_units})"
                       + ("; this workstation may change it." if editable else
                          "; only the site catalog changes it."))

    def _vial_preference_changed(self, value: int) -> None:
        self.prefs.set("vial_preference_units", str(value))
        self._emit()

    def use_labels(self, necessity: Necessity) -> None:
        """Mark the presets the product's label does not carry (after the first paint: the
        labels' data is read then)."""
        self._necessity = necessity
        self._quiet += 1
        self._refresh_presets()
        self._quiet -= 1

    def _refresh_presets(self) -> None:
        """Only the presets of the product's routes, marked off label where its label does
        not carry their indication; the chosen one stays chosen if still listed, else it is
        cleared and the hint says why."""
        product = self.product()
        wanted = (preset_routes(product), product.key if self._necessity else None)
        if wanted == self._presets_for:
            return
        self._presets_for = wanted
        key = self.presetInput.currentData()
        old = self.presetInput.model()
        self.presetInput.blockSignals(True)
        self.presetInput.setModel(preset_model(self.catalog, self, product, self._necessity))
        index = self.presetInput.findData(key) if key is not None else 0
        self.presetInput.setCurrentIndex(max(0, index))
        self.presetInput.blockSignals(False)
        old.deleteLater()
        if key is not None and index < 0:
            self._preset_dropped(key)
        elif key is not None:
            self._show_preset_hint()  # another product: on or off its label

    def _preset_dropped(self, key: str) -> None:
        """The new product cannot give the chosen regimen: clear it and say why."""
        preset, product = self.catalog.presets[key], self.product()
        self.indication = None  # its rates and dose range were for another route
        given = " or ".join(ROUTE_NAMES[r] for r in product.routes)
        route = ROUTE_NAMES[preset.route]
        self.presetHint.setText(f"⚠ {preset.name} is given {route}ly, and {product.name} only "
                                f"{given}ly: the preset was cleared (the dose stays as "
                                f"entered). Choose a product given {route}ly, or another "
                                "regimen.")
        self.presetHint.setToolTip(preset.source)
        self.presetHint.show()

    def _route_for_preset(self, key: str | None) -> str | None:
        """The product's route that gives the preset's regimen: the regimen's own route, or one
        dosed like it (HyQvia, SC dosed as IV); None when no preset or no route of the product
        fits."""
        preset = self.catalog.presets.get(key) if key is not None else None
        if preset is None:
            return None
        product = self.product()
        fitting = [r for r in product.routes if product.dosed_as(r) == preset.route]
        return preset.route if preset.route in fitting else next(iter(fitting), None)

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
        if key is None:  # "None" chosen by the user: no indication any more
            self.indication = None
            self._emit()
            return
        preset = self.catalog.presets[key]
        self._quiet += 1
        self.doseUnit.setCurrentIndex(self.doseUnit.findData("g/kg"))
        self.doseInput.setText(text.plain(preset.dose_g_per_kg))
        self.perInput.setCurrentIndex(self.perInput.findData(preset.per))
        self.daysInput.setValue(preset.days)
        route = self._route_for_preset(key)  # listed presets fit the product's routes
        if route is not None:
            self.routeInput.setCurrentIndex(self.routeInput.findData(route))
        self._quiet -= 1
        self._emit()

    def _order_edited(self) -> None:
        """The dose, unit, per or days was changed by hand: is it still the preset's order?"""
        key = self.presetInput.currentData()
        if self._quiet or key is None:
            return
        preset = self.catalog.presets[key]
        from ivigcalc.dose import units

        try:
            dose = units.parse_dose(self.doseInput.text(), "dose", self.doseUnit.currentData())
        except InputError:
            dose = None
        if (dose, self.perInput.currentData(), self.daysInput.value()) != \
                (preset.dose_g_per_kg * 1000, preset.per, preset.days):
            self.presetInput.setCurrentIndex(0)
            self.presetHint.setText(f"Preset cleared: the order is no longer {preset.name}. "
                                    f"Rates and dose range stay those of {preset.name}.")
            self.presetHint.show()

    def _show_preset_hint(self) -> None:
        key = self.presetInput.currentData()
        # The indication outlives the preset's label: editing the dose clears the label but
        # keeps the indication's rate protocol and dose range (ITP's maximum rate is half
        # PI's). Choosing "None" or New patient clears it.
        if key is not None:
            self.indication = key
        if key is None:
            self.presetHint.hide()
            return
        preset = self.catalog.presets[key]
        icd = f" · ICD-10-CM {preset.icd10}" if preset.icd10 else ""
        hint = f"{preset.range}{icd}. Dose, per and days stay editable."
        indication = (self._necessity.indication_of_regimen(key, preset.icd10)
                      if self._necessity is not None else None)
        label = (self._necessity.off_label(self.product().key, indication)
                 if self._necessity is not None and indication is not None else None)
        if label is not None and indication is not None:  # the list's mark, spelled out
            hint = (f"Off label for {self.product().name}: its label does not carry "
                    f"{indication.name}. {hint}")
        self.presetHint.setText(hint)
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
        form_reading.refresh_basis_hint(self, policy)
        self._refresh_weight_in_kg()
        self._refresh_code_info()

    def _refresh_weight_in_kg(self) -> None:
        """Beside a weight not in kg, the kg it means, as the engine reads it (172 lb → 78 kg)."""
        typed = self.weightInput.text()
        if not typed.strip():  # as at every start: nothing to convert (units loads later)
            self.weightKgView.setText("")
            self.weightKgView.hide()
            return
        from ivigcalc.dose import units

        try:
            kg = units.parse_weight(typed, "weight", self.weightUnit.currentData())
        except InputError:
            kg = None
        in_kg = units.as_entered(typed, self.weightUnit.currentData()).endswith(" kg")
        shown = kg is not None and not in_kg
        self.weightKgView.setText(f"= {text.weight(kg)}" if shown and kg is not None else "")
        self.weightKgView.setVisible(shown)

    def _payer_policy(self) -> Policy:
        payer = self.catalog.payers[self.payerInput.currentData()]
        return self.catalog.policies[payer.dosing_policy]

    def _refresh_code_info(self) -> None:
        """What the code is, on hover and for screen readers (the working repeats it)."""
        code = self.catalog.codes.get(self.code_text())
        about = code.descriptor if code is not None else ""
        self.codeInput.setToolTip(about or "HCPCS code; the product's own by default")
        self.codeInput.setAccessibleDescription(about)

    # --- reading the form -----------------------------------------------------------------

    def request(self) -> CalcRequest:
        return form_reading.request(self)

    def precheck(self, *, code: bool = True) -> tuple[list[str], dict[str, str]]:
        """(fields still empty, problems by field) for what was typed, via the engine;
        code=False: without the billing code's check."""
        return form_reading.precheck(self, code=code)

    def describe(self, result: Result) -> list[tuple[str, str]]:
        """The inputs of this form's `result` as entered (for the worksheet)."""
        return form_reading.describe(self, result)

    # --- a new patient --------------------------------------------------------------------

    def new_patient(self) -> None:
        """Clear the patient and the order; keep the product, the payer and the stock.

        Everything that belongs to one patient or one order goes back to its default (the
        weight unit to kg, the basis to actual, per day, 1 day, no rounding, no KX, today,
        the product's own code and first route), so nothing carries over to the next
        patient unseen. The weight then has the focus.
        """
        self._quiet += 1
        for edit in self.line_edits():
            edit.clear()
        for box, value in ((self.weightUnit, "kg"), (self.basisInput, "actual"),
                           (self.sexInput, None), (self.perInput, "day"),
                           (self.roundingInput, "none")):
            box.setCurrentIndex(max(0, box.findData(value)))
        self.presetInput.setCurrentIndex(0)
        self.indication = None
        self.presetHint.clear()  # "Preset cleared: … stay those of CIDP" was the last order's
        self.presetHint.setToolTip("")
        self.presetHint.hide()
        self.daysInput.setValue(1)
        self.routeInput.setCurrentIndex(0)  # the product's first route
        self.kxInput.setChecked(False)
        self.dateInput.setDate(QDate.currentDate())
        self.codeInput.setEditText(self.product().code_on(self.date_of_service()))
        self._own_code = self.code_text()
        self._quiet -= 1
        self._emit()
        self.weightInput.setFocus()  # Qt's OtherFocusReason

    # --- showing problems -----------------------------------------------------------------

    def show_problems(self, problems: dict[str, str]) -> dict[str, str]:
        """One line beside each field with a problem; every other message is cleared.

        Returns the problems that have no field here to sit beside (the page shows those).
        """
        shown: dict[str, str] = {}
        for field, message in problems.items():
            if message.lower().startswith(f"{field}: "):
                message = message[len(field) + 2:]
            shown[_FIELD_ALIASES.get(field, field)] = message
        for field, label in self._messages.items():
            show_message(label, shown.get(field, ""))
        own = self.product().code_on(self.date_of_service())
        self.codeFixButton.setVisible("code" in shown and self.code_text() != own)
        self.codeFixButton.setText(f"Use {own} i&nstead")
        return {field: message for field, message in shown.items()
                if field not in self._messages}

    def restyle(self) -> None:
        """Re-colour messages after a light/dark palette change."""
        for label in self._messages.values():
            show_message(label, label.accessibleDescription())

    # --- keyboard -------------------------------------------------------------------------

    def _fix_tab_order(self) -> None:
        """Set the Tab order (again after the vial checkboxes are rebuilt)."""
        for first, second in pairwise(self.focus_chain()):
            QWidget.setTabOrder(first, second)


__all__ = ["OrderForm"]
