"""The catalog's tables declared field by field (schema.py specs) and turned into rows.

Ranges are wide on purpose: they refuse what cannot be a real row (a 1e-30 g vial, 100,000
infusion days, a limit's hard_min above its hard_max) and leave a site's judgement alone.
Every hard limit the bundled limits have is required, so a site row cannot drop one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from ivigcalc.data import bounds
from ivigcalc.data.model import (
    ROUTES,
    Code,
    CodeUse,
    Limit,
    Limits,
    Payer,
    Policy,
    Preset,
    Product,
)
from ivigcalc.data.schema import (
    Choice,
    Day,
    FieldError,
    Flag,
    ListOf,
    Number,
    Ordered,
    Pattern,
    Record,
    Text,
    Whole,
)

MAX_ROWS = 2000  # rows in one table: the bundled tables hold a few dozen
ROW_KEY = Pattern(r"[a-z0-9][a-z0-9-]{0,39}", "lower-case letters, digits and hyphens (at "
                  "most 40), e.g. bcbs-michigan")
CODE = Pattern(r"[A-Z][0-9]{4}", "a HCPCS code like J1561")
CHARGE_CODE = Pattern(r"[A-Z0-9][0-9]{3}[0-9A-Z]", "a HCPCS or CPT code like J1561 or 96365")
MULTIPLE_NDC = ("lines", "nte")  # one line per NDC, or the others in the line's note
X12_ID = Pattern(r"[A-Za-z0-9][A-Za-z0-9 .-]{0,79}", "an 837 payer id (NM1*PR NM109, e.g. "
                 "00952), letters and digits, at most 80")

TEXT = Text()
NOTE = Text(4000)
DAY = Day()
FLAG = Flag()
ROUTE_LIST = ListOf(Choice(ROUTES), high=len(ROUTES))
COMMON = {"source": TEXT, "checked": DAY}


def _limit(unit: str, high: Fraction | int, *needs: str) -> Record:
    number = Number(high, unit=unit)
    names = ("hard_min", "soft_min", "soft_max", "hard_max")
    return Record({name: number for name in names}, required=frozenset(needs),
                  order=(Ordered(names),), make=Limit,
                  missing="is missing: a limit keeps its hard limits (a site catalog may "
                  "change one, not drop it)",
                  description="hard limits refuse, soft limits warn; hard_min <= soft_min "
                  "<= soft_max <= hard_max")


_CODE_USE = Record(
    {"code": CODE, "from": DAY, "until": DAY}, required=frozenset({"code"}),
    order=(Ordered(("from", "until")),),
    make=lambda **v: CodeUse(v["code"], v.get("from"), v.get("until")))


def _sizes(sizes: list[Fraction]) -> tuple[Fraction, ...]:
    problem = bounds.sizes_problem(sizes)
    if problem:
        raise ValueError(problem)
    return tuple(sorted(sizes, reverse=True))


ROWS: dict[str, Record] = {
    "codes": Record({
        "descriptor": TEXT, "unit_mg": Number(100_000, low=Fraction(1, 1000), unit="mg"),
        "routes": ROUTE_LIST, "immune_globulin": FLAG, **COMMON, "effective": DAY,
        "ended": DAY, "note": NOTE, "verify": FLAG,
    }, required=frozenset({"descriptor", "unit_mg", "routes", "immune_globulin", *COMMON}),
        order=(Ordered(("effective", "ended")),), description="a HCPCS code"),
    "products": Record({
        "name": TEXT, "maker": TEXT, "kind": Choice(("ivig", "scig")),
        "form": Choice(("liquid", "lyophilized")),
        "concentration_percent": Number(50, scale=10, unit="%"),
        "vial_sizes_g": ListOf(Number(200, low=Fraction(1, 100), scale=1000, unit="g"),
                               high=1000, make=_sizes),
        # Sizes on the label that no CMS crosswalk lists: accepted when stocked, no N4 line.
        "labeled_sizes_g": ListOf(Number(200, low=Fraction(1, 100), scale=1000, unit="g"),
                                  high=50, make=_sizes),
        "labeled_sizes_source": TEXT,
        "code": CODE, "codes": ListOf(_CODE_USE, high=20), "routes": ROUTE_LIST,
        "note": NOTE, "dose_limits": Choice(("iv", "sc")), **COMMON,
    }, required=frozenset({"name", "maker", "kind", "form", "vial_sizes_g", "routes", *COMMON}),
        exactly_one=(("code", "codes"),), description="an immune globulin product"),
    "payers": Record({
        "name": TEXT, "jw": FLAG, "jw_from": DAY, "jz_required_from": DAY, "kx": FLAG,
        "dosing_policy": ROW_KEY, "note": NOTE, **COMMON,
        "ndc_qualifier": Choice(("UN", "ML")), "opps": FLAG,
        "administration": FLAG, "push_max_minutes": Whole(0, 60), "pump_setup": FLAG,
        "administration_note": NOTE, "administration_source": TEXT,
        "x12_payer_ids": ListOf(X12_ID, high=50), "modifier_340b_from": DAY,
        "multiple_ndc": Choice(MULTIPLE_NDC), "multiple_ndc_source": TEXT,
        "mue_table": Choice(("practitioner", "outpatient-hospital", "dme")),
    }, required=frozenset({"name", "jw", "kx", "dosing_policy", *COMMON}),
        description="a payer's billing rules"),
    "policies": Record({
        "name": TEXT, "rule": Choice(("actual", "bmi", "percent-ibw")),
        "threshold": Number(1000), "inclusive": FLAG,
        "min_height_cm": Number(300, unit="cm"), "min_weight_kg_male": Number(1000, unit="kg"),
        "min_weight_kg_female": Number(1000, unit="kg"), "note": NOTE, **COMMON,
    }, required=frozenset({"name", "rule", *COMMON}), description="a dosing-weight policy"),
    "limits": Record({
        "name": TEXT, "weight_kg": _limit("kg", 1000, "hard_min", "hard_max"),
        "g_per_kg_per_day": _limit("g/kg", 100, "hard_min", "hard_max"),
        "g_per_kg_per_course": _limit("g/kg", 100, "hard_max"),
        "grams_per_day": _limit("g", bounds.MAX_PLAN_MG / 1000, "hard_max"),
        "height_cm": _limit("cm", 300, "hard_min", "hard_max"),
        "sc_g_per_kg_per_week": _limit("g/kg", 100, "hard_max"),
        # A site may tighten the rounding cap, never loosen it past 10% (HOPA).
        "rounding_cap_percent": Number(10, unit="%"), **COMMON,
    }, required=frozenset({"name", "weight_kg", "g_per_kg_per_day", "g_per_kg_per_course",
                           "grams_per_day", *COMMON}), description="dose limits"),
    "presets": Record({
        "name": TEXT, "dose_g_per_kg": Number(10, unit="g/kg"),
        "per": Choice(("day", "course", "week")), "days": Whole(1, 31), "range": TEXT,
        "route": Choice(("iv", "sc")), "icd10": TEXT,
        **COMMON,
    }, required=frozenset({"name", "dose_g_per_kg", "per", "days", "range", "route",
                           *COMMON}),
        description="an indication's usual dose"),
}

BUNDLED_META = Record({"name": TEXT, "quarter": Pattern(r"[0-9]{4}-Q[1-4]", "like 2026-Q4"),
                       "checked": DAY, "note": NOTE},
                      required=frozenset({"quarter", "checked"}))
# A site's charge per billing unit of a code: what `calc --format x12` bills (SV102/SV203).
CHARGES = Record({"usd_per_unit": Number(100_000, unit="USD"), "note": NOTE, **COMMON},
                 required=frozenset({"usd_per_unit"}),
                 description="the site's charge in USD per billing unit of a code (837 "
                             "SV102/SV203)")
SITE_META = Record({"name": TEXT, "note": NOTE,
                    # Prefer the plan with fewer vials when it discards at most this many more
                    # billing units than the least-waste plan (issue 24; 0: least waste).
                    "vial_preference_units": Whole(0, 50),
                    # May the window's user change it (kept as a preference on that machine)?
                    "vial_preference_editable": FLAG,
                    # Where the window's worksheet Save dialog opens (else Documents).
                    "worksheet_folder": TEXT},
                   description="the site catalog's name, shown after the bundled version, "
                               "and the site's settings")


def _product(key: str, values: dict[str, Any]) -> Product:
    codes = values.pop("codes", None) or (CodeUse(values.pop("code")),)
    percent = values.pop("concentration_percent", None)
    return Product(key=key, codes=codes, vial_sizes_mg=values.pop("vial_sizes_g"),
                   labeled_sizes_mg=values.pop("labeled_sizes_g", ()),
                   concentration_mg_per_ml=percent, **values)


def _payer(key: str, values: dict[str, Any]) -> Payer:
    if values.get("multiple_ndc") == "nte" and values.get("opps"):
        raise FieldError("multiple_ndc", "'nte' needs a professional (837P) payer: an 837I "
                         "service line has no NTE*ADD line note (only NTE*TPO); an opps payer "
                         "takes 'lines'")
    return Payer(key=key, **values)


def _policy(key: str, values: dict[str, Any]) -> Policy:
    if values["rule"] != "actual" and "threshold" not in values:
        raise FieldError("threshold", f"is needed for rule {values['rule']}")
    return Policy(key=key, **values)


_BUILD: Mapping[str, Callable[[str, dict[str, Any]], Any]] = {
    "codes": lambda key, v: Code(key=key, **v), "products": _product,
    "payers": _payer, "policies": _policy,
    "limits": lambda key, v: Limits(key=key, **v),
    "presets": lambda key, v: Preset(key=key, **v),
}


def key_problem(table: str, key: str) -> str:
    """Why `key` cannot name a row of `table`, or ''."""
    spec = CODE if table == "codes" else ROW_KEY
    try:
        spec.convert(key)
    except ValueError:
        return f"the key must be {spec.example}" if spec is CODE else \
            f"a key takes {spec.example}"
    return ""


def build_row(table: str, key: str, raw: Any) -> Any:
    """One row as its model value; FieldError (name None for the row itself) when wrong."""
    problem = key_problem(table, key)
    if problem:
        raise FieldError(None, problem)
    return _BUILD[table](key, ROWS[table].values(raw))


