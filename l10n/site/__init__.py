"""The site around the rendered pages: what a reader uses to find and switch languages.

* every page gets ``<html lang>``, ``<link rel="alternate" hreflang>`` for each
  published version plus ``x-default`` (the source-language version), a language
  switcher (each language named the way its readers write it: English, 繁體中文,
  简体中文), a link to its locale's index, a viewport meta when the page lacks
  one, and ``l10n.css`` (a CJK-friendly font stack and the switcher's style);
* a page partly shown in its source language says so at the top, in the reader's
  language ("Part of this page has not been translated yet and is shown in English.");
* a link to a page that is *not* published in the reader's locale (below the
  threshold) is pointed at that page's source-language version;
* ``<output>/<locale>/index.html`` lists the locale's pages for readers: by section
  (their folder, named per locale in ``[tool.l10n.sections]``), each by its title in
  that language; then the pages not yet translated, linked in their source language.
  No completeness figures: those are in ``l10n stats`` and the report;
* ``<output>/index.html`` picks the language; it never redirects (no
  Accept-Language guess), and names a default;
* ``<output>/sitemap.xml`` lists every published version with
  ``xhtml:link`` alternates.

Links between pages are relative, so a reader stays in their locale and the
site works from any folder or host. With ``base_url`` set, hreflang alternates
and the sitemap use absolute URLs (search engines want them); without it they
are relative to the page (alternates) or to the site root (sitemap).

The HTML comes from Jinja2 templates (``l10n/templates/``, see :mod:`l10n.templating`),
which a publisher can override from their project. All output is deterministic and written
by :mod:`l10n.build.sitefiles`. Pure functions: data in, HTML out; no file is read or written here.
"""
from __future__ import annotations

import posixpath
import re
from functools import lru_cache, partial
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, NamedTuple, Sequence
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from markupsafe import Markup

from ..html.render import Chrome
from ..html.skeleton import HeadSlot
from ..html.escape import esc_text
from ..locales import LanguageNames, bcp47, language_name, language_names, native_name
from ..markup import tokenize
from ..templating import Templates, templates_for

if TYPE_CHECKING:
    from ..config import Config
    from ..html.skeleton import Skeleton
    from ..model import Segment
    from ..pages import Page

__all__ = ["chrome_for", "chrome_html", "source_locales", "head_tags", "source_rel", "page_url", "page_title", "index_html",
           "index_line", "index_page", "root_html", "sitemap_xml", "sitemap_groups", "section_of", "section_name",
           "stylesheets_of", "default_locale", "title_unit", "SITE_CSS", "UI", "PageChrome", "Switcher", "Version",
           "Notice", "IndexLine", "IndexEntry"]

