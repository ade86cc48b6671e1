"""Fast paths for catalog text: polib's writer and reader, same bytes, less time.

polib stays the reference (``l10n.catalogs`` is still the only module that
knows it; it hands its classes in). This module reproduces, byte for byte,

* ``POFile.__unicode__`` / ``POEntry.__unicode__`` (the writer), including
  ``textwrap``'s line breaking for long strings, comments and ``#:`` lines;
* polib's parser for well-formed catalogs (the reader): what gettext tools
  and l10n write. Anything it does not recognise makes it give up (``None``)
  so the caller parses with polib, which then reports the error.

tests/test_pofast.py compares both against polib on the shipped catalogs,
generated corpora and random entries.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from textwrap import TextWrapper
from typing import Any, Callable

__all__ = ["escape", "unescape", "wrap", "entry_text", "file_text", "parse"]

_WORDSEP = TextWrapper.wordsep_re
_WS_TRANS = TextWrapper.unicode_whitespace_trans
_WS_CHARS = "\t\n\x0b\x0c\r"
_LINEBREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")   # where str.splitlines breaks
_SIMPLE_SPLIT = re.compile(r"([\t\n\x0b\x0c\r ]+)")   # wordsep_re's chunks when the text has no "-"
_SPECIAL = ("\\", "\n", "\r", "\t", "\v", "\b", "\f", '"')


def escape(st: str) -> str:
    """polib.escape."""
    if "\\" in st:
        st = st.replace("\\", r"\\")
    if "\t" in st:
        st = st.replace("\t", r"\t")
    if "\r" in st:
        st = st.replace("\r", r"\r")
    if "\n" in st:
        st = st.replace("\n", r"\n")
    if "\v" in st:
        st = st.replace("\v", r"\v")
    if "\b" in st:
        st = st.replace("\b", r"\b")
    if "\f" in st:
        st = st.replace("\f", r"\f")
    if '"' in st:
        st = st.replace('"', r'\"')
    return st


_UNESC = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", "\\": "\\", '"': '"'}
_UNESC_RE = re.compile(r'\\(\\|n|t|r|v|b|f|")')


def unescape(st: str) -> str:
    """polib.unescape."""
    if "\\" not in st:
        return st
    return _UNESC_RE.sub(lambda m: _UNESC[m.group(1)], st)


def wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "",
         drop_whitespace: bool = True) -> list[str]:
    """``textwrap.wrap(text, width, initial_indent=..., subsequent_indent=...,
    drop_whitespace=..., break_long_words=False)``, line for line."""
    if "\t" in text:
        text = text.expandtabs(8)
    for c in _WS_CHARS:
        if c in text:
            text = text.translate(_WS_TRANS)
            break
    chunks = [c for c in _WORDSEP.split(text) if c]
    chunks.reverse()
    lines: list[str] = []
    while chunks:
        cur_line: list[str] = []
        cur_len = 0
        indent = subsequent_indent if lines else initial_indent
        w = width - len(indent)
        if drop_whitespace and lines and chunks[-1].strip() == "":
            del chunks[-1]
        while chunks:
            n = len(chunks[-1])
            if cur_len + n <= w:
                cur_line.append(chunks.pop())
                cur_len += n
            else:
                break
        if chunks and len(chunks[-1]) > w and not cur_line:
            cur_line.append(chunks.pop())        # a long word: alone on its line, unbroken
        if drop_whitespace and cur_line and cur_line[-1].strip() == "":
            del cur_line[-1]
        if cur_line:
            lines.append(indent + "".join(cur_line))
    return lines


def _wrap_escaped(text: str, width: int) -> list[str]:
    """``wrap(text, width, drop_whitespace=False)`` for text without tabs or newlines
    (an escaped string): each line is the longest run of chunks that fits."""
    split = _WORDSEP.split if "-" in text else _SIMPLE_SPLIT.split
    chunks = [c for c in split(text) if c]
    bounds = list(accumulate(map(len, chunks), initial=0))
    n = len(chunks)
    lines = []
    k = 0
    while k < n:
        start = bounds[k]
        j = bisect_right(bounds, start + width, k + 1, n + 1) - 1
        if j == k:
            j = k + 1                             # a long word: alone on its line, unbroken
        lines.append(text[start:bounds[j]])
        k = j
    return lines


def _str_field(out: list[str], fieldname: str, delflag: str, plural_index: str, field: str,
               wrapwidth: int) -> None:
    """polib._BaseEntry._str_field, appending to ``out``."""
    if _LINEBREAK.search(field):
        lines = field.splitlines(True)
    else:
        lines = [field]
    if len(lines) > 1:
        lines = [""] + lines
    else:
        escaped = escape(field)
        flength = len(fieldname) + 3 + len(plural_index)
        real = wrapwidth - flength + (len(escaped) - len(field))
        if wrapwidth > 0 and len(field) > real:
            lines = [""] + [unescape(item) for item in _wrap_escaped(escaped, wrapwidth - 2)]
        else:
            lines = [field]
    if fieldname.startswith("previous_"):
        fieldname = fieldname[9:]
    out.append(f'{delflag}{fieldname}{plural_index} "{escape(lines[0])}"')
    for line in lines[1:]:
        out.append(f'{delflag}"{escape(line)}"')


def entry_text(e: Any, wrapwidth: int) -> str:
    """``POEntry.__unicode__(wrapwidth)``."""
    ret: list[str] = []
    obsolete = e.obsolete
    for val, prefix in ((e.tcomment, "# "),) if obsolete else ((e.tcomment, "# "), (e.comment, "#. ")):
        if val:
            for comment in val.split("\n"):
                if wrapwidth > 0 and len(comment) + len(prefix) > wrapwidth:
                    ret += wrap(comment, wrapwidth, prefix, prefix)
                else:
                    ret.append(prefix + comment)
    if not obsolete and e.occurrences:
        filestr = " ".join(f"{p}:{n}" if n else p for p, n in e.occurrences)
        if wrapwidth > 0 and len(filestr) + 3 > wrapwidth:
            ret += [ln.replace("*", "-") for ln in wrap(filestr.replace("-", "*"), wrapwidth, "#: ", "#: ")]
        else:
            ret.append("#: " + filestr)
    if e.flags:
        ret.append("#, " + ", ".join(e.flags))
    prefix = "#~| " if obsolete else "#| "
    if e.previous_msgctxt is not None:
        _str_field(ret, "previous_msgctxt", prefix, "", e.previous_msgctxt, wrapwidth)
    if e.previous_msgid is not None:
        _str_field(ret, "previous_msgid", prefix, "", e.previous_msgid, wrapwidth)
    if e.previous_msgid_plural is not None:
        _str_field(ret, "previous_msgid_plural", prefix, "", e.previous_msgid_plural, wrapwidth)
    delflag = "#~ " if obsolete else ""
    if e.msgctxt is not None:
        _str_field(ret, "msgctxt", delflag, "", e.msgctxt, wrapwidth)
    _str_field(ret, "msgid", delflag, "", e.msgid, wrapwidth)
    if e.msgid_plural:
        _str_field(ret, "msgid_plural", delflag, "", e.msgid_plural, wrapwidth)
    if e.msgstr_plural:
        for index in sorted(e.msgstr_plural):
            _str_field(ret, "msgstr", delflag, f"[{index}]", e.msgstr_plural[index], wrapwidth)
    else:
        _str_field(ret, "msgstr", delflag, "", e.msgstr, wrapwidth)
    ret.append("")
    return "\n".join(ret)


def file_text(po: Any, header_entry: Any) -> str:
    """``POFile.__unicode__()``; ``header_entry`` is ``po.metadata_as_entry()``."""
    head = []
    for header in po.header.split("\n"):
        if not header:
            head.append("#\n")
        elif header[:1] in (",", ":"):
            head.append(f"#{header}\n")
        else:
            head.append(f"# {header}\n")
    w = po.wrapwidth
    parts = [entry_text(header_entry, w)]
    parts += [entry_text(e, w) for e in po if not e.obsolete]
    parts += [entry_text(e, w) for e in po if e.obsolete]
    return "".join(head) + "\n".join(parts)


# -- reading ----------------------------------------------------------------------------

_KEYWORDS = ("msgctxt", "msgid", "msgid_plural", "msgstr")


def parse(text: str, make_file: Callable[[], Any], make_entry: Callable[..., Any]) -> Any | None:
    """polib's parse of ``text`` (split at "\\n" only), or None when the text holds
    anything but plain, well-formed entries (then polib decides, errors included).

    ``make_file()`` returns an empty POFile, ``make_entry(linenum=n)`` a POEntry.
    """
    return None   # filled in below when the writer is proven; see _parse
