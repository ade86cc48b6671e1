"""The glossary checks: every rule's cases as data, plus the driver's policy.

Rule cases live in tests/fixtures/rules/GL0NN.toml (one file per rule, bad
and good cases) and run through one parametrized test against the small
glossary of tests/glossary_fixture.py. A case of a catalog-set rule (GL020,
GL021, GL022, GL027) may add ``also`` (entries of other catalogs of the
locale), plural fields and ``default_run`` (run every rule, as ``l10n check``
without ``--select``, and keep this rule's findings).
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from glossary_fixture import make_glossary, synthetic_glossary
from l10n.checks import (CATALOG_SET_RULES, ENTRY_RULES, RULES, SEGMENT_RULES, check_catalog_set, check_entries,
                         check_segments, get_rule, suppressed_codes)
from l10n.checks.base import CatalogSetRule, EntryContext, EntryRule, Example, MatcherCache
from l10n.errors import ConfigError
from l10n.model import CatalogView, Entry, Finding, Segment, Severity

FIXTURES = Path(__file__).parent / "fixtures"
RULE_FILES = sorted((FIXTURES / "rules").glob("GL*.toml"))
GLOSSARY = make_glossary()


def entry(msgid: str, msgstr: str, source: str = "en", target: str = "zh_TW", *, fuzzy: bool = False,
          flags: tuple[str, ...] = (), comments: tuple[str, ...] = (), line: int = 7, page: str = "page",
          msgid_plural: str | None = None, msgstr_plural: tuple[str, ...] = (), msgctxt: str | None = None) -> Entry:
    return Entry(msgid=msgid, msgstr=msgstr, path=f"locales/{target}/LC_MESSAGES/{page}.po", line=line,
                 source_locale=source, target_locale=target, fuzzy=fuzzy, msgctxt=msgctxt,
                 flags=frozenset(flags) | ({"fuzzy"} if fuzzy else set()),
                 translator_comments=tuple(comments), msgid_plural=msgid_plural or None,
                 msgstr_plural=tuple(msgstr_plural))


def _case_entry(case: dict, target: str, page: str = "page") -> Entry:
    return entry(case["msgid"], case.get("msgstr", ""), case.get("source", "en"), target,
                 fuzzy=case.get("fuzzy", False), flags=tuple(case.get("flags", ())),
                 comments=tuple(case.get("comments", ())), page=page, msgctxt=case.get("msgctxt"),
                 msgid_plural=case.get("msgid_plural"), msgstr_plural=tuple(case.get("msgstr_plural", ())))


def run_case(code: str, case: dict) -> list[Finding]:
    rule = get_rule(code)
    if rule.kind == "segment":
        seg = Segment(msgid=case["text"], page="source_pages/page.html", line=3, place="p")
        return check_segments([seg], GLOSSARY, case.get("locale", "en"), select=[code])
    target = case.get("target", "zh_TW")
    e = _case_entry(case, target)
    select = None if case.get("default_run") else [code]
    found: list[Finding] = []
    if isinstance(rule, EntryRule):
        found += check_entries([e], GLOSSARY, select=select)
    if isinstance(rule, CatalogSetRule):
        views = [CatalogView(e.path, e.source_locale, target, (e,), case.get("nplurals"))]
        for i, other in enumerate(case.get("also", ())):
            o = _case_entry({"source": case.get("source", "en"), **other}, other.get("target", target), f"other{i}")
            views.append(CatalogView(o.path, o.source_locale, o.target_locale, (o,), case.get("nplurals")))
        found += check_catalog_set(views, select=select)
    return [f for f in found if f.code == code]


def _cases():
    for path in RULE_FILES:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for kind in ("bad", "good"):
            for i, case in enumerate(data.get(kind, ())):
                yield pytest.param(data["code"], kind, case, id=f"{data['code']}-{kind}-{i}-{case['name']}")


@pytest.mark.parametrize("code,kind,case", list(_cases()))
def test_rule_case(code: str, kind: str, case: dict) -> None:
    found = run_case(code, case)
    assert all(f.code == code for f in found)
    if kind == "good":
        assert found == [], f"unexpected: {[f.message for f in found]}"
        return
    assert found, f"{code} should report {case['name']!r}"
    if "term" in case:
        assert case["term"] in [f.term for f in found], [f.term for f in found]
    if "severity" in case:
        assert {f.severity.value for f in found} == {case["severity"]}
    if "count" in case:
        assert len(found) == case["count"]
    for f in found:
        assert f.message and "\n" not in f.message
        assert f.term, "a finding names the offending text"
        assert f.line in (3, 7)


def test_every_rule_has_a_case_file_with_bad_and_good_cases() -> None:
    codes = {p.stem for p in RULE_FILES}
    assert codes == {r.code for r in RULES}
    for path in RULE_FILES:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert data["code"] == path.stem
        assert data.get("bad") and data.get("good"), path.name


# -- the registry and the rule documentation ----------------------------------

def test_registry_is_explicit_ordered_and_unique() -> None:
    codes = [r.code for r in RULES]
    assert codes == sorted(codes) == sorted(set(codes))
    assert codes[:18] == [f"GL{n:03d}" for n in range(1, 19)]
    assert {f"GL{n:03d}" for n in range(20, 28)} <= set(codes)
    assert set(ENTRY_RULES) | set(SEGMENT_RULES) | set(CATALOG_SET_RULES) == set(RULES)
    assert {r.code for r in SEGMENT_RULES} == {"GL008", "GL009", "GL010", "GL018"}
    assert set(ENTRY_RULES) & set(SEGMENT_RULES) == {get_rule("GL018")}   # pages and msgids
    assert {r.code for r in CATALOG_SET_RULES} == {"GL020", "GL021", "GL022", "GL027"}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_metadata_and_docs(rule) -> None:
    assert re.fullmatch(r"GL\d{3}", rule.code)
    assert rule.name and re.fullmatch(r"[a-z0-9-]+", rule.name)
    assert isinstance(rule.severity, Severity)
    assert rule.summary == type(rule).__doc__.strip().splitlines()[0]
    assert isinstance(rule.bad, Example) and isinstance(rule.good, Example)
    text = rule.explain()
    assert text.startswith(f"{rule.code} {rule.name}")
    assert rule.summary in text
    assert "Anti-pattern:" in text and "Best practice:" in text
    assert rule.bad.msgid in text or repr(rule.bad.msgid) in text
    assert get_rule(rule.code.lower()) is rule


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documented_examples_are_true(rule) -> None:
    """The bad example of each rule's docs triggers it; the good one does not."""
    for example, expect in ((rule.bad, True), (rule.good, False)):
        if rule.kind == "segment":
            case = {"text": example.msgid, "locale": example.source}
        else:
            case = {"msgid": example.msgid, "msgstr": example.msgstr,
                    "source": example.source, "target": example.target,
                    "also": [{"msgid": m, "msgstr": t} for m, t in example.also],
                    "msgid_plural": example.msgid_plural or None, "msgstr_plural": example.msgstr_plural,
                    "nplurals": example.nplurals}
        assert bool(run_case(rule.code, case)) is expect, (rule.code, example)


