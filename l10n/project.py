"""The public functions over a project (one job): the one build (:func:`build`) and its scopes
(:func:`extract`, :func:`update`, :func:`compile_all`, :func:`render_site`: thin calls to
:func:`l10n.build.run.build` with ``scope=``), the checks and the statistics.

Each is a library function over a :class:`~l10n.config.Config`; the CLI calls them.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from . import catalogs as cat
from .config import Config
from .errors import CatalogError, ConfigError, PageError

if TYPE_CHECKING:
    import polib

    from .build.report import BuildReport, CompileReport, ExtractResult, PageStat, RenderReport, UpdateResult
    from .build.scopes import iter_catalog_paths
    from .html.skeleton import Skeleton
    from .pages import Page, Progress, discover_pages, load_pages

# The build and the pages are imported when first used, not with this module: ``l10n check``
# needs neither (unless it checks pages), and importing them (the build, the translation
# memory, BeautifulSoup) took ~0.1 s before the check workers could be forked.
_LAZY = {
    "Page": "pages", "discover_pages": "pages", "load_pages": "pages", "no_progress": "pages",
    "ExtractResult": "build.report", "UpdateResult": "build.report", "CompileReport": "build.report",
    "RenderReport": "build.report", "PageStat": "build.report", "BuildReport": "build.report",
    "iter_catalog_paths": "build.scopes",
}


def __getattr__(name: str) -> Any:
    """The names this module re-exports from the build and the pages, imported on first use."""
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"l10n.{mod}"), name)


def _run_build(cfg: Config, **kw: Any) -> Any:
    """:func:`l10n.build.run.build`; ``progress=None``: none shown (``pages.no_progress``)."""
    from .build.run import build as run_build
    from .pages import no_progress

    if kw.get("progress") is None:
        kw["progress"] = no_progress
    return run_build(cfg, **kw)


__all__ = ["Page", "discover_pages", "load_pages", "extract", "update", "compile_all",
           "render_site", "build", "project_stats", "ExtractResult", "UpdateResult",
           "CompileReport", "RenderReport", "PageStat", "BuildReport", "check_project", "iter_catalog_paths"]

# -- the one build and its scopes ---------------------------------------------------------------

def extract(cfg: Config, pages: list[Page] | None = None, *, check: bool = False,
            progress: Progress | None = None, jobs: int | None = None) -> ExtractResult:
    """Pages -> one template per page (``locales/templates/<domain>.pot``); ``check``: write
    nothing, list what is stale. The build's ``extract`` scope (:mod:`l10n.build.scopes`).

    Templates are built and written on all cores (each page's skeleton loads in its
    worker); ``templates`` then reads each one back from disk when asked for."""
    return _run_build(cfg, scope="extract", pages=pages, check=check, progress=progress, jobs=jobs)


def update(cfg: Config, locales: Sequence[str] | None = None, *,
           templates: dict[str, polib.POFile] | None = None,
           progress: Progress | None = None) -> list[UpdateResult]:
    """Create or merge every target catalog from its template, like msgmerge. The build's
    ``update`` scope (:mod:`l10n.build.scopes`)."""
    return _run_build(cfg, scope="update", locales=locales, templates=templates, progress=progress)


def compile_all(cfg: Config, *, use_fuzzy: bool = False, locales: Sequence[str] | None = None,
                progress: Progress | None = None) -> list[CompileReport]:
    """Every .po -> .mo, through the check gate. A catalog with errors gets no .mo (the old one, if
    any, stays). The build's ``compile`` scope (:mod:`l10n.build.scopes`)."""
    return _run_build(cfg, scope="compile", use_fuzzy=use_fuzzy, locales=locales, progress=progress)


def render_site(cfg: Config, pages: list[Page] | None = None, *,
                progress: Progress | None = None, jobs: int | None = None,
                cache: bool = True) -> RenderReport:
    """Every page in every locale of the site into ``<output>/<locale>/<path>``. The build's
    ``render`` scope (:mod:`l10n.build.scopes`).

    On all cores; a page version whose inputs (skeleton, ``.mo`` file, settings and
    the publication statuses its chrome depends on) are those of the last render is
    not rendered again (``.l10n-cache/render.pickle``; ``cache=False`` renders all).
    The same files as :func:`build` renders."""
    return _run_build(cfg, scope="render", pages=pages, progress=progress, jobs=jobs, force=not cache)


