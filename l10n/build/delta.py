"""The build where only inputs changed and products went missing: the rows of what changed are
read and redone, the rest of the state kept as it is (one job)."""
from __future__ import annotations

import fnmatch
import os
from bisect import bisect_left
from array import array
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from .. import catalogs as cat
from ..gate import open_gate
from ..pages import LazySkeleton, skeleton_key
from ..workers import NoGC, file_sig, jobs_for, pmap, pmap_each
from .full import plan_locales
from .render import RenderRec, render_rec, render_task
from .report import Rows, StatsTable, stats_tuple
from .stages import Compiled, PageTask, compile_task, domain_task
from .state import (
    BROKEN,
    UNSEEN,
    FastRel,
    Listing,
    Paths,
    Store,
    compendium_rows,
    key2,
    locale_and_name,
    note,
    open_compendium_with_token,
    set_rows,
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


class Fallback(Exception):
    """The delta build cannot tell: plan in full."""


class Delta:
    """A build where only inputs changed and products went missing: the rows of what changed
    are read and redone, the rest of the state is kept as it is."""

    def __init__(self, cfg: "Config", store: Store, blobs: dict, rows: Rows, listing: Listing,
                 scan: tuple[array, list[int], list[str]], use_fuzzy: bool, progress: Callable, jobs: int | None):
        self.cfg, self.store, self.blobs, self.rows, self.listing = cfg, store, blobs, rows, listing
        self.arr, self.changed, self.removed = scan
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
            self.page_recs.update(self.store.get("page", want))

    def _page_rec(self, i: int) -> tuple:
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
        self._render_site()
        return self._remember()

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
            if rec is not None and rec[1] == key:
                self.new_page_recs[rel] = (sig, key, rec[2], rec[3])        # touched, not changed
                continue
            from ..pages import parse_one
            skel = parse_one((p, rel, str(self.cache_dir), self.known, ""))
            if skel.locale != self.locales[i]:
                raise Fallback                  # its language changed: other catalogs, other versions
            self.new_page_recs[rel] = (sig, key, skel.lang, skel.locale)
            self.skels[i] = LazySkeleton(rel, skel.lang, skel.locale, key, str(self.cache_dir / f"{key}.pickle"), p,
                                         self.known, skel)

    def _read_changed_catalogs(self) -> None:
        """Catalogs: the changed ones read; an unreadable one stops the build."""
        # -- catalogs: the changed ones read; an unreadable one stops the build --------------------
        cat_recs = self.store.get("cat", self.ch_po)
        self.new_cat: dict[str, tuple] = {}
        self.parsed: dict[str, Any] = {}
        self.comp_rows: dict[str, list] = {}
        keep = len(self.ch_po) <= 500
        for po in self.ch_po:
            rec = cat_recs.get(po)
            data = Path(po).read_bytes()
            digest = sha1(data)
            if rec is not None and len(rec) == 6 and rec[1] == digest:
                self.new_cat[po] = (self._sig_now(po),) + tuple(rec[1:])        # touched, not changed
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

        for i in set(self.skels) | self.pot_missing:
            targets = self.cfg.targets.get(self.locales[i], ())
            w = page_work(i)
            w[0] = True
            w[1].update(targets)
            w[2].update(targets)
        for po in self.parsed:
            i, loc = self._page_of_po(po)
            if i is None:
                self.orphans.append(po)
            else:
                w = page_work(i)
                w[0] = True
                w[1].add(loc)
                w[2].add(loc)
        for po in self.mo_missing:
            i, loc = self._page_of_po(po)
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
                set_rows(self.db, *locale_and_name(po), crows)
            self.db.commit()
        tasks = []
        for i in sorted(self.work):
            want, upd, comp = self.work[i]
            targets = self.cfg.targets.get(self.locales[i], ())
            tasks.append(PageTask(self.task_index[i], want, tuple(t for t in targets if t in upd),
                                  tuple(t for t in targets if t in comp)))
        n_jobs = jobs_for(self.cfg, self.jobs)
        P = self.P
        shared = {"cfg": self.cfg, "pages": self.task_pages, "parsed": self.parsed, "use_fuzzy": self.use_fuzzy,
                  "db": str(self.db_path), "rel": self.rel, "paths": P,
                  "gate": open_gate(self.cfg) if self.orphans or any(t.compile for t in tasks) else None}
        pot_written: list[int] = []
        self.upd_written: list[int] = []
        self.pretranslated: list[tuple[str, int]] = []
        self.repairs: list = []
        self.comp_written: list[int] = []
        compiled_now: dict[str, Compiled] = {}
        staged: list[tuple[str, list]] = []
        upd_at = None
        self.stats_t = StatsTable(self.head["stats"])
        for _task, done in pmap_each(domain_task, list(self.progress(tasks, "build")), jobs=n_jobs,
                                     shared=shared):
            pg = self.task_pages[done.index]
            i = self.page_of_task[done.index]
            if done.template_written is not None:
                pot = P.pot(pg.domain)
                if done.template_written:
                    pot_written.append(i)
                self.new_cat[pot] = (file_sig(pot),)
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
            for path, r in zip(self.orphans, pmap(compile_task, self.orphans, jobs=n_jobs, shared=shared)):
                compiled_now[path] = r
        if staged:                 # the catalogs this update wrote join the compendium after every merge
            for po, crows in staged:
                set_rows(self.db, *locale_and_name(po), crows)
            self.db.commit()
        if self.db is not None:
            self.db.close()
        self.mo_sig: dict[str, tuple | None] = {}
        for po, (stats, errors, written, po_sig, po_sha, mo_sig, held) in compiled_now.items():  # a Compiled each
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
            if written:
                self.comp_written.append(j)
            self.new_cat[po] = (po_sig, po_sha, stats_tuple(stats), tuple(errors), mo_sig, tuple(map(tuple, held)))
            k = self._input(po)
            self.arr[4 * k:4 * k + 4] = array("q", po_sig or BROKEN)
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

    def _remember(self) -> "BuildReport":
        """Remember: the state patched, in one transaction."""
        # -- remember ---------------------------------------------------------------------------------
        dirs = dict(self.listing.dirs)
        if not note(dirs, sorted(self.touched)):
            raise Fallback         # a product outside the folders known
        self.head["stats"] = self.stats_t.rows
        blobs = {"head": self.head, "sigs": self.arr.tobytes(), "vals": self.rows.vals_blob()}
        if dirs != self.listing.dirs:
            blobs["dirs"] = dirs
        self.store.commit(blobs)
        with NoGC():
            return self.rows.report(self.cfg, self.head, self.domains, ex_written=self.ex_written,
                                    upd_written=self.upd_written, comp_written=self.comp_written,
                                    render_written=self.render_written + self.extras_written,
                                    pretranslated=self.pretranslated, repairs=self.repairs)

    # -- render --------------------------------------------------------------------------------------
    def _render(self) -> tuple[int, list]:
        """The versions whose inputs changed rendered again, and the ones whose chrome asked
        about a status that flipped (:func:`l10n.build.render.render_pages`' rules)."""
        cfg, store, rows = self.cfg, self.store, self.rows
        rels, locales = self.rels, self.locales
        # the versions to look at: those of the changed pages, of the catalogs compiled, with no output
        look: dict[int, tuple[int, str]] = {}       # report row -> (page index, locale)
        for i in self.skels:
            for loc in plan_locales(cfg, locales[i]):
                look[self._row(i, loc)] = (i, loc)
        for po in self.mo_sig:
            i, loc = self._page_of_po(po)
            if i is not None:
                look[self._row(i, loc)] = (i, loc)
        for j in self.out_missing:
            look[j] = (self._page_index(rows.pg_pages[j]), rows.pg_locs[j])
        self.recs.update((split2(k), RenderRec(*v)) for k, v in
                         store.get("ren", (key2(rels[i], loc) for i, loc in look.values())).items())
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
        published = Statuses(self, {})        # as they were (the first renders assume them)
        status = Statuses(self, now).__contains__
        results: dict[tuple[str, str], tuple] = {}
        origs: dict[tuple[str, str], bytes | None] = {}
        sources = dict(zip(rels, locales))

        def run(tasks: dict[int, list[str]], pub: "Statuses") -> None:
            if not tasks:
                return
            args = []
            for i in sorted(tasks):
                self._page_obj(i)
                args.append((self.task_index[i], tuple(loc for loc in cfg.locales if loc in tasks[i])))
            from ..templating import templates_for
            templates_for(cfg)      # the site's templates compiled here, once: forked workers inherit them
            shared = {"cfg": cfg, "pages": self.task_pages, "sources": sources, "published": pub}
            outs = pmap(render_task, list(self.progress(args, "render")), jobs=jobs_for(cfg, self.jobs), shared=shared)
            for (ti, _locs), res in zip(args, outs):
                rel = self.task_pages[ti].rel
                for r in res:
                    k = (rel, r.locale)
                    if k not in origs:
                        origs[k] = r.orig_digest
                    results[k] = r

        run(dirty, published)
        for k, r in results.items():
            now[k] = r.ok
        flips = [k for k, r in results.items() if (k in published) != r.ok]

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
            base = rows.published()
            status = lambda k: now.get(k, k in base)  # noqa: E731 - 300,000 questions: no detour
            for k, v in store.all("ren").items():
                rel, loc = split2(k)
                if (rel, loc) in results:
                    continue
                rec = RenderRec(*v)
                if rec.ok and wrong(rec.asked):
                    again.setdefault(self._page_index(rel), []).append(loc)
                    self.recs[(rel, loc)] = rec
                    keys[(rel, loc)] = rec.key
            self._read_page_recs(again)
        if again:
            run(again, Statuses(self, now))
        # what changed, in the rows and the state
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
            self.touched.add(os.path.join(str(cfg.output_dir), rows.pg_outs[j]))
        self.head["warnings"] = sorted(warnings.items())
        return written, flips

    # -- the site around the pages --------------------------------------------------------------------
    def _extras(self, flips: list, stats_t: StatsTable) -> int:
        """The index lines of the versions rendered again; the indexes whose lines changed; the
        language picker when a count did; the sitemap when a status did; the assets when one
        changed. What went missing is written again."""
        from ..fsutil import write_if_changed
        from ..locales import bcp47
        from ..site import (
            IndexEntry,
            default_locale,
            index_line,
            index_page,
            root_html,
            sitemap_xml,
            stylesheets_of,
        )
        from .sitefiles import write_assets
        cfg, store, rows = self.cfg, self.store, self.rows
        out = cfg.output_dir
        locs = list(cfg.locales)
        css = stylesheets_of(cfg, [cfg.source_dir / a for a in self.assets])
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
            got = store.get("ren", (key2(*k) for k in need))
            self.recs.update((split2(k), RenderRec(*v)) for k, v in got.items())
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
            new_lines[(loc, rows.pg_outs[j])] = (rec.ok, index_line(loc, e, cfg).encode())
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
            n += write_if_changed(out / loc / "index.html",
                                  index_page(cfg, loc, lines, locs, stylesheets=css).encode(), durable=False)
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
        from ..site import sitemap_groups
        rows = self.rows
        source_out = {rel: rows.pg_outs[self._row(i, src)]
                      for i, (rel, src) in enumerate(zip(self.rels, self.locales))}
        return sitemap_groups(list(self.cfg.locales),
                              zip(rows.pg_pages, rows.pg_locs, map(bool, rows.pubs), rows.pg_outs), source_out)

    def _all_extras(self, css: list[str]) -> int:
        """write_site_extras over the whole site (index lines were lost), its lines kept."""
        from ..pages import Page
        from .report import PageStat
        from .sitefiles import write_site_extras
        cfg, rows = self.cfg, self.rows
        recs = {split2(k): RenderRec(*v) for k, v in self.store.all("ren").items()}
        recs.update(self.new_recs)
        pages = [Page(Path(p), rel, dom, LazySkeleton(rel, "", loc, "", "", p, cfg.source_locales))
                 for p, rel, dom, loc in zip(self.paths, self.rels, self.domains, self.locales)]

        def titles(pg: "Page", loc: str) -> tuple[str, bool]:
            rec = recs.get((pg.rel, loc))
            if rec is None or rec.title is None:
                raise Fallback
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

