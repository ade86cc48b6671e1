"""No lost work, part 1: generated HTML survives extract -> render unchanged.

Hypothesis writes pages with nested blocks and inline elements, entities,
attributes (quotes, ampersands, CJK), comments, CDATA sections, unclosed and
misnested tags, script/style/pre content and CJK or mixed text. Each page is

* rendered with the identity render (``lookup=None``: the page's own
  language), and
* rendered into a target locale through a real catalog: the template the
  extractor builds, every msgstr set to its msgid, written as .po text, read
  back, compiled to .mo bytes and read back into the lookup table.

Both outputs and the source are parsed by html5lib (the HTML standard's tree construction) and compared as trees: the
same elements in the same order, the same attributes, the same text
(whitespace runs collapsed). The only difference allowed in the locale render
is the ``<time datetime=YYYY-MM-DD>`` date, which is formatted for the target
locale by design.
"""
from __future__ import annotations

import re
from xml.etree import ElementTree

import html5lib
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from l10n import catalogs as cat
from l10n import merging
from l10n.errors import PageError
from l10n.html.render import render
from l10n.html.walker import parse_page
from l10n.model import Segment

TARGET = "zh_TW"
_WS = re.compile(r"[ \t\n\r\f]+")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# -- the generator ----------------------------------------------------------------------

CJK = "醫師您好硬皮症局部全身性硬化症的差異皮膚科回覆免疫抑制劑藥物治療问答医师简体字"
ODD = "\u00a0\u3000\u200b\u0085\u2029\u00e9\u0301\u00df\u0130\u2028\U0001f600\u300c\u300d\uff0c\u3002\uff1f"
ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
PUNCT = " .,;:!?()[]{}'\"/-_*+=%$#@~`|\\^"
ENTITIES = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&nbsp;", "&copy;", "&eacute;",
            "&#x4e2d;", "&#20013;", "&hellip;", "&mdash;", "&lt;b&gt;", "&amp;amp;", "&ndash;"]
BARE = ["Q&A", "AT&T", "x < 3", "a &b", "1 &lt 2", "<1>", "a>b", "&#", "&;"]

plain = st.text(alphabet=ASCII + CJK + ODD + PUNCT + "\n\t ", min_size=1, max_size=16)
words = st.text(alphabet=ASCII + CJK + " ", min_size=1, max_size=12).filter(lambda s: s.strip())


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(s: str) -> str:
    return esc(s).replace('"', "&quot;")


@st.composite
def text_html(draw) -> str:
    """Raw HTML for a run of text: escaped text, entity references, tolerated bare & and <."""
    parts = draw(st.lists(st.one_of(plain.map(esc), plain.map(esc), st.sampled_from(ENTITIES),
                                    st.sampled_from(BARE)), min_size=1, max_size=3))
    return "".join(parts)


@st.composite
def attr_value(draw) -> str:
    return draw(st.one_of(words, plain, st.sampled_from(['say "hi"', "it's", "a&b", "<x>", "a\nb",
                                                           "&amp;", "", " ", "硬皮症 'x' \"y\""])))


@st.composite
def attrs_html(draw, tag: str) -> str:
    names = ["title", "class", "id", "data-x", "aria-label", "lang", "dir", "translate",
             "data-l10n-context", "data-l10n-note"]
    if tag == "a":
        names.append("href")
    if tag == "img":
        names += ["alt", "src"]
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=3))
    out = []
    for n in chosen:
        if n == "translate":
            v = draw(st.sampled_from(["no", "yes"]))
        elif n == "dir":
            v = draw(st.sampled_from(["ltr", "rtl", "auto"]))
        elif n == "lang":
            v = draw(st.sampled_from(["en", "zh-Hant", "zh-CN", "la"]))
        else:
            v = draw(attr_value())
        quote = draw(st.sampled_from(['"', '"', "'", ""]))
        if quote == "'":
            out.append(f" {n}='{esc(v).replace(chr(39), '&#39;')}'")
        elif quote == "" and v and re.fullmatch(r"[A-Za-z0-9_.-]+", v):
            out.append(f" {n}={v}")
        else:
            out.append(f' {n}="{esc_attr(v)}"')
    return "".join(out)


