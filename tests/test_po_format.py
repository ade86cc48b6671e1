"""Catalogs are written the way GNU gettext writes them: msgcat gives them back unchanged.

GNU gettext is the oracle for the writer (l10n._pofast.generate_po, catalogs.po_text):
every shipped catalog, hand-made edge cases and thousands of random entries go through
one msgcat call each and must come back byte for byte. Every test also reads the text
back, so that a writer that dropped text would not pass by writing less.
"""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import unicodedata
from pathlib import Path

import polib
import pytest

from l10n import catalogs as cat

REPO = Path(__file__).resolve().parent.parent
SHIPPED = sorted((REPO / "locales").rglob("*.po")) + sorted((REPO / "locales").rglob("*.pot"))


def _msgcat() -> str:
    exe = shutil.which("msgcat")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("msgcat (GNU gettext) is missing; tests/install_system_deps.sh installs it")
        pytest.skip("msgcat not installed")
    return exe


def _through_msgcat(text: str) -> str:
    res = subprocess.run([_msgcat(), "-"], input=text.encode(), capture_output=True, check=True)
    return res.stdout.decode()


def _assert_msgcat_keeps(po: polib.POFile) -> str:
    """Write ``po``, pass it through msgcat, and fail on the first entry msgcat writes otherwise."""
    text = cat.po_text(po)
    back = _through_msgcat(text)
    if back != text:
        ours, theirs = text.split("\n\n"), back.split("\n\n")
        for k, (a, b) in enumerate(zip(ours, theirs)):
            if a != b:
                pytest.fail(f"entry {k}: msgcat writes\n{b}\n\nl10n wrote\n{a}")
        pytest.fail(f"msgcat gives {len(theirs)} blocks for l10n's {len(ours)}")
    return text


def _fields(e: polib.POEntry) -> tuple:
    # obsolete entries: neither references written, nor "#~|" previous msgids read (polib skips them)
    return (e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, dict(e.msgstr_plural),
            None if e.obsolete else e.previous_msgctxt, None if e.obsolete else e.previous_msgid,
            e.obsolete, list(e.flags), e.tcomment, e.comment, [] if e.obsolete else list(e.occurrences))


def _assert_reads_back(po: polib.POFile, text: str) -> None:
    back = cat.parse_catalog(text, "written.po")
    assert back.metadata == po.metadata
    active = [e for e in po if not e.obsolete] + [e for e in po if e.obsolete]
    assert len(back) == len(active)
    for a, b in zip(active, back):
        assert _fields(a) == _fields(b)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_catalog_is_unchanged_by_msgcat(path: Path) -> None:
    text = path.read_text("utf-8")
    assert cat.po_text(cat.read_catalog(str(path))) == text      # our writer reproduces the file
    assert _through_msgcat(text) == text                         # and gettext would write the same


def _header(po: polib.POFile, **more: str) -> polib.POFile:
    po.metadata = {"Project-Id-Version": "x 1", "Content-Type": "text/plain; charset=UTF-8", **more}
    return po


def tricky_catalog() -> polib.POFile:
    po = _header(polib.POFile(), Language="zh_TW", **{"Plural-Forms": "nplurals=1; plural=0;"})
    cjk = ("硬皮症是一種罕見的自體免疫疾病（autoimmune disease），患者的免疫系統會攻擊健康的結締組織，"
           "進而引發損傷反應「膠原蛋白」過度生成，0.1%的普特皮。") * 2
    for e in (
        polib.POEntry(msgid='Hello "world"\n\tTab\\ back', msgstr="你好\n世界", tcomment="note\nsecond",
                      comment="p", occurrences=[("source_pages/qa/a-rather-long-page-name.html", str(i))
                                                for i in range(1, 9)]),
        polib.POEntry(msgid="A " * 60, msgstr=cjk, flags=["fuzzy"], previous_msgid="B " * 50,
                      previous_msgctxt="old ctx", msgctxt="ctx"),
        polib.POEntry(msgid="one file", msgid_plural="%d files", msgstr_plural={0: "%d 個檔案"},
                      flags=["c-format"]),
        polib.POEntry(msgid="x/y-z_a:b " * 12 + "https://example.org/long/path-with-hyphens/and/slashes/",
                      msgstr="好"),
        polib.POEntry(msgid="Old sentence " * 8, msgstr=cjk, obsolete=True, tcomment="kept",
                      flags=["fuzzy"], previous_msgid="older " * 15),
    ):
        po.append(e)
    return po


