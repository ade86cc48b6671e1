"""`l10n convert` keeps the medical words OpenCC's computing phrase tables would change.

OpenCC's s2twp writes 孕妇禁用 (contraindicated in pregnancy) as 孕婦停用 (pregnant women
stop using it); tw2sp writes 停用 (stop taking) as 禁用 (prohibited). The words of
``l10n/data/opencc_keep.toml`` are written as the other region writes them instead.
"""
from __future__ import annotations

from pathlib import Path

import opencc
import polib
import pytest
from click.testing import CliRunner

from l10n.checks import check_entries
from l10n.cli import cli
from l10n.glossary import load_glossary
from l10n.glossary.convert import convert_zh, kept_words
from l10n.model import Entry

REPO = Path(__file__).resolve().parent.parent
KEPT = kept_words()


@pytest.fixture(scope="module")
def shipped():
    return load_glossary(REPO / "locales" / "glossary.toml")


def test_the_list_is_not_empty_and_every_pair_is_explained() -> None:
    assert len(KEPT) >= 10
    for k in KEPT:
        assert set(k) == {"zh_TW", "zh_CN", "opencc", "why"}, k
        assert k["why"].strip() and k["opencc"].strip()


@pytest.mark.parametrize("pair", KEPT, ids=[k["zh_TW"] for k in KEPT])
def test_every_kept_word_is_one_opencc_s_phrase_tables_change(pair: dict) -> None:
    """No word is listed for nothing: OpenCC's phrase conversion (tw2sp or s2twp) writes it
    as something other than the other region's word."""
    to_cn = opencc.OpenCC("tw2sp.json").convert(pair["zh_TW"])
    to_tw = opencc.OpenCC("s2twp.json").convert(pair["zh_CN"])
    assert to_cn != pair["zh_CN"] or to_tw != pair["zh_TW"]


@pytest.mark.parametrize("pair", KEPT, ids=[k["zh_TW"] for k in KEPT])
def test_each_side_is_the_other_converted_character_by_character(pair: dict) -> None:
    """The pairs change script only (OpenCC without its phrase tables): zh_TW side Traditional,
    zh_CN side Simplified."""
    assert opencc.OpenCC("tw2s.json").convert(pair["zh_TW"]) == pair["zh_CN"]
    assert opencc.OpenCC("s2tw.json").convert(pair["zh_CN"]) == pair["zh_TW"]


@pytest.mark.parametrize(("mainland", "opencc_alone", "taiwan"), [
    ("孕妇禁用。", "孕婦停用。", "孕婦禁用。"),
    ("本品采用局部麻醉。", "本品採用區域性麻醉。", "本品採用局部麻醉。"),
    ("请注意药物交互作用。", "請注意藥物互動作用。", "請注意藥物交互作用。"),
    ("治疗对象为成人。", "治療物件為成人。", "治療對象為成人。"),
    ("可延缓疾病进程。", "可延緩疾病程序。", "可延緩疾病進程。"),
    ("改善血液循环。", "改善血液迴圈。", "改善血液循環。"),
    ("需要支持治疗。", "需要支援治療。", "需要支持治療。"),
    ("避免食品添加剂。", "避免食品新增劑。", "避免食品添加劑。"),
    ("请完成所有检查项目。", "請完成所有檢查專案。", "請完成所有檢查項目。"),
    ("可抑制T细胞激活。", "可抑制T細胞啟用。", "可抑制T細胞激活。"),
])
def test_mainland_to_taiwan_keeps_the_medical_meaning(shipped, mainland: str, opencc_alone: str,
                                                      taiwan: str) -> None:
    assert opencc.OpenCC("s2twp.json").convert(mainland) == opencc_alone      # the harm, as OpenCC has it
    assert convert_zh(mainland, shipped, src="zh_CN", dst="zh_TW") == taiwan


@pytest.mark.parametrize(("taiwan", "opencc_alone", "mainland"), [
    ("服藥前需要先停用環孢素嗎？", "服药前需要先禁用环孢素吗？", "服药前需要先停用环孢素吗？"),
    ("術後請依照醫療程序換藥。", "术后请依照医疗进程换药。", "术后请依照医疗程序换药。"),
    ("請參考衛教資料。", "请参考卫教数据。", "请参考卫教资料。"),
    ("出現呼吸困難請即時就醫。", "出现呼吸困难请实时就医。", "出现呼吸困难请即时就医。"),
    ("護理師會執行醫囑。", "护理师会运行医嘱。", "护理师会执行医嘱。"),
    ("不舒服時請按鈴呼叫護理師。", "不舒服时请按铃调用护理师。", "不舒服时请按铃呼叫护理师。"),
    ("本週新增病例十例。", "本周添加病例十例。", "本周新增病例十例。"),
    ("請建立規律的服藥習慣。", "请创建规律的服药习惯。", "请建立规律的服药习惯。"),
])
def test_taiwan_to_mainland_keeps_the_medical_meaning(shipped, taiwan: str, opencc_alone: str,
                                                      mainland: str) -> None:
    assert opencc.OpenCC("tw2sp.json").convert(taiwan) == opencc_alone
    assert convert_zh(taiwan, shipped) == mainland


def test_computing_vocabulary_is_still_converted(shipped) -> None:
    assert convert_zh("請更新軟體與記憶體。", shipped) == "请更新软件与内存。"
    assert convert_zh("请更新软件。", shipped, src="zh_CN", dst="zh_TW") == "請更新軟體。"


def test_the_converted_stop_is_not_a_prohibition_for_gl014(shipped) -> None:
    """What OpenCC alone writes is a GL014 error (negation added); what convert writes is clean."""
    msgid = "Should I stop ciclosporin before laser surgery?"
    taiwan = "接受雷射手術之前需要先停用環孢素嗎？"

    def gl014(msgstr: str) -> list:
        e = Entry(msgid=msgid, msgstr=msgstr, path="x.po", line=1, source_locale="en", target_locale="zh_CN")
        return [f for f in check_entries([e], shipped, select=["GL014"])]

    assert gl014(opencc.OpenCC("tw2sp.json").convert(taiwan))
    assert gl014(convert_zh(taiwan, shipped)) == []


def test_l10n_convert_writes_the_kept_word(shipped_project: Path) -> None:
    """Through the CLI: a zh_TW translation saying 停用 gives a zh_CN one saying 停用."""
    tw = shipped_project / "locales/zh_TW/LC_MESSAGES/articles.immunosuppressants.po"
    cn = shipped_project / "locales/zh_CN/LC_MESSAGES/articles.immunosuppressants.po"
    po_tw = polib.pofile(str(tw))
    target = next(e for e in po_tw if e.msgstr and not e.obsolete and len(e.msgstr) > 10)
    target.msgstr = "懷孕前請先與醫師討論是否需要停用本藥。" + target.msgstr
    po_tw.save()
    po_cn = polib.pofile(str(cn))
    cn_entry = next(e for e in po_cn if e.msgid == target.msgid)
    cn_entry.msgstr = ""
    po_cn.save()
    res = CliRunner().invoke(cli, ["convert", "--project", str(shipped_project), "--from", "zh_TW",
                                   "--to", "zh_CN"])
    assert res.exit_code == 0, res.output
    got = next(e for e in polib.pofile(str(cn)) if e.msgid == target.msgid).msgstr
    assert got.startswith("怀孕前请先与医师讨论是否需要停用本药。"), got
    assert "禁用" not in got
