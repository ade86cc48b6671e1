"""GL022: a msgstr left as its msgid in another language (and, on request, untranslated entries)."""
from __future__ import annotations

import re
from typing import Iterator

from l10n.checks.base import CatalogSetContext, CatalogSetRule, EntryContext, EntryRule, Example, quote
from l10n.model import Finding, Severity

# What is the same in every language and is taken out before asking "is anything left to translate?"
_NEUTRAL = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"']+"                     # URLs
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"      # e-mail addresses
    r"|[A-Za-z0-9_./-]+\.[A-Za-z0-9]{2,4}\b(?![.\w])"            # file names (report.pdf)
    r"|\d[\d.,:/%-]*(?:\s?(?:mg|mcg|µg|μg|g|kg|ml|l|cm|mm|iu|h|min)\b)?",  # numbers, dates, doses
    re.IGNORECASE)


def _language(locale: str) -> str:
    return locale.split("_")[0].split("-")[0].lower()


class Untranslated(EntryRule, CatalogSetRule):
    """Unchanged translation: the msgstr is the msgid itself, in another language (English left in a zh_TW msgstr).

    Applies when source and target are different languages (en -> zh_TW,
    zh_TW -> en; not zh_TW -> zh_CN, where the same text is often right).
    Not reported when nothing translatable is left once the text's
    do-not-translate glossary terms, glossary terms written the same in
    the target locale, URLs, e-mail addresses, file names and numbers are
    taken out: no letters, or only capitals (an acronym such as MRI), as
    pofilter's ``unchanged`` test does. A warning, as in Weblate
    ("Unchanged translation") and pofilter.

    Untranslated entries (an empty msgstr) are not findings of a default
    run: they are a state that ``l10n stats`` counts, and msgfmt leaves
    them out. Naming the rule, ``l10n check --select GL022``, also lists
    every untranslated entry as an ``info`` finding, as ``pofilter -t
    untranslated`` extracts them (``--fail-on info`` makes them fail CI).
    """

    code = "GL022"
    name = "untranslated"
    severity = Severity.WARNING
    bad = Example("Keep the affected skin moisturized.", "Keep the affected skin moisturized.", "en", "zh_TW")
    good = Example("Keep the affected skin moisturized.", "患部皮膚要保持濕潤。", "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        a, b = ctx.msgid_text, ctx.msgstr_text
        if a != b:
            if not -8 <= len(a) - len(b) <= 8:
                return                # the usual case: not even the same length, spaces aside
            a, b = a.strip(), b.strip()
            if len(a) != len(b) or a.casefold() != b.casefold():
                return
        if _language(ctx.source) == _language(ctx.target):
            return
        letters = [ch for ch in self._translatable(ctx, a) if ch.isalpha()]
        if not letters or all(ch.isupper() for ch in letters):    # nothing, or an acronym (Chinese is not upper)
            return
        yield ctx.finding(
            self,
            f"unchanged translation: the msgstr is the msgid as written ({quote(ctx.entry.msgid)}), "
            f"in {ctx.source}, not translated to {ctx.target}",
            term=shorten_term(b))

    @staticmethod
    def _translatable(ctx: EntryContext, text: str) -> str:
        """``text`` without what needs no translation: dnt terms, terms spelled alike in both locales, ..."""
        cut: list[tuple[int, int]] = []
        dnt = ctx.matchers.dnt_ids
        for m in ctx.source_matches:
            c = ctx.concept(m.concept_id)
            if c is None:
                continue
            if m.concept_id in dnt or m.text.casefold() in {t.casefold() for t in ctx.matchers.approved(c, ctx.target)}:
                cut.append((m.start, m.end))
        if cut:
            src = ctx.msgid_text
            keep, pos = [], 0
            for start, end in sorted(cut):
                keep.append(src[pos:start])
                pos = max(pos, end)
            keep.append(src[pos:])
            text = " ".join(keep)
        return _NEUTRAL.sub(" ", text)

    def check_catalogs(self, ctx: CatalogSetContext) -> Iterator[Finding]:
        if not ctx.explicit:
            return
        for cat in ctx.catalogs:
            for e in cat.entries:
                if not e.msgid or e.msgstr or any(e.msgstr_plural):
                    continue
                yield ctx.finding(self, e, f"untranslated: msgid {quote(e.msgid)} has no {e.target_locale} "
                                           f"translation yet", term=shorten_term(e.msgid), severity=Severity.INFO)


def shorten_term(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"
