"""The pipeline over a project (library calls): extract -> update -> compile -> render."""
from __future__ import annotations

import re
import shutil

import lxml.html
import polib
import pytest

from l10n import catalogs as cat
from l10n.config import load_config
from l10n.errors import CatalogError, ConfigError, PageError
from l10n.project import build, compile_all, extract, load_pages, render_site, update

from project_fixture import (ASK_EN, GUIDE_ZH_CN, GUIDE_ZH_TW, changed, make_project, mo_path, po_path, snapshot,
                             translate, translate_all)


@pytest.fixture
def project(tmp_path):
    root = make_project(tmp_path)
    build(load_config(root))
    return root


@pytest.fixture
def translated(project):
    translate_all(project)
    build(load_config(project))
    return project


def cfg_of(root):
    return load_config(root)


# -- the first build ------------------------------------------------------------------------

def test_first_build_writes_templates_catalogs_and_source_pages(project):
    files = snapshot(project)
    assert {k for k in files if k.startswith("locales/")} == {
        "locales/templates/guide.pot", "locales/templates/qa.ask.pot",
        "locales/zh_TW/LC_MESSAGES/guide.po", "locales/zh_TW/LC_MESSAGES/guide.mo",
        "locales/zh_CN/LC_MESSAGES/guide.po", "locales/zh_CN/LC_MESSAGES/guide.mo",
        "locales/en/LC_MESSAGES/qa.ask.po", "locales/en/LC_MESSAGES/qa.ask.mo",
        "locales/zh_CN/LC_MESSAGES/qa.ask.po", "locales/zh_CN/LC_MESSAGES/qa.ask.mo"}
    # nothing is translated yet: only the source-language versions are published
    assert "site/en/guide.html" in files and "site/zh_TW/qa/ask.html" in files
    assert "site/zh_TW/guide.html" not in files and "site/en/qa/ask.html" not in files
    pot = polib.pofile(str(project / "locales/templates/guide.pot"))
    assert pot.metadata["X-Source-Language"] == "en"
    assert entry_occ(pot, "Skin care guide") == [("source_pages/guide.html", "5"), ("source_pages/guide.html", "10")]
    assert polib.pofile(str(po_path(project, "en", "qa.ask"))).metadata["Language"] == "en"


def entry_occ(po, msgid):
    return next(e.occurrences for e in po if e.msgid == msgid)


def test_every_unit_of_both_pages_is_in_its_template(project):
    pages = load_pages(cfg_of(project))
    for pg in pages:
        pot = polib.pofile(str(project / "locales/templates" / f"{pg.domain}.pot"))
        assert {(e.msgctxt, e.msgid) for e in pot} == {(s.msgctxt, s.msgid) for s in pg.skeleton.segments}
    assert {pg.domain: pg.locale for pg in pages} == {"guide": "en", "qa.ask": "zh_TW"}


# -- determinism ---------------------------------------------------------------------------

def test_build_twice_gives_byte_identical_output(translated):
    before = snapshot(translated, "locales", "site")
    rep = build(cfg_of(translated))
    assert changed(before, snapshot(translated, "locales", "site")) == []
    assert rep.extract.written == () and not any(r.written for r in rep.update)
    assert not any(r.written for r in rep.compile) and rep.render.written == 0


def test_cold_cache_gives_the_same_output(translated):
    before = snapshot(translated, "locales", "site")
    shutil.rmtree(translated / ".l10n-cache")
    build(cfg_of(translated))
    assert changed(before, snapshot(translated, "locales", "site")) == []


def test_two_fresh_projects_give_the_same_bytes_but_for_dates(tmp_path):
    def run(name):
        root = make_project(tmp_path, name)
        build(cfg_of(root))
        translate_all(root)
        build(cfg_of(root))
        date = re.compile(rb'"(POT-Creation-Date|PO-Revision-Date): [^"]*"')
        return {k: date.sub(b"", v) for k, v in snapshot(root, "locales", "site").items()}
    a, b = run("a"), run("b")
    assert a.keys() == b.keys() and changed(a, b) == []


# -- page edits keep translations --------------------------------------------------------------

