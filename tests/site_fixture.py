"""A small multilingual site for the site and browser tests, built in a temporary folder.

The project (``tests/fixtures/site/``) has two English articles and one
Traditional Chinese Q&A page; targets en -> zh_TW, zh_CN and zh_TW -> en,
zh_CN; threshold 80 %. The tables below play the translators:

* zh_TW: both articles fully translated;
* zh_CN: ``tacrolimus`` 13 of 14 units (published, one untranslated paragraph
  that holds a link: it falls back to English), ``methotrexate`` 2 of 6 (held
  back, so links to it from zh_CN pages lead to the English version);
* en and zh_CN: the Q&A page fully translated.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import polib

FIXTURE = Path(__file__).parent / "fixtures" / "site"

FALLBACK_MSGID = ("Before each use, wash your hands and read the leaflet, which also lists "
                  "<a1>other treatments</a1>.")

TACROLIMUS_ZH_TW = {
    "Tacrolimus ointment | Skin Notes": "普特皮藥膏｜皮膚筆記",
    "How tacrolimus ointment is used for morphea.": "普特皮藥膏如何用於硬斑病。",
    "Skin Notes": "皮膚筆記",
    "Main menu": "主選單",
    "<a1>Tacrolimus</a1>": "<a1>普特皮</a1>",
    "<a1>Methotrexate</a1>": "<a1>甲氨蝶呤</a1>",
    "<a1>Questions</a1>": "<a1>問答</a1>",
    "Tacrolimus ointment": "普特皮藥膏",
    "Tacrolimus (Protopic) is an ointment that calms inflammation in the skin.": "普特皮是一種能緩和皮膚發炎的藥膏。",
    "Doctors prescribe it for small plaques of morphea.": "醫師會用於小範圍的硬斑病病灶。",
    "For deeper disease, see <a1>methotrexate</a1>.": "較深層的病灶，請參考<a1>甲氨蝶呤</a1>。",
    "Read the <a1>questions about morphea</a1> too.": "也請閱讀<a1>硬斑病問答</a1>。",
    FALLBACK_MSGID: "每次使用前請洗手並閱讀仿單，仿單也列出<a1>其他治療</a1>。",
    "This page does not replace a visit to your doctor.": "本頁內容無法取代醫師的診療。",
}
TACROLIMUS_ZH_CN = {
    "Tacrolimus ointment | Skin Notes": "他克莫司软膏｜皮肤笔记",
    "How tacrolimus ointment is used for morphea.": "他克莫司软膏如何用于硬斑病。",
    "Skin Notes": "皮肤笔记",
    "Main menu": "主菜单",
    "<a1>Tacrolimus</a1>": "<a1>他克莫司</a1>",
    "<a1>Methotrexate</a1>": "<a1>甲氨蝶呤</a1>",
    "<a1>Questions</a1>": "<a1>问答</a1>",
    "Tacrolimus ointment": "他克莫司软膏",
    "Tacrolimus (Protopic) is an ointment that calms inflammation in the skin.": "他克莫司（普特彼）是一种能缓解皮肤炎症的软膏。",
    "Doctors prescribe it for small plaques of morphea.": "医生会用于小范围的硬斑病病灶。",
    "For deeper disease, see <a1>methotrexate</a1>.": "较深层的病灶，请参考<a1>甲氨蝶呤</a1>。",
    "Read the <a1>questions about morphea</a1> too.": "也请阅读<a1>硬斑病问答</a1>。",
    # FALLBACK_MSGID left untranslated on purpose
    "This page does not replace a visit to your doctor.": "本页内容不能代替医生的诊疗。",
}
METHOTREXATE_ZH_TW = {
    "Methotrexate | Skin Notes": "甲氨蝶呤｜皮膚筆記",
    "Methotrexate": "甲氨蝶呤",
    "Methotrexate is taken once a week.": "甲氨蝶呤每週服用一次。",
    "The dose depends on body weight.": "劑量依體重而定。",
    "Take folic acid on another day.": "請在另一天服用葉酸。",
    "See <a1>tacrolimus</a1> for small plaques.": "小範圍病灶請參考<a1>普特皮</a1>。",
}
METHOTREXATE_ZH_CN = {          # 2 of 6: held back
    "Methotrexate | Skin Notes": "甲氨蝶呤｜皮肤笔记",
    "Methotrexate": "甲氨蝶呤",
}
MORPHEA_EN = {
    "局部硬皮症問答｜皮膚筆記": "Questions about morphea | Skin Notes",
    "局部硬皮症問答": "Questions about morphea",
    "局部硬皮症又稱為硬斑病，主要侵犯皮膚。": "Localized scleroderma, also called morphea, mainly affects the skin.",
    "小範圍的病灶可以使用<a1>普特皮藥膏</a1>。": "Small plaques can be treated with <a1>tacrolimus ointment</a1>.",
    "範圍較大時，醫師可能開立<a1>甲氨蝶呤</a1>。": "For larger areas a doctor may prescribe <a1>methotrexate</a1>.",
}
MORPHEA_ZH_CN = {
    "局部硬皮症問答｜皮膚筆記": "局限性硬皮病问答｜皮肤笔记",
    "局部硬皮症問答": "局限性硬皮病问答",
    "局部硬皮症又稱為硬斑病，主要侵犯皮膚。": "局限性硬皮病又称硬斑病，主要累及皮肤。",
    "小範圍的病灶可以使用<a1>普特皮藥膏</a1>。": "小范围的病灶可以使用<a1>他克莫司软膏</a1>。",
    "範圍較大時，醫師可能開立<a1>甲氨蝶呤</a1>。": "范围较大时，医生可能开具<a1>甲氨蝶呤</a1>。",
}
TABLES = {
    ("zh_TW", "articles.tacrolimus"): TACROLIMUS_ZH_TW,
    ("zh_CN", "articles.tacrolimus"): TACROLIMUS_ZH_CN,
    ("zh_TW", "articles.methotrexate"): METHOTREXATE_ZH_TW,
    ("zh_CN", "articles.methotrexate"): METHOTREXATE_ZH_CN,
    ("en", "qa.morphea"): MORPHEA_EN,
    ("zh_CN", "qa.morphea"): MORPHEA_ZH_CN,
}
LOCALES = ("en", "zh_TW", "zh_CN")
PAGES = ("articles/tacrolimus.html", "articles/methotrexate.html", "qa/morphea.html")
# (page, locale) of every version written: all but zh_CN methotrexate (33 %, held back)
PUBLISHED_PAGES = {(p, lo) for p in PAGES for lo in LOCALES} - {("articles/methotrexate.html", "zh_CN")}


def make_project(tmp_path: Path, name: str = "siteproj", **settings: object) -> Path:
    """A fresh copy of the fixture project; extra ``[tool.l10n]`` settings appended."""
    root = tmp_path / name
    shutil.copytree(FIXTURE, root)
    if settings:
        pp = root / "pyproject.toml"
        text = pp.read_text("utf-8")
        extra = "".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in settings.items())
        text = text.replace("[tool.l10n]\n", "[tool.l10n]\n" + extra, 1)
        pp.write_text(text, "utf-8")
    return root


def translate(path: Path, table: dict[str, str]) -> int:
    """Fill msgstrs of ``path`` from ``table``, as a translator would; returns how many."""
    po = polib.pofile(str(path), wrapwidth=79)
    n = 0
    for e in po:
        if e.msgid in table and not e.obsolete:
            e.msgstr = table[e.msgid]
            n += 1
    po.save(str(path))
    return n


def build_site(tmp_path: Path, name: str = "siteproj", *, files: dict[str, str] | None = None,
               **settings: object):
    """Extract, update, translate from TABLES, compile and render. Returns (cfg, render report).
    ``files``: more files of the project (path from its root -> text), e.g. templates."""
    from l10n.config import load_config
    from l10n.project import compile_all, extract, load_pages, render_site, update

    root = make_project(tmp_path, name, **settings)
    for rel, text in (files or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    cfg = load_config(root)
    pages = load_pages(cfg)
    ex = extract(cfg, pages)
    update(cfg, templates=ex.templates)
    for (loc, dom), table in TABLES.items():
        n = translate(cfg.po_path(loc, dom), table)
        assert n == len(table), f"{loc}/{dom}: {n} of {len(table)} msgids found; the fixture pages changed?"
    reports = compile_all(cfg)
    assert not [e for r in reports for e in r.errors]
    rep = render_site(cfg, pages)
    return cfg, rep
