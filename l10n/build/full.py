"""The build with every page and catalog planned: what changed is redone, the state written anew (one job).

``build(force=True)`` is this with nothing remembered: every page, catalog and version stale."""
from __future__ import annotations

import os
import sqlite3
import uuid
from dataclasses import replace
from array import array
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .. import catalogs as cat
from ..gate import HeldBack, open_gate
from ..pages import LazySkeleton, skeleton_key
from ..workers import file_sig, jobs_for, pmap, pmap_each
from .plan import (
    ADDED,
    CATALOG_CHANGED,
    CATALOG_MERGED,
    NOT_RECORDED,
    OUTPUT_MISSING,
    PAGE_CHANGED,
    SOURCE_CHANGED,
    TEMPLATE_CHANGED,
    TEMPLATE_NEEDED,
    Reasons,
    compile_reason,
)
from .render import RenderCache, RenderRec, delete_unplanned, plan_locales, render_pages
from .report import Rows, StatsTable, stats_tuple
from .stages import Compiled, PageTask, StageContext, compile_task, domain_task, validate_task
from .scan import BROKEN, GONE, UNSEEN, Listing, full_scan, join_names, split_names
from .state import (
    STATE_FORMAT,
    TABLES,
    CatalogRow,
    CompiledRec,
    FastRel,
    FileRec,
    Manifest,
    PageRow,
    Paths,
    Store,
    TemplateRow,
    cat_row,
    catalog_paths,
    key2,
    locale_and_name,
    needs_compile,
    open_compendium,
    open_compendium_with_token,
    put_changed,
    same_sig,
    set_rows,
    split2,
)

from .report import BuildReport, CompileReport, ExtractResult, RenderReport, UpdateResult
from ..pages import Page, check_domains, discover_pages, rels_and_domains
from .report import TemplatesOnDisk
from ..pages import load_page_refs

if TYPE_CHECKING:
    from ..config import Config
    from .report import BuildReport
    from ..pages import Page



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
    return {"head": head, "dirs": listing.dirs, "dstat": listing.dstats, "inputs": listing.inputs,
            "sigs": listing.sigs.tobytes(),
            "pages": (paths, rels, domains, locales, starts, po_paths, assets), "domains": domains,
            "rows": rows.rows_blob(), "vals": rows.vals_blob()}


