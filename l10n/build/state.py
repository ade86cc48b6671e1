"""The build state: what the last build read and made, in SQLite (one job; the scans of the
project's folders that tell what changed since are :mod:`l10n.build.scan`)."""
from __future__ import annotations

import fnmatch
import hashlib
import marshal
import mmap
import os
import sqlite3
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, NamedTuple

from .. import __version__

if TYPE_CHECKING:
    from ..config import Config

FORMAT = f"{__version__}-incremental-1"      # what the caches hold; l10n's own code is in every build's context
BLOBS = ("head", "dirs", "inputs", "sigs", "pages", "domains", "rows", "vals")     # what every build has
STATE_FORMAT = f"{FORMAT}-state-6"     # bump when what state.sqlite holds changes


# -- the rows (stored as plain tuples: marshal takes no subclass; read back through these) ----------

class PageRow(NamedTuple):
    """A row of the ``page`` table: a page as the last build read it."""
    sig: tuple | None             # the file's signature when it was read
    key: str                      # its skeleton's cache key (l10n.pages.skeleton_key)
    lang: str                     # its <html lang>
    locale: str                   # its source locale


class TemplateRow(NamedTuple):
    """A row of the ``cat`` table for a ``.pot``."""
    sig: tuple | None


class CatalogRow(NamedTuple):
    """A row of the ``cat`` table for a ``.po``: what its last compile read and made."""
    sig: tuple | None
    sha1: str
    stats: tuple                  # l10n.catalogs.Stats as a tuple
    errors: tuple
    mo_sig: tuple | None
    held: tuple                   # l10n.gate.HeldBack rows as tuples


def cat_row(path: str, row: tuple) -> TemplateRow | CatalogRow | None:
    """A ``cat`` row read back by name (None: not a row of that kind, e.g. of an older format)."""
    if path.endswith(".pot"):
        return TemplateRow(row[0]) if len(row) >= 1 else None
    return CatalogRow._make(row) if len(row) == len(CatalogRow._fields) else None


class FileRec(NamedTuple):
    """A template or catalog as the build knows it (the full build's working copy)."""
    sig: tuple | None
    sha1: str                     # "" for a template (only its signature counts)


class CompiledRec(NamedTuple):
    """A catalog's last compile (the full build's working copy)."""
    stats: Any                    # l10n.catalogs.Stats
    errors: tuple
    mo_sig: tuple | None
    held: tuple


@dataclass
class Manifest:
    ctx: str = ""
    pages: dict[str, PageRow] = field(default_factory=dict)           # rel -> PageRow
    files: dict[str, FileRec] = field(default_factory=dict)           # .pot/.po path -> FileRec
    update: dict = field(default_factory=dict)     # (domain, locale) -> Stats of the merged catalog
    compiled: dict[str, CompiledRec] = field(default_factory=dict)    # .po path -> CompiledRec
    comp_token: str = ""                            # the compendium database this goes with


def code_sig() -> tuple:
    """l10n's own source files: a changed renderer must not pass for a no-op. (The whole package:
    this module is in ``l10n/build/``, and the renderer, the site and the rules are not.)"""
    here = Path(__file__).parent.parent
    out = []
    for d, _dirs, files in os.walk(here):
        for name in sorted(files):
            if name.endswith(".py"):
                p = os.path.join(d, name)
                try:
                    st = os.stat(p)
                    out.append((p, st.st_mtime_ns, st.st_size))
                except OSError:
                    pass
    return tuple(sorted(out))


# -- the state ----------------------------------------------------------------------------------

TABLES = ("page", "cat", "upd", "ren")
_FIXED = ("inputs", "pages", "domains", "rows")       # blobs written only by a full build, in the side file
_KEPT_ENCODED = ("pages", "rows")       # decoded when first read (Blobs): a no-op build reads neither
_PAGE = 16384           # SQLite's page: the blobs every build reads and writes load 3x faster than with 4 KB


class Encoded:
    """A blob still as marshal wrote it, in the side file (:class:`Blobs` decodes it when first read)."""

    __slots__ = ("data",)

    def __init__(self, data: memoryview):
        self.data = data