INLINE = ["a", "strong", "em", "b", "i", "span", "code", "abbr", "small", "sub", "sup", "q", "time",
          "kbd", "mark", "u", "s"]
BLOCK = ["p", "div", "section", "blockquote", "h2", "h3", "article", "aside", "figure", "figcaption"]


@st.composite
def inline_html(draw, depth: int) -> str:
    kind = draw(st.sampled_from(["text", "text", "text", "el", "el", "br", "img", "comment", "cdata",
                                 "unclosed", "misnested", "stray", "wbr"]))
    if kind == "text" or depth <= 0:
        return draw(text_html())
    if kind == "br":
        return draw(st.sampled_from(["<br>", "<br/>", "<br />"]))
    if kind == "wbr":
        return "<wbr>"
    if kind == "img":
        return f"<img{draw(attrs_html('img'))}>"
    if kind == "comment":
        return f"<!--{draw(words).replace('-', '')}-->"
    if kind == "cdata":
        return f"<![CDATA[{draw(words)} <x> & ]]>"
    tag = draw(st.sampled_from(INLINE))
    extra = ""
    if tag == "time" and draw(st.booleans()):
        extra = f' datetime="{draw(st.sampled_from(["2022-09-13", "2023-01-31", "PT2H", "2024"]))}"'
    inner = "".join(draw(st.lists(inline_html(depth - 1), min_size=0, max_size=2)))
    start = f"<{tag}{extra}{draw(attrs_html(tag))}>"
    if kind == "unclosed":
        return start + inner
    if kind == "misnested":
        other = draw(st.sampled_from(["b", "i", "em", "span"]))
        return f"{start}{inner}<{other}>{draw(text_html())}</{tag}>{draw(text_html())}</{other}>"
    if kind == "stray":
        return f"{inner}</{tag}>"
    return f"{start}{inner}</{tag}>"


@st.composite
def block_html(draw, depth: int) -> str:
    kind = draw(st.sampled_from(["block", "block", "block", "list", "table", "raw", "comment",
                                 "unclosed", "select", "mixed"]))
    if depth <= 0:
        kind = "leaf"
    if kind == "raw":
        tag = draw(st.sampled_from(["script", "style", "pre", "textarea", "noscript"]))
        body = draw(st.sampled_from(["if (a < b && c > d) { x = '</p>'; }", "p { color: red }",
                                     "  keep   this\n  spacing <b>", "var s = \"醫師\";"]))
        if tag in ("pre", "textarea", "noscript"):
            body = esc(body)
        return f"<{tag}>{body}</{tag}>"
    if kind == "comment":
        return f"<!-- {draw(words)} -->"
    if kind == "list":
        tag = draw(st.sampled_from(["ul", "ol"]))
        items = draw(st.lists(block_or_inline(depth - 1), min_size=1, max_size=3))
        close = draw(st.booleans())
        return f"<{tag}>" + "".join(f"<li>{i}" + ("</li>" if close else "") for i in items) + f"</{tag}>"
    if kind == "table":
        rows = draw(st.lists(st.lists(inline_run(depth - 1), min_size=1, max_size=2), min_size=1, max_size=2))
        return ("<table><tbody>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
                + "</tbody></table>")
    if kind == "select":
        opts = draw(st.lists(words, min_size=1, max_size=3))
        return "<select>" + "".join(f"<option value=\"{i}\">{esc(o)}</option>" for i, o in enumerate(opts)) + "</select>"
    tag = draw(st.sampled_from(BLOCK))
    start = f"<{tag}{draw(attrs_html(tag))}>"
    if kind == "leaf":
        return f"{start}{draw(inline_run(0))}</{tag}>"
    inner = "".join(draw(st.lists(block_or_inline(depth - 1), min_size=0, max_size=2)))
    if kind == "unclosed":
        return start + inner
    return f"{start}{inner}</{tag}>"


@st.composite
def inline_run(draw, depth: int) -> str:
    return "".join(draw(st.lists(inline_html(depth), min_size=1, max_size=3)))


@st.composite
def block_or_inline(draw, depth: int) -> str:
    if draw(st.booleans()):
        return draw(block_html(depth))
    return draw(inline_run(depth))


