"""The medical-necessity data as typed, frozen values: coverage lists, each payer's use of
them, and the indications with their labeled dose ranges.

Why separate from necessity.py (which reads and checks the TOML): the catalog's model
(model.py) names `Necessity` as a site's coverage, and necessity.py builds on the catalog's
model and tables; with the types here, nothing in data/ imports its way back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class CoverageList:
    key: str
    name: str
    codes: frozenset[str]
    source: str
    checked: dt.date


@dataclass(frozen=True)
class PayerCoverage:
    lists: tuple[str, ...]
    complete: bool  # a diagnosis on none of the lists is not covered
    prior_auth: bool
    source: str


@dataclass(frozen=True)
class Indication:
    key: str
    name: str
    icd10: tuple[str, ...]
    presets: tuple[str, ...]
    rate_groups: tuple[str, ...]  # the infusion protocols' groups (resources/rates.toml)
    min_g_per_kg: Fraction
    max_g_per_kg: Fraction
    range: str
    source: str

    def named_by(self, code: str) -> bool:
        """D80 names D80.0 … D80.9; L12.3 names L12.30 and L12.31."""
        return any(code == p or code.startswith(p if "." in p else p + ".")
                   for p in self.icd10)


@dataclass(frozen=True)
class Label:
    """The indications one product's US label carries (its §1, Indications and Usage)."""

    product: str
    indications: tuple[str, ...]
    source: str
    checked: dt.date


@dataclass(frozen=True)
class Necessity:
    lists: Mapping[str, CoverageList]
    payers: Mapping[str, PayerCoverage]
    indications: Mapping[str, Indication]
    labels: Mapping[str, Label] = field(default_factory=dict)  # by product key

    def off_label(self, product: str, indication: Indication) -> Label | None:
        """The product's label when it does not carry the indication; None when it does, or
        when no label is on record for the product (nothing to say either way)."""
        label = self.labels.get(product)
        return label if label is not None and indication.key not in label.indications \
            else None

    def indication_of_regimen(self, key: str, icd10: str = "") -> Indication | None:
        """The indication a preset orders: the one listing it, else the one its ICD-10-CM
        code names (CIDP maintenance (subcutaneous): G61.81, with no dose range of its own)."""
        return self.indication_of_preset(key) or (self.indication_for(icd10) if icd10 else None)

    def for_payer(self, payer: str) -> PayerCoverage | None:
        return self.payers.get(payer)

    def indication_for(self, code: str) -> Indication | None:
        return next((i for i in self.indications.values() if i.named_by(code)), None)

    def indication_of_preset(self, key: str) -> Indication | None:
        """The indication a preset (itp-2-day) or a rate group (itp, pi, dm) names."""
        return next((i for i in self.indications.values()
                     if key in i.presets or key == i.key or key in i.rate_groups), None)
