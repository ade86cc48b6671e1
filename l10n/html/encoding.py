"""A page's bytes to text, by the HTML standard's encoding sniffing.

The order is the standard's (https://html.spec.whatwg.org/multipage/parsing.html,
"determining the character encoding"): a byte order mark wins; otherwise the
*prescan* reads the first 1,024 bytes the way a browser does — comments are
skipped, every tag's attributes are read as attributes, and only ``<meta charset>``
or ``<meta http-equiv="Content-Type" content="…charset=…">`` count (so
``data-charset="windows-1252"`` or a ``<meta charset>`` inside a comment say
nothing). Labels are looked up in the Encoding Standard's table by
``webencodings`` (the maintained implementation html5lib uses); html5lib's own
prescan lives in a private module (``html5lib._inputstream``) and returns only
the resolved encoding, not the label the page wrote nor where, which an error
message needs, so the prescan is written here, step for step after the standard.

Two choices are l10n's, not the standard's: with no BOM and no declaration the
page must be UTF-8 (a browser would guess windows-1252; l10n refuses with the
file and line instead of garbling every msgid), and a declared label that names
no encoding is refused rather than ignored.
"""
from __future__ import annotations

from dataclasses import dataclass

import webencodings

from ..errors import PageError

__all__ = ["Sniffed", "sniff", "decode_page", "PRESCAN_BYTES", "MAX_PAGE_BYTES"]

PRESCAN_BYTES = 1024
MAX_PAGE_BYTES = 10 * 2**20     # a bigger "page" is embedded data or a mistake: refused, not parsed
_SPACE = b"\t\n\x0c\r "
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"))
# the Encoding Standard's decoder for an encoding, as a Python codec: its gbk decoder *is* the
# gb18030 decoder; its big5 is Big5 with the Microsoft/HKSCS extensions (cp950 reads the pages
# Taiwanese sites serve); its windows-1252 is what latin1/iso-8859-1/ascii labels mean
_CODEC = {"gbk": "gb18030", "gb18030": "gb18030", "big5": "cp950", "windows-1252": "cp1252",
          "utf-8": "utf-8", "utf-16be": "utf-16-be", "utf-16le": "utf-16-le"}


@dataclass(frozen=True)
class Sniffed:
    """What decides a page's encoding."""

    label: str | None       # as the page wrote it (``gb2312``), None for a BOM or no declaration
    encoding: str           # the Encoding Standard's name (``gbk``, ``utf-8``)
    codec: str              # the Python codec that decodes it (``gb18030``)
    source: str             # "bom", "meta" or "default"
    offset: int = 0         # byte offset of the declaration (for a line number)
    known: bool = True      # False: the page declared a label the Encoding Standard does not know

    def described(self) -> str:
        """``declared gb2312, read as gb18030``: how an error names the encoding."""
        if self.source == "bom":
            return f"{self.encoding} byte order mark"
        if self.source == "default":
            return "no <meta charset> declares an encoding and it is not UTF-8"
        read = "" if self.label.lower() == self.codec else f", read as {self.codec} as the Encoding Standard says"
        return f"declared {self.label}{read}"


def _codec(enc: webencodings.Encoding) -> str:
    return _CODEC.get(enc.name, enc.codec_info.name)


