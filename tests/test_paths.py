"""Paths: nothing is read or written outside source_pages/, locales/ and the output folder.

``../`` and absolute folders in the configuration, symbolic links (to a page, a
folder, a catalog, a locale's LC_MESSAGES, an output folder) that lead
outside, locale names that are paths: each is refused with exit 2 and one
line naming the file, before anything is written, and the place outside
stays untouched. Links that stay inside the project's folders still work.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reliability_project import changed, run_bin, snapshot, translated_project


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return translated_project(tmp_path_factory.mktemp("paths"))


@pytest.fixture
def project(base, tmp_path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(base, root)
    return root


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder next to the project, with a page, a catalog and a secret in it."""
    out = tmp_path / "outside"
    out.mkdir()
    (out / "page.html").write_text('<html lang="en"><body><p>Outside text.</p></body></html>', "utf-8")
    (out / "side-effects.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                         'msgid "secret"\nmsgstr "SECRET VALUE"\n', "utf-8")
    (out / "secret.txt").write_text("SECRET VALUE\n", "utf-8")
    return out


def refused(root: Path, outside: Path, command: tuple[str, ...], where: str, says: str) -> str:
    before, before_out = snapshot(root), snapshot(outside)
    res = run_bin(root, *command)
    assert res.returncode == 2, (res.stdout, res.stderr)
    lines = res.stderr.replace(f"{root}/", "").strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith(f"l10n: error: {where}"), lines[0]
    assert says in lines[0], lines[0]
    assert "SECRET" not in res.stdout + res.stderr
    assert changed(before, snapshot(root)) == []
    assert changed(before_out, snapshot(outside)) == []
    return lines[0]


LINKS = [
    # (name, link inside the project, target under outside/, command)
    ("page-file", "source_pages/linked.html", "page.html", ("build",)),
    ("page-folder", "source_pages/more", ".", ("extract",)),
    ("catalog-file", "locales/zh_TW/LC_MESSAGES/linked.po", "side-effects.po", ("update",)),
    ("catalog-file-stats", "locales/zh_TW/LC_MESSAGES/linked.po", "side-effects.po", ("stats",)),
    ("lc-messages-folder", "locales/ja/LC_MESSAGES", ".", ("compile",)),
    ("output-folder", "site/zh_CN/more", ".", ("render",)),
    ("output-file", "site/zh_TW/treatment.html", "secret.txt", ("build",)),
    ("asset-file", "source_pages/assets/secret.txt", "secret.txt", ("build",)),
]


@pytest.mark.parametrize("name,link,target,command", LINKS, ids=[x[0] for x in LINKS])
def test_symlink_leading_outside_is_refused(project, outside, name, link, target, command):
    p = project / link
    p.parent.mkdir(parents=True, exist_ok=True)
    if p.exists() and not p.is_dir():
        p.unlink()
    os.symlink(outside / target, p)
    refused(project, outside, command, link, "symbolic link leads outside")


def test_symlinked_source_folder_is_refused(project, outside):
    shutil.rmtree(project / "source_pages")
    os.symlink(outside, project / "source_pages")
    refused(project, outside, ("build",), "pyproject.toml:5", "source_dir leads outside")


def test_relative_link_climbing_out_is_refused(project, outside):
    os.symlink(os.path.relpath(outside / "page.html", project / "source_pages"),
               project / "source_pages" / "up.html")
    refused(project, outside, ("extract",), "source_pages/up.html", "symbolic link leads outside")


@pytest.mark.parametrize("key,value", [("source_dir", "../outside"), ("locales_dir", "/etc"),
                                       ("output_dir", "../../var/www"), ("output_dir", "site/../../outside"),
                                       ("glossary", "../outside/secret.txt")])
def test_config_folders_outside_are_refused(project, outside, key, value):
    pp = project / "pyproject.toml"
    text = pp.read_text("utf-8")
    lines = text.splitlines()
    i = next(n for n, ln in enumerate(lines) if ln.startswith(f"{key} ="))
    lines[i] = f'{key} = "{value}"'
    pp.write_text("\n".join(lines) + "\n", "utf-8")
    refused(project, outside, ("build",), f"pyproject.toml:{i + 1}", f"{key} leads outside")


@pytest.mark.parametrize("locale", ["../../outside", "/tmp", "zh_TW/../../..", "..", "zh_TW/LC_MESSAGES"])
def test_locale_option_that_is_a_path_is_refused(project, outside, locale):
    for command in ("update", "compile"):
        refused(project, outside, (command, "-l", locale), "pyproject.toml", "not a target locale")


def test_page_names_cannot_make_catalog_paths_climb(project, outside):
    """Odd page names become odd domains, but the catalogs stay in locales/."""
    odd = project / "source_pages" / "..." / "..odd..html"
    odd.parent.mkdir()
    odd.write_text('<!DOCTYPE html>\n<html lang="en"><head><title>Odd</title></head>'
                   "<body><p>An odd name.</p></body></html>\n", "utf-8")
    before_out = snapshot(outside)
    res = run_bin(project, "build")
    assert res.returncode == 0, res.stderr
    made = [p for p in project.rglob("*") if "odd" in p.name]
    assert len(made) == 9 and all(p.resolve().is_relative_to(project.resolve()) for p in made)
    assert (project / "locales" / "templates" / "......odd..pot").is_file()   # domain "......odd."
    assert (project / "site" / "zh_TW" / "..." / "..odd..html").is_file()
    assert changed(before_out, snapshot(outside)) == []


def test_links_that_stay_inside_are_fine(project):
    assets = project / "source_pages" / "assets"
    assets.mkdir()
    (assets / "site.css").write_text("body { color: #222 }\n", "utf-8")
    os.symlink("site.css", assets / "print.css")
    os.symlink("../glossary.toml", project / "locales" / "templates" / "glossary-link.toml")
    res = run_bin(project, "build")
    assert res.returncode == 0, res.stderr
    assert (project / "site" / "zh_TW" / "assets" / "print.css").read_text("utf-8") == "body { color: #222 }\n"


def test_the_page_listing_names_linked_pages_as_asking_the_disk_does(project):
    """discover_pages hands rels_and_domains the symbolic links its walk saw (no lstat a page):
    the names must be those that asking the disk about each page gives, a page that is a link
    inside the source folder among them; a folder named like a page is no page."""
    from l10n.config import load_config
    from l10n.pages import discover_pages, rels_and_domains

    src = project / "source_pages"
    (src / "faq").mkdir()
    os.symlink("../treatment.html", src / "faq" / "same-treatment.html")
    (src / "folder.html").mkdir()
    cfg = load_config(project)
    paths = discover_pages(cfg)
    names = [p.name for p in paths]
    assert "same-treatment.html" in names and "folder.html" not in names
    assert paths.links == {str(src / "faq" / "same-treatment.html")}
    assert rels_and_domains(cfg, paths) == rels_and_domains(cfg, list(paths))
