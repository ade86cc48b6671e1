"""The localized site and the reviewer's report in a real browser.

Headless Chromium from Debian's ``chromium`` package, driven by Playwright for
Python pointed at the system browser (``executable_path``): no browser is
downloaded at test time. ``make test`` / ``.ci/run`` install chromium and a CJK
font when they are missing (tests/install_system_deps.sh). Without chromium
these tests fail under CI=true and are skipped elsewhere.

Screenshots go to ``test-artifacts/screenshots/`` (one per locale, the
language picker, and the report).
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from l10n.htmlreport import html_report
from l10n.locales import bcp47
from l10n.model import Finding, Severity
from site_fixture import LOCALES, PUBLISHED_PAGES, build_site

REPO = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}
# the page each locale's screenshot shows; zh_CN's has an untranslated (English) paragraph
PAGE_FOR = {"en": "qa/morphea.html", "zh_TW": "articles/tacrolimus.html", "zh_CN": "articles/tacrolimus.html"}


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


def _unavailable(why: str):
    if IN_CI:
        pytest.fail(f"{why} (CI=true: the browser tests must run; see tests/install_system_deps.sh)")
    pytest.skip(why)


@pytest.fixture(scope="session")
def browser():
    exe = _chromium()
    if exe is None:
        _unavailable("Debian's chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def shots(pytestconfig) -> Path:
    d = Path(pytestconfig.rootpath) / "test-artifacts" / "screenshots"
    d.mkdir(parents=True, exist_ok=True)
    return d


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


@contextlib.contextmanager
def serving(folder: Path):
    """``folder`` served on 127.0.0.1 while the block runs; yields the base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The fixture site, built in a temporary folder and served on 127.0.0.1."""
    cfg, _ = build_site(tmp_path_factory.mktemp("browser"))
    with serving(cfg.output_dir) as base:
        yield base, cfg


class Watch:
    """Console errors, page errors, failed requests and HTTP errors of one page."""

    def __init__(self, page):
        self.problems: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text} {m.location}"))
        page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))


def _no_horizontal_scroll(page) -> tuple[int, int]:
    return page.evaluate("() => [Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),"
                         " document.documentElement.clientWidth]")


_TOFU_JS = """(el) => {
  // Draw the element's text, and as many characters no font has, in the element's font:
  // identical pictures mean the text came out as missing-glyph boxes.
  const font = getComputedStyle(el).font;
  const text = el.textContent.trim();
  const draw = (s) => {
    const c = document.createElement('canvas'); c.width = 40 * s.length + 40; c.height = 60;
    const g = c.getContext('2d'); g.font = font; g.fillStyle = '#000'; g.fillText(s, 10, 40);
    return c.toDataURL();
  };
  const tofu = String.fromCodePoint(0x10FFFD).repeat([...text].length);
  return {text, font, same: draw(text) === draw(tofu), blank: draw(text) === draw('')};
}"""


def _platform_fonts(page, selector: str) -> list[str]:
    """The fonts Chromium actually used for the element's text (DevTools protocol)."""
    s = page.context.new_cdp_session(page)
    s.send("DOM.enable")
    s.send("CSS.enable")
    root = s.send("DOM.getDocument")["root"]["nodeId"]
    node = s.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = s.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    s.detach()
    return [f["familyName"] for f in fonts]


# -- the site, per locale ------------------------------------------------------------------------

