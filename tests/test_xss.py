"""A translation is untrusted input: it renders as text, never as markup.

A corpus of injection vectors (script tags, event handlers, javascript: URLs,
``</title>`` and attribute breakouts, iframes, SVG, comments and CDATA tricks,
placeholder look-alikes...) is put in every position a translation can reach:
body text, body text with placeholders, the ``<title>``, ``<meta>`` content,
and the alt, title, aria-label, placeholder and value attributes. Each
rendered page is parsed with lxml and with Python's html.parser, and loaded in
headless Chromium, and must have exactly the elements and attributes of the
source page (the only element l10n itself may add is the ``<span lang>`` that
wraps a refused translation's source text), every URL the source had and no
other, no comment, and the vector's text shown as text.
"""
from __future__ import annotations

import os
import shutil

import lxml.etree
import lxml.html
import pytest
from bs4 import BeautifulSoup, Comment, Tag

from l10n.html.render import render
from l10n.html.walker import parse_page
from l10n.markup import check_balance, strip_placeholders

SOURCE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Skin care guide</title>
<meta name="description" content="How to care for hardened skin.">
<meta property="og:title" content="Skin care guide for patients">
<link rel="stylesheet" href="site.css">
</head>
<body>
<h1>Hardened skin</h1>
<p id="plain">Ask your doctor.</p>
<p id="inline">Read <a href="guide.html" class="more">the guide</a> first.<br>Then <strong>call</strong> us.</p>
<img src="skin.png" alt="A diagram of the skin">
<p id="titled" title="More about the skin">Hover here</p>
<nav aria-label="Main menu"><ul><li id="item">Home page</li></ul></nav>
<form action="ask.html"><input type="submit" value="Send question"><input name="q" placeholder="Your question">
<select name="v"><option value="1">First visit</option></select></form>
<p id="date">Updated <time datetime="2023-02-27">February 27</time>.</p>
</body>
</html>
"""

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script>document.body.innerHTML='pwned'</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<IMG SRC=`javascript:alert(1)`>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "</p><script>alert(1)</script><p>",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    '" autofocus onfocus="alert(1)',
    '"/><img src=x onerror=alert(1)>',
    '" style="position:fixed;inset:0" onclick="alert(1)',
    "<!-- a comment --><script>alert(1)</script>",
    "--><script>alert(1)</script><!--",
    "<!--",
    "<![CDATA[<script>alert(1)</script>]]>",
    "]]><script>alert(1)</script>",
    "<body onload=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    "<style>@import 'javascript:alert(1)';</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<scr<script>ipt>alert(1)</script>",
    "<<script>alert(1)//<</script>",
    "<x onclick=alert(1)>click me</x>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<xmp><script>alert(1)</script></xmp>",
    "<plaintext>",
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "\u202e<script>alert(1)</script>",
    "\u2028<script>alert(1)</script>\u2029",
    "<a1 href=\"javascript:alert(1)\">x</a1>",       # a placeholder with attributes: only text
    "<a1>x</a1><a1>y</a1>",                           # a placeholder used twice: refused
    "</a1><script>alert(1)</script><a1>",
    "<script1>alert(1)</script1>",                     # placeholder-shaped, not the source's
    "<img1/><iframe1/>",
    "<strong1 onclick=alert(1)>x</strong1>",
    "醫師您好<script>alert('硬皮症')</script>",
]

# Attributes whose value must be the source's, byte for byte (URLs and the like).
FIXED = ("href", "src", "action", "class", "id", "name", "type", "rel", "charset", "datetime", "property", "lang")
ALERT_HOOK = """
window.__alerts = [];
for (const f of ['alert', 'confirm', 'prompt', 'print']) window[f] = (...a) => { window.__alerts.push(f + ':' + a); };
"""


def lookup_for(vector: str):
    """Every unit gets the vector; units with placeholders keep theirs around it."""
    def lookup(seg):
        if "<a1>" in seg.msgid:
            return f"<a1>{vector}</a1> {vector}<br1/><strong1>{vector}</strong1>"
        if "<time1>" in seg.msgid:
            return f"{vector} <time1>{vector}</time1>"
        return vector
    return lookup


@pytest.fixture(scope="module")
def skel():
    return parse_page(SOURCE.encode(), "guide.html", lambda lang: "en")


def rendered(skel, vector: str):
    return render(skel, lookup_for(vector), locale="zh_TW", fallback_lang="en")


def nl(s: str) -> str:
    """What an HTML parser makes of line ends: CR and CRLF become LF."""
    return s.replace("\r\n", "\n").replace("\r", "\n")


def shape_lxml(html: str) -> tuple[list, int]:
    root = lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    comments = sum(1 for c in root.iter() if c.tag is lxml.etree.Comment)
    elements = [(el.tag, tuple(sorted(el.attrib.items()))) for el in root.iter() if isinstance(el.tag, str)]
    return elements, comments


def shape_bs4(html: str) -> tuple[list, int]:
    soup = BeautifulSoup(html, "html.parser")
    comments = sum(1 for c in soup.descendants if isinstance(c, Comment))
    elements = [(t.name, tuple(sorted((k, " ".join(v) if isinstance(v, list) else v) for k, v in t.attrs.items())))
                for t in soup.descendants if isinstance(t, Tag)]
    return elements, comments


def without_fallback(elements: list) -> list:
    return [e for e in elements if e != ("span", (("lang", "en"),))]


def check_shape(src_shape, out_shape) -> None:
    (src_el, src_comments), (out_el, out_comments) = src_shape, out_shape
    out_el = without_fallback(out_el)
    assert out_comments == src_comments == 0
    assert [(t, tuple(k for k, _ in a)) for t, a in out_el] == [(t, tuple(k for k, _ in a)) for t, a in src_el]
    for (tag, attrs), (_, src_attrs) in zip(out_el, src_el):
        for (k, v), (_, sv) in zip(attrs, src_attrs):
            assert not k.lower().startswith("on")
            if k in FIXED:
                assert v == sv, (tag, k, v)


@pytest.mark.parametrize("vector", VECTORS, ids=[f"v{i:02d}" for i in range(len(VECTORS))])
def test_vector_renders_as_text_in_every_position(skel, figures, vector):
    res = rendered(skel, vector)
    html = res.html
    for shape in (shape_lxml, shape_bs4):
        check_shape(shape(SOURCE), shape(html))

    root = lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    text = strip_placeholders(vector)         # what a translator's &lt; and &amp; stand for
    plain_ok = not check_balance("Ask your doctor.", vector)
    want = nl(text) if plain_ok else "Ask your doctor."
    assert nl(root.get_element_by_id("plain").text_content()) == want
    assert nl(root.get_element_by_id("item").text_content()) == (nl(text) if plain_ok else "Home page")
    assert nl(root.find(".//title").text_content()) == (nl(text) if plain_ok else "Skin care guide")
    assert nl(root.find(".//option").text_content()) == (nl(text) if plain_ok else "First visit")
    inline = root.get_element_by_id("inline")
    if not check_balance("Read <a1>the guide</a1> first.<br1/>Then <strong1>call</strong1> us.",
                         lookup_for(vector)(skel.segments[[s.msgid for s in skel.segments].index(
                             "Read <a1>the guide</a1> first.<br1/>Then <strong1>call</strong1> us.")])):
        a = inline.find("a")
        assert nl(a.text_content()) == nl(text) and a.get("href") == "guide.html"
        assert nl(inline.find("strong").text_content()) == nl(text)
    # attributes carry the translation exactly, quotes and all
    for xpath, attr in ((".//img", "alt"), ("//*[@id='titled']", "title"), (".//nav", "aria-label"),
                        (".//input[@type='submit']", "value"), (".//input[@name='q']", "placeholder"),
                        (".//meta[@name='description']", "content"), (".//meta[@property='og:title']", "content")):
        el = root.xpath(xpath)[0]
        assert nl(el.get(attr)) == nl(vector.replace("\x00", "\ufffd")), (xpath, attr)
    figures.add("xss_vectors_blocked")
    figures.add("xss_renders", len(skel.segments))


def test_corpus_is_large_enough():
    assert len(set(VECTORS)) == len(VECTORS) >= 50


def test_placeholders_keep_the_source_attributes(skel):
    res = render(skel, lambda s: "<a1>看<strong1>這</strong1></a1>" if "<a1>" in s.msgid else None,
                 locale="zh_TW", fallback_lang="en")
    assert '<a href="guide.html" class="more">看<strong>這</strong></a>' in res.html


# -- in a real browser -------------------------------------------------------------------------

def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


SHAPE_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('*')) {
    if (el.tagName === 'SPAN' && el.getAttributeNames().join() === 'lang') continue;
    out.push(el.tagName + '[' + el.getAttributeNames().sort().join(',') + ']');
  }
  const w = document.createTreeWalker(document, NodeFilter.SHOW_COMMENT);
  let comments = 0; while (w.nextNode()) comments++;
  return {elements: out, comments, alerts: window.__alerts, title: document.title,
          hrefs: [...document.querySelectorAll('[href],[src],[action]')].map(e =>
              e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))};
}"""

