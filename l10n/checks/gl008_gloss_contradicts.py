"""GL008: a drug name on a source page is glossed, in parentheses, with another drug."""
from __future__ import annotations

import re
from typing import Iterator

from l10n.checks.base import Example, SegmentContext, SegmentRule, drug_label, quote
from l10n.glossary.matcher import Match
from l10n.glossary.model import Concept
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
        for i, m in enumerate(matches):
            drugs = _drugs(ctx, m)
            if not drugs:
                continue
            opened = _OPEN.match(text, m.end)
            if not opened:
                continue
            closed = _CLOSE.search(text, opened.end())
            if not closed:
                continue
            gloss = [(x, _drugs(ctx, x)) for x in matches[i + 1:]
                     if opened.end() <= x.start and x.end <= closed.start()]
            gloss = [(x, d) for x, d in gloss if d]
            if not gloss:
                continue
            idents = {ctx.glossary.drug_of(c) for c in drugs}
            if any(idents & {ctx.glossary.drug_of(c) for c in d} for _, d in gloss):
                continue
            x, d = gloss[0]
            g = ctx.glossary
            yield ctx.finding(
                self,
                f"contradicting gloss: \"{m.text}\" ({drug_label(g, drugs[0])}) is glossed as "
                f"\"{x.text}\" ({drug_label(g, d[0])}): different drugs; text {quote(ctx.segment.msgid)}",
                term=text[m.start:closed.end()], concept=drugs[0].id,
            )


def _drugs(ctx: SegmentContext, m: Match) -> list[Concept]:
    """The drug concepts a match names (see ``Match.named_ids``)."""
    out = []
    for cid in m.named_ids:
        c = ctx.glossary.get(cid)
        if c is not None and c.is_drug:
            out.append(c)
    return out
