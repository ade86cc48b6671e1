"""Rough edges of the everyday workflow: convert --refresh, accept in bulk, stale locales
(build --prune), and update and build saying what they repaired."""
from __future__ import annotations

from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from l10n.cli import cli
from l10n.config import load_config
from l10n.prune import prune, stale_locales
from l10n.zhconvert import accept_fuzzy

from project_fixture import GUIDE_ZH_TW, make_project, po_path, translate, translate_all


def l10n(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def project(tmp_path) -> Path:
    root = make_project(tmp_path)
    assert l10n("build", "-p", str(root)).exit_code == 0
    translate(po_path(root, "zh_TW", "guide"), GUIDE_ZH_TW)
    return root


def entries(root: Path, loc: str, dom: str) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(po_path(root, loc, dom))) if not e.obsolete}


def set_msgstr(path: Path, msgid: str, msgstr: str) -> None:
    po = polib.pofile(str(path), wrapwidth=79)
    po.find(msgid).msgstr = msgstr
    po.save(str(path))


# -- convert --refresh and accept ------------------------------------------------------------

def test_convert_records_its_source_then_refreshes_what_changed_keeping_reviewer_edits(project) -> None:
    res = l10n("convert", "-p", str(project))
    assert "locales/zh_CN/LC_MESSAGES/guide.po: 6 filled (fuzzy)" in res.stdout
    got = entries(project, "zh_CN", "guide")
    e = got["Ask your doctor."]
    assert e.msgstr == "请询问您的医师。" and "fuzzy" in e.flags
    assert e.tcomment.startswith("l10n-convert: zh_TW ")
    # a reviewer edits one converted entry; the zh_TW translator then changes both sources
    set_msgstr(po_path(project, "zh_CN", "guide"), "A diagram of the skin", "皮肤结构示意图")
    set_msgstr(po_path(project, "zh_TW", "guide"), "Ask your doctor.", "請諮詢您的醫師。")
    set_msgstr(po_path(project, "zh_TW", "guide"), "A diagram of the skin", "皮膚結構圖")
    again = l10n("convert", "-p", str(project))
    assert "guide.po: 0 filled" in again.stdout                     # without --refresh: nothing
    assert entries(project, "zh_CN", "guide")["Ask your doctor."].msgstr == "请询问您的医师。"
    res = l10n("convert", "-p", str(project), "--refresh")
    assert "locales/zh_CN/LC_MESSAGES/guide.po: 0 filled, 1 refreshed (fuzzy)" in res.stdout
    got = entries(project, "zh_CN", "guide")
    assert got["Ask your doctor."].msgstr == "请咨询您的医师。" and "fuzzy" in got["Ask your doctor."].flags
    kept = got["A diagram of the skin"]
    assert kept.msgstr == "皮肤结构示意图"                                          # the reviewer's
    line = po_path(project, "zh_CN", "guide").read_text("utf-8").split("\n").index('msgid "A diagram of the skin"') + 1
    assert res.stderr.strip() == (f"locales/zh_CN/LC_MESSAGES/guide.po:{line}: kept: edited by a "
                                  "reviewer, but its zh_TW text has changed since it was converted; review it")
    # refreshed again with nothing changed: nothing to do
    assert "0 refreshed" in l10n("convert", "-p", str(project), "--refresh").stdout


def test_convert_accept_accepts_earlier_unedited_conversions(project) -> None:
    l10n("convert", "-p", str(project))
    set_msgstr(po_path(project, "zh_CN", "guide"), "Ask your doctor.", "请向医师咨询。")     # reviewer's edit
    res = l10n("convert", "-p", str(project), "--accept")
    assert "locales/zh_CN/LC_MESSAGES/guide.po: 0 filled, 5 accepted" in res.stdout
    got = entries(project, "zh_CN", "guide")
    assert "fuzzy" in got["Ask your doctor."].flags                 # edited: left for the reviewer
    assert "fuzzy" not in got["Skin care guide"].flags


