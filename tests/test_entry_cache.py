"""The entry findings cache of ``l10n check`` (``l10n.entrycache``): it may only ever save time.

Every test compares a run that uses the cache with a run that checks every entry
(``entry_cache=False``): same findings, down to the line, message and severity,
after edits, moves, a glossary change, another rule selection, fuzzy flags,
suppression comments and a broken cache file. The catalog is the one
``tests/test_check_parallel.py`` builds from the shipped translations, with every
kind of problem mixed in.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

import l10n.checks
from l10n import catalogs as cat
from l10n.entrycache import FindingsCache, code_digest, digest_files, selection
from l10n.cli import cli
from l10n.config import load_config
from l10n.glossary import cache as gcache
from l10n.project import check_project
from test_check_parallel import _big_catalog

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    for name in ("pyproject.toml", "source_pages", "locales"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("*.mo"))
        else:
            shutil.copy(src, root / name)
    _big_catalog(root, 600, seed=11)
    return root


def _big(root: Path) -> Path:
    return root / "locales" / "zh_TW" / "LC_MESSAGES" / "big.po"


def _run(root: Path, **kw):
    return check_project(load_config(root), [str(root / "locales")], jobs=1, **kw)


def _same(a, b) -> None:
    assert [repr(f) for f in a.findings] == [repr(f) for f in b.findings]
    assert a.catalogs == b.catalogs


def _spy_checked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many entries reach the rules, over the calls of ``check_entries``."""
    seen = [0]
    real = l10n.checks.check_entries

    def counting(entries, *a, **k):
        entries = list(entries)
        seen[0] += len(entries)
        return real(entries, *a, **k)
    monkeypatch.setattr(l10n.checks, "check_entries", counting)
    return seen


def _edit(path: Path, edits: dict[int, str]) -> list[polib.POEntry]:
    """Replace the msgstr of the translated entries at these positions; the edited entries."""
    po = cat.read_catalog(str(path))
    live = [e for e in po if e.msgstr and not e.obsolete]
    for i, msgstr in edits.items():
        live[i].msgstr = msgstr
    path.write_text(cat.po_text(po), "utf-8")
    return [live[i] for i in edits]


def test_a_warm_run_gives_the_findings_of_a_full_run(project: Path, monkeypatch) -> None:
    full = _run(project, entry_cache=False)
    assert not (project / ".l10n-cache" / "check").exists(), "entry_cache=False writes no cache"
    assert len({f.code for f in full.findings}) >= 6, "the catalog has every kind of problem"
    cold = _run(project)
    assert (project / ".l10n-cache" / "check" / "findings.sqlite").is_file(), "the first run stores its findings"
    seen = _spy_checked(monkeypatch)
    warm = _run(project)
    assert seen[0] == 0, "no entry is checked again"
    _same(cold, full)
    _same(warm, full)


def test_only_the_edited_entries_are_checked_again(project: Path, monkeypatch) -> None:
    _run(project)
    _edit(_big(project), {3: "請服用普特皮。", 10: "醫立妥每天兩次。", 42: "医师说明。"})
    seen = _spy_checked(monkeypatch)
    warm = _run(project)
    assert seen[0] == 3
    _same(warm, _run(project, entry_cache=False))
    assert "GL006" in {f.code for f in warm.findings if f.msgstr == "医师说明。"}, "the new error is reported"


def test_moved_entries_keep_their_findings_at_their_new_lines(project: Path, monkeypatch) -> None:
    before = _run(project)
    po = cat.read_catalog(str(_big(project)))
    po.insert(0, polib.POEntry(msgid="A new first entry.", msgstr="新的第一個條目。"))
    _big(project).write_text(cat.po_text(po), "utf-8")
    seen = _spy_checked(monkeypatch)
    after = _run(project)
    assert seen[0] == 1
    _same(after, _run(project, entry_cache=False))
    big = [f for f in before.findings if f.path.endswith("big.po")]
    moved = [f for f in after.findings if f.path.endswith("big.po")]
    assert len(moved) == len(big) and all(b.line < m.line for b, m in zip(big, moved))


def test_a_glossary_edit_means_checking_again(project: Path) -> None:
    _run(project)
    g = project / "locales" / "glossary.toml"
    text = g.read_text("utf-8")
    assert 'preferred = "醫師"' not in text
    # the shipped catalogs say 醫師 (physician): a glossary that forbids it must be heard
    g.write_text(text + '\n[[concept]]\nid = "physician-test"\ntype = "term"\nen = { preferred = "doctor" }\n'
                 'zh_TW = { preferred = "醫生", forbidden = ["醫師"] }\n', "utf-8")
    warm = _run(project)
    _same(warm, _run(project, entry_cache=False))
    assert any(f.code == "GL002" and "醫師" in f.message for f in warm.findings)


def test_the_rule_selection_is_part_of_the_key(project: Path) -> None:
    _run(project, ignore=["GL006"])
    full = _run(project)
    assert any(f.code == "GL006" for f in full.findings)
    _same(full, _run(project, entry_cache=False))
    only = _run(project, select=["GL006"])
    _same(only, _run(project, select=["GL006"], entry_cache=False))
    assert {f.code for f in only.findings} <= {"GL006", "GL020", "GL021", "GL027"}


