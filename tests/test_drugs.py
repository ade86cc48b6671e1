"""The drug lexicon (l10n.drugs), GL003 beyond the glossary, GL018 and `l10n glossary suggest`.

Look-alike pairs and the rules' bad/good cases are data in tests/fixtures/rules/GL003.toml and
GL018.toml (run by tests/test_checks.py); this file pins the lexicon, its cache and stop list,
the false-hit counts, the catalog side of GL018 and the suggest command.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from health_sentences import sentences
from l10n.checks import check_entries, check_segments
from l10n.checks.base import MatcherCache, plain
from l10n.cli import cli
from l10n.errors import GlossaryError
from l10n.drugs import get_lexicon, load_lexicon, name_key
from l10n.drugs import lexicon as lexmod
from l10n.drugs.suggest import concept_id, stub_concepts, suggest_text
from l10n.glossary import load_glossary, parse_glossary
from l10n.model import Entry, Finding, Segment, Severity

REPO = Path(__file__).resolve().parent.parent
LEX = get_lexicon(None)


def entry(msgid: str, msgstr: str, source: str = "en", target: str = "zh_TW") -> Entry:
    return Entry(msgid=msgid, msgstr=msgstr, path=f"locales/{target}/LC_MESSAGES/page.po", line=9,
                 source_locale=source, target_locale=target)


# -- the lexicon ------------------------------------------------------------------------------

def test_brands_resolve_to_their_ingredient_and_salts_to_the_drug() -> None:
    assert LEX.lookup("Plaquenil") == ("hydroxychloroquine", "hydroxychloroquine")
    assert LEX.ident_of("hydroxychloroquine sulfate") == "hydroxychloroquine"
    assert LEX.ident_of("prednisolone acetate") == "prednisolone"
    assert LEX.ident_of("CellCept") == LEX.ident_of("mycophenolate mofetil") == "mycophenolate"
    assert LEX.ident_of("paracetamol") == LEX.ident_of("Tylenol") == "acetaminophen"
    for a, b in (("prednisone", "prednisolone"), ("hydroxyzine", "hydralazine"),
                 ("chloroquine", "hydroxychloroquine"), ("insulin glargine", "insulin lispro")):
        assert LEX.ident_of(a) and LEX.ident_of(b) and LEX.ident_of(a) != LEX.ident_of(b), (a, b)


def test_find_whole_words_longest_first_with_offsets() -> None:
    text = "每週服用一次methotrexate；Hydroxychloroquine Sulfate 200 mg, not chloroquine."
    hits = LEX.find(text)
    assert [(h.text, h.ident) for h in hits] == [("methotrexate", "methotrexate"),
                                                ("Hydroxychloroquine Sulfate", "hydroxychloroquine"),
                                                ("chloroquine", "chloroquine")]
    assert all(text[h.start:h.end] == h.text for h in hits)
    assert LEX.find("methotrexateCellCept") == []           # glued: GL010's business
    # a name glued to its dose, as Chinese text writes it: letters against digits are two words
    hits = LEX.find("醫師開了Lipitor20 mg給我使用，之前吃過Plaquenil200mg。")
    assert [(h.text, h.ident) for h in hits] == [("Lipitor", "atorvastatin"), ("Plaquenil", "hydroxychloroquine")]
    assert [h.generic_name for h in LEX.find("Plaquenil or hydroxyzine")] == [False, True]


def test_stop_list_is_data_and_applied() -> None:
    stop, salts, after = lexmod.read_settings(lexmod.settings_file().read_bytes())
    assert {"more", "caps", "eye drops"} <= stop and "sulfate" in salts and "dehydrogenase" in after
    for word in stop:
        assert name_key(word) not in LEX.keys, word
    assert LEX.find("Take more rest; the caps come off; use eye drops.") == []
    assert LEX.find("It blocks inosine monophosphate dehydrogenase.") == []


def test_common_words_the_issue_names_are_not_drugs() -> None:
    for word in ("today", "focus", "advance", "ensure", "may", "more", "care", "relief", "support", "balance"):
        assert LEX.lookup(word) is None, word


def test_false_hits_on_ordinary_health_sentences() -> None:
    texts = sentences(3000)
    assert len(texts) == 3000 and len(set(texts)) == 3000
    false_hits = [(t, h.text) for t in texts for h in LEX.find(t)]
    assert false_hits == []


def test_false_hits_on_the_shipped_pages_and_catalogs() -> None:
    """Every lexicon hit in the shipped text is a real drug name (the list is the review)."""
    real = {"methotrexate", "mycophenolate", "mycophenolic acid", "cyclophosphamide", "azathioprine",
            "cyclosporine", "tacrolimus", "calcipotriol", "rituximab", "cholecalciferol",
            "antithymocyte immunoglobulin (rabbit)", "pimecrolimus", "isotretinoin"}
    seen = set()
    n_texts = 0
    for po in sorted(REPO.glob("locales/*/LC_MESSAGES/*.po")):
        for e in polib.pofile(str(po)):
            for text in (e.msgid, e.msgstr):
                n_texts += 1
                seen |= {h.ident for h in LEX.find(plain(text))}
    for page in sorted(REPO.glob("source_pages/**/*.html")):
        seen |= {h.ident for h in LEX.find(page.read_text(encoding="utf-8"))}
    assert n_texts > 300
    assert seen - real == set(), "not a drug, or a drug to review: add it here or to the stop list"
    assert {"methotrexate", "mycophenolate", "tacrolimus"} <= seen


# -- the cache --------------------------------------------------------------------------------

def test_cache_by_content_cold_then_warm(tmp_path: Path) -> None:
    t0 = time.perf_counter()
    cold = load_lexicon(tmp_path, shared=False)
    t1 = time.perf_counter()
    warm = load_lexicon(tmp_path, shared=False)
    t2 = time.perf_counter()
    files = list((tmp_path / "drug-lexicon").glob("*.marshal"))
    assert len(files) == 1
    assert warm.keys == cold.keys and warm.idents == cold.idents and warm.generic == cold.generic
    assert warm.followed_by == cold.followed_by
    assert (t2 - t1) < (t1 - t0)                   # the cache is what makes a run cheap
    files[0].write_bytes(b"\x00garbage")            # a broken cache file is rebuilt, not trusted
    again = load_lexicon(tmp_path, shared=False)
    assert again.keys == cold.keys and files[0].read_bytes() != b"\x00garbage"


def test_cache_key_follows_the_stop_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_lexicon(tmp_path, shared=False)
    settings = tmp_path / "lexicon.toml"
    original = lexmod.settings_file().read_bytes()
    settings.write_bytes(original.replace(b'words = [\n', b'words = [\n    "hydroxyzine",\n'))
    monkeypatch.setattr(lexmod, "settings_file", lambda: settings)
    edited = load_lexicon(tmp_path, shared=False)
    assert edited.lookup("hydroxyzine") is None and LEX.lookup("hydroxyzine") is not None
    assert len(list((tmp_path / "drug-lexicon").glob("*.marshal"))) == 2


def test_shared_user_cache_serves_a_new_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))
    assert lexmod.user_cache_dir() == tmp_path / "user" / "l10n"
    first = load_lexicon(tmp_path / "a")
    assert len(list((tmp_path / "a" / "drug-lexicon").glob("*.marshal"))) == 1
    assert len(list((tmp_path / "user" / "l10n" / "drug-lexicon").glob("*.marshal"))) == 1
    (tmp_path / "a" / "drug-lexicon").rename(tmp_path / "moved")
    second = load_lexicon(tmp_path / "b")             # a new project: read from the user cache, nothing built
    assert second.keys == first.keys and not (tmp_path / "b").exists()


def test_missing_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexmod, "_PACKAGE", "no_such_drug_package_l10n")
    with pytest.raises(lexmod.LexiconError, match="pip install drug-named-entity-recognition"):
        lexmod.data_file()


# -- GL003 and GL018 through the driver ------------------------------------------------------

GLOSSARY = load_glossary(REPO / "locales" / "glossary.toml")


def test_issue_example_weekly_methotrexate_for_hydroxychloroquine() -> None:
    [f] = check_entries([entry("Take hydroxychloroquine once a week.", "每週服用一次 methotrexate。")],
                        GLOSSARY, select=["GL003"])
    assert f.severity == Severity.ERROR and f.term == "methotrexate"
    assert "it names hydroxychloroquine (hydroxychloroquine)" in f.message


def test_a_swap_of_a_drug_glued_to_its_dose_is_caught() -> None:
    [f] = check_entries([entry("醫師開了Lipitor20 mg給我使用。", "My doctor prescribed Crestor 20 mg.", "zh_TW", "en")],
                        GLOSSARY, select=["GL003"])
    assert f.term == "Crestor" and "it names Lipitor" in f.message
    assert check_entries([entry("醫師開了Lipitor20 mg給我使用。", "My doctor prescribed Lipitor 20 mg.", "zh_TW",
                                "en")], GLOSSARY, select=["GL003"]) == []


def test_glossary_drugs_keep_their_behaviour() -> None:
    """The seed's swap is still reported once, by the glossary, as before."""
    seed = entry("醫師開了普特皮0.1%給我。", "The doctor prescribed me Pimecrolimus 0.1%.", "zh_TW", "en")
    found = check_entries([seed], GLOSSARY, select=["GL003"])
    assert [(f.term, dict(f.extra).get("concept")) for f in found] == [("Pimecrolimus", "pimecrolimus")]


