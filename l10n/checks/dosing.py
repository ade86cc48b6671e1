"""What the dosing rules (GL013-GL017) share: both sides read once per entry, and only as far as needed.

Each side is first scanned: one pass of its locale's vocabulary automaton (the msgid's
scan is remembered for the whole run: the same msgid recurs in every locale's catalog).
A rule looks at the tables hit on both sides (``sections``) and stops there when they
cannot hold what it compares (GL013 needs a frequency word on both sides, GL014 a
negation on one…): most entries are never parsed further. Otherwise ``records`` parses
both sides once (kept on the context) and the rules share the two records.
"""
from __future__ import annotations

import functools
import re

from l10n.checks.base import EntryContext, MatcherCache

__all__ = ["records", "scans", "may_differ", "sections", "show", "unmatched_durations", "same_durations",
           "FREQUENCY", "DURATION", "has_dose", "counts_doses"]

FREQUENCY = frozenset({"rate", "period", "period_after_count", "every"})
DURATION = frozenset({"time_unit", "duration", "period_after_count"})
_BASIS = frozenset({"basis", "dose_unit"})


def _drugs(matchers: MatcherCache, locale: str, text: str) -> frozenset[str]:
    """The drug identities the glossary finds in ``text``, else those of the drug lexicon (asked by the
    gate and by GL014's "about dosing")."""
    key = ("matches", locale, text)
    matches = matchers.memo.get(key)
    if matches is None:
        matches = matchers.get(locale).find(text)
    out: set[str] = set()
    for m in matches:
        ids = matchers.drug_ids_of(m)
        if ids:
            out.update(ids)
    if not out:                 # a drug the glossary lacks, named in English ("while you're on metronidazole")
        try:
            out.update("lexicon:" + h.ident for h in matchers.drug_hits(text, matches))
        except Exception:  # noqa: BLE001 - no lexicon (GL018 reports that): the glossary's drugs only
            pass
    return frozenset(out)


def scans(ctx: EntryContext) -> tuple:
    """((msgid hits, tables, folded text), (the same of the msgstr)); rules read ``ctx.dosing_scan or scans(ctx)``."""
    got = ctx.dosing_scan
    if got is None:
        src = _msgid_scan(ctx)
        low = ctx.msgstr_folded
        hits = ctx.matchers.vocabulary_hits(ctx.target, ctx.msgstr_text, low)
        got = ctx.dosing_scan = (src, (hits, frozenset([h[2].section for h in hits]), low))
    return got


def _msgid_scan(ctx: EntryContext) -> tuple:
    """(vocabulary hits, tables hit, folded text) of the msgid, kept in the run's memo: a msgid
    met in several catalogs is scanned once."""
    key = ("dosing-scan", ctx.source, ctx.msgid_text)
    memo = ctx.matchers.memo
    src = memo.get(key)
    if src is None:
        low = ctx.matchers.folded(ctx.msgid_text)
        hits = ctx.matchers.vocabulary_hits(ctx.source, ctx.msgid_text, low)
        src = memo[key] = (hits, frozenset([h[2].section for h in hits]), low)
    return src


def may_differ(ctx: EntryContext) -> bool:
    """The gate of GL013-GL017: could the two sides differ in dosing content?

    Every dosing rule compares something the msgid says (a frequency, route, duration,
    dose, prohibition), so an msgid with no vocabulary expression, no dose and no drug
    ends it there, without scanning the msgstr. Otherwise the tables hit on both sides
    must allow at least one rule's comparison (the same tests each rule starts with).
    """
    got = ctx.dosing_scan
    if got is None:
        src = _msgid_scan(ctx)
        if not src[1] and not has_dose(ctx.source_quantities, src[1]) and not _drugs(ctx.matchers, ctx.source,
                                                                                     ctx.msgid_text):
            return False
        got = scans(ctx)
    a, b = got[0][1], got[1][1]
    return bool((a & FREQUENCY and b & FREQUENCY)                      # GL013
                or ("per_dose" in a) != ("per_dose" in b)              # GL013: per dose against how often
                or "negation" in a or "negation" in b                  # GL014
                or ("caution" in a) != ("caution" in b)                # GL014: caution against a ban
                or ("limit" in a) != ("limit" in b)                    # GL014: a maximum lost
                or ("route" in a and "route" in b)                     # GL015
                or (a & DURATION and b & DURATION)                     # GL016
                or (_BASIS & (a | b) and has_dose(ctx.source_quantities, a)
                    and has_dose(ctx.target_quantities, b))            # GL017
                or amount_kinds_differ(ctx.source_quantities, ctx.target_quantities))   # GL017: 5 mL -> 5 mg


def amount_kinds_differ(source: list, target: list) -> bool:
    """One side measures an amount as a volume and the other as a mass (5毫升 -> "5 mg"), or the
    reverse: the kinds of unit of the numbers differ (each side has one)."""
    a = {q.unit for q in source if q.unit in ("mg", "mL")}
    b = {q.unit for q in target if q.unit in ("mg", "mL")}
    return bool(a) and bool(b) and a != b


def sections(ctx: EntryContext) -> tuple[frozenset[str], frozenset[str]]:
    """The vocabulary tables hit in the msgid and in the msgstr (a cheap test before ``records``)."""
    a, b = ctx.dosing_scan or scans(ctx)
    return a[1], b[1]


def has_dose(quantities: list, found: frozenset[str]) -> bool:
    """A side may give a dose: a number with a unit, or a dose-unit word (IU, 錠…)."""
    return "dose_unit" in found or any(q.unit is not None for q in quantities)


# a number of doses, times or days ("more than 4 doses in 24 hours", 超過4次, 最多连吃三天): what a maximum may count
_COUNTED = re.compile(r"(?:\b(?:\d+|one|two|three|four|five|six|seven|eight|ten|twelve)\s+(?:doses|times|days)\b)"
                      r"|(?:(?:\d+|[一二兩两三四五六七八九十]+)\s*(?:次|劑|剂|天))", re.I)


def counts_doses(text: str) -> bool:
    """Whether ``text`` counts doses or times ("4 doses", 4次): an amount a maximum can limit."""
    return _COUNTED.search(text) is not None


def records(ctx: EntryContext) -> tuple:
    """(msgid, msgstr) read lazily (:class:`l10n.dosing.parse.Reader`: the parts and properties of a
    :class:`l10n.dosing.DosingRecord`, each read when a rule first asks for it), once per entry."""
    got = ctx.dosing
    if got is None:
        from l10n.dosing.parse import reader

        (src_hits, _, src_low), (dst_hits, _, dst_low) = ctx.dosing_scan or scans(ctx)
        key = ("dosing", ctx.source, ctx.msgid_text)
        memo_owner = ctx.matchers
        memo = memo_owner.memo
        src = memo.get(key)
        if src is None:
            drugs = functools.partial(_drugs, memo_owner, ctx.source, ctx.msgid_text)
            src = memo[key] = reader(ctx.msgid_text, ctx.source, drugs=drugs,
                                     quantities=ctx.source_quantities, hits=src_hits, low=src_low)
        drugs = functools.partial(_drugs, memo_owner, ctx.target, ctx.msgstr_text)
        dst = reader(ctx.msgstr_text, ctx.target, drugs=drugs,
                     quantities=ctx.target_quantities,
                     hits=dst_hits, low=dst_low)
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
