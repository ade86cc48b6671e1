"""`l10n convert` and `l10n glossary export/import` through the CLI."""
from __future__ import annotations

from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from l10n.cli import cli
from l10n.glossary import load_glossary

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture()
def project(shipped_project: Path) -> Path:
    return shipped_project


def _blank(po_path: Path, contains: str) -> list[str]:
    po = polib.pofile(str(po_path))
    blanked = []
    for e in po:
        if contains in e.msgid or contains in e.msgstr:
            e.msgstr = ""
            blanked.append(e.msgid)
    po.save()
    return blanked


def test_convert_fills_zh_cn_from_a_zh_tw_page_with_mainland_terms(project: Path) -> None:
    po_path = project / "locales/zh_CN/LC_MESSAGES/qa.localized-scleroderma-medication.po"
    blanked = _blank(po_path, "普特彼")
    assert blanked
    res = CliRunner().invoke(cli, ["convert", "--project", str(project), "--from", "zh_TW", "--to", "zh_CN"])
    assert res.exit_code == 0, res.output
    po = polib.pofile(str(po_path))
    for e in po:
        if e.msgid in blanked:
            assert "fuzzy" in e.flags
            assert "普特彼" in e.msgstr and "普特皮" not in e.msgstr   # OpenCC alone would keep 普特皮
            assert "硬皮症" not in e.msgstr


def test_convert_fills_from_the_zh_tw_translation_of_an_english_page(project: Path) -> None:
    po_path = project / "locales/zh_CN/LC_MESSAGES/articles.immunosuppressants.po"
    blanked = _blank(po_path, "scleroderma")
    assert blanked
    res = CliRunner().invoke(cli, ["convert", "--project", str(project), "--accept"])
    assert res.exit_code == 0, res.output
    po = polib.pofile(str(po_path))
    filled = [e for e in po if e.msgid in blanked]
    assert filled and all(e.msgstr and "fuzzy" not in e.flags for e in filled)
    assert any("硬皮病" in e.msgstr for e in filled)
    assert not any("硬皮症" in e.msgstr for e in filled)


def test_convert_unknown_locale_is_bad_input(project: Path) -> None:
    res = CliRunner().invoke(cli, ["convert", "--project", str(project), "--to", "fr"])
    assert res.exit_code == 2 and "fr" in res.output


def test_glossary_tbx_and_csv_round_trip_through_the_cli(project: Path, tmp_path: Path) -> None:
    r = CliRunner()
    original = load_glossary(project / "locales/glossary.toml")
    for fmt in ("tbx", "csv"):
        out = tmp_path / f"g.{fmt}"
        assert r.invoke(cli, ["glossary", "export", "--project", str(project), "--format", fmt,
                              "-o", str(out)]).exit_code == 0
        dest = tmp_path / f"back-{fmt}.toml"
        res = r.invoke(cli, ["glossary", "import", "--project", str(project), str(out), "-o", str(dest)])
        assert res.exit_code == 0, res.output
        assert load_glossary(dest).concepts == original.concepts


def test_glossary_import_refuses_external_entities(project: Path, tmp_path: Path) -> None:
    bad = tmp_path / "xxe.tbx"
    bad.write_text('<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                   '<martif type="TBX"><text><body><termEntry id="a"><langSet xml:lang="en">'
                   '<tig><term>&x;</term></tig></langSet></termEntry></body></text></martif>', "utf-8")
    dest = tmp_path / "out.toml"
    res = CliRunner().invoke(cli, ["glossary", "import", "--project", str(project), str(bad), "-o", str(dest)])
    assert res.exit_code == 2 and "xxe.tbx" in res.output
    assert not dest.exists()
