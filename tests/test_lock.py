"""Two l10n runs never write one project at once.

Writing commands (extract, update, compile, render, build, convert) hold an OS
lock on ``.l10n.lock``. A second run waits up to ``--wait`` seconds, then fails
with exit 2 and one line saying why, having written nothing. The lock dies
with its process, even on SIGKILL, so a crashed run never blocks the next one.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reliability_project import changed, run_bin, snapshot, translated_project

HOLDER = textwrap.dedent("""
    import sys, time
    from l10n.fsutil import project_lock
    with project_lock(sys.argv[1]):
        print("locked", flush=True)
        sys.stdin.readline()          # hold the lock until told to let go (or killed)
""")


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = translated_project(tmp_path_factory.mktemp("lock"))
    # a change for the next build to write, so that "nothing written" means something
    page = root / "source_pages" / "side-effects.html"
    page.write_text(page.read_text("utf-8").replace("Nausea", "Mild nausea"), "utf-8")
    return root


@pytest.fixture
def project(base, tmp_path) -> Path:
    import shutil
    root = tmp_path / "p"
    shutil.copytree(base, root)
    return root


def hold(root: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(root)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def release(proc: subprocess.Popen) -> None:
    proc.stdin.write("\n")
    proc.stdin.flush()
    proc.wait(timeout=30)


@pytest.mark.parametrize("command", ["build", "extract", "update", "compile", "render"])
def test_second_run_fails_clearly_and_writes_nothing(project, command):
    holder = hold(project)
    try:
        before = snapshot(project)
        res = run_bin(project, command, "--wait", "0")
        after = snapshot(project)
    finally:
        release(holder)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0] == (f"l10n: error: {project}/.l10n.lock: another l10n run is writing this project; "
                        "try again when it ends")
    assert res.stdout == ""
    assert changed(before, after) == []


def test_second_run_waits_for_the_first(project):
    holder = hold(project)
    proc = subprocess.Popen([str(Path(sys.executable).with_name("l10n")), "build", "-p", str(project),
                             "--wait", "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # it cannot finish while the lock is held: it is waiting, not failing
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=1.0)
        assert "Mild nausea" not in "".join(p.read_text("utf-8") for p in
                                            (project / "locales" / "templates").glob("*.pot"))
    finally:
        release(holder)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Mild nausea" in (project / "locales" / "templates" / "side-effects.pot").read_text("utf-8")


def test_a_killed_holder_does_not_block_the_next_run(project):
    holder = hold(project)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    res = run_bin(project, "build", "--wait", "0")
    assert res.returncode == 0, res.stderr


def test_reading_commands_do_not_need_the_lock(project):
    holder = hold(project)
    try:
        res = run_bin(project, "stats")
    finally:
        release(holder)
    assert res.returncode == 0, res.stderr
    assert "side-effects" in res.stdout


def test_two_builds_at_once_end_like_one(project, tmp_path):
    """Two builds started together: one waits for the other; the result is one build's."""
    import shutil
    alone = tmp_path / "alone"
    shutil.copytree(project, alone)
    assert run_bin(alone, "build").returncode == 0
    bin_ = str(Path(sys.executable).with_name("l10n"))
    procs = [subprocess.Popen([bin_, "build", "-p", str(project)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for p in procs:
        p.communicate(timeout=60)
        assert p.returncode == 0
    from reliability_project import digest

    def state(root: Path) -> dict:
        return {p.relative_to(root).as_posix(): digest(p) for p in sorted(root.rglob("*"))
                if p.is_file() and ".l10n-cache" not in p.parts and p.name != ".l10n.lock"}
    assert state(project) == state(alone)


def test_a_lock_file_naming_a_dead_process_is_taken_over_with_one_line(project):
    """A run killed mid-way leaves its process id in .l10n.lock; the next run says it took over."""
    holder = hold(project)
    assert (project / ".l10n.lock").read_text().strip() == str(holder.pid)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    res = run_bin(project, "build", "--wait", "0")
    assert res.returncode == 0, res.stderr
    took = [ln for ln in res.stderr.splitlines() if "took over" in ln]
    assert took == [f"{project}/.l10n.lock: took over the lock of process {holder.pid}, which is no longer running"]
    assert (project / ".l10n.lock").read_text() == ""          # released cleanly: emptied
    again = run_bin(project, "build", "--wait", "0")
    assert again.returncode == 0 and "took over" not in again.stderr


def test_stale_lock_pid_only_for_a_process_that_is_gone():
    from l10n.fsutil import stale_lock_pid
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    assert stale_lock_pid(f"{proc.pid}\n".encode()) == proc.pid
    assert stale_lock_pid(f"{os.getpid()}\n".encode()) is None          # ourselves
    assert stale_lock_pid(b"1\n") is None                                # init: alive
    assert stale_lock_pid(b"") is None and stale_lock_pid(b"garbage") is None


def test_a_delta_build_sweeps_the_cache_only_after_a_killed_run(project):
    """A build that redoes a few pages does not walk the cache's thousands of files for a killed
    run's temporary files unless the run before was killed: a killed run leaves its process id in
    the lock file, a run that ends empties it."""
    assert run_bin(project, "build").returncode == 0        # the fixture's edit, built: the state is current
    litter = project / ".l10n-cache" / ".state.sqlite.0a1b2c3d.tmp"
    page = project / "source_pages" / "side-effects.html"

    def edit_and_build(word: str) -> None:
        page.write_text(page.read_text("utf-8").replace("Mild nausea", word), "utf-8")
        r = run_bin(project, "build", "--explain")
        assert r.returncode == 0, r.stderr
        assert "build: delta" in r.stderr, r.stderr

    litter.write_text("x", "utf-8")
    edit_and_build("Slight nausea")
    assert litter.exists()                                   # the last run ended cleanly: no walk
    assert (project / ".l10n.lock").read_text() == ""
    proc = hold(project)
    proc.kill()                                              # killed holding the lock: its id stays
    proc.wait(timeout=30)
    assert (project / ".l10n.lock").read_text().strip() == str(proc.pid)
    page.write_text(page.read_text("utf-8").replace("Slight nausea", "Mild nausea"), "utf-8")
    r = run_bin(project, "build", "--explain")
    assert r.returncode == 0 and "build: delta" in r.stderr, r.stderr
    assert not litter.exists()                               # swept after the killed run
