"""Catalogs: templates, msgmerge-like merging, statistics and compiling."""
from __future__ import annotations

import gettext
import io

import polib
import pytest
from babel.messages.plurals import get_plural

from l10n import catalogs as cat
from l10n import merging
from l10n.errors import CatalogError
from l10n.model import Segment

PAGE = "source_pages/guide.html"


def seg(msgid, line, place="p", **kw):
    return Segment(msgid=msgid, page=PAGE, line=line, place=place, **kw)


SEGMENTS = [
    seg("Skin care guide", 5, "title"),
    seg("How to care for skin.", 6, "meta[name=description]"),
    seg("Skin care guide", 9, "h1"),
    seg("Home", 11, "li", msgctxt="menu"),
    seg("Home", 12, "p"),
    seg("Read <a1>the guide</a1> first.", 13, placeholders=("a1",)),
    seg("A diagram of the skin", 14, "img@alt", comment="shows the layers"),
]


def template():
    return cat.build_template(SEGMENTS, source_locale="en", project="site", version="2.0")


def po_from(text: str) -> polib.POFile:
    return cat.parse_catalog(text, "x.po")


def entry(po, msgid, msgctxt=None):
    (e,) = [e for e in po if e.msgid == msgid and e.msgctxt == msgctxt]
    return e


# -- templates ----------------------------------------------------------------------------

def test_template_entries_in_page_order_with_locations_and_places():
    pot = template()
    assert [(e.msgctxt, e.msgid) for e in pot] == [
        (None, "Skin care guide"), (None, "How to care for skin."), ("menu", "Home"), (None, "Home"),
        (None, "Read <a1>the guide</a1> first."), (None, "A diagram of the skin")]
    title = entry(pot, "Skin care guide")
    assert title.occurrences == [(PAGE, "5"), (PAGE, "9")]
    assert title.comment == "title, h1"
    assert entry(pot, "How to care for skin.").comment == "meta[name=description]"
    assert entry(pot, "A diagram of the skin").comment == "img@alt: shows the layers"
    assert entry(pot, "Home", "menu").occurrences == [(PAGE, "11")]


def test_template_text_has_gettext_comments_and_header():
    text = cat.po_text(template())
    assert "#. title, h1\n#: source_pages/guide.html:5 source_pages/guide.html:9\nmsgid \"Skin care guide\"" in text
    assert '#. img@alt: shows the layers\n' in text
    assert 'msgctxt "menu"\nmsgid "Home"' in text
    assert '"X-Source-Language: en\\n"' in text
    assert '"Project-Id-Version: site 2.0\\n"' in text
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in text
    back = po_from(text)
    assert cat.source_locale_of(back) == "en"
    assert [(e.msgctxt, e.msgid, e.occurrences) for e in back] == \
           [(e.msgctxt, e.msgid, e.occurrences) for e in template()]


def test_template_is_deterministic():
    assert cat.po_text(template()) == cat.po_text(template())
    assert cat.po_text(template()).encode() == cat.po_text(po_from(cat.po_text(template()))).encode()


# -- merging -------------------------------------------------------------------------------

OLD = """\
msgid ""
msgstr ""
"Language: zh_TW\\n"
"Last-Translator: Lin <lin@example.org>\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"X-Custom: kept\\n"

# checked by Dr. Wu
#, no-wrap
msgid "Skin care guide"
msgstr "皮膚照護指南"

msgid "Read <a1>the guides</a1> first."
msgstr "請先閱讀<a1>指南</a1>。"

msgid "Something removed from the page entirely"
msgstr "已移除的內容"

msgid "Untranslated and gone"
msgstr ""

#~ msgid "How to care for skin."
#~ msgstr "如何照護皮膚。"
"""


@pytest.fixture
def merged():
    return merging.merge(template(), po_from(OLD), "zh_TW",
                     compendium={(None, "A diagram of the skin"): "皮膚構造圖"})


def test_unchanged_msgid_keeps_its_translation_comments_and_flags(merged):
    e = entry(merged, "Skin care guide")
    assert e.msgstr == "皮膚照護指南"
    assert e.tcomment == "checked by Dr. Wu"
    assert e.flags == ["no-wrap"]
    assert e.occurrences == [(PAGE, "5"), (PAGE, "9")]      # locations from the template
    assert e.comment == "title, h1"


