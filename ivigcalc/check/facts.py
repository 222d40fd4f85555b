"""The claim as it should be: the facts of one day of service, resolved and worked out.

The claim check (check/rules.py) compares billed lines against this. Here a claim record's
keys (payer, product or code, route) are resolved against the catalog and its amounts
checked against the product (InputError/Refusal naming the field), and the engine works
out what they imply:
billing.lines.administered_units / discarded_units for the units, claim_lines for the
lines the claim should carry, vials.plan_vials for the least-waste plan.

Why the memo: a batch file repeats the same amounts and vials for many dates of service,
and exact Fractions and catalog rows are slow to hash, so results are kept per catalog,
keyed by catalog keys and the exact values as integers, and worked out once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache
from typing import TypeVar, cast

from ivigcalc import text
from ivigcalc.billing import opps
from ivigcalc.billing.lines import (
    ROUTE_MODIFIER,
    administered_units,
    check_route,
    claim_lines,
    discarded_units,
    explain_non_ig,
    labeled_units,
)
from ivigcalc.check.record import CheckRequest, ClaimRecord, FormReading, Opened, detail
from ivigcalc.data.catalog import Catalog, Code, Payer, Product
from ivigcalc.dose.vials import check_sizes, least_waste_mg, plan_vials
from ivigcalc.errors import InputError, IvigcalcError, Refusal
from ivigcalc.result import ClaimLine, Step, Trail, VialPlan

T = TypeVar("T")


class Quantities:
    """The day's amounts and units for one product or code: the same for every date, so a
    batch works them out once per distinct (amount, vials, product, code)."""

    def __init__(self, product: Product | None, code: Code, administered_mg: Fraction,
                 opened: VialPlan, opened_mg: Fraction,
                 stocked: tuple[Fraction, ...] | None = None) -> None:
        self.product = product
        self.code = code
        self.administered_mg = administered_mg
        self.opened = opened  # the vials the coder says were opened (dose_mg = administered)
        self.opened_mg = opened_mg  # their labeled contents, summed once
        self.stocked = stocked  # the shelf as given (None: every size assumed)
        if stocked is not None:  # a size that was opened was on the shelf, listed or not
            opened_sizes = {size for size, _ in opened.vials}
            self.sizes_mg = tuple(sorted(opened_sizes | set(stocked), reverse=True))
        elif product is not None:
            self.sizes_mg = product.vial_sizes_mg
        else:
            self.sizes_mg = tuple(size for size, _ in opened.vials)  # largest first already
        unit = code.unit_mg
        self.administered_units = administered_units(administered_mg, unit)
        self.labeled_units = labeled_units(opened_mg, unit)  # what the vials hold
        self.discarded_units = discarded_units(opened_mg, self.administered_units, unit)

    @cached_property
    def best(self) -> VialPlan:
        """The least-waste plan from the product's sizes (planned only when asked)."""
        return plan_vials(self.administered_mg, self.sizes_mg, "vials", "administered")

    @cached_property
    def best_discarded_units(self) -> int:
        """The best plan's discarded units (its total only: most rows need no plan)."""
        best_mg = least_waste_mg(self.administered_mg, self.sizes_mg, "vials", "administered")
        return discarded_units(best_mg, self.administered_units, self.code.unit_mg)

    @cached_property
    def vial_message(self) -> str:
        """The non-optimal-vials message: the better plan and the units it saves."""
        best, discarded, fewer = self.best, self.discarded_units, self.best_discarded_units
        sizes = _sizes_text(self.sizes_mg)
        if self.stocked is not None:
            where = f"the sizes stocked ({sizes})"
        elif self.product is not None:
            where = (f"{self.product.name}'s sizes ({sizes}), assuming every size is stocked; "
                     "give the sizes stocked to judge against the shelf")
        else:
            where = f"the sizes opened ({sizes})"
        left = "none" if fewer == 0 else text.count(fewer, "unit")
        return (f"{vials_text(self.opened)} ({text.grams(self.opened_mg)}) leaves "
                f"{text.count(discarded, 'unit')} discarded; {vials_text(best)} "
                f"({text.grams(best.drawn_mg)}) covers {text.grams(self.administered_mg)} with "
                f"{left} discarded, {text.count(discarded - fewer, 'unit')} less waste, from "
                f"{where}. MACs may deny waste from non-optimal vial sizes")


