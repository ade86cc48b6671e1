"""What every rule shares: the rule classes, the per-entry context, message helpers.

A rule is a small class with an explicit ``code``, a ``name``, a default
``severity``, a docstring whose first line is its summary, and one ``bad``
and one ``good`` :class:`Example`. An :class:`EntryRule` looks at one catalog
entry (msgid -> msgstr), a :class:`SegmentRule` at one unit of a source page,
a :class:`CatalogSetRule` at every catalog of the run at once (what one entry
cannot show: the same msgid translated two ways in two catalogs).
Rules only yield :class:`~l10n.model.Finding`; they never raise and never
print. What rules need more than once per entry (the plain text, the terms
found on each side) is computed lazily, once, by the context.
"""
from __future__ import annotations

import re
import textwrap
from pathlib import Path
from dataclasses import dataclass
from typing import Callable, ClassVar, Iterator, Sequence

from l10n.checks.numbers import Quantity, extract_quantities
from l10n.drugs.lexicon import DrugHit, Lexicon
from l10n.glossary.matcher import Match, TermMatcher, fold
from l10n.glossary.model import Concept, Glossary
from l10n.markup import PLACEHOLDER_RE, strip_placeholders
from l10n.model import CatalogView, Entry, Finding, Segment, Severity

__all__ = ["Example", "Rule", "EntryRule", "SegmentRule", "CatalogSetRule", "EntryContext", "SegmentContext",
           "CatalogSetContext", "MatcherCache", "quote", "shorten", "is_chinese", "plain"]


def is_chinese(locale: str) -> bool:
    return locale.split("_")[0].lower() == "zh"


def shorten(text: str, width: int = 60) -> str:
    """``text`` on one line, cut to about ``width`` characters."""
    one = text.replace("\r", "").replace("\n", "\\n")
    return one if len(one) <= width else one[: width - 1] + "…"


def quote(text: str, width: int = 60) -> str:
    return '"' + shorten(text, width) + '"'


def _po_quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@dataclass(frozen=True)
class Example:
    """A bad or good case for a rule's documentation (and its tests).

    For an entry rule: ``msgid``/``msgstr`` translated from ``source`` to
    ``target``. For a segment rule: ``msgid`` is the page text, ``source``
    its locale. A catalog-set rule's example may add ``also``: (msgid,
    msgstr) entries of the same locale in another catalog; a plural entry
    has ``msgid_plural``, its forms in ``msgstr_plural`` and its catalog's
    ``nplurals``.
    """

    msgid: str
    msgstr: str = ""
    source: str = "en"
    target: str = "zh_TW"
    also: tuple[tuple[str, str], ...] = ()
    msgid_plural: str = ""
    msgstr_plural: tuple[str, ...] = ()
    nplurals: int | None = None

    def render(self, segment: bool = False) -> str:
        if segment:
            return f"    page text ({self.source}): {self.msgid}"
        head = f"    # {self.source} -> {self.target}"
        if self.nplurals is not None:
            head += f"; Plural-Forms: nplurals={self.nplurals}"
        lines = [head + (", catalog 1" if self.also else ""), f"    msgid {_po_quote(self.msgid)}"]
        if self.msgid_plural:
            lines.append(f"    msgid_plural {_po_quote(self.msgid_plural)}")
            lines += [f"    msgstr[{i}] {_po_quote(form)}" for i, form in enumerate(self.msgstr_plural)]
        else:
            lines.append(f"    msgstr {_po_quote(self.msgstr)}")
        for n, (msgid, msgstr) in enumerate(self.also, 2):
            lines += [f"    # catalog {n}", f"    msgid {_po_quote(msgid)}", f"    msgstr {_po_quote(msgstr)}"]
        return "\n".join(lines)


