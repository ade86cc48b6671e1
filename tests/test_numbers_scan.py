"""GL005's number scan: ``_number_matches`` finds exactly what ``_NUMBER_RE.finditer`` finds.

The fast scan runs the digits-only pattern and tries the English number words
and month names only where the word automaton saw one start; the matches (and
so the quantities) must be those of the one big pattern.
"""
from __future__ import annotations

import random
import re
from decimal import Decimal

import pytest

from l10n.checks import numbers
from l10n.checks.numbers import _NUMBER_RE, _number_matches, _word_kinds

PIECES = ["one", "One", "ONE", "twenty", "twenty-one", "twenty one", "hundred", "one hundred", "thousand",
          "3 thousand", "million", "May", "may", "March", "march", "Sept.", "Jan", "January", "first", "second",
          "once", "twice", "both", "dozen", "3", "12", "1,000", "0.5", "3.5.6", "１２", "０.１％", "十二", "兩",
          "百分之十", "萬", "3萬", "千萬", " ", " ", "-", "~", "至", "to", "and", "mg", " mg", "g", "%", "percent",
          "歲", "年", "月", "日", "個", "次", "ſix", "fıve", "İ", "K", "seventeen", "eighteen", "thirteenth", "a",
          "x", "_", "é", "someone", "done", "tenth", "ten", "often", "Oct", "Octo", "Dec.", "2023", "/", ",", ".",
          "，", "第", "十分", "三四天", "thirty-three", "ninety-nine", "billion", "Ｏｎｅ", "٣"]


def _spans(it) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.lastgroup or "") for m in it]


def _check(text: str) -> None:
    words, months, starts = _word_kinds(text)
    norm = text.translate(numbers._FULLWIDTH)
    assert _spans(_number_matches(norm, starts)) == _spans(_NUMBER_RE.finditer(norm)), text
    if starts is not None:
        assert len(text.lower()) == len(text)


