"""GL005's number scan: ``_number_matches`` finds exactly what ``_NUMBER_RE.finditer`` finds.

The fast scan runs the digits-only pattern and tries the English number words
and month names only where the word automaton saw one start; the matches (and
so the quantities) must be those of the one big pattern.
"""
from __future__ import annotations

import random

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
