"""The render stage: page versions rendered on every core (speculatively, checked against the
publication statuses their chrome asked about), the render cache, and the site around them (one job)."""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Container, Iterable, NamedTuple, Sequence

from ..pages import LazySkeleton
from ..catalogs import mo_table
from ..workers import InChild, file_sig, jobs_for, load_pickle, pmap_each, save_pickle, sig_of
from .plan import STATUS_FLIPPED
from .state import FORMAT, cfg_digest

if TYPE_CHECKING:
    from ..config import Config
    from .plan import Reasons
    from ..pages import Page

# -- recording what the chrome asks -------------------------------------------------------------

STAR = ("*", "*", True)        # in a version's questions: its chrome listed every status
MO_READ = "(signed as read)"   # a version key's .mo signature, to be the one its render read
# a version's digest where it found no file: "written" compares the last render's digest with the
# file before the first (None), so none is worked out (30,000 pages of a new site hashed for nothing)
NEW_FILE = b"(no file before)"


class _RecordingSet:
    """A read-only set of published (page, locale) that remembers every membership question."""

    __slots__ = ("data", "asked")

    def __init__(self, data: set | frozenset):
        self.data = data
        self.asked: dict[tuple[str, str], bool] = {}

    def __contains__(self, key: object) -> bool:
        ans = key in self.data
        self.asked[key] = ans  # type: ignore[index]
        return ans

    def __iter__(self):         # a caller that lists every status depends on all of them
        self.asked[("*", "*")] = True
        return iter(self.data)

    def __len__(self) -> int:
        self.asked[("*", "*")] = True
        return len(self.data)


# -- rendering -----------------------------------------------------------------------------------

class Rendered(NamedTuple):
    """One page version rendered (or not published) by :func:`render_task`."""
    locale: str
    pct: float
    ok: bool                       # published
    orig_digest: bytes | None      # sha1 of the file as it was before (None: there was none)
    warnings: tuple
    asked: tuple                   # ((page, locale, answer), ...) the chrome's status questions
    title: tuple
    digest: bytes | None           # sha1 of the page as rendered (NEW_FILE where there was no file before)
    out_sig: tuple | None
    mo_sig: tuple | None = None    # the signature of the .mo file read (None: none read, or none there)


class RenderRec(NamedTuple):
    """What one rendered (page, locale) was made from and came to (a tuple: 30,000 of them
    are pickled with every build)."""
    key: tuple                    # (skeleton key, .mo signature)
    pct: float
    ok: bool
    warnings: tuple = ()
    asked: tuple = ()             # ((page, locale, answer), ...) the chrome's status questions
    title: tuple | None = None
    out_sig: tuple | None = None  # the output file as written


def render_rec(key: tuple, r: Rendered) -> RenderRec:
    """What the cache keeps of one of :func:`render_task`'s results (``r``) made from ``key``."""
    intern = sys.intern
    asked = tuple([(intern(a), intern(lo), v) for a, lo, v in r.asked])     # pickled once each
    return RenderRec(key, r.pct, r.ok, r.warnings, asked, r.title, r.out_sig)


@dataclass
class RenderCache:
    ctx: str = ""
    items: dict[tuple[str, str], RenderRec] = field(default_factory=dict)
    extras: str = ""              # digest of write_site_extras' inputs (kept in a file of its own)
    token: str = ""               # this cache as saved: the extras' file names the cache it goes with


def _render_cache_path(cfg: "Config") -> Path:
    return cfg.root / ".l10n-cache" / "render.pickle"


def _extras_path(cfg: "Config") -> Path:
    return cfg.root / ".l10n-cache" / "render-extras.pickle"


def load_render_cache(cfg: "Config") -> RenderCache:
    """The render cache, with the extras' digest when its file goes with this cache."""
    try:
        rc = load_pickle(_render_cache_path(cfg))
        if isinstance(rc, tuple) and rc[0] == FORMAT and isinstance(rc[1], RenderCache):
            rc = rc[1]
            try:
                token, extras = load_pickle(_extras_path(cfg))
            except Exception:  # noqa: BLE001 - no file, or a broken one: the extras are written again
                token, extras = None, ""
            rc.extras = extras if rc.token and token == rc.token else ""
            return rc
    except Exception:  # noqa: BLE001
        pass
    return RenderCache()


