"""GL008: a drug name on a source page is glossed, in parentheses, with another drug."""
from __future__ import annotations

import re
from typing import Iterator

from l10n.checks.base import Example, SegmentContext, SegmentRule, drug_label
from l10n.model import Finding, Severity

_OPEN = re.compile(r"\s{0,2}[(（]")
_CLOSE = re.compile(r"[)）]")


class GlossContradicts(SegmentRule):
    """Contradicting gloss: a drug name is followed by a parenthetical naming a different drug.

    Source pages often gloss a name: "Protopic (普特皮)", "tacrolimus
    (普特皮)", "CellCept (mycophenolate mofetil)". When the glossary maps the
    name and every drug in the parentheses to different drug identities (a
    brand counts as its generic), the page contradicts itself and one of the
    two is wrong: "Pimecrolimus (普特皮)" glosses pimecrolimus with the
    Chinese brand of tacrolimus. Only drugs (generic or brand concepts) are
    compared; a parenthetical without a glossary drug is left alone.
    """

    code = "GL008"
    name = "gloss-contradicts"
    severity = Severity.ERROR
    bad = Example("The medication you mentioned, Pimecrolimus (普特皮), is a topical calcineurin inhibitor.",
                  source="en")
    good = Example("The medication you mentioned, Protopic (普特皮), is a topical calcineurin inhibitor.",
                   source="en")

    def check_segment(self, ctx: SegmentContext) -> Iterator[Finding]:
        text = ctx.text
        if "(" not in text and "（" not in text:
            return
        matches = ctx.matches
        g = ctx.glossary
        for i, m in enumerate(matches):
            concept = g.get(m.concept_id)
            if concept is None or not concept.is_drug:
                continue
            opened = _OPEN.match(text, m.end)
            if not opened:
                continue
            closed = _CLOSE.search(text, opened.end())
            if not closed:
                continue
            inner = [x for x in matches[i + 1:] if opened.end() <= x.start and x.end <= closed.start()]
            gloss = [(x, g.get(x.concept_id)) for x in inner]
            gloss = [(x, c) for x, c in gloss if c is not None and c.is_drug]
            if not gloss:
                continue
            ident = g.drug_of(concept)
            if any(g.drug_of(c) == ident for _, c in gloss):
                continue
            x, c = gloss[0]
            yield ctx.finding(
                self,
                f"contradicting gloss: \"{m.text}\" ({drug_label(g, concept)}) is glossed as "
                f"\"{x.text}\" ({drug_label(g, c)}): different drugs; "
                f"text \"{text[m.start:closed.end()]}\"",
                term=text[m.start:closed.end()], concept=m.concept_id,
            )
