"""Build only what changed, on every core: the machinery behind load_pages, render_site and build.

Three ideas, each checked against the plain pipeline by tests/test_incremental.py
(same bytes in every output file, same report):

* **Lazy skeletons.** A page's skeleton lives in ``.l10n-cache/skeletons/<key>.pickle``
  (key: the page's bytes, path, walker version and source locales). A
  :class:`LazySkeleton` knows the page's ``lang`` and ``locale`` and loads the rest
  on first use, so a build that touches one page of 10,000 loads one skeleton.
  An index (key -> lang, locale) lets ``load_pages`` skip parsing and loading.
* **Parallel, speculative rendering.** Rendering a page needs its translations, and
  its language switcher and links need to know which *other* pages are published
  (a page below the threshold is not). Workers (one per core, forked) render each
  page in all its locales assuming the last known statuses (or "published");
  every question the site's chrome asks about a status is recorded, and the few
  pages whose answers turn out wrong are rendered again. Each rendered file
  records its inputs (skeleton key, ``.mo`` file signature, the statuses it asked
  about, the settings), so an unchanged page is not rendered at all next time.
* **A build state** (``.l10n-cache/build/state.sqlite``, see :mod:`l10n._build`):
  the signature (mtime, size, inode, ctime) and content hash of every page and
  catalog seen, what each stage made of it (rows keyed by page, catalog and page
  version, read and written only for what changed), and a listing of the
  project's folders. A build whose listing and signatures match the last one's
  returns the last report without reading a row; otherwise only the pages,
  templates, catalogs and site files whose inputs changed are redone.
  The compendium (translations across a locale's catalogs, for new msgids) is an
  SQLite index kept up to date catalog by catalog, so updating one page never
  reads 10,000 catalogs. (``render_site`` alone keeps its own render cache,
  ``.l10n-cache/render.pickle``.)

Outputs are written with :func:`~l10n.fsutil.write_if_changed`; the site and
``.mo`` files without fsync (build products), catalogs with it.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
import sys
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence

from . import __version__
from .fsutil import atomic_write

if TYPE_CHECKING:
    from .config import Config
    from .html.skeleton import Skeleton
    from .project import Page

__all__ = ["LazySkeleton", "load_page_refs", "render_pages", "pmap", "FORMAT"]

FORMAT = f"{__version__}-incremental-1"      # bump when what the caches hold changes
MIN_PARALLEL = 48                            # fewer items than this: one process is faster


# -- small helpers ------------------------------------------------------------------------

Sig = tuple  # (mtime_ns, size, ino, ctime_ns)


def sig_of(st: os.stat_result) -> Sig:
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)


def file_sig(path: str | Path) -> Sig | None:
    try:
        return sig_of(os.stat(path))
    except OSError:
        return None


def _jobs(cfg: "Config", jobs: int | None) -> int:
    n = jobs if jobs is not None else (cfg.jobs or os.cpu_count() or 1)
    return max(1, n)


class _NoGC:
    """Unpickling thousands of small objects triggers the cyclic GC over and over (3x slower)."""

    def __enter__(self) -> None:
        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc) -> None:
        if self.was:
            gc.enable()


def _load_pickle(path: Path) -> Any:
    with _NoGC(), open(path, "rb") as f:
        return pickle.load(f)


def _save_pickle(path: Path, obj: Any) -> None:
    atomic_write(path, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL), durable=False)


# -- parallel map (fork: workers inherit the parent's state) --------------------------

_SHARED: dict[str, Any] = {}


def _init_worker() -> None:
    # bs4 trees are cyclic garbage: keep the collector, but let it run less often
    gc.set_threshold(20000, 20, 20)


def _fork_pool(jobs: int) -> Any:
    """A pool of ``jobs`` forked workers; None where fork is not there. (Imported here: a build
    that redoes one page runs it in-process, and the import costs 20 ms of its start-up.)"""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_init_worker)


def pmap(fn: Callable[[Any], Any], items: Sequence[Any], *, jobs: int, shared: dict[str, Any] | None = None,
         chunksize: int | None = None) -> list[Any]:
    """``[fn(x) for x in items]`` on ``jobs`` forked processes when worth it, in order.

    ``shared`` is visible to ``fn`` as ``incremental._SHARED`` (inherited by fork,
    never pickled)."""
    _SHARED.clear()
    _SHARED.update(shared or {})
    pool = None if jobs <= 1 or len(items) < MIN_PARALLEL else _fork_pool(jobs)
    if pool is None:
        return [fn(x) for x in items]
    cs = chunksize or max(1, min(64, len(items) // (jobs * 8) or 1))
    with pool as ex:
        return list(ex.map(fn, items, chunksize=cs))


def pmap_each(fn: Callable[[Any], Any], items: Sequence[Any], *, jobs: int,
              shared: dict[str, Any] | None = None) -> Iterator[tuple[Any, Any]]:
    """``(item, fn(item))`` in order, as results arrive (nothing is kept): pmap for big batches."""
    _SHARED.clear()
    _SHARED.update(shared or {})
    pool = None if jobs <= 1 or len(items) < MIN_PARALLEL else _fork_pool(jobs)
    if pool is None:
        for x in items:
            yield x, fn(x)
        return
    cs = max(1, min(64, len(items) // (jobs * 8) or 1))
    with pool as ex:
        yield from zip(items, ex.map(fn, items, chunksize=cs))


# -- lazy skeletons ---------------------------------------------------------------------------

class LazySkeleton:
    """A page's skeleton in the cache: ``page``, ``lang``, ``locale`` and ``key`` at hand,
    everything else (``segments``, ``chunks``, ``links``) loaded on first use."""

    __slots__ = ("page", "lang", "locale", "key", "file", "source", "known", "_skel", "extra", "_given")

    def __init__(self, page: str, lang: str, locale: str, key: str, file: str, source: str,
                 known: tuple[str, ...], skel: "Skeleton | None" = None):
        self.page, self.lang, self.locale, self.key = page, lang, locale, key
        self.file, self.source, self.known = file, source, known
        self._skel = skel
        self._given = skel is not None
        self.extra: Any = None

    def load(self) -> "Skeleton":
        skel = self._skel
        if skel is None:
            try:
                skel = _load_pickle(Path(self.file))
            except Exception:  # noqa: BLE001 - cache entry gone or broken: parse the page again
                from .project import _parse_one
                skel = _parse_one((self.source, self.page, str(Path(self.file).parent), self.known, ""))
            self._skel = skel
        return skel

    def release(self) -> None:
        """Forget a skeleton loaded from the cache (a worker renders thousands of pages)."""
        if not self._given:
            self._skel = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.load(), name)

    def __reduce__(self):      # travels to workers without the loaded skeleton
        return (LazySkeleton, (self.page, self.lang, self.locale, self.key, self.file, self.source, self.known))

    def __repr__(self) -> str:
        return f"LazySkeleton({self.page!r}, {self.locale!r}, loaded={self._skel is not None})"


def skeleton_key(data: bytes, rel: str, known: Sequence[str]) -> str:
    """The cache key of a page's skeleton (what project._parse_one names its cache file)."""
    from .project import _CACHE_VERSION
    return hashlib.sha256(data + _CACHE_VERSION.encode() + rel.encode() + "|".join(known).encode()).hexdigest()