def save_render_cache(cfg: "Config", rc: RenderCache) -> InChild:
    """Save the cache (its thousands of records: a third of a second at 10,000 pages) in a forked
    child while the caller goes on, as it writes the site's indexes; the caller then saves their
    digest (:func:`save_extras_digest`) and waits for the child (``.result()``). The two files are
    tied by a fresh token: an extras file that does not go with the cache counts as none."""
    rc.token = os.urandom(8).hex()
    return InChild(_save_render_cache, cfg, rc)


def _save_render_cache(cfg: "Config", rc: RenderCache) -> None:
    try:
        _render_cache_path(cfg).parent.mkdir(parents=True, exist_ok=True)
        save_pickle(_render_cache_path(cfg), (FORMAT, rc))
    except OSError:
        pass


def save_extras_digest(cfg: "Config", rc: RenderCache) -> None:
    try:
        save_pickle(_extras_path(cfg), (rc.token, rc.extras))
    except OSError:
        pass


def plan_locales(cfg: "Config", src: str) -> list[str]:
    """The versions of a page whose source is in ``src``, in render_site's order: its own
    locale and its targets, in the order of the site's locales."""
    targets = cfg.targets.get(src, ())
    return [loc for loc in cfg.locales if loc == src or loc in targets]


def render_plan(cfg: "Config", pages: Sequence["Page"]) -> list[tuple[int, str]]:
    """(page index, locale) in render_site's order."""
    by_src: dict[str, list[str]] = {}
    out = []
    for i, pg in enumerate(pages):
        locs = by_src.get(pg.locale)
        if locs is None:
            locs = by_src[pg.locale] = plan_locales(cfg, pg.locale)
        out.extend([(i, loc) for loc in locs])
    return out


def skel_key_of(pg: "Page") -> str | None:
    return getattr(pg.skeleton, "key", None) if isinstance(pg.skeleton, LazySkeleton) else None


def output_rel(cfg: "Config", pg: "Page", loc: str) -> str:
    """render_site's ``(Path(loc) / Path(pg.rel).relative_to(cfg.rel(cfg.source_dir))).as_posix()``."""
    from ..site import source_rel
    rel = source_rel(cfg, pg)
    if "/" not in loc and loc not in ("", ".", "..") and rel and not rel.startswith("/"):
        return f"{loc}/{rel}"
    return (Path(loc) / rel).as_posix()



@dataclass(frozen=True)
class RenderContext:
    """What render_task reads besides its task (given to the workers once, by fork)."""
    cfg: "Config"
    pages: Sequence["Page"]
    sources: dict[str, str]                 # page -> its source locale
    published: Container                    # the (page, locale) published, as the chrome assumes them
    fresh: bool = False                     # the output folder did not exist: no page there to read first


