"""The build's scan of the project's folders: a folder is listed again unless its own stat shows
that no name in it changed since it was listed (its signature recorded then, when the file
system's clock vouches for it), and a folder holding a symbolic link is always listed.

Each test changes the folders the way the signature could miss, and checks that the next build
still sees the change."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from l10n.build.scan import Listing, folder_sig, fs_now, full_scan, note, rescan, vouch
from l10n.config import load_config
from reliability_project import run_bin, translated_project


def listing_of(root: Path) -> tuple:
    cfg = load_config(root)
    listing, _sigs = full_scan(cfg)
    return cfg, listing


def test_every_folder_listed_before_the_stamp_is_vouched_for(tmp_path):
    root = translated_project(tmp_path)
    time.sleep(0.05)
    cfg, listing = listing_of(root)
    known = [d for d, names in listing.dirs.items() if names is not None]
    assert known and set(listing.dstats) == set(known)
    for d in known:
        assert listing.dstats[d] == folder_sig(os.stat(d))
    assert rescan(listing) is not None and rescan(listing).changed == []


def test_a_folder_changed_at_or_after_the_stamp_is_not_vouched_for(tmp_path):
    """The racy case: a change in the same tick of the clock as the stamp could leave the
    folder's signature as it was. Such a folder (here: its mtime set ahead) is listed every time."""
    root = translated_project(tmp_path)
    cfg = load_config(root)
    ahead = time.time_ns() + 3600 * 10**9
    folder = root / "site" / "zh_TW"
    os.utime(folder, ns=(ahead, ahead))
    _cfg, listing = listing_of(root)
    assert str(folder) not in listing.dstats
    assert str(root / "site" / "en") in listing.dstats
    now, dev = stamp = fs_now(cfg)
    assert not vouch((now, now - 1, 1, dev), stamp) and not vouch((now - 1, now, 1, dev), stamp)
    assert vouch((now - 1, now - 1, 1, dev), stamp)
    assert not vouch((now - 1, now - 1, 1, dev + 1), stamp)     # another file system: its own clock
    (folder / "new.html").write_text("x", "utf-8")       # a new name there is seen
    os.utime(folder, ns=(ahead, ahead))
    assert rescan(listing) is None


def test_a_folder_with_a_link_is_always_listed(tmp_path):
    root = translated_project(tmp_path)
    assets = root / "source_pages" / "assets"
    assets.mkdir()
    (assets / "site.css").write_text("body {}\n", "utf-8")
    os.symlink("site.css", assets / "print.css")
    time.sleep(0.05)
    _cfg, listing = listing_of(root)
    assert str(assets) not in listing.dstats
    scan = rescan(listing)
    assert scan is not None and scan.links