@pytest.mark.parametrize("locale", LOCALES)
def test_site_in_the_browser(browser, served, shots, locale):
    base, cfg = served
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    watch = Watch(page)
    path = PAGE_FOR[locale]
    page.goto(base + f"{locale}/{path}", wait_until="load")
    assert page.evaluate("document.documentElement.lang") == bcp47(locale)

    # readable on a phone: no horizontal scroll at 375 px
    sw, cw = _no_horizontal_scroll(page)
    assert cw == 375 and sw <= cw, (sw, cw)

    # CJK text is rendered with real glyphs (the switcher names the Chinese versions in Chinese)
    zh_link = page.locator('nav.l10n-switcher a[hreflang="zh-Hant-TW"]')
    res = zh_link.evaluate(_TOFU_JS)
    assert not res["same"] and not res["blank"], res
    # control: text no installed font covers (Egyptian hieroglyphs) does compare equal to the boxes
    control = page.evaluate("""() => { const s = document.createElement('span');
        s.textContent = '\\u{13000}\\u{13001}\\u{13002}'; document.body.append(s); return true; }""")
    assert control
    assert page.locator("body > span:last-child").evaluate(_TOFU_JS)["same"] is True
    page.evaluate("() => document.body.lastElementChild.remove()")
    # and Chromium drew them with a font of their own, not the one of the Latin text
    fonts = _platform_fonts(page, 'nav.l10n-switcher a[hreflang="zh-Hant-TW"]')
    latin = _platform_fonts(page, 'nav.l10n-switcher a[hreflang="en"]')
    assert set(fonts) - set(latin), (fonts, latin)

    # an untranslated segment falls back to the source language and says so
    if locale == "zh_CN":
        fb = page.locator('main span[lang="en"]')
        assert fb.count() == 1
        assert fb.evaluate("e => e.closest('[lang]').lang") == "en"
        assert fb.inner_text().startswith("Before each use")
    page.screenshot(path=str(shots / f"{locale}.png"), full_page=True)

    # the switcher leads to the same page in every other published language
    others = [lo for lo in LOCALES if lo != locale and (path, lo) in PUBLISHED_PAGES]
    assert others
    for lo in others:
        page.goto(base + f"{locale}/{path}", wait_until="load")
        with page.expect_navigation(wait_until="load"):
            page.locator(f'nav.l10n-switcher a[hreflang="{bcp47(lo)}"]').click()
        assert page.url == base + f"{lo}/{path}"
        assert page.evaluate("document.documentElement.lang") == bcp47(lo)
        assert page.locator('nav.l10n-switcher a[aria-current="page"]').get_attribute("hreflang") == bcp47(lo)

    # every page of the locale and its index load cleanly and fit the phone
    for p in sorted({pg for pg, lo in PUBLISHED_PAGES if lo == locale}) + ["index.html"]:
        page.goto(base + f"{locale}/{p}", wait_until="load")
        sw, cw = _no_horizontal_scroll(page)
        assert sw <= cw, (p, sw, cw)
    page.goto(base + f"{locale}/index.html", wait_until="load")
    page.screenshot(path=str(shots / f"{locale}-index.png"), full_page=True)
    assert not watch.problems, watch.problems
    ctx.close()


def test_held_back_page_links_lead_to_the_source_language(browser, served):
    base, _ = served
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    watch = Watch(page)
    page.goto(base + "zh_CN/articles/tacrolimus.html", wait_until="load")
    with page.expect_navigation(wait_until="load"):
        page.locator("header nav a").nth(1).click()          # 甲氨蝶呤: not published in zh_CN
    assert page.url == base + "en/articles/methotrexate.html"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert not watch.problems, watch.problems
    ctx.close()


def test_language_picker(browser, served, shots):
    base, _ = served
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    watch = Watch(page)
    page.goto(base, wait_until="load")
    assert page.evaluate("document.documentElement.lang") == "en"
    sw, cw = _no_horizontal_scroll(page)
    assert sw <= cw
    page.screenshot(path=str(shots / "index.png"), full_page=True)
    with page.expect_navigation(wait_until="load"):
        page.locator('ul.l10n-languages a[hreflang="zh-Hans-CN"]').click()
    assert page.url == base + "zh_CN/index.html"
    assert page.locator("h1").inner_text() == "所有页面"
    assert not watch.problems, watch.problems
    ctx.close()


