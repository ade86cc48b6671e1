"""The site around the rendered pages: what a reader uses to find and switch languages.

* every page gets ``<html lang>``, ``<link rel="alternate" hreflang>`` for each
  published version plus ``x-default`` (the source-language version), a language
  switcher, a link to its locale's index, a viewport meta when the page lacks
  one, and ``l10n.css`` (a CJK-friendly font stack and the switcher's style);
* a link to a page that is *not* published in the reader's locale (below the
  threshold) is pointed at that page's source-language version;
* ``<output>/<locale>/index.html`` lists every page of the locale with its
  title in that language and its completeness, and the pages held back;
* ``<output>/index.html`` picks the language; it never redirects (no
  Accept-Language guess), and names a default;
* ``<output>/sitemap.xml`` lists every published version with
  ``xhtml:link`` alternates.

Links between pages are relative, so a reader stays in their locale and the
site works from any folder or host. With ``base_url`` set, hreflang alternates
and the sitemap use absolute URLs (search engines want them); without it they
are relative to the page (alternates) or to the site root (sitemap).

Pure functions: data in, HTML out; no file is read or written here (:mod:`l10n.build.sitefiles` writes
them). All output is deterministic.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Sequence
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from ..html.render import Chrome
from ..html.skeleton import HeadSlot
from ..html.walker import esc_attr, esc_text
from ..locales import bcp47, display_name
from ..markup import tokenize

if TYPE_CHECKING:
    from ..config import Config
    from ..pages import Page

__all__ = ["chrome_for", "source_locales", "head_tags", "page_url", "page_title", "index_html", "index_line",
           "index_page", "index_frame", "root_html", "sitemap_xml", "sitemap_groups", "SITE_CSS", "CSS_TEXT", "UI", "stylesheets_of"]

SITE_CSS = "l10n.css"           # written at the root of the output folder
# A page without an icon makes browsers fetch /favicon.ico (a 404 in the console); an
# empty data: icon stops that without a file or a request.
NO_ICON = '<link rel="icon" href="data:,">'

# The few words of the site's own furniture, per locale (English for the others).
UI: dict[str, dict[str, str]] = {
    "en": {
        "language": "Language",
        "home": "All pages",
        "index_title": "All pages",
        "translated": "translated",
        "held_back": "Not yet published",
        "held_back_note": "Less than {threshold}% of these pages is translated. "
                          "Read them in their original language:",
        "choose": "Choose a language",
        "default": "Continue in English",
        "pages": "{n} pages",
        "pages_one": "{n} page",
    },
    "zh_TW": {
        "language": "語言",
        "home": "所有頁面",
        "index_title": "所有頁面",
        "translated": "已翻譯",
        "held_back": "尚未發布",
        "held_back_note": "以下頁面的翻譯進度未達 {threshold}%，請先閱讀原文：",
        "choose": "選擇語言",
        "default": "以繁體中文繼續",
        "pages": "共 {n} 頁",
    },
    "zh_CN": {
        "language": "语言",
        "home": "所有页面",
        "index_title": "所有页面",
        "translated": "已翻译",
        "held_back": "尚未发布",
        "held_back_note": "以下页面的翻译进度未达 {threshold}%，请先阅读原文：",
        "choose": "选择语言",
        "default": "以简体中文继续",
        "pages": "共 {n} 页",
    },
}


def _ui_text(locale: str, key: str, **kw: object) -> str:
    table = UI.get(locale) or UI["en"]
    if kw.get("n") == 1 and f"{key}_one" in table:
        key = f"{key}_one"
    return table[key].format(**kw)


def _ui(locale: str, key: str, **kw: object) -> str:
    """A UI string as HTML; wrapped in ``<span lang="en">`` when the locale has none."""
    text = esc_text(_ui_text(locale, key, **kw))
    return text if locale in UI else f'<span lang="en">{text}</span>'


# -- urls ------------------------------------------------------------------------

def source_rel(cfg: "Config", page: "Page") -> str:
    """The page's path inside the source folder, posix: ``qa/x.html``."""
    src = _src_rel(cfg.root, cfg.source_dir)
    if page.rel.startswith(src + "/") and not any(x in page.rel for x in ("/./", "/../", "//")):
        return page.rel[len(src) + 1:]          # what relative_to gives, without building Paths
    return Path(page.rel).relative_to(src).as_posix()