@lru_cache(maxsize=256)
def _sizes_text(sizes_mg: tuple[Fraction, ...]) -> str:
    """'1 g, 2.5 g, 5 g', once per set of sizes: every non-optimal-vials message names them."""
    return ", ".join(text.grams(s) for s in sorted(sizes_mg))


@dataclass(frozen=True)
class Claim:
    """The claim as it should be: the inputs resolved, the unit arithmetic, the engine's lines."""

    product: Product | None
    code: Code
    route: str
    payer: Payer
    date_of_service: dt.date
    kx: bool
    quantities: Quantities
    lines: tuple[ClaimLine, ...]
    packaged: bool = False  # OPPS status N: no JW/JZ (billing.opps)
    site_340b: str | None = None  # JG or TB: a 340B covered entity's lines carry it

    @property
    def expects_340b(self) -> bool:
        """The site's JG/TB belongs on the drug lines (separately payable, payer, date)."""
        return bool(self.site_340b) and not self.packaged and \
            self.payer.takes_340b(self.date_of_service)

    @cached_property
    def steps(self) -> tuple[Step, ...]:
        """claim_lines' working, written when first read: a batch report never shows it."""
        trail = Trail()
        claim_lines(self.code, self.administered_mg, self.opened_mg, self.route, self.payer,
                    self.date_of_service, self.kx, trail, self.packaged, self.site_340b)
        return tuple(trail.steps)

    # The amounts, read through (a Claim is per date; its Quantities are shared across dates).
    @property
    def administered_mg(self) -> Fraction:
        return self.quantities.administered_mg

    @property
    def opened(self) -> VialPlan:
        return self.quantities.opened

    @property
    def opened_mg(self) -> Fraction:
        return self.quantities.opened_mg

    @property
    def administered_units(self) -> int:
        return self.quantities.administered_units

    @property
    def labeled_units(self) -> int:
        return self.quantities.labeled_units

    @property
    def discarded_units(self) -> int:
        return self.quantities.discarded_units

    @property
    def best(self) -> VialPlan:
        return self.quantities.best

    @property
    def best_discarded_units(self) -> int:
        return self.quantities.best_discarded_units


def _payer(key: str, catalog: Catalog) -> Payer:
    payer: Payer = catalog.pick("payers", key, "payer")
    return payer


def _claim_code(key: str, catalog: Catalog, day: dt.date) -> Code:
    """A code typed as the claim's own (no product): it must be an IG code valid on the day."""
    wanted = key.upper()
    code = catalog.codes.get(wanted)
    if code is None:
        known = ", ".join(k for k, c in catalog.codes.items() if c.immune_globulin)
        raise InputError("code", f"'{key}' is not in the catalog ({catalog.quarter}); "
                         f"accepts an immune globulin code: {known}")
    if not code.immune_globulin:
        raise Refusal(f"code: {explain_non_ig(code, None, day)}", field="code",
                      source=code.source)
    problem = code.not_billable_on(day)
    if problem:
        raise InputError("code", problem)
    return code


def _product_and_code(product_key: str | None, code_key: str | None, day: dt.date,
                      catalog: Catalog) -> tuple[Product | None, Code]:
    if not product_key and not code_key:
        raise InputError("product", f"nothing entered; give the product "
                         f"({', '.join(catalog.products)}) or just the code (e.g. J1561)")
    if not product_key:
        assert code_key is not None
        return None, _claim_code(code_key, catalog, day)
    product: Product = catalog.pick("products", product_key, "product")
    own = product.code_on(day)
    if code_key and code_key.upper() != own:
        raise InputError("code", f"{code_key.upper()} is not {product.name}'s code on "
                         f"{day.isoformat()} ({own}); give the product or the code, not both")
    return product, catalog.codes[own]