def test_changed_msgid_becomes_fuzzy_with_the_previous_msgid(merged):
    e = entry(merged, "Read <a1>the guide</a1> first.")
    assert e.msgstr == "請先閱讀<a1>指南</a1>。"
    assert "fuzzy" in e.flags
    assert e.previous_msgid == "Read <a1>the guides</a1> first."
    text = cat.po_text(merged)
    assert ('#, fuzzy\n#| msgid "Read <a1>the guides</a1> first."\n'
            'msgid "Read <a1>the guide</a1> first."') in text


def test_removed_translated_entry_becomes_obsolete_and_untranslated_one_goes(merged):
    obsolete = [e for e in merged if e.obsolete]
    assert [(e.msgid, e.msgstr) for e in obsolete] == [("Something removed from the page entirely", "已移除的內容")]
    assert '#~ msgid "Something removed from the page entirely"\n#~ msgstr "已移除的內容"' in cat.po_text(merged)
    assert not [e for e in merged if e.msgid == "Untranslated and gone"]


def test_obsolete_entry_is_restored_when_its_msgid_comes_back(merged):
    e = entry(merged, "How to care for skin.")
    assert (e.msgstr, e.obsolete, "fuzzy" in e.flags) == ("如何照護皮膚。", False, False)
    assert e.occurrences == [(PAGE, "6")]


def test_compendium_fills_new_entries(merged):
    e = entry(merged, "A diagram of the skin")
    assert e.msgstr == "皮膚構造圖" and "fuzzy" not in e.flags


def test_msgctxt_keeps_entries_apart(merged):
    assert entry(merged, "Home", "menu").msgstr == "" and entry(merged, "Home").msgstr == ""


def test_header_language_plural_forms_from_cldr_and_translator_fields_kept(merged):
    md = merged.metadata
    assert md["Language"] == "zh_TW"
    assert md["Plural-Forms"] == get_plural("zh_TW").plural_forms == "nplurals=1; plural=0;"
    assert md["Last-Translator"] == "Lin <lin@example.org>"
    assert md["X-Custom"] == "kept"
    assert md["X-Source-Language"] == "en"
    assert md["Project-Id-Version"] == "site 2.0"


@pytest.mark.parametrize("locale,forms", [("en", "nplurals=2; plural=(n != 1);"),
                                          ("zh_CN", "nplurals=1; plural=0;")])
def test_new_catalog_header(locale, forms):
    po = merging.merge(template(), None, locale)
    assert po.metadata["Language"] == locale
    assert po.metadata["Plural-Forms"] == forms == get_plural(locale).plural_forms
    assert all(e.msgstr == "" for e in po) and len(po) == len(template())


def test_merge_is_deterministic_and_idempotent(merged):
    again = merging.merge(template(), po_from(OLD), "zh_TW",
                      compendium={(None, "A diagram of the skin"): "皮膚構造圖"})
    assert cat.po_text(again).encode() == cat.po_text(merged).encode()
    twice = merging.merge(template(), po_from(cat.po_text(merged)), "zh_TW")
    assert cat.po_text(twice) == cat.po_text(merged)


def test_merge_never_loses_a_translation(merged):
    before = {(e.msgctxt, e.msgid): e.msgstr for e in po_from(OLD) if e.msgstr}
    after = {e.msgstr for e in merged if e.msgstr}
    assert set(before.values()) <= after


def test_dissimilar_new_msgid_is_not_fuzzy_matched():
    old = po_from('msgid "Completely different words"\nmsgstr "完全不同"\n')
    po = merging.merge(cat.build_template([seg("Skin care guide", 1)], source_locale="en"), old, "zh_TW")
    assert entry(po, "Skin care guide").msgstr == ""
    assert [e.msgid for e in po if e.obsolete] == ["Completely different words"]


# -- statistics and compiling -----------------------------------------------------------------

STATS_PO = """\
msgid ""
msgstr ""
"Language: zh_TW\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

msgid "One"
msgstr "一"

msgctxt "menu"
msgid "Home"
msgstr "首頁"

msgid "Read <a1>this</a1>."
msgstr "請讀<a1>這個</a1>。"

#, fuzzy
msgid "Four"
msgstr "四?"

msgid "Five"
msgstr ""

msgid "Six"
msgstr ""

#~ msgid "Old"
#~ msgstr "舊"
"""


def test_stats_like_msgfmt():
    st = cat.stats(po_from(STATS_PO))
    assert (st.translated, st.fuzzy, st.untranslated, st.obsolete) == (3, 1, 2, 1)
    assert st.msgfmt_line() == "3 translated messages, 1 fuzzy translation, 2 untranslated messages."
    assert st.percent == 50.0
    assert cat.Stats(1, 0, 0).msgfmt_line() == "1 translated message."