def test_tricky_catalog_is_unchanged_by_msgcat_and_reads_back() -> None:
    po = tricky_catalog()
    text = _assert_msgcat_keeps(po)
    _assert_reads_back(po, text)


def test_long_cjk_lines_are_wrapped_by_display_width() -> None:
    text = cat.po_text(tricky_catalog())
    for line in text.splitlines():
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        assert width <= 79, line


def edge_catalog() -> polib.POFile:
    """Where a line may (not) break, each case at the edge of the 79th column; msgcat decided
    every one (the writer got these wrong before they were here)."""
    po = _header(polib.POFile())
    cases = [
        "x" * 75 + " \n",                          # never a break right before the "\n" that ends a portion
        "z" * 74 + "中\n",
        "supercalifragilisticexpialidocious" * 3,   # nowhere to break: stays on the keyword's line
        "w" * 100 + "\nand a second line",          # ... but not when a "\n" follows
        "  " + "x" * 100,                           # no break after the spaces a portion starts with
        "first line\n  " + "x" * 90 + " yy",
        "  （" + "x" * 90,
        "x" * 76 + " ，yyyyy",                       # no break before "，" "。" ")" "?" "/"... even after a space
        "x" * 76 + " )yyyyy",
        "x" * 76 + " /yyyyy",
        "word " * 15 + "中-文" + "字" * 10,           # nor before "-" or "/" after a CJK character
        "word " * 15 + "中/文" + "字" * 10,
        "x" * 76 + " ；yyyyy",                       # but before "；" after a space, yes
        "x" * 76 + " -yyyyy",
    ]
    for i, value in enumerate(cases):
        po.append(polib.POEntry(msgctxt=f"c{i}", msgid=value, msgstr=value))
    po.append(polib.POEntry(msgid="a " * 50, msgstr="b " * 50 + "\n" + "c " * 10, flags=["no-wrap"]))
    po.append(polib.POEntry(msgid="unwrapped " * 10, msgstr="d", flags=["fuzzy", "no-wrap"],
                            previous_msgid="older " * 20))
    po.append(polib.POEntry(msgid="long references", msgstr="e",
                            occurrences=[("source_pages/" + "very-long-folder-name/" * 4 + f"p{k}.html", str(k))
                                         for k in range(3)] + [("no-line.html", "")]))
    return po


def test_edge_cases_are_unchanged_by_msgcat_and_read_back() -> None:
    po = edge_catalog()
    text = _assert_msgcat_keeps(po)
    _assert_reads_back(po, text)


# -- random catalogs ------------------------------------------------------------------
#
# Thousands of entries in one catalog (one msgcat call), each with a msgctxt or msgid of
# its own so that msgcat keeps them all, in order. The text is made of what page text is
# made of: words and numbers between spaces, long words, CJK with its full-width
# punctuation, ASCII punctuation before a space, hyphens and slashes inside words,
# quotes, escapes, "\n". gettext breaks lines by the Unicode line breaking algorithm
# (UAX #14, in libunistring); the writer knows the part of it that such text meets and
# no more. Left out, because msgcat breaks around them where l10n does not, or the other
# way round: quotation marks next to CJK ('中“文”', '中"文"'), a letter right after
# "." "," ";" ":" "?" "!" ('e.g.', 'example.org'), ")(", a space after an opening
# bracket ("（ 中"), a closing quote, spaces, an opening bracket ('” （'), "％", "…",
# U+3000, "—" and "–", U+2028, control characters other than \t and \n.

TOKENS = (["word", "supercalifragilisticexpialidocious", "Scleroderma", "12", "0.1% ", "e", "x", "<a1>", "</a1>",
           "well-known", "and/or", "a-b/c_d", "(word) ", "[1] ", "a\\b", " ", " ", " ", "  ",
           ", ", ". ", "; ", ": ", "? ", "! ", " - ", ' "word" and', " 'word' or", " \t", "\n"]
          + list("中文字體硬皮症是一種罕見的自體免疫疾病，。、？！")
          + ["中；", "字：", "體・", "中-文", "中/文", "（中文）", "「字」", "『體』", "【文】", "《皮》", "〈中〉",
             "〔字〕", "１２", "３４", "ａｂ", "한국어", "😀", "²"])


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(TOKENS) for _ in range(rng.randint(0, n)))