def test_get_rule_unknown_code() -> None:
    with pytest.raises(ConfigError, match="GL999"):
        get_rule("GL999")
    with pytest.raises(KeyError):           # the CLI's `l10n rules` catches KeyError
        get_rule("nope")


# -- the brief's first test case, both directions, and the message -------------

def test_drug_swap_message_quotes_msgid_and_term() -> None:
    found = check_entries([entry("醫師開了普特皮0.1%給我。", "The doctor prescribed me Pimecrolimus 0.1%.",
                                 "zh_TW", "en")], GLOSSARY, select=["GL003"])
    assert len(found) == 1
    f = found[0]
    assert f.message == ('drug swap: msgstr names "Pimecrolimus" (pimecrolimus), which msgid '
                         '"醫師開了普特皮0.1%給我。" does not name; it names 普特皮 (Protopic → tacrolimus)')
    assert (f.code, f.severity, f.term, f.locale) == ("GL003", Severity.ERROR, "Pimecrolimus", "en")
    assert (f.path, f.line) == ("locales/en/LC_MESSAGES/page.po", 7)
    assert f.msgid == "醫師開了普特皮0.1%給我。" and f.msgstr.endswith("0.1%.")


def test_drug_swap_other_direction() -> None:
    found = check_entries([entry("Protopic (tacrolimus) ointment", "醫立妥軟膏")], GLOSSARY)
    assert "GL003" in {f.code for f in found}
    swap = next(f for f in found if f.code == "GL003")
    assert swap.term == "醫立妥" and "Elidel → pimecrolimus" in swap.message
    ok = check_entries([entry("Protopic", "普特皮（tacrolimus）")], GLOSSARY)
    assert ok == []


