"""The one build: scan -> plan -> stages on workers -> commit (one job).


``build(force=True)`` is the reference (every page, catalog and version stale);
tests/test_incremental.py holds the two to the same files and the same report
through edits of pages, catalogs and settings, deletions and additions.

What is redone, and why that is enough:

* a page is re-read only when its file signature (mtime, size, inode, ctime)
  changed, and re-parsed only when its content did (its skeleton key);
* a template is rebuilt when its page changed, its file is gone, or a catalog
  of its page must be merged again (the merge needs the template);
* a catalog is merged again when its template or its own content changed
  (merging an unchanged template into its own last output changes nothing:
  every msgid of the template is already in it, so no fuzzy match and no
  compendium lookup happens); the compendium is an SQLite index kept up to date;
* a ``.mo`` is compiled again when its catalog changed or it is gone;
* a page version is rendered again when its inputs changed (see
  :func:`l10n.build.render.render_pages`), and a locale index when one of its
  lines did (each line is kept; the index is their join).

**The state** (``.l10n-cache/build/state.sqlite``, written in one transaction at
the end of a build, so it is never half new): per-page, per-catalog and
per-version rows (signatures, content hashes, statistics, render records, index
lines), and a few blobs every build reads: the **listing** (every folder under the
source, locales and output folders with its entries' names, and the signature of
every *input*: pages, catalogs, assets, other files; build products -- templates,
``.mo`` files, the site -- count by name only), the report's rows (as columns:
what a build patches is a few arrays) and the site's page list. The blobs only a
full build changes live in ``state.blobs`` beside it, tied to the database by a
token (:meth:`Store.commit`).

**A build** lists the folders it knows and stats the inputs (one pass, no walk)
and compares with the listing:

* nothing changed: the last report, without reading anything else;
* only inputs changed and products went missing (the everyday case): the
  *delta* build reads the rows of what changed, redoes only that, and patches
  the report rows, the statuses, the index lines;
* anything else (a page or catalog added or removed, a new file or folder
  anywhere, the settings or l10n's own code changed, the state lost or
  unreadable, the compendium out of step): the *full* build plans over every
  page and catalog with the same rules, from whatever rows are still valid
  (each row carries the signature or key it was made from).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..workers import NoGC, file_sig
from .plan import outdated
from .state import Store, cfg_digest, code_sig

if TYPE_CHECKING:
    from ..config import Config
    from .plan import Reasons
    from .report import BuildReport

# -- the build ------------------------------------------------------------------------------------

SCOPES = ("all", "extract", "update", "compile", "render")


def build(cfg: "Config", *, force: bool = False, scope: str = "all", use_fuzzy: bool = False,
          progress: Callable = lambda items, label: items, jobs: int | None = None,
          explain: Callable[[str], None] | None = None, before_writing: Callable[[tuple, bool], None] | None = None,
          links_checked: bool = True, **inputs: Any) -> Any:
    """project.build: scan -> plan -> stages on workers -> commit, redoing only what changed since the
    last build of this project (``force``: everything). ``explain`` is told why each thing is redone.
    ``before_writing(folders, only_if_killed)`` runs once before the whole build writes anything, with
    the folders that may hold a killed run's temporary files (the CLI removes them there); a build with
    nothing to do does not call it. A delta build names only the cache, with ``only_if_killed=True``:
    a temporary file left in the source, locales or output folders is a new name there, which the plan
    never takes for "nothing changed", and one in the cache is litter that no
    run reads, worth a walk of the cache's 10,000s of files only after a run was killed.

    ``links_checked=False``: ``cfg`` was loaded without the walk for symbolic links leading out of
    the folders (``load_config(links=False)``); the build does it before it reads or writes, unless
    its scan of the folders shows that there is no link in them (no new name, and no entry of a
    known folder a link: every folder under them is known).

    ``scope``: ``"all"`` (a :class:`BuildReport`), or one stage alone, from its inputs on disk
    (:mod:`l10n.build.scopes`): ``"extract"`` (the templates; ``inputs``: ``pages``, ``check``),
    ``"update"`` (the catalogs merged; ``locales``, ``templates``), ``"compile"`` (the ``.mo`` files,
    through the gate; ``locales``) or ``"render"`` (the site; ``pages``; ``force``: no render cache)."""
    if scope != "all":
        if explain is not None:
            explain(f"build: {scope} (one stage alone, from its inputs on disk)")
        if not links_checked:
            from ..config import check_folder_links
            check_folder_links(cfg)
        return run_scope(cfg, scope, force=force, use_fuzzy=use_fuzzy, progress=progress, jobs=jobs, **inputs)
    if inputs:
        raise TypeError(f"build() got inputs only a scope takes: {', '.join(sorted(inputs))}")
    bdir = cfg.root / ".l10n-cache" / "build"
    ctx = cfg_digest(cfg, use_fuzzy, code_sig(), cfg.glossary and file_sig(cfg.glossary))
    store = Store(bdir / "state.sqlite")
    try:
        blobs: dict = {}
        if not force:
            with NoGC():        # tens of thousands of small objects: the collector would run again and again
                blobs = store.blobs()
        plan = outdated(blobs, ctx, force=force, meanwhile=_ready_to_build)
        if not links_checked and (plan.scan is None or plan.scan.links):
            from ..config import check_folder_links
            check_folder_links(cfg)
        if explain is not None:
            explain(f"build: {plan.kind} ({plan.reason})")
            for p in plan.changed_inputs():
                explain(f"changed: {cfg.rel(Path(p))}")
            for p in plan.missing_products():
                explain(f"missing: {cfg.rel(Path(p))}")
        if plan.kind == "none":
            with NoGC():
                return plan.rows.report(cfg, plan.blobs["head"], plan.blobs["domains"])
        if before_writing is not None:
            cache = cfg.root / ".l10n-cache"
            if plan.kind == "delta":
                before_writing((cache,), True)
            else:
                before_writing((cfg.locales_dir, cfg.output_dir, cache), False)
        why = plan.why if explain is not None else None      # worked out only when someone listens
        from ..tm.fill import tm_settings
        from .delta import Delta            # imported here: a no-op build needs neither (nor the walker)
        tm_settings(cfg)                    # bad [tool.l10n.tm] settings stop the build before it writes anything
        rep = None
        if plan.kind == "delta":
            rep = Delta(cfg, store, plan.blobs, plan.rows, plan.listing, plan.scan, use_fuzzy, progress, jobs,
                        why).run()
            if rep is None and explain is not None:
                explain("build: full (the delta build could not tell what the change touches)")
        if rep is None:
            from .full import full_build    # (a delta build needs none of it)
            rep = full_build(cfg, store, plan.blobs, ctx, use_fuzzy, progress, jobs, why)
        if explain is not None:
            explain_report(rep, plan.why, explain)
        return rep
    finally:
        stages = sys.modules.get("l10n.build.stages")    # imported by the builds that merge (not by a no-op)
        if stages is not None:
            stages.close_worker_dbs()
        store.close()


def _ready_to_build() -> None:
    """What a build that has something to do imports (25-35 ms), imported while a child process
    stats half the inputs: a one-page build gains that time; a no-op build, which needs none of it,
    pays only what the imports take beyond the child's half."""
    from ..tm import fill  # noqa: F401
    from . import delta  # noqa: F401


