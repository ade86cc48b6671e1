"""Translation memory: TMX through Translate Toolkit, the SQLite store, fuzzy pre-translation."""
from __future__ import annotations

import io
import random
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from rapidfuzz import fuzz

from l10n.cli import cli
from l10n.config import load_config
from l10n.errors import MemoryFileError
from l10n.tm import TMUnit, TranslationMemory, export_units, pretranslate, read_tmx, write_tmx
from l10n.tm.match import FuzzyIndex, length_window

from project_fixture import make_project, po_path, translate, translate_all

FIXTURES = Path(__file__).parent / "fixtures" / "tm"
LOCALES = ("en", "zh_TW", "zh_CN")

UNITS = [
    TMUnit("en", "zh_TW", "Read <a1>the guide</a1> first.", "請先閱讀<a1>指南</a1>。", "menu", "", "placeholders"),
    TMUnit("en", "zh_CN", "Line one\nline two<br1/>", "第一行\n第二行<br1/>"),
    TMUnit("zh_TW", "en", "普特皮（Protopic）0.1%", "Protopic (tacrolimus) 0.1%", "drug"),
    TMUnit("zh_TW", "zh_CN", "局部硬皮症「硬斑病」", "局限性硬皮病“硬斑病”"),
    TMUnit("en", "zh_TW", "5 < 6 & \"quotes\" 'too'", "5 < 6 & 「引號」"),
    TMUnit("en", "zh_TW", "Same source", "相同原文", "ctx one"),
    TMUnit("en", "zh_TW", "Same source", "相同原文（二）", "ctx two"),
]


