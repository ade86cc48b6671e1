"""Translation memory: TMX import/export, an SQLite store, and pre-translation by fuzzy match.

``l10n tm import FILE.tmx`` adds a TMX file's units to the project's memory
(``[tool.l10n.tm] memory``, default ``tm/memory.sqlite``); ``l10n tm export`` writes the
memory and every translated catalog entry as TMX 1.4b; ``l10n update`` pre-translates
what is still empty (:mod:`l10n.tm.pretranslate`), and ``l10n build`` the entries its merges
add, through the same code (:mod:`l10n.tm.fill`).
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .model import Match, TMUnit
from .fill import TMSettings, tm_settings
from .pretranslate import Pretranslated, catalog_units, pretranslate
from .store import TranslationMemory

if TYPE_CHECKING:
    from ..config import Config
    from .tmx import TMXRead, read_tmx, write_tmx

__all__ = ["TMUnit", "Match", "TranslationMemory", "read_tmx", "write_tmx", "TMXRead", "pretranslate",
           "Pretranslated", "TMSettings", "tm_settings", "catalog_units", "ImportResult", "import_tmx",
           "export_units", "export_tmx"]

# the TMX reader and writer, imported when first asked for (PEP 562): the build, which uses this
# package for its settings and pre-translation, does not load the XML parser (nor, until a match is
# looked for, rapidfuzz: l10n.tm.fill)
TMX_NAMES = ("TMXRead", "read_tmx", "write_tmx")


def __getattr__(name: str) -> Any:
    if name in TMX_NAMES:
        return getattr(import_module(".tmx", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class ImportResult:
    read: int          # translation pairs read from the file
    added: int         # new in the memory
    skipped: int       # in languages the project does not have
    total: int         # units in the memory now
    memory: str        # the memory file, relative to the project


def import_tmx(cfg: Config, source: str | Path) -> ImportResult:
    """Add the units of the TMX file ``source`` to the project's memory (nothing is written if
    the file cannot be read)."""
    from ..errors import MemoryFileError
    from .tmx import read_tmx
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise MemoryFileError(f"cannot read: {e.strerror}", str(source)) from None
    got = read_tmx(data, str(source), locales=cfg.locales)
    settings = tm_settings(cfg)
    units = [TMUnit(u.srclang, u.tgtlang, u.source, u.target, u.context, path.name, u.note) for u in got.units]
    with TranslationMemory(settings.memory) as mem:
        added = mem.add(units)
        total = len(mem)
    return ImportResult(len(units), added, got.skipped, total, cfg.rel(settings.memory))


def export_units(cfg: Config, locales: Sequence[str] | None = None) -> list[TMUnit]:
    """Every translated, non-fuzzy catalog entry of ``locales`` and every memory unit, each once
    (the catalogs first, sorted), origin cleared: what a TMX export holds."""
    from .. import catalogs as cat
    from ..project import iter_catalog_paths
    seen: set[tuple] = set()
    out: list[TMUnit] = []

    def add(u: TMUnit) -> None:
        key = (u.srclang, u.tgtlang, u.source, u.context, u.target)
        if key not in seen and u.srclang and u.srclang != u.tgtlang:
            seen.add(key)
            out.append(TMUnit(u.srclang, u.tgtlang, u.source, u.target, u.context, "", u.note))

    for p in iter_catalog_paths(cfg, locales):
        po = cat.read_catalog(str(p), name=cfg.rel(p))
        loc = p.parent.parent.name
        for u in catalog_units(po, cat.source_locale_of(po) or "", loc, cfg.rel(p)):
            add(u)
    with TranslationMemory(tm_settings(cfg).memory) as mem:
        for u in mem.units():
            if not locales or u.tgtlang in locales:
                add(u)
    return out


def export_tmx(cfg: Config, locales: Sequence[str] | None = None) -> tuple[bytes, int]:
    """The project's memory as TMX 1.4b bytes, and how many units it holds."""
    from .tmx import write_tmx
    units = export_units(cfg, locales)
    return write_tmx(units), len(units)