def run_scope(cfg: "Config", scope: str, *, force: bool, use_fuzzy: bool, progress: Callable, jobs: int | None,
              pages: Any = None, check: bool = False, locales: Any = None, templates: Any = None) -> Any:
    """One stage of the build alone (see :func:`build`)."""
    from . import scopes
    if scope == "extract":
        return scopes.extract_scope(cfg, pages, check=check, progress=progress, jobs=jobs)
    if scope == "update":
        return scopes.update_scope(cfg, locales, templates=templates, progress=progress)
    if scope == "compile":
        return scopes.compile_scope(cfg, use_fuzzy=use_fuzzy, locales=locales, progress=progress)
    if scope == "render":
        return scopes.render_scope(cfg, pages, progress=progress, jobs=jobs, cache=not force)
    raise ValueError(f"unknown build scope {scope!r} (known: {', '.join(SCOPES)})")


def explain_report(rep: "BuildReport", why: "Reasons", explain: Callable[[str], None]) -> None:
    """Each page, template, catalog and page version the build redid, with the reason it was redone
    (``<kind> <item>: <reason>``), then what the check gate held back and how many site files changed."""
    for line in why.lines():
        explain(line)
    for p in rep.extract.removed:
        explain(f"template removed: {p} (its page is gone)")
    for c in rep.compile:
        for h in c.held:
            explain(f"held back by the check gate: {h.line_text()}")
    if rep.render.written:
        explain(f"site files written: {rep.render.written} (the versions above, and the indexes and sitemap "
                "lines that follow them)")
