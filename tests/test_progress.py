"""Long runs show a progress bar on a terminal and stay quiet when not on one."""
from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

L10N = [sys.executable, "-m", "l10n.cli"]


def _run_on_a_terminal(args: list[str], cwd: Path) -> str:
    """Run with stdout and stderr on a pseudo-terminal; return what it printed."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                            env={**os.environ, "COLUMNS": "100"})
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    assert proc.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_only(shipped_project: Path) -> None:
    on_tty = _run_on_a_terminal([*L10N, "build"], shipped_project)
    assert "render" in on_tty and "100%" in on_tty            # click's bar: label and percentage
    piped = subprocess.run([*L10N, "build"], cwd=shipped_project, capture_output=True, text=True, check=True)
    assert "100%" not in piped.stderr and "[#" not in piped.stderr
    assert "18 pages published" in piped.stdout
