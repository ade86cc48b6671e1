"""Translation-memory units and matches: plain frozen dataclasses, no I/O."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TMUnit", "Match"]


@dataclass(frozen=True)
class TMUnit:
    """One source text and its translation, with the locales (project names: en, zh_TW)."""
    srclang: str
    tgtlang: str
    source: str
    target: str
    context: str = ""          # msgctxt (TMX: <prop type="x-context">)
    origin: str = ""           # where it came from: a catalog's path, or the TMX file it was imported from
    note: str = ""


@dataclass(frozen=True)
class Match:
    """The best memory unit for a new source text: ``score`` is RapidFuzz's ratio, 0-100."""
    score: float
    unit: TMUnit
