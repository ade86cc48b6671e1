"""The scans of the project's folders that tell what changed since the last build (one job): the
listing a build leaves (every folder with its names, every input with its signature), the walk
that makes it, the rescan that compares with it (no walk), and the listing kept true as a build
writes."""
from __future__ import annotations

import operator
import os
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, NamedTuple, Sequence

from ..fsutil import fs_clock
from ..workers import in_two_halves

if TYPE_CHECKING:
    from ..config import Config

__all__ = ["BROKEN", "UNSEEN", "GONE", "Listing", "Scan", "full_scan", "rescan", "note", "note_dir", "fs_now",
           "folder_sig", "vouch", "join_names", "split_names", "has_name", "list_folder", "list_folders"]

BROKEN = (-2, -2, -2, -2)             # the signature of an input that cannot be stat'ed (a dangling link)
UNSEEN = (-1, -1, -1, -1)             # an input this build did not read: the next build looks at it
GONE = "/"                            # the names of a folder gone while it was read (no name has a /)


BY_NAME = operator.attrgetter("name")


# -- the listing -----------------------------------------------------------------------------

@dataclass
class Listing:
    """Every folder under the source, locales and output folders with the names in it (NUL-joined
    in the order the folder lists them: one string a folder loads and compares at once, no sort;
    None: the folder did not exist), and the signature of every input, in ``inputs`` order."""
    dirs: dict[str, str | None]
    inputs: list[str]
    sigs: array                   # 4 integers an input
    links: bool = False           # a build product is a symbolic link
    dstats: dict[str, tuple] = field(default_factory=dict)     # folder -> folder_sig when listed (see vouch)

    def sig(self, j: int) -> tuple:
        return tuple(self.sigs[4 * j:4 * j + 4])


def join_names(names: Iterable[str]) -> str:
    return "\0".join(sorted(names))


def split_names(joined: str | None) -> set[str]:
    return set(joined.split("\0")) if joined else set()


def folder_sig(st: os.stat_result) -> tuple:
    """What changes in a folder's own stat when a name is added, removed or renamed in it (the
    kernel sets its mtime and ctime; a folder put in its place has another inode), and its device."""
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def fs_now(cfg: "Config") -> tuple[int, int]:
    """The file system's clock now, as it stamps a change, and its device
    (``.l10n-cache/build/scan.stamp`` touched and read back: the clock and granularity of the
    files themselves, not Python's)."""
    return fs_clock(cfg.root / ".l10n-cache" / "build" / "scan.stamp")


def vouch(sig: tuple, stamp: tuple[int, int]) -> bool:
    """Whether a folder listed after ``stamp`` (:func:`fs_now`) with signature ``sig``, taken before
    listing it, may later be taken as unchanged while its signature is the same: yes when its last
    change is older than the stamp, on the stamp's file system (another one may count time in
    other steps, or by another clock). A change after that is stamped later, so the signature
    differs; a change in the same tick of the clock as the stamp could keep it (racy: such a
    folder is listed every time, until a build records it again)."""
    now, dev = stamp
    return sig[3] == dev and sig[0] < now and sig[1] < now


def full_scan(cfg: "Config") -> tuple[Listing, dict[str, tuple]]:
    """Walk the three folders (symlinked folders not followed, the cache skipped):
    (the listing, {path: signature}), products with the signature ``()``. The folders listed with
    no symbolic link in them have their signature in ``dstats`` when :func:`vouch` allows."""
    dirs: dict[str, str | None] = {}
    dstats: dict[str, tuple] = {}
    inputs: list[str] = []
    arr = array("q")
    sigs: dict[str, tuple] = {}
    links = False
    skip = str(cfg.root / ".l10n-cache")
    stamp = fs_now(cfg)
    is_link = os.DirEntry.is_symlink
    for top in (cfg.source_dir, cfg.locales_dir, cfg.output_dir):
        t = str(top)
        if not os.path.isdir(t):
            dirs.setdefault(t, None)
            continue
        names_only = top == cfg.output_dir          # the site: a page deleted there is noticed, one edited not
        products = (".mo", ".pot") if top == cfg.locales_dir else ()
        stack = [t]
        while stack:
            d = stack.pop()
            try:
                dsig = folder_sig(os.stat(d))
                with os.scandir(d) as it:
                    entries = list(it)
            except OSError:
                dirs[d] = None
                continue
            dirs[d] = "\0".join(e.name for e in entries)
            if vouch(dsig, stamp) and not any(map(is_link, entries)):
                dstats[d] = dsig
            entries.sort(key=BY_NAME)
            for e in entries:
                try:
                    if e.is_dir(follow_symlinks=False):
                        if e.path != skip:
                            stack.append(e.path)
                        continue
                    if names_only or (products and e.name.endswith(products)):
                        sigs[e.path] = ()
                        if e.is_symlink():
                            links = True
                        continue
                    st = e.stat()
                    sig = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
                except OSError:
                    sig = BROKEN
                sigs[e.path] = sig
                inputs.append(e.path)
                arr.extend(sig)
    return Listing(dirs, inputs, arr, links, dstats), sigs