def test_long_msgid_is_shortened_in_messages() -> None:
    long_id = "Protopic " + "very long text " * 20
    f = check_entries([entry(long_id, "醫立妥")], GLOSSARY, select=["GL003"])[0]
    quoted = re.search(r'msgid "([^"]*)"', f.message).group(1)
    assert len(quoted) <= 60 and quoted.endswith("…")


# -- driver policy: untranslated, fuzzy, suppression, select/ignore -----------

def test_untranslated_entries_are_skipped() -> None:
    assert check_entries([entry("Protopic", "")], GLOSSARY) == []


def test_fuzzy_findings_are_downgraded_but_reported() -> None:
    e = entry("Take 400 mg of Protopic.", "服用200 毫克的醫立妥。", fuzzy=True)
    found = check_entries([e], GLOSSARY)
    assert {"GL003", "GL005"} <= {f.code for f in found}
    assert all(f.severity == Severity.WARNING for f in found)
    assert all(f.message.startswith("(fuzzy entry)") for f in found)
    not_fuzzy = check_entries([entry("Take 400 mg of Protopic.", "服用200 毫克的醫立妥。")], GLOSSARY)
    assert {f.severity for f in not_fuzzy} == {Severity.ERROR}


def test_suppression_by_flag_and_comment() -> None:
    bad = ("Take 400 mg of Protopic.", "服用200 毫克的醫立妥。")
    assert suppressed_codes(entry(*bad, flags=("l10n-ignore-GL003",))) == {"GL003"}
    assert suppressed_codes(entry(*bad, comments=("checked by Dr. Wu\nl10n: ignore GL003, GL005",))) \
        == {"GL003", "GL005"}
    assert suppressed_codes(entry(*bad, comments=("GL003 is fine here",))) == frozenset()
    codes = {f.code for f in check_entries([entry(*bad, flags=("l10n-ignore-GL003",))], GLOSSARY)}
    assert "GL003" not in codes and "GL005" in codes
    codes = {f.code for f in check_entries([entry(*bad, comments=("l10n: ignore GL003, GL005",))], GLOSSARY)}
    assert not codes & {"GL003", "GL005"} and "GL001" in codes


def test_select_and_ignore() -> None:
    e = entry("Take 400 mg of Protopic.", "服用200 毫克的醫立妥。")
    all_codes = {f.code for f in check_entries([e], GLOSSARY)}
    assert {"GL001", "GL003", "GL005"} <= all_codes
    assert {f.code for f in check_entries([e], GLOSSARY, select=["GL005"])} == {"GL005"}
    assert {f.code for f in check_entries([e], GLOSSARY, select=["gl003", "GL005"])} == {"GL003", "GL005"}
    assert "GL003" not in {f.code for f in check_entries([e], GLOSSARY, ignore=["GL003"])}
    with pytest.raises(ConfigError):
        check_entries([e], GLOSSARY, select=["GL404"])
    with pytest.raises(ConfigError):
        check_segments([], GLOSSARY, "en", ignore=["XX"])


def test_findings_are_sorted_and_deterministic() -> None:
    es = [entry("Protopic", "醫立妥", line=30), entry("12 years", "八年", line=4),
          entry("Scleroderma", "硬皮病", target="zh_TW", line=4)]
    a = check_entries(es, GLOSSARY)
    b = check_entries(list(reversed(es)), GLOSSARY)
    assert a == b
    assert [(f.path, f.line) for f in a] == sorted((f.path, f.line) for f in a)


class _Boom(EntryRule):
    """Always crashes."""

    code = "GL001"
    name = "boom"
    bad = good = Example("x")

    def check_entry(self, ctx: EntryContext):
        raise RuntimeError("kaboom")
        yield  # pragma: no cover


