"""Finding the pages and the skeleton cache: each page parsed once by the walker, kept by a key
derived from the page's bytes and from a digest of the walker's own code (one job)."""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from .errors import ConfigError, PageError
from .fsutil import atomic_write, fs_clock, inside
from .html.skeleton import Skeleton
from .locales import locale_for_lang
from .workers import in_two_halves, jobs_for, load_pickle, pmap, save_pickle, sig_of

CACHE_FORMAT = "skeleton-index-1"       # the layout of the index file below (the skeletons: walker_digest)

if TYPE_CHECKING:
    from .config import Config


__all__ = ["Page", "discover_pages", "load_pages", "parse_one", "LazySkeleton", "skeleton_key", "load_page_refs",
           "walker_digest", "Progress", "no_progress"]

Progress = Callable[[Sequence, str], Iterable]


def no_progress(items: Sequence, label: str) -> Iterable:
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


# -- pages --------------------------------------------------------------------------

def discover_pages(cfg: Config) -> "PagePaths":
    """Every ``*.html`` page under the source folder, sorted; links leading outside refused."""
    if not cfg.source_dir.is_dir():
        raise ConfigError("source folder does not exist", cfg.rel(cfg.source_dir))
    # sorted(source_dir.rglob("*.html")), walked with scandir: like rglob, never into a
    # symlinked folder, so only a page that is itself a symlink can lead outside
    found: list[tuple[tuple[str, ...], str, bool, bool]] = []

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
            if e.name.endswith(".html"):            # fnmatchcase(name, "*.html")
                link = e.is_symlink()
                # a file's type comes with the listing: no stat a page (a link is followed below)
                found.append((parts + (e.name,), e.path, link, not link and e.is_file(follow_symlinks=False)))

    walk(str(cfg.source_dir), ())
    out = PagePaths()
    for _parts, path, link, regular in sorted(found):
        p = Path(path)
        if link:
            inside(cfg.source_dir, p, "page")
            if p.is_file():
                out.append(p)
                out.links.add(str(p))
        elif regular:
            out.append(p)
    return out


