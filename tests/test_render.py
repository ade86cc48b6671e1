"""Rendering: the identity render gives the source back; a locale render fills the
units from a table, keeps the source's markup and falls back visibly."""
from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from l10n.config import load_config
from l10n.html.render import Chrome, render
from l10n.html.walker import decode_page, parse_page
from l10n.locales import bcp47
from l10n.project import build

from project_fixture import REPO, make_project, translate_all

SHIPPED = sorted((REPO / "source_pages").rglob("*.html"))
TRICKY = sorted((Path(__file__).parent / "fixtures" / "render").glob("*.html"))


def tree(html: str):
    """An lxml parse as plain data: tag, attributes, text, tail, children; and the doctype.

    A boolean attribute written bare (``required``, ``selected``) and written
    empty (``selected=""``) are the same attribute in HTML; lxml reads the bare
    form as None or as the attribute's name, so both count as "".
    """
    doc = lxml.html.document_fromstring(html)

    def t(e):
        tag = e.tag if isinstance(e.tag, str) else type(e).__name__
        attrs = {k: ("" if v is None or v == k else v) for k, v in e.attrib.items()}
        return (tag, attrs, e.text, e.tail, [t(c) for c in e])

    return doc.getroottree().docinfo.doctype, t(doc)


def identity(data: bytes, name: str = "p.html"):
    sk = parse_page(data, name)
    return sk, render(sk, None, locale=sk.locale)


# -- identity round trip ------------------------------------------------------------------

def test_there_are_shipped_pages():
    assert len(SHIPPED) >= 6


@pytest.mark.parametrize("path", SHIPPED + TRICKY, ids=lambda p: p.name)
def test_identity_render_equals_the_source(path):
    data = path.read_bytes()
    sk, res = identity(data, path.name)
    assert sk.segments, "the page has units"
    assert tree(res.html) == tree(decode_page(data, path.name))
    assert res.translated == res.units == len(sk.segments)
    assert res.invalid == ()


@pytest.mark.parametrize("path", SHIPPED + TRICKY, ids=lambda p: p.name)
def test_identity_render_is_stable_when_parsed_again(path):
    """Rendering the rendered page gives the same page and the same units."""
    sk, res = identity(path.read_bytes(), path.name)
    sk2, res2 = identity(res.html.encode("utf-8"), path.name)
    assert res2.html == res.html
    assert [(s.msgid, s.place, s.msgctxt) for s in sk2.segments] == \
           [(s.msgid, s.place, s.msgctxt) for s in sk.segments]


def test_identity_keeps_entities_whitespace_and_raw_text():
    src = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n'
           "  <title>Q&amp;A</title>\n  <script>if (a < b && c) x();</script>\n</head>\n<body>\n"
           '  <p title="a &quot;b&quot; &amp; c">x &lt;y&gt; &amp;amp; z&nbsp;w</p>\n'
           "  <pre>  keep\n    this  </pre>\n  <textarea>  &lt;b&gt; </textarea>\n</body>\n</html>\n")
    _, res = identity(src.encode())
    assert tree(res.html) == tree(src)
    assert "  <pre>  keep\n    this  </pre>" in res.html
    assert "x &lt;y&gt; &amp;amp; z&nbsp;w" in res.html
    assert "<script>if (a < b && c) x();</script>" in res.html
    assert "\n  <p " in res.html          # indentation between blocks kept


def test_identity_of_a_big5_page_declares_utf8():
    """A Big5 page is read as Big5 and written as UTF-8: its <meta charset> must say so."""
    src = ('<!DOCTYPE html>\n<html lang="zh-Hant-TW">\n<head>\n<meta charset="big5">\n'
           "<title>局部硬皮症</title>\n</head>\n<body>\n<p>醫師您好</p>\n</body>\n</html>\n")
    _, res = identity(src.encode("big5"))
    out = res.html.encode("utf-8")
    assert b'<meta charset="utf-8">' in out
    assert decode_page(out, "out.html") == src.replace('charset="big5"', 'charset="utf-8"')


