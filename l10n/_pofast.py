"""The catalog writer, in GNU gettext's layout, and fast catalog readers: polib's twin, and a scan
that gives compiling only what a ``.mo`` needs (:func:`scan`).

Writing
-------
GNU gettext (msgmerge, msgcat, msgfmt) wraps strings at 79 columns, counting East
Asian wide characters as two columns, breaking after spaces and between CJK
characters but never before closing or after opening punctuation. Writing the same
way means a catalog that passes through msgcat or msgmerge comes back unchanged
(tests/test_po_format.py holds every shipped catalog and random ones to msgcat).

gettext finds the places where a line may break with the Unicode line breaking
algorithm (UAX #14, libunistring); this writer knows the part of it that the text
of web pages meets — spaces, CJK, hyphens and slashes, the punctuation in
``NO_BREAK_BEFORE``/``NO_BREAK_AFTER`` — and none of the rest (quotation marks
next to CJK, a letter right after ``.`` or ``,``, control characters...; see the
tests for the alphabet that is held to msgcat). It computes the lines with
whole-string operations (20,000 entries in 0.4 s; one character at a time took 3.4 s):

* each character is mapped (``str.translate``, cached per character) to a class
  letter standing for the facts the line breaker asks about it — space, no break
  before (even after a space?), no break after, hyphen or slash, digit, East
  Asian wide, escaped;
* the places where a line may break are the matches of one regex over the class
  string (``_break_regex``: the rules as character classes);
* the greedy line filling walks from break to break with prefix sums of the
  column widths and ``bisect``, instead of one step per character.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from typing import Any, Callable, Iterator

__all__ = ["field_lines", "generate_po", "parse"]

WRAPWIDTH = 79
_NO_WRAP = sys.maxsize          # an entry flagged "no-wrap": gettext breaks its strings at "\n" only

ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r",
           "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v"}
NO_BREAK_BEFORE = frozenset("，。、；：？！）」』】》〉〕…‥％・,.;:?!)]}%’”»›/-")    # "-" "/": after CJK
# ... and of those, the ones gettext does not break before even after a space
# (UAX #14 rule LB13: closing punctuation, "!" and "?", infix separators, "/")
NO_BREAK_EVEN_AFTER_SPACE = frozenset("，。、？！）」』】》〉〕,.;:?!)]}/")
NO_BREAK_AFTER = frozenset("（「『【《〈〔([{‘“«‹")

_ESC_TABLE = {ord(k): v for k, v in ESCAPES.items()}

# the facts about one character, as bits
_S, _NBB, _NBA, _HS, _D, _W, _E, _NBS = 1, 2, 4, 8, 16, 32, 64, 128
# _S space, _NBB no break before it (but after a space), _NBS not even after a space (with _NBB),
# _NBA no break after it, _HS hyphen or slash, _D digit, _W East Asian wide, _E written as a
# two-character escape (no other fact applies)


def _bits(ch: str) -> int:
    if ch == "\n":                  # ends its portion, and gettext never breaks right before it
        return _E | _NBB | _NBS
    if ch in ESCAPES:
        return _E
    b = 0
    if ch == " ":
        b |= _S
    if ch in NO_BREAK_BEFORE:
        b |= _NBB
    if ch in NO_BREAK_EVEN_AFTER_SPACE:
        b |= _NBB | _NBS
    if ch in NO_BREAK_AFTER:
        b |= _NBA
    if ch in "-/":
        b |= _HS
    if ch.isdigit():
        b |= _D
    if unicodedata.east_asian_width(ch) in "WF":
        b |= _W
    return b


# one ASCII letter for each combination of facts that _bits can give (ASCII: translate's fast path)
_COMBINATIONS = [b for b in range(256) if (not b & _E or b in (_E, _E | _NBB | _NBS))
                 and (not b & _NBS or b & _NBB)]
_LETTER = {b: chr(k) for k, b in enumerate(_COMBINATIONS)}
assert len(_LETTER) <= 128


class _Classes(dict):
    """ord(ch) -> class letter, computed on first sight of each character."""

    def __missing__(self, key: int) -> str:
        v = self[key] = _LETTER[_bits(chr(key))]
        return v


_CLASSES = _Classes()


def _cls(pred) -> str:
    return re.escape("".join(letter for b, letter in _LETTER.items() if pred(b)))


def _break_regex() -> re.Pattern:
    """The positions between two characters where a line may break."""
    sp = _cls(lambda b: b & _S)
    after_sp = _cls(lambda b: not b & _S and not b & _NBS)
    prev_ok = _cls(lambda b: not b & _S and not b & _NBA)
    next_ok = _cls(lambda b: not b & _S and not b & _NBB)
    hs_prev = _cls(lambda b: not b & _S and not b & _NBA and b & _HS)
    hs_next = _cls(lambda b: not b & _S and not b & _NBB and not b & _D and not b & _HS)
    w_prev = _cls(lambda b: not b & _S and not b & _NBA and b & _W)
    w_next = _cls(lambda b: not b & _S and not b & _NBB and b & _W)
    return re.compile(
        f"(?<=[{sp}])(?=[{after_sp}])"        # after a space (not before another, nor before "," ")" ...)
        f"|(?<=[{hs_prev}])(?=[{hs_next}])"   # after - or / (not before a digit, - or /: UAX #14 HY, SY)
        f"|(?<=[{w_prev}])(?=[{next_ok}])"    # after a wide character
        f"|(?<=[{prev_ok}])(?=[{w_next}])")   # before a wide character


_BREAKS = _break_regex()
_LAST_BREAK = re.compile("(?s).*(?:" + _BREAKS.pattern + ")")     # .end(): the last break in the window
_WIDTH = {letter: (2 if b & (_W | _E) else 1) for b, letter in _LETTER.items()}
_TWO_COLUMNS = re.compile("[" + _cls(lambda b: b & (_W | _E)) + "]")
_SPACES = re.compile(" *")


def _wrap(value: str, classes: str, width: int, lead: int = 0) -> list[str]:
    """One portion of a string (up to and with a "\\n"), its class letters, the room on a line:
    the escaped lines, each as full as the breaks allow. ``lead``: the spaces the portion
    starts with, which gettext does not break after."""
    n = len(value)
    if _TWO_COLUMNS.search(classes):
        prefix = list(accumulate(map(_WIDTH.__getitem__, classes), initial=0))
    else:
        prefix = None                              # one column a character: prefix[k] == k
    lines: list[str] = []
    start = 0
    i = lead + 1 if lead else 0                    # where the scan for a break resumes
    while True:
        # the first character that no longer fits on the line
        over = start + width if prefix is None else bisect_right(prefix, prefix[start] + width) - 1
        if over >= n:
            break
        if over < i:
            over = i
        m = _LAST_BREAK.match(classes, max(i, start + 1), over + 1)
        if m is not None:                          # the last break seen since the scan resumed
            b = m.end()
            i = over
        else:                                      # none yet: the line runs to the next one
            m = _BREAKS.search(classes, over + 1)
            if m is None:
                break
            b = i = m.start()
        lines.append(value[start:b])
        start = b
    lines.append(value[start:])
    if _ESC_RE.search(value):
        return [ln.translate(_ESC_TABLE) for ln in lines]
    return lines


# -- gettext's own line breaker ---------------------------------------------------------------
# GNU gettext (write-po.c, wrap()) asks libunistring's u8_width_linebreaks where to break the
# escaped string: UAX #14 with every character's line breaking class, East Asian widths, and no
# break inside an escape sequence nor inside a UTF-8 sequence. Where libunistring is installed
# (it is wherever gettext's tools are), the writer asks it the same question and so writes what
# msgcat writes; elsewhere the approximation above serves.
_UC_BREAK_PROHIBITED, _UC_BREAK_POSSIBLE = 1, 2
_CONT_BYTES = bytes(_UC_BREAK_PROHIBITED if 0x80 <= b < 0xC0 else 0 for b in range(256))
_ESC_PAIR = re.compile(rb"\\.", re.S)


@lru_cache(maxsize=1)
def _unistring() -> Callable | None:
    """libunistring's ``u8_width_linebreaks``, or None."""
    import ctypes.util           # here: reading and compiling catalogs do not pay for ctypes (~15 ms)

    name = ctypes.util.find_library("unistring")
    if not name:
        return None
    try:
        fn = ctypes.CDLL(name).u8_width_linebreaks_v2      # what gettext 0.21+ calls (ulc_..._v2)
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                   ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p]
    fn.restype = ctypes.c_int
    return fn


