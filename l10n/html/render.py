"""Fill a page skeleton's slots from a translation table. No HTML parsing here.

A translation is untrusted input: its text is always escaped, and the only
markup it can carry are the unit's placeholder tags, whose start tags (and so
every attribute, every ``href``) come from the source page.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from ..locales import babel_long_date
from ..markup import PLACEHOLDER_RE, check_balance, unescape_text
from ..model import Segment
from .skeleton import AttrSlot, BodySlot, HeadSlot, HrefSlot, LangSlot, Placeholder, Skeleton, TextSlot
from .escape import esc_attr, esc_text

__all__ = ["Chrome", "RenderResult", "render", "translations_of"]

Lookup = Callable[[Segment], "str | None"]
_split = PLACEHOLDER_RE.split


@dataclass(frozen=True)
class Chrome:
    """What a site page adds around the source: lang, alternate links, switcher, notice."""

    lang: str             # BCP 47 tag for <html lang>
    head: str = ""        # HTML inserted before </head>
    body: str = ""        # HTML inserted after <body>
    rewrite_href: Callable[[str], str] | None = None   # <a href> value -> value to write
    notice: str = ""      # HTML inserted after ``body`` when a unit is shown untranslated
    long_date: Callable[[_dt.date], str] | None = None     # a date as the page's locale writes it (else babel's)


@dataclass(frozen=True)
class RenderResult:
    html: str
    units: int            # text and attribute units on the page
    translated: int       # units rendered from a translation
    invalid: tuple[tuple[Segment, str], ...] = ()   # translations refused (bad placeholders)

    @property
    def percent(self) -> float:
        return 100.0 if self.units == 0 else 100.0 * self.translated / self.units


def render(skel: Skeleton, lookup: "Lookup | Sequence[str | None] | None", *, locale: str,
           chrome: Chrome | None = None, fallback_lang: str | None = None) -> RenderResult:
    """Render ``skel`` in ``locale``.

    ``lookup(segment)`` returns the msgstr for a unit or None; ``lookup`` may also be
    the list of those answers, one per segment (see :func:`translations_of`). With
    ``lookup=None`` (the page's own language) every slot gets the source back,
    so the result is the source page itself. An untranslated text unit falls
    back to the source inside ``<span lang=fallback_lang>``, and the page then gets the
    chrome's ``notice`` after its ``body`` (part of the page is in the source language).
    """
    out: list[str] = []
    translated = 0
    invalid: list[tuple[Segment, str]] = []
    segs = skel.segments
    if lookup is None:
        texts: Sequence[str | None] = [None] * len(segs)
    elif callable(lookup):
        texts = [lookup(seg) or None for seg in segs]
    else:
        texts = lookup

    def text_of(unit: int) -> str | None:
        return texts[unit] or None

    def attr(slot: AttrSlot) -> str:
        nonlocal translated
        t = text_of(slot.unit)
        if t is not None:
            translated += 1
            return esc_attr(t)
        return esc_attr(slot.original)

    rewrite = chrome.rewrite_href if chrome else None
    body_at = -1                    # where the chrome's body went: the notice follows it

    def href(slot: HrefSlot) -> str:
        return esc_attr(rewrite(slot.original) if rewrite else slot.original)

    def start_html(ph: Placeholder) -> str:
        start = ph.start
        if len(start) == 1 and type(start[0]) is str:       # a start tag without slots: most of them
            return start[0]
        return "".join([c if type(c) is str or isinstance(c, str) else href(c) if isinstance(c, HrefSlot)
                        else attr(c) for c in start])

    def original(slot: TextSlot) -> str:
        if rewrite is None or not slot.parts:
            return slot.original
        return "".join([c if type(c) is str or isinstance(c, str) else href(c) for c in slot.parts])

    long_date = chrome.long_date if chrome else None
    append = out.append
    span = f'<span lang="{esc_attr(fallback_lang)}">' if lookup is not None and fallback_lang else None
    for chunk in skel.chunks:
        kind = type(chunk)
        if kind is str:                     # most chunks: the page's own markup
            append(chunk)
        elif kind is TextSlot or isinstance(chunk, TextSlot):
            unit = chunk.unit
            t = texts[unit]
            if t:
                if "<" not in t:            # no tag, so nothing to balance or split (most units)
                    translated += 1
                    append(_text_html(t))
                    if chunk.comments:      # a comment has no place in a translation: it follows it
                        append(chunk.comments)
                    continue
                html = _fill(chunk, _split(t), start_html, locale, long_date)
                if html is not None:
                    translated += 1
                    append(html)
                    if chunk.comments:
                        append(chunk.comments)
                    continue
                problems = check_balance(segs[unit].msgid, t)      # what is wrong with its tags, in words
                invalid.append((segs[unit], "; ".join(problems) or "its tags are not the page's placeholders"))
            text = chunk.original if rewrite is None or not chunk.parts else original(chunk)
            append(text if span is None or chunk.raw else f"{span}{text}</span>")
        else:
            body_at = _other(chunk, out, attr, href, chrome, body_at)
    if lookup is None:
        translated = len(segs)
    elif translated < len(segs) and chrome is not None and chrome.notice and body_at >= 0:
        out.insert(body_at, chrome.notice)
    return RenderResult("".join(out), len(segs), translated, tuple(invalid))


def _other(chunk: object, out: list[str], attr: Callable[[AttrSlot], str], href: Callable[[HrefSlot], str],
           chrome: Chrome | None, body_at: int) -> int:
    """A chunk that is not a text unit (nor, mostly, the page's markup) rendered into ``out``; returns
    where the chrome's body went (``body_at`` when not here)."""
    if isinstance(chunk, str):
        out.append(chunk)
    elif isinstance(chunk, AttrSlot):
        out.append(attr(chunk))
    elif isinstance(chunk, HrefSlot):
        out.append(href(chunk))
    elif isinstance(chunk, LangSlot):
        out.append(esc_attr(chrome.lang) if chrome else esc_attr(chunk.original))
    elif isinstance(chunk, HeadSlot):
        out.append(chrome.head if chrome else "")
    elif isinstance(chunk, BodySlot):
        out.append(chrome.body if chrome else "")
        return len(out)
    return body_at


def translations_of(skel: Skeleton, table: "Mapping[tuple[str | None, str], str]") -> list[str | None]:
    """Each segment's translation in ``table`` (``{(msgctxt, msgid): msgstr}``), or None."""
    get = table.get
    return [get((seg.msgctxt, seg.msgid)) or None for seg in skel.segments]


def _text_html(text: str) -> str:
    """Text between a translation's placeholder tags as HTML (``esc_text(unescape_text(text))``)."""
    if "&" not in text and "<" not in text and ">" not in text and "\xa0" not in text:
        return text                 # nothing to unescape or escape (most Chinese text)
    return esc_text(unescape_text(text))


def _fill(slot: TextSlot, parts: list[str], start_html: Callable[[Placeholder], str], locale: str,
          long_date: Callable[[_dt.date], str] | None = None) -> str | None:
    """The slot's HTML from a translation split by PLACEHOLDER_RE ([text, closing, name, empty,
    text, closing, name, empty, text, ...]: markup.tokenize's tokens without a Token each); None
    when its tags are not balanced against the slot's placeholders, as ``check_balance(msgid,
    translation)`` finds them (one pass checks and fills: the placeholders are the msgid's tags).
    """
    phs = {p.name: p for p in slot.placeholders}
    first = parts[0]
    out: list[str] = [_text_html(first)] if first else []
    append = out.append
    skipping: str | None = None
    stack: list[str] = []           # the tags open, as check_balance keeps them
    seen: set[str] = set()
    for j in range(1, len(parts), 4):
        closing, name, empty, text = parts[j], parts[j + 1], parts[j + 2], parts[j + 3]
        if closing and empty:       # "</x1/>" is no placeholder: text, written as it stands
            if skipping is None:
                append(esc_text(f"</{name}/>"))
        elif closing:
            if not stack or stack.pop() != name:
                return None         # closes a tag that is not open (or none of the source's)
            if skipping is None:
                append(phs[name].end)
            elif name == skipping:
                append(phs[name].end)
                skipping = None
        else:
            ph = phs.get(name)
            if ph is None or name in seen or bool(empty) != ph.empty:
                return None         # not the source's, used twice, or <x1/> for <x1>…</x1> (or back)
            seen.add(name)
            if not empty:
                stack.append(name)
            if skipping is None:
                append(start_html(ph))
                if ph.date or ph.frozen:
                    append(_date_html(ph, locale, long_date) if ph.date and not ph.frozen else ph.inner)
                    if empty:
                        append(ph.end)
                    else:
                        skipping = name
        if text and skipping is None:
            append(_text_html(text))
    return None if stack else "".join(out)


def _date_html(ph: Placeholder, locale: str, long_date: Callable[[_dt.date], str] | None) -> str:
    try:
        d = _dt.date.fromisoformat(ph.date or "")
    except ValueError:
        return ph.inner
    return esc_text(long_date(d) if long_date is not None else babel_long_date(d, locale))
