"""``extract``, ``update``, ``compile`` and ``render`` are scopes of the one build
(``l10n.build.run.build(cfg, scope=...)``): the public functions are thin calls to it and give
what the whole build gives for their stage."""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from l10n import project
from l10n.build.run import SCOPES, build
from l10n.config import load_config

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    d = tmp_path_factory.mktemp("scopes") / "site"
    corpus.make_site(d, 6, seed=5, terms=80, jobs=1)
    rep = project.build(load_config(d), jobs=1)
    return d, rep


def test_each_scope_of_an_up_to_date_build_has_nothing_to_do(built):
    root, rep = built
    cfg = load_config(root)
    ex = build(cfg, scope="extract", check=True)
    assert ex.stale == () and ex.removed == () and sorted(ex.templates) == sorted(rep.extract.templates)
    up = build(cfg, scope="update")
    assert [(u.path, u.written, u.stats) for u in up] == [(u.path, False, u.stats) for u in rep.update]
    comp = build(cfg, scope="compile")
    assert [(c.path, c.stats, c.errors, c.written) for c in comp] == \
        [(c.path, c.stats, c.errors, False) for c in rep.compile]
    assert [tuple(h) for c in comp for h in c.held] == [tuple(h) for c in rep.compile for h in c.held]
    ren = build(cfg, scope="render", force=True)          # force: no render cache, every version rendered
    assert ren.pages == rep.render.pages and ren.written == 0


def test_the_public_functions_are_the_scopes(built, tmp_path):
    root, _rep = built
    d = tmp_path / "site"
    shutil.copytree(root, d, symlinks=True)
    page = next(p for p in sorted((d / "source_pages").rglob("*.html")) if 'lang="zh-Hant-TW"' in p.read_text())
    text = page.read_text()
    m = re.search(r"<p>([^<]{10,})</p>", text)
    page.write_text(text[:m.end(1)] + "本段已更新。" + text[m.end(1):])
    cfg = load_config(d)
    dom = page.relative_to(d / "source_pages").with_suffix("").as_posix().replace("/", ".")
    said: list[str] = []
    assert build(cfg, scope="extract", check=True, explain=said.append).stale == (f"locales/templates/{dom}.pot",)
    assert said == ["build: extract (one stage alone, from its inputs on disk)"]
    assert project.extract(cfg, check=True).stale == (f"locales/templates/{dom}.pot",)
    assert project.extract(cfg).written == (f"locales/templates/{dom}.pot",)
    assert {u.path for u in project.update(cfg) if u.written} == \
        {f"locales/{loc}/LC_MESSAGES/{dom}.po" for loc in cfg.targets["zh_TW"]}
    assert {c.path for c in project.compile_all(cfg) if c.written} <= \
        {f"locales/{loc}/LC_MESSAGES/{dom}.po" for loc in cfg.targets["zh_TW"]}


def test_a_scope_is_checked(built):
    cfg = load_config(built[0])
    assert SCOPES == ("all", "extract", "update", "compile", "render")
    with pytest.raises(ValueError, match="unknown build scope 'publish'"):
        build(cfg, scope="publish")
    with pytest.raises(TypeError, match="locales"):
        build(cfg, locales=["zh_CN"])
