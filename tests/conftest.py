"""Shared test plumbing.

Reliability figures: the reliability tests (round trip, source edits, crashes,
bad inputs, XSS) count what they tried through the session-scoped
``figures`` fixture; at the end of the run pytest prints one line with the
totals and writes them to ``test-artifacts/reliability.json`` (with the
messages the bad inputs got, for docs/reliability.md).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

_FIGURES = pytest.StashKey[Counter]()
_BAD_INPUTS = pytest.StashKey[dict]()

# (counter key, words in the summary line), in the order the issue lists them
FIGURE_LINES = (
    ("pages_roundtripped", "generated pages round-tripped"),
    ("source_edit_scenarios", "source-edit scenarios"),
    ("kills_survived", "kills survived"),
    ("kills_midway", "of them mid-write"),
    ("xss_vectors_blocked", "XSS vectors blocked"),
    ("xss_renders", "vector x position renders"),
    ("xss_browser_checked", "vectors checked in Chromium"),
    ("bad_inputs", "bad inputs refused"),
    ("odd_inputs_read", "odd inputs read correctly"),
    ("translations_lost", "translations lost"),
)


class Figures:
    """What the reliability tests tried, for the end-of-run summary."""

    def __init__(self, counter: Counter, bad_inputs: dict):
        self.counter = counter
        self.bad_inputs = bad_inputs

    def add(self, key: str, n: int = 1) -> None:
        self.counter[key] += n

    def lost(self, n: int) -> None:
        """Record translations found missing (kept at 0 by passing tests, but counted honestly)."""
        self.counter["translations_lost"] += n

    def bad_input(self, kind: str, what: str, command: str, message: str) -> None:
        """A bad input refused: what it was, the command run, the one line it got."""
        self.bad_inputs.setdefault("refused", {})[kind] = {"input": what, "command": command,
                                                           "message": message}
        self.counter["bad_inputs"] = len(self.bad_inputs["refused"])

    def odd_input(self, kind: str, what: str, command: str) -> None:
        """An odd but valid input read correctly."""
        self.bad_inputs.setdefault("accepted", {})[kind] = {"input": what, "command": command}
        self.counter["odd_inputs_read"] = len(self.bad_inputs["accepted"])


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_FIGURES] = Counter()
    config.stash[_BAD_INPUTS] = {}


@pytest.fixture(scope="session")
def figures(pytestconfig: pytest.Config) -> Figures:
    return Figures(pytestconfig.stash[_FIGURES], pytestconfig.stash[_BAD_INPUTS])


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    c = config.stash.get(_FIGURES, Counter())
    if not c:
        return
    parts = []
    for key, words in FIGURE_LINES:
        if key in c:          # translations_lost is there (0 or more) once a loss check ran
            parts.append(f"{c.get(key, 0)} {words}")
    terminalreporter.write_line("reliability: " + ", ".join(parts))
    out = Path(config.rootpath) / "test-artifacts" / "reliability.json"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"figures": dict(c), "bad_inputs": config.stash[_BAD_INPUTS]},
                                  ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8")
    except OSError:
        pass


@pytest.fixture()
def shipped_project(tmp_path):
    """A copy of the repository's own project (pyproject.toml, source_pages/, locales/)."""
    import shutil
    from pathlib import Path
    repo = Path(__file__).resolve().parent.parent
    for name in ("pyproject.toml", "source_pages", "locales"):
        src = repo / name
        if src.is_dir():
            shutil.copytree(src, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
        else:
            shutil.copy(src, tmp_path / name)
    return tmp_path
