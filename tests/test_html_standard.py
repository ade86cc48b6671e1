"""The HTML standard's own rules, and each defect of issue 15, pinned one by one.

html5lib (the standard's tree construction in Python) is the oracle where a tree is
compared; the encoding cases follow the standard's "prescan a byte stream to determine
its encoding" and the Encoding Standard's labels.
"""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from l10n.errors import PageError
from l10n.html.encoding import PRESCAN_BYTES, decode_page, prescan, sniff
from l10n.html.render import render
from l10n.html.walker import parse_page
from l10n.locales import chinese_script, is_bare_chinese, locale_for_lang, normalize_lang


def page(body: str, *, lang: str = "en", head: str = "<title>T</title>", charset: str = "utf-8") -> bytes:
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="{charset}">\n{head}\n</head>\n'
            f"<body>\n{body}\n</body>\n</html>\n").encode("utf-8")


def units(data: bytes) -> list[tuple[str, str]]:
    return [(s.place, s.msgid) for s in parse_page(data, "p.html").segments]


def msgids(body: str, **kw) -> list[str]:
    return [m for p, m in units(page(body, **kw)) if p != "title"]


def identity(data: bytes) -> str:
    """Every unit translated by itself: the placeholder path of render."""
    sk = parse_page(data, "p.html")
    res = render(sk, [s.msgid for s in sk.segments], locale=sk.locale)
    assert res.invalid == ()
    return res.html


def tree(html: str) -> str:
    """html5lib's tree, as html5lib serializes it: what a browser builds."""
    return str(BeautifulSoup(html, "html5lib", multi_valued_attributes=None))


# -- defect 1: only ASCII whitespace is HTML whitespace ------------------------------------

@pytest.mark.parametrize("body,msgid", [
    ("<p>　　翱翔于天际的示例文字。</p>", "　　翱翔于天际的示例文字。"),
    ("<p>Copyright&nbsp;</p>", "Copyright\u00a0"),
    ('<p><input name="d">&nbsp;&nbsp;&nbsp;(範例：61/03/31)</p>', "\u00a0\u00a0\u00a0(範例：61/03/31)"),
    ("<p>\n  &nbsp;Indented with a no-break space\n</p>", "\u00a0Indented with a no-break space"),
])
def test_nbsp_and_ideographic_space_at_unit_edges_are_content(body, msgid):
    assert msgids(body) == [msgid]


@pytest.mark.parametrize("body", ["<p>　　翱翔于天际的示例文字。</p>", "<div>Copyright&nbsp;© 2026</div>",
                                  '<p title="&nbsp;Tip&nbsp;">x y</p>'])
def test_nbsp_and_ideographic_space_come_back_in_the_page(body):
    data = page(body)
    assert tree(identity(data)) == tree(data.decode())


def test_nbsp_is_a_literal_u00a0_in_the_msgid_and_nbsp_in_the_page():
    data = page("<p>A&nbsp;B&nbsp;</p>")
    assert msgids("<p>A&nbsp;B&nbsp;</p>") == ["A\u00a0B\u00a0"]
    assert "<p>A&nbsp;B&nbsp;</p>" in identity(data)


def test_attribute_units_keep_nbsp_at_their_edges():
    assert ("img@alt", "\u00a0Logo") in units(page('<img src="l.png" alt="&nbsp;Logo">'))


# -- defect 2: encoding sniffing -----------------------------------------------------------

def test_data_charset_is_not_a_charset():
    data = page("<p>South Africa’s clinics</p>").replace(b'charset="utf-8"',
                                                       b'charset="utf-8" data-charset="windows-1252"')
    assert msgids_of(data) == ["South Africa’s clinics"]


def msgids_of(data: bytes) -> list[str]:
    return [m for p, m in units(data) if p != "title"]


def test_bom_beats_meta():
    data = b"\xef\xbb\xbf" + page("<p>中文內容</p>", charset="big5")
    assert sniff(data).source == "bom"
    assert msgids_of(data) == ["中文內容"]


def test_meta_inside_a_comment_is_ignored():
    html = '<!DOCTYPE html><html lang="zh-Hant-TW"><head><!-- <meta charset="big5"> --><meta charset="utf-8">' \
           "<title>T</title></head><body><p>中文內容</p></body></html>"
    assert prescan(html.encode())[0] == "utf-8"
    assert msgids_of(html.encode()) == ["中文內容"]


def test_http_equiv_content_type_works_and_names_the_label_as_written():
    html = ('<html lang="zh-Hans-CN"><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
            "<title>T</title></head><body><p>医师您好</p></body></html>")
    s = sniff(html.encode("gbk"))
    assert (s.label, s.encoding, s.codec) == ("gb2312", "gbk", "gb18030")
    assert msgids_of(html.encode("gbk")) == ["医师您好"]


