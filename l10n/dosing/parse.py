"""Read a dosing instruction (en, zh_TW, zh_CN) into a :class:`~l10n.dosing.record.DosingRecord`.

One pass of the locale's vocabulary automaton finds the expressions; the numbers come
from the number scanner GL005 uses (``l10n.checks.numbers.extract_quantities``: 兩 = 2,
一萬 = 10,000, 百分之五 = 5%, 1.5 g = 1,500 mg). Then, clause by clause:

* **frequency**: a complete expression (b.i.d., 一天兩次, every other day, as needed);
  "every"/每/每隔 + number + time unit (every 8 hours = 3 a day); a count (twice, 3 times,
  2次) next to a period (a day, daily, 每日…: after the count in English, before it in
  Chinese); a period alone (daily, 每天, weekly) = once per period; "a day"/一天 alone only
  next to a count or a dose (500 mg a day);
* **duration**: a number followed by a time unit that is not an interval (for 7 days, 兩週,
  三個月); years from 1900 on and a day after 月 are dates, not durations;
* **dose**: a number with a unit (mg, g, mcg, mL, %, IU/單位, tablets/錠/顆/粒…), and the
  basis of a dose in the same clause (mg/kg, 每公斤, per m²);
* **route**: the route expressions;
* **negation**: the prohibition expressions that are left after the longest-match scan
  (不良反應, 不適, 不同… hide the 不 inside them), except one followed in its clause by a
  limit ("do not take more than", 不超過: a maximum, not a prohibition), one right after a
  condition ("if you do not", 如果不), and an English "do not"/"never" that does not start
  its clause ("they do not target" describes, "Do not apply" instructs).
"""
from __future__ import annotations

import functools
import re
from decimal import Decimal
from fractions import Fraction
from typing import Callable

from l10n.checks.numbers import Quantity, extract_quantities
from l10n.dosing.record import PERIOD_HOURS, Cue, Dose, DosingRecord, Duration, Frequency, Route
from l10n.dosing.vocab import Entry, vocabulary
from l10n.glossary.matcher import fold

__all__ = ["parse", "scan", "reader", "Reader", "maybe_dosing"]

# Ends a clause: sentence and clause punctuation (a "." or "," inside a number or b.i.d. does not),
# and a dash with spaces around it ("tid – don't take"; 1–2 tablets keeps its range)
_CLAUSE_END = re.compile(r"[;:!?。；：！？，、\n]|[.,](?=\s|$)|(?<=\s)[\u2013\u2014](?=\s)")
_NUMERAL = re.compile(r"[0-9０-９零〇一二兩两俩倆三四五六七八九十百千萬万]")
_GAP_EN = re.compile(r"[\s\-]{0,2}")                  # between a number and its unit: "8 hours", "2-week"
# a dose held back, named by its drug: "hold (leave) the Concor for now" (the vocabulary has "skip the
# water pill", "hold it for now", which name no drug)
_HOLD = re.compile(r"\b(?:hold|leave|stop) (?:it|them|the [a-z-]+(?: [a-z-]+)?|this [a-z-]+|your [a-z-]+) for now\b")
# after a length of time, once: 三天一次, 三天換一次 (once every three days)
_ONCE_AFTER = re.compile(r"\s*(?:[換换更用吃打擦貼贴服點点噴喷]{1,2})?\s*(?:一|1)\s*次")
# a word between a count and its time unit that leaves the length as it is ("for four more days")
_COUNT_WORD = re.compile(r" (?:more|further|full|whole|additional|extra|consecutive)(?= )")
_GAP_CHARS = frozenset(" \t\n\u00a0\u202f\u2009-")
_CJK_GAP = re.compile(r"[\u4e00-\u9fff]{0,4}")        # 每天「擦」兩次, 每日「服用」2次
# the lower end of a range of counts in digits: 每天「3至」4次 (the upper end is the count, as in English)
# an ordinal before a number or period: 第一週 (the first week), 第1至5天 (days 1 to 5)
_ZH_ORDINAL = re.compile(r"第\s*(?:[0-9０-９一二三四五六七八九十]+\s*(?:至|到|~|～|-|－)\s*)?$")
# an age before a number of years: "children aged 6 to 12 years"
_EN_AGE = re.compile(r"\b(?:age[sd]?|children|child|kids)[,:]?\s+(?:\d+\s*(?:months?\s+|years?\s+)?(?:to|-|–)\s*"
                     r"(?:under\s+|below\s+)?)?$")
# after "N years": the rest of an age ("two years and three months old", "3 years old")
_EN_OLD_AFTER = re.compile(r"\s*(?:and\s+(?:\w+|\d+)\s+months?\s+)?old\b")
# between two numbers of one unit written once: a list ("2 and 4 months", group 1) or a range ("2 or 3 days")
_EN_LIST_GLUE = re.compile(r"\s*(?:(,\s*and|,|and)|or|to|-|–)\s*")
_ZH_LIST_GLUE = re.compile(r"\s*(?:([、和及与與])|或|到|至|～|~|-)\s*")
# the anatomy that makes 注射 (injection) a route of its own, in its comma clause: 注射於……的皮下
_ZH_INJECTION_SITE = (("皮下", "subcutaneous"), ("肌肉", "intramuscular"), ("肌內", "intramuscular"),
                      ("肌内", "intramuscular"), ("靜脈", "intravenous"), ("静脉", "intravenous"))
