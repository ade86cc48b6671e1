"""Numbers in English and Chinese text, as values, for comparing a msgid with its msgstr.

``extract_quantities`` finds every number a reader would take as one and
normalises it, so the same amount written two ways compares equal:

* full-width digits and signs: ０.１％ == 0.1%
* thousands separators: 3,000 == 3000; Chinese multipliers: 3萬 == 30000
* Chinese numerals: 十二 == 12, 二十五, 一百, 兩/两 == 2, 百分之十 == 10%
  (a lone numeral counts only before a measure word or after 第, so 一般,
  統一, 十分重要 and 十二指腸 are not numbers)
* English number words: twelve, twenty-five, once, twice, third, both
* doses: mg/毫克, g/公克/克, mcg/微克, kg/公斤 -> mg; mL/毫升/cc -> mL; % / percent
  (500 mg == 0.5 g); 兩錠, 三粒, 10單位 are counts; the 2 of mg/m2 is not a number
* dates: a month name next to a number is that month's number, so
  2023/02/27, 2023-02-27, 2023年2月27日 and February 27, 2023 all give {2023, 2, 27}
* ranges: 1至3, 1~3, 1-3, 1 to 3 all give {1, 3}; a unit written once after a
  range or list applies to every number in it ("1-3 mg")
* fractions and ratios are one value, as a percentage: 十分之一 == "1 in 10" ==
  "one out of ten" == 10%, 三分之二 == "2 in 3", 千分之一 == 0.1%,
  每100人中有1人 == "1 in 100"
* halves: 一錠半 == 1錠半 == "one and a half" == 1.5; "double" and "triple" are soft 2 and 3

``compare`` matches two lists as multisets; a number with a unit matches the
same value without one, a unitless 1 is ignored ("once a day", 一天, "a"),
and "soft" numbers (English ordinals, once/twice/both, 兩者) may match but are
never reported missing or extra.
"""
from __future__ import annotations

import re
from collections import Counter

import ahocorasick_rs
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

__all__ = ["Quantity", "extract_quantities", "compare", "zh_numeral_value"]


class Quantity(NamedTuple):
    value: Decimal
    unit: str | None      # "mg", "mL", "%" or None
    text: str             # as written in the text
    start: int
    soft: bool = False    # an English ordinal or once/twice: may match, never reported


_FULLWIDTH = str.maketrans({
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    "．": ".", "％": "%", "～": "~", "－": "-", "／": "/", "：": ":", "﹪": "%",
    "\u2013": "-", "\u2014": "-", "\u301c": "~",
})

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "两": 2, "俩": 2, "倆": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_SMALL = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"萬": 10_000, "万": 10_000, "億": 100_000_000, "亿": 100_000_000}
_ZH_DIGIT_CHARS = "".join(_ZH_DIGITS)
_ZH_BIG_CHARS = "".join(_ZH_BIG)
_ZH_NUM_CHARS = _ZH_DIGIT_CHARS + "".join(_ZH_SMALL) + _ZH_BIG_CHARS

# Measure words and units after which a Chinese numeral is a count.
_ZH_COUNTERS = tuple("""
個 个 次 歲 岁 年 月 日 號 号 天 週 周 星期 小時 小时 鐘頭 钟头 分鐘 分钟 秒 毫克 微克 公克 克 公斤 毫升
c.c cc mg g ml 顆 颗 粒 片 支 瓶 條 条 位 名 種 种 倍 級 级 期 度 型 類 类 項 项 例 人 餐 劑 剂 盒 包 滴
針 针 回 遍 點 点 層 层 樓 楼 份 組 组 代 公分 公尺 公里 毫米 厘米 釐米 公釐 杯 根 處 处 部 家 間 间 所
錠 锭 膠囊 胶囊 單位 单位 國際單位 国际单位 噴 喷 劑 剂 袋 丸 貼 贴 帖 枚 格
篇 本 張 张 門 门 段 季 晚 夜 口 輪 轮 療程 疗程 節 节 趟 胎 碗 匙 湯匙 茶匙 CC 者 下
""".split())
# by first character: the few a text can start with are tried, not all of them
_COUNTERS_BY_FIRST = {f: tuple(c for c in _ZH_COUNTERS if c[0] == f) for f in {c[0] for c in _ZH_COUNTERS}}
# Words that contain numerals but are not numbers.
_ZH_NOT_NUMBERS = ("十二指腸", "十二指肠", "五十肩", "千萬", "千万", "萬一", "万一", "一一", "百分百", "兩劑之間", "两剂之间", "兩劑間隔", "两剂间隔", "兩次接種之間", "两次接种之间",
                   "/千克", "每千克",
                   "三長兩短", "三长两短", "一五一十", "七上八下", "十全", "九死一生")

_ZH_NOT_RE = re.compile("|".join(sorted(_ZH_NOT_NUMBERS, key=len, reverse=True)))

_UNIT_CANON = {
    "mg": ("mg", 1), "milligram": ("mg", 1), "milligrams": ("mg", 1), "毫克": ("mg", 1),
    "g": ("mg", 1000), "gram": ("mg", 1000), "grams": ("mg", 1000), "公克": ("mg", 1000), "克": ("mg", 1000),
    "mcg": ("mg", Decimal("0.001")), "µg": ("mg", Decimal("0.001")), "μg": ("mg", Decimal("0.001")),
    "microgram": ("mg", Decimal("0.001")), "micrograms": ("mg", Decimal("0.001")), "微克": ("mg", Decimal("0.001")),
    "kg": ("mg", 1_000_000), "公斤": ("mg", 1_000_000), "kilo": ("mg", 1_000_000), "kilos": ("mg", 1_000_000),
    "kilogram": ("mg", 1_000_000), "kilograms": ("mg", 1_000_000),
    "ml": ("mL", 1), "milliliter": ("mL", 1), "milliliters": ("mL", 1), "millilitre": ("mL", 1),
    "millilitres": ("mL", 1), "cc": ("mL", 1), "c.c.": ("mL", 1), "毫升": ("mL", 1),
    "%": ("%", 1), "percent": ("%", 1), "per cent": ("%", 1),
}
# A unit right after a number (its optional space included). It is part of the number
# patterns below (one regex pass reads the number and its unit); no digit or Chinese numeral
# and no place where an English number word or month name can start lies inside it, so
# taking it into a match never hides the start of the next number.
# The lookahead only lets the engine give up early where no unit can start (its class holds
# the first character of every alternative, with the same case folding).
_UNIT = (r"(?:(?=\s?(?:[毫微公克%]|(?i:[mgpkcµμ])))\s?(?:(?P<unit_zh>毫克|微克|公克|公斤|毫升|克|%)|"
         r"(?i:(?P<unit_en>milligrams?|micrograms?|kilo(?:gram)?s?|grams?|milli(?:liter|litre)s?|per ?cent|mcg|µg|μg|mg|kg|ml"
         r"|c\.c\.|cc|g))(?![A-Za-z])))?")

