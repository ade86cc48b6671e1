"""GL001: a glossary term of the msgid has no approved translation in the msgstr."""
from __future__ import annotations

from typing import Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, quote
from l10n.model import Finding, Severity


class MissingTerm(EntryRule):
    """Missing approved term: the msgid names a glossary concept, the msgstr uses none of its approved terms.

    For every concept found in the msgid that has approved (preferred or
    admitted) terms in the target locale, one of them must appear in the
    msgstr. A brand must be rendered by that brand's approved term (普特皮
    for Protopic), a generic by the generic's. An admitted term counts, so a
    zh_TW msgstr may keep the English INN where the glossary admits it.
    Concepts marked do-not-translate are GL004's business.
    """

    code = "GL001"
    name = "missing-term"
    severity = Severity.ERROR
    bad = Example("Protopic ointment", "他克莫司軟膏", "en", "zh_TW")
    good = Example("Protopic ointment", "普特皮軟膏", "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        source_matches = ctx.source_matches
        if not source_matches:
            return
        target = ctx.target
        matchers = ctx.matchers
        siblings = matchers.sibling(ctx.source)
        get = ctx.glossary.by_id.get
        present: set[str] | None = None
        seen: set[str] = set()
        for m in source_matches:
            cid = m.concept_id
            if cid in seen or (m.locale in siblings and m.status != "preferred"):
                continue          # a zh_CN word in a zh_TW msgid only counts if it is a preferred term
            seen.add(cid)
            concept = get(cid)
            if concept is None or concept.dnt:
                continue
            approved = matchers.approved(concept, target)
            if not approved:
                continue
            if present is None:
                present = set()
                for t in ctx.target_matches:
                    if t.locale == target and t.status != "forbidden":
                        present.add(t.concept_id)
                    for a in t.alternatives:
                        if a[2] == target and a[1] != "forbidden":
                            present.add(a[0])
            if cid in present:
                continue
            # The term may sit inside a longer term or word of the msgstr (硬皮症 in
            # 局部硬皮症, "immune response" in "autoimmune response"): presence is
            # checked leniently, as a substring.
            tm = ctx.target_matcher
            folded = ctx.msgstr_folded
            if any(tm.occurs(folded, k, loose=True) for k in tm.keys_for(cid, "preferred", "admitted")):
                continue
            want = " or ".join(approved)
            yield ctx.finding(
                self,
                f"missing approved term: msgid {quote(ctx.entry.msgid)} has \"{m.text}\" ({cid}); "
                f"msgstr should use {want}",
                term=m.text, concept=cid,
            )
