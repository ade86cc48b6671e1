"""GL010: a glossary term on a source page is glued to another word."""
from __future__ import annotations

import re
from typing import Iterator

from l10n.checks.base import Example, SegmentContext, SegmentRule, quote
from l10n.model import Finding, Severity

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)


class GluedTerm(SegmentRule):
    """Glued term: a glossary term is written flush against another word ("methotrexateCellCept").

    A missing space or separator usually means a lost comma or line break
    between two names, and it hides both from translators and from every
    other check. A term hit that touches a letter is reported when the
    junction is a lower-to-upper case change (methotrexate|CellCept) or
    another glossary term starts or ends there; ordinary derived words
    ("sclerodermatous", "procollagen") and URLs are not reported.
    """

    code = "GL010"
    name = "glued-term"
    severity = Severity.ERROR
    bad = Example("Examples include methotrexateCellCept (mycophenolate mofetil) and Cytoxan.", source="en")
    good = Example("Examples include methotrexate, CellCept (mycophenolate mofetil) and Cytoxan.", source="en")

    def check_segment(self, ctx: SegmentContext) -> Iterator[Finding]:
        text = ctx.text
        if text.isspace() or not any(c.isalpha() and c.isascii() for c in text):
            return
        glued = ctx.matcher.find_glued(text)
        if not glued:
            return
        urls = [(u.start(), u.end()) for u in _URL.finditer(text)] if ("/" in text or "@" in text) else []
        starts = {m.start for m in ctx.matches} | {m.start for m in glued}
        ends = {m.end for m in ctx.matches} | {m.end for m in glued}

        def junction(i: int) -> bool:
            """Is text[i-1]|text[i] a word junction? (camelCase or a term boundary)"""
            if i <= 0 or i >= len(text) or not text[i - 1].isalpha() or not text[i].isalpha():
                return False
            return (text[i - 1].islower() and text[i].isupper()) or (i in starts and i in ends)

        flagged = []
        for m in glued:
            if any(a <= m.start < b for a, b in urls):
                continue
            left_glued = m.start > 0 and text[m.start - 1].isalpha()
            right_glued = m.end < len(text) and text[m.end].isalpha()
            if (left_glued and junction(m.start)) or (right_glued and junction(m.end)):
                flagged.append(m)
        # One finding per run of glued words: "methotrexateCellCept" is one place.
        runs: list[list] = []
        for m in flagged:
            if runs and runs[-1][-1].end == m.start:
                runs[-1].append(m)
            else:
                runs.append([m])
        for run in runs:
            start, end = run[0].start, run[-1].end
            while start > 0 and text[start - 1].isalpha():
                start -= 1
            while end < len(text) and text[end].isalpha():
                end += 1
            word = text[start:end]
            names = [f"\"{m.text}\" ({m.concept_id})" for m in run]
            if len(names) > 1:
                what = "runs together " + ", ".join(names[:-1]) + " and " + names[-1]
            else:
                what = f"runs {names[0]} into another word"
            yield ctx.finding(
                self,
                f"glued term: \"{word}\" {what}; add the missing space or separator; "
                f"text {quote(text[max(0, start - 20):end + 20])}",
                term=word, concept=run[0].concept_id,
            )