def sniff(data: bytes) -> Sniffed:
    """The encoding of an HTML page's bytes: BOM, then the prescan of the first 1,024 bytes."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Sniffed(None, codec.replace("-be", "be").replace("-le", "le"), codec, "bom", len(bom))
    found = prescan(data[:PRESCAN_BYTES])
    if found is None:
        return Sniffed(None, "utf-8", "utf-8", "default")
    label, at = found
    enc = webencodings.lookup(label)
    if enc is None:
        return Sniffed(label, label, label, "meta", at, known=False)
    if enc.name in ("utf-16be", "utf-16le"):     # a meta cannot be right about UTF-16: the standard reads UTF-8
        enc = webencodings.lookup("utf-8")
    elif enc.name == "x-user-defined":
        enc = webencodings.lookup("windows-1252")
    return Sniffed(label, enc.name, _codec(enc), "meta", at)


def prescan(buf: bytes) -> tuple[str, int] | None:
    """The standard's "prescan a byte stream to determine its encoding": the label a
    ``<meta>`` declares and the offset of that ``<meta``, or None."""
    pos, n = 0, len(buf)
    low = buf.lower()
    while pos < n:
        if buf.startswith(b"<!--", pos):
            end = buf.find(b"-->", pos + 2)
            if end < 0:
                return None
            pos = end + 3
            continue
        if low.startswith(b"<meta", pos) and pos + 5 < n and buf[pos + 5] in b"\t\n\x0c\r /":
            start = pos
            pos += 6
            seen: set[str] = set()
            got_pragma = False
            need_pragma: bool | None = None
            charset: str | None = None
            while True:
                attr, pos = _attribute(buf, pos)
                if attr is None:
                    break
                name, value = attr
                if name in seen:
                    continue
                seen.add(name)
                if name == "http-equiv" and value == "content-type":
                    got_pragma = True
                elif name == "content" and charset is None:
                    c = _charset_in_content(value)
                    if c is not None:
                        charset, need_pragma = c, True
                elif name == "charset":
                    charset, need_pragma = value, False
            if need_pragma is None or (need_pragma and not got_pragma) or not charset:
                continue
            return charset.strip(), start
        if buf.startswith(b"<", pos) and pos + 1 < n and (
                chr(buf[pos + 1]).isascii() and chr(buf[pos + 1]).isalpha()
                or buf[pos + 1] == 0x2F and pos + 2 < n and chr(buf[pos + 2]).isascii()
                and chr(buf[pos + 2]).isalpha()):
            while pos < n and buf[pos] not in _SPACE and buf[pos] != 0x3E:
                pos += 1
            while True:
                attr, pos = _attribute(buf, pos)
                if attr is None:
                    break
            continue
        if buf.startswith((b"<!", b"</", b"<?"), pos):
            end = buf.find(b">", pos + 2)
            if end < 0:
                return None
            pos = end + 1
            continue
        pos += 1
    return None


def _attribute(buf: bytes, pos: int) -> tuple[tuple[str, str] | None, int]:
    """The standard's "get an attribute": ((name, value) or None, the position after it)."""
    n = len(buf)
    while pos < n and (buf[pos] in _SPACE or buf[pos] == 0x2F):
        pos += 1
    if pos >= n or buf[pos] == 0x3E:
        return None, pos
    name = bytearray()
    value = bytearray()
    while True:
        if pos >= n:
            return None, pos
        b = buf[pos]
        if b == 0x3D and name:
            pos += 1
            break
        if b in _SPACE:
            while pos < n and buf[pos] in _SPACE:
                pos += 1
            if pos >= n or buf[pos] != 0x3D:
                return (_s(name), ""), pos
            pos += 1
            break
        if b in b"/>":
            return (_s(name), ""), pos
        name.append(b + 0x20 if 0x41 <= b <= 0x5A else b)
        pos += 1
    while pos < n and buf[pos] in _SPACE:
        pos += 1
    if pos >= n:
        return None, pos
    b = buf[pos]
    if b in b"\"'":
        end = buf.find(bytes([b]), pos + 1)
        if end < 0:
            return None, n
        return (_s(name), _s(buf[pos + 1:end].lower())), end + 1
    if b == 0x3E:
        return (_s(name), ""), pos
    while pos < n and buf[pos] not in _SPACE and buf[pos] != 0x3E:
        c = buf[pos]
        value.append(c + 0x20 if 0x41 <= c <= 0x5A else c)
        pos += 1
    if pos >= n:
        return None, pos
    return (_s(name), _s(value)), pos


def _s(b: bytes | bytearray) -> str:
    return bytes(b).decode("latin-1")


def _charset_in_content(s: str) -> str | None:
    """The standard's "extract a character encoding from a meta element"."""
    pos = 0
    while True:
        i = s.lower().find("charset", pos)
        if i < 0:
            return None
        pos = i + 7
        while pos < len(s) and s[pos] in "\t\n\x0c\r ":
            pos += 1
        if pos < len(s) and s[pos] == "=":
            break
    pos += 1
    while pos < len(s) and s[pos] in "\t\n\x0c\r ":
        pos += 1
    if pos >= len(s):
        return None
    if s[pos] in "\"'":
        end = s.find(s[pos], pos + 1)
        return s[pos + 1:end] if end > 0 else None
    end = pos
    while end < len(s) and s[end] not in "\t\n\x0c\r ;":
        end += 1
    return s[pos:end] or None


def decode_page(data: bytes, page: str) -> str:
    """Bytes to text: a BOM or a ``<meta>`` declaration decides (the HTML standard's
    sniffing), otherwise UTF-8 is required; anything else is a :class:`PageError`."""
    if not data.strip():
        raise PageError("empty file, not an HTML page", page)
    if len(data) > MAX_PAGE_BYTES:
        raise PageError(f"page is {len(data) / 2**20:.1f} MB; l10n reads pages up to "
                        f"{MAX_PAGE_BYTES // 2**20} MB (split it, or move embedded data out of it)", page)
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PageError("binary file (NUL bytes), not an HTML page", page)
    s = sniff(data)
    body = data[s.offset:] if s.source == "bom" else data
    if not s.known:
        raise PageError(f"<meta charset> names an unknown encoding {s.label!r}", page,
                        data[:s.offset].count(b"\n") + 1)
    try:
        return body.decode(s.codec)
    except UnicodeDecodeError as e:
        at = e.start + (s.offset if s.source == "bom" else 0)
        utf16 = s.codec.startswith("utf-16")
        if s.source == "bom":
            msg = f"bytes that are not valid {s.codec} after its byte order mark: {data[at:at + 4]!r}"
        else:
            msg = f"bytes that are not valid text ({s.described()}): {data[at:at + 4]!r}"
        raise PageError(msg, page, None if utf16 else data[:at].count(b"\n") + 1) from None
