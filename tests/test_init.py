"""``l10n init``: a working project in one command; the packaged starter glossary."""
from __future__ import annotations

import subprocess

import pytest
from click.testing import CliRunner

from l10n.cli import cli
from l10n.config import load_config
from l10n.data import default_glossary_path
from l10n.errors import ConfigError, GlossaryError
from l10n.glossary import load_glossary
from l10n.init import GITIGNORE_LINES, init_project

from project_fixture import L10N_BIN, REPO

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>About scleroderma</title></head>
<body><h1>About scleroderma</h1><p>Tacrolimus ointment is one treatment.</p></body>
</html>
"""


def l10n(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_packaged_glossary_is_the_shipped_one() -> None:
    """The integrator re-copies locales/glossary.toml into l10n/data/ when it changes."""
    assert default_glossary_path().read_bytes() == (REPO / "locales" / "glossary.toml").read_bytes()


def test_shipped_glossary_validates_every_drug_has_a_source() -> None:
    g = load_glossary(default_glossary_path())
    drugs = [c for c in g.concepts if c.is_drug]
    assert drugs and all(c.source.strip() for c in drugs)


def test_init_then_build_then_check_in_an_empty_folder(tmp_path) -> None:
    root = tmp_path / "site"
    res = subprocess.run([str(L10N_BIN), "init", str(root), "--source", "en", "--target", "zh_TW,zh_CN"],
                         capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == ["wrote pyproject.toml", "wrote source_pages/.gitkeep",
                                       "wrote locales/glossary.toml", "wrote .gitignore", "wrote README.md"]
    cfg = load_config(root)
    assert cfg.targets == {"en": ("zh_TW", "zh_CN")}
    assert cfg.glossary == root / "locales" / "glossary.toml"
    assert (root / ".gitignore").read_text().splitlines() == list(GITIGNORE_LINES)
    assert "l10n build" in (root / "README.md").read_text()
    (root / "source_pages" / "about.html").write_text(PAGE, "utf-8")
    build = subprocess.run([str(L10N_BIN), "build"], cwd=root, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    assert "extract: 1 templates, 1 written" in build.stdout
    assert (root / "locales" / "zh_CN" / "LC_MESSAGES" / "about.po").is_file()
    assert (root / "site" / "en" / "about.html").is_file()
    check = subprocess.run([str(L10N_BIN), "check"], cwd=root, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 finding(s) in 2 catalog(s) and 1 page(s)" in check.stderr


def test_check_finds_a_forbidden_term_with_the_starter_glossary(tmp_path) -> None:
    root = tmp_path / "p"
    assert l10n("init", str(root), "--target", "zh_CN").exit_code == 0
    (root / "source_pages" / "about.html").write_text(PAGE, "utf-8")
    assert l10n("build", "-p", str(root)).exit_code == 0
    po = root / "locales" / "zh_CN" / "LC_MESSAGES" / "about.po"
    text = po.read_text("utf-8").replace('msgid "About scleroderma"\nmsgstr ""',
                                          'msgid "About scleroderma"\nmsgstr "关于硬皮症"')
    po.write_text(text, "utf-8")
    res = l10n("check", "-p", str(root))
    assert res.exit_code == 1
    assert "GL002" in res.stdout and "硬皮症" in res.stdout


def test_init_asks_on_a_terminal_only(tmp_path, monkeypatch) -> None:
    import l10n.cli
    monkeypatch.setattr(l10n.cli, "_interactive", lambda: True)
    res = CliRunner().invoke(cli, ["init", str(tmp_path / "a")], input="zh_TW\nen zh_CN\n")
    assert res.exit_code == 0, res.output
    assert load_config(tmp_path / "a").targets == {"zh_TW": ("en", "zh_CN")}


def test_init_without_a_terminal_takes_the_defaults(tmp_path) -> None:
    res = l10n("init", str(tmp_path / "b"))        # CliRunner's stdin is not a terminal
    assert res.exit_code == 0
    assert load_config(tmp_path / "b").targets == {"en": ("zh_TW", "zh_CN")}


def test_init_refuses_an_existing_project(tmp_path) -> None:
    root = tmp_path / "p"
    init_project(root)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    res = l10n("init", str(root))
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"l10n: error: {root / 'pyproject.toml'}: already an l10n project")
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_init_adds_to_an_existing_pyproject_and_gitignore(tmp_path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "mine"\n', "utf-8")
    (tmp_path / ".gitignore").write_text("*.pyc\nsite/\n", "utf-8")
    (tmp_path / "README.md").write_text("mine\n", "utf-8")
    res = init_project(tmp_path, source="zh_TW", targets=["en"])
    assert (tmp_path / "pyproject.toml").read_text().startswith('[project]\nname = "mine"\n\n[tool.l10n]')
    assert (tmp_path / ".gitignore").read_text() == "*.pyc\nsite/\n.l10n-cache/\n*.mo\n.l10n.lock\n"
    assert (tmp_path / "README.md").read_text() == "mine\n"
    assert "README.md" in res.kept
    assert load_config(tmp_path).targets == {"zh_TW": ("en",)}


@pytest.mark.parametrize(("source", "targets", "says"), [
    ("xx_YY", ["en"], "not a locale"),
    ("en", ["en"], "cannot also be a target"),
    ("en", ["klingon"], "not a locale name"),
])
def test_init_refuses_bad_locales_writing_nothing(tmp_path, source, targets, says) -> None:
    with pytest.raises(ConfigError, match=says):
        init_project(tmp_path / "p", source=source, targets=targets)
    assert not (tmp_path / "p").exists()


def test_a_project_without_a_glossary_uses_the_packaged_one(tmp_path) -> None:
    from project_fixture import make_project
    root = make_project(tmp_path)          # its pyproject.toml names no glossary
    cfg = load_config(root)
    assert cfg.glossary == default_glossary_path()
    assert l10n("build", "-p", str(root)).exit_code == 0
    res = l10n("check", "-p", str(root))
    assert res.exit_code in (0, 1), res.output
    assert "does not exist" not in res.output


def test_packaged_glossary_is_package_data() -> None:
    import tomllib
    data = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    assert "*.toml" in data["tool"]["setuptools"]["package-data"]["l10n.data"]


def test_docs_page_example_drug_is_a_valid_glossary(tmp_path) -> None:
    """docs/glossary.md's worked example, appended to the shipped glossary, loads; without the
    brand's source it is refused with the message the page shows, on the brand's line."""
    import re
    doc = (REPO / "docs" / "glossary.md").read_text("utf-8")
    example = next(b for b in re.findall(r"```toml\n(.*?)```", doc, re.S) if 'id = "hydroxychloroquine"' in b)
    base = default_glossary_path().read_text("utf-8") + "\n"
    g = tmp_path / "g.toml"
    g.write_text(base + example, "utf-8")
    loaded = load_glossary(g)
    assert loaded.drug_of(loaded.by_id["plaquenil"]) == "hydroxychloroquine"
    no_source = re.sub(r'source = "<the package insert[^\n]*\n', "", example)
    g.write_text(base + no_source, "utf-8")
    with pytest.raises(GlossaryError) as caught:
        load_glossary(g)
    line = base.count("\n") + no_source[:no_source.index('id = "plaquenil"')].count("\n")
    assert caught.value.line == line
    shown = re.search(r"l10n: error: locales/glossary.toml:\d+: (concept 'plaquenil': .*)", doc).group(1)
    assert caught.value.message == shown


def test_glossary_import_never_writes_into_the_packaged_glossary(tmp_path) -> None:
    from project_fixture import make_project
    root = make_project(tmp_path)
    before = default_glossary_path().read_bytes()
    tbx = tmp_path / "g.tbx"
    assert l10n("glossary", "export", "-p", str(root), "-o", str(tbx)).exit_code == 0
    res = l10n("glossary", "import", str(tbx), "-p", str(root))
    assert res.exit_code == 2 and "names no glossary file" in res.stderr
    assert default_glossary_path().read_bytes() == before
    assert l10n("glossary", "import", str(tbx), "-p", str(root), "-o", str(root / "g.toml")).exit_code == 0