def _route(typed: str | None, product: Product | None, code: Code) -> str:
    route = (typed or "").lower() or (product or code).routes[0]
    if route not in ROUTE_MODIFIER:
        raise InputError("route", f"'{typed}' is not accepted; accepts iv or sc")
    if product is not None:
        check_route(product, route)
    elif route not in code.routes:
        raise Refusal(f"route: {code.key} covers {' and '.join(code.routes)} only, not "
                      f"{route}", field="route", source=code.source)
    return route


def _opened(opened: Opened, product: Product | None, administered_mg: Fraction,
            memo: dict[tuple[object, ...], object] | None = None) -> VialPlan:
    """The vials opened as a plan, each size one of the product's, holding the amount."""
    key = ("vials", opened.key, product.key if product else None)
    if memo is None or key not in memo:
        if product is not None:
            check_sizes((size for size, _ in opened.vials), product, "vials")
        if memo is not None:
            memo[key] = True
    plan = VialPlan(dose_mg=administered_mg, vials=opened.vials)
    if opened.contents_mg < administered_mg:
        raise InputError("vials", f"{vials_text(plan)} = {text.grams(opened.contents_mg)} is "
                         f"less than the {text.grams(administered_mg)} administered; list "
                         "every vial opened")
    return plan


def _stocked(stocked: tuple[Fraction, ...] | None,
             product: Product | None) -> tuple[Fraction, ...] | None:
    """The shelf as given, checked against the product's sizes (None when not given)."""
    if stocked is not None and product is not None:
        check_sizes(stocked, product, "stocked")
    return stocked


_MEMO_SIZE = 20_000
_memos: dict[int, tuple[Catalog, dict[tuple[object, ...], object]]] = {}


def memo_for(catalog: Catalog) -> dict[tuple[object, ...], object]:
    """Results for one catalog, keyed by catalog keys and exact values as integers (strings
    and ints hash in C; exact Fractions and catalog rows are slow to hash on every row)."""
    entry = _memos.get(id(catalog))
    if entry is None or entry[0] is not catalog:
        _memos.clear()  # one catalog at a time: a new one (site file) starts afresh
        entry = _memos[id(catalog)] = (catalog, {})
    if len(entry[1]) > _MEMO_SIZE:
        entry[1].clear()
    return entry[1]


def _resolved(record: ClaimRecord, catalog: Catalog, memo: dict[tuple[object, ...], object]
              ) -> tuple[Payer, Product | None, Code, str, bool]:
    """The payer, product, code and route, and whether the OPPS packages the code: they
    depend on the keys and the day only, so a batch resolves each once."""
    key = ("resolved", record.payer, record.product, record.code, record.route,
           record.date_of_service)
    found = memo.get(key)
    if found is None:
        payer = _payer(record.payer, catalog)
        product, code = _product_and_code(record.product, record.code,
                                          record.date_of_service, catalog)
        route = _route(record.route, product, code)
        packaged = _packaged(payer, code, record.date_of_service, catalog, memo)
        found = memo[key] = (payer, product, code, route, packaged)
    return cast(tuple[Payer, Product | None, Code, str, bool], found)


def _packaged(payer: Payer, code: Code, day: dt.date, catalog: Catalog,
              memo: dict[tuple[object, ...], object]) -> bool:
    """opps.packaged, once per payer, code and Addendum B (the date's quarter's status
    indicators): _resolved's key holds the date of service,
    and the OPPS status's working (written, then dropped here) costs more than the rest."""
    cms = catalog.cms_on(day)
    key = ("packaged", payer.key, code.key, cms.status_quarter if cms else None)
    found = memo.get(key)
    if found is None:
        found = memo[key] = opps.packaged(payer, cms, code.key, Trail())
    return cast(bool, found)


def _shelf_key(stocked: tuple[Fraction, ...] | None) -> tuple[tuple[int, int], ...] | None:
    return None if stocked is None else tuple(s.as_integer_ratio() for s in stocked)