class Blobs(dict):
    """The blobs of the state by name (:meth:`Store.blobs`), those kept :class:`Encoded` decoded
    when first read: the page list and the report's strings are megabytes that only a build that
    changes something reads."""

    def __getitem__(self, k: str) -> Any:
        v = super().__getitem__(k)
        if type(v) is Encoded:
            v = marshal.loads(v.data)
            self[k] = v
        return v

    def get(self, k: str, default: Any = None) -> Any:
        return self[k] if k in self else default


def pack_side(token: str, blobs: dict[str, Any]) -> bytes:
    """The side file: its header's length (4 bytes), the header (the token, and where each blob's
    bytes are), then each blob in marshal's bytes, so that a reader decodes only the ones it reads."""
    parts = [marshal.dumps(v) for v in blobs.values()]
    where, at = {}, 0
    for k, b in zip(blobs, parts):
        where[k] = (at, len(b))
        at += len(b)
    head = marshal.dumps((token, where))
    return b"".join([struct.pack("<I", len(head)), head, *parts])


def unpack_side(data: "bytes | mmap.mmap") -> tuple[str, dict[str, memoryview]]:
    """(the token, each blob's bytes) of a side file (:func:`pack_side`)."""
    n = struct.unpack_from("<I", data)[0]
    token, where = marshal.loads(data[4:4 + n])
    view = memoryview(data)
    base = 4 + n
    if base + sum(ln for _at, ln in where.values()) > len(data):
        raise ValueError("side file cut short")
    return token, {k: view[base + at:base + at + ln] for k, (at, ln) in where.items()}


