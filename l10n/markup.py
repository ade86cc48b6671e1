"""The placeholder syntax of msgids and msgstrs, shared by extract, render,
compile and the checks.

Inline markup in a unit is written as numbered tags without attributes:
``<a1>our guide</a1>``, ``<strong1>…</strong1>``, ``<br1/>``. The number
counts that tag name within the unit. In the text between tags ``<`` is
written ``&lt;`` and an ``&`` that would read as an entity is written
``&amp;``; everything else is literal, so "Q&A" stays "Q&A".
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

__all__ = ["Token", "tokenize", "escape_text", "unescape_text", "check_balance",
           "placeholder_names", "strip_placeholders", "PLACEHOLDER_RE"]

PLACEHOLDER_RE = re.compile(r"<(/?)([a-z][a-z0-9]*?[0-9]+)(/?)>")
_ENTITYLIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


@dataclass(frozen=True)
class Token:
    kind: str     # "text" | "open" | "close" | "empty"
    value: str    # text (unescaped) or placeholder name (e.g. "a1")
    pos: int      # offset in the string


def escape_text(text: str) -> str:
    """Text as it stands between placeholder tags."""
    return _ENTITYLIKE.sub("&amp;", text).replace("<", "&lt;")


def unescape_text(text: str) -> str:
    return text.replace("&lt;", "<").replace("&amp;", "&")


def tokenize(s: str) -> list[Token]:
    """Split a msgid/msgstr into text and placeholder tokens. Never raises."""
    out: list[Token] = []
    pos = 0
    for m in PLACEHOLDER_RE.finditer(s):
        if m.start() > pos:
            out.append(Token("text", unescape_text(s[pos:m.start()]), pos))
        closing, name, empty = m.group(1), m.group(2), m.group(3)
        if closing and empty:
            out.append(Token("text", m.group(0), m.start()))
        elif closing:
            out.append(Token("close", name, m.start()))
        elif empty:
            out.append(Token("empty", name, m.start()))
        else:
            out.append(Token("open", name, m.start()))
        pos = m.end()
    if pos < len(s):
        out.append(Token("text", unescape_text(s[pos:]), pos))
    return out


@lru_cache(maxsize=16384)
def tokens(s: str) -> tuple[Token, ...]:
    """``tokenize(s)`` as a tuple, remembered: a msgid is split once for all its locales."""
    return tuple(tokenize(s))


def placeholder_names(s: str) -> list[str]:
    """Every placeholder tag in ``s`` as written: "a1", "/a1", "br1/"."""
    return [m.group(1) + m.group(2) + m.group(3) for m in PLACEHOLDER_RE.finditer(s)]


def strip_placeholders(s: str) -> str:
    """The plain text of a msgid/msgstr: tags removed, escapes undone."""
    return "".join(t.value for t in tokenize(s) if t.kind == "text")


def _well_nested(tags: list[tuple[str, str, str]]) -> bool:
    """Whether placeholder tags (``PLACEHOLDER_RE.findall``'s) are as a string checked against
    itself finds them: each opened once and closed in order, no name used twice
    (``not _check_balance(s, s)``, without its messages; the walker writes no other)."""
    stack: list[str] = []
    seen: set[str] = set()
    for closing, name, empty in tags:
        if closing:
            if not empty and (not stack or stack.pop() != name):
                return False             # ("</x1/>" is text)
            continue
        if name in seen:
            return False
        seen.add(name)
        if not empty:
            stack.append(name)
    return not stack


def check_balance(source: str, translation: str) -> list[str]:
    """Problems with the placeholders of ``translation`` against ``source``.

    Returns human-readable problems (empty when fine): a tag the source does
    not have, a tag closed that was not open, a tag left open, a tag used
    twice, a self-closing tag written as a pair or the other way round.
    A tag the source has and the translation leaves out is allowed here
    (a translator may drop emphasis); rules that care report it separately.
    """
    if "<" not in translation:      # no tag at all: nothing can be wrong (the common case, fast)
        return []
    tags = PLACEHOLDER_RE.findall(translation)
    if tags == PLACEHOLDER_RE.findall(source) and _well_nested(tags):
        return []                   # the source's tags in the source's order, well nested (the common case)
    return _check_balance(source, translation)


def _placeholders(s: str) -> list[tuple[str, str]]:
    """The (kind, name) of the placeholder tokens of ``s``, as :func:`tokenize` gives them, without
    building its text tokens ("</x1/>" is text)."""
    return [("close" if closing else "empty" if empty else "open", name)
            for closing, name, empty in PLACEHOLDER_RE.findall(s) if not (closing and empty)]


def _check_balance(source: str, translation: str) -> list[str]:
    src_kinds: dict[str, str] = {}
    for kind, name in _placeholders(source):
        if kind != "close":
            src_kinds[name] = kind
    problems: list[str] = []
    stack: list[str] = []
    seen: set[str] = set()
    for kind, name in _placeholders(translation):
        tag = {"open": f"<{name}>", "close": f"</{name}>", "empty": f"<{name}/>"}[kind]
        if name not in src_kinds:
            problems.append(f"{tag} is not a placeholder of the source")
            continue
        if kind == "close":
            if not stack or stack[-1] != name:
                problems.append(f"{tag} closes a tag that is not open")
            else:
                stack.pop()
            continue
        if kind != src_kinds[name]:
            want = f"<{name}/>" if src_kinds[name] == "empty" else f"<{name}>…</{name}>"
            problems.append(f"{tag} should be written {want}")
            continue
        if name in seen:
            problems.append(f"{tag} is used twice")
        seen.add(name)
        if kind == "open":
            stack.append(name)
    for name in reversed(stack):
        problems.append(f"<{name}> is not closed")
    return problems