# -- rendering into a locale ------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Morphea</title>
<meta name="description" content="About morphea">
</head>
<body>
<p>See <a href="a.html" class="first">page A</a> and <a href="b.html" hreflang="en">page B</a><br>now.</p>
<p>Updated <time datetime="2023-02-27">2023-02-27</time>.</p>
<p>Untranslated paragraph with <strong>bold</strong> text.</p>
<p>Run <code>ls -l</code> and <span translate="no">Protopic</span> daily.</p>
<img src="a.png" alt="A plaque">
<ul><li>Outer<ul><li>Inner</li></ul>tail</li></ul>
</body>
</html>
"""

ZH_TW = {
    "Morphea": "硬斑病",
    "About morphea": "關於硬斑病",
    "See <a1>page A</a1> and <a2>page B</a2><br1/>now.": "請看<a2>B 頁</a2>和<a1>A 頁</a1><br1/>。",
    "Updated <time1>2023-02-27</time1>.": "更新於<time1>2023-02-27</time1>。",
    "Run <code1>ls -l</code1> and <span1>Protopic</span1> daily.": "每天執行<code1>rm</code1>和<span1>x</span1>。",
    "A plaque": "斑塊",
    "Outer": "外層",
    "Inner": "內層",
    "tail": "尾巴",
}


def render_in(locale: str, table: dict[str, str], page: str = PAGE, fallback_lang: str | None = "en"):
    sk = parse_page(page.encode(), "p.html")
    return render(sk, lambda s: table.get(s.msgid), locale=locale,
                  chrome=Chrome(lang=bcp47(locale)), fallback_lang=fallback_lang)


def doc(html: str):
    return lxml.html.document_fromstring(html)


def test_placeholders_get_the_source_attributes_back_even_when_reordered():
    d = doc(render_in("zh_TW", ZH_TW).html)
    p = d.xpath("//p")[0]
    links = p.xpath("a")
    assert [(a.text, a.get("href"), a.get("class"), a.get("hreflang")) for a in links] == [
        ("B 頁", "b.html", None, "en"), ("A 頁", "a.html", "first", None)]
    assert p.xpath("br") and p.text_content() == "請看B 頁和A 頁。"


def test_frozen_placeholders_keep_their_source_content():
    d = doc(render_in("zh_TW", ZH_TW).html)
    p = d.xpath("//p")[3]
    assert p.xpath("code")[0].text == "ls -l"            # the translator wrote "rm"
    assert p.xpath("span[@translate='no']")[0].text == "Protopic"


@pytest.mark.parametrize("locale,expected", [
    ("en", "February 27, 2023"), ("zh_TW", "2023年2月27日"), ("zh_CN", "2023年2月27日")])
def test_dates_are_localized(locale, expected):
    table = {"Updated <time1>2023-02-27</time1>.": "X <time1>2023-02-27</time1>."}
    t = doc(render_in(locale, table).html).xpath("//time")[0]
    assert (t.text, t.get("datetime")) == (expected, "2023-02-27")


def test_untranslated_unit_falls_back_in_a_span_with_the_source_language():
    res = render_in("zh_TW", ZH_TW)
    p = doc(res.html).xpath("//p")[2]    # the third <p>: untranslated
    (span,) = p.xpath("span")
    assert span.get("lang") == "en"
    assert span.text_content() == "Untranslated paragraph with bold text."
    assert span.xpath("strong")[0].text == "bold"
    assert res.units == 10 and res.translated == 9


def test_fallback_lang_is_the_source_pages_lang_as_written():
    page = PAGE.replace('lang="en"', 'lang="en-GB"')
    res = render_in("zh_TW", {}, page=page, fallback_lang="en-GB")
    assert 'lang="en-GB">Untranslated' in res.html


def test_untranslated_title_and_attributes_fall_back_without_a_span():
    res = render_in("zh_TW", {})
    d = doc(res.html)
    assert d.findtext(".//title") == "Morphea"
    assert d.xpath("//img/@alt") == ["A plaque"]
    assert res.translated == 0


@pytest.mark.parametrize("bad", [
    "請看<a1>A 頁",                             # not closed
    "請看</a1>A 頁<a1>",                         # closed before opened
    "請看<a3>A 頁</a3>",                         # not a placeholder of the source
    "請看<a1>A</a1><a1>B</a1><br1/>",            # used twice
    "請看<br1>A 頁</br1>",                       # void written as a pair
])
def test_unbalanced_placeholders_fall_back_to_the_source(bad):
    key = "See <a1>page A</a1> and <a2>page B</a2><br1/>now."
    res = render_in("zh_TW", {key: bad})
    p = doc(res.html).xpath("//p")[0]
    (span,) = p.xpath("span[@lang='en']")
    assert span.text_content() == "See page A and page Bnow."
    assert [s.msgid for s, _ in res.invalid] == [key]


def test_translation_text_is_escaped_never_markup():
    res = render_in("zh_TW", {"Morphea": "<script>alert(1)</script>",
                              "Outer": '<img src=x onerror="alert(1)">&amp;',
                              "A plaque": '" onload="alert(1)'})
    d = doc(res.html)
    assert not d.xpath("//script") and not d.xpath("//*[@onerror]") and not d.xpath("//*[@onload]")
    assert d.findtext(".//title") == "<script>alert(1)</script>"
    assert d.xpath("//img/@alt") == ['" onload="alert(1)']


def test_mixed_block_and_inline_units_render_in_place():
    d = doc(render_in("zh_TW", ZH_TW).html)
    outer = d.xpath("//body/ul/li")[0]
    assert outer.text == "外層" and outer.xpath("ul/li")[0].text == "內層"
    assert outer.xpath("ul")[0].tail == "尾巴"


@pytest.mark.parametrize("locale,tag", [("en", "en"), ("zh_TW", "zh-Hant-TW"), ("zh_CN", "zh-Hans-CN")])
def test_html_lang_becomes_the_locales_bcp47_tag(locale, tag):
    assert bcp47(locale) == tag
    assert doc(render_in(locale, {}).html).get("lang") == tag


def test_without_chrome_the_lang_is_kept():
    sk = parse_page(PAGE.encode(), "p.html")
    assert doc(render(sk, lambda s: None, locale="zh_TW").html).get("lang") == "en"


def test_chrome_goes_before_head_end_and_after_body_start():
    sk = parse_page(PAGE.encode(), "p.html")
    html = render(sk, None, locale="en", chrome=Chrome(lang="en", head="<!--H-->", body="<!--B-->")).html
    assert "<!--H--></head>" in html and "<body><!--B-->" in html


# -- the site: lang, hreflang alternates, switcher -------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("render"))
    cfg = load_config(root)
    build(cfg)
    translate_all(root)
    build(cfg)
    return root / "site"


@pytest.mark.parametrize("out,lang", [
    ("en/guide.html", "en"), ("zh_TW/guide.html", "zh-Hant-TW"), ("zh_CN/guide.html", "zh-Hans-CN"),
    ("zh_TW/qa/ask.html", "zh-Hant-TW"), ("en/qa/ask.html", "en"), ("zh_CN/qa/ask.html", "zh-Hans-CN")])
def test_site_pages_have_lang_alternates_and_switcher(site, out, lang):
    d = doc((site / out).read_text("utf-8"))
    assert d.get("lang") == lang
    alts = {a.get("hreflang"): a.get("href") for a in d.xpath("//head/link[@rel='alternate']")}
    assert set(alts) == {"en", "zh-Hant-TW", "zh-Hans-CN", "x-default"}
    here = (site / out).parent
    for href in alts.values():               # every alternate is a page that exists
        assert (here / href).resolve().is_file(), href
    src_default = "en/guide.html" if "guide" in out else "zh_TW/qa/ask.html"
    assert (here / alts["x-default"]).resolve() == (site / src_default).resolve()
    nav = d.xpath("//nav[contains(@class,'l10n-switcher')]")
    assert len(nav) == 1
    links = nav[0].xpath(".//a[@hreflang]")
    assert sorted(a.get("hreflang") for a in links) == ["en", "zh-Hans-CN", "zh-Hant-TW"]
    current = [a for a in links if a.get("aria-current") == "page"]
    assert [a.get("hreflang") for a in current] == [lang]


def test_site_page_content_is_translated(site):
    d = doc((site / "zh_TW/guide.html").read_text("utf-8"))
    assert d.findtext(".//h1") == "皮膚照護指南"
    assert d.xpath("//p/a[@class='more']/@href") == ["qa/ask.html"]
    assert d.xpath("//time/text()") == ["2023年2月27日"]
    d = doc((site / "en/qa/ask.html").read_text("utf-8"))
    assert d.xpath("//time/text()") == ["February 27, 2023"]
    assert d.findtext(".//title") == "Medical Q&A"


def test_time_holding_markup_is_not_rewritten_as_a_date():
    """Only a <time> holding just its text becomes a localized date; one holding a link
    keeps the link (and its title unit) instead of losing it to the date."""
    page = PAGE.replace('<time datetime="2023-02-27">2023-02-27</time>',
                        '<time datetime="2023-02-27"><a href="log.html" title="Change log">Feb 27</a></time>')
    table = {"Updated <time1><a1>Feb 27</a1></time1>.": "更新於<time1><a1>2月27日</a1></time1>。",
             "Change log": "變更紀錄"}
    res = render_in("zh_TW", table, page=page)
    (a,) = doc(res.html).xpath("//time/a")
    assert (a.get("href"), a.get("title"), a.text) == ("log.html", "變更紀錄", "2月27日")
    assert res.translated == 2
