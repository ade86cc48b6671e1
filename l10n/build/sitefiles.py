"""The files of the site around the rendered pages, written: the source's assets in every locale
folder, ``l10n.css``, the locale indexes, the language picker and ``sitemap.xml`` (their HTML comes
from the pure functions of :mod:`l10n.site`) (one job)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping

from .. import catalogs as cat
from ..fsutil import write_if_changed
from ..locales import bcp47
from ..templating import templates_for
from ..site import (SITE_CSS, IndexEntry, default_locale, index_line, index_page, page_title, page_url,
                    root_html, sitemap_groups, sitemap_xml, stylesheets_of)

if TYPE_CHECKING:
    from ..config import Config
    from ..pages import Page
    from .report import PageStat

__all__ = ["asset_paths", "write_assets", "write_site_extras", "index_entry"]


def asset_paths(cfg: "Config") -> Iterable[Path]:
    """Every file of the source folder that is not a page (nor hidden): the site's assets."""
    # sorted(source_dir.rglob("*")) filtered, without a Path and a stat for every page:
    # os.walk, like rglob, does not descend into symlinked folders
    found = []
    for d, dirs, files in os.walk(cfg.source_dir):
        for name in dirs + files:
            if name.startswith(".") or name.lower().endswith(".html"):
                continue
            p = os.path.join(d, name)
            if os.path.isfile(p):
                found.append(Path(p))
    yield from sorted(found)


def write_assets(cfg: "Config", assets: "Iterable[Path] | None" = None) -> int:
    """The source's assets into every locale folder, and ``l10n.css``: files written."""
    n = 0
    out = cfg.output_dir
    for asset in (asset_paths(cfg) if assets is None else assets):
        rel = asset.relative_to(cfg.source_dir)
        data = asset.read_bytes()
        for loc in cfg.locales:
            if write_if_changed(out / loc / rel, data, durable=False):
                n += 1
    n += write_if_changed(out / SITE_CSS, templates_for(cfg).source(SITE_CSS), durable=False)
    return n


def index_entry(cfg: "Config", pg: "Page", st: "PageStat", source_out: "dict[str, str]", *,
                titles: "Callable[[Page, str], tuple[str, bool]] | None" = None,
                tables: "dict[tuple[str, str], dict] | None" = None) -> IndexEntry:
    """Page version ``st`` (of page ``pg``) as its locale's index lists it. ``source_out``: page ->
    site path of its source version; ``titles``: :func:`~l10n.site.page_title`'s answers, cached
    by the caller (else found, with the compiled catalogs read into ``tables``)."""
    loc = st.locale
    src_lang = bcp47(pg.locale)
    if titles is not None:                  # page_title's answers, cached by the caller
        title, ok = titles(pg, loc) if st.published else (titles(pg, pg.locale)[0], False)
    elif st.published:
        tables = {} if tables is None else tables
        if loc != pg.locale and (loc, pg.domain) not in tables:
            tables[(loc, pg.domain)] = cat.mo_table(cfg, loc, pg.domain)
        title, ok = page_title(cfg, pg, loc, tables.get((loc, pg.domain)))
    else:                                   # listed as its source version
        title, ok = page_title(cfg, pg, pg.locale)[0], False
    src_out = source_out.get(st.page)
    if src_out is None:                     # (not a default of get(): 30,000 calls for nothing)
        src_out = page_url(cfg, pg, pg.locale)
    return IndexEntry(st.output, title, None if ok else src_lang, st.percent, st.published, src_out, src_lang)


def write_site_extras(cfg: "Config", pages: list["Page"], stats: list["PageStat"], *,
                      titles: "Callable[[Page, str], tuple[str, bool]] | None" = None,
                      lines: "dict[str, list[tuple[str, bool, str]]] | None" = None,
                      known: "Mapping[tuple[str, str], str] | None" = None) -> int:
    """Assets, ``l10n.css``, the locale indexes, the language picker and ``sitemap.xml``.

    Returns the number of files written (unchanged files are not rewritten). ``lines``, when
    given, receives each locale's index lines: ``{locale: [(site path, published, line)]}``
    in the index's order (what a build keeps to redo one line, not the whole index).
    ``known``: index lines made already (``{(page, locale): line}``, each
    ``index_line(locale, index_entry(...))`` of that version as ``stats`` has it).
    """
    out = cfg.output_dir
    assets = list(asset_paths(cfg))
    css = stylesheets_of(cfg, assets)
    n = write_assets(cfg, assets)

    by_rel = {p.rel: p for p in pages}
    locales = list(cfg.locales)
    # the source version of every page (always published: it is the page itself)
    source_out = {st.page: st.output for st in stats if by_rel.get(st.page) and st.locale == by_rel[st.page].locale}
    tables: dict[tuple[str, str], dict] = {}
    counts: dict[str, int] = {}
    known = known if known is not None else {}
    for loc in locales:
        li: list[tuple[str, bool, str]] = []
        for st in sorted((s for s in stats if s.locale == loc), key=lambda s: s.output):
            pg = by_rel.get(st.page)
            if pg is None:
                continue
            line = known.get((st.page, loc))
            if line is None:
                line = index_line(loc, index_entry(cfg, pg, st, source_out, titles=titles, tables=tables), cfg)
            li.append((st.output, st.published, line))
        counts[loc] = sum(1 for _o, published, _l in li if published)
        if lines is not None:
            lines[loc] = li
        n += write_if_changed(out / loc / "index.html",
                              index_page(cfg, loc, li, locales, stylesheets=css), durable=False)
    n += write_if_changed(out / "index.html", root_html(cfg, locales, counts, default_locale(cfg), stylesheets=css),
                          durable=False)
    groups = sitemap_groups(locales, ((st.page, st.locale, st.published, st.output) for st in stats), source_out)
    n += write_if_changed(out / "sitemap.xml", sitemap_xml(cfg, groups), durable=False)
    return n
