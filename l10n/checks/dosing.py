"""What the dosing rules (GL013-GL017) share: both sides' records, read once per entry.

``records(ctx)`` parses the msgid (remembered for the whole run: the same msgid recurs
in every locale's catalog) and the msgstr (once per entry, kept on the context), so the
five rules cost one parse per side. An entry with no digit and no vocabulary expression
on either side is never parsed further than one automaton pass.
"""
from __future__ import annotations

from l10n.checks.base import EntryContext

__all__ = ["records", "show", "unmatched_durations", "same_durations"]


def _drugs(ctx: EntryContext, source: bool) -> frozenset[str]:
    matches = ctx.source_matches if source else ctx.target_matches
    out: set[str] = set()
    for m in matches:
        ids = ctx.matchers.drug_ids_of(m)
        if ids:
            out.update(ids)
    return frozenset(out)


def records(ctx: EntryContext) -> tuple:
    """(msgid record, msgstr record) of the entry: :class:`l10n.dosing.DosingRecord`."""
    got = ctx.dosing
    if got is None:
        from l10n.dosing.parse import parse   # here, not at the top: l10n.dosing imports l10n.checks.numbers

        key = ("dosing", ctx.source, ctx.msgid_text)
        memo = ctx.matchers.memo
        src = memo.get(key)
        if src is None:
            src = memo[key] = parse(ctx.msgid_text, ctx.source, drugs=_drugs(ctx, True),
                                    quantities=ctx.source_quantities)
        dst = parse(ctx.msgstr_text, ctx.target, drugs=_drugs(ctx, False), quantities=ctx.target_quantities)
        got = ctx.dosing = (src, dst)
    return got


def show(text: str, label: str) -> str:
    """The words as written, with their meaning in plain English when the words are not that."""
    return text if text.strip().lower() == label.lower() else f"{text} ({label})"


def unmatched_durations(a: tuple, b: tuple) -> list:
    """The durations of ``a`` with no equal length of time in ``b`` (as multisets)."""
    pool = list(b)
    out = []
    for d in a:
        for i, o in enumerate(pool):
            if d.same_as(o):
                del pool[i]
                break
        else:
            out.append(d)
    return out


def same_durations(a: tuple, b: tuple) -> bool:
    """``a`` and ``b`` give the same lengths of time."""
    return len(a) == len(b) and not unmatched_durations(a, b)