def test_page_edit_keeps_translations_as_fuzzy_and_obsolete(translated):
    page = translated / "source_pages/guide.html"
    page.write_text(page.read_text("utf-8").replace("Ask your doctor.", "Ask your own doctor.")
                    .replace('  <img src="skin.png" alt="A diagram of the skin">\n', ""), "utf-8")
    rep = build(cfg_of(translated))
    assert rep.extract.written == ("locales/templates/guide.pot",)
    po = polib.pofile(str(po_path(translated, "zh_TW", "guide")))
    e = next(e for e in po if e.msgid == "Ask your own doctor.")
    assert (e.msgstr, e.flags, e.previous_msgid) == ("請詢問您的醫師。", ["fuzzy"], "Ask your doctor.")
    gone = next(e for e in po if e.msgid == "A diagram of the skin")
    assert gone.obsolete and gone.msgstr == "皮膚構造圖"
    # the fuzzy entry is not used: 5 of 6 units -> 83 % -> still published, with a fallback
    html = (translated / "site/zh_TW/guide.html").read_text("utf-8")
    assert '<span lang="en">Ask your own doctor.</span>' in html


def test_removed_page_loses_its_template(translated):
    (translated / "source_pages/qa/ask.html").unlink()
    res = extract(cfg_of(translated))
    assert res.removed == ("locales/templates/qa.ask.pot",)
    assert not (translated / "locales/templates/qa.ask.pot").exists()


def test_removed_page_is_no_longer_published_but_its_translations_are_kept(translated):
    outs = [translated / "site" / loc / "qa/ask.html" for loc in ("zh_TW", "en", "zh_CN")]
    assert all(p.is_file() for p in outs)
    (translated / "source_pages/qa/ask.html").unlink()
    build(cfg_of(translated))
    assert [p for p in outs if p.exists()] == []
    assert sorted(p.relative_to(translated / "site").as_posix()
                  for p in (translated / "site").rglob("*.html")) == [
        "en/guide.html", "en/index.html", "index.html", "zh_CN/guide.html", "zh_CN/index.html",
        "zh_TW/guide.html", "zh_TW/index.html"]
    po = polib.pofile(str(po_path(translated, "en", "qa.ask")))     # the translator's work stays
    assert {e.msgid: e.msgstr for e in po} == ASK_EN


# -- update ------------------------------------------------------------------------------------

def test_update_one_locale_touches_only_its_catalogs(project):
    page = project / "source_pages/guide.html"
    page.write_text(page.read_text("utf-8").replace("Ask your doctor.", "Ask a doctor."), "utf-8")
    cfg = cfg_of(project)
    extract(cfg)
    before = snapshot(project, "locales", "site")
    results = update(cfg, ["zh_CN"])
    assert {r.locale for r in results} == {"zh_CN"}
    assert changed(before, snapshot(project, "locales", "site")) == ["locales/zh_CN/LC_MESSAGES/guide.po"]


def test_update_refuses_an_unknown_locale(project):
    with pytest.raises(ConfigError, match="'fr' is not a target locale"):
        update(cfg_of(project), ["fr"])
    with pytest.raises(ConfigError):
        compile_all(cfg_of(project), locales=["xx"])


def test_compendium_fills_a_new_page_from_other_catalogs(translated):
    page = translated / "source_pages/other.html"
    page.write_text('<!DOCTYPE html>\n<html lang="en">\n<head><title>Skin care guide</title></head>\n'
                    "<body><p>Ask your doctor.</p><p>Something new here.</p></body>\n</html>\n", "utf-8")
    build(cfg_of(translated))
    po = polib.pofile(str(po_path(translated, "zh_TW", "other")))
    assert {e.msgid: e.msgstr for e in po} == {"Skin care guide": "皮膚照護指南",
                                              "Ask your doctor.": "請詢問您的醫師。",
                                              "Something new here.": ""}


# -- compile -------------------------------------------------------------------------------------

