"""The ``l10n`` command: exit codes, messages, and what it writes (or does not)."""
from __future__ import annotations

import json
import re
import subprocess

import polib
import pytest
from click.testing import CliRunner

from l10n.cli import cli

from project_fixture import (ASK_EN, GUIDE_ZH_TW, L10N_BIN, changed, make_project, mo_path, po_path,
                             snapshot, translate, translate_all)

COMMANDS = ["extract", "update", "compile", "render", "build", "stats"]


def l10n(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def project(tmp_path):
    root = make_project(tmp_path)
    assert l10n("build", "-p", str(root)).exit_code == 0
    return root


def one_error_line(res) -> str:
    """The single ``l10n: error:`` line of a bad-input run (exit 2, nothing on stdout)."""
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("l10n: error: ")
    assert res.stdout == ""
    return lines[0]


# -- help ---------------------------------------------------------------------------------

def test_help_lists_every_command():
    res = l10n("--help")
    assert res.exit_code == 0
    for c in COMMANDS:
        assert re.search(rf"^\s+{c}\b", res.stdout, re.M), c


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help(command):
    res = l10n(command, "--help")
    assert res.exit_code == 0
    assert res.stdout.startswith(f"Usage: cli {command}") or res.stdout.startswith(f"Usage: l10n {command}")
    assert "--project" in res.stdout


def test_help_and_version_from_the_installed_script(tmp_path):
    res = subprocess.run([str(L10N_BIN), "--help"], capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0 and "extract" in res.stdout and res.stdout.startswith("Usage: l10n")
    res = subprocess.run([str(L10N_BIN), "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0 and re.fullmatch(r"l10n, version \S+\n", res.stdout)


# -- build ---------------------------------------------------------------------------------

def test_build_reports_each_stage(tmp_path):
    root = make_project(tmp_path)
    res = l10n("build", "-p", str(root))
    assert res.exit_code == 0
    assert res.stdout.splitlines()[:3] == ["extract: 2 templates, 2 written",
                                           "update:  4 catalogs, 4 written",
                                           "compile: 4 catalogs, 0 errors"]


def test_build_twice_gives_byte_identical_locales_and_site(project):
    translate_all(project)
    assert l10n("build", "-p", str(project)).exit_code == 0
    first = snapshot(project, "locales", "site")
    res = l10n("build", "-p", str(project))
    assert res.exit_code == 0
    assert changed(first, snapshot(project, "locales", "site")) == []
    assert "0 files written" in res.stdout


# -- extract --check ------------------------------------------------------------------------

def test_extract_check_is_0_when_up_to_date_and_1_when_a_page_changed(project):
    before = snapshot(project)
    res = l10n("extract", "--check", "-p", str(project))
    assert (res.exit_code, res.stdout) == (0, "")
    page = project / "source_pages/guide.html"
    page.write_text(page.read_text("utf-8").replace("Ask your doctor.", "Ask a doctor."), "utf-8")
    before = snapshot(project)
    res = l10n("extract", "--check", "-p", str(project))
    assert res.exit_code == 1
    assert res.stdout == "locales/templates/guide.pot: out of date with its page\n"
    assert changed(before, snapshot(project)) == []          # writes nothing


def test_extract_check_sees_a_new_and_a_removed_page(project):
    (project / "source_pages/new.html").write_text(
        '<html lang="en"><head><title>New page</title></head><body></body></html>', "utf-8")
    (project / "source_pages/qa/ask.html").unlink()
    before = snapshot(project)
    res = l10n("extract", "--check", "-p", str(project))
    assert res.exit_code == 1
    assert sorted(res.stdout.splitlines()) == ["locales/templates/new.pot: out of date with its page",
                                               "locales/templates/qa.ask.pot: out of date with its page"]
    assert changed(before, snapshot(project)) == []


def test_extract_writes_then_check_passes(project):
    page = project / "source_pages/guide.html"
    page.write_text(page.read_text("utf-8").replace("Ask your doctor.", "Ask a doctor."), "utf-8")
    res = l10n("extract", "-p", str(project))
    assert res.exit_code == 0 and res.stdout == "wrote locales/templates/guide.pot\n"
    assert l10n("extract", "--check", "-p", str(project)).exit_code == 0


# -- --project and the current folder ----------------------------------------------------------

def test_project_option_from_another_folder(tmp_path):
    root = make_project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    res = subprocess.run([str(L10N_BIN), "build", "--project", str(root)], capture_output=True,
                         text=True, cwd=elsewhere)
    assert res.returncode == 0, res.stderr
    assert (root / "locales/templates/guide.pot").is_file() and (root / "site/en/guide.html").is_file()
    assert list(elsewhere.iterdir()) == []
    # from a folder inside the project, no --project is needed
    res = subprocess.run([str(L10N_BIN), "stats"], capture_output=True, text=True,
                         cwd=root / "source_pages" / "qa")
    assert res.returncode == 0 and "source_pages/guide.html" in res.stdout
    # outside any project, a clear error
    res = subprocess.run([str(L10N_BIN), "stats"], capture_output=True, text=True, cwd=elsewhere)
    assert res.returncode == 2 and res.stderr.startswith("l10n: error: ")
    assert "--project" in res.stderr and len(res.stderr.splitlines()) == 1


# -- update -l ------------------------------------------------------------------------------

def test_update_one_locale_only_touches_it(project):
    page = project / "source_pages/qa/ask.html"
    page.write_text(page.read_text("utf-8").replace("醫療問答", "醫療問與答"), "utf-8")
    assert l10n("extract", "-p", str(project)).exit_code == 0
    before = snapshot(project)
    res = l10n("update", "-l", "zh_CN", "-p", str(project))
    assert res.exit_code == 0
    assert changed(before, snapshot(project)) == ["locales/zh_CN/LC_MESSAGES/qa.ask.po"]
    assert res.stdout.splitlines() == [
        "locales/zh_CN/LC_MESSAGES/guide.po: unchanged; 0 translated messages, 6 untranslated messages.",
        "locales/zh_CN/LC_MESSAGES/qa.ask.po: updated; 0 translated messages, 4 untranslated messages."]


@pytest.mark.parametrize("command", ["update", "compile", "stats"])
def test_unknown_locale_is_exit_2_with_a_clear_line(project, command):
    before = snapshot(project)
    line = one_error_line(l10n(command, "-l", "fr_FR", "-p", str(project)))
    assert "'fr_FR' is not a target locale of this project (known: en, zh_TW, zh_CN)" in line
    assert line.startswith("l10n: error: pyproject.toml: ")
    assert changed(before, snapshot(project)) == []


# -- compile ----------------------------------------------------------------------------------

def test_compile_placeholder_error_exits_1_naming_path_and_line(project):
    for p in (project / "locales").rglob("*.mo"):
        p.unlink()
    bad = dict(GUIDE_ZH_TW, **{"Read <a1>the questions</a1> first.": "請先閱讀</a1>問答<a1>。"})
    translate(po_path(project, "zh_TW", "guide"), bad)
    translate(po_path(project, "en", "qa.ask"), ASK_EN)
    res = l10n("compile", "-p", str(project))
    assert res.exit_code == 1
    lines = po_path(project, "zh_TW", "guide").read_text("utf-8").splitlines()
    n = lines.index('msgid "Read <a1>the questions</a1> first."') + 1
    err = res.stderr.splitlines()
    assert err[0].startswith(f"locales/zh_TW/LC_MESSAGES/guide.po:{n}: placeholder: </a1> closes a tag")
    assert err[-1] == "locales/zh_TW/LC_MESSAGES/guide.po: 2 error(s); no .mo written"
    assert not mo_path(project, "zh_TW", "guide").exists()
    assert "locales/en/LC_MESSAGES/qa.ask.po: 4 translated messages." in res.stdout.splitlines()
    for loc, dom in (("zh_CN", "guide"), ("en", "qa.ask"), ("zh_CN", "qa.ask")):
        assert mo_path(project, loc, dom).is_file()


def test_compile_statistics_like_msgfmt(project):
    po = polib.pofile(str(po_path(project, "zh_TW", "guide")))
    for i, e in enumerate(po):
        e.msgstr = GUIDE_ZH_TW[e.msgid] if i < 4 else ""
        if i == 3:
            e.flags.append("fuzzy")
    po.save()
    res = l10n("compile", "-l", "zh_TW", "-p", str(project))
    assert res.exit_code == 0
    assert res.stdout == ("locales/zh_TW/LC_MESSAGES/guide.po: 3 translated messages, 1 fuzzy translation, "
                          "2 untranslated messages.\n")


# -- render and the threshold -------------------------------------------------------------------

def test_render_holds_back_a_page_below_threshold_loudly(project):
    translate_all(project)
    assert l10n("build", "-p", str(project)).exit_code == 0
    assert (project / "site/zh_TW/guide.html").is_file()
    po = polib.pofile(str(po_path(project, "zh_TW", "guide")))
    for e in po:
        if e.msgid in ("Skin care guide", "A diagram of the skin"):
            e.msgstr = ""
    po.save()
    assert l10n("compile", "-p", str(project)).exit_code == 0
    res = l10n("render", "-p", str(project))
    assert res.exit_code == 0
    assert "NOT PUBLISHED: zh_TW/guide.html is 57.1% translated (threshold 80%)" in res.stderr
    assert res.stdout.startswith("5 pages published, 1 held back")
    assert not (project / "site/zh_TW/guide.html").exists()


# -- stats --------------------------------------------------------------------------------------

def test_stats_text_and_json(project):
    translate(po_path(project, "zh_TW", "guide"), GUIDE_ZH_TW)
    translate(po_path(project, "en", "qa.ask"), {"醫療問答": "Medical Q&A"})
    res = l10n("stats", "-p", str(project))
    assert res.exit_code == 0
    assert res.stdout.splitlines() == [
        "en      25.0%  source_pages/qa/ask.html  (1 translated message, 3 untranslated messages.)",
        "zh_CN    0.0%  source_pages/guide.html  (0 translated messages, 6 untranslated messages.)",
        "zh_CN    0.0%  source_pages/qa/ask.html  (0 translated messages, 4 untranslated messages.)",
        "zh_TW  100.0%  source_pages/guide.html  (6 translated messages.)"]
    rows = json.loads(l10n("stats", "--format", "json", "-l", "zh_TW", "-p", str(project)).stdout)
    assert rows == [{"page": "source_pages/guide.html", "locale": "zh_TW",
                     "catalog": "locales/zh_TW/LC_MESSAGES/guide.po", "translated": 6, "fuzzy": 0,
                     "untranslated": 0, "percent": 100.0}]


# -- bad input: exit 2, one line naming the file, nothing written -------------------------------

@pytest.mark.parametrize("data,message", [
    (b"just some notes, no markup\n", "source_pages/notes.html:1: no HTML markup"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", "source_pages/notes.html: binary file"),
    (b"", "source_pages/notes.html: empty file"),
    ('<html lang="en"><body><p>caf\xe9</p></body></html>'.encode("latin-1"), "source_pages/notes.html:1: bytes"),
    (b"<html>\n<body><p>No language</p></body></html>", "source_pages/notes.html:1: <html> has no lang"),
    (b'<html lang="fr"><body><p>Bonjour</p></body></html>', "source_pages/notes.html:1: <html lang=\"fr\">"),
])
@pytest.mark.parametrize("command", ["build", "extract"])
def test_a_page_that_is_not_html(project, data, message, command):
    (project / "source_pages/notes.html").write_bytes(data)
    before = snapshot(project)
    line = one_error_line(l10n(command, "-p", str(project)))
    assert line.startswith(f"l10n: error: {message}"), line
    assert changed(before, snapshot(project)) == []


@pytest.mark.parametrize("text,line_no", [
    ('msgid "a"\nmsgstr "unterminated\n', 2),
    ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 4),
    ("<html>not a catalog</html>\n", 1),
])
@pytest.mark.parametrize("command", ["build", "update", "compile", "stats"])
def test_an_unreadable_po(project, text, line_no, command):
    page = project / "source_pages/guide.html"          # give build something it would write
    page.write_text(page.read_text("utf-8").replace("Ask your doctor.", "Ask a doctor."), "utf-8")
    po_path(project, "zh_CN", "qa.ask").write_text(text, "utf-8")
    before = snapshot(project)
    line = one_error_line(l10n(command, "-p", str(project)))
    assert re.match(rf"l10n: error: \S*locales/zh_CN/LC_MESSAGES/qa\.ask\.po:{line_no}: ", line), line
    assert changed(before, snapshot(project)) == []


def test_a_binary_po(project):
    po_path(project, "zh_CN", "qa.ask").write_bytes(b"\x00\x01\x02")
    before = snapshot(project)
    line = one_error_line(l10n("build", "-p", str(project)))
    assert "qa.ask.po: binary file" in line
    assert changed(before, snapshot(project)) == []


def test_a_missing_source_folder(tmp_path):
    root = make_project(tmp_path)
    pp = root / "pyproject.toml"
    pp.write_text(pp.read_text("utf-8").replace('source_dir = "source_pages"', 'source_dir = "pages"'), "utf-8")
    before = snapshot(root)
    for command in ("build", "extract", "render"):
        line = one_error_line(l10n(command, "-p", str(root)))
        assert line == "l10n: error: pages: source folder does not exist"
    assert changed(before, snapshot(root)) == []


def test_a_missing_project_folder(tmp_path):
    line = one_error_line(l10n("build", "-p", str(tmp_path / "nope")))
    assert str(tmp_path / "nope") in line and "does not exist" in line


def test_a_bad_config_names_pyproject_and_line(tmp_path):
    root = make_project(tmp_path)
    pp = root / "pyproject.toml"
    pp.write_text(pp.read_text("utf-8").replace("threshold = 80", "threshold = 180"), "utf-8")
    line = one_error_line(l10n("build", "-p", str(root)))
    n = pp.read_text("utf-8").splitlines().index("threshold = 180") + 1
    assert line == f"l10n: error: {pp}:{n}: threshold must be a number from 0 to 100"
    assert not (root / "locales").exists() and not (root / "site").exists()

