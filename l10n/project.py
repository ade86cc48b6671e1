"""The pipeline over a project: extract -> update -> compile -> render, and stats.

Each stage is a library function over a :class:`~l10n.config.Config`; the CLI
calls them one by one. Pages are parsed once into skeletons (cached by content
hash), catalogs are written atomically and only when their content changes.
"""
from __future__ import annotations

import datetime as _dt
import fnmatch
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple, Sequence

import polib

from . import __version__
from . import catalogs as cat
from .config import Config
from .errors import CatalogError, ConfigError, PageError, PathError
from .fsutil import atomic_write, inside, write_if_changed
from .gate import HeldBack
from .html.skeleton import Skeleton
from .locales import locale_for_lang

__all__ = ["Page", "discover_pages", "load_pages", "extract", "update", "compile_all",
           "render_site", "build", "project_stats", "ExtractResult", "UpdateResult",
           "CompileReport", "RenderReport", "PageStat"]

Progress = Callable[[Sequence, str], Iterable]
_CACHE_VERSION = f"{__version__}-4"   # bump whenever the walker changes what it produces


def _no_progress(items: Sequence, label: str) -> Iterable:
    return items


@dataclass(frozen=True)
class Page:
    path: Path            # absolute
    rel: str              # relative to the project root, posix
    domain: str
    skeleton: Skeleton

    @property
    def locale(self) -> str:
        return self.skeleton.locale


def _read(cfg: Config, path: Path) -> polib.POFile:
    """A catalog, with errors naming it relative to the project."""
    return cat.read_catalog(str(path), name=cfg.rel(path))


# -- pages --------------------------------------------------------------------------

def discover_pages(cfg: Config) -> list[Path]:
    """Every ``*.html`` page under the source folder, sorted; links leading outside refused."""
    if not cfg.source_dir.is_dir():
        raise ConfigError("source folder does not exist", cfg.rel(cfg.source_dir))
    # sorted(source_dir.rglob("*.html")), walked with scandir: like rglob, never into a
    # symlinked folder, so only a page that is itself a symlink can lead outside
    found: list[tuple[tuple[str, ...], str, bool]] = []

    def walk(d: str, parts: tuple[str, ...]) -> None:
        with os.scandir(d) as it:
            entries = list(it)
        for e in entries:
            try:
                is_dir = e.is_dir()
            except OSError:
                is_dir = False
            if is_dir and not e.is_symlink():
                walk(e.path, parts + (e.name,))
            if fnmatch.fnmatchcase(e.name, "*.html"):
                found.append((parts + (e.name,), e.path, e.is_symlink()))

    walk(str(cfg.source_dir), ())
    out = []
    for _parts, path, link in sorted(found):
        p = Path(path)
        if link:
            inside(cfg.source_dir, p, "page")
        if p.is_file():
            out.append(p)
    return out


