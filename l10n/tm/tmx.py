"""TMX 1.4b, the interchange format of translation memories (Trados, memoQ, OmegaT, Weblate).

Read and written with Translate Toolkit's ``translate.storage.tmx`` — the TMX storage
Weblate relies on — rather than a parser of our own. Untrusted input is first parsed
by defusedxml, which refuses entity declarations (billion laughs) and external
references (XXE) outright; Translate Toolkit's own lxml parser then reads the file
with entity resolution and network access off.

Units are pairs: a ``<tu>`` with a source ``<tuv>`` and several targets gives one
:class:`~l10n.tm.model.TMUnit` per target. Languages are matched to the project's
locales (``en-US`` is ``en``, ``zh-Hant-TW`` and ``zh-TW`` are ``zh_TW``); a unit in a
language the project does not have is skipped and counted.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Iterable, Sequence
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException, EntitiesForbidden

from .. import __version__
from ..errors import MemoryFileError
from ..locales import bcp47, locale_for_lang
from .model import TMUnit

__all__ = ["read_tmx", "write_tmx", "TMXRead"]


@dataclass(frozen=True)
class TMXRead:
    units: tuple[TMUnit, ...]
    skipped: int                  # pairs in languages the project does not have, or empty


def _line_of(raw: str, needle: str) -> int | None:
    i = raw.find(needle)
    return None if i < 0 else raw.count("\n", 0, i) + 1


def _refuse_unsafe(data: bytes, path: str) -> None:
    """defusedxml's parse as a gate: entity declarations and external references refused."""
    raw = data.decode("utf-8", "replace")
    try:
        root = DET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except EntitiesForbidden as e:
        raise MemoryFileError(f"refusing unsafe XML: entity '{e.name}' is declared; entity declarations are "
                              "not allowed (XXE, entity expansion)", path, _line_of(raw, "<!ENTITY")) from None
    except DefusedXmlException as e:
        raise MemoryFileError(f"refusing unsafe XML: {e}", path, _line_of(raw, "<!DOCTYPE")) from None
    except ParseError as e:
        raise MemoryFileError(f"malformed XML: {e}", path, e.position[0]) from None
    if root.tag != "tmx":
        raise MemoryFileError(f"not a TMX file (root element <{root.tag}>)", path, 1)


def read_tmx(data: bytes, path: str = "<tmx>", *, locales: Sequence[str]) -> TMXRead:
    """The translation pairs of a TMX file whose languages are among ``locales``."""
    from translate.misc.xml_helpers import getXMLlang, getXMLspace
    from translate.storage.tmx import tmxfile

    _refuse_unsafe(data, path)
    try:
        store = tmxfile(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 - lxml and Translate Toolkit raise assorted errors
        raise MemoryFileError(f"not a TMX file: {e}", path) from None
    known = tuple(locales)
    header_src = store.sourcelanguage
    cache: dict[str, str | None] = {}

    def loc(lang: str | None) -> str | None:
        if not lang:
            return None
        if lang not in cache:
            cache[lang] = locale_for_lang(lang, known)
        return cache[lang]

    units: list[TMUnit] = []
    skipped = 0
    for u in store.units:
        nodes = u.getlanguageNodes()
        if len(nodes) < 2:
            continue
        space = getXMLspace(u.xmlelement, u._default_xml_space)
        srclang = u.xmlelement.get("srclang") or header_src
        texts = [(getXMLlang(n), u.getNodeText(n, space)) for n in nodes]
        src_i = next((i for i, (lang, _) in enumerate(texts) if srclang and lang and
                      lang.lower() == srclang.lower()), 0)
        s_lang, s_text = texts[src_i]
        s_loc = loc(s_lang)
        context, note = u.getcontext() or "", u.getnotes() or ""
        for i, (t_lang, t_text) in enumerate(texts):
            if i == src_i:
                continue
            t_loc = loc(t_lang)
            if s_loc is None or t_loc is None or not s_text or not t_text or s_loc == t_loc:
                skipped += 1
                continue
            units.append(TMUnit(s_loc, t_loc, s_text, t_text, context, "", note))
    return TMXRead(tuple(units), skipped)


def write_tmx(units: Iterable[TMUnit]) -> bytes:
    """TMX 1.4b bytes for ``units`` (in the order given), written by Translate Toolkit."""
    from translate.storage.tmx import tmxfile

    units = list(units)
    srcs = {u.srclang for u in units}
    store = tmxfile(sourcelanguage=bcp47(next(iter(srcs))) if len(srcs) == 1 else "*all*")
    for u in units:
        store.addtranslation(u.source, bcp47(u.srclang), u.target, bcp47(u.tgtlang),
                             comment=u.note or None, context=u.context or None)
    header = store.document.getroot().find(store.namespaced("header"))
    if header is not None:
        header.set("creationtool", "l10n")
        header.set("creationtoolversion", __version__)
    out = io.BytesIO()
    store.serialize(out)
    return out.getvalue()
