"""Locale names: project locales (en, zh_TW, zh_CN), BCP 47 tags, CLDR data (babel)."""
from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from .errors import ConfigError

__all__ = ["parse_locale", "bcp47", "locale_for_lang", "display_name", "plural_forms"]


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


def locale_for_lang(lang: str, known: tuple[str, ...]) -> str | None:
    """The project locale a page's ``<html lang>`` stands for, or None."""
    try:
        loc = parse_locale(lang)
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
    """The locale's own name for itself (CLDR): English, 中文（繁體，台灣）."""
    loc = parse_locale(locale)
    return loc.get_display_name(loc) or locale


@lru_cache(maxsize=None)
def plural_forms(locale: str) -> str:
    """The Plural-Forms header for ``locale`` from CLDR."""
    return get_plural(locale).plural_forms
