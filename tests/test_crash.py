"""No lost work, part 3: ``l10n build`` and ``l10n update`` killed with SIGKILL at random moments.

The project is the translated one of ``reliability_project`` with its pages
edited, so that a run rewrites templates, catalogs, .mo files and site pages.
For each kill, a fresh copy is started with ``l10n build`` (or ``l10n update``
after an extract), killed after a random delay within one uninterrupted run's
duration, and then every file of the project must be

* byte for byte the version before the run or the version after it (catalog
  dates aside: they follow the clock), never a mix;
* readable: every .po parses, every .mo reads, every page is what the run
  writes or wrote;
* and every translation is still in its catalog.

Most kills land in the window where the run writes files (measured from two
uninterrupted runs), every fifth anywhere in the run, start-up included.
Every fifth copy is then built again: the run must succeed, reach the same
result as an uninterrupted run, and leave no temporary file behind (a killed
run's ``.name.XXXXXXXX.tmp`` files are swept by the next run, under the lock).
"""
from __future__ import annotations

import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from l10n import catalogs as cat
from reliability_project import (L10N_BIN, digest, lost_translations, run, translated_project,
                                 translations)

KILLS = 50          # kills that hit a running process
EXTRA_PAGES = 8          # 11 pages: 11 templates, 22 catalogs, 22 .mo files, 33 site pages
SEED = 20240521


def edit_pages(root: Path) -> None:
    """Changes that make a build touch every kind of file."""
    t = root / "source_pages" / "treatment.html"
    text = t.read_text("utf-8")
    text = text.replace("once a week.", "once a week, with folic acid.")
    text = text.replace("<li>Light therapy</li>", "<li>Light therapy (phototherapy)</li>")
    text = text.replace("<li>Physical therapy</li>\n", "")
    text = text.replace("</ul>", "  <li>Massage</li>\n  </ul>")
    t.write_text(text, "utf-8")
    for s in [root / "source_pages" / "side-effects.html", *(root / "source_pages").glob("more/*.html")]:
        s.write_text(s.read_text("utf-8").replace("Nausea is the most common one.",
                                                  "Nausea is the most common side effect."), "utf-8")
    q = root / "source_pages" / "qa" / "ask.html"
    q.write_text(q.read_text("utf-8").replace("最近常常覺得噁心。", "最近常常覺得噁心，也有點頭暈。"), "utf-8")


def state(root: Path) -> dict[str, str]:
    """{path: digest} of everything a run may write: templates, catalogs, .mo, the site."""
    out = {}
    for folder in ("locales", "site"):
        for p in sorted((root / folder).rglob("*")):
            if p.is_file() and not p.name.endswith(".tmp"):
                out[p.relative_to(root).as_posix()] = digest(p)
    return out


def temps(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.tmp")
                  if ".l10n-cache" not in p.parts)


