"""The one result object: the numbers, the working (each step with its source), the warnings.

Every face (text summary, HTML, JSON, the window, the worksheet) renders this object and
nothing else, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any, Literal

Level = Literal["warning", "note"]


@dataclass(frozen=True)
class Step:
    """One line of working an auditor can recompute, with where the rule comes from."""

    topic: str
    text: str
    source: str = ""


@dataclass(frozen=True)
class Notice:
    level: Level
    message: str
    source: str = ""
    # A soft limit broken: the window wants an acknowledgement (reason, who) before the
    # summary leaves it, as a smart pump wants an override reason.
    needs_acknowledgement: bool = False
    # What the notice is about, for a face that says it elsewhere (the window shows
    # STALE_CMS once in its status bar and banner, not in every order's warnings).
    topic: str = ""


STALE_CMS = "cms-data-stale"


@dataclass
class Trail:
    """Collects steps and notices as the engine goes."""

    steps: list[Step] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    def step(self, topic: str, text: str, source: str = "") -> None:
        self.steps.append(Step(topic, text, source))

    def warn(self, message: str, source: str = "", topic: str = "") -> None:
        self.notices.append(Notice("warning", message, source, topic=topic))

    def note(self, message: str, source: str = "") -> None:
        self.notices.append(Notice("note", message, source))

    def soft_limit(self, message: str, source: str = "") -> None:
        self.notices.append(Notice("warning", message, source, needs_acknowledgement=True))


@dataclass(frozen=True)
class Acknowledgement:
    """Who confirmed the soft-limit warnings, and why. Held in memory only, never on disk."""

    by: str
    reason: str
    warnings: tuple[str, ...]  # the warnings it answers: a changed order needs a new one

    @property
    def text(self) -> str:
        return f"Soft limits acknowledged by {self.by}: {self.reason}"


@dataclass(frozen=True)
class DosingWeight:
    kg: Fraction
    basis: str  # the weight actually used: actual, ideal or adjusted
    reason: str
    actual_kg: Fraction
    ibw_kg: Fraction | None = None
    adjusted_kg: Fraction | None = None
    bmi: Fraction | None = None
    policy: str | None = None


def contents_mg(vials: Iterable[tuple[Fraction, int]]) -> Fraction:
    """The labeled contents of (size_mg, count) vials, exact, summed over one common
    denominator: Fraction arithmetic builds and reduces a Fraction for every product and
    partial sum, which cost a batch check more than reading the vials."""
    pairs = tuple(vials)
    common = math.lcm(*(size.denominator for size, _ in pairs))
    return Fraction(sum(size.numerator * (common // size.denominator) * n for size, n in pairs),
                    common)


@dataclass(frozen=True)
class VialPlan:
    """Vials to open for one day: sizes in mg, largest first, with counts."""

    dose_mg: Fraction
    vials: tuple[tuple[Fraction, int], ...]

    @cached_property
    def drawn_mg(self) -> Fraction:
        """Labeled contents of the vials opened (overfill is never counted)."""
        return contents_mg(self.vials)

    @property
    def wasted_mg(self) -> Fraction:
        return self.drawn_mg - self.dose_mg

    @property
    def vial_count(self) -> int:
        return sum(n for _, n in self.vials)


CENT = Decimal("0.01")


@dataclass(frozen=True)
class ClaimLine:
    code: str
    modifiers: tuple[str, ...]
    units: int
    # Medicare's payment allowance limit per unit, as CMS writes it ("48.964"); not compared,
    # so a priced line equals the same line read from a claim.
    payment_limit_usd: str | None = field(default=None, compare=False)
    # The CMS quarter whose data coded and priced the line ('2025-Q2'); not compared either.
    cms_quarter: str | None = field(default=None, compare=False)

    @property
    def text(self) -> str:
        """'J1561 JA JZ × 42': the form coders read and tests look for."""
        return " ".join((self.code, *self.modifiers)) + f" × {self.units}"

    @property
    def amount_usd(self) -> Decimal | None:
        """units × limit, rounded half-up to cents (what an auditor recomputes)."""
        if self.payment_limit_usd is None:
            return None
        return (self.units * Decimal(self.payment_limit_usd)).quantize(CENT, ROUND_HALF_UP)

    @property
    def discarded(self) -> bool:
        return "JW" in self.modifiers


@dataclass(frozen=True)
class AdminLine:
    """One administration line (CPT 96365-96374): the infusion billed by time, beside the
    drug. Plain values only, so every face (text, JSON, the claim block, X12) writes it as
    it is: no modifiers, no price.

    minutes: the encounter's infusion minutes the units were counted from (the same on
    each of its lines); estimated: counted from the rate plan, not from documented times.
    """

    code: str
    units: int
    date_of_service: dt.date  # an added hour past midnight is dated the next day
    minutes: int
    estimated: bool = False

    @property
    def text(self) -> str:
        """'96366 × 1', and the date when it is not the infusion day's (the caller knows)."""
        return f"{self.code} × {self.units}"


@dataclass(frozen=True)
class NdcLine:
    """The N4 segment for one vial size opened: 11 digits, qualifier and quantity.

    `alternatives` are the other NDCs CMS lists for the same size (another labeler or
    package): the claim carries the NDC on the vial actually used."""

    ndc: str  # 5-4-2
    qualifier: str
    quantity: Decimal  # vials (UN) or labeled mL (ML)
    size_mg: Fraction
    alternatives: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """'N413533080071 UN3': the paper-claim form (CMS-1500 item 24, shaded area)."""
        quantity = f"{self.quantity:f}"
        if "." in quantity:
            quantity = quantity.rstrip("0").rstrip(".")
        return f"N4{self.ndc.replace('-', '')} {self.qualifier}{quantity}"


