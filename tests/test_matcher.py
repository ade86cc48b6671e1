"""TermMatcher: one automaton pass, word boundaries, inflection, longest match."""
from __future__ import annotations

import time

import pytest

from glossary_fixture import concept, make_glossary, synthetic_glossary
from l10n.glossary.matcher import TermMatcher, english_variants, fold
from l10n.glossary.model import Glossary

G = make_glossary()
EN = TermMatcher(G, "en")
TW = TermMatcher(G, "zh_TW")


def found(matcher: TermMatcher, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.concept_id) for m in matcher.find(text)]


def test_match_fields_and_offsets() -> None:
    text = "Use PROTOPIC daily"
    [m] = EN.find(text)
    assert (m.start, m.end, m.text) == (4, 12, "PROTOPIC")
    assert text[m.start:m.end] == m.text
    assert (m.concept_id, m.status, m.term, m.locale) == ("protopic", "preferred", "Protopic", "en")


def test_case_insensitive_records_exact_text() -> None:
    assert found(EN, "protopic, Protopic, PROTOPIC") == [("protopic", "protopic"), ("Protopic", "protopic"),
                                                         ("PROTOPIC", "protopic")]


def test_word_boundaries() -> None:
    assert found(EN, "collagenase and procollagen") == []
    assert found(EN, "collagen, (collagen) collagen.") == [("collagen", "collagen")] * 3
    assert found(EN, "tacrolimusx") == []
    # a letter against a digit is a boundary: Chinese text glues Latin names to doses
    assert found(EN, "tacrolimus2") == [("tacrolimus", "tacrolimus")]
    assert found(EN, "醫師開了tacrolimus1 mg給我使用") == [("tacrolimus", "tacrolimus")]
    assert found(EN, "醫師開了tacrolimusx1 mg給我使用") == []


@pytest.mark.parametrize("text,term,concept_id", [
    ("immunosuppressants", "immunosuppressants", "immunosuppressant"),
    ("B cells", "B cells", "b-cell"),
    ("B-cells", "B-cells", "b-cell"),
    ("B-cell activation", "B-cell", "b-cell"),
    ("corticosteroids", "corticosteroids", "corticosteroid"),
    ("therapies", "therapies", "therapy"),
    ("calcineurin inhibitors", "calcineurin inhibitors", "calcineurin-inhibitor"),
])
def test_inflected_forms(text: str, term: str, concept_id: str) -> None:
    assert found(EN, f"about {text} here") == [(term, concept_id)]


def test_english_variants() -> None:
    assert english_variants("b cell") == ["b cell", "b-cell", "b cells", "b-cells"]
    assert english_variants("therapy") == ["therapy", "therapies"]
    assert english_variants("diagnosis") == ["diagnosis", "diagnoses"]
    assert english_variants("tacrolimus") == ["tacrolimus", "tacrolimuses"]
    assert english_variants("protopic", inflect=False) == ["protopic"]


def test_longest_match_wins_and_no_overlap() -> None:
    assert found(EN, "Scleroderma News reports on scleroderma") == [
        ("Scleroderma News", "scleroderma-news"), ("scleroderma", "scleroderma")]
    assert found(EN, "localized scleroderma") == [("localized scleroderma", "localized-scleroderma")]
    assert found(TW, "局部硬皮症與硬皮症") == [("局部硬皮症", "localized-scleroderma"), ("硬皮症", "scleroderma")]


def test_longest_match_falls_back_when_the_long_one_is_not_a_word() -> None:
    # "scleroderma news" is glued to "letter"; "scleroderma" on its own still counts
    assert found(EN, "Scleroderma Newsletter") == [("Scleroderma", "scleroderma")]


def test_chinese_substrings_and_latin_terms_inside_chinese() -> None:
    assert found(TW, "醫師開了普特皮0.1%給我") == [("普特皮", "protopic")]
    assert found(TW, "使用tacrolimus治療") == [("tacrolimus", "tacrolimus")]


def test_extra_locales_rank_below_own_locale() -> None:
    m = TermMatcher(G, "zh_TW", extra_locales=("zh_CN", "en"))
    [hit] = m.find("普特皮")
    assert (hit.concept_id, hit.status, hit.locale) == ("protopic", "preferred", "zh_TW")
    assert ("protopic", "forbidden", "zh_CN") in hit.alternatives
    [cn] = m.find("吗替麦考酚酯")
    assert (cn.concept_id, cn.locale) == ("mycophenolate-mofetil", "zh_CN")
    assert [x.locale for x in m.find("Protopic")] == ["en"]
    assert TW.find("吗替麦考酚酯") == []          # without extra locales: only zh_TW terms


def test_named_ids_skip_forbidden_entries() -> None:
    g = make_glossary(concept("pime-alias", "generic", zh_TW=[("普特皮", "forbidden")]))
    [hit] = TermMatcher(g, "zh_TW").find("普特皮")
    assert set(hit.concept_ids) == {"protopic", "pime-alias"}
    assert hit.named_ids == ("protopic",)
    [cn] = TermMatcher(g, "zh_CN").find("普特皮")          # forbidden only: names them
    assert cn.status == "forbidden" and cn.named_ids == ("protopic",)