def test_compile_error_gives_no_mo_for_that_catalog_and_compiles_the_others(project):
    cfg = cfg_of(project)
    for p in sorted((project / "locales").rglob("*.mo")):
        p.unlink()
    bad = dict(GUIDE_ZH_TW, **{"Read <a1>the questions</a1> first.": "請先閱讀<a1>問答。"})
    translate(po_path(project, "zh_TW", "guide"), bad)
    translate(po_path(project, "en", "qa.ask"), ASK_EN)
    reports = {r.path: r for r in compile_all(cfg)}
    r = reports["locales/zh_TW/LC_MESSAGES/guide.po"]
    text = po_path(project, "zh_TW", "guide").read_text("utf-8").splitlines()
    line = text.index('msgid "Read <a1>the questions</a1> first."') + 1
    assert r.errors == (f"locales/zh_TW/LC_MESSAGES/guide.po:{line}: placeholder: <a1> is not closed "
                        "(msgid 'Read <a1>the questions</a1> first.')",)
    assert not r.written and not mo_path(project, "zh_TW", "guide").exists()
    assert [p for p, x in reports.items() if x.errors] == ["locales/zh_TW/LC_MESSAGES/guide.po"]
    for loc, dom in (("zh_CN", "guide"), ("en", "qa.ask"), ("zh_CN", "qa.ask")):
        assert mo_path(project, loc, dom).is_file()
    assert reports["locales/en/LC_MESSAGES/qa.ask.po"].stats.msgfmt_line() == "4 translated messages."


# -- render: the threshold ---------------------------------------------------------------------

def test_page_below_threshold_is_held_back_and_removed_from_a_previous_build(translated):
    cfg = cfg_of(translated)
    out = translated / "site/zh_CN/qa/ask.html"
    assert out.is_file()
    # 2 of 4 units translated in zh_CN: below 80 %
    po = polib.pofile(str(po_path(translated, "zh_CN", "qa.ask")))
    for e in po:
        if e.msgid in ("醫療問答", "局部硬皮症的用藥問題"):
            e.msgstr = ""
    po.save()
    compile_all(cfg)
    rep = render_site(cfg)
    assert [(p.output, p.percent, p.published) for p in rep.unpublished] == [("zh_CN/qa/ask.html", 50.0, False)]
    assert not out.exists()
    # the other versions no longer offer it ...
    tw = lxml.html.fromstring((translated / "site/zh_TW/qa/ask.html").read_bytes())
    assert sorted(tw.xpath("//link[@rel='alternate']/@hreflang")) == ["en", "x-default", "zh-Hant-TW"]
    assert "zh-Hans-CN" not in tw.xpath("//nav[contains(@class,'l10n-switcher')]//a/@hreflang")
    # ... and a zh_CN page linking to it now sends the reader to the source version
    guide = lxml.html.fromstring((translated / "site/zh_CN/guide.html").read_bytes())
    assert guide.xpath("//p/a[@class='more']/@href") == ["../zh_TW/qa/ask.html"]
    assert (translated / "site/zh_CN/guide.html").parent.joinpath("../zh_TW/qa/ask.html").resolve().is_file()


def test_links_to_an_unpublished_version_point_at_the_source_version(project):
    # nothing translated: en/qa/ask.html is not published, so the English page links to zh_TW's
    html = lxml.html.fromstring((project / "site/en/guide.html").read_bytes())
    assert html.xpath("//p/a[@class='more']/@href") == ["../zh_TW/qa/ask.html"]
    # zh_CN guide published with the linking unit untranslated: the fallback's link is re-pointed too
    translate(po_path(project, "zh_CN", "guide"),
              {k: v for k, v in GUIDE_ZH_CN.items() if not k.startswith("Read")})
    build(cfg_of(project))
    html = lxml.html.fromstring((project / "site/zh_CN/guide.html").read_bytes())
    (span,) = html.xpath("//p/span[@lang='en']")
    assert span.xpath("a/@href") == ["../zh_TW/qa/ask.html"] and span.xpath("a/@class") == ["more"]
    assert (project / "site/zh_CN/guide.html").parent.joinpath("../zh_TW/qa/ask.html").resolve().is_file()


