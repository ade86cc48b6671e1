"""``l10n build --explain`` says why each page, template, catalog and page version was redone
(doit's "why a task ran"): edit one page, or one catalog, and exactly its items are listed, each
with its reason. Through the library (``project.build(explain=...)``) and the CLI."""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from l10n import project
from l10n.build import plan
from l10n.cli import cli
from l10n.config import load_config

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402

ITEM = re.compile(r"^(page|template|merge|compile|version) (.+): (.+)$")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("explain") / "site"
    corpus.make_site(d, 6, seed=3, terms=80, jobs=1)
    project.build(load_config(d), jobs=1)
    return d


@pytest.fixture
def site(built, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1704067200")
    d = tmp_path / "site"
    shutil.copytree(built, d, symlinks=True)
    project.build(load_config(d), jobs=1)             # the state names absolute paths: build the copy once
    return d


def explained(root: Path) -> tuple[str, dict[tuple[str, str], str]]:
    """(the build's kind, {(kind, item): reason}) as ``explain`` told them."""
    said: list[str] = []
    project.build(load_config(root), jobs=1, explain=said.append)
    items = {}
    for line in said:
        m = ITEM.match(line)
        if m:
            assert (m[1], m[2]) not in items, line          # one line an item
            items[(m[1], m[2])] = m[3]
    return said[0].split()[1], items


def a_page(root: Path) -> Path:
    return next(p for p in sorted((root / "source_pages").rglob("*.html")) if 'lang="zh-Hant-TW"' in p.read_text())


def versions(root: Path) -> list[str]:
    cfg = load_config(root)
    return [lo for lo in cfg.locales if lo == "zh_TW" or lo in cfg.targets["zh_TW"]]


def test_a_no_op_build_redoes_nothing(site):
    kind, items = explained(site)
    assert kind == "none" and items == {}


def test_one_edited_page_lists_that_page_its_template_catalogs_and_versions(site):
    page = a_page(site)
    text = page.read_text()
    m = re.search(r"<p>([^<]{10,})</p>", text)
    page.write_text(text[:m.end(1)] + "本段已更新。" + text[m.end(1):])
    rel = page.relative_to(site).as_posix()
    dom = rel[len("source_pages/"):-len(".html")].replace("/", ".")
    targets = load_config(site).targets["zh_TW"]
    kind, items = explained(site)
    assert kind == "delta"
    want = {("page", rel): plan.SOURCE_CHANGED, ("template", f"locales/templates/{dom}.pot"): plan.PAGE_CHANGED}
    for loc in targets:
        want[("merge", f"locales/{loc}/LC_MESSAGES/{dom}.po")] = plan.TEMPLATE_CHANGED
        want[("compile", f"locales/{loc}/LC_MESSAGES/{dom}.po")] = plan.CATALOG_MERGED
    for loc in versions(site):
        want[("version", f"{rel} ({loc})")] = plan.PAGE_CHANGED
    flipped = {k: v for k, v in items.items() if k not in want}
    assert all(v == plan.STATUS_FLIPPED for v in flipped.values()), flipped     # only a flip adds versions
    assert {k: v for k, v in items.items() if k in want} == want


def test_one_edited_catalog_lists_that_catalog_and_its_version(site):
    po_path = sorted((site / "locales" / "zh_CN" / "LC_MESSAGES").glob("*.po"))[1]
    po = polib.pofile(str(po_path))
    e = next(e for e in po if e.msgstr and not e.obsolete and "fuzzy" not in e.flags)
    e.msgstr += "。"
    po.save(str(po_path))
    rel = po_path.relative_to(site).as_posix()
    dom = po_path.stem
    page = next(p for p in (site / "source_pages").rglob("*.html")
                if p.relative_to(site / "source_pages").with_suffix("").as_posix().replace("/", ".") == dom)
    kind, items = explained(site)
    assert kind == "delta"
    assert items == {("template", f"locales/templates/{dom}.pot"): plan.TEMPLATE_NEEDED,
                     ("merge", rel): plan.CATALOG_CHANGED, ("compile", rel): plan.CATALOG_CHANGED,
                     ("version", f"{page.relative_to(site).as_posix()} (zh_CN)"): plan.MO_CHANGED}


def test_an_added_page_plans_in_full_and_lists_only_the_new_page(site):
    old = a_page(site)
    new = old.with_name("added-page.html")
    shutil.copy(old, new)
    rel = new.relative_to(site).as_posix()
    kind, items = explained(site)
    assert kind == "full"
    mine = {k: v for k, v in items.items() if "added-page" in k[1]}
    assert {k[0] for k in mine} == {"page", "template", "merge", "compile", "version"}
    dom = rel[len("source_pages/"):-len(".html")].replace("/", ".")
    assert mine[("page", rel)] == mine[("template", f"locales/templates/{dom}.pot")] == plan.ADDED
    assert {v for k, v in mine.items() if k[0] == "merge"} == {plan.ADDED}
    assert {v for k, v in mine.items() if k[0] == "compile"} == {plan.CATALOG_MERGED}
    # the page list is in every version's chrome: the other versions follow, and say so
    others = {k: v for k, v in items.items() if k not in mine}
    assert others and {k[0] for k in others} == {"version"}
    assert set(others.values()) <= {plan.SITE_CONTEXT, plan.STATUS_FLIPPED}


def test_a_forced_build_gives_every_item_the_reason_forced(site):
    said: list[str] = []
    project.build(load_config(site), jobs=1, force=True, explain=said.append)
    lines = [m for line in said if (m := ITEM.match(line))]
    assert {m[1] for m in lines} == {"page", "template", "merge", "compile", "version"}
    assert {m[3] for m in lines} == {plan.FORCED}


def test_the_cli_prints_each_item_with_its_reason(site):
    po_path = sorted((site / "locales" / "zh_CN" / "LC_MESSAGES").glob("*.po"))[0]
    po_path.with_suffix(".mo").unlink()
    res = CliRunner().invoke(cli, ["build", "-p", str(site), "--explain"], catch_exceptions=False)
    assert res.exit_code in (0, 3), res.output
    rel = po_path.relative_to(site).as_posix()
    assert f"compile {rel}: {plan.OUTPUT_MISSING}" in res.stderr.splitlines()
    assert not [line for line in res.stderr.splitlines() if line.startswith(("page ", "template ", "merge "))]