@st.composite
def pages(draw) -> str:
    title = draw(text_html())
    desc = draw(attr_value())
    lang = draw(st.sampled_from(["en", "en-US"]))
    body = "\n".join(draw(st.lists(block_or_inline(3), min_size=1, max_size=4)))
    doctype = draw(st.sampled_from(["<!DOCTYPE html>\n", "", "<!doctype html>"]))
    head_extra = draw(st.sampled_from(["", '<meta property="og:title" content="Scleroderma &amp; you">',
                                       "<style>p{}</style>", "<!-- head comment -->"]))
    return (f'{doctype}<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
            f'<meta name="description" content="{esc_attr(desc)}">{head_extra}\n</head>\n'
            f"<body>\n{body}\n</body>\n</html>\n")


# -- the comparison -----------------------------------------------------------------------

_C0 = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")


def tree(html: str, *, drop_dates: bool = False) -> tuple:
    """The document as nested tuples: (tag, attributes, children); text whitespace-collapsed.
    Built by html5lib, the HTML standard's tree construction: the page as a browser reads it."""
    # the standard library's tree: lxml's refuses the C0 controls a stray "&#1" makes, which a
    # browser shows as nothing (and which the walker refuses wherever a unit would carry one)
    root = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)

    def text(s: str | None) -> str:
        return _WS.sub(" ", _C0.sub("", s or ""))

    def walk(el) -> tuple:
        if el.tag is ElementTree.Comment:
            return ("#comment", text(el.text))
        if not isinstance(el.tag, str):
            return ("#" + str(el.tag), text(el.text))
        kids: list = []

        def add_text(s: str) -> None:
            if not s:
                return
            if kids and isinstance(kids[-1], str):
                kids[-1] = _WS.sub(" ", kids[-1] + s)
            else:
                kids.append(s)

        if drop_dates and el.tag == "time" and _ISO.match(el.get("datetime", "")):
            # a date placeholder: its content is the date written for the target locale
            return (el.tag, tuple(sorted((k, text(v)) for k, v in el.attrib.items())), ())
        if el.tag == "textarea":
            # html5lib, unlike the standard and Chromium, may reopen a misnested <a> inside a
            # textarea (<li><a>x<li><textarea>); a browser's textarea holds its text alone
            add_text(text("".join(el.itertext())))
            return (el.tag, tuple(sorted((k, text(v)) for k, v in el.attrib.items())), tuple(kids))
        add_text(text(el.text))
        for c in el:
            kids.append(walk(c))
            add_text(text(c.tail))
        return (el.tag, tuple(sorted((k, text(v)) for k, v in el.attrib.items())), tuple(kids))

    return walk(root)


def strip_blank(t):
    """Whitespace-only text nodes removed, text and attribute values trimmed: a unit's msgid
    is its text with whitespace collapsed and trimmed, so blanks at its edges may move."""
    if isinstance(t, str):
        return t.strip()
    if t[0].startswith("#"):
        return t
    kids = []
    for k in t[2]:
        k = strip_blank(k)
        if k == "":
            continue
        if isinstance(k, str) and kids and isinstance(kids[-1], str):
            kids[-1] = (kids[-1] + " " + k).strip()
        else:
            kids.append(k)
    return (t[0], tuple((k, v.strip()) for k, v in t[1]), tuple(kids))


def lookup_through_catalog(skel):
    """A real lookup table: template -> .po text (msgstr = msgid) -> parse -> .mo -> read."""
    pot = cat.build_template(skel.segments, source_locale=skel.locale)
    po = merging.merge(pot, None, TARGET)
    for e in po:
        e.msgstr = e.msgid
    po = cat.parse_catalog(cat.po_text(po), "generated.po")
    res = cat.compile_catalog(po, "generated.po")
    assert res.errors == (), res.errors
    table = cat.read_mo(res.mo)
    assert len(table) == len({(s.msgctxt, s.msgid) for s in skel.segments})
    return lambda s: table.get((s.msgctxt, s.msgid))


_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+))")
_REFUSED = set(range(0x01, 0x09)) | {0x0B} | set(range(0x0E, 0x20)) | {0x7F}


