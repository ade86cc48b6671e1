"""l10n.workers: a task's input is an explicit context object, given to forked workers once."""
from __future__ import annotations

import os

import pytest

from l10n import workers
from l10n.workers import MIN_PARALLEL, pmap, pmap_each


class Context:
    """A context that counts its pickling: it must reach the workers by fork, never pickled."""

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.big = list(range(100_000))

    def __reduce__(self):
        raise AssertionError("a context is inherited by fork, never pickled")


def add(ctx: Context, x: int) -> tuple[int, int]:
    return x + ctx.offset + ctx.big[x], os.getpid()


def test_pmap_passes_the_context_to_every_forked_worker_in_order() -> None:
    items = list(range(MIN_PARALLEL * 3))
    out = pmap(add, items, jobs=2, context=Context(1000))
    assert [v for v, _pid in out] == [2 * x + 1000 for x in items]
    if hasattr(os, "fork"):
        assert os.getpid() not in {pid for _v, pid in out}       # run in workers


def test_pmap_each_and_the_serial_path_see_the_same_context() -> None:
    items = list(range(MIN_PARALLEL * 2))
    got = [(x, v) for x, (v, _pid) in pmap_each(add, items, jobs=2, context=Context(7))]
    assert got == [(x, 2 * x + 7) for x in items]
    serial = pmap(add, items[:3], jobs=1, context=Context(5))
    assert [v for v, pid in serial] == [5, 7, 9] and {pid for _v, pid in serial} == {os.getpid()}


def collecting(_ctx: None, _x: int) -> tuple[bool, int]:
    import gc
    return gc.isenabled(), os.getpid()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")
def test_workers_collect_cycles_though_the_parent_forked_them_with_the_collector_off() -> None:
    """``l10n render`` runs without the cyclic GC; its workers may parse pages (bs4 trees are cycles)."""
    import gc
    with workers.NoGC():
        out = pmap(collecting, list(range(MIN_PARALLEL * 2)), jobs=2)
        assert not gc.isenabled()
    assert all(on for on, _pid in out) and os.getpid() not in {pid for _on, pid in out}


def test_two_maps_with_different_contexts_do_not_share_state() -> None:
    a = pmap(add, list(range(MIN_PARALLEL)), jobs=2, context=Context(1))
    b = pmap(add, list(range(MIN_PARALLEL)), jobs=2, context=Context(2))
    assert [v for v, _ in b] == [v + 1 for v, _ in a]


def test_no_module_level_worker_input() -> None:
    assert not hasattr(workers, "SHARED")
    with pytest.raises(TypeError):
        pmap(add, [1], jobs=1, shared={})  # type: ignore[call-arg]