def test_a_crashing_rule_becomes_a_visible_error(monkeypatch) -> None:
    import l10n.checks as checks
    monkeypatch.setattr(checks, "ENTRY_RULES", (_Boom(),))
    found = checks.check_entries([entry("x", "y")], GLOSSARY)
    assert len(found) == 1 and found[0].severity == Severity.ERROR
    assert "internal error" in found[0].message and "kaboom" in found[0].message


class _BoomSet(CatalogSetRule):
    """Always crashes, over the catalogs."""

    code = "GL020"
    name = "boom"
    bad = good = Example("x")

    def check_catalogs(self, ctx):
        raise RuntimeError("kaboom")
        yield  # pragma: no cover


def test_a_crashing_catalog_set_rule_becomes_a_visible_error(monkeypatch) -> None:
    import l10n.checks as checks
    monkeypatch.setattr(checks, "CATALOG_SET_RULES", (_BoomSet(),))
    e = entry("x", "y")
    found = checks.check_catalog_set([CatalogView(e.path, "en", "zh_TW", (e,), 1)])
    assert [(f.code, f.severity, f.path) for f in found] == [("GL020", Severity.ERROR, e.path)]
    assert "internal error" in found[0].message and "kaboom" in found[0].message


def test_catalog_set_rules_compare_across_catalogs_only_of_the_run() -> None:
    """GL020 needs two catalogs; one entry per view, three views: one finding, on the odd one out."""
    a, b, c = (entry("Scleroderma", t, page=p) for t, p in (("硬皮症", "a"), ("硬化症", "b"), ("硬皮症", "c")))
    views = [CatalogView(x.path, "en", "zh_TW", (x,), 1) for x in (a, b, c)]
    found = check_catalog_set(views)
    assert [(f.code, f.path) for f in found] == [("GL020", b.path)]
    assert check_catalog_set(views[:1]) == [] and check_catalog_set([]) == []
    assert check_catalog_set(views, ignore=["GL020"]) == []
    assert check_catalog_set(views, select=["GL001"]) == []          # no catalog-set rule selected
    with pytest.raises(ConfigError):
        check_catalog_set(views, select=["GL999"])


def test_rules_never_raise_on_odd_input() -> None:
    odd = ["", " ", "<", "</a1>", "<a1>", "&", "&lt;", "\x00", "１２３４５６７８９０" * 50, "十" * 40,
           "(((", "）（", "\"", "0." * 100, "<br1/><br1/>", "\n\n", "🙂", "İstanbul Protopic", "萬一千萬"]
    entries = [entry(a or "x", b or "y", s, t) for a in odd for b in odd[:8]
               for s, t in (("en", "zh_TW"), ("zh_TW", "en"))]
    found = check_entries(entries, GLOSSARY)
    assert not [f for f in found if "internal error" in f.message]
    segs = [Segment(t, "p.html", i + 1, "p") for i, t in enumerate(odd)]
    assert not [f for f in check_segments(segs, GLOSSARY, "en") if "internal error" in f.message]


# -- source pages: the seeds ---------------------------------------------------

def _seed_segments(name: str) -> list[Segment]:
    for folder in (FIXTURES / "seeds", Path("/work/shared/seeds")):
        path = folder / name
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            return [Segment(line, f"seeds/{name}", i + 1, "p") for i, line in enumerate(lines) if line.strip()]
    pytest.skip(f"seed {name} not found")


def test_seeds_report_exactly_their_three_known_errors() -> None:
    # GL018 (drugs the small test glossary lacks, info) is pinned in tests/test_drugs.py
    found = check_segments(_seed_segments("000_121d227827def5eb.txt") + _seed_segments("001_647e03524cffde3e.txt"),
                           GLOSSARY, "en", ignore=["GL018"])
    got = {(f.code, f.term) for f in found}
    assert got == {("GL009", "Pimecrolimus 0.1%"), ("GL008", "Pimecrolimus (普特皮)"),
                   ("GL010", "methotrexateCellCept")}
    lines = {f.code: f.line for f in found}
    assert lines == {"GL009": 10, "GL008": 28, "GL010": 17}
    assert all(f.severity == Severity.ERROR and f.locale == "en" for f in found)


