"""GL011: half-width punctuation or ASCII quotes in Chinese text."""
from __future__ import annotations

import re
from typing import Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, is_chinese, quote
from l10n.model import Finding, Severity

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FULL = {",": "，", ".": "。", ":": "：", ";": "；", "?": "？", "!": "！"}
# , : ; ? ! right after a CJK character, before CJK or the end; "." only before CJK or the end.
_PUNCT = re.compile(rf"(?<=[{_CJK}])([,:;?!])(?=\s*[{_CJK}]|\s*$)|(?<=[{_CJK}])(\.)(?=[{_CJK}]|\s*$)")
_PARENS = re.compile(r"\(([^()\n]*)\)")
_QUOTES = re.compile(rf"\"([^\"\n]*[{_CJK}][^\"\n]*)\"")
_HAS_CJK = re.compile(rf"[{_CJK}]")
_ASCII_PUNCT = re.compile(r"[,:;?!.]")      # what _PUNCT needs (it is slow to find nothing)
_URL = re.compile(r"(?:https?://|www\.|mailto:)\S+", re.IGNORECASE)


class CjkPunctuation(EntryRule):
    """CJK typography: half-width punctuation or ASCII quotes in Chinese msgstr text.

    In a zh_TW or zh_CN msgstr, , . : ; ? ! written after a Chinese character
    (and before another or at the end) should be full-width (，。：；？！);
    ASCII parentheses next to or around Chinese text should be （）; ASCII
    quotes around Chinese text should be 「」 (zh_TW) or “” (zh_CN).
    Decimal points (0.1), URLs and punctuation inside English passages are
    left alone. A warning: the text is readable, just not typeset well.
    """

    code = "GL011"
    name = "cjk-punctuation"
    severity = Severity.WARNING
    bad = Example("Scleroderma is a rare disease.", "硬皮症,是一種罕見疾病.", "en", "zh_TW")
    good = Example("Scleroderma is a rare disease.", "硬皮症，是一種罕見疾病。", "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        if not is_chinese(ctx.target):
            return
        text = ctx.msgstr_text
        if text.isascii() or not _HAS_CJK.search(text):
            return
        urls = [(u.start(), u.end()) for u in _URL.finditer(text)] if ":" in text or "www." in text else []

        def in_url(i: int) -> bool:
            return any(a <= i < b for a, b in urls)

        spots: list[tuple[int, str, str]] = []   # (position, as written, suggestion)
        for m in (_PUNCT.finditer(text) if _ASCII_PUNCT.search(text) else ()):
            if not in_url(m.start()):
                p = m.group(0)
                spots.append((m.start(), text[max(0, m.start() - 2):m.end() + 1], _FULL[p]))
        for m in (_PARENS.finditer(text) if "(" in text else ()):
            before = text[m.start() - 1] if m.start() else ""
            if not in_url(m.start()) and (_HAS_CJK.search(m.group(1)) or (before and _HAS_CJK.match(before))):
                spots.append((m.start(), m.group(0), f"（{m.group(1)}）"))
        tw = ctx.target == "zh_TW" or ctx.target.startswith(("zh_Hant", "zh_HK", "zh_MO"))
        if '"' in text:
            for m in _QUOTES.finditer(text):
                fix = f"「{m.group(1)}」" if tw else f"“{m.group(1)}”"
                spots.append((m.start(), m.group(0), fix))
        if not spots:
            return
        spots.sort()
        shown = "; ".join(f"\"{w}\" → {s}" for _, w, s in spots[:3])
        more = f" (+{len(spots) - 3} more)" if len(spots) > 3 else ""
        yield ctx.finding(
            self,
            f"CJK typography: half-width punctuation in Chinese text: {shown}{more}; "
            f"msgid {quote(ctx.entry.msgid)}",
            term=spots[0][1],
        )
