"""The project's translation memory: units imported from TMX, kept in SQLite.

One table of units, indexed on (source locale, target locale, source text) for exact
lookups and on (source locale, target locale, length) for fuzzy ones: a fuzzy lookup
reads the sources of one language pair once, sorted by length, and compares each new
text only with those whose length allows the minimum score (:mod:`l10n.tm.match`).
Importing the same unit twice stores it once.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import MemoryFileError
from .model import TMUnit

__all__ = ["TranslationMemory"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY,
    srclang TEXT NOT NULL, tgtlang TEXT NOT NULL,
    source TEXT NOT NULL, target TEXT NOT NULL,
    context TEXT NOT NULL DEFAULT '', origin TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',
    len INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS units_key ON units (srclang, tgtlang, source, context, target);
CREATE INDEX IF NOT EXISTS units_len ON units (srclang, tgtlang, len);
"""


class TranslationMemory:
    """An SQLite translation memory at ``path`` (created on first write)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None

    def _open(self, create: bool) -> sqlite3.Connection | None:
        if self._db is None:
            if not self.path.is_file() and not create:
                return None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                db = sqlite3.connect(str(self.path))
                db.executescript(_SCHEMA)
            except sqlite3.DatabaseError as e:
                raise MemoryFileError(f"not a translation memory (SQLite): {e}", str(self.path)) from None
            self._db = db
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> "TranslationMemory":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, units: Iterable[TMUnit]) -> int:
        """Store ``units`` (one transaction); returns how many were new."""
        db = self._open(create=True)
        assert db is not None
        before = db.total_changes
        with db:
            db.executemany(
                "INSERT OR IGNORE INTO units (srclang, tgtlang, source, target, context, origin, note, len) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                ((u.srclang, u.tgtlang, u.source, u.target, u.context, u.origin, u.note, len(u.source))
                 for u in units))
        return db.total_changes - before

    def __len__(self) -> int:
        db = self._open(create=False)
        return 0 if db is None else db.execute("SELECT COUNT(*) FROM units").fetchone()[0]

    def units(self, srclang: str | None = None, tgtlang: str | None = None) -> Iterator[TMUnit]:
        """Every unit (of one language pair when given), in a stable order."""
        db = self._open(create=False)
        if db is None:
            return
        sql = "SELECT srclang, tgtlang, source, target, context, origin, note FROM units"
        args: tuple = ()
        if srclang and tgtlang:
            sql += " WHERE srclang = ? AND tgtlang = ?"
            args = (srclang, tgtlang)
        for row in db.execute(sql + " ORDER BY srclang, tgtlang, source, context, target", args):
            yield TMUnit(*row)

    def pairs(self) -> list[tuple[str, str]]:
        db = self._open(create=False)
        if db is None:
            return []
        return [tuple(r) for r in db.execute("SELECT DISTINCT srclang, tgtlang FROM units ORDER BY 1, 2")]

    def exact(self, srclang: str, tgtlang: str, source: str, context: str = "") -> TMUnit | None:
        db = self._open(create=False)
        if db is None:
            return None
        row = db.execute("SELECT srclang, tgtlang, source, target, context, origin, note FROM units "
                         "WHERE srclang = ? AND tgtlang = ? AND source = ? ORDER BY context != ?, id LIMIT 1",
                         (srclang, tgtlang, source, context)).fetchone()
        return None if row is None else TMUnit(*row)

    def candidates(self, srclang: str, tgtlang: str, min_len: int, max_len: int) -> list[TMUnit]:
        """Units of one pair whose source length lies in [min_len, max_len] (the length index)."""
        db = self._open(create=False)
        if db is None:
            return []
        return [TMUnit(*r) for r in db.execute(
            "SELECT srclang, tgtlang, source, target, context, origin, note FROM units "
            "WHERE srclang = ? AND tgtlang = ? AND len BETWEEN ? AND ? ORDER BY len, id",
            (srclang, tgtlang, min_len, max_len))]
