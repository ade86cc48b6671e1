"""GL024: leading or trailing whitespace that differs from the msgid, or doubled spaces."""
from __future__ import annotations

import re
from itertools import groupby
from typing import Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, quote
from l10n.model import Finding, Severity

_DOUBLE = re.compile(r"[ \u00a0\u3000]{2,}")
_LEAD = re.compile(r"^\s+")
_TRAIL = re.compile(r"\s+$")
# Full-width punctuation carries its own space: "Note: " may end in "注意：" (pofilter's endwhitespace).
_FULL_WIDTH_END = "。，、；：！？」』）》〉】…"
_NAMES = {" ": "space", "\u00a0": "no-break space", "\u3000": "ideographic space", "\n": "newline",
          "\t": "tab"}


def _shown(ws: str) -> str:
    """" \u3000\u3000" -> "space, 2 ideographic spaces"."""
    if not ws:
        return "no whitespace"
    parts = []
    for ch, run in groupby(ws):
        n = len(list(run))
        name = _NAMES.get(ch, f"U+{ord(ch):04X}")
        parts.append(name if n == 1 else f"{n} {name}s")
    return ", ".join(parts)


class Whitespace(EntryRule):
    """Whitespace: leading or trailing whitespace differs from the msgid's, or doubled spaces.

    The msgstr should start and end with the same whitespace as the msgid
    (Weblate's "Starting spaces" and "Trailing space", pofilter's
    ``startwhitespace``/``endwhitespace``); a msgstr ending in full-width
    punctuation (。：) may drop the msgid's trailing space. Two or more
    spaces in a row (ASCII, no-break or ideographic) are reported when the
    msgid has none (Weblate's "Double space"). A warning: a browser
    collapses most of it, but it is a slip a reviewer wants to see.
    """

    code = "GL024"
    name = "whitespace"
    severity = Severity.WARNING
    bad = Example("Apply the cream twice a day.", " 每天擦藥膏兩次。", "en", "zh_TW")
    good = Example("Apply the cream twice a day.", "每天擦藥膏兩次。", "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        msgid, msgstr = ctx.entry.msgid, ctx.entry.msgstr
        stripped = msgstr.strip()
        if stripped is msgstr and msgid.strip() is msgid and "  " not in msgstr and "\u00a0" not in msgstr \
                and "\u3000" not in msgstr:
            return                    # str.strip() returns the string itself when there is nothing to strip
        if msgstr[:1].isspace() or msgid[:1].isspace():
            lead_id = _LEAD.match(msgid)
            lead_str = _LEAD.match(msgstr)
            a = lead_id.group(0) if lead_id else ""
            b = lead_str.group(0) if lead_str else ""
            if a != b:
                yield ctx.finding(self, f"leading whitespace differs: msgid starts with {_shown(a)}, "
                                        f"msgstr with {_shown(b)}; msgid {quote(msgid)}", term=b or msgstr[:1])
        if msgstr[-1:].isspace() or msgid[-1:].isspace():
            trail_id = _TRAIL.search(msgid)
            trail_str = _TRAIL.search(msgstr)
            a = trail_id.group(0) if trail_id else ""
            b = trail_str.group(0) if trail_str else ""
            if a != b and not (not b and msgstr.endswith(tuple(_FULL_WIDTH_END)) and not a.strip(" ")):
                yield ctx.finding(self, f"trailing whitespace differs: msgid ends with {_shown(a)}, "
                                        f"msgstr with {_shown(b)}; msgid {quote(msgid)}", term=b or msgstr[-1:])
        if "  " in msgstr or "\u00a0" in msgstr or "\u3000" in msgstr:
            inner = stripped
            m = _DOUBLE.search(inner)
            if m and not _DOUBLE.search(msgid.strip()):
                yield ctx.finding(self, f"doubled space in the msgstr ({_shown(m.group(0))}) that the msgid "
                                        f"does not have: {quote(inner[max(0, m.start() - 12):m.end() + 12])}",
                                  term=m.group(0))
