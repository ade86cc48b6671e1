"""Entry findings remembered by content, so a catalog is checked again only where it changed.

An entry rule sees nothing but the entry's msgid, msgstr, locales, fuzzy flag and
the codes it opts out of, plus the glossary and the rules' own code and data. So
the findings of an entry are a pure function of those, and ``l10n check`` (or a
build's check stage) can keep them: the next run looks each entry up by a digest
of its content and runs the rules only on entries it has not seen. The linters
do the same (ruff and ESLint cache results by file content and settings); here
the unit is the entry, because a translator's session changes a few entries of
a big catalog.

The key is derived, never bumped by hand:

* the **run**: a digest of the source and data files of the code the rules use
  (``l10n/checks``, ``l10n/dosing``, ``l10n/drugs``, ``l10n/glossary``, the markup
  syntax and the model), the versions of the drug lexicon's package and of OpenCC
  (GL006's script tables), Python's version,
  the glossary's bytes and the active rule codes. Any of them changed: another
  cache file, so a stale finding is never served;
* the **entry**: a BLAKE2b digest of source and target locale, msgctxt, msgid,
  msgstr, flags and translator comments.

A finding is stored without what the entry gives back (file, line, msgid, msgstr,
locale), so a moved or renamed entry is still a hit. Entries where a rule crashed
are not stored. The file is :mod:`marshal` of plain tuples, written atomically
only when the run added something; a file that cannot be read is ignored, one
that cannot be written is skipped::

    cache = FindingsCache.open(cache_dir, glossary_path, glossary_bytes, codes)
    key = cache.key(source, target, msgctxt, msgid, msgstr, flags, comments)
    got = cache.get(key)            # None: not seen; else stored findings
    cache.put(key, findings)        # findings of that entry (l10n.model.Finding)
    cache.save()
"""
from __future__ import annotations

import functools
import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Iterable, Sequence

from l10n.model import Finding, Severity

__all__ = ["FindingsCache", "code_digest", "digest_files", "rehydrate", "MAX_ENTRIES"]

_FORMAT = 1
_FOLDER = "check"
KEEP = 6                    # cache files kept (one per glossary × rule selection), most recent first
MAX_ENTRIES = 400_000       # entries kept in one file; the ones this run did not see go first

_PACKAGES = ("checks", "dosing", "drugs", "glossary")
_MODULES = ("markup.py", "model.py", "locales.py")
_DATA = (".py", ".toml", ".json", ".txt")
_DISTRIBUTIONS = ("drug-named-entity-recognition", "OpenCC")   # the drug lexicon's data; GL006's script tables

_SEVERITY = {s.value: s for s in Severity}


def digest_files() -> list[Path]:
    """The source and data files whose content is part of :func:`code_digest`."""
    root = Path(__file__).resolve().parent.parent          # the l10n package
    files: list[Path] = []
    for pkg in _PACKAGES:
        for dirpath, dirnames, filenames in os.walk(root / pkg):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            files.extend(Path(dirpath) / n for n in sorted(filenames) if n.endswith(_DATA))
    files.extend(root / m for m in _MODULES)
    return files


