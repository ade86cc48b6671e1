"""Read and write .pot/.po/.mo, statistics; merging a template into a catalog is
:mod:`l10n.merging`.

Formatting is separate from writing: ``po_text(pofile)`` is pure, the callers write bytes
atomically.
"""
from __future__ import annotations

import array
import operator
import re
import struct
import sys
from dataclasses import dataclass, field
from itertools import accumulate
from operator import itemgetter
from typing import TYPE_CHECKING, Callable, Collection, Iterable, Iterator, Mapping, Sequence

import polib

from . import __version__, _pofast, poread
from .errors import CatalogError
from .markup import check_balance
from .model import CatalogView, Entry, Segment, Stats

if TYPE_CHECKING:
    from .config import Config

__all__ = [
    "WRAPWIDTH", "FUZZY_CUTOFF", "Stats", "CompileResult", "build_template", "read_catalog",
    "parse_catalog", "po_text", "generate_po", "compile_catalog", "compile_file", "compile_files",
    "compile_file_task", "mo_bytes", "read_mo", "stats", "iter_entries", "source_locale_of", "translations",
    "nplurals_of", "catalog_view", "is_translated", "NO_DATE",
]

WRAPWIDTH = 79          # msgmerge/msgfmt's default page width
FUZZY_CUTOFF = 60.0     # similarity (0-100) below which no fuzzy match is made (msgmerge: 0.6)
NO_DATE = "YEAR-MO-DA HO:MI+ZONE"     # a header date not yet set (xgettext's)


@dataclass(frozen=True)
class CompileResult:
    mo: bytes | None                      # None when the catalog has errors
    stats: Stats
    errors: tuple[str, ...] = field(default=())   # "path:line: message"


# -- templates ------------------------------------------------------------------

def build_template(segments: Iterable[Segment], *, source_locale: str, project: str = "l10n",
                   version: str = "1.0", bugs_address: str = "",
                   creation_date: str = NO_DATE) -> polib.POFile:
    """A template (.pot) for the segments of one domain, in page order."""
    pot = polib.POFile(wrapwidth=WRAPWIDTH)
    pot.metadata = {
        "Project-Id-Version": f"{project} {version}",
        "Report-Msgid-Bugs-To": bugs_address,
        "POT-Creation-Date": creation_date,
        "PO-Revision-Date": NO_DATE,
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": f"l10n {__version__}",
        "X-Source-Language": source_locale,
    }
    by_key: dict[tuple[str | None, str], polib.POEntry] = {}
    places: dict[tuple[str | None, str], list[str]] = {}
    for seg in segments:
        key = (seg.msgctxt, seg.msgid)
        e = by_key.get(key)
        if e is None:
            e = polib.POEntry(msgid=seg.msgid, msgstr="", msgctxt=seg.msgctxt)
            by_key[key] = e
            places[key] = []
            pot.append(e)
        if (seg.page, str(seg.line)) not in e.occurrences:
            e.occurrences.append((seg.page, str(seg.line)))
        note = seg.place + (f": {seg.comment}" if seg.comment else "")
        if note not in places[key]:
            places[key].append(note)
    for key, e in by_key.items():
        e.comment = ", ".join(places[key])
    return pot


# -- reading ------------------------------------------------------------------------

_POLIB_LINE = re.compile(r"\(line (\d+)\)")


_PO_LINE = re.compile(r'(?:(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])[ \t]+)?"(?:[^"\\]|\\.)*"[ \t]*')


