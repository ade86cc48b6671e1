"""Entry findings remembered by content, so a catalog is checked again only where it changed.

An entry rule sees nothing but the entry's msgid, msgstr, locales, fuzzy flag and
the codes it opts out of, plus the glossary and the rules' own code and data. So
the findings of an entry are a pure function of those, and ``l10n check`` and the
check gate of ``compile``/``build`` keep them: the next run looks each entry up by
a digest of its content and runs the rules only on entries it has not seen (and
loads no glossary when there are none). Linters do the same (ruff and ESLint cache
results by file content and settings); here the unit is the entry, because a
translator's session or an edited page changes a few entries of a catalog.

The key is derived, never bumped by hand:

* the **run**: a digest of the source and data files of the code the rules use (the
  size and modification time of each, as the glossary cache stamps its reader)
  (``l10n/checks``, ``l10n/dosing``, ``l10n/drugs``, ``l10n/glossary``, the markup
  syntax, the model and the locale table), the files of the drug lexicon's package
  and of OpenCC (GL006's script tables), Python's version, the glossary's
  path and bytes, and the rule selection. Any of them changed: another key, so a
  stale finding is never served;
* the **entry**: a BLAKE2b digest of source and target locale, msgctxt, msgid,
  msgstr, flags and translator comments.

A finding is stored without what the entry gives back (file, line, msgid, msgstr,
locale), so a moved or renamed entry is still a hit. Entries on which a rule
crashed are not stored. The store is SQLite (``.l10n-cache/check/findings.sqlite``):
a run reads only the keys of the entries it has, writes only the new ones, and
forked workers of a build write theirs through their own connection. Rows of
runs other than the ``KEEP_RUNS`` most recent are deleted. A store that cannot be
opened or read is treated as empty, one that cannot be written is skipped: the
cache may only ever save time::

    cache = FindingsCache.for_glossary(cache_dir, glossary_path, select, ignore)
    found, todo = cache.recall(po_entries, path, source, target)   # findings it knows; entries it does not
    cache.learn(check(todo))                                       # their findings, remembered
    cache.save()
"""
from __future__ import annotations

import functools
import hashlib
import marshal
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import Iterable, Sequence

from l10n.model import Finding, Severity

__all__ = ["FindingsCache", "code_digest", "digest_files", "entry_key", "rehydrate", "selection", "KEEP_RUNS"]

_FORMAT = 2
_FOLDER = "check"
_FILE = "findings.sqlite"
KEEP_RUNS = 6               # run keys (glossary x rule selection x code) whose rows are kept
_BATCH = 500                # keys per SELECT

_PACKAGES = ("checks", "dosing", "drugs", "glossary")
_MODULES = ("markup.py", "model.py", "locales.py")
_DATA = (".py", ".toml", ".json", ".txt")
_PACKAGES_USED = ("drug_named_entity_recognition", "opencc")   # the drug lexicon's data; GL006's script tables

_SEVERITY = {s.value: s for s in Severity}


def digest_files() -> list[Path]:
    """The source and data files whose content is part of :func:`code_digest`."""
    root = Path(__file__).resolve().parent          # the l10n package
    files: list[Path] = []
    for pkg in _PACKAGES:
        for dirpath, dirnames, filenames in os.walk(root / pkg):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            files.extend(Path(dirpath) / n for n in sorted(filenames) if n.endswith(_DATA))
    files.extend(root / m for m in _MODULES)
    return files


