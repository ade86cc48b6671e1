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