def render_task(ctx: RenderContext, task: tuple[int, tuple[str, ...]]) -> list[Rendered]:
    """Worker: one page in the given locales. Returns one tuple per locale."""
    from ..catalogs import read_mo
    from ..fsutil import atomic_write, write_new
    from ..html.render import render, translations_of
    from ..site import chrome_for, head_tags, page_title, source_rel, title_unit
    i, locales = task
    cfg, pages, sources, published = ctx.cfg, ctx.pages, ctx.sources, ctx.published
    pg = pages[i]
    skel = pg.skeleton
    if isinstance(skel, LazySkeleton):
        skel = skel.load()
    out_root = str(cfg.output_dir)
    lc_root = str(cfg.locales_dir)
    rel = source_rel(cfg, pg)
    plain = bool(rel) and not rel.startswith("/")
    unit = title_unit(skel)
    results = []
    assumed = published
    tags = None
    for loc in locales:
        table: dict = {}
        mo_sig = None
        if loc == pg.locale:
            pct = 100.0
        else:
            try:        # cfg.mo_path's file, without making a Path
                with open(f"{lc_root}/{loc}/LC_MESSAGES/{pg.domain}.mo", "rb") as f:
                    data = f.read()
                    mo_sig = sig_of(os.fstat(f.fileno()))
            except FileNotFoundError:
                data = mo_sig = None
            if data is not None:
                try:
                    table = read_mo(data, "")
                except Exception:  # noqa: BLE001 - again, for the error that names the file
                    table = read_mo(data, cfg.rel(cfg.mo_path(loc, pg.domain)))
            texts = translations_of(skel, table)
            pct = 100.0 if not texts else 100.0 * (len(texts) - texts.count(None)) / len(texts)
        ok = pct >= cfg.threshold
        # output_rel's path, joined as Path(out_root) / out_rel joins it
        if plain and "/" not in loc and loc not in ("", ".", ".."):
            dest = f"{out_root}/{loc}/{rel}"
        else:
            dest = str(Path(out_root) / output_rel(cfg, pg, loc))
        title = page_title(cfg, pg, loc, table if loc != pg.locale else None, unit=unit)
        if not ok:
            try:
                os.unlink(dest)
            except FileNotFoundError:
                pass
            results.append(Rendered(loc, pct, ok, None, (), (), title, None, None, mo_sig))
            continue
        orig = None
        if not ctx.fresh:
            try:
                with open(dest, "rb") as f:
                    orig = f.read()
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                pass
        rec = _RecordingSet(assumed)
        if tags is None:
            tags = head_tags(skel.chunks)
        chrome = chrome_for(cfg, pg, loc, rec, sources, tags=tags)  # type: ignore[arg-type]
        if loc == pg.locale:
            res = render(skel, None, locale=loc, chrome=chrome)
        else:
            res = render(skel, texts, locale=loc,
                         chrome=chrome, fallback_lang=skel.lang)
        html = res.html.encode("utf-8")
        if orig != html and (orig is not None or not write_new(dest, html)):   # (read just above)
            atomic_write(dest, html, durable=False)
        warnings = tuple(f"{seg.page}:{seg.line}: {loc}: translation not used ({why})" for seg, why in res.invalid)
        asked = tuple((k[0], k[1], v) for k, v in rec.asked.items())
        if orig is None:        # no file before: written whatever it holds (NEW_FILE differs from None)
            orig_digest, digest = None, NEW_FILE
        else:
            orig_digest, digest = hashlib.sha1(orig).digest(), hashlib.sha1(html).digest()
        results.append(Rendered(loc, pct, ok, orig_digest, warnings, asked, title, digest, file_sig(dest), mo_sig))
    if isinstance(pg.skeleton, LazySkeleton):
        pg.skeleton.release()
    return results


@dataclass
class RenderOutcome:
    stats: list                   # PageStat, render_site's order
    written: int
    warnings: list[str]
    titles: dict[tuple[str, str], tuple[str, bool]]
    rendered: int                 # page versions rendered (not taken from the cache)
    lines: dict[tuple[str, str], str] = field(default_factory=dict)   # index lines made as versions came in


def render_pages(cfg: "Config", pages: Sequence["Page"], *, jobs: int | None = None,
                 progress: Callable = lambda items, label: items, cache: RenderCache | None = None,
                 sigs: dict[str, tuple] | None = None, why: "Reasons | None" = None
                 ) -> tuple[RenderOutcome, RenderCache]:
    """Render every page version that changed (all of them without a ``cache``).

    Same files, statistics and warnings as rendering every page in order. ``sigs`` (path ->
    signature, from a scan of the project) saves a stat per file. ``why`` is told why each
    version is rendered again."""
    fresh = not os.path.lexists(cfg.output_dir)         # nothing written yet: no page to read before writing
    sources = {p.rel: p.locale for p in pages}
    ctx = cfg_digest(cfg, sorted(sources.items()))
    old = cache if cache is not None and cache.ctx == ctx else RenderCache()
    new = RenderCache(ctx=ctx, extras=old.extras if old is cache else "")
    plan = render_plan(cfg, pages)
    outs = site_paths(cfg, pages)
    stale = _stale_versions(cfg, pages, plan, old, new, outs, sigs)
    keys, status, dirty = stale.keys, stale.status, stale.dirty
    if why is not None:
        for i, locs in dirty.items():
            for loc in locs:
                rec = old.items.get((pages[i].rel, loc))
                why.note("version", f"{pages[i].rel} ({loc})",
                         version_reason(rec, keys[(i, loc)], old is not cache and cache is not None))
    # assumed statuses for what is being rendered: the last known, else "published"
    assumed = dict(status)
    for i, locs in dirty.items():
        for loc in locs:
            rec = old.items.get((pages[i].rel, loc))
            assumed[(pages[i].rel, loc)] = rec.ok if rec is not None else True
    from ..site import names_of
    from ..templating import templates_for
    templates_for(cfg)      # the site's templates compiled here, once: forked workers inherit them
    names_of(cfg)           # and the names of the languages, which each worker would look up again
    context = RenderContext(cfg, pages, sources, frozenset(k for k, v in assumed.items() if v), fresh)
    got = Gathered(cfg, pages, plan, outs, keys)
    results = got.results
    tasks = [(i, tuple(locs)) for i, locs in sorted(dirty.items())]
    _render_tasks(context, tasks, jobs_for(cfg, jobs), progress, got)
    for k, r in results.items():
        status[k] = r.ok
    again = _asked_otherwise(pages, results, status, new, context.published)
    if again and why is not None:
        for i, locs in again.items():
            for loc in locs:
                why.note("version", f"{pages[i].rel} ({loc})", STATUS_FLIPPED)
    if again:
        context = replace(context, published=frozenset(k for k, v in status.items() if v), fresh=False)
        tasks = [(i, tuple(loc for loc in cfg.locales if loc in locs)) for i, locs in sorted(again.items())]
        _render_tasks(context, tasks, jobs_for(cfg, jobs), progress, got)
    return _assemble(cfg, pages, plan, outs, got, new), new