# A line that may fail _check_syntax (a superset: one whole-text search, then the exact loop), searched
# for in "\n" + text: a pattern that starts with "\n" is tried at line starts only (one starting with
# "^" was tried at every character: twice the time).
_MAYBE_BAD_LINE = re.compile(r'\n[^\S\n]*(?!#)(?!(?:(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])[ \t]+)?'
                             r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"[^\S\n]*$)\S', re.M)   # the string unrolled: 2x faster


def _check_syntax(text: str, path: str) -> None:
    """Refuse what msgfmt refuses and polib lets through (silently losing text):
    an unterminated string, a keyword without a quoted string, stray text."""
    if not _MAYBE_BAD_LINE.search("\n" + text):
        return
    for i, ln in enumerate(text.split("\n"), 1):
        s = ln.strip()
        if s and not s.startswith("#") and not _PO_LINE.fullmatch(s):
            raise CatalogError(f"syntax error: {_short(s, 40)!r} is not a quoted string or a "
                               "keyword followed by one", path, i)


_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(.)")
_POLIB_ESCAPES = frozenset('\\"ntrbfv')       # what polib.unescape turns into characters
_MAYBE_BAD_ESCAPE = re.compile(r'\\[^\\"ntrbfv]')


def _check_strings(text: str, path: str) -> None:
    """Refuse what msgfmt refuses and polib reads silently wrong: an escape polib does
    not know (``\\q`` stays backslash-q, ``\\101`` stays four characters), and a
    ``msgstr[N]`` given twice in one entry (polib keeps the last one)."""
    if "msgstr[" not in text and not _MAYBE_BAD_ESCAPE.search(text):
        return                                   # no plural forms, no backslash before an unknown letter
    seen: set[str] = set()
    for i, ln in enumerate(text.split("\n"), 1):
        s = ln.strip()
        if s.startswith("#~"):
            s = s[2:].lstrip()
        elif s.startswith("#"):
            continue
        if s.startswith(("msgid ", "msgctxt ")):
            seen = set()
        elif s.startswith("msgstr["):
            n = s[7:s.index("]")] if "]" in s else ""
            if n in seen:
                raise CatalogError(f"msgstr[{n}] given twice in one entry", path, i)
            seen.add(n)
        for m in _STRING.finditer(s):
            for e in _ESCAPE.finditer(m.group(1)):
                if e.group(1) not in _POLIB_ESCAPES:
                    raise CatalogError(f"invalid escape sequence '\\{e.group(1)}' in a string (known: "
                                       '\\n \\t \\r \\b \\f \\v \\\\ \\"; write other characters as '
                                       "themselves)", path, i)


def _check_plurals(po: polib.POFile, path: str, text: str, count: bool = True) -> None:
    """Plural forms numbered 0..n-1, as many as the Plural-Forms header's nplurals
    (the count only when ``count``: ``l10n check`` reports it as GL027)."""
    nplurals = _plural_header(po.metadata, path, text)
    for e in po:
        if e.obsolete or not e.msgid_plural:
            continue
        keys = sorted(e.msgstr_plural)
        if keys != list(range(len(keys))):
            raise CatalogError("plural forms must be numbered from msgstr[0] without a gap; found "
                               f"{', '.join(f'msgstr[{k}]' for k in keys)}", path, e.linenum)
        if count and nplurals is not None and any(e.msgstr_plural.values()) and len(keys) != nplurals:
            raise CatalogError(f"{len(keys)} plural forms, but Plural-Forms says nplurals={nplurals}",
                               path, e.linenum)


def _plural_header(metadata: Mapping[str, str], path: str, text: str) -> int | None:
    """The nplurals of the Plural-Forms header (None without one, or with a template's INTEGER);
    CatalogError, with the header's line, when it is malformed."""
    pf = metadata.get("Plural-Forms")
    if not pf or "INTEGER" in pf:                  # INTEGER: an xgettext template's placeholder
        return None
    m = re.search(r"nplurals\s*=\s*(\d+)\s*;", pf)
    if not m or "plural=" not in pf.replace(" ", ""):
        line = next((i for i, ln in enumerate(text.split("\n"), 1) if '"Plural-Forms:' in ln), None)
        raise CatalogError(f"malformed Plural-Forms header {pf!r} (want e.g. "
                           "'nplurals=2; plural=(n != 1);')", path, line)
    return int(m.group(1))


class _PoText(str):
    """Catalog text that polib splits at "\\n" only. str.splitlines() also breaks at U+2028,
    U+0085, \\x1c-\\x1e..., which polib writes unescaped inside strings: text was lost."""

    def splitlines(self, keepends: bool = False) -> list[str]:  # type: ignore[override]
        return self.split("\n")


class _KeyedPOFile(polib.POFile):
    """polib's duplicate check in O(1) a message: polib's own ``entry in self`` scans every
    entry, so reading 20k entries took 30 s. Same rule, same error: an entry whose
    (msgctxt, msgid) an earlier non-obsolete entry has is a duplicate."""

    def append(self, entry: polib.POEntry) -> None:
        keys = self.__dict__.setdefault("_keys", set())
        key = (entry.msgctxt, entry.msgid)
        if key in keys:
            raise ValueError('Entry "%s" already exists' % entry.msgid)
        if not entry.obsolete:
            keys.add(key)
        list.append(self, entry)


def parse_catalog(text: str, path: str, *, plural_count: bool = True) -> polib.POFile:
    """Parse .po/.pot text; CatalogError with the file and line on bad input.

    ``plural_count=False`` accepts plural entries whose number of forms differs from
    the Plural-Forms header (msgfmt --check refuses them; ``l10n check`` reports GL027)."""
    _check_syntax(text, path)
    _check_strings(text, path)
    # polib's parse, 3x faster, for what gettext tools write (tests/test_pofast.py: same objects);
    # anything unusual goes to polib itself, which also words the errors
    po = poread.parse(text, polib.POFile, polib.POEntry, wrapwidth=WRAPWIDTH,
                       encoding=polib.detect_encoding(_PoText(text + "\n")))
    if po is not None:
        _msgid_lines(po, text)
        _check_plurals(po, path, text, plural_count)
        return po
    try:
        # _PoText: split at \n only; the trailing newline keeps polib from taking a one-line text for a path
        po = polib.pofile(_PoText(text + "\n"), wrapwidth=WRAPWIDTH, check_for_duplicates=True,
                          klass=_KeyedPOFile)
        po.__dict__.pop("_keys", None)
        po.__class__ = polib.POFile           # from here on, plain polib
    except ValueError as e:                      # duplicate entries
        msg = str(e)
        m = re.search(r'Entry "(.*)" already exists', msg, re.S)
        line = _line_of_duplicate(text, m.group(1)) if m else None
        raise CatalogError(f"duplicate message definition: {msg}", path, line) from None
    except (OSError, UnicodeError) as e:
        msg = str(e)
        m = _POLIB_LINE.search(msg)
        msg = re.sub(r"\s*\(line \d+\)", "", msg).replace(" in po file", "").replace("  ", " ").strip()
        raise CatalogError(msg or "unreadable catalog", path, int(m.group(1)) if m else None) from None
    except Exception as e:  # noqa: BLE001 - polib raises assorted errors on garbage
        raise CatalogError(f"unreadable catalog: {e}", path) from None
    _msgid_lines(po, text)
    _check_plurals(po, path, text, plural_count)
    return po


def _msgid_lines(po: polib.POFile, text: str) -> None:
    """Point each entry's ``linenum`` at its ``msgid`` line, as msgfmt's messages do
    (polib gives the entry's first line, often a ``#.`` comment)."""
    lines = [i for i, ln in enumerate(text.split("\n"), 1) if ln.startswith("msgid ")]
    active = [e for e in po if not e.obsolete]
    if len(lines) == len(active) + 1:        # the header's msgid ""
        lines = lines[1:]
    if len(lines) == len(active):
        for e, ln in zip(active, lines):
            e.linenum = ln


def _line_of_duplicate(text: str, msgid: str) -> int | None:
    needle = 'msgid "' + polib.escape(msgid.splitlines()[0] if msgid else "")
    hits = [i + 1 for i, ln in enumerate(text.splitlines()) if ln.startswith(needle)]
    return hits[1] if len(hits) > 1 else (hits[0] if hits else None)


def read_catalog(path: str, data: bytes | None = None, *, name: str | None = None,
                 plural_count: bool = True) -> polib.POFile:
    """Read a .po/.pot file (bytes may be given to avoid reading twice).

    Errors name the file as ``name`` (e.g. relative to the project) when given.
    ``plural_count``: as in :func:`parse_catalog`.
    """
    try:
        return _read_catalog(path, data, plural_count)
    except CatalogError as e:
        if name and e.path == path:
            e.path = name
        raise


def _read_catalog(path: str, data: bytes | None, plural_count: bool = True) -> polib.POFile:
    return parse_catalog(_catalog_text(path, data), path, plural_count=plural_count)


def _catalog_text(path: str, data: bytes | None) -> str:
    """The text of a catalog file, decoded as its Content-Type says, with "\\n" line ends."""
    if data is None:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise CatalogError(f"cannot read: {e.strerror}", path) from None
    if not data.strip():
        raise CatalogError("empty file, not a gettext catalog", path)
    if b"\x00" in data:
        raise CatalogError("binary file (NUL bytes), not a gettext catalog", path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    m = re.search(rb'"Content-Type:[^"]*charset=([A-Za-z0-9._-]+)', data[:4096])
    charset = m.group(1).decode("ascii").lower() if m else "utf-8"
    if charset == "charset":  # the template placeholder "charset=CHARSET" lower-cased
        charset = "utf-8"
    try:
        text = data.decode(charset)
    except LookupError:
        raise CatalogError(f"unknown charset {charset!r} in Content-Type", path,
                           data[:m.start()].count(b"\n") + 1 if m else None) from None
    except UnicodeDecodeError as e:
        raise CatalogError(f"bytes that are not valid {charset} (Content-Type declares "
                           f"{'it' if m else 'nothing; UTF-8 assumed'})", path,
                           data[:e.start].count(b"\n") + 1) from None
    if m and re.sub(r"[-_]", "", charset) not in ("utf8", "ascii", "usascii") and not data.isascii() \
            and _is_utf8(data):
        # a legacy charset decodes any bytes, so UTF-8 text read as, say, ISO-8859-1 is garbled silently
        raise CatalogError(f"Content-Type declares charset={m.group(1).decode('ascii')}, but the file is "
                           "UTF-8; fix the header (read as declared, every translation would be garbled)",
                           path, data[:m.start()].count(b"\n") + 1)
    return text.replace("\r\n", "\n")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def source_locale_of(po: polib.POFile) -> str | None:
    return po.metadata.get("X-Source-Language") or None


# -- writing ------------------------------------------------------------------------

def same_but_dates(a: str, b: str) -> bool:
    """True when two catalog texts differ only in their creation/revision dates."""
    drop = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"\n', re.M)
    return drop.sub("", a) == drop.sub("", b)


# -- gettext-style formatting -------------------------------------------------------
#
# Wrapped at 79 columns the way msgmerge and msgcat wrap, so that a catalog that passes
# through them comes back unchanged: :mod:`l10n._pofast` holds the writer (and its rules);
# tests/test_po_format.py holds it to msgcat.

generate_po = _pofast.generate_po       # (po) -> the catalog's lines, a pure generator


def po_text(po: polib.POFile) -> str:
    """The catalog as text: deterministic, and wrapped the way msgmerge and msgcat wrap."""
    return "\n".join(generate_po(po)) + "\n"


# -- statistics ------------------------------------------------------------------------

def is_translated(e: polib.POEntry) -> bool:
    """The entry has a translation (every form of a plural one may be empty)."""
    if e.msgid_plural:
        return any(e.msgstr_plural.values())
    return bool(e.msgstr)


def stats(po: polib.POFile) -> Stats:
    t = f = u = ob = 0
    for e in po:
        if e.obsolete:
            ob += 1
        elif "fuzzy" in e.flags and is_translated(e):
            f += 1
        elif is_translated(e):
            t += 1
        else:
            u += 1
    return Stats(t, f, u, ob)


# -- compiling ------------------------------------------------------------------------

def compile_catalog(po: polib.POFile, path: str, *, use_fuzzy: bool = False,
                    withhold: Collection[tuple[str | None, str]] = ()) -> CompileResult:
    """Check and compile a catalog. Errors name ``path:line``; no .mo bytes when any.
    The ``(msgctxt, msgid)`` units in ``withhold`` (held back by the check gate) are left out."""
    units = [(e.msgctxt, e.msgid, e.msgid_plural or "",
              tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural)) if e.msgid_plural else e.msgstr,
              "fuzzy" in e.flags, e.obsolete, e.linenum) for e in po]
    return _compile_units(units, po.metadata, path, use_fuzzy=use_fuzzy, withhold=withhold)