def test_a_partly_translated_page_says_so_at_the_top(browser, served, shots):
    """zh_CN tacrolimus has one paragraph in English: a notice in Simplified Chinese, above
    the page's own content, drawn with CJK glyphs; the complete zh_TW version has none."""
    base, _ = served
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    watch = Watch(page)
    page.goto(base + "zh_CN/articles/tacrolimus.html", wait_until="load")
    notice = page.locator("p.l10n-notice")
    assert notice.count() == 1 and notice.is_visible()
    assert notice.inner_text() == "本页部分内容尚未翻译，以英文显示。"
    assert notice.get_attribute("lang") == "zh-Hans-CN"
    res = notice.evaluate(_TOFU_JS)
    assert not res["same"] and not res["blank"], res
    # at the top: below the switcher, above the page's header and its first heading, in the first screen
    box = notice.bounding_box()
    assert page.locator("nav.l10n-switcher").bounding_box()["y"] < box["y"]
    assert box["y"] + box["height"] <= page.locator("body > header").bounding_box()["y"]
    assert box["y"] < page.locator("main h1").bounding_box()["y"] and box["y"] < 812
    # the English paragraph keeps its language
    assert page.locator('main span[lang="en"]').evaluate("e => e.closest('[lang]').lang") == "en"
    page.screenshot(path=str(shots / "zh_CN-partial-notice.png"), full_page=False)
    page.goto(base + "zh_TW/articles/tacrolimus.html", wait_until="load")
    assert page.locator("p.l10n-notice").count() == 0
    assert not watch.problems, watch.problems
    ctx.close()


# a publisher's templates: a header on every page (chrome_body.html), a header and a footer on
# the pages l10n writes itself (layout.html)
OVERRIDE = {
    "templates/chrome_body.html": """{% import "l10n/chrome_body.html" as shipped %}
{% macro chrome_body(page) %}

<header class="publisher"><a href="{{ page.root }}index.html">Skin Notes</a> · sample publisher</header>
{{- shipped.chrome_body(page) }}
{%- endmacro %}
""",
    "templates/layout.html": """{% extends "l10n/layout.html" %}
{% block header %}<header class="publisher">Skin Notes · sample publisher</header>{% endblock %}
{% block footer %}<footer class="publisher">Sample content for the tests</footer>{% endblock %}
""",
}


def test_a_publishers_template_override_in_the_browser(browser, tmp_path, shots):
    cfg, _ = build_site(tmp_path, "override", files=OVERRIDE, templates="templates")
    with serving(cfg.output_dir) as base:
        ctx = browser.new_context(**PHONE)
        page = ctx.new_page()
        watch = Watch(page)
        page.goto(base + "zh_TW/articles/tacrolimus.html", wait_until="load")
        header = page.locator("header.publisher")
        assert header.count() == 1 and header.is_visible()
        assert header.inner_text() == "Skin Notes · sample publisher"
        # first on the page, above the shipped switcher, which still works
        assert header.bounding_box()["y"] < page.locator("nav.l10n-switcher").bounding_box()["y"]
        page.screenshot(path=str(shots / "override-page.png"), full_page=False)
        with page.expect_navigation(wait_until="load"):
            page.locator('nav.l10n-switcher a[hreflang="en"]').click()
        assert page.url == base + "en/articles/tacrolimus.html"
        with page.expect_navigation(wait_until="load"):
            page.locator("header.publisher a").click()              # the publisher's link to the root
        assert page.url == base + "index.html"
        for url in ("index.html", "zh_CN/index.html"):
            page.goto(base + url, wait_until="load")
            assert page.locator("header.publisher").inner_text() == "Skin Notes · sample publisher"
            footer = page.locator("footer.publisher")
            assert footer.is_visible() and footer.inner_text() == "Sample content for the tests"
            assert page.locator("main").bounding_box()["y"] < footer.bounding_box()["y"]
            sw, cw = _no_horizontal_scroll(page)
            assert sw <= cw, (url, sw, cw)
        # the index for readers: sections by title, no progress bars
        assert page.locator("section.l10n-section h2").all_inner_texts() == ["文章", "问答"]
        assert page.locator(".l10n-bar, .l10n-progress").count() == 0
        page.screenshot(path=str(shots / "override-index.png"), full_page=True)
        assert not watch.problems, watch.problems
        ctx.close()


# -- the reviewer's report -----------------------------------------------------------------

