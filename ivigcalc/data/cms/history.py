"""Every CMS quarter the catalog holds, and which one judges a date of service.

A claim line is coded and priced by the quarter that contains its date of service, never
by the newest file on hand: NDCs, billing units, payment limits and OPPS status indicators
all change between quarters (CMS ASP pricing files; OPPS Addendum B). A date outside every
quarter held uses the nearest one and says so (`gap`), so a stale catalog is never silent.

Each quarter is read when a date first needs it: a catalog holding nine quarters costs a
start what one does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import cache

from ivigcalc.data.cms.model import CmsData


def quarter_of(day: dt.date) -> str:
    """'2025-Q2' for 2025-05-12."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


class CmsHistory:
    """The quarters by label ('2024-Q1' ... '2026-Q1'), each read on first use."""

    def __init__(self, loaders: Mapping[str, Callable[[], CmsData]]) -> None:
        if not loaders:
            raise ValueError("a CMS history needs at least one quarter")
        self.labels = tuple(sorted(loaders))
        self._loaders = {label: cache(loaders[label]) for label in self.labels}

    def __getitem__(self, label: str) -> CmsData:
        return self._loaders[label]()

    def __contains__(self, label: object) -> bool:
        return label in self._loaders

    @property
    def newest(self) -> CmsData:
        return self[self.labels[-1]]

    @property
    def oldest(self) -> CmsData:
        return self[self.labels[0]]

    def label_on(self, day: dt.date) -> str:
        """The quarter that judges `day`: its own, else the nearest earlier one held (a
        date after the newest quarter), else the oldest (a date before every quarter)."""
        own = quarter_of(day)
        if own in self._loaders:
            return own
        earlier = [label for label in self.labels if label < own]
        return earlier[-1] if earlier else self.labels[0]

    def on(self, day: dt.date) -> CmsData:
        return self[self.label_on(day)]

    def gap(self, day: dt.date) -> str:
        """'' when the date's own quarter is held; else what is used instead, e.g.
        'newest CMS data 2026-Q1; 2026-08-03 is in 2026-Q3'."""
        own = quarter_of(day)
        if own in self._loaders:
            return ""
        used = self.label_on(day)
        if own > self.labels[-1]:
            return f"newest CMS data {used}; {day.isoformat()} is in {own}"
        if own < self.labels[0]:
            return f"oldest CMS data {used}; {day.isoformat()} is in {own}"
        return f"no CMS data for {own}; {day.isoformat()} is priced with {used}"
