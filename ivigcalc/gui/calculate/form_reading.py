"""Reading the order form: the CalcRequest, the precheck while typing, the worksheet's
record of what was entered, and the payer policy's hint. All through the engine.

The engine's units, dosing and billing modules (and the Result types they build) are
imported where they are first needed: an empty form, as every window starts, needs none of
them, so they load after the first paint (issue 14).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivigcalc import text
from ivigcalc.data.catalog import Policy
from ivigcalc.errors import InputError, Refusal

if TYPE_CHECKING:
    from ivigcalc.calc import CalcRequest
    from ivigcalc.gui.calculate.form_layout import OrderFields
    from ivigcalc.result import Result

def request(form: OrderFields) -> CalcRequest:
    from ivigcalc.calc import CalcRequest  # the engine loads after the first paint

    needs_body = form.body_needed()
    return CalcRequest(
        weight=form.weightInput.text(), dose=form.doseInput.text(),
        product=form.product().key, date_of_service=form.date_of_service(),
        height=form.heightInput.text() if needs_body else None,
        sex=form.sexInput.currentData() if needs_body else None,
        basis=form.basisInput.currentData(), per=form.perInput.currentData(),
        days=form.daysInput.value(), vials=form.stocked_sizes(),
        code=form.code_text() or None, route=form.routeInput.currentData(),
        payer=form.payerInput.currentData(), rounding=form.roundingInput.currentData(),
        kx=form.kxInput.isChecked(), site_340b=form.site340bInput.currentData() or None,
        weight_unit=form.weightUnit.currentData(),
        height_unit=form.heightUnit.currentData(), dose_unit=form.doseUnit.currentData(),
        preset=form.presetInput.currentData(), dx=form.dxInput.text() or None,
        prior_auth=form.priorAuthInput.text() or None,
        vial_preference_units=(form.vialPreferenceInput.value()
                               if form.catalog.vial_preference_editable else None),
    )


def precheck(form: OrderFields, *, code: bool = True) -> tuple[list[str], dict[str, str]]:
    """(fields still empty, problems by field) for what was typed, via the engine.

    An empty field is not a mistake, only unfinished, so it gets no message beside it;
    the results say what is still needed. code=False leaves out the billing code's check
    (the window's first result, before its first paint: see CalculatePage.finish).
    """
    missing: list[str] = []
    problems: dict[str, str] = {}
    fields = [("weight", form.weightInput, form.weightUnit),
              ("dose", form.doseInput, form.doseUnit)]
    if form.body_needed():
        fields.append(("height", form.heightInput, form.heightUnit))
    for field, edit, unit in fields:
        if not edit.text().strip():
            missing.append(field)
            continue
        from ivigcalc.dose import units

        parse = {"weight": units.parse_weight, "dose": units.parse_dose,
                 "height": units.parse_height}[field]
        try:
            parse(edit.text(), field, unit.currentData())
        except InputError as error:
            problems[field] = error.detail
    if form.dxInput.text().strip():
        from ivigcalc.data import icd10  # the code set loads on the first code typed

        try:
            icd10.parse_list(form.dxInput.text(), "dx")
        except InputError as error:
            problems["dx"] = error.detail
    if form.body_needed() and form.sexInput.currentData() is None:
        missing.append("sex")
    if not code:
        return missing, problems
    from ivigcalc.billing import lines as billing
    from ivigcalc.result import Trail

    try:
        billing.resolve_code(form.catalog, form.product(), form.code_text() or None,
                             form.routeInput.currentData(), form.date_of_service(), Trail())
    except Refusal as error:
        problems["code"] = str(error)
    return missing, problems


def describe(form: OrderFields, result: Result) -> list[tuple[str, str]]:
    """The inputs as entered, labelled as on screen (for the worksheet): the command line's
    words for the same order (ivigcalc/worksheet/inputs.py)."""
    from ivigcalc.worksheet.inputs import describe as described

    return described(request(form), result, form.catalog)


def refresh_basis_hint(form: OrderFields, policy: Policy) -> None:
    """The payer policy's suggestion, worked out by the engine from what was typed."""
    hint = form.basisHint
    if policy.rule == "actual":
        hint.setText(f"The payer's policy doses on the actual weight ({policy.name}).")
        hint.setVisible(form.body_needed())
        return
    sex = form.sexInput.currentData()
    try:
        if not (form.weightInput.text().strip() and form.heightInput.text().strip()):
            raise InputError("weight", "not entered")  # as at start: no units module needed
        from ivigcalc.dose import units

        actual = units.parse_weight(form.weightInput.text(), "weight",
                                    form.weightUnit.currentData())
        height = units.parse_height(form.heightInput.text(), "height",
                                    form.heightUnit.currentData())
        if sex is None:
            raise InputError("sex", "not chosen")
        from ivigcalc.dose import dosing
        from ivigcalc.result import Trail

        weight = dosing.dosing_weight(actual, height, sex, "policy", policy, Trail())
    except InputError:
        hint.setText(f"Payer's policy: {policy.name}. Enter the weight, height and sex "
                     "to see which weight it suggests.")
    except Refusal:
        hint.setText(f"Payer's policy: {policy.name}. It needs the ideal body weight, "
                     "which has no value under 152.4 cm.")
    else:
        lead = (f"BMI {text.plain(weight.bmi, 1)}: the" if policy.rule == "bmi" and
                weight.bmi is not None else "The")
        hint.setText(f"{lead} {weight.basis} weight ({text.weight(weight.kg)}) is suggested "
                     f"by the payer's policy: {policy.name}.")
        hint.setToolTip(weight.reason)
    hint.show()
