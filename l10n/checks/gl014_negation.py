"""GL014: a prohibition or negation of a dosing instruction is lost or added in translation."""
from __future__ import annotations

from typing import Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, quote
from l10n.checks.dosing import counts_doses, has_dose, may_differ, records, sections
from l10n.model import Finding, Severity


class NegationDiffers(EntryRule):
    """Negation lost or added: "do not", "avoid", 禁用, 請勿… is on one side of a dosing instruction only.

    Prohibitions: do not, don't, never, avoid, must not, should not, cannot be used, not
    recommended, contraindicated ↔ 不要, 不可, 不得, 不宜, 不建議, 不應, 不能服用, 勿, 請勿,
    切勿, 禁止, 禁用, 避免… (the ``[negation]`` tables of l10n/dosing/vocab/). Words that
    only contain 不 (不良反應, 不適, 不同, 不過, 不會…) are not negations; "do not take
    more than" / 不超過 is a maximum, not a prohibition; "if you do not" / 如果不 is a
    condition; an English "do not" counts only as an instruction
    ("Do not apply…"), not in a description ("they do not target…"). Compared when
    one side is about taking a medicine (a drug, dose, frequency, duration, route, dosage
    form or a verb such as take/use/服用/使用) and the msgid has a dosing word, a dose or a
    drug (the shared gate of GL013-GL017). "do not use" = 禁用 = 請勿使用 passes. When both
    sides forbid something, a side that forbids fewer things and allows one ("you may", 可以;
    the ``[permission]`` tables) is reported: 請勿飲酒，也不要開車 -> "you may drink alcohol,
    but do not drive". A caution (慎用, "use with caution") against a prohibition on the other side
    is reported, and so is a maximum ("do not exceed 8 tablets", 最多, 不超過) on one side only,
    when both give a dose.
    """

    code = "GL014"
    name = "negation-differs"
    severity = Severity.ERROR
    gate = staticmethod(may_differ)
    bad = Example("Do not apply the ointment to infected skin.", "請將藥膏塗抹於感染的皮膚。", "en", "zh_TW")
    good = Example("Do not apply the ointment to infected skin.", "請勿將藥膏塗抹於感染的皮膚。", "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        a, b = sections(ctx)
        if ("caution" in a) != ("caution" in b) and ("negation" in a or "negation" in b):
            found = list(self._caution(ctx, "caution" in b))
            if found:
                yield from found
                return
        if ({"limit", "not_a_cue"} & (a | b)) and _amount(ctx.source_quantities, a, ctx.msgid_text) \
                and _amount(ctx.target_quantities, b, ctx.msgstr_text):
            found = list(self._maximum(ctx))
            if found:
                yield from found
                return
        if "negation" not in a and "negation" not in b:
            return
        src, dst = records(ctx)
        if src.negated == dst.negated:
            if src.negated and ("permission" in a) != ("permission" in b) and (src.about_dosing or dst.about_dosing):
                yield from self._lifted(ctx, src, dst, "permission" in b)
            return
        if not (src.about_dosing or dst.about_dosing):
            return
        if src.negated:
            cue = src.negations[0].text
            msg = (f"negation lost: msgid says \"{cue}\", msgstr has no prohibition or negation "
                   f"(read as an instruction to do it)")
            term = cue
        else:
            cue = dst.negations[0].text
            msg = f"negation added: msgstr says \"{cue}\", msgid has no prohibition or negation"
            term = cue
        yield ctx.finding(self, f"{msg}; msgid {quote(ctx.entry.msgid)}", term=term)

    def _lifted(self, ctx: EntryContext, src, dst, in_msgstr: bool) -> Iterator[Finding]:  # type: ignore[no-untyped-def]
        """Both sides forbid something, but one forbids less and allows something ("you may"):
        請勿飲酒，也不要開車 -> "you may drink alcohol, but do not drive"."""
        fewer, more = (dst, src) if in_msgstr else (src, dst)
        if len(fewer.negations) >= len(more.negations):
            return
        allow = next(h for h in fewer.hits if h[2].section == "permission")
        said = ", ".join(f'"{n.text}"' for n in more.negations)
        side, other = ("msgstr", "msgid") if in_msgstr else ("msgid", "msgstr")
        yield ctx.finding(self, f"prohibition lost: {other} forbids {len(more.negations)} things ({said}), {side} "
                                f"forbids {len(fewer.negations)} and says \"{fewer.word(allow)}\"; "
                                f"msgid {quote(ctx.entry.msgid)}",
                          term=fewer.word(allow))

    def _caution(self, ctx: EntryContext, in_msgstr: bool) -> Iterator[Finding]:
        """One side says "use with caution" (慎用), the other forbids (禁用, "do not use")."""
        src, dst = records(ctx)
        careful, other = (dst, src) if in_msgstr else (src, dst)
        if not other.negated or careful.negated:
            return
        cue = next(h for h in careful.hits if h[2].section == "caution")
        said = f"\"{other.negations[0].text}\" (a prohibition)"
        caution = f"\"{careful.word(cue)}\" (use with caution)"
        said_src, said_dst = (said, caution) if in_msgstr else (caution, said)
        yield ctx.finding(self, f"prohibition differs: msgid says {said_src}, msgstr says {said_dst}; "
                                f"msgid {quote(ctx.entry.msgid)}",
                          term=dst.word(cue) if in_msgstr else other.negations[0].text)

    def _maximum(self, ctx: EntryContext) -> Iterator[Finding]:
        """One side makes an amount a maximum ("do not exceed 8 tablets", 最多, 不超過), the other does not."""
        src, dst = records(ctx)
        a, b = src.maximum, dst.maximum
        if (a is None) == (b is None) or not ((src.doses or counts_doses(ctx.msgid_text))
                                              and (dst.doses or counts_doses(ctx.msgstr_text))):
            return
        if (a is None and src.weak_maximum) or (b is None and dst.weak_maximum):
            return                                    # "up to 3 times a day" = 每天最多3次
        if a is not None:
            msg = f"maximum lost: msgid says \"{src.word(a)}\", msgstr gives the amount as a dose to take"
            term = None
        else:
            msg = f"maximum added: msgstr says \"{dst.word(b)}\", msgid gives the amount as a dose to take"
            term = dst.word(b)
        yield ctx.finding(self, f"{msg}; msgid {quote(ctx.entry.msgid)}", term=term)


def _amount(quantities: list, found: frozenset[str], text: str) -> bool:
    """A side gives an amount a maximum may limit: a dose, or a number of doses or times."""
    return has_dose(quantities, found) or counts_doses(text)
