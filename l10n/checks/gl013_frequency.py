"""GL013: the msgstr gives another dosing frequency than the msgid (weekly -> daily)."""
from __future__ import annotations

from typing import Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, quote
from l10n.checks.dosing import FREQUENCY, has_dose, may_differ, records, sections, show
from l10n.model import Finding, Severity


def _say(freqs: list) -> str:
    return ", ".join(show(f.text, f.label) for f in freqs)


class FrequencyDiffers(EntryRule):
    """Frequency differs: how often a dose is taken changed in translation (once a week -> daily).

    Both sides are read as rates: once/twice/three times a day, daily, q.d., b.i.d.,
    t.i.d., q.i.d., every N hours, every other day, weekly, monthly, as needed (PRN) and
    their Chinese forms (一天兩次, 每日2次, 每8小時, 隔天, 每週一次, 需要時…), so
    "twice daily" = 一天兩次 = 每日2次 = b.i.d. and "every 8 hours" = three times a day.
    Compared only when both sides state a frequency; per-day and per-week dose bases
    ("20 mg a week" -> 每天20毫克) are frequencies and belong here. A weekly
    methotrexate dose written as daily is the classic fatal medication error. A dose given
    each time (每次, per dose, at a time) where the other side, which has no such words,
    says how often ("Maximum 4 g per day" -> 每次最多4克) is reported too.
    """

    code = "GL013"
    name = "frequency-differs"
    severity = Severity.ERROR
    gate = staticmethod(may_differ)
    bad = Example("Take methotrexate 15 mg once a week.", "每天服用甲氨喋呤15毫克。", "en", "zh_TW")
    good = Example("Take methotrexate 15 mg once a week.", "每週服用一次甲氨喋呤15毫克。", "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        a, b = sections(ctx)
        if not (a & FREQUENCY and b & FREQUENCY):
            yield from self._per_dose(ctx, a, b)
            return
        src, dst = records(ctx)
        if not src.frequencies or not dst.frequencies:
            return
        a = {f.per_day for f in src.frequencies}
        b = {f.per_day for f in dst.frequencies}
        if a == b:
            return
        lost = [f for f in src.frequencies if f.per_day not in b]
        added = [f for f in dst.frequencies if f.per_day not in a]
        said_src = _say(lost or list(src.frequencies))
        said_dst = _say(added or list(dst.frequencies))
        yield ctx.finding(self, f"frequency differs: msgid says {said_src}, msgstr says {said_dst}; "
                                f"msgid {quote(ctx.entry.msgid)}",
                          term=(added or list(dst.frequencies))[0].text)

    def _per_dose(self, ctx: EntryContext, a: frozenset[str], b: frozenset[str]) -> Iterator[Finding]:
        """One side gives a dose each time (and no frequency), the other how often (and not "each time")."""
        if ("per_dose" in a) == ("per_dose" in b):
            return
        each, often = (a, b) if "per_dose" in a else (b, a)
        if each & FREQUENCY or not often & FREQUENCY:
            return
        if not (has_dose(ctx.source_quantities, a) and has_dose(ctx.target_quantities, b)):
            return
        src, dst = records(ctx)
        rec_often, rec_each = (dst, src) if each is a else (src, dst)
        if not rec_often.frequencies:
            return
        cue = next(h for h in rec_each.hits if h[2].section == "per_dose")
        said_each = show(rec_each.word(cue), "per dose")
        said_often = _say(list(rec_often.frequencies))
        said_src, said_dst = (said_each, said_often) if each is a else (said_often, said_each)
        yield ctx.finding(self, f"frequency differs: msgid says {said_src}, msgstr says {said_dst}; "
                                f"msgid {quote(ctx.entry.msgid)}",
                          term=said_dst.split(" (")[0])
