"""Pre-translation of every catalog from the translation memory, run by ``l10n update`` after
the merge (``l10n build`` fills the entries its merges add: :mod:`l10n.tm.fill`, the same code).

The merge has already filled exact matches from every catalog of the locale (the
compendium). What is still empty gets a fuzzy match (:class:`l10n.tm.fill.Pretranslator`)
from every catalog of the locale written in the same source language and from the imported
memory.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import polib

from .. import catalogs as cat
from ..config import Config
from ..fsutil import atomic_write
from .fill import COMMENT_PREFIX, Pretranslator, TMSettings, tm_settings, wants
from .model import TMUnit
from .store import TranslationMemory

__all__ = ["TMSettings", "tm_settings", "Pretranslated", "Pretranslator", "pretranslate", "catalog_units", "wants",
           "COMMENT_PREFIX"]


@dataclass(frozen=True)
class Pretranslated:
    path: str                     # the catalog, relative to the project
    locale: str
    filled: int                   # entries pre-translated (fuzzy)
    stats: cat.Stats


def catalog_units(po: polib.POFile, srclang: str, tgtlang: str, origin: str) -> list[TMUnit]:
    """The memory a catalog gives: its translated entries that are not fuzzy (singular only)."""
    return [TMUnit(srclang, tgtlang, e.msgid, e.msgstr, e.msgctxt or "", origin)
            for e in po if not e.obsolete and e.msgstr and "fuzzy" not in e.flags and not e.msgid_plural]


def _no_progress(items: Sequence, label: str) -> Iterable:
    return items


def pretranslate(cfg: Config, locales: Sequence[str] | None = None, *, min_score: float | None = None,
                 memory: TranslationMemory | None = None,
                 progress: Callable[[Sequence, str], Iterable] = _no_progress) -> list[Pretranslated]:
    """Fill empty entries of every catalog of ``locales`` (default: all) with fuzzy memory matches."""
    from ..project import iter_catalog_paths

    by_src: dict[str, list[TMUnit]] = {}          # the catalog units of the locale being filled
    tm = Pretranslator(cfg, lambda loc, src, _lengths: by_src.get(src, []), min_score=min_score, memory=memory)
    out: list[Pretranslated] = []
    try:
        targets = [lo for lo in cfg.locales if not locales or lo in locales]
        for loc in progress(targets, "memory"):
            paths = list(iter_catalog_paths(cfg, [loc]))
            read = [(p, cat.read_catalog(str(p), name=cfg.rel(p))) for p in paths]
            by_src.clear()
            todo: dict[str, list[tuple[int, polib.POEntry]]] = {}
            for i, (p, po) in enumerate(read):
                src = cat.source_locale_of(po) or ""
                by_src.setdefault(src, []).extend(catalog_units(po, src, loc, cfg.rel(p)))
                todo.setdefault(src, []).extend((i, e) for e in po if wants(e))
            filled = [0] * len(read)
            for src, entries in sorted(todo.items()):
                for (i, _e), done in zip(entries, tm.fill([e for _, e in entries], src, loc)):
                    filled[i] += done
            for (p, po), n in zip(read, filled):
                if n:
                    atomic_write(p, cat.po_text(po))
                    out.append(Pretranslated(cfg.rel(p), loc, n, cat.stats(po)))
    finally:
        tm.close()
    return out
