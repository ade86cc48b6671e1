"""Convert Chinese text between Taiwan (zh_TW) and mainland (zh_CN) usage.

OpenCC handles script and everyday vocabulary (軟體 -> 软件); the glossary
handles medical names, which OpenCC does not know (普特皮 -> 普特彼,
硬皮症 -> 硬皮病). Glossary terms are found in the *original* text first,
longest match winning, so 局部硬皮症 becomes 局限性硬皮病 and never
局部 + 硬皮病; only the text between matches goes through OpenCC.

OpenCC's phrase tables are mostly computing vocabulary, and a few of their
entries give an everyday medical word another meaning: s2twp writes 孕妇禁用
(contraindicated in pregnancy) as 孕婦停用 (pregnant women stop using it),
tw2sp writes 停用 (stop taking) as 禁用 (prohibited). The words listed in
``l10n/data/opencc_keep.toml`` are taken out of the text before OpenCC sees it
and written as the other region writes them (after glossary terms, before OpenCC).
So are the words of ``l10n/data/regional_words.toml``, which the two regions write
differently and OpenCC leaves as they are: Taiwan's tablet, 錠 (每次1錠, 錠劑), is
a mainland 片 (一次1片, 片剂); OpenCC's 锭 is another dosage form there.
"""
from __future__ import annotations

import functools
import re
from importlib.resources import files

import ahocorasick_rs
import opencc

from l10n.glossary.model import Concept, Glossary

__all__ = ["OPENCC_CONFIGS", "convert_zh", "kept_words", "regional_words"]

OPENCC_CONFIGS = {("zh_TW", "zh_CN"): "tw2sp", ("zh_CN", "zh_TW"): "s2twp"}
_RANK = {"preferred": 0, "admitted": 1, "forbidden": 2}


