"""Big catalog runs check on several processes (``l10n.checkpool``) with exactly the serial findings.

The catalog here is generated from the shipped translations, with every kind
of problem the rules look for mixed in, fuzzy entries, suppression comments,
contexts, a plural and obsolete entries, and is big enough (over
``checkpool.MIN_BYTES``) for ``check_project`` to choose the worker processes.
"""
from __future__ import annotations

import json
import os
import random
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from l10n import catalogs as cat
from l10n import checkpool
from l10n.checks import UnknownRuleError
from l10n.cli import cli
from l10n.config import load_config
from l10n.errors import CatalogError, GlossaryError
from l10n.project import check_project

MUTATIONS = [
    ("普特皮", "醫立妥"),              # a drug swap (GL003) and a missing term (GL001)
    ("硬皮症", "硬皮病"),              # a forbidden term (GL002)
    ("醫師", "医师"),                  # Simplified characters in zh_TW (GL006)
    ("，", ","),                       # half-width punctuation (GL011)
    ("。", "."),
    ("</a1>", ""),                     # an unbalanced placeholder (GL007)
]


def _pairs(root: Path) -> list[tuple[str, str]]:
    out = []
    for po_path in sorted((root / "locales" / "zh_TW" / "LC_MESSAGES").glob("*.po")):
        for e in cat.read_catalog(str(po_path)):
            if e.msgstr and not e.obsolete and not e.msgid_plural:
                out.append((e.msgid, e.msgstr))
    out += [("Apply Protopic 0.1% twice a day for 12 weeks.", "普特皮0.1%每天擦兩次，持續十二週。"),
            ("Read <a1>our guide</a1> first.", "請先閱讀<a1>我們的指南</a1>。"),
            ("Take 500 mg of CellCept.", "服用500 毫克的山喜多。"),
            ("Scleroderma News is a news website.", "Scleroderma News 是一個新聞網站。")]
    return out


def _big_catalog(root: Path, n: int, seed: int = 5) -> Path:
    """A zh_TW catalog of ``n`` entries made from the shipped translations, with problems mixed in."""
    rnd = random.Random(seed)
    pairs = _pairs(root)
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Project-Id-Version": "big 1.0", "Language": "zh_TW", "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
                   "Plural-Forms": "nplurals=1; plural=0;", "X-Source-Language": "en"}
    for k in range(n):
        msgid, msgstr = rnd.choice(pairs)
        msgid, msgstr = f"{msgid} ({k})", f"{msgstr}（{k}）"
        r = rnd.random()
        if r < 0.08:
            msgstr = msgstr.replace(f"（{k}）", f"（{k + 1}）")        # numbers differ (GL005)
        elif r < 0.3:
            a, b = rnd.choice(MUTATIONS)
            msgstr = msgstr.replace(a, b)
        elif r < 0.33:
            msgstr += "<img src=x onerror=alert(1)>"                  # GL012
        e = polib.POEntry(msgid=msgid, msgstr=msgstr if rnd.random() > 0.02 else "",
                          occurrences=[(f"source_pages/p{k % 97}.html", str(10 + k % 50))])
        if rnd.random() < 0.1:
            e.flags.append("fuzzy")
        if rnd.random() < 0.05:
            e.tcomment = "l10n: ignore GL005, GL011\nsecond line"
        if rnd.random() < 0.03:
            e.flags.append("l10n-ignore-GL003")
        if rnd.random() < 0.05:
            e.msgctxt = f"ctx{k % 3}"
        if rnd.random() < 0.05:
            e.comment = "p\nextracted"
        po.append(e)
    po.append(polib.POEntry(msgid="{n} week", msgid_plural="{n} weeks", msgstr_plural={0: "{n}週"}))
    po.append(polib.POEntry(msgid="gone 12", msgstr="走了13", obsolete=True))
    path = root / "locales" / "zh_TW" / "LC_MESSAGES" / "big.po"
    path.write_text(cat.po_text(po), "utf-8")
    return path