class Store:
    """``state.sqlite``: rows (marshal blobs) in ``page`` (rel -> (sig, skeleton key, lang,
    locale)), ``cat`` (.pot -> (sig,); .po -> (sig, sha1, stats, errors, .mo sig)), ``upd``
    (domain NUL locale -> stats), ``ren`` (page NUL locale -> RenderRec), ``line`` (each
    locale index's lines) and ``meta`` (the blobs every build reads). Changes are kept here
    and written in one transaction by :meth:`commit`. A file SQLite cannot read is removed
    and the state starts empty."""

    def __init__(self, path: Path):
        self.path = path
        self.fixed_path = path.with_suffix(".blobs")
        self.db = self._open()
        self.puts: dict[str, dict[str, Any]] = {t: {} for t in TABLES}
        self.cleared: set[str] = set()
        self.line_puts: dict[tuple[str, str], tuple[int, bytes]] = {}
        self.lines_cleared = False

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return open_or_replace(str(self.path), self._connect)

    def _connect(self, db: sqlite3.Connection) -> sqlite3.Connection:
        db.execute(f"PRAGMA page_size={_PAGE}")     # for a new file: blobs of megabytes
        if db.execute("PRAGMA page_size").fetchone()[0] != _PAGE:
            raise sqlite3.DatabaseError("page size")
        db.execute("PRAGMA journal_mode=WAL")      # a killed build leaves the last state whole
        db.execute("PRAGMA synchronous=OFF")       # a cache: a power cut may cost a full build
        for t in TABLES:
            db.execute(f"CREATE TABLE IF NOT EXISTS {t} (k TEXT PRIMARY KEY, v BLOB)")
        db.execute("CREATE TABLE IF NOT EXISTS line (loc TEXT, output TEXT, published INTEGER, html BLOB, "
                   "PRIMARY KEY (loc, output))")
        db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v BLOB)")
        db.execute("SELECT count(*) FROM meta").fetchone()
        return db

    def close(self) -> None:
        self.db.close()

    def blobs(self) -> dict[str, Any]:
        """Every blob of ``meta``, and those of the side file (:meth:`commit`), as :class:`Blobs`; {}
        when one is unreadable or the side file is not the one ``meta`` goes with (the state is then
        not trusted)."""
        out = Blobs()
        try:
            for k, v in self.db.execute("SELECT k, v FROM meta"):
                out[k] = marshal.loads(v)
            head = out.get("head")
            if isinstance(head, dict) and "fixed" in head:
                with open(self.fixed_path, "rb") as f:      # mapped: the blobs not read are not read
                    token, fixed = unpack_side(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))
                if token != head["fixed"]:
                    return {}
                for k, v in fixed.items():
                    out[k] = Encoded(v) if k in _KEPT_ENCODED else marshal.loads(v)
        except (OSError, sqlite3.DatabaseError, ValueError, EOFError, TypeError, struct.error):
            return {}
        return out

    def get(self, table: str, keys: Iterable[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        keys = list(dict.fromkeys(keys))
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            q = f"SELECT k, v FROM {table} WHERE k IN ({','.join('?' * len(chunk))})"
            for k, v in self.db.execute(q, chunk):
                try:
                    out[k] = marshal.loads(v)
                except (ValueError, EOFError, TypeError):    # a broken row is a missing row
                    pass
        return out

    def all(self, table: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        loads = marshal.loads
        for k, v in self.db.execute(f"SELECT k, v FROM {table}"):
            try:
                out[k] = loads(v)
            except (ValueError, EOFError, TypeError):
                pass
        return out

    def count(self, table: str) -> int:
        return self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def put(self, table: str, key: str, value: Any) -> None:
        self.puts[table][key] = value

    def delete(self, table: str, key: str) -> None:
        self.puts[table][key] = None

    def clear(self, table: str) -> None:
        self.cleared.add(table)
        self.puts[table].clear()

    def lines(self, loc: str) -> list[tuple[str, int, bytes]]:
        """(site path, published, line in UTF-8) of ``loc``'s index, in the index's order (by site
        path: SQLite compares UTF-8 bytes, which sorts as Python sorts the strings)."""
        return self.db.execute("SELECT output, published, html FROM line WHERE loc=? ORDER BY output",
                               (loc,)).fetchall()

    def some_lines(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, bytes]]:
        return {(k[0], k[1]): r for k in keys
                for r in self.db.execute("SELECT published, html FROM line WHERE loc=? AND output=?", k)}

    def put_line(self, loc: str, output: str, published: bool, html: bytes) -> None:
        self.line_puts[(loc, output)] = (int(published), html)

    def clear_lines(self) -> None:
        self.lines_cleared = True
        self.line_puts.clear()

    def commit(self, blobs: dict[str, Any], *, all_blobs: bool = False) -> None:
        """Write the changes and ``blobs`` (with ``all_blobs``, the only blobs left). The big
        blobs that change only with the pages and catalogs (``_FIXED``) go to a side file, mapped
        and each blob decoded only when read (SQLite reads a blob of megabytes page by page, 3-5
        times slower; :func:`pack_side`), named by a
        token in ``head``: written first, so a build killed between the two leaves a token
        that does not match, and the next build plans in full."""
        from ..fsutil import atomic_write
        db = self.db
        dumps = marshal.dumps
        fixed = {k: blobs.pop(k) for k in _FIXED if k in blobs}
        if fixed:
            token = os.urandom(16).hex()        # (not uuid: its import costs a no-op build 10 ms)
            atomic_write(self.fixed_path, pack_side(token, fixed), durable=False)
            blobs["head"] = dict(blobs["head"], fixed=token)
        db.execute("BEGIN")
        try:
            for t in self.cleared:
                db.execute(f"DELETE FROM {t}")
            for t, d in self.puts.items():
                gone = [(k,) for k, v in d.items() if v is None]
                if gone:
                    db.executemany(f"DELETE FROM {t} WHERE k=?", gone)
                db.executemany(f"INSERT OR REPLACE INTO {t} VALUES (?, ?)",      # a named row as a tuple
                               [(k, dumps(tuple(v) if isinstance(v, tuple) else v)) for k, v in d.items()
                                if v is not None])
            if self.lines_cleared:
                db.execute("DELETE FROM line")
            db.executemany("INSERT OR REPLACE INTO line VALUES (?, ?, ?, ?)",
                           [(loc, out, p, h) for (loc, out), (p, h) in self.line_puts.items()])
            if all_blobs:
                db.execute("DELETE FROM meta")
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                           [(k, dumps(v)) for k, v in blobs.items()])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def reset(self) -> None:
        """Drop the changes not committed."""
        self.puts = {t: {} for t in TABLES}
        self.cleared = set()
        self.line_puts = {}
        self.lines_cleared = False


def key2(a: str, b: str) -> str:
    return f"{a}\x00{b}"


def split2(k: str) -> tuple[str, str]:
    a, _, b = k.partition("\x00")
    return a, b


# -- helpers ---------------------------------------------------------------------------------

def catalog_paths(cfg: "Config") -> list[str]:
    """[str(p) for p in project.iter_catalog_paths(cfg)], with scandir."""
    out: list[str] = []
    if not cfg.locales_dir.is_dir():
        return out
    for d in sorted(cfg.locales_dir.iterdir()):
        lc = d / "LC_MESSAGES"
        if d.name == "templates" or not lc.is_dir() or d.name not in cfg.locales:   # (l10n.prune)
            continue
        with os.scandir(lc) as it:
            names = sorted(e.name for e in it if fnmatch.fnmatchcase(e.name, "*.po"))
        top = str(lc)
        out.extend(f"{top}/{n}" for n in names)
    return out


def locale_and_name(po: str) -> tuple[str, str]:
    """(locale, file name) of locales/<locale>/LC_MESSAGES/<name>.po."""
    head, name = os.path.split(po)
    return os.path.basename(os.path.dirname(head)), name


class Paths:
    """cfg.pot_path / cfg.po_path as strings (a Path a file is slow at 10,000 pages)."""

    def __init__(self, cfg: "Config"):
        self.tpl = str(cfg.templates_dir)
        self.cfg = cfg
        self.lc: dict[str, str] = {}

    def pot(self, domain: str) -> str:
        return f"{self.tpl}/{domain}.pot"

    def po(self, locale: str, domain: str) -> str:
        d = self.lc.get(locale)
        if d is None:
            d = self.lc[locale] = str(self.cfg.locales_dir / locale / "LC_MESSAGES")
        return f"{d}/{domain}.po"


def sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()



def open_compendium_with_token(path: Path) -> tuple[sqlite3.Connection, str | None]:
    """The compendium database and the token of the state it goes with (None: a new one;
    a file SQLite cannot read is replaced, and rebuilt from every catalog)."""
    token: list[str | None] = [None]

    def setup(db: sqlite3.Connection) -> sqlite3.Connection:
        db.execute("CREATE TABLE IF NOT EXISTS meta (token TEXT)")
        row = db.execute("SELECT token FROM meta").fetchone()
        token[0] = row[0] if row else None
        return db

    db = open_or_replace(str(path), setup, connect=lambda p: open_compendium(Path(p)))
    return db, token[0]


def open_or_replace(path: str, setup: Callable[[sqlite3.Connection], sqlite3.Connection], *,
                     connect: Callable[[str], sqlite3.Connection] | None = None) -> sqlite3.Connection:
    """``setup(connect(path))``; a file SQLite cannot read (a cache, never the only copy of
    anything) is deleted with its journals and opened once more, empty."""
    for attempt in range(2):
        db = None
        try:
            db = connect(path) if connect else sqlite3.connect(path, isolation_level=None)
            return setup(db)
        except sqlite3.DatabaseError:
            if db is not None:
                db.close()
            if attempt:
                raise
            for suffix in ("", "-journal", "-wal", "-shm"):
                try:
                    os.unlink(f"{path}{suffix}")
                except FileNotFoundError:
                    pass
    raise AssertionError("unreachable")  # pragma: no cover


def put_changed(store: Store, table: str, old: dict, new: dict) -> None:
    for k, v in new.items():
        if old.get(k) != v:
            store.put(table, k, v)
    for k in old:
        if k not in new:
            store.delete(table, k)


def needs_compile(man: Manifest, po: str, parsed: dict, S: Callable) -> bool:
    k = po
    if k in parsed or k not in man.compiled or k not in man.files:
        return True
    if man.files[k].sig != S(po):
        return True
    return not same_sig(man.compiled[k].mo_sig, S(k[:-3] + ".mo"))


def same_sig(recorded: tuple | None, now: tuple | None) -> bool:
    """A file is as recorded: same signature, or (a product the scan only saw) still there."""
    if now == ():
        return recorded is not None
    return recorded == now


def cfg_digest(cfg: "Config", *extra: object) -> str:
    from dataclasses import asdict
    d = asdict(cfg)
    for run_only in ("pyproject", "tm_off", "tm_min_score"):
        d.pop(run_only, None)
    return hashlib.sha256(repr((FORMAT, sorted(d.items(), key=lambda kv: kv[0]), extra)).encode()).hexdigest()



class FastRel:
    """cfg.rel(p) for many paths: each folder resolved once, not every file."""

    def __init__(self, cfg: "Config"):
        self.cfg = cfg
        self.root = str(cfg.root)
        self.dirs: dict[str, str] = {}

    def __call__(self, p: str | Path) -> str:
        sp = str(p)
        d, name = os.path.split(sp)
        if not d or name in ("", ".", "..") or os.path.islink(sp):
            return self.cfg.rel(Path(p))
        real = self.dirs.get(d)
        if real is None:
            real = self.dirs[d] = os.path.realpath(d)
        full = os.path.join(real, name)
        if full == self.root:
            return "."
        if full.startswith(self.root + os.sep):
            return full[len(self.root) + 1:].replace(os.sep, "/")
        return self.cfg.rel(Path(p))



# -- the compendium, kept in SQLite ------------------------------------------------------------

class Compendium(Mapping):
    """``{(msgctxt, msgid): msgstr}`` across one locale's catalogs, first catalog (by name) wins,
    as project._compendium builds it; looked up, never loaded whole."""

    def __init__(self, db: sqlite3.Connection, locale: str):
        self.db, self.locale = db, locale
        self._any: bool | None = None

    def _get(self, key: tuple) -> str | None:
        ctx, msgid = key
        row = self.db.execute("SELECT msgstr FROM comp WHERE locale=? AND ctx=? AND msgid=? "
                              "ORDER BY name LIMIT 1", (self.locale, "" if ctx is None else "\x01" + ctx,
                                                        msgid)).fetchone()
        return None if row is None else row[0]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and self._get(key) is not None

    def __getitem__(self, key: tuple) -> str:
        v = self._get(key)
        if v is None:
            raise KeyError(key)
        return v

    def __bool__(self) -> bool:
        if self._any is None:
            self._any = self.db.execute("SELECT 1 FROM comp WHERE locale=? LIMIT 1", (self.locale,)).fetchone() \
                is not None
        return self._any

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM comp WHERE locale=?", (self.locale,)).fetchone()[0]

    def __iter__(self) -> Iterator:
        raise TypeError("the compendium is looked up, not listed")


def compendium_rows(po) -> list[tuple[str, str, str]]:
    """The (ctx, msgid, msgstr) a catalog gives the compendium (project._compendium's rule)."""
    seen: set = set()
    out = []
    for e in po:
        if not e.obsolete and e.msgstr and "fuzzy" not in e.flags and not e.msgid_plural:
            k = ("" if e.msgctxt is None else "\x01" + e.msgctxt, e.msgid)
            if k not in seen:
                seen.add(k)
                out.append((k[0], k[1], e.msgstr))
    return out


def open_compendium(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path))
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("CREATE TABLE IF NOT EXISTS comp (locale TEXT, name TEXT, ctx TEXT, msgid TEXT, msgstr TEXT)")
    db.execute("CREATE INDEX IF NOT EXISTS comp_key ON comp (locale, msgid, ctx, name)")
    db.execute("CREATE INDEX IF NOT EXISTS comp_name ON comp (locale, name)")
    return db


