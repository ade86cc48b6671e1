"""Fuzzy lookup: for each new source text, the most similar memory unit at or above a score.

RapidFuzz's ``fuzz.ratio`` (normalized Indel similarity, what msgmerge-like fuzzy
matching and Weblate's memory use) over the candidates, through ``process.extractOne``.
Two texts of lengths *a* and *b* score at most 200·min(a, b)/(a + b), so the candidates
are kept sorted by length and each query compares only the slice whose length allows
``min_score`` (at 75: from 0.6× to 1.67× the query's length). Queries are independent,
and RapidFuzz releases the GIL while it compares, so a long list runs on two threads.

That is the whole lookup for the catalogs' own translations. For the imported memory
(hundreds of thousands of units) :func:`memory_best` first narrows the candidates with
the store's shingle index (:meth:`~l10n.tm.store.TranslationMemory.similar`). On the
benchmark's 200,000-unit memory, whose vocabulary is small (1,458 distinct words),
SQLite FTS5 with the trigram tokenizer and single words as a prefilter were both
slower than scanning every unit; pairs of words are selective enough.
"""
from __future__ import annotations

import bisect
import os
from typing import Sequence

from rapidfuzz import fuzz, process

from .model import Match, TMUnit
from .store import TranslationMemory

__all__ = ["FuzzyIndex", "length_window", "memory_best"]


def length_window(n: int, min_score: float) -> tuple[int, int]:
    """The source lengths that can reach ``min_score`` against a text of length ``n``."""
    s = max(1.0, min(100.0, float(min_score)))
    return int(n * s / (200.0 - s)), int(n * (200.0 - s) / s) + 1


class FuzzyIndex:
    """Memory units sorted by source length, for :meth:`best`."""

    def __init__(self, units: Sequence[TMUnit]):
        order = sorted(range(len(units)), key=lambda i: (len(units[i].source), i))
        self.units = [units[i] for i in order]
        self.sources = [u.source for u in self.units]
        self.lengths = [len(s) for s in self.sources]

    def __len__(self) -> int:
        return len(self.units)

    def _one(self, text: str, min_score: float) -> Match | None:
        lo, hi = length_window(len(text), min_score)
        a, b = bisect.bisect_left(self.lengths, lo), bisect.bisect_right(self.lengths, hi)
        if a >= b:
            return None
        hit = process.extractOne(text, self.sources[a:b], scorer=fuzz.ratio, score_cutoff=min_score,
                                 processor=None)
        return None if hit is None else Match(round(hit[1], 1), self.units[a + hit[2]])

    def best(self, texts: Sequence[str], min_score: float) -> list[Match | None]:
        """For each text, its best match at or above ``min_score`` (the first of equals), or None."""
        def run(part: Sequence[str]) -> list[Match | None]:
            return [self._one(t, min_score) for t in part]

        if len(texts) < 32 or len(self.units) < 1000 or (os.cpu_count() or 1) < 2:
            return run(texts)
        from concurrent.futures import ThreadPoolExecutor
        half = len(texts) // 2
        with ThreadPoolExecutor(2) as ex:
            first, second = ex.map(run, (texts[:half], texts[half:]))
        return first + second


def memory_best(memory: TranslationMemory, srclang: str, tgtlang: str, texts: Sequence[str],
                min_score: float) -> list[Match | None]:
    """For each text, its best unit of the memory at or above ``min_score``, or None: the
    candidates are the units sharing a rare shingle with it (all units of a possible length
    when it has none, e.g. one word). For a long list the pair's source texts are read once."""
    sources = memory.sources(srclang, tgtlang) if len(texts) > 20 else None
    out: list[Match | None] = []
    for text in texts:
        lo, hi = length_window(len(text), min_score)
        ids = memory.similar_ids(srclang, tgtlang, text)
        if ids is None:
            pool = memory.candidates(srclang, tgtlang, lo, hi)
            cands = [(None, u.source) for u in pool]
        elif sources is not None:
            pool = []
            cands = [(i, s) for i in ids if lo <= len(s := sources[i]) <= hi]
        else:
            pool = [u for u in memory.by_ids(ids) if lo <= len(u.source) <= hi]
            cands = [(None, u.source) for u in pool]
        if not cands:
            out.append(None)
            continue
        hit = process.extractOne(text, [s for _, s in cands], scorer=fuzz.ratio, score_cutoff=min_score,
                                 processor=None)
        if hit is None:
            out.append(None)
        elif pool:
            out.append(Match(round(hit[1], 1), pool[hit[2]]))
        else:
            out.append(Match(round(hit[1], 1), memory.by_ids([cands[hit[2]][0]])[0]))
    return out
