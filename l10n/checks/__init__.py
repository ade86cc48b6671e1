"""Glossary and consistency checks: one rule per module, registered in ``RULES``.

Catalog rules look at one entry (msgid -> msgstr) at a time::

    findings = check_entries(entries, glossary, select=None, ignore=["GL011"])

Source-page rules look at the units of a page before they are translated::

    findings = check_segments(segments, glossary, "en")

Catalog-set rules look at every catalog of a run at once (the same msgid
translated two ways in two catalogs); they need no glossary::

    findings = check_catalog_set(catalog_views, select=None, ignore=None)

| code  | severity | checks |
|-------|----------|--------|
| GL001 | error    | a glossary term of the msgid has no approved term in the msgstr |
| GL002 | error    | the msgstr uses a forbidden term (or the other region's term) |
| GL003 | error    | the msgstr names a drug the msgid does not (drug swap; glossary and drug lexicon) |
| GL004 | error    | a do-not-translate name is not kept verbatim |
| GL005 | error    | numbers differ in value (doses, %, ages, dates, counts) |
| GL006 | error    | Simplified characters in zh_TW, Traditional in zh_CN |
| GL007 | error    | markup placeholders dropped/added/unbalanced (dropped emphasis: warning) |
| GL008 | error    | source page: a drug glossed with another drug, "Pimecrolimus (普特皮)" |
| GL009 | error    | source page: a strength no marketed form has, "Pimecrolimus 0.1%" |
| GL010 | error    | source page: a term glued to another word, "methotrexateCellCept" |
| GL011 | warning  | half-width punctuation / ASCII quotes in Chinese text |
| GL012 | error    | HTML markup or script URLs that are not placeholders of the msgid |
| GL013 | error    | dosing frequency differs: once a week -> 每天 (daily) |
| GL014 | error    | a prohibition or negation lost or added: "Do not apply" -> 請塗抹 |
| GL015 | error    | route of administration differs: intravenous -> 口服 (oral) |
| GL016 | error    | a duration or its time unit differs: for 2 weeks -> 2個月 |
| GL017 | error    | dose basis or unit kind differs: 15 mg/kg -> 15毫克, 10 IU -> 10毫克 |
| GL018 | info     | pages and msgids: a drug (drug lexicon) the glossary has no concept for |
| GL020 | warning  | all catalogs: the same msgid (and msgctxt) translated differently |
| GL021 | warning  | all catalogs: one msgstr for different msgids |
| GL022 | warning  | msgstr = msgid in another language; with --select GL022 also untranslated (info) |
| GL023 | error    | URLs, e-mail addresses or file names differ between msgid and msgstr |
| GL024 | warning  | leading/trailing whitespace differs, doubled spaces |
| GL025 | warning  | a repeated word ("the the", 的的, a glossary term twice) |
| GL026 | warning  | unpaired brackets or quotes, ASCII and CJK |
| GL027 | error    | all catalogs: plural forms other than the catalog's nplurals |

Policy applied by the driver, not by the rules:

* entries with an empty msgstr are skipped (untranslated), except that the
  catalog-set rules see every entry (GL022 lists the untranslated ones when
  named in ``select``);
* every finding on a fuzzy entry is downgraded to a warning;
* an entry flagged ``l10n-ignore-GL003`` or with a translator comment
  ``l10n: ignore GL003, GL005`` skips those rules (and takes no part in the
  comparisons of a catalog-set rule it ignores);
* ``select``/``ignore`` take rule codes; an unknown code is a ConfigError;
* rules that share a ``gate`` (a cheap test of the entry) are skipped together when it
  says there is nothing for them (the dosing rules: no dosing words in the msgid).

GL013-GL017 compare what a dosing instruction means on both sides (``l10n.dosing``,
vocabulary in ``l10n/dosing/vocab/*.toml``; docs/dosing-checks.md); they share one
parse per side (``l10n.checks.dosing.records``).
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable, Sequence

from l10n.checks.base import (CatalogSetContext, CatalogSetRule, EntryContext, EntryRule, MatcherCache, Rule,
                              SegmentContext, SegmentRule)
from l10n.checks.gl001_missing_term import MissingTerm
from l10n.checks.gl002_forbidden_term import ForbiddenTerm
from l10n.checks.gl003_drug_swap import DrugSwap
from l10n.checks.gl004_dnt_altered import DoNotTranslateAltered
from l10n.checks.gl005_numbers import NumbersDiffer
from l10n.checks.gl006_script import WrongScript
from l10n.checks.gl007_placeholders import PlaceholderMismatch
from l10n.checks.gl008_gloss_contradicts import GlossContradicts
from l10n.checks.gl009_unknown_strength import UnknownStrength
from l10n.checks.gl010_glued_term import GluedTerm
from l10n.checks.gl011_cjk_punctuation import CjkPunctuation
from l10n.checks.gl012_markup_injection import MarkupInjection
from l10n.checks.gl013_frequency import FrequencyDiffers
from l10n.checks.gl014_negation import NegationDiffers
from l10n.checks.gl015_route import RouteDiffers
from l10n.checks.gl016_duration import DurationDiffers
from l10n.checks.gl017_dose_basis import DoseBasisDiffers
from l10n.checks.gl018_unknown_drug import UnknownDrug
from l10n.checks.gl020_inconsistent import InconsistentTranslation
from l10n.checks.gl021_reused import ReusedTranslation
from l10n.checks.gl022_untranslated import Untranslated
from l10n.checks.gl023_urls import UrlsDiffer
from l10n.checks.gl024_whitespace import Whitespace
from l10n.checks.gl025_repeated import RepeatedWord
from l10n.checks.gl026_brackets import UnpairedBrackets
from l10n.checks.gl027_plural_forms import PluralFormsCount
from l10n.errors import ConfigError
from l10n.glossary.model import Glossary
from l10n.model import CatalogView, Entry, Finding, Segment, Severity

__all__ = ["RULES", "ENTRY_RULES", "SEGMENT_RULES", "CATALOG_SET_RULES", "Rule", "EntryRule", "SegmentRule",
           "CatalogSetRule", "check_entries", "check_segments", "check_catalog_set", "get_rule", "suppressed_codes",
           "UnknownRuleError"]

RULES: tuple[Rule, ...] = (
    MissingTerm(),
    ForbiddenTerm(),
    DrugSwap(),
    DoNotTranslateAltered(),
    NumbersDiffer(),
    WrongScript(),
    PlaceholderMismatch(),
    GlossContradicts(),
    UnknownStrength(),
    GluedTerm(),
    CjkPunctuation(),
    MarkupInjection(),
    FrequencyDiffers(),
    NegationDiffers(),
    RouteDiffers(),
    DurationDiffers(),
    DoseBasisDiffers(),
    UnknownDrug(),
    InconsistentTranslation(),
    ReusedTranslation(),
    Untranslated(),
    UrlsDiffer(),
    Whitespace(),
    RepeatedWord(),
    UnpairedBrackets(),
    PluralFormsCount(),
)
ENTRY_RULES: tuple[EntryRule, ...] = tuple(r for r in RULES if isinstance(r, EntryRule))
SEGMENT_RULES: tuple[SegmentRule, ...] = tuple(r for r in RULES if isinstance(r, SegmentRule))
# GL022 is in two lists: per entry (unchanged) and over the catalogs (untranslated, when selected)
CATALOG_SET_RULES: tuple[CatalogSetRule, ...] = tuple(r for r in RULES if isinstance(r, CatalogSetRule))
_BY_CODE = {r.code: r for r in RULES}

_CODE = re.compile(r"GL\d{3}", re.IGNORECASE)
_COMMENT = re.compile(r"\bl10n\s*:\s*ignore\b(.*)", re.IGNORECASE)
_FLAG_PREFIX = "l10n-ignore-"


class UnknownRuleError(ConfigError, KeyError):
    """A rule code that no rule has (in ``select``, ``ignore`` or ``get_rule``)."""


def get_rule(code: str) -> Rule:
    """The rule with this code (case-insensitive). Unknown code: UnknownRuleError (a ConfigError and KeyError)."""
    rule = _BY_CODE.get(str(code).strip().upper())
    if rule is None:
        raise UnknownRuleError(f"unknown rule code {code!r} (known: {', '.join(_BY_CODE)})")
    return rule


def _codes(codes: Iterable[str] | str | None) -> set[str]:
    """Rule codes, each item possibly a comma-separated list (``--ignore GL013,GL014``)."""
    if isinstance(codes, str):
        codes = [codes]
    return {get_rule(code).code for item in codes or () for code in str(item).replace(",", " ").split()}


def active_rules(rules: tuple, select: Iterable[str] | None, ignore: Iterable[str] | None) -> list:
    """The rules of ``rules`` that ``select`` (rule codes; none: every rule) keeps and ``ignore`` does not drop."""
    chosen = _codes(select)
    dropped = _codes(ignore)
    return [r for r in rules if (not chosen or r.code in chosen) and r.code not in dropped]


def suppressed_codes(entry: Entry) -> frozenset[str]:
    """Codes an entry opts out of: flag ``l10n-ignore-GL003``, comment ``l10n: ignore GL003, GL005``."""
    if not entry.flags and not entry.translator_comments:
        return frozenset()
    out = set()
    for flag in entry.flags:
        if flag.lower().startswith(_FLAG_PREFIX):
            out.update(c.upper() for c in _CODE.findall(flag[len(_FLAG_PREFIX):]))
    for comment in entry.translator_comments:
        for line in comment.splitlines():
            m = _COMMENT.search(line)
            if m:
                out.update(c.upper() for c in _CODE.findall(m.group(1)))
    return frozenset(out)


def _internal_error(rule: Rule, path: str, line: int, exc: Exception, **kw: str) -> Finding:
    """A rule that crashed must not pass silently: report it as an error finding."""
    return Finding(code=rule.code, severity=Severity.ERROR, path=path, line=line,
                   message=f"internal error in rule {rule.code} ({type(exc).__name__}: {exc}); "
                           f"this entry was not checked by it, please report",
                   **kw)


def _sort_key(f: Finding) -> tuple:
    return (f.path, f.line, f.code)


def check_entries(entries: Iterable[Entry], glossary: Glossary, *,
                  select: Iterable[str] | None = None,
                  ignore: Iterable[str] | None = None,
                  cache_dir: str | None = None,
                  matchers: MatcherCache | None = None) -> list[Finding]:
    """Run the catalog rules on every translated entry; findings sorted by path, line, code.

    ``cache_dir``: where the drug lexicon is cached (``l10n.drugs``); None builds it once per process.
    ``matchers``: a :class:`MatcherCache` of ``glossary`` kept by a caller that checks many
    catalogs one by one (the check gate of a build), so its matchers and memo carry over.
    """
    rules = active_rules(ENTRY_RULES, select, ignore)
    out = check_some(entries, glossary, rules, cache_dir=cache_dir, matchers=matchers)
    out.sort(key=_sort_key)
    return out


def check_some(entries: Iterable[Entry], glossary: Glossary, rules: list,
               cache_dir: str | None = None, matchers: MatcherCache | None = None) -> list[Finding]:
    """The findings of ``rules`` on ``entries``, in entry order (not sorted)."""
    if matchers is None:
        matchers = MatcherCache(glossary, cache_dir)
    if not isinstance(entries, (list, tuple)):
        entries = list(entries)
    matchers.expect(entries)          # their texts are scanned together when a rule first asks
    checks = [(rule, rule.code, rule.check_entry, rule.gate) for rule in rules]
    out: list[Finding] = []
    extend = out.extend
    for entry in entries:
        if not entry.msgstr:
            continue
        skip = suppressed_codes(entry) if entry.flags or entry.translator_comments else None
        ctx = EntryContext(entry, glossary, matchers)
        fuzzy = entry.fuzzy
        shut = None                     # the gates that said "nothing for these rules here"
        for rule, code, check, gate in checks:
            if skip and code in skip:
                continue
            if gate is not None:
                if shut is None:
                    shut = {}
                closed = shut.get(gate)
                if closed is None:
                    try:
                        closed = shut[gate] = not gate(ctx)
                    except Exception:  # noqa: BLE001 - a broken gate lets its rules run (and report)
                        closed = shut[gate] = False
                if closed:
                    continue
            try:
                if fuzzy:
                    extend(_as_fuzzy(f) for f in check(ctx))
                else:
                    extend(check(ctx))
            except Exception as exc:  # noqa: BLE001 - a rule must never take the run down
                out.append(_internal_error(rule, entry.path, entry.line, exc, msgid=entry.msgid,
                                           msgstr=entry.msgstr, locale=entry.target_locale))
    return out


def _as_fuzzy(f: Finding) -> Finding:
    sev = Severity.WARNING if f.severity >= Severity.WARNING else f.severity
    return replace(f, severity=sev, message=f"(fuzzy entry) {f.message}",
                   extra=tuple(sorted(f.extra + (("fuzzy", "yes"),))))


def check_segments(segments: Iterable[Segment], glossary: Glossary, locale: str, *,
                   select: Iterable[str] | None = None,
                   ignore: Iterable[str] | None = None,
                   cache_dir: str | None = None) -> list[Finding]:
    """Run the source-page rules on the units of pages written in ``locale``."""
    rules = active_rules(SEGMENT_RULES, select, ignore)
    matchers = MatcherCache(glossary, cache_dir)
    out: list[Finding] = []
    for segment in segments:
        if not segment.msgid.strip():
            continue
        ctx = SegmentContext(segment, glossary, locale, matchers)
        for rule in rules:
            try:
                out.extend(rule.check_segment(ctx))
            except Exception as exc:  # noqa: BLE001
                out.append(_internal_error(rule, segment.page, segment.line, exc,
                                           msgid=segment.msgid, locale=locale))
    out.sort(key=_sort_key)
    return out


def check_catalog_set(catalogs: Sequence[CatalogView], *,
                      select: Iterable[str] | None = None,
                      ignore: Iterable[str] | None = None) -> list[Finding]:
    """Run the catalog-set rules (GL020, GL021, GL022's untranslated part, GL027) over every catalog at once.

    Cheap by design (a dict pass over the entries): ``l10n check`` runs it after the
    entry rules, on the main process. Findings sorted by path, line, code.
    """
    rules = active_rules(CATALOG_SET_RULES, select, ignore)
    if not rules or not catalogs:
        return []
    named = _codes(select)
    opted: dict[int, frozenset[str]] = {}       # id(entry) -> codes it opts out of
    for c in catalogs:
        for e in c.entries:
            if e.flags or e.translator_comments:
                codes = suppressed_codes(e)
                if codes:
                    opted[id(e)] = codes
    out: list[Finding] = []
    for rule in rules:
        view = catalogs
        if any(rule.code in codes for codes in opted.values()):
            view = [replace(c, entries=tuple(e for e in c.entries if rule.code not in opted.get(id(e), ())))
                    for c in catalogs]
        try:
            out.extend(rule.check_catalogs(CatalogSetContext(view, explicit=rule.code in named)))
        except Exception as exc:  # noqa: BLE001 - a rule must never take the run down
            out.append(_internal_error(rule, catalogs[0].path, 0, exc))
    out.sort(key=_sort_key)
    return out
