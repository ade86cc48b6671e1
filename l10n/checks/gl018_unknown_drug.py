"""GL018: a drug named on a page or in a msgid that the glossary has no concept for."""
from __future__ import annotations

from typing import Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, MatcherCache, SegmentContext, SegmentRule, quote
from l10n.drugs.lexicon import DrugHit
from l10n.glossary.matcher import Match
from l10n.model import Finding, Severity


def unknown_drugs(matchers: MatcherCache, text: str, matches: list[Match]) -> list[list[DrugHit]]:
    """The lexicon drugs of ``text`` whose ingredient no glossary concept names, the hits grouped by ingredient.

    A hit inside a glossary term (of any type) is the glossary's; a brand the
    glossary lacks whose ingredient it has is covered by that ingredient.
    """
    hits = matchers.drug_hits(text, matches)
    if not hits:
        return []
    known = matchers.memo.get(("lexicon-known",))
    if known is None:
        known = matchers.memo[("lexicon-known",)] = frozenset().union(*matchers.lexicon_ids.values())
    out: dict[str, list[DrugHit]] = {}
    for h in hits:
        if h.ident not in known:
            out.setdefault(h.ident, []).append(h)
    return list(out.values())


class UnknownDrug(SegmentRule, EntryRule):
    """A drug without a glossary concept: its translations cannot be checked by name.

    Drug names written in English are found with the drug lexicon
    (``l10n.drugs``). One that the glossary has no concept for, by any of its
    names or by its ingredient, is reported where it is named: in a unit of a
    source page, and in the msgid of each catalog entry (so ``# l10n: ignore
    GL018`` on an entry silences it there). Only English-written names are seen:
    a drug a Chinese page names in Chinese only is invisible to this rule.

    Severity info: the translation is not wrong, the glossary is incomplete.
    The fix is a new concept: ``l10n glossary suggest`` prints a stub for each
    such drug, with its ingredient filled in, for a terminologist to complete
    with the zh_TW and zh_CN names and a source. Until then GL001 cannot ask
    for an approved Chinese name, and GL003 only checks the drug when both
    sides write it in English.
    """

    code = "GL018"
    name = "drug-not-in-glossary"
    severity = Severity.INFO
    kind = "segment"
    bad = Example("Hydroxychloroquine is sometimes added for joint pain.", source="en")
    good = Example("Methotrexate is sometimes added for joint pain.", source="en")

    def check_segment(self, ctx: SegmentContext) -> Iterator[Finding]:
        for hits in unknown_drugs(ctx.matchers, ctx.text, ctx.matches):
            h = hits[0]
            yield ctx.finding(self, _message(h, "page text", ctx.segment.msgid), term=h.text, drug=h.ident,
                              names=_names(hits))

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        for hits in unknown_drugs(ctx.matchers, ctx.msgid_text, ctx.source_matches):
            h = hits[0]
            yield ctx.finding(self, _message(h, "msgid", ctx.entry.msgid), term=h.text, drug=h.ident,
                              names=_names(hits))


def _names(hits: list[DrugHit]) -> str:
    """Every name of the drug in the text, as written, "|"-separated (for ``l10n glossary suggest``)."""
    return "|".join(dict.fromkeys(h.text for h in hits))


def _message(h: DrugHit, where: str, text: str) -> str:
    what = h.ident if h.generic_name else f"{h.text} → {h.ident}"
    return (f"drug not in the glossary: {where} {quote(text)} names \"{h.text}\" ({what}); "
            f"add a concept for {h.ident} (`l10n glossary suggest` prints a stub)")