def test_threshold_is_inclusive(translated):
    """5 of 6 entries = 6 of 7 units (the title and the h1 share a msgid)."""
    cfg = cfg_of(translated)
    po = polib.pofile(str(po_path(translated, "zh_TW", "guide")))
    next(e for e in po if e.msgid == "Ask your doctor.").msgstr = ""
    po.save()
    compile_all(cfg)
    (stat,) = [p for p in render_site(cfg).pages if p.output == "zh_TW/guide.html"]
    assert stat.published and round(stat.percent, 1) == 85.7
    p = lxml.html.fromstring((translated / "site/zh_TW/guide.html").read_bytes())
    assert p.xpath("//p/span[@lang='en']/text()") == ["Ask your doctor."]


def test_fuzzy_translations_count_only_with_use_fuzzy(project):
    translate(po_path(project, "zh_TW", "guide"), GUIDE_ZH_TW, fuzzy=True)
    cfg = cfg_of(project)
    build(cfg)
    assert not (project / "site/zh_TW/guide.html").exists()
    build(cfg, use_fuzzy=True)
    assert (project / "site/zh_TW/guide.html").is_file()


# -- bad input stops before anything is written ---------------------------------------------------

def test_unreadable_catalog_stops_the_build_before_any_write(project):
    page = project / "source_pages/guide.html"
    page.write_text(page.read_text("utf-8").replace("Ask your doctor.", "Ask a doctor."), "utf-8")
    po_path(project, "zh_CN", "qa.ask").write_text('msgid "a"\nmsgstr "unterminated\n', "utf-8")
    before = snapshot(project)
    with pytest.raises(CatalogError) as ei:
        build(cfg_of(project))
    assert ei.value.line == 2 and ei.value.path.endswith("zh_CN/LC_MESSAGES/qa.ask.po")
    assert changed(before, snapshot(project)) == []


def test_bad_page_stops_the_build_before_any_write(project):
    (project / "source_pages/broken.html").write_bytes("<p>Hello</p>".encode("utf-16-le"))
    before = snapshot(project)
    with pytest.raises(PageError) as ei:
        build(cfg_of(project))
    assert ei.value.path == "source_pages/broken.html"
    assert changed(before, snapshot(project)) == []


def test_skeleton_cache_follows_the_configured_source_locales(project):
    """A cached page must not slip past a config that no longer accepts its language."""
    pp = project / "pyproject.toml"
    pp.write_text(pp.read_text("utf-8").replace('zh_TW = ["en", "zh_CN"]\n', ""), "utf-8")
    with pytest.raises(PageError, match="not a source language") as ei:
        load_pages(cfg_of(project))
    assert ei.value.path == "source_pages/qa/ask.html"


def test_stats_of_the_catalogs(translated):
    from l10n.project import project_stats
    rows = {(page, loc): st for page, loc, _, st in project_stats(cfg_of(translated))}
    assert rows[("source_pages/guide.html", "zh_TW")] == cat.Stats(6, 0, 0, 0)
    assert rows[("source_pages/qa/ask.html", "en")].percent == 100.0
    assert len(rows) == 4


def test_page_keys_read_by_two_processes_are_each_pages_key(tmp_path):
    """From SPLIT_KEYS pages on, a forked child reads and hashes the second half: the keys are the
    ones one pass gives, in order, and a page that cannot be read is reported as one pass would."""
    import pytest

    from l10n.pages import SPLIT_KEYS, page_keys, skeleton_key

    known = ("en", "zh_TW")
    paths, rels = [], []
    for i in range(SPLIT_KEYS + 3):
        p = tmp_path / f"q{i:05d}.html"
        p.write_bytes(f'<html lang="en"><body><p>Question {i}</p></body></html>'.encode())
        paths.append(p)
        rels.append(f"source_pages/q{i:05d}.html")
    keys = page_keys(paths, rels, known, 2)
    assert keys == [skeleton_key(p.read_bytes(), r, known) for p, r in zip(paths, rels)]
    assert page_keys(paths, rels, known, 1) == keys and len(set(keys)) == len(keys)
    paths[-2].unlink()
    with pytest.raises(FileNotFoundError):
        page_keys(paths, rels, known, 2)
