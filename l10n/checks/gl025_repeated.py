"""GL025: a word repeated by mistake ("the the", 的的, a glossary term written twice)."""
from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path
from typing import Iterator, NamedTuple

from l10n.checks.base import EntryContext, EntryRule, Example, quote
from l10n.model import Finding, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DATA = Path(__file__).with_name("repeats.toml")
_EN_WORD = re.compile(r"(?<![A-Za-z])([A-Za-z]+)\s+(\1)(?![A-Za-z])", re.IGNORECASE)
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class Repeats(NamedTuple):
    """What ``repeats.toml`` says: the Chinese characters whose doubling is reported, the
    phrases in which a doubling is fine, and the English words that may repeat."""

    zh_doubled: re.Pattern
    zh_allow: tuple[str, ...]
    en_allow: frozenset[str]


@cache
def repeats() -> Repeats:
    """``repeats.toml``, read once per process."""
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    chars = "".join(sorted(set(data["zh"]["doubled"])))
    return Repeats(zh_doubled=re.compile(f"([{re.escape(chars)}])\\1"),
                   zh_allow=tuple(data["zh"]["allow"]),
                   en_allow=frozenset(w.lower() for w in data["en"]["allow"]))


def _allowed(text: str, start: int, end: int, allow: tuple[str, ...]) -> bool:
    """Whether text[start:end] lies inside an allowed phrase, or an AABB pattern (的的確確)."""
    for phrase in allow:
        i = text.find(phrase, max(0, start - len(phrase) + 1))
        while 0 <= i <= start:
            if i + len(phrase) >= end:
                return True
            i = text.find(phrase, i + 1)
    after = text[end:end + 2]
    before = text[max(0, start - 2):start]
    return (len(after) == 2 and after[0] == after[1] and bool(_CJK.match(after))) or \
           (len(before) == 2 and before[0] == before[1] and bool(_CJK.match(before)))


def english_repeats(text: str, allow: frozenset[str]) -> list[str]:
    """Words written twice in a row, as "the the" (lower case), except the allowed ones."""
    words = text.lower().split()
    if len(set(words)) == len(words):
        return []                        # no word twice at all: the common case, decided in C
    return [f"{w} {w}" for w in (m.group(1).lower() for m in _EN_WORD.finditer(text)) if w not in allow]


def chinese_repeats(text: str, data: Repeats) -> list[str]:
    """Doubled characters that Chinese does not reduplicate (的的), outside allowed phrases."""
    if data.zh_doubled.search(text) is None:
        return []                        # the common case, without building an iterator
    return [m.group(0) for m in data.zh_doubled.finditer(text)
            if not _allowed(text, m.start(), m.end(), data.zh_allow)]


class RepeatedWord(EntryRule):
    """Repeated word: the msgstr repeats a word by mistake ("the the", 的的, 硬皮症硬皮症) where the msgid does not.

    English: a word twice in a row, letter case aside ("the the"); the
    ``[en] allow`` list of ``l10n/checks/repeats.toml`` names words that may
    repeat ("had had", "that that"). Chinese reduplicates on purpose (常常,
    慢慢, 謝謝, 看看, 漸漸, 高高興興, 研究研究), and a word ending in a
    character meets one starting with it (為了 + 了解), so only two kinds
    of repeat are reported: a doubled character of the ``[zh] doubled``
    list (的的, 了了, 是是), outside the phrases of ``[zh] allow`` (不了了之,
    現在在家) and AABB patterns (的的確確); and a glossary term written
    twice in a row (硬皮症硬皮症). A repeat the msgid has too is not
    reported (Weblate's "Consecutive duplicated words" compares the same
    way). A warning, as in Weblate and pofilter (``doublewords``).
    """

    code = "GL025"
    name = "repeated-word"
    severity = Severity.WARNING
    bad = Example("Apply the cream to the affected skin.", "將藥膏塗在患部的的皮膚上。", "en", "zh_TW")
    good = Example("Apply the cream slowly to the affected skin.", "慢慢將藥膏塗在患部的皮膚上。", "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        text = ctx.msgstr_text
        found: list[str] = []
        data = repeats()
        if " " in text or "\t" in text or "\n" in text:
            found += english_repeats(text, data.en_allow)
        if ctx.target[:2] == "zh":
            found += chinese_repeats(text, data)
            matches = ctx.target_matches if len(text) >= 4 else ()
            if len(matches) >= 2:
                prev = matches[0]
                for m in matches[1:]:
                    if m.start == prev.end and m.text == prev.text:
                        found.append(prev.text + m.text)
                    prev = m
        if not found:
            return
        src = ctx.msgid_text
        src_low = " ".join(src.lower().split())
        found = [r for r in dict.fromkeys(found) if r not in src and r not in src_low]
        for r in found:
            yield ctx.finding(self, f"repeated word: {r!r} in the msgstr; msgid {quote(ctx.entry.msgid)}", term=r)
