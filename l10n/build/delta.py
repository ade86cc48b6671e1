"""The build where only inputs changed and products went missing: the rows of what changed are
read and redone, the rest of the state kept as it is (one job)."""
from __future__ import annotations

import fnmatch
import os
from array import array
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from .. import catalogs as cat
from ..gate import open_gate
from ..pages import LazySkeleton, skeleton_key
from ..workers import MIN_PARALLEL, InChild, NoGC, file_sig, jobs_for, pmap, pmap_each
from . import plan as because       # the reasons --explain gives
from .plan import Reasons
from .render import RenderContext, Rendered, RenderRec, plan_locales, render_rec, render_task, version_reason
from .deltasite import DeltaSite, Fallback
from .report import Rows, StatsTable, stats_tuple
from .stages import Compiled, PageTask, StageContext, compile_task, domain_task, domain_tasks
from .scan import BROKEN, UNSEEN, Listing, Scan, fs_now, list_folders, note
from .state import (
    CatalogRow,
    FastRel,
    PageRow,
    Paths,
    Store,
    TemplateRow,
    cat_row,
    compendium_rows,
    key2,
    locale_and_name,
    open_compendium_with_token,
    update_rows,
    sha1,
    split2,
)

if TYPE_CHECKING:
    from ..config import Config
    from .report import BuildReport
    from ..pages import Page

# -- the delta build ---------------------------------------------------------------------------------

class Statuses:
    """The published versions as the renderer asks about them (``(page, locale) in it``): the
    last build's statuses, then this build's (``now``), looked up in the report rows rather
    than gathered into a set of 30,000."""

    def __init__(self, delta: "Delta", now: dict[tuple[str, str], bool]):
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