def test_accept_in_bulk_by_locale_domain_and_origin(project) -> None:
    l10n("convert", "-p", str(project))
    cfg = load_config(project)
    # a fuzzy entry from msgmerge-like matching (not from convert) in another catalog
    p = po_path(project, "en", "qa.ask")
    po = polib.pofile(str(p), wrapwidth=79)
    e = po.find("醫療問答")
    e.msgstr, e.flags, e.previous_msgid = "Medical Q&A", ["fuzzy"], "醫療問題"
    po.save(str(p))
    assert [r.accepted for r in accept_fuzzy(cfg, ["en"], origin="convert")] == [0]
    res = l10n("accept", "-p", str(project), "-l", "zh_CN", "--domain", "guide")
    assert res.stdout.strip() == "locales/zh_CN/LC_MESSAGES/guide.po: 6 accepted; 6 translated messages."
    assert "fuzzy" in entries(project, "zh_CN", "qa.ask")["醫療問答"].flags      # another domain: untouched
    res = l10n("accept", "-p", str(project), "-l", "en")
    e = entries(project, "en", "qa.ask")["醫療問答"]
    assert "fuzzy" not in e.flags and e.previous_msgid is None
    bad = l10n("accept", "-p", str(project), "-l", "zh_CN", "--domain", "nope")
    assert bad.exit_code == 2 and "no catalog of domain 'nope'" in bad.stderr


# -- stale locales ------------------------------------------------------------------------------

def drop_zh_cn(root: Path) -> None:
    pp = root / "pyproject.toml"
    pp.write_text(pp.read_text().replace('en = ["zh_TW", "zh_CN"]', 'en = ["zh_TW"]')
                  .replace('zh_TW = ["en", "zh_CN"]', 'zh_TW = ["en"]'), "utf-8")


def test_a_removed_locale_is_reported_then_pruned(tmp_path) -> None:
    root = make_project(tmp_path)
    assert l10n("build", "-p", str(root)).exit_code == 0
    translate_all(root)
    assert l10n("build", "-p", str(root)).exit_code == 0
    assert (root / "site" / "zh_CN").is_dir()
    drop_zh_cn(root)
    cfg = load_config(root)
    stale = stale_locales(cfg)
    assert [(s.locale, len(s.catalogs), len(s.mo_files)) for s in stale] == [("zh_CN", 2, 2)]
    assert stale[0].folders == (root / "locales" / "zh_CN", root / "site" / "zh_CN")
    res = l10n("build", "-p", str(root))
    assert res.exit_code == 0
    assert ("warning: locale zh_CN is no longer a target: 2 catalog(s), 2 .mo file(s) in locales/zh_CN/ and "
            "site/zh_CN/; `l10n build --prune` removes them") in res.stderr
    assert (root / "locales" / "zh_CN").is_dir()                      # reported, not removed
    assert "in 2 catalog(s)" in l10n("check", "-p", str(root)).stderr          # no longer checked
    assert "zh_CN" not in l10n("compile", "-p", str(root)).output           # nor compiled
    res = l10n("build", "-p", str(root), "--prune")
    assert res.stdout.splitlines()[:2] == ["removed locales/zh_CN/ (locale no longer in the settings)",
                                          "removed site/zh_CN/ (locale no longer in the settings)"]
    assert not (root / "locales" / "zh_CN").exists() and not (root / "site" / "zh_CN").exists()
    assert stale_locales(cfg) == [] and prune(cfg) == []
    assert "warning" not in l10n("build", "-p", str(root)).stderr


def test_folders_not_named_like_a_locale_are_never_stale(tmp_path) -> None:
    root = make_project(tmp_path)
    assert l10n("build", "-p", str(root)).exit_code == 0
    (root / "site" / "assets").mkdir(exist_ok=True)
    (root / "locales" / "notes" / "LC_MESSAGES").mkdir(parents=True)
    assert stale_locales(load_config(root)) == []


# -- update says what it repaired --------------------------------------------------------------

