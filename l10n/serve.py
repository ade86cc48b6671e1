"""``l10n serve``: preview the localized site on localhost and rebuild what changed.

The site folder is served by :mod:`http.server` (bound to 127.0.0.1 unless told
otherwise). A watcher thread waits for the operating system to report a saved file
(`watchfiles <https://watchfiles.helpmanual.io/>`_, a maintained Rust-backed watcher:
inotify, FSEvents, ReadDirectoryChangesW; no polling) under the source pages and their
assets, the ``.po`` catalogs, the project's templates folder and ``pyproject.toml``:

* a page, an asset, a template or the settings changed: ``build`` (extract, update,
  compile, render — the build is incremental: only what the change touches is done
  again, and only files whose content changes are written);
* only catalogs changed: compile those locales and render (a translator's
  save is never merged back into the file they have open).

After each rebuild it prints what it rebuilt: the site files written. Every rebuild
holds the project lock, like any other l10n command.
"""
from __future__ import annotations

import functools
import http.server
import ipaddress
import os
import threading
from pathlib import Path
from typing import Callable, Iterable

from .config import Config, load_config
from .errors import L10nError
from .fsutil import project_lock

__all__ = ["Preview", "DEBOUNCE_MS"]

DEBOUNCE_MS = 200             # changes within this many milliseconds are one rebuild (an editor's save is several)
WAKE_MS = 1000                # how often the watcher thread wakes without a change (to see it is asked to stop)
Snapshot = dict[str, tuple[int, int]]


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, never cached (a reload shows the rebuilt page), no access log."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
                      ".xml": "application/xml; charset=utf-8", ".js": "text/javascript; charset=utf-8"}

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's name
        pass