class MatcherCache:
    """One :class:`TermMatcher` per locale for one glossary, built on first use.

    A Chinese locale's matcher also knows the other Chinese locale's terms and
    the English ones (texts keep Latin drug names; a zh_TW text may carry a
    zh_CN term); an English one also knows the Chinese terms (glosses).
    """

    def __init__(self, glossary: Glossary, cache_dir: str | Path | None = None) -> None:
        self.glossary = glossary
        self.cache_dir = str(cache_dir) if cache_dir is not None else None   # the drug lexicon cache
        self._lexicon: Lexicon | None = None
        self._lex_ids: dict[str, frozenset[str]] | None = None
        self._matchers: dict[str, TermMatcher] = {}
        self.memo: dict = {}        # per-run results keyed by (kind, ..., text)
        self._drug_ids: dict[str, str | None] = {}
        self._siblings: dict[str, tuple[str, ...]] = {}
        self._approved: dict[tuple[str, str], tuple[str, ...]] = {}
        self._all_drug_ids: dict[str, str] | None = None
        self._drugs_of: dict = {}
        self._dnt_ids: frozenset[str] | None = None
        self._locales = sorted({t.locale for c in glossary.concepts for t in c.terms})
        self._expected: dict[str, list[str]] = {}     # locale -> the texts the rules will scan (``expect``)
        self._vocab_hits: dict[str, dict[str, list] | None] = {}   # locale -> text -> dosing vocabulary hits
        self._quantities: dict[str, list[Quantity]] | None = None   # text -> its numbers, for the expected texts
        self._drug_locales: dict[str, str | None] | None = None     # expected text -> its locale (None: two)
        self._drugs_done: set[str] = set()                          # the locales whose drug hits are in the memo
        self._lows: dict[str, str] | None = None                    # expected text -> fold(text)

    def expect(self, entries: Sequence[Entry]) -> None:
        """The entries about to be checked: their msgids and msgstrs are each scanned in one pass of
        the glossary automaton and one of the dosing vocabulary's, when a rule first asks (an
        automaton pass per text costs several times more in a check run: the other rules' work
        evicts the automaton from the CPU caches between two texts). Replaces what was expected."""
        texts: dict[str, dict[str, None]] = {}
        for e in entries:
            if e.msgstr:
                texts.setdefault(e.source_locale, {})[plain(e.msgid)] = None
                texts.setdefault(e.target_locale, {})[plain(e.msgstr)] = None
        self._expected = {locale: list(t) for locale, t in texts.items()}
        self._vocab_hits = {}
        self._quantities = None
        self._drug_locales = None
        self._drugs_done = set()
        self._lows = None
        for locale, m in self._matchers.items():
            m.expect(self._expected.get(locale, ()))

    def folded(self, text: str) -> str:
        """``fold(text)``: the expected texts are folded once for all the rules that read them so."""
        lows = self._lows
        if lows is None:
            lows = self._lows = {t: fold(t) for texts in self._expected.values() for t in texts}
        got = lows.get(text)
        return got if got is not None else fold(text)

    def quantities(self, text: str) -> list[Quantity]:
        """``extract_quantities(text)``; the first call reads the numbers of every expected text, in one loop."""
        table = self._quantities
        if table is None:
            table = self._quantities = {t: extract_quantities(t) for texts in self._expected.values()
                                        for t in texts}
        got = table.get(text)
        return got if got is not None else extract_quantities(text)

    def vocabulary_hits(self, locale: str, text: str, low: str) -> list:
        """``vocabulary(locale).scan(low)`` (``low``: ``fold(text)``), from one pass over the expected texts."""
        table = self._vocab_hits.get(locale, False)
        if table is not None and table is not False:
            hits = table.get(text)
            if hits is not None:
                return hits
        from l10n.dosing.vocab import vocabulary   # here: l10n.dosing imports l10n.checks.numbers

        vocab = vocabulary(locale)
        if table is False:
            expected = self._expected.get(locale)
            table = None
            if expected and len(expected) > 1:
                table = dict(zip(expected, vocab.scan_many([self.folded(t) for t in expected])))
            self._vocab_hits[locale] = table
        if table is not None:
            hits = table.get(text)
            if hits is not None:
                return hits
        return vocab.scan(low)

    def extras(self, locale: str) -> tuple[str, ...]:
        others = [x for x in self._locales if x != locale]
        lang = locale.split("_")[0]
        # same language first (zh_TW <-> zh_CN), then English, then the rest
        others.sort(key=lambda x: (x.split("_")[0] != lang, x != "en", x))
        return tuple(others)

    def get(self, locale: str) -> TermMatcher:
        m = self._matchers.get(locale)
        if m is None:
            m = self._matchers[locale] = TermMatcher(self.glossary, locale, extra_locales=self.extras(locale))
            expected = self._expected.get(locale)
            if expected:
                m.expect(expected)
        return m

    def drug_identity(self, concept_id: str) -> str | None:
        """The generic a drug concept stands for (``Glossary.drug_of``); None for non-drugs."""
        try:
            return self._drug_ids[concept_id]
        except KeyError:
            c = self.glossary.by_id.get(concept_id)
            ident = self.glossary.drug_of(c) if c is not None and c.is_drug else None
            self._drug_ids[concept_id] = ident
            return ident

    def drug_ids_of(self, m: Match) -> frozenset[str] | None:
        """The drug identities a match may stand for (its ``named_ids`` that are drugs); None if none."""
        alts = m.alternatives
        key = (m.concept_id, m.status, alts) if alts else m.concept_id
        try:
            return self._drugs_of[key]
        except KeyError:
            pass
        if not alts:
            ident = self.drug_ids.get(m.concept_id)
            got = frozenset((ident,)) if ident is not None else None
        else:
            got = frozenset(i for i in map(self.drug_identity, m.named_ids) if i is not None) or None
        self._drugs_of[key] = got
        return got

    @property
    def drug_ids(self) -> dict[str, str]:
        """concept id -> drug identity, for every drug concept (``drug_identity`` of all at once)."""
        got = self._all_drug_ids
        if got is None:
            g = self.glossary
            got = self._all_drug_ids = {c.id: g.drug_of(c) for c in g.concepts if c.is_drug}
        return got

    @property
    def dnt_ids(self) -> frozenset[str]:
        """The ids of the do-not-translate concepts."""
        got = self._dnt_ids
        if got is None:
            got = self._dnt_ids = frozenset(c.id for c in self.glossary.concepts if c.dnt)
        return got

    @property
    def lexicon(self) -> Lexicon:
        """The drug lexicon (``l10n.drugs``), loaded on first use, once per process."""
        got = self._lexicon
        if got is None:
            from l10n.drugs.lexicon import get_lexicon

            got = self._lexicon = get_lexicon(self.cache_dir)
        return got

    @property
    def lexicon_ids(self) -> dict[str, frozenset[str]]:
        """Glossary drug identity -> the lexicon identities of its names (and its brands' names).

        Built from every Latin-script term of the glossary's drug concepts, so the
        lexicon knows that a glossary drug is named when it is written by a name
        only the lexicon knows (a brand the glossary lacks).
        """
        got = self._lex_ids
        if got is None:
            lex = self.lexicon
            acc: dict[str, set[str]] = {}
            for cid, ident in self.drug_ids.items():
                c = self.glossary.by_id[cid]
                bucket = acc.setdefault(ident, set())
                for t in c.terms:
                    if t.text.isascii() and t.status != "forbidden":
                        found = lex.ident_of(t.text)
                        if found:
                            bucket.add(found)
            got = self._lex_ids = {k: frozenset(v) for k, v in acc.items()}
        return got

    def drug_hits(self, text: str, matches: list[Match]) -> list[DrugHit]:
        """Drug names of the lexicon in ``text`` outside its glossary ``matches`` (the glossary decides those).

        The matched spans are blanked out before the scan (offsets kept), so a text whose
        drugs are all glossary terms costs one set test. Remembered for the run by text.
        """
        if not _LATIN_LETTER.search(text):
            return []                   # every lexicon name has an ASCII letter (after folding)
        key = ("drughits", text, len(matches))
        memo = self.memo
        found = memo.get(key)
        if found is None and self._expected:
            self._drug_hits_of_locale(text)
            found = memo.get(key)
        if found is None:
            found = memo[key] = self._drug_hits_now(text, matches)
        return found

    def _drug_hits_of_locale(self, text: str) -> None:
        """The drug hits of every expected text of ``text``'s locale, in one loop (remembered as
        ``drug_hits`` remembers them): asked for one, the rules ask for all. Texts expected in two
        locales are left to ``drug_hits`` (its memo is keyed by text and number of matches)."""
        where = self._drug_locales
        if where is None:
            where = {}
            for locale, texts in self._expected.items():
                for t in texts:
                    where[t] = locale if t not in where else None
            self._drug_locales = where
        locale = where.get(text)
        if locale is None or locale in self._drugs_done:
            return
        self._drugs_done.add(locale)
        find = self.get(locale).find
        memo = self.memo
        search = _LATIN_LETTER.search
        for t in self._expected[locale]:
            if where[t] == locale and search(t):
                matches = find(t)
                key = ("drughits", t, len(matches))
                if key not in memo:
                    memo[key] = self._drug_hits_now(t, matches)

    def _drug_hits_now(self, text: str, matches: list[Match]) -> list[DrugHit]:
        """``drug_hits`` of ``text``, computed."""
        low = self.folded(text)
        if matches:
            # blanked after folding: the same words a-z0-9 as fold(blanked text) (fold keeps
            # offsets, lower-cases and maps quotes, dashes and spaces char by char)
            parts = []
            at = 0
            for m in matches:
                parts.append(low[at:m.start])
                parts.append(" " * (m.end - m.start))
                at = m.end
            parts.append(low[at:])
            low = "".join(parts)
        return self.lexicon.find(text, low)    # hit texts as written in ``text``

    def sibling(self, locale: str) -> tuple[str, ...]:
        """Other locales of the same language (zh_CN for zh_TW)."""
        got = self._siblings.get(locale)
        if got is None:
            lang = locale.split("_")[0]
            got = self._siblings[locale] = tuple(x for x in self._locales
                                                 if x != locale and x.split("_")[0] == lang)
        return got

    def approved(self, concept: Concept, locale: str) -> tuple[str, ...]:
        """``concept.approved(locale)``, remembered for the run."""
        key = (concept.id, locale)
        got = self._approved.get(key)
        if got is None:
            got = self._approved[key] = concept.approved(locale)
        return got


