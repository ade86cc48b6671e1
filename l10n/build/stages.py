"""The units of work of a build, each a function a worker runs, returning a small named type:
read a catalog, write a page's template and merge and compile its catalogs, compile one catalog (one job)."""
from __future__ import annotations

import datetime as _dt
import os
import sqlite3
from pathlib import Path
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Sequence

import polib

from .. import catalogs as cat
from ..merging import merge
from ..pages import LazySkeleton
from ..fsutil import atomic_write
from ..gate import HeldBack
from ..pages import Page
from ..repair import Repair, repairs_in
from ..tm.model import TMUnit
from ..workers import file_sig
from .state import Compendium, compendium_rows, sha1

def read_catalog_of(cfg: "Config", path: Path) -> "polib.POFile":
    """A catalog, with errors naming it relative to the project."""
    return cat.read_catalog(str(path), name=cfg.rel(path))


def now() -> str:
    """The catalogs' creation and revision date: now, or ``SOURCE_DATE_EPOCH`` (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    t = (_dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc) if epoch.isdigit()
         else _dt.datetime.now(_dt.timezone.utc))
    return t.strftime("%Y-%m-%d %H:%M+0000")


def write_catalog(path: Path, po: polib.POFile, date_key: str | None, *, dry: bool = False,
                  durable: bool = True, stage: bool = False) -> "bool | tuple[str, Path]":
    """Write ``po`` unless the file already says the same.

    With ``stage`` the file is written to a temporary file and ``(temporary file, path)`` is
    returned for :func:`l10n.pagecheck.commit_staged` to move into place.

    For a template (``date_key`` = POT-Creation-Date) a difference in the date alone
    does not count, and the date is set to now only when the content changed, so
    rebuilding unchanged pages leaves every file byte-identical.
    """
    old_text = None
    if path.is_file():
        old_text = path.read_text("utf-8", errors="replace")
        old_date = header_value(old_text, date_key) if date_key else None
        if old_date:
            po.metadata[date_key] = old_date
    elif not dry:                               # a new file: nothing to compare, format it once
        if date_key:
            po.metadata[date_key] = now()
        tmp = atomic_write(path, cat.po_text(po), durable=durable, stage=stage)
        return (tmp, path) if tmp else True
    text = cat.po_text(po)
    if old_text is not None and (text == old_text or (date_key and cat.same_but_dates(text, old_text))):
        return False
    if dry:
        return True
    if date_key:
        po.metadata[date_key] = now()
        text = cat.po_text(po)
    tmp = atomic_write(path, text, durable=durable, stage=stage)
    return (tmp, path) if tmp else True


def header_value(text: str, key: str) -> str | None:
    i = text.find(f'"{key}: ')
    if i < 0:
        return None
    j = text.find('\\n"', i)
    return text[i + len(key) + 3:j] if j > 0 else None


def template_of(cfg: Config, pg: Page) -> polib.POFile:
    return cat.build_template(pg.skeleton.segments, source_locale=pg.locale, project=cfg.project_name,
                              version=cfg.version, bugs_address=cfg.bugs_address)


def write_template(cfg: "Config", pg: Page, path: Path, **how: bool) -> tuple[polib.POFile, "bool | tuple[str, Path]"]:
    """The unit of work "write a page's template": (the template, what :func:`write_catalog` returned;
    ``how``: its ``dry``, ``durable`` and ``stage``)."""
    pot = template_of(cfg, pg)
    return pot, write_catalog(path, pot, "POT-Creation-Date", **how)


def merge_catalog(path: Path, pot: polib.POFile, old: polib.POFile | None, locale: str,
                  compendium: Any) -> tuple[polib.POFile, bool]:
    """The unit of work "merge a catalog" (msgmerge): (the merged catalog, whether its file changed)."""
    po = merge(pot, old, locale, compendium=compendium)
    return po, bool(write_catalog(path, po, None))




if TYPE_CHECKING:
    from ..config import Config


# -- what the units of work return ------------------------------------------------------------

class CatalogRead(NamedTuple):
    """A catalog read: the parsed catalog (None unless the caller keeps it), its compendium rows, its sha1."""
    po: Any
    rows: list
    digest: str


class Merged(NamedTuple):
    """A catalog merged with its template (``l10n update``'s work for one catalog): its new
    entries pre-translated from the translation memory, what the rewrite repaired."""
    locale: str
    written: bool
    stats: cat.Stats
    rows: list | None              # its compendium rows, when it was written
    pretranslated: int = 0         # new entries filled from the translation memory (fuzzy)
    repairs: tuple[Repair, ...] = ()


class Compiled(NamedTuple):
    """A catalog checked by the gate and compiled (``l10n compile``'s work for one catalog)."""
    stats: cat.Stats
    errors: tuple[str, ...]
    written: bool
    po_sig: tuple | None
    po_sha: str
    mo_sig: tuple | None
    held: tuple[HeldBack, ...]


class PageWork(NamedTuple):
    """One page's template written (None: not asked), its catalogs merged and compiled."""
    index: int
    template_written: bool | None
    merged: tuple[Merged, ...]
    compiled: tuple[tuple[str, Compiled], ...]      # (locale, result)


class PageTask(NamedTuple):
    """What to do for one page: write its template, merge and compile the catalogs of these locales."""
    index: int
    template: bool
    update: tuple[str, ...]
    compile: tuple[str, ...]


# -- workers ------------------------------------------------------------------------------

@dataclass(frozen=True)
class StageContext:
    """What the units of work read besides their task (given to the workers once, by fork)."""
    cfg: "Config"
    rel: Callable[[Any], str]                   # a path as the project names it (state.FastRel)
    pages: Sequence[Page] = ()                  # PageTask.index is a place in it
    parsed: dict = field(default_factory=dict)  # .po path -> catalog read before anything was written
    use_fuzzy: bool = False
    db: str = ""                                # the compendium database
    paths: Any = None                           # state.Paths
    gate: Any = None                            # gate.open_gate's, when a catalog is compiled
    keep: bool = False                          # validate_task: keep the parsed catalog
    local: dict = field(default_factory=dict)   # each process's own objects, made on first use (the pretranslator)
    few: bool = False                           # a few pages' catalogs merged (an edit): see compendium_units


def validate_task(ctx: StageContext, path: str) -> CatalogRead | None:
    """Worker: read one catalog; None when it is unreadable."""
    from ..errors import L10nError
    try:
        data = Path(path).read_bytes()
        po = cat.read_catalog(path, data, name=ctx.rel(path))
    except (L10nError, OSError):
        return None
    return CatalogRead(po if ctx.keep else None, compendium_rows(po), sha1(data))


_DB: dict[str, sqlite3.Connection] = {}


_TMS: list = []       # the pretranslators opened in this process (each context keeps its own in ``local``)


def _worker_db(path: str) -> sqlite3.Connection:
    db = _DB.get(path)
    if db is None:
        db = _DB[path] = sqlite3.connect(path)
    return db


def close_worker_dbs() -> None:
    """The compendium connections merges opened in this process (the file may be replaced), and
    the translation memory pre-translation opened in it."""
    while _TMS:
        _TMS.pop().close()
    for db in _DB.values():
        db.close()
    _DB.clear()


def pretranslate_new(ctx: StageContext, po: polib.POFile, old: polib.POFile | None, srclang: str,
                     locale: str) -> int:
    """Worker: ``l10n update``'s pre-translation (:class:`l10n.tm.fill.Pretranslator`) of
    the entries the merge added to ``po`` and left empty; how many it filled. Nothing is read, and
    the memory is not opened, unless there are such entries (a catalog merged again only because
    it was edited has none)."""
    from ..tm.fill import wants
    new = [e for e in po if wants(e)] if ctx is None or not ctx.cfg.tm_off else []
    if new and old is not None:
        seen = {(o.msgctxt, o.msgid) for o in old}
        new = [e for e in new if (e.msgctxt, e.msgid) not in seen]
    if not new:
        return 0
    tm = ctx.local.get("tm")
    if tm is None:                   # one per build and process: the catalogs' units are read once
        from ..tm.fill import Pretranslator
        tm = ctx.local["tm"] = Pretranslator(
            ctx.cfg, lambda loc, src, lengths: compendium_units(ctx, loc, src, lengths), few=ctx.few)
        _TMS.append(tm)              # closed with the compendium connections (close_worker_dbs)
    return sum(tm.fill(new, srclang, locale))


def compendium_units(ctx: StageContext, locale: str, srclang: str,
                     lengths: tuple[int, int] | None = None) -> list[TMUnit]:
    """The translation-memory units of ``locale``'s catalogs from ``srclang`` (pre-translation's
    catalog units): the build's compendium, which holds every catalog as it was before this
    build's merges, so that every worker sees the same units in any order.

    ``lengths`` (lowest, highest): only the units whose msgid has a length in that range, the
    only ones a fuzzy match of the texts asked about can find (:func:`l10n.tm.match.length_window`).
    For an edit's new paragraph at 10,000 pages: a few thousand units instead of 600,000 read,
    each with its catalog's name (6 s of a one-page build, where the rest takes 0.4 s)."""
    cfg, rel, paths = ctx.cfg, ctx.rel, ctx.paths
    window, args = ("", (locale,)) if lengths is None else (" AND length(msgid) BETWEEN ? AND ?", (locale, *lengths))
    rows = _worker_db(ctx.db).execute(f"SELECT name, ctx, msgid, msgstr FROM comp WHERE locale=?{window} "
                                       "ORDER BY name, rowid", args).fetchall()
    one_source = [s for s, ts in cfg.targets.items() if locale in ts] == [srclang]
    out: list[TMUnit] = []
    append = out.append
    name_was, where, keep = None, "", False
    for name, mctx, msgid, msgstr in rows:
        if name != name_was:         # a catalog's units come together: its path is worked out once
            name_was = name
            path = paths.po(locale, name[:-3])
            where = rel(path)
            # a locale translated from two languages: each catalog says which
            keep = one_source or _source_language(Path(path)) == srclang
        if keep:
            append(TMUnit(srclang, locale, msgid, msgstr, mctx[1:], where))
    return out


def _source_language(path: Path) -> str | None:
    """A catalog's X-Source-Language, from its header (the first few kilobytes)."""
    try:
        with open(path, "rb") as f:
            head = f.read(8192).decode("utf-8", errors="replace")
    except OSError:
        return None
    return header_value(head, "X-Source-Language") or None


def domain_task(ctx: StageContext, task: PageTask) -> PageWork:
    """Worker: one page's template, its catalogs merged and compiled, as needed."""
    i, want_template, update_locs, compile_locs = task
    cfg, parsed = ctx.cfg, ctx.parsed
    pg: Page = ctx.pages[i]
    pot_written = None
    pot = None
    if want_template:
        pot, pot_written = write_template(cfg, pg, Path(ctx.paths.pot(pg.domain)), durable=False)
    merged = []
    db = _worker_db(ctx.db) if update_locs else None
    for loc in update_locs:
        path = Path(ctx.paths.po(loc, pg.domain))
        old = parsed.get(str(path))          # changed catalogs read before anything was written
        data = None
        if path.is_file():
            data = path.read_bytes()
            if old is None:
                old = cat.read_catalog(str(path), data, name=ctx.rel(path))
        po = merge(pot, old, loc, compendium=Compendium(db, loc))
        filled = pretranslate_new(ctx, po, old, pg.locale, loc)
        written = bool(write_catalog(path, po, None))
        rows = compendium_rows(po) if written else None
        repairs = tuple(repairs_in(data, ctx.rel(path))) if data is not None and written else ()
        merged.append(Merged(loc, written, cat.stats(po), rows, filled, repairs))
    compiled = tuple((loc, compile_one(ctx, Path(ctx.paths.po(loc, pg.domain)))) for loc in compile_locs)
    if isinstance(pg.skeleton, LazySkeleton):
        pg.skeleton.release()
    return PageWork(i, pot_written, tuple(merged), compiled)


def domain_tasks(ctx: StageContext, tasks: list[PageTask]) -> list[PageWork]:
    """:func:`domain_task` for each task, in one process (a child forked for them: what the gate's
    findings cache learnt is saved here, as a pool worker's is)."""
    done = [domain_task(ctx, t) for t in tasks]
    if ctx.gate is not None:
        ctx.gate.save()
    return done


def compile_one(ctx: StageContext, path: Path) -> Compiled:
    """compile_all's work for one catalog, the check gate first (:mod:`l10n.gate`)."""
    from ..fsutil import write_if_changed
    from ..gate import compile_gated
    data = path.read_bytes()
    rel = ctx.rel(path)
    po = cat.read_catalog(str(path), data, name=rel)
    res, held = compile_gated(po, rel, path.parent.parent.name, ctx.gate, use_fuzzy=ctx.use_fuzzy)
    written = False
    mo = path.with_suffix(".mo")
    if res.mo is not None:
        written = write_if_changed(mo, res.mo, durable=False)
    return Compiled(res.stats, tuple(res.errors), written, file_sig(path), sha1(data), file_sig(mo), held)


def compile_task(ctx: StageContext, path: str) -> Compiled:
    """Worker: one catalog no page has, checked and compiled."""
    return compile_one(ctx, Path(path))


