"""The build report, kept between builds as columns a build patches (one job)."""
from __future__ import annotations

from array import array
from collections import Counter
from functools import partial
from itertools import compress, repeat
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, NamedTuple, Sequence

from ..gate import HeldBack
from ..model import Stats

__all__ = ["TemplatesOnDisk", "ExtractResult", "UpdateResult", "CompileReport", "PageStat", "RenderReport",
           "BuildReport", "Rows", "Column", "having"]


@dataclass(frozen=True)
class ExtractResult:
    written: tuple[str, ...]       # templates (re)written
    stale: tuple[str, ...]         # templates out of date (with check=True nothing is written)
    removed: tuple[str, ...]       # templates whose page is gone
    templates: dict[str, polib.POFile] = field(default_factory=dict, compare=False)
    notes: tuple[str, ...] = ()    # how a page's <html lang="zh"> was read (l10n.locales.lang_note)



class UpdateResult(NamedTuple):
    """One catalog merged (a tuple: a build at 10,000 pages reports 20,000 of them)."""
    path: str
    locale: str
    written: bool
    stats: Stats



class CompileReport(NamedTuple):
    """One catalog compiled (a tuple, like UpdateResult); ``held``: the units the check gate
    kept out of its .mo (:mod:`l10n.gate`)."""
    path: str
    stats: Stats
    errors: tuple[str, ...]
    written: bool
    held: tuple[HeldBack, ...] = ()



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
        return tuple(having(self.pages, "published", False))



@dataclass(frozen=True)
class BuildReport:
    extract: ExtractResult
    update: list[UpdateResult]
    compile: list[CompileReport]
    render: RenderReport
    pretranslated: tuple[tuple[str, int], ...] = ()    # (catalog, new entries filled from the memory): this build's
    repairs: tuple[Repair, ...] = ()                    # what this build's merges repaired (l10n.repair)

    def pretranslated_lines(self) -> list[str]:
        """One line per catalog whose new entries this build pre-translated."""
        return [f"{path}: {n} pre-translated from the translation memory (fuzzy)" for path, n in self.pretranslated]


if TYPE_CHECKING:
    import polib

    from ..config import Config
    from ..repair import Repair

class TemplatesOnDisk(dict):
    """{domain: template} like extract's in-memory dict, each template read from its file
    when first asked for (the workers wrote them)."""

    def __init__(self, cfg: "Config", domains: Sequence[str]):
        super().__init__((d, None) for d in domains)
        self._cfg = cfg

    def __getitem__(self, domain: str) -> "polib.POFile":
        v = super().__getitem__(domain)
        if v is None:
            from ..catalogs import read_catalog      # here: a build that reads no template needs no parser
            path = self._cfg.pot_path(domain)
            v = read_catalog(str(path), name=self._cfg.rel(path))     # (stages.read_catalog_of)
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
        return (TemplatesOnDisk, (None, list(super().keys())))


class Column(Sequence):
    """A column of a report kept between builds (:class:`Rows`), read as a sequence of named tuples
    made when first read: a build at 10,000 pages reports 70,000 of them, and ``l10n build`` reads
    a few (those :func:`having` finds from the column's index, made one by one). Equal to a list
    or tuple of the same items."""

    def __init__(self, n: int, make_all: Callable[[], list], make_one: Callable[[int], Any],
                 index: dict[tuple[str, bool], Callable[[], Iterable[int]]]):
        self._n, self._make_all, self._make_one, self._index = n, make_all, make_one, index
        self._items: list | None = None

    def _all(self) -> list:
        if self._items is None:
            self._items = self._make_all()
        return self._items

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):  # type: ignore[override]
        return self._all()[i]

    def __iter__(self) -> Iterator:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Column, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self):           # pickled as the list it reads as
        return (list, (self._all(),))

    def having(self, name: str, value: bool = True) -> list:
        """The items whose field ``name`` is ``value`` (set or not), in order."""
        find = self._index.get((name, value))
        if find is None:
            return [x for x in self if bool(getattr(x, name)) is value]
        found = list(find())
        if self._items is not None or 4 * len(found) > self._n:     # many: made at once, faster a row
            items = self._all()
            return [items[j] for j in found]
        return [self._make_one(j) for j in found]


