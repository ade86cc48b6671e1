"""GL007: the msgstr's markup placeholders do not match the msgid's."""
from __future__ import annotations

from typing import Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, quote
from l10n.markup import check_balance, placeholder_names
from l10n.model import Finding, Severity

# Tags a translator may drop without changing what the text says: emphasis
# and line breaks. Dropping any other placeholder (a link <aN>, <supN> in
# 10<sup1>6</sup1>, an image) loses content and is an error.
DROPPABLE = frozenset({"strong", "em", "b", "i", "u", "mark", "small", "span", "br", "wbr"})


def _tag(name: str) -> str:
    """"a1" -> "a", "strong2" -> "strong"."""
    return name.rstrip("0123456789") or name


class PlaceholderMismatch(EntryRule):
    """Markup placeholders: a placeholder dropped, added, unbalanced or duplicated compared with the msgid.

    Added, unclosed, misnested, duplicated or wrongly self-closed
    placeholders are errors (``l10n.markup.check_balance``). A placeholder of
    the msgid missing from the msgstr is an error for links and any content
    tag (``<a1>``, ``<sup1>``, ``<img1/>``) and only a warning for emphasis
    and line breaks (strong, em, b, i, u, mark, small, span, br, wbr), which
    a translator may leave out on purpose.
    """

    code = "GL007"
    name = "placeholders"
    severity = Severity.ERROR
    bad = Example("Read <a1>our guide</a1> first.", "請先閱讀我們的指南。", "en", "zh_TW")
    good = Example("Read <a1>our guide</a1> first.", "請先閱讀<a1>我們的指南</a1>。", "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        msgid, msgstr = ctx.entry.msgid, ctx.entry.msgstr
        if "<" not in msgid and "<" not in msgstr:
            return
        src_tags = placeholder_names(msgid)
        dst_tags = placeholder_names(msgstr)
        if src_tags == dst_tags:
            return                    # the same placeholders in the same order
        for problem in check_balance(msgid, msgstr):
            term = problem.split(" ", 1)[0]
            yield ctx.finding(self, f"markup placeholders: {problem}; msgid {quote(msgid)}", term=term)
        present = {t.rstrip("/") for t in dst_tags if not t.startswith("/")}
        seen: set[str] = set()
        for tag in src_tags:
            if tag.startswith("/"):
                continue
            name = tag.rstrip("/")
            if name in present or name in seen:
                continue
            seen.add(name)
            shown = f"<{name}/>" if tag.endswith("/") else f"<{name}>…</{name}>"
            droppable = _tag(name) in DROPPABLE
            yield ctx.finding(
                self,
                f"markup placeholders: {shown} of the msgid is missing from the msgstr"
                f"{' (emphasis or line break only)' if droppable else ''}; msgid {quote(msgid)}",
                term=shown,
                severity=Severity.WARNING if droppable else Severity.ERROR,
            )
