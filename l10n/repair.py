"""What ``l10n update`` and ``l10n build`` repair in a catalog they rewrite, so that they can say so.

polib reads an entry whose ``msgstr`` line was deleted as untranslated (msgfmt refuses
it: "missing 'msgstr' section"), and the merge writes it back with an empty msgstr.
The text is scanned first so that each such entry is named, ``file:line``: by ``update``
before it merges every catalog (:func:`find_repairs`), by the build's merge stage in the
catalog it merges (:func:`repairs_in`, :func:`l10n.build.stages.domain_task`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

__all__ = ["Repair", "missing_msgstr", "repairs_in", "find_repairs"]

_MSGID = re.compile(r'^msgid "(.*)"\s*$')


@dataclass(frozen=True)
class Repair:
    path: str          # relative to the project
    line: int          # the msgid's line
    msgid: str         # its first line, as written in the file

    def message(self) -> str:
        return (f"{self.path}:{self.line}: repaired: msgid \"{self.msgid}\" had no msgstr line; "
                "written back with an empty msgstr (untranslated)")


def missing_msgstr(text: str | bytes) -> list[tuple[int, str]]:
    """(line, first line of the msgid) of every active entry with a msgid and no msgstr (a file's
    bytes are decoded only when it has fewer msgstr lines than msgid lines)."""
    # counted, not parsed: cheap enough for every catalog a build merges
    if isinstance(text, bytes):
        if _one_msgstr_each(b"\n" + text, b"\nmsgid ", b"\nmsgstr ", b"\nmsgstr[0]"):
            return []
        text = text.decode("utf-8", errors="replace")
    elif _one_msgstr_each("\n" + text, "\nmsgid ", "\nmsgstr ", "\nmsgstr[0]"):
        return []                                   # the usual case: one msgstr per msgid
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for i, ln in enumerate(text.split("\n"), 1):
        m = _MSGID.match(ln)
        if m:
            if pending is not None:
                out.append(pending)
            pending = (i, m.group(1))
        elif ln.startswith("msgstr"):
            pending = None
    if pending is not None:
        out.append(pending)
    return out


def _one_msgstr_each(t, msgid, msgstr, msgstr_n) -> bool:
    return t.count(msgid) == t.count(msgstr) + t.count(msgstr_n)


def repairs_in(text: str | bytes, path: str) -> list[Repair]:
    """The repairs a rewrite of the catalog ``path`` (relative to the project) whose text is ``text`` makes."""
    return [Repair(path, line, msgid) for line, msgid in missing_msgstr(text)]


def find_repairs(paths: Iterable[Path], rel: Callable[[Path], str]) -> list[Repair]:
    """The entries without a msgstr line in the catalogs at ``paths`` (unreadable ones skipped:
    reading them again reports those)."""
    out = []
    for p in paths:
        try:
            text = Path(p).read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        out.extend(repairs_in(text, rel(p)))
    return out