def test_find_glued() -> None:
    glued = EN.find_glued("include methotrexateCellCept (mycophenolate mofetil)")
    assert [(m.text, m.concept_id) for m in glued] == [("methotrexate", "methotrexate"), ("CellCept", "cellcept")]
    assert EN.find_glued("immunosuppressants") == []     # inside an accepted (plural) match
    assert EN.find_glued("tacrolimus2") == []            # digits are not letters
    assert EN.find("methotrexateCellCept") == []


def test_keys_and_occurs() -> None:
    keys = EN.keys_for("b-cell", "preferred")
    assert "b cells" in keys and "b-cell" in keys
    assert EN.occurs(fold("Many B-Cells."), "b-cells")
    assert not EN.occurs("procollagen", "collagen")
    assert EN.occurs("procollagen", "collagen", loose=True)


def test_fold_keeps_length() -> None:
    for text in ["Crohn’s disease", "B‑cell", "İstanbul", "硬皮症 ", "x\u00a0y"]:
        assert len(fold(text)) == len(text)
    assert fold("Crohn’s B‑Cell") == "crohn's b-cell"


def test_empty_glossary_and_text() -> None:
    m = TermMatcher(Glossary(()), "en")
    assert m.find("anything") == [] and m.find_glued("anything") == []
    assert EN.find("") == []


def test_build_and_scan_speed() -> None:
    g = synthetic_glossary(10_000)             # 10k concepts, ~30k terms
    start = time.process_time()
    m = TermMatcher(g, "en")
    built = time.process_time() - start
    assert m.size > 20_000                     # keys: en (+ variants), zh_TW, zh_CN
    assert built < 1.0, f"build took {built:.2f}s"
    start = time.process_time()
    TermMatcher(g, "zh_TW")                       # the index is shared: no second build
    assert time.process_time() - start < 0.05
    text = "Protopic and tacrolimus are used for localized scleroderma; " * 3
    start = time.process_time()
    for _ in range(2000):
        m.find(text)
    assert time.process_time() - start < 1.0


def test_synthetic_terms_are_found() -> None:
    g = synthetic_glossary(500)
    m = TermMatcher(g, "en")
    c = g.get("syn123")
    term = c.preferred("en")
    assert [(x.text, x.concept_id) for x in m.find(f"x {term} y")] == [(term, "syn123")]


def test_index_cache_does_not_keep_glossaries_alive() -> None:
    import gc
    import weakref

    from l10n.glossary import matcher as mod

    g = make_glossary()
    TermMatcher(g, "en")
    assert id(g) in mod._INDEXES
    ref = weakref.ref(g)
    key = id(g)
    del g
    gc.collect()
    assert ref() is None and key not in mod._INDEXES


# -- texts scanned together (TermMatcher.expect, scan_together) ----------------------------------

TOGETHER = [
    "Protopic", "Use PROTOPIC daily", "collagen, (collagen) collagen.", "tacrolimus2", "procollagen",
    "methotrexateCellCept and methotrexate", "普特皮軟膏", "局部硬皮症與硬皮症", "", "Protopic ointment for localized "
    "scleroderma", "B cells and B-cells", "x" * 50 + "protopic", "protopic" + "y",
]


def test_expected_texts_give_the_matches_of_a_pass_each() -> None:
    for locale in ("en", "zh_TW"):
        alone = TermMatcher(G, locale, extra_locales=["en"] if locale != "en" else ())
        together = TermMatcher(G, locale, extra_locales=["en"] if locale != "en" else ())
        together.expect(TOGETHER)
        assert [together.find(t) for t in TOGETHER] == [alone.find(t) for t in TOGETHER]
        assert [together.find_glued(t) for t in TOGETHER] == [alone.find_glued(t) for t in TOGETHER]
        assert together.find("a text not expected: Protopic") == alone.find("a text not expected: Protopic")


def test_scan_together_gives_each_texts_hits_at_its_own_offsets() -> None:
    import ahocorasick_rs

    from l10n.glossary.matcher import scan_together

    a = ahocorasick_rs.AhoCorasick(["ab", "b", "abc", "中文"], matchkind=ahocorasick_rs.MatchKind.Standard)
    lows = ["abc", "", "xab中文", "b"]
    assert scan_together(a, lows, overlapping=True) == [
        sorted(a.find_matches_as_indexes(low, overlapping=True), key=lambda h: h[2]) for low in lows]
    longest = ahocorasick_rs.AhoCorasick(["ab", "abc", "bc"], matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    lows = ["abcbc", "bcab", "c"]
    assert scan_together(longest, lows, overlapping=False) == [longest.find_matches_as_indexes(x) for x in lows]
    assert scan_together(a, ["a\x00b", "ab"], overlapping=True) is None     # a text holding the separator
