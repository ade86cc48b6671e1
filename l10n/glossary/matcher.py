"""Find glossary terms in text: one Aho-Corasick automaton, one pass per text.

A :class:`TermMatcher` is built once for a (glossary, locale) pair and then
scans any number of texts, one pass each (no regular expression per term)::

    m = TermMatcher(glossary, "en")
    m.find("Protopic ointment for localized scleroderma")
    # [Match(0, 8, 'Protopic', 'protopic', ...), Match(22, 43, 'localized scleroderma', ...)]

How text is matched:

* Every key is lower-cased (and apostrophes, dashes and no-break spaces are
  folded), and so is a copy of the text, so "PROTOPIC" and "Protopic" both
  match; :attr:`Match.text` is always the text as written.
* A key that starts (ends) with a Latin letter or digit only matches when the
  character before (after) it is not one: "cell" is not found in "cellular".
  Chinese terms match as plain substrings. :meth:`TermMatcher.find_glued`
  reports the hits this filter threw away ("methotrexateCellCept").
* English terms also get their plural and spacing variants at build time
  (immunosuppressant -> immunosuppressants, therapy -> therapies,
  B cell -> B cells, B-cell, B-cells).
* The longest match wins and matches never overlap: "Scleroderma News" is not
  also "scleroderma", 局部硬皮症 is not also 硬皮症.

``extra_locales`` adds the terms of other locales at a lower priority (a
Chinese text often keeps an English drug name; a zh_TW text may carry a
zh_CN term by mistake); :attr:`Match.locale` says whose term was found.

The automaton is built once per glossary (all locales' keys) and shared by
that glossary's matchers; each matcher only accepts the terms of its own
locales. It is ahocorasick-rs's (Rust), searched for every overlapping hit
(``MatchKind.Standard``, ``overlapping=True``: what pyahocorasick's ``iter``
gives, by end position): it builds and scans about three times faster than
pyahocorasick, whose nodes walk their children one by one (Chinese text, whose
root has thousands of first characters, was its slowest case; the dosing
vocabulary moved for the same reason, ``l10n.dosing.vocab``).
"""
from __future__ import annotations

import functools
import gc
import re
import weakref
from bisect import bisect_right
from typing import Iterable, NamedTuple

import ahocorasick_rs

from l10n.glossary.model import Glossary

__all__ = ["Match", "TermMatcher", "english_variants", "fold", "is_word_char", "scan_together", "SEPARATOR"]

_STATUS_RANK = {"preferred": 0, "admitted": 1, "forbidden": 2}
# Concept types whose English names are proper names: no plural forms.
_NO_INFLECTION = frozenset({"brand", "organization", "publication", "department"})

# Length-preserving folding applied to keys and to the scanned copy of a text.
_FOLD = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ",
})

_FOLD_CHARS = re.compile("[" + "".join(chr(c) for c in _FOLD) + "]")


class Match(NamedTuple):
    """One term found in a text. ``text`` is ``original[start:end]``."""

    start: int
    end: int
    text: str
    concept_id: str
    status: str              # preferred | admitted | forbidden (in ``locale``)
    term: str = ""           # the glossary term as written in the glossary
    locale: str = ""         # the locale of that term
    alternatives: tuple[tuple[str, str, str], ...] = ()  # other (concept_id, status, locale) with the same key

    @property
    def concept_ids(self) -> tuple[str, ...]:
        """The concept and any other concept sharing the same written form."""
        return (self.concept_id,) + tuple(a[0] for a in self.alternatives)

    @property
    def named_ids(self) -> tuple[str, ...]:
        """The concepts this text names: those it is a preferred or admitted term of.

        A term listed only as *forbidden* for a concept (普特皮 is forbidden
        for pimecrolimus) does not name that concept; when every entry is
        forbidden (普特皮 in a zh_CN text), it names them all.
        """
        if not self.alternatives:
            return (self.concept_id,)
        entries = ((self.concept_id, self.status),) + tuple((a[0], a[1]) for a in self.alternatives)
        named = tuple(dict.fromkeys(c for c, st in entries if st != "forbidden"))
        return named or tuple(dict.fromkeys(c for c, _ in entries))


