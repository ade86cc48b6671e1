"""A page's skeleton key is remembered with its signature: a page that did not change is not read
again, and any change to it, however quick, is seen."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from l10n import pages as P

KNOWN = ("en", "zh_TW")


def site(tmp_path: Path, n: int = 30) -> tuple[list[Path], list[str], Path]:
    src = tmp_path / "source_pages"
    src.mkdir()
    paths = []
    for i in range(n):
        p = src / f"q{i:03d}.html"
        p.write_text(f'<html lang="en"><body><p>Take {i} mg once a week.</p></body></html>', "utf-8")
        paths.append(p)
    past = time.time() - 60
    for p in paths:
        os.utime(p, (past, past))
    settle(paths, tmp_path)
    return paths, [f"source_pages/{p.name}" for p in paths], tmp_path / ".l10n-cache" / "skeletons"


def settle(paths: list[Path], tmp_path: Path) -> None:
    """Wait for the file system's clock to pass the pages' ctimes (it ticks every few ms)."""
    last = max(p.stat().st_ctime_ns for p in paths)
    while P.fs_clock(tmp_path / "tick")[0] <= last:
        time.sleep(0.002)


def reads(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = P._read_keys

    def counting(pairs, known):
        seen.extend(str(p) for p, _rel in pairs)
        return real(pairs, known)
    monkeypatch.setattr(P, "_read_keys", counting)
    return seen


def truth(paths, rels) -> list[str]:
    return [P.skeleton_key(p.read_bytes(), rel, KNOWN) for p, rel in zip(paths, rels)]


def test_unchanged_pages_are_not_read_again_and_the_keys_are_the_same(tmp_path, monkeypatch):
    paths, rels, cache = site(tmp_path)
    seen = reads(monkeypatch)
    first = P.page_keys(paths, rels, KNOWN, 1, cache)
    assert first == truth(paths, rels) and len(seen) == len(paths)
    seen.clear()
    assert P.page_keys(paths, rels, KNOWN, 1, cache) == first and seen == []
    # other source locales, or no memory: every page is read (the key depends on them)
    assert P.page_keys(paths, rels, ("en",), 1, cache) == truth(paths, rels)[:0] + [
        P.skeleton_key(p.read_bytes(), rel, ("en",)) for p, rel in zip(paths, rels)]
    assert len(seen) == len(paths)


def test_a_change_is_seen_even_with_its_size_and_mtime_put_back(tmp_path, monkeypatch):
    paths, rels, cache = site(tmp_path)
    P.page_keys(paths, rels, KNOWN, 1, cache)
    st = paths[3].stat()
    paths[3].write_text(paths[3].read_text("utf-8").replace("once a week", "once a day!"), "utf-8")
    assert paths[3].stat().st_size == st.st_size
    os.utime(paths[3], ns=(st.st_atime_ns, st.st_mtime_ns))          # the mtime as it was: the ctime moves
    settle(paths, tmp_path)
    seen = reads(monkeypatch)
    assert P.page_keys(paths, rels, KNOWN, 1, cache) == truth(paths, rels)
    assert seen == [str(paths[3])]
    paths[5].unlink()
    paths[5].write_text("<html lang='en'><body><p>New.</p></body></html>", "utf-8")   # replaced: new inode
    settle(paths, tmp_path)
    seen.clear()
    assert P.page_keys(paths, rels, KNOWN, 1, cache) == truth(paths, rels)
    assert str(paths[5]) in seen


def test_a_page_changed_in_the_clocks_current_tick_is_not_remembered(tmp_path, monkeypatch):
    paths, rels, cache = site(tmp_path)
    now = P.fs_clock(cache / "keys.stamp")[0]
    os.utime(paths[0], ns=(now, now + 10**9))          # stamped after the clock the record is made with
    P.page_keys(paths, rels, KNOWN, 1, cache)
    seen = reads(monkeypatch)
    assert P.page_keys(paths, rels, KNOWN, 1, cache) == truth(paths, rels)
    assert seen == [str(paths[0])]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the second half is hashed by a forked child")
def test_many_pages_split_in_two_halves_give_the_same_keys(tmp_path, monkeypatch):
    paths, rels, cache = site(tmp_path, n=P.SPLIT_KEYS + 10)
    assert P.page_keys(paths, rels, KNOWN, 2, cache) == truth(paths, rels)
    assert P.page_keys(paths, rels, KNOWN, 2, cache) == truth(paths, rels)
    (cache / "keys.pickle").write_bytes(b"not a pickle")                 # broken: every page read again
    assert P.page_keys(paths, rels, KNOWN, 2, cache) == truth(paths, rels)