BROWSER_SCRIPT = r"""
import json, sys
from playwright.sync_api import sync_playwright
exe, pages_file = sys.argv[1], sys.argv[2]
pages = json.load(open(pages_file, encoding="utf-8"))
hook, shape_js = pages.pop("__hook__"), pages.pop("__shape__")
out = {}
with sync_playwright() as p:
    b = p.chromium.launch(executable_path=exe, headless=True,
                          args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
    pg = b.new_page()
    pg.add_init_script(hook)
    def handle(route):                       # nothing leaves the machine
        name = route.request.url.rsplit("/", 1)[-1]
        if route.request.url.startswith("http://xss.test/") and name in pages:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=pages[name])
        else:
            route.abort()
    pg.route("**/*", handle)
    for name in pages:
        pg.goto("http://xss.test/" + name, wait_until="load")
        pg.focus("input[name=q]")            # give autofocus/onfocus vectors their chance
        pg.click("#titled")
        out[name] = pg.evaluate(shape_js)
    b.close()
print(json.dumps(out))
"""


def test_no_vector_runs_or_adds_markup_in_chromium(skel, tmp_path, figures):
    """Each rendered page loaded in headless Chromium (in its own process: Playwright's sync API
    allows one instance per process, and the browser tests may hold theirs)."""
    import json
    import subprocess
    import sys

    exe = _chromium()
    if exe is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("chromium is not installed (tests/install_system_deps.sh)")
        pytest.skip("chromium is not installed")
    pages = {"source.html": SOURCE, "__hook__": ALERT_HOOK, "__shape__": SHAPE_JS}
    pages.update({f"v{i:02d}.html": rendered(skel, v).html for i, v in enumerate(VECTORS)})
    (tmp_path / "pages.json").write_text(json.dumps(pages), "utf-8")
    res = subprocess.run([sys.executable, "-c", BROWSER_SCRIPT, exe, str(tmp_path / "pages.json")],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout)
    want = got.pop("source.html")
    assert want["alerts"] == [] and "INPUT[name,placeholder]" in want["elements"]
    for i, vector in enumerate(VECTORS):
        page = got[f"v{i:02d}.html"]
        assert page["alerts"] == [], vector
        assert page["elements"] == want["elements"], vector
        assert page["comments"] == 0 and page["hrefs"] == want["hrefs"], vector
    figures.add("xss_browser_checked", len(VECTORS))


# -- l10n check reports it (GL012) ------------------------------------------------------------

def test_check_reports_markup_injection_end_to_end(tmp_path):
    from reliability_project import run, translated_project
    root = translated_project(tmp_path)
    po = root / "locales/zh_TW/LC_MESSAGES/side-effects.po"
    text = po.read_text("utf-8")
    old = 'msgstr "〔繁〕Nausea is the most common one."'
    assert old in text
    po.write_text(text.replace(old, 'msgstr "噁心<img src=x onerror=alert(1)>最常見"'), "utf-8")
    code, out, err = run(root, "check")
    assert code == 1, (out, err)
    lines = [ln for ln in (out + err).splitlines() if "GL012" in ln]
    assert len(lines) == 1 and "side-effects.po:" in lines[0] and "onerror" in lines[0], out + err
    # and the build renders it as text
    code, out, err = run(root, "build")
    html = (root / "site/zh_TW/side-effects.html").read_text("utf-8")
    assert "噁心&lt;img src=x onerror=alert(1)&gt;最常見" in html and "<img src=x" not in html
