"""The dosing vocabulary: one TOML file per language, compiled into one automaton per locale.

``vocab/en.toml``, ``vocab/zh_TW.toml`` and ``vocab/zh_CN.toml`` (package data) map each
expression to its meaning, table by table (``[rate]``, ``[period]``, ``[route]``,
``[negation]``…; docs/dosing-checks.md lists them). A locale's automaton holds its own
file first, then the other files of its language, then English (a Chinese text keeps
mg, IV, b.i.d.); an expression keeps the meaning of the first file that has it.

The automaton is ahocorasick-rs's (Rust), leftmost-longest: pyahocorasick, which the
glossary matcher uses, walks a node's children one by one, and the root of a Chinese
vocabulary has hundreds (every first character), so it took ~200 ns a character on
Chinese text against ~20 ns here (measured: 5-6 µs vs 1.6 µs for a 25-character
sentence, 120 µs vs 13 µs for 500 characters); its leftmost-longest search also does
the selection of non-overlapping matches that would otherwise be a Python loop.

The compiled :class:`Vocabulary` is cached in the process by the SHA-256 of the files'
contents, like the glossary cache: an edited file is a new key, never a stale hit.
(Compiling all three files takes a few milliseconds, so there is no disk cache.)
"""
from __future__ import annotations

import functools
import hashlib
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

import ahocorasick_rs
import rtoml

from l10n.errors import L10nError
from l10n.glossary.matcher import SEPARATOR, scan_together

__all__ = ["Vocabulary", "VocabularyError", "Entry", "SECTIONS", "vocabulary", "compile_vocabulary",
           "vocabulary_sources"]

# The tables a vocabulary file may have, and what their values look like.
SECTIONS = ("rate", "period", "period_after_count", "count", "count_suffix", "every", "time_unit",
            "duration", "route", "action", "negation", "not_a_cue", "limit", "dose_unit", "basis", "per_dose",
            "permission", "caution")
_LANG_FILES = {"en": ("en",), "zh": ("zh_TW", "zh_CN")}


class VocabularyError(L10nError):
    """A dosing vocabulary file that is not valid TOML or has an unknown table."""


class Entry(NamedTuple):
    """One expression: its table, its meaning, its length."""

    section: str
    meaning: str
    length: int
    latin_start: bool      # starts with an ASCII letter: needs a word boundary before it
    latin_end: bool        # ends with an ASCII letter or digit: needs one after it


@dataclass(frozen=True)
class Vocabulary:
    """A locale's compiled vocabulary: ``scan`` finds its expressions in a lower-cased text."""

    locale: str
    automaton: ahocorasick_rs.AhoCorasick | None
    entries: tuple[Entry, ...]          # by pattern index
    digest: str
    checked: tuple[bool, ...] = ()      # by pattern index: needs a word-boundary test
    joinable: bool = False              # no expression holds the separator of ``scan_many``

    @property
    def size(self) -> int:
        return len(self.entries)

    def scan(self, low: str) -> list[tuple[int, int, Entry]]:
        """(start, end, entry) of the expressions in ``low`` (already lower-cased), leftmost-longest,
        not overlapping, whole words for Latin expressions."""
        if self.automaton is None:
            return []
        return self._whole_words(low, self.automaton.find_matches_as_indexes(low))

    def scan_many(self, lows: list[str]) -> list[list[tuple[int, int, Entry]]]:
        """``[self.scan(low) for low in lows]``, in one automaton pass over all of them
        (``l10n.glossary.matcher.scan_together``: several times faster in a check run)."""
        if self.automaton is None:
            return [[] for _ in lows]
        together = scan_together(self.automaton, lows, overlapping=False) if self.joinable else None
        if together is None:
            return [self.scan(low) for low in lows]
        return [self._whole_words(low, raw) for low, raw in zip(lows, together)]

    def _whole_words(self, low: str, raw: list[tuple[int, int, int]]) -> list[tuple[int, int, Entry]]:
        entries = self.entries
        checked = self.checked
        hits = []
        n = len(low)
        for i, start, end in raw:
            e = entries[i]
            if checked[i]:
                if e.latin_start and start > 0 and low[start - 1].isascii() and low[start - 1].isalpha():
                    continue
                if e.latin_end and end < n and low[end].isascii() and low[end].isalnum():
                    continue
            hits.append((start, end, e))
        return hits