def compile_file(path: str, data: bytes | None = None, *, name: str | None = None,
                 use_fuzzy: bool = False) -> CompileResult:
    """``compile_catalog(read_catalog(path, data, name=name), name or path, use_fuzzy=use_fuzzy)``,
    with no gate: the same result and the same errors (CatalogError on bad input), about twice as
    fast for a catalog in gettext's layout (read by :func:`l10n.poread.scan`, no entry objects)."""
    shown = name or path
    try:
        text = _catalog_text(path, data)
        fast = poread.scan(text)
        if fast is None:
            return compile_catalog(parse_catalog(text, path), shown, use_fuzzy=use_fuzzy)
        header, units = fast
        metadata = poread.header_metadata(header) if header is not None else {}
        _plural_header(metadata, path, text)          # what parse_catalog refuses in a header
    except CatalogError as e:
        if name and e.path == path:
            e.path = name
        raise

    def line_of(offset: int) -> int:                  # only for an error: its msgid line
        return text.count("\n", 0, offset) + 1
    return _compile_units(units, metadata, shown, use_fuzzy=use_fuzzy, line_of=line_of)


def compile_files(files: Sequence[tuple[str, str]], *, use_fuzzy: bool = False, jobs: int = 1) -> list[CompileResult]:
    """:func:`compile_file` of each ``(path, name)``, in order, on ``jobs`` forked workers when there
    are many (:func:`l10n.workers.pmap`); a CatalogError is raised for the first bad one in order."""
    from .workers import pmap
    return pmap(compile_file_task, list(files), jobs=jobs, context=use_fuzzy)


