"""Fast catalog readers: polib's twin (:func:`parse`, polib objects for the catalogs gettext
tools and l10n write; None hands anything else back to polib) and a scan that gives compiling
only what a ``.mo`` needs (:func:`scan`, no polib objects). The writer is :mod:`l10n._pofast`.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from ._pofast import WRAPWIDTH

__all__ = ["parse", "scan", "unescape", "header_metadata"]

# -- reading -------------------------------------------------------------------------------
#
# polib's parser is a table-driven state machine that pays for a method lookup, a
# regex and an exception handler on every line, and builds each entry through
# keyword arguments: 2.5 ms for a 60-entry catalog, 0.7 s for 20,000 entries. The
# loop below does the same for the catalogs gettext tools and l10n write, and hands
# back None on anything else (odd comment lines, msgstr[10], a second header...),
# so that polib, the reference, reads those — and reports their errors.

_ENTRY_KEYS = ("msgid", "msgstr", "msgid_plural", "msgstr_plural", "msgctxt", "obsolete", "encoding",
               "comment", "tcomment", "occurrences", "flags", "previous_msgctxt", "previous_msgid",
               "previous_msgid_plural", "linenum")


class _Bail(Exception):
    pass


_UNESC = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", "\\": "\\", '"': '"'}
_UNESC_RE = re.compile(r'\\(\\|n|t|r|v|b|f|")')


def unescape(st: str) -> str:
    """polib.unescape."""
    if "\\" not in st:
        return st
    return _UNESC_RE.sub(lambda m: _UNESC[m.group(1)], st)


def parse(text: str, pofile_cls: Any, poentry_cls: Any, *, wrapwidth: int, encoding: str) -> Any | None:
    """``polib.pofile(text + "\n", wrapwidth=..., check_for_duplicates=True)`` for a catalog whose
    lines are split at "\n" only, or None when polib must decide."""
    try:
        return _parse(text, pofile_cls, poentry_cls, wrapwidth, encoding)
    except _Bail:
        return None


def _new_entry(cls: Any, linenum: int) -> Any:
    e = cls.__new__(cls)
    e.__dict__.update(msgid="", msgstr="", msgid_plural="", msgstr_plural={}, msgctxt=None, obsolete=False,
                      encoding="utf-8", comment="", tcomment="", occurrences=[], flags=[],
                      previous_msgctxt=None, previous_msgid=None, previous_msgid_plural=None, linenum=linenum)
    return e


_KW = {"msgctxt": "ct", "msgid": "mi", "msgstr": "ms", "msgid_plural": "mp"}
_PREV = {"msgid_plural": "pp", "msgid": "pm", "msgctxt": "pc"}
# polib's transitions: symbol -> states it may come from (others raise)
_ALL = {"st", "he", "gc", "oc", "fl", "ct", "pc", "pm", "pp", "tc", "ms", "mp", "mx", "mi"}
_FROM = {
    "ct": {"st", "he", "gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mx"},
    "mi": {"st", "he", "gc", "oc", "fl", "ct", "tc", "pc", "pm", "pp", "ms", "mx"},
    "mp": {"tc", "gc", "pc", "pm", "pp", "mi"},
    "ms": {"mi", "mp", "tc"},
    "mx": {"mi", "mx", "mp", "tc"},
    "mc": {"ct", "mi", "mp", "ms", "mx", "pm", "pp", "pc"},
}


def _parse(text: str, pofile_cls: Any, poentry_cls: Any, wrapwidth: int, encoding: str) -> Any:
    entries: list = []
    keys: set = set()

    def append(e: Any) -> None:
        k = (e.msgctxt, e.msgid)
        if k in keys:
            raise _Bail             # a duplicate: polib raises, with its message
        if not e.obsolete:
            keys.add(k)
        entries.append(e)

    state = "st"
    cur = _new_entry(poentry_cls, 0)
    header = ""
    msgstr_index = 0
    last_first = ""
    lineno = 0
    for raw in text.split("\n"):
        lineno += 1
        if lineno == 1 and raw.startswith("\ufeff"):
            raw = raw[1:]
        line = raw.strip()
        if not line:
            continue
        first = line.split(None, 1)[0]
        obsolete = 0
        if first == "#~|":
            last_first = first
            continue
        if first == "#~":
            rest = line[3:].strip() if len(line) > 2 else ""
            if not rest:
                last_first = first        # "#~" alone: polib's tc path; rare, let it decide
                raise _Bail
            line = rest
            first = line.split(None, 1)[0]
            obsolete = 1
        last_first = first
        c0 = line[0]
        if c0 == "m":                     # a keyword (the most frequent line: kept inline)
            if first in _KW and len(line) > len(first):
                sym = _KW[first]
                value = line[len(first):].lstrip()
                if value[:1] != '"' or len(value) < 2:
                    raise _Bail
                if state not in _FROM[sym]:
                    raise _Bail
                if sym in ("ct", "mi") and state in ("ms", "mx"):
                    append(cur)
                    cur = _new_entry(poentry_cls, lineno)
                v = unescape(value[1:-1])
                if sym == "ct":
                    cur.msgctxt = v
                elif sym == "mi":
                    cur.obsolete = obsolete
                    cur.msgid = v
                elif sym == "mp":
                    cur.msgid_plural = v
                else:
                    cur.msgstr = v
                state = sym
                continue
            if line[:7] == "msgstr[":
                if state not in _FROM["mx"] or line[8:9] != "]" or not line[7].isdigit():
                    raise _Bail
                q = line.find('"')
                if q < 0:
                    raise _Bail
                msgstr_index = int(line[7])
                cur.msgstr_plural[msgstr_index] = unescape(line[q + 1:-1])
                state = "mx"
                continue
            raise _Bail
        if c0 == '"':                     # a continuation
            if state not in _FROM["mc"]:
                raise _Bail
            _continue(cur, state, unescape(line[1:-1]), msgstr_index)
            continue
        if c0 != "#" or obsolete:
            raise _Bail
        if state in ("st", "he") and (first == "#" or first.startswith("##")):
            header = (header + "\n" if header != "" else "") + ("# " if line == "#" else line)[2:]
            state = "he"
            continue
        state, cur = _comment(line, first, state, cur, lineno, append, poentry_cls, msgstr_index)
    if last_first and not last_first.startswith("#"):
        append(cur)
    return _catalog(pofile_cls, entries, header, wrapwidth, encoding)


def _comment(line: str, first: str, state: str, cur: Any, lineno: int, append: Callable[[Any], None],
             poentry_cls: Any, msgstr_index: int) -> tuple[str, Any]:
    """A comment line of an entry (``#:``, ``#.``, ``#,``, ``#``, ``#|``): the parser's next state
    and current entry (a new one when the line starts the next entry)."""
    if first == "#:" or first == "#." or first == "#,":     # references, extracted comment, flags
        if line == first:               # nothing after it: polib skips the line
            return state, cur
        if state in ("ms", "mx"):
            append(cur)
            cur = _new_entry(poentry_cls, lineno)
        if first == "#:":
            for occ in line[3:].split():
                fil, sep, num = occ.rpartition(":")
                cur.occurrences.append((fil, num) if sep and num.isdigit() else (occ, ""))
            return "oc", cur
        if first == "#.":
            cur.comment = (cur.comment + "\n" if cur.comment != "" else "") + line[3:]
            return "gc", cur
        cur.flags += [f.strip() for f in line[3:].split(",")]
        return "fl", cur
    if first == "#" or first.startswith("##"):
        if state == "ct":               # polib has no translator comment after a msgctxt
            raise _Bail
        if state in ("ms", "mx"):
            append(cur)
            cur = _new_entry(poentry_cls, lineno)
        tc = ("# " if line == "#" else line).lstrip("#")
        if tc.startswith(" "):
            tc = tc[1:]
        cur.tcomment = (cur.tcomment + "\n" if cur.tcomment != "" else "") + tc
        return "tc", cur
    if first == "#|":
        toks = line.split(None, 2)
        if len(toks) <= 1:
            raise _Bail
        rest = line[2:].lstrip()
        if toks[1].startswith('"'):
            if state not in _FROM["mc"]:
                raise _Bail
            _continue(cur, state, unescape(rest[1:-1]), msgstr_index)
            return state, cur
        if len(toks) == 2 or toks[1] not in _PREV:
            raise _Bail
        sym = _PREV[toks[1]]
        if state in ("ms", "mx"):
            append(cur)
            cur = _new_entry(poentry_cls, lineno)
        v = unescape(rest[len(toks[1]):].lstrip()[1:-1])
        if sym == "pm":
            cur.previous_msgid = v
        elif sym == "pc":
            cur.previous_msgctxt = v
        else:
            cur.previous_msgid_plural = v
        return sym, cur
    raise _Bail


def _catalog(pofile_cls: Any, entries: list, header: str, wrapwidth: int, encoding: str) -> Any:
    """The polib POFile of the parsed ``entries`` and ``header`` comment (its header entry taken out)."""
    po = pofile_cls.__new__(pofile_cls)
    list.__init__(po)
    po.__dict__.update(fpath=None, wrapwidth=78, encoding=encoding, check_for_duplicates=True, header=header,
                       metadata={}, metadata_is_fuzzy=0)
    heads = [e for e in entries if not e.obsolete and e.msgid == ""]
    if len(heads) > 1:
        raise _Bail
    list.extend(po, entries)
    if heads:
        h = heads[0]
        list.remove(po, h) if po[0] is not h else list.__delitem__(po, 0)
        po.metadata_is_fuzzy = h.flags
        po.metadata = header_metadata(h.msgstr)
    po.wrapwidth = wrapwidth
    return po


def header_metadata(msgstr: str) -> dict[str, str]:
    """The header entry's msgstr as polib's ``metadata`` (one "Key: value" a line; a line
    without a colon continues the value before it)."""
    key = None
    meta: dict[str, str] = {}
    for msg in msgstr.splitlines():
        try:
            key, val = msg.split(":", 1)
            meta[key] = val.strip()
        except (ValueError, KeyError):
            if key is not None:
                meta[key] += "\n" + msg.strip()
    return meta


def _continue(cur: Any, state: str, token: str, msgstr_index: int) -> None:
    if state == "ct":
        cur.msgctxt += token
    elif state == "mi":
        cur.msgid += token
    elif state == "mp":
        cur.msgid_plural += token
    elif state == "ms":
        cur.msgstr += token
    elif state == "mx":
        cur.msgstr_plural[msgstr_index] += token
    elif state == "pp":
        cur.previous_msgid_plural += token
    elif state == "pm":
        cur.previous_msgid += token
    elif state == "pc":
        cur.previous_msgctxt += token


# -- scanning for msgfmt ---------------------------------------------------------------------
#
# Compiling needs of each entry only its msgctxt, msgid, msgstr and whether it is fuzzy. For a
# catalog in the layout gettext tools and l10n write, one regex match an entry gives them, with
# no entry object and no loop over lines (20,000 entries: 0.1 s of CPU; parse() and the checks
# before it took 0.8 s). The grammar is a strict subset of what ``_parse`` reads without handing
# over to polib and of what catalogs._check_syntax/_check_strings let through — keywords and
# strings at the start of their lines, only the escapes polib knows, comments before the
# keywords — so that a catalog it reads gives what ``parse`` gives, and a match of every entry
# is the syntax check. Obsolete entries (``#~``) at the end are read by ``_parse`` itself. On
# anything else (plural forms, a duplicate, an odd line...) it gives None and the caller parses.

_QS = r'"[^\n]*"(?:\n"[^\n]*")*'                      # a string and its continuation lines, loosely:
_Q = r'"[^"\\\n]*(?:\\[\\"ntrbfv][^"\\\n]*)*"'     # ... checked strictly (only the escapes polib knows)
_QS_STRICT = re.compile(f"{_Q}(?:\\n{_Q})*")              # when one holds a quote or a backslash
_UNIT = re.compile(
    r"((?:#(?:[.:,]?(?: [^\n]*)?)?\n"                      # comments: "# ", "#.", "#:", "#,", ...
    r'|#\| (?:msgctxt|msgid|msgid_plural) "[^\n]*\n(?:#\| "[^\n]*\n)*)*)'   # ... "#| msgid" (previous)
    f"(?:msgctxt ({_QS})\\n)?"
    f"msgid ({_QS})\\n"
    f"msgstr ({_QS})(?:\\n+|\\Z)")


def _text_of(q: str) -> str | None:
    """The value of a string and its continuation lines (matched by ``_QS``); None when one of them
    is not a well-formed string."""
    s = q[1:-1].replace('"\n"', "") if "\n" in q else q[1:-1]     # a raw newline only between lines
    if "\\" in s or '"' in s:
        if _QS_STRICT.fullmatch(q) is None:
            return None
        return unescape(s)
    return s


class _Rows(list):
    """What ``_parse`` fills in for :func:`_obsolete_tail` (in place of polib's classes)."""


class _Row:
    pass


_NOT_A_COMMENT = re.compile(r"^[^#\n]", re.M)
_ODD_ESCAPE = re.compile(r'\\[^\\"ntrbfv]')         # (a superset of) an escape polib does not know


def _obsolete_tail(tail: str, keys: set) -> list[tuple[str | None, str, str, str, bool, bool, int]] | None:
    """The rows of the obsolete entries (``#~``) that end a catalog, read by ``_parse``; None
    unless every line of ``tail`` is a comment and every entry obsolete, with no escape polib does
    not know and no plural form (what ``_check_strings`` refuses in ``#~`` lines) and none that
    repeats the key of an entry before it (a duplicate, as in ``_parse``)."""
    if "msgstr[" in tail or _NOT_A_COMMENT.search(tail) or ("\\" in tail and _ODD_ESCAPE.search(tail)):
        return None
    try:
        entries = _parse(tail, _Rows, _Row, WRAPWIDTH, "utf-8")
    except _Bail:
        return None
    if not entries or entries.metadata_is_fuzzy != 0:
        # no entry: comments after the last one, which polib may drop; a header (the flags of one, a
        # list, in place of 0): an entry with no "#~ msgid" line, active, with an empty msgid
        return None
    rows = []
    for e in entries:
        if not e.obsolete or (e.msgctxt, e.msgid) in keys:
            return None
        rows.append((e.msgctxt, e.msgid, "", e.msgstr, False, True, 0))
    return rows


def scan(text: str) -> tuple[str | None, list[tuple[str | None, str, str, str, bool, bool, int]]] | None:
    """The header's msgstr (None without a header) and, for each other entry in file order,
    ``(msgctxt, msgid, "", msgstr, fuzzy, obsolete, offset of its msgid line)`` (the rows the
    compiler reads: no msgid_plural; obsolete ones not fuzzy, offset 0); None when ``parse``
    must read the catalog (see above). What ``parse`` would give, for what this reads."""
    n = len(text)
    pos = len(text) - len(text.lstrip("\n"))
    match = _UNIT.match
    units: list[tuple[str | None, str, str, str, bool, bool, int]] = []
    keys: set[tuple[str | None, str]] = set()
    header = None
    while pos < n:
        m = match(text, pos)
        if m is None:
            obsolete = _obsolete_tail(text[pos:], keys) if text[pos] == "#" else None
            if obsolete is None:
                return None
            units += obsolete
            break
        comments, ctx, mid, mstr = m.groups()
        msgid = _text_of(mid)
        msgstr = _text_of(mstr)
        if ctx is not None:
            ctx = _text_of(ctx)
            if ctx is None:
                return None
        if msgid is None or msgstr is None:
            return None
        if not msgid:
            if units or header is not None or ctx is not None:
                return None                 # a second header, a header not first, one with a msgctxt
            header = msgstr
            pos = m.end()
            continue
        key = (ctx, msgid)
        if key in keys:
            return None                     # a duplicate: the parser words the error
        keys.add(key)
        fuzzy = False
        if "#," in comments:
            for ln in comments.split("\n"):
                s = ln.strip()
                if s[:2] == "#," and s != "#," and "fuzzy" in [f.strip() for f in s[3:].split(",")]:
                    fuzzy = True
        units.append((ctx, msgid, "", msgstr, fuzzy, False, m.start(3) - 6))
        pos = m.end()
    return header, units
