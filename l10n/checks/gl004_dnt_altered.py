"""GL004: a do-not-translate term of the msgid is not in the msgstr verbatim."""
from __future__ import annotations

from typing import Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, quote
from l10n.model import Finding, Severity


class DoNotTranslateAltered(EntryRule):
    """Do-not-translate term altered: a dnt concept of the msgid must appear verbatim in the msgstr.

    Names the glossary marks ``dnt`` (a publication such as "Scleroderma
    News", a product name) stay as written, letter case included. The msgstr
    must contain the text as the msgid has it, or one of the concept's terms
    exactly.
    """

    code = "GL004"
    name = "dnt-altered"
    severity = Severity.ERROR
    bad = Example("Scleroderma News is a news website.", "硬皮症新聞是一個新聞網站。", "en", "zh_TW")
    good = Example("Scleroderma News is a news website.", "Scleroderma News 是一個新聞網站。", "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        matches = ctx.source_matches
        dnt = ctx.matchers.dnt_ids
        if not dnt or not matches:
            return
        msgstr = ctx.msgstr_text
        seen: set[str] = set()
        for m in matches:
            if m.concept_id not in dnt:
                continue
            concept = ctx.concept(m.concept_id)
            if concept is None or not concept.dnt or m.concept_id in seen:
                continue
            seen.add(m.concept_id)
            if m.text in msgstr or any(t.text in msgstr for t in concept.terms if t.status != "forbidden"):
                continue
            yield ctx.finding(
                self,
                f"do-not-translate term altered: msgid {quote(ctx.entry.msgid)} has \"{m.text}\", "
                f"which must appear verbatim in the msgstr",
                term=m.text, concept=m.concept_id,
            )