def compile_file_task(use_fuzzy: bool, item: tuple[str, str]) -> CompileResult:
    """A worker's :func:`compile_file` of ``(path, name)`` (its context: ``use_fuzzy``)."""
    path, name = item
    return compile_file(path, name=name, use_fuzzy=use_fuzzy)


def _compile_units(units: Iterable[tuple], metadata: Mapping[str, str], path: str, *, use_fuzzy: bool,
                   withhold: Collection[tuple[str | None, str]] = (),
                   line_of: Callable[[int], int] | None = None) -> CompileResult:
    """compile_catalog's work on ``(msgctxt, msgid, msgid_plural, msgstr or plural forms, fuzzy,
    obsolete, line)`` rows in file order (``line_of``: the line number of a row's ``line``)."""
    def where(line: int) -> str:                   # only for an error
        return f"{path}:{line_of(line) if line_of else line}"

    errors: list[str] = []
    nplurals = _nplurals(metadata, path, errors)
    pairs: list[tuple[bytes, bytes]] = [(b"", _header_bytes(metadata))]
    t = f = u = ob = 0
    for ctx, msgid, plural, value, fuzzy, obsolete, line in units:
        if obsolete:
            ob += 1
            continue
        if not (any(value) if plural else value):
            u += 1
            continue
        if fuzzy:
            f += 1
            if not use_fuzzy:
                continue
        else:
            t += 1
        if plural:
            if nplurals is not None and len(value) != nplurals:
                errors.append(f"{where(line)}: {len(value)} plural forms, but Plural-Forms says nplurals={nplurals}")
            for form in value:
                for p in check_balance(msgid, form):
                    errors.append(f"{where(line)}: placeholder: {p} (msgid {_short(msgid)!r})")
            key = msgid.encode() + b"\x00" + plural.encode()
            val = b"\x00".join(x.encode() for x in value)
        else:
            if "<" in value:
                for p in check_balance(msgid, value):
                    errors.append(f"{where(line)}: placeholder: {p} (msgid {_short(msgid)!r})")
            if (msgid[-1:] == "\n") != (value[-1:] == "\n"):
                errors.append(f"{where(line)}: msgid and msgstr do not both end with '\\n'")
            key, val = msgid.encode(), value.encode()
        if "\x04" in msgid or "\x04" in plural or (ctx is not None and "\x04" in ctx):
            errors.append(f"{where(line)}: context separator <EOT> (U+0004) within string: a .mo file "
                          "cannot hold it (msgfmt refuses it too)")
        if ctx is not None:
            key = ctx.encode() + b"\x04" + key
        if withhold and (ctx, msgid) in withhold:
            continue
        pairs.append((key, val))
    st = Stats(t, f, u, ob)
    if errors:
        return CompileResult(None, st, tuple(errors))
    return CompileResult(mo_bytes(pairs), st, ())


