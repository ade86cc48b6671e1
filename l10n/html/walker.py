"""The one walker: decides what a translation unit is, for extract and render.

It walks a BeautifulSoup tree once and produces a
:class:`~l10n.html.skeleton.Skeleton`: literal chunks plus slots, and the
page's segments. Extraction takes the segments; rendering fills the slots.
The tree is lxml's when libxml2 reads the page as the HTML standard does, and
html5lib's otherwise (:func:`departs_from_html5`); docs/html.md has the rules.

What is a unit:

* each run of text, comments and inline elements inside a block element (p, li,
  h1, td, div, noscript, template contents, …) that holds at least one letter:
  inline elements (a, strong, em, span, time, br, …) become placeholder tags
  ``<a1>…</a1>``; a comment is no boundary and not in the msgid; only ASCII
  whitespace is collapsed and trimmed (U+00A0 and U+3000 are content);
* each translatable attribute: ``title``, ``aria-label``, ``placeholder``
  (any element, iframe and textarea included), ``alt`` (img, area, input),
  ``value`` of submit/button/reset inputs, and ``content`` of ``meta``
  description and keywords, ``og:`` title, description and site_name, and
  ``twitter:`` title and description;
* never the content of script, style, code, textarea, svg, math, iframe, object,
  canvas, nor of pre unless it says ``translate="yes"``; nothing where the
  inherited ``translate`` state is "no" (a descendant's ``translate="yes"``
  switches it back on).
"""
from __future__ import annotations

import re
import sys
import warnings
from typing import Iterable

import lxml.html

from ..lazyimport import defer, import_bs4_html5lib_on_first_use

defer("soupsieve", "chardet", "charset_normalizer",      # bs4 and html5lib import them; unused here
      "urllib.request", "http.client")
import_bs4_html5lib_on_first_use()                     # html5lib itself only for a page that needs it
from bs4 import BeautifulSoup, Comment, NavigableString, Tag  # noqa: E402 - after defer()
from bs4.element import PreformattedString, Script, Stylesheet, TemplateString  # noqa: E402

from ..errors import PageError  # noqa: E402
from ..markup import escape_text  # noqa: E402
from ..model import Segment  # noqa: E402
from ..locales import chinese_script, is_bare_chinese  # noqa: E402
from .encoding import MAX_PAGE_BYTES, decode_page  # noqa: E402
from .escape import esc_attr, esc_text  # noqa: E402
from .skeleton import (AttrSlot, BodySlot, Chunk, HeadSlot, HrefSlot, LangSlot, Placeholder,  # noqa: E402
                       Skeleton, TextSlot)

__all__ = ["parse_page", "decode_page", "INLINE", "SKIP", "MAX_PAGE_BYTES", "HTML_SPACE"]

