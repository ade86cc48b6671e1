"""Plain frozen dataclasses (and named tuples) that flow between the stages. No I/O here.

pages -> :class:`Segment` -> catalogs -> :class:`Entry` -> checks -> :class:`Finding`
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = ["Severity", "Segment", "plain_reduce", "Entry", "Finding", "Completeness", "Stats", "CatalogView"]


class Severity(str, enum.Enum):
    """How bad a finding is; ordered info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]

    def __ge__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __lt__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank


class Completeness:
    """Mixin for anything with ``translated``, ``fuzzy`` and ``untranslated`` counts."""

    translated: int
    fuzzy: int
    untranslated: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        """Translated share in percent (100 for an empty catalog)."""
        return 100.0 if self.total == 0 else 100.0 * self.translated / self.total


@dataclass(frozen=True)
class Stats(Completeness):
    """A catalog's counts, as msgfmt --statistics gives them (l10n.catalogs makes them)."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0

    def msgfmt_line(self) -> str:
        """The statistics in msgfmt --statistics' words."""
        def n(k: int, one: str, many: str) -> str:
            return f"{k} {one if k == 1 else many}"
        parts = [n(self.translated, "translated message", "translated messages")]
        if self.fuzzy:
            parts.append(n(self.fuzzy, "fuzzy translation", "fuzzy translations"))
        if self.untranslated:
            parts.append(n(self.untranslated, "untranslated message", "untranslated messages"))
        return ", ".join(parts) + "."


def plain_reduce(self: tuple) -> tuple:
    """``__reduce__`` of a named tuple that pickles as its plain tuple, rebuilt by ``tuple.__new__``:
    one C call an object when it loads. A named tuple's own ``__new__`` is Python, and a frozen
    dataclass loads through a state dict set into its ``__dict__``; a page's skeleton holds a
    few hundred such objects, and the renderer loads 10,000 skeletons (half the load time)."""
    return (tuple.__new__, (type(self), tuple(self)))


class Segment(NamedTuple):
    """One translation unit found in a source page.

    ``msgid`` is the unit's text with inline markup as placeholder tags
    (``<a1>our guide</a1>``, ``<br1/>``); ``placeholders`` names the tags the
    unit may carry. ``place`` says where it stands (``h1``, ``img@alt``,
    ``meta[name=description]``) and becomes the entry's extracted comment.
    (A named tuple, not a dataclass, for the speed of loading skeletons: :func:`plain_reduce`.)
    """

    msgid: str
    page: str                 # page path relative to the project root, posix
    line: int                 # 1-based line in the page
    place: str
    msgctxt: str | None = None
    placeholders: tuple[str, ...] = ()
    comment: str | None = None  # extra note for translators (data-l10n-note)

    __reduce__ = plain_reduce


@dataclass(frozen=True)
class Entry:
    """A catalog entry as the checks see it: one msgid/msgstr pair and its origin."""

    msgid: str
    msgstr: str
    path: str                 # the .po file
    line: int                 # line of the entry's msgid in that file
    source_locale: str        # e.g. "en", "zh_TW"
    target_locale: str        # e.g. "zh_TW", "zh_CN", "en"
    msgctxt: str | None = None
    fuzzy: bool = False
    flags: frozenset[str] = frozenset()
    translator_comments: tuple[str, ...] = ()
    extracted_comments: tuple[str, ...] = ()
    locations: tuple[tuple[str, int], ...] = ()
    msgid_plural: str | None = None       # a plural entry: msgstr is "" and
    msgstr_plural: tuple[str, ...] = ()   # the forms are msgstr[0], msgstr[1], ...


@dataclass(frozen=True)
class Finding:
    """Something a rule found. ``code`` is the rule's stable code (e.g. GL003)."""

    code: str
    severity: Severity
    path: str
    line: int
    message: str
    msgid: str = ""
    msgstr: str = ""
    term: str = ""            # the offending term, for highlighting
    locale: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True)
class CatalogView:
    """One catalog as the catalog-set rules see it (GL020, GL021, GL022 untranslated, GL027).

    ``entries`` are all its non-obsolete entries, translated or not, plural
    ones included; ``nplurals`` comes from the Plural-Forms header (None if
    it has none).
    """

    path: str
    source_locale: str
    target_locale: str
    entries: tuple[Entry, ...] = ()
    nplurals: int | None = None