def having(items: Sequence, name: str, value: bool = True) -> list:
    """The items of a report's column (a :class:`Column`, a list or a tuple of named tuples) whose
    field ``name`` is ``value`` (set or not): from the column's index when it has one."""
    if isinstance(items, Column):
        return items.having(name, value)
    return [x for x in items if bool(getattr(x, name)) is value]


def zeros(flags: bytes) -> Iterator[int]:
    """The places of the zero bytes of ``flags`` (bytes.find: the few of 30,000)."""
    j = flags.find(0)
    while j >= 0:
        yield j
        j = flags.find(0, j + 1)


def stats_tuple(s: Stats) -> tuple:
    return (s.translated, s.fuzzy, s.untranslated, s.obsolete)


class StatsTable:
    """Statistics kept once each (a few hundred distinct ones among 40,000 rows)."""

    def __init__(self, rows: list | None = None):
        self.rows = list(rows or [])
        self.at = {tuple(r): i for i, r in enumerate(self.rows)}

    def index(self, s: Stats | tuple) -> int:
        t = s if isinstance(s, tuple) else stats_tuple(s)
        i = self.at.get(t)
        if i is None:
            i = self.at[t] = len(self.rows)
            self.rows.append(t)
        return i



# -- the report ---------------------------------------------------------------------------------

def arr_of(typecode: str, data: bytes) -> array:
    a = array(typecode)
    a.frombytes(data)
    return a


STRING_COLUMNS = ("upd_paths", "upd_locs", "comp_paths", "pg_pages", "pg_locs", "pg_outs")