def _index_path(cache_dir: Path) -> Path:
    return cache_dir / "index.pickle"


def _load_index(cache_dir: Path) -> dict[str, tuple[str, str]]:
    try:
        idx = _load_pickle(_index_path(cache_dir))
        if isinstance(idx, dict) and idx.get("__format__") == FORMAT:
            return idx
    except Exception:  # noqa: BLE001 - no index yet, or a broken one
        pass
    return {"__format__": FORMAT}


def _parse_task(args: tuple) -> tuple[str, str, "Skeleton | None", Any]:
    """Worker: page ``i`` parsed into the cache (or loaded from it), then ``then(i, skeleton)``.
    Returns (lang, locale, the skeleton if it could not be cached, what ``then`` returned)."""
    from .project import _parse_one
    i, path, rel, cache_dir, known, key, cached_meta = args
    then = _SHARED.get("then")
    file = Path(cache_dir) / f"{key}.pickle"
    if cached_meta is not None:
        ref = LazySkeleton(rel, cached_meta[0], cached_meta[1], key, str(file), path, known)
        return ref.lang, ref.locale, None, then(i, ref.load())
    from .errors import PageError
    try:
        skel = _parse_one((path, rel, cache_dir, known, ""))
    except PageError as e:              # reported with every other bad page (l10n.pagecheck)
        return None, None, None, e
    extra = then(i, skel) if then is not None else None
    return skel.lang, skel.locale, (None if file.is_file() else skel), extra