# What folds to an ASCII letter (İ and the Kelvin sign lower-case to one): a text without any
# names no drug of the lexicon (its names are folded words holding a letter a-z).
_LATIN_LETTER = re.compile("[A-Za-z\u0130\u212a]")


def _drop_tag(m: re.Match) -> str:
    return m.group(0) if (m.group(1) and m.group(3)) else ""   # "</x1/>" is text, as in tokenize()


def plain(text: str) -> str:
    """The text of a msgid/msgstr without placeholders: ``strip_placeholders``, faster."""
    if "&" in text:
        return strip_placeholders(text)
    if "<" in text:
        return PLACEHOLDER_RE.sub(_drop_tag, text)
    return text


class EntryContext:
    """One catalog entry and everything rules derive from it, computed on demand.

    Computations on the msgid side are memoised for the whole run (the same
    msgid recurs in every target locale's catalog).
    """

    __slots__ = ("entry", "glossary", "matchers", "source", "target", "msgid_text", "msgstr_text",
                 "_folded", "_src", "_tgt", "_tq", "dosing", "dosing_scan")

    def __init__(self, entry: Entry, glossary: Glossary, matchers: MatcherCache) -> None:
        self.entry = entry
        self.glossary = glossary
        self.matchers = matchers
        self.source = entry.source_locale
        self.target = entry.target_locale
        self.msgid_text = plain(entry.msgid)
        self.msgstr_text = plain(entry.msgstr)
        self._folded: str | None = None
        self._src: list[Match] | None = None
        self._tgt: list[Match] | None = None
        self._tq: list[Quantity] | None = None
        self.dosing: tuple | None = None      # (msgid record, msgstr record): l10n.checks.dosing.records
        self.dosing_scan: tuple | None = None  # both sides' vocabulary hits: l10n.checks.dosing.sections

    @property
    def source_quantities(self) -> list[Quantity]:
        """``extract_quantities(msgid_text)``, remembered for the run (GL005 and the dosing rules share it)."""
        return self.memo("quantities", self.msgid_text, self.matchers.quantities)

    @property
    def target_quantities(self) -> list[Quantity]:
        """``extract_quantities(msgstr_text)``, computed once for the entry."""
        if self._tq is None:
            self._tq = self.matchers.quantities(self.msgstr_text)
        return self._tq

    @property
    def msgstr_folded(self) -> str:
        if self._folded is None:
            self._folded = self.matchers.folded(self.msgstr_text)
        return self._folded

    @property
    def source_matcher(self) -> TermMatcher:
        return self.matchers.get(self.source)

    @property
    def target_matcher(self) -> TermMatcher:
        return self.matchers.get(self.target)

    @property
    def source_matches(self) -> list[Match]:
        if self._src is None:
            key = ("matches", self.source, self.msgid_text)
            memo = self.matchers.memo
            found = memo.get(key)
            if found is None:
                found = memo[key] = self.matchers.get(self.source).find(self.msgid_text)
            self._src = found
        return self._src

    @property
    def target_matches(self) -> list[Match]:
        if self._tgt is None:
            self._tgt = self.matchers.get(self.target).find(self.msgstr_text)
        return self._tgt

    def memo(self, kind: str, text: str, compute):  # type: ignore[no-untyped-def]
        """``compute(text)``, remembered for the whole run under (kind, text)."""
        key = (kind, text)
        memo = self.matchers.memo
        found = memo.get(key)
        if found is None:
            found = memo[key] = compute(text)
        return found

    def concept(self, concept_id: str) -> Concept | None:
        return self.glossary.get(concept_id)

    def finding(self, rule: Rule, message: str, *, term: str = "",
                severity: Severity | None = None, **extra: str) -> Finding:
        e = self.entry
        return Finding(code=rule.code, severity=severity or rule.severity, path=e.path, line=e.line,
                       message=message, msgid=e.msgid, msgstr=e.msgstr, term=term,
                       locale=e.target_locale, extra=tuple(sorted(extra.items())))


