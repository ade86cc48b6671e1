"""The benchmark runs end to end on a tiny corpus and reports every stage and ratio.

No timing is asserted here (speed belongs to the benchmark, and a busy CI machine
must not fail a test); only that every figure is there and means something.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PEERS = ("html2po", "po2html", "pofilter", "pybabel")


def _missing_peers() -> list[str]:
    bindir = Path(sys.executable).parent
    missing = [p for p in PEERS if not (bindir / p).exists() and not shutil.which(p)]
    return missing + [p for p in ("msgmerge", "msgfmt") if not shutil.which(p)]


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict:
    missing = _missing_peers()
    if missing:
        pytest.skip(f"peer tools not installed: {', '.join(missing)} (make bench installs them)")
    work = tmp_path_factory.mktemp("bench")
    out = work / "quick.json"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--work", str(work),
                           "--out", str(out)], capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "stage" in proc.stdout and "target" in proc.stdout        # the table was printed
    # what the stages set aside instead of deleting before a timed run is deleted once all have run
    assert not (work / ".trash").exists()
    return json.loads(out.read_text())


def test_every_page_stage_has_figures_and_a_ratio(results):
    assert results["errors"] == {}
    pg = results["pages"]["20"]
    assert pg["corpus"]["pages"] == 20
    ex = pg["extract"]
    assert ex["l10n"]["templates"] == 20 and ex["html2po"]["templates"] == 20
    assert ex["ratio"] > 0 and ex["l10n"]["rate"] > 0 and ex["html2po"]["rate"] > 0
    re_ = pg["render"]
    assert re_["page_locales"] == 60                   # every page in its own and two target locales
    assert set(re_["po2html"]) == {"en", "zh_CN", "zh_TW"}
    assert all(v > 0 for v in re_["ratio_per_locale"].values())
    b = pg["build"]
    for k in ("first", "noop", "one_page_changed", "noop_after_change"):
        assert b[k]["wall_s"] > 0 and b[k]["rc"] in (0, 3)      # 3: the gate held planted errors back
    assert b["site_files"] >= 60


def test_every_catalog_stage_has_figures_and_a_ratio(results):
    cat = results["catalogs"]
    up = cat["update"]
    assert up["edited"] == 30 and up["ratio_msgmerge"] > 0 and up["ratio_pybabel"] > 0
    assert 0 <= up["fuzzy"]["agreement"] <= 1 and up["fuzzy"]["msgmerge"] > 0
    co = cat["compile"]
    assert co["sizes"] == [300, 600]
    for n in ("300", "600"):
        assert co[n]["ratio_msgfmt"] > 0 and co[n]["ratio_pybabel"] > 0
        assert co[n]["same_translations_as_msgfmt"] is True
    assert co["growth"]["entries_factor"] == 2
    ch = cat["check"]
    assert set(ch["glossaries"]) == {"real", "200", "500"}
    assert ch["ratio"] > 0 and ch["flatness"] > 0 and ch["l10n"]["findings"] is not None
    assert ch["l10n"]["warm_without_dosing"]["wall_s"] > 0          # the dosing rules' cost is shown
    tm = cat["tm"]
    assert tm["units"] == 3000 and tm["new"] == 30
    assert tm["import"]["rc"] == 0 and tm["update_tm"]["rc"] == 0 and tm["update_no_tm"]["rc"] == 0
    assert 0 < tm["filled_from_the_original"] <= tm["filled"] <= tm["new"]


def test_machine_versions_and_targets_are_recorded(results):
    m = results["machine"]
    assert m["cores"] >= 1 and m["memory_gb"]
    v = results["versions"]
    for k in ("python", "l10n", "translate-toolkit", "babel", "msgmerge", "msgfmt"):
        assert v.get(k), k
    names = " ".join(t["target"] for t in results["targets"])
    for word in ("extract", "render", "no-op build", "one changed page", "update", "fuzzy agreement",
                 "compile", "check", "peak memory"):
        assert word in names, word
    for t in results["targets"]:
        assert t["met"] in (True, False) and t["measured"] is not None


def test_set_aside_moves_instead_of_deleting(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import run as bench
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "en" / "a.html").write_text("<p>a</p>")
    ino = (site / "en" / "a.html").stat().st_ino
    monkeypatch.setattr(bench, "TRASH", tmp_path / ".trash")
    bench.set_aside(site)
    bench.set_aside(tmp_path / "not-there")                 # nothing to move: no error
    assert not site.exists()
    moved = [p for p in (tmp_path / ".trash").rglob("a.html")]
    assert [p.stat().st_ino for p in moved] == [ino]         # the same file, renamed: no inode freed yet
    site.mkdir()
    bench.set_aside(site)                                    # a second one of the same name is kept apart
    assert len(list((tmp_path / ".trash").iterdir())) == 2
    bench.empty_trash()
    assert not (tmp_path / ".trash").exists()