def load_page_refs(cfg: "Config", paths: Sequence[Path], rels: Sequence[str], *, jobs: int | None = None,
                   progress: Callable = lambda items, label: items,
                   datas: Sequence[bytes] | None = None,
                   then: Callable[[int, "Skeleton"], Any] | None = None) -> list[LazySkeleton]:
    """A lazy skeleton for every page: parsed (on all cores) only when not in the cache.

    With ``then``, ``then(i, skeleton)`` also runs for *every* page, in the worker that
    has its skeleton at hand; its result is in each reference's ``extra``."""
    cache_dir = cfg.root / ".l10n-cache" / "skeletons"
    known = cfg.source_locales
    index = _load_index(cache_dir)
    refs: list[LazySkeleton | None] = [None] * len(paths)
    todo: list[int] = []
    keys: list[str] = []
    for i, (p, rel) in enumerate(zip(paths, rels)):
        data = datas[i] if datas is not None else Path(p).read_bytes()
        key = skeleton_key(data, rel, known)
        keys.append(key)
        meta = index.get(key)
        file = cache_dir / f"{key}.pickle"
        if meta is not None and file.is_file():
            refs[i] = LazySkeleton(rel, meta[0], meta[1], key, str(file), str(p), known)
            if then is not None:
                todo.append(i)
        else:
            todo.append(i)
    if todo:
        args = [(i, str(paths[i]), rels[i], str(cache_dir), known, keys[i],
                 None if refs[i] is None else (refs[i].lang, refs[i].locale)) for i in todo]
        done = pmap(_parse_task, list(progress(args, "parse")), jobs=_jobs(cfg, jobs),
                    shared={"then": then} if then is not None else None)
        from .pagecheck import raise_page_errors
        raise_page_errors((r[3] if r[0] is None else None for r in done),
                          staged=[r[3] for r in done if r[0] is not None])
        changed = False
        for i, (lang, locale, skel, extra) in zip(todo, done):
            if refs[i] is None:
                file = cache_dir / f"{keys[i]}.pickle"
                refs[i] = LazySkeleton(rels[i], lang, locale, keys[i], str(file), str(paths[i]), known, skel)
                if skel is None:
                    index[keys[i]] = (lang, locale)
                    changed = True
            refs[i].extra = extra  # type: ignore[union-attr]
        if changed:
            try:
                cache_dir.mkdir(parents=True, exist_ok=True)
                _save_pickle(_index_path(cache_dir), index)
            except OSError:
                pass
    return refs  # type: ignore[return-value]


# -- recording what the chrome asks -------------------------------------------------------------

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


def render_rec(key: tuple, r: tuple) -> RenderRec:
    """What the cache keeps of one of :func:`_render_task`'s results (``r``) made from ``key``."""
    _loc, pct, ok, _orig, warns, asked, title, _digest, osig = r
    asked = tuple((sys.intern(a), sys.intern(lo), v) for a, lo, v in asked)   # pickled once each
    return RenderRec(key, pct, ok, warns, asked, title, osig)


