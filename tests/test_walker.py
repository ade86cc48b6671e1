"""The walker decides what a translation unit is: pin it unit by unit."""
from __future__ import annotations

import pytest

from l10n.errors import PageError
from l10n.html.walker import decode_page, parse_page


def page(body: str, *, lang: str = "en", head: str = "<title>T</title>") -> bytes:
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n{head}\n</head>\n'
            f"<body>\n{body}\n</body>\n</html>\n").encode("utf-8")


def segs(body: str, **kw):
    return parse_page(page(body, **kw), "p.html").segments


def body_units(body: str, **kw) -> list[tuple[str, str]]:
    """(place, msgid) of every unit except the page title."""
    return [(s.place, s.msgid) for s in segs(body, **kw) if s.place != "title"]


def msgids(body: str, **kw) -> list[str]:
    return [m for _, m in body_units(body, **kw)]


# -- what is a unit ---------------------------------------------------------------------

@pytest.mark.parametrize("tag", ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd",
                                 "td", "th", "caption", "figcaption", "blockquote", "button",
                                 "label", "option", "summary", "div"])
def test_block_text_is_a_unit(tag):
    wrap = {"li": "<ul>{}</ul>", "dt": "<dl>{}</dl>", "dd": "<dl>{}</dl>",
            "td": "<table><tr>{}</tr></table>", "th": "<table><tr>{}</tr></table>",
            "caption": "<table>{}<tr><td>1</td></tr></table>", "figcaption": "<figure>{}</figure>",
            "option": "<select>{}</select>", "summary": "<details>{}</details>"}.get(tag, "{}")
    body = wrap.format(f"<{tag}>Some  words\n here</{tag}>")
    assert body_units(body) == [(tag, "Some words here")]


def test_title_is_a_unit():
    s = parse_page(page("<p>x y</p>", head="<title>The   page\n title</title>"), "p.html").segments
    assert (s[0].place, s[0].msgid) == ("title", "The page title")


def test_every_block_is_its_own_unit_in_document_order():
    body = ("<h1>One</h1><p>Two</p><ul><li>Three</li><li>Four</li></ul>"
            "<dl><dt>Five</dt><dd>Six</dd></dl><blockquote>Seven</blockquote>")
    assert msgids(body) == ["One", "Two", "Three", "Four", "Five", "Six", "Seven"]


@pytest.mark.parametrize("html,place,msgid", [
    ('<img src="a.png" alt="A skin biopsy">', "img@alt", "A skin biopsy"),
    ('<p title="More about it">x</p>', "p@title", "More about it"),
    ('<input type="text" placeholder="Your question">', "input@placeholder", "Your question"),
    ('<nav aria-label="Main menu"></nav>', "nav@aria-label", "Main menu"),
    ('<input type="submit" value="Send question">', "input@value", "Send question"),
    ('<input type="button" value="Press me">', "input@value", "Press me"),
])
def test_translatable_attributes(html, place, msgid):
    assert (place, msgid) in body_units(html)


@pytest.mark.parametrize("meta,place", [
    ('<meta name="description" content="About morphea">', "meta[name=description]"),
    ('<meta property="og:title" content="About morphea">', "meta[property=og:title]"),
    ('<meta property="og:description" content="About morphea">', "meta[property=og:description]"),
    ('<meta name="keywords" content="About morphea">', "meta[name=keywords]"),
    ('<meta property="og:site_name" content="About morphea">', "meta[property=og:site_name]"),
])
def test_meta_content_units(meta, place):
    s = parse_page(page("<p>x y</p>", head=f"<title>T</title>\n{meta}"), "p.html").segments
    assert (place, "About morphea") in [(x.place, x.msgid) for x in s]


@pytest.mark.parametrize("html", [
    '<input type="text" value="typed text">',           # a value the reader typed, not UI text
    '<input type="hidden" value="secret token">',
    '<a href="page.html" class="big link">x</a>',
    '<img src="a.png" data-caption="not this">',
])
def test_other_attributes_are_not_units(html):
    assert [place for place, _ in body_units(html) if "@" in place] == []


def test_meta_other_than_description_keywords_and_og_is_not_a_unit():
    head = ('<title>T</title><meta name="viewport" content="width=device-width">'
            '<meta name="author" content="Jane Doe"><meta property="og:type" content="article">')
    assert [s.msgid for s in parse_page(page("", head=head), "p.html").segments] == ["T"]


# -- inline markup as placeholders ---------------------------------------------------------

