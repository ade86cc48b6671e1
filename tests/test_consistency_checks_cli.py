"""`l10n check` end to end with GL020-GL027 errors planted in a copy of the shipped project.

Each planted error is reported once, with its code, severity and the catalog line of its
msgid; the shipped catalogs themselves stay clean (tests/test_check_cli.py).
"""
from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from l10n.catalogs import read_catalog
from l10n.cli import cli

TW = "locales/zh_TW/LC_MESSAGES"
MORPHEA = f"{TW}/articles.morphea.po"
MMF = f"{TW}/articles.mycophenolate-mofetil.po"
IMMUNO = f"{TW}/articles.immunosuppressants.po"


MINE = [f"GL02{n}" for n in range(8)]


def opt(name: str, codes: list[str]) -> list[str]:
    return [x for code in codes for x in (name, code)]


def run(project: Path, *args: str):
    return CliRunner().invoke(cli, ["check", "--project", str(project), *args], catch_exceptions=False)


def _edit(project: Path, rel: str, change) -> None:  # type: ignore[no-untyped-def]
    po = polib.pofile(str(project / rel), wrapwidth=79)
    change(po)
    po.save()


def _line(project: Path, rel: str, msgid: str) -> int:
    po = read_catalog(str(project / rel), plural_count=False)
    return next(e.linenum for e in po if e.msgid == msgid and not e.obsolete)


def _translated(po: polib.POFile, n: int) -> list[polib.POEntry]:
    return [e for e in po if e.msgstr and not e.obsolete and "<" not in e.msgid][:n]


@pytest.fixture()
def planted(shipped_project: Path) -> tuple[Path, dict[str, tuple[str, str, str]]]:
    """The shipped project with one error per rule: code -> (catalog, msgid, severity)."""
    p = shipped_project
    want: dict[str, tuple[str, str, str]] = {}

    def inconsistent(po: polib.POFile) -> None:              # GL020: "Main menu" differs in one page only
        e = po.find("Main menu")
        e.msgstr = "主要選單"
    _edit(p, MORPHEA, inconsistent)
    want["GL020"] = (MORPHEA, "Main menu", "warning")

    picked: dict[str, polib.POEntry] = {}

    def others(po: polib.POFile) -> None:
        # five page-specific entries of one catalog (not shared with the other pages)
        shared = {e.msgid for e in polib.pofile(str(p / MORPHEA))}
        mine = [e for e in _translated(po, 200) if e.msgid not in shared and len(e.msgid) > 12]
        c = next(e for e in mine if e.msgid.count(" ") >= 4 and e.msgid.endswith((".", "?")))   # a sentence
        a, b, d, f, g = [e for e in mine if e is not c][:5]
        b.msgstr = a.msgstr                                       # GL021: one translation, two sources
        c.msgstr = c.msgid                                        # GL022: English left as is
        d.msgstr = d.msgstr + "請見 www.example.org。"              # GL023: a URL the msgid has not
        f.msgstr = f.msgstr + " "                                 # GL024: trailing space added
        g.msgstr = "「" + g.msgstr                                 # GL026: a corner quote never closed
        picked.update(GL021=b, GL022=c, GL023=d, GL024=f, GL026=g)
        po.append(polib.POEntry(msgid="one tablet", msgid_plural="{n} tablets",   # GL027: 2 forms, nplurals=1
                                msgstr_plural={0: "{n} 顆藥錠", 1: "{n} 顆藥錠"}))
    _edit(p, MMF, others)
    for code, sev in (("GL021", "warning"), ("GL022", "warning"), ("GL023", "error"), ("GL024", "warning"),
                      ("GL026", "warning")):
        want[code] = (MMF, picked[code].msgid, sev)
    want["GL027"] = (MMF, "one tablet", "error")

    def doubled(po: polib.POFile) -> None:
        e = next(e for e in _translated(po, 200) if "的" in e.msgstr and "的的" not in e.msgstr)
        e.msgstr = e.msgstr.replace("的", "的的", 1)
        picked["GL025"] = e
    _edit(p, IMMUNO, doubled)
    want["GL025"] = (IMMUNO, picked["GL025"].msgid, "warning")
    return p, want


def test_each_planted_error_is_reported_once_at_its_line(planted) -> None:
    project, want = planted
    res = run(project, *opt("--select", MINE), "--format", "json")    # (GL021's copy also breaks GL001 there)
    assert res.exit_code == 1, res.output               # GL023 and GL027 are errors
    found = json.loads(res.stdout)
    got = {f["code"]: f for f in found}
    assert sorted(f["code"] for f in found) == sorted(want), [(f["code"], f["message"]) for f in found]
    for code, (rel, msgid, sev) in want.items():
        f = got[code]
        assert (f["path"], f["line"], f["severity"]) == (rel, _line(project, rel, msgid), sev), (code, f)
    assert "nplurals=1" in got["GL027"]["message"]
    assert "主選單" in got["GL020"]["message"]          # names the reference translation


def test_text_report_and_rule_docs(planted) -> None:
    project, _ = planted
    res = run(project, "--select", "GL020", "--select", "GL027")
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert any(ln.startswith(f"{MORPHEA}:") and " GL020 warning: inconsistent translation" in ln for ln in lines)
    assert any(ln.startswith(f"{MMF}:") and " GL027 error: 2 plural forms" in ln for ln in lines)
    for code in [f"GL02{n}" for n in range(8)]:
        doc = CliRunner().invoke(cli, ["rules", code])
        assert doc.exit_code == 0 and doc.output.startswith(code) and "Anti-pattern:" in doc.output


def test_ignoring_a_rule_and_opting_an_entry_out(planted) -> None:
    project, want = planted
    res = run(project, *opt("--select", MINE), "--ignore", "GL023", "--ignore", "GL027", "--format", "json")
    assert res.exit_code == 0                            # warnings only: exit 0 at fail_on = error
    assert sorted(f["code"] for f in json.loads(res.stdout)) == sorted(set(want) - {"GL023", "GL027"})

    def accept(po: polib.POFile) -> None:
        po.find("Main menu").tcomment = "l10n: ignore GL020"
    _edit(project, MORPHEA, accept)
    res = run(project, "--select", "GL020")
    assert res.exit_code == 0 and "0 finding(s)" in res.output


def test_plural_count_is_a_finding_for_check_and_a_refusal_for_compile(planted) -> None:
    project, _ = planted
    res = run(project, "--select", "GL027")
    assert res.exit_code == 1 and "GL027 error" in res.output
    comp = CliRunner().invoke(cli, ["compile", "--project", str(project)])
    assert comp.exit_code == 2
    assert "nplurals=1" in comp.output and MMF in comp.output


def test_untranslated_is_listed_only_when_gl022_is_selected(shipped_project: Path) -> None:
    project = shipped_project
    emptied: list[str] = []

    def empty(po: polib.POFile) -> None:
        e = _translated(po, 1)[0]
        e.msgstr = ""
        emptied.append(e.msgid)
    _edit(project, MORPHEA, empty)
    default = run(project)
    assert default.exit_code == 0 and "0 finding(s)" in default.output
    asked = run(project, "--select", "GL022", "--format", "json")
    assert asked.exit_code == 0                           # info does not fail at fail_on = error
    found = json.loads(asked.stdout)
    assert [(f["code"], f["severity"], f["path"], f["msgid"]) for f in found] == \
        [("GL022", "info", MORPHEA, emptied[0])]
    strict = run(project, "--select", "GL022", "--fail-on", "info")
    assert strict.exit_code == 1