def test_content_without_http_equiv_is_not_a_declaration():
    data = b'<html lang="en"><head><meta content="text/html; charset=big5"><title>T</title></head></html>'
    assert prescan(data) is None


def test_prescan_stops_at_1024_bytes():
    filler = "<!-- " + "x" * (PRESCAN_BYTES - 20) + " -->"
    html = f'<html lang="en"><head>{filler}<meta charset="windows-1252"><title>T</title></head>' \
           "<body><p>Caf\u00e9</p></body></html>"
    assert sniff(html.encode("utf-8")).source == "default"      # the meta is past byte 1,024
    assert msgids_of(html.encode("utf-8")) == ["Caf\u00e9"]
    short = html.replace(filler, "")
    assert sniff(short.encode("cp1252")).encoding == "windows-1252"


def test_charset_in_another_tags_attribute_is_ignored():
    data = b'<html lang="en"><head><link rel="x" title="charset=big5"><meta name="x" content="charset=big5">' \
           b'<meta charset="utf-8"></head></html>'
    assert prescan(data)[0] == "utf-8"


def test_error_names_the_label_the_page_declared():
    html = ('<html lang="zh-Hans-CN"><head><meta charset="gb2312"><title>T</title></head>'
            "<body><p>医师</p></body></html>")
    with pytest.raises(PageError, match=r"declared gb2312, read as gb18030") as ei:
        decode_page(html.encode("gbk") + b"\x81\x20", "g.html")
    assert ei.value.line == 1


def test_utf16_label_in_a_meta_reads_utf8():
    assert sniff(b'<meta charset="utf-16"><p>x</p>').codec == "utf-8"


# -- defect 3: a comment is not a boundary ---------------------------------------------------

def test_comment_inside_a_paragraph_does_not_split_the_unit():
    assert msgids("<p><!-- c -->A paragraph<!-- d -->.</p>") == ["A paragraph."]


def test_comment_inside_inline_markup_keeps_the_inline_in_the_unit():
    assert msgids("<p>See <b>this<!-- x --> note</b> now</p>") == ["See <b1>this note</b1> now"]


def test_comments_at_the_edges_stay_in_every_page():
    data = page("<p><!-- c -->A paragraph<!-- d -->.</p>")
    out = identity(data)
    assert "<!-- c -->" in out


# -- defect 4: translate is inherited and can be switched back on ----------------------------

def test_translate_yes_inside_translate_no_is_extracted():
    assert msgids('<div translate="no"><p>Brand name</p><p translate="yes">Open daily</p></div>') == ["Open daily"]


def test_translate_yes_inline_inside_a_translate_no_block():
    body = '<p translate="no">Example Clinic, <span translate="yes">open Monday to Friday</span></p>'
    assert msgids(body) == ["open Monday to Friday"]
    assert tree(identity(page(body))) == tree(page(body).decode())


def test_attributes_under_translate_no_are_not_units_until_switched_on():
    body = ('<div translate="no"><img src="a.png" alt="Brand logo">'
            '<div translate="yes"><img src="b.png" alt="A map"></div></div>')
    assert msgids(body) == ["A map"]


def test_translate_with_an_invalid_value_inherits():
    assert msgids('<div translate="no"><p translate="maybe">Brand</p></div>') == []


# -- defect 5: what is extracted -------------------------------------------------------------

@pytest.mark.parametrize("head,place,msgid", [
    ('<meta name="keywords" content="skin, clinic hours">', "meta[name=keywords]", "skin, clinic hours"),
    ('<meta property="og:site_name" content="Example Health">', "meta[property=og:site_name]", "Example Health"),
])
def test_meta_keywords_and_site_name(head, place, msgid):
    assert (place, msgid) in units(page("", head="<title>T</title>" + head))


@pytest.mark.parametrize("body,place,msgid", [
    ("<noscript>For full functionality, it is necessary to enable JavaScript.</noscript>", "noscript",
     "For full functionality, it is necessary to enable JavaScript."),
    ("<template><p>Drug name</p></template>", "p", "Drug name"),
    ('<iframe src="v.html" title="Video: how to book"></iframe>', "iframe@title", "Video: how to book"),
    ('<textarea title="Anything else" name="n"></textarea>', "textarea@title", "Anything else"),
    ('<textarea placeholder="Allergies, medicines" name="n"></textarea>', "textarea@placeholder",
     "Allergies, medicines"),
    ('<pre translate="yes">Take one tablet\n  in the morning.</pre>', "pre", "Take one tablet\n  in the morning."),
])
def test_now_extracted(body, place, msgid):
    assert (place, msgid) in units(page(body))


def test_pre_stays_out_by_default_and_textarea_content_is_never_a_unit():
    assert msgids("<pre>var dose = 10;</pre><textarea>typed by a reader</textarea>") == []