_ZH_COMMA_CLAUSE_END = re.compile(r"[，。；;！？!?\n]")
# a list of weekdays as a weekly rate: 每週二、五 (twice a week), "on Tuesdays and Fridays"
_ZH_WEEKDAYS = re.compile(r"(?:每週|每周|每星期|每個星期|每个星期)"
                          r"([一二三四五六日天](?:[、，,和及與与跟][一二三四五六日天])+)")
_EN_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
_EN_WEEKDAYS = re.compile(r"\b(?:every|each|on) (" + _EN_DAY + r"(?:(?:,| and|, and) (?:(?:every|each|on) )?"
                          + _EN_DAY + r")+)\b")
# OD is once daily on a label, or the right eye (oculus dexter, ISMP's error-prone list): the eye
# when the text speaks of drops or eyes
_EYE_OD = frozenset(("od", "o.d."))
_EYE_WORDS = ("gtt", "drop", "eye", "ophthalmic")
# 挂三天水, 掛兩天點滴: a drip for so many days (the duration stays a duration; 挂水 alone is vocabulary)
_ZH_DRIP = re.compile(r"[挂掛][一二两兩三四五六七八九十几幾半\d]+[天日](?:的)?(?:水|点滴|點滴|吊瓶)")
# just before a route: it is not needed (不用挂水, "no drip needed", "no need for an injection")
_ZH_NOT_NEEDED = ("不用", "不需要", "不需", "不必", "无需", "無需", "不用再")
_EN_NOT_NEEDED = ("no ", "no need for a ", "no need for an ", "no need for ", "without a ", "without an ")
# after 一個月: a limit of so many days or times in that month, not a month's course
_ZH_PER_PERIOD_LIMIT = re.compile(r"[\u4e00-\u9fff]{0,3}?(?:不超過|不超过|最多|至多|不可超過|不可超过)")
# the words that make a route rectal only as the form's name
_SUPPOSITORY = frozenset(("suppository", "suppositories", "栓", "栓剂", "栓劑", "塞剂", "塞劑"))
# what every match of _ZH_WEEKDAYS / _EN_WEEKDAYS holds one of (a substring test first: cheaper than the search)
_ZH_WEEK_WORDS = ("每週", "每周", "每星期", "每個星期", "每个星期")
_EN_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# what makes an amount a maximum (``Reader.maximum``)
_MAX_WORDS = frozenset(("limit your fluids to", "limit fluids to", "limit your fluid intake to",
                        "no more than", "not more than", "not exceed", "not to exceed", "exceed", "exceeds",
                        "maximum", "max", "max.", "at most", "最多", "至多", "上限", "最大劑量", "最大剂量",
                        "最高劑量", "最高剂量", "最大量"))
# words that may give a maximum but also just a level reached ("increased up to 3,000 mg", 可達): they
# count as a maximum on the side that has one, but are not reported as lost
_WEAK_MAX_WORDS = frozenset(("up to", "可達", "可达", "高達", "高达"))
_MAX_AFTER_NEGATION = frozenset(("more than", "超過", "超过"))
# between the two ends of a range: "every 4 to 6 hours", 每4至6小時, "1 to 2 mg", 1到2毫克
_RANGE_GAP = re.compile(r"\s*(?:to|or|-|–|至|到|~|～|－|或)\s*")
_ZH_RANGE_LOW = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?\s*(?:至|到|~|～|-|－|或)\s*")
_IMPERATIVE_LEAD = frozenset("please and or but then also so you should must just simply therefore "
                             "however always".split())
# "skip it and do not take two doses": an instruction, then a prohibition after a conjunction
_CONJUNCTIONS = frozenset("and or but then".split())
_IMPERATIVE_VERBS = frozenset("take skip use apply stop wait call tell ask keep store wash avoid check see contact "
                              "talk speak swallow inject give put place shake read remove throw rinse go get let try "
                              "follow continue drink eat leave finish".split())
# a limit word after one of these belongs to a condition, not to the negation before it:
# "do not use the drops once they have been open for more than four weeks"
_SUBORDINATE = re.compile(r"\b(?:once|after|when|whenever|if|since|because|unless|until|while)\b")
_RATE = re.compile(r"(\d+) per (?:(\d+) )?(hour|day|week|month|year)")
_COUNTED = re.compile(r"\s+[A-Za-z]+(?:\s+[A-Za-z]+)?\s+")   # "one <injection> a week", "two <puffs> a day"
# the next clause changes a schedule: 不要每12小时吃一次了，改成每48小时 ("every 48 hours instead of every 12")
_CHANGED_TO = re.compile(r"[，,；;]\s*(?:就|请|請)?改(?:成|为|為)")
# a negation a question asks about ("can't I…?", 不能吃吗？); a ban (禁用, "never") stays one even there
_MODAL_NEGATION = re.compile(r"不|n't|\bnot\b")
# verbs that report what a label, leaflet or person says: an instruction follows
_REPORTING = frozenset("says said say reads read states stated warns warned recommends advises".split())
# an instruction quoted from a label or a leaflet (the bag says 'do not split'; 寫著「不可剝半」)
_OPENING_QUOTES = ("'", '"', "\u2018", "\u201c", "\u300c", "\u300e")