def _short(s: str, n: int = 50) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _nplurals(metadata: Mapping[str, str], path: str, errors: list[str]) -> int | None:
    pf = metadata.get("Plural-Forms")
    if not pf:
        return None
    m = re.search(r"nplurals\s*=\s*(\d+)", pf)
    if not m or "plural=" not in pf.replace(" ", ""):
        errors.append(f"{path}:1: malformed Plural-Forms header {pf!r}")
        return None
    return int(m.group(1))


def _header_bytes(metadata: Mapping[str, str]) -> bytes:
    po = polib.POFile()
    po.metadata = dict(metadata)
    return "".join(f"{k}: {v}\n" for k, v in po.ordered_metadata()).encode()


def mo_bytes(pairs: list[tuple[bytes, bytes]]) -> bytes:
    """A GNU .mo file from (key, value) pairs; sorted like msgfmt, strings joined once, the tables
    of lengths and offsets built whole (no loop a string)."""
    pairs = sorted(pairs, key=itemgetter(0))
    n = len(pairs)
    keys = [k for k, _ in pairs]
    vals = [v for _, v in pairs]
    ids = b"\x00".join(keys) + b"\x00"
    strs = b"\x00".join(vals) + b"\x00"
    keystart = 7 * 4 + 16 * n
    table = array.array("I", bytes(16 * n))             # (length, offset) of each key, then of each value
    for part, strings, start in ((0, keys, keystart), (2 * n, vals, keystart + len(ids))) if n else ():
        lengths = array.array("I", map(len, strings))
        table[part:part + 2 * n:2] = lengths
        # each string starts after the one before it and its NUL
        table[part + 1:part + 2 * n:2] = array.array("I", accumulate(map((1).__add__, lengths[:-1]),
                                                                     initial=start))
    head = struct.pack("Iiiiiii", 0x950412DE, 0, n, 7 * 4, 7 * 4 + 8 * n, 0, 0)
    return head + table.tobytes() + ids + strs


