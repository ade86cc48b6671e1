"""GL027: a plural entry whose number of msgstr forms is not the catalog's nplurals."""
from __future__ import annotations

from typing import Iterator

from l10n.checks.base import CatalogSetContext, CatalogSetRule, Example, quote
from l10n.model import Finding, Severity


class PluralFormsCount(CatalogSetRule):
    """Plural forms: a translated plural entry has more or fewer msgstr[n] than the catalog's nplurals.

    Chinese has one plural form (``nplurals=1; plural=0;``), English two.
    A catalog copied from another language keeps that language's forms:
    ``msgstr[0]`` and ``msgstr[1]`` in a zh_TW catalog. An error, as
    ``msgfmt --check`` makes it ("nplurals = 1 ... but some messages have
    2 plural forms"); ``l10n compile`` and ``l10n build`` refuse such a
    catalog, and ``l10n check`` reports every entry at once. Untranslated
    entries (every form empty) are not reported, nor catalogs without a
    Plural-Forms header; on a fuzzy entry, which msgfmt leaves out, it is
    a warning.
    """

    code = "GL027"
    name = "plural-forms"
    severity = Severity.ERROR
    bad = Example("one tablet", "", "en", "zh_TW", msgid_plural="{n} tablets",
                  msgstr_plural=("{n} 顆藥錠", "{n} 顆藥錠"), nplurals=1)
    good = Example("one tablet", "", "en", "zh_TW", msgid_plural="{n} tablets",
                   msgstr_plural=("{n} 顆藥錠",), nplurals=1)

    def check_catalogs(self, ctx: CatalogSetContext) -> Iterator[Finding]:
        for cat in ctx.catalogs:
            n = cat.nplurals
            if n is None:
                continue
            for e in cat.entries:
                if not e.msgid_plural or len(e.msgstr_plural) == n or not any(e.msgstr_plural):
                    continue
                forms = ", ".join(f"msgstr[{i}]" for i in range(len(e.msgstr_plural)))
                yield ctx.finding(
                    self, e,
                    f"{len(e.msgstr_plural)} plural form{'s' if len(e.msgstr_plural) != 1 else ''} ({forms}), "
                    f"but the catalog's Plural-Forms says nplurals={n}; msgid {quote(e.msgid)}",
                    term=f"msgstr[{len(e.msgstr_plural) - 1}]" if len(e.msgstr_plural) > n else f"msgstr[{n - 1}]")
