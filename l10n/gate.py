"""The check gate: which translations of a catalog are held back from readers.

A translated unit whose entry has a finding at or above ``[tool.l10n.check] gate``
(``error`` by default, ``warning``, or ``off``) is left out of the compiled ``.mo``.
Everything readers see is rendered from the ``.mo`` files, so a held-back unit shows
the source text (with the source's ``lang``) and counts as untranslated for the
publishing threshold, in ``l10n compile``, ``build``, ``render`` and ``serve`` alike:
this module is the one place that decides it, and :func:`l10n.catalogs.compile_catalog`
the one place that leaves the units out.

The checks are the ones ``l10n check`` runs (same rules, ``select``/``ignore`` and
``# l10n: ignore CODE`` comments), on the entries that would go into the ``.mo``.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import ConfigError
from .model import Severity

if TYPE_CHECKING:
    import polib

    from . import catalogs as cat

    from .config import Config

__all__ = ["HeldBack", "Gate", "open_gate", "compile_gated", "EXIT_HELD_BACK"]

EXIT_HELD_BACK = 3          # l10n compile / build: built, but the gate held units back
MEMO_LIMIT = 200_000        # the check memo is cleared past this many results (a cold build checks every catalog)
SAVE_EVERY = 2_000          # a forked worker writes the findings it learnt every this many entries (and at exit)

_LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING}


class HeldBack(NamedTuple):
    """One unit kept from readers, and the finding that kept it."""
    path: str            # the catalog, relative to the project
    line: int            # the entry's msgid line
    code: str            # the rule, e.g. GL003
    severity: str
    message: str
    msgctxt: str | None
    msgid: str

    def line_text(self) -> str:
        """``path:line: CODE severity: message`` (the form ``l10n check`` prints)."""
        return f"{self.path}:{self.line}: {self.code} {self.severity}: {self.message}"


class Gate:
    """The glossary and the settings the gate checks with.

    Entries the findings cache (:mod:`l10n.entrycache`) knows are not checked again; the
    glossary is loaded on the first entry it does not know, or up front (``preload``) when
    the cache knows nothing yet, so that the workers of a first build share it."""

    def __init__(self, glossary_path: Path, cache_dir: Path | None, level: Severity, select: tuple[str, ...],
                 ignore: tuple[str, ...], locales: tuple[str, ...], *, preload: bool = True) -> None:
        self.glossary_path = glossary_path
        self.cache_dir = cache_dir
        self.level = level
        self.select = select
        self.ignore = ignore
        self.locales = locales
        from .entrycache import FindingsCache

        self.cache = FindingsCache.for_glossary(cache_dir, glossary_path, select, ignore)
        self._owner = os.getpid()
        self._finalizing = False
        self._glossary: Any = None
        self._matchers: Any = None      # one MatcherCache for every catalog this process checks (its memo bounded)
        if preload or self.cache is None or not self.cache.known:
            self._load()

    def _load(self) -> None:
        from .checks.base import MatcherCache
        from .checks.gl006_script import cached_script_tables
        from .glossary.cache import load_glossary_cached

        self._glossary = load_glossary_cached(self.glossary_path, self.cache_dir)
        try:
            cached_script_tables(self.cache_dir)
        except Exception:  # noqa: BLE001 - GL006 builds its tables itself when the cache fails
            pass
        self._matchers = MatcherCache(self._glossary)
        for loc in self.locales:          # the term index built here, once, before workers fork
            self._matchers.get(loc)

    @property
    def glossary(self) -> Any:
        """The glossary (loaded now if it was not)."""
        if self._glossary is None:
            self._load()
        return self._glossary

    def held_back(self, po: "polib.POFile", rel: str, locale: str, *, use_fuzzy: bool = False) -> tuple[HeldBack, ...]:
        """The units of ``po`` (the catalog of ``locale`` at ``rel``) that the gate keeps out of
        its ``.mo``, one row per finding, in entry order."""
        from .catalogs import source_locale_of      # (here: the build's report imports this module)
        src = source_locale_of(po)
        if not src:
            return ()
        tgt = po.metadata.get("Language") or locale
        live = [e for e in po if not e.obsolete and e.msgstr and (use_fuzzy or "fuzzy" not in e.flags)]
        if not live:
            return ()
        findings = self._findings(live, rel, src, tgt)
        at = {e.linenum or 0: e for e in live}
        out = []
        for f in findings:
            e = at.get(f.line)
            if e is not None and f.severity >= self.level:
                out.append(HeldBack(rel, f.line, f.code, f.severity.value, f.message, e.msgctxt, e.msgid))
        return tuple(out)

    def _findings(self, live: list, rel: str, src: str, tgt: str) -> list:
        """The entry rules' findings on ``live`` (polib entries), from the cache where it has them."""
        cache = self.cache
        findings, todo = cache.recall(live, rel, src, tgt) if cache is not None else ([], live)
        if todo:
            from .catalogs import iter_entries
            from .checks import check_entries

            glossary = self.glossary
            if len(self._matchers.memo) > MEMO_LIMIT:
                self._matchers.memo.clear()
            checked = check_entries(iter_entries(todo, rel, source_locale=src, target_locale=tgt), glossary,
                                    select=self.select or None, ignore=self.ignore or None, matchers=self._matchers)
            if cache is not None:
                cache.learn(checked)
                self._save_soon()
            findings.extend(checked)
            findings.sort(key=lambda f: (f.line, f.code))
        return findings

    def _save_soon(self) -> None:
        """Write what the findings cache learnt every SAVE_EVERY entries, and when the process ends (a
        pool worker when it exits, the process that opened the gate at exit): a write per batch, not
        per catalog. :meth:`save` writes at once."""
        cache = self.cache
        if not self._finalizing:
            if os.getpid() == self._owner:
                import atexit

                atexit.register(cache.save)
            else:
                from multiprocessing import util

                util.Finalize(self, cache.save, exitpriority=10)    # run when a pool worker exits
            self._finalizing = True
        if cache.unsaved >= SAVE_EVERY:
            cache.save()

    def save(self) -> None:
        """Write what the findings cache learnt in this process."""
        if self.cache is not None:
            self.cache.save()


