"""``l10n serve``: the preview serves the built site on localhost and rebuilds what changed."""
from __future__ import annotations

import time
import urllib.request

import pytest
from click.testing import CliRunner

from l10n.cli import cli
from l10n.config import load_config
from l10n.serve import Preview
from site_fixture import TABLES, make_project, translate


def fetch(url: str):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode("utf-8"), r.headers      # case-insensitive


@pytest.fixture
def preview(tmp_path):
    root = make_project(tmp_path)
    cfg = load_config(root)
    lines: list[str] = []
    pv = Preview(cfg, port=0, echo=lines.append)
    pv.start(watch=False)          # builds first; the tests call poll() themselves
    pv.lines = lines
    yield pv
    pv.stop()


def test_serves_the_built_site_on_loopback(preview):
    assert preview.host == "127.0.0.1" and preview.url.startswith("http://127.0.0.1:")
    body, headers = fetch(preview.url + "index.html")
    assert 'class="l10n-languages"' in body
    assert headers["Cache-Control"] == "no-store"
    assert headers["Content-Type"].startswith("text/html")
    page, _ = fetch(preview.url + "en/articles/tacrolimus.html")
    assert "<h1>Tacrolimus ointment</h1>" in page
    assert any(ln.startswith("build:") for ln in preview.lines)


def test_a_saved_po_is_compiled_and_rendered(preview):
    cfg = preview.cfg
    assert preview.poll() is None                               # nothing changed yet
    assert not (cfg.output_dir / "zh_TW/articles/tacrolimus.html").exists()   # 0 % translated: held back
    translate(cfg.po_path("zh_TW", "articles.tacrolimus"), TABLES[("zh_TW", "articles.tacrolimus")])
    assert preview.poll() == "render"
    page, _ = fetch(preview.url + "zh_TW/articles/tacrolimus.html")
    assert "<h1>普特皮藥膏</h1>" in page
    assert preview.poll() is None                               # settled: no rebuild loop


def test_a_saved_page_is_rebuilt(preview):
    cfg = preview.cfg
    src = cfg.source_dir / "articles" / "methotrexate.html"
    src.write_text(src.read_text("utf-8").replace("<h1>Methotrexate</h1>", "<h1>Methotrexate tablets</h1>"),
                   "utf-8")
    assert preview.poll() == "build"
    page, _ = fetch(preview.url + "en/articles/methotrexate.html")
    assert "<h1>Methotrexate tablets</h1>" in page
    pot = (cfg.templates_dir / "articles.methotrexate.pot").read_text("utf-8")
    assert 'msgid "Methotrexate tablets"' in pot
    assert preview.poll() is None      # the catalogs the build merged are not taken for a translator's save


def test_a_saved_page_s_new_paragraph_is_pre_translated_and_said(preview):
    import polib
    cfg = preview.cfg
    translate(cfg.po_path("zh_TW", "articles.tacrolimus"), TABLES[("zh_TW", "articles.tacrolimus")])
    assert preview.poll() == "render"
    src = cfg.source_dir / "articles" / "methotrexate.html"
    src.write_text(src.read_text("utf-8").replace(
        "</h1>", "</h1><p>This page does not replace a visit to your own doctor.</p>", 1), "utf-8")
    del preview.lines[:]
    assert preview.poll() == "build"
    assert "locales/zh_TW/LC_MESSAGES/articles.methotrexate.po: 1 pre-translated from the translation memory " \
           "(fuzzy)" in preview.lines
    e = polib.pofile(str(cfg.po_path("zh_TW", "articles.methotrexate"))).find(
        "This page does not replace a visit to your own doctor.")
    assert e.msgstr == "本頁內容無法取代醫師的診療。" and "fuzzy" in e.flags
    assert e.tcomment.endswith("% match from locales/zh_TW/LC_MESSAGES/articles.tacrolimus.po")
    assert preview.poll() is None


def test_a_broken_catalog_is_reported_and_the_preview_keeps_serving(preview):
    cfg = preview.cfg
    po = cfg.po_path("zh_CN", "qa.morphea")
    po.write_text(po.read_text("utf-8") + '\nmsgid "unterminated\n', "utf-8")
    from l10n.errors import CatalogError
    with pytest.raises(CatalogError):
        preview.poll()
    assert preview.poll() is None                   # not retried until the next save
    body, _ = fetch(preview.url + "index.html")
    assert "l10n-languages" in body


def test_the_watcher_thread_picks_up_a_save(tmp_path):
    root = make_project(tmp_path)
    lines: list[str] = []
    pv = Preview(load_config(root), port=0, echo=lines.append)
    url = pv.start(watch=True)
    try:
        po = pv.cfg.po_path("zh_CN", "qa.morphea")
        translate(po, TABLES[("zh_CN", "qa.morphea")])
        deadline = time.monotonic() + 60          # a bound for a slow machine, not a speed claim
        page = ""
        while time.monotonic() < deadline:
            try:
                page, _ = fetch(url + "zh_CN/qa/morphea.html")
            except OSError:
                page = ""
            if "局限性硬皮病问答" in page:
                break
            time.sleep(0.2)
        assert "<h1>局限性硬皮病问答</h1>" in page, lines
    finally:
        pv.stop()