@pytest.mark.parametrize("body", [
    "<noscript>Enable JavaScript, please.</noscript>",
    "<template><p>Drug name</p></template>",
    '<pre translate="yes">Take one tablet\n  in the morning.</pre>',
    '<iframe src="v.html" title="Video">fallback</iframe>',
])
def test_newly_extracted_content_round_trips(body):
    data = page(body)
    assert tree(identity(data)) == tree(data.decode())


# -- defect 6: a round trip as browsers read pages ---------------------------------------------

SAVED = ('<!DOCTYPE html><html lang="en"><head><title>T</title><script src="t.js"></script>'
         '<div id="consent-root"></div><meta name="viewport" content="width=device-width">'
         '</head><body class="layout-article" data-id="7"><p>Hello there</p></body></html>')


def test_body_attributes_survive_a_script_injected_element_in_head():
    out = identity(SAVED.encode())
    body = BeautifulSoup(out, "html5lib").body
    assert body.attrs == {"class": ["layout-article"], "data-id": "7"}
    assert tree(out) == tree(SAVED)


def test_source_language_render_keeps_body_attributes_too():
    sk = parse_page(SAVED.encode(), "s.html")
    assert tree(render(sk, None, locale="en").html) == tree(SAVED)


def test_stray_end_p_after_a_table_is_the_empty_paragraph_browsers_make():
    html = ('<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>'
            "<table><tr><td>Cell text</td></tr></table></p><p>Next one</p></body></html>")
    assert tree(identity(html.encode())) == tree(html)
    assert len(BeautifulSoup(identity(html.encode()), "html5lib").find_all("p")) == 2


def test_two_stray_end_p_on_one_line():
    html = ('<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>'
            "<p>One line</p></p><div>Block</div></p><p>Two lines</p></body></html>")
    assert tree(identity(html.encode())) == tree(html)


def test_xml_lang_on_html_follows_the_target_language():
    from l10n.html.render import Chrome
    html = '<html lang="en" xml:lang="en"><head><title>T</title></head><body><p>Hi there</p></body></html>'
    sk = parse_page(html.encode(), "x.html")
    out = render(sk, None, locale="zh_TW", chrome=Chrome(lang="zh-Hant-TW")).html
    assert 'lang="zh-Hant-TW"' in out and 'xml:lang="zh-Hant-TW"' in out and '"en"' not in out


# -- defect 7: lang="zh" -------------------------------------------------------------------------

@pytest.mark.parametrize("lang,norm", [("zh-cmn-Hans", "zh-Hans"), ("cmn-Hant-TW", "zh-Hant-TW"),
                                       ("zh-cmn", "zh"), ("en-US", "en-US"), ("zh-Hant", "zh-Hant")])
def test_mandarin_extlang_is_dropped(lang, norm):
    assert normalize_lang(lang) == norm


def test_zh_cmn_hans_is_the_simplified_locale():
    assert locale_for_lang("zh-cmn-Hans", ("en", "zh_TW", "zh_CN")) == "zh_CN"
    assert locale_for_lang("zh-cmn-Hant", ("en", "zh_TW", "zh_CN")) == "zh_TW"


@pytest.mark.parametrize("lang,bare", [("zh", True), ("zh-cmn", True), ("ZH", True), ("zh-TW", False),
                                       ("zh-Hans", False), ("en", False)])
def test_bare_chinese(lang, bare):
    assert is_bare_chinese(lang) is bare


@pytest.mark.parametrize("text,script", [("醫師您好，請問這個藥有什麼副作用？", "Hant"),
                                         ("医师您好，请问这个药有什么副作用？", "Hans")])
def test_script_from_the_text(text, script):
    assert chinese_script(text)[0] == script


@pytest.mark.parametrize("text,locale", [("醫師您好，請問這個藥有什麼副作用？", "zh_TW"),
                                         ("医师您好，请问这个药有什么副作用？", "zh_CN")])
def test_lang_zh_page_is_read_by_its_script(text, locale):
    from l10n.locales import locale_for_lang as lfl

    def locale_of(lang: str) -> str:
        loc = lfl(lang, ("en", "zh_TW", "zh_CN"))
        if loc is None:
            raise PageError(f"unknown {lang}", "p.html")
        return loc
    sk = parse_page(page(f"<p>{text}</p>", lang="zh"), "p.html", locale_of)
    assert sk.lang == "zh" and sk.locale == locale


def test_a_bare_zh_page_in_a_project_without_that_script_is_still_refused():
    def locale_of(lang: str) -> str:
        if lang != "en":
            raise PageError(f"unknown {lang}", "p.html")
        return "en"
    with pytest.raises(PageError, match="unknown zh"):
        parse_page(page("<p>医师您好</p>", lang="zh"), "p.html", locale_of)
