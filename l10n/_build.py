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
import os
import sqlite3
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from . import catalogs as cat
from .incremental import (FORMAT, Compendium, LazySkeleton, _cfg_digest, _jobs, _load_pickle, _save_pickle,
                          _SHARED, compendium_rows, delete_unplanned, file_sig, load_page_refs,
                          load_render_cache, open_compendium, pmap, render_pages, save_render_cache, set_rows,
                          sig_of, site_extras, skeleton_key)

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


def _scan(top: Path, h: "hashlib._Hash", skip: Path | None = None) -> None:
    """Every file under ``top`` (recursively, symlinked folders not followed) into ``h``."""
    stack = [str(top)]
    skip_s = str(skip) if skip else None
    while stack:
        d = stack.pop()
        try:
            with os.scandir(d) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            h.update(f"?{d}\n".encode())
            continue
        for e in entries:
            if skip_s and e.path == skip_s:
                continue
            try:
                if e.is_dir() and not e.is_symlink():
                    stack.append(e.path)
                    continue
                st = e.stat()
                h.update(f"{e.path}\0{st.st_mtime_ns}\0{st.st_size}\0{st.st_ino}\0{st.st_ctime_ns}\n".encode())
            except OSError:
                h.update(f"!{e.path}\n".encode())


def fingerprint(cfg: "Config", ctx: str) -> str:
    """Every file's signature under the source, locales and output folders, and the settings."""
    h = hashlib.sha256(f"{FORMAT}\0{ctx}\0{cfg.pyproject}\0{file_sig(cfg.pyproject) if cfg.pyproject else ''}\n"
                       .encode())
    cache = cfg.root / ".l10n-cache"
    for top in (cfg.source_dir, cfg.locales_dir, cfg.output_dir):
        h.update(f"#{top}\n".encode())
        if top.is_dir():
            _scan(top, h, skip=cache)
    return h.hexdigest()


def catalog_paths(cfg: "Config") -> list[Path]:
    """project.iter_catalog_paths(cfg), with scandir."""
    out: list[Path] = []
    if not cfg.locales_dir.is_dir():
        return out
    for d in sorted(cfg.locales_dir.iterdir()):
        lc = d / "LC_MESSAGES"
        if d.name == "templates" or not lc.is_dir():
            continue
        with os.scandir(lc) as it:
            names = sorted(e.name for e in it if fnmatch.fnmatchcase(e.name, "*.po"))
        out.extend(lc / n for n in names)
    return out


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


# -- workers ------------------------------------------------------------------------------

def _validate_task(path: str) -> tuple[Any, list, str] | None:
    """Worker: read one catalog; (catalog, compendium rows, sha1) or None when unreadable."""
    from .errors import L10nError
    cfg = _SHARED["cfg"]
    try:
        data = Path(path).read_bytes()
        po = cat.read_catalog(path, data, name=cfg.rel(Path(path)))
    except (L10nError, OSError):
        return None
    return po, compendium_rows(po), _sha1(data)


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
        pot_written = _write_catalog(cfg.pot_path(pg.domain), pot, "POT-Creation-Date", durable=False)
    out = []
    db = _worker_db(g["db"]) if update_locs else None
    for loc in update_locs:
        path = cfg.po_path(loc, pg.domain)
        old = parsed.get(str(path))
        if old is None and path.is_file():
            old = cat.read_catalog(str(path), name=cfg.rel(path))
        po = cat.merge(pot, old, loc, compendium=Compendium(db, loc))
        written = _write_catalog(path, po, None)
        rows = compendium_rows(po) if written else None
        out.append(("update", loc, written, cat.stats(po), rows))
    for loc in compile_locs:
        out.append(("compile", loc) + _compile_one(cfg, cfg.po_path(loc, pg.domain), use_fuzzy, parsed))
    return i, pot_written, out


