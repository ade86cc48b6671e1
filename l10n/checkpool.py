"""The catalog checks of a big run on every core, with the glossary loaded meanwhile.

``l10n check`` on a 20,000-entry catalog spends its time in three places that
do not depend on each other until the end: reading the catalog, loading the
glossary (and building its term automaton), and the rules, which look at one
entry at a time. :class:`CheckWorker` forks a process that loads the glossary
(from the cache, or parsed) and builds the automaton while the caller reads the
catalogs, then forks ``jobs - 1`` more that share both. The caller cuts the
entries into contiguous pieces of plain rows (:func:`entry_rows`: a tenth of the
cost of pickling Entry objects), big ones first and smaller ones last
(:func:`_pieces`), hands each to whichever worker is free, and puts each piece's
findings back in entry order, so sorting them gives exactly what
:func:`l10n.checks.check_entries` gives on one process. (One equal share per
worker made a worker that shared its core with another process hold the whole
run up.)

Errors keep their order: a bad glossary is reported before a bad catalog (the
serial run loads the glossary first), an unknown rule code after both. A
worker that dies or cannot be forked is not an error: the caller checks the
entries itself (``WorkerLost``). Small runs stay on one process: forking costs
more than it saves below ``MIN_BYTES`` of catalogs.
"""
from __future__ import annotations

import gc
import os
import pickle
import struct
import sys
from pathlib import Path
from typing import Any, Iterable, Sequence

__all__ = ["CheckWorker", "WorkerLost", "entry_rows", "entries_from_rows", "MIN_BYTES", "can_fork"]

MIN_BYTES = 1_000_000        # catalogs smaller than this (about 2,500 entries) are checked on one process
MAX_JOBS = 8
MIN_PIECE = 500              # entries: the smallest piece handed to a worker (see _pieces)

_LEN = struct.Struct("<Q")


class WorkerLost(Exception):
    """The worker process died or could not be started: check on this process instead."""


def can_fork() -> bool:
    """Whether workers may be forked: a POSIX system, and no other thread in this process
    (a thread holding a lock at the fork would leave it held in the worker)."""
    if not hasattr(os, "fork") or sys.platform == "win32":
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


# -- entries as plain rows (cheap to send; Entry objects are built by the workers) ----------

def entry_rows(po: Iterable[Any]) -> list[tuple]:
    """The translated, non-obsolete entries of a polib catalog as plain tuples (see ``entries_from_rows``)."""
    return [(e.msgid, e.msgstr, e.linenum, e.msgctxt, tuple(e.flags), e.tcomment, e.comment, tuple(e.occurrences))
            for e in po if not e.obsolete and e.msgstr]


def entries_from_rows(rows: Sequence[tuple], path: str, source_locale: str, target_locale: str) -> list:
    """The :class:`~l10n.model.Entry` objects ``catalogs.iter_entries`` gives for the same catalog.

    Built as ``Entry(...)`` builds them, field by field into the instance's ``__dict__``
    (the frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``:
    twice the time, for 10,000s of entries)."""
    from l10n.model import Entry

    new = object.__new__
    out = []
    for msgid, msgstr, line, msgctxt, flags, tcomment, comment, occurrences in rows:
        e = new(Entry)
        e.__dict__.update(
            msgid=msgid, msgstr=msgstr, path=path, line=line or 0, source_locale=source_locale,
            target_locale=target_locale, msgctxt=msgctxt, fuzzy="fuzzy" in flags, flags=frozenset(flags),
            translator_comments=tuple(tcomment.splitlines()) if tcomment else (),
            extracted_comments=tuple(comment.splitlines()) if comment else (),
            locations=tuple((p, int(ln) if str(ln).isdigit() else 0) for p, ln in occurrences),
            msgid_plural=None, msgstr_plural=())
        out.append(e)
    return out


# -- messages over pipes -------------------------------------------------------------------