@pytest.fixture(scope="module")
def big_project(tmp_path_factory) -> Path:
    import shutil

    repo = Path(__file__).resolve().parent.parent
    root = tmp_path_factory.mktemp("bigcheck")
    for name in ("pyproject.toml", "source_pages", "locales"):
        src = repo / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("*.mo"))
        else:
            shutil.copy(src, root / name)
    po = _big_catalog(root, 4000)
    assert po.stat().st_size >= checkpool.MIN_BYTES, "big enough to be checked on several processes"
    return root


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the runs that go to the workers; fork even if an earlier test left threads running
    (the browser tests' server): can_fork() would otherwise keep this run on one process."""
    monkeypatch.setattr(checkpool, "can_fork", lambda: hasattr(os, "fork"))
    used = [0]
    real = checkpool.CheckWorker.send          # check() is send() then results()

    def send(self, *a, **k):
        used[0] += 1
        return real(self, *a, **k)
    monkeypatch.setattr(checkpool.CheckWorker, "send", send)
    return used


def _run(root: Path, **kw):
    """A check run that checks every entry (no entry findings cache: tests/test_entry_cache.py tests that)."""
    kw.setdefault("entry_cache", False)
    cfg = load_config(root)
    return check_project(cfg, [str(root / "locales")], **kw)


@pytest.fixture(scope="module")
def serial(big_project: Path):
    return _run(big_project, jobs=1)


def test_serial_run_finds_every_kind_of_problem(serial) -> None:
    codes = {f.code for f in serial.findings}
    assert {"GL001", "GL002", "GL003", "GL005", "GL006", "GL007", "GL011", "GL012"} <= codes
    assert any("(fuzzy entry)" in f.message for f in serial.findings)
    assert len(serial.findings) > 500


@pytest.mark.parametrize("jobs", [2, 3])
def test_parallel_findings_are_the_serial_ones(big_project: Path, serial, jobs: int, monkeypatch) -> None:
    used = _spy(monkeypatch)
    par = _run(big_project, jobs=jobs)
    assert used[0] == 1, "the big run went to the worker processes"
    assert par.findings == serial.findings
    assert [repr(f) for f in par.findings] == [repr(f) for f in serial.findings]
    assert par.catalogs == serial.catalogs and par.pages == serial.pages


def test_small_runs_stay_on_one_process(shipped_project: Path, monkeypatch) -> None:
    used = _spy(monkeypatch)
    cfg = load_config(shipped_project)
    check_project(cfg, [str(shipped_project / "locales")], jobs=2)
    assert used[0] == 0


def test_entries_from_rows_are_iter_entries(big_project: Path) -> None:
    for po_path in sorted((big_project / "locales").rglob("*.po")):
        po = cat.read_catalog(str(po_path))
        want = list(cat.iter_entries(po, "p.po", source_locale="en", target_locale="zh_TW"))
        got = checkpool.entries_from_rows(checkpool.entry_rows(po), "p.po", "en", "zh_TW")
        assert got == want
        assert [list(vars(e).items()) for e in got] == [list(vars(e).items()) for e in want]


def test_a_dead_worker_means_checking_here(big_project: Path, serial, monkeypatch) -> None:
    used = _spy(monkeypatch)
    monkeypatch.setattr(checkpool, "_worker_main", lambda *a: os._exit(3))
    assert _run(big_project, jobs=2).findings == serial.findings
    assert used[0] == 1


def test_workers_dying_after_the_glossary_means_checking_here(big_project: Path, serial, monkeypatch) -> None:
    used = _spy(monkeypatch)
    monkeypatch.setattr(checkpool, "_serve", lambda *a: os._exit(4))
    assert _run(big_project, jobs=2).findings == serial.findings
    assert used[0] == 1


def test_no_fork_while_other_threads_run(big_project: Path, serial, monkeypatch) -> None:
    import threading

    used = [0]
    monkeypatch.setattr(checkpool.CheckWorker, "__init__", lambda *a, **k: used.__setitem__(0, 1) or 1 / 0)
    stop = threading.Event()
    t = threading.Thread(target=stop.wait, daemon=True)
    t.start()
    try:
        assert not checkpool.can_fork()
        assert _run(big_project, jobs=2).findings == serial.findings
    finally:
        stop.set()
        t.join()
    assert used[0] == 0


def test_errors_come_in_the_serial_order(big_project: Path, tmp_path: Path, monkeypatch) -> None:
    _spy(monkeypatch)
    bad_glossary = tmp_path / "bad.toml"
    bad_glossary.write_text('[[concept]]\nid = "Bad"\ntype = "term"\nen = { preferred = "x" }\n', "utf-8")
    for jobs in (1, 2):
        with pytest.raises(GlossaryError, match="malformed id"):
            _run(big_project, jobs=jobs, glossary_path=str(bad_glossary))
        with pytest.raises(UnknownRuleError, match="GL999") as e:
            _run(big_project, jobs=jobs, select=["GL999"])
        assert "unknown rule code" in str(e.value)
    broken = big_project / "locales" / "zh_TW" / "LC_MESSAGES" / "zz-broken.po"
    broken.write_text('msgid "a"\nmsgstr "b\n', "utf-8")
    try:
        for jobs in (1, 2):
            with pytest.raises(CatalogError):
                _run(big_project, jobs=jobs)
            with pytest.raises(GlossaryError, match="malformed id"):     # the glossary is loaded first
                _run(big_project, jobs=jobs, glossary_path=str(bad_glossary))
    finally:
        broken.unlink()


def test_the_cli_gives_the_same_report(big_project: Path, serial, monkeypatch) -> None:
    _spy(monkeypatch)
    res = CliRunner().invoke(cli, ["check", "--project", str(big_project), "--format", "json",
                                   str(big_project / "locales")], catch_exceptions=False)
    assert res.exit_code == 1
    got = json.loads(res.stdout)
    assert [(f["path"], f["line"], f["code"], f["message"]) for f in got] == \
        [(f.path, f.line, f.code, f.message) for f in serial.findings]


def test_shares_are_contiguous_and_balanced() -> None:
    work = [(list(range(7)), "a"), ([], "b"), (list(range(100, 103)), "c"), (list(range(200, 210)), "d")]
    for n in range(1, 6):
        shares = checkpool._shares(work, n)
        assert len(shares) <= n
        flat = [(x, name) for share in shares for rows, name in share for x in rows]
        assert flat == [(x, name) for rows, name in work for x in rows]
        sizes = [sum(len(rows) for rows, _ in share) for share in shares]
        assert max(sizes) - min(sizes) <= max(1, -(-20 // n))


def test_pieces_are_contiguous_and_shrink_to_the_smallest() -> None:
    work = [(list(range(3000)), "a"), ([], "b"), (list(range(5000, 9100)), "c"), (list(range(7)), "d")]
    for n in (1, 2, 3, 8):
        pieces = checkpool._pieces(work, n)
        flat = [(x, name) for piece in pieces for rows, name in piece for x in rows]
        assert flat == [(x, name) for rows, name in work for x in rows]       # every entry once, in order
        sizes = [sum(len(rows) for rows, _ in piece) for piece in pieces]
        assert sizes == sorted(sizes, reverse=True)                          # big first, small last
        assert sizes[0] <= -(-7107 // (2 * n)) + 1 or sizes[0] == checkpool.MIN_PIECE
        assert all(s >= checkpool.MIN_PIECE for s in sizes[:-1])
    assert checkpool._pieces([(list(range(10)), "a")], 2) == [[(list(range(10)), "a")]]   # one piece


def test_findings_are_the_serial_ones_with_a_slow_worker(big_project: Path, serial, monkeypatch) -> None:
    """Pieces go to whichever worker is free, so the pieces each worker checks vary with their
    speed: the findings (in entry order) do not."""
    monkeypatch.setattr(checkpool, "can_fork", lambda: hasattr(os, "fork"))
    real = checkpool.entries_from_rows
    first = os.getpid()

    def slow(rows, *a, **k):
        import time
        if os.getppid() != first:           # the second worker (forked by the first) is slow
            time.sleep(0.3)
        return real(rows, *a, **k)
    monkeypatch.setattr(checkpool, "entries_from_rows", slow)
    par = _run(big_project, jobs=2)
    assert par.findings == serial.findings