@functools.lru_cache(maxsize=256)
def _rate(meaning: str) -> Fraction | None:
    """"2 per day" -> 2, "1 per 2 day" -> 1/2, "prn" -> None."""
    if meaning == "prn":
        return None
    m = _RATE.fullmatch(meaning)
    if not m:
        raise ValueError(f"not a rate: {meaning!r}")
    n, every, unit = int(m.group(1)), int(m.group(2) or 1), m.group(3)
    return _per_day(n, every * PERIOD_HOURS[unit])


@functools.lru_cache(maxsize=1024)
def _per_day(times: int, hours: int | Fraction) -> Fraction:
    """``times`` doses every ``hours`` hours, per day."""
    return Fraction(24 * times, hours)


def maybe_dosing(text: str, locale: str) -> bool:
    """Cheap pre-filter: could ``text`` hold dosing content (a digit or a vocabulary expression)?"""
    if _NUMERAL.search(text):
        return True
    return bool(vocabulary(locale).scan(fold(text)))


def scan(text: str, locale: str) -> list[tuple[int, int, Entry]]:
    """The vocabulary expressions of ``text``: (start, end, entry), one automaton pass."""
    return vocabulary(locale).scan(fold(text))


def parse(text: str, locale: str, *, drugs: frozenset[str] = frozenset(),
          quantities: list[Quantity] | None = None,
          hits: list[tuple[int, int, Entry]] | None = None) -> DosingRecord:
    """The dosing content of ``text`` written in ``locale``.

    ``drugs``: the drug identities found in it (the glossary matcher's, given by the caller);
    ``quantities``: ``extract_quantities(text)`` and ``hits``: ``scan(text, locale)``, when
    the caller has them already.
    """
    low = fold(text)
    if hits is None:
        hits = vocabulary(locale).scan(low)
    if quantities is None:
        quantities = extract_quantities(text) if _NUMERAL.search(text) else []
    if not hits and not quantities:
        return DosingRecord(locale, drugs=drugs)
    return Reader(text, low, locale, hits, quantities, drugs).record()


def reader(text: str, locale: str, *, drugs: frozenset[str] | Callable[[], frozenset[str]],
           quantities: list[Quantity],
           hits: list[tuple[int, int, Entry]], low: str | None = None) -> Reader:
    """A lazy :class:`Reader` of ``text`` (``low``: its ``fold``, when the caller has it): each part of
    the record is read when first asked for (the checks ask only for what both sides may hold)."""
    return Reader(text, fold(text) if low is None else low, locale, hits, quantities, drugs)


def _after_instruction(lead: list[str]) -> bool:
    """The words before an English "do not" in its clause are an instruction and a conjunction
    ("skip it and"): the clause starts with an imperative verb, and only lead words follow the
    last conjunction."""
    k = max((i for i, w in enumerate(lead) if w in _CONJUNCTIONS), default=-1)
    if k < 0:
        return False
    first = next((w for w in lead if w not in _IMPERATIVE_LEAD), None)
    return first in _IMPERATIVE_VERBS and all(w in _IMPERATIVE_LEAD for w in lead[k + 1:])


def _reported(lead: list[str]) -> bool:
    """The words before an English "do not" report an instruction: "the leaflet says don't take
    it", "the pharmacist told me not to", "the label reads"."""
    if not lead:
        return False
    if lead[-1].rstrip(":") in _REPORTING:
        return True
    return len(lead) > 1 and lead[-2] in ("told", "tells", "tell", "warned", "warns", "asked") \
        and lead[-1] in ("me", "us", "you", "him", "her", "them")


