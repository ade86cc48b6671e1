"""GL012: the msgstr carries HTML markup or a script URL that the msgid does not."""
from __future__ import annotations

import re
from typing import Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, quote
from l10n.markup import PLACEHOLDER_RE
from l10n.model import Finding, Severity

_SCRIPT_URL = re.compile(r"(?:java|vb)\s*script\s*:|data\s*:\s*(?:text/html|image/svg)|livescript\s*:",
                         re.IGNORECASE)
# Placeholder-shaped tags that are dangerous whatever their number: <script1>, <iframe2>.
_DANGEROUS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "svg", "math", "style",
                        "link", "meta", "base", "form", "input", "button", "textarea", "title", "template",
                        "img", "video", "audio", "source", "applet", "noscript", "xmp", "plaintext"})
# Anything a browser would read as markup: tags, end tags, comments, CDATA,
# doctype and processing instructions; also escaped dangerous tags (&lt;script).
_MARKUP = re.compile(
    r"<!--|<!\[CDATA\[|<![A-Za-z]|<\?|</?\s*[A-Za-z][^>\s/]*(?:[^>]{0,200}>)?"
    r"|(?:&lt;|&#0*60;|&#x0*3c;)\s*/?\s*(?:" + "|".join(sorted(_DANGEROUS)) + r")\b[^&]{0,200}",
    re.IGNORECASE,
)


def _snippet(s: str) -> str:
    return s if len(s) <= 60 else s[:59] + "…"


class MarkupInjection(EntryRule):
    """Markup injection: the msgstr contains HTML that is not a placeholder of the msgid.

    A translation is text plus the msgid's numbered placeholders (``<a1>``,
    ``<br1/>``). Raw tags (``<script>``, ``<img src=x onerror=…>``,
    ``<iframe>``, ``<svg onload=…>``, ``</title>``), comments (``<!--``),
    ``<![CDATA[``, their escaped forms, placeholder-shaped script tags
    (``<script1>``) and ``javascript:``/``vbscript:``/``data:text/html``
    URLs are reported unless the msgid has the very same text. The renderer
    escapes text, so this is about making a reviewer see the attempt.
    """

    code = "GL012"
    name = "markup-injection"
    severity = Severity.ERROR
    bad = Example("Read our guide.", "請閱讀我們的指南。<img src=x onerror=alert(1)>", "en", "zh_TW")
    good = Example("Read our guide.", "請閱讀我們的指南。", "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        msgid, msgstr = ctx.entry.msgid, ctx.entry.msgstr
        has_lt = "<" in msgstr or "&" in msgstr
        has_colon = ":" in msgstr or "：" in msgstr
        if not has_lt and not has_colon:
            return
        found: list[str] = []
        if has_lt:
            for m in _MARKUP.finditer(msgstr):
                p = PLACEHOLDER_RE.match(msgstr, m.start())
                if p is not None:
                    name = p.group(2)
                    if name.rstrip("0123456789").lower() not in _DANGEROUS:
                        continue      # an ordinary placeholder; GL007 checks it against the msgid
                if m.group(0) in msgid:
                    continue
                found.append(m.group(0))
        if has_colon:
            for m in _SCRIPT_URL.finditer(msgstr):
                if m.group(0).lower() not in msgid.lower():
                    found.append(m.group(0))
        for snippet in dict.fromkeys(found):
            yield ctx.finding(
                self,
                f"markup injection: msgstr contains {_snippet(snippet)!r}, which is not a placeholder of "
                f"msgid {quote(msgid)}",
                term=_snippet(snippet),
            )