@functools.lru_cache(maxsize=256)
def fold(text: str) -> str:
    """The lower-cased, folded copy of ``text`` that the automaton scans.

    Same length as ``text`` so offsets carry over. Remembered for the last few texts: the
    rules of one entry fold the same msgid and msgstr several times (matchers, lexicon,
    dosing vocabulary).
    """
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two (İ)
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if low.isascii() or not _FOLD_CHARS.search(low):
        return low
    return low.translate(_FOLD)


def is_word_char(c: str) -> bool:
    """A Latin-script letter or digit (CJK characters are not word characters here)."""
    return c.isalnum() and c < "\u2e80"


SEPARATOR = "\x00"     # between the texts of one pass (never in a catalog's text)
_BLOCK = 1000          # texts one pass of scan_together covers


def scan_together(automaton: ahocorasick_rs.AhoCorasick, lows: list[str], *,
                  overlapping: bool) -> list[list[tuple[int, int, int]]] | None:
    """``automaton.find_matches_as_indexes(low, ...)`` of each text of ``lows``, from one pass over
    all of them joined by :data:`SEPARATOR` (offsets are each text's own); None when a text holds it.

    Exact when no pattern holds the separator (the callers check): a match then never spans two
    texts, and a leftmost(-longest) search restarts at each text as a search of that text alone
    would. Why: in a check run, the other rules' work between two texts evicts the automaton
    from the CPU caches, and a pass per text costs several times a pass over all of them.
    """
    if len(lows) > _BLOCK:              # in blocks: a pass over a few hundred kB is the fastest
        out: list[list[tuple[int, int, int]]] = []
        for at in range(0, len(lows), _BLOCK):
            got = scan_together(automaton, lows[at:at + _BLOCK], overlapping=overlapping)
            if got is None:
                return None
            out += got
        return out
    joined = SEPARATOR.join(lows)
    if joined.count(SEPARATOR) != len(lows) - 1:
        return None
    starts = []
    at = 0
    for low in lows:
        starts.append(at)
        at += len(low) + 1
    out = [[] for _ in lows]
    k = 0
    last = len(lows) - 1
    for i, start, end in automaton.find_matches_as_indexes(joined, overlapping=overlapping):
        if not (starts[k] <= start and (k == last or end < starts[k + 1])):
            k = bisect_right(starts, start) - 1
        base = starts[k]
        out[k].append((i, start - base, end - base))
    return out