def test_inline_markup_becomes_numbered_placeholders():
    body = '<p>See <a href="a.html" class="x">page A</a>, <a href="b.html">page B</a><br>and <em>more</em>.</p>'
    (s,) = segs(body)[1:]
    assert s.msgid == "See <a1>page A</a1>, <a2>page B</a2><br1/>and <em1>more</em1>."
    assert s.placeholders == ("a1", "a2", "br1", "em1")


def test_nested_inline_markup_is_numbered_per_tag_name():
    body = "<p>x <strong>bold <em>both</em></strong> <em>it</em> <strong>again</strong></p>"
    assert msgids(body) == ["x <strong1>bold <em1>both</em1></strong1> <em2>it</em2> <strong2>again</strong2>"]


def test_inline_only_unit_still_has_placeholders():
    assert msgids('<li><a href="x.html">Morphea</a></li>') == ["<a1>Morphea</a1>"]


def test_attribute_of_an_inline_element_is_its_own_unit():
    units = body_units('<p>Go <a href="a.html" title="Page A">there</a> now</p>')
    assert units == [("p", "Go <a1>there</a1> now"), ("a@title", "Page A")]


# -- translate="no" and what is never extracted --------------------------------------------

def test_translate_no_on_a_block_is_not_extracted():
    assert msgids('<p translate="no">Scleroderma News</p><p>Kept here</p>') == ["Kept here"]


def test_translate_no_attributes_are_not_extracted():
    assert msgids('<div translate="no"><img src="a" alt="Logo text"><p>Brand name</p></div>') == []


def test_translate_no_inline_is_a_placeholder_with_its_text_kept():
    (s,) = segs('<p>Share on <span translate="no">Facebook</span> today</p>')[1:]
    assert s.msgid == "Share on <span1>Facebook</span1> today"


@pytest.mark.parametrize("body", [
    '<script>var msg = "Hello world";</script>',
    "<style>p::after { content: 'Hello world'; }</style>",
    "<pre>Hello world\n  as written</pre>",
    "<p><code>Hello world</code></p>",
    "<div><code>Hello world</code></div>",
    "<p><kbd>Hello world</kbd></p>",
    "<!-- Hello world -->",
    "<p><!-- Hello world --></p>",
    "<textarea>Hello world</textarea>",
    '<pre translate="no">Hello world</pre>',
    '<div translate="no"><p>Hello <b>world</b></p></div>',
])
def test_never_extracted(body):
    assert msgids(body) == []


def test_inline_code_inside_text_is_a_frozen_placeholder():
    assert msgids("<p>Run <code>ls -l</code> first</p>") == ["Run <code1>ls -l</code1> first"]


# -- text as written -----------------------------------------------------------------------

def test_whitespace_collapsed_but_nbsp_and_curly_quotes_kept():
    (s,) = segs("<p>\n   A   spaced\n\ttext&nbsp;with\u00a0nbsp, \u201ccurly\u201d \u2018quotes\u2019  </p>")[1:]
    assert s.msgid == "A spaced text\u00a0with\u00a0nbsp, \u201ccurly\u201d \u2018quotes\u2019"


def test_ideographic_space_is_kept():
    assert msgids("<p>局部\u3000硬皮症</p>") == ["局部\u3000硬皮症"]


def test_less_than_is_escaped_in_the_msgid_and_ampersand_is_literal():
    assert msgids("<p>if a &lt; b &amp; c &gt; d then &lt;b&gt;</p>") == ["if a &lt; b & c > d then &lt;b>"]


def test_text_that_looks_like_an_entity_is_escaped():
    # the page says "&amp;copy;", i.e. the reader sees "&copy;", not "(c)"
    assert msgids("<p>Write &amp;copy; for the sign</p>") == ["Write &amp;copy; for the sign"]


def test_entities_are_decoded():
    assert msgids("<p>Q&amp;A &copy; caf&eacute; &#20013;&#x6587;</p>") == ["Q&A \u00a9 caf\u00e9 \u4e2d\u6587"]


# -- mixed block and inline content -----------------------------------------------------------

def test_text_around_a_nested_block_gives_separate_units():
    body = "<ul><li>Before <em>this</em><ul><li>Inner item</li></ul>after it</li></ul>"
    assert body_units(body) == [("li", "Before <em1>this</em1>"), ("li", "Inner item"), ("li", "after it")]


def test_div_with_text_and_blocks():
    assert msgids("<div>Loose text<p>Para</p>tail text</div>") == ["Loose text", "Para", "tail text"]


