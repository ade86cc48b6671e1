"""The incremental build: :func:`l10n.project.build`'s four stages over what changed.

``project.build_full`` is the reference (every stage over every page);
tests/test_incremental.py holds the two to the same files and the same report
through edits of pages, catalogs and settings, deletions and additions.

What is redone, and why that is enough:

* a page is re-read only when its file signature (mtime, size, inode, ctime)
  changed, and re-parsed only when its content did (its skeleton key);
* a template is rebuilt when its page changed, its file changed, or a catalog
  of its page must be merged again (the merge needs the template);
* a catalog is merged again when its template or its own file changed (merging
  an unchanged template into its own last output changes nothing: every msgid
  of the template is already in it, so no fuzzy match and no compendium
  lookup happens); the compendium is an SQLite index kept up to date;
* a ``.mo`` is compiled again when its catalog or its own file changed;
* a page version is rendered again when its inputs changed (see
  :func:`l10n.incremental.render_pages`).

A whole-project fingerprint (every file's signature under the source, locales
and output folders, the settings and l10n's own code) taken at the end of a
build lets the next build return at once when nothing at all changed.
"""
from __future__ import annotations

import fnmatch
import hashlib
import operator
import os
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from . import catalogs as cat
from .incremental import (FORMAT, Compendium, FastRel, LazySkeleton, _cfg_digest, _jobs, _load_pickle, _save_pickle,
                          _SHARED, compendium_rows, delete_unplanned, file_sig, load_page_refs,
                          load_render_cache, open_compendium, pmap, pmap_each, render_pages, save_render_cache, set_rows,
                          site_extras, skeleton_key)

if TYPE_CHECKING:
    from .config import Config
    from .project import BuildReport

__all__ = ["build", "fingerprint", "catalog_paths"]


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
_LINKS = "\x00links"          # in a scan's signatures: the output folder holds symbolic links


def _scan(top: Path, h: "hashlib._Hash", sigs: dict, skip: Path | None = None, names_only: bool = False,
          products: tuple[str, ...] = ()) -> None:
    """Every file under ``top`` (recursively, symlinked folders not followed) into ``h`` and ``sigs``.

    For build products (``names_only``, or names ending with ``products``) only their
    presence counts (signature ``()``): a stat is 3 us, and a site of 10,000 pages has
    30,000 pages, 20,000 .mo files and 10,000 templates that only l10n writes."""
    stack = [str(top)]
    skip_s = str(skip) if skip else None
    items: list = []
    while stack:
        d = stack.pop()
        try:
            with os.scandir(d) as it:
                entries = sorted(it, key=_BY_NAME)
        except OSError:
            items.append(("?", d))
            continue
        for e in entries:
            try:
                if e.is_dir(follow_symlinks=False):
                    if e.path != skip_s:
                        stack.append(e.path)
                    continue
                if names_only or (products and e.name.endswith(products)):
                    items.append(e.path)
                    sigs[e.path] = ()
                    if e.is_symlink():
                        sigs[_LINKS] = True
                    continue
                st = e.stat()
                sig = sigs[e.path] = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
                items.append((e.path, sig))
            except OSError:
                items.append(("!", e.path))
    h.update(repr(items).encode())


def fingerprint(cfg: "Config", ctx: str) -> tuple[str, dict[str, tuple]]:
    """Every file's signature under the source, locales and output folders, and the settings:
    (one digest of them all, {path: signature})."""
    h = hashlib.sha256(f"{FORMAT}\0{ctx}\0{cfg.pyproject}\0{file_sig(cfg.pyproject) if cfg.pyproject else ''}\n"
                       .encode())
    sigs: dict[str, tuple] = {}
    cache = cfg.root / ".l10n-cache"
    for top in (cfg.source_dir, cfg.locales_dir, cfg.output_dir):
        h.update(f"#{top}\n".encode())
        if top.is_dir():       # the site is a product: a page deleted there is noticed, one edited is not
            _scan(top, h, sigs, skip=cache, names_only=top == cfg.output_dir,
                  products=(".mo", ".pot") if top == cfg.locales_dir else ())
    return h.hexdigest(), sigs


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


# -- workers ------------------------------------------------------------------------------

def _validate_task(path: str) -> tuple[Any, list, str] | None:
    """Worker: read one catalog; (catalog, compendium rows, sha1) or None when unreadable."""
    from .errors import L10nError
    cfg = _SHARED["cfg"]
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
    """compile_all's work for one catalog: (stats, errors, written, po sig, po sha1, mo sig)."""
    from .fsutil import write_if_changed
    data = path.read_bytes()
    rel = _SHARED["rel"](path)
    po = cat.read_catalog(str(path), data, name=rel)
    res = cat.compile_catalog(po, rel, use_fuzzy=use_fuzzy)
    written = False
    mo = path.with_suffix(".mo")
    if res.mo is not None:
        written = write_if_changed(mo, res.mo, durable=False)
    return res.stats, res.errors, written, file_sig(path), _sha1(data), file_sig(mo)


def _compile_task(path: str) -> tuple:
    g = _SHARED
    return _compile_one(g["cfg"], Path(path), g["use_fuzzy"], g["parsed"])


# -- the build ------------------------------------------------------------------------------

