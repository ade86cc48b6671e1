"""Read and write the glossary's reviewed source, TOML, and validate any glossary read.

Every reader (this TOML one; TBX and CSV in :mod:`l10n.glossary.interchange`) builds
:class:`~l10n.glossary.model.Concept` objects and hands them to one validator
(:func:`validated`), so a TBX or CSV file is held to the same rules as
``locales/glossary.toml``. Each problem is a :class:`~l10n.errors.GlossaryError` naming
the file and the line of the concept (TOML: its ``[[concept]]`` header).

Functions in Babel's style: ``parse_glossary``/``dump_glossary`` (text);
``load_glossary(path)`` (through ``read_glossary_bytes``) is the only function that opens a file;
``l10n.glossary.cache.load_glossary_cached`` keeps its result in ``.l10n-cache/``.
TOML is read by rtoml (``_toml``; TOML 1.1, ~5x faster than tomllib); what it refuses, tomllib
reads again to word the error with its line.
"""
from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable


from l10n.errors import GlossaryError
from l10n.glossary import _toml
from l10n.glossary.model import CONCEPT_TYPES, DRUG_TYPES, LOCALES, STATUSES, Concept, Glossary, Term

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "STRENGTH_RE", "load_glossary", "parse_glossary", "dump_glossary", "concept_toml", "validated", "line_of",
]

STRENGTH_RE = re.compile(r"\d+(?:\.\d+)?(?:%| (?:mg|g|mcg|µg|IU|mL)(?:/(?:mL|g))?)\Z")
_ID_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LOCALE_LIKE = re.compile(r"[a-z]{2}(?:[_-][A-Za-z]{2,4})*\Z")
_CONCEPT_KEYS = ("id", "type", "generic", "strengths", "dnt", "source", "note", *LOCALES)


# ---------------------------------------------------------------- validation

def _where(concept: Concept, index: int) -> str:
    return f"concept '{concept.id}': " if concept.id else f"concept #{index + 1}: "


def _claim_key(term: Term) -> tuple[str, str]:
    return (term.locale, term.text.casefold() if term.locale == "en" else term.text)


def _expand_dnt(concept: Concept) -> Concept:
    """A do-not-translate concept given only in ``en`` has the same terms everywhere."""
    en = concept.terms_for("en")
    if not concept.dnt or not en:
        return concept
    extra = tuple(
        Term(t.text, locale, t.status, t.note)
        for locale in LOCALES if locale != "en" and not concept.terms_for(locale)
        for t in en
    )
    return replace(concept, terms=concept.terms + extra)


_LOCALE_SET = frozenset(LOCALES)
_STATUS_SET = frozenset(STATUSES)
_TYPE_SET = frozenset(CONCEPT_TYPES)
_CONTROL_IN_NOTE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")    # _CONTROL without tab and newline


def _concept_ok(c: Concept) -> bool:
    """True when ``_check_concept`` has nothing to say: every check, in one pass (the usual case)."""
    cid = c.id
    if not cid or not _ID_RE.match(cid) or c.type not in _TYPE_SET or not c.terms:
        return False
    preferred: dict[str, str] = {}
    locales = set()
    seen = set()
    for t in c.terms:
        locale, status, text = t.locale, t.status, t.text
        if locale not in _LOCALE_SET or status not in _STATUS_SET:
            return False
        if not text or text != text.strip() or _CONTROL.search(text):
            return False
        if t.note and _CONTROL_IN_NOTE.search(t.note):
            return False
        key = (locale, text.casefold() if locale == "en" else text)
        if key in seen:
            return False
        seen.add(key)
        locales.add(locale)
        if status == "preferred":
            if locale in preferred:
                return False
            preferred[locale] = text
    if len(preferred) != len(locales):
        return False
    if (c.source and _CONTROL_IN_NOTE.search(c.source)) or (c.note and _CONTROL_IN_NOTE.search(c.note)):
        return False
    if c.dnt and len(set(preferred.values())) > 1:
        return False
    if c.generic is not None and c.type != "brand":
        return False
    if c.type == "brand" and not c.generic:
        return False
    if c.type in DRUG_TYPES and not c.source.strip():
        return False
    return all(STRENGTH_RE.match(s) for s in c.strengths)


