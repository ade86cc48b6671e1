"""The glossary's interchange formats: TBX (ISO 30042, what terminology tools exchange) and CSV.

Readers build :class:`~l10n.glossary.model.Concept` objects and hand them to the TOML reader's
validator (:func:`l10n.glossary.io.validated`), so a TBX or CSV file is held to the same rules
as ``locales/glossary.toml``; each problem names the file and the line of the concept (TBX:
its ``<termEntry``; CSV: its first row). Formats are function pairs in Babel's style:
``read_tbx``/``write_tbx`` (bytes), ``read_csv``/``write_csv`` (text). XML is parsed with
defusedxml: a TBX file with a DTD, entities or external references is refused.
"""
from __future__ import annotations

import csv
import io
import re
from typing import IO
from xml.etree import ElementTree as ET

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from l10n.errors import GlossaryError
from l10n.glossary.io import line_of, validated
from l10n.glossary.model import LOCALES, Concept, Glossary, Term

__all__ = ["CSV_FIELDS", "read_tbx", "write_tbx", "read_csv", "write_csv"]


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TBX_LANG = {"en": "en", "zh_TW": "zh-TW", "zh_CN": "zh-CN"}
_TBX_STATUS = {"preferred": "preferredTerm-admn-sts", "admitted": "admittedTerm-admn-sts",
               "forbidden": "deprecatedTerm-admn-sts"}
_STATUS_FROM_TBX = {
    "preferredterm": "preferred", "preferred": "preferred",
    "admittedterm": "admitted", "admitted": "admitted",
    "deprecatedterm": "forbidden", "deprecated": "forbidden", "supersededterm": "forbidden",
    "superseded": "forbidden", "forbidden": "forbidden",
}


