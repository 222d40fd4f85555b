"""Field validation declared once: each spec both converts a raw TOML value and describes
itself as JSON Schema, so the loader and the schema an editor uses can never disagree.

Why not a library: msgspec or pydantic would add a compiled dependency and 20-60 ms of
import to every start for the handful of rules a catalog needs (types, ranges, choices,
list lengths, ordered pairs); these classes are the whole of it. A spec's `convert` returns
the typed value or raises ValueError with the text that follows the field's name.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ivigcalc.errors import CONTROL, printable
from ivigcalc.text import plain

Json = dict[str, Any]


def number_text(value: Fraction | int) -> str:
    """A number as the file would have it (0.5, not 1/2; 1e-30, not 0), at most 30 chars."""
    text = plain(value, 9)
    if text == "0" or len(text) > 30:
        text = f"{float(value):.6g}" if -(10**300) < value < 10**300 else f"{str(value)[:12]}…"
    return text


class Spec:
    """Base: a value's rule. Subclasses implement convert and json.

    Specs are dataclasses without repr/eq: built once at import, only __init__ is worth
    generating (the rest would cost a third of this module's import time).
    """

    def convert(self, value: Any) -> Any:
        raise NotImplementedError

    def json(self) -> Json:
        raise NotImplementedError


@dataclass(repr=False, eq=False)
class Text(Spec):
    """One line of text (a name, a source citation): no control characters."""

    max_chars: int = 1000

    def convert(self, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("must be non-empty text in quotes")
        if len(value) > self.max_chars:
            raise ValueError(f"is {len(value)} characters; at most {self.max_chars}")
        if CONTROL.search(value):
            raise ValueError(f"holds a control character ('{printable(value, 40)}')")
        return value

    def json(self) -> Json:
        return {"type": "string", "minLength": 1, "maxLength": self.max_chars,
                "pattern": r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$"}


@dataclass(repr=False, eq=False)
class Pattern(Spec):
    """Text matching a regular expression, e.g. a HCPCS code."""

    regex: str
    example: str

    def convert(self, value: Any) -> str:
        if not isinstance(value, str) or not re.fullmatch(self.regex, value):
            raise ValueError(f"must be {self.example}")
        return value

    def json(self) -> Json:
        return {"type": "string", "pattern": f"^{self.regex}$"}


@dataclass(repr=False, eq=False)
class Flag(Spec):
    def convert(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value

    def json(self) -> Json:
        return {"type": "boolean"}


@dataclass(repr=False, eq=False)
class Day(Spec):
    """A TOML local date (2026-01-01, no quotes) within the years software can meet."""

    low: dt.date = dt.date(1980, 1, 1)
    high: dt.date = dt.date(2100, 12, 31)

    def convert(self, value: Any) -> dt.date:
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise ValueError("must be a date like 2026-01-01 (no quotes)")
        if not self.low <= value <= self.high:
            raise ValueError(f"{value.isoformat()} is outside {self.low.year}-"
                             f"{self.high.year}")
        return value

    def json(self) -> Json:
        return {"type": "string", "format": "date"}


@dataclass(repr=False, eq=False)
class Number(Spec):
    """A number above zero and at most `high` (exact: TOML floats arrive as Fractions).

    `low` is the smallest accepted value; `scale` converts the file's unit to the model's
    (g to mg: 1000).
    """

    high: Fraction | int
    low: Fraction | int = 0
    scale: int = 1
    unit: str = ""

    def convert(self, value: Any) -> Fraction:
        if isinstance(value, bool) or not isinstance(value, int | Fraction):
            raise ValueError("must be a number")
        unit = f" {self.unit}" if self.unit else ""
        if value <= 0:
            raise ValueError("must be more than zero")
        if value < self.low:
            raise ValueError(f"{number_text(value)}{unit} is below the smallest accepted, "
                             f"{number_text(self.low)}{unit}")
        if value > self.high:
            raise ValueError(f"{number_text(value)}{unit} is above the largest accepted, "
                             f"{number_text(self.high)}{unit}")
        return Fraction(value) * self.scale

    def json(self) -> Json:
        schema: Json = {"type": "number", "exclusiveMinimum": 0, "maximum": float(self.high)}
        if self.low:
            schema = {"type": "number", "minimum": float(self.low),
                      "maximum": float(self.high)}
        return schema


@dataclass(repr=False, eq=False)
class Whole(Spec):
    low: int
    high: int

    def convert(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) \
                or not self.low <= value <= self.high:
            raise ValueError(f"must be a whole number from {self.low} to {self.high}")
        return value

    def json(self) -> Json:
        return {"type": "integer", "minimum": self.low, "maximum": self.high}


@dataclass(repr=False, eq=False)
class Choice(Spec):
    choices: tuple[str, ...]

    def convert(self, value: Any) -> str:
        if value not in self.choices or not isinstance(value, str):
            raise ValueError(f"must be one of {', '.join(self.choices)}")
        return value

    def json(self) -> Json:
        return {"enum": list(self.choices)}


@dataclass(repr=False, eq=False)
class ListOf(Spec):
    """A TOML array of `item`, with a length range; duplicates are refused when `unique`."""

    item: Spec
    high: int
    low: int = 1
    unique: bool = True
    make: Callable[[list[Any]], Any] = tuple

    def convert(self, value: Any) -> Any:
        if not isinstance(value, list):
            raise ValueError(f"must be a list like [...] of {self.low} to {self.high} items")
        if not self.low <= len(value) <= self.high:
            raise ValueError(f"has {len(value)} items; accepts {self.low} to {self.high}")
        items = []
        for number, raw in enumerate(value, 1):
            try:
                items.append(self.item.convert(raw))
            except ValueError as error:
                raise ValueError(f"item {number}: {error}") from None
        if self.unique and len(set(map(repr, items))) < len(items):
            raise ValueError("lists the same item twice")
        return self.make(items)

    def json(self) -> Json:
        schema = {"type": "array", "items": self.item.json(), "minItems": self.low,
                  "maxItems": self.high}
        return {**schema, "uniqueItems": True} if self.unique else schema


@dataclass(repr=False, eq=False)
class Ordered:
    """Fields whose values, where given, must not decrease in this order (min <= max)."""

    names: tuple[str, ...]

    def check(self, values: Mapping[str, Any]) -> None:
        present = [(n, values[n]) for n in self.names if values.get(n) is not None]
        for (low_name, low), (high_name, high) in itertools.pairwise(present):
            if low > high:
                word = "later than" if isinstance(low, dt.date) else "more than"
                raise ValueError(f"{low_name} ({_raw(low)}) is {word} {high_name} "
                                 f"({_raw(high)}); the order is {' <= '.join(self.names)}")


def _raw(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return number_text(value) if isinstance(value, Fraction | int) else str(value)


@dataclass(repr=False, eq=False)
class Record(Spec):
    """A TOML table with named fields; `make` builds the model value from the converted ones.

    required: fields that must be given. order: Ordered rules between fields.
    exactly_one: groups of fields of which exactly one must be given.
    """

    fields: Mapping[str, Spec]
    required: frozenset[str] = frozenset()
    order: Sequence[Ordered] = ()
    exactly_one: Sequence[tuple[str, ...]] = ()
    make: Callable[..., Any] = dict
    description: str = ""
    missing: str = "is missing"

    def values(self, value: Any) -> dict[str, Any]:
        """The converted fields; raises FieldError naming the field that is wrong."""
        if not isinstance(value, dict):
            raise FieldError(None, f"must be a table of {', '.join(self.fields)}")
        for name in value:
            if name not in self.fields:
                raise FieldError(str(name), f"unknown field; known fields: "
                                 f"{', '.join(self.fields)}")
        out: dict[str, Any] = {}
        for name, spec in self.fields.items():
            if name not in value:
                if name in self.required:
                    raise FieldError(name, self.missing)
                continue
            try:
                out[name] = spec.convert(value[name])
            except FieldError as error:  # a nested record: keep the inner field's name
                raise FieldError(f"{name}.{error.name}" if error.name else name,
                                 error.message) from None
            except ValueError as error:
                raise FieldError(name, str(error)) from None
        for group in self.exactly_one:
            if sum(name in out for name in group) != 1:
                raise FieldError(group[0], f"give exactly one of {', '.join(group)}")
        for rule in self.order:
            try:
                rule.check(out)
            except ValueError as error:
                raise FieldError(rule.names[-1], str(error)) from None
        return out

    def convert(self, value: Any) -> Any:
        try:
            return self.make(**self.values(value))
        except FieldError as error:
            if error.name is None:
                raise ValueError(error.message) from None
            raise

    def json(self) -> Json:
        schema: Json = {"type": "object", "additionalProperties": False,
                        "properties": {n: s.json() for n, s in self.fields.items()}}
        if self.required:
            schema["required"] = [n for n in self.fields if n in self.required]
        if self.description:
            schema["description"] = self.description
        return schema


class FieldError(ValueError):
    """A record's field is wrong: `name` is the field (dotted when nested), or None."""

    def __init__(self, name: str | None, message: str) -> None:
        self.name = name
        self.message = message
        super().__init__(f"{name}: {message}" if name else message)
