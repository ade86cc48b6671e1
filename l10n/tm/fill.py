"""The one code path that fills empty entries from the translation memory, for ``l10n update``
(:func:`l10n.tm.pretranslate.pretranslate`, every catalog) and for ``l10n build``'s merge stage
(:func:`l10n.build.stages.pretranslate_new`, the entries a merge added), and its settings.

Each entry gets the most similar translated source text at or above ``min_score``
(``[tool.l10n.tm] min_score``, default 75) from the catalogs of its locale written in the
same source language, and from the imported memory (``[tool.l10n.tm] memory``, default
``tm/memory.sqlite``). Like Weblate's automatic translation and Translate Toolkit's
``pretranslate``, it is marked fuzzy for review; its translator comment gives the score and
the origin, and ``#| msgid`` the source text it was translated from, so an editor shows
what differs.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

import polib

from ..config import Config
from ..errors import ConfigError
from .model import TMUnit
from .store import TranslationMemory

if TYPE_CHECKING:
    from .match import FuzzyIndex

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["TMSettings", "tm_settings", "Pretranslator", "wants", "COMMENT_PREFIX"]

COMMENT_PREFIX = "l10n-tm:"
DEFAULT_MIN_SCORE = 75.0
DEFAULT_MEMORY = "tm/memory.sqlite"
_KEYS = {"min_score", "memory"}


@dataclass(frozen=True)
class TMSettings:
    min_score: float
    memory: Path


def _line_of(text: str, key: str) -> int | None:
    for i, ln in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", ln):
            return i
    return None


def tm_settings(cfg: Config) -> TMSettings:
    """``[tool.l10n.tm]``: ``min_score`` (0-100) and ``memory`` (a file in the project)."""
    from ..fsutil import inside

    pp = cfg.pyproject
    table: dict = {}
    text = ""
    if pp is not None and pp.is_file():
        text = pp.read_text("utf-8")
        table = tomllib.loads(text).get("tool", {}).get("l10n", {}).get("tm", {})
    if not isinstance(table, dict):
        raise ConfigError("[tool.l10n.tm] must be a table", str(pp), _line_of(text, "tm"))
    for k in table:
        if k not in _KEYS:
            raise ConfigError(f"unknown key {k!r} in [tool.l10n.tm] (known: {', '.join(sorted(_KEYS))})",
                              str(pp), _line_of(text, k))
    score = table.get("min_score", DEFAULT_MIN_SCORE)
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 < score <= 100:
        raise ConfigError("tm.min_score must be a number above 0 and at most 100", str(pp),
                          _line_of(text, "min_score"))
    if cfg.tm_min_score is not None:          # this run's --tm-min-score
        score = cfg.tm_min_score
    memory = table.get("memory", DEFAULT_MEMORY)
    if not isinstance(memory, str) or not memory:
        raise ConfigError("tm.memory must be a file name", str(pp), _line_of(text, "memory"))
    return TMSettings(float(score), inside(cfg.root, memory, "tm.memory"))


def wants(e: polib.POEntry) -> bool:
    """An entry pre-translation may fill: active, singular, with a source text and no translation."""
    return not e.obsolete and not e.msgid_plural and not e.msgstr and bool(e.msgid.strip())


class Pretranslator:
    """Fills empty entries with the best fuzzy match at or above the minimum score: from the
    catalogs' own translations (``units(locale, srclang, None)``, asked for once per pair, when
    first needed; with ``few``, ``units(locale, srclang, (lowest, highest))`` for each catalog,
    the units of the msgid lengths its texts can match) and from the imported memory (opened at
    the first lookup, never created). The one code path of ``l10n update``
    (:func:`l10n.tm.pretranslate.pretranslate`) and of ``l10n build``'s merge stage
    (:func:`l10n.build.stages.pretranslate_new`)."""

    def __init__(self, cfg: Config, units: Callable[[str, str, "tuple[int, int] | None"], Sequence[TMUnit]], *,
                 min_score: float | None = None, memory: TranslationMemory | None = None, few: bool = False):
        self.cfg = cfg
        self.settings = tm_settings(cfg)
        self.min_score = self.settings.min_score if min_score is None else float(min_score)
        if not 0 < self.min_score <= 100:
            raise ConfigError(f"the minimum score must be above 0 and at most 100, not {self.min_score:g}")
        self._owns_memory = memory is None
        self.memory = memory if memory is not None else TranslationMemory(self.settings.memory)
        self._units = units
        self.few = few              # few catalogs to fill (an edit): ask for the units of the lengths at hand
        self._indexes: dict[tuple[str, str], FuzzyIndex] = {}

    def fill(self, entries: Sequence[polib.POEntry], srclang: str, locale: str) -> list[bool]:
        """Fill ``entries`` (of catalogs from ``srclang`` into ``locale``) where a match is found,
        fuzzy, with the score and origin in the translator comment; which ones were filled."""
        if not entries or not srclang:
            return [False] * len(entries)
        # (rapidfuzz) here: a build that fills nothing skips it
        from .match import FuzzyIndex, length_window, memory_best
        texts = [e.msgid for e in entries]
        index = self._indexes.get((locale, srclang))
        if index is None and self.few:      # the units these texts can match, by length: not kept
            windows = [length_window(len(t), self.min_score) for t in texts]
            lengths = (min(w[0] for w in windows), max(w[1] for w in windows))
            index = FuzzyIndex(self._units(locale, srclang, lengths))
        elif index is None:
            index = self._indexes[(locale, srclang)] = FuzzyIndex(self._units(locale, srclang, None))
        own = index.best(texts, self.min_score) if len(index) else [None] * len(texts)
        imported: list = [None] * len(texts)
        if self.memory.path.is_file():
            imported = memory_best(self.memory, srclang, locale, texts, self.min_score)
        out = []
        for e, a, b in zip(entries, own, imported):
            m = a if b is None or (a is not None and a.score >= b.score) else b   # a catalog wins ties
            if m is not None:
                _fill(e, m.unit, m.score, self.settings.memory, self.cfg)
            out.append(m is not None)
        return out

    def close(self) -> None:
        if self._owns_memory:
            self.memory.close()


def _fill(e: polib.POEntry, u: TMUnit, score: float, memory_path: Path, cfg: Config) -> None:
    e.msgstr = u.target
    if "fuzzy" not in e.flags:
        e.flags.append("fuzzy")
    if u.source != e.msgid or (u.context or None) != e.msgctxt:
        e.previous_msgid = u.source
        e.previous_msgctxt = u.context or None
    if u.origin.endswith(".po"):
        origin = u.origin
    else:
        origin = cfg.rel(memory_path) + (f" (imported from {u.origin})" if u.origin else "")
    note = f"{COMMENT_PREFIX} {score:.0f}% match from {origin}"
    e.tcomment = f"{e.tcomment}\n{note}" if e.tcomment else note
