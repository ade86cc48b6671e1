"""GL003: the msgstr names a drug the msgid does not name (a drug swap)."""
from __future__ import annotations

from typing import Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, drug_label, is_chinese, quote
from l10n.drugs.lexicon import DrugHit
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

    Drugs the glossary does not have are checked when they are written in
    English (Taiwanese pages keep the English INN): every name of the drug
    lexicon (``l10n.drugs``, about 14,000 drugs and 55,000 names and brands),
    each resolved to its ingredient, so "Plaquenil" -> hydroxychloroquine is
    fine and hydroxychloroquine -> 每週服用一次 methotrexate, prednisone ->
    prednisolone, hydroxyzine -> hydralazine are swaps. When the msgid is
    Chinese, it may name a drug in Chinese only, which no list resolves; so a
    lexicon drug of the msgstr is reported only if an English drug name of the
    msgid is missing from the msgstr (one name replaced by another). A glossary
    drug of the msgstr named in the msgid by a name only the lexicon knows (a
    brand the glossary lacks) is not a swap either.
    """

    code = "GL003"
    name = "drug-swap"
    severity = Severity.ERROR
    bad = Example("醫師開了普特皮0.1%給我。", "The doctor prescribed me Pimecrolimus 0.1%.", "zh_TW", "en")
    good = Example("醫師開了普特皮0.1%給我。", "The doctor prescribed me Protopic 0.1%.", "zh_TW", "en")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        yield from self._glossary_swaps(ctx)
        yield from self._lexicon_swaps(ctx)

    def _glossary_swaps(self, ctx: EntryContext) -> Iterator[Finding]:
        target_drugs = _drugs(ctx, ctx.target_matches)
        if not target_drugs:
            return
        source_drugs = _drugs(ctx, ctx.source_matches)
        named: set[str] = set()
        for _, ids in source_drugs:
            named |= ids
        g = ctx.glossary
        reported: set[str] = set()
        lex_named: set[str] | None = None
        for m, ids in target_drugs:
            if ids & named:
                continue
            if lex_named is None:          # the msgid may name it by a name only the lexicon knows
                lex_named = {h.ident for h in ctx.matchers.drug_hits(ctx.msgid_text, ctx.source_matches)}
            if lex_named and any(ctx.matchers.lexicon_ids.get(i, frozenset()) & lex_named for i in ids):
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
            names = _glossary_names(ctx) or _hit_names(ctx.matchers.drug_hits(ctx.msgid_text, ctx.source_matches))
            it_names = f"it names {names}" if names else "it names no drug"
            yield ctx.finding(
                self,
                f"drug swap: msgstr names \"{m.text}\" ({what}), which msgid {quote(ctx.entry.msgid)} "
                f"does not name; {it_names}",
                term=m.text, concept=concept.id if concept else m.concept_id, drug=ident,
            )


    def _lexicon_swaps(self, ctx: EntryContext) -> Iterator[Finding]:
        matchers = ctx.matchers
        hits = matchers.drug_hits(ctx.msgstr_text, ctx.target_matches)
        if not hits:
            return
        source_hits = matchers.drug_hits(ctx.msgid_text, ctx.source_matches)
        named = {h.ident for h in source_hits}
        lex_ids = matchers.lexicon_ids
        for _, ids in _drugs(ctx, ctx.source_matches):
            for i in ids:
                named |= lex_ids.get(i, frozenset())
        missing = [h for h in hits if h.ident not in named]
        if not missing:
            return
        if is_chinese(ctx.source):
            in_target = {h.ident for h in hits}
            target_glossary: set[str] = set()
            for _, ids in _drugs(ctx, ctx.target_matches):
                target_glossary |= ids
                for i in ids:
                    in_target |= lex_ids.get(i, frozenset())
            source_glossary: set[str] = set()
            for _, ids in _drugs(ctx, ctx.source_matches):
                source_glossary |= ids
            if all(h.ident in in_target for h in source_hits) and source_glossary <= target_glossary:
                return                     # nothing replaced: it may translate a Chinese-only name
        source_names = _hit_names(source_hits) or _glossary_names(ctx)
        it_names = f"it names {source_names}" if source_names else "it names no drug"
        reported: set[str] = set()
        for h in missing:
            if h.ident in reported:
                continue
            reported.add(h.ident)
            yield ctx.finding(
                self,
                f"drug swap: msgstr names \"{h.text}\" ({_hit_label(h)}), which msgid {quote(ctx.entry.msgid)} "
                f"does not name; {it_names}",
                term=h.text, drug=h.ident, lexicon="yes",
            )


def _hit_label(h: DrugHit) -> str:
    """"Plaquenil → hydroxychloroquine" for a brand, "hydroxychloroquine" for the ingredient."""
    return h.ident if h.generic_name else f"{h.text} → {h.ident}"


def _hit_names(hits: list[DrugHit]) -> str:
    seen: dict[str, DrugHit] = {}
    for h in hits:
        seen.setdefault(h.ident, h)
    return ", ".join(f"{h.text} ({_hit_label(h)})" for h in seen.values())


def _glossary_names(ctx: EntryContext) -> str:
    return ", ".join(f"{sm.text} ({_label(ctx, sm)})" for sm, _ in _unique(_drugs(ctx, ctx.source_matches)))


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
