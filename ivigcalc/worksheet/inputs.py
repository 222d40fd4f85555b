"""The order as a person reads it: the labels of the engine's keys (the order form offers the
same words) and the worksheet's "Inputs as entered", made from the request the engine was
given, so the window and `ivigcalc calc --worksheet` describe one order in the same words.
The engine loads when an order is described, not when the window imports the labels."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivigcalc import text

if TYPE_CHECKING:
    from ivigcalc.calc import CalcRequest
    from ivigcalc.data.catalog import Catalog
    from ivigcalc.result import Result

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
# label -> the modifier kept in the preference ("" = not 340B)
SITE_340B = {"Not a 340B site": "", "340B site: JG": "JG",
             "340B site: TB (CAH, rural SCH, children's or cancer hospital)": "TB"}


def describe(request: CalcRequest, result: Result, catalog: Catalog) -> list[tuple[str, str]]:
    """The inputs as entered, labelled as on the order form (for the worksheet), except
    what every page's header and the payer's line say: the product, its code and route, the
    payer and the dates of service."""
    from ivigcalc.calc import stocked_sizes
    from ivigcalc.dose.units import as_entered

    weight = as_entered(request.weight, request.weight_unit)
    if not weight.endswith(" kg"):  # lb: the kg it means, as the form shows beside it
        weight += f" (= {text.weight(result.dosing.actual_kg)})"
    rows = [("Weight", weight), ("Dosing basis", BASIS_LABELS[request.basis])]
    if request.height:
        rows.append(("Height", as_entered(request.height, request.height_unit)))
    if request.sex:
        rows.append(("Sex", request.sex.capitalize()))
    if result.preset:  # only while the order is exactly the preset's (the rate protocol
        rows.append(("Indication", result.preset))  # an --indication picks is in its table)
    if (request.dx or "").strip():
        rows.append(("Diagnosis", (request.dx or "").strip()))
    sizes = stocked_sizes(request, catalog.products[result.product_key])
    return [
        *rows,
        ("Dose", f"{as_entered(request.dose, request.dose_unit)} per {request.per}, "
                 f"{text.count(request.days, 'day')}"),
        ("Vials in stock", ", ".join(text.grams(s) for s in sorted(sizes))),
        *([("Prior authorization", (request.prior_auth or "").strip())]
          if (request.prior_auth or "").strip() else []),
        ("Rounding", ROUNDING_LABELS[request.rounding]),
        ("KX attested", "yes" if request.kx else "no"),
        *([("340B", next(label for label, key in SITE_340B.items()
                         if key == request.site_340b.strip().upper()))]
          if request.site_340b else []),  # a 340B site's lines say it
    ]
