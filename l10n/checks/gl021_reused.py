"""GL021: one translation for different source texts in the catalogs of one locale."""
from __future__ import annotations

import re
from typing import Iterator

from l10n.checks.base import CatalogSetContext, CatalogSetRule, Example, plain, quote
from l10n.model import Entry, Finding, Severity

_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_SPACES = re.compile(r"\s+")
_PLURAL_S = re.compile(r"(?<=[a-z]{2}[a-rt-z])s\b")       # "drugs" -> "drug", not "process"


def source_key(e: Entry) -> str:
    """The msgid as GL021 compares it: no placeholders, case, surrounding punctuation or
    spacing; in English, no plural -s ("Medications" and "medication:" are one source:
    Chinese does not mark the plural)."""
    text = _SPACES.sub(" ", _EDGE.sub("", plain(e.msgid).casefold()))
    if e.source_locale.split("_")[0] == "en" and "s" in text:
        text = _PLURAL_S.sub("", text)
    return text


class ReusedTranslation(CatalogSetRule):
    """One translation for different sources: two different msgids of one locale have the same msgstr.

    Like Weblate's "Reused translation": usually one of the two entries was
    filled from the wrong source (a copy-paste, a translation memory hit on
    a similar sentence). Sources that differ only in letter case,
    surrounding punctuation, spacing, placeholders or an English plural -s
    count as one. Only translated, non-fuzzy singular entries count. One
    finding per extra source, on its first entry (by path and line). A
    warning: a short label can rightly have one translation for two
    sources; say so with ``# l10n: ignore GL021`` on the entry.
    """

    code = "GL021"
    name = "reused-translation"
    severity = Severity.WARNING
    bad = Example("Take the tablet with food.", "請隨餐服用此藥錠。", "en", "zh_TW",
                  also=(("Do not take the tablet with food.", "請隨餐服用此藥錠。"),))
    good = Example("Take the tablet with food.", "請隨餐服用此藥錠。", "en", "zh_TW",
                   also=(("Do not take the tablet with food.", "請勿隨餐服用此藥錠。"),))

    def check_catalogs(self, ctx: CatalogSetContext) -> Iterator[Finding]:
        by_target: dict[tuple[str, str, str], list[Entry]] = {}
        for cat in ctx.catalogs:
            for e in cat.entries:
                if not e.msgstr or e.fuzzy:           # untranslated, plural (msgstr ""), or not final
                    continue
                key = (e.source_locale, e.target_locale, e.msgstr)
                g = by_target.get(key)
                if g is None:
                    by_target[key] = [e]
                else:
                    g.append(e)
        for group in by_target.values():
            if len(group) < 2 or all(e.msgid == group[0].msgid for e in group):
                continue
            firsts: dict[str, Entry] = {}
            for e in sorted(group, key=lambda e: (e.path, e.line)):
                firsts.setdefault(source_key(e), e)
            if len(firsts) < 2:
                continue
            ref, *rest = firsts.values()
            for e in rest:
                yield ctx.finding(
                    self, e,
                    f"one translation for different sources: msgstr {quote(e.msgstr)} also translates "
                    f"msgid {quote(ref.msgid)} ({ref.path}:{ref.line}); this msgid is {quote(e.msgid)}",
                    term=e.msgstr, other=f"{ref.path}:{ref.line}")