def build(cfg: Config, *, force: bool = False, use_fuzzy: bool = False, progress: Progress | None = None,
          jobs: int | None = None, explain: Callable[[str], None] | None = None) -> BuildReport:
    """extract + update + compile (with the check gate) + render: the one build
    (:func:`l10n.build.run.build`), redoing only what changed since the last build; ``force``:
    everything, as if nothing had been built (the reference the tests hold the incremental build to).
    ``explain`` is told, line by line, why the build did what it did."""
    return _run_build(cfg, force=force, use_fuzzy=use_fuzzy, progress=progress, jobs=jobs, explain=explain)


def project_stats(cfg: Config, locales: Sequence[str] | None = None) -> list[tuple[str, str, str, cat.Stats]]:
    """(page, locale, catalog path, stats) for every catalog."""
    from .build.scopes import check_locales, iter_catalog_paths
    from .build.stages import read_catalog_of

    check_locales(cfg, locales)
    out = []
    for po_path in iter_catalog_paths(cfg, locales):
        po = read_catalog_of(cfg, po_path)
        page = next((e.occurrences[0][0] for e in po if e.occurrences), po_path.stem)
        out.append((page, po_path.parent.parent.name, cfg.rel(po_path), cat.stats(po)))
    return out


# -- checks ------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckRun:
    findings: list
    catalogs: list[tuple[str, str, cat.Stats]]     # (path, locale, stats) of each checked catalog
    pages: int