def _control_refs(src: str) -> bool:
    """Whether the page holds a character reference to a control character the walker refuses
    (a bare "&#" followed by digits, say "&#4A", reads as U+0004 then "A")."""
    return any(int(m.group(1) or m.group(2), 16 if m.group(1) else 10) in _REFUSED
               for m in _CHAR_REF.finditer(src))


def check_page(src: str) -> None:
    data = src.encode("utf-8")
    if _control_refs(src):
        # found by hypothesis: "&#" + "4A" is U+0004, which a .mo file cannot hold; the walker
        # refuses such a page with its line, unless the character is outside every unit
        try:
            skel = parse_page(data, "p.html", lambda lang: "en")
        except PageError as e:
            assert "control character U+" in str(e) and e.line is not None
            return
    else:
        skel = parse_page(data, "p.html", lambda lang: "en")
    want = tree(src)

    same = render(skel, None, locale=skel.locale)
    # whitespace-only text may move: html5lib puts the blanks after </body> into the element
    # still open there (<p>\n</body>), which the rendered page closes explicitly
    assert strip_blank(tree(same.html)) == strip_blank(want)
    # a second pass over the rendered page finds the very same units
    again = parse_page(same.html.encode("utf-8"), "p.html", lambda lang: "en")
    assert [(s.msgctxt, s.msgid, s.place) for s in again.segments] == \
        [(s.msgctxt, s.msgid, s.place) for s in skel.segments]

    loc = render(skel, lookup_through_catalog(skel), locale=TARGET, fallback_lang=skel.lang)
    assert loc.invalid == ()
    # a comment inside a unit is not in its msgid: a translated page has it after the unit's text
    got, exp = tree(loc.html, drop_dates=True), tree(src, drop_dates=True)
    assert strip_blank(no_comments(got)) == strip_blank(no_comments(exp))
    assert sorted(comments_of(tree(loc.html))) == sorted(comments_of(want))     # dates' comments too


def no_comments(t):
    if isinstance(t, str) or t[0].startswith("#"):
        return t
    kids: list = []
    for k in t[2]:
        if not isinstance(k, str) and k[0] == "#comment":
            continue
        k = no_comments(k)
        if isinstance(k, str) and kids and isinstance(kids[-1], str):
            kids[-1] = _WS.sub(" ", kids[-1] + k)
        else:
            kids.append(k)
    return (t[0], t[1], tuple(kids))


def comments_of(t) -> list:
    if isinstance(t, str):
        return []
    if t[0] == "#comment":
        return [t[1]]
    return [c for k in t[2] for c in comments_of(k)] if not t[0].startswith("#") else []


# -- the tests ------------------------------------------------------------------------------

@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.data_too_large])
@given(pages())
# found by hypothesis: html5lib reopens the misnested <a> inside the textarea; Chromium does not
@example(src='<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>0</title>\n'
             '<meta name="description" content="0">\n</head>\n<body>\n<ul><li><a>0<li><textarea>if (a &lt; b '
             '&amp;&amp; c &gt; d) { x = \'&lt;/p&gt;\'; }</textarea></ul>\n</body>\n</html>\n')
def test_generated_pages_round_trip(figures, src):
    check_page(src)
    figures.add("pages_roundtripped")