_SRC_REL: dict[tuple[Path, Path], str] = {}


def _src_rel(root: Path, source_dir: Path) -> str:
    """cfg.rel(cfg.source_dir), resolved once (it resolves the path every time)."""
    key = (root, source_dir)
    v = _SRC_REL.get(key)
    if v is None:
        try:
            v = Path(source_dir).resolve().relative_to(root).as_posix()
        except ValueError:
            v = str(source_dir)
        _SRC_REL[key] = v
    return v


def page_url(cfg: "Config", page: "Page", locale: str) -> str:
    """The page's path inside the site, posix: ``zh_TW/qa/x.html``."""
    return f"{locale}/{source_rel(cfg, page)}"


def _rel(from_url: str, to_url: str) -> str:
    """A relative, percent-encoded link from one site path to another."""
    start = posixpath.dirname(from_url) or "."
    d, name = posixpath.split(to_url)
    if name in ("", ".", "..") or name in start.split("/"):
        r = posixpath.relpath(to_url, start)
    else:                                   # the folder part is shared by many links: computed once
        rd = _relpath_dir(d or ".", start)
        r = name if rd == "." else f"{rd}/{name}"
    return quote(r, safe="/")


@lru_cache(maxsize=65536)
def _relpath_dir(d: str, start: str) -> str:
    return posixpath.relpath(d, start)


def _abs(cfg: "Config", from_url: str, to_url: str) -> str:
    """Absolute with base_url (hreflang, sitemap), else relative."""
    if cfg.base_url:
        return f"{cfg.base_url}/{quote(to_url, safe='/')}"
    return _rel(from_url, to_url)


# -- per page -----------------------------------------------------------------------

def source_locales(pages: Sequence["Page"]) -> dict[str, str]:
    """page rel -> its source locale: what :func:`chrome_for` needs to know of the other pages."""
    return {p.rel: p.locale for p in pages}


def link_rewriter(cfg: "Config", page: "Page", locale: str, published: set[tuple[str, str]],
                  sources: dict[str, str]) -> Callable[[str], str]:
    """``<a href>`` value -> the value to write in ``locale``'s copy of ``page``.

    A relative link to another page of the site that is not published in
    ``locale`` is pointed at that page's source-language version; every other
    link (published pages, assets, anchors, absolute URLs) is kept as written.
    """
    here = page_url(cfg, page, locale)
    page_dir = posixpath.dirname(page.rel)

    def rewrite(href: str) -> str:
        link = _link_target(page_dir, href)
        if link is None:
            return href
        target, query, fragment = link
        src = sources.get(target)
        if src is None or (target, locale) in published:
            return href
        src_rel = _relpath_dir(target, _src_rel(cfg.root, cfg.source_dir))
        new_path = _rel(here, f"{src}/{src_rel}")
        return urlunsplit(("", "", new_path, query, fragment))

    return rewrite


@lru_cache(maxsize=65536)
def _link_target(page_dir: str, href: str) -> tuple[str, str, str] | None:
    """A relative link's target path from the page's folder (with its query and fragment);
    None for an absolute URL, a path from the root, or an anchor alone. Pages of one folder
    share their links, and each page is rendered in several locales: computed once."""
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    return posixpath.normpath(posixpath.join(page_dir, unquote(parts.path))), parts.query, parts.fragment