def _plural(word: str) -> str | None:
    """The regular English plural of a lower-case noun, or None."""
    if len(word) < 2 or not word[-1].isalpha() or not word.isascii():
        return None
    if word.endswith("sis"):
        return word[:-2] + "es"            # diagnosis -> diagnoses
    if word.endswith(("ss", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("us"):
        return word + "es"                 # virus -> viruses
    if word.endswith("s"):
        return None                        # already plural, or a mass noun
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"           # therapy -> therapies
    return word + "s"


def english_variants(key: str, *, inflect: bool = True) -> list[str]:
    """Spelling variants of a folded English key: spacing/hyphenation and plural.

    >>> english_variants("b cell")
    ['b cell', 'b-cell', 'b cells', 'b-cells']
    """
    forms = [key]
    if " " in key and key.count(" ") <= 2 and "-" not in key:
        forms.append(key.replace(" ", "-"))
    elif "-" in key and key.count("-") <= 2 and " " not in key:
        forms.append(key.replace("-", " "))
    if inflect:
        for form in list(forms):
            head, sep, last = form.rpartition(" " if " " in form else "-")
            plural = _plural(last)
            if plural:
                forms.append(head + sep + plural)
    return forms


class _Ref(NamedTuple):
    variant: int             # 0: the term as written, 1: a generated variant
    status_rank: int
    concept_id: str
    status: str
    term: str
    locale: str


_new_ref = tuple.__new__      # _new_ref(_Ref, (...)): a _Ref without NamedTuple's Python-level __new__


class _Index:
    """Every term of a glossary, all locales, in one automaton (built once per glossary).

    A key's value is ``(length, need_left, need_right, refs)``; a
    :class:`TermMatcher` reads the refs of its own locales only.
    """

    def __init__(self, glossary: Glossary) -> None:
        self._by_id = glossary.by_id      # not the glossary itself: the cache must not keep it alive
        self._keys: dict[tuple[str, str], dict[str, list[str]]] = {}
        slots: dict[str, list[_Ref]] = {}
        rank = _STATUS_RANK
        gc_was_enabled = gc.isenabled()
        gc.disable()          # tens of thousands of small tuples: no point in collecting midway
        try:
            for concept in glossary.concepts:
                inflect = concept.type not in _NO_INFLECTION and not concept.dnt
                cid = concept.id
                for term in concept.terms:
                    text = term.text.strip()
                    if not text:
                        continue
                    key = fold(text)
                    srank = rank.get(term.status, 3)
                    ref = _new_ref(_Ref, (0, srank, cid, term.status, term.text, term.locale))
                    slot = slots.get(key)
                    if slot is None:
                        slots[key] = [ref]
                    else:
                        slot.append(ref)
                    if term.locale == "en":
                        variants = english_variants(key, inflect=inflect)
                        if len(variants) > 1:
                            vref = _new_ref(_Ref, (1, srank, cid, term.status, term.text, term.locale))
                            for form in variants[1:]:
                                slot = slots.get(form)
                                if slot is None:
                                    slots[form] = [vref]
                                else:
                                    slot.append(vref)
            keys = list(slots)
            # texts may be scanned together, joined by the separator (``scan_together``), if no key holds it
            self.joinable = not any(SEPARATOR in key for key in keys)
            # by pattern index: (length, need_left, need_right, refs); is_word_char inlined
            self.values = [(len(key), key[0].isalnum() and key[0] < "\u2e80",
                            key[-1].isalnum() and key[-1] < "\u2e80", tuple(slots[key])) for key in keys]
            self.size = len(keys)
            self.automaton = (ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.Standard)
                              if keys else None)
        finally:
            if gc_was_enabled:
                gc.enable()

    def keys(self, concept_id: str, locale: str) -> dict[str, list[str]]:
        """status -> folded keys (with variants) of a concept's terms in ``locale``."""
        got = self._keys.get((concept_id, locale))
        if got is None:
            got = {}
            concept = self._by_id.get(concept_id)
            if concept is not None:
                inflect = concept.type not in _NO_INFLECTION and not concept.dnt
                for term in concept.terms:
                    text = term.text.strip()
                    if term.locale != locale or not text:
                        continue
                    key = fold(text)
                    forms = english_variants(key, inflect=inflect) if locale == "en" else [key]
                    got.setdefault(term.status, []).extend(forms)
            self._keys[(concept_id, locale)] = got
        return got


_INDEXES: dict[int, tuple[weakref.ref, _Index]] = {}


def _forget_index(key: int, _ref: object) -> None:
    """Weakref callback: drop a dead glossary's index (harmless at interpreter exit)."""
    indexes = globals().get("_INDEXES")
    if indexes is not None:
        indexes.pop(key, None)


def index_for(glossary: Glossary) -> _Index:
    """The glossary's term index, built on first use and kept while the glossary lives."""
    key = id(glossary)
    hit = _INDEXES.get(key)
    if hit is not None and hit[0]() is glossary:
        return hit[1]
    index = _Index(glossary)
    try:
        ref = weakref.ref(glossary, functools.partial(_forget_index, key))
    except TypeError:  # not weak-referenceable: do not cache
        return index
    _INDEXES[key] = (ref, index)
    return index


class TermMatcher:
    """The terms of one locale (plus optional extra locales), found in one automaton pass.

    The automaton itself holds every locale's terms and is shared by all
    matchers of the same glossary, so a matcher per locale costs nothing
    more to build; a hit counts only when one of its terms belongs to this
    matcher's locales, and the best of those (own locale first, then
    ``extra_locales`` in order; the term as written before a generated
    variant; preferred, admitted, forbidden) is the match's concept.
    """

    def __init__(self, glossary: Glossary, locale: str, *, extra_locales: Iterable[str] = ()) -> None:
        self.glossary = glossary
        self.locale = locale
        self.extra_locales = tuple(dict.fromkeys(x for x in extra_locales if x != locale))
        self._rank = {locale: 0, **{x: i + 1 for i, x in enumerate(self.extra_locales)}}
        self._index = index_for(glossary)
        self._automaton = self._index.automaton
        self._values = self._index.values
        self.size = self._index.size
        # by pattern index: the resolved (concept_id, status, term, locale, alternatives), None
        # when no term of the key belongs to this matcher's locales, False while not resolved yet
        self._resolved: list[tuple | None | bool] = [False] * self.size
        self._expected: list[str] | None = None           # texts to scan together on first use
        self._prescanned: dict[str, list[tuple[int, int, int]]] = {}   # text -> its automaton hits
        self._found: dict[str, list[Match]] = {}          # text -> find(text), for the expected texts

    def expect(self, texts: Iterable[str]) -> None:
        """The texts :meth:`find` is about to be asked about: the first ``find`` finds the terms of
        them all, in one automaton pass (:func:`scan_together`) and one loop, and the others read
        theirs from it (one pass and one loop per text cost several times more in a check run,
        where the other rules' work evicts the automaton and the tables from the CPU caches
        between two texts). Replaces the texts expected before."""
        self._expected = list(texts) if self._index.joinable else None
        self._prescanned = {}
        self._found = {}

    def _prescan(self) -> None:
        texts = list(dict.fromkeys(t for t in self._expected or () if t))
        self._expected = None
        if self.size and len(texts) > 1:
            hits = scan_together(self._automaton, [fold(t) for t in texts], overlapping=True)
            if hits is not None:
                self._prescanned = dict(zip(texts, hits))
                select, scan = self._select, self._scan
                self._found = {t: select(t, scan(t, glued=False)[0]) for t in texts}

    def _resolve(self, refs: tuple) -> tuple | None:
        """The match fields for a key's refs: the best of this matcher's locales first."""
        rank = self._rank
        mine = [r for r in refs if r.locale in rank]
        if not mine:
            return None
        if len(mine) > 1:
            mine.sort(key=lambda r: (rank[r.locale], r.variant, r.status_rank))
        first = mine[0]
        alts = tuple((r.concept_id, r.status, r.locale) for r in mine[1:])
        return (first.concept_id, first.status, first.term, first.locale, alts)

    # -- scanning ---------------------------------------------------------

    def _scan(self, text: str, *, glued: bool):
        """All hits of the automaton: (accepted, rejected-for-boundary)."""
        accepted: list[tuple[int, int, tuple]] = []
        rejected: list[tuple[int, int, tuple]] = []
        if not self.size or not text:
            return accepted, rejected
        low = fold(text)
        n = len(low)
        resolved = self._resolved
        values = self._values
        if self._expected is not None:
            self._prescan()
        raw = self._prescanned.get(text)
        if raw is None:
            raw = self._automaton.find_matches_as_indexes(low, overlapping=True)
        for i, start, end in raw:
            res = resolved[i]
            if res is False:
                res = resolved[i] = self._resolve(values[i][3])
            if res is None:
                continue                      # no term of this matcher's locales
            value = values[i]
            # is_word_char, inlined: this loop runs for every hit. A letter against a digit is a
            # word boundary (Chinese text glues Latin names to numbers: 醫師開了Imuran50 mg).
            if (value[1] and start > 0 and low[start - 1].isalnum() and low[start - 1] < "\u2e80"
                    and low[start - 1].isdigit() == low[start].isdigit()) or (
                value[2] and end < n and low[end].isalnum() and low[end] < "\u2e80"
                    and low[end].isdigit() == low[end - 1].isdigit()
            ):
                if glued:
                    rejected.append((start, end, res))
                continue
            accepted.append((start, end, res))
        return accepted, rejected

    def _select(self, text: str, hits: list[tuple[int, int, tuple]],
                taken: bytearray | None = None) -> list[Match]:
        """Longest first, then leftmost; drop any hit overlapping a chosen one."""
        if not hits:
            return []
        if taken is None and len(hits) > 1:
            # Usual case: the automaton reports hits by end position; if none
            # overlaps the one before, there is nothing to choose.
            prev_end = -1
            for h in hits:
                if h[0] < prev_end:
                    break
                prev_end = h[1]
            else:
                return self._matches(text, hits)
        if len(hits) > 1 or taken is not None:
            hits = sorted(hits, key=lambda h: (h[0] - h[1], h[0]))
            occ = taken if taken is not None else bytearray(len(text))
            chosen = []
            for h in hits:
                s, e = h[0], h[1]
                if occ.find(1, s, e) == -1:
                    occ[s:e] = b"\x01" * (e - s)
                    chosen.append(h)
            chosen.sort(key=lambda h: h[0])
            hits = chosen
        return self._matches(text, hits)

    @staticmethod
    def _matches(text: str, hits: list[tuple[int, int, tuple]]) -> list[Match]:
        new = tuple.__new__
        return [new(Match, (s, e, text[s:e]) + res) for s, e, res in hits]

    def find(self, text: str) -> list[Match]:
        """Terms in ``text``: whole words for Latin terms, longest match wins, no overlaps."""
        if self._expected is not None:
            self._prescan()
        found = self._found.get(text)
        if found is not None:
            return list(found)
        return self._select(text, self._scan(text, glued=False)[0])

    def find_glued(self, text: str) -> list[Match]:
        """Terms written flush against a Latin letter ("methotrexateCellCept").

        Only hits that :meth:`find` rejects because a neighbour is a letter
        (not a digit) and that do not lie inside an accepted match.
        """
        accepted, rejected = self._scan(text, glued=True)
        if not rejected:
            return []
        low = fold(text)
        n = len(low)
        letter_glued = []
        for s, e, res in rejected:
            if (s > 0 and low[s - 1].isalpha() and is_word_char(low[s - 1])) or (
                e < n and low[e].isalpha() and is_word_char(low[e])
            ):
                letter_glued.append((s, e, res))
        if not letter_glued:
            return []
        taken = bytearray(len(text))
        for s, e, _ in accepted:
            taken[s:e] = b"\x01" * (e - s)
        return self._select(text, letter_glued, taken)

    # -- lookups ------------------------------------------------------------

    def keys_for(self, concept_id: str, *statuses: str) -> list[str]:
        """Folded keys (with variants) of a concept's terms in this matcher's locale."""
        by_status = self._index.keys(concept_id, self.locale)
        if not statuses:
            return [k for keys in by_status.values() for k in keys]
        return [k for st in statuses for k in by_status.get(st, ())]

    def occurs(self, folded_text: str, key: str, *, loose: bool = False) -> bool:
        """Whether ``key`` occurs in an already folded text, respecting word boundaries.

        ``loose``: a key of four or more characters may also sit inside a
        longer word ("immune response" in "autoimmune response").
        """
        need_left = is_word_char(key[0])
        need_right = is_word_char(key[-1])
        if not (need_left or need_right) or (loose and len(key) >= 4):
            return key in folded_text
        n = len(folded_text)
        i = folded_text.find(key)
        while i != -1:
            j = i + len(key)
            if not (need_left and i > 0 and is_word_char(folded_text[i - 1])) and not (
                need_right and j < n and is_word_char(folded_text[j])
            ):
                return True
            i = folded_text.find(key, i + 1)
        return False