class Reader:
    """One text being read: its parts (``frequencies``, ``durations``, ``doses``, ``bases``,
    ``routes``, ``negations``, ``actions``), each read on first use, as in a DosingRecord.

    The parts depend on one another in one order only: durations take the numbers that
    frequencies did not (every 「8 hours」 is no duration).
    """

    __slots__ = ("text", "low", "locale", "zh", "hits", "by_start", "_by_end", "qs", "q_by_start", "_drugs",
                 "used", "used_q", "_ends", "_routes", "_actions", "_freqs", "_durs", "_doses", "_negs", "_every_unit")

    def __init__(self, text: str, low: str, locale: str, hits: list[tuple[int, int, Entry]],
                 quantities: list[Quantity], drugs: frozenset[str] | Callable[[], frozenset[str]]) -> None:
        self.text = text
        self.low = low
        self.locale = locale
        self.zh = locale[:2].lower() == "zh"
        self.hits = hits
        self.by_start = {h[0]: h for h in hits}
        self._by_end: dict[int, tuple[int, int, Entry]] | None = None
        self.qs = [(q, q.start + len(q.text)) for q in quantities]
        self.q_by_start = {q.start: (q, end) for q, end in self.qs}
        self._every_unit: tuple[int, int, Entry] | None = None    # the unit of the last "every N <unit>"
        self._drugs = drugs                     # a frozenset, or a function giving it (read when asked)
        self.used: set[int] = set()             # starts of hits already read as part of something
        self.used_q: set[int] = set()           # starts of quantities already read
        self._ends: list[int] | None = None
        self._routes: tuple[Route, ...] | None = None
        self._actions: tuple[Cue, ...] | None = None
        self._freqs: tuple[Frequency, ...] | None = None
        self._durs: tuple[Duration, ...] | None = None
        self._doses: tuple[tuple[Dose, ...], frozenset[str]] | None = None
        self._negs: tuple[Cue, ...] | None = None

    @property
    def drugs(self) -> frozenset[str]:
        if callable(self._drugs):
            self._drugs = self._drugs()
        return self._drugs

    @property
    def by_end(self) -> dict[int, tuple[int, int, Entry]]:
        if self._by_end is None:
            self._by_end = {h[1]: h for h in self.hits}
        return self._by_end

    @property
    def ends(self) -> list[int]:
        if self._ends is None:
            self._ends = [m.start() for m in _CLAUSE_END.finditer(self.text)]
        return self._ends

    # -- helpers ---------------------------------------------------------------------------
    def clause(self, pos: int) -> tuple[int, int]:
        start, end = 0, len(self.text)
        for e in self.ends:
            if e < pos:
                start = e + 1
            else:
                end = e
                break
        return start, end

    def hit_after(self, pos: int, sections: tuple[str, ...]) -> tuple[int, int, Entry] | None:
        """The expression of one of ``sections`` that starts at ``pos``, or after up to two spaces
        or hyphens ("8 hours", "2-week", 每日2次)."""
        by = self.by_start
        h = by.get(pos)
        if h is None:
            low = self.low
            p = pos
            while p < pos + 2 and p < len(low) and low[p] in _GAP_CHARS:
                p += 1
            if p == pos:
                return None
            h = by.get(p)
        return h if h is not None and h[2].section in sections else None

    def time_unit_after(self, q: Quantity, qend: int) -> tuple[int, int, Entry] | None:
        """The time unit written after a number: "8 hours", 兩週; also when a period expression
        took the number's last numeral (十一天 is scanned 十 + 一天, 11週 as 1 + 1週)."""
        u = self.hit_after(qend, ("time_unit",))
        if u is not None:
            return u
        if not self.zh:                           # "four more days", "five full weeks"
            m = _COUNT_WORD.match(self.low, qend)
            if m is not None:
                u = self.hit_after(m.end(), ("time_unit",))
                if u is not None:
                    return u
        h = self.by_start.get(qend - 1)
        if h is not None and h[2].section == "period_after_count" and q.start < h[0] and h[1] > qend:
            return h
        return None

    def quantity_after(self, pos: int) -> tuple[Quantity, int] | None:
        m = _GAP_EN.match(self.text, pos)
        return self.q_by_start.get(m.end()) or self.q_by_start.get(pos)

    def word(self, h: tuple[int, int, Entry]) -> str:
        return self.text[h[0]:h[1]]

    def ordinal(self, pos: int) -> bool:
        """What starts at ``pos`` is an ordinal (第一週, 第1至5天): no period, count or duration."""
        return self.zh and _ZH_ORDINAL.search(self.text, max(0, pos - 8), pos) is not None

    # -- the parts -------------------------------------------------------------------------
    def record(self) -> DosingRecord:
        return DosingRecord(self.locale, drugs=self.drugs, doses=self.doses, bases=self.bases,
                            frequencies=self.frequencies, durations=self.durations, routes=self.routes,
                            negations=self.negations, actions=self.actions)

    @property
    def routes(self) -> tuple[Route, ...]:
        if self._routes is None:
            routes = [Route(code, f"{self.word(h)}（{site}）" if site else self.word(h), h[0])
                      for h in self.hits if h[2].section == "route"
                      for code, site in (self._sites(h) if self.zh and h[2].meaning == "injection"
                                         else ((h[2].meaning, ""),))]
            if self.zh and ("挂" in self.text or "掛" in self.text):
                routes.extend(Route("infusion", m.group(), m.start()) for m in _ZH_DRIP.finditer(self.text))
                routes.sort(key=lambda r: r.start)
            if routes:
                # a route said not to be needed is no route taken ("no drip needed", 不用挂水)
                low = self.low
                routes = [r for r in routes
                          if not (low.endswith(_ZH_NOT_NEEDED, 0, r.start) if self.zh
                                  else low.endswith(_EN_NOT_NEEDED, 0, r.start))]
            if any(r.code == "vaginal" for r in routes):
                # a suppository put into the vagina is no rectal one ("suppository: insert into the vagina")
                routes = [r for r in routes if not (r.code == "rectal" and r.text.lower() in _SUPPOSITORY)]
            self._routes = tuple(routes)
        return self._routes

    def _sites(self, h: tuple[int, int, Entry]) -> tuple[tuple[str, str], ...]:
        """A Chinese 注射 with sites named in its comma clause (注射於腹部、大腿或上臂的皮下) is each of
        those routes (切勿注射於皮下或靜脈: subcutaneous and intravenous), as (route, the site's word);
        皮下, 肌肉, 靜脈 alone are anatomy, and with none named it stays an injection."""
        text = self.text
        lo = max((m.end() for m in _ZH_COMMA_CLAUSE_END.finditer(text, 0, h[0])), default=0)
        m = _ZH_COMMA_CLAUSE_END.search(text, h[1])
        hi = m.start() if m else len(text)
        clause = text[lo:hi]
        sites: dict[str, str] = {}
        for word, code in _ZH_INJECTION_SITE:
            if word in clause:
                sites.setdefault(code, word)
        return tuple(sites.items()) or (("injection", ""),)

    @property
    def actions(self) -> tuple[Cue, ...]:
        if self._actions is None:
            self._actions = tuple(Cue(self.word(h), h[0], h[2].meaning if h[2].section == "action" else "form")
                                  for h in self.hits if h[2].section in ("action", "dose_unit"))
        return self._actions

    @property
    def negated(self) -> bool:
        return bool(self.negations)

    @property
    def about_dosing(self) -> bool:
        """As ``DosingRecord.about_dosing``, the cheap parts asked first."""
        return bool(self.drugs or self.routes or self.actions or self.doses or self.frequencies
                    or self.durations or any(n.meaning == "use" for n in self.negations))

    @property
    def maximum(self) -> tuple[int, int, Entry] | None:
        """The expression that makes an amount a maximum ("do not exceed", "no more than", 最多, 不超過;
        "more than"/超過 after a negation in its clause), or None. 以上 and "longer than" are not
        counted (an age, a duration); "up to", 可達 are ``weak_maximum``."""
        for h in self.hits:
            e = h[2]
            if e.meaning != "limit" or e.section not in ("limit", "not_a_cue"):
                continue
            word = self.low[h[0]:h[1]]
            if word in _MAX_WORDS or (e.section == "not_a_cue" and word.startswith("不")
                                      and word.endswith(("超過", "超过"))):
                return h
            if word in _MAX_AFTER_NEGATION:
                lo, _ = self.clause(h[0])
                if any(n[2].section == "negation" and lo <= n[0] < h[0] for n in self.hits):
                    return h
        return None

    @property
    def weak_maximum(self) -> bool:
        """"up to", 可達: a maximum, or only the level a dose is raised to."""
        return any(h[2].section == "limit" and self.low[h[0]:h[1]] in _WEAK_MAX_WORDS for h in self.hits)

    @property
    def frequencies(self) -> tuple[Frequency, ...]:
        if self._freqs is None:
            self._freqs = self._frequencies()
        return self._freqs

    @property
    def durations(self) -> tuple[Duration, ...]:
        if self._durs is None:
            _ = self.frequencies                  # read first: it takes "every 8 hours"
            self._durs = self._durations()
        return self._durs

    @property
    def doses(self) -> tuple[Dose, ...]:
        if self._doses is None:
            self._doses = self._read_doses()
        return self._doses[0]

    @property
    def bases(self) -> frozenset[str]:
        if self._doses is None:
            self._doses = self._read_doses()
        return self._doses[1]

    def dose_bases(self) -> list[tuple[Dose, str | None]]:
        """Each dose with its own basis, or None (a plain amount): a basis right after the dose, or
        the range it ends ("1 to 2 mg per kg", 15 mg/kg), or up to 8 characters before it with no
        other number between (每公斤1到2毫克, 每公斤最多不超過60毫克)."""
        doses = sorted(self.doses, key=lambda d: d.start)
        basis_hits = [h for h in self.hits if h[2].section == "basis"]
        if not doses or not basis_hits:
            return [(d, None) for d in doses]
        groups: list[list[Dose]] = [[doses[0]]]
        for d in doses[1:]:
            prev = groups[-1][-1]
            if _RANGE_GAP.fullmatch(self.low, prev.start + len(prev.text), d.start):
                groups[-1].append(d)
            else:
                groups.append([d])
        starts = sorted(q.start for q, _ in self.qs)
        found: list[str | None] = []
        taken = set()
        for g in groups:                          # a basis right after a dose (or inside: "mg/kg") is its own
            g_end = g[-1].start + len(g[-1].text)
            h = next((h for h in basis_hits if g[0].start <= h[0] <= g_end + 4
                      and (h[0] <= g_end or not self.low[g_end:h[0]].strip(" "))), None)
            found.append(h[2].meaning if h else None)
            if h:
                taken.add(h[0])
        out = []
        for g, basis in zip(groups, found):
            g_start = g[0].start
            if basis is None:                     # else just before it, in Chinese order, if no dose took it
                for h in basis_hits:
                    if h[0] not in taken and 0 <= g_start - h[1] <= 8 and not any(h[1] <= q < g_start for q in starts) \
                            and not _CLAUSE_END.search(self.text, h[1], g_start):
                        basis = h[2].meaning
            out.extend((d, basis) for d in g)
        return out

    @property
    def negations(self) -> tuple[Cue, ...]:
        if self._negs is None:
            self._negs = self._negations()
        return self._negs

    def _frequencies(self) -> tuple[Frequency, ...]:
        out: list[Frequency] = []
        for h in self.hits:
            start, end, e = h
            if start in self.used:
                continue
            if e.section == "rate":
                if e.meaning == "weekdays":           # 每週二、五: read below, as a list
                    continue
                if not self.zh and self.low[start:end] in _EYE_OD and any(w in self.low for w in _EYE_WORDS):
                    continue                          # "1 gtt OD qid": OD is the right eye here
                out.append(Frequency(_rate(e.meaning), self.word(h), start))
            elif e.section == "every":
                got = self.interval(h)
                if got:
                    out.append(got)
        # a list of weekdays: so many days a week
        low = self.low
        rx = _ZH_WEEKDAYS if self.zh else _EN_WEEKDAYS
        for m in (rx.finditer(low) if any(w in low for w in (_ZH_WEEK_WORDS if self.zh else _EN_DAY_NAMES))
                  else ()):
            days = set(re.findall(r"[一二三四五六日天]" if self.zh else _EN_DAY, m.group(1)))
            days = {d.rstrip("s") for d in days} if not self.zh else {("日" if d == "天" else d) for d in days}
            if len(days) > 1:
                out.append(Frequency(Fraction(len(days), 7), self.text[m.start():m.end()], m.start()))
                self.used.update(h[0] for h in self.hits if m.start() <= h[0] < m.end())
        if self.zh and "次" in low:                   # 三天一次, 三天換一次, 72小時換一次: once every so long
            for q, qend in self.qs:
                if q.start in self.used_q or q.unit is not None or q.soft or q.value != int(q.value) or q.value < 1:
                    continue
                u = self.time_unit_after(q, qend)
                m = _ONCE_AFTER.match(self.text, u[1]) if u is not None and u[0] not in self.used else None
                if m is not None and u[2].meaning in PERIOD_HOURS:
                    out.append(Frequency(_per_day(1, int(q.value) * PERIOD_HOURS[u[2].meaning]),
                                         self.text[q.start:m.end()], q.start))
                    self.used.add(u[0])
                    self.used_q.add(q.start)
        # a count next to a period
        for h in self.hits:
            if h[0] in self.used or h[2].section not in ("period", "period_after_count"):
                continue
            if self.ordinal(h[0]):
                self.used.add(h[0])                   # 第一週: which week, not how often
                continue
            count = self.count_near(h)
            if count is not None:
                n, cstart, cend = count
                lo, hi = min(cstart, h[0]), max(cend, h[1])
                out.append(Frequency(_per_day(n, PERIOD_HOURS[h[2].meaning]), self.text[lo:hi], lo))
                self.used.add(h[0])
        # a period alone: once per period
        for h in self.hits:
            if h[0] in self.used or h[2].section not in ("period", "period_after_count"):
                continue
            if h[2].section == "period_after_count" and not self.dose_near(h):
                continue
            if h[2].meaning == "hour" and self._rate_of_delivery(h):
                self.used.add(h[0])                   # 每小時12微克, "12 mcg/hour": how fast, not how often
                continue
            if any(f.start - h[1] in range(0, 5) or h[0] - (f.start + len(f.text)) in range(0, 3) for f in out):
                continue                                  # 每天早晚各一次, "daily, every 12 hours": one frequency
            out.append(Frequency(_per_day(1, PERIOD_HOURS[h[2].meaning]), self.word(h), h[0]))
            self.used.add(h[0])
        out.sort(key=lambda f: f.start)
        return tuple(out)

    def _rate_of_delivery(self, h: tuple[int, int, Entry]) -> bool:
        """An hour right next to an amount with a unit: a patch's or a pump's rate ("12 mcg/hour",
        每小時12微克), not a dose every hour."""
        for q, qend in self.qs:
            if q.unit is not None and (0 <= q.start - h[1] <= 2 or 0 <= h[0] - qend <= 2):
                return True
        return False

    def interval(self, h: tuple[int, int, Entry]) -> Frequency | None:
        """every 8 hours, 每8小時, 每隔兩週: once per that many time units."""
        qe = self.quantity_after(h[1])
        if qe is None:
            return None
        q, qend = qe
        if q.unit is not None:
            return None
        u = self.time_unit_after(q, qend)
        upper = None
        if u is None and not self.zh and self._every_unit is not None and _RANGE_GAP.match(self.low, qend) is None \
                and not self.low[qend:qend + 2].strip(" ").isalpha():
            u = self._every_unit                  # "every 12 hours instead of every 8": the unit said once
        elif u is None:                   # a range, "every 4 to 6 hours": read as its shorter interval
            g = _RANGE_GAP.match(self.low, qend)
            upper = self.q_by_start.get(g.end()) if g is not None and g.end() > qend else None
            if upper is None or upper[0].unit is not None or upper[0].value < q.value:
                return None
            u = self.time_unit_after(*upper)
        if u is None or q.value <= 0:
            return None
        self._every_unit = u
        self.used.update((h[0], u[0]))
        self.used_q.add(q.start)
        if upper is not None:
            self.used_q.add(upper[0].start)
        hours = Fraction(q.value) * PERIOD_HOURS[u[2].meaning]
        per_day = _per_day(1, int(hours)) if hours == int(hours) else Fraction(24) / Fraction(hours)
        return Frequency(per_day, self.text[h[0]:max(u[1], qend)], h[0])

    def count_near(self, h: tuple[int, int, Entry]) -> tuple[int, int, int] | None:
        """(count, start, end) of a count next to period hit ``h``: before it in English ("twice
        a day", "3 times daily"), after it in Chinese (每日2次, 每天擦兩次)."""
        if self.zh:
            m = _CJK_GAP.match(self.text, h[1])
            for pos in range(h[1], (m.end() if m else h[1]) + 1):
                got = self.count_at(pos)
                if got:
                    return got
                r = _ZH_RANGE_LOW.match(self.text, pos)
                if r is not None:
                    got = self.count_at(r.end())
                    if got:
                        self.used_q.add(pos)
                        return got[0], pos, got[2]
            return None
        # English: the count ends just before the period (spaces between)
        text = self.text
        end = h[0]
        while end > 0 and text[end - 1].isspace():
            end -= 1
        c = self.by_end.get(end)
        if c is None:
            return None
        if c[2].section == "count" and c[0] not in self.used:
            self.used.add(c[0])
            return int(c[2].meaning), c[0], c[1]
        if c[2].section == "count_suffix":
            for q, qend in self.qs:
                if q.unit is None and _GAP_EN.fullmatch(text, qend, c[0]) and q.value == int(q.value):
                    self.used_q.add(q.start)
                    return int(q.value), q.start, c[1]
        return None

    def count_at(self, pos: int) -> tuple[int, int, int] | None:
        h = self.by_start.get(pos)
        if h is not None and h[2].section == "count":
            return int(h[2].meaning), h[0], h[1]
        q = self.q_by_start.get(pos)
        if q is None or q[0].unit is not None or q[0].value != int(q[0].value):
            return None
        s = self.hit_after(q[1], ("count_suffix",))
        if s is None:
            return None
        self.used_q.add(pos)
        return int(q[0].value), pos, s[1]

    def dose_near(self, h: tuple[int, int, Entry]) -> bool:
        """A dose just before ("500 mg a day") or, in Chinese, just after (一天最多4克) the period."""
        lo, hi = self.clause(h[0])
        for q, qend in self.qs:
            if not (lo <= q.start < hi):
                continue
            if q.unit is None:
                u = self.dose_unit_after(qend)
                if u is None:
                    c = _COUNTED.fullmatch(self.text, qend, h[0]) if not self.zh else None
                    if c is not None and not any(self.hit_after(p, ("time_unit",)) for p in range(qend, c.end())):
                        return True                           # "one injection a week" (not "5 days a week")
                    continue
                qend = u[1]
            for b in self.hits:                                # 2.5 mg/kg a day
                if b[2].section == "basis" and q.start <= b[0] <= qend + 2:
                    qend = max(qend, b[1])
            if (0 <= h[0] - qend <= 3) or (self.zh and 0 <= q.start - h[1] <= 4):
                return True
        return False

    def dose_unit_after(self, pos: int) -> tuple[int, int, Entry] | None:
        return self.hit_after(pos, ("dose_unit",))

    def _durations(self) -> tuple[Duration, ...]:
        out = []
        qs = self.qs
        for k, (q, qend) in enumerate(qs):
            if q.start in self.used_q or q.unit is not None or q.soft:
                continue                                  # "the first day": an ordinal
            if k + 1 < len(qs) and qs[k + 1][0].start == q.start:
                continue                                  # 两三天 (2 or 3 days): read with the last number
            u = self.time_unit_after(q, qend)
            if u is None or u[0] in self.used:
                continue
            self.used.add(u[0])
            if self.ordinal(q.start):
                continue                                  # 第1至5天: days 1 to 5
            if u[2].meaning == "year" and not self.zh and _EN_AGE.search(self.low, max(0, q.start - 32), q.start):
                continue                                  # "aged 6 to 12 years": an age
            if u[2].meaning in ("year", "month") and (
                    (not self.zh and _EN_OLD_AFTER.match(self.low, u[1]))
                    or (self.zh and self.text[max(0, q.start - 1):q.start] in ("岁", "歲"))):
                continue                                  # "two years and three months old", 两岁三个月: an age
            value = q.value
            if u[2].meaning == "year" and value >= 1900:
                continue                                  # 2023年: a date
            if self.zh and self.word(u) == "日" and q.start > 0 and self.text[q.start - 1] == "月":
                continue                                  # 2月27日: a date
            low = qs[k - 1][0].value if k and qs[k - 1][0].start == q.start else None
            if low is None and k:
                # "2 or 3 days", 2到3天: a range (its ends); "at 2 and 4 months", 0、1、6個月: a list, the
                # unit written once for the last two
                prev, prev_end = qs[k - 1]
                g = (_ZH_LIST_GLUE if self.zh else _EN_LIST_GLUE).fullmatch(self.low, prev_end, q.start)
                if g is not None and prev.unit is None and not prev.soft and prev.start not in self.used_q \
                        and self.time_unit_after(prev, prev_end) is None:
                    if g.group(1):
                        out.append(Duration(prev.value, u[2].meaning, self.text[prev.start:prev_end], prev.start))
                    else:
                        low = prev.value
            out.append(Duration(value, u[2].meaning, self.text[q.start:u[1]], q.start, low))
        for h in self.hits:
            if self.zh and h[2].section == "period_after_count" and h[0] not in self.used \
                    and self.text[h[0]] in "一1" and not self.ordinal(h[0]):
                if _ZH_PER_PERIOD_LIMIT.match(self.text, h[1]):
                    continue                          # 一個月使用不超過10天: "no more than 10 days a month"
                out.append(Duration(Decimal(1), h[2].meaning, self.word(h), h[0]))   # 一個月, not a rate here
                continue
            if h[2].section == "duration":
                v, unit = h[2].meaning.split()
                inside = next((q for q, qend in self.qs if q.start < h[0] < qend), None)
                if inside is not None:                # 十一週後 scanned 十 + 一週後: 11 weeks
                    if v == "1" and inside.start not in self.used_q:
                        out.append(Duration(inside.value, unit, self.text[inside.start:h[1]], inside.start))
                    continue
                out.append(Duration(Decimal(v), unit, self.word(h), h[0]))
        out.sort(key=lambda d: d.start)
        return tuple(out)

    def _read_doses(self) -> tuple[tuple[Dose, ...], frozenset[str]]:
        out = []
        for q, qend in self.qs:
            if q.unit is not None:
                out.append(Dose(q.value, q.unit, q.text, q.start))
                continue
            u = self.dose_unit_after(qend)
            if u is not None:
                out.append(Dose(q.value, u[2].meaning, self.text[q.start:u[1]], q.start))
        bases = set()
        if out:
            spans = [self.clause(d.start) for d in out]
            for h in self.hits:
                if h[2].section == "basis" and any(lo <= h[0] < hi for lo, hi in spans):
                    bases.add(h[2].meaning)
        return tuple(out), frozenset(bases)

    def _negations(self) -> tuple[Cue, ...]:
        out = []
        for i, h in enumerate(self.hits):
            start, end, e = h
            if e.section != "negation":
                continue
            if e.meaning == "contrast":
                start += 2                            # ", not into the muscle": the cue is "not"
            while self.text[start] in "，,、 " and start + 1 < end:
                start += 1                            # "…，不是打進靜脈": the cue is 不是, in the clause after
            lo, hi = self.clause(start)
            if self.zh and self.text.startswith("每", end) and _CHANGED_TO.match(self.text, hi):
                continue                              # 不要每12小时…，改成每48小时: the old schedule
            said = self.text[end:hi + 1].rstrip(" 　")    # the clause and the sign that ends it
            if said.endswith(("?", "？", "吗", "嗎")) and _MODAL_NEGATION.search(self.low, start, end):
                continue                              # a question: 哺乳期不能吃这个颗粒吗？ "Should I not…?"
            if any(c[2].section == "limit" and end <= c[0] < hi and not _SUBORDINATE.search(self.low, end, c[0])
                   for c in self.hits[i + 1:]):
                continue                              # do not take more than / 不可服用超過
            if any(c[2].section == "not_a_cue" and c[2].meaning == "cond" and lo <= c[0] and 0 <= start - c[1] <= 2
                   for c in self.hits[:i]):
                continue                              # if you do not / 如果不
            if e.meaning == "imperative":
                lead = self.low[lo:start].replace(",", " ").split()
                if any(w not in _IMPERATIVE_LEAD for w in lead) and not _after_instruction(lead) \
                        and not self.low[lo:start].rstrip().endswith(_OPENING_QUOTES) \
                        and not _reported(lead):                                 # says 'do not split'
                    continue                          # "they do not target": a description
            out.append(Cue(self.text[start:end], start, e.meaning))
        if not self.zh and "for now" in self.low:
            taken = [(c.start, c.start + len(c.text)) for c in out]
            for m in _HOLD.finditer(self.low):        # "skip the water pill", "hold the Concor for now" = 先不要吃
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    out.append(Cue(self.text[m.start():m.end()], m.start(), "use"))   # about taking a medicine
            out.sort(key=lambda c: c.start)
        if self.zh:                                   # 不能口服: 不能 alone is also "unable to", but not before a route
            ends = {c.start + len(c.text) for c in out}
            for h in self.hits:
                if h[2].section == "route" and self.text[max(0, h[0] - 2):h[0]] == "不能" and h[0] not in ends:
                    out.append(Cue("不能", h[0] - 2, "neg"))
            out.sort(key=lambda c: c.start)
        return tuple(out)
