"""A small translated project for the reliability tests (source edits, crashes, locks, bad input).

``tests/fixtures/reliability/project`` has two English pages (``treatment.html``,
``side-effects.html``) and one Traditional Chinese page (``qa/ask.html``);
targets en -> zh_TW, zh_CN and zh_TW -> en, zh_CN; threshold 0 so every page is
published. :func:`translated_project` builds it and fills every catalog as a
translator would: a msgstr for every entry (placeholders kept), a translator
comment and a ``reviewed`` flag on every other entry.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import polib
from click.testing import CliRunner

from l10n import catalogs as cat
from l10n.cli import cli

FIXTURE = Path(__file__).parent / "fixtures" / "reliability" / "project"
L10N_BIN = Path(sys.executable).with_name("l10n")
PREFIX = {"zh_TW": "〔繁〕", "zh_CN": "〔简〕", "en": "[en] "}


def run(root: Path, *args: str) -> tuple[int, str, str]:
    """``l10n <args> -p root`` in this process (click's CliRunner): (exit code, stdout, stderr)."""
    res = CliRunner().invoke(cli, [*args, "-p", str(root)], catch_exceptions=False)
    return res.exit_code, res.stdout, res.stderr


def run_bin(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """``l10n <args> -p root`` as its own process."""
    return subprocess.run([str(L10N_BIN), *args, "-p", str(root)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def translation_for(locale: str, msgid: str) -> str:
    return PREFIX[locale] + msgid


def translate_catalog(path: Path, *, comments: bool = True) -> int:
    """Translate every untranslated entry of ``path``; returns how many."""
    po = cat.read_catalog(str(path))
    locale = path.parent.parent.name
    n = 0
    for i, e in enumerate(po):
        if e.obsolete or e.msgstr:
            continue
        e.msgstr = translation_for(locale, e.msgid)
        if comments and i % 2 == 0:
            e.tcomment = f"checked with Dr. Lin ({i})"
            e.flags.append("reviewed")
        n += 1
    path.write_text(cat.po_text(po), "utf-8")
    return n


def translated_project(tmp_path: Path, name: str = "proj", *, extra_pages: int = 0) -> Path:
    """A fresh, fully translated and built copy of the fixture project.

    ``extra_pages`` adds that many English pages (``more/page-N.html``, variants of
    side-effects.html) so that a run has more files to write.
    """
    root = tmp_path / name
    shutil.copytree(FIXTURE, root)
    side = (root / "source_pages" / "side-effects.html").read_text("utf-8")
    for i in range(extra_pages):
        more = root / "source_pages" / "more" / f"page-{i}.html"
        more.parent.mkdir(exist_ok=True)
        more.write_text(side.replace("methotrexate", f"drug number {i}")
                        .replace("every few weeks", f"every {i + 2} weeks"), "utf-8")
    code, out, err = run(root, "build")
    assert code == 0, err
    for po in sorted((root / "locales").glob("*/LC_MESSAGES/*.po")):
        assert translate_catalog(po) > 0
    code, out, err = run(root, "build")
    assert code == 0, err
    return root


def catalogs(root: Path) -> dict[str, polib.POFile]:
    """Every .po of the project, by path relative to the root."""
    return {p.relative_to(root).as_posix(): cat.read_catalog(str(p))
            for p in sorted((root / "locales").glob("*/LC_MESSAGES/*.po"))}


@dataclass(frozen=True)
class Work:
    """One translation as a translator left it."""

    catalog: str          # locales/<locale>/LC_MESSAGES/<domain>.po
    locale: str
    msgctxt: str | None
    msgid: str
    msgstr: str
    tcomment: str
    flags: frozenset[str]


def translations(root: Path) -> list[Work]:
    """Every translated entry (active, fuzzy or obsolete) of every catalog."""
    out = []
    for rel, po in catalogs(root).items():
        locale = rel.split("/")[1]
        for e in po:
            if e.msgstr:
                out.append(Work(rel, locale, e.msgctxt, e.msgid, e.msgstr, e.tcomment or "",
                                frozenset(f for f in e.flags if f != "fuzzy")))
    return out


def lost_translations(before: list[Work], root: Path) -> list[str]:
    """Translations of ``before`` that no catalog of their locale still holds.

    A translation is kept when an entry of the same locale has the same msgstr
    and (a) the same msgid, or (b) is fuzzy with the old msgid as ``#| msgid``,
    or (c) is obsolete (``#~``) - and, in every case, keeps the translator's
    comment and flags. The catalog may be another one when the text moved to
    another page (the compendium carries it there).
    """
    now: dict[str, list[tuple[polib.POEntry, str]]] = {}
    for rel, po in catalogs(root).items():
        for e in po:
            if e.msgstr:
                now.setdefault(e.msgstr, []).append((e, rel))
    lost = []
    for w in before:
        ok = False
        for e, rel in now.get(w.msgstr, []):
            if rel.split("/")[1] != w.locale:
                continue
            flags = frozenset(f for f in e.flags if f != "fuzzy")
            kept_notes = (e.tcomment or "") == w.tcomment and flags == w.flags
            if e.msgid == w.msgid and e.msgctxt == w.msgctxt and kept_notes:
                ok = True
            elif "fuzzy" in e.flags and e.previous_msgid == w.msgid and kept_notes:
                ok = True
            elif e.obsolete and e.msgid == w.msgid and kept_notes:
                ok = True
            if ok:
                break
        if not ok:
            lost.append(f"{w.catalog}: {w.msgid!r} -> {w.msgstr!r}")
    return lost


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the project as {relative path: bytes}, but the cache and the lock file."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if rel.startswith(".l10n-cache/") or rel == ".l10n.lock" or rel == ".l10n-cache":
            continue
        if p.is_symlink():
            out[rel] = b"-> " + os.readlink(p).encode()
        elif p.is_file():
            out[rel] = p.read_bytes()
        elif p.is_dir():
            out[rel + "/"] = b""
    return out


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


_DATES = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): [^"]*"\n', re.M)
_MO_DATES = re.compile(rb"(POT-Creation-Date|PO-Revision-Date): [^\n]*\n")


def digest(path: Path) -> str:
    """A file's content hash; catalog dates (also in the .mo header) left out: they follow the clock."""
    data = path.read_bytes()
    if path.suffix in (".po", ".pot"):
        data = _DATES.sub(b"", data)
    elif path.suffix == ".mo":
        data = _MO_DATES.sub(b"", data)
    return hashlib.sha256(data).hexdigest()