_MULTIPLIERS = {"萬": 10_000, "万": 10_000, "億": 10**8, "亿": 10**8, "千萬": 10**7, "千万": 10**7,
                "百萬": 10**6, "百万": 10**6, "千": 1000, "百": 100,
                "thousand": 1000, "million": 10**6, "billion": 10**9}

_EN_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_EN_OTHER = {"once": 1, "twice": 2, "thrice": 3, "both": 2, "first": 1, "second": 2, "third": 3, "fourth": 4,
             "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
             "eleventh": 11, "twelfth": 12, "dozen": 12, "hundred": 100, "double": 2, "triple": 3,
             "bid": 2, "tid": 3, "qid": 4}       # a label's bid = twice (a day): soft, as twice is
_MONTHS = {m: i + 1 for i, m in enumerate(
    "January February March April May June July August September October November December".split())}
_MONTHS.update({m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())})
_MONTHS["Sept"] = 9

_ONES = "|".join(sorted(_EN_UNITS, key=len, reverse=True))
_TENS = "|".join(_EN_TENS)
_OTHER = "|".join(sorted(_EN_OTHER, key=len, reverse=True))
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))

_CORE = (
    # The first character is read by a character class, which lets the engine skip to the
    # candidates (a pattern that starts with a lookahead or a group is tried at every
    # character); each alternative checks it by a lookbehind and reads the rest, so the
    # digits and zh groups hold what follows the first character.
    r"[0-9" + _ZH_NUM_CHARS + r"](?:"
    # digits: not after a digit, "3." (3.5.6) or "/m" (mg/m2), then as \d{1,3}(?:,\d{3})+ or \d+
    r"(?<=[0-9])(?<!\d.)(?<!\d\..)(?<!/m.)(?P<digits>(?:\d{0,2}(?:,\d{3})+(?![\d])|\d*)(?:\.\d+)?)"
    r"(?:\s?(?P<mult>千萬|千万|百萬|百万|萬|万|億|亿|千|百|(?i:thousand|million|billion)\b))?"
    r"|(?<=百)(?P<pct>分之(?P<pctnum>[" + _ZH_NUM_CHARS + r"]+|\d+(?:\.\d+)?))"
    r"|(?<=[" + _ZH_NUM_CHARS + r"])(?P<zh>[" + _ZH_NUM_CHARS + r"]*))"
)
# Digits and Chinese numerals only: the usual case, and fast (one character class up front).
# A percentage (百分之十) takes no unit.
_CORE_RE = re.compile(_CORE + "(?(pct)|" + _UNIT + ")")
# extract_quantities reads m.groups(): the first five are these, the last two the unit
assert list(_CORE_RE.groupindex) == ["digits", "mult", "pct", "pctnum", "zh", "unit_zh", "unit_en"]


# With English number words and month names (slow alternations: used only when
# the text has one of those words).
_NUMBER_RE = re.compile(
    "(?:" + _CORE + r"|(?P<word>\b(?i:(?P<tens>" + _TENS + r")(?:[- ](?P<tens_one>one|two|three|four|five|six|seven"
    r"|eight|nine))?|(?P<ones>" + _ONES + r")|(?P<other>" + _OTHER + r"))"
    r"(?:[- ](?P<word_mult>hundred|thousand|million))?\b)"
    r"|(?P<month>\b(?:" + _MONTH_ALT + r")\b\.?))"
    "(?(pct)|(?(month)|" + _UNIT + "))"        # a percentage or a month takes no unit
)
assert list(_NUMBER_RE.groupindex)[:5] == list(_CORE_RE.groupindex)[:5]
assert list(_NUMBER_RE.groupindex)[-2:] == ["unit_zh", "unit_en"]
# Fractions: 十分之一 (one tenth), 三分之二; "1 in 10", "one out of ten".
_ZH_FRACTION = re.compile(r"([" + _ZH_NUM_CHARS + r"]+|\d+)分之([" + _ZH_NUM_CHARS + r"]+|\d+(?:\.\d+)?)")
# 每100人中有1人 ("1 in every 100 people"), 每10名病人中約有1名, 每100次妊娠中就有3次 (a measure word and
# a noun of up to four characters between the number and 中)
_ZH_PER = re.compile(r"每\s*(\d{1,3}(?:,\d{3})+|\d+|[" + _ZH_NUM_CHARS + r"]+)\s*(?:個|个|名|位|例|次|對|对)?"
                     r"(?:[\u4e00-\u9fff]{1,4}?)?\s*之?中\s*(?:大約|大约|約|约|就|僅|仅|只)?\s*有\s*"
                     r"(\d+|[" + _ZH_NUM_CHARS + r"]+)")
# tenths as a share: 六成 = 60 %, 六到七成 = 60-70 % (not 成人, 成分, 一成不變, 八成是: what may follow is listed)
_ZH_TENTHS = re.compile(r"([一二兩两三四五六七八九十]{1,2})(?:\s*(?:到|至|~|～|-|或)\s*([一二兩两三四五六七八九十]{1,2}))?成"
                        r"(?=的|左右|以上|以下|多|病人|患者|孩子|兒童|儿童|[，。、；：）)]|$)")