def test_update_names_an_entry_whose_msgstr_line_was_deleted(tmp_path) -> None:
    root = make_project(tmp_path)
    assert l10n("build", "-p", str(root)).exit_code == 0
    translate_all(root)
    p = po_path(root, "zh_TW", "guide")
    lines = p.read_text("utf-8").split("\n")
    i = lines.index('msgid "Ask your doctor."')
    assert lines[i + 1].startswith("msgstr ")
    del lines[i + 1]
    p.write_text("\n".join(lines), "utf-8")
    res = l10n("update", "-p", str(root), "-l", "zh_TW")
    assert res.exit_code == 0
    assert res.stderr.strip() == (f"locales/zh_TW/LC_MESSAGES/guide.po:{i + 1}: repaired: msgid \"Ask your "
                                  "doctor.\" had no msgstr line; written back with an empty msgstr (untranslated)")
    assert entries(root, "zh_TW", "guide")["Ask your doctor."].msgstr == ""
    again = l10n("update", "-p", str(root), "-l", "zh_TW")
    assert "repaired" not in again.stderr


@pytest.mark.parametrize("force", [False, True], ids=["incremental", "force"])
def test_build_names_an_entry_whose_msgstr_line_was_deleted_as_update_does(tmp_path, force) -> None:
    from l10n.project import build
    from l10n.repair import Repair
    root = make_project(tmp_path)
    assert l10n("build", "-p", str(root)).exit_code == 0
    translate_all(root)
    assert l10n("build", "-p", str(root)).exit_code == 0
    for loc in ("zh_TW", "zh_CN"):                 # two catalogs damaged
        p = po_path(root, loc, "guide")
        lines = p.read_text("utf-8").split("\n")
        i = next(j for j, ln in enumerate(lines) if ln == 'msgid "Ask your doctor."')
        del lines[i + 1]
        p.write_text("\n".join(lines), "utf-8")
    res = l10n("build", "-p", str(root), *(["--force"] if force else []))
    assert res.exit_code == 0, res.output
    say = ("locales/{}/LC_MESSAGES/guide.po:{}: repaired: msgid \"Ask your doctor.\" had no msgstr line; "
           "written back with an empty msgstr (untranslated)")
    assert [ln for ln in res.stderr.splitlines() if "repaired" in ln] == [say.format("zh_TW", i + 1),
                                                                        say.format("zh_CN", i + 1)]
    for loc in ("zh_TW", "zh_CN"):
        assert entries(root, loc, "guide")["Ask your doctor."].msgstr == ""
    again = l10n("build", "-p", str(root))
    assert "repaired" not in again.stderr
    # through the library: the report carries them, for this build only
    p = po_path(root, "zh_TW", "guide")
    text = p.read_text("utf-8")
    damaged = text.replace('msgid "Skin care guide"\nmsgstr "皮膚照護指南"\n', 'msgid "Skin care guide"\n')
    assert damaged != text
    p.write_text(damaged, "utf-8")
    (line,) = [n for n, ln in enumerate(damaged.split("\n"), 1) if ln == 'msgid "Skin care guide"']
    cfg = load_config(root)
    rep = build(cfg, jobs=1)
    assert rep.repairs == (Repair("locales/zh_TW/LC_MESSAGES/guide.po", line, "Skin care guide"),)
    assert build(cfg, jobs=1).repairs == ()


def test_missing_msgstr_reads_text_and_bytes_alike_plural_entries_included() -> None:
    from l10n.repair import missing_msgstr
    whole = ('msgid ""\nmsgstr ""\n"Language: zh_TW\\n"\n\nmsgid "one day"\nmsgid_plural "%d days"\n'
             'msgstr[0] "%d 天"\n\nmsgid "醫師您好"\nmsgstr "Hello doctor"\n\n#~ msgid "gone"\n#~ msgstr "舊"\n')
    assert missing_msgstr(whole) == missing_msgstr(whole.encode()) == []
    damaged = whole.replace('msgstr "Hello doctor"\n', "")
    assert missing_msgstr(damaged) == missing_msgstr(damaged.encode()) == [(9, "醫師您好")]
    no_plural_form = whole.replace('msgstr[0] "%d 天"\n', "")
    assert missing_msgstr(no_plural_form.encode()) == [(5, "one day")]