def _check_concept(c: Concept, index: int, path: str) -> None:
    if _concept_ok(c):
        return

    def fail(message: str) -> GlossaryError:
        return GlossaryError(_where(c, index) + message, path, c.line)

    if not c.id:
        raise fail("missing 'id'")
    if not _ID_RE.match(c.id):
        raise fail("malformed id (use lower-case letters, digits and '-', starting with a letter)")
    if not c.type:
        raise fail("missing 'type'")
    if c.type not in CONCEPT_TYPES:
        raise fail(f"unknown type '{c.type}' (expected one of: {', '.join(CONCEPT_TYPES)})")
    if not c.terms:
        raise fail("no terms in any locale")
    for t in c.terms:
        if t.locale not in LOCALES:
            raise fail(f"unknown locale '{t.locale}' (expected one of: {', '.join(LOCALES)})")
        if t.status not in STATUSES:
            raise fail(f"{t.locale}: unknown status '{t.status}' (expected one of: {', '.join(STATUSES)})")
        if not t.text.strip() or t.text != t.text.strip() or _CONTROL.search(t.text):
            raise fail(f"{t.locale}: empty term, or spaces around it, or a control character: {t.text!r}")
        if _CONTROL.search(t.note.replace("\n", "").replace("\t", "")):
            raise fail(f"{t.locale}: control character in the note of '{t.text}'")
    for name, value in (("source", c.source), ("note", c.note)):
        if _CONTROL.search(value.replace("\n", "").replace("\t", "")):
            raise fail(f"control character in '{name}'")
    for locale in LOCALES:
        terms = c.terms_for(locale)
        if not terms:
            continue
        preferred = [t.text for t in terms if t.status == "preferred"]
        if not preferred:
            raise fail(f"no preferred term in {locale}")
        if len(preferred) > 1:
            raise fail(f"more than one preferred term in {locale}: {', '.join(preferred)}")
        seen: set[tuple[str, str]] = set()
        for t in terms:
            if _claim_key(t) in seen:
                raise fail(f"{locale} term '{t.text}' is listed twice")
            seen.add(_claim_key(t))
    if c.dnt:
        texts = {c.preferred(locale) for locale in LOCALES if c.terms_for(locale)}
        if len(texts) > 1:
            raise fail("dnt concept has different preferred terms: " + ", ".join(sorted(t or "" for t in texts)))
    if c.generic is not None and c.type != "brand":
        raise fail(f"'generic' is only for brands (this concept is a {c.type})")
    if c.type == "brand" and not c.generic:
        raise fail("brand has no 'generic'")
    if c.type in DRUG_TYPES and not c.source.strip():
        raise fail(f"a drug ({c.type}) needs a 'source': where its names were verified "
                   "(a label, a pharmacopoeia, a regulator's register)")
    for strength in c.strengths:
        if not STRENGTH_RE.match(strength):
            raise fail(f"malformed strength '{strength}' (expected e.g. 0.1%, 500 mg, 1 g, 5 mg/mL)")


def _check_links(concepts: Sequence[Concept], path: str) -> None:
    first: dict[str, Concept] = {}
    for index, c in enumerate(concepts):
        if c.id in first:
            raise GlossaryError(f"{_where(c, index)}duplicate id (first defined on line {first[c.id].line})", path, c.line)
        first[c.id] = c
    claims: dict[tuple[str, str], Concept] = {}
    for index, c in enumerate(concepts):
        if c.type == "brand" and c.generic:
            target = first.get(c.generic)
            if target is None:
                raise GlossaryError(f"{_where(c, index)}brand links to missing generic '{c.generic}'", path, c.line)
            if target.type != "generic":
                raise GlossaryError(
                    f"{_where(c, index)}brand links to '{c.generic}', which is a {target.type}, not a generic",
                    path, c.line)
        for t in c.terms:
            if t.status == "forbidden":
                continue
            other = claims.setdefault(_claim_key(t), c)
            if other is c:
                continue
            pair = {c.generic, other.generic} & {c.id, other.id}
            kind = "a brand and its generic may not share a term; " if pair else ""
            raise GlossaryError(
                f"{_where(c, index)}{kind}{t.locale} term '{t.text}' is already claimed by "
                f"concept '{other.id}' (line {other.line})", path, c.line)