def mo_table(cfg: "Config", locale: str, domain: str) -> dict[tuple[str | None, str], str]:
    """The compiled translations of a page in a locale, as :func:`read_mo` gives them; none when the
    ``.mo`` is not there (the one rule for loading a project's ``.mo``)."""
    p = cfg.mo_path(locale, domain)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        return {}
    return read_mo(data, cfg.rel(p))


def read_mo(data: bytes, path: str = "<mo>") -> dict[tuple[str | None, str], str]:
    """A compiled catalog as {(msgctxt, msgid): msgstr} (plural entries: first form)."""
    if len(data) < 28:
        raise CatalogError("not a .mo file (too short)", path)
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic == 0x950412DE else ">" if struct.unpack(">I", data[:4])[0] == 0x950412DE else None
    if end is None:
        raise CatalogError("not a .mo file (bad magic number)", path)
    _, _, n, ko, vo = struct.unpack(end + "5I", data[:20])
    if max(ko, vo) + 8 * n > len(data):
        raise CatalogError(f"corrupt .mo file: its index of {n} strings runs past the end "
                           f"({len(data)} bytes; truncated?)", path)
    out: dict[tuple[str | None, str], str] = {}
    # the two tables of (length, offset) pairs, read whole (not two struct calls a string)
    keys, vals = array.array("I", data[ko:ko + 8 * n]), array.array("I", data[vo:vo + 8 * n])
    if keys.itemsize != 4:                              # pragma: no cover - no such platform here
        keys = array.array("I", struct.unpack(end + f"{2 * n}I", data[ko:ko + 8 * n]))
        vals = array.array("I", struct.unpack(end + f"{2 * n}I", data[vo:vo + 8 * n]))
    elif (end == "<") != (sys.byteorder == "little"):
        keys.byteswap()
        vals.byteswap()
    size = len(data)
    kls, kps, vls, vps = keys[0::2], keys[1::2], vals[0::2], vals[1::2]
    if n and max(max(map(operator.add, kps, kls)), max(map(operator.add, vps, vls))) > size:
        for i in range(n):                  # slicing would cut a string silently: say which one
            if kps[i] + kls[i] > size or vps[i] + vls[i] > size:
                raise CatalogError(f"corrupt .mo file: string {i} runs past the end (truncated?)", path)
    try:
        for kl, kp, vl, vp in zip(kls, kps, vls, vps):
            k = data[kp:kp + kl].decode()
            v = data[vp:vp + vl].decode()
            if not k:
                continue
            ctx = None
            if "\x04" in k:
                ctx, k = k.split("\x04", 1)
            if "\x00" in k:
                k = k.split("\x00", 1)[0]
            out[(ctx, k)] = v.split("\x00", 1)[0] if "\x00" in v else v
    except (struct.error, UnicodeDecodeError) as e:
        raise CatalogError(f"corrupt .mo file: {e}", path) from None
    return out