def chrome_for(cfg: "Config", page: "Page", locale: str, published: set[tuple[str, str]],
               sources: Mapping[str, str], *, tags: tuple[bool, bool] | None = None) -> Chrome:
    """lang, alternates, switcher and link rewriting for ``locale``'s copy of ``page``.

    ``published`` holds ``(page.rel, locale)`` for every page version that is
    written; ``sources`` (:func:`source_locales` of every page) each page's source locale;
    ``tags``: :func:`head_tags` of the page (a caller rendering many locales computes it once).
    """
    here = page_url(cfg, page, locale)
    versions = [loc for loc in cfg.locales if (page.rel, loc) in published]
    head = []
    has_viewport, has_icon = head_tags(page.skeleton.chunks) if tags is None else tags
    if not has_viewport:
        head.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    if not has_icon:
        head.append(NO_ICON)
    for loc in versions:
        head.append(f'<link rel="alternate" hreflang="{bcp47(loc)}" '
                    f'href="{esc_attr(_abs(cfg, here, page_url(cfg, page, loc)))}">')
    head.append(f'<link rel="alternate" hreflang="x-default" '
                f'href="{esc_attr(_abs(cfg, here, page_url(cfg, page, page.locale)))}">')
    head.append(f'<link rel="stylesheet" href="{esc_attr(_rel(here, SITE_CSS))}">')
    body = "\n" + _switcher(locale, versions, lambda loc: _rel(here, page_url(cfg, page, loc)),
                            _rel(here, f"{locale}/index.html"))
    return Chrome(lang=bcp47(locale), head="".join("\n" + h for h in head) + "\n", body=body,
                  rewrite_href=link_rewriter(cfg, page, locale, published, sources))


def head_tags(chunks: Sequence) -> tuple[bool, bool]:
    """Whether the page's own ``<head>`` (its markup before the head slot; the walker writes
    attributes as k="v") has a viewport meta and an icon link."""
    head = []
    for c in chunks:
        if isinstance(c, str):
            head.append(c)
        elif isinstance(c, HeadSlot):
            break
    ans = (any('name="viewport"' in c for c in head),
           any('rel="icon"' in c or 'rel="shortcut icon"' in c for c in head))
    return ans


def _switcher(locale: str, versions: Sequence[str], href: Callable[[str], str], home: str | None) -> str:
    """``<nav class="l10n-switcher">``: the index of this locale, then every version."""
    items = []
    for loc in versions:
        tag, name = bcp47(loc), esc_text(display_name(loc))
        cur = ' aria-current="page"' if loc == locale else ""
        items.append(f'<li><a{cur} hreflang="{tag}" lang="{tag}" href="{esc_attr(href(loc))}">{name}</a></li>')
    label = esc_attr(_ui_text(locale, "language"))
    home_html = f'<a class="l10n-home" href="{esc_attr(home)}">{_ui(locale, "home")}</a>' if home else ""
    return (f'<nav class="l10n-switcher" aria-label="{label}">{home_html}'
            f'<ul>{"".join(items)}</ul></nav>')


# -- titles ------------------------------------------------------------------------

def _plain(msg: str) -> str:
    """A unit's text without its placeholder tags."""
    return "".join(t.value for t in tokenize(msg) if t.kind == "text")


def page_title(cfg: "Config", page: "Page", locale: str,
               table: dict[tuple[str | None, str], str] | None = None) -> tuple[str, bool]:
    """The page's ``<title>`` in ``locale`` and whether it is translated.

    The title unit (the segment whose place is ``title``) looked up in the
    locale's compiled catalog; the source title when untranslated; the file
    name when the page has no title.
    """
    seg = next((s for s in page.skeleton.segments if s.place == "title"), None)
    if seg is None:
        return source_rel(cfg, page), True
    if locale == page.locale:
        return _plain(seg.msgid), True
    t = (table or {}).get((seg.msgctxt, seg.msgid))
    return (_plain(t), True) if t else (_plain(seg.msgid), False)


# -- generated pages ----------------------------------------------------------------

def stylesheets_of(cfg: "Config", assets: "Iterable[Path]") -> list[str]:
    """The source's own stylesheets among its assets (copied into every locale folder), relative to it."""
    return [p.relative_to(cfg.source_dir).as_posix() for p in assets if p.suffix.lower() == ".css"]


