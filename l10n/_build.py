"""The incremental build: :func:`l10n.project.build`'s four stages over what changed.

``project.build_full`` is the reference (every stage over every page);
tests/test_incremental.py holds the two to the same files and the same report
through edits of pages, catalogs and settings, deletions and additions.

What is redone, and why that is enough:

* a page is re-read only when its file signature (mtime, size, inode, ctime)
  changed, and re-parsed only when its content did (its skeleton key);
* a template is rebuilt when its page changed, its file is gone, or a catalog
  of its page must be merged again (the merge needs the template);
* a catalog is merged again when its template or its own content changed
  (merging an unchanged template into its own last output changes nothing:
  every msgid of the template is already in it, so no fuzzy match and no
  compendium lookup happens); the compendium is an SQLite index kept up to date;
* a ``.mo`` is compiled again when its catalog changed or it is gone;
* a page version is rendered again when its inputs changed (see
  :func:`l10n.incremental.render_pages`), and a locale index when one of its
  lines did (each line is kept; the index is their join).

**The state** (``.l10n-cache/build/state.sqlite``, written in one transaction at
the end of a build, so it is never half new): per-page, per-catalog and
per-version rows (signatures, content hashes, statistics, render records, index
lines), and a few blobs every build reads: the **listing** (every folder under the
source, locales and output folders with its entries' names, and the signature of
every *input*: pages, catalogs, assets, other files; build products -- templates,
``.mo`` files, the site -- count by name only), the report's rows (as columns:
what a build patches is a few arrays) and the site's page list. The blobs only a
full build changes live in ``state.blobs`` beside it, tied to the database by a
token (:meth:`Store.commit`).

**A build** lists the folders it knows and stats the inputs (one pass, no walk)
and compares with the listing:

* nothing changed: the last report, without reading anything else;
* only inputs changed and products went missing (the everyday case): the
  *delta* build reads the rows of what changed, redoes only that, and patches
  the report rows, the statuses, the index lines;
* anything else (a page or catalog added or removed, a new file or folder
  anywhere, the settings or l10n's own code changed, the state lost or
  unreadable, the compendium out of step): the *full* build plans over every
  page and catalog with the same rules, from whatever rows are still valid
  (each row carries the signature or key it was made from).
"""
from __future__ import annotations

import fnmatch
import hashlib
import marshal
import operator
import os
import sqlite3
import uuid
from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from itertools import compress, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from . import catalogs as cat
from .gate import HeldBack, open_gate
from .incremental import (FORMAT, Compendium, FastRel, LazySkeleton, RenderCache, RenderRec, _cfg_digest, _jobs,
                          _NoGC, _render_task, _SHARED, compendium_rows, delete_unplanned, file_sig, open_compendium,
                          pmap, pmap_each, render_pages, render_rec, set_rows, skeleton_key)

if TYPE_CHECKING:
    from .config import Config
    from .project import BuildReport, Page

__all__ = ["build", "catalog_paths"]

STATE_FORMAT = f"{FORMAT}-state-5"     # bump when what state.sqlite holds changes
_BROKEN = (-2, -2, -2, -2)             # the signature of an input that cannot be stat'ed (a dangling link)
_UNSEEN = (-1, -1, -1, -1)             # an input this build did not read: the next build looks at it
_GONE = "/"                            # the names of a folder gone while it was read (no name has a /)


@dataclass
class Manifest:
    ctx: str = ""
    pages: dict = field(default_factory=dict)      # rel -> (sig, skeleton key, lang, locale)
    files: dict = field(default_factory=dict)      # .pot/.po path -> (sig, sha1 of the bytes)
    update: dict = field(default_factory=dict)     # (domain, locale) -> Stats of the merged catalog
    compiled: dict = field(default_factory=dict)   # .po path -> (Stats, errors, .mo signature)
    comp_token: str = ""                            # the compendium database this goes with


def _code_sig() -> tuple:
    """l10n's own source files: a changed renderer must not pass for a no-op."""
    here = Path(__file__).parent
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


_BY_NAME = operator.attrgetter("name")


# -- the listing -----------------------------------------------------------------------------

@dataclass
class Listing:
    """Every folder under the source, locales and output folders with the names in it (NUL-joined
    in the order the folder lists them: one string a folder loads and compares at once, no sort;
    None: the folder did not exist), and the signature of every input, in ``inputs`` order."""
    dirs: dict[str, str | None]
    inputs: list[str]
    sigs: array                   # 4 integers an input
    links: bool = False           # a build product is a symbolic link

    def sig(self, j: int) -> tuple:
        return tuple(self.sigs[4 * j:4 * j + 4])


def _join(names: Iterable[str]) -> str:
    return "\0".join(sorted(names))


def _names(joined: str | None) -> set[str]:
    return set(joined.split("\0")) if joined else set()


def _full_scan(cfg: "Config") -> tuple[Listing, dict[str, tuple]]:
    """Walk the three folders (symlinked folders not followed, the cache skipped):
    (the listing, {path: signature}), products with the signature ``()``."""
    dirs: dict[str, str | None] = {}
    inputs: list[str] = []
    arr = array("q")
    sigs: dict[str, tuple] = {}
    links = False
    skip = str(cfg.root / ".l10n-cache")
    for top in (cfg.source_dir, cfg.locales_dir, cfg.output_dir):
        t = str(top)
        if not os.path.isdir(t):
            dirs.setdefault(t, None)
            continue
        names_only = top == cfg.output_dir          # the site: a page deleted there is noticed, one edited not
        products = (".mo", ".pot") if top == cfg.locales_dir else ()
        stack = [t]
        while stack:
            d = stack.pop()
            try:
                with os.scandir(d) as it:
                    entries = list(it)
            except OSError:
                dirs[d] = None
                continue
            dirs[d] = "\0".join(e.name for e in entries)
            entries.sort(key=_BY_NAME)
            for e in entries:
                try:
                    if e.is_dir(follow_symlinks=False):
                        if e.path != skip:
                            stack.append(e.path)
                        continue
                    if names_only or (products and e.name.endswith(products)):
                        sigs[e.path] = ()
                        if e.is_symlink():
                            links = True
                        continue
                    st = e.stat()
                    sig = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
                except OSError:
                    sig = _BROKEN
                sigs[e.path] = sig
                inputs.append(e.path)
                arr.extend(sig)
    return Listing(dirs, inputs, arr, links), sigs