def vocabulary_sources(locale: str) -> tuple[tuple[str, str], ...]:
    """(file name, text) of the files a locale's vocabulary is compiled from, own file first."""
    lang = locale.split("_")[0].lower()
    own = locale if lang != "en" else "en"
    names = [own] + [n for n in _LANG_FILES.get(lang, ()) if n != own]
    if lang != "en":
        names.append("en")
    folder = resources.files("l10n.dosing") / "vocab"
    out = []
    for name in names:
        f = folder / f"{name}.toml"
        if f.is_file():
            out.append((f"l10n/dosing/vocab/{name}.toml", f.read_text(encoding="utf-8")))
    return tuple(out)


@functools.lru_cache(maxsize=16)
def vocabulary(locale: str) -> Vocabulary:
    """The compiled vocabulary of ``locale`` (en, zh_TW, zh_CN; another zh_* reads both Chinese files)."""
    sources = vocabulary_sources(locale)
    digest = hashlib.sha256(b"\0".join(n.encode() + b"\0" + t.encode() for n, t in sources)).hexdigest()
    return _compiled(locale, digest, sources)


def compile_vocabulary(locale: str, sources: tuple[tuple[str, str], ...]) -> Vocabulary:
    """Compile vocabulary files given as (name, TOML text), the first file's meaning winning."""
    digest = hashlib.sha256(b"\0".join(n.encode() + b"\0" + t.encode() for n, t in sources)).hexdigest()
    return _compiled(locale, digest, sources)


@functools.lru_cache(maxsize=16)
def _compiled(locale: str, digest: str, sources: tuple[tuple[str, str], ...]) -> Vocabulary:
    keys: list[str] = []
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    for name, text in sources:
        for key, entry in _entries(name, text):
            if key in seen:
                if seen[key] == name:
                    raise VocabularyError(f"{key!r} is in two tables", name, _line_of(text, key))
                continue
            seen[key] = name
            keys.append(key)
            entries.append(entry)
    automaton = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest) if keys else None
    return Vocabulary(locale, automaton, tuple(entries), digest,
                      tuple(e.latin_start or e.latin_end for e in entries),
                      not any(SEPARATOR in k for k in keys))


def _line_of(text: str, needle: str) -> int | None:
    """The line of ``text`` that starts with ``needle`` (a table header) or with the key ``"needle"``."""
    keys = (needle, f'"{needle}"') if needle.startswith("[") else (f'"{needle}"',)
    for i, line in enumerate(text.splitlines(), 1):
        if line.lower().lstrip().startswith(keys):
            return i
    return None


def _entries(name: str, text: str):  # type: ignore[no-untyped-def]
    try:
        data = rtoml.loads(text)          # ~25x faster than tomllib on these files
    except (rtoml.TomlParsingError, ValueError, TypeError):
        try:
            data = tomllib.loads(text)    # words the error, with its line
        except tomllib.TOMLDecodeError as exc:
            raise VocabularyError(f"not valid TOML: {exc}", name) from None
    for section, table in data.items():
        if section not in SECTIONS or not isinstance(table, dict):
            raise VocabularyError(f"unknown table [{section}] (known: {', '.join(SECTIONS)})", name,
                                  _line_of(text, f"[{section}]"))
        for raw, meaning in table.items():
            key = raw.lower()
            if not key.strip():
                raise VocabularyError(f"empty expression in [{section}]", name)
            yield key, Entry(section, str(meaning), len(key),
                             key[0].isascii() and key[0].isalpha(),
                             key[-1].isascii() and key[-1].isalnum())
