"""Pages shaped like the real web (tests/fixtures/realweb/) come back as browsers read them.

Each page goes extract -> identity translation (every msgstr = its msgid) -> build, and
the built page is compared with the source page under html5lib, the HTML standard's
tree construction (the oracle). What may differ is what the README documents:
whitespace runs inside a unit, the build's additions (``lang``, alternates, the language
switcher, the stylesheet, a viewport meta and an empty icon when the page has none),
``<meta charset>`` saying UTF-8, links re-pointed, dates written for the target locale,
and a comment inside a unit (kept in the page's own language, not in a translation).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup, Comment, Doctype, Tag

from l10n.html.render import render
from l10n.html.walker import decode_page, parse_page

REALWEB = Path(__file__).parent / "fixtures" / "realweb"
PAGES = sorted(REALWEB.glob("*.html"))
_WS = re.compile(r"[ \t\n\r\f]+")
TARGET = {"en": "zh_TW", "zh_TW": "en", "zh_CN": "en"}


def canon(html: str, *, comments: bool = True, build: bool = False) -> list[tuple]:
    """The page as html5lib builds it: elements with their attributes, comments, and text
    with each run of HTML whitespace written as one space."""
    soup = BeautifulSoup(html, "html5lib", multi_valued_attributes=None)
    out: list[tuple] = []

    def text(t: str) -> None:
        if out and out[-1][0] == "text":
            out[-1] = ("text", _WS.sub(" ", out[-1][1] + t))
        else:
            out.append(("text", _WS.sub(" ", t)))

    def walk(node: Tag) -> None:
        for c in node.children:
            if isinstance(c, Tag):
                if build and _added(c):
                    continue
                attrs = dict(c.attrs)
                if c.name == "html":
                    attrs.pop("lang", None)
                    attrs.pop("xml:lang", None)
                if c.name == "meta" and ("charset" in attrs or attrs.get("http-equiv", "").lower() == "content-type"):
                    attrs = {k: "(charset)" if k in ("charset", "content") else v for k, v in attrs.items()}
                if c.name == "a" and build:
                    attrs.pop("href", None)
                out.append(("start", c.name, tuple(sorted(attrs.items()))))
                if c.name == "time" and re.match(r"\d{4}-\d\d-\d\d$", attrs.get("datetime", "")):
                    out.append(("text", "(date)"))
                else:
                    walk(c)
                out.append(("end", c.name))
            elif isinstance(c, Doctype):
                out.append(("doctype", str(c)))
            elif isinstance(c, Comment):
                if comments:
                    out.append(("comment", str(c)))
            else:
                text(str(c))

    walk(soup)
    if build:       # the additions come each on a line of their own: whitespace between elements
        out = [x for x in out if x != ("text", " ")]
    return out


def _added(tag: Tag) -> bool:
    """What a build adds to a page (README: "what a round trip keeps")."""
    rel = tag.attrs.get("rel", "")
    if tag.name == "link" and (rel == "alternate" and "hreflang" in tag.attrs
                               or rel == "stylesheet" and tag.attrs.get("href", "").endswith("l10n.css")
                               or rel == "icon" and tag.attrs.get("href") == "data:,"):
        return True
    if tag.name == "meta" and tag.attrs.get("name") == "viewport":
        return True     # added when the page has none; counted apart (exactly one)
    return tag.name == "nav" and "l10n-switcher" in tag.attrs.get("class", "")


def test_the_corpus_is_there():
    assert len(PAGES) >= 8


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_identity_render_is_the_source_under_html5lib(path):
    data = path.read_bytes()
    sk = parse_page(data, path.name)
    out = render(sk, None, locale=sk.locale).html
    assert canon(out) == canon(decode_page(data, path.name))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_identity_translation_is_the_source_under_html5lib(path):
    """Every unit filled from a translation equal to its msgid (the placeholder path)."""
    data = path.read_bytes()
    sk = parse_page(data, path.name)
    res = render(sk, [s.msgid for s in sk.segments], locale=sk.locale)
    assert res.invalid == ()
    assert canon(res.html, comments=False) == canon(decode_page(data, path.name), comments=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The corpus as a project: extract, update, every msgstr = msgid, build."""
    from l10n.config import load_config
    from l10n.project import build, extract, update
    root = tmp_path_factory.mktemp("realweb")
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nthreshold = 80\n\n[tool.l10n.targets]\nen = ["zh_TW"]\nzh_TW = ["en"]\nzh_CN = ["en"]\n'
        # an identity translation is no translation: the check gate (tests/test_gate.py) would hold it back
        '\n[tool.l10n.check]\ngate = "off"\n')
    shutil.copytree(REALWEB, root / "source_pages", ignore=shutil.ignore_patterns("*.md"))
    cfg = load_config(root)
    res = extract(cfg)
    update(cfg)
    for po_path in (root / "locales").glob("*/LC_MESSAGES/*.po"):
        po = polib.pofile(str(po_path))
        for e in po:
            e.msgstr = e.msgid
            if "fuzzy" in e.flags:
                e.flags.remove("fuzzy")
        po.save()
    build(cfg)
    return root, res


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_round_trip_through_build(built, path):
    root, _ = built
    src = decode_page(path.read_bytes(), path.name)
    sk = parse_page(path.read_bytes(), path.name)
    locale = {"en": "en", "zh-Hant-TW": "zh_TW"}.get(sk.lang, "zh_CN")
    out_path = root / "site" / TARGET[locale] / path.name
    assert out_path.is_file(), f"{path.name} was not published in {TARGET[locale]}"
    out = out_path.read_text("utf-8")
    assert canon(out, comments=False, build=True) == canon(src, comments=False, build=True)
    # the additions are there, once each
    soup = BeautifulSoup(out, "html5lib")
    assert len(soup.select('meta[name="viewport"]')) == 1
    assert soup.find("html")["lang"] != sk.lang
    assert soup.select("nav.l10n-switcher")


def test_extract_says_how_lang_zh_was_read(built):
    _, res = built
    assert any('zh-cn-news.html: <html lang="zh"> read as zh_CN' in n for n in res.notes)
