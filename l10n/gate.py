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

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import catalogs as cat
from .errors import ConfigError
from .model import Severity

if TYPE_CHECKING:
    import polib

    from .config import Config

__all__ = ["HeldBack", "Gate", "open_gate", "compile_gated", "EXIT_HELD_BACK"]

EXIT_HELD_BACK = 3          # l10n compile / build: built, but the gate held units back
MEMO_LIMIT = 200_000        # the check memo is cleared past this many results (a cold build checks every catalog)

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


@dataclass(frozen=True)
class Gate:
    """The glossary and the settings the gate checks with."""
    glossary: Any
    level: Severity
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    matchers: Any = None          # one MatcherCache for every catalog this process checks (its memo bounded)

    def held_back(self, po: "polib.POFile", rel: str, locale: str, *, use_fuzzy: bool = False) -> tuple[HeldBack, ...]:
        """The units of ``po`` (the catalog of ``locale`` at ``rel``) that the gate keeps out of
        its ``.mo``, one row per finding, in entry order."""
        from .checks import check_entries

        src = cat.source_locale_of(po)
        if not src:
            return ()
        tgt = po.metadata.get("Language") or locale
        entries = [e for e in cat.iter_entries(po, rel, source_locale=src, target_locale=tgt)
                   if use_fuzzy or not e.fuzzy]
        if not entries:
            return ()
        at = {e.line: e for e in entries}
        out = []
        if self.matchers is not None and len(self.matchers.memo) > MEMO_LIMIT:
            self.matchers.memo.clear()
        for f in check_entries(entries, self.glossary, select=self.select or None, ignore=self.ignore or None,
                               matchers=self.matchers):
            e = at.get(f.line)
            if e is not None and f.severity >= self.level:
                out.append(HeldBack(rel, f.line, f.code, f.severity.value, f.message, e.msgctxt, e.msgid))
        return tuple(out)


def open_gate(cfg: "Config", *, warm: bool = True) -> Gate | None:
    """The project's gate, its glossary loaded (from the cache when it can); None when the gate is
    off or the project has no glossary to check with. ``warm``: build every locale's term index now,
    before workers fork (a build that checks a catalog or two in its own process builds only the
    ones it uses, when it first uses them)."""
    if cfg.gate == "off" or cfg.glossary is None:
        return None
    if not Path(cfg.glossary).is_file():
        raise ConfigError("glossary file does not exist (the check gate needs it; "
                          "[tool.l10n.check] gate = \"off\" builds without it)", cfg.rel(Path(cfg.glossary)))
    from .checks.gl006_script import cached_script_tables
    from .glossary.cache import load_glossary_cached

    cache_dir = cfg.root / ".l10n-cache"
    glossary = load_glossary_cached(cfg.glossary, cache_dir)
    try:
        cached_script_tables(cache_dir)
    except Exception:  # noqa: BLE001 - GL006 builds its tables itself when the cache fails
        pass
    from .checks.base import MatcherCache
    matchers = MatcherCache(glossary)
    if warm:
        for loc in cfg.locales:          # the term index built here, once, before workers fork
            matchers.get(loc)
    return Gate(glossary, _LEVELS[cfg.gate], tuple(cfg.select), tuple(cfg.ignore), matchers)


def compile_gated(po: "polib.POFile", rel: str, locale: str, gate: Gate | None, *,
                  use_fuzzy: bool = False) -> "tuple[cat.CompileResult, tuple[HeldBack, ...]]":
    """A catalog compiled with what the gate holds back left out: every compile goes through here."""
    held = gate.held_back(po, rel, locale, use_fuzzy=use_fuzzy) if gate is not None else ()
    return cat.compile_catalog(po, rel, use_fuzzy=use_fuzzy, withhold=withheld(held)), held


def withheld(held: tuple[HeldBack, ...]) -> frozenset[tuple[str | None, str]]:
    """The (msgctxt, msgid) keys of the held-back units, for :func:`l10n.catalogs.compile_catalog`."""
    return frozenset((h.msgctxt, h.msgid) for h in held)
