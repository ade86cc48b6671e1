"""`l10n convert` writes the words the two regions write differently, which OpenCC leaves as they are.

OpenCC's tw2sp writes Taiwan's tablet, 錠, as 锭; in mainland usage a tablet is 片 and 锭剂 is a
traditional Chinese medicine form. ``l10n/data/regional_words.toml`` lists such words.
"""
from __future__ import annotations

from pathlib import Path

import opencc
import polib
import pytest
from click.testing import CliRunner

from l10n.cli import cli
from l10n.glossary import load_glossary
from l10n.glossary.convert import convert_zh, regional_words

REPO = Path(__file__).resolve().parent.parent
WORDS = regional_words()


@pytest.fixture(scope="module")
def shipped():
    return load_glossary(REPO / "locales" / "glossary.toml")


def test_every_word_is_explained_and_sourced() -> None:
    assert WORDS
    for w in WORDS:
        assert {"zh_TW", "zh_CN", "opencc", "why", "source"} <= set(w) <= {
            "zh_TW", "zh_CN", "opencc", "why", "source", "after_number", "one_way"}, w
        assert w["why"].strip() and w["source"].strip()
        assert w.get("one_way", "zh_TW>zh_CN") in ("zh_TW>zh_CN", "zh_CN>zh_TW")


@pytest.mark.parametrize("word", WORDS, ids=[w["zh_TW"] for w in WORDS])
def test_opencc_alone_writes_the_other_region_s_word(word: dict) -> None:
    """No word is here for nothing: OpenCC's tw2sp writes what the file says, not the mainland word."""
    got = opencc.OpenCC("tw2sp.json").convert(word["zh_TW"])
    assert got == word["opencc"]
    assert got != word["zh_CN"]


@pytest.mark.parametrize(("taiwan", "opencc_alone", "mainland"), [
    ("每次1錠，一天3次，飯後服用。", "每次1锭，一天3次，饭后服用。", "每次1片，一天3次，饭后服用。"),
    ("錠劑：以開水整顆吞服。", "锭剂：以开水整颗吞服。", "片剂：以开水整颗吞服。"),
    ("本品為膜衣錠，請勿咬碎。", "本品为膜衣锭，请勿咬碎。", "本品为薄膜衣片，请勿咬碎。"),
    ("每錠含5毫克。", "每锭含5毫克。", "每片含5毫克。"),
    ("一次半錠至兩錠。", "一次半锭至两锭。", "一次半片至两片。"),
    ("硫唑嘌呤50毫克錠", "硫唑嘌呤50毫克锭", "硫唑嘌呤50毫克片"),
])
def test_examples_zh_tw_to_zh_cn(shipped, taiwan: str, opencc_alone: str, mainland: str) -> None:
    assert opencc.OpenCC("tw2sp.json").convert(taiwan) == opencc_alone
    assert convert_zh(taiwan, shipped, "zh_TW", "zh_CN") == mainland


def test_a_counted_word_changes_only_after_a_number(shipped) -> None:
    """錠 alone (金錠, a name) is not a tablet counted: OpenCC's conversion stands."""
    assert convert_zh("金錠", shipped, "zh_TW", "zh_CN") == "金锭"


@pytest.mark.parametrize(("mainland", "taiwan"), [
    ("每次1片。", "每次1片。"),            # one way: Taiwan counts tablets in 片 too
    ("本品为片剂。", "本品為錠劑。"),
    ("本品为薄膜衣片。", "本品為膜衣錠。"),
])
def test_examples_zh_cn_to_zh_tw(shipped, mainland: str, taiwan: str) -> None:
    assert convert_zh(mainland, shipped, "zh_CN", "zh_TW") == taiwan


def test_the_command_writes_the_mainland_word(tmp_path: Path) -> None:
    """`l10n convert` on a project: the zh_CN catalog gets 片, not OpenCC's 锭."""
    (tmp_path / "source_pages").mkdir()
    (tmp_path / "source_pages" / "p.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Dose</title></head>'
        "<body><p>Take one tablet twice a day.</p></body></html>", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.l10n]\nsource_dir = "source_pages"\nlocales_dir = "locales"\noutput_dir = "site"\n'
        'glossary = "locales/glossary.toml"\n'
        '[tool.l10n.targets]\nen = ["zh_TW", "zh_CN"]\n', encoding="utf-8")
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "glossary.toml").write_bytes((REPO / "locales" / "glossary.toml").read_bytes())
    runner = CliRunner()
    for command in ("extract", "update"):
        result = runner.invoke(cli, [command, "-p", str(tmp_path)])
        assert result.exit_code == 0, result.output
    tw = tmp_path / "locales" / "zh_TW" / "LC_MESSAGES" / "p.po"
    po = polib.pofile(str(tw))
    for e in po:
        if e.msgid == "Take one tablet twice a day.":
            e.msgstr = "每次1錠，一天兩次。"
        elif e.msgid == "Dose":
            e.msgstr = "劑量"
    po.save()
    result = runner.invoke(cli, ["convert", "-p", str(tmp_path)])
    assert result.exit_code == 0, result.output
    cn = {e.msgid: e.msgstr for e in polib.pofile(str(tmp_path / "locales" / "zh_CN" / "LC_MESSAGES" / "p.po"))}
    assert cn["Take one tablet twice a day."] == "每次1片，一天两次。"