@dataclass
class RenderCache:
    ctx: str = ""
    items: dict[tuple[str, str], RenderRec] = field(default_factory=dict)
    extras: str = ""              # digest of write_site_extras' inputs


def _render_cache_path(cfg: "Config") -> Path:
    return cfg.root / ".l10n-cache" / "render.pickle"


def load_render_cache(cfg: "Config") -> RenderCache:
    try:
        rc = _load_pickle(_render_cache_path(cfg))
        if isinstance(rc, tuple) and rc[0] == FORMAT:
            return rc[1]
    except Exception:  # noqa: BLE001
        pass
    return RenderCache()


def save_render_cache(cfg: "Config", rc: RenderCache) -> None:
    try:
        _render_cache_path(cfg).parent.mkdir(parents=True, exist_ok=True)
        _save_pickle(_render_cache_path(cfg), (FORMAT, rc))
    except OSError:
        pass


def _cfg_digest(cfg: "Config", *extra: object) -> str:
    from dataclasses import asdict
    d = asdict(cfg)
    d.pop("pyproject", None)
    return hashlib.sha256(repr((FORMAT, sorted(d.items(), key=lambda kv: kv[0]), extra)).encode()).hexdigest()


def _plan(cfg: "Config", pages: Sequence["Page"]) -> list[tuple[int, str]]:
    """(page index, locale) in render_site's order."""
    out = []
    for i, pg in enumerate(pages):
        src = pg.locale
        targets = cfg.targets.get(src, ())
        for loc in cfg.locales:
            if loc == src or loc in targets:
                out.append((i, loc))
    return out


def _skel_key(pg: "Page") -> str | None:
    return getattr(pg.skeleton, "key", None) if isinstance(pg.skeleton, LazySkeleton) else None


def _out_rel(cfg: "Config", pg: "Page", loc: str) -> str:
    """render_site's ``(Path(loc) / Path(pg.rel).relative_to(cfg.rel(cfg.source_dir))).as_posix()``."""
    from .site import _source_rel
    rel = _source_rel(cfg, pg)
    if "/" not in loc and loc not in ("", ".", "..") and rel and not rel.startswith("/"):
        return f"{loc}/{rel}"
    return (Path(loc) / rel).as_posix()


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


def _render_task(task: tuple[int, tuple[str, ...]]) -> list[tuple]:
    """Worker: one page in the given locales. Returns one tuple per locale."""
    from .catalogs import read_mo
    from .fsutil import atomic_write
    from .html.render import render, translations_of
    from .site import chrome_for, page_title
    i, locales = task
    g = _SHARED
    cfg, pages, sources, published = g["cfg"], g["pages"], g["sources"], g["published"]
    pg = pages[i]
    skel = pg.skeleton
    if isinstance(skel, LazySkeleton):
        skel = skel.load()
    out_root = cfg.output_dir
    results = []
    assumed = published
    for loc in locales:
        table: dict = {}
        if loc == pg.locale:
            pct = 100.0
        else:
            mo = cfg.mo_path(loc, pg.domain)
            try:
                data = mo.read_bytes()
            except FileNotFoundError:
                data = None
            if data is not None:
                try:
                    table = read_mo(data, "")
                except Exception:  # noqa: BLE001 - again, for the error that names the file
                    table = read_mo(data, cfg.rel(mo))
            texts = translations_of(skel, table)
            pct = 100.0 if not texts else 100.0 * (len(texts) - texts.count(None)) / len(texts)
        ok = pct >= cfg.threshold
        out_rel = _out_rel(cfg, pg, loc)
        dest = out_root / out_rel
        title = page_title(cfg, pg, loc, table if loc != pg.locale else None)
        if not ok:
            try:
                dest.unlink()
            except FileNotFoundError:
                pass
            results.append((loc, pct, ok, None, (), (), title, None, None))
            continue
        try:
            orig = dest.read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            orig = None
        rec = _RecordingSet(assumed)
        chrome = chrome_for(cfg, pg, loc, rec, sources=sources)  # type: ignore[arg-type]
        if loc == pg.locale:
            res = render(skel, None, locale=loc, chrome=chrome)
        else:
            res = render(skel, texts, locale=loc,
                         chrome=chrome, fallback_lang=skel.lang)
        html = res.html.encode("utf-8")
        if orig != html:                    # read just above: no need to read it again
            atomic_write(dest, html, durable=False)
        warnings = tuple(f"{seg.page}:{seg.line}: {loc}: translation not used ({why})" for seg, why in res.invalid)
        asked = tuple((k[0], k[1], v) for k, v in rec.asked.items())
        orig_digest = None if orig is None else hashlib.sha1(orig).digest()
        results.append((loc, pct, ok, orig_digest, warnings, asked, title, hashlib.sha1(html).digest(),
                        file_sig(dest)))
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


