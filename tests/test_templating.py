"""The site and report templates (l10n/templates, l10n/templating.py): what they render, how a
publisher overrides them, and what a broken override does. Also the names readers see
(l10n.locales.native_name, language_name) and the notice on a partly translated page."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from l10n.cli import cli
from l10n.config import load_config
from l10n.errors import ConfigError, TemplateError
from l10n.html.render import render
from l10n.locales import display_name, language_name, native_name
from l10n.project import build, load_pages
from l10n.site import IndexEntry, chrome_for, index_line, index_page, source_locales
from l10n.templating import MACROS, PACKAGE_TEMPLATES, Templates, load_templates, templates_for
from site_fixture import FALLBACK_MSGID, make_project

CHROME_BODY = ("""{% import "l10n/chrome_body.html" as shipped %}
{% macro chrome_body(page) %}

<header class="publisher" data-section="{{ page.section }}">"""
               """<a href="{{ page.root }}index.html">Skin Notes &amp; Co</a></header>
{{- shipped.chrome_body(page) }}
{%- endmacro %}
""")
LAYOUT = """{% extends "l10n/layout.html" %}
{% block header %}<header class="publisher">Skin Notes &amp; Co</header>{% endblock %}
{% block footer %}<footer class="publisher">© Skin Notes (sample)</footer>{% endblock %}
"""


def l10n(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_bytes(), "lxml")


def project_with(tmp_path: Path, files: dict[str, str], name: str = "tplproj") -> Path:
    """The site fixture with ``templates = "templates"`` and these files in it."""
    root = make_project(tmp_path, name, templates="templates")
    for rel, text in files.items():
        p = root / "templates" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, "utf-8")
    (root / "templates").mkdir(exist_ok=True)
    return root


# -- names readers see ----------------------------------------------------------------------

@pytest.mark.parametrize("locale,name", [("en", "English"), ("zh_TW", "繁體中文"), ("zh_CN", "简体中文"),
                                         ("zh_HK", "繁體中文（香港）"), ("en_GB", "English (United Kingdom)"),
                                         ("fr", "Français")])
def test_languages_are_named_as_their_readers_write_them(locale, name):
    assert native_name(locale) == name
    assert "(" not in native_name("zh_TW") and "," not in native_name("zh_CN")


def test_po_headers_keep_cldr_display_names():
    # Language-Team headers of existing catalogs stay as they were
    assert display_name("zh_TW") == "中文 (繁體, 台灣)"


@pytest.mark.parametrize("source,reader,name", [("en", "zh_TW", "英文"), ("en", "zh_CN", "英文"),
                                                ("zh_TW", "en", "Chinese"), ("zh_TW", "zh_CN", "繁体中文"),
                                                ("zh-Hant-TW", "zh_CN", "繁体中文"), ("zh_CN", "zh_TW", "簡體中文"),
                                                ("fr", "zh_CN", "法文")])
def test_the_source_language_is_named_for_the_reader(source, reader, name):
    assert language_name(source, reader) == name


# -- the shipped templates --------------------------------------------------------------------

def test_shipped_templates_compile_with_every_per_page_macro():
    t = Templates()
    assert set(t.macros) == set(MACROS)
    names = {p.name for p in PACKAGE_TEMPLATES.iterdir()}
    assert {"layout.html", "index.html", "root.html", "report.html", "stats.html", "l10n.css"} <= names
    assert load_templates(None, ()) is load_templates(None, ())      # compiled once


def test_everything_a_template_prints_is_escaped(tmp_path):
    root = make_project(tmp_path)
    pp = root / "pyproject.toml"
    pp.write_text(pp.read_text("utf-8").replace('articles = { en = "Articles"', 'articles = { en = "<b>Art</b>"'),
                  "utf-8")
    cfg = load_config(root)
    e = IndexEntry("en/articles/x.html", '<script>alert(1)</script> & "x"', None, 100.0, True,
                   "en/articles/x.html", "en")
    line = index_line("en", e, cfg)
    assert "<script>" not in line and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;x&#34;" in line
    page = index_page(cfg, "en", [(e.output, True, line)], cfg.locales, stylesheets=[])
    s = BeautifulSoup(page, "lxml")
    assert not s.select("script, b") and s.select("section.l10n-section h2")[0].get_text() == "<b>Art</b>"


def test_a_section_without_a_name_is_titled_by_its_folder(tmp_path):
    root = make_project(tmp_path)
    pp = root / "pyproject.toml"
    text = pp.read_text("utf-8")
    pp.write_text(text[:text.index("[tool.l10n.sections]")], "utf-8")
    assert l10n("build", "-p", str(root)).exit_code == 0      # nothing translated: each index has its sources
    for locale, section in (("en", "articles"), ("zh_TW", "qa")):
        s = soup(root / "site" / locale / "index.html")
        assert [h.get_text() for h in s.select("section.l10n-section h2")] == [section]


def test_notice_names_the_source_language_in_the_readers_language(tmp_path):
    """A zh_TW page read in English and in zh_CN with one unit untranslated; an English page
    read in zh_TW; a complete version and a source page get no notice."""
    cfg = load_config(make_project(tmp_path))
    pages = {p.rel.split("/", 1)[1]: p for p in load_pages(cfg)}
    published = {(p.rel, lo) for p in pages.values() for lo in cfg.locales}

    def page_html(rel: str, locale: str, missing: str | None) -> BeautifulSoup:
        pg = pages[rel]
        chrome = chrome_for(cfg, pg, locale, published, source_locales(list(pages.values())))
        lookup = None if locale == pg.locale else (lambda s: None if s.msgid == missing else "譯文 translated")
        return BeautifulSoup(render(pg.skeleton, lookup, locale=locale, chrome=chrome,
                                    fallback_lang=pg.skeleton.lang).html, "lxml")

    morphea = "source_pages/qa/morphea.html"
    first_para = "局部硬皮症又稱為硬斑病，主要侵犯皮膚。"
    for locale, want, lang in [("en", "Part of this page has not been translated yet and is shown in Chinese.", "en"),
                               ("zh_CN", "本页部分内容尚未翻译，以繁体中文显示。", "zh-Hans-CN")]:
        s = page_html(morphea.split("/", 1)[1], locale, first_para)
        notes = s.select("p.l10n-notice")
        assert [(n.get_text(), n.get("lang")) for n in notes] == [(want, lang)]
        # at the top: right after the switcher, before the page's own content
        body = [el for el in s.body.children if getattr(el, "name", None)]
        assert [el.name for el in body[:2]] == ["nav", "p"] and body[1] is notes[0]
        # the paragraph itself keeps its source language
        assert s.find(string=first_para).parent.get("lang") == "zh-Hant-TW"
    s = page_html("articles/tacrolimus.html", "zh_TW", FALLBACK_MSGID)
    assert s.select_one("p.l10n-notice").get_text() == "本頁部分內容尚未翻譯，以英文顯示。"
    assert not page_html("articles/tacrolimus.html", "zh_TW", None).select("p.l10n-notice")   # complete
    assert not page_html("articles/tacrolimus.html", "en", None).select("p.l10n-notice")      # the source


# -- a publisher's overrides --------------------------------------------------------------------

def test_a_publisher_overrides_the_page_chrome_the_layout_and_the_stylesheet(tmp_path):
    root = project_with(tmp_path, {"chrome_body.html": CHROME_BODY, "layout.html": LAYOUT,
                                   "l10n.css": "/* the publisher's own */\n"})
    res = l10n("build", "-p", str(root))
    assert res.exit_code == 0, res.output
    site = root / "site"
    s = soup(site / "en/articles/tacrolimus.html")
    header = s.select("header.publisher")
    assert len(header) == 1 and header[0].get_text() == "Skin Notes & Co"
    assert header[0].get("data-section") == "articles"
    assert header[0].select_one("a").get("href") == "../../index.html"
    assert s.select("nav.l10n-switcher li a")                                  # the shipped switcher is kept
    for f in ("index.html", "en/index.html", "zh_CN/index.html"):           # the layout: picker and indexes
        s = soup(site / f)
        assert s.select_one("header.publisher").get_text() == "Skin Notes & Co", f
        assert s.select_one("footer.publisher").get_text() == "© Skin Notes (sample)", f
        assert s.select("main")
    assert (site / "l10n.css").read_text("utf-8") == "/* the publisher's own */\n"


def test_a_saved_template_renders_the_site_again(tmp_path):
    root = project_with(tmp_path, {"chrome_body.html": CHROME_BODY})
    cfg = load_config(root)
    build(cfg)
    page = root / "site/zh_TW/qa/morphea.html"
    assert "Skin Notes &amp; Co" in page.read_text("utf-8")
    tpl = root / "templates/chrome_body.html"
    tpl.write_text(CHROME_BODY.replace("Skin Notes &amp; Co", "Skin Notes, 2nd edition"), "utf-8")
    cfg2 = load_config(root)
    assert cfg2.site_templates_sig != cfg.site_templates_sig
    assert templates_for(cfg2) is not templates_for(cfg)
    build(cfg2)
    assert "Skin Notes, 2nd edition" in page.read_text("utf-8")
    assert build(cfg2).render.written == 0                                  # and then nothing to do
    # the index lines the build keeps are made again too
    (root / "templates/index_line.html").write_text(
        '{% macro index_line(e) %}<li class="mine"><a href="{{ e.href }}">{{ e.title }}</a></li>\n{% endmacro %}\n',
        "utf-8")
    build(load_config(root))
    index = soup(root / "site/zh_TW/index.html")
    assert [li.get("class") for li in index.select("section.l10n-section li")] == [["mine"]]


def test_the_report_can_be_overridden_too(tmp_path):
    root = project_with(tmp_path, {"report_layout.html": '{% extends "l10n/report_layout.html" %}'
                                   '{% block footer %}<footer id="publisher">Reviewed by the sample team</footer>'
                                   '{% endblock %}'})
    assert l10n("build", "-p", str(root)).exit_code == 0
    out = tmp_path / "stats.html"
    res = l10n("stats", "-p", str(root), "--format", "html", "-o", str(out))
    assert res.exit_code == 0, res.output
    s = soup(out)
    assert s.select_one("footer#publisher").get_text() == "Reviewed by the sample team"
    assert s.select("style") and s.select("table.summary")


# -- broken overrides are bad input -----------------------------------------------------------

def _error_line(res) -> str:
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("l10n: error: "), res.stderr
    return lines[0]


def test_a_template_that_does_not_parse_stops_the_build_before_the_site_is_written(tmp_path):
    root = project_with(tmp_path, {"layout.html": "{% extends 'l10n/layout.html' %}\n{% block header %}\n"})
    line = _error_line(l10n("build", "-p", str(root)))
    assert "templates/layout.html:2: template syntax error" in line and "endblock" in line
    assert not (root / "site").exists() or not list((root / "site").rglob("*.html"))     # no page written


def test_an_override_without_its_macro_is_reported(tmp_path):
    root = project_with(tmp_path, {"index_line.html": "<li>{{ e.title }}</li>\n"})
    line = _error_line(l10n("build", "-p", str(root)))
    assert "templates/index_line.html: defines no macro 'index_line'" in line


def test_a_template_failing_while_rendering_names_its_line(tmp_path):
    body = CHROME_BODY.replace("{{ page.section }}", "{{ page.no_such_thing }}")
    root = project_with(tmp_path, {"chrome_body.html": body})
    with pytest.raises(TemplateError) as ei:
        build(load_config(root))
    assert ei.value.path == str(root / "templates/chrome_body.html") and ei.value.line == 4
    assert "no_such_thing" in str(ei.value)
    line = _error_line(l10n("build", "-p", str(root)))
    assert "templates/chrome_body.html:4: template failed: UndefinedError" in line


def test_settings_for_templates_and_sections_are_checked(tmp_path):
    root = make_project(tmp_path, templates="theme")
    with pytest.raises(ConfigError) as ei:
        load_config(root)
    assert "templates folder does not exist: theme" in str(ei.value) and ei.value.line == 5
    shutil.rmtree(root)
    root = make_project(tmp_path)
    pp = root / "pyproject.toml"
    pp.write_text(pp.read_text("utf-8").replace('zh_CN = "问答"', 'ja = "問答"'), "utf-8")
    with pytest.raises(ConfigError) as ei:
        load_config(root)
    assert "section 'qa' names a locale the site does not have: ja" in str(ei.value)
    assert ei.value.line == pp.read_text("utf-8").splitlines().index(
        next(ln for ln in pp.read_text("utf-8").splitlines() if ln.startswith("qa ="))) + 1


def test_pages_at_the_top_come_first_without_a_heading_then_each_section_once(tmp_path):
    cfg = load_config(make_project(tmp_path))
    lines = [(f"en/{p}", True, f'<li><a href="{p}">{p}</a></li>\n')
             for p in ("about.html", "articles/a.html", "articles/b.html", "qa/q.html", "zz.html")]
    s = BeautifulSoup(index_page(cfg, "en", lines, cfg.locales, stylesheets=[]), "lxml")
    got = [(sec.get("data-section"), [h.get_text() for h in sec.select("h2")], [a.get_text() for a in sec.select("a")])
           for sec in s.select("main section.l10n-section")]
    assert got == [(None, [], ["about.html", "zz.html"]),
                   ("articles", ["Articles"], ["articles/a.html", "articles/b.html"]),
                   ("qa", ["Questions and answers"], ["qa/q.html"])]


def test_language_names_are_cldrs_and_kept_by_babel_version(tmp_path):
    """The site's language names come from CLDR once, then from the project's cache, keyed by
    babel's version and the locales (another version or another set of locales: CLDR again)."""
    import json

    from l10n.locales import language_name, language_names, native_name

    f = tmp_path / "language-names.json"
    names = language_names(["zh_TW", "zh_CN", "en"], f)
    assert names.name("zh_TW") == native_name("zh_TW") == "繁體中文"
    assert names.name("zh_CN") == "简体中文" and names.name("en") == "English"
    assert names.language("en", "zh_TW") == language_name("en", "zh_TW") == "英文"
    assert names.language("zh_TW", "zh_CN") == language_name("zh_TW", "zh_CN") == "繁体中文"
    assert names.name("fr") == native_name("fr")              # not a site locale: CLDR's
    data = json.loads(f.read_text("utf-8"))
    data["native"]["zh_TW"] = "（from the file）"
    f.write_text(json.dumps(data), "utf-8")
    assert language_names(["en", "zh_CN", "zh_TW"], f).name("zh_TW") == "（from the file）"
    assert language_names(["en", "zh_TW"], f).name("zh_TW") == "繁體中文"          # other locales
    data["key"][0] = "0.0"
    f.write_text(json.dumps(data), "utf-8")
    assert language_names(["en", "zh_CN", "zh_TW"], f).name("zh_TW") == "繁體中文"  # other babel
    f.write_text("{not json", "utf-8")
    assert language_names(["en", "zh_CN", "zh_TW"], f).name("zh_CN") == "简体中文"