def validated(concepts: Iterable[Concept], path: str) -> Glossary:
    """The glossary of ``concepts`` read from ``path``: dnt concepts expanded, everything validated
    (a :class:`GlossaryError` naming file and line), each concept's terms in order. Every reader
    (TOML here, TBX and CSV in :mod:`l10n.glossary.interchange`) ends here."""
    done = [_expand_dnt(c) for c in concepts]
    for index, c in enumerate(done):
        _check_concept(c, index, path)
    _check_links(done, path)
    order = {(loc, st): (i, j) for i, loc in enumerate(LOCALES) for j, st in enumerate(STATUSES)}
    out = []
    for c in done:
        keys = [order[t.locale, t.status] for t in c.terms]
        if any(a > b for a, b in zip(keys, keys[1:])):     # usually in order already (TOML's layout)
            c = replace(c, terms=tuple(sorted(c.terms, key=lambda t: order[t.locale, t.status])))
        out.append(c)
    return Glossary(tuple(out), path=path)


# ---------------------------------------------------------------- TOML

def load_glossary(path: str | Path) -> Glossary:
    """Read and validate the glossary file at ``path`` (UTF-8 TOML)."""
    return glossary_from_bytes(read_glossary_bytes(path), path)


def read_glossary_bytes(path: str | Path) -> bytes:
    """The bytes of the glossary file at ``path`` (GlossaryError if it cannot be read)."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise GlossaryError(f"cannot read glossary: {exc.strerror or exc}", path) from None


def glossary_from_bytes(raw: bytes, path: str | Path) -> Glossary:
    """The glossary in ``raw``, the bytes of the file at ``path`` (UTF-8 TOML), validated."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GlossaryError("glossary is not UTF-8", path, raw[:exc.start].count(b"\n") + 1) from None
    return parse_glossary(text, str(path))