def _po_paths(cfg: Config, paths: Sequence[str]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        pp = Path(p)
        if pp.is_dir():
            out.extend(sorted(pp.rglob("*.po")))
        elif pp.is_file():
            out.append(pp)
        else:
            raise ConfigError("no such file or folder", p)
    return out


def check_project(cfg: Config, paths: Sequence[str] = (), *, glossary_path: str | None = None,
                  source_lang: str | None = None, select: Sequence[str] | None = None,
                  ignore: Sequence[str] | None = None, pages: bool | None = None,
                  jobs: int | None = None, entry_cache: bool = True) -> CheckRun:
    """Run the glossary checks on catalogs (default: every .po under locales/) and on the pages.

    A catalog's source language comes from its X-Source-Language header, or ``source_lang``;
    its target language from its Language header, or its folder name. The parsed glossary
    is cached in ``.l10n-cache/`` by content; big catalog runs (``l10n.checkpool``) load the
    glossary while the catalogs are read and check on ``jobs`` processes (default: the
    project's ``jobs``, else one per core), with the same findings. Entries an earlier run
    checked with the same glossary, rules and code are not checked again (``entry_cache``;
    ``l10n.entrycache``): their stored findings are reported.
    """
    from .errors import L10nError

    gpath = Path(glossary_path) if glossary_path else cfg.glossary
    if gpath is None:
        raise ConfigError("no glossary: set glossary in [tool.l10n] or pass --glossary",
                          cfg.rel(cfg.pyproject or cfg.root))
    if not gpath.is_file():
        raise ConfigError("glossary file does not exist", str(gpath))
    cache_dir = cfg.root / ".l10n-cache"
    select = tuple(select) if select else cfg.select
    ignore = tuple(ignore) if ignore else cfg.ignore
    page_files = [Path(p) for p in paths if str(p).lower().endswith((".html", ".htm"))]
    po_paths = [p for p in paths if not str(p).lower().endswith((".html", ".htm"))]
    try:
        if paths:
            po_files = _po_paths(cfg, po_paths)
        else:
            from .build.scopes import iter_catalog_paths

            po_files = list(iter_catalog_paths(cfg))
    except L10nError:
        _load_glossary(gpath, cache_dir)      # a bad glossary is reported first, as it is loaded first
        raise
    with_pages = pages if pages is not None else not paths
    n_jobs = max(1, jobs if jobs is not None else (cfg.jobs or os.cpu_count() or 1))
    if with_pages or page_files:
        n_jobs = 1                            # the page rules need the glossary here
    with _collector_off():
        findings, catalogs, glossary = _check_catalogs(cfg, po_files, gpath, cache_dir, source_lang,
                                                       select, ignore, n_jobs, entry_cache)
    if with_pages:
        from .pages import load_pages

        skeletons = [pg.skeleton for pg in load_pages(cfg)]
    else:
        skeletons = [_parse_page_file(cfg, p, source_lang) for p in page_files]
    if skeletons:
        from .checks import check_segments

        if glossary is None:
            glossary = _load_glossary(gpath, cache_dir)
    for skel in skeletons:
        findings.extend(check_segments(skel.segments, glossary, skel.locale,
                                       select=select or None, ignore=ignore or None, cache_dir=str(cache_dir)))
    n_pages = len(skeletons)
    findings.sort(key=lambda f: (f.path, f.line, f.code))
    return CheckRun(findings, catalogs, n_pages)


class _collector_off:
    """No cyclic GC while the glossary and catalogs load and the catalog rules run: ~10^6
    long-lived objects that the collector would rescan over and over (~0.5 s of a 20,000-entry
    run) and no cycles to find. The pages (bs4 trees are cyclic) are parsed with it on."""

    def __enter__(self) -> None:
        import gc

        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        import gc

        if self.was:
            if not gc.get_freeze_count():
                # what the run left alive (glossary, catalogs, findings) joins the oldest generation
                # untraversed: re-enabled as it is, the collector's next pass would first walk all of it
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _check_catalogs(cfg: Config, po_files: Sequence[Path], gpath: Path, cache_dir: Path,
                    source_lang: str | None, select: Sequence[str], ignore: Sequence[str], jobs: int,
                    entry_cache: bool = True):
    """(findings of the catalog rules, [(path, locale, stats)], the glossary or None if not loaded here).

    Entries an earlier run checked with the same glossary, rules and code are not checked
    again: their findings come from :class:`l10n.entrycache.FindingsCache`."""
    from .checkpool import MIN_BYTES, can_fork
    from .entrycache import FindingsCache

    cache = FindingsCache.for_glossary(cache_dir, gpath, select, ignore) if entry_cache else None
    known = cache is not None and cache.known     # an earlier run of this glossary stored findings
    parallel = jobs > 1 and can_fork()
    worker = None
    # a worker loads the glossary while the catalogs are read, unless they are as the cache last saw them
    if parallel and _total_size(po_files) >= MIN_BYTES and not (known and cache.unchanged(po_files)):
        worker = _start_worker(gpath, cache_dir, jobs)
    findings = set_findings = None            # the catalog-set rules' run while the workers check
    entries: list = []
    try:
        # a glossary that an earlier run stored findings for was valid then: load it only if needed
        glossary = None if worker is not None or known else _load_glossary(gpath, cache_dir)
        todo, catalogs, views, remembered = _read_for_check(cfg, po_files, source_lang, cache, worker,
                                                            gpath, cache_dir)
        if worker is None and known and parallel and cache.unknown >= LATE_FORK:
            worker = _start_worker(gpath, cache_dir, jobs)   # many entries the cache did not know
        if worker is not None:
            findings, set_findings, entries, glossary = _check_on_workers(worker, todo, views, select, ignore,
                                                                          gpath, cache_dir, glossary)
        else:
            for es, rel, src, tgt in todo:
                entries.extend(cat.iter_entries(es, rel, source_locale=src, target_locale=tgt))
    finally:
        if worker is not None:
            worker.close()
    if findings is None:
        findings, glossary = _check_here(entries, glossary, catalogs, gpath, cache_dir, select, ignore)
    if cache is not None:
        cache.learn(findings)
        cache.saw(po_files)
        cache.save()
        findings.extend(remembered)
    findings.extend(set_findings if set_findings is not None else _catalog_set(views, select, ignore))
    return findings, catalogs, glossary


def _start_worker(gpath: Path, cache_dir: Path, jobs: int):  # type: ignore[no-untyped-def]
    """A :class:`l10n.checkpool.CheckWorker` loading the glossary (None if it cannot fork)."""
    from .checkpool import CheckWorker

    try:
        return CheckWorker(gpath, cache_dir, jobs=jobs)
    except OSError:
        return None


def _read_for_check(cfg: Config, po_files: Sequence[Path], source_lang: str | None, cache: Any,
                    worker: Any, gpath: Path, cache_dir: Path) -> tuple[list, list, list, list]:
    """(entries to check as [(polib entries, path, source, target)], [(path, locale, stats)], catalog
    views for the catalog-set rules, findings the cache remembered). A catalog error is raised
    after the glossary's own error, if it has one (the serial run loads the glossary first)."""
    from .checkpool import WorkerLost
    from .errors import L10nError

    todo: list[tuple] = []
    catalogs = []
    views = []
    remembered: list = []
    try:
        for po_path in po_files:
            rel = cfg.rel(po_path)
            po = cat.read_catalog(str(po_path), name=rel, plural_count=False)   # GL027 reports the count
            src = cat.source_locale_of(po) or source_lang
            if not src:
                raise CatalogError("no X-Source-Language header; pass --source-lang", rel)
            tgt = po.metadata.get("Language") or po_path.parent.parent.name
            if cache is None:
                todo.append((po, rel, src, tgt))
            else:
                found, unknown = cache.recall([e for e in po if not e.obsolete and e.msgstr], rel, src, tgt)
                remembered.extend(found)
                todo.append((unknown, rel, src, tgt))
            catalogs.append((rel, tgt, cat.stats(po)))
            views.append(cat.catalog_view(po, rel, source_locale=src, target_locale=tgt))
    except L10nError:
        if worker is not None:
            try:
                worker.raise_glossary_error()
            except WorkerLost:
                _load_glossary(gpath, cache_dir)
        raise
    return todo, catalogs, views, remembered


def _check_on_workers(worker: Any, todo: list, views: list, select: Sequence[str], ignore: Sequence[str],
                      gpath: Path, cache_dir: Path, glossary: Any) -> tuple[list | None, list | None, list, Any]:
    """(findings, catalog-set findings, entries, glossary): the workers check the entries while this
    process runs the catalog-set rules. A lost worker gives (None, …, the entries to check here, the
    glossary loaded here)."""
    from .checkpool import WorkerLost, entries_from_rows, entry_rows

    rows = [(entry_rows(es), rel, src, tgt) for es, rel, src, tgt in todo]
    set_findings = None
    try:
        worker.send(rows, select, ignore)
        set_findings = _catalog_set(views, select, ignore)
        return worker.results(), set_findings, [], glossary
    except WorkerLost:                        # check here, as a small run does
        entries: list = []
        for r, rel, src, tgt in rows:
            entries.extend(entries_from_rows(r, rel, src, tgt))
        return None, set_findings, entries, _load_glossary(gpath, cache_dir)


def _check_here(entries: list, glossary: Any, catalogs: list, gpath: Path, cache_dir: Path,
                select: Sequence[str], ignore: Sequence[str]) -> tuple[list, Any]:
    """(findings of the catalog rules on ``entries``, checked on this process; the glossary)."""
    if not entries:
        return [], glossary
    from .checks import check_entries

    if glossary is None:
        glossary = _load_glossary(gpath, cache_dir)
    if any(tgt.lower().startswith("zh") for _, tgt, _ in catalogs):
        _script_tables(cache_dir)
    return list(check_entries(entries, glossary, select=select or None, ignore=ignore or None,
                              cache_dir=str(cache_dir))), glossary


def _catalog_set(views: list, select: Sequence[str], ignore: Sequence[str]) -> list:
    from .checks import check_catalog_set

    return check_catalog_set(views, select=select or None, ignore=ignore or None)


LATE_FORK = 2_500           # entries the findings cache did not know, from which they are checked on every core


def _load_glossary(gpath: Path, cache_dir: Path):  # type: ignore[no-untyped-def]
    from .glossary.cache import load_glossary_cached

    return load_glossary_cached(gpath, cache_dir)


def _script_tables(cache_dir: Path) -> None:
    from .checks.gl006_script import cached_script_tables

    try:
        cached_script_tables(cache_dir)
    except Exception:  # noqa: BLE001 - GL006 builds its tables itself
        pass


def _total_size(files: Sequence[Path]) -> int:
    total = 0
    for f in files:
        try:
            total += f.stat().st_size
        except OSError:
            pass
    return total


def _parse_page_file(cfg: Config, path: Path, source_lang: str | None) -> Skeleton:
    """A page named on the command line, anywhere: its language from <html lang>."""
    if not path.is_file():
        raise PageError("no such page", str(path))
    from .locales import locale_for_lang

    known = tuple(dict.fromkeys((*cfg.locales, *((source_lang,) if source_lang else ()))))

    def locale_of(lang: str) -> str:
        loc = locale_for_lang(lang, known)
        if loc is None:
            raise PageError(f'<html lang="{lang}"> is not a locale of this project', cfg.rel(path))
        return loc

    from .html.walker import parse_page
    return parse_page(path.read_bytes(), cfg.rel(path), locale_of)
