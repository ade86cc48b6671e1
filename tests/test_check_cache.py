"""The caches behind ``l10n check``: the parsed glossary and GL006's script tables in ``.l10n-cache/``.

A cache may only ever save time: an edited glossary is read again, a broken
cache file is ignored (and rewritten), an unwritable cache folder is skipped.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from l10n.errors import GlossaryError
from l10n.glossary import cache as gcache
from l10n.glossary import io, load_glossary
from l10n.glossary.cache import cache_file, load_glossary_cached

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "locales" / "glossary.toml"


def _same(a, b) -> bool:
    """Equal glossaries, down to each concept's line and the order of everything."""
    return (a == b and a.path == b.path
            and [(c.line, tuple(vars(t) for t in c.terms), list(vars(c))) for c in a.concepts]
            == [(c.line, tuple(vars(t) for t in c.terms), list(vars(c))) for c in b.concepts])


@pytest.fixture()
def glossary_file(tmp_path: Path) -> Path:
    p = tmp_path / "glossary.toml"
    p.write_bytes(SHIPPED.read_bytes())
    return p


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    real = io.glossary_from_bytes

    def counting(raw, path):
        calls[0] += 1
        return real(raw, path)
    monkeypatch.setattr(io, "glossary_from_bytes", counting)
    return calls


def test_cached_glossary_is_the_glossary(glossary_file: Path, tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    calls = _count_parses(monkeypatch)
    first = load_glossary_cached(glossary_file, cache)
    second = load_glossary_cached(glossary_file, cache)
    assert calls[0] == 1, "the second load comes from the cache"
    plain = load_glossary(glossary_file)
    assert _same(first, plain) and _same(second, plain)
    assert cache_file(cache, glossary_file, glossary_file.read_bytes()).is_file()


def test_an_edited_glossary_is_read_again(glossary_file: Path, tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    load_glossary_cached(glossary_file, cache)
    text = glossary_file.read_text("utf-8")
    assert 'preferred = "普特皮"' in text
    glossary_file.write_text(text.replace('preferred = "普特皮"', 'preferred = "普特皮膏"'), "utf-8")
    calls = _count_parses(monkeypatch)
    edited = load_glossary_cached(glossary_file, cache)
    assert calls[0] == 1
    assert edited.get("protopic").preferred("zh_TW") == "普特皮膏"
    assert _same(edited, load_glossary(glossary_file))


def test_an_edit_that_breaks_the_glossary_is_reported(glossary_file: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_glossary_cached(glossary_file, cache)
    glossary_file.write_text(glossary_file.read_text("utf-8").replace('id = "protopic"', 'id = "Protopic"'),
                             "utf-8")
    with pytest.raises(GlossaryError) as cached:
        load_glossary_cached(glossary_file, cache)
    with pytest.raises(GlossaryError) as plain:
        load_glossary(glossary_file)
    assert str(cached.value) == str(plain.value)
    assert "malformed id" in str(cached.value)


@pytest.mark.parametrize("garbage", [b"", b"\x00" * 10, b"not marshal at all", None, "wrong-shape", "other-path"])
def test_a_broken_cache_file_is_ignored_and_rewritten(glossary_file: Path, tmp_path: Path, monkeypatch,
                                                      garbage) -> None:
    import marshal

    cache = tmp_path / "cache"
    good = load_glossary_cached(glossary_file, cache)
    f = cache_file(cache, glossary_file, glossary_file.read_bytes())
    data = f.read_bytes()
    if garbage is None:
        garbage = data[: len(data) // 2]                                  # truncated
    elif garbage == "wrong-shape":
        garbage = marshal.dumps((1, str(glossary_file), ((1, 2),)))
    elif garbage == "other-path":
        garbage = marshal.dumps((1, "/elsewhere/glossary.toml", ()))
    f.write_bytes(garbage)
    calls = _count_parses(monkeypatch)
    again = load_glossary_cached(glossary_file, cache)
    assert calls[0] == 1
    assert _same(again, good)
    assert f.read_bytes() == data, "rewritten"


def test_an_unwritable_cache_folder_is_skipped(glossary_file: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be")
    g = load_glossary_cached(glossary_file, blocker)
    assert _same(g, load_glossary(glossary_file))


def test_old_cache_files_are_pruned(glossary_file: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    text = glossary_file.read_text("utf-8")
    for i in range(gcache.KEEP + 3):
        glossary_file.write_text(text + f"\n# edit {i}\n", "utf-8")
        load_glossary_cached(glossary_file, cache)
        os.utime(cache_file(cache, glossary_file, glossary_file.read_bytes()), ns=(i * 10**9, i * 10**9))
    files = list((cache / "glossary").glob("*.marshal"))
    assert len(files) <= gcache.KEEP
    assert cache_file(cache, glossary_file, glossary_file.read_bytes()) in files


def test_no_cache_folder_means_no_cache(glossary_file: Path) -> None:
    assert _same(load_glossary_cached(glossary_file, None), load_glossary(glossary_file))


# -- GL006's character tables ----------------------------------------------------------------

@pytest.fixture()
def fresh_tables(monkeypatch: pytest.MonkeyPatch):
    from l10n.checks import gl006_script as mod

    built = mod.script_tables()
    monkeypatch.setattr(mod, "_PRIMED", None)
    mod.script_tables.cache_clear()
    yield mod, built
    mod.script_tables.cache_clear()


def test_script_tables_come_back_from_the_cache(fresh_tables, tmp_path: Path, monkeypatch) -> None:
    mod, built = fresh_tables
    assert mod.cached_script_tables(tmp_path) == built          # built and saved
    files = list((tmp_path / "script-tables").glob("*.marshal"))
    assert len(files) == 1
    monkeypatch.setattr(mod, "_PRIMED", None)
    mod.script_tables.cache_clear()
    monkeypatch.setattr(mod, "_converters", lambda: pytest.fail("built again instead of read"))
    assert mod.cached_script_tables(tmp_path) == built
    assert mod.script_tables() == built


def test_a_broken_script_table_cache_is_ignored(fresh_tables, tmp_path: Path, monkeypatch) -> None:
    mod, built = fresh_tables
    mod.cached_script_tables(tmp_path)
    (f,) = (tmp_path / "script-tables").glob("*.marshal")
    f.write_bytes(b"\x00garbage")
    monkeypatch.setattr(mod, "_PRIMED", None)
    mod.script_tables.cache_clear()
    assert mod.cached_script_tables(tmp_path) == built
    assert f.read_bytes() != b"\x00garbage", "rewritten"


# -- the check command uses them ------------------------------------------------------------

def test_check_writes_and_reuses_the_glossary_cache(shipped_project: Path, monkeypatch) -> None:
    from l10n.config import load_config
    from l10n.project import check_project

    cfg = load_config(shipped_project)
    first = check_project(cfg)
    assert list((shipped_project / ".l10n-cache" / "glossary").glob("*.marshal"))
    calls = _count_parses(monkeypatch)
    second = check_project(cfg)
    assert calls[0] == 0
    assert first.findings == second.findings and first.catalogs == second.catalogs