def test_a_name_added_with_the_folder_mtime_put_back_is_still_seen(tmp_path):
    """Setting a folder's mtime back does not hide a new name: the kernel sets its ctime."""
    root = translated_project(tmp_path)
    time.sleep(0.05)
    _cfg, listing = listing_of(root)
    folder = root / "source_pages"
    st = os.stat(folder)
    assert str(folder) in listing.dstats
    time.sleep(0.02)
    (folder / "added.html").write_text('<html lang="en"><body><p>Added.</p></body></html>', "utf-8")
    os.utime(folder, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert rescan(listing) is None


def test_a_removed_name_is_seen_in_a_vouched_folder(tmp_path):
    root = translated_project(tmp_path)
    time.sleep(0.05)
    _cfg, listing = listing_of(root)
    out = root / "site" / "zh_TW" / "treatment.html"
    out.unlink()
    scan = rescan(listing)
    assert scan is not None and scan.removed == [str(out)]


def test_note_keeps_signatures_true(tmp_path):
    """A folder a build wrote in is listed again and vouched for when it holds just the names
    noted; a folder whose noted names differ from what it holds loses its signature."""
    root = translated_project(tmp_path)
    time.sleep(0.05)
    cfg, listing = listing_of(root)
    dirs, dstats = dict(listing.dirs), dict(listing.dstats)
    zh_tw, en = root / "site" / "zh_TW", root / "site" / "en"
    (zh_tw / "made.html").write_text("x", "utf-8")          # a product this build made
    (en / "stray.html").write_text("x", "utf-8")            # a name the build does not note
    time.sleep(0.02)
    assert note(dirs, [str(zh_tw / "made.html"), str(en / "index.html")], dstats, fs_now(cfg))
    assert dstats[str(zh_tw)] == folder_sig(os.stat(zh_tw))
    assert str(en) not in dstats                            # stray.html is not in its names
    later = Listing(dirs, listing.inputs, listing.sigs, listing.links, dstats)
    assert rescan(later) is None                            # and it is seen as new


def test_note_takes_folders_listed_earlier_by_a_child_process(tmp_path):
    """A build lists the folders of the catalogs it wrote on another core while it renders
    (l10n.workers.InChild): note takes those listings as its own, and one made before a stray
    name appeared does not vouch for the folder (its signature is from before the change)."""
    from l10n.build.scan import list_folders
    from l10n.workers import InChild

    root = translated_project(tmp_path)
    time.sleep(0.05)
    cfg, listing = listing_of(root)
    dirs, dstats = dict(listing.dirs), dict(listing.dstats)
    zh_tw, en = root / "site" / "zh_TW", root / "site" / "en"
    (zh_tw / "made.html").write_text("x", "utf-8")
    time.sleep(0.02)
    child = InChild(list_folders, [str(zh_tw), str(en)], fs_now(cfg))
    listed = child.result()
    assert child.pid is None and set(listed) == {str(zh_tw), str(en)}
    assert listed == list_folders([str(zh_tw), str(en)], fs_now(cfg))      # as this process lists them
    (en / "stray.html").write_text("x", "utf-8")            # after the listing: it was not seen
    time.sleep(0.02)
    assert note(dirs, [str(zh_tw / "made.html"), str(en / "index.html")], dstats, fs_now(cfg), listed)
    assert dstats[str(zh_tw)] == folder_sig(os.stat(zh_tw))
    assert dstats[str(en)] != folder_sig(os.stat(en))       # the stray name changed the folder since
    later = Listing(dirs, listing.inputs, listing.sigs, listing.links, dstats)
    assert rescan(later) is None                            # so it is listed again, and seen


def test_in_child_works_out_here_when_the_child_gives_nothing():
    from l10n.workers import InChild

    assert InChild(sorted, [3, 1, 2]).result() == [1, 2, 3]
    parent = os.getpid()
    got = InChild(lambda: os._exit(3) if os.getpid() != parent else 42)    # the child dies, writing nothing
    assert got.result() == 42                               # so it is worked out here


def test_has_name_finds_whole_names_only():
    from l10n.build.scan import has_name, join_names

    joined = join_names(["a.po", "ab.po", "b.mo"])
    assert has_name(joined, "a.po") and has_name(joined, "b.mo") and has_name(joined, "ab.po")
    assert not has_name(joined, "b.po") and not has_name(joined, "a") and not has_name(joined, ".po")
    assert not has_name("", "a.po") and not has_name(None, "a.po")


def test_builds_see_changes_in_folders_their_state_vouches_for(tmp_path):
    """Through the CLI: after a full build and a delta build (which records the folders it wrote
    in again), a removed output and a new page are both seen."""
    root = translated_project(tmp_path)
    time.sleep(0.05)
    assert run_bin(root, "build", "--force").returncode == 0
    page = root / "source_pages" / "treatment.html"
    page.write_text(page.read_text("utf-8").replace("</p>", " Reviewed again.</p>", 1), "utf-8")
    time.sleep(0.05)
    res = run_bin(root, "build", "--explain")
    assert res.returncode == 0 and "build: delta" in res.stderr, res.stderr
    assert "build: none" in run_bin(root, "build", "--explain").stderr
    out = root / "site" / "zh_CN" / "treatment.html"
    out.unlink()
    res = run_bin(root, "build", "--explain")
    assert "build: delta" in res.stderr and "missing: site/zh_CN/treatment.html" in res.stderr, res.stderr
    assert out.is_file()
    (root / "source_pages" / "added.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><title>Added</title></head><body><p>An added page.</p></body></html>\n',
        "utf-8")
    res = run_bin(root, "build", "--explain")
    assert "build: full" in res.stderr, res.stderr
    assert (root / "site" / "zh_TW" / "added.html").is_file()


def test_the_split_stat_gives_every_signature_in_order(tmp_path):
    """From SPLIT_STATS inputs on, a forked child stats the second half: the signatures are the
    ones a single pass gives, in the inputs' order, a missing file BROKEN in either half, and an
    edit in either half is seen."""
    from l10n.build.scan import BROKEN, SPLIT_STATS, stat_inputs, stat_sigs

    paths = []
    for i in range(SPLIT_STATS + 11):
        p = tmp_path / f"d{i % 7}" / f"f{i}.po"
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(b"x" * (i % 13))
        paths.append(str(p))
    gone = [3, len(paths) - 5]
    for j in gone:
        os.unlink(paths[j])
    one, split = stat_sigs(paths), stat_inputs(paths)
    assert split == one and len(split) == 4 * len(paths)
    assert all(tuple(split[4 * j:4 * j + 4]) == BROKEN for j in gone)
    assert tuple(split[4 * 7:4 * 7 + 4]) != BROKEN
    late = len(paths) - 2
    Path(paths[late]).write_bytes(b"an edit, longer than before")
    again = stat_inputs(paths)
    assert [j for j in range(len(paths)) if again[4 * j:4 * j + 4] != one[4 * j:4 * j + 4]] == [late]
    # work given for meanwhile runs once, here (not in the child), and changes nothing of the result
    calls = []
    assert stat_inputs(paths, meanwhile=lambda: calls.append(os.getpid())) == again
    assert calls == [os.getpid()]
    calls.clear()
    assert stat_inputs(paths[:10], meanwhile=lambda: calls.append(1)) == again[:40] and calls == []  # no child


def test_an_error_in_the_meanwhile_work_reaps_the_child_and_goes_up(tmp_path):
    from l10n.workers import in_two_halves

    def fail() -> None:
        raise RuntimeError("meanwhile failed")

    before = _children()
    with pytest.raises(RuntimeError, match="meanwhile failed"):
        in_two_halves(lambda items: [x * 2 for x in items], list(range(100)), meanwhile=fail)
    assert _children() == before                   # no zombie left behind
    assert in_two_halves(lambda items: [x * 2 for x in items], list(range(100))) == [x * 2 for x in range(100)]


def _children() -> set[str]:
    """This process's child processes (zombies too), from /proc."""
    me = str(os.getpid())
    out = set()
    for d in Path("/proc").iterdir():
        try:
            if d.name.isdigit() and (d / "stat").read_text().split(") ", 1)[1].split()[1] == me:
                out.add(d.name)
        except (OSError, IndexError):
            pass
    return out


def test_the_compendium_is_updated_by_difference(tmp_path):
    """update_rows leaves a catalog's compendium rows as set_rows would (rows dropped, added, a
    translation changed, a context), touching no other catalog's rows."""
    from l10n.build.state import open_compendium, set_rows, update_rows

    a = open_compendium(tmp_path / "a.sqlite")
    b = open_compendium(tmp_path / "b.sqlite")
    old = [("", "Take one tablet.", "每次一錠。"), ("", "Once a day.", "每日一次。"), ("\x01menu", "Home", "首頁")]
    other = [("", "Take one tablet.", "每次一錠。")]
    for db in (a, b):
        set_rows(db, "zh_TW", "q1.po", old)
        set_rows(db, "zh_TW", "q2.po", other)
    steps = [
        [("", "Take one tablet.", "每次一錠。"), ("\x01menu", "Home", "首頁")],                      # one gone
        [("", "Take one tablet.", "每次兩錠。"), ("\x01menu", "Home", "首頁"), ("", "New.", "新。")],  # changed, added
        [("\x01nav", "Home", "首頁"), ("", "New.", "新。")],                                          # another context
        [],
    ]

    def rows(db, name):
        return sorted(db.execute("SELECT ctx, msgid, msgstr FROM comp WHERE locale='zh_TW' AND name=?", (name,)))

    for want in steps:
        set_rows(a, "zh_TW", "q1.po", want)
        update_rows(b, "zh_TW", "q1.po", want)
        assert rows(b, "q1.po") == rows(a, "q1.po") == sorted(want)
        assert rows(b, "q2.po") == other
