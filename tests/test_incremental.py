"""The incremental, parallel build gives what a forced build gives: same files, same report.

Two copies of a generated site go through the same edits; one is built with
``build()`` (state, caches, workers), the other with ``build(force=True)`` (every page,
catalog and version stale). After each edit every file of both projects must be identical.
Only public functions are used (which kind of build ran comes from ``explain``).
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
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1704067200")        # 2024-01-01 00:00 UTC


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

    def __init__(self, src: Path, tmp: Path, taken: list[str] | None = None):
        self.a, self.b = tmp / "a", tmp / "b"
        self.taken = taken if taken is not None else []     # the kind of each of a's builds that did work
        shutil.copytree(src, self.a)
        shutil.copytree(src, self.b)

    def edit(self, fn) -> None:
        fn(self.a)
        fn(self.b)

    def build(self, jobs: int = 2) -> tuple:
        said: list[str] = []
        ra = project.build(load_config(self.a), jobs=jobs, explain=said.append)
        kinds = [line.split()[1] for line in said if line.startswith("build: ")]
        if kinds[-1] != "none":
            self.taken.append(kinds[-1])
        rb = project.build(load_config(self.b), force=True)
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
        project.build(load_config(pair.b), force=True)
    assert str(ea.value) == str(eb.value)
    assert _files(pair.a) == before


def test_render_site_on_two_cores_matches_one_core_without_cache(pristine, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(pristine, a)
    project.compile_all(load_config(a))
    shutil.copytree(a, b)
    ra = project.render_site(load_config(a), jobs=2)
    rb = project.render_site(load_config(b), jobs=1, cache=False)
    assert (ra.pages, ra.written, ra.warnings) == (rb.pages, rb.written, rb.warnings)
    assert _files(a) == _files(b)
    again = project.render_site(load_config(a), jobs=2)      # from the render cache: nothing to do
    assert again.written == 0 and again.pages == ra.pages


# -- the state: what a build remembers, and builds that only redo what changed ---------------

def _state(root: Path) -> Path:
    return root / ".l10n-cache" / "build" / "state.sqlite"


def _po(root: Path, locale: str, n: int = 0) -> Path:
    return sorted((root / "locales" / locale / "LC_MESSAGES").glob("*.po"))[n]


def _fill(po_path: Path) -> None:
    """A translator finishes a catalog: every entry translated, none fuzzy."""
    import polib
    po = polib.pofile(str(po_path))
    for e in po:
        if not e.obsolete and (not e.msgstr or "fuzzy" in e.flags):
            e.msgstr = e.msgstr or f"[{e.msgid}]"
            if "fuzzy" in e.flags:
                e.flags.remove("fuzzy")
    po.save(str(po_path))


def _rewrite_page(root: Path) -> None:
    """An author rewrites every text of a page: its translations fall below the threshold."""
    p = _first_page(root)
    n = [0]

    def new(m: re.Match) -> str:
        n[0] += 1
        return f">全新的第{n[0]}段內容<"
    p.write_text(re.sub(r">[^<>\n]{2,}<", new, p.read_text()))


@pytest.fixture
def paths_taken():
    """Which kind of build ran ('delta', 'full'), as ``explain`` tells it (a no-op adds nothing)."""
    return []


def test_delta_builds_agree_through_statuses_products_and_assets(pristine, tmp_path, paths_taken):
    pair = Pair(pristine, tmp_path, paths_taken)
    pair.build()
    assert paths_taken == ["full"]

    def touch(root: Path) -> None:                 # saved again, same bytes: nothing to do
        for p in (_first_page(root), _po(root, "zh_CN")):
            p.write_bytes(p.read_bytes())
    pair.edit(touch)
    ra, _ = pair.build()
    assert not ra.extract.written and not any(u.written for u in ra.update) and ra.render.written == 0

    pair.edit(_rewrite_page)                       # its versions are held back: the pages linking
    ra, _ = pair.build()                           # to it, the indexes and the sitemap follow
    assert any(not p.published for p in ra.render.pages)

    def translate_all(root: Path) -> None:         # and published again
        page = _first_page(root)
        dom = ".".join(page.relative_to(root / "source_pages").with_suffix("").parts)
        for loc in ("en", "zh_CN"):
            po = root / "locales" / loc / "LC_MESSAGES" / f"{dom}.po"
            if po.is_file():
                _fill(po)
    pair.edit(translate_all)
    pair.build()

    def lose_products(root: Path) -> None:         # generated files deleted by hand
        next((root / "locales" / "templates").glob("*.pot")).unlink()
        sorted((root / "locales" / "en" / "LC_MESSAGES").glob("*.mo"))[-1].unlink()
        for f in ("sitemap.xml", "index.html", "l10n.css", "zh_TW/index.html", "zh_CN/assets/site.css"):
            (root / "site" / f).unlink()
        sorted((root / "site" / "zh_CN").rglob("q*.html"))[0].unlink()
    pair.edit(lose_products)
    pair.build()

    def restyle(root: Path) -> None:               # an asset changes
        css = root / "source_pages" / "assets" / "site.css"
        css.write_text(css.read_text() + "\nbody { margin: 0; }\n")
    pair.edit(restyle)
    pair.build()

    def compile_error(root: Path) -> None:         # a translator breaks a placeholder
        po = _po(root, "zh_CN", 1)
        text = po.read_text()
        po.write_text(re.sub(r'msgstr "([^"]*)<a1>', r'msgstr "\1<a9>', text, count=1))
    pair.edit(compile_error)
    ra, _ = pair.build()
    assert any(c.errors for c in ra.compile)
    assert paths_taken == ["full"] + ["delta"] * 6

    def stray(root: Path) -> None:                 # not ours: a full build sweeps it
        (root / "site" / "en" / "qa" / "stray.html").write_text("<p>old</p>")
    pair.edit(stray)
    pair.build()
    assert paths_taken[-1] == "full"


@pytest.mark.parametrize("damage", ["garbage", "empty", "no lines", "no rows", "no blobs", "no side file",
                                    "another side file", "cut side file", "compendium"])
def test_a_lost_or_broken_state_is_rebuilt_never_wrong(pristine, tmp_path, damage, paths_taken):
    import sqlite3
    pair = Pair(pristine, tmp_path, paths_taken)
    pair.build()
    pair.edit(_edit_paragraph)

    def hurt(root: Path) -> None:
        state = _state(root)
        if damage == "garbage":
            state.write_bytes(b"this is not a database" * 100)
        elif damage == "compendium":
            (state.parent / "compendium.sqlite").write_bytes(b"this is not a database" * 100)
        elif damage == "no side file":
            state.with_suffix(".blobs").unlink()
        elif damage == "cut side file":                  # its blobs are decoded when read: it is checked whole
            side = state.with_suffix(".blobs")
            side.write_bytes(side.read_bytes()[:len(side.read_bytes()) - 100])
        elif damage == "another side file":              # not the one the database goes with
            import marshal

            from l10n.build.state import pack_side, unpack_side
            side = state.with_suffix(".blobs")
            _token, blobs = unpack_side(side.read_bytes())
            side.write_bytes(pack_side("another build", {k: marshal.loads(v) for k, v in blobs.items()}))
        elif damage == "empty":
            state.write_bytes(b"")
        else:
            db = sqlite3.connect(state)
            db.execute({"no lines": "DELETE FROM line", "no rows": "DELETE FROM ren",
                        "no blobs": "DELETE FROM meta"}[damage])
            db.commit()
            db.close()
    hurt(pair.a)
    pair.build()
    pair.edit(_rewrite_page)                       # and the build after it plans from what it rebuilt
    pair.build()


def test_delta_builds_agree_through_mixed_edits_and_what_they_cannot_tell(pristine, tmp_path, paths_taken):
    pair = Pair(pristine, tmp_path, paths_taken)
    pair.build()

    def several(root: Path) -> None:               # two pages and a catalog of a third at once
        pages = sorted((root / "source_pages").rglob("*.html"))
        for p in pages[:2]:
            text = p.read_text()
            m = re.search(r"<p>([^<]{10,})</p>", text)
            p.write_text(text[:m.end(1)] + " Updated." + text[m.end(1):])
        _fill(_po(root, "zh_CN", 5))
    pair.edit(several)
    ra, _ = pair.build()
    assert len(ra.extract.written) == 2
    assert paths_taken == ["full", "delta"]

    def relang(root: Path) -> None:                # a page changes language: other catalogs
        p = _first_page(root)
        p.write_text(p.read_text().replace('lang="zh-Hant-TW"', 'lang="en"', 1))
    pair.edit(relang)
    pair.build()
    assert paths_taken[-1] == "full"

    def lose_catalog(root: Path) -> None:          # a catalog deleted: merged anew
        _po(root, "zh_TW").unlink()
    pair.edit(lose_catalog)
    pair.build()
    assert paths_taken[-1] == "full"
    pair.edit(_edit_paragraph)
    pair.build()
    assert paths_taken[-1] == "delta"