# what a Chinese count of pills or doses may be followed by 半 (一錠半 = 1.5 tablets)
_HALF_COUNTERS = frozenset("錠锭顆颗粒片個个包支匙瓶岁歲丸袋貼贴")
# what 半 alone may count (半錠 = 0.5 tablet; not 半個月, 半年: durations, read by the dosing rules)
_HALF_ALONE = frozenset("錠锭顆颗粒片包支匙瓶滴丸袋貼贴")
_EN_HALF = (" and a half", "-and-a-half")
# "half a tablet": 0.5 of a pill or spoonful (not "half an hour", "half of the patients")
_EN_HALF_A = re.compile(r"\bhalf an? (?=(?:[A-Za-z-]+ )?(?:tablet|capsule|pill|sachet|teaspoon|tablespoon|spoon|spoonful|vial|"
                        r"ampoule|bottle|dose|suppository|patch|gram)s?\b)", re.IGNORECASE)
_GRAM_NEXT = re.compile(r"(?i:grams?)\b")
_VULGAR = {"½": Decimal("0.5"), "¼": Decimal("0.25"), "¾": Decimal("0.75")}
_HALF_ALONE_RE = re.compile("[½¼¾]|半(?=[" + "".join(sorted(_HALF_ALONE)) + "])")
_ZH_SOFT_TIMES = frozenset(("一", "兩", "两", "俩", "倆", "二", "三"))   # 一次, 兩次, 三次: as once, twice, thrice
_EN_SMALL = _ONES + "|" + _TENS
_EN_FRACTION = re.compile(r"(?<![\w.,])(\d+|(?i:" + _EN_SMALL + r"))\s+(?:in|out\s+of)\s+(?:every\s+)?"
                          r"(\d{1,3}(?:,\d{3})+|\d+|(?i:" + _EN_SMALL + r"))(?![\w.,]\d)(?!\w)")
# The last whitespace before the "in" or "out of" of an _EN_FRACTION match (each one, also
# where they overlap), and the lengths of the words its first number may be.
_EN_FRACTION_MID = re.compile(r"\s(?=(?:in|out\s+of)\s)")
_EN_SMALL_LENGTHS = sorted({len(w) for w in _EN_SMALL.split("|")})
# what every _EN_NAMED_FRACTION match holds (a cheap scan: it starts with a character class)
_EN_NAMED_FRACTION_HINT = re.compile(r"[ -](?i:third|quarter|fifth)")
# "a third of patients", "two thirds": named fractions (not "half": "one and a half" is 1.5)
_EN_NAMED_FRACTION = re.compile(r"\b(a|one|two|three|four)[ -](third|thirds|quarter|quarters|fifth|fifths)\b",
                                re.IGNORECASE)
_NAMED_NUM = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_NAMED_DEN = {"third": 3, "quarter": 4, "fifth": 5}
_ZH_RANGE_NEXT = re.compile(r"\s*(?:到|至|~|-|、|或|和)\s*(?:[" + _ZH_NUM_CHARS + r"]+|\d+)")
_RANGE_GLUE = re.compile(r"\s*(?:-|~|至|到|to|and|or|或|和|與|与|、|,|，)\s*$")
_NUM_AFTER = re.compile(r"\.?,?\s{0,2}\d")
_NUM_BEFORE = re.compile(r"\d\s{0,2}$")
_DIGITISH = re.compile(r"[0-9０-９" + _ZH_NUM_CHARS + r"]")
_LATIN = re.compile(r"[A-Za-z]")
_FULLWIDTH_CHARS = re.compile("[" + "".join(chr(c) for c in _FULLWIDTH) + "]")
_new = tuple.__new__
_NO_UNIT = (None, 1)
# The values of the digit strings of one to three digits, which are most numbers in a text: a
# lookup instead of parsing. Keyed by the exact string ("05" too), so each value is Decimal(key).
_SHORT_DECIMALS = {str(i).zfill(n): Decimal(str(i).zfill(n)) for n in (1, 2, 3) for i in range(10 ** n)}


# English words whose presence decides whether extract_quantities looks for a fraction or a
# half (" in " for "1 in 10", "third", "half", ...): found by the word automaton's pass over
# the lower-cased text, so a text without one skips the (case-sensitive) look for each.
_EN_CUES = (" in ", " out of ", "third", "quarter", "fifth", "half", "alf a")
_WORD, _MONTH, _CUE_ONLY = 0, 1, 2


def _build_word_automaton() -> tuple[ahocorasick_rs.AhoCorasick, tuple[int, ...], tuple[bool, ...]]:
    """The number words, month names and cue words (lower case); by pattern index, its kind
    (_WORD, _MONTH or _CUE_ONLY) and whether it is one of _EN_CUES."""
    kinds: dict[str, int] = {}
    for w in list(_EN_UNITS) + list(_EN_TENS) + list(_EN_OTHER):
        kinds[w] = _WORD
    for m in _MONTHS:
        if m.lower() not in _EN_OTHER:
            kinds[m.lower()] = _MONTH
    for c in _EN_CUES:
        kinds.setdefault(c, _CUE_ONLY)
    return (ahocorasick_rs.AhoCorasick(list(kinds), matchkind=ahocorasick_rs.MatchKind.Standard),
            tuple(kinds.values()), tuple(w in _EN_CUES for w in kinds))


_WORD_AUTOMATON, _WORD_KIND, _WORD_IS_CUE = _build_word_automaton()
# The characters of the other cues (分之, 每…中, 成, 度, 半, ½ ¼ ¾): a text without them and
# without an English cue has no fraction, no 38度5 and no half to look for.
_CJK_CUES = re.compile("[分每成度半½¼¾]")


