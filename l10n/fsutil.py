"""Atomic writes, a project lock, and paths kept inside the project's folders."""
from __future__ import annotations

import errno
import fcntl
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from .errors import LockError, PathError

__all__ = ["atomic_write", "write_new", "fs_clock", "write_if_changed", "project_lock", "LockHeld", "stale_lock_pid",
           "inside", "sweep_temps", "check_links"]

# atomic_write's temporary files: ".<name>." + 8 random characters + ".tmp" (mkstemp's alphabet
# before; hex digits now)
_TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def atomic_write(path: str | Path, data: bytes | str, *, durable: bool = True, stage: bool = False) -> str | None:
    """Write ``data`` to a temporary file in the same folder, fsync, then rename it into place.

    A reader (or a crash) sees the old file or the new one, never a mix. ``durable=False``
    skips the fsync (about 4 ms a file): for build products that a rebuild recreates
    (site pages, .mo files, caches), where a power cut may cost a rebuild but not work.
    The new file keeps the old one's permissions (0644 when there was none). Plain
    ``os`` calls, not ``tempfile`` and a file object: a site build writes tens of
    thousands of files, and each saved system call counts.

    ``stage=True`` stops before the rename and returns the complete temporary file: the
    caller renames it (``os.replace``) once every file of the run is known to be good, or
    removes it (a run that refuses a bad input writes nothing; see :mod:`l10n.pagecheck`).
    """
    p = os.fspath(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder, name = os.path.split(p)
    folder = folder or "."
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    made = False
    while True:
        tmp = os.path.join(folder, f".{name}.{os.urandom(4).hex()}.tmp")      # _TEMP_NAME
        try:
            fd = os.open(tmp, flags, 0o600)
            break
        except FileExistsError:           # another temporary file has that name: draw again
            continue
        except (FileNotFoundError, NotADirectoryError):
            if made:
                raise
            Path(folder).mkdir(parents=True, exist_ok=True)
            made = True
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
            try:
                mode = os.stat(p).st_mode & 0o777
            except FileNotFoundError:
                mode = 0o644
            os.fchmod(fd, mode)
        finally:
            os.close(fd)
        if stage:
            return tmp
        os.replace(tmp, p)
        return None
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


_TMPFILE = getattr(os, "O_TMPFILE", 0)


def write_new(path: str, data: bytes) -> bool:
    """Write a file that is not there, whole or not at all, without a temporary name: the data
    goes into an unnamed file of the folder (``O_TMPFILE``), which gets its name once complete
    (``linkat`` through ``/proc/self/fd``). A crash leaves no file, and no ``.tmp`` to sweep.

    A site's pages are new files on a first render: this saves :func:`atomic_write`'s rename, the
    name looked up and removed again (a tenth of the system time of rendering 30,000 pages).
    False, with nothing written, where it cannot: no ``O_TMPFILE`` on that system or file system,
    no ``/proc``, or the name already taken (the caller then uses :func:`atomic_write`). The file
    is 0644, as atomic_write makes a new file."""
    if not _TMPFILE:
        return False
    folder = os.path.dirname(path) or "."
    try:
        fd = os.open(folder, _TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o600)
    except FileNotFoundError:
        Path(folder).mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(folder, _TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o600)
        except OSError:
            return False
    except OSError:                 # EOPNOTSUPP, EISDIR (an old kernel), ...
        return False
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fchmod(fd, 0o644)
        # (given a src_dir_fd, os.link calls linkat with AT_SYMLINK_FOLLOW, which follows the /proc
        # link to the open file, where link() would not; the path is absolute, so the fd goes unused)
        os.link(f"/proc/self/fd/{fd}", path, src_dir_fd=fd, follow_symlinks=True)
        return True
    except OSError:                 # FileExistsError, no /proc, ...: the unnamed file goes with the fd
        return False
    finally:
        os.close(fd)


def fs_clock(stamp: Path) -> tuple[int, int]:
    """The file system's clock now, as it stamps a change, and its device: the file ``stamp``
    touched (made, with its folders, when missing) and read back, so the clock and granularity
    are the files' own, not Python's. A file whose mtime and ctime are both earlier, on that
    device, has not changed since; one changed later has a later stamp (racy-git's rule)."""
    try:
        os.utime(stamp)
    except FileNotFoundError:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    st = os.stat(stamp)
    return st.st_mtime_ns, st.st_dev


def write_if_changed(path: str | Path, data: bytes | str, *, durable: bool = True) -> bool:
    """Atomically write ``data`` unless the file already holds exactly that. True if written."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        if Path(path).read_bytes() == data:
            return False
    except (FileNotFoundError, NotADirectoryError):
        pass
    atomic_write(path, data, durable=durable)
    return True


class LockHeld(NamedTuple):
    """What :func:`project_lock` found when it took the lock."""

    clean: bool       # the run before released it (an empty file): it was not killed mid-write


@contextmanager
def project_lock(root: str | Path, *, wait: float = 0.0,
                 notify: Callable[[str], None] | None = None) -> Iterator[LockHeld]:
    """Hold ``.l10n.lock`` in ``root`` so that two runs never write one project at once.

    The second run waits up to ``wait`` seconds, then fails with a LockError.
    The lock is an OS file lock: it goes away with the process, even on SIGKILL.
    The file holds the holder's process id while it runs and is emptied when the lock
    is released; a file still naming a process that is gone (a run that was killed)
    is taken over, and ``notify`` gets one line saying so. It yields a :class:`LockHeld`:
    whether the run before ended by releasing the lock (a killed one leaves its id behind).
    """
    path = Path(root) / ".l10n.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    locked = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = True
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise LockError("another l10n run is writing this project; try again when it ends",
                                    path) from None
                time.sleep(0.05)
        left = os.pread(fd, 64, 0)
        stale = stale_lock_pid(left)
        if stale is not None and notify is not None:
            notify(f"{path}: took over the lock of process {stale}, which is no longer running")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield LockHeld(clean=not left.strip())
    finally:
        if locked:
            try:
                os.ftruncate(fd, 0)       # released cleanly: no process id left behind
            except OSError:
                pass
        os.close(fd)


def stale_lock_pid(content: bytes) -> int | None:
    """The process id in a lock file's ``content`` if that process no longer exists, else None."""
    text = content.decode("ascii", "replace").strip()
    if not text.isdigit():
        return None
    pid = int(text)
    if pid <= 0 or pid == os.getpid():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return pid
    except PermissionError:           # alive, another user's
        return None
    return None


def sweep_temps(*folders: str | Path) -> int:
    """Remove the temporary files of writes that never finished (a run killed mid-write).

    Call it holding the project lock, when no other run can be writing. Returns
    how many files were removed; a temporary file never holds the only copy of
    anything (the real file is replaced only once its temporary file is complete).
    """
    n = 0
    for folder in folders:
        if not Path(folder).is_dir():
            continue
        for dirpath, _dirs, files in os.walk(folder):
            for name in files:
                if name.endswith(".tmp") and _TEMP_NAME.match(name):
                    try:
                        os.unlink(os.path.join(dirpath, name))
                        n += 1
                    except FileNotFoundError:
                        pass
    return n


def inside(base: str | Path, path: str | Path, what: str = "path") -> Path:
    """``path`` resolved (symlinks followed) if it stays inside ``base``; PathError otherwise."""
    base_r = Path(base).resolve()
    p = Path(path)
    full = (p if p.is_absolute() else base_r / p).resolve()
    if full != base_r and base_r not in full.parents:
        raise PathError(f"{what} leads outside {base}: {path}", str(path))
    return full


def check_links(root: str | Path, *bases: str | Path) -> None:
    """PathError for the first symbolic link under ``bases`` that leads outside its base.

    A link inside ``source_pages/``, ``locales/`` or the output folder could
    otherwise make a run read a file from anywhere, or write one anywhere
    (a linked ``site/en`` or ``LC_MESSAGES``). Links that stay inside are fine.
    Paths in the message are relative to ``root``.
    """
    root_r = Path(root).resolve()
    for base in bases:
        base_r = Path(base).resolve()
        if not base_r.is_dir():
            continue
        for p in _links_under(str(base_r)):             # a linked folder is checked, not entered
            full = p.resolve()
            if full != base_r and base_r not in full.parents:
                def rel(x: Path) -> str:
                    return x.relative_to(root_r).as_posix() if root_r in x.parents else str(x)
                raise PathError(f"symbolic link leads outside {rel(base_r)}/ (to {full}); "
                                "l10n reads and writes only inside the project's folders", rel(p))


def _links_under(top: str) -> Iterator[Path]:
    """The symbolic links under ``top``, in the order ``os.walk(top)`` lists them (folders
    first, then files, then each folder's own), found from the directory entries alone:
    os.walk plus a Path and an lstat per file took 0.8 s for a 10,000-page project."""
    try:
        with os.scandir(top) as it:
            entries = list(it)
    except OSError:
        return
    dirs, files = [], []
    for e in entries:
        try:
            is_dir = e.is_dir()
        except OSError:
            is_dir = False
        (dirs if is_dir else files).append(e)
    for e in (*dirs, *files):
        if e.is_symlink():
            yield Path(top, e.name)
    for e in dirs:
        if not e.is_symlink():
            yield from _links_under(e.path)