def test_gl018_on_msgids_once_per_ingredient_and_suppressible() -> None:
    e = entry("Plaquenil (hydroxychloroquine) or hydroxyzine", "Plaquenil（hydroxychloroquine）或 hydroxyzine")
    found = check_entries([e], GLOSSARY, select=["GL018"])
    assert sorted((f.term, dict(f.extra)["drug"]) for f in found) == [("Plaquenil", "hydroxychloroquine"),
                                                                    ("hydroxyzine", "hydroxyzine")]
    assert all(f.severity == Severity.INFO and f.line == 9 for f in found)
    quiet = Entry(**{**e.__dict__, "translator_comments": ("l10n: ignore GL018",)})
    assert check_entries([quiet], GLOSSARY, select=["GL018"]) == []
    assert check_entries([entry("Take methotrexate weekly.", "每週服用 methotrexate。")], GLOSSARY,
                         select=["GL018"]) == []


def test_shipped_project_and_its_pages_have_no_unknown_drug(shipped_project: Path) -> None:
    res = CliRunner().invoke(cli, ["check", "--project", str(shipped_project), "--fail-on", "info"])
    assert res.exit_code == 0, res.output
    assert "0 finding(s) in 12 catalog(s) and 6 page(s)" in res.output


# -- l10n glossary suggest ---------------------------------------------------------------------

