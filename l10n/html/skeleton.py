"""A page as fixed chunks and numbered slots: the result of parsing a page once.

Extraction walks the BeautifulSoup tree a single time and produces a
:class:`Skeleton`: literal HTML chunks and slots. Rendering a locale fills the
slots from a translation table and joins the chunks; it never parses HTML
again. A skeleton is plain data (picklable), so it can be cached by the
page's content hash.

The slots a page has many of are named tuples that pickle as plain tuples
(:func:`~l10n.model.plain_reduce`): loading a skeleton is a good part of rendering one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Union

from ..model import Segment, plain_reduce

__all__ = ["Placeholder", "TextSlot", "AttrSlot", "HrefSlot", "LangSlot", "HeadSlot", "BodySlot",
           "Chunk", "Skeleton"]


class Placeholder(NamedTuple):
    """An inline element of a unit, written ``<name>…</name>`` or ``<name/>``.

    ``start`` is the element's start tag as chunks (attribute values that are
    themselves units appear as :class:`AttrSlot`), so the source's attributes
    come back whatever the translator wrote. A *frozen* placeholder
    (``code``, ``translate="no"``) always renders its source content
    (``inner``); a ``date`` placeholder (``<time datetime=YYYY-MM-DD>``)
    renders the date in the target locale's format.
    """

    name: str
    start: tuple["Chunk", ...]
    end: str                      # "" for void elements
    empty: bool                   # written <name/> in the msgid
    frozen: bool = False
    inner: str = ""               # source inner HTML (frozen and date placeholders)
    date: str | None = None       # ISO date of a <time datetime> element

    __reduce__ = plain_reduce


class TextSlot(NamedTuple):
    """The content of a text unit: replaced by the translation's HTML."""

    unit: int                     # index into Skeleton.segments
    original: str                 # the source inner HTML, byte for byte as serialized
    placeholders: tuple[Placeholder, ...] = ()
    raw: bool = False             # text only, no element may wrap it (<title>, <option>)
    parts: tuple["Chunk", ...] = ()   # ``original`` as chunks with HrefSlots, when it holds <a href>
    comments: str = ""            # the comments inside the unit (not in its msgid): after a translation

    __reduce__ = plain_reduce


class AttrSlot(NamedTuple):
    """A translatable attribute value (already inside quotes in the chunks)."""

    unit: int
    original: str                 # the source value, unescaped

    __reduce__ = plain_reduce


class HrefSlot(NamedTuple):
    """The value of an ``<a href>``: the site may point it elsewhere (a page not
    published in the reader's locale links to the source-language version)."""

    original: str                 # the source value, unescaped

    __reduce__ = plain_reduce


class LangSlot(NamedTuple):
    """The value of ``<html lang>``."""

    original: str

    __reduce__ = plain_reduce


@dataclass(frozen=True)
class HeadSlot:
    """Just before ``</head>``: where alternate links go."""


@dataclass(frozen=True)
class BodySlot:
    """Just after ``<body>``: where the language switcher goes."""


Chunk = Union[str, TextSlot, AttrSlot, HrefSlot, LangSlot, HeadSlot, BodySlot]


@dataclass(frozen=True)
class Skeleton:
    """A parsed page: its language, its units and its chunks."""

    page: str                         # path relative to the project root, posix
    lang: str                         # the <html lang> value as written
    locale: str                       # the source locale (en, zh_TW, ...)
    segments: tuple[Segment, ...]
    chunks: tuple[Chunk, ...]
    links: tuple[str, ...] = field(default=())  # hrefs of <a> elements, for link checks