class Preview:
    """The preview server and its watcher; ``start()``/``stop()`` or ``serve_forever()``."""

    def __init__(self, cfg: Config, *, host: str = "127.0.0.1", port: int = 8000,
                 echo: Callable[[str], None] = print, use_fuzzy: bool = False, lock_wait: float = 30.0):
        self.cfg = cfg
        self.host, self.port = host, port
        self.echo = echo
        self.use_fuzzy = use_fuzzy
        self.lock_wait = lock_wait
        self._state: Snapshot = {}
        self._httpd: http.server.ThreadingHTTPServer | None = None
        self._stop = threading.Event()
        self._ready = threading.Event()          # the watcher is set up
        self._threads: list[threading.Thread] = []

    # -- what is watched ---------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        """(mtime_ns, size) of every watched file, by path."""
        cfg = self.cfg
        files: list[Path] = []
        if cfg.source_dir.is_dir():
            files += [p for p in cfg.source_dir.rglob("*") if p.is_file() and not p.name.startswith(".")]
        if cfg.locales_dir.is_dir():
            files += list(cfg.locales_dir.glob("*/LC_MESSAGES/*.po"))
        if cfg.site_templates is not None and cfg.site_templates.is_dir():
            files += [p for p in cfg.site_templates.rglob("*") if p.is_file() and not p.name.startswith(".")]
        if cfg.pyproject is not None:
            files.append(cfg.pyproject)
        if cfg.glossary is not None:            # the check gate's glossary
            files.append(cfg.glossary)
        out: Snapshot = {}
        for p in files:
            sig = _sig(str(p))
            if sig is not None:
                out[str(p)] = sig
        return out

    def changes(self, paths: Iterable[str] | None = None) -> set[str]:
        """Paths added, removed or modified since the last (re)build: among ``paths`` (what
        the watcher reported), or among every watched file."""
        old = self._state
        if paths is None:
            now = self.snapshot()
            return {p for p in now.keys() | old.keys() if now.get(p) != old.get(p)}
        return {p for p in paths if self.watched(p) and _sig(p) != old.get(p)}

    def watched(self, path: str) -> bool:
        """Whether a change to ``path`` is one to rebuild for (what :meth:`snapshot` covers)."""
        cfg = self.cfg
        name = os.path.basename(path)
        if not name or name.startswith("."):
            return False
        if cfg.pyproject is not None and path == str(cfg.pyproject):
            return True
        if _under(path, cfg.output_dir) or _under(path, cfg.root / ".l10n-cache"):
            return False
        if cfg.site_templates is not None and _under(path, cfg.site_templates):
            return True
        if _under(path, cfg.locales_dir):
            p = Path(path)
            return p.suffix == ".po" and p.parent.name == "LC_MESSAGES" and _under(p.parent.parent.parent,
                                                                                   cfg.locales_dir, same=True)
        return _under(path, cfg.source_dir)

    def _roots(self) -> list[Path]:
        """The folders (and file) the watcher is given."""
        cfg = self.cfg
        roots = [cfg.source_dir, cfg.locales_dir]
        if cfg.site_templates is not None:
            roots.append(cfg.site_templates)
        if cfg.pyproject is not None:
            roots.append(cfg.pyproject)
        return [r for r in roots if r.exists()]

    # -- rebuilding ----------------------------------------------------------------------
    def rebuild(self, changed: set[str] | None = None) -> str:
        """Rebuild for ``changed`` paths (None: everything). Returns what ran: build or render."""
        from .project import build, compile_all, render_site

        before = self.snapshot()
        self._state = before        # a failed rebuild waits for the next save, it is not retried in a loop
        only_po = bool(changed) and all(p.endswith(".po") for p in changed)
        site_before = _tree_sigs(self.cfg.output_dir) if changed is not None else {}
        with project_lock(self.cfg.root, wait=self.lock_wait):
            tpl = self.cfg.site_templates
            if changed and any(p == str(self.cfg.pyproject) or (tpl is not None and _under(p, tpl)) for p in changed):
                self.cfg = load_config(self.cfg.root)       # settings, or the templates' signature in them
            if only_po:
                locales = sorted({Path(p).parent.parent.name for p in changed} & set(self.cfg.locales))
                reports = compile_all(self.cfg, use_fuzzy=self.use_fuzzy, locales=locales or None)
                errors = [e for r in reports for e in r.errors]
                held = [h for r in reports for h in r.held]
                rendered = render_site(self.cfg)
                what = "render"
                wrote: list[str] = []
                merge_notes: list[str] = []
            else:
                rep = build(self.cfg, use_fuzzy=self.use_fuzzy)
                errors = [e for r in rep.compile for e in r.errors]
                held = [h for r in rep.compile for h in r.held]
                rendered = rep.render
                what = "build"
                wrote = [str(self.cfg.root / r.path) for r in rep.update if r.written]
                merge_notes = [r.message() for r in rep.repairs] + rep.pretranslated_lines()
        # What the build itself wrote (merged catalogs) is not a change to react to;
        # anything else saved while it ran is reported by the watcher (or seen by poll()).
        for p in wrote:
            try:
                st = Path(p).stat()
                before[p] = (st.st_mtime_ns, st.st_size)
            except OSError:
                pass
        self._state = before
        for n in merge_notes:
            self.echo(n)
        for e in errors:
            self.echo(e)
        for h in held:
            self.echo(f"HELD BACK (check gate): {h.line_text()}")
        for w in rendered.warnings:
            self.echo(f"warning: {w}")
        n_held = len(rendered.unpublished)
        self.echo(f"{what}: {len(rendered.pages) - n_held} pages published, {n_held} held back, "
                  f"{rendered.written} files written")
        if changed is not None:
            site_after = _tree_sigs(self.cfg.output_dir)
            redone = sorted(p for p in site_after.keys() | site_before.keys()
                            if site_after.get(p) != site_before.get(p))
            shown = ", ".join(redone[:8]) + (f" and {len(redone) - 8} more" if len(redone) > 8 else "")
            self.echo(f"rebuilt: {shown}" if redone else "rebuilt: nothing (the site was up to date)")
        return what

    def poll(self) -> str | None:
        """Rebuild if any watched file changed since the last rebuild (every file compared, no
        watcher: what ``--no-watch`` callers and the tests use); what ran, or None."""
        return self._react(self.changes())

    def _react(self, changed: set[str]) -> str | None:
        if not changed:
            return None         # what the build itself wrote, or a save that changed nothing
        names = sorted(self._rel(p) for p in changed)
        self.echo("changed: " + ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else ""))
        return self.rebuild(changed)

    def _rel(self, p: str) -> str:
        return self.cfg.rel(Path(p))

    def _watch(self) -> None:
        """Rebuild on every change the operating system reports, until stopped. Once the watch
        is set up, what changed before it was (since the last rebuild) is caught up with one
        comparison; the watch is set up again after a rebuild for new settings (the folders
        may have moved)."""
        from watchfiles import watch
        while not self._stop.is_set():
            roots = self._roots()
            live = False
            for events in watch(*roots, watch_filter=lambda _change, path: self.watched(path),
                                debounce=DEBOUNCE_MS, rust_timeout=WAKE_MS, yield_on_timeout=True,
                                stop_event=self._stop, raise_interrupt=False):
                try:
                    if not live:            # the watcher is set up: nothing saved from now on is missed
                        live = True
                        self._ready.set()
                        self._react(self.changes())
                    elif events:
                        self._react(self.changes(path for _change, path in events))
                except L10nError as e:
                    self.echo(f"l10n: error: {e}")
                except Exception as e:  # noqa: BLE001 - the preview keeps running; the next save retries
                    self.echo(f"l10n: rebuild failed: {type(e).__name__}: {e}")
                if self._roots() != roots:
                    break
            else:
                return

    # -- serving -----------------------------------------------------------------------
    @property
    def url(self) -> str:
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{self.port}/"

    def start(self, *, watch: bool = True, build_first: bool = True) -> str:
        """Build (unless told not to), serve in a thread, watch in another; returns the URL."""
        if build_first:
            self.rebuild(None)
        else:
            self._state = self.snapshot()
        self.cfg.output_dir.mkdir(parents=True, exist_ok=True)
        handler = functools.partial(_Handler, directory=str(self.cfg.output_dir))
        try:
            self._httpd = http.server.ThreadingHTTPServer((self.host, self.port), handler)
        except OSError as e:
            raise L10nError(f"cannot serve on {self.host}:{self.port}: {e.strerror or e}") from None
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        t = threading.Thread(target=self._httpd.serve_forever, name="l10n-serve", daemon=True)
        t.start()
        self._threads.append(t)
        if watch:
            w = threading.Thread(target=self._watch, name="l10n-watch", daemon=True)
            w.start()
            self._threads.append(w)
            self._ready.wait(30)            # a bound for a slow machine; a save before it is caught up anyway
        return self.url

    def stop(self) -> None:
        self._stop.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        for t in self._threads:
            t.join(timeout=10)
        self._threads.clear()

    def serve_forever(self, *, watch: bool = True) -> None:
        url = self.start(watch=watch)
        if not _is_loopback(self.host):
            self.echo(f"warning: serving to the network on {self.host}; the preview is meant for this machine")
        self.echo(f"serving {self.cfg.rel(self.cfg.output_dir)} at {url}"
                  + (" (rebuilding on changes; Ctrl-C stops)" if watch else " (Ctrl-C stops)"))
        try:
            while not self._stop.wait(3600):
                pass
        except KeyboardInterrupt:
            self.echo("stopped")
        finally:
            self.stop()


def _sig(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def _under(path: str | Path, folder: Path, *, same: bool = False) -> bool:
    """Whether ``path`` is inside ``folder`` (or is it, with ``same``)."""
    p, f = str(path), str(folder)
    return p.startswith(f + os.sep) or (same and p == f)


def _tree_sigs(folder: Path) -> dict[str, tuple[int, int]]:
    """(mtime_ns, size) of every file under ``folder``, by path relative to it."""
    out: dict[str, tuple[int, int]] = {}
    for d, _dirs, files in os.walk(folder):
        for name in files:
            p = os.path.join(d, name)
            sig = _sig(p)
            if sig is not None:
                out[os.path.relpath(p, folder).replace(os.sep, "/")] = sig
    return out


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