def test_compile_leaves_fuzzy_out_unless_asked():
    res = cat.compile_catalog(po_from(STATS_PO), "zh_TW/x.po")
    assert res.errors == ()
    table = cat.read_mo(res.mo)
    assert table == {(None, "One"): "一", ("menu", "Home"): "首頁", (None, "Read <a1>this</a1>."): "請讀<a1>這個</a1>。"}
    fuzzy = cat.read_mo(cat.compile_catalog(po_from(STATS_PO), "x.po", use_fuzzy=True).mo)
    assert fuzzy[(None, "Four")] == "四?" and len(fuzzy) == 4
    assert res.stats.msgfmt_line() == "3 translated messages, 1 fuzzy translation, 2 untranslated messages."


def test_mo_bytes_are_read_by_pythons_gettext():
    res = cat.compile_catalog(po_from(STATS_PO), "x.po")
    t = gettext.GNUTranslations(io.BytesIO(res.mo))
    assert t.gettext("One") == "一"
    assert t.pgettext("menu", "Home") == "首頁"
    assert t.gettext("Home") == "Home"                # no context: not translated
    assert t.gettext("Four") == "Four"                # fuzzy left out
    assert t.gettext("Five") == "Five"
    assert t.info()["language"] == "zh_TW"
    assert t.plural(1) == t.plural(5) == 0           # Plural-Forms read: nplurals=1; plural=0


def test_compile_is_deterministic():
    a = cat.compile_catalog(po_from(STATS_PO), "x.po").mo
    assert a == cat.compile_catalog(po_from(STATS_PO), "x.po").mo


def test_mo_bytes_and_read_mo_round_trip():
    pairs = [(b"", b"Language: en\nContent-Type: text/plain; charset=UTF-8\n"), (b"b", "乙".encode()), (b"a", b"A"), (b"ctx\x04a", b"CA")]
    data = cat.mo_bytes(pairs)
    assert cat.read_mo(data) == {(None, "a"): "A", (None, "b"): "乙", ("ctx", "a"): "CA"}
    t = gettext.GNUTranslations(io.BytesIO(data))
    assert t.gettext("b") == "乙" and t.pgettext("ctx", "a") == "CA"


def test_read_mo_reads_big_endian_files():
    """A .mo written on a big-endian machine (msgfmt writes the host's order) reads the same."""
    import struct
    pairs = [("", "Content-Type: text/plain; charset=UTF-8\n"), ("a", "A"), ("b", "乙"), ("ctx\x04a", "CA")]
    little = cat.mo_bytes([(k.encode(), v.encode()) for k, v in pairs])
    n = struct.unpack("<I", little[8:12])[0]
    words = struct.unpack(f"<{7 + 4 * n}I", little[:4 * (7 + 4 * n)])
    big = struct.pack(f">{7 + 4 * n}I", *words) + little[4 * (7 + 4 * n):]
    assert big != little
    assert cat.read_mo(big) == cat.read_mo(little) == {(None, "a"): "A", (None, "b"): "乙", ("ctx", "a"): "CA"}


def test_read_mo_refuses_garbage():
    with pytest.raises(CatalogError, match="not a .mo"):
        cat.read_mo(b"\x00" * 40, "bad.mo")
    with pytest.raises(CatalogError):
        cat.read_mo(b"short", "bad.mo")


def test_placeholder_error_names_file_and_msgid_line_and_gives_no_mo():
    text = STATS_PO.replace('msgstr "請讀<a1>這個</a1>。"', 'msgstr "請讀<b1>這個</b1>。"')
    res = cat.compile_catalog(po_from(text), "locales/zh_TW/LC_MESSAGES/x.po")
    assert res.mo is None
    line = text.splitlines().index('msgid "Read <a1>this</a1>."') + 1
    assert res.errors and all(e.startswith(f"locales/zh_TW/LC_MESSAGES/x.po:{line}: placeholder")
                              for e in res.errors)
    assert "<b1> is not a placeholder of the source" in res.errors[0]


def test_fuzzy_entry_with_bad_placeholders_is_not_an_error_unless_used():
    text = STATS_PO.replace('msgid "Four"\nmsgstr "四?"', 'msgid "<b1>Four</b1>"\nmsgstr "<b1>四"')
    assert cat.compile_catalog(po_from(text), "x.po").errors == ()
    assert cat.compile_catalog(po_from(text), "x.po", use_fuzzy=True).errors


