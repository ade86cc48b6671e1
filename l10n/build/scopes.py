"""The build's stages run on their own, as scopes of the one build (one job): ``l10n extract``,
``update``, ``compile`` and ``render`` (:func:`l10n.build.run.build` with ``scope=``).

Each runs the same units of work as the whole build (:mod:`l10n.build.stages`: write a template,
merge a catalog, check and compile a catalog; :func:`l10n.build.render.render_pages`), but takes
its inputs from disk rather than from the stage before it, and keeps no build state:

* ``update`` merges the templates on disk (perhaps edited, or written by another tool), with a
  compendium read from the catalogs of each locale;
* ``compile`` reads and compiles every catalog before it writes any ``.mo`` (an unreadable
  catalog stops it with nothing written), where the build compiles what it merged;
* ``render`` keeps its own render cache (``.l10n-cache/render.pickle``);
* none of them writes ``state.sqlite``: its rows say that every product of a whole build is up
  to date, which a single stage cannot promise. The next ``l10n build`` reads what they wrote.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator, Sequence

import polib

from .. import catalogs as cat
from ..config import Config
from ..errors import CatalogError, ConfigError, PageError
from ..fsutil import write_if_changed
from ..html.skeleton import Skeleton
from ..pages import Page, Progress, check_domains, discover_pages, load_pages, no_progress, rels_and_domains
from ..workers import NoGC
from .report import CompileReport, ExtractResult, RenderReport, UpdateResult
from .report import TemplatesOnDisk
from .stages import merge_catalog, read_catalog_of, write_template

__all__ = ["extract_scope", "update_scope", "compile_scope", "render_scope", "iter_catalog_paths",
           "templates_on_disk", "check_locales"]

# -- extract -----------------------------------------------------------------------

def extract_scope(cfg: Config, pages: list[Page] | None = None, *, check: bool = False,
                  progress: Progress = no_progress, jobs: int | None = None) -> ExtractResult:
    """The build's first stage alone (``l10n extract``): pages -> one template per page
    (``locales/templates/<domain>.pot``); ``check``: write nothing, say what is stale.

    Templates are built and written on all cores (each page's skeleton loads in its
    worker); ``templates`` then reads each one back from disk when asked for."""
    from ..pages import load_page_refs
    from ..workers import jobs_for, pmap
    if pages is None and not check:
        # parse (when not cached) and write each template in one worker task
        paths = discover_pages(cfg)
        rels, domains = rels_and_domains(cfg, paths)
        from ..pagecheck import PagesError, commit_staged, discard_staged
        try:
            refs = load_page_refs(cfg, paths, rels, jobs=jobs, progress=progress,
                                  then=TemplateAfterParse(cfg, domains))
        except PagesError as e:         # every bad page reported, no template written
            discard_staged(e.staged)
            raise
        pages = [Page(p, rel, dom, ref) for p, rel, dom, ref in zip(paths, rels, domains, refs)]
        try:
            check_domains(pages)
        except PageError:
            discard_staged([ref.extra for ref in refs])
            raise
        commit_staged([ref.extra for ref in refs])
        flags = [bool(ref.extra) for ref in refs]
    elif not check:
        flags = None
    pages = pages if pages is not None else load_pages(cfg, progress=progress, jobs=jobs)
    written, stale, templates = [], [], {}
    if not check:
        if flags is None or any(f is None for f in flags):
            flags = pmap(template_task, list(progress(range(len(pages)), "extract")), jobs=jobs_for(cfg, jobs),
                         context=(cfg, pages))
        written = [cfg.rel(cfg.pot_path(pg.domain)) for pg, w in zip(pages, flags) if w]
        templates = TemplatesOnDisk(cfg, [pg.domain for pg in pages])
    else:
        for pg in progress(pages, "extract"):
            path = cfg.pot_path(pg.domain)
            pot, changed = write_template(cfg, pg, path, dry=check)
            templates[pg.domain] = pot
            if changed:
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
    from ..locales import lang_note
    notes = tuple(n for pg in pages if (n := lang_note(pg.rel, pg.skeleton.lang, pg.locale)))
    return ExtractResult(tuple(written), tuple(stale), tuple(removed), templates, notes)


class TemplateAfterParse:
    """After parsing a page in a worker: write its template (picklable for the pool)."""

    def __init__(self, cfg: Config, domains: Sequence[str]):
        self.cfg, self.domains = cfg, domains

    def __call__(self, i: int, skel: Skeleton) -> "bool | tuple[str, Path]":
        """Staged (see l10n.pagecheck): in place only once every page is known to be good."""
        pg = Page(Path(skel.page), skel.page, self.domains[i], skel)
        return write_template(self.cfg, pg, self.cfg.pot_path(pg.domain), durable=False, stage=True)[1]


def template_task(context: tuple[Config, Sequence[Page]], i: int) -> bool:
    """Worker: build and write page ``i``'s template (context: the project and its pages); True if
    the file changed."""
    cfg, pages = context
    pg = pages[i]
    written = bool(write_template(cfg, pg, cfg.pot_path(pg.domain), durable=False)[1])
    if hasattr(pg.skeleton, "release"):
        pg.skeleton.release()           # a worker goes through thousands of pages
    return written


# -- update ------------------------------------------------------------------------

def templates_on_disk(cfg: Config) -> dict[str, polib.POFile]:
    """Every template on disk, read once, by domain; each must name its source language."""
    out: dict[str, polib.POFile] = {}
    if not cfg.templates_dir.is_dir():
        return out
    for pot_path in sorted(cfg.templates_dir.glob("*.pot")):
        pot = read_catalog_of(cfg, pot_path)
        if not cat.source_locale_of(pot):
            raise CatalogError("template has no X-Source-Language header", cfg.rel(pot_path))
        out[pot_path.stem] = pot
    return out


def compendium_of(catalogs: dict[Path, polib.POFile]) -> dict:
    """Translations of ``locale`` across all its catalogs (shared chrome strings)."""
    comp: dict[tuple[str | None, str], str] = {}
    for path in sorted(catalogs):
        for e in catalogs[path]:
            if not e.obsolete and e.msgstr and "fuzzy" not in e.flags and not e.msgid_plural:
                comp.setdefault((e.msgctxt, e.msgid), e.msgstr)
    return comp


def check_locales(cfg: Config, locales: Sequence[str] | None) -> None:
    unknown = [lo for lo in locales or () if lo not in cfg.locales]
    if unknown:
        raise ConfigError(f"locale {unknown[0]!r} is not a target locale of this project "
                          f"(known: {', '.join(cfg.locales)})", cfg.rel(cfg.pyproject or cfg.root))


def update_scope(cfg: Config, locales: Sequence[str] | None = None, *,
                 templates: dict[str, polib.POFile] | None = None,
                 progress: Progress = no_progress) -> list[UpdateResult]:
    """The build's merge stage alone (``l10n update``): create or merge every target catalog from
    its template on disk (or ``templates``), like msgmerge."""
    check_locales(cfg, locales)
    if templates is None:
        templates = templates_on_disk(cfg)
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
        existing[loc] = {p: read_catalog_of(cfg, p) for p in sorted(d.glob("*.po"))} if d.is_dir() else {}
    comps = {loc: compendium_of(existing[loc]) for loc in existing}
    results = []
    for dom, loc, pot in progress(jobs, "update"):
        path = cfg.po_path(loc, dom)
        old = existing[loc].get(path)
        po, written = merge_catalog(path, pot, old, loc, comps[loc])
        results.append(UpdateResult(cfg.rel(path), loc, written, cat.stats(po)))
    return results


# -- compile ------------------------------------------------------------------------

def iter_catalog_paths(cfg: Config, locales: Sequence[str] | None = None) -> Iterator[Path]:
    """Every catalog of the target locales in the settings (of ``locales``, if given), in order."""
    if not cfg.locales_dir.is_dir():
        return
    for d in sorted(cfg.locales_dir.iterdir()):
        if d.name == "templates" or not (d / "LC_MESSAGES").is_dir():
            continue
        if d.name not in cfg.locales:       # a locale no longer in the settings (l10n.prune)
            continue
        if locales and d.name not in locales:
            continue
        yield from sorted((d / "LC_MESSAGES").glob("*.po"))


def compile_scope(cfg: Config, *, use_fuzzy: bool = False, locales: Sequence[str] | None = None,
                  progress: Progress = no_progress) -> list[CompileReport]:
    """The build's check-and-compile stage alone (``l10n compile``): every .po -> .mo through the
    check gate. A catalog with errors gets no .mo (the old one, if any, stays)."""
    check_locales(cfg, locales)
    out = []
    # read (and compile, which writes nothing) every catalog first: an unreadable one stops the
    # run before any .mo is written; only the compiled bytes are kept (20,000 parsed catalogs
    # held at once took 1.7 GB)
    from ..gate import compile_gated, open_gate
    from .state import FastRel
    rel_of = FastRel(cfg)
    gate = open_gate(cfg)
    compiled: list = []
    paths = list(iter_catalog_paths(cfg, locales))
    if gate is None:            # msgfmt's job: read for compiling only (no entry objects), on every core
        from ..workers import jobs_for
        rels = [rel_of(p) for p in paths]
        results = cat.compile_files([(str(p), rel) for p, rel in zip(paths, rels)], use_fuzzy=use_fuzzy,
                                    jobs=jobs_for(cfg, None))
        compiled = [(p, rel, res, ()) for p, rel, res in zip(paths, rels, results)]
    else:
        for p in paths:
            rel = rel_of(p)
            res, held = compile_gated(cat.read_catalog(str(p), name=rel), rel, p.parent.parent.name, gate,
                                      use_fuzzy=use_fuzzy)
            compiled.append((p, rel, res, held))
        gate.save()                 # what the gate's findings cache learnt
    for po_path, rel, res, held in progress(compiled, "compile"):
        written = False
        if res.mo is not None:
            written = write_if_changed(po_path.with_suffix(".mo"), res.mo, durable=False)
        out.append(CompileReport(rel, res.stats, res.errors, written, held))
    return out


# -- render ------------------------------------------------------------------------

def render_scope(cfg: Config, pages: list[Page] | None = None, *,
                 progress: Progress = no_progress, jobs: int | None = None,
                 cache: bool = True) -> RenderReport:
    """The build's render stage alone (``l10n render``): every page in every locale of the site
    into ``<output>/<locale>/<path>``.

    On all cores; a page version whose inputs (skeleton, ``.mo`` file, settings and
    the publication statuses its chrome depends on) are those of the last render is
    not rendered again (``.l10n-cache/render.pickle``; ``cache=False`` renders all).
    The same files as the build renders."""
    from .render import (
        delete_unplanned,
        load_render_cache,
        render_pages,
        save_extras_digest,
        save_render_cache,
        site_extras,
    )

    pages = pages if pages is not None else load_pages(cfg, progress=progress, jobs=jobs)
    # no cyclic GC in this process from here: what it makes has no cycles (a page is parsed before,
    # or by a worker, which collects), and at 10,000 pages its collections walked the pages and
    # the results again and again (a seventh of its time, by perf)
    with NoGC():
        rc = load_render_cache(cfg) if cache else None
        fresh = not os.path.lexists(cfg.output_dir)         # a new site holds nothing to sweep
        outcome, rc = render_pages(cfg, pages, jobs=jobs, progress=progress, cache=rc)
        if not fresh:
            delete_unplanned(cfg, outcome.stats)
        saving = save_render_cache(cfg, rc) if cache else None        # in a child, while the indexes are written
        try:
            written = outcome.written + site_extras(cfg, pages, outcome, rc)
            if cache:
                save_extras_digest(cfg, rc)
        finally:
            if saving is not None:
                saving.result()
    return RenderReport(tuple(outcome.stats), written, tuple(outcome.warnings))
