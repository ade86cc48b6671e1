"""What a build with nothing to do does and does not do (the no-op path is timed by the benchmark).

* l10n's own code is part of the build's context: the whole package, not only ``l10n/build/``
  (a changed renderer, site or rule must never pass for a no-op);
* the sweep of a killed run's temporary files runs only when the build has work: a temporary
  file left in the source, locales or output folders is a new name there, which the plan never
  takes for "nothing changed"; one left in ``.l10n-cache`` stays until a build with work;
* the check of the folders for links leading outside still runs on a no-op, and on a delta build:
  the build's scan lists every known folder and says when one holds a link; with none (and no new
  name) there is nothing for the walk to find, so it is skipped.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import l10n
from l10n.build.state import code_sig
from reliability_project import run_bin, translated_project

TEMP = ".render.pickle.0a1b2c3d.tmp"        # the name atomic_write gives a temporary file


def test_code_sig_covers_the_whole_package():
    pkg = Path(l10n.__file__).parent
    names = {Path(p).relative_to(pkg).as_posix() for p, _mtime, _size in code_sig()}
    for must in ("build/state.py", "html/render.py", "site/__init__.py", "cli.py", "gate.py"):
        assert must in names, sorted(names)[:20]


def test_noop_build_leaves_the_sweep_to_a_build_with_work(tmp_path):
    root = translated_project(tmp_path)
    assert run_bin(root, "build").returncode == 0
    noop = run_bin(root, "build", "--explain")
    assert "build: none" in noop.stderr
    cache_tmp = root / ".l10n-cache" / TEMP
    cache_tmp.write_bytes(b"half written")
    assert run_bin(root, "build").returncode == 0
    assert cache_tmp.exists()                          # a no-op walks no folder
    site_tmp = root / "site" / "zh_TW" / ".treatment.html.0a1b2c3d.tmp"
    site_tmp.write_bytes(b"half written")
    res = run_bin(root, "build", "--explain")          # a new name in the site: work to do
    assert res.returncode == 0, res.stderr
    assert "build: none" not in res.stderr
    assert not site_tmp.exists() and not cache_tmp.exists()


def test_noop_build_still_refuses_a_link_leading_outside(tmp_path):
    root = translated_project(tmp_path)
    assert run_bin(root, "build").returncode == 0
    assert "build: none" in run_bin(root, "build", "--explain").stderr
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET\n", "utf-8")
    out = root / "site" / "zh_TW" / "treatment.html"
    out.unlink()
    os.symlink(secret, out)
    res = run_bin(root, "build")
    assert res.returncode == 2, res.stderr
    assert "symbolic link leads outside" in res.stderr


def edit_page(root: Path) -> None:
    """One paragraph of one page edited, as the benchmark's one-page change does."""
    page = root / "source_pages" / "treatment.html"
    text = page.read_text("utf-8")
    page.write_text(text.replace("</p>", " It was reviewed again this week.</p>", 1), "utf-8")


@pytest.mark.parametrize("where", ["output-file", "output-folder", "catalog-file"])
def test_delta_build_still_refuses_a_link_leading_outside(tmp_path, where):
    """A link where a known name was (the listing sees the same names): the scan sees the link."""
    root = translated_project(tmp_path)
    assert run_bin(root, "build").returncode == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("SECRET\n", "utf-8")
    if where == "output-file":
        link, target = root / "site" / "zh_TW" / "treatment.html", outside / "secret.txt"
        link.unlink()
    elif where == "output-folder":           # a copy of the folder outside, linked in its place
        link, target = root / "site" / "zh_CN", outside / "zh_CN"
        shutil.copytree(link, target)
        shutil.rmtree(link)
    else:
        link = root / "locales" / "zh_TW" / "LC_MESSAGES" / "side-effects.po"
        target = outside / "side-effects.po"
        shutil.copy2(link, target)
        link.unlink()
    os.symlink(target, link)
    edit_page(root)
    before = sorted(p.name for p in outside.rglob("*"))
    res = run_bin(root, "build", "--explain")
    assert res.returncode == 2, res.stdout + res.stderr
    assert "symbolic link leads outside" in res.stderr
    assert "SECRET" not in res.stdout + res.stderr
    assert sorted(p.name for p in outside.rglob("*")) == before


def test_links_that_stay_inside_do_not_stop_a_delta_build(tmp_path):
    root = translated_project(tmp_path)
    assets = root / "source_pages" / "assets"
    assets.mkdir()
    (assets / "site.css").write_text("body { color: #222 }\n", "utf-8")
    os.symlink("site.css", assets / "print.css")
    assert run_bin(root, "build").returncode == 0
    edit_page(root)
    res = run_bin(root, "build", "--explain")
    assert res.returncode == 0, res.stderr
    assert "build: delta" in res.stderr
    assert "reviewed again this week" in (root / "site" / "en" / "treatment.html").read_text("utf-8")


def test_delta_build_sweeps_the_cache(tmp_path):
    """A delta build after a killed run sweeps only the cache: in the other folders a temporary
    file is a new name, which makes the build a full one (and the full build sweeps every folder).
    (After a run that ended cleanly it does not walk the cache at all: tests/test_lock.py.)"""
    root = translated_project(tmp_path)
    assert run_bin(root, "build").returncode == 0
    cache_tmp = root / ".l10n-cache" / TEMP
    cache_tmp.write_bytes(b"half written")
    (root / ".l10n.lock").write_text("4194303\n")      # what a killed run leaves: its process id
    edit_page(root)
    res = run_bin(root, "build", "--explain")
    assert res.returncode == 0, res.stderr
    assert "build: delta" in res.stderr
    assert not cache_tmp.exists()
