"""The localized site as a reader (and a search engine) finds it: indexes, the language
picker, the switcher, hreflang alternates, the sitemap, links that stay in the reader's
locale, and the translator-facing catalog headers."""
from __future__ import annotations

import posixpath
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.etree as ET
import pytest
from bs4 import BeautifulSoup

from l10n.config import load_config
from l10n.html.render import render
from l10n.html.walker import parse_page
from l10n.locales import bcp47
from l10n.project import Page, render_site
from l10n.site import chrome_for, page_title, source_locales
from site_fixture import FALLBACK_MSGID, LOCALES, PUBLISHED_PAGES, build_site, make_project

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"

PUBLISHED = PUBLISHED_PAGES
SOURCE = {"articles/tacrolimus.html": "en", "articles/methotrexate.html": "en", "qa/morphea.html": "zh_TW"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    cfg, rep = build_site(tmp_path_factory.mktemp("site"))
    return cfg, rep


class Doc:
    """A parsed output page (bs4 + lxml) with the few helpers the tests use."""

    def __init__(self, path: Path):
        self.soup = BeautifulSoup(path.read_bytes(), "lxml")

    def get(self, attr: str):
        return self.soup.html.get(attr)

    def select(self, css: str):
        return self.soup.select(css)


def doc(path: Path) -> Doc:
    return Doc(path)


def resolve(from_file: Path, href: str) -> Path:
    """The file a relative href in ``from_file`` leads to."""
    parts = urlsplit(href)
    assert not parts.scheme and not parts.netloc, href
    return Path(posixpath.normpath(posixpath.join(from_file.parent.as_posix(), unquote(parts.path))))


def test_render_report_publishes_what_the_threshold_allows(site):
    cfg, rep = site
    got = {(Path(p.output).relative_to(p.locale).as_posix(), p.locale) for p in rep.pages if p.published}
    assert got == PUBLISHED
    assert not (cfg.output_dir / "zh_CN/articles/methotrexate.html").exists()


# -- indexes ---------------------------------------------------------------------------

def test_locale_index_lists_titles_by_section_for_readers(site):
    cfg, _ = site
    d = doc(cfg.output_dir / "zh_CN" / "index.html")
    assert d.get("lang") == "zh-Hans-CN"
    sections = d.select("main section.l10n-section")
    # one section a folder, named for zh_CN readers ([tool.l10n.sections]), each page by its title
    assert [(s.get("data-section"), s.select("h2")[0].get_text(),
             [(a.get("href"), a.get_text()) for a in s.select("ul.l10n-pages a")]) for s in sections] == [
        ("articles", "文章", [("articles/tacrolimus.html", "他克莫司软膏｜皮肤笔记")]),
        ("qa", "问答", [("qa/morphea.html", "局限性硬皮病问答｜皮肤笔记")])]
    # for readers: no completeness figures, no progress bars, no source paths
    main = d.select("main")[0]
    assert not main.select(".l10n-progress, .l10n-bar, .l10n-path")
    assert "%" not in main.get_text() and ".html" not in main.get_text()
    # the page not yet translated is listed as such, linking to its source-language version
    held = d.select("section.l10n-held-back li")
    assert len(held) == 1
    assert d.select("section.l10n-held-back h2")[0].get_text() == "尚未翻译"
    a = held[0].select("a")[0]
    assert held[0].get("data-held-back") == "zh_CN/articles/methotrexate.html"
    assert a.get("href") == "../en/articles/methotrexate.html" and a.get("lang") == "en"
    assert a.get_text() == "Methotrexate | Skin Notes"
    assert held[0].select(".l10n-lang")[0].get_text() == "（英文）"
    for li in [li for s in sections for li in s.select("li")] + held:
        assert resolve(cfg.output_dir / "zh_CN" / "index.html", li.select("a")[0].get("href")).is_file()


def test_index_sections_are_named_per_locale(site):
    cfg, _ = site
    names = {lo: [h.get_text() for h in doc(cfg.output_dir / lo / "index.html").select("section.l10n-section h2")]
             for lo in LOCALES}
    assert names == {"en": ["Articles", "Questions and answers"], "zh_TW": ["文章", "問答"], "zh_CN": ["文章", "问答"]}


def test_each_locale_index_has_every_page_title_from_the_catalog(site):
    cfg, _ = site
    en = {a.get("href"): a.get_text() for a in doc(cfg.output_dir / "en/index.html").select(".l10n-pages a")}
    assert en == {"articles/methotrexate.html": "Methotrexate | Skin Notes",
                  "articles/tacrolimus.html": "Tacrolimus ointment | Skin Notes",
                  "qa/morphea.html": "Questions about morphea | Skin Notes"}
    tw = {a.get("href"): a.get_text() for a in doc(cfg.output_dir / "zh_TW/index.html").select(".l10n-pages a")}
    assert tw == {"articles/methotrexate.html": "甲氨蝶呤｜皮膚筆記",
                  "articles/tacrolimus.html": "普特皮藥膏｜皮膚筆記",
                  "qa/morphea.html": "局部硬皮症問答｜皮膚筆記"}
    assert not doc(cfg.output_dir / "zh_TW/index.html").select("section.l10n-held-back")


def test_root_picks_the_language_without_guessing(site):
    cfg, _ = site
    d = doc(cfg.output_dir / "index.html")
    assert d.get("lang") == "en"                        # the default locale's own language
    langs = d.select("ul.l10n-languages a")
    # each language named the way its readers write it
    assert [(a.get("href"), a.get("hreflang"), a.get("lang"), a.get_text()) for a in langs] == [
        (f"{lo}/index.html", bcp47(lo), bcp47(lo), name)
        for lo, name in zip(LOCALES, ("English", "繁體中文", "简体中文"))]
    default = d.select("a[data-default]")
    assert len(default) == 1 and default[0].get("href") == "en/index.html"
    # no redirect, no script: the reader picks; Accept-Language plays no part
    assert not d.select("script") and not d.select('meta[http-equiv="refresh"]')
    alts = {ln.get("hreflang"): ln.get("href") for ln in d.select('link[rel="alternate"]')}
    assert alts == {"en": "en/index.html", "zh-Hant-TW": "zh_TW/index.html",
                    "zh-Hans-CN": "zh_CN/index.html", "x-default": "index.html"}


# -- every page ------------------------------------------------------------------------

@pytest.mark.parametrize("page,locale", sorted(PUBLISHED))
def test_switcher_leads_to_the_same_page_in_every_published_language(site, page, locale):
    cfg, _ = site
    f = cfg.output_dir / locale / page
    d = doc(f)
    assert d.get("lang") == bcp47(locale)
    nav = d.select("nav.l10n-switcher")
    assert len(nav) == 1
    links = nav[0].select("li a")
    want = [lo for lo in LOCALES if (page, lo) in PUBLISHED]
    assert [a.get("hreflang") for a in links] == [bcp47(lo) for lo in want]
    for a, lo in zip(links, want):
        assert resolve(f, a.get("href")) == cfg.output_dir / lo / page
        assert (a.get("aria-current") == "page") == (lo == locale)
    home = nav[0].select("a.l10n-home")[0]
    assert resolve(f, home.get("href")) == cfg.output_dir / locale / "index.html"


@pytest.mark.parametrize("page,locale", sorted(PUBLISHED))
def test_hreflang_alternates_include_x_default(site, page, locale):
    cfg, _ = site
    f = cfg.output_dir / locale / page
    d = doc(f)
    alts = {ln.get("hreflang"): resolve(f, ln.get("href")) for ln in d.select('head link[rel="alternate"]')}
    want = {bcp47(lo): cfg.output_dir / lo / page for lo in LOCALES if (page, lo) in PUBLISHED}
    want["x-default"] = cfg.output_dir / SOURCE[page] / page
    assert alts == want
    assert all(p.is_file() for p in alts.values())
    assert d.select('head meta[name="viewport"]')
    css = [resolve(f, ln.get("href")) for ln in d.select('link[rel="stylesheet"]')]
    assert cfg.output_dir / "l10n.css" in css


def test_links_to_a_page_held_back_lead_to_its_source_language(site):
    cfg, _ = site
    d = doc(cfg.output_dir / "zh_CN/articles/tacrolimus.html")
    hrefs = [a.get("href") for a in d.select("header a, main a")]
    assert hrefs == ["tacrolimus.html", "../../en/articles/methotrexate.html", "../qa/morphea.html",
                     "../../en/articles/methotrexate.html#dose", "../qa/morphea.html",
                     "../../en/articles/methotrexate.html"]
    # the untranslated paragraph falls back to English, and its link is re-pointed too
    fb = d.select('span[lang="en"]')
    assert len(fb) == 1 and fb[0].get_text().startswith("Before each use")
    assert fb[0].select("a")[0].get("href") == "../../en/articles/methotrexate.html"
    # the zh_TW source page links to the English article when zh_CN has none
    d2 = doc(cfg.output_dir / "zh_CN/qa/morphea.html")
    assert [a.get("href") for a in d2.select("main a")] == [
        "../articles/tacrolimus.html", "../../en/articles/methotrexate.html"]
    # where the page is published, links stay in the reader's locale
    d3 = doc(cfg.output_dir / "zh_TW/articles/tacrolimus.html")
    assert [a.get("href") for a in d3.select("main a")] == [
        "methotrexate.html#dose", "../qa/morphea.html", "methotrexate.html"]


def test_every_internal_link_of_the_site_resolves(site):
    cfg, _ = site
    n = 0
    for f in sorted(cfg.output_dir.rglob("*.html")):
        for el in doc(f).select("a[href], link[href]"):
            href = el.get("href")
            if urlsplit(href).scheme:
                continue
            n += 1
            assert resolve(f, href).is_file(), f"{f}: {href}"
    assert n > 50


def test_output_is_deterministic_and_unchanged_files_are_not_rewritten(site, tmp_path):
    cfg, _ = site
    before = {p: p.read_bytes() for p in cfg.output_dir.rglob("*") if p.is_file()}
    again = render_site(cfg)
    assert again.written == 0
    assert {p: p.read_bytes() for p in cfg.output_dir.rglob("*") if p.is_file()} == before
    # an independent build elsewhere gives byte-identical files
    cfg2, _ = build_site(tmp_path, "other")
    other = {p.relative_to(cfg2.output_dir): p.read_bytes() for p in cfg2.output_dir.rglob("*") if p.is_file()}
    assert other == {p.relative_to(cfg.output_dir): b for p, b in before.items()}


def test_written_counts_the_files_whose_bytes_changed(tmp_path):
    """A new site: every file is written. Then a page version removed, one edited by hand and one
    left alone: the two that differ from what the render makes are written, nothing else."""
    cfg, first = build_site(tmp_path)
    files = [p for p in cfg.output_dir.rglob("*") if p.is_file()]
    assert first.written == len(files)
    pages = sorted(p for p in files if p.name != "index.html" and p.suffix == ".html")
    gone, edited = pages[0], pages[1]
    gone.unlink()
    edited.write_bytes(edited.read_bytes().replace(b"</body>", b"<p>edited</p></body>"))
    again = render_site(cfg)
    assert again.written == 2 and gone.is_file() and b"<p>edited</p>" not in edited.read_bytes()
    assert render_site(cfg).written == 0


def test_cjk_font_stack_and_phone_layout_in_the_site_stylesheet(site):
    cfg, _ = site
    css = (cfg.output_dir / "l10n.css").read_text("utf-8")
    for fam in ("Noto Sans CJK TC", "Noto Sans CJK SC", "PingFang TC", "Microsoft YaHei"):
        assert f'"{fam}"' in css
    assert ":lang(zh-Hant)" in css and ":lang(zh-Hans)" in css
    for f in (cfg.output_dir / "index.html", cfg.output_dir / "zh_TW/index.html"):
        assert doc(f).select('meta[name="viewport"][content*="width=device-width"]')


# -- sitemap ---------------------------------------------------------------------------

def _sitemap(cfg):
    root = ET.fromstring((cfg.output_dir / "sitemap.xml").read_bytes())
    assert root.tag == f"{SM}urlset"
    out = {}
    for url in root.iter(f"{SM}url"):
        loc = url.find(f"{SM}loc").text
        alts = {ln.get("hreflang"): ln.get("href") for ln in url.iter(f"{XHTML}link")}
        assert all(ln.get("rel") == "alternate" for ln in url.iter(f"{XHTML}link"))
        out[loc] = alts
    return out


def test_sitemap_lists_every_version_with_all_its_alternates(site):
    cfg, _ = site
    sm = _sitemap(cfg)
    for page, lo in PUBLISHED:
        loc = f"{lo}/{page}"
        assert loc in sm, loc
        want = {bcp47(x): f"{x}/{page}" for x in LOCALES if (page, x) in PUBLISHED}
        want["x-default"] = f"{SOURCE[page]}/{page}"
        assert sm[loc] == want
        assert (cfg.output_dir / loc).is_file()
    assert "zh_CN/articles/methotrexate.html" not in sm
    for lo in LOCALES:
        assert sm[f"{lo}/index.html"]["x-default"] == "index.html"
    assert len(sm) == len(PUBLISHED) + len(LOCALES)


def test_with_base_url_alternates_and_sitemap_are_absolute_switcher_stays_relative(tmp_path):
    cfg, _ = build_site(tmp_path, base_url="https://example.org/skin/")
    sm = _sitemap(cfg)
    assert "https://example.org/skin/zh_TW/qa/morphea.html" in sm
    assert all(h.startswith("https://example.org/skin/") for alts in sm.values() for h in alts.values())
    d = doc(cfg.output_dir / "zh_TW/qa/morphea.html")
    alts = {ln.get("hreflang"): ln.get("href") for ln in d.select('link[rel="alternate"]')}
    assert alts["x-default"] == "https://example.org/skin/zh_TW/qa/morphea.html"
    assert alts["en"] == "https://example.org/skin/en/qa/morphea.html"
    assert [a.get("href") for a in d.select("nav.l10n-switcher li a")] == [
        "../../en/qa/morphea.html", "morphea.html", "../../zh_CN/qa/morphea.html"]


# -- escaping and the chrome hook ------------------------------------------------------------

def test_index_escapes_titles(tmp_path):
    import polib
    from l10n.project import compile_all
    cfg, _ = build_site(tmp_path)
    po_path = cfg.po_path("zh_TW", "articles.methotrexate")
    po = polib.pofile(str(po_path))
    po.find("Methotrexate | Skin Notes").msgstr = '甲氨蝶呤 <script>alert("x")</script> & <b>co</b>'
    po.save(str(po_path))
    compile_all(cfg)
    render_site(cfg)
    d = doc(cfg.output_dir / "zh_TW/index.html")
    assert not d.select("script") and not d.select("main b")
    titles = [a.get_text() for a in d.select(".l10n-pages a")]
    assert '甲氨蝶呤 <script>alert("x")</script> & <b>co</b>' in titles


def test_chrome_adds_viewport_only_when_the_page_has_none(tmp_path):
    cfg = load_config(make_project(tmp_path))
    bare = b'<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><p>Hi</p></body></html>'
    rel = "source_pages/bare.html"
    page = Page(cfg.root / rel, rel, "bare", parse_page(bare, rel, lambda lang: "en"))
    out = render(page.skeleton, None, locale="en", chrome=chrome_for(cfg, page, "en", {(rel, "en")}, {rel: "en"})).html
    assert out.count('name="viewport"') == 1
    withvp = bare.replace(b"<title>", b'<meta name="viewport" content="width=device-width"><title>')
    page2 = Page(cfg.root / rel, rel, "bare", parse_page(withvp, rel, lambda lang: "en"))
    out2 = render(page2.skeleton, None, locale="en", chrome=chrome_for(cfg, page2, "en", {(rel, "en")}, {rel: "en"})).html
    assert out2.count('name="viewport"') == 1


def test_chrome_looks_for_viewport_and_icon_in_the_head_only(tmp_path):
    """A page about HTML that quotes the tags in its text still gets the site's own."""
    cfg = load_config(make_project(tmp_path))
    src = ('<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>'
           '<pre>&lt;meta name="viewport"&gt;</pre><p>Write name="viewport" and rel="icon".</p>'
           '</body></html>').encode()
    rel = "source_pages/html.html"
    page = Page(cfg.root / rel, rel, "html", parse_page(src, rel, lambda lang: "en"))
    out = render(page.skeleton, None, locale="en", chrome=chrome_for(cfg, page, "en", {(rel, "en")}, {rel: "en"})).html
    head = out.split("</head>")[0]
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in head
    assert '<link rel="icon" href="data:,">' in head
    with_icon = src.replace(b"<title>", b'<link rel="icon" href="i.png"><title>')
    page2 = Page(cfg.root / rel, rel, "html", parse_page(with_icon, rel, lambda lang: "en"))
    head2 = render(page2.skeleton, None, locale="en",
                   chrome=chrome_for(cfg, page2, "en", {(rel, "en")}, {rel: "en"})).html.split("</head>")[0]
    assert 'href="data:,"' not in head2 and 'name="viewport" content="width=device-width' in head2


def test_render_without_rewrite_gives_the_source_links_back(tmp_path):
    src = (b'<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>'
           b'<p>See <a href="a%20b.html?x=1&amp;y=2#f">this</a> and <a href="c.html">that</a>.</p>'
           b'<nav translate="no"><a href="d.html">D</a></nav><a href="e.html"><img src="e.png" alt=""></a>'
           b"</body></html>")
    skel = parse_page(src, "p.html", lambda lang: "en")
    plain = render(skel, None, locale="en").html
    assert 'href="a%20b.html?x=1&amp;y=2#f"' in plain and 'href="d.html"' in plain
    from l10n.html.render import Chrome
    seen = []
    chrome = Chrome(lang="en", rewrite_href=lambda h: (seen.append(h), "X/" + h)[1])
    out = render(skel, None, locale="en", chrome=chrome).html
    # every <a href> went through the hook, in the untranslated text, the no-translate block and outside units
    assert sorted(seen) == ["a%20b.html?x=1&y=2#f", "c.html", "d.html", "e.html"]
    assert 'href="X/a%20b.html?x=1&amp;y=2#f"' in out and 'href="X/e.html"' in out
    # and through a translation's placeholders
    seg = next(s for s in skel.segments if "<a1>" in s.msgid)
    tr = render(skel, lambda s: "看<a1>這個</a1>和<a2>那個</a2>。" if s is seg else None, locale="zh_TW",
                chrome=chrome, fallback_lang="en").html
    assert '<a href="X/a%20b.html?x=1&amp;y=2#f">這個</a>' in tr and '<a href="X/c.html">那個</a>' in tr


def test_page_title_falls_back_to_the_source(site):
    cfg, _ = site
    from l10n.project import load_pages
    pg = next(p for p in load_pages(cfg) if p.rel.endswith("methotrexate.html"))
    assert page_title(cfg, pg, "en") == ("Methotrexate | Skin Notes", True)
    assert page_title(cfg, pg, "zh_CN", {}) == ("Methotrexate | Skin Notes", False)
    assert page_title(cfg, pg, "zh_CN", {(None, "Methotrexate | Skin Notes"): "甲氨蝶呤｜皮肤笔记"}) == (
        "甲氨蝶呤｜皮肤笔记", True)


# -- catalog headers for Poedit and Weblate ------------------------------------------------------

HEADERS = ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date",
           "Last-Translator", "Language-Team", "Language", "MIME-Version", "Content-Type",
           "Content-Transfer-Encoding", "Plural-Forms", "X-Generator")