def test_trailing_newline_mismatch_is_an_error():
    res = cat.compile_catalog(po_from('msgid "a\\n"\nmsgstr "b"\n'), "x.po")
    assert res.mo is None and "\\n" in res.errors[0]


# -- reading ---------------------------------------------------------------------------

@pytest.mark.parametrize("text,line", [
    ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 4),            # duplicate
    ('msgid "a"\nmsgstr "b"\nmsgid garbage\n', 3),                      # keyword without string
    ('msgid "a"\nmsgstr "unterminated\n\nmsgid "b"\nmsgstr ""\n', 2),    # polib would drop the text
    ('msgid "a"\nmsgstr "b"\n\nhello world\n', 4),
])
def test_unreadable_catalog_names_the_line(text, line):
    with pytest.raises(CatalogError) as ei:
        cat.parse_catalog(text, "bad.po")
    assert (ei.value.path, ei.value.line) == ("bad.po", line)


def test_read_catalog_errors(tmp_path):
    p = tmp_path / "x.po"
    with pytest.raises(CatalogError, match="cannot read"):
        cat.read_catalog(str(p))
    p.write_bytes(b"")
    with pytest.raises(CatalogError, match="empty"):
        cat.read_catalog(str(p))
    p.write_bytes(b"\x00\x01binary")
    with pytest.raises(CatalogError, match="binary"):
        cat.read_catalog(str(p))
    p.write_bytes('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "\xff"\n'
                  .encode("latin-1"))
    with pytest.raises(CatalogError) as ei:
        cat.read_catalog(str(p))
    assert ei.value.line == 6


def test_read_catalog_honours_declared_charset_bom_and_crlf(tmp_path):
    p = tmp_path / "x.po"
    text = 'msgid ""\r\nmsgstr ""\r\n"Content-Type: text/plain; charset=BIG5\\n"\r\n\r\nmsgid "a"\r\nmsgstr "醫師"\r\n'
    p.write_bytes(text.encode("big5"))
    assert entry(cat.read_catalog(str(p)), "a").msgstr == "醫師"
    p.write_bytes(b"\xef\xbb\xbf" + text.replace("BIG5", "UTF-8").encode())
    assert entry(cat.read_catalog(str(p)), "a").msgstr == "醫師"


def test_entry_lines_point_at_msgid():
    po = po_from(STATS_PO)
    lines = STATS_PO.splitlines()
    for e in po:
        if not e.obsolete:
            assert lines[e.linenum - 1].startswith("msgid "), (e.msgid, e.linenum)
    entries = list(cat.iter_entries(po, "x.po", source_locale="en", target_locale="zh_TW"))
    assert [x.msgid for x in entries] == ["One", "Home", "Read <a1>this</a1>.", "Four"]
    assert entries[3].fuzzy and entries[1].msgctxt == "menu"
    assert lines[entries[0].line - 1] == 'msgid "One"'


def test_fuzzy_matches_split_over_threads_are_the_serial_ones():
    """Above 64 pending msgids the fuzzy search runs in two threads; same answers, same order."""
    import random
    from rapidfuzz import fuzz, process
    rng = random.Random(7)
    words = "skin drug tacrolimus ointment patient doctor dose week month lupus morphea the of and with".split()
    ids = [" ".join(rng.choice(words) for _ in range(rng.randint(4, 14))) for _ in range(400)]
    queries = [(" ".join(rng.choice(words) for _ in range(rng.randint(4, 14))), ids) for _ in range(300)]
    serial = []
    for msgid, pool in queries:
        hit = process.extractOne(msgid, pool, scorer=fuzz.ratio, score_cutoff=cat.FUZZY_CUTOFF, processor=None)
        serial.append(None if hit is None else hit[2])
    assert any(h is None for h in serial) and any(h is not None for h in serial)
    assert merging._best_matches(queries) == serial


def test_compile_refuses_the_context_separator_inside_a_string_like_msgfmt():
    text = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            'msgid "a\x04b"\nmsgstr "X"\n\nmsgid "ok"\nmsgstr "OK"\n')
    res = cat.compile_catalog(cat.parse_catalog(text, "x.po"), "x.po")
    assert res.mo is None
    assert len(res.errors) == 1 and res.errors[0].startswith("x.po:5: context separator <EOT>")