def gnu_linebreaks() -> bool:
    """Whether the writer breaks lines with libunistring, as GNU gettext does."""
    return _unistring() is not None


def _gnu_wrap(fn: Callable, portion: str, width: int, startcol: int, last_newline: bool) -> list[str]:
    """write-po.c's wrap() of one portion (up to and with a "\\n"): the escaped pieces."""
    import ctypes                # loaded by _unistring() already: a dictionary look-up
    data = (portion.translate(_ESC_TABLE) if _ESC_RE.search(portion) else portion).encode("utf-8")
    n = len(data)
    over = bytearray(data.translate(_CONT_BYTES))       # no break inside a UTF-8 sequence
    if b"\\" in data:
        for m in _ESC_PAIR.finditer(data):              # nor inside an escape sequence
            over[m.start() + 1] = _UC_BREAK_PROHIBITED
    if last_newline and n >= 2:
        over[n - 2] = _UC_BREAK_PROHIBITED               # nor right before the closing "\\n"
    res = bytearray(n)
    fn(data, n, width, startcol, 0, bytes(over), b"UTF-8", (ctypes.c_char * n).from_buffer(res))
    pieces = []
    start = 0
    i = res.find(_UC_BREAK_POSSIBLE)
    while i >= 0:
        if i > start:
            pieces.append(data[start:i].decode("utf-8"))
            start = i
        i = res.find(_UC_BREAK_POSSIBLE, i + 1)
    pieces.append(data[start:].decode("utf-8"))
    return pieces