def test_fuzzy_flags_and_suppression_comments_are_part_of_the_key(project: Path) -> None:
    path = _big(project)
    _edit(path, {5: "醫立妥。"})
    first = [f for f in _run(project).findings if f.msgstr == "醫立妥。"]
    assert first and all("(fuzzy entry)" not in f.message for f in first)
    po = cat.read_catalog(str(path))
    target = next(x for x in po if x.msgstr == "醫立妥。")
    target.flags.append("fuzzy")
    path.write_text(cat.po_text(po), "utf-8")
    fuzzy = [f for f in _run(project).findings if f.msgstr == "醫立妥。"]
    assert fuzzy and all(f.message.startswith("(fuzzy entry)") and f.severity.value != "error" for f in fuzzy)
    target.flags.remove("fuzzy")
    codes = sorted({f.code for f in first})
    target.tcomment = "l10n: ignore " + ", ".join(codes)
    path.write_text(cat.po_text(po), "utf-8")
    assert not [f for f in _run(project).findings if f.msgstr == "醫立妥。" and f.code in codes]
    _same(_run(project), _run(project, entry_cache=False))


def test_a_broken_cache_file_is_ignored_and_rewritten(project: Path) -> None:
    full = _run(project, entry_cache=False)
    _run(project)
    store = project / ".l10n-cache" / "check" / "findings.sqlite"
    assert store.is_file()
    for p in store.parent.iterdir():
        p.unlink()
    store.write_bytes(b"\x00garbage, not a database" * 100)
    _same(_run(project), full)
    assert not store.read_bytes().startswith(b"\x00garbage")
    _same(_run(project), full)


def test_an_unwritable_cache_folder_is_skipped(project: Path) -> None:
    full = _run(project, entry_cache=False)
    (project / ".l10n-cache").mkdir(exist_ok=True)
    (project / ".l10n-cache" / "check").write_text("a file where the folder should be", "utf-8")
    _same(_run(project), full)
    _same(_run(project), full)


def test_a_fully_warm_run_does_not_load_the_glossary(project: Path, monkeypatch) -> None:
    cfg = load_config(project)
    check_project(cfg, [str(_big(project))], jobs=1)
    loads = [0]
    real = gcache.load_glossary_cached

    def counting(*a, **k):
        loads[0] += 1
        return real(*a, **k)
    monkeypatch.setattr(gcache, "load_glossary_cached", counting)
    run = check_project(cfg, [str(_big(project))], jobs=1)
    assert loads[0] == 0 and run.findings
    _edit(_big(project), {0: "新的譯文。"})
    check_project(cfg, [str(_big(project))], jobs=1)
    assert loads[0] == 1, "an entry the cache does not know needs the glossary"


def test_the_cli_reports_the_same_with_and_without_the_cache(project: Path, monkeypatch) -> None:
    def report(*extra: str) -> list:
        res = CliRunner().invoke(cli, ["check", "--project", str(project), "--format", "json", *extra,
                                       str(project / "locales")], catch_exceptions=False)
        assert res.exit_code == 1
        return json.loads(res.stdout)
    cold = report()
    seen = _spy_checked(monkeypatch)
    assert report() == cold and seen[0] == 0
    assert report("--no-cache") == cold and seen[0] > 600


def test_the_key_covers_every_entry_field_a_rule_sees() -> None:
    base = ("en", "zh_TW", None, "Take 5 mg.", "服用5毫克。", ("fuzzy",), "a comment")
    keys = {FindingsCache.key(*base)}
    for i, other in enumerate(["zh", "zh_CN", "", "Take 50 mg.", "服用50毫克。", (), "l10n: ignore GL005"]):
        changed = list(base)
        changed[i] = other
        keys.add(FindingsCache.key(*changed))
    assert len(keys) == 8
    assert FindingsCache.key(*base) == FindingsCache.key("en", "zh_TW", None, "Take 5 mg.", "服用5毫克。",
                                                         ["fuzzy"], ["a comment"])


def test_the_code_digest_covers_the_rules_and_their_data() -> None:
    names = {p.relative_to(REPO / "l10n").as_posix() for p in digest_files()}
    assert selection(["gl003", "GL001,GL002"], None) == selection(["GL001 GL002", "GL003"], ()) != selection(None, None)
    assert {"checks/gl003_drug_swap.py", "checks/numbers.py", "dosing/vocab/en.toml", "dosing/vocab/zh_TW.toml",
            "drugs/lexicon.toml", "glossary/matcher.py", "markup.py", "model.py"} <= names
    assert len(code_digest()) == 64


def test_big_catalogs_check_what_the_cache_lacks_on_the_worker_processes(project: Path, monkeypatch) -> None:
    from l10n import checkpool

    _big_catalog(project, 4000, seed=3)
    assert _big(project).stat().st_size >= checkpool.MIN_BYTES
    monkeypatch.setattr(checkpool, "can_fork", lambda: hasattr(os, "fork"))
    cfg = load_config(project)
    full = check_project(cfg, [str(project / "locales")], jobs=1, entry_cache=False)
    first = check_project(cfg, [str(project / "locales")], jobs=2)
    _same(first, full)
    sent: list[int] = []
    real = checkpool.CheckWorker.send          # check() is send() then results()

    def send(self, catalogs, *a, **k):
        sent.append(sum(len(rows) for rows, *_ in catalogs))
        return real(self, catalogs, *a, **k)
    monkeypatch.setattr(checkpool.CheckWorker, "send", send)
    _same(check_project(cfg, [str(project / "locales")], jobs=2), full)
    assert sent == [], "every entry remembered: the workers were stopped unused"
    _edit(_big(project), {i: f"醫立妥第{i}次。" for i in range(0, 200, 2)})
    warm = check_project(cfg, [str(project / "locales")], jobs=2)
    assert sent == [100], "only the edited entries went to the workers"
    _same(warm, check_project(cfg, [str(project / "locales")], jobs=1, entry_cache=False))
