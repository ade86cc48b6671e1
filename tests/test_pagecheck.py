"""Every page is checked first, every bad page is reported, and nothing is written when one is refused."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from l10n.config import load_config
from l10n.pagecheck import PagesError

GOOD = ('<!DOCTYPE html><html lang="en"><head><title>Page {i}</title></head>'
        '<body><p>Hello number {i}</p></body></html>\n')
BAD = {
    "bad-nolang.html": b"<html><body><p>no lang here</p></body></html>",
    "bad-french.html": b'<html lang="fr"><body><p>bonjour</p></body></html>',
    "bad-bytes.html": b'<html lang="en">\n<body><p>caf\xe9</p></body></html>',
}


def project(tmp_path: Path, n_good: int) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.l10n]\n\n[tool.l10n.targets]\nen = ["zh_TW"]\n')
    src = tmp_path / "source_pages"
    src.mkdir()
    for i in range(n_good):
        (src / f"p{i:03d}.html").write_text(GOOD.format(i=i))
    for name, data in BAD.items():
        (src / name).write_bytes(data)
    return tmp_path


@pytest.mark.parametrize("n_good", [5, 120])        # one process, and the pool (>= 48 pages)
def test_extract_reports_every_bad_page_and_writes_nothing(tmp_path, n_good):
    from l10n.project import extract
    root = project(tmp_path, n_good)
    with pytest.raises(PagesError) as ei:
        extract(load_config(root), jobs=2)
    assert [e.path for e in ei.value.errors] == ["source_pages/" + n for n in sorted(BAD)]
    tdir = root / "locales" / "templates"
    assert not tdir.exists() or list(tdir.iterdir()) == []          # no template, no temporary file


def test_the_cli_prints_one_line_per_bad_page_and_exits_2(tmp_path):
    root = project(tmp_path, 3)
    r = subprocess.run([sys.executable, "-m", "l10n.cli", "extract", "-p", str(root)],
                       capture_output=True, text=True)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert lines == [
        "l10n: error: source_pages/bad-bytes.html:2: bytes that are not valid text "
        "(no <meta charset> declares an encoding and it is not UTF-8): b'\\xe9</p'",
        "l10n: error: source_pages/bad-french.html:1: <html lang=\"fr\"> is not a source language of this "
        "project (targets are configured for: en)",
        "l10n: error: source_pages/bad-nolang.html:1: <html> has no lang attribute; l10n needs the page's language",
    ]


def test_build_reports_every_bad_page_and_writes_no_site(tmp_path):
    from l10n.project import build
    root = project(tmp_path, 3)
    with pytest.raises(PagesError) as ei:
        build(load_config(root))
    assert len(ei.value.errors) == 3
    assert not (root / "site").exists()