class Scan(NamedTuple):
    """The known folders listed again and the inputs stat'ed (:func:`rescan`)."""
    sigs: array                   # the signatures now, in ``Listing.inputs`` order
    changed: list[int]            # the inputs whose signature changed
    removed: list[str]            # the names gone
    links: bool                   # a name in a known folder is a symbolic link (l10n.fsutil.check_links must look)


def rescan(listing: Listing, meanwhile: Callable[[], Any] | None = None) -> Scan | None:
    """The known folders listed again and the inputs stat'ed (no walk); None when something is new.

    A folder whose signature is the one recorded when it was listed (``Listing.dstats``, which
    holds only folders with no symbolic link in them, listed as :func:`vouch` allows) still holds
    those names: it is not listed again.

    Every folder under the three folders is known (a new one is a new name in its parent), so
    when no entry of a known folder is a symbolic link, there is none under them: the scan
    tells whether :func:`l10n.fsutil.check_links` has anything to look at, from the directory
    entries it lists anyway (their type comes with the listing: no stat). ``meanwhile``: see
    :func:`stat_inputs`."""
    removed: list[str] = []
    links = False
    scandir, is_link, stat = os.scandir, os.DirEntry.is_symlink, os.stat
    dstats = listing.dstats
    for d, joined in listing.dirs.items():
        if joined is None:
            if os.path.lexists(d):
                return None
            continue
        known = dstats.get(d)
        if known is not None:
            try:
                st = stat(d)
            except OSError:
                return None
            if folder_sig(st) == known:
                continue
        try:
            with scandir(d) as it:
                entries = list(it)
        except OSError:
            return None
        if not links and any(map(is_link, entries)):
            links = True
        cur = [e.name for e in entries]
        if "\0".join(cur) == joined:
            continue
        names, now = split_names(joined), set(cur)
        if now == names:             # listed in another order
            continue
        if not now <= names:
            return None
        removed.extend(os.path.join(d, n) for n in sorted(names - now))
    arr = stat_inputs(listing.inputs, meanwhile)
    new, old = arr.tobytes(), listing.sigs.tobytes()
    changed: list[int] = []
    if new != old:
        if len(new) != len(old):
            return None
        step = 32 * 512
        for off in range(0, len(new), step):
            if new[off:off + step] != old[off:off + step]:
                for j in range(off, min(off + step, len(new)), 32):
                    if new[j:j + 32] != old[j:j + 32]:
                        changed.append(j // 32)
    return Scan(arr, changed, removed, links)


def stat_sigs(paths: Sequence[str]) -> array:
    """The signatures (mtime, size, inode, ctime) of ``paths``, four numbers each, in order;
    :data:`BROKEN` for a file that cannot be stat'ed."""
    arr = array("q")
    ext, stat = arr.extend, os.stat
    for p in paths:
        try:
            s = stat(p)
            ext((s.st_mtime_ns, s.st_size, s.st_ino, s.st_ctime_ns))
        except OSError:
            ext(BROKEN)
    return arr


SPLIT_STATS = 4000      # inputs from which a second core stats half of them


def stat_inputs(paths: Sequence[str], meanwhile: Callable[[], Any] | None = None) -> array:
    """:func:`stat_sigs` of every input, the second half by a forked child on another core.

    The scan of a 10,000-page project stats 30,000 files, about 0.1 s of system calls: the half of
    a no-op build that is not starting Python. Threads do not help (measured by
    ``benchmarks/stat_split.py``: two threads slower than one pass); a child process does, for the
    ~2 ms a fork costs. ``meanwhile()`` runs while the child works (only when there is one)."""
    if len(paths) < SPLIT_STATS or (os.cpu_count() or 1) < 2:
        return stat_sigs(paths)
    return in_two_halves(stat_sigs, paths, meanwhile=meanwhile)


def note(dirs: dict[str, str | None], paths: Iterable[str], dstats: dict[str, tuple] | None = None,
         stamp: tuple[int, int] = (0, -1), listed: Mapping[str, tuple | None] | None = None) -> bool:
    """The listing after this build wrote or deleted ``paths`` (build products): each one's
    name in its folder as the folder now holds it. False when a folder is not known.

    ``dstats`` (the listing's folder signatures) is kept true: a folder whose names were changed
    here loses its signature, and each folder of ``paths`` is listed again, after ``stamp`` (:func:`fs_now`,
    read before this call), and gets its signature back when it holds just the names noted and
    :func:`vouch` allows. ``listed``: folders :func:`list_folders` listed already, after their
    last write (a build lists the catalogs' folders while it renders)."""
    before = dict(dirs)
    changed: dict[str, set[str]] = {}
    folders: set[str] = set()
    for p in paths:
        d, name = os.path.split(p)
        folders.add(d)
        here = os.path.lexists(p)
        if dirs.get(d) is None:
            if not here:
                continue
            if not note_dir(dirs, d):
                return False
        names = changed.get(d)
        known = has_name(dirs[d], name) if names is None else name in names
        if here != known:                       # a name added or removed: the folder's names as a set
            if names is None:
                names = changed[d] = split_names(dirs[d])
            if here:
                names.add(name)
            else:
                names.discard(name)
    for d, names in changed.items():       # in the folder's own order when it holds just that
        try:
            cur = os.listdir(d)
        except OSError:
            cur = []
        dirs[d] = "\0".join(cur) if set(cur) == names else join_names(names)
    if dstats is not None:
        for d in dirs:
            if dirs[d] != before.get(d):
                dstats.pop(d, None)
        for d in folders:
            dstats.pop(d, None)
            joined = dirs.get(d)
            if joined is None or joined == GONE:
                continue
            got = listed[d] if listed is not None and d in listed else list_folder(d, stamp)
            if got is not None and (got[1] == joined or split_names(got[1]) == split_names(joined)):
                dstats[d] = got[0]
    return True


def has_name(joined: str | None, name: str) -> bool:
    """Whether ``name`` is one of the names in ``joined`` (:func:`join_names`), without splitting it."""
    if not joined:
        return False
    i, n = joined.find(name), len(name)
    while i >= 0:
        if (i == 0 or joined[i - 1] == "\0") and (i + n == len(joined) or joined[i + n] == "\0"):
            return True
        i = joined.find(name, i + 1)
    return False


def list_folder(d: str, stamp: tuple[int, int]) -> tuple[tuple, str] | None:
    """(signature, names joined in the folder's own order) of folder ``d`` listed now, or None when
    :func:`vouch` does not allow it to be taken as unchanged later, an entry is a symbolic link, or
    it cannot be read. The signature is taken before the listing: a change while it is listed
    makes the next build list it again."""
    try:
        sig = folder_sig(os.stat(d))
        if not vouch(sig, stamp):
            return None
        with os.scandir(d) as it:
            entries = list(it)
    except OSError:
        return None
    if any(map(os.DirEntry.is_symlink, entries)):
        return None
    return sig, "\0".join([e.name for e in entries])


def list_folders(folders: Iterable[str], stamp: tuple[int, int]) -> dict[str, tuple | None]:
    """:func:`list_folder` of each of ``folders``."""
    return {d: list_folder(d, stamp) for d in folders}


def note_dir(dirs: dict[str, str | None], d: str) -> bool:
    """A folder this build made (and the ones above it, up to a known one)."""
    parent, name = os.path.split(d)
    if parent == d or not parent:
        return False
    if dirs.get(parent) is None and not note_dir(dirs, parent):
        return False
    try:
        dirs[d] = join_names(os.listdir(d))
    except OSError:
        return False
    dirs[parent] = join_names(split_names(dirs[parent]) | {name})
    return True
