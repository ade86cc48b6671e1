"""check_balance's quick answer (the source's tags, in order, well nested) is the full check's answer."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.markup import _check_balance, _well_nested, check_balance, PLACEHOLDER_RE

# tags over few names, so that names repeat, close out of order, change kind; "</x1/>" is text
TAG = st.sampled_from(["<a1>", "</a1>", "<b1>", "</b1>", "<br1/>", "<a1/>", "</b1/>", "<c2>", "</c2>"])
TEXT = st.sampled_from(["", "x", "藥 ", "&lt;a1&gt;", " "])
MARKED = st.lists(st.tuples(TEXT, TAG), max_size=7).map(lambda xs: "".join(t + g for t, g in xs))


@settings(max_examples=3000, deadline=None)
@given(MARKED)
def test_well_nested_is_a_string_checked_against_itself(s):
    assert _well_nested(PLACEHOLDER_RE.findall(s)) == (not _check_balance(s, s))


@settings(max_examples=3000, deadline=None)
@given(MARKED, MARKED)
def test_the_quick_answer_is_the_full_checks(source, translation):
    assert check_balance(source, translation) == (_check_balance(source, translation) if "<" in translation else [])


def test_what_the_walker_writes_passes_and_each_fault_is_named():
    src = "Take <b1>one</b1> tablet <a1>daily<br2/></a1>."
    assert check_balance(src, "每日<a1>服用<br2/></a1><b1>一</b1>錠。") == []
    assert check_balance(src, "每日服用<b1>一錠。") == ["<b1> is not closed"]
    assert check_balance(src, "<b1>一</b1><b1>錠</b1>") == ["<b1> is used twice"]
    assert check_balance(src, "<a1>x</b1></a1>") == ["</b1> closes a tag that is not open"]
    assert check_balance(src, "<b1>x<a1>y</b1></a1>")   # crossed: not the source's nesting
    assert check_balance("<b1>x</a1>", "<b1>x</a1>")     # a source that is not well nested gets the full check


# -- the renderer checks a translation's tags as it fills its slot: the same verdict -------------

def _slots():
    from l10n.html.skeleton import TextSlot
    from l10n.html.walker import parse_page
    body = ('<p>Take <b>one</b> tablet <a href="b.html">daily<br>with <em>food</em></a>, '
            'run <code>l10n check</code> on <time datetime="2026-01-02">2 Jan</time>.</p>'
            '<p><span translate="no">MTX <i>2.5 mg</i></span> weekly <img src="x.png" alt="pill"></p>')
    html = f'<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>{body}</body></html>'
    sk = parse_page(html.encode(), "p.html")
    return [(sk.segments[c.unit].msgid, c) for c in sk.chunks if isinstance(c, TextSlot) and c.placeholders]


SLOTS = _slots()


def _tags_of(msgid: str) -> list[str]:
    return [f"<{'/' if c else ''}{n}{'/' if e else ''}>" for c, n, e in PLACEHOLDER_RE.findall(msgid)]


@st.composite
def slot_and_translation(draw):
    msgid, slot = draw(st.sampled_from(SLOTS))
    pool = _tags_of(msgid) + ["<z9>", "</z9>", "<b1/>", "</b1/>", "<x1>", "</a1>"]
    parts = draw(st.lists(st.tuples(st.sampled_from(["", "每日", "a &lt; b", "&amp;"]), st.sampled_from(pool)),
                          max_size=8))
    if draw(st.booleans()):
        parts = [("句", g) for g in _tags_of(msgid)] + parts[:1]     # near the source's own order
    return msgid, slot, "".join(t + g for t, g in parts) + "。"


def test_the_slots_placeholders_are_their_msgids_tags():
    for msgid, slot in SLOTS:
        named = {(ph.name, ph.empty) for ph in slot.placeholders}
        assert named == {(n, bool(e)) for c, n, e in PLACEHOLDER_RE.findall(msgid) if not c}


@settings(max_examples=3000, deadline=None)
@given(slot_and_translation())
def test_the_renderer_refuses_a_translation_exactly_when_check_balance_finds_a_problem(case):
    from l10n.html.render import _fill, _split
    msgid, slot, translation = case
    html = _fill(slot, _split(translation), lambda ph: "".join(c for c in ph.start if isinstance(c, str)), "zh_TW")
    assert (html is None) == bool(check_balance(msgid, translation))