def _steady(report: "BuildReport") -> "BuildReport":
    """The report a build with nothing to do gives: the same, with nothing written."""
    from .project import BuildReport, CompileReport, ExtractResult, RenderReport, UpdateResult
    ex = ExtractResult((), (), (), report.extract.templates)
    up = [UpdateResult(u.path, u.locale, False, u.stats) for u in report.update]
    co = [CompileReport(c.path, c.stats, c.errors, False) for c in report.compile]
    re_ = RenderReport(report.render.pages, 0, report.render.warnings)
    return BuildReport(ex, up, co, re_)


def build(cfg: "Config", *, use_fuzzy: bool = False, progress: Callable = lambda items, label: items,
          jobs: int | None = None) -> "BuildReport":
    """project.build, redoing only what changed since the last build of this project."""
    from .project import (BuildReport, CompileReport, ExtractResult, Page, RenderReport, UpdateResult,
                          _TemplatesOnDisk, _check_domains, _rels_and_domains, discover_pages)
    bdir = cfg.root / ".l10n-cache" / "build"
    ctx = _cfg_digest(cfg, use_fuzzy, _code_sig())
    snap_path, man_path, db_path = bdir / "snapshot.pickle", bdir / "manifest.pickle", bdir / "compendium.sqlite"
    fp, sigs = fingerprint(cfg, ctx)

    def S(path: str | Path) -> tuple | None:     # a file's signature, from the scan when it has it
        sig = sigs.get(str(path))
        return sig if sig is not None else file_sig(path)

    try:
        snap = _load_pickle(snap_path)
        if snap[0] == FORMAT and snap[1] == ctx and snap[2] == fp:
            report = snap[3]
            report.extract.templates._cfg = cfg
            return report
    except Exception:  # noqa: BLE001 - no snapshot: build
        pass
    try:
        man = _load_pickle(man_path)
        if not isinstance(man, tuple) or man[0] != FORMAT or man[1].ctx != ctx:
            raise ValueError
        man = man[1]
    except Exception:  # noqa: BLE001
        man = Manifest(ctx=ctx)
    try:
        snap_path.unlink()          # from here on the project may be half built
    except FileNotFoundError:
        pass
    n_jobs = _jobs(cfg, jobs)
    rel = FastRel(cfg)

    # -- pages: read only what changed, parse only what is new ----------------------------
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
    pages = [Page(p, rel, dom, ref) for p, rel, dom, ref in zip(paths, rels, domains, refs)]
    _check_domains(pages)

    # -- catalogs: an unreadable one stops the build before anything is written --------------
    # Each changed catalog is read (on every core) and its translations go straight into the
    # compendium index, which must hold every catalog as it is before this update. Rows are
    # not kept: a cold build of 20,000 catalogs would hold a million of them.
    po_paths = catalog_paths(cfg)
    parsed: dict[str, Any] = {}
    db = open_compendium(db_path)
    db.execute("CREATE TABLE IF NOT EXISTS meta (token TEXT)")
    row = db.execute("SELECT token FROM meta").fetchone()
    token = row[0] if row else None
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
    shared = {"cfg": cfg, "pages": pages, "parsed": parsed, "use_fuzzy": use_fuzzy, "db": str(db_path), "rel": rel,
              "paths": P}
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
        for path, r in zip(orphans, pmap(_compile_task, orphans, jobs=n_jobs, shared=shared)):
            compiled_now[path] = r
    compile_reports = []
    for k in po_paths:
        if k in compiled_now:
            stats, errors, written, po_sig, po_sha, mo_sig = compiled_now[k]
            man.files[k] = (po_sig, po_sha)
            man.compiled[k] = (stats, errors, mo_sig)
            sigs[k] = po_sig
            sigs[k[:-3] + ".mo"] = mo_sig
        else:
            stats, errors, _mo = man.compiled[k]
            written = False
        compile_reports.append(CompileReport(rel(k), stats, tuple(errors), written))
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
    if cfg.templates_dir.is_dir():
        domains_set = {pg.domain for pg in pages}
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
    rc = load_render_cache(cfg)
    outcome, rc = render_pages(cfg, pages, jobs=jobs, progress=progress, cache=rc, sigs=sigs)
    if sigs.get(_LINKS):
        delete_unplanned(cfg, outcome.stats)
    else:                          # the scan knows every site page: no walk, no realpath
        delete_unplanned(cfg, outcome.stats, present=[p for p, v in sigs.items() if v == ()])
    written = outcome.written + site_extras(cfg, pages, outcome, rc)
    save_render_cache(cfg, rc)
    re_ = RenderReport(tuple(outcome.stats), written, tuple(outcome.warnings))
    report = BuildReport(ex, up, compile_reports, re_)

    # -- remember ---------------------------------------------------------------------------------------
    for i, pg in enumerate(pages):
        man.pages[pg.rel] = (page_sigs[i], pg.skeleton.key, pg.skeleton.lang, pg.skeleton.locale)
    current = set(rels)
    for gone in [r for r in man.pages if r not in current]:
        del man.pages[gone]
    bdir.mkdir(parents=True, exist_ok=True)
    _save_pickle(man_path, (FORMAT, man))
    # the fingerprint counts only if nothing was changed behind this build's back
    end_fp, end_sigs = fingerprint(cfg, ctx)
    steady = all(end_sigs.get(str(p)) == page_sigs[i] for i, p in enumerate(paths)) and \
        all(man.files.get(p, (None,))[0] == end_sigs.get(p) for p in po_paths)
    if steady:
        _save_pickle(snap_path, (FORMAT, ctx, end_fp, _steady(report)))
    return report


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
