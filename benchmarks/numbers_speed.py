"""Time GL005's number scan (``l10n.checks.numbers.extract_quantities``) on a catalog's texts.

    .venv/bin/python benchmarks/numbers_speed.py [CATALOG.po] [--rounds N]

The catalog defaults to the 20,000-entry one the check stage writes
(``benchmarks/run.py --stages check`` makes it); every msgid and msgstr is read,
as ``l10n check`` reads them, with the garbage collector off as the check run has
it. Prints the best of N rounds, in all and per text. On a machine shared with
other work, compare figures from the same session only.
"""
from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

from l10n.catalogs import read_catalog
from l10n.checks.numbers import extract_quantities

DEFAULT = Path(__file__).parent / "corpus" / "run-check" / "locales" / "zh_TW" / "LC_MESSAGES" / "big.po"


def texts_of(path: Path) -> list[str]:
    """Every msgid and msgstr of the catalog, in order."""
    return [t for entry in read_catalog(str(path)) for t in (entry.msgid, entry.msgstr)]


def best_time(texts: list[str], rounds: int) -> float:
    """The fastest of ``rounds`` passes of extract_quantities over ``texts``, in seconds."""
    best = float("inf")
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(rounds):
            start = time.perf_counter()
            for text in texts:
                extract_quantities(text)
            best = min(best, time.perf_counter() - start)
    finally:
        if enabled:
            gc.enable()
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("catalog", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    if not args.catalog.is_file():
        print(f"{args.catalog}: no such catalog (run benchmarks/run.py --stages check first)", file=sys.stderr)
        return 2
    texts = texts_of(args.catalog)
    seconds = best_time(texts, args.rounds)
    print(f"extract_quantities: {len(texts)} texts in {seconds * 1000:.0f} ms, "
          f"{seconds / len(texts) * 1e6:.2f} us per text (best of {args.rounds})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
