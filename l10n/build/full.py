"""The build with every page and catalog planned: what changed is redone, the state written anew (one job).

``build(force=True)`` is this with nothing remembered: every page, catalog and version stale."""
from __future__ import annotations

import os
import sqlite3
import uuid
from array import array
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .. import catalogs as cat
from ..gate import HeldBack, open_gate
from ..pages import LazySkeleton, skeleton_key
from ..workers import file_sig, jobs_for, pmap, pmap_each
from .render import RenderCache, RenderRec, delete_unplanned, render_pages
from .report import Rows, StatsTable, stats_tuple
from .stages import Compiled, PageTask, compile_task, domain_task, validate_task
from .state import (
    BROKEN,
    GONE,
    STATE_FORMAT,
    TABLES,
    UNSEEN,
    FastRel,
    Listing,
    Manifest,
    Paths,
    Store,
    catalog_paths,
    full_scan,
    join_names,
    key2,
    locale_and_name,
    needs_compile,
    open_compendium,
    open_compendium_with_token,
    put_changed,
    same_sig,
    set_rows,
    split2,
    split_names,
)

if TYPE_CHECKING:
    from ..config import Config
    from .report import BuildReport
    from ..pages import Page



def plan_locales(cfg: "Config", src: str) -> list[str]:
    """A page's versions in render_site's order."""
    targets = cfg.targets.get(src, ())
    return [loc for loc in cfg.locales if loc == src or loc in targets]


def core_blobs(cfg: "Config", listing: Listing, paths: list[str], rels: list[str], domains: list[str],
          locales: list[str], po_paths: list[str], assets: list[str], rows: Rows, stats: StatsTable,
          warnings: list, rctx: str, comp_token: str, ctx: str) -> dict:
    starts = []
    n = 0
    for loc in locales:
        starts.append(n)
        n += len(plan_locales(cfg, loc))
    starts.append(n)
    head = {"format": STATE_FORMAT, "ctx": ctx, "rctx": rctx, "comp_token": comp_token, "stats": stats.rows,
            "warnings": warnings, "counts": rows.counts(cfg), "links": listing.links}
    return {"head": head, "dirs": listing.dirs, "inputs": listing.inputs, "sigs": listing.sigs.tobytes(),
            "pages": (paths, rels, domains, locales, starts, po_paths, assets),
            "rows": rows.rows_blob(), "vals": rows.vals_blob()}