class SegmentContext:
    """One unit of a source page (its locale is the page's locale)."""

    def __init__(self, segment: Segment, glossary: Glossary, locale: str, matchers: MatcherCache) -> None:
        self.segment = segment
        self.glossary = glossary
        self.locale = locale
        self.matchers = matchers
        self.text = plain(segment.msgid)
        self._matches: list[Match] | None = None

    @property
    def matcher(self) -> TermMatcher:
        return self.matchers.get(self.locale)

    @property
    def matches(self) -> list[Match]:
        if self._matches is None:
            self._matches = self.matchers.get(self.locale).find(self.text)
        return self._matches

    def concept(self, concept_id: str) -> Concept | None:
        return self.glossary.get(concept_id)

    def finding(self, rule: Rule, message: str, *, term: str = "",
                severity: Severity | None = None, **extra: str) -> Finding:
        s = self.segment
        return Finding(code=rule.code, severity=severity or rule.severity, path=s.page, line=s.line,
                       message=message, msgid=s.msgid, msgstr="", term=term, locale=self.locale,
                       extra=tuple(sorted(extra.items())))


class CatalogSetContext:
    """Every catalog of a run, for one :class:`CatalogSetRule`.

    ``catalogs`` hold every non-obsolete entry, translated or not, minus the
    entries that opt out of this rule (``l10n-ignore-GL020``): they take no
    part in its comparisons. ``explicit`` is True when the run named the rule
    in ``select`` (``l10n check --select GL022``).
    """

    def __init__(self, catalogs: Sequence[CatalogView], *, explicit: bool = False) -> None:
        self.catalogs = catalogs
        self.explicit = explicit

    def finding(self, rule: Rule, entry: Entry, message: str, *, term: str = "",
                severity: Severity | None = None, **extra: str) -> Finding:
        """A finding on ``entry``; on a fuzzy entry an error is reported as a warning, as for entry rules."""
        sev = severity or rule.severity
        if entry.fuzzy:
            if sev >= Severity.WARNING:
                sev = Severity.WARNING
            message = f"(fuzzy entry) {message}"
            extra["fuzzy"] = "yes"
        return Finding(code=rule.code, severity=sev, path=entry.path, line=entry.line, message=message,
                       msgid=entry.msgid, msgstr=entry.msgstr or "\n".join(entry.msgstr_plural), term=term,
                       locale=entry.target_locale, extra=tuple(sorted(extra.items())))


