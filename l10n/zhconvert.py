"""``l10n convert`` over catalogs (zh_TW -> zh_CN), ``--refresh``, and ``l10n accept``.

Every entry ``convert`` fills carries a translator comment recording what it was
converted from and what it wrote, as short hashes of the two texts::

    # l10n-convert: zh_TW 3f2a9c01d4 -> 8be0c41a77

so a later run knows, without keeping any state elsewhere, whether the zh_TW text has
changed since (the first hash) and whether a reviewer has edited the result (the
second). ``--refresh`` converts again the entries whose zh_TW text changed and which
nobody edited; an edited one is kept and reported. ``l10n accept`` clears the fuzzy
mark of reviewed entries in bulk, like ``msgattrib --clear-fuzzy --clear-previous``
(Weblate's bulk edit from "Needs editing" to "Translated").
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import polib

from . import catalogs as cat
from .config import Config
from .errors import ConfigError

if TYPE_CHECKING:
    from .glossary.model import Glossary
from .fsutil import atomic_write

__all__ = ["ConvertResult", "convert_catalogs", "AcceptResult", "accept_fuzzy", "CONVERT_NOTE", "ORIGINS"]

CONVERT_NOTE = "l10n-convert:"
_NOTE = re.compile(r"^l10n-convert: (\w+) ([0-9a-f]{10}) -> ([0-9a-f]{10})$", re.M)
ORIGINS = ("all", "convert", "tm")


def _h(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def _convert_into(e: polib.POEntry, text: str, glossary: "Glossary", src: str, dst: str, accept: bool) -> None:
    """``e``'s msgstr converted from ``text`` (OpenCC, then the glossary's terms), the conversion
    noted in its translator comment, fuzzy unless ``accept``."""
    from .glossary.convert import convert_zh

    e.msgstr = convert_zh(text, glossary, src=src, dst=dst)
    _set_note(e, src, text, e.msgstr)
    if not accept and "fuzzy" not in e.flags:
        e.flags.append("fuzzy")


def _set_note(e: polib.POEntry, src: str, source_text: str, result: str) -> None:
    note = f"{CONVERT_NOTE} {src} {_h(source_text)} -> {_h(result)}"
    lines = [ln for ln in (e.tcomment or "").split("\n") if ln and not _NOTE.match(ln)]
    e.tcomment = "\n".join([*lines, note])


@dataclass(frozen=True)
class ConvertResult:
    path: str
    filled: int                          # empty entries filled
    refreshed: int = 0                   # converted again: their zh_TW text changed
    accepted: int = 0                    # earlier conversions, unedited, no longer fuzzy (--accept)
    kept: tuple[str, ...] = ()           # "file:line" of edited entries whose zh_TW text changed


def _check(cfg: Config, src: str, dst: str) -> None:
    for loc in (src, dst):
        if loc not in cfg.locales:
            raise ConfigError(f"locale {loc!r} is not a locale of this project (known: "
                              f"{', '.join(cfg.locales)})", cfg.rel(cfg.pyproject or cfg.root))


def convert_catalogs(cfg: Config, src: str, dst: str, *, accept: bool = False, refresh: bool = False,
                     glossary_path: str | None = None) -> list[ConvertResult]:
    """Fill missing ``dst`` translations from ``src`` with OpenCC, then the glossary's terms.

    For a page written in ``src`` the msgid itself is converted; otherwise the ``src``
    catalog's translation of the same msgid. Filled entries are fuzzy unless ``accept``;
    with ``accept``, earlier conversions still as converted lose their fuzzy mark too.
    With ``refresh``, earlier conversions whose ``src`` text changed are converted again,
    unless a reviewer edited them.
    """
    from .glossary import load_glossary

    _check(cfg, src, dst)
    gpath = Path(glossary_path) if glossary_path else cfg.glossary
    if gpath is None or not gpath.is_file():
        raise ConfigError("glossary file does not exist", str(gpath))
    glossary = load_glossary(gpath)
    from .project import iter_catalog_paths
    out = []
    for po_path in iter_catalog_paths(cfg, [dst]):
        rel = cfg.rel(po_path)
        po = cat.read_catalog(str(po_path), name=rel)
        page_lang = cat.source_locale_of(po)
        src_table: dict = {}
        if page_lang != src:
            other = cfg.po_path(src, po_path.stem)
            if not other.is_file():
                continue
            src_table = cat.translations(cat.read_catalog(str(other), name=cfg.rel(other)))
        filled = refreshed = accepted = 0
        kept_entries: list[polib.POEntry] = []
        for e in po:
            if e.obsolete or e.msgid_plural:
                continue
            text = e.msgid if page_lang == src else src_table.get((e.msgctxt, e.msgid))
            if not e.msgstr:
                if not text:
                    continue
                _convert_into(e, text, glossary, src, dst, accept)
                filled += 1
                continue
            m = _NOTE.search(e.tcomment or "")
            if m is None or m.group(1) != src:
                continue                              # not converted by us: a translator's own
            edited = _h(e.msgstr) != m.group(3)
            if refresh and text and _h(text) != m.group(2):
                if edited:
                    kept_entries.append(e)
                    continue
                _convert_into(e, text, glossary, src, dst, accept)
                refreshed += 1
            elif accept and not edited and "fuzzy" in e.flags:
                e.flags.remove("fuzzy")
                accepted += 1
        lines = {(e.msgctxt, e.msgid): e.linenum for e in kept_entries}
        if filled or refreshed or accepted:
            text_out = cat.po_text(po)
            atomic_write(po_path, text_out)
            if lines:                                  # line numbers in the file as written now
                lines = {(e.msgctxt, e.msgid): e.linenum for e in cat.parse_catalog(text_out, rel)
                         if (e.msgctxt, e.msgid) in lines}
        kept = tuple(f"{rel}:{lines[e.msgctxt, e.msgid]}" for e in kept_entries)
        out.append(ConvertResult(rel, filled, refreshed, accepted, kept))
    return out


@dataclass(frozen=True)
class AcceptResult:
    path: str
    accepted: int
    stats: cat.Stats


def _origin_of(e: polib.POEntry) -> str:
    tc = e.tcomment or ""
    if _NOTE.search(tc):
        return "convert"
    if re.search(r"^l10n-tm: ", tc, re.M):
        return "tm"
    return "other"


def accept_fuzzy(cfg: Config, locales: Sequence[str], *, domains: Sequence[str] = (),
                 origin: str = "all") -> list[AcceptResult]:
    """Clear the fuzzy mark (and the ``#|`` previous msgid) of every fuzzy, translated entry
    in the catalogs of ``locales`` (only ``domains`` when given; only entries filled by
    ``convert`` or the translation memory with ``origin``)."""
    from .project import iter_catalog_paths
    if origin not in ORIGINS:
        raise ConfigError(f"origin must be one of {', '.join(ORIGINS)}, not {origin!r}")
    unknown = [lo for lo in locales if lo not in cfg.locales]
    if unknown or not locales:
        raise ConfigError(f"give target locales of this project (known: {', '.join(cfg.locales)})"
                          + (f"; {unknown[0]!r} is not one" if unknown else ""),
                          cfg.rel(cfg.pyproject or cfg.root))
    paths = list(iter_catalog_paths(cfg, locales))
    if domains:
        missing = sorted(set(domains) - {p.stem for p in paths})
        if missing:
            raise ConfigError(f"no catalog of domain {missing[0]!r} in {', '.join(locales)}")
        paths = [p for p in paths if p.stem in domains]
    out = []
    for p in paths:
        po = cat.read_catalog(str(p), name=cfg.rel(p))
        n = 0
        for e in po:
            if e.obsolete or "fuzzy" not in e.flags:
                continue
            if not (any(e.msgstr_plural.values()) if e.msgid_plural else e.msgstr):
                continue
            if origin != "all" and _origin_of(e) != origin:
                continue
            e.flags.remove("fuzzy")
            e.previous_msgid = e.previous_msgid_plural = e.previous_msgctxt = None
            n += 1
        if n:
            atomic_write(p, cat.po_text(po))
        out.append(AcceptResult(cfg.rel(p), n, cat.stats(po)))
    return out
