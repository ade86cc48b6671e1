"""GL003: the msgstr names a drug the msgid does not name (a drug swap)."""
from __future__ import annotations

from typing import Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, drug_label, quote
from l10n.glossary.matcher import Match
from l10n.model import Finding, Severity


def _drugs(ctx: EntryContext, matches: list[Match]) -> list[tuple[Match, frozenset[str]]]:
    """Each drug match with the drug identities it may stand for (a brand counts as its generic)."""
    ids_of = ctx.matchers.drug_ids_of
    out = []
    for m in matches:
        ids = ids_of(m)
        if ids:
            out.append((m, ids))
    return out


class DrugSwap(EntryRule):
    """Drug swap: the msgstr names a drug whose identity the msgid does not name.

    Every generic or brand found in the msgstr is reduced to its drug
    identity (a brand counts as its generic, ``Glossary.drug_of``); each must
    also be named in the msgid, by any of its names in any locale. So
    "Protopic" -> 普特皮（tacrolimus） is fine (all tacrolimus), while
    普特皮 -> "Pimecrolimus" and "Protopic (tacrolimus)" -> 醫立妥 are swaps:
    the patient would read about a different medicine.
    """

    code = "GL003"
    name = "drug-swap"
    severity = Severity.ERROR
    bad = Example("醫師開了普特皮0.1%給我。", "The doctor prescribed me Pimecrolimus 0.1%.", "zh_TW", "en")
    good = Example("醫師開了普特皮0.1%給我。", "The doctor prescribed me Protopic 0.1%.", "zh_TW", "en")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        target_drugs = _drugs(ctx, ctx.target_matches)
        if not target_drugs:
            return
        source_drugs = _drugs(ctx, ctx.source_matches)
        named: set[str] = set()
        for _, ids in source_drugs:
            named |= ids
        g = ctx.glossary
        reported: set[str] = set()
        for m, ids in target_drugs:
            if ids & named:
                continue
            ident = min(ids)
            if ident in reported:
                continue
            reported.add(ident)
            generic = g.get(ident)
            what = drug_label(g, generic) if generic else ident
            concept = next((c for c in map(g.get, m.named_ids) if c is not None and c.is_drug), None)
            if concept is not None and concept.type == "brand":
                what = drug_label(g, concept)
            if source_drugs:
                names = ", ".join(f"{sm.text} ({_label(ctx, sm)})" for sm, _ in _unique(source_drugs))
                it_names = f"it names {names}"
            else:
                it_names = "it names no drug"
            yield ctx.finding(
                self,
                f"drug swap: msgstr names \"{m.text}\" ({what}), which msgid {quote(ctx.entry.msgid)} "
                f"does not name; {it_names}",
                term=m.text, concept=concept.id if concept else m.concept_id, drug=ident,
            )


def _label(ctx: EntryContext, m: Match) -> str:
    g = ctx.glossary
    for cid in m.named_ids:
        c = g.get(cid)
        if c is not None and c.is_drug:
            return drug_label(g, c)
    return m.concept_id


def _unique(drugs: list[tuple[Match, frozenset[str]]]) -> list[tuple[Match, frozenset[str]]]:
    seen: set[str] = set()
    out = []
    for m, ids in drugs:
        if m.concept_id not in seen:
            seen.add(m.concept_id)
            out.append((m, ids))
    return out