class Rule:
    """Base of all rules. Subclasses set the class attributes and one check method."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.ERROR
    kind: ClassVar[str] = ""          # "entry" or "segment"
    bad: ClassVar[Example]
    good: ClassVar[Example]

    @property
    def summary(self) -> str:
        """The docstring's first line."""
        return (self.__doc__ or "").strip().splitlines()[0].strip()

    @property
    def description(self) -> str:
        """The docstring after the summary."""
        doc = textwrap.dedent("\n".join((self.__doc__ or "").splitlines()[1:])).strip()
        return doc

    def explain(self) -> str:
        """The rule's documentation as plain text: summary, details, bad and good example."""
        seg = self.kind == "segment"
        scope = {"segment": "source pages", "catalogs": "all catalogs of a locale"}.get(self.kind, "catalog entries")
        if seg and isinstance(self, EntryRule):
            scope = "source pages and catalog msgids"
        parts = [f"{self.code} {self.name} ({self.severity.value}; {scope})", "", self.summary]
        if self.description:
            parts += ["", self.description]
        parts += ["", "Anti-pattern:", self.bad.render(seg), "", "Best practice:", self.good.render(seg)]
        return "\n".join(parts) + "\n"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}>"


class EntryRule(Rule):
    kind = "entry"
    # A cheap test shared by several rules (the same function object): when it returns
    # False for an entry, the driver skips all of them for that entry. None: always run.
    gate: ClassVar[Callable[[EntryContext], bool] | None] = None

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError


class SegmentRule(Rule):
    kind = "segment"

    def check_segment(self, ctx: SegmentContext) -> Iterator[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError


class CatalogSetRule(Rule):
    """A rule over every catalog of a run at once (run once per run, after the entry rules)."""

    kind = "catalogs"

    def check_catalogs(self, ctx: CatalogSetContext) -> Iterator[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError


def concept_label(glossary: Glossary, concept: Concept) -> str:
    """How a concept is named in messages: its English term, or its id."""
    return concept.preferred("en") or concept.id


def drug_label(glossary: Glossary, concept: Concept) -> str:
    """"Protopic → tacrolimus" for a brand, "tacrolimus" for a generic."""
    if concept.type == "brand":
        generic = glossary.get(glossary.drug_of(concept))
        g = concept_label(glossary, generic) if generic else glossary.drug_of(concept)
        return f"{concept_label(glossary, concept)} → {g}"
    return concept_label(glossary, concept)