class FullBuild:
    """Every page and catalog planned (what changed redone), the state written anew: one method a
    phase, what a later phase needs kept on the instance."""

    def __init__(self, cfg: "Config", store: Store, blobs: dict, ctx: str, use_fuzzy: bool, progress: Callable,
                 jobs: int | None, why: Reasons | None = None) -> None:
        """The state as the last build left it, the folders scanned; ``why`` is told why each item is redone."""
        self.cfg, self.store, self.blobs, self.ctx = cfg, store, blobs, ctx
        self.why = why if why is not None else Reasons()
        self.explaining = why is not None          # the reasons are worked out only for a listener
        self.use_fuzzy, self.progress, self.jobs = use_fuzzy, progress, jobs
        self.bdir = cfg.root / ".l10n-cache" / "build"
        self.db_path = self.bdir / "compendium.sqlite"
        for old in ("manifest.pickle", "snapshot.pickle"):      # the state before state.sqlite
            try:
                (self.bdir / old).unlink()
            except FileNotFoundError:
                pass
        self.listing, self.sigs = full_scan(cfg)

        def S(path: str | Path) -> tuple | None:     # a file's signature, from the scan when it has it
            sig = self.sigs.get(str(path))
            if sig is None:
                return file_sig(path)
            return None if sig == BROKEN else sig

        self.head = blobs.get("head")
        self.man = Manifest(ctx=ctx)
        self.old_pages: dict = {}
        self.old_cat: dict = {}
        self.old_upd: dict = {}
        if self.head is None:
            for t in TABLES:
                store.clear(t)
        elif self.head["ctx"] != ctx:
            for t in ("page", "cat", "upd"):
                store.clear(t)
        else:
            self.old_pages, self.old_cat, self.old_upd = store.all("page"), store.all("cat"), store.all("upd")
            self.man.pages = {rel: PageRow._make(v) for rel, v in self.old_pages.items() if len(v) == 4}
            for path, v in self.old_cat.items():
                rec = cat_row(path, v)
                if isinstance(rec, TemplateRow):
                    self.man.files[path] = FileRec(rec.sig, "")
                elif isinstance(rec, CatalogRow):
                    self.man.files[path] = FileRec(rec.sig, rec.sha1)
                    self.man.compiled[path] = CompiledRec(cat.Stats(*rec.stats), tuple(rec.errors), rec.mo_sig,
                                                          rec.held)
            self.man.update = {split2(k): cat.Stats(*v) for k, v in self.old_upd.items()}
            self.man.comp_token = self.head["comp_token"]
        self.n_jobs = jobs_for(cfg, jobs)
        self.rel = FastRel(cfg)

        self.S = S

    def _read_pages(self) -> None:
        """Pages: read only what changed, parse only what is new."""
        cfg, progress, jobs = self.cfg, self.progress, self.jobs
        # -- pages: read only what changed, parse only what is new ----------------------------
        self.paths = discover_pages(cfg)
        self.rels, self.domains = rels_and_domains(cfg, self.paths)
        known = cfg.source_locales
        cache_dir = cfg.root / ".l10n-cache" / "skeletons"
        refs: list[LazySkeleton | None] = [None] * len(self.paths)
        self.page_sigs = []
        need, datas = [], []
        self.changed_pages: set[str] = set()
        for i, p in enumerate(self.paths):
            sig = self.S(p)
            self.page_sigs.append(sig)
            rec = self.man.pages.get(self.rels[i])
            if rec is not None and rec.sig == sig:
                key = rec.key
            else:
                data = p.read_bytes()
                key = skeleton_key(data, self.rels[i], known)
                if rec is None or rec.key != key:
                    self.why.note("page", self.rels[i], ADDED if rec is None else SOURCE_CHANGED)
                    need.append(i)
                    datas.append(data)
                    self.changed_pages.add(self.rels[i])
                    continue
            refs[i] = LazySkeleton(self.rels[i], rec.lang, rec.locale, key, str(cache_dir / f"{key}.pickle"),
                                   str(p), known)
        if need:
            sub = load_page_refs(cfg, [self.paths[i] for i in need], [self.rels[i] for i in need], jobs=jobs,
                                 progress=progress, datas=datas)
            for i, ref in zip(need, sub):
                refs[i] = ref
        self.pages = [Page(p, rel_, dom, ref) for p, rel_, dom, ref in zip(self.paths, self.rels, self.domains, refs)]
        check_domains(self.pages)

    def _read_catalogs(self) -> None:
        """Catalogs: an unreadable one stops the build before anything is written."""
        cfg, progress = self.cfg, self.progress
        # -- catalogs: an unreadable one stops the build before anything is written --------------
        # Each changed catalog is read (on every core) and its translations go straight into the
        # compendium index, which must hold every catalog as it is before this update. Rows are
        # not kept: a cold build of 20,000 catalogs would hold a million of them.
        self.po_paths = catalog_paths(cfg)
        self.parsed: dict[str, Any] = {}
        self.db, token = open_compendium_with_token(self.db_path)
        fresh_db = token is None or token != self.man.comp_token
        if fresh_db:                                 # lost or out of step: rebuilt from every catalog
            self.db.execute("DELETE FROM comp")
            self.db.execute("DELETE FROM meta")
            self.db.commit()
        else:
            on_disk = set(self.po_paths)
            for path in [k for k in self.man.files if k.endswith(".po") and k not in on_disk]:
                set_rows(self.db, *locale_and_name(path), None)
                self.man.files.pop(path, None)
                self.man.compiled.pop(path, None)
        to_read = []
        for p in self.po_paths:
            rec = self.man.files.get(p)
            if rec is not None and rec.sig == self.S(p) and not fresh_db:
                continue
            to_read.append(p)
        if to_read:
            keep = len(to_read) <= 500        # a few: keep them parsed for the merge; many: read again there
            bad = None
            for path, g in pmap_each(validate_task, list(progress(to_read, "read")), jobs=self.n_jobs,
                                     context=StageContext(cfg, self.rel, keep=keep)):
                if g is None:
                    bad = path              # the first unreadable catalog (results come in order)
                    break
                po, rows, digest = g.po, g.rows, g.digest
                rec = self.man.files.get(path)
                if rec is not None and rec.sha1 == digest:
                    self.man.files[path] = FileRec(self.S(path), digest)     # touched, not changed
                    if not fresh_db:
                        continue
                else:
                    self.parsed[path] = po        # None: changed, read again where it is merged
                set_rows(self.db, *locale_and_name(path), rows)
            if bad is not None:
                self.db.execute("DELETE FROM meta")          # half refreshed: rebuild it next time
                self.db.commit()
                self.db.close()
                cat.read_catalog(bad, name=cfg.rel(Path(bad)))      # raises, with its real error
                raise AssertionError(f"{bad} failed in a worker but reads here")  # pragma: no cover
        if fresh_db:
            token = uuid.uuid4().hex
            self.db.execute("INSERT INTO meta VALUES (?)", (token,))
            self.man.comp_token = token
        self.db.commit()

    def _merge_reason(self, pg: "Page", po: str, template_same: bool) -> str:
        """Why a catalog of ``pg`` is merged again (see :meth:`_plan_tasks`)."""
        if pg.rel in self.changed_pages:
            return ADDED if self.why.items.get(("page", pg.rel)) == ADDED else TEMPLATE_CHANGED
        if not template_same:
            return TEMPLATE_CHANGED if self.S(self.P.pot(pg.domain)) is not None else OUTPUT_MISSING
        if po in self.parsed:
            return CATALOG_CHANGED
        return OUTPUT_MISSING if self.S(po) is None else NOT_RECORDED

    def _template_reason(self, pg: "Page", pot_rec: FileRec | None, pot: str, merged: bool) -> str:
        """Why ``pg``'s template is written again (see :meth:`_plan_tasks`)."""
        if pg.rel in self.changed_pages:
            return ADDED if self.why.items.get(("page", pg.rel)) == ADDED else PAGE_CHANGED
        if pot_rec is None:
            return NOT_RECORDED
        if not same_sig(pot_rec.sig, self.S(pot)):
            return OUTPUT_MISSING if self.S(pot) is None else "the template was changed by hand"
        return TEMPLATE_NEEDED if merged else NOT_RECORDED

    def _plan_tasks(self) -> None:
        """What to redo for each page: its template, which catalogs to merge and compile."""
        cfg, use_fuzzy = self.cfg, self.use_fuzzy
        # -- extract + update + compile, page by page, on every core ---------------------------------
        self.tasks = []
        self.jobs_order: list[tuple[str, str, int]] = []       # (domain, locale, page index): update's order
        order = sorted(range(len(self.pages)), key=lambda i: self.pages[i].domain)
        for i in order:
            for loc in cfg.targets.get(self.pages[i].locale, ()):
                self.jobs_order.append((self.pages[i].domain, loc, i))
        self.P = Paths(cfg)
        by_page_updates: dict[int, list[str]] = {}
        for dom, loc, i in self.jobs_order:
            pg = self.pages[i]
            po = self.P.po(loc, dom)
            pot = self.P.pot(dom)
            pot_rec = self.man.files.get(pot)
            template_same = (pg.rel not in self.changed_pages and pot_rec is not None
                             and same_sig(pot_rec.sig, self.S(pot)))
            if not (template_same and po not in self.parsed and po in self.man.files
                    and (dom, loc) in self.man.update and self.S(po) is not None):
                by_page_updates.setdefault(i, []).append(loc)
                if self.explaining:
                    self.why.note("merge", self.rel(po), self._merge_reason(pg, po, template_same))
        for i, pg in enumerate(self.pages):
            pot = self.P.pot(pg.domain)
            pot_rec = self.man.files.get(pot)
            want_template = (pg.rel in self.changed_pages or pot_rec is None or not same_sig(pot_rec.sig, self.S(pot))
                             or i in by_page_updates)
            upd = by_page_updates.get(i, [])
            comp = []
            for loc in cfg.targets.get(pg.locale, ()):
                if loc in upd or needs_compile(self.man, self.P.po(loc, pg.domain), self.parsed, self.S):
                    comp.append(loc)
            if want_template and self.explaining:
                self.why.note("template", self.rel(pot), self._template_reason(pg, pot_rec, pot, i in by_page_updates))
            for loc in comp if self.explaining else ():
                po = self.P.po(loc, pg.domain)
                self.why.note("compile", self.rel(po), CATALOG_MERGED if loc in upd else
                              compile_reason(self.man, po, self.parsed, self.S))
            if want_template or upd or comp:
                self.tasks.append(PageTask(i, want_template, tuple(upd), tuple(comp)))
        gate = open_gate(cfg) if any(t.compile for t in self.tasks) else None
        self.context = StageContext(cfg, self.rel, self.pages, self.parsed, use_fuzzy, str(self.db_path), self.P,
                                    gate)
        self.db.close()

    def _run_tasks(self) -> None:
        """Extract + update + compile (the check gate with it), page by page, on every core."""
        progress = self.progress
        self.pot_written: dict[int, bool] = {}
        self.updated: dict[tuple[str, str], tuple[bool, Any]] = {}
        self.compiled_now: dict[str, Compiled] = {}
        self.pretranslated: list[tuple[str, int]] = []
        self.repairs: list = []
        # the catalogs this update writes join the compendium only after every merge read it as
        # it was: their rows wait in a side database (not in memory: a cold build writes 20,000)
        self.staged_path = self.bdir / "compendium-staged.sqlite"
        try:
            self.staged_path.unlink()
        except FileNotFoundError:
            pass
        self.staged = open_compendium(self.staged_path)
        self.staged.execute("CREATE TABLE written (locale TEXT, name TEXT)")
        self.n_staged = 0
        for _task, work in pmap_each(domain_task, list(progress(self.tasks, "build")), jobs=self.n_jobs,
                                     context=self.context):
            i = work.index
            pg = self.pages[i]
            pot = self.P.pot(pg.domain)
            if work.template_written is not None:
                self.pot_written[i] = work.template_written
                self.man.files[pot] = FileRec(file_sig(pot), "")
            for m in work.merged:
                po = self.P.po(m.locale, pg.domain)
                if m.pretranslated:
                    self.pretranslated.append((self.rel(po), m.pretranslated))
                self.repairs.extend(m.repairs)
                self.updated[(pg.domain, m.locale)] = (m.written, m.stats)
                self.man.update[(pg.domain, m.locale)] = m.stats
                if m.written:
                    self.staged.execute("INSERT INTO written VALUES (?, ?)", locale_and_name(po))
                    set_rows(self.staged, *locale_and_name(po), m.rows)
                    self.n_staged += 1
            for loc, c in work.compiled:
                self.compiled_now[self.P.po(loc, pg.domain)] = c

    def _finish_catalogs(self) -> None:
        """Catalogs no page has, compiled; the compendium updated; stale templates removed."""
        cfg = self.cfg
        # catalogs with no page of their own (a page gone, a locale dropped) are still compiled
        self.po_paths = catalog_paths(cfg)
        orphans = [p for p in self.po_paths
                   if p not in self.compiled_now and needs_compile(self.man, p, self.parsed, self.S)]
        for p in orphans if self.explaining else ():
            self.why.note("compile", self.rel(p), compile_reason(self.man, p, self.parsed, self.S))
        if orphans:
            if self.context.gate is None:
                self.context = replace(self.context, gate=open_gate(cfg))
            for path, r in zip(orphans, pmap(compile_task, orphans, jobs=self.n_jobs, context=self.context)):
                self.compiled_now[path] = r
        if self.context.gate is not None:
            self.context.gate.save()                # what the gate's findings cache learnt here
        self.compile_reports = []
        for k in self.po_paths:
            if k in self.compiled_now:
                c = self.compiled_now[k]
                stats, errors, written, held = c.stats, c.errors, c.written, c.held
                self.man.files[k] = FileRec(c.po_sig, c.po_sha)
                self.man.compiled[k] = CompiledRec(stats, errors, c.mo_sig, held)
                self.sigs[k] = c.po_sig
                self.sigs[k[:-3] + ".mo"] = c.mo_sig
            else:
                rec = self.man.compiled[k]
                stats, errors, held, written = rec.stats, rec.errors, rec.held, False
            self.compile_reports.append(CompileReport(self.rel(k), stats, tuple(errors), written,
                                                 tuple(HeldBack(*h) for h in held)))
        # the compendium follows the catalogs this update wrote
        self.staged.commit()
        self.staged.close()
        if self.n_staged:
            self.db = sqlite3.connect(str(self.db_path))
            self.db.execute("ATTACH DATABASE ? AS staged", (str(self.staged_path),))
            self.db.execute("DELETE FROM comp WHERE (locale, name) IN (SELECT locale, name FROM staged.written)")
            self.db.execute("INSERT INTO comp SELECT * FROM staged.comp")
            self.db.commit()
            self.db.execute("DETACH DATABASE staged")
            self.db.close()
        self.staged_path.unlink()
        extract_written = tuple(self.rel(self.P.pot(self.pages[i].domain)) for i in range(len(self.pages))
                                if self.pot_written.get(i))
        removed = []
        self.domains_set = {pg.domain for pg in self.pages}
        if cfg.templates_dir.is_dir():
            for old in sorted(cfg.templates_dir.glob("*.pot")):
                if old.stem not in self.domains_set:
                    removed.append(cfg.rel(old))
                    old.unlink()
                    self.man.files.pop(str(old), None)
        self.ex = ExtractResult(extract_written, (), tuple(removed),
                                TemplatesOnDisk(cfg, [pg.domain for pg in self.pages]))
        self.up = []
        for dom, loc, _i in self.jobs_order:
            written, stats = self.updated.get((dom, loc), (False, self.man.update.get((dom, loc))))
            self.up.append(UpdateResult(self.rel(self.P.po(loc, dom)), loc, written, stats))

    def _render(self) -> None:
        """Render what changed, and the site around the pages."""
        from ..site import page_title                   # the walker's imports: only when rendering
        from .sitefiles import write_site_extras
        cfg, store, progress, jobs = self.cfg, self.store, self.progress, self.jobs
        # -- render -------------------------------------------------------------------------------------
        self.old_ren = store.all("ren") if self.head is not None else {}
        self.rc = RenderCache(ctx=self.head["rctx"] if self.head is not None else "",
                         items={split2(k): RenderRec(*v) for k, v in self.old_ren.items()})
        self.outcome, self.rc = render_pages(cfg, self.pages, jobs=jobs, progress=progress, cache=self.rc,
                                             why=self.why if self.explaining else None,
                                             sigs=self.sigs)
        if self.listing.links:
            delete_unplanned(cfg, self.outcome.stats)
        else:                          # the scan knows every site page: no walk, no realpath
            delete_unplanned(cfg, self.outcome.stats, present=[p for p, v in self.sigs.items() if v == ()])

        def titles(pg: "Page", loc: str) -> tuple[str, bool]:
            t = self.outcome.titles.get((pg.rel, loc))
            if t is None:
                from ..catalogs import mo_table
                t = page_title(cfg, pg, loc, None if loc == pg.locale else mo_table(cfg, loc, pg.domain))
            return t

        self.lines: dict[str, list] = {}
        written = self.outcome.written + write_site_extras(cfg, self.pages, list(self.outcome.stats), titles=titles,
                                                           lines=self.lines, known=self.outcome.lines)
        re_ = RenderReport(tuple(self.outcome.stats), written, tuple(self.outcome.warnings))
        self.report = BuildReport(self.ex, self.up, self.compile_reports, re_, tuple(self.pretranslated),
                                  tuple(self.repairs))

    def _remember(self) -> "BuildReport":
        """Remember: the rows and the listing the next build compares with."""
        from .sitefiles import asset_paths
        cfg, store, ctx = self.cfg, self.store, self.ctx
        # -- remember ---------------------------------------------------------------------------------------
        new_pages = {pg.rel: PageRow(self.page_sigs[i], pg.skeleton.key, pg.skeleton.lang, pg.skeleton.locale)
                     for i, pg in enumerate(self.pages)}
        put_changed(store, "page", self.old_pages, new_pages)
        new_cat: dict[str, tuple] = {}
        for k, f in self.man.files.items():
            if k.endswith(".pot"):
                if k[:-4].rsplit("/", 1)[-1] in self.domains_set:
                    new_cat[k] = TemplateRow(f.sig)
            elif k in self.man.compiled:
                c = self.man.compiled[k]
                new_cat[k] = CatalogRow(f.sig, f.sha1, stats_tuple(c.stats), tuple(c.errors), c.mo_sig,
                                        tuple(map(tuple, c.held)))
        put_changed(store, "cat", self.old_cat, new_cat)
        put_changed(store, "upd", self.old_upd, {key2(*k): stats_tuple(v) for k, v in self.man.update.items()})
        put_changed(store, "ren", self.old_ren, {key2(*k): tuple(v) for k, v in self.rc.items.items()})
        store.clear_lines()
        for loc, li in self.lines.items():
            for output, published, html in li:
                store.put_line(loc, output, published, html.encode())
        st_table = StatsTable()
        rows = Rows.of(self.up, self.compile_reports, self.outcome.stats, st_table)
        warnings = []
        for j, s in enumerate(self.outcome.stats):
            rec = self.rc.items.get((s.page, s.locale))
            if rec is not None and rec.warnings:
                warnings.append((j, tuple(rec.warnings)))
        # the listing the next build compares with: the folders as this build leaves them, each
        # input with the signature it had when it was read (a file changed meanwhile counts as
        # changed next time; a file that appeared meanwhile, as unseen)
        end, _end_sigs = full_scan(cfg)
        seen: dict[str, tuple] = {p: self.listing.sig(j) for j, p in enumerate(self.listing.inputs)}
        for i, p in enumerate(self.paths):
            seen[str(p)] = self.page_sigs[i] or BROKEN
        for k in self.po_paths:
            seen[k] = self.man.files[k].sig or BROKEN
        arr = array("q")
        inputs = []
        for p in end.inputs:
            inputs.append(p)
            arr.extend(seen.pop(p, UNSEEN))
        for p, sig in seen.items():              # read by this build, gone since: noticed next time
            d, name = os.path.split(p)
            end.dstats.pop(d, None)              # its names are no longer the ones listed
            if end.dirs.get(d) is None:
                end.dirs[d] = GONE
            elif end.dirs[d] != GONE:
                end.dirs[d] = join_names(split_names(end.dirs[d]) | {name})
            inputs.append(p)
            arr.extend(sig)
        end = Listing(end.dirs, inputs, arr, end.links, end.dstats)
        assets = [a.relative_to(cfg.source_dir).as_posix() for a in asset_paths(cfg)]
        core = core_blobs(cfg, end, [str(p) for p in self.paths], self.rels, self.domains,
                          [pg.locale for pg in self.pages], self.po_paths,
                     assets, rows, st_table, warnings, self.rc.ctx, self.man.comp_token, ctx)
        store.commit(core, all_blobs=True)
        return self.report

    def run(self) -> "BuildReport":
        self._read_pages()
        self._read_catalogs()
        self._plan_tasks()
        self._run_tasks()
        self._finish_catalogs()
        self._render()
        return self._remember()


def full_build(cfg: "Config", store: Store, blobs: dict, ctx: str, use_fuzzy: bool, progress: Callable,
               jobs: int | None, why: Reasons | None = None) -> "BuildReport":
    """Every page and catalog planned (what changed redone), the state written anew; ``why`` is told why
    each item is redone."""
    return FullBuild(cfg, store, blobs, ctx, use_fuzzy, progress, jobs, why).run()