def _rescan(listing: Listing) -> tuple[array, list[int], list[str]] | None:
    """The known folders listed again and the inputs stat'ed (no walk): (the signatures now,
    the inputs whose signature changed, the names gone), or None when something is new."""
    removed: list[str] = []
    listdir = os.listdir
    for d, joined in listing.dirs.items():
        if joined is None:
            if os.path.lexists(d):
                return None
            continue
        try:
            cur = listdir(d)
        except OSError:
            return None
        if "\0".join(cur) == joined:
            continue
        names, now = _names(joined), set(cur)
        if now == names:             # listed in another order
            continue
        if not now <= names:
            return None
        removed.extend(os.path.join(d, n) for n in sorted(names - now))
    arr = array("q")
    ext = arr.extend
    stat = os.stat
    for p in listing.inputs:
        try:
            s = stat(p)
            ext((s.st_mtime_ns, s.st_size, s.st_ino, s.st_ctime_ns))
        except OSError:
            ext(_BROKEN)
    new, old = arr.tobytes(), listing.sigs.tobytes()
    changed: list[int] = []
    if new != old:
        if len(new) != len(old):
            return None
        step = 32 * 512
        for off in range(0, len(new), step):
            if new[off:off + step] != old[off:off + step]:
                for j in range(off, min(off + step, len(new)), 32):
                    if new[j:j + 32] != old[j:j + 32]:
                        changed.append(j // 32)
    return arr, changed, removed


def _note(dirs: dict[str, str | None], paths: Iterable[str]) -> bool:
    """The listing after this build wrote or deleted ``paths`` (build products): each one's
    name in its folder as the folder now holds it. False when a folder is not known."""
    changed: dict[str, set[str]] = {}
    for p in paths:
        d, name = os.path.split(p)
        here = os.path.lexists(p)
        if dirs.get(d) is None:
            if not here:
                continue
            if not _note_dir(dirs, d):
                return False
        names = changed.get(d)
        if names is None:
            names = _names(dirs[d])
        if here and name not in names:
            changed[d] = names | {name}
        elif not here and name in names:
            changed[d] = names - {name}
    for d, names in changed.items():       # in the folder's own order when it holds just that
        try:
            cur = os.listdir(d)
        except OSError:
            cur = []
        dirs[d] = "\0".join(cur) if set(cur) == names else _join(names)
    return True


def _note_dir(dirs: dict[str, str | None], d: str) -> bool:
    """A folder this build made (and the ones above it, up to a known one)."""
    parent, name = os.path.split(d)
    if parent == d or not parent:
        return False
    if dirs.get(parent) is None and not _note_dir(dirs, parent):
        return False
    try:
        dirs[d] = _join(os.listdir(d))
    except OSError:
        return False
    dirs[parent] = _join(_names(dirs[parent]) | {name})
    return True


# -- the state ----------------------------------------------------------------------------------

_TABLES = ("page", "cat", "upd", "ren")
_FIXED = ("inputs", "pages", "rows")       # blobs written only by a full build, in the side file
_PAGE = 16384           # SQLite's page: the blobs every build reads and writes load 3x faster than with 4 KB


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
        self.puts: dict[str, dict[str, Any]] = {t: {} for t in _TABLES}
        self.cleared: set[str] = set()
        self.line_puts: dict[tuple[str, str], tuple[int, bytes]] = {}
        self.lines_cleared = False

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return _open_or_replace(str(self.path), self._connect)

    def _connect(self, db: sqlite3.Connection) -> sqlite3.Connection:
        db.execute(f"PRAGMA page_size={_PAGE}")     # for a new file: blobs of megabytes
        if db.execute("PRAGMA page_size").fetchone()[0] != _PAGE:
            raise sqlite3.DatabaseError("page size")
        db.execute("PRAGMA journal_mode=WAL")      # a killed build leaves the last state whole
        db.execute("PRAGMA synchronous=OFF")       # a cache: a power cut may cost a full build
        for t in _TABLES:
            db.execute(f"CREATE TABLE IF NOT EXISTS {t} (k TEXT PRIMARY KEY, v BLOB)")
        db.execute("CREATE TABLE IF NOT EXISTS line (loc TEXT, output TEXT, published INTEGER, html BLOB, "
                   "PRIMARY KEY (loc, output))")
        db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v BLOB)")
        db.execute("SELECT count(*) FROM meta").fetchone()
        return db

    def close(self) -> None:
        self.db.close()

    def blobs(self) -> dict[str, Any]:
        """Every blob of ``meta``, and those of the side file (:meth:`commit`); {} when one is
        unreadable or the side file is not the one ``meta`` goes with (the state is then not
        trusted)."""
        out = {}
        try:
            for k, v in self.db.execute("SELECT k, v FROM meta"):
                out[k] = marshal.loads(v)
            head = out.get("head")
            if isinstance(head, dict) and "fixed" in head:
                with open(self.fixed_path, "rb") as f:
                    token, fixed = marshal.loads(f.read())
                if token != head["fixed"]:
                    return {}
                out.update(fixed)
        except (OSError, sqlite3.DatabaseError, ValueError, EOFError, TypeError):
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
        blobs that change only with the pages and catalogs (``_FIXED``) go to a side file read
        whole (SQLite reads a blob of megabytes page by page, 3-5 times slower), named by a
        token in ``head``: written first, so a build killed between the two leaves a token
        that does not match, and the next build plans in full."""
        from .fsutil import atomic_write
        db = self.db
        dumps = marshal.dumps
        fixed = {k: blobs.pop(k) for k in _FIXED if k in blobs}
        if fixed:
            token = uuid.uuid4().hex
            atomic_write(self.fixed_path, dumps((token, fixed)), durable=False)
            blobs["head"] = dict(blobs["head"], fixed=token)
        db.execute("BEGIN")
        try:
            for t in self.cleared:
                db.execute(f"DELETE FROM {t}")
            for t, d in self.puts.items():
                gone = [(k,) for k, v in d.items() if v is None]
                if gone:
                    db.executemany(f"DELETE FROM {t} WHERE k=?", gone)
                db.executemany(f"INSERT OR REPLACE INTO {t} VALUES (?, ?)",
                               [(k, dumps(v)) for k, v in d.items() if v is not None])
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
        self.puts = {t: {} for t in _TABLES}
        self.cleared = set()
        self.line_puts = {}
        self.lines_cleared = False


def _key2(a: str, b: str) -> str:
    return f"{a}\x00{b}"


def _split2(k: str) -> tuple[str, str]:
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
        if d.name == "templates" or not lc.is_dir():
            continue
        with os.scandir(lc) as it:
            names = sorted(e.name for e in it if fnmatch.fnmatchcase(e.name, "*.po"))
        top = str(lc)
        out.extend(f"{top}/{n}" for n in names)
    return out


def _locale_and_name(po: str) -> tuple[str, str]:
    """(locale, file name) of locales/<locale>/LC_MESSAGES/<name>.po."""
    head, name = os.path.split(po)
    return os.path.basename(os.path.dirname(head)), name


class _Paths:
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


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def _stats_t(s: cat.Stats) -> tuple:
    return (s.translated, s.fuzzy, s.untranslated, s.obsolete)


class _StatsTable:
    """Statistics kept once each (a few hundred distinct ones among 40,000 rows)."""

    def __init__(self, rows: list | None = None):
        self.rows = list(rows or [])
        self.at = {tuple(r): i for i, r in enumerate(self.rows)}

    def index(self, s: cat.Stats | tuple) -> int:
        t = s if isinstance(s, tuple) else _stats_t(s)
        i = self.at.get(t)
        if i is None:
            i = self.at[t] = len(self.rows)
            self.rows.append(t)
        return i


# -- workers ------------------------------------------------------------------------------

def _validate_task(path: str) -> tuple[Any, list, str] | None:
    """Worker: read one catalog; (catalog, compendium rows, sha1) or None when unreadable."""
    from .errors import L10nError
    try:
        data = Path(path).read_bytes()
        po = cat.read_catalog(path, data, name=_SHARED["rel"](path))
    except (L10nError, OSError):
        return None
    return (po if _SHARED.get("keep") else None), compendium_rows(po), _sha1(data)


_DB: dict[str, sqlite3.Connection] = {}


def _worker_db(path: str) -> sqlite3.Connection:
    db = _DB.get(path)
    if db is None:
        db = _DB[path] = sqlite3.connect(path)
    return db


def _close_worker_dbs() -> None:
    """The compendium connections merges opened in this process (the file may be replaced)."""
    for db in _DB.values():
        db.close()
    _DB.clear()


def _domain_task(task: tuple) -> tuple:
    """Worker: one page's template, its catalogs merged and compiled, as needed."""
    from .project import Page, _template_of, _write_catalog
    i, want_template, update_locs, compile_locs = task
    g = _SHARED
    cfg, pages, parsed, use_fuzzy = g["cfg"], g["pages"], g["parsed"], g["use_fuzzy"]
    pg: Page = pages[i]
    pot_written = None
    pot = None
    if want_template:
        pot = _template_of(cfg, pg)
        pot_written = _write_catalog(Path(g["paths"].pot(pg.domain)), pot, "POT-Creation-Date", durable=False)
    out = []
    db = _worker_db(g["db"]) if update_locs else None
    for loc in update_locs:
        path = Path(g["paths"].po(loc, pg.domain))
        old = parsed.get(str(path))          # changed catalogs read before anything was written
        if old is None and path.is_file():
            old = cat.read_catalog(str(path), name=g["rel"](path))
        po = cat.merge(pot, old, loc, compendium=Compendium(db, loc))
        written = _write_catalog(path, po, None)
        rows = compendium_rows(po) if written else None
        out.append(("update", loc, written, cat.stats(po), rows))
    for loc in compile_locs:
        out.append(("compile", loc) + _compile_one(cfg, Path(g["paths"].po(loc, pg.domain)), use_fuzzy, parsed))
    if isinstance(pg.skeleton, LazySkeleton):
        pg.skeleton.release()
    return i, pot_written, out


def _compile_one(cfg: "Config", path: Path, use_fuzzy: bool, parsed: dict) -> tuple:
    """compile_all's work for one catalog: (stats, errors, written, po sig, po sha1, mo sig, held back)."""
    from .fsutil import write_if_changed
    from .gate import withheld
    data = path.read_bytes()
    rel = _SHARED["rel"](path)
    po = cat.read_catalog(str(path), data, name=rel)
    gate = _SHARED.get("gate")
    held = gate.held_back(po, rel, path.parent.parent.name, use_fuzzy=use_fuzzy) if gate is not None else ()
    res = cat.compile_catalog(po, rel, use_fuzzy=use_fuzzy, withhold=withheld(held))
    written = False
    mo = path.with_suffix(".mo")
    if res.mo is not None:
        written = write_if_changed(mo, res.mo, durable=False)
    return res.stats, res.errors, written, file_sig(path), _sha1(data), file_sig(mo), held


def _compile_task(path: str) -> tuple:
    g = _SHARED
    return _compile_one(g["cfg"], Path(path), g["use_fuzzy"], g["parsed"])