class Delta(DeltaSite):
    """A build where only inputs changed and products went missing: the rows of what changed
    are read and redone, the rest of the state is kept as it is."""

    def __init__(self, cfg: "Config", store: Store, blobs: dict, rows: Rows, listing: Listing,
                 scan: Scan, use_fuzzy: bool, progress: Callable, jobs: int | None,
                 why: Reasons | None = None):
        self.cfg, self.store, self.blobs, self.rows, self.listing = cfg, store, blobs, rows, listing
        self.why = why if why is not None else Reasons()
        self.arr, self.changed, self.removed = scan.sigs, scan.changed, scan.removed
        self.use_fuzzy, self.progress, self.jobs = use_fuzzy, progress, jobs
        (self.paths, self.rels, self.domains, self.locales, self.starts, self.po_paths,
         self.assets) = blobs["pages"]
        self.head = dict(blobs["head"])
        self.P = Paths(cfg)
        self.rel = FastRel(cfg)
        self.task_pages: list = []            # the Page objects this build works on
        self.task_index: dict[int, int] = {}  # page index -> its place in task_pages
        self.page_of_task: list[int] = []
        self.skels: dict[int, LazySkeleton] = {}     # the pages whose content changed: their new skeletons
        self.page_recs: dict[str, PageRow] = {}        # rows of the page table read (rel -> row)
        self.new_page_recs: dict[str, PageRow] = {}    # and written
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
        except Fallback:
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
            pos = self._pos[src] = {lo: k for k, lo in enumerate(plan_locales(self.cfg, src))}
        k = pos.get(loc)
        return None if k is None else self.starts[i] + k

    def _page_of_po(self, po: str) -> tuple[int | None, str]:
        """(page index, locale) of a catalog; page None for a catalog no page has."""
        loc, name = locale_and_name(po)
        i = self.dom_at.get(name[:-3])
        if i is None or loc not in self.cfg.targets.get(self.locales[i], ()):
            return None, loc
        return i, loc

    def _read_page_recs(self, indexes: Iterable[int]) -> None:
        want = [self.rels[i] for i in indexes if self.rels[i] not in self.page_recs]
        if want:
            self.page_recs.update((rel, PageRow._make(v)) for rel, v in self.store.get("page", want).items()
                                  if len(v) == 4)

    def _page_rec(self, i: int) -> PageRow:
        rel = self.rels[i]
        rec = self.new_page_recs.get(rel) or self.page_recs.get(rel)
        if rec is None:
            raise Fallback         # no row for this page: plan in full
        return rec

    def _page_obj(self, i: int) -> "Page":
        """Page i as a Page (its skeleton loaded when first used), once."""
        from ..pages import Page
        ti = self.task_index.get(i)
        if ti is not None:
            return self.task_pages[ti]
        ref = self.skels.get(i)
        if ref is None:
            rec = self._page_rec(i)
            cache_dir = self.cfg.root / ".l10n-cache" / "skeletons"
            ref = LazySkeleton(self.rels[i], rec.lang, rec.locale, rec.key, str(cache_dir / f"{rec.key}.pickle"),
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
            if tuple(now[4 * j:4 * j + 4]) in (BROKEN, UNSEEN) or tuple(old[4 * j:4 * j + 4]) in (BROKEN, UNSEEN):
                raise Fallback             # gone, unreadable, or never read: plan in full
            if p in page_at:
                self.ch_pages.add(page_at[p])
            elif p in po_at:
                self.ch_po.append(p)
            elif p in asset_paths:
                self.assets_dirty = True
            elif p.startswith(src):
                name = os.path.basename(p)
                if not name.startswith(".") or fnmatch.fnmatchcase(name, "*.html"):
                    raise Fallback         # a file of the source folder the last build did not use
            elif p.endswith(".po") and os.path.basename(os.path.dirname(p)) == "LC_MESSAGES":
                raise Fallback             # a catalog the last build did not see
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
        self._classify()
        self.known = self.cfg.source_locales
        self.cache_dir = self.cfg.root / ".l10n-cache" / "skeletons"

        self._redo_pages()
        self._read_changed_catalogs()
        self._plan_work()
        self._run_work()
        early = self._list_written()
        self._render_site()
        return self._remember(early)

    def _list_written(self) -> tuple[InChild, set[str]] | None:
        """The folders of the products written so far (templates, catalogs, .mo files: written
        for the last time in this build) listed again by a child process while this one renders
        (:func:`l10n.build.scan.note` would list them at the end: 40 ms for three folders of
        10,000 catalogs); with the products it saw. None when nothing was written yet."""
        seen = set(self.touched)
        if not seen:
            return None
        return InChild(list_folders, sorted({os.path.dirname(p) for p in seen}), fs_now(self.cfg)), seen

    def _redo_pages(self) -> None:
        """Pages: re-keyed, parsed when new."""
        # -- pages: re-keyed, parsed when new ------------------------------------------------------
        self._read_page_recs(self.ch_pages)
        for i in sorted(self.ch_pages):
            p, rel = self.paths[i], self.rels[i]
            sig = self._sig_now(p)
            rec = self.page_recs.get(rel)
            data = Path(p).read_bytes()
            key = skeleton_key(data, rel, self.known)
            if rec is not None and rec.key == key:
                self.new_page_recs[rel] = rec._replace(sig=sig)        # touched, not changed
                continue
            from ..pages import parse_one
            skel = parse_one((p, rel, str(self.cache_dir), self.known, ""))
            if skel.locale != self.locales[i]:
                raise Fallback                  # its language changed: other catalogs, other versions
            self.new_page_recs[rel] = PageRow(sig, key, skel.lang, skel.locale)
            self.why.note("page", rel, because.SOURCE_CHANGED)
            self.skels[i] = LazySkeleton(rel, skel.lang, skel.locale, key, str(self.cache_dir / f"{key}.pickle"), p,
                                         self.known, skel)

    def _read_changed_catalogs(self) -> None:
        """Catalogs: the changed ones read; an unreadable one stops the build."""
        # -- catalogs: the changed ones read; an unreadable one stops the build --------------------
        cat_recs = {po: cat_row(po, v) for po, v in self.store.get("cat", self.ch_po).items()}
        self.new_cat: dict[str, TemplateRow | CatalogRow] = {}
        self.parsed: dict[str, Any] = {}
        self.comp_rows: dict[str, list] = {}
        keep = len(self.ch_po) <= 500
        for po in self.ch_po:
            rec = cat_recs.get(po)
            data = Path(po).read_bytes()
            digest = sha1(data)
            if isinstance(rec, CatalogRow) and rec.sha1 == digest:
                self.new_cat[po] = rec._replace(sig=self._sig_now(po))        # touched, not changed
                continue
            from ..errors import L10nError
            try:
                parsed_po = cat.read_catalog(po, data, name=self.rel(po))
            except L10nError:
                cat.read_catalog(po, name=self.cfg.rel(Path(po)))      # raises, with its real error
                raise
            self.parsed[po] = parsed_po if keep else None
            self.comp_rows[po] = compendium_rows(parsed_po)

    def _plan_work(self) -> None:
        """What to redo for each page (every page and version has its row, else plan in full)."""
        # -- what to redo for each page ------------------------------------------------------------
        self.work: dict[int, list] = {}            # page index -> [want template, update locales, compile locales]
        self.orphans: list[str] = []

        def page_work(i: int) -> list:
            w = self.work.get(i)
            if w is None:
                w = self.work[i] = [False, set(), set()]
            return w

        why, P = self.why, self.P
        for i in sorted(set(self.skels) | self.pot_missing):
            targets = self.cfg.targets.get(self.locales[i], ())
            w = page_work(i)
            w[0] = True
            w[1].update(targets)
            w[2].update(targets)
            why.note("template", self.rel(P.pot(self.domains[i])),
                     because.PAGE_CHANGED if i in self.skels else because.OUTPUT_MISSING)
            for loc in targets:
                why.note("merge", self.rel(P.po(loc, self.domains[i])), because.TEMPLATE_CHANGED)
                why.note("compile", self.rel(P.po(loc, self.domains[i])), because.CATALOG_MERGED)
        for po in self.parsed:
            i, loc = self._page_of_po(po)
            why.note("compile", self.rel(po), because.CATALOG_CHANGED)
            if i is None:
                self.orphans.append(po)
            else:
                w = page_work(i)
                w[0] = True
                w[1].add(loc)
                w[2].add(loc)
                why.note("template", self.rel(P.pot(self.domains[i])), because.TEMPLATE_NEEDED)
                why.note("merge", self.rel(po), because.CATALOG_CHANGED)
        for po in self.mo_missing:
            i, loc = self._page_of_po(po)
            why.note("compile", self.rel(po), because.OUTPUT_MISSING)
            if i is None:
                self.orphans.append(po)
            else:
                page_work(i)[2].add(loc)
        self.orphans = sorted(set(self.orphans), key=self.po_at.__getitem__)

        # every page and version has its row (the rows of every version are read when a status
        # changes, to find the ones whose chrome asked about it): else plan in full
        if self.store.count("ren") != len(self.rows.pg_pages) or self.store.count("page") != len(self.paths):
            raise Fallback
        # the compendium must be the one the state goes with
        self.db_path = self.cfg.root / ".l10n-cache" / "build" / "compendium.sqlite"
        self.db = None
        if any(w[1] for w in self.work.values()) or self.parsed:
            self.db, token = open_compendium_with_token(self.db_path)
            if token is None or token != self.head["comp_token"]:
                self.db.close()
                raise Fallback
        self._read_page_recs(self.work)
        for i in sorted(self.work):
            self._page_obj(i)

    def _run_work(self) -> None:
        """From here on, files are written: templates, merges and compiles on every core."""
        # -- from here on, files are written ---------------------------------------------------------
        self.writing = True
        if self.db is not None:
            for po, crows in self.comp_rows.items():
                update_rows(self.db, *locale_and_name(po), crows)
            self.db.commit()
        tasks = []
        for i in sorted(self.work):
            want, upd, comp = self.work[i]
            targets = self.cfg.targets.get(self.locales[i], ())
            tasks.append(PageTask(self.task_index[i], want, tuple(t for t in targets if t in upd),
                                  tuple(t for t in targets if t in comp)))
        n_jobs = jobs_for(self.cfg, self.jobs)
        P = self.P
        context = StageContext(self.cfg, self.rel, self.task_pages, self.parsed, self.use_fuzzy, str(self.db_path),
                               P, open_gate(self.cfg) if self.orphans or any(t.compile for t in tasks) else None,
                               few=len(tasks) < MIN_PARALLEL)
        pot_written: list[int] = []
        self.upd_written: list[int] = []
        self.pretranslated: list[tuple[str, int]] = []
        self.repairs: list = []
        self.comp_written: list[int] = []
        compiled_now: dict[str, Compiled] = {}
        staged: list[tuple[str, list]] = []
        upd_at = None
        self.stats_t = StatsTable(self.head["stats"])
        for _task, done in self._domain_work(tasks, n_jobs, context):
            pg = self.task_pages[done.index]
            i = self.page_of_task[done.index]
            if done.template_written is not None:
                pot = P.pot(pg.domain)
                if done.template_written:
                    pot_written.append(i)
                self.new_cat[pot] = TemplateRow(file_sig(pot))
                self.touched.add(pot)
            for m in done.merged:
                po = P.po(m.locale, pg.domain)
                if m.pretranslated:
                    self.pretranslated.append((self.rel(po), m.pretranslated))
                self.repairs.extend(m.repairs)
                if upd_at is None:
                    upd_at = dict(zip(self.rows.upd_paths, range(len(self.rows.upd_paths))))
                j = upd_at[self.rel(po)]
                self.rows.upd_si[j] = self.stats_t.index(m.stats)
                if m.written:
                    self.upd_written.append(j)
                    staged.append((po, m.rows))
                self.store.put("upd", key2(pg.domain, m.locale), stats_tuple(m.stats))
            for loc, c in done.compiled:
                compiled_now[P.po(loc, pg.domain)] = c
        if self.orphans:
            for path, r in zip(self.orphans, pmap(compile_task, self.orphans, jobs=n_jobs, context=context)):
                compiled_now[path] = r
        if context.gate is not None:
            context.gate.save()                     # what the gate's findings cache learnt here
        if staged:                 # the catalogs this update wrote join the compendium after every merge
            for po, crows in staged:
                update_rows(self.db, *locale_and_name(po), crows)
            self.db.commit()
        if self.db is not None:
            self.db.close()
        self.mo_sig: dict[str, tuple | None] = {}
        for po, c in compiled_now.items():
            stats, errors, held, mo_sig = c.stats, c.errors, c.held, c.mo_sig
            j = self.po_at[po]
            self.rows.comp_si[j] = self.stats_t.index(stats)
            if errors:
                self.rows.comp_errors[j] = tuple(errors)
            else:
                self.rows.comp_errors.pop(j, None)
            if held:
                self.rows.comp_held[j] = tuple(map(tuple, held))
            else:
                self.rows.comp_held.pop(j, None)
            if c.written:
                self.comp_written.append(j)
            self.new_cat[po] = CatalogRow(c.po_sig, c.po_sha, stats_tuple(stats), tuple(errors), mo_sig,
                                          tuple(map(tuple, held)))
            k = self._input(po)
            self.arr[4 * k:4 * k + 4] = array("q", c.po_sig or BROKEN)
            self.mo_sig[po] = mo_sig
            self.touched.add(po[:-3] + ".mo")
        for po, rec in self.new_cat.items():
            self.store.put("cat", po, rec)
        self.ex_written = tuple(self.rel(P.pot(self.domains[i])) for i in sorted(pot_written))

    def _render_site(self) -> None:
        """Render, and the site around the pages."""
        # -- render, and the site around the pages -----------------------------------------------------
        self.render_written, flips = self._render()
        self.extras_written = self._extras(flips, self.stats_t)
        for rel, rec in self.new_page_recs.items():
            self.store.put("page", rel, rec)

    def _remember(self, early: tuple[InChild, set[str]] | None = None) -> "BuildReport":
        """Remember: the state patched, in one transaction. ``early``: :meth:`_list_written`'s
        listing (a folder written since is listed again)."""
        # -- remember ---------------------------------------------------------------------------------
        dirs, dstats = dict(self.listing.dirs), dict(self.listing.dstats)
        listed = None
        if early is not None:
            child, seen = early
            listed = child.result()
            for p in self.touched - seen:
                listed.pop(os.path.dirname(p), None)
        if not note(dirs, sorted(self.touched), dstats, fs_now(self.cfg), listed):
            raise Fallback         # a product outside the folders known
        self.head["stats"] = self.stats_t.rows
        blobs = {"head": self.head, "sigs": self.arr.tobytes(), "vals": self.rows.vals_blob()}
        if dirs != self.listing.dirs:
            blobs["dirs"] = dirs
        if dstats != self.listing.dstats:
            blobs["dstat"] = dstats
        self.store.commit(blobs)
        with NoGC():
            return self.rows.report(self.cfg, self.head, self.domains, ex_written=self.ex_written,
                                    upd_written=self.upd_written, comp_written=self.comp_written,
                                    render_written=self.render_written + self.extras_written,
                                    pretranslated=self.pretranslated, repairs=self.repairs)

    # -- render --------------------------------------------------------------------------------------
    def _render(self) -> tuple[int, list]:
        """The versions whose inputs changed rendered again, and the ones whose chrome asked
        about a status that flipped (:func:`l10n.build.render.render_pages`' rules): (pages
        written, the versions whose status flipped)."""
        keys, dirty = self._dirty_versions(self._versions_to_look_at())
        now: dict[tuple[str, str], bool] = {}  # the statuses as this build finds them
        published = Statuses(self, {})        # as they were (the first renders assume them)
        results: dict[tuple[str, str], Rendered] = {}
        origs: dict[tuple[str, str], bytes | None] = {}
        sources = dict(zip(self.rels, self.locales))
        self._render_versions(dirty, published, sources, results, origs)
        for k, r in results.items():
            now[k] = r.ok
        flips = [k for k, r in results.items() if (k in published) != r.ok]
        again = self._asked_otherwise(results, now, flips, keys)
        for i, locs in again.items():
            for loc in locs:
                self.why.note("version", f"{self.rels[i]} ({loc})", because.STATUS_FLIPPED)
        if again:
            self._render_versions(again, Statuses(self, now), sources, results, origs)
        return self._record_renders(results, origs, keys), flips

    def _versions_to_look_at(self) -> dict[int, tuple[int, str]]:
        """Report row -> (page index, locale) of the versions of the changed pages, of the catalogs
        compiled, and with no output; their render rows and page rows read."""
        cfg, rows, rels = self.cfg, self.rows, self.rels
        look: dict[int, tuple[int, str]] = {}
        for i in self.skels:
            for loc in plan_locales(cfg, self.locales[i]):
                look[self._row(i, loc)] = (i, loc)
        for po in self.mo_sig:
            i, loc = self._page_of_po(po)
            if i is not None:
                look[self._row(i, loc)] = (i, loc)
        for j in self.out_missing:
            look[j] = (self._page_index(rows.pg_pages[j]), rows.pg_locs[j])
        self.recs.update((split2(k), RenderRec(*v)) for k, v in
                         self.store.get("ren", (key2(rels[i], loc) for i, loc in look.values())).items())
        self._read_page_recs(i for i, _loc in look.values())
        return look

    def _dirty_versions(self, look: dict[int, tuple[int, str]]) -> tuple[dict, dict[int, list[str]]]:
        """(the inputs -- skeleton key, .mo signature -- of each version looked at, page index ->
        the locales whose inputs changed or whose output is missing)."""
        rels, locales = self.rels, self.locales
        keys: dict[tuple[str, str], tuple] = {}
        dirty: dict[int, list[str]] = {}
        for j, (i, loc) in sorted(look.items()):
            rel = rels[i]
            rec = self.recs.get((rel, loc))
            sk = self._page_rec(i).key
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
                self.why.note("version", f"{rel} ({loc})", because.NOT_RECORDED if rec is None else
                              version_reason(rec, key, False))
        return keys, dirty

    def _domain_work(self, tasks: list[PageTask], n_jobs: int, context: StageContext) -> Iterable[tuple]:
        """``(task, PageWork)`` for each task, as :func:`pmap_each` gives them. A few tasks (an
        edit to a page or two: pmap_each would do them here, one after the other) are done by one
        forked child while this process gets the render stage ready on the other core: the site's
        templates compiled and the renderer's modules imported (50-60 ms of a one-page build)."""
        if n_jobs < 2 or not tasks or not context.few:
            return pmap_each(domain_task, list(self.progress(tasks, "build")), jobs=n_jobs, context=context)
        child = InChild(domain_tasks, context, list(self.progress(tasks, "build")))
        from ..html import render as _renderer          # noqa: F401 - imported for the render stage
        from ..site import names_of
        from ..templating import templates_for
        templates_for(self.cfg)
        names_of(self.cfg)
        return zip(tasks, child.result())

    def _render_versions(self, tasks: dict[int, list[str]], pub: "Statuses", sources: dict[str, str],
                         results: dict[tuple[str, str], Rendered], origs: dict[tuple[str, str], bytes | None]) -> None:
        """Render page index -> locales on every core, the chrome assuming the statuses ``pub``;
        each result into ``results`` and each output's digest before the first render into ``origs``."""
        if not tasks:
            return
        cfg = self.cfg
        args = []
        for i in sorted(tasks):
            self._page_obj(i)
            args.append((self.task_index[i], tuple(loc for loc in cfg.locales if loc in tasks[i])))
        from ..templating import templates_for
        templates_for(cfg)      # the site's templates compiled here, once: forked workers inherit them
        context = RenderContext(cfg, self.task_pages, sources, pub)
        outs = pmap(render_task, list(self.progress(args, "render")), jobs=jobs_for(cfg, self.jobs), context=context)
        for (ti, _locs), res in zip(args, outs):
            rel = self.task_pages[ti].rel
            for r in res:
                k = (rel, r.locale)
                if k not in origs:
                    origs[k] = r.orig_digest
                results[k] = r

    def _asked_otherwise(self, results: dict[tuple[str, str], Rendered], now: dict[tuple[str, str], bool],
                         flips: list, keys: dict) -> dict[int, list[str]]:
        """Page index -> the locales whose chrome asked about a status that turned out otherwise
        (when a status flipped, among every version of the site; their rows and inputs read)."""
        status = Statuses(self, now).__contains__

        def wrong(asked: Iterable[tuple]) -> bool:
            for rel, lo, ans in asked:
                if rel == "*" or status((rel, lo)) != ans:
                    return True
            return False

        again: dict[int, list[str]] = {}
        for (rel, loc), r in results.items():
            if r.ok and wrong(r.asked):
                again.setdefault(self._page_index(rel), []).append(loc)
        if flips:           # a status changed: the versions whose chrome asked about it
            base = self.rows.published()
            status = lambda k: now.get(k, k in base)  # noqa: E731 - 300,000 questions: no detour
            for k, v in self.store.all("ren").items():
                rel, loc = split2(k)
                if (rel, loc) in results:
                    continue
                rec = RenderRec(*v)
                if rec.ok and wrong(rec.asked):
                    again.setdefault(self._page_index(rel), []).append(loc)
                    self.recs[(rel, loc)] = rec
                    keys[(rel, loc)] = rec.key
            self._read_page_recs(again)
        return again

    def _record_renders(self, results: dict[tuple[str, str], Rendered], origs: dict[tuple[str, str], bytes | None],
                        keys: dict) -> int:
        """What the renders changed, in the rows and the state; the number of pages written."""
        rows = self.rows
        warnings = dict(self.head["warnings"])
        written = 0
        for k, r in results.items():
            rel, loc = k
            j = self._row(self._page_index(rel), loc)
            rec = self.new_recs[k] = render_rec(keys[k], r)
            self.store.put("ren", key2(rel, loc), tuple(rec))
            rows.pcts[j] = rec.pct
            rows.pubs[j] = rec.ok
            if rec.warnings:
                warnings[j] = tuple(rec.warnings)
            else:
                warnings.pop(j, None)
            if rec.ok and r.digest != origs.get(k):
                written += 1
            self.touched.add(os.path.join(str(self.cfg.output_dir), rows.pg_outs[j]))
        self.head["warnings"] = sorted(warnings.items())
        return written