# Inputs hypothesis found or that pin a corner case of the walker: kept as plain tests.
CASES = {
    "cdata_becomes_comment": '<html lang="en"><body><p>a <![CDATA[x<y]]> b</p></body></html>',
    "misnested_inline": '<html lang="en"><body><p>a <b>bo<i>ld</b> it</i> c</p></body></html>',
    "unclosed_blocks": '<html lang="en"><body><div>x<p>one<p>two<li>item</div></body></html>',
    "entities_and_bare": '<html lang="en"><head><title>Q&A &amp; &lt;b&gt;</title></head>'
                         '<body><p>AT&T &copy; x < 3 &#x4e2d; &nbsp;</p></body></html>',
    "attr_quotes": '<html lang="en"><body><p title=\'say "hi"\' class=x>it\'s <img alt="a &quot;b&quot;" '
                   'src=x.png></p></body></html>',
    "cjk_mixed": '<html lang="zh-Hant"><body><p>硬皮症 (scleroderma)\u3000是<strong>自體免疫</strong>疾病。</p>'
                 '</body></html>',
    "translate_no_and_code": '<html lang="en"><body><p>Take <code>x &lt; 1</code> with '
                             '<span translate="no">Brand&reg;</span> daily</p></body></html>',
    "dates": '<html lang="en"><body><p>Asked on <time datetime="2022-09-13">Sep 13</time></p></body></html>',
    "raw_content": '<html lang="en"><head><style>p>b{}</style></head><body><script>if (a<b) {}</script>'
                   '<pre>  keep\n <b>this</b></pre><textarea>Type &lt;here&gt;</textarea></body></html>',
    "comment_in_inline": '<html lang="en"><body><p>a <b>x<!-- note -->y</b> c</p></body></html>',
    "select_options": '<html lang="en"><body><select><option>One &amp; two</option><option>三</option>'
                      '</select></body></html>',
    "placeholder_lookalike": '<html lang="en"><body><p>literal &lt;a1&gt;not a tag&lt;/a1&gt; '
                             '&lt;br1/&gt;</p></body></html>',
    # found by hypothesis: libxml2 nests what follows <wbr>, <source>, <track>, <embed> inside
    # them, and the walker dropped the children of void elements: that text was lost
    "text_after_wbr": '<html lang="en"><body><p>Hyper<wbr>sensitivity <wbr><wbr>is rare\n</p>'
                      '<p>0<wbr>\n</p></body></html>',
    "text_after_source": '<html lang="en"><body><video controls><source src="a.mp4" type="video/mp4">'
                         'Your browser cannot play it. <a href="a.mp4">Download</a>.<track src=t.vtt>'
                         'Captions</video><p>A<embed src=x.swf>fallback</p></body></html>',
    # found by hypothesis: a date placeholder with an element inside it
    "element_inside_date": '<html lang="en"><body>0<a>A<time datetime="2022-09-13"><a title="A"></a>'
                           '</body></html>',
    "blank_inline_edges": '<html lang="en"><body><p> <b> bold </b> text <i> </i></p></body></html>',
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_known_corner_cases_round_trip(name):
    check_page(CASES[name])


def test_control_character_in_text_is_refused_with_its_line():
    src = '<html lang="en">\n<body>\n<p>Doses &#4A and B</p>\n<p alt="x">ok</p></body></html>'
    with pytest.raises(PageError, match=r"control character U\+0004") as ei:
        parse_page(src.encode(), "p.html", lambda lang: "en")
    assert ei.value.path == "p.html" and ei.value.line == 3
    # in a script it is not text to translate: the page is read
    ok = '<html lang="en"><body><script>var a = "\x04";</script><p>fine</p></body></html>'
    assert [s.msgid for s in parse_page(ok.encode(), "p.html", lambda lang: "en").segments] == ["fine"]


def test_void_element_content_is_extracted():
    """The text libxml2 puts inside <wbr>/<source> is a unit of its own, not lost."""
    skel = parse_page(CASES["text_after_source"].encode(), "p.html")
    msgids = [s.msgid for s in skel.segments]
    assert msgids == ["Your browser cannot play it. <a1>Download</a1>.", "Captions", "A", "fallback"]
    skel = parse_page(CASES["text_after_wbr"].encode(), "p.html")
    assert skel.segments[0].msgid == "Hyper<wbr1/>sensitivity <wbr2/><wbr3/>is rare"


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c"])
def test_catalog_keeps_unicode_line_separators(sep):
    """Found by hypothesis: polib writes U+2028 & co. raw inside a string and, reading a str,
    split lines there too: the msgid and msgstr lost everything before the separator."""
    msgid = f"before{sep}after"
    pot = cat.build_template([Segment(msgid=msgid, page="p.html", line=1, place="p")], source_locale="en")
    po = merging.merge(pot, None, TARGET)
    for e in po:
        e.msgstr = msgid.upper()
        e.tcomment = f"note{sep}more"
    back = cat.parse_catalog(cat.po_text(po), "x.po")
    (e,) = list(back)
    assert (e.msgid, e.msgstr, e.tcomment) == (msgid, msgid.upper(), f"note{sep}more")