class PagePaths(list):
    """:func:`discover_pages`' list of paths, with the ones that are symbolic links (``links``, as
    strings): what the walk saw, so that :func:`rels_and_domains` need not ask again."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.links: set[str] = set()


def parse_one(args: tuple[str, str, str, tuple[str, ...], str]) -> Skeleton:
    path, rel, cache_dir, known, _ = args
    data = Path(path).read_bytes()
    cached = Path(cache_dir) / f"{skeleton_key(data, rel, known)}.pickle" if cache_dir else None
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


def load_pages(cfg: Config, *, progress: Progress = no_progress, jobs: int | None = None) -> list[Page]:
    """Every page with its skeleton: parsed once (on all cores when worth it), then taken from
    the cache. Skeletons load lazily (:class:`LazySkeleton`): a page's
    ``locale`` and ``lang`` are known at once, its segments and chunks on first use."""
    paths = discover_pages(cfg)
    rels, domains = rels_and_domains(cfg, paths)
    refs = load_page_refs(cfg, paths, rels, jobs=jobs, progress=progress)
    pages = [Page(p, rel, dom, ref) for p, rel, dom, ref in zip(paths, rels, domains, refs)]
    check_domains(pages)
    return pages


def check_domains(pages: Sequence[Page]) -> None:
    seen: dict[str, str] = {}
    for pg in pages:
        if pg.domain in seen:
            raise PageError(f"two pages map to the domain {pg.domain!r}: {seen[pg.domain]}", pg.rel)
        seen[pg.domain] = pg.rel


def rels_and_domains(cfg: Config, paths: Sequence[Path]) -> tuple[list[str], list[str]]:
    """cfg.rel(p) and cfg.domain_of(p) for each page, without resolving every path
    (discover_pages's paths are already under the resolved source folder)."""
    root = str(cfg.root) + os.sep
    src = str(cfg.source_dir) + os.sep
    rels, domains = [], []
    links = paths.links if isinstance(paths, PagePaths) else None
    for p in paths:
        sp = str(p)
        if sp.startswith(src) and sp.startswith(root) and not (os.path.islink(sp) if links is None else sp in links):
            rels.append(sp[len(root):].replace(os.sep, "/"))
            parts = sp[len(src):].split(os.sep)
            if all(parts) and "." not in parts and parts[-1][1:].endswith(".html") and parts[-1][:-5] != ".":
                # Path(...).with_suffix("").parts, without a Path: a walked page's name ends in .html
                parts[-1] = parts[-1][:-5]
                domains.append(".".join(parts))
            else:
                domains.append(".".join(Path(sp[len(src):]).with_suffix("").parts))
        else:
            rels.append(cfg.rel(p))
            domains.append(cfg.domain_of(p))
    return rels, domains


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
                skel = load_pickle(Path(self.file))
            except Exception:  # noqa: BLE001 - cache entry gone or broken: parse the page again
                skel = parse_one((self.source, self.page, str(Path(self.file).parent), self.known, ""))
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
    h = hashlib.sha256(data)        # (the bytes of the page, then the rest: no copy of the page)
    h.update(walker_digest().encode() + rel.encode() + "|".join(known).encode())
    return h.hexdigest()


@functools.cache
def walker_digest() -> str:
    """A digest of the code a skeleton depends on (the walker, the markup syntax, the model, the
    locale table, this module) and of the Python that pickles it: the skeleton cache's version,
    derived, so a changed walker can never be served an old skeleton and nobody bumps a stamp.
    The renderer (``html/render.py``) fills skeletons and makes none: a change to it keeps them."""
    from . import __version__, html, locales, markup, model
    h = hashlib.sha256(f"{__version__}|{sys.version}".encode())
    files = [Path(html.__file__).parent / n for n in sorted(os.listdir(Path(html.__file__).parent))
             if n.endswith(".py") and n != "render.py"]
    for p in files + [Path(markup.__file__), Path(model.__file__), Path(locales.__file__), Path(__file__)]:
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _index_path(cache_dir: Path) -> Path:
    return cache_dir / "index.pickle"


def _load_index(cache_dir: Path) -> dict[str, tuple[str, str]]:
    try:
        idx = load_pickle(_index_path(cache_dir))
        if isinstance(idx, dict) and idx.get("__format__") == CACHE_FORMAT:
            return idx
    except Exception:  # noqa: BLE001 - no index yet, or a broken one
        pass
    return {"__format__": CACHE_FORMAT}


def _parse_task(then: "Callable[[int, Skeleton], Any] | None", args: tuple) -> tuple[str, str, "Skeleton | None", Any]:
    """Worker: page ``i`` parsed into the cache (or loaded from it), then ``then(i, skeleton)``
    (the task's context). Returns (lang, locale, the skeleton if it could not be cached, what
    ``then`` returned)."""
    i, path, rel, cache_dir, known, key, cached_meta = args
    file = Path(cache_dir) / f"{key}.pickle"
    if cached_meta is not None:
        ref = LazySkeleton(rel, cached_meta[0], cached_meta[1], key, str(file), path, known)
        return ref.lang, ref.locale, None, then(i, ref.load())
    from .errors import PageError
    try:
        skel = parse_one((path, rel, cache_dir, known, ""))
    except PageError as e:              # reported with every other bad page (l10n.pagecheck)
        return None, None, None, e
    extra = then(i, skel) if then is not None else None
    return skel.lang, skel.locale, (None if file.is_file() else skel), extra


def _cache_files(cache_dir: Path) -> set[str]:
    """The names of the regular files in the skeleton cache (what ``is_file`` would say of each,
    from one listing; a symbolic link is followed, as ``is_file`` follows it)."""
    names: set[str] = set()
    try:
        with os.scandir(cache_dir) as it:
            for e in it:
                try:
                    if e.is_file():
                        names.add(e.name)
                except OSError:
                    pass
    except OSError:
        pass
    return names


def _read_keys(pages: Sequence[tuple[Path | str, str]], known: Sequence[str]) -> list[str]:
    """The :func:`skeleton_key` of each (path, rel), its file read."""
    out = []
    for p, rel in pages:
        with open(p, "rb") as f:
            out.append(skeleton_key(f.read(), rel, known))
    return out


SPLIT_KEYS = 2000       # pages from which a second core reads and hashes half of them
KEYS_FORMAT = "page-keys-1"


def _stat_pages(paths: Sequence[Path | str]) -> list[tuple | None]:
    """:func:`~l10n.workers.sig_of` (mtime, size, inode, ctime) of each page and its device; None
    for one that cannot be stat'ed."""
    out: list[tuple | None] = []
    stat = os.stat
    for p in paths:
        try:
            s = stat(p)
            out.append((*sig_of(s), s.st_dev))
        except OSError:
            out.append(None)
    return out


def page_keys(paths: Sequence[Path | str], rels: Sequence[str], known: Sequence[str], jobs: int,
              cache_dir: Path | None = None) -> list[str]:
    """Each page's :func:`skeleton_key`, from its bytes: the second half by a forked child on
    another core when there are many (reading and hashing 10,000 pages takes the renderer
    0.1-0.5 s before any page is rendered, more when they are no longer in memory).

    With ``cache_dir``, the keys are remembered (``keys.pickle``) with each page's signature, and a
    page whose signature is the one remembered is not read: a stat instead of a read and a hash.
    A signature is remembered only when the page's mtime and ctime are earlier than the file
    system's clock taken before it was stat'ed (:func:`~l10n.fsutil.fs_clock`): a change after
    that, even within the same tick, gives it another ctime (racy git's rule)."""
    pairs = list(zip(paths, rels))
    if cache_dir is None:
        return _hash_keys(pairs, known, jobs)
    ident = (KEYS_FORMAT, walker_digest(), tuple(known))
    memo = _load_keys(cache_dir, ident)
    stamp = fs_clock(cache_dir / "keys.stamp")          # before the stats
    names = [str(p) for p in paths]
    sigs = (_stat_pages(names) if jobs < 2 or len(names) < SPLIT_KEYS
            else in_two_halves(_stat_pages, names))
    keys: list[str | None] = []
    todo: list[int] = []
    get = memo.get
    for i, (name, sig) in enumerate(zip(names, sigs)):
        rec = get(name)
        if rec is not None and sig is not None and rec[0] == sig:
            keys.append(rec[1])
        else:
            keys.append(None)
            todo.append(i)
    if todo:
        for i, key in zip(todo, _hash_keys([pairs[i] for i in todo], known, jobs)):
            keys[i] = key
    now, dev = stamp
    kept = {name: (sig, key) for name, sig, key in zip(names, sigs, keys)
            if sig is not None and sig[0] < now and sig[3] < now and sig[4] == dev}
    if kept != memo:
        try:
            save_pickle(cache_dir / "keys.pickle", (ident, kept))
        except OSError:
            pass
    return keys  # type: ignore[return-value]


def _load_keys(cache_dir: Path, ident: tuple) -> dict[str, tuple[tuple, str]]:
    try:
        got, memo = load_pickle(cache_dir / "keys.pickle")
        if got == ident and isinstance(memo, dict):
            return memo
    except Exception:  # noqa: BLE001 - none yet, or a broken one: every page is read
        pass
    return {}


def _hash_keys(pairs: list[tuple[Path | str, str]], known: Sequence[str], jobs: int) -> list[str]:
    if jobs < 2 or len(pairs) < SPLIT_KEYS:
        return _read_keys(pairs, known)
    walker_digest()                         # worked out once, before the fork
    return in_two_halves(_read_keys, pairs, known)


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
    if datas is None:
        keys = page_keys(paths, rels, known, jobs_for(cfg, jobs), cache_dir)
    else:
        keys = [skeleton_key(data, rel, known) for data, rel in zip(datas, rels)]
    cached = _cache_files(cache_dir)        # one listing, not a stat a page
    dir_s = str(cache_dir)
    for i, (p, rel) in enumerate(zip(paths, rels)):
        key = keys[i]
        meta = index.get(key)
        name = f"{key}.pickle"
        if meta is not None and name in cached:
            refs[i] = LazySkeleton(rel, meta[0], meta[1], key, f"{dir_s}/{name}", str(p), known)
            if then is not None:
                todo.append(i)
        else:
            todo.append(i)
    if todo:
        args = [(i, str(paths[i]), rels[i], str(cache_dir), known, keys[i],
                 None if refs[i] is None else (refs[i].lang, refs[i].locale)) for i in todo]
        done = pmap(_parse_task, list(progress(args, "parse")), jobs=jobs_for(cfg, jobs), context=then)
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
                save_pickle(_index_path(cache_dir), index)
            except OSError:
                pass
    return refs  # type: ignore[return-value]

