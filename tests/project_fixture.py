"""A small l10n project for the pipeline tests, built in a temporary folder.

The project (``tests/fixtures/pipeline/``) has one English page
(``guide.html``) and one Traditional Chinese page (``qa/ask.html``), targets
en -> zh_TW, zh_CN and zh_TW -> en, zh_CN, and a threshold of 80 %.
The tables below translate every unit of both pages.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import polib

FIXTURE = Path(__file__).parent / "fixtures" / "pipeline"
REPO = Path(__file__).resolve().parent.parent
L10N_BIN = Path(sys.executable).with_name("l10n")

GUIDE_ZH_TW = {
    "Skin care guide": "皮膚照護指南",
    "How to care for hardened skin.": "如何照護變硬的皮膚。",
    "Read <a1>the questions</a1> first.": "請先閱讀<a1>問答</a1>。",
    "Updated <time1>2023-02-27</time1>.": "更新於<time1>2023-02-27</time1>。",
    "A diagram of the skin": "皮膚構造圖",
    "Ask your doctor.": "請詢問您的醫師。",
}
GUIDE_ZH_CN = {
    "Skin care guide": "皮肤护理指南",
    "How to care for hardened skin.": "如何护理变硬的皮肤。",
    "Read <a1>the questions</a1> first.": "请先阅读<a1>问答</a1>。",
    "Updated <time1>2023-02-27</time1>.": "更新于<time1>2023-02-27</time1>。",
    "A diagram of the skin": "皮肤构造图",
    "Ask your doctor.": "请询问您的医师。",
}
ASK_EN = {
    "醫療問答": "Medical Q&A",
    "局部硬皮症的用藥問題": "Medication for localized scleroderma",
    "醫師您好，請問這個藥物有什麼副作用？": "Hello doctor, what are the side effects of this drug?",
    "提問日期：<time1>2023/02/27</time1>": "Asked on <time1>2023/02/27</time1>",
}
ASK_ZH_CN = {
    "醫療問答": "医疗问答",
    "局部硬皮症的用藥問題": "局部硬皮症的用药问题",
    "醫師您好，請問這個藥物有什麼副作用？": "医师您好，请问这个药物有什么副作用？",
    "提問日期：<time1>2023/02/27</time1>": "提问日期：<time1>2023/02/27</time1>",
}
TABLES = {
    ("zh_TW", "guide"): GUIDE_ZH_TW,
    ("zh_CN", "guide"): GUIDE_ZH_CN,
    ("en", "qa.ask"): ASK_EN,
    ("zh_CN", "qa.ask"): ASK_ZH_CN,
}


def make_project(tmp_path: Path, name: str = "proj") -> Path:
    """A fresh copy of the fixture project; returns its root."""
    root = tmp_path / name
    shutil.copytree(FIXTURE, root)
    return root


def po_path(root: Path, locale: str, domain: str) -> Path:
    return root / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"


def mo_path(root: Path, locale: str, domain: str) -> Path:
    return root / "locales" / locale / "LC_MESSAGES" / f"{domain}.mo"


def translate(path: Path, table: dict[str, str], *, fuzzy: bool = False) -> int:
    """Fill msgstrs of ``path`` from ``table`` as a translator would; returns how many."""
    po = polib.pofile(str(path), wrapwidth=79)
    n = 0
    for e in po:
        if e.msgid in table and not e.obsolete:
            e.msgstr = table[e.msgid]
            if fuzzy and "fuzzy" not in e.flags:
                e.flags.append("fuzzy")
            n += 1
    po.save(str(path))
    return n


def translate_all(root: Path) -> None:
    for (loc, dom), table in TABLES.items():
        assert translate(po_path(root, loc, dom), table) == len(table)


def snapshot(root: Path, *folders: str) -> dict[str, bytes]:
    """Every file under ``folders`` (all of ``root`` when none) as {relative path: bytes}.

    The skeleton cache and the lock file are left out: they are not output.
    """
    out: dict[str, bytes] = {}
    bases = [root / f for f in folders] if folders else [root]
    for base in bases:
        if not base.exists():
            continue
        for p in sorted(base.rglob("*")):
            rel = p.relative_to(root).as_posix()
            if p.is_file() and not rel.startswith(".l10n-cache/") and rel != ".l10n.lock":
                out[rel] = p.read_bytes()
    return out


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """Paths added, removed or modified between two snapshots."""
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