def site_paths(cfg: "Config", pages: Sequence["Page"]) -> dict[int, str | None]:
    """Each page's path in a locale folder, when its site path is plain joining (else None:
    :func:`output_rel` says)."""
    from ..site import source_rel
    outs: dict[int, str | None] = {}
    plain = all("/" not in lo and lo not in (".", "..") for lo in cfg.locales)
    for i, pg in enumerate(pages):
        r = source_rel(cfg, pg)
        outs[i] = r if r and not r.startswith("/") and plain else None
    return outs


class StaleVersions(NamedTuple):
    """The inputs of each version, the statuses of the fresh ones, and the stale ones by page."""
    keys: dict[tuple[int, str], tuple]              # (page index, locale) -> (skeleton key, .mo signature)
    status: dict[tuple[str, str], bool]             # (page, locale) -> published, of the fresh versions
    dirty: dict[int, list[str]]                     # page index -> its locales to render again


def _stale_versions(cfg: "Config", pages: Sequence["Page"], plan: list[tuple[int, str]], old: RenderCache,
                    new: RenderCache, outs: dict[int, str | None], sigs: dict[str, tuple] | None) -> StaleVersions:
    """Which versions' inputs (skeleton, .mo) or outputs changed since ``old``; the fresh ones'
    records go into ``new``."""
    keys: dict[tuple[int, str], tuple] = {}
    status: dict[tuple[str, str], bool] = {}
    dirty: dict[int, list[str]] = {}
    lc_dirs = {loc: str(cfg.locales_dir / loc / "LC_MESSAGES") for loc in cfg.locales}
    out_dir = str(cfg.output_dir)
    old_items = old.items
    for i, loc in plan:
        pg = pages[i]
        sk = skel_key_of(pg)
        if loc == pg.locale:
            mo_sig = None
        elif sigs is None and (pg.rel, loc) not in old_items:
            mo_sig = MO_READ      # stale whatever it is: the worker that reads the file signs it
        else:
            mo = f"{lc_dirs[loc]}/{pg.domain}.mo"
            mo_sig = sigs.get(mo) if sigs is not None and mo in sigs else file_sig(mo)
            if mo_sig == ():               # the scan saw it without a stat: its last known signature
                rec0 = old_items.get((pg.rel, loc))
                mo_sig = rec0.key[1] if rec0 is not None and rec0.key[1] is not None else file_sig(mo)
        key = (sk, mo_sig)
        keys[(i, loc)] = key
        rec = old_items.get((pg.rel, loc))
        fresh = sk is not None and rec is not None and rec.key == key
        if fresh and rec.ok:          # the output must still be there (and, without a scan, the file we wrote)
            out = f"{out_dir}/{loc}/{outs[i]}" if outs[i] is not None else f"{out_dir}/{output_rel(cfg, pg, loc)}"
            if sigs is not None:
                fresh = out in sigs
            else:
                fresh = file_sig(out) == rec.out_sig
        if fresh:
            new.items[(pg.rel, loc)] = rec
            status[(pg.rel, loc)] = rec.ok
        else:
            dirty.setdefault(i, []).append(loc)
    return StaleVersions(keys, status, dirty)


