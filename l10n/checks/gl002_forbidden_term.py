"""GL002: the msgstr uses a term the glossary forbids in the target locale."""
from __future__ import annotations

from typing import Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, quote
from l10n.model import Finding, Severity


class ForbiddenTerm(EntryRule):
    """Forbidden term used in msgstr: a term the glossary marks forbidden, or the other region's term.

    A term is forbidden when the glossary lists it with status ``forbidden``
    for the target locale (硬皮病 or 系统性硬化症 in zh_TW, 普特皮 in zh_CN).
    The other Chinese locale's preferred term (a zh_CN name in a zh_TW
    msgstr) is reported too, unless the same text is also a term of the
    target locale (its admitted terms are not: they are often everyday words).
    The message names the term to use instead.
    """

    code = "GL002"
    name = "forbidden-term"
    severity = Severity.ERROR
    bad = Example("Localized scleroderma", "局部硬皮病", "en", "zh_TW")
    good = Example("Localized scleroderma", "局部硬皮症", "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        if not ctx.msgstr_text:
            return
        target = ctx.target
        siblings = ctx.matchers.sibling(target)
        reported: set[str] = set()
        for m in ctx.target_matches:
            if m.locale == target and m.status == "forbidden":
                why = f"forbidden in {target}"
            elif m.locale in siblings and m.status == "preferred":
                # only the other region's *preferred* term: admitted ones are often
                # everyday words (zh_CN 激素 "hormone") that zh_TW uses too
                why = f"the {m.locale} term, not a {target} one"
            else:
                continue
            if m.text in reported:
                continue
            reported.add(m.text)
            concept = ctx.concept(m.concept_id)
            use = concept.preferred(target) if concept else None
            instead = f"; use {use}" if use else ""
            yield ctx.finding(
                self,
                f"forbidden term: msgstr uses \"{m.text}\" ({m.concept_id}: {why}){instead}; "
                f"msgid {quote(ctx.entry.msgid)}",
                term=m.text, concept=m.concept_id,
            )