# -- what is not a unit -------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2023-02-27", "12,345", "0.1%", "10~19", "3.14 / 2", "—", "①②", "  "])
def test_units_without_letters_are_not_extracted(text):
    assert msgids(f"<p>{text}</p><td>{text}</td>") == []


def test_numbers_with_words_are_units():
    assert msgids("<p>0.1% ointment</p>") == ["0.1% ointment"]


# -- context and notes ---------------------------------------------------------------------

def test_data_l10n_context_gives_msgctxt_to_text_and_attributes():
    s = segs('<nav data-l10n-context="menu"><p>Home</p><img src="x" alt="Home icon"></nav><p>Home</p>')[1:]
    assert [(x.msgid, x.msgctxt) for x in s] == [("Home", "menu"), ("Home icon", "menu"), ("Home", None)]


def test_data_l10n_note_becomes_the_segment_comment():
    (s,) = segs('<p data-l10n-note="a drug name">Protopic ointment</p>')[1:]
    assert s.comment == "a drug name"


# -- line numbers ------------------------------------------------------------------------

LINES_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<script>
var s = "<p>not a tag</p>";
</script>
<title>Title line 8</title>
</head>
<body>
<!-- a comment
     over three lines <p>fake</p>
-->
<h1>Heading line 14</h1>
<div class="a"
     id="b">
<p>Para line 17</p>
</div>
<p>Link <a href="#x"
  >line 19</a></p>
<ul>
  <li>Outer line 22
    <ul>
      <li>Inner line 24</li>
    </ul>
  </li>
</ul>
<img src="x.png"
  alt="Alt line 29">
