"""The site's furniture around rendered pages: lang, alternates, switcher, assets."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .fsutil import write_if_changed
from .html.render import Chrome
from .html.walker import esc_attr, esc_text
from .locales import bcp47, display_name

if TYPE_CHECKING:
    from .config import Config
    from .project import Page, PageStat

__all__ = ["chrome_for", "write_site_extras", "page_url"]

LANGUAGE_LABEL = {"en": "Language", "zh_TW": "語言", "zh_CN": "语言"}


def page_url(cfg: "Config", page: "Page", locale: str) -> str:
    """The page's path inside the site, posix: ``zh_TW/qa/x.html``."""
    rel = Path(page.rel).relative_to(cfg.rel(cfg.source_dir))
    return (Path(locale) / rel).as_posix()


def _href(cfg: "Config", from_url: str, to_url: str) -> str:
    if cfg.base_url:
        return f"{cfg.base_url}/{to_url}"
    return os.path.relpath(to_url, os.path.dirname(from_url) or ".").replace(os.sep, "/")


def chrome_for(cfg: "Config", page: "Page", locale: str, published: set[tuple[str, str]]) -> Chrome:
    here = page_url(cfg, page, locale)
    versions = [loc for loc in cfg.locales if (page.rel, loc) in published]
    head = []
    for loc in versions:
        head.append(f'<link rel="alternate" hreflang="{bcp47(loc)}" '
                    f'href="{esc_attr(_href(cfg, here, page_url(cfg, page, loc)))}">')
    head.append(f'<link rel="alternate" hreflang="x-default" '
                f'href="{esc_attr(_href(cfg, here, page_url(cfg, page, page.locale)))}">')
    links = []
    for loc in versions:
        name = esc_text(display_name(loc))
        if loc == locale:
            links.append(f'<a aria-current="page" hreflang="{bcp47(loc)}" lang="{bcp47(loc)}" '
                         f'href="{esc_attr(os.path.basename(here))}">{name}</a>')
        else:
            links.append(f'<a hreflang="{bcp47(loc)}" lang="{bcp47(loc)}" '
                         f'href="{esc_attr(_href(cfg, here, page_url(cfg, page, loc)))}">{name}</a>')
    label = esc_attr(LANGUAGE_LABEL.get(locale, "Language"))
    body = f'\n<nav class="l10n-switcher" aria-label="{label}">' + " ".join(links) + "</nav>"
    return Chrome(lang=bcp47(locale), head="".join("\n" + h for h in head) + "\n", body=body)


def _assets(cfg: "Config") -> Iterable[Path]:
    for p in sorted(cfg.source_dir.rglob("*")):
        if p.is_file() and p.suffix.lower() != ".html" and not p.name.startswith("."):
            yield p


def write_site_extras(cfg: "Config", pages: list["Page"], stats: list["PageStat"]) -> int:
    """Copy assets into every locale folder. Returns the number of files written."""
    n = 0
    for asset in _assets(cfg):
        rel = asset.relative_to(cfg.source_dir)
        data = asset.read_bytes()
        for loc in cfg.locales:
            if write_if_changed(cfg.output_dir / loc / rel, data):
                n += 1
    return n
