"""The project's translation memory: units imported from TMX, kept in SQLite.

One table of units, indexed on (source locale, target locale, source text) for exact
lookups and on (source locale, target locale, length). For fuzzy lookups a second
table is an inverted index of *shingles* — pairs of consecutive words (English) or of
consecutive character bigrams (Chinese) — each with its document frequency and the ids
of the units that have it, rebuilt for a language pair when units are imported. A
lookup takes the units that share one of the new text's rarest shingles as candidates
(:mod:`l10n.tm.match` scores them), so it reads a few thousand units, not the whole
memory. Importing the same unit twice stores it once.
"""
from __future__ import annotations

import re
import sqlite3
from array import array
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from ..errors import MemoryFileError
from .model import TMUnit

__all__ = ["TranslationMemory", "shingles", "RAREST"]

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
CREATE TABLE IF NOT EXISTS shingles (
    srclang TEXT NOT NULL, tgtlang TEXT NOT NULL, shingle TEXT NOT NULL, df INTEGER NOT NULL, ids BLOB NOT NULL,
    PRIMARY KEY (srclang, tgtlang, shingle)
) WITHOUT ROWID;
"""

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
RAREST = 3            # shingles looked up per text


def shingles(text: str) -> set[str]:
    """Pairs of consecutive tokens: lower-cased words, and character bigrams inside Chinese."""
    toks: list[str] = []
    for w in _WORD.findall(text.lower()):
        if _CJK.search(w):
            toks.extend(w[i:i + 2] for i in range(max(1, len(w) - 1)))
        else:
            toks.append(w)
    return {f"{a} {b}" for a, b in zip(toks, toks[1:])}


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
        pairs: set[tuple[str, str]] = set()

        def rows() -> Iterator[tuple]:
            for u in units:
                pairs.add((u.srclang, u.tgtlang))
                yield (u.srclang, u.tgtlang, u.source, u.target, u.context, u.origin, u.note, len(u.source))

        with db:
            db.executemany(
                "INSERT OR IGNORE INTO units (srclang, tgtlang, source, target, context, origin, note, len) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows())
            added = db.total_changes - before
            if added:
                for src, tgt in sorted(pairs):
                    self._reindex(db, src, tgt)
        return added

    def _reindex(self, db: sqlite3.Connection, src: str, tgt: str) -> None:
        """The shingle index of one language pair, built again from its units."""
        post: dict[str, array] = {}
        for uid, source in db.execute("SELECT id, source FROM units WHERE srclang = ? AND tgtlang = ?", (src, tgt)):
            for g in shingles(source):
                ids = post.get(g)
                if ids is None:
                    post[g] = ids = array("q")
                ids.append(uid)
        db.execute("DELETE FROM shingles WHERE srclang = ? AND tgtlang = ?", (src, tgt))
        db.executemany("INSERT INTO shingles (srclang, tgtlang, shingle, df, ids) VALUES (?, ?, ?, ?, ?)",
                       ((src, tgt, g, len(ids), ids.tobytes()) for g, ids in post.items()))

    def similar_ids(self, srclang: str, tgtlang: str, text: str, *, rarest: int = RAREST) -> list[int] | None:
        """Ids of the units sharing one of ``text``'s ``rarest`` rarest shingles, sorted; None
        when ``text`` has no shingle the memory knows (a one-word text)."""
        db = self._open(create=False)
        if db is None:
            return []
        grams = sorted(shingles(text))
        if not grams:
            return None
        known: list[tuple[int, str]] = []
        for i in range(0, len(grams), 500):
            part = grams[i:i + 500]
            known.extend(db.execute(
                f"SELECT df, shingle FROM shingles WHERE srclang = ? AND tgtlang = ? AND shingle IN "
                f"({','.join('?' * len(part))})", (srclang, tgtlang, *part)))
        if not known:
            return None
        ids: set[int] = set()
        for _, g in sorted(known)[:rarest]:
            blob = db.execute("SELECT ids FROM shingles WHERE srclang = ? AND tgtlang = ? AND shingle = ?",
                              (srclang, tgtlang, g)).fetchone()[0]
            ids.update(array("q", blob))
        return sorted(ids)

    def sources(self, srclang: str, tgtlang: str) -> dict[int, str]:
        """{id: source text} of one language pair (read once for a long list of lookups)."""
        db = self._open(create=False)
        if db is None:
            return {}
        return dict(db.execute("SELECT id, source FROM units WHERE srclang = ? AND tgtlang = ?", (srclang, tgtlang)))

    def by_ids(self, ids: Sequence[int]) -> list[TMUnit]:
        """The units with these ids, in the order given."""
        db = self._open(create=False)
        if db is None:
            return []
        got: dict[int, TMUnit] = {}
        for i in range(0, len(ids), 900):
            part = list(ids[i:i + 900])
            for r in db.execute("SELECT id, srclang, tgtlang, source, target, context, origin, note FROM units "
                                f"WHERE id IN ({','.join('?' * len(part))})", part):
                got[r[0]] = TMUnit(*r[1:])
        return [got[i] for i in ids if i in got]

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