def _compile_one(cfg: "Config", path: Path, use_fuzzy: bool, parsed: dict) -> tuple:
    """compile_all's work for one catalog: (stats, errors, written, po sig, po sha1, mo sig)."""
    from .fsutil import write_if_changed
    data = path.read_bytes()
    rel = cfg.rel(path)
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
    from dataclasses import replace
    from .project import BuildReport, ExtractResult, RenderReport
    ex = ExtractResult((), (), (), report.extract.templates)
    up = [replace(u, written=False) for u in report.update]
    co = [replace(c, written=False) for c in report.compile]
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
    fp = fingerprint(cfg, ctx)
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
        sig = sig_of(os.stat(p))
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
    po_paths = catalog_paths(cfg)
    parsed: dict[str, Any] = {}
    rows_of: dict[str, list] = {}
    digest_of: dict[str, str] = {}
    to_read = []
    for p in po_paths:
        rec = man.files.get(str(p))
        if rec is not None and rec[0] == file_sig(p):
            continue
        to_read.append(str(p))
    if to_read:
        got = pmap(_validate_task, list(progress(to_read, "read")), jobs=n_jobs, shared={"cfg": cfg})
        for path, g in zip(to_read, got):
            if g is None:               # the first unreadable catalog, with its real error
                cat.read_catalog(path, name=cfg.rel(Path(path)))
                raise AssertionError(f"{path} failed in a worker but reads here")  # pragma: no cover
            po, rows, digest = g
            rec = man.files.get(path)
            if rec is not None and rec[1] == digest:
                man.files[path] = (file_sig(path), digest)     # touched, not changed
                continue
            parsed[path] = po
            rows_of[path] = rows
            digest_of[path] = digest

    # -- the compendium: kept in step with every catalog's content before this update --------
    db = open_compendium(db_path)
    db.execute("CREATE TABLE IF NOT EXISTS meta (token TEXT)")
    row = db.execute("SELECT token FROM meta").fetchone()
    token = row[0] if row else None
    if token is None or token != man.comp_token:
        db.execute("DELETE FROM comp")
        db.execute("DELETE FROM meta")
        token = uuid.uuid4().hex
        db.execute("INSERT INTO meta VALUES (?)", (token,))
        man.comp_token = token
        missing = [str(p) for p in po_paths if str(p) not in rows_of]
        if missing:
            got = pmap(_validate_task, missing, jobs=n_jobs, shared={"cfg": cfg})
            for path, g in zip(missing, got):
                if g is not None:
                    rows_of[path] = g[1]
        for path in po_paths:
            set_rows(db, path.parent.parent.name, path.name, rows_of.get(str(path)))
    else:
        on_disk = {str(p) for p in po_paths}
        for path in [k for k in man.files if k.endswith(".po") and k not in on_disk]:
            pp = Path(path)
            set_rows(db, pp.parent.parent.name, pp.name, None)
            man.files.pop(path, None)
            man.compiled.pop(path, None)
        for path, rows in rows_of.items():
            pp = Path(path)
            set_rows(db, pp.parent.parent.name, pp.name, rows)
    db.commit()

    # -- extract + update + compile, page by page, on every core ---------------------------------
    tasks = []
    jobs_order: list[tuple[str, str, int]] = []       # (domain, locale, page index): update's order
    order = sorted(range(len(pages)), key=lambda i: pages[i].domain)
    for i in order:
        for loc in cfg.targets.get(pages[i].locale, ()):
            jobs_order.append((pages[i].domain, loc, i))
    by_page_updates: dict[int, list[str]] = {}
    for dom, loc, i in jobs_order:
        pg = pages[i]
        po = cfg.po_path(loc, dom)
        pot = cfg.pot_path(dom)
        pot_rec = man.files.get(str(pot))
        template_same = pg.rel not in changed_pages and pot_rec is not None and pot_rec[0] == file_sig(pot)
        if not (template_same and str(po) not in parsed and str(po) in man.files
                and (dom, loc) in man.update and po.is_file()):
            by_page_updates.setdefault(i, []).append(loc)
    for i, pg in enumerate(pages):
        pot = cfg.pot_path(pg.domain)
        pot_rec = man.files.get(str(pot))
        want_template = (pg.rel in changed_pages or pot_rec is None or pot_rec[0] != file_sig(pot)
                         or i in by_page_updates)
        upd = by_page_updates.get(i, [])
        comp = []
        for loc in cfg.targets.get(pg.locale, ()):
            po = cfg.po_path(loc, pg.domain)
            if loc in upd or _needs_compile(man, po, parsed):
                comp.append(loc)
        if want_template or upd or comp:
            tasks.append((i, want_template, tuple(upd), tuple(comp)))
    shared = {"cfg": cfg, "pages": pages, "parsed": parsed, "use_fuzzy": use_fuzzy, "db": str(db_path)}
    db.close()
    results = pmap(_domain_task, list(progress(tasks, "build")), jobs=n_jobs, shared=shared)
    pot_written: dict[int, bool] = {}
    updated: dict[tuple[str, str], tuple[bool, Any]] = {}
    compiled_now: dict[str, tuple] = {}
    new_rows: dict[str, list] = {}
    for i, pw, outs in results:
        pg = pages[i]
        pot = cfg.pot_path(pg.domain)
        if pw is not None:
            pot_written[i] = pw
            man.files[str(pot)] = (file_sig(pot), "")
        for o in outs:
            po = cfg.po_path(o[1], pg.domain)
            if o[0] == "update":
                _kind, loc, written, stats, rows = o
                updated[(pg.domain, loc)] = (written, stats)
                man.update[(pg.domain, loc)] = stats
                if written:
                    new_rows[str(po)] = rows
            else:
                compiled_now[str(po)] = o[2:]
    # catalogs with no page of their own (a page gone, a locale dropped) are still compiled
    po_paths = catalog_paths(cfg)
    orphans = [str(p) for p in po_paths if str(p) not in compiled_now and _needs_compile(man, p, parsed)]
    if orphans:
        for path, r in zip(orphans, pmap(_compile_task, orphans, jobs=n_jobs, shared=shared)):
            compiled_now[path] = r
    compile_reports = []
    for p in po_paths:
        k = str(p)
        if k in compiled_now:
            stats, errors, written, po_sig, po_sha, mo_sig = compiled_now[k]
            man.files[k] = (po_sig, po_sha)
            man.compiled[k] = (stats, errors, mo_sig)
        else:
            stats, errors, _mo = man.compiled[k]
            written = False
        compile_reports.append(CompileReport(cfg.rel(p), stats, tuple(errors), written))
    # the compendium follows the catalogs this update wrote
    if new_rows:
        db = sqlite3.connect(str(db_path))
        for path, rows in new_rows.items():
            pp = Path(path)
            set_rows(db, pp.parent.parent.name, pp.name, rows)
        db.commit()
        db.close()
    extract_written = tuple(cfg.rel(cfg.pot_path(pages[i].domain)) for i in range(len(pages)) if pot_written.get(i))
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
        po = cfg.po_path(loc, dom)
        written, stats = updated.get((dom, loc), (False, man.update.get((dom, loc))))
        up.append(UpdateResult(cfg.rel(po), loc, written, stats))

    # -- render -------------------------------------------------------------------------------------
    rc = load_render_cache(cfg)
    outcome, rc = render_pages(cfg, pages, jobs=jobs, progress=progress, cache=rc)
    delete_unplanned(cfg, outcome.stats)
    written = outcome.written + site_extras(cfg, pages, outcome, rc)
    save_render_cache(cfg, rc)
    re_ = RenderReport(tuple(outcome.stats), written, tuple(outcome.warnings))
    report = BuildReport(ex, up, compile_reports, re_)

    # -- remember ---------------------------------------------------------------------------------------
    for i, pg in enumerate(pages):
        man.pages[pg.rel] = (page_sigs[i], pg.skeleton.key, pg.skeleton.lang, pg.skeleton.locale)
    for rel in [r for r in man.pages if r not in set(rels)]:
        del man.pages[rel]
    bdir.mkdir(parents=True, exist_ok=True)
    _save_pickle(man_path, (FORMAT, man))
    # the fingerprint counts only if nothing was changed behind this build's back
    steady = all(sig_of(os.stat(p)) == page_sigs[i] for i, p in enumerate(paths)) and \
        all(man.files.get(str(p), (None,))[0] == file_sig(p) for p in po_paths)
    if steady:
        _save_pickle(snap_path, (FORMAT, ctx, fingerprint(cfg, ctx), _steady(report)))
    return report


def _needs_compile(man: Manifest, po: Path, parsed: dict) -> bool:
    k = str(po)
    if k in parsed or k not in man.compiled or k not in man.files:
        return True
    if man.files[k][0] != file_sig(po):
        return True
    return man.compiled[k][2] != file_sig(po.with_suffix(".mo"))
