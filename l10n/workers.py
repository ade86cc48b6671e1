"""Work on every core: a map over forked workers, each given its task's context object (one job).

A task function is called as ``fn(context, item)``: the context (the stage's explicit, frozen
input) reaches the workers through the pool's initializer, inherited by fork and never
pickled; results come back in order. Also the small file-signature helpers every stage uses."""
from __future__ import annotations

import gc
import os
import pickle
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from .fsutil import atomic_write

if TYPE_CHECKING:
    from .config import Config

MIN_PARALLEL = 48                            # fewer items than this: one process is faster


# -- small helpers ------------------------------------------------------------------------

Sig = tuple  # (mtime_ns, size, ino, ctime_ns)


def sig_of(st: os.stat_result) -> Sig:
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)


def file_sig(path: str | Path) -> Sig | None:
    try:
        return sig_of(os.stat(path))
    except OSError:
        return None


def jobs_for(cfg: "Config", jobs: int | None) -> int:
    n = jobs if jobs is not None else (cfg.jobs or os.cpu_count() or 1)
    return max(1, n)


class InChild:
    """``fn(*args)`` worked out by a forked child process while this one goes on (on another
    core); :meth:`result` waits for it. Worked out here instead when no child can be forked
    (no ``fork``, or another thread is running: a lock it held would stay held in the child)
    or the child gives no result. For pure, picklable work that reads the file system, as
    the build's listing of the folders it wrote while it renders pages."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        self.fn, self.args = fn, args
        self.pid: int | None = None
        threading = sys.modules.get("threading")
        if not hasattr(os, "fork") or (threading is not None and threading.active_count() > 1):
            return
        r, w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            return
        if pid == 0:                                  # the child: the result down the pipe, then out
            try:
                os.close(r)
                data = pickle.dumps(fn(*args), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(w, "wb") as f:
                    f.write(data)
            finally:
                os._exit(0)                           # no atexit, no flushing of the parent's buffers
        os.close(w)
        self.pid, self.fd = pid, r

    def result(self) -> Any:
        if self.pid is None:
            return self.fn(*self.args)
        try:
            with os.fdopen(self.fd, "rb") as f:
                data = f.read()
        finally:
            os.waitpid(self.pid, 0)
            self.pid = None
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - the child died before it wrote its result: here, then
            return self.fn(*self.args)


def in_two_halves(fn: Callable[..., Any], items: Sequence[Any], *args: Any,
                  meanwhile: Callable[[], Any] | None = None) -> Any:
    """``fn(items, *args)`` for a per-item ``fn`` whose result is a sequence (a list, an array) in
    the items' order: the second half worked out by a forked child (:class:`InChild`) while this
    process does the first, the two results joined. For system-call-bound passes over many files,
    where a second process helps and threads do not (they contend for the interpreter's lock).
    ``meanwhile()``, when given, runs here once the child is started, before the first half: work
    for later that the child need not inherit (imports a build will need)."""
    half = len(items) // 2
    child = InChild(fn, items[half:], *args)
    try:
        if meanwhile is not None:
            meanwhile()
        first = fn(items[:half], *args)
    except BaseException:
        try:
            child.result()              # the child reaped before the error goes up
        except Exception:  # noqa: BLE001 - the first half's error is the one to report
            pass
        raise
    return first + child.result()


class NoGC:
    """Unpickling thousands of small objects triggers the cyclic GC over and over (3x slower)."""

    def __enter__(self) -> None:
        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc) -> None:
        if self.was:
            gc.enable()


class Frozen:
    """The parent's objects moved out of the collector's sight while the pool forks its workers
    (``gc.freeze``): a worker's collections then never walk the context it inherited, nor write
    to its pages (which fork shares until written)."""

    def __enter__(self) -> None:
        gc.freeze()

    def __exit__(self, *exc) -> None:
        gc.unfreeze()


def load_pickle(path: Path) -> Any:
    with NoGC(), open(path, "rb") as f:
        return pickle.load(f)


def save_pickle(path: Path, obj: Any) -> None:
    atomic_write(path, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL), durable=False)


# -- parallel map (fork: workers inherit their context) ----------------------------------

class _Bound:
    """The task function and its context in a worker process: given once, by the pool's
    initializer, from arguments the fork inherited (never pickled); never set in the parent."""

    __slots__ = ()
    fn: Callable[[Any, Any], Any] | None = None
    context: Any = None


def _init_worker(fn: Callable[[Any, Any], Any], context: Any) -> None:
    _Bound.fn, _Bound.context = fn, context
    # bs4 trees are cyclic garbage: keep the collector (on, whatever the parent forked with), but
    # let it run less often
    gc.set_threshold(20000, 20, 20)
    gc.enable()


def _call(item: Any) -> Any:
    """Worker: one item, with the context this process was started with."""
    return _Bound.fn(_Bound.context, item)  # type: ignore[misc]


def _fork_pool(jobs: int, fn: Callable[[Any, Any], Any], context: Any) -> Any:
    """A pool of ``jobs`` forked workers that call ``fn(context, item)``; None where fork is not
    there. (Imported here: a build that redoes one page runs it in-process, and the import costs
    20 ms of its start-up.)"""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_init_worker, initargs=(fn, context))


def pmap(fn: Callable[[Any, Any], Any], items: Sequence[Any], *, jobs: int, context: Any = None,
         chunksize: int | None = None) -> list[Any]:
    """``[fn(context, x) for x in items]`` on ``jobs`` forked processes when worth it, in order.

    ``context`` (the task's explicit input: a frozen object, however big) reaches each worker
    once, inherited by fork, never pickled; only the items travel."""
    pool = None if jobs <= 1 or len(items) < MIN_PARALLEL else _fork_pool(jobs, fn, context)
    if pool is None:
        return [fn(context, x) for x in items]
    cs = chunksize or max(1, min(64, len(items) // (jobs * 8) or 1))
    with pool as ex, Frozen():
        return list(ex.map(_call, items, chunksize=cs))


def pmap_each(fn: Callable[[Any, Any], Any], items: Sequence[Any], *, jobs: int,
              context: Any = None) -> Iterator[tuple[Any, Any]]:
    """``(item, fn(context, item))`` in order, as results arrive (nothing is kept): pmap for big batches."""
    pool = None if jobs <= 1 or len(items) < MIN_PARALLEL else _fork_pool(jobs, fn, context)
    if pool is None:
        for x in items:
            yield x, fn(context, x)
        return
    cs = max(1, min(64, len(items) // (jobs * 8) or 1))
    with pool as ex, Frozen():
        yield from zip(items, ex.map(_call, items, chunksize=cs))
