"""The build's two split passes against one pass, in one process, interleaved: the ``stat`` of a
built project's inputs (:func:`l10n.build.scan.stat_inputs`: a forked child stats the second
half; also two threads, each stat'ing half) and the pages' skeleton keys the renderer reads
and hashes (:func:`l10n.pages.page_keys`). ``python benchmarks/stat_split.py PROJECT [ROUNDS]``
(PROJECT built once by ``l10n build``; e.g. ``benchmarks/corpus/run-site-10000`` after ``make bench``)."""
from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from l10n.build.scan import stat_inputs, stat_sigs  # noqa: E402
from l10n.build.state import Store  # noqa: E402
from l10n.config import load_config  # noqa: E402
from l10n.pages import _read_keys, discover_pages, page_keys, rels_and_domains  # noqa: E402


def two_threads(paths: list[str]) -> None:
    from concurrent.futures import ThreadPoolExecutor
    half = len(paths) // 2
    with ThreadPoolExecutor(2) as ex:
        list(ex.map(stat_sigs, [paths[:half], paths[half:]]))


def main(argv: list[str]) -> None:
    project = Path(argv[0]).resolve()
    rounds = int(argv[1]) if len(argv) > 1 else 5
    store = Store(project / ".l10n-cache" / "build" / "state.sqlite")
    inputs = store.blobs()["inputs"]
    store.close()
    cfg = load_config(project)
    pages = [str(p) for p in discover_pages(cfg)]
    rels, _ = rels_and_domains(cfg, [Path(p) for p in pages])
    pairs = list(zip(pages, rels))
    known = cfg.source_locales
    runs = {
        f"stat of {len(inputs)} inputs, one pass": lambda: stat_sigs(inputs),
        f"stat of {len(inputs)} inputs, split (fork)": lambda: stat_inputs(inputs),
        f"stat of {len(inputs)} inputs, two threads": lambda: two_threads(inputs),
        f"keys of {len(pages)} pages, one pass": lambda: _read_keys(pairs, known),
        f"keys of {len(pages)} pages, split (fork)": lambda: page_keys(pages, rels, known, 2),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, fn in runs.items():
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    for name, ts in times.items():
        ts.sort()
        print(f"{name:42s} min {ts[0]:.3f} s, median {ts[len(ts) // 2]:.3f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
