"""l10n.dosing: the record a dosing instruction is read into, and its vocabulary as data."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from glossary_fixture import make_glossary
from l10n.checks import check_segments
from l10n.dosing import parse, rate_label, routes_compatible
from l10n.dosing.vocab import SECTIONS, VocabularyError, compile_vocabulary, vocabulary, vocabulary_sources
from l10n.glossary.model import Concept, Term
from l10n.model import Segment


@pytest.mark.parametrize("text,locale,per_day", [
    ("twice daily", "en", 2), ("b.i.d.", "en", 2), ("一天兩次", "zh_TW", 2), ("每日2次", "zh_CN", 2),
    ("每天擦兩次", "zh_TW", 2), ("three times a day", "en", 3), ("every 8 hours", "en", 3), ("每8小時", "zh_TW", 3),
    ("每隔8小时", "zh_CN", 3), ("q.i.d.", "en", 4), ("once a week", "en", Fraction(1, 7)),
    ("每週", "zh_TW", Fraction(1, 7)), ("每周", "zh_CN", Fraction(1, 7)), ("每星期", "zh_TW", Fraction(1, 7)),
    ("一週一次", "zh_TW", Fraction(1, 7)), ("every other day", "en", Fraction(1, 2)), ("隔天", "zh_TW", Fraction(1, 2)),
    ("monthly", "en", Fraction(1, 30)), ("每2週一次", "zh_TW", Fraction(1, 14)), ("500 mg a day", "en", 1),
    ("as needed", "en", None), ("PRN", "en", None), ("需要時", "zh_TW", None), ("必要时", "zh_CN", None),
])
def test_frequency_as_a_rate(text: str, locale: str, per_day) -> None:
    got = parse(text, locale).frequencies
    assert [f.per_day for f in got] == [per_day], got


@pytest.mark.parametrize("text,locale,value,unit", [
    ("for 7 days", "en", 7, "day"), ("持續兩週", "zh_TW", 2, "week"), ("三個月", "zh_TW", 3, "month"),
    ("6个月", "zh_CN", 6, "month"), ("2年", "zh_TW", 2, "year"), ("12 weeks", "en", 12, "week"),
    ("半年", "zh_TW", 6, "month"), ("for a week", "en", 1, "week"), ("一個星期", "zh_TW", 1, "week"),
])
def test_duration_with_its_unit(text: str, locale: str, value: int, unit: str) -> None:
    got = parse(text, locale).durations
    assert [(d.value, d.unit) for d in got] == [(Decimal(value), unit)]


@pytest.mark.parametrize("text,locale", [("2023年2月27日", "zh_TW"), ("a 12-year-old girl", "en"),
                                         ("12 years old", "en")])
def test_dates_and_ages_are_not_durations(text: str, locale: str) -> None:
    assert parse(text, locale).durations == ()


@pytest.mark.parametrize("text,locale,value,unit", [
    ("1.5 g", "en", 1500, "mg"), ("1,500 毫克", "zh_TW", 1500, "mg"), ("400 mcg", "en", Decimal("0.4"), "mg"),
    ("400微克", "zh_TW", Decimal("0.4"), "mg"), ("10 IU", "en", 10, "IU"), ("10國際單位", "zh_TW", 10, "IU"),
    ("8单位", "zh_CN", 8, "IU"), ("2 tablets", "en", 2, "tablet"), ("兩錠", "zh_TW", 2, "tablet"),
    ("一萬單位", "zh_TW", 10000, "IU"), ("百分之五", "zh_CN", 5, "%"), ("5 mL", "en", 5, "mL"),
])
def test_doses_normalised(text: str, locale: str, value, unit: str) -> None:
    got = parse(text, locale).doses
    assert [(d.value, d.unit) for d in got] == [(Decimal(value), unit)]


def test_dose_basis() -> None:
    assert parse("15 mg/kg", "en").bases == {"kg"}
    assert parse("每公斤體重15毫克", "zh_TW").bases == {"kg"}
    assert parse("500 mg/m2", "en").bases == {"m2"}
    assert parse("15 mg", "en").bases == frozenset()


@pytest.mark.parametrize("text,locale,codes", [
    ("by mouth", "en", ["oral"]), ("口服", "zh_TW", ["oral"]), ("apply", "en", ["topical"]),
    ("外用", "zh_TW", ["topical"]), ("IV", "en", ["intravenous"]), ("静脉注射", "zh_CN", ["intravenous"]),
    ("皮下注射", "zh_TW", ["subcutaneous"]), ("subcutaneous injection", "en", ["subcutaneous", "injection"]),
    ("輸注", "zh_TW", ["infusion"]),
    ("吸入", "zh_CN", ["inhaled"]), ("into a muscle", "en", ["intramuscular"]),
    ("皮下組織", "zh_TW", []), ("靜脈曲張", "zh_TW", []), ("服用", "zh_TW", []),   # anatomy; taking is no route
])
def test_routes(text: str, locale: str, codes: list[str]) -> None:
    assert [r.code for r in parse(text, locale).routes] == codes


def test_routes_compatible() -> None:
    assert routes_compatible("injection", "subcutaneous") and routes_compatible("intravenous", "infusion")
    assert not routes_compatible("oral", "intravenous") and not routes_compatible("subcutaneous", "intramuscular")


@pytest.mark.parametrize("text,locale,negated", [
    ("Do not apply to infected skin.", "en", True), ("Don't take it with milk.", "en", True),
    ("Avoid alcohol.", "en", True), ("It is contraindicated in pregnancy.", "en", True),
    ("Please do not stop suddenly.", "en", True), ("禁用", "zh_TW", True), ("請勿使用", "zh_TW", True),
    ("切勿", "zh_CN", True), ("不宜", "zh_TW", True), ("不建議", "zh_TW", True), ("避免日曬", "zh_TW", True),
    # not prohibitions
    ("they do not target one cell type", "en", False), ("If you do not improve, see a doctor.", "en", False),
    ("Do not take more than 4 g a day.", "en", False), ("no more than 4 g", "en", False),
    ("不良反應", "zh_TW", False), ("不適", "zh_TW", False), ("不同", "zh_CN", False), ("不過", "zh_TW", False),
    ("不會", "zh_TW", False), ("不可或缺", "zh_TW", False), ("每天不超過4克", "zh_TW", False),
    ("如果不服用", "zh_TW", False), ("要不要看醫生", "zh_TW", False), ("有什麼差別", "zh_TW", False),
])
def test_negation_and_its_scope(text: str, locale: str, negated: bool) -> None:
    assert parse(text, locale).negated is negated


def test_no_dosing_content() -> None:
    r = parse("Scleroderma is a rare disease of the skin.", "en")
    assert not r.about_dosing and not r.negated
    assert not parse("硬皮症是一種罕見的皮膚病。", "zh_TW").about_dosing


def test_rate_labels() -> None:
    assert rate_label(Fraction(1, 7)) == "once a week"
    assert rate_label(Fraction(1)) == "daily"
    assert rate_label(Fraction(2)) == "twice a day"
    assert rate_label(Fraction(1, 2)) == "every other day"
    assert rate_label(Fraction(1, 14)) == "once every 2 weeks"
    assert rate_label(None) == "as needed"


def test_message_names_both_sides_in_plain_words() -> None:
    from l10n.checks import check_entries
    from l10n.model import Entry

    e = Entry(msgid="Take methotrexate 15 mg once a week.", msgstr="每天服用甲氨喋呤15毫克。", path="x.po", line=1,
              source_locale="en", target_locale="zh_TW")
    [f] = check_entries([e], make_glossary(), select=["GL013"])
    assert f.message.startswith("frequency differs: msgid says once a week, msgstr says 每天 (daily)")


# -- the vocabulary is data ------------------------------------------------------------

def test_vocabulary_files_ship_and_use_only_known_tables() -> None:
    import tomllib

    for locale in ("en", "zh_TW", "zh_CN"):
        names = [n for n, _ in vocabulary_sources(locale)]
        assert names[0].endswith(f"{locale}.toml")
        for name, text in vocabulary_sources(locale):
            assert set(tomllib.loads(text)) <= set(SECTIONS), name
        assert vocabulary(locale).size > 100
    assert vocabulary("zh_TW") is vocabulary("zh_TW")          # compiled once


def test_a_terminologist_adds_an_expression_without_python() -> None:
    base = vocabulary_sources("zh_TW")
    extra = ("extra.toml", '[rate]\n"每兩週打一針" = "1 per 2 week"\n')
    v = compile_vocabulary("zh_TW", (extra,) + base)
    [(start, end, entry)] = v.scan("每兩週打一針")
    assert (start, end, entry.section, entry.meaning) == (0, 6, "rate", "1 per 2 week")
    assert compile_vocabulary("zh_TW", (extra,) + base) is v     # cached by content


@pytest.mark.parametrize("text,message,line", [
    ('[rate]\n"x" = "1 per day"\n\n[rates]\n"y" = "1 per day"\n', "unknown table [rates]", 4),
    ('[rate]\n"x" = \n', "not valid TOML", None),
    ('[rate]\n"twice" = "2 per day"\n[count]\n"twice" = 2\n', "in two tables", 2),
])
def test_bad_vocabulary_names_the_file(text: str, message: str, line) -> None:
    with pytest.raises(VocabularyError) as exc:
        compile_vocabulary("en", (("my.toml", text),))
    assert message in str(exc.value) and str(exc.value).startswith("my.toml")
    assert exc.value.line == line


# -- GL009: a dose is not a strength -----------------------------------------------------

def test_gl009_checks_strengths_not_doses() -> None:
    brand = Concept(id="trexall", type="brand", generic="methotrexate",
                    terms=(Term("Trexall", "en", "preferred"),), strengths=("5 mg", "7.5 mg", "10 mg", "15 mg"))
    g = make_glossary(brand)

    def codes(text: str) -> list[str]:
        seg = Segment(msgid=text, page="p.html", line=1, place="p")
        return [f.code for f in check_segments([seg], g, "en", select=["GL009"])]

    assert codes("Take methotrexate 20 mg weekly.") == []                 # issue 13: a dose
    assert codes("Trexall 20 mg once a week") == []
    assert codes("Trexall 20 mg tablets") == ["GL009"]                    # a strength no form has
    assert codes("Trexall 7.5 mg tablets") == []
    assert codes("Trexall (20 mg)") == ["GL009"]


def test_ignore_takes_comma_separated_codes() -> None:
    from l10n.checks import check_entries
    from l10n.model import Entry

    e = Entry(msgid="Do not apply to infected skin.", msgstr="請塗抹於受感染的皮膚。", path="x.po", line=1,
              source_locale="en", target_locale="zh_TW")
    assert [f.code for f in check_entries([e], make_glossary(), select=["GL013,GL014"])] == ["GL014"]
    assert check_entries([e], make_glossary(), ignore=["GL013,GL014,GL015,GL016,GL017"]) == []


def test_vocabulary_scan_many_is_a_scan_each() -> None:
    from l10n.dosing.vocab import vocabulary
    from l10n.glossary.matcher import fold

    texts = ["Take 2 tablets twice a day for 7 days.", "Do not apply to broken skin.", "",
             "每天服用兩次，持續兩週。", "請勿塗抹於傷口。", "twice daily", "b.i.d.", "Once a week"]
    for locale in ("en", "zh_TW", "zh_CN"):
        v = vocabulary(locale)
        lows = [fold(t) for t in texts]
        assert v.scan_many(lows) == [v.scan(low) for low in lows]