def translations(po: polib.POFile, *, use_fuzzy: bool = False) -> dict[tuple[str | None, str], str]:
    """{(msgctxt, msgid): msgstr} of a catalog's translated entries."""
    return {(e.msgctxt, e.msgid): e.msgstr for e in po
            if not e.obsolete and e.msgstr and (use_fuzzy or "fuzzy" not in e.flags)}


# -- for the checks --------------------------------------------------------------------

def iter_entries(po: "polib.POFile | Iterable[polib.POEntry]", path: str, *, source_locale: str,
                 target_locale: str) -> Iterator[Entry]:
    """The translated, non-obsolete entries of a catalog as :class:`Entry` objects."""
    for e in po:
        if e.obsolete or not e.msgstr:
            continue
        yield Entry(
            msgid=e.msgid, msgstr=e.msgstr, path=path, line=e.linenum or 0,
            source_locale=source_locale, target_locale=target_locale, msgctxt=e.msgctxt,
            fuzzy="fuzzy" in e.flags, flags=frozenset(e.flags),
            translator_comments=tuple(e.tcomment.splitlines()) if e.tcomment else (),
            extracted_comments=tuple(e.comment.splitlines()) if e.comment else (),
            locations=tuple((p, int(ln) if str(ln).isdigit() else 0) for p, ln in e.occurrences),
        )


_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)\s*;")


def nplurals_of(po: polib.POFile) -> int | None:
    """The ``nplurals`` of the catalog's Plural-Forms header; None without one (or a template's INTEGER)."""
    m = _NPLURALS.search(po.metadata.get("Plural-Forms") or "")
    return int(m.group(1)) if m else None


def catalog_view(po: polib.POFile, path: str, *, source_locale: str, target_locale: str) -> CatalogView:
    """Every non-obsolete entry of a catalog, translated or not, as the catalog-set rules see it.

    Entries are built as ``checkpool.entries_from_rows`` builds them (straight into the
    instance's ``__dict__``), at a few microseconds each: this runs on the whole project.
    Their extracted comments and locations are left empty: the catalog-set rules use neither.
    """
    new = object.__new__
    out = []
    none: frozenset[str] = frozenset()
    for e in po:
        if e.obsolete:
            continue
        flags = e.flags
        x = new(Entry)
        x.__dict__.update(
            msgid=e.msgid, msgstr=e.msgstr, path=path, line=e.linenum or 0, source_locale=source_locale,
            target_locale=target_locale, msgctxt=e.msgctxt, fuzzy="fuzzy" in flags,
            flags=frozenset(flags) if flags else none,
            translator_comments=tuple(e.tcomment.splitlines()) if e.tcomment else (),
            extracted_comments=(), locations=(),
            msgid_plural=e.msgid_plural or None,
            msgstr_plural=tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural)) if e.msgid_plural else ())
        out.append(x)
    return CatalogView(path=path, source_locale=source_locale, target_locale=target_locale,
                       entries=tuple(out), nplurals=nplurals_of(po))
