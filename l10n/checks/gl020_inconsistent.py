"""GL020: the same msgid (and msgctxt) translated differently in two catalogs of one locale."""
from __future__ import annotations

from collections import Counter
from typing import Iterator

from l10n.checks.base import CatalogSetContext, CatalogSetRule, Example, quote
from l10n.model import Entry, Finding, Severity


def translation_of(e: Entry) -> str | tuple[str, ...]:
    """What an entry's msgid is translated as: its msgstr, or its plural forms."""
    return e.msgstr_plural if e.msgid_plural else e.msgstr


class InconsistentTranslation(CatalogSetRule):
    """Inconsistent translation: the same msgid (and msgctxt) is translated differently in another catalog.

    Every catalog of one target locale is compared (a project has one
    catalog a page, and pages share headings, tags and notices). Only
    translated, non-fuzzy entries count, as in Weblate's "Inconsistent"
    check. The most frequent translation is taken as the reference (on a
    tie, the one of the first catalog by path); each entry that differs
    from it is reported once, naming where the reference is. A warning:
    one of the two wordings is probably right, and the rule cannot tell
    which. An entry that is meant to differ says so with
    ``# l10n: ignore GL020`` and leaves the comparison.
    """

    code = "GL020"
    name = "inconsistent-translation"
    severity = Severity.WARNING
    bad = Example("Scleroderma", "硬皮症", "en", "zh_TW", also=(("Scleroderma", "系統性硬化症"),))
    good = Example("Scleroderma", "硬皮症", "en", "zh_TW", also=(("Scleroderma", "硬皮症"),))

    def check_catalogs(self, ctx: CatalogSetContext) -> Iterator[Finding]:
        groups: dict[tuple, list[Entry]] = {}
        for cat in ctx.catalogs:
            for e in cat.entries:
                # translated and not fuzzy: what the site shows (msgfmt leaves fuzzy entries out)
                if (e.msgstr or e.msgid_plural) and not e.fuzzy and (not e.msgid_plural or any(e.msgstr_plural)):
                    key = (e.source_locale, e.target_locale, e.msgctxt, e.msgid)
                    g = groups.get(key)
                    if g is None:
                        groups[key] = [e]
                    else:
                        g.append(e)
        for group in groups.values():
            if len(group) < 2:
                continue
            first = translation_of(group[0])
            if all(translation_of(e) == first for e in group):
                continue
            group.sort(key=lambda e: (e.path, e.line))
            counts = Counter(translation_of(e) for e in group)
            top = max(counts.values())
            ref = next(translation_of(e) for e in group if counts[translation_of(e)] == top)
            where = next(e for e in group if translation_of(e) == ref)
            for e in group:
                tr = translation_of(e)
                if tr == ref:
                    continue
                shown = ref if isinstance(ref, str) else " | ".join(ref)
                others = counts[ref] - 1
                yield ctx.finding(
                    self, e,
                    f"inconsistent translation: msgid {quote(e.msgid)} is translated {quote(shown)} in "
                    f"{where.path}:{where.line}{f' (and {others} more)' if others else ''}, "
                    f"differently here",
                    term=e.msgstr or (e.msgstr_plural[0] if e.msgstr_plural else ""),
                    other=f"{where.path}:{where.line}")