class Case:
    """The project before a run (a folder to copy) and the state after an uninterrupted run."""

    def __init__(self, base: Path, command: str):
        self.base, self.command = base, command
        self.old = state(base)
        # two uninterrupted runs: how long a run takes, and the state it ends in (the same
        # both times: the output is deterministic)
        durations, states, windows = [], [], []
        for i in range(2):
            done = base.parent / f"{base.name}-done{i}"
            shutil.copytree(base, done)
            t0, wall0 = time.monotonic(), time.time()
            p = self.spawn(done)
            p.wait(timeout=60)
            durations.append(time.monotonic() - t0)
            assert p.returncode == 0, p.stderr.read()
            p.stderr.close()
            states.append(state(done))
            times = [(done / k).stat().st_mtime - wall0 for k, v in states[-1].items() if self.old.get(k) != v]
            windows.append((min(times), max(times)))
        self.duration = min(durations)
        # when the run writes: from its first changed file to its last one
        self.writes = (min(w[0] for w in windows), max(w[1] for w in windows))
        self.new = states[0]
        assert self.new == states[1]
        assert self.new != self.old

    def spawn(self, root: Path) -> subprocess.Popen:
        return subprocess.Popen([str(L10N_BIN), self.command, "-p", str(root)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> dict[str, Case]:
    tmp = tmp_path_factory.mktemp("crash")
    root = translated_project(tmp, "build-base", extra_pages=EXTRA_PAGES)
    edit_pages(root)
    up = tmp / "update-base"
    shutil.copytree(root, up)
    code, out, err = run(up, "extract")
    assert code == 0, err
    return {"build": Case(root, "build"), "update": Case(up, "update")}


def kill_once(case: Case, root: Path, delay: float, recover: bool) -> dict:
    shutil.copytree(case.base, root)
    before = translations(root)
    proc = case.spawn(root)
    time.sleep(delay)
    finished = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    proc.stderr.close()
    now = state(root)
    problems = []
    for path in case.old.keys() | case.new.keys() | now.keys():
        if now.get(path) not in (case.old.get(path), case.new.get(path)):
            problems.append(f"{path}: neither the old nor the new version")
    for p in (root / "locales").rglob("*.po"):
        cat.read_catalog(str(p))                   # raises on a torn catalog
    for p in (root / "locales").rglob("*.mo"):
        cat.read_mo(p.read_bytes(), str(p))
    lost = lost_translations(before, root)
    moved = sum(now.get(k) == case.new.get(k) != case.old.get(k) for k in now.keys() | case.new.keys())
    out = {"problems": problems, "lost": lost, "finished": finished, "partial": 0 < moved,
           "complete": now == case.new, "temps": temps(root)}
    if recover:
        res = subprocess.run([str(L10N_BIN), case.command, "-p", str(root)], capture_output=True, text=True,
                             timeout=60)
        out["recovered"] = res.returncode == 0 and state(root) == case.new
        out["temps_after"] = temps(root)
        out["recover_err"] = res.stderr
    shutil.rmtree(root)
    return out


def test_sigkill_at_random_moments(cases, tmp_path, figures):
    """Kill until 50 kills have hit a running process (a run that ends first does not count)."""
    rnd = random.Random(SEED)
    results: list[dict] = []
    i = 0
    # The delays come from a measured run; on a busy machine runs end sooner or later
    # than measured, so the delays follow: shorter after a run that ended before its
    # kill, back towards the measured ones after a kill that landed.
    scale = 1.0
    while sum(not r["finished"] for r in results) < KILLS and i < 8 * KILLS:
        case = cases["build" if i % 2 == 0 else "update"]
        if i % 5 == 3:      # any moment of the run, start-up included
            delay = rnd.uniform(0.0, case.duration)
        else:               # while it writes files, where a torn file could happen
            first, last = case.writes
            delay = rnd.uniform(first * 0.95, last * 1.05)
        results.append(kill_once(case, tmp_path / f"k{i}", delay * scale, recover=i % 5 == 4))
        scale = scale * 0.85 if results[-1]["finished"] else min(1.0, scale * 1.05)
        i += 1               # one at a time: the delays match the measured run
    lost = [x for r in results for x in r["lost"]]
    figures.lost(len(lost))
    assert lost == []
    assert [p for r in results for p in r["problems"]] == []
    survived = sum(not r["finished"] for r in results)
    figures.add("kills_survived", survived)
    assert survived >= KILLS
    # the kills did land while files were being written, not only before or after the run
    midway = sum(r["partial"] and not r["complete"] for r in results)
    figures.add("kills_midway", midway)
    assert midway >= 5          # typically 15-25 of the 50
    recovered = [r for r in results if "recovered" in r]
    assert len(recovered) >= KILLS // 5
    for r in recovered:
        assert r["recovered"], r["recover_err"]
        assert r["temps_after"] == [], r["temps_after"]


def test_kill_midway_through_a_catalog_write_keeps_the_old_catalog(cases, tmp_path, monkeypatch):
    """atomic_write dies between writing the temporary file and renaming it: the catalog is intact."""
    from l10n import fsutil

    root = tmp_path / "p"
    shutil.copytree(cases["update"].base, root)
    before = {p: p.read_bytes() for p in (root / "locales").rglob("*.po")}
    calls = []

    def dying_replace(src, dst):
        calls.append(dst)
        raise KeyboardInterrupt     # what a signal does between the write and the rename

    monkeypatch.setattr(fsutil.os, "replace", dying_replace)
    from l10n.config import load_config
    from l10n.project import update
    with pytest.raises(KeyboardInterrupt):
        update(load_config(root))
    assert calls
    assert {p: p.read_bytes() for p in (root / "locales").rglob("*.po")} == before
    assert temps(root) == []       # atomic_write removed its temporary file on the way out


def test_sweep_removes_only_temporary_files_of_atomic_write(tmp_path):
    from l10n.fsutil import atomic_write, sweep_temps

    d = tmp_path / "locales" / "zh_TW" / "LC_MESSAGES"
    d.mkdir(parents=True)
    left = [d / ".side-effects.po.k2x_9abc.tmp", tmp_path / "locales" / ".qa.ask.pot.0a1b2c3d.tmp"]
    kept = [d / "notes.tmp", d / ".hidden.tmp", d / "side-effects.po", d / ".x.po.short.tmp"]
    for p in left + kept:
        p.write_text("x", "utf-8")
    atomic_write(d / "new.po", "y")            # a real write leaves nothing behind
    assert sweep_temps(tmp_path / "locales", tmp_path / "missing") == 2
    assert [p.exists() for p in left] == [False, False]
    assert all(p.exists() for p in kept) and (d / "new.po").read_text("utf-8") == "y"


@pytest.mark.skipif(not getattr(__import__("os"), "O_TMPFILE", 0), reason="no O_TMPFILE here")
def test_write_new_names_a_file_only_once_it_is_whole(tmp_path, monkeypatch):
    """A new site page: written into an unnamed file, named when complete; a taken name is left alone."""
    import os

    from l10n import fsutil

    page = tmp_path / "site" / "zh_TW" / "qa" / "a.html"       # its folders are made
    assert fsutil.write_new(str(page), b"<p>\xe6\xaf\x8f\xe6\x97\xa5</p>" * 5000)
    assert page.read_bytes() == b"<p>\xe6\xaf\x8f\xe6\x97\xa5</p>" * 5000
    assert page.stat().st_mode & 0o777 == 0o644 and page.stat().st_nlink == 1
    assert not fsutil.write_new(str(page), b"other") and page.read_bytes().startswith(b"<p>")
    assert os.listdir(page.parent) == ["a.html"]

    def dying_write(fd, data):
        raise KeyboardInterrupt     # a signal while the data goes out
    monkeypatch.setattr(fsutil.os, "write", dying_write)
    with pytest.raises(KeyboardInterrupt):
        fsutil.write_new(str(page.parent / "b.html"), b"<p>b</p>")
    assert os.listdir(page.parent) == ["a.html"]              # no b.html, whole or half, and no .tmp