# -- the report ---------------------------------------------------------------------------------

def _arr(typecode: str, data: bytes) -> array:
    a = array(typecode)
    a.frombytes(data)
    return a


class _Rows:
    """The report's rows as columns: the strings (they change only with the pages and
    catalogs: a full build), and the values a build patches (statistics, completeness,
    statuses) as arrays, so that a build loads, patches and stores them at memory speed."""

    def __init__(self, rows: tuple, vals: tuple):
        (self.upd_paths, self.upd_locs, self.comp_paths, self.pg_pages, self.pg_locs, self.pg_outs) = rows
        upd_si, comp_si, comp_errors, pcts, pubs, comp_held = vals
        self.upd_si, self.comp_si = _arr("l", upd_si), _arr("l", comp_si)
        self.comp_errors: dict[int, tuple] = dict(comp_errors)
        self.comp_held: dict[int, tuple] = dict(comp_held)      # catalog row -> units the gate held back
        self.pcts, self.pubs = _arr("d", pcts), bytearray(pubs)

    @classmethod
    def of(cls, up: list, co: list, stats: Iterable, table: "_StatsTable") -> "_Rows":
        stats = list(stats)
        rows = ([u.path for u in up], [u.locale for u in up], [c.path for c in co],
                [s.page for s in stats], [s.locale for s in stats], [s.output for s in stats])
        vals = (array("l", [table.index(u.stats) for u in up]).tobytes(),
                array("l", [table.index(c.stats) for c in co]).tobytes(),
                {j: tuple(c.errors) for j, c in enumerate(co) if c.errors},
                array("d", [s.percent for s in stats]).tobytes(), bytes(bool(s.published) for s in stats),
                {j: tuple(map(tuple, c.held)) for j, c in enumerate(co) if c.held})
        return cls(rows, vals)

    def rows_blob(self) -> tuple:
        return (self.upd_paths, self.upd_locs, self.comp_paths, self.pg_pages, self.pg_locs, self.pg_outs)

    def vals_blob(self) -> tuple:
        return (self.upd_si.tobytes(), self.comp_si.tobytes(), self.comp_errors, self.pcts.tobytes(),
                bytes(self.pubs), self.comp_held)

    def published(self) -> frozenset:
        """{(page, locale)} of the versions published."""
        return frozenset(compress(zip(self.pg_pages, self.pg_locs), self.pubs))

    def counts(self, cfg: "Config") -> dict[str, int]:
        counts = {loc: 0 for loc in cfg.locales}
        for loc, n in Counter(compress(self.pg_locs, self.pubs)).items():
            counts[loc] = n
        return counts

    def report(self, cfg: "Config", head: dict, domains: list[str], *, ex_written: tuple = (),
               ex_removed: tuple = (), upd_written: Iterable[int] = (), comp_written: Iterable[int] = (),
               render_written: int = 0) -> "BuildReport":
        """The build's report (the written flags: this build's)."""
        from .gate import HeldBack
        from .project import (BuildReport, CompileReport, ExtractResult, PageStat, RenderReport, UpdateResult,
                              _TemplatesOnDisk)
        so = [cat.Stats(*t) for t in head["stats"]]
        new = tuple.__new__
        up = list(map(partial(new, UpdateResult), zip(self.upd_paths, self.upd_locs, repeat(False),
                                                      map(so.__getitem__, self.upd_si))))
        for j in upd_written:
            up[j] = up[j]._replace(written=True)
        errors: list[tuple] = [()] * len(self.comp_paths)
        for j, e in self.comp_errors.items():
            errors[j] = e
        held: list[tuple] = [()] * len(self.comp_paths)
        for j, h in self.comp_held.items():
            held[j] = tuple(HeldBack(*x) for x in h)
        co = list(map(partial(new, CompileReport), zip(self.comp_paths, map(so.__getitem__, self.comp_si), errors,
                                                       repeat(False), held)))
        for j in comp_written:
            co[j] = co[j]._replace(written=True)
        stats = tuple(map(partial(new, PageStat), zip(self.pg_pages, self.pg_locs, self.pcts, map(bool, self.pubs),
                                                      self.pg_outs)))
        warnings = tuple(w for j, ws in head["warnings"] if self.pubs[j] for w in ws)
        ex = ExtractResult(tuple(ex_written), (), tuple(ex_removed), _TemplatesOnDisk(cfg, domains))
        return BuildReport(ex, up, co, RenderReport(stats, render_written, warnings))


# -- the build ------------------------------------------------------------------------------------

def build(cfg: "Config", *, use_fuzzy: bool = False, progress: Callable = lambda items, label: items,
          jobs: int | None = None) -> "BuildReport":
    """project.build, redoing only what changed since the last build of this project."""
    bdir = cfg.root / ".l10n-cache" / "build"
    ctx = _cfg_digest(cfg, use_fuzzy, _code_sig(), cfg.glossary and file_sig(cfg.glossary))
    store = Store(bdir / "state.sqlite")
    try:
        with _NoGC():        # tens of thousands of small objects: the collector would run again and again
            blobs = store.blobs()
        head = blobs.get("head")
        if not (isinstance(head, dict) and head.get("format") == STATE_FORMAT
                and all(k in blobs for k in _BLOBS)):
            blobs = {}
        if blobs and blobs["head"]["ctx"] == ctx:
            listing = Listing(blobs["dirs"], blobs["inputs"], _arr("q", blobs["sigs"]), head["links"])
            scan = _rescan(listing)
            if scan is not None:
                arr, changed, removed = scan
                rows = _Rows(blobs["rows"], blobs["vals"])
                if not changed and not removed:
                    with _NoGC():
                        return rows.report(cfg, head, blobs["pages"][2])
                rep = _Delta(cfg, store, blobs, rows, listing, scan, use_fuzzy, progress, jobs).run()
                if rep is not None:
                    return rep
        return _full(cfg, store, blobs, ctx, use_fuzzy, progress, jobs)
    finally:
        _close_worker_dbs()
        store.close()


_BLOBS = ("head", "dirs", "inputs", "sigs", "pages", "rows", "vals")


def _plan_locales(cfg: "Config", src: str) -> list[str]:
    """A page's versions in render_site's order."""
    targets = cfg.targets.get(src, ())
    return [loc for loc in cfg.locales if loc == src or loc in targets]


def _core(cfg: "Config", listing: Listing, paths: list[str], rels: list[str], domains: list[str],
          locales: list[str], po_paths: list[str], assets: list[str], rows: _Rows, stats: _StatsTable,
          warnings: list, rctx: str, comp_token: str, ctx: str) -> dict:
    starts = []
    n = 0
    for loc in locales:
        starts.append(n)
        n += len(_plan_locales(cfg, loc))
    starts.append(n)
    head = {"format": STATE_FORMAT, "ctx": ctx, "rctx": rctx, "comp_token": comp_token, "stats": stats.rows,
            "warnings": warnings, "counts": rows.counts(cfg), "links": listing.links}
    return {"head": head, "dirs": listing.dirs, "inputs": listing.inputs, "sigs": listing.sigs.tobytes(),
            "pages": (paths, rels, domains, locales, starts, po_paths, assets),
            "rows": rows.rows_blob(), "vals": rows.vals_blob()}