@pytest.mark.parametrize("seed", range(4))
def test_fast_scan_is_the_big_pattern(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(5000):
        text = "".join(rnd.choice(PIECES) + (rnd.choice(["", " ", "-", ",", "."]) if rnd.random() < 0.5 else "")
                       for _ in range(rnd.randint(1, 14)))
        _check(text)


@pytest.mark.parametrize("text", [
    "Take one tablet twice a day for twenty-one days from March 3, 2023.",
    "In 3 thousand patients, one hundred and twelve improved; May 5 or may not.",
    "ſix fıve İstanbul Kelvin one",                      # case folding only the regex knows
    "someone done often tenth ten Oct. 12",
])
def test_examples(text: str) -> None:
    _check(text)


def test_quantities_are_unchanged_on_sentences() -> None:
    assert [(q.value, q.unit) for q in numbers.extract_quantities("twenty-one days, 500 mg, March 3")] == \
        [(21, None), (500, "mg"), (3, None), (3, None)]


# -- the assumptions extract_quantities' fast paths rest on -------------------------------------

# The plain forms of the core pattern and of the unit after a number, as extract_quantities
# used them before the unit became part of _CORE_RE and the pattern started with its
# character class: _CORE_RE must read the same numbers and units.
_Z = numbers._ZH_NUM_CHARS
_PLAIN_CORE = re.compile(
    r"(?=[0-9" + _Z + r"])(?:"
    r"(?P<digits>(?<!\d)(?<!\d\.)(?<!/m)(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d+)?)"
    r"(?:\s?(?P<mult>千萬|千万|百萬|百万|萬|万|億|亿|千|百|(?i:thousand|million|billion)\b))?"
    r"|(?P<pct>百分之(?P<pctnum>[" + _Z + r"]+|\d+(?:\.\d+)?))"
    r"|(?P<zh>[" + _Z + r"]+))")
_PLAIN_UNIT = re.compile(
    r"\s?(?:(毫克|微克|公克|公斤|毫升|克|%)|"
    r"(?i:(milligrams?|micrograms?|grams?|milli(?:liter|litre)s?|per ?cent|mcg|µg|μg|mg|kg|ml|c\.c\.|cc|g))(?![A-Za-z]))")

UNIT_PIECES = PIECES + ["mg", " mg", "MG", "毫克", " 毫克", "克", "公斤", "g", " grams", "gramſ", "µg", "Μg", "μg",
                        "Kg", "c.c.", "cc", "per cent", "percent", "%", "％", "百分之", "百分之五", "分之", "/m", "/m2",
                        "mcg", "milliliters", "3.5", ".5", "3,000", "12,34", "٣", "３", "千", "百", "thousand",
                        "million", "一", "兩", "二十", "Fig.", "gram", "gramme", "mgs", "\t", "\n"]


def _plain_reading(norm: str) -> list[tuple]:
    out = []
    for m in _PLAIN_CORE.finditer(norm):
        unit, end = None, m.end()
        if m.group("pct") is None:
            u = _PLAIN_UNIT.match(norm, m.end())
            if u:
                unit, end = u.group(1) or u.group(2), u.end()
        out.append((m.start(), end, m.group("digits"), m.group("mult"), m.group("pctnum"), m.group("zh"), unit))
    return out


def _fast_reading(norm: str) -> list[tuple]:
    out = []
    for m in numbers._CORE_RE.finditer(norm):
        digits = norm[m.start():m.end(1)] if m.group(1) is not None else None     # groups hold what follows
        zh = norm[m.start():m.end(5)] if m.group(5) is not None else None          # the first character
        unit = m.group("unit_zh") or m.group("unit_en")
        if m.lastindex == 1:          # extract_quantities' fast path: digits alone
            assert digits is not None and m.group("mult") is None and unit is None, norm
        out.append((m.start(), m.end(), digits, m.group("mult"), m.group("pctnum"), zh, unit))
    return out


def _random_texts(seed: int, pieces: list[str], n: int = 4000):
    rnd = random.Random(seed)
    for _ in range(n):
        yield "".join(rnd.choice(pieces) + (rnd.choice(["", " ", "-", ",", ".", "，"]) if rnd.random() < 0.5 else "")
                      for _ in range(rnd.randint(1, 14)))


@pytest.mark.parametrize("seed", range(3))
def test_core_pattern_reads_what_the_plain_patterns_read(seed: int) -> None:
    for text in _random_texts(seed, UNIT_PIECES):
        norm = text.translate(numbers._FULLWIDTH)
        assert _fast_reading(norm) == _plain_reading(norm), text


@pytest.mark.parametrize("text", ["500 mg", "3萬 毫克", "2 grams 3", "百分之十 mg", "1-3 mg", "mg/m2 5", "3.5.6 g",
                                  "5 gramſ", "38度5", "三四天", "1,000 mcg", "Fig.5 mL", "二十 公斤"])
def test_core_pattern_examples(text: str) -> None:
    assert _fast_reading(text) == _plain_reading(text)


CUE_PIECES = PIECES + [" in ", " In ", " IN ", " out of ", " out  of ", "\tin\t", "third", "Third", "thİrd",
                       "quarter", "QUARTER", "fifth", "half", "Half", "HALF", "alf a", "calf a", "half a tablet",
                       "1 in 10", "one out of ten", "a third", "two quarters", "十分之一", "分之", "每100人中有1人",
                       "每", "中", "有", "成", "六成", "度", "38度5", "半", "½", "¼", "¾", "in", "out", "of",
                       "2 in 3", "1  in\n 4", "x1 in 2", "1.5 in 2", "3 out\tof every 4", "Two in three", "٣ in ٤",
                       "a-third", "ONE QUARTER", "seventeen in twenty", "1,000 in 2"]


@pytest.mark.parametrize("seed", range(3))
def test_cue_gates_never_hide_a_cue(seed: int) -> None:
    """extract_quantities looks for an English cue only where the word automaton saw one in the
    lower-cased text, and _fractions runs each pattern only where what its matches hold is."""
    for text in _random_texts(seed, CUE_PIECES):
        low = text.lower()
        hits = numbers._WORD_AUTOMATON.find_matches_as_indexes(low, overlapping=True)
        en_cues = numbers._word_kinds_of(text, low, hits)[3] if hits else False
        norm = text.translate(numbers._FULLWIDTH)
        for cue in (" in ", " out of ", "third", "quarter", "fifth", "half", "Half", "alf a"):
            if cue in text or cue in norm:
                assert en_cues, (text, cue)
        if numbers._EN_FRACTION.search(norm):
            assert numbers._EN_FRACTION_MID.search(norm), text
        assert [m.span() for m in numbers._en_fraction_matches(norm)] == \
            [m.span() for m in numbers._EN_FRACTION.finditer(norm)], text
        if numbers._EN_NAMED_FRACTION.search(norm):
            assert numbers._EN_NAMED_FRACTION_HINT.search(norm), text
        if numbers._ZH_FRACTION.search(norm):
            assert "分之" in norm
        if numbers._ZH_PER.search(norm):
            assert "每" in norm


def test_value_tables_are_the_parsed_values() -> None:
    for key, value in numbers._SHORT_DECIMALS.items():
        assert value.as_tuple() == Decimal(key).as_tuple()
    assert len(numbers._SHORT_DECIMALS) == 1110
    for char, value in numbers._ZH_CHAR_VALUE.items():
        assert value == numbers.zh_numeral_value(char) and value.as_tuple() == Decimal(numbers.zh_numeral_value(char)).as_tuple()


@pytest.mark.parametrize("seed", range(3))
def test_core_scan_alone_where_no_word_or_capitalised_month(seed: int) -> None:
    """Without a whole number word or a capitalised month name (the verb "may", "march"),
    extract_quantities runs the core pattern alone: the big pattern finds nothing more (where
    the automaton's starts stand for the pattern: not with the case-folding oddities)."""
    for text in _random_texts(seed, PIECES):
        words, months, starts = _word_kinds(text)
        if not words and not months and starts is not None:
            norm = text.translate(numbers._FULLWIDTH)
            assert _spans(numbers._CORE_RE.finditer(norm)) == _spans(_NUMBER_RE.finditer(norm)), text


@pytest.mark.parametrize("text, values", [
    ("one ſix", ["1", "6"]),                 # the long s: the pattern reads "ſix" (IGNORECASE), the table has "six"
    ("Take one ſix times", ["1", "6"]),
    ("fıve and one", ["5", "1"]),            # the dotless i
    ("one Kelvin ſeven", ["1", "7"]),
])
def test_number_words_with_confusable_letters_are_read_not_crashed_on(text: str, values: list[str]) -> None:
    assert [str(q.value) for q in numbers.extract_quantities(text)] == values
