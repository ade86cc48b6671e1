"""GL006: Simplified characters in a zh_TW msgstr, Traditional ones in a zh_CN msgstr."""
from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, quote
from l10n.model import Finding, Severity

# Characters OpenCC's s2t changes although they are also standard Traditional
# characters in Taiwan (OpenCC lists them among their own Traditional
# candidates, just not first): 台灣, 皇后, 干擾, 公里, 范 (a surname), 游泳,
# 征服, 胜肽, 跖骨… They are never reported in zh_TW.
_ALSO_TRADITIONAL = frozenset(
    "台后干里范余征游朴吁云丑于伙佣准几凶划占厘咨咸尸岩岳恒托斗杰涂涌胜膻虱蝎跖辟郁采霉仆"
)
# Characters OpenCC's t2s/tw2s change although Simplified Chinese keeps them (著名, 显著).
_ALSO_SIMPLIFIED = frozenset("著")

_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000))


# Character-only versions of OpenCC's configs: loading the phrase dictionaries
# of the stock configs takes ~0.2 s; one character per line never uses them.
_CHAR_CHAINS = {
    "s2t": [["STCharacters.ocd2"]],
    "s2tw": [["STCharacters.ocd2"], ["TWVariants.ocd2"]],
    "t2s": [["TSCharactersExt.ocd2", "TSCharacters.ocd2"]],
    "tw2s": [["TWVariantsRev.ocd2"], ["TSCharactersExt.ocd2", "TSCharacters.ocd2"]],
}


def _converters():
    """A function (config name, text) -> text backed by OpenCC."""
    import opencc

    share = getattr(opencc, "_opencc_share_dir", "")
    cache: dict[str, object] = {}
    try:
        import json
        import os
        import tempfile

        if not all(os.path.exists(os.path.join(share, f)) for chain in _CHAR_CHAINS.values()
                   for step in chain for f in step):
            raise FileNotFoundError(share)
        with tempfile.TemporaryDirectory(prefix="l10n-opencc-") as tmp:
            for name, chain in _CHAR_CHAINS.items():
                def d(f: str) -> dict:
                    return {"type": "ocd2", "file": os.path.join(share, f)}
                config = {"name": f"l10n {name} characters",
                          "segmentation": {"type": "mmseg", "dict": d(chain[0][-1])},
                          "conversion_chain": [{"dict": {"type": "group", "match_policy": "short_circuit",
                                                         "dicts": [d(f) for f in step]}} for step in chain]}
                path = os.path.join(tmp, name + ".json")
                with open(path, "w", encoding="utf-8") as fh:
                    json.dump(config, fh)
                cache[name] = opencc.OpenCC(path)
    except Exception:  # another OpenCC layout: the stock configs give the same tables, slower
        cache = {}

    def convert(name: str, text: str) -> str:
        if name not in cache:
            cache[name] = opencc.OpenCC(name)
        return cache[name].convert(text)  # type: ignore[attr-defined]

    return convert


_PRIMED: tuple | None = None     # set by cached_script_tables: what script_tables() returns


def cached_script_tables(cache_dir: str | Path | None) -> tuple:
    """``script_tables()``, kept in ``cache_dir`` (building them takes 40-70 ms a run).

    The cache file is named by this module's and OpenCC's files (size and mtime)
    and the character files it reads, so another OpenCC version builds new tables.
    An unreadable cache file is ignored and rewritten. Later ``script_tables()``
    calls in this process return the same tables.
    """
    global _PRIMED
    if _PRIMED is not None or cache_dir is None:
        return script_tables()
    f = None
    try:
        import hashlib
        import marshal
        import os

        import opencc

        from l10n import __version__

        share = getattr(opencc, "_opencc_share_dir", "")
        stamp = [__version__, sys.version]
        for name in [__file__, opencc.__file__ or ""] + sorted(
                os.path.join(share, x) for chain in _CHAR_CHAINS.values() for step in chain for x in step):
            try:
                st = os.stat(name)
                stamp.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
            except OSError:
                stamp.append(f"{name}:?")
        key = hashlib.sha256("\0".join(stamp).encode("utf-8", "surrogateescape")).hexdigest()[:40]
        f = Path(cache_dir) / "script-tables" / f"{key}.marshal"
        simplified, traditional, to_trad, to_simp = marshal.loads(f.read_bytes())
        _PRIMED = (frozenset(simplified), frozenset(traditional), dict(to_trad), dict(to_simp))
        script_tables.cache_clear()
        return script_tables()
    except Exception:  # noqa: BLE001 - no cache yet, or a broken one: build the tables
        pass
    tables = script_tables()
    if f is not None and tables[0]:
        try:
            from l10n.fsutil import atomic_write

            atomic_write(f, marshal.dumps(tuple(tables)), durable=False)
        except (OSError, ValueError):
            pass
    return tables