class Gathered:
    """What the workers' results come to, worked out in the parent as they come in (while the
    workers go on): each version's result, its output's digest before its first render, its
    cache record and its line on its locale's index."""

    def __init__(self, cfg: "Config", pages: Sequence["Page"], plan: list[tuple[int, str]],
                 outs: dict[int, str | None], keys: dict[tuple[int, str], tuple]):
        self.cfg, self.pages, self.outs, self.keys = cfg, pages, outs, keys
        self.results: dict[tuple[str, str], Rendered] = {}
        self.origs: dict[tuple[str, str], bytes | None] = {}
        self.recs: dict[tuple[str, str], RenderRec] = {}
        self.lines: dict[tuple[str, str], str] = {}
        # write_site_extras' source_out, from the plan (the stats it will be made from)
        self.source_out = {pages[i].rel: self.output(i, loc) for i, loc in plan if loc == pages[i].locale}

    def output(self, i: int, loc: str) -> str:
        """Page ``i``'s site path in ``loc`` (its PageStat's output)."""
        o = self.outs[i]
        return f"{loc}/{o}" if o is not None else output_rel(self.cfg, self.pages[i], loc)

    def take(self, i: int, res: "list[Rendered]") -> None:
        """Page ``i``'s results (one per locale rendered)."""
        from ..site import index_line
        from .report import PageStat
        from .sitefiles import index_entry
        pg = self.pages[i]
        titles = {r.locale: r.title for r in res}

        def title_of(_pg: "Page", loc: str) -> tuple[str, bool]:
            return titles[loc]

        for r in res:
            k = (pg.rel, r.locale)
            if k not in self.origs:
                self.origs[k] = r.orig_digest
            self.results[k] = r
            key = self.keys[(i, r.locale)]
            if key[1] is MO_READ:
                key = self.keys[(i, r.locale)] = (key[0], r.mo_sig)
            self.recs[k] = render_rec(key, r)
            if r.ok or pg.locale in titles:     # its line needs no title that another task has
                st = PageStat(pg.rel, r.locale, r.pct, r.ok, self.output(i, r.locale))
                self.lines[k] = index_line(r.locale, index_entry(self.cfg, pg, st, self.source_out, titles=title_of),
                                           self.cfg)
            else:
                self.lines.pop(k, None)


def _render_tasks(context: RenderContext, tasks: list[tuple[int, tuple[str, ...]]], jobs: int, progress: Callable,
                  got: Gathered) -> None:
    """(page index, locales) rendered on ``jobs`` workers, each page's results to ``got`` as they come in."""
    for (i, _locs), res in pmap_each(render_task, list(progress(tasks, "render")), jobs=jobs, context=context):
        got.take(i, res)


def _asked_otherwise(pages: Sequence["Page"], results: dict[tuple[str, str], Rendered],
                     status: dict[tuple[str, str], bool], new: RenderCache,
                     assumed: Container) -> dict[int, list[str]]:
    """Page index -> the locales whose chrome asked about a status that turned out otherwise (to
    render again; a fresh one's record leaves ``new``). ``results`` were rendered with the
    published set ``assumed``."""
    again: dict[int, list[str]] = {}
    index_of = {p.rel: i for i, p in enumerate(pages)}

    def wrong(asked: Iterable[tuple]) -> bool:
        for rel, lo, ans in asked:
            if rel == "*":
                return True
            if status.get((rel, lo), False) != ans:
                return True
        return False

    # a rendered version's answers are ``assumed``'s: only a status that differs from it (or a
    # question about every status) can make one wrong -- usually none, and 30,000 versions are
    # then not read again
    flipped = any(v != (k in assumed) for k, v in status.items()) or any(k not in status for k in assumed)
    for (rel, loc), r in results.items():
        if r.ok and (wrong(r.asked) if flipped else STAR in r.asked):
            again.setdefault(index_of[rel], []).append(loc)
    for (rel, loc) in [k for k, rec in new.items.items() if rec.ok and wrong(rec.asked)]:
        again.setdefault(index_of[rel], []).append(loc)
        new.items.pop((rel, loc), None)
    return again


def _assemble(cfg: "Config", pages: Sequence["Page"], plan: list[tuple[int, str]], outs: dict[int, str | None],
              got: Gathered, new: RenderCache) -> RenderOutcome:
    """The outcome in render_site's order; each rendered version's record into ``new``."""
    from .report import PageStat
    stats: list = []
    warnings: list[str] = []
    titles: dict[tuple[str, str], tuple[str, bool]] = {}
    written = 0
    results, origs, recs, items = got.results, got.origs, got.recs, new.items
    for i, loc in plan:
        pg = pages[i]
        k = (pg.rel, loc)
        r = results.get(k)
        if r is not None:
            rec = items[k] = recs[k]
            if rec.ok and r.digest != origs.get(k):
                written += 1
        else:
            rec = items[k]
        o = outs[i]
        out = f"{loc}/{o}" if o is not None else output_rel(cfg, pg, loc)
        stats.append(PageStat(pg.rel, loc, rec.pct, rec.ok, out))
        if rec.ok and rec.warnings:
            warnings.extend(rec.warnings)
        if rec.title is not None:
            titles[k] = rec.title
    return RenderOutcome(stats, written, warnings, titles, len(results), got.lines)