SITE_CSS = "l10n.css"           # written at the root of the output folder
# The few words of the site's own furniture, per locale (English for the others).
UI: dict[str, dict[str, str]] = {
    "en": {
        "language": "Language",
        "home": "All pages",
        "index_title": "All pages",
        "no_pages": "No pages have been published in this language yet.",
        "held_back": "Not yet translated",
        "held_back_note": "These pages can be read in their original language:",
        "in_language": "({language})",
        "partial": "Part of this page has not been translated yet and is shown in {language}.",
        "choose": "Choose a language",
        "default": "Continue in English",
        "pages": "{n} pages",
        "pages_one": "{n} page",
    },
    "zh_TW": {
        "language": "語言",
        "home": "所有頁面",
        "index_title": "所有頁面",
        "no_pages": "這個語言還沒有發布任何頁面。",
        "held_back": "尚未翻譯",
        "held_back_note": "以下頁面尚未翻譯，可先閱讀原文：",
        "in_language": "（{language}）",
        "partial": "本頁部分內容尚未翻譯，以{language}顯示。",
        "choose": "選擇語言",
        "default": "以繁體中文繼續",
        "pages": "共 {n} 頁",
    },
    "zh_CN": {
        "language": "语言",
        "home": "所有页面",
        "index_title": "所有页面",
        "no_pages": "这个语言还没有发布任何页面。",
        "held_back": "尚未翻译",
        "held_back_note": "以下页面尚未翻译，可先阅读原文：",
        "in_language": "（{language}）",
        "partial": "本页部分内容尚未翻译，以{language}显示。",
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


def _ui(locale: str, key: str, **kw: object) -> Markup:
    """A UI string as HTML; wrapped in ``<span lang="en">`` when the locale has none."""
    text = esc_text(_ui_text(locale, key, **kw))
    return Markup(text if locale in UI else f'<span lang="en">{text}</span>')


def _ui_lang(locale: str) -> str:
    """The BCP 47 tag of the language ``locale``'s UI words are in (English when it has none)."""
    return bcp47(locale) if locale in UI else "en"


@lru_cache(maxsize=64)
def _words(locale: str) -> dict[str, Markup]:
    """Every UI word of ``locale`` without a placeholder, as HTML (for the templates' ``ui``)."""
    return {k: _ui(locale, k) for k, v in (UI.get(locale) or UI["en"]).items() if "{" not in v}


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


_QUOTE_FREE = re.compile(r"[A-Za-z0-9_.~/-]*\Z")      # what quote(safe="/") returns as it is


def _rel(from_url: str, to_url: str) -> str:
    """A relative, percent-encoded link from one site path to another."""
    start = posixpath.dirname(from_url) or "."
    d, name = posixpath.split(to_url)
    if name in ("", ".", "..") or name in start.split("/"):
        r = posixpath.relpath(to_url, start)
    else:                                   # the folder part is shared by many links: computed once
        rd = _relpath_dir(d or ".", start)
        r = name if rd == "." else f"{rd}/{name}"
    return r if _QUOTE_FREE.match(r) else quote(r, safe="/")


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


class Version(NamedTuple):
    """One language in the switcher."""

    tag: str          # BCP 47
    name: str         # as its readers write it: English, 繁體中文
    href: str
    current: bool


class Switcher(NamedTuple):
    """The language switcher (``switcher.html``)."""

    label: str                    # aria-label: "Language" in the reader's language
    home: str | None              # link to the locale's index (or to the picker, on an index)
    home_text: "Markup"
    home_hreflang: str | None     # "mul" on an index: the picker is in every language
    versions: tuple[Version, ...]


class PageChrome(NamedTuple):
    """What ``chrome_head.html`` and ``chrome_body.html`` get for one page version."""

    locale: str                   # the version's locale: zh_TW
    lang: str                     # its BCP 47 tag: zh-Hant-TW
    source_locale: str            # the page's own locale
    path: str                     # the page in the source folder: qa/x.html
    section: str                  # its section (first folder), "" at the top
    root: str                     # relative link to the site's root, ending in "/" ("../../"), or ""
    has_viewport: bool            # the page has its own viewport meta
    has_icon: bool                # the page declares an icon
    alternates: tuple[tuple[str, str], ...]    # (hreflang, href) of every version, then x-default
    stylesheet: str               # href of l10n.css
    switcher: Switcher
    ui: "dict[str, Markup]"       # the locale's words


class Notice(NamedTuple):
    """What ``notice.html`` gets: the sentence saying part of the page is in its source language."""

    lang: str                     # the sentence's language (BCP 47)
    text: str
    language: str                 # the source language, named for the reader: 英文, Chinese
    source_lang: str              # its BCP 47 tag


def chrome_for(cfg: "Config", page: "Page", locale: str, published: set[tuple[str, str]],
               sources: Mapping[str, str], *, tags: tuple[bool, bool] | None = None) -> Chrome:
    """lang, alternates, switcher, the partial-translation notice and link rewriting for
    ``locale``'s copy of ``page``, from the project's templates.

    ``published`` holds ``(page.rel, locale)`` for every page version that is
    written; ``sources`` (:func:`source_locales` of every page) each page's source locale;
    ``tags``: :func:`head_tags` of the page (a caller rendering many locales computes it once).

    With the shipped chrome templates, the pages of one folder with the same published
    versions get the same head and body but for their file name: rendered once per such
    shape, with a stand-in name that each page's own replaces (:func:`chrome_html` is the
    reference, and gives the same text; tests/test_site.py holds them to it).
    """
    tpl = templates_for(cfg)
    path = source_rel(cfg, page)
    locales = cfg.locales
    versions = tuple(loc for loc in locales if (page.rel, loc) in published)
    if tags is None:
        tags = head_tags(page.skeleton.chunks)
    folder, name = posixpath.split(path)
    if tpl.shipped_chrome and _PLAIN_NAME.match(name) and name != _STAND_IN and name not in folder.split("/"):
        key = (cfg.root, cfg.base_url, locales, page.locale, locale, folder, versions, tags)
        shape = tpl.memo.get(key)
        if shape is None:
            shape = tpl.memo[key] = chrome_html(cfg, posixpath.join(folder, _STAND_IN), page.locale, locale,
                                                versions, tags)
        head, body = shape[0].replace(_STAND_IN, name), shape[1].replace(_STAND_IN, name)
    else:
        head, body = chrome_html(cfg, path, page.locale, locale, versions, tags)
    names = names_of(cfg)
    notice = ("" if locale == page.locale else
              _notice(tpl, locale, page.locale, names.language(page.locale, locale if locale in UI else "en")))
    return Chrome(lang=bcp47(locale), head=head, body=body,
                  notice=notice, rewrite_href=link_rewriter(cfg, page, locale, published, sources),
                  long_date=partial(names.long_date, locale))


# a page's file name that links keep as they are (no percent-encoding, nothing to escape) and that
# no path arithmetic treats apart; the stand-in is one such name no page is likely to have
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9_.~-]*\Z")
_STAND_IN = "l10n-chrome-stand-in-7f3a9c.html"


def chrome_html(cfg: "Config", path: str, source_locale: str, locale: str, versions: Sequence[str],
                tags: tuple[bool, bool]) -> tuple[str, str]:
    """The chrome's head and body (``chrome_head.html``, ``chrome_body.html``) for ``locale``'s copy
    of the page at ``path`` in the source folder, whose source is in ``source_locale`` and which is
    published in ``versions``; ``tags``: its :func:`head_tags`."""
    tpl = templates_for(cfg)
    here = f"{locale}/{path}"                                   # page_url(cfg, page, locale)
    has_viewport, has_icon = tags
    links = {loc: _rel(here, f"{loc}/{path}") for loc in versions}     # the switcher's, and the alternates'
    if source_locale not in links:
        links[source_locale] = _rel(here, f"{source_locale}/{path}")
    if cfg.base_url:
        alternates = [(bcp47(loc), _abs(cfg, here, f"{loc}/{path}")) for loc in versions]
        alternates.append(("x-default", _abs(cfg, here, f"{source_locale}/{path}")))
    else:
        alternates = [(bcp47(loc), links[loc]) for loc in versions]
        alternates.append(("x-default", links[source_locale]))
    names = names_of(cfg)
    switcher = _switcher_of(locale, versions, links.__getitem__, _rel(here, f"{locale}/index.html"), name=names.name)
    pc = PageChrome(locale, bcp47(locale), source_locale, path, section_of(path), _root(here), has_viewport,
                    has_icon, tuple(alternates), _rel(here, SITE_CSS), switcher, _words(locale))
    return tpl.macros["chrome_head"](pc), tpl.macros["chrome_body"](pc)


def _root(here: str) -> str:
    """A relative link from site path ``here`` to the site's root: "" or "../../"."""
    d = posixpath.dirname(here)
    return "" if not d else _relpath_dir(".", d) + "/"


@lru_cache(maxsize=8)
def _names(root: Path | None, locales: tuple[str, ...]) -> LanguageNames:
    return language_names(locales, root / ".l10n-cache" / "language-names.json" if root is not None else None)


def names_of(cfg: "Config") -> LanguageNames:
    """The names of the site's languages (:func:`l10n.locales.language_names`), kept in the
    project's cache."""
    return _names(getattr(cfg, "root", None), tuple(cfg.locales))


@lru_cache(maxsize=256)
def _notice(tpl: Templates, locale: str, source: str, language: str) -> str:
    """The partial-translation notice of a page in ``source`` read in ``locale`` (the same for
    every such page: rendered once); ``language``: the source language named for the reader."""
    n = Notice(_ui_lang(locale), _ui_text(locale, "partial", language=language), language, bcp47(source))
    return tpl.macros["notice"](n)


_VIEWPORT = re.compile(r'<meta [^<>]*name="viewport"')      # a tag: text writes "<" as "&lt;"


def head_tags(chunks: Sequence) -> tuple[bool, bool]:
    """Whether the page has a viewport meta, and its own ``<head>`` (its markup before the head
    slot; the walker writes attributes as k="v") an icon link."""
    head = []
    for c in chunks:
        if isinstance(c, str):
            head.append(c)
        elif isinstance(c, HeadSlot):
            break
    # a viewport meta anywhere counts: after an implicit body start the parser puts it in <body>
    ans = (any(isinstance(c, str) and _VIEWPORT.search(c) is not None for c in chunks),
           any('rel="icon"' in c or 'rel="shortcut icon"' in c for c in head))
    return ans


def _switcher_of(locale: str, versions: Sequence[str], href: Callable[[str], str], home: str | None,
                 home_hreflang: str | None = None, *, name: Callable[[str], str] = native_name) -> Switcher:
    return Switcher(_ui_text(locale, "language"), home, _ui(locale, "home"), home_hreflang,
                    tuple(Version(bcp47(loc), name(loc), href(loc), loc == locale) for loc in versions))


def _switcher(locale: str, versions: Sequence[str], href: Callable[[str], str], home: str | None, *,
              templates: Templates | None = None, home_hreflang: str | None = None) -> str:
    """``<nav class="l10n-switcher">``: the index of this locale, then every version
    (``switcher.html``; the shipped templates unless ``templates`` are given)."""
    tpl = templates if templates is not None else templates_for(None)
    return tpl.macros["switcher"](_switcher_of(locale, versions, href, home, home_hreflang))


# -- titles ------------------------------------------------------------------------

def _plain(msg: str) -> str:
    """A unit's text without its placeholder tags."""
    return "".join(t.value for t in tokenize(msg) if t.kind == "text")


def title_unit(skeleton: "Skeleton") -> "Segment | None":
    """The page's title unit: the segment whose place is ``title`` (None: the page has no title)."""
    return next((s for s in skeleton.segments if s.place == "title"), None)


_FIND = object()            # page_title's ``unit`` when the caller has not looked it up


def page_title(cfg: "Config", page: "Page", locale: str,
               table: dict[tuple[str | None, str], str] | None = None, *,
               unit: "Segment | None | object" = _FIND) -> tuple[str, bool]:
    """The page's ``<title>`` in ``locale`` and whether it is translated.

    The title unit (the segment whose place is ``title``; ``unit``: :func:`title_unit` of the
    page, when the caller has it) looked up in the locale's compiled catalog; the source
    title when untranslated; the file name when the page has no title.
    """
    seg = title_unit(page.skeleton) if unit is _FIND else unit
    if seg is None:
        return source_rel(cfg, page), True
    if locale == page.locale:
        return _plain(seg.msgid), True      # type: ignore[union-attr]
    t = (table or {}).get((seg.msgctxt, seg.msgid))     # type: ignore[union-attr]
    return (_plain(t), True) if t else (_plain(seg.msgid), False)   # type: ignore[union-attr]


# -- generated pages ----------------------------------------------------------------

def stylesheets_of(cfg: "Config", assets: "Iterable[Path]") -> list[str]:
    """The source's own stylesheets (copied into every locale folder), relative to it."""
    return [p.relative_to(cfg.source_dir).as_posix() for p in assets
            if p.suffix.lower() == ".css"]


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


class IndexLine(NamedTuple):
    """What ``index_line.html`` gets for one page."""

    href: str                   # the version, or (not yet translated) the source version
    title: str
    title_lang: str | None
    published: bool
    output: str                 # the version's site path
    source_lang: str
    language_note: str          # "(English)", "（英文）": the source language, for a page not yet translated


def section_of(path: str) -> str:
    """A page's section: the first folder of its path in the source (``qa/x.html`` -> ``qa``);
    "" for a page at the top."""
    return path.split("/", 1)[0] if "/" in path else ""


def section_name(cfg: "Config", section: str, locale: str) -> str:
    """The section's name on ``locale``'s index: ``[tool.l10n.sections]``, else the folder name."""
    return cfg.sections.get(section, {}).get(locale) or section


def index_line(locale: str, e: IndexEntry, cfg: "Config | None" = None) -> str:
    """One page's ``<li>`` on ``locale``'s index (``index_line.html`` of ``cfg``'s templates):
    a link to the version when it is published, else (with the pages not yet translated) to
    the source version. Depends on nothing else, so a build keeps each page's line and joins
    them (:func:`index_page`)."""
    here = f"{locale}/index.html"
    if e.published:
        line = IndexLine(_rel(here, e.output), e.title, e.title_lang, True, e.output, e.source_lang, "")
    else:
        reader = locale if locale in UI else "en"
        note = _ui_text(locale, "in_language", language=language_name(e.source_lang, reader))
        line = IndexLine(_rel(here, e.source_output), e.title, e.source_lang, False, e.output, e.source_lang, note)
    return templates_for(cfg).macros["index_line"](line)


def _doc(cfg: "Config", locale: str, here: str, css: Sequence[str], locales: Sequence[str]) -> dict:
    """What layout.html needs for a page l10n writes itself at ``here``."""
    alternates = [(bcp47(lo), _abs(cfg, here, f"{lo}/index.html")) for lo in locales]
    alternates.append(("x-default", _abs(cfg, here, "index.html")))
    return {"locale": locale, "lang": bcp47(locale), "ui": _words(locale), "alternates": alternates,
            "stylesheets": [_rel(here, c) for c in css] + [_rel(here, SITE_CSS)], "root": _root(here)}


def index_page(cfg: "Config", locale: str, lines: "Sequence[tuple[str, bool | int, str | bytes]]",
               locales: Sequence[str], *, stylesheets: Sequence[str] | None = None) -> str:
    """``<locale>/index.html`` around its lines (:func:`index_line`): ``lines`` are (site path,
    published, line) of every page of the locale, sorted by site path (what a build keeps). The
    published pages by section, then the ones not yet translated. ``stylesheets``:
    :func:`stylesheets_of`, when the caller knows them."""
    here = f"{locale}/index.html"
    css = [f"{locale}/{c}" for c in (stylesheets or ())]
    by_key: dict[str, dict] = {"": {"key": "", "name": "", "lines": []}}     # pages at the top come first
    held: list[Markup] = []
    for output, published, line in lines:
        html = Markup(line.decode("utf-8") if isinstance(line, bytes) else line)
        if not published:
            held.append(html)
            continue
        key = section_of(output.split("/", 1)[1] if "/" in output else output)
        section = by_key.get(key)
        if section is None:
            section = by_key[key] = {"key": key, "name": section_name(cfg, key, locale), "lines": []}
        section["lines"].append(html)
    sections = [sec for sec in by_key.values() if sec["lines"]]
    nav = _switcher_of(locale, list(locales), lambda lo: _rel(here, f"{lo}/index.html"), _rel(here, "index.html"),
                       "mul")
    return templates_for(cfg).render(
        "index.html", **_doc(cfg, locale, here, css, locales), main_class="l10n-index",
        title=f"{_ui_text(locale, 'index_title')} · {native_name(locale)}", sections=sections, held=held, nav=nav)


def index_html(cfg: "Config", locale: str, entries: Sequence[IndexEntry], locales: Sequence[str], *,
               stylesheets: Sequence[str] | None = None) -> str:
    """``<locale>/index.html``: the published pages by section, then the ones not yet translated."""
    lines = [(e.output, e.published, index_line(locale, e, cfg)) for e in sorted(entries, key=lambda e: e.output)]
    return index_page(cfg, locale, lines, locales, stylesheets=stylesheets)


def root_html(cfg: "Config", locales: Sequence[str], counts: dict[str, int], default: str, *,
              stylesheets: Sequence[str] | None = None) -> str:
    """``index.html``: every language in its own name; the default first and marked."""
    here = "index.html"
    choose: list[dict] = []
    for lo in locales:
        t = _ui_text(lo, "choose")
        if all(c["text"] != t for c in choose):
            choose.append({"lang": _ui_lang(lo), "text": t})
    css = [f"{default}/{c}" for c in (stylesheets or ())]  # in every locale
    d = bcp47(default)
    languages = [{"href": _rel(here, f"{lo}/index.html"), "tag": bcp47(lo), "name": native_name(lo),
                  "count": _ui_text(lo, "pages", n=counts.get(lo, 0)), "count_lang": _ui_lang(lo)} for lo in locales]
    return templates_for(cfg).render(
        "root.html", **_doc(cfg, default, here, css, locales), main_class="l10n-root",
        title=" · ".join(c["text"] for c in choose), choose=choose,
        default={"href": _rel(here, f"{default}/index.html"), "tag": d, "text": _ui(default, "default")},
        languages=languages)


def default_locale(cfg: "Config") -> str:
    """The language the root index offers first (the first source language)."""
    return cfg.source_locales[0] if cfg.source_locales else list(cfg.locales)[0]


def _xml(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _site_url(cfg: "Config", path: str) -> str:
    """A sitemap URL: absolute with base_url, else relative to the site root."""
    q = path if _QUOTE_FREE.match(path) else quote(path, safe="/")
    return f"{cfg.base_url}/{q}" if cfg.base_url else q


def sitemap_xml(cfg: "Config", groups: Sequence[tuple[Sequence[tuple[str, str]], str]]) -> str:
    """A sitemap: one ``<url>`` per published version, each listing every version.

    ``groups``: ([(locale, site path)], x-default site path) per page.
    """
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for versions, default in groups:
        urls = [_xml(_site_url(cfg, p)) for _lo, p in versions]         # each once: in <loc> and the links
        alts = [f'    <xhtml:link rel="alternate" hreflang="{bcp47(lo)}" href="{u}"/>'
                for (lo, _p), u in zip(versions, urls)]
        alts.append(f'    <xhtml:link rel="alternate" hreflang="x-default" href="{_xml(_site_url(cfg, default))}"/>')
        alts.append("  </url>")
        for u in urls:
            out.append(f"  <url>\n    <loc>{u}</loc>")
            out.extend(alts)
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