def _parse_one(args: tuple[str, str, str, tuple[str, ...], str]) -> Skeleton:
    path, rel, cache_dir, known, _ = args
    data = Path(path).read_bytes()
    # the key covers what the skeleton depends on: bytes, walker version, path, source locales
    digest = hashlib.sha256(data + _CACHE_VERSION.encode() + rel.encode()
                            + "|".join(known).encode()).hexdigest()
    cached = Path(cache_dir) / f"{digest}.pickle" if cache_dir else None
    if cached is not None and cached.is_file():
        try:
            with open(cached, "rb") as f:
                return pickle.load(f)
        except Exception:  # noqa: BLE001 - a broken cache entry is rebuilt
            pass

    def locale_of(lang: str) -> str:
        loc = locale_for_lang(lang, known)
        if loc is None:
            raise PageError(f'<html lang="{lang}"> is not a source language of this project '
                            f"(targets are configured for: {', '.join(known)})", rel)
        return loc

    from .html.walker import parse_page
    skel = parse_page(data, rel, locale_of)
    if cached is not None:
        try:
            atomic_write(cached, pickle.dumps(skel, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
        except OSError:
            pass
    return skel


def load_pages(cfg: Config, *, progress: Progress = _no_progress, jobs: int | None = None) -> list[Page]:
    """Every page with its skeleton: parsed once (on all cores when worth it), then taken from
    the cache. Skeletons load lazily (:class:`~l10n.incremental.LazySkeleton`): a page's
    ``locale`` and ``lang`` are known at once, its segments and chunks on first use."""
    from .incremental import load_page_refs
    paths = discover_pages(cfg)
    rels, domains = _rels_and_domains(cfg, paths)
    refs = load_page_refs(cfg, paths, rels, jobs=jobs, progress=progress)
    pages = [Page(p, rel, dom, ref) for p, rel, dom, ref in zip(paths, rels, domains, refs)]
    _check_domains(pages)
    return pages


def _check_domains(pages: Sequence[Page]) -> None:
    seen: dict[str, str] = {}
    for pg in pages:
        if pg.domain in seen:
            raise PageError(f"two pages map to the domain {pg.domain!r}: {seen[pg.domain]}", pg.rel)
        seen[pg.domain] = pg.rel


def _rels_and_domains(cfg: Config, paths: Sequence[Path]) -> tuple[list[str], list[str]]:
    """cfg.rel(p) and cfg.domain_of(p) for each page, without resolving every path
    (discover_pages's paths are already under the resolved source folder)."""
    root = str(cfg.root) + os.sep
    src = str(cfg.source_dir) + os.sep
    rels, domains = [], []
    for p in paths:
        sp = str(p)
        if sp.startswith(src) and sp.startswith(root) and not os.path.islink(sp):
            rels.append(sp[len(root):].replace(os.sep, "/"))
            domains.append(".".join(Path(sp[len(src):]).with_suffix("").parts))
        else:
            rels.append(cfg.rel(p))
            domains.append(cfg.domain_of(p))
    return rels, domains


# -- extract -----------------------------------------------------------------------

@dataclass(frozen=True)
class ExtractResult:
    written: tuple[str, ...]       # templates (re)written
    stale: tuple[str, ...]         # templates out of date (with check=True nothing is written)
    removed: tuple[str, ...]       # templates whose page is gone
    templates: dict[str, polib.POFile] = field(default_factory=dict, compare=False)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M+0000")


def _write_catalog(path: Path, po: polib.POFile, date_key: str | None, *, dry: bool = False,
                   durable: bool = True) -> bool:
    """Write ``po`` unless the file already says the same.

    For a template (``date_key`` = POT-Creation-Date) a difference in the date alone
    does not count, and the date is set to now only when the content changed, so
    rebuilding unchanged pages leaves every file byte-identical.
    """
    old_text = None
    if path.is_file():
        old_text = path.read_text("utf-8", errors="replace")
        old_date = _header_value(old_text, date_key) if date_key else None
        if old_date:
            po.metadata[date_key] = old_date
    elif not dry:                               # a new file: nothing to compare, format it once
        if date_key:
            po.metadata[date_key] = _now()
        atomic_write(path, cat.po_text(po), durable=durable)
        return True
    text = cat.po_text(po)
    if old_text is not None and (text == old_text or (date_key and cat.same_but_dates(text, old_text))):
        return False
    if dry:
        return True
    if date_key:
        po.metadata[date_key] = _now()
        text = cat.po_text(po)
    atomic_write(path, text, durable=durable)
    return True


def _header_value(text: str, key: str) -> str | None:
    i = text.find(f'"{key}: ')
    if i < 0:
        return None
    j = text.find('\\n"', i)
    return text[i + len(key) + 3:j] if j > 0 else None


def extract(cfg: Config, pages: list[Page] | None = None, *, check: bool = False,
            progress: Progress = _no_progress, jobs: int | None = None) -> ExtractResult:
    """Pages -> one template per page (``locales/templates/<domain>.pot``).

    Templates are built and written on all cores (each page's skeleton loads in its
    worker); ``templates`` then reads each one back from disk when asked for."""
    from .incremental import _jobs, load_page_refs, pmap
    if pages is None and not check:
        # parse (when not cached) and write each template in one worker task
        paths = discover_pages(cfg)
        rels, domains = _rels_and_domains(cfg, paths)
        refs = load_page_refs(cfg, paths, rels, jobs=jobs, progress=progress, then=_extract_task_of(cfg, domains))
        pages = [Page(p, rel, dom, ref) for p, rel, dom, ref in zip(paths, rels, domains, refs)]
        _check_domains(pages)
        flags = [ref.extra for ref in refs]
    elif not check:
        flags = None
    pages = pages if pages is not None else load_pages(cfg, progress=progress, jobs=jobs)
    written, stale, templates = [], [], {}
    if not check:
        if flags is None or any(f is None for f in flags):
            flags = pmap(_extract_task, list(progress(range(len(pages)), "extract")), jobs=_jobs(cfg, jobs),
                         shared={"cfg": cfg, "pages": pages})
        written = [cfg.rel(cfg.pot_path(pg.domain)) for pg, w in zip(pages, flags) if w]
        templates = _TemplatesOnDisk(cfg, [pg.domain for pg in pages])
    else:
        for pg in progress(pages, "extract"):
            pot = _template_of(cfg, pg)
            templates[pg.domain] = pot
            path = cfg.pot_path(pg.domain)
            if _write_catalog(path, pot, "POT-Creation-Date", dry=check):
                (stale if check else written).append(cfg.rel(path))
    removed = []
    if cfg.templates_dir.is_dir():
        for old in sorted(cfg.templates_dir.glob("*.pot")):
            if old.stem not in templates:
                removed.append(cfg.rel(old))
                if check:
                    stale.append(cfg.rel(old))
                else:
                    old.unlink()
    return ExtractResult(tuple(written), tuple(stale), tuple(removed), templates)


def _template_of(cfg: Config, pg: Page) -> polib.POFile:
    return cat.build_template(pg.skeleton.segments, source_locale=pg.locale, project=cfg.project_name,
                              version=cfg.version, bugs_address=cfg.bugs_address)


class _extract_task_of:
    """After parsing a page in a worker: write its template (picklable for the pool)."""

    def __init__(self, cfg: Config, domains: Sequence[str]):
        self.cfg, self.domains = cfg, domains

    def __call__(self, i: int, skel: Skeleton) -> bool:
        pg = Page(Path(skel.page), skel.page, self.domains[i], skel)
        return _write_catalog(self.cfg.pot_path(pg.domain), _template_of(self.cfg, pg), "POT-Creation-Date",
                              durable=False)


def _extract_task(i: int) -> bool:
    """Worker: build and write page ``i``'s template; True if the file changed."""
    from .incremental import _SHARED
    cfg, pg = _SHARED["cfg"], _SHARED["pages"][i]
    written = _write_catalog(cfg.pot_path(pg.domain), _template_of(cfg, pg), "POT-Creation-Date", durable=False)
    if hasattr(pg.skeleton, "release"):
        pg.skeleton.release()           # a worker goes through thousands of pages
    return written


class _TemplatesOnDisk(dict):
    """{domain: template} like extract's in-memory dict, each template read from its file
    when first asked for (the workers wrote them)."""

    def __init__(self, cfg: Config, domains: Sequence[str]):
        super().__init__((d, None) for d in domains)
        self._cfg = cfg

    def __getitem__(self, domain: str) -> polib.POFile:
        v = super().__getitem__(domain)
        if v is None:
            v = _read(self._cfg, self._cfg.pot_path(domain))
            super().__setitem__(domain, v)
        return v

    def get(self, domain, default=None):
        return self[domain] if domain in self else default

    def values(self):
        return [self[d] for d in self]

    def items(self):
        return [(d, self[d]) for d in self]

    def __iter__(self):
        return iter(list(super().keys()))

    def __reduce__(self):           # pickled as its domains (a build report is kept between builds)
        return (_TemplatesOnDisk, (None, list(super().keys())))


# -- update ------------------------------------------------------------------------

class UpdateResult(NamedTuple):
    """One catalog merged (a tuple: a build at 10,000 pages reports 20,000 of them)."""
    path: str
    locale: str
    written: bool
    stats: cat.Stats


def _domains_and_sources(cfg: Config) -> list[tuple[str, str]]:
    """(domain, source locale) of every template on disk."""
    return [(dom, cat.source_locale_of(pot) or "") for dom, pot in _templates_on_disk(cfg).items()]


def _templates_on_disk(cfg: Config) -> dict[str, polib.POFile]:
    """Every template on disk, read once, by domain; each must name its source language."""
    out: dict[str, polib.POFile] = {}
    if not cfg.templates_dir.is_dir():
        return out
    for pot_path in sorted(cfg.templates_dir.glob("*.pot")):
        pot = _read(cfg, pot_path)
        if not cat.source_locale_of(pot):
            raise CatalogError("template has no X-Source-Language header", cfg.rel(pot_path))
        out[pot_path.stem] = pot
    return out


def _compendium(cfg: Config, locale: str, catalogs: dict[Path, polib.POFile]) -> dict:
    """Translations of ``locale`` across all its catalogs (shared chrome strings)."""
    comp: dict[tuple[str | None, str], str] = {}
    for path in sorted(catalogs):
        for e in catalogs[path]:
            if not e.obsolete and e.msgstr and "fuzzy" not in e.flags and not e.msgid_plural:
                comp.setdefault((e.msgctxt, e.msgid), e.msgstr)
    return comp


def _check_locales(cfg: Config, locales: Sequence[str] | None) -> None:
    unknown = [lo for lo in locales or () if lo not in cfg.locales]
    if unknown:
        raise ConfigError(f"locale {unknown[0]!r} is not a target locale of this project "
                          f"(known: {', '.join(cfg.locales)})", cfg.rel(cfg.pyproject or cfg.root))


def update(cfg: Config, locales: Sequence[str] | None = None, *,
           templates: dict[str, polib.POFile] | None = None,
           progress: Progress = _no_progress) -> list[UpdateResult]:
    """Create or merge every target catalog from its template, like msgmerge."""
    _check_locales(cfg, locales)
    if templates is None:
        templates = _templates_on_disk(cfg)
    jobs: list[tuple[str, str, polib.POFile]] = []
    for dom in sorted(templates):
        src = cat.source_locale_of(templates[dom]) or ""
        for loc in cfg.targets.get(src, ()):
            if not locales or loc in locales:
                jobs.append((dom, loc, templates[dom]))
    # read every existing catalog of the locales once (merge inputs and compendium)
    existing: dict[str, dict[Path, polib.POFile]] = {}
    for loc in sorted({j[1] for j in jobs}):
        d = cfg.locales_dir / loc / "LC_MESSAGES"
        existing[loc] = {p: _read(cfg, p) for p in sorted(d.glob("*.po"))} if d.is_dir() else {}
    comps = {loc: _compendium(cfg, loc, existing[loc]) for loc in existing}
    results = []
    for dom, loc, pot in progress(jobs, "update"):
        path = cfg.po_path(loc, dom)
        old = existing[loc].get(path)
        po = cat.merge(pot, old, loc, compendium=comps[loc])
        written = _write_catalog(path, po, None)
        results.append(UpdateResult(cfg.rel(path), loc, written, cat.stats(po)))
    return results


# -- compile ------------------------------------------------------------------------

class CompileReport(NamedTuple):
    """One catalog compiled (a tuple, like UpdateResult); ``held``: the units the check gate
    kept out of its .mo (:mod:`l10n.gate`)."""
    path: str
    stats: cat.Stats
    errors: tuple[str, ...]
    written: bool
    held: tuple[HeldBack, ...] = ()


def iter_catalog_paths(cfg: Config, locales: Sequence[str] | None = None) -> Iterator[Path]:
    if not cfg.locales_dir.is_dir():
        return
    for d in sorted(cfg.locales_dir.iterdir()):
        if d.name == "templates" or not (d / "LC_MESSAGES").is_dir():
            continue
        if locales and d.name not in locales:
            continue
        yield from sorted((d / "LC_MESSAGES").glob("*.po"))


def compile_all(cfg: Config, *, use_fuzzy: bool = False, locales: Sequence[str] | None = None,
                progress: Progress = _no_progress) -> list[CompileReport]:
    """Every .po -> .mo. A catalog with errors gets no .mo (the old one, if any, stays)."""
    _check_locales(cfg, locales)
    out = []
    # read (and compile, which writes nothing) every catalog first: an unreadable one stops the
    # run before any .mo is written; only the compiled bytes are kept (20,000 parsed catalogs
    # held at once took 1.7 GB)
    from .gate import open_gate, withheld
    from .incremental import FastRel
    rel_of = FastRel(cfg)
    gate = open_gate(cfg)
    compiled = []
    for p in iter_catalog_paths(cfg, locales):
        rel = rel_of(p)
        po = cat.read_catalog(str(p), name=rel)
        held = gate.held_back(po, rel, p.parent.parent.name, use_fuzzy=use_fuzzy) if gate is not None else ()
        res = cat.compile_catalog(po, rel, use_fuzzy=use_fuzzy, withhold=withheld(held))
        compiled.append((p, rel, res, held))
    for po_path, rel, res, held in progress(compiled, "compile"):
        written = False
        if res.mo is not None:
            written = write_if_changed(po_path.with_suffix(".mo"), res.mo, durable=False)
        out.append(CompileReport(rel, res.stats, res.errors, written, held))
    return out


# -- render ------------------------------------------------------------------------

class PageStat(NamedTuple):
    """One page version: its completeness, whether it is published, its site path (a tuple,
    like UpdateResult)."""
    page: str
    locale: str
    percent: float
    published: bool
    output: str


@dataclass(frozen=True)
class RenderReport:
    pages: tuple[PageStat, ...]
    written: int
    warnings: tuple[str, ...] = ()

    @property
    def unpublished(self) -> tuple[PageStat, ...]:
        return tuple(p for p in self.pages if not p.published)


def _load_mo(cfg: Config, locale: str, domain: str) -> dict:
    p = cfg.mo_path(locale, domain)
    if not p.is_file():
        return {}
    return cat.read_mo(p.read_bytes(), cfg.rel(p))


def _completeness(skel: Skeleton, table: dict) -> float:
    if not skel.segments:
        return 100.0
    done = sum(1 for s in skel.segments if table.get((s.msgctxt, s.msgid)))
    return 100.0 * done / len(skel.segments)


def render_site(cfg: Config, pages: list[Page] | None = None, *,
                progress: Progress = _no_progress, jobs: int | None = None,
                cache: bool = True) -> RenderReport:
    """Every page in every locale of the site into ``<output>/<locale>/<path>``.

    On all cores; a page version whose inputs (skeleton, ``.mo`` file, settings and
    the publication statuses its chrome depends on) are those of the last render is
    not rendered again (``.l10n-cache/render.pickle``; ``cache=False`` renders all).
    Same files, statistics and warnings as :func:`render_site_serial`."""
    from .incremental import delete_unplanned, load_render_cache, render_pages, save_render_cache, site_extras

    pages = pages if pages is not None else load_pages(cfg, progress=progress, jobs=jobs)
    rc = load_render_cache(cfg) if cache else None
    fresh = not os.path.lexists(cfg.output_dir)         # a new site holds nothing to sweep
    outcome, rc = render_pages(cfg, pages, jobs=jobs, progress=progress, cache=rc)
    if not fresh:
        delete_unplanned(cfg, outcome.stats)
    written = outcome.written + site_extras(cfg, pages, outcome, rc)
    if cache:
        save_render_cache(cfg, rc)
    return RenderReport(tuple(outcome.stats), written, tuple(outcome.warnings))


def render_site_serial(cfg: Config, pages: list[Page] | None = None, *,
                       progress: Progress = _no_progress) -> RenderReport:
    """render_site, one page version after the other, every time: the reference that
    tests/test_incremental.py holds the fast render_site to."""
    from .html.render import render
    from .site import chrome_for, write_site_extras   # the site's own furniture

    pages = pages if pages is not None else load_pages(cfg, progress=progress)
    out_root = cfg.output_dir
    stats: list[PageStat] = []
    plan: list[tuple[Page, str, dict, float]] = []
    for pg in pages:
        for loc in cfg.locales:
            if loc == pg.locale:
                plan.append((pg, loc, {}, 100.0))
                continue
            if loc not in cfg.targets.get(pg.locale, ()):
                continue
            table = _load_mo(cfg, loc, pg.domain)
            plan.append((pg, loc, table, _completeness(pg.skeleton, table)))
    published = {(pg.rel, loc) for pg, loc, _, pct in plan if pct >= cfg.threshold}
    written = 0
    warnings: list[str] = []
    for pg, loc, table, pct in progress(plan, "render"):
        rel_out = Path(loc) / Path(pg.rel).relative_to(cfg.rel(cfg.source_dir))
        dest = out_root / rel_out
        ok = (pg.rel, loc) in published
        stats.append(PageStat(pg.rel, loc, pct, ok, rel_out.as_posix()))
        if not ok:
            if dest.exists():
                dest.unlink()
            continue
        chrome = chrome_for(cfg, pg, loc, published, pages=pages)
        if loc == pg.locale:
            res = render(pg.skeleton, None, locale=loc, chrome=chrome)
        else:
            res = render(pg.skeleton, lambda s, t=table: t.get((s.msgctxt, s.msgid)), locale=loc,
                         chrome=chrome, fallback_lang=pg.skeleton.lang)
        for seg, why in res.invalid:
            warnings.append(f"{seg.page}:{seg.line}: {loc}: translation not used ({why})")
        if write_if_changed(dest, res.html):
            written += 1
    # a page deleted from the source must not stay published from an earlier build
    planned = {(out_root / s.output).resolve() for s in stats}
    for loc in cfg.locales:
        for p in sorted((out_root / loc).rglob("*.html")) if (out_root / loc).is_dir() else ():
            if p.resolve() not in planned and p != out_root / loc / "index.html":
                p.unlink()
    written += write_site_extras(cfg, pages, stats)
    return RenderReport(tuple(stats), written, tuple(warnings))


# -- everything ------------------------------------------------------------------------

@dataclass(frozen=True)
class BuildReport:
    extract: ExtractResult
    update: list[UpdateResult]
    compile: list[CompileReport]
    render: RenderReport


def build(cfg: Config, *, use_fuzzy: bool = False, progress: Progress = _no_progress,
          jobs: int | None = None) -> BuildReport:
    """extract + update + compile + render, redoing only what changed since the last build
    (``.l10n-cache/build/``), on all cores. Same files and report as :func:`build_full`."""
    from ._build import build as incremental_build
    return incremental_build(cfg, use_fuzzy=use_fuzzy, progress=progress, jobs=jobs)


def build_full(cfg: Config, *, use_fuzzy: bool = False, progress: Progress = _no_progress) -> BuildReport:
    """extract + update + compile + render over every page, parsing each page once: the
    reference that tests/test_incremental.py holds :func:`build` to."""
    pages = load_pages(cfg, progress=progress)
    for p in iter_catalog_paths(cfg):   # an unreadable catalog stops the build before any write
        _read(cfg, p)
    ex = extract(cfg, pages, progress=progress)
    up = update(cfg, templates=ex.templates, progress=progress)
    co = compile_all(cfg, use_fuzzy=use_fuzzy, progress=progress)
    re_ = render_site(cfg, pages, progress=progress)
    return BuildReport(ex, up, co, re_)


def project_stats(cfg: Config, locales: Sequence[str] | None = None) -> list[tuple[str, str, str, cat.Stats]]:
    """(page, locale, catalog path, stats) for every catalog."""
    _check_locales(cfg, locales)
    out = []
    for po_path in iter_catalog_paths(cfg, locales):
        po = _read(cfg, po_path)
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
                  jobs: int | None = None) -> CheckRun:
    """Run the glossary checks on catalogs (default: every .po under locales/) and on the pages.

    A catalog's source language comes from its X-Source-Language header, or ``source_lang``;
    its target language from its Language header, or its folder name. The parsed glossary
    is cached in ``.l10n-cache/`` by content; big catalog runs (``l10n.checkpool``) load the
    glossary while the catalogs are read and check on ``jobs`` processes (default: the
    project's ``jobs``, else one per core), with the same findings.
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
        po_files = _po_paths(cfg, po_paths) if paths else list(iter_catalog_paths(cfg))
    except L10nError:
        _load_glossary(gpath, cache_dir)      # a bad glossary is reported first, as it is loaded first
        raise
    with_pages = pages if pages is not None else not paths
    n_jobs = max(1, jobs if jobs is not None else (cfg.jobs or os.cpu_count() or 1))
    if with_pages or page_files:
        n_jobs = 1                            # the page rules need the glossary here
    with _collector_off():
        findings, catalogs, glossary = _check_catalogs(cfg, po_files, gpath, cache_dir, source_lang,
                                                       select, ignore, n_jobs)
    if with_pages:
        skeletons = [pg.skeleton for pg in load_pages(cfg)]
    else:
        skeletons = [_parse_page_file(cfg, p, source_lang) for p in page_files]
    if skeletons:
        from .checks import check_segments
    for skel in skeletons:
        findings.extend(check_segments(skel.segments, glossary, skel.locale,
                                       select=select or None, ignore=ignore or None))
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
            gc.enable()


def _check_catalogs(cfg: Config, po_files: Sequence[Path], gpath: Path, cache_dir: Path,
                    source_lang: str | None, select: Sequence[str], ignore: Sequence[str], jobs: int):
    """(findings of the catalog rules, [(path, locale, stats)], the glossary or None if a worker had it)."""
    from .checkpool import MIN_BYTES, CheckWorker, WorkerLost, can_fork, entries_from_rows, entry_rows
    from .errors import L10nError

    worker = None
    if jobs > 1 and can_fork() and _total_size(po_files) >= MIN_BYTES:
        try:
            worker = CheckWorker(gpath, cache_dir, jobs=jobs)   # loads the glossary meanwhile
        except OSError:
            worker = None
    findings = None
    try:
        glossary = None if worker is not None else _load_glossary(gpath, cache_dir)
        entries: list = []
        rows: list[tuple] = []
        catalogs = []
        try:
            for po_path in po_files:
                rel = cfg.rel(po_path)
                po = _read(cfg, po_path)
                src = cat.source_locale_of(po) or source_lang
                if not src:
                    raise CatalogError("no X-Source-Language header; pass --source-lang", rel)
                tgt = po.metadata.get("Language") or po_path.parent.parent.name
                if worker is not None:
                    rows.append((entry_rows(po), rel, src, tgt))
                else:
                    entries.extend(cat.iter_entries(po, rel, source_locale=src, target_locale=tgt))
                catalogs.append((rel, tgt, cat.stats(po)))
        except L10nError:
            if worker is not None:
                try:
                    worker.raise_glossary_error()
                except WorkerLost:
                    _load_glossary(gpath, cache_dir)
            raise
        if worker is not None:
            try:
                findings = worker.check(rows, select, ignore)
            except WorkerLost:                # check here, as a small run does
                glossary = _load_glossary(gpath, cache_dir)
                for r, rel, src, tgt in rows:
                    entries.extend(entries_from_rows(r, rel, src, tgt))
    finally:
        if worker is not None:
            worker.close()
    if findings is None:
        from .checks import check_entries

        if any(tgt.lower().startswith("zh") for _, tgt, _ in catalogs):
            _script_tables(cache_dir)
        findings = list(check_entries(entries, glossary, select=select or None, ignore=ignore or None))
    return findings, catalogs, glossary


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
    known = tuple(dict.fromkeys((*cfg.locales, *((source_lang,) if source_lang else ()))))

    def locale_of(lang: str) -> str:
        loc = locale_for_lang(lang, known)
        if loc is None:
            raise PageError(f'<html lang="{lang}"> is not a locale of this project', cfg.rel(path))
        return loc

    from .html.walker import parse_page
    return parse_page(path.read_bytes(), cfg.rel(path), locale_of)


# -- glossary-aware Traditional -> Simplified ----------------------------------------

@dataclass(frozen=True)
class ConvertResult:
    path: str
    filled: int


def convert_catalogs(cfg: Config, src: str, dst: str, *, accept: bool = False,
                     glossary_path: str | None = None) -> list[ConvertResult]:
    """Fill missing ``dst`` translations from ``src`` with OpenCC, then the glossary's terms.

    For a page written in ``src`` the msgid itself is converted; otherwise the ``src``
    catalog's translation of the same msgid. Filled entries are fuzzy unless ``accept``.
    """
    from .glossary import load_glossary
    from .glossary.convert import convert_zh

    for loc in (src, dst):
        if loc not in cfg.locales:
            raise ConfigError(f"locale {loc!r} is not a locale of this project (known: "
                              f"{', '.join(cfg.locales)})", cfg.rel(cfg.pyproject or cfg.root))
    gpath = Path(glossary_path) if glossary_path else cfg.glossary
    if gpath is None or not gpath.is_file():
        raise ConfigError("glossary file does not exist", str(gpath))
    glossary = load_glossary(gpath)
    out = []
    for po_path in iter_catalog_paths(cfg, [dst]):
        po = _read(cfg, po_path)
        page_lang = cat.source_locale_of(po)
        src_table: dict = {}
        if page_lang != src:
            other = cfg.po_path(src, po_path.stem)
            if not other.is_file():
                continue
            src_table = cat.translations(_read(cfg, other))
        filled = 0
        for e in po:
            if e.obsolete or e.msgstr or e.msgid_plural:
                continue
            text = e.msgid if page_lang == src else src_table.get((e.msgctxt, e.msgid))
            if not text:
                continue
            e.msgstr = convert_zh(text, glossary, src=src, dst=dst)
            if not accept and "fuzzy" not in e.flags:
                e.flags.append("fuzzy")
            filled += 1
        if filled:
            atomic_write(po_path, cat.po_text(po))
        out.append(ConvertResult(cfg.rel(po_path), filled))
    return out
