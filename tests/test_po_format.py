"""Catalogs are written the way GNU gettext writes them: msgcat gives them back unchanged."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from l10n import catalogs as cat

REPO = Path(__file__).resolve().parent.parent
SHIPPED = sorted((REPO / "locales").rglob("*.po")) + sorted((REPO / "locales").rglob("*.pot"))


def _msgcat() -> str:
    exe = shutil.which("msgcat")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("msgcat (GNU gettext) is missing; tests/install_system_deps.sh installs it")
        pytest.skip("msgcat not installed")
    return exe


def _through_msgcat(text: str) -> str:
    res = subprocess.run([_msgcat(), "-"], input=text.encode(), capture_output=True, check=True)
    return res.stdout.decode()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_catalog_is_unchanged_by_msgcat(path: Path) -> None:
    text = path.read_text("utf-8")
    assert cat.po_text(cat.read_catalog(str(path))) == text      # our writer reproduces the file
    assert _through_msgcat(text) == text                         # and gettext would write the same


def tricky_catalog() -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Project-Id-Version": "x 1", "Content-Type": "text/plain; charset=UTF-8",
                   "Language": "zh_TW", "Plural-Forms": "nplurals=1; plural=0;"}
    cjk = ("硬皮症是一種罕見的自體免疫疾病（autoimmune disease），患者的免疫系統會攻擊健康的結締組織，"
           "進而引發損傷反應「膠原蛋白」過度生成，0.1%的普特皮。") * 2
    for e in (
        polib.POEntry(msgid='Hello "world"\n\tTab\\ back', msgstr="你好\n世界", tcomment="note\nsecond",
                      comment="p", occurrences=[("source_pages/qa/a-rather-long-page-name.html", str(i))
                                                for i in range(1, 9)]),
        polib.POEntry(msgid="A " * 60, msgstr=cjk, flags=["fuzzy"], previous_msgid="B " * 50,
                      previous_msgctxt="old ctx", msgctxt="ctx"),
        polib.POEntry(msgid="one file", msgid_plural="%d files", msgstr_plural={0: "%d 個檔案"},
                      flags=["c-format"]),
        polib.POEntry(msgid="x/y-z_a:b " * 12 + "https://example.org/long/path-with-hyphens/and/slashes/",
                      msgstr="好"),
        polib.POEntry(msgid="Old sentence " * 8, msgstr=cjk, obsolete=True, tcomment="kept",
                      flags=["fuzzy"], previous_msgid="older " * 15),
    ):
        po.append(e)
    return po


def test_tricky_catalog_is_unchanged_by_msgcat_and_reads_back() -> None:
    po = tricky_catalog()
    text = cat.po_text(po)
    assert _through_msgcat(text) == text
    back = cat.parse_catalog(text, "t.po")
    assert [(e.msgctxt, e.msgid, e.msgstr, e.msgstr_plural, sorted(e.flags), e.obsolete) for e in po] == \
           [(e.msgctxt, e.msgid, e.msgstr, e.msgstr_plural, sorted(e.flags), e.obsolete) for e in back]


def test_long_cjk_lines_are_wrapped_by_display_width() -> None:
    text = cat.po_text(tricky_catalog())
    for line in text.splitlines():
        width = sum(2 if cat._wide(ch) else 1 for ch in line)
        assert width <= 79, line