<table>
<tr>
<td>Cell line 32</td>
</tr>
</table>
</body>
</html>
"""


def test_line_numbers_point_at_the_unit():
    s = parse_page(LINES_PAGE.encode(), "lines.html").segments
    lines = LINES_PAGE.splitlines()
    got = {x.msgid: x.line for x in s}
    assert got == {"Title line 8": 8, "Heading line 14": 14, "Para line 17": 17,
                   "Link <a1>line 19</a1>": 19, "Outer line 22": 22, "Inner line 24": 24,
                   "Alt line 29": 29, "Cell line 32": 32}
    for x in s:    # the line really holds (the start of) the text
        assert x.msgid.split()[0].split(">")[-1] in lines[x.line - 1], x


def test_line_numbers_after_a_bom_and_crlf_line_ends():
    data = b"\xef\xbb\xbf" + LINES_PAGE.replace("\n", "\r\n").encode()
    got = {x.msgid: x.line for x in parse_page(data, "lines.html").segments}
    assert got["Heading line 14"] == 14 and got["Cell line 32"] == 32


# -- encodings ---------------------------------------------------------------------------

ZH_PAGE = """<!DOCTYPE html>
<html lang="zh-Hant-TW">
<head>
<meta charset="{charset}">
<title>局部硬皮症</title>
</head>
<body>
<p>醫師您好，請問「普特皮」有什麼副作用？</p>
</body>
</html>
"""


def test_big5_page_declared_by_meta_charset():
    data = ZH_PAGE.format(charset="big5").encode("big5")
    s = parse_page(data, "b.html").segments
    assert [x.msgid for x in s] == ["局部硬皮症", "醫師您好，請問「普特皮」有什麼副作用？"]
    assert s[1].line == 8


def test_big5_declared_by_http_equiv():
    text = ZH_PAGE.replace('<meta charset="{charset}">',
                           '<meta http-equiv="Content-Type" content="text/html; charset=Big5">')
    s = parse_page(text.encode("big5"), "b.html").segments
    assert s[1].msgid == "醫師您好，請問「普特皮」有什麼副作用？"


def test_gb18030_page_declared_by_meta_charset():
    text = ZH_PAGE.format(charset="gb18030").replace("zh-Hant-TW", "zh-Hans-CN")
    text = text.replace("醫師您好，請問「普特皮」有什麼副作用？", "医师您好，请问「普特皮」有什么副作用？𠀀")
    s = parse_page(text.encode("gb18030"), "g.html").segments
    assert s[1].msgid == "医师您好，请问「普特皮」有什么副作用？𠀀"    # 𠀀 needs GB18030's 4-byte form


def test_gb2312_declaration_reads_as_its_superset():
    text = ZH_PAGE.format(charset="gb2312").replace("醫師您好，請問「普特皮」有什麼副作用？", "医师您好")
    assert parse_page(text.encode("gbk"), "g.html").segments[1].msgid == "医师您好"


def test_utf8_bom_is_dropped():
    data = b"\xef\xbb\xbf" + ZH_PAGE.format(charset="utf-8").encode()
    s = parse_page(data, "u.html").segments
    assert s[0].msgid == "局部硬皮症" and s[0].line == 5
    assert not decode_page(data, "u.html").startswith("\ufeff")


def test_utf16_bom_is_honoured():
    data = b"\xff\xfe" + ZH_PAGE.format(charset="utf-16").encode("utf-16-le")
    assert parse_page(data, "u.html").segments[1].msgid == "醫師您好，請問「普特皮」有什麼副作用？"


def test_undeclared_non_utf8_bytes_name_file_and_line():
    text = ZH_PAGE.replace('<meta charset="{charset}">\n', "")
    with pytest.raises(PageError) as ei:
        parse_page(text.encode("big5"), "pages/legacy.html")
    assert ei.value.path == "pages/legacy.html"
    assert ei.value.line == 4            # <title>局部硬皮症</title> is on line 4 now
    assert str(ei.value).startswith("pages/legacy.html:4: ")


def test_declared_encoding_that_does_not_fit_names_the_line():
    text = ZH_PAGE.format(charset="utf-8")
    with pytest.raises(PageError) as ei:
        parse_page(text.encode("big5"), "x.html")
    assert ei.value.line == 5


def test_unknown_declared_encoding_is_a_page_error():
    with pytest.raises(PageError, match="unknown encoding"):
        parse_page(ZH_PAGE.format(charset="klingon-8").encode(), "x.html")


# -- not a page --------------------------------------------------------------------------

def test_missing_html_lang_is_a_page_error():
    with pytest.raises(PageError, match="lang") as ei:
        parse_page(b"<!DOCTYPE html>\n<html>\n<head><title>x</title></head><body><p>Hi there</p></body></html>",
                   "nolang.html")
    assert ei.value.path == "nolang.html" and ei.value.line == 2


@pytest.mark.parametrize("data,what", [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"just some words\n", "not an HTML page"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
])
def test_not_html_is_a_page_error(data, what):
    with pytest.raises(PageError, match=what) as ei:
        parse_page(data, "bad.html")
    assert ei.value.path == "bad.html"


def test_unknown_page_language_is_refused_by_locale_of():
    def locale_of(lang):
        raise PageError(f"{lang} is not a source language", "p.html")
    with pytest.raises(PageError, match="fr is not"):
        parse_page(page("<p>Bonjour</p>", lang="fr"), "p.html", locale_of)


def test_skeleton_records_language_and_locale():
    sk = parse_page(page("<p>Hi there</p>", lang="zh-Hant-TW"), "p.html", lambda lang: "zh_TW")
    assert (sk.lang, sk.locale, sk.page) == ("zh-Hant-TW", "zh_TW", "p.html")


def test_a_skeleton_pickles_as_plain_tuples_and_loads_the_same():
    """The slots and segments load by ``tuple.__new__`` (the render loads 10,000 skeletons): the
    pickle names no per-object state, and what loads is equal, slot type by slot type."""
    import pickle

    from l10n.html.skeleton import AttrSlot, TextSlot
    from l10n.model import Segment
    sk = parse_page(page('<p>See <a href="/b.html" title="More">our <b>guide</b></a>.<br>'
                         '<img src="x.png" alt="A chart"> <time datetime="2026-01-02">2 Jan</time></p>'), "p.html")
    data = pickle.dumps(sk, protocol=pickle.HIGHEST_PROTOCOL)
    assert b"__dict__" not in data and b"_make" not in data
    back = pickle.loads(data)
    assert back == sk

    def kinds(chunks):
        out = []
        for c in chunks:
            out.append(type(c).__name__)
            if isinstance(c, TextSlot):
                out += kinds(c.parts) + [k for ph in c.placeholders for k in ["Placeholder"] + kinds(ph.start)]
        return out
    assert kinds(back.chunks) == kinds(sk.chunks)
    found = set(kinds(back.chunks))
    assert {"TextSlot", "AttrSlot", "HrefSlot", "LangSlot", "Placeholder"} <= found
    assert all(type(s) is Segment for s in back.segments)
    slot = next(c for c in sk.chunks if isinstance(c, TextSlot) and c.placeholders)
    attr = next(c for ph in slot.placeholders for c in ph.start if isinstance(c, AttrSlot))
    for obj in (sk.segments[0], slot, slot.placeholders[0], attr):
        assert obj.__reduce__()[0] is tuple.__new__
