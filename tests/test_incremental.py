"""The incremental, parallel build gives what the plain pipeline gives: same files, same report.

Two copies of a generated site go through the same edits; one is built with
``build`` (manifest, caches, workers), the other with ``build_full`` (every stage
over every page). After each edit every file of both projects must be identical.
"""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from l10n import project
from l10n.config import load_config
from l10n.errors import CatalogError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("incremental") / "site"
    corpus.make_site(d, 14, seed=3, terms=80, jobs=1)
    return d


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(project, "_now", lambda: "2024-01-01 00:00+0000")


def _files(root: Path) -> dict[str, bytes]:
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_file() and not rel.startswith(".l10n-cache") and rel != ".l10n.lock":
            out[rel] = p.read_bytes()
    return out


def _summary(rep) -> tuple:
    return (rep.extract.written, rep.extract.removed, sorted(rep.extract.templates),
            [(u.path, u.locale, u.written, u.stats) for u in rep.update],
            [(c.path, c.stats, c.errors, c.written) for c in rep.compile],
            rep.render.pages, rep.render.written, rep.render.warnings)


class Pair:
    """The same project twice: one built incrementally, one in full."""

    def __init__(self, src: Path, tmp: Path):
        self.a, self.b = tmp / "a", tmp / "b"
        shutil.copytree(src, self.a)
        shutil.copytree(src, self.b)

    def edit(self, fn) -> None:
        fn(self.a)
        fn(self.b)

    def build(self, jobs: int = 2) -> tuple:
        ra = project.build(load_config(self.a), jobs=jobs)
        rb = project.build_full(load_config(self.b))
        fa, fb = _files(self.a), _files(self.b)
        assert sorted(fa) == sorted(fb)
        for k in fa:
            assert fa[k] == fb[k], k
        assert _summary(ra) == _summary(rb)
        return ra, rb


def _first_page(root: Path, lang: str = "zh-Hant-TW") -> Path:
    return next(p for p in sorted((root / "source_pages").rglob("*.html")) if f'lang="{lang}"' in p.read_text())


def _edit_paragraph(root: Path) -> None:
    p = _first_page(root)
    text = p.read_text()
    m = re.search(r"<p>([^<]{10,})</p>", text)
    p.write_text(text[:m.end(1)] + "本段已更新。" + text[m.end(1):])


def test_builds_agree_through_a_day_of_edits(pristine, tmp_path):
    pair = Pair(pristine, tmp_path)
    pair.build()                                   # first build: everything
    ra, _ = pair.build()                           # nothing changed
    assert not ra.extract.written and not any(u.written for u in ra.update) and ra.render.written == 0

    pair.edit(_edit_paragraph)                     # an author edits a paragraph
    ra, _ = pair.build()
    assert ra.extract.written and any(u.written for u in ra.update)

    def translate(root: Path) -> None:             # a translator fills the fuzzy entry
        po = sorted((root / "locales" / "en" / "LC_MESSAGES").glob("*.po"))[0]
        text = po.read_text()
        po.write_text(text.replace("#, fuzzy\n", "", 1))
    pair.edit(translate)
    pair.build()

    def add_page(root: Path) -> None:              # a new page (its paragraphs are in other catalogs)
        src = _first_page(root)
        (src.parent / "zz-new.html").write_text(src.read_text().replace("<h1>", "<h1>新的", 1))
    pair.edit(add_page)
    ra, _ = pair.build()
    assert any(u.written for u in ra.update)

    def drop_output(root: Path) -> None:           # someone deletes a generated file
        next((root / "site" / "en").rglob("q*.html")).unlink()
        next((root / "locales" / "zh_CN" / "LC_MESSAGES").glob("*.mo")).unlink()
    pair.edit(drop_output)
    pair.build()

    def delete_page(root: Path) -> None:           # a page is retired
        (next((root / "source_pages").rglob("zz-new.html"))).unlink()
    pair.edit(delete_page)
    pair.build()

    def hold_back(root: Path) -> None:             # a stricter threshold holds pages back
        pp = root / "pyproject.toml"
        pp.write_text(pp.read_text().replace("threshold = 80", "threshold = 99.9"))
    pair.edit(hold_back)
    pair.build(jobs=1)

    def lose_caches(root: Path) -> None:
        shutil.rmtree(root / ".l10n-cache", ignore_errors=True)
    pair.edit(lose_caches)
    pair.build()


def test_an_unreadable_catalog_stops_both_builds_before_any_write(pristine, tmp_path):
    pair = Pair(pristine, tmp_path)
    pair.build()
    pair.edit(_edit_paragraph)

    def break_catalog(root: Path) -> None:
        po = sorted((root / "locales" / "zh_CN" / "LC_MESSAGES").glob("*.po"))[-1]
        po.write_text(po.read_text() + '\nmsgid "unterminated\n')
    pair.edit(break_catalog)
    before = _files(pair.a)
    with pytest.raises(CatalogError) as ea:
        project.build(load_config(pair.a))
    with pytest.raises(CatalogError) as eb:
        project.build_full(load_config(pair.b))
    assert str(ea.value) == str(eb.value)
    assert _files(pair.a) == before


def test_render_site_matches_the_serial_renderer(pristine, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(pristine, a)
    project.compile_all(load_config(a))
    shutil.copytree(a, b)
    ra = project.render_site(load_config(a), jobs=2)
    rb = project.render_site_serial(load_config(b))
    assert (ra.pages, ra.written, ra.warnings) == (rb.pages, rb.written, rb.warnings)
    assert _files(a) == _files(b)
    again = project.render_site(load_config(a), jobs=2)      # from the render cache: nothing to do
    assert again.written == 0 and again.pages == ra.pages