def test_seeds_with_the_real_glossary() -> None:
    path = Path(__file__).resolve().parent.parent / "locales" / "glossary.toml"
    if not path.is_file():
        pytest.skip("locales/glossary.toml is not there")
    io = pytest.importorskip("l10n.glossary.io")
    glossary = io.load_glossary(path)
    found = check_segments(_seed_segments("000_121d227827def5eb.txt") + _seed_segments("001_647e03524cffde3e.txt"),
                           glossary, "en")
    got = {(f.code, f.term) for f in found}
    assert {("GL009", "Pimecrolimus 0.1%"), ("GL008", "Pimecrolimus (普特皮)"),
            ("GL010", "methotrexateCellCept")} <= got
    swap = check_entries([entry("醫師開了普特皮0.1%給我。", "The doctor prescribed me Pimecrolimus 0.1%.",
                                "zh_TW", "en")], glossary, select=["GL003"])
    assert [f.term for f in swap] == ["Pimecrolimus"]


# -- speed ---------------------------------------------------------------------

def test_20k_entries_10k_concepts_no_false_findings() -> None:
    """A big glossary and many entries: no finding on correct translations."""
    g = synthetic_glossary(10_000)
    texts = [
        ("The doctor prescribed me Protopic 0.1% for <a1>localized scleroderma</a1>.",
         "醫師開了普特皮0.1%給我治療<a1>局部硬皮症</a1>。"),
        ("Immunosuppressants such as methotrexate or mycophenolate mofetil are often used.",
         "免疫抑制劑如甲氨喋呤或黴酚酸酯常被使用。"),
        ("Regular follow-up with your healthcare provider is crucial.", "定期回診追蹤非常重要。"),
    ]
    entries = [entry(f"{a} ({i})", f"{b}（{i}）", line=i) for i in range(20_000) for a, b in [texts[i % 3]]]
    found = check_entries(entries, g)
    assert found == []        # its speed is measured by `make bench` (check stage), never by a timed test


def test_matchers_are_cached_per_locale() -> None:
    cache = MatcherCache(GLOSSARY)
    assert cache.get("zh_TW") is cache.get("zh_TW")
    assert cache.extras("zh_TW")[0] == "zh_CN" and cache.extras("zh_TW")[1] == "en"


# -- helpers -------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from l10n.checks.base import plain  # noqa: E402
from l10n.markup import strip_placeholders  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["<a1>", "</a1>", "<br1/>", "</b2/>", "<", ">", "&lt;", "&amp;", "&", "x",
                                 "硬皮症", " ", "1"]), max_size=12).map("".join))
def test_plain_is_strip_placeholders(s: str) -> None:
    assert plain(s) == strip_placeholders(s)


def test_suppression_written_in_a_po_file(tmp_path) -> None:
    """The opt-outs as a translator writes them in the .po file itself."""
    polib = pytest.importorskip("polib")
    catalogs = pytest.importorskip("l10n.catalogs")
    po_text = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: zh_TW\\n"

#, fuzzy, l10n-ignore-GL003
msgid "Take 400 mg of Protopic."
msgstr "服用200 毫克的醫立妥。"

# l10n: ignore GL003, GL005
msgid "Take 400 mg of Protopic daily."
msgstr "每天服用200 毫克的醫立妥。"

msgid "Take 400 mg of Protopic twice."
msgstr "服用兩次200 毫克的醫立妥。"
'''
    path = tmp_path / "page.po"
    path.write_text(po_text, encoding="utf-8")
    entries = list(catalogs.iter_entries(polib.pofile(str(path)), "page.po", source_locale="en",
                                         target_locale="zh_TW"))
    assert len(entries) == 3
    found = check_entries(entries, GLOSSARY, select=["GL003", "GL005"])
    by_line: dict[int, set[tuple[str, str]]] = {}
    for f in found:
        by_line.setdefault(f.line, set()).add((f.code, f.severity.value))
    lines = sorted(e.line for e in entries)
    assert by_line.get(lines[0]) == {("GL005", "warning")}          # fuzzy: GL003 ignored, GL005 downgraded
    assert lines[1] not in by_line                                     # both ignored by comment
    assert by_line.get(lines[2]) == {("GL003", "error"), ("GL005", "error")}