@dataclass(frozen=True)
class Day:
    number: int
    administered_mg: Fraction
    plan: VialPlan
    volume_ml: Fraction | None
    claim_lines: tuple[ClaimLine, ...]
    date_of_service: dt.date  # each infusion day is its own date of service
    # Each vial size opened with its NDCs (5-4-2; empty when CMS lists none) and the N4 lines.
    ndcs: tuple[tuple[Fraction, tuple[str, ...]], ...] = ()
    ndc_lines: tuple[NdcLine, ...] = ()
    # The infusion's administration lines (billing/admin.py), after the drug lines.
    admin_lines: tuple[AdminLine, ...] = ()

    def ndcs_of(self, size_mg: Fraction) -> tuple[str, ...]:
        return next((ndcs for size, ndcs in self.ndcs if size == size_mg), ())

    @property
    def cms_quarter(self) -> str | None:
        """The CMS quarter this date of service is coded and priced by."""
        return self.claim_lines[0].cms_quarter if self.claim_lines else None


@dataclass(frozen=True)
class Rounding:
    policy: str  # none, nearest-vial, nearest-5g
    ordered_mg: Fraction
    final_mg: Fraction
    applied: bool

    @property
    def percent_change(self) -> Fraction:
        return (self.final_mg - self.ordered_mg) * 100 / self.ordered_mg


@dataclass(frozen=True)
class Assessed:
    """One diagnosis code, its description, and what the payer's coverage lists say of it."""

    code: str
    description: str
    covered: bool | None  # None: no list shipped for this payer settles it
    coverage_list: str | None  # the key of the list that settles it


@dataclass(frozen=True)
class Result:
    product_key: str
    product_name: str
    code: str
    route: str
    payer_key: str
    payer_name: str
    date_of_service: dt.date
    dose_mg_per_kg: Fraction
    per: str
    day_count: int
    dosing: DosingWeight
    rounding: Rounding
    days: tuple[Day, ...]
    steps: tuple[Step, ...]
    notices: tuple[Notice, ...]
    catalog_version: str
    app_version: str
    unit_mg: Fraction
    concentration_mg_per_ml: Fraction | None = None
    infusion: Infusion | None = None  # None: no rate on record (a note says so)
    diagnoses: tuple[Assessed, ...] = ()
    prior_auth: str | None = None  # the number the user typed; never stored
    prior_auth_required: bool = False
    kx_attested: bool = False
    cms: dict[str, Any] | None = None  # the CMS quarter and files the NDCs and limits come from
    preset: str = ""  # the indication preset's name, when the order is exactly the preset
    acknowledgement: Acknowledgement | None = None
    # The site's vial plan preference (issue 24): the units it allows, how many more the plan
    # discards than the least waste, and the other plan shown beside it with its extra units.
    vial_preference_units: int = 0
    vial_extra_units: int = 0
    vial_other: VialPlan | None = None
    vial_other_extra_units: int = 0
    # A day of two vial sizes: one line per NDC ("lines"), or the others in the line note
    # ("nte"); the payer's setting (billing/multiple_ndc.py).
    multiple_ndc: str = "lines"

    @property
    def per_day_mg(self) -> Fraction:
        return self.rounding.final_mg

    @property
    def course_mg(self) -> Fraction:
        return self.rounding.final_mg * self.day_count

    @property
    def dates_of_service(self) -> tuple[dt.date, ...]:
        return tuple(day.date_of_service for day in self.days)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(n.message for n in self.notices if n.level == "warning")

    @property
    def unacknowledged(self) -> tuple[str, ...]:
        """Soft-limit warnings not yet answered by an acknowledgement (copy/print wait)."""
        pending = tuple(n.message for n in self.notices if n.needs_acknowledgement)
        ack = self.acknowledgement
        return () if ack is not None and ack.warnings == pending else pending

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(n.message for n in self.notices if n.level == "note")


@dataclass(frozen=True)
class InfusionStep:
    """One rate of the plan: exact start, length and volume (display rounds, never this)."""

    start_min: Fraction
    minutes: Fraction
    rate_mg_per_kg_min: Fraction
    rate_ml_per_h: Fraction
    volume_ml: Fraction
    until_done: bool = False  # the last step runs until the bag is empty


@dataclass(frozen=True)
class Infusion:
    """How fast to give one day's bag: the label's steps, or SC sites (issue 12)."""

    protocol: str  # "privigen/pi"
    title: str  # "Privigen, primary humoral immunodeficiency"
    route: str
    steps: tuple[InfusionStep, ...]
    max_rate_mg_per_kg_min: Fraction
    max_rate_ml_per_h: Fraction
    volume_ml: Fraction
    weight_kg: Fraction
    source: str
    checked: dt.date
    verify: bool = False
    sites: int | None = None  # SC: sites run at once
    ml_per_site: Fraction | None = None
    ml_per_h_per_site: Fraction | None = None
    limit_text: str = ""  # SC: which label limit applied

    @property
    def total_minutes(self) -> Fraction:
        """The last step's start plus its length: the steps run back to back, each starting
        where the one before ended, so this is their exact sum in one Fraction addition
        (summing them built a Fraction per step, a third of the administration stage)."""
        last = self.steps[-1]
        return last.start_min + last.minutes
