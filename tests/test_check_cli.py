"""`l10n check` end to end on the shipped project: exit codes, formats, the seeds' errors."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from l10n.cli import cli

REPO = Path(__file__).resolve().parent.parent
SEED_PAGE = REPO / "tests" / "fixtures" / "seeds" / "seed-errors-en.html"
EN_PO = "locales/en/LC_MESSAGES/qa.localized-scleroderma-medication.po"


@pytest.fixture()
def project(shipped_project: Path) -> Path:
    return shipped_project


def run(project: Path, *args: str):
    return CliRunner().invoke(cli, ["check", "--project", str(project), *args], catch_exceptions=False)


def test_shipped_catalogs_and_pages_are_clean(project: Path) -> None:
    res = run(project)
    assert res.exit_code == 0, res.output
    assert "0 finding(s) in 12 catalog(s) and 6 page(s)" in res.output


def test_seed_page_reports_its_three_original_errors(project: Path) -> None:
    res = run(project, str(SEED_PAGE), "--format", "json")
    assert res.exit_code == 1
    codes = sorted(f["code"] for f in json.loads(res.stdout))
    assert codes == ["GL008", "GL009", "GL010"]


def _seed_error_into_en_catalog(project: Path) -> Path:
    po = project / EN_PO
    text = po.read_text("utf-8")
    assert "Protopic (tacrolimus) 0.1%" in text
    po.write_text(text.replace("Protopic (tacrolimus) 0.1%", "Pimecrolimus 0.1%"), "utf-8")
    return po


def test_seed_drug_swap_in_a_catalog_fails_ci(project: Path) -> None:
    _seed_error_into_en_catalog(project)
    res = run(project, str(project / "locales/en"))
    assert res.exit_code == 1
    assert "GL003 error: drug swap" in res.output and "Pimecrolimus" in res.output
    assert f"{EN_PO}:" in res.output


def test_formats_github_and_junit(project: Path) -> None:
    _seed_error_into_en_catalog(project)
    gh = run(project, str(project / "locales/en"), "--format", "github")
    assert gh.exit_code == 1
    assert any(ln.startswith(f"::error file={EN_PO},line=") and "GL003" in ln for ln in gh.stdout.splitlines())
    ju = run(project, str(project / "locales/en"), "--format", "junit")
    root = ET.fromstring(ju.stdout)
    failures = root.findall(".//failure")
    assert failures and any("GL003" in (f.get("message", "") + (f.text or "")) for f in failures)


def test_fail_on_never_and_ignore(project: Path) -> None:
    _seed_error_into_en_catalog(project)
    assert run(project, str(project / "locales/en"), "--fail-on", "never").exit_code == 0
    res = run(project, str(project / "locales/en"), "--ignore", "GL003", "--ignore", "GL001")
    assert res.exit_code == 0, res.output


def test_suppression_flag_in_the_po_is_honoured(project: Path) -> None:
    po = _seed_error_into_en_catalog(project)
    # a reviewer flags every entry that now names Pimecrolimus
    blocks = po.read_text("utf-8").split("\n\n")
    blocks = [("#, l10n-ignore-GL003, l10n-ignore-GL001\n" + b) if "Pimecrolimus" in b else b for b in blocks]
    po.write_text("\n\n".join(blocks), "utf-8")
    res = run(project, str(project / "locales/en"))
    assert res.exit_code == 0, res.output


def test_html_report_is_written(project: Path, tmp_path: Path) -> None:
    _seed_error_into_en_catalog(project)
    out = tmp_path / "report.html"
    res = run(project, "--format", "html", "-o", str(out))
    assert res.exit_code == 1
    html = out.read_text("utf-8")
    assert "GL003" in html and "Pimecrolimus" in html and "<script src" not in html


def test_broken_glossary_is_bad_input(project: Path) -> None:
    g = project / "locales" / "glossary.toml"
    g.write_text(g.read_text("utf-8") + "\n[[concept]]\nid = \"tacrolimus\"\ntype = \"generic\"\n"
                 "en = { preferred = \"tacrolimus2\" }\n", "utf-8")
    res = CliRunner().invoke(cli, ["check", "--project", str(project)])
    assert res.exit_code == 2
    assert "glossary.toml:" in res.output and "tacrolimus" in res.output


def test_catalog_without_source_language_needs_source_lang(project: Path, tmp_path: Path) -> None:
    po = tmp_path / "other.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'
                  'msgid "醫師開了普特皮0.1%給我。"\nmsgstr "The doctor prescribed me Pimecrolimus 0.1%."\n', "utf-8")
    res = CliRunner().invoke(cli, ["check", "--project", str(project), str(po)])
    assert res.exit_code == 2 and "X-Source-Language" in res.output
    res = run(project, str(po), "--source-lang", "zh_TW")
    assert res.exit_code == 1 and "GL003" in res.output


def test_rules_lists_and_explains() -> None:
    res = CliRunner().invoke(cli, ["rules"])
    assert res.exit_code == 0 and "GL003" in res.output and "GL012" in res.output
    one = CliRunner().invoke(cli, ["rules", "gl003"])
    assert one.exit_code == 0 and ("普特皮" in one.output or "Protopic" in one.output)
    assert CliRunner().invoke(cli, ["rules", "GL999"]).exit_code == 2
