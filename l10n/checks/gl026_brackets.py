"""GL026: unpaired brackets or quotes in the msgstr (ASCII and CJK), where the msgid's are paired."""
from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from l10n.checks.base import EntryContext, EntryRule, Example, quote
from l10n.model import Finding, Severity


class Pair(NamedTuple):
    family: str          # pairs of one family stand for each other across languages
    opening: str
    closing: str


# Full-width and ASCII forms of one bracket are one pair: "（Scleroderma)" is typography (GL011), not this.
PAIRS = (
    Pair("parentheses", "(（", ")）"),
    Pair("square brackets", "[［【〔", "]］】〕"),
    Pair("braces", "{｛", "}｝"),
    Pair("quotes", "「", "」"),
    Pair("quotes", "『", "』"),
    Pair("quotes", "“", "”"),
    Pair("title marks", "《", "》"),
    Pair("title marks", "〈", "〉"),
)
_ROLE = {ch: (i, +1) for i, p in enumerate(PAIRS) for ch in p.opening}
_ROLE.update({ch: (i, -1) for i, p in enumerate(PAIRS) for ch in p.closing})
_ANY = re.compile("[" + re.escape("".join(_ROLE) + "\"‘’") + "]")


def problems(text: str) -> list[tuple[str, str, str]]:
    """(family, character, what) for each unpaired bracket or quote of ``text``."""
    depth = [0] * len(PAIRS)
    opened = [p.opening[0] for p in PAIRS]       # the form last opened, for the message
    out: list[tuple[str, str, str]] = []
    ascii_quotes = single_open = single_close = 0
    for m in _ANY.finditer(text):
        ch = m.group(0)
        if ch == '"':
            ascii_quotes += 1
            continue
        if ch == "‘":
            single_open += 1
            continue
        if ch == "’":                  # also the English apostrophe (don’t): only unmatched ‘ count
            single_close += 1
            continue
        i, step = _ROLE[ch]
        depth[i] += step
        if step > 0:
            opened[i] = ch
        if depth[i] < 0:
            out.append((PAIRS[i].family, ch, f"closing {ch} without an opening one"))
            depth[i] = 0
    for i, d in enumerate(depth):
        if d > 0:
            ch = opened[i]
            out.append((PAIRS[i].family, ch, f"{ch} opened {d} time{'s' if d > 1 else ''} more than closed"))
    if ascii_quotes % 2:
        out.append(("quotes", '"', f"odd number of \" ({ascii_quotes})"))
    if single_open > single_close:
        out.append(("quotes", "‘", "‘ opened and not closed"))
    return out


def _source_problems(text: str) -> frozenset[str]:
    return frozenset(p[0] for p in problems(text))


class UnpairedBrackets(EntryRule):
    """Unpaired brackets or quotes: the msgstr opens a bracket or quote it does not close, or the reverse.

    Counted per entry, for ASCII and CJK forms: () （） [] 【】 〔〕 {}
    「」 『』 “” 《》 〈〉, ASCII " (an odd number) and ‘’ (a ‘ never
    closed; ’ alone is an apostrophe). Full-width and ASCII forms of one
    bracket pair with each other. A family of pairs (parentheses, square
    brackets, braces, quotes, title marks) that is already unbalanced in
    the msgid is not reported: the source meant it ("1)" list items, a
    quotation that runs over two paragraphs). Compares the msgid's
    balance, not its counts: a translation may add a gloss in brackets,
    "硬皮症（scleroderma）". A warning, as pofilter's ``brackets`` test
    (cosmetic).
    """

    code = "GL026"
    name = "unpaired-brackets"
    severity = Severity.WARNING
    bad = Example("Use the cream (not the ointment) at night.", "晚上請使用乳膏（不是軟膏。", "en", "zh_TW")
    good = Example("Use the cream (not the ointment) at night.", "晚上請使用乳膏（不是軟膏）。", "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        text = ctx.msgstr_text
        if not _ANY.search(text):
            return
        found = problems(text)
        if not found:
            return
        skip = ctx.memo("GL026", ctx.msgid_text, _source_problems)
        for family, ch, what in dict.fromkeys(found):
            if family not in skip:
                yield ctx.finding(self, f"unpaired {family} in the msgstr: {what}; msgid {quote(ctx.entry.msgid)}",
                                  term=ch)