def _quantities(record: ClaimRecord, amount: tuple[int, int], product: Product | None,
                code: Code, memo: dict[tuple[object, ...], object]) -> Quantities:
    key = ("quantities", amount, record.opened.key,
           product.key if product else None, code.key, _shelf_key(record.stocked))
    found = memo.get(key)
    if found is None:
        administered = record.administered_mg
        opened = _opened(record.opened, product, administered, memo)
        found = memo[key] = Quantities(product, code, administered, opened,
                                       record.opened.contents_mg,
                                       _stocked(record.stocked, product))
    assert isinstance(found, Quantities)
    return found


def _engine_lines(record: ClaimRecord, amount: tuple[int, int], code: Code, route: str,
                  payer: Payer, amounts: Quantities, memo: dict[tuple[object, ...], object],
                  packaged: bool = False) -> tuple[ClaimLine, ...]:
    """billing.lines.claim_lines (the lines; Claim.steps writes the working), memoised.

    The date of service reaches claim_lines' lines only through whether the payer takes JW
    and requires JZ on that day, so those two answers stand in for the date in the key: a
    quarter's claims for one patient then share one entry instead of one per day.
    (tests/test_claimcheck_properties.py checks this against direct calls.)
    """
    day = record.date_of_service
    site_340b = record.site_340b if payer.takes_340b(day) else None
    key = ("lines", amount, record.opened.key, code.key, route, payer.key,
           payer.jw_applies(day), payer.jz_required(day), record.kx, packaged, site_340b)
    found = memo.get(key)
    if found is None:
        found = memo[key] = claim_lines(code, amounts.administered_mg, amounts.opened_mg,
                                        route, payer, day, record.kx, None, packaged,
                                        site_340b)
    return cast(tuple[ClaimLine, ...], found)


def prepare(record: ClaimRecord, catalog: Catalog) -> Claim:
    """The claim as it should be. Raises InputError/Refusal naming the field."""
    memo = memo_for(catalog)
    payer, product, code, route, packaged = _resolved(record, catalog, memo)
    amount = record.administered_mg.as_integer_ratio()  # the memo keys' form, made once
    amounts = _quantities(record, amount, product, code, memo)
    lines = _engine_lines(record, amount, code, route, payer, amounts, memo, packaged)
    return Claim(product=product, code=code, route=route, payer=payer,
                 date_of_service=record.date_of_service, kx=record.kx, quantities=amounts,
                 lines=lines, packaged=packaged, site_340b=record.site_340b)


def input_problems(request: CheckRequest, reading: FormReading,
                   catalog: Catalog) -> dict[str, str]:
    """Every field's problem at once (the window shows each beside its field): the fields
    that could not be read (record.read_form), then what the catalog says of the rest."""
    problems = dict(reading.problems)

    def attempt(step: Callable[[], T]) -> T | None:
        try:
            return step()
        except IvigcalcError as error:
            field = getattr(error, "field", None) or "product"
            problems.setdefault(field, detail(error))
            return None

    day = request.date_of_service
    attempt(lambda: _payer((request.payer or "").strip(), catalog))
    found = attempt(lambda: _product_and_code((request.product or "").strip() or None,
                                              (request.code or "").strip() or None, day,
                                              catalog))
    if found is not None:
        attempt(lambda: _route((request.route or "").strip() or None, *found))
    product = found[0] if found is not None else None
    administered, opened = reading.administered_mg, reading.opened
    if administered is not None and opened is not None and found:
        attempt(lambda: _opened(opened, product, administered))
    attempt(lambda: _stocked(reading.stocked, product))
    if not problems and not any(line.strip() for line in request.lines):
        problems["lines"] = ("nothing entered; paste the billed lines, one per line, e.g. "
                             "'J1561 JA 55'")
    return problems


def vials_text(plan: VialPlan) -> str:
    """'2 × 10 g + 1 × 5 g', as the calc summary writes vials."""
    return _vials_words(plan.vials)


@lru_cache(maxsize=4096)
def _vials_words(vials: tuple[tuple[Fraction, int], ...]) -> str:
    return " + ".join(f"{n} × {text.grams(size)}" for size, n in vials)