def full_build(cfg: "Config", store: Store, blobs: dict, ctx: str, use_fuzzy: bool, progress: Callable,
          jobs: int | None) -> "BuildReport":
    """Every page and catalog planned (what changed redone), the state written anew."""
    from .report import BuildReport, CompileReport, ExtractResult, RenderReport, UpdateResult
    from ..pages import Page, check_domains, discover_pages, rels_and_domains
    from .stages import TemplatesOnDisk
    from ..site import page_title
    from .sitefiles import asset_paths, write_site_extras
    bdir = cfg.root / ".l10n-cache" / "build"
    db_path = bdir / "compendium.sqlite"
    for old in ("manifest.pickle", "snapshot.pickle"):      # the state before state.sqlite
        try:
            (bdir / old).unlink()
        except FileNotFoundError:
            pass
    listing, sigs = full_scan(cfg)

    def S(path: str | Path) -> tuple | None:     # a file's signature, from the scan when it has it
        sig = sigs.get(str(path))
        if sig is None:
            return file_sig(path)
        return None if sig == BROKEN else sig

    head = blobs.get("head")
    man = Manifest(ctx=ctx)
    old_pages: dict = {}
    old_cat: dict = {}
    old_upd: dict = {}
    if head is None:
        for t in TABLES:
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
        man.update = {split2(k): cat.Stats(*v) for k, v in old_upd.items()}
        man.comp_token = head["comp_token"]
    n_jobs = jobs_for(cfg, jobs)
    rel = FastRel(cfg)

    # -- pages: read only what changed, parse only what is new ----------------------------
    from ..pages import load_page_refs
    paths = discover_pages(cfg)
    rels, domains = rels_and_domains(cfg, paths)
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
    check_domains(pages)

    # -- catalogs: an unreadable one stops the build before anything is written --------------
    # Each changed catalog is read (on every core) and its translations go straight into the
    # compendium index, which must hold every catalog as it is before this update. Rows are
    # not kept: a cold build of 20,000 catalogs would hold a million of them.
    po_paths = catalog_paths(cfg)
    parsed: dict[str, Any] = {}
    db, token = open_compendium_with_token(db_path)
    fresh_db = token is None or token != man.comp_token
    if fresh_db:                                 # lost or out of step: rebuilt from every catalog
        db.execute("DELETE FROM comp")
        db.execute("DELETE FROM meta")
        db.commit()
    else:
        on_disk = set(po_paths)
        for path in [k for k in man.files if k.endswith(".po") and k not in on_disk]:
            set_rows(db, *locale_and_name(path), None)
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
        for path, g in pmap_each(validate_task, list(progress(to_read, "read")), jobs=n_jobs,
                                 shared={"cfg": cfg, "rel": rel, "keep": keep}):
            if g is None:
                bad = path              # the first unreadable catalog (results come in order)
                break
            po, rows, digest = g.po, g.rows, g.digest
            rec = man.files.get(path)
            if rec is not None and rec[1] == digest:
                man.files[path] = (S(path), digest)     # touched, not changed
                if not fresh_db:
                    continue
            else:
                parsed[path] = po        # None: changed, read again where it is merged
            set_rows(db, *locale_and_name(path), rows)
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
    P = Paths(cfg)
    by_page_updates: dict[int, list[str]] = {}
    for dom, loc, i in jobs_order:
        pg = pages[i]
        po = P.po(loc, dom)
        pot = P.pot(dom)
        pot_rec = man.files.get(pot)
        template_same = pg.rel not in changed_pages and pot_rec is not None and same_sig(pot_rec[0], S(pot))
        if not (template_same and po not in parsed and po in man.files
                and (dom, loc) in man.update and S(po) is not None):
            by_page_updates.setdefault(i, []).append(loc)
    for i, pg in enumerate(pages):
        pot = P.pot(pg.domain)
        pot_rec = man.files.get(pot)
        want_template = (pg.rel in changed_pages or pot_rec is None or not same_sig(pot_rec[0], S(pot))
                         or i in by_page_updates)
        upd = by_page_updates.get(i, [])
        comp = []
        for loc in cfg.targets.get(pg.locale, ()):
            if loc in upd or needs_compile(man, P.po(loc, pg.domain), parsed, S):
                comp.append(loc)
        if want_template or upd or comp:
            tasks.append(PageTask(i, want_template, tuple(upd), tuple(comp)))
    gate = open_gate(cfg) if any(t.compile for t in tasks) else None
    shared = {"cfg": cfg, "pages": pages, "parsed": parsed, "use_fuzzy": use_fuzzy, "db": str(db_path), "rel": rel,
              "paths": P, "gate": gate}
    db.close()
    pot_written: dict[int, bool] = {}
    updated: dict[tuple[str, str], tuple[bool, Any]] = {}
    compiled_now: dict[str, Compiled] = {}
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
    for _task, work in pmap_each(domain_task, list(progress(tasks, "build")), jobs=n_jobs, shared=shared):
        i = work.index
        pg = pages[i]
        pot = P.pot(pg.domain)
        if work.template_written is not None:
            pot_written[i] = work.template_written
            man.files[pot] = (file_sig(pot), "")
        for m in work.merged:
            po = P.po(m.locale, pg.domain)
            updated[(pg.domain, m.locale)] = (m.written, m.stats)
            man.update[(pg.domain, m.locale)] = m.stats
            if m.written:
                staged.execute("INSERT INTO written VALUES (?, ?)", locale_and_name(po))
                set_rows(staged, *locale_and_name(po), m.rows)
                n_staged += 1
        for loc, c in work.compiled:
            compiled_now[P.po(loc, pg.domain)] = c
    # catalogs with no page of their own (a page gone, a locale dropped) are still compiled
    po_paths = catalog_paths(cfg)
    orphans = [p for p in po_paths if p not in compiled_now and needs_compile(man, p, parsed, S)]
    if orphans:
        if shared["gate"] is None:
            shared["gate"] = open_gate(cfg)
        for path, r in zip(orphans, pmap(compile_task, orphans, jobs=n_jobs, shared=shared)):
            compiled_now[path] = r
    compile_reports = []
    for k in po_paths:
        if k in compiled_now:
            c = compiled_now[k]
            stats, errors, written, held = c.stats, c.errors, c.written, c.held
            man.files[k] = (c.po_sig, c.po_sha)
            man.compiled[k] = (stats, errors, c.mo_sig, held)
            sigs[k] = c.po_sig
            sigs[k[:-3] + ".mo"] = c.mo_sig
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
    ex = ExtractResult(extract_written, (), tuple(removed), TemplatesOnDisk(cfg, [pg.domain for pg in pages]))
    up = []
    for dom, loc, _i in jobs_order:
        written, stats = updated.get((dom, loc), (False, man.update.get((dom, loc))))
        up.append(UpdateResult(rel(P.po(loc, dom)), loc, written, stats))

    # -- render -------------------------------------------------------------------------------------
    old_ren = store.all("ren") if head is not None else {}
    rc = RenderCache(ctx=head["rctx"] if head is not None else "",
                     items={split2(k): RenderRec(*v) for k, v in old_ren.items()})
    outcome, rc = render_pages(cfg, pages, jobs=jobs, progress=progress, cache=rc, sigs=sigs)
    if listing.links:
        delete_unplanned(cfg, outcome.stats)
    else:                          # the scan knows every site page: no walk, no realpath
        delete_unplanned(cfg, outcome.stats, present=[p for p, v in sigs.items() if v == ()])

    def titles(pg: "Page", loc: str) -> tuple[str, bool]:
        t = outcome.titles.get((pg.rel, loc))
        if t is None:
            from ..catalogs import mo_table
            t = page_title(cfg, pg, loc, None if loc == pg.locale else mo_table(cfg, loc, pg.domain))
        return t

    lines: dict[str, list] = {}
    written = outcome.written + write_site_extras(cfg, pages, list(outcome.stats), titles=titles, lines=lines)
    re_ = RenderReport(tuple(outcome.stats), written, tuple(outcome.warnings))
    report = BuildReport(ex, up, compile_reports, re_)

    # -- remember ---------------------------------------------------------------------------------------
    new_pages = {pg.rel: (page_sigs[i], pg.skeleton.key, pg.skeleton.lang, pg.skeleton.locale)
                 for i, pg in enumerate(pages)}
    put_changed(store, "page", old_pages, new_pages)
    new_cat: dict[str, tuple] = {}
    for k, (sig, sha) in man.files.items():
        if k.endswith(".pot"):
            if k[:-4].rsplit("/", 1)[-1] in domains_set:
                new_cat[k] = (sig,)
        elif k in man.compiled:
            st, errs, mo_sig, held = man.compiled[k]
            new_cat[k] = (sig, sha, stats_tuple(st), tuple(errs), mo_sig, tuple(map(tuple, held)))
    put_changed(store, "cat", old_cat, new_cat)
    put_changed(store, "upd", old_upd, {key2(*k): stats_tuple(v) for k, v in man.update.items()})
    put_changed(store, "ren", old_ren, {key2(*k): tuple(v) for k, v in rc.items.items()})
    store.clear_lines()
    for loc, li in lines.items():
        for output, published, html in li:
            store.put_line(loc, output, published, html.encode())
    st_table = StatsTable()
    rows = Rows.of(up, compile_reports, outcome.stats, st_table)
    warnings = []
    for j, s in enumerate(outcome.stats):
        rec = rc.items.get((s.page, s.locale))
        if rec is not None and rec.warnings:
            warnings.append((j, tuple(rec.warnings)))
    # the listing the next build compares with: the folders as this build leaves them, each
    # input with the signature it had when it was read (a file changed meanwhile counts as
    # changed next time; a file that appeared meanwhile, as unseen)
    end, _end_sigs = full_scan(cfg)
    seen: dict[str, tuple] = {p: listing.sig(j) for j, p in enumerate(listing.inputs)}
    for i, p in enumerate(paths):
        seen[str(p)] = page_sigs[i] or BROKEN
    for k in po_paths:
        seen[k] = man.files[k][0] or BROKEN
    arr = array("q")
    inputs = []
    for p in end.inputs:
        inputs.append(p)
        arr.extend(seen.pop(p, UNSEEN))
    for p, sig in seen.items():              # read by this build, gone since: noticed next time
        d, name = os.path.split(p)
        if end.dirs.get(d) is None:
            end.dirs[d] = GONE
        elif end.dirs[d] != GONE:
            end.dirs[d] = join_names(split_names(end.dirs[d]) | {name})
        inputs.append(p)
        arr.extend(sig)
    end = Listing(end.dirs, inputs, arr, end.links)
    assets = [a.relative_to(cfg.source_dir).as_posix() for a in asset_paths(cfg)]
    core = core_blobs(cfg, end, [str(p) for p in paths], rels, domains, [pg.locale for pg in pages], po_paths,
                 assets, rows, st_table, warnings, rc.ctx, man.comp_token, ctx)
    store.commit(core, all_blobs=True)
    return report