@functools.lru_cache(maxsize=1)
def script_tables() -> tuple[frozenset[str], frozenset[str], dict[str, str], dict[str, str]]:
    """(simplified-only, traditional-only, to-Traditional(Taiwan), to-Simplified) character tables.

    Built once (~40 ms) from OpenCC, one character per line so no phrase rule applies:

    * Simplified-only: OpenCC's s2t *and* s2tw change the character while
      t2s and tw2s leave it alone (so it is not itself Traditional), minus
      the characters standard in both scripts (``_ALSO_TRADITIONAL``).
    * Traditional-only: t2s or tw2s changes it (爲 and 為 both) while s2t
      leaves it alone (么 is changed by both ways: it is Simplified too),
      minus ``_ALSO_SIMPLIFIED``.

    Characters identical in both scripts (藥 is not, 皮 is) are in neither set.
    """
    if _PRIMED is not None:
        return _PRIMED
    chars = "".join(chr(c) for lo, hi in _RANGES for c in range(lo, hi))
    joined = "\n".join(chars)
    convert = _converters()
    s2t, s2tw, t2s, tw2s = (convert(name, joined).split("\n") for name in ("s2t", "s2tw", "t2s", "tw2s"))
    simplified, traditional = set(), set()
    to_trad: dict[str, str] = {}
    to_simp: dict[str, str] = {}
    if not (len(s2t) == len(s2tw) == len(t2s) == len(tw2s) == len(chars)):  # pragma: no cover
        return frozenset(), frozenset(), {}, {}
    for c, a, b, d, e in zip(chars, s2t, s2tw, t2s, tw2s):
        if a != c and b != c and d == c and e == c and c not in _ALSO_TRADITIONAL:
            simplified.add(c)
            to_trad[c] = b
        if (d != c or e != c) and a == c and c not in _ALSO_SIMPLIFIED:
            traditional.add(c)
            to_simp[c] = d if d != c else e
    return frozenset(simplified), frozenset(traditional), to_trad, to_simp


_FINDERS: dict[int, tuple[frozenset[str], object]] = {}


def _finder(chars: frozenset[str]):  # type: ignore[no-untyped-def]
    """A function text -> whether ``text`` holds one of ``chars`` (one regex character class)."""
    hit = _FINDERS.get(id(chars))
    if hit is None or hit[0] is not chars:
        import re

        search = re.compile("[" + "".join(map(re.escape, sorted(chars))) + "]").search if chars else (lambda t: None)
        hit = _FINDERS[id(chars)] = (chars, search)
    return hit[1]


class WrongScript(EntryRule):
    """Script: Simplified characters in a zh_TW msgstr, or Traditional ones in a zh_CN msgstr.

    Uses OpenCC's character tables (see ``script_tables``): a character is
    reported only when it exists in one script alone, so characters written
    the same in both (皮, 症) and characters standard in both (台, 后, 里,
    著) never are. The message names each offending character with the form
    to use.
    """

    code = "GL006"
    name = "wrong-script"
    severity = Severity.ERROR
    bad = Example("The doctor prescribed an ointment.", "医生开了药膏。", "en", "zh_TW")
    good = Example("The doctor prescribed an ointment.", "醫生開了藥膏。", "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        target = ctx.target
        if target == "zh_TW" or target.startswith(("zh_Hant", "zh_HK", "zh_MO")):
            wrong, script, want = 0, "Simplified", "Traditional"
        elif target == "zh_CN" or target.startswith(("zh_Hans", "zh_SG")):
            wrong, script, want = 1, "Traditional", "Simplified"
        else:
            return
        text = ctx.msgstr_text
        if text.isascii():
            return
        tables = script_tables()
        bad_chars = tables[wrong]
        if not _finder(bad_chars)(text):       # bad_chars.isdisjoint(text), 6x faster on CJK text
            return
        fix = tables[2 + wrong]
        seen = sorted(bad_chars.intersection(text), key=text.index)
        listed = ", ".join(f"{c}→{fix.get(c, '?')}" for c in seen)
        yield ctx.finding(
            self,
            f"{script} characters in a {target} msgstr: {listed} (use {want}); msgid {quote(ctx.entry.msgid)}",
            term="".join(seen),
        )