@pytest.mark.parametrize("seed", range(4))
def test_random_fields_are_written_like_msgcat(seed: int) -> None:
    """Every kind of field (msgid, msgstr, msgctxt, msgid_plural, msgstr[0], previous and
    obsolete ones) with random text, 3,000 entries."""
    rng = random.Random(seed)
    po = _header(polib.POFile())
    for i in range(3000):
        value = _text(rng, rng.choice([3, 12, 40, 100]))
        keyword = rng.choice(["msgid", "msgstr", "msgctxt", "msgstr[0]", "msgid_plural"])
        prefix = rng.choice(["", "#~ ", "#| ", "#~| "])
        e = polib.POEntry(msgctxt=f"c{i}", msgid="m", msgstr="s", obsolete=prefix.startswith("#~ "))
        if "|" in prefix:                              # a previous msgctxt goes with a previous msgid
            e.flags, e.obsolete = ["fuzzy"], prefix == "#~| "
            if keyword == "msgctxt":
                e.previous_msgctxt, e.previous_msgid = value, "old"
            else:
                e.previous_msgid = value
        elif keyword == "msgid":
            e.msgid = value or "m"                     # msgid "" is the header's
        elif keyword == "msgstr":
            e.msgstr = value or ("s" if e.obsolete else "")     # msgcat drops untranslated obsolete ones
        elif keyword == "msgctxt":
            e.msgctxt, e.msgid = value, f"c{i}"
        else:
            e.msgid_plural, e.msgstr = (value or "p") if keyword == "msgid_plural" else "p", ""
            e.msgstr_plural = {0: (value or "s0") if keyword == "msgstr[0]" else "s0", 1: "s1"}
        po.append(e)
    text = _assert_msgcat_keeps(po)
    _assert_reads_back(po, text)


@pytest.mark.parametrize("seed", range(2))
def test_random_catalogs_are_written_like_msgcat(seed: int) -> None:
    """Whole entries: comments, references, flags, previous msgids, plurals, obsolete ones."""
    rng = random.Random(7 + seed)
    po = _header(polib.POFile(), **{"X-Note": _text(rng, 60).replace("\n", " ")})
    po.header = "A header\nwith two lines"
    for i in range(600):
        obsolete = rng.random() < 0.1
        e = polib.POEntry(msgid=f"{i} " + _text(rng, 60), msgstr=_text(rng, 60) or ("s" if obsolete else ""),
                          msgctxt=rng.choice([None, _text(rng, 8)]), comment=rng.choice(["", "p, li"]),
                          tcomment=rng.choice(["", "translator says\nsomething"]),
                          occurrences=[(f"source_pages/qa/{'long-name-' * rng.randint(0, 9)}page-{k}.html",
                                        rng.choice([str(k), ""])) for k in range(rng.randint(0, 6))],
                          flags=[f for f in ("fuzzy", "no-wrap") if rng.random() < 0.3],   # gettext's order
                          previous_msgid=rng.choice([None, _text(rng, 30)]), obsolete=obsolete)
        if rng.random() < 0.1:
            e.msgid_plural, e.msgstr = _text(rng, 20) or "p", ""
            e.msgstr_plural = {0: _text(rng, 20) or "s0", 1: _text(rng, 20)}
        elif not e.msgstr and "fuzzy" in e.flags:
            e.flags.remove("fuzzy")                     # msgcat: nothing to be fuzzy about
        po.append(e)
    text = _assert_msgcat_keeps(po)
    _assert_reads_back(po, text)


# -- any text reads back ---------------------------------------------------------------

ANY = list("ab cd-ef/g 12３４中文字體，。、；：？！）」（「『【\"\\\n\t\r\b\f\v.,;:?!)([{%’”“‘»«-- 　ａｂ") + [
    "word", "supercalifragilisticexpialidocious", "<a1>", "</a1>", "  ", "１２", "²", "한국어", "😀", "\u2028", "—"]