def _gnu_field_lines(fn: Callable, keyword: str, value: str, prefix: str, wrapwidth: int) -> list[str]:
    """write-po.c's wrap(), not indented, for one field."""
    width = wrapwidth - 2 - len(prefix)
    out = [f'{prefix}{keyword} ""']            # gettext's empty first line, when the first would break
    pos, n = 0, len(value)
    while True:
        j = value.find("\n", pos)
        end = n if j < 0 else j + 1
        portion = value[pos:end]
        pieces = _gnu_wrap(fn, portion, width, 0, portion.endswith("\n"))
        if pos == 0 and end >= n and len(pieces) == 1:
            # one portion that fits a continuation line: gettext first tries it after 'msgid "'
            first = _gnu_wrap(fn, portion, width, len(keyword) + 1, portion.endswith("\n"))
            if len(first) == 1:
                return [f'{prefix}{keyword} "{first[0]}"']
        out.extend(f'{prefix}"{p}"' for p in pieces)
        pos = end
        if pos >= n:
            return out


def field_lines(keyword: str, value: str, prefix: str = "", wrapwidth: int = WRAPWIDTH) -> list[str]:
    """``keyword "value"`` as gettext writes it, wrapped at ``wrapwidth`` columns: on one line
    when it fits (or cannot be broken), else ``keyword ""`` and a line for each piece, with a
    new line after each "\\n". ``prefix``: "#~ " (obsolete), "#| " (previous)..."""
    head = f"{prefix}{keyword} "
    single = "\n" not in value[:-1]              # one portion: no newline but maybe a last one
    if value.isascii():
        if single:
            escaped = value.translate(_ESC_TABLE) if _ESC_RE.search(value) else value
            if len(head) + 2 + len(escaped) <= wrapwidth:
                return [f'{head}"{escaped}"']
    elif single and len(head) + 2 + 2 * len(value) <= wrapwidth:     # no character is wider than two
        return [f'{head}"{value.translate(_ESC_TABLE) if _ESC_RE.search(value) else value}"']
    fn = _unistring() if wrapwidth < _NO_WRAP else None
    if fn is not None:
        return _gnu_field_lines(fn, keyword, value, prefix, wrapwidth)
    classes = value.translate(_CLASSES)
    if not value.isascii() and single and len(head) + 2 + sum(map(_WIDTH.__getitem__, classes)) <= wrapwidth:
        return [f'{head}"{value.translate(_ESC_TABLE)}"']
    width = wrapwidth - 2 - len(prefix)
    lead = _SPACES.match(value).end() if value[:1] == " " else 0
    if single:
        lines = _wrap(value, classes, width, lead)
        if len(lines) == 1 and _BREAKS.search(classes, lead + 1) is None:
            return [f'{head}"{lines[0]}"']          # too long, but no place to break it: on one line
        return [f'{head}""'] + [f'{prefix}"{line}"' for line in lines]
    out = [f'{head}""']
    pos = 0
    n = len(value)
    while pos < n:                                 # portions end after each "\n"
        j = value.find("\n", pos)
        end = n if j < 0 else j + 1
        for line in _wrap(value[pos:end], classes[pos:end], width, lead):
            out.append(f'{prefix}"{line}"')
        pos = end
        lead = _SPACES.match(value, pos).end() - pos if value[pos:pos + 1] == " " else 0
    return out


