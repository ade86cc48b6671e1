"""What a dosing instruction says, as a value that compares across languages.

The record is a frozen dataclass; its parts are named tuples (immutable too, and
several times cheaper to make: a 20,000-entry catalog makes tens of thousands).

:func:`l10n.dosing.parse` reads one text into a :class:`DosingRecord`; the checks
GL013-GL017 compare the msgid's record with the msgstr's. Every part keeps the words
it was read from (``text``), so a message can quote both sides.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple
from decimal import Decimal
from fractions import Fraction

__all__ = ["DosingRecord", "Dose", "Frequency", "Duration", "Route", "Cue", "PERIOD_DAYS", "PERIOD_HOURS",
           "rate_label", "routes_compatible"]

# A period in hours and in days (a month counted as 30 days, a year as 365).
PERIOD_HOURS = {"second": Fraction(1, 3600), "minute": Fraction(1, 60), "hour": 1, "day": 24, "week": 168,
                "month": 720, "year": 8760}
PERIOD_DAYS = {unit: Fraction(hours, 24) for unit, hours in PERIOD_HOURS.items()}
_SECONDS = {unit: int(hours * 3600) for unit, hours in PERIOD_HOURS.items()}    # whole numbers: exact as Decimal

_TIMES = {1: "once", 2: "twice"}
_EXACT = frozenset({"second", "minute", "hour", "day", "week"})      # whole numbers of each other


def _times(n: int) -> str:
    return _TIMES.get(n, f"{n} times")


def rate_label(per_day: Fraction | None) -> str:
    """A rate in plain English: 1 -> "daily", 2 -> "twice a day", 1/7 -> "once a week", None -> "as needed"."""
    if per_day is None:
        return "as needed"
    if per_day == 1:
        return "daily"
    if per_day.denominator == 1:
        return f"{_times(per_day.numerator)} a day"
    if per_day == Fraction(1, 2):
        return "every other day"
    week = per_day * 7
    if week.denominator == 1:
        return f"{_times(week.numerator)} a week"
    if per_day.numerator == 1:
        days = per_day.denominator
        if days % 365 == 0:
            return "once a year" if days == 365 else f"once every {days // 365} years"
        if days % 7 == 0:
            return f"once every {days // 7} weeks"
        if days == 30:
            return "once a month"
        if days % 30 == 0:
            return f"once every {days // 30} months"
        return f"once every {days} days"
    if (1 / per_day * 24).denominator == 1:
        return f"every {1 / per_day * 24} hours"
    return f"{float(per_day):g} times a day"


class Cue(NamedTuple):
    """An expression of the vocabulary found in a text (a negation, an action verb…)."""

    text: str
    start: int
    meaning: str


class Frequency(NamedTuple):
    """How often: ``per_day`` doses a day (1/7 = once a week); None = as needed (PRN)."""

    per_day: Fraction | None
    text: str
    start: int

    @property
    def label(self) -> str:
        return rate_label(self.per_day)


class Duration(NamedTuple):
    """How long: ``value`` ``unit`` (second, minute, hour, day, week, month, year); ``low``: the
    other end of an approximate range written as one word (两三天: 2 or 3 days, value 3, low 2)."""

    value: Decimal
    unit: str
    text: str
    start: int
    low: Decimal | None = None

    @property
    def days(self) -> Fraction:
        return Fraction(self.value) * PERIOD_DAYS[self.unit]

    @property
    def label(self) -> str:
        v = self.value.normalize()
        if self.low is not None:
            return f"{self.low.normalize():f} or {v:f} {self.unit}s"
        return f"{v:f} {self.unit}{'' if v == 1 else 's'}"

    def same_as(self, other: Duration) -> bool:
        """The same length of time, a month taken as 4 to 4.4 weeks (12 weeks ~ 3 months); a range
        (两三天) is the same as either of its ends ("two or three days" is read as 3 days, "a day
        or two" as a day)."""
        if self.low is None and other.low is None:
            return _same_length(self.value, self.unit, other.value, other.unit)
        mine = (self.value,) if self.low is None else (self.low, self.value)
        theirs = (other.value,) if other.low is None else (other.low, other.value)
        return any(_same_length(a, self.unit, b, other.unit) for a in mine for b in theirs)


def _same_length(a: Decimal, unit_a: str, b: Decimal, unit_b: str) -> bool:
    if unit_a == unit_b:
        return a == b
    # in seconds, as Decimal (a Decimal times a whole number is exact): no Fractions made for
    # tens of thousands of comparisons in a big run
    a, b = a * _SECONDS[unit_a], b * _SECONDS[unit_b]
    if unit_a in _EXACT and unit_b in _EXACT:
        return a == b
    return abs(a - b) * 10 <= max(a, b)


class Dose(NamedTuple):
    """An amount: ``value`` in ``unit`` (mg, mL, %, IU, tablet, capsule, puff, drop)."""

    value: Decimal
    unit: str
    text: str
    start: int


class Route(NamedTuple):
    """A route of administration: oral, topical, intravenous, subcutaneous, intramuscular, intradermal,
    injection, infusion, inhaled, rectal, vaginal, eye, ear, nasal, sublingual, transdermal."""

    code: str
    text: str
    start: int


# Routes that name the same way in, one more specific than the other.
_COMPATIBLE = {
    "injection": {"intravenous", "subcutaneous", "intramuscular", "intradermal", "infusion"},
    "infusion": {"intravenous"},
    "topical": {"transdermal"},
}


def routes_compatible(a: str, b: str) -> bool:
    """True if route codes ``a`` and ``b`` may describe the same administration."""
    return a == b or b in _COMPATIBLE.get(a, ()) or a in _COMPATIBLE.get(b, ())


@dataclass(frozen=True)
class DosingRecord:
    """The dosing content of one text; empty tuples where the text says nothing of that kind."""

    locale: str
    drugs: frozenset[str] = frozenset()      # drug identities (glossary concept ids of generics)
    doses: tuple[Dose, ...] = ()
    bases: frozenset[str] = frozenset()      # what a dose is counted per: "kg", "m2"
    frequencies: tuple[Frequency, ...] = ()
    durations: tuple[Duration, ...] = ()
    routes: tuple[Route, ...] = ()
    negations: tuple[Cue, ...] = ()
    actions: tuple[Cue, ...] = ()

    @property
    def negated(self) -> bool:
        """The text forbids or negates something (do not, avoid, 禁用, 請勿…)."""
        return bool(self.negations)

    @property
    def about_dosing(self) -> bool:
        """The text says something about taking a medicine (a drug, a dose, how often, how long,
        which way, or a verb such as take/use/服用)."""
        return bool(self.drugs or self.doses or self.frequencies or self.durations or self.routes
                    or self.actions)
