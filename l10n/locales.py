"""Locale names: project locales (en, zh_TW, zh_CN), BCP 47 tags, CLDR data (babel)."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Sequence

from babel import Locale, UnknownLocaleError

from .errors import ConfigError

if TYPE_CHECKING:
    import datetime as _dt

__all__ = ["parse_locale", "bcp47", "locale_for_lang", "display_name", "native_name", "language_name",
           "LanguageNames", "language_names", "DatePattern", "long_date_pattern", "format_long_date",
           "babel_long_date",
           "plural_forms", "normalize_lang", "is_bare_chinese", "chinese_script", "lang_note"]


@lru_cache(maxsize=None)
def parse_locale(name: str) -> Locale:
    """A babel Locale for ``name`` ("zh_TW", "zh-Hant-TW", "en"); ConfigError if CLDR has none."""
    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ConfigError(f"{name!r} is not a locale CLDR knows") from None


@lru_cache(maxsize=None)
def bcp47(locale: str) -> str:
    """The BCP 47 tag for ``<html lang>``: en, zh-Hant-TW, zh-Hans-CN."""
    loc = parse_locale(locale)
    if loc.language == "zh":
        script = loc.script or ("Hant" if loc.territory in ("TW", "HK", "MO") else "Hans")
        return "-".join(p for p in ("zh", script, loc.territory) if p)
    return "-".join(p for p in (loc.language, loc.script, loc.territory) if p) if "_" in locale else loc.language


_MANDARIN = ("cmn",)     # BCP 47 extlang of zh that is written Chinese (Mandarin); yue, nan... are not


def normalize_lang(lang: str) -> str:
    """``<html lang>`` without the Mandarin extlang: zh-cmn-Hans -> zh-Hans, cmn-Hant-TW -> zh-Hant-TW."""
    parts = lang.strip().replace("_", "-").split("-")
    if parts[0].lower() in _MANDARIN:
        parts[0] = "zh"
    elif len(parts) > 1 and parts[0].lower() == "zh" and parts[1].lower() in _MANDARIN:
        del parts[1]
    return "-".join(parts)


def is_bare_chinese(lang: str) -> bool:
    """``zh``, ``zh-cmn``, ``cmn``: Chinese with neither script nor region, so neither zh_TW nor zh_CN."""
    try:
        loc = parse_locale(normalize_lang(lang))
    except ConfigError:
        return False
    return loc.language == "zh" and not loc.script and not loc.territory


def chinese_script(text: str) -> tuple[str, int, int]:
    """("Hant" or "Hans", characters only Traditional, characters only Simplified) of ``text``,
    by OpenCC: a character that OpenCC's t2s changes is Traditional, one s2t changes is Simplified.
    A tie (no such character) reads as Traditional only when there is at least one Traditional one."""
    han = "".join(ch for ch in text if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff")
    if not han:
        return "Hans", 0, 0
    t2s = _opencc("t2s.json").convert(han)
    s2t = _opencc("s2t.json").convert(han)
    trad = sum(a != b for a, b in zip(han, t2s)) if len(t2s) == len(han) else 0
    simp = sum(a != b for a, b in zip(han, s2t)) if len(s2t) == len(han) else 0
    return ("Hant" if trad > simp else "Hans"), trad, simp


@lru_cache(maxsize=None)
def _opencc(config: str):  # type: ignore[no-untyped-def]
    import opencc           # its C library loads only when a page says just "zh"
    return opencc.OpenCC(config)


def lang_note(page: str, lang: str, locale: str) -> str | None:
    """What extract says of a page whose ``<html lang>`` names no script nor region."""
    if not is_bare_chinese(lang):
        return None
    script = "Traditional" if parse_locale(locale).script == "Hant" or locale in ("zh_TW", "zh_HK", "zh_MO") \
        else "Simplified"
    return (f'{page}: <html lang="{lang}"> read as {locale}: its text is {script} Chinese (OpenCC); '
            f'write lang="{bcp47(locale)}" to say so')


def locale_for_lang(lang: str, known: tuple[str, ...]) -> str | None:
    """The project locale a page's ``<html lang>`` stands for, or None."""
    try:
        loc = parse_locale(normalize_lang(lang))
    except ConfigError:
        return None
    for k in known:
        kl = parse_locale(k)
        if kl.language == loc.language and (kl.territory or None) == (loc.territory or None):
            return k
    for k in known:     # language alone: "en-US" is the project's "en"; "zh-Hant" is zh_TW
        kl = parse_locale(k)
        if kl.language == loc.language != "zh" and not kl.territory:
            return k
        if kl.language == loc.language == "zh" and loc.script and kl.script == loc.script:
            return k
    return None