def set_rows(db: sqlite3.Connection, locale: str, name: str, rows: list[tuple[str, str, str]] | None) -> None:
    db.execute("DELETE FROM comp WHERE locale=? AND name=?", (locale, name))
    if rows:
        db.executemany("INSERT INTO comp VALUES (?, ?, ?, ?, ?)", [(locale, name, c, m, s) for c, m, s in rows])


def update_rows(db: sqlite3.Connection, locale: str, name: str, rows: list[tuple[str, str, str]] | None) -> None:
    """:func:`set_rows` for a catalog the compendium already holds: its rows read (one range of the
    ``(locale, name)`` index) and only those that differ deleted or inserted. An edit changes a few
    of a catalog's rows; deleting and inserting all fifty touches fifty places of the big
    ``(locale, msgid)`` index, pages that a machine short of memory must read from disk first."""
    have = set(db.execute("SELECT ctx, msgid, msgstr FROM comp WHERE locale=? AND name=?", (locale, name)))
    want = set(rows or ())
    gone = have - want
    if gone:
        db.executemany("DELETE FROM comp WHERE locale=? AND msgid=? AND ctx=? AND name=? AND msgstr=?",
                       [(locale, m, c, name, s) for c, m, s in gone])
    new = want - have
    if new:
        db.executemany("INSERT INTO comp VALUES (?, ?, ?, ?, ?)", [(locale, name, c, m, s) for c, m, s in new])