def render_pages(cfg: "Config", pages: Sequence["Page"], *, jobs: int | None = None,
                 progress: Callable = lambda items, label: items, cache: RenderCache | None = None,
                 sigs: dict[str, tuple] | None = None) -> tuple[RenderOutcome, RenderCache]:
    """Render every page version that changed (all of them without a ``cache``).

    Same files, statistics and warnings as rendering every page in order. ``sigs`` (path ->
    signature, from a scan of the project) saves a stat per file."""
    from .project import PageStat
    sources = {p.rel: p.locale for p in pages}
    ctx = _cfg_digest(cfg, sorted(sources.items()))
    old = cache if cache is not None and cache.ctx == ctx else RenderCache()
    new = RenderCache(ctx=ctx, extras=old.extras if old is cache else "")
    plan = _plan(cfg, pages)
    keys: dict[tuple[int, str], tuple] = {}
    status: dict[tuple[str, str], bool] = {}
    dirty: dict[int, list[str]] = {}
    out_root = cfg.output_dir
    lc_dirs = {loc: str(cfg.locales_dir / loc / "LC_MESSAGES") for loc in cfg.locales}
    out_dir = str(out_root)
    from .site import _source_rel
    outs: dict[int, str | None] = {}          # each page's path in a locale folder, when _out_rel is plain joining
    for i, pg in enumerate(pages):
        r = _source_rel(cfg, pg)
        outs[i] = r if r and not r.startswith("/") and all("/" not in lo and lo not in (".", "..")
                                                             for lo in cfg.locales) else None
    old_items = old.items
    for i, loc in plan:
        pg = pages[i]
        sk = _skel_key(pg)
        if loc == pg.locale:
            mo_sig = None
        else:
            mo = f"{lc_dirs[loc]}/{pg.domain}.mo"
            mo_sig = sigs.get(mo) if sigs is not None and mo in sigs else file_sig(mo)
            if mo_sig == ():               # the scan saw it without a stat: its last known signature
                rec0 = old.items.get((pg.rel, loc))
                mo_sig = rec0.key[1] if rec0 is not None and rec0.key[1] is not None else file_sig(mo)
        key = (sk, mo_sig)
        keys[(i, loc)] = key
        rec = old_items.get((pg.rel, loc))
        fresh = sk is not None and rec is not None and rec.key == key
        if fresh and rec.ok:          # the output must still be there (and, without a scan, the file we wrote)
            out = f"{out_dir}/{loc}/{outs[i]}" if outs[i] is not None else f"{out_dir}/{_out_rel(cfg, pg, loc)}"
            if sigs is not None:
                fresh = out in sigs
            else:
                fresh = file_sig(out) == rec.out_sig
        if fresh:
            new.items[(pg.rel, loc)] = rec
            status[(pg.rel, loc)] = rec.ok
        else:
            dirty.setdefault(i, []).append(loc)
    # assumed statuses for what is being rendered: the last known, else "published"
    assumed = dict(status)
    for i, locs in dirty.items():
        for loc in locs:
            rec = old.items.get((pages[i].rel, loc))
            assumed[(pages[i].rel, loc)] = rec.ok if rec is not None else True
    published = frozenset(k for k, v in assumed.items() if v)
    from .templating import templates_for
    templates_for(cfg)              # the site's templates compiled here, once: forked workers inherit them
    shared = {"cfg": cfg, "pages": pages, "sources": sources, "published": published}
    results: dict[tuple[str, str], tuple] = {}
    origs: dict[tuple[str, str], bytes | None] = {}

    def run(tasks: list[tuple[int, tuple[str, ...]]]) -> None:
        outs = pmap(_render_task, list(progress(tasks, "render")), jobs=_jobs(cfg, jobs), shared=shared)
        for (i, _locs), res in zip(tasks, outs):
            for r in res:
                k = (pages[i].rel, r[0])
                if k not in origs:
                    origs[k] = r[3]
                results[k] = r

    run([(i, tuple(locs)) for i, locs in sorted(dirty.items())])
    for k, r in results.items():
        status[k] = r[2]
    # versions whose chrome asked about a status that turned out otherwise: render again
    again: dict[int, list[str]] = {}
    index_of = {p.rel: i for i, p in enumerate(pages)}

    def wrong(asked: Iterable[tuple]) -> bool:
        for rel, lo, ans in asked:
            if rel == "*":
                return True
            if status.get((rel, lo), False) != ans:
                return True
        return False

    for (rel, loc), r in results.items():
        if r[2] and wrong(r[5]):
            again.setdefault(index_of[rel], []).append(loc)
    for (rel, loc) in [k for k, rec in new.items.items() if rec.ok and wrong(rec.asked)]:
        again.setdefault(index_of[rel], []).append(loc)
        new.items.pop((rel, loc), None)
    if again:
        shared["published"] = frozenset(k for k, v in status.items() if v)
        run([(i, tuple(loc for loc in cfg.locales if loc in locs)) for i, locs in sorted(again.items())])
    # assemble in render_site's order
    stats: list = []
    warnings: list[str] = []
    titles: dict[tuple[str, str], tuple[str, bool]] = {}
    written = 0
    for i, loc in plan:
        pg = pages[i]
        k = (pg.rel, loc)
        r = results.get(k)
        if r is not None:
            rec = render_rec(keys[(i, loc)], r)
            new.items[k] = rec
            if rec.ok and r[7] != origs.get(k):
                written += 1
        else:
            rec = new.items[k]
        stats.append(PageStat(pg.rel, loc, rec.pct, rec.ok,
                              f"{loc}/{outs[i]}" if outs[i] is not None else _out_rel(cfg, pg, loc)))
        if rec.ok:
            warnings.extend(rec.warnings)
        if rec.title is not None:
            titles[k] = rec.title
    return RenderOutcome(stats, written, warnings, titles, len(results)), new


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
            for loc, t in tops.items():
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
    from .site import _assets, page_title, write_site_extras

    def titles(pg: "Page", loc: str) -> tuple[str, bool]:
        t = outcome.titles.get((pg.rel, loc))
        if t is None:
            t = page_title(cfg, pg, loc, None if loc == pg.locale else _mo_table(cfg, loc, pg.domain))
        return t

    assets = [(str(p), file_sig(p)) for p in _assets(cfg)]
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
    n = write_site_extras(cfg, list(pages), list(outcome.stats), titles=titles)
    cache.extras = state()
    return n


def _mo_table(cfg: "Config", loc: str, domain: str) -> dict:
    from .catalogs import read_mo
    p = cfg.mo_path(loc, domain)
    try:
        return read_mo(p.read_bytes(), cfg.rel(p))
    except FileNotFoundError:
        return {}


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