def parse_glossary(text: str, path: str = "<string>") -> Glossary:
    """Parse and validate glossary TOML text; ``path`` is only used in messages."""
    text = text.removeprefix("\ufeff")
    data = _toml.loads(text)        # rtoml; what it refuses goes to tomllib, which words the error
    if data is None:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            message, line = _toml_error(str(exc), text)
            raise GlossaryError(f"TOML syntax error: {message}", path, line) from None
    for key in data:
        if key != "concept":
            raise GlossaryError(f"unknown top-level key '{key}' (only [[concept]] tables)", path,
                                line_of(text, rf"^[ \t]*\[*[ \t]*\"?{re.escape(key)}\b"))
    tables = data.get("concept", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise GlossaryError("'concept' must be an array of tables ([[concept]])", path,
                            line_of(text, r"^[ \t]*concept\b"))
    headers = _header_lines(text)
    concepts = [_concept_from_toml(t, i, headers[i] if i < len(headers) else 0, path)
                for i, t in enumerate(tables)]
    return validated(concepts, path)


# A [[concept]] header: where r"^[ \t]*" + this matches with re.M (found by its "[[", not line by line).
_CONCEPT_HEADER = re.compile(r"\[\[[ \t]*\"?concept\"?[ \t]*\]\]")


def _header_lines(text: str) -> list[int]:
    """The line of each [[concept]] header, counting newlines once (not from 0 each time)."""
    headers = []
    line, pos = 1, 0
    for m in _CONCEPT_HEADER.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        if text[start:m.start()].strip(" \t"):
            continue                # not at the start of its line (only spaces and tabs before)
        line += text.count("\n", pos, start)
        pos = start
        headers.append(line)
    return headers


def _toml_error(message: str, text: str) -> tuple[str, int | None]:
    m = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
    if m:
        return message[:m.start()], int(m.group(1))
    m = re.search(r"\s*\(at end of document\)$", message)
    if m:
        return message[:m.start()] + " at end of file", text.count("\n") + 1
    return message, None


def line_of(text: str, pattern: str) -> int | None:
    """The line of the first match of ``pattern`` (multi-line) in ``text``, or None."""
    m = re.search(pattern, text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else None


_CONCEPT_KEY_SET = frozenset(_CONCEPT_KEYS)


def _concept_from_toml_fast(raw: dict[str, Any], line: int) -> Concept | None:
    """``_concept_from_toml`` for a table with nothing to complain about and plain-string terms; else None."""
    if not _CONCEPT_KEY_SET.issuperset(raw):
        return None
    cid, ctype = raw.get("id"), raw.get("type")
    source, note = raw.get("source", ""), raw.get("note", "")
    if type(cid) is not str or type(ctype) is not str or type(source) is not str or type(note) is not str:
        return None
    generic = raw.get("generic")
    if generic is not None and type(generic) is not str:
        return None
    strengths = raw.get("strengths", [])
    if type(strengths) is not list or not all(type(x) is str for x in strengths):
        return None
    dnt = raw.get("dnt", False)
    if type(dnt) is not bool:
        return None
    terms: list[Term] = []
    for locale in LOCALES:
        table = raw.get(locale)
        if table is None:
            continue
        if type(table) is not dict or not table:
            return None
        for status, value in table.items():
            if status == "preferred":
                if type(value) is not str:
                    return None
                terms.append(_term(value, locale, status))
            elif status == "admitted" or status == "forbidden":
                if type(value) is not list:
                    return None
                for item in value:
                    if type(item) is not str:
                        return None
                    terms.append(_term(item, locale, status))
            else:
                return None
    c = _new(Concept)       # Concept(...), field by field (a frozen dataclass's __init__ is slow)
    c.__dict__.update(id=cid, type=ctype, terms=tuple(terms), generic=generic, strengths=tuple(strengths),
                      source=source, note=note, dnt=dnt, line=line)
    return c


_new = object.__new__


def _term(text: str, locale: str, status: str) -> Term:
    """``Term(text, locale, status)``, built as its ``__init__`` would (twice as fast)."""
    t = _new(Term)
    t.__dict__.update(text=text, locale=locale, status=status, note="")
    return t


def _concept_from_toml(raw: dict[str, Any], index: int, line: int, path: str) -> Concept:
    fast = _concept_from_toml_fast(raw, line)
    if fast is not None:
        return fast
    cid = raw.get("id")
    label = f"concept '{cid}': " if isinstance(cid, str) and cid else f"concept #{index + 1}: "

    def fail(message: str) -> GlossaryError:
        return GlossaryError(label + message, path, line)

    for key in raw:
        if key in _CONCEPT_KEYS:
            continue
        if _LOCALE_LIKE.match(key):
            raise fail(f"unknown locale '{key}' (expected one of: {', '.join(LOCALES)})")
        raise fail(f"unknown key '{key}' (expected one of: {', '.join(_CONCEPT_KEYS)})")
    for key in ("id", "type"):
        if key not in raw:
            raise fail(f"missing '{key}'")

    def string(key: str, default: str = "") -> str:
        value = raw.get(key, default)
        if not isinstance(value, str):
            raise fail(f"'{key}' must be a string")
        return value

    strengths = raw.get("strengths", [])
    if not isinstance(strengths, list) or not all(isinstance(s, str) for s in strengths):
        raise fail("'strengths' must be a list of strings")
    dnt = raw.get("dnt", False)
    if not isinstance(dnt, bool):
        raise fail("'dnt' must be true or false")
    generic = string("generic") if "generic" in raw else None
    terms: list[Term] = []
    for locale in LOCALES:
        if locale in raw:
            terms.extend(_terms_from_toml(raw[locale], locale, fail))
    return Concept(id=string("id"), type=string("type"), terms=tuple(terms), generic=generic,
                   strengths=tuple(strengths), source=string("source"), note=string("note"),
                   dnt=dnt, line=line)


def _terms_from_toml(table: Any, locale: str, fail: Callable[[str], GlossaryError]) -> list[Term]:
    if not isinstance(table, dict):
        raise fail(f"{locale} must be a table, e.g. {locale} = {{ preferred = \"...\" }}")
    if not table:
        raise fail(f"no preferred term in {locale}")
    terms = []
    for status, value in table.items():
        if status not in STATUSES:
            raise fail(f"{locale}: unknown status '{status}' (expected one of: {', '.join(STATUSES)})")
        if status == "preferred":
            if isinstance(value, list):
                raise fail(f"{locale}: 'preferred' is one term, not a list")
            values = [value]
        elif isinstance(value, list):
            values = value
        else:
            raise fail(f"{locale}: '{status}' must be a list of terms")
        for item in values:
            if isinstance(item, str):
                terms.append(Term(item, locale, status))
            elif isinstance(item, dict) and isinstance(item.get("text"), str) \
                    and isinstance(item.get("note", ""), str) and set(item) <= {"text", "note"}:
                terms.append(Term(item["text"], locale, status, item.get("note", "")))
            else:
                raise fail(f"{locale}: a {status} term must be a string or {{ text = \"...\", note = \"...\" }}")
    return terms


_HEADER = """\
# The l10n medical glossary: the reviewed source of truth for drug names and
# medical terms in English (en), Traditional Chinese for Taiwan (zh_TW) and
# Simplified Chinese for mainland China (zh_CN).
#
# One [[concept]] table per concept, sorted by type (generic, brand, drug-class,
# condition, procedure, anatomy, department, organization, publication, term),
# then by id:
#
#   id        = "protopic"            lower-case letters, digits and '-'
#   type      = "brand"               see CONCEPT_TYPES in l10n/glossary/model.py
#   generic   = "tacrolimus"          brands only: the id of the generic concept
#   strengths = ["0.03%", "0.1%"]     marketed strengths: 0.1%, 500 mg, 1 g, 5 mg/mL
#   dnt       = true                  do not translate: same text in every locale
#                                     (a dnt concept may give only `en`)
#   source    = "..."                 where the names were verified (every drug)
#   note      = "..."                 anything a reviewer or translator should know
#   en / zh_TW / zh_CN = { preferred = "...", admitted = [...], forbidden = [...] }
#       preferred: the one term to use; admitted: also acceptable;
#       forbidden: wrong here (often the other region's term). A term may be
#       written { text = "...", note = "..." } to carry a note.
#
# A term may belong to only one concept per locale (en compared ignoring case).
# `l10n.glossary.dump_glossary` writes this layout; comments other than this
# header are not kept, so put remarks in `note`.
"""


def _q(value: str) -> str:
    """A TOML basic string (JSON's escapes are a subset of TOML's)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_term(term: Term) -> str:
    return f"{{ text = {_q(term.text)}, note = {_q(term.note)} }}" if term.note else _q(term.text)


def _locale_line(concept: Concept, locale: str) -> str | None:
    terms = concept.terms_for(locale)
    if not terms:
        return None
    if concept.dnt and locale != "en":
        en = concept.terms_for("en")
        if [(t.text, t.status, t.note) for t in terms] == [(t.text, t.status, t.note) for t in en]:
            return None
    parts = []
    for status in STATUSES:
        chosen = [t for t in terms if t.status == status]
        if status == "preferred" and chosen:
            parts.append(f"preferred = {_toml_term(chosen[0])}")
        elif chosen:
            parts.append(f"{status} = [{', '.join(_toml_term(t) for t in chosen)}]")
    return f"{locale} = {{ {', '.join(parts)} }}"


def _sort_key(concept: Concept) -> tuple[int, str]:
    rank = CONCEPT_TYPES.index(concept.type) if concept.type in CONCEPT_TYPES else len(CONCEPT_TYPES)
    return rank, concept.id


def dump_glossary(glossary: Glossary) -> str:
    """The glossary as TOML text in the canonical layout (sorted by type, then id)."""
    out = [_HEADER]
    current = None
    for c in sorted(glossary.concepts, key=_sort_key):
        if c.type != current:
            current = c.type
            out.append(f"\n# {'=' * 8} {c.type} {'=' * (60 - len(c.type))}\n")
        out.append(concept_toml(c))
    return "".join(out)


def concept_toml(c: Concept) -> str:
    """One ``[[concept]]`` table as ``dump_glossary`` writes it (a blank line first)."""
    lines = ["", "[[concept]]", f"id = {_q(c.id)}", f"type = {_q(c.type)}"]
    if c.generic is not None:
        lines.append(f"generic = {_q(c.generic)}")
    if c.strengths:
        lines.append(f"strengths = [{', '.join(_q(s) for s in c.strengths)}]")
    if c.dnt:
        lines.append("dnt = true")
    if c.source:
        lines.append(f"source = {_q(c.source)}")
    if c.note:
        lines.append(f"note = {_q(c.note)}")
    lines.extend(line for line in (_locale_line(c, loc) for loc in LOCALES) if line)
    return "\n".join(lines) + "\n"
