"""GL005: the numbers of the msgstr differ in value from those of the msgid."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, quote
from l10n.checks.dosing import DURATION, FREQUENCY, records, same_durations, sections
from l10n.checks.numbers import Quantity, compare
from l10n.model import Finding, Severity


def _outside(qs: list[Quantity], freqs: tuple) -> list[Quantity]:
    """The quantities that are not the unitless number of a frequency or duration (每日「2」次, 「2」 weeks)."""
    spans = [(f.start, f.start + len(f.text)) for f in freqs]
    return [q for q in qs if q.unit is not None or not any(s <= q.start < e for s, e in spans)]


def _show(qs: list[Quantity]) -> str:
    return ", ".join(q.text.strip() for q in qs)


class NumbersDiffer(EntryRule):
    """Numbers differ: a dose, percentage, count, age or date changed value in translation.

    Numbers are compared as values, not as text: ０.１％ = 0.1%, 十二 = 12,
    3,000 = 三千, 500 mg = 0.5 g, 1至3 = "1 to 3", 10~19歲 = "10 to 19
    years", 2023/02/27 = 2023年2月27日 = "February 27, 2023". When both
    sides give a unit (mg/毫克, g/公克/克, mL/毫升, %), the units must agree
    too. The numbers are compared as multisets; the message lists what the
    msgstr lacks and what it adds. A unitless 1 is ignored ("once a day" =
    每天一次), and so are the numbers in placeholder tags (``<a1>``).
    Fractions are values: "1 in 10" = 十分之一 = 10%. When both sides state a dosing
    frequency, the count inside it (每日「2」次 = b.i.d., every 「8」 hours) is compared
    as a rate by GL013, not here; when both sides give the same durations, their numbers
    are left to GL016 (2 weeks = 14天, 半年 = 6 months). A per-kg or per-m² basis and IU vs mg: GL017.
    See ``l10n/checks/numbers.py`` for what counts as a number.
    """

    code = "GL005"
    name = "numbers-differ"
    severity = Severity.ERROR
    bad = Example("Apply Protopic 0.03% twice a day for 12 weeks.", "普特皮0.1%每天擦兩次，持續八週。",
                  "en", "zh_TW")
    good = Example("Apply Protopic 0.03% twice a day for 12 weeks.", "普特皮０.０３％每天擦兩次，持續十二週。",
                   "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        src = ctx.source_quantities
        dst = ctx.target_quantities
        if not src and not dst:
            return
        missing, extra = _compare(ctx, src, dst)
        if not missing and not extra:
            return
        found = sections(ctx)
        if not ((found[0] & _RATE_WORDS and found[1] & _RATE_WORDS) or (found[0] & DURATION and found[1] & DURATION)):
            yield from self._report(ctx, missing, extra)
            return
        a, b = records(ctx)                       # only for a difference: the usual entry is not parsed
        if a.frequencies and b.frequencies:       # counts of a frequency compare as rates: GL013
            src, dst = _outside(src, a.frequencies), _outside(dst, b.frequencies)
        if a.durations and b.durations and same_durations(a.durations, b.durations):
            src, dst = _outside(src, a.durations), _outside(dst, b.durations)   # 半年 = 6 months
        missing, extra = _compare(ctx, src, dst)
        if not missing and not extra:
            return
        yield from self._report(ctx, missing, extra)

    def _report(self, ctx: EntryContext, missing: list[Quantity], extra: list[Quantity]) -> Iterator[Finding]:
        parts = []
        if missing:
            parts.append(f"msgid has {_show(missing)} which the msgstr lacks")
        if extra:
            parts.append(f"msgstr has {_show(extra)} which the msgid lacks")
        term = (extra[0] if extra else missing[0]).text.strip()
        yield ctx.finding(
            self,
            f"numbers differ: {'; '.join(parts)}; msgid {quote(ctx.entry.msgid)}",
            term=term,
        )


# the tables a frequency is read from; a time unit too (三天一次, 兩個禮拜打一次: once every so long)
_RATE_WORDS = FREQUENCY | {"time_unit"}


def _compare(ctx: EntryContext, src: list[Quantity], dst: list[Quantity]) -> tuple[list[Quantity], list[Quantity]]:
    """numbers.compare, then the same numbers counted another way: "days 2 to 5" = 随后4天, "7 out of 10"
    = 7分（滿分10分）."""
    missing, extra = compare(src, dst)
    if missing and extra:
        missing, extra = _day_range_as_count(missing, ctx.entry.msgid, extra, ctx.entry.msgstr)
        extra, missing = _day_range_as_count(extra, ctx.entry.msgstr, missing, ctx.entry.msgid)
        missing, extra = _score_as_two(missing, extra)
        extra, missing = _score_as_two(extra, missing)
    return missing, extra


# days 2 to 5, days 2-5, 第2至5天, 第二到第五天: a range of numbered days
_RANGE_GLUE = re.compile(r"\s*(?:to|-|–|~|～|至|到)\s*(?:第)?\s*")
_DAYS_BEFORE = re.compile(r"(?:(?i:days?)\s*|第\s*)\Z")
_DAYS_AFTER = re.compile(r"\s*(?:天|日|(?i:days?)\b)")


def _day_range_as_count(one: list[Quantity], one_text: str, other: list[Quantity], other_text: str
                        ) -> tuple[list[Quantity], list[Quantity]]:
    """Drop a range of numbered days on one side ("days 2 to 5") told as their count on the other
    (随后4天, "the next 4 days"): the same days, counted another way."""
    for i, lo in enumerate(one):
        for hi in one[i + 1:]:
            if not (lo.unit is None and hi.unit is None and hi.value > lo.value):
                continue
            glue = one_text[lo.start + len(lo.text):hi.start]
            if not (_RANGE_GLUE.fullmatch(glue) and _DAYS_BEFORE.search(one_text, 0, lo.start)):
                continue
            for c in other:
                if c.value == hi.value - lo.value + 1 and c.unit is None \
                        and _DAYS_AFTER.match(other_text, c.start + len(c.text)):
                    return ([q for q in one if q is not lo and q is not hi], [q for q in other if q is not c])
    return one, other


_OUT_OF = re.compile(r"(\d+) out of (\d+)")


def _score_as_two(one: list[Quantity], other: list[Quantity]) -> tuple[list[Quantity], list[Quantity]]:
    """Drop a score read as a share on one side ("pain of 7 out of 10", 70 %) that the other gives as its
    two numbers (7分，滿分10分)."""
    for q in one:
        m = _OUT_OF.fullmatch(q.text.strip()) if q.unit == "%" else None
        if m is None:
            continue
        a, b = Decimal(m.group(1)), Decimal(m.group(2))
        ka = next((c for c in other if c.value == a and c.unit is None), None)
        kb = next((c for c in other if c.value == b and c.unit is None and c is not ka), None)
        if ka is not None and kb is not None:
            return [x for x in one if x is not q], [x for x in other if x is not ka and x is not kb]
    return one, other