def test_any_text_reads_back_as_written() -> None:
    """Whatever the characters (where the lines break may then differ from msgcat's), what
    the writer writes the reader reads back: every escape, U+2028, control characters."""
    rng = random.Random(11)
    po = _header(polib.POFile())
    for i in range(2000):
        def t(n: int) -> str:
            return "".join(rng.choice(ANY) for _ in range(rng.randint(0, n)))
        e = polib.POEntry(msgctxt=t(20) if rng.random() < 0.3 else None, msgid=f"{i} " + t(200), msgstr=t(200),
                          previous_msgid=rng.choice([None, t(90)]), obsolete=rng.random() < 0.1)
        if rng.random() < 0.1:
            e.msgid_plural, e.msgstr, e.msgstr_plural = t(50) or "p", "", {0: t(50), 1: t(50)}
        po.append(e)
    _assert_reads_back(po, cat.po_text(po))


# -- random text drawn from real pages' vocabulary ------------------------------------------
#
# The writer asks libunistring, the library gettext's own writer asks (write-po.c, wrap():
# u8_width_linebreaks_v2 over the escaped string, no break inside an escape sequence or a
# UTF-8 sequence, none right before a closing "\n"), so it breaks where msgcat breaks on any
# text, not only on an alphabet: "U.S.", "example.org", URLs, quotes next to CJK, "……", "——".

def _page_vocabulary() -> list[str]:
    """Words and CJK runs of the realweb fixtures and the shipped pages (both scripts)."""
    import re as _re
    from l10n.html.walker import parse_page
    words: list[str] = []
    pages = (sorted((REPO / "tests" / "fixtures" / "realweb").glob("*.html"))
             + sorted((REPO / "source_pages").rglob("*.html")))
    for p in pages:
        for s in parse_page(p.read_bytes(), p.name).segments:
            for w in s.msgid.split(" "):
                # CJK text has no spaces: cut it into runs of one to four characters
                words += [w[k:k + 4] for k in range(0, len(w), 4)] if _re.search("[\u3000-\u9fff]", w) else [w]
    words += ["U.S.", "e.g.", "i.e.,", "a.m.", "https://example.org/news/clinic-hours?id=42&lang=en",
              "info@example.org", "“curly”", "‘single’", '"quoted"', "……", "——", "—", "–", "（02）1234-5678",
              "61/03/31", "Copyright\u00a0©", "　　", "0.1%", "５０％", "\\", "\t"]
    return [w for w in words if w]


@pytest.fixture(scope="module")
def vocabulary() -> list[str]:
    return _page_vocabulary()


@pytest.mark.parametrize("seed", range(3))
def test_real_page_vocabulary_is_written_like_msgcat(seed: int, vocabulary: list[str]) -> None:
    from l10n import _pofast
    if not _pofast.gnu_linebreaks():
        pytest.skip("libunistring is not installed: the writer uses its approximation")
    rng = random.Random(100 + seed)
    po = _header(polib.POFile())
    for i in range(1500):
        def t(n: int) -> str:
            out = ""
            for _ in range(n):
                w = rng.choice(vocabulary)
                out += (" " if out and rng.random() < 0.7 else "") + w
            return out
        e = polib.POEntry(msgid=f"{i} " + t(rng.choice([3, 10, 30, 60])), msgstr=t(rng.choice([0, 5, 20, 60])),
                          msgctxt=rng.choice([None, None, t(3)]), previous_msgid=rng.choice([None, t(20)]))
        if e.previous_msgid:
            e.flags = ["fuzzy"]
        if not e.msgstr and "fuzzy" in e.flags:
            e.flags.remove("fuzzy")
        po.append(e)
    text = _assert_msgcat_keeps(po)
    _assert_reads_back(po, text)


@pytest.mark.parametrize("seed", range(2))
def test_without_libunistring_the_approximation_still_matches_on_its_alphabet(seed: int, monkeypatch) -> None:
    """The fallback (no libunistring on the machine) is held to msgcat on the alphabet it knows."""
    from l10n import _pofast
    monkeypatch.setattr(_pofast, "_unistring", lambda: None)
    assert not _pofast.gnu_linebreaks()
    test_random_fields_are_written_like_msgcat(seed)
