"""The parsed and validated glossary, cached by content in the project's ``.l10n-cache/``.

Reading and validating a 10,000-concept glossary takes ~0.35 s; loading it from
the cache ~0.05 s. The cache file is named by a hash of the glossary's bytes,
its path, and the version and files of the code that reads it, so an edited
glossary (or reader) is simply a new key: a stale entry is never used. A cache
file that cannot be read or unpacked is ignored and rewritten; one that cannot
be written (a read-only project) is skipped. Invalid glossaries are never
cached: they raise the same :class:`~l10n.errors.GlossaryError` every time.

The format is :mod:`marshal` of plain tuples (fast to write and to read, and
specific to the Python version, which is part of the key)::

    g = load_glossary_cached("locales/glossary.toml", root / ".l10n-cache")
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path

from l10n import __version__
from l10n.glossary import _toml, io, model
from l10n.glossary.model import Concept, Glossary, Term

__all__ = ["load_glossary_cached", "cache_file", "KEEP"]

_FORMAT = 1
KEEP = 8                 # glossary cache files kept (the most recently written)
_FOLDER = "glossary"


def _code_stamp() -> str:
    """The reader's identity: version, format, and the size and mtime of its source files."""
    parts = [__version__, str(_FORMAT), sys.version]
    for mod in (io, model, _toml):
        try:
            st = os.stat(mod.__file__ or "")
            parts.append(f"{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append("?")
    return "\0".join(parts)


def cache_file(cache_dir: str | Path, path: str | Path, raw: bytes) -> Path:
    """Where the glossary read from ``path`` with content ``raw`` is cached."""
    h = hashlib.sha256()
    h.update(_code_stamp().encode())
    h.update(b"\0" + str(path).encode("utf-8", "surrogateescape") + b"\0")
    h.update(raw)
    return Path(cache_dir) / _FOLDER / f"{h.hexdigest()[:40]}.marshal"


def load_glossary_cached(path: str | Path, cache_dir: str | Path | None) -> Glossary:
    """``load_glossary(path)``, from the cache in ``cache_dir`` when it holds this content.

    ``cache_dir`` None: no cache (plain ``load_glossary``).
    """
    raw = io.read_glossary_bytes(path)
    if cache_dir is None:
        return io.glossary_from_bytes(raw, path)
    f = cache_file(cache_dir, path, raw)
    try:
        return _unpack(marshal.loads(f.read_bytes()), str(path))
    except Exception:  # noqa: BLE001 - missing, truncated or foreign: read the glossary itself
        pass
    glossary = io.glossary_from_bytes(raw, path)
    _save(f, glossary)
    return glossary


def _save(f: Path, glossary: Glossary) -> None:
    from l10n.fsutil import atomic_write

    try:
        atomic_write(f, marshal.dumps(_pack(glossary)), durable=False)
        _prune(f.parent, keep=f.name)
    except (OSError, ValueError):
        pass                      # a read-only project, a full disk: no cache this time


def _prune(folder: Path, keep: str) -> None:
    """Keep the KEEP most recently written cache files (a project switching glossaries keeps each)."""
    try:
        files = [e for e in os.scandir(folder) if e.name.endswith(".marshal") and e.name != keep]
        if len(files) < KEEP:
            return
        files.sort(key=lambda e: e.stat().st_mtime_ns)
        for e in files[:len(files) - (KEEP - 1)]:
            os.unlink(e.path)
    except OSError:
        pass


def _pack(g: Glossary) -> tuple:
    return (_FORMAT, g.path, tuple(
        (c.id, c.type, c.generic, c.strengths, c.source, c.note, c.dnt, c.line,
         tuple((t.text, t.locale, t.status, t.note) for t in c.terms))
        for c in g.concepts))


def _unpack(data: tuple, path: str) -> Glossary:
    fmt, saved_path, rows = data
    if fmt != _FORMAT or saved_path != path:
        raise ValueError("not this glossary's cache")
    new = object.__new__
    concepts = []
    for cid, ctype, generic, strengths, source, note, dnt, line, term_rows in rows:
        terms = []
        for text, locale, status, tnote in term_rows:
            t = new(Term)
            t.__dict__.update(text=text, locale=locale, status=status, note=tnote)
            terms.append(t)
        c = new(Concept)
        c.__dict__.update(id=cid, type=ctype, terms=tuple(terms), generic=generic, strengths=tuple(strengths),
                          source=source, note=note, dnt=dnt, line=line)
        concepts.append(c)
    return Glossary(tuple(concepts), path=path)