REPORT_FINDINGS = [
    Finding("GL002", Severity.ERROR, "locales/zh_TW/LC_MESSAGES/articles.morphea.po", 12,
            'forbidden term: msgstr uses "硬皮病"; use 硬皮症', "Localized scleroderma", "局部硬皮病", "硬皮病", "zh_TW"),
    Finding("GL002", Severity.ERROR, "locales/zh_TW/LC_MESSAGES/articles.morphea.po", 30,
            'forbidden term: msgstr uses "硬皮病"; use 硬皮症', "Systemic scleroderma", "全身性硬皮病", "硬皮病", "zh_TW"),
    Finding("GL005", Severity.WARNING, "locales/zh_CN/LC_MESSAGES/articles.morphea.po", 40,
            "number changed: 5 mg became 50 mg", "Take 5 mg once a week.", "每周服用 50 mg。", "50 mg", "zh_CN"),
    Finding("GL011", Severity.INFO, "locales/zh_CN/LC_MESSAGES/qa.morphea.po", 52,
            "half-width comma in Chinese text", "Yes, twice a day.", "是,每天两次。", ",", "zh_CN"),
]


def test_report_in_the_browser(browser, served, tmp_path, shots):
    from l10n.project import project_stats
    _, cfg = served
    f = tmp_path / "report.html"
    f.write_text(html_report(REPORT_FINDINGS, project_stats(cfg)), "utf-8")
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    page = ctx.new_page()
    watch = Watch(page)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f.as_uri(), wait_until="load")
    assert requests == [f.as_uri()]                      # self-contained: nothing else is fetched

    findings = page.locator("article.finding")
    assert findings.count() == 4

    def visible(sel: str) -> int:
        loc = page.locator(sel)
        return sum(1 for i in range(loc.count()) if loc.nth(i).is_visible())

    assert visible("article.finding") == 4
    assert page.locator("mark.term").first.is_visible()
    page.screenshot(path=str(shots / "report.png"), full_page=True)

    # severity filter
    page.locator('#filters input[value="error"]').uncheck()
    assert visible('article.finding[data-severity="error"]') == 0
    assert visible("article.finding") == 2
    assert page.locator("#shown").inner_text() == "2"
    assert not page.locator('section.catalog[data-path$="zh_TW/LC_MESSAGES/articles.morphea.po"]').is_visible()
    page.locator('#filters input[value="error"]').check()
    assert visible("article.finding") == 4

    # rule filter
    page.locator("#rule-filter").select_option("GL005")
    assert visible("article.finding") == 1
    assert visible('article.finding[data-rule="GL005"]') == 1
    assert visible("section.rule-group") == 1
    page.locator("#rule-filter").select_option("")
    assert visible("article.finding") == 4

    # the rule's explanation opens
    page.locator("details.explain summary").first.click()
    assert page.locator("details.explain pre").first.is_visible()
    page.screenshot(path=str(shots / "report-filtered.png"), full_page=False)
    assert not watch.problems, watch.problems
    ctx.close()


# -- the project's own site --------------------------------------------------------------------

def test_the_shipped_site_loads_cleanly_on_a_phone(browser, tmp_path, shots):
    """`l10n build` on a copy of the repo's pages and catalogs; every page at 375 px."""
    from l10n.config import load_config
    from l10n.project import build
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(REPO / "source_pages", root / "source_pages")
    shutil.copytree(REPO / "locales", root / "locales",
                    ignore=shutil.ignore_patterns("*.mo", ".*"))
    cfg = load_config(root)
    rep = build(cfg)
    published = [p.output for p in rep.render.pages if p.published]
    assert published
    with serving(cfg.output_dir) as base:
        ctx = browser.new_context(**PHONE)
        page = ctx.new_page()
        watch = Watch(page)
        shot_taken: set[str] = set()
        for out in ["index.html"] + [f"{lo}/index.html" for lo in cfg.locales] + sorted(published):
            page.goto(base + out, wait_until="load")
            sw, cw = _no_horizontal_scroll(page)
            assert sw <= cw, (out, sw, cw)
            lo = out.split("/")[0]
            if "/" in out and not out.endswith("index.html") and lo not in shot_taken:
                shot_taken.add(lo)
                page.screenshot(path=str(shots / f"shipped-{lo}.png"), full_page=True)
        assert not watch.problems, watch.problems
        ctx.close()
