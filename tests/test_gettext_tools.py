"""What l10n writes, GNU gettext and Python's gettext module read.

A fresh ``l10n build`` of a copy of the repository's project (pyproject.toml,
source_pages/, locales/) must give templates and catalogs that ``msgfmt -c``
accepts, with the same statistics msgfmt counts, and .mo files that Python's
gettext reads and that hold what msgfmt itself would compile.
"""
from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from l10n import catalogs as cat
from l10n.config import load_config
from l10n.project import build

from project_fixture import REPO, make_project, po_path, translate_all

MSGFMT = shutil.which("msgfmt")


@pytest.fixture(scope="module")
def msgfmt() -> str:
    if MSGFMT is None:
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext's msgfmt is not installed (tests/install_system_deps.sh installs it)")
        pytest.skip("GNU gettext's msgfmt is not installed")
    return MSGFMT


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("repo") / "project"
    root.mkdir()
    shutil.copy2(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(REPO / "source_pages", root / "source_pages")
    shutil.copytree(REPO / "locales", root / "locales")
    rep = build(load_config(root))
    assert all(not r.errors for r in rep.compile), [e for r in rep.compile for e in r.errors]
    return root


def catalogs(root: Path) -> list[Path]:
    return sorted((root / "locales").rglob("*.pot")) + sorted((root / "locales").rglob("*.po"))


def run_msgfmt(msgfmt: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([msgfmt, *args], capture_output=True, text=True,
                          env={**os.environ, "LC_ALL": "C", "LANGUAGE": ""})


def test_the_repo_copy_has_templates_and_catalogs(repo_copy):
    pots = sorted((repo_copy / "locales" / "templates").glob("*.pot"))
    pages = sorted((repo_copy / "source_pages").rglob("*.html"))
    assert len(pots) == len(pages) >= 6
    assert len(sorted((repo_copy / "locales").rglob("*.po"))) >= len(pages) * 2


def test_msgfmt_check_accepts_every_template_and_catalog(repo_copy, msgfmt):
    for p in catalogs(repo_copy):
        r = run_msgfmt(msgfmt, "-c", "-o", os.devnull, str(p))
        assert r.returncode == 0, f"{p.relative_to(repo_copy)}:\n{r.stderr}"


def test_our_statistics_match_msgfmt(repo_copy, msgfmt):
    for p in sorted((repo_copy / "locales").rglob("*.po")):
        r = run_msgfmt(msgfmt, "--statistics", "-o", os.devnull, str(p))
        theirs = r.stderr.strip().splitlines()[-1]
        ours = cat.stats(cat.read_catalog(str(p))).msgfmt_line()
        assert ours == theirs, p.name


def test_python_gettext_reads_every_mo(repo_copy):
    mos = sorted((repo_copy / "locales").rglob("*.mo"))
    assert len(mos) == len(sorted((repo_copy / "locales").rglob("*.po")))
    for mo in mos:
        po = cat.read_catalog(str(mo.with_suffix(".po")))
        with open(mo, "rb") as f:
            t = gettext.GNUTranslations(f)
        assert t.info().get("language") == mo.parent.parent.name
        n = 0
        for e in po:
            if e.obsolete or not e.msgstr or "fuzzy" in e.flags:
                continue
            got = t.pgettext(e.msgctxt, e.msgid) if e.msgctxt else t.gettext(e.msgid)
            assert got == e.msgstr
            n += 1
        assert n == cat.stats(po).translated


def test_our_mo_holds_what_msgfmt_compiles(repo_copy, msgfmt, tmp_path):
    for p in sorted((repo_copy / "locales").rglob("*.po")):
        theirs = tmp_path / "theirs.mo"
        assert run_msgfmt(msgfmt, "-o", str(theirs), str(p)).returncode == 0
        assert cat.read_mo(p.with_suffix(".mo").read_bytes()) == cat.read_mo(theirs.read_bytes()), p.name


def test_msgfmt_reads_merged_catalogs_with_fuzzy_obsolete_and_context(tmp_path, msgfmt):
    """The catalogs after a page edit: fuzzy entries with #| msgid, obsolete #~ entries."""
    root = make_project(tmp_path)
    cfg = load_config(root)
    build(cfg)
    translate_all(root)
    page = root / "source_pages" / "guide.html"
    text = page.read_text("utf-8")
    text = text.replace("Ask your doctor.", "Ask your own doctor.")            # -> fuzzy
    text = text.replace('  <img src="skin.png" alt="A diagram of the skin">\n', "")   # -> obsolete
    text = text.replace("<h1>", '<h1 data-l10n-context="heading">')            # -> msgctxt
    page.write_text(text, "utf-8")
    build(cfg)
    po = polib.pofile(str(po_path(root, "zh_TW", "guide")))
    # the heading, now with a context, is a new entry: the build pre-translates it from the title
    assert [(e.msgctxt, e.msgid) for e in po if "fuzzy" in e.flags] == [("heading", "Skin care guide"),
                                                                       (None, "Ask your own doctor.")]
    assert po.find("Skin care guide", msgctxt="heading").tcomment == \
        "l10n-tm: 100% match from locales/zh_TW/LC_MESSAGES/guide.po"
    assert [e.msgid for e in po if e.obsolete] == ["A diagram of the skin"]
    for p in catalogs(root):
        r = run_msgfmt(msgfmt, "-c", "--statistics", "-o", os.devnull, str(p))
        assert r.returncode == 0, f"{p.name}:\n{r.stderr}"
        assert r.stderr.strip().splitlines()[-1] == cat.stats(cat.read_catalog(str(p))).msgfmt_line()
    r = run_msgfmt(msgfmt, "--statistics", "-o", os.devnull, str(po_path(root, "zh_TW", "guide")))
    assert re.search(r"\d+ translated messages?, 2 fuzzy translations", r.stderr)