def _full(cfg: "Config", store: Store, blobs: dict, ctx: str, use_fuzzy: bool, progress: Callable,
          jobs: int | None) -> "BuildReport":
    """Every page and catalog planned (what changed redone), the state written anew."""
    from .project import (BuildReport, CompileReport, ExtractResult, Page, RenderReport, UpdateResult,
                          _TemplatesOnDisk, _check_domains, _rels_and_domains, discover_pages)
    from .site import _assets, page_title, write_site_extras
    bdir = cfg.root / ".l10n-cache" / "build"
    db_path = bdir / "compendium.sqlite"
    for old in ("manifest.pickle", "snapshot.pickle"):      # the state before state.sqlite
        try:
            (bdir / old).unlink()
        except FileNotFoundError:
            pass
    listing, sigs = _full_scan(cfg)

    def S(path: str | Path) -> tuple | None:     # a file's signature, from the scan when it has it
        sig = sigs.get(str(path))
        if sig is None:
            return file_sig(path)
        return None if sig == _BROKEN else sig

    head = blobs.get("head")
    man = Manifest(ctx=ctx)
    old_pages: dict = {}
    old_cat: dict = {}
    old_upd: dict = {}
    if head is None:
        for t in _TABLES:
            store.clear(t)
    elif head["ctx"] != ctx:
        for t in ("page", "cat", "upd"):
            store.clear(t)
    else:
        old_pages, old_cat, old_upd = store.all("page"), store.all("cat"), store.all("upd")
        man.pages = dict(old_pages)
        for path, rec in old_cat.items():
            if len(rec) == 1:
                man.files[path] = (rec[0], "")
            else:
                man.files[path] = (rec[0], rec[1])
                man.compiled[path] = (cat.Stats(*rec[2]), tuple(rec[3]), rec[4], rec[5])
        man.update = {_split2(k): cat.Stats(*v) for k, v in old_upd.items()}
        man.comp_token = head["comp_token"]
    n_jobs = _jobs(cfg, jobs)
    rel = FastRel(cfg)

    # -- pages: read only what changed, parse only what is new ----------------------------
    from .incremental import load_page_refs
    paths = discover_pages(cfg)
    rels, domains = _rels_and_domains(cfg, paths)
    known = cfg.source_locales
    cache_dir = cfg.root / ".l10n-cache" / "skeletons"
    refs: list[LazySkeleton | None] = [None] * len(paths)
    page_sigs = []
    need, datas = [], []
    changed_pages: set[str] = set()
    for i, p in enumerate(paths):
        sig = S(p)
        page_sigs.append(sig)
        rec = man.pages.get(rels[i])
        if rec is not None and rec[0] == sig:
            key = rec[1]
        else:
            data = p.read_bytes()
            key = skeleton_key(data, rels[i], known)
            if rec is None or rec[1] != key:
                need.append(i)
                datas.append(data)
                changed_pages.add(rels[i])
                continue
        refs[i] = LazySkeleton(rels[i], rec[2], rec[3], key, str(cache_dir / f"{key}.pickle"), str(p), known)
    if need:
        sub = load_page_refs(cfg, [paths[i] for i in need], [rels[i] for i in need], jobs=jobs,
                             progress=progress, datas=datas)
        for i, ref in zip(need, sub):
            refs[i] = ref
    pages = [Page(p, rel_, dom, ref) for p, rel_, dom, ref in zip(paths, rels, domains, refs)]
    _check_domains(pages)

    # -- catalogs: an unreadable one stops the build before anything is written --------------
    # Each changed catalog is read (on every core) and its translations go straight into the
    # compendium index, which must hold every catalog as it is before this update. Rows are
    # not kept: a cold build of 20,000 catalogs would hold a million of them.
    po_paths = catalog_paths(cfg)
    parsed: dict[str, Any] = {}
    db, token = _open_compendium(db_path)
    fresh_db = token is None or token != man.comp_token
    if fresh_db:                                 # lost or out of step: rebuilt from every catalog
        db.execute("DELETE FROM comp")
        db.execute("DELETE FROM meta")
        db.commit()
    else:
        on_disk = set(po_paths)
        for path in [k for k in man.files if k.endswith(".po") and k not in on_disk]:
            set_rows(db, *_locale_and_name(path), None)
            man.files.pop(path, None)
            man.compiled.pop(path, None)
    to_read = []
    for p in po_paths:
        rec = man.files.get(p)
        if rec is not None and rec[0] == S(p) and not fresh_db:
            continue
        to_read.append(p)
    if to_read:
        keep = len(to_read) <= 500        # a few: keep them parsed for the merge; many: read again there
        bad = None
        for path, g in pmap_each(_validate_task, list(progress(to_read, "read")), jobs=n_jobs,
                                 shared={"cfg": cfg, "rel": rel, "keep": keep}):
            if g is None:
                bad = path              # the first unreadable catalog (results come in order)
                break
            po, rows, digest = g
            rec = man.files.get(path)
            if rec is not None and rec[1] == digest:
                man.files[path] = (S(path), digest)     # touched, not changed
                if not fresh_db:
                    continue
            else:
                parsed[path] = po        # None: changed, read again where it is merged
            set_rows(db, *_locale_and_name(path), rows)
        if bad is not None:
            db.execute("DELETE FROM meta")          # half refreshed: rebuild it next time
            db.commit()
            db.close()
            cat.read_catalog(bad, name=cfg.rel(Path(bad)))      # raises, with its real error
            raise AssertionError(f"{bad} failed in a worker but reads here")  # pragma: no cover
    if fresh_db:
        token = uuid.uuid4().hex
        db.execute("INSERT INTO meta VALUES (?)", (token,))
        man.comp_token = token
    db.commit()

    # -- extract + update + compile, page by page, on every core ---------------------------------
    tasks = []
    jobs_order: list[tuple[str, str, int]] = []       # (domain, locale, page index): update's order
    order = sorted(range(len(pages)), key=lambda i: pages[i].domain)
    for i in order:
        for loc in cfg.targets.get(pages[i].locale, ()):
            jobs_order.append((pages[i].domain, loc, i))
    P = _Paths(cfg)
    by_page_updates: dict[int, list[str]] = {}
    for dom, loc, i in jobs_order:
        pg = pages[i]
        po = P.po(loc, dom)
        pot = P.pot(dom)
        pot_rec = man.files.get(pot)
        template_same = pg.rel not in changed_pages and pot_rec is not None and _same(pot_rec[0], S(pot))
        if not (template_same and po not in parsed and po in man.files
                and (dom, loc) in man.update and S(po) is not None):
            by_page_updates.setdefault(i, []).append(loc)
    for i, pg in enumerate(pages):
        pot = P.pot(pg.domain)
        pot_rec = man.files.get(pot)
        want_template = (pg.rel in changed_pages or pot_rec is None or not _same(pot_rec[0], S(pot))
                         or i in by_page_updates)
        upd = by_page_updates.get(i, [])
        comp = []
        for loc in cfg.targets.get(pg.locale, ()):
            if loc in upd or _needs_compile(man, P.po(loc, pg.domain), parsed, S):
                comp.append(loc)
        if want_template or upd or comp:
            tasks.append((i, want_template, tuple(upd), tuple(comp)))
    gate = open_gate(cfg) if any(t[3] for t in tasks) else None
    shared = {"cfg": cfg, "pages": pages, "parsed": parsed, "use_fuzzy": use_fuzzy, "db": str(db_path), "rel": rel,
              "paths": P, "gate": gate}
    db.close()
    pot_written: dict[int, bool] = {}
    updated: dict[tuple[str, str], tuple[bool, Any]] = {}
    compiled_now: dict[str, tuple] = {}
    # the catalogs this update writes join the compendium only after every merge read it as
    # it was: their rows wait in a side database (not in memory: a cold build writes 20,000)
    staged_path = bdir / "compendium-staged.sqlite"
    try:
        staged_path.unlink()
    except FileNotFoundError:
        pass
    staged = open_compendium(staged_path)
    staged.execute("CREATE TABLE written (locale TEXT, name TEXT)")
    n_staged = 0
    for _task, (i, pw, outs) in pmap_each(_domain_task, list(progress(tasks, "build")), jobs=n_jobs,
                                          shared=shared):
        pg = pages[i]
        pot = P.pot(pg.domain)
        if pw is not None:
            pot_written[i] = pw
            man.files[pot] = (file_sig(pot), "")
        for o in outs:
            po = P.po(o[1], pg.domain)
            if o[0] == "update":
                _kind, loc, written, stats, rows = o
                updated[(pg.domain, loc)] = (written, stats)
                man.update[(pg.domain, loc)] = stats
                if written:
                    staged.execute("INSERT INTO written VALUES (?, ?)", _locale_and_name(po))
                    set_rows(staged, *_locale_and_name(po), rows)
                    n_staged += 1
            else:
                compiled_now[po] = o[2:]
    # catalogs with no page of their own (a page gone, a locale dropped) are still compiled
    po_paths = catalog_paths(cfg)
    orphans = [p for p in po_paths if p not in compiled_now and _needs_compile(man, p, parsed, S)]
    if orphans:
        if shared["gate"] is None:
            shared["gate"] = open_gate(cfg)
        for path, r in zip(orphans, pmap(_compile_task, orphans, jobs=n_jobs, shared=shared)):
            compiled_now[path] = r
    compile_reports = []
    for k in po_paths:
        if k in compiled_now:
            stats, errors, written, po_sig, po_sha, mo_sig, held = compiled_now[k]
            man.files[k] = (po_sig, po_sha)
            man.compiled[k] = (stats, errors, mo_sig, held)
            sigs[k] = po_sig
            sigs[k[:-3] + ".mo"] = mo_sig
        else:
            stats, errors, _mo, held = man.compiled[k]
            written = False
        compile_reports.append(CompileReport(rel(k), stats, tuple(errors), written,
                                             tuple(HeldBack(*h) for h in held)))
    # the compendium follows the catalogs this update wrote
    staged.commit()
    staged.close()
    if n_staged:
        db = sqlite3.connect(str(db_path))
        db.execute("ATTACH DATABASE ? AS staged", (str(staged_path),))
        db.execute("DELETE FROM comp WHERE (locale, name) IN (SELECT locale, name FROM staged.written)")
        db.execute("INSERT INTO comp SELECT * FROM staged.comp")
        db.commit()
        db.execute("DETACH DATABASE staged")
        db.close()
    staged_path.unlink()
    extract_written = tuple(rel(P.pot(pages[i].domain)) for i in range(len(pages)) if pot_written.get(i))
    removed = []
    domains_set = {pg.domain for pg in pages}
    if cfg.templates_dir.is_dir():
        for old in sorted(cfg.templates_dir.glob("*.pot")):
            if old.stem not in domains_set:
                removed.append(cfg.rel(old))
                old.unlink()
                man.files.pop(str(old), None)
    ex = ExtractResult(extract_written, (), tuple(removed), _TemplatesOnDisk(cfg, [pg.domain for pg in pages]))
    up = []
    for dom, loc, i in jobs_order:
        written, stats = updated.get((dom, loc), (False, man.update.get((dom, loc))))
        up.append(UpdateResult(rel(P.po(loc, dom)), loc, written, stats))

    # -- render -------------------------------------------------------------------------------------
    old_ren = store.all("ren") if head is not None else {}
    rc = RenderCache(ctx=head["rctx"] if head is not None else "",
                     items={_split2(k): RenderRec(*v) for k, v in old_ren.items()})
    outcome, rc = render_pages(cfg, pages, jobs=jobs, progress=progress, cache=rc, sigs=sigs)
    if listing.links:
        delete_unplanned(cfg, outcome.stats)
    else:                          # the scan knows every site page: no walk, no realpath
        delete_unplanned(cfg, outcome.stats, present=[p for p, v in sigs.items() if v == ()])

    def titles(pg: "Page", loc: str) -> tuple[str, bool]:
        t = outcome.titles.get((pg.rel, loc))
        if t is None:
            from .incremental import _mo_table
            t = page_title(cfg, pg, loc, None if loc == pg.locale else _mo_table(cfg, loc, pg.domain))
        return t

    lines: dict[str, list] = {}
    written = outcome.written + write_site_extras(cfg, pages, list(outcome.stats), titles=titles, lines=lines)
    re_ = RenderReport(tuple(outcome.stats), written, tuple(outcome.warnings))
    report = BuildReport(ex, up, compile_reports, re_)

    # -- remember ---------------------------------------------------------------------------------------
    new_pages = {pg.rel: (page_sigs[i], pg.skeleton.key, pg.skeleton.lang, pg.skeleton.locale)
                 for i, pg in enumerate(pages)}
    _put_changed(store, "page", old_pages, new_pages)
    new_cat: dict[str, tuple] = {}
    for k, (sig, sha) in man.files.items():
        if k.endswith(".pot"):
            if k[:-4].rsplit("/", 1)[-1] in domains_set:
                new_cat[k] = (sig,)
        elif k in man.compiled:
            st, errs, mo_sig, held = man.compiled[k]
            new_cat[k] = (sig, sha, _stats_t(st), tuple(errs), mo_sig, tuple(map(tuple, held)))
    _put_changed(store, "cat", old_cat, new_cat)
    _put_changed(store, "upd", old_upd, {_key2(*k): _stats_t(v) for k, v in man.update.items()})
    _put_changed(store, "ren", old_ren, {_key2(*k): tuple(v) for k, v in rc.items.items()})
    store.clear_lines()
    for loc, li in lines.items():
        for output, published, html in li:
            store.put_line(loc, output, published, html.encode())
    st_table = _StatsTable()
    rows = _Rows.of(up, compile_reports, outcome.stats, st_table)
    warnings = []
    for j, s in enumerate(outcome.stats):
        rec = rc.items.get((s.page, s.locale))
        if rec is not None and rec.warnings:
            warnings.append((j, tuple(rec.warnings)))
    # the listing the next build compares with: the folders as this build leaves them, each
    # input with the signature it had when it was read (a file changed meanwhile counts as
    # changed next time; a file that appeared meanwhile, as unseen)
    end, _end_sigs = _full_scan(cfg)
    seen: dict[str, tuple] = {p: listing.sig(j) for j, p in enumerate(listing.inputs)}
    for i, p in enumerate(paths):
        seen[str(p)] = page_sigs[i] or _BROKEN
    for k in po_paths:
        seen[k] = man.files[k][0] or _BROKEN
    arr = array("q")
    inputs = []
    for p in end.inputs:
        inputs.append(p)
        arr.extend(seen.pop(p, _UNSEEN))
    for p, sig in seen.items():              # read by this build, gone since: noticed next time
        d, name = os.path.split(p)
        if end.dirs.get(d) is None:
            end.dirs[d] = _GONE
        elif end.dirs[d] != _GONE:
            end.dirs[d] = _join(_names(end.dirs[d]) | {name})
        inputs.append(p)
        arr.extend(sig)
    end = Listing(end.dirs, inputs, arr, end.links)
    assets = [a.relative_to(cfg.source_dir).as_posix() for a in _assets(cfg)]
    core = _core(cfg, end, [str(p) for p in paths], rels, domains, [pg.locale for pg in pages], po_paths,
                 assets, rows, st_table, warnings, rc.ctx, man.comp_token, ctx)
    store.commit(core, all_blobs=True)
    return report


