"""The catalog writer, in GNU gettext's layout (the fast readers are :mod:`l10n.poread`).

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

__all__ = ["field_lines", "generate_po", "entry_lines", "gnu_linebreaks", "WRAPWIDTH"]

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


UNISTRING_SONAMES = ("libunistring.so.5", "libunistring.so.2", "libunistring.so")     # newest first


@lru_cache(maxsize=1)
def _unistring() -> Callable | None:
    """libunistring's ``u8_width_linebreaks``, or None."""
    import ctypes                # here: reading and compiling catalogs do not pay for ctypes

    lib = None
    for soname in UNISTRING_SONAMES:     # the loader's own search first: find_library runs ldconfig
        try:
            lib = ctypes.CDLL(soname)
            break
        except OSError:
            continue
    if lib is None:
        import ctypes.util
        name = ctypes.util.find_library("unistring")
        if not name:
            return None
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            return None
    try:
        fn = lib.u8_width_linebreaks_v2      # what gettext 0.21+ calls (ulc_..._v2)
    except AttributeError:
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
