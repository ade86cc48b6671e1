"""The glossary: its file format and validation, TBX/CSV interchange, zh_TW <-> zh_CN conversion."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.errors import GlossaryError
from l10n.glossary import (
    CONCEPT_TYPES,
    CSV_FIELDS,
    Concept,
    Glossary,
    Term,
    convert_zh,
    dump_glossary,
    load_glossary,
    parse_glossary,
    read_csv,
    read_tbx,
    write_csv,
    write_tbx,
)

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "locales" / "glossary.toml"
FIXTURES = Path(__file__).parent / "fixtures" / "glossary"
BAD = sorted((FIXTURES / "bad").glob("*.toml"))


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return load_glossary(SHIPPED)


def content(glossary: Glossary) -> tuple[Concept, ...]:
    """The concepts without their line numbers (which differ between formats)."""
    return tuple(dataclasses.replace(c, line=0) for c in glossary.concepts)


# ---------------------------------------------------------------- the shipped glossary

def test_shipped_glossary_loads(shipped: Glossary) -> None:
    assert len(shipped.concepts) >= 60
    assert shipped.path == str(SHIPPED)
    assert all(c.line > 0 for c in shipped.concepts)


def test_shipped_glossary_is_in_canonical_layout(shipped: Glossary) -> None:
    # Sorted by type then id, and exactly what dump_glossary writes, so a
    # reviewer's diff shows only real changes.
    assert dump_glossary(shipped) == SHIPPED.read_text(encoding="utf-8")
    keys = [(CONCEPT_TYPES.index(c.type), c.id) for c in shipped.concepts]
    assert keys == sorted(keys)


def test_every_drug_names_its_source(shipped: Glossary) -> None:
    assert [c.id for c in shipped.concepts if c.is_drug and not c.source] == []


@pytest.mark.parametrize(("concept_id", "locale", "preferred"), [
    ("protopic", "zh_TW", "普特皮"),
    ("protopic", "zh_CN", "普特彼"),
    ("elidel", "zh_TW", "醫立妥"),
    ("elidel", "zh_CN", "爱宁达"),
    ("cellcept", "zh_TW", "山喜多"),
    ("cellcept", "zh_CN", "骁悉"),
    ("endoxan", "zh_TW", "癌德星"),
    ("endoxan", "zh_CN", "Endoxan"),          # 安道生: secondary sources only, admitted
    ("mabthera", "zh_TW", "莫須瘤"),
    ("mabthera", "zh_CN", "美罗华"),
    ("imuran", "zh_TW", "Imuran"),            # 移護寧: not found on a Taiwan licence, admitted
    ("imuran", "zh_CN", "依木兰"),
    ("thymoglobulin", "zh_TW", "Thymoglobulin"),
    ("thymoglobulin", "zh_CN", "Thymoglobulin"),  # 即复宁: no evidence found, admitted
    ("cytoxan", "zh_TW", "Cytoxan"),
    ("cytoxan", "zh_CN", "Cytoxan"),
    ("tacrolimus", "en", "tacrolimus"),
    ("pimecrolimus", "zh_TW", "pimecrolimus"),
    ("pimecrolimus", "zh_CN", "吡美莫司"),
    ("calcipotriol", "zh_TW", "calcipotriol"),
    ("calcipotriol", "zh_CN", "卡泊三醇"),
    ("cyclosporine", "zh_TW", "cyclosporine"),
    ("cyclosporine", "zh_CN", "环孢素"),
    ("methotrexate", "zh_CN", "甲氨蝶呤"),
    ("mycophenolate-mofetil", "zh_TW", "mycophenolate mofetil"),
    ("mycophenolate-mofetil", "zh_CN", "吗替麦考酚酯"),
    ("cyclophosphamide", "zh_TW", "環磷醯胺"),
    ("systemic-sclerosis", "zh_TW", "全身性硬化症"),
    ("systemic-sclerosis", "zh_CN", "系统性硬化症"),
    ("scleroderma", "zh_TW", "硬皮症"),
    ("scleroderma", "zh_CN", "硬皮病"),
    ("localized-scleroderma", "zh_TW", "局部硬皮症"),
    ("localized-scleroderma", "zh_CN", "局限性硬皮病"),
    ("morphea", "zh_TW", "硬斑病"),
    ("corticosteroid", "zh_TW", "類固醇"),
    ("corticosteroid", "zh_CN", "糖皮质激素"),
    ("calcineurin-inhibitor", "zh_CN", "钙调神经磷酸酶抑制剂"),
    ("rare-disease-department", "zh_TW", "罕見疾病科"),
    ("kaohsiung-veterans-general-hospital", "zh_CN", "高雄荣民总医院"),
    ("scleroderma-news", "zh_TW", "Scleroderma News"),
])
def test_verified_names(shipped: Glossary, concept_id: str, locale: str, preferred: str) -> None:
    concept = shipped.get(concept_id)
    assert concept is not None
    assert concept.preferred(locale) == preferred


@pytest.mark.parametrize(("concept_id", "locale", "name"), [
    ("pimecrolimus", "zh_TW", "匹美克莫司"),
    ("mycophenolate-mofetil", "zh_TW", "黴酚酸酯"),
    ("calcipotriol", "zh_TW", "卡泊三醇"),
    ("cyclosporine", "zh_TW", "環孢素"),
    ("imuran", "zh_TW", "移護寧"),
    ("thymoglobulin", "zh_CN", "即复宁"),
    ("endoxan", "zh_CN", "安道生"),
])
def test_unverified_names_stay_admitted_with_a_note(shipped: Glossary, concept_id: str, locale: str,
                                                    name: str) -> None:
    # No licence or formulary evidence was found for these names: the INN (or the brand's own
    # name) is preferred, the Chinese name stays acceptable, and both the term's note and the
    # concept's source say it is unverified.
    concept = shipped.get(concept_id)
    assert concept is not None
    (term,) = [t for t in concept.terms_for(locale) if t.text == name]
    assert term.status == "admitted" and "unverified" in term.note
    assert name in concept.source and "unverified" in concept.source


@pytest.mark.parametrize(("concept_id", "name"), [
    ("calcipotriol", "钙泊三醇"),
    ("thymoglobulin", "兔抗人胸腺细胞免疫球蛋白"),
])
def test_mainland_names_found_in_sources_are_admitted(shipped: Glossary, concept_id: str, name: str) -> None:
    concept = shipped.get(concept_id)
    assert concept is not None and name in concept.approved("zh_CN")
    assert concept.preferred("zh_CN") != name


def test_drug_sources_cite_an_address_or_the_brief(shipped: Glossary) -> None:
    # Every drug's source says where its names were checked: a web address, a licence number, or
    # (for names not re-checked in this round) the project brief.
    for c in shipped.concepts:
        if c.is_drug:
            assert re.search(r"https?://|字第|project brief|prescribing information|WHO", c.source), c.id


@pytest.mark.parametrize(("concept_id", "locale", "forbidden"), [
    ("protopic", "zh_CN", "普特皮"),
    ("systemic-sclerosis", "zh_TW", "系統性硬化症"),
    ("systemic-sclerosis", "zh_CN", "全身性硬化症"),
    ("scleroderma", "zh_TW", "硬皮病"),
    ("scleroderma", "zh_CN", "硬皮症"),
    ("localized-scleroderma", "zh_CN", "局部硬皮病"),
])
def test_other_regions_terms_are_forbidden(shipped: Glossary, concept_id: str, locale: str, forbidden: str) -> None:
    concept = shipped.get(concept_id)
    assert concept is not None
    assert forbidden in [t.text for t in concept.terms_for(locale, "forbidden")]


def test_brands_link_to_generics_with_strengths(shipped: Glossary) -> None:
    links = {c.id: c.generic for c in shipped.concepts if c.type == "brand"}
    assert links == {
        "protopic": "tacrolimus", "elidel": "pimecrolimus", "cellcept": "mycophenolate-mofetil",
        "cytoxan": "cyclophosphamide", "endoxan": "cyclophosphamide", "imuran": "azathioprine",
        "thymoglobulin": "anti-thymocyte-globulin", "mabthera": "rituximab",
    }
    assert shipped.by_id["protopic"].strengths == ("0.03%", "0.1%")
    assert shipped.by_id["elidel"].strengths == ("1%",)


def test_english_inn_is_admitted_in_chinese(shipped: Glossary) -> None:
    for c in shipped.concepts:
        if c.type == "generic":
            inn = c.preferred("en")
            assert inn is not None and inn == inn.lower(), c.id
            for locale in ("zh_TW", "zh_CN"):
                assert inn in c.approved(locale), (c.id, locale)
        if c.type == "brand":
            assert (c.preferred("en") or "")[0].isupper(), c.id


def test_chinese_scripts_are_not_mixed(shipped: Glossary) -> None:
    to_simplified, to_traditional = opencc.OpenCC("t2s"), opencc.OpenCC("s2tw")
    for c in shipped.concepts:
        for t in c.terms_for("zh_CN"):
            assert to_simplified.convert(t.text) == t.text, (c.id, t.text)
        for t in c.terms_for("zh_TW"):
            # 侷限 is Taiwan's standard form of 局限; both are Traditional.
            assert to_traditional.convert(t.text).replace("侷", "局") == t.text.replace("侷", "局"), (c.id, t.text)


@pytest.mark.parametrize("english", [
    # drugs, conditions and terms as the seed pages write them
    "localized scleroderma", "morphea", "Pimecrolimus", "corticosteroid", "topical immunomodulators",
    "vitamin D3 ointments", "immunosuppressants", "calcineurin inhibitor", "T-cell", "cytokines",
    "methotrexate", "mycophenolate mofetil", "skin cancer", "systemic sclerosis", "systemic scleroderma",
    "rare disease", "autoimmune disease", "Kaohsiung Veterans General Hospital", "autologous fat grafting",
    "Dermatology", "Plastic Surgery", "Rare Disease", "Scleroderma", "Seborrheic Dermatitis",
    "Pityriasis Rosea", "Herpes Zoster", "Cryotherapy", "Laser Surgery", "Isotretinoin", "Sunspots",
    "Steroid", "Follicular Obstruction", "collagen", "rituximab", "B-cells", "CellCept", "Cytoxan",
    "cyclophosphamide", "Imuran", "azathioprine", "cyclosporine", "Thymoglobulin",
    "anti-thymocyte globulin", "Scleroderma News", "immune system", "connective tissue", "off-label",
    "clinical trials", "observational studies", "side effects", "lung function", "immune response",
])
def test_seed_terms_are_covered(shipped: Glossary, english: str) -> None:
    found = {t.text.casefold() for c in shipped.concepts for t in c.terms_for("en", "preferred", "admitted")}
    assert english.casefold() in found


# ---------------------------------------------------------------- the file format

def test_small_glossary_loads_with_dnt_expanded_and_notes_kept() -> None:
    glossary = load_glossary(FIXTURES / "good.toml")
    assert [c.id for c in glossary.concepts] == ["tacrolimus", "protopic", "scleroderma-news"]
    assert [c.line for c in glossary.concepts] == [4, 12, 22]
    news = glossary.by_id["scleroderma-news"]
    assert [(t.locale, t.text) for t in news.terms] == [
        ("en", "Scleroderma News"), ("zh_TW", "Scleroderma News"), ("zh_CN", "Scleroderma News")]
    protopic = glossary.by_id["protopic"]
    assert protopic.terms_for("zh_CN", "forbidden") == (Term("普特皮", "zh_CN", "forbidden", "Taiwan brand name"),)
    assert glossary.drug_of(protopic) == "tacrolimus"


def test_dump_then_parse_gives_the_same_glossary() -> None:
    glossary = load_glossary(FIXTURES / "good.toml")
    text = dump_glossary(glossary)
    assert "zh_TW" not in text.split('id = "scleroderma-news"')[1]   # dnt written once
    assert content(parse_glossary(text)) == content(glossary)


def _expectation(path: Path) -> tuple[int, str]:
    head = path.read_text(encoding="utf-8")
    line = re.search(r"^# expect-line: (\d+)$", head, re.M)
    message = re.search(r"^# expect: (.+)$", head, re.M)
    assert line and message, f"{path.name} needs '# expect-line:' and '# expect:' comments"
    return int(line.group(1)), message.group(1)


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_validation_error_names_file_and_line(path: Path) -> None:
    line, message = _expectation(path)
    with pytest.raises(GlossaryError) as caught:
        load_glossary(path)
    error = caught.value
    assert (error.path, error.line) == (str(path), line)
    assert str(error).startswith(f"{path}:{line}: ")
    assert message in str(error)


def test_every_validation_rule_has_a_fixture() -> None:
    names = {p.stem for p in BAD}
    assert {
        "syntax", "unknown_key", "missing_id", "missing_type", "unknown_type", "duplicate_id",
        "unknown_locale", "unknown_status", "no_preferred", "no_terms", "duplicate_term",
        "duplicate_term_en_case", "brand_shares_generic_term", "missing_generic",
        "generic_not_generic", "generic_on_non_brand", "bad_strength",
    } <= names


def test_unreadable_file_is_a_glossary_error(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError) as caught:
        load_glossary(tmp_path / "missing.toml")
    assert caught.value.path == str(tmp_path / "missing.toml")
    (tmp_path / "latin1.toml").write_bytes(b'# ok\n# \xe9\n')
    with pytest.raises(GlossaryError, match="not UTF-8") as caught:
        load_glossary(tmp_path / "latin1.toml")
    assert caught.value.line == 2


@pytest.mark.parametrize("strength", ["0.1%", "0.03%", "1%", "500 mg", "1 g", "5 mg/mL", "25 mg"])
def test_well_formed_strengths(strength: str) -> None:
    text = (FIXTURES / "good.toml").read_text(encoding="utf-8").replace('"0.03%"', f'"{strength}"')
    assert strength in parse_glossary(text).by_id["protopic"].strengths


@pytest.mark.parametrize("strength", ["0.1 %", "500mg", "1g", "mg", "five mg", "5 mg/ml", "0.1%;1%"])
def test_malformed_strengths(strength: str) -> None:
    text = (FIXTURES / "good.toml").read_text(encoding="utf-8").replace('"0.03%"', f'"{strength}"')
    with pytest.raises(GlossaryError, match="malformed strength"):
        parse_glossary(text, "g.toml")


# ---------------------------------------------------------------- TBX

def test_tbx_export_is_read_by_translate_toolkit(shipped: Glossary) -> None:
    tbx = pytest.importorskip("translate.storage.tbx")
    store = tbx.tbxfile.parsestring(write_tbx(shipped), sourcelanguage="en", targetlanguage="zh-TW")
    units = {unit.getid(): unit for unit in store.units}
    assert set(units) == {c.id for c in shipped.concepts}
    statuses = {"preferred": "preferredTerm-admn-sts", "admitted": "admittedTerm-admn-sts",
                "forbidden": "deprecatedTerm-admn-sts"}
    for c in shipped.concepts:
        unit = units[c.id]
        assert unit.source == c.preferred("en")
        assert unit.target == c.preferred("zh_TW")
        for locale, lang in (("en", "en"), ("zh_TW", "zh-TW"), ("zh_CN", "zh-CN")):
            terms = unit.get_source_terms() if locale == "en" else unit.get_target_terms(lang)
            assert [(t.text, t.administrative_status) for t in terms] == [
                (t.text, statuses[t.status]) for t in c.terms_for(locale)], (c.id, locale)
        if c.preferred("en"):   # a unit with no English source is never "translatable" to TT
            assert unit.istranslatable() is not c.dnt


def test_tbx_round_trip_gives_the_same_glossary(shipped: Glossary) -> None:
    data = write_tbx(shipped)
    assert data == write_tbx(load_glossary(SHIPPED))          # deterministic
    again = read_tbx(data, "glossary.tbx")
    assert content(again) == content(shipped)
    assert again.by_id["protopic"].line == data.decode().splitlines().index('      <termEntry id="protopic">') + 1


def test_tbx_survives_a_translate_toolkit_load_and_save(shipped: Glossary) -> None:
    tbx = pytest.importorskip("translate.storage.tbx")
    store = tbx.tbxfile.parsestring(write_tbx(shipped))
    assert content(read_tbx(bytes(store))) == content(shipped)


def test_tbx_from_another_tool() -> None:
    with open(FIXTURES / "foreign.tbx", "rb") as handle:
        glossary = read_tbx(handle, "foreign.tbx")
    concept = glossary.by_id["scleroderma"]
    assert concept.line == 9
    assert [(t.locale, t.text, t.status) for t in concept.terms] == [
        ("en", "scleroderma", "preferred"),
        ("zh_TW", "硬皮症", "preferred"), ("zh_TW", "硬皮病", "forbidden"),
        ("zh_CN", "硬皮病", "preferred"),
    ]


@pytest.mark.parametrize(("name", "entity"), [("xxe.tbx", "xxe"), ("billion_laughs.tbx", "lol")])
def test_tbx_refuses_entities(name: str, entity: str) -> None:
    path = FIXTURES / name
    with pytest.raises(GlossaryError) as caught:
        read_tbx(path.read_bytes(), str(path))
    assert f"entity '{entity}'" in caught.value.message
    assert "passwd" not in caught.value.message.replace("file:///etc/passwd", "")
    assert (caught.value.path, caught.value.line) == (str(path), 3)


def test_tbx_is_validated_like_toml() -> None:
    data = write_tbx(load_glossary(FIXTURES / "good.toml")).replace(
        b'target="tacrolimus">tacrolimus', b'target="tacrolimuss">tacrolimuss')
    with pytest.raises(GlossaryError, match="brand links to missing generic 'tacrolimuss'") as caught:
        read_tbx(data, "g.tbx")
    assert caught.value.line == data.decode().splitlines().index('      <termEntry id="protopic">') + 1


@pytest.mark.parametrize(("data", "message"), [
    (b"<martif><text><body>", "malformed XML"),
    (b"<html/>", "not a TBX file"),
    (b'<martif><text><body><termEntry id="x"><descrip type="subjectField">term</descrip>'
     b'<langSet xml:lang="fr"><tig><term>y</term></tig></langSet></termEntry></body></text></martif>',
     "unknown locale 'fr'"),
    (b'<martif><text><body><termEntry id="x"><descrip type="subjectField">term</descrip>'
     b'<langSet xml:lang="en"><tig><term>y</term><termNote type="administrativeStatus">'
     b'okTerm-admn-sts</termNote></tig></langSet></termEntry></body></text></martif>',
     "unknown status 'okTerm-admn-sts'"),
])
def test_bad_tbx(data: bytes, message: str) -> None:
    with pytest.raises(GlossaryError, match=re.escape(message)):
        read_tbx(data, "bad.tbx")


# ---------------------------------------------------------------- CSV

def test_csv_round_trip_gives_the_same_glossary(shipped: Glossary) -> None:
    text = write_csv(shipped)
    assert text.splitlines()[0] == ",".join(CSV_FIELDS)
    assert len(text.splitlines()) == 1 + sum(len(c.terms) for c in shipped.concepts)
    assert content(read_csv(text, "glossary.csv")) == content(shipped)


def test_csv_rows_of_a_concept_must_agree() -> None:
    text = write_csv(load_glossary(FIXTURES / "good.toml"))
    lines = text.splitlines()
    second = [i for i, line in enumerate(lines) if line.startswith("protopic,")][1]
    lines[second] = lines[second].replace("package inserts", "somewhere else")
    with pytest.raises(GlossaryError, match="rows disagree on 'source'") as caught:
        read_csv("\n".join(lines), "g.csv")
    assert caught.value.line == second + 1


def test_csv_is_validated_like_toml() -> None:
    text = write_csv(load_glossary(FIXTURES / "good.toml")).replace(",zh_CN,forbidden,", ",zh_CN,banned,")
    with pytest.raises(GlossaryError, match="unknown status 'banned'") as caught:
        read_csv(text, "g.csv")
    first_protopic_row = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("protopic,"))
    assert (caught.value.path, caught.value.line) == ("g.csv", first_protopic_row)


# ---------------------------------------------------------------- round trips of any text

_text = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cn")), max_size=30)
_term = _text.map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None)
@given(preferred=_term, admitted=_term, note=_text | st.just('a "quoted"\n\\ note\t'), source=_text)
def test_any_text_survives_every_format(preferred: str, admitted: str, note: str, source: str) -> None:
    terms = (Term(preferred, "en"), Term(preferred + " x", "en", "admitted", note),
             Term(admitted, "zh_TW"))
    glossary = Glossary((Concept("c", "term", terms, note=note, source=source, line=1),))
    assert content(parse_glossary(dump_glossary(glossary))) == content(glossary)
    assert content(read_tbx(write_tbx(glossary))) == content(glossary)
    assert content(read_csv(write_csv(glossary))) == content(glossary)


# ---------------------------------------------------------------- zh_TW <-> zh_CN

@pytest.mark.parametrize(("taiwan", "mainland"), [
    ("「普特皮可用於硬皮症」", "「普特彼可用于硬皮病」"),
    ("局部硬皮症", "局限性硬皮病"),
    ("全身性硬化症", "系统性硬化症"),
    ("軟體", "软件"),
    ("醫師開了普特皮（tacrolimus）與山喜多", "医师开了普特彼（tacrolimus）与骁悉"),
    ("使用雷射手術與照光治療", "使用激光手术与光疗"),
    ("Scleroderma News 的報導", "Scleroderma News 的报导"),
    ("MTX 與 MTXs", "MTX 与 MTXs"),
])
def test_convert_taiwan_to_mainland(shipped: Glossary, taiwan: str, mainland: str) -> None:
    assert convert_zh(taiwan, shipped) == mainland


def test_longest_match_wins_over_prefixes_and_earlier_overlaps() -> None:
    def concept(cid: str, taiwan: str, mainland: str) -> Concept:
        return Concept(cid, "term", (Term(taiwan, "zh_TW"), Term(mainland, "zh_CN")))
    glossary = Glossary((concept("short", "硬皮", "S"), concept("long", "硬皮症狀", "L"),
                         concept("left", "局部硬", "P")))
    assert convert_zh("硬皮", glossary) == "S"
    assert convert_zh("硬皮症狀", glossary) == "L"
    assert convert_zh("局部硬皮症狀", glossary) == "局部L"


def test_longest_match_wins(shipped: Glossary) -> None:
    converted = convert_zh("局部硬皮症與硬皮症、侷限性硬皮症", shipped)
    assert converted == "局限性硬皮病与硬皮病、局限性硬皮病"
    assert "局部硬皮病" not in converted


@pytest.mark.parametrize(("mainland", "taiwan"), [
    ("普特彼可用于硬皮病", "普特皮可用於硬皮症"),
    ("系统性硬化症", "全身性硬化症"),
    ("软件", "軟體"),
    ("骁悉（mycophenolate mofetil）", "山喜多（mycophenolate mofetil）"),
])
def test_convert_mainland_to_taiwan(shipped: Glossary, mainland: str, taiwan: str) -> None:
    assert convert_zh(mainland, shipped, src="zh_CN", dst="zh_TW") == taiwan


def test_convert_needs_two_chinese_locales(shipped: Glossary) -> None:
    with pytest.raises(ValueError):
        convert_zh("x", shipped, src="en", dst="zh_CN")
    with pytest.raises(ValueError):
        convert_zh("x", shipped, src="zh_TW", dst="zh_TW")


def test_convert_with_an_empty_glossary_is_plain_opencc() -> None:
    assert convert_zh("普特皮與軟體", Glossary(())) == "普特皮与软件"