def _open_compendium(path: Path) -> tuple[sqlite3.Connection, str | None]:
    """The compendium database and the token of the state it goes with (None: a new one;
    a file SQLite cannot read is replaced, and rebuilt from every catalog)."""
    token: list[str | None] = [None]

    def setup(db: sqlite3.Connection) -> sqlite3.Connection:
        db.execute("CREATE TABLE IF NOT EXISTS meta (token TEXT)")
        row = db.execute("SELECT token FROM meta").fetchone()
        token[0] = row[0] if row else None
        return db

    db = _open_or_replace(str(path), setup, connect=lambda p: open_compendium(Path(p)))
    return db, token[0]


def _open_or_replace(path: str, setup: Callable[[sqlite3.Connection], sqlite3.Connection], *,
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


def _put_changed(store: Store, table: str, old: dict, new: dict) -> None:
    for k, v in new.items():
        if old.get(k) != v:
            store.put(table, k, v)
    for k in old:
        if k not in new:
            store.delete(table, k)


def _needs_compile(man: Manifest, po: str, parsed: dict, S: Callable) -> bool:
    k = po
    if k in parsed or k not in man.compiled or k not in man.files:
        return True
    if man.files[k][0] != S(po):
        return True
    return not _same(man.compiled[k][2], S(k[:-3] + ".mo"))


def _same(recorded: tuple | None, now: tuple | None) -> bool:
    """A file is as recorded: same signature, or (a product the scan only saw) still there."""
    if now == ():
        return recorded is not None
    return recorded == now


# -- the delta build ---------------------------------------------------------------------------------

class _Statuses:
    """The published versions as the renderer asks about them (``(page, locale) in it``): the
    last build's statuses, then this build's (``now``), looked up in the report rows rather
    than gathered into a set of 30,000."""

    def __init__(self, delta: "_Delta", now: dict[tuple[str, str], bool]):
        self.delta, self.now = delta, now

    def __contains__(self, key: object) -> bool:
        if not (isinstance(key, tuple) and len(key) == 2):
            return False
        v = self.now.get(key)
        return self.delta._published(key) if v is None else v

    def _all(self) -> set:
        r = self.delta.rows
        return {k for k in zip(r.pg_pages, r.pg_locs) if k in self}

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


class _Fallback(Exception):
    """The delta build cannot tell: plan in full."""


class _Delta:
    """A build where only inputs changed and products went missing: the rows of what changed
    are read and redone, the rest of the state is kept as it is."""

    def __init__(self, cfg: "Config", store: Store, blobs: dict, rows: _Rows, listing: Listing,
                 scan: tuple[array, list[int], list[str]], use_fuzzy: bool, progress: Callable, jobs: int | None):
        self.cfg, self.store, self.blobs, self.rows, self.listing = cfg, store, blobs, rows, listing
        self.arr, self.changed, self.removed = scan
        self.use_fuzzy, self.progress, self.jobs = use_fuzzy, progress, jobs
        (self.paths, self.rels, self.domains, self.locales, self.starts, self.po_paths,
         self.assets) = blobs["pages"]
        self.head = dict(blobs["head"])
        self.P = _Paths(cfg)
        self.rel = FastRel(cfg)
        self.task_pages: list = []            # the Page objects this build works on
        self.task_index: dict[int, int] = {}  # page index -> its place in task_pages
        self.page_of_task: list[int] = []
        self.skels: dict[int, LazySkeleton] = {}     # the pages whose content changed: their new skeletons
        self.page_recs: dict[str, tuple] = {}        # rows of the page table read (rel -> row)
        self.new_page_recs: dict[str, tuple] = {}    # and written
        self.recs: dict[tuple[str, str], RenderRec] = {}      # render rows read
        self.new_recs: dict[tuple[str, str], RenderRec] = {}  # and written
        self.touched: set[str] = set()        # products written or deleted
        self.writing = False
        self._input_at: dict[str, int] | None = None
        self._rel_at: dict[str, int] | None = None
        self._pos: dict[str, dict[str, int]] = {}

    def run(self) -> "BuildReport | None":
        """The build's report, or None: plan in full (the rows of what was already redone are
        kept for it: each says what it was made from, so nothing is merged twice)."""
        try:
            return self._run()
        except _Fallback:
            if self.writing:
                self.store.commit({})
            else:
                self.store.reset()
            return None

    # -- small lookups ------------------------------------------------------------------------------
    def _input(self, p: str) -> int:
        if self._input_at is None:
            self._input_at = dict(zip(self.listing.inputs, range(len(self.listing.inputs))))
        return self._input_at[p]

    def _sig_now(self, p: str) -> tuple:
        j = self._input(p)
        return tuple(self.arr[4 * j:4 * j + 4])

    def _page_index(self, rel: str) -> int:
        if self._rel_at is None:
            self._rel_at = dict(zip(self.rels, range(len(self.rels))))
        return self._rel_at[rel]

    def _published(self, k: tuple[str, str]) -> bool:
        """Whether a version was published at the last build (the report rows say)."""
        if self._rel_at is None:
            self._rel_at = dict(zip(self.rels, range(len(self.rels))))
        i = self._rel_at.get(k[0])
        j = None if i is None else self._row(i, k[1])
        return j is not None and bool(self.rows.pubs[j])

    def _row(self, i: int, loc: str) -> int | None:
        """The report row of page i in ``loc`` (None: not one of its versions)."""
        src = self.locales[i]
        pos = self._pos.get(src)
        if pos is None:
            pos = self._pos[src] = {lo: k for k, lo in enumerate(_plan_locales(self.cfg, src))}
        k = pos.get(loc)
        return None if k is None else self.starts[i] + k

    def _page_of_po(self, po: str) -> tuple[int | None, str]:
        """(page index, locale) of a catalog; page None for a catalog no page has."""
        loc, name = _locale_and_name(po)
        i = self.dom_at.get(name[:-3])
        if i is None or loc not in self.cfg.targets.get(self.locales[i], ()):
            return None, loc
        return i, loc

    def _read_page_recs(self, indexes: Iterable[int]) -> None:
        want = [self.rels[i] for i in indexes if self.rels[i] not in self.page_recs]
        if want:
            self.page_recs.update(self.store.get("page", want))

    def _page_rec(self, i: int) -> tuple:
        rel = self.rels[i]
        rec = self.new_page_recs.get(rel) or self.page_recs.get(rel)
        if rec is None:
            raise _Fallback         # no row for this page: plan in full
        return rec

    def _page_obj(self, i: int) -> "Page":
        """Page i as a Page (its skeleton loaded when first used), once."""
        from .project import Page
        ti = self.task_index.get(i)
        if ti is not None:
            return self.task_pages[ti]
        ref = self.skels.get(i)
        if ref is None:
            rec = self._page_rec(i)
            cache_dir = self.cfg.root / ".l10n-cache" / "skeletons"
            ref = LazySkeleton(self.rels[i], rec[2], rec[3], rec[1], str(cache_dir / f"{rec[1]}.pickle"),
                               self.paths[i], self.cfg.source_locales)
        pg = Page(Path(self.paths[i]), self.rels[i], self.domains[i], ref)
        self.task_index[i] = len(self.task_pages)
        self.task_pages.append(pg)
        self.page_of_task.append(i)
        return pg

    # -- what changed ------------------------------------------------------------------------------
    def _classify(self) -> None:
        cfg = self.cfg
        page_at = dict(zip(self.paths, range(len(self.paths))))
        po_at = self.po_at = dict(zip(self.po_paths, range(len(self.po_paths))))
        self.dom_at = dict(zip(self.domains, range(len(self.domains))))
        src = os.path.join(str(cfg.source_dir), "")
        asset_paths = {os.path.join(str(cfg.source_dir), a) for a in self.assets}
        old, now = self.listing.sigs, self.arr
        self.ch_pages: set[int] = set()
        self.ch_po: list[str] = []
        self.assets_dirty = False
        for j in self.changed:
            p = self.listing.inputs[j]
            if tuple(now[4 * j:4 * j + 4]) in (_BROKEN, _UNSEEN) or tuple(old[4 * j:4 * j + 4]) in (_BROKEN, _UNSEEN):
                raise _Fallback             # gone, unreadable, or never read: plan in full
            if p in page_at:
                self.ch_pages.add(page_at[p])
            elif p in po_at:
                self.ch_po.append(p)
            elif p in asset_paths:
                self.assets_dirty = True
            elif p.startswith(src):
                name = os.path.basename(p)
                if not name.startswith(".") or fnmatch.fnmatchcase(name, "*.html"):
                    raise _Fallback         # a file of the source folder the last build did not use
            elif p.endswith(".po") and os.path.basename(os.path.dirname(p)) == "LC_MESSAGES":
                raise _Fallback             # a catalog the last build did not see
        self.ch_po.sort(key=po_at.__getitem__)
        # products gone
        out = os.path.join(str(cfg.output_dir), "")
        tpl = os.path.join(str(cfg.templates_dir), "")
        self.mo_missing: list[str] = []
        self.pot_missing: set[int] = set()
        self.out_missing: set[int] = set()
        self.extras_missing: set[str] = set()
        out_at = None
        asset_outs = {f"{loc}/{a}" for loc in cfg.locales for a in self.assets}
        for p in self.removed:
            if p.startswith(out):
                r = p[len(out):]
                if out_at is None:
                    out_at = dict(zip(self.rows.pg_outs, range(len(self.rows.pg_outs))))
                j = out_at.get(r)
                if j is not None:
                    self.out_missing.add(j)
                elif r in asset_outs or r == "l10n.css":
                    self.assets_dirty = True
                else:
                    self.extras_missing.add(r)
            elif p.endswith(".mo") and p[:-3] + ".po" in po_at:
                self.mo_missing.append(p[:-3] + ".po")
            elif p.startswith(tpl) and p.endswith(".pot"):
                i = self.dom_at.get(os.path.basename(p)[:-4])
                if i is not None:
                    self.pot_missing.add(i)

    # -- the build -------------------------------------------------------------------------------------
    def _run(self) -> "BuildReport":
        cfg, store, rows = self.cfg, self.store, self.rows
        self._classify()
        known = cfg.source_locales
        cache_dir = cfg.root / ".l10n-cache" / "skeletons"
        paths, rels, domains, locales = self.paths, self.rels, self.domains, self.locales

        # -- pages: re-keyed, parsed when new ------------------------------------------------------
        self._read_page_recs(self.ch_pages)
        for i in sorted(self.ch_pages):
            p, rel = paths[i], rels[i]
            sig = self._sig_now(p)
            rec = self.page_recs.get(rel)
            data = Path(p).read_bytes()
            key = skeleton_key(data, rel, known)
            if rec is not None and rec[1] == key:
                self.new_page_recs[rel] = (sig, key, rec[2], rec[3])        # touched, not changed
                continue
            from .project import _parse_one
            skel = _parse_one((p, rel, str(cache_dir), known, ""))
            if skel.locale != locales[i]:
                raise _Fallback                  # its language changed: other catalogs, other versions
            self.new_page_recs[rel] = (sig, key, skel.lang, skel.locale)
            self.skels[i] = LazySkeleton(rel, skel.lang, skel.locale, key, str(cache_dir / f"{key}.pickle"), p,
                                         known, skel)

        # -- catalogs: the changed ones read; an unreadable one stops the build --------------------
        cat_recs = store.get("cat", self.ch_po)
        new_cat: dict[str, tuple] = {}
        parsed: dict[str, Any] = {}
        comp_rows: dict[str, list] = {}
        keep = len(self.ch_po) <= 500
        for po in self.ch_po:
            rec = cat_recs.get(po)
            data = Path(po).read_bytes()
            digest = _sha1(data)
            if rec is not None and len(rec) == 6 and rec[1] == digest:
                new_cat[po] = (self._sig_now(po),) + tuple(rec[1:])        # touched, not changed
                continue
            from .errors import L10nError
            try:
                parsed_po = cat.read_catalog(po, data, name=self.rel(po))
            except L10nError:
                cat.read_catalog(po, name=cfg.rel(Path(po)))      # raises, with its real error
                raise
            parsed[po] = parsed_po if keep else None
            comp_rows[po] = compendium_rows(parsed_po)

        # -- what to redo for each page ------------------------------------------------------------
        work: dict[int, list] = {}            # page index -> [want template, update locales, compile locales]
        orphans: list[str] = []

        def page_work(i: int) -> list:
            w = work.get(i)
            if w is None:
                w = work[i] = [False, set(), set()]
            return w

        for i in set(self.skels) | self.pot_missing:
            targets = cfg.targets.get(locales[i], ())
            w = page_work(i)
            w[0] = True
            w[1].update(targets)
            w[2].update(targets)
        for po in parsed:
            i, loc = self._page_of_po(po)
            if i is None:
                orphans.append(po)
            else:
                w = page_work(i)
                w[0] = True
                w[1].add(loc)
                w[2].add(loc)
        for po in self.mo_missing:
            i, loc = self._page_of_po(po)
            if i is None:
                orphans.append(po)
            else:
                page_work(i)[2].add(loc)
        orphans = sorted(set(orphans), key=self.po_at.__getitem__)

        # every page and version has its row (the rows of every version are read when a status
        # changes, to find the ones whose chrome asked about it): else plan in full
        if store.count("ren") != len(rows.pg_pages) or store.count("page") != len(paths):
            raise _Fallback
        # the compendium must be the one the state goes with
        db_path = cfg.root / ".l10n-cache" / "build" / "compendium.sqlite"
        db = None
        if any(w[1] for w in work.values()) or parsed:
            db, token = _open_compendium(db_path)
            if token is None or token != self.head["comp_token"]:
                db.close()
                raise _Fallback
        self._read_page_recs(work)
        for i in sorted(work):
            self._page_obj(i)

        # -- from here on, files are written ---------------------------------------------------------
        self.writing = True
        if db is not None:
            for po, crows in comp_rows.items():
                set_rows(db, *_locale_and_name(po), crows)
            db.commit()
        tasks = []
        for i in sorted(work):
            want, upd, comp = work[i]
            targets = cfg.targets.get(locales[i], ())
            tasks.append((self.task_index[i], want, tuple(t for t in targets if t in upd),
                          tuple(t for t in targets if t in comp)))
        n_jobs = _jobs(cfg, self.jobs)
        P = self.P
        shared = {"cfg": cfg, "pages": self.task_pages, "parsed": parsed, "use_fuzzy": self.use_fuzzy,
                  "db": str(db_path), "rel": self.rel, "paths": P,
                  "gate": open_gate(cfg) if orphans or any(t[3] for t in tasks) else None}
        pot_written: list[int] = []
        upd_written: list[int] = []
        comp_written: list[int] = []
        compiled_now: dict[str, tuple] = {}
        staged: list[tuple[str, list]] = []
        upd_at = None
        stats_t = _StatsTable(self.head["stats"])
        for _task, (ti, pw, outs) in pmap_each(_domain_task, list(self.progress(tasks, "build")), jobs=n_jobs,
                                               shared=shared):
            pg = self.task_pages[ti]
            i = self.page_of_task[ti]
            if pw is not None:
                pot = P.pot(pg.domain)
                if pw:
                    pot_written.append(i)
                new_cat[pot] = (file_sig(pot),)
                self.touched.add(pot)
            for o in outs:
                po = P.po(o[1], pg.domain)
                if o[0] == "update":
                    _kind, loc, written, stats, crows = o
                    if upd_at is None:
                        upd_at = dict(zip(rows.upd_paths, range(len(rows.upd_paths))))
                    j = upd_at[self.rel(po)]
                    rows.upd_si[j] = stats_t.index(stats)
                    if written:
                        upd_written.append(j)
                        staged.append((po, crows))
                    store.put("upd", _key2(pg.domain, loc), _stats_t(stats))
                else:
                    compiled_now[po] = o[2:]
        if orphans:
            for path, r in zip(orphans, pmap(_compile_task, orphans, jobs=n_jobs, shared=shared)):
                compiled_now[path] = r
        if staged:                 # the catalogs this update wrote join the compendium after every merge
            for po, crows in staged:
                set_rows(db, *_locale_and_name(po), crows)
            db.commit()
        if db is not None:
            db.close()
        self.mo_sig: dict[str, tuple | None] = {}
        for po, (stats, errors, written, po_sig, po_sha, mo_sig, held) in compiled_now.items():
            j = self.po_at[po]
            rows.comp_si[j] = stats_t.index(stats)
            if errors:
                rows.comp_errors[j] = tuple(errors)
            else:
                rows.comp_errors.pop(j, None)
            if held:
                rows.comp_held[j] = tuple(map(tuple, held))
            else:
                rows.comp_held.pop(j, None)
            if written:
                comp_written.append(j)
            new_cat[po] = (po_sig, po_sha, _stats_t(stats), tuple(errors), mo_sig, tuple(map(tuple, held)))
            k = self._input(po)
            self.arr[4 * k:4 * k + 4] = array("q", po_sig or _BROKEN)
            self.mo_sig[po] = mo_sig
            self.touched.add(po[:-3] + ".mo")
        for po, rec in new_cat.items():
            store.put("cat", po, rec)
        ex_written = tuple(self.rel(P.pot(domains[i])) for i in sorted(pot_written))

        # -- render, and the site around the pages -----------------------------------------------------
        render_written, flips = self._render()
        extras_written = self._extras(flips, stats_t)
        for rel, rec in self.new_page_recs.items():
            store.put("page", rel, rec)

        # -- remember ---------------------------------------------------------------------------------
        dirs = dict(self.listing.dirs)
        if not _note(dirs, sorted(self.touched)):
            raise _Fallback         # a product outside the folders known
        self.head["stats"] = stats_t.rows
        blobs = {"head": self.head, "sigs": self.arr.tobytes(), "vals": rows.vals_blob()}
        if dirs != self.listing.dirs:
            blobs["dirs"] = dirs
        store.commit(blobs)
        with _NoGC():
            return rows.report(cfg, self.head, domains, ex_written=ex_written, upd_written=upd_written,
                               comp_written=comp_written, render_written=render_written + extras_written)

    # -- render --------------------------------------------------------------------------------------
    def _render(self) -> tuple[int, list]:
        """The versions whose inputs changed rendered again, and the ones whose chrome asked
        about a status that flipped (:func:`l10n.incremental.render_pages`' rules)."""
        cfg, store, rows = self.cfg, self.store, self.rows
        rels, locales = self.rels, self.locales
        # the versions to look at: those of the changed pages, of the catalogs compiled, with no output
        look: dict[int, tuple[int, str]] = {}       # report row -> (page index, locale)
        for i in self.skels:
            for loc in _plan_locales(cfg, locales[i]):
                look[self._row(i, loc)] = (i, loc)
        for po in self.mo_sig:
            i, loc = self._page_of_po(po)
            if i is not None:
                look[self._row(i, loc)] = (i, loc)
        for j in self.out_missing:
            look[j] = (self._page_index(rows.pg_pages[j]), rows.pg_locs[j])
        self.recs.update((_split2(k), RenderRec(*v)) for k, v in
                         store.get("ren", (_key2(rels[i], loc) for i, loc in look.values())).items())
        self._read_page_recs(i for i, _loc in look.values())
        keys: dict[tuple[str, str], tuple] = {}
        dirty: dict[int, list[str]] = {}
        for j, (i, loc) in sorted(look.items()):
            rel = rels[i]
            rec = self.recs.get((rel, loc))
            sk = self._page_rec(i)[1]
            if loc == locales[i]:
                mo_sig = None
            else:
                po = self.P.po(loc, self.domains[i])
                if po in self.mo_sig:
                    mo_sig = self.mo_sig[po]
                else:
                    mo_sig = rec.key[1] if rec is not None and rec.key[1] is not None else \
                        file_sig(po[:-3] + ".mo")
            key = keys[(rel, loc)] = (sk, mo_sig)
            fresh = rec is not None and rec.key == key and not (rec.ok and j in self.out_missing)
            if not fresh:
                dirty.setdefault(i, []).append(loc)
        now: dict[tuple[str, str], bool] = {}  # the statuses as this build finds them
        published = _Statuses(self, {})        # as they were (the first renders assume them)
        status = _Statuses(self, now).__contains__
        results: dict[tuple[str, str], tuple] = {}
        origs: dict[tuple[str, str], bytes | None] = {}
        sources = dict(zip(rels, locales))

        def run(tasks: dict[int, list[str]], pub: "_Statuses") -> None:
            if not tasks:
                return
            args = []
            for i in sorted(tasks):
                self._page_obj(i)
                args.append((self.task_index[i], tuple(loc for loc in cfg.locales if loc in tasks[i])))
            shared = {"cfg": cfg, "pages": self.task_pages, "sources": sources, "published": pub}
            outs = pmap(_render_task, list(self.progress(args, "render")), jobs=_jobs(cfg, self.jobs), shared=shared)
            for (ti, _locs), res in zip(args, outs):
                rel = self.task_pages[ti].rel
                for r in res:
                    k = (rel, r[0])
                    if k not in origs:
                        origs[k] = r[3]
                    results[k] = r

        run(dirty, published)
        for k, r in results.items():
            now[k] = r[2]
        flips = [k for k, r in results.items() if (k in published) != r[2]]

        def wrong(asked: Iterable[tuple]) -> bool:
            for rel, lo, ans in asked:
                if rel == "*" or status((rel, lo)) != ans:
                    return True
            return False

        again: dict[int, list[str]] = {}
        for (rel, loc), r in results.items():
            if r[2] and wrong(r[5]):
                again.setdefault(self._page_index(rel), []).append(loc)
        if flips:           # a status changed: the versions whose chrome asked about it
            base = rows.published()
            status = lambda k: now.get(k, k in base)  # noqa: E731 - 300,000 questions: no detour
            for k, v in store.all("ren").items():
                rel, loc = _split2(k)
                if (rel, loc) in results:
                    continue
                rec = RenderRec(*v)
                if rec.ok and wrong(rec.asked):
                    again.setdefault(self._page_index(rel), []).append(loc)
                    self.recs[(rel, loc)] = rec
                    keys[(rel, loc)] = rec.key
            self._read_page_recs(again)
        if again:
            run(again, _Statuses(self, now))
        # what changed, in the rows and the state
        warnings = dict(self.head["warnings"])
        written = 0
        for k, r in results.items():
            rel, loc = k
            j = self._row(self._page_index(rel), loc)
            rec = self.new_recs[k] = render_rec(keys[k], r)
            self.store.put("ren", _key2(rel, loc), tuple(rec))
            rows.pcts[j] = rec.pct
            rows.pubs[j] = rec.ok
            if rec.warnings:
                warnings[j] = tuple(rec.warnings)
            else:
                warnings.pop(j, None)
            if rec.ok and r[7] != origs.get(k):
                written += 1
            self.touched.add(os.path.join(str(cfg.output_dir), rows.pg_outs[j]))
        self.head["warnings"] = sorted(warnings.items())
        return written, flips

    # -- the site around the pages --------------------------------------------------------------------
    def _extras(self, flips: list, stats_t: _StatsTable) -> int:
        """The index lines of the versions rendered again; the indexes whose lines changed; the
        language picker when a count did; the sitemap when a status did; the assets when one
        changed. What went missing is written again."""
        from .fsutil import write_if_changed
        from .locales import bcp47
        from .site import IndexEntry, default_locale, index_frame, index_line, root_html, sitemap_xml, write_assets
        cfg, store, rows = self.cfg, self.store, self.rows
        out = cfg.output_dir
        locs = list(cfg.locales)
        css = [a for a in self.assets if Path(a).suffix.lower() == ".css"]
        n = 0
        if self.assets_dirty:
            n += write_assets(cfg, [cfg.source_dir / a for a in self.assets])
            self.touched.update(os.path.join(str(out), loc, a) for loc in locs for a in self.assets)
            self.touched.add(os.path.join(str(out), "l10n.css"))
        # the lines of the versions rendered again (a version held back is listed under its
        # source version's title)
        need = [(rel, self.locales[self._page_index(rel)]) for (rel, loc), rec in self.new_recs.items() if not rec.ok]
        need = [k for k in need if k not in self.new_recs and k not in self.recs]
        if need:
            got = store.get("ren", (_key2(*k) for k in need))
            self.recs.update((_split2(k), RenderRec(*v)) for k, v in got.items())
        new_lines: dict[tuple[str, str], tuple[bool, bytes]] = {}
        for (rel, loc), rec in self.new_recs.items():
            i = self._page_index(rel)
            src = self.locales[i]
            src_lang = bcp47(src)
            if rec.ok:
                t = rec.title
            else:
                srec = self.new_recs.get((rel, src)) or self.recs.get((rel, src))
                t = (srec.title[0], False) if srec is not None and srec.title is not None else None
            if t is None:
                return n + self._all_extras(css)
            title, ok = t
            j, jsrc = self._row(i, loc), self._row(i, src)
            e = IndexEntry(rows.pg_outs[j], title, None if ok else src_lang, rec.pct, rec.ok, rows.pg_outs[jsrc],
                           src_lang)
            new_lines[(loc, rows.pg_outs[j])] = (rec.ok, index_line(loc, e).encode())
        old_counts = self.head["counts"]
        counts = self.head["counts"] = rows.counts(cfg) if flips else old_counts
        stored = store.some_lines(new_lines)
        dirty_locs = {k[0] for k, (p, h) in new_lines.items() if stored.get(k) != (int(p), h)}
        for r in self.extras_missing:
            if r.endswith("/index.html") and r[:-len("/index.html")] in locs:
                dirty_locs.add(r[:-len("/index.html")])
        for loc in locs:
            if loc not in dirty_locs:
                continue
            lines = store.lines(loc)
            if len(lines) != rows.pg_locs.count(loc):
                return n + self._all_extras(css)       # lines lost: the whole site's extras again
            outputs = [o for o, _p, _h in lines]       # in order: the changed ones found by bisection
            for (lo, o), (p, h) in new_lines.items():
                if lo == loc:
                    k = bisect_left(outputs, o)
                    if k == len(outputs) or outputs[k] != o:
                        return n + self._all_extras(css)
                    lines[k] = (o, p, h)
            shown = [h for _o, p, h in lines if p]
            held = [h for _o, p, h in lines if not p]
            head, middle, tail = index_frame(cfg, loc, len(shown), len(held), locs, stylesheets=css)
            n += write_if_changed(out / loc / "index.html",
                                  b"".join([head.encode(), *shown, middle.encode(), *held, tail.encode()]),
                                  durable=False)
            self.touched.add(os.path.join(str(out), loc, "index.html"))
        for (loc, o), (p, h) in new_lines.items():
            store.put_line(loc, o, p, h)
        if counts != old_counts or "index.html" in self.extras_missing:
            n += write_if_changed(out / "index.html",
                                  root_html(cfg, locs, counts, default_locale(cfg), stylesheets=css), durable=False)
            self.touched.add(os.path.join(str(out), "index.html"))
        if flips or "sitemap.xml" in self.extras_missing:
            n += write_if_changed(out / "sitemap.xml", sitemap_xml(cfg, self._sitemap_groups()), durable=False)
            self.touched.add(os.path.join(str(out), "sitemap.xml"))
        return n

    def _sitemap_groups(self) -> list:
        from .site import sitemap_groups
        rows = self.rows
        source_out = {rel: rows.pg_outs[self._row(i, src)]
                      for i, (rel, src) in enumerate(zip(self.rels, self.locales))}
        return sitemap_groups(list(self.cfg.locales),
                              zip(rows.pg_pages, rows.pg_locs, map(bool, rows.pubs), rows.pg_outs), source_out)

    def _all_extras(self, css: list[str]) -> int:
        """write_site_extras over the whole site (index lines were lost), its lines kept."""
        from .project import Page, PageStat
        from .site import write_site_extras
        cfg, rows = self.cfg, self.rows
        recs = {_split2(k): RenderRec(*v) for k, v in self.store.all("ren").items()}
        recs.update(self.new_recs)
        pages = [Page(Path(p), rel, dom, LazySkeleton(rel, "", loc, "", "", p, cfg.source_locales))
                 for p, rel, dom, loc in zip(self.paths, self.rels, self.domains, self.locales)]

        def titles(pg: "Page", loc: str) -> tuple[str, bool]:
            rec = recs.get((pg.rel, loc))
            if rec is None or rec.title is None:
                raise _Fallback
            return rec.title

        lines: dict[str, list] = {}
        stats = [PageStat(*r) for r in zip(rows.pg_pages, rows.pg_locs, rows.pcts, map(bool, rows.pubs), rows.pg_outs)]
        n = write_site_extras(cfg, pages, stats, titles=titles, lines=lines)
        self.store.clear_lines()
        for loc, li in lines.items():
            for output, published, html in li:
                self.store.put_line(loc, output, published, html.encode())
        self.head["counts"] = rows.counts(cfg)
        out = str(cfg.output_dir)
        self.touched.update(os.path.join(out, f) for f in ("index.html", "sitemap.xml", "l10n.css"))
        self.touched.update(os.path.join(out, loc, "index.html") for loc in cfg.locales)
        self.touched.update(os.path.join(out, loc, a) for loc in cfg.locales for a in self.assets)
        return n