def zh_numeral_value(s: str) -> int:
    """The value of a run of Chinese numerals: 十二 -> 12, 一百零五 -> 105, 二〇二三 -> 2023."""
    if not any(c in _ZH_SMALL or c in _ZH_BIG for c in s):
        return int("".join(str(_ZH_DIGITS[c]) for c in s))
    total = section = num = 0
    for c in s:
        if c in _ZH_DIGITS:
            num = _ZH_DIGITS[c]
        elif c in _ZH_SMALL:
            section += (num or 1) * _ZH_SMALL[c]
            num = 0
        else:
            section += num
            total += (section or 1) * _ZH_BIG[c]
            section = num = 0
    return total + section + num


# The value of a Chinese numeral written alone (一 = 1, 兩 = 2, 十 = 10), as zh_numeral_value gives it.
_ZH_CHAR_VALUE = {c: Decimal(zh_numeral_value(c)) for c in _ZH_NUM_CHARS}


def _dec(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex only lets numbers through
        return Decimal(0)


# what re.IGNORECASE matches to an ASCII letter although str.lower() does not give it (ſ, ı, İ, the
# Kelvin sign): "ſix" is read by the pattern, and looked up as "six"
_CONFUSABLE_ASCII = str.maketrans({"\u017f": "s", "\u0131": "i", "\u0130": "i", "\u212a": "k"})


def _key_of(word: str) -> str:
    low = word.lower()
    return low if low.isascii() else low.translate(_CONFUSABLE_ASCII)


def _word_value(m: re.Match) -> tuple[Decimal, bool]:
    """(value, soft) of an English number word; ordinals and once/twice are soft."""
    if m.group("tens"):
        value = _EN_TENS[_key_of(m.group("tens"))]
        if m.group("tens_one"):
            value += _EN_UNITS[_key_of(m.group("tens_one"))]
        soft = False
    elif m.group("ones"):
        value, soft = _EN_UNITS[_key_of(m.group("ones"))], False
    else:
        value, soft = _EN_OTHER[_key_of(m.group("other"))], True
    if m.group("word_mult"):
        value *= _MULTIPLIERS.get(_key_of(m.group("word_mult")), 100)
    return Decimal(value), soft


def extract_quantities(text: str) -> list[Quantity]:
    """Every number in ``text`` with its unit (see the module docstring)."""
    norm = text if text.isascii() or not _FULLWIDTH_CHARS.search(text) else text.translate(_FULLWIDTH)
    if "-19" in norm or "CoV-2" in norm or "-nCoV" in norm:
        # COVID-19, SARS-CoV-2: a name (新冠 in Chinese), its digits blanked (offsets kept)
        norm = _DISEASE_NAMES.sub(lambda m: " " * len(m.group()), norm)
    core = list(_CORE_RE.finditer(norm))
    # a digit (full-width too) or a Chinese numeral: where a core match starts (norm differs
    # from text only in full-width signs made ASCII)
    digitish = bool(core) or _DIGITISH.search(text) is not None
    words = months = en_cues = False
    starts: list[int] | None = None
    if _LATIN.search(text):     # else no number word, month name or English cue
        low = text.lower()
        hits = _WORD_AUTOMATON.find_matches_as_indexes(low, overlapping=True)
        if hits:                # else none of them either
            words, months, starts, en_cues = _word_kinds_of(text, low, hits)
            months = months and digitish
    # The cues below are looked for only where they may be: an English one (all have
    # letters, and norm has the letters of text) where the automaton saw it in the
    # lower-cased text, the others in a text with one of their characters. translate()
    # makes none of these characters, so text and norm have the same.
    cjk = not norm.isascii() and _CJK_CUES.search(norm) is not None
    if not digitish and not words and not ((en_cues and ("alf a" in text or "quarter" in text or "fifth" in text))
                                           or (cjk and ("½" in text or "¼" in text or "¾" in text or "半" in text))):
        return []
    raw: list[list] = []   # [value, raw unit or None, start, end, soft]
    fractions = None
    if (cjk and ("分之" in norm or ("每" in norm and "中" in norm) or "成" in norm)) \
            or (en_cues and (" in " in norm or " out of " in norm or "third" in norm or "quarter" in norm
                             or "fifth" in norm)):
        fractions = [(s, e, value, "%", False) for s, e, value in _fractions(norm)]     # a fraction is a %
    if "/" in norm:                   # "1/2 tab", 1/4錠: a part of one tablet, as 半顆 is (not the numbers 1 and 2)
        parts = []
        for m in _SLASH_PART.finditer(norm):
            if m.group(1) is not None:          # 1/4丸, "1/2 tab": a part of one unit
                if int(m.group(1)) < int(m.group(2)):
                    parts.append((m.start(), m.end(), Decimal(int(m.group(1))) / Decimal(int(m.group(2))), None, False))
            elif int(m.group(3)) < int(m.group(4)):     # 成人量的1/3: a part of an amount, as "a third" (a %);
                parts.append((m.start(), m.end(),          # soft: "half the adult dose" holds no number
                              Decimal(100 * int(m.group(3))) / Decimal(int(m.group(4))), "%", True))
        if parts:
            fractions = (fractions or []) + parts
    has_unit = bool(fractions) and any(f[3] for f in fractions)   # some number has a unit: the range step has work
    not_words: bool | None = None     # the text holds one of _ZH_NOT_NUMBERS: found at the first Chinese numeral
    short = _SHORT_DECIMALS
    for m in (_number_matches(norm, starts, core) if words or months else core):
        start = m.start()
        if fractions and any(f[0] <= start < f[1] for f in fractions):
            continue
        if m.lastindex == 1:
            # the usual case: the last group the match closed is the digits, so no
            # multiplier and no unit follow them (read from m.groups() otherwise)
            g = None
            unit = None
            digits_end = m.end()
        else:
            g = m.groups()         # digits, mult, pct, pctnum, zh, [words and month,] unit_zh, unit_en
            unit = g[-2] or g[-1]  # the unit is in the match (_UNIT): its end is the match's end
            if unit is not None:
                unit = unit.lower()
                has_unit = True
            digits_end = -1 if g[0] is None else m.end(1)
        if digits_end >= 0:
            digits = norm[start:digits_end]
            value = short.get(digits)
            if value is None:
                value = Decimal(digits) if digits.isascii() and "," not in digits else _dec(digits)
            if start and norm[start - 1] == "." and "." not in digits and "," not in digits \
                    and not (start > 1 and norm[start - 2].isalnum()):     # "Fig.5", "No.3": not a decimal
                value = Decimal("0." + digits)      # ".5 mL", a decimal without its leading zero
                start -= 1
            if g is not None and g[1]:
                value *= _MULTIPLIERS[g[1].lower()]
            raw.append([value, unit, start, m.end(), False])
        elif g[2] is not None:
            num = g[3]
            raw.append([_dec(num) if num[0].isdigit() else Decimal(zh_numeral_value(num)), "%", start, m.end(), False])
            has_unit = True
        elif g[4] is not None:
            if not_words is None:
                # _zh_count looks for these words near the numeral; none in the text, none near it
                not_words = _ZH_NOT_RE.search(norm) is not None
            zh_end = m.end(5)
            counted = _zh_count(norm, start, zh_end, not_words)
            if counted is None:
                continue
            values, soft = counted
            for extra in values[:-1]:      # 三四天 = "3 or 4 days": all but the last number
                raw.append([extra, None, start, zh_end, soft])
            raw.append([values[-1], unit, start, m.end(), soft])
        elif m.group("word") is not None:
            value, soft = _word_value(m)
            raw.append([value, unit, start, m.end(), soft])
        else:
            end = m.end()
            if not (_NUM_AFTER.match(norm, end) or _NUM_BEFORE.search(norm, 0, start)):
                continue          # "May" the verb, "March" the walk
            raw.append([Decimal(_MONTHS[m.group("month").rstrip(".")]), None, start, end, False])

    if fractions:
        raw.extend([value, unit, start, end, soft] for start, end, value, unit, soft in fractions)
        raw.sort(key=lambda r: r[2])
    if cjk and "度" in norm:
        _join_degrees(norm, raw)
    if "年" in norm and raw:
        _roc_years(norm, raw)
    if ":" in norm and raw:
        _drop_minutes(norm, raw)
    if raw and ("12" in norm or "十二" in norm) and ("點" in norm or "点" in norm):
        _midnight_noon(norm, raw)
    if (cjk and ("半" in norm or "½" in norm or "¼" in norm or "¾" in norm)) \
            or (en_cues and ("half" in norm or "Half" in norm)):
        _add_halves(norm, raw)
    if has_unit:
        # A unit written once after a range or list applies to the numbers before it.
        for i in range(len(raw) - 2, -1, -1):
            cur, nxt = raw[i], raw[i + 1]
            if cur[1] is None and nxt[1] is not None and _RANGE_GLUE.match(norm[cur[3]:nxt[2]]) \
                    and not norm[cur[2]:cur[3]].endswith(("歲半", "岁半")) \
                    and not _LABEL_BEFORE.search(norm, max(0, cur[2] - 8), cur[2]):
                cur[1] = nxt[1]     # (三歲半，十四公斤: an age, then a weight; "in week 1, 1,000 mg": a label)

    if not has_unit:           # no unit anywhere (the usual case)
        return [_new(Quantity, (value, None, text[start:end], start, soft)) for value, _, start, end, soft in raw]
    out = []
    for value, unit, start, end, soft in raw:
        if unit is None:
            out.append(_new(Quantity, (value, None, text[start:end], start, soft)))
        else:
            canon, factor = _UNIT_CANON.get(unit, _NO_UNIT)
            out.append(_new(Quantity, (value * factor if canon else value, canon, text[start:end], start, soft)))
    return out


def _small_value(s: str) -> Decimal | None:
    """A number written as digits, Chinese numerals or an English word below 100."""
    if s[0].isdigit():
        return _dec(s)
    low = s.lower()
    if low in _EN_UNITS:
        return Decimal(_EN_UNITS[low])
    if low in _EN_TENS:
        return Decimal(_EN_TENS[low])
    if all(c in _ZH_NUM_CHARS for c in s):
        return Decimal(zh_numeral_value(s))
    return None


# 民國113年, 113年5月2日: a year of the Republic of China calendar (Taiwan), 1911 less than the common era's
_ROC_YEAR_AFTER = re.compile(r"\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月")
_ROC_BEFORE = ("民國", "民国")


# a clock time "at 9:30", "9:30 am", "9:30 in the morning": its minutes are no amount (九點半 says none)
_CLOCK = re.compile(r"(?P<at>\b(?:at|by|from|until|before|after)\s+)?(?<![\d.:])(?:[01]?\d|2[0-3]):(?P<min>[0-5]\d)"
                    r"(?![\d:])(?P<when>\s*(?:[ap]\.?m\.?\b|in the (?:morning|afternoon|evening)|at night))?", re.I)


def _drop_minutes(norm: str, raw: list[list]) -> None:
    """Drop the minutes of the clock times of ``norm``: a time has "at"/"by"… before it or am/pm…
    after it (else "1:10" is a ratio, "3:2" a score)."""
    minutes = {m.start("min") for m in _CLOCK.finditer(norm) if m.group("at") or m.group("when")}
    if minutes:
        raw[:] = [r for r in raw if r[2] not in minutes]


def _roc_years(norm: str, raw: list[list]) -> None:
    """A year below 200 written in two or three digits before 年 and a month, or after 民國, counts as
    its common-era year (113年5月2日 = "2 May 2024"; 3年5月 stays 3)."""
    for r in raw:
        value, unit, start, end = r[0], r[1], r[2], r[3]
        if unit is not None or not (0 < value < 200) or value != int(value):
            continue
        if norm.endswith(_ROC_BEFORE, 0, start) or (norm.startswith("年", end) and _ROC_YEAR_AFTER.match(norm, end)
                                                     and norm[start:end].isdigit() and end - start >= 2):
            r[0] = value + 1911


def _join_degrees(norm: str, raw: list[list]) -> None:
    """38度5 (38.5 degrees, as a parent says a fever): the digit after 度 is the number's tenths."""
    merged = set()                 # the starts of the digits taken into the number before them
    for r in raw:
        end = r[3]
        if (r[1] is None and end not in merged and norm[end:end + 1] == "度" and norm[end + 1:end + 2].isdigit()
                and not norm[end + 2:end + 3].isdigit()):
            r[0] += Decimal(norm[end + 1]) / 10
            r[3] = end + 2
            merged.add(end + 1)
    if merged:
        raw[:] = [r for r in raw if r[2] not in merged]


def _add_halves(norm: str, raw: list[list]) -> None:
    """一錠半, 1錠半, "one and a half", 1½: the number before the half gets it (its span too);
    半錠, "half a tablet", ½ alone are 0.5."""
    taken = set()
    for r in raw:
        end = r[3]
        if norm[end:end + 1] in _VULGAR:
            r[0] += _VULGAR[norm[end]]
            r[3] = end + 1
            taken.add(end)
        elif norm[end:end + 1] in _HALF_COUNTERS and norm[end + 1:end + 2] == "半":
            r[0] += Decimal("0.5")
            r[3] = end + 2
        elif end > 0 and norm[end - 1] in _HALF_COUNTERS and norm[end:end + 1] == "半":
            r[0] += Decimal("0.5")
            r[3] = end + 1
        else:
            for tail in _EN_HALF:
                if norm.startswith(tail, end):
                    r[0] += Decimal("0.5")
                    r[3] = end + len(tail)
                    break
    spans = [(r[2], r[3]) for r in raw]
    alone = []
    for m in _HALF_ALONE_RE.finditer(norm):
        i = m.start()
        ch = norm[i]
        if ch in _VULGAR:
            if i not in taken and not (i > 0 and norm[i - 1].isdigit()):
                alone.append([_VULGAR[ch], None, i, i + 1, False])
        elif not any(s <= i < e for s, e in spans):
            alone.append([Decimal("0.5"), None, i, i + 1, False])
    for m in _EN_HALF_A.finditer(norm):
        if not any(s <= m.start() < e for s, e in spans):
            if _GRAM_NEXT.match(norm, m.end()):      # "half a gram" = 0.5 g, as 0.5公克
                alone.append([Decimal("500"), "mg", m.start(), m.end() + 4, False])
            else:
                alone.append([Decimal("0.5"), None, m.start(), m.start() + 4, False])
    if alone:
        raw.extend(alone)
        raw.sort(key=lambda r: r[2])


def _fractions(norm: str) -> list[tuple[int, int, Decimal]]:
    """(start, end, value in %) of the fractions of ``norm``: 十分之一, "1 in 10", 每100人中有1人, 六成."""
    out = []
    # each pattern only where what all its matches hold is (a scan for that is much faster than the pattern's)
    kinds = []
    if "分之" in norm:
        kinds.append((_ZH_FRACTION.finditer(norm), 2, 1))
    if _EN_FRACTION_MID.search(norm):
        kinds.append((_en_fraction_matches(norm), 1, 2))
    if "每" in norm:
        kinds.append((_ZH_PER.finditer(norm), 2, 1))
    for matches, num_group, den_group in kinds:
        for m in matches:
            num, den = _small_value(m.group(num_group)), _small_value(m.group(den_group))
            if num is None or not den or num > den:
                continue            # "2 in 1" is not a fraction; "50 in 2023" neither
            out.append((m.start(), m.end(), num * 100 / den))
    for m in (_EN_NAMED_FRACTION.finditer(norm) if _EN_NAMED_FRACTION_HINT.search(norm) else ()):
        num, den = _NAMED_NUM[m.group(1).lower()], _NAMED_DEN[m.group(2).lower().rstrip("s")]
        if num < den:
            out.append((m.start(), m.end(), Decimal(num) * 100 / Decimal(den)))
    if "成" in norm:
        for m in _ZH_TENTHS.finditer(norm):
            for g in (1, 2):
                if m.group(g):
                    value = zh_numeral_value(m.group(g))
                    if 0 < value <= 10:
                        out.append((m.start(g), m.end(g) + (1 if g == 2 or not m.group(2) else 0), Decimal(value * 10)))
    out.sort()
    return out


def _en_fraction_matches(norm: str) -> list[re.Match]:
    """``list(_EN_FRACTION.finditer(norm))``, the pattern tried only where a match can start
    (its start with a lookbehind makes the engine try it at every character).

    A match is a number (digits, or one of the _EN_SMALL words), whitespace, then "in" or
    "out of": its number ends where the whitespace run before one of those starts, so it
    starts at the first digit of the digit run that ends there (a digit before would fail
    its lookbehind) or one word length before. Trying these in order, each from the end
    of the last match on, is what finditer does.
    """
    starts = set()
    for mid in _EN_FRACTION_MID.finditer(norm):
        end = mid.start()
        while end > 0 and norm[end - 1].isspace():      # \s is str.isspace()
            end -= 1
        start = end
        while start > 0 and norm[start - 1].isdecimal():  # \d is str.isdecimal()
            start -= 1
        if start < end:
            starts.add(start)
        starts.update(end - n for n in _EN_SMALL_LENGTHS if end - n >= 0)
    out = []
    pos = 0
    match = _EN_FRACTION.match
    for start in sorted(starts):
        if start >= pos:
            m = match(norm, start)
            if m is not None:
                out.append(m)
                pos = m.end()
    return out


def _word_kinds(text: str) -> tuple[bool, bool, list[int] | None]:
    """(has an English number word, has a capitalised month name, where such words may start),
    as whole words; one automaton pass. The starts are None when they cannot stand for ``_NUMBER_RE``'s
    case-insensitive search (see ``_number_matches``)."""
    low = text.lower()
    return _word_kinds_of(text, low, _WORD_AUTOMATON.find_matches_as_indexes(low, overlapping=True))[:3]


def _word_kinds_of(text: str, low: str, hits: list[tuple[int, int, int]]) -> tuple[bool, bool, list[int] | None, bool]:
    """``_word_kinds(text)`` from ``low`` = ``text.lower()`` and the word automaton's ``hits`` in
    it, and whether ``low`` has one of _EN_CUES."""
    n = len(low)
    # the regex alone knows the words (_number_matches runs it over the whole text) where a
    # character lower-cases to two or the case folding differs (see _CASE_CONFUSABLE)
    regex_only = n != len(text) or (not text.isascii() and _CASE_CONFUSABLE.search(text) is not None)
    words = months = cues = False
    starts: list[int] | None = []
    kinds, is_cue = _WORD_KIND, _WORD_IS_CUE
    for i, start, end in hits:
        if is_cue[i]:
            cues = True
        kind = kinds[i]
        if kind == _CUE_ONLY:
            continue
        starts.append(start)
        if words and months:
            continue
        if (start > 0 and low[start - 1].isalpha()) or (end < n and low[end].isalpha()):
            continue
        if kind == _MONTH:
            # _NUMBER_RE reads a month name only as written, capitalised ("May", not the verb
            # "may"), so a lower-case one can give no match (positions in low are those of
            # text unless regex_only)
            if regex_only or text[start].isupper():
                months = True
        else:
            words = True
    if regex_only:
        starts = None
    return words, months, starts, cues


# Characters re.IGNORECASE matches to an ASCII letter although str.lower() does not give
# that letter (İ ı ſ, and the Kelvin sign): with them, only the regex knows the words.
_CASE_CONFUSABLE = re.compile("[" + "".join(map(chr, _CONFUSABLE_ASCII)) + "]")   # _CONFUSABLE_ASCII's letters


def _number_matches(norm: str, starts: list[int] | None, core: list[re.Match] | None = None) -> list[re.Match]:
    """``list(_NUMBER_RE.finditer(norm))``, faster: digits and Chinese numerals by ``_CORE_RE``,
    and the number words and months tried only where the word automaton saw one start.

    The same matches: a match of the core alternatives starts on a digit or a Chinese
    numeral (its lookahead), a word or month match on a letter, and neither kind of match
    contains a place where the other kind could start (a word match holds letters, spaces,
    hyphens, a dot and a unit; a core match holds letters only in "thousand", "million",
    "billion" and a unit, where no number word or month name starts at a word boundary),
    so the leftmost-first scan of the whole pattern finds the core matches and the word
    matches of their own scans, in order. ``core``: ``list(_CORE_RE.finditer(norm))`` if
    the caller has it.
    """
    if starts is None:
        return list(_NUMBER_RE.finditer(norm))
    words: list[re.Match] = []
    match = _NUMBER_RE.match
    pos = 0
    for start in sorted(set(starts)):
        if start < pos:
            continue
        if start and (norm[start - 1].isalnum() or norm[start - 1] == "_"):
            continue              # inside a word: both alternatives start with \b (\w is isalnum() or _)
        m = match(norm, start)
        if m is not None:
            words.append(m)
            pos = m.end()
    if core is None:
        core = list(_CORE_RE.finditer(norm))
    if not words:
        return core
    if not core:
        return words
    out = []
    i, n = 0, len(words)
    for m in core:
        start = m.start()
        while i < n and words[i].start() < start:
            out.append(words[i])
            i += 1
        out.append(m)
    out.extend(words[i:])
    return out


def _counter_follows(after: str) -> bool:
    """``after`` starts with a measure word (one of _ZH_COUNTERS)."""
    counters = _COUNTERS_BY_FIRST.get(after[:1])
    return counters is not None and after.startswith(counters)


# names that hold digits but are no numbers (新冠肺炎 says none)
_DISEASE_NAMES = re.compile(r"(?i:covid-19|sars-cov-2|2019-ncov)")
# a number after these words labels a step ("week 1", "day 3"): no unit is shared with it from a list
_LABEL_BEFORE = re.compile(r"(?i:week|day|month|cycle|step|visit|dose)\s*\Z")
# "1/2 tab", "3/4 of a tablet", 1/2錠: a part of one dose unit
_SLASH_PART = re.compile(r"(?<![\d/.,])([1-3])/([2-4])(?![\d/])(?=\s*(?:of\s+an?\s+)?(?:(?i:tabs?|tablets?|caps?|capsules?"
                         r"|pills?|tsp|teaspoons?|teaspoonfuls?|scoops?|sachets?|vials?|ampoules?)\b|[顆颗錠锭粒片包支匙丸袋]))"
                         r"|(?<=的)([1-3])/([2-4])(?![\d/])")      # 成人量的1/2: a part of an amount
# a numeral after these is a day of the week (週四 = Thursday), unless a count follows it
_WEEK_WORDS = ("週", "周", "星期", "禮拜", "礼拜")
_WEEKDAY_NUMERALS = frozenset("一二三四五六")
_WEEKDAY_NOT = ("次", "回", "天", "日", "週", "周", "個", "个", "年", "月", "星期", "小時", "小时", "遍", "劑", "剂")


# 兩個 before these is "the two (of them)", which English often says as "them" or not at all
_THE_TWO_OF_THEM = ("個要", "个要", "個都", "个都", "個之間", "个之间", "個中間", "个中间", "個一起", "个一起", "個分開",
                    "个分开", "個間隔", "个间隔", "個隔", "个隔", "個不要", "个不要", "個別", "个别")
_BETWEEN_TWO = re.compile(r"[盒包劑剂次顆颗片針针支瓶]?(?:之間|之间|中間|中间)")
_PERIOD_UNITS = ("週", "周", "星期", "天", "日", "個月", "个月", "月", "年")


def _said_again(text: str, start: int, end: int, after: str) -> bool:
    """A period said again to mean "after that": 头两周…，两周后 (the second 两周 is the first one's end)."""
    for unit in _PERIOD_UNITS:
        if after.startswith(unit):
            rest = after[len(unit):]
            return rest.startswith(("后", "後", "以后", "以後", "之后", "之後")) and text.find(text[start:end] + unit) < start
    return False


# 晚上12點, 半夜十二點, 中午12点: midnight and noon, which English names without a number
_MIDNIGHT_NOON = re.compile(r"(?:晚上|半夜|深夜|夜裡|夜里|夜間|夜间|凌晨|中午)\s*\Z")


def _midnight_noon(norm: str, raw: list[list]) -> None:
    """A 12 o'clock said as midnight or noon is soft: it may match a 12, and is never reported."""
    for r in raw:
        if r[0] == 12 and r[1] is None and norm.startswith(("點", "点"), r[3]) \
                and _MIDNIGHT_NOON.search(norm, max(0, r[2] - 3), r[2]):
            r[4] = True


def _zh_count(text: str, start: int, end: int, not_words: bool = True) -> tuple[list[Decimal], bool] | None:
    """([values], soft) of a run of Chinese numerals, or None where it is part of a word.

    Usually one value; a run of bare digits without 〇/零 is an approximation
    (一兩天 "a day or two", 三四天 "3 or 4 days") and gives each digit. 兩者/三者
    ("both", "the three") and 兩種 ("two kinds": "0.03% and 0.1%") are soft: English
    often says "both" or nothing. ``not_words`` False says ``text`` holds none of
    _ZH_NOT_NUMBERS (so none can overlap the run).
    """
    run = text[start:end]
    # Each test below may say None (not a number); the cheap ones that usually do come first.
    after = text[end:end + 4].lstrip()
    counted = ((start > 0 and text[start - 1] == "第") or _counter_follows(after)
               or (after[:1] in ("来", "來", "多") and _counter_follows(after[1:])))   # 十来天, 十多天: about ten
    if not counted:
        # the first number of a range or list: 三到五年, 一至兩次, 三、四天
        r = _ZH_RANGE_NEXT.match(text, end)
        if r and _counter_follows(text[r.end():r.end() + 4].lstrip()):
            counted = True
    one = len(run) == 1
    composite = not one and run.strip(_ZH_DIGIT_CHARS) != ""     # has a 十, 百, 千, 萬 or 億
    if not (counted or composite):
        return None
    if not_words:
        for w in _ZH_NOT_RE.finditer(text, max(0, start - 4), end + 4):
            if w.start() < end and w.end() > start:
                return None
    if run.endswith("十") and text.startswith("分", end) and not text.startswith(("分鐘", "分钟"), end):
        return None       # 十分 = "very"
    if run.strip(_ZH_BIG_CHARS) == "":
        return None       # 萬, 億 alone
    if run == "一" and text.startswith(("公斤", "千克"), end) and text[end + 2:end + 3].isdigit():
        return None       # 一公斤10毫克: "10 mg per kilogram", a basis (GL017), not 1 kg
    if one and run in _WEEKDAY_NUMERALS and text.endswith(_WEEK_WORDS, 0, start) \
            and not after.startswith(_WEEKDAY_NOT) and not _ZH_RANGE_NEXT.match(text, end):   # 每週三至五天
        return None       # 週四下午, 下周四, 星期三晚上: a day of the week (每週四次: four times a week)
    soft = (after.startswith(("者", "幾", "几")) or (run in ("兩", "两") and after.startswith(("種", "种")))
            or (run in _ZH_SOFT_TIMES and after.startswith(("次", "回")))    # 兩次: as "twice" is soft
            or (run in ("兩", "两") and (after.startswith(_THE_TWO_OF_THEM)       # 兩個要隔四小時: "keep them apart"
                                         or _BETWEEN_TWO.match(after) is not None))  # 兩盒之間: "between packs"
            or (run == "二" and start > 0 and text[start - 1] == "第" and after.startswith(("天", "日")))  # the next day
            or (start > 0 and text[start - 1] == "年" and after.startswith("月"))     # 去年十月: a month, October
            or _said_again(text, start, end, after))                                 # 头两周…两周后: "after that"
    if one:
        return [_ZH_CHAR_VALUE[run]], soft
    if not composite and "〇" not in run and "零" not in run:
        return [_ZH_CHAR_VALUE[c] for c in run], soft
    return [Decimal(zh_numeral_value(run))], soft


def _key(q: Quantity) -> tuple[Decimal, str | None]:
    return (q.value, q.unit)


def compare(source: list[Quantity], translation: list[Quantity]) -> tuple[list[Quantity], list[Quantity]]:
    """(missing, extra): numbers of ``source`` absent from ``translation`` and the reverse.

    A unitless 1 is ignored on both sides; a soft number (an English ordinal,
    once, twice) may match but is never reported.
    """
    src = [q for q in source if not (q.unit is None and q.value == 1)]
    dst = [q for q in translation if not (q.unit is None and q.value == 1)]
    if len(src) == len(dst) and all(a.value == b.value and a.unit == b.unit for a, b in zip(src, dst)):
        return [], []         # the same numbers in the same order: the usual case
    # 1. the same value and unit; a soft number (两次 "the two doses", twice) is matched last, so that
    # it does not take the match of a number that would be reported
    if any(q.soft for q in src):
        src = [q for q in src if not q.soft] + [q for q in src if q.soft]
    if any(q.soft for q in dst):
        dst = [q for q in dst if not q.soft] + [q for q in dst if q.soft]
    pool = Counter(_key(q) for q in dst)
    matched: Counter = Counter()
    left_src = []
    for q in src:
        k = _key(q)
        if pool[k] > 0:
            pool[k] -= 1
            matched[k] += 1
        else:
            left_src.append(q)
    left_dst = []
    for q in dst:
        k = _key(q)
        if matched[k] > 0:
            matched[k] -= 1
        else:
            left_dst.append(q)
    # 2. the same value where one side has no unit
    missing = []
    for q in left_src:
        for i, d in enumerate(left_dst):
            if d.value == q.value and (d.unit is None or q.unit is None):
                del left_dst[i]
                break
        else:
            missing.append(q)
    return [q for q in missing if not q.soft], [q for q in left_dst if not q.soft]
