"""GL017: a dose's basis (per kg of body weight, per m²) or its kind of unit (IU vs mg) differs."""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING, Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, quote
from l10n.checks.dosing import amount_kinds_differ, has_dose, may_differ, records, sections
from l10n.model import Finding, Severity

if TYPE_CHECKING:
    from l10n.dosing.record import Dose

_BASIS = {"kg": "per kg of body weight", "m2": "per m² of body surface"}
_AMOUNT = frozenset({"mg", "mL"})
_COUNTED = frozenset({"drop", "puff", "tablet", "capsule"})
_MEASURED = frozenset({"mg", "mL", "g", "mcg", "IU"})


_MASS = frozenset({"mg", "g", "mcg"})
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def _written(d: Dose) -> Decimal:
    """A dose's number as written (6克 is 6, though its value is 6,000 mg): what a unit swapped for
    another kind keeps (6克 -> "6 pills")."""
    m = _DIGITS.match(d.text)
    return Decimal(m.group()) if m else d.value


def _counted_as_measured(a: str | None, b: str | None) -> bool:
    """One side counts what the other measures (one drop, 一滴, became one mL; a tablet 1 mg), or
    weighs what the other measures out (0.5 mL of a suspension became 0.5 mg)."""
    return ((a in _COUNTED and b in _MEASURED) or (a in _MEASURED and b in _COUNTED)
            or (a == "mL" and b in _MASS) or (a in _MASS and b == "mL"))


class DoseBasisDiffers(EntryRule):
    """Dose basis differs: "15 mg/kg" became 15 mg, or 10 units (IU) of insulin became 10 mg.

    A dose per kilogram of body weight (mg/kg, 每公斤) or per square metre of body surface
    (mg/m², 每平方公尺) is a different dose from the same number of mg; so is an amount in
    international units (IU, 單位/单位) from one in mg or mL, a count of drops, puffs, tablets or
    capsules from the same number of mL or mg (一滴 is not "one mL"), and a volume from the same
    number of mg (0.5 mL of a suspension is not 0.5 mg). Each dose keeps its own basis: "1 to
    2 mg per kg a day, at most 60 mg a day" is not 每天每公斤最多60毫克. The number scanner of GL005
    sees neither (it compares values and mass/volume units), so this rule does. How often
    (per day, per week) is a frequency: GL013. Compared only when both sides give a dose.
    """

    code = "GL017"
    name = "dose-basis-differs"
    severity = Severity.ERROR
    gate = staticmethod(may_differ)
    bad = Example("The usual dose is 15 mg/kg every 8 hours.", "常用劑量為每8小時15毫克。", "en", "zh_TW")
    good = Example("The usual dose is 15 mg/kg every 8 hours.", "常用劑量為每公斤體重15毫克，每8小時一次。",
                   "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        a, b = sections(ctx)
        if not (({"basis", "dose_unit"} & (a | b) and has_dose(ctx.source_quantities, a)
                 and has_dose(ctx.target_quantities, b))
                or amount_kinds_differ(ctx.source_quantities, ctx.target_quantities)):
            return
        src, dst = records(ctx)
        if not src.doses or not dst.doses:
            return
        if src.bases == dst.bases and src.bases:
            found = list(self._per_dose(ctx, src, dst))
            if found:
                yield from found
                return
        elif src.bases != dst.bases:
            a = ", ".join(_BASIS[b] for b in sorted(src.bases)) or "no basis (a plain amount)"
            b = ", ".join(_BASIS[b] for b in sorted(dst.bases)) or "no basis (a plain amount)"
            yield ctx.finding(self, f"dose basis differs: msgid doses are {a}, msgstr doses are {b}; "
                                    f"msgid {quote(ctx.entry.msgid)}",
                              term=dst.doses[0].text)
            return
        mine = {(d.value, d.unit) for d in src.doses}
        theirs = {(o.value, o.unit) for o in dst.doses}
        for d in src.doses:
            for o in dst.doses:
                if (d.value == o.value and {d.unit, o.unit} in ({"IU", "mg"}, {"IU", "mL"})) \
                        or (_written(d) == _written(o) and _counted_as_measured(d.unit, o.unit)
                            and (d.value, d.unit) not in theirs and (o.value, o.unit) not in mine):
                    yield ctx.finding(self, f"dose unit differs: msgid says {d.text} ({d.unit}), "
                                            f"msgstr says {o.text} ({o.unit}); msgid {quote(ctx.entry.msgid)}",
                                      term=o.text)
                    return

    def _per_dose(self, ctx: EntryContext, src, dst) -> Iterator[Finding]:  # type: ignore[no-untyped-def]
        """Both sides have the same bases: does each dose keep its own ("up to 60 mg a day" is not
        每天每公斤最多60毫克)? Doses compared by value and unit, their bases as multisets."""
        mine: dict = {}
        theirs: dict = {}
        for table, rec in ((mine, src), (theirs, dst)):
            for d, basis in rec.dose_bases():
                table.setdefault((d.value, d.unit), []).append((basis, d))
        for key, here in mine.items():
            there = theirs.get(key)
            if not there or Counter(b for b, _ in here) == Counter(b for b, _ in there):
                continue
            d, o = here[0][1], there[0][1]
            a = _BASIS.get(here[0][0], "a plain amount")
            b = next((_BASIS.get(x, "a plain amount") for x, _ in there if x != here[0][0]),
                     _BASIS.get(there[0][0], "a plain amount"))
            yield ctx.finding(self, f"dose basis differs: msgid says {d.text} ({a}), msgstr says {o.text} ({b}); "
                                    f"msgid {quote(ctx.entry.msgid)}",
                              term=o.text)
            return