@functools.cache
def code_digest() -> str:
    """A digest of everything an entry rule's result depends on besides the entry and the glossary."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256(f"{_FORMAT}|{sys.version}".encode())
    for p in digest_files():          # each file's size and mtime, as the glossary cache stamps its reader
        try:
            st = p.stat()
            h.update(f"{p.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        except OSError:
            h.update(b"?")
    import importlib.util

    for name in _PACKAGES_USED:      # their files' sizes and mtimes (importlib.metadata's version() takes 20 ms)
        try:
            spec = importlib.util.find_spec(name)
            folder = Path(spec.origin).parent if spec is not None and spec.origin else None
        except (ImportError, ValueError):
            folder = None
        if folder is None:
            h.update(f"{name}=-\0".encode())       # not installed (an empty lexicon): part of the key too
            continue
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.is_file():
                st = entry.stat()
                h.update(f"{name}/{entry.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


def selection(select: Iterable[str] | None, ignore: Iterable[str] | None) -> str:
    """The rule selection as part of a key: the codes named, upper-cased and sorted (a selection written
    another way is another key, which costs a check, never a wrong finding)."""
    def codes(items: Iterable[str] | None) -> str:
        return ",".join(sorted({c.upper() for item in items or () for c in str(item).replace(",", " ").split()}))
    return f"select={codes(select)};ignore={codes(ignore)}"


def entry_key(source: str, target: str, msgctxt: str | None, msgid: str, msgstr: str,
              flags: Sequence[str], comments: str | Sequence[str] | None) -> bytes:
    """The digest of what an entry rule can see of one entry."""
    if comments and not isinstance(comments, str):
        comments = "\n".join(comments)
    text = "\x1f".join((source, target, "\x04" if msgctxt is None else msgctxt, msgid, msgstr,
                        ",".join(sorted(flags)), comments or ""))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _run_key(glossary_path: str, glossary_bytes: bytes, rules: str) -> str:
    h = hashlib.sha256(code_digest().encode())
    h.update(b"\0" + rules.encode() + b"\0")
    h.update(glossary_path.encode("utf-8", "surrogateescape") + b"\0")
    h.update(glossary_bytes)
    return h.hexdigest()[:32]


class FindingsCache:
    """The stored findings of one glossary and rule selection (see the module's docstring)."""

    def __init__(self, path: Path | None, run: str) -> None:
        self.path = path
        self.run = run
        self._new: list[tuple[str, bytes, bytes]] = []
        self._seen: list[Path] = []
        self._asked: dict[tuple[str, int], bytes] = {}
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        self.known = False          # an earlier run stored findings for this run key (its glossary loaded then)
        self.hits = 0
        if path is not None:
            for attempt in (1, 2):
                try:
                    self.known = self._db().execute("SELECT 1 FROM runs WHERE run = ?", (run,)).fetchone() is not None
                    break
                except (sqlite3.Error, OSError):
                    self._conn = None
                    if attempt == 2 or not _remove(path):   # not a database: start a new one, once
                        self.path = None
                        break

    @classmethod
    def for_glossary(cls, cache_dir: str | Path | None, glossary_path: str | Path, select: Iterable[str] | None,
                     ignore: Iterable[str] | None) -> FindingsCache | None:
        """:meth:`open` for the glossary file at ``glossary_path`` and this rule selection; None without a
        cache folder or when the glossary cannot be read (whoever loads it reports that, in its order)."""
        if cache_dir is None:
            return None
        try:
            raw = Path(glossary_path).read_bytes()
        except OSError:
            return None
        return cls.open(cache_dir, glossary_path, raw, selection(select, ignore))

    @classmethod
    def open(cls, cache_dir: str | Path | None, glossary_path: str | Path, glossary_bytes: bytes,
             rules: str) -> FindingsCache:
        """The cache of this glossary (path and content) and rule selection (:func:`selection`).

        ``cache_dir`` None: a cache that remembers nothing across runs."""
        run = _run_key(os.path.abspath(glossary_path), glossary_bytes, rules)   # however the path was written
        return cls(Path(cache_dir) / _FOLDER / _FILE if cache_dir is not None else None, run)

    key = staticmethod(entry_key)

    @property
    def unsaved(self) -> int:
        """Entries put since the last save."""
        return len(self._new)

    @property
    def unknown(self) -> int:
        """Entries :meth:`recall` did not know and :meth:`learn` has not been told about yet."""
        return len(self._asked)

    def recall(self, entries: Sequence, path: str, source: str, target: str) -> tuple[list[Finding], list]:
        """(the findings of the polib ``entries`` it knows, given back their file and line; the entries it
        does not know). The keys of the latter wait, by file and line, for :meth:`learn`."""
        keys = [entry_key(source, target, e.msgctxt, e.msgid, e.msgstr, e.flags, e.tcomment) for e in entries]
        known = self.lookup(keys)
        found: list[Finding] = []
        todo = []
        for e, k in zip(entries, keys):
            got = known.get(k)
            if got is None:
                todo.append(e)
                self._asked[(path, e.linenum or 0)] = k
            elif got:
                found.extend(rehydrate(got, path, e.linenum or 0, e.msgid, e.msgstr, target))
        return found, todo

    def learn(self, findings: Iterable[Finding]) -> None:
        """Remember the findings of the entries :meth:`recall` did not know (checked now; none is an
        answer too): ``findings`` holds every finding of those entries, matched to them by file and line."""
        by_entry: dict[tuple[str, int], list[Finding]] = {}
        for f in findings:
            by_entry.setdefault((f.path, f.line), []).append(f)
        asked, self._asked = self._asked, {}
        for where, k in asked.items():
            self.put(k, by_entry.get(where, ()))

    def _db(self) -> sqlite3.Connection:
        """This process's connection (a forked worker opens its own)."""
        if self._conn is None or self._pid != os.getpid():
            assert self.path is not None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("CREATE TABLE IF NOT EXISTS findings (run TEXT, key BLOB, rows BLOB, "
                         "PRIMARY KEY (run, key)) WITHOUT ROWID")
            conn.execute("CREATE TABLE IF NOT EXISTS runs (run TEXT PRIMARY KEY, used REAL)")
            conn.execute("CREATE TABLE IF NOT EXISTS files (run TEXT, path TEXT, sig BLOB, PRIMARY KEY (run, path)) "
                         "WITHOUT ROWID")
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def lookup(self, keys: Sequence[bytes]) -> dict[bytes, tuple]:
        """{key: stored findings (a tuple, maybe empty)} of the given keys that the cache knows."""
        if self.path is None or not self.known or not keys:
            return {}
        out: dict[bytes, tuple] = {}
        try:
            db = self._db()
            for i in range(0, len(keys), _BATCH):
                chunk = keys[i:i + _BATCH]
                q = f"SELECT key, rows FROM findings WHERE run = ? AND key IN ({','.join('?' * len(chunk))})"
                for k, rows in db.execute(q, (self.run, *chunk)):
                    out[k] = marshal.loads(rows)
        except (sqlite3.Error, OSError, ValueError, EOFError, TypeError):
            return {}
        self.hits += len(out)
        return out

    def unchanged(self, paths: Sequence[Path]) -> bool:
        """Whether every file in ``paths`` has the size and modification time it had when a run of
        this key last saw it (:meth:`saw`): a hint that all its entries are known, nothing more."""
        if self.path is None or not self.known or not paths:
            return False
        try:
            q = f"SELECT path, sig FROM files WHERE run = ? AND path IN ({','.join('?' * len(paths))})"
            got = dict(self._db().execute(q, (self.run, *map(str, paths))).fetchall())
        except (sqlite3.Error, OSError):
            return False
        return len(got) == len(paths) and all(got.get(str(p)) == _sig(p) for p in paths)

    def saw(self, paths: Sequence[Path]) -> None:
        """Note the size and modification time of the files this run checked (for :meth:`unchanged`)."""
        self._seen.extend(paths)

    def put(self, key: bytes, findings: Iterable[Finding]) -> None:
        """Remember an entry's findings (not stored if a rule crashed on it)."""
        rows = []
        for f in findings:
            if f.message.startswith("internal error in rule"):
                return
            rows.append((f.code, f.severity.value, f.message, f.term, f.extra))
        self._new.append((self.run, key, marshal.dumps(tuple(rows))))

    def save(self) -> None:
        """Write what this process put since the last save; keep the rows of the KEEP_RUNS most recent runs."""
        if self.path is None or not (self._new or self._seen):
            return
        new, self._new = self._new, []
        seen, self._seen = self._seen, []
        try:
            db = self._db()
            db.execute("BEGIN")
            db.executemany("INSERT OR REPLACE INTO findings VALUES (?, ?, ?)", new)
            db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?)",
                           [(self.run, str(p), _sig(p)) for p in seen])
            db.execute("INSERT OR REPLACE INTO runs VALUES (?, ?)", (self.run, time.time()))
            old = [r for (r,) in db.execute("SELECT run FROM runs ORDER BY used DESC LIMIT -1 OFFSET ?",
                                            (KEEP_RUNS,))]
            for r in old:
                db.execute("DELETE FROM findings WHERE run = ?", (r,))
                db.execute("DELETE FROM files WHERE run = ?", (r,))
                db.execute("DELETE FROM runs WHERE run = ?", (r,))
            db.execute("COMMIT")
            self.known = True
        except (sqlite3.Error, OSError):
            try:
                self._db().execute("ROLLBACK")
            except (sqlite3.Error, OSError):
                pass


def _sig(path: Path) -> bytes | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return marshal.dumps((st.st_size, st.st_mtime_ns))


def _remove(path: Path) -> bool:
    try:
        for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if p.exists():
                p.unlink()
        return True
    except OSError:
        return False


def rehydrate(rows: tuple, path: str, line: int, msgid: str, msgstr: str, locale: str) -> list[Finding]:
    """The findings stored for an entry, given back the entry's file, line, texts and locale."""
    return [Finding(code=code, severity=_SEVERITY[sev], path=path, line=line, message=message, msgid=msgid,
                    msgstr=msgstr, term=term, locale=locale, extra=extra)
            for code, sev, message, term, extra in rows]