def l10n(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# -- TMX ----------------------------------------------------------------------------------

def test_tmx_we_write_is_read_back_by_translate_toolkit_with_every_unit_intact() -> None:
    from translate.storage.tmx import tmxfile
    data = write_tmx(UNITS)
    store = tmxfile(io.BytesIO(data))
    got = [u for u in store.units if u.source]
    assert len(got) == len(UNITS)
    for tt, ours in zip(got, UNITS):
        assert tt.source == ours.source
        assert tt.target == ours.target
        assert tt.getcontext() == ours.context
        assert tt.getnotes() == ours.note
    assert b'<tmx version="1.4">' in data and b'creationtool="l10n"' in data
    # and by our reader (through the same library), with the project's locale names
    assert read_tmx(data, "x.tmx", locales=LOCALES).units == tuple(UNITS)


def test_tmx_of_another_tool_languages_mapped_and_unknown_ones_skipped() -> None:
    got = read_tmx((FIXTURES / "other-tool.tmx").read_bytes(), "other-tool.tmx", locales=LOCALES)
    assert got.skipped == 1                                     # fr-FR
    assert [(u.srclang, u.tgtlang, u.target, u.context) for u in got.units] == [
        ("en", "zh_TW", "請向您的醫師詢問副作用。", "sample"),
        ("en", "zh_CN", "请向您的医师询问副作用。", "sample"),
        ("en", "zh_TW", "給初學者的皮膚照護指南", ""),
    ]


@pytest.mark.parametrize(("name", "entity"), [("xxe.tmx", "xxe"), ("billion_laughs.tmx", "lol")])
def test_tmx_refuses_entities(name: str, entity: str) -> None:
    path = FIXTURES / name
    with pytest.raises(MemoryFileError) as caught:
        read_tmx(path.read_bytes(), str(path), locales=LOCALES)
    assert f"entity '{entity}' is declared" in caught.value.message
    assert "root:" not in caught.value.message                  # nothing of /etc/passwd
    assert (caught.value.path, caught.value.line) == (str(path), 3)


@pytest.mark.parametrize(("data", "says", "line"), [
    (b"<tmx><body><tu>", "malformed XML", 1),
    (b"<?xml version='1.0'?>\n<martif/>", "not a TMX file", 1),
])
def test_tmx_bad_input_names_file_and_line(data: bytes, says: str, line: int) -> None:
    with pytest.raises(MemoryFileError, match=says) as caught:
        read_tmx(data, "bad.tmx", locales=LOCALES)
    assert caught.value.path == "bad.tmx" and caught.value.line == line


# -- the store and the index ---------------------------------------------------------------

def test_store_keeps_each_unit_once_and_finds_by_length(tmp_path) -> None:
    with TranslationMemory(tmp_path / "m.sqlite") as mem:
        assert len(mem) == 0
        assert mem.add(UNITS) == len(UNITS)
        assert mem.add(UNITS[:3]) == 0
        assert len(mem) == len(UNITS)
        assert mem.exact("en", "zh_TW", "Same source", "ctx two").target == "相同原文（二）"
        assert mem.exact("en", "zh_CN", "Same source") is None
        n = len("Same source")
        assert {u.target for u in mem.candidates("en", "zh_TW", n, n)} == {"相同原文", "相同原文（二）"}
        assert mem.pairs() == [("en", "zh_CN"), ("en", "zh_TW"), ("zh_TW", "en"), ("zh_TW", "zh_CN")]


def test_length_window_never_drops_a_unit_that_reaches_the_score() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        a = "".join(rng.choice("abcde ") for _ in range(rng.randint(1, 40)))
        b = "".join(rng.choice("abcde ") for _ in range(rng.randint(1, 40)))
        s = rng.choice((50, 60, 75, 90))
        lo, hi = length_window(len(a), s)
        if fuzz.ratio(a, b) >= s:
            assert lo <= len(b) <= hi


def test_fuzzy_index_agrees_with_a_full_scan() -> None:
    rng = random.Random(3)
    words = "skin drug dose ointment doctor treatment cream daily twice weekly".split()
    units = [TMUnit("en", "zh_TW", " ".join(rng.choice(words) for _ in range(rng.randint(2, 9))), str(i))
             for i in range(2000)]
    queries = [" ".join(rng.choice(words) for _ in range(rng.randint(2, 9))) for _ in range(80)]
    index = FuzzyIndex(units)
    for q, m in zip(queries, index.best(queries, 75)):
        best = max((fuzz.ratio(q, u.source) for u in units), default=0)
        if best < 75:
            assert m is None
        else:
            assert m is not None and m.score == round(best, 1) and fuzz.ratio(q, m.unit.source) == best


# -- pre-translation ----------------------------------------------------------------------

NEW_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Skin care guides</title></head>
<body><h1>Skin care guides</h1><p>Ask your doctor.</p><p>Ask your doctor today.</p>
<p>Ask your doctor about the side effects.</p><p>Nothing like anything else at all, really.</p></body>
</html>
"""


@pytest.fixture
def project(tmp_path) -> Path:
    root = make_project(tmp_path)
    assert l10n("build", "-p", str(root)).exit_code == 0
    translate_all(root)
    (root / "source_pages" / "adults.html").write_text(NEW_PAGE, "utf-8")
    assert l10n("extract", "-p", str(root)).exit_code == 0
    assert l10n("update", "-p", str(root), "--no-tm").exit_code == 0    # the new page's catalogs, no memory
    return root


def entries(root: Path, loc: str, dom: str) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(po_path(root, loc, dom)))}


def test_update_pretranslates_from_every_catalog_of_the_locale(project) -> None:
    res = l10n("update", "-p", str(project), "-l", "zh_TW")
    assert res.exit_code == 0, res.output
    assert ("locales/zh_TW/LC_MESSAGES/adults.po: updated; 1 translated message, 2 fuzzy translations, "
            "2 untranslated messages. (2 pre-translated from the translation memory, fuzzy)") in res.stdout
    got = entries(project, "zh_TW", "adults")
    assert got["Ask your doctor."].msgstr == "請詢問您的醫師。"                     # exact: the compendium
    assert "fuzzy" not in got["Ask your doctor."].flags
    e = got["Skin care guides"]
    assert e.msgstr == "皮膚照護指南" and "fuzzy" in e.flags
    assert e.previous_msgid == "Skin care guide"
    score = round(fuzz.ratio("Skin care guides", "Skin care guide"))
    assert e.tcomment == f"l10n-tm: {score}% match from locales/zh_TW/LC_MESSAGES/guide.po"
    e = got["Ask your doctor today."]
    assert e.msgstr == "請詢問您的醫師。" and "fuzzy" in e.flags and e.previous_msgid == "Ask your doctor."
    assert got["Nothing like anything else at all, really."].msgstr == ""
    assert got["Ask your doctor about the side effects."].msgstr == ""       # 58% like "Ask your doctor."
    # the other locale was not asked for
    assert entries(project, "zh_CN", "adults")["Skin care guides"].msgstr == ""


def test_min_score_from_the_option_and_from_the_settings(project) -> None:
    res = l10n("update", "-p", str(project), "--tm-min-score", "99")
    assert "pre-translated" not in res.stdout
    assert entries(project, "zh_TW", "adults")["Skin care guides"].msgstr == ""
    pp = project / "pyproject.toml"
    pp.write_text(pp.read_text() + "\n[tool.l10n.tm]\nmin_score = 99.5\n", "utf-8")
    l10n("update", "-p", str(project))
    assert entries(project, "zh_TW", "adults")["Skin care guides"].msgstr == ""
    assert l10n("update", "-p", str(project), "--no-tm", "--tm-min-score", "50").exit_code == 0
    assert entries(project, "zh_TW", "adults")["Skin care guides"].msgstr == ""
    l10n("update", "-p", str(project), "--tm-min-score", "50")
    assert entries(project, "zh_TW", "adults")["Skin care guides"].msgstr == "皮膚照護指南"


def test_bad_tm_setting_is_one_line_naming_the_line(project) -> None:
    pp = project / "pyproject.toml"
    pp.write_text(pp.read_text() + "\n[tool.l10n.tm]\nmin_scor = 80\n", "utf-8")
    res = l10n("update", "-p", str(project))
    assert res.exit_code == 2
    n = pp.read_text().splitlines().index("min_scor = 80") + 1
    assert res.stderr.strip() == (f"l10n: error: {pp}:{n}: unknown key 'min_scor' in [tool.l10n.tm] "
                                  "(known: memory, min_score)")


def test_import_then_pretranslate_from_the_imported_memory_then_export(project, tmp_path) -> None:
    res = l10n("tm", "import", str(FIXTURES / "other-tool.tmx"), "-p", str(project))
    assert res.exit_code == 0, res.output
    assert res.stdout.strip().endswith("3 units read, 3 new, 1 skipped (a language this project does not "
                                       "have); tm/memory.sqlite: 3 units")
    again = l10n("tm", "import", str(FIXTURES / "other-tool.tmx"), "-p", str(project))
    assert "3 units read, 0 new" in again.stdout
    # the memory's "Ask your doctor about side effects." is nearer than the catalog's "Ask your doctor."
    cfg = load_config(project)
    done = pretranslate(cfg, ["zh_TW"], min_score=75)
    assert [(r.path, r.filled) for r in done] == [("locales/zh_TW/LC_MESSAGES/adults.po", 3)]
    e = entries(project, "zh_TW", "adults")["Ask your doctor about the side effects."]
    assert e.msgstr == "請向您的醫師詢問副作用。" and e.previous_msgid == "Ask your doctor about side effects."
    assert e.previous_msgctxt == "sample"
    assert e.tcomment.endswith("% match from tm/memory.sqlite (imported from other-tool.tmx)")
    out = tmp_path / "out.tmx"
    res = l10n("tm", "export", "-p", str(project), "-o", str(out))
    assert res.exit_code == 0
    units = read_tmx(out.read_bytes(), str(out), locales=LOCALES).units
    assert len(units) == len(export_units(cfg))
    pairs = {(u.srclang, u.tgtlang, u.source, u.target) for u in units}
    assert ("en", "zh_TW", "Ask your doctor.", "請詢問您的醫師。") in pairs               # from a catalog
    assert ("zh_TW", "en", "醫療問答", "Medical Q&A") in pairs
    assert ("en", "zh_CN", "Ask your doctor about side effects.", "请向您的医师询问副作用。") in pairs  # memory
    assert not any(u.source == "Ask your doctor about the side effects." for u in units)   # fuzzy is not memory


def test_import_refuses_an_unsafe_file_writing_nothing(project) -> None:
    res = l10n("tm", "import", str(FIXTURES / "xxe.tmx"), "-p", str(project))
    assert res.exit_code == 2
    assert res.stderr.strip().startswith(f"l10n: error: {FIXTURES / 'xxe.tmx'}:3: refusing unsafe XML")
    assert not (project / "tm").exists()


def test_memory_lookup_through_the_shingle_index(tmp_path) -> None:
    from l10n.tm.match import memory_best
    rng = random.Random(11)
    words = ("skin drug dose ointment doctor treatment cream daily twice weekly scar tissue lesion rash "
             "itch patch biopsy steroid tablet injection").split()
    sentences = sorted({" ".join(rng.choice(words) for _ in range(rng.randint(6, 14))) for _ in range(3000)})
    units = [TMUnit("en", "zh_TW", s, f"譯文{i}") for i, s in enumerate(sentences)]
    units += [TMUnit("en", "zh_TW", "Dermatologist", "皮膚科醫師"), TMUnit("zh_TW", "en", "局部硬皮症的治療方式", "x")]
    with TranslationMemory(tmp_path / "m.sqlite") as mem:
        mem.add(units)
        picked = rng.sample(sentences, 60)
        edited = []
        for s in picked:
            w = s.split()
            w[rng.randrange(len(w))] = "changed"
            edited.append(" ".join(w))
        found = memory_best(mem, "en", "zh_TW", edited, 75)
        for q, s, m in zip(edited, picked, found):
            best = max(fuzz.ratio(q, u.source) for u in units)
            if best >= 75:
                assert m is not None and m.score >= min(best, fuzz.ratio(q, s)) - 0.05
        assert sum(m is not None and m.unit.source == s for s, m in zip(picked, found)) >= 55
        one = memory_best(mem, "en", "zh_TW", ["Dermatologists"], 75)[0]       # one word: no shingle
        assert one is not None and one.unit.target == "皮膚科醫師"
        zh = memory_best(mem, "zh_TW", "en", ["局部硬皮症的治療"], 75)[0]          # Chinese: bigram shingles
        assert zh is not None and zh.unit.source == "局部硬皮症的治療方式"


# -- pre-translation in the build ---------------------------------------------------------

SMALL_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="test" adminlang="en"
          srclang="en" datatype="plaintext"/>
  <body>
    <tu>
      <tuv xml:lang="en"><seg>Ask your doctor about side effects.</seg></tuv>
      <tuv xml:lang="zh-TW"><seg>請向您的醫師詢問副作用。</seg></tuv>
      <tuv xml:lang="zh-CN"><seg>请向您的医师询问副作用。</seg></tuv>
    </tu>
  </body>
</tmx>
"""

# "On <time1>…</time1>" is nearer (86%) to the Chinese page's 提問日期：<time1>2023/02/27</time1> than to
# the English page's "Updated <time1>2023-02-27</time1>." (77%): a locale's catalogs of another source
# language are not its memory, in the build as in update
BUILD_PAGE = NEW_PAGE.replace("</body>", '<p>On <time datetime="2023-02-27">2023/02/27</time></p></body>')


def memory_project(tmp_path: Path) -> Path:
    """The pipeline project translated and built, a small TMX imported, then a new page added."""
    root = make_project(tmp_path)
    assert l10n("build", "-p", str(root)).exit_code == 0
    translate_all(root)
    assert l10n("build", "-p", str(root)).exit_code == 0
    tmx = tmp_path / "small.tmx"
    tmx.write_text(SMALL_TMX, "utf-8")
    res = l10n("tm", "import", str(tmx), "-p", str(root))
    assert res.exit_code == 0 and "2 units read, 2 new" in res.stdout, res.output
    (root / "source_pages" / "adults.html").write_text(BUILD_PAGE, "utf-8")
    return root


def shown(po: Path) -> dict[str, tuple]:
    """What pre-translation sets on each entry."""
    return {e.msgid: (e.msgstr, "fuzzy" in e.flags, e.tcomment, e.previous_msgid, e.previous_msgctxt)
            for e in polib.pofile(str(po)) if not e.obsolete}


def test_build_pretranslates_a_new_page_from_the_memory_as_update_does(tmp_path) -> None:
    import shutil
    from project_fixture import snapshot
    root = memory_project(tmp_path)
    twin = tmp_path / "twin"
    shutil.copytree(root, twin, ignore=shutil.ignore_patterns(".l10n-cache", "site"))
    res = l10n("build", "-p", str(root))
    assert res.exit_code == 0, res.output
    for loc in ("zh_TW", "zh_CN"):
        assert f"locales/{loc}/LC_MESSAGES/adults.po: 4 pre-translated from the translation memory (fuzzy)" \
            in res.stdout.splitlines()
    got = shown(po_path(root, "zh_TW", "adults"))
    score = round(fuzz.ratio("Skin care guides", "Skin care guide"))
    assert got["Skin care guides"] == ("皮膚照護指南", True, f"l10n-tm: {score}% match from "
                                       "locales/zh_TW/LC_MESSAGES/guide.po", "Skin care guide", None)
    assert got["Ask your doctor."][:3] == ("請詢問您的醫師。", False, "")       # exact: the compendium, not fuzzy
    score = round(fuzz.ratio("Ask your doctor about the side effects.", "Ask your doctor about side effects."))
    assert got["Ask your doctor about the side effects."] == (
        "請向您的醫師詢問副作用。", True, f"l10n-tm: {score}% match from tm/memory.sqlite (imported from small.tmx)",
        "Ask your doctor about side effects.", None)
    assert got["Nothing like anything else at all, really."][:2] == ("", False)
    on = "On <time1>2023/02/27</time1>"
    assert got[on][1:3] == (True, "l10n-tm: 77% match from locales/zh_TW/LC_MESSAGES/guide.po")
    cn = shown(po_path(root, "zh_CN", "adults"))
    assert cn[on][:3] == ("更新于<time1>2023-02-27</time1>。", True,
                          "l10n-tm: 77% match from locales/zh_CN/LC_MESSAGES/guide.po")   # not qa.ask.po's 86%
    # update in a copy of the same project fills the same entries the same way (where two catalogs hold
    # the same translation at the same score, update may name the new catalog itself, which the
    # merge just filled from the other: the build names the catalog it was translated in)
    assert l10n("extract", "-p", str(twin)).exit_code == 0
    upd = l10n("update", "-p", str(twin))
    assert upd.exit_code == 0, upd.output

    def but_origin(po: Path) -> dict[str, tuple]:
        return {k: (v[0], v[1], v[2].split(" from ")[0], *v[3:]) for k, v in shown(po).items()}

    for loc in ("zh_TW", "zh_CN"):
        assert but_origin(po_path(twin, loc, "adults")) == but_origin(po_path(root, loc, "adults"))
    assert shown(po_path(twin, "zh_TW", "adults"))["Skin care guides"] == got["Skin care guides"]
    # nothing changed: the build changes nothing, reports no pre-translation
    before = snapshot(root, "locales", "site", "tm")
    again = l10n("build", "-p", str(root))
    assert again.exit_code == 0 and "pre-translated" not in again.output
    assert "update:  6 catalogs, 0 written" in again.stdout
    assert snapshot(root, "locales", "site", "tm") == before


def test_build_opens_the_memory_only_for_new_empty_entries(tmp_path, monkeypatch) -> None:
    from l10n.build.stages import pretranslate_new
    from l10n.project import build
    from l10n.tm import fill
    from l10n.tm.store import TranslationMemory as Store
    root = memory_project(tmp_path)
    (root / "source_pages" / "adults.html").unlink()
    cfg = load_config(root)
    build(cfg, jobs=1)
    made, opened = [], []
    real_init, real_open = fill.Pretranslator.__init__, Store._open
    monkeypatch.setattr(fill.Pretranslator, "__init__",
                        lambda self, *a, **kw: (made.append(1), real_init(self, *a, **kw))[1])
    monkeypatch.setattr(Store, "_open", lambda self, create: (opened.append(1), real_open(self, create))[1])
    rep = build(cfg, jobs=1)                                           # nothing changed
    assert not any(u.written for u in rep.update) and rep.pretranslated == ()
    translate(po_path(root, "zh_TW", "guide"), {"Ask your doctor.": "請諮詢您的醫師。"})
    rep = build(cfg, jobs=1)                                           # a catalog edited: merged again
    assert [u.path for u in rep.update if u.written] == ["locales/zh_TW/LC_MESSAGES/guide.po"]
    assert rep.pretranslated == () and made == [] and opened == []
    rep = build(cfg, force=True, jobs=1)                               # everything merged again: nothing new
    assert rep.pretranslated == () and made == [] and opened == []
    (root / "source_pages" / "adults.html").write_text(BUILD_PAGE, "utf-8")
    rep = build(cfg, jobs=1)
    assert rep.pretranslated == (("locales/zh_TW/LC_MESSAGES/adults.po", 4),
                                 ("locales/zh_CN/LC_MESSAGES/adults.po", 4))
    assert made == [1] and opened                                      # one per build, opened once needed
    # an entry already in the catalog, left empty, is not the build's to fill (update revisits those)
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Skin care guides", msgstr=""))
    assert pretranslate_new(None, po, po, "en", "zh_TW") == 0      # returns before it needs a context


def test_build_with_a_bad_memory_setting_stops_before_writing_anything(tmp_path) -> None:
    from project_fixture import snapshot
    root = memory_project(tmp_path)
    pp = root / "pyproject.toml"
    pp.write_text(pp.read_text() + "\n[tool.l10n.tm]\nmin_score = 0\n", "utf-8")
    before = snapshot(root, "locales", "site")
    res = l10n("build", "-p", str(root))
    assert res.exit_code == 2
    n = pp.read_text().splitlines().index("min_score = 0") + 1
    assert res.stderr.strip() == (f"l10n: error: {pp}:{n}: tm.min_score must be a number above 0 and at most 100")
    assert snapshot(root, "locales", "site") == before


def test_build_no_tm_and_tm_min_score_as_update_takes_them(tmp_path) -> None:
    """`l10n build --no-tm` leaves the entries its merges add empty (without a full rebuild after);
    `--tm-min-score` raises the bar for this build only, as `l10n update` does."""
    root = memory_project(tmp_path)
    res = l10n("build", "-p", str(root), "--no-tm")
    assert res.exit_code == 0, res.output
    assert "pre-translated" not in res.stdout
    got = shown(po_path(root, "zh_TW", "adults"))
    assert got["Skin care guides"][:2] == ("", False)
    assert got["Ask your doctor."][:2] == ("請詢問您的醫師。", False)        # exact: the compendium, not the memory
    # the option is not a setting of the project: the next build has nothing to do
    again = l10n("build", "-p", str(root), "--explain")
    assert again.exit_code == 0 and "build: none" in again.stderr, again.stderr
    # a second copy: only matches scoring 96 or more (Skin care guides ~ Skin care guide: 96.8)
    other = memory_project(tmp_path / "b")
    res = l10n("build", "-p", str(other), "--tm-min-score", "96")
    assert res.exit_code == 0, res.output
    got = shown(po_path(other, "zh_TW", "adults"))
    assert fuzz.ratio("Skin care guides", "Skin care guide") >= 96
    assert fuzz.ratio("Ask your doctor about the side effects.", "Ask your doctor about side effects.") < 96
    assert got["Skin care guides"][:2] == ("皮膚照護指南", True)
    assert got["Ask your doctor about the side effects."][:2] == ("", False)     # below the bar
    assert "l10n-tm" not in got["On <time1>2023/02/27</time1>"][2]               # 77%
    bad = l10n("build", "-p", str(other), "--tm-min-score", "0")
    assert bad.exit_code == 2


def test_an_edit_reads_only_the_units_of_the_lengths_it_can_match_and_fills_the_same(tmp_path) -> None:
    """A build that merges a few catalogs (an edit) asks the compendium for the units whose msgid
    length can reach the minimum score against the texts at hand, not all 600,000 of a big site:
    the fills are those of the whole memory, catalog after catalog."""
    from l10n.tm.fill import Pretranslator
    rnd = random.Random(7)
    words = ["take", "one", "tablet", "daily", "with", "food", "do", "not", "crush", "weekly", "methotrexate",
             "ask", "your", "doctor", "about", "side", "effects", "stop", "if", "rash"]

    def text(n: int) -> str:
        return " ".join(rnd.choice(words) for _ in range(n)).capitalize() + "."
    units = [TMUnit("en", "zh_TW", text(rnd.randint(1, 14)), f"譯文{i}", origin=f"locales/zh_TW/c{i % 50}.po")
             for i in range(3000)]
    asked: list = []

    def by_length(loc: str, src: str, lengths):
        asked.append(lengths)
        if lengths is None:
            return units
        return [u for u in units if lengths[0] <= len(u.source) <= lengths[1]]

    cfg = load_config(make_project(tmp_path))
    whole, few = Pretranslator(cfg, by_length), Pretranslator(cfg, by_length, few=True)
    filled = 0
    for _catalog in range(12):
        texts = [text(rnd.randint(1, 14)) for _ in range(rnd.randint(1, 4))]
        a = [polib.POEntry(msgid=t, msgstr="") for t in texts]
        b = [polib.POEntry(msgid=t, msgstr="") for t in texts]
        got = whole.fill(a, "en", "zh_TW")
        assert got == few.fill(b, "en", "zh_TW")
        filled += sum(got)
        assert [(e.msgstr, e.tcomment, e.previous_msgid) for e in a] == [(e.msgstr, e.tcomment, e.previous_msgid)
                                                                          for e in b]
        lo = min(length_window(len(t), few.min_score)[0] for t in texts)
        hi = max(length_window(len(t), few.min_score)[1] for t in texts)
        assert asked[-1] == (lo, hi)
    assert asked.count(None) == 1 and len(asked) == 13          # the whole memory read once; each edit's window
    assert filled >= 5                                         # (some of them find a match)
