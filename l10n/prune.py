"""Locales that are no longer in ``[tool.l10n.targets]``: what they left behind.

A target locale removed from the settings leaves ``<locales>/<locale>/`` (its catalogs
and .mo files) and ``<output>/<locale>/`` (its pages). The pipeline no longer reads,
compiles or checks them; :func:`stale_locales` finds them so that ``l10n build`` can
report them, and :func:`prune` removes them (``l10n build --prune``).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .config import Config

__all__ = ["StaleLocale", "stale_locales", "prune"]

_LOCALE_NAME = re.compile(r"^[a-z]{2,3}(_[A-Z][a-z]{3})?(_[A-Z]{2}|_\d{3})?$")


@dataclass(frozen=True)
class StaleLocale:
    locale: str
    catalogs: tuple[Path, ...]        # <locales>/<locale>/LC_MESSAGES/*.po
    mo_files: tuple[Path, ...]        # <locales>/<locale>/LC_MESSAGES/*.mo
    folders: tuple[Path, ...]         # <locales>/<locale>/ and <output>/<locale>/, those that exist

    def describe(self, cfg: Config) -> str:
        where = " and ".join(f"{cfg.rel(f)}/" for f in self.folders)
        return (f"locale {self.locale} is no longer a target: {len(self.catalogs)} catalog(s), "
                f"{len(self.mo_files)} .mo file(s) in {where}")


def _is_locale_folder(p: Path) -> bool:
    return p.is_dir() and not p.is_symlink() and bool(_LOCALE_NAME.match(p.name))


def stale_locales(cfg: Config) -> list[StaleLocale]:
    """Every locale folder under the locales and output folders that the settings no longer name.

    Only folders named like a locale (``fr``, ``zh_HK``) are considered; under the locales
    folder, only those with an ``LC_MESSAGES`` folder (``templates/`` never is one).
    """
    keep = set(cfg.locales)
    found: dict[str, list[Path]] = {}
    if cfg.locales_dir.is_dir():
        for d in sorted(cfg.locales_dir.iterdir()):
            if d.name not in keep and _is_locale_folder(d) and (d / "LC_MESSAGES").is_dir():
                found.setdefault(d.name, []).append(d)
    if cfg.output_dir.is_dir():
        for d in sorted(cfg.output_dir.iterdir()):
            if d.name not in keep and _is_locale_folder(d):
                found.setdefault(d.name, []).append(d)
    out = []
    for loc in sorted(found):
        lc = cfg.locales_dir / loc / "LC_MESSAGES"
        pos = tuple(sorted(lc.glob("*.po"))) if lc.is_dir() else ()
        mos = tuple(sorted(lc.glob("*.mo"))) if lc.is_dir() else ()
        out.append(StaleLocale(loc, pos, mos, tuple(found[loc])))
    return out


def prune(cfg: Config, stale: list[StaleLocale] | None = None) -> list[str]:
    """Remove the folders of ``stale`` (default: :func:`stale_locales`); returns them, relative.

    Each folder is first renamed out of the way in its parent, then deleted, so a run
    stopped half-way leaves either the whole folder or none of it under its own name.
    """
    import shutil           # here: every build looks for stale locales, few remove one
    removed = []
    for s in stale_locales(cfg) if stale is None else stale:
        for f in s.folders:
            gone = f.with_name(f".{f.name}.pruned-{os.getpid()}")
            os.replace(f, gone)
            shutil.rmtree(gone)
            removed.append(f"{cfg.rel(f)}/")
    return removed