@functools.lru_cache(maxsize=None)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _fold(text: str) -> str:
    """Lower-case without changing the length, so offsets stay valid."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


@functools.lru_cache(maxsize=16)
def _automaton(glossary: Glossary, locale: str) -> tuple[ahocorasick_rs.AhoCorasick, list[str]] | None:
    """Every term of ``locale`` (any status), and the concept each names (by pattern index).

    If two concepts share a text (one as forbidden), the better status wins. The automaton is
    ahocorasick-rs's, as the checks' matcher uses (``l10n.glossary.matcher``).
    """
    best: dict[str, tuple[int, int, str]] = {}
    for index, concept in enumerate(glossary.concepts):
        for term in concept.terms_for(locale):
            key = _fold(term.text)
            candidate = (_RANK[term.status], index, concept.id)
            if key not in best or candidate < best[key]:
                best[key] = candidate
    if not best:
        return None
    keys = list(best)
    automaton = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.Standard)
    return automaton, [best[key][2] for key in keys]


@functools.lru_cache(maxsize=None)
def kept_words() -> tuple[dict[str, str], ...]:
    """The ``[[keep]]`` pairs of ``l10n/data/opencc_keep.toml``: words OpenCC's phrase
    tables would turn into another meaning in medical text (each a dict: zh_TW, zh_CN,
    opencc, why)."""
    import tomllib

    data = tomllib.loads(files("l10n.data").joinpath("opencc_keep.toml").read_text("utf-8"))
    return tuple(data["keep"])


@functools.lru_cache(maxsize=None)
def regional_words() -> tuple[dict, ...]:
    """The ``[[word]]`` entries of ``l10n/data/regional_words.toml``: words the two regions write
    differently that OpenCC leaves as they are (each a dict: zh_TW, zh_CN, opencc, why, source,
    and optionally after_number, one_way)."""
    import tomllib

    data = tomllib.loads(files("l10n.data").joinpath("regional_words.toml").read_text("utf-8"))
    return tuple(data["word"])


# what may stand right before a word counted ``after_number`` (1錠, 兩錠, 半錠, 每錠, 幾錠, 5毫克錠)
_NUMBER_BEFORE = "(?<=[0-9０-９零〇一二兩两三四五六七八九十百千半幾几每克])"


@functools.lru_cache(maxsize=None)
def _kept(src: str, dst: str) -> tuple[re.Pattern, dict[str, str]]:
    """The kept and regional words of ``src`` (one pattern, longest first) and what each becomes in ``dst``."""
    table = {k[src]: k[dst] for k in kept_words()}
    counted = set()
    for w in regional_words():
        if w.get("one_way", f"{src}>{dst}") != f"{src}>{dst}":
            continue
        table[w[src]] = w[dst]
        if w.get("after_number"):
            counted.add(w[src])
    words = sorted(table, key=len, reverse=True)
    return re.compile("|".join((_NUMBER_BEFORE if w in counted else "") + re.escape(w) for w in words)), table


def _opencc_keeping(text: str, converter: opencc.OpenCC, src: str, dst: str) -> str:
    """``converter.convert(text)``, except that the kept words are written as ``dst`` writes them."""
    pattern, table = _kept(src, dst)
    out: list[str] = []
    at = 0
    for m in pattern.finditer(text):
        if m.start() > at:
            out.append(converter.convert(text[at:m.start()]))
        out.append(table[m.group(0)])
        at = m.end()
    if at == 0:
        return converter.convert(text)
    if at < len(text):
        out.append(converter.convert(text[at:]))
    return "".join(out)


def _is_word(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isascii() and text[index].isalnum()


def _glued(text: str, a: int, b: int) -> bool:
    """Characters ``a`` and ``b`` belong to one Latin word (letters with letters, digits with
    digits: 醫師開了Imuran50 mg names Imuran, as the checks' matcher reads it)."""
    return _is_word(text, a) and _is_word(text, b) and text[a].isdigit() == text[b].isdigit()


def _matches(text: str, automaton: tuple[ahocorasick_rs.AhoCorasick, list[str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, concept id), longest first, then leftmost.

    A term that begins or ends with a Latin letter or digit must not be glued
    to another one (``MTX`` does not match inside ``MTXs``); a letter against a
    digit is a boundary (``Imuran50``).
    """
    found = []
    search, concept_ids = automaton
    for i, start, end in search.find_matches_as_indexes(_fold(text), overlapping=True):
        if _glued(text, start - 1, start) or _glued(text, end - 1, end):
            continue
        found.append((start, end, concept_ids[i]))
    found.sort(key=lambda m: (m[0] - m[1], m[0]))
    used = bytearray(len(text))
    taken: list[tuple[int, int, str]] = []
    for start, end, concept_id in found:
        if not any(used[start:end]):
            used[start:end] = b"\x01" * (end - start)
            taken.append((start, end, concept_id))
    return sorted(taken)


def _render(concept: Concept, found: str, dst: str, converter: opencc.OpenCC) -> str:
    """The destination term: ``found`` itself if it is already approved there
    (an INN like ``tacrolimus``), else the destination's preferred term."""
    if _fold(found) in {_fold(t) for t in concept.approved(dst)}:
        return found
    preferred = concept.preferred(dst)
    return preferred if preferred is not None else converter.convert(found)


def convert_zh(text: str, glossary: Glossary, src: str = "zh_TW", dst: str = "zh_CN") -> str:
    """Convert ``text`` from ``src`` to ``dst`` usage (zh_TW <-> zh_CN).

    >>> convert_zh("普特皮可用於硬皮症", glossary)     # doctest: +SKIP
    '普特彼可用于硬皮病'
    """
    try:
        converter = _converter(OPENCC_CONFIGS[src, dst])
    except KeyError:
        raise ValueError(f"convert_zh converts between zh_TW and zh_CN, not {src} -> {dst}") from None
    automaton = _automaton(glossary, src)
    matches = _matches(text, automaton) if automaton is not None else []
    out: list[str] = []
    position = 0
    for start, end, concept_id in matches:
        if start > position:
            out.append(_opencc_keeping(text[position:start], converter, src, dst))
        concept = glossary.get(concept_id)
        assert concept is not None
        out.append(_render(concept, text[start:end], dst, converter))
        position = end
    if position < len(text):
        out.append(_opencc_keeping(text[position:], converter, src, dst))
    return "".join(out)