@functools.cache
def code_digest() -> str:
    """A digest of everything an entry rule's result depends on besides the entry and the glossary."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256(f"{_FORMAT}|{sys.version}".encode())
    for p in digest_files():
        try:
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")
        except OSError:
            h.update(b"?")
    from importlib.metadata import version

    for dist in _DISTRIBUTIONS:
        try:
            h.update(f"{dist}={version(dist)}\0".encode())
        except Exception:  # noqa: BLE001 - not installed (an empty lexicon): that is part of the key too
            h.update(f"{dist}=-\0".encode())
    return h.hexdigest()


def _run_key(glossary_path: str, glossary_bytes: bytes, codes: Iterable[str]) -> str:
    h = hashlib.sha256(code_digest().encode())
    h.update(b"\0" + ",".join(sorted(codes)).encode() + b"\0")
    h.update(glossary_path.encode("utf-8", "surrogateescape") + b"\0")
    h.update(glossary_bytes)
    return h.hexdigest()[:40]


class FindingsCache:
    """The stored findings of one glossary and rule selection (see the module's docstring)."""

    def __init__(self, path: Path | None, data: dict[bytes, tuple]) -> None:
        self.path = path
        self._old = data
        self._new: dict[bytes, tuple] = {}      # entries put or used in this run
        self.hits = 0
        self.added = 0

    @property
    def known(self) -> bool:
        """Whether an earlier run stored findings for this glossary: it loaded and validated then."""
        return bool(self._old)

    @classmethod
    def open(cls, cache_dir: str | Path | None, glossary_path: str | Path, glossary_bytes: bytes,
             codes: Iterable[str]) -> FindingsCache:
        """The cache file for this glossary (path and content) and these active rule codes (empty if none yet).

        ``cache_dir`` None: a cache that remembers nothing across runs."""
        if cache_dir is None:
            return cls(None, {})
        path = Path(cache_dir) / _FOLDER / f"{_run_key(str(glossary_path), glossary_bytes, codes)}.marshal"
        data: dict[bytes, tuple] = {}
        try:
            loaded = marshal.loads(path.read_bytes())
            if isinstance(loaded, tuple) and len(loaded) == 2 and loaded[0] == _FORMAT \
                    and isinstance(loaded[1], dict):
                data = loaded[1]
        except Exception:  # noqa: BLE001 - missing, truncated or foreign: start empty
            data = {}
        return cls(path, data)

    @staticmethod
    def key(source: str, target: str, msgctxt: str | None, msgid: str, msgstr: str,
            flags: Sequence[str], comments: str | Sequence[str] | None) -> bytes:
        """The digest of what an entry rule can see of one entry."""
        if comments and not isinstance(comments, str):
            comments = "\n".join(comments)
        text = "\x1f".join((source, target, "\x04" if msgctxt is None else msgctxt, msgid, msgstr,
                            ",".join(sorted(flags)), comments or ""))
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def get(self, key: bytes) -> tuple | None:
        """The stored findings of the entry with this key (a tuple, maybe empty), or None."""
        got = self._new.get(key)
        if got is None:
            got = self._old.get(key)
            if got is not None:
                self._new[key] = got
                self.hits += 1
        return got

    def put(self, key: bytes, findings: Iterable[Finding]) -> None:
        """Remember an entry's findings (not stored if a rule crashed on it)."""
        rows = []
        for f in findings:
            if f.message.startswith("internal error in rule"):
                return
            rows.append((f.code, f.severity.value, f.message, f.term, f.extra))
        self._new[key] = tuple(rows)
        self.added += 1

    def save(self) -> None:
        """Write the file if this run added entries: this run's entries, then older ones up to MAX_ENTRIES."""
        if self.path is None or not self.added:
            return
        data = dict(self._new)
        room = MAX_ENTRIES - len(data)
        if room > 0:
            for k, v in self._old.items():
                if room <= 0:
                    break
                if k not in data:
                    data[k] = v
                    room -= 1
        from l10n.fsutil import atomic_write

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, marshal.dumps((_FORMAT, data)), durable=False)
            _prune(self.path.parent, keep=self.path.name)
        except (OSError, ValueError):
            pass                # a read-only project, a full disk: no cache this time


def rehydrate(rows: tuple, path: str, line: int, msgid: str, msgstr: str, locale: str) -> list[Finding]:
    """The findings stored for an entry, given back the entry's file, line, texts and locale."""
    return [Finding(code=code, severity=_SEVERITY[sev], path=path, line=line, message=message, msgid=msgid,
                    msgstr=msgstr, term=term, locale=locale, extra=extra)
            for code, sev, message, term, extra in rows]


def _prune(folder: Path, keep: str) -> None:
    try:
        files = [e for e in os.scandir(folder) if e.name.endswith(".marshal") and e.name != keep]
        if len(files) < KEEP:
            return
        files.sort(key=lambda e: e.stat().st_mtime_ns)
        for e in files[:len(files) - (KEEP - 1)]:
            os.unlink(e.path)
    except OSError:
        pass