def _wait_for(pred, lines, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds        # a bound for a slow machine, not a speed claim
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out; the preview said: {lines}")


def test_the_watcher_rebuilds_only_what_changed_and_says_what(tmp_path):
    """watchfiles reports each save; the rebuild renders what the saved file feeds, prints the
    site files it wrote, and does not loop on the files the build itself writes."""
    root = make_project(tmp_path)
    lines: list[str] = []
    pv = Preview(load_config(root), port=0, echo=lines.append)
    pv.start(watch=True)

    def rebuilt(n: int) -> str:
        _wait_for(lambda: sum(ln.startswith("rebuilt:") for ln in lines) >= n, lines)
        return [ln for ln in lines if ln.startswith("rebuilt:")][n - 1]
    try:
        assert pv._threads[-1].name == "l10n-watch"
        po = pv.cfg.po_path("zh_CN", "qa.morphea")
        translate(po, TABLES[("zh_CN", "qa.morphea")])
        first = rebuilt(1)
        assert "changed: locales/zh_CN/LC_MESSAGES/qa.morphea.po" in lines
        assert "zh_CN/qa/morphea.html" in first and "zh_CN/index.html" in first    # now published, and listed
        # one paragraph retranslated: that page version alone
        para = "局部硬皮症又稱為硬斑病，主要侵犯皮膚。"
        translate(po, {para: "局限性硬皮病也称硬斑病，主要累及皮肤。"})
        assert rebuilt(2) == "rebuilt: zh_CN/qa/morphea.html"
        page, _ = fetch(pv.url + "zh_CN/qa/morphea.html")
        assert "局限性硬皮病也称硬斑病" in page
        # a page edited: its versions are built again, the other page is not
        src = pv.cfg.source_dir / "articles" / "tacrolimus.html"
        src.write_text(src.read_text("utf-8").replace("<h1>Tacrolimus ointment</h1>",
                                                      "<h1>Tacrolimus ointment (Protopic)</h1>"), "utf-8")
        third = rebuilt(3)
        assert "changed: source_pages/articles/tacrolimus.html" in lines
        assert "en/articles/tacrolimus.html" in third and "methotrexate" not in third
        time.sleep(1.5)                          # the catalogs the build merged do not start another build
        # (a save the system reports in two parts may be seen twice on a busy machine: what
        # matters is that nothing the builds wrote is ever taken for a change)
        changed = [ln for ln in lines if ln.startswith("changed:")]
        assert set(changed) == {"changed: locales/zh_CN/LC_MESSAGES/qa.morphea.po",
                                "changed: source_pages/articles/tacrolimus.html"}, "\n".join(lines)
        assert changed[-1] == "changed: source_pages/articles/tacrolimus.html" and len(changed) <= 4
    finally:
        pv.stop()


def test_a_saved_template_rebuilds_the_site(tmp_path):
    root = make_project(tmp_path, templates="templates")
    (root / "templates").mkdir()
    lines: list[str] = []
    pv = Preview(load_config(root), port=0, echo=lines.append)
    pv.start(watch=False)
    try:
        body, _ = fetch(pv.url + "en/articles/tacrolimus.html")
        assert 'class="publisher"' not in body
        (root / "templates" / "chrome_body.html").write_text(
            '{% import "l10n/chrome_body.html" as shipped %}\n{% macro chrome_body(page) %}\n'
            '<header class="publisher">Sample publisher</header>{{ shipped.chrome_body(page) }}{% endmacro %}\n',
            "utf-8")
        assert pv.watched(str(root / "templates" / "chrome_body.html"))
        assert pv.poll() == "build"
        body, _ = fetch(pv.url + "en/articles/tacrolimus.html")
        assert '<header class="publisher">Sample publisher</header>' in body
        assert "en/articles/tacrolimus.html" in lines[-1] and lines[-1].startswith("rebuilt:")
        assert pv.poll() is None
    finally:
        pv.stop()


def test_what_the_watcher_reacts_to(preview):
    cfg = preview.cfg
    assert preview.watched(str(cfg.po_path("zh_TW", "qa.morphea")))
    assert preview.watched(str(cfg.source_dir / "articles" / "tacrolimus.html"))
    assert preview.watched(str(cfg.source_dir / "assets" / "site.css"))
    assert preview.watched(str(cfg.pyproject))
    assert not preview.watched(str(cfg.mo_path("zh_TW", "qa.morphea")))        # compile's output
    assert not preview.watched(str(cfg.pot_path("qa.morphea")))                 # extract's output
    assert not preview.watched(str(cfg.output_dir / "en" / "index.html"))
    assert not preview.watched(str(cfg.source_dir / ".page.html.swp"))


def test_cli_serve_options():
    r = CliRunner().invoke(cli, ["serve", "--help"])
    assert r.exit_code == 0
    for opt in ("--host", "--port", "--no-watch"):
        assert opt in r.output
    assert "127.0.0.1" in r.output


def test_cli_stats_html(tmp_path):
    root = make_project(tmp_path)
    r = CliRunner().invoke(cli, ["build", "-p", str(root)])
    assert r.exit_code == 0, r.output
    out = tmp_path / "stats.html"
    r = CliRunner().invoke(cli, ["stats", "-p", str(root), "--format", "html", "-o", str(out)])
    assert r.exit_code == 0, r.output
    html = out.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'id="completeness"' in html
    assert html.count("data-percent=") == 6          # 6 catalogs: 3 pages x 2 target locales