_ESC_RE = re.compile('[\\\\"\n\t\r\a\b\f\v]')


def _comment_lines(tag: str, text: str) -> list[str]:
    return [f"#{tag} {ln}".rstrip() if ln else f"#{tag}" for ln in text.split("\n")]


def _references(occurrences, wrapwidth: int = WRAPWIDTH) -> list[str]:
    out: list[str] = []
    line = "#:"
    for p, ln in occurrences:
        r = f"{p}:{ln}" if ln else p
        if line != "#:" and len(line) + 1 + len(r) > wrapwidth:
            out.append(line)
            line = "#:"
        line += " " + r
    if line != "#:":
        out.append(line)
    return out


def entry_lines(e: Any) -> list[str]:
    """The lines of one entry (a polib.POEntry), comments first."""
    out: list[str] = []
    if e.tcomment:
        out += _comment_lines("", e.tcomment)
    if e.comment:
        out += _comment_lines(".", e.comment)
    if e.occurrences and not e.obsolete:
        out += _references(e.occurrences)
    width = WRAPWIDTH
    if e.flags:
        flags = (["fuzzy"] if "fuzzy" in e.flags else []) + [f for f in e.flags if f != "fuzzy"]
        out.append("#, " + ", ".join(flags))
        if "no-wrap" in flags:
            width = _NO_WRAP
    pfx = "#~ " if e.obsolete else ""
    prev = "#~| " if e.obsolete else "#| "
    if e.previous_msgctxt is not None:
        out += field_lines("msgctxt", e.previous_msgctxt, prev, width)
    if e.previous_msgid is not None:
        out += field_lines("msgid", e.previous_msgid, prev, width)
    if e.msgctxt is not None:
        out += field_lines("msgctxt", e.msgctxt, pfx, width)
    out += field_lines("msgid", e.msgid, pfx, width)
    if e.msgid_plural:
        out += field_lines("msgid_plural", e.msgid_plural, pfx, width)
        for k in sorted(e.msgstr_plural):
            out += field_lines(f"msgstr[{k}]", e.msgstr_plural[k], pfx, width)
    else:
        out += field_lines("msgstr", e.msgstr, pfx, width)
    return out


def generate_po(po: Any) -> Iterator[str]:
    """The lines of a catalog (a polib.POFile) as GNU gettext writes them, without their
    newlines (a pure generator): header comment, header entry, the entries, obsolete ones last."""
    if po.header:
        yield from _comment_lines("", po.header)
    if po.metadata_is_fuzzy:
        yield "#, fuzzy"
    yield 'msgid ""'
    header = "".join(f"{k}: {v}\n" for k, v in po.ordered_metadata())
    yield from field_lines("msgstr", header)
    for e in [e for e in po if not e.obsolete] + [e for e in po if e.obsolete]:
        yield ""
        yield from entry_lines(e)


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
