"""What a build with nothing to do does and does not do (the no-op path is timed by the benchmark).

* l10n's own code is part of the build's context: the whole package, not only ``l10n/build/``
  (a changed renderer, site or rule must never pass for a no-op);
* the sweep of a killed run's temporary files runs only when the build has work: a temporary
  file left in the source, locales or output folders is a new name there, which the plan never
  takes for "nothing changed"; one left in ``.l10n-cache`` stays until a build with work;
* the check of the folders for links leading outside still runs on a no-op.
"""
from __future__ import annotations

import os
from pathlib import Path

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