@lru_cache(maxsize=None)
def display_name(locale: str) -> str:
    """CLDR's display name of the locale in itself: English, 中文 (繁體, 台灣). What a catalog's
    ``Language-Team`` header has always said (kept, so headers stay stable); a reader is shown
    :func:`native_name`."""
    loc = parse_locale(locale)
    return loc.get_display_name(loc) or locale


# Chinese is named by its script, the way Chinese readers name it; the territory is added
# only outside the script's home (繁體中文（香港）), with CLDR's names shortened.
_ZH_HOME = {"Hant": "TW", "Hans": "CN"}
_ZH_PLACES = {"Hant": {"HK": "香港", "MO": "澳門"},
              "Hans": {"SG": "新加坡", "MY": "马来西亚", "HK": "香港", "MO": "澳门"}}


def _script(loc: Locale) -> str | None:
    if loc.language == "zh":
        return loc.script or ("Hant" if loc.territory in ("TW", "HK", "MO") else "Hans")
    return loc.script


@lru_cache(maxsize=None)
def native_name(locale: str) -> str:
    """The locale's name as its readers write it: English, 繁體中文, 简体中文, Français.

    What a reader picks a language by (the switcher, the language picker): CLDR's name of
    the language in itself, capitalized, with the script for Chinese and the territory only
    where it tells two variants apart (繁體中文（香港）, English (United Kingdom))."""
    loc = parse_locale(locale)
    script = _script(loc)
    if loc.language == "zh" and script in _ZH_HOME:
        name = loc.languages.get(f"zh_{script}") or "中文"
        if loc.territory and loc.territory != _ZH_HOME[script]:
            place = _ZH_PLACES[script].get(loc.territory) or loc.territories.get(loc.territory, loc.territory)
            name = f"{name}（{place}）"
        return name
    name = loc.languages.get(loc.language) or locale
    name = name[:1].upper() + name[1:]
    if loc.territory:
        name = f"{name} ({loc.territories.get(loc.territory, loc.territory)})"
    return name


@lru_cache(maxsize=None)
def language_name(locale: str, reader: str) -> str:
    """The language of ``locale`` named for a reader of ``reader``, as in "shown in English":
    英文 (zh_TW and zh_CN readers), Chinese (an English reader of a zh_TW page), 繁体中文 (a
    zh_CN reader of a zh_TW page: the language alone would not tell them apart). ``locale``
    may be a BCP 47 tag (zh-Hant-TW)."""
    src, rd = parse_locale(locale), parse_locale(reader)
    if src.language != rd.language:
        name = rd.languages.get(src.language) or native_name(locale)
    elif _script(src) != _script(rd) and _script(src):
        name = rd.languages.get(f"{src.language}_{_script(src)}") or native_name(locale)
    else:
        name = native_name(locale)
    if rd.language == "zh" and _script(rd) == "Hans" and name.endswith("语"):
        name = name[:-1] + "文"     # written text: 英文, 法文 (CLDR's 英语 names the spoken language too)
    return name


class LanguageNames(NamedTuple):
    """:func:`native_name` and :func:`language_name` of a site's languages, and their long date
    patterns (:func:`long_date_pattern`), worked out once."""

    native: dict[str, str]            # locale -> native_name(locale)
    for_reader: dict[str, str]        # "locale reader" -> language_name(locale, reader)
    dates: dict[str, "DatePattern | None"] = {}     # locale -> its long date pattern (None: babel formats it)

    def long_date(self, locale: str, d: "_dt.date") -> str:
        """``d`` as babel's ``format_date(d, "long", locale)`` writes it."""
        pattern = self.dates.get(locale)
        return format_long_date(pattern, d) if pattern is not None else babel_long_date(d, locale)

    def name(self, locale: str) -> str:
        known = self.native.get(locale)
        return known if known is not None else native_name(locale)

    def language(self, locale: str, reader: str) -> str:
        known = self.for_reader.get(f"{locale} {reader}")
        return known if known is not None else language_name(locale, reader)