def test_long_dates_from_the_cached_pattern_are_babels(tmp_path):
    """A page's dates are written as babel's format_date(d, "long", locale) writes them; the
    site takes the pattern and month names from the project's cache (a one-page build loads no
    CLDR data for them), and a pattern with another field (Thai's era) is left to babel."""
    import datetime as dt
    import json

    from babel.dates import format_date

    from l10n.locales import format_long_date, language_names, long_date_pattern

    locales = ["en", "zh_TW", "zh_CN", "zh_HK", "ja", "ko", "fr", "de", "es", "ru", "vi", "he", "th"]
    days = [dt.date(2023, 2, 27), dt.date(1999, 12, 31), dt.date(2024, 1, 1), dt.date(7, 9, 5), dt.date(2031, 5, 9)]
    days += [dt.date(2020, m, 1 + 2 * m) for m in range(1, 13)]
    f = tmp_path / "language-names.json"
    names = language_names(locales, f)
    again = language_names(locales, f)                   # from the file
    assert json.loads(f.read_text("utf-8"))["dates"]["zh_TW"][0] == "%(y)s年%(M)s月%(d)s日"
    assert long_date_pattern("th") is None and again.dates["th"] is None
    for lo in locales:
        for d in days:
            want = format_date(d, format="long", locale=lo)
            assert names.long_date(lo, d) == again.long_date(lo, d) == want, (lo, d)
            p = long_date_pattern(lo)
            if p is not None:
                assert format_long_date(p, d) == want
    assert again.long_date("zh_TW", dt.date(2023, 2, 27)) == "2023年2月27日"
    assert again.long_date("en", dt.date(2023, 2, 27)) == "February 27, 2023"
    assert again.long_date("pt", dt.date(2023, 2, 27)) == format_date(dt.date(2023, 2, 27), "long", locale="pt")