def open_gate(cfg: "Config") -> Gate | None:
    """The project's gate; None when the gate is off or the project has no glossary to check with.
    Its glossary is loaded (from the cache when it can) up front unless the findings cache knows
    this glossary's entries already: then only when an entry is new."""
    if cfg.gate == "off" or cfg.glossary is None:
        return None
    if not Path(cfg.glossary).is_file():
        raise ConfigError("glossary file does not exist (the check gate needs it; "
                          "[tool.l10n.check] gate = \"off\" builds without it)", cfg.rel(Path(cfg.glossary)))
    return Gate(Path(cfg.glossary), cfg.root / ".l10n-cache", _LEVELS[cfg.gate], tuple(cfg.select),
                tuple(cfg.ignore), tuple(cfg.locales), preload=False)


def compile_gated(po: "polib.POFile", rel: str, locale: str, gate: Gate | None, *,
                  use_fuzzy: bool = False) -> "tuple[cat.CompileResult, tuple[HeldBack, ...]]":
    """A catalog compiled with what the gate holds back left out: every compile goes through here."""
    from .catalogs import compile_catalog
    held = gate.held_back(po, rel, locale, use_fuzzy=use_fuzzy) if gate is not None else ()
    return compile_catalog(po, rel, use_fuzzy=use_fuzzy, withhold=withheld(held)), held


def withheld(held: tuple[HeldBack, ...]) -> frozenset[tuple[str | None, str]]:
    """The (msgctxt, msgid) keys of the held-back units, for :func:`l10n.catalogs.compile_catalog`."""
    return frozenset((h.msgctxt, h.msgid) for h in held)