def _finding(term: str, drug: str, line: int = 4) -> Finding:
    return Finding(code="GL018", severity=Severity.INFO, path="source_pages/a.html", line=line, message="m",
                   term=term, extra=(("drug", drug),))


def test_stub_concepts_library() -> None:
    stubs = stub_concepts([_finding("Plaquenil", "hydroxychloroquine"), _finding("hydroxyzine", "hydroxyzine", 5),
                           _finding("hydroxychloroquine", "hydroxychloroquine", 6)], GLOSSARY)
    assert [(c.id, c.type, c.generic, c.preferred("en")) for c in stubs] == [
        ("hydroxychloroquine", "generic", None, "hydroxychloroquine"),
        ("hydroxyzine", "generic", None, "hydroxyzine"),
        ("plaquenil", "brand", "hydroxychloroquine", "Plaquenil")]
    assert "source_pages/a.html:4" in stubs[0].note and "TODO" in stubs[0].note
    text = suggest_text([_finding("Plaquenil", "hydroxychloroquine")], GLOSSARY)
    with pytest.raises(GlossaryError, match="needs a 'source'"):
        parse_glossary(text)                            # a stub is refused until its source is written
    text = _sourced(text)
    assert len(parse_glossary(text).concepts) == 2      # loads once the terminologist adds a source
    combined = parse_glossary((REPO / "locales" / "glossary.toml").read_text(encoding="utf-8") + text)
    assert len(combined.concepts) == len(GLOSSARY.concepts) + 2
    assert concept_id("Humulin 70/30") == "humulin-70-30" and concept_id("5-FU") == "drug-5-fu"
    taken = stub_concepts([_finding("methotrexate", "methotrexate")], GLOSSARY)   # id already in the glossary
    assert taken[0].id == "methotrexate-2"


def test_glossary_suggest_cli(shipped_project: Path) -> None:
    runner = CliRunner()
    clean = runner.invoke(cli, ["glossary", "suggest", "--project", str(shipped_project)])
    assert clean.exit_code == 0 and clean.stdout == ""
    page = shipped_project / "source_pages" / "articles" / "morphea.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</h1>", " and hydroxyzine (Atarax)</h1>", 1), encoding="utf-8")
    res = runner.invoke(cli, ["glossary", "suggest", "--project", str(shipped_project)])
    assert res.exit_code == 0, res.output
    g = parse_glossary(_sourced(res.stdout))
    assert {(c.id, c.type, c.generic) for c in g.concepts} == {("hydroxyzine", "generic", None),
                                                              ("atarax", "brand", "hydroxyzine")}
    out = shipped_project / "stubs.toml"
    res = runner.invoke(cli, ["glossary", "suggest", "--project", str(shipped_project), "-o", str(out)])
    assert res.exit_code == 0 and out.is_file()
    assert parse_glossary(_sourced(out.read_text(encoding="utf-8"))).concepts == g.concepts


def _sourced(stubs: str) -> str:
    """The stubs as a terminologist completes them: each with where its names were verified."""
    return re.sub(r'^(type = "[a-z]+")$', r'\1\nsource = "https://example.org/label"', stubs, flags=re.M)


# -- speed ---------------------------------------------------------------------------------------

def test_lexicon_pass_is_cheap_on_english_text() -> None:
    from l10n.drugs.lexicon import WORD_RE
    from l10n.glossary.matcher import fold

    texts = sentences(3000) * 7                         # ~20,000 msgids with no drug
    t = time.perf_counter()
    for text in texts:
        WORD_RE.findall(fold(text))                     # the least any word scan costs
    floor = time.perf_counter() - t
    t = time.perf_counter()
    for text in texts:
        LEX.find(text)
    spent = time.perf_counter() - t
    # Printed, not asserted: speed is measured by `make bench`, never by a timed test.
    print(f"lexicon pass {spent:.3f}s, bare word scan {floor:.3f}s")
    matchers = MatcherCache(GLOSSARY)
    segs = [Segment(t, "p.html", i + 1, "p") for i, t in enumerate(texts[:500])]
    assert check_segments(segs, GLOSSARY, "en", select=["GL018"]) == []
    assert len(matchers.lexicon) == len(LEX)