def _head(lang: str, title: str, here: str, css: Sequence[str], alternates: Sequence[tuple[str, str]]) -> str:
    lines = ["<!DOCTYPE html>", f'<html lang="{esc_attr(lang)}">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{esc_text(title)}</title>", NO_ICON]
    for c in css:
        lines.append(f'<link rel="stylesheet" href="{esc_attr(_rel(here, c))}">')
    lines.append(f'<link rel="stylesheet" href="{esc_attr(_rel(here, SITE_CSS))}">')
    for hreflang, href in alternates:
        lines.append(f'<link rel="alternate" hreflang="{esc_attr(hreflang)}" href="{esc_attr(href)}">')
    lines.append("</head>")
    return "\n".join(lines) + "\n"


def _bar(pct: float) -> str:
    n = int(pct)        # floor: 99.6% is not "100%"
    return (f'<span class="l10n-progress"><span class="l10n-bar" aria-hidden="true">'
            f'<span style="width:{n}%"></span></span> {n}%</span>')


@dataclass(frozen=True)
class IndexEntry:
    """One page on a locale's index."""

    output: str                 # site path of this version: zh_TW/qa/x.html
    title: str                  # in the locale, or the source title when untranslated
    title_lang: str | None      # BCP 47 of the title when it is not in the locale
    percent: float
    published: bool
    source_output: str          # site path of the source-language version
    source_lang: str            # BCP 47 of the source language


def index_line(locale: str, e: IndexEntry) -> str:
    """One page's ``<li>`` on ``locale``'s index: a link to the version when it is published,
    else (in the held-back list) to the source version. Depends on nothing else, so a build
    keeps each page's line and joins them (:func:`index_page`)."""
    here = f"{locale}/index.html"
    if e.published:
        tl = f' lang="{esc_attr(e.title_lang)}"' if e.title_lang else ""
        return (f'<li><a href="{esc_attr(_rel(here, e.output))}"{tl}>{esc_text(e.title)}</a> '
                f'<span class="l10n-path">{esc_text(_tail(e.output))}</span> '
                f'{_bar(e.percent)} <span class="l10n-word">{_ui(locale, "translated")}</span></li>\n')
    lang = esc_attr(e.source_lang)
    return (f'<li data-held-back="{esc_attr(e.output)}">'
            f'<a href="{esc_attr(_rel(here, e.source_output))}" hreflang="{lang}" lang="{lang}">'
            f'{esc_text(e.title)}</a> '
            f'<span class="l10n-path">{esc_text(_tail(e.output))}</span> '
            f'{_bar(e.percent)} <span class="l10n-word">{_ui(locale, "translated")}</span></li>\n')


def index_frame(cfg: "Config", locale: str, shown: int, held: int, locales: Sequence[str], *,
                stylesheets: Sequence[str] | None = None) -> tuple[str, str, str]:
    """``<locale>/index.html`` but for its lines: (what comes before the ``shown`` published
    pages' lines, what comes between them and the ``held`` ones, what comes after).
    ``stylesheets``: :func:`stylesheets_of` the source's assets."""
    here = f"{locale}/index.html"
    lang = bcp47(locale)
    alternates = [(bcp47(lo), _abs(cfg, here, f"{lo}/index.html")) for lo in locales]
    alternates.append(("x-default", _abs(cfg, here, "index.html")))
    css = [f"{locale}/{c}" for c in (stylesheets or ())]
    title = f"{_ui_text(locale, 'index_title')} · {display_name(locale)}"
    out = [_head(lang, title, here, css, alternates), "<body>\n"]
    out.append(_switcher(locale, locales, lambda lo: _rel(here, f"{lo}/index.html"), _rel(here, "index.html"))
               .replace('class="l10n-home"', 'class="l10n-home" hreflang="mul"', 1) + "\n")
    out.append('<main class="l10n-index">\n')
    out.append(f"<h1>{_ui(locale, 'index_title')}</h1>\n")
    out.append(f'<p class="l10n-count">{_ui(locale, "pages", n=shown)}</p>\n')
    out.append('<ul class="l10n-pages">\n')
    middle = ["</ul>\n"]
    end = ""
    if held:
        middle.append(f'<section class="l10n-held-back">\n<h2>{_ui(locale, "held_back")}</h2>\n')
        middle.append(f"<p>{_ui(locale, 'held_back_note', threshold=f'{cfg.threshold:g}')}</p>\n"
                      '<ul class="l10n-pages">\n')
        end = "</ul>\n</section>\n"
    return "".join(out), "".join(middle), end + "</main>\n</body>\n</html>\n"


def index_page(cfg: "Config", locale: str, shown: Sequence[str], held: Sequence[str], locales: Sequence[str],
               *, stylesheets: Sequence[str] | None = None) -> str:
    """``<locale>/index.html`` around its lines (:func:`index_line`): the published pages,
    then the ones held back."""
    head, middle, tail = index_frame(cfg, locale, len(shown), len(held), locales, stylesheets=stylesheets)
    return "".join([head, *shown, middle, *held, tail])


def index_html(cfg: "Config", locale: str, entries: Sequence[IndexEntry], locales: Sequence[str], *,
               stylesheets: Sequence[str] | None = None) -> str:
    """``<locale>/index.html``: the published pages, then the ones held back."""
    return index_page(cfg, locale, [index_line(locale, e) for e in entries if e.published],
                      [index_line(locale, e) for e in entries if not e.published], locales, stylesheets=stylesheets)


def _tail(output: str) -> str:
    return output.split("/", 1)[1] if "/" in output else output


def root_html(cfg: "Config", locales: Sequence[str], counts: dict[str, int], default: str, *,
              stylesheets: Sequence[str] | None = None) -> str:
    """``index.html``: every language in its own name; the default first and marked."""
    here = "index.html"
    alternates = [(bcp47(lo), _abs(cfg, here, f"{lo}/index.html")) for lo in locales]
    alternates.append(("x-default", _abs(cfg, here, "index.html")))
    seen: list[str] = []
    for lo in locales:
        t = _ui_text(lo, "choose")
        if t not in seen:
            seen.append(t)
    css = [f"{default}/{c}" for c in (stylesheets or ())]  # in every locale
    out = [_head(bcp47(default), " · ".join(seen), here, css, alternates), "<body>\n"]
    out.append('<main class="l10n-root">\n<h1>')
    shown: list[str] = []
    parts = []
    for lo in locales:
        t = _ui_text(lo, "choose")
        if t in shown:
            continue
        shown.append(t)
        lang = bcp47(lo) if lo in UI else "en"
        parts.append(f'<span lang="{lang}">{esc_text(t)}</span>')
    out.append(" · ".join(parts) + "</h1>\n")
    d = bcp47(default)
    out.append(f'<p class="l10n-default"><a href="{esc_attr(_rel(here, f"{default}/index.html"))}" '
               f'hreflang="{d}" lang="{d}" data-default="true">{_ui(default, "default")}</a></p>\n')
    out.append('<ul class="l10n-languages">\n')
    for lo in locales:
        tag = bcp47(lo)
        out.append(f'<li><a href="{esc_attr(_rel(here, f"{lo}/index.html"))}" hreflang="{tag}" lang="{tag}">'
                   f'{esc_text(display_name(lo))}</a> <span class="l10n-count" lang="{tag if lo in UI else "en"}">'
                   f'{esc_text(_ui_text(lo, "pages", n=counts.get(lo, 0)))}</span></li>\n')
    out.append("</ul>\n</main>\n</body>\n</html>\n")
    return "".join(out)


def default_locale(cfg: "Config") -> str:
    """The language the root index offers first (the first source language)."""
    return cfg.source_locales[0] if cfg.source_locales else list(cfg.locales)[0]


def _xml(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _site_url(cfg: "Config", path: str) -> str:
    """A sitemap URL: absolute with base_url, else relative to the site root."""
    q = quote(path, safe="/")
    return f"{cfg.base_url}/{q}" if cfg.base_url else q


def sitemap_xml(cfg: "Config", groups: Sequence[tuple[Sequence[tuple[str, str]], str]]) -> str:
    """A sitemap: one ``<url>`` per published version, each listing every version.

    ``groups``: ([(locale, site path)], x-default site path) per page.
    """
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for versions, default in groups:
        alts = [f'    <xhtml:link rel="alternate" hreflang="{bcp47(lo)}" href="{_xml(_site_url(cfg, p))}"/>'
                for lo, p in versions]
        alts.append(f'    <xhtml:link rel="alternate" hreflang="x-default" href="{_xml(_site_url(cfg, default))}"/>')
        for _lo, p in versions:
            out.append("  <url>")
            out.append(f"    <loc>{_xml(_site_url(cfg, p))}</loc>")
            out.extend(alts)
            out.append("  </url>")
    out.append("</urlset>")
    return "\n".join(out) + "\n"


def sitemap_groups(locales: Sequence[str], rows: Iterable[tuple[str, str, bool, str]],
                   source_out: dict[str, str]) -> list[tuple[list[tuple[str, str]], str]]:
    """:func:`sitemap_xml`'s groups: the locale indexes, then each page (by path) with its
    published versions (in the order of ``locales``). ``rows``: (page, locale, published,
    site path) of every version; ``source_out``: page -> site path of its source version."""
    groups: list[tuple[list[tuple[str, str]], str]] = [
        ([(lo, f"{lo}/index.html") for lo in locales], "index.html")]
    per_page: dict[str, list[tuple[str, str]]] = {}
    for page, loc, published, output in rows:
        if published:
            per_page.setdefault(page, []).append((loc, output))
    order = {lo: i for i, lo in enumerate(locales)}
    for rel in sorted(per_page):
        versions = sorted(per_page[rel], key=lambda v: order.get(v[0], len(order)))
        groups.append((versions, source_out.get(rel) or versions[0][1]))
    return groups


CSS_TEXT = """\
/* Written by l10n: the localized site's own furniture. Loaded after the pages' stylesheets. */
:root {
  --l10n-latin: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial;
  --l10n-hant: "Noto Sans CJK TC", "Noto Sans TC", "Source Han Sans TC", "PingFang TC",
    "Microsoft JhengHei", "Heiti TC", "Noto Sans CJK HK";
  --l10n-hans: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC",
    "Microsoft YaHei", "Heiti SC";
  /* the source stylesheet's stacks, with the names Linux distributions install */
  --font-sans: var(--l10n-latin), var(--l10n-hant), var(--l10n-hans), sans-serif;
  --font-sans-hans: var(--l10n-latin), var(--l10n-hans), var(--l10n-hant), sans-serif;
}
:root:lang(zh-Hans), :root:lang(zh-CN), :root:lang(zh-SG) {
  --font-sans: var(--l10n-latin), var(--l10n-hans), var(--l10n-hant), sans-serif;
}
body { font-family: var(--l10n-latin), var(--l10n-hant), var(--l10n-hans), sans-serif; }
html:lang(zh-Hans) body, html:lang(zh-CN) body {
  font-family: var(--l10n-latin), var(--l10n-hans), var(--l10n-hant), sans-serif;
}
:where(:lang(zh-Hant), :lang(zh-TW), :lang(zh-HK)) {
  font-family: var(--l10n-latin), var(--l10n-hant), var(--l10n-hans), sans-serif;
}
:where(:lang(zh-Hans), :lang(zh-CN), :lang(zh-SG)) {
  font-family: var(--l10n-latin), var(--l10n-hans), var(--l10n-hant), sans-serif;
}
:where(code, kbd, samp, pre) { font-family: ui-monospace, "DejaVu Sans Mono", "Noto Sans Mono CJK TC", monospace; }

nav.l10n-switcher {
  display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 0.25rem 0.75rem;
  padding: 0.4rem 1rem; font-size: 0.875rem; background: #f6f8fa; border-bottom: 1px solid #d8dee4;
}
nav.l10n-switcher ul { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; margin: 0 0 0 auto; padding: 0; list-style: none; }
nav.l10n-switcher a { text-decoration: none; }
nav.l10n-switcher a[aria-current] { font-weight: 700; color: inherit; }

.l10n-index, .l10n-root {
  max-width: 46rem; margin: 0 auto; padding: 0 1rem 2rem; overflow-wrap: anywhere;
}
.l10n-pages, .l10n-languages { list-style: none; padding: 0; }
.l10n-pages li { padding: 0.5rem 0; border-bottom: 1px solid #d8dee4; }
.l10n-pages a { font-weight: 600; }
.l10n-path { display: block; font-size: 0.8rem; color: #59636e; }
.l10n-progress { font-size: 0.85rem; color: #59636e; white-space: nowrap; }
.l10n-word { font-size: 0.85rem; color: #59636e; }
.l10n-bar {
  display: inline-block; vertical-align: middle; width: 6rem; height: 0.5rem;
  background: #d8dee4; border-radius: 0.25rem; overflow: hidden;
}
.l10n-bar > span { display: block; height: 100%; background: #1a7f37; }
.l10n-held-back .l10n-bar > span { background: #bf8700; }
.l10n-languages li { margin: 0.75rem 0; font-size: 1.25rem; }
.l10n-default a { font-weight: 700; }
"""
