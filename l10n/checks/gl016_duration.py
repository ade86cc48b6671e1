"""GL016: a duration or its time unit differs (for 2 weeks -> 2個月)."""
from __future__ import annotations

import re
from fractions import Fraction
from typing import Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, quote
from l10n.checks.dosing import DURATION, may_differ, records, sections, show, unmatched_durations as _unmatched
from l10n.dosing.record import PERIOD_DAYS
from l10n.model import Finding, Severity


class DurationDiffers(EntryRule):
    """Duration differs: how long (a number and its time unit) changed in translation.

    Durations are a number before a time unit: hours, days, weeks, months, years ↔
    小時, 天/日, 週/周/星期, 個月, 年 (兩週 = 2 weeks, 三個月 = 3 months, 半年 = 6
    months). They compare as lengths of time, so 2 weeks = 14 days, and 12 weeks = 3
    months (a month is taken as 4 to 4.4 weeks); dates (2023年, 2月27日) and ages (12
    years old) are not durations. Compared only when both sides give a duration. A changed
    number is also a GL005 finding; a changed unit ("2 weeks" -> 2個月) only this one. The
    length of a course or cycle ("each course is 21 days") is matched by the same period
    given as a rate on the other side (每21天為一個療程, "repeated every 21 days").
    """

    code = "GL016"
    name = "duration-differs"
    severity = Severity.ERROR
    gate = staticmethod(may_differ)
    bad = Example("Take the antibiotic for 2 weeks.", "抗生素需服用2個月。", "en", "zh_TW")
    good = Example("Take the antibiotic for 2 weeks.", "抗生素需服用兩週。", "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        a, b = sections(ctx)
        if not (a & DURATION and b & DURATION):
            return
        src, dst = records(ctx)
        if not src.durations or not dst.durations:
            return
        lost = [d for d in _unmatched(src.durations, dst.durations)
                if not _cycle_as_rate(src, d, dst) and not _gap_as_interval(src, d, dst)
                and not _later_as_number(src, d, ctx.target_quantities)]
        added = [d for d in _unmatched(dst.durations, src.durations)
                 if not _cycle_as_rate(dst, d, src) and not _gap_as_interval(dst, d, src)
                 and not _later_as_number(dst, d, ctx.source_quantities)]
        if not lost and not added:
            return
        said_src = ", ".join(show(d.text, d.label) for d in (lost or src.durations))
        said_dst = ", ".join(show(d.text, d.label) for d in (added or dst.durations))
        yield ctx.finding(self, f"duration differs: msgid says {said_src}, msgstr says {said_dst}; "
                                f"msgid {quote(ctx.entry.msgid)}",
                          term=(added or list(dst.durations))[0].text)


_COURSE = re.compile(r"course|cycle|療程|疗程|週期|周期", re.I)


def _cycle_as_rate(rec, d, other) -> bool:  # type: ignore[no-untyped-def]
    """Whether duration ``d`` of ``rec`` is the length of a course or cycle (the word within a few
    words of it) and ``other`` gives that period as a rate (every 21 days = a 21-day cycle)."""
    if not _COURSE.search(rec.text, max(0, d.start - 24), d.start + len(d.text) + 16):
        return False
    return any(f.per_day * d.days == 1 for f in other.frequencies if f.per_day)


# 间隔4～6小时, 相隔12小時: what follows is the time between two doses (the range's first end too)
_GAP_BEFORE = re.compile(r"隔\s*(?:[0-9.一二两兩三四五六七八九十]+\s*(?:～|~|-|到|至)\s*)?\Z")


def _gap_as_interval(rec, d, other) -> bool:  # type: ignore[no-untyped-def]
    """Whether duration ``d`` of ``rec`` is the time between two doses (间隔4～6小时) and ``other``
    gives it as an interval ("repeat every 4 to 6 hours"): either end of a range (``d.low``) may match."""
    if not rec.zh or not _GAP_BEFORE.search(rec.text, max(0, d.start - 12), d.start):
        return False
    ends = (d.value,) if d.low is None else (d.low, d.value)
    days = [Fraction(v) * PERIOD_DAYS[d.unit] for v in ends]
    return any(f.per_day is not None and any(f.per_day * x == 1 for x in days) for f in other.frequencies)


def _later_as_number(rec, d, other_quantities) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``d`` is a point in time (三天后, "three days later") that the other side gives as a
    number without its unit ("even if he seems better after three")."""
    if not rec.text.startswith(("后", "後", "以后", "以後"), d.start + len(d.text)):
        return False
    return any(q.unit is None and q.value == d.value for q in other_quantities)