INLINE = frozenset("""a abbr b bdi bdo br cite code data del dfn em font i img ins kbd mark
    q s samp small span strong sub sup time tt u var wbr""".split())
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
SKIP = frozenset("script style pre textarea svg math iframe object canvas".split())
# what translate="yes" on the element itself brings back into extraction (mostly code otherwise)
OPT_IN = frozenset(("pre",))
FROZEN_INLINE = frozenset("code kbd samp var".split())
RAW_UNIT = frozenset(("title", "option"))
RAW_TEXT = frozenset("script style xmp iframe noembed noframes plaintext".split())   # no entities inside
# Text only, entities decoded (RCDATA). html5lib, unlike the HTML standard and browsers, may put a
# formatting element reopened after a misnested <a> or <b> inside a textarea (<li><a>x<li><textarea>);
# a browser's textarea holds the text alone, so that is what is written.
RCDATA = frozenset({"textarea", "title"})
# HTML's whitespace (ASCII only): U+00A0 and U+3000 are content, kept in msgids and pages
HTML_SPACE = " \t\n\r\f"
_WS = re.compile(r"[ \t\n\r\f]+")
_LEAD = re.compile(r"^[ \t\n\r\f]*")
_TRAIL = re.compile(r"[ \t\n\r\f]*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# C0 controls (and DEL) but tab, line feed, carriage return and form feed: parse errors in
# HTML, invisible in a browser, and not for a catalog (msgfmt refuses U+0004 in a string)
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")
META_KEYS = {("name", "description"), ("name", "keywords"), ("property", "og:title"),
             ("property", "og:description"), ("property", "og:site_name"),
             ("name", "twitter:title"), ("name", "twitter:description")}


class _EveryTag(frozenset):
    """Every tag name: bs4 would otherwise collapse whitespace-only text to one
    space or newline, and the identity render would not give the source back."""

    def __contains__(self, name: object) -> bool:
        return True


_EVERY_TAG = _EveryTag()


def _has_letter(s: str) -> bool:
    return any(ch.isalpha() for ch in s)


def _lxml_parse(text: str):  # type: ignore[no-untyped-def]
    """lxml's parse of the page (for source lines) and the parser's error log, or (None, ())."""
    parser = lxml.html.HTMLParser(huge_tree=True)     # no "excessive depth" past 256 levels: the walker limits it
    try:
        return lxml.html.document_fromstring(text, parser=parser), tuple(parser.error_log)
    except Exception:   # noqa: BLE001 - lines are a nicety; the bs4 parse decides
        return None, ()


# the start tags that close an open <p> in the HTML standard ("in body" insertion mode); libxml2
# closes it for the HTML 4 blocks, and nests the newer ones (section, nav, figure...) inside it
_CLOSES_P = ("""address article aside blockquote center details dialog dir div dl fieldset figcaption figure
    footer form h1 h2 h3 h4 h5 h6 header hgroup hr li dd dt listing main menu nav ol p plaintext pre search
    section summary table ul xmp""".split())
_DOCTYPE = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<!doctype\s+html\s*>", re.I | re.S)
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
# end tags a page may leave out, where libxml2 and the standard close the element alike
_OPTIONAL_END = frozenset("""html head body p li dt dd rt rp optgroup option colgroup caption thead tbody
    tfoot tr td th""".split())


MAX_DEPTH = 1000      # elements nested deeper than this are refused (the walk recurses; html5lib is O(n²) there)


_NOT_MARKUP = re.compile(r"<!--.*?-->|<(script|style|textarea|title|xmp)\b.*?</\1\s*>", re.I | re.S)


def _unbalanced(text: str, raw: bool = True) -> bool:
    """Whether an element other than the void ones and those with optional end tags is opened
    more or fewer times than it is closed: an implied end, where libxml2 (HTML 4's content
    models) and the standard part ways (``<h2><p>``). More than :data:`MAX_DEPTH` start tags
    without their end tags at one point is too deep (:class:`RecursionError`, for parse_page)."""
    count: dict[str, int] = {}
    depth = 0
    for end, name in _TAG_NAME.findall(text):
        name = name.lower()
        if name not in VOID and name not in _OPTIONAL_END:
            count[name] = count.get(name, 0) + (-1 if end else 1)
            depth += -1 if end else 1
            if depth > MAX_DEPTH:
                raise RecursionError
    if raw and any(count.values()):     # "<not a tag>" in a script, a style or a comment is no tag
        return _unbalanced(_NOT_MARKUP.sub("", text), raw=False)
    return any(count.values())


def departs_from_html5(root, errors: tuple, text: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether libxml2's tree of the page may differ from the HTML standard's: it reported a
    repair, an element is left open where the standard's rules are not HTML 4's (see
    :func:`_unbalanced`), a block the standard lets close a paragraph sits inside one, or a page in quirks
    mode (no ``<!DOCTYPE html>``) has a table (the standard then leaves an open ``<p>`` open)."""
    if _unbalanced(text) or errors or root is None:
        return True
    for p in root.iter("p"):
        inside = p.iter(*_CLOSES_P)
        next(inside)                    # the <p> itself
        if next(inside, None) is not None:
            return True
    return "<table" in text and not _DOCTYPE.match(text) and next(root.iter("p"), None) is not None


def _set_lines(soup: BeautifulSoup, root) -> None:  # type: ignore[no-untyped-def]
    """Give each bs4 tag the source line lxml saw for it.

    bs4's lxml tree builder keeps no positions, but lxml's own parse of the
    same text yields the same elements in the same order (libxml2 under
    both), so a lock-step walk transfers ``sourceline``.
    """
    if root is None:
        return
    lx = (e for e in root.iter() if isinstance(e.tag, str))
    last = 1
    for tag in soup.descendants:
        if not isinstance(tag, Tag):
            continue
        el = next(lx, None)
        if el is not None and el.tag == tag.name:
            last = el.sourceline or last
        else:
            lx = iter(())
        tag.sourceline = last


class _Walker:
    def __init__(self, page: str, html5: bool = False):
        self.page = page
        self.html5 = html5      # bs4's html5lib builder: raw text (script, style) is a plain string
        self.out: list[Chunk] = []
        self.segments: list[Segment | None] = []
        self.links: list[str] = []
        self.on = True          # the translate attribute's state, inherited (the HTML standard)
        self.in_pre = 0         # inside an opted-in <pre translate="yes">: whitespace is content

    # -- output ---------------------------------------------------------
    def emit(self, chunk: Chunk) -> None:
        if isinstance(chunk, str) and self.out and isinstance(self.out[-1], str):
            self.out[-1] += chunk
        elif chunk != "":
            self.out.append(chunk)

    def new_segment(self, msgid: str, tag: Tag, place: str, placeholders: tuple[str, ...] = (),
                    line: int | None = None, index: int | None = None) -> int:
        """Record a unit; ``index`` fills a reserved place instead of appending."""
        ctx = note = None
        for el in (tag, *tag.parents):
            if isinstance(el, Tag) and el.attrs:
                ctx = ctx or el.attrs.get("data-l10n-context")
                note = note or el.attrs.get("data-l10n-note")
        seg = Segment(msgid=msgid, page=self.page, line=line or tag.sourceline or 1, place=place,
                      msgctxt=ctx or None, placeholders=placeholders, comment=note)
        bad = _CONTROL.search(msgid) or (_CONTROL.search(ctx) if ctx else None)
        if bad:
            c = ord(bad.group(0))
            raise PageError(f"control character U+{c:04X} in the text of <{tag.name}> (a stray &#{c}; "
                            "or a pasted byte?): gettext catalogs cannot carry it (.mo files use U+0004 "
                            "to mark a context); remove it from the page", self.page, seg.line)
        if index is None:
            self.segments.append(seg)
            return len(self.segments) - 1
        self.segments[index] = seg
        return index

    # -- plain serialization (no slots) ---------------------------------
    def ser(self, node) -> str:
        if isinstance(node, Tag):
            attrs = "".join(f' {k}="{esc_attr(_attr_str(v))}"' for k, v in node.attrs.items())
            if node.name in VOID:
                return f"<{node.name}{attrs}>"
            if node.name in RCDATA:
                return f"<{node.name}{attrs}>" + esc_text(node.get_text()) + f"</{node.name}>"
            return f"<{node.name}{attrs}>" + "".join(self.ser(c) for c in node.children) + f"</{node.name}>"
        if isinstance(node, PreformattedString):
            return node.PREFIX + str(node) + node.SUFFIX
        if isinstance(node, (Script, Stylesheet)) or (self.html5 and node.parent is not None
                                                      and node.parent.name in RAW_TEXT):
            return str(node)        # raw text: written as it came (bs4's html5lib builder gives a plain string)
        return esc_text(str(node))

    def ser_parts(self, node) -> list[Chunk]:
        """``ser(node)`` as chunks: the value of each ``<a href>`` becomes an :class:`HrefSlot`."""
        if not isinstance(node, Tag) or not (node.name == "a" or _has_link(node)):
            return [self.ser(node)]
        out: list[Chunk] = [f"<{node.name}"]
        for k, v in node.attrs.items():
            if node.name == "a" and k == "href":
                out += [' href="', HrefSlot(_attr_str(v)), '"']
            else:
                out.append(f' {k}="{esc_attr(_attr_str(v))}"')
        out.append(">")
        if node.name not in VOID:
            for c in node.children:
                out += self.ser_parts(c)
            out.append(f"</{node.name}>")
        return _join_strings(out)

    # -- start tags with attribute units ---------------------------------
    def start_tag(self, tag: Tag) -> list[Chunk]:
        chunks: list[Chunk] = [f"<{tag.name}"]
        meta_ok = tag.name == "meta" and any((k, str(tag.attrs.get(k, "")).lower()) in META_KEYS
                                            for k in ("name", "property"))
        for k, v in tag.attrs.items():
            v = _attr_str(v)
            if tag.name == "html" and k in ("lang", "xml:lang"):
                chunks += [f' {k}="', LangSlot(v), '"']
                continue
            if tag.name == "meta" and _declares_charset(tag, k, v):
                # the page is decoded here and always written as UTF-8: say so
                chunks.append(f' {k}="{esc_attr(_CHARSET_VALUE.sub("utf-8", v))}"')
                continue
            if tag.name == "a" and k == "href":
                self.links.append(v)
                chunks += [' href="', HrefSlot(v), '"']     # the site may re-point it
                continue
            if self.on and _translatable_attr(tag, k, meta_ok) and _has_letter(v) and not _no_translate(tag):
                msgid = _WS.sub(" ", v).strip(HTML_SPACE)
                if tag.name == "meta":
                    key = "name" if "name" in tag.attrs else "property"
                    place = f"meta[{key}={tag.attrs[key]}]"
                else:
                    place = f"{tag.name}@{k}"
                unit = self.new_segment(msgid, tag, place)
                chunks += [f' {k}="', AttrSlot(unit, v), '"']
            else:
                chunks.append(f' {k}="{esc_attr(v)}"')
        chunks.append(">")
        return chunks

    # -- the walk -----------------------------------------------------------
    def node(self, node) -> None:
        if isinstance(node, Tag):
            self.element(node)
        else:
            self.emit(self.ser(node))

    def element(self, tag: Tag) -> None:
        state = _translate_state(tag) if "translate" in tag.attrs else None
        if state is None and self.on and tag.name not in SKIP and tag.name not in FROZEN_INLINE:
            self.open_element(tag)      # the common case: nothing to switch
            return
        on = self.on if state is None else state
        if tag.name in FROZEN_INLINE and on:
            for c in self.ser_parts(tag):       # as is, but its links can still be re-pointed
                self.emit(c)
            return
        if tag.name in SKIP and not (tag.name in OPT_IN and state):
            # content as is; the start tag's attributes (iframe@title, textarea@placeholder) are units
            was, self.on = self.on, on
            try:
                for c in self.start_tag(tag):
                    self.emit(c)
            finally:
                self.on = was
            if tag.name in RCDATA:
                self.emit(esc_text(tag.get_text()))
            else:
                for child in tag.children:
                    for c in self.ser_parts(child):
                        self.emit(c)
            self.emit(f"</{tag.name}>")
            return
        if not on and not _has_translate_yes(tag):
            for c in self.ser_parts(tag):       # nothing below is turned back on: as is
                self.emit(c)
            return
        was, self.on = self.on, on
        self.in_pre += tag.name == "pre"
        try:
            self.open_element(tag)
        finally:
            self.on = was
            self.in_pre -= tag.name == "pre"

    def open_element(self, tag: Tag) -> None:
        for c in self.start_tag(tag):
            self.emit(c)
        if tag.name == "body":
            self.emit(BodySlot())
        if tag.name in VOID:
            return
        if not self.on:                 # translate="no": its descendants may say "yes" again
            for c in tag.children:
                self.node(c)
        elif tag.name in RAW_UNIT:
            self.raw_unit(tag)
        else:
            self.children(tag)
        if tag.name == "head":
            self.emit(HeadSlot())
        self.emit(f"</{tag.name}>")

    def raw_unit(self, tag: Tag) -> None:
        text = "".join(str(c) for c in tag.children if isinstance(c, NavigableString)
                       and not isinstance(c, PreformattedString))
        inner = "".join(self.ser(c) for c in tag.children)
        if not _has_letter(text) or any(isinstance(c, Tag) for c in tag.children):
            for c in tag.children:
                self.node(c)
            return
        lead = _LEAD.match(inner).group(0)
        trail = _TRAIL.search(inner[len(lead):]).group(0)
        core = inner[len(lead):len(inner) - len(trail)]
        unit = self.new_segment(escape_text(_WS.sub(" ", text).strip(HTML_SPACE)), tag, tag.name)
        self.emit(lead)
        self.emit(TextSlot(unit, core, (), raw=True))
        self.emit(trail)

    def children(self, tag: Tag) -> None:
        run: list = []
        comment = False
        for c in tag.children:
            if _in_run(c):
                run.append(c)
                comment = comment or type(c) is Comment
            else:
                self.flush(run, tag, comment)
                run = []
                comment = False
                self.node(c)
        self.flush(run, tag, comment)

    def flush(self, run: list, parent: Tag, comment: bool = False) -> None:
        if not run:
            return
        if not _run_has_text(run):
            for c in run:
                self.node(c)
            return
        if comment:                     # comments at the edges of a run stay outside the unit
            i, j = 0, len(run)
            while i < j and _edge(run[i]):
                i += 1
            while j > i and _edge(run[j - 1]):
                j -= 1
            if i or j < len(run):
                for c in run[:i]:
                    self.node(c)
                self.flush(run[i:j], parent)
                for c in run[j:]:
                    self.node(c)
                return
        counts: dict[str, int] = {}
        placeholders: list[Placeholder] = []
        unit = len(self.segments)
        self.segments.append(None)          # reserve: the text unit comes before its attributes
        pieces: list[str] = []
        comments: list = []
        for c in run:
            self.build(c, pieces, counts, placeholders, comments)
        joined = "".join(pieces)
        msgid = (joined if self.in_pre else _WS.sub(" ", joined)).strip(HTML_SPACE)
        first = next((c for c in run if isinstance(c, Tag)), parent)
        line = parent.sourceline or 1
        if first is not parent and first.sourceline and not isinstance(run[0], NavigableString):
            line = first.sourceline
        self.new_segment(msgid, parent, parent.name, tuple(p.name for p in placeholders), line, unit)
        html = "".join(self.ser(c) for c in run)
        lead = _LEAD.match(html).group(0)
        trail = _TRAIL.search(html[len(lead):]).group(0)
        self.emit(lead)
        parts: list[Chunk] = []
        if any(isinstance(c, Tag) and (c.name == "a" or _has_link(c)) for c in run):
            parts = _join_strings([p for c in run for p in self.ser_parts(c)])
            parts[0] = parts[0][len(lead):]             # strings at both ends: tags start and end runs
            parts[-1] = parts[-1][:len(parts[-1]) - len(trail)]
        self.emit(TextSlot(unit, html[len(lead):len(html) - len(trail)], tuple(placeholders),
                           parts=tuple(parts), comments="".join(map(self.ser, comments)) if comments else ""))
        self.emit(trail)

    def build(self, node, pieces: list[str], counts: dict[str, int], placeholders: list[Placeholder],
              comments: list) -> None:
        """The msgid pieces of a run; its comments (not frozen ones) go to ``comments``."""
        if not isinstance(node, Tag):
            if not isinstance(node, PreformattedString):
                pieces.append(escape_text(str(node)))
            elif type(node) is Comment:
                comments.append(node)
            return
        counts[node.name] = counts.get(node.name, 0) + 1
        name = f"{node.name}{counts[node.name]}"
        start = tuple(self.start_tag(node))
        if node.name in VOID:
            pieces.append(f"<{name}/>")
            placeholders.append(Placeholder(name, start, "", empty=True))
            return
        end = f"</{node.name}>"
        frozen = node.name in FROZEN_INLINE or _no_translate(node)
        dt = node.attrs.get("datetime") if node.name == "time" else None
        # a date is rewritten whole, so only a <time> that holds nothing but its text is one
        # (a link or an attribute unit inside it would be lost)
        date = dt if dt and _ISO_DATE.match(_attr_str(dt)) and not _has_tag(node) else None
        if frozen or date:
            inner = "".join(self.ser(c) for c in node.children)
            placeholders.append(Placeholder(name, start, end, empty=False, frozen=bool(frozen),
                                            inner=inner, date=date))
            if frozen:
                pieces.append(f"<{name}>{escape_text(_WS.sub(' ', node.get_text()))}</{name}>")
                return
        else:
            placeholders.append(Placeholder(name, start, end, empty=False))
        pieces.append(f"<{name}>")
        for c in node.children:
            self.build(c, pieces, counts, placeholders, comments)
        pieces.append(f"</{name}>")


def _join_strings(chunks: list[Chunk]) -> list[Chunk]:
    out: list[Chunk] = []
    for c in chunks:
        if isinstance(c, str) and out and isinstance(out[-1], str):
            out[-1] += c
        else:
            out.append(c)
    return out


def _attr_str(v) -> str:
    return " ".join(v) if isinstance(v, list) else str(v)


_CHARSET_VALUE = re.compile(r"(?<=charset=)\s*[A-Za-z0-9._:-]+|^\s*[A-Za-z0-9._:-]+\s*$", re.I)


def _declares_charset(tag: Tag, k: str, v: str) -> bool:
    """``<meta charset=X>`` or ``<meta http-equiv=Content-Type content="…; charset=X">``, X not UTF-8."""
    if k == "charset":
        return v.strip().lower() not in ("utf-8", "utf8")
    if k == "content" and str(tag.attrs.get("http-equiv", "")).strip().lower() == "content-type":
        m = re.search(r"charset=\s*([A-Za-z0-9._:-]+)", v, re.I)
        return bool(m) and m.group(1).lower() not in ("utf-8", "utf8")
    return False


def _no_translate(tag: Tag) -> bool:
    return str(tag.attrs.get("translate", "")).strip().lower() == "no"


def _translate_state(tag: Tag) -> bool | None:
    """The ``translate`` attribute: True for "yes" or "" , False for "no", None to inherit."""
    v = tag.attrs.get("translate")
    if v is None:
        return None
    v = str(v).strip(HTML_SPACE).lower()
    return True if v in ("yes", "") else False if v == "no" else None


def _has_translate_yes(tag: Tag) -> bool:
    return any(isinstance(d, Tag) and _translate_state(d) is True for d in tag.descendants)


_TEXT_STRINGS = (NavigableString, TemplateString)     # bs4 gives text inside <template> its own class
_RUN_STRINGS = frozenset((NavigableString, TemplateString, Comment))


def _edge(node) -> bool:
    """What may stand at the edge of a run outside its unit: a comment, or whitespace."""
    return type(node) is Comment or (type(node) in _TEXT_STRINGS and not str(node).strip(HTML_SPACE))


def _translatable_attr(tag: Tag, k: str, meta_ok: bool) -> bool:
    if k in ("title", "aria-label", "placeholder"):
        return True
    if k == "alt":
        return tag.name in ("img", "area") or (tag.name == "input" and tag.attrs.get("type") == "image")
    if k == "value":
        return tag.name == "input" and str(tag.attrs.get("type", "")).lower() in ("submit", "button", "reset")
    if k == "content":
        return meta_ok
    return False


def _in_run(node) -> bool:
    if isinstance(node, Tag):
        return node.name in INLINE and not _has_block(node)
    return type(node) in _RUN_STRINGS      # a comment is no boundary


def _has_link(tag: Tag) -> bool:
    """``tag.find("a", href=True)``: an ``<a href>`` below ``tag``."""
    return any(isinstance(d, Tag) and d.name == "a" and "href" in d.attrs for d in tag.descendants)


def _has_tag(tag: Tag) -> bool:
    """``tag.find(True)``: any element below ``tag``."""
    return any(isinstance(d, Tag) for d in tag.descendants)


def _has_block(tag: Tag) -> bool:
    for d in tag.descendants:
        if isinstance(d, Tag) and (d.name not in INLINE or d.name in SKIP):
            return True
    return False


def _run_has_text(run: Iterable) -> bool:
    for c in run:
        if isinstance(c, Tag):
            if c.name in FROZEN_INLINE or _no_translate(c) or c.name in VOID:
                continue
            if _run_has_text(c.children):
                return True
        elif not isinstance(c, PreformattedString) and _has_letter(str(c)):
            return True
    return False


def parse_page(data: bytes, page: str, locale_of=None) -> Skeleton:
    """Parse a page once into its skeleton and segments.

    ``locale_of`` maps the ``<html lang>`` value to a project locale and
    raises :class:`PageError` for a language the project does not know.
    """
    text = decode_page(data, page)
    if "<" not in text:
        raise PageError("no HTML markup: not an HTML page", page, 1)
    root, errors = _lxml_parse(text)
    try:
        departs = departs_from_html5(root, errors, text)
    except RecursionError:
        raise PageError("elements nested too deeply to process (over ~1,000 levels)", page) from None
    with warnings.catch_warnings():     # bs4 warns on stderr about XML-looking input; errors say it
        warnings.simplefilter("ignore")
        if departs:
            # libxml2 had to repair the page, and its repairs are not the HTML standard's (a
            # <body class> after a script-injected element in <head> loses its attributes, a
            # stray </p> is dropped, not made an empty paragraph...): build the tree the way
            # browsers do, with html5lib; bs4 keeps each tag's source line itself
            soup = BeautifulSoup(text, "html5lib", multi_valued_attributes=None,
                                 preserve_whitespace_tags=_EVERY_TAG)
            root = None
        else:
            soup = BeautifulSoup(text, "lxml", multi_valued_attributes=None, preserve_whitespace_tags=_EVERY_TAG)
            # libxml2 nests what follows wbr/source/track/embed inside them
            # (soup.find_all(VOID), without bs4's filter machinery: ~1 ms a page)
            for void in [t for t in soup.descendants if isinstance(t, Tag) and t.name in VOID]:
                if void.contents:
                    void.insert_after(*list(void.contents))
    html = next((t for t in soup.descendants if isinstance(t, Tag) and t.name == "html"), None)
    if html is None:
        raise PageError("no <html> element: not an HTML page", page, 1)
    _set_lines(soup, root)
    lang = str(html.attrs.get("lang", "")).strip()
    if not lang:
        raise PageError("<html> has no lang attribute; l10n needs the page's language", page,
                        html.sourceline or 1)
    try:
        locale = locale_of(lang) if locale_of else lang
    except PageError as e:              # point at the <html lang> line
        e.line = e.line or html.sourceline or 1
        if not is_bare_chinese(lang):
            raise
        # lang="zh" (or zh-cmn): Traditional or Simplified, as the text is written (OpenCC)
        script, _, _ = chinese_script(html.get_text())
        try:
            locale = locale_of(f"zh-{script}")
        except PageError:
            raise e from None
    walker = _Walker(page, html5=root is None)
    old = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(max(old, 4000))
        for node in soup.contents:
            walker.node(node)
    except RecursionError:
        raise PageError("elements nested too deeply to process (over ~1,000 levels)", page) from None
    finally:
        sys.setrecursionlimit(old)
    segments = tuple(s for s in walker.segments if s is not None)
    assert len(segments) == len(walker.segments)
    return Skeleton(page=page, lang=lang, locale=locale, segments=segments,
                    chunks=tuple(walker.out), links=tuple(walker.links))