def _send(fd: int, obj: Any) -> None:
    try:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - an exception that does not pickle: send its text
        if not (isinstance(obj, tuple) and obj and obj[0] == "error"):
            raise
        data = pickle.dumps(obj[:-1] + (RuntimeError(f"{type(obj[-1]).__name__}: {obj[-1]} ({exc})"),))
    view = memoryview(_LEN.pack(len(data)) + data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _recv(fd: int) -> Any:
    head = _read_exactly(fd, _LEN.size)
    return pickle.loads(_read_exactly(fd, _LEN.unpack(head)[0]))


def _read_exactly(fd: int, n: int) -> bytes:
    chunks = []
    while n:
        b = os.read(fd, min(n, 1 << 20))
        if not b:
            raise EOFError("worker gone")
        chunks.append(b)
        n -= len(b)
    return b"".join(chunks)


def _widen(fd: int) -> None:
    """A 1 MB pipe buffer where Linux allows it (64 KB by default: a 4 MB share takes 64 wake-ups)."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (OSError, ImportError, ValueError):
        pass


def _close(*fds: int) -> None:
    for fd in fds:
        if fd < 0:
            continue                   # closed already
        try:
            os.close(fd)
        except OSError:
            pass


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


# Workers that have answered but may still be exiting (freeing a few hundred MB takes a
# moment): not waited for then, but by the next CheckWorker, or at exit (where writing the
# report has usually given them the time). Unreaped, they would linger as zombies under a
# PID 1 that does not reap (some containers).
_EXITING: list[int] = []
_AT_EXIT = False


def _reap_exited(block: bool = False) -> None:
    for pid in list(_EXITING):
        try:
            done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _EXITING.remove(pid)


def _reap_at_exit() -> None:
    if _EXITING and os.getpid() == _OWNER:
        _reap_exited(block=True)


_OWNER = os.getpid()


# -- the workers -------------------------------------------------------------------------------

class CheckWorker:
    """Forked processes that load the glossary now and check entries later::

        w = CheckWorker(glossary_path, cache_dir, jobs=2)    # forks; the glossary loads there
        ...read the catalogs...                               # meanwhile, here
        w.raise_glossary_error()                              # before reporting a catalog error
        findings = w.check([(rows, path, src, tgt), ...], select, ignore)   # entry order
        w.close()

    ``check`` is ``send`` (the first pieces go out) then ``results`` (the rest go out as
    the workers finish, their findings come back): a caller with other work (the
    catalog-set rules) does it in between.

    The first worker loads the glossary and its automaton, then forks the others
    (they share both). Each has its own pair of pipes to the caller, which sends
    each the next piece of the entries when it is done with one, and puts the
    pieces' findings back in entry order.
    ``check`` raises the glossary's or a rule code's L10nError as the serial run
    would, and WorkerLost when a worker died (the caller then checks itself).
    """

    def __init__(self, glossary_path: str | Path, cache_dir: str | Path | None, *, jobs: int) -> None:
        global _AT_EXIT, _OWNER
        _reap_exited()
        if not _AT_EXIT:
            import atexit

            atexit.register(_reap_at_exit)
            _AT_EXIT, _OWNER = True, os.getpid()
        self.pid = 0
        self._status: tuple | None = None
        n = max(1, min(jobs, MAX_JOBS))
        pipes = []                                    # per worker: (to_r, to_w, from_r, from_w)
        try:
            for _ in range(n):
                pipes.append(os.pipe() + os.pipe())
                _widen(pipes[-1][1])                  # the entries go this way: fewer round trips
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
        except OSError:
            _close(*(fd for p in pipes for fd in p))
            raise
        if pid == 0:                                  # the first worker
            code = 1
            try:
                _close(*(fd for p in pipes for fd in (p[1], p[2])))
                _worker_main([(p[0], p[3]) for p in pipes], str(glossary_path), cache_dir)
                code = 0
            except BaseException:  # noqa: BLE001 - never return into the caller's code
                pass
            finally:
                os._exit(code)
        _close(*(fd for p in pipes for fd in (p[0], p[3])))
        self.pid = pid
        self._pipes = [(p[1], p[2]) for p in pipes]   # per worker: (to it, from it)

    def _glossary_status(self) -> tuple:
        if self._status is None:
            try:
                self._status = _recv(self._pipes[0][1])
            except (EOFError, OSError, pickle.UnpicklingError):
                self._status = ("lost", None)
        return self._status

    def raise_glossary_error(self) -> None:
        """Raise what loading the glossary raised, if it did (WorkerLost if the worker died)."""
        kind, exc = self._glossary_status()
        if kind == "error":
            self.close()
            raise exc
        if kind != "ready":
            self.close()
            raise WorkerLost("the check worker did not start")

    def check(self, catalogs: Sequence[tuple[list[tuple], str, str, str]],
              select: Iterable[str] | None, ignore: Iterable[str] | None) -> list:
        """The findings of the catalog rules on ``catalogs`` ([(rows, path, source, target)]), in entry order."""
        self.send(catalogs, select, ignore)
        return self.results()

    def send(self, catalogs: Sequence[tuple[list[tuple], str, str, str]],
             select: Iterable[str] | None, ignore: Iterable[str] | None) -> None:
        """Give each worker its first piece of ``catalogs``; :meth:`results` hands out the others as
        the workers finish theirs and reads their findings (the caller may do other work meanwhile).
        Raises as :meth:`check` does."""
        self.raise_glossary_error()
        n = len(self._pipes)
        # pieces handed out as the workers finish theirs, smaller and smaller: a worker slowed down
        # (another process on its core) takes fewer, and all end within a small piece of each other
        self._pieces = _pieces(list(catalogs), n)
        self._rules = (tuple(select or ()), tuple(ignore or ()))
        self._next = 0
        self._busy: dict[int, int] = {}                 # worker -> the piece it checks
        self._found: dict[int, list] = {}               # piece -> its findings
        try:
            for w in range(n):
                self._give(w)
        except OSError:
            self.close()
            raise WorkerLost("a check worker died") from None

    def _give(self, w: int) -> None:
        """Send worker ``w`` the next piece, or tell it there is none (it then exits)."""
        out = self._pipes[w][0]
        if self._next < len(self._pieces):
            _send(out, ("check", self._next, self._pieces[self._next], *self._rules))
            self._busy[w] = self._next
            self._next += 1
        else:
            _close(out)
            self._pipes[w] = (-1, self._pipes[w][1])

    def results(self) -> list:
        """The findings of the pieces :meth:`send` gave out, in entry order; then the workers are closed."""
        import select

        try:
            while self._busy:
                waiting = {self._pipes[w][1]: w for w in self._busy}
                for fd in select.select(list(waiting), [], [])[0]:
                    w = waiting[fd]
                    kind, piece, value = _recv(fd)
                    if kind == "error":
                        raise value
                    self._found[piece] = value
                    del self._busy[w]
                    self._give(w)
        except (EOFError, OSError, pickle.UnpicklingError, ValueError):
            raise WorkerLost("a check worker died") from None
        finally:
            self.close()
        return [f for piece in sorted(self._found) for f in self._found[piece]]

    def close(self) -> None:
        """Stop the workers (if they still wait for entries); reap what has exited (the rest later)."""
        if not self.pid:
            return
        pid, self.pid = self.pid, 0
        _close(*(fd for p in self._pipes for fd in p))    # a waiting worker reads EOF and exits
        _EXITING.append(pid)
        _reap_exited()

    def __del__(self) -> None:  # pragma: no cover - a caller that forgot close()
        try:
            self.close()
        except Exception:  # noqa: BLE001
            pass


def _worker_main(pipes: list[tuple[int, int]], glossary_path: str, cache_dir: str | Path | None) -> None:
    """The first worker: load the glossary, fork the others, check its own share."""
    gc.disable()                       # short-lived, allocation-heavy: the collector only costs time
    rfd, wfd = pipes[0]
    try:
        from l10n.glossary.cache import load_glossary_cached

        glossary = load_glossary_cached(glossary_path, cache_dir)
    except BaseException as exc:  # noqa: BLE001 - the caller raises it in its order
        _send(wfd, ("error", exc))
        return
    from l10n.checks.gl006_script import cached_script_tables
    from l10n.glossary.matcher import index_for

    index_for(glossary)               # the automaton, before the forks share it
    try:
        cached_script_tables(cache_dir)
    except Exception:  # noqa: BLE001 - GL006 builds them itself
        pass
    lexicon_dir = str(cache_dir) if cache_dir is not None else None
    try:
        from l10n.drugs.lexicon import get_lexicon

        get_lexicon(lexicon_dir)       # the drug lexicon, before the forks share it
    except Exception:  # noqa: BLE001 - the rules load it (and report what fails) themselves
        pass
    import l10n.checks  # noqa: F401 - the rules, imported once for every worker

    _send(wfd, ("ready", None))
    forks = []
    for i, (r, w) in enumerate(pipes[1:], 1):
        try:
            pid = os.fork()
        except OSError:
            _close(r, w)               # the caller reads EOF from this one: it checks itself
            continue
        if pid == 0:
            code = 1
            try:
                _close(*(fd for j, p in enumerate(pipes) if j != i for fd in p))
                _serve(r, w, glossary, lexicon_dir)
                code = 0
            except BaseException:  # noqa: BLE001
                pass
            finally:
                os._exit(code)
        forks.append(pid)
        _close(r, w)
    _serve(rfd, wfd, glossary, lexicon_dir)
    for pid in forks:                  # after answering: an exiting process takes a while to go
        _reap(pid)


def _serve(rfd: int, wfd: int, glossary: Any, cache_dir: str | None = None) -> None:
    """Receive pieces of the entries, answer each with its findings (in entry order), until the
    caller closes the pipe."""
    from l10n.checks import ENTRY_RULES, active_rules, check_some
    from l10n.checks.base import MatcherCache

    matchers = MatcherCache(glossary, cache_dir)       # its memo serves every piece
    while True:
        try:
            msg = _recv(rfd)
        except (EOFError, OSError):
            break                      # no more pieces (or the caller stopped: a bad catalog)
        _, piece, share, select, ignore = msg
        try:
            rules = active_rules(ENTRY_RULES, select or None, ignore or None)
            entries: list = []
            for rows, path, src, tgt in share:
                entries.extend(entries_from_rows(rows, path, src, tgt))
            result = ("done", piece, check_some(entries, glossary, rules, cache_dir=cache_dir, matchers=matchers))
        except BaseException as exc:  # noqa: BLE001 - the caller raises it (an unknown rule code)
            result = ("error", piece, exc)
        try:
            _send(wfd, result)
        except OSError:
            break
        if result[0] == "error":
            break
    _close(rfd, wfd)


def _shares(work: list[tuple], n: int) -> list[list[tuple]]:
    """``work`` ([(rows, ...)]) cut into ``n`` contiguous shares of about equal entry counts."""
    total = sum(len(w[0]) for w in work)
    if n <= 1 or total < 2:
        return [work]
    size = -(-total // n)
    shares: list[list[tuple]] = [[]]
    room = size
    for rows, *rest in work:
        start = 0
        while start < len(rows):
            if room == 0 and len(shares) < n:
                shares.append([])
                room = size
            take = len(rows) - start if len(shares) == n else min(room, len(rows) - start)
            shares[-1].append((rows[start:start + take], *rest))
            start += take
            room -= take
    return [s for s in shares if s] or [work]


def _pieces(work: list[tuple], n: int) -> list[list[tuple]]:
    """``work`` ([(rows, ...)]) cut into contiguous pieces for ``n`` workers that take the next one
    when done: each a ``2 n``-th of what is left, at least ``MIN_PIECE`` entries (guided
    self-scheduling: big pieces first, for few round trips; small ones last, for an even end)."""
    total = sum(len(w[0]) for w in work)
    sizes = []
    left = total
    while left > 0:
        size = min(left, max(MIN_PIECE, -(-left // (2 * n))))
        sizes.append(size)
        left -= size
    if len(sizes) <= 1:
        return [work]
    pieces: list[list[tuple]] = []
    room = 0
    for rows, *rest in work:
        start = 0
        while start < len(rows):
            if room == 0:
                pieces.append([])
                room = sizes[len(pieces) - 1]
            take = min(room, len(rows) - start)
            pieces[-1].append((rows[start:start + take], *rest))
            start += take
            room -= take
    return pieces