def version_reason(rec: RenderRec | None, key: tuple, new_context: bool) -> str:
    """Why a page version whose cache record is ``rec`` is rendered again from inputs ``key``
    (skeleton key, .mo signature); ``new_context``: the settings or the page list changed."""
    from .plan import ADDED, MO_CHANGED, OUTPUT_MISSING, PAGE_CHANGED, SITE_CONTEXT
    if new_context:
        return SITE_CONTEXT
    if rec is None:
        return ADDED
    if rec.key[0] != key[0]:
        return PAGE_CHANGED
    if rec.key[1] != key[1]:
        return MO_CHANGED
    return OUTPUT_MISSING


def delete_unplanned(cfg: "Config", stats: Sequence, present: Sequence[str] | None = None) -> None:
    """render_site's sweep: a page version not in the plan (deleted or held back) goes.

    ``present``: every file under the output folder, when a scan just listed them (and
    found no symbolic link there): then plain names are compared, nothing is walked."""
    out_root = cfg.output_dir
    if present is not None:
        top = str(out_root)
        planned_s = {f"{top}/{s.output}" for s in stats}
        tops = {loc: f"{top}/{loc}/" for loc in cfg.locales}
        for p in sorted(present):
            if not p.endswith(".html") or p in planned_s:
                continue
            for t in tops.values():
                if p.startswith(t) and p != f"{t}index.html":
                    try:
                        os.unlink(p)
                    except FileNotFoundError:
                        pass
                    break
        return
    dirs: dict[str, str] = {}

    def real(p: str) -> str:
        d, name = os.path.split(p)
        if os.path.islink(p) or name in ("", ".", ".."):
            return os.path.realpath(p)
        r = dirs.get(d)
        if r is None:
            r = dirs[d] = os.path.realpath(d)
        return os.path.join(r, name)

    planned = {real(os.path.join(str(out_root), s.output)) for s in stats}
    for loc in cfg.locales:
        top = out_root / loc
        if not top.is_dir():
            continue
        index = os.path.join(str(top), "index.html")
        for d, dirs, files in os.walk(top):
            dirs.sort()
            real_d = os.path.realpath(d)
            for name in sorted(files):
                if not name.endswith(".html"):
                    continue
                p = os.path.join(d, name)
                real = os.path.realpath(p) if os.path.islink(p) else os.path.join(real_d, name)
                if real not in planned and p != index:
                    os.unlink(p)


def site_extras(cfg: "Config", pages: Sequence["Page"], outcome: RenderOutcome, cache: RenderCache) -> int:
    """write_site_extras with the titles the workers found; skipped when its inputs are the same."""
    from ..site import page_title
    from .sitefiles import asset_paths, write_site_extras

    def titles(pg: "Page", loc: str) -> tuple[str, bool]:
        t = outcome.titles.get((pg.rel, loc))
        if t is None:
            t = page_title(cfg, pg, loc, None if loc == pg.locale else mo_table(cfg, loc, pg.domain))
        return t

    assets = [(str(p), file_sig(p)) for p in asset_paths(cfg)]
    digest = hashlib.sha256(pickle.dumps((FORMAT, cache.ctx, [tuple(s.__dict__.values()) if hasattr(s, "__dict__")
                                                               else tuple(s) for s in outcome.stats],
                                          sorted(outcome.titles.items()),
                                          [(p.rel, p.locale, p.domain) for p in pages], assets))).hexdigest()
    out = cfg.output_dir
    expected = [out / "index.html", out / "sitemap.xml"] + [out / loc / "index.html" for loc in cfg.locales]

    def state() -> str:          # the inputs, and the files as written (``l10n build`` writes them too)
        return digest + repr([file_sig(p) for p in expected])

    if cache.extras and cache.extras == state():
        return 0
    n = write_site_extras(cfg, list(pages), list(outcome.stats), titles=titles, known=outcome.lines)
    cache.extras = state()
    return n