def write_tbx(glossary: Glossary) -> bytes:
    """The glossary as TBX-Basic (``<martif type="TBX">``), UTF-8, deterministic.

    Concept type: ``<descrip type="subjectField">``; brand -> generic:
    ``<ref type="crossReference" target="…">``; strengths: ``<descrip type="strength">``;
    source: ``<admin type="source">``; dnt: ``<descrip type="Translation needed">no``
    (what Translate Toolkit and Weblate read as "do not translate"); notes: ``<note>``.
    """
    root = ET.Element("martif", {"type": "TBX", _XML_LANG: "en"})
    header = ET.SubElement(root, "martifHeader")
    desc = ET.SubElement(ET.SubElement(header, "fileDesc"), "sourceDesc")
    ET.SubElement(desc, "p").text = "l10n medical glossary (en, zh-TW, zh-CN)"
    ET.SubElement(ET.SubElement(header, "encodingDesc"), "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for c in glossary.concepts:
        entry = ET.SubElement(body, "termEntry", id=c.id)
        ET.SubElement(entry, "descrip", type="subjectField").text = c.type
        if c.generic is not None:
            ET.SubElement(entry, "ref", type="crossReference", target=c.generic).text = c.generic
        for strength in c.strengths:
            ET.SubElement(entry, "descrip", type="strength").text = strength
        if c.dnt:
            ET.SubElement(entry, "descrip", type="Translation needed").text = "no"
        if c.source:
            ET.SubElement(entry, "admin", type="source").text = c.source
        if c.note:
            ET.SubElement(entry, "note").text = c.note
        for locale in LOCALES:
            terms = c.terms_for(locale)
            if not terms:
                continue
            lang_set = ET.SubElement(entry, "langSet", {_XML_LANG: _TBX_LANG[locale]})
            for t in terms:
                tig = ET.SubElement(lang_set, "tig")
                ET.SubElement(tig, "term").text = t.text
                ET.SubElement(tig, "termNote", type="administrativeStatus").text = _TBX_STATUS[t.status]
                if t.note:
                    ET.SubElement(tig, "note").text = t.note
    ET.indent(root, "  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode()


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element: ET.Element, *, strip: bool = True) -> str:
    text = "".join(element.itertext())
    return text.strip() if strip else text


def _locale_from_lang(lang: str) -> str | None:
    lang = lang.replace("_", "-").lower()
    if lang == "en" or lang.startswith("en-"):
        return "en"
    return {"zh-tw": "zh_TW", "zh-hant": "zh_TW", "zh-hant-tw": "zh_TW",
            "zh-cn": "zh_CN", "zh-hans": "zh_CN", "zh-hans-cn": "zh_CN"}.get(lang)


def read_tbx(source: bytes | str | IO[bytes], path: str = "<tbx>") -> Glossary:
    """Read a TBX glossary (bytes, text or a binary file object) and validate it.

    Parsed with defusedxml: entity declarations (billion laughs, external
    entities/XXE) are refused with a :class:`GlossaryError`.
    """
    data = source.read() if hasattr(source, "read") else source
    raw = data if isinstance(data, str) else bytes(data).decode("utf-8", "replace")
    try:
        root = DET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except EntitiesForbidden as exc:
        external = f" (external: {exc.sysid})" if getattr(exc, "sysid", None) else ""
        raise GlossaryError(f"refusing unsafe XML: entity '{exc.name}' is declared{external}; entity "
                            "declarations are not allowed (XXE, entity expansion)",
                            path, line_of(raw, r"<!ENTITY")) from None
    except (ExternalReferenceForbidden, DTDForbidden, DefusedXmlException) as exc:
        raise GlossaryError(f"refusing unsafe XML: {exc}", path, line_of(raw, r"<!DOCTYPE")) from None
    except ET.ParseError as exc:
        raise GlossaryError(f"malformed XML: {exc}", path, exc.position[0]) from None
    if _local(root.tag) not in ("martif", "tbx"):
        raise GlossaryError(f"not a TBX file (root element <{_local(root.tag)}>)", path, 1)
    lines = [raw.count("\n", 0, m.start()) + 1 for m in re.finditer(r"<(?:[\w.-]+:)?(?:termEntry|conceptEntry)\b", raw)]
    entries = [e for e in root.iter() if _local(e.tag) in ("termEntry", "conceptEntry")]
    concepts = [_concept_from_tbx(e, lines[i] if i < len(lines) else 0, path) for i, e in enumerate(entries)]
    return validated(concepts, path)


def _concept_from_tbx(entry: ET.Element, line: int, path: str) -> Concept:
    ctype, generic, source, dnt = "", None, "", False
    strengths: list[str] = []
    notes: list[str] = []
    terms: list[Term] = []
    for child in entry:
        tag, kind = _local(child.tag), child.get("type", "")
        if tag == "descrip" and kind in ("subjectField", "conceptType"):
            ctype = _text(child)
        elif tag in ("ref", "descrip") and kind == "crossReference":
            generic = child.get("target") or _text(child)
        elif tag == "descrip" and kind == "strength":
            strengths.append(_text(child))
        elif tag == "descrip" and kind == "Translation needed":
            dnt = _text(child).lower() == "no"
        elif tag in ("admin", "descrip") and kind == "source":
            source = _text(child, strip=False)
        elif tag == "note":
            notes.append(_text(child, strip=False))
        elif tag == "langSet":
            lang = child.get(_XML_LANG) or child.get("lang") or ""
            locale = _locale_from_lang(lang)
            if locale is None:
                raise GlossaryError(f"concept '{entry.get('id', '')}': unknown locale '{lang}' "
                                    f"(expected en, zh-TW, zh-CN)", path, line)
            terms.extend(_terms_from_langset(child, locale, entry.get("id", ""), line, path))
    return Concept(id=entry.get("id", ""), type=ctype, terms=tuple(terms), generic=generic,
                   strengths=tuple(strengths), source=source, note="\n".join(notes), dnt=dnt, line=line)


def _terms_from_langset(lang_set: ET.Element, locale: str, cid: str, line: int, path: str) -> list[Term]:
    found: list[tuple[str, str | None, str]] = []
    for tig in lang_set:
        if _local(tig.tag) not in ("tig", "ntig", "termSec"):
            continue
        text, status, notes = "", None, []
        for node in tig.iter():
            tag = _local(node.tag)
            if tag == "term" and not text:
                text = _text(node)
            elif tag == "termNote" and node.get("type") == "administrativeStatus":
                value = _text(node)
                key = value.lower().replace("-admn-sts", "").replace("admnsts", "")
                if key not in _STATUS_FROM_TBX:
                    raise GlossaryError(f"concept '{cid}': {locale}: unknown status '{value}' (expected "
                                        f"{', '.join(_TBX_STATUS.values())})", path, line)
                status = _STATUS_FROM_TBX[key]
            elif tag == "note":
                notes.append(_text(node, strip=False))
        found.append((text, status, "\n".join(notes)))
    # Unmarked terms (e.g. from a tool without statuses): the first is preferred
    # if none is marked preferred, the rest are admitted.
    has_preferred = any(status == "preferred" for _, status, _ in found)
    result = []
    for text, status, note in found:
        if status is None:
            status = "admitted" if has_preferred else "preferred"
            has_preferred = True
        result.append(Term(text, locale, status, note))
    return result


# ---------------------------------------------------------------- CSV

CSV_FIELDS = ("concept_id", "type", "generic", "strengths", "source", "note", "dnt",
              "locale", "status", "term", "term_note")
_CONCEPT_FIELDS = ("type", "generic", "strengths", "source", "note", "dnt")


def write_csv(glossary: Glossary) -> str:
    """The glossary as CSV text, one row per term (``\\n`` line ends, strengths ``;``-joined)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for c in glossary.concepts:
        for t in c.terms:
            writer.writerow([c.id, c.type, c.generic or "", ";".join(c.strengths), c.source, c.note,
                             "true" if c.dnt else "", t.locale, t.status, t.text, t.note])
    return buffer.getvalue()


def read_csv(source: str | IO[str], path: str = "<csv>") -> Glossary:
    """Read a CSV glossary (text, or a text file object opened with ``newline=""``)."""
    text = source.read() if hasattr(source, "read") else source
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise GlossaryError("empty CSV file", path, 1)
        missing = [f for f in CSV_FIELDS if f not in header]
        unknown = [f for f in header if f not in CSV_FIELDS]
        if missing or unknown:
            raise GlossaryError(f"CSV header: missing {missing or 'nothing'}, unknown {unknown or 'nothing'} "
                                f"(expected {','.join(CSV_FIELDS)})", path, 1)
        groups: dict[str, tuple[int, tuple[str, ...], list[Term]]] = {}
        end = reader.line_num
        for row in reader:
            start, end = end + 1, reader.line_num
            if not row:
                continue
            if len(row) != len(header):
                raise GlossaryError(f"expected {len(header)} fields, found {len(row)}", path, start)
            record = dict(zip(header, row))
            cid = record["concept_id"].strip()
            fields = tuple(record[f] if f in ("source", "note") else record[f].strip() for f in _CONCEPT_FIELDS)
            if cid not in groups:
                groups[cid] = (start, fields, [])
            elif groups[cid][1] != fields:
                first = groups[cid][1]
                name = next(f for f, a, b in zip(_CONCEPT_FIELDS, first, fields) if a != b)
                raise GlossaryError(f"concept '{cid}': rows disagree on '{name}' (first row on line "
                                    f"{groups[cid][0]})", path, start)
            groups[cid][2].append(Term(record["term"].strip(), record["locale"].strip(),
                                       record["status"].strip(), record["term_note"]))
    except csv.Error as exc:
        raise GlossaryError(f"malformed CSV: {exc}", path, reader.line_num) from None
    concepts = [_concept_from_csv(cid, line, fields, terms, path) for cid, (line, fields, terms) in groups.items()]
    return validated(concepts, path)


def _concept_from_csv(cid: str, line: int, fields: tuple[str, ...], terms: list[Term], path: str) -> Concept:
    ctype, generic, strengths, source, note, dnt = fields
    flag = dnt.lower()
    if flag not in ("", "true", "false", "yes", "no", "1", "0"):
        raise GlossaryError(f"concept '{cid}': dnt must be true or false, not '{dnt}'", path, line)
    return Concept(id=cid, type=ctype, terms=tuple(terms), generic=generic or None,
                   strengths=tuple(s.strip() for s in strengths.split(";") if s.strip()),
                   source=source, note=note, dnt=flag in ("true", "yes", "1"), line=line)