def test_catalog_headers_are_what_poedit_and_weblate_read(site):
    import polib
    cfg, _ = site
    for (lo, dom) in [("zh_TW", "articles.tacrolimus"), ("zh_CN", "qa.morphea"), ("en", "qa.morphea")]:
        po = polib.pofile(str(cfg.po_path(lo, dom)))
        missing = [h for h in HEADERS if h not in po.metadata]
        assert not missing, (lo, dom, missing)
        assert po.metadata["Language"] == lo
        assert po.metadata["Plural-Forms"] == ("nplurals=2; plural=(n != 1);" if lo == "en"
                                               else "nplurals=1; plural=0;")
        assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
        assert po.metadata["X-Source-Language"] in ("en", "zh_TW")      # Poedit reads it as the source language
        assert not po.metadata_is_fuzzy


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_a_translators_save_passes_msgfmt_header_checks_and_survives_update(tmp_path):
    import polib
    from l10n.project import update
    cfg, _ = build_site(tmp_path)
    path = cfg.po_path("zh_CN", "articles.tacrolimus")
    po = polib.pofile(str(path))
    po.metadata["Last-Translator"] = "Li Wei <li.wei@example.org>"       # what Poedit writes on save
    po.metadata["PO-Revision-Date"] = "2024-05-01 10:00+0800"
    po.find(FALLBACK_MSGID).msgstr = "每次使用前请洗手并阅读说明书，说明书也列出了<a1>其他疗法</a1>。"
    po.save(str(path))
    r = subprocess.run(["msgfmt", "-c", "--check-header", "-o", "/dev/null", str(path)],
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    update(cfg)
    po2 = polib.pofile(str(path))
    assert po2.metadata["Last-Translator"] == "Li Wei <li.wei@example.org>"
    assert po2.metadata["PO-Revision-Date"] == "2024-05-01 10:00+0800"


# -- the documented CI workflow ------------------------------------------------------------

def test_ci_workflow_runs_the_documented_commands_with_valid_options():
    import shlex
    from l10n.cli import cli
    text = (Path(__file__).resolve().parent.parent / "docs" / "ci-workflow.yml").read_text("utf-8")
    order = ["l10n extract --check", "l10n check --format github", "l10n compile",
             "l10n check --format html -o report.html", "actions/upload-artifact"]
    pos = [text.find(s) for s in order]
    assert all(p >= 0 for p in pos) and pos == sorted(pos), dict(zip(order, pos))
    assert "path: |\n            report.html" in text
    # every l10n command line in it parses with the real CLI (options and choices exist)
    lines = [ln.strip().removeprefix("run:").strip() for ln in text.splitlines()]
    cmds = [shlex.split(ln) for ln in lines if ln.startswith("l10n ")]
    assert len(cmds) >= 6
    for argv in cmds:
        ctx = cli.make_context("l10n", argv[1:2])
        sub = cli.get_command(ctx, argv[1])
        assert sub is not None, argv
        sub.make_context(argv[1], argv[2:], parent=ctx)      # raises on an unknown option or choice


def test_chrome_for_rewrites_links_from_the_source_locales_it_is_given(site):
    cfg, _ = site
    from l10n.project import load_pages
    pages = load_pages(cfg)
    morphea = next(p for p in pages if p.rel.endswith("qa/morphea.html"))
    published = {(f"source_pages/{p}", lo) for p, lo in PUBLISHED}
    chrome = chrome_for(cfg, morphea, "zh_CN", published, source_locales(pages))
    assert chrome.rewrite_href("../articles/methotrexate.html") == "../../en/articles/methotrexate.html"
    assert chrome.rewrite_href("../articles/tacrolimus.html") == "../articles/tacrolimus.html"
    assert chrome.rewrite_href("https://example.org/x.html") == "https://example.org/x.html"
    assert chrome.rewrite_href("#top") == "#top"


def test_index_lines_made_as_the_workers_results_come_in_are_the_ones_the_indexes_list(tmp_path):
    """render_pages makes each rendered version's index line in the parent while the workers go on;
    each must be the line write_site_extras would make of that version's row, held-back pages too."""
    from l10n.build.render import render_pages
    from l10n.build.sitefiles import index_entry, write_site_extras
    from l10n.project import load_pages
    from l10n.site import index_line

    cfg, _rep = build_site(tmp_path)
    pages = load_pages(cfg)
    outcome, _rc = render_pages(cfg, pages, jobs=1)         # no cache: every version rendered
    by_rel = {p.rel: p for p in pages}
    source_out = {st.page: st.output for st in outcome.stats if st.locale == by_rel[st.page].locale}

    def titles(pg: Page, loc: str) -> tuple[str, bool]:
        return outcome.titles[(pg.rel, loc)]

    held_back = cfg.rel(cfg.source_dir / "articles" / "methotrexate.html")
    assert {(st.page, st.locale) for st in outcome.stats if not st.published} == {(held_back, "zh_CN")}
    assert set(outcome.lines) == {(st.page, st.locale) for st in outcome.stats}
    for st in outcome.stats:
        want = index_line(st.locale, index_entry(cfg, by_rel[st.page], st, source_out, titles=titles), cfg)
        assert outcome.lines[(st.page, st.locale)] == want
    held = outcome.lines[(held_back, "zh_CN")]
    assert "data-held-back" in held and 'lang="en"' in held
    # the site written with those lines is the site written without them
    assert write_site_extras(cfg, pages, outcome.stats, titles=titles, known=outcome.lines) == 0
    assert write_site_extras(cfg, pages, outcome.stats, titles=titles) == 0
    # and the lines given are the ones listed
    planted = {k: "<li>planted</li>" for k in outcome.lines}
    assert write_site_extras(cfg, pages, outcome.stats, titles=titles, known=planted) == len(cfg.locales)
    for loc in cfg.locales:
        assert "<li>planted</li>" in (cfg.output_dir / loc / "index.html").read_text("utf-8")


def test_a_render_into_a_new_folder_signs_each_mo_as_its_worker_read_it(tmp_path):
    """A cold render lets the workers sign the .mo files they read (the parent stats none) and reads
    no page back from a folder that was not there: the next render finds every version fresh, a
    recompiled .mo makes its versions stale and no other, and the site is the one a render over an
    existing folder writes."""
    import os

    from l10n.build.render import MO_READ, load_render_cache, render_pages, save_render_cache
    from l10n.project import load_pages
    from l10n.workers import file_sig

    cfg, _rep = build_site(tmp_path)
    before = {p.relative_to(cfg.output_dir).as_posix(): p.read_bytes()
              for p in sorted(cfg.output_dir.rglob("*.html"))}
    shutil.rmtree(cfg.output_dir)
    pages = load_pages(cfg)
    outcome, rc = render_pages(cfg, pages, jobs=2, cache=None)
    assert outcome.rendered == len(outcome.stats)
    for (rel, loc), rec in rc.items.items():
        pg = next(p for p in pages if p.rel == rel)
        assert rec.key[1] is not MO_READ
        assert rec.key[1] == (None if loc == pg.locale else file_sig(cfg.mo_path(loc, pg.domain)))
    after = {p.relative_to(cfg.output_dir).as_posix(): p.read_bytes() for p in sorted(cfg.output_dir.rglob("*.html"))}
    assert set(after) == {st.output for st in outcome.stats if st.published}      # the indexes come later
    assert after == {k: before[k] for k in after}
    save_render_cache(cfg, rc).result()
    again, rc2 = render_pages(cfg, pages, jobs=2, cache=load_render_cache(cfg))
    assert again.rendered == 0
    pg = next(p for p in pages if p.locale == "en")
    mo = cfg.mo_path("zh_TW", pg.domain)
    data = mo.read_bytes()
    os.unlink(mo)
    mo.write_bytes(data)            # the same bytes, a new file: its versions are rendered again
    third, _rc3 = render_pages(cfg, pages, jobs=2, cache=rc2)
    assert third.rendered == 1


@pytest.mark.parametrize("base_url", [None, "https://derm.example.org/site"])
def test_chrome_rendered_once_per_folder_shape_is_each_pages_own(tmp_path, base_url):
    """chrome_for renders the shipped chrome once for the pages of one folder with the same
    versions and puts each page's file name in; every page must get what rendering its own
    chrome (chrome_html) gives: names of every kind, folders at every depth, each locale and
    set of published versions. A name that links would percent-encode is rendered on its own."""
    from dataclasses import replace

    from l10n.project import load_pages
    from l10n.site import chrome_html
    from l10n.templating import templates_for

    cfg = load_config(make_project(tmp_path))
    if base_url:
        cfg = replace(cfg, base_url=base_url)
    assert templates_for(cfg).shipped_chrome
    page = load_pages(cfg)[0]
    names = ["q000123.html", "a.html", "x.y.html", "UPPER_and-dash~1.html", "qa.html", "index.html",
             "has space.html", "引言.html", "a&b.html", "l10n-chrome-stand-in-7f3a9c.html", "qa"]
    folders = ["", "qa", "qa/derm", "a/b/c/d", "qa/qa.html"]
    sources = {page.rel: page.locale}
    checked = 0
    for folder in folders:
        for name in names:
            rel = f"source_pages/{folder}/{name}" if folder else f"source_pages/{name}"
            pg = Page(cfg.root / rel, rel, "d", page.skeleton)
            for versions in [cfg.locales, cfg.locales[:1], cfg.locales[1:], ()]:
                published = {(rel, lo) for lo in versions}
                for loc in cfg.locales:
                    for tags in [(False, False), (True, False), (False, True)]:
                        ch = chrome_for(cfg, pg, loc, published, sources, tags=tags)
                        path = rel.removeprefix("source_pages/")
                        assert (ch.head, ch.body) == chrome_html(cfg, path, pg.locale, loc, versions, tags), \
                            (rel, loc, versions, tags)
                        checked += 1
    assert checked == len(folders) * len(names) * 4 * len(cfg.locales) * 3
    assert 0 < len(templates_for(cfg).memo) < checked / 10          # most were filled in, not rendered


def test_an_overridden_chrome_template_is_rendered_for_each_page(tmp_path):
    """A publisher's chrome may write the page's path anywhere (or test it): no shape is kept."""
    from l10n.project import load_pages
    from l10n.templating import templates_for

    root = make_project(tmp_path, templates="templates")
    (root / "templates").mkdir()
    (root / "templates" / "chrome_body.html").write_text(
        '{% macro chrome_body(page) %}<p data-path="{{ page.path }}">'
        '{% if page.path.endswith("b.html") %}B{% endif %}</p>{% endmacro %}', "utf-8")
    cfg = load_config(root)
    assert not templates_for(cfg).shipped_chrome
    page = load_pages(cfg)[0]
    bodies = []
    for name in ("a.html", "b.html"):
        rel = f"source_pages/qa/{name}"
        pg = Page(cfg.root / rel, rel, "d", page.skeleton)
        bodies.append(chrome_for(cfg, pg, "en", {(rel, "en")}, {}, tags=(False, False)).body)
    assert bodies == ['<p data-path="qa/a.html"></p>', '<p data-path="qa/b.html">B</p>']
    assert templates_for(cfg).memo == {}


def test_the_indexes_digest_goes_with_the_render_cache_it_was_saved_with(tmp_path):
    """``l10n render`` saves its cache in a child while it writes the indexes, then their digest in
    a file of its own, tied to that cache by a token: a digest from another save counts as none."""
    from l10n.build.render import load_render_cache, save_extras_digest, save_render_cache

    cfg, _rep = build_site(tmp_path)
    render_site(cfg)
    rc = load_render_cache(cfg)
    assert rc.items and rc.token and rc.extras        # the render's own save: the digest goes with it
    extras_file = cfg.root / ".l10n-cache" / "render-extras.pickle"
    extras = extras_file.read_bytes()
    save_render_cache(cfg, rc).result()                 # a new token: the digest saved before is not its own
    assert load_render_cache(cfg).extras == ""
    save_extras_digest(cfg, rc)
    assert load_render_cache(cfg).extras == rc.extras
    extras_file.write_bytes(extras[: len(extras) // 2])     # a broken file counts as none
    assert load_render_cache(cfg).extras == ""
    extras_file.unlink()
    assert load_render_cache(cfg).extras == ""
    again = render_site(cfg)                            # the indexes checked again: the same, nothing written
    assert again.written == 0
    assert load_render_cache(cfg).extras == rc.extras