class Rows:
    """The report's rows as columns: the strings (they change only with the pages and
    catalogs: a full build), and the values a build patches (statistics, completeness,
    statuses) as arrays, so that a build loads, patches and stores them at memory speed.

    ``rows``: the strings (:data:`STRING_COLUMNS`), or a function that gives them, called when
    one is first read (a build with nothing to do reports from the arrays, and reads a string
    only for a row it prints)."""

    def __init__(self, rows: tuple | Callable[[], tuple], vals: tuple):
        if callable(rows):
            self._strings = rows
        else:
            self._set_strings(rows)
        upd_si, comp_si, comp_errors, pcts, pubs, comp_held = vals
        self.upd_si, self.comp_si = arr_of("l", upd_si), arr_of("l", comp_si)
        self.comp_errors: dict[int, tuple] = dict(comp_errors)
        self.comp_held: dict[int, tuple] = dict(comp_held)      # catalog row -> units the gate held back
        self.pcts, self.pubs = arr_of("d", pcts), bytearray(pubs)

    def _set_strings(self, rows: tuple) -> None:
        (self.upd_paths, self.upd_locs, self.comp_paths, self.pg_pages, self.pg_locs, self.pg_outs) = rows

    def __getattr__(self, name: str) -> Any:        # only for an attribute not set: the strings, not read yet
        if name in STRING_COLUMNS and "_strings" in self.__dict__:
            self._set_strings(self.__dict__.pop("_strings")())
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @classmethod
    def of(cls, up: list, co: list, stats: Iterable, table: "StatsTable") -> "Rows":
        stats = list(stats)
        rows = ([u.path for u in up], [u.locale for u in up], [c.path for c in co],
                [s.page for s in stats], [s.locale for s in stats], [s.output for s in stats])
        vals = (array("l", [table.index(u.stats) for u in up]).tobytes(),
                array("l", [table.index(c.stats) for c in co]).tobytes(),
                {j: tuple(c.errors) for j, c in enumerate(co) if c.errors},
                array("d", [s.percent for s in stats]).tobytes(), bytes(bool(s.published) for s in stats),
                {j: tuple(map(tuple, c.held)) for j, c in enumerate(co) if c.held})
        return cls(rows, vals)

    def rows_blob(self) -> tuple:
        return (self.upd_paths, self.upd_locs, self.comp_paths, self.pg_pages, self.pg_locs, self.pg_outs)

    def vals_blob(self) -> tuple:
        return (self.upd_si.tobytes(), self.comp_si.tobytes(), self.comp_errors, self.pcts.tobytes(),
                bytes(self.pubs), self.comp_held)

    def published(self) -> frozenset:
        """{(page, locale)} of the versions published."""
        return frozenset(compress(zip(self.pg_pages, self.pg_locs), self.pubs))

    def counts(self, cfg: "Config") -> dict[str, int]:
        counts = {loc: 0 for loc in cfg.locales}
        for loc, n in Counter(compress(self.pg_locs, self.pubs)).items():
            counts[loc] = n
        return counts

    def report(self, cfg: "Config", head: dict, domains: list[str], *, ex_written: tuple = (),
               ex_removed: tuple = (), upd_written: Iterable[int] = (), comp_written: Iterable[int] = (),
               render_written: int = 0, pretranslated: tuple = (), repairs: tuple = ()) -> "BuildReport":
        """The build's report (the written flags, pre-translations and repairs: this build's). Its
        columns are :class:`Column` over copies of the values a build patches."""
        so = [Stats(*t) for t in head["stats"]]
        new = tuple.__new__
        upd_si, comp_si = array("l", self.upd_si), array("l", self.comp_si)
        comp_errors, comp_held = dict(self.comp_errors), dict(self.comp_held)
        pcts, pubs = array("d", self.pcts), bytes(self.pubs)
        rows = self     # its strings read when a row is made (only a full build changes them, in new Rows)
        upd_w, comp_w = sorted(set(upd_written)), sorted(set(comp_written))
        upd_ws, comp_ws = set(upd_w), set(comp_w)

        def all_updates() -> list:
            up = list(map(partial(new, UpdateResult), zip(rows.upd_paths, rows.upd_locs, repeat(False),
                                                          map(so.__getitem__, upd_si))))
            for j in upd_w:
                up[j] = up[j]._replace(written=True)
            return up

        def one_update(j: int) -> UpdateResult:
            return UpdateResult(rows.upd_paths[j], rows.upd_locs[j], j in upd_ws, so[upd_si[j]])

        def held_of(j: int) -> tuple:
            return tuple(HeldBack(*x) for x in comp_held.get(j, ()))

        def all_compiles() -> list:
            errors: list[tuple] = [()] * len(comp_si)
            for j, e in comp_errors.items():
                errors[j] = e
            held: list[tuple] = [()] * len(comp_si)
            for j in comp_held:
                held[j] = held_of(j)
            co = list(map(partial(new, CompileReport), zip(rows.comp_paths, map(so.__getitem__, comp_si), errors,
                                                           repeat(False), held)))
            for j in comp_w:
                co[j] = co[j]._replace(written=True)
            return co

        def one_compile(j: int) -> CompileReport:
            return CompileReport(rows.comp_paths[j], so[comp_si[j]], comp_errors.get(j, ()), j in comp_ws, held_of(j))

        def all_pages() -> list:
            return list(map(partial(new, PageStat), zip(rows.pg_pages, rows.pg_locs, pcts, map(bool, pubs),
                                                        rows.pg_outs)))

        def one_page(j: int) -> PageStat:
            return PageStat(rows.pg_pages[j], rows.pg_locs[j], pcts[j], bool(pubs[j]), rows.pg_outs[j])

        up = Column(len(upd_si), all_updates, one_update, {("written", True): lambda: upd_w})
        co = Column(len(comp_si), all_compiles, one_compile,
                    {("errors", True): lambda: sorted(comp_errors), ("held", True): lambda: sorted(comp_held),
                     ("written", True): lambda: comp_w})
        stats = Column(len(pcts), all_pages, one_page, {("published", False): lambda: zeros(pubs)})
        warnings = tuple(w for j, ws in head["warnings"] if pubs[j] for w in ws)
        ex = ExtractResult(tuple(ex_written), (), tuple(ex_removed), TemplatesOnDisk(cfg, domains))
        return BuildReport(ex, up, co, RenderReport(stats, render_written, warnings), tuple(pretranslated),
                           tuple(repairs))


