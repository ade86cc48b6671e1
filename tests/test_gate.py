"""The check gate: a translation with an error-level finding never reaches readers.

The planted error is the seed's own: its English translation of the Q&A called
普特皮 (Protopic, tacrolimus) "Pimecrolimus" — a drug swap (GL003) that ``l10n check``
reports. Built on a copy of the shipped project.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from l10n import project
from l10n.catalogs import po_text, read_catalog, read_mo
from l10n.cli import cli
from l10n.config import load_config
from l10n.gate import EXIT_HELD_BACK

REPO = Path(__file__).resolve().parent.parent
DOMAIN = "qa.localized-scleroderma-medication"
PAGE = "site/en/qa/localized-scleroderma-medication.html"
SOURCE = "醫師您好，我近幾年背部出現一大片硬皮症，到醫院就診後，被診斷為局部硬皮症，醫師開了普特皮0.1%給我使用。"


def l10n(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def shipped_copy(tmp_path: Path) -> Path:
    root = tmp_path / "site-project"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root)
    shutil.copytree(REPO / "source_pages", root / "source_pages")
    shutil.copytree(REPO / "locales", root / "locales", ignore=shutil.ignore_patterns("*.mo"))
    return root


def plant_swap(root: Path) -> int:
    """The seed's "Pimecrolimus" put back into the en catalog; the entry's line."""
    path = root / "locales" / "en" / "LC_MESSAGES" / f"{DOMAIN}.po"
    po = polib.pofile(str(path), wrapwidth=79)
    e = po.find(SOURCE)
    assert e is not None and "Protopic (tacrolimus) 0.1%" in e.msgstr
    e.msgstr = e.msgstr.replace("Protopic (tacrolimus) 0.1%", "Pimecrolimus 0.1%")
    po.save(str(path))
    return polib.pofile(str(path)).find(SOURCE).linenum


def set_gate(root: Path, value: str) -> None:
    p = root / "pyproject.toml"
    text = p.read_text()
    text = text.replace('fail_on = "error"', f'fail_on = "error"\ngate = "{value}"')
    p.write_text(text)


@pytest.fixture
def planted(tmp_path):
    root = shipped_copy(tmp_path)
    return root, plant_swap(root)


def test_shipped_project_builds_with_nothing_held_back(tmp_path):
    root = shipped_copy(tmp_path)
    res = l10n("build", "-p", str(root))
    assert res.exit_code == 0, res.output
    assert "HELD BACK" not in res.stderr
    assert "Protopic (tacrolimus) 0.1%" in (root / PAGE).read_text()


def test_drug_swap_never_reaches_the_site(planted):
    root, line = planted
    res = l10n("build", "-p", str(root))
    assert res.exit_code == EXIT_HELD_BACK == 3, res.output
    m = re.search(rf"HELD BACK: locales/en/LC_MESSAGES/{re.escape(DOMAIN)}\.po:(\d+): GL003 error: drug swap: "
                  r'msgstr names "Pimecrolimus"', res.stderr)
    assert m, res.stderr
    assert line <= int(m.group(1)) <= line + 3         # the entry's msgid line
    html = (root / PAGE).read_text()
    assert "Pimecrolimus" not in html
    # shown as an untranslated unit: the source text, in the source's language
    assert re.search(r'lang="zh-Hant-TW"[^>]*>' + re.escape(SOURCE), html), html
    assert not any("Pimecrolimus" in p.read_text() for p in (root / "site").rglob("*.html"))
    # the .mo holds no trace of it; the other translations are there
    table = read_mo((root / "locales" / "en" / "LC_MESSAGES" / f"{DOMAIN}.mo").read_bytes())
    assert (None, SOURCE) not in table and "Pimecrolimus" not in "".join(table.values())
    assert len(table) > 10


def test_held_back_unit_counts_as_untranslated(planted):
    root, _line = planted
    cfg = load_config(root)
    rep = project.build(cfg)
    st = {(s.page, s.locale): s for s in rep.render.pages}
    v = st[("source_pages/qa/localized-scleroderma-medication.html", "en")]
    assert 90 < v.percent < 100 and v.published
    held = [h for c in rep.compile for h in c.held]
    assert {h.code for h in held} == {"GL001", "GL003"}         # Protopic missing, Pimecrolimus added
    assert {h.msgid for h in held} == {SOURCE}
    # the same report from the build state, without checking again
    again = project.build(cfg)
    assert [h for c in again.compile for h in c.held] == held
    assert again.render.pages == rep.render.pages
    # below the threshold, the page version is held back as any incomplete one
    p = root / "pyproject.toml"
    p.write_text(p.read_text().replace("threshold = 80", "threshold = 99"))
    rep = project.build(load_config(root))
    v = {(s.page, s.locale): s for s in rep.render.pages}[("source_pages/qa/localized-scleroderma-medication.html", "en")]
    assert not v.published
    assert not (root / PAGE).exists()


def test_fixing_the_translation_publishes_it_again(planted):
    root, _line = planted
    assert l10n("build", "-p", str(root)).exit_code == EXIT_HELD_BACK
    path = root / "locales" / "en" / "LC_MESSAGES" / f"{DOMAIN}.po"
    path.write_text(path.read_text().replace("Pimecrolimus 0.1%", "Protopic (tacrolimus) 0.1%"))
    res = l10n("build", "-p", str(root))
    assert res.exit_code == 0, res.output
    assert "Protopic (tacrolimus) 0.1%" in (root / PAGE).read_text()


def test_gate_off_publishes_it(planted):
    root, _line = planted
    set_gate(root, "off")
    res = l10n("build", "-p", str(root))
    assert res.exit_code == 0, res.output
    assert "Pimecrolimus 0.1%" in (root / PAGE).read_text()


def test_changing_the_gate_setting_rebuilds(planted):
    root, _line = planted
    assert l10n("build", "-p", str(root)).exit_code == EXIT_HELD_BACK
    set_gate(root, "off")
    assert l10n("build", "-p", str(root)).exit_code == 0
    assert "Pimecrolimus 0.1%" in (root / PAGE).read_text()


def test_compile_leaves_held_back_units_out(planted):
    root, _line = planted
    res = l10n("compile", "-p", str(root), "-l", "en")
    assert res.exit_code == EXIT_HELD_BACK, res.output
    assert re.search(rf"{re.escape(DOMAIN)}\.po:\d+: GL003 error", res.stderr), res.stderr
    table = read_mo((root / "locales" / "en" / "LC_MESSAGES" / f"{DOMAIN}.mo").read_bytes())
    assert (None, SOURCE) not in table
    # render shows what compile let through
    assert l10n("render", "-p", str(root)).exit_code == 0
    assert "Pimecrolimus" not in (root / PAGE).read_text()


def test_gate_warning_holds_warnings_back_too(tmp_path):
    root = shipped_copy(tmp_path)
    path = root / "locales" / "zh_CN" / "LC_MESSAGES" / f"{DOMAIN}.po"
    po = polib.pofile(str(path), wrapwidth=79)
    e = next(e for e in po if e.msgstr.endswith("。") and not e.obsolete and "fuzzy" not in e.flags)
    e.msgstr = e.msgstr[:-1] + "."              # GL011 (warning): half-width punctuation in Chinese
    po.save(str(path))
    assert l10n("build", "-p", str(root)).exit_code == 0
    set_gate(root, "warning")
    res = l10n("build", "-p", str(root))
    assert res.exit_code == EXIT_HELD_BACK, res.output
    assert "GL011 warning" in res.stderr


def test_bad_gate_setting_is_refused(tmp_path):
    root = shipped_copy(tmp_path)
    set_gate(root, "maybe")
    res = l10n("build", "-p", str(root))
    assert res.exit_code == 2
    assert "gate must be error, warning or off" in res.stderr


def test_the_gate_checks_only_entries_it_has_not_seen(tmp_path: Path, monkeypatch) -> None:
    """A build remembers each entry's findings (l10n.entrycache): after an edit the gate checks the
    edited entries only, and loads no glossary when none of them is translated; a drug swap planted
    in a remembered catalog is still held back."""
    from l10n import checks as rules
    from l10n.glossary import cache as gcache

    root = shipped_copy(tmp_path)
    cfg = load_config(root)
    project.build(cfg)
    assert (root / ".l10n-cache" / "check" / "findings.sqlite").is_file()
    real_check, real_load = rules.check_entries, gcache.load_glossary_cached
    # counted in a file: a build may check in a process it forks (one child does a small edit's
    # merges and compiles while the build gets the render ready), which inherits these stand-ins
    tally = tmp_path / "tally.txt"

    def counts() -> tuple[int, int]:
        lines = tally.read_text().split() if tally.exists() else []
        return sum(int(x[1:]) for x in lines if x[0] == "c"), lines.count("l")

    def check(entries, *a, **k):
        entries = list(entries)
        with open(tally, "a") as f:
            f.write(f"c{len(entries)}\n")
        return real_check(entries, *a, **k)

    def load(*a, **k):
        with open(tally, "a") as f:
            f.write("l\n")
        return real_load(*a, **k)
    monkeypatch.setattr(rules, "check_entries", check)
    monkeypatch.setattr(gcache, "load_glossary_cached", load)
    page = root / "source_pages" / "qa" / "localized-scleroderma-medication.html"
    page.write_text(page.read_text("utf-8").replace("</h1>", " (updated)</h1>", 1), "utf-8")
    project.build(load_config(root))
    assert counts() == (0, 0), "the catalogs' translated entries were all remembered"
    path = root / "locales" / "en" / "LC_MESSAGES" / f"{DOMAIN}.po"
    po = read_catalog(str(path))                 # edited with l10n's own writer: nothing else changes
    e = po.find(SOURCE)
    e.msgstr = e.msgstr.replace("Protopic (tacrolimus) 0.1%", "Pimecrolimus 0.1%")
    path.write_text(po_text(po), "utf-8")
    res = l10n("build", "-p", str(root))
    assert res.exit_code == EXIT_HELD_BACK
    assert re.search(rf"HELD BACK: locales/en/LC_MESSAGES/{re.escape(DOMAIN)}\.po:\d+: GL003", res.output)
    assert counts() == (1, 1), "only the edited entry was checked"


def _held_in_worker(gate, path: str) -> int:
    po = read_catalog(path)
    return len(gate.held_back(po, path, Path(path).parent.parent.name))


def test_forked_workers_store_what_they_checked(tmp_path: Path) -> None:
    """The gate's workers (a build's forked pool) write the findings they learnt when they exit."""
    import os

    from l10n.entrycache import entry_key
    from l10n.gate import open_gate
    from l10n.workers import MIN_PARALLEL, pmap

    if not hasattr(os, "fork"):
        pytest.skip("no fork here")
    root = shipped_copy(tmp_path)
    cfg = load_config(root)
    gate = open_gate(cfg)
    assert gate.cache is not None and not gate.cache.known
    paths = sorted(str(p) for p in (root / "locales").rglob("*.po"))
    items = (paths * MIN_PARALLEL)[:max(MIN_PARALLEL, len(paths))]
    pmap(_held_in_worker, items, jobs=2, context=gate)
    again = open_gate(load_config(root))
    assert again.cache.known, "the workers saved their findings"
    keys = []
    for p in paths:
        po = read_catalog(p)
        src = po.metadata.get("X-Source-Language")
        keys += [entry_key(src, po.metadata.get("Language") or Path(p).parent.parent.name, e.msgctxt, e.msgid,
                           e.msgstr, e.flags, e.tcomment)
                 for e in po if e.msgstr and not e.obsolete and "fuzzy" not in e.flags]
    assert keys and len(again.cache.lookup(keys)) == len(set(keys))