def language_names(locales: Sequence[str], cache_file: Path | None = None) -> LanguageNames:
    """The names of ``locales`` and of each for a reader of each (and of English), and the long
    date pattern of each, from CLDR, kept in ``cache_file`` (JSON, under babel's version and the
    locales): a build that renders one page does not load CLDR's data of every language for them
    (25-30 ms for three names, 16 ms a locale for a date)."""
    from babel import __version__ as babel_version

    readers = sorted(set(locales) | {"en"})
    key = [babel_version, readers, "dates 1"]
    if cache_file is not None:
        try:
            data = json.loads(cache_file.read_text("utf-8"))
            if data["key"] == key:
                return LanguageNames(data["native"], data["for_reader"],
                                     {lo: None if p is None else DatePattern(*p) for lo, p in data["dates"].items()})
        except (OSError, ValueError, TypeError, KeyError):
            pass
    names = LanguageNames({lo: native_name(lo) for lo in readers},
                          {f"{lo} {rd}": language_name(lo, rd) for lo in readers for rd in readers},
                          {lo: long_date_pattern(lo) for lo in readers})
    if cache_file is not None:
        from .fsutil import atomic_write
        try:
            atomic_write(cache_file, json.dumps({"key": key, "native": names.native, "for_reader": names.for_reader,
                                                 "dates": names.dates},
                                                ensure_ascii=False, indent=1), durable=False)
        except OSError:
            pass                              # a cache that cannot be written: names from CLDR next time too
    return names


class DatePattern(NamedTuple):
    """A locale's long date format as babel applies it, for patterns of year, month and day only."""
    format: str                       # babel's DateTimePattern.format: "%(MMMM)s %(d)s, %(y)s"
    wide: list[str]                   # the month names, January first ("format" context)
    abbreviated: list[str]


_DATE_FIELD = re.compile(r"%\((\w+)\)s")
_SIMPLE_FIELDS = frozenset({"y", "yy", "yyyy", "M", "MM", "MMM", "MMMM", "d", "dd"})


def long_date_pattern(locale: str) -> DatePattern | None:
    """CLDR's long date pattern of ``locale`` (babel's ``date_formats["long"]``) with its month
    names; None when it has a field other than year, month and day (an era, a weekday...), which
    :func:`format_long_date` leaves to babel."""
    from babel.dates import get_date_format
    loc = parse_locale(locale)
    fmt = get_date_format("long", locale=loc).format
    if not set(_DATE_FIELD.findall(fmt)) <= _SIMPLE_FIELDS:
        return None
    months = loc.months["format"]
    return DatePattern(fmt, [months["wide"][m] for m in range(1, 13)],
                       [months["abbreviated"][m] for m in range(1, 13)])


def format_long_date(p: DatePattern, d: "_dt.date") -> str:
    """``d`` in pattern ``p``, as babel's ``DateTimePattern.apply`` fills those fields: y the year
    as is, yy its last two digits, yyyy four; M and d as numbers, MM and dd two digits; MMM and
    MMMM the month's abbreviated and wide name."""
    y, m, day = d.year, d.month, d.day
    return p.format % {"y": str(y), "yy": "%02d" % (y % 100), "yyyy": "%04d" % y, "M": str(m), "MM": "%02d" % m,
                       "MMM": p.abbreviated[m - 1], "MMMM": p.wide[m - 1], "d": str(day), "dd": "%02d" % day}


@lru_cache(maxsize=4096)
def babel_long_date(d: "_dt.date", locale: str) -> str:
    """babel's long date (``format_date`` parses the locale on every call, ~0.4 ms: cached)."""
    from babel.dates import format_date
    return format_date(d, format="long", locale=parse_locale(locale))


@lru_cache(maxsize=None)
def plural_forms(locale: str) -> str:
    """The Plural-Forms header for ``locale`` from CLDR."""
    from babel.messages.plurals import get_plural     # here: loading a project does not pay for it
    return get_plural(locale).plural_forms
