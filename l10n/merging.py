"""Merge a template into a catalog, as msgmerge does: exact matches carried over, similar
msgids carried as fuzzy (RapidFuzz, like msgmerge's similarity), the rest obsolete.

Pure: POFile objects in, a POFile out; the build's stages read and write the files.
"""
from __future__ import annotations

import os
from typing import Mapping

import polib

from . import __version__
from .catalogs import FUZZY_CUTOFF, NO_DATE, WRAPWIDTH, is_translated
from .locales import display_name, plural_forms

__all__ = ["merge"]



def _key(e: polib.POEntry) -> tuple[str | None, str]:
    return (e.msgctxt, e.msgid)


def merge(template: polib.POFile, old: polib.POFile | None, locale: str, *,
          compendium: Mapping[tuple[str | None, str], str] | None = None,
          header: Mapping[str, str] | None = None) -> polib.POFile:
    """Merge ``template`` into ``old`` like msgmerge; no translation is ever lost.

    * an unchanged msgid keeps its translation, flags and translator comments;
    * a new msgid equal to a translated one elsewhere (``compendium``) takes it;
    * a new msgid similar to an old one takes its translation marked fuzzy,
      with the old msgid kept as ``#| msgid``;
    * an old translated msgid no longer in the template becomes obsolete (``#~``).
    """
    new = polib.POFile(wrapwidth=WRAPWIDTH)
    new.metadata = _merged_header(template, old, locale, header)
    if old is not None:
        new.header = old.header
        new.metadata_is_fuzzy = old.metadata_is_fuzzy and not any(e.msgstr for e in old)
    old_entries = list(old) if old is not None else []
    used: set[int] = set()
    pending = _carry_exact(template, old_entries, new, used)
    if pending:
        _carry_similar(pending, old_entries, used, compendium)
    for o in old_entries:                       # whatever was translated and is gone
        if id(o) in used or not is_translated(o):
            continue
        ob = polib.POEntry(msgid=o.msgid, msgctxt=o.msgctxt, msgstr=o.msgstr,
                           msgid_plural=o.msgid_plural, msgstr_plural=dict(o.msgstr_plural),
                           tcomment=o.tcomment, flags=list(o.flags), obsolete=True,
                           previous_msgid=o.previous_msgid, previous_msgctxt=o.previous_msgctxt)
        new.append(ob)
    return new


def _merged_header(template: polib.POFile, old: polib.POFile | None, locale: str,
                   header: Mapping[str, str] | None) -> dict[str, str]:
    """The merged catalog's header: the template's, the catalog's translator fields and extra headers."""
    meta = dict(old.metadata) if old is not None else {}
    tmeta = template.metadata
    base = {
        "Project-Id-Version": tmeta.get("Project-Id-Version", ""),
        "Report-Msgid-Bugs-To": tmeta.get("Report-Msgid-Bugs-To", ""),
        "POT-Creation-Date": tmeta.get("POT-Creation-Date", NO_DATE),
        "PO-Revision-Date": meta.get("PO-Revision-Date", NO_DATE),
        "Last-Translator": meta.get("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
        "Language-Team": meta.get("Language-Team") or f"{display_name(locale)} <LL@li.org>",
        "Language": locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": meta.get("Plural-Forms") or plural_forms(locale),
        "X-Generator": tmeta.get("X-Generator", f"l10n {__version__}"),
        "X-Source-Language": tmeta.get("X-Source-Language", ""),
    }
    if header:
        base.update(header)
    for k, v in meta.items():                    # keep the translator's extra headers
        base.setdefault(k, v)
    return base


def _carry_exact(template: polib.POFile, old_entries: list[polib.POEntry], new: polib.POFile,
                 used: set[int]) -> list[tuple[polib.POEntry, polib.POEntry]]:
    """Each template entry into ``new``, with the old translation of the same msgid (noted in
    ``used``); the (template entry, new entry) pairs with none."""
    active = {_key(e): e for e in old_entries if not e.obsolete}
    obsolete = {_key(e): e for e in old_entries if e.obsolete}
    pending: list[tuple[polib.POEntry, polib.POEntry]] = []
    for t in template:
        if t.obsolete:
            continue
        e = polib.POEntry(msgid=t.msgid, msgctxt=t.msgctxt, msgstr="",
                          occurrences=list(t.occurrences), comment=t.comment,
                          msgid_plural=t.msgid_plural)
        if t.msgid_plural:
            e.msgstr_plural = {0: ""}
        o = active.get(_key(t)) or obsolete.get(_key(t))
        if o is not None:
            used.add(id(o))
            _carry(o, e, fuzzy=False)
            if o.previous_msgid and "fuzzy" in o.flags:
                e.previous_msgid, e.previous_msgctxt = o.previous_msgid, o.previous_msgctxt
        else:
            pending.append((t, e))
        new.append(e)
    return pending


def _carry_similar(pending: list[tuple[polib.POEntry, polib.POEntry]], old_entries: list[polib.POEntry],
                   used: set[int], compendium: Mapping[tuple[str | None, str], str] | None) -> None:
    """A new msgid takes the compendium's translation, else the closest unused old translation,
    marked fuzzy with the old msgid kept (``#| msgid``)."""
    candidates = [o for o in old_entries if id(o) not in used and is_translated(o)]
    by_ctx: dict[str | None, list[polib.POEntry]] = {}
    for o in candidates:
        by_ctx.setdefault(o.msgctxt, []).append(o)
    ids_by_ctx = {ctx: [o.msgid for o in pool] for ctx, pool in by_ctx.items()}   # built once
    fuzzy: list[tuple[polib.POEntry, polib.POEntry]] = []
    for t, e in pending:
        if compendium and _key(t) in compendium:
            e.msgstr = compendium[_key(t)]
        elif by_ctx.get(t.msgctxt):
            fuzzy.append((t, e))
    for (t, e), hit in zip(fuzzy, _best_matches([(t.msgid, ids_by_ctx[t.msgctxt]) for t, e in fuzzy])):
        if hit is None:
            continue
        o = by_ctx[t.msgctxt][hit]
        used.add(id(o))
        _carry(o, e, fuzzy=True)
        e.previous_msgid = o.msgid
        e.previous_msgctxt = o.msgctxt


def _best_matches(queries: list[tuple[str, list[str]]]) -> list[int | None]:
    """For each (msgid, candidate msgids): the index of the most similar candidate at or above
    FUZZY_CUTOFF, else None. Each query is independent of the others, and RapidFuzz releases
    the GIL while it compares, so a long list is split over two threads (both cores)."""
    from rapidfuzz import fuzz, process      # here: compiling (msgfmt's job) does not pay for its import

    def run(part: list[tuple[str, list[str]]]) -> list[int | None]:
        out: list[int | None] = []
        for msgid, ids in part:
            hit = process.extractOne(msgid, ids, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, processor=None)
            out.append(None if hit is None else hit[2])
        return out

    if len(queries) < 64 or (os.cpu_count() or 1) < 2:
        return run(queries)
    from concurrent.futures import ThreadPoolExecutor
    half = len(queries) // 2
    with ThreadPoolExecutor(2) as ex:
        first, second = ex.map(run, (queries[:half], queries[half:]))
    return first + second


def _carry(o: polib.POEntry, e: polib.POEntry, *, fuzzy: bool) -> None:
    e.msgstr = o.msgstr
    if o.msgstr_plural:
        e.msgstr_plural = dict(o.msgstr_plural)
    e.tcomment = o.tcomment
    e.flags = [f for f in o.flags if f != "fuzzy"]
    if fuzzy or "fuzzy" in o.flags:
        e.flags.append("fuzzy")
